#pragma once
/* The results of `themes`: theme volumes, emerging issues, candidate
 * themes from discovery, and the taxonomy in force. Nothing is printed
 * here; report/result.h renders them.
 *
 * Shares are percentages in every format. In tables a share resting on
 * fewer than min_n answers (comments for the share of comments, mentions
 * for the negative and positive shares) has a '*'; programs get low_n
 * (comments under min_n) per row. */

#include <stddef.h>

struct colstore;
struct discovery_result;
struct emerging_opts;
struct emerging_series;
struct emerging_test;
struct result;
struct themes;

/* Volumes: meta min_n, comments (analysed, passing the filters), period
 * (a period dimension's name, or null); table "themes", per theme (and
 * period with one) mentions, comments, share_pct, negative_pct,
 * positive_pct, low_n, most mentioned first. Themes never mentioned are
 * left out; without a period so are theme-periods without mentions. tx
 * gives labels (Swedish), cs the theme keys. Caller frees with
 * result_free. */
struct result *themes_report_volumes(const struct emerging_series *s,
                                     const struct colstore *cs,
                                     const struct themes *tx, int min_n);

/* Emerging issues: meta period, alpha, window, min_count, flagged (the
 * number); table "flagged", the flagged theme-periods in period order:
 * mentions, comments, share_pct, baseline_pct, baseline_periods,
 * dispersion, t, p, p_holm (and p_exact, p_quasi for programs). tests
 * holds emerging_run's output for s; n_flags its return. */
struct result *themes_report_emerging(const struct emerging_series *s,
                                      const struct emerging_test *tests,
                                      size_t n_flags,
                                      const struct emerging_opts *o,
                                      const struct colstore *cs,
                                      const struct themes *tx);

/* Discovery: meta comments_without_theme, min_comments; table
 * "candidates" (records for people): label, key, lang, comments,
 * share_pct, phrases, examples and a taxonomy line to paste into a file
 * for `themes load`. */
struct result *themes_report_discovery(const struct discovery_result *d,
                                       int min_docs);

/* The taxonomy in force: meta source ("built-in", "built-in and saved",
 * "saved": replacing the built-in one), themes, terms; table "themes"
 * with key, label_sv, label_en, parent. saved is 0, 1 (extends) or 2
 * (replaces). */
struct result *themes_report_taxonomy(const struct themes *tx, int saved);
