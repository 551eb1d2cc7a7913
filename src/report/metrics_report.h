#pragma once
/* Metrics and comparisons as results (report/result.h): the builders
 * behind `metrics`, `compare` and the figures of `summary`. Nothing is
 * printed here; the caller renders the result in the format asked for.
 *
 * Data-driven: one table of figures (metric, key, header, the estimate's
 * place in a cell, decimals) makes every column, so a new metric is one
 * line there and a new result struct one accessor.
 *
 * A metrics table has, per --by dimension, a column of labels
 * (touchpoints, stages and journeys by key for programs, by name for
 * people and as DIM_name in JSON), then for each requested metric its
 * figures as estimates: NPS; CSAT top-two-box and mean; CES mean and
 * easy share. A metric's first figure carries its n (CSV nps_n,
 * nps_low_n; csat_n; ces_n); every figure has its n in JSON. Low n is
 * flagged against the metrics result's min_n. */

struct colstore;
struct metrics_comparison;
struct metrics_result;
struct result;

/* Adds r's cells to res as a table named key (title for people, may be
 * NULL), and sets res's min_n to r's. cs gives display names and may be
 * NULL (keys are shown then). */
void metrics_report_add(struct result *res, const char *key, const char *title,
                        const struct metrics_result *r,
                        const struct colstore *cs);

/* Adds the method notes of the metrics in `metrics` (enum metric_bits). */
void metrics_report_method(struct result *res, unsigned metrics);

/* The result of `metrics`: meta min_n, responses (that passed the
 * filters) and by (the dimension names), table "cells", the method.
 * Caller frees with result_free. */
struct result *metrics_report_build(const struct metrics_result *r,
                                    const struct colstore *cs);

/* One side of a comparison: its description, and the one-cell result
 * holding its figures. */
struct metrics_report_group {
    const char *label; /* e.g. "touchpoint=felanmalan_app" */
    const struct metrics_result *r;
};

/* The result of `compare`: meta a and b (shown as "A: ..."), min_n;
 * table "tests", one row per requested figure with A and B as estimates,
 * B - A with its 95% CI and SE, the test, its statistic, df and
 * two-sided p, and low_n when either side is under the minimum. Caller
 * frees with result_free. */
struct result *metrics_report_compare(const struct metrics_report_group *a,
                                      const struct metrics_report_group *b,
                                      const struct metrics_comparison *c);
