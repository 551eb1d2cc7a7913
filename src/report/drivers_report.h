#pragma once
/* The results of `drivers` and `priorities` (report/result.h): key-driver
 * tables from an analysis/drivers.h result. Nothing is computed or
 * printed here beyond scaling and ordering; the caller renders.
 *
 * Scales: importance (LMG share), relative weight, R^2 and theme
 * prevalence are percentages (of the outcome's variance; of the
 * commented responses); coefficients and means are in the variables'
 * own units; odds ratios are ratios. Every interval is 95%. */

struct drivers_result;
struct result;

/* `drivers`: meta outcome, outcome_binary, responses (passing the
 * filters), no_outcome, n (rows used), dropped (missing a driver),
 * missing (listwise or pairwise), r2_pct with r2_lo_pct and r2_hi_pct,
 * adj_r2, pseudo_r2 (0/1 outcome), boot, boot_failed, seed, min_n,
 * themes_skipped; table "drivers", one row per driver ranked by LMG
 * share: rank, driver, importance_pct (estimate: LMG share with its
 * bootstrap CI), share_of_r2_pct, prevalence_pct (theme drivers: Wilson
 * CI), odds_ratio (0/1 outcome: estimate with CI), coef (OLS, estimate
 * with CI and SE), p, mean (performance), rel_weight_pct (estimate),
 * present, low_n. Notes and method notes state the method, the
 * missing-value rule and anything left out. Caller frees with
 * result_free. */
struct result *drivers_report_build(const struct drivers_result *r);

/* `priorities` (r after drivers_prioritize): the meta of `drivers` plus
 * target_by (or target), importance_line_pct and performance_line_pct
 * (the quadrants' dividing lines); table "priorities" ranked by expected
 * improvement (drivers without a target last): rank, driver, quadrant,
 * importance_pct (estimate), mean, performance_pct (0..100, 100 = the
 * better end of the driver's observed range), target, target_group,
 * target_n, expected_change (estimate: coef x (target - mean) with the
 * CI from the coefficient's), coef. Caller frees with result_free. */
struct result *drivers_report_priorities(const struct drivers_result *r);
