/* Theme counts per period and the emerging-issue test (emerging.h). */
#include "stats/emerging.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/xalloc.h"
#include "query/qfield.h"
#include "stats/metrics.h"
#include "stats/period.h"

#define MAX_PERIODS 100000

/* ---- counting ---- */

struct emerging_own {
    struct qfield *qf; /* the group field: labels point into it */
};

void emerging_series_free(struct emerging_series *s)
{
    if (!s)
        return;
    free(s->period_key);
    free(s->period_label);
    if (s->own)
        qfield_free(s->own->qf);
    free(s->own);
    free(s->comments);
    free(s->mentions);
    free(s->negative);
    free(s->positive);
    free(s);
}

/* Narrows theme_ok[code] to the themes a theme filter lets through. */
static int theme_filter(const struct colstore *cs,
                        const struct metrics_where *w, uint8_t *theme_ok,
                        struct err *err)
{
    struct qfield *qf;
    int rc;
    if (w->op != MOP_IN && w->op != MOP_NOT_IN)
        return err_set(err, ERR_INVALID, "theme takes = or != values");
    if ((rc = qfield_resolve(&qf, cs, COLSTORE_RESPONSES, &w->field, err)) < 0)
        return rc;
    uint8_t *allowed = xcalloc(qf->n_values + 1, 1);
    for (size_t k = 0; k < w->n; k++)
        if (!qfield_match(qf, cs, w->values[k], strlen(w->values[k]),
                          allowed)) {
            rc = err_set(err, ERR_NOTFOUND, "no theme \"%.60s\"", w->values[k]);
            goto done;
        }
    for (uint32_t c = 0; c < qf->n_codes; c++) {
        int pass = allowed[qfield_value(qf, c)];
        if (w->op == MOP_NOT_IN)
            pass = !pass;
        if (!pass)
            theme_ok[c] = 0;
    }
    rc = 0;
done:
    free(allowed);
    qfield_free(qf);
    return rc;
}

/* The group field resolved and made categorical, with --bins if q has
 * them for it. */
static int resolve_group(struct qfield **out, const struct colstore *cs,
                         const struct metrics_query *q,
                         const struct field *group, struct err *err)
{
    const double *edges = NULL;
    size_t n = 0;
    int rc;
    if (group->kind == FIELD_CORE && group->core == FC_THEME)
        return err_set(err, ERR_INVALID,
                       "themes are counted per group already: group by "
                       "another field");
    const struct metrics_bins *b = metrics_query_bins_for(q, group);
    if (b) {
        edges = b->edges;
        n = b->n;
    }
    if ((rc = qfield_resolve(out, cs, COLSTORE_RESPONSES, group, err)) < 0)
        return rc;
    if ((rc = qfield_categorize(*out, edges, n, MAX_PERIODS, err)) < 0) {
        qfield_free(*out);
        *out = NULL;
    }
    return rc;
}

int emerging_series_build(struct emerging_series **out,
                          const struct colstore *cs,
                          const struct metrics_query *q,
                          const struct field *group, struct err *err)
{
    struct emerging_series *s = NULL;
    struct metrics_query rows = *q;
    struct colstore_columns col;
    uint8_t *mask = NULL, *theme_ok = NULL;
    struct metrics_where *kept = NULL;
    struct qfield *qf = NULL;
    int32_t *gix = NULL;
    int rc;

    *out = NULL;
    /* Theme filters choose the themes counted; the rows are filtered by
     * everything else. */
    size_t n_themes = colstore_card(cs, DIM_THEME);
    theme_ok = xmalloc(n_themes ? n_themes : 1);
    memset(theme_ok, 1, n_themes ? n_themes : 1);
    kept = xcalloc(q->n_where ? q->n_where : 1, sizeof *kept);
    rows.where = kept;
    rows.n_where = 0;
    rows.n_by = 0;
    rows.n_bins = 0;
    for (size_t i = 0; i < q->n_where; i++) {
        const struct metrics_where *w = &q->where[i];
        if (w->field.kind != FIELD_CORE || w->field.core != FC_THEME) {
            kept[rows.n_where++] = *w;
            continue;
        }
        if ((rc = theme_filter(cs, w, theme_ok, err)) < 0)
            goto done;
    }
    if ((rc = metrics_filter_rows(&mask, cs, &rows, err)) < 0 ||
        (group && (rc = resolve_group(&qf, cs, q, group, err)) < 0))
        goto done;

    colstore_columns(cs, &col);
    s = xcalloc(1, sizeof *s);
    s->own = xcalloc(1, sizeof *s->own);
    s->n_themes = n_themes;
    s->group = qf ? qf->f.text : NULL;
    s->is_period = qf && qf->period;
    /* Groups: the field's values; a period's cut to the date range. */
    uint32_t first = 0, last = qf ? qf->n_values : 1;
    if (s->is_period) {
        enum period_unit u = (enum period_unit)(qf->period - 1);
        while (
            first < last &&
            period_first_day(u, qf->key[first] + (u == PERIOD_WEEK ? 7 : 1)) <=
                q->from_day)
            first++;
        while (last > first &&
               period_first_day(u, qf->key[last - 1]) > q->to_day)
            last--;
    }
    s->n_periods = last - first;
    size_t np = s->n_periods ? s->n_periods : 1;
    size_t cells = (n_themes ? n_themes : 1) * np;
    s->period_key = xcalloc(np, sizeof *s->period_key);
    s->period_label = xcalloc(np, sizeof *s->period_label);
    s->comments = xcalloc(np, sizeof *s->comments);
    s->mentions = xcalloc(cells, sizeof *s->mentions);
    s->negative = xcalloc(cells, sizeof *s->negative);
    s->positive = xcalloc(cells, sizeof *s->positive);
    for (size_t t = 0; t < s->n_periods; t++) {
        s->period_label[t] = qf ? qf->label[first + t] : "all";
        s->period_key[t] = qf && qf->key ? qf->key[first + t] : (int64_t)t;
    }
    s->own->qf = qf;
    qf = NULL;
    if (!s->n_periods)
        goto ok;

    /* Each row's group, or -1 outside the groups (the date range is in
     * mask already). */
    const struct qfield *g = s->own->qf;
    gix = xmalloc((col.n ? col.n : 1) * sizeof *gix);
    for (size_t i = 0; i < col.n; i++) {
        int64_t t = 0;
        if (g)
            t = (int64_t)qfield_value(g, qfield_code(g, i)) - first;
        gix[i] = t < 0 || t >= (int64_t)s->n_periods ? -1 : (int32_t)t;
    }
    for (size_t i = 0; i < col.n; i++)
        if (mask[i] && col.sentiment[i] != COLSTORE_NO_SENTIMENT && gix[i] >= 0)
            s->comments[gix[i]]++;
    for (size_t j = 0; j < col.n_mentions; j++) {
        uint32_t i = col.mention_row[j];
        unsigned th = col.mention_theme[j];
        if (!mask[i] || !theme_ok[th] || gix[i] < 0)
            continue;
        size_t c = th * s->n_periods + (size_t)gix[i];
        s->mentions[c]++;
        if (col.mention_aspect[j] < 0)
            s->negative[c]++;
        else if (col.mention_aspect[j] > 0)
            s->positive[c]++;
    }
ok:
    *out = s;
    s = NULL;
    rc = 0;
done:
    free(gix);
    qfield_free(qf);
    emerging_series_free(s);
    free(mask);
    free(theme_ok);
    free(kept);
    return rc;
}

/* ---- the test ---- */

struct pv {
    double p;
    size_t i;
};

static int pv_cmp(const void *a, const void *b)
{
    const struct pv *x = a, *y = b;
    if (x->p != y->p)
        return x->p < y->p ? -1 : 1;
    return x->i < y->i ? -1 : x->i > y->i;
}

void emerging_holm(double *p_adj, const double *p, size_t m)
{
    struct pv *v;
    double run = 0;
    if (!m)
        return;
    v = xmalloc(m * sizeof *v);
    for (size_t i = 0; i < m; i++) {
        v[i].p = p[i];
        v[i].i = i;
    }
    qsort(v, m, sizeof *v, pv_cmp);
    for (size_t k = 0; k < m; k++) {
        double a = (double)(m - k) * v[k].p;
        if (a > 1)
            a = 1;
        if (a > run)
            run = a;
        p_adj[v[k].i] = run;
    }
    free(v);
}

/* Tests period t of one theme against the periods before it. */
static void test_one(struct emerging_test *e, const int64_t *c,
                     const int64_t *n, size_t t, const struct emerging_opts *o)
{
    int64_t C = 0, N = 0;
    int k = 0;
    memset(e, 0, sizeof *e);
    e->count = c[t];
    e->n = n[t];
    e->share = n[t] ? (double)c[t] / (double)n[t] : 0;
    e->p = e->p_exact = e->p_quasi = e->p_holm = 1;
    e->dispersion = 1;
    for (size_t b = t; b-- > 0 && t - b <= (size_t)o->window;) {
        if (n[b] <= 0)
            continue;
        C += c[b];
        N += n[b];
        k++;
    }
    if (k < o->min_window || k < 2 || n[t] <= 0)
        return;
    e->tested = 1;
    e->base_periods = k;
    double pb = (double)C / (double)N;
    e->base_share = pb;

    /* Exact conditional test: the period's share of all the mentions in
     * period and baseline, against its share of the comments. */
    double frac = (double)n[t] / (double)(n[t] + N);
    if (c[t] <= 0)
        e->p_exact = 1;
    else
        e->p_exact = gsl_cdf_binomial_Q((unsigned)(c[t] - 1), frac,
                                        (unsigned)(c[t] + C));

    /* Quasi-binomial: the baseline's own period-to-period variation. */
    if (C > 0 && C < N) {
        double chi2 = 0;
        for (size_t b = t; b-- > 0 && t - b <= (size_t)o->window;) {
            if (n[b] <= 0)
                continue;
            double ex = (double)n[b] * pb;
            chi2 += ((double)c[b] - ex) * ((double)c[b] - ex) / (ex * (1 - pb));
        }
        double phi = chi2 / (k - 1);
        if (phi < 1e-9)
            phi = 1e-9;
        e->dispersion = phi;
        double var =
            phi * (double)n[t] * pb * (1 - pb) * (1 + (double)n[t] / (double)N);
        e->z = ((double)c[t] - (double)n[t] * pb) / sqrt(var);
        e->p_quasi = gsl_cdf_tdist_Q(e->z, (double)(k - 1));
    } else {
        /* no variation to measure (never or always mentioned): the exact
         * test alone */
        e->p_quasi = e->p_exact;
        e->z = 0;
    }
    e->p = e->p_exact > e->p_quasi ? e->p_exact : e->p_quasi;
}

size_t emerging_run(struct emerging_test *out, const int64_t *counts,
                    const int64_t *totals, size_t n_themes, size_t n_periods,
                    const struct emerging_opts *o)
{
    double *p = xmalloc((n_themes ? n_themes : 1) * sizeof *p);
    double *adj = xmalloc((n_themes ? n_themes : 1) * sizeof *adj);
    size_t *idx = xmalloc((n_themes ? n_themes : 1) * sizeof *idx);
    size_t flags = 0;
    for (size_t j = 0; j < n_themes; j++)
        for (size_t t = 0; t < n_periods; t++)
            test_one(&out[j * n_periods + t], counts + j * n_periods, totals, t,
                     o);
    for (size_t t = 0; t < n_periods; t++) {
        size_t m = 0;
        for (size_t j = 0; j < n_themes; j++)
            if (out[j * n_periods + t].tested) {
                idx[m] = j;
                p[m++] = out[j * n_periods + t].p;
            }
        emerging_holm(adj, p, m);
        for (size_t i = 0; i < m; i++) {
            struct emerging_test *e = &out[idx[i] * n_periods + t];
            e->p_holm = adj[i];
            e->flagged = adj[i] < o->alpha && e->count >= o->min_count &&
                         e->share > e->base_share;
            flags += (size_t)e->flagged;
        }
    }
    free(p);
    free(adj);
    free(idx);
    return flags;
}
