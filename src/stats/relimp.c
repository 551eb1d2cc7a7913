#include "stats/relimp.h"

#include <gsl/gsl_eigen.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/rng.h"
#include "core/xalloc.h"
#include "stats/regress.h"

/* Rows per block of the correlation pass: p x BLOCK doubles stay in cache
 * while the block's centred cross-products are summed. */
#define BLOCK 128

static const struct relimp_opts defaults = RELIMP_OPTS_INIT;

/* The caller's arrays and options. */
struct data {
    const double *x, *y;
    size_t n, k;
    const struct relimp_opts *o;
};

/* Names driver j as "'name'" or "#j" in buf. */
static const char *drv(const char *const *names, size_t j, char *buf, size_t n)
{
    if (names && names[j])
        snprintf(buf, n, "'%s'", names[j]);
    else
        snprintf(buf, n, "#%zu", j);
    return buf;
}

/* The outcome is variable k. */
static const char *var(const struct data *d, size_t v, char *buf, size_t n)
{
    if (v == d->k) {
        snprintf(buf, n, "the outcome");
        return buf;
    }
    char one[96];
    snprintf(buf, n, "driver %s", drv(d->o->names, v, one, sizeof one));
    return buf;
}

/* 1 complete, 0 with a NaN (a NaN outcome only if it may be dropped),
 * < 0 an error. */
static int row_status(const struct data *d, size_t i, struct err *err)
{
    const double *xr = d->x + i * d->k;
    char b[96];
    if (isinf(d->y[i]))
        return err_set(err, ERR_INVALID, "outcome is infinite in row %zu", i);
    if (isnan(d->y[i]) && !d->o->drop_missing_y)
        return err_set(err, ERR_INVALID,
                       "outcome is missing (NaN) in row %zu; drop such rows "
                       "(drop_missing_y) or fill them in",
                       i);
    int ok = !isnan(d->y[i]);
    for (size_t j = 0; j < d->k; j++) {
        if (isinf(xr[j]))
            return err_set(err, ERR_INVALID, "driver %s is infinite in row %zu",
                           drv(d->o->names, j, b, sizeof b), i);
        ok &= !isnan(xr[j]);
    }
    return ok;
}

/* ---- accumulation: blocks of rows, merged by Chan's update ---- */

/* Moments of one pair of variables over the rows where both are present
 * (listwise: every pair over the same rows). */
struct pmom {
    double n, mu, mv; /* count, means of u and v */
    double suu, svv;  /* centred sums of squares */
    double cuv;       /* centred cross-product */
};

struct acc {
    size_t p;       /* variables: k drivers and the outcome */
    size_t nb;      /* rows in the block */
    int pairwise;   /* 1: moments per pair over rows where both exist */
    double *blk;    /* p x BLOCK, one column of BLOCK rows per variable */
    struct pmom *m; /* p x p, lower triangle [v * p + u], u <= v */
    double *shift;  /* p: first value seen, subtracted from every value */
    unsigned char *shifted; /* p: shift[v] is set */
};

static void acc_init(struct acc *a, size_t p, int pairwise)
{
    a->p = p;
    a->nb = 0;
    a->pairwise = pairwise;
    a->blk = xcalloc(p * BLOCK, sizeof(double));
    a->m = xcalloc(p * p, sizeof(struct pmom));
    a->shift = xcalloc(p, sizeof(double));
    a->shifted = xcalloc(p, 1);
}

static void acc_dispose(struct acc *a)
{
    free(a->blk);
    free(a->m);
    free(a->shift);
    free(a->shifted);
}

/* Adds block moments b (over b->n rows) to a. */
static void pmom_merge(struct pmom *a, const struct pmom *b)
{
    double n = a->n + b->n, f = a->n * b->n / n;
    double du = b->mu - a->mu, dv = b->mv - a->mv;
    a->suu += b->suu + du * du * f;
    a->svv += b->svv + dv * dv * f;
    a->cuv += b->cuv + du * dv * f;
    a->mu += du * b->n / n;
    a->mv += dv * b->n / n;
    a->n = n;
}

/* Block moments of variables u, v over rows where both are present. */
static void pair_block(struct pmom *b, const double *xu, const double *xv,
                       size_t nb)
{
    double cnt = 0, su = 0, sv = 0;
    memset(b, 0, sizeof *b);
    for (size_t i = 0; i < nb; i++)
        if (!isnan(xu[i]) && !isnan(xv[i])) {
            cnt++;
            su += xu[i];
            sv += xv[i];
        }
    if (cnt == 0)
        return;
    b->n = cnt;
    b->mu = su / cnt;
    b->mv = sv / cnt;
    for (size_t i = 0; i < nb; i++)
        if (!isnan(xu[i]) && !isnan(xv[i])) {
            double du = xu[i] - b->mu, dv = xv[i] - b->mv;
            b->suu += du * du;
            b->svv += dv * dv;
            b->cuv += du * dv;
        }
}

static void flush_pairwise(struct acc *a)
{
    for (size_t v = 0; v < a->p; v++)
        for (size_t u = 0; u <= v; u++) {
            struct pmom b;
            pair_block(&b, a->blk + u * BLOCK, a->blk + v * BLOCK, a->nb);
            if (b.n > 0)
                pmom_merge(&a->m[v * a->p + u], &b);
        }
}

/* Four partial sums: without -ffast-math the compiler keeps one chain of
 * dependent additions, and this loop is most of the correlation pass. */
static double dot(const double *a, const double *b, size_t n)
{
    double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    size_t i = 0;
    for (; i + 4 <= n; i += 4) {
        s0 += a[i] * b[i];
        s1 += a[i + 1] * b[i + 1];
        s2 += a[i + 2] * b[i + 2];
        s3 += a[i + 3] * b[i + 3];
    }
    for (; i < n; i++)
        s0 += a[i] * b[i];
    return (s0 + s1) + (s2 + s3);
}

/* Complete rows: centre the block once, then one dot product per pair. */
static void flush_listwise(struct acc *a)
{
    size_t p = a->p, nb = a->nb;
    double mean[RELIMP_MAX_K + 1];
    for (size_t v = 0; v < p; v++) {
        double *col = a->blk + v * BLOCK, s = 0;
        for (size_t i = 0; i < nb; i++)
            s += col[i];
        mean[v] = s / (double)nb;
        for (size_t i = 0; i < nb; i++)
            col[i] -= mean[v];
    }
    for (size_t v = 0; v < p; v++) {
        const double *cv = a->blk + v * BLOCK;
        for (size_t u = 0; u <= v; u++) {
            const double *cu = a->blk + u * BLOCK;
            struct pmom b = {(double)nb, mean[u], mean[v], 0, 0, 0};
            b.cuv = dot(cu, cv, nb);
            if (u == v) /* off the diagonal, suu and svv are unused */
                b.suu = b.svv = b.cuv;
            pmom_merge(&a->m[v * p + u], &b);
        }
    }
}

static void acc_flush(struct acc *a)
{
    if (a->nb == 0)
        return;
    if (a->pairwise)
        flush_pairwise(a);
    else
        flush_listwise(a);
    a->nb = 0;
}

/* Values are stored less a shift (the first value seen), so that block
 * sums stay of the order of the spread: data near 1e9 with unit spread
 * keep their digits (the shifted-data algorithm of Chan, Golub and
 * LeVeque). */
static void acc_put(struct acc *a, size_t v, double val)
{
    if (!a->shifted[v] && !isnan(val)) {
        a->shift[v] = val;
        a->shifted[v] = 1;
    }
    a->blk[v * BLOCK + a->nb] = val - a->shift[v];
}

static void acc_add(struct acc *a, const double *xr, double y)
{
    size_t k = a->p - 1;
    for (size_t j = 0; j < k; j++)
        acc_put(a, j, xr[j]);
    acc_put(a, k, y);
    if (++a->nb == BLOCK)
        acc_flush(a);
}

/* Feeds rows idx[0..m) (rows 0..m-1 when idx is NULL). With check, each
 * row is validated first and incomplete ones are counted (and skipped
 * when listwise); complete rows are recorded in keep when it is given. */
static int acc_rows(struct acc *a, const struct data *d, const size_t *idx,
                    size_t m, int check, size_t *keep, size_t *incomplete,
                    struct err *err)
{
    size_t nkeep = 0;
    for (size_t t = 0; t < m; t++) {
        size_t i = idx ? idx[t] : t;
        int st = check ? row_status(d, i, err) : 1;
        if (st < 0)
            return st;
        if (st == 0)
            ++*incomplete;
        else if (keep)
            keep[nkeep++] = i;
        if (st == 1 || a->pairwise)
            acc_add(a, d->x + i * d->k, d->y[i]);
    }
    acc_flush(a);
    return 0;
}

/* ---- from moments to the checked correlation matrix ---- */

static void corr_alloc(struct relimp_corr *c, size_t k, size_t rows)
{
    size_t p = k + 1;
    memset(c, 0, sizeof *c);
    c->k = k;
    c->rows = rows;
    c->r = xcalloc(p * p, sizeof(double));
    c->mean = xcalloc(p, sizeof(double));
    c->sd = xcalloc(p, sizeof(double));
    c->npair = xcalloc(p * p, sizeof(size_t));
}

static void corr_dispose(struct relimp_corr *c)
{
    free(c->r);
    free(c->mean);
    free(c->sd);
    free(c->npair);
}

/* Fills n, mean, sd and npair; checks the row count and constants. */
static int corr_moments(struct relimp_corr *c, const struct acc *a,
                        const struct data *d, struct err *err)
{
    size_t p = a->p, least = SIZE_MAX;
    char b1[128], b2[128];
    for (size_t v = 0; v < p; v++)
        for (size_t u = 0; u <= v; u++) {
            size_t cnt = (size_t)a->m[v * p + u].n;
            c->npair[v * p + u] = c->npair[u * p + v] = cnt;
            least = cnt < least ? cnt : least;
        }
    c->n = least;
    if (c->n < d->k + 2)
        return err_set(err, ERR_INVALID,
                       "too few rows: %zu usable (%zu with a missing value) "
                       "for %zu drivers; need at least %zu",
                       c->n, c->incomplete, d->k, d->k + 2);
    for (size_t v = 0; v < p; v++) {
        const struct pmom *m = &a->m[v * p + v];
        c->mean[v] = m->mu + a->shift[v];
        c->sd[v] = sqrt(m->suu / (m->n - 1));
        if (!(c->sd[v] > 1e-12 * fabs(c->mean[v])))
            return err_set(err, ERR_INVALID,
                           "%s is constant (%g in every row used)",
                           var(d, v, b1, sizeof b1), c->mean[v]);
    }
    for (size_t v = 0; v < p && a->pairwise; v++)
        for (size_t u = 0; u < v; u++) {
            const struct pmom *m = &a->m[v * p + u];
            double su = sqrt(m->suu / (m->n - 1));
            double sv = sqrt(m->svv / (m->n - 1));
            if (!(su > 1e-12 * fabs(m->mu + a->shift[u])) ||
                !(sv > 1e-12 * fabs(m->mv + a->shift[v])))
                return err_set(
                    err, ERR_INVALID,
                    "%s and %s: one is constant over the %zu rows where "
                    "both are present",
                    var(d, u, b1, sizeof b1), var(d, v, b2, sizeof b2),
                    c->npair[v * p + u]);
        }
    return 0;
}

/* Correlations from the co-moments (pairwise: each over its own rows). */
static void corr_fill(struct relimp_corr *c, const struct acc *a)
{
    size_t p = a->p;
    for (size_t v = 0; v < p; v++) {
        c->r[v * p + v] = 1.0;
        for (size_t u = 0; u < v; u++) {
            const struct pmom *m = &a->m[v * p + u];
            double suu = a->pairwise ? m->suu : a->m[u * p + u].suu;
            double svv = a->pairwise ? m->svv : a->m[v * p + v].suu;
            double r = m->cuv / sqrt(suu * svv);
            r = r > 1 ? 1 : r < -1 ? -1 : r;
            c->r[v * p + u] = c->r[u * p + v] = r;
        }
    }
}

/* Squared residual of the outcome on every driver: 1 - R^2. */
static int full_residual(const double *r, size_t p, double *out);

/* Drivers must be linearly independent; pairwise, the whole matrix must
 * be one some data could have. */
static int corr_check(const struct relimp_corr *c, const struct data *d,
                      struct err *err)
{
    size_t p = c->k + 1;
    double res = 0;
    int rc = regress_check_collinear(c->r, p, c->k, d->o->names, err);
    if (rc < 0)
        return rc;
    if (full_residual(c->r, p, &res) < 0 || res < -1e-8)
        return err_set(err, ERR_INVALID,
                       "the correlation matrix is not positive definite "
                       "(R^2 would exceed 1, as pairwise deletion can "
                       "make it); use listwise deletion");
    return 0;
}

/* Builds c from rows idx[0..m) (0..m-1 when idx is NULL); see acc_rows. */
static int corr_build(struct relimp_corr *c, const struct data *d,
                      const size_t *idx, size_t m, int check, size_t *keep,
                      struct err *err)
{
    struct acc a;
    int rc;
    acc_init(&a, d->k + 1, d->o->missing == RELIMP_PAIRWISE);
    corr_alloc(c, d->k, m);
    if ((rc = acc_rows(&a, d, idx, m, check, keep, &c->incomplete, err)) < 0 ||
        (rc = corr_moments(c, &a, d, err)) < 0)
        goto done;
    corr_fill(c, &a);
    rc = corr_check(c, d, err);
done:
    acc_dispose(&a);
    return rc;
}

static int check_args(const double *x, const double *y, size_t n, size_t k,
                      struct err *err)
{
    if (k == 0)
        return err_set(err, ERR_INVALID, "relative importance needs a driver");
    if (k > RELIMP_MAX_K)
        return err_set(err, ERR_INVALID, "too large: %zu drivers (at most %d)",
                       k, RELIMP_MAX_K);
    if (n > SIZE_MAX / sizeof(double) / (k + 1))
        return err_set(err, ERR_INVALID, "too large: %zu rows", n);
    if (n > 0 && (!x || !y))
        return err_set(err, ERR_INVALID, "relative importance: x or y is NULL");
    return 0;
}

/* The checked first build; keep (n entries) receives the complete rows. */
static int corr_first(struct relimp_corr **out, const struct data *d,
                      size_t *keep, struct err *err)
{
    struct relimp_corr *c = xcalloc(1, sizeof *c);
    int rc;
    *out = NULL;
    if ((rc = check_args(d->x, d->y, d->n, d->k, err)) < 0) {
        free(c);
        return rc;
    }
    if ((rc = corr_build(c, d, NULL, d->n, 1, keep, err)) < 0) {
        relimp_corr_free(c);
        return rc;
    }
    *out = c;
    return 0;
}

int relimp_corr_new(struct relimp_corr **out, const double *x, const double *y,
                    size_t n, size_t k, const struct relimp_opts *opts,
                    struct err *err)
{
    struct data d = {x, y, n, k, opts ? opts : &defaults};
    return corr_first(out, &d, NULL, err);
}

void relimp_corr_free(struct relimp_corr *c)
{
    if (!c)
        return;
    corr_dispose(c);
    free(c);
}

/* ---- R^2 of a subset ---- */

/* Cholesky of the m x m matrix a (in place, lower); -1 if not PD. */
static int chol(double *a, size_t m)
{
    for (size_t j = 0; j < m; j++) {
        double d = a[j * m + j];
        for (size_t t = 0; t < j; t++)
            d -= a[j * m + t] * a[j * m + t];
        if (!(d > REGRESS_COLLINEAR_TOL))
            return -1;
        a[j * m + j] = sqrt(d);
        for (size_t i = j + 1; i < m; i++) {
            double s = a[i * m + j];
            for (size_t t = 0; t < j; t++)
                s -= a[i * m + t] * a[j * m + t];
            a[i * m + j] = s / a[j * m + j];
        }
    }
    return 0;
}

/* R^2 of y on drivers idx[0..m): |L^-1 r_Sy|^2 with R_SS = L L'. */
static int subset_r2(const double *r, size_t p, const size_t *idx, size_t m,
                     double *out)
{
    double *a = xcalloc(m * m + m + 1, sizeof(double)), *z = a + m * m;
    double s = 0;
    int rc = 0;
    for (size_t i = 0; i < m; i++) {
        for (size_t j = 0; j < m; j++)
            a[i * m + j] = r[idx[i] * p + idx[j]];
        z[i] = r[idx[i] * p + p - 1];
    }
    if (chol(a, m) < 0) {
        rc = -1;
        goto done;
    }
    for (size_t i = 0; i < m; i++) {
        for (size_t t = 0; t < i; t++)
            z[i] -= a[i * m + t] * z[t];
        z[i] /= a[i * m + i];
        s += z[i] * z[i];
    }
    *out = s;
done:
    free(a);
    return rc;
}

static int full_residual(const double *r, size_t p, double *out)
{
    size_t *idx = xcalloc(p, sizeof(size_t));
    double r2 = 0;
    for (size_t j = 0; j + 1 < p; j++)
        idx[j] = j;
    int rc = subset_r2(r, p, idx, p - 1, &r2);
    free(idx);
    *out = 1.0 - r2;
    return rc;
}

int relimp_r2(double *out, const struct relimp_corr *c, const size_t *idx,
              size_t m, struct err *err)
{
    unsigned char *seen = xcalloc(c->k + 1, 1);
    int rc = 0;
    *out = 0;
    for (size_t i = 0; i < m && rc == 0; i++) {
        if (idx[i] >= c->k || seen[idx[i]])
            rc = err_set(err, ERR_INVALID,
                         "relimp_r2: driver index %zu is out of range or "
                         "repeated",
                         idx[i]);
        else
            seen[idx[i]] = 1;
    }
    if (rc == 0 && subset_r2(c->r, c->k + 1, idx, m, out) < 0)
        rc = err_set(err, ERR_INVALID,
                     "relimp_r2: the drivers' correlation matrix is "
                     "singular");
    free(seen);
    return rc;
}

/* ---- exact LMG: R^2 of every subset by a walk over Schur complements */

struct walk {
    size_t k;
    double *v;    /* 2^k: v[S] = R^2(S), bit j of S for driver j */
    double **buf; /* buf[d]: the (k-d+1)^2 complement made at depth d */
};

/* At depth d, m (leading dimension ld, upper triangle valid) is the
 * correlation matrix of drivers d..k-1 and y after removing the drivers in
 * mask: its last diagonal entry is 1 - R^2(mask). Leaving driver d out
 * drops its row and column (a pointer step); taking it in is one Schur
 * complement step. Each subset is thus reached by at most k eliminations
 * from the original matrix, and no error accumulates along the walk. */
static void walk(struct walk *w, const double *m, size_t ld, size_t d,
                 uint32_t mask)
{
    if (d + 1 == w->k) {
        double a = m[0], b = m[1], c = m[ld + 1];
        w->v[mask] = 1.0 - c;
        w->v[mask | (UINT32_C(1) << d)] = 1.0 - (c - b * b / a);
        return;
    }
    walk(w, m + ld + 1, ld, d + 1, mask);
    size_t q = w->k - d;
    double *out = w->buf[d + 1], piv = m[0];
    for (size_t i = 0; i < q; i++) {
        double f = m[i + 1] / piv;
        const double *src = m + (i + 1) * ld + 1;
        double *dst = out + i * q;
        for (size_t j = i; j < q; j++)
            dst[j] = src[j] - f * m[j + 1];
    }
    walk(w, out, q, d + 1, mask | (UINT32_C(1) << d));
}

/* share_j = sum over S without j of w(|S|) (v(S + j) - v(S)), summed per
 * subset size first. */
static void lmg_weigh(const double *v, size_t k, double *share)
{
    size_t full = (size_t)1 << k;
    double w[RELIMP_EXACT_MAX], *by = xcalloc(k * k, sizeof(double));
    unsigned char *pc = xmalloc(full);
    pc[0] = 0;
    for (size_t s = 1; s < full; s++)
        pc[s] = (unsigned char)(pc[s >> 1] + (s & 1));
    w[0] = 1.0 / (double)k; /* 0! (k-1)! / k! */
    for (size_t s = 1; s < k; s++)
        w[s] = w[s - 1] * (double)s / (double)(k - s);
    for (size_t j = 0; j < k; j++) {
        size_t bit = (size_t)1 << j;
        double *acc = by + j * k;
        for (size_t base = 0; base < full; base += 2 * bit)
            for (size_t s = base; s < base + bit; s++)
                acc[pc[s]] += v[s + bit] - v[s];
    }
    for (size_t j = 0; j < k; j++) {
        share[j] = 0;
        for (size_t s = 0; s < k; s++)
            share[j] += w[s] * by[j * k + s];
    }
    free(pc);
    free(by);
}

static void lmg_exact(const struct relimp_corr *c, double *share)
{
    size_t k = c->k, p = k + 1;
    struct walk w = {k, xmalloc(sizeof(double) << k),
                     xcalloc(p, sizeof(double *))};
    for (size_t d = 1; d < k; d++)
        w.buf[d] = xmalloc(sizeof(double) * (p - d) * (p - d));
    walk(&w, c->r, p, 0, 0);
    lmg_weigh(w.v, k, share);
    for (size_t d = 1; d < k; d++)
        free(w.buf[d]);
    free(w.buf);
    free(w.v);
}

/* ---- Monte Carlo LMG: random orderings ---- */

/* R^2 increments of the drivers entered in the order perm: the outcome's
 * residual variance after each Cholesky step, in a (k+1)^2 scratch a. */
static void order_increments(const double *r, size_t p, const size_t *perm,
                             double *a, double *inc)
{
    size_t k = p - 1;
    for (size_t i = 0; i < p; i++)
        for (size_t j = i; j < p; j++)
            a[i * p + j] = r[(i < k ? perm[i] : k) * p + (j < k ? perm[j] : k)];
    double prev = 1.0;
    for (size_t t = 0; t < k; t++) {
        double piv = a[t * p + t];
        for (size_t i = t + 1; i < p; i++) {
            double f = a[t * p + i] / piv;
            for (size_t j = i; j < p; j++)
                a[i * p + j] -= f * a[t * p + j];
        }
        inc[perm[t]] = prev - a[k * p + k];
        prev = a[k * p + k];
    }
}

static void lmg_monte_carlo(const struct relimp_corr *c, size_t perms,
                            struct rng *g, double *share, double *se)
{
    size_t k = c->k, p = k + 1;
    size_t *perm = xmalloc(sizeof(size_t) * k);
    double *a = xmalloc(sizeof(double) * p * p);
    double *inc = xmalloc(sizeof(double) * k);
    double *m2 = xcalloc(k, sizeof(double));
    for (size_t j = 0; j < k; j++) {
        perm[j] = j;
        share[j] = 0;
    }
    for (size_t t = 1; t <= perms; t++) {
        for (size_t i = k; i > 1; i--) { /* Fisher-Yates */
            size_t s = (size_t)rng_below(g, i), tmp = perm[i - 1];
            perm[i - 1] = perm[s];
            perm[s] = tmp;
        }
        order_increments(c->r, p, perm, a, inc);
        for (size_t j = 0; j < k; j++) { /* Welford */
            double dlt = inc[j] - share[j];
            share[j] += dlt / (double)t;
            m2[j] += dlt * (inc[j] - share[j]);
        }
    }
    for (size_t j = 0; j < k && se; j++)
        se[j] =
            perms > 1 ? sqrt(m2[j] / (double)(perms - 1) / (double)perms) : 0;
    free(m2);
    free(inc);
    free(a);
    free(perm);
}

/* 1 when opts ask for (or allow) the exact method; -1 when it is asked
 * for and k is too large. */
static int use_exact(size_t k, const struct relimp_opts *o)
{
    if (o->method == RELIMP_MONTE_CARLO)
        return 0;
    if (k <= RELIMP_EXACT_MAX)
        return 1;
    return o->method == RELIMP_EXACT ? -1 : 0;
}

static int lmg_run(double *share, double *se, const struct relimp_corr *c,
                   const struct relimp_opts *o, struct rng *g, struct err *err)
{
    int exact = use_exact(c->k, o);
    if (exact < 0)
        return err_set(err, ERR_INVALID,
                       "too large: exact LMG over %zu drivers (2^%zu "
                       "subsets); at most %d, or use Monte Carlo",
                       c->k, c->k, RELIMP_EXACT_MAX);
    if (exact) {
        lmg_exact(c, share);
        for (size_t j = 0; j < c->k && se; j++)
            se[j] = 0;
    } else {
        lmg_monte_carlo(c, o->perms ? o->perms : RELIMP_PERMS, g, share, se);
    }
    return 0;
}

static int corr_sane(const struct relimp_corr *c, struct err *err)
{
    if (!c || !c->r || c->k == 0 || c->k > RELIMP_MAX_K)
        return err_set(err, ERR_INVALID,
                       "relative importance: no "
                       "correlation matrix");
    return 0;
}

int relimp_lmg(double *share, double *se, const struct relimp_corr *c,
               const struct relimp_opts *opts, struct err *err)
{
    const struct relimp_opts *o = opts ? opts : &defaults;
    struct rng g;
    int rc = corr_sane(c, err);
    if (rc < 0)
        return rc;
    rng_seed_stream(&g, o->seed, 0);
    return lmg_run(share, se, c, o, &g, err);
}

/* ---- Johnson's relative weights ---- */

/* Lambda = V diag(sqrt l) V' into lam, beta = V diag(1/sqrt l) V' r_Xy. */
static void weights_from_eigen(const gsl_vector *eval, const gsl_matrix *evec,
                               const double *rxy, size_t k, double *lam,
                               double *beta)
{
    double *t = xcalloc(k, sizeof(double));
    for (size_t i = 0; i < k; i++) { /* t = diag(1/sqrt l) V' r */
        for (size_t m = 0; m < k; m++)
            t[i] += gsl_matrix_get(evec, m, i) * rxy[m];
        t[i] /= sqrt(gsl_vector_get(eval, i));
    }
    for (size_t j = 0; j < k; j++) {
        beta[j] = 0;
        for (size_t i = 0; i < k; i++) {
            double vji = gsl_matrix_get(evec, j, i);
            beta[j] += vji * t[i];
            for (size_t l = 0; l <= j; l++)
                lam[j * k + l] += vji * sqrt(gsl_vector_get(eval, i)) *
                                  gsl_matrix_get(evec, l, i);
        }
        for (size_t l = 0; l < j; l++)
            lam[l * k + j] = lam[j * k + l];
    }
    free(t);
}

int relimp_weights(double *weight, const struct relimp_corr *c, struct err *err)
{
    int rc = corr_sane(c, err);
    if (rc < 0)
        return rc;
    size_t k = c->k, p = k + 1;
    gsl_matrix *a = gsl_matrix_alloc(k, k), *evec = gsl_matrix_alloc(k, k);
    gsl_vector *eval = gsl_vector_alloc(k);
    gsl_eigen_symmv_workspace *ws = gsl_eigen_symmv_alloc(k);
    double *lam = xcalloc(k * k + 2 * k, sizeof(double));
    double *beta = lam + k * k, *rxy = beta + k;
    for (size_t i = 0; i < k; i++) {
        rxy[i] = c->r[i * p + k];
        for (size_t j = 0; j < k; j++)
            gsl_matrix_set(a, i, j, c->r[i * p + j]);
    }
    gsl_eigen_symmv(a, eval, evec, ws);
    if (!(gsl_vector_min(eval) > REGRESS_COLLINEAR_TOL)) {
        rc = err_set(err, ERR_INVALID,
                     "relative weights: the drivers are (nearly) perfectly "
                     "collinear (smallest eigenvalue %g)",
                     gsl_vector_min(eval));
        goto done;
    }
    weights_from_eigen(eval, evec, rxy, k, lam, beta);
    for (size_t j = 0; j < k; j++) {
        weight[j] = 0;
        for (size_t i = 0; i < k; i++)
            weight[j] += lam[j * k + i] * lam[j * k + i] * beta[i] * beta[i];
    }
done:
    free(lam);
    gsl_eigen_symmv_free(ws);
    gsl_vector_free(eval);
    gsl_matrix_free(evec);
    gsl_matrix_free(a);
    return rc;
}

/* ---- the whole analysis, with the bootstrap ---- */

/* Values of one estimate (the full R^2, the LMG and relative weight
 * shares) for one correlation matrix: out[0] = R^2, out[1..k] LMG,
 * out[k+1..2k] weights. */
static int estimate_all(const struct relimp_corr *c,
                        const struct relimp_opts *o, struct rng *g, double *out,
                        double *se, struct err *err)
{
    size_t k = c->k;
    int rc = relimp_weights(out + 1 + k, c, err);
    if (rc < 0 || (rc = lmg_run(out + 1, se, c, o, g, err)) < 0)
        return rc;
    if (full_residual(c->r, k + 1, &out[0]) < 0)
        return err_set(err, ERR_INVALID, "drivers are perfectly collinear");
    out[0] = 1.0 - out[0];
    return 0;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The q-quantile of sorted v[0..m), linear between order statistics
 * (type 7 in Hyndman and Fan). */
static double quantile(const double *v, size_t m, double q)
{
    double h = (double)(m - 1) * q;
    size_t f = (size_t)h;
    return f + 1 < m ? v[f] + (h - (double)f) * (v[f + 1] - v[f]) : v[f];
}

/* The 2.5% and 97.5% quantiles of v[0..m); sorts v. */
static struct relimp_ci percentile_ci(double *v, size_t m)
{
    qsort(v, m, sizeof *v, cmp_double);
    struct relimp_ci ci = {quantile(v, m, 0.025), quantile(v, m, 0.975)};
    return ci;
}

/* Percentile intervals from B rows of 2k+1 values (column-wise). */
static void boot_intervals(struct relimp *res, const double *vals, size_t good)
{
    size_t k = res->k, q = 2 * k + 1;
    double *col = xmalloc(sizeof(double) * good);
    res->r2_ci = xcalloc(1, sizeof *res->r2_ci);
    res->lmg_ci = xcalloc(k, sizeof *res->lmg_ci);
    res->rw_ci = xcalloc(k, sizeof *res->rw_ci);
    for (size_t t = 0; t < q; t++) {
        for (size_t b = 0; b < good; b++)
            col[b] = vals[b * q + t];
        struct relimp_ci ci = percentile_ci(col, good);
        if (t == 0)
            *res->r2_ci = ci;
        else if (t <= k)
            res->lmg_ci[t - 1] = ci;
        else
            res->rw_ci[t - 1 - k] = ci;
    }
    free(col);
}

/* One resample: draw rows, rebuild, estimate. < 0 when it is degenerate. */
static int boot_one(const struct data *d, const size_t *keep, size_t nkeep,
                    size_t *idx, struct rng *g, double *out)
{
    struct relimp_corr c;
    struct err e = ERR_INIT;
    double *se = xmalloc(sizeof(double) * d->k);
    for (size_t i = 0; i < nkeep; i++) {
        size_t s = (size_t)rng_below(g, nkeep);
        idx[i] = keep ? keep[s] : s;
    }
    int rc = corr_build(&c, d, idx, nkeep, 0, NULL, &e);
    if (rc == 0)
        rc = estimate_all(&c, d->o, g, out, se, &e);
    corr_dispose(&c);
    free(se);
    return rc;
}

/* Resamples the usable rows (listwise: keep[0..nkeep); pairwise: all). */
static int boot_run(struct relimp *res, const struct data *d,
                    const size_t *keep, size_t nkeep, struct err *err)
{
    size_t B = d->o->boot, q = 2 * d->k + 1, good = 0;
    double *vals = xmalloc(sizeof(double) * B * q);
    size_t *idx = xmalloc(sizeof(size_t) * (nkeep ? nkeep : 1));
    struct rng g;
    int rc = 0;
    rng_seed_stream(&g, d->o->seed, 1);
    for (size_t b = 0; b < B; b++) {
        if (boot_one(d, keep, nkeep, idx, &g, vals + good * q) < 0)
            res->boot_failed++;
        else
            good++;
    }
    res->boot = good;
    if (good < 2 || res->boot_failed * 2 > B)
        rc = err_set(err, ERR_INVALID,
                     "bootstrap: %zu of %zu resamples had a constant or "
                     "collinear driver; too few rows for intervals",
                     res->boot_failed, B);
    else
        boot_intervals(res, vals, good);
    free(idx);
    free(vals);
    return rc;
}

static struct relimp *result_new(const struct relimp_corr *c)
{
    struct relimp *r = xcalloc(1, sizeof *r);
    r->k = c->k;
    r->n = c->n;
    r->incomplete = c->incomplete;
    r->lmg = xcalloc(c->k, sizeof(double));
    r->lmg_se = xcalloc(c->k, sizeof(double));
    r->rw = xcalloc(c->k, sizeof(double));
    return r;
}

/* Point estimates into res. */
static int result_fill(struct relimp *res, const struct relimp_corr *c,
                       const struct relimp_opts *o, struct err *err)
{
    size_t k = c->k;
    double *out = xmalloc(sizeof(double) * (2 * k + 1));
    struct rng g;
    rng_seed_stream(&g, o->seed, 0);
    int rc = estimate_all(c, o, &g, out, res->lmg_se, err);
    if (rc == 0) {
        res->r2 = out[0];
        memcpy(res->lmg, out + 1, sizeof(double) * k);
        memcpy(res->rw, out + 1 + k, sizeof(double) * k);
        res->exact = use_exact(k, o) == 1;
        res->perms = res->exact ? 0 : o->perms ? o->perms : RELIMP_PERMS;
    }
    free(out);
    return rc;
}

int relimp_compute(struct relimp **out, const double *x, const double *y,
                   size_t n, size_t k, const struct relimp_opts *opts,
                   struct err *err)
{
    const struct relimp_opts *o = opts ? opts : &defaults;
    struct data d = {x, y, n, k, o};
    struct relimp_corr *c = NULL;
    struct relimp *res = NULL;
    int listwise_boot = o->boot > 0 && o->missing == RELIMP_LISTWISE;
    size_t *keep = listwise_boot ? xmalloc(sizeof(size_t) * (n ? n : 1)) : NULL;
    int rc;
    *out = NULL;
    if ((rc = corr_first(&c, &d, keep, err)) < 0)
        goto done;
    res = result_new(c);
    if ((rc = result_fill(res, c, o, err)) < 0)
        goto done;
    if (o->boot > 0 && (rc = boot_run(res, &d, keep, keep ? c->n : n, err)) < 0)
        goto done;
    *out = res;
    res = NULL;
done:
    relimp_free(res);
    relimp_corr_free(c);
    free(keep);
    return rc;
}

void relimp_free(struct relimp *r)
{
    if (!r)
        return;
    free(r->lmg);
    free(r->lmg_se);
    free(r->rw);
    free(r->r2_ci);
    free(r->lmg_ci);
    free(r->rw_ci);
    free(r);
}
