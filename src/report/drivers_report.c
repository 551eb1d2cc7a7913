#include "report/drivers_report.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/drivers.h"
#include "core/xalloc.h"
#include "report/result.h"

static struct result_estimate est(double v, double lo, double hi, double se,
                                  int64_t n, int low_n)
{
    struct result_estimate e = {v, lo, hi, se, n, low_n};
    return e;
}

static double pct(double x)
{
    return 100 * x;
}

/* Meta facts and notes both commands share. */
static void add_meta(struct result *res, const struct drivers_result *r)
{
    char buf[160];
    result_set_min_n(res, r->min_n);
    result_meta_text(res, "outcome", "outcome", r->outcome);
    result_meta_int(res, "outcome_binary", NULL, r->binary);
    result_meta_int(res, "responses", NULL, (int64_t)r->rows);
    result_meta_int(res, "no_outcome", NULL, (int64_t)r->no_outcome);
    result_meta_int(res, "n", "responses used", (int64_t)r->n);
    result_meta_int(res, "dropped", NULL, (int64_t)r->dropped);
    result_meta_text(res, "missing", NULL,
                     r->pairwise ? "pairwise" : "listwise");
    if (isnan(r->r2_lo))
        snprintf(buf, sizeof buf, "%.1f%%", pct(r->r2));
    else
        snprintf(buf, sizeof buf, "%.1f%%  [%.1f, %.1f]", pct(r->r2),
                 pct(r->r2_lo), pct(r->r2_hi));
    result_meta_text(res, "r2_text", "R² (variance explained)", buf);
    result_meta_num(res, "r2_pct", NULL, pct(r->r2));
    result_meta_num(res, "r2_lo_pct", NULL, pct(r->r2_lo));
    result_meta_num(res, "r2_hi_pct", NULL, pct(r->r2_hi));
    result_meta_num(res, "adj_r2", NULL, r->adj_r2);
    if (r->has_logit)
        result_meta_num(res, "pseudo_r2", NULL, r->pseudo_r2);
    result_meta_int(res, "boot", NULL, (int64_t)r->boot);
    result_meta_int(res, "boot_failed", NULL, (int64_t)r->boot_failed);
    result_meta_int(res, "seed", NULL, (int64_t)r->seed);
    if (r->themes)
        result_meta_int(res, "themes_skipped", NULL,
                        (int64_t)r->themes_skipped);
}

static void add_notes(struct result *res, const struct drivers_result *r)
{
    result_note(res,
                "%zu of %zu responses used: %zu without the outcome, %zu "
                "missing a driver (%s).",
                r->n, r->rows, r->no_outcome, r->dropped,
                r->pairwise ? "pairwise: importance uses each pair's rows, "
                              "the regression the complete ones"
                            : "listwise: only complete responses are used");
    if ((int64_t)r->n < r->min_n)
        result_note(res,
                    "Only %zu responses: under the minimum of %d, read "
                    "nothing into the ranking.",
                    r->n, r->min_n);
    if (r->themes && r->themes_skipped)
        result_note(res,
                    "%zu themes left out: mentioned by fewer than %d of the "
                    "commented responses used (or by all but %d), or "
                    "mentioned exactly where another theme is.",
                    r->themes_skipped, r->min_n, r->min_n);
    if (r->binary && !r->has_logit && r->logit_note[0])
        result_note(res, "No odds ratios: %s.", r->logit_note);
}

static void add_method(struct result *res, const struct drivers_result *r)
{
    result_method(res,
                  "Importance: the LMG (Shapley) share of R² of a linear "
                  "regression of %s on all drivers together (%s), i.e. "
                  "the R² a driver adds averaged over every order of "
                  "entry; shares sum to R². 95%% intervals: percentile "
                  "bootstrap, %zu resamples of the responses (%zu left out "
                  "for a constant or collinear driver), seed %llu. "
                  "Relative weight: Johnson (2000), another split of the "
                  "same R².",
                  r->outcome,
                  r->exact ? "exact over all subsets"
                           : "Monte Carlo over random orders",
                  r->boot, r->boot_failed, (unsigned long long)r->seed);
    result_method(res,
                  "coef: ordinary least squares coefficient, the change in "
                  "%s per unit of the driver with the others held fixed, "
                  "95%% t interval. It describes association in these "
                  "responses, not a proven cause.",
                  r->outcome);
    if (r->binary)
        result_method(res,
                      "The outcome is 0/1: importance treats it as a linear "
                      "probability model; odds ratios come from a logistic "
                      "regression on the same drivers (Wald 95%% "
                      "intervals).");
    result_method(res,
                  "Missing values: %s. A response without the outcome is "
                  "not used. Drivers: a rating or number as it is; a "
                  "FIELD=VALUE or two-value field as 0/1; theme:NAME is 1 "
                  "when the analysed comment mentions the theme, 0 when it "
                  "does not, missing without an analysed comment.",
                  r->pairwise
                      ? "pairwise for importance (each correlation over the "
                        "responses that have both), listwise for the "
                        "regressions"
                      : "listwise (a response missing any driver is left "
                        "out of everything)");
    int themes = 0;
    for (size_t j = 0; j < r->k; j++)
        themes |= r->d[j].theme;
    if (themes)
        result_method(res, "prevalence: share of the commented responses used "
                           "that mention the theme, Wilson 95%% interval. A "
                           "frequent theme need not drive the outcome, and a "
                           "rare one may drive it strongly: read prevalence "
                           "beside importance and the odds ratio.");
}

static int any_theme(const struct drivers_result *r, int want)
{
    for (size_t j = 0; j < r->k; j++)
        if (r->d[j].theme == want)
            return 1;
    return 0;
}

/* Sort key: the rank asked for, drivers without one (0) last, ties by
 * importance rank. */
static long order_key(const struct drivers_result *r, size_t j, int prio)
{
    long rank = prio ? r->d[j].prio_rank : r->d[j].rank;
    if (rank == 0)
        rank = (long)r->k + 1;
    return rank * ((long)r->k + 2) + r->d[j].rank;
}

static size_t *order_by(const struct drivers_result *r, int prio)
{
    size_t *idx = xcalloc(r->k ? r->k : 1, sizeof *idx);
    for (size_t j = 0; j < r->k; j++) {
        size_t i = j;
        for (; i > 0 && order_key(r, idx[i - 1], prio) > order_key(r, j, prio);
             i--)
            idx[i] = idx[i - 1];
        idx[i] = j;
    }
    return idx;
}

struct result *drivers_report_build(const struct drivers_result *r)
{
    struct result *res = result_new();
    char title[DRIVERS_NAME_MAX + 64];
    int low = (int64_t)r->n < r->min_n;
    int themes = any_theme(r, 1), others = any_theme(r, 0);
    size_t *idx = order_by(r, 0);

    add_meta(res, r);
    snprintf(title, sizeof title, "Key drivers of %s", r->outcome);
    struct result_table *t = result_table_new(res, "drivers", title);
    result_table_empty(t, "(no drivers)");
    result_col(t, "rank", "#", RESULT_INTEGER, 0, 0);
    result_col(t, "driver", "driver", RESULT_TEXT, 0, 0);
    result_col(t, "importance_pct", "importance %", RESULT_ESTIMATE, 1,
               RESULT_NO_N | RESULT_WITH_SE);
    result_col(t, "share_of_r2_pct", "of R² %", RESULT_NUMBER, 0, 0);
    if (themes)
        result_col(t, "prevalence_pct", "prevalence %", RESULT_ESTIMATE, 1,
                   RESULT_NO_N);
    if (r->has_logit)
        result_col(t, "odds_ratio", "odds ratio", RESULT_ESTIMATE, 2,
                   RESULT_NO_N);
    result_col(t, "coef", "coef", RESULT_ESTIMATE, 3,
               RESULT_NO_N | RESULT_SIGNED | RESULT_WITH_SE);
    result_col(t, "p", "p", RESULT_NUMBER, 4, RESULT_PVALUE);
    if (others)
        result_col(t, "mean", "mean", RESULT_NUMBER, 2, 0);
    result_col(t, "rel_weight_pct", "rel. weight %", RESULT_ESTIMATE, 1,
               RESULT_NO_N);
    result_col(t, "present", "present", RESULT_INTEGER, 0, RESULT_FOR_PROGRAMS);
    result_col(t, "low_n", "low n", RESULT_BOOLEAN, 0, RESULT_FOR_PROGRAMS);
    for (size_t o = 0; o < r->k; o++) {
        const struct drivers_driver *d = &r->d[idx[o]];
        struct result_estimate e;
        result_row(t);
        result_add_int(t, d->rank);
        result_add_text(t, d->name);
        e = est(pct(d->lmg), pct(d->lmg_lo), pct(d->lmg_hi),
                d->lmg_se > 0 ? pct(d->lmg_se) : NAN, (int64_t)r->n, low);
        result_add_est(t, &e);
        result_add_num(t, r->r2 > 0 ? 100 * d->lmg / r->r2 : NAN);
        if (themes) {
            if (d->theme) {
                const struct estimate *p = &d->prevalence;
                e = est(p->value, p->lo, p->hi, p->se, p->n, p->n < r->min_n);
                result_add_est(t, &e);
            } else {
                result_add_null(t);
            }
        }
        if (r->has_logit) {
            e = est(d->odds.ratio, d->odds.lo, d->odds.hi, NAN, -1, 0);
            result_add_est(t, &e);
        }
        e = est(d->b.b, d->b.lo, d->b.hi, d->b.se, -1, 0);
        result_add_est(t, &e);
        result_add_num(t, d->b.p);
        if (others)
            result_add_num(t, d->mean);
        e = est(pct(d->rw), pct(d->rw_lo), pct(d->rw_hi), NAN, -1, 0);
        result_add_est(t, &e);
        result_add_int(t, (int64_t)d->present);
        result_add_bool(t, low);
    }
    add_notes(res, r);
    add_method(res, r);
    free(idx);
    return res;
}

struct result *drivers_report_priorities(const struct drivers_result *r)
{
    struct result *res = result_new();
    char title[DRIVERS_NAME_MAX + 64], head[FIELD_MAX_TEXT + 32];
    int low = (int64_t)r->n < r->min_n;
    size_t *idx = order_by(r, 1);

    add_meta(res, r);
    if (r->target_by[0])
        result_meta_text(res, "target_by", "target", r->target_by);
    else
        result_meta_text(res, "target", "target", "--target (fixed)");
    result_meta_num(res, "importance_line_pct", NULL, pct(r->imp_mean));
    result_meta_num(res, "performance_line_pct", NULL, pct(r->perf_mean));
    snprintf(title, sizeof title, "Priorities for %s", r->outcome);
    struct result_table *t = result_table_new(res, "priorities", title);
    result_table_empty(t, "(no drivers)");
    result_col(t, "rank", "#", RESULT_INTEGER, 0, 0);
    result_col(t, "driver", "driver", RESULT_TEXT, 0, 0);
    result_col(t, "quadrant", "quadrant", RESULT_TEXT, 0, 0);
    result_col(t, "importance_pct", "importance %", RESULT_ESTIMATE, 1,
               RESULT_NO_N);
    result_col(t, "mean", "mean", RESULT_NUMBER, 2, 0);
    result_col(t, "performance_pct", "perf. %", RESULT_NUMBER, 0, 0);
    result_col(t, "target", "target", RESULT_NUMBER, 2, 0);
    snprintf(head, sizeof head, "best %s",
             r->target_by[0] ? r->target_by : "target");
    result_col(t, "target_group", head, RESULT_TEXT, 0, RESULT_NUMBERS);
    result_col(t, "target_n", "target n", RESULT_INTEGER, 0, RESULT_IS_N);
    result_col(t, "expected_change",
               r->nps_points ? "change in answer" : "expected change",
               RESULT_ESTIMATE, 3, RESULT_NO_N | RESULT_SIGNED);
    if (r->nps_points)
        result_col(t, "expected_nps_points", "NPS points", RESULT_ESTIMATE, 2,
                   RESULT_NO_N | RESULT_SIGNED);
    result_col(t, "coef", "coef", RESULT_NUMBER, 3,
               RESULT_FOR_PROGRAMS | RESULT_SIGNED);
    if (r->nps_points)
        result_col(t, "coef_nps_points", "coef NPS points", RESULT_NUMBER, 3,
                   RESULT_FOR_PROGRAMS | RESULT_SIGNED);
    result_col(t, "low_n", "low n", RESULT_BOOLEAN, 0, RESULT_FOR_PROGRAMS);
    for (size_t o = 0; o < r->k; o++) {
        const struct drivers_driver *d = &r->d[idx[o]];
        struct result_estimate e;
        result_row(t);
        if (d->prio_rank)
            result_add_int(t, d->prio_rank);
        else
            result_add_null(t);
        result_add_text(t, d->name);
        result_add_text(t, drivers_quadrant_name(d->quadrant));
        e = est(pct(d->lmg), pct(d->lmg_lo), pct(d->lmg_hi), NAN, (int64_t)r->n,
                low);
        result_add_est(t, &e);
        result_add_num(t, d->mean);
        result_add_num(t, pct(d->perf));
        result_add_num(t, d->target);
        if (isnan(d->target))
            result_add_null(t);
        else
            result_add_text(t, d->target_label);
        if (d->target_n > 0)
            result_add_int(t, d->target_n);
        else
            result_add_null(t);
        e = est(d->change, d->change_lo, d->change_hi, NAN, -1, 0);
        result_add_est(t, &e);
        if (r->nps_points) {
            e = est(d->pts, d->pts_lo, d->pts_hi, NAN, -1, 0);
            result_add_est(t, &e);
        }
        result_add_num(t, d->b.b);
        if (r->nps_points)
            result_add_num(t, d->b_pts.b);
        result_add_bool(t, low);
    }
    add_notes(res, r);
    result_note(res,
                "Quadrants: importance above %.1f%% (the mean share) is "
                "high; performance above %.0f%% (the mean over drivers) is "
                "high. fix first = high importance, low performance; keep "
                "it up = high, high; maintain = low, low (low priority); "
                "possible overinvestment = low importance, high "
                "performance.",
                pct(r->imp_mean), pct(r->perf_mean));
    for (size_t j = 0; j < r->k; j++)
        if (isnan(r->d[j].target) && r->target_by[0]) {
            result_note(res,
                        "A driver without a target has no group of %s with "
                        "at least %d responses used.",
                        r->target_by, r->min_n);
            break;
        }
    add_method(res, r);
    result_method(res,
                  "performance: where the driver's mean lies in its "
                  "observed range over the responses used (0/1 drivers: "
                  "their share), turned so that 100%% is the end that goes "
                  "with a better %s (higher, or lower for detractor) by the "
                  "sign of its coefficient, so drivers on different scales "
                  "compare.",
                  r->outcome);
    if (r->target_by[0])
        result_method(res,
                      "target: per driver, the mean in the group of %s "
                      "(with at least %d responses used) whose mean would "
                      "move %s the better way most.",
                      r->target_by, r->min_n, r->outcome);
    result_method(res,
                  "expected change = coef x (target - current mean): the "
                  "change in %s if the driver moved to the target and the "
                  "others stayed, by the linear model. Its 95%% interval "
                  "is the coefficient's interval times the same distance; "
                  "it ignores the uncertainty of the means and assumes the "
                  "association is causal and linear over that distance. "
                  "Ranked by expected improvement.",
                  r->outcome);
    if (!r->nps_points && !strcmp(r->outcome, "nps"))
        result_note(res, "Every answer used is in one NPS group, so no "
                         "change in NPS points can be estimated.");
    if (r->nps_points)
        result_method(res,
                      "NPS points: the same for the NPS itself. An OLS of "
                      "each response's NPS score (+100 promoter, 0 passive, "
                      "-100 detractor, whose mean is the NPS) on the same "
                      "drivers and responses gives a coefficient in NPS "
                      "points per unit of the driver (a linear probability "
                      "model); times (target - current mean), with its 95%% "
                      "t interval times the same distance. The answer's "
                      "change and the points are two fits and need not be "
                      "proportional: moving a 6 to a 7 moves the NPS, "
                      "moving an 8 to a 9 too, a 3 to a 4 not.");
    free(idx);
    return res;
}
