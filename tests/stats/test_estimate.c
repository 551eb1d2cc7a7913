/* The shared figure record. */
#include "harness.h"

#include <math.h>

#include "stats/estimate.h"

static void test_estimate_clear_makes_every_figure_undefined(void **state)
{
    (void)state;
    struct estimate e = {42, 1.0, 2.0, 3.0, 4.0};
    estimate_clear(&e);
    assert_int_equal(e.n, 0);
    assert_true(isnan(e.value));
    assert_true(isnan(e.se));
    assert_true(isnan(e.lo));
    assert_true(isnan(e.hi));
}

static void test_estimate_z95_is_the_normal_quantile(void **state)
{
    (void)state;
    /* Phi(1.959963984540054) = 0.975 */
    assert_close(0.5 * erfc(-ESTIMATE_Z95 / sqrt(2.0)), 0.975, 0, 1e-15);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_estimate_clear_makes_every_figure_undefined),
        cmocka_unit_test(test_estimate_z95_is_the_normal_quantile),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
