#pragma once
/* An RFC 4180 CSV reader over a buffer (callers mmap or read the file).
 *
 * - A UTF-8 byte-order mark is skipped.
 * - The delimiter is ',' ';' or tab, detected from the header line (the
 *   one of them seen most often outside quotes; ',' when none) unless
 *   given.
 * - Fields may be quoted with '"'; "" inside is one quote; quoted fields
 *   may hold delimiters and newlines. A '"' inside an unquoted field is
 *   taken literally. LF and CRLF end records; blank lines are skipped.
 * - Every field must be valid UTF-8 without control characters: of the
 *   C0 controls (below 0x20) only tab is data, and CR and LF inside
 *   quotes. A NUL, an ESC or a CR not followed by LF outside quotes is
 *   an error at its line and column.
 * - The first record is the header; every later record must have as many
 *   fields.
 * Unquoted fields and quoted fields without "" are slices of the buffer;
 * only quoted fields with "" are copied (into a per-record scratch).
 *
 * Errors are ERR_INVALID located as path:line:col. After an error the
 * reader has skipped to the next line (past the whole record for a
 * control character or a wrong number of fields), so a caller that
 * rejects bad rows may go on calling csv_reader_next. */

#include <stddef.h>

#include "ingest/record.h"

struct err;
struct csv_reader;

#define CSV_MAX_FIELDS 4096
#define CSV_MAX_SCRATCH ((size_t)64 << 20) /* bytes of unescaped fields */

/* Creates a reader over buf[0..len), which must outlive it. delim is ','
 * ';' '\t', or 0 to detect. path is used in error locations (borrowed).
 * Caller frees with csv_reader_free. Never fails. */
struct csv_reader *csv_reader_new(const char *buf, size_t len, char delim,
                                  const char *path);
void csv_reader_free(struct csv_reader *r);

/* Reads the next record into *rec (borrowed until the next call).
 * Returns 1 with a record, 0 at the end of the input, or ERR_INVALID for
 * broken quoting, invalid UTF-8, a control character, a wrong number of
 * fields, or a record too large; rec->line/raw then describe the bad
 * text (and for a control character or a wrong number of fields,
 * rec->f/n its fields). */
int csv_reader_next(struct csv_reader *r, struct record *rec, struct err *err);

/* The delimiter in use. */
char csv_reader_delim(const struct csv_reader *r);
/* Bytes consumed so far (for progress). */
size_t csv_reader_offset(const struct csv_reader *r);

/* The ASCII name of control character c ("NUL", "ESC", "DEL"), for
 * messages; "?" for any other byte. */
const char *csv_ctrl_name(unsigned c);
