/* Tests for src/report/render_html.c: the result model as an HTML
 * fragment. Structure (caption, column and row headers, the scrolling
 * region), estimates in Swedish and English against hand-written
 * strings, undefined values, low-n marks, the three layouts, meta facts,
 * notes and method notes, escaping of customers' words, and that every
 * fragment is well-formed. */
#include "harness.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/strbuf.h"
#include "report/result.h"

#define NNBSP "\xe2\x80\xaf"
#define MINUS "\xe2\x88\x92"

/* Renders r as HTML with flags; checks the fragment is well-formed
 * (wrapped in one root for the check). Caller frees. */
static char *html(const struct result *r, unsigned flags)
{
    struct strbuf b = STRBUF_INIT, doc = STRBUF_INIT;
    struct err err = ERR_INIT;
    assert_int_equal(result_render_with(&b, r, RESULT_FORMAT_HTML, flags, &err),
                     0);
    strbuf_printf(&doc, "<div>\n%s</div>\n", strbuf_str(&b));
    harness_markup(strbuf_str(&doc), 1, NULL, NULL, NULL);
    strbuf_dispose(&doc);
    return strbuf_detach(&b, NULL);
}

static int count(const char *s, const char *needle)
{
    int k = 0;
    for (const char *p = strstr(s, needle); p; p = strstr(p + 1, needle))
        k++;
    return k;
}

/* NPS by touchpoint: a text column for people, a key for programs, an
 * integer n, a share, and an estimate; the second row is low-n, the
 * third has every figure undefined. */
static struct result *by_touchpoint(void)
{
    struct result *r = result_new();
    struct result_estimate e = {12.3, 8.1, 16.5, 2.0, 40, 0};
    struct result_estimate low = {-25.0, -60.26, 10.0, 5.0, 5, 1};
    result_set_min_n(r, 30);
    result_meta_int(r, "responses", "responses", 12345);
    result_meta_text(r, "secret", NULL, "for programs");
    struct result_table *t = result_table_new(r, "cells", "NPS by touchpoint");
    result_col(t, "touchpoint", "touchpoint", RESULT_TEXT, 0,
               RESULT_FOR_PROGRAMS);
    result_col(t, "name", "touchpoint", RESULT_TEXT, 0,
               RESULT_IN_TABLE | RESULT_IN_JSON);
    result_col(t, "n", "responses", RESULT_INTEGER, 0, 0);
    result_col(t, "share", "share %", RESULT_NUMBER, 1, 0);
    result_col(t, "nps", "NPS", RESULT_ESTIMATE, 1, 0);
    result_row(t);
    result_add_text(t, "app");
    result_add_text(t, "Felanmälan i appen");
    result_add_int(t, 1234567);
    result_add_num(t, 1234.5);
    result_add_est(t, &e);
    result_row(t);
    result_add_text(t, "tel");
    result_add_text(t, "Telefon");
    result_add_int(t, 5);
    result_add_num(t, -0.25);
    result_add_est(t, &low);
    result_row(t);
    result_add_text(t, "web");
    result_add_text(t, "Webb");
    result_add_int(t, 0);
    result_add_null(t);
    result_add_null(t);
    result_note(r, "A note for everyone.");
    result_method(r, "NPS: share of 9-10 minus share of 0-6.");
    return r;
}

static void test_render_html_grid_is_an_accessible_table(void **state)
{
    (void)state;
    struct result *r = by_touchpoint();
    char *s = html(r, 0);
    assert_non_null(
        strstr(s, "<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" "
                  "aria-label=\"NPS by touchpoint\">"));
    assert_non_null(strstr(s, "<caption>NPS by touchpoint</caption>"));
    /* the key for programs is not shown; the name is the row header */
    assert_null(strstr(s, ">app<"));
    assert_non_null(strstr(s, "<th scope=\"row\">Felanmälan i appen</th>"));
    assert_int_equal(count(s, "<th scope=\"row\">"), 3);
    /* touchpoint, responses, share %, NPS n, NPS [95% CI] */
    assert_int_equal(count(s, "<th scope=\"col\""), 5);
    assert_non_null(strstr(s, "<th scope=\"col\" class=\"num\">NPS n</th>"));
    assert_non_null(strstr(s, "<th scope=\"col\" class=\"num\">NPS <span "
                              "class=\"ci-head\">[95% CI]</span></th>"));
    /* numbers right-aligned by class */
    assert_non_null(strstr(s, "<td class=\"num\">1,234,567</td>"));
    free(s);
    result_free(r);
}

static void test_render_html_estimates_in_english(void **state)
{
    (void)state;
    struct result *r = by_touchpoint();
    char *s = html(r, 0);
    assert_non_null(strstr(s, "<td class=\"num\">40</td>"
                              "<td class=\"num\">12.3 [8.1, 16.5]</td>"));
    assert_non_null(strstr(s, "<td class=\"num\">1,234.5</td>"));
    /* U+2212 for a minus, in the value and the interval */
    assert_non_null(strstr(s, MINUS "25.0 [" MINUS "60.3, 10.0]"));
    assert_non_null(strstr(s, MINUS "0.2</td>") || strstr(s, MINUS "0.3</td>"));
    free(s);
    result_free(r);
}

static void test_render_html_estimates_in_swedish(void **state)
{
    (void)state;
    struct result *r = by_touchpoint();
    char *s = html(r, RESULT_RENDER_SV);
    /* the comma is the decimal mark, so the interval's separator is ';' */
    assert_non_null(strstr(s, "<td class=\"num\">12,3 [8,1; 16,5]</td>"));
    assert_non_null(
        strstr(s, "<td class=\"num\">1" NNBSP "234" NNBSP "567</td>"));
    assert_non_null(strstr(s, "<td class=\"num\">1" NNBSP "234,5</td>"));
    assert_non_null(strstr(s, MINUS "25,0 [" MINUS "60,3; 10,0]"));
    assert_null(strstr(s, "12.3"));
    assert_non_null(strstr(s, "95 % KI"));
    free(s);
    result_free(r);
}

static void test_render_html_low_n_is_marked_and_explained(void **state)
{
    (void)state;
    struct result *r = by_touchpoint();
    char *s = html(r, 0);
    /* the estimate's n and the n under the minimum in an IS_N-less
     * integer column: only the estimate carries the flag here */
    assert_non_null(strstr(s, "<span class=\"lown\" title=\"n &lt; 30: too "
                              "few responses to read as a trend\">5*</span>"));
    assert_int_equal(count(s, "class=\"lown\""), 1);
    assert_non_null(strstr(s, "<p class=\"note lown-note\">* n &lt; 30: too "
                              "few responses to read as a trend</p>"));
    free(s);
    char *sv = html(r, RESULT_RENDER_SV);
    assert_non_null(strstr(sv, "för få svar"));
    free(sv);
    result_free(r);
}

static void test_render_html_null_is_a_named_dash(void **state)
{
    (void)state;
    struct result *r = by_touchpoint();
    char *s = html(r, 0);
    const char *dash = "<span class=\"null\" role=\"img\" "
                       "aria-label=\"no value\">\xe2\x80\x93</span>";
    /* the last row: share, NPS n and NPS undefined; never 0 */
    assert_int_equal(count(s, dash), 3);
    assert_non_null(strstr(s, "<td class=\"num\">0</td><td class=\"num\">"));
    free(s);
    char *sv = html(r, RESULT_RENDER_SV);
    assert_non_null(strstr(sv, "aria-label=\"inget värde\""));
    free(sv);
    result_free(r);
}

static void test_render_html_meta_notes_and_method(void **state)
{
    (void)state;
    struct result *r = by_touchpoint();
    char *s = html(r, 0);
    assert_non_null(strstr(s, "<dl class=\"meta\">\n<dt>responses</dt>"
                              "<dd>12,345</dd>\n</dl>"));
    assert_null(strstr(s, "for programs"));
    assert_non_null(strstr(s, "<p class=\"note\">A note for everyone.</p>"));
    assert_null(strstr(s, "<details"));
    free(s);
    s = html(r, RESULT_RENDER_METHOD);
    assert_non_null(strstr(s, "<details class=\"method\"><summary>Method"
                              "</summary>\n<ul>\n<li>NPS: share of 9-10 "
                              "minus share of 0-6.</li>"));
    free(s);
    s = html(r, RESULT_RENDER_NO_HEADER);
    assert_null(strstr(s, "class=\"meta\""));
    assert_null(strstr(s, "class=\"note\""));
    free(s);
    result_free(r);
}

static void test_render_html_escapes_customers_words(void **state)
{
    (void)state;
    struct result *r = result_new();
    struct result_table *t =
        result_table_new(r, "comments", "Comments <b>& more</b>");
    result_table_layout(t, RESULT_RECORDS);
    result_col(t, "response", "response", RESULT_TEXT, 0, RESULT_HEAD);
    result_col(t, "nps", "NPS", RESULT_INTEGER, 0,
               RESULT_HEAD | RESULT_LABELLED);
    result_col(t, "text", "text", RESULT_TEXT, 0, RESULT_QUOTED);
    result_col(t, "words", "words", RESULT_TEXT, 0, RESULT_LABELLED);
    result_col(t, "csat", "CSAT", RESULT_INTEGER, 0, RESULT_LABELLED);
    result_row(t);
    result_add_text(t, "R1\" onmouseover=\"x");
    result_add_int(t, 0);
    result_add_text(t, "<script>alert('x')</script> & \"quoted\"");
    result_add_text(t, "\"strular\" -1.30");
    result_add_null(t); /* left out of a record */
    char *s = html(r, 0);
    assert_null(strstr(s, "<script>"));
    assert_null(strstr(s, "<b>"));
    assert_non_null(strstr(s, "&lt;script&gt;alert(&#39;x&#39;)&lt;/script"
                              "&gt; &amp; &quot;quoted&quot;") ||
                    strstr(s, "&lt;script&gt;alert(&apos;x&apos;)&lt;/script"
                              "&gt; &amp; &quot;quoted&quot;"));
    assert_non_null(strstr(s, "R1&quot; onmouseover=&quot;x"));
    assert_non_null(strstr(s, "Comments &lt;b&gt;&amp; more&lt;/b&gt;"));
    /* the record layout: one article, head line, quoted text, labels */
    assert_int_equal(count(s, "<article class=\"record\">"), 1);
    assert_non_null(strstr(s, "<p class=\"record-head\"><span>R1"));
    assert_non_null(strstr(s, "<span><span class=\"label\">NPS</span> 0"
                              "</span></p>"));
    assert_non_null(strstr(s, "<p class=\"quote\">\xe2\x80\x9c&lt;script"));
    assert_non_null(strstr(s, "<span class=\"label\">words:</span> "
                              "&quot;strular&quot; -1.30</p>"));
    assert_null(strstr(s, "CSAT"));
    free(s);
    result_free(r);
}

static void test_render_html_pairs_are_a_definition_list(void **state)
{
    (void)state;
    struct result *r = result_new();
    struct result_table *t = result_table_new(r, "counts", "Counts");
    result_table_layout(t, RESULT_PAIRS);
    result_col(t, "customers", "customers", RESULT_INTEGER, 0, 0);
    result_col(t, "ok", "ok", RESULT_BOOLEAN, 0, 0);
    result_col(t, "mean", "mean", RESULT_NUMBER, 2, 0);
    result_row(t);
    result_add_int(t, 20000);
    result_add_bool(t, 1);
    result_add_num(t, 3.14159);
    char *s = html(r, RESULT_RENDER_SV);
    assert_non_null(strstr(s, "<p class=\"table-title\">Counts</p>"));
    /* in Swedish, the headers labels_sv.h knows are translated
     * ("customers", "mean"); "ok" is not in it and stays */
    assert_non_null(strstr(s, "<dl class=\"pairs\">\n<dt>kunder</dt>"
                              "<dd class=\"num\">20" NNBSP "000</dd>\n"
                              "<dt>ok</dt><dd>ja</dd>\n<dt>medel</dt>"
                              "<dd class=\"num\">3,14</dd>\n</dl>"));
    char *en = html(r, 0);
    assert_non_null(strstr(en, "<dt>customers</dt>"));
    assert_non_null(strstr(en, "<dt>mean</dt>"));
    free(en);
    assert_null(strstr(s, "<table"));
    free(s);
    result_free(r);
}

static void test_render_html_empty_table_says_so(void **state)
{
    (void)state;
    struct result *r = result_new();
    struct result_table *t = result_table_new(r, "cells", NULL);
    result_col(t, "stage", "stage", RESULT_TEXT, 0, 0);
    result_col(t, "n", "n", RESULT_INTEGER, 0, RESULT_IS_N);
    result_table_empty(t, "(no responses match)");
    char *s = html(r, 0);
    /* no title: the region is named by the key, no caption */
    assert_non_null(strstr(s, "aria-label=\"cells\""));
    assert_null(strstr(s, "<caption>"));
    assert_non_null(strstr(s, "<p class=\"empty\">(no responses match)</p>"));
    free(s);
    result_free(r);
}

static void test_render_html_number_styles(void **state)
{
    (void)state;
    struct result *r = result_new();
    struct result_estimate d = {75.0, 50.5, 99.5, 3.0, -1, 0};
    result_set_min_n(r, 30);
    struct result_table *t = result_table_new(r, "tests", "Tests");
    result_col(t, "metric", "metric", RESULT_TEXT, 0, 0);
    result_col(t, "n", "n", RESULT_INTEGER, 0, RESULT_IS_N);
    result_col(t, "diff", "B - A", RESULT_ESTIMATE, 1,
               RESULT_SIGNED | RESULT_NO_N);
    result_col(t, "p", "p", RESULT_NUMBER, 4, RESULT_PVALUE);
    result_col(t, "q", "q", RESULT_NUMBER, 2, RESULT_DIGITS);
    result_row(t);
    result_add_text(t, "NPS");
    result_add_int(t, 12);
    result_add_est(t, &d);
    result_add_num(t, 0.00001);
    result_add_num(t, 3.5e-9);
    result_row(t);
    result_add_text(t, "CSAT");
    result_add_int(t, 300);
    result_add_est(t, &d);
    result_add_num(t, 0.12345);
    result_add_num(t, 0.5);
    char *s = html(r, RESULT_RENDER_SV);
    /* an IS_N integer under the minimum is starred */
    assert_non_null(strstr(s, "title=\"n &lt; 30: för få svar för att läsas "
                              "som en trend\">12*</span>"));
    /* signed value, plain interval, no n column */
    assert_non_null(strstr(s, "<td class=\"num\">+75,0 [50,5; 99,5]</td>"));
    assert_int_equal(count(s, "<th scope=\"col\""), 5);
    assert_non_null(strstr(s, "<td class=\"num\">&lt;0,0001</td>"));
    assert_non_null(strstr(s, "<td class=\"num\">0,1235</td>") ||
                    strstr(s, "<td class=\"num\">0,1234</td>"));
    assert_non_null(strstr(s, "<td class=\"num\">3,5e" MINUS "09</td>"));
    free(s);
    result_free(r);
}

static void test_render_html_number_text(void **state)
{
    (void)state;
    struct strbuf b = STRBUF_INIT;
    result_number_text(&b, -1234.56, 1, 0, RESULT_RENDER_SV);
    assert_string_equal(strbuf_str(&b), MINUS "1" NNBSP "234,6");
    strbuf_reset(&b);
    result_number_text(&b, 999.94, 1, 1, 0);
    assert_string_equal(strbuf_str(&b), "+999.9");
    strbuf_reset(&b);
    result_number_text(&b, -0.04, 1, 0, 0); /* no "-0.0" */
    assert_string_equal(strbuf_str(&b), "0.0");
    strbuf_reset(&b);
    result_number_text(&b, NAN, 1, 0, 0);
    assert_string_equal(strbuf_str(&b), "\xe2\x80\x93");
    strbuf_reset(&b);
    result_number_text(&b, 100000, 0, 0, 0);
    assert_string_equal(strbuf_str(&b), "100,000");
    strbuf_dispose(&b);
}

static void test_render_html_too_large_is_an_error(void **state)
{
    (void)state;
    struct result *r = by_touchpoint();
    struct strbuf b;
    struct err err = ERR_INIT;
    strbuf_init(&b, 200);
    assert_int_equal(result_render_with(&b, r, RESULT_FORMAT_HTML, 0, &err),
                     ERR_INVALID);
    strbuf_dispose(&b);
    result_free(r);
}

static void test_render_html_format_name(void **state)
{
    (void)state;
    enum result_format f;
    assert_int_equal(result_format_parse(&f, "html"), 0);
    assert_int_equal(f, RESULT_FORMAT_HTML);
    assert_string_equal(result_format_name(f), "html");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_render_html_grid_is_an_accessible_table),
        cmocka_unit_test(test_render_html_estimates_in_english),
        cmocka_unit_test(test_render_html_estimates_in_swedish),
        cmocka_unit_test(test_render_html_low_n_is_marked_and_explained),
        cmocka_unit_test(test_render_html_null_is_a_named_dash),
        cmocka_unit_test(test_render_html_meta_notes_and_method),
        cmocka_unit_test(test_render_html_escapes_customers_words),
        cmocka_unit_test(test_render_html_pairs_are_a_definition_list),
        cmocka_unit_test(test_render_html_empty_table_says_so),
        cmocka_unit_test(test_render_html_number_styles),
        cmocka_unit_test(test_render_html_number_text),
        cmocka_unit_test(test_render_html_too_large_is_an_error),
        cmocka_unit_test(test_render_html_format_name),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
