/* The grouped metrics engine: exact counts against a naive loop, planted
 * effects recovered and tested, filters, order, flags and errors. */
#include "harness.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "colstore/colstore.h"
#include "core/err.h"
#include "core/tstamp.h"
#include "stats/compare.h"
#include "stats/mean.h"
#include "stats/metrics.h"
#include "stats/nps.h"
#include "stats/period.h"

#define N_TP 8
#define N_MONTHS 12
#define PLANT_TP 3    /* felanmalan_app */
#define PLANT_MONTH 2 /* 2024-03 */

/* A generated data set: the column store and the rows it was fed, so the
 * tests can recount them with a plain loop. */
struct world {
    struct colstore *cs;
    struct colstore_row *rows;
    size_t n;
    int tp[N_TP], stage_of_tp[N_TP];
    int stage[4], journey[2];
    int ch[3], seg[4], lang[2];
};

static const char *const tp_keys[N_TP] = {
    "annons",         "visning",        "kontrakt",
    "felanmalan_app", "felanmalan_web", "felanmalan_telefon",
    "reparation",     "uppfoljning"};

/* NPS score drawn so that P(9-10) = pro, P(0-6) = det. */
static int draw_nps(struct gen *g, double pro, double det)
{
    double u = gen_unit(g);
    if (u < pro)
        return gen_range(g, 9, 10);
    if (u < pro + det)
        return gen_range(g, 0, 6);
    return gen_range(g, 7, 8);
}

/* rows responses over 2024, spread evenly over 8 touchpoints. Base NPS is
 * 20 (45% promoters, 25% detractors); when plant is set, felanmalan_app
 * in March 2024 has NPS -20 (25% / 45%) and a CSAT mean 1 point lower. */
static void world_make(struct world *w, uint64_t seed, size_t rows, int plant)
{
    struct err err = ERR_INIT;
    struct gen g;
    memset(w, 0, sizeof *w);
    gen_seed(&g, seed);
    w->cs = colstore_new();
    /* Stages are added out of order: the engine must sort by position. */
    w->journey[0] = colstore_add_journey(w->cs, "move_in", "Flytta in", &err);
    w->journey[1] = colstore_add_journey(w->cs, "live", "Bo", &err);
    w->stage[1] =
        colstore_add_stage(w->cs, w->journey[0], "sign", "Kontrakt", 1, &err);
    w->stage[0] =
        colstore_add_stage(w->cs, w->journey[0], "search", "Sök", 0, &err);
    w->stage[3] =
        colstore_add_stage(w->cs, w->journey[1], "fix", "Åtgärd", 1, &err);
    w->stage[2] = colstore_add_stage(w->cs, w->journey[1], "report",
                                     "Felanmälan", 0, &err);
    static const int st[N_TP] = {0, 0, 1, 2, 2, 2, 3, 3};
    for (int t = 0; t < N_TP; t++) {
        w->stage_of_tp[t] = w->stage[st[t]];
        w->tp[t] = colstore_add_touchpoint(w->cs, w->stage[st[t]], tp_keys[t],
                                           NULL, &err);
    }
    w->ch[0] = colstore_intern(w->cs, DIM_CHANNEL, "web", &err);
    w->ch[1] = colstore_intern(w->cs, DIM_CHANNEL, "app", &err);
    w->ch[2] = colstore_intern(w->cs, DIM_CHANNEL, "phone", &err);
    w->seg[0] = colstore_intern(w->cs, DIM_SEGMENT, "student", &err);
    w->seg[1] = colstore_intern(w->cs, DIM_SEGMENT, "family", &err);
    w->seg[2] = colstore_intern(w->cs, DIM_SEGMENT, "senior", &err);
    w->seg[3] = -1;
    w->lang[0] = colstore_intern(w->cs, DIM_LANGUAGE, "sv", &err);
    w->lang[1] = colstore_intern(w->cs, DIM_LANGUAGE, "en", &err);
    assert_int_equal(err.code, 0);

    int64_t d0 = tstamp_days_from_civil(2024, 1, 1);
    w->rows = calloc(rows, sizeof *w->rows);
    w->n = rows;
    for (size_t i = 0; i < rows; i++) {
        struct colstore_row *r = &w->rows[i];
        int t = (int)(i % N_TP);
        r->day = d0 + gen_range(&g, 0, 365); /* 2024 is a leap year */
        int y;
        unsigned m, d;
        tstamp_civil_from_days(r->day, &y, &m, &d);
        int planted = plant && t == PLANT_TP && (int)m - 1 == PLANT_MONTH;
        r->touchpoint = w->tp[t];
        r->customer = -1;
        r->channel = w->ch[gen_range(&g, 0, 2)];
        r->segment = w->seg[gen_range(&g, 0, 3)];
        r->language = gen_range(&g, 0, 9) < 7 ? w->lang[0]
                      : gen_range(&g, 0, 1)   ? w->lang[1]
                                              : -1;
        r->kind = gen_range(&g, 0, 9) == 0;
        r->nps = gen_range(&g, 0, 9) == 0
                     ? -1
                     : draw_nps(&g, planted ? .25 : .45, planted ? .45 : .25);
        r->csat = gen_range(&g, 0, 2) == 0
                      ? -1
                      : (planted ? gen_range(&g, 1, 4) : gen_range(&g, 2, 5));
        r->ces = gen_range(&g, 0, 1) ? -1 : gen_range(&g, 1, 7);
        assert_int_equal(colstore_append(w->cs, r, &err), 0);
    }
}

static void world_free(struct world *w)
{
    colstore_free(w->cs);
    free(w->rows);
}

static int setup_planted(void **state)
{
    static struct world w;
    world_make(&w, 20240301, 60000, 1);
    *state = &w;
    return 0;
}

static int teardown(void **state)
{
    world_free(*state);
    return 0;
}

static struct metrics_result *run(const struct colstore *cs, const char *by,
                                  const char *where, int threads)
{
    struct err err = ERR_INIT;
    struct metrics_query q;
    struct metrics_result *r = NULL;
    metrics_query_init(&q, FIELD_RESPONSES);
    q.threads = threads;
    if (by)
        assert_int_equal(metrics_query_by(&q, by, &err), 0);
    if (where)
        assert_int_equal(metrics_query_where(&q, where, &err), 0);
    assert_int_equal(metrics_run(&r, cs, &q, &err), 0);
    metrics_query_dispose(&q);
    return r;
}

/* ---- the naive recount ---- */

static int64_t month_key(int64_t day)
{
    int y;
    unsigned m, d;
    tstamp_civil_from_days(day, &y, &m, &d);
    return (int64_t)y * 12 + m - 1;
}

/* The value of a dimension for a row, as the engine reports it in key[]:
 * a code, or a period key computed here without the engine's tables. */
static int64_t naive_key(const struct world *w, const struct colstore_row *r,
                         enum colstore_dim d)
{
    int y;
    unsigned m, dd;
    switch (d) {
    case DIM_TOUCHPOINT:
        return r->touchpoint;
    case DIM_STAGE:
        return colstore_touchpoint_stage(w->cs, r->touchpoint);
    case DIM_JOURNEY:
        return colstore_stage_journey(
            w->cs, colstore_touchpoint_stage(w->cs, r->touchpoint));
    case DIM_CHANNEL:
        return r->channel;
    case DIM_SEGMENT:
        return r->segment >= 0
                   ? r->segment
                   : colstore_find(w->cs, DIM_SEGMENT, COLSTORE_NONE, 6);
    case DIM_LANGUAGE:
        return r->language >= 0
                   ? r->language
                   : colstore_find(w->cs, DIM_LANGUAGE, COLSTORE_NONE, 6);
    case DIM_KIND:
        return r->kind;
    case DIM_DAY:
        return r->day;
    case DIM_WEEK: {
        int64_t wd = ((r->day + 3) % 7 + 7) % 7; /* Monday = 0 */
        return r->day - wd;
    }
    case DIM_MONTH:
        return month_key(r->day);
    case DIM_QUARTER:
        tstamp_civil_from_days(r->day, &y, &m, &dd);
        return (int64_t)y * 4 + (m - 1) / 3;
    default:
        tstamp_civil_from_days(r->day, &y, &m, &dd);
        return y;
    }
}

/* The engine's figures of the default metrics (nps, csat, ces). */
#define F_NPS 0
#define F_CSAT_T2B 1
#define F_CSAT_MEAN 2
#define F_CES_MEAN 3
#define F_CES_EASY 4
#define NPS_HIST(c) ((c)->acc[0].hist)
#define CSAT_HIST(c) ((c)->acc[1].hist)
#define CES_HIST(c) ((c)->acc[2].hist)

/* The code (or period key) of a cell's d-th value, read back from its
 * label, so the recount compares codes it computed itself. */
static int64_t cell_code(const struct world *w, const struct metrics_result *r,
                         const struct metrics_cell *c, int d)
{
    enum colstore_dim dim;
    assert_int_equal(colstore_dim_parse(&dim, r->by[d], strlen(r->by[d])), 0);
    if (colstore_dim_is_period(dim))
        return c->key[d];
    return colstore_find(w->cs, dim, c->label[d], strlen(c->label[d]));
}

struct tally {
    int64_t key[METRICS_MAX_BY];
    int64_t n, nps[11], csat[6], ces[8];
};

static int tally_cmp(const void *a, const void *b)
{
    const struct tally *x = a, *y = b;
    for (int i = 0; i < METRICS_MAX_BY; i++)
        if (x->key[i] != y->key[i])
            return x->key[i] < y->key[i] ? -1 : 1;
    return 0;
}

/* Recounts with a plain loop and checks every engine cell equals it:
 * same set of cells, same n and the same answers per score. Rows become
 * one tally each, sorted by key and folded, so the recount shares no code
 * with the engine's tables. */
static void check_against_naive(const struct world *w,
                                const struct metrics_result *res,
                                int (*keep)(const struct world *,
                                            const struct colstore_row *))
{
    struct tally *t = calloc(w->n + 1, sizeof *t);
    size_t nt = 0;
    for (size_t i = 0; i < w->n; i++) {
        const struct colstore_row *r = &w->rows[i];
        if (keep && !keep(w, r))
            continue;
        struct tally *x = &t[nt++];
        for (int d = 0; d < res->n_by; d++) {
            enum colstore_dim dim;
            assert_int_equal(colstore_dim_parse(&dim, res->by[d],
                                                strlen(res->by[d])),
                             0);
            x->key[d] = naive_key(w, r, dim);
        }
        x->n = 1;
        if (r->nps >= 0)
            x->nps[r->nps] = 1;
        if (r->csat >= 0)
            x->csat[r->csat] = 1;
        if (r->ces >= 0)
            x->ces[r->ces] = 1;
    }
    qsort(t, nt, sizeof *t, tally_cmp);
    size_t groups = 0;
    for (size_t i = 0; i < nt; i++) {
        struct tally *g = &t[groups];
        if (groups && !tally_cmp(&t[groups - 1], &t[i])) {
            g = &t[groups - 1];
            g->n += t[i].n;
            for (int s = 0; s < 11; s++)
                g->nps[s] += t[i].nps[s];
            for (int s = 0; s < 6; s++)
                g->csat[s] += t[i].csat[s];
            for (int s = 0; s < 8; s++)
                g->ces[s] += t[i].ces[s];
        } else {
            if (groups != i)
                *g = t[i];
            groups++;
        }
    }
    assert_int_equal(res->n_cells, groups);
    int64_t total = 0;
    for (size_t c = 0; c < res->n_cells; c++) {
        const struct metrics_cell *cell = &res->cells[c];
        struct tally key;
        memset(&key, 0, sizeof key);
        for (int d = 0; d < res->n_by; d++)
            key.key[d] = cell_code(w, res, cell, d);
        const struct tally *g = bsearch(&key, t, groups, sizeof *t, tally_cmp);
        assert_non_null(g);
        assert_int_equal(cell->n, g->n);
        assert_memory_equal(NPS_HIST(cell), g->nps, sizeof g->nps);
        assert_memory_equal(CSAT_HIST(cell), g->csat, sizeof g->csat);
        assert_memory_equal(CES_HIST(cell), g->ces, sizeof g->ces);
        total += cell->n;
    }
    assert_int_equal(res->rows, total);
    free(t);
}

static void test_metrics_counts_equal_naive_recount(void **state)
{
    struct world *w = *state;
    static const char *const bys[] = {"touchpoint,month",
                                      "segment,channel",
                                      "stage,kind,language",
                                      "journey,quarter",
                                      "week",
                                      "year,day",
                                      "channel,segment,touchpoint"};
    for (size_t i = 0; i < sizeof bys / sizeof bys[0]; i++) {
        struct metrics_result *r = run(w->cs, bys[i], NULL, 1);
        check_against_naive(w, r, NULL);
        metrics_result_free(r);
    }
}

static void test_metrics_no_grouping_is_one_cell_of_everything(void **state)
{
    struct world *w = *state;
    struct metrics_result *r = run(w->cs, NULL, NULL, 0);
    assert_int_equal(r->n_cells, 1);
    assert_int_equal(r->cells[0].n, (int64_t)w->n);
    assert_int_equal(r->scanned, (int64_t)w->n);
    check_against_naive(w, r, NULL);
    metrics_result_free(r);
}

/* 400k rows are about six of the 64k-row chunks that threads take turns
 * at: any thread count must give the same counts as one. */
static void test_metrics_threads_give_identical_counts(void **state)
{
    (void)state;
    struct world big;
    world_make(&big, 99, 400000, 0);
    struct metrics_result *one = run(big.cs, "touchpoint,week", NULL, 1);
    check_against_naive(&big, one, NULL);
    for (int t = 2; t <= 3; t++) {
        struct metrics_result *r = run(big.cs, "touchpoint,week", NULL, t);
        assert_int_equal(r->threads, t);
        assert_int_equal(r->n_cells, one->n_cells);
        for (size_t i = 0; i < r->n_cells; i++) {
            assert_int_equal(r->cells[i].n, one->cells[i].n);
            assert_memory_equal(NPS_HIST(&r->cells[i]),
                                NPS_HIST(&one->cells[i]),
                                sizeof NPS_HIST(&r->cells[i]));
            assert_memory_equal(CES_HIST(&r->cells[i]),
                                CES_HIST(&one->cells[i]),
                                sizeof CES_HIST(&r->cells[i]));
        }
        metrics_result_free(r);
    }
    metrics_result_free(one);
    world_free(&big);
}

/* ---- filters ---- */

static int keep_app_web_q2(const struct world *w, const struct colstore_row *r)
{
    int64_t from = tstamp_days_from_civil(2024, 4, 1);
    int64_t to = tstamp_days_from_civil(2024, 6, 30);
    return (r->channel == w->ch[0] || r->channel == w->ch[1]) &&
           r->day >= from && r->day <= to;
}

static void test_metrics_where_channels_and_date_range(void **state)
{
    struct world *w = *state;
    struct metrics_result *r = run(w->cs, "touchpoint,month",
                                   "channel=web,app;2024-04-01..2024-06-30", 2);
    check_against_naive(w, r, keep_app_web_q2);
    assert_string_equal(r->cells[0].label[1], "2024-04");
    assert_string_equal(r->cells[r->n_cells - 1].label[1], "2024-06");
    metrics_result_free(r);
}

static int keep_report_march(const struct world *w,
                             const struct colstore_row *r)
{
    return colstore_touchpoint_stage(w->cs, r->touchpoint) == w->stage[2] &&
           month_key(r->day) == 2024 * 12 + 2 && r->kind == 0;
}

/* Separate clauses are ANDed: stage, a period value, a kind. */
static void test_metrics_where_clauses_are_anded(void **state)
{
    struct world *w = *state;
    struct err err = ERR_INIT;
    struct metrics_query q;
    struct metrics_result *r = NULL;
    metrics_query_init(&q, FIELD_RESPONSES);
    assert_int_equal(metrics_query_by(&q, "segment,language", &err), 0);
    assert_int_equal(metrics_query_where(&q, "stage=report", &err), 0);
    assert_int_equal(metrics_query_where(&q, "month=2024-03", &err), 0);
    assert_int_equal(metrics_query_where(&q, "kind=customer", &err), 0);
    assert_int_equal(metrics_run(&r, w->cs, &q, &err), 0);
    check_against_naive(w, r, keep_report_march);
    metrics_result_free(r);
    metrics_query_dispose(&q);
}

static int keep_none(const struct world *w, const struct colstore_row *r)
{
    (void)w;
    (void)r;
    return 0;
}

static void test_metrics_filter_matching_nothing_gives_no_cells(void **state)
{
    struct world *w = *state;
    struct metrics_result *r =
        run(w->cs, "touchpoint", "2030-01-01..2030-12-31", 0);
    assert_int_equal(r->n_cells, 0);
    assert_int_equal(r->rows, 0);
    check_against_naive(w, r, keep_none);
    metrics_result_free(r);
    /* Two clauses on one dimension with no common value. */
    r = run(w->cs, "month", "channel=web;channel=app", 0);
    assert_int_equal(r->n_cells, 0);
    metrics_result_free(r);
}

/* ---- order ---- */

static void test_metrics_stages_sort_by_journey_position(void **state)
{
    struct world *w = *state;
    struct metrics_result *r = run(w->cs, "stage", NULL, 0);
    static const char *const want[] = {"search", "sign", "report", "fix"};
    assert_int_equal(r->n_cells, 4);
    for (int i = 0; i < 4; i++)
        assert_string_equal(r->cells[i].label[0], want[i]);
    metrics_result_free(r);
}

static void test_metrics_periods_sort_chronologically(void **state)
{
    struct world *w = *state;
    struct metrics_result *r = run(w->cs, "week,touchpoint", NULL, 0);
    for (size_t i = 1; i < r->n_cells; i++) {
        const struct metrics_cell *a = &r->cells[i - 1], *b = &r->cells[i];
        assert_true(a->key[0] <= b->key[0]);
        if (a->key[0] == b->key[0])
            assert_true(strcmp(a->label[1], b->label[1]) != 0);
    }
    assert_string_equal(r->cells[0].label[0], "2024-W01");
    metrics_result_free(r);
}

static void test_metrics_keep_empty_lists_every_stage(void **state)
{
    (void)state;
    struct world w;
    struct err err = ERR_INIT;
    world_make(&w, 5, 0, 0);
    struct colstore_row row = {w.tp[0], w.ch[0], -1, -1, 0, 19800,
                               10,      -1,      -1, 0,  -1, 0};
    assert_int_equal(colstore_append(w.cs, &row, &err), 0);
    struct metrics_query q;
    struct metrics_result *r = NULL;
    metrics_query_init(&q, FIELD_RESPONSES);
    q.keep_empty = 1;
    metrics_query_by(&q, "stage", &err);
    assert_int_equal(metrics_run(&r, w.cs, &q, &err), 0);
    assert_int_equal(r->n_cells, 4);
    assert_int_equal(r->cells[0].n, 1);
    assert_int_equal(r->cells[1].n, 0);
    assert_true(isnan(r->cells[1].fig[F_NPS].value));
    metrics_result_free(r);
    metrics_query_dispose(&q);
    world_free(&w);
}

/* ---- planted effects ---- */

static const struct metrics_cell *find_cell(const struct metrics_result *r,
                                            const char *tp, const char *month)
{
    for (size_t i = 0; i < r->n_cells; i++)
        if (!strcmp(r->cells[i].label[0], tp) &&
            !strcmp(r->cells[i].label[1], month))
            return &r->cells[i];
    return NULL;
}

/* Each touchpoint-month holds ~620 responses (~560 NPS answers), so the
 * NPS SE is ~3.5 points: the planted -20 must come back within 4 SE, and
 * every other cell within 4.5 SE of the base 20 (95 cells: a little
 * wider, so that one of them straying past 4 SE, a 1-in-170 chance,
 * does not fail the test). */
static void test_metrics_recovers_planted_nps_drop(void **state)
{
    struct world *w = *state;
    struct metrics_result *r = run(w->cs, "touchpoint,month", NULL, 0);
    const struct metrics_cell *p = find_cell(r, "felanmalan_app", "2024-03");
    assert_non_null(p);
    assert_close(p->fig[F_NPS].value, -20.0, 0, 4 * p->fig[F_NPS].se);
    assert_true(p->fig[F_NPS].hi < 0);
    int covered = 0, others = 0;
    for (size_t i = 0; i < r->n_cells; i++) {
        const struct metrics_cell *c = &r->cells[i];
        if (c == p)
            continue;
        others++;
        assert_close(c->fig[F_NPS].value, 20.0, 0, 4.5 * c->fig[F_NPS].se);
        covered += c->fig[F_NPS].lo <= 20.0 && 20.0 <= c->fig[F_NPS].hi;
    }
    assert_int_equal(others, N_TP * N_MONTHS - 1);
    /* 95% intervals: about 90 of 95 should hold the true value. */
    assert_true(covered >= 84);
    metrics_result_free(r);
}

static void cell_of(const struct colstore *cs, const char *where, struct nps *n,
                    struct mean *m)
{
    struct metrics_result *r = run(cs, NULL, where, 0);
    assert_int_equal(r->n_cells, 1);
    nps_from_hist(n, NPS_HIST(&r->cells[0]));
    int64_t cn = 0, sum = 0, sumsq = 0;
    for (int s = 1; s <= 5; s++) {
        cn += CSAT_HIST(&r->cells[0])[s];
        sum += s * CSAT_HIST(&r->cells[0])[s];
        sumsq += s * s * CSAT_HIST(&r->cells[0])[s];
    }
    mean_from_sums(m, cn, sum, sumsq);
    metrics_result_free(r);
}

static void test_metrics_compare_flags_planted_effect(void **state)
{
    struct world *w = *state;
    struct nps a, b;
    struct mean ma, mb;
    struct comparison c;
    cell_of(w->cs, "touchpoint=felanmalan_app;2024-01-01..2024-02-29", &a, &ma);
    cell_of(w->cs, "touchpoint=felanmalan_app;month=2024-03", &b, &mb);
    compare_nps(&c, &a, &b);
    assert_true(c.valid);
    assert_close(c.diff, -40.0, 0, 4 * c.se);
    assert_true(c.p < 0.001);
    assert_true(c.hi < 0);
    /* CSAT: uniform 2..5 (mean 3.5) against 1..4 (mean 2.5). */
    compare_means(&c, &ma, &mb);
    assert_close(c.diff, -1.0, 0, 4 * c.se);
    assert_true(c.p < 0.001);
}

/* Null comparisons between unplanted months must rarely be significant:
 * 32 pairs (8 touchpoints x April..November in 4 pairs, past the planted
 * March), so about 1.6 at the 5% level; 7 or more (binomial chance 0.09%)
 * would be a broken variance. */
static void test_metrics_null_comparisons_are_rarely_significant(void **state)
{
    struct world *w = *state;
    struct metrics_result *r = run(w->cs, "touchpoint,month", NULL, 0);
    int pairs = 0, significant = 0;
    for (int t = 0; t < N_TP; t++) {
        for (int m = 3; m + 1 < N_MONTHS; m += 2) {
            char ma[16], mb[16];
            struct nps a, b;
            struct comparison c;
            period_label(PERIOD_MONTH, 2024 * 12 + m, ma, sizeof ma);
            period_label(PERIOD_MONTH, 2024 * 12 + m + 1, mb, sizeof mb);
            const struct metrics_cell *ca = find_cell(r, tp_keys[t], ma);
            const struct metrics_cell *cb = find_cell(r, tp_keys[t], mb);
            assert_non_null(ca);
            assert_non_null(cb);
            nps_from_hist(&a, NPS_HIST(ca));
            nps_from_hist(&b, NPS_HIST(cb));
            compare_nps(&c, &a, &b);
            pairs++;
            significant += c.p < 0.05;
        }
    }
    assert_int_equal(pairs, 32);
    assert_true(significant <= 6);
    metrics_result_free(r);
}

/* ---- flags and estimates ---- */

static void test_metrics_low_n_cells_are_flagged(void **state)
{
    struct world *w = *state;
    struct err err = ERR_INIT;
    struct metrics_query q;
    struct metrics_result *r = NULL;
    metrics_query_init(&q, FIELD_RESPONSES);
    metrics_query_by(&q, "touchpoint,day", &err);
    assert_int_equal(metrics_run(&r, w->cs, &q, &err), 0);
    int flagged = 0, shown = 0;
    for (size_t i = 0; i < r->n_cells; i++) {
        const struct metrics_cell *c = &r->cells[i];
        assert_int_equal(metrics_low_n(r, &c->fig[F_NPS]),
                         c->fig[F_NPS].n < 30);
        flagged += metrics_low_n(r, &c->fig[F_NPS]);
        shown++;
    }
    /* ~18 NPS answers a touchpoint-day: nearly all flagged. */
    assert_true(flagged > shown * 9 / 10);
    metrics_result_free(r);
    metrics_query_dispose(&q);
    /* By month every cell has hundreds: none flagged. */
    r = run(w->cs, "touchpoint,month", NULL, 0);
    for (size_t i = 0; i < r->n_cells; i++)
        assert_false(metrics_low_n(r, &r->cells[i].fig[F_NPS]));
    metrics_result_free(r);
}

static void test_metrics_cell_estimates_follow_histograms(void **state)
{
    struct world *w = *state;
    struct metrics_result *r = run(w->cs, "channel", NULL, 0);
    for (size_t i = 0; i < r->n_cells; i++) {
        const struct metrics_cell *c = &r->cells[i];
        int64_t n = 0, t2b = 0, sum = 0, easy = 0, nces = 0, pro = 0, det = 0,
                nn = 0;
        for (int s = 1; s <= 5; s++) {
            n += CSAT_HIST(c)[s];
            sum += s * CSAT_HIST(c)[s];
            t2b += s >= 4 ? CSAT_HIST(c)[s] : 0;
        }
        for (int s = 1; s <= 7; s++) {
            nces += CES_HIST(c)[s];
            easy += s >= 5 ? CES_HIST(c)[s] : 0;
        }
        for (int s = 0; s <= 10; s++) {
            nn += NPS_HIST(c)[s];
            pro += s >= 9 ? NPS_HIST(c)[s] : 0;
            det += s <= 6 ? NPS_HIST(c)[s] : 0;
        }
        assert_int_equal(c->fig[F_CSAT_T2B].n, n);
        assert_close(c->fig[F_CSAT_T2B].value,
                     100.0 * (double)t2b / (double)n, 1e-12, 0);
        assert_close(c->fig[F_CSAT_MEAN].value, (double)sum / (double)n,
                     1e-12, 0);
        assert_close(c->fig[F_CES_EASY].value,
                     100.0 * (double)easy / (double)nces, 1e-12, 0);
        assert_close(c->fig[F_NPS].value,
                     100.0 * (double)(pro - det) / (double)nn, 1e-12, 0);
        assert_true(c->fig[F_CSAT_MEAN].lo < c->fig[F_CSAT_MEAN].value &&
                    c->fig[F_CSAT_MEAN].value < c->fig[F_CSAT_MEAN].hi);
    }
    metrics_result_free(r);
}

static void test_metrics_only_requested_metrics_are_counted(void **state)
{
    struct world *w = *state;
    struct err err = ERR_INIT;
    struct metrics_query q;
    struct metrics_result *r = NULL;
    metrics_query_init(&q, FIELD_RESPONSES);
    assert_int_equal(metrics_query_metrics(&q, "ces", &err), 0);
    assert_int_equal(q.n_metrics, 1);
    assert_int_equal(q.metrics[0].kind, MK_CES);
    assert_int_equal(metrics_run(&r, w->cs, &q, &err), 0);
    assert_int_equal(r->cells[0].n, (int64_t)w->n);
    assert_int_equal(r->n_figs, 2);
    assert_string_equal(r->figs[0].key, "ces_mean");
    assert_true(r->cells[0].fig[0].n > 0);
    metrics_result_free(r);
    metrics_query_dispose(&q);
}

/* ---- errors ---- */

static void test_metrics_rejects_bad_queries(void **state)
{
    struct world *w = *state;
    struct err err = ERR_INIT;
    struct metrics_query q;
    struct metrics_result *r = NULL;
    metrics_query_init(&q, FIELD_RESPONSES);
    assert_int_equal(metrics_query_by(&q, "touchpoint,colour", &err),
                     ERR_INVALID);
    assert_non_null(strstr(err.msg, "unknown field \"colour\""));
    err_clear(&err);
    assert_int_equal(metrics_query_by(&q, "month,month", &err), ERR_INVALID);
    err_clear(&err);
    assert_int_equal(metrics_query_metrics(&q, "nps,wow", &err), ERR_INVALID);
    err_clear(&err);
    assert_int_equal(metrics_query_where(&q, "touchpoint", &err),
                     ERR_INVALID);
    err_clear(&err);
    assert_int_equal(metrics_query_where(&q, "month=2024-13", &err),
                     ERR_INVALID);
    err_clear(&err);
    assert_int_equal(metrics_query_where(&q, "2024-06-01..2024-05-01", &err),
                     ERR_INVALID);
    err_clear(&err);
    assert_int_equal(metrics_query_where(&q, "2024-02-30..", &err),
                     ERR_INVALID);
    err_clear(&err);
    assert_int_equal(metrics_query_where(&q, "channel=web,", &err),
                     ERR_INVALID);
    err_clear(&err);
    assert_int_equal(metrics_query_where(&q, "channel=\"web", &err),
                     ERR_INVALID);
    err_clear(&err);
    assert_int_equal(metrics_query_where(&q, "touchpoint=nope", &err), 0);
    assert_int_equal(metrics_run(&r, w->cs, &q, &err), ERR_NOTFOUND);
    assert_null(r);
    assert_non_null(strstr(err.msg, "no touchpoint \"nope\""));
    assert_non_null(strstr(err.msg, "felanmalan_app"));
    metrics_query_dispose(&q);
}

static void test_metrics_too_many_cells_is_invalid(void **state)
{
    struct world *w = *state;
    struct err err = ERR_INIT;
    struct metrics_query q;
    struct metrics_result *r = NULL;
    metrics_query_init(&q, FIELD_RESPONSES);
    /* 366 days x 8 touchpoints x 4 segments x 3 channels x 3 languages x 2
     * kinds = 210816 cells: fine. 53 weeks in place of the 2 kinds make
     * it 5586624, over METRICS_MAX_CELLS (1048576): refused. */
    assert_int_equal(
        metrics_query_by(&q, "day,touchpoint,segment,channel,language,kind",
                         &err),
        0);
    assert_int_equal(metrics_run(&r, w->cs, &q, &err), 0);
    check_against_naive(w, r, NULL);
    metrics_result_free(r);
    metrics_query_dispose(&q);
    metrics_query_init(&q, FIELD_RESPONSES);
    assert_int_equal(
        metrics_query_by(&q, "week,touchpoint,segment,channel,language,day",
                         &err),
        0);
    assert_int_equal(metrics_run(&r, w->cs, &q, &err), ERR_INVALID);
    assert_null(r);
    assert_non_null(strstr(err.msg, "too many groups"));
    metrics_query_dispose(&q);
}

static void test_metrics_empty_store_gives_no_cells(void **state)
{
    (void)state;
    struct colstore *cs = colstore_new();
    struct metrics_result *r = run(cs, "touchpoint,month", NULL, 0);
    assert_int_equal(r->n_cells, 0);
    assert_int_equal(r->rows, 0);
    metrics_result_free(r);
    colstore_free(cs);
}

int main(void)
{
#define T(name) cmocka_unit_test(name)
    const struct CMUnitTest tests[] = {
        T(test_metrics_counts_equal_naive_recount),
        T(test_metrics_no_grouping_is_one_cell_of_everything),
        T(test_metrics_threads_give_identical_counts),
        T(test_metrics_where_channels_and_date_range),
        T(test_metrics_where_clauses_are_anded),
        T(test_metrics_filter_matching_nothing_gives_no_cells),
        T(test_metrics_stages_sort_by_journey_position),
        T(test_metrics_periods_sort_chronologically),
        T(test_metrics_keep_empty_lists_every_stage),
        T(test_metrics_recovers_planted_nps_drop),
        T(test_metrics_compare_flags_planted_effect),
        T(test_metrics_null_comparisons_are_rarely_significant),
        T(test_metrics_low_n_cells_are_flagged),
        T(test_metrics_cell_estimates_follow_histograms),
        T(test_metrics_only_requested_metrics_are_counted),
        T(test_metrics_rejects_bad_queries),
        T(test_metrics_too_many_cells_is_invalid),
        T(test_metrics_empty_store_gives_no_cells),
    };
    return cmocka_run_group_tests(tests, setup_planted, teardown);
}
