/* Sense-making patterns of triads and dyads (patterns.h). */
#include "analysis/patterns.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "colstore/colstore.h"
#include "core/err.h"
#include "core/rng.h"
#include "core/xalloc.h"
#include "query/qfield.h"
#include "stats/mean.h"
#include "stats/metrics.h"
#include "stats/prop.h"

#define G PATTERNS_GRID
#define N_UP (G * (G + 1) / 2)
/* The k-means seed: the same data give the same clusters. */
#define KMEANS_SEED 20031
#define KMEANS_ITER 100
/* Most answers k-means is fitted on. */
#define KMEANS_FIT 20000

struct patterns_own {
    struct qfield *group; /* group labels point into it */
};

void patterns_result_free(struct patterns_result *r)
{
    if (!r)
        return;
    if (r->own) {
        qfield_free(r->own->group);
        free(r->own);
    }
    free(r->triad_rows);
    free(r->dyad_rows);
    free(r);
}

/* ---- compositions ---- */

void patterns_ilr(double z[2], const double x[3])
{
    z[0] = M_SQRT1_2 * log(x[0] / x[1]);
    z[1] = sqrt(2.0 / 3.0) * (0.5 * (log(x[0]) + log(x[1])) - log(x[2]));
}

void patterns_ilr_inv(double x[3], const double z[2])
{
    /* clr = z1 e1 + z2 e2 with the orthonormal basis e1 = (1, -1, 0)/sqrt2,
     * e2 = (1, 1, -2)/sqrt6; x = closure(exp(clr)) */
    double c[3] = {z[0] * M_SQRT1_2 + z[1] / sqrt(6.0),
                   -z[0] * M_SQRT1_2 + z[1] / sqrt(6.0),
                   -2.0 * z[1] / sqrt(6.0)};
    double m = fmax(c[0], fmax(c[1], c[2])), s = 0;
    for (int p = 0; p < 3; p++)
        s += x[p] = exp(c[p] - m);
    for (int p = 0; p < 3; p++)
        x[p] /= s;
}

/* Multiplicative replacement of zeros (Martin-Fernandez et al. 2003):
 * each zero becomes PATTERNS_ZERO, the others shrink by the same factor.
 * Returns 1 if any part was zero. */
static int replace_zeros(double y[3], const double x[3])
{
    int zeros = 0;
    for (int p = 0; p < 3; p++)
        zeros += x[p] <= 0;
    double keep = 1 - zeros * PATTERNS_ZERO;
    for (int p = 0; p < 3; p++)
        y[p] = x[p] <= 0 ? PATTERNS_ZERO : x[p] * keep;
    return zeros > 0;
}

size_t patterns_cell_of(const double x[3])
{
    double a = x[0] * G, b = x[1] * G;
    int i = (int)floor(a), j = (int)floor(b);
    if (i < 0)
        i = 0;
    if (j < 0)
        j = 0;
    if (i > G - 1)
        i = G - 1;
    if (j > G - 1)
        j = G - 1;
    double fa = a - i, fb = b - j;
    /* on the c = 0 edge (or past it by rounding): into the upward cell */
    while (i + j > G - 1) {
        if (fb <= fa && j > 0) {
            j--;
            fb += 1;
        } else {
            i--;
            fa += 1;
        }
    }
    int down = fa + fb > 1 + 1e-12 && i + j <= G - 2;
    if (!down)
        return (size_t)(i * G - i * (i - 1) / 2 + j);
    return (size_t)(N_UP + i * (G - 1) - i * (i - 1) / 2 + j);
}

static void init_cells(struct patterns_cell *cells)
{
    size_t k = 0;
    for (int down = 0; down < 2; down++)
        for (int i = 0; i < G; i++)
            for (int j = 0; i + j <= G - 1 - down; j++) {
                cells[k].i = i;
                cells[k].j = j;
                cells[k].down = down;
                cells[k++].count = 0;
            }
}

/* ---- fields ---- */

static int key_field(struct field *f, const char *prefix, const char *key,
                     struct err *err)
{
    char name[FIELD_MAX_NAME];
    int len = snprintf(name, sizeof name, "%s%s", prefix, key);
    if (!*key || len < 0 || (size_t)len >= sizeof name)
        return err_set(err, ERR_INVALID, "bad question key \"%.60s\"", key);
    return field_parse(f, name, (size_t)len, FIELD_RESPONSES, err);
}

static const char *const triad_prefix[3] = {"triad1:", "triad2:", "triad3:"};

int patterns_query_fields(const struct patterns_query *q,
                          int (*fn)(void *ctx, const struct field *f),
                          void *ctx, struct err *err)
{
    struct field f;
    int rc;
    for (int p = 0; p < 4; p++) {
        const char *prefix = p < 3 ? triad_prefix[p] : "dyad:";
        if ((rc = key_field(&f, prefix, q->key, err)) < 0 ||
            (rc = fn(ctx, &f)) != 0)
            return rc;
    }
    if (q->by && (rc = fn(ctx, q->by)) != 0)
        return rc;
    return 0;
}

/* The numeric column of prefix+key, or NULL when nobody answered. */
static const double *column(const struct colstore *cs, const char *prefix,
                            const char *key)
{
    char name[FIELD_MAX_NAME];
    struct colstore_colview v;
    snprintf(name, sizeof name, "%s%s", prefix, key);
    int col = colstore_col_find(cs, COLSTORE_RESPONSES, name);
    if (col < 0)
        return NULL;
    colstore_col_view(cs, COLSTORE_RESPONSES, col, &v);
    return v.kind == COLSTORE_NUM ? v.num : NULL;
}

/* ---- triad rows ---- */

/* Fills row from the compositions x[pos[0..n)]. */
static void fill_triad(struct patterns_triad_row *row, const double (*x)[3],
                       const size_t *pos, size_t n)
{
    struct mean mp[3] = {MEAN_INIT, MEAN_INIT, MEAN_INIT};
    struct prop near[3] = {PROP_INIT, PROP_INIT, PROP_INIT};
    struct mean m1 = MEAN_INIT, m2 = MEAN_INIT;
    long double c12 = 0;
    row->n = (int64_t)n;
    row->n_zero = 0;
    for (size_t t = 0; t < n; t++) {
        const double *v = x[pos[t]];
        double y[3], z[2];
        row->n_zero += replace_zeros(y, v);
        patterns_ilr(z, y);
        /* co-moment with Welford's running means (before m2 moves) */
        double d1 = z[0] - m1.m;
        mean_add(&m1, z[0]);
        mean_add(&m2, z[1]);
        c12 += d1 * (z[1] - m2.m);
        for (int p = 0; p < 3; p++) {
            mean_add(&mp[p], v[p]);
            prop_add(&near[p], v[p] >= PATTERNS_NEAR - 1e-9);
        }
    }
    for (int p = 0; p < 3; p++) {
        mean_compute(&row->mean[p], &mp[p]);
        prop_compute(&row->near[p], &near[p]);
        row->center[p] = row->region_lo[p] = row->region_hi[p] = NAN;
    }
    row->ilr[0] = n ? m1.m : NAN;
    row->ilr[1] = n ? m2.m : NAN;
    row->cov[0] = mean_variance(&m1);
    row->cov[2] = mean_variance(&m2);
    row->cov[1] = n >= 2 ? (double)(c12 / (long double)(n - 1)) : NAN;
    row->has_region = 0;
    if (!n)
        return;
    patterns_ilr_inv(row->center, row->ilr);
    double s11 = row->cov[0], s12 = row->cov[1], s22 = row->cov[2];
    if (n < 3 || !(s11 > 0))
        return;
    double l11 = sqrt(s11), l21 = s12 / l11, r = s22 - l21 * l21;
    if (!(r > 1e-15 * s22))
        return; /* all answers on one line through the center */
    double l22 = sqrt(r);
    double dn = (double)n;
    double t2 = 2 * (dn - 1) / (dn - 2) * gsl_cdf_fdist_Pinv(0.95, 2, dn - 2);
    double c = sqrt(t2 / dn);
    row->has_region = 1;
    for (int p = 0; p < 3; p++) {
        row->region_lo[p] = INFINITY;
        row->region_hi[p] = -INFINITY;
    }
    /* a fine sweep for the ranges; every eighth point is kept as the
     * boundary to draw */
    const int fine = PATTERNS_REGION_POINTS * 8;
    for (int s = 0; s < fine; s++) {
        double th = 2 * M_PI * s / fine, u = cos(th), w = sin(th);
        double z[2] = {row->ilr[0] + c * l11 * u,
                       row->ilr[1] + c * (l21 * u + l22 * w)};
        double y[3];
        patterns_ilr_inv(y, z);
        for (int p = 0; p < 3; p++) {
            row->region_lo[p] = fmin(row->region_lo[p], y[p]);
            row->region_hi[p] = fmax(row->region_hi[p], y[p]);
        }
        if (s % 8 == 0)
            memcpy(row->region[s / 8], y, sizeof y);
    }
}

/* ---- clusters ---- */

/* Lloyd's k-means from k-means++ seeds; returns the within sum of
 * squares and leaves the assignment in lab and centers in ctr. */
static double kmeans_once(const double (*z)[2], size_t n, int k, struct rng *r,
                          int *lab, double (*ctr)[2], double *d2)
{
    size_t first = (size_t)rng_below(r, n);
    ctr[0][0] = z[first][0];
    ctr[0][1] = z[first][1];
    for (size_t t = 0; t < n; t++)
        d2[t] = INFINITY;
    for (int c = 1; c < k; c++) {
        double sum = 0;
        for (size_t t = 0; t < n; t++) {
            double dx = z[t][0] - ctr[c - 1][0], dy = z[t][1] - ctr[c - 1][1];
            d2[t] = fmin(d2[t], dx * dx + dy * dy);
            sum += d2[t];
        }
        size_t pick = (size_t)rng_below(r, n);
        if (sum > 0) {
            double u = rng_uniform(r) * sum, acc = 0;
            for (size_t t = 0; t < n; t++) {
                acc += d2[t];
                if (acc > u) {
                    pick = t;
                    break;
                }
            }
        }
        ctr[c][0] = z[pick][0];
        ctr[c][1] = z[pick][1];
    }
    double wss = 0;
    for (int it = 0; it < KMEANS_ITER; it++) {
        int moved = 0;
        wss = 0;
        for (size_t t = 0; t < n; t++) {
            int best = 0;
            double bd = INFINITY;
            for (int c = 0; c < k; c++) {
                double dx = z[t][0] - ctr[c][0], dy = z[t][1] - ctr[c][1];
                double d = dx * dx + dy * dy;
                if (d < bd) {
                    bd = d;
                    best = c;
                }
            }
            moved |= it == 0 || lab[t] != best;
            lab[t] = best;
            wss += bd;
        }
        if (!moved)
            break;
        double sx[PATTERNS_MAX_K] = {0}, sy[PATTERNS_MAX_K] = {0};
        size_t cnt[PATTERNS_MAX_K] = {0};
        for (size_t t = 0; t < n; t++) {
            sx[lab[t]] += z[t][0];
            sy[lab[t]] += z[t][1];
            cnt[lab[t]]++;
        }
        for (int c = 0; c < k; c++)
            if (cnt[c]) { /* an emptied cluster keeps its old center */
                ctr[c][0] = sx[c] / (double)cnt[c];
                ctr[c][1] = sy[c] / (double)cnt[c];
            }
    }
    return wss;
}

/* The best of PATTERNS_RESTARTS runs for k into best_lab; returns its
 * within sum of squares. */
static double kmeans(const double (*z)[2], size_t n, int k, int *best_lab,
                     int *lab, double *d2)
{
    struct rng r;
    double ctr[PATTERNS_MAX_K][2], best = INFINITY;
    rng_seed_stream(&r, KMEANS_SEED, (uint64_t)k);
    for (int s = 0; s < PATTERNS_RESTARTS; s++) {
        double w = kmeans_once(z, n, k, &r, lab, ctr, d2);
        if (w < best) {
            best = w;
            memcpy(best_lab, lab, n * sizeof *lab);
        }
    }
    return best;
}

static int by_size(const void *a, const void *b)
{
    const struct patterns_cluster *x = a, *y = b;
    return x->n < y->n ? 1 : x->n > y->n ? -1 : 0;
}

/* Clusters the answers x[0..n) into res->clusters. k-means is fitted on
 * at most KMEANS_FIT answers (every m-th, so big stores cost the same);
 * then every answer goes to its nearest center for the sizes and
 * centers reported. */
static void cluster(struct patterns_result *res, const double (*x)[3], size_t n,
                    int want_k)
{
    size_t step = n > KMEANS_FIT ? (n + KMEANS_FIT - 1) / KMEANS_FIT : 1;
    size_t m = (n + step - 1) / step; /* answers fitted */
    double(*z)[2] = xcalloc(m + 1, sizeof *z);
    int *lab = xcalloc(m + 1, sizeof *lab),
        *best = xcalloc(m + 1, sizeof *best);
    int *tmp = xcalloc(m + 1, sizeof *tmp);
    double *d2 = xcalloc(m + 1, sizeof *d2);
    double gx = 0, gy = 0, tss = 0, best_ch = -INFINITY;
    size_t distinct = 0;
    for (size_t t = 0; t < m; t++) {
        double y[3];
        replace_zeros(y, x[t * step]);
        patterns_ilr(z[t], y);
        gx += z[t][0];
        gy += z[t][1];
        distinct += t == 0 || z[t][0] != z[0][0] || z[t][1] != z[0][1];
    }
    gx /= (double)(m ? m : 1);
    gy /= (double)(m ? m : 1);
    for (size_t t = 0; t < m; t++)
        tss +=
            (z[t][0] - gx) * (z[t][0] - gx) + (z[t][1] - gy) * (z[t][1] - gy);
    for (int k = 0; k <= PATTERNS_MAX_K; k++)
        res->ch[k] = NAN;
    res->k = 0;
    res->k_chosen = want_k == 0;
    int lo = want_k ? want_k : 2, hi = want_k ? want_k : PATTERNS_MAX_K;
    for (int k = lo; k <= hi; k++) {
        if (m < (size_t)(2 * k) || distinct < (size_t)k || !(tss > 0))
            break;
        double w = kmeans(z, m, k, tmp, lab, d2);
        double ch = k > 1 && w > 0
                        ? ((tss - w) / (k - 1)) / (w / (double)(m - (size_t)k))
                        : INFINITY;
        res->ch[k] = k > 1 ? ch : NAN;
        if (want_k || ch > best_ch) {
            best_ch = ch;
            res->k = k;
            memcpy(best, tmp, m * sizeof *best);
        }
    }
    if (res->k) {
        double ctr[PATTERNS_MAX_K][2] = {{0}}, s[PATTERNS_MAX_K][2] = {{0}};
        size_t cnt[PATTERNS_MAX_K] = {0};
        for (size_t t = 0; t < m; t++) {
            ctr[best[t]][0] += z[t][0];
            ctr[best[t]][1] += z[t][1];
            cnt[best[t]]++;
        }
        for (int c = 0; c < res->k; c++)
            for (int d = 0; d < 2; d++)
                ctr[c][d] = cnt[c] ? ctr[c][d] / (double)cnt[c] : INFINITY;
        for (size_t t = 0; t < n; t++) {
            double y[3], w[2], bd = INFINITY;
            int bc = 0;
            replace_zeros(y, x[t]);
            patterns_ilr(w, y);
            for (int c = 0; c < res->k; c++) {
                double dx = w[0] - ctr[c][0], dy = w[1] - ctr[c][1];
                if (dx * dx + dy * dy < bd) {
                    bd = dx * dx + dy * dy;
                    bc = c;
                }
            }
            s[bc][0] += w[0];
            s[bc][1] += w[1];
            res->clusters[bc].n++;
        }
        for (int c = 0; c < res->k; c++) {
            struct patterns_cluster *cl = &res->clusters[c];
            double mz[2] = {s[c][0] / (double)cl->n, s[c][1] / (double)cl->n};
            cl->share = (double)cl->n / (double)n;
            if (cl->n)
                patterns_ilr_inv(cl->center, mz);
            else
                cl->center[0] = cl->center[1] = cl->center[2] = NAN;
        }
        qsort(res->clusters, (size_t)res->k, sizeof *res->clusters, by_size);
    }
    free(z);
    free(lab);
    free(best);
    free(tmp);
    free(d2);
}

/* ---- dyad rows ---- */

static void fill_dyad(struct patterns_dyad_row *row, const double *v,
                      const size_t *pos, size_t n)
{
    struct mean m = MEAN_INIT;
    for (size_t t = 0; t < n; t++)
        mean_add(&m, v[pos[t]]);
    mean_compute(&row->mean, &m);
    row->sd = n >= 2 ? sqrt(mean_variance(&m)) : NAN;
}

/* ---- the run ---- */

static int resolve_group(struct qfield **out, const struct colstore *cs,
                         const struct patterns_query *q, struct err *err)
{
    int rc;
    *out = NULL;
    if ((rc = qfield_resolve(out, cs, COLSTORE_RESPONSES, q->by, err)) < 0)
        return rc;
    if ((*out)->multi)
        rc = err_set(err, ERR_INVALID,
                     "patterns cannot group by %s: a response may have "
                     "several",
                     q->by->text);
    else
        rc = qfield_categorize(*out, q->edges, q->n_edges, PATTERNS_MAX_GROUPS,
                               err);
    if (rc < 0) {
        qfield_free(*out);
        *out = NULL;
    }
    return rc;
}

/* The error for a key without answers of the kind asked. */
static int no_answers(const struct colstore *cs, const struct patterns_query *q,
                      struct err *err)
{
    const char *want = q->kind == PATTERNS_TRIAD ? "triad" : "dyad";
    int other = q->kind == PATTERNS_TRIAD
                    ? column(cs, "dyad:", q->key) != NULL
                    : column(cs, "triad1:", q->key) != NULL;
    if (other)
        return err_set(err, ERR_NOTFOUND,
                       "%.60s is not a %s: it is answered as a %s (use --%s "
                       "%.60s)",
                       q->key, want,
                       q->kind == PATTERNS_TRIAD ? "dyad" : "triad",
                       q->kind == PATTERNS_TRIAD ? "dyad" : "triad", q->key);
    return err_set(err, ERR_NOTFOUND,
                   "no answers to %s:%.60s (a %s is imported as a %s:KEY "
                   "column, docs/import-formats.md)",
                   want, q->key, want, want);
}

int patterns_run(struct patterns_result **out, const struct colstore *cs,
                 const struct patterns_query *q, struct err *err)
{
    struct patterns_result *r = xcalloc(1, sizeof *r);
    uint8_t *mask = NULL;
    size_t *idx = NULL, *pos = NULL, *sorted = NULL, *start = NULL;
    double(*x)[3] = NULL, *dv = NULL;
    const double *col[3] = {NULL, NULL, NULL};
    size_t rows = colstore_rows(cs), n = 0;
    int rc = 0;

    *out = NULL;
    r->own = xcalloc(1, sizeof *r->own);
    r->kind = q->kind;
    init_cells(r->cells);
    if (!q->key || !*q->key) {
        rc = err_set(err, ERR_INVALID, "no question key");
        goto done;
    }
    if (q->k < 0 || q->k > PATTERNS_MAX_K) {
        rc = err_set(err, ERR_INVALID, "k must be 1..%d, got %d",
                     PATTERNS_MAX_K, q->k);
        goto done;
    }
    snprintf(r->key, sizeof r->key, "%s", q->key);
    if (q->kind == PATTERNS_TRIAD) {
        for (int p = 0; p < 3; p++)
            col[p] = column(cs, triad_prefix[p], q->key);
    } else {
        col[0] = column(cs, "dyad:", q->key);
    }
    if (!col[0] || (q->kind == PATTERNS_TRIAD && (!col[1] || !col[2]))) {
        rc = no_answers(cs, q, err);
        goto done;
    }
    if (q->filter && (rc = metrics_filter_rows(&mask, cs, q->filter, err)) < 0)
        goto done;
    if (q->by) {
        if ((rc = resolve_group(&r->own->group, cs, q, err)) < 0)
            goto done;
        snprintf(r->by, sizeof r->by, "%s", q->by->text);
    }
    /* the answered rows idx[0..n); below, answers are numbered by their
     * position t there (x[t], dv[t]), so the copies take n, not rows */
    idx = xcalloc(rows + 1, sizeof *idx);
    for (size_t i = 0; i < rows; i++) {
        if (mask && !mask[i])
            continue;
        r->rows_passed++;
        if (isnan(col[0][i]))
            continue;
        if (q->kind == PATTERNS_TRIAD &&
            (isnan(col[1][i]) || isnan(col[2][i]) ||
             !(col[0][i] + col[1][i] + col[2][i] > 0)))
            continue; /* can't happen: the parts come together, sum 1 */
        idx[n++] = i;
    }
    x = xcalloc(q->kind == PATTERNS_TRIAD ? n + 1 : 1, sizeof *x);
    dv = xcalloc(q->kind == PATTERNS_DYAD ? n + 1 : 1, sizeof *dv);
    pos = xcalloc(n + 1, sizeof *pos);
    for (size_t t = 0; t < n; t++) {
        size_t i = idx[t];
        pos[t] = t;
        if (q->kind == PATTERNS_TRIAD) {
            double s = col[0][i] + col[1][i] + col[2][i];
            for (int p = 0; p < 3; p++)
                x[t][p] = fmax(0, col[p][i] / s);
            r->cells[patterns_cell_of(x[t])].count++;
        } else {
            double v = dv[t] = col[0][i];
            int b = (int)floor(v * PATTERNS_DYAD_BINS);
            b = b < 0                     ? 0
                : b >= PATTERNS_DYAD_BINS ? PATTERNS_DYAD_BINS - 1
                                          : b;
            r->bins[b]++;
        }
    }
    r->n = (int64_t)n;
    if (n == 0) {
        rc = err_set(err, ERR_INVALID, "no answers to %s:%.60s%s",
                     q->kind == PATTERNS_TRIAD ? "triad" : "dyad", q->key,
                     mask ? " among the responses the filters keep" : "");
        goto done;
    }

    /* the overall row, then one per group (a counting sort by value) */
    const struct qfield *g = r->own->group;
    uint32_t nv = g ? g->n_values : 0;
    size_t n_rows = 1 + nv;
    if (q->kind == PATTERNS_TRIAD)
        r->triad_rows = xcalloc(n_rows, sizeof *r->triad_rows);
    else
        r->dyad_rows = xcalloc(n_rows, sizeof *r->dyad_rows);
    if (q->kind == PATTERNS_TRIAD) {
        fill_triad(&r->triad_rows[r->n_triad_rows++], (const double(*)[3])x,
                   pos, n);
        cluster(r, (const double(*)[3])x, n, q->k);
    } else {
        fill_dyad(&r->dyad_rows[r->n_dyad_rows++], dv, pos, n);
    }
    if (g) {
        sorted = xcalloc(n, sizeof *sorted);
        start = xcalloc((size_t)nv + 2, sizeof *start);
        for (size_t t = 0; t < n; t++)
            start[qfield_value(g, qfield_code(g, idx[t])) + 1]++;
        for (uint32_t v = 0; v < nv; v++)
            start[v + 1] += start[v];
        for (size_t t = 0; t < n; t++)
            sorted[start[qfield_value(g, qfield_code(g, idx[t]))]++] = t;
        size_t lo = 0;
        for (uint32_t v = 0; v < nv; v++) {
            size_t hi = start[v];
            if (hi > lo) {
                const char *name = g->display ? g->display[v] : g->label[v];
                if (q->kind == PATTERNS_TRIAD) {
                    struct patterns_triad_row *row =
                        &r->triad_rows[r->n_triad_rows++];
                    fill_triad(row, (const double(*)[3])x, sorted + lo,
                               hi - lo);
                    row->group = g->label[v];
                    row->group_name = name;
                } else {
                    struct patterns_dyad_row *row =
                        &r->dyad_rows[r->n_dyad_rows++];
                    fill_dyad(row, dv, sorted + lo, hi - lo);
                    row->group = g->label[v];
                    row->group_name = name;
                }
            }
            lo = hi;
        }
    }
    *out = r;
    r = NULL;
    rc = 0;
done:
    free(mask);
    free(idx);
    free(x);
    free(dv);
    free(pos);
    free(sorted);
    free(start);
    patterns_result_free(r);
    return rc;
}
