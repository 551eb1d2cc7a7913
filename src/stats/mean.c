#include "stats/mean.h"

#include <gsl/gsl_cdf.h>
#include <math.h>

#include "stats/estimate.h"

void mean_add(struct mean *a, double x)
{
    a->n++;
    double d = x - a->m;
    a->m += d / (double)a->n;
    a->m2 += d * (x - a->m);
}

void mean_merge(struct mean *a, const struct mean *b)
{
    if (b->n == 0)
        return;
    if (a->n == 0) {
        *a = *b;
        return;
    }
    double na = (double)a->n, nb = (double)b->n, n = na + nb;
    double d = b->m - a->m;
    a->m += d * nb / n;
    a->m2 += b->m2 + d * d * na * nb / n;
    a->n += b->n;
}

void mean_from_sums(struct mean *a, int64_t n, int64_t sum, int64_t sumsq)
{
    a->n = n;
    a->m = 0;
    a->m2 = 0;
    if (n <= 0)
        return;
    /* long double keeps sum^2/n exact enough for 1..7 scales up to
     * billions of answers; the subtraction is the only rounding. */
    long double s = (long double)sum;
    a->m = (double)(s / (long double)n);
    long double m2 = (long double)sumsq - s * s / (long double)n;
    a->m2 = m2 > 0 ? (double)m2 : 0.0;
}

double mean_variance(const struct mean *a)
{
    return a->n >= 2 ? a->m2 / (double)(a->n - 1) : NAN;
}

void mean_compute(struct estimate *out, const struct mean *a)
{
    estimate_clear(out);
    out->n = a->n;
    if (a->n <= 0)
        return;
    out->value = a->m;
    if (a->n < 2)
        return;
    out->se = sqrt(mean_variance(a) / (double)a->n);
    double t = gsl_cdf_tdist_Pinv(0.975, (double)(a->n - 1));
    out->lo = out->value - t * out->se;
    out->hi = out->value + t * out->se;
}
