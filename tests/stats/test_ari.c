/* The adjusted Rand index against a hand-computed contingency table and
 * known values (src/stats/ari.c). */
#include "harness.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "stats/ari.h"

/* a = {0,0,0,1,1,1}, b = {0,0,1,1,2,2}: cells (0,0)=2 (0,1)=1 (1,1)=1
 * (1,2)=2, so sum C(n_ij,2) = 2; rows 3,3: sum C = 6; columns 2,2,2:
 * sum C = 3; C(6,2) = 15; E = 6*3/15 = 1.2; M = (6+3)/2 = 4.5;
 * ARI = (2 - 1.2)/(4.5 - 1.2) = 0.8/3.3. */
static void test_ari_hand_computed_contingency(void **state)
{
    (void)state;
    const uint32_t a[6] = {0, 0, 0, 1, 1, 1}, b[6] = {0, 0, 1, 1, 2, 2};
    assert_close(ari_compute(a, b, 6), 0.8 / 3.3, 1e-12, 1e-12);
    assert_close(ari_compute(b, a, 6), 0.8 / 3.3, 1e-12, 1e-12);
}

/* A second example with sparse labels: a = {5,5,9,9,9,7,7},
 * b = {1,1,1,2,2,3,3}: cells (5,1)=2 (9,1)=1 (9,2)=2 (7,3)=2, sum C = 3;
 * rows 2,3,2: sum C = 1+3+1 = 5; columns 3,2,2: 3+1+1 = 5; C(7,2) = 21;
 * E = 25/21; M = 5; ARI = (3 - 25/21)/(5 - 25/21) = 38/80. */
static void test_ari_sparse_labels(void **state)
{
    (void)state;
    const uint32_t a[7] = {5, 5, 9, 9, 9, 7, 7}, b[7] = {1, 1, 1, 2, 2, 3, 3};
    assert_close(ari_compute(a, b, 7), 38.0 / 80.0, 1e-12, 1e-12);
}

static void test_ari_identical_up_to_labels_is_1(void **state)
{
    (void)state;
    uint32_t a[100], b[100];
    for (int i = 0; i < 100; i++) {
        a[i] = (uint32_t)(i % 7);
        b[i] = (uint32_t)(100 + 3 * (i % 7)); /* renamed */
    }
    assert_close(ari_compute(a, b, 100), 1.0, 0, 1e-12);
}

static void test_ari_independent_is_near_0(void **state)
{
    (void)state;
    struct gen g;
    size_t n = 20000;
    uint32_t *a = malloc(n * sizeof *a), *b = malloc(n * sizeof *b);
    gen_seed(&g, 3);
    for (size_t i = 0; i < n; i++) {
        a[i] = (uint32_t)gen_range(&g, 0, 5);
        b[i] = (uint32_t)gen_range(&g, 0, 3);
    }
    assert_close(ari_compute(a, b, n), 0.0, 0, 0.005);
    free(a);
    free(b);
}

static void test_ari_undefined_cases_are_nan(void **state)
{
    (void)state;
    const uint32_t one[4] = {2, 2, 2, 2}, own[4] = {0, 1, 2, 3};
    assert_true(isnan(ari_compute(one, one, 4)));
    assert_true(isnan(ari_compute(own, own, 4)));
    assert_true(isnan(ari_compute(one, one, 1)));
    /* one group against singletons: agreement is exactly chance */
    assert_close(ari_compute(one, own, 4), 0.0, 0, 1e-12);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ari_hand_computed_contingency),
        cmocka_unit_test(test_ari_sparse_labels),
        cmocka_unit_test(test_ari_identical_up_to_labels_is_1),
        cmocka_unit_test(test_ari_independent_is_near_0),
        cmocka_unit_test(test_ari_undefined_cases_are_nan),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
