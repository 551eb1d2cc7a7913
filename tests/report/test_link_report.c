/* link's result: bands, trend, effect, churn and revenue tables, units
 * and method notes, from a link result built by hand. */
#include "harness.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/link.h"
#include "core/err.h"
#include "core/strbuf.h"
#include "report/link_report.h"
#include "report/result.h"
#include "stats/prop.h"

static void est(struct estimate *e, int64_t n, double v)
{
    e->n = n;
    e->value = v;
    e->se = 1;
    e->lo = v - 2;
    e->hi = v + 2;
}

static char *render(int churn, enum result_format f, unsigned flags)
{
    struct link_band bands[2];
    struct link_result l;
    memset(&l, 0, sizeof l);
    memset(bands, 0, sizeof bands);
    bands[0].label = "<24";
    bands[0].n = 100;
    bands[0].measure_mean = 10;
    est(&bands[0].outcome, 100, 30);
    bands[1].label = ">=24";
    bands[1].n = 20;
    bands[1].measure_mean = 80;
    est(&bands[1].outcome, 20, -10);
    l.outcome = LINK_NPS;
    strcpy(l.measure, "event.fault_report.resolution_hours");
    strcpy(l.outcome_text, "nps");
    l.rows_passed = 130;
    l.n = 120;
    l.no_measure = 10;
    l.bands = bands;
    l.n_bands = 2;
    l.trend_valid = 1;
    l.trend_r = -0.3;
    l.trend_stat = 10.7;
    l.trend_p = 0.001;
    est(&l.slope, 120, -0.1);
    l.slope_p = 0.002;
    if (churn) {
        struct prop pro = {10, 100}, det = {15, 100};
        l.has_churn = 1;
        strcpy(l.churn, "notice");
        l.churn_window = 180 * 86400;
        l.customers = 250;
        l.censored = 7;
        for (int g = 0; g < 3; g++)
            est(&l.churned[g], 80, 10);
        compare_props(&l.churn_diff, &pro, &det);
        l.revenue = 1;
        strcpy(l.revenue_text, "customer.rent");
        l.revenue_detractors = 1000;
        l.revenue_n = 80;
        est(&l.at_risk, 80, 50);
    }
    struct result *r = link_report_build(&l, 30);
    struct strbuf b = STRBUF_INIT;
    struct err err = ERR_INIT;
    assert_int_equal(result_render_with(&b, r, f, flags, &err), 0);
    result_free(r);
    char *s = strdup(strbuf_str(&b));
    strbuf_dispose(&b);
    return s;
}

static void test_link_report_json_without_churn(void **state)
{
    (void)state;
    char *s = render(0, RESULT_FORMAT_JSON, 0);
    json_error_t je;
    json_t *j = json_loads(s, 0, &je);
    assert_non_null(j);
    assert_int_equal(json_integer_value(json_object_get(j, "n")), 120);
    assert_int_equal(json_integer_value(json_object_get(j, "without_measure")),
                     10);
    json_t *bands = json_object_get(j, "bands");
    assert_int_equal(json_array_size(bands), 2);
    json_t *b1 = json_object_get(json_array_get(bands, 1), "outcome");
    assert_true(json_is_true(json_object_get(b1, "low_n")));
    json_t *trend = json_object_get(j, "trend");
    assert_true(json_is_object(trend)); /* pairs: an object */
    assert_string_equal(json_string_value(json_object_get(trend, "direction")),
                        "falling");
    json_t *eff = json_object_get(j, "effect");
    assert_non_null(strstr(json_string_value(json_object_get(eff, "unit")),
                           "NPS points per unit of event.fault_report"));
    assert_null(json_object_get(j, "churn"));
    assert_null(json_object_get(j, "revenue"));
    assert_non_null(strstr(s, "linear-by-linear"));
    json_decref(j);
    free(s);
}

static void test_link_report_churn_revenue_and_notes(void **state)
{
    (void)state;
    char *s = render(1, RESULT_FORMAT_JSON, 0);
    json_error_t je;
    json_t *j = json_loads(s, 0, &je);
    assert_non_null(j);
    json_t *churn = json_object_get(j, "churn");
    assert_int_equal(json_array_size(churn), 3);
    assert_string_equal(json_string_value(json_object_get(
                            json_array_get(churn, 0), "nps_group")),
                        "detractor");
    json_t *d = json_object_get(j, "churn_diff");
    assert_int_equal(json_integer_value(json_object_get(d, "censored")), 7);
    assert_close(
        json_real_value(json_object_get(json_object_get(d, "diff"), "value")),
        5.0, 1e-12, 1e-12);
    json_t *rev = json_object_get(j, "revenue");
    assert_string_equal(json_string_value(json_object_get(rev, "revenue")),
                        "customer.rent");
    /* p of 10% against 15% of 100 is 0.29: the note says so */
    assert_non_null(strstr(s, "not significant"));
    assert_non_null(strstr(s, "would churn at the promoters' rate"));
    json_decref(j);
    free(s);
    s = render(1, RESULT_FORMAT_TABLE, RESULT_RENDER_METHOD);
    assert_non_null(strstr(s, "Churn: a notice event within 180 days"));
    assert_non_null(strstr(s, "revenue at risk"));
    free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_link_report_json_without_churn),
        cmocka_unit_test(test_link_report_churn_revenue_and_notes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
