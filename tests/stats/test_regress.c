/* OLS and logistic regression: hand-worked fixtures, independent solvers
 * written here in long double, planted effects and bad input. */
#include "harness.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "stats/regress.h"

/* ---- helpers ---- */

/* Inverts the m x m matrix a in place (Gauss-Jordan, partial pivoting). */
static void ld_invert(long double *a, size_t m)
{
    long double *w = calloc(m * 2 * m, sizeof *w);
    for (size_t i = 0; i < m; i++) {
        for (size_t j = 0; j < m; j++)
            w[i * 2 * m + j] = a[i * m + j];
        w[i * 2 * m + m + i] = 1;
    }
    for (size_t c = 0; c < m; c++) {
        size_t piv = c;
        for (size_t i = c + 1; i < m; i++)
            if (fabsl(w[i * 2 * m + c]) > fabsl(w[piv * 2 * m + c]))
                piv = i;
        for (size_t j = 0; j < 2 * m; j++) {
            long double t = w[c * 2 * m + j];
            w[c * 2 * m + j] = w[piv * 2 * m + j];
            w[piv * 2 * m + j] = t;
        }
        long double d = w[c * 2 * m + c];
        for (size_t j = 0; j < 2 * m; j++)
            w[c * 2 * m + j] /= d;
        for (size_t i = 0; i < m; i++) {
            long double f = w[i * 2 * m + c];
            if (i == c || f == 0)
                continue;
            for (size_t j = 0; j < 2 * m; j++)
                w[i * 2 * m + j] -= f * w[c * 2 * m + j];
        }
    }
    for (size_t i = 0; i < m; i++)
        for (size_t j = 0; j < m; j++)
            a[i * m + j] = w[i * 2 * m + m + j];
    free(w);
}

static void assert_coef_finite(const struct regress_coef *c, size_t m)
{
    for (size_t j = 0; j < m; j++) {
        assert_true(isfinite(c[j].b) && isfinite(c[j].se));
        assert_true(isfinite(c[j].stat) && isfinite(c[j].p));
        assert_true(isfinite(c[j].lo) && isfinite(c[j].hi));
        assert_true(c[j].se > 0 && c[j].lo < c[j].hi);
    }
}

/* Runs OLS expecting ERR_INVALID with a message containing each of the
 * NULL-terminated needles. */
static void expect_ols_error(const double *x, const double *y, size_t n,
                             size_t k, const struct regress_opts *o,
                             const char *const *needles)
{
    struct regress_ols *f = (struct regress_ols *)1;
    struct err e = ERR_INIT;
    assert_int_equal(regress_ols(&f, x, y, n, k, o, &e), ERR_INVALID);
    assert_null(f);
    assert_int_equal(e.code, ERR_INVALID);
    for (size_t i = 0; needles[i]; i++) {
        if (!strstr(e.msg, needles[i]))
            print_error("message \"%s\" lacks \"%s\"\n", e.msg, needles[i]);
        assert_non_null(strstr(e.msg, needles[i]));
    }
}

static void expect_logit_error(const double *x, const double *y, size_t n,
                               size_t k, const struct regress_opts *o,
                               const char *const *needles)
{
    struct regress_logit *f = (struct regress_logit *)1;
    struct err e = ERR_INIT;
    assert_int_equal(regress_logit(&f, x, y, n, k, o, &e), ERR_INVALID);
    assert_null(f);
    for (size_t i = 0; needles[i]; i++) {
        if (!strstr(e.msg, needles[i]))
            print_error("message \"%s\" lacks \"%s\"\n", e.msg, needles[i]);
        assert_non_null(strstr(e.msg, needles[i]));
    }
}

/* ---- OLS ---- */

/* x = 1..5, y = 2 4 5 4 5, by hand: xbar = 3, ybar = 4, Sxx = 10,
 * Sxy = 6, slope 0.6, intercept 2.2, SST = 6, SSE = 6 - 3.6 = 2.4,
 * s^2 = 0.8, se(slope) = sqrt(0.08), se(intercept) = sqrt(0.8 (1/5 +
 * 9/10)) = sqrt(0.88), R^2 = 0.6, adjusted 1 - 0.4 * 4 / 3. */
static void test_ols_simple_regression_by_hand(void **state)
{
    (void)state;
    const double x[] = {1, 2, 3, 4, 5}, y[] = {2, 4, 5, 4, 5};
    struct regress_ols *f;
    struct err e = ERR_INIT;
    assert_int_equal(regress_ols(&f, x, y, 5, 1, NULL, &e), 0);
    assert_int_equal(f->n, 5);
    assert_int_equal(f->k, 1);
    assert_close(f->df, 3, 0, 0);
    assert_close(f->coef[1].b, 0.6, 1e-12, 0);
    assert_close(f->coef[0].b, 2.2, 1e-12, 0);
    assert_close(f->coef[1].se, sqrt(0.08), 1e-12, 0);
    assert_close(f->coef[0].se, sqrt(0.88), 1e-12, 0);
    assert_close(f->coef[1].stat, 0.6 / sqrt(0.08), 1e-12, 0);
    /* t = 2.12132 on 3 df: two-sided p = 0.12402 (t tables) */
    assert_close(f->coef[1].p, 0.12402, 0, 5e-5);
    /* t(0.975, 3) = 3.182446 */
    assert_close(f->coef[1].lo, 0.6 - 3.182446 * sqrt(0.08), 0, 1e-5);
    assert_close(f->coef[1].hi, 0.6 + 3.182446 * sqrt(0.08), 0, 1e-5);
    assert_close(f->r2, 0.6, 1e-12, 0);
    assert_close(f->adj_r2, 1 - 0.4 * 4 / 3, 1e-12, 0);
    assert_close(f->sigma, sqrt(0.8), 1e-12, 0);
    regress_ols_free(f);
}

/* Two correlated drivers, 10 rows: every figure against the normal
 * equations solved here in long double. */
static void test_ols_matches_long_double_normal_equations(void **state)
{
    (void)state;
    const double x[] = {1, 3, 2, 5, 4, 2,  5,  6,  6,  4,
                        7, 9, 8, 7, 9, 11, 10, 10, 12, 14};
    const double y[] = {3.1, 4.9, 5.2, 6.8, 7.7, 8.1, 9.9, 10.2, 12.5, 13.0};
    size_t n = 10, p = 3;
    long double a[9] = {0}, xy[3] = {0}, beta[3] = {0}, sse = 0, sst = 0;
    long double ybar = 0;
    for (size_t i = 0; i < n; i++) {
        long double row[3] = {1, x[2 * i], x[2 * i + 1]};
        for (size_t u = 0; u < p; u++) {
            xy[u] += row[u] * y[i];
            for (size_t v = 0; v < p; v++)
                a[u * p + v] += row[u] * row[v];
        }
        ybar += y[i] / 10.0L;
    }
    ld_invert(a, p);
    for (size_t u = 0; u < p; u++)
        for (size_t v = 0; v < p; v++)
            beta[u] += a[u * p + v] * xy[v];
    for (size_t i = 0; i < n; i++) {
        long double r =
            y[i] - beta[0] - beta[1] * x[2 * i] - beta[2] * x[2 * i + 1];
        sse += r * r;
        sst += (y[i] - ybar) * (y[i] - ybar);
    }
    long double s2 = sse / 7;
    struct regress_ols *f;
    struct err e = ERR_INIT;
    assert_int_equal(regress_ols(&f, x, y, n, 2, NULL, &e), 0);
    for (size_t u = 0; u < p; u++) {
        double se = (double)sqrtl(s2 * a[u * p + u]);
        double t = (double)beta[u] / se;
        assert_close(f->coef[u].b, (double)beta[u], 1e-10, 1e-12);
        assert_close(f->coef[u].se, se, 1e-10, 0);
        assert_close(f->coef[u].stat, t, 1e-9, 1e-12);
        assert_close(f->coef[u].p, 2 * gsl_cdf_tdist_Q(fabs(t), 7), 1e-8,
                     1e-14);
    }
    assert_close(f->r2, (double)(1 - sse / sst), 1e-12, 0);
    assert_close(f->adj_r2, (double)(1 - (sse / 7) / (sst / 9)), 1e-12, 0);
    assert_coef_finite(f->coef, 3);
    regress_ols_free(f);
}

/* y = 1 + 2 x1 - 0.5 x2 + N(0,1), corr(x1, x2) = 0.3, n = 2000: every
 * coefficient within 4 SE, inside its 95% CI (this seed), and SEs close to
 * theory: se(b_j) = sigma / sqrt(n (1 - rho^2)), se(b0) = sigma/sqrt(n). */
static void test_ols_recovers_planted_effect(void **state)
{
    (void)state;
    size_t n = 2000;
    double *x = malloc(sizeof(double) * 2 * n), *y = malloc(sizeof(double) * n);
    const double beta[3] = {1, 2, -0.5}, rho = 0.3;
    struct gen g;
    gen_seed(&g, 20240611);
    for (size_t i = 0; i < n; i++) {
        double a = rng_normal(&g.r, 0, 1), b = rng_normal(&g.r, 0, 1);
        x[2 * i] = a;
        x[2 * i + 1] = rho * a + sqrt(1 - rho * rho) * b;
        y[i] = beta[0] + beta[1] * x[2 * i] + beta[2] * x[2 * i + 1] +
               rng_normal(&g.r, 0, 1);
    }
    struct regress_ols *f;
    struct err e = ERR_INIT;
    assert_int_equal(regress_ols(&f, x, y, n, 2, NULL, &e), 0);
    for (size_t j = 0; j < 3; j++) {
        assert_true(fabs(f->coef[j].b - beta[j]) < 4 * f->coef[j].se);
        assert_true(f->coef[j].lo < beta[j] && beta[j] < f->coef[j].hi);
        double theory = j == 0 ? 1 / sqrt((double)n)
                               : 1 / sqrt((double)n * (1 - rho * rho));
        assert_close(f->coef[j].se, theory, 0.10, 0);
    }
    /* R^2 = var(signal) / (var(signal) + 1), var(signal) = 4 + 0.25 - 0.6 */
    assert_close(f->r2, 3.65 / 4.65, 0, 0.02);
    assert_close(f->sigma, 1, 0.05, 0);
    regress_ols_free(f);
    free(x);
    free(y);
}

/* 400 samples of n = 30: the slope's 95% CI covers the truth about 95%
 * of the time (binomial sd 1.1 points). */
static void test_ols_ci_coverage_is_nominal(void **state)
{
    (void)state;
    size_t n = 30, reps = 400, covered = 0;
    double x[30], y[30];
    struct gen g;
    gen_seed(&g, 77);
    for (size_t r = 0; r < reps; r++) {
        for (size_t i = 0; i < n; i++) {
            x[i] = rng_normal(&g.r, 0, 1);
            y[i] = 0.5 + 0.3 * x[i] + rng_normal(&g.r, 0, 2);
        }
        struct regress_ols *f;
        struct err e = ERR_INIT;
        assert_int_equal(regress_ols(&f, x, y, n, 1, NULL, &e), 0);
        covered += f->coef[1].lo < 0.3 && 0.3 < f->coef[1].hi;
        regress_ols_free(f);
    }
    assert_in_range(covered, (size_t)(0.91 * reps), (size_t)(0.99 * reps));
}

static void test_ols_missing_driver_rows_are_dropped(void **state)
{
    (void)state;
    const double x[] = {1, NAN, 2, 3, 4, 5}, y[] = {2, 9, 4, 5, 4, 5};
    const double xc[] = {1, 2, 3, 4, 5}, yc[] = {2, 4, 5, 4, 5};
    struct regress_ols *f, *g;
    struct err e = ERR_INIT;
    assert_int_equal(regress_ols(&f, x, y, 6, 1, NULL, &e), 0);
    assert_int_equal(regress_ols(&g, xc, yc, 5, 1, NULL, &e), 0);
    assert_int_equal(f->n, 5);
    assert_int_equal(f->dropped, 1);
    assert_close(f->coef[1].b, g->coef[1].b, 1e-14, 0);
    assert_close(f->coef[1].se, g->coef[1].se, 1e-14, 0);
    regress_ols_free(f);
    regress_ols_free(g);
}

static void test_ols_missing_outcome_is_error_unless_dropped(void **state)
{
    (void)state;
    const double x[] = {1, 7, 2, 3, 4, 5}, y[] = {2, NAN, 4, 5, 4, 5};
    const char *const need[] = {"outcome is missing", "row 1", NULL};
    expect_ols_error(x, y, 6, 1, NULL, need);
    struct regress_opts o = REGRESS_OPTS_INIT;
    o.drop_missing_y = 1;
    struct regress_ols *f;
    struct err e = ERR_INIT;
    assert_int_equal(regress_ols(&f, x, y, 6, 1, &o, &e), 0);
    assert_int_equal(f->n, 5);
    assert_int_equal(f->dropped, 1);
    assert_close(f->coef[1].b, 0.6, 1e-12, 0);
    regress_ols_free(f);
}

static void test_ols_infinite_value_is_error(void **state)
{
    (void)state;
    const double x[] = {1, 2, INFINITY, 4, 5}, y[] = {2, 4, 5, 4, 5};
    const char *const names[] = {"price"};
    struct regress_opts o = REGRESS_OPTS_INIT;
    o.names = names;
    const char *const need[] = {"'price'", "infinite", "row 2", NULL};
    expect_ols_error(x, y, 5, 1, &o, need);
}

static void test_ols_constant_driver_is_named(void **state)
{
    (void)state;
    const double x[] = {1, 3, 2, 3, 3, 3, 4, 3, 5, 3, 6, 3};
    const double y[] = {1, 2, 2, 4, 5, 7};
    const char *const names[] = {"speed", "staff"};
    struct regress_opts o = REGRESS_OPTS_INIT;
    o.names = names;
    const char *const need[] = {"'staff'", "constant", NULL};
    expect_ols_error(x, y, 6, 2, &o, need);
    /* without names, the 0-based column */
    const char *const need2[] = {"#1", "constant", NULL};
    expect_ols_error(x, y, 6, 2, NULL, need2);
}

static void test_ols_duplicate_driver_names_the_pair(void **state)
{
    (void)state;
    /* staff = 2 * speed + 1: perfectly collinear */
    double x[16], y[8];
    for (int i = 0; i < 8; i++) {
        x[2 * i] = i * i % 5;
        x[2 * i + 1] = 2 * x[2 * i] + 1;
        y[i] = i;
    }
    const char *const names[] = {"speed", "staff"};
    struct regress_opts o = REGRESS_OPTS_INIT;
    o.names = names;
    const char *const need[] = {"'speed'", "'staff'", "collinear", NULL};
    expect_ols_error(x, y, 8, 2, &o, need);
}

static void test_ols_linear_combination_names_the_set(void **state)
{
    (void)state;
    /* d = a - 2 c, b unrelated: the message names d, a and c, not b */
    double x[40], y[10];
    struct gen g;
    gen_seed(&g, 5);
    for (int i = 0; i < 10; i++) {
        x[4 * i] = rng_normal(&g.r, 0, 1);
        x[4 * i + 1] = rng_normal(&g.r, 0, 1);
        x[4 * i + 2] = rng_normal(&g.r, 0, 1);
        x[4 * i + 3] = x[4 * i] - 2 * x[4 * i + 2];
        y[i] = rng_normal(&g.r, 0, 1);
    }
    const char *const names[] = {"a", "b", "c", "d"};
    struct regress_opts o = REGRESS_OPTS_INIT;
    o.names = names;
    struct regress_ols *f;
    struct err e = ERR_INIT;
    assert_int_equal(regress_ols(&f, x, y, 10, 4, &o, &e), ERR_INVALID);
    assert_non_null(strstr(e.msg, "driver 'd' is a linear combination of "
                                  "'a' and 'c'"));
    assert_null(strstr(e.msg, "'b'"));
}

static void test_ols_too_few_rows_is_error(void **state)
{
    (void)state;
    const double x[] = {1, 2, 3, 4, 5, 7, 2, 1, 9}, y[] = {1, 2, 3};
    const char *const need[] = {"too few rows", "3 complete", "need at least 5",
                                NULL};
    expect_ols_error(x, y, 3, 3, NULL, need);
}

static void test_ols_constant_outcome_is_error(void **state)
{
    (void)state;
    const double x[] = {1, 2, 3, 4}, y[] = {7, 7, 7, 7};
    const char *const need[] = {"outcome is constant", NULL};
    expect_ols_error(x, y, 4, 1, NULL, need);
}

static void test_ols_exact_fit_is_error(void **state)
{
    (void)state;
    const double x[] = {1, 2, 3, 4}, y[] = {3, 5, 7, 9};
    const char *const need[] = {"exact linear function", NULL};
    expect_ols_error(x, y, 4, 1, NULL, need);
}

/* ---- logistic ---- */

/* A hand-rolled Newton for one driver in long double. */
static void ld_logit_1(const double *x, const double *y, size_t n,
                       long double *b, long double *cov, long double *ll)
{
    b[0] = b[1] = 0;
    for (int it = 0; it < 100; it++) {
        long double g0 = 0, g1 = 0, h00 = 0, h01 = 0, h11 = 0;
        *ll = 0;
        for (size_t i = 0; i < n; i++) {
            long double eta = b[0] + b[1] * x[i], p = 1 / (1 + expl(-eta));
            g0 += y[i] - p;
            g1 += (y[i] - p) * x[i];
            h00 += p * (1 - p);
            h01 += p * (1 - p) * x[i];
            h11 += p * (1 - p) * x[i] * x[i];
            *ll += y[i] > 0.5 ? logl(p) : logl(1 - p);
        }
        long double det = h00 * h11 - h01 * h01;
        cov[0] = h11 / det;
        cov[1] = -h01 / det;
        cov[2] = h00 / det;
        b[0] += cov[0] * g0 + cov[1] * g1;
        b[1] += cov[1] * g0 + cov[2] * g1;
    }
}

static void test_logit_matches_hand_newton(void **state)
{
    (void)state;
    const double x[] = {0.5, 1.0, 1.5, 2.0, 2.5, 3.0,
                        3.5, 4.0, 4.5, 5.0, 1.2, 3.8};
    const double y[] = {0, 0, 1, 0, 0, 1, 0, 1, 1, 1, 0, 1};
    size_t n = 12;
    long double b[2], cov[3], ll;
    ld_logit_1(x, y, n, b, cov, &ll);
    struct regress_logit *f;
    struct err e = ERR_INIT;
    assert_int_equal(regress_logit(&f, x, y, n, 1, NULL, &e), 0);
    assert_true(f->converged);
    assert_close(f->coef[0].b, (double)b[0], 1e-8, 0);
    assert_close(f->coef[1].b, (double)b[1], 1e-8, 0);
    assert_close(f->coef[0].se, (double)sqrtl(cov[0]), 1e-7, 0);
    assert_close(f->coef[1].se, (double)sqrtl(cov[2]), 1e-7, 0);
    assert_close(f->loglik, (double)ll, 1e-10, 0);
    /* intercept-only: 6 of 12 are 1, loglik0 = 12 log(1/2) */
    assert_close(f->loglik0, 12 * log(0.5), 1e-12, 0);
    assert_close(f->pseudo_r2, 1 - (double)ll / (12 * log(0.5)), 1e-9, 0);
    double z = f->coef[1].b / f->coef[1].se;
    assert_close(f->coef[1].stat, z, 1e-12, 0);
    assert_close(f->coef[1].p, 2 * gsl_cdf_ugaussian_Q(fabs(z)), 1e-10, 0);
    assert_close(f->odds[1].ratio, exp(f->coef[1].b), 1e-12, 0);
    assert_close(f->odds[1].lo, exp(f->coef[1].b - 1.959964 * f->coef[1].se),
                 1e-6, 0);
    assert_coef_finite(f->coef, 2);
    regress_logit_free(f);
}

/* logit P(y=1) = -0.5 + 1.0 x1 - 0.7 x2 + 0.3 x3, n = 20000: each
 * coefficient within 4 SE and inside its CI (this seed), SEs within 5% of
 * the expected information at the true coefficients. */
static void test_logit_recovers_planted_coefficients(void **state)
{
    (void)state;
    size_t n = 20000, k = 3, p = 4;
    const double beta[4] = {-0.5, 1.0, -0.7, 0.3};
    double *x = malloc(sizeof(double) * n * k), *y = malloc(sizeof(double) * n);
    long double info[16] = {0};
    struct gen g;
    gen_seed(&g, 4242);
    for (size_t i = 0; i < n; i++) {
        double row[4] = {1, rng_normal(&g.r, 0, 1), rng_normal(&g.r, 2, 1.5),
                         (double)rng_bernoulli(&g.r, 0.4)};
        double eta = 0;
        for (size_t j = 0; j < p; j++)
            eta += beta[j] * row[j];
        double pr = 1 / (1 + exp(-eta));
        y[i] = rng_bernoulli(&g.r, pr);
        memcpy(x + i * k, row + 1, sizeof(double) * k);
        for (size_t u = 0; u < p; u++)
            for (size_t v = 0; v < p; v++)
                info[u * p + v] += pr * (1 - pr) * row[u] * row[v];
    }
    ld_invert(info, p);
    struct regress_logit *f;
    struct err e = ERR_INIT;
    assert_int_equal(regress_logit(&f, x, y, n, k, NULL, &e), 0);
    assert_true(f->converged);
    assert_true(f->iter < 15);
    for (size_t j = 0; j < p; j++) {
        assert_true(fabs(f->coef[j].b - beta[j]) < 4 * f->coef[j].se);
        assert_true(f->coef[j].lo < beta[j] && beta[j] < f->coef[j].hi);
        assert_close(f->coef[j].se, (double)sqrtl(info[j * p + j]), 0.05, 0);
        assert_close(f->odds[j].ratio, exp(f->coef[j].b), 1e-12, 0);
    }
    assert_true(f->pseudo_r2 > 0 && f->pseudo_r2 < 1);
    assert_true(f->loglik > f->loglik0);
    assert_coef_finite(f->coef, p);
    regress_logit_free(f);
    free(x);
    free(y);
}

static void test_logit_complete_separation_is_error(void **state)
{
    (void)state;
    double x[20], y[10];
    for (int i = 0; i < 10; i++) {
        x[2 * i] = i + 1;           /* price separates: y = price > 5 */
        x[2 * i + 1] = (i * 7) % 3; /* noise */
        y[i] = i + 1 > 5;
    }
    const char *const names[] = {"price", "noise"};
    struct regress_opts o = REGRESS_OPTS_INIT;
    o.names = names;
    const char *const need[] = {"complete separation", "'price'",
                                "10 of 10 rows", NULL};
    expect_logit_error(x, y, 10, 2, &o, need);
}

static void test_logit_quasi_complete_separation_is_error(void **state)
{
    (void)state;
    /* y = 1 above 5 and 0 below; at 5 both classes: quasi-complete */
    double x[24], y[12];
    for (int i = 0; i < 12; i++) {
        x[2 * i] = i < 10 ? i + 1 : 5;
        x[2 * i + 1] = (i * 5) % 4;
        y[i] = i < 10 ? i + 1 > 5 : i == 10;
    }
    y[4] = 1; /* x = 5: one 1, and rows 10, 11 give one more 1 and a 0 */
    x[2 * 11 + 1] = x[2 * 10 + 1]; /* same tone too: no driver splits them */
    const char *const names[] = {"wait", "tone"};
    struct regress_opts o = REGRESS_OPTS_INIT;
    o.names = names;
    const char *const need[] = {"quasi-complete separation", "'wait'", NULL};
    expect_logit_error(x, y, 12, 2, &o, need);
}

static void test_logit_one_class_is_error(void **state)
{
    (void)state;
    const double x[] = {1, 2, 3, 4, 5, 6}, y[] = {1, 1, 1, 1, 1, 1};
    const char *const need[] = {"one class", "all 6 rows", NULL};
    expect_logit_error(x, y, 6, 1, NULL, need);
}

static void test_logit_non_binary_outcome_is_error(void **state)
{
    (void)state;
    const double x[] = {1, 2, 3, 4, 5, 6}, y[] = {0, 1, 0, 2, 1, 0};
    const char *const need[] = {"0 or 1", "row 3", NULL};
    expect_logit_error(x, y, 6, 1, NULL, need);
}

static void test_logit_constant_and_collinear_drivers_are_named(void **state)
{
    (void)state;
    double x[24], y[12];
    for (int i = 0; i < 12; i++) {
        x[2 * i] = i % 4;
        x[2 * i + 1] = 4;
        y[i] = i % 3 == 0;
    }
    const char *const names[] = {"price", "region"};
    struct regress_opts o = REGRESS_OPTS_INIT;
    o.names = names;
    const char *const need[] = {"'region'", "constant", NULL};
    expect_logit_error(x, y, 12, 2, &o, need);
    for (int i = 0; i < 12; i++)
        x[2 * i + 1] = 10 - x[2 * i];
    const char *const need2[] = {"'price'", "'region'", "collinear", NULL};
    expect_logit_error(x, y, 12, 2, &o, need2);
}

static void test_logit_iteration_limit_reports_not_converged(void **state)
{
    (void)state;
    const double x[] = {0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5.0};
    const double y[] = {0, 0, 1, 0, 0, 1, 0, 1, 1, 1};
    struct regress_opts o = REGRESS_OPTS_INIT;
    o.max_iter = 1;
    struct regress_logit *f;
    struct err e = ERR_INIT;
    assert_int_equal(regress_logit(&f, x, y, 10, 1, &o, &e), 0);
    assert_false(f->converged);
    assert_int_equal(f->iter, 1);
    assert_coef_finite(f->coef, 2);
    regress_logit_free(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ols_simple_regression_by_hand),
        cmocka_unit_test(test_ols_matches_long_double_normal_equations),
        cmocka_unit_test(test_ols_recovers_planted_effect),
        cmocka_unit_test(test_ols_ci_coverage_is_nominal),
        cmocka_unit_test(test_ols_missing_driver_rows_are_dropped),
        cmocka_unit_test(test_ols_missing_outcome_is_error_unless_dropped),
        cmocka_unit_test(test_ols_infinite_value_is_error),
        cmocka_unit_test(test_ols_constant_driver_is_named),
        cmocka_unit_test(test_ols_duplicate_driver_names_the_pair),
        cmocka_unit_test(test_ols_linear_combination_names_the_set),
        cmocka_unit_test(test_ols_too_few_rows_is_error),
        cmocka_unit_test(test_ols_constant_outcome_is_error),
        cmocka_unit_test(test_ols_exact_fit_is_error),
        cmocka_unit_test(test_logit_matches_hand_newton),
        cmocka_unit_test(test_logit_recovers_planted_coefficients),
        cmocka_unit_test(test_logit_complete_separation_is_error),
        cmocka_unit_test(test_logit_quasi_complete_separation_is_error),
        cmocka_unit_test(test_logit_one_class_is_error),
        cmocka_unit_test(test_logit_non_binary_outcome_is_error),
        cmocka_unit_test(test_logit_constant_and_collinear_drivers_are_named),
        cmocka_unit_test(test_logit_iteration_limit_reports_not_converged),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
