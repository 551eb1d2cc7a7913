/* Event features: for each response, an aggregate of its customer's
 * events of one activity in a window around the response's time
 * (docs/metrics.md, "Event features"). The events table is sorted by
 * customer and time; a feature first gathers the one activity's events
 * (keeping that order), so a response's window is two binary searches in
 * its customer's range, and latest, first and count need no walk. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/xalloc.h"
#include "query/prepare.h"
#include "query/qfield_int.h"

static int no_activity(const struct colstore *cs, const struct qfield *qf,
                       struct err *err)
{
    struct colstore_events ev;
    char known[160];
    size_t used = 0;
    colstore_events_view(cs, &ev);
    known[0] = 0;
    for (uint32_t a = 0; a < ev.n_activities; a++) {
        const char *l = colstore_activity_label(cs, a);
        if (used + strlen(l) + 6 >= sizeof known) {
            snprintf(known + used, sizeof known - used, ", ...");
            break;
        }
        used += (size_t)snprintf(known + used, sizeof known - used, "%s%s",
                                 a ? ", " : "", l);
    }
    return err_set(err, ERR_NOTFOUND,
                   "%s: no event activity matches \"%s\"%s%s%s", qf->f.text,
                   qf->f.name, ev.n_activities ? " (known: " : "", known,
                   ev.n_activities ? ")" : " (no events imported)");
}

/* How many rows ahead the loop asks for memory it will read. */
#define PREFETCH 8

/* One event of the activity: its time and its attribute's value side by
 * side, so a window's search reads the values it lands on. */
struct ev_pt {
    int64_t ts;
    union {
        double num;    /* a number attribute; NaN when the event has none */
        uint32_t code; /* a text attribute's code; 0 = none */
    } v;
};

/* The first of ts[lo..hi) that is >= t (or > t, when after). ts[k] is at
 * base + k * stride: a bare time, or an ev_pt's. */
static size_t search(const void *base, size_t stride, size_t lo, size_t hi,
                     int64_t t, int after)
{
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int64_t x;
        memcpy(&x, (const char *)base + mid * stride, sizeof x);
        if (x < t || (after && x == t))
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* One activity's events, in the events table's (customer, ts) order:
 * customer c's are k = first[c] .. first[c + 1] - 1, at pt[k] when there
 * is an attribute, else (a count) only their times, ts[k], half the
 * memory for the search to walk. */
struct activity_events {
    uint32_t *first; /* [n_cust + 1] */
    struct ev_pt *pt;
    int64_t *ts;
};

static void activity_events_build(struct activity_events *ae,
                                  const struct colstore_events *ev,
                                  size_t n_cust, uint32_t a,
                                  const struct colstore_colview *av)
{
    size_t m = 0, n = 0;
    for (size_t j = 0; j < ev->n; j++)
        n += ev->activity[j] == a;
    ae->first = xmalloc((n_cust + 1) * sizeof *ae->first);
    ae->pt = av ? xcalloc(n ? n : 1, sizeof *ae->pt) : NULL;
    ae->ts = av ? NULL : xmalloc((n ? n : 1) * sizeof *ae->ts);
    for (size_t c = 0; c < n_cust; c++) {
        size_t lo, hi;
        ae->first[c] = (uint32_t)m;
        colstore_events_range(ev, c, &lo, &hi);
        for (size_t j = lo; j < hi; j++) {
            if (ev->activity[j] != a)
                continue;
            if (!av) {
                ae->ts[m++] = ev->ts[j];
                continue;
            }
            ae->pt[m].ts = ev->ts[j];
            if (av->kind == COLSTORE_CAT)
                ae->pt[m].v.code = av->codes[j];
            else
                ae->pt[m].v.num = av->num[j];
            m++;
        }
    }
    ae->first[n_cust] = (uint32_t)m;
}

static void activity_events_free(struct activity_events *ae)
{
    free(ae->first);
    free(ae->pt);
    free(ae->ts);
}

int qfield_event_feature(struct qfield *qf, const struct colstore *cs,
                         const uint8_t *need, struct err *err)
{
    struct colstore_events ev;
    struct colstore_columns col;
    struct colstore_colview av;
    const char *attr;
    int ac = -1;

    if (qf->table != COLSTORE_RESPONSES)
        return err_set(err, ERR_INVALID,
                       "%s: event features describe "
                       "responses",
                       qf->f.text);
    if (!colstore_has_events(cs))
        return err_set(err, ERR_NOTFOUND,
                       "%s: no events are imported (resonans import events)",
                       qf->f.text);
    colstore_events_view(cs, &ev);
    colstore_columns(cs, &col);
    int64_t act = query_event_split(cs, qf->f.name, &attr);
    if (act < 0)
        return no_activity(cs, qf, err);
    enum field_agg agg = qf->f.agg;
    if (agg == FIELD_AGG_DEFAULT)
        agg = attr ? FIELD_AGG_LATEST : FIELD_AGG_COUNT;
    if (!attr && agg != FIELD_AGG_COUNT)
        return err_set(err, ERR_INVALID,
                       "%s: %s needs an attribute (event.ACTIVITY.ATTR)",
                       qf->f.text, field_agg_name(agg));
    if (attr) {
        ac = colstore_col_find(cs, COLSTORE_EVENTS, attr);
        if (ac < 0)
            return err_set(err, ERR_NOTFOUND, "%s: no event has attribute %s",
                           qf->f.text, attr);
        colstore_col_view(cs, COLSTORE_EVENTS, ac, &av);
        if (av.kind == COLSTORE_CAT && agg != FIELD_AGG_LATEST &&
            agg != FIELD_AGG_FIRST && agg != FIELD_AGG_COUNT)
            return err_set(err, ERR_INVALID,
                           "%s: %s is text, so only latest, first and count "
                           "apply",
                           qf->f.text, attr);
    }
    int cat = attr && av.kind == COLSTORE_CAT && agg != FIELD_AGG_COUNT;
    double *num = cat ? NULL : qfield_set_num(qf);
    uint32_t *codes = cat ? qfield_set_codes(qf, 4) : NULL;
    const int64_t from = qf->f.from, to = qf->f.to;
    const size_t n_cust = colstore_customers(cs);
    struct activity_events ae;
    activity_events_build(&ae, &ev, n_cust, (uint32_t)act, attr ? &av : NULL);

    const char *base = attr ? (const char *)ae.pt : (const char *)ae.ts;
    const size_t stride = attr ? sizeof *ae.pt : sizeof *ae.ts;
    for (size_t i = 0; i < qf->rows; i++) {
        /* Rows are in time order, customers at random: the loop waits on
         * memory. Ask for a later row's customer's range, and for the
         * events of a nearer one whose range has come in by now. */
        if (i + 2 * PREFETCH < qf->rows) {
            uint32_t c2 = col.customer[i + 2 * PREFETCH];
            if (c2 < n_cust)
                __builtin_prefetch(&ae.first[c2]);
        }
        if (i + PREFETCH < qf->rows) {
            uint32_t c1 = col.customer[i + PREFETCH];
            if (c1 < n_cust)
                __builtin_prefetch(base + ae.first[c1] * stride);
        }
        uint32_t c = col.customer[i];
        if (c == COLSTORE_NO_CUSTOMER || c >= n_cust || (need && !need[i])) {
            if (cat)
                codes[i] = 0;
            else
                num[i] = NAN;
            continue;
        }
        /* the window's events are rows lo..hi-1 of ae */
        int64_t t = col.ts[i];
        size_t lo = ae.first[c], hi = ae.first[c + 1];
        if (from != INT64_MIN)
            lo = search(base, stride, lo, hi, t + from, 0);
        hi = search(base, stride, lo, hi, t + to, 1);
        if (!attr) {
            num[i] = (double)(hi - lo);
            continue;
        }
        if (cat) {
            codes[i] = lo == hi                  ? 0
                       : agg == FIELD_AGG_LATEST ? ae.pt[hi - 1].v.code
                                                 : ae.pt[lo].v.code;
            continue;
        }
        if (av.kind == COLSTORE_CAT) { /* count of a text attribute */
            int64_t count = 0;
            for (size_t j = lo; j < hi; j++)
                count += ae.pt[j].v.code != 0;
            num[i] = (double)count;
            continue;
        }
        if (agg == FIELD_AGG_LATEST || agg == FIELD_AGG_FIRST) {
            /* the event's value, NaN when it has none */
            num[i] = lo == hi                  ? NAN
                     : agg == FIELD_AGG_LATEST ? ae.pt[hi - 1].v.num
                                               : ae.pt[lo].v.num;
            continue;
        }
        int64_t k = 0;
        double sum = 0, mn = INFINITY, mx = -INFINITY;
        for (size_t j = lo; j < hi; j++) {
            double v = ae.pt[j].v.num;
            if (isnan(v))
                continue;
            k++;
            sum += v;
            mn = v < mn ? v : mn;
            mx = v > mx ? v : mx;
        }
        switch (agg) {
        case FIELD_AGG_COUNT:
            num[i] = (double)k;
            break;
        case FIELD_AGG_SUM:
            num[i] = sum;
            break;
        case FIELD_AGG_MIN:
            num[i] = k ? mn : NAN;
            break;
        case FIELD_AGG_MAX:
            num[i] = k ? mx : NAN;
            break;
        default: /* mean */
            num[i] = k ? sum / (double)k : NAN;
            break;
        }
    }
    activity_events_free(&ae);
    if (cat)
        qfield_order_column(qf, cs, COLSTORE_EVENTS, ac);
    return 0;
}
