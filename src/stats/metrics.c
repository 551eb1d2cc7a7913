/* Running a metrics query: plan (metrics_plan.c), scan (metrics_scan.c),
 * then the figures of each cell from its exact counts, so the engine's
 * figures equal a plain recount. Also filters as row masks, and
 * comparisons of two cells. */
#include "stats/metrics.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/xalloc.h"
#include "stats/metrics_int.h"
#include "stats/nps.h"
#include "stats/prop.h"

/* ---- figures: the columns each metric gives ---- */

static struct metrics_figure *add_fig(struct metrics_result *r, size_t *cap,
                                      int metric, const char *key,
                                      const char *head, int decimals,
                                      int with_n, int has_ci, int percent)
{
    r->figs = xgrow(r->figs, cap, r->n_figs + 1, sizeof *r->figs);
    struct metrics_figure *f = &r->figs[r->n_figs++];
    memset(f, 0, sizeof *f);
    f->metric = metric;
    snprintf(f->key, sizeof f->key, "%s", key);
    snprintf(f->head, sizeof f->head, "%s", head);
    f->decimals = decimals;
    f->with_n = with_n;
    f->has_ci = has_ci;
    f->percent = percent;
    return f;
}

/* The gmetric of metric i, or NULL. */
static const struct gmetric *gm_of(const struct mplan *p, int i)
{
    for (int k = 0; k < p->n_gm; k++)
        if (p->gm[k].metric == i)
            return &p->gm[k];
    return NULL;
}

static void figures(struct metrics_result *r, const struct mplan *p)
{
    size_t cap = 0;
    char key[FIELD_MAX_TEXT + 64], head[FIELD_MAX_TEXT + 64];
    for (int i = 0; i < r->n_metrics; i++) {
        const struct metrics_metric *m = &r->metrics[i];
        const struct gmetric *g = gm_of(p, i);
        switch (m->kind) {
        case MK_NPS:
            add_fig(r, &cap, i, "nps", "NPS", 1, 1, 1, 0);
            break;
        case MK_CSAT:
            add_fig(r, &cap, i, "csat_t2b", "CSAT 4-5 %", 1, 1, 1, 1);
            add_fig(r, &cap, i, "csat_mean", "CSAT mean", 2, 0, 1, 0);
            break;
        case MK_CES:
            add_fig(r, &cap, i, "ces_mean", "CES mean", 2, 1, 1, 0);
            add_fig(r, &cap, i, "ces_easy", "CES 5-7 %", 1, 0, 1, 1);
            break;
        case MK_COUNT:
            add_fig(r, &cap, i, "count", "count", 0, 1, 0, 0);
            break;
        case MK_RATING:
            snprintf(key, sizeof key, "%s_mean", m->text);
            snprintf(head, sizeof head, "%s mean", m->text + 7);
            add_fig(r, &cap, i, key, head, 2, 1, 1, 0);
            if (g && !isnan(g->top)) {
                snprintf(key, sizeof key, "%s_top2", m->text);
                snprintf(head, sizeof head, "%s top-2 %%", m->text + 7);
                add_fig(r, &cap, i, key, head, 1, 0, 1, 1);
            }
            break;
        case MK_CHOICE:
            for (uint32_t v = 0; g && v < g->n_opts; v++) {
                if (v == g->qf->none)
                    continue;
                snprintf(key, sizeof key, "%s=%s", m->text, g->qf->label[v]);
                snprintf(head, sizeof head, "%s %%", g->qf->label[v]);
                add_fig(r, &cap, i, key, head, 1,
                        r->n_figs == 0 || r->figs[r->n_figs - 1].metric != i, 1,
                        1)
                    ->option = v;
            }
            break;
        case MK_MEAN:
            add_fig(r, &cap, i, m->text, m->text, 2, 1, 1, 0);
            break;
        case MK_QUANTILE:
            add_fig(r, &cap, i, m->text, m->text, 2, 1, 1, 0);
            break;
        default: /* sum, min, max */
            add_fig(r, &cap, i, m->text, m->text, 2, 1, 0, 0);
            break;
        }
    }
}

/* ---- per-cell figures from the counts ---- */

static void hist_mean(const int64_t *hist, int lo, int hi, struct mean *out)
{
    int64_t n = 0, sum = 0, sumsq = 0;
    for (int s = lo; s <= hi; s++) {
        n += hist[s];
        sum += hist[s] * s;
        sumsq += hist[s] * s * s;
    }
    mean_from_sums(out, n, sum, sumsq);
}

static void hist_prop(const int64_t *hist, int lo, int hi, int from,
                      struct prop *out)
{
    out->n = out->k = 0;
    for (int s = lo; s <= hi; s++) {
        out->n += hist[s];
        if (s >= from)
            out->k += hist[s];
    }
}

static int cmp_vval(const void *a, const void *b)
{
    const struct vpair *x = a, *y = b;
    return x->v < y->v ? -1 : x->v > y->v;
}

static void vswap(struct vpair *a, struct vpair *b)
{
    struct vpair t = *a;
    *a = *b;
    *b = t;
}

/* Sorts a[0..n) by v (no NaN). qsort's call per comparison was most of
 * a quantile query's time: this is a three-way quicksort (values repeat
 * often) with the comparisons inline, insertion sort for short ranges,
 * and qsort again past a depth no honest input reaches, so a crafted
 * input cannot make it quadratic. */
static void sort_by_v(struct vpair *a, size_t n, int depth)
{
    while (n > 16) {
        if (depth-- == 0) {
            qsort(a, n, sizeof *a, cmp_vval);
            return;
        }
        /* median of three as the pivot */
        size_t m = n / 2;
        if (a[m].v < a[0].v)
            vswap(&a[m], &a[0]);
        if (a[n - 1].v < a[0].v)
            vswap(&a[n - 1], &a[0]);
        if (a[n - 1].v < a[m].v)
            vswap(&a[n - 1], &a[m]);
        double pv = a[m].v;
        /* a[0..lt) < pv, a[lt..i) == pv, a[gt..n) > pv */
        size_t lt = 0, i = 0, gt = n;
        while (i < gt) {
            if (a[i].v < pv)
                vswap(&a[lt++], &a[i++]);
            else if (a[i].v > pv)
                vswap(&a[i], &a[--gt]);
            else
                i++;
        }
        /* recurse on the smaller side, loop on the larger */
        if (lt < n - gt) {
            sort_by_v(a, lt, depth);
            a += gt;
            n -= gt;
        } else {
            sort_by_v(a + gt, n - gt, depth);
            n = lt;
        }
    }
    for (size_t i = 1; i < n; i++) {
        struct vpair x = a[i];
        size_t j = i;
        for (; j > 0 && a[j - 1].v > x.v; j--)
            a[j] = a[j - 1];
        a[j] = x;
    }
}

/* The q quantile of sorted v[0..n) (type 7, linear interpolation) and a
 * distribution-free 95% CI from order statistics: ranks n q -+ z
 * sqrt(n q (1 - q)), rounded outwards (docs/metrics.md). */
static void quantile(struct estimate *e, const struct vpair *v, size_t n,
                     double q)
{
    estimate_clear(e);
    e->n = (int64_t)n;
    if (!n)
        return;
    double h = (double)(n - 1) * q;
    size_t lo = (size_t)floor(h);
    size_t hi = lo + 1 < n ? lo + 1 : lo;
    e->value = v[lo].v + (h - (double)lo) * (v[hi].v - v[lo].v);
    double sd = sqrt((double)n * q * (1 - q));
    double l = floor((double)n * q - ESTIMATE_Z95 * sd);
    double u = ceil((double)n * q + ESTIMATE_Z95 * sd) + 1;
    if (l >= 1 && u <= (double)n) {
        e->lo = v[(size_t)l - 1].v;
        e->hi = v[(size_t)u - 1].v;
    }
}

static void cell_figures(struct metrics_result *r, const struct mplan *p,
                         const struct mtotals *t, uint32_t idx,
                         struct metrics_cell *c, int64_t *opts_out,
                         const size_t *val_at)
{
    const int64_t *bins = t->cnt + ((size_t)idx << p->shift);
    size_t f = 0;
    struct nps np;
    struct prop pr;
    struct mean mn;
    for (int i = 0; i < r->n_metrics; i++) {
        const struct metrics_metric *m = &r->metrics[i];
        struct metrics_acc *a = &c->acc[i];
        const struct gmetric *g = gm_of(p, i);
        memset(a, 0, sizeof *a);
        a->min = a->max = NAN;
        switch (m->kind) {
        case MK_NPS:
            for (int s = 0; s <= 10; s++)
                a->hist[s] = bins[p->o_nps + 1 + s];
            nps_from_hist(&np, a->hist);
            a->n = nps_n(&np);
            nps_compute(&c->fig[f++], &np);
            break;
        case MK_CSAT:
            for (int s = 1; s <= 5; s++)
                a->hist[s] = bins[p->o_csat + 1 + s];
            hist_prop(a->hist, 1, 5, 4, &pr);
            a->n = pr.n;
            prop_compute(&c->fig[f++], &pr);
            hist_mean(a->hist, 1, 5, &mn);
            mean_compute(&c->fig[f++], &mn);
            break;
        case MK_CES:
            for (int s = 1; s <= 7; s++)
                a->hist[s] = bins[p->o_ces + 1 + s];
            hist_mean(a->hist, 1, 7, &mn);
            a->n = mn.n;
            mean_compute(&c->fig[f++], &mn);
            hist_prop(a->hist, 1, 7, 5, &pr);
            prop_compute(&c->fig[f++], &pr);
            break;
        case MK_COUNT:
            a->n = c->n;
            estimate_clear(&c->fig[f]);
            c->fig[f].n = c->n;
            c->fig[f++].value = (double)c->n;
            break;
        case MK_CHOICE: {
            const int64_t *o = t->choice[g - p->gm] + (size_t)idx * g->n_opts;
            memcpy(opts_out, o, g->n_opts * sizeof *o);
            a->options = opts_out;
            for (uint32_t v = 0; v < g->n_opts; v++)
                if (v != g->qf->none)
                    a->n += o[v];
            for (uint32_t v = 0; v < g->n_opts; v++) {
                if (v == g->qf->none)
                    continue;
                pr.k = o[v];
                pr.n = a->n;
                prop_compute(&c->fig[f++], &pr);
            }
            break;
        }
        case MK_QUANTILE: {
            size_t k = (size_t)(g - p->gm);
            size_t from = val_at[k * ((size_t)p->n_cells + 1) + idx];
            size_t to = val_at[k * ((size_t)p->n_cells + 1) + idx + 1];
            a->n = (int64_t)(to - from);
            quantile(&c->fig[f++], t->vals[k] + from, to - from, m->q);
            break;
        }
        default: { /* rating, mean, sum, min, max */
            const struct mom *o = &t->mom[g - p->gm][idx];
            a->n = o->m.n;
            a->top = o->top;
            a->m = o->m;
            a->min = o->m.n ? o->mn : NAN;
            a->max = o->m.n ? o->mx : NAN;
            struct estimate *e = &c->fig[f++];
            if (m->kind == MK_RATING || m->kind == MK_MEAN) {
                mean_compute(e, &o->m);
                if (m->kind == MK_RATING && !isnan(g->top)) {
                    pr.k = o->top;
                    pr.n = o->m.n;
                    prop_compute(&c->fig[f++], &pr);
                }
                break;
            }
            estimate_clear(e);
            e->n = o->m.n;
            if (o->m.n)
                e->value = m->kind == MK_SUM   ? o->sum
                           : m->kind == MK_MIN ? o->mn
                                               : o->mx;
            else if (m->kind == MK_SUM)
                e->value = 0;
            break;
        }
        }
    }
}

/* Rows in the cell at counters bins. */
static int64_t cell_rows(const struct mplan *p, const int64_t *bins)
{
    int o = p->o_rows >= 0   ? -1
            : p->o_nps >= 0  ? p->o_nps
            : p->o_csat >= 0 ? p->o_csat
                             : p->o_ces;
    int nb = p->o_nps == o ? NPS_BINS : p->o_csat == o ? CSAT_BINS : CES_BINS;
    if (o < 0)
        return bins[p->o_rows];
    int64_t n = 0;
    for (int i = 0; i < nb; i++)
        n += bins[o + i];
    return n;
}

/* Start of each cell's values in the sorted value lists of quantile
 * metrics: [k * (n_cells + 1) + cell]. */
static size_t *value_index(const struct mplan *p, struct mtotals *t)
{
    size_t stride = (size_t)p->n_cells + 1;
    size_t *at = xcalloc((size_t)(p->n_gm ? p->n_gm : 1) * stride, sizeof *at);
    for (int k = 0; k < p->n_gm; k++) {
        if (p->gm[k].g != G_VALUES)
            continue;
        /* Values to their cells by counting, then each cell sorted on
         * its own: shorter sorts than one over every value. */
        size_t n = t->n_vals[k], *a = &at[(size_t)k * stride];
        struct vpair *v = t->vals[k];
        struct vpair *by_cell = xmalloc((n ? n : 1) * sizeof *by_cell);
        for (size_t i = 0; i < n; i++)
            a[v[i].cell + 1]++;
        for (uint32_t c = 0; c < p->n_cells; c++)
            a[c + 1] += a[c];
        size_t *next = xmalloc(stride * sizeof *next);
        memcpy(next, a, stride * sizeof *next);
        for (size_t i = 0; i < n; i++)
            by_cell[next[v[i].cell]++] = v[i];
        free(next);
        for (uint32_t c = 0; c < p->n_cells; c++) {
            size_t m = a[c + 1] - a[c];
            int depth = 8; /* 2 log2 m + 8, introsort's bound with room */
            for (size_t x = m; x > 1; x >>= 1)
                depth += 2;
            sort_by_v(by_cell + a[c], m, depth);
        }
        free(v);
        t->vals[k] = by_cell;
    }
    return at;
}

int metrics_run(struct metrics_result **out, const struct colstore *cs,
                const struct metrics_query *q, struct err *err)
{
    struct mplan p;
    struct mtotals t;
    struct metrics_result *r = NULL;
    size_t *val_at = NULL;
    int rc;

    *out = NULL;
    memset(&t, 0, sizeof t);
    if ((rc = mplan_build(&p, cs, q, 0, err)) < 0)
        goto done;
    r = xcalloc(1, sizeof *r);
    r->own = xcalloc(1, sizeof *r->own);
    r->ctx = q->ctx;
    r->n_by = q->n_by;
    for (int i = 0; i < q->n_by; i++)
        snprintf(r->by[i], sizeof r->by[i], "%s", q->by[i].text);
    r->min_n = q->min_n;
    r->scanned = (int64_t)p.rows;
    if (q->n_metrics) {
        r->n_metrics = q->n_metrics;
        memcpy(r->metrics, q->metrics,
               (size_t)q->n_metrics * sizeof *q->metrics);
    } else if (q->ctx == FIELD_EVENTS) {
        r->metrics[r->n_metrics++].kind = MK_COUNT;
        snprintf(r->metrics[0].text, sizeof r->metrics[0].text, "count");
    } else {
        static const char *const names[] = {"nps", "csat", "ces"};
        for (int i = 0; i < 3; i++) {
            r->metrics[i].kind = (enum metric_kind)(MK_NPS + i);
            snprintf(r->metrics[i].text, sizeof r->metrics[i].text, "%s",
                     names[i]);
        }
        r->n_metrics = 3;
    }
    figures(r, &p);
    r->threads = mscan_run(&p, q->threads, &t);
    val_at = value_index(&p, &t);

    /* Cells with rows (or all, keep_empty) in index order, which is
     * display order because values are numbered in it. */
    size_t n_opts = 0;
    for (int k = 0; k < p.n_gm; k++)
        if (p.gm[k].g == G_CHOICE)
            n_opts += p.gm[k].n_opts;
    size_t cap = 0;
    for (uint32_t idx = 0; idx < p.n_cells; idx++) {
        int64_t rows = cell_rows(&p, t.cnt + ((size_t)idx << p.shift));
        if (!rows && !q->keep_empty)
            continue;
        if (!rows && p.empty && p.rows == 0)
            continue; /* nothing at all: no periods to list */
        r->cells = xgrow(r->cells, &cap, r->n_cells + 1, sizeof *r->cells);
        struct metrics_cell *c = &r->cells[r->n_cells++];
        memset(c, 0, sizeof *c);
        c->n = rows;
        for (int i = 0; i < p.n_by; i++) {
            const struct qfield *qf = p.by[i];
            uint32_t x = idx / p.mult[i] % p.radix[i];
            if (!qf->n_values) {
                c->label[i] = c->display[i] = COLSTORE_NONE;
                c->key[i] = -1;
                continue;
            }
            c->label[i] = qf->label[x];
            c->display[i] =
                qf->display && qf->display[x] ? qf->display[x] : qf->label[x];
            c->key[i] = qf->key ? qf->key[x] : (int64_t)x;
        }
        r->rows += rows;
    }
    /* Figure storage, now that the cell count is known. */
    r->own->figs = xcalloc(r->n_cells * r->n_figs + 1, sizeof *r->own->figs);
    r->own->accs =
        xcalloc(r->n_cells * (size_t)r->n_metrics + 1, sizeof *r->own->accs);
    r->own->options = xcalloc(r->n_cells * n_opts + 1, sizeof *r->own->options);
    {
        size_t ci = 0;
        for (uint32_t idx = 0; idx < p.n_cells && ci < r->n_cells; idx++) {
            int64_t rows = cell_rows(&p, t.cnt + ((size_t)idx << p.shift));
            if (!rows && !q->keep_empty)
                continue;
            struct metrics_cell *c = &r->cells[ci];
            c->fig = r->own->figs + ci * r->n_figs;
            c->acc = r->own->accs + ci * (size_t)r->n_metrics;
            cell_figures(r, &p, &t, idx, c, r->own->options + ci * n_opts,
                         val_at);
            ci++;
        }
    }
    /* The labels live in the fields: the result keeps them. */
    memcpy(r->own->fields, p.fields, (size_t)p.n_fields * sizeof *p.fields);
    r->own->n_fields = p.n_fields;
    p.n_fields = 0;
    *out = r;
    r = NULL;
    rc = 0;
done:
    free(val_at);
    mtotals_dispose(&t, &p);
    metrics_result_free(r);
    mplan_dispose(&p);
    return rc;
}

void metrics_result_free(struct metrics_result *r)
{
    if (!r)
        return;
    if (r->own) {
        for (int i = 0; i < r->own->n_fields; i++)
            qfield_free(r->own->fields[i]);
        free(r->own->figs);
        free(r->own->accs);
        free(r->own->options);
        free(r->own);
    }
    free(r->figs);
    free(r->cells);
    free(r);
}

int metrics_filter_rows(uint8_t **mask, const struct colstore *cs,
                        const struct metrics_query *q, struct err *err)
{
    struct metrics_query f = *q;
    struct mplan p;
    int rc;
    *mask = NULL;
    f.n_by = 0;
    f.n_bins = 0;
    if ((rc = mplan_build(&p, cs, &f, 1, err)) < 0)
        goto done;
    uint8_t *m = xcalloc(p.rows ? p.rows : 1, 1);
    if (!p.empty) {
        uint8_t *pass = mplan_pass_mask(&p);
        if (p.theme_src >= 0) {
            const struct msrc *ts = &p.src[p.theme_src];
            for (size_t j = 0; j < p.n_mentions; j++)
                if (ts->table[msrc_code(ts, j)] < p.limit)
                    m[p.mention_row[j]] = 1;
        } else {
            memset(m, 1, p.rows);
        }
        if (pass)
            for (size_t i = 0; i < p.rows; i++)
                m[i] &= pass[i];
        free(pass);
    }
    *mask = m;
    rc = 0;
done:
    mplan_dispose(&p);
    return rc;
}

int metrics_low_n(const struct metrics_result *r, const struct estimate *e)
{
    return e->n < r->min_n;
}

void metrics_compare_cells(struct comparison *out,
                           const struct metrics_result *ra,
                           const struct metrics_cell *a,
                           const struct metrics_result *rb,
                           const struct metrics_cell *b)
{
    static const struct metrics_acc zero;
    for (size_t f = 0; f < ra->n_figs; f++) {
        const struct metrics_figure *fig = &ra->figs[f];
        const struct metrics_metric *m = &ra->metrics[fig->metric];
        const struct metrics_acc *x = a ? &a->acc[fig->metric] : &zero;
        const struct metrics_acc *y = b ? &b->acc[fig->metric] : &zero;
        struct comparison *c = &out[f];
        struct nps na, nb;
        struct mean ma, mb;
        struct prop pa, pb;
        compare_props(c, &(struct prop){0, 0}, &(struct prop){0, 0});
        switch (m->kind) {
        case MK_NPS:
            nps_from_hist(&na, x->hist);
            nps_from_hist(&nb, y->hist);
            compare_nps(c, &na, &nb);
            break;
        case MK_CSAT:
        case MK_CES: {
            int hi = m->kind == MK_CSAT ? 5 : 7;
            if (!fig->percent) {
                hist_mean(x->hist, 1, hi, &ma);
                hist_mean(y->hist, 1, hi, &mb);
                compare_means(c, &ma, &mb);
            } else {
                hist_prop(x->hist, 1, hi, hi == 5 ? 4 : 5, &pa);
                hist_prop(y->hist, 1, hi, hi == 5 ? 4 : 5, &pb);
                compare_props(c, &pa, &pb);
            }
            break;
        }
        case MK_RATING:
        case MK_MEAN:
            if (fig->percent) {
                pa = (struct prop){x->top, x->n};
                pb = (struct prop){y->top, y->n};
                compare_props(c, &pa, &pb);
            } else {
                compare_means(c, &x->m, &y->m);
            }
            break;
        case MK_CHOICE:
            pa = (struct prop){x->options ? x->options[fig->option] : 0, x->n};
            pb = (struct prop){y->options ? y->options[fig->option] : 0, y->n};
            compare_props(c, &pa, &pb);
            break;
        default:
            compare_props(c, &(struct prop){0, 0}, &(struct prop){0, 0});
            c->valid = 0;
            break;
        }
        /* Never significant on thin or variance-free data. */
        int64_t n_a = a ? a->fig[f].n : 0, n_b = b ? b->fig[f].n : 0;
        if (n_a < ra->min_n || n_b < rb->min_n || !(c->se > 0))
            c->significant = 0;
    }
}
