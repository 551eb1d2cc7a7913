/* Path analytics on a hand-made event log whose every figure is known:
 * cases per customer and by a case column, variants, the
 * directly-follows graph and its waits, stalls, the funnel, rework with
 * its NPS, channel switches and conformance (src/journey/). */
#include "harness.h"

#include <math.h>
#include <string.h>

#include "colstore/colstore.h"
#include "core/err.h"
#include "journey/cases.h"
#include "journey/conformance.h"
#include "journey/dfg.h"
#include "journey/funnel.h"
#include "journey/rework.h"
#include "journey/variants.h"

#define H 3600
#define DAY (24 * H)
#define T0 1735689600 /* 2025-01-01 */

/* Stages "in" (touchpoints apply, sign) then "use" (fix). Customers:
 *   c0: apply(app) +1h sign(web) +3h fix(phone)          a > s > f
 *   c1: apply(app) +2h sign(web) +4h fix(phone)          a > s > f
 *   c2: apply(app) +1h sign(web) +1h sign(web) +1h fix    a > s > s > f
 *   c3: apply(app) +5h fix(phone)                        a > f
 *   c4: apply +1h sign, then 40 days later apply +1h sign
 *   c5: fix(phone) +1h apply(app): back to an earlier stage
 * Each event carries a ticket (numeric) and a code (text) column: c4's
 * two visits are tickets 40 and 41; c5's events share ticket 7 with an
 * event of c0 at an earlier time than c5's (so the case interleaves
 * customers and needs sorting). NPS answers: c2 (the rework) answers 0
 * at sign an hour after its last event; c0, c1 answer 10 at sign; c4
 * answers 10 at sign two hours after its second visit. */
struct world {
    struct colstore *cs;
    int tp_apply, tp_sign, tp_fix;
};

static void ev(struct colstore *cs, int64_t cust, int64_t ts, const char *act,
               int tp, int ch)
{
    static int64_t id;
    struct err err = ERR_INIT;
    struct colstore_event e = {++id, cust, ts, 0, act, tp, ch};
    assert_int_equal(colstore_add_event(cs, &e, &err), 0);
}

static int setup(void **state)
{
    static struct world w;
    struct err err = ERR_INIT;
    struct colstore *cs = w.cs = colstore_new();
    int j = colstore_add_journey(cs, "j", "J", &err);
    int s_in = colstore_add_stage(cs, j, "in", "In", 0, &err);
    int s_use = colstore_add_stage(cs, j, "use", "Use", 1, &err);
    w.tp_apply = colstore_add_touchpoint(cs, s_in, "apply", "Apply", &err);
    w.tp_sign = colstore_add_touchpoint(cs, s_in, "sign", "Sign", &err);
    w.tp_fix = colstore_add_touchpoint(cs, s_use, "fix", "Fix", &err);
    int app = colstore_intern(cs, DIM_CHANNEL, "app", &err);
    int web = colstore_intern(cs, DIM_CHANNEL, "web", &err);
    int phone = colstore_intern(cs, DIM_CHANNEL, "phone", &err);
    assert_int_equal(err.code, 0);
    for (int c = 0; c < 6; c++)
        assert_int_equal(colstore_add_customer(cs, c + 1, NULL, &err), c);
    int64_t t = T0;
    ev(cs, 0, t, "apply", w.tp_apply, app);
    ev(cs, 0, t + 1 * H, "sign", w.tp_sign, web);
    ev(cs, 0, t + 4 * H, "fix", w.tp_fix, phone);
    t = T0 + DAY;
    ev(cs, 1, t, "apply", w.tp_apply, app);
    ev(cs, 1, t + 2 * H, "sign", w.tp_sign, web);
    ev(cs, 1, t + 6 * H, "fix", w.tp_fix, phone);
    t = T0 + 2 * DAY;
    ev(cs, 2, t, "apply", w.tp_apply, app);
    ev(cs, 2, t + 1 * H, "sign", w.tp_sign, web);
    ev(cs, 2, t + 2 * H, "sign", w.tp_sign, web);
    ev(cs, 2, t + 3 * H, "fix", w.tp_fix, phone);
    t = T0 + 3 * DAY;
    ev(cs, 3, t, "apply", w.tp_apply, app);
    ev(cs, 3, t + 5 * H, "fix", w.tp_fix, phone);
    t = T0 + 4 * DAY;
    ev(cs, 4, t, "apply", w.tp_apply, app);
    ev(cs, 4, t + 1 * H, "sign", w.tp_sign, web);
    ev(cs, 4, t + 40 * DAY, "apply", w.tp_apply, app);
    ev(cs, 4, t + 40 * DAY + H, "sign", w.tp_sign, web);
    t = T0 - DAY; /* before c0's first event */
    ev(cs, 5, t, "fix", w.tp_fix, phone);
    ev(cs, 5, t + H, "apply", w.tp_apply, app);
    colstore_mark_events_loaded(cs);

    /* the case columns, by event row */
    static const double ticket[] = {7, 1, 1, 2,  2,  2,  3,  3, 3,
                                    3, 4, 4, 40, 40, 41, 41, 7, 7};
    static const char *const code[] = {"T7",  "T1",  "T1",  "T2",  "T2", "T2",
                                       "T3",  "T3",  "T3",  "T3",  "T4", "T4",
                                       "T40", "T40", "T41", "T41", "T7", "T7"};
    int ct = colstore_col_add(cs, COLSTORE_EVENTS, "ticket", COLSTORE_NUM, NAN,
                              &err);
    int cc =
        colstore_col_add(cs, COLSTORE_EVENTS, "code", COLSTORE_CAT, NAN, &err);
    for (size_t r = 0; r < 18; r++) {
        colstore_col_set_num(cs, COLSTORE_EVENTS, ct, r, ticket[r], &err);
        colstore_col_set_label(cs, COLSTORE_EVENTS, cc, r, code[r],
                               strlen(code[r]), &err);
    }
    assert_int_equal(err.code, 0);

    /* answers, in time order */
    struct colstore_row row = {w.tp_sign, web, -1, -1, 0, 0,
                               10,        -1,  -1, 1,  0, T0 + 5 * H};
    row.day = (T0 + 5 * H) / DAY;
    assert_int_equal(colstore_append(cs, &row, &err), 0);
    row.id = 2;
    row.customer = 1;
    row.ts = T0 + DAY + 7 * H;
    row.day = row.ts / DAY;
    assert_int_equal(colstore_append(cs, &row, &err), 0);
    row.id = 3;
    row.customer = 2;
    row.nps = 0;
    row.ts = T0 + 2 * DAY + 4 * H;
    row.day = row.ts / DAY;
    assert_int_equal(colstore_append(cs, &row, &err), 0);
    /* c4 answers 10 at sign two hours after its second visit */
    row.id = 4;
    row.customer = 4;
    row.nps = 10;
    row.ts = T0 + 44 * DAY + 3 * H;
    row.day = row.ts / DAY;
    assert_int_equal(colstore_append(cs, &row, &err), 0);
    *state = &w;
    return 0;
}

static int teardown(void **state)
{
    struct world *w = *state;
    colstore_free(w->cs);
    return 0;
}

static struct journey_cases *cases(const struct world *w,
                                   enum journey_level level,
                                   const char *case_col, int64_t gap)
{
    struct journey_cases *c = NULL;
    struct journey_case_opts o = JOURNEY_CASE_OPTS_INIT;
    struct err err = ERR_INIT;
    o.level = level;
    o.case_col = case_col;
    o.gap = gap;
    if (journey_cases_build(&c, w->cs, &o, &err) < 0)
        fail_msg("%s", err.msg);
    return c;
}

/* The step sequence of case i as "a>b>c". */
static void seq(char *buf, size_t n, const struct journey_cases *c, size_t i)
{
    buf[0] = 0;
    for (size_t p = c->off[i]; p < c->off[i + 1]; p++) {
        strncat(buf, c->label[c->step[p]], n - strlen(buf) - 1);
        if (p + 1 < c->off[i + 1])
            strncat(buf, ">", n - strlen(buf) - 1);
    }
}

static void test_cases_per_customer_and_gap(void **state)
{
    const struct world *w = *state;
    char buf[128];
    struct journey_cases *c = cases(w, JL_ACTIVITY, NULL, 0);
    assert_int_equal(c->n, 6);
    assert_int_equal(c->n_events, 18);
    seq(buf, sizeof buf, c, 2);
    assert_string_equal(buf, "apply>sign>sign>fix");
    seq(buf, sizeof buf, c, 4);
    assert_string_equal(buf, "apply>sign>apply>sign");
    journey_cases_free(c);
    /* a 30-day gap splits c4 in two */
    c = cases(w, JL_ACTIVITY, NULL, 30 * DAY);
    assert_int_equal(c->n, 7);
    seq(buf, sizeof buf, c, 4);
    assert_string_equal(buf, "apply>sign");
    seq(buf, sizeof buf, c, 5);
    assert_string_equal(buf, "apply>sign");
    assert_int_equal(c->customer[5], 4);
    journey_cases_free(c);
    /* by stage */
    c = cases(w, JL_STAGE, NULL, 0);
    seq(buf, sizeof buf, c, 0);
    assert_string_equal(buf, "in>in>use");
    journey_cases_free(c);
}

static void test_cases_by_a_case_column(void **state)
{
    const struct world *w = *state;
    char buf[128];
    const char *cols[2] = {"ticket", "code"};
    for (int k = 0; k < 2; k++) {
        struct journey_cases *c = cases(w, JL_ACTIVITY, cols[k], 0);
        /* tickets 7, 1, 2, 3, 4, 40, 41 in the order first seen */
        assert_int_equal(c->n, 7);
        /* ticket 7: c0's apply and c5's fix, apply, in time order */
        seq(buf, sizeof buf, c, 0);
        assert_string_equal(buf, "fix>apply>apply");
        assert_int_equal(c->customer[0], 5);
        for (size_t p = c->off[0] + 1; p < c->off[1]; p++)
            assert_true(c->ts[p - 1] <= c->ts[p]);
        seq(buf, sizeof buf, c, 5);
        assert_string_equal(buf, "apply>sign");
        journey_cases_free(c);
    }
    struct journey_cases *c = NULL;
    struct journey_case_opts o = JOURNEY_CASE_OPTS_INIT;
    struct err err = ERR_INIT;
    o.case_col = "nosuch";
    assert_int_equal(journey_cases_build(&c, w->cs, &o, &err), ERR_NOTFOUND);
    assert_null(c);
    assert_non_null(strstr(err.msg, "nosuch"));
}

static void test_variants_counts_and_durations(void **state)
{
    const struct world *w = *state;
    struct journey_cases *c = cases(w, JL_ACTIVITY, NULL, 30 * DAY);
    struct journey_variants *v = NULL;
    struct err err = ERR_INIT;
    char buf[128];
    assert_int_equal(journey_variants_build(&v, c, 0, &err), 0);
    assert_int_equal(v->n_variants, 5);
    /* apply>sign>fix twice (first seen c0), apply>sign twice (c4) */
    assert_int_equal(v->v[0].cases, 2);
    seq(buf, sizeof buf, c, v->v[0].example);
    assert_string_equal(buf, "apply>sign>fix");
    assert_int_equal(v->v[0].example, 0);
    assert_close(v->v[0].median_duration, 5 * H, 0, 1e-9); /* 4 h and 6 h */
    assert_close(v->v[0].p90_duration, 5.8 * H, 0, 1e-6);
    assert_int_equal(v->v[1].cases, 2);
    seq(buf, sizeof buf, c, v->v[1].example);
    assert_string_equal(buf, "apply>sign");
    assert_close(v->v[0].share, 2.0 / 7, 0, 1e-12);
    for (size_t i = 2; i < 5; i++)
        assert_int_equal(v->v[i].cases, 1);
    assert_int_equal(v->of_case[0], 0);
    assert_int_equal(v->of_case[1], 0);
    /* the experience on each: c0 and c1 answered 10 at sign, c2 (its own
     * variant, the rework) 0 */
    assert_false(v->experience);
    journey_variants_experience(v, w->cs, c, 7 * DAY);
    assert_true(v->experience);
    assert_int_equal(v->v[0].nps.n, 2);
    assert_close(v->v[0].nps.value, 100, 0, 1e-9);
    /* apply>sign is c4's two visits: its answer falls in the windows of
     * both (7 days after the second), and belongs to the second only */
    assert_int_equal(v->v[1].nps.n, 1);
    journey_variants_free(v);
    assert_int_equal(journey_variants_build(&v, c, 0, &err), 0);
    journey_variants_experience(v, w->cs, c, 60 * DAY);
    assert_int_equal(v->v[1].nps.n, 1); /* not 2: one case each */
    assert_int_equal(v->nps_all.n, 4);
    for (size_t i = 2; i < 5; i++) {
        seq(buf, sizeof buf, c, v->v[i].example);
        if (!strcmp(buf, "apply>sign>sign>fix")) {
            assert_int_equal(v->v[i].nps.n, 1);
            assert_close(v->v[i].nps.value, -100, 0, 1e-9);
        }
    }
    journey_variants_free(v);
    /* top 2 */
    assert_int_equal(journey_variants_build(&v, c, 2, &err), 0);
    assert_int_equal(v->n, 2);
    assert_int_equal(v->n_variants, 5);
    journey_variants_free(v);
    journey_cases_free(c);
}

static const struct journey_edge *edge(const struct journey_dfg *g,
                                       const struct journey_cases *c,
                                       const char *from, const char *to)
{
    for (size_t i = 0; i < g->n; i++) {
        const struct journey_edge *e = &g->e[i];
        const char *f = e->from == JOURNEY_START ? "(start)"
                        : e->from == JOURNEY_END ? "(end)"
                                                 : c->label[e->from];
        const char *t = e->to == JOURNEY_START ? "(start)"
                        : e->to == JOURNEY_END ? "(end)"
                                               : c->label[e->to];
        if (!strcmp(f, from) && !strcmp(t, to))
            return e;
    }
    return NULL;
}

static void test_dfg_edges_waits_and_stalls(void **state)
{
    const struct world *w = *state;
    struct journey_cases *c = cases(w, JL_ACTIVITY, NULL, 0);
    struct journey_dfg *g = NULL;
    struct err err = ERR_INIT;
    assert_int_equal(journey_dfg_build(&g, c, &err), 0);
    /* apply>sign: c0 1h, c1 2h, c2 1h, c4 1h and 1h */
    const struct journey_edge *e = edge(g, c, "apply", "sign");
    assert_non_null(e);
    assert_int_equal(e->count, 5);
    assert_int_equal(e->cases, 4);
    assert_close(e->median, 1 * H, 0, 1e-9);
    assert_close(e->mean, 6.0 * H / 5, 0, 1e-9);
    assert_close(e->max, 2 * H, 0, 1e-9);
    /* sign>fix: 3h, 4h, 1h */
    e = edge(g, c, "sign", "fix");
    assert_int_equal(e->count, 3);
    assert_close(e->median, 3 * H, 0, 1e-9);
    assert_close(e->p90, 3.8 * H, 0, 1e-6);
    e = edge(g, c, "sign", "sign");
    assert_int_equal(e->count, 1);
    e = edge(g, c, "(start)", "apply");
    assert_int_equal(e->count, 5);
    e = edge(g, c, "fix", "(end)");
    assert_int_equal(e->count, 4);
    e = edge(g, c, "sign", "apply");
    assert_int_equal(e->count, 1);
    assert_close(e->median, 40 * DAY - H, 0, 1e-9);
    /* every event enters by one edge; every case ends by one */
    size_t in = 0, ends = 0;
    for (size_t i = 0; i < g->n; i++) {
        if (g->e[i].to != JOURNEY_END)
            in += g->e[i].count;
        else
            ends += g->e[i].count;
    }
    assert_int_equal(in, c->n_events);
    assert_int_equal(ends, c->n);
    /* most frequent first */
    for (size_t i = 1; i < g->n; i++)
        assert_true(g->e[i - 1].count >= g->e[i].count);
    /* stalls: with at least 1 occurrence, sign>apply (40 days) first;
     * with at least 3, sign>fix (3 h) before apply>sign (1 h) */
    size_t idx[4];
    assert_int_equal(journey_dfg_stalls(g, 1, idx, 4), 4);
    assert_ptr_equal(&g->e[idx[0]], edge(g, c, "sign", "apply"));
    size_t k = journey_dfg_stalls(g, 3, idx, 4);
    assert_int_equal(k, 2);
    assert_ptr_equal(&g->e[idx[0]], edge(g, c, "sign", "fix"));
    assert_ptr_equal(&g->e[idx[1]], edge(g, c, "apply", "sign"));
    assert_int_equal(g->node_count[0] + g->node_count[1] + g->node_count[2],
                     c->n_events);
    journey_dfg_free(g);
    journey_cases_free(c);
}

static void test_funnel_reach_conversion_and_errors(void **state)
{
    const struct world *w = *state;
    struct journey_cases *c = cases(w, JL_TOUCHPOINT, NULL, 0);
    struct journey_funnel f;
    struct err err = ERR_INIT;
    uint32_t steps[3] = {(uint32_t)w->tp_apply, (uint32_t)w->tp_sign,
                         (uint32_t)w->tp_fix};
    assert_int_equal(journey_funnel_build(&f, c, steps, 3, &err), 0);
    /* apply: all 6; sign after apply: c0 c1 c2 c4; fix after sign: c0 c1
     * c2 (c5's fix comes before its apply) */
    assert_int_equal(f.s[0].reached, 6);
    assert_int_equal(f.s[1].reached, 4);
    assert_int_equal(f.s[2].reached, 3);
    assert_close(f.s[1].conv.value, 100.0 * 4 / 6, 0, 1e-9);
    assert_close(f.s[2].total.value, 50.0, 0, 1e-9);
    assert_true(f.s[2].conv.lo < 75 && f.s[2].conv.hi > 75);
    assert_true(isnan(f.s[0].median_wait));
    /* apply to sign: 1, 2, 1, 1 h; sign to fix: 3, 4, 2 h (c2's first
     * sign) */
    assert_close(f.s[1].median_wait, 1 * H, 0, 1e-9);
    assert_close(f.s[2].median_wait, 3 * H, 0, 1e-9);
    assert_int_equal(journey_funnel_build(&f, c, steps, 0, &err), ERR_INVALID);
    steps[1] = steps[0];
    err_clear(&err);
    assert_int_equal(journey_funnel_build(&f, c, steps, 3, &err), ERR_INVALID);
    assert_non_null(strstr(err.msg, "twice"));
    steps[1] = 99;
    assert_int_equal(journey_funnel_build(&f, c, steps, 3, &err), ERR_INVALID);
    journey_cases_free(c);
}

static void test_rework_nps_and_switches(void **state)
{
    const struct world *w = *state;
    struct journey_cases *c = cases(w, JL_ACTIVITY, NULL, 0);
    struct journey_rework *r = NULL;
    struct journey_rework_opts o = {0, 7 * DAY};
    struct err err = ERR_INIT;
    assert_int_equal(journey_rework_build(&r, w->cs, c, &o, &err), 0);
    /* c2 repeats sign; c4 repeats apply and sign 40 days apart */
    assert_int_equal(r->looped, 2);
    assert_close(r->looped_share.value, 100.0 * 2 / 6, 0, 1e-9);
    const struct journey_rework_step *sign = NULL;
    for (size_t i = 0; i < r->n; i++)
        if (!strcmp(c->label[r->s[i].step], "sign"))
            sign = &r->s[i];
    assert_non_null(sign);
    assert_int_equal(sign->cases, 4);
    assert_int_equal(sign->repeated, 2);
    /* answers: once (c0, c1: 10, 10), repeated (c2: 0; c4: 10) */
    assert_int_equal(sign->nps_once.n, 2);
    assert_close(sign->nps_once.value, 100, 0, 1e-9);
    assert_int_equal(sign->nps_repeated.n, 2);
    assert_close(sign->nps_repeated.value, 0, 0, 1e-9);
    assert_true(sign->diff.valid);
    assert_close(sign->diff.diff, -100, 0, 1e-9);
    journey_rework_free(r);
    /* a repeat within a day: only c2's */
    o.window = DAY;
    assert_int_equal(journey_rework_build(&r, w->cs, c, &o, &err), 0);
    for (size_t i = 0; i < r->n; i++)
        if (!strcmp(c->label[r->s[i].step], "sign"))
            assert_int_equal(r->s[i].within, 1);
    /* switches: app>web in c0 c1 c2 c4 (twice) = 5; web>phone c0 c1 c2;
     * app>phone c3; phone>app c5; web>app c4 */
    size_t total = 0;
    for (size_t i = 0; i < r->n_switches; i++)
        total += r->sw[i].count;
    assert_int_equal(total, 5 + 3 + 1 + 1 + 1);
    assert_string_equal(r->channel[r->sw[0].from], "app");
    assert_string_equal(r->channel[r->sw[0].to], "web");
    assert_int_equal(r->sw[0].count, 5);
    assert_int_equal(r->switched, 6);
    journey_rework_free(r);
    journey_cases_free(c);
}

static void test_conformance_finds_the_way_back(void **state)
{
    const struct world *w = *state;
    struct journey_cases *c = cases(w, JL_ACTIVITY, NULL, 0);
    struct journey_conformance *k = NULL;
    struct err err = ERR_INIT;
    assert_int_equal(journey_conformance_build(&k, w->cs, c, &err), 0);
    /* c5 goes use > in; c4 stays in "in"; the rest go in > use */
    assert_int_equal(k->n_cases, 6);
    assert_int_equal(k->conforming, 5);
    assert_int_equal(k->n, 1);
    assert_string_equal(k->stage[k->d[0].from], "use");
    assert_string_equal(k->stage[k->d[0].to], "in");
    assert_int_equal(k->d[0].count, 1);
    journey_conformance_free(k);
    journey_cases_free(c);
}

/* A filter that keeps no event: empty results, no error, no NULL
 * arrays handed to qsort (UBSan) */
static void test_nothing_kept_is_empty_not_an_error(void **state)
{
    const struct world *w = *state;
    static const uint8_t none[18] = {0};
    struct journey_cases *c = NULL;
    struct journey_case_opts o = JOURNEY_CASE_OPTS_INIT;
    struct err err = ERR_INIT;
    o.use = none;
    assert_int_equal(journey_cases_build(&c, w->cs, &o, &err), 0);
    assert_int_equal(c->n, 0);
    struct journey_dfg *g = NULL;
    struct journey_variants *v = NULL;
    struct journey_rework *r = NULL;
    struct journey_conformance *k = NULL;
    struct journey_funnel f;
    uint32_t steps[1] = {0};
    assert_int_equal(journey_dfg_build(&g, c, &err), 0);
    assert_int_equal(g->n, 0);
    assert_int_equal(journey_variants_build(&v, c, 10, &err), 0);
    assert_int_equal(v->n, 0);
    journey_variants_experience(v, w->cs, c, DAY);
    assert_int_equal(journey_rework_build(&r, w->cs, c, NULL, &err), 0);
    assert_int_equal(r->looped, 0);
    assert_int_equal(journey_conformance_build(&k, w->cs, c, &err), 0);
    assert_int_equal(k->n_cases, 0);
    assert_int_equal(journey_funnel_build(&f, c, steps, 1, &err), 0);
    assert_int_equal(f.s[0].reached, 0);
    assert_true(isnan(f.s[0].conv.value));
    size_t idx[2];
    assert_int_equal(journey_dfg_stalls(g, 1, idx, 2), 0);
    journey_conformance_free(k);
    journey_rework_free(r);
    journey_variants_free(v);
    journey_dfg_free(g);
    journey_cases_free(c);
}

static void test_no_events_is_a_clear_error(void **state)
{
    (void)state;
    struct colstore *cs = colstore_new();
    struct journey_cases *c = NULL;
    struct err err = ERR_INIT;
    assert_int_equal(journey_cases_build(&c, cs, NULL, &err), ERR_INVALID);
    assert_non_null(strstr(err.msg, "import events"));
    colstore_free(cs);
    assert_int_equal(journey_level_parse("stage"), JL_STAGE);
    assert_int_equal(journey_level_parse("Stage"), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cases_per_customer_and_gap),
        cmocka_unit_test(test_cases_by_a_case_column),
        cmocka_unit_test(test_variants_counts_and_durations),
        cmocka_unit_test(test_dfg_edges_waits_and_stalls),
        cmocka_unit_test(test_funnel_reach_conversion_and_errors),
        cmocka_unit_test(test_rework_nps_and_switches),
        cmocka_unit_test(test_conformance_finds_the_way_back),
        cmocka_unit_test(test_nothing_kept_is_empty_not_an_error),
        cmocka_unit_test(test_no_events_is_a_clear_error),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
