#pragma once
/* Exports responses as CSV or JSON Lines, in the column layout that
 * `resonans import responses` reads back (docs/import-formats.md), so an
 * export re-imports to the same data. Response attributes come back as
 * attr:NAME columns (CSV: one per name any response has, in first-seen
 * order) or fields (JSON Lines). */

#include <stdio.h>

struct err;
struct store;

enum export_format { EXPORT_CSV, EXPORT_JSONL };

struct export_opts {
    enum export_format format;
    int excel; /* CSV for Swedish Excel: BOM, ';', decimal comma, CRLF */
};

/* Writes every response to out. Returns 0, ERR_DB from the store or ERR_IO
 * when writing fails. *rows gets the number written. */
int export_responses(struct store *s, const struct export_opts *o, FILE *out,
                     long *rows, struct err *err);
