/* The expectation-perception gap: planted gaps recovered within their
 * CIs, the paired t interval and the Wilson share against independent
 * computations written here, the NPS slope against a closed-form OLS,
 * groups and filters, and bad input. */
#include "harness.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/gap.h"
#include "colstore/colstore.h"
#include "core/err.h"
#include "core/tstamp.h"
#include "stats/metrics.h"

#define N_RESP 3000
#define DAY0 1704067200 /* 2024-01-01T00:00:00Z */

/* Planted: the mean gap is -1.0 at touchpoint "kundtjanst" and +0.5 at
 * "webb"; NPS rises 0.8 points (0..10) per gap point before rounding. */
static const double planted_gap[2] = {-1.0, 0.5};

struct world {
    struct colstore *cs;
    double e[N_RESP], p[N_RESP];
    int nps[N_RESP];
    int tp[N_RESP];
};

static double normal(struct gen *g)
{
    double u = gen_unit(g), v = gen_unit(g);
    return sqrt(-2 * log(1 - u)) * cos(6.283185307179586 * v);
}

static void build(struct world *w, uint64_t seed)
{
    struct err err = ERR_INIT;
    struct gen g;
    gen_seed(&g, seed);
    struct colstore *cs = w->cs = colstore_new();
    int j = colstore_add_journey(cs, "hyra", "Hyra", &err);
    int s = colstore_add_stage(cs, j, "boende", "Boende", 0, &err);
    int tp[2] = {
        colstore_add_touchpoint(cs, s, "kundtjanst", "Kundtjänst", &err),
        colstore_add_touchpoint(cs, s, "webb", "Webben", &err)};
    int ch = colstore_intern(cs, DIM_CHANNEL, "app", &err);
    assert_int_equal(err.code, 0);
    for (size_t i = 0; i < N_RESP; i++) {
        int t = gen_range(&g, 0, 1);
        double e = gen_range(&g, 3, 7);
        double d = planted_gap[t] + normal(&g);
        double p = e + d;
        double y = 6.5 + 0.8 * d + normal(&g);
        int nps = (int)lround(y < 0 ? 0 : y > 10 ? 10 : y);
        if (gen_range(&g, 0, 9) == 0)
            nps = -1; /* NPS not asked */
        w->e[i] = e;
        w->p[i] = p;
        w->nps[i] = nps;
        w->tp[i] = t;
        int64_t ts = DAY0 + (int64_t)i * 600;
        struct colstore_row row = {
            tp[t],          ch, -1, -1, 0, tstamp_local_day(ts, 0), nps, -1, -1,
            (int64_t)i + 1, -1, ts};
        assert_int_equal(colstore_append(cs, &row, &err), 0);
    }
    int ce = colstore_col_add(cs, COLSTORE_RESPONSES, "expect:speed",
                              COLSTORE_NUM, NAN, &err);
    int cp = colstore_col_add(cs, COLSTORE_RESPONSES, "perceive:speed",
                              COLSTORE_NUM, NAN, &err);
    /* a question nobody at "webb" answered, and one nobody answered */
    int oe = colstore_col_add(cs, COLSTORE_RESPONSES, "expect:rare",
                              COLSTORE_NUM, NAN, &err);
    int op = colstore_col_add(cs, COLSTORE_RESPONSES, "perceive:rare",
                              COLSTORE_NUM, NAN, &err);
    assert_true(colstore_col_add(cs, COLSTORE_RESPONSES, "expect:empty",
                                 COLSTORE_NUM, NAN, &err) >= 0);
    assert_true(colstore_col_add(cs, COLSTORE_RESPONSES, "perceive:empty",
                                 COLSTORE_NUM, NAN, &err) >= 0);
    for (size_t i = 0; i < N_RESP; i++) {
        colstore_col_set_num(cs, COLSTORE_RESPONSES, ce, i, w->e[i], &err);
        colstore_col_set_num(cs, COLSTORE_RESPONSES, cp, i, w->p[i], &err);
        if (w->tp[i] == 0 && i % 7 == 0) {
            colstore_col_set_num(cs, COLSTORE_RESPONSES, oe, i, 5, &err);
            colstore_col_set_num(cs, COLSTORE_RESPONSES, op, i,
                                 (double)(i % 3) + 3, &err);
        }
    }
    assert_int_equal(err.code, 0);
}

static int setup(void **state)
{
    static struct world w;
    build(&w, 17);
    *state = &w;
    return 0;
}

static int teardown(void **state)
{
    struct world *w = *state;
    colstore_free(w->cs);
    return 0;
}

static struct gap_result *run(const struct world *w, const char *key,
                              const char *by, const struct metrics_query *f)
{
    struct field bf;
    struct err err = ERR_INIT;
    struct gap_result *r = NULL;
    const char *keys[1] = {key};
    struct gap_query q = {keys, 1, NULL, NULL, 0, f};
    if (by) {
        assert_int_equal(
            field_parse(&bf, by, strlen(by), FIELD_RESPONSES, &err), 0);
        q.by = &bf;
    }
    if (gap_run(&r, w->cs, &q, &err) < 0)
        print_error("%s\n", err.msg);
    assert_non_null(r);
    return r;
}

/* Mean, paired t CI and unmet share of the rows with tp == t (-1: all),
 * computed here without the library's accumulators. */
struct naive {
    double n, mean, sd, lo, hi, unmet, wlo, whi;
};

static void naive(const struct world *w, int t, struct naive *o)
{
    long double s = 0, ss = 0;
    double n = 0, k = 0;
    for (size_t i = 0; i < N_RESP; i++)
        if (t < 0 || w->tp[i] == t) {
            s += w->p[i] - w->e[i];
            n++;
            k += w->p[i] - w->e[i] < 0;
        }
    double m = (double)(s / n);
    for (size_t i = 0; i < N_RESP; i++)
        if (t < 0 || w->tp[i] == t) {
            long double d = w->p[i] - w->e[i] - m;
            ss += d * d;
        }
    o->n = n;
    o->mean = m;
    o->sd = sqrt((double)(ss / (n - 1)));
    double h = gsl_cdf_tdist_Pinv(0.975, n - 1) * o->sd / sqrt(n);
    o->lo = m - h;
    o->hi = m + h;
    /* Wilson, written out */
    double z = 1.959963984540054, ph = k / n;
    double c = (ph + z * z / (2 * n)) / (1 + z * z / n);
    double r =
        z * sqrt(ph * (1 - ph) / n + z * z / (4 * n * n)) / (1 + z * z / n);
    o->unmet = 100 * ph;
    o->wlo = 100 * (c - r);
    o->whi = 100 * (c + r);
}

static void test_gap_paired_ci_equals_independent_computation(void **state)
{
    struct world *w = *state;
    struct gap_result *r = run(w, "speed", NULL, NULL);
    struct naive nv;
    naive(w, -1, &nv);
    assert_int_equal(r->n_rows, 1);
    const struct gap_row *row = &r->rows[0];
    assert_null(row->group);
    assert_string_equal(row->key, "speed");
    assert_int_equal(row->n, N_RESP);
    assert_close(row->gap.value, nv.mean, 1e-12, 1e-12);
    assert_close(row->gap_sd, nv.sd, 1e-10, 1e-12);
    assert_close(row->gap.lo, nv.lo, 1e-10, 1e-12);
    assert_close(row->gap.hi, nv.hi, 1e-10, 1e-12);
    assert_close(row->unmet.value, nv.unmet, 1e-12, 1e-12);
    assert_close(row->unmet.lo, nv.wlo, 1e-10, 1e-10);
    assert_close(row->unmet.hi, nv.whi, 1e-10, 1e-10);
    /* the gap is the difference of the two means */
    assert_close(row->gap.value, row->perceive.value - row->expect.value, 1e-12,
                 1e-12);
    gap_result_free(r);
}

static void test_gap_planted_gaps_lie_in_their_cis(void **state)
{
    struct world *w = *state;
    struct gap_result *r = run(w, "speed", "touchpoint", NULL);
    assert_int_equal(r->n_rows, 3); /* all, kundtjanst, webb */
    assert_string_equal(r->by, "touchpoint");
    for (int t = 0; t < 2; t++) {
        const struct gap_row *row = &r->rows[1 + t];
        struct naive nv;
        naive(w, t, &nv);
        assert_string_equal(row->group, t ? "webb" : "kundtjanst");
        assert_string_equal(row->group_name, t ? "Webben" : "Kundtjänst");
        assert_int_equal(row->n, (int64_t)nv.n);
        assert_close(row->gap.value, nv.mean, 1e-12, 1e-12);
        assert_true(row->gap.lo < planted_gap[t]);
        assert_true(planted_gap[t] < row->gap.hi);
        assert_true(row->gap.hi - row->gap.lo < 0.2);
    }
    /* expectations were not met far more often where the gap is -1 */
    assert_true(r->rows[1].unmet.lo > r->rows[2].unmet.hi);
    gap_result_free(r);
}

/* The NPS slope against closed-form OLS over the pairs with an NPS. */
static void test_gap_nps_slope_equals_closed_form(void **state)
{
    struct world *w = *state;
    struct gap_result *r = run(w, "speed", NULL, NULL);
    long double sx = 0, sy = 0, n = 0;
    for (size_t i = 0; i < N_RESP; i++)
        if (w->nps[i] >= 0) {
            sx += w->p[i] - w->e[i];
            sy += w->nps[i];
            n++;
        }
    long double mx = sx / n, my = sy / n, sxy = 0, sxx = 0, syy = 0;
    for (size_t i = 0; i < N_RESP; i++)
        if (w->nps[i] >= 0) {
            long double dx = w->p[i] - w->e[i] - mx, dy = w->nps[i] - my;
            sxy += dx * dy;
            sxx += dx * dx;
            syy += dy * dy;
        }
    double b = (double)(sxy / sxx);
    double s2 = (double)((syy - sxy * sxy / sxx) / (n - 2));
    double se = sqrt(s2 / (double)sxx);
    const struct gap_row *row = &r->rows[0];
    assert_int_equal(row->slope.n, (int64_t)n);
    assert_close(row->slope.value, b, 1e-9, 1e-12);
    assert_close(row->slope.se, se, 1e-8, 1e-12);
    /* planted 0.8 before clipping to 0..10 and rounding */
    assert_true(row->slope.lo > 0.6 && row->slope.hi < 0.9);
    assert_true(row->slope_p < 1e-6);
    /* the unmet recommend less */
    assert_true(row->nps_diff.valid);
    assert_true(row->nps_diff.hi < 0);
    assert_close(row->nps_diff.diff, row->nps_unmet.value - row->nps_met.value,
                 1e-12, 1e-9);
    assert_int_equal(row->nps_met.n + row->nps_unmet.n, row->slope.n);
    gap_result_free(r);
}

static void test_gap_filter_keeps_its_rows(void **state)
{
    struct world *w = *state;
    struct metrics_query f;
    struct err err = ERR_INIT;
    struct naive nv;
    metrics_query_init(&f, FIELD_RESPONSES);
    assert_int_equal(metrics_query_where(&f, "touchpoint=webb", &err), 0);
    struct gap_result *r = run(w, "speed", NULL, &f);
    naive(w, 1, &nv);
    assert_int_equal(r->rows_passed, (int64_t)nv.n);
    assert_int_equal(r->rows[0].n, (int64_t)nv.n);
    assert_close(r->rows[0].gap.value, nv.mean, 1e-12, 1e-12);
    gap_result_free(r);
    metrics_query_dispose(&f);
}

static void test_gap_groups_without_pairs_are_left_out(void **state)
{
    struct world *w = *state;
    struct gap_result *r = run(w, "rare", "touchpoint", NULL);
    /* only kundtjanst answered it */
    assert_int_equal(r->n_rows, 2);
    assert_string_equal(r->rows[1].group, "kundtjanst");
    gap_result_free(r);
}

static void test_gap_bad_input_gives_clear_errors(void **state)
{
    struct world *w = *state;
    struct gap_result *r = NULL;
    struct err err = ERR_INIT;
    const char *empty[1] = {"empty"}, *unknown[1] = {"nope"};
    const char *two[2] = {"empty", "speed"};
    struct gap_query q = {empty, 1, NULL, NULL, 0, NULL};

    /* a question without a single pair */
    assert_int_equal(gap_run(&r, w->cs, &q, &err), ERR_INVALID);
    assert_null(r);
    assert_non_null(strstr(err.msg, "no response answers both expect:empty"));

    /* one without pairs among others is left out and named */
    err_clear(&err);
    q.keys = two;
    q.n_keys = 2;
    assert_int_equal(gap_run(&r, w->cs, &q, &err), 0);
    assert_int_equal(r->n_dropped, 1);
    assert_string_equal(r->dropped[0], "empty");
    assert_string_equal(r->rows[0].key, "speed");
    gap_result_free(r);
    r = NULL;

    /* a question that does not exist */
    err_clear(&err);
    q.keys = unknown;
    q.n_keys = 1;
    assert_int_equal(gap_run(&r, w->cs, &q, &err), ERR_NOTFOUND);
    assert_non_null(strstr(err.msg, "expect:nope"));

    /* no questions */
    err_clear(&err);
    q.n_keys = 0;
    assert_int_equal(gap_run(&r, w->cs, &q, &err), ERR_INVALID);

    /* an unknown group field, and bins on a text field */
    struct field bf;
    err_clear(&err);
    q.keys = two + 1;
    q.n_keys = 1;
    assert_int_equal(
        field_parse(&bf, "customer.nope", 13, FIELD_RESPONSES, &err), 0);
    q.by = &bf;
    assert_int_equal(gap_run(&r, w->cs, &q, &err), ERR_NOTFOUND);
    err_clear(&err);
    static const double edges[] = {1, 2};
    assert_int_equal(field_parse(&bf, "touchpoint", 10, FIELD_RESPONSES, &err),
                     0);
    q.edges = edges;
    q.n_edges = 2;
    assert_int_equal(gap_run(&r, w->cs, &q, &err), ERR_INVALID);
    assert_null(r);
}

/* The planted gap recovered over seeds: the 95% CI covers it in about
 * 95% of worlds (binomial: 40 worlds, at least 33 expected to cover). */
static void test_gap_ci_covers_planted_gap_across_seeds(void **state)
{
    (void)state;
    int cover = 0;
    for (uint64_t seed = 100; seed < 140; seed++) {
        static struct world w;
        build(&w, seed);
        struct gap_result *r = run(&w, "speed", "touchpoint", NULL);
        cover += r->rows[1].gap.lo < planted_gap[0] &&
                 planted_gap[0] < r->rows[1].gap.hi;
        gap_result_free(r);
        colstore_free(w.cs);
    }
    assert_in_range(cover, 33, 40);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_gap_paired_ci_equals_independent_computation),
        cmocka_unit_test(test_gap_planted_gaps_lie_in_their_cis),
        cmocka_unit_test(test_gap_nps_slope_equals_closed_form),
        cmocka_unit_test(test_gap_filter_keeps_its_rows),
        cmocka_unit_test(test_gap_groups_without_pairs_are_left_out),
        cmocka_unit_test(test_gap_bad_input_gives_clear_errors),
        cmocka_unit_test(test_gap_ci_covers_planted_gap_across_seeds),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
