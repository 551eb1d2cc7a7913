#pragma once
/* The metrics engine: NPS, CSAT and CES per group, computed by scanning
 * the column store (never SQL).
 *
 *   struct metrics_query q;
 *   metrics_query_init(&q);
 *   metrics_query_by(&q, "touchpoint,month", err);
 *   metrics_query_where(&q, cs, "channel=app,web", err);
 *   metrics_run(&res, cs, &q, err);      ... res->cells ...
 *   metrics_result_free(res);
 *   metrics_query_dispose(&q);
 *
 * A cell is one combination of the --by values that has responses, in
 * display order (dimension order as given; stages by journey position,
 * periods chronologically). Each figure carries its n; a figure whose n
 * is under min_n is "low n" and must be flagged, not read as a trend.
 * Periods are taken in the local time of the response (docs/metrics.md). */

#include <stddef.h>
#include <stdint.h>

#include "colstore/colstore.h"
#include "stats/compare.h"
#include "stats/estimate.h"

struct err;
struct mean;
struct nps;
struct prop;

enum metric_bits {
    METRIC_NPS = 1,
    METRIC_CSAT = 2,
    METRIC_CES = 4,
    METRIC_ALL = 7
};

#define METRICS_MAX_BY 6
#define METRICS_MIN_N 30 /* default minimum n */
/* Most cells a query may produce (the product of the --by radices). */
#define METRICS_MAX_CELLS (1u << 20)

/* One --where clause: a dimension and the values it may take. */
struct metrics_where {
    enum colstore_dim dim;
    int64_t *values; /* codes, or period keys for a period dimension */
    size_t n;
};

/* Embedded by value: metrics_query_init / metrics_query_dispose. */
struct metrics_query {
    enum colstore_dim by[METRICS_MAX_BY];
    int n_by;
    unsigned metrics;            /* enum metric_bits; default METRIC_ALL */
    int min_n;                   /* default METRICS_MIN_N */
    int64_t from_day, to_day;    /* inclusive local day numbers */
    struct metrics_where *where; /* clauses are ANDed, values ORed */
    size_t n_where;
    int keep_empty; /* 1: also return cells without responses */
    int threads;    /* 0 = choose (2 on large stores), else 1..8 */
};

/* The open ends of the day range. */
#define METRICS_DAY_MIN INT64_MIN
#define METRICS_DAY_MAX INT64_MAX

void metrics_query_init(struct metrics_query *q);
void metrics_query_dispose(struct metrics_query *q);

/* Appends group-by dimensions from "dim[,dim...]". ERR_INVALID for an
 * unknown or repeated dimension, or more than METRICS_MAX_BY. */
int metrics_query_by(struct metrics_query *q, const char *list,
                     struct err *err);
/* Sets the metrics from "nps,csat,ces" (any subset). ERR_INVALID for an
 * unknown name. */
int metrics_query_metrics(struct metrics_query *q, const char *list,
                          struct err *err);
/* Narrows the day range to from..to (inclusive, either may be open). */
void metrics_query_days(struct metrics_query *q, int64_t from, int64_t to);
/* Adds a filter. expr is one or more parts joined by ';', each either
 *   DIM=V[,V...]   touchpoint, stage and journey by key, period dims by
 *                  label (2024-03-05, 2024-W09, 2024-03, 2024-Q1, 2024)
 *   FROM..TO       a date range YYYY-MM-DD..YYYY-MM-DD (an end may be
 *                  empty)
 * ERR_INVALID for bad syntax, an unknown dimension or a bad date or
 * period; ERR_NOTFOUND for a value that cs does not know. */
int metrics_query_where(struct metrics_query *q, const struct colstore *cs,
                        const char *expr, struct err *err);
/* Adds a filter from codes (or period keys) directly. */
void metrics_query_where_codes(struct metrics_query *q, enum colstore_dim dim,
                               const int64_t *values, size_t n);

struct metrics_cell {
    int64_t key[METRICS_MAX_BY];       /* code, or period key */
    const char *label[METRICS_MAX_BY]; /* borrowed from cs or the result */
    int64_t n;                         /* responses in the cell */
    int64_t nps_hist[11];              /* answers per score 0..10 */
    int64_t csat_hist[6];              /* index 1..5 */
    int64_t ces_hist[8];               /* index 1..7 */
    struct estimate nps;               /* points */
    struct estimate csat_t2b;          /* percent 4-5 */
    struct estimate csat_mean;         /* 1..5 */
    struct estimate ces_mean;          /* 1..7 */
    struct estimate ces_easy;          /* percent 5-7 */
};

struct metrics_result {
    int n_by;
    enum colstore_dim by[METRICS_MAX_BY];
    unsigned metrics;
    int min_n;
    size_t n_cells;
    struct metrics_cell *cells;
    int64_t rows;    /* responses that passed the filters */
    int64_t scanned; /* rows scanned */
    int threads;     /* threads the scan used */
    char *pool;      /* private: period labels */
};

/* Runs q over cs. Caller frees *out with metrics_result_free; labels are
 * borrowed from cs and valid while it lives. ERR_INVALID when the query
 * has no metric or would give more than METRICS_MAX_CELLS cells. */
int metrics_run(struct metrics_result **out, const struct colstore *cs,
                const struct metrics_query *q, struct err *err);
void metrics_result_free(struct metrics_result *r);

/* Marks in (*mask)[0..rows) the rows that q's filters and date range let
 * through (its --by is ignored); a theme filter passes a row when any of
 * its themes passes. Caller frees *mask with free(). ERR_INVALID as
 * metrics_run. */
int metrics_filter_rows(uint8_t **mask, const struct colstore *cs,
                        const struct metrics_query *q, struct err *err);

/* 1 when a figure's n is under the result's min_n. */
int metrics_low_n(const struct metrics_result *r, const struct estimate *e);

/* Two groups side by side: every metric's B - A test. */
struct metrics_comparison {
    struct comparison nps;       /* z, trinomial variances (points) */
    struct comparison csat_t2b;  /* z, proportions (points) */
    struct comparison csat_mean; /* Welch t */
    struct comparison ces_mean;  /* Welch t */
    struct comparison ces_easy;  /* z, proportions (points) */
};

/* Compares cell b against cell a (each usually the one cell of a result
 * without --by). */
void metrics_compare_cells(struct metrics_comparison *out,
                           const struct metrics_cell *a,
                           const struct metrics_cell *b);

/* Accumulators rebuilt from a cell's histograms, for compare_*(). */
void metrics_cell_nps(const struct metrics_cell *c, struct nps *out);
void metrics_cell_csat_mean(const struct metrics_cell *c, struct mean *out);
void metrics_cell_csat_t2b(const struct metrics_cell *c, struct prop *out);
void metrics_cell_ces_mean(const struct metrics_cell *c, struct mean *out);
void metrics_cell_ces_easy(const struct metrics_cell *c, struct prop *out);
