#include "harness.h"

#include <string.h>

#include "core/err.h"

static void test_err_first_error_wins(void **state)
{
    struct err e = ERR_INIT;
    (void)state;
    assert_int_equal(err_set(&e, ERR_IO, "first %d", 1), ERR_IO);
    assert_int_equal(err_set(&e, ERR_DB, "second"), ERR_DB);
    assert_int_equal(e.code, ERR_IO);
    assert_string_equal(e.msg, "first 1");
}

static void test_err_at_formats_location(void **state)
{
    struct err e = ERR_INIT;
    char buf[512];
    (void)state;
    err_at(&e, ERR_INVALID, "responses.csv", 14, 7,
           "nps must be 0..10, got \"%s\"", "11");
    assert_string_equal(err_str(&e, buf, sizeof buf),
                        "responses.csv:14:7: nps must be 0..10, got \"11\"");
    err_clear(&e);
    err_at(&e, ERR_INVALID, "f.json", 3, 0, "x");
    assert_string_equal(e.where, "f.json:3");
    err_clear(&e);
    assert_string_equal(err_str(&e, buf, sizeof buf), "no error");
}

static void test_err_long_message_is_truncated_not_overflowed(void **state)
{
    struct err e = ERR_INIT;
    char big[1000];
    (void)state;
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = 0;
    err_at(&e, ERR_INVALID, big, 1, 1, "%s", big);
    assert_int_equal(strlen(e.msg), sizeof e.msg - 1);
    assert_int_equal(strlen(e.where), sizeof e.where - 1);
}

static void test_err_null_is_safe(void **state)
{
    (void)state;
    assert_int_equal(err_set(NULL, ERR_DB, "x"), ERR_DB);
    err_clear(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_err_first_error_wins),
        cmocka_unit_test(test_err_at_formats_location),
        cmocka_unit_test(test_err_long_message_is_truncated_not_overflowed),
        cmocka_unit_test(test_err_null_is_safe),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
