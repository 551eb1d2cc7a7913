/* Relative importance: LMG/Shapley and relative weights against brute
 * force and an independent SVD route, bootstrap coverage on a population
 * with known shares, the Monte Carlo error, the correlation pass, and bad
 * input. */
#include "harness.h"

#include <gsl/gsl_linalg.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "stats/regress.h"
#include "stats/relimp.h"

/* ---- generators and independent solvers ---- */

/* n rows of k drivers sharing a common factor (pairwise r about 0.3),
 * y = sum_j beta_j x_j + N(0, sigma). */
static void gen_drivers(double *x, double *y, size_t n, size_t k,
                        const double *beta, double sigma, uint64_t seed)
{
    struct gen g;
    gen_seed(&g, seed);
    for (size_t i = 0; i < n; i++) {
        double f = rng_normal(&g.r, 0, 1), s = 0;
        for (size_t j = 0; j < k; j++) {
            x[i * k + j] = 0.65 * f + rng_normal(&g.r, 0, 1) + (double)j;
            s += beta[j] * x[i * k + j];
        }
        y[i] = s + rng_normal(&g.r, 0, sigma);
    }
}

/* R^2 of y on the drivers in mask, by the normal equations of the centred
 * raw rows in long double (Gauss-Jordan). */
static double ols_r2(const double *x, const double *y, size_t n, size_t k,
                     unsigned mask)
{
    size_t idx[16], m = 0;
    long double mean[17] = {0}, a[16 * 17] = {0}, sst = 0, fit = 0;
    for (size_t j = 0; j < k; j++)
        if (mask >> j & 1)
            idx[m++] = j;
    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; j < m; j++)
            mean[j] += x[i * k + idx[j]] / (long double)n;
        mean[m] += y[i] / (long double)n;
    }
    for (size_t i = 0; i < n; i++) { /* a = [Xc'Xc | Xc'yc] */
        long double yc = y[i] - mean[m];
        sst += yc * yc;
        for (size_t u = 0; u < m; u++) {
            long double xu = x[i * k + idx[u]] - mean[u];
            a[u * (m + 1) + m] += xu * yc;
            for (size_t v = 0; v < m; v++)
                a[u * (m + 1) + v] += xu * (x[i * k + idx[v]] - mean[v]);
        }
    }
    for (size_t c = 0; c < m; c++) /* SPD: no pivoting needed */
        for (size_t i = 0; i < m; i++) {
            if (i == c)
                continue;
            long double f = a[i * (m + 1) + c] / a[c * (m + 1) + c];
            for (size_t j = 0; j <= m; j++)
                a[i * (m + 1) + j] -= f * a[c * (m + 1) + j];
        }
    for (size_t u = 0; u < m; u++) { /* b'beta = explained sum of squares */
        long double b = a[u * (m + 1) + m] / a[u * (m + 1) + u];
        long double xy = 0;
        for (size_t i = 0; i < n; i++)
            xy += (x[i * k + idx[u]] - mean[u]) * (y[i] - mean[m]);
        fit += b * xy;
    }
    return (double)(fit / sst);
}

/* Next permutation in lexicographic order; 0 after the last. */
static int next_perm(size_t *p, size_t k)
{
    size_t i = k - 1;
    while (i > 0 && p[i - 1] >= p[i])
        i--;
    if (i == 0)
        return 0;
    size_t j = k - 1;
    while (p[j] <= p[i - 1])
        j--;
    size_t t = p[i - 1];
    p[i - 1] = p[j];
    p[j] = t;
    for (size_t a = i, b = k - 1; a < b; a++, b--) {
        t = p[a];
        p[a] = p[b];
        p[b] = t;
    }
    return 1;
}

/* LMG by its definition: the average over all k! orders of each driver's
 * R^2 increment when it enters, from R^2 of every subset (v[mask]). */
static void lmg_by_orders(const double *v, size_t k, double *share)
{
    size_t p[8], count = 0;
    for (size_t j = 0; j < k; j++) {
        p[j] = j;
        share[j] = 0;
    }
    do {
        unsigned mask = 0;
        for (size_t t = 0; t < k; t++) {
            share[p[t]] += v[mask | 1u << p[t]] - v[mask];
            mask |= 1u << p[t];
        }
        count++;
    } while (next_perm(p, k));
    for (size_t j = 0; j < k; j++)
        share[j] /= (double)count;
}

static void assert_finite_result(const struct relimp *r)
{
    assert_true(isfinite(r->r2));
    for (size_t j = 0; j < r->k; j++) {
        assert_true(isfinite(r->lmg[j]) && isfinite(r->lmg_se[j]));
        assert_true(isfinite(r->rw[j]));
        if (r->lmg_ci)
            assert_true(isfinite(r->lmg_ci[j].lo) &&
                        isfinite(r->lmg_ci[j].hi) && isfinite(r->rw_ci[j].lo) &&
                        isfinite(r->rw_ci[j].hi));
    }
}

/* ---- LMG and relative weights ---- */

/* k = 5, 300 rows: refit OLS for all 32 subsets on the raw rows, average
 * over all 120 orders, compare to 1e-9. */
static void test_relimp_lmg_matches_brute_force_over_orders(void **state)
{
    (void)state;
    size_t n = 300, k = 5;
    const double beta[5] = {0.9, -0.4, 0.3, 0.0, 0.6};
    double x[1500], y[300], v[32], want[5];
    gen_drivers(x, y, n, k, beta, 1.2, 99);
    for (unsigned m = 0; m < 32; m++)
        v[m] = m ? ols_r2(x, y, n, k, m) : 0;
    lmg_by_orders(v, k, want);
    struct relimp *r;
    struct err e = ERR_INIT;
    assert_int_equal(relimp_compute(&r, x, y, n, k, NULL, &e), 0);
    assert_true(r->exact);
    assert_int_equal(r->n, n);
    assert_close(r->r2, v[31], 1e-12, 0);
    double sum = 0;
    for (size_t j = 0; j < k; j++) {
        assert_close(r->lmg[j], want[j], 0, 1e-9);
        assert_close(r->lmg_se[j], 0, 0, 0);
        sum += r->lmg[j];
    }
    assert_close(sum, r->r2, 1e-12, 0);
    assert_null(r->lmg_ci);
    assert_finite_result(r);
    relimp_free(r);
}

/* Two drivers in closed form: LMG_1 = (r1^2 + R^2 - r2^2) / 2. */
static void test_relimp_two_drivers_closed_form(void **state)
{
    (void)state;
    size_t n = 200;
    const double beta[2] = {0.5, 0.8};
    double x[400], y[200], s[2];
    gen_drivers(x, y, n, 2, beta, 1, 3);
    struct relimp_corr *c;
    struct err e = ERR_INIT;
    assert_int_equal(relimp_corr_new(&c, x, y, n, 2, NULL, &e), 0);
    double r1 = c->r[0 * 3 + 2], r2 = c->r[1 * 3 + 2], r12 = c->r[1];
    double full = (r1 * r1 + r2 * r2 - 2 * r1 * r2 * r12) / (1 - r12 * r12);
    assert_int_equal(relimp_lmg(s, NULL, c, NULL, &e), 0);
    assert_close(s[0], (r1 * r1 + full - r2 * r2) / 2, 1e-12, 0);
    assert_close(s[1], (r2 * r2 + full - r1 * r1) / 2, 1e-12, 0);
    relimp_corr_free(c);
}

/* relimp_r2 of subsets against OLS on the raw rows (regress.c). */
static void test_relimp_subset_r2_matches_ols(void **state)
{
    (void)state;
    size_t n = 250, k = 4;
    const double beta[4] = {0.3, 0.5, -0.2, 0.7};
    double x[1000], y[250], xs[750];
    gen_drivers(x, y, n, k, beta, 1, 11);
    struct relimp_corr *c;
    struct err e = ERR_INIT;
    assert_int_equal(relimp_corr_new(&c, x, y, n, k, NULL, &e), 0);
    const size_t sub[3] = {3, 0, 2};
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < 3; j++)
            xs[i * 3 + j] = x[i * k + sub[j]];
    struct regress_ols *f;
    assert_int_equal(regress_ols(&f, xs, y, n, 3, NULL, &e), 0);
    double r2 = -1;
    assert_int_equal(relimp_r2(&r2, c, sub, 3, &e), 0);
    assert_close(r2, f->r2, 1e-12, 0);
    assert_int_equal(relimp_r2(&r2, c, sub, 0, &e), 0);
    assert_close(r2, 0, 0, 0);
    const size_t bad[2] = {1, 1};
    assert_int_equal(relimp_r2(&r2, c, bad, 2, &e), ERR_INVALID);
    regress_ols_free(f);
    relimp_corr_free(c);
}

/* Relative weights the long way round (Johnson 2000): the SVD of the
 * standardised drivers Z = P D Q', the orthogonal counterpart Zs = P Q'
 * (scaled to unit variance), beta from regressing y on Zs, Lambda =
 * Q D Q' from regressing Z on Zs, weight_j = sum_i Lambda_ji^2 beta_i^2. */
static void test_relimp_weights_match_svd_route(void **state)
{
    (void)state;
    size_t n = 300, k = 5;
    const double beta[5] = {0.9, -0.4, 0.3, 0.1, 0.6};
    double x[1500], y[300], mean[6] = {0}, sd[6] = {0}, want[5] = {0};
    gen_drivers(x, y, n, k, beta, 1, 17);
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j <= k; j++)
            mean[j] += (j < k ? x[i * k + j] : y[i]) / (double)n;
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j <= k; j++) {
            double d = (j < k ? x[i * k + j] : y[i]) - mean[j];
            sd[j] += d * d / (double)(n - 1);
        }
    gsl_matrix *z = gsl_matrix_alloc(n, k), *q = gsl_matrix_alloc(k, k);
    gsl_vector *dg = gsl_vector_alloc(k), *work = gsl_vector_alloc(k);
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < k; j++)
            gsl_matrix_set(z, i, j, (x[i * k + j] - mean[j]) / sqrt(sd[j]));
    gsl_linalg_SV_decomp(z, q, dg, work); /* z now holds P */
    double s = sqrt((double)(n - 1)), b[5] = {0}, lam[25] = {0};
    for (size_t u = 0; u < k; u++) { /* b = Q P' ys / sqrt(n - 1) */
        double py = 0;
        for (size_t i = 0; i < n; i++)
            py += gsl_matrix_get(z, i, u) * (y[i] - mean[k]) / sqrt(sd[k]);
        for (size_t j = 0; j < k; j++)
            b[j] += gsl_matrix_get(q, j, u) * py / s;
    }
    for (size_t j = 0; j < k; j++) /* Lambda = Q D Q' / sqrt(n - 1) */
        for (size_t l = 0; l < k; l++)
            for (size_t u = 0; u < k; u++)
                lam[j * k + l] += gsl_matrix_get(q, j, u) *
                                  gsl_vector_get(dg, u) *
                                  gsl_matrix_get(q, l, u) / s;
    for (size_t j = 0; j < k; j++)
        for (size_t i = 0; i < k; i++)
            want[j] += lam[j * k + i] * lam[j * k + i] * b[i] * b[i];
    struct relimp_corr *c;
    struct err e = ERR_INIT;
    double w[5], sum = 0, r2;
    const size_t all[5] = {0, 1, 2, 3, 4};
    assert_int_equal(relimp_corr_new(&c, x, y, n, k, NULL, &e), 0);
    assert_int_equal(relimp_weights(w, c, &e), 0);
    assert_int_equal(relimp_r2(&r2, c, all, 5, &e), 0);
    for (size_t j = 0; j < k; j++) {
        assert_close(w[j], want[j], 0, 1e-9);
        sum += w[j];
    }
    assert_close(sum, r2, 1e-12, 0);
    relimp_corr_free(c);
    gsl_matrix_free(z);
    gsl_matrix_free(q);
    gsl_vector_free(dg);
    gsl_vector_free(work);
}

/* k = 20 exact: the shares sum to R^2 to 1e-12 (relative). */
static void test_relimp_exact_k20_shares_sum_to_r2(void **state)
{
    (void)state;
    size_t n = 400, k = 20;
    double beta[20], *x = malloc(sizeof(double) * n * k), y[400], s[20];
    for (size_t j = 0; j < k; j++)
        beta[j] = 0.05 * (double)(j % 7) - 0.1;
    gen_drivers(x, y, n, k, beta, 1, 2020);
    struct relimp_corr *c;
    struct err e = ERR_INIT;
    size_t all[20];
    double r2, sum = 0;
    for (size_t j = 0; j < k; j++)
        all[j] = j;
    assert_int_equal(relimp_corr_new(&c, x, y, n, k, NULL, &e), 0);
    assert_int_equal(relimp_lmg(s, NULL, c, NULL, &e), 0);
    assert_int_equal(relimp_r2(&r2, c, all, k, &e), 0);
    for (size_t j = 0; j < k; j++) {
        assert_true(s[j] >= 0);
        sum += s[j];
    }
    assert_close(sum, r2, 1e-12, 0);
    relimp_corr_free(c);
    free(x);
}

/* k = 12: Monte Carlo over 3000 orderings lies within 4 stated SEs of the
 * exact value, its shares sum to R^2, and the seed fixes the result. */
static void test_relimp_monte_carlo_within_4_se_of_exact(void **state)
{
    (void)state;
    size_t n = 500, k = 12;
    double beta[12], *x = malloc(sizeof(double) * n * k), y[500];
    double exact[12], mc[12], se[12], again[12], sum = 0;
    for (size_t j = 0; j < k; j++)
        beta[j] = 0.08 * (double)j - 0.3;
    gen_drivers(x, y, n, k, beta, 1, 1212);
    struct relimp_corr *c;
    struct err e = ERR_INIT;
    struct relimp_opts o = RELIMP_OPTS_INIT;
    assert_int_equal(relimp_corr_new(&c, x, y, n, k, NULL, &e), 0);
    o.method = RELIMP_EXACT;
    assert_int_equal(relimp_lmg(exact, NULL, c, &o, &e), 0);
    o.method = RELIMP_MONTE_CARLO;
    o.perms = 3000;
    o.seed = 7;
    assert_int_equal(relimp_lmg(mc, se, c, &o, &e), 0);
    assert_int_equal(relimp_lmg(again, NULL, c, &o, &e), 0);
    for (size_t j = 0; j < k; j++) {
        assert_true(se[j] > 0 && se[j] < 0.01);
        assert_true(fabs(mc[j] - exact[j]) <= 4 * se[j]);
        assert_close(again[j], mc[j], 0, 0);
        sum += mc[j] - exact[j];
    }
    assert_close(sum, 0, 0, 1e-12);
    relimp_corr_free(c);
    free(x);
}

/* Independent N(0,1) drivers: R^2(S) = sum_{j in S} beta_j^2 / (sum beta^2
 * + sigma^2) in the population, so every increment of driver j is the
 * same and the true LMG share (and relative weight, R_XX = I) is
 * beta_j^2 / (sum beta^2 + sigma^2), exactly. 200 data sets of n = 200,
 * B = 200 resamples: each 95% percentile interval covers the truth in
 * 88-99% of the data sets. */
static void test_relimp_bootstrap_coverage(void **state)
{
    (void)state;
    size_t n = 200, k = 3, reps = 200, cover[7] = {0};
    const double beta[3] = {0.8, 0.6, 0.5};
    double x[600], y[200], truth[3], total = 1.0;
    for (size_t j = 0; j < k; j++)
        total += beta[j] * beta[j];
    for (size_t j = 0; j < k; j++)
        truth[j] = beta[j] * beta[j] / total;
    struct gen g;
    gen_seed(&g, 31337);
    struct relimp_opts o = RELIMP_OPTS_INIT;
    o.boot = 200;
    for (size_t rep = 0; rep < reps; rep++) {
        for (size_t i = 0; i < n; i++) {
            y[i] = rng_normal(&g.r, 0, 1);
            for (size_t j = 0; j < k; j++) {
                x[i * k + j] = rng_normal(&g.r, 0, 1);
                y[i] += beta[j] * x[i * k + j];
            }
        }
        o.seed = rep;
        struct relimp *r;
        struct err e = ERR_INIT;
        assert_int_equal(relimp_compute(&r, x, y, n, k, &o, &e), 0);
        assert_int_equal(r->boot, 200);
        cover[6] +=
            r->r2_ci->lo < 1 - 1 / total && 1 - 1 / total < r->r2_ci->hi;
        for (size_t j = 0; j < k; j++) {
            cover[j] +=
                r->lmg_ci[j].lo < truth[j] && truth[j] < r->lmg_ci[j].hi;
            cover[3 + j] +=
                r->rw_ci[j].lo < truth[j] && truth[j] < r->rw_ci[j].hi;
        }
        assert_finite_result(r);
        relimp_free(r);
    }
    for (size_t t = 0; t < 7; t++) {
        print_message("coverage[%zu] = %.3f\n", t,
                      (double)cover[t] / (double)reps);
        assert_in_range(cover[t], (size_t)(0.88 * reps), (size_t)(0.99 * reps));
    }
}

static void test_relimp_bootstrap_is_seeded(void **state)
{
    (void)state;
    size_t n = 120, k = 3;
    const double beta[3] = {0.5, 0.2, 0.4};
    double x[360], y[120];
    gen_drivers(x, y, n, k, beta, 1, 8);
    struct relimp_opts o = RELIMP_OPTS_INIT;
    o.boot = 50;
    o.seed = 1;
    struct relimp *a, *b, *c;
    struct err e = ERR_INIT;
    assert_int_equal(relimp_compute(&a, x, y, n, k, &o, &e), 0);
    assert_int_equal(relimp_compute(&b, x, y, n, k, &o, &e), 0);
    o.seed = 2;
    assert_int_equal(relimp_compute(&c, x, y, n, k, &o, &e), 0);
    assert_memory_equal(a->lmg_ci, b->lmg_ci, k * sizeof *a->lmg_ci);
    assert_memory_equal(a->rw_ci, b->rw_ci, k * sizeof *a->rw_ci);
    assert_true(a->lmg_ci[0].lo != c->lmg_ci[0].lo);
    for (size_t j = 0; j < k; j++)
        assert_true(a->lmg_ci[j].lo <= a->lmg[j] &&
                    a->lmg[j] <= a->lmg_ci[j].hi);
    relimp_free(a);
    relimp_free(b);
    relimp_free(c);
}

/* A 0/1 outcome is decomposed as a linear probability model: R^2 is the
 * OLS R^2 of the 0/1 variable. */
static void test_relimp_binary_outcome_is_linear_probability(void **state)
{
    (void)state;
    size_t n = 400, k = 3;
    const double beta[3] = {0.5, 0.2, 0.4};
    double x[1200], y[400], sum = 0;
    gen_drivers(x, y, n, k, beta, 1, 21);
    for (size_t i = 0; i < n; i++)
        y[i] = y[i] > 1.5; /* promoter indicator */
    struct relimp *r;
    struct regress_ols *f;
    struct err e = ERR_INIT;
    assert_int_equal(relimp_compute(&r, x, y, n, k, NULL, &e), 0);
    assert_int_equal(regress_ols(&f, x, y, n, k, NULL, &e), 0);
    assert_close(r->r2, f->r2, 1e-12, 0);
    for (size_t j = 0; j < k; j++)
        sum += r->lmg[j];
    assert_close(sum, f->r2, 1e-12, 0);
    regress_ols_free(f);
    relimp_free(r);
}

/* ---- the correlation pass ---- */

/* Reference correlation of columns u and v (v == k: y) over rows where
 * both are present, two-pass in long double. */
static double ref_corr(const double *x, const double *y, size_t n, size_t k,
                       size_t u, size_t v, size_t *cnt)
{
    long double su = 0, sv = 0, c = 0, uu = 0, vv = 0;
    size_t m = 0;
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < n; i++) {
            double a = u < k ? x[i * k + u] : y[i];
            double b = v < k ? x[i * k + v] : y[i];
            if (isnan(a) || isnan(b))
                continue;
            if (pass == 0) {
                su += a;
                sv += b;
                m++;
                continue;
            }
            long double da = a - su / m, db = b - sv / m;
            c += da * db;
            uu += da * da;
            vv += db * db;
        }
    *cnt = m;
    return (double)(c / sqrtl(uu * vv));
}

/* Values near 1e9 with unit spread: naive sums of squares would lose
 * every digit; the centred pass matches the two-pass reference. */
static void test_relimp_corr_is_accurate_with_large_offsets(void **state)
{
    (void)state;
    size_t n = 1000, k = 3, cnt;
    const double beta[3] = {0.5, 0.2, 0.4};
    double x[3000], y[1000];
    gen_drivers(x, y, n, k, beta, 1, 44);
    for (size_t i = 0; i < n * k; i++)
        x[i] += 1e9;
    struct relimp_corr *c;
    struct err e = ERR_INIT;
    assert_int_equal(relimp_corr_new(&c, x, y, n, k, NULL, &e), 0);
    for (size_t u = 0; u <= k; u++)
        for (size_t v = 0; v <= k; v++)
            assert_close(c->r[u * (k + 1) + v],
                         ref_corr(x, y, n, k, u, v, &cnt), 0, 1e-12);
    assert_close(c->mean[0], 1e9, 1e-8, 0);
    relimp_corr_free(c);
}

static void test_relimp_listwise_and_pairwise_missing(void **state)
{
    (void)state;
    size_t n = 500, k = 3, cnt, holes = 0;
    const double beta[3] = {0.5, 0.2, 0.4};
    double x[1500], y[500], xc[1500], yc[500];
    size_t nc = 0;
    gen_drivers(x, y, n, k, beta, 1, 45);
    for (size_t i = 0; i < n; i++) { /* 1 in 7 values of driver i % 3 */
        if (i % 7 == 3)
            x[i * k + i % 3] = NAN;
        int complete =
            !isnan(x[i * k]) && !isnan(x[i * k + 1]) && !isnan(x[i * k + 2]);
        holes += !complete;
        if (complete) {
            memcpy(xc + nc * k, x + i * k, sizeof(double) * k);
            yc[nc++] = y[i];
        }
    }
    struct relimp_corr *l, *p;
    struct err e = ERR_INIT;
    struct relimp_opts o = RELIMP_OPTS_INIT;
    assert_int_equal(relimp_corr_new(&l, x, y, n, k, NULL, &e), 0);
    assert_int_equal(l->n, nc);
    assert_int_equal(l->incomplete, holes);
    o.missing = RELIMP_PAIRWISE;
    assert_int_equal(relimp_corr_new(&p, x, y, n, k, &o, &e), 0);
    size_t least = n;
    for (size_t u = 0; u <= k; u++)
        for (size_t v = 0; v <= k; v++) {
            assert_close(l->r[u * (k + 1) + v],
                         ref_corr(xc, yc, nc, k, u, v, &cnt), 0, 1e-12);
            double want = ref_corr(x, y, n, k, u, v, &cnt);
            assert_close(p->r[u * (k + 1) + v], want, 0, 1e-12);
            assert_int_equal(p->npair[u * (k + 1) + v], cnt);
            least = cnt < least ? cnt : least;
        }
    assert_int_equal(p->n, least);
    assert_int_equal(p->incomplete, holes);
    relimp_corr_free(l);
    relimp_corr_free(p);
}

/* ---- bad input: an error that names the driver, never NaN ---- */

static void expect_error(const double *x, const double *y, size_t n, size_t k,
                         const struct relimp_opts *o,
                         const char *const *needles)
{
    struct relimp *r = (struct relimp *)1;
    struct err e = ERR_INIT;
    assert_int_equal(relimp_compute(&r, x, y, n, k, o, &e), ERR_INVALID);
    assert_null(r);
    for (size_t i = 0; needles[i]; i++) {
        if (!strstr(e.msg, needles[i]))
            print_error("message \"%s\" lacks \"%s\"\n", e.msg, needles[i]);
        assert_non_null(strstr(e.msg, needles[i]));
    }
}

static const char *const names3[] = {"speed", "staff", "price"};

static void test_relimp_constant_driver_is_named(void **state)
{
    (void)state;
    double x[60], y[20];
    const double beta[3] = {0.5, 0.2, 0.4};
    gen_drivers(x, y, 20, 3, beta, 1, 1);
    for (size_t i = 0; i < 20; i++)
        x[i * 3 + 1] = 4;
    struct relimp_opts o = RELIMP_OPTS_INIT;
    o.names = names3;
    const char *const need[] = {"'staff'", "constant", NULL};
    expect_error(x, y, 20, 3, &o, need);
}

static void test_relimp_duplicate_driver_names_the_pair(void **state)
{
    (void)state;
    double x[60], y[20];
    const double beta[3] = {0.5, 0.2, 0.4};
    gen_drivers(x, y, 20, 3, beta, 1, 2);
    for (size_t i = 0; i < 20; i++)
        x[i * 3 + 2] = 5 - 2 * x[i * 3];
    struct relimp_opts o = RELIMP_OPTS_INIT;
    o.names = names3;
    const char *const need[] = {"'speed'", "'price'", "collinear", NULL};
    expect_error(x, y, 20, 3, &o, need);
}

static void test_relimp_too_few_rows_is_error(void **state)
{
    (void)state;
    double x[12], y[4];
    const double beta[3] = {0.5, 0.2, 0.4};
    gen_drivers(x, y, 4, 3, beta, 1, 3);
    const char *const need[] = {"too few rows", "need at least 5", NULL};
    expect_error(x, y, 4, 3, NULL, need);
    expect_error(x, y, 0, 3, NULL, need);
}

static void test_relimp_missing_outcome_is_error_unless_dropped(void **state)
{
    (void)state;
    double x[60], y[20];
    const double beta[3] = {0.5, 0.2, 0.4};
    gen_drivers(x, y, 20, 3, beta, 1, 4);
    y[6] = NAN;
    const char *const need[] = {"outcome is missing", "row 6", NULL};
    expect_error(x, y, 20, 3, NULL, need);
    struct relimp_opts o = RELIMP_OPTS_INIT;
    o.drop_missing_y = 1;
    struct relimp *r;
    struct err e = ERR_INIT;
    assert_int_equal(relimp_compute(&r, x, y, 20, 3, &o, &e), 0);
    assert_int_equal(r->n, 19);
    assert_int_equal(r->incomplete, 1);
    assert_finite_result(r);
    relimp_free(r);
}

static void test_relimp_constant_or_one_class_outcome_is_error(void **state)
{
    (void)state;
    double x[60], y[20];
    const double beta[3] = {0.5, 0.2, 0.4};
    gen_drivers(x, y, 20, 3, beta, 1, 5);
    for (size_t i = 0; i < 20; i++)
        y[i] = 1; /* every respondent a promoter */
    const char *const need[] = {"outcome is constant", NULL};
    expect_error(x, y, 20, 3, NULL, need);
}

static void test_relimp_infinite_value_is_error(void **state)
{
    (void)state;
    double x[60], y[20];
    const double beta[3] = {0.5, 0.2, 0.4};
    gen_drivers(x, y, 20, 3, beta, 1, 6);
    x[9 * 3 + 2] = -INFINITY;
    struct relimp_opts o = RELIMP_OPTS_INIT;
    o.names = names3;
    const char *const need[] = {"'price'", "infinite", "row 9", NULL};
    expect_error(x, y, 20, 3, &o, need);
}

static void test_relimp_exact_beyond_limit_is_error(void **state)
{
    (void)state;
    size_t n = 60, k = RELIMP_EXACT_MAX + 1;
    double *x = malloc(sizeof(double) * n * k), y[60], beta[32] = {0};
    gen_drivers(x, y, n, k, beta, 1, 7);
    struct relimp_opts o = RELIMP_OPTS_INIT;
    o.method = RELIMP_EXACT;
    const char *const need[] = {"too large", NULL};
    expect_error(x, y, n, k, &o, need);
    /* RELIMP_AUTO falls back to Monte Carlo and says so */
    struct relimp *r;
    struct err e = ERR_INIT;
    o.method = RELIMP_AUTO;
    o.perms = 200;
    assert_int_equal(relimp_compute(&r, x, y, n, k, &o, &e), 0);
    assert_false(r->exact);
    assert_int_equal(r->perms, 200);
    assert_finite_result(r);
    relimp_free(r);
    free(x);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_relimp_lmg_matches_brute_force_over_orders),
        cmocka_unit_test(test_relimp_two_drivers_closed_form),
        cmocka_unit_test(test_relimp_subset_r2_matches_ols),
        cmocka_unit_test(test_relimp_weights_match_svd_route),
        cmocka_unit_test(test_relimp_exact_k20_shares_sum_to_r2),
        cmocka_unit_test(test_relimp_monte_carlo_within_4_se_of_exact),
        cmocka_unit_test(test_relimp_bootstrap_coverage),
        cmocka_unit_test(test_relimp_bootstrap_is_seeded),
        cmocka_unit_test(test_relimp_binary_outcome_is_linear_probability),
        cmocka_unit_test(test_relimp_corr_is_accurate_with_large_offsets),
        cmocka_unit_test(test_relimp_listwise_and_pairwise_missing),
        cmocka_unit_test(test_relimp_constant_driver_is_named),
        cmocka_unit_test(test_relimp_duplicate_driver_names_the_pair),
        cmocka_unit_test(test_relimp_too_few_rows_is_error),
        cmocka_unit_test(test_relimp_missing_outcome_is_error_unless_dropped),
        cmocka_unit_test(test_relimp_constant_or_one_class_outcome_is_error),
        cmocka_unit_test(test_relimp_infinite_value_is_error),
        cmocka_unit_test(test_relimp_exact_beyond_limit_is_error),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
