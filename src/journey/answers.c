#include "journey/journey_int.h"

#include <stdlib.h>
#include <string.h>

#include "colstore/colstore.h"
#include "core/xalloc.h"
#include "journey/cases.h"
#include "stats/nps.h"

void journey_answers_index(struct journey_answers *a, const struct colstore *cs)
{
    struct colstore_columns col;
    colstore_columns(cs, &col);
    size_t n = a->n_cust = colstore_customers(cs);
    a->n_tp = colstore_card(cs, DIM_TOUCHPOINT);
    a->first = xcalloc(n + 2, sizeof *a->first);
    for (size_t r = 0; r < col.n; r++)
        if (col.nps[r] >= 0 && col.customer[r] < n)
            a->first[col.customer[r] + 1]++;
    for (size_t c = 0; c < n; c++)
        a->first[c + 1] += a->first[c];
    a->rows = xmalloc((a->first[n] ? a->first[n] : 1) * sizeof *a->rows);
    size_t *fill = xmalloc((n + 1) * sizeof *fill);
    memcpy(fill, a->first, (n + 1) * sizeof *fill);
    for (size_t r = 0; r < col.n; r++) /* rows are in time order */
        if (col.nps[r] >= 0 && col.customer[r] < n)
            a->rows[fill[col.customer[r]]++] = (uint32_t)r;
    free(fill);
    a->tp_in = xcalloc(a->n_tp ? a->n_tp : 1, 1);
}

void journey_answers_dispose(struct journey_answers *a)
{
    free(a->first);
    free(a->rows);
    free(a->tp_in);
    memset(a, 0, sizeof *a);
}

void journey_case_nps(struct nps *out, struct journey_answers *a,
                      const struct colstore *cs, const struct journey_cases *c,
                      size_t i, int64_t after)
{
    struct colstore_columns col;
    struct colstore_events ev;
    uint32_t cu = c->customer[i];
    size_t lo = c->off[i], hi = c->off[i + 1];
    if (cu >= a->n_cust || lo == hi)
        return;
    colstore_columns(cs, &col);
    colstore_events_view(cs, &ev);
    for (size_t p = lo; p < hi; p++)
        if (ev.touchpoint[c->ev[p]] < a->n_tp)
            a->tp_in[ev.touchpoint[c->ev[p]]] = 1;
    int64_t from = c->ts[lo], to = c->ts[hi - 1] + after;
    size_t x = a->first[cu], y = a->first[cu + 1];
    while (x < y) { /* the first answer at or after `from` */
        size_t m = x + (y - x) / 2;
        if (col.ts[a->rows[m]] < from)
            x = m + 1;
        else
            y = m;
    }
    for (; x < a->first[cu + 1] && col.ts[a->rows[x]] <= to; x++) {
        uint32_t row = a->rows[x];
        if (col.touchpoint[row] < a->n_tp && a->tp_in[col.touchpoint[row]])
            nps_add(out, col.nps[row]);
    }
    for (size_t p = lo; p < hi; p++)
        if (ev.touchpoint[c->ev[p]] < a->n_tp)
            a->tp_in[ev.touchpoint[c->ev[p]]] = 0;
}
