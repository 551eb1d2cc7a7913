#pragma once
/* Case statistics for the closed loop (time to first response, time to
 * close, share within the SLA, cases per 1,000 responses) and the outer
 * loop's before/after comparisons. Pure functions: no store, no I/O, no
 * allocation. Every figure is a struct estimate carrying its n.
 *
 * Quantiles. The sample quantile is Hyndman-Fan type 7 (R's default,
 * numpy's "linear"): with the n values sorted, x(1) <= ... <= x(n), and
 * h = (n - 1) q + 1,
 *     Q(q) = x(floor h) + (h - floor h) (x(floor h + 1) - x(floor h)).
 * The median of an even sample is therefore the mean of the two middle
 * values.
 *
 * Its 95% CI is distribution-free, from order statistics: with
 * B ~ Bin(n, q) and F(k) = P(B <= k), the ranks are
 *     l = the largest  l in 0..n   with F(l - 1) <= 0.025   (F(-1) = 0)
 *     u = the smallest u in 1..n+1 with F(u - 1) >= 0.975   (F(n)  = 1)
 * and the CI is [x(l), x(u)]. P(x(l) <= true quantile < x(u)) =
 * F(u - 1) - F(l - 1) >= 0.95 for any continuous distribution: the
 * interval is equal-tailed and conservative (n = 10, median: ranks 2 and
 * 9, coverage 97.9%). Rank 0 and rank n + 1 mean the interval is unbounded
 * on that side; that side is NAN. Both sides are finite from n = 6 for
 * the median and from n = 36 for the 90th percentile (whose lower side is
 * finite from n = 2). The SE of a quantile is NAN: no normal-theory SE is
 * claimed.
 *
 * Rates per 1,000: k cases among n responses, 1000 k / n, with the Wilson
 * score 95% CI of k / n (prop.h) scaled by 1,000. Each response opens at
 * most one case, so 0 <= k <= n.
 *
 * Before/after changes: after - before, in points, for two independent
 * groups of responses.
 *   NPS    diff, CI and the significance flag are compare_nps's (compare.h):
 *          Wald CI from Var_before + Var_after, the trinomial variances of
 *          PRODUCT.md, and never significant when that SE is 0.
 *   share  Newcombe's hybrid score interval (Newcombe 1998, method 10) from
 *          the two Wilson intervals of prop_compute:
 *            lo = d - sqrt((p1 - l1)^2 + (u0 - p0)^2)
 *            hi = d + sqrt((u1 - p1)^2 + (p0 - l0)^2)
 *          with d = p1 - p0, p0 and [l0, u0] the share before and its
 *          Wilson CI, p1 and [l1, u1] after. It stays inside
 *          -100..100 and, unlike the Wald interval of compare_props, keeps
 *          its width at 0% or 100% and at small n; it has no p-value. */

#include <stddef.h>
#include <stdint.h>

#include "stats/estimate.h"

struct nps;
struct prop;

/* Durations of a set of cases, in whatever unit the caller chose (seconds,
 * hours); the estimates are in the same unit. */
struct casestats_durations {
    struct estimate median; /* type 7, order-statistic 95% CI */
    struct estimate p90;    /* 90th percentile, the same way */
};

/* A before/after change of one figure. */
struct casestats_change {
    int valid;              /* 0 when either group has no data */
    struct estimate before; /* the figure with its own n and 95% CI */
    struct estimate after;  /* likewise */
    double diff;            /* after - before, points; NAN when !valid */
    double lo, hi;          /* 95% CI of diff; NAN when !valid */
    int significant;        /* the CI excludes 0 (see the NPS rule above) */
};

/* Sorts x[0..n) ascending in place, with every non-finite value (NAN for
 * an open case, +-inf) moved after the finite ones, and returns how many
 * values are finite. The order of the non-finite tail is unspecified. */
size_t casestats_sort(double *x, size_t n);

/* The 1-based ranks of the order statistics bounding the 95% CI of the
 * q-quantile of n values (see above): *lo_rank in 0..n, where 0 means
 * unbounded below, and *hi_rank in 1..n+1, where n + 1 means unbounded
 * above. For n == 0 or q outside (0, 1) both are 0. */
void casestats_quantile_ranks(size_t *lo_rank, size_t *hi_rank, size_t n,
                              double q);

/* The type 7 q-quantile (0 < q < 1) of sorted[0..n) (ascending, all
 * finite, e.g. from casestats_sort) with its order-statistic 95% CI. n is
 * the n of the estimate; se is NAN; an unbounded side is NAN. n == 0 or a
 * q outside (0, 1) gives value, lo and hi NAN. sorted is borrowed. */
void casestats_quantile(struct estimate *out, const double *sorted, size_t n,
                        double q);

/* Median and 90th percentile of the durations x[0..n), in any order.
 * Sorts x in place (casestats_sort). Non-finite values are left out and
 * not counted in n: pass an open case as NAN. Note that leaving open cases
 * out makes the figures describe closed cases only; the caller says so or
 * reports the open count beside them. */
void casestats_durations(struct casestats_durations *out, double *x, size_t n);

/* k events per n responses, times 1,000, with the Wilson 95% CI scaled
 * the same way; se is 1000 sqrt(p (1 - p) / n). out->n is n. n <= 0, k < 0
 * or k > n gives value, se, lo and hi NAN. */
void casestats_rate_per_1000(struct estimate *out, int64_t k, int64_t n);

/* NPS after - before in points, through compare_nps; before and after are
 * filled by nps_compute. */
void casestats_nps_change(struct casestats_change *out,
                          const struct nps *before, const struct nps *after);

/* Share after - before in points, with Newcombe's hybrid score CI; before
 * and after are filled by prop_compute (percent, Wilson CI). */
void casestats_share_change(struct casestats_change *out,
                            const struct prop *before,
                            const struct prop *after);

/* 1 when the interval [lo, hi] lies wholly above or below 0, else 0 (also
 * when either end is NAN). */
int casestats_excludes_zero(double lo, double hi);
