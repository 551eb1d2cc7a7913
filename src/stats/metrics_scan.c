/* The scan: each row's counters are found by adding one table entry per
 * source column (a mixed-radix cell number, pre-shifted to a counter
 * offset), then one counter per score is incremented: bin 1 + score,
 * where bin 0 counts "not answered". Other metrics add the row's value to
 * the cell's accumulator. The common case (scores only, at most two
 * 16- or 32-bit sources) has a fused loop instantiated per score set, so its
 * inner loop has no branches on what is wanted. Threads take 64k-row
 * chunks from a shared counter and keep their own counters, summed at the
 * end. */
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/xalloc.h"
#include "stats/metrics_int.h"

#define BLOCK 2048
#define CHUNK ((size_t)1 << 16) /* rows a thread takes at a time */
#define ALWAYS_INLINE inline __attribute__((always_inline))

/* One thread's accumulators. */
struct tacc {
    uint32_t *cnt;
    struct mom *mom[METRICS_MAX_METRICS];
    uint32_t *choice[METRICS_MAX_METRICS];
    struct vpair *vals[METRICS_MAX_METRICS];
    size_t n_vals[METRICS_MAX_METRICS], cap_vals[METRICS_MAX_METRICS];
};

/* The scores of row i into counters c. The offsets are constants once
 * wn/wc/we are, because the plan lays scores out in this order: NPS,
 * CSAT, CES (metrics_int.h). */
static ALWAYS_INLINE void count_scores(uint32_t *c, const struct mplan *p,
                                       size_t i, int wn, int wc, int we)
{
    const size_t oc = (size_t)(wn ? NPS_BINS : 0) + 1;
    const size_t oe =
        (size_t)(wn ? NPS_BINS : 0) + (size_t)(wc ? CSAT_BINS : 0) + 1;
    if (wn)
        c[1 + p->nps[i]]++;
    if (wc)
        c[oc + p->csat[i]]++;
    if (we)
        c[oe + p->ces[i]]++;
}

/* Everything but the scores for row i in the cell at offset g. */
static void count_other(const struct mplan *p, struct tacc *a, uint32_t g,
                        size_t i)
{
    uint32_t cell = g >> p->shift;
    if (p->o_rows >= 0)
        a->cnt[g + (uint32_t)p->o_rows]++;
    for (int k = 0; k < p->n_gm; k++) {
        const struct gmetric *m = &p->gm[k];
        if (m->g == G_CHOICE) {
            a->choice[k][(size_t)cell * m->n_opts +
                         qfield_value(m->qf, qfield_code(m->qf, i))]++;
            continue;
        }
        double v = m->num[i];
        if (isnan(v))
            continue;
        if (m->g == G_VALUES) {
            if (a->n_vals[k] == a->cap_vals[k])
                a->vals[k] = xgrow(a->vals[k], &a->cap_vals[k],
                                   a->n_vals[k] + 1, sizeof *a->vals[k]);
            a->vals[k][a->n_vals[k]].cell = cell;
            a->vals[k][a->n_vals[k]].v = v;
            a->n_vals[k]++;
            continue;
        }
        struct mom *o = &a->mom[k][cell];
        if (!o->m.n || v < o->mn)
            o->mn = v;
        if (!o->m.n || v > o->mx)
            o->mx = v;
        mean_add(&o->m, v);
        o->sum += v;
        o->top += v >= m->top;
    }
}

/* Code i of a 2- or 4-byte column; wd is a constant in every caller. */
static ALWAYS_INLINE uint32_t code_at(const void *codes, int wd, size_t i)
{
    return wd == 2 ? ((const uint16_t *)codes)[i]
                   : ((const uint32_t *)codes)[i];
}

/* Up to two 16- or 32-bit sources (widths wa, wb), scores only: no
 * intermediate array. */
static ALWAYS_INLINE void scan_fused(const struct mplan *p, int nsrc, int wa,
                                     int wb, size_t lo, size_t hi,
                                     uint32_t *cnt, int wn, int wc, int we)
{
    const void *a = nsrc > 0 ? p->src[0].codes : NULL;
    const void *b = nsrc > 1 ? p->src[1].codes : NULL;
    const uint32_t *ta = nsrc > 0 ? p->src[0].table : NULL;
    const uint32_t *tb = nsrc > 1 ? p->src[1].table : NULL;
    const uint32_t lim = p->limit;
    const int clamp = p->may_reject;
    for (size_t i = lo; i < hi; i++) {
        uint32_t g = 0;
        if (nsrc > 0)
            g = ta[code_at(a, wa, i)];
        if (nsrc > 1)
            g += tb[code_at(b, wb, i)];
        if (clamp)
            g = g < lim ? g : lim;
        count_scores(cnt + g, p, i, wn, wc, we);
    }
}

static ALWAYS_INLINE void scan_fused_n(const struct mplan *p, size_t lo,
                                       size_t hi, uint32_t *cnt, int wn, int wc,
                                       int we)
{
    int wa = p->n_src > 0 ? p->src[0].width : 2;
    int wb = p->n_src > 1 ? p->src[1].width : 2;
    if (p->n_src == 2) {
        if (wa == 2 && wb == 2)
            scan_fused(p, 2, 2, 2, lo, hi, cnt, wn, wc, we);
        else if (wa == 2)
            scan_fused(p, 2, 2, 4, lo, hi, cnt, wn, wc, we);
        else if (wb == 2)
            scan_fused(p, 2, 4, 2, lo, hi, cnt, wn, wc, we);
        else
            scan_fused(p, 2, 4, 4, lo, hi, cnt, wn, wc, we);
    } else if (p->n_src == 1) {
        if (wa == 2)
            scan_fused(p, 1, 2, 2, lo, hi, cnt, wn, wc, we);
        else
            scan_fused(p, 1, 4, 2, lo, hi, cnt, wn, wc, we);
    } else {
        scan_fused(p, 0, 2, 2, lo, hi, cnt, wn, wc, we);
    }
}

/* Any sources and metrics: gather a block of offsets source by source. */
static ALWAYS_INLINE void scan_blocks(const struct mplan *p, size_t lo,
                                      size_t hi, struct tacc *a, int wn, int wc,
                                      int we)
{
    uint32_t g[BLOCK];
    const uint32_t lim = p->limit;
    const int other = p->o_rows >= 0 || p->n_gm > 0;
    for (size_t b = lo; b < hi; b += BLOCK) {
        size_t m = hi - b < BLOCK ? hi - b : BLOCK;
        memset(g, 0, m * sizeof *g);
        for (int s = 0; s < p->n_src; s++) {
            const struct msrc *src = &p->src[s];
            const uint32_t *t = src->table;
            if (src->width == 2) {
                const uint16_t *c = (const uint16_t *)src->codes + b;
                for (size_t j = 0; j < m; j++)
                    g[j] += t[c[j]];
            } else if (src->width == 1) {
                const uint8_t *c = (const uint8_t *)src->codes + b;
                for (size_t j = 0; j < m; j++)
                    g[j] += t[c[j]];
            } else {
                const uint32_t *c = (const uint32_t *)src->codes + b;
                for (size_t j = 0; j < m; j++)
                    g[j] += t[c[j]];
            }
        }
        for (size_t j = 0; j < m; j++) {
            uint32_t x = g[j] < lim ? g[j] : lim;
            count_scores(a->cnt + x, p, b + j, wn, wc, we);
            if (other && x < lim)
                count_other(p, a, x, b + j);
        }
    }
}

static void scan_rows(const struct mplan *p, size_t lo, size_t hi,
                      struct tacc *a)
{
    const int wn = p->o_nps >= 0, wc = p->o_csat >= 0, we = p->o_ces >= 0;
    int fused = p->n_src <= 2 && p->o_rows < 0 && !p->n_gm;
    for (int s = 0; s < p->n_src && fused; s++)
        fused = p->src[s].width == 2 || p->src[s].width == 4;
#define DISPATCH(F, ...)                                                       \
    do {                                                                       \
        if (wn && wc && we)                                                    \
            F(__VA_ARGS__, 1, 1, 1);                                           \
        else if (wn && wc)                                                     \
            F(__VA_ARGS__, 1, 1, 0);                                           \
        else if (wn && we)                                                     \
            F(__VA_ARGS__, 1, 0, 1);                                           \
        else if (wc && we)                                                     \
            F(__VA_ARGS__, 0, 1, 1);                                           \
        else if (wn)                                                           \
            F(__VA_ARGS__, 1, 0, 0);                                           \
        else if (wc)                                                           \
            F(__VA_ARGS__, 0, 1, 0);                                           \
        else if (we)                                                           \
            F(__VA_ARGS__, 0, 0, 1);                                           \
        else                                                                   \
            F(__VA_ARGS__, 0, 0, 0);                                           \
    } while (0)
    if (fused)
        DISPATCH(scan_fused_n, p, lo, hi, a->cnt);
    else
        DISPATCH(scan_blocks, p, lo, hi, a);
#undef DISPATCH
}

/* Theme queries scan the mention list instead of the rows: each mention
 * counts its row in the cell of its theme (a response with several
 * themes counts once in each). When theme is only filtered on, a row
 * counts once however many of its themes pass. Mentions are in row
 * order, and ranges start at a row's first mention (mention_start). */
static void scan_mentions(const struct mplan *p, size_t lo, size_t hi,
                          struct tacc *a)
{
    const struct msrc *ts = &p->src[p->theme_src];
    const int wn = p->o_nps >= 0, wc = p->o_csat >= 0, we = p->o_ces >= 0;
    uint32_t counted = UINT32_MAX; /* the last row counted (filter only) */
    for (size_t j = lo; j < hi; j++) {
        uint32_t i = p->mention_row[j];
        uint32_t g = ts->table[msrc_code(ts, j)];
        if (g >= p->limit || (!p->by_theme && i == counted))
            continue;
        for (int s = 0; s < p->n_src; s++)
            if (s != p->theme_src)
                g += p->src[s].table[msrc_code(&p->src[s], i)];
        if (g >= p->limit)
            continue;
        counted = i;
        count_scores(a->cnt + g, p, i, wn, wc, we);
        count_other(p, a, g, i);
    }
}

/* The first mention of the row at or after mention j. */
static size_t mention_start(const struct mplan *p, size_t j)
{
    const size_t n = p->n_mentions;
    while (j > 0 && j < n && p->mention_row[j] == p->mention_row[j - 1])
        j++;
    return j < n ? j : n;
}

struct work {
    const struct mplan *p;
    atomic_size_t next;
};

struct worker {
    struct work *w;
    struct tacc a;
};

static void *worker_run(void *arg)
{
    struct worker *wk = arg;
    const struct mplan *p = wk->w->p;
    const int mentions = p->theme_src >= 0;
    const size_t n = mentions ? p->n_mentions : p->rows;
    for (;;) {
        size_t lo = atomic_fetch_add(&wk->w->next, CHUNK);
        if (lo >= n)
            break;
        size_t hi = lo + CHUNK < n ? lo + CHUNK : n;
        if (mentions)
            scan_mentions(p, mention_start(p, lo), mention_start(p, hi),
                          &wk->a);
        else
            scan_rows(p, lo, hi, &wk->a);
    }
    return NULL;
}

static int choose_threads(int asked, size_t rows)
{
    if (asked > 0)
        return asked > 8 ? 8 : asked;
    if (rows < 4 * CHUNK)
        return 1;
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    return cpus >= 2 ? 2 : 1;
}

static void tacc_init(struct tacc *a, const struct mplan *p)
{
    memset(a, 0, sizeof *a);
    a->cnt = xcalloc(((size_t)p->n_cells + 1) << p->shift, sizeof *a->cnt);
    for (int k = 0; k < p->n_gm; k++) {
        const struct gmetric *m = &p->gm[k];
        if (m->g == G_MOM)
            a->mom[k] = xcalloc(p->n_cells ? p->n_cells : 1, sizeof *a->mom[k]);
        else if (m->g == G_CHOICE)
            a->choice[k] =
                xcalloc((size_t)(p->n_cells ? p->n_cells : 1) * m->n_opts,
                        sizeof *a->choice[k]);
    }
}

static void tacc_dispose(struct tacc *a, const struct mplan *p)
{
    free(a->cnt);
    for (int k = 0; k < p->n_gm; k++) {
        free(a->mom[k]);
        free(a->choice[k]);
        free(a->vals[k]);
    }
}

/* Adds thread accumulator a into the totals. */
static void add_into(struct mtotals *t, const struct mplan *p, struct tacc *a)
{
    size_t ncnt = ((size_t)p->n_cells + 1) << p->shift;
    for (size_t i = 0; i < ncnt; i++)
        t->cnt[i] += a->cnt[i];
    for (int k = 0; k < p->n_gm; k++) {
        const struct gmetric *m = &p->gm[k];
        if (m->g == G_MOM) {
            for (uint32_t c = 0; c < p->n_cells; c++) {
                struct mom *to = &t->mom[k][c], *from = &a->mom[k][c];
                if (!from->m.n)
                    continue;
                if (!to->m.n || from->mn < to->mn)
                    to->mn = from->mn;
                if (!to->m.n || from->mx > to->mx)
                    to->mx = from->mx;
                mean_merge(&to->m, &from->m);
                to->sum += from->sum;
                to->top += from->top;
            }
        } else if (m->g == G_CHOICE) {
            size_t n = (size_t)p->n_cells * m->n_opts;
            for (size_t i = 0; i < n; i++)
                t->choice[k][i] += a->choice[k][i];
        } else {
            t->vals[k] =
                xrealloc(t->vals[k], (t->n_vals[k] + a->n_vals[k] + 1) *
                                         sizeof *t->vals[k]);
            memcpy(t->vals[k] + t->n_vals[k], a->vals[k],
                   a->n_vals[k] * sizeof *a->vals[k]);
            t->n_vals[k] += a->n_vals[k];
        }
    }
}

int mscan_run(const struct mplan *p, int threads, struct mtotals *t)
{
    struct work w;
    struct worker wk[8];
    pthread_t tid[8];
    int started[8] = {0};
    memset(t, 0, sizeof *t);
    t->cnt = xcalloc(((size_t)p->n_cells + 1) << p->shift, sizeof *t->cnt);
    for (int k = 0; k < p->n_gm; k++) {
        if (p->gm[k].g == G_MOM)
            t->mom[k] = xcalloc(p->n_cells ? p->n_cells : 1, sizeof *t->mom[k]);
        else if (p->gm[k].g == G_CHOICE)
            t->choice[k] =
                xcalloc((size_t)(p->n_cells ? p->n_cells : 1) * p->gm[k].n_opts,
                        sizeof *t->choice[k]);
    }
    if (p->empty)
        return 0;
    int nt =
        choose_threads(threads, p->theme_src >= 0 ? p->n_mentions : p->rows);
    w.p = p;
    atomic_init(&w.next, 0);
    for (int i = 0; i < nt; i++) {
        wk[i].w = &w;
        tacc_init(&wk[i].a, p);
    }
    for (int i = 1; i < nt; i++)
        started[i] = pthread_create(&tid[i], NULL, worker_run, &wk[i]) == 0;
    worker_run(&wk[0]); /* no thread to be had: this one does it all */
    for (int i = 1; i < nt; i++)
        if (started[i])
            pthread_join(tid[i], NULL);
    for (int i = 0; i < nt; i++) {
        add_into(t, p, &wk[i].a);
        tacc_dispose(&wk[i].a, p);
    }
    return nt;
}

void mtotals_dispose(struct mtotals *t, const struct mplan *p)
{
    free(t->cnt);
    for (int k = 0; k < p->n_gm; k++) {
        free(t->mom[k]);
        free(t->choice[k]);
        free(t->vals[k]);
    }
    memset(t, 0, sizeof *t);
}
