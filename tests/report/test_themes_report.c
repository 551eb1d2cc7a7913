/* themes' results: volumes, emerging issues, discovery, the taxonomy. */
#include "harness.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "colstore/colstore.h"
#include "core/err.h"
#include "core/strbuf.h"
#include "report/result.h"
#include "report/themes_report.h"
#include "stats/emerging.h"
#include "text/discovery.h"
#include "text/themes.h"

static char *render(struct result *r, enum result_format f)
{
    struct strbuf b = STRBUF_INIT;
    struct err err = ERR_INIT;
    assert_int_equal(result_render(&b, r, f, &err), 0);
    return strbuf_detach(&b, NULL);
}

/* Two themes, no period, 10 comments: "digital" in 5 of them (4
 * negative, 1 positive), "price" in none. Every share rests on fewer than
 * 30 comments or mentions. Then a flag for "digital" in one month. */
static void test_themes_volumes_shares_in_percent_flagged_by_n(void **state)
{
    (void)state;
    struct err err = ERR_INIT;
    struct colstore *cs = colstore_new();
    assert_int_equal(colstore_intern(cs, DIM_THEME, "digital", &err), 0);
    assert_int_equal(colstore_intern(cs, DIM_THEME, "price", &err), 1);
    int64_t comments[1] = {10}, mentions[2] = {5, 0}, neg[2] = {4, 0},
            pos[2] = {1, 0}, key[1] = {0};
    const char *label[1] = {"all"};
    struct emerging_series s = {2,        1,        NULL,     0,   key, label,
                                comments, mentions, neg,      pos, NULL};
    struct themes *tx = NULL;
    assert_int_equal(themes_build(&tx, NULL, 0, NULL, 0, &err), 0);
    struct result *r = themes_report_volumes(&s, cs, tx, 30);

    char *csv = render(r, RESULT_FORMAT_CSV);
    assert_string_equal(csv, "theme,label,mentions,comments,share_pct,"
                             "negative_pct,positive_pct,low_n\n"
                             "digital,Digitala kanaler,5,10,50.0000,80.0000,"
                             "20.0000,1\n");
    free(csv);
    char *t = render(r, RESULT_FORMAT_TABLE);
    assert_non_null(strstr(t, "50.0*"));
    assert_non_null(strstr(t, "80.0*"));
    assert_non_null(strstr(t, "* n < 30"));
    assert_null(strstr(t, "price")); /* never mentioned: left out */
    free(t);
    char *j = render(r, RESULT_FORMAT_JSON);
    assert_non_null(strstr(j, "\"comments\":10,\"by\":null,"));
    free(j);
    result_free(r);

    struct emerging_test tests[2];
    struct emerging_opts o = EMERGING_OPTS_INIT;
    memset(tests, 0, sizeof tests);
    tests[0] = (struct emerging_test){1,   5,    10,   0.5,  0.1,  6, 1.2,
                                      4.5, 1e-6, 2e-6, 2e-6, 4e-6, 1};
    s.group = "month";
    s.is_period = 1;
    label[0] = "2026-03";
    r = themes_report_emerging(&s, tests, 1, &o, cs, tx);
    t = render(r, RESULT_FORMAT_TABLE);
    assert_non_null(strstr(t, "2026-03  digital  Digitala kanaler"));
    assert_non_null(strstr(t, "4e-06\n")); /* p (Holm), 2 digits */
    assert_non_null(strstr(t, "1 emerging theme-month:"));
    free(t);
    j = render(r, RESULT_FORMAT_JSON);
    assert_non_null(strstr(j, "\"flagged\":[{\"month\":\"2026-03\","));
    assert_non_null(strstr(j, "\"share_pct\":50.0,\"baseline_pct\":10.0,"));
    assert_non_null(strstr(j, "\"p_exact\":1e-6"));
    free(j);
    result_free(r);
    themes_free(tx);
    colstore_free(cs);
}

static void test_themes_discovery_records_keep_the_taxonomy_tab(void **state)
{
    (void)state;
    char k[] = "avi", l[] = "Avin", ph[] = "avin", ex[] = "Avin kom\nsent",
         tsv[] = "avi\tsv\tAvin\tavin*";
    struct discovery_phrase phrase = {ph, 1, 7, 0};
    char *examples[1] = {ex};
    struct discovery_theme th = {k, l,        LANG_SV, &phrase, 1,
                                 7, examples, 1,       tsv};
    struct discovery_result d = {&th, 1, 70};
    struct result *r = themes_report_discovery(&d, 5);
    char *t = render(r, RESULT_FORMAT_TABLE);
    assert_non_null(strstr(t, "comments without a theme: 70\n"));
    assert_non_null(strstr(t, "1 candidate themes"));
    assert_non_null(strstr(t, "\n1.  Avin  sv  comments 7  share % 10.0\n"));
    assert_non_null(strstr(t, "    phrases: \"avin\" (7)\n"));
    assert_non_null(strstr(t, "    > Avin kom sent\n"));
    assert_non_null(strstr(t, "    taxonomy: avi\tsv\tAvin\tavin*\n"));
    free(t);
    char *j = render(r, RESULT_FORMAT_JSON);
    assert_non_null(strstr(j, "\"examples\":[\"Avin kom\\nsent\"]"));
    assert_non_null(strstr(j, "\"taxonomy_line\":\"avi\\tsv\\tAvin\\tavin*\""));
    free(j);
    result_free(r);
}

static void test_themes_taxonomy_lists_parents(void **state)
{
    (void)state;
    struct err err = ERR_INIT;
    struct themes *tx = NULL;
    assert_int_equal(themes_build(&tx, NULL, 0, NULL, 0, &err), 0);
    struct result *r = themes_report_taxonomy(tx, 0);
    char *j = render(r, RESULT_FORMAT_JSON);
    json_error_t je;
    json_t *root = json_loads(j, 0, &je);
    assert_non_null(root);
    assert_string_equal(json_string_value(json_object_get(root, "source")),
                        "built-in");
    json_t *themes = json_object_get(root, "themes");
    assert_int_equal(json_array_size(themes), themes_count(tx));
    int found = 0;
    for (size_t i = 0; i < json_array_size(themes); i++) {
        json_t *t = json_array_get(themes, i);
        if (!strcmp(json_string_value(json_object_get(t, "key")),
                    "digital/login")) {
            found = 1;
            assert_string_equal(json_string_value(json_object_get(t, "parent")),
                                "digital");
        }
    }
    assert_true(found);
    json_decref(root);
    free(j);
    result_free(r);
    themes_free(tx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_themes_volumes_shares_in_percent_flagged_by_n),
        cmocka_unit_test(test_themes_discovery_records_keep_the_taxonomy_tab),
        cmocka_unit_test(test_themes_taxonomy_lists_parents),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
