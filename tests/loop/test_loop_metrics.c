/* loop/loop_metrics.h: a planted case history gives the figures counted by
 * hand below: working hours across a weekend, the share contacted by the
 * deadline, cases per 1,000 responses, recovery, the next NPS after a
 * resolved case, owners' views, and the improvement areas with their
 * before/after windows.
 *
 * Times are Europe/Stockholm wall clock; November and December are CET
 * (UTC+1). Opening hours Mon-Fri 08-17, no holiday from 16 November to 2
 * December 2026. 2026-11-20 is a Friday, 11-23 a Monday. Wilson, t and
 * Newcombe reference values were worked out with a calculator from the
 * formulas in stats/prop.h, mean.h and casestats.h. */
#include "harness.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "core/tstamp.h"
#include "loop/bizcal.h"
#include "loop/loop.h"
#include "loop/loop_metrics.h"
#include "store/store.h"
#include "store/store_loop.h"

#define HOUR INT64_C(3600)
#define DAY INT64_C(86400)
#define TOL 1e-9

static const char doc[] =
    "{\"rules\":[{\"key\":\"d\",\"when\":{\"nps_max\":6},\"sla_hours\":8}]}";

enum { REP, KT, APP, N_TP };
static const char *const tp_keys[N_TP] = {"reparation", "kundtjanst", "app"};
static const char *const tp_teams[N_TP] = {"Drift", "Kundservice", "Digital"};

struct fx {
    struct store *s;
    struct loop *l;
    int64_t tp[N_TP];
    int64_t channel;
    int seq;
};

/* Stockholm winter time, CET. */
static int64_t at(int y, unsigned m, unsigned d, int hh, int mm)
{
    return tstamp_days_from_civil(y, m, d) * DAY + hh * HOUR + mm * 60 - HOUR;
}

/* UTC midnight. */
static int64_t utc_day(int y, unsigned m, unsigned d)
{
    return tstamp_days_from_civil(y, m, d) * DAY;
}

static void fx_open(struct fx *f)
{
    struct err err = ERR_INIT;
    memset(f, 0, sizeof *f);
    assert_int_equal(store_open(&f->s, ":memory:", &err), 0);
    assert_int_equal(loop_parse(&f->l, doc, strlen(doc), &err), 0);
    struct journey j = {0, "hyra", "Hyra", LIFECYCLE_USE};
    struct stage g = {0, 0, "boende", "Boende", 0};
    struct channel c = {0, "web"};
    assert_int_equal(store_put_journey(f->s, &j, &err), 0);
    g.journey_id = j.id;
    assert_int_equal(store_put_stage(f->s, &g, &err), 0);
    assert_int_equal(store_put_channel(f->s, &c, &err), 0);
    f->channel = c.id;
    for (int i = 0; i < N_TP; i++) {
        struct touchpoint t = {0,           g.id, tp_keys[i], tp_keys[i], "web",
                               tp_teams[i], 0,    0,          NULL,       0};
        assert_int_equal(store_put_touchpoint(f->s, &t, &err), 0);
        f->tp[i] = t.id;
    }
}

static void fx_close(struct fx *f)
{
    loop_free(f->l);
    store_free(f->s);
}

static int64_t customer(struct fx *f, const char *ext)
{
    struct err err = ERR_INIT;
    struct customer c = {0, ext, NULL, NULL};
    int ins;
    assert_int_equal(store_put_customer(f->s, &c, &ins, &err), 0);
    return c.id;
}

/* A response; theme: NULL no comment, "" an analysed comment without a
 * theme, else one mentioning it. Returns its id. */
static int64_t response(struct fx *f, int tp, int64_t cust, int64_t ts, int nps,
                        int csat, int ces, const char *theme)
{
    struct err err = ERR_INIT;
    char ext[32];
    struct theme_mention m = {theme, -0.5};
    struct comment_analysis ca = {
        "sv", 0.9, -0.5, "negative", 0, 0, NULL, &m, theme && *theme ? 1 : 0};
    struct answer a = {"comment", ANSWER_TEXT,    0,    0,
                       0,         "En kommentar", NULL, &ca};
    struct response r;
    int ins;
    memset(&r, 0, sizeof r);
    snprintf(ext, sizeof ext, "r%d", ++f->seq);
    r.ext_id = ext;
    r.customer_id = cust;
    r.touchpoint_id = f->tp[tp];
    r.channel_id = f->channel;
    r.ts = ts;
    r.nps = nps;
    r.csat = csat;
    r.ces = ces;
    if (theme) {
        r.answers = &a;
        r.n_answers = 1;
    }
    assert_int_equal(store_put_response(f->s, &r, &ins, &err), 0);
    assert_int_equal(ins, 1);
    return r.id;
}

/* n responses with the same NPS at tp over [t0, t0 + n hours); every
 * one of the first `comments` has a comment, the first `mentions` of
 * those mentioning theme. */
static void responses(struct fx *f, int tp, int64_t t0, int n, int nps,
                      int comments, int mentions, const char *theme)
{
    for (int i = 0; i < n; i++)
        response(f, tp, 0, t0 + i * HOUR, nps, -1, -1,
                 i < mentions   ? theme
                 : i < comments ? ""
                                : NULL);
}

struct plant {
    int tp;
    int64_t cust;
    int nps;
    const char *team; /* NULL: the touchpoint's */
    const char *theme;
    int64_t opened, contact, resolved;
    int escalated; /* 1: escalated once, due one SLA later */
    int64_t rec_sent, rec_response;
};

/* A case with its own response at opening; the deadline is 8 working
 * hours from opening, as loop_apply sets it. Returns the case id. */
static int64_t plant(struct fx *f, const struct plant *p)
{
    struct err err = ERR_INIT;
    const struct bizcal *cal = loop_calendar(f->l);
    struct loop_case c;
    int ins;
    memset(&c, 0, sizeof c);
    c.response_id =
        response(f, p->tp, p->cust, p->opened, p->nps, -1, -1, NULL);
    c.customer_id = p->cust;
    c.touchpoint_id = f->tp[p->tp];
    c.rule = "d";
    c.team = p->team ? p->team : tp_teams[p->tp];
    c.theme = p->theme;
    c.priority = 1;
    c.status = CASE_OPEN;
    c.sla_hours = 8;
    c.opened = p->opened;
    c.due = bizcal_add(cal, p->opened, 8 * HOUR);
    assert_int_equal(store_put_case(f->s, &c, &ins, &err), 0);
    assert_int_equal(ins, 1);
    c.status = p->resolved  ? CASE_RESOLVED
               : p->contact ? CASE_CONTACTED
               : p->team    ? CASE_ASSIGNED
                            : CASE_OPEN;
    c.first_contact = p->contact;
    c.resolved = p->resolved;
    if (p->escalated) {
        c.escalation = 1;
        c.escalated = c.due;
        c.due = bizcal_add(cal, c.due, 8 * HOUR);
    }
    c.recovery_sent = p->rec_sent;
    c.recovery_survey = p->rec_sent ? "aterkoppling" : NULL;
    c.recovery_response_id = p->rec_response;
    assert_int_equal(store_update_case(f->s, &c, CASE_OPEN, &err), 0);
    return c.id;
}

static void assert_est(const struct estimate *e, int64_t n, double v, double lo,
                       double hi)
{
    assert_int_equal(e->n, n);
    if (isnan(v))
        assert_true(isnan(e->value));
    else
        assert_close(e->value, v, 1e-9, 1e-6);
    if (isnan(lo))
        assert_true(isnan(e->lo));
    else
        assert_close(e->lo, lo, 1e-9, 1e-6);
    if (isnan(hi))
        assert_true(isnan(e->hi));
    else
        assert_close(e->hi, hi, 1e-9, 1e-6);
}

/* n and value only */
static void assert_nv(const struct estimate *e, int64_t n, double v)
{
    assert_int_equal(e->n, n);
    assert_close(e->value, v, 1e-9, 1e-9);
}

static const struct case_metrics_row *row(const struct case_metrics *m,
                                          const char *group)
{
    for (size_t i = 0; i < m->n; i++)
        if (!strcmp(m->rows[i].group, group))
            return &m->rows[i];
    fail_msg("no row %s", group);
    return NULL;
}

/* ---- the inner loop ----
 *
 * reparation (team Drift), SLA 8 working hours:
 *   C1 opened Fri 11-20 15:00, contact Mon 11-23 10:00: 2 + 2 = 4 h
 *      (due Mon 14:00, hit); resolved Mon 14:00: 2 + 6 = 8 h. Customer A,
 *      NPS 2. Recovery answered Tue 11-24 10:00: CSAT 5 -> recovered.
 *   C2 opened Fri 16:00, contact Mon 09:00: 1 + 1 = 2 h (due Mon 15:00,
 *      hit). Contacted, anonymous.
 *   C3 opened Mon 11-23 09:00, contact 10:00: 1 h (due Tue 09:00, hit);
 *      resolved Tue 11-24 09:00: 8 + 1 = 9 h. Customer B, NPS 4.
 *      Recovery answered: no CSAT, NPS 3 -> not recovered.
 *   C4 opened Tue 11-24 08:00, contact 16:00: 8 h, exactly at its due
 *      (hit).
 *   C5 opened Thu 11-26 11:00, contact Fri 11-27 14:00: 6 + 6 = 12 h;
 *      due Fri 10:00 -> miss, although escalation moved its due to Mon
 *      11-30 09:00 (7 h Friday + 1 h Monday).
 *   C6 opened Mon 11-30 09:00, no contact, due Tue 12-01 09:00, now is
 *      Tue 12:00 -> miss, overdue.
 *   C7 opened Tue 12-01 11:00, reassigned to Kundservice, no contact, due
 *      Wed 11:00 -> no trial yet, not overdue.
 *   C8 opened Fri 11-13, before the period: left out.
 * kundtjanst (team Kundservice):
 *   K1 opened Wed 11-18 10:00, contact 11:00: 1 h (hit), resolved 15:00:
 *      5 h. Customer C, NPS 0. Recovery sent, not answered.
 *   K2 opened Thu 11-19 13:00, contact Fri 11-20 09:00: 4 + 1 = 5 h (due
 *      Fri 12:00, hit), resolved Fri 13:00: 4 + 5 = 9 h. Customer D, NPS
 *      5. Recovery answered with CES 6 only -> recovered.
 * Open (not resolved): C2, C4, C5, C6, C7. Overdue at now: C2 (due Mon
 * 11-23 15:00), C4 (Tue 11-24 16:00), C5 (Mon 11-30 09:00), C6.
 *
 * Responses in the period: reparation 7 case responses + 13 = 20;
 * kundtjanst 2 + B's next answer + 7 = 10; app 9 (A 4, B 1, D 3, E 1).
 *
 * Next NPS after resolution:
 *   C1 (A, NPS 2, resolved Mon 11-23 14:00): A's NPS 9 Mon 12:00 is
 *      before; the recovery answer (NPS 10) does not count; Wed 11-25 NPS
 *      8 is first (Thu 11-26 NPS 3 was stored earlier) -> +6.
 *   C3 (B, 4): recovery NPS 3 does not count; Mon 11-30 NPS 7 -> +3.
 *   K1 (C, 0): nothing later.
 *   K2 (D, 5): recovery (CES only), Mon 11-23 without NPS, Tue 11-24 NPS
 *      6 -> +1.
 *   C6 (E) is not resolved: E's later NPS 10 does not count.
 *   Mean of 6, 3, 1 = 3.3333; s = 2.5166, SE 1.4530, t(0.975, 2) =
 *   4.3027: CI [-2.9183, 9.5849]. */

static int64_t from_, to_, now_;

static void plant_history(struct fx *f)
{
    int64_t A = customer(f, "A"), B = customer(f, "B"), C = customer(f, "C"),
            D = customer(f, "D"), E = customer(f, "E");
    from_ = at(2026, 11, 16, 0, 0);
    to_ = at(2026, 12, 2, 0, 0);
    now_ = at(2026, 12, 1, 12, 0);
    /* answers by the customers, stored before the cases they follow so
     * that ids do not follow time */
    response(f, APP, A, at(2026, 11, 26, 10, 0), 3, -1, -1, NULL);
    response(f, APP, A, at(2026, 11, 23, 12, 0), 9, -1, -1, NULL);
    int64_t recA =
        response(f, APP, A, at(2026, 11, 24, 10, 0), 10, 5, -1, NULL);
    response(f, APP, A, at(2026, 11, 25, 10, 0), 8, -1, -1, NULL);
    int64_t recB =
        response(f, APP, B, at(2026, 11, 24, 12, 0), 3, -1, -1, NULL);
    response(f, KT, B, at(2026, 11, 30, 10, 0), 7, -1, -1, NULL);
    int64_t recD =
        response(f, APP, D, at(2026, 11, 21, 10, 0), -1, -1, 6, NULL);
    response(f, APP, D, at(2026, 11, 23, 10, 0), -1, 2, -1, NULL);
    response(f, APP, D, at(2026, 11, 24, 10, 0), 6, -1, -1, NULL);
    response(f, APP, E, at(2026, 12, 1, 10, 0), 10, -1, -1, NULL);
    /* responses without cases */
    responses(f, REP, at(2026, 11, 17, 8, 0), 13, 8, 0, 0, NULL);
    responses(f, KT, at(2026, 11, 17, 8, 0), 7, 9, 0, 0, NULL);
    response(f, REP, 0, at(2026, 11, 13, 9, 0), 9, -1, -1, NULL);

    const struct plant cases[] = {
        {REP, A, 2, NULL, NULL, at(2026, 11, 20, 15, 0),
         at(2026, 11, 23, 10, 0), at(2026, 11, 23, 14, 0), 0,
         at(2026, 11, 23, 14, 0), recA},
        {REP, 0, 5, NULL, NULL, at(2026, 11, 20, 16, 0), at(2026, 11, 23, 9, 0),
         0, 0, 0, 0},
        {REP, B, 4, NULL, NULL, at(2026, 11, 23, 9, 0), at(2026, 11, 23, 10, 0),
         at(2026, 11, 24, 9, 0), 0, at(2026, 11, 24, 9, 0), recB},
        {REP, 0, 6, NULL, NULL, at(2026, 11, 24, 8, 0), at(2026, 11, 24, 16, 0),
         0, 0, 0, 0},
        {REP, 0, 0, NULL, NULL, at(2026, 11, 26, 11, 0),
         at(2026, 11, 27, 14, 0), 0, 1, 0, 0},
        {REP, E, 1, NULL, NULL, at(2026, 11, 30, 9, 0), 0, 0, 0, 0, 0},
        {REP, 0, 3, "Kundservice", NULL, at(2026, 12, 1, 11, 0), 0, 0, 0, 0, 0},
        {REP, 0, 2, NULL, NULL, at(2026, 11, 13, 10, 0), 0, 0, 0, 0, 0},
        {KT, C, 0, NULL, NULL, at(2026, 11, 18, 10, 0), at(2026, 11, 18, 11, 0),
         at(2026, 11, 18, 15, 0), 0, at(2026, 11, 18, 15, 0), 0},
        {KT, D, 5, NULL, NULL, at(2026, 11, 19, 13, 0), at(2026, 11, 20, 9, 0),
         at(2026, 11, 20, 13, 0), 0, at(2026, 11, 20, 13, 0), recD},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        plant(f, &cases[i]);
}

static void test_by_touchpoint(void **state)
{
    struct fx f;
    struct case_metrics m;
    struct err err = ERR_INIT;
    (void)state;
    fx_open(&f);
    plant_history(&f);
    assert_int_equal(loop_case_metrics(f.s, f.l, LOOP_BY_TOUCHPOINT, from_, to_,
                                       NULL, now_, &m, &err),
                     0);
    assert_int_equal(m.n, 3);
    assert_string_equal(m.rows[0].group, "kundtjanst");
    assert_string_equal(m.rows[1].group, "reparation");
    assert_string_equal(m.rows[2].group, "(all)");

    const struct case_metrics_row *r = row(&m, "reparation");
    assert_int_equal(r->cases, 7);
    assert_int_equal(r->open, 5);
    assert_int_equal(r->overdue, 4);
    /* contact 1, 2, 4, 8, 12 h: median x(3) = 4; p90 h = 4 * 0.9 + 1 =
     * 4.6, 8 + 0.6 * 4 = 10.4. n = 5: the median's CI ranks are 0 and 6
     * (P(B <= 0) = 1/32 > 0.025), both sides open; the p90's lower rank
     * is 3 (P(B <= 2) = 0.0086, P(B <= 3) = 0.081 for Bin(5, 0.9)), the
     * upper 6 (open). */
    assert_est(&r->contact_median, 5, 4, NAN, NAN);
    assert_est(&r->contact_p90, 5, 10.4, 4, NAN);
    /* resolution 8 and 9 h */
    assert_est(&r->resolve_median, 2, 8.5, NAN, NAN);
    assert_close(r->resolve_p90.value, 8.9, TOL, TOL);
    /* C1-C4 hit, C5 and C6 miss, C7 not yet: 4 of 6, Wilson
     * [29.9993, 90.3229] */
    assert_est(&r->within_deadline, 6, 100.0 * 4 / 6, 29.999331513839202,
               90.32285888942195);
    /* 7 cases per 20 responses: 350, Wilson [181.19, 567.15] per 1,000 */
    assert_int_equal(r->responses, 20);
    assert_est(&r->per_1000, 20, 350, 181.19182410108206, 567.14572331476376);
    /* C1 recovered, C3 not: 1 of 2, Wilson [9.4531, 90.5469] */
    assert_int_equal(r->recovery_sent, 2);
    assert_est(&r->recovery, 2, 50, 9.453120573423075, 90.54687942657694);

    r = row(&m, "kundtjanst");
    assert_int_equal(r->cases, 2);
    assert_int_equal(r->open, 0);
    assert_int_equal(r->overdue, 0);
    /* contact 1, 5: median 3, p90 1 + 0.9 * 4 = 4.6; resolution 5, 9 */
    assert_close(r->contact_median.value, 3, TOL, TOL);
    assert_close(r->contact_p90.value, 4.6, TOL, TOL);
    assert_close(r->resolve_median.value, 7, TOL, TOL);
    assert_close(r->resolve_p90.value, 8.6, TOL, TOL);
    assert_est(&r->within_deadline, 2, 100, 34.2380227506653, 100);
    assert_int_equal(r->responses, 10);
    assert_close(r->per_1000.value, 200, TOL, TOL);
    /* K1 unanswered is no trial; K2 recovered */
    assert_int_equal(r->recovery_sent, 2);
    assert_est(&r->recovery, 1, 100, 20.654931437723747, 100);

    r = row(&m, "(all)");
    assert_int_equal(r->cases, 9);
    assert_int_equal(r->open, 5);
    assert_int_equal(r->overdue, 4);
    /* contact 1, 1, 2, 4, 5, 8, 12: median 4, p90 h = 6.4: 8 + 0.4 * 4 */
    assert_close(r->contact_median.value, 4, TOL, TOL);
    assert_int_equal(r->contact_median.n, 7);
    assert_close(r->contact_p90.value, 9.6, TOL, TOL);
    /* resolution 5, 8, 9, 9: median 8.5, p90 h = 3.7: 9 */
    assert_close(r->resolve_median.value, 8.5, TOL, TOL);
    assert_close(r->resolve_p90.value, 9, TOL, TOL);
    /* 6 of 8, Wilson [40.9275, 92.8521] */
    assert_est(&r->within_deadline, 8, 75, 40.92754303101688, 92.8520787247891);
    /* 9 cases, 39 responses: 230.77 [126.46, 383.36] */
    assert_int_equal(r->responses, 39);
    assert_est(&r->per_1000, 39, 9000.0 / 39, 126.4580412514285,
               383.3625722834177);
    /* 2 recovered of 3 answered, 4 sent: Wilson [20.7660, 93.8508] */
    assert_int_equal(r->recovery_sent, 4);
    assert_est(&r->recovery, 3, 100.0 * 2 / 3, 20.765960080204763,
               93.85080552796038);

    assert_est(&m.next_nps_change, 3, 10.0 / 3, -2.91827614627755,
               9.584942812944217);
    assert_close(m.next_nps_change.se, 1.4529663145135578, 1e-9, 1e-9);
    case_metrics_dispose(&m);
    case_metrics_dispose(&m); /* idempotent */
    fx_close(&f);
}

static void test_by_team(void **state)
{
    struct fx f;
    struct case_metrics m;
    struct err err = ERR_INIT;
    (void)state;
    fx_open(&f);
    plant_history(&f);
    assert_int_equal(loop_case_metrics(f.s, f.l, LOOP_BY_TEAM, from_, to_, NULL,
                                       now_, &m, &err),
                     0);
    assert_int_equal(m.n, 3);
    /* Drift: C1-C6; Kundservice: K1, K2 and C7 */
    const struct case_metrics_row *r = &m.rows[0];
    assert_string_equal(r->group, "Drift");
    assert_int_equal(r->cases, 6);
    assert_int_equal(r->open, 4);
    assert_est(&r->within_deadline, 6, 100.0 * 4 / 6, 29.999331513839202,
               90.32285888942195);
    /* a team has no responses of its own */
    assert_int_equal(r->responses, 0);
    assert_true(isnan(r->per_1000.value));
    r = &m.rows[1];
    assert_string_equal(r->group, "Kundservice");
    assert_int_equal(r->cases, 3);
    assert_int_equal(r->open, 1);
    assert_int_equal(r->overdue, 0);
    assert_est(&r->within_deadline, 2, 100, 34.2380227506653, 100);
    assert_est(&r->contact_median, 2, 3, NAN, NAN);
    r = &m.rows[2];
    assert_string_equal(r->group, "(all)");
    assert_int_equal(r->cases, 9);
    assert_close(r->per_1000.value, 9000.0 / 39, TOL, TOL);
    assert_close(m.next_nps_change.value, 10.0 / 3, TOL, TOL);
    case_metrics_dispose(&m);
    fx_close(&f);
}

static void test_visible_and_period(void **state)
{
    struct fx f;
    struct case_metrics m;
    struct err err = ERR_INIT;
    (void)state;
    fx_open(&f);
    plant_history(&f);
    /* Kundservice's owner sees kundtjanst's cases and its team's C7 at
     * reparation */
    assert_int_equal(loop_case_metrics(f.s, f.l, LOOP_BY_TOUCHPOINT, from_, to_,
                                       "app,kundtjanst", now_, &m, &err),
                     0);
    assert_int_equal(m.n, 3);
    assert_string_equal(m.rows[0].group, "kundtjanst");
    assert_int_equal(m.rows[0].cases, 2);
    assert_string_equal(m.rows[1].group, "reparation");
    assert_int_equal(m.rows[1].cases, 1);
    assert_int_equal(m.rows[1].open, 1);
    /* 1 of reparation's 20 responses: 50 per 1,000, Wilson [8.88, 236.13] */
    assert_est(&m.rows[1].per_1000, 20, 50, 8.881448800795402,
               236.13119344674203);
    /* (all): the listed touchpoints (kundtjanst 10, app 9) and the one
     * its cases are at (reparation 20): 3 in 39 */
    assert_int_equal(m.rows[2].cases, 3);
    assert_int_equal(m.rows[2].responses, 39);
    /* K2's +1 only; one value has no SE */
    assert_int_equal(m.next_nps_change.n, 1);
    assert_close(m.next_nps_change.value, 1, TOL, TOL);
    assert_true(isnan(m.next_nps_change.lo));
    case_metrics_dispose(&m);

    /* only kundtjanst listed: app's 9 responses are not in the base */
    assert_int_equal(loop_case_metrics(f.s, f.l, LOOP_BY_TOUCHPOINT, from_, to_,
                                       "kundtjanst", now_, &m, &err),
                     0);
    assert_int_equal(m.rows[2].responses, 30);
    assert_est(&m.rows[2].per_1000, 30, 100, 34.59988874733419,
               256.21082579184083);
    case_metrics_dispose(&m);

    /* a period with no case: one (all) row, no figures */
    assert_int_equal(
        loop_case_metrics(f.s, f.l, LOOP_BY_TEAM, at(2026, 10, 1, 0, 0),
                          at(2026, 10, 2, 0, 0), NULL, now_, &m, &err),
        0);
    assert_int_equal(m.n, 1);
    assert_string_equal(m.rows[0].group, "(all)");
    assert_int_equal(m.rows[0].cases, 0);
    assert_true(isnan(m.rows[0].contact_median.value));
    assert_true(isnan(m.rows[0].within_deadline.value));
    assert_int_equal(m.next_nps_change.n, 0);
    assert_true(isnan(m.next_nps_change.value));
    case_metrics_dispose(&m);

    /* the whole history (open period) takes in C8 too */
    assert_int_equal(loop_case_metrics(f.s, f.l, LOOP_BY_TOUCHPOINT, 0, 0, NULL,
                                       now_, &m, &err),
                     0);
    assert_int_equal(row(&m, "(all)")->cases, 10);
    case_metrics_dispose(&m);

    assert_int_equal(
        loop_case_metrics(f.s, NULL, LOOP_BY_TEAM, 0, 0, NULL, now_, &m, &err),
        ERR_INVALID);
    assert_int_equal(m.n, 0);
    fx_close(&f);
}

/* ---- the outer loop ----
 *
 * Cases opened in November 2026:
 *   vantetid @ kundtjanst    3 (customers X1 NPS 2, X2 3, X3 9; 2 open)
 *   bemotande @ reparation   3 (Y1 1, Y2 6, one anonymous 0; all open)
 *   app/inlogg @ app         1 (Z 4, team Digital)
 *   atkomst @ kundtjanst     1
 *   bemotande @ kundtjanst   1
 *   no theme                 2 (reparation, app)
 *   vantetid @ kundtjanst in October: outside the period.
 * Order: 3 before 1; equal counts by touchpoint key, then theme.
 *
 * Area NPS: the customers' NPS answers at the area's touchpoint: X1 also
 * answered 10 at kundtjanst in 2025 (and 0 at reparation, not counted):
 * 2, 3, 9, 10 -> NPS 0, Var = (0.5 + 0.5 - 0) / 4, SE 50, CI +-98.
 *
 * Improvements: vantetid @ kundtjanst done 2026-02-01 (older) and
 * 2026-06-01 (D1, used); reparation as a whole 2026-03-01 (D2);
 * kundtjanst as a whole 2025-01-15 (D3: for the other kundtjanst areas,
 * not vantetid which has its own); vantetid @ reparation (no such area).
 *
 * kundtjanst, 30 days around D1:
 *   before 10 x 9, 10 x 7, 20 x 3: NPS -25; 20 of 40 comments mention
 *          vantetid: 50%.
 *   after  24 x 10, 10 x 8, 6 x 0: NPS 45; 8 of 40: 20%.
 *   NPS +70, SE 100 sqrt(0.6875/40 + 0.5475/40) = 17.5713, CI [35.5609,
 *   104.4391]: excludes 0. Share -30, Newcombe from Wilson [35.1995,
 *   64.8005] and [10.5000, 34.7573]: [-47.5870, -9.0995].
 * reparation, 30 days around D2:
 *   before 6 x 9, 6 x 8, 8 x 2: NPS -10; after 7 x 9, 6 x 7, 7 x 6: 0.
 *   NPS +10, SE 100 sqrt(0.69/20 + 0.70/20) = 26.3629, CI [-41.6702,
 *   61.6702]: includes 0. Comments 10 each side, bemotande 4 -> 3: -10,
 *   [-44.5689, 28.1686]. */

static void plant_areas(struct fx *f, int64_t ids[5])
{
    struct err err = ERR_INIT;
    int64_t X1 = customer(f, "X1"), X2 = customer(f, "X2"),
            X3 = customer(f, "X3"), X9 = customer(f, "X9"),
            Y1 = customer(f, "Y1"), Y2 = customer(f, "Y2"),
            Z = customer(f, "Z");
    int64_t d1 = utc_day(2026, 6, 1), d2 = utc_day(2026, 3, 1);
    const struct plant cases[] = {
        {KT, X1, 2, NULL, "vantetid", at(2026, 11, 2, 10, 0),
         at(2026, 11, 2, 11, 0), at(2026, 11, 3, 10, 0), 0, 0, 0},
        {KT, X2, 3, NULL, "vantetid", at(2026, 11, 3, 10, 0), 0, 0, 0, 0, 0},
        {KT, X3, 9, NULL, "vantetid", at(2026, 11, 4, 10, 0), 0, 0, 0, 0, 0},
        {REP, Y1, 1, NULL, "bemotande", at(2026, 11, 5, 10, 0), 0, 0, 0, 0, 0},
        {REP, Y2, 6, NULL, "bemotande", at(2026, 11, 6, 10, 0), 0, 0, 0, 0, 0},
        {REP, 0, 0, NULL, "bemotande", at(2026, 11, 9, 10, 0), 0, 0, 0, 0, 0},
        {APP, Z, 4, NULL, "app/inlogg", at(2026, 11, 10, 10, 0), 0, 0, 0, 0, 0},
        {KT, 0, 5, NULL, "atkomst", at(2026, 11, 11, 10, 0), 0, 0, 0, 0, 0},
        {KT, 0, 5, NULL, "bemotande", at(2026, 11, 12, 10, 0), 0, 0, 0, 0, 0},
        {REP, 0, 5, NULL, NULL, at(2026, 11, 13, 10, 0), 0, 0, 0, 0, 0},
        {APP, 0, 5, NULL, NULL, at(2026, 11, 16, 10, 0), 0, 0, 0, 0, 0},
        {KT, X9, 0, NULL, "vantetid", at(2026, 10, 13, 10, 0), 0, 0, 0, 0, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        plant(f, &cases[i]);
    response(f, KT, X1, utc_day(2025, 9, 1), 10, -1, -1, NULL);
    response(f, REP, X1, utc_day(2025, 9, 2), 0, -1, -1, NULL);

    /* kundtjanst around D1, one answer just outside each side */
    int64_t b1 = d1 - 30 * DAY;
    response(f, KT, 0, b1 - HOUR, 0, -1, -1, "vantetid");
    responses(f, KT, b1, 10, 9, 10, 10, "vantetid");
    responses(f, KT, b1 + DAY, 10, 7, 10, 10, "vantetid");
    responses(f, KT, b1 + 2 * DAY, 20, 3, 20, 0, NULL);
    responses(f, KT, d1, 24, 10, 24, 8, "vantetid");
    responses(f, KT, d1 + DAY, 10, 8, 10, 0, NULL);
    responses(f, KT, d1 + 2 * DAY, 6, 0, 6, 0, NULL);
    response(f, KT, 0, d1 + 30 * DAY, 0, -1, -1, "vantetid");
    /* reparation around D2 */
    int64_t b2 = d2 - 30 * DAY;
    responses(f, REP, b2, 6, 9, 6, 4, "bemotande");
    responses(f, REP, b2 + DAY, 6, 8, 4, 0, NULL);
    responses(f, REP, b2 + 2 * DAY, 8, 2, 0, 0, NULL);
    responses(f, REP, d2, 7, 9, 7, 3, "bemotande");
    responses(f, REP, d2 + DAY, 6, 7, 3, 0, NULL);
    responses(f, REP, d2 + 2 * DAY, 7, 6, 0, 0, NULL);

    struct improvement im[5] = {
        {0, "vantetid", f->tp[KT], NULL, "Fler i telefon", utc_day(2026, 2, 1),
         "anna"},
        {0, "vantetid", f->tp[KT], NULL, "Ny kötelefoni", d1, "anna"},
        {0, NULL, f->tp[REP], NULL, "Nya tider", d2, "bo"},
        {0, NULL, f->tp[KT], NULL, "Ny växel", utc_day(2025, 1, 15), "anna"},
        {0, "vantetid", f->tp[REP], NULL, "Annat", d2, "bo"},
    };
    for (int i = 0; i < 5; i++) {
        assert_int_equal(store_put_improvement(f->s, &im[i], &err), 0);
        ids[i] = im[i].id;
    }
}

static void test_areas(void **state)
{
    struct fx f;
    struct improvement_areas ar;
    struct err err = ERR_INIT;
    int64_t ids[5];
    (void)state;
    fx_open(&f);
    plant_areas(&f, ids);
    assert_int_equal(loop_areas(f.s, utc_day(2026, 11, 1), utc_day(2026, 12, 1),
                                NULL, 0, &ar, &err),
                     0);
    assert_int_equal(ar.n, 5);
    assert_int_equal(ar.without_theme, 2);
    static const char *const want[5][2] = {{"kundtjanst", "vantetid"},
                                           {"reparation", "bemotande"},
                                           {"app", "app/inlogg"},
                                           {"kundtjanst", "atkomst"},
                                           {"kundtjanst", "bemotande"}};
    static const int64_t want_cases[5] = {3, 3, 1, 1, 1};
    for (int i = 0; i < 5; i++) {
        assert_string_equal(ar.a[i].touchpoint, want[i][0]);
        assert_string_equal(ar.a[i].theme, want[i][1]);
        assert_int_equal(ar.a[i].cases, want_cases[i]);
        assert_true(isnan(ar.a[i].driver_importance));
        assert_int_equal(ar.a[i].window_days, 30);
    }

    const struct improvement_area *a = &ar.a[0];
    assert_int_equal(a->touchpoint_id, f.tp[KT]);
    assert_int_equal(a->open, 2);
    assert_est(&a->nps, 4, 0, -ESTIMATE_Z95 * 50, ESTIMATE_Z95 * 50);
    assert_int_equal(a->improvement_id, ids[1]);
    assert_int_equal(a->done_at, utc_day(2026, 6, 1));
    assert_string_equal(a->title, "Ny kötelefoni");
    assert_nv(&a->nps_before, 40, -25);
    assert_nv(&a->nps_after, 40, 45);
    assert_est(&a->nps_change, 80, 70, 35.56091739187422, 104.43908260812577);
    assert_close(a->nps_change.se, 17.571283390805583, 1e-9, 1e-9);
    assert_true(a->nps_change.lo > 0); /* a real improvement */
    assert_est(&a->mention_before, 40, 50, 35.19952693346538,
               64.80047306653462);
    assert_est(&a->mention_after, 40, 20, 10.499989725437702, 34.7573063463995);
    assert_est(&a->mention_change, 80, -30, -47.587046318526774,
               -9.099471451786204);

    a = &ar.a[1];
    assert_int_equal(a->open, 3);
    /* Y1 and Y2 (the anonymous case has no customer): 1 and 6 */
    assert_nv(&a->nps, 2, -100);
    /* the touchpoint-wide improvement */
    assert_int_equal(a->improvement_id, ids[2]);
    assert_string_equal(a->title, "Nya tider");
    assert_est(&a->nps_change, 40, 10, -41.670241729475364, 61.670241729475364);
    assert_true(a->nps_change.lo < 0 && a->nps_change.hi > 0);
    assert_est(&a->mention_before, 10, 40, 16.818032970623616,
               68.73262302663417);
    assert_est(&a->mention_change, 20, -10, -44.56885295816784,
               28.168553993071875);

    a = &ar.a[2];
    assert_int_equal(a->nps.n, 1); /* Z's own 4 */
    assert_close(a->nps.value, -100, TOL, TOL);
    assert_int_equal(a->improvement_id, 0);
    assert_null(a->title);
    assert_true(isnan(a->nps_change.value));
    /* kundtjanst's other areas take the touchpoint-wide one; its windows
     * hold no responses */
    for (int i = 3; i < 5; i++) {
        a = &ar.a[i];
        assert_int_equal(a->improvement_id, ids[3]);
        assert_string_equal(a->title, "Ny växel");
        assert_int_equal(a->nps.n, 0);
        assert_int_equal(a->nps_before.n, 0);
        assert_true(isnan(a->nps_change.value));
        assert_true(isnan(a->mention_change.value));
    }
    improvement_areas_dispose(&ar);
    improvement_areas_dispose(&ar);

    /* a window of 1 day around D1: nothing was answered in the day
     * before it; the day after holds the 24 answers of 10 */
    assert_int_equal(loop_areas(f.s, utc_day(2026, 11, 1), utc_day(2026, 12, 1),
                                NULL, 1, &ar, &err),
                     0);
    assert_int_equal(ar.a[0].window_days, 1);
    assert_int_equal(ar.a[0].nps_before.n, 0);
    assert_int_equal(ar.a[0].nps_after.n, 24);
    improvement_areas_dispose(&ar);

    assert_int_equal(loop_areas(f.s, 0, 0, NULL, -1, &ar, &err), ERR_INVALID);
    assert_int_equal(ar.n, 0);
    fx_close(&f);
}

static void test_areas_visible(void **state)
{
    struct fx f;
    struct improvement_areas ar;
    struct err err = ERR_INIT;
    int64_t ids[5];
    (void)state;
    fx_open(&f);
    plant_areas(&f, ids);
    /* app's owner: its themed case and one without a theme */
    assert_int_equal(loop_areas(f.s, utc_day(2026, 11, 1), utc_day(2026, 12, 1),
                                "app", 0, &ar, &err),
                     0);
    assert_int_equal(ar.n, 1);
    assert_int_equal(ar.without_theme, 1);
    assert_string_equal(ar.a[0].theme, "app/inlogg");
    assert_int_equal(ar.a[0].cases, 1);
    improvement_areas_dispose(&ar);
    /* the October case shows only with the period open */
    assert_int_equal(loop_areas(f.s, 0, 0, NULL, 0, &ar, &err), 0);
    assert_int_equal(ar.a[0].cases, 4);
    assert_string_equal(ar.a[0].theme, "vantetid");
    improvement_areas_dispose(&ar);
    fx_close(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_by_touchpoint),
        cmocka_unit_test(test_by_team),
        cmocka_unit_test(test_visible_and_period),
        cmocka_unit_test(test_areas),
        cmocka_unit_test(test_areas_visible),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
