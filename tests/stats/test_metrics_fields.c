/* The metrics engine over every kind of field: attributes, answers,
 * event features, score groups, numeric filters, bins and the new
 * metrics, each checked against a plain recount of the generated world
 * (tests/harness/cxworld.c) and the planted effects recovered. */
#include "harness.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "colstore/colstore.h"
#include "core/err.h"
#include "cxworld.h"
#include "stats/metrics.h"

static int setup(void **state)
{
    static struct cxworld w;
    cxw_make(&w, 2026, 3000, 40000, 200000 / 4);
    *state = &w;
    return 0;
}

static int teardown(void **state)
{
    cxw_free(*state);
    return 0;
}

/* Runs a query given as by / metrics / where / bins strings (any NULL). */
static struct metrics_result *run(const struct colstore *cs, const char *by,
                                  const char *metrics, const char *where,
                                  const char *bins)
{
    struct err err = ERR_INIT;
    struct metrics_query q;
    struct metrics_result *r = NULL;
    metrics_query_init(&q, FIELD_RESPONSES);
    if (by)
        assert_int_equal(metrics_query_by(&q, by, &err), 0);
    if (metrics)
        assert_int_equal(metrics_query_metrics(&q, metrics, &err), 0);
    if (where)
        assert_int_equal(metrics_query_where(&q, where, &err), 0);
    if (bins)
        assert_int_equal(metrics_query_bins(&q, bins, &err), 0);
    if (metrics_run(&r, cs, &q, &err) < 0)
        print_error("%s\n", err.msg);
    assert_non_null(r);
    metrics_query_dispose(&q);
    return r;
}

static const struct metrics_cell *cell(const struct metrics_result *r,
                                       const char *label)
{
    for (size_t i = 0; i < r->n_cells; i++)
        if (!strcmp(r->cells[i].label[0], label))
            return &r->cells[i];
    return NULL;
}

static size_t fig(const struct metrics_result *r, const char *key)
{
    for (size_t f = 0; f < r->n_figs; f++)
        if (!strcmp(r->figs[f].key, key))
            return f;
    print_error("no figure %s\n", key);
    fail();
    return 0;
}

/* NPS of the responses keep() passes, counted here. */
struct npsc {
    int64_t n, pro, det;
};

static double nps_of(const struct npsc *c)
{
    return 100.0 * (double)(c->pro - c->det) / (double)c->n;
}

static void npsc_add(struct npsc *c, int nps)
{
    c->n++;
    c->pro += nps >= 9;
    c->det += nps <= 6;
}

static void test_fields_customer_age_bins_recover_planted_effect(void **state)
{
    struct cxworld *w = *state;
    struct metrics_result *r =
        run(w->cs, "customer.age", "nps", NULL, "customer.age=30,50,65");
    struct npsc want[5] = {{0}};
    for (size_t i = 0; i < w->n_resp; i++) {
        const struct cxw_response *x = &w->resp[i];
        int b = 4;
        if (x->customer >= 0) {
            int a = w->cust[x->customer].age;
            b = a < 30 ? 0 : a < 50 ? 1 : a < 65 ? 2 : 3;
        }
        npsc_add(&want[b], x->nps);
    }
    static const char *const labels[] = {"<30", "[30..50)", "[50..65)", ">=65",
                                         "(none)"};
    assert_int_equal(r->n_cells, 5);
    for (int b = 0; b < 5; b++) {
        assert_string_equal(r->cells[b].label[0], labels[b]);
        assert_int_equal(r->cells[b].n, want[b].n);
        assert_close(r->cells[b].fig[0].value, nps_of(&want[b]), 1e-12, 0);
    }
    /* planted: 65+ is 20 points above the rest (slow repairs lower every
     * band alike) */
    const struct estimate *old = &r->cells[3].fig[0],
                          *mid = &r->cells[2].fig[0];
    double se = sqrt(old->se * old->se + mid->se * mid->se);
    assert_close(old->value - mid->value, 20.0, 0, 4 * se);
    metrics_result_free(r);
}

static void test_fields_event_feature_recovers_slow_repairs(void **state)
{
    struct cxworld *w = *state;
    const char *f = "event.fault_report.resolution_hours:latest:30d";
    struct metrics_result *r = run(w->cs, f, "nps", "customer.age<65",
                                   "event.fault_report."
                                   "resolution_hours:latest:30d="
                                   "168");
    struct npsc fast = {0}, slow = {0};
    for (size_t i = 0; i < w->n_resp; i++) {
        const struct cxw_response *x = &w->resp[i];
        if (x->customer < 0 || w->cust[x->customer].age >= 65)
            continue;
        double h = cxw_feature(w, x, 0, "latest", -30 * 86400, 0);
        if (isnan(h))
            continue;
        npsc_add(h >= 168 ? &slow : &fast, x->nps);
    }
    const struct metrics_cell *a = cell(r, "<168"), *b = cell(r, ">=168");
    assert_non_null(a);
    assert_non_null(b);
    assert_int_equal(a->n, fast.n);
    assert_int_equal(b->n, slow.n);
    assert_close(a->fig[0].value, nps_of(&fast), 1e-12, 0);
    assert_close(b->fig[0].value, nps_of(&slow), 1e-12, 0);
    double se = sqrt(a->fig[0].se * a->fig[0].se + b->fig[0].se * b->fig[0].se);
    assert_close(b->fig[0].value - a->fig[0].value, -40.0, 0, 4 * se);
    metrics_result_free(r);
}

static void test_fields_rating_mean_and_top2_by_class(void **state)
{
    struct cxworld *w = *state;
    struct metrics_result *r =
        run(w->cs, "customer.class", "rating:wifi", NULL, NULL);
    size_t fm = fig(r, "rating:wifi_mean"), ft = fig(r, "rating:wifi_top2");
    assert_true(r->figs[fm].with_n);
    for (int business = 0; business <= 1; business++) {
        int64_t n = 0, top = 0;
        double sum = 0;
        for (size_t i = 0; i < w->n_resp; i++) {
            const struct cxw_response *x = &w->resp[i];
            if (x->customer < 0 || isnan(x->wifi) ||
                w->cust[x->customer].business != business)
                continue;
            n++;
            sum += x->wifi;
            top += x->wifi >= 4; /* the top two of 0..5 */
        }
        const struct metrics_cell *c = cell(r, business ? "Business" : "Eco");
        assert_non_null(c);
        assert_int_equal(c->fig[fm].n, n);
        assert_close(c->fig[fm].value, sum / (double)n, 1e-12, 0);
        assert_close(c->fig[ft].value, 100.0 * (double)top / (double)n, 1e-12,
                     0);
    }
    /* planted: Business is one point higher */
    const struct metrics_cell *b = cell(r, "Business"), *e = cell(r, "Eco");
    double se =
        sqrt(b->fig[fm].se * b->fig[fm].se + e->fig[fm].se * e->fig[fm].se);
    assert_close(b->fig[fm].value - e->fig[fm].value, 1.0, 0, 4 * se);
    metrics_result_free(r);
}

/* Wilson's interval, written out here from its formula. */
static void wilson(double k, double n, double *lo, double *hi)
{
    double z = 1.959963984540054, p = k / n;
    double c = (p + z * z / (2 * n)) / (1 + z * z / n);
    double h =
        z / (1 + z * z / n) * sqrt(p * (1 - p) / n + z * z / (4 * n * n));
    *lo = 100 * (c - h);
    *hi = 100 * (c + h);
}

static void test_fields_choice_shares_by_delay_band(void **state)
{
    struct cxworld *w = *state;
    struct metrics_result *r =
        run(w->cs, "event.flight.departure_delay", "choice:satisfaction", NULL,
            "event.flight.departure_delay=15,60");
    size_t fs = fig(r, "choice:satisfaction=satisfied");
    size_t fd = fig(r, "choice:satisfaction=dissatisfied");
    assert_int_equal(r->n_figs, 2); /* "(none)" is not an option */
    int64_t n[4] = {0}, sat[4] = {0};
    for (size_t i = 0; i < w->n_resp; i++) {
        const struct cxw_response *x = &w->resp[i];
        if (x->satisfied < 0)
            continue;
        double d = cxw_feature(w, x, 2, "latest", INT64_MIN, 0);
        int b = isnan(d) ? 3 : d < 15 ? 0 : d < 60 ? 1 : 2;
        n[b]++;
        sat[b] += x->satisfied;
    }
    static const char *const labels[] = {"<15", "[15..60)", ">=60", "(none)"};
    for (int b = 0; b < 4; b++) {
        const struct metrics_cell *c = cell(r, labels[b]);
        assert_non_null(c);
        double lo, hi;
        wilson((double)sat[b], (double)n[b], &lo, &hi);
        assert_int_equal(c->fig[fs].n, n[b]);
        assert_close(c->fig[fs].value, 100.0 * (double)sat[b] / (double)n[b],
                     1e-12, 0);
        assert_close(c->fig[fs].lo, lo, 1e-9, 0);
        assert_close(c->fig[fs].hi, hi, 1e-9, 0);
        assert_close(c->fig[fs].value + c->fig[fd].value, 100.0, 1e-12, 0);
    }
    /* planted: 30 points fewer satisfied after a late flight */
    const struct metrics_cell *late = cell(r, ">=60"), *on = cell(r, "<15");
    double se = sqrt(late->fig[fs].se * late->fig[fs].se +
                     on->fig[fs].se * on->fig[fs].se);
    assert_close(late->fig[fs].value - on->fig[fs].value, -30.0, 0, 4 * se);
    metrics_result_free(r);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static void test_fields_mean_median_sum_of_numbers(void **state)
{
    struct cxworld *w = *state;
    struct metrics_result *r =
        run(w->cs, "segment",
            "customer.age,median:customer.age,p90:customer.age,"
            "sum:event.contact:30d,max:customer.age,count",
            NULL, NULL);
    size_t fmean = fig(r, "mean:customer.age");
    size_t fmed = fig(r, "median:customer.age");
    size_t f90 = fig(r, "p90:customer.age");
    size_t fsum = fig(r, "sum:event.contact:30d");
    size_t fmax = fig(r, "max:customer.age");
    size_t fcnt = fig(r, "count");
    for (int s = 0; s < 3; s++) {
        double *v = calloc(w->n_resp, sizeof *v), sum = 0, contacts = 0;
        size_t m = 0, rows = 0;
        for (size_t i = 0; i < w->n_resp; i++) {
            const struct cxw_response *x = &w->resp[i];
            if (x->customer < 0 || cxw_segment_at(w, x->customer, x->ts) != s)
                continue;
            rows++;
            v[m++] = w->cust[x->customer].age;
            sum += w->cust[x->customer].age;
            contacts += cxw_feature(w, x, 1, "count", -30 * 86400, 0);
        }
        qsort(v, m, sizeof *v, cmp_double);
        const struct metrics_cell *c = cell(r, cxw_segments[s]);
        assert_non_null(c);
        assert_close(c->fig[fmean].value, sum / (double)m, 1e-12, 0);
        /* type 7: linear between order statistics */
        double h = (double)(m - 1) * 0.5;
        size_t lo = (size_t)h;
        double med = v[lo] + (h - (double)lo) * (v[lo + 1] - v[lo]);
        assert_close(c->fig[fmed].value, med, 1e-12, 0);
        h = (double)(m - 1) * 0.9;
        lo = (size_t)h;
        assert_close(c->fig[f90].value,
                     v[lo] + (h - (double)lo) * (v[lo + 1] - v[lo]), 1e-12, 0);
        assert_true(c->fig[fmed].lo <= med && med <= c->fig[fmed].hi);
        assert_close(c->fig[fsum].value, contacts, 1e-12, 0);
        assert_close(c->fig[fmax].value, v[m - 1], 0, 0);
        assert_int_equal(c->fig[fcnt].value, (double)rows);
        free(v);
    }
    metrics_result_free(r);
}

/* Filters on numbers, negations, ranges and quoted values, each against
 * the same filter written as a loop. */
static int keep(const struct cxworld *w, const struct cxw_response *x, int k)
{
    const struct cxw_customer *c =
        x->customer >= 0 ? &w->cust[x->customer] : NULL;
    switch (k) {
    case 0:
        return c && c->age >= 65;
    case 1:
        return c && c->age >= 30 && c->age <= 49;
    case 2: /* != keeps rows without a customer: their city is (none) */
        return !c || c->city != 0;
    case 3:
        return c && (c->city == 9 || c->city == 1);
    case 4:
        return !isnan(x->wifi) && x->wifi > 3;
    case 5:
        return x->nps <= 6 && x->tp != 2;
    default:
        return c && c->business && x->satisfied == 1;
    }
}

static void test_fields_filters_equal_loops(void **state)
{
    struct cxworld *w = *state;
    static const char *const where[] = {
        "customer.age>=65",
        "customer.age=30..49",
        "customer.city!=Uppsala",
        "customer.city=\"Falun, centrum\",Stockholm",
        "rating:wifi>3",
        "nps_group=detractor;moment_of_truth=no,yes;lifecycle=use",
        "customer.class=Business;choice:satisfaction=satisfied",
    };
    for (int k = 0; k < (int)(sizeof where / sizeof *where); k++) {
        struct metrics_result *r = run(w->cs, NULL, "nps", where[k], NULL);
        struct npsc want = {0};
        for (size_t i = 0; i < w->n_resp; i++)
            if (keep(w, &w->resp[i], k))
                npsc_add(&want, w->resp[i].nps);
        assert_int_equal(r->rows, want.n);
        assert_close(r->cells[0].fig[0].value, nps_of(&want), 1e-12, 0);
        metrics_result_free(r);
    }
}

/* An empty column store with one touchpoint and one channel. */
static struct colstore *one_touchpoint(int *tp, int *ch)
{
    struct err err = ERR_INIT;
    struct colstore *cs = colstore_new();
    int j = colstore_add_journey(cs, "j", "J", &err);
    int st = colstore_add_stage(cs, j, "s", "S", 0, &err);
    *tp = colstore_add_touchpoint(cs, st, "t", "T", &err);
    *ch = colstore_intern(cs, DIM_CHANNEL, "web", &err);
    assert_int_equal(err.code, 0);
    return cs;
}

/* 200,000 customers in 200,000 cities, one response each: a dimension
 * three times past the 65,535 codes of the fixed dimensions, gathered
 * onto the responses and grouped, every cell its own city. */
static void test_fields_two_hundred_thousand_cities(void **state)
{
    (void)state;
    enum { N = 200000 };
    struct err err = ERR_INIT;
    int tp, ch;
    struct colstore *cs = one_touchpoint(&tp, &ch);
    char name[32];
    for (int c = 0; c < N; c++)
        assert_int_equal(colstore_add_customer(cs, c + 1, NULL, &err), c);
    int city = colstore_col_add(cs, COLSTORE_CUSTOMERS, "city", COLSTORE_CAT,
                                NAN, &err);
    colstore_reserve(cs, N);
    for (int c = 0; c < N; c++) {
        snprintf(name, sizeof name, "city %06d", c);
        assert_int_equal(colstore_col_set_label(cs, COLSTORE_CUSTOMERS, city,
                                                (size_t)c, name, strlen(name),
                                                &err),
                         0);
        struct colstore_row r = {tp,     ch, -1, -1,    0, 19800 + c % 300,
                                 c % 11, -1, -1, c + 1, c, 0};
        assert_int_equal(colstore_append(cs, &r, &err), 0);
    }
    struct metrics_result *res =
        run(cs, "customer.city", "nps", "customer.city!=\"city 000007\"", NULL);
    assert_int_equal(res->n_cells, N - 1);
    assert_int_equal(res->rows, N - 1);
    assert_string_equal(res->cells[0].label[0], "city 000000");
    assert_string_equal(res->cells[7].label[0], "city 000008");
    assert_string_equal(res->cells[N - 2].label[0], "city 199999");
    for (size_t i = 0; i < res->n_cells; i++) {
        int c = atoi(res->cells[i].label[0] + 5);
        assert_int_equal(res->cells[i].n, 1);
        assert_int_equal(res->cells[i].fig[0].value, c % 11 >= 9   ? 100
                                                     : c % 11 <= 6 ? -100
                                                                   : 0);
    }
    metrics_result_free(res);
    colstore_free(cs);
}

/* 50,000 stores as a response attribute, grouped with exact counts. */
static void test_fields_high_cardinality_dimension(void **state)
{
    struct cxworld *w = *state;
    struct metrics_result *r = run(w->cs, "attr:store", "count", NULL, NULL);
    int64_t *n = calloc((size_t)w->n_stores, sizeof *n);
    size_t distinct = 0, total = 0;
    for (size_t i = 0; i < w->n_resp; i++)
        distinct += n[w->resp[i].store]++ == 0;
    assert_int_equal(r->n_cells, distinct);
    for (size_t c = 0; c < r->n_cells; c++) {
        int s = atoi(r->cells[c].label[0] + 1);
        assert_int_equal(r->cells[c].n, n[s]);
        total += (size_t)r->cells[c].n;
        if (c)
            assert_true(strcmp(r->cells[c - 1].label[0], r->cells[c].label[0]) <
                        0);
    }
    assert_int_equal(total, w->n_resp);
    free(n);
    metrics_result_free(r);
}

static void test_fields_compare_thin_groups_are_never_significant(void **state)
{
    struct cxworld *w = *state;
    struct metrics_result *a = run(w->cs, NULL, "nps", "customer.age<65", NULL);
    /* a handful of responses, all promoters or all detractors */
    struct metrics_result *b =
        run(w->cs, NULL, "nps",
            "nps_score=0;customer.age=18;customer.class=Business", NULL);
    struct comparison c[1];
    assert_true(b->cells[0].n < 30);
    metrics_compare_cells(c, a, &a->cells[0], b, &b->cells[0]);
    assert_true(c[0].valid);
    assert_true(c[0].p < 0.05);     /* the test alone would call it */
    assert_false(c[0].significant); /* but the group is thin */
    metrics_result_free(b);
    /* the same groups, big enough: significant */
    b = run(w->cs, NULL, "nps", "customer.age>=65", NULL);
    metrics_compare_cells(c, a, &a->cells[0], b, &b->cells[0]);
    assert_true(c[0].significant);
    metrics_result_free(a);
    metrics_result_free(b);
}

static void test_fields_errors_say_what(void **state)
{
    struct cxworld *w = *state;
    /* parsed = 1: the last option given is refused as it is parsed, so
     * the query never reaches metrics_run */
    static const struct {
        const char *by, *metrics, *where, *bins;
        int rc;
        const char *msg;
        int parsed;
    } cases[] = {
        {"customer.city", NULL, NULL, "customer.city=1,2", ERR_INVALID,
         "not numeric", 0},
        {NULL, "mean:customer.city", NULL, NULL, ERR_INVALID, "is not numeric",
         0},
        {NULL, "nps", "customer.city=Kiruna", NULL, ERR_NOTFOUND,
         "no customer.city \"Kiruna\"", 0},
        {NULL, "nps", "customer.age=old", NULL, ERR_INVALID, "is not a number",
         0},
        {"touchpoint", NULL, NULL, "customer.age=30", ERR_INVALID,
         "not in --by", 0},
        {"customer.age", NULL, NULL, "customer.age=50,30", ERR_INVALID,
         "must increase (30 after 50)", 1},
        {"customer.age", NULL, NULL, "customer.age=30,30", ERR_INVALID,
         "must increase (30 after 30)", 1},
        {"customer.age", NULL, NULL, "customer.age=", ERR_INVALID,
         "bad bins \"customer.age=\"", 1},
        {NULL, "p0:customer.age", NULL, NULL, ERR_INVALID,
         "percentile p0 must be p1..p99", 1},
        {NULL, "p100:customer.age", NULL, NULL, ERR_INVALID,
         "percentile p100 must be p1..p99", 1},
        {NULL, "nps,nps", NULL, NULL, ERR_INVALID, "metric nps given twice", 1},
    };
    for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
        struct err err = ERR_INIT;
        struct metrics_query q;
        struct metrics_result *r = NULL;
        int rc = 0;
        metrics_query_init(&q, FIELD_RESPONSES);
        if (cases[k].by)
            rc = metrics_query_by(&q, cases[k].by, &err);
        if (!rc && cases[k].metrics)
            rc = metrics_query_metrics(&q, cases[k].metrics, &err);
        if (!rc && cases[k].where)
            rc = metrics_query_where(&q, cases[k].where, &err);
        if (!rc && cases[k].bins)
            rc = metrics_query_bins(&q, cases[k].bins, &err);
        if (!cases[k].parsed) {
            assert_int_equal(rc, 0);
            rc = metrics_run(&r, w->cs, &q, &err);
        }
        assert_int_equal(rc, cases[k].rc);
        if (!strstr(err.msg, cases[k].msg))
            print_error("case %zu: %s\n", k, err.msg);
        assert_non_null(strstr(err.msg, cases[k].msg));
        assert_null(r);
        metrics_query_dispose(&q);
    }
}

/* Event features are computed only for the rows the other filters pass
 * (metrics_plan.c): the figures must not notice, in --by, --metric and
 * --where alike; quantile edges still come from every row. */
static void test_fields_features_under_filters_equal_loops(void **state)
{
    struct cxworld *w = *state;
    struct metrics_result *r = run(
        w->cs, "customer.class", "nps,mean:event.flight.departure_delay:30d",
        "customer.age>=40;touchpoint=reparation,visning;event.contact:14d>=1",
        NULL);
    size_t fm = fig(r, "mean:event.flight.departure_delay:30d");
    for (int business = 0; business <= 1; business++) {
        struct npsc want = {0};
        double sum = 0;
        int64_t k = 0;
        for (size_t i = 0; i < w->n_resp; i++) {
            const struct cxw_response *x = &w->resp[i];
            if (x->customer < 0 || w->cust[x->customer].age < 40 ||
                w->cust[x->customer].business != business || x->tp == 0 ||
                cxw_feature(w, x, 1, "count", -14 * 86400, 0) < 1)
                continue;
            npsc_add(&want, x->nps);
            double d = cxw_feature(w, x, 2, "latest", -30 * 86400, 0);
            if (!isnan(d))
                sum += d, k++;
        }
        const struct metrics_cell *c = cell(r, business ? "Business" : "Eco");
        assert_non_null(c);
        assert_true(want.n > 100 && k > 50);
        assert_int_equal(c->n, want.n);
        assert_close(c->fig[0].value, nps_of(&want), 1e-12, 0);
        assert_int_equal(c->fig[fm].n, k);
        assert_close(c->fig[fm].value, sum / (double)k, 1e-12, 1e-9);
    }
    metrics_result_free(r);

    const char *q4 = "event.fault_report.resolution_hours:q4";
    struct metrics_result *all = run(w->cs, q4, "nps", NULL, NULL);
    struct metrics_result *old =
        run(w->cs, q4, "nps", "customer.age>=80", NULL);
    assert_true(old->rows < all->rows / 4);
    for (size_t i = 0; i < old->n_cells; i++)
        assert_non_null(cell(all, old->cells[i].label[0]));
    metrics_result_free(all);
    metrics_result_free(old);
}

/* Quantiles of distinct continuous values, in groups from 1 to 6,000
 * rows, from p1 to p99, against a plain sort and type 7 by hand: every
 * rank a group's sort can put a value at is read by some percentile. */
static void test_fields_quantiles_equal_a_plain_sort(void **state)
{
    (void)state;
    static const int sizes[] = {1, 2, 3, 5, 16, 17, 40, 257, 6000};
    enum { G = sizeof sizes / sizeof *sizes };
    static const int pct[] = {1, 5, 10, 25, 37, 50, 63, 75, 90, 95, 99};
    enum { P = sizeof pct / sizeof *pct };
    struct err err = ERR_INIT;
    int tp, ch;
    struct colstore *cs = one_touchpoint(&tp, &ch);
    int gc = colstore_col_add(cs, COLSTORE_RESPONSES, "attr:g", COLSTORE_CAT,
                              NAN, &err);
    int xc = colstore_col_add(cs, COLSTORE_RESPONSES, "attr:x", COLSTORE_NUM,
                              NAN, &err);
    size_t n = 0;
    for (int g = 0; g < G; g++)
        n += (size_t)sizes[g];
    double *want[G];
    int have[G] = {0};
    uint64_t seed = 12345;
    colstore_reserve(cs, n);
    for (int g = 0; g < G; g++)
        want[g] = calloc((size_t)sizes[g], sizeof *want[g]);
    /* groups interleaved, so each cell's values arrive scattered */
    for (size_t i = 0; i < n; i++) {
        int g = (int)(i % G);
        while (have[g] == sizes[g]) /* some group still has room */
            g = (g + 1) % G;
        seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
        double x = (double)(seed >> 11) / 9007199254740992.0 * 1000 - 500;
        want[g][have[g]++] = x;
        struct colstore_row r = {
            tp, ch, -1, -1, 0, 19800, 9, -1, -1, (int64_t)i + 1, -1, 0};
        char label[16];
        snprintf(label, sizeof label, "g%d", g);
        assert_int_equal(colstore_append(cs, &r, &err), 0);
        assert_int_equal(colstore_col_set_label(cs, COLSTORE_RESPONSES, gc, i,
                                                label, strlen(label), &err),
                         0);
        assert_int_equal(
            colstore_col_set_num(cs, COLSTORE_RESPONSES, xc, i, x, &err), 0);
    }
    char metrics[256] = "";
    for (int k = 0; k < P; k++)
        snprintf(metrics + strlen(metrics), sizeof metrics - strlen(metrics),
                 "%sp%d:attr:x", k ? "," : "", pct[k]);
    struct metrics_result *r = run(cs, "attr:g", metrics, NULL, NULL);
    for (int g = 0; g < G; g++) {
        char label[16];
        snprintf(label, sizeof label, "g%d", g);
        const struct metrics_cell *c = cell(r, label);
        assert_non_null(c);
        size_t m = (size_t)sizes[g];
        qsort(want[g], m, sizeof *want[g], cmp_double);
        for (int k = 0; k < P; k++) {
            double q = pct[k] / 100.0, h = (double)(m - 1) * q;
            size_t lo = (size_t)h, hi = lo + 1 < m ? lo + 1 : lo;
            double v =
                want[g][lo] + (h - (double)lo) * (want[g][hi] - want[g][lo]);
            assert_int_equal(c->fig[k].n, m);
            assert_close(c->fig[k].value, v, 1e-12, 1e-9);
        }
        free(want[g]);
    }
    metrics_result_free(r);
    colstore_free(cs);
}

/* sum: adds the values as they are: large whole numbers sum exactly (a
 * mean times n would be off by rounding). */
static void test_fields_sum_of_large_numbers_is_exact(void **state)
{
    (void)state;
    enum { N = 3001 };
    struct err err = ERR_INIT;
    int tp, ch;
    struct colstore *cs = one_touchpoint(&tp, &ch);
    int xc = colstore_col_add(cs, COLSTORE_RESPONSES, "attr:x", COLSTORE_NUM,
                              NAN, &err);
    double want = 0;
    colstore_reserve(cs, N);
    for (int i = 0; i < N; i++) {
        struct colstore_row r = {
            tp, ch, -1, -1, 0, 19800, 9, -1, -1, (int64_t)i + 1, -1, 0};
        /* 2^40 plus a varying part: every partial sum stays below 2^53 */
        double x = 1099511627776.0 + (double)((i * 7919) % 1000003);
        want += x;
        assert_int_equal(colstore_append(cs, &r, &err), 0);
        assert_int_equal(colstore_col_set_num(cs, COLSTORE_RESPONSES, xc,
                                              (size_t)i, x, &err),
                         0);
    }
    struct metrics_result *r = run(cs, NULL, "sum:attr:x", NULL, NULL);
    assert_true(r->cells[0].fig[0].value == want);
    metrics_result_free(r);
    colstore_free(cs);
}

int main(void)
{
#define T(name) cmocka_unit_test(name)
    const struct CMUnitTest tests[] = {
        T(test_fields_customer_age_bins_recover_planted_effect),
        T(test_fields_event_feature_recovers_slow_repairs),
        T(test_fields_rating_mean_and_top2_by_class),
        T(test_fields_choice_shares_by_delay_band),
        T(test_fields_mean_median_sum_of_numbers),
        T(test_fields_filters_equal_loops),
        T(test_fields_features_under_filters_equal_loops),
        T(test_fields_quantiles_equal_a_plain_sort),
        T(test_fields_sum_of_large_numbers_is_exact),
        T(test_fields_high_cardinality_dimension),
        T(test_fields_two_hundred_thousand_cities),
        T(test_fields_compare_thin_groups_are_never_significant),
        T(test_fields_errors_say_what),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
