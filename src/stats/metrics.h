#pragma once
/* The metrics engine: figures per group, computed by scanning the column
 * store (never SQL).
 *
 *   struct metrics_query q;
 *   metrics_query_init(&q, FIELD_RESPONSES);
 *   metrics_query_by(&q, "touchpoint,month", err);
 *   metrics_query_where(&q, "channel=app,web", err);
 *   metrics_query_metrics(&q, "nps,rating:wifi", err);
 *   metrics_run(&res, cs, &q, err);      ... res->cells ...
 *   metrics_result_free(res);
 *   metrics_query_dispose(&q);
 *
 * Options are parsed for syntax when given (so a command can reject them
 * before it opens a database) and resolved against the column store by
 * metrics_run (unknown values are ERR_NOTFOUND then). Fields are named as
 * query/field.h says; named columns and events must be loaded first
 * (query/prepare.h lists what a query needs).
 *
 * A cell is one combination of the --by values that has rows, in display
 * order (dimension order as given; stages by journey position, periods
 * chronologically). Each figure carries its n; a figure whose n is under
 * min_n is "low n" and must be flagged, not read as a trend. Periods are
 * taken in the local time of the row (docs/metrics.md). */

#include <stddef.h>
#include <stdint.h>

#include "colstore/colstore.h"
#include "query/field.h"
#include "stats/compare.h"
#include "stats/estimate.h"
#include "stats/mean.h"

struct err;
struct nps;
struct prop;

#define METRICS_MAX_BY 6
#define METRICS_MAX_METRICS 16
#define METRICS_MIN_N 30 /* default minimum n */
/* Most cells a query may produce (the product of the --by radices). */
#define METRICS_MAX_CELLS (1u << 20)
/* Most values a numeric field used without bins may have. */
#define METRICS_MAX_DISTINCT 1000
/* Most options a choice metric shows as columns. */
#define METRICS_MAX_OPTIONS 40

enum metric_kind {
    MK_NPS,      /* NPS with the trinomial variance */
    MK_CSAT,     /* CSAT top-two-box share and mean */
    MK_CES,      /* CES mean and "easy" share */
    MK_RATING,   /* rating:KEY mean and top-two-box share */
    MK_CHOICE,   /* choice:KEY: the share of each option */
    MK_MEAN,     /* mean:FIELD (or a bare numeric field) */
    MK_QUANTILE, /* median:FIELD, pNN:FIELD */
    MK_SUM,      /* sum:FIELD */
    MK_MIN,      /* min:FIELD */
    MK_MAX,      /* max:FIELD */
    MK_COUNT     /* count: rows */
};

struct metrics_metric {
    enum metric_kind kind;
    struct field field; /* what it reads (not for nps, csat, ces, count) */
    double q;           /* MK_QUANTILE: 0..1 */
    char text[FIELD_MAX_TEXT + 16]; /* as named, canonical */
};

/* One --where clause. A categorical field is compared by value; a
 * numeric one (or the numbers its labels read as) by the comparisons. */
enum metrics_op { MOP_IN, MOP_NOT_IN, MOP_LT, MOP_LE, MOP_GT, MOP_GE };

struct metrics_where {
    struct field field;
    enum metrics_op op;
    char **values; /* MOP_IN, MOP_NOT_IN: the values, and ranges "A..B" */
    size_t n;
    double x; /* comparisons */
};

struct metrics_bins {
    struct field field;
    double *edges;
    size_t n;
};

/* Embedded by value: metrics_query_init / metrics_query_dispose. */
struct metrics_query {
    enum field_context ctx; /* rows: responses (default) or events */
    struct field by[METRICS_MAX_BY];
    int n_by;
    struct metrics_metric metrics[METRICS_MAX_METRICS];
    int n_metrics;               /* 0 = the default: nps, csat, ces (count
                                  * for events) */
    int min_n;                   /* default METRICS_MIN_N */
    int64_t from_day, to_day;    /* inclusive local day numbers */
    struct metrics_where *where; /* clauses are ANDed */
    size_t n_where;
    struct metrics_bins *bins;
    size_t n_bins;
    int keep_empty; /* 1: also return cells without rows */
    int threads;    /* 0 = choose (2 on large stores), else 1..8 */
};

/* The open ends of the day range. */
#define METRICS_DAY_MIN INT64_MIN
#define METRICS_DAY_MAX INT64_MAX

void metrics_query_init(struct metrics_query *q, enum field_context ctx);
void metrics_query_dispose(struct metrics_query *q);
/* A deep copy of src into dst (not initialised). */
void metrics_query_copy(struct metrics_query *dst,
                        const struct metrics_query *src);

/* Appends group-by fields from "FIELD[,FIELD...]". ERR_INVALID for a bad
 * or repeated field, or more than METRICS_MAX_BY. */
int metrics_query_by(struct metrics_query *q, const char *list,
                     struct err *err);
/* Sets the metrics from a list: nps, csat, ces, count, rating:KEY,
 * choice:KEY, mean:FIELD, median:FIELD, pNN:FIELD (p90), sum:FIELD,
 * min:FIELD, max:FIELD, or a numeric FIELD (its mean). ERR_INVALID for an
 * unknown name. */
int metrics_query_metrics(struct metrics_query *q, const char *list,
                          struct err *err);
/* Narrows the day range to from..to (inclusive, either may be open). */
void metrics_query_days(struct metrics_query *q, int64_t from, int64_t to);
/* Adds a filter. expr is one or more clauses joined by ';', each
 *   FIELD=V[,V...]   one of the values (a key, display name or alias;
 *                    periods by label: 2024-03-05, 2024-W09, 2024-03,
 *                    2024-Q1, 2024; numbers: a value or a range A..B)
 *   FIELD!=V[,V...]  none of them
 *   FIELD<X FIELD<=X FIELD>X FIELD>=X   numeric comparisons
 *   FROM..TO         a date range YYYY-MM-DD..YYYY-MM-DD (an end may be
 *                    empty)
 * A value holding ',' or ';' is quoted: region="Stockholm, city".
 * ERR_INVALID for bad syntax. */
int metrics_query_where(struct metrics_query *q, const char *expr,
                        struct err *err);
/* Adds FIELD=values (each taken literally). ERR_INVALID for a bad field. */
int metrics_query_where_values(struct metrics_query *q, const char *field,
                               const char *const *values, size_t n,
                               struct err *err);
/* The --bins given for field f (matched by its text), or NULL. */
const struct metrics_bins *metrics_query_bins_for(const struct metrics_query *q,
                                                  const struct field *f);
/* Bins a numeric field: "FIELD=E1,E2,..." with increasing edges.
 * ERR_INVALID for bad syntax. */
int metrics_query_bins(struct metrics_query *q, const char *expr,
                       struct err *err);

/* Every field the query names (by, where, bins, metrics), for loading
 * what they need: calls fn for each; stops at a non-zero return. */
int metrics_query_fields(const struct metrics_query *q,
                         int (*fn)(void *ctx, const struct field *f),
                         void *ctx);

/* ---- results ---- */

/* One column of figures. A metric gives one or more: NPS one, CSAT two
 * (top-two-box, mean), a choice one per option. */
struct metrics_figure {
    int metric;                     /* index in the query's metrics */
    char key[FIELD_MAX_TEXT + 64];  /* CSV/JSON name: nps, csat_t2b, ... */
    char head[FIELD_MAX_TEXT + 64]; /* table header */
    int decimals;
    int with_n;      /* the first figure of a metric: its n goes with it */
    int has_ci;      /* 0 for counts, sums, min and max */
    int percent;     /* a share in percent */
    uint32_t option; /* choice: the option's value index */
};

/* What a metric's figures were computed from, per cell: enough to test a
 * difference between two cells. */
struct metrics_acc {
    int64_t n;        /* answers (rows with a value) */
    int64_t hist[12]; /* nps 0..10, csat 1..5, ces 1..7 */
    struct mean m;    /* ratings, means, sums */
    int64_t top;      /* ratings: answers in the top two */
    double min, max;
    const int64_t *options; /* choice: answers per option value */
};

struct metrics_cell {
    int64_t key[METRICS_MAX_BY];         /* value index, or period key */
    const char *label[METRICS_MAX_BY];   /* keys, as --where takes them */
    const char *display[METRICS_MAX_BY]; /* names for people */
    int64_t n;                           /* rows in the cell */
    struct estimate *fig;                /* [n_figs] */
    struct metrics_acc *acc;             /* [n_metrics] */
};

struct metrics_result {
    enum field_context ctx;
    int n_by;
    char by[METRICS_MAX_BY][FIELD_MAX_TEXT]; /* the fields' names */
    int n_metrics;
    struct metrics_metric metrics[METRICS_MAX_METRICS];
    size_t n_figs;
    struct metrics_figure *figs;
    int min_n;
    size_t n_cells;
    struct metrics_cell *cells;
    int64_t rows;            /* rows that passed the filters */
    int64_t scanned;         /* rows scanned */
    int threads;             /* threads the scan used */
    struct metrics_own *own; /* private */
};

/* Runs q over cs. Caller frees *out with metrics_result_free; labels are
 * valid while the result lives. ERR_NOTFOUND for an unknown field or
 * value; ERR_INVALID when a field does not fit its use (binning text,
 * a choice with too many options) or the query would give more than
 * METRICS_MAX_CELLS cells. */
int metrics_run(struct metrics_result **out, const struct colstore *cs,
                const struct metrics_query *q, struct err *err);
void metrics_result_free(struct metrics_result *r);

/* Marks in (*mask)[0..rows) the rows of q's table that its filters and
 * date range let through (its --by is ignored); a theme filter passes a
 * row when any of its themes passes. Caller frees *mask with free().
 * Errors as metrics_run. */
int metrics_filter_rows(uint8_t **mask, const struct colstore *cs,
                        const struct metrics_query *q, struct err *err);

/* 1 when a figure's n is under the result's min_n. */
int metrics_low_n(const struct metrics_result *r, const struct estimate *e);

/* Compares cell b of rb against cell a of ra, figure by figure (both
 * results from the same metrics): out[n_figs]. A comparison is never
 * significant when either figure is under the minimum n or the SE is 0.
 * Counts, sums, min, max and quantiles are not tested (valid = 0). */
void metrics_compare_cells(struct comparison *out,
                           const struct metrics_result *ra,
                           const struct metrics_cell *a,
                           const struct metrics_result *rb,
                           const struct metrics_cell *b);
