#pragma once
/* A JSON Lines reader over a buffer: one JSON object per line, parsed with
 * jansson and handed out as a struct record, like the CSV reader's, so the
 * importer treats both alike.
 *
 * Columns are the object keys, numbered in the order they are first seen
 * in the file; a record has a field for every column seen so far, absent
 * (p == NULL) when its line lacks the key or holds null. Strings are
 * passed as they are; numbers become their text ("9", "0.25"); booleans,
 * arrays and objects are errors, and so is a string holding a control
 * character other than tab, LF and CR (written \u0000, \u001b, \b,
 * \f: located at its escape). Blank lines are skipped; a trailing CR is
 * ignored. Each field's column is the byte column of its value.
 *
 * Errors are ERR_INVALID located as path:line:col; the reader then goes
 * on with the next line, so a caller that rejects bad rows may continue. */

#include <stddef.h>

#include "ingest/record.h"

struct err;
struct jsonl_reader;

#define JSONL_MAX_COLUMNS 4096
#define JSONL_MAX_LINE ((size_t)64 << 20)

/* Creates a reader over buf[0..len), which must outlive it; path is used
 * in error locations (borrowed). Caller frees with jsonl_reader_free. */
struct jsonl_reader *jsonl_reader_new(const char *buf, size_t len,
                                      const char *path);
void jsonl_reader_free(struct jsonl_reader *r);

/* Reads the next object into *rec (borrowed until the next call).
 * Returns 1 with a record, 0 at the end, or ERR_INVALID (bad JSON, not an
 * object, a value of the wrong type, a control character in a string, a
 * line or too many keys too large);
 * rec->line/raw then describe the bad line. */
int jsonl_reader_next(struct jsonl_reader *r, struct record *rec,
                      struct err *err);

/* Columns seen so far, and the name of column i (borrowed until the next
 * jsonl_reader_next; not NUL-terminated, *n is its length). */
size_t jsonl_reader_ncols(const struct jsonl_reader *r);
const char *jsonl_reader_column(const struct jsonl_reader *r, size_t i,
                                size_t *n);

/* Bytes consumed so far (for progress). */
size_t jsonl_reader_offset(const struct jsonl_reader *r);
