#include "journey/dfg.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/xalloc.h"
#include "journey/cases.h"
#include "journey/journey_int.h"

/* Edges by (from, to) while counting: open addressing on the pair. */
struct emap {
    uint64_t *key;
    uint32_t *idx;
    size_t mask;
};

static uint64_t mix(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    return x;
}

/* The edge index of (from, to), adding it to e[] when new. */
static uint32_t edge_of(struct emap *m, struct journey_edge **e, size_t *n,
                        size_t *cap, uint32_t from, uint32_t to)
{
    uint64_t k = (uint64_t)from << 32 | to;
    for (size_t h = mix(k) & m->mask;; h = (h + 1) & m->mask) {
        if (m->idx[h] == UINT32_MAX) {
            if (*n * 2 + 2 > m->mask) { /* grow and rehash */
                size_t nc = (m->mask + 1) * 2;
                struct emap g = {xmalloc(nc * sizeof *g.key),
                                 xmalloc(nc * sizeof *g.idx), nc - 1};
                memset(g.idx, 0xff, nc * sizeof *g.idx);
                for (size_t i = 0; i <= m->mask; i++) {
                    if (m->idx[i] == UINT32_MAX)
                        continue;
                    size_t p = mix(m->key[i]) & g.mask;
                    while (g.idx[p] != UINT32_MAX)
                        p = (p + 1) & g.mask;
                    g.key[p] = m->key[i];
                    g.idx[p] = m->idx[i];
                }
                free(m->key);
                free(m->idx);
                *m = g;
                return edge_of(m, e, n, cap, from, to);
            }
            *e = xgrow(*e, cap, *n + 1, sizeof **e);
            memset(&(*e)[*n], 0, sizeof **e);
            (*e)[*n].from = from;
            (*e)[*n].to = to;
            m->key[h] = k;
            m->idx[h] = (uint32_t)(*n)++;
            return m->idx[h];
        }
        if (m->key[h] == k)
            return m->idx[h];
    }
}

static int cmp_edge(const void *a, const void *b)
{
    const struct journey_edge *x = a, *y = b;
    if (x->count != y->count)
        return x->count > y->count ? -1 : 1;
    if (x->from != y->from)
        return x->from < y->from ? -1 : 1;
    return (x->to > y->to) - (x->to < y->to);
}

int journey_dfg_build(struct journey_dfg **out, const struct journey_cases *c,
                      struct err *err)
{
    (void)err;
    *out = NULL;
    struct journey_dfg *g = xcalloc(1, sizeof *g);
    g->n_cases = c->n;
    g->n_steps = c->n_steps;
    g->node_count = xcalloc(c->n_steps ? c->n_steps : 1, sizeof *g->node_count);
    g->node_cases = xcalloc(c->n_steps ? c->n_steps : 1, sizeof *g->node_cases);
    struct emap m = {xmalloc(64 * sizeof *m.key), xmalloc(64 * sizeof *m.idx),
                     63};
    memset(m.idx, 0xff, 64 * sizeof *m.idx);
    struct journey_edge *e = NULL;
    size_t n = 0, cap = 0;
    /* per position: its incoming edge (the first: from START) */
    uint32_t *at = xmalloc((c->n_events + c->n + 1) * sizeof *at);
    uint32_t *node_last =
        xmalloc((c->n_steps ? c->n_steps : 1) * sizeof *node_last);
    memset(node_last, 0xff, (c->n_steps ? c->n_steps : 1) * sizeof *node_last);
    size_t k = 0; /* index into at[]: one edge per position plus one END */
    for (size_t i = 0; i < c->n; i++) {
        uint32_t prev = JOURNEY_START;
        for (size_t p = c->off[i]; p < c->off[i + 1]; p++) {
            uint32_t s = c->step[p];
            at[k++] = edge_of(&m, &e, &n, &cap, prev, s);
            g->node_count[s]++;
            if (node_last[s] != (uint32_t)i) {
                node_last[s] = (uint32_t)i;
                g->node_cases[s]++;
            }
            prev = s;
        }
        if (c->off[i + 1] > c->off[i])
            at[k++] = edge_of(&m, &e, &n, &cap, prev, JOURNEY_END);
    }
    free(node_last);
    free(m.key);
    free(m.idx);

    /* counts, cases and the waits of each edge, grouped by edge */
    size_t *last_case = xmalloc((n ? n : 1) * sizeof *last_case);
    memset(last_case, 0xff, (n ? n : 1) * sizeof *last_case);
    size_t *off = xcalloc(n + 1, sizeof *off);
    for (size_t q = 0; q < k; q++)
        off[at[q] + 1]++;
    for (size_t x = 0; x < n; x++)
        off[x + 1] += off[x];
    double *wait = xmalloc((k ? k : 1) * sizeof *wait);
    size_t *fill = xmalloc((n + 1) * sizeof *fill);
    memcpy(fill, off, (n + 1) * sizeof *fill);
    k = 0;
    for (size_t i = 0; i < c->n; i++) {
        size_t lo = c->off[i], hi = c->off[i + 1];
        for (size_t p = lo; p <= hi && hi > lo; p++) {
            uint32_t x = at[k++];
            double w = p > lo && p < hi ? (double)(c->ts[p] - c->ts[p - 1]) : 0;
            wait[fill[x]++] = w;
            e[x].count++;
            if (last_case[x] != i) {
                last_case[x] = i;
                e[x].cases++;
            }
        }
    }
    free(fill);
    free(at);
    free(last_case);
    for (size_t x = 0; x < n; x++) {
        double *w = wait + off[x], sum = 0, mx = 0;
        size_t cnt = off[x + 1] - off[x];
        for (size_t q = 0; q < cnt; q++) {
            sum += w[q];
            mx = w[q] > mx ? w[q] : mx;
        }
        e[x].mean = cnt ? sum / (double)cnt : NAN;
        e[x].max = cnt ? mx : NAN;
        e[x].p90 = journey_quantile(w, cnt, 0.9);
        e[x].median = journey_quantile(w, cnt, 0.5);
    }
    free(wait);
    free(off);
    if (!e) /* no cases: an empty graph, never a NULL array */
        e = xcalloc(1, sizeof *e);
    qsort(e, n, sizeof *e, cmp_edge);
    g->e = e;
    g->n = n;
    *out = g;
    return 0;
}

void journey_dfg_free(struct journey_dfg *g)
{
    if (!g)
        return;
    free(g->e);
    free(g->node_count);
    free(g->node_cases);
    free(g);
}

struct by_wait {
    const struct journey_edge *e;
    size_t i;
};

static int cmp_wait(const void *a, const void *b)
{
    const struct by_wait *x = a, *y = b;
    if (x->e->median != y->e->median)
        return x->e->median > y->e->median ? -1 : 1;
    if (x->e->p90 != y->e->p90)
        return x->e->p90 > y->e->p90 ? -1 : 1;
    return (x->i > y->i) - (x->i < y->i);
}

size_t journey_dfg_stalls(const struct journey_dfg *g, size_t min_count,
                          size_t *idx, size_t top)
{
    struct by_wait *w = xmalloc((g->n ? g->n : 1) * sizeof *w);
    size_t m = 0;
    for (size_t i = 0; i < g->n; i++) {
        const struct journey_edge *e = &g->e[i];
        if (e->from >= g->n_steps || e->to >= g->n_steps ||
            e->count < min_count || isnan(e->median))
            continue;
        w[m++] = (struct by_wait){e, i};
    }
    qsort(w, m, sizeof *w, cmp_wait);
    size_t k = m < top ? m : top;
    for (size_t i = 0; i < k; i++)
        idx[i] = w[i].i;
    free(w);
    return k;
}
