#pragma once
/* The result of `gap` (analysis/gap.h) in the result model
 * (report/result.h). Nothing is printed here.
 *
 * Tables, one row per question overall and then per group:
 *   "gaps"     question, group (the group field's key for programs, its
 *              name for people; null/"all" for the overall row), n pairs,
 *              expectation and perception (means, t CI), gap (perception -
 *              expectation, paired t CI, signed), unmet (% of pairs with a
 *              negative gap, Wilson CI)
 *   "gap_nps"  question, group, the OLS slope of nps_score on the gap
 *              (its own n: pairs with an NPS answer) with CI and p, NPS of
 *              the met (gap >= 0) and unmet pairs with their n and CI,
 *              unmet - met with CI and p
 * Meta: min_n, responses (that passed the filters), by (the group field
 * or null), questions_without_pairs (when some were left out, with a
 * note). Method notes state the formulas and assumptions. Figures under
 * min_n are flagged. */

struct gap_result;
struct result;

/* Caller frees with result_free. */
struct result *gap_report_build(const struct gap_result *g, int min_n);
