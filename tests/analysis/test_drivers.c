/* Key drivers and priorities on a generated column store with planted
 * weights: the ranking, the shares, the quadrants, the expected change,
 * theme drivers, filters and bad input (src/analysis/drivers.c). */
#include "harness.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/drivers.h"
#include "colstore/colstore.h"
#include "core/err.h"
#include "core/strbuf.h"
#include "report/drivers_report.h"
#include "report/result.h"
#include "stats/metrics.h"

/* Drivers a, d, b, c on 1..5 with planted weights 1.0, 0.9, 0.25, 0.1 (so
 * the order a > d > b > c); a and c lean low, d and b high. Segment gold
 * (30%) draws a from the high-leaning distribution. Outcomes: nps =
 * round(-1 + sum w x + N(0, 0.8)) - 3 for comments mentioning "outage",
 * clamped to 0..10; rating:y = sum w x + N(0, 1), the clean one whose
 * shares are known exactly. 60% of responses have an analysed comment:
 * "billing" in 40% of them (harmless), "outage" in 6% (harmful). */
#define N_ROWS 4000
#define N_RARE 4 /* rows at touchpoint "rare" */

static const double W[4] = {1.0, 0.9, 0.25, 0.1};
static const char *const NAMES[4] = {"rating:a", "rating:d", "rating:b",
                                     "rating:c"};
static const double LOW[5] = {0.3, 0.3, 0.2, 0.1, 0.1};
static const double HIGH[5] = {0.1, 0.1, 0.2, 0.3, 0.3};

struct world {
    struct colstore *cs;
    double x[N_ROWS][4];
    int nps[N_ROWS];
    int seg[N_ROWS]; /* 0 gold, 1 silver, 2 bronze */
    int tp[N_ROWS];  /* 0 main, 1 other, 2 rare */
    int commented[N_ROWS], billing[N_ROWS], outage[N_ROWS];
};

static int draw(struct gen *g, const double *p)
{
    double u = gen_unit(g), c = 0;
    for (int v = 0; v < 5; v++)
        if (u < (c += p[v]))
            return v + 1;
    return 5;
}

static double normal(struct gen *g)
{
    double u1 = gen_unit(g), u2 = gen_unit(g);
    return sqrt(-2 * log(1 - u1)) * cos(6.283185307179586 * u2);
}

static int setup(void **state)
{
    static struct world w;
    struct gen g;
    struct err err = ERR_INIT;
    gen_seed(&g, 8);
    struct colstore *cs = w.cs = colstore_new();
    int j = colstore_add_journey(cs, "hyra", "Hyra", &err);
    int st = colstore_add_stage(cs, j, "boende", "Boende", 0, &err);
    int tps[3] = {colstore_add_touchpoint(cs, st, "main", "Main", &err),
                  colstore_add_touchpoint(cs, st, "other", "Other", &err),
                  colstore_add_touchpoint(cs, st, "rare", "Rare", &err)};
    int ch = colstore_intern(cs, DIM_CHANNEL, "app", &err);
    int segs[3] = {colstore_intern(cs, DIM_SEGMENT, "gold", &err),
                   colstore_intern(cs, DIM_SEGMENT, "silver", &err),
                   colstore_intern(cs, DIM_SEGMENT, "bronze", &err)};
    int th_billing = colstore_intern(cs, DIM_THEME, "billing", &err);
    int th_outage = colstore_intern(cs, DIM_THEME, "outage", &err);
    assert_int_equal(err.code, 0);
    double y[N_ROWS];
    for (size_t i = 0; i < N_ROWS; i++) {
        w.tp[i] = i < N_RARE ? 2 : (int)(i % 2);
        w.seg[i] = gen_unit(&g) < 0.3 ? 0 : 1 + (int)(gen_unit(&g) < 0.5);
        w.x[i][0] = draw(&g, w.seg[i] == 0 ? HIGH : LOW);
        w.x[i][1] = draw(&g, HIGH);
        w.x[i][2] = draw(&g, HIGH);
        w.x[i][3] = draw(&g, LOW);
        w.commented[i] = gen_unit(&g) < 0.6;
        w.billing[i] = w.commented[i] && gen_unit(&g) < 0.4;
        w.outage[i] = w.commented[i] && gen_unit(&g) < 0.06;
        double lin = 0;
        for (int k = 0; k < 4; k++)
            lin += W[k] * w.x[i][k];
        y[i] = lin + normal(&g);
        double s = round(-1 + lin + 0.8 * normal(&g)) - 3 * w.outage[i];
        w.nps[i] = s < 0 ? 0 : s > 10 ? 10 : (int)s;
        struct colstore_row row = {tps[w.tp[i]],
                                   ch,
                                   segs[w.seg[i]],
                                   -1,
                                   0,
                                   20000 + (int64_t)(i % 300),
                                   w.nps[i],
                                   -1,
                                   -1,
                                   (int64_t)i + 1,
                                   -1,
                                   0};
        assert_int_equal(colstore_append(cs, &row, &err), 0);
    }
    int cols[4], cy, cconst, ccopy, cok;
    for (int k = 0; k < 4; k++)
        cols[k] = colstore_col_add(cs, COLSTORE_RESPONSES, NAMES[k],
                                   COLSTORE_NUM, 5, &err);
    cy = colstore_col_add(cs, COLSTORE_RESPONSES, "rating:y", COLSTORE_NUM, NAN,
                          &err);
    cconst = colstore_col_add(cs, COLSTORE_RESPONSES, "rating:const",
                              COLSTORE_NUM, 5, &err);
    ccopy = colstore_col_add(cs, COLSTORE_RESPONSES, "rating:copy",
                             COLSTORE_NUM, 5, &err);
    cok = colstore_col_add(cs, COLSTORE_RESPONSES, "choice:ok", COLSTORE_CAT,
                           NAN, &err);
    for (size_t i = 0; i < N_ROWS; i++) {
        for (int k = 0; k < 4; k++)
            colstore_col_set_num(cs, COLSTORE_RESPONSES, cols[k], i, w.x[i][k],
                                 &err);
        colstore_col_set_num(cs, COLSTORE_RESPONSES, cy, i, y[i], &err);
        colstore_col_set_num(cs, COLSTORE_RESPONSES, cconst, i, 3, &err);
        colstore_col_set_num(cs, COLSTORE_RESPONSES, ccopy, i, w.x[i][0], &err);
        const char *ok = gen_unit(&g) < 0.5 ? "yes" : "no";
        colstore_col_set_label(cs, COLSTORE_RESPONSES, cok, i, ok, strlen(ok),
                               &err);
        if (w.commented[i])
            colstore_set_sentiment(cs, i, COLSTORE_NEUTRAL, &err);
        if (w.billing[i])
            colstore_add_mention(cs, i, th_billing, -1, &err);
        if (w.outage[i])
            colstore_add_mention(cs, i, th_outage, -1, &err);
    }
    assert_int_equal(err.code, 0);
    *state = &w;
    return 0;
}

static int teardown(void **state)
{
    struct world *w = *state;
    colstore_free(w->cs);
    return 0;
}

/* Runs outcome on drivers; NULL where (a ';'-joined filter). Fails the
 * test on an error. */
static struct drivers_result *run(const struct world *w, const char *outcome,
                                  const char *drivers, const char *where,
                                  size_t boot)
{
    struct drivers_spec *s = NULL;
    struct drivers_result *r = NULL;
    struct metrics_query q;
    struct err err = ERR_INIT;
    struct drivers_opts o = DRIVERS_OPTS_INIT;
    metrics_query_init(&q, FIELD_RESPONSES);
    if (where && metrics_query_where(&q, where, &err) < 0)
        fail_msg("%s", err.msg);
    o.filter = &q;
    o.boot = boot;
    o.seed = 5;
    if (drivers_spec_new(&s, outcome, drivers, &err) < 0 ||
        drivers_run(&r, w->cs, s, &o, &err) < 0)
        fail_msg("%s on %s: %s", outcome, drivers, err.msg);
    drivers_spec_free(s);
    metrics_query_dispose(&q);
    return r;
}

/* The error of running outcome on drivers (where may be NULL). */
static int run_err(const struct world *w, const char *outcome,
                   const char *drivers, const char *where, struct err *err)
{
    struct drivers_spec *s = NULL;
    struct drivers_result *r = NULL;
    struct metrics_query q;
    struct drivers_opts o = DRIVERS_OPTS_INIT;
    int rc;
    metrics_query_init(&q, FIELD_RESPONSES);
    if (where)
        assert_int_equal(metrics_query_where(&q, where, err), 0);
    o.filter = &q;
    o.boot = 20;
    rc = drivers_spec_new(&s, outcome, drivers, err);
    if (rc == 0)
        rc = drivers_run(&r, w->cs, s, &o, err);
    assert_null(r);
    drivers_spec_free(s);
    metrics_query_dispose(&q);
    return rc;
}

static const struct drivers_driver *find(const struct drivers_result *r,
                                         const char *name)
{
    for (size_t j = 0; j < r->k; j++)
        if (!strcmp(r->d[j].name, name))
            return &r->d[j];
    fail_msg("no driver %s", name);
    return NULL;
}

static void test_drivers_ranking_recovers_planted_order(void **state)
{
    struct world *w = *state;
    struct drivers_result *r =
        run(w, "nps", "rating:c,rating:b,rating:d,rating:a", NULL, 50);
    assert_int_equal(r->k, 4);
    assert_int_equal(r->n, N_ROWS);
    assert_int_equal(r->dropped, 0);
    for (int k = 0; k < 4; k++)
        assert_int_equal(find(r, NAMES[k])->rank, k + 1);
    double sum = 0, rw = 0;
    for (size_t j = 0; j < r->k; j++) {
        sum += r->d[j].lmg;
        rw += r->d[j].rw;
        assert_true(r->d[j].lmg_lo <= r->d[j].lmg);
        assert_true(r->d[j].lmg <= r->d[j].lmg_hi);
    }
    assert_close(sum, r->r2, 1e-9, 1e-12);
    assert_close(rw, r->r2, 1e-9, 1e-12);
    assert_true(r->r2_lo < r->r2 && r->r2 < r->r2_hi);
    /* the OLS slopes recover the weights of the rounded outcome */
    for (int k = 0; k < 4; k++)
        assert_close(find(r, NAMES[k])->b.b, W[k], 0, 0.08);
    assert_false(r->binary);
    assert_false(r->has_logit);
    drivers_result_free(r);
}

/* Variance of a driver's planted distribution (a: the 30/70 mixture). */
static double planted_var(int k)
{
    double m = 0, m2 = 0;
    for (int v = 0; v < 5; v++) {
        double p = k == 0   ? 0.3 * HIGH[v] + 0.7 * LOW[v]
                   : k == 3 ? LOW[v]
                            : HIGH[v];
        m += p * (v + 1);
        m2 += p * (v + 1) * (v + 1);
    }
    return m2 - m * m;
}

static void test_drivers_intervals_cover_planted_shares(void **state)
{
    struct world *w = *state;
    struct drivers_result *r =
        run(w, "rating:y", "rating:a,rating:d,rating:b,rating:c", NULL, 200);
    /* independent drivers: share_j = w_j^2 var_j / (sum + 1), exactly */
    double tot = 1, share[4];
    for (int k = 0; k < 4; k++)
        tot += W[k] * W[k] * planted_var(k);
    for (int k = 0; k < 4; k++) {
        share[k] = W[k] * W[k] * planted_var(k) / tot;
        const struct drivers_driver *d = find(r, NAMES[k]);
        assert_true(d->lmg_lo <= share[k] && share[k] <= d->lmg_hi);
        assert_close(d->lmg, share[k], 0, 0.03);
    }
    assert_int_equal(r->boot, 200);
    drivers_result_free(r);
}

static void test_priorities_quadrants_and_expected_change(void **state)
{
    struct world *w = *state;
    struct drivers_result *r =
        run(w, "nps", "rating:a,rating:d,rating:b,rating:c", NULL, 0);
    struct field seg;
    struct err err = ERR_INIT;
    assert_int_equal(field_parse(&seg, "segment", 7, FIELD_RESPONSES, &err), 0);
    struct drivers_target t = {&seg, 0, 0};
    assert_int_equal(drivers_prioritize(r, w->cs, &t, &err), 0);
    assert_int_equal(find(r, "rating:a")->quadrant, DQ_FIX_FIRST);
    assert_int_equal(find(r, "rating:d")->quadrant, DQ_KEEP_IT_UP);
    assert_int_equal(find(r, "rating:b")->quadrant, DQ_OVERINVESTED);
    assert_int_equal(find(r, "rating:c")->quadrant, DQ_MAINTAIN);

    /* a's best segment is gold, where a leans high */
    const struct drivers_driver *a = find(r, "rating:a");
    double all = 0, gold = 0;
    size_t ng = 0;
    for (size_t i = 0; i < N_ROWS; i++) {
        all += w->x[i][0];
        if (w->seg[i] == 0)
            gold += w->x[i][0], ng++;
    }
    all /= N_ROWS;
    gold /= (double)ng;
    assert_string_equal(a->target_label, "gold");
    assert_int_equal(a->target_n, (int64_t)ng);
    assert_close(a->target, gold, 1e-12, 1e-12);
    assert_close(a->change, a->b.b * (gold - all), 1e-9, 1e-12);
    assert_true(a->change > 0);
    assert_close(a->change, W[0] * (3.6 - 2.76), 0, 0.15);
    assert_true(a->change_lo < a->change && a->change < a->change_hi);
    assert_int_equal(a->prio_rank, 1);

    /* a fixed target for all */
    struct drivers_target fixed = {NULL, 1, 5};
    assert_int_equal(drivers_prioritize(r, w->cs, &fixed, &err), 0);
    for (int k = 0; k < 4; k++) {
        const struct drivers_driver *d = find(r, NAMES[k]);
        assert_close(d->change, d->b.b * (5 - d->mean), 1e-9, 1e-12);
    }
    assert_int_equal(find(r, "rating:a")->prio_rank, 1);
    assert_int_equal(find(r, "rating:c")->prio_rank, 4);

    /* in NPS points: the OLS of the score (+100/0/-100) on the drivers,
     * solved here by the normal equations */
    double xtx[5][6] = {{0}}, beta[5];
    for (size_t i = 0; i < N_ROWS; i++) {
        double row[5] = {1, w->x[i][0], w->x[i][1], w->x[i][2], w->x[i][3]};
        double sc = w->nps[i] >= 9 ? 100 : w->nps[i] <= 6 ? -100 : 0;
        for (int p = 0; p < 5; p++) {
            for (int q = 0; q < 5; q++)
                xtx[p][q] += row[p] * row[q];
            xtx[p][5] += row[p] * sc;
        }
    }
    for (int p = 0; p < 5; p++) { /* Gauss-Jordan, X'X is positive definite */
        for (int q = 0; q < 5; q++) {
            if (q == p)
                continue;
            double f = xtx[q][p] / xtx[p][p];
            for (int c = p; c < 6; c++)
                xtx[q][c] -= f * xtx[p][c];
        }
    }
    for (int p = 0; p < 5; p++)
        beta[p] = xtx[p][5] / xtx[p][p];
    assert_true(r->nps_points);
    for (int k = 0; k < 4; k++) {
        const struct drivers_driver *d = find(r, NAMES[k]);
        assert_close(d->b_pts.b, beta[1 + k], 1e-7, 1e-9);
        assert_close(d->pts, beta[1 + k] * (5 - d->mean), 1e-7, 1e-9);
        assert_true(d->pts_lo < d->pts && d->pts < d->pts_hi);
    }
    /* a rating point of a moves the NPS by many points, its answer by
     * about W[0]: the points are not the answer's change */
    assert_true(find(r, "rating:a")->b_pts.b > 10 * W[0]);

    /* the report: ranked by expected change, quadrants spelt out */
    struct result *res = drivers_report_priorities(r);
    struct strbuf b = STRBUF_INIT;
    assert_int_equal(result_render(&b, res, RESULT_FORMAT_CSV, &err), 0);
    const char *s = strbuf_str(&b);
    assert_non_null(strstr(s, "rank,driver,quadrant"));
    assert_non_null(strstr(s, "expected_nps_points"));
    assert_non_null(strstr(s, "\n1,rating:a,fix first,"));
    assert_non_null(strstr(s, "possible overinvestment"));
    strbuf_dispose(&b);
    result_free(res);
    drivers_result_free(r);

    /* only promoters (9s and 10s): the answer still varies, the score
     * does not, so no NPS points and no error */
    r = run(w, "nps", "rating:a,rating:d,rating:b,rating:c",
            "nps_group=promoter", 0);
    assert_int_equal(drivers_prioritize(r, w->cs, &fixed, &err), 0);
    assert_false(r->nps_points);
    res = drivers_report_priorities(r);
    assert_int_equal(result_render(&b, res, RESULT_FORMAT_CSV, &err), 0);
    assert_null(strstr(strbuf_str(&b), "expected_nps_points"));
    strbuf_dispose(&b);
    assert_int_equal(result_render(&b, res, RESULT_FORMAT_JSON, &err), 0);
    assert_non_null(strstr(strbuf_str(&b), "one NPS group"));
    strbuf_dispose(&b);
    result_free(res);
    drivers_result_free(r);

    /* another outcome has no NPS points */
    r = run(w, "rating:y", "rating:a,rating:d,rating:b,rating:c", NULL, 0);
    assert_int_equal(drivers_prioritize(r, w->cs, &fixed, &err), 0);
    assert_false(r->nps_points);
    assert_true(isnan(find(r, "rating:a")->pts));
    res = drivers_report_priorities(r);
    assert_int_equal(result_render(&b, res, RESULT_FORMAT_CSV, &err), 0);
    assert_null(strstr(strbuf_str(&b), "expected_nps_points"));
    strbuf_dispose(&b);
    result_free(res);
    drivers_result_free(r);
}

static void test_theme_drivers_tell_frequent_from_harmful(void **state)
{
    struct world *w = *state;
    struct drivers_result *r = run(w, "detractor", "themes", NULL, 100);
    size_t commented = 0, nb = 0, no = 0;
    for (size_t i = 0; i < N_ROWS; i++) {
        commented += w->commented[i];
        nb += w->billing[i];
        no += w->outage[i];
    }
    assert_true(r->binary);
    assert_true(r->has_logit);
    assert_int_equal(r->k, 2);
    assert_int_equal(r->n, commented);
    assert_int_equal(r->dropped, N_ROWS - commented);
    const struct drivers_driver *bill = find(r, "theme:billing");
    const struct drivers_driver *out = find(r, "theme:outage");
    assert_close(bill->prevalence.value, 100.0 * nb / commented, 1e-9, 0);
    assert_close(out->prevalence.value, 100.0 * no / commented, 1e-9, 0);
    assert_true(bill->prevalence.lo > out->prevalence.hi); /* more frequent */
    assert_true(out->odds.lo > 3);                         /* harmful */
    assert_true(bill->odds.lo < 1 && bill->odds.hi > 1);   /* harmless */
    assert_true(out->lmg > bill->lmg);
    assert_int_equal(out->rank, 1);
    /* the table holds prevalence beside the odds ratio and the share */
    struct result *res = drivers_report_build(r);
    struct strbuf b = STRBUF_INIT;
    struct err err = ERR_INIT;
    assert_int_equal(result_render(&b, res, RESULT_FORMAT_CSV, &err), 0);
    assert_non_null(strstr(strbuf_str(&b), "prevalence_pct"));
    assert_non_null(strstr(strbuf_str(&b), "odds_ratio"));
    assert_non_null(strstr(strbuf_str(&b), "importance_pct"));
    strbuf_dispose(&b);
    result_free(res);
    drivers_result_free(r);
}

static void test_drivers_filters_and_indicators(void **state)
{
    struct world *w = *state;
    size_t gold = 0;
    for (size_t i = 0; i < N_ROWS; i++)
        gold += w->seg[i] == 0;
    struct drivers_result *r =
        run(w, "nps", "rating:a,choice:ok,theme:outage", "segment=gold", 0);
    assert_int_equal(r->rows, gold);
    const struct drivers_driver *ok = find(r, "choice:ok=yes");
    assert_true(ok->binary);
    assert_true(find(r, "theme:outage")->theme);
    assert_true(r->n < gold); /* uncommented rows have no theme value */
    drivers_result_free(r);

    r = run(w, "promoter", "rating:a,rating:d", "touchpoint=main", 0);
    assert_int_equal(r->rows, (N_ROWS - N_RARE + 1) / 2);
    assert_true(r->binary);
    drivers_result_free(r);

    r = run(w, "nps", "rating:a,choice:ok=no", NULL, 0);
    assert_true(find(r, "choice:ok=no")->binary);
    assert_false(find(r, "rating:a")->binary);
    drivers_result_free(r);
}

static void test_drivers_pairwise_keeps_more_rows(void **state)
{
    struct world *w = *state;
    struct drivers_result *l = run(w, "nps", "rating:a,theme:outage", NULL, 0);
    struct drivers_spec *s = NULL;
    struct drivers_result *p = NULL;
    struct drivers_opts o = DRIVERS_OPTS_INIT;
    struct err err = ERR_INIT;
    o.pairwise = 1;
    o.boot = 0;
    assert_int_equal(drivers_spec_new(&s, "nps", "rating:a,theme:outage", &err),
                     0);
    assert_int_equal(drivers_run(&p, w->cs, s, &o, &err), 0);
    assert_true(p->pairwise);
    assert_int_equal(p->n_ols, l->n_ols); /* regressions stay listwise */
    assert_int_equal(l->dropped, p->dropped);
    assert_true(l->dropped > 0);
    drivers_spec_free(s);
    drivers_result_free(p);
    drivers_result_free(l);
}

/* drivers_rows_new hands out the rows drivers_run analyses. */
static void test_drivers_rows_are_the_analysed_rows(void **state)
{
    const struct world *w = *state;
    struct drivers_spec *s = NULL;
    struct drivers_rows *rows = NULL;
    struct metrics_query q;
    struct drivers_opts o = DRIVERS_OPTS_INIT;
    struct err err = ERR_INIT;
    metrics_query_init(&q, FIELD_RESPONSES);
    assert_int_equal(metrics_query_where(&q, "touchpoint=main", &err), 0);
    o.filter = &q;
    assert_int_equal(drivers_spec_new(&s, "nps", "rating:a,rating:c", &err), 0);
    assert_int_equal(drivers_rows_new(&rows, w->cs, s, &o, &err), 0);
    assert_int_equal(rows->k, 2);
    size_t n = 0;
    for (size_t i = 0; i < N_ROWS; i++) {
        if (w->tp[i] != 0)
            continue;
        assert_true(n < rows->n);
        assert_true(rows->x[n * 2] == w->x[i][0]);
        assert_true(rows->x[n * 2 + 1] == w->x[i][3]);
        assert_true(rows->y[n] == w->nps[i]);
        n++;
    }
    assert_int_equal(rows->n, n);
    struct drivers_result *r =
        run(w, "nps", "rating:a,rating:c", "touchpoint=main", 0);
    assert_int_equal(r->n_ols, rows->n);
    drivers_result_free(r);
    drivers_rows_free(rows);
    drivers_spec_free(s);
    metrics_query_dispose(&q);
    /* and drivers_run's errors: 4 rows at "rare" for 4 drivers */
    metrics_query_init(&q, FIELD_RESPONSES);
    assert_int_equal(metrics_query_where(&q, "touchpoint=rare", &err), 0);
    assert_int_equal(drivers_spec_new(&s, "nps",
                                      "rating:a,rating:d,rating:b,rating:c",
                                      &err),
                     0);
    assert_int_equal(drivers_rows_new(&rows, w->cs, s, &o, &err), ERR_INVALID);
    assert_null(rows);
    assert_non_null(strstr(err.msg, "too few rows"));
    drivers_spec_free(s);
    metrics_query_dispose(&q);
}

static void test_drivers_bad_input_is_a_clear_error(void **state)
{
    struct world *w = *state;
    struct err err = ERR_INIT;

    assert_int_equal(run_err(w, "nps", "rating:a,rating:const", NULL, &err),
                     ERR_INVALID);
    assert_non_null(strstr(err.msg, "rating:const"));
    assert_non_null(strstr(err.msg, "constant"));

    err_clear(&err);
    assert_int_equal(
        run_err(w, "nps", "rating:a,rating:b,rating:a", NULL, &err),
        ERR_INVALID);
    assert_non_null(strstr(err.msg, "'rating:a' is given twice"));

    err_clear(&err);
    assert_int_equal(run_err(w, "nps", "rating:a,rating:nope", NULL, &err),
                     ERR_NOTFOUND);
    assert_non_null(strstr(err.msg, "nope"));

    err_clear(&err);
    assert_int_equal(run_err(w, "nps", "rating:a,bogus_field", NULL, &err),
                     ERR_INVALID);

    err_clear(&err);
    assert_int_equal(run_err(w, "detractor", "rating:a,rating:b",
                             "nps_group=detractor", &err),
                     ERR_INVALID);
    assert_non_null(strstr(err.msg, "one class only"));

    err_clear(&err);
    assert_int_equal(run_err(w, "nps", "rating:a,rating:d,rating:b,rating:c",
                             "touchpoint=rare", &err),
                     ERR_INVALID);
    assert_non_null(strstr(err.msg, "too few rows"));

    err_clear(&err);
    assert_int_equal(run_err(w, "nps", "rating:a,rating:copy", NULL, &err),
                     ERR_INVALID);
    assert_non_null(strstr(err.msg, "rating:copy"));
    assert_non_null(strstr(err.msg, "collinear"));

    err_clear(&err);
    assert_int_equal(run_err(w, "nps", "rating:a,segment", NULL, &err),
                     ERR_INVALID);
    assert_non_null(strstr(err.msg, "segment=VALUE"));

    err_clear(&err);
    assert_int_equal(run_err(w, "nps", "rating:a,theme:nosuch", NULL, &err),
                     ERR_NOTFOUND);

    err_clear(&err);
    assert_int_equal(run_err(w, "nps", "nps_score,rating:a", NULL, &err),
                     ERR_INVALID);
    assert_non_null(strstr(err.msg, "outcome"));

    err_clear(&err);
    assert_int_equal(run_err(w, "nps", "", NULL, &err), ERR_INVALID);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_drivers_ranking_recovers_planted_order),
        cmocka_unit_test(test_drivers_intervals_cover_planted_shares),
        cmocka_unit_test(test_priorities_quadrants_and_expected_change),
        cmocka_unit_test(test_theme_drivers_tell_frequent_from_harmful),
        cmocka_unit_test(test_drivers_filters_and_indicators),
        cmocka_unit_test(test_drivers_pairwise_keeps_more_rows),
        cmocka_unit_test(test_drivers_rows_are_the_analysed_rows),
        cmocka_unit_test(test_drivers_bad_input_is_a_clear_error),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
