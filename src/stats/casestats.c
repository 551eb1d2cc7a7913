#include "stats/casestats.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdlib.h>

#include "stats/compare.h"
#include "stats/nps.h"
#include "stats/prop.h"

/* The tail mass on each side of the 95% order-statistic interval. */
#define TAIL 0.025

static int cmp_double(const void *pa, const void *pb)
{
    double a = *(const double *)pa, b = *(const double *)pb;
    return (a > b) - (a < b);
}

size_t casestats_sort(double *x, size_t n)
{
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        if (isfinite(x[i])) {
            double t = x[m];
            x[m++] = x[i];
            x[i] = t;
        }
    }
    if (m > 1)
        qsort(x, m, sizeof *x, cmp_double);
    return m;
}

/* F(k) = P(B <= k) for B ~ Bin(n, q), on the whole range -1..n. This is
 * what gsl_cdf_binomial_P computes, called with doubles so that n is not
 * limited to unsigned int. */
static double binom_cdf(int64_t k, int64_t n, double q)
{
    if (k < 0)
        return 0.0;
    if (k >= n)
        return 1.0;
    return gsl_cdf_beta_Q(q, (double)k + 1.0, (double)(n - k));
}

void casestats_quantile_ranks(size_t *lo_rank, size_t *hi_rank, size_t n,
                              double q)
{
    *lo_rank = *hi_rank = 0;
    if (n == 0 || !(q > 0.0 && q < 1.0))
        return;
    int64_t nn = (int64_t)n;
    /* F is non-decreasing, so both ranks are found by bisection in
     * O(log n) CDF calls. Invariant: F(lo) <= TAIL < F(hi). */
    int64_t lo = -1, hi = nn;
    while (hi - lo > 1) {
        int64_t mid = lo + (hi - lo) / 2;
        if (binom_cdf(mid, nn, q) <= TAIL)
            lo = mid;
        else
            hi = mid;
    }
    *lo_rank = (size_t)(lo + 1); /* l - 1 = lo */
    /* Invariant: F(lo) < 1 - TAIL <= F(hi). */
    lo = -1;
    hi = nn;
    while (hi - lo > 1) {
        int64_t mid = lo + (hi - lo) / 2;
        if (binom_cdf(mid, nn, q) >= 1.0 - TAIL)
            hi = mid;
        else
            lo = mid;
    }
    *hi_rank = (size_t)(hi + 1); /* u - 1 = hi */
}

void casestats_quantile(struct estimate *out, const double *sorted, size_t n,
                        double q)
{
    estimate_clear(out);
    out->n = (int64_t)n;
    if (n == 0 || !(q > 0.0 && q < 1.0))
        return;
    /* Type 7 with 0-based indices: h = (n - 1) q. */
    double h = (double)(n - 1) * q;
    size_t j = (size_t)floor(h);
    double g = h - (double)j;
    if (j + 1 < n)
        out->value = sorted[j] + g * (sorted[j + 1] - sorted[j]);
    else
        out->value = sorted[n - 1];
    size_t l, u;
    casestats_quantile_ranks(&l, &u, n, q);
    if (l >= 1)
        out->lo = sorted[l - 1];
    if (u <= n)
        out->hi = sorted[u - 1];
}

void casestats_durations(struct casestats_durations *out, double *x, size_t n)
{
    size_t m = casestats_sort(x, n);
    casestats_quantile(&out->median, x, m, 0.5);
    casestats_quantile(&out->p90, x, m, 0.9);
}

void casestats_rate_per_1000(struct estimate *out, int64_t k, int64_t n)
{
    estimate_clear(out);
    if (n <= 0 || k < 0 || k > n) {
        out->n = n > 0 ? n : 0;
        return;
    }
    struct prop p = {k, n};
    prop_compute(out, &p);
    /* prop_compute works in percent; per 1,000 is ten times that. */
    out->value *= 10.0;
    out->se *= 10.0;
    out->lo *= 10.0;
    out->hi *= 10.0;
}

static void change_clear(struct casestats_change *out)
{
    out->valid = 0;
    estimate_clear(&out->before);
    estimate_clear(&out->after);
    out->diff = out->lo = out->hi = NAN;
    out->significant = 0;
}

void casestats_nps_change(struct casestats_change *out,
                          const struct nps *before, const struct nps *after)
{
    struct comparison c;
    change_clear(out);
    nps_compute(&out->before, before);
    nps_compute(&out->after, after);
    compare_nps(&c, before, after); /* diff = b - a = after - before */
    if (!c.valid)
        return;
    out->valid = 1;
    out->diff = c.diff;
    out->lo = c.lo;
    out->hi = c.hi;
    /* compare_nps also refuses to call a zero-SE difference significant. */
    out->significant = c.significant && casestats_excludes_zero(c.lo, c.hi);
}

void casestats_share_change(struct casestats_change *out,
                            const struct prop *before, const struct prop *after)
{
    change_clear(out);
    prop_compute(&out->before, before);
    prop_compute(&out->after, after);
    if (before->n <= 0 || after->n <= 0 || before->k < 0 ||
        before->k > before->n || after->k < 0 || after->k > after->n)
        return;
    const struct estimate *b = &out->before, *a = &out->after;
    double d = a->value - b->value;
    double dl = hypot(a->value - a->lo, b->hi - b->value);
    double du = hypot(a->hi - a->value, b->value - b->lo);
    out->valid = 1;
    out->diff = d;
    out->lo = d - dl;
    out->hi = d + du;
    out->significant = casestats_excludes_zero(out->lo, out->hi);
}

int casestats_excludes_zero(double lo, double hi)
{
    return lo > 0.0 || hi < 0.0;
}
