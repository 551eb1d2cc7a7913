#include "report/metrics_report.h"

#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "core/strbuf.h"
#include "report/result.h"
#include "stats/compare.h"
#include "stats/metrics.h"

/* The figures come from the metrics result (struct metrics_figure): one
 * estimate column each, the first of each metric carrying its n. */

static struct result_estimate to_result(const struct metrics_result *r,
                                        const struct estimate *e)
{
    struct result_estimate x = {e->value, e->lo, e->hi,
                                e->se,    e->n,  metrics_low_n(r, e)};
    return x;
}

/* The CSV/JSON stem of a metric's n columns and its table header:
 * nps_n and "NPS n" for the scores, KEY_n and "KEY n" for the others. */
static void n_names(const struct metrics_result *r,
                    const struct metrics_figure *f, char *key, size_t kn,
                    char *head, size_t hn)
{
    const struct metrics_metric *m = &r->metrics[f->metric];
    switch (m->kind) {
    case MK_NPS:
        snprintf(key, kn, "nps");
        snprintf(head, hn, "NPS n");
        return;
    case MK_CSAT:
        snprintf(key, kn, "csat");
        snprintf(head, hn, "CSAT n");
        return;
    case MK_CES:
        snprintf(key, kn, "ces");
        snprintf(head, hn, "CES n");
        return;
    default:
        snprintf(key, kn, "%s", m->text);
        snprintf(head, hn, "%s n", m->text);
        return;
    }
}

/* ---- metrics ---- */

void metrics_report_add(struct result *res, const char *key, const char *title,
                        const struct metrics_result *r)
{
    struct result_table *t = result_table_new(res, key, title);
    char name_key[FIELD_MAX_TEXT + 8], nk[FIELD_MAX_TEXT + 32],
        nh[FIELD_MAX_TEXT + 32];
    int named[METRICS_MAX_BY] = {0};
    result_set_min_n(res, r->min_n);
    result_table_empty(t, "(no responses match)");
    /* A field whose values have display names (touchpoints, stages,
     * journeys) shows names to people and keys to programs. */
    for (size_t c = 0; c < r->n_cells; c++)
        for (int d = 0; d < r->n_by; d++)
            named[d] |= strcmp(r->cells[c].label[d], r->cells[c].display[d]);
    for (int d = 0; d < r->n_by; d++) {
        const char *dim = r->by[d];
        /* a field's values: in CSV a number ("-3") stays a number */
        if (!named[d]) {
            result_col(t, dim, dim, RESULT_TEXT, 0, RESULT_NUMBERS);
            continue;
        }
        snprintf(name_key, sizeof name_key, "%s_name", dim);
        result_col(t, dim, dim, RESULT_TEXT, 0,
                   RESULT_FOR_PROGRAMS | RESULT_NUMBERS);
        result_col(t, name_key, dim, RESULT_TEXT, 0,
                   RESULT_IN_TABLE | RESULT_IN_JSON);
    }
    result_col(t, "n", r->ctx == FIELD_EVENTS ? "events" : "responses",
               RESULT_INTEGER, 0, RESULT_IN_JSON);
    for (size_t i = 0; i < r->n_figs; i++) {
        const struct metrics_figure *f = &r->figs[i];
        unsigned flags = RESULT_WITH_SE | (f->with_n ? 0 : RESULT_NO_N);
        int count = r->metrics[f->metric].kind == MK_COUNT;
        n_names(r, f, nk, sizeof nk, nh, sizeof nh);
        if (!f->has_ci) {
            /* People see a count, sum or extreme as a number (with its n
             * unless it is the count itself); programs get the same
             * estimate shape as every figure, its interval empty. */
            if (f->with_n && !count)
                result_col(t, nk, nh, RESULT_INTEGER, 0,
                           RESULT_IN_TABLE | RESULT_IS_N);
            result_col(t, f->key, f->head,
                       count ? RESULT_INTEGER : RESULT_NUMBER, f->decimals,
                       RESULT_IN_TABLE);
            flags &= ~RESULT_IN_TABLE;
            flags |= RESULT_FOR_PROGRAMS;
        }
        size_t c =
            result_col(t, f->key, f->head, RESULT_ESTIMATE, f->decimals, flags);
        if (f->with_n)
            result_col_n(t, c, nk, nh);
    }
    for (size_t c = 0; c < r->n_cells; c++) {
        const struct metrics_cell *cell = &r->cells[c];
        result_row(t);
        for (int d = 0; d < r->n_by; d++) {
            result_add_text(t, cell->label[d]);
            if (named[d])
                result_add_text(t, cell->display[d]);
        }
        result_add_int(t, cell->n);
        for (size_t i = 0; i < r->n_figs; i++) {
            const struct metrics_figure *f = &r->figs[i];
            struct result_estimate e = to_result(r, &cell->fig[i]);
            if (!f->has_ci) {
                int count = r->metrics[f->metric].kind == MK_COUNT;
                if (f->with_n && !count)
                    result_add_int(t, cell->fig[i].n);
                if (count)
                    result_add_int(t, (int64_t)cell->fig[i].value);
                else
                    result_add_num(t, cell->fig[i].value);
                e.lo = e.hi = e.se = NAN;
            }
            result_add_est(t, &e);
        }
    }
}

void metrics_report_method(struct result *res, const struct metrics_result *r)
{
    unsigned seen = 0;
    for (int i = 0; i < r->n_metrics; i++)
        seen |= 1u << r->metrics[i].kind;
    if (seen & (1u << MK_NPS))
        result_method(res, "NPS: share of 9-10 minus share of 0-6, in "
                           "points; 95%% CI from the trinomial variance "
                           "(Wald), clipped to [-100, 100].");
    if (seen & ((1u << MK_CSAT) | (1u << MK_CES) | (1u << MK_RATING) |
                (1u << MK_CHOICE)))
        result_method(res, "Shares (CSAT 4-5 %%, CES 5-7 %%, a rating's "
                           "top two, a choice's options): Wilson score "
                           "interval; means: t interval with n - 1 degrees "
                           "of freedom.");
    if (seen & (1u << MK_MEAN))
        result_method(res, "Means of numbers: t interval with n - 1 degrees "
                           "of freedom.");
    if (seen & (1u << MK_QUANTILE))
        result_method(res, "Medians and percentiles: type 7 (linear between "
                           "order statistics); 95%% CI from the order "
                           "statistics at ranks n q -+ 1.96 sqrt(n q (1 - "
                           "q)).");
    if (seen &
        ((1u << MK_SUM) | (1u << MK_MIN) | (1u << MK_MAX) | (1u << MK_COUNT)))
        result_method(res, "Counts, sums, minima and maxima describe the "
                           "rows as they are: no interval.");
    result_method(res, "Each figure is computed over the rows that have a "
                       "value for it; periods are in the respondent's local "
                       "time (docs/metrics.md).");
}

struct result *metrics_report_build(const struct metrics_result *r)
{
    struct result *res = result_new();
    struct strbuf by = STRBUF_INIT;
    strbuf_putc(&by, '[');
    for (int d = 0; d < r->n_by; d++) {
        if (d)
            strbuf_putc(&by, ',');
        strbuf_json_string(&by, r->by[d], strlen(r->by[d]));
    }
    strbuf_putc(&by, ']');
    result_set_min_n(res, r->min_n);
    result_meta_int(res, r->ctx == FIELD_EVENTS ? "events" : "responses", NULL,
                    r->rows);
    result_meta_json(res, "by", NULL, strbuf_str(&by));
    metrics_report_add(res, "cells", NULL, r);
    metrics_report_method(res, r);
    strbuf_dispose(&by);
    return res;
}

/* ---- comparisons ---- */

struct result *metrics_report_compare(const struct metrics_report_group *a,
                                      const struct metrics_report_group *b,
                                      const struct comparison *c)
{
    static const struct estimate none = {0, NAN, NAN, NAN, NAN};
    struct result *res = result_new();
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
    result_col(t, "significant", "significant", RESULT_BOOLEAN, 0,
               RESULT_FOR_PROGRAMS);
    result_col(t, "low_n", "low n", RESULT_BOOLEAN, 0, RESULT_FOR_PROGRAMS);
    for (size_t i = 0; i < a->r->n_figs; i++) {
        const struct metrics_figure *f = &a->r->figs[i];
        const struct comparison *x = &c[i];
        const struct estimate *sa =
            a->r->n_cells ? &a->r->cells[0].fig[i] : &none;
        const struct estimate *sb =
            b->r->n_cells ? &b->r->cells[0].fig[i] : &none;
        struct result_estimate ea = to_result(a->r, sa);
        struct result_estimate eb = to_result(b->r, sb);
        struct result_estimate d = {x->diff, x->lo, x->hi, x->se, -1, 0};
        if (!f->has_ci)
            ea.lo = ea.hi = eb.lo = eb.hi = NAN;
        result_row(t);
        result_add_text(t, f->key);
        result_add_text(t, f->head);
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
        result_add_text(t, !x->valid        ? "-"
                           : x->significant ? "yes (p < 0.05)"
                           : x->p < 0.05    ? "no (too few or no variance)"
                                            : "no");
        result_add_bool(t, x->significant);
        result_add_bool(t, ea.low_n || eb.low_n);
    }
    result_note(res, "NPS and percentage differences are in points; p is "
                     "two-sided. A difference is called significant only "
                     "when both groups reach the minimum n and its SE is "
                     "above zero.");
    result_method(res, "NPS: z test with the trinomial variances of both "
                       "groups; means (CSAT, CES, ratings, numbers): Welch's "
                       "t test (Welch-Satterthwaite df); shares (top-two-box, "
                       "'easy', choice options): z test with the unpooled "
                       "SE. The groups are taken as independent samples "
                       "(docs/metrics.md).");
    return res;
}
