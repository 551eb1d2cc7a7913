#pragma once
/* Emerging issues: how often each theme is mentioned per period, and a
 * test that flags a theme whose share of comments rises beyond its
 * normal variation (docs/text-analytics.md, "Emerging issues").
 *
 *   struct emerging_series *s;
 *   emerging_series_build(&s, cs, &q, DIM_MONTH, err);   counts per month
 *   emerging_run(tests, s->mentions, s->comments, s->n_themes,
 *                s->n_periods, &opts);                    flags
 *
 * The test, for theme j in period t against the `window` periods before
 * it (the baseline, B):
 *   - exact: given the c_t + C_B mentions in t and B together, c_t is
 *     Binomial(c_t + C_B, n_t / (n_t + N_B)) when the theme's rate is the
 *     same in both (n = comments); p_exact = P(X >= c_t).
 *   - quasi-binomial: phi = the baseline periods' Pearson chi-square /
 *     (k - 1), the extra-binomial variation of the theme's share;
 *     T = (c_t - n_t p_B) / sqrt(phi n_t p_B (1 - p_B) (1 + n_t / N_B)),
 *     p_quasi = P(t_{k-1} >= T).
 *   p = max(p_exact, p_quasi): a period is flagged only when its rise is
 *   beyond both binomial noise and the theme's own period-to-period
 *   variation. Within each period the themes' p-values are adjusted by
 *   Holm's method, so the chance of any false flag in a period is at
 *   most alpha. A flag also needs at least min_count mentions. */

#include <stddef.h>
#include <stdint.h>

#include "colstore/colstore.h"

struct emerging_own;
struct err;
struct field;
struct metrics_query;

/* ---- counts per theme and group, from the column store ---- */

/* Groups are a field's values (segments, districts, an age band) or,
 * for emerging issues, consecutive periods; without a field, one group
 * "all". The arrays below are indexed [theme * n_periods + t] where t is
 * the group. */
struct emerging_series {
    size_t n_themes;    /* colstore DIM_THEME codes */
    size_t n_periods;   /* groups; consecutive periods when is_period */
    const char *group;  /* the field's name, or NULL for none */
    int is_period;      /* the groups are periods (a time series) */
    int64_t *period_key;       /* [n_periods] period keys (is_period) */
    const char **period_label; /* [n_periods] the groups' labels */
    int64_t *comments;  /* [n_periods]: responses with an analysed
                         * comment that pass the filters */
    /* [theme * n_periods + t]: responses mentioning the theme, and those
     * whose mention of it is negative / positive (aspect sentiment) */
    int64_t *mentions, *negative, *positive;
    struct emerging_own *own; /* private */
};

/* Counts, for the rows q's filters pass (its --by is ignored; a theme
 * filter limits the themes counted, not the comments), the comments and
 * theme mentions per value of `group` (any field of the responses, binned
 * by q's --bins; a period's values are cut to q's date range), or in one
 * group without one. Caller frees *out with emerging_series_free.
 * ERR_NOTFOUND or ERR_INVALID as metrics_run for the field; ERR_INVALID
 * for theme as the group, or more than 100000 groups. */
int emerging_series_build(struct emerging_series **out,
                          const struct colstore *cs,
                          const struct metrics_query *q,
                          const struct field *group, struct err *err);
void emerging_series_free(struct emerging_series *s);

/* ---- the test ---- */

struct emerging_opts {
    int window;     /* baseline: the periods before, at most this many */
    int min_window; /* fewest baseline periods with comments (>= 2) */
    double alpha;   /* false-alarm rate per period, over all themes */
    int min_count;  /* fewest mentions in the period to flag */
};

#define EMERGING_OPTS_INIT                                                     \
    {                                                                          \
        6, 3, 0.01, 5                                                          \
    }

struct emerging_test {
    int tested;        /* 0: no baseline (too early or too few comments) */
    int64_t count, n;  /* mentions and comments in the period */
    double share;      /* count / n */
    double base_share; /* the baseline's share */
    int base_periods;  /* k: baseline periods used */
    double dispersion; /* phi (1 = binomial variation) */
    double z;          /* the quasi-binomial statistic T */
    double p_exact, p_quasi, p; /* one-sided p-values; p = the larger */
    double p_holm; /* p adjusted over the themes tested in the period */
    int flagged;
};

/* Tests every period of every theme: counts[j * n_periods + t] mentions
 * of theme j and totals[t] comments; fills out[j * n_periods + t].
 * Returns the number of flags. */
size_t emerging_run(struct emerging_test *out, const int64_t *counts,
                    const int64_t *totals, size_t n_themes, size_t n_periods,
                    const struct emerging_opts *o);

/* Holm's step-down adjustment of m p-values (p_adj[i] for p[i]). */
void emerging_holm(double *p_adj, const double *p, size_t m);
