/* verbatims' result: a comment with its explanation, a comment that was
 * not scored, and control characters kept out of the terminal. */
#include "harness.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/strbuf.h"
#include "report/result.h"
#include "report/verbatims_report.h"
#include "store/model.h"
#include "text/pii.h"

static char *render(struct result *r, enum result_format f)
{
    struct strbuf b = STRBUF_INIT;
    struct err err = ERR_INIT;
    assert_int_equal(result_render(&b, r, f, &err), 0);
    return strbuf_detach(&b, NULL);
}

static struct result *two_comments(void)
{
    static const struct theme_mention m[] = {{"digital", -0.36},
                                             {"digital/login", -0.36}};
    static const struct comment_analysis scored = {
        "sv",
        0.9,
        -0.36,
        "negative",
        PII_BIT(PII_PHONE),
        1,
        "{\"words\":[[\"lyckas\",-1.48,\"negated by 'utan'\"]],"
        "\"terms\":{\"digital/login\":[\"logga in\"]}}",
        m,
        2};
    static const struct comment_analysis unscored = {"de", 0.8,  NAN,  NULL, 0,
                                                     0,    NULL, NULL, 0};
    struct answer a = {
        "comment", ANSWER_TEXT,
        0,         0,
        0,         "Har försökt logga in \x1b[31m utan att lyckas.",
        NULL,      &scored};
    struct response r;
    memset(&r, 0, sizeof r);
    r.ext_id = "R1";
    r.touchpoint = "app_inlogg";
    r.ts = 1793350800; /* 2026-10-30 */
    r.nps = 0;
    r.csat = -1;
    r.ces = 5;
    struct result *res = verbatims_report_new(NULL, 0);
    verbatims_report_add(res, &r, &a, NULL, 0);
    r.ext_id = "R2";
    r.nps = 9;
    r.ces = -1;
    a.text = "Es war sehr gut";
    a.analysis = &unscored;
    verbatims_report_add(res, &r, &a, NULL, 0);
    return res;
}

static void test_verbatims_records_explain_each_comment(void **state)
{
    (void)state;
    struct result *r = two_comments();
    char *s = render(r, RESULT_FORMAT_TABLE);
    assert_non_null(strstr(s, "  app_inlogg  R1  NPS 0  CES 5  negative  "
                              "-0.36  sv\n"
                              "    \"Har försökt logga in \\x1b[31m utan att "
                              "lyckas.\"\n"
                              "    words: \"lyckas\" -1.48 (negated by "
                              "'utan')\n"
                              "    themes: digital -0.36, digital/login -0.36 "
                              "(\"logga in\")\n"
                              "    redacted: 1 (phone)\n\n"));
    /* not scored: said so, never "neutral", no score */
    assert_non_null(strstr(s, "  app_inlogg  R2  NPS 9  not scored  de\n"));
    assert_null(strstr(s, "neutral"));
    for (const char *p = s; *p; p++)
        assert_true((unsigned char)*p >= 0x20 || *p == '\n');
    free(s);
    result_free(r);
}

static void test_verbatims_json_has_nulls_for_unscored(void **state)
{
    (void)state;
    struct result *r = two_comments();
    char *s = render(r, RESULT_FORMAT_JSONL);
    char *second = strchr(s, '\n') + 1;
    assert_non_null(strstr(s, "\"redacted\":[\"phone\"],\"themes\":{"
                              "\"digital\":-0.36,\"digital/login\":-0.36},"
                              "\"explanation\":{\"words\":"));
    assert_non_null(strstr(second, "\"score\":null,\"language\":\"de\","
                                   "\"label\":null,"));
    assert_non_null(strstr(second, "\"csat\":null,"));
    free(s);
    result_free(r);
}

/* A --by field named like a fixed column keeps its name for people and
 * is by:FIELD for programs, so no key is given twice. */
static void test_verbatims_by_field_never_shadows_a_column(void **state)
{
    (void)state;
    static const char *const fields[] = {"language", "customer.district"};
    struct result *res = verbatims_report_new(fields, 2);
    struct response r;
    struct answer a = {"comment", ANSWER_TEXT, 0, 0, 0, "Bra", NULL, NULL};
    const char *values[] = {"en", "Flogsta", NULL};
    memset(&r, 0, sizeof r);
    r.ext_id = "R1";
    r.touchpoint = "app_inlogg";
    r.nps = r.csat = r.ces = -1;
    verbatims_report_add(res, &r, &a, values, 2);
    char *csv = render(res, RESULT_FORMAT_CSV);
    char *nl = strchr(csv, '\n');
    assert_non_null(nl);
    *nl = 0;
    assert_non_null(strstr(csv, ",language,"));
    assert_non_null(strstr(csv, ",by:language,customer.district"));
    assert_null(strstr(csv, ",language,customer.district"));
    free(csv);
    char *json = render(res, RESULT_FORMAT_JSONL);
    assert_non_null(strstr(json, "\"by:language\":\"en\""));
    assert_non_null(strstr(json, "\"customer.district\":\"Flogsta\""));
    free(json);
    char *table = render(res, RESULT_FORMAT_TABLE);
    assert_non_null(strstr(table, "language en"));
    free(table);
    result_free(res);

    /* a field's name is shown escaped, like any text from data */
    static const char *const odd[] = {"attr:x\x1b]0;owned\a"};
    res = verbatims_report_new(odd, 1);
    verbatims_report_add(res, &r, &a, values, 1);
    table = render(res, RESULT_FORMAT_TABLE);
    for (const char *p = table; *p; p++)
        assert_true((unsigned char)*p >= 0x20 || *p == '\n');
    free(table);
    result_free(res);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_verbatims_records_explain_each_comment),
        cmocka_unit_test(test_verbatims_json_has_nulls_for_unscored),
        cmocka_unit_test(test_verbatims_by_field_never_shadows_a_column),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
