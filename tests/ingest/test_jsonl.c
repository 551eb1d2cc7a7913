/* Tests for src/ingest/jsonl.c: JSON Lines as records, errors located. */
#include "harness.h"

#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "ingest/jsonl.h"

#define S(lit) lit, sizeof(lit) - 1

/* The field named name in rec, or NULL. */
static const struct rec_field *field(struct jsonl_reader *r,
                                     const struct record *rec, const char *name)
{
    for (size_t i = 0; i < rec->n; i++) {
        size_t n;
        const char *c = jsonl_reader_column(r, i, &n);
        if (n == strlen(name) && !memcmp(c, name, n))
            return rec->f[i].p ? &rec->f[i] : NULL;
    }
    return NULL;
}

static void assert_field(struct jsonl_reader *r, const struct record *rec,
                         const char *name, const char *want)
{
    const struct rec_field *f = field(r, rec, name);
    assert_non_null(f);
    assert_int_equal(f->n, strlen(want));
    assert_memory_equal(f->p, want, f->n);
}

static void test_jsonl_strings_and_numbers_become_text(void **state)
{
    (void)state;
    static const char in[] =
        "{\"id\": \"r1\", \"nps\": 9, \"dyad\": 0.25, \"big\": 1e20, "
        "\"neg\": -3, \"text\": \"Åsa sa \\\"hej\\\"\\n\"}\n";
    struct jsonl_reader *r = jsonl_reader_new(S(in), "t.jsonl");
    struct record rec;
    struct err err = ERR_INIT;
    assert_int_equal(jsonl_reader_next(r, &rec, &err), 1);
    assert_field(r, &rec, "id", "r1");
    assert_field(r, &rec, "nps", "9");
    assert_field(r, &rec, "dyad", "0.25");
    assert_field(r, &rec, "big", "1e+20");
    assert_field(r, &rec, "neg", "-3");
    assert_field(r, &rec, "text", "Åsa sa \"hej\"\n");
    assert_int_equal(jsonl_reader_next(r, &rec, &err), 0);
    jsonl_reader_free(r);
}

static void test_jsonl_null_and_missing_keys_are_absent(void **state)
{
    (void)state;
    static const char in[] = "{\"a\": \"1\", \"b\": \"2\"}\n"
                             "{\"b\": null, \"c\": \"3\"}\n";
    struct jsonl_reader *r = jsonl_reader_new(S(in), "t.jsonl");
    struct record rec;
    struct err err = ERR_INIT;
    assert_int_equal(jsonl_reader_next(r, &rec, &err), 1);
    assert_int_equal(rec.n, 2);
    assert_int_equal(jsonl_reader_next(r, &rec, &err), 1);
    assert_int_equal(rec.n, 3); /* c is a new column */
    assert_int_equal(jsonl_reader_ncols(r), 3);
    assert_null(field(r, &rec, "a"));
    assert_null(field(r, &rec, "b"));
    assert_field(r, &rec, "c", "3");
    jsonl_reader_free(r);
}

static void test_jsonl_value_columns_and_lines_are_tracked(void **state)
{
    (void)state;
    static const char in[] = "\n{\"id\":\"x\",  \"nps\" : 11}\r\n\n"
                             "{\"nps\": 1, \"id\": \"y\"}";
    struct jsonl_reader *r = jsonl_reader_new(S(in), "t.jsonl");
    struct record rec;
    struct err err = ERR_INIT;
    assert_int_equal(jsonl_reader_next(r, &rec, &err), 1);
    assert_int_equal(rec.line, 2);
    assert_int_equal(field(r, &rec, "nps")->col, 21);
    assert_int_equal(field(r, &rec, "id")->col, 7);
    assert_int_equal(rec.raw_n, 23); /* the CR is not part of the line */
    assert_int_equal(jsonl_reader_next(r, &rec, &err), 1);
    assert_int_equal(rec.line, 4);
    assert_int_equal(field(r, &rec, "id")->col, 18);
    assert_int_equal(field(r, &rec, "id")->line, 4);
    assert_int_equal(jsonl_reader_next(r, &rec, &err), 0);
    jsonl_reader_free(r);
}

static void test_jsonl_bad_json_is_located_and_reader_goes_on(void **state)
{
    (void)state;
    static const char in[] = "{\"a\": \"1\"}\n{\"a\": }\n{\"a\": \"3\"}\n";
    struct jsonl_reader *r = jsonl_reader_new(S(in), "t.jsonl");
    struct record rec;
    struct err err = ERR_INIT;
    assert_int_equal(jsonl_reader_next(r, &rec, &err), 1);
    assert_int_equal(jsonl_reader_next(r, &rec, &err), ERR_INVALID);
    assert_string_equal(err.where, "t.jsonl:2:7");
    assert_non_null(strstr(err.msg, "invalid JSON"));
    assert_int_equal(rec.line, 2);
    assert_int_equal(rec.raw_n, 7);
    assert_int_equal(jsonl_reader_next(r, &rec, &err), 1);
    assert_field(r, &rec, "a", "3");
    jsonl_reader_free(r);
}

static void test_jsonl_non_object_line_is_an_error(void **state)
{
    (void)state;
    struct jsonl_reader *r = jsonl_reader_new(S("  [1, 2]\n"), "t.jsonl");
    struct record rec;
    struct err err = ERR_INIT;
    assert_int_equal(jsonl_reader_next(r, &rec, &err), ERR_INVALID);
    assert_string_equal(err.where, "t.jsonl:1:3");
    jsonl_reader_free(r);
}

static void test_jsonl_boolean_value_is_an_error_at_its_column(void **state)
{
    (void)state;
    struct jsonl_reader *r =
        jsonl_reader_new(S("{\"id\": \"a\", \"vip\": true}\n"), "t.jsonl");
    struct record rec;
    struct err err = ERR_INIT;
    assert_int_equal(jsonl_reader_next(r, &rec, &err), ERR_INVALID);
    assert_string_equal(err.where, "t.jsonl:1:20");
    assert_string_equal(err.msg, "\"vip\" must be a string or a number");
    jsonl_reader_free(r);
}

static void test_jsonl_duplicate_key_and_latin1_are_errors(void **state)
{
    (void)state;
    struct jsonl_reader *r = jsonl_reader_new(
        S("{\"a\": \"1\", \"a\": \"2\"}\n{\"a\": \"K\xF6\"}\n"), "t.jsonl");
    struct record rec;
    struct err err = ERR_INIT;
    assert_int_equal(jsonl_reader_next(r, &rec, &err), ERR_INVALID);
    assert_non_null(strstr(err.msg, "duplicate"));
    err_clear(&err);
    assert_int_equal(jsonl_reader_next(r, &rec, &err), ERR_INVALID);
    assert_int_equal(strncmp(err.where, "t.jsonl:2:", 10), 0);
    jsonl_reader_free(r);
}

static void test_jsonl_escaped_key_still_gets_a_column(void **state)
{
    (void)state;
    struct jsonl_reader *r =
        jsonl_reader_new(S("{\"\\u00e5r\": \"x\"}\n"), "t.jsonl");
    struct record rec;
    struct err err = ERR_INIT;
    assert_int_equal(jsonl_reader_next(r, &rec, &err), 1);
    assert_field(r, &rec, "år", "x");
    assert_int_equal(field(r, &rec, "år")->col, 1); /* unknown: line start */
    jsonl_reader_free(r);
}

/* Reads line, expecting ERR_INVALID at where with a message containing
 * msg; the next line ({"a":"ok"}) still reads. */
static void ctrl_fails(const char *line, const char *where, const char *msg)
{
    char in[256];
    snprintf(in, sizeof in, "%s\n{\"a\": \"ok\"}\n", line);
    struct jsonl_reader *r = jsonl_reader_new(in, strlen(in), "t.jsonl");
    struct record rec;
    struct err err = ERR_INIT;
    assert_int_equal(jsonl_reader_next(r, &rec, &err), ERR_INVALID);
    assert_string_equal(err.where, where);
    if (!strstr(err.msg, msg))
        fail_msg("message \"%s\" lacks \"%s\"", err.msg, msg);
    err_clear(&err);
    assert_int_equal(jsonl_reader_next(r, &rec, &err), 1);
    assert_field(r, &rec, "a", "ok");
    jsonl_reader_free(r);
}

static void test_jsonl_nul_in_a_string_is_located_at_its_escape(void **state)
{
    (void)state;
    /* "r1\u0000a" would be read as "r1" by anything taking it as a C
     * string, and collide with "r1\u0000b" */
    ctrl_fails("{\"id\": \"r1\\u0000a\"}", "t.jsonl:1:11",
               "\"id\": control character U+0000 (NUL) in the text");
    ctrl_fails("{\"a\": \"x\", \"comment\": \"\\\"hej\\\" \\u0000\"}",
               "t.jsonl:1:32", "U+0000 (NUL)");
}

static void test_jsonl_c0_controls_but_tab_cr_lf_are_errors(void **state)
{
    (void)state;
    ctrl_fails("{\"a\": \"\\u001b[31m\"}", "t.jsonl:1:8",
               "\"a\": control character U+001B (ESC)");
    ctrl_fails("{\"a\": \"ding\\u0007\"}", "t.jsonl:1:12", "U+0007 (BEL)");
    ctrl_fails("{\"a\": \"x\\by\"}", "t.jsonl:1:9", "U+0008 (BS)");
    ctrl_fails("{\"a\": \"x\\fy\"}", "t.jsonl:1:9", "U+000C (FF)");
    /* the first of two, even after harmless escapes */
    ctrl_fails("{\"a\": \"\\t\\u00e5\\u001F\\u0001\"}", "t.jsonl:1:16",
               "U+001F (US)");

    struct jsonl_reader *r = jsonl_reader_new(
        S("{\"a\": \"x\\ty\\r\\nz\\u0009\\u000a\"}\n"), "t.jsonl");
    struct record rec;
    struct err err = ERR_INIT;
    assert_int_equal(jsonl_reader_next(r, &rec, &err), 1);
    assert_field(r, &rec, "a", "x\ty\r\nz\t\n");
    jsonl_reader_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_jsonl_strings_and_numbers_become_text),
        cmocka_unit_test(test_jsonl_null_and_missing_keys_are_absent),
        cmocka_unit_test(test_jsonl_value_columns_and_lines_are_tracked),
        cmocka_unit_test(test_jsonl_bad_json_is_located_and_reader_goes_on),
        cmocka_unit_test(test_jsonl_non_object_line_is_an_error),
        cmocka_unit_test(test_jsonl_boolean_value_is_an_error_at_its_column),
        cmocka_unit_test(test_jsonl_duplicate_key_and_latin1_are_errors),
        cmocka_unit_test(test_jsonl_escaped_key_still_gets_a_column),
        cmocka_unit_test(test_jsonl_nul_in_a_string_is_located_at_its_escape),
        cmocka_unit_test(test_jsonl_c0_controls_but_tab_cr_lf_are_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
