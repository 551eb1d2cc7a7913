/* Tests for src/core/strmap.c: the string -> int64 hash map. */
#include "harness.h"

#include <stdio.h>
#include <string.h>

#include "core/strmap.h"

static void test_strmap_put_get_and_replace(void **state)
{
    (void)state;
    struct strmap *m = strmap_new();
    int64_t v = 0;
    assert_int_equal(strmap_get(m, "a", 1, &v), 0);
    assert_int_equal(strmap_put(m, "a", 1, 7), 1);
    assert_int_equal(strmap_put(m, "a", 1, 8), 0); /* replaced */
    assert_int_equal(strmap_get(m, "a", 1, &v), 1);
    assert_int_equal(v, 8);
    assert_int_equal(strmap_count(m), 1);
    strmap_free(m);
    strmap_free(NULL);
}

static void test_strmap_add_keeps_the_first_value(void **state)
{
    (void)state;
    struct strmap *m = strmap_new();
    int64_t old = 0;
    assert_int_equal(strmap_add(m, "r1", 2, 3, &old), 1);
    assert_int_equal(strmap_add(m, "r1", 2, 9, &old), 0);
    assert_int_equal(old, 3);
    int64_t v;
    assert_int_equal(strmap_get(m, "r1", 2, &v), 1);
    assert_int_equal(v, 3);
    strmap_free(m);
}

static void test_strmap_keys_are_bytes_with_length(void **state)
{
    (void)state;
    struct strmap *m = strmap_new();
    int64_t v;
    strmap_put(m, "ab\0c", 4, 1);
    strmap_put(m, "ab", 2, 2);
    strmap_put(m, "", 0, 3);
    assert_int_equal(strmap_get(m, "ab\0c", 4, &v), 1);
    assert_int_equal(v, 1);
    assert_int_equal(strmap_get(m, "ab", 2, &v), 1);
    assert_int_equal(v, 2);
    assert_int_equal(strmap_get(m, "", 0, &v), 1);
    assert_int_equal(v, 3);
    assert_int_equal(strmap_get(m, "ab\0", 3, NULL), 0);
    strmap_free(m);
}

static void test_strmap_many_keys_survive_growth_in_order(void **state)
{
    (void)state;
    struct strmap *m = strmap_new();
    char k[32];
    for (int i = 0; i < 200000; i++) {
        int n = snprintf(k, sizeof k, "kund-%d-åäö", i);
        assert_int_equal(strmap_put(m, k, (size_t)n, i), 1);
    }
    assert_int_equal(strmap_count(m), 200000);
    for (int i = 0; i < 200000; i += 997) {
        int64_t v;
        int n = snprintf(k, sizeof k, "kund-%d-åäö", i);
        assert_int_equal(strmap_get(m, k, (size_t)n, &v), 1);
        assert_int_equal(v, i);
        size_t kn;
        const char *key = strmap_key(m, (size_t)i, &kn);
        assert_int_equal(kn, (size_t)n);
        assert_memory_equal(key, k, kn);
    }
    assert_int_equal(strmap_get(m, "kund-200000-åäö", 17, NULL), 0);
    strmap_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_strmap_put_get_and_replace),
        cmocka_unit_test(test_strmap_add_keeps_the_first_value),
        cmocka_unit_test(test_strmap_keys_are_bytes_with_length),
        cmocka_unit_test(test_strmap_many_keys_survive_growth_in_order),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
