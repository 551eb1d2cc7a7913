#pragma once
/* Private to the metrics engine: the plan a query becomes, the per-thread
 * accumulators of the scan, and the result's owned storage.
 *
 * The plan folds every --by field and filter into lookup tables, one per
 * code column read ("source"): table[code] is the code's contribution to
 * the row's cell number (already shifted to a counter offset), or `limit`
 * when a filter rejects the code. Fields that read the same column (stage,
 * journey and touchpoint; periods and the date range) share one table. A
 * row's counters are then found by adding one table entry per source. */

#include <stddef.h>
#include <stdint.h>

#include "query/qfield.h"
#include "stats/mean.h"
#include "stats/metrics.h"

#define MPLAN_MAX_SRC 24
#define MPLAN_MAX_FIELDS (METRICS_MAX_BY + METRICS_MAX_METRICS + 64)

struct msrc {
    const void *codes;
    int width;
    uint32_t n_codes;
    uint32_t *table; /* [n_codes] */
    uint8_t *reject; /* [n_codes], while the plan is built */
    int multi;       /* the theme mention list */
};

/* The code of row i in source s. */
static inline __attribute__((always_inline)) uint32_t
msrc_code(const struct msrc *s, size_t i)
{
    switch (s->width) {
    case 1:
        return ((const uint8_t *)s->codes)[i];
    case 2:
        return ((const uint16_t *)s->codes)[i];
    default:
        return ((const uint32_t *)s->codes)[i];
    }
}

/* Counter layout of one cell, in this order: bin 0 of each score counts
 * "not answered", so any one score's bins add up to the cell's rows. */
#define NPS_BINS 12 /* 1 + score 0..10 */
#define CSAT_BINS 7 /* 1 + score 1..5; bin 1 unused */
#define CES_BINS 9  /* 1 + score 1..7; bin 1 unused */

/* Metrics other than the score histograms. */
enum gkind { G_MOM, G_CHOICE, G_VALUES };

struct gmetric {
    int metric; /* index in the query's metrics */
    enum gkind g;
    const double *num;       /* G_MOM, G_VALUES */
    const struct qfield *qf; /* G_CHOICE */
    uint32_t n_opts;         /* G_CHOICE: values, "(none)" included */
    double top;              /* G_MOM: values >= top count in acc.top */
};

struct mplan {
    const struct colstore *cs;
    enum colstore_table table;
    size_t rows;
    const int8_t *nps, *csat, *ces;
    const uint32_t *mention_row;
    size_t n_mentions;

    struct qfield *fields[MPLAN_MAX_FIELDS]; /* owned */
    int n_fields;
    void *bufs[MPLAN_MAX_SRC]; /* owned: per-row pass codes of filters */
    int n_bufs;
    uint8_t *need; /* owned: rows the cheap filters pass, or NULL (all) */
    struct qfield *by[METRICS_MAX_BY];
    uint32_t mult[METRICS_MAX_BY], radix[METRICS_MAX_BY];
    int n_by;

    struct msrc src[MPLAN_MAX_SRC];
    int n_src;
    int theme_src; /* index of the mention source, -1 if none */
    int by_theme;  /* theme is a --by field (a row counts per theme) */

    uint32_t n_cells;
    unsigned shift; /* counters per cell = 1 << shift */
    uint32_t limit; /* n_cells << shift: the counters of rejected rows */
    int may_reject;
    int empty; /* no row can pass */

    /* score histograms in a cell's counters: offsets, -1 when absent;
     * o_rows counts rows when no score metric is asked */
    int o_nps, o_csat, o_ces, o_rows;

    struct gmetric gm[METRICS_MAX_METRICS];
    int n_gm;
};

/* Builds the plan for q over cs. ERR_* as metrics_run. Dispose with
 * mplan_dispose even on failure. no_metrics: filters only
 * (metrics_filter_rows). */
/* A number as written in a query: decimal point or comma, finite.
 * s[0..n); 0, or -1 (metrics_query.c). */
int mquery_parse_num(double *out, const char *s, size_t n);

int mplan_build(struct mplan *p, const struct colstore *cs,
                const struct metrics_query *q, int no_metrics, struct err *err);
void mplan_dispose(struct mplan *p);
/* The rows that pass p's filters, the theme filter aside (a row's themes
 * are a list), or NULL when no filter rejects a row. Caller frees. */
uint8_t *mplan_pass_mask(const struct mplan *p);

/* A generic metric's per-cell accumulator. */
struct mom {
    int64_t top;
    struct mean m;
    double mn, mx;
    double sum; /* summed as is: mean * n drifts on large integer sums */
};

struct vpair {
    uint32_t cell;
    double v;
};

/* Summed over threads. */
struct mtotals {
    int64_t *cnt;                         /* (n_cells + 1) << shift */
    struct mom *mom[METRICS_MAX_METRICS]; /* [n_cells], by gmetric */
    int64_t *choice[METRICS_MAX_METRICS]; /* [n_cells * n_opts] */
    struct vpair *vals[METRICS_MAX_METRICS];
    size_t n_vals[METRICS_MAX_METRICS];
};

/* Scans every row (or mention) into t. Returns the threads used. */
int mscan_run(const struct mplan *p, int threads, struct mtotals *t);
void mtotals_dispose(struct mtotals *t, const struct mplan *p);

/* What a result owns: the plan's fields (labels point into them). */
struct metrics_own {
    struct qfield *fields[MPLAN_MAX_FIELDS];
    int n_fields;
    struct estimate *figs;
    struct metrics_acc *accs;
    int64_t *options;
};
