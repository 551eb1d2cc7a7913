#pragma once
/* A field resolved against a column store: what the metrics engine scans.
 *
 * A resolved field describes every row of one table (responses or
 * events) in one or both of two views:
 *   categorical  per-row codes (1, 2 or 4 bytes wide) and a map from
 *                code to value; values are numbered in display order
 *                and have labels. Several fields may share one code
 *                column (stage, journey and owner all read the touchpoint
 *                column), which the engine folds into one lookup table.
 *   numeric      a double per row, NaN where the row has no value.
 * Fixed dimensions, text attributes and choices are categorical; ratings,
 * number attributes and event features are numeric and become
 * categorical through bins (qfield_categorize).
 *
 * Named columns and the events table must be loaded first
 * (query/prepare.h); a field whose column is not there is ERR_NOTFOUND. */

#include <stddef.h>
#include <stdint.h>

#include "colstore/colstore.h"
#include "query/field.h"

struct err;

#define QFIELD_NONE UINT32_MAX

/* Read-only for callers; built by qfield_resolve. */
struct qfield {
    struct field f;
    enum colstore_table table;
    size_t rows;

    /* categorical view: cat = 1 when set */
    int cat;
    const void *codes;        /* [rows] */
    int width;                /* bytes per code: 1, 2 or 4 */
    uint32_t n_codes;         /* codes are < n_codes */
    const uint32_t *value_of; /* [n_codes] code -> value; NULL = identity */
    uint32_t n_values;
    const char *const *label;   /* [n_values] keys, as CSV/JSON and --where
                                 * name them */
    const char *const *display; /* [n_values] names for people, or NULL */
    const int64_t *key;         /* [n_values] period keys, or NULL */
    uint32_t none;              /* the value "(none)", or QFIELD_NONE */
    int multi;                  /* theme: values come from the mention list
                                 * (codes = mention themes, rows via
                                 * mention rows) */
    int period;                 /* enum period_unit + 1 for a period */

    /* numeric view */
    const double *num; /* [rows], NaN = no value; NULL when not numeric */
    double scale_max;  /* ratings: the top of the scale; else NaN */
    double *edges;     /* after qfield_categorize with bins: [n_edges] */
    size_t n_edges;

    struct qfield_own *own; /* private: what the field allocated */
};

/* Resolves f over table t of cs (t = COLSTORE_RESPONSES or
 * COLSTORE_EVENTS). Caller frees *out with qfield_free. ERR_NOTFOUND when
 * the field's column, activity or attribute does not exist; ERR_INVALID
 * when f does not apply to the table or aggregation. */
int qfield_resolve(struct qfield **out, const struct colstore *cs,
                   enum colstore_table t, const struct field *f,
                   struct err *err);
/* The same, when only the rows i with need[i] != 0 will be read (a plan
 * whose other filters reject the rest): fields that cost work per row
 * (event features) compute those rows only and give the others no value.
 * Quantile bins (f->quantiles) still see every row. need may be NULL. */
int qfield_resolve_rows(struct qfield **out, const struct colstore *cs,
                        enum colstore_table t, const struct field *f,
                        const uint8_t *need, struct err *err);
/* 1 if the field costs work per row, so qfield_resolve_rows with a need
 * mask pays off. */
int qfield_costly(const struct field *f);
void qfield_free(struct qfield *qf);

/* Gives a numeric field its categorical view: bins at edges (ascending,
 * n_edges >= 1: values < e0, [e0, e1), ..., >= e_last, labelled "<18",
 * "[18..30)", ">=65"), or f.quantiles equal-count bins (edges at the
 * quantiles of every row with a value; labelled "Q1 [18..31)"), or with
 * neither its distinct values in numeric order. Rows without a value get
 * "(none)". A field that is categorical already is left as it is unless
 * bins are asked for (ERR_INVALID: it is not numeric). ERR_INVALID for
 * more than max_values distinct values without bins. */
int qfield_categorize(struct qfield *qf, const double *edges, size_t n_edges,
                      uint32_t max_values, struct err *err);

/* Marks in allowed[0..n_values) the values that v[0..n) names: a label,
 * a display name or a touchpoint alias (both case-insensitively), or a
 * period label. Returns how many it marked (0 = none). */
size_t qfield_match(const struct qfield *qf, const struct colstore *cs,
                    const char *v, size_t n, uint8_t *allowed);

/* The number a value's label reads as (for comparisons on categorical
 * fields), or NaN. */
double qfield_value_number(const struct qfield *qf, uint32_t value);

/* The code of row i (categorical view). */
static inline uint32_t qfield_code(const struct qfield *qf, size_t i)
{
    switch (qf->width) {
    case 1:
        return ((const uint8_t *)qf->codes)[i];
    case 2:
        return ((const uint16_t *)qf->codes)[i];
    default:
        return ((const uint32_t *)qf->codes)[i];
    }
}

/* The value of a code. */
static inline uint32_t qfield_value(const struct qfield *qf, uint32_t code)
{
    return qf->value_of ? qf->value_of[code] : code;
}
