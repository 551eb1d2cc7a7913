#pragma once
/* Net Promoter Score: share of 9-10 minus share of 0-6 on the 0-10
 * question, in points (-100..100).
 *
 * The estimate's variance is the trinomial one,
 *     Var(NPS) = (p+ + p- - (p+ - p-)^2) / n     (proportion scale),
 * the standard error is 100 * sqrt(Var) points and the 95% CI is the Wald
 * interval NPS +- 1.96 SE, clipped to [-100, 100] (docs/metrics.md). */

#include <stdint.h>

struct estimate;

/* Counts of promoters (9-10), passives (7-8) and detractors (0-6). */
struct nps {
    int64_t promoters, passives, detractors;
};

#define NPS_INIT                                                               \
    {                                                                          \
        0, 0, 0                                                                \
    }

/* Counts one answer; a score outside 0..10 (-1 = not asked) is ignored. */
void nps_add(struct nps *a, int score);
/* Adds b's counts to a. */
void nps_merge(struct nps *a, const struct nps *b);
/* Builds the counts from a histogram of the scores 0..10. */
void nps_from_hist(struct nps *a, const int64_t hist[11]);
int64_t nps_n(const struct nps *a);
/* NPS in points; NAN when n == 0. */
double nps_value(const struct nps *a);
/* Trinomial variance of the NPS on the proportion scale (-1..1); NAN when
 * n == 0. */
double nps_variance(const struct nps *a);
/* n, value and SE in points, 95% CI. */
void nps_compute(struct estimate *out, const struct nps *a);
