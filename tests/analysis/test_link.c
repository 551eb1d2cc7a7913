/* Operations against experience: a planted effect per unit of an event
 * feature recovered within its CI, band figures and the slope against
 * recounts written here, the trend test finding a planted trend and not
 * a null one in seeded simulations, churn by NPS group and revenue at
 * risk, and bad input. */
#include "harness.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/link.h"
#include "colstore/colstore.h"
#include "core/err.h"
#include "core/tstamp.h"
#include "stats/metrics.h"

#define DAY0 1704067200 /* 2024-01-01T00:00:00Z */
#define DAY 86400

/* Planted: expected NPS = 20 - slope x resolution hours (hours 0..400);
 * rating:score = 50 - 0.2 x hours + noise; a notice within 30 days after
 * the response for 30% of detractors, 15% of passives, 10% of
 * promoters. */
struct world {
    struct colstore *cs;
    size_t n;
    double *hours; /* NaN: the customer has no fault report */
    int *nps;
    double *score;
    int *notice;
};

static double normal(struct gen *g)
{
    double u = gen_unit(g), v = gen_unit(g);
    return sqrt(-2 * log(1 - u)) * cos(6.283185307179586 * v);
}

static int draw_nps(struct gen *g, double t)
{
    double pro = (0.72 + t / 100) / 2, det = (0.72 - t / 100) / 2;
    double u = gen_unit(g);
    if (u < pro)
        return gen_range(g, 9, 10);
    if (u < pro + det)
        return gen_range(g, 0, 6);
    return gen_range(g, 7, 8);
}

/* n customers, one response each (customer i answers at DAY0 + i hours
 * scaled over 2024), a fault report a day before it. */
static void build(struct world *w, uint64_t seed, size_t n, double slope)
{
    struct err err = ERR_INIT;
    struct gen g;
    gen_seed(&g, seed);
    memset(w, 0, sizeof *w);
    w->n = n;
    w->hours = calloc(n, sizeof *w->hours);
    w->nps = calloc(n, sizeof *w->nps);
    w->score = calloc(n, sizeof *w->score);
    w->notice = calloc(n, sizeof *w->notice);
    struct colstore *cs = w->cs = colstore_new();
    int j = colstore_add_journey(cs, "hyra", "Hyra", &err);
    int s = colstore_add_stage(cs, j, "boende", "Boende", 0, &err);
    int tp = colstore_add_touchpoint(cs, s, "reparation", "Reparation", &err);
    int ch = colstore_intern(cs, DIM_CHANNEL, "app", &err);
    assert_int_equal(err.code, 0);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(colstore_add_customer(cs, (int64_t)i + 1, NULL, &err),
                         (int)i);
        w->hours[i] = gen_range(&g, 0, 19) ? gen_unit(&g) * 400 : NAN;
        double t = isnan(w->hours[i]) ? 0 : 20 - slope * w->hours[i];
        w->nps[i] = draw_nps(&g, t);
        w->score[i] =
            50 - 0.2 * (isnan(w->hours[i]) ? 0 : w->hours[i]) + 5 * normal(&g);
        double pn = w->nps[i] <= 6 ? 0.30 : w->nps[i] <= 8 ? 0.15 : 0.10;
        w->notice[i] = gen_unit(&g) < pn;
    }
    /* events in (customer, time) order; the last customer's extra event
     * in 2026 marks the end of the data */
    size_t ev = 0;
    for (size_t i = 0; i < n; i++) {
        int64_t ts = DAY0 + (int64_t)(i * 300 * (int64_t)DAY / n);
        struct colstore_event fault = {(int64_t)ev + 1, (int64_t)i, ts - DAY, 0,
                                       "fault_report",  -1,         -1};
        struct colstore_event notice = {
            0, (int64_t)i, ts + 30 * DAY, 0, "notice", -1, -1};
        if (!isnan(w->hours[i])) {
            assert_int_equal(colstore_add_event(cs, &fault, &err), 0);
            ev++;
        }
        if (w->notice[i]) {
            notice.id = (int64_t)++ev;
            assert_int_equal(colstore_add_event(cs, &notice, &err), 0);
        }
        if (i + 1 == n) {
            struct colstore_event end = {(int64_t)++ev,
                                         (int64_t)i,
                                         DAY0 + 900 * (int64_t)DAY,
                                         0,
                                         "payment",
                                         -1,
                                         -1};
            assert_int_equal(colstore_add_event(cs, &end, &err), 0);
        }
    }
    colstore_mark_events_loaded(cs);
    int hc = colstore_col_add(cs, COLSTORE_EVENTS, "resolution_hours",
                              COLSTORE_NUM, NAN, &err);
    struct colstore_events evv;
    colstore_events_view(cs, &evv);
    for (size_t e = 0; e < evv.n; e++) {
        if (strcmp(colstore_activity_label(cs, evv.activity[e]),
                   "fault_report"))
            continue;
        size_t c = evv.customer[e];
        colstore_col_set_num(cs, COLSTORE_EVENTS, hc, e, w->hours[c], &err);
    }
    for (size_t i = 0; i < n; i++) {
        int64_t ts = DAY0 + (int64_t)(i * 300 * (int64_t)DAY / n);
        struct colstore_row row = {tp,         ch,
                                   -1,         -1,
                                   0,          tstamp_local_day(ts, 0),
                                   w->nps[i],  -1,
                                   -1,         (int64_t)i + 1,
                                   (int64_t)i, ts};
        assert_int_equal(colstore_append(cs, &row, &err), 0);
    }
    int sc = colstore_col_add(cs, COLSTORE_RESPONSES, "rating:score",
                              COLSTORE_NUM, 100, &err);
    int k = colstore_col_add(cs, COLSTORE_RESPONSES, "attr:const", COLSTORE_NUM,
                             NAN, &err);
    int team = colstore_col_add(cs, COLSTORE_RESPONSES, "attr:team",
                                COLSTORE_CAT, NAN, &err);
    for (size_t i = 0; i < n; i++) {
        colstore_col_set_num(cs, COLSTORE_RESPONSES, sc, i, w->score[i], &err);
        colstore_col_set_num(cs, COLSTORE_RESPONSES, k, i, 5, &err);
        colstore_col_set_label(cs, COLSTORE_RESPONSES, team, i,
                               i % 2 ? "Norr" : "Syd", 3, &err);
    }
    assert_int_equal(err.code, 0);
}

static void world_free(struct world *w)
{
    colstore_free(w->cs);
    free(w->hours);
    free(w->nps);
    free(w->score);
    free(w->notice);
}

static void query(struct link_query *q, const char *measure)
{
    struct err err = ERR_INIT;
    link_query_init(q);
    assert_int_equal(field_parse(&q->measure, measure, strlen(measure),
                                 FIELD_RESPONSES, &err),
                     0);
}

static struct link_result *run(const struct world *w,
                               const struct link_query *q)
{
    struct err err = ERR_INIT;
    struct link_result *r = NULL;
    if (link_run(&r, w->cs, q, &err) < 0)
        print_error("%s\n", err.msg);
    assert_non_null(r);
    return r;
}

#define F_HOURS "event.fault_report.resolution_hours"

static void test_link_planted_effect_per_unit_lies_in_ci(void **state)
{
    (void)state;
    struct world w;
    struct link_query q;
    build(&w, 13, 6000, 0.1);
    query(&q, F_HOURS);
    static const double edges[] = {100, 200, 300};
    q.edges = edges;
    q.n_edges = 3;
    struct link_result *r = run(&w, &q);
    int64_t with = 0, without = 0;
    int64_t pro[4] = {0}, det[4] = {0}, n[4] = {0};
    for (size_t i = 0; i < w.n; i++) {
        if (isnan(w.hours[i])) {
            without++;
            continue;
        }
        int b = w.hours[i] < 100   ? 0
                : w.hours[i] < 200 ? 1
                : w.hours[i] < 300 ? 2
                                   : 3;
        with++;
        n[b]++;
        pro[b] += w.nps[i] >= 9;
        det[b] += w.nps[i] <= 6;
    }
    assert_int_equal(r->n, with);
    assert_int_equal(r->no_measure, without);
    assert_int_equal(r->n_bands, 4);
    static const char *const labels[] = {"<100", "[100..200)", "[200..300)",
                                         ">=300"};
    for (int b = 0; b < 4; b++) {
        assert_string_equal(r->bands[b].label, labels[b]);
        assert_int_equal(r->bands[b].n, n[b]);
        assert_close(r->bands[b].outcome.value,
                     100.0 * (double)(pro[b] - det[b]) / (double)n[b], 1e-12,
                     1e-9);
    }
    /* NPS points per hour: planted -0.1 */
    assert_true(r->slope.lo < -0.1 && -0.1 < r->slope.hi);
    assert_true(r->slope.hi < 0);
    assert_true(r->trend_valid && r->trend_r < 0 && r->trend_p < 1e-6);
    link_result_free(r);
    world_free(&w);
}

/* The slope of a field outcome against closed-form OLS. */
static void test_link_field_outcome_slope_equals_closed_form(void **state)
{
    (void)state;
    struct world w;
    struct link_query q;
    struct err err = ERR_INIT;
    build(&w, 6, 2000, 0.1);
    query(&q, F_HOURS);
    assert_int_equal(link_outcome_parse(&q.outcome, &q.outcome_field,
                                        "rating:score", 12, &err),
                     0);
    assert_int_equal(q.outcome, LINK_FIELD);
    struct link_result *r = run(&w, &q);
    long double sx = 0, sy = 0, m = 0, sxy = 0, sxx = 0;
    for (size_t i = 0; i < w.n; i++)
        if (!isnan(w.hours[i])) {
            sx += w.hours[i];
            sy += w.score[i];
            m++;
        }
    long double mx = sx / m, my = sy / m;
    for (size_t i = 0; i < w.n; i++)
        if (!isnan(w.hours[i])) {
            sxy += (w.hours[i] - mx) * (w.score[i] - my);
            sxx += (w.hours[i] - mx) * (w.hours[i] - mx);
        }
    assert_int_equal(r->slope.n, (int64_t)m);
    assert_close(r->slope.value, (double)(sxy / sxx), 1e-9, 1e-12);
    assert_true(r->slope.lo < -0.2 && -0.2 < r->slope.hi);
    /* default bands: quartiles */
    assert_int_equal(r->n_bands, 4);
    assert_non_null(strstr(r->bands[0].label, "Q1"));
    link_result_free(r);
    world_free(&w);
}

/* Seeded simulations: without an effect the test rejects at p < 0.05
 * in about 5% of worlds (200 worlds: at most 20, 3.2 SD above 10); with
 * the planted one in nearly all (power about 0.97 at n = 1000). */
static void test_link_trend_finds_planted_trend_not_null(void **state)
{
    (void)state;
    int null_rejects = 0, found = 0, covered = 0;
    for (uint64_t seed = 1; seed <= 200; seed++) {
        struct world w;
        struct link_query q;
        build(&w, 1000 + seed, 300, 0);
        query(&q, F_HOURS);
        struct link_result *r = run(&w, &q);
        null_rejects += r->trend_p < 0.05;
        link_result_free(r);
        world_free(&w);
    }
    for (uint64_t seed = 1; seed <= 30; seed++) {
        struct world w;
        struct link_query q;
        build(&w, 5000 + seed, 1000, 0.1);
        query(&q, F_HOURS);
        struct link_result *r = run(&w, &q);
        found += r->trend_p < 0.05 && r->trend_r < 0;
        covered += r->slope.lo < -0.1 && -0.1 < r->slope.hi;
        link_result_free(r);
        world_free(&w);
    }
    assert_in_range(null_rejects, 0, 20);
    assert_in_range(found, 26, 30);
    /* the effect's 95% CI covers the planted -0.1 in about 95% of them
     * (30 worlds: 25 or more) */
    assert_in_range(covered, 25, 30);
}

static void test_link_churn_by_nps_group_and_revenue(void **state)
{
    (void)state;
    struct world w;
    struct link_query q;
    build(&w, 7, 6000, 0.1);
    query(&q, F_HOURS);
    q.churn = "notice";
    q.churn_window = 60 * DAY;
    q.revenue = 2;
    q.revenue_each = 1000;
    struct link_result *r = run(&w, &q);
    int64_t n[3] = {0}, k[3] = {0};
    for (size_t i = 0; i < w.n; i++) {
        int g = w.nps[i] <= 6 ? 0 : w.nps[i] <= 8 ? 1 : 2;
        n[g]++;
        k[g] += w.notice[i];
    }
    assert_true(r->has_churn);
    assert_int_equal(r->censored, 0); /* the data run to 2026 */
    assert_int_equal(r->customers, (int64_t)w.n);
    for (int g = 0; g < 3; g++) {
        assert_int_equal(r->churned[g].n, n[g]);
        assert_close(r->churned[g].value, 100.0 * (double)k[g] / (double)n[g],
                     1e-12, 1e-9);
    }
    /* planted 30% - 10% = 20 points */
    assert_true(r->churn_diff.valid);
    assert_true(r->churn_diff.lo < 20 && 20 < r->churn_diff.hi);
    assert_int_equal(r->revenue_n, n[0]);
    assert_close(r->revenue_detractors, 1000.0 * (double)n[0], 1e-12, 0);
    assert_close(r->at_risk.value,
                 1000.0 * (double)n[0] * r->churn_diff.diff / 100, 1e-12, 1e-6);
    assert_true(r->at_risk.lo < r->at_risk.value &&
                r->at_risk.value < r->at_risk.hi);
    link_result_free(r);

    /* a window that reaches past the data's end leaves customers out */
    q.churn_window = 700 * DAY;
    r = run(&w, &q);
    assert_true(r->censored > 0);
    assert_int_equal(r->customers + r->censored, (int64_t)w.n);
    link_result_free(r);
    world_free(&w);
}

static void test_link_bad_input_gives_clear_errors(void **state)
{
    (void)state;
    struct world w;
    struct link_query q;
    struct link_result *r = NULL;
    struct err err = ERR_INIT;
    build(&w, 8, 200, 0.1);

    query(&q, "attr:const");
    assert_int_equal(link_run(&r, w.cs, &q, &err), ERR_INVALID);
    assert_null(r);
    assert_non_null(strstr(err.msg, "constant"));

    err_clear(&err);
    query(&q, "attr:nope");
    assert_int_equal(link_run(&r, w.cs, &q, &err), ERR_NOTFOUND);

    err_clear(&err);
    query(&q, "attr:team");
    assert_int_equal(link_run(&r, w.cs, &q, &err), ERR_INVALID);
    assert_non_null(strstr(err.msg, "not a number"));

    err_clear(&err);
    query(&q, F_HOURS);
    assert_int_equal(
        link_outcome_parse(&q.outcome, &q.outcome_field, "attr:team", 9, &err),
        0);
    assert_int_equal(link_run(&r, w.cs, &q, &err), ERR_INVALID);
    assert_non_null(strstr(err.msg, "outcome"));

    /* too few responses left by a filter */
    struct metrics_query f;
    err_clear(&err);
    query(&q, F_HOURS);
    metrics_query_init(&f, FIELD_RESPONSES);
    assert_int_equal(metrics_query_where(&f, "rating:score>1000", &err), 0);
    q.filter = &f;
    assert_int_equal(link_run(&r, w.cs, &q, &err), ERR_INVALID);
    assert_non_null(strstr(err.msg, "too few"));
    metrics_query_dispose(&f);

    /* an unknown churn activity */
    err_clear(&err);
    query(&q, F_HOURS);
    q.churn = "nope";
    q.churn_window = DAY;
    assert_int_equal(link_run(&r, w.cs, &q, &err), ERR_NOTFOUND);
    world_free(&w);
}

static void test_link_parses_bands_windows_and_outcomes(void **state)
{
    (void)state;
    struct err err = ERR_INIT;
    double *e;
    size_t n;
    int qn;
    int64_t secs;
    enum link_outcome o;
    struct field f;
    assert_int_equal(link_bands_parse(&e, &n, &qn, "24,72,168", &err), 0);
    assert_int_equal(n, 3);
    assert_close(e[2], 168, 0, 0);
    assert_int_equal(qn, 0);
    free(e);
    assert_int_equal(link_bands_parse(&e, &n, &qn, "q5", &err), 0);
    assert_int_equal(qn, 5);
    assert_null(e);
    assert_int_equal(link_bands_parse(&e, &n, &qn, "72,24", &err), ERR_INVALID);
    assert_int_equal(link_bands_parse(&e, &n, &qn, "q1", &err), ERR_INVALID);
    assert_int_equal(link_bands_parse(&e, &n, &qn, "1,,2", &err), ERR_INVALID);
    assert_int_equal(link_window_parse(&secs, "180d", 4, &err), 0);
    assert_int_equal(secs, 180 * DAY);
    assert_int_equal(link_window_parse(&secs, "2w", 2, &err), 0);
    assert_int_equal(secs, 14 * DAY);
    assert_int_equal(link_window_parse(&secs, "0d", 2, &err), ERR_INVALID);
    assert_int_equal(link_window_parse(&secs, "30", 2, &err), ERR_INVALID);
    assert_int_equal(link_outcome_parse(&o, &f, "detractor", 9, &err), 0);
    assert_int_equal(o, LINK_DETRACTOR);
    assert_int_equal(link_outcome_parse(&o, &f, "bogus", 5, &err), ERR_INVALID);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_link_planted_effect_per_unit_lies_in_ci),
        cmocka_unit_test(test_link_field_outcome_slope_equals_closed_form),
        cmocka_unit_test(test_link_trend_finds_planted_trend_not_null),
        cmocka_unit_test(test_link_churn_by_nps_group_and_revenue),
        cmocka_unit_test(test_link_bad_input_gives_clear_errors),
        cmocka_unit_test(test_link_parses_bands_windows_and_outcomes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
