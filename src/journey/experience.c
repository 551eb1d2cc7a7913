#include "journey/experience.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "colstore/colstore.h"
#include "core/err.h"
#include "core/xalloc.h"
#include "stats/nps.h"
#include "stats/prop.h"

/* Running counts of one stage or touchpoint. */
struct tally {
    struct nps nps;
    size_t responses, commented, negative;
    size_t *theme, *theme_neg; /* [n_th] */
    size_t *channel;           /* [n_ch] responses by channel */
    int64_t latest_row, latest_neg_row;
    size_t top_pain; /* the theme most often mentioned negatively, or
                        SIZE_MAX: set between the two passes */
};

static void top_themes(struct journey_theme_share *out, size_t *n,
                       const size_t *count, const size_t *neg, size_t n_th,
                       size_t commented, const struct colstore *cs)
{
    *n = 0;
    for (int k = 0; k < JOURNEY_EXP_THEMES; k++) {
        size_t best = SIZE_MAX;
        for (size_t t = 0; t < n_th; t++) {
            int taken = 0;
            for (size_t j = 0; j < *n; j++)
                taken |= !strcmp(out[j].theme,
                                 colstore_label(cs, DIM_THEME, (int)t));
            if (!taken && count[t] &&
                (best == SIZE_MAX || count[t] > count[best]))
                best = t;
        }
        if (best == SIZE_MAX)
            break;
        out[*n].theme = colstore_label(cs, DIM_THEME, (int)best);
        out[*n].share = (double)count[best] / (double)commented;
        out[*n].negative = neg ? (double)neg[best] / (double)count[best] : NAN;
        (*n)++;
    }
}

static void fill_row(struct journey_exp_row *x, const struct tally *t,
                     const struct colstore *cs, size_t n_th, size_t n_ch,
                     const struct colstore_columns *col)
{
    x->responses = t->responses;
    nps_compute(&x->nps, &t->nps);
    x->commented = t->commented;
    struct prop p = {(int64_t)t->negative, (int64_t)t->commented};
    prop_compute(&x->negative, &p);
    if (t->commented) {
        top_themes(x->themes, &x->n_themes, t->theme, t->theme_neg, n_th,
                   t->commented, cs);
        top_themes(x->pains, &x->n_pains, t->theme_neg, NULL, n_th,
                   t->commented, cs);
    }
    size_t best = SIZE_MAX;
    for (size_t c = 0; c < n_ch; c++)
        if (t->channel[c] &&
            (best == SIZE_MAX || t->channel[c] > t->channel[best]))
            best = c;
    if (best != SIZE_MAX && !x->channel)
        x->channel = colstore_label(cs, DIM_CHANNEL, (int)best);
    /* the quote, until a negative one naming the top pain is found */
    x->quote_id = t->latest_row >= 0 ? col->id[t->latest_row] : 0;
}

int journey_experience_build(struct journey_experience **out,
                             const struct colstore *cs, const uint8_t *use,
                             struct err *err)
{
    (void)err;
    struct colstore_columns col;
    *out = NULL;
    colstore_columns(cs, &col);
    size_t n_tp = colstore_card(cs, DIM_TOUCHPOINT),
           n_st = colstore_card(cs, DIM_STAGE),
           n_th = colstore_card(cs, DIM_THEME),
           n_ch = colstore_card(cs, DIM_CHANNEL);
    struct tally *tt = xcalloc(n_tp + n_st + 1, sizeof *tt);
    struct tally *ts = tt + n_tp;
    size_t *pool =
        xcalloc((n_tp + n_st + 1) * (2 * n_th + n_ch + 1), sizeof *pool);
    for (size_t i = 0; i < n_tp + n_st; i++) {
        tt[i].theme = pool + i * (2 * n_th + n_ch + 1);
        tt[i].theme_neg = tt[i].theme + n_th;
        tt[i].channel = tt[i].theme_neg + n_th;
        tt[i].latest_row = tt[i].latest_neg_row = -1;
    }
    /* the first mention of each row (mentions are in row order) */
    size_t *mfirst = xcalloc(col.n + 1, sizeof *mfirst);
    for (size_t m = 0; m < col.n_mentions; m++)
        mfirst[col.mention_row[m] + 1]++;
    for (size_t r = 0; r < col.n; r++)
        mfirst[r + 1] += mfirst[r];
    /* each stage's and touchpoint's top pain, for the quote: a second
     * pass after the counts */
    struct nps all = NPS_INIT;
    for (int pass = 0; pass < 2; pass++) {
        for (size_t r = 0; r < col.n; r++) {
            if ((use && !use[r]) || col.touchpoint[r] >= n_tp)
                continue;
            int st = colstore_touchpoint_stage(cs, col.touchpoint[r]);
            struct tally *g[2] = {&tt[col.touchpoint[r]],
                                  st >= 0 ? &ts[st] : NULL};
            int said = col.sentiment[r] != COLSTORE_NO_SENTIMENT;
            for (int k = 0; k < 2; k++) {
                struct tally *t = g[k];
                if (!t)
                    continue;
                if (pass == 1) {
                    /* the latest negative comment naming the top pain */
                    if (said && col.sentiment[r] == COLSTORE_NEGATIVE &&
                        t->top_pain != SIZE_MAX)
                        for (size_t m = mfirst[r]; m < mfirst[r + 1]; m++)
                            if (col.mention_theme[m] == t->top_pain)
                                t->latest_neg_row = (int64_t)r;
                    continue;
                }
                t->responses++;
                nps_add(&t->nps, col.nps[r]);
                if (col.channel[r] < n_ch)
                    t->channel[col.channel[r]]++;
                if (!said)
                    continue;
                t->commented++;
                t->negative += col.sentiment[r] == COLSTORE_NEGATIVE;
                t->latest_row = (int64_t)r;
                for (size_t m = mfirst[r]; m < mfirst[r + 1]; m++) {
                    t->theme[col.mention_theme[m]]++;
                    t->theme_neg[col.mention_theme[m]] +=
                        col.mention_aspect[m] < 0;
                }
            }
            if (pass == 0)
                nps_add(&all, col.nps[r]);
        }
        for (size_t i = 0; pass == 0 && i < n_tp + n_st; i++) {
            struct tally *t = &tt[i];
            t->top_pain = SIZE_MAX;
            for (size_t h = 0; h < n_th; h++)
                if (t->theme_neg[h] &&
                    (t->top_pain == SIZE_MAX ||
                     t->theme_neg[h] > t->theme_neg[t->top_pain]))
                    t->top_pain = h;
        }
    }

    struct journey_experience *x = xcalloc(1, sizeof *x);
    nps_compute(&x->nps_all, &all);
    uint32_t *rank = xcalloc(n_st + n_tp + 1, sizeof *rank);
    uint32_t *order = xcalloc(n_st + n_tp + 1, sizeof *order);
    x->st = xcalloc(n_st ? n_st : 1, sizeof *x->st);
    x->tp = xcalloc(n_tp ? n_tp : 1, sizeof *x->tp);
    colstore_order(cs, DIM_STAGE, rank);
    for (size_t s = 0; s < n_st; s++)
        order[rank[s]] = (uint32_t)s;
    for (size_t q = 0; q < n_st; q++) {
        int s = (int)order[q];
        struct journey_exp_row *row = &x->st[x->n_st++];
        row->code = row->stage = s;
        row->key = colstore_label(cs, DIM_STAGE, s);
        row->name = colstore_name(cs, DIM_STAGE, s);
        fill_row(row, &ts[s], cs, n_th, 0, &col);
        if (ts[s].latest_neg_row >= 0)
            row->quote_id = col.id[ts[s].latest_neg_row];
    }
    colstore_order(cs, DIM_TOUCHPOINT, rank);
    for (size_t t = 0; t < n_tp; t++)
        order[rank[t]] = (uint32_t)t;
    for (size_t q = 0; q < n_tp; q++) {
        int t = (int)order[q];
        struct colstore_tpinfo info;
        colstore_tpinfo(cs, t, &info);
        struct journey_exp_row *row = &x->tp[x->n_tp++];
        row->code = t;
        row->stage = colstore_touchpoint_stage(cs, t);
        row->key = colstore_label(cs, DIM_TOUCHPOINT, t);
        row->name = colstore_name(cs, DIM_TOUCHPOINT, t);
        row->moment_of_truth = info.moment_of_truth;
        fill_row(row, &tt[t], cs, n_th, n_ch, &col);
        if (tt[t].latest_neg_row >= 0)
            row->quote_id = col.id[tt[t].latest_neg_row];
        row->pain_point = row->nps.n > 0 && row->nps.hi < x->nps_all.value;
        for (size_t s = 0; s < x->n_st; s++)
            if (x->st[s].code == row->stage && info.moment_of_truth)
                x->st[s].moment_of_truth = 1;
    }
    for (size_t s = 0; s < x->n_st; s++)
        x->st[s].pain_point =
            x->st[s].nps.n > 0 && x->st[s].nps.hi < x->nps_all.value;
    free(rank);
    free(order);
    free(mfirst);
    free(pool);
    free(tt);
    *out = x;
    return 0;
}

void journey_experience_free(struct journey_experience *x)
{
    if (!x)
        return;
    free(x->st);
    free(x->tp);
    free(x);
}
