/* Tests for src/http/form.c: urlencoded bodies and query strings. */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/strbuf.h"
#include "http/form.h"

static void parse_ok(struct form *f, const char *s)
{
    struct err err = ERR_INIT;
    assert_int_equal(form_parse(f, s, strlen(s), &err), 0);
    assert_int_equal(err.code, 0);
}

static void parse_bad(const char *s, size_t n, const char *want_in_msg)
{
    struct form f = {(struct form_field *)1, 7};
    struct err err = ERR_INIT;
    assert_int_equal(form_parse(&f, s, n, &err), ERR_INVALID);
    assert_int_equal(err.code, ERR_INVALID);
    assert_null(f.f);
    assert_int_equal(f.n, 0);
    if (!strstr(err.msg, want_in_msg))
        fail_msg("message \"%s\" lacks \"%s\"", err.msg, want_in_msg);
}

static void test_form_decodes_plus_and_escapes(void **state)
{
    (void)state;
    struct form f = FORM_INIT;
    parse_ok(&f, "a=1&b=x+y&c=%C3%A5&d=%2B%26%3d%25");
    assert_int_equal(f.n, 4);
    assert_string_equal(f.f[0].name, "a");
    assert_string_equal(f.f[0].value, "1");
    assert_string_equal(f.f[1].value, "x y");
    assert_string_equal(f.f[2].value, "\xc3\xa5");
    assert_string_equal(f.f[3].value, "+&=%");
    assert_string_equal(form_get(&f, "c"), "å");
    form_dispose(&f);
    assert_null(f.f);
    assert_int_equal(f.n, 0);
}

static void test_form_names_are_decoded_too(void **state)
{
    (void)state;
    struct form f = FORM_INIT;
    parse_ok(&f, "quality.expect=5&story%2Etitle=Hej+d%C3%A5&s%C3%A5=1");
    assert_string_equal(form_get(&f, "quality.expect"), "5");
    assert_string_equal(form_get(&f, "story.title"), "Hej då");
    assert_string_equal(form_get(&f, "så"), "1");
    form_dispose(&f);
}

static void test_form_repeated_names_keep_order_and_get_first(void **state)
{
    (void)state;
    struct form f = FORM_INIT;
    parse_ok(&f, "x=1&y=2&x=3");
    assert_int_equal(f.n, 3);
    assert_string_equal(form_get(&f, "x"), "1");
    assert_string_equal(f.f[2].name, "x");
    assert_string_equal(f.f[2].value, "3");
    assert_null(form_get(&f, "z"));
    assert_null(form_get(NULL, "x"));
    form_dispose(&f);
}

static void test_form_missing_equals_and_empty_pieces(void **state)
{
    (void)state;
    struct form f = FORM_INIT;
    parse_ok(&f, "&a&&b=2&&c=&=v&");
    assert_int_equal(f.n, 4);
    assert_string_equal(form_get(&f, "a"), "");
    assert_string_equal(form_get(&f, "b"), "2");
    assert_string_equal(form_get(&f, "c"), "");
    assert_string_equal(f.f[3].name, "");
    assert_string_equal(f.f[3].value, "v");
    form_dispose(&f);
    parse_ok(&f, "");
    assert_int_equal(f.n, 0);
    form_dispose(&f);
    /* only len bytes are read: what follows is not part of the form */
    struct err err = ERR_INIT;
    assert_int_equal(form_parse(&f, "a=1&b=2", 3, &err), 0);
    assert_int_equal(f.n, 1);
    assert_string_equal(form_get(&f, "a"), "1");
    form_dispose(&f);
}

static void test_form_value_may_hold_equals(void **state)
{
    (void)state;
    struct form f = FORM_INIT;
    parse_ok(&f, "ref=abc==&t=a=b");
    assert_string_equal(form_get(&f, "ref"), "abc==");
    assert_string_equal(form_get(&f, "t"), "a=b");
    form_dispose(&f);
}

static void test_form_bad_escapes_are_refused(void **state)
{
    (void)state;
    parse_bad("a=1&b=%G1", 9, "form field 2 (\"b\"): value bad %-escape");
    parse_bad("a=%4", 4, "bad %-escape");
    parse_bad("a=%", 3, "bad %-escape");
    parse_bad("%zz=1", 5, "form field 1: name bad %-escape");
}

static void test_form_nul_and_bad_utf8_are_refused(void **state)
{
    (void)state;
    parse_bad("a=x%00y", 7, "NUL");
    parse_bad("a=x\0y", 5, "NUL");
    parse_bad("a=%C3", 5, "invalid UTF-8");           /* cut short */
    parse_bad("a=%C0%AF", 8, "invalid UTF-8");        /* overlong '/' */
    parse_bad("a=%ED%A0%80", 11, "invalid UTF-8");    /* surrogate */
    parse_bad("a=%F4%90%80%80", 14, "invalid UTF-8"); /* past U+10FFFF */
    parse_bad("a=\xff", 3, "invalid UTF-8");
    parse_bad("x=1&\xe5=1", 6, "form field 2: name invalid UTF-8");
    struct form f = FORM_INIT;
    parse_ok(&f, "a=%F0%9F%98%80&b=%E2%82%AC");
    assert_string_equal(form_get(&f, "a"), "\xf0\x9f\x98\x80");
    assert_string_equal(form_get(&f, "b"), "€");
    form_dispose(&f);
}

static void test_form_field_limit(void **state)
{
    (void)state;
    struct strbuf b = STRBUF_INIT;
    struct form f = FORM_INIT;
    struct err err = ERR_INIT;
    for (int i = 0; i < FORM_MAX_FIELDS; i++)
        strbuf_printf(&b, "f%d=%d&&", i, i);
    assert_int_equal(form_parse(&f, b.p, b.n, &err), 0);
    assert_int_equal(f.n, FORM_MAX_FIELDS);
    assert_string_equal(form_get(&f, "f999"), "999");
    form_dispose(&f);
    strbuf_puts(&b, "one=more");
    parse_bad(b.p, b.n, "too many form fields");
    strbuf_dispose(&b);
}

static void test_form_add_copies(void **state)
{
    (void)state;
    struct form f = FORM_INIT;
    char name[] = "tp", value[] = "<\"&'>";
    parse_ok(&f, "a=1");
    assert_int_equal(form_add(&f, name, value), 0);
    name[0] = 'X';
    value[0] = 'X';
    assert_int_equal(f.n, 2);
    assert_string_equal(form_get(&f, "tp"), "<\"&'>");
    assert_int_equal(form_add(&f, "b", ""), 0);
    assert_string_equal(form_get(&f, "b"), "");
    assert_int_equal(form_add(&f, NULL, "x"), ERR_INTERNAL);
    form_dispose(&f);
    form_dispose(NULL);
    assert_int_equal(form_add(&f, "only", "one"), 0);
    assert_int_equal(f.n, 1);
    form_dispose(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_form_decodes_plus_and_escapes),
        cmocka_unit_test(test_form_names_are_decoded_too),
        cmocka_unit_test(test_form_repeated_names_keep_order_and_get_first),
        cmocka_unit_test(test_form_missing_equals_and_empty_pieces),
        cmocka_unit_test(test_form_value_may_hold_equals),
        cmocka_unit_test(test_form_bad_escapes_are_refused),
        cmocka_unit_test(test_form_nul_and_bad_utf8_are_refused),
        cmocka_unit_test(test_form_field_limit),
        cmocka_unit_test(test_form_add_copies),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
