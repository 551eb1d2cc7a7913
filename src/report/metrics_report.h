#pragma once
/* Renders metrics results for people and programs: an aligned terminal
 * table (n on every figure, 95% CI as [lo, hi], '*' on figures under the
 * minimum n with a footnote), CSV (one row per cell, empty fields for
 * undefined figures) or JSON (jansson; null for undefined figures).
 * Everything is appended to a strbuf; nothing is printed here. */

struct colstore;
struct err;
struct comparison;
struct metrics_result;
struct strbuf;

enum metrics_report_format {
    METRICS_REPORT_TABLE,
    METRICS_REPORT_CSV,
    METRICS_REPORT_JSON
};

/* Parses "table", "csv" or "json". 0 or ERR_INVALID. */
int metrics_report_format_parse(enum metrics_report_format *out, const char *s);

/* Appends r. cs gives display names for JSON (touchpoint and stage names)
 * and may be NULL. ERR_INVALID if out's maximum size is reached. */
int metrics_report_render(struct strbuf *out, const struct metrics_result *r,
                          const struct colstore *cs,
                          enum metrics_report_format f, struct err *err);

/* One side of a comparison: its description, and the one-cell result
 * holding its figures. */
struct metrics_report_group {
    const char *label; /* e.g. "touchpoint=felanmalan_app" */
    const struct metrics_result *r;
};

/* Appends groups A and B with n and CI, then B - A for each requested
 * metric with its 95% CI, the test and the p-value. */
int metrics_report_compare(struct strbuf *out,
                           const struct metrics_report_group *a,
                           const struct metrics_report_group *b,
                           const struct comparison *c,
                           enum metrics_report_format f, struct err *err);
