/* The persona cards: what sets each cluster apart, its channels, NPS,
 * themes, pains and the customers to quote (analysis/personas.h). */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/personas_int.h"
#include "core/xalloc.h"
#include "stats/nps.h"

/* Keeps the best `cap` traits by |score| in t[0..*n). */
static void keep_trait(struct personas_trait *t, size_t *n, size_t cap,
                       const struct personas_trait *x)
{
    size_t i = *n < cap ? (*n)++ : cap;
    if (i == cap) {
        if (fabs(x->score) <= fabs(t[cap - 1].score))
            return;
        i = cap - 1;
    }
    for (; i > 0 && fabs(t[i - 1].score) < fabs(x->score); i--)
        t[i] = t[i - 1];
    t[i] = *x;
}

/* Keeps the `cap` largest by n in v[0..*n). */
static void keep_item(struct personas_item *v, size_t *n, size_t cap,
                      const struct personas_item *x)
{
    size_t i = *n < cap ? (*n)++ : cap;
    if (i == cap) {
        if (x->n <= v[cap - 1].n)
            return;
        i = cap - 1;
    }
    for (; i > 0 && v[i - 1].n < x->n; i--)
        v[i] = v[i - 1];
    v[i] = *x;
}

static void traits(struct personas_persona *pp, const struct design *d,
                   const struct cust *cu, const uint32_t *as, uint32_t c)
{
    for (size_t j = 0; j < d->pn; j++) {
        const double *col = d->raw + j * d->m;
        const struct personas_feature *f = &d->fn[j];
        double s = 0;
        size_t n = 0;
        for (size_t i = 0; i < d->m; i++)
            if (as[i] == c && !isnan(col[i])) {
                s += col[i];
                n++;
            }
        if (!n || !(f->sd > 0))
            continue;
        struct personas_trait t = {{0}, 0, s / (double)n, f->mean, 0};
        t.score = (t.in - t.all) / f->sd;
        snprintf(t.label, sizeof t.label, "%s", f->name);
        keep_trait(pp->traits, &pp->n_traits, PERSONAS_TRAITS, &t);
    }
    for (size_t j = 0; j < d->pc; j++) {
        size_t nl = d->nlev[j], *in = xcalloc(nl, sizeof *in),
               *all = xcalloc(nl, sizeof *all);
        for (size_t i = 0; i < d->m; i++) {
            uint32_t v = d->c[i * d->pc + j];
            all[v]++;
            in[v] += as[i] == c;
        }
        for (size_t v = 0; v < nl; v++) {
            double pa = (double)all[v] / (double)d->m;
            if (!in[v] || pa <= 0 || pa >= 1)
                continue;
            struct personas_trait t = {
                {0}, 1, (double)in[v] / (double)pp->n, pa, 0};
            t.score = (t.in - t.all) / sqrt(pa * (1 - pa));
            if (t.score <= 0)
                continue;
            snprintf(t.label, sizeof t.label, "%.300s=%.300s", d->fc[j].name,
                     colstore_col_label(cu->cs, COLSTORE_CUSTOMERS,
                                        d->cat_col[j], (uint32_t)v));
            keep_trait(pp->traits, &pp->n_traits, PERSONAS_TRAITS, &t);
        }
        free(in);
        free(all);
    }
}

struct order {
    double key;
    size_t i;
};

static int cmp_order(const void *a, const void *b)
{
    const struct order *x = a, *y = b;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    return x->i < y->i ? -1 : x->i > y->i;
}

void personas_cards_build(struct personas_result *r, const struct design *d,
                          const struct cust *cu, const struct protos *p,
                          const uint32_t *as)
{
    const struct colstore *cs = cu->cs;
    const struct colstore_columns *col = &cu->col;
    size_t k = (size_t)r->k, m = d->m;
    size_t nch = colstore_card(cs, DIM_CHANNEL);
    size_t ntp = colstore_card(cs, DIM_TOUCHPOINT);
    size_t nth = colstore_card(cs, DIM_THEME);
    struct order *ord = xcalloc(k, sizeof *ord);
    uint32_t *rank = xcalloc(k, sizeof *rank);
    size_t *size = xcalloc(k, sizeof *size);
    size_t *chk = xcalloc(k * (nch ? nch : 1), sizeof *chk);
    size_t *chall = xcalloc(nch ? nch : 1, sizeof *chall);
    size_t *th = xcalloc(k * (nth ? nth : 1), sizeof *th);
    size_t *neg = xcalloc(k * (nth ? nth : 1), sizeof *neg);
    struct nps *tpn = xcalloc(k * (ntp ? ntp : 1), sizeof *tpn);
    struct nps *pn = xcalloc(k, sizeof *pn);
    int64_t *last = xmalloc(m * sizeof *last);
    size_t rall = 0;

    /* personas by size, largest first (ties: the lower cluster number) */
    for (size_t i = 0; i < m; i++)
        size[as[i]]++;
    for (size_t c = 0; c < k; c++) {
        ord[c].key = -(double)size[c];
        ord[c].i = c;
    }
    qsort(ord, k, sizeof *ord, cmp_order);
    for (size_t c = 0; c < k; c++)
        rank[ord[c].i] = (uint32_t)c;
    r->p = xcalloc(k, sizeof *r->p);
    r->assign = xmalloc(m * sizeof *r->assign);
    for (size_t i = 0; i < m; i++)
        r->assign[i] = rank[as[i]];

    /* responses: channels, NPS, touchpoints, the last commented one */
    for (size_t i = 0; i < m; i++)
        last[i] = -1;
    for (size_t row = 0; row < col->n; row++) {
        if (!cu->use[row] || col->customer[row] == COLSTORE_NO_CUSTOMER)
            continue;
        size_t i = (size_t)cu->pos[col->customer[row]];
        size_t c = r->assign[i];
        r->p[c].responses++;
        chk[c * nch + col->channel[row]]++;
        chall[col->channel[row]]++;
        rall++;
        nps_add(&pn[c], col->nps[row]);
        nps_add(&tpn[c * ntp + col->touchpoint[row]], col->nps[row]);
        if (col->sentiment[row] != COLSTORE_NO_SENTIMENT) {
            r->p[c].commented++;
            if (last[i] < 0 || col->ts[row] >= col->ts[last[i]])
                last[i] = (int64_t)row;
        }
    }
    for (size_t j = 0; j < col->n_mentions; j++) {
        size_t row = col->mention_row[j];
        if (!cu->use[row] || col->customer[row] == COLSTORE_NO_CUSTOMER)
            continue;
        size_t c = r->assign[cu->pos[col->customer[row]]];
        th[c * nth + col->mention_theme[j]]++;
        neg[c * nth + col->mention_theme[j]] += col->mention_aspect[j] < 0;
    }

    size_t comm = 0; /* commented responses of all personas */
    for (size_t c = 0; c < k; c++)
        comm += r->p[c].commented;
    for (size_t c = 0; c < k; c++) {
        struct personas_persona *pp = &r->p[c];
        size_t oc = ord[c].i;
        pp->n = size[oc];
        pp->share = (double)pp->n / (double)m;
        traits(pp, d, cu, r->assign, (uint32_t)c);
        for (size_t ch = 0; ch < nch; ch++) {
            if (!chk[c * nch + ch])
                continue;
            struct personas_item it = {{0}, 0, 0, chk[c * nch + ch]};
            it.in = (double)it.n / (double)pp->responses;
            it.all = (double)chall[ch] / (double)rall;
            snprintf(it.label, sizeof it.label, "%s",
                     colstore_label(cs, DIM_CHANNEL, (int)ch));
            keep_item(pp->channels, &pp->n_channels, 2, &it);
        }
        nps_compute(&pp->nps, &pn[c]);
        for (size_t t = 0; t < nth; t++) {
            size_t tall = 0, nall = 0;
            for (size_t o = 0; o < k; o++) {
                tall += th[o * nth + t];
                nall += neg[o * nth + t];
            }
            struct personas_item it = {{0}, 0, 0, th[c * nth + t]};
            snprintf(it.label, sizeof it.label, "%s",
                     colstore_label(cs, DIM_THEME, (int)t));
            it.in = pp->commented ? (double)it.n / (double)pp->commented : NAN;
            it.all = comm ? (double)tall / (double)comm : NAN;
            if (it.n)
                keep_item(pp->themes, &pp->n_themes, PERSONAS_TOP, &it);
            it.n = neg[c * nth + t];
            it.in = pp->commented ? (double)it.n / (double)pp->commented : NAN;
            it.all = comm ? (double)nall / (double)comm : NAN;
            if (it.n)
                keep_item(pp->pains, &pp->n_pains, PERSONAS_TOP, &it);
        }
        estimate_clear(&pp->weakest_nps);
        for (size_t t = 0; t < ntp; t++) {
            struct estimate e;
            if (nps_n(&tpn[c * ntp + t]) < r->min_n)
                continue;
            nps_compute(&e, &tpn[c * ntp + t]);
            if (!pp->weakest[0] || e.value < pp->weakest_nps.value) {
                pp->weakest_nps = e;
                snprintf(pp->weakest, sizeof pp->weakest, "%s",
                         colstore_name(cs, DIM_TOUCHPOINT, (int)t));
            }
        }
    }

    /* quotes: the customers nearest their prototype with a comment */
    struct order *near = xmalloc(m * sizeof *near);
    for (size_t c = 0; c < k; c++) {
        size_t oc = ord[c].i, n = 0;
        for (size_t i = 0; i < m; i++)
            if (as[i] == oc && last[i] >= 0) {
                near[n].key = personas_dist(d, r->gamma, i, p->x + oc * d->pn,
                                            p->c + oc * d->pc);
                near[n++].i = i;
            }
        qsort(near, n, sizeof *near, cmp_order);
        for (size_t q = 0; q < n && q < 2; q++)
            r->p[c].quote_id[q] = col->id[last[near[q].i]];
        double cost = 0;
        for (size_t i = 0; i < m; i++)
            if (as[i] == oc)
                cost += personas_dist(d, r->gamma, i, p->x + oc * d->pn,
                                      p->c + oc * d->pc);
        r->p[c].cost = cost;
    }
    free(near);
    free(ord);
    free(rank);
    free(size);
    free(chk);
    free(chall);
    free(th);
    free(neg);
    free(tpn);
    free(pn);
    free(last);
}
