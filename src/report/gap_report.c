/* gap_report.h: the gap analysis as a result. */
#include "report/gap_report.h"

#include <math.h>
#include <stddef.h>
#include <string.h>

#include "analysis/gap.h"
#include "core/strbuf.h"
#include "report/result.h"
#include "stats/compare.h"
#include "stats/estimate.h"

/* The question and group columns both tables start with. */
static void key_cols(struct result_table *t, const char *by)
{
    result_col(t, "question", "question", RESULT_TEXT, 0, 0);
    result_col(t, "group", by, RESULT_TEXT, 0,
               RESULT_FOR_PROGRAMS | RESULT_NUMBERS);
    result_col(t, "group_name", by, RESULT_TEXT, 0,
               RESULT_IN_TABLE | RESULT_IN_JSON);
}

static void key_vals(struct result_table *t, const struct gap_row *row)
{
    result_add_text(t, row->key);
    result_add_text(t, row->group);
    result_add_text(t, row->group ? row->group_name : "all");
}

static void add_gaps(struct result *res, const struct gap_result *g,
                     const char *by, int min_n)
{
    struct result_table *t = result_table_new(res, "gaps", NULL);
    key_cols(t, by);
    result_col(t, "n", "pairs", RESULT_INTEGER, 0, RESULT_IS_N);
    result_col(t, "expectation", "expectation", RESULT_ESTIMATE, 2,
               RESULT_NO_N | RESULT_WITH_SE);
    result_col(t, "perception", "perception", RESULT_ESTIMATE, 2,
               RESULT_NO_N | RESULT_WITH_SE);
    result_col(t, "gap", "gap (P - E)", RESULT_ESTIMATE, 2,
               RESULT_NO_N | RESULT_SIGNED | RESULT_WITH_SE);
    result_col(t, "gap_sd", "sd", RESULT_NUMBER, 2, RESULT_FOR_PROGRAMS);
    result_col(t, "unmet_pct", "unmet %", RESULT_ESTIMATE, 1,
               RESULT_NO_N | RESULT_WITH_SE);
    for (size_t i = 0; i < g->n_rows; i++) {
        const struct gap_row *row = &g->rows[i];
        struct result_estimate e;
        result_row(t);
        key_vals(t, row);
        result_add_int(t, row->n);
        e = result_estimate_of(&row->expect, min_n);
        result_add_est(t, &e);
        e = result_estimate_of(&row->perceive, min_n);
        result_add_est(t, &e);
        e = result_estimate_of(&row->gap, min_n);
        result_add_est(t, &e);
        result_add_num(t, row->gap_sd);
        e = result_estimate_of(&row->unmet, min_n);
        result_add_est(t, &e);
    }
}

static void add_nps(struct result *res, const struct gap_result *g,
                    const char *by, int min_n)
{
    struct result_table *t =
        result_table_new(res, "gap_nps", "The gap and the recommendation");
    key_cols(t, by);
    size_t c = result_col(t, "slope", "NPS score per gap point",
                          RESULT_ESTIMATE, 2, RESULT_SIGNED | RESULT_WITH_SE);
    result_col_n(t, c, "slope", "NPS answers");
    result_col(t, "slope_p", "p", RESULT_NUMBER, 4, RESULT_PVALUE);
    c = result_col(t, "nps_met", "NPS met", RESULT_ESTIMATE, 1, RESULT_WITH_SE);
    result_col_n(t, c, "nps_met", "met n");
    c = result_col(t, "nps_unmet", "NPS unmet", RESULT_ESTIMATE, 1,
                   RESULT_WITH_SE);
    result_col_n(t, c, "nps_unmet", "unmet n");
    result_col(t, "nps_diff", "unmet - met", RESULT_ESTIMATE, 1,
               RESULT_NO_N | RESULT_SIGNED | RESULT_WITH_SE);
    result_col(t, "nps_diff_p", "p", RESULT_NUMBER, 4, RESULT_PVALUE);
    for (size_t i = 0; i < g->n_rows; i++) {
        const struct gap_row *row = &g->rows[i];
        const struct comparison *d = &row->nps_diff;
        struct result_estimate e;
        result_row(t);
        key_vals(t, row);
        e = result_estimate_of(&row->slope, min_n);
        result_add_est(t, &e);
        result_add_num(t, row->slope_p);
        e = result_estimate_of(&row->nps_met, min_n);
        result_add_est(t, &e);
        e = result_estimate_of(&row->nps_unmet, min_n);
        result_add_est(t, &e);
        struct result_estimate x = {d->valid ? d->diff : NAN,
                                    d->valid ? d->lo : NAN,
                                    d->valid ? d->hi : NAN,
                                    d->valid ? d->se : NAN,
                                    -1,
                                    row->nps_met.n < min_n ||
                                        row->nps_unmet.n < min_n};
        result_add_est(t, &x);
        result_add_num(t, d->valid ? d->p : NAN);
    }
}

struct result *gap_report_build(const struct gap_result *g, int min_n)
{
    struct result *res = result_new();
    const char *by = g->by[0] ? g->by : "group";
    result_set_min_n(res, min_n);
    result_meta_int(res, "responses", NULL, g->rows_passed);
    if (g->by[0])
        result_meta_text(res, "by", NULL, g->by);
    else
        result_meta_json(res, "by", NULL, "null");
    if (g->n_dropped) {
        struct strbuf b = STRBUF_INIT;
        strbuf_putc(&b, '[');
        for (size_t i = 0; i < g->n_dropped; i++) {
            if (i)
                strbuf_putc(&b, ',');
            strbuf_json_string(&b, g->dropped[i], strlen(g->dropped[i]));
        }
        strbuf_putc(&b, ']');
        result_meta_json(res, "questions_without_pairs", NULL, strbuf_str(&b));
        strbuf_dispose(&b);
        result_note(res,
                    "%zu question%s had no pair among the responses kept "
                    "and %s left out (questions_without_pairs in JSON).",
                    g->n_dropped, g->n_dropped == 1 ? "" : "s",
                    g->n_dropped == 1 ? "is" : "are");
    }
    add_gaps(res, g, by, min_n);
    add_nps(res, g, by, min_n);
    result_note(res, "The gap is perception - expectation per response: "
                     "below 0, the expectation was not met.");
    result_method(res, "Pairs: responses that answered both expect:KEY and "
                       "perceive:KEY (same scale); each row's n counts them. "
                       "Expectation and perception: means with t 95%% CIs.");
    result_method(res, "Gap: the mean of d = perception - expectation per "
                       "response, with the paired t interval d-bar +- "
                       "t(0.975, n-1) s_d / sqrt(n); it assumes the pairs "
                       "are independent (a customer answering twice counts "
                       "twice) and d roughly normal or n large.");
    result_method(res, "Unmet: the share of pairs with d < 0, Wilson score "
                       "95%% CI.");
    result_method(res, "NPS score per gap point: OLS slope of the 0-10 NPS "
                       "answer on d over the pairs that answered NPS, t CI "
                       "and p (homoscedastic errors assumed); undefined with "
                       "fewer than 3 such pairs or a constant gap or NPS. It "
                       "describes an association, not a cause.");
    result_method(res, "NPS met / unmet: NPS of the pairs with d >= 0 and "
                       "d < 0, trinomial 95%% CI (Wald); the difference by a "
                       "z test on both trinomial variances.");
    return res;
}
