#pragma once
/* Metrics and comparisons as results (report/result.h): the builders
 * behind `metrics`, `compare` and the figures of `summary`. Nothing is
 * printed here; the caller renders the result in the format asked for.
 *
 * Data-driven: the metrics result lists its figures (key, header,
 * decimals, whether it has an n and an interval), and every column comes
 * from that list, so a new metric needs nothing here.
 *
 * A metrics table has, per --by field, a column of labels (touchpoints,
 * stages and journeys by key for programs, by name for people and as
 * FIELD_name in JSON), then each figure of the metrics result as an
 * estimate: NPS; CSAT top-two-box and mean; CES mean and easy share; a
 * rating's mean and top-two share; a choice's option shares; means,
 * quantiles, sums, extremes, counts. A metric's first figure carries its
 * n (CSV nps_n, nps_low_n; csat_n; ces_n; METRIC_n); every figure has
 * its n in JSON. Low n is flagged against the metrics result's min_n. */

struct comparison;
struct metrics_result;
struct result;

/* Adds r's cells to res as a table named key (title for people, may be
 * NULL), and sets res's min_n to r's. Names come from the cells'
 * display labels. */
void metrics_report_add(struct result *res, const char *key, const char *title,
                        const struct metrics_result *r);

/* Adds the method notes of r's metrics. */
void metrics_report_method(struct result *res, const struct metrics_result *r);

/* The result of `metrics`: meta min_n, responses (that passed the
 * filters) and by (the dimension names), table "cells", the method.
 * Caller frees with result_free. */
struct result *metrics_report_build(const struct metrics_result *r);

/* One side of a comparison: its description, and the one-cell result
 * holding its figures. */
struct metrics_report_group {
    const char *label; /* e.g. "touchpoint=felanmalan_app" */
    const struct metrics_result *r;
};

/* The result of `compare`: meta a and b (shown as "A: ..."), min_n;
 * table "tests", one row per figure (c[i] is the comparison of figure i,
 * metrics_compare_cells) with A and B as estimates, B - A with its 95% CI
 * and SE, the test, its statistic, df and two-sided p, whether it is
 * significant, and low_n when either side is under the minimum. Caller
 * frees with result_free. */
struct result *metrics_report_compare(const struct metrics_report_group *a,
                                      const struct metrics_report_group *b,
                                      const struct comparison *c);
