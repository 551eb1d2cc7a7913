/* Tests for src/report/labels_sv.c and its use by render_html.c: a
 * metrics table rendered in Swedish has Swedish headers (and in English
 * the builders' own), a header a page wrote in its own words stays, no
 * entry is given twice, and every entry names a column some builder
 * makes (its key and English header are in src/report or the metrics
 * engine, or it is a field's column). Run from the repository's root
 * (tests/harness/run-tests.sh does). */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "colstore/colstore.h"
#include "core/err.h"
#include "core/strbuf.h"
#include "query/field.h"
#include "report/labels_sv.h"
#include "report/metrics_report.h"
#include "report/result.h"
#include "stats/metrics.h"

/* NPS, CSAT and CES by stage over a few rows. */
static struct metrics_result *by_stage(struct colstore **cs)
{
    struct err err = ERR_INIT;
    struct metrics_query q;
    struct metrics_result *r = NULL;
    *cs = colstore_new();
    int j = colstore_add_journey(*cs, "live", "Bo", &err);
    int st = colstore_add_stage(*cs, j, "report", "Felanmälan", 0, &err);
    int tp = colstore_add_touchpoint(*cs, st, "app", "Appen", &err);
    int ch = colstore_intern(*cs, DIM_CHANNEL, "app", &err);
    for (int i = 0; i < 40; i++) {
        struct colstore_row row = {tp, ch, -1, -1, 0, 19800, i < 20 ? 10 : 3,
                                   4,  5,  0,  -1, 0};
        colstore_append(*cs, &row, &err);
    }
    assert_int_equal(err.code, 0);
    metrics_query_init(&q, FIELD_RESPONSES);
    assert_int_equal(metrics_query_by(&q, "stage", &err), 0);
    assert_int_equal(metrics_query_metrics(&q, "nps,csat,ces", &err), 0);
    assert_int_equal(metrics_run(&r, *cs, &q, &err), 0);
    metrics_query_dispose(&q);
    return r;
}

static char *html(const struct result *r, unsigned flags)
{
    struct strbuf b = STRBUF_INIT;
    struct err err = ERR_INIT;
    assert_int_equal(result_render_with(&b, r, RESULT_FORMAT_HTML, flags, &err),
                     0);
    return strbuf_detach(&b, NULL);
}

static void test_labels_sv_metrics_table_has_swedish_headers(void **state)
{
    (void)state;
    struct colstore *cs;
    struct metrics_result *m = by_stage(&cs);
    struct result *r = metrics_report_build(m);
    char *sv = html(r, RESULT_RENDER_SV), *en = html(r, 0);
    assert_non_null(strstr(sv, "<th scope=\"col\">steg</th>"));
    assert_non_null(strstr(sv, ">CSAT medel <span class=\"ci-head\">[95 % "
                               "KI]</span></th>"));
    assert_non_null(strstr(sv, ">CES medel <span"));
    assert_non_null(strstr(sv, ">CES 5–7 % <span"));
    assert_non_null(strstr(sv, ">NPS n</th>"));
    assert_null(strstr(sv, "CSAT mean"));
    assert_null(strstr(sv, ">stage<"));
    /* English keeps the builder's words */
    assert_non_null(strstr(en, "<th scope=\"col\">stage</th>"));
    assert_non_null(strstr(en, ">CSAT mean <span"));
    assert_null(strstr(en, "medel"));
    free(sv);
    free(en);
    result_free(r);
    metrics_result_free(m);
    colstore_free(cs);
}

/* A page's own header for a known key, and an unknown key, stay. */
static void test_labels_sv_leaves_other_headers(void **state)
{
    (void)state;
    struct result *r = result_new();
    struct result_table *t = result_table_new(r, "t", "T");
    result_col(t, "share_pct", "Andel %", RESULT_NUMBER, 1, 0);
    result_col(t, "no_such_key", "words", RESULT_TEXT, 0, 0);
    result_col(t, "mentions", "mentions", RESULT_INTEGER, 0, 0);
    result_row(t);
    result_add_num(t, 12.5);
    result_add_text(t, "x");
    result_add_int(t, 3);
    char *s = html(r, RESULT_RENDER_SV);
    assert_non_null(strstr(s, ">Andel %</th>"));
    assert_non_null(strstr(s, ">words</th>"));
    assert_non_null(strstr(s, ">omnämnanden</th>"));
    assert_string_equal(labels_sv_header("mentions", "mentions"),
                        "omnämnanden");
    assert_null(labels_sv_header("mentions", "Omnämnanden"));
    assert_null(labels_sv_header(NULL, "x"));
    free(s);
    result_free(r);
}

static void test_labels_sv_no_entry_twice(void **state)
{
    (void)state;
    const char *k, *e, *s, *k2, *e2, *s2;
    size_t n = 0;
    for (size_t i = 0; labels_sv_entry(i, &k, &e, &s); i++, n++) {
        assert_true(*k && *e && *s);
        for (size_t j = i + 1; labels_sv_entry(j, &k2, &e2, &s2); j++)
            if (!strcmp(k, k2) && !strcmp(e, e2))
                fail_msg("(%s, %s) is given twice", k, e);
    }
    assert_true(n > 100);
}

/* The report builders and the metrics engine, concatenated. */
static char *sources(void)
{
    static const char *const files[] = {
        HARNESS_SRC("src/report/metrics_report.c"),
        HARNESS_SRC("src/report/digest.c"),
        HARNESS_SRC("src/report/drivers_report.c"),
        HARNESS_SRC("src/report/personas_report.c"),
        HARNESS_SRC("src/report/patterns_report.c"),
        HARNESS_SRC("src/report/cases_report.c"),
        HARNESS_SRC("src/report/journey_report.c"),
        HARNESS_SRC("src/report/journey_map_build.c"),
        HARNESS_SRC("src/report/journey_paths_report.c"),
        HARNESS_SRC("src/report/themes_report.c"),
        HARNESS_SRC("src/stats/metrics.c")};
    struct strbuf b = STRBUF_INIT;
    char buf[4096];
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        FILE *f = fopen(files[i], "rb");
        if (!f)
            fail_msg("%s: cannot open", files[i]);
        size_t got;
        while ((got = fread(buf, 1, sizeof buf, f)) > 0)
            strbuf_add(&b, buf, got);
        fclose(f);
    }
    return strbuf_detach(&b, NULL);
}

static void test_labels_sv_every_entry_is_a_builders_column(void **state)
{
    (void)state;
    char *src = sources(), pair[256];
    const char *k, *e, *s;
    for (size_t i = 0; labels_sv_entry(i, &k, &e, &s); i++) {
        struct field f;
        struct err err = ERR_INIT;
        size_t kn = strlen(k);
        snprintf(pair, sizeof pair, "\"%s\", \"%s\"", k, e);
        if (strstr(src, pair))
            continue;
        /* metrics_report_add names a --by field's column by the field,
         * its display names FIELD_name, its n "responses" or "events" */
        if (!strcmp(k, e) &&
            field_parse(&f, k, strlen(k), FIELD_RESPONSES, &err) == 0)
            continue;
        if (kn > 5 && !strcmp(k + kn - 5, "_name") && strlen(e) == kn - 5 &&
            !strncmp(k, e, kn - 5))
            continue;
        if (!strcmp(k, "n") &&
            (!strcmp(e, "responses") || !strcmp(e, "events")))
            continue;
        fail_msg("(%s, %s): no builder makes this column", k, e);
    }
    free(src);
}

/* A table's title in Swedish, whole or by its beginning; the aria-label
 * with it; English and unknown tables keep theirs. */
static void test_labels_sv_captions(void **state)
{
    (void)state;
    struct result *r = result_new();
    struct result_table *t =
        result_table_new(r, "priorities", "Priorities for nps");
    result_col(t, "driver", "driver", RESULT_TEXT, 0, 0);
    result_row(t);
    result_add_text(t, "rating:speed");
    t = result_table_new(r, "cells", "Ternary histogram (non-empty cells)");
    result_col(t, "i", "i", RESULT_INTEGER, 0, 0);
    result_row(t);
    result_add_int(t, 1);
    t = result_table_new(r, "other", "Priorities for nps");
    result_col(t, "x", "x", RESULT_INTEGER, 0, 0);
    result_row(t);
    result_add_int(t, 2);
    char *sv = html(r, RESULT_RENDER_SV), *en = html(r, 0);
    assert_non_null(strstr(sv, "<caption>Prioriteringar för nps</caption>"));
    assert_non_null(strstr(sv, "aria-label=\"Prioriteringar för nps\""));
    assert_non_null(
        strstr(sv, "<caption>Ternärt histogram (celler med svar)</caption>"));
    /* the same words under another table's key are not its title */
    assert_non_null(strstr(sv, "<caption>Priorities for nps</caption>"));
    assert_null(strstr(en, "Prioriteringar"));
    assert_non_null(strstr(en, "<caption>Priorities for nps</caption>"));
    size_t rest = 0;
    assert_string_equal(
        labels_sv_caption("drivers", "Key drivers of csat", &rest),
        "Nyckeldrivare för ");
    assert_int_equal(rest, strlen("Key drivers of "));
    assert_null(labels_sv_caption("drivers", "Drivers", &rest));
    free(sv);
    free(en);
    result_free(r);
}

/* Every caption is a table some builder makes: its key and the
 * beginning of its English title are in the sources. */
static void test_labels_sv_every_caption_is_a_builders_table(void **state)
{
    (void)state;
    char *src = sources(), quoted[256];
    const char *k, *e, *s;
    size_t n = 0;
    for (size_t i = 0; labels_sv_caption_entry(i, &k, &e, &s); i++, n++) {
        snprintf(quoted, sizeof quoted, "\"%s\"", k);
        if (!strstr(src, quoted))
            fail_msg("no builder makes a table \"%s\"", k);
        snprintf(quoted, sizeof quoted, "\"%s", e);
        if (!strstr(src, quoted))
            fail_msg("no builder titles a table \"%s\"", e);
    }
    assert_true(n >= 10);
    free(src);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_labels_sv_metrics_table_has_swedish_headers),
        cmocka_unit_test(test_labels_sv_leaves_other_headers),
        cmocka_unit_test(test_labels_sv_no_entry_twice),
        cmocka_unit_test(test_labels_sv_every_entry_is_a_builders_column),
        cmocka_unit_test(test_labels_sv_captions),
        cmocka_unit_test(test_labels_sv_every_caption_is_a_builders_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
