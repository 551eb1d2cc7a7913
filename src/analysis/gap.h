#pragma once
/* The expectation-perception gap (SERVQUAL): for each question KEY
 * answered as a pair (expect:KEY, perceive:KEY on the same scale), how far
 * what was delivered fell short of or beat what was expected, and how
 * that relates to the recommendation (NPS). docs/gap-link.md is the
 * method.
 *
 * Per question, for all responses the filter lets through and then per
 * value of an optional group field (touchpoint, segment, any field
 * metrics groups by), over the n responses that answered both halves:
 *
 *   expectation, perception   means with t 95% CIs
 *   gap                       mean of d = perception - expectation with
 *                             the paired t CI: d-bar +- t(0.975, n-1)
 *                             s_d / sqrt(n)
 *   unmet                     share (%) of pairs with d < 0, Wilson CI
 *   slope                     OLS slope of nps_score (0..10) on d, over
 *                             the pairs that also answered NPS: NPS scale
 *                             points per gap point, t CI and p
 *   nps_met, nps_unmet        NPS of the pairs with d >= 0 and d < 0, and
 *                             the difference unmet - met (z test on the
 *                             trinomial variances, stats/compare.h)
 *
 * Reads the column store only: the expect:/perceive: columns (and what
 * the filter and group field name) must be loaded first
 * (query/prepare.h; gap_query_fields lists them). Nothing prints. */

#include <stddef.h>
#include <stdint.h>

#include "query/field.h"
#include "stats/compare.h"
#include "stats/estimate.h"

struct colstore;
struct err;
struct metrics_query;

/* Most questions one run takes. */
#define GAP_MAX_KEYS 64
/* Most values of a group field (after bins). */
#define GAP_MAX_GROUPS 1000

struct gap_query {
    const char *const *keys; /* question keys (borrowed), n_keys >= 1 */
    size_t n_keys;
    const struct field *by; /* group field, or NULL: overall rows only */
    const double *edges;    /* bins for a numeric group field, or NULL */
    size_t n_edges;
    const struct metrics_query *filter; /* --where and dates (its --by is
                                         * ignored), or NULL: every row */
};

/* One row: a question overall (group NULL) or within one group. */
struct gap_row {
    const char *key;        /* the question (borrowed from the result) */
    const char *group;      /* the group's key, NULL for "all" */
    const char *group_name; /* its name for people, NULL for "all" */
    int64_t n;              /* pairs */
    struct estimate expect, perceive; /* means, t CI */
    struct estimate gap;   /* mean perception - expectation, paired t CI */
    double gap_sd;         /* s_d; NaN when n < 2 */
    struct estimate unmet; /* % with gap < 0, Wilson CI */
    struct estimate slope; /* OLS slope of nps_score on gap; n = pairs
                            * with an NPS answer; NaN when it cannot be
                            * fitted (fewer than 3 such pairs, a constant
                            * gap or NPS) */
    double slope_p;        /* its two-sided t-test p-value, or NaN */
    struct estimate nps_met, nps_unmet; /* NPS (points), trinomial CI */
    struct comparison nps_diff;         /* unmet - met */
};

struct gap_result {
    size_t n_rows;
    struct gap_row *rows;    /* per question: the overall row, then its groups
                              * in the field's display order (groups without
                              * pairs are left out) */
    char by[FIELD_MAX_TEXT]; /* the group field's name, "" for none */
    int64_t rows_passed;     /* responses the filter let through */
    size_t n_dropped;        /* questions without any pair (left out) */
    char **dropped;          /* their keys */
    struct gap_own *own;     /* private */
};

/* Calls fn for each field q reads beyond its filter (expect:KEY and
 * perceive:KEY of every key, the group field), so a caller can load them
 * (query_prepare_field); stops at fn's first non-zero return and returns
 * it. ERR_INVALID (as a return, err set) for a key that does not make a
 * field. */
int gap_query_fields(const struct gap_query *q,
                     int (*fn)(void *ctx, const struct field *f), void *ctx,
                     struct err *err);

/* Runs q over cs. On success *out is a new result, caller frees with
 * gap_result_free. Errors: ERR_INVALID for no keys, more than
 * GAP_MAX_KEYS, a theme group field (many per response) or bins on a
 * text field, or when no question has a single pair among the rows the
 * filter lets through ("no response answers both ..."); ERR_NOTFOUND for
 * a question without expect:/perceive: answers at all, or an unknown
 * group field or filter value. */
int gap_run(struct gap_result **out, const struct colstore *cs,
            const struct gap_query *q, struct err *err);
void gap_result_free(struct gap_result *r);
