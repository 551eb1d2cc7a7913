/* Two-group comparisons against reference values computed independently
 * (tests/data/reference/make_stats_reference.py, mpmath). */
#include "harness.h"

#include <math.h>

#include "../data/reference/stats_reference.h"
#include "stats/compare.h"
#include "stats/mean.h"
#include "stats/nps.h"
#include "stats/prop.h"

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

static void test_compare_nps_matches_reference(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_OF(ref_nps_cmp); i++) {
        const struct ref_nps_cmp *r = &ref_nps_cmp[i];
        struct nps a = {r->a[0], r->a[1], r->a[2]};
        struct nps b = {r->b[0], r->b[1], r->b[2]};
        struct comparison c;
        compare_nps(&c, &a, &b);
        assert_true(c.valid);
        assert_int_equal(c.test, COMPARE_Z);
        assert_close(c.diff, r->diff, 1e-12, 1e-12);
        assert_close(c.se, r->se, 1e-12, 0);
        assert_close(c.lo, r->lo, 1e-12, 1e-12);
        assert_close(c.hi, r->hi, 1e-12, 1e-12);
        assert_close(c.stat, r->z, 1e-12, 0);
        assert_close(c.p, r->p, 1e-9, 1e-15);
    }
}

/* 50/30/20 vs 70/20/10: NPS 30 vs 60. Var_a = (.5+.2-.09)/100 = .0061,
 * Var_b = (.8-.36)/100 = .0044, SE = 100 sqrt(.0105) = 10.24695,
 * z = 30 / 10.24695 = 2.9277, p = 2 (1 - Phi(2.9277)) = .003415. */
static void test_compare_nps_hand_worked(void **state)
{
    (void)state;
    struct nps a = {50, 30, 20}, b = {70, 20, 10};
    struct comparison c;
    compare_nps(&c, &a, &b);
    assert_close(c.a, 30.0, 0, 1e-12);
    assert_close(c.b, 60.0, 0, 1e-12);
    assert_close(c.se, 100 * sqrt(0.0105), 1e-12, 0);
    assert_close(c.p, 0.003415, 0, 1e-6);
    assert_true(c.lo > 0); /* significant: the CI excludes 0 */
}

static void test_compare_welch_matches_reference(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_OF(ref_welch); i++) {
        const struct ref_welch *r = &ref_welch[i];
        struct mean a = MEAN_INIT, b = MEAN_INIT;
        struct comparison c;
        for (int j = 0; j < r->na; j++)
            mean_add(&a, r->a[j]);
        for (int j = 0; j < r->nb; j++)
            mean_add(&b, r->b[j]);
        compare_means(&c, &a, &b);
        assert_true(c.valid);
        assert_int_equal(c.test, COMPARE_WELCH);
        assert_close(c.diff, r->diff, 1e-12, 1e-12);
        assert_close(c.se, r->se, 1e-12, 0);
        assert_close(c.df, r->df, 1e-10, 0);
        assert_close(c.stat, r->t, 1e-10, 0);
        assert_close(c.lo, r->lo, 1e-9, 1e-12);
        assert_close(c.hi, r->hi, 1e-9, 1e-12);
        assert_close(c.p, r->p, 1e-8, 1e-15);
    }
}

static void test_compare_props_matches_reference(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_OF(ref_prop); i++) {
        const struct ref_prop *r = &ref_prop[i];
        struct prop a = {r->ka, r->na}, b = {r->kb, r->nb};
        struct comparison c;
        compare_props(&c, &a, &b);
        assert_true(c.valid);
        assert_close(c.diff, r->diff, 1e-12, 1e-12);
        assert_close(c.se, r->se, 1e-12, 1e-12);
        assert_close(c.p, r->p, 1e-9, 1e-15);
        assert_close(c.hi - c.lo, 2 * 1.959963984540054 * r->se, 1e-12, 1e-12);
    }
}

static void test_compare_identical_groups_is_not_significant(void **state)
{
    (void)state;
    struct nps a = {40, 30, 30};
    struct comparison c;
    compare_nps(&c, &a, &a);
    assert_close(c.diff, 0.0, 0, 1e-12);
    assert_close(c.p, 1.0, 0, 1e-12);
    assert_true(c.lo < 0 && c.hi > 0);
}

static void test_compare_zero_se_gives_p_zero_or_one(void **state)
{
    (void)state;
    struct nps pro = {10, 0, 0}, det = {0, 0, 10};
    struct mean m3 = MEAN_INIT, m5 = MEAN_INIT;
    struct comparison c;
    compare_nps(&c, &pro, &det);
    assert_close(c.diff, -200.0, 0, 1e-12);
    assert_close(c.p, 0.0, 0, 0);
    compare_nps(&c, &pro, &pro);
    assert_close(c.p, 1.0, 0, 0);
    for (int i = 0; i < 5; i++) {
        mean_add(&m3, 3);
        mean_add(&m5, 5);
    }
    compare_means(&c, &m3, &m5);
    assert_true(c.valid);
    assert_close(c.diff, 2.0, 0, 1e-12);
    assert_close(c.p, 0.0, 0, 0);
}

static void test_compare_needs_data_in_both_groups(void **state)
{
    (void)state;
    struct nps a = {5, 0, 0}, none = NPS_INIT;
    struct mean one = MEAN_INIT, many = MEAN_INIT;
    struct prop p = {1, 2}, empty = PROP_INIT;
    struct comparison c;
    compare_nps(&c, &a, &none);
    assert_false(c.valid);
    assert_true(isnan(c.p));
    mean_add(&one, 4);
    for (int i = 0; i < 5; i++)
        mean_add(&many, i);
    compare_means(&c, &one, &many);
    assert_false(c.valid);
    compare_props(&c, &empty, &p);
    assert_false(c.valid);
}

static void test_compare_difference_is_b_minus_a(void **state)
{
    (void)state;
    struct prop a = {10, 100}, b = {30, 100};
    struct comparison c;
    compare_props(&c, &a, &b);
    assert_close(c.diff, 20.0, 0, 1e-12);
    assert_true(c.stat > 0);
    assert_string_equal(compare_test_name(COMPARE_WELCH), "Welch t");
    assert_string_equal(compare_test_name(COMPARE_Z), "z");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_compare_nps_matches_reference),
        cmocka_unit_test(test_compare_nps_hand_worked),
        cmocka_unit_test(test_compare_welch_matches_reference),
        cmocka_unit_test(test_compare_props_matches_reference),
        cmocka_unit_test(test_compare_identical_groups_is_not_significant),
        cmocka_unit_test(test_compare_zero_se_gives_p_zero_or_one),
        cmocka_unit_test(test_compare_needs_data_in_both_groups),
        cmocka_unit_test(test_compare_difference_is_b_minus_a),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
