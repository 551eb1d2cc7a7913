#pragma once
/* The effect of operations on experience: an operational measure (an
 * event feature such as event.fault_report.resolution_hours, a customer
 * or response attribute, any numeric field) against an experience
 * outcome (NPS, CSAT, CES, the promoter or detractor share, a rating or
 * other numeric field), and optionally churn by NPS group and revenue at
 * risk. docs/gap-link.md is the method.
 *
 * Over the responses the filter lets through that have both the measure
 * and the outcome:
 *
 *   bands   the outcome per band of the measure (edges as --bins takes
 *           them, or quantiles; default quartiles), with n and a 95% CI:
 *           NPS (trinomial, Wald), shares (Wilson), means (t)
 *   trend   the linear-by-linear association test across the bands
 *           (Mantel): band scores 1..k, M^2 = (N - 1) r^2 with r the
 *           Pearson correlation of band score and outcome score, p from
 *           chi-square with 1 df; its sign is r's
 *   effect  the OLS slope of the per-response outcome score on the
 *           measure, per unit of the measure, with its t CI and p. The
 *           score is +100 / 0 / -100 for a promoter / passive /
 *           detractor (so the slope is in NPS points), 100 or 0 for the
 *           promoter or detractor share (percentage points), the answer
 *           itself for CSAT (1-5), CES (1-7) or a field
 *
 * Churn (q->churn set): each customer's first response among those the
 * filter lets through with an NPS answer gives the customer's NPS group;
 * the customer churned when it has a q->churn event in the window
 * (t, t + churn_window] after that response. A customer whose response
 * is less than the window before the data's latest event is left out
 * (censored: its window is not over). Shares per group with
 * Wilson CIs and detractor - promoter (z test, unpooled SE). Revenue at
 * risk = revenue of the detractor customers x that difference, with the
 * difference's CI carried through (the revenue taken as known).
 *
 * Reads the column store only: the fields (link_query_fields) must be
 * loaded first (query/prepare.h). Nothing prints. */

#include <stddef.h>
#include <stdint.h>

#include "query/field.h"
#include "stats/compare.h"
#include "stats/estimate.h"

struct colstore;
struct err;
struct metrics_query;

/* Most bands (edges + 1, or quantiles). */
#define LINK_MAX_BANDS 100
/* Default number of quantile bands. */
#define LINK_DEFAULT_QUANTILES 4

enum link_outcome {
    LINK_NPS,
    LINK_CSAT,
    LINK_CES,
    LINK_PROMOTER,
    LINK_DETRACTOR,
    LINK_FIELD /* a numeric field: its mean */
};

/* Parses "nps", "csat", "ces", "promoter", "detractor" or a field (into
 * *f, which is then the outcome). ERR_INVALID for a bad field. */
int link_outcome_parse(enum link_outcome *out, struct field *f, const char *s,
                       size_t n, struct err *err);
/* "nps", ..., "field". */
const char *link_outcome_name(enum link_outcome o);

/* Parses --bands: "qN" (N quantile bands, 2..LINK_MAX_BANDS) into
 * *quantiles, or increasing edges "E1,E2,..." into *edges (caller frees
 * with free()) and *n. ERR_INVALID with a message otherwise. */
int link_bands_parse(double **edges, size_t *n, int *quantiles, const char *s,
                     struct err *err);
/* Parses a window "Nd", "Nw" or "Nh" (N 1..100000) into seconds.
 * ERR_INVALID otherwise. */
int link_window_parse(int64_t *secs, const char *s, size_t n, struct err *err);

struct link_query {
    struct field measure; /* numeric; its :qN gives quantile bands */
    enum link_outcome outcome;
    struct field outcome_field; /* LINK_FIELD */
    const double *edges;        /* band edges (borrowed), or NULL */
    size_t n_edges;
    /* N quantile bands when there are no edges; 0: the measure's own
     * :qN, or LINK_DEFAULT_QUANTILES */
    int quantiles;
    const struct metrics_query *filter; /* --where and dates, or NULL */
    /* churn, optional */
    const char *churn;          /* the activity, or NULL */
    int64_t churn_window;       /* seconds after the response, > 0 */
    int revenue;                /* 0 none, 1 revenue_field, 2 revenue_each */
    struct field revenue_field; /* numeric, per response's customer */
    double revenue_each;        /* the same revenue for every customer */
};

/* Sets q to the defaults: outcome NPS, quartile bands, no filter, no
 * churn or revenue. */
void link_query_init(struct link_query *q);

/* The churn field of q (event.ACTIVITY:count:+WINDOW), for loading and
 * resolving. ERR_INVALID for a bad activity name. */
int link_churn_field(struct field *out, const struct link_query *q,
                     struct err *err);

/* Calls fn for each field q reads beyond its filter (measure, outcome
 * field, churn, revenue); stops at fn's first non-zero return and
 * returns it. */
int link_query_fields(const struct link_query *q,
                      int (*fn)(void *ctx, const struct field *f), void *ctx,
                      struct err *err);

struct link_band {
    const char *label;       /* "[24..72)", "Q1 [5..30)" (borrowed) */
    int64_t n;               /* responses with the measure and the outcome */
    double measure_mean;     /* mean of the measure in the band */
    struct estimate outcome; /* NPS points, % or mean, with 95% CI */
};

/* NPS groups, in this order. */
enum link_group { LINK_DETRACTORS, LINK_PASSIVES, LINK_PROMOTERS };

struct link_result {
    enum link_outcome outcome;
    char measure[FIELD_MAX_TEXT];
    char outcome_text[FIELD_MAX_TEXT]; /* "nps" ... or the field */
    int64_t rows_passed;               /* responses the filter let through */
    int64_t n;          /* ... with both the measure and the outcome */
    int64_t no_measure; /* ... with the outcome but not the measure */
    size_t n_bands;
    struct link_band *bands; /* bands with responses, in order */
    double measure_mean, measure_sd;

    /* trend across bands (linear-by-linear); valid = 0 with fewer than
     * two bands */
    int trend_valid;
    double trend_r;    /* Pearson r of band score and outcome score */
    double trend_stat; /* M^2 */
    double trend_p;

    /* the effect per unit of the measure (OLS) */
    struct estimate slope; /* n = responses used */
    double slope_p;
    double intercept;
    double r2;

    /* churn (has_churn) */
    int has_churn;
    char churn[FIELD_MAX_NAME];
    int64_t churn_window;
    int64_t customers;            /* customers counted (one response each) */
    int64_t censored;             /* customers left out: their response is
                                   * less than the window before the latest
                                   * event in the data */
    struct estimate churned[3];   /* % per enum link_group, Wilson */
    struct comparison churn_diff; /* detractors - promoters, points */

    /* revenue at risk (revenue != 0) */
    int revenue; /* as in the query */
    char revenue_text[FIELD_MAX_TEXT];
    double revenue_detractors; /* summed over detractor customers */
    int64_t revenue_n;         /* detractor customers with a revenue */
    int64_t revenue_missing;   /* detractor customers without one */
    struct estimate at_risk;   /* value, lo, hi; n = revenue_n */

    struct link_own *own; /* private */
};

/* Runs q over cs. On success *out is a new result, caller frees with
 * link_result_free. Errors: ERR_NOTFOUND for an unknown field, activity
 * or filter value; ERR_INVALID for a measure or outcome that is not
 * numeric, bands on a field that has no numbers, fewer than 3 responses
 * with both measure and outcome, a measure with the same value for
 * every such response ("constant"), an outcome with the same value for
 * all of them, or a churn window or revenue that does not fit. */
int link_run(struct link_result **out, const struct colstore *cs,
             const struct link_query *q, struct err *err);
void link_result_free(struct link_result *r);
