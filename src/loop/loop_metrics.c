/* The figures of the closed loop (loop_metrics.h): case handling per team
 * or touchpoint, and the improvement areas behind the cases. The store
 * hands out cases and aggregates; every statistic is stats/casestats,
 * nps, prop or mean's. */
#include "loop/loop_metrics.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/xalloc.h"
#include "loop/bizcal.h"
#include "loop/loop.h"
#include "stats/casestats.h"
#include "stats/mean.h"
#include "stats/nps.h"
#include "stats/prop.h"
#include "store/store.h"
#include "store/store_loop.h"

#define ALL_ROW "(all)"
#define DAY_S 86400
#define DEFAULT_WINDOW_DAYS 30
#define MAX_WINDOW_DAYS 3660
/* an SLA longer than this is not recomputed (and cannot overflow) */
#define MAX_SLA_HOURS 1e6

/* ---- small helpers ---- */

/* A sorted set of strings; the strings' addresses stay put while the set
 * grows, so a case can keep a pointer to its group's name. */
struct names {
    char **v;
    size_t n, cap;
};

static size_t names_lower(const struct names *a, const char *s)
{
    size_t lo = 0, hi = a->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(a->v[mid], s) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static const char *names_add(struct names *a, const char *s)
{
    size_t i = names_lower(a, s);
    if (i < a->n && !strcmp(a->v[i], s))
        return a->v[i];
    a->v = xgrow(a->v, &a->cap, a->n + 1, sizeof *a->v);
    memmove(a->v + i + 1, a->v + i, (a->n - i) * sizeof *a->v);
    a->v[i] = xstrdup(s);
    a->n++;
    return a->v[i];
}

static void names_dispose(struct names *a)
{
    for (size_t i = 0; i < a->n; i++)
        free(a->v[i]);
    free(a->v);
    memset(a, 0, sizeof *a);
}

/* A key with a value (an index, a count), sorted by key for lookups. */
struct keyed {
    int64_t key, val;
};

static int keyed_cmp(const void *pa, const void *pb)
{
    const struct keyed *a = pa, *b = pb;
    if (a->key != b->key)
        return a->key < b->key ? -1 : 1;
    return (a->val > b->val) - (a->val < b->val);
}

/* The first entry with key >= key. */
static size_t keyed_lower(const struct keyed *v, size_t n, int64_t key)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (v[mid].key < key)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

struct keyed_vec {
    struct keyed *v;
    size_t n, cap;
};

static void keyed_push(struct keyed_vec *k, int64_t key, int64_t val)
{
    k->v = xgrow(k->v, &k->cap, k->n + 1, sizeof *k->v);
    k->v[k->n].key = key;
    k->v[k->n].val = val;
    k->n++;
}

static void keyed_sort(struct keyed_vec *k)
{
    if (k->n > 1)
        qsort(k->v, k->n, sizeof *k->v, keyed_cmp);
}

/* 1 when key is one of the comma-separated items of list: the store's
 * reading of a case_filter's visible. */
static int in_list(const char *list, const char *key)
{
    size_t kn = strlen(key);
    for (const char *p = list;;) {
        const char *e = strchr(p, ',');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        if (n == kn && !memcmp(p, key, n))
            return 1;
        if (!e)
            return 0;
        p = e + 1;
    }
}

/* ---- case metrics ---- */

/* One case as the metrics need it, copied out of the scan. */
struct crec {
    const char *group; /* interned in names */
    int64_t gi;        /* index of group in names, once the scan is over */
    int64_t id, tp_id, customer_id, response_id, rec_id;
    int64_t opened, first_contact, resolved, closed, due, deadline;
    int status, recovery_sent;
    signed char own_nps;      /* the NPS of its response; -1 none (fact) */
    signed char next_nps;     /* the customer's next NPS after resolution */
    int64_t next_ts, next_id; /* that answer's time and id; next_id 0 none */
    int rec_outcome;          /* recovery answer: 1 recovered, 0 not, -1
                               * none or no score */
};

struct case_scan {
    const struct bizcal *cal;
    enum loop_group by;
    struct crec *v;
    size_t n, cap;
    struct names groups;
};

/* The deadline the first contact is held to. Escalation moves a case's
 * due one SLA further each time, so an escalated case's first deadline
 * is recomputed from its opening; otherwise the stored due is it. */
static int64_t contact_deadline(const struct bizcal *cal,
                                const struct loop_case *c)
{
    if (c->escalation <= 0 || !(c->sla_hours > 0) ||
        !(c->sla_hours < MAX_SLA_HOURS))
        return c->due;
    return bizcal_add(cal, c->opened, (int64_t)llround(c->sla_hours * 3600));
}

static int on_case(void *ctx, const struct loop_case *c)
{
    struct case_scan *sc = ctx;
    const char *g = sc->by == LOOP_BY_TEAM ? c->team : c->touchpoint;
    sc->v = xgrow(sc->v, &sc->cap, sc->n + 1, sizeof *sc->v);
    struct crec *r = &sc->v[sc->n++];
    memset(r, 0, sizeof *r);
    r->group = names_add(&sc->groups, g ? g : "");
    r->id = c->id;
    r->tp_id = c->touchpoint_id;
    r->customer_id = c->customer_id;
    r->response_id = c->response_id;
    r->rec_id = c->recovery_sent ? c->recovery_response_id : 0;
    r->opened = c->opened;
    r->first_contact = c->first_contact;
    r->resolved = c->resolved;
    r->closed = c->closed;
    r->due = c->due;
    r->deadline = contact_deadline(sc->cal, c);
    r->status = (int)c->status;
    r->recovery_sent = c->recovery_sent > 0;
    r->own_nps = r->next_nps = -1;
    r->rec_outcome = -1;
    return 0;
}

static int crec_cmp(const void *pa, const void *pb)
{
    const struct crec *a = pa, *b = pb;
    if (a->gi != b->gi)
        return a->gi < b->gi ? -1 : 1;
    return (a->id > b->id) - (a->id < b->id);
}

/* Whether a recovery answer recovered the customer: its CSAT decides
 * (4-5), else its NPS (9-10), else its CES (5-7); -1 with none of them. */
static int recovery_outcome(int csat, int nps, int ces)
{
    if (csat >= 1 && csat <= 5)
        return csat >= 4;
    if (nps >= 0 && nps <= 10)
        return nps >= 9;
    if (ces >= 1 && ces <= 7)
        return ces >= 5;
    return -1;
}

/* One pass over the responses fills what the cases need from them: the
 * case's own NPS, its recovery answer's scores, and the customer's next
 * NPS answer after resolution. The lookups are sorted (key, case index). */
struct fact_pass {
    struct crec *c;
    struct keyed_vec own;  /* response id -> case, next-NPS candidates */
    struct keyed_vec rec;  /* recovery response id -> case */
    struct keyed_vec cust; /* customer id -> case, next-NPS candidates */
};

static int on_fact(void *ctx, const struct fact *f)
{
    struct fact_pass *p = ctx;
    size_t j;
    for (j = keyed_lower(p->own.v, p->own.n, f->response_id);
         j < p->own.n && p->own.v[j].key == f->response_id; j++)
        p->c[p->own.v[j].val].own_nps = f->nps;
    for (j = keyed_lower(p->rec.v, p->rec.n, f->response_id);
         j < p->rec.n && p->rec.v[j].key == f->response_id; j++)
        p->c[p->rec.v[j].val].rec_outcome =
            recovery_outcome(f->csat, f->nps, f->ces);
    if (f->nps < 0 || f->nps > 10 || f->customer_id <= 0)
        return 0;
    for (j = keyed_lower(p->cust.v, p->cust.n, f->customer_id);
         j < p->cust.n && p->cust.v[j].key == f->customer_id; j++) {
        struct crec *r = &p->c[p->cust.v[j].val];
        if (f->ts <= r->resolved || f->response_id == r->rec_id ||
            f->response_id == r->response_id)
            continue;
        /* the first by time; responses come in id order, not ts order */
        if (!r->next_id || f->ts < r->next_ts ||
            (f->ts == r->next_ts && f->response_id < r->next_id)) {
            r->next_ts = f->ts;
            r->next_id = f->response_id;
            r->next_nps = f->nps;
        }
    }
    return 0;
}

static void fact_pass_dispose(struct fact_pass *p)
{
    free(p->own.v);
    free(p->rec.v);
    free(p->cust.v);
}

static int on_tp_count(void *ctx, int64_t touchpoint_id, int64_t n)
{
    keyed_push(ctx, touchpoint_id, n);
    return 0;
}

static int64_t responses_at(const struct keyed_vec *counts, int64_t tp_id)
{
    size_t j = keyed_lower(counts->v, counts->n, tp_id);
    return j < counts->n && counts->v[j].key == tp_id ? counts->v[j].val : 0;
}

struct visible_tps {
    const char *visible;
    struct keyed_vec ids;
};

static int on_touchpoint(void *ctx, const struct journey *j,
                         const struct stage *st, const struct touchpoint *t)
{
    struct visible_tps *v = ctx;
    (void)j;
    (void)st;
    if (t->key && in_list(v->visible, t->key))
        keyed_push(&v->ids, t->id, 0);
    return 0;
}

/* Fills row from the cases c[0..n); x is scratch for 2n durations. */
static void fill_row(struct case_metrics_row *row, const struct crec *c,
                     size_t n, const struct bizcal *cal, int64_t now, double *x)
{
    struct prop within = PROP_INIT, rec = PROP_INIT;
    struct casestats_durations d;
    double *contact = x, *resolve = x + n;
    row->cases = (int64_t)n;
    for (size_t i = 0; i < n; i++) {
        const struct crec *r = &c[i];
        if (r->status < CASE_RESOLVED) {
            row->open++;
            if (r->due < now)
                row->overdue++;
        }
        contact[i] =
            r->first_contact > 0
                ? bizcal_between(cal, r->opened, r->first_contact) / 3600.0
                : NAN;
        resolve[i] = r->resolved > 0
                         ? bizcal_between(cal, r->opened, r->resolved) / 3600.0
                         : NAN;
        if (r->first_contact > 0) {
            prop_add(&within, r->first_contact <= r->deadline);
        } else {
            /* a miss once the deadline passed while the case waited:
             * one resolved or closed in time without a contact is no
             * trial */
            int64_t end = r->resolved > 0 ? r->resolved
                          : r->closed > 0 ? r->closed
                                          : now;
            if (end > r->deadline)
                prop_add(&within, 0);
        }
        if (r->recovery_sent) {
            row->recovery_sent++;
            if (r->rec_outcome >= 0)
                prop_add(&rec, r->rec_outcome);
        }
    }
    casestats_durations(&d, contact, n);
    row->contact_median = d.median;
    row->contact_p90 = d.p90;
    casestats_durations(&d, resolve, n);
    row->resolve_median = d.median;
    row->resolve_p90 = d.p90;
    prop_compute(&row->within_deadline, &within);
    prop_compute(&row->recovery, &rec);
    estimate_clear(&row->per_1000);
}

int loop_case_metrics(struct store *s, const struct loop *l, enum loop_group by,
                      int64_t from, int64_t to, const char *visible,
                      int64_t now, struct case_metrics *out, struct err *err)
{
    struct case_scan sc;
    struct fact_pass fp;
    struct keyed_vec counts = {0};
    struct visible_tps vt = {visible, {0}};
    struct case_filter f = CASE_FILTER_INIT;
    struct mean change = MEAN_INIT;
    double *x = NULL;
    int rc = 0;
    memset(&sc, 0, sizeof sc);
    memset(&fp, 0, sizeof fp);
    memset(out, 0, sizeof *out);
    estimate_clear(&out->next_nps_change);
    if (!l) {
        rc = err_set(err, ERR_INVALID,
                     "case metrics need a loop document (its calendar)");
        goto done;
    }
    if (by != LOOP_BY_TEAM && by != LOOP_BY_TOUCHPOINT) {
        rc = err_set(err, ERR_INVALID, "case metrics: unknown grouping %d",
                     (int)by);
        goto done;
    }
    if (from > 0 && to > 0 && to < from) {
        rc = err_set(err, ERR_INVALID,
                     "case metrics: the period ends before it starts");
        goto done;
    }
    sc.cal = loop_calendar(l);
    sc.by = by;
    f.from = from;
    f.to = to;
    f.visible = visible;
    if ((rc = store_scan_cases(s, &f, on_case, &sc, err)) < 0)
        goto done;
    for (size_t i = 0; i < sc.n; i++)
        sc.v[i].gi = (int64_t)names_lower(&sc.groups, sc.v[i].group);
    if (sc.n > 1)
        qsort(sc.v, sc.n, sizeof *sc.v, crec_cmp);

    /* what the cases need from the responses, in one pass */
    fp.c = sc.v;
    for (size_t i = 0; i < sc.n; i++) {
        const struct crec *r = &sc.v[i];
        if (r->rec_id > 0)
            keyed_push(&fp.rec, r->rec_id, (int64_t)i);
        if (r->resolved > 0 && r->customer_id > 0) {
            keyed_push(&fp.own, r->response_id, (int64_t)i);
            keyed_push(&fp.cust, r->customer_id, (int64_t)i);
        }
    }
    keyed_sort(&fp.own);
    keyed_sort(&fp.rec);
    keyed_sort(&fp.cust);
    if ((fp.rec.n || fp.cust.n) &&
        (rc = store_scan_facts(s, on_fact, &fp, err)) < 0)
        goto done;
    if ((rc = store_count_by_touchpoint(s, from, to, on_tp_count, &counts,
                                        err)) < 0)
        goto done;
    keyed_sort(&counts);
    if (visible &&
        (rc = store_list_touchpoints(s, on_touchpoint, &vt, err)) < 0)
        goto done;

    out->n = sc.groups.n + 1;
    out->rows = xcalloc(out->n, sizeof *out->rows);
    x = xmalloc((2 * sc.n + 1) * sizeof *x);
    for (size_t g = 0, b = 0; g < sc.groups.n; g++) {
        struct case_metrics_row *row = &out->rows[g];
        size_t e = b;
        while (e < sc.n && sc.v[e].gi == (int64_t)g)
            e++;
        row->group = sc.groups.v[g];
        sc.groups.v[g] = NULL; /* the row owns it now */
        fill_row(row, sc.v + b, e - b, sc.cal, now, x);
        if (by == LOOP_BY_TOUCHPOINT && e > b) {
            row->responses = responses_at(&counts, sc.v[b].tp_id);
            casestats_rate_per_1000(&row->per_1000, row->cases, row->responses);
        }
        b = e;
    }
    struct case_metrics_row *all = &out->rows[out->n - 1];
    all->group = xstrdup(ALL_ROW);
    fill_row(all, sc.v, sc.n, sc.cal, now, x);
    /* every response, or in an owner's view those at the touchpoints it
     * sees: the ones listed and those its cases are at */
    if (!visible) {
        for (size_t i = 0; i < counts.n; i++)
            all->responses += counts.v[i].val;
    } else {
        for (size_t i = 0; i < sc.n; i++)
            keyed_push(&vt.ids, sc.v[i].tp_id, 0);
        keyed_sort(&vt.ids);
        for (size_t i = 0; i < vt.ids.n; i++)
            if (i == 0 || vt.ids.v[i].key != vt.ids.v[i - 1].key)
                all->responses += responses_at(&counts, vt.ids.v[i].key);
    }
    casestats_rate_per_1000(&all->per_1000, all->cases, all->responses);

    for (size_t i = 0; i < sc.n; i++) {
        const struct crec *r = &sc.v[i];
        if (r->resolved > 0 && r->customer_id > 0 && r->own_nps >= 0 &&
            r->next_id > 0)
            mean_add(&change, (double)(r->next_nps - r->own_nps));
    }
    mean_compute(&out->next_nps_change, &change);
    if (change.n == 0)
        estimate_clear(&out->next_nps_change);

done:
    if (rc < 0)
        case_metrics_dispose(out);
    free(x);
    free(sc.v);
    names_dispose(&sc.groups);
    fact_pass_dispose(&fp);
    free(counts.v);
    free(vt.ids.v);
    return rc;
}

void case_metrics_dispose(struct case_metrics *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->n; i++)
        free(m->rows[i].group);
    free(m->rows);
    m->rows = NULL;
    m->n = 0;
    estimate_clear(&m->next_nps_change);
}

/* ---- improvement areas ---- */

struct area_scan {
    struct improvement_area *a; /* by (theme, touchpoint id) while scanning */
    size_t n, cap;
    int64_t without_theme;
};

static int area_key_cmp(const char *theme, int64_t tp,
                        const struct improvement_area *b)
{
    int c = strcmp(theme, b->theme);
    if (c)
        return c;
    return (tp > b->touchpoint_id) - (tp < b->touchpoint_id);
}

static size_t area_lower(const struct area_scan *as, const char *theme,
                         int64_t tp)
{
    size_t lo = 0, hi = as->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (area_key_cmp(theme, tp, &as->a[mid]) > 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static struct improvement_area *area_find(const struct area_scan *as,
                                          const char *theme, int64_t tp)
{
    size_t i = area_lower(as, theme, tp);
    return i < as->n && !area_key_cmp(theme, tp, &as->a[i]) ? &as->a[i] : NULL;
}

static int on_area_case(void *ctx, const struct loop_case *c)
{
    struct area_scan *as = ctx;
    if (!c->theme) {
        as->without_theme++;
        return 0;
    }
    size_t i = area_lower(as, c->theme, c->touchpoint_id);
    if (i == as->n || area_key_cmp(c->theme, c->touchpoint_id, &as->a[i])) {
        as->a = xgrow(as->a, &as->cap, as->n + 1, sizeof *as->a);
        memmove(as->a + i + 1, as->a + i, (as->n - i) * sizeof *as->a);
        struct improvement_area *a = &as->a[i];
        memset(a, 0, sizeof *a);
        a->theme = xstrdup(c->theme);
        a->touchpoint = xstrdup(c->touchpoint ? c->touchpoint : "");
        a->touchpoint_id = c->touchpoint_id;
        as->n++;
    }
    as->a[i].cases++;
    if (c->status < CASE_RESOLVED)
        as->a[i].open++;
    return 0;
}

static int on_area_nps(void *ctx, const char *theme, int64_t touchpoint_id,
                       const int64_t hist[11])
{
    struct improvement_area *a;
    struct nps v = NPS_INIT;
    if (!theme || !(a = area_find(ctx, theme, touchpoint_id)))
        return 0;
    nps_from_hist(&v, hist);
    nps_compute(&a->nps, &v);
    return 0;
}

/* The improvements, copied out of the listing. */
struct impr {
    int64_t id, tp_id, done_at;
    char *theme, *title;
};
struct impr_list {
    struct impr *v;
    size_t n, cap;
};

static int on_improvement(void *ctx, const struct improvement *im)
{
    struct impr_list *il = ctx;
    il->v = xgrow(il->v, &il->cap, il->n + 1, sizeof *il->v);
    struct impr *p = &il->v[il->n++];
    p->id = im->id;
    p->tp_id = im->touchpoint_id;
    p->done_at = im->done_at;
    p->theme = im->theme ? xstrdup(im->theme) : NULL;
    p->title = xstrdup(im->title ? im->title : "");
    return 0;
}

/* The improvement for an area: the latest one for its theme at its
 * touchpoint, else the latest for the touchpoint as a whole; NULL. */
static const struct impr *impr_for(const struct impr_list *il,
                                   const struct improvement_area *a)
{
    const struct impr *exact = NULL, *wide = NULL;
    for (size_t i = 0; i < il->n; i++) {
        const struct impr *p = &il->v[i];
        const struct impr **best;
        if (p->tp_id != a->touchpoint_id)
            continue;
        if (!p->theme)
            best = &wide;
        else if (!strcmp(p->theme, a->theme))
            best = &exact;
        else
            continue;
        if (!*best || p->done_at > (*best)->done_at ||
            (p->done_at == (*best)->done_at && p->id > (*best)->id))
            *best = p;
    }
    return exact ? exact : wide;
}

static void change_estimate(struct estimate *out,
                            const struct casestats_change *ch, double se)
{
    estimate_clear(out);
    out->n = ch->before.n + ch->after.n;
    if (!ch->valid)
        return;
    out->value = ch->diff;
    out->se = se;
    out->lo = ch->lo;
    out->hi = ch->hi;
}

/* NPS and mention share in the windows before and after a's improvement. */
static int area_windows(struct store *s, struct improvement_area *a,
                        struct err *err)
{
    struct window_counts wb, wa;
    struct nps nb = NPS_INIT, na = NPS_INIT;
    struct casestats_change ch;
    int64_t w = (int64_t)a->window_days * DAY_S;
    int rc;
    if ((rc = store_window_counts(s, a->touchpoint_id, a->theme, a->done_at - w,
                                  a->done_at, &wb, err)) < 0 ||
        (rc = store_window_counts(s, a->touchpoint_id, a->theme, a->done_at,
                                  a->done_at + w, &wa, err)) < 0)
        return rc;
    nps_from_hist(&nb, wb.nps_hist);
    nps_from_hist(&na, wa.nps_hist);
    casestats_nps_change(&ch, &nb, &na);
    a->nps_before = ch.before;
    a->nps_after = ch.after;
    /* compare_nps's SE: the two trinomial variances (PRODUCT.md) */
    change_estimate(
        &a->nps_change, &ch,
        ch.valid ? 100.0 * sqrt(nps_variance(&nb) + nps_variance(&na)) : NAN);
    struct prop pb = {wb.mention, wb.comments}, pa = {wa.mention, wa.comments};
    casestats_share_change(&ch, &pb, &pa);
    a->mention_before = ch.before;
    a->mention_after = ch.after;
    /* Newcombe's interval claims no SE */
    change_estimate(&a->mention_change, &ch, NAN);
    return 0;
}

static int area_order(const void *pa, const void *pb)
{
    const struct improvement_area *a = pa, *b = pb;
    int c;
    if (a->cases != b->cases)
        return a->cases > b->cases ? -1 : 1;
    if ((c = strcmp(a->touchpoint, b->touchpoint)) != 0)
        return c;
    return strcmp(a->theme, b->theme);
}

int loop_areas(struct store *s, int64_t from, int64_t to, const char *visible,
               int window_days, struct improvement_areas *out, struct err *err)
{
    struct area_scan as = {0};
    struct impr_list il = {0};
    struct case_filter f = CASE_FILTER_INIT;
    int rc = 0;
    memset(out, 0, sizeof *out);
    if (window_days == 0)
        window_days = DEFAULT_WINDOW_DAYS;
    if (window_days < 0 || window_days > MAX_WINDOW_DAYS) {
        rc = err_set(err, ERR_INVALID, "window_days must be 1..%d, got %d",
                     MAX_WINDOW_DAYS, window_days);
        goto done;
    }
    if (from > 0 && to > 0 && to < from) {
        rc = err_set(err, ERR_INVALID,
                     "areas: the period ends before it starts");
        goto done;
    }
    f.from = from;
    f.to = to;
    f.visible = visible;
    if ((rc = store_scan_cases(s, &f, on_area_case, &as, err)) < 0)
        goto done;
    for (size_t i = 0; i < as.n; i++) {
        struct nps none = NPS_INIT;
        struct improvement_area *a = &as.a[i];
        nps_compute(&a->nps, &none);
        a->driver_importance = NAN;
        a->window_days = window_days;
        estimate_clear(&a->nps_before);
        estimate_clear(&a->nps_after);
        estimate_clear(&a->nps_change);
        estimate_clear(&a->mention_before);
        estimate_clear(&a->mention_after);
        estimate_clear(&a->mention_change);
    }
    if (as.n == 0)
        goto done;
    if ((rc = store_area_customer_nps(s, from, to, on_area_nps, &as, err)) <
            0 ||
        (rc = store_list_improvements(s, on_improvement, &il, err)) < 0)
        goto done;
    for (size_t i = 0; i < as.n; i++) {
        struct improvement_area *a = &as.a[i];
        const struct impr *p = impr_for(&il, a);
        if (!p)
            continue;
        a->improvement_id = p->id;
        a->done_at = p->done_at;
        a->title = xstrdup(p->title);
        if ((rc = area_windows(s, a, err)) < 0)
            goto done;
    }
    qsort(as.a, as.n, sizeof *as.a, area_order);

done:
    out->a = as.a;
    out->n = as.n;
    out->without_theme = as.without_theme;
    if (rc < 0)
        improvement_areas_dispose(out);
    for (size_t i = 0; i < il.n; i++) {
        free(il.v[i].theme);
        free(il.v[i].title);
    }
    free(il.v);
    return rc;
}

void improvement_areas_dispose(struct improvement_areas *a)
{
    if (!a)
        return;
    for (size_t i = 0; i < a->n; i++) {
        free(a->a[i].theme);
        free(a->a[i].touchpoint);
        free(a->a[i].title);
    }
    free(a->a);
    memset(a, 0, sizeof *a);
}
