#include "report/journey_paths_report.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/strbuf.h"
#include "journey/cases.h"
#include "journey/conformance.h"
#include "journey/dfg.h"
#include "journey/funnel.h"
#include "journey/moments.h"
#include "journey/rework.h"
#include "journey/variants.h"
#include "report/result.h"
#include "stats/estimate.h"

void journey_duration_text(char *buf, size_t n, double s)
{
    if (isnan(s))
        snprintf(buf, n, "-");
    else if (s < 60)
        snprintf(buf, n, "%.0f s", s);
    else if (s < 3600)
        snprintf(buf, n, "%.0f min", s / 60);
    else if (s < 2 * 86400)
        snprintf(buf, n, "%.1f h", s / 3600);
    else
        snprintf(buf, n, "%.1f d", s / 86400);
}

static const char *step_label(const struct journey_cases *c, uint32_t s)
{
    if (s == JOURNEY_START)
        return "(start)";
    if (s == JOURNEY_END)
        return "(end)";
    return s < c->n_steps && c->label[s] ? c->label[s] : "?";
}

/* A duration as two columns: text for people, hours for programs. */
static void dur_cols(struct result_table *t, const char *key,
                     const char *header)
{
    char k[64];
    result_col(t, key, header, RESULT_TEXT, 0,
               RESULT_IN_TABLE | RESULT_NUMBERS);
    snprintf(k, sizeof k, "%s_hours", key);
    result_col(t, k, header, RESULT_NUMBER, 3, RESULT_FOR_PROGRAMS);
}

static void dur_vals(struct result_table *t, double s)
{
    char buf[32];
    journey_duration_text(buf, sizeof buf, s);
    result_add_text(t, buf);
    if (isnan(s))
        result_add_null(t);
    else
        result_add_num(t, s / 3600);
}

static void case_meta(struct result *r, const struct journey_cases *c,
                      const struct journey_report_ctx *x)
{
    char rule[160];
    if (x->case_col)
        snprintf(rule, sizeof rule, "by %s", x->case_col);
    else if (x->gap_s > 0)
        snprintf(rule, sizeof rule,
                 "per customer, split after %lld days without events",
                 x->gap_s / 86400);
    else
        snprintf(rule, sizeof rule, "per customer");
    result_meta_text(r, "cases_rule", "cases", rule);
    result_meta_int(r, "cases", "number of cases", (int64_t)c->n);
    result_meta_int(r, "events", "events in them", (int64_t)c->n_events);
    result_meta_text(r, "step", "a step is its", journey_level_name(c->level));
    if (c->skipped)
        result_note(r,
                    "%zu events without a %s were left out of their "
                    "cases.",
                    c->skipped, journey_level_name(c->level));
    if (c->no_case)
        result_note(r, "%zu events without a %s were left out.", c->no_case,
                    x->case_col ? x->case_col : "case");
    result_set_min_n(r, x->min_n);
}

static void case_method(struct result *r, const struct journey_report_ctx *x)
{
    if (x->case_col)
        result_method(r,
                      "Cases: the events with one value of %s form a case, "
                      "in time order (ties as stored).",
                      x->case_col);
    else
        result_method(r, "Cases: a customer's events in time order%s.",
                      x->gap_s > 0 ? ", split where a longer gap than "
                                     "--gap passes between two"
                                   : "");
}

static void sequence_text(struct strbuf *b, const struct journey_cases *c,
                          const uint32_t *steps, size_t len)
{
    strbuf_reset(b);
    for (size_t i = 0; i < len; i++)
        strbuf_printf(b, "%s%s", i ? " > " : "", step_label(c, steps[i]));
}

struct result *journey_variants_report(const struct journey_cases *c,
                                       const struct journey_variants *v,
                                       const struct journey_report_ctx *x)
{
    struct result *r = result_new();
    struct strbuf b = STRBUF_INIT;
    case_meta(r, c, x);
    result_meta_int(r, "n_variants", "distinct variants",
                    (int64_t)v->n_variants);
    struct result_table *t = result_table_new(r, "variants", "Variants");
    result_table_empty(t, "(no cases)");
    result_col(t, "rank", "#", RESULT_INTEGER, 0, 0);
    result_col(t, "cases", "cases", RESULT_INTEGER, 0, RESULT_IS_N);
    result_col(t, "share_pct", "share %", RESULT_NUMBER, 1, 0);
    result_col(t, "steps", "steps", RESULT_INTEGER, 0, 0);
    dur_cols(t, "median_duration", "median duration");
    dur_cols(t, "p90_duration", "p90");
    if (v->experience)
        result_col(t, "nps", "NPS", RESULT_ESTIMATE, 1, 0);
    result_col(t, "variant", "variant", RESULT_TEXT, 0, 0);
    size_t covered = 0;
    for (size_t i = 0; i < v->n; i++) {
        const struct journey_variant *a = &v->v[i];
        result_row(t);
        result_add_int(t, (int64_t)i + 1);
        result_add_int(t, (int64_t)a->cases);
        result_add_num(t, 100 * a->share);
        result_add_int(t, (int64_t)a->len);
        dur_vals(t, a->median_duration);
        dur_vals(t, a->p90_duration);
        if (v->experience) {
            struct result_estimate e = result_estimate_of(&a->nps, x->min_n);
            result_add_est(t, &e);
        }
        sequence_text(&b, c, a->steps, a->len);
        result_add_text(t, strbuf_str(&b));
        covered += a->cases;
    }
    if (v->n < v->n_variants)
        result_note(r,
                    "The top %zu of %zu variants, covering %.1f%% of the "
                    "cases (--top).",
                    v->n, v->n_variants,
                    c->n ? 100.0 * (double)covered / (double)c->n : 0.0);
    if (v->experience) {
        result_meta_num(r, "nps_all", "NPS over all cases", v->nps_all.value);
        result_meta_int(r, "nps_all_n", "answers", v->nps_all.n);
        result_method(r, "NPS of a variant: the answers its cases' customers "
                         "gave at the touchpoints of the case's events, from "
                         "its first event to --after past its last, each "
                         "answer to one case (the one with the latest event "
                         "before it): the main path beside loops and "
                         "detours.");
    }
    case_method(r, x);
    result_method(r, "Variant: a case's exact sequence of steps; duration: "
                     "from its first event to its last, median and 90th "
                     "percentile over the variant's cases (linear between "
                     "order statistics).");
    strbuf_dispose(&b);
    return r;
}

struct result *journey_paths_report(const struct journey_cases *c,
                                    const struct journey_dfg *g,
                                    const struct journey_rework *rw,
                                    const struct journey_report_ctx *x)
{
    struct result *r = result_new();
    case_meta(r, c, x);
    struct result_table *t =
        result_table_new(r, "edges", "Directly-follows graph");
    result_table_empty(t, "(no cases)");
    result_col(t, "from", "from", RESULT_TEXT, 0, 0);
    result_col(t, "to", "to", RESULT_TEXT, 0, 0);
    result_col(t, "count", "count", RESULT_INTEGER, 0, 0);
    result_col(t, "cases", "cases", RESULT_INTEGER, 0, RESULT_IS_N);
    dur_cols(t, "median_wait", "median wait");
    dur_cols(t, "p90_wait", "p90 wait");
    dur_cols(t, "mean_wait", "mean wait");
    size_t shown = g->n < x->top || !x->top ? g->n : x->top;
    for (size_t i = 0; i < shown; i++) {
        const struct journey_edge *e = &g->e[i];
        result_row(t);
        result_add_text(t, step_label(c, e->from));
        result_add_text(t, step_label(c, e->to));
        result_add_int(t, (int64_t)e->count);
        result_add_int(t, (int64_t)e->cases);
        dur_vals(t, e->median);
        dur_vals(t, e->p90);
        dur_vals(t, e->mean);
    }
    if (shown < g->n)
        result_note(r, "The %zu most frequent of %zu edges (--top).", shown,
                    g->n);

    size_t idx[10];
    size_t ns =
        journey_dfg_stalls(g, (size_t)(x->min_n > 0 ? x->min_n : 1), idx, 10);
    t = result_table_new(r, "stalls", "Where cases stall (longest waits)");
    result_table_empty(t, "(no edge between two steps with enough cases)");
    result_col(t, "from", "from", RESULT_TEXT, 0, 0);
    result_col(t, "to", "to", RESULT_TEXT, 0, 0);
    result_col(t, "count", "count", RESULT_INTEGER, 0, RESULT_IS_N);
    dur_cols(t, "median_wait", "median wait");
    dur_cols(t, "p90_wait", "p90 wait");
    dur_cols(t, "max_wait", "longest");
    for (size_t i = 0; i < ns; i++) {
        const struct journey_edge *e = &g->e[idx[i]];
        result_row(t);
        result_add_text(t, step_label(c, e->from));
        result_add_text(t, step_label(c, e->to));
        result_add_int(t, (int64_t)e->count);
        dur_vals(t, e->median);
        dur_vals(t, e->p90);
        dur_vals(t, e->max);
    }

    if (rw) {
        result_meta_int(r, "looped_cases", "cases with a repeated step",
                        (int64_t)rw->looped);
        result_meta_num(r, "looped_pct", "of all cases, %",
                        rw->looped_share.value);
        t = result_table_new(r, "rework", "Rework: steps repeated in a case");
        result_table_empty(t, "(no step repeated)");
        result_col(t, "step", "step", RESULT_TEXT, 0, 0);
        result_col(t, "cases", "cases", RESULT_INTEGER, 0, RESULT_IS_N);
        result_col(t, "repeated", "repeated", RESULT_INTEGER, 0, 0);
        if (rw->window > 0)
            result_col(t, "within", "again within window", RESULT_INTEGER, 0,
                       0);
        result_col(t, "repeated_pct", "repeated %", RESULT_ESTIMATE, 1,
                   RESULT_NO_N);
        result_col(t, "nps_once", "NPS once", RESULT_ESTIMATE, 1, 0);
        result_col(t, "nps_repeated", "NPS repeated", RESULT_ESTIMATE, 1, 0);
        result_col(t, "nps_diff", "difference", RESULT_ESTIMATE, 1,
                   RESULT_NO_N | RESULT_SIGNED);
        result_col(t, "p", "p", RESULT_NUMBER, 4, RESULT_PVALUE);
        for (size_t i = 0; i < rw->n && i < 20; i++) {
            const struct journey_rework_step *s = &rw->s[i];
            struct result_estimate e;
            result_row(t);
            result_add_text(t, step_label(c, s->step));
            result_add_int(t, (int64_t)s->cases);
            result_add_int(t, (int64_t)s->repeated);
            if (rw->window > 0)
                result_add_int(t, (int64_t)s->within);
            e = result_estimate_of(&s->share, x->min_n);
            result_add_est(t, &e);
            e = result_estimate_of(&s->nps_once, x->min_n);
            result_add_est(t, &e);
            e = result_estimate_of(&s->nps_repeated, x->min_n);
            result_add_est(t, &e);
            struct result_estimate d = {
                s->diff.diff,
                s->diff.lo,
                s->diff.hi,
                s->diff.se,
                -1,
                s->nps_once.n < x->min_n || s->nps_repeated.n < x->min_n};
            if (s->diff.valid) {
                result_add_est(t, &d);
                result_add_num(t, s->diff.p);
            } else {
                result_add_null(t);
                result_add_null(t);
            }
        }
        t = result_table_new(r, "switches", "Channel switches within a case");
        result_table_empty(t, "(no channel changes)");
        result_col(t, "from", "from", RESULT_TEXT, 0, 0);
        result_col(t, "to", "to", RESULT_TEXT, 0, 0);
        result_col(t, "count", "count", RESULT_INTEGER, 0, 0);
        for (size_t i = 0; i < rw->n_switches && i < 12; i++) {
            result_row(t);
            result_add_text(t, rw->channel[rw->sw[i].from]);
            result_add_text(t, rw->channel[rw->sw[i].to]);
            result_add_int(t, (int64_t)rw->sw[i].count);
        }
        result_meta_int(r, "switched_cases", "cases changing channel",
                        (int64_t)rw->switched);
        result_method(r,
                      "Rework: a case holding a step twice or more. Its "
                      "NPS: the answers its customer gave at the "
                      "touchpoints of its events, from its first event to "
                      "%lld days after its last; cases with the step "
                      "repeated against cases with it once, z test with "
                      "the trinomial variances. An answer in the windows "
                      "of several cases belongs to the one with the latest "
                      "event before it. An association, not a cause.",
                      (long long)(rw->after / 86400));
        result_method(r, "Channel switches: two events in a row of a case, "
                         "both with a channel, on different channels.");
    }
    case_method(r, x);
    result_method(r,
                  "Edges: one step directly followed by the next within "
                  "a case, with (start) and (end); the wait is the time "
                  "between the two events (median and 90th percentile, "
                  "linear between order statistics). Stalls: the edges "
                  "between two steps with at least %d occurrences, "
                  "longest median wait first.",
                  x->min_n > 0 ? x->min_n : 1);
    return r;
}

struct result *journey_funnel_report(const struct journey_cases *c,
                                     const struct journey_funnel *f,
                                     const struct journey_report_ctx *x)
{
    struct result *r = result_new();
    case_meta(r, c, x);
    struct result_table *t = result_table_new(r, "funnel", "Funnel");
    result_col(t, "step", "step", RESULT_TEXT, 0, 0);
    result_col(t, "reached", "reached", RESULT_INTEGER, 0, RESULT_IS_N);
    result_col(t, "conversion_pct", "from previous %", RESULT_ESTIMATE, 1,
               RESULT_NO_N);
    result_col(t, "dropoff_pct", "drop-off %", RESULT_NUMBER, 1, 0);
    result_col(t, "of_first_pct", "of first %", RESULT_ESTIMATE, 1,
               RESULT_NO_N);
    dur_cols(t, "median_wait", "median time from previous");
    for (size_t i = 0; i < f->n; i++) {
        const struct journey_funnel_step *s = &f->s[i];
        struct result_estimate e;
        result_row(t);
        result_add_text(t, step_label(c, s->step));
        result_add_int(t, (int64_t)s->reached);
        e = result_estimate_of(&s->conv, x->min_n);
        e.low_n = 0;
        result_add_est(t, &e);
        if (isnan(s->conv.value))
            result_add_null(t);
        else
            result_add_num(t, 100 - s->conv.value);
        e = result_estimate_of(&s->total, x->min_n);
        e.low_n = 0;
        result_add_est(t, &e);
        dur_vals(t, s->median_wait);
    }
    case_method(r, x);
    result_method(r, "Funnel: a case reaches a step when it holds it at or "
                     "after the event where it reached the step before (the "
                     "first step: anywhere). Conversion from the previous "
                     "step and of the first, Wilson 95%% intervals; "
                     "drop-off = 100 - conversion. The first step's "
                     "conversion is of all cases.");
    return r;
}

struct result *journey_conformance_report(const struct journey_cases *c,
                                          const struct journey_conformance *k,
                                          const struct journey_report_ctx *x)
{
    struct result *r = result_new();
    case_meta(r, c, x);
    result_meta_int(r, "staged_cases", "cases with a stage",
                    (int64_t)k->n_cases);
    result_meta_int(r, "conforming", "following the designed order",
                    (int64_t)k->conforming);
    struct result_table *t = result_table_new(r, "conformance", NULL);
    result_col(t, "conforming_pct", "conforming %", RESULT_ESTIMATE, 1, 0);
    result_col(t, "skipping", "of those, skipping a stage", RESULT_INTEGER, 0,
               0);
    result_row(t);
    struct result_estimate e = result_estimate_of(&k->share, x->min_n);
    result_add_est(t, &e);
    result_add_int(t, (int64_t)k->skipping);
    t = result_table_new(r, "deviations",
                         "Where paths leave the designed journey");
    result_table_empty(t, "(every case follows the designed order)");
    result_col(t, "from", "back from stage", RESULT_TEXT, 0, 0);
    result_col(t, "to", "to stage", RESULT_TEXT, 0, 0);
    result_col(t, "count", "times", RESULT_INTEGER, 0, 0);
    result_col(t, "cases", "cases", RESULT_INTEGER, 0, 0);
    for (size_t i = 0; i < k->n && i < 20; i++) {
        result_row(t);
        result_add_text(t, k->stage[k->d[i].from]);
        result_add_text(t, k->stage[k->d[i].to]);
        result_add_int(t, (int64_t)k->d[i].count);
        result_add_int(t, (int64_t)k->d[i].cases);
    }
    case_method(r, x);
    result_method(r, "Conformance: the designed journey is its stages in "
                     "their order (journey load). A case conforms when its "
                     "events' stages never go back to an earlier stage; "
                     "events without a touchpoint are not counted. Share "
                     "with a Wilson 95%% interval. Skipping: a conforming "
                     "case missing a stage between its first and last that "
                     "some case reaches.");
    return r;
}

static void moment_table(struct result *r, const char *key, const char *title,
                         const char *what, const struct journey_moment *m,
                         size_t n, int min_n)
{
    struct result_table *t = result_table_new(r, key, title);
    result_table_empty(t, "(no answers with their window over)");
    result_col(t, "key", what, RESULT_TEXT, 0, 0);
    result_col(t, "answers", "answers", RESULT_INTEGER, 0, RESULT_IS_N);
    result_col(t, "left_detractor_pct", "left after detractor %",
               RESULT_ESTIMATE, 1, 0);
    result_col(t, "left_promoter_pct", "left after promoter %", RESULT_ESTIMATE,
               1, 0);
    result_col(t, "diff", "difference", RESULT_ESTIMATE, 1,
               RESULT_NO_N | RESULT_SIGNED);
    result_col(t, "p_holm", "p (Holm)", RESULT_NUMBER, 4, RESULT_PVALUE);
    result_col(t, "r", "r", RESULT_ESTIMATE, 3,
               RESULT_NO_N | RESULT_SIGNED | RESULT_FOR_PROGRAMS);
    result_col(t, "flagged", "flagged", RESULT_BOOLEAN, 0, 0);
    result_col(t, "measured", "measured", RESULT_BOOLEAN, 0, 0);
    result_col(t, "name", "name", RESULT_TEXT, 0, RESULT_FOR_PROGRAMS);
    for (size_t i = 0; i < n; i++) {
        const struct journey_moment *x = &m[i];
        struct result_estimate e;
        result_row(t);
        result_add_text(t, x->key);
        result_add_int(t, (int64_t)x->answers);
        e = result_estimate_of(&x->left_detractor, min_n);
        result_add_est(t, &e);
        e = result_estimate_of(&x->left_promoter, min_n);
        result_add_est(t, &e);
        if (x->diff.valid) {
            struct result_estimate d = {x->diff.diff, x->diff.lo, x->diff.hi,
                                        x->diff.se,   -1,         !x->tested};
            result_add_est(t, &d);
        } else {
            result_add_null(t);
        }
        if (isnan(x->p_holm))
            result_add_null(t);
        else
            result_add_num(t, x->p_holm);
        struct result_estimate rr = {x->r, x->r_lo, x->r_hi, NAN, -1, 0};
        result_add_est(t, &rr);
        result_add_bool(t, x->flagged);
        result_add_bool(t, x->measured);
        result_add_text(t, x->name);
    }
}

struct result *journey_moments_report(const struct journey_moments *m,
                                      int min_n, size_t top)
{
    struct result *r = result_new();
    char buf[160];
    result_set_min_n(r, min_n);
    snprintf(buf, sizeof buf, "a %s event within %lld days after the answer",
             m->activity, (long long)(m->window / 86400));
    result_meta_text(r, "outcome", "leaving", buf);
    result_meta_int(r, "answers", "NPS answers used", (int64_t)m->answers);
    result_meta_int(r, "too_late", "left out (window not over)",
                    (int64_t)m->too_late);
    size_t ntp = top && top < m->n_tp ? top : m->n_tp,
           nst = top && top < m->n_st ? top : m->n_st;
    moment_table(r, "touchpoints", "Moments of truth: touchpoints",
                 "touchpoint", m->tp, ntp, min_n);
    moment_table(r, "stages", "Stages", "stage", m->st, nst, min_n);
    if (ntp < m->n_tp || nst < m->n_st)
        result_note(r, "The first %zu rows of each table (--top).", top);
    size_t both = 0, only_flag = 0, only_found = 0;
    for (size_t i = 0; i < m->n_tp; i++) {
        both += m->tp[i].flagged && m->tp[i].measured;
        only_flag += m->tp[i].flagged && !m->tp[i].measured;
        only_found += !m->tp[i].flagged && m->tp[i].measured;
    }
    result_meta_int(r, "flagged_and_measured", "flagged and measured",
                    (int64_t)both);
    result_meta_int(r, "flagged_only", "flagged, not measured",
                    (int64_t)only_flag);
    result_meta_int(r, "measured_only", "measured, not flagged",
                    (int64_t)only_found);
    for (size_t i = 0; i < m->n_tp; i++)
        if (m->tp[i].measured && !m->tp[i].flagged)
            result_note(r,
                        "%s is a moment of truth the journey does not flag: "
                        "%.1f%% leave after a detractor answer there "
                        "against %.1f%% after a promoter answer.",
                        m->tp[i].key, m->tp[i].left_detractor.value,
                        m->tp[i].left_promoter.value);
    result_method(r,
                  "Per touchpoint (and stage, over its touchpoints): the "
                  "NPS answers whose window is over, and whether the "
                  "customer had a %s event within %lld days after each. "
                  "Difference: the share leaving after a detractor answer "
                  "(0-6) minus after a promoter answer (9-10), points, z "
                  "test with the unpooled SE; p adjusted over the rows "
                  "tested (both groups with at least %d answers) by "
                  "Holm's method. r: the correlation of the 0-10 answer "
                  "with leaving (point-biserial), Fisher z interval. A "
                  "measured moment of truth: detractors leave "
                  "significantly more (Holm p < 0.05), among the %d "
                  "largest differences. Flagged: moment_of_truth in the "
                  "journey file. A customer answering twice counts twice; "
                  "an association, not a cause.",
                  m->activity, (long long)(m->window / 86400), min_n, m->top);
    return r;
}
