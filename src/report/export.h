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

#include <stddef.h>
#include <stdint.h>

struct export_opts {
    enum export_format format;
    int excel; /* CSV for Swedish Excel: BOM, ';', decimal comma, CRLF */
    /* Which responses: keep(ctx, id) is 1 for a response (by store id)
     * to write; NULL writes every one. */
    int (*keep)(void *ctx, int64_t response_id);
    /* Extra columns after the import columns (the values of fields, for
     * analysis in a spreadsheet; importing such a file again needs
     * --map 'NAME=-' for each): their names (written as by:NAME when
     * NAME is also an import column), and extra(ctx, id, i) the
     * value of column i for a response (NULL = empty). */
    const char *const *extra_names;
    size_t n_extra;
    const char *(*extra)(void *ctx, int64_t response_id, size_t i);
    void *ctx; /* for keep and extra */
    /* Only responses with store ids from_id..to_id (inclusive); both 0 =
     * all. A page of a list reads its own rows only. */
    int64_t from_id, to_id;
};

#define EXPORT_OPTS_INIT                                                       \
    {                                                                          \
        EXPORT_CSV, 0, NULL, NULL, 0, NULL, NULL, 0, 0                         \
    }

/* Writes every response (that keep lets through) to out. Returns 0,
 * ERR_DB from the store or ERR_IO when writing fails. *rows gets the
 * number written. */
int export_responses(struct store *s, const struct export_opts *o, FILE *out,
                     long *rows, struct err *err);
