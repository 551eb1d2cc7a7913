/* Case statistics: duration quantiles with order-statistic CIs, rates per
 * 1,000 and before/after changes. Expected values were computed apart from
 * this code, in Python 3 with exact fractions.Fraction binomial sums
 * (math.comb) for the CI ranks and plain floats for Wilson and Newcombe;
 * each test says which. */
#include "harness.h"

#include <math.h>

#include "core/rng.h"
#include "stats/casestats.h"
#include "stats/estimate.h"
#include "stats/nps.h"
#include "stats/prop.h"

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

/* n = 10, unsorted. Sorted: 0.5 1.0 2.2 3.1 4.4 6.0 7.25 9.9 12.0 30.5.
 * Type 7 median: h = 9 * 0.5 = 4.5 (0-based), (4.4 + 6.0) / 2 = 5.2.
 * Bin(10, 0.5): F(1) = 11/1024 <= 0.025 < F(2) = 56/1024, so l = 2;
 * F(7) = 968/1024 < 0.975 <= F(8) = 1013/1024, so u = 9; coverage
 * (1013 - 11)/1024 = 0.978515625, CI [x(2), x(9)] = [1.0, 12.0].
 * p90: h = 8.1, 12.0 + 0.1 * 18.5 = 13.85. Bin(10, 0.9): l = 7 (F(6) =
 * 0.0128 <= 0.025 < F(7) = 0.0702), u = 11 since F(9) = 1 - 0.9^10 =
 * 0.651 < 0.975: unbounded above. CI [x(7), inf) = [7.25, NAN]. */
static void test_casestats_n10_median_and_p90_match_hand(void **state)
{
    (void)state;
    double x[] = {3.1, 0.5, 12.0, 7.25, 1.0, 4.4, 9.9, 2.2, 6.0, 30.5};
    struct casestats_durations d;
    size_t l, u;
    casestats_durations(&d, x, N_OF(x));
    assert_int_equal(d.median.n, 10);
    assert_close(d.median.value, 5.2, 1e-12, 0);
    assert_close(d.median.lo, 1.0, 0, 0);
    assert_close(d.median.hi, 12.0, 0, 0);
    assert_true(isnan(d.median.se));
    assert_int_equal(d.p90.n, 10);
    assert_close(d.p90.value, 13.85, 1e-12, 0);
    assert_close(d.p90.lo, 7.25, 0, 0);
    assert_true(isnan(d.p90.hi));
    assert_true(isnan(d.p90.se));
    casestats_quantile_ranks(&l, &u, 10, 0.5);
    assert_int_equal(l, 2);
    assert_int_equal(u, 9);
    casestats_quantile_ranks(&l, &u, 10, 0.9);
    assert_int_equal(l, 7);
    assert_int_equal(u, 11);
    /* the caller's array is now sorted in place */
    for (size_t i = 1; i < N_OF(x); i++)
        assert_true(x[i - 1] <= x[i]);
}

/* n = 25: x = ((7 i) mod 26)^2 for i = 1..25, a permutation of the
 * squares 1, 4, ..., 625. Median: h = 12, x(13) = 169. Bin(25, 0.5): ranks
 * 8 and 18 (coverage 0.95671), CI [64, 324]. p90: h = 21.6,
 * 484 + 0.6 * (529 - 484) = 511; Bin(25, 0.9): ranks 19 and 26 (coverage
 * 0.99052), CI [361, NAN]. */
static void test_casestats_n25_unsorted_matches_hand(void **state)
{
    (void)state;
    double x[25];
    struct casestats_durations d;
    size_t l, u;
    for (int i = 1; i <= 25; i++) {
        int v = (7 * i) % 26;
        x[i - 1] = (double)(v * v);
    }
    assert_close(x[0], 49.0, 0, 0); /* really unsorted */
    casestats_durations(&d, x, N_OF(x));
    assert_int_equal(d.median.n, 25);
    assert_close(d.median.value, 169.0, 1e-12, 0);
    assert_close(d.median.lo, 64.0, 0, 0);
    assert_close(d.median.hi, 324.0, 0, 0);
    assert_close(d.p90.value, 511.0, 1e-12, 0);
    assert_close(d.p90.lo, 361.0, 0, 0);
    assert_true(isnan(d.p90.hi));
    casestats_quantile_ranks(&l, &u, 25, 0.5);
    assert_int_equal(l, 8);
    assert_int_equal(u, 18);
    casestats_quantile_ranks(&l, &u, 25, 0.9);
    assert_int_equal(l, 19);
    assert_int_equal(u, 26);
}

/* Ranks for larger n, from the exact Fraction sums: n = 100 median 40/61,
 * p90 84/96; n = 1000 median 469/532, p90 881/919. n = 6 is the first n
 * with a bounded median CI (1/6) and n = 36 the first for p90 (29/36). */
static void test_casestats_ranks_match_exact_binomial_sums(void **state)
{
    (void)state;
    static const struct {
        size_t n;
        double q;
        size_t l, u;
    } cases[] = {
        {100, 0.5, 40, 61},    {100, 0.9, 84, 96}, {1000, 0.5, 469, 532},
        {1000, 0.9, 881, 919}, {5, 0.5, 0, 6},     {6, 0.5, 1, 6},
        {35, 0.9, 28, 36},     {36, 0.9, 29, 36},  {2, 0.9, 1, 3},
    };
    for (size_t i = 0; i < N_OF(cases); i++) {
        size_t l, u;
        casestats_quantile_ranks(&l, &u, cases[i].n, cases[i].q);
        assert_int_equal(l, cases[i].l);
        assert_int_equal(u, cases[i].u);
    }
}

/* n = 1: the value itself, no CI on either side (Bin(1, q) puts 0.5 or
 * more in each tail). n = 2, x = {5, 1}: median 3 with ranks 0 and 3 (both
 * sides NAN); p90 = 1 + 0.9 * 4 = 4.6 with ranks 1 and 3 (F(0) = 0.01 <=
 * 0.025, F(1) = 0.19 < 0.975): lo = x(1) = 1, hi NAN. */
static void test_casestats_tiny_samples_have_nan_sides(void **state)
{
    (void)state;
    double one[] = {42.0}, two[] = {5.0, 1.0};
    struct casestats_durations d;
    casestats_durations(&d, one, 1);
    assert_int_equal(d.median.n, 1);
    assert_close(d.median.value, 42.0, 0, 0);
    assert_true(isnan(d.median.lo) && isnan(d.median.hi));
    assert_close(d.p90.value, 42.0, 0, 0);
    assert_true(isnan(d.p90.lo) && isnan(d.p90.hi));
    casestats_durations(&d, two, 2);
    assert_int_equal(d.median.n, 2);
    assert_close(d.median.value, 3.0, 1e-12, 0);
    assert_true(isnan(d.median.lo) && isnan(d.median.hi));
    assert_close(d.p90.value, 4.6, 1e-12, 0);
    assert_close(d.p90.lo, 1.0, 0, 0);
    assert_true(isnan(d.p90.hi));
}

static void test_casestats_empty_and_bad_q_are_nan(void **state)
{
    (void)state;
    struct casestats_durations d;
    struct estimate e;
    double x[] = {1.0, 2.0};
    casestats_durations(&d, NULL, 0);
    assert_int_equal(d.median.n, 0);
    assert_true(isnan(d.median.value) && isnan(d.median.lo));
    assert_true(isnan(d.p90.value) && isnan(d.p90.hi));
    casestats_quantile(&e, x, 2, 1.0);
    assert_true(isnan(e.value));
    casestats_quantile(&e, x, 2, NAN);
    assert_true(isnan(e.value));
}

/* Open cases (NAN) and infinities are left out and not counted: the rest
 * is the n = 10 sample of the first test, in another order. */
static void test_casestats_non_finite_durations_are_left_out(void **state)
{
    (void)state;
    double x[] = {NAN, 30.5, 9.9, INFINITY, 0.5,  6.0, 1.0,
                  NAN, 12.0, 2.2, 4.4,      7.25, 3.1, -INFINITY};
    struct casestats_durations d;
    assert_int_equal(casestats_sort(x, N_OF(x)), 10);
    casestats_durations(&d, x, N_OF(x));
    assert_int_equal(d.median.n, 10);
    assert_close(d.median.value, 5.2, 1e-12, 0);
    assert_close(d.median.lo, 1.0, 0, 0);
    assert_close(d.median.hi, 12.0, 0, 0);
    assert_close(d.p90.value, 13.85, 1e-12, 0);
}

static void test_casestats_input_order_does_not_matter(void **state)
{
    (void)state;
    double up[40], down[40];
    struct casestats_durations a, b;
    for (int i = 0; i < 40; i++) {
        up[i] = 0.25 * i * i;
        down[39 - i] = 0.25 * i * i;
    }
    casestats_durations(&a, up, 40);
    casestats_durations(&b, down, 40);
    assert_close(a.median.value, b.median.value, 0, 0);
    assert_close(a.median.lo, b.median.lo, 0, 0);
    assert_close(a.median.hi, b.median.hi, 0, 0);
    assert_close(a.p90.value, b.p90.value, 0, 0);
    assert_close(a.p90.lo, b.p90.lo, 0, 0);
    assert_close(a.p90.hi, b.p90.hi, 0, 0);
}

/* Planted: exponential durations with mean 10 hours have median
 * 10 ln 2 and 90th percentile 10 ln 10. Over 400 samples of n = 50 the
 * order-statistic CIs must cover them at least ~95% of the time (exact
 * coverage: 0.967 for the median, 0.970 for p90 from the binomial sums;
 * the bound 0.93 leaves 3 SEs of Monte Carlo error). */
static void test_casestats_quantile_ci_covers_planted_quantiles(void **state)
{
    (void)state;
    const double med = 10.0 * log(2.0), p90 = 10.0 * log(10.0);
    struct rng r;
    int cov_med = 0, cov_p90 = 0, reps = 400;
    rng_seed(&r, 20261201);
    for (int rep = 0; rep < reps; rep++) {
        double x[50];
        struct casestats_durations d;
        for (int i = 0; i < 50; i++)
            x[i] = rng_exponential(&r, 10.0);
        casestats_durations(&d, x, 50);
        assert_false(isnan(d.p90.lo) || isnan(d.p90.hi));
        cov_med += d.median.lo <= med && med <= d.median.hi;
        cov_p90 += d.p90.lo <= p90 && p90 <= d.p90.hi;
    }
    assert_true(cov_med >= 0.93 * reps);
    assert_true(cov_p90 >= 0.93 * reps);
}

/* 12 cases in 2,500 responses: 4.8 per 1,000; Wilson on 12/2500 (Python,
 * z = 1.959963984540054) gives [2.74796022515, 8.37153726644] per 1,000
 * and SE 1000 sqrt(p (1 - p) / n) = 1.38231110825. 3 in 40: 75 per 1,000,
 * [25.8360257746, 198.642335243]. 0 in 500: 0, [0, 7.62434046155]. */
static void test_casestats_rate_per_1000_matches_hand(void **state)
{
    (void)state;
    struct estimate e;
    casestats_rate_per_1000(&e, 12, 2500);
    assert_int_equal(e.n, 2500);
    assert_close(e.value, 4.8, 1e-12, 0);
    assert_close(e.se, 1.38231110825, 1e-10, 0);
    assert_close(e.lo, 2.74796022515, 1e-10, 0);
    assert_close(e.hi, 8.37153726644, 1e-10, 0);
    casestats_rate_per_1000(&e, 3, 40);
    assert_close(e.value, 75.0, 1e-12, 0);
    assert_close(e.lo, 25.8360257746, 1e-10, 0);
    assert_close(e.hi, 198.642335243, 1e-10, 0);
    casestats_rate_per_1000(&e, 0, 500);
    assert_close(e.value, 0.0, 0, 0);
    assert_close(e.lo, 0.0, 0, 1e-12);
    assert_close(e.hi, 7.62434046155, 1e-10, 0);
}

static void test_casestats_rate_outside_0_to_n_is_nan(void **state)
{
    (void)state;
    struct estimate e;
    casestats_rate_per_1000(&e, 5, 4);
    assert_int_equal(e.n, 4);
    assert_true(isnan(e.value) && isnan(e.lo) && isnan(e.hi));
    casestats_rate_per_1000(&e, -1, 10);
    assert_true(isnan(e.value));
    casestats_rate_per_1000(&e, 0, 0);
    assert_int_equal(e.n, 0);
    assert_true(isnan(e.value));
}

/* Before 50/30/20 (NPS 30), after 70/20/10 (NPS 60). PRODUCT.md variances
 * (.5 + .2 - .09)/100 = .0061 and (.8 - .36)/100 = .0044, SE 100
 * sqrt(.0105) = 10.2469507660, CI 30 -+ 1.959963984540054 SE =
 * [9.91634554736, 50.0836544526] (Python). */
static void test_casestats_nps_change_matches_hand(void **state)
{
    (void)state;
    struct nps before = {50, 30, 20}, after = {70, 20, 10};
    struct casestats_change c;
    casestats_nps_change(&c, &before, &after);
    assert_true(c.valid);
    assert_int_equal(c.before.n, 100);
    assert_int_equal(c.after.n, 100);
    assert_close(c.before.value, 30.0, 0, 1e-12);
    assert_close(c.after.value, 60.0, 0, 1e-12);
    assert_close(c.diff, 30.0, 0, 1e-12);
    assert_close(c.lo, 9.91634554736, 1e-10, 0);
    assert_close(c.hi, 50.0836544526, 1e-10, 0);
    assert_true(c.significant);
    casestats_nps_change(&c, &after, &before); /* the sign follows */
    assert_close(c.diff, -30.0, 0, 1e-12);
    assert_true(c.significant);
}

static void test_casestats_change_without_data_is_invalid(void **state)
{
    (void)state;
    struct nps some = {3, 1, 1}, none = NPS_INIT;
    struct prop p = {2, 5}, empty = PROP_INIT, bad = {6, 5};
    struct casestats_change c;
    casestats_nps_change(&c, &none, &some);
    assert_false(c.valid);
    assert_false(c.significant);
    assert_int_equal(c.after.n, 5);
    assert_true(isnan(c.diff) && isnan(c.lo) && isnan(c.hi));
    casestats_share_change(&c, &p, &empty);
    assert_false(c.valid);
    assert_int_equal(c.before.n, 5);
    casestats_share_change(&c, &bad, &p);
    assert_false(c.valid);
}

/* All promoters before, all detractors after: -200 points on an SE of 0.
 * compare_nps never calls a zero-variance difference significant, and
 * neither does the change. */
static void test_casestats_nps_change_on_zero_se_is_not_significant(void **s)
{
    (void)s;
    struct nps pro = {4, 0, 0}, det = {0, 0, 4};
    struct casestats_change c;
    casestats_nps_change(&c, &pro, &det);
    assert_true(c.valid);
    assert_close(c.diff, -200.0, 0, 1e-12);
    assert_false(c.significant);
}

static void draw_nps(struct nps *out, struct rng *r, int n, double pp,
                     double pd)
{
    struct nps z = NPS_INIT;
    *out = z;
    for (int i = 0; i < n; i++) {
        double u = rng_uniform(r);
        out->promoters += u < pp;
        out->detractors += u >= pp && u < pp + pd;
        out->passives += u >= pp + pd;
    }
}

/* Planted: before p+ = .25, p- = .40 (NPS -15), after p+ = .55, p- = .15
 * (NPS +40), 400 answers each: the true change is +55 points and the SE
 * about 100 sqrt((.65 - .0225)/400 + (.70 - .16)/400) = 5.4, so the CI
 * must cover 55 and exclude 0. */
static void test_casestats_nps_change_recovers_planted_effect(void **state)
{
    (void)state;
    struct rng r;
    struct nps before, after;
    struct casestats_change c;
    rng_seed(&r, 7);
    draw_nps(&before, &r, 400, 0.25, 0.40);
    draw_nps(&after, &r, 400, 0.55, 0.15);
    casestats_nps_change(&c, &before, &after);
    assert_true(c.valid);
    assert_true(c.lo <= 55.0 && 55.0 <= c.hi);
    assert_true(c.lo > 0);
    assert_true(c.significant);
    assert_close(c.diff, 55.0, 0, 4 * 5.4);
}

/* Planted: a small change, NPS 0 (.30/.30) to 20 (.40/.20) with 300
 * answers each, repeated 400 times. The Wald CI should cover 20 about 95%
 * of the time (bounds: 3 Monte Carlo SEs), and a no-change pair (.30/.30
 * both times) should be flagged in about 5% of the repetitions. */
static void test_casestats_nps_change_coverage_and_false_alarms(void **state)
{
    (void)state;
    struct rng r;
    int covered = 0, alarms = 0, reps = 400;
    rng_seed(&r, 99);
    for (int rep = 0; rep < reps; rep++) {
        struct nps before, after, same;
        struct casestats_change c;
        draw_nps(&before, &r, 300, 0.30, 0.30);
        draw_nps(&after, &r, 300, 0.40, 0.20);
        draw_nps(&same, &r, 300, 0.30, 0.30);
        casestats_nps_change(&c, &before, &after);
        covered += c.lo <= 20.0 && 20.0 <= c.hi;
        casestats_nps_change(&c, &before, &same);
        alarms += c.significant;
    }
    assert_true(covered >= 0.92 * reps && covered <= 0.98 * reps);
    assert_true(alarms <= 0.08 * reps);
}

/* Newcombe (1998), Statistics in Medicine 17:873-890, Table II, method 10,
 * recomputed in Python from the two Wilson intervals (points):
 *   56/70 - 48/80   20        [5.24314724024, 33.3872654037]  (paper .0524,
 * .3339) 9/10 - 3/10     60        [17.0522723935, 80.9017973535]  (.1705,
 * .8090) 5/56 - 0/29     8.92857.. [-3.81371479035, 19.2560013855] (-.0381,
 * .1926) 0/10 - 0/10     0         [-27.7532799863, 27.7532799863] (-.2775,
 * .2775) 10/10 - 0/10    100       [60.7509350431, 100]            (.6075, 1)
 */
static void test_casestats_share_change_matches_newcombe(void **state)
{
    (void)state;
    static const struct {
        int64_t k1, n1, k0, n0;
        double diff, lo, hi;
        int significant;
    } cases[] = {
        {56, 70, 48, 80, 20.0, 5.24314724024, 33.3872654037, 1},
        {9, 10, 3, 10, 60.0, 17.0522723935, 80.9017973535, 1},
        {5, 56, 0, 29, 8.92857142857, -3.81371479035, 19.2560013855, 0},
        {0, 10, 0, 10, 0.0, -27.7532799863, 27.7532799863, 0},
        {10, 10, 0, 10, 100.0, 60.7509350431, 100.0, 1},
    };
    for (size_t i = 0; i < N_OF(cases); i++) {
        struct prop after = {cases[i].k1, cases[i].n1};
        struct prop before = {cases[i].k0, cases[i].n0};
        struct casestats_change c;
        casestats_share_change(&c, &before, &after);
        assert_true(c.valid);
        assert_int_equal(c.after.n, cases[i].n1);
        assert_int_equal(c.before.n, cases[i].n0);
        assert_close(c.diff, cases[i].diff, 1e-10, 1e-12);
        assert_close(c.lo, cases[i].lo, 1e-10, 1e-9);
        assert_close(c.hi, cases[i].hi, 1e-10, 1e-9);
        assert_int_equal(c.significant, cases[i].significant);
    }
}

/* Planted: a theme mentioned by 10% of responses before and 20% after,
 * 300 each. The CI must cover +10 and exclude 0 (SE about 2.9 points). */
static void test_casestats_share_change_recovers_planted_effect(void **state)
{
    (void)state;
    struct rng r;
    struct prop before = PROP_INIT, after = PROP_INIT;
    struct casestats_change c;
    rng_seed(&r, 2026);
    for (int i = 0; i < 300; i++) {
        prop_add(&before, rng_bernoulli(&r, 0.10));
        prop_add(&after, rng_bernoulli(&r, 0.20));
    }
    casestats_share_change(&c, &before, &after);
    assert_true(c.valid);
    assert_true(c.lo <= 10.0 && 10.0 <= c.hi);
    assert_true(c.significant && c.lo > 0);
}

static void test_casestats_excludes_zero(void **state)
{
    (void)state;
    assert_true(casestats_excludes_zero(0.5, 3.0));
    assert_true(casestats_excludes_zero(-3.0, -0.5));
    assert_false(casestats_excludes_zero(-1.0, 1.0));
    assert_false(casestats_excludes_zero(0.0, 1.0));
    assert_false(casestats_excludes_zero(NAN, 1.0));
    assert_false(casestats_excludes_zero(NAN, NAN));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_casestats_n10_median_and_p90_match_hand),
        cmocka_unit_test(test_casestats_n25_unsorted_matches_hand),
        cmocka_unit_test(test_casestats_ranks_match_exact_binomial_sums),
        cmocka_unit_test(test_casestats_tiny_samples_have_nan_sides),
        cmocka_unit_test(test_casestats_empty_and_bad_q_are_nan),
        cmocka_unit_test(test_casestats_non_finite_durations_are_left_out),
        cmocka_unit_test(test_casestats_input_order_does_not_matter),
        cmocka_unit_test(test_casestats_quantile_ci_covers_planted_quantiles),
        cmocka_unit_test(test_casestats_rate_per_1000_matches_hand),
        cmocka_unit_test(test_casestats_rate_outside_0_to_n_is_nan),
        cmocka_unit_test(test_casestats_nps_change_matches_hand),
        cmocka_unit_test(test_casestats_change_without_data_is_invalid),
        cmocka_unit_test(
            test_casestats_nps_change_on_zero_se_is_not_significant),
        cmocka_unit_test(test_casestats_nps_change_recovers_planted_effect),
        cmocka_unit_test(test_casestats_nps_change_coverage_and_false_alarms),
        cmocka_unit_test(test_casestats_share_change_matches_newcombe),
        cmocka_unit_test(test_casestats_share_change_recovers_planted_effect),
        cmocka_unit_test(test_casestats_excludes_zero),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
