/* Customers and their operational events. Each customer draws from its
 * own random streams (one for who they are and what happens to them, one
 * for rent payments), so the population does not depend on the order of
 * generation, and leaving payments out (--no-events) changes nothing
 * else. */
#include <math.h>
#include <stdlib.h>

#include "core/tstamp.h"
#include "core/xalloc.h"
#include "demo/demo_int.h"

#define APPLICANT_SHARE 0.12
#define DIGITAL_CONTRACT_FROM 0.55 /* share signing with BankID, first day */
#define DIGITAL_CONTRACT_GAIN 0.30 /* ... rising by this much to the end */

static int64_t day_of(int64_t utc)
{
    int64_t local = utc + demo_tz_offset(utc) * 60;
    return local >= 0 ? local / DAY : -((-local + DAY - 1) / DAY);
}

static int64_t first_of_month(int64_t day)
{
    int y;
    unsigned m, d;
    tstamp_civil_from_days(day, &y, &m, &d);
    return day - (d - 1);
}

static int64_t next_month(int64_t day)
{
    int y;
    unsigned m, d;
    tstamp_civil_from_days(day, &y, &m, &d);
    return m == 12 ? tstamp_days_from_civil(y + 1, 1, 1)
                   : tstamp_days_from_civil(y, m + 1, 1);
}

static unsigned month_of(int64_t day)
{
    int y;
    unsigned m, d;
    tstamp_civil_from_days(day, &y, &m, &d);
    return m;
}

/* Office hours on a weekday: a weekend day moves to the next Monday. */
static int64_t office_time(struct rng *r, int64_t day)
{
    int wd = demo_weekday(day);
    if (wd >= 5)
        day += 7 - wd;
    return demo_local_to_utc(day * DAY + 9 * HOUR +
                             rng_range(r, 0, 7 * HOUR + 30 * 60));
}

/* Any waking hour, 07:00-22:59. */
static int64_t waking_time(struct rng *r, int64_t day)
{
    return demo_local_to_utc(day * DAY + 7 * HOUR +
                             rng_range(r, 0, 16 * HOUR - 1));
}

struct gen {
    struct demo *d;
    int64_t t0, t_end; /* UTC bounds of the event window */
    uint32_t cust;
    uint16_t seq;
    /* (j), (k): events drawn for the tenancy as it was but cancelled are
     * kept, marked AUX_GONE: those at or after gone_from, or while gone
     * is set (a fault or contact of a day from live_to on). */
    int64_t gone_from;
    int64_t live_to;
    int gone;
    int fresh;     /* (k): marks events AUX_NEW */
    unsigned n_wo; /* (i): work orders so far */
    struct rng rw; /* (i): faults reported again */
};

/* Adds an event if it falls in the event window; returns it or NULL. */
static struct demo_event *emit(struct gen *g, int64_t t, int kind, int channel,
                               int tp, int code, uint32_t val)
{
    struct demo *d = g->d;
    if (t < g->t0 || t >= g->t_end)
        return NULL;
    if (d->n_ev == d->cap_ev)
        d->ev = xgrow(d->ev, &d->cap_ev, d->n_ev + 1, sizeof *d->ev);
    struct demo_event *e = &d->ev[d->n_ev++];
    e->t = t;
    e->cust = g->cust;
    e->val = val;
    e->seq = g->seq++;
    e->kind = (unsigned char)kind;
    e->channel = (unsigned char)channel;
    e->code = (unsigned char)code;
    e->tp = (unsigned char)tp;
    e->aux = (unsigned char)((g->gone || t >= g->gone_from ? AUX_GONE : 0) |
                             (g->fresh ? AUX_NEW : 0));
    e->wo = 0;
    return e;
}

static int choose_district(struct rng *r, int student)
{
    double w[DISTRICT_N];
    for (int i = 0; i < DISTRICT_N; i++)
        w[i] = student ? demo_districts[i].student_weight
                       : demo_districts[i].weight;
    return (int)rng_choice(r, w, DISTRICT_N);
}

/* (k): a tenant moving in during the data has a move-in experience q
 * (normal), which moves NPS at besiktning_in, and a bad one (q < 0) makes
 * them move out 140-420 days after moving in with probability
 * min(1, MOVEIN_LEAVE * (4^-q - 1)), unless they were leaving in that time
 * anyway (90 <= `out` < 420, the days from moving in to the move-out drawn
 * without it). From the customer's own stream; it can only shorten the
 * tenancy. */
static void movein_experience(struct demo *d, uint32_t i, int64_t out)
{
    struct demo_customer *c = &d->cust[i];
    struct rng r;
    rng_seed_stream(&r, d->o->seed, STREAM_MOVEIN + ((uint64_t)i << 8));
    double q = rng_normal(&r, 0, 1);
    double pts = floor(MOVEIN_NPS_PER_SD * q + 0.5);
    c->movein = (signed char)(pts < -120 ? -120 : pts > 120 ? 120 : pts);
    if (q >= 0 || (out >= 90 && out < 420))
        return; /* not worse, or leaving in that year anyway */
    if (!rng_bernoulli(&r, MOVEIN_LEAVE * (pow(4, -q) - 1)))
        return;
    int64_t leave = c->start_day + rng_range(&r, 140, 419);
    if (leave >= d->day_end)
        return;
    int64_t end = next_month(leave);
    if (end <= d->day_end && end < c->end_day)
        c->end_day = (int32_t)end;
}

static void make_customer(struct demo *d, uint32_t i)
{
    static const double seg_w[SEG_N] = {0.14, 0.17, 0.22, 0.15, 0.16, 0.16};
    static const double base_area[5] = {34, 56, 74, 91, 108};
    struct demo_customer *c = &d->cust[i];
    struct rng r;
    rng_seed_stream(&r, d->o->seed, STREAM_CUSTOMER + ((uint64_t)i << 8));

    int seg = (int)rng_choice(&r, seg_w, SEG_N);
    const struct demo_segment *s = &demo_segments[seg];
    c->seg = (unsigned char)seg;
    c->age_band = (unsigned char)rng_choice(&r, s->age, 6);
    c->english = (unsigned char)rng_bernoulli(&r, s->english);
    c->district = (unsigned char)choose_district(&r, seg == SEG_STUDENT);
    c->rooms = (unsigned char)(1 + rng_choice(&r, s->rooms, 5));
    double area =
        (seg == SEG_STUDENT && c->rooms == 1 ? 24 : base_area[c->rooms - 1]) *
        (1 + rng_normal(&r, 0, 0.08));
    c->area = (uint16_t)(area < 18 ? 18 : floor(area + 0.5));
    double rate = demo_districts[c->district].rent_per_sqm *
                  (seg == SEG_STUDENT ? 1.45 : 1.0);
    double rent = c->area * rate / 12 * (1 + rng_normal(&r, 0, 0.04));
    c->rent_ore = (uint32_t)floor(rent * 100 + 0.5);
    double shift = floor(rng_normal(&r, 0, 12) + 0.5);
    c->shift = (signed char)(shift < -30 ? -30 : shift > 30 ? 30 : shift);
    c->late_payer = (unsigned char)rng_bernoulli(&r, 0.06);
    /* Its own stream, so that the rest of the population is as before. */
    struct rng rh;
    rng_seed_stream(&rh, d->o->seed, STREAM_HOUSEHOLD + ((uint64_t)i << 8));
    c->household = (unsigned char)(1 + rng_choice(&rh, s->household, 6));

    c->start_day = c->was_start = NO_DAY;
    c->end_day = c->was_end = NEVER;
    c->notice_t = INT64_MAX;
    if (rng_bernoulli(&r, APPLICANT_SHARE))
        return;
    /* Time since moving in, counted back from a little after the window:
     * some contracts are signed for a move-in after the window ends. */
    int64_t start =
        d->day_end + 90 -
        (int64_t)floor(rng_exponential(&r, s->tenure_years * 365.25));
    int64_t oldest = tstamp_days_from_civil(1968, 1, 1);
    if (start < oldest)
        start = oldest;
    start = first_of_month(start);
    if (seg == SEG_STUDENT && rng_bernoulli(&r, 0.6)) {
        /* Students move in for the autumn or the spring term. */
        int y;
        unsigned m, dd;
        tstamp_civil_from_days(start, &y, &m, &dd);
        int64_t term = m >= 4 && m <= 10 ? tstamp_days_from_civil(y, 8, 1)
                       : m >= 11         ? tstamp_days_from_civil(y + 1, 1, 1)
                                         : tstamp_days_from_civil(y, 1, 1);
        if (term <= d->day_end + 90)
            start = term;
    }
    c->start_day = (int32_t)start;
    int64_t from = start > d->ev_day0 ? start : d->ev_day0;
    int64_t out =
        from + (int64_t)floor(rng_exponential(&r, 365.25 / s->moves_per_year));
    if (out >= start + 90 && out < d->day_end) {
        int64_t end = next_month(out); /* contracts end with a month */
        if (end <= d->day_end)
            c->end_day = (int32_t)end;
    }
    c->was_start = c->start_day;
    c->was_end = c->end_day;
    if (start > d->ev_day0 && start < d->day_end)
        movein_experience(d, i, out - start);
}

static double season_factor(int64_t day)
{
    unsigned m = month_of(day);
    return m == 7 ? 1.5 : 1.0; /* the summer holiday backlog */
}

static int in_broken(const struct demo *d, int64_t day)
{
    return day >= d->broken0 && day < d->broken_end;
}

static void make_fault(struct gen *g, struct rng *r, int64_t day)
{
    struct demo *d = g->d;
    g->gone = day >= g->live_to;
    double cat_w[FAULT_CAT_N];
    for (int i = 0; i < FAULT_CAT_N; i++)
        cat_w[i] = demo_fault_cats[i].weight;
    /* In the broken-login month tenants phone in what they would have
     * reported in the app: a channel switch visible in the events. */
    double digital = demo_segments[d->cust[g->cust].seg].digital;
    int app =
        rng_bernoulli(r, in_broken(d, day) ? digital * 0.25 / 0.60 : digital);
    int cat = (int)rng_choice(r, cat_w, FAULT_CAT_N);
    const struct demo_fault_cat *fc = &demo_fault_cats[cat];
    int obj = fc->first + (int)rng_below(r, fc->count);
    double res =
        fc->median_hours * exp(rng_normal(r, 0, 0.9)) * season_factor(day);
    if (res < 1)
        res = 1;
    if (res > 2000)
        res = 2000;
    uint32_t tenths = (uint32_t)floor(res * 10 + 0.5);
    int64_t t = app ? waking_time(r, day) : office_time(r, day);
    int64_t fixed = t + (int64_t)tenths * 360;
    /* (i): the report, a report again, the follow-up calls and the repair
     * share one work order. */
    unsigned char wo = g->n_wo < 255 ? (unsigned char)++g->n_wo : 0;
    /* A fault still open when the data ends has no resolution yet. */
    struct demo_event *e = emit(g, t, EV_FAULT, app ? CH_APP : CH_PHONE,
                                app ? TP_FELANMALAN_APP : TP_FELANMALAN_TEL,
                                obj, fixed < g->t_end ? tenths : 0);
    if (e) {
        e->wo = wo;
        int live = !(e->aux & AUX_GONE);
        int band = demo_fault_band(tenths / 10.0);
        unsigned char again = 0;
        if (rng_bernoulli(&g->rw, demo_again_share[band])) {
            /* Reported again while waiting, in the app or by phone. */
            int64_t tr = t + (int64_t)((0.2 + 0.7 * rng_uniform(&g->rw)) *
                                       (double)(fixed - t));
            int ch = app && rng_bernoulli(&g->rw, 0.5) ? CH_APP : CH_PHONE;
            int64_t when = ch == CH_APP ? waking_time(&g->rw, day_of(tr))
                                        : office_time(&g->rw, day_of(tr));
            if (when <= t || when >= fixed)
                when = tr;
            e = emit(g, when, EV_FAULT, ch,
                     ch == CH_APP ? TP_FELANMALAN_APP : TP_FELANMALAN_TEL, obj,
                     fixed < g->t_end ? tenths : 0);
            if (e) {
                e->wo = wo;
                again = AUX_AGAIN;
            }
        }
        e = emit(g, fixed, EV_REPAIR, CH_ONSITE, TP_REPARATION, obj, tenths);
        if (e) {
            e->aux |= (unsigned char)((app ? CH_APP : CH_PHONE) | again);
            e->wo = wo;
            if (live && !(e->aux & AUX_GONE)) {
                d->wo_n[band]++;
                d->wo_again[band] += again != 0;
            }
        }
    }
    /* Slow repairs make tenants call again: repeated contacts. */
    if (res > 72) {
        unsigned k = rng_poisson(r, res / 150);
        if (k > 6)
            k = 6;
        for (unsigned j = 0; j < k; j++) {
            int64_t tc = t + (int64_t)(rng_uniform(r) * res * HOUR);
            int64_t tcd = day_of(tc);
            double u = rng_uniform(r);
            int ch = u < 0.7 ? CH_PHONE : u < 0.9 ? CH_APP : CH_OFFICE;
            int64_t when =
                ch == CH_APP ? waking_time(r, tcd) : office_time(r, tcd);
            if (when < fixed) {
                e = emit(g, when, EV_CONTACT, ch,
                         ch == CH_PHONE    ? TP_KUNDSERVICE_TEL
                         : ch == CH_OFFICE ? TP_KUNDCENTER
                                           : 0xff,
                         REASON_FAULT_FOLLOWUP, 1);
                if (e)
                    e->wo = wo;
            }
        }
    }
}

static void make_contact(struct gen *g, struct rng *r, int64_t day, int reason)
{
    g->gone = day >= g->live_to;
    /* Overall 20% app, 15% web, 50% phone, 15% office; the digital part
     * scales with the segment's preference (personas). */
    double dig = 0.35 / 0.60 * demo_segments[g->d->cust[g->cust].seg].digital;
    double u = rng_uniform(r);
    int ch = u < dig * 0.2 / 0.35               ? CH_APP
             : u < dig                          ? CH_WEB
             : u < dig + (1 - dig) * 0.5 / 0.65 ? CH_PHONE
                                                : CH_OFFICE;
    if (reason == REASON_LOGIN && ch == CH_APP)
        ch = CH_PHONE; /* the app is what does not work */
    int64_t t = ch == CH_PHONE || ch == CH_OFFICE ? office_time(r, day)
                                                  : waking_time(r, day);
    int tp = ch == CH_PHONE    ? TP_KUNDSERVICE_TEL
             : ch == CH_OFFICE ? TP_KUNDCENTER
                               : 0xff;
    emit(g, t, EV_CONTACT, ch, tp, reason, 0);
    /* Unresolved questions come back: a repeated contact. */
    double again = reason == REASON_LOGIN ? 0.4 : 0.2;
    if (rng_bernoulli(r, again)) {
        int64_t d2 = day + rng_range(r, 1, 7);
        emit(g, office_time(r, d2), EV_CONTACT, CH_PHONE, TP_KUNDSERVICE_TEL,
             reason, 1);
    }
}

/* Notice and the move-out inspection of a tenancy ending before `end`. */
static void leave_events(struct gen *g, struct rng *r, int64_t end)
{
    int64_t notice = end - rng_range(r, 92, 120);
    int web = rng_bernoulli(r, 0.8);
    emit(g, web ? waking_time(r, notice) : office_time(r, notice), EV_NOTICE,
         web ? CH_WEB : CH_OFFICE, TP_UPPSAGNING, 0, 0);
    int64_t last = end - 1;
    while (demo_weekday(last) >= 5)
        last--;
    emit(g, office_time(r, last), EV_MOVE_OUT, CH_ONSITE, TP_BESIKTNING_UT, 0,
         0);
}

/* A customer's events, drawn for the tenancy as make_customer drew it
 * (was_start, was_end); what (j) and (k) cancelled is kept but marked
 * AUX_GONE, so that the responses draw as before. */
static void make_events(struct demo *d, uint32_t i)
{
    struct demo_customer *c = &d->cust[i];
    const struct demo_segment *s = &demo_segments[c->seg];
    struct gen g = {d,
                    demo_local_to_utc(d->ev_day0 * DAY),
                    demo_local_to_utc(d->day_end * DAY),
                    i,
                    0,
                    INT64_MAX,
                    NEVER,
                    0,
                    0,
                    0,
                    {{0}, 0, 0}};
    struct rng r;
    rng_seed_stream(&r, d->o->seed, STREAM_EVENTS + ((uint64_t)i << 8));
    rng_seed_stream(&g.rw, d->o->seed, STREAM_WORKORDER + ((uint64_t)i << 8));
    int64_t span = d->day_end - d->ev_day0;

    if (c->was_start == NO_DAY) { /* an applicant: viewings only */
        int k = 1 + (int)rng_below(&r, 3);
        for (int j = 0; j < k; j++)
            emit(&g, office_time(&r, d->ev_day0 + rng_range(&r, 0, span - 1)),
                 EV_VIEWING, CH_ONSITE, TP_VISNING, 0, 0);
        return;
    }
    int64_t start = c->was_start;
    if (start > d->ev_day0) { /* moved in during the data: the way in */
        int64_t view = start - rng_range(&r, 25, 60);
        int extra = rng_bernoulli(&r, 0.35) + rng_bernoulli(&r, 0.1);
        for (int j = 0; j < extra; j++)
            emit(&g, office_time(&r, view - rng_range(&r, 7, 40)), EV_VIEWING,
                 CH_ONSITE, TP_VISNING, 0, 0);
        emit(&g, office_time(&r, view), EV_VIEWING, CH_ONSITE, TP_VISNING, 0,
             0);
        int64_t sign = start - rng_range(&r, 10, 24);
        double frac = (double)(sign - d->day0) / (double)(d->day_end - d->day0);
        frac = frac < 0 ? 0 : frac > 1 ? 1 : frac;
        int web = rng_bernoulli(&r, DIGITAL_CONTRACT_FROM +
                                        DIGITAL_CONTRACT_GAIN * frac);
        int64_t ts = web ? waking_time(&r, sign) : office_time(&r, sign);
        if (web && view >= d->link_day) {
            /* (j): the link expired before they signed; the apartment
             * went to the next in the queue. */
            struct rng rl;
            rng_seed_stream(&rl, d->o->seed, STREAM_LINK + ((uint64_t)i << 8));
            if (rng_bernoulli(&rl, LINK_LOST_SHARE)) {
                c->lost = 1;
                g.gone_from = ts;
            }
        }
        emit(&g, ts, EV_CONTRACT, web ? CH_WEB : CH_OFFICE,
             web ? TP_KONTRAKT_DIGITAL : TP_KONTRAKT_KONTOR, 0, 0);
        /* Keys on the first, or the last weekday before it. */
        int64_t keys = start;
        while (demo_weekday(keys) >= 5)
            keys--;
        emit(&g, office_time(&r, keys), EV_MOVE_IN, CH_OFFICE, TP_NYCKEL, 0, 0);
        emit(&g, office_time(&r, start + rng_range(&r, 0, 6)), EV_INSPECTION,
             CH_ONSITE, TP_BESIKTNING_IN, 0, 0);
    }

    int64_t from = start > d->ev_day0 ? start : d->ev_day0;
    int64_t to = c->was_end < d->day_end ? c->was_end : d->day_end;
    g.live_to = c->end_day < d->day_end ? c->end_day : d->day_end;
    if (from < to) {
        double years = (double)(to - from) / 365.25;
        unsigned k = rng_poisson(&r, s->faults_per_year * years);
        for (unsigned j = 0; j < k; j++)
            make_fault(&g, &r, from + rng_range(&r, 0, to - from - 1));
        k = rng_poisson(&r, 2.5 * years);
        for (unsigned j = 0; j < k; j++)
            make_contact(
                &g, &r, from + rng_range(&r, 0, to - from - 1),
                (int)rng_choice(&r, demo_contact_reason_weight, REASON_N));
        /* The broken login sends tenants to the phone. */
        int64_t b0 = from > d->broken0 ? from : d->broken0;
        int64_t b1 = to < d->broken_end ? to : d->broken_end;
        if (b0 < b1 && rng_bernoulli(&r, 0.15))
            make_contact(&g, &r, b0 + rng_range(&r, 0, b1 - b0 - 1),
                         REASON_LOGIN);
        if (c->seg == SEG_STUDENT) { /* yearly renewal of the contract */
            int y;
            unsigned m, dd;
            tstamp_civil_from_days(start, &y, &m, &dd);
            for (int k2 = 1;; k2++) {
                int64_t ren = tstamp_days_from_civil(y + k2, m, 1) -
                              rng_range(&r, 10, 40);
                if (ren >= to)
                    break;
                g.gone = ren >= g.live_to;
                if (ren >= from)
                    emit(&g, waking_time(&r, ren), EV_RENEWAL, CH_WEB,
                         TP_FORLANGNING, 0, 0);
            }
        }
    }
    /* Moving out as drawn, then (k)'s earlier move-out in its place. */
    g.gone = c->end_day != c->was_end && !c->lost;
    if (c->was_end != NEVER)
        leave_events(&g, &r, c->was_end);
    g.gone = 0;
    if (c->end_day != c->was_end && !c->lost) {
        g.fresh = 1;
        leave_events(&g, &r, c->end_day);
        g.fresh = 0;
    }
    d->wo_first[i] = g.n_wo;
    if (c->lost) { /* an applicant who never signed */
        c->start_day = NO_DAY;
        c->end_day = NEVER;
    }

    if (!d->o->events)
        return;
    /* Rent is paid in advance, due the last weekday before the month. */
    struct rng p;
    rng_seed_stream(&p, d->o->seed, STREAM_PAYMENTS + ((uint64_t)i << 8));
    for (int64_t m = first_of_month(from); m < to; m = next_month(m)) {
        if (m < start)
            continue;
        int64_t due = m - 1;
        while (demo_weekday(due) >= 5)
            due--;
        double late_p = c->late_payer ? 0.35 : 0.025;
        uint32_t late = 0;
        if (rng_bernoulli(&p, late_p))
            late = 1 + rng_poisson(&p, c->late_payer ? 8 : 4);
        int64_t t = late ? waking_time(&p, due + late)
                         : demo_local_to_utc(due * DAY + 6 * HOUR +
                                             rng_range(&p, 0, 59 * 60));
        g.gone = m >= g.live_to;
        emit(&g, t, EV_PAYMENT, CH_NONE, TP_HYRESAVI, 0, late);
    }
}

static int event_cmp(const void *a, const void *b)
{
    const struct demo_event *x = a, *y = b;
    if (x->t != y->t)
        return x->t < y->t ? -1 : 1;
    if (x->cust != y->cust)
        return x->cust < y->cust ? -1 : 1;
    return (x->seq > y->seq) - (x->seq < y->seq);
}

static void anchor_add(struct demo_anchors *l, const struct demo_event *e)
{
    if (l->n == l->cap)
        l->a = xgrow(l->a, &l->cap, l->n + 1, sizeof *l->a);
    struct demo_anchor *a = &l->a[l->n++];
    a->t = e->t;
    a->cust = e->cust;
    a->val = e->val;
    a->code = e->code;
    a->aux = e->aux & (AUX_GONE | AUX_AGAIN | AUX_NEW);
    l->n_new += (e->aux & AUX_NEW) != 0;
}

static void build_anchors(struct demo *d)
{
    for (size_t i = 0; i < d->n_ev; i++) {
        const struct demo_event *e = &d->ev[i];
        switch (e->kind) {
        case EV_VIEWING:
            anchor_add(&d->an[AN_VIEWING], e);
            break;
        case EV_CONTRACT:
            anchor_add(&d->an[e->channel == CH_WEB ? AN_CONTRACT_WEB
                                                   : AN_CONTRACT_OFFICE],
                       e);
            break;
        case EV_MOVE_IN:
            anchor_add(&d->an[AN_MOVE_IN], e);
            break;
        case EV_INSPECTION:
            anchor_add(&d->an[AN_INSPECTION], e);
            break;
        case EV_REPAIR:
            anchor_add(&d->an[AN_REPAIR], e);
            anchor_add(
                &d->an[(e->aux & AUX_CHANNEL) == CH_APP ? AN_REPAIR_APP
                                                        : AN_REPAIR_PHONE],
                e);
            break;
        case EV_CONTACT:
            if (e->channel == CH_PHONE)
                anchor_add(&d->an[AN_CONTACT_PHONE], e);
            else if (e->channel == CH_OFFICE)
                anchor_add(&d->an[AN_CONTACT_OFFICE], e);
            break;
        case EV_RENEWAL:
            anchor_add(&d->an[AN_RENEWAL], e);
            break;
        case EV_NOTICE:
            anchor_add(&d->an[AN_NOTICE], e);
            break;
        case EV_MOVE_OUT:
            anchor_add(&d->an[AN_MOVE_OUT], e);
            break;
        default:
            break;
        }
    }
    for (int k = 0; k < AN_N; k++) {
        struct demo_anchors *l = &d->an[k];
        if (!l->n_new)
            continue;
        l->orig = xmalloc((l->n + 1) * sizeof *l->orig);
        l->orig[0] = 0;
        for (size_t j = 0; j < l->n; j++)
            l->orig[j + 1] = l->orig[j] + !(l->a[j].aux & AUX_NEW);
    }
}

/* (i): work orders get their AO numbers in the order they first appear
 * in the data; and each customer's notice time, for (k). */
static void number_work_orders(struct demo *d)
{
    uint32_t total = 0;
    for (size_t i = 0; i < d->n_cust; i++) {
        uint32_t n = d->wo_first[i];
        d->wo_first[i] = total;
        total += n;
    }
    d->wo_first[d->n_cust] = total;
    d->wo_num = xcalloc(total ? total : 1, sizeof *d->wo_num);
    uint32_t next = 0;
    for (size_t i = 0; i < d->n_ev; i++) {
        const struct demo_event *e = &d->ev[i];
        if (e->aux & AUX_GONE)
            continue;
        if (e->wo) {
            uint32_t *num = &d->wo_num[d->wo_first[e->cust] + e->wo - 1];
            if (!*num)
                *num = ++next;
        }
        if (e->kind == EV_NOTICE)
            d->cust[e->cust].notice_t = e->t;
    }
}

void demo_people_generate(struct demo *d)
{
    d->n_cust = (size_t)d->o->customers;
    d->cust = xcalloc(d->n_cust, sizeof *d->cust);
    d->wo_first = xcalloc(d->n_cust + 1, sizeof *d->wo_first);
    d->link_day = tstamp_days_from_civil(DEMO_LINK_YEAR, DEMO_LINK_MONTH, 1);
    for (uint32_t i = 0; i < d->n_cust; i++)
        make_customer(d, i);
    for (uint32_t i = 0; i < d->n_cust; i++)
        make_events(d, i);
    if (d->n_ev)
        qsort(d->ev, d->n_ev, sizeof *d->ev, event_cmp);
    number_work_orders(d);
    build_anchors(d);
}

void demo_funnel_count(const struct demo *d, struct demo_funnel_count out[2])
{
    int64_t link = demo_local_to_utc(d->link_day * DAY);
    int64_t *last = xmalloc(d->n_cust * sizeof *last);
    /* 1 contract, 2 move-in, 4 a contract in the data lost to the link */
    unsigned char *got = xcalloc(d->n_cust, 1);
    for (size_t i = 0; i < d->n_cust; i++)
        last[i] = INT64_MIN;
    for (size_t i = 0; i < d->n_ev; i++) {
        const struct demo_event *e = &d->ev[i];
        if (e->aux & AUX_GONE) {
            if (e->kind == EV_CONTRACT && d->cust[e->cust].lost)
                got[e->cust] |= 4;
            continue;
        }
        if (e->kind == EV_VIEWING)
            last[e->cust] = e->t;
        else if (e->kind == EV_CONTRACT)
            got[e->cust] |= 1;
        else if (e->kind == EV_MOVE_IN)
            got[e->cust] |= 2;
    }
    memset(out, 0, 2 * sizeof *out);
    for (size_t i = 0; i < d->n_cust; i++) {
        if (last[i] == INT64_MIN)
            continue;
        struct demo_funnel_count *f = &out[last[i] >= link];
        f->viewed++;
        f->signed_ += got[i] & 1;
        f->moved_in += (got[i] & 2) != 0;
        f->lost += (got[i] & 4) != 0;
    }
    free(last);
    free(got);
}

void demo_people_free(struct demo *d)
{
    free(d->cust);
    free(d->ev);
    free(d->wo_first);
    free(d->wo_num);
    d->wo_first = d->wo_num = NULL;
    for (int i = 0; i < AN_N; i++) {
        free(d->an[i].a);
        free(d->an[i].orig);
    }
    d->cust = NULL;
    d->ev = NULL;
}

static int cust_width(const struct demo *d)
{
    return d->n_cust > 999999 ? 8 : 6;
}

void demo_customers_write(struct demo *d, struct demo_out *w,
                          demo_progress_fn progress, void *ctx)
{
    int width = cust_width(d);
    demo_out_puts(w, "id,segment,status,district,rooms,area_sqm,rent,"
                     "tenancy_start,tenancy_end,age_band,language,household\n");
    for (size_t i = 0; i < d->n_cust; i++) {
        const struct demo_customer *c = &d->cust[i];
        demo_out_id(w, 'K', i + 1, width);
        demo_out_putc(w, ',');
        demo_out_puts(w, demo_segments[c->seg].name);
        demo_out_putc(w, ',');
        demo_out_puts(w, c->start_day == NO_DAY       ? "sökande"
                         : c->start_day >= d->day_end ? "kommande"
                         : c->end_day != NEVER        ? "avflyttad"
                                                      : "hyresgäst");
        demo_out_putc(w, ',');
        demo_out_puts(w, demo_districts[c->district].name);
        demo_out_putc(w, ',');
        if (c->start_day != NO_DAY) {
            demo_out_u64(w, c->rooms);
            demo_out_putc(w, ',');
            demo_out_u64(w, c->area);
            demo_out_putc(w, ',');
            demo_out_fixed(w, c->rent_ore / 100.0, 2);
            demo_out_putc(w, ',');
            demo_out_date(w, c->start_day);
            demo_out_putc(w, ',');
            if (c->end_day != NEVER)
                demo_out_date(w, c->end_day - 1);
        } else {
            demo_out_puts(w, ",,,,");
        }
        demo_out_putc(w, ',');
        demo_out_puts(w, demo_age_band[c->age_band]);
        demo_out_puts(w, c->english ? ",en," : ",sv,");
        demo_out_u64(w, c->household);
        demo_out_putc(w, '\n');
        w->rows++;
        if (progress && (w->rows & 0xffff) == 0)
            progress(ctx, "customers.csv", w->rows, d->n_cust);
    }
    if (progress)
        progress(ctx, "customers.csv", w->rows, d->n_cust);
}

void demo_events_write(struct demo *d, struct demo_out *w,
                       demo_progress_fn progress, void *ctx)
{
    int width = cust_width(d);
    demo_out_puts(w, "id,customer,activity,time,touchpoint,channel,"
                     "resolution_hours,category,reason,repeat,amount,"
                     "days_late,district,team,arbetsorder\n");
    for (size_t i = 0; i < d->n_ev; i++) {
        const struct demo_event *e = &d->ev[i];
        const struct demo_customer *c = &d->cust[e->cust];
        if (e->aux & AUX_GONE)
            continue;
        demo_out_id(w, 'E', w->rows + 1, 8);
        demo_out_putc(w, ',');
        demo_out_id(w, 'K', (uint64_t)e->cust + 1, width);
        demo_out_putc(w, ',');
        demo_out_puts(w, demo_activity_name[e->kind]);
        demo_out_putc(w, ',');
        demo_out_time(w, e->t);
        demo_out_putc(w, ',');
        if (e->tp != 0xff)
            demo_out_puts(w, demo_touchpoints[e->tp].key);
        demo_out_putc(w, ',');
        demo_out_puts(w, demo_channel_name[e->channel]);
        demo_out_putc(w, ',');
        /* resolution_hours, category */
        if (e->kind == EV_FAULT || e->kind == EV_REPAIR) {
            if (e->val)
                demo_out_fixed(w, e->val / 10.0, 1);
            demo_out_putc(w, ',');
            int cat = 0;
            while (cat + 1 < FAULT_CAT_N &&
                   e->code >= demo_fault_cats[cat + 1].first)
                cat++;
            demo_out_puts(w, demo_fault_cats[cat].key);
        } else {
            demo_out_putc(w, ',');
        }
        demo_out_putc(w, ',');
        /* reason, repeat */
        if (e->kind == EV_CONTACT) {
            demo_out_puts(w, demo_contact_reason[e->code]);
            demo_out_puts(w, e->val ? ",1" : ",0");
        } else {
            demo_out_putc(w, ',');
        }
        demo_out_putc(w, ',');
        /* amount, days_late */
        if (e->kind == EV_PAYMENT) {
            demo_out_fixed(w, c->rent_ore / 100.0, 2);
            demo_out_putc(w, ',');
            demo_out_u64(w, e->val);
        } else {
            demo_out_putc(w, ',');
        }
        demo_out_putc(w, ',');
        /* district, team */
        if (e->kind == EV_VIEWING) {
            const struct demo_district *dd = &demo_districts[c->district];
            demo_out_puts(w, dd->name);
            demo_out_putc(w, ',');
            demo_out_puts(w, demo_teams[dd->team].name);
        } else {
            demo_out_putc(w, ',');
        }
        demo_out_putc(w, ',');
        if (e->wo) {
            demo_out_put(w, "AO", 2);
            demo_out_id(w, '-', d->wo_num[d->wo_first[e->cust] + e->wo - 1], 6);
        }
        demo_out_putc(w, '\n');
        w->rows++;
        if (progress && (w->rows & 0xffff) == 0)
            progress(ctx, "events.csv", w->rows, d->n_ev);
    }
    if (progress)
        progress(ctx, "events.csv", w->rows, d->n_ev);
}
