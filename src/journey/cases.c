#include "journey/cases.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "colstore/colstore.h"
#include "core/err.h"
#include "core/xalloc.h"

const char *journey_level_name(enum journey_level l)
{
    switch (l) {
    case JL_TOUCHPOINT:
        return "touchpoint";
    case JL_STAGE:
        return "stage";
    case JL_CHANNEL:
        return "channel";
    default:
        return "activity";
    }
}

int journey_level_parse(const char *s)
{
    static const enum journey_level all[] = {JL_ACTIVITY, JL_TOUCHPOINT,
                                             JL_STAGE, JL_CHANNEL};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        if (!strcmp(s, journey_level_name(all[i])))
            return (int)all[i];
    return -1;
}

/* The step of event row r at the level, or UINT32_MAX for none. */
static uint32_t step_of(const struct colstore *cs,
                        const struct colstore_events *ev, size_t r,
                        enum journey_level level, uint32_t n_tp, uint32_t n_ch)
{
    uint32_t tp;
    switch (level) {
    case JL_TOUCHPOINT:
        return ev->touchpoint[r] < n_tp ? ev->touchpoint[r] : UINT32_MAX;
    case JL_STAGE:
        tp = ev->touchpoint[r];
        if (tp >= n_tp)
            return UINT32_MAX;
        int st = colstore_touchpoint_stage(cs, (int)tp);
        return st < 0 ? UINT32_MAX : (uint32_t)st;
    case JL_CHANNEL:
        return ev->channel[r] < n_ch ? ev->channel[r] : UINT32_MAX;
    default:
        return ev->activity[r];
    }
}

static void set_labels(struct journey_cases *c, const struct colstore *cs,
                       const struct colstore_events *ev)
{
    enum colstore_dim dim = c->level == JL_TOUCHPOINT ? DIM_TOUCHPOINT
                            : c->level == JL_STAGE    ? DIM_STAGE
                                                      : DIM_CHANNEL;
    c->n_steps = c->level == JL_ACTIVITY ? (uint32_t)ev->n_activities
                                         : (uint32_t)colstore_card(cs, dim);
    c->label = xcalloc(c->n_steps ? c->n_steps : 1, sizeof *c->label);
    c->name = xcalloc(c->n_steps ? c->n_steps : 1, sizeof *c->name);
    for (uint32_t s = 0; s < c->n_steps; s++) {
        if (c->level == JL_ACTIVITY) {
            c->label[s] = c->name[s] = colstore_activity_label(cs, s);
        } else {
            c->label[s] = colstore_label(cs, dim, (int)s);
            c->name[s] = colstore_name(cs, dim, (int)s);
        }
    }
}

/* Per customer: events are stored by customer and time, so a case is a
 * run of one customer's kept events without a gap over `gap`. */
static void by_customer(struct journey_cases *c, const struct colstore *cs,
                        const struct colstore_events *ev, const uint8_t *use,
                        int64_t gap, uint32_t n_tp, uint32_t n_ch)
{
    size_t cap = 1024;
    c->off = xmalloc(cap * sizeof *c->off);
    c->customer = xmalloc(cap * sizeof *c->customer);
    uint32_t last_cust = UINT32_MAX;
    int64_t last_ts = 0;
    for (size_t r = 0; r < ev->n; r++) {
        if (use && !use[r])
            continue;
        uint32_t st = step_of(cs, ev, r, c->level, n_tp, n_ch);
        if (st == UINT32_MAX) {
            c->skipped++;
            continue;
        }
        if (ev->customer[r] != last_cust ||
            (gap > 0 && ev->ts[r] - last_ts > gap)) {
            if (c->n + 2 > cap) {
                cap *= 2;
                c->off = xrealloc(c->off, cap * sizeof *c->off);
                c->customer = xrealloc(c->customer, cap * sizeof *c->customer);
            }
            c->off[c->n] = c->n_events;
            c->customer[c->n++] = ev->customer[r];
            last_cust = ev->customer[r];
        }
        last_ts = ev->ts[r];
        c->ev[c->n_events] = (uint32_t)r;
        c->step[c->n_events] = st;
        c->ts[c->n_events++] = ev->ts[r];
    }
    c->off[c->n] = c->n_events;
}

/* Open addressing from a numeric case id (its bits) to a case index,
 * grown with the cases (twice as many slots at least). */
struct idmap {
    uint64_t *key;
    uint32_t *val;
    size_t mask;
};

static uint64_t mix(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ULL;
    return x ^ (x >> 33);
}

static void idmap_init(struct idmap *m, size_t slots)
{
    m->key = xcalloc_table(slots, sizeof *m->key);
    m->val = xcalloc_table(slots, sizeof *m->val);
    memset(m->val, 0xff, slots * sizeof *m->val);
    m->mask = slots - 1;
}

static void idmap_grow(struct idmap *m)
{
    struct idmap g;
    idmap_init(&g, 2 * (m->mask + 1));
    for (size_t i = 0; i <= m->mask; i++) {
        if (m->val[i] == UINT32_MAX)
            continue;
        size_t h = mix(m->key[i]) & g.mask;
        while (g.val[h] != UINT32_MAX)
            h = (h + 1) & g.mask;
        g.key[h] = m->key[i];
        g.val[h] = m->val[i];
    }
    free(m->key);
    free(m->val);
    *m = g;
}

static uint32_t idmap_get(struct idmap *m, double v, uint32_t *n)
{
    uint64_t k;
    if (v == 0)
        v = 0; /* -0 and 0 are one id */
    memcpy(&k, &v, sizeof k);
    for (size_t h = mix(k) & m->mask;; h = (h + 1) & m->mask) {
        if (m->val[h] == UINT32_MAX) {
            if (2 * ((size_t)*n + 1) > m->mask + 1) {
                idmap_grow(m);
                return idmap_get(m, v, n);
            }
            m->key[h] = k;
            m->val[h] = (*n)++;
            return m->val[h];
        }
        if (m->key[h] == k)
            return m->val[h];
    }
}

/* qsort has no context argument in C11: sort (ts, row) pairs instead. */
struct tsrow {
    int64_t ts;
    uint32_t row, step;
};

static int cmp_tsrow(const void *a, const void *b)
{
    const struct tsrow *x = a, *y = b;
    if (x->ts != y->ts)
        return x->ts < y->ts ? -1 : 1;
    return (x->row > y->row) - (x->row < y->row);
}

/* Per case id: events grouped by the value of an event column (first
 * seen first), each case sorted by time. */
static int by_case(struct journey_cases *c, const struct colstore *cs,
                   const struct colstore_events *ev, const uint8_t *use,
                   const char *col_name, uint32_t n_tp, uint32_t n_ch,
                   struct err *err)
{
    int col = colstore_col_find(cs, COLSTORE_EVENTS, col_name);
    struct colstore_colview cv;
    if (col < 0)
        return err_set(err, ERR_NOTFOUND,
                       "no event attribute '%s' to take cases from", col_name);
    colstore_col_view(cs, COLSTORE_EVENTS, col, &cv);
    uint32_t *cas = xmalloc((ev->n ? ev->n : 1) * sizeof *cas);
    uint32_t n = 0, last_case = 0;
    double last_v = 0;
    int have_last = 0;
    struct idmap m = {0};
    uint32_t *code_case = NULL;
    if (cv.kind == COLSTORE_NUM) {
        idmap_init(&m, 1024);
    } else {
        code_case = xmalloc((cv.card ? cv.card : 1) * sizeof *code_case);
        memset(code_case, 0xff, (cv.card ? cv.card : 1) * sizeof *code_case);
    }
    for (size_t r = 0; r < ev->n; r++) {
        cas[r] = UINT32_MAX;
        if (use && !use[r])
            continue;
        if (step_of(cs, ev, r, c->level, n_tp, n_ch) == UINT32_MAX) {
            c->skipped++;
            continue;
        }
        if (r >= cv.rows)
            continue;
        if (cv.kind == COLSTORE_NUM) {
            /* a case's events often come together: look a value up only
             * when it changes */
            double x = cv.num[r];
            if (!isnan(x)) {
                if (!have_last || x != last_v) {
                    last_case = idmap_get(&m, x, &n);
                    last_v = x;
                    have_last = 1;
                }
                cas[r] = last_case;
            }
        } else if (cv.codes[r]) {
            uint32_t *slot = &code_case[cv.codes[r]];
            if (*slot == UINT32_MAX)
                *slot = n++;
            cas[r] = *slot;
        }
        if (cas[r] == UINT32_MAX)
            c->no_case++;
    }
    free(m.key);
    free(m.val);
    free(code_case);
    /* counting sort by case, stable in row order */
    c->n = n;
    c->off = xcalloc((size_t)n + 1, sizeof *c->off);
    c->customer = xmalloc((n ? n : 1) * sizeof *c->customer);
    for (size_t r = 0; r < ev->n; r++)
        if (cas[r] != UINT32_MAX)
            c->off[cas[r] + 1]++;
    for (uint32_t i = 0; i < n; i++)
        c->off[i + 1] += c->off[i];
    c->n_events = c->off[n];
    size_t *fill = xmalloc(((size_t)n + 1) * sizeof *fill);
    memcpy(fill, c->off, ((size_t)n + 1) * sizeof *fill);
    for (size_t r = 0; r < ev->n; r++) {
        if (cas[r] == UINT32_MAX)
            continue;
        size_t p = fill[cas[r]]++;
        c->ev[p] = (uint32_t)r;
        c->step[p] = step_of(cs, ev, r, c->level, n_tp, n_ch);
        c->ts[p] = ev->ts[r];
    }
    free(fill);
    free(cas);
    /* a case whose events came from several customers may be out of time
     * order: sort it */
    struct tsrow *tmp = NULL;
    size_t tmp_cap = 0;
    for (uint32_t i = 0; i < n; i++) {
        size_t lo = c->off[i], hi = c->off[i + 1], k = hi - lo;
        c->customer[i] = ev->customer[c->ev[lo]];
        int sorted = 1;
        for (size_t p = lo + 1; p < hi && sorted; p++)
            sorted = c->ts[p - 1] <= c->ts[p];
        if (sorted)
            continue;
        tmp = xgrow(tmp, &tmp_cap, k, sizeof *tmp);
        for (size_t p = 0; p < k; p++)
            tmp[p] =
                (struct tsrow){c->ts[lo + p], c->ev[lo + p], c->step[lo + p]};
        qsort(tmp, k, sizeof *tmp, cmp_tsrow);
        for (size_t p = 0; p < k; p++) {
            c->ts[lo + p] = tmp[p].ts;
            c->ev[lo + p] = tmp[p].row;
            c->step[lo + p] = tmp[p].step;
        }
        c->customer[i] = ev->customer[c->ev[lo]];
    }
    free(tmp);
    return 0;
}

int journey_cases_build(struct journey_cases **out, const struct colstore *cs,
                        const struct journey_case_opts *opts, struct err *err)
{
    struct journey_case_opts o = JOURNEY_CASE_OPTS_INIT;
    struct colstore_events ev;
    *out = NULL;
    if (opts)
        o = *opts;
    if (!colstore_has_events(cs))
        return err_set(err, ERR_INVALID,
                       "no events loaded: import events first "
                       "(resonans import events FILE)");
    if (o.gap < 0)
        return err_set(err, ERR_INVALID, "the gap between cases is negative");
    colstore_events_view(cs, &ev);
    if (ev.n == 0)
        return err_set(err, ERR_INVALID,
                       "no events in the database: import events first "
                       "(resonans import events FILE)");
    if (ev.n >= UINT32_MAX)
        return err_set(err, ERR_INVALID, "more than %u events", UINT32_MAX - 1);
    struct journey_cases *c = xcalloc(1, sizeof *c);
    c->level = o.level;
    set_labels(c, cs, &ev);
    c->ev = xmalloc((ev.n ? ev.n : 1) * sizeof *c->ev);
    c->step = xmalloc((ev.n ? ev.n : 1) * sizeof *c->step);
    c->ts = xmalloc((ev.n ? ev.n : 1) * sizeof *c->ts);
    uint32_t n_tp = (uint32_t)colstore_card(cs, DIM_TOUCHPOINT);
    uint32_t n_ch = (uint32_t)colstore_card(cs, DIM_CHANNEL);
    if (o.case_col) {
        int rc = by_case(c, cs, &ev, o.use, o.case_col, n_tp, n_ch, err);
        if (rc < 0) {
            journey_cases_free(c);
            return rc;
        }
    } else {
        by_customer(c, cs, &ev, o.use, o.gap, n_tp, n_ch);
    }
    *out = c;
    return 0;
}

void journey_cases_free(struct journey_cases *c)
{
    if (!c)
        return;
    free(c->off);
    free(c->ev);
    free(c->step);
    free(c->ts);
    free(c->customer);
    free(c->label);
    free(c->name);
    free(c);
}
