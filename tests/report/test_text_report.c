/* text analyze, eval and train results. */
#include "harness.h"

#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/strbuf.h"
#include "report/result.h"
#include "report/text_report.h"
#include "text/langid.h"
#include "text/sentiment.h"
#include "text/textmodel.h"
#include "text/tokenize.h"

static char *render(struct result *r, enum result_format f)
{
    struct strbuf b = STRBUF_INIT;
    struct err err = ERR_INIT;
    assert_int_equal(result_render(&b, r, f, &err), 0);
    return strbuf_detach(&b, NULL);
}

/* Analyses text as `text analyze` does and adds it to r. */
static void add(struct result *r, long line, const char *text, int scored)
{
    struct err err = ERR_INIT;
    struct langid *li = NULL;
    struct sentiment *se = NULL;
    struct tokens t;
    struct sentiment_result sr;
    struct langid_result lr;
    tokens_init(&t);
    sentiment_result_init(&sr);
    assert_int_equal(langid_new(&li, &err), 0);
    assert_int_equal(sentiment_new(&se, &err), 0);
    assert_int_equal(tokenize_text(&t, text, strlen(text), &err), 0);
    langid_detect(li, &t, &lr);
    sentiment_score(se, LANG_SV, &t, &sr);
    struct text_report_comment c = {line,
                                    text,
                                    strlen(text),
                                    &lr,
                                    LANG_SV,
                                    scored,
                                    sr.score,
                                    (int)sr.label,
                                    0,
                                    0,
                                    0,
                                    &t,
                                    &sr};
    text_report_analyze_add(r, &c);
    tokens_dispose(&t);
    sentiment_result_dispose(&sr);
    sentiment_free(se);
    langid_free(li);
}

static void test_text_analyze_row_and_not_scored(void **state)
{
    (void)state;
    struct result *r = text_report_analyze_new(0);
    add(r, 1, "Bra men dyrt", 1);
    char *s = render(r, RESULT_FORMAT_JSONL);
    assert_true(!strncmp(s,
                         "{\"line\":1,\"text\":\"Bra men dyrt\",\"language\":"
                         "\"sv\",\"language_confidence\":",
                         60));
    assert_non_null(strstr(s, ",\"lexicon\":\"sv\",\"score\":-0.4451,"
                              "\"label\":\"negative\",\"explanation\":[{"
                              "\"token\":\"Bra\",\"term\":\"bra\",\"base\":2,"
                              "\"weight\":1,\"rules\":[\"before 'men': "
                              "×0.5\"]},"));
    free(s);
    s = render(r, RESULT_FORMAT_TABLE);
    assert_string_equal(s, "line 1  sv  negative  -0.4451\n"
                           "    \"Bra men dyrt\"\n"
                           "    words: \"Bra\" +1.00 (before 'men': ×0.5), "
                           "\"dyrt\" -2.93 (after 'men': ×1.5)\n\n");
    free(s);

    result_table_clear(result_table_find(r, "comments"));
    add(r, 2, "Es war sehr gut", 0);
    s = render(r, RESULT_FORMAT_JSONL);
    assert_non_null(strstr(s, "\"lexicon\":null,\"score\":null,\"label\":null,"
                              "\"explanation\":null}"));
    free(s);
    s = render(r, RESULT_FORMAT_TABLE);
    assert_non_null(strstr(s, "line 2  other  not scored\n"));
    free(s);
    result_free(r);
}

static void test_text_analyze_errors_stay_out_of_csv(void **state)
{
    (void)state;
    struct result *r = text_report_analyze_new(1);
    text_report_analyze_error(r, 7, "invalid UTF-8 at byte 0");
    char *s = render(r, RESULT_FORMAT_JSONL);
    assert_string_equal(s, "{\"line\":7,\"error\":\"invalid UTF-8 at byte "
                           "0\"}\n");
    free(s);
    s = render(r, RESULT_FORMAT_CSV);
    assert_true(!strncmp(s, "line,text,", 10)); /* the comments header only */
    assert_non_null(strstr(s, ",lexicon_score,model_prob,explanation\n"));
    assert_null(strstr(s, "invalid"));
    free(s);
    result_free(r);
}

static void test_text_eval_figures_from_the_confusion(void **state)
{
    (void)state;
    /* gold pos 4 (3 right, 1 zero), neg 2 (both right): two classes */
    struct text_report_eval e = {
        "f.tsv", "lexicon", 6, {4, 2, 0}, {{3, 0, 1}, {0, 2, 0}, {0, 0, 0}},
        5,       1,         0, 0.5};
    struct result *r = text_report_eval(&e);
    char *s = render(r, RESULT_FORMAT_TABLE);
    assert_non_null(strstr(s, "accuracy            0.8333\n"));
    /* F1 pos = 6/7, F1 neg = 4/4: macro (6/7 + 1)/2 = 0.9286 */
    assert_non_null(strstr(s, "macro-F1            0.9286\n"));
    assert_non_null(strstr(s, "majority class      0.6667\n"));
    assert_non_null(strstr(s, "speed (comments/s)  12\n"));
    assert_non_null(strstr(s, "     pos  neg  zero\npos    3    0     1\n"
                              "neg    0    2     0\n"));
    assert_null(strstr(strstr(s, "confusion"), "\nneu")); /* no gold neu */
    assert_non_null(strstr(s, "a zero score is neither"));
    free(s);
    result_free(r);
}

static void test_text_train_shows_what_happened(void **state)
{
    (void)state;
    struct textmodel_weak_stats ws = {10, 9, 6, 3, 0};
    struct text_report_train t;
    memset(&t, 0, sizeof t);
    t.weak = &ws;
    t.pos = t.neg = 3;
    t.cv_skipped = "too few rows";
    t.model = "m.model";
    t.weights = 215;
    t.hash_bits = 20;
    struct result *r = text_report_train(&t);
    char *s = render(r, RESULT_FORMAT_JSON);
    assert_non_null(strstr(s, "{\"training\":{\"source\":\"stored comments, "
                              "weak labels\",\"responses\":10,\"comments\":9,"
                              "\"weakly_labelled\":6,\"undecided\":3,"
                              "\"invalid\":0,\"used\":6,\"positive\":3,"
                              "\"negative\":3,\"positive_pct\":50.0,"
                              "\"neutral_unused\":0,\"cv_skipped\":\"too few "
                              "rows\",\"model\":\"m.model\",\"weights\":215,"));
    assert_null(strstr(s, "test_file")); /* no test file given */
    free(s);
    result_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_text_analyze_row_and_not_scored),
        cmocka_unit_test(test_text_analyze_errors_stay_out_of_csv),
        cmocka_unit_test(test_text_eval_figures_from_the_confusion),
        cmocka_unit_test(test_text_train_shows_what_happened),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
