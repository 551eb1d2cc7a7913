#pragma once
/* The result of `patterns` (analysis/patterns.h) in the result model
 * (report/result.h). Nothing is printed here.
 *
 * Columns named part1, part2, part3 are the triad's corners in import
 * order (a|b|c); people see the corner labels given (meta "corners").
 *
 * Triad tables:
 *   "centers"   group (key for programs, name for people; "all" first),
 *               n, the compositional mean of each part as an estimate
 *               whose interval is the part's range over the 95% Hotelling
 *               region, zeros (answers with a zero part, replaced), and
 *               for programs the region's boundary ("region": an array
 *               of [a, b, c] points, null without a region)
 *   "means"     group, n, the arithmetic mean of each part, t 95% CI
 *   "near"      group, n, % of answers with weight >= 0.6 on each part,
 *               Wilson CI
 *   "clusters"  cluster (1 = largest), n, share %, center of each part;
 *               meta k, k_rule and calinski_harabasz ({"2": CH, ...})
 *   "cells"     the ternary histogram's non-empty cells: i, j, up/down,
 *               each part's range, count and share %; meta grid
 * Dyad tables:
 *   "means"     group, n, mean (t 95% CI), sd
 *   "bins"      from, to, count, share %
 * Meta: question, kind (triad/dyad), responses (that passed the filters),
 * answers, by (or null), min_n. Method notes state the formulas. Figures
 * under min_n are flagged. */

struct patterns_result;
struct result;

/* corners: the three corner labels (triad; NULL: "a", "b", "c"),
 * borrowed. Caller frees the result with result_free. */
struct result *patterns_report_build(const struct patterns_result *p,
                                     const char *const *corners, int min_n);
