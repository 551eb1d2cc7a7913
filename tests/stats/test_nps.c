/* NPS counts, value, trinomial variance and Wald CI, against hand-worked
 * fixtures. */
#include "harness.h"

#include <math.h>

#include "stats/estimate.h"
#include "stats/nps.h"

static void add_all(struct nps *a, const int *s, int n)
{
    for (int i = 0; i < n; i++)
        nps_add(a, s[i]);
}

static void test_nps_all_promoters_is_100(void **state)
{
    (void)state;
    struct nps a = NPS_INIT;
    struct estimate e;
    for (int i = 0; i < 40; i++)
        nps_add(&a, 9 + i % 2);
    nps_compute(&e, &a);
    assert_int_equal(e.n, 40);
    assert_close(e.value, 100.0, 0, 1e-12);
    assert_close(e.se, 0.0, 0, 1e-12);
    assert_close(e.lo, 100.0, 0, 1e-12);
    assert_close(e.hi, 100.0, 0, 1e-12);
}

static void test_nps_all_detractors_is_minus_100(void **state)
{
    (void)state;
    struct nps a = NPS_INIT;
    struct estimate e;
    for (int s = 0; s <= 6; s++)
        nps_add(&a, s);
    nps_compute(&e, &a);
    assert_int_equal(a.detractors, 7);
    assert_close(e.value, -100.0, 0, 1e-12);
    assert_close(e.se, 0.0, 0, 1e-12);
}

static void test_nps_classifies_boundaries(void **state)
{
    (void)state;
    struct nps a = NPS_INIT;
    nps_add(&a, 6); /* detractor */
    nps_add(&a, 7); /* passive */
    nps_add(&a, 8); /* passive */
    nps_add(&a, 9); /* promoter */
    assert_int_equal(a.detractors, 1);
    assert_int_equal(a.passives, 2);
    assert_int_equal(a.promoters, 1);
}

/* Scores 10,10,9,9,9,8,7,6,3,0: 5 promoters, 2 passives, 3 detractors.
 *   NPS = 100 (5 - 3) / 10 = 20
 *   p+ = .5, p- = .3: Var = (.5 + .3 - (.5 - .3)^2) / 10 = .76 / 10 = .076
 *   SE = 100 sqrt(.076) = 27.568097504180443
 *   CI = 20 -+ 1.959963984540054 * 27.5680975 = [-34.0325, 74.0325] */
static void test_nps_hand_worked_ten_answers(void **state)
{
    (void)state;
    static const int s[] = {10, 10, 9, 9, 9, 8, 7, 6, 3, 0};
    struct nps a = NPS_INIT;
    struct estimate e;
    add_all(&a, s, 10);
    nps_compute(&e, &a);
    assert_int_equal(e.n, 10);
    assert_close(e.value, 20.0, 0, 1e-12);
    assert_close(nps_variance(&a), 0.076, 0, 1e-15);
    assert_close(e.se, 27.568097504180443, 1e-12, 0);
    assert_close(e.lo, 20.0 - 1.959963984540054 * 27.568097504180443, 1e-12, 0);
    assert_close(e.hi, 74.03247823048221, 1e-12, 0);
}

/* 100 promoters, 60 passives, 40 detractors (n = 200):
 *   NPS = 30; Var = (.5 + .2 - .3^2) / 200 = .61 / 200 = .00305
 *   SE = 100 sqrt(.00305) = 5.522680508593631
 *   CI = 30 -+ 10.824254895 = [19.175745, 40.824255] */
static void test_nps_hand_worked_two_hundred(void **state)
{
    (void)state;
    struct nps a = {100, 60, 40};
    struct estimate e;
    nps_compute(&e, &a);
    assert_close(e.value, 30.0, 0, 1e-12);
    assert_close(e.se, 5.522680508593631, 1e-12, 0);
    assert_close(e.lo, 19.175745105035137, 1e-12, 0);
    assert_close(e.hi, 40.824254894964863, 1e-12, 0);
}

/* 3 promoters, 1 detractor: NPS 50, Var = (1 - .25) / 4 = .1875,
 * SE 43.30127; the upper end 50 + 84.87 is clipped to 100. */
static void test_nps_ci_is_clipped_to_scale(void **state)
{
    (void)state;
    struct nps a = {3, 0, 1};
    struct estimate e;
    nps_compute(&e, &a);
    assert_close(e.se, 43.30127018922193, 1e-12, 0);
    assert_close(e.hi, 100.0, 0, 1e-12);
    assert_close(e.lo, 50.0 - 1.959963984540054 * 43.30127018922193, 1e-12, 0);
}

static void test_nps_empty_is_nan_with_n_zero(void **state)
{
    (void)state;
    struct nps a = NPS_INIT;
    struct estimate e;
    nps_compute(&e, &a);
    assert_int_equal(e.n, 0);
    assert_true(isnan(e.value));
    assert_true(isnan(e.se));
    assert_true(isnan(e.lo) && isnan(e.hi));
}

static void test_nps_ignores_unanswered_and_out_of_range(void **state)
{
    (void)state;
    struct nps a = NPS_INIT;
    nps_add(&a, -1);
    nps_add(&a, 11);
    nps_add(&a, 10);
    assert_int_equal(nps_n(&a), 1);
    assert_close(nps_value(&a), 100.0, 0, 1e-12);
}

static void test_nps_from_hist_matches_adding(void **state)
{
    (void)state;
    int64_t hist[11] = {0};
    struct nps a = NPS_INIT, b;
    for (int i = 0; i < 500; i++) {
        int s = (i * 7 + 3) % 11;
        hist[s]++;
        nps_add(&a, s);
    }
    nps_from_hist(&b, hist);
    assert_int_equal(a.promoters, b.promoters);
    assert_int_equal(a.passives, b.passives);
    assert_int_equal(a.detractors, b.detractors);
}

static void test_nps_merge_adds_counts(void **state)
{
    (void)state;
    struct nps a = {1, 2, 3}, b = {10, 20, 30};
    nps_merge(&a, &b);
    assert_int_equal(a.promoters, 11);
    assert_int_equal(a.passives, 22);
    assert_int_equal(a.detractors, 33);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_nps_all_promoters_is_100),
        cmocka_unit_test(test_nps_all_detractors_is_minus_100),
        cmocka_unit_test(test_nps_classifies_boundaries),
        cmocka_unit_test(test_nps_hand_worked_ten_answers),
        cmocka_unit_test(test_nps_hand_worked_two_hundred),
        cmocka_unit_test(test_nps_ci_is_clipped_to_scale),
        cmocka_unit_test(test_nps_empty_is_nan_with_n_zero),
        cmocka_unit_test(test_nps_ignores_unanswered_and_out_of_range),
        cmocka_unit_test(test_nps_from_hist_matches_adding),
        cmocka_unit_test(test_nps_merge_adds_counts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
