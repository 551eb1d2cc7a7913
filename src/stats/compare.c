#include "stats/compare.h"

#include <gsl/gsl_cdf.h>
#include <math.h>

#include "stats/estimate.h"
#include "stats/mean.h"
#include "stats/nps.h"
#include "stats/prop.h"

static void invalid(struct comparison *out, enum compare_test t)
{
    out->valid = 0;
    out->test = t;
    out->a = out->b = out->diff = out->se = out->lo = out->hi = NAN;
    out->stat = out->df = out->p = NAN;
    out->significant = 0;
}

/* Fills stat, p and CI for a normal-theory difference with known SE. */
static void finish_z(struct comparison *out)
{
    out->valid = 1;
    out->lo = out->diff - ESTIMATE_Z95 * out->se;
    out->hi = out->diff + ESTIMATE_Z95 * out->se;
    if (out->se > 0) {
        out->stat = out->diff / out->se;
        out->p = 2.0 * gsl_cdf_ugaussian_Q(fabs(out->stat));
    } else {
        out->stat = out->diff == 0 ? 0 : copysign(INFINITY, out->diff);
        out->p = out->diff == 0 ? 1.0 : 0.0;
    }
    out->significant = out->se > 0 && out->p < 0.05;
}

void compare_nps(struct comparison *out, const struct nps *a,
                 const struct nps *b)
{
    invalid(out, COMPARE_Z);
    if (nps_n(a) <= 0 || nps_n(b) <= 0)
        return;
    out->a = nps_value(a);
    out->b = nps_value(b);
    out->diff = out->b - out->a;
    out->se = 100.0 * sqrt(nps_variance(a) + nps_variance(b));
    finish_z(out);
}

void compare_props(struct comparison *out, const struct prop *a,
                   const struct prop *b)
{
    invalid(out, COMPARE_Z);
    if (a->n <= 0 || b->n <= 0)
        return;
    double pa = (double)a->k / (double)a->n;
    double pb = (double)b->k / (double)b->n;
    out->a = 100.0 * pa;
    out->b = 100.0 * pb;
    out->diff = out->b - out->a;
    out->se = 100.0 *
              sqrt(pa * (1 - pa) / (double)a->n + pb * (1 - pb) / (double)b->n);
    finish_z(out);
}

void compare_means(struct comparison *out, const struct mean *a,
                   const struct mean *b)
{
    invalid(out, COMPARE_WELCH);
    if (a->n < 2 || b->n < 2)
        return;
    double va = mean_variance(a) / (double)a->n;
    double vb = mean_variance(b) / (double)b->n;
    out->valid = 1;
    out->a = a->m;
    out->b = b->m;
    out->diff = b->m - a->m;
    out->se = sqrt(va + vb);
    if (out->se <= 0) {
        out->lo = out->hi = out->diff;
        out->stat = out->diff == 0 ? 0 : copysign(INFINITY, out->diff);
        out->p = out->diff == 0 ? 1.0 : 0.0;
        return;
    }
    /* Welch-Satterthwaite: (va + vb)^2 / (va^2/(na-1) + vb^2/(nb-1)). */
    out->df = (va + vb) * (va + vb) /
              (va * va / (double)(a->n - 1) + vb * vb / (double)(b->n - 1));
    double t = gsl_cdf_tdist_Pinv(0.975, out->df);
    out->lo = out->diff - t * out->se;
    out->hi = out->diff + t * out->se;
    out->stat = out->diff / out->se;
    out->p = 2.0 * gsl_cdf_tdist_Q(fabs(out->stat), out->df);
    out->significant = out->p < 0.05;
}

const char *compare_test_name(enum compare_test t)
{
    return t == COMPARE_WELCH ? "Welch t" : "z";
}
