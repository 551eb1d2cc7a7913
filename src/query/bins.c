/* Numeric fields as categories: fixed bins, quantile bins, or distinct
 * values (docs/metrics.md, "Numbers as dimensions"). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/xalloc.h"
#include "query/qfield_int.h"

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* How many of edges[0..n) are <= v: the bin of v. */
static uint32_t bin_of(const double *edges, size_t n, double v)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (edges[mid] <= v)
            lo = mid + 1;
        else
            hi = mid;
    }
    return (uint32_t)lo;
}

static void fmt(char *buf, size_t n, double v)
{
    snprintf(buf, n, "%.10g", v == 0 ? 0.0 : v);
}

/* Per-row codes from a value -> category function, with "(none)" last. */
static void fill_codes(struct qfield *qf, uint32_t n_values, const double *e,
                       size_t ne, const double *distinct)
{
    int width = n_values + 1 <= 256 ? 1 : n_values + 1 <= 65536 ? 2 : 4;
    void *codes = qfield_set_codes(qf, width);
    uint32_t none = n_values;
    for (size_t i = 0; i < qf->rows; i++) {
        double v = qf->num[i];
        uint32_t c;
        if (isnan(v))
            c = none;
        else if (distinct)
            c = bin_of(distinct, n_values, v) - 1;
        else
            c = bin_of(e, ne, v);
        if (width == 1)
            ((uint8_t *)codes)[i] = (uint8_t)c;
        else if (width == 2)
            ((uint16_t *)codes)[i] = (uint16_t)c;
        else
            ((uint32_t *)codes)[i] = c;
    }
    qf->n_codes = n_values + 1;
    qf->value_of = NULL;
    qf->none = none;
}

/* Fixed or quantile bins at edges[0..ne): ne + 1 bins. q > 0 numbers
 * them "Q1".. and closes the last at max. */
static void bins(struct qfield *qf, const double *e, size_t ne, int q,
                 double min, double max)
{
    uint32_t nb = (uint32_t)ne + 1;
    char a[40], b[40], buf[120];
    qfield_set_values(qf, nb + 1, 0, 0);
    for (uint32_t k = 0; k < nb; k++) {
        if (q) {
            fmt(a, sizeof a, k ? e[k - 1] : min);
            fmt(b, sizeof b, k < ne ? e[k] : max);
            snprintf(buf, sizeof buf, "Q%u [%s..%s%c", k + 1, a, b,
                     k < ne ? ')' : ']');
        } else if (k == 0) {
            fmt(b, sizeof b, e[0]);
            snprintf(buf, sizeof buf, "<%s", b);
        } else if (k == ne) {
            fmt(a, sizeof a, e[ne - 1]);
            snprintf(buf, sizeof buf, ">=%s", a);
        } else {
            fmt(a, sizeof a, e[k - 1]);
            fmt(b, sizeof b, e[k]);
            snprintf(buf, sizeof buf, "[%s..%s)", a, b);
        }
        qf->own->label[k] = qfield_own_str(qf, buf);
    }
    qf->own->label[nb] = COLSTORE_NONE;
    free(qf->edges);
    qf->edges = xmalloc((ne ? ne : 1) * sizeof *qf->edges);
    memcpy(qf->edges, e, ne * sizeof *e);
    qf->n_edges = ne;
    fill_codes(qf, nb, e, ne, NULL);
}

/* No number's bits: NaNs never reach the set. */
#define EMPTY_SLOT UINT64_C(0x7ff8000000000001)

static size_t slot_of(uint64_t key, size_t mask)
{
    key ^= key >> 33; /* the murmur3 finaliser: doubles' bits are uneven */
    key *= UINT64_C(0xff51afd7ed558ccd);
    key ^= key >> 33;
    return (size_t)key & mask;
}

/* The distinct numbers among the rows, sorted, in a hash set first so
 * only they are sorted, not every row. Sets *d to how many, or to more
 * than max (and returns NULL) when there are too many. Caller frees. */
static double *distinct_values(const struct qfield *qf, size_t max, size_t *d)
{
    size_t cap = 64, n = 0;
    uint64_t *set = xmalloc(cap * sizeof *set);
    for (size_t k = 0; k < cap; k++)
        set[k] = EMPTY_SLOT;
    for (size_t i = 0; i < qf->rows && n <= max; i++) {
        double v = qf->num[i];
        uint64_t key;
        if (isnan(v))
            continue;
        v = v == 0 ? 0.0 : v; /* -0 is 0 */
        memcpy(&key, &v, sizeof key);
        size_t k = slot_of(key, cap - 1);
        while (set[k] != EMPTY_SLOT && set[k] != key)
            k = (k + 1) & (cap - 1);
        if (set[k] == key)
            continue;
        set[k] = key;
        if (++n * 2 <= cap)
            continue;
        uint64_t *old = set; /* grow at half full */
        set = xmalloc(2 * cap * sizeof *set);
        for (size_t j = 0; j < 2 * cap; j++)
            set[j] = EMPTY_SLOT;
        for (size_t j = 0; j < cap; j++)
            if (old[j] != EMPTY_SLOT) {
                size_t t = slot_of(old[j], 2 * cap - 1);
                while (set[t] != EMPTY_SLOT)
                    t = (t + 1) & (2 * cap - 1);
                set[t] = old[j];
            }
        free(old);
        cap *= 2;
    }
    *d = n;
    if (n > max) {
        free(set);
        return NULL;
    }
    double *v = xmalloc((n ? n : 1) * sizeof *v);
    size_t m = 0;
    for (size_t k = 0; k < cap; k++)
        if (set[k] != EMPTY_SLOT)
            memcpy(&v[m++], &set[k], sizeof *v);
    free(set);
    qsort(v, m, sizeof *v, cmp_double);
    return v;
}

/* The values with a number, sorted; *m gets how many. Caller frees. */
static double *sorted_values(const struct qfield *qf, size_t *m)
{
    double *v = xmalloc((qf->rows ? qf->rows : 1) * sizeof *v);
    size_t k = 0;
    for (size_t i = 0; i < qf->rows; i++)
        if (!isnan(qf->num[i]))
            v[k++] = qf->num[i];
    qsort(v, k, sizeof *v, cmp_double);
    *m = k;
    return v;
}

int qfield_categorize(struct qfield *qf, const double *edges, size_t n_edges,
                      uint32_t max_values, struct err *err)
{
    if (!qf->num) {
        if (n_edges || qf->f.quantiles)
            return err_set(err, ERR_INVALID,
                           "%s is not numeric, so it cannot be binned",
                           qf->f.text);
        return 0;
    }
    if (n_edges) {
        for (size_t i = 1; i < n_edges; i++)
            if (!(edges[i] > edges[i - 1]))
                return err_set(err, ERR_INVALID, "bins for %s must increase",
                               qf->f.text);
        bins(qf, edges, n_edges, 0, 0, 0);
        return 0;
    }
    if (qf->f.quantiles) {
        size_t m;
        double *v = sorted_values(qf, &m);
        int q = qf->f.quantiles;
        double *e = xmalloc((size_t)q * sizeof *e);
        size_t ne = 0;
        /* Edge k is the smallest value at or above the k/q quantile
         * (type 1, inverse of the empirical distribution); ties merge
         * bins, so there may be fewer than q. */
        for (int k = 1; k < q && m; k++) {
            size_t at = (size_t)ceil((double)k * (double)m / q) - 1;
            double x = v[at < m ? at : m - 1];
            if (x > v[0] && (!ne || x > e[ne - 1]))
                e[ne++] = x;
        }
        if (m)
            bins(qf, e, ne, 1, v[0], v[m - 1]);
        else
            bins(qf, e, 0, 1, NAN, NAN);
        free(e);
        free(v);
        return 0;
    }
    size_t d;
    double *v = distinct_values(qf, max_values, &d);
    if (!v)
        return err_set(err, ERR_INVALID,
                       "%s has more than %u distinct values; group it into "
                       "bins (--bins %s=EDGE,EDGE,... or %s:q4)",
                       qf->f.text, max_values, qf->f.text, qf->f.text);
    qfield_set_values(qf, (uint32_t)d + 1, 0, 0);
    for (size_t i = 0; i < d; i++) {
        char buf[40];
        fmt(buf, sizeof buf, v[i]);
        qf->own->label[i] = qfield_own_str(qf, buf);
    }
    qf->own->label[d] = COLSTORE_NONE;
    fill_codes(qf, (uint32_t)d, NULL, 0, v);
    free(v);
    return 0;
}
