/* The result model and its renderer: every type in every format, the
 * alignment of the table, undefined values, the low-n flag, and the
 * safety rules for terminals and spreadsheets. */
#include "harness.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/strbuf.h"
#include "report/result.h"

static char *render(const struct result *r, enum result_format f)
{
    struct strbuf b = STRBUF_INIT;
    struct err err = ERR_INIT;
    assert_int_equal(result_render(&b, r, f, &err), 0);
    return strbuf_detach(&b, NULL);
}

/* Columns on a terminal before the first occurrence of needle in line. */
static size_t col_of(const char *line, const char *needle)
{
    const char *m = strstr(line, needle);
    assert_non_null(m);
    return result_text_width(line, (size_t)(m - line));
}

/* One table with a column of each type and two rows: the second row has
 * every value undefined. */
static struct result *every_type(void)
{
    struct result *r = result_new();
    struct result_estimate e = {25.0, -0.7, 50.7, 13.1, 40, 0};
    struct result_estimate low = {100.0, 100.0, 100.0, 0.0, 5, 1};
    result_set_min_n(r, 30);
    result_meta_int(r, "responses", NULL, 45);
    struct result_table *t = result_table_new(r, "cells", "By touchpoint");
    result_col(t, "touchpoint", "touchpoint", RESULT_TEXT, 0,
               RESULT_FOR_PROGRAMS);
    result_col(t, "name", "touchpoint", RESULT_TEXT, 0,
               RESULT_IN_TABLE | RESULT_IN_JSON);
    result_col(t, "n", "responses", RESULT_INTEGER, 0, 0);
    result_col(t, "share", "share %", RESULT_NUMBER, 1, 0);
    result_col(t, "ok", "ok", RESULT_BOOLEAN, 0, 0);
    result_col(t, "nps", "NPS", RESULT_ESTIMATE, 1, RESULT_WITH_SE);
    result_col(t, "why", "why", RESULT_JSON, 0, 0);
    result_row(t);
    result_add_text(t, "app");
    result_add_text(t, "Felanmälan i appen");
    result_add_int(t, 40);
    result_add_num(t, 12.345);
    result_add_bool(t, 1);
    result_add_est(t, &e);
    assert_int_equal(result_add_json(t, "{\"w\":[1,2]}", 11), 0);
    result_row(t);
    result_add_text(t, "tel");
    result_add_text(t, "Telefon");
    result_add_int(t, 5);
    result_add_num(t, NAN);
    result_add_null(t);
    result_add_est(t, &low);
    result_add_null(t);
    return r;
}

static void test_result_table_aligns_and_flags_low_n(void **state)
{
    (void)state;
    struct result *r = every_type();
    char *s = render(r, RESULT_FORMAT_TABLE);
    /* title, header, two rows, blank, footnote */
    assert_true(!strncmp(s, "By touchpoint\n", 14));
    assert_non_null(strstr(s, "\n\n* n < 30: too few responses to read as a "
                              "trend\n"));
    assert_null(strstr(s, "app "));
    char *lines[8] = {0};
    char *p = s, *save = NULL;
    for (int i = 0; i < 8 && (lines[i] = strtok_r(p, "\n", &save)); i++)
        p = NULL;
    /* The program-only key column is not shown; the name is. */
    assert_non_null(strstr(lines[1], "touchpoint"));
    /* Undefined: '-', whatever the type. */
    assert_non_null(strstr(lines[3], "  -  "));
    assert_int_equal(lines[3][strlen(lines[3]) - 1], '-'); /* null JSON */
    /* Low n: '*' after the n, and one footnote. */
    assert_non_null(strstr(lines[3], "5*"));
    assert_non_null(strstr(lines[2], "40 "));
    /* Columns line up by display width, not bytes (ä is two bytes). */
    assert_int_equal(col_of(lines[1], "95% CI"), col_of(lines[2], "[-0.7"));
    assert_int_equal(col_of(lines[2], "[-0.7"), col_of(lines[3], "[100.0"));
    /* Numbers are right-aligned: the last digit of 12.3 under "share %". */
    assert_int_equal(col_of(lines[1], "share %") + strlen("share %"),
                     col_of(lines[2], "12.3") + strlen("12.3"));
    /* No trailing blanks. */
    for (int i = 1; i <= 3; i++)
        assert_true(lines[i][strlen(lines[i]) - 1] != ' ');
    free(s);
    result_free(r);
}

static void test_result_table_aligns_swedish_letters(void **state)
{
    (void)state;
    struct result *r = result_new();
    struct result_table *t = result_table_new(r, "t", NULL);
    result_col(t, "name", "name", RESULT_TEXT, 0, 0);
    result_col(t, "n", "n", RESULT_INTEGER, 0, 0);
    static const char *const names[] = {"Åsa", "Kök och tvätt", "a",
                                        "Ölandsgatan ÅÄÖ"};
    for (int i = 0; i < 4; i++) {
        result_row(t);
        result_add_text(t, names[i]);
        result_add_int(t, i * 1000);
    }
    char *s = render(r, RESULT_FORMAT_TABLE);
    char *p = s, *save = NULL, *line;
    size_t end = 0;
    int k = 0;
    while ((line = strtok_r(p, "\n", &save))) {
        p = NULL;
        size_t w = result_text_width(line, strlen(line));
        if (k++ == 0)
            end = w;
        assert_int_equal(w, end); /* every line ends in the same column */
    }
    assert_int_equal(k, 5);
    free(s);
    result_free(r);
}

static void
test_result_csv_flattens_estimates_and_leaves_undefined_empty(void **state)
{
    (void)state;
    struct result *r = every_type();
    char *s = render(r, RESULT_FORMAT_CSV);
    assert_string_equal(
        s,
        "touchpoint,n,share,ok,nps_n,nps_low_n,nps,nps_lo,nps_hi,why\n"
        "app,40,12.3450,1,40,0,25.0000,-0.7000,50.7000,\"{\"\"w\"\":[1,2]}\"\n"
        "tel,5,,,5,1,100.0000,100.0000,100.0000,\n");
    free(s);
    result_free(r);
}

static void test_result_json_has_estimates_nulls_and_meta(void **state)
{
    (void)state;
    struct result *r = every_type();
    result_note(r, "a footnote");
    result_method(r, "how it was computed");
    char *s = render(r, RESULT_FORMAT_JSON);
    json_error_t je;
    json_t *root = json_loads(s, 0, &je);
    assert_non_null(root);
    assert_int_equal(json_integer_value(json_object_get(root, "min_n")), 30);
    assert_int_equal(json_integer_value(json_object_get(root, "responses")),
                     45);
    json_t *cells = json_object_get(root, "cells");
    assert_int_equal(json_array_size(cells), 2);
    json_t *a = json_array_get(cells, 0), *b = json_array_get(cells, 1);
    assert_string_equal(json_string_value(json_object_get(a, "touchpoint")),
                        "app");
    assert_string_equal(json_string_value(json_object_get(a, "name")),
                        "Felanmälan i appen");
    assert_true(json_is_true(json_object_get(a, "ok")));
    json_t *nps = json_object_get(a, "nps");
    assert_close(json_real_value(json_object_get(nps, "value")), 25, 0, 1e-12);
    assert_close(
        json_real_value(json_array_get(json_object_get(nps, "ci95"), 0)), -0.7,
        0, 1e-12);
    assert_int_equal(json_integer_value(json_object_get(nps, "n")), 40);
    assert_true(json_is_false(json_object_get(nps, "low_n")));
    assert_close(json_real_value(json_object_get(nps, "se")), 13.1, 0, 1e-12);
    assert_int_equal(
        json_array_size(json_object_get(json_object_get(a, "why"), "w")), 2);
    /* undefined values are null, never 0 */
    assert_true(json_is_null(json_object_get(b, "share")));
    assert_true(json_is_null(json_object_get(b, "ok")));
    assert_true(json_is_null(json_object_get(b, "why")));
    assert_true(
        json_is_true(json_object_get(json_object_get(b, "nps"), "low_n")));
    assert_string_equal(
        json_string_value(json_array_get(json_object_get(root, "notes"), 0)),
        "a footnote");
    assert_string_equal(
        json_string_value(json_array_get(json_object_get(root, "method"), 0)),
        "how it was computed");
    assert_non_null(strchr(s, '\n'));
    assert_int_equal(strchr(s, '\n')[1], 0); /* one line */
    json_decref(root);
    free(s);
    result_free(r);
}

static void test_result_jsonl_is_one_object_per_row(void **state)
{
    (void)state;
    struct result *r = every_type();
    char *s = render(r, RESULT_FORMAT_JSONL);
    char *nl = strchr(s, '\n');
    assert_non_null(nl);
    assert_true(!strncmp(s, "{\"touchpoint\":\"app\",", 20));
    assert_true(!strncmp(nl + 1, "{\"touchpoint\":\"tel\",", 20));
    assert_null(strstr(s, "min_n")); /* rows only */
    free(s);
    result_free(r);
}

static void test_result_method_notes_only_when_asked(void **state)
{
    (void)state;
    struct result *r = every_type();
    struct strbuf b = STRBUF_INIT;
    struct err err = ERR_INIT;
    result_note(r, "NPS is in points.");
    result_method(r, "Wald interval on the trinomial variance.");
    assert_int_equal(result_render(&b, r, RESULT_FORMAT_TABLE, &err), 0);
    assert_non_null(strstr(strbuf_str(&b), "\nNPS is in points.\n"));
    assert_null(strstr(strbuf_str(&b), "Wald"));
    strbuf_reset(&b);
    assert_int_equal(result_render_with(&b, r, RESULT_FORMAT_TABLE,
                                        RESULT_RENDER_METHOD, &err),
                     0);
    assert_non_null(strstr(strbuf_str(&b),
                           "\nMethod:\n  Wald interval on the trinomial "
                           "variance.\n"));
    strbuf_dispose(&b);
    result_free(r);
}

static void test_result_control_characters_are_made_visible(void **state)
{
    (void)state;
    struct result *r = result_new();
    struct result_table *t = result_table_new(r, "t", "t\x1b]0;title\a");
    result_col(t, "text", "text", RESULT_TEXT, 0, 0);
    result_row(t);
    /* ESC sequence, BEL, NUL-free C0, DEL, C1 (U+009B CSI), a bidi
     * override, CR LF, TAB, and a byte that is not UTF-8 */
    result_add_text(t, "a\x1b[31mred\x07 b\x7f c\xc2\x9b"
                       "d \xe2\x80\xae"
                       "e\r\nf\tg\xff");
    char *s = render(r, RESULT_FORMAT_TABLE);
    for (const char *p = s; *p; p++)
        assert_true((unsigned char)*p >= 0x20 || *p == '\n');
    assert_non_null(strstr(s, "t\\x1b]0;title\\x07\n"));
    assert_non_null(strstr(s, "a\\x1b[31mred\\x07 b\\x7f c\\u009bd "
                              "\\u202ee f g\\xff\n"));
    free(s);
    /* JSON keeps the text as it is (escaped by JSON's own rules). */
    s = render(r, RESULT_FORMAT_JSON);
    assert_non_null(strstr(s, "\\u001B[31mred\\u0007"));
    free(s);
    result_free(r);
}

/* In a column of a field's values (RESULT_NUMBERS, a --by label) a plain
 * number stays a number; anything else that begins like a formula gets a
 * leading quote. */
static void test_result_csv_neutralises_formulas_not_numbers(void **state)
{
    (void)state;
    static const char *const in[] = {"=HYPERLINK(\"http://x\",\"y\")",
                                     "+46 70 123",
                                     "-3.5",
                                     "@SUM(A1)",
                                     "\tx",
                                     "-",
                                     "+1e5",
                                     "plain",
                                     "-2+3",
                                     "1,5"};
    static const char *const out[] = {
        "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"",
        "\"'+46 70 123\"",
        "-3.5",
        "\"'@SUM(A1)\"",
        "\"'\tx\"",
        "\"'-\"",
        "+1e5",
        "plain",
        "\"'-2+3\"",
        "\"1,5\""};
    struct result *r = result_new();
    struct result_table *t = result_table_new(r, "t", NULL);
    result_col(t, "v", "v", RESULT_TEXT, 0, RESULT_NUMBERS);
    for (size_t i = 0; i < sizeof in / sizeof in[0]; i++) {
        result_row(t);
        result_add_text(t, in[i]);
    }
    char *s = render(r, RESULT_FORMAT_CSV);
    char *p = strchr(s, '\n') + 1;
    for (size_t i = 0; i < sizeof out / sizeof out[0]; i++) {
        size_t n = strlen(out[i]);
        assert_true(!strncmp(p, out[i], n));
        assert_int_equal(p[n], '\n');
        p += n + 1;
    }
    free(s);
    result_free(r);
}

/* Free text (a comment, a choice, an id) is text even when it reads as a
 * number: "-3.5" and "+1e5" get the quote too, and so does a header. */
static void test_result_csv_free_text_is_never_a_formula(void **state)
{
    (void)state;
    static const char *const in[] = {"-3.5", "+1e5", "=1+2", "@a",
                                     "\rx",  "-",    "3.5",  "a-b"};
    static const char *const out[] = {"\"'-3.5\"", "\"'+1e5\"", "\"'=1+2\"",
                                      "\"'@a\"",   "\"'\rx\"",  "\"'-\"",
                                      "3.5",       "a-b"};
    struct result *r = result_new();
    struct result_table *t = result_table_new(r, "t", NULL);
    result_col(t, "=key", "v", RESULT_TEXT, 0, 0);
    for (size_t i = 0; i < sizeof in / sizeof in[0]; i++) {
        result_row(t);
        result_add_text(t, in[i]);
    }
    char *s = render(r, RESULT_FORMAT_CSV);
    assert_true(!strncmp(s, "\"'=key\"\n", 8));
    char *p = strchr(s, '\n') + 1;
    for (size_t i = 0; i < sizeof out / sizeof out[0]; i++) {
        size_t n = strlen(out[i]);
        if (strncmp(p, out[i], n) != 0 || p[n] != '\n')
            fail_msg("row %zu: want %s, got %.20s", i, out[i], p);
        p += n + 1;
    }
    free(s);
    result_free(r);
}

/* Random bytes, as a hostile comment could hold: the table never writes a
 * control byte, and no CSV cell starts with a formula character unless it
 * is quoted behind a "'" or is a plain number. */
static void test_result_random_text_is_always_defused(void **state)
{
    (void)state;
    struct gen g;
    gen_seed(&g, 20261201);
    for (int round = 0; round < 500; round++) {
        char text[64];
        size_t n = (size_t)gen_range(&g, 1, (int)sizeof text - 1);
        for (size_t i = 0; i < n; i++) {
            /* mostly ASCII specials and controls, some UTF-8 lead bytes */
            static const char pick[] = "=+-@\t\r\n\x1b\x07\x7f\xc2\x9b"
                                       "\xe2\x80\xae\xff"
                                       "a1.,\"'";
            text[i] = pick[gen_range(&g, 0, (int)sizeof pick - 2)];
            if (text[i] == 0)
                text[i] = 'x';
        }
        text[n] = 0;
        struct result *r = result_new();
        struct result_table *t = result_table_new(r, "t", NULL);
        result_col(t, "v", "v", RESULT_TEXT, 0, 0);
        result_row(t);
        result_add_text(t, text);
        char *s = render(r, RESULT_FORMAT_TABLE);
        for (const char *p = s; *p; p++)
            assert_true((unsigned char)*p >= 0x20 || *p == '\n');
        int lines = 0; /* the header and one line of data */
        for (const char *p = s; *p; p++)
            lines += *p == '\n';
        assert_int_equal(lines, 2);
        free(s);
        s = render(r, RESULT_FORMAT_CSV);
        const char *cell = strchr(s, '\n') + 1;
        if (strchr("=+-@\t\r", cell[0])) /* bare: only a plain number */
            assert_int_equal(strspn(cell, "+-0123456789.eE\n"), strlen(cell));
        if (cell[0] == '"') /* quoted: guarded if it starts like a formula */
            assert_true(!cell[1] || !strchr("=+-@\t\r", cell[1]));
        free(s);
        result_free(r);
    }
}

static void test_result_records_layout(void **state)
{
    (void)state;
    struct result *r = result_new();
    struct result_table *t = result_table_new(r, "comments", NULL);
    result_table_layout(t, RESULT_RECORDS);
    result_table_empty(t, "no comments match");
    result_col(t, "date", "date", RESULT_TEXT, 0, RESULT_HEAD);
    result_col(t, "nps", "NPS", RESULT_INTEGER, 0,
               RESULT_HEAD | RESULT_LABELLED);
    result_col(t, "score", "score", RESULT_NUMBER, 2,
               RESULT_HEAD | RESULT_SIGNED);
    result_col(t, "text", "text", RESULT_TEXT, 0, RESULT_QUOTED);
    result_col(t, "words", "words", RESULT_TEXT, 0, RESULT_LABELLED);
    result_row(t);
    result_add_text(t, "2026-03-01");
    result_add_int(t, 3);
    result_add_num(t, -0.5);
    result_add_text(t, "Rad ett\nrad två");
    result_add_text(t, "\"dålig\" -1.00");
    result_row(t);
    result_add_text(t, "2026-03-02");
    result_add_null(t); /* left out */
    result_add_num(t, NAN);
    result_add_text(t, "Bra");
    result_add_null(t);
    char *s = render(r, RESULT_FORMAT_TABLE);
    assert_string_equal(s, "2026-03-01  NPS 3  -0.50\n"
                           "    \"Rad ett rad två\"\n"
                           "    words: \"dålig\" -1.00\n"
                           "\n"
                           "2026-03-02\n"
                           "    \"Bra\"\n"
                           "\n");
    free(s);
    result_table_clear(t);
    s = render(r, RESULT_FORMAT_TABLE);
    assert_string_equal(s, "no comments match\n");
    free(s);
    result_free(r);
}

static void test_result_pairs_layout_is_an_object(void **state)
{
    (void)state;
    struct result *r = result_new();
    struct result_table *t = result_table_new(r, "counts", NULL);
    result_table_layout(t, RESULT_PAIRS);
    result_col(t, "customers", "customers", RESULT_INTEGER, 0, 0);
    result_col(t, "touchpoints", "touchpoints", RESULT_INTEGER, 0, 0);
    result_row(t);
    result_add_int(t, 4);
    result_add_int(t, 3);
    char *s = render(r, RESULT_FORMAT_TABLE);
    assert_string_equal(s, "customers    4\ntouchpoints  3\n");
    free(s);
    s = render(r, RESULT_FORMAT_JSON);
    assert_string_equal(s,
                        "{\"counts\":{\"customers\":4,\"touchpoints\":3}}\n");
    free(s);
    s = render(r, RESULT_FORMAT_CSV);
    assert_string_equal(s, "customers,touchpoints\n4,3\n");
    free(s);
    result_free(r);
}

static void test_result_number_styles(void **state)
{
    (void)state;
    struct result *r = result_new();
    struct result_table *t = result_table_new(r, "t", NULL);
    result_col(t, "diff", "B - A", RESULT_NUMBER, 1, RESULT_SIGNED);
    result_col(t, "p", "p", RESULT_NUMBER, 4, RESULT_PVALUE);
    result_col(t, "q", "q", RESULT_NUMBER, 2, RESULT_DIGITS);
    result_col(t, "score", "score", RESULT_NUMBER, 4, RESULT_ROUNDED);
    result_col(t, "n", "n", RESULT_INTEGER, 0, RESULT_IS_N);
    result_set_min_n(r, 30);
    result_row(t);
    result_add_num(t, 75.04);
    result_add_num(t, 0.00001);
    result_add_num(t, 3.456e-9);
    result_add_num(t, -0.445093);
    result_add_int(t, 12);
    result_row(t);
    result_add_num(t, -0.0);
    result_add_num(t, 0.17674);
    result_add_num(t, 0.5);
    result_add_num(t, 0.00004);
    result_add_int(t, 30);
    char *s = render(r, RESULT_FORMAT_TABLE);
    assert_non_null(strstr(s, "+75.0  <0.0001  3.5e-09  -0.4451  12*\n"));
    assert_non_null(strstr(s, " +0.0   0.1767      0.5   0.0000  30\n"));
    assert_non_null(strstr(s, "* n < 30"));
    free(s);
    s = render(r, RESULT_FORMAT_CSV);
    assert_string_equal(s, "diff,p,q,score,n\n"
                           "75.0400,1e-05,3.456e-09,-0.4451,12\n"
                           "0.0000,0.17674,0.5,0.0000,30\n");
    free(s);
    s = render(r, RESULT_FORMAT_JSON);
    assert_non_null(strstr(s, "\"score\":-0.4451,"));
    free(s);
    result_free(r);
}

static void test_result_labelled_meta_shown_to_people(void **state)
{
    (void)state;
    struct result *r = result_new();
    result_meta_text(r, "a", "A", "touchpoint=app");
    result_meta_text(r, "b", "B", "touchpoint=tel");
    result_meta_int(r, "hidden", NULL, 7);
    assert_int_equal(result_meta_json(r, "by", NULL, "[\"stage\"]"), 0);
    assert_int_equal(result_meta_json(r, "bad", NULL, "[oops"), ERR_INVALID);
    struct result_table *t = result_table_new(r, "t", NULL);
    result_col(t, "x", "x", RESULT_INTEGER, 0, 0);
    result_row(t);
    result_add_int(t, 1);
    char *s = render(r, RESULT_FORMAT_TABLE);
    assert_string_equal(s, "A: touchpoint=app\nB: touchpoint=tel\n\nx\n1\n");
    free(s);
    s = render(r, RESULT_FORMAT_JSON);
    assert_string_equal(s, "{\"a\":\"touchpoint=app\",\"b\":\"touchpoint=tel\","
                           "\"hidden\":7,\"by\":[\"stage\"],\"bad\":null,"
                           "\"t\":[{\"x\":1}]}\n");
    free(s);
    result_free(r);
}

static void test_result_multiple_tables_in_csv_are_separated(void **state)
{
    (void)state;
    struct result *r = result_new();
    for (int k = 0; k < 2; k++) {
        struct result_table *t = result_table_new(r, k ? "b" : "a", NULL);
        result_col(t, k ? "y" : "x", NULL, RESULT_INTEGER, 0, 0);
        result_row(t);
        result_add_int(t, k);
    }
    char *s = render(r, RESULT_FORMAT_CSV);
    assert_string_equal(s, "x\n0\n\ny\n1\n");
    free(s);
    result_free(r);
}

static void test_result_too_large_is_an_error(void **state)
{
    (void)state;
    struct result *r = every_type();
    struct strbuf b;
    struct err err = ERR_INIT;
    strbuf_init(&b, 16);
    assert_int_equal(result_render(&b, r, RESULT_FORMAT_TABLE, &err),
                     ERR_INVALID);
    assert_non_null(strstr(err.msg, "too large"));
    strbuf_dispose(&b);
    result_free(r);
    result_free(NULL);
}

static void test_result_format_names(void **state)
{
    (void)state;
    enum result_format f;
    assert_int_equal(result_format_parse(&f, "csv"), 0);
    assert_int_equal(f, RESULT_FORMAT_CSV);
    assert_int_equal(result_format_parse(&f, "text"), 0);
    assert_int_equal(f, RESULT_FORMAT_TABLE);
    assert_int_equal(result_format_parse(&f, "jsonl"), 0);
    assert_string_equal(result_format_name(f), "jsonl");
    assert_int_equal(result_format_parse(&f, "xml"), ERR_INVALID);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_result_table_aligns_and_flags_low_n),
        cmocka_unit_test(test_result_table_aligns_swedish_letters),
        cmocka_unit_test(
            test_result_csv_flattens_estimates_and_leaves_undefined_empty),
        cmocka_unit_test(test_result_json_has_estimates_nulls_and_meta),
        cmocka_unit_test(test_result_jsonl_is_one_object_per_row),
        cmocka_unit_test(test_result_method_notes_only_when_asked),
        cmocka_unit_test(test_result_control_characters_are_made_visible),
        cmocka_unit_test(test_result_csv_neutralises_formulas_not_numbers),
        cmocka_unit_test(test_result_csv_free_text_is_never_a_formula),
        cmocka_unit_test(test_result_random_text_is_always_defused),
        cmocka_unit_test(test_result_records_layout),
        cmocka_unit_test(test_result_pairs_layout_is_an_object),
        cmocka_unit_test(test_result_number_styles),
        cmocka_unit_test(test_result_labelled_meta_shown_to_people),
        cmocka_unit_test(test_result_multiple_tables_in_csv_are_separated),
        cmocka_unit_test(test_result_too_large_is_an_error),
        cmocka_unit_test(test_result_format_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
