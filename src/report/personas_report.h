#pragma once
/* The result of `personas` (report/result.h): one card per persona from
 * an analysis/personas.h result, the criterion per k and the method.
 * Nothing is computed here beyond scaling and spelling the cards.
 *
 * Meta: rows (responses passing the filters), responses (of those with
 * a customer), customers (clustered), k, k_rule ("fixed" or
 * "silhouette"), features (the design's columns, comma-joined),
 * n_numeric, n_categorical, gamma, starts, seed, seed2, ari_seeds (the
 * adjusted Rand index between the runs from seed and seed2), truth,
 * truth_groups and ari_truth when a truth was named, sample (customers
 * in the silhouette sample), min_n.
 *
 * Table "personas" (records for people): persona ("P1", largest first),
 * customers, share_pct, responses, defining (the traits: "FEATURE=LEVEL
 * 82% (all 15%)" for a categorical level, "FEATURE 1.10 (all 2.20)" for a
 * numeric mean), channels ("app 62% (all 40%)"), nps (estimate with CI
 * and n in points), themes and pains ("NAME 12% (all 9%)": share of its
 * commented responses mentioning the theme, or mentioning it negatively,
 * and the same share over all the customers clustered),
 * weakest_touchpoint with weakest_nps, quote_1 and quote_2 (the texts
 * given, already redacted) with quote_1_id and quote_2_id for programs.
 *
 * Table "criterion": k, silhouette, cost, chosen (one row per k run).
 *
 * quotes: 2 * r->k texts, quotes[2 * c + q] for persona c's quote q
 * (r->p[c].quote_id[q]), NULL where there is none; quotes itself may be
 * NULL. Caller frees the result with result_free. */

struct personas_result;
struct result;

struct result *personas_report_build(const struct personas_result *r,
                                     const char *const *quotes);
