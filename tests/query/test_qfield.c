/* Resolving fields against the column store: every row's value checked
 * against the generated world's own arrays (tests/harness/cxworld.c). */
#include "harness.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "colstore/colstore.h"
#include "core/err.h"
#include "cxworld.h"
#include "query/qfield.h"

static int setup(void **state)
{
    static struct cxworld w;
    cxw_make(&w, 61, 800, 6000, 50);
    *state = &w;
    return 0;
}

static int teardown(void **state)
{
    cxw_free(*state);
    return 0;
}

static struct qfield *resolve(const struct colstore *cs, const char *name,
                              enum colstore_table t)
{
    struct field f;
    struct err err = ERR_INIT;
    struct qfield *qf = NULL;
    enum field_context ctx =
        t == COLSTORE_EVENTS ? FIELD_EVENTS : FIELD_RESPONSES;
    assert_int_equal(field_parse(&f, name, strlen(name), ctx, &err), 0);
    if (qfield_resolve(&qf, cs, t, &f, &err) < 0)
        print_error("%s: %s\n", name, err.msg);
    assert_non_null(qf);
    return qf;
}

static const char *label_of(const struct qfield *qf, size_t row)
{
    return qf->label[qfield_value(qf, qfield_code(qf, row))];
}

static void test_qfield_customer_attributes_follow_each_row(void **state)
{
    struct cxworld *w = *state;
    struct qfield *city = resolve(w->cs, "customer.city", COLSTORE_RESPONSES);
    struct qfield *age = resolve(w->cs, "customer.age", COLSTORE_RESPONSES);
    assert_true(city->cat);
    assert_null(city->num);
    assert_non_null(age->num);
    for (size_t i = 0; i < w->n_resp; i++) {
        const struct cxw_response *r = &w->resp[i];
        if (r->customer < 0) {
            assert_string_equal(label_of(city, i), COLSTORE_NONE);
            assert_true(isnan(age->num[i]));
            continue;
        }
        assert_string_equal(label_of(city, i),
                            cxw_cities[w->cust[r->customer].city]);
        assert_close(age->num[i], w->cust[r->customer].age, 0, 0);
    }
    /* labels sorted, "(none)" last */
    for (uint32_t v = 1; v + 1 < city->n_values; v++)
        assert_true(strcmp(city->label[v - 1], city->label[v]) < 0);
    assert_string_equal(city->label[city->n_values - 1], COLSTORE_NONE);
    assert_int_equal(city->none, city->n_values - 1);
    qfield_free(city);
    qfield_free(age);
}

static void test_qfield_segment_then_and_now(void **state)
{
    struct cxworld *w = *state;
    struct qfield *then = resolve(w->cs, "segment", COLSTORE_RESPONSES);
    struct qfield *now = resolve(w->cs, "customer.segment", COLSTORE_RESPONSES);
    int changed_rows = 0;
    for (size_t i = 0; i < w->n_resp; i++) {
        const struct cxw_response *r = &w->resp[i];
        if (r->customer < 0)
            continue;
        const struct cxw_customer *c = &w->cust[r->customer];
        int s_then = cxw_segment_at(w, r->customer, r->ts);
        int s_now = c->seg_change == INT64_MAX ? c->seg0 : c->seg1;
        assert_string_equal(label_of(then, i),
                            s_then >= 0 ? cxw_segments[s_then] : COLSTORE_NONE);
        assert_string_equal(label_of(now, i),
                            s_now >= 0 ? cxw_segments[s_now] : COLSTORE_NONE);
        changed_rows += s_then != s_now;
    }
    assert_true(changed_rows > 100); /* the two really differ */
    qfield_free(then);
    qfield_free(now);
}

/* Every aggregation and window against the naive per-row loop. */
static void test_qfield_event_features_equal_naive(void **state)
{
    struct cxworld *w = *state;
    static const struct {
        const char *field;
        int activity;
        const char *agg;
        int64_t from, to;
    } cases[] = {
        {"event.fault_report.resolution_hours:latest:30d", 0, "latest",
         -30 * 86400, 0},
        {"event.fault_report.resolution_hours", 0, "latest", INT64_MIN, 0},
        {"event.fault_report.resolution_hours:first:60d", 0, "first",
         -60 * 86400, 0},
        {"event.contact:14d", 1, "count", -14 * 86400, 0},
        {"event.contact", 1, "count", INT64_MIN, 0},
        {"event.flight.departure_delay:sum:12w", 2, "sum", -84 * 86400, 0},
        {"event.flight.departure_delay:max", 2, "max", INT64_MIN, 0},
        {"event.flight.departure_delay:min:30d", 2, "min", -30 * 86400, 0},
        {"event.flight.departure_delay:mean", 2, "mean", INT64_MIN, 0},
        {"event.contact:count:+7d", 1, "count", 1, 7 * 86400},
        /* with an attribute, count is of the events that have it */
        {"event.fault_report.resolution_hours:count:60d", 0, "values",
         -60 * 86400, 0},
        {"event.fault_report.resolution_hours:first", 0, "first", INT64_MIN, 0},
    };
    for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
        struct qfield *qf = resolve(w->cs, cases[k].field, COLSTORE_RESPONSES);
        assert_non_null(qf->num);
        size_t defined = 0;
        for (size_t i = 0; i < w->n_resp; i++) {
            double want = cxw_feature(w, &w->resp[i], cases[k].activity,
                                      cases[k].agg, cases[k].from, cases[k].to);
            if (isnan(want) != isnan(qf->num[i]))
                print_error("%s row %zu: %g, want %g\n", cases[k].field, i,
                            qf->num[i], want);
            assert_int_equal(isnan(want), isnan(qf->num[i]));
            if (!isnan(want)) {
                assert_close(qf->num[i], want, 1e-12, 1e-9);
                defined++;
            }
        }
        assert_true(defined > 100);
        qfield_free(qf);
    }
}

static void test_qfield_text_event_attribute_is_categorical(void **state)
{
    struct cxworld *w = *state;
    struct qfield *qf =
        resolve(w->cs, "event.fault_report.team:latest", COLSTORE_RESPONSES);
    assert_true(qf->cat);
    assert_null(qf->num);
    for (size_t i = 0; i < w->n_resp; i++) {
        const struct cxw_response *r = &w->resp[i];
        const struct cxw_event *last = NULL;
        if (r->customer >= 0)
            for (size_t e = w->ev_first[r->customer];
                 e < w->ev_first[r->customer + 1]; e++)
                if (w->ev[e].activity == 0 && w->ev[e].ts <= r->ts)
                    last = &w->ev[e];
        assert_string_equal(label_of(qf, i),
                            last ? cxw_teams[last->team] : COLSTORE_NONE);
    }
    qfield_free(qf);
    /* text cannot be summed */
    struct field f;
    struct err err = ERR_INIT;
    struct qfield *bad = NULL;
    const char *name = "event.fault_report.team:sum";
    assert_int_equal(field_parse(&f, name, strlen(name), FIELD_RESPONSES, &err),
                     0);
    assert_int_equal(qfield_resolve(&bad, w->cs, COLSTORE_RESPONSES, &f, &err),
                     ERR_INVALID);
    assert_non_null(strstr(err.msg, "only latest, first and count"));
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static void test_qfield_bins_and_quantiles(void **state)
{
    struct cxworld *w = *state;
    struct err err = ERR_INIT;
    struct qfield *qf = resolve(w->cs, "customer.age", COLSTORE_RESPONSES);
    const double edges[] = {30, 50, 65};
    assert_int_equal(qfield_categorize(qf, edges, 3, 1000, &err), 0);
    assert_int_equal(qf->n_values, 5);
    assert_string_equal(qf->label[0], "<30");
    assert_string_equal(qf->label[1], "[30..50)");
    assert_string_equal(qf->label[3], ">=65");
    assert_string_equal(qf->label[4], COLSTORE_NONE);
    for (size_t i = 0; i < w->n_resp; i++) {
        const struct cxw_response *r = &w->resp[i];
        uint32_t want = 4;
        if (r->customer >= 0) {
            int a = w->cust[r->customer].age;
            want = a < 30 ? 0 : a < 50 ? 1 : a < 65 ? 2 : 3;
        }
        assert_int_equal(qfield_value(qf, qfield_code(qf, i)), want);
    }
    qfield_free(qf);

    /* quartiles: edges at the type-1 quantiles of the rows with a value */
    qf = resolve(w->cs, "customer.age:q4", COLSTORE_RESPONSES);
    assert_int_equal(qfield_categorize(qf, NULL, 0, 1000, &err), 0);
    double *v = calloc(w->n_resp, sizeof *v);
    size_t m = 0;
    for (size_t i = 0; i < w->n_resp; i++)
        if (w->resp[i].customer >= 0)
            v[m++] = w->cust[w->resp[i].customer].age;
    qsort(v, m, sizeof *v, cmp_double);
    assert_int_equal(qf->n_edges, 3);
    for (int k = 1; k <= 3; k++)
        assert_close(qf->edges[k - 1], v[(m * (size_t)k + 3) / 4 - 1], 0, 0);
    assert_non_null(strstr(qf->label[0], "Q1 [18.."));
    assert_non_null(strstr(qf->label[3], "..90]"));
    free(v);
    qfield_free(qf);

    /* without bins: distinct values in numeric order */
    qf = resolve(w->cs, "rating:wifi", COLSTORE_RESPONSES);
    assert_close(qf->scale_max, 5, 0, 0);
    assert_int_equal(qfield_categorize(qf, NULL, 0, 1000, &err), 0);
    assert_int_equal(qf->n_values, 7); /* 0..5 and (none) */
    assert_string_equal(qf->label[0], "0");
    assert_string_equal(qf->label[5], "5");
    qfield_free(qf);
    /* many distinct values: each row's label is its own number, the
     * labels in numeric order, as many as a naive count finds */
    qf = resolve(w->cs, "customer.age", COLSTORE_RESPONSES);
    int seen[200] = {0};
    size_t distinct = 0;
    for (size_t i = 0; i < qf->rows; i++)
        if (!isnan(qf->num[i]) && !seen[(int)qf->num[i]]++)
            distinct++;
    assert_true(distinct > 40); /* past the set's first growth */
    assert_int_equal(qfield_categorize(qf, NULL, 0, (uint32_t)distinct, &err),
                     0);
    assert_int_equal(qf->n_values, distinct + 1);
    for (uint32_t k = 1; k < distinct; k++)
        assert_true(atof(qf->label[k - 1]) < atof(qf->label[k]));
    for (size_t i = 0; i < qf->rows; i++) {
        char want[40];
        if (isnan(qf->num[i])) {
            assert_string_equal(label_of(qf, i), COLSTORE_NONE);
            continue;
        }
        snprintf(want, sizeof want, "%g", qf->num[i]);
        assert_string_equal(label_of(qf, i), want);
    }
    qfield_free(qf);
    /* one more than allowed */
    qf = resolve(w->cs, "customer.age", COLSTORE_RESPONSES);
    assert_int_equal(
        qfield_categorize(qf, NULL, 0, (uint32_t)distinct - 1, &err),
        ERR_INVALID);
    assert_non_null(strstr(err.msg, "distinct values"));
    qfield_free(qf);
    /* text cannot be binned */
    err_clear(&err);
    qf = resolve(w->cs, "customer.city", COLSTORE_RESPONSES);
    assert_int_equal(qfield_categorize(qf, edges, 3, 1000, &err), ERR_INVALID);
    qfield_free(qf);
}

static void test_qfield_score_groups_and_touchpoint_facts(void **state)
{
    struct cxworld *w = *state;
    struct qfield *g = resolve(w->cs, "nps_group", COLSTORE_RESPONSES);
    struct qfield *mot = resolve(w->cs, "moment_of_truth", COLSTORE_RESPONSES);
    struct qfield *own = resolve(w->cs, "owner", COLSTORE_RESPONSES);
    struct qfield *lc = resolve(w->cs, "lifecycle", COLSTORE_RESPONSES);
    for (size_t i = 0; i < w->n_resp; i++) {
        const struct cxw_response *r = &w->resp[i];
        const char *want = r->nps >= 9   ? "promoter"
                           : r->nps >= 7 ? "passive"
                                         : "detractor";
        assert_string_equal(label_of(g, i), want);
        assert_string_equal(label_of(mot, i), r->tp ? "yes" : "no");
        assert_string_equal(label_of(own, i),
                            r->tp == 2 ? "Uthyrning" : "Fastighetsskötsel");
        assert_string_equal(label_of(lc, i), r->tp == 2 ? "attract" : "use");
    }
    qfield_free(g);
    qfield_free(mot);
    qfield_free(own);
    qfield_free(lc);
}

static void test_qfield_matches_names_and_aliases(void **state)
{
    struct cxworld *w = *state;
    struct qfield *tp = resolve(w->cs, "touchpoint", COLSTORE_RESPONSES);
    uint8_t allowed[8];
    uint32_t app = qfield_value(tp, (uint32_t)w->tp[0]);
    static const char *const names[] = {"felanmalan_app", "Felanmälan i appen",
                                        "FELANMÄLAN I APPEN", "felanmälan app"};
    for (size_t k = 0; k < 4; k++) {
        memset(allowed, 0, sizeof allowed);
        assert_int_equal(
            qfield_match(tp, w->cs, names[k], strlen(names[k]), allowed), 1);
        assert_int_equal(allowed[app], 1);
    }
    memset(allowed, 0, sizeof allowed);
    assert_int_equal(qfield_match(tp, w->cs, "nope", 4, allowed), 0);
    qfield_free(tp);
}

static void test_qfield_missing_things_are_not_found(void **state)
{
    struct cxworld *w = *state;
    static const char *const names[] = {"customer.shoe_size", "attr:agent",
                                        "choice:colour", "event.delivery",
                                        "event.flight.gate"};
    for (size_t k = 0; k < sizeof names / sizeof *names; k++) {
        struct field f;
        struct err err = ERR_INIT;
        struct qfield *qf = NULL;
        assert_int_equal(
            field_parse(&f, names[k], strlen(names[k]), FIELD_RESPONSES, &err),
            0);
        assert_int_equal(
            qfield_resolve(&qf, w->cs, COLSTORE_RESPONSES, &f, &err),
            ERR_NOTFOUND);
        assert_null(qf);
    }
    struct field f;
    struct err err = ERR_INIT;
    struct qfield *qf = NULL;
    assert_int_equal(
        field_parse(&f, "event.delivery", 14, FIELD_RESPONSES, &err), 0);
    qfield_resolve(&qf, w->cs, COLSTORE_RESPONSES, &f, &err);
    assert_non_null(strstr(err.msg, "known: "));
    assert_non_null(strstr(err.msg, "fault_report"));
}

/* Events are rows of their own: activity and their own attributes. */
static void test_qfield_event_rows(void **state)
{
    struct cxworld *w = *state;
    struct qfield *act = resolve(w->cs, "activity", COLSTORE_EVENTS);
    struct qfield *res = resolve(w->cs, "resolution_hours", COLSTORE_EVENTS);
    struct qfield *seg = resolve(w->cs, "segment", COLSTORE_EVENTS);
    assert_int_equal(act->rows, w->n_ev);
    for (size_t i = 0; i < w->n_ev; i++) {
        const struct cxw_event *e = &w->ev[i];
        assert_string_equal(label_of(act, i), cxw_activities[e->activity]);
        if (e->activity == 0 && !isnan(e->value))
            assert_close(res->num[i], e->value, 0, 0);
        else
            assert_true(isnan(res->num[i]));
        int s = cxw_segment_at(w, e->customer, e->ts);
        assert_string_equal(label_of(seg, i),
                            s >= 0 ? cxw_segments[s] : COLSTORE_NONE);
    }
    qfield_free(act);
    qfield_free(res);
    qfield_free(seg);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_qfield_customer_attributes_follow_each_row),
        cmocka_unit_test(test_qfield_segment_then_and_now),
        cmocka_unit_test(test_qfield_event_features_equal_naive),
        cmocka_unit_test(test_qfield_text_event_attribute_is_categorical),
        cmocka_unit_test(test_qfield_bins_and_quantiles),
        cmocka_unit_test(test_qfield_score_groups_and_touchpoint_facts),
        cmocka_unit_test(test_qfield_matches_names_and_aliases),
        cmocka_unit_test(test_qfield_missing_things_are_not_found),
        cmocka_unit_test(test_qfield_event_rows),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
