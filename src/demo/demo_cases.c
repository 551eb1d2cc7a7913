/* The demo's case handling history (docs/demo-data.md, "The closed
 * loop"): on the cases the demo's rules opened for the stored responses
 * (rules load --backfill-from), a first contact, a resolution and a
 * closure after team-specific delays in working time, as of the data's
 * end; and the fix of planted effect (b) marked done. A plant, not
 * casework: written in one transaction with one audit entry and no
 * notifications. */
#include "demo/demo.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/rng.h"
#include "core/tstamp.h"
#include "core/xalloc.h"
#include "loop/bizcal.h"
#include "loop/loop.h"
#include "store/store.h"
#include "store/store_loop.h"

/* The improvement of planted effect (b): the login fixed, in effect from
 * 2026-04-01 00:00 Stockholm time (summer time since 29 March, so
 * 2026-03-31T22:00Z): the first day after the month it was broken. */
#define FIX_TOUCHPOINT "app_inlogg"
#define FIX_THEME "digital/login"
#define FIX_TITLE "Inloggningen i appen lagad"

/* How fast each team handles its cases: medians of lognormal delays in
 * working hours, from opening to first contact, from contact to
 * resolution and from resolution to closure. */
struct pace {
    const char *team; /* NULL: every other team */
    double contact_h, resolve_h, close_h;
};
static const struct pace paces[] = {
    {"Kundservice", 3, 6, 16},
    {"Uthyrning", 6, 12, 16},
    {"Fastighetsskötsel", 10, 30, 16},
    {"IT/Digitala kanaler", 14, 24, 16},
    {NULL, 8, 16, 16},
};
#define SIGMA 0.8         /* of log delay: p90 about 2.8 x the median */
#define NEVER_SHARE 0.03  /* never contacted */
#define STUCK_SHARE 0.04  /* contacted, never resolved */
#define CLOSE_SHARE 0.85  /* resolved ones that get closed */
#define STREAM 0xCA5E0000 /* + response id: one stream per case */

/* A case copied out of the scan (its row is live there). */
struct held {
    struct loop_case c;
    char *team, *assignee, *theme, *recovery_survey;
};

struct held_list {
    struct held *v;
    size_t n, cap;
};

static char *dup_or_null(const char *s)
{
    return s ? xstrdup(s) : NULL;
}

static int collect(void *ctx, const struct loop_case *c)
{
    struct held_list *l = ctx;
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 1024;
        l->v = xrealloc(l->v, l->cap * sizeof *l->v);
    }
    struct held *h = &l->v[l->n++];
    h->c = *c;
    h->c.customer = h->c.touchpoint = h->c.rule = NULL;
    h->c.team = h->team = dup_or_null(c->team);
    h->c.assignee = h->assignee = dup_or_null(c->assignee);
    h->c.theme = h->theme = dup_or_null(c->theme);
    h->c.recovery_survey = h->recovery_survey = dup_or_null(c->recovery_survey);
    return 0;
}

static void held_list_dispose(struct held_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->v[i].team);
        free(l->v[i].assignee);
        free(l->v[i].theme);
        free(l->v[i].recovery_survey);
    }
    free(l->v);
}

static const struct pace *pace_of(const char *team)
{
    size_t i = 0;
    while (paces[i].team && (!team || strcmp(paces[i].team, team) != 0))
        i++;
    return &paces[i];
}

/* Nobody has acted on it: open, unassigned, never contacted or
 * escalated. Only such cases get a history, so a second run (or a case
 * handled by hand) is left alone. */
static int untouched(const struct loop_case *c)
{
    return c->status == CASE_OPEN && !c->assignee && !c->first_contact &&
           !c->resolved && !c->closed && !c->escalation;
}

static int64_t after(const struct bizcal *cal, int64_t t, double median_h,
                     double z)
{
    return bizcal_add(cal, t,
                      (int64_t)llround(median_h * 3600 * exp(SIGMA * z)));
}

/* Gives c the history drawn for it, as of end (steps at or after end
 * have not happened yet). No escalations: the deadlines are kept as the
 * rules set them, so `cases escalate` can show the sweep on the demo.
 * Returns 1 when anything changed. */
static int plan(struct loop_case *c, const struct bizcal *cal, uint64_t seed,
                int64_t end, struct demo_cases_result *res)
{
    struct rng r;
    rng_seed_stream(&r, seed, STREAM + (uint64_t)c->response_id);
    /* every draw made, whichever are used, so each is fixed per case */
    double u_never = rng_uniform(&r), u_stuck = rng_uniform(&r),
           u_close = rng_uniform(&r);
    double z_contact = rng_normal(&r, 0, 1), z_resolve = rng_normal(&r, 0, 1),
           z_close = rng_normal(&r, 0, 1);
    const struct pace *p = pace_of(c->team);
    int changed = 0;

    if (u_never >= NEVER_SHARE) {
        int64_t t = after(cal, c->opened, p->contact_h, z_contact);
        if (t < end) {
            c->first_contact = t;
            c->status = CASE_CONTACTED;
            changed = 1;
            t = after(cal, t, p->resolve_h, z_resolve);
            if (u_stuck >= STUCK_SHARE && t < end) {
                c->resolved = t;
                c->status = CASE_RESOLVED;
                t = after(cal, t, p->close_h, z_close);
                if (u_close < CLOSE_SHARE && t < end) {
                    c->closed = t;
                    c->status = CASE_CLOSED;
                }
            }
        }
    }
    res->never += u_never < NEVER_SHARE;
    res->contacted += c->first_contact > 0;
    res->resolved += c->resolved > 0;
    res->closed += c->closed > 0;
    res->open_at_end += !c->first_contact;
    return changed;
}

struct tp_find {
    const char *key;
    int64_t id;
};

static int find_tp(void *ctx, const struct journey *j, const struct stage *st,
                   const struct touchpoint *t)
{
    struct tp_find *f = ctx;
    (void)j;
    (void)st;
    if (strcmp(t->key, f->key) != 0)
        return 0;
    f->id = t->id;
    return 1;
}

struct fix_find {
    int64_t touchpoint_id, id, done_at;
};

static int find_fix(void *ctx, const struct improvement *im)
{
    struct fix_find *f = ctx;
    if (im->touchpoint_id == f->touchpoint_id && im->theme &&
        !strcmp(im->theme, FIX_THEME) && im->title &&
        !strcmp(im->title, FIX_TITLE)) {
        f->id = im->id;
        f->done_at = im->done_at;
    }
    return 0;
}

/* The end of the demo's data: 2026-11-01 00:00 Stockholm time, winter
 * time since 25 October (demo_int.h's DEMO_END_*, which cannot be
 * included beside the store's model: both name a struct stage). */
static int64_t data_end(void)
{
    return tstamp_days_from_civil(2026, 11, 1) * 86400 - 3600;
}

/* When the login fix took effect: 2026-04-01 00:00 Stockholm time, the
 * first day after the month it was broken (DEMO_BROKEN_*), in summer
 * time since 29 March. */
static int64_t fix_done(void)
{
    return tstamp_days_from_civil(2026, 4, 1) * 86400 - 7200;
}

int demo_cases_plant(struct demo_cases_result *res, struct store *s,
                     uint64_t seed, const char *actor, struct err *err)
{
    struct case_filter f = CASE_FILTER_INIT;
    struct held_list cases = {0};
    struct loop *l = NULL;
    struct tp_find tp = {FIX_TOUCHPOINT, 0};
    int rc, began = 0;
    int64_t end = data_end();

    memset(res, 0, sizeof *res);
    if ((rc = loop_load(&l, s, err)) < 0) {
        if (rc == ERR_NOTFOUND) {
            err_clear(err);
            rc = err_set(err, ERR_NOTFOUND,
                         "no rules are loaded: load the demo's first "
                         "(resonans rules load DIR/loop.json "
                         "--backfill-from 2026-01-01)");
        }
        goto done;
    }
    if ((rc = store_list_touchpoints(s, find_tp, &tp, err)) < 0)
        goto done;
    if (!tp.id) {
        rc = err_set(err, ERR_NOTFOUND,
                     "no touchpoint \"%s\": load the demo's journey and data "
                     "first",
                     FIX_TOUCHPOINT);
        goto done;
    }
    if ((rc = store_begin(s, err)) < 0)
        goto done;
    began = 1;
    if ((rc = store_scan_cases(s, &f, collect, &cases, err)) < 0)
        goto done;
    if (!cases.n) {
        rc = err_set(err, ERR_NOTFOUND,
                     "no cases: load the rules with --backfill-from DATE so "
                     "they open cases for the stored responses");
        goto done;
    }
    res->cases = (int64_t)cases.n;
    const struct bizcal *cal = loop_calendar(l);
    for (size_t i = 0; i < cases.n; i++) {
        struct loop_case *c = &cases.v[i].c;
        if (!untouched(c)) {
            res->skipped++;
            continue;
        }
        if (!plan(c, cal, seed, end, res))
            continue;
        if ((rc = store_update_case(s, c, CASE_OPEN, err)) < 0)
            goto done;
        res->planted++;
    }

    struct fix_find ff = {tp.id, 0, 0};
    if ((rc = store_list_improvements(s, find_fix, &ff, err)) < 0)
        goto done;
    if (!ff.id) {
        struct improvement im = {0};
        im.theme = FIX_THEME;
        im.touchpoint_id = tp.id;
        im.title = FIX_TITLE;
        im.done_at = fix_done();
        im.actor = actor;
        if ((rc = store_put_improvement(s, &im, err)) < 0)
            goto done;
        ff.id = im.id;
        ff.done_at = im.done_at;
        res->improvement_new = 1;
    }
    res->improvement_id = ff.id;
    res->improvement_at = ff.done_at;

    if (res->planted || res->improvement_new) {
        char detail[320];
        snprintf(detail, sizeof detail,
                 "{\"seed\":%llu,\"cases\":%lld,\"planted\":%lld,"
                 "\"contacted\":%lld,\"resolved\":%lld,\"closed\":%lld,"
                 "\"open_at_end\":%lld,"
                 "\"improvement\":%lld}",
                 (unsigned long long)seed, (long long)res->cases,
                 (long long)res->planted, (long long)res->contacted,
                 (long long)res->resolved, (long long)res->closed,
                 (long long)res->open_at_end,
                 res->improvement_new ? (long long)ff.id : 0LL);
        if ((rc = store_audit(s, actor, "demo.cases", "cases", detail, err)) <
            0)
            goto done;
    }
    rc = store_commit(s, err);
    began = 0;
done:
    if (began)
        store_rollback(s);
    held_list_dispose(&cases);
    loop_free(l);
    return rc;
}
