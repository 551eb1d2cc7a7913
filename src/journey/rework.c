#include "journey/rework.h"

#include <stdlib.h>
#include <string.h>

#include "colstore/colstore.h"
#include "core/err.h"
#include "core/xalloc.h"
#include "journey/cases.h"
#include "journey/journey_int.h"
#include "stats/nps.h"
#include "stats/prop.h"

static int cmp_switch(const void *a, const void *b)
{
    const struct journey_switch *x = a, *y = b;
    if (x->count != y->count)
        return x->count > y->count ? -1 : 1;
    if (x->from != y->from)
        return x->from < y->from ? -1 : 1;
    return (x->to > y->to) - (x->to < y->to);
}

static int cmp_step(const void *a, const void *b)
{
    const struct journey_rework_step *x = a, *y = b;
    if (x->repeated != y->repeated)
        return x->repeated > y->repeated ? -1 : 1;
    return (x->step > y->step) - (x->step < y->step);
}

int journey_rework_build(struct journey_rework **out, const struct colstore *cs,
                         const struct journey_cases *c,
                         const struct journey_rework_opts *opts,
                         struct err *err)
{
    struct journey_rework_opts o = {0, 7 * 86400};
    struct colstore_events ev;
    *out = NULL;
    if (opts)
        o = *opts;
    if (o.window < 0 || o.after < 0)
        return err_set(err, ERR_INVALID, "a negative window");
    colstore_events_view(cs, &ev);
    uint32_t ns = c->n_steps, n_ch = (uint32_t)colstore_card(cs, DIM_CHANNEL);
    struct journey_rework *r = xcalloc(1, sizeof *r);
    r->n_cases = c->n;

    struct journey_answers ja;
    journey_answers_index(&ja, cs, c, o.after);
    size_t *cnt = xcalloc(ns ? ns : 1, sizeof *cnt);
    int64_t *last = xmalloc((ns ? ns : 1) * sizeof *last);
    uint8_t *near = xcalloc(ns ? ns : 1, 1);
    size_t *with = xcalloc(ns ? ns : 1, sizeof *with);
    size_t *rep = xcalloc(ns ? ns : 1, sizeof *rep);
    size_t *within = xcalloc(ns ? ns : 1, sizeof *within);
    struct nps *once = xcalloc(ns ? ns : 1, sizeof *once);
    struct nps *twice = xcalloc(ns ? ns : 1, sizeof *twice);
    size_t *sw =
        xcalloc((size_t)(n_ch ? n_ch : 1) * (n_ch ? n_ch : 1), sizeof *sw);
    uint32_t *touched =
        xmalloc((c->n_events ? c->n_events : 1) * sizeof *touched);
    struct nps cn;

    for (size_t i = 0; i < c->n; i++) {
        size_t lo = c->off[i], hi = c->off[i + 1], nt = 0;
        int looped = 0, switched = 0;
        uint32_t prev_ch = UINT32_MAX;
        for (size_t p = lo; p < hi; p++) {
            uint32_t s = c->step[p];
            if (cnt[s]++ == 0) {
                touched[nt++] = s;
            } else {
                looped = 1;
                if (o.window == 0 || c->ts[p] - last[s] <= o.window)
                    near[s] = 1;
            }
            last[s] = c->ts[p];
            uint32_t ch = ev.channel[c->ev[p]];
            if (ch < n_ch) {
                if (prev_ch != UINT32_MAX && ch != prev_ch) {
                    sw[(size_t)prev_ch * n_ch + ch]++;
                    switched = 1;
                }
                prev_ch = ch;
            }
        }
        r->looped += looped;
        r->switched += switched;
        memset(&cn, 0, sizeof cn);
        journey_case_nps(&cn, &ja, c, i, o.after);
        for (size_t t = 0; t < nt; t++) {
            uint32_t s = touched[t];
            with[s]++;
            if (cnt[s] > 1) {
                rep[s]++;
                within[s] += near[s];
                nps_merge(&twice[s], &cn);
            } else {
                nps_merge(&once[s], &cn);
            }
            cnt[s] = 0;
            near[s] = 0;
        }
    }
    struct prop lp = {(int64_t)r->looped, (int64_t)c->n};
    prop_compute(&r->looped_share, &lp);

    r->s = xcalloc(ns ? ns : 1, sizeof *r->s);
    for (uint32_t s = 0; s < ns; s++) {
        if (!rep[s])
            continue;
        struct journey_rework_step *x = &r->s[r->n++];
        x->step = s;
        x->cases = with[s];
        x->repeated = rep[s];
        x->within = within[s];
        struct prop sp = {(int64_t)rep[s], (int64_t)with[s]};
        prop_compute(&x->share, &sp);
        nps_compute(&x->nps_once, &once[s]);
        nps_compute(&x->nps_repeated, &twice[s]);
        compare_nps(&x->diff, &once[s], &twice[s]);
    }
    qsort(r->s, r->n, sizeof *r->s, cmp_step);

    r->sw =
        xcalloc((size_t)(n_ch ? n_ch : 1) * (n_ch ? n_ch : 1), sizeof *r->sw);
    for (uint32_t a = 0; a < n_ch; a++)
        for (uint32_t b = 0; b < n_ch; b++)
            if (sw[(size_t)a * n_ch + b])
                r->sw[r->n_switches++] =
                    (struct journey_switch){a, b, sw[(size_t)a * n_ch + b]};
    qsort(r->sw, r->n_switches, sizeof *r->sw, cmp_switch);
    r->channel = xcalloc(n_ch ? n_ch : 1, sizeof *r->channel);
    for (uint32_t ch = 0; ch < n_ch; ch++)
        r->channel[ch] = colstore_label(cs, DIM_CHANNEL, (int)ch);
    r->after = o.after;
    r->window = o.window;

    journey_answers_dispose(&ja);
    free(cnt);
    free(last);
    free(near);
    free(with);
    free(rep);
    free(within);
    free(once);
    free(twice);
    free(sw);
    free(touched);
    *out = r;
    return 0;
}

void journey_rework_free(struct journey_rework *r)
{
    if (!r)
        return;
    free(r->s);
    free(r->sw);
    free(r->channel);
    free(r);
}
