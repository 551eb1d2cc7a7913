/* String dictionary: dense codes in first-seen order, lookups, limits. */
#include "harness.h"

#include <stdio.h>
#include <string.h>

#include "colstore/dict.h"

static void test_dict_codes_are_dense_in_first_seen_order(void **state)
{
    (void)state;
    struct dict *d = dict_new(100);
    assert_int_equal(dict_intern(d, "sv", 2), 0);
    assert_int_equal(dict_intern(d, "en", 2), 1);
    assert_int_equal(dict_intern(d, "sv", 2), 0);
    assert_int_equal(dict_size(d), 2);
    assert_string_equal(dict_label(d, 1), "en");
    dict_free(d);
}

static void test_dict_find_does_not_add(void **state)
{
    (void)state;
    struct dict *d = dict_new(100);
    assert_int_equal(dict_find(d, "x", 1), -1);
    assert_int_equal(dict_size(d), 0);
    dict_intern(d, "x", 1);
    assert_int_equal(dict_find(d, "x", 1), 0);
    dict_free(d);
}

static void test_dict_uses_length_not_nul(void **state)
{
    (void)state;
    struct dict *d = dict_new(100);
    assert_int_equal(dict_intern(d, "abc", 2), 0); /* "ab" */
    assert_int_equal(dict_find(d, "ab", 2), 0);
    assert_int_equal(dict_find(d, "abc", 3), -1);
    assert_string_equal(dict_label(d, 0), "ab");
    dict_free(d);
}

static void test_dict_survives_growth(void **state)
{
    (void)state;
    struct dict *d = dict_new(100000);
    char buf[32];
    for (int i = 0; i < 5000; i++) {
        snprintf(buf, sizeof buf, "segment-%d", i);
        assert_int_equal(dict_intern(d, buf, strlen(buf)), i);
    }
    for (int i = 0; i < 5000; i += 7) {
        snprintf(buf, sizeof buf, "segment-%d", i);
        assert_int_equal(dict_find(d, buf, strlen(buf)), i);
        assert_string_equal(dict_label(d, i), buf);
    }
    assert_true(dict_memory(d) > 5000 * 10);
    dict_free(d);
}

static void test_dict_full_is_invalid(void **state)
{
    (void)state;
    struct dict *d = dict_new(2);
    assert_int_equal(dict_intern(d, "a", 1), 0);
    assert_int_equal(dict_intern(d, "b", 1), 1);
    assert_true(dict_intern(d, "c", 1) < 0);
    assert_int_equal(dict_intern(d, "a", 1), 0); /* known labels still work */
    dict_free(d);
    dict_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dict_codes_are_dense_in_first_seen_order),
        cmocka_unit_test(test_dict_find_does_not_add),
        cmocka_unit_test(test_dict_uses_length_not_nul),
        cmocka_unit_test(test_dict_survives_growth),
        cmocka_unit_test(test_dict_full_is_invalid),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
