#include "stats/regress.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_linalg.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/xalloc.h"
#include "stats/estimate.h"

/* The complete rows of a problem, copied out, with driver moments. */
struct rows {
    size_t n, k, dropped;
    double *x;    /* n x k, row-major; centred or standardised in place */
    double *y;    /* n */
    double *mean; /* k driver means */
    double *sd;   /* k driver SDs (n - 1 denominator) */
};

static const struct regress_opts defaults = REGRESS_OPTS_INIT;

/* Names driver j as "'name'" or "#j" in buf. */
static const char *drv(const char *const *names, size_t j, char *buf, size_t n)
{
    if (names && names[j])
        snprintf(buf, n, "'%s'", names[j]);
    else
        snprintf(buf, n, "#%zu", j);
    return buf;
}

/* Writes "a", "a and b" or "a, b and c" for drivers idx[0..m) into buf,
 * ending in "..." when it does not fit. */
static void name_list(char *buf, size_t n, const char *const *names,
                      const size_t *idx, size_t m)
{
    size_t at = 0;
    char one[96];
    buf[0] = 0;
    for (size_t i = 0; i < m; i++) {
        const char *sep = i == 0 ? "" : i + 1 == m ? " and " : ", ";
        int w = snprintf(buf + at, n - at, "%s%s", sep,
                         drv(names, idx[i], one, sizeof one));
        if (w < 0 || (size_t)w >= n - at) {
            if (n > 4)
                memcpy(buf + n - 4, "...", 4);
            return;
        }
        at += (size_t)w;
    }
}

static void rows_dispose(struct rows *r)
{
    free(r->x);
    free(r->y);
    free(r->mean);
    free(r->sd);
    memset(r, 0, sizeof *r);
}

static int check_args(const double *x, const double *y, size_t n, size_t k,
                      struct err *err)
{
    if (k == 0)
        return err_set(err, ERR_INVALID, "regression needs a driver");
    if (k > REGRESS_MAX_K)
        return err_set(err, ERR_INVALID, "too large: %zu drivers (at most %d)",
                       k, REGRESS_MAX_K);
    if (n > SIZE_MAX / sizeof(double) / (k + 1))
        return err_set(err, ERR_INVALID, "too large: %zu rows", n);
    if (n > 0 && (!x || !y))
        return err_set(err, ERR_INVALID, "regression: x or y is NULL");
    return 0;
}

/* 1 keeps row i, 0 drops it for a missing value, < 0 is an error. */
static int row_status(const double *xr, double yv, size_t i, size_t k,
                      const struct regress_opts *o, struct err *err)
{
    char b[96];
    if (isinf(yv))
        return err_set(err, ERR_INVALID, "outcome is infinite in row %zu", i);
    if (isnan(yv) && !o->drop_missing_y)
        return err_set(err, ERR_INVALID,
                       "outcome is missing (NaN) in row %zu; drop such rows "
                       "(drop_missing_y) or fill them in",
                       i);
    int keep = !isnan(yv);
    for (size_t j = 0; j < k; j++) {
        if (isinf(xr[j]))
            return err_set(err, ERR_INVALID, "driver %s is infinite in row %zu",
                           drv(o->names, j, b, sizeof b), i);
        if (isnan(xr[j]))
            keep = 0;
    }
    return keep;
}

static int rows_collect(struct rows *r, const double *x, const double *y,
                        size_t n, size_t k, const struct regress_opts *o,
                        struct err *err)
{
    r->k = k;
    r->x = xmalloc(sizeof(double) * (n ? n : 1) * k);
    r->y = xmalloc(sizeof(double) * (n ? n : 1));
    for (size_t i = 0; i < n; i++) {
        int rc = row_status(x + i * k, y[i], i, k, o, err);
        if (rc < 0)
            return rc;
        if (rc == 0) {
            r->dropped++;
            continue;
        }
        memcpy(r->x + r->n * k, x + i * k, sizeof(double) * k);
        r->y[r->n++] = y[i];
    }
    if (r->n < k + 2)
        return err_set(err, ERR_INVALID,
                       "too few rows: %zu complete (%zu dropped for missing "
                       "values) for %zu drivers; need at least %zu",
                       r->n, r->dropped, k, k + 2);
    return 0;
}

/* Means and SDs of the drivers; a constant driver is an error. */
static int rows_describe(struct rows *r, const char *const *names,
                         struct err *err)
{
    size_t n = r->n, k = r->k;
    char b[96];
    r->mean = xcalloc(k, sizeof(double));
    r->sd = xcalloc(k, sizeof(double));
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < k; j++)
            r->mean[j] += r->x[i * k + j];
    for (size_t j = 0; j < k; j++)
        r->mean[j] /= (double)n;
    double *dev = xcalloc(k, sizeof(double));
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < k; j++) {
            double d = r->x[i * k + j] - r->mean[j];
            dev[j] += d;
            r->sd[j] += d * d;
        }
    for (size_t j = 0; j < k; j++) {
        /* corrected two-pass: the deviations' sum repairs the rounding
         * of the first-pass mean (Chan, Golub and LeVeque) */
        r->mean[j] += dev[j] / (double)n;
        r->sd[j] -= dev[j] * dev[j] / (double)n;
    }
    free(dev);
    for (size_t j = 0; j < k; j++) {
        r->sd[j] = sqrt(fmax(r->sd[j], 0) / (double)(n - 1));
        if (!(r->sd[j] > 1e-12 * fabs(r->mean[j])))
            return err_set(err, ERR_INVALID,
                           "driver %s is constant (%g in every row used); "
                           "it cannot explain anything",
                           drv(names, j, b, sizeof b), r->mean[j]);
    }
    return 0;
}

/* Correlation matrix of the drivers, then the collinearity check. */
static int rows_check_rank(const struct rows *r, const char *const *names,
                           struct err *err)
{
    size_t n = r->n, k = r->k;
    double *c = xcalloc(k * k, sizeof(double));
    double *z = xmalloc(sizeof(double) * k);
    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; j < k; j++)
            z[j] = (r->x[i * k + j] - r->mean[j]) / r->sd[j];
        for (size_t j = 0; j < k; j++)
            for (size_t l = 0; l <= j; l++)
                c[j * k + l] += z[j] * z[l];
    }
    for (size_t j = 0; j < k; j++)
        for (size_t l = 0; l <= j; l++)
            c[l * k + j] = c[j * k + l] /= (double)(n - 1);
    int rc = regress_check_collinear(c, k, k, names, err);
    free(z);
    free(c);
    return rc;
}

/* Collects, describes and checks the rows shared by both models. */
static int rows_prepare(struct rows *r, const double *x, const double *y,
                        size_t n, size_t k, const struct regress_opts *o,
                        struct err *err)
{
    int rc;
    memset(r, 0, sizeof *r);
    if ((rc = check_args(x, y, n, k, err)) < 0 ||
        (rc = rows_collect(r, x, y, n, k, o, err)) < 0 ||
        (rc = rows_describe(r, o->names, err)) < 0 ||
        (rc = rows_check_rank(r, o->names, err)) < 0)
        return rc;
    return 0;
}

/* ---- collinearity ---- */

/* Regression of driver j on drivers 0..j-1 from the Cholesky rows in l
 * (lower, leading dimension k): solves L' b = l[j][0..j). */
static void earlier_coefs(const double *l, size_t k, size_t j, double *b)
{
    for (size_t i = j; i-- > 0;) {
        double s = l[j * k + i];
        for (size_t m = i + 1; m < j; m++)
            s -= l[m * k + i] * b[m];
        b[i] = s / l[i * k + i];
    }
}

static int collinear_error(const double *r, size_t ld, const double *l,
                           size_t k, size_t j, const char *const *names,
                           struct err *err)
{
    double *b = xcalloc(k, sizeof(double));
    size_t *idx = xcalloc(k, sizeof(size_t)), m = 0;
    char list[200], one[96];
    double big = 0;
    earlier_coefs(l, k, j, b);
    for (size_t i = 0; i < j; i++)
        big = fmax(big, fabs(b[i]));
    for (size_t i = 0; i < j; i++)
        if (fabs(b[i]) > 1e-6 * fmax(1.0, big))
            idx[m++] = i;
    name_list(list, sizeof list, names, idx, m);
    if (m == 1)
        err_set(err, ERR_INVALID,
                "drivers %s and %s are perfectly collinear (r = %.6f); "
                "drop one of them",
                list, drv(names, j, one, sizeof one), r[idx[0] * ld + j]);
    else
        err_set(err, ERR_INVALID,
                "driver %s is a linear combination of %s (perfectly "
                "collinear); drop one of them",
                drv(names, j, one, sizeof one), m ? list : "earlier drivers");
    free(idx);
    free(b);
    return ERR_INVALID;
}

/* Pivot of row j of the Cholesky factor; fills l[j][0..j). */
static double chol_row(const double *r, size_t ld, double *l, size_t k,
                       size_t j)
{
    for (size_t i = 0; i < j; i++) {
        double s = r[j * ld + i];
        for (size_t m = 0; m < i; m++)
            s -= l[j * k + m] * l[i * k + m];
        l[j * k + i] = s / l[i * k + i];
    }
    double d = r[j * ld + j];
    for (size_t m = 0; m < j; m++)
        d -= l[j * k + m] * l[j * k + m];
    return d;
}

int regress_check_collinear(const double *r, size_t ld, size_t k,
                            const char *const *names, struct err *err)
{
    double *l = xcalloc(k ? k * k : 1, sizeof(double));
    char one[96];
    int rc = 0;
    for (size_t j = 0; j < k && rc == 0; j++) {
        double d = chol_row(r, ld, l, k, j), scale = r[j * ld + j];
        if (!(scale > 0))
            rc = err_set(err, ERR_INVALID, "driver %s has no variance",
                         drv(names, j, one, sizeof one));
        else if (d < -1e-8 * scale)
            rc = err_set(err, ERR_INVALID,
                         "the correlation matrix is not positive definite "
                         "at driver %s (inconsistent, as pairwise deletion "
                         "can make it); use listwise deletion",
                         drv(names, j, one, sizeof one));
        else if (!(d >= REGRESS_COLLINEAR_TOL * scale))
            rc = collinear_error(r, ld, l, k, j, names, err);
        else
            l[j * k + j] = sqrt(d);
    }
    free(l);
    return rc;
}

/* ---- OLS ---- */

static void coef_finish_t(struct regress_coef *c, double df, double tq)
{
    c->stat = c->b / c->se;
    c->p = 2.0 * gsl_cdf_tdist_Q(fabs(c->stat), df);
    c->lo = c->b - tq * c->se;
    c->hi = c->b + tq * c->se;
}

/* Centres y; returns the total sum of squares, *mean its mean. */
static double centre_y(double *y, size_t n, double *mean)
{
    double m = 0, ss = 0;
    for (size_t i = 0; i < n; i++)
        m += y[i];
    m /= (double)n;
    for (size_t i = 0; i < n; i++) {
        y[i] -= m;
        ss += y[i] * y[i];
    }
    *mean = m;
    return ss;
}

/* Inverse of the upper triangle R of a QR factorisation (k x k). */
static double *upper_inverse(const gsl_matrix *qr, size_t k)
{
    double *u = xcalloc(k * k, sizeof(double));
    for (size_t j = k; j-- > 0;) {
        u[j * k + j] = 1.0 / gsl_matrix_get(qr, j, j);
        for (size_t i = j; i-- > 0;) {
            double s = 0;
            for (size_t l = i + 1; l <= j; l++)
                s += gsl_matrix_get(qr, i, l) * u[l * k + j];
            u[i * k + j] = -s / gsl_matrix_get(qr, i, i);
        }
    }
    return u;
}

/* Fills coefficients from the slopes b, R^-1 (u) and sigma^2. */
static void ols_coefs(struct regress_ols *f, const struct rows *r,
                      const gsl_vector *b, const double *u, double s2,
                      double ybar)
{
    size_t k = r->k;
    double tq = gsl_cdf_tdist_Pinv(0.975, f->df), b0 = ybar, v0 = 0;
    for (size_t j = 0; j < k; j++) {
        struct regress_coef *c = &f->coef[1 + j];
        double vj = 0;
        c->b = gsl_vector_get(b, j);
        b0 -= c->b * r->mean[j];
        for (size_t l = 0; l < k; l++) {
            double cjl = 0; /* (R^-1 R^-T)_jl */
            for (size_t m = (j > l ? j : l); m < k; m++)
                cjl += u[j * k + m] * u[l * k + m];
            v0 += r->mean[j] * cjl * r->mean[l];
            if (l == j)
                vj = cjl;
        }
        c->se = sqrt(s2 * vj);
        coef_finish_t(c, f->df, tq);
    }
    /* ybar and the slopes are uncorrelated in the centred model. */
    f->coef[0].b = b0;
    f->coef[0].se = sqrt(s2 / (double)r->n + s2 * v0);
    coef_finish_t(&f->coef[0], f->df, tq);
}

static int ols_fit(struct regress_ols *f, struct rows *r, struct err *err)
{
    size_t n = r->n, k = r->k;
    double ybar, sst = centre_y(r->y, n, &ybar);
    if (!(sqrt(sst / (double)(n - 1)) > 1e-12 * fabs(ybar)))
        return err_set(err, ERR_INVALID,
                       "outcome is constant (%g in every row used)", ybar);
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < k; j++)
            r->x[i * k + j] -= r->mean[j];
    gsl_matrix_view a = gsl_matrix_view_array(r->x, n, k);
    gsl_vector_view yc = gsl_vector_view_array(r->y, n);
    gsl_vector *tau = gsl_vector_alloc(k), *b = gsl_vector_alloc(k);
    gsl_vector *res = gsl_vector_alloc(n);
    gsl_linalg_QR_decomp(&a.matrix, tau);
    gsl_linalg_QR_lssolve(&a.matrix, tau, &yc.vector, b, res);
    double sse = 0, *u = NULL;
    for (size_t i = 0; i < n; i++)
        sse += gsl_vector_get(res, i) * gsl_vector_get(res, i);
    int rc = 0;
    if (sse <= 1e-20 * sst) {
        rc = err_set(err, ERR_INVALID,
                     "outcome is an exact linear function of the drivers "
                     "(no residual variance); standard errors are undefined");
        goto done;
    }
    u = upper_inverse(&a.matrix, k);
    f->df = (double)(n - k - 1);
    f->sigma = sqrt(sse / f->df);
    f->r2 = 1.0 - sse / sst;
    f->adj_r2 = 1.0 - (1.0 - f->r2) * (double)(n - 1) / f->df;
    ols_coefs(f, r, b, u, sse / f->df, ybar);
done:
    free(u);
    gsl_vector_free(res);
    gsl_vector_free(b);
    gsl_vector_free(tau);
    return rc;
}

int regress_ols(struct regress_ols **out, const double *x, const double *y,
                size_t n, size_t k, const struct regress_opts *opts,
                struct err *err)
{
    struct rows r;
    struct regress_ols *f = NULL;
    const struct regress_opts *o = opts ? opts : &defaults;
    int rc;
    *out = NULL;
    if ((rc = rows_prepare(&r, x, y, n, k, o, err)) < 0)
        goto done;
    f = xcalloc(1, sizeof *f);
    f->n = r.n;
    f->k = k;
    f->dropped = r.dropped;
    f->coef = xcalloc(k + 1, sizeof *f->coef);
    if ((rc = ols_fit(f, &r, err)) < 0)
        goto done;
    *out = f;
    f = NULL;
done:
    regress_ols_free(f);
    rows_dispose(&r);
    return rc;
}

void regress_ols_free(struct regress_ols *f)
{
    if (!f)
        return;
    free(f->coef);
    free(f);
}

/* ---- logistic ---- */

/* Working state of a Newton fit on standardised drivers z. */
struct logit {
    size_t n, k, p; /* p = k + 1 parameters */
    const double *z, *y;
    double *beta, *step, *trial; /* p */
    double *g, *h, *l;           /* p, p x p, p x p */
    double *eta, *eta_new;       /* n */
    double *row;                 /* p: [1, z_i] */
    double ll;
    int iter, converged, separated;
};

/* log(1 + exp(-m)) without overflow. */
static double log1pexp_neg(double m)
{
    return m > 0 ? log1p(exp(-m)) : -m + log1p(exp(m));
}

static double loglik(const double *eta, const double *y, size_t n)
{
    double s = 0;
    for (size_t i = 0; i < n; i++)
        s -= log1pexp_neg(y[i] > 0.5 ? eta[i] : -eta[i]);
    return s;
}

static void linpred(const struct logit *w, const double *beta, double *eta)
{
    for (size_t i = 0; i < w->n; i++) {
        double e = beta[0];
        for (size_t j = 0; j < w->k; j++)
            e += w->z[i * w->k + j] * beta[1 + j];
        eta[i] = e;
    }
}

/* Score g and Fisher information h at eta (the current beta). */
static void score_info(struct logit *w)
{
    size_t p = w->p;
    memset(w->g, 0, sizeof(double) * p);
    memset(w->h, 0, sizeof(double) * p * p);
    for (size_t i = 0; i < w->n; i++) {
        double e = exp(-fabs(w->eta[i]));
        double pr = w->eta[i] >= 0 ? 1.0 / (1.0 + e) : e / (1.0 + e);
        double wt = e / ((1.0 + e) * (1.0 + e)), res = w->y[i] - pr;
        w->row[0] = 1.0;
        memcpy(w->row + 1, w->z + i * w->k, sizeof(double) * w->k);
        for (size_t a = 0; a < p; a++) {
            w->g[a] += res * w->row[a];
            for (size_t c = a; c < p; c++)
                w->h[a * p + c] += wt * w->row[a] * w->row[c];
        }
    }
    for (size_t a = 0; a < p; a++)
        for (size_t c = 0; c < a; c++)
            w->h[a * p + c] = w->h[c * p + a];
}

/* In-place Cholesky a = L L' (lower triangle); -1 when not numerically
 * positive definite. */
static int chol(double *a, size_t p)
{
    for (size_t j = 0; j < p; j++) {
        double d = a[j * p + j], orig = d;
        for (size_t m = 0; m < j; m++)
            d -= a[j * p + m] * a[j * p + m];
        if (!(d > 1e-13 * orig))
            return -1;
        a[j * p + j] = sqrt(d);
        for (size_t i = j + 1; i < p; i++) {
            double s = a[i * p + j];
            for (size_t m = 0; m < j; m++)
                s -= a[i * p + m] * a[j * p + m];
            a[i * p + j] = s / a[j * p + j];
        }
    }
    return 0;
}

/* Solves L L' x = b in place. */
static void chol_solve(const double *l, size_t p, double *b)
{
    for (size_t i = 0; i < p; i++) {
        for (size_t m = 0; m < i; m++)
            b[i] -= l[i * p + m] * b[m];
        b[i] /= l[i * p + i];
    }
    for (size_t i = p; i-- > 0;) {
        for (size_t m = i + 1; m < p; m++)
            b[i] -= l[m * p + i] * b[m];
        b[i] /= l[i * p + i];
    }
}

/* Tries beta + t * step, halving t until the likelihood does not drop.
 * Returns the largest change of the linear predictor, or -1 when no
 * step helps. */
static double newton_step(struct logit *w)
{
    double t = 1.0;
    for (int half = 0; half < 40; half++, t *= 0.5) {
        for (size_t a = 0; a < w->p; a++)
            w->trial[a] = w->beta[a] + t * w->step[a];
        linpred(w, w->trial, w->eta_new);
        double ll = loglik(w->eta_new, w->y, w->n);
        if (!(ll >= w->ll - 1e-12 * (fabs(w->ll) + 1.0)))
            continue;
        double deta = 0;
        for (size_t i = 0; i < w->n; i++)
            deta = fmax(deta, fabs(w->eta_new[i] - w->eta[i]));
        double *swap = w->eta;
        w->eta = w->eta_new;
        w->eta_new = swap;
        memcpy(w->beta, w->trial, sizeof(double) * w->p);
        for (size_t a = 0; a < w->p; a++)
            w->step[a] *= t;
        w->ll = ll;
        return deta;
    }
    return -1;
}

/* Newton-Raphson to convergence, the iteration limit or separation. */
static void newton(struct logit *w, int max_iter, double tol)
{
    int diverging = 0;
    for (w->iter = 1; w->iter <= max_iter; w->iter++) {
        score_info(w);
        memcpy(w->l, w->h, sizeof(double) * w->p * w->p);
        if (chol(w->l, w->p) < 0) {
            w->separated = 1; /* weights vanished along some direction */
            return;
        }
        memcpy(w->step, w->g, sizeof(double) * w->p);
        chol_solve(w->l, w->p, w->step);
        double ll0 = w->ll, deta = newton_step(w);
        if (deta < 0)
            return;
        int flat = fabs(w->ll - ll0) <= tol * (fabs(w->ll) + 0.1);
        /* At a finite optimum Newton converges quadratically; when the
         * likelihood is flat but the linear predictor still moves by
         * about one unit per step, some coefficients diverge. */
        diverging = flat && deta >= 0.25 ? diverging + 1 : 0;
        if (diverging >= 3) {
            w->separated = 1;
            return;
        }
        if (flat && deta <= 1e-3) {
            w->converged = 1;
            return;
        }
    }
    w->iter = max_iter;
}

static int separation_error(const struct logit *w, const char *const *names,
                            struct err *err)
{
    size_t *idx = xcalloc(w->k, sizeof(size_t)), m = 0, exact = 0;
    double big = 0;
    char list[160];
    for (size_t j = 0; j < w->k; j++)
        big = fmax(big, fabs(w->step[1 + j]));
    for (size_t j = 0; j < w->k; j++)
        if (big > 0 && fabs(w->step[1 + j]) >= 0.25 * big)
            idx[m++] = j;
    for (size_t i = 0; i < w->n; i++)
        if ((w->y[i] > 0.5 ? w->eta[i] : -w->eta[i]) > 20)
            exact++;
    name_list(list, sizeof list, names, idx, m);
    err_set(err, ERR_INVALID,
            "%s separation: %s predict%s the outcome exactly in %zu of "
            "%zu rows, so the coefficients diverge and logistic regression "
            "has no finite estimate",
            exact == w->n ? "complete" : "quasi-complete",
            m ? list : "the drivers", m == 1 ? "s" : "", exact, w->n);
    free(idx);
    return ERR_INVALID;
}

static void logit_init(struct logit *w, const struct rows *r)
{
    size_t p = r->k + 1;
    memset(w, 0, sizeof *w);
    w->n = r->n;
    w->k = r->k;
    w->p = p;
    w->z = r->x;
    w->y = r->y;
    w->beta = xcalloc(p, sizeof(double));
    w->step = xcalloc(p, sizeof(double));
    w->trial = xcalloc(p, sizeof(double));
    w->g = xcalloc(p, sizeof(double));
    w->row = xcalloc(p, sizeof(double));
    w->h = xcalloc(p * p, sizeof(double));
    w->l = xcalloc(p * p, sizeof(double));
    w->eta = xcalloc(r->n, sizeof(double));
    w->eta_new = xcalloc(r->n, sizeof(double));
}

static void logit_dispose(struct logit *w)
{
    free(w->beta);
    free(w->step);
    free(w->trial);
    free(w->g);
    free(w->row);
    free(w->h);
    free(w->l);
    free(w->eta);
    free(w->eta_new);
}

/* The outcome must be 0 or 1 (NaN is left to the missing-value rule). */
static int check_binary(const double *y, size_t n, struct err *err)
{
    for (size_t i = 0; i < n; i++)
        if (!isnan(y[i]) && y[i] != 0.0 && y[i] != 1.0)
            return err_set(err, ERR_INVALID,
                           "outcome must be 0 or 1 for logistic regression; "
                           "row %zu has %g",
                           i, y[i]);
    return 0;
}

static int check_classes(const struct rows *r, size_t *ones, struct err *err)
{
    size_t n1 = 0;
    for (size_t i = 0; i < r->n; i++)
        n1 += r->y[i] > 0.5;
    *ones = n1;
    if (n1 == 0 || n1 == r->n)
        return err_set(err, ERR_INVALID,
                       "outcome has one class only (all %zu rows used are "
                       "%d); logistic regression needs both 0 and 1",
                       r->n, n1 ? 1 : 0);
    return 0;
}

/* Covariance of the standardised coefficients: the inverse information. */
static int info_inverse(struct logit *w, double *cov)
{
    size_t p = w->p;
    score_info(w);
    memcpy(w->l, w->h, sizeof(double) * p * p);
    if (chol(w->l, p) < 0)
        return -1;
    for (size_t c = 0; c < p; c++) {
        double *col = w->trial;
        memset(col, 0, sizeof(double) * p);
        col[c] = 1.0;
        chol_solve(w->l, p, col);
        for (size_t a = 0; a < p; a++)
            cov[a * p + c] = col[a];
    }
    return 0;
}

/* Back to the drivers' own units: b = T beta, cov_b = T cov T'. */
static void unstandardise(struct regress_logit *f, const struct rows *r,
                          const double *beta, const double *cov)
{
    size_t p = r->k + 1;
    double *t = xcalloc(p * p, sizeof(double));
    t[0] = 1.0;
    for (size_t j = 0; j < r->k; j++) {
        t[1 + j] = -r->mean[j] / r->sd[j];
        t[(1 + j) * p + 1 + j] = 1.0 / r->sd[j];
    }
    for (size_t a = 0; a < p; a++) {
        double b = 0, v = 0;
        for (size_t u = 0; u < p; u++) {
            b += t[a * p + u] * beta[u];
            for (size_t s = 0; s < p; s++)
                v += t[a * p + u] * cov[u * p + s] * t[a * p + s];
        }
        struct regress_coef *c = &f->coef[a];
        c->b = b;
        c->se = sqrt(v);
        c->stat = b / c->se;
        c->p = 2.0 * gsl_cdf_ugaussian_Q(fabs(c->stat));
        c->lo = b - ESTIMATE_Z95 * c->se;
        c->hi = b + ESTIMATE_Z95 * c->se;
        f->odds[a] = (struct regress_odds){exp(b), exp(c->lo), exp(c->hi)};
    }
    free(t);
}

static int logit_fit(struct regress_logit *f, const struct rows *r,
                     const struct regress_opts *o, size_t ones, struct err *err)
{
    struct logit w;
    double ybar = (double)ones / (double)r->n;
    double *cov = xcalloc(r->k + 1, sizeof(double) * (r->k + 1));
    int rc = 0;
    logit_init(&w, r);
    w.beta[0] = log(ybar / (1.0 - ybar));
    linpred(&w, w.beta, w.eta);
    w.ll = f->loglik0 = loglik(w.eta, w.y, w.n);
    newton(&w, o->max_iter > 0 ? o->max_iter : REGRESS_MAX_ITER,
           o->tol > 0 ? o->tol : REGRESS_TOL);
    if (w.separated || info_inverse(&w, cov) < 0) {
        rc = separation_error(&w, o->names, err);
        goto done;
    }
    unstandardise(f, r, w.beta, cov);
    f->loglik = w.ll;
    f->pseudo_r2 = 1.0 - w.ll / f->loglik0;
    f->converged = w.converged;
    f->iter = w.iter;
done:
    logit_dispose(&w);
    free(cov);
    return rc;
}

static void standardise(struct rows *r)
{
    for (size_t i = 0; i < r->n; i++)
        for (size_t j = 0; j < r->k; j++)
            r->x[i * r->k + j] = (r->x[i * r->k + j] - r->mean[j]) / r->sd[j];
}

int regress_logit(struct regress_logit **out, const double *x, const double *y,
                  size_t n, size_t k, const struct regress_opts *opts,
                  struct err *err)
{
    struct rows r;
    struct regress_logit *f = NULL;
    const struct regress_opts *o = opts ? opts : &defaults;
    size_t ones = 0;
    int rc;
    *out = NULL;
    memset(&r, 0, sizeof r);
    if ((rc = check_args(x, y, n, k, err)) < 0 ||
        (rc = check_binary(y, n, err)) < 0 ||
        (rc = rows_prepare(&r, x, y, n, k, o, err)) < 0 ||
        (rc = check_classes(&r, &ones, err)) < 0)
        goto done;
    standardise(&r);
    f = xcalloc(1, sizeof *f);
    f->n = r.n;
    f->k = k;
    f->dropped = r.dropped;
    f->coef = xcalloc(k + 1, sizeof *f->coef);
    f->odds = xcalloc(k + 1, sizeof *f->odds);
    if ((rc = logit_fit(f, &r, o, ones, err)) < 0)
        goto done;
    *out = f;
    f = NULL;
done:
    regress_logit_free(f);
    rows_dispose(&r);
    return rc;
}

void regress_logit_free(struct regress_logit *f)
{
    if (!f)
        return;
    free(f->coef);
    free(f->odds);
    free(f);
}
