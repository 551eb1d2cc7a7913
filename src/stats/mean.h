#pragma once
/* A streaming mean and variance (Welford), with a t-based 95% CI:
 * mean +- t(0.975, n-1) * s / sqrt(n). Used for the CSAT mean (1-5) and
 * the CES mean (1-7). Accumulators merge exactly (Chan et al.), so
 * threads or groups can be combined. */

#include <stdint.h>

struct estimate;

struct mean {
    int64_t n;
    double m;  /* running mean */
    double m2; /* sum of squared deviations from the mean */
};

#define MEAN_INIT                                                              \
    {                                                                          \
        0, 0.0, 0.0                                                            \
    }

void mean_add(struct mean *a, double x);
void mean_merge(struct mean *a, const struct mean *b);
/* Sets a from integer moments: n values with sum and sum of squares.
 * Exact for the small integer scales of the metrics engine. */
void mean_from_sums(struct mean *a, int64_t n, int64_t sum, int64_t sumsq);
/* Sample variance (n - 1 denominator); NAN when n < 2. */
double mean_variance(const struct mean *a);
/* n, mean, SE s/sqrt(n) and t-based 95% CI; SE and CI NAN when n < 2. */
void mean_compute(struct estimate *out, const struct mean *a);
