/* gap's result: tables, nulls, flags and method notes, from a gap result
 * built by hand. */
#include "harness.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/gap.h"
#include "core/err.h"
#include "core/strbuf.h"
#include "report/gap_report.h"
#include "report/result.h"
#include "stats/nps.h"

static void est(struct estimate *e, int64_t n, double v)
{
    e->n = n;
    e->value = v;
    e->se = 0.1;
    e->lo = v - 0.2;
    e->hi = v + 0.2;
}

/* Question "speed": all (n 50) and touchpoint "app" (n 12, low); slope
 * undefined in the group. One question left out. */
static char *render(enum result_format f, unsigned flags)
{
    struct gap_row rows[2];
    struct gap_result g;
    char rare[] = "rare";
    char *dropped[1] = {rare};
    memset(rows, 0, sizeof rows);
    memset(&g, 0, sizeof g);
    for (int i = 0; i < 2; i++) {
        int64_t n = i ? 12 : 50;
        rows[i].key = "speed";
        rows[i].n = n;
        est(&rows[i].expect, n, 5.5);
        est(&rows[i].perceive, n, 4.5);
        est(&rows[i].gap, n, -1.0);
        rows[i].gap_sd = 0.9;
        est(&rows[i].unmet, n, 70);
        est(&rows[i].slope, n, 0.3);
        rows[i].slope_p = 0.01;
        est(&rows[i].nps_met, n / 2, 20);
        est(&rows[i].nps_unmet, n / 2, -10);
        compare_nps(&rows[i].nps_diff, &(struct nps){5, 3, 2},
                    &(struct nps){2, 3, 5});
    }
    rows[1].group = "app";
    rows[1].group_name = "I appen";
    estimate_clear(&rows[1].slope);
    rows[1].slope_p = NAN;
    g.rows = rows;
    g.n_rows = 2;
    strcpy(g.by, "touchpoint");
    g.rows_passed = 80;
    g.dropped = dropped;
    g.n_dropped = 1;
    struct result *r = gap_report_build(&g, 30);
    struct strbuf b = STRBUF_INIT;
    struct err err = ERR_INIT;
    assert_int_equal(result_render_with(&b, r, f, flags, &err), 0);
    result_free(r);
    char *s = strdup(strbuf_str(&b));
    strbuf_dispose(&b);
    return s;
}

static void test_gap_report_json_tables_and_nulls(void **state)
{
    (void)state;
    char *s = render(RESULT_FORMAT_JSON, 0);
    json_error_t je;
    json_t *j = json_loads(s, 0, &je);
    assert_non_null(j);
    assert_int_equal(json_integer_value(json_object_get(j, "responses")), 80);
    assert_string_equal(json_string_value(json_object_get(j, "by")),
                        "touchpoint");
    json_t *drop = json_object_get(j, "questions_without_pairs");
    assert_string_equal(json_string_value(json_array_get(drop, 0)), "rare");
    json_t *gaps = json_object_get(j, "gaps");
    assert_int_equal(json_array_size(gaps), 2);
    json_t *all = json_array_get(gaps, 0), *app = json_array_get(gaps, 1);
    assert_true(json_is_null(json_object_get(all, "group")));
    assert_string_equal(json_string_value(json_object_get(all, "group_name")),
                        "all");
    assert_string_equal(json_string_value(json_object_get(app, "group")),
                        "app");
    json_t *gap = json_object_get(app, "gap");
    assert_close(json_real_value(json_object_get(gap, "value")), -1.0, 0,
                 1e-12);
    assert_true(json_is_true(json_object_get(gap, "low_n")));
    assert_true(
        json_is_false(json_object_get(json_object_get(all, "gap"), "low_n")));
    json_t *nps = json_array_get(json_object_get(j, "gap_nps"), 1);
    assert_true(
        json_is_null(json_object_get(json_object_get(nps, "slope"), "value")));
    assert_true(json_is_null(json_object_get(nps, "slope_p")));
    assert_true(json_array_size(json_object_get(j, "method")) >= 4);
    assert_non_null(strstr(s, "paired t interval"));
    json_decref(j);
    free(s);
}

static void test_gap_report_table_names_groups_and_flags(void **state)
{
    (void)state;
    char *s = render(RESULT_FORMAT_TABLE, RESULT_RENDER_METHOD);
    assert_non_null(strstr(s, "I appen"));
    assert_non_null(strstr(s, "all"));
    assert_non_null(strstr(s, "12*"));
    assert_non_null(strstr(s, "left out"));
    assert_non_null(strstr(s, "Method:"));
    free(s);
    s = render(RESULT_FORMAT_CSV, 0);
    assert_non_null(strstr(s, "question,group,n,expectation,"));
    assert_non_null(strstr(s, "gap_lo"));
    free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_gap_report_json_tables_and_nulls),
        cmocka_unit_test(test_gap_report_table_names_groups_and_flags),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
