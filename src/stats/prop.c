#include "stats/prop.h"

#include <math.h>

#include "stats/estimate.h"

void prop_add(struct prop *p, int hit)
{
    p->n++;
    p->k += hit != 0;
}

void prop_merge(struct prop *a, const struct prop *b)
{
    a->k += b->k;
    a->n += b->n;
}

double prop_value(const struct prop *p)
{
    return p->n > 0 ? 100.0 * (double)p->k / (double)p->n : NAN;
}

void prop_compute(struct estimate *out, const struct prop *p)
{
    estimate_clear(out);
    out->n = p->n;
    if (p->n <= 0)
        return;
    double n = (double)p->n, ph = (double)p->k / n;
    double z = ESTIMATE_Z95, z2 = z * z;
    double denom = 1.0 + z2 / n;
    double centre = (ph + z2 / (2.0 * n)) / denom;
    double half = z / denom * sqrt(ph * (1.0 - ph) / n + z2 / (4.0 * n * n));
    out->value = 100.0 * ph;
    out->se = 100.0 * sqrt(ph * (1.0 - ph) / n);
    out->lo = 100.0 * fmax(0.0, centre - half);
    out->hi = 100.0 * fmin(1.0, centre + half);
}
