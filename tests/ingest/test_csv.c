/* Tests for src/ingest/csv.c: RFC 4180 parsing, positions, errors. */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/utf8.h"
#include "ingest/csv.h"

/* Reads every record of s; returns how many, with the last error (if
 * any) in *err and fields of record want_rec copied out as "a|b|c". */
static int read_all(const char *s, size_t n, char delim, struct err *err,
                    int want_rec, char *out, size_t outsz)
{
    struct csv_reader *r = csv_reader_new(s, n, delim, "t.csv");
    struct record rec;
    int k = 0, rc;
    out[0] = 0;
    while ((rc = csv_reader_next(r, &rec, err)) != 0) {
        if (rc < 0)
            break;
        if (k == want_rec) {
            size_t used = 0;
            for (size_t i = 0; i < rec.n; i++)
                used +=
                    (size_t)snprintf(out + used, outsz - used, "%s%.*s",
                                     i ? "|" : "", (int)rec.f[i].n, rec.f[i].p);
        }
        k++;
    }
    csv_reader_free(r);
    return k;
}

#define S(lit) lit, sizeof(lit) - 1

static void test_csv_plain_fields_are_slices_of_the_buffer(void **state)
{
    (void)state;
    static const char in[] = "a,b,c\n1,22,333\n";
    struct csv_reader *r = csv_reader_new(S(in), 0, "t.csv");
    struct record rec;
    struct err err = ERR_INIT;
    assert_int_equal(csv_reader_next(r, &rec, &err), 1);
    assert_int_equal(rec.n, 3);
    assert_int_equal(csv_reader_next(r, &rec, &err), 1);
    assert_int_equal(rec.line, 2);
    assert_ptr_equal(rec.f[1].p, in + 8);
    assert_int_equal(rec.f[1].n, 2);
    assert_int_equal(rec.f[2].col, 6);
    assert_int_equal(csv_reader_next(r, &rec, &err), 0);
    assert_int_equal(csv_reader_offset(r), sizeof in - 1);
    csv_reader_free(r);
}

static void
test_csv_quoted_fields_hold_delimiters_quotes_and_newlines(void **state)
{
    (void)state;
    char out[200];
    struct err err = ERR_INIT;
    static const char in[] = "a,b,c\n\"x,y\",\"he said \"\"hej\"\"\",\"line1\n"
                             "line2\"\nnext,2,3\n";
    assert_int_equal(read_all(S(in), 0, &err, 1, out, sizeof out), 3);
    assert_string_equal(out, "x,y|he said \"hej\"|line1\nline2");
    assert_int_equal(err.code, 0);
}

static void test_csv_lines_are_counted_through_quoted_newlines(void **state)
{
    (void)state;
    static const char in[] = "a,b\n\"1\n2\n3\",x\ny,\"z\"\n";
    struct csv_reader *r = csv_reader_new(S(in), 0, "t.csv");
    struct record rec;
    struct err err = ERR_INIT;
    assert_int_equal(csv_reader_next(r, &rec, &err), 1);
    assert_int_equal(csv_reader_next(r, &rec, &err), 1);
    assert_int_equal(rec.line, 2);
    assert_int_equal(rec.f[1].line, 4); /* after the quoted 3-line field */
    assert_int_equal(rec.f[1].col, 4);
    assert_int_equal(csv_reader_next(r, &rec, &err), 1);
    assert_int_equal(rec.line, 5);
    assert_int_equal(rec.f[1].col, 3); /* the opening quote */
    assert_int_equal(rec.f[1].n, 1);
    csv_reader_free(r);
}

static void test_csv_bom_is_skipped_and_columns_start_after_it(void **state)
{
    (void)state;
    static const char in[] = "\xEF\xBB\xBFid;nps\r\nr1;9\r\n";
    struct csv_reader *r = csv_reader_new(S(in), 0, "t.csv");
    struct record rec;
    struct err err = ERR_INIT;
    assert_int_equal(csv_reader_next(r, &rec, &err), 1);
    assert_int_equal(csv_reader_delim(r), ';');
    assert_int_equal(rec.f[0].n, 2);
    assert_memory_equal(rec.f[0].p, "id", 2);
    assert_int_equal(rec.f[0].col, 1);
    assert_int_equal(rec.f[1].n, 3); /* no CR in the last field */
    assert_int_equal(csv_reader_next(r, &rec, &err), 1);
    assert_int_equal(rec.f[1].n, 1);
    assert_int_equal(csv_reader_next(r, &rec, &err), 0);
    csv_reader_free(r);
}

static void test_csv_delimiter_is_detected_outside_quotes(void **state)
{
    (void)state;
    struct csv_reader *r;
    r = csv_reader_new(S("a\tb\tc\n"), 0, "t");
    assert_int_equal(csv_reader_delim(r), '\t');
    csv_reader_free(r);
    r = csv_reader_new(S("\"a;b;c\",d,e\n"), 0, "t");
    assert_int_equal(csv_reader_delim(r), ',');
    csv_reader_free(r);
    r = csv_reader_new(S("single\n"), 0, "t");
    assert_int_equal(csv_reader_delim(r), ',');
    csv_reader_free(r);
    r = csv_reader_new(S("a;b,c;d\n"), ',', "t");
    assert_int_equal(csv_reader_delim(r), ',');
    csv_reader_free(r);
}

static void
test_csv_blank_lines_are_skipped_and_last_newline_optional(void **state)
{
    (void)state;
    char out[100];
    struct err err = ERR_INIT;
    assert_int_equal(
        read_all(S("a,b\n\n1,2\r\n\r\n3,4"), 0, &err, 2, out, sizeof out), 3);
    assert_string_equal(out, "3|4");
}

static void test_csv_trailing_delimiter_gives_an_empty_last_field(void **state)
{
    (void)state;
    char out[100];
    struct err err = ERR_INIT;
    assert_int_equal(read_all(S("a,b\n1,\n"), 0, &err, 1, out, sizeof out), 2);
    assert_string_equal(out, "1|");
    assert_int_equal(err.code, 0);
}

static void test_csv_swedish_text_is_valid_utf8(void **state)
{
    (void)state;
    char out[100];
    struct err err = ERR_INIT;
    assert_int_equal(read_all(S("namn\nÅsa Öberg – väldigt nöjd 😀\n"), 0, &err,
                              1, out, sizeof out),
                     2);
    assert_string_equal(out, "Åsa Öberg – väldigt nöjd 😀");
}

static void test_csv_latin1_byte_is_located_error(void **state)
{
    (void)state;
    struct err err = ERR_INIT;
    char out[100];
    /* "Kön" in Latin-1: ö is the single byte 0xF6 at byte column 11 of line 2
     * (å is two bytes). */
    int k = read_all(S("a,b\nok,Lång K\xF6n\n"), 0, &err, 0, out, sizeof out);
    assert_int_equal(k, 1);
    assert_int_equal(err.code, ERR_INVALID);
    assert_string_equal(err.where, "t.csv:2:11");
    assert_non_null(strstr(err.msg, "0xF6"));
}

static void test_csv_invalid_utf8_inside_quotes_is_located(void **state)
{
    (void)state;
    struct err err = ERR_INIT;
    char out[100];
    read_all(S("a\n\"x\ny\xC3(\"\n"), 0, &err, 0, out, sizeof out);
    assert_int_equal(err.code, ERR_INVALID);
    assert_string_equal(err.where, "t.csv:3:2");
}

static void test_csv_text_after_closing_quote_is_located(void **state)
{
    (void)state;
    struct err err = ERR_INIT;
    char out[100];
    read_all(S("a,b\n\"abc\"x,2\n"), 0, &err, 0, out, sizeof out);
    assert_int_equal(err.code, ERR_INVALID);
    assert_string_equal(err.where, "t.csv:2:6");
    assert_non_null(strstr(err.msg, "closing quote"));
}

static void test_csv_unterminated_quote_at_end_is_truncation(void **state)
{
    (void)state;
    struct err err = ERR_INIT;
    char out[100];
    read_all(S("a,b\n1,\"never closed\nmore\n"), 0, &err, 0, out, sizeof out);
    assert_int_equal(err.code, ERR_INVALID);
    assert_string_equal(err.where, "t.csv:2:3"); /* the opening quote */
    assert_non_null(strstr(err.msg, "not closed"));
}

static void test_csv_wrong_field_count_is_located_and_recoverable(void **state)
{
    (void)state;
    static const char in[] = "a,b,c\n1,2,3,4\n1,2\n7,8,9\n";
    struct csv_reader *r = csv_reader_new(S(in), 0, "t.csv");
    struct record rec;
    struct err err = ERR_INIT;
    assert_int_equal(csv_reader_next(r, &rec, &err), 1);
    assert_int_equal(csv_reader_next(r, &rec, &err), ERR_INVALID);
    assert_string_equal(err.where, "t.csv:2:7"); /* the extra field */
    assert_string_equal(err.msg, "record has 4 fields, the header has 3");
    err_clear(&err);
    assert_int_equal(csv_reader_next(r, &rec, &err), ERR_INVALID);
    assert_string_equal(err.where, "t.csv:3:3");
    err_clear(&err);
    assert_int_equal(csv_reader_next(r, &rec, &err), 1);
    assert_int_equal(rec.line, 4);
    assert_memory_equal(rec.f[2].p, "9", 1);
    csv_reader_free(r);
}

static void test_csv_reader_goes_on_after_bad_line(void **state)
{
    (void)state;
    static const char in[] = "a,b\n\"x\"y,1\n2,3\n";
    struct csv_reader *r = csv_reader_new(S(in), 0, "t.csv");
    struct record rec;
    struct err err = ERR_INIT;
    assert_int_equal(csv_reader_next(r, &rec, &err), 1);
    assert_int_equal(csv_reader_next(r, &rec, &err), ERR_INVALID);
    assert_int_equal(rec.line, 2);
    assert_int_equal(csv_reader_next(r, &rec, &err), 1);
    assert_int_equal(rec.line, 3);
    assert_memory_equal(rec.f[0].p, "2", 1);
    csv_reader_free(r);
}

static void test_csv_inner_quote_is_data(void **state)
{
    (void)state;
    char out[100];
    struct err err = ERR_INIT;
    assert_int_equal(
        read_all(S("a,b\nxy,5\" tv\n"), 0, &err, 1, out, sizeof out), 2);
    assert_string_equal(out, "xy|5\" tv");
}

/* Reads s expecting record 1 (the first after the header) to fail at
 * where with a message containing msg, and the next to be "7|8". */
static void fails_then_goes_on(const char *s, size_t n, const char *where,
                               const char *msg)
{
    struct csv_reader *r = csv_reader_new(s, n, 0, "t.csv");
    struct record rec;
    struct err err = ERR_INIT;
    assert_int_equal(csv_reader_next(r, &rec, &err), 1);
    assert_int_equal(csv_reader_next(r, &rec, &err), ERR_INVALID);
    assert_string_equal(err.where, where);
    if (!strstr(err.msg, msg))
        fail_msg("message \"%s\" lacks \"%s\"", err.msg, msg);
    err_clear(&err);
    assert_int_equal(csv_reader_next(r, &rec, &err), 1);
    assert_int_equal(rec.n, 2);
    assert_memory_equal(rec.f[0].p, "7", 1);
    assert_memory_equal(rec.f[1].p, "8", 1);
    assert_int_equal(csv_reader_next(r, &rec, &err), 0);
    csv_reader_free(r);
}

static void test_csv_nul_in_a_field_is_located_not_truncated(void **state)
{
    (void)state;
    /* "r1\0a": a C string would read "r1", the same as "r1\0b" */
    fails_then_goes_on(S("id,b\nr1\0a,2\n7,8\n"), "t.csv:2:3",
                       "control character U+0000 (NUL) in a field");
    fails_then_goes_on(S("id,b\n1,\"x\0\"\n7,8\n"), "t.csv:2:5",
                       "U+0000 (NUL)");
}

static void test_csv_c0_controls_but_tab_are_located_errors(void **state)
{
    (void)state;
    fails_then_goes_on(S("a,b\nx\x1b[31m,2\n7,8\n"), "t.csv:2:2",
                       "control character U+001B (ESC) in a field");
    fails_then_goes_on(S("a,b\n1,ding\x07\n7,8\n"), "t.csv:2:7",
                       "U+0007 (BEL)");
    fails_then_goes_on(S("a,b\n1,\x1f\n7,8\n"), "t.csv:2:3", "U+001F (US)");
    fails_then_goes_on(S("a,b\n\x01,2\n7,8\n"), "t.csv:2:1", "U+0001 (SOH)");
    /* inside quotes too, on a later line of the field: the whole record
     * is skipped, not only its first line */
    fails_then_goes_on(S("a,b\n1,\"x\ny\x0bz\n\"\n7,8\n"), "t.csv:3:2",
                       "U+000B (VT)");
    fails_then_goes_on(S("a,b\n1,\"x\fy\"\n7,8\n"), "t.csv:2:5", "U+000C (FF)");
    /* the first one is reported */
    fails_then_goes_on(S("a,b\n\x02,\x03\n7,8\n"), "t.csv:2:1", "U+0002 (STX)");
    /* the header is a record like any other */
    struct err err = ERR_INIT;
    char out[100];
    assert_int_equal(read_all(S("a\x00,b\n1,2\n"), 0, &err, 0, out, sizeof out),
                     0);
    assert_string_equal(err.where, "t.csv:1:2");
}

static void test_csv_control_error_keeps_the_fields(void **state)
{
    (void)state;
    static const char in[] = "a,b\nx\ty,1\x1b\n";
    struct csv_reader *r = csv_reader_new(S(in), ',', "t.csv");
    struct record rec;
    struct err err = ERR_INIT;
    assert_int_equal(csv_reader_next(r, &rec, &err), 1);
    assert_int_equal(csv_reader_next(r, &rec, &err), ERR_INVALID);
    assert_string_equal(err.where, "t.csv:2:6");
    assert_int_equal(rec.line, 2);
    assert_int_equal(rec.raw_n, 6);
    assert_int_equal(rec.n, 2); /* for the rejects file */
    assert_memory_equal(rec.f[1].p, "1\x1b", 2);
    csv_reader_free(r);
}

static void test_csv_tab_and_quoted_line_breaks_are_data(void **state)
{
    (void)state;
    char out[100];
    struct err err = ERR_INIT;
    assert_int_equal(read_all(S("a,b\nx\ty,\"1\r\n2\r3\n4\"\r\n"), 0, &err, 1,
                              out, sizeof out),
                     2);
    assert_string_equal(out, "x\ty|1\r\n2\r3\n4");
    assert_int_equal(err.code, 0);
    /* tab as the delimiter */
    assert_int_equal(read_all(S("a\tb\n1\t2\n"), 0, &err, 1, out, sizeof out),
                     2);
    assert_string_equal(out, "1|2");
}

static void test_csv_lone_cr_outside_quotes_is_located(void **state)
{
    (void)state;
    /* an old Mac line end (CR alone) is not one, nor data */
    fails_then_goes_on(S("a,b\nx\ry,5\n7,8\n"), "t.csv:2:2",
                       "a CR outside quotes must be followed by LF");
    fails_then_goes_on(S("a,b\n1,2\r\r\n7,8\n"), "t.csv:2:4",
                       "a CR outside quotes");
}

static void test_csv_empty_input_has_no_records(void **state)
{
    (void)state;
    char out[10];
    struct err err = ERR_INIT;
    assert_int_equal(read_all("", 0, 0, &err, 0, out, sizeof out), 0);
    assert_int_equal(read_all(S("\xEF\xBB\xBF"), 0, &err, 0, out, sizeof out),
                     0);
    assert_int_equal(err.code, 0);
}

static void
test_csv_utf8_validation_rejects_overlong_and_surrogates(void **state)
{
    (void)state;
    assert_int_equal(utf8_valid_prefix(S("abc")), 3);
    assert_int_equal(utf8_valid_prefix(S("\xC3\xA5")), 2);
    assert_int_equal(utf8_valid_prefix(S("\xF0\x9F\x98\x80")), 4);
    assert_int_equal(utf8_valid_prefix(S("a\xC0\xAF")), 1);    /* overlong */
    assert_int_equal(utf8_valid_prefix(S("\xED\xA0\x80")), 0); /* D800 */
    assert_int_equal(utf8_valid_prefix(S("\xF4\x90\x80\x80")), 0);
    assert_int_equal(utf8_valid_prefix(S("ab\xE2\x82")), 2); /* cut */
}

static void test_csv_many_rows_are_all_read(void **state)
{
    (void)state;
    size_t cap = 100000 * 40, n = 0;
    char *buf = malloc(cap);
    n += (size_t)snprintf(buf, cap, "id,text,score\n");
    for (int i = 0; i < 100000; i++)
        n += (size_t)snprintf(buf + n, cap - n, "r%d,\"t \"\"%d\"\"\",%d\n", i,
                              i, i % 11);
    struct csv_reader *r = csv_reader_new(buf, n, 0, "big.csv");
    struct record rec;
    struct err err = ERR_INIT;
    int k = 0, rc;
    while ((rc = csv_reader_next(r, &rec, &err)) > 0)
        k++;
    assert_int_equal(rc, 0);
    assert_int_equal(k, 100001);
    assert_int_equal(csv_reader_offset(r), n);
    csv_reader_free(r);
    free(buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_csv_plain_fields_are_slices_of_the_buffer),
        cmocka_unit_test(
            test_csv_quoted_fields_hold_delimiters_quotes_and_newlines),
        cmocka_unit_test(test_csv_lines_are_counted_through_quoted_newlines),
        cmocka_unit_test(test_csv_bom_is_skipped_and_columns_start_after_it),
        cmocka_unit_test(test_csv_delimiter_is_detected_outside_quotes),
        cmocka_unit_test(
            test_csv_blank_lines_are_skipped_and_last_newline_optional),
        cmocka_unit_test(test_csv_trailing_delimiter_gives_an_empty_last_field),
        cmocka_unit_test(test_csv_swedish_text_is_valid_utf8),
        cmocka_unit_test(test_csv_latin1_byte_is_located_error),
        cmocka_unit_test(test_csv_invalid_utf8_inside_quotes_is_located),
        cmocka_unit_test(test_csv_text_after_closing_quote_is_located),
        cmocka_unit_test(test_csv_unterminated_quote_at_end_is_truncation),
        cmocka_unit_test(test_csv_wrong_field_count_is_located_and_recoverable),
        cmocka_unit_test(test_csv_reader_goes_on_after_bad_line),
        cmocka_unit_test(test_csv_inner_quote_is_data),
        cmocka_unit_test(test_csv_nul_in_a_field_is_located_not_truncated),
        cmocka_unit_test(test_csv_c0_controls_but_tab_are_located_errors),
        cmocka_unit_test(test_csv_control_error_keeps_the_fields),
        cmocka_unit_test(test_csv_tab_and_quoted_line_breaks_are_data),
        cmocka_unit_test(test_csv_lone_cr_outside_quotes_is_located),
        cmocka_unit_test(test_csv_empty_input_has_no_records),
        cmocka_unit_test(
            test_csv_utf8_validation_rejects_overlong_and_surrogates),
        cmocka_unit_test(test_csv_many_rows_are_all_read),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
