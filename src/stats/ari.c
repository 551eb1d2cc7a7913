#include "stats/ari.h"

#include <math.h>
#include <stdlib.h>

#include "core/xalloc.h"

static double choose2(double x)
{
    return x * (x - 1) / 2;
}

/* Maps labels to dense codes 0..k-1 by sorting a copy of (label, index). */
struct pair {
    uint32_t label;
    size_t i;
};

static int cmp_pair(const void *x, const void *y)
{
    const struct pair *p = x, *q = y;
    if (p->label != q->label)
        return p->label < q->label ? -1 : 1;
    return p->i < q->i ? -1 : p->i > q->i;
}

static size_t densify(const uint32_t *v, size_t n, uint32_t *out)
{
    struct pair *p = xmalloc(n * sizeof *p);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        p[i].label = v[i];
        p[i].i = i;
    }
    qsort(p, n, sizeof *p, cmp_pair);
    for (size_t i = 0; i < n; i++) {
        if (i > 0 && p[i].label != p[i - 1].label)
            k++;
        out[p[i].i] = (uint32_t)k;
    }
    free(p);
    return k + 1;
}

/* Pairs of (code a, code b) sorted, to count the contingency cells
 * without a ka x kb table (which could be n x n). */
static int cmp_u64(const void *x, const void *y)
{
    uint64_t p = *(const uint64_t *)x, q = *(const uint64_t *)y;
    return p < q ? -1 : p > q;
}

double ari_compute(const uint32_t *a, const uint32_t *b, size_t n)
{
    if (n < 2)
        return NAN;
    uint32_t *da = xmalloc(n * sizeof *da), *db = xmalloc(n * sizeof *db);
    size_t ka = densify(a, n, da), kb = densify(b, n, db);
    double *ra = xcalloc(ka, sizeof *ra), *cb = xcalloc(kb, sizeof *cb);
    uint64_t *cell = xmalloc(n * sizeof *cell);
    for (size_t i = 0; i < n; i++) {
        ra[da[i]]++;
        cb[db[i]]++;
        cell[i] = (uint64_t)da[i] << 32 | db[i];
    }
    qsort(cell, n, sizeof *cell, cmp_u64);
    double sij = 0, sa = 0, sb = 0;
    for (size_t i = 0, run = 1; i < n; i++, run++)
        if (i + 1 == n || cell[i + 1] != cell[i]) {
            sij += choose2((double)run);
            run = 0;
        }
    for (size_t i = 0; i < ka; i++)
        sa += choose2(ra[i]);
    for (size_t j = 0; j < kb; j++)
        sb += choose2(cb[j]);
    double e = sa * sb / choose2((double)n), m = (sa + sb) / 2;
    double ari = m - e == 0 ? NAN : (sij - e) / (m - e);
    free(da);
    free(db);
    free(ra);
    free(cb);
    free(cell);
    return ari;
}
