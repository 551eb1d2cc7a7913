#include "report/metrics_report.h"

#include <stddef.h>
#include <stdio.h>

#include "colstore/colstore.h"
#include "core/strbuf.h"
#include "report/result.h"
#include "stats/compare.h"
#include "stats/metrics.h"

/* ---- the figures each metric contributes ---- */

struct figure {
    unsigned metric;
    const char *key;      /* CSV / JSON */
    const char *header;   /* table */
    const char *n_key;    /* the metric's n: CSV N_KEY_n, N_KEY_low_n */
    const char *n_header; /*   and table header; NULL: shown by a sibling */
    size_t est;           /* of the struct estimate in a cell */
    size_t cmp;           /* of the struct comparison in a comparison */
    int decimals;
};

#define CELL_EST(f) offsetof(struct metrics_cell, f)
#define CMP_OF(f) offsetof(struct metrics_comparison, f)

static const struct figure figures[] = {
    {METRIC_NPS, "nps", "NPS", "nps", "NPS n", CELL_EST(nps), CMP_OF(nps), 1},
    {METRIC_CSAT, "csat_t2b", "CSAT 4-5 %", "csat", "CSAT n",
     CELL_EST(csat_t2b), CMP_OF(csat_t2b), 1},
    {METRIC_CSAT, "csat_mean", "CSAT mean", NULL, NULL, CELL_EST(csat_mean),
     CMP_OF(csat_mean), 2},
    {METRIC_CES, "ces_mean", "CES mean", "ces", "CES n", CELL_EST(ces_mean),
     CMP_OF(ces_mean), 2},
    {METRIC_CES, "ces_easy", "CES 5-7 %", NULL, NULL, CELL_EST(ces_easy),
     CMP_OF(ces_easy), 1},
};

#define N_FIGURES (sizeof figures / sizeof figures[0])

static const struct estimate *est_of(const struct metrics_cell *c,
                                     const struct figure *f)
{
    return (const struct estimate *)((const char *)c + f->est);
}

static struct result_estimate to_result(const struct metrics_result *r,
                                        const struct estimate *e)
{
    struct result_estimate x = {e->value, e->lo, e->hi,
                                e->se,    e->n,  metrics_low_n(r, e)};
    return x;
}

/* Dimensions whose codes have display names beside their keys. */
static int named(enum colstore_dim d)
{
    return d == DIM_TOUCHPOINT || d == DIM_STAGE || d == DIM_JOURNEY;
}

/* ---- metrics ---- */

void metrics_report_add(struct result *res, const char *key, const char *title,
                        const struct metrics_result *r,
                        const struct colstore *cs)
{
    struct result_table *t = result_table_new(res, key, title);
    char name_key[48];
    result_set_min_n(res, r->min_n);
    result_table_empty(t, "(no responses match)");
    for (int d = 0; d < r->n_by; d++) {
        const char *dim = colstore_dim_name(r->by[d]);
        if (!named(r->by[d])) {
            result_col(t, dim, dim, RESULT_TEXT, 0, 0);
            continue;
        }
        snprintf(name_key, sizeof name_key, "%s_name", dim);
        result_col(t, dim, dim, RESULT_TEXT, 0, RESULT_FOR_PROGRAMS);
        result_col(t, name_key, dim, RESULT_TEXT, 0,
                   RESULT_IN_TABLE | RESULT_IN_JSON);
    }
    result_col(t, "n", "responses", RESULT_INTEGER, 0, RESULT_IN_JSON);
    for (size_t i = 0; i < N_FIGURES; i++) {
        const struct figure *f = &figures[i];
        if (!(r->metrics & f->metric))
            continue;
        size_t c =
            result_col(t, f->key, f->header, RESULT_ESTIMATE, f->decimals,
                       RESULT_WITH_SE | (f->n_key ? 0 : RESULT_NO_N));
        if (f->n_key)
            result_col_n(t, c, f->n_key, f->n_header);
    }
    for (size_t c = 0; c < r->n_cells; c++) {
        const struct metrics_cell *cell = &r->cells[c];
        result_row(t);
        for (int d = 0; d < r->n_by; d++) {
            result_add_text(t, cell->label[d]);
            if (named(r->by[d]))
                result_add_text(
                    t, cs && cell->key[d] >= 0
                           ? colstore_name(cs, r->by[d], (int)cell->key[d])
                           : cell->label[d]);
        }
        result_add_int(t, cell->n);
        for (size_t i = 0; i < N_FIGURES; i++) {
            if (!(r->metrics & figures[i].metric))
                continue;
            struct result_estimate e = to_result(r, est_of(cell, &figures[i]));
            result_add_est(t, &e);
        }
    }
}

void metrics_report_method(struct result *res, unsigned metrics)
{
    if (metrics & METRIC_NPS)
        result_method(res, "NPS: share of 9-10 minus share of 0-6, in "
                           "points; 95%% CI from the trinomial variance "
                           "(Wald), clipped to [-100, 100].");
    if (metrics & (METRIC_CSAT | METRIC_CES))
        result_method(res, "CSAT 4-5 %% and CES 5-7 %%: Wilson score "
                           "interval; CSAT and CES means: t interval with "
                           "n - 1 degrees of freedom.");
    result_method(res, "Each figure is computed over the responses that "
                       "answered its question; periods are in the "
                       "respondent's local time (docs/metrics.md).");
}

struct result *metrics_report_build(const struct metrics_result *r,
                                    const struct colstore *cs)
{
    struct result *res = result_new();
    struct strbuf by = STRBUF_INIT;
    strbuf_putc(&by, '[');
    for (int d = 0; d < r->n_by; d++)
        strbuf_printf(&by, "%s\"%s\"", d ? "," : "",
                      colstore_dim_name(r->by[d]));
    strbuf_putc(&by, ']');
    result_set_min_n(res, r->min_n);
    result_meta_int(res, "responses", NULL, r->rows);
    result_meta_json(res, "by", NULL, strbuf_str(&by));
    metrics_report_add(res, "cells", NULL, r, cs);
    metrics_report_method(res, r->metrics);
    strbuf_dispose(&by);
    return res;
}

/* ---- comparisons ---- */

static const struct metrics_cell *only_cell(const struct metrics_result *r)
{
    static const struct metrics_cell empty; /* all zero: n = 0 */
    return r->n_cells ? &r->cells[0] : &empty;
}

static const struct comparison *cmp_of(const struct metrics_comparison *c,
                                       const struct figure *f)
{
    return (const struct comparison *)((const char *)c + f->cmp);
}

struct result *metrics_report_compare(const struct metrics_report_group *a,
                                      const struct metrics_report_group *b,
                                      const struct metrics_comparison *c)
{
    struct result *res = result_new();
    const struct metrics_cell *ca = only_cell(a->r), *cb = only_cell(b->r);
    result_meta_text(res, "a", "A", a->label);
    result_meta_text(res, "b", "B", b->label);
    result_set_min_n(res, a->r->min_n);
    struct result_table *t = result_table_new(res, "tests", NULL);
    result_col(t, "metric", "metric", RESULT_TEXT, 0, RESULT_FOR_PROGRAMS);
    result_col(t, "metric_name", "metric", RESULT_TEXT, 0, RESULT_FOR_PEOPLE);
    size_t ka = result_col(t, "a", "A", RESULT_ESTIMATE, 1, RESULT_WITH_SE);
    result_col_n(t, ka, "a", "A n");
    size_t kb = result_col(t, "b", "B", RESULT_ESTIMATE, 1, RESULT_WITH_SE);
    result_col_n(t, kb, "b", "B n");
    result_col(t, "diff", "B - A", RESULT_ESTIMATE, 1,
               RESULT_NO_N | RESULT_SIGNED | RESULT_WITH_SE);
    result_col(t, "test", "test", RESULT_TEXT, 0, 0);
    result_col(t, "stat", "z or t", RESULT_NUMBER, 4, RESULT_FOR_PROGRAMS);
    result_col(t, "df", "df", RESULT_NUMBER, 4, RESULT_FOR_PROGRAMS);
    result_col(t, "p", "p", RESULT_NUMBER, 4, RESULT_PVALUE);
    result_col(t, "significant", "significant", RESULT_TEXT, 0,
               RESULT_FOR_PEOPLE);
    result_col(t, "low_n", "low n", RESULT_BOOLEAN, 0, RESULT_FOR_PROGRAMS);
    for (size_t i = 0; i < N_FIGURES; i++) {
        const struct figure *f = &figures[i];
        if (!(a->r->metrics & f->metric))
            continue;
        const struct comparison *x = cmp_of(c, f);
        struct result_estimate ea = to_result(a->r, est_of(ca, f));
        struct result_estimate eb = to_result(b->r, est_of(cb, f));
        struct result_estimate d = {x->diff, x->lo, x->hi, x->se, -1, 0};
        result_row(t);
        result_add_text(t, f->key);
        result_add_text(t, f->header);
        result_add_est(t, &ea);
        result_add_decimals(t, f->decimals);
        result_add_est(t, &eb);
        result_add_decimals(t, f->decimals);
        result_add_est(t, &d);
        result_add_decimals(t, f->decimals);
        result_add_text(t, x->valid ? compare_test_name(x->test) : NULL);
        result_add_num(t, x->stat);
        result_add_num(t, x->df);
        result_add_num(t, x->p);
        result_add_text(t, !x->valid     ? "-"
                           : x->p < 0.05 ? "yes (p < 0.05)"
                                         : "no");
        result_add_bool(t, ea.low_n || eb.low_n);
    }
    result_note(res, "NPS and percentage differences are in points; p is "
                     "two-sided.");
    result_method(res, "NPS: z test with the trinomial variances of both "
                       "groups; CSAT and CES means: Welch's t test "
                       "(Welch-Satterthwaite df); top-two-box and 'easy' "
                       "shares: z test with the unpooled SE. The groups are "
                       "taken as independent samples (docs/metrics.md).");
    return res;
}
