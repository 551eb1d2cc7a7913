/* id -> code hash map. */
#include "harness.h"

#include "colstore/idmap.h"

static void test_idmap_get_returns_put_value(void **state)
{
    (void)state;
    struct idmap *m = idmap_new();
    uint32_t v = 0;
    idmap_put(m, 42, 7);
    assert_int_equal(idmap_get(m, 42, &v), 1);
    assert_int_equal(v, 7);
    assert_int_equal(idmap_get(m, 43, &v), 0);
    idmap_put(m, 42, 9);
    assert_int_equal(idmap_get(m, 42, &v), 1);
    assert_int_equal(v, 9);
    assert_int_equal(idmap_size(m), 1);
    idmap_free(m);
    idmap_free(NULL);
}

static void test_idmap_holds_many_sparse_ids(void **state)
{
    (void)state;
    struct idmap *m = idmap_new();
    for (int64_t i = 0; i < 200000; i++)
        idmap_put(m, i * 1000003 - 5, (uint32_t)i);
    assert_int_equal(idmap_size(m), 200000);
    for (int64_t i = 0; i < 200000; i += 13) {
        uint32_t v;
        assert_int_equal(idmap_get(m, i * 1000003 - 5, &v), 1);
        assert_int_equal(v, (uint32_t)i);
        assert_int_equal(idmap_get(m, i * 1000003 - 4, &v), 0);
    }
    idmap_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_idmap_get_returns_put_value),
        cmocka_unit_test(test_idmap_holds_many_sparse_ids),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
