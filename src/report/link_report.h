#pragma once
/* The result of `link` (analysis/link.h) in the result model
 * (report/result.h). Nothing is printed here.
 *
 * Meta: min_n, responses (that passed the filters), measure, outcome,
 * n (responses with both), without_measure.
 * Tables:
 *   "bands"   band of the measure, n, mean of the measure, the outcome
 *             (NPS points, a share in %, or a mean) with its 95% CI
 *   "trend"   (pairs) the test's name, r, M^2, df, p, direction
 *   "effect"  (pairs) the slope per unit of the measure with its 95% CI
 *             and n, p, intercept, R^2, and the unit it is in
 *   "churn"   (with --churn) per NPS group: customers, churned % with
 *             Wilson CI; then "churn_diff" (pairs): detractors -
 *             promoters with CI and p, customers counted and censored
 *   "revenue" (with --revenue; pairs) revenue of the detractor
 *             customers, how many had one, revenue at risk with its CI
 * Method notes state each method and its assumptions. */

struct link_result;
struct result;

/* Caller frees with result_free. */
struct result *link_report_build(const struct link_result *l, int min_n);
