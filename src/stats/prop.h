#pragma once
/* A proportion k of n, reported in percent with a Wilson score 95% CI:
 * CSAT top-two-box (4-5 on 1-5) and CES "easy" (5-7 on 1-7). Wilson stays
 * inside 0..100 and behaves at p = 0 or 1 and small n, where the Wald
 * interval collapses (docs/metrics.md). */

#include <stdint.h>

struct estimate;

struct prop {
    int64_t k; /* successes */
    int64_t n; /* trials */
};

#define PROP_INIT                                                              \
    {                                                                          \
        0, 0                                                                   \
    }

/* Counts one trial; hit != 0 is a success. */
void prop_add(struct prop *p, int hit);
void prop_merge(struct prop *a, const struct prop *b);
/* k/n in percent; NAN when n == 0. */
double prop_value(const struct prop *p);
/* n, value and SE sqrt(p(1-p)/n) in percent, Wilson 95% CI. */
void prop_compute(struct estimate *out, const struct prop *p);
