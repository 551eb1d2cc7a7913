/* summary's result: the customers' headline, employees apart. */
#include "harness.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "colstore/colstore.h"
#include "core/err.h"
#include "core/strbuf.h"
#include "report/result.h"
#include "report/summary_report.h"
#include "stats/metrics.h"
#include "store/store.h"

/* 40 customer answers (20 promoters, 10 passives, 10 detractors: NPS 25)
 * and, with employees, 3 employee detractors. */
static struct colstore *fixture(int employees)
{
    struct err err = ERR_INIT;
    struct colstore *cs = colstore_new();
    int j = colstore_add_journey(cs, "live", "Bo", &err);
    int st = colstore_add_stage(cs, j, "report", "Felanmälan", 0, &err);
    int tp = colstore_add_touchpoint(cs, st, "app", "I appen", &err);
    int ch = colstore_intern(cs, DIM_CHANNEL, "app", &err);
    for (int i = 0; i < 40; i++) {
        struct colstore_row r = {
            tp, ch, -1, -1, 0, 19800, i < 20 ? 10 : i < 30 ? 8 : 2,
            -1, -1, 0,  -1, 0};
        colstore_append(cs, &r, &err);
    }
    for (int i = 0; i < employees; i++) {
        struct colstore_row r = {tp, ch, -1, -1, 1, 19800, 0, -1, -1, 0, -1, 0};
        colstore_append(cs, &r, &err);
    }
    assert_int_equal(err.code, 0);
    return cs;
}

static struct metrics_result *run(const struct colstore *cs, int kind,
                                  const char *by)
{
    struct metrics_query q;
    struct metrics_result *r = NULL;
    struct err err = ERR_INIT;
    const char *name = kind ? "employee" : "customer";
    metrics_query_init(&q, FIELD_RESPONSES);
    if (by)
        assert_int_equal(metrics_query_by(&q, by, &err), 0);
    assert_int_equal(metrics_query_where_values(&q, "kind", &name, 1, &err), 0);
    assert_int_equal(metrics_run(&r, cs, &q, &err), 0);
    metrics_query_dispose(&q);
    return r;
}

static char *build(int employees, enum result_format f)
{
    struct colstore *cs = fixture(employees);
    struct metrics_result *head = run(cs, 0, NULL), *st = run(cs, 0, "stage"),
                          *emp = run(cs, 1, NULL);
    struct store_counts n = {.journeys = 1,
                             .stages = 1,
                             .touchpoints = 1,
                             .customers = 4,
                             .employees = employees ? 2 : 0,
                             .responses = 40 + employees};
    struct result *res = summary_report_build(&n, head, st, emp);
    struct strbuf b = STRBUF_INIT;
    struct err err = ERR_INIT;
    assert_int_equal(result_render(&b, res, f, &err), 0);
    result_free(res);
    metrics_result_free(head);
    metrics_result_free(st);
    metrics_result_free(emp);
    colstore_free(cs);
    return strbuf_detach(&b, NULL);
}

static void test_summary_headline_counts_customers_only(void **state)
{
    (void)state;
    char *s = build(3, RESULT_FORMAT_JSON);
    json_error_t je;
    json_t *root = json_loads(s, 0, &je);
    assert_non_null(root);
    json_t *head = json_array_get(json_object_get(root, "headline"), 0);
    json_t *nps = json_object_get(head, "nps");
    assert_int_equal(json_integer_value(json_object_get(nps, "n")), 40);
    assert_close(json_real_value(json_object_get(nps, "value")), 25, 0, 1e-9);
    json_t *emp = json_array_get(json_object_get(root, "employees"), 0);
    nps = json_object_get(emp, "nps");
    assert_int_equal(json_integer_value(json_object_get(nps, "n")), 3);
    assert_close(json_real_value(json_object_get(nps, "value")), -100, 0, 1e-9);
    json_t *counts = json_object_get(root, "counts");
    assert_int_equal(
        json_integer_value(json_object_get(counts, "employee_responses")), 3);
    json_t *stage = json_array_get(json_object_get(root, "nps_by_stage"), 0);
    assert_int_equal(json_integer_value(json_object_get(stage, "n")), 40);
    json_decref(root);
    free(s);

    s = build(3, RESULT_FORMAT_TABLE);
    assert_non_null(strstr(s, "\nHeadline (customers)\n"));
    assert_non_null(strstr(s, "\nEmployees' view\n"));
    assert_non_null(strstr(s, "of which employees'  3\n"));
    free(s);
}

static void test_summary_without_employees_has_no_employee_section(void **state)
{
    (void)state;
    char *s = build(0, RESULT_FORMAT_TABLE);
    assert_non_null(strstr(s, "\nHeadline\n"));
    assert_null(strstr(s, "Employees"));
    assert_null(strstr(s, "employees")); /* counts of 0 not shown */
    free(s);
    s = build(0, RESULT_FORMAT_JSON);
    assert_null(strstr(s, "\"employees\":["));
    assert_non_null(strstr(s, "\"employee_responses\":0"));
    free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_summary_headline_counts_customers_only),
        cmocka_unit_test(
            test_summary_without_employees_has_no_employee_section),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
