/* Streaming mean and variance with t-based 95% intervals. */
#include "harness.h"

#include <math.h>

#include "../data/reference/stats_reference.h"
#include "stats/estimate.h"
#include "stats/mean.h"

/* 5,4,4,3,5,2,4,5: n 8, sum 32, mean 4; squared deviations
 * 1+0+0+1+1+4+0+1 = 8, s^2 = 8/7 = 1.142857, SE = sqrt(8/7/8) = .377964;
 * t(.975, 7) = 2.364624 -> CI 4 -+ .893744 = [3.106256, 4.893744]. */
static void test_mean_hand_worked_eight_answers(void **state)
{
    (void)state;
    static const int x[] = {5, 4, 4, 3, 5, 2, 4, 5};
    struct mean m = MEAN_INIT;
    struct estimate e;
    for (int i = 0; i < 8; i++)
        mean_add(&m, x[i]);
    mean_compute(&e, &m);
    assert_int_equal(e.n, 8);
    assert_close(e.value, 4.0, 0, 1e-12);
    assert_close(mean_variance(&m), 8.0 / 7.0, 1e-12, 0);
    assert_close(e.se, sqrt(1.0 / 7.0), 1e-12, 0);
    assert_close(e.lo, 3.106256, 0, 1e-6);
    assert_close(e.hi, 4.893744, 0, 1e-6);
}

static void test_mean_ci_matches_reference(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof ref_welch / sizeof ref_welch[0]; i++) {
        const struct ref_welch *r = &ref_welch[i];
        struct mean m = MEAN_INIT;
        struct estimate e;
        for (int j = 0; j < r->na; j++)
            mean_add(&m, r->a[j]);
        mean_compute(&e, &m);
        assert_close(e.value, r->mean_a, 1e-12, 0);
        assert_close(e.lo, r->lo_a, 1e-9, 0);
        assert_close(e.hi, r->hi_a, 1e-9, 0);
    }
}

static void test_mean_from_sums_equals_streaming(void **state)
{
    (void)state;
    struct gen g;
    struct mean a = MEAN_INIT, b;
    int64_t n = 0, sum = 0, sumsq = 0;
    gen_seed(&g, 7);
    for (int i = 0; i < 100000; i++) {
        int x = gen_range(&g, 1, 7);
        mean_add(&a, x);
        n++;
        sum += x;
        sumsq += x * x;
    }
    mean_from_sums(&b, n, sum, sumsq);
    assert_int_equal(a.n, b.n);
    assert_close(b.m, a.m, 1e-12, 0);
    assert_close(mean_variance(&b), mean_variance(&a), 1e-9, 0);
}

static void test_mean_merge_equals_one_pass(void **state)
{
    (void)state;
    struct mean all = MEAN_INIT, x = MEAN_INIT, y = MEAN_INIT, none = MEAN_INIT;
    for (int i = 0; i < 1000; i++) {
        double v = (i * 37 % 101) / 10.0;
        mean_add(&all, v);
        mean_add(i < 300 ? &x : &y, v);
    }
    mean_merge(&x, &y);
    mean_merge(&x, &none);
    assert_int_equal(x.n, 1000);
    assert_close(x.m, all.m, 1e-12, 0);
    assert_close(x.m2, all.m2, 1e-10, 0);
    mean_merge(&none, &x);
    assert_close(none.m, all.m, 1e-12, 0);
}

static void test_mean_one_answer_has_value_but_no_ci(void **state)
{
    (void)state;
    struct mean m = MEAN_INIT;
    struct estimate e;
    mean_add(&m, 3);
    mean_compute(&e, &m);
    assert_int_equal(e.n, 1);
    assert_close(e.value, 3.0, 0, 1e-12);
    assert_true(isnan(e.se) && isnan(e.lo) && isnan(e.hi));
}

static void test_mean_empty_is_nan(void **state)
{
    (void)state;
    struct mean m = MEAN_INIT;
    struct estimate e;
    mean_from_sums(&m, 0, 0, 0);
    mean_compute(&e, &m);
    assert_int_equal(e.n, 0);
    assert_true(isnan(e.value));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mean_hand_worked_eight_answers),
        cmocka_unit_test(test_mean_ci_matches_reference),
        cmocka_unit_test(test_mean_from_sums_equals_streaming),
        cmocka_unit_test(test_mean_merge_equals_one_pass),
        cmocka_unit_test(test_mean_one_answer_has_value_but_no_ci),
        cmocka_unit_test(test_mean_empty_is_nan),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
