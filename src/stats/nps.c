#include "stats/nps.h"

#include <math.h>

#include "stats/estimate.h"

void nps_add(struct nps *a, int score)
{
    if (score < 0 || score > 10)
        return;
    if (score >= 9)
        a->promoters++;
    else if (score >= 7)
        a->passives++;
    else
        a->detractors++;
}

void nps_merge(struct nps *a, const struct nps *b)
{
    a->promoters += b->promoters;
    a->passives += b->passives;
    a->detractors += b->detractors;
}

void nps_from_hist(struct nps *a, const int64_t hist[11])
{
    a->promoters = hist[9] + hist[10];
    a->passives = hist[7] + hist[8];
    a->detractors = 0;
    for (int s = 0; s <= 6; s++)
        a->detractors += hist[s];
}

int64_t nps_n(const struct nps *a)
{
    return a->promoters + a->passives + a->detractors;
}

double nps_value(const struct nps *a)
{
    int64_t n = nps_n(a);
    if (n <= 0)
        return NAN;
    return 100.0 * (double)(a->promoters - a->detractors) / (double)n;
}

double nps_variance(const struct nps *a)
{
    int64_t n = nps_n(a);
    if (n <= 0)
        return NAN;
    double pp = (double)a->promoters / (double)n;
    double pd = (double)a->detractors / (double)n;
    double v = (pp + pd - (pp - pd) * (pp - pd)) / (double)n;
    return v < 0 ? 0 : v; /* rounding can leave -1e-17 when all agree */
}

void nps_compute(struct estimate *out, const struct nps *a)
{
    estimate_clear(out);
    out->n = nps_n(a);
    if (out->n <= 0)
        return;
    out->value = nps_value(a);
    out->se = 100.0 * sqrt(nps_variance(a));
    out->lo = fmax(-100.0, out->value - ESTIMATE_Z95 * out->se);
    out->hi = fmin(100.0, out->value + ESTIMATE_Z95 * out->se);
}
