/* The metrics and comparison builders, rendered as a table, CSV and
 * JSON. */
#include "harness.h"

#include <jansson.h>
#include <string.h>

#include "colstore/colstore.h"
#include "core/err.h"
#include "core/strbuf.h"
#include "report/metrics_report.h"
#include "report/result.h"
#include "stats/metrics.h"

struct fx {
    struct colstore *cs;
    struct metrics_result *r;
};

/* "Felanmälan, app", shown as "Felanmälan i appen" (40 rows: 20
 * promoters, 10 passives, 10 detractors, NPS 25; CSAT 4 on all), and
 * "tel", shown as "Telefon" (5 rows, all 10, no CSAT: low n). */
static int setup(void **state)
{
    static struct fx f;
    struct err err = ERR_INIT;
    struct metrics_query q;
    f.cs = colstore_new();
    int j = colstore_add_journey(f.cs, "live", "Bo", &err);
    int st = colstore_add_stage(f.cs, j, "report", "Felanmälan", 0, &err);
    int app = colstore_add_touchpoint(f.cs, st, "Felanmälan, app",
                                      "Felanmälan i appen", &err);
    int tel = colstore_add_touchpoint(f.cs, st, "tel", "Telefon", &err);
    int ch = colstore_intern(f.cs, DIM_CHANNEL, "app", &err);
    for (int i = 0; i < 40; i++) {
        struct colstore_row r = {
            app, ch, -1, -1, 0, 19800, i < 20 ? 10 : i < 30 ? 8 : 2,
            4,   -1, 0,  -1, 0};
        colstore_append(f.cs, &r, &err);
    }
    for (int i = 0; i < 5; i++) {
        struct colstore_row r = {tel, ch, -1, -1, 0,  19801,
                                 10,  -1, -1, 0,  -1, 0};
        colstore_append(f.cs, &r, &err);
    }
    assert_int_equal(err.code, 0);
    metrics_query_init(&q, FIELD_RESPONSES);
    metrics_query_by(&q, "touchpoint", &err);
    metrics_query_metrics(&q, "nps,csat", &err);
    assert_int_equal(metrics_run(&f.r, f.cs, &q, &err), 0);
    metrics_query_dispose(&q);
    *state = &f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    metrics_result_free(f->r);
    colstore_free(f->cs);
    return 0;
}

static char *render_result(const struct result *r, enum result_format fmt)
{
    struct strbuf b = STRBUF_INIT;
    struct err err = ERR_INIT;
    assert_int_equal(result_render(&b, r, fmt, &err), 0);
    return strbuf_detach(&b, NULL);
}

static char *render(const struct fx *f, enum result_format fmt)
{
    struct result *r = metrics_report_build(f->r);
    char *s = render_result(r, fmt);
    result_free(r);
    return s;
}

static void test_report_table_shows_n_ci_and_flags_low_n(void **state)
{
    struct fx *f = *state;
    char *s = render(f, RESULT_FORMAT_TABLE);
    /* NPS 25, SE 100 sqrt((.5+.25-.0625)/40) = 13.11, CI [-0.7, 50.7]. */
    assert_non_null(strstr(s, "25.0  [-0.7, 50.7]"));
    assert_non_null(strstr(s, "5* ")); /* tel: 5 answers, flagged */
    assert_non_null(strstr(s, "40 ")); /* app: not flagged */
    assert_null(strstr(s, "40*"));
    assert_non_null(
        strstr(s, "* n < 30: too few responses to read as a trend\n"));
    /* CSAT for tel has no answers: n 0, flagged, and every CSAT figure
     * and interval after it shown as '-' */
    const char *tel = strstr(s, "\nTelefon ");
    assert_non_null(tel);
    const char *end = strchr(tel + 1, '\n');
    const char *csat = strstr(tel, " 0* ");
    assert_non_null(end);
    assert_true(csat && csat < end);
    int dashes = 0;
    for (const char *p = csat + 4; p < end; p++) {
        assert_true(*p == ' ' || *p == '-');
        dashes += *p == '-';
    }
    assert_int_equal(dashes, 4); /* 4-5 %, its CI, mean, its CI */
    free(s);
}

static void test_report_table_columns_line_up(void **state)
{
    struct fx *f = *state;
    char *s = render(f, RESULT_FORMAT_TABLE);
    /* Header and both rows: the "95% CI" column starts at the same place
     * ('[' under '9'), counting characters, not bytes: the first row's
     * name, "Felanmälan i appen", has an ä (2 bytes, 1 column). */
    char *line[3];
    line[0] = strtok(s, "\n");
    line[1] = strtok(NULL, "\n");
    line[2] = strtok(NULL, "\n");
    assert_non_null(line[2]);
    assert_non_null(strstr(line[1], "Felanmälan i appen"));
    size_t col[3];
    for (int i = 0; i < 3; i++) {
        const char *m = strstr(line[i], i ? "[" : "95% CI");
        assert_non_null(m);
        col[i] = 0;
        for (const char *p = line[i]; p < m; p++)
            col[i] += ((unsigned char)*p & 0xC0) != 0x80;
    }
    assert_int_equal(col[0], col[1]);
    assert_int_equal(col[1], col[2]);
    assert_int_equal(line[0][strlen(line[0]) - 1] != ' ', 1);
    free(s);
}

static void test_report_csv_quotes_and_leaves_undefined_empty(void **state)
{
    struct fx *f = *state;
    char *s = render(f, RESULT_FORMAT_CSV);
    assert_true(!strncmp(s,
                         "touchpoint,nps_n,nps_low_n,nps,nps_lo,nps_hi,"
                         "csat_n,csat_low_n,csat_t2b,csat_t2b_lo,"
                         "csat_t2b_hi,csat_mean,csat_mean_lo,csat_mean_hi\n",
                         strlen("touchpoint,nps_n")));
    assert_non_null(strstr(s, "\n\"Felanmälan, app\",40,0,25.0000,"));
    /* tel: NPS 100 with zero SE; no CSAT answers -> empty fields */
    assert_non_null(
        strstr(s, "\ntel,5,1,100.0000,100.0000,100.0000,0,1,,,,,,\n"));
    free(s);
}

static void test_report_json_has_n_ci_and_nulls(void **state)
{
    struct fx *f = *state;
    char *s = render(f, RESULT_FORMAT_JSON);
    json_error_t je;
    json_t *root = json_loads(s, 0, &je);
    assert_non_null(root);
    json_t *cells = json_object_get(root, "cells");
    assert_int_equal(json_array_size(cells), 2);
    json_t *app = json_array_get(cells, 0);
    assert_string_equal(json_string_value(json_object_get(app, "touchpoint")),
                        "Felanmälan, app");
    assert_string_equal(
        json_string_value(json_object_get(app, "touchpoint_name")),
        "Felanmälan i appen");
    assert_int_equal(json_integer_value(json_object_get(app, "n")), 40);
    json_t *nps = json_object_get(app, "nps");
    assert_int_equal(json_integer_value(json_object_get(nps, "n")), 40);
    assert_close(json_real_value(json_object_get(nps, "value")), 25.0, 0, 1e-9);
    assert_close(json_real_value(json_object_get(nps, "se")), 13.11, 0, 0.01);
    assert_true(json_is_false(json_object_get(nps, "low_n")));
    assert_int_equal(json_array_size(json_object_get(nps, "ci95")), 2);
    json_t *tel = json_array_get(cells, 1);
    json_t *tel_mean = json_object_get(tel, "csat_mean");
    assert_int_equal(json_integer_value(json_object_get(tel_mean, "n")), 0);
    assert_true(json_is_true(json_object_get(tel_mean, "low_n")));
    assert_true(json_is_null(json_object_get(tel_mean, "value")));
    assert_null(json_object_get(app, "ces_mean")); /* not requested */
    assert_int_equal(json_integer_value(json_object_get(root, "min_n")), 30);
    assert_int_equal(json_integer_value(json_object_get(root, "responses")),
                     45);
    assert_string_equal(
        json_string_value(json_array_get(json_object_get(root, "by"), 0)),
        "touchpoint");
    assert_true(json_array_size(json_object_get(root, "method")) > 0);
    json_decref(root);
    free(s);
}

static void test_report_compare_table_names_test_and_p(void **state)
{
    struct fx *f = *state;
    struct err err = ERR_INIT;
    struct metrics_result *ra = NULL, *rb = NULL;
    struct metrics_query q;
    struct comparison c[1];
    struct strbuf b = STRBUF_INIT;
    metrics_query_init(&q, FIELD_RESPONSES);
    metrics_query_metrics(&q, "nps", &err);
    metrics_query_where(&q, "touchpoint=tel", &err);
    assert_int_equal(metrics_run(&rb, f->cs, &q, &err), 0);
    metrics_query_dispose(&q);
    metrics_query_init(&q, FIELD_RESPONSES);
    metrics_query_metrics(&q, "nps", &err);
    metrics_query_where_values(
        &q, "touchpoint", (const char *const[]){"Felanmälan, app"}, 1, &err);
    assert_int_equal(metrics_run(&ra, f->cs, &q, &err), 0);
    metrics_query_dispose(&q);
    metrics_compare_cells(c, ra, &ra->cells[0], rb, &rb->cells[0]);
    struct metrics_report_group ga = {"touchpoint=app", ra},
                                gb = {"touchpoint=tel", rb};
    struct result *res = metrics_report_compare(&ga, &gb, c);
    assert_int_equal(result_render(&b, res, RESULT_FORMAT_TABLE, &err), 0);
    const char *s = strbuf_str(&b);
    assert_non_null(strstr(s, "A: touchpoint=app\nB: touchpoint=tel\n"));
    /* B - A = 100 - 25 = +75.0; SE = 13.11 (B has no variance): z = 5.72 */
    assert_non_null(strstr(s, "+75.0"));
    assert_non_null(strstr(s, "<0.0001"));
    /* p < 0.05, but B has 5 answers and no variance: never called a
     * difference (issue 6) */
    assert_null(strstr(s, "yes (p < 0.05)"));
    assert_non_null(strstr(s, "no (too few or no variance)"));
    assert_null(strstr(s, "CSAT")); /* only NPS was asked for */
    assert_non_null(strstr(s, "* n < 30"));
    strbuf_reset(&b);
    assert_int_equal(result_render(&b, res, RESULT_FORMAT_JSON, &err), 0);
    json_error_t je;
    json_t *root = json_loads(strbuf_str(&b), 0, &je);
    assert_non_null(root);
    assert_string_equal(json_string_value(json_object_get(root, "a")),
                        "touchpoint=app");
    json_t *n = json_array_get(json_object_get(root, "tests"), 0);
    assert_string_equal(json_string_value(json_object_get(n, "metric")), "nps");
    json_t *d = json_object_get(n, "diff");
    assert_close(json_real_value(json_object_get(d, "value")), 75.0, 0, 1e-9);
    assert_null(json_object_get(d, "n")); /* a difference has no n */
    assert_close(json_real_value(json_object_get(d, "se")), 13.11, 0, 0.01);
    assert_int_equal(
        json_integer_value(json_object_get(json_object_get(n, "b"), "n")), 5);
    assert_string_equal(json_string_value(json_object_get(n, "test")), "z");
    assert_true(json_is_null(json_object_get(n, "df")));
    assert_true(json_is_true(json_object_get(n, "low_n")));
    json_decref(root);
    strbuf_reset(&b);
    assert_int_equal(result_render(&b, res, RESULT_FORMAT_CSV, &err), 0);
    assert_true(!strncmp(strbuf_str(&b),
                         "metric,a_n,a_low_n,a,a_lo,a_hi,b_n,b_low_n,b,b_lo,"
                         "b_hi,diff,diff_lo,diff_hi,test,stat,df,p,"
                         "significant,low_n\n"
                         "nps,40,0,25.0000,",
                         strlen("metric,a_n,a_low_n,a,a_lo,a_hi,b_n,b_low_n,"
                                "b,b_lo,b_hi,diff,diff_lo,diff_hi,test,stat,"
                                "df,p,significant,low_n\nnps,40,0,25.0000,")));
    result_free(res);
    strbuf_dispose(&b);
    metrics_result_free(ra);
    metrics_result_free(rb);
}

/* summary's tables are metrics tables beside each other, each with its
 * title and its own low-n footnote. */
static void test_report_adds_titled_tables(void **state)
{
    struct fx *f = *state;
    struct result *res = result_new();
    metrics_report_add(res, "headline", "Headline", f->r);
    metrics_report_add(res, "again", "Again", f->r);
    char *s = render_result(res, RESULT_FORMAT_TABLE);
    assert_true(!strncmp(s, "Headline\ntouchpoint", 19));
    const char *again = strstr(s, "\n\nAgain\ntouchpoint");
    assert_non_null(again);
    /* a footnote under each: one before "Again", one after */
    const char *note = "* n < 30: too few responses to read as a trend\n";
    const char *first = strstr(s, note);
    assert_true(first && first < again);
    assert_non_null(strstr(again, note));
    /* names travel in the metrics result: no column store needed */
    assert_null(strstr(s, "\ntel "));
    assert_non_null(strstr(s, "\nTelefon "));
    assert_non_null(strstr(s, "\nFelanmälan i appen "));
    free(s);
    result_free(res);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_report_table_shows_n_ci_and_flags_low_n),
        cmocka_unit_test(test_report_table_columns_line_up),
        cmocka_unit_test(test_report_csv_quotes_and_leaves_undefined_empty),
        cmocka_unit_test(test_report_json_has_n_ci_and_nulls),
        cmocka_unit_test(test_report_compare_table_names_test_and_p),
        cmocka_unit_test(test_report_adds_titled_tables),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
