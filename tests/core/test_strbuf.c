#include "harness.h"

#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/strbuf.h"

static void test_strbuf_appends_and_formats(void **state)
{
    struct strbuf b = STRBUF_INIT;
    (void)state;
    assert_string_equal(strbuf_str(&b), "");
    for (int i = 0; i < 1000; i++)
        assert_int_equal(strbuf_printf(&b, "%d,", i), 0);
    assert_int_equal(strncmp(strbuf_str(&b), "0,1,2,", 6), 0);
    assert_int_equal(b.n, strlen(b.p));
    strbuf_reset(&b);
    strbuf_puts(&b, "åäö");
    strbuf_putc(&b, '!');
    assert_string_equal(strbuf_str(&b), "åäö!");
    strbuf_dispose(&b);
}

static void test_strbuf_max_rejects_and_keeps_contents(void **state)
{
    struct strbuf b;
    (void)state;
    strbuf_init(&b, 8);
    assert_int_equal(strbuf_puts(&b, "12345678"), 0);
    assert_int_equal(strbuf_putc(&b, '9'), ERR_INVALID);
    assert_int_equal(strbuf_printf(&b, "%s", "more"), ERR_INVALID);
    assert_string_equal(strbuf_str(&b), "12345678");
    strbuf_dispose(&b);
}

static void test_strbuf_detach_hands_over(void **state)
{
    struct strbuf b = STRBUF_INIT;
    size_t n;
    (void)state;
    strbuf_puts(&b, "kundresa");
    char *p = strbuf_detach(&b, &n);
    assert_int_equal(n, 8);
    assert_string_equal(p, "kundresa");
    assert_null(b.p);
    free(p);
    strbuf_dispose(&b);
}

static void test_strbuf_json_string_escapes_and_keeps_utf8(void **state)
{
    struct strbuf b = STRBUF_INIT;
    (void)state;
    const char in[] = "Kö \"bra\"\\\n\t\x01 😀";
    assert_int_equal(strbuf_json_string(&b, in, sizeof in - 1), 0);
    assert_string_equal(strbuf_str(&b),
                        "\"Kö \\\"bra\\\"\\\\\\n\\t\\u0001 😀\"");
    strbuf_reset(&b);
    assert_int_equal(strbuf_json_string(&b, "", 0), 0);
    assert_string_equal(strbuf_str(&b), "\"\"");
    strbuf_dispose(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_strbuf_appends_and_formats),
        cmocka_unit_test(test_strbuf_max_rejects_and_keeps_contents),
        cmocka_unit_test(test_strbuf_detach_hands_over),
        cmocka_unit_test(test_strbuf_json_string_escapes_and_keeps_utf8),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
