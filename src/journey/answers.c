#include "journey/journey_int.h"

#include <stdlib.h>
#include <string.h>

#include "colstore/colstore.h"
#include "core/xalloc.h"
#include "journey/cases.h"
#include "stats/nps.h"

static void visit(struct journey_answers *a, const struct journey_cases *c,
                  size_t i, int64_t after, struct nps *out);

void journey_answers_index(struct journey_answers *a, const struct colstore *cs,
                           const struct journey_cases *c, int64_t after)
{
    colstore_columns(cs, &a->col);
    colstore_events_view(cs, &a->ev);
    const struct colstore_columns col = a->col;
    size_t n = a->n_cust = colstore_customers(cs);
    a->n_tp = colstore_card(cs, DIM_TOUCHPOINT);
    a->first = xcalloc(n + 2, sizeof *a->first);
    for (size_t r = 0; r < col.n; r++)
        if (col.nps[r] >= 0 && col.customer[r] < n)
            a->first[col.customer[r] + 1]++;
    for (size_t k = 0; k < n; k++)
        a->first[k + 1] += a->first[k];
    a->rows = xmalloc((a->first[n] ? a->first[n] : 1) * sizeof *a->rows);
    size_t *fill = xmalloc((n + 1) * sizeof *fill);
    memcpy(fill, a->first, (n + 1) * sizeof *fill);
    for (size_t r = 0; r < col.n; r++) /* rows are in time order */
        if (col.nps[r] >= 0 && col.customer[r] < n)
            a->rows[fill[col.customer[r]]++] = (uint32_t)r;
    free(fill);
    a->tp_in = xcalloc(a->n_tp ? a->n_tp : 1, 1);
    a->owner = xmalloc((col.n ? col.n : 1) * sizeof *a->owner);
    a->recency = xmalloc((col.n ? col.n : 1) * sizeof *a->recency);
    memset(a->owner, 0xff, (col.n ? col.n : 1) * sizeof *a->owner);
    for (size_t i = 0; i < c->n; i++)
        visit(a, c, i, after, NULL);
}

void journey_answers_dispose(struct journey_answers *a)
{
    free(a->first);
    free(a->rows);
    free(a->tp_in);
    free(a->owner);
    free(a->recency);
    memset(a, 0, sizeof *a);
}

/* The time of case i's latest event at or before t (its events are in
 * time order). */
static int64_t latest_before(const struct journey_cases *c, size_t i, int64_t t)
{
    size_t lo = c->off[i], hi = c->off[i + 1];
    while (lo < hi) { /* the first event after t */
        size_t m = lo + (hi - lo) / 2;
        if (c->ts[m] <= t)
            lo = m + 1;
        else
            hi = m;
    }
    return c->ts[lo - 1]; /* lo > off[i]: the window starts at the first */
}

/* The answers in case i's window: claimed (out NULL) or added to out
 * when they belong to it. */
static void visit(struct journey_answers *a, const struct journey_cases *c,
                  size_t i, int64_t after, struct nps *out)
{
    const struct colstore_columns *col = &a->col;
    const struct colstore_events *ev = &a->ev;
    uint32_t cu = c->customer[i];
    size_t lo = c->off[i], hi = c->off[i + 1];
    if (cu >= a->n_cust || lo == hi)
        return;
    for (size_t p = lo; p < hi; p++)
        if (ev->touchpoint[c->ev[p]] < a->n_tp)
            a->tp_in[ev->touchpoint[c->ev[p]]] = 1;
    int64_t from = c->ts[lo], to = c->ts[hi - 1] + after;
    size_t x = a->first[cu], y = a->first[cu + 1];
    while (x < y) { /* the first answer at or after `from` */
        size_t m = x + (y - x) / 2;
        if (col->ts[a->rows[m]] < from)
            x = m + 1;
        else
            y = m;
    }
    for (; x < a->first[cu + 1] && col->ts[a->rows[x]] <= to; x++) {
        uint32_t row = a->rows[x];
        if (col->touchpoint[row] >= a->n_tp || !a->tp_in[col->touchpoint[row]])
            continue;
        if (out) {
            if (a->owner[row] == (uint32_t)i)
                nps_add(out, col->nps[row]);
            continue;
        }
        int64_t r = latest_before(c, i, col->ts[row]);
        if (a->owner[row] == UINT32_MAX || r > a->recency[row]) {
            a->owner[row] = (uint32_t)i;
            a->recency[row] = r;
        }
    }
    for (size_t p = lo; p < hi; p++)
        if (ev->touchpoint[c->ev[p]] < a->n_tp)
            a->tp_in[ev->touchpoint[c->ev[p]]] = 0;
}

void journey_case_nps(struct nps *out, struct journey_answers *a,
                      const struct journey_cases *c, size_t i, int64_t after)
{
    visit(a, c, i, after, out);
}
