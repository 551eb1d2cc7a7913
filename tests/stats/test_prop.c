/* Proportions in percent with Wilson 95% intervals. */
#include "harness.h"

#include <math.h>

#include "../data/reference/stats_reference.h"
#include "stats/estimate.h"
#include "stats/prop.h"

/* 45 of 60: p = .75. Wilson with z = 1.959964, z^2 = 3.841459:
 *   centre = (.75 + 3.841459/120) / (1 + 3.841459/60) = .78201 / 1.064024
 *          = .734956
 *   half   = 1.959964 / 1.064024 * sqrt(.75*.25/60 + 3.841459/14400)
 *          = 1.842029 * sqrt(.003125 + .000266768) = .107273
 *   CI     = [62.77, 84.22] percent (reference: 62.7679, 84.2235) */
static void test_prop_wilson_matches_hand_and_reference(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof ref_prop / sizeof ref_prop[0]; i++) {
        struct prop p = {ref_prop[i].ka, ref_prop[i].na};
        struct estimate e;
        prop_compute(&e, &p);
        assert_int_equal(e.n, ref_prop[i].na);
        assert_close(e.value, 100.0 * (double)p.k / (double)p.n, 1e-12, 0);
        assert_close(e.lo, ref_prop[i].lo_a, 1e-9, 1e-9);
        assert_close(e.hi, ref_prop[i].hi_a, 1e-9, 1e-9);
    }
    struct prop p = {45, 60};
    struct estimate e;
    prop_compute(&e, &p);
    assert_close(e.lo, 62.77, 0, 0.01);
    assert_close(e.hi, 84.22, 0, 0.01);
    assert_close(e.se, 100 * sqrt(.75 * .25 / 60), 1e-12, 0);
}

static void test_prop_zero_successes_has_positive_upper_bound(void **state)
{
    (void)state;
    struct prop p = {0, 25};
    struct estimate e;
    prop_compute(&e, &p);
    assert_close(e.value, 0.0, 0, 1e-12);
    assert_close(e.lo, 0.0, 0, 1e-12);
    /* Wilson upper bound z^2 / (n + z^2) = 3.841459 / 28.841459 */
    assert_close(e.hi, 100 * 3.841458820694124 / 28.841458820694124, 1e-9, 0);
}

static void test_prop_all_successes_has_lower_bound_below_100(void **state)
{
    (void)state;
    struct prop p = {10, 10};
    struct estimate e;
    prop_compute(&e, &p);
    assert_close(e.value, 100.0, 0, 1e-12);
    assert_close(e.hi, 100.0, 0, 1e-12);
    assert_close(e.lo, 100 * 10 / (10 + 3.841458820694124), 1e-9, 0);
}

static void test_prop_add_counts_hits(void **state)
{
    (void)state;
    struct prop p = PROP_INIT, q = {1, 1};
    prop_add(&p, 1);
    prop_add(&p, 0);
    prop_add(&p, 7);
    assert_int_equal(p.k, 2);
    assert_int_equal(p.n, 3);
    prop_merge(&p, &q);
    assert_int_equal(p.k, 3);
    assert_int_equal(p.n, 4);
}

static void test_prop_empty_is_nan(void **state)
{
    (void)state;
    struct prop p = PROP_INIT;
    struct estimate e;
    prop_compute(&e, &p);
    assert_int_equal(e.n, 0);
    assert_true(isnan(e.value) && isnan(e.lo) && isnan(e.hi));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_prop_wilson_matches_hand_and_reference),
        cmocka_unit_test(test_prop_zero_successes_has_positive_upper_bound),
        cmocka_unit_test(test_prop_all_successes_has_lower_bound_below_100),
        cmocka_unit_test(test_prop_add_counts_hits),
        cmocka_unit_test(test_prop_empty_is_nan),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
