/* link_report.h: operations against experience as a result. */
#include "report/link_report.h"

#include <math.h>
#include <stddef.h>
#include <stdio.h>

#include "analysis/link.h"
#include "report/result.h"
#include "stats/estimate.h"

/* How the outcome is read per band, and the unit of the slope. */
static const char *figure_name(enum link_outcome o)
{
    switch (o) {
    case LINK_NPS:
        return "NPS";
    case LINK_PROMOTER:
        return "promoters %";
    case LINK_DETRACTOR:
        return "detractors %";
    case LINK_CSAT:
        return "CSAT mean";
    case LINK_CES:
        return "CES mean";
    default:
        return "mean";
    }
}

static const char *slope_unit(enum link_outcome o)
{
    switch (o) {
    case LINK_NPS:
        return "NPS points";
    case LINK_PROMOTER:
    case LINK_DETRACTOR:
        return "percentage points";
    case LINK_CSAT:
        return "CSAT points (1-5)";
    case LINK_CES:
        return "CES points (1-7)";
    default:
        return "outcome units";
    }
}

static int decimals(enum link_outcome o)
{
    return o == LINK_CSAT || o == LINK_CES || o == LINK_FIELD ? 2 : 1;
}

static void add_bands(struct result *res, const struct link_result *l,
                      int min_n)
{
    struct result_table *t = result_table_new(res, "bands", NULL);
    result_table_empty(t, "(no responses with both)");
    result_col(t, "band", l->measure, RESULT_TEXT, 0, 0);
    result_col(t, "n", "n", RESULT_INTEGER, 0, RESULT_IS_N);
    result_col(t, "measure_mean", "mean measure", RESULT_NUMBER, 2, 0);
    result_col(t, "outcome", figure_name(l->outcome), RESULT_ESTIMATE,
               decimals(l->outcome), RESULT_NO_N | RESULT_WITH_SE);
    for (size_t i = 0; i < l->n_bands; i++) {
        const struct link_band *b = &l->bands[i];
        struct result_estimate e = result_estimate_of(&b->outcome, min_n);
        result_row(t);
        result_add_text(t, b->label);
        result_add_int(t, b->n);
        result_add_num(t, b->measure_mean);
        result_add_est(t, &e);
    }
}

static void add_trend(struct result *res, const struct link_result *l)
{
    struct result_table *t =
        result_table_new(res, "trend", "Trend across the bands");
    result_table_layout(t, RESULT_PAIRS);
    result_col(t, "test", "test", RESULT_TEXT, 0, 0);
    result_col(t, "r", "r (band score, outcome)", RESULT_NUMBER, 4, 0);
    result_col(t, "m2", "M^2", RESULT_NUMBER, 3, 0);
    result_col(t, "df", "df", RESULT_INTEGER, 0, 0);
    result_col(t, "p", "p", RESULT_NUMBER, 4, RESULT_PVALUE);
    result_col(t, "direction", "direction", RESULT_TEXT, 0, 0);
    result_row(t);
    result_add_text(t, "linear-by-linear (Mantel)");
    result_add_num(t, l->trend_r);
    result_add_num(t, l->trend_stat);
    result_add_int(t, 1);
    result_add_num(t, l->trend_p);
    result_add_text(t, !l->trend_valid        ? "-"
                       : !(l->trend_p < 0.05) ? "none shown (p >= 0.05)"
                       : l->trend_r < 0       ? "falling"
                                              : "rising");
}

static void add_effect(struct result *res, const struct link_result *l,
                       int min_n)
{
    char head[FIELD_MAX_TEXT + 96], unit[FIELD_MAX_TEXT + 64];
    struct result_table *t =
        result_table_new(res, "effect", "Effect per unit of the measure");
    result_table_layout(t, RESULT_PAIRS);
    snprintf(unit, sizeof unit, "%s per unit of %s", slope_unit(l->outcome),
             l->measure);
    snprintf(head, sizeof head, "slope (%s)", unit);
    size_t c = result_col(t, "slope", head, RESULT_ESTIMATE, 4,
                          RESULT_SIGNED | RESULT_WITH_SE | RESULT_DIGITS);
    result_col_n(t, c, "slope", "n");
    result_col(t, "p", "p", RESULT_NUMBER, 4, RESULT_PVALUE);
    result_col(t, "intercept", "intercept", RESULT_NUMBER, 2, 0);
    result_col(t, "r2", "R^2", RESULT_NUMBER, 4, 0);
    result_col(t, "unit", "unit", RESULT_TEXT, 0, RESULT_FOR_PROGRAMS);
    result_row(t);
    struct result_estimate e = result_estimate_of(&l->slope, min_n);
    result_add_est(t, &e);
    result_add_num(t, l->slope_p);
    result_add_num(t, l->intercept);
    result_add_num(t, l->r2);
    result_add_text(t, unit);
}

static void add_churn(struct result *res, const struct link_result *l,
                      int min_n)
{
    static const char *const groups[3] = {"detractor", "passive", "promoter"};
    char title[FIELD_MAX_NAME + 96];
    long long w = (long long)l->churn_window;
    snprintf(title, sizeof title,
             "Churn: a %s event within %lld %s after the response", l->churn,
             w % 86400 == 0 ? w / 86400 : (w + 3599) / 3600,
             w % 86400 == 0 ? "days" : "hours");
    struct result_table *t = result_table_new(res, "churn", title);
    result_table_empty(t, "(no customers with a full window)");
    result_col(t, "nps_group", "nps_group", RESULT_TEXT, 0, 0);
    result_col(t, "customers", "customers", RESULT_INTEGER, 0, RESULT_IS_N);
    result_col(t, "churned_pct", "churned %", RESULT_ESTIMATE, 1,
               RESULT_NO_N | RESULT_WITH_SE);
    for (int g = 0; g < 3; g++) {
        struct result_estimate e = result_estimate_of(&l->churned[g], min_n);
        result_row(t);
        result_add_text(t, groups[g]);
        result_add_int(t, l->churned[g].n);
        result_add_est(t, &e);
    }
    const struct comparison *d = &l->churn_diff;
    t = result_table_new(res, "churn_diff", NULL);
    result_table_layout(t, RESULT_PAIRS);
    result_col(t, "diff", "detractors - promoters (points)", RESULT_ESTIMATE, 1,
               RESULT_NO_N | RESULT_SIGNED | RESULT_WITH_SE);
    result_col(t, "p", "p", RESULT_NUMBER, 4, RESULT_PVALUE);
    result_col(t, "customers", "customers counted", RESULT_INTEGER, 0, 0);
    result_col(t, "censored", "left out (window not over)", RESULT_INTEGER, 0,
               0);
    result_row(t);
    struct result_estimate x = {d->valid ? d->diff : NAN,
                                d->valid ? d->lo : NAN,
                                d->valid ? d->hi : NAN,
                                d->valid ? d->se : NAN,
                                -1,
                                l->churned[0].n < min_n ||
                                    l->churned[2].n < min_n};
    result_add_est(t, &x);
    result_add_num(t, d->valid ? d->p : NAN);
    result_add_int(t, l->customers);
    result_add_int(t, l->censored);
}

static void add_revenue(struct result *res, const struct link_result *l)
{
    struct result_table *t =
        result_table_new(res, "revenue", "Revenue at risk");
    result_table_layout(t, RESULT_PAIRS);
    result_col(t, "revenue", "revenue from", RESULT_TEXT, 0, 0);
    result_col(t, "detractor_revenue", "detractors' revenue", RESULT_NUMBER, 2,
               0);
    result_col(t, "detractors_with_revenue", "detractors with a revenue",
               RESULT_INTEGER, 0, 0);
    result_col(t, "detractors_without", "detractors without one",
               RESULT_INTEGER, 0, 0);
    result_col(t, "at_risk", "revenue at risk", RESULT_ESTIMATE, 2,
               RESULT_NO_N | RESULT_WITH_SE);
    result_row(t);
    result_add_text(t, l->revenue_text);
    result_add_num(t, l->revenue_detractors);
    result_add_int(t, l->revenue_n);
    result_add_int(t, l->revenue_missing);
    struct result_estimate e = {
        l->at_risk.value, l->at_risk.lo, l->at_risk.hi, l->at_risk.se, -1, 0};
    result_add_est(t, &e);
}

static void methods(struct result *res, const struct link_result *l)
{
    result_method(res, "Rows: responses kept by the filters that have both "
                       "the measure and the outcome; responses without the "
                       "measure are counted apart (without_measure).");
    if (l->outcome == LINK_NPS)
        result_method(res, "Per band: NPS with the trinomial 95%% CI "
                           "(Wald), clipped to [-100, 100].");
    else if (l->outcome == LINK_PROMOTER || l->outcome == LINK_DETRACTOR)
        result_method(res, "Per band: the share with the Wilson score 95%% "
                           "CI.");
    else
        result_method(res, "Per band: the mean with the t 95%% CI.");
    result_method(res, "Trend: the linear-by-linear association test "
                       "(Mantel) with the bands scored 1..k in order: M^2 = "
                       "(N - 1) r^2, r the Pearson correlation of band score "
                       "and outcome score per response, p from chi-square "
                       "with 1 df. It tests a monotone trend across the "
                       "bands, whatever the spacing of the measure.");
    result_method(res, "Effect: OLS slope of the outcome score per response "
                       "on the measure, t 95%% CI and p. The score is +100 / "
                       "0 / -100 for promoter / passive / detractor (the "
                       "slope is in NPS points per unit), 100 / 0 for a "
                       "share, the answer for CSAT, CES or a field. It "
                       "assumes a straight line, independent responses (a "
                       "customer answering twice counts twice) and constant "
                       "variance; it is an association: other causes that "
                       "move with the measure are not removed.");
    if (l->has_churn)
        result_method(res,
                      "Churn: each customer's first kept response "
                      "with an NPS answer gives its NPS group; the "
                      "customer churned when it has a %s event in the "
                      "window after that response. Customers whose "
                      "window reaches past the latest event in the "
                      "data are left out. Shares with Wilson CIs; "
                      "detractors - promoters by a z test with the "
                      "unpooled SE.",
                      l->churn);
    if (l->revenue)
        result_method(res,
                      "Revenue at risk = revenue of the detractor "
                      "customers (%s; those without one are left out) "
                      "x (churn of detractors - churn of promoters). "
                      "It assumes that detractors would churn at the "
                      "promoters' rate if they were promoters (the "
                      "difference is caused by being a detractor), and "
                      "that the revenue is what churn loses, in the "
                      "revenue's own unit (a month's rent is a month's "
                      "revenue). The CI carries the difference's CI "
                      "only; the revenue is taken as known.",
                      l->revenue_text);
}

struct result *link_report_build(const struct link_result *l, int min_n)
{
    struct result *res = result_new();
    result_set_min_n(res, min_n);
    result_meta_int(res, "responses", NULL, l->rows_passed);
    result_meta_text(res, "measure", "measure", l->measure);
    result_meta_text(res, "outcome", "outcome", l->outcome_text);
    result_meta_int(res, "n", "responses with both", l->n);
    result_meta_int(res, "without_measure", NULL, l->no_measure);
    add_bands(res, l, min_n);
    add_trend(res, l);
    add_effect(res, l, min_n);
    if (l->has_churn)
        add_churn(res, l, min_n);
    if (l->has_churn && l->revenue) {
        add_revenue(res, l);
        if (!(l->churn_diff.p < 0.05))
            result_note(res, "The churn difference is not significant (p "
                             ">= 0.05): its CI, and so the revenue at "
                             "risk's, includes 0.");
    }
    methods(res, l);
    return res;
}
