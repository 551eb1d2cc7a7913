#pragma once
/* Moments of truth: the touchpoints and stages whose experience best
 * predicts whether a customer stays, measured against the flags the
 * organisation set by hand (docs/journeys.md).
 *
 * For every NPS answer at a touchpoint whose window is over (the answer
 * plus `window` lies before the end of the data), the outcome is whether
 * the customer has an `activity` event (notice, move_out, churn) within
 * `window` after it. Per touchpoint (and per stage, over its
 * touchpoints' answers): the share leaving after a detractor answer
 * against after a promoter answer, the difference in points with its
 * 95% CI (z test, unpooled), and the correlation of the 0-10 answer with
 * leaving (point-biserial, Fisher z CI). A touchpoint is a measured
 * moment of truth when detractors leave significantly more (Holm's
 * correction over the touchpoints tested, p < 0.05) and it is among the
 * `top` largest differences. */

#include <stddef.h>
#include <stdint.h>

#include "stats/compare.h"
#include "stats/estimate.h"

struct colstore;
struct err;
struct metrics_query;

struct journey_moment {
    int code;         /* touchpoint or stage code */
    const char *key;  /* borrowed */
    const char *name; /* borrowed */
    int flagged;      /* the organisation's moment_of_truth (a stage:
                         any of its touchpoints) */
    int measured;     /* found here */
    int tested;       /* both groups had min_n answers */
    size_t answers;   /* NPS answers with the window over */
    struct estimate left_detractor, left_promoter; /* percent, Wilson */
    struct comparison diff; /* left_detractor - left_promoter, points */
    double p_holm;          /* p adjusted over the rows tested */
    double r, r_lo, r_hi;   /* correlation of the answer with leaving */
};

struct journey_moments {
    char activity[64];
    int64_t window;   /* seconds */
    int64_t data_end; /* UTC seconds: the last answer or event */
    size_t answers;   /* used */
    size_t too_late;  /* left out: their window is not over */
    size_t n_tp, n_st;
    struct journey_moment *tp; /* touchpoints, largest difference first */
    struct journey_moment *st; /* stages, the same */
    int top;
};

struct journey_moments_opts {
    const char *activity; /* what leaving is; default "notice" */
    int64_t window;       /* default 365 days */
    int min_n;            /* a row needs this many answers in each group
                             to be tested; default 30 */
    int top;              /* measured moments: at most this many; default 3 */
    const uint8_t *use;   /* response rows to use; NULL = all */
};

#define JOURNEY_MOMENTS_OPTS_INIT                                              \
    {                                                                          \
        "notice", 365 * 86400LL, 30, 3, NULL                                   \
    }

/* Needs the events loaded. ERR_INVALID when they are not, or for a window
 * <= 0; ERR_NOTFOUND when no event has the activity. On success *out is
 * new; caller frees with journey_moments_free. */
int journey_moments_build(struct journey_moments **out,
                          const struct colstore *cs,
                          const struct journey_moments_opts *opts,
                          struct err *err);
void journey_moments_free(struct journey_moments *m);
