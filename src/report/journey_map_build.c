#include "report/journey_map_build.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/strbuf.h"
#include "core/xalloc.h"
#include "journey/cases.h"
#include "journey/dfg.h"
#include "journey/experience.h"
#include "journey/funnel.h"
#include "journey/moments.h"
#include "journey/variants.h"
#include "report/result.h"

/* The drop-off from stage code st to the next stage the funnel holds:
 * 100 - that step's conversion, its CI turned over. */
static void drop_off(struct estimate *out, const struct journey_funnel *f,
                     int st)
{
    estimate_clear(out);
    for (size_t k = 0; f && k + 1 < f->n; k++) {
        if (f->s[k].step != (uint32_t)st)
            continue;
        const struct estimate *c = &f->s[k + 1].conv;
        out->n = c->n;
        out->value = 100 - c->value;
        out->lo = 100 - c->hi;
        out->hi = 100 - c->lo;
        out->se = c->se;
    }
}

static int measured(const struct journey_moments *m, int tp)
{
    for (size_t i = 0; m && i < m->n_tp; i++)
        if (m->tp[i].code == tp)
            return m->tp[i].measured;
    return 0;
}

static void build_process(struct journey_map_doc *d,
                          const struct journey_map_input *in)
{
    const struct journey_cases *c = in->c;
    const struct journey_dfg *g = in->g;
    if (!c || !g || c->n_steps == 0 || c->n_steps > JOURNEY_PROCESS_MAX_NODES)
        return;
    d->nodes = xcalloc(c->n_steps, sizeof *d->nodes);
    for (uint32_t s = 0; s < c->n_steps; s++) {
        d->nodes[s].label = c->name[s] ? c->name[s] : c->label[s];
        d->nodes[s].count = g->node_count[s];
    }
    d->edges = xcalloc(g->n ? g->n : 1, sizeof *d->edges);
    for (size_t i = 0; i < g->n; i++) {
        const struct journey_edge *e = &g->e[i];
        d->edges[i].from = e->from == JOURNEY_START ? JOURNEY_PROCESS_START
                           : e->from == JOURNEY_END ? JOURNEY_PROCESS_END
                                                    : e->from;
        d->edges[i].to = e->to == JOURNEY_START ? JOURNEY_PROCESS_START
                         : e->to == JOURNEY_END ? JOURNEY_PROCESS_END
                                                : e->to;
        d->edges[i].count = e->count;
        d->edges[i].median_s = e->median;
    }
    size_t nv = 0, steps = 0;
    if (in->v) {
        nv = in->v->n < JOURNEY_PROCESS_MAX_VARIANTS
                 ? in->v->n
                 : JOURNEY_PROCESS_MAX_VARIANTS;
        for (size_t i = 0; i < nv; i++)
            steps += in->v->v[i].len;
        d->variants = xcalloc(nv ? nv : 1, sizeof *d->variants);
        d->variant_steps = xcalloc(steps ? steps : 1, sizeof *d->variant_steps);
        size_t at = 0;
        for (size_t i = 0; i < nv; i++) {
            const struct journey_variant *v = &in->v->v[i];
            d->variants[i].steps = d->variant_steps + at;
            d->variants[i].len = v->len;
            d->variants[i].count = v->cases;
            d->variants[i].share_pct = 100 * v->share;
            for (size_t k = 0; k < v->len; k++)
                d->variant_steps[at++] = v->steps[k];
        }
    }
    d->process = (struct journey_process){in->lang,
                                          c->n,
                                          d->nodes,
                                          c->n_steps,
                                          d->edges,
                                          g->n,
                                          in->min_count ? in->min_count : 1,
                                          d->variants,
                                          nv};
    d->has_process = 1;
}

int journey_map_doc_new(struct journey_map_doc **out,
                        const struct journey_map_input *in, struct err *err)
{
    const struct journey_experience *x = in->x;
    *out = NULL;
    if (!x || (x->n_st == 0 && !in->g))
        return err_set(err, ERR_INVALID,
                       "the journey has no stages: load a journey definition "
                       "first (resonans journey load FILE)");
    struct journey_map_doc *d = xcalloc(1, sizeof *d);
    d->stages = xcalloc(x->n_st ? x->n_st : 1, sizeof *d->stages);
    d->tps = xcalloc(x->n_tp ? x->n_tp : 1, sizeof *d->tps);
    size_t at = 0;
    for (size_t i = 0; i < x->n_st; i++) {
        const struct journey_exp_row *s = &x->st[i];
        struct journey_map_stage *m = &d->stages[i];
        m->key = s->key;
        m->name = s->name;
        m->nps = s->nps;
        drop_off(&m->drop_off, in->funnel, s->code);
        if (i + 1 == x->n_st)
            estimate_clear(&m->drop_off);
        for (size_t k = 0; k < s->n_themes && k < JOURNEY_MAP_THEMES; k++) {
            m->themes[k].label = s->themes[k].theme;
            m->themes[k].share_pct = 100 * s->themes[k].share;
            m->n_themes++;
        }
        m->verbatim = in->stage_quote ? in->stage_quote[i] : NULL;
        m->touchpoints = d->tps + at;
        for (size_t t = 0; t < x->n_tp; t++) {
            const struct journey_exp_row *r = &x->tp[t];
            if (r->stage != s->code)
                continue;
            struct journey_map_touchpoint *p = &d->tps[at++];
            p->key = r->key;
            p->name = r->name;
            p->channel = r->channel ? r->channel : "other";
            p->moment_of_truth = r->moment_of_truth;
            p->measured_moment = measured(in->moments, r->code);
            p->pain = r->pain_point;
            p->nps = r->nps;
            m->n_touchpoints++;
        }
    }
    int sv = in->lang && !strcmp(in->lang, "sv");
    d->map = (struct journey_map){in->title ? in->title
                                  : sv      ? "Kundresan"
                                            : "The customer journey",
                                  in->lang,
                                  d->stages,
                                  x->n_st,
                                  NULL,
                                  0};
    build_process(d, in);
    *out = d;
    return 0;
}

void journey_map_doc_free(struct journey_map_doc *d)
{
    if (!d)
        return;
    free(d->stages);
    free(d->tps);
    free(d->channels);
    free(d->nodes);
    free(d->edges);
    free(d->variants);
    free(d->variant_steps);
    free(d);
}

static void theme_text(struct strbuf *b, const struct journey_theme_share *t,
                       size_t n)
{
    strbuf_reset(b);
    for (size_t i = 0; i < n; i++)
        strbuf_printf(b, "%s%s %.0f%%", i ? ", " : "", t[i].theme,
                      100 * t[i].share);
}

struct result *journey_map_report(const struct journey_map_doc *d,
                                  const struct journey_map_input *in)
{
    const struct journey_experience *x = in->x;
    struct result *r = result_new();
    struct strbuf b = STRBUF_INIT;
    result_set_min_n(r, in->min_n);
    result_meta_num(r, "nps_all", "NPS over every answer", x->nps_all.value);
    result_meta_int(r, "answers", "answers", x->nps_all.n);
    if (d->has_process) {
        result_meta_int(r, "cases", "process map: cases",
                        (int64_t)d->process.n_cases);
        result_meta_int(r, "min_count", "edges drawn from",
                        (int64_t)d->process.min_count);
    }
    struct result_table *t =
        result_table_new(r, "stages", "The emotional curve, stage by stage");
    result_table_empty(t, "(no journey definition: the process map only; "
                          "resonans journey load FILE)");
    result_col(t, "stage", "stage", RESULT_TEXT, 0, 0);
    result_col(t, "nps", "NPS", RESULT_ESTIMATE, 1, 0);
    result_col(t, "drop_off_pct", "drop-off to next %", RESULT_ESTIMATE, 1,
               RESULT_NO_N);
    result_col(t, "negative_pct", "negative comments %", RESULT_ESTIMATE, 1,
               RESULT_NO_N);
    result_col(t, "themes", "top themes", RESULT_TEXT, 0, 0);
    result_col(t, "pains", "top pains", RESULT_TEXT, 0, 0);
    result_col(t, "pain_point", "pain point", RESULT_BOOLEAN, 0, 0);
    result_col(t, "quote", "a comment", RESULT_TEXT, 0, RESULT_QUOTED);
    for (size_t i = 0; i < x->n_st; i++) {
        const struct journey_exp_row *s = &x->st[i];
        struct result_estimate e;
        result_row(t);
        result_add_text(t, s->key);
        e = result_estimate_of(&s->nps, in->min_n);
        result_add_est(t, &e);
        e = result_estimate_of(&d->stages[i].drop_off, 0);
        result_add_est(t, &e);
        e = result_estimate_of(&s->negative, 0);
        result_add_est(t, &e);
        theme_text(&b, s->themes, s->n_themes);
        result_add_text(t, strbuf_str(&b));
        theme_text(&b, s->pains, s->n_pains);
        result_add_text(t, strbuf_str(&b));
        result_add_bool(t, s->pain_point);
        if (in->stage_quote && in->stage_quote[i])
            result_add_text(t, in->stage_quote[i]);
        else
            result_add_null(t);
    }
    t = result_table_new(r, "touchpoints", "Touchpoints");
    result_table_empty(t, "(none)");
    result_col(t, "touchpoint", "touchpoint", RESULT_TEXT, 0, 0);
    result_col(t, "stage", "stage", RESULT_TEXT, 0, 0);
    result_col(t, "channel", "channel", RESULT_TEXT, 0, 0);
    result_col(t, "nps", "NPS", RESULT_ESTIMATE, 1, 0);
    result_col(t, "moment_of_truth", "moment (flagged)", RESULT_BOOLEAN, 0, 0);
    result_col(t, "measured_moment", "moment (measured)", RESULT_BOOLEAN, 0, 0);
    result_col(t, "pain_point", "pain point", RESULT_BOOLEAN, 0, 0);
    for (size_t i = 0; i < x->n_st; i++) {
        const struct journey_map_stage *s = &d->stages[i];
        for (size_t k = 0; k < s->n_touchpoints; k++) {
            const struct journey_map_touchpoint *p = &s->touchpoints[k];
            struct result_estimate e = result_estimate_of(&p->nps, in->min_n);
            result_row(t);
            result_add_text(t, p->key);
            result_add_text(t, s->key);
            result_add_text(t, p->channel);
            result_add_est(t, &e);
            result_add_bool(t, p->moment_of_truth);
            result_add_bool(t, p->measured_moment);
            result_add_bool(t, p->pain);
        }
    }
    result_method(r, "Per stage and touchpoint: the NPS of every answer "
                     "given there in the period, with its 95%% CI; the "
                     "emotional curve is the stages' NPS in their designed "
                     "order. Drop-off: the customers reaching a stage who "
                     "do not reach the next (journey funnel --by stage), "
                     "Wilson CI. Themes: the share of the commented answers "
                     "mentioning each; pains: mentioned negatively. Pain "
                     "point: the NPS's CI lies under the NPS over every "
                     "answer. A comment: the latest negative one naming the "
                     "top pain, else the latest, as stored (redacted). "
                     "Moment (measured): journey moments.");
    strbuf_dispose(&b);
    return r;
}
