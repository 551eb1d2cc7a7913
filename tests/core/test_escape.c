/* Tests for src/core/escape.c: text from data made safe for a terminal
 * (control characters shown, never written) and for a CSV cell (never a
 * spreadsheet formula). */
#include "harness.h"

#include <stdlib.h>
#include <string.h>

#include "core/strbuf.h"
#include "core/escape.h"

#define S(lit) lit, sizeof(lit) - 1

static char *term(const char *s, size_t n)
{
    struct strbuf b = STRBUF_INIT;
    assert_int_equal(escape_terminal(&b, s, n), 0);
    return strbuf_detach(&b, NULL);
}

static char *cell(const char *s, size_t n, char sep, unsigned flags)
{
    struct strbuf b = STRBUF_INIT;
    assert_int_equal(escape_csv(&b, s, n, sep, flags), 0);
    return strbuf_detach(&b, NULL);
}

static void term_is(const char *s, size_t n, const char *want)
{
    char *got = term(s, n);
    assert_string_equal(got, want);
    free(got);
}

static void cell_is(const char *s, char sep, unsigned flags, const char *want)
{
    char *got = cell(s, strlen(s), sep, flags);
    assert_string_equal(got, want);
    free(got);
}

static void test_escape_terminal_shows_escape_sequences(void **state)
{
    (void)state;
    term_is(S("title \x1b]0;pwned\x07 clear \x1b[2J"),
            "title \\x1b]0;pwned\\x07 clear \\x1b[2J");
    term_is(S("a\tb\nc\r\nd\re"), "a b c d e");
    term_is(S("nul\0del\x7f"), "nul\\x00del\\x7f");
    /* C1 CSI (U+009B), a right-to-left override, a line separator */
    term_is(S("c1\xc2\x9b rlo\xe2\x80\xae ls\xe2\x80\xa8"),
            "c1\\u009b rlo\\u202e ls\\u2028");
    term_is(S("bad\xff utf8"), "bad\\xff utf8");
    term_is(S("Söka bostad – 😀"), "Söka bostad – 😀");
}

/* Whatever the bytes, the terminal text holds no control byte. */
static void test_escape_terminal_never_writes_a_control_byte(void **state)
{
    (void)state;
    char all[256];
    for (int i = 0; i < 256; i++)
        all[i] = (char)i;
    char *got = term(all, sizeof all);
    for (const unsigned char *p = (const unsigned char *)got; *p; p++)
        assert_true(*p >= 0x20 && *p != 0x7f);
    free(got);
    /* nor a C1 control encoded in UTF-8 */
    for (int c = 0x80; c <= 0x9f; c++) {
        char two[2] = {(char)(0xc0 | (c >> 6)), (char)(0x80 | (c & 0x3f))};
        got = term(two, 2);
        assert_non_null(strstr(got, "\\u00"));
        free(got);
    }
}

static void test_escape_csv_guards_each_formula_character(void **state)
{
    (void)state;
    cell_is("=HYPERLINK(\"http://x\",\"y\")", ',', 0,
            "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"");
    cell_is("+46 70 123", ',', 0, "\"'+46 70 123\"");
    cell_is("-2+3", ',', 0, "\"'-2+3\"");
    cell_is("@SUM(A1)", ',', 0, "\"'@SUM(A1)\"");
    cell_is("\tx", ',', 0, "\"'\tx\"");
    cell_is("\rx", ',', 0, "\"'\rx\"");
    cell_is("plain", ',', 0, "plain");
    cell_is("", ',', 0, "");
    cell_is("a=b", ',', 0, "a=b");
}

static void test_escape_csv_numbers_only_where_numbers_may_be(void **state)
{
    (void)state;
    /* free text: a number-like comment is text too */
    cell_is("-3.5", ',', 0, "\"'-3.5\"");
    cell_is("+1e5", ',', 0, "\"'+1e5\"");
    /* a field's value: plain numbers stay numbers, nothing else does */
    cell_is("-3.5", ',', ESCAPE_CSV_NUMBER, "-3.5");
    cell_is("+1e5", ',', ESCAPE_CSV_NUMBER, "+1e5");
    cell_is("-.5", ',', ESCAPE_CSV_NUMBER, "-.5");
    cell_is("-", ',', ESCAPE_CSV_NUMBER, "\"'-\"");
    cell_is("-1e", ',', ESCAPE_CSV_NUMBER, "\"'-1e\"");
    cell_is("-1-1", ',', ESCAPE_CSV_NUMBER, "\"'-1-1\"");
    cell_is("=1", ',', ESCAPE_CSV_NUMBER, "\"'=1\"");
    assert_true(escape_is_number(S("12")));
    assert_true(escape_is_number(S("-0.5e-3")));
    assert_false(escape_is_number(S("1,5")));
    assert_false(escape_is_number(S(".")));
    assert_false(escape_is_number(S("")));
}

static void test_escape_csv_quotes_by_separator_and_spaces(void **state)
{
    (void)state;
    cell_is("a,b", ',', 0, "\"a,b\"");
    cell_is("a,b", ';', 0, "a,b");
    cell_is("a;b", ';', 0, "\"a;b\"");
    cell_is("say \"hi\"", ',', 0, "\"say \"\"hi\"\"\"");
    cell_is("two\nlines", ',', 0, "\"two\nlines\"");
    cell_is(" padded ", ',', 0, "\" padded \"");
    cell_is("=a;b", ';', 0, "\"'=a;b\"");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_escape_terminal_shows_escape_sequences),
        cmocka_unit_test(test_escape_terminal_never_writes_a_control_byte),
        cmocka_unit_test(test_escape_csv_guards_each_formula_character),
        cmocka_unit_test(test_escape_csv_numbers_only_where_numbers_may_be),
        cmocka_unit_test(test_escape_csv_quotes_by_separator_and_spaces),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
