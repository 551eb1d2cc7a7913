#pragma once
/* One input record as the importer sees it, whatever the file format:
 * the CSV and JSON Lines readers both fill a struct record, so that
 * validation is written once. Fields are indexed by column number; the
 * reader that produced the record names its columns. */

#include <stddef.h>

/* A field value with where it came from. p is NULL when the field is
 * absent (a JSON Lines record without that key, or null). The bytes are
 * not NUL-terminated. */
struct rec_field {
    const char *p;
    size_t n;
    long line; /* physical line of the field's first byte, 1-based */
    long col;  /* byte column of that byte within its line, 1-based */
};

/* Borrowed from the reader: valid until its next call. */
struct record {
    const struct rec_field *f;
    size_t n;        /* number of fields (columns known so far) */
    long line;       /* line the record starts on */
    const char *raw; /* the record's text as read, without its newline */
    size_t raw_n;
};
