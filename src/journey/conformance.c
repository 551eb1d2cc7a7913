#include "journey/conformance.h"

#include <stdlib.h>
#include <string.h>

#include "colstore/colstore.h"
#include "core/err.h"
#include "core/xalloc.h"
#include "journey/cases.h"
#include "stats/prop.h"

static int cmp_dev(const void *a, const void *b)
{
    const struct journey_deviation *x = a, *y = b;
    if (x->count != y->count)
        return x->count > y->count ? -1 : 1;
    if (x->from != y->from)
        return x->from < y->from ? -1 : 1;
    return (x->to > y->to) - (x->to < y->to);
}

int journey_conformance_build(struct journey_conformance **out,
                              const struct colstore *cs,
                              const struct journey_cases *c, struct err *err)
{
    (void)err;
    struct colstore_events ev;
    *out = NULL;
    colstore_events_view(cs, &ev);
    uint32_t n_tp = (uint32_t)colstore_card(cs, DIM_TOUCHPOINT);
    size_t n_st = colstore_card(cs, DIM_STAGE);
    /* The designed order: journeys as added, stages by position. */
    uint32_t *rank = xcalloc(n_st ? n_st : 1, sizeof *rank);
    colstore_order(cs, DIM_STAGE, rank);
    uint32_t *by_rank = xmalloc((n_st ? n_st : 1) * sizeof *by_rank);
    for (size_t s = 0; s < n_st; s++)
        by_rank[rank[s]] = (uint32_t)s;
    uint8_t *seen_any = xcalloc(n_st ? n_st : 1, 1);
    uint8_t *seen = xcalloc(n_st ? n_st : 1, 1);
    size_t *dev = xcalloc(n_st * n_st + 1, sizeof *dev);
    size_t *dev_cases = xcalloc(n_st * n_st + 1, sizeof *dev_cases);
    size_t *dev_last = xmalloc((n_st * n_st + 1) * sizeof *dev_last);
    memset(dev_last, 0xff, (n_st * n_st + 1) * sizeof *dev_last);
    /* first pass: which stages occur at all, so a stage no case can
     * reach (no events there) is not called skipped */
    for (size_t p = 0; p < c->n_events; p++) {
        uint32_t tp = ev.touchpoint[c->ev[p]];
        int st = tp < n_tp ? colstore_touchpoint_stage(cs, (int)tp) : -1;
        if (st >= 0)
            seen_any[st] = 1;
    }
    struct journey_conformance *k = xcalloc(1, sizeof *k);
    for (size_t i = 0; i < c->n; i++) {
        int prev = -1, ok = 1, any = 0;
        uint32_t lo_r = UINT32_MAX, hi_r = 0;
        for (size_t p = c->off[i]; p < c->off[i + 1]; p++) {
            uint32_t tp = ev.touchpoint[c->ev[p]];
            int st = tp < n_tp ? colstore_touchpoint_stage(cs, (int)tp) : -1;
            if (st < 0)
                continue;
            any = 1;
            seen[st] = 1;
            lo_r = rank[st] < lo_r ? rank[st] : lo_r;
            hi_r = rank[st] > hi_r ? rank[st] : hi_r;
            if (prev >= 0 && rank[st] < rank[prev]) {
                size_t x = (size_t)prev * n_st + (size_t)st;
                ok = 0;
                dev[x]++;
                if (dev_last[x] != i) {
                    dev_last[x] = i;
                    dev_cases[x]++;
                }
            }
            prev = st;
        }
        if (!any)
            continue;
        k->n_cases++;
        if (ok) {
            k->conforming++;
            for (uint32_t q = lo_r; q <= hi_r; q++)
                if (seen_any[by_rank[q]] && !seen[by_rank[q]]) {
                    k->skipping++;
                    break;
                }
        }
        for (uint32_t q = lo_r; any && q <= hi_r; q++)
            seen[by_rank[q]] = 0;
    }
    struct prop pr = {(int64_t)k->conforming, (int64_t)k->n_cases};
    prop_compute(&k->share, &pr);
    k->d = xcalloc(n_st * n_st + 1, sizeof *k->d);
    for (size_t a = 0; a < n_st; a++)
        for (size_t b = 0; b < n_st; b++)
            if (dev[a * n_st + b])
                k->d[k->n++] = (struct journey_deviation){
                    (uint32_t)a, (uint32_t)b, dev[a * n_st + b],
                    dev_cases[a * n_st + b]};
    qsort(k->d, k->n, sizeof *k->d, cmp_dev);
    k->stage = xcalloc(n_st ? n_st : 1, sizeof *k->stage);
    k->stage_name = xcalloc(n_st ? n_st : 1, sizeof *k->stage_name);
    for (size_t s = 0; s < n_st; s++) {
        k->stage[s] = colstore_label(cs, DIM_STAGE, (int)s);
        k->stage_name[s] = colstore_name(cs, DIM_STAGE, (int)s);
    }
    free(rank);
    free(by_rank);
    free(seen_any);
    free(seen);
    free(dev);
    free(dev_cases);
    free(dev_last);
    *out = k;
    return 0;
}

void journey_conformance_free(struct journey_conformance *k)
{
    if (!k)
        return;
    free(k->d);
    free(k->stage);
    free(k->stage_name);
    free(k);
}
