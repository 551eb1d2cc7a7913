#pragma once
/* Key-driver analysis and priorities on the column store: which answers
 * go with a better outcome, how much of it each one carries, and what to
 * fix first (docs/drivers.md, "Using it").
 *
 *   drivers_spec_new(&s, "nps", "rating:staff,rating:wait", err);
 *   ... load what drivers_spec_fields names (query/prepare.h) ...
 *   drivers_run(&r, cs, s, &opts, err);       relative importance, OLS,
 *                                             logistic for a 0/1 outcome
 *   drivers_prioritize(r, cs, &target, err);  importance-performance
 *   drivers_result_free(r); drivers_spec_free(s);
 *
 * Outcome: "nps" (nps_score 0-10), "promoter" / "detractor" (1 for
 * nps_score 9-10 / 0-6, else 0), "csat", "ces" (the scores), any field
 * with a numeric view, or "FIELD=VALUE" (1 when the row's value is
 * VALUE, 0 for another value, missing without one: choice:KEY=VALUE).
 * Rows without an outcome are not used (counted in no_outcome).
 *
 * Drivers, a comma list of
 *   FIELD          its numeric view (ratings, gap:KEY, nps_score, number
 *                  attributes, event features, categories that read as
 *                  numbers); a categorical field with exactly two values
 *                  (among the rows used) is a 0/1 indicator of the
 *                  second in display order, named "FIELD=VALUE"
 *   FIELD=VALUE    a 0/1 indicator of the value (missing without a value)
 *   theme:NAME     1 when the response's analysed comment mentions theme
 *                  NAME, 0 when it has an analysed comment that does not,
 *                  missing without one (theme=NAME is the same)
 *   themes         one theme:NAME per theme mentioned by at least
 *                  opts->min_n of the commented responses used (the rest
 *                  are counted in themes_skipped)
 *
 * The row filter is a metrics query's --where clauses and day range
 * (metrics_filter_rows); its --by and metrics are ignored.
 *
 * Missing values: listwise by default (a row missing any driver is not
 * used; counted in dropped). With pairwise, the relative importance uses
 * each correlation's own rows (relimp.h); the regressions stay listwise.
 *
 * Errors, each ERR_INVALID with a message naming the driver unless said:
 * a driver given twice; a categorical driver with more than two values
 * and no =VALUE; a constant driver, collinear drivers, too few rows, a
 * constant or one-class outcome (from stats/relimp.h and stats/regress.h,
 * or checked here first); more than DRIVERS_MAX drivers. ERR_NOTFOUND for
 * an unknown field, column, theme or value. A failed logistic regression
 * (separation, no convergence) is not an error: the odds ratios are left
 * out and r->logit_note says why. */

#include <stddef.h>
#include <stdint.h>

#include "query/field.h"
#include "stats/estimate.h"
#include "stats/regress.h"

struct colstore;
struct err;
struct metrics_query;

/* Most drivers after `themes` is expanded. */
#define DRIVERS_MAX 64
/* Longest driver or outcome name as results show it. */
#define DRIVERS_NAME_MAX (2 * FIELD_MAX_TEXT + 16)
/* Default bootstrap resamples. */
#define DRIVERS_BOOT 200

/* One variable as given: the outcome or a driver. */
enum drivers_var_kind {
    DV_FIELD, /* the field's numeric view (or a two-value indicator) */
    DV_VALUE, /* FIELD=VALUE: 0/1 */
    DV_RANGE, /* promoter/detractor: 1 when lo <= value <= hi */
    DV_THEME, /* theme:NAME */
    DV_THEMES /* the driver set `themes` (expanded by drivers_run) */
};

struct drivers_var {
    enum drivers_var_kind kind;
    struct field f;              /* DV_FIELD, DV_VALUE, DV_RANGE */
    char value[FIELD_MAX_TEXT];  /* DV_VALUE: the value; DV_THEME: name */
    double lo, hi;               /* DV_RANGE */
    char name[DRIVERS_NAME_MAX]; /* as given, canonical */
};

/* A parsed outcome and driver list (syntax only). */
struct drivers_spec {
    struct drivers_var outcome;
    int lower_better; /* 1 for detractor: a lower outcome is better */
    struct drivers_var *vars;
    size_t n_vars;
};

/* Parses outcome and the comma list drivers. Caller frees *out with
 * drivers_spec_free. ERR_INVALID for bad syntax, an empty list, a driver
 * given twice, the outcome among the drivers, or more than DRIVERS_MAX
 * drivers. */
int drivers_spec_new(struct drivers_spec **out, const char *outcome,
                     const char *drivers, struct err *err);
void drivers_spec_free(struct drivers_spec *s);

/* Calls fn for every field s reads (outcome and drivers; theme drivers
 * name the fixed field `theme`), so a caller can load them
 * (query_prepare_field). Stops at a non-zero return and returns it. */
int drivers_spec_fields(const struct drivers_spec *s,
                        int (*fn)(void *ctx, const struct field *f), void *ctx);

struct drivers_opts {
    const struct metrics_query *filter; /* rows: --where, --from, --to;
                                           NULL = every row */
    int pairwise;                       /* relative importance only */
    size_t boot;                        /* bootstrap resamples, 0 = none */
    uint64_t seed;
    int min_n; /* flags, theme expansion, target groups; <= 0 means 30 */
};

#define DRIVERS_OPTS_INIT                                                      \
    {                                                                          \
        NULL, 0, DRIVERS_BOOT, 1, 30                                           \
    }

/* Importance-performance quadrants. */
enum drivers_quadrant {
    DQ_FIX_FIRST,    /* high importance, low performance */
    DQ_KEEP_IT_UP,   /* high importance, high performance */
    DQ_MAINTAIN,     /* low importance, low performance: low priority */
    DQ_OVERINVESTED, /* low importance, high performance */
    DQ_NONE          /* not classified */
};
/* "fix first", "keep it up", "maintain", "possible overinvestment". */
const char *drivers_quadrant_name(enum drivers_quadrant q);

struct drivers_driver {
    char name[DRIVERS_NAME_MAX];
    int binary;      /* a 0/1 indicator */
    int theme;       /* a theme indicator */
    size_t present;  /* rows with an outcome where it has a value */
    double mean;     /* over the rows used (listwise): 0/1 gives its share */
    double min, max; /* over the same rows */
    double lmg, lmg_se, lmg_lo, lmg_hi; /* LMG share of R^2 with its 95%
                                           bootstrap interval (NaN without
                                           one) */
    double rw, rw_lo, rw_hi;            /* Johnson's relative weight */
    int rank;                           /* 1 = largest LMG share */
    struct regress_coef b;              /* OLS coefficient */
    int has_odds;
    struct regress_coef logit;  /* log-odds coefficient */
    struct regress_odds odds;   /* its odds ratio with 95% CI */
    struct estimate prevalence; /* theme: share of the commented rows used
                                   mentioning it, percent, Wilson CI */

    /* drivers_prioritize */
    double perf; /* performance 0..1: the mean's place in [min, max],
                    turned so that 1 is the better end */
    enum drivers_quadrant quadrant;
    double target;                     /* the level aimed at, NaN without one */
    char target_label[FIELD_MAX_TEXT]; /* its group, or "--target" */
    int64_t target_n;                  /* rows in that group */
    double change, change_lo, change_hi; /* b * (target - mean) with the
                                            CI from b's */
    struct regress_coef b_pts;           /* outcome nps: OLS coefficient of
                                            the NPS score per response */
    double pts, pts_lo, pts_hi;          /* outcome nps: the change in NPS
                                            points, b_pts * (target - mean) */
    int prio_rank; /* 1 = largest expected improvement; 0 = none */
};

struct drivers_result {
    char outcome[DRIVERS_NAME_MAX];
    int binary; /* the outcome is 0/1 */
    int lower_better;
    double outcome_mean; /* over the rows used */
    size_t rows;         /* rows passing the filter */
    size_t no_outcome;   /* of those, without an outcome (not used) */
    size_t n;            /* rows used (listwise: complete; pairwise: the
                            smallest pair count) */
    size_t dropped;      /* rows with an outcome missing a driver */
    size_t n_ols;        /* rows used by the regressions (listwise) */
    int pairwise;
    size_t k;
    struct drivers_driver *d; /* [k], in the order given */
    double r2, r2_lo, r2_hi, adj_r2;
    int exact; /* LMG over every subset */
    size_t boot, boot_failed;
    uint64_t seed;
    int has_logit;
    double pseudo_r2;
    char logit_note[256];  /* why there are no odds ratios, or "" */
    int themes;            /* the driver set `themes` was used */
    size_t themes_skipped; /* themes under min_n mentions left out */
    int min_n;
    /* priorities (drivers_prioritize) */
    int prioritized;
    char target_by[FIELD_MAX_TEXT]; /* "" with a fixed target */
    int nps_points;                 /* outcome nps: pts and b_pts are filled */
    double imp_mean, perf_mean;     /* the quadrants' dividing lines */
    struct drivers_own *own;        /* private: the design rows */
};

/* Runs the analysis of s over the rows of cs that opts->filter passes.
 * Fields must be loaded (drivers_spec_fields). opts may be NULL
 * (defaults). On success *out is new, caller frees with
 * drivers_result_free. Errors as listed at the top. */
int drivers_run(struct drivers_result **out, const struct colstore *cs,
                const struct drivers_spec *s, const struct drivers_opts *opts,
                struct err *err);
void drivers_result_free(struct drivers_result *r);

/* The listwise rows drivers_run analyses, for a caller that wants the
 * data itself (a benchmark against a peer, an export): x holds n rows of
 * k drivers row-major, y the outcome, both as drivers_run reads them
 * (same filter, indicators, theme expansion, checks and errors). */
struct drivers_rows {
    size_t n, k;
    double *x, *y;
};

/* On success *out is new; caller frees with drivers_rows_free. */
int drivers_rows_new(struct drivers_rows **out, const struct colstore *cs,
                     const struct drivers_spec *s,
                     const struct drivers_opts *opts, struct err *err);
void drivers_rows_free(struct drivers_rows *rows);

/* Where each driver should get to. */
struct drivers_target {
    const struct field *by; /* a categorical field: the best value's mean
                               among groups with at least min_n rows */
    int fixed;              /* 1: value for every driver instead */
    double value;
};

/* Importance-performance: fills every driver's perf, quadrant, target,
 * change and prio_rank, and r's dividing lines. For the outcome nps (the
 * 0-10 answer) also the change in NPS points: an OLS of each response's
 * NPS score (+100 promoter, 0 passive, -100 detractor; its mean is the
 * NPS) on the same drivers and rows, b_pts * (target - mean). Importance is the
 * LMG share, performance perf; a driver is high on either when above the mean
 * over the drivers. The best group is the one whose mean moves the outcome the
 * better way (b * (mean_g - mean) largest, lower for detractor). ERR_NOTFOUND
 * for an unknown target field; ERR_INVALID for a theme field as target-by or a
 * field with too many values. */
int drivers_prioritize(struct drivers_result *r, const struct colstore *cs,
                       const struct drivers_target *t, struct err *err);
