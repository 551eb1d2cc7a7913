#include "cxworld.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

#include "colstore/colstore.h"
#include "core/err.h"
#include "core/tstamp.h"
#include "store/model.h"

const char *const cxw_segments[3] = {"Student", "Family", "Senior"};
const char *const cxw_activities[3] = {"fault_report", "contact", "flight"};
const char *const cxw_teams[3] = {"Norr", "Syd", "Öst"};
const char *const cxw_cities[CXW_CITIES] = {
    "Uppsala", "Stockholm", "Göteborg", "Malmö",   "Umeå",
    "Luleå",   "Visby",     "Ystad",    "Örebro", "Falun, centrum"};

#define YEAR_START 1704067200 /* 2024-01-01T00:00:00Z */
#define YEAR_SECONDS (366 * 86400)

static int draw_nps(struct gen *g, double t)
{
    if (t > 72)
        t = 72;
    if (t < -72)
        t = -72;
    double pro = (0.72 + t / 100) / 2, det = (0.72 - t / 100) / 2;
    double u = gen_unit(g);
    if (u < pro)
        return gen_range(g, 9, 10);
    if (u < pro + det)
        return gen_range(g, 0, 6);
    return gen_range(g, 7, 8);
}

int cxw_segment_at(const struct cxworld *w, int c, int64_t ts)
{
    const struct cxw_customer *k = &w->cust[c];
    return ts >= k->seg_change ? k->seg1 : k->seg0;
}

static int cmp_event(const void *a, const void *b)
{
    const struct cxw_event *x = a, *y = b;
    if (x->customer != y->customer)
        return x->customer < y->customer ? -1 : 1;
    if (x->ts != y->ts)
        return x->ts < y->ts ? -1 : 1;
    return x->id < y->id ? -1 : x->id > y->id;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

double cxw_feature(const struct cxworld *w, const struct cxw_response *r,
                   int activity, const char *agg, int64_t from, int64_t to)
{
    if (r->customer < 0)
        return NAN;
    double sum = 0, mn = INFINITY, mx = -INFINITY, latest = NAN, first = NAN;
    int count = 0, k = 0, seen = 0;
    for (size_t i = w->ev_first[r->customer];
         i < w->ev_first[r->customer + 1]; i++) {
        const struct cxw_event *e = &w->ev[i];
        if (e->activity != activity)
            continue;
        if (from != INT64_MIN && e->ts < r->ts + from)
            continue;
        if (e->ts > r->ts + to)
            continue;
        count++;
        if (!seen)
            first = e->value;
        latest = e->value; /* events are in time order */
        seen = 1;
        if (isnan(e->value))
            continue;
        k++;
        sum += e->value;
        mn = fmin(mn, e->value);
        mx = fmax(mx, e->value);
    }
    if (!strcmp(agg, "count"))
        return count;
    if (!strcmp(agg, "values"))
        return k;
    if (!strcmp(agg, "sum"))
        return sum;
    if (!strcmp(agg, "min"))
        return k ? mn : NAN;
    if (!strcmp(agg, "max"))
        return k ? mx : NAN;
    if (!strcmp(agg, "mean"))
        return k ? sum / k : NAN;
    if (!strcmp(agg, "first"))
        return first;
    return latest;
}

/* The customer's latest event of an activity at or before ts, or NULL. */
static const struct cxw_event *latest_before(const struct cxworld *w, int c,
                                             int activity, int64_t from,
                                             int64_t ts)
{
    const struct cxw_event *best = NULL;
    for (size_t i = w->ev_first[c]; i < w->ev_first[c + 1]; i++) {
        const struct cxw_event *e = &w->ev[i];
        if (e->activity == activity && e->ts <= ts && e->ts >= from)
            best = e;
    }
    return best;
}

static void build_store(struct cxworld *w)
{
    struct err err = ERR_INIT;
    struct colstore *cs = w->cs = colstore_new();
    int jh = colstore_add_journey(cs, "hyra", "Hyra", &err);
    int js = colstore_add_journey(cs, "soka", "Söka", &err);
    int sb = colstore_add_stage(cs, jh, "boende", "Boende", 0, &err);
    int sv = colstore_add_stage(cs, js, "visa", "Visa", 0, &err);
    w->tp[0] = colstore_add_touchpoint(cs, sb, "felanmalan_app",
                                       "Felanmälan i appen", &err);
    w->tp[1] = colstore_add_touchpoint(cs, sb, "reparation", "Reparation",
                                       &err);
    w->tp[2] = colstore_add_touchpoint(cs, sv, "visning", "Visning", &err);
    static const char *const alias[] = {"Felanmälan app"};
    struct colstore_tpinfo t0 = {"Fastighetsskötsel", 0, 0, LIFECYCLE_USE,
                                 alias, 1};
    struct colstore_tpinfo t1 = {"Fastighetsskötsel", 1, 1, LIFECYCLE_USE,
                                 NULL, 0};
    struct colstore_tpinfo t2 = {"Uthyrning", 1, 1, LIFECYCLE_ATTRACT, NULL,
                                 0};
    colstore_set_tpinfo(cs, w->tp[0], &t0, &err);
    colstore_set_tpinfo(cs, w->tp[1], &t1, &err);
    colstore_set_tpinfo(cs, w->tp[2], &t2, &err);
    int ch = colstore_intern(cs, DIM_CHANNEL, "app", &err);
    int lang = colstore_intern(cs, DIM_LANGUAGE, "sv", &err);
    for (int s = 0; s < 3; s++)
        w->seg[s] = colstore_intern(cs, DIM_SEGMENT, cxw_segments[s], &err);
    assert_int_equal(err.code, 0);

    /* customers, their segment history and attributes */
    for (size_t i = 0; i < w->n_cust; i++) {
        const struct cxw_customer *c = &w->cust[i];
        int now = c->seg_change == INT64_MAX ? c->seg0 : c->seg1;
        assert_int_equal(colstore_add_customer(cs, c->id,
                                               now >= 0 ? cxw_segments[now]
                                                        : NULL,
                                               &err),
                         (int)i);
        if (c->seg0 >= 0 || c->seg_change != INT64_MAX)
            assert_int_equal(colstore_add_segment_change(
                                 cs, i, INT64_MIN,
                                 c->seg0 >= 0 ? cxw_segments[c->seg0] : NULL,
                                 &err),
                             0);
        if (c->seg_change != INT64_MAX)
            assert_int_equal(colstore_add_segment_change(
                                 cs, i, c->seg_change,
                                 c->seg1 >= 0 ? cxw_segments[c->seg1] : NULL,
                                 &err),
                             0);
    }
    int age = colstore_col_add(cs, COLSTORE_CUSTOMERS, "age", COLSTORE_NUM,
                               NAN, &err);
    int city = colstore_col_add(cs, COLSTORE_CUSTOMERS, "city", COLSTORE_CAT,
                                NAN, &err);
    int cls = colstore_col_add(cs, COLSTORE_CUSTOMERS, "class", COLSTORE_CAT,
                               NAN, &err);
    for (size_t i = 0; i < w->n_cust; i++) {
        const struct cxw_customer *c = &w->cust[i];
        const char *cn = cxw_cities[c->city];
        const char *cl = c->business ? "Business" : "Eco";
        assert_int_equal(
            colstore_col_set_num(cs, COLSTORE_CUSTOMERS, age, i, c->age, &err),
            0);
        assert_int_equal(colstore_col_set_label(cs, COLSTORE_CUSTOMERS, city,
                                                i, cn, strlen(cn), &err),
                         0);
        assert_int_equal(colstore_col_set_label(cs, COLSTORE_CUSTOMERS, cls,
                                                i, cl, strlen(cl), &err),
                         0);
    }

    /* events */
    for (size_t i = 0; i < w->n_ev; i++) {
        const struct cxw_event *e = &w->ev[i];
        struct colstore_event x = {e->id, e->customer,
                                   e->ts, 0,
                                   cxw_activities[e->activity],
                                   e->activity == 0 ? w->tp[0] : -1,
                                   -1};
        assert_int_equal(colstore_add_event(cs, &x, &err), 0);
    }
    colstore_mark_events_loaded(cs);
    int res = colstore_col_add(cs, COLSTORE_EVENTS, "resolution_hours",
                               COLSTORE_NUM, NAN, &err);
    int delay = colstore_col_add(cs, COLSTORE_EVENTS, "departure_delay",
                                 COLSTORE_NUM, NAN, &err);
    int team = colstore_col_add(cs, COLSTORE_EVENTS, "team", COLSTORE_CAT,
                                NAN, &err);
    for (size_t i = 0; i < w->n_ev; i++) {
        const struct cxw_event *e = &w->ev[i];
        if (e->activity == 0 && !isnan(e->value))
            colstore_col_set_num(cs, COLSTORE_EVENTS, res, i, e->value, &err);
        if (e->activity == 2)
            colstore_col_set_num(cs, COLSTORE_EVENTS, delay, i, e->value,
                                 &err);
        if (e->team >= 0)
            colstore_col_set_label(cs, COLSTORE_EVENTS, team, i,
                                   cxw_teams[e->team],
                                   strlen(cxw_teams[e->team]), &err);
    }
    assert_int_equal(err.code, 0);

    /* responses and their named columns */
    colstore_reserve(cs, w->n_resp);
    for (size_t i = 0; i < w->n_resp; i++) {
        const struct cxw_response *r = &w->resp[i];
        int s = r->customer >= 0 ? cxw_segment_at(w, r->customer, r->ts) : -1;
        struct colstore_row row = {w->tp[r->tp],
                                   ch,
                                   s >= 0 ? w->seg[s] : -1,
                                   lang,
                                   0,
                                   tstamp_local_day(r->ts, 0),
                                   r->nps,
                                   -1,
                                   -1,
                                   r->id,
                                   r->customer,
                                   r->ts};
        assert_int_equal(colstore_append(cs, &row, &err), 0);
    }
    int wifi = colstore_col_add(cs, COLSTORE_RESPONSES, "rating:wifi",
                                COLSTORE_NUM, 5, &err);
    int sat = colstore_col_add(cs, COLSTORE_RESPONSES, "choice:satisfaction",
                               COLSTORE_CAT, NAN, &err);
    int store = colstore_col_add(cs, COLSTORE_RESPONSES, "attr:store",
                                 COLSTORE_CAT, NAN, &err);
    for (size_t i = 0; i < w->n_resp; i++) {
        const struct cxw_response *r = &w->resp[i];
        char buf[16];
        if (!isnan(r->wifi))
            colstore_col_set_num(cs, COLSTORE_RESPONSES, wifi, i, r->wifi,
                                 &err);
        if (r->satisfied >= 0) {
            const char *l = r->satisfied ? "satisfied" : "dissatisfied";
            colstore_col_set_label(cs, COLSTORE_RESPONSES, sat, i, l,
                                   strlen(l), &err);
        }
        snprintf(buf, sizeof buf, "S%06d", r->store);
        colstore_col_set_label(cs, COLSTORE_RESPONSES, store, i, buf,
                               strlen(buf), &err);
    }
    assert_int_equal(err.code, 0);
}

void cxw_make(struct cxworld *w, uint64_t seed, size_t n_cust, size_t n_resp,
              int n_stores)
{
    struct gen g;
    memset(w, 0, sizeof *w);
    gen_seed(&g, seed);
    w->n_cust = n_cust;
    w->n_resp = n_resp;
    w->n_stores = n_stores;
    w->cust = calloc(n_cust, sizeof *w->cust);
    for (size_t i = 0; i < n_cust; i++) {
        struct cxw_customer *c = &w->cust[i];
        c->id = 100 + (int64_t)i * 3;
        c->age = gen_range(&g, 18, 90);
        c->city = gen_range(&g, 0, CXW_CITIES - 1);
        c->business = gen_range(&g, 0, 9) < 3;
        c->seg0 = gen_range(&g, 0, 9) == 0 ? -1 : gen_range(&g, 0, 2);
        c->seg1 = c->seg0;
        c->seg_change = INT64_MAX;
        if (gen_range(&g, 0, 4) == 0) {
            c->seg1 = (c->seg0 + 1 + gen_range(&g, 0, 1)) % 3;
            c->seg_change = YEAR_START + gen_range(&g, 0, 300) * 86400LL;
        }
    }

    /* events: per customer, then sorted by (customer, ts) */
    size_t cap = n_cust * 14 + 1;
    w->ev = calloc(cap, sizeof *w->ev);
    uint32_t k = 0;
    for (size_t c = 0; c < n_cust; c++) {
        for (int a = 0; a < 3; a++) {
            int n = gen_range(&g, 0, a == 1 ? 6 : 4);
            for (int j = 0; j < n; j++) {
                struct cxw_event *e = &w->ev[w->n_ev++];
                e->customer = (int)c;
                e->activity = a;
                /* an odd multiplier permutes 32-bit ids: unique, unordered */
                e->id = 1 + (int64_t)(uint32_t)(++k * 2654435761u);
                e->ts = YEAR_START - 30 * 86400LL +
                        (int64_t)(gen_unit(&g) * (YEAR_SECONDS + 30 * 86400.0));
                e->team = -1;
                e->value = NAN;
                if (a == 0) {
                    static const double h[] = {5, 30, 100, 200, 400};
                    if (gen_range(&g, 0, 9))
                        e->value = h[gen_range(&g, 0, 4)] + gen_range(&g, 0, 9);
                    e->team = gen_range(&g, 0, 2);
                } else if (a == 2) {
                    e->value = gen_range(&g, 0, 2) ? gen_range(&g, 0, 20)
                                                   : gen_range(&g, 21, 180);
                }
            }
        }
    }
    qsort(w->ev, w->n_ev, sizeof *w->ev, cmp_event);
    w->ev_first = calloc(n_cust + 1, sizeof *w->ev_first);
    for (size_t i = 0, c = 0; c <= n_cust; c++) {
        while (i < w->n_ev && (size_t)w->ev[i].customer < c)
            i++;
        w->ev_first[c] = i;
    }

    /* responses in time order, with the planted effects */
    int64_t *times = calloc(n_resp + 1, sizeof *times);
    for (size_t i = 0; i < n_resp; i++)
        times[i] = YEAR_START + (int64_t)(gen_unit(&g) * YEAR_SECONDS);
    qsort(times, n_resp, sizeof *times, cmp_i64);
    w->resp = calloc(n_resp + 1, sizeof *w->resp);
    for (size_t i = 0; i < n_resp; i++) {
        struct cxw_response *r = &w->resp[i];
        r->id = (int64_t)i + 1;
        r->ts = times[i];
        r->customer = gen_range(&g, 0, 99) < 92
                          ? gen_range(&g, 0, (int)n_cust - 1)
                          : -1;
        r->tp = gen_range(&g, 0, 2);
        r->store = gen_range(&g, 0, n_stores - 1);
        double t = 10;
        int business = 0;
        const struct cxw_event *flight = NULL;
        if (r->customer >= 0) {
            const struct cxw_customer *c = &w->cust[r->customer];
            business = c->business;
            t += c->age >= 65 ? 20 : 0;
            const struct cxw_event *f = latest_before(
                w, r->customer, 0, r->ts - 30 * 86400LL, r->ts);
            t += f && !isnan(f->value) && f->value >= 168 ? -40 : 0;
            flight = latest_before(w, r->customer, 2, INT64_MIN, r->ts);
        }
        r->nps = draw_nps(&g, t);
        r->wifi = gen_range(&g, 0, 9) < 8
                      ? gen_range(&g, 0, 4) + (business ? 1 : 0)
                      : NAN;
        r->satisfied = -1;
        if (gen_range(&g, 0, 99) < 85) {
            double p = 0.8 - (flight && flight->value >= 60 ? 0.3 : 0);
            r->satisfied = gen_unit(&g) < p;
        }
    }
    free(times);
    build_store(w);
}

void cxw_free(struct cxworld *w)
{
    colstore_free(w->cs);
    free(w->cust);
    free(w->resp);
    free(w->ev);
    free(w->ev_first);
}
