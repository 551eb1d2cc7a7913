#pragma once
/* The result model: one value that every front end renders.
 *
 * A command builds a struct result in src/report (a builder per kind of
 * output; nothing is printed there), and a front end only chooses how to
 * render it: the CLI as an aligned table, CSV or JSON (result_render), the
 * HTTP server as JSON and the web app as HTML (render_html.c) from the
 * same value. A result holds
 *
 *   - meta facts: key -> value (min_n, responses, the filters used). They
 *     are for programs (top-level JSON members); a fact given a label is
 *     also shown to people, as "LABEL: value" above the tables;
 *   - tables, each with a key (for JSON and CSV) and an optional title
 *     (for people), typed columns and rows of values;
 *   - notes, footnotes under the tables ("notes" in JSON), and method
 *     notes that say how a figure was computed ("method" in JSON; shown
 *     under a table only when asked, RESULT_RENDER_METHOD).
 *
 * Why this shape: a figure is never a bare number. An estimate carries
 * its 95% CI, its n and its low-n flag as one value, so no renderer can
 * show the value and drop the n; the renderer, not each builder, decides
 * how an estimate is spelt (table "25.0  [-0.7, 50.7]" with "40*", CSV
 * KEY_n,KEY_low_n,KEY,KEY_lo,KEY_hi, JSON {"value","ci95","n","low_n"}).
 * Columns are typed so that undefined figures are undefined everywhere
 * ('-' in tables, empty in CSV, null in JSON), never 0. Beyond the first
 * sketch there is a boolean type (flags such as low_n: true/false in
 * JSON, 1/0 in CSV, yes/no in tables), a per-format audience mask
 * (a touchpoint's name goes to the table and JSON, its key to CSV and
 * JSON), and a "pairs" layout for one-row tables (counts, an evaluation)
 * that reads as "header  value" lines and is an object in JSON.
 *
 * Building: result_new(), result_table_new() for each table, result_col()
 * for each column, then per row result_row() and one result_add_*() per
 * column, in column order. Every builder function copies the strings it
 * is given. Misuse (a value of the wrong type, too many values in a row,
 * a column added after rows) is a programmer error and asserts.
 *
 * Rendering rules, safety included (customers' words are data, never
 * terminal commands or spreadsheet formulas), are in docs/output-formats.md
 * and in render.c. */

#include <stddef.h>
#include <stdint.h>

struct err;
struct estimate;
struct strbuf;
struct result;
struct result_table;

enum result_format {
    RESULT_FORMAT_TABLE, /* for people: aligned columns, records, pairs */
    RESULT_FORMAT_CSV,   /* one header row per table, blank line between */
    RESULT_FORMAT_JSON,  /* one object */
    RESULT_FORMAT_JSONL, /* one compact object per row (streams) */
    RESULT_FORMAT_HTML   /* for people in a browser: a fragment of
                          * accessible tables (render_html.c); shows the
                          * columns a table shows */
};

/* Parses "table" (also "text"), "csv", "json", "jsonl" or "html". 0 or
 * ERR_INVALID. */
int result_format_parse(enum result_format *out, const char *s);
/* "table", "csv", "json", "jsonl", "html". */
const char *result_format_name(enum result_format f);

enum result_type {
    RESULT_TEXT,     /* UTF-8 text */
    RESULT_INTEGER,  /* int64 */
    RESULT_NUMBER,   /* double; NaN or infinite = undefined */
    RESULT_BOOLEAN,  /* 0 or 1 */
    RESULT_ESTIMATE, /* struct result_estimate */
    RESULT_JSON      /* nested JSON (explanations); compact text in
                      * tables and CSV */
};

/* A figure with its 95% confidence interval and n. Undefined parts are
 * NaN. n < 0 means the figure has no n of its own (a difference): JSON
 * then leaves out n and low_n. */
struct result_estimate {
    double value;
    double lo, hi; /* 95% CI */
    double se;     /* shown in JSON when the column has RESULT_WITH_SE */
    int64_t n;
    int low_n; /* 1: n under the minimum: '*' in tables, never a trend */
};

/* ---- column flags ---- */

/* Who sees a column. No audience bit set means everyone. */
#define RESULT_IN_TABLE 0x1u
#define RESULT_IN_CSV 0x2u
#define RESULT_IN_JSON 0x4u
#define RESULT_FOR_PEOPLE RESULT_IN_TABLE
#define RESULT_FOR_PROGRAMS (RESULT_IN_CSV | RESULT_IN_JSON)

/* Numbers (and an estimate's value and CI). */
#define RESULT_SIGNED 0x10u /* tables: a sign on positive values, "+75.0" */
#define RESULT_DIGITS                                                          \
    0x20u /* tables: `decimals` significant digits                             \
           * ("3.5e-09"); CSV %.6g */
#define RESULT_PVALUE                                                          \
    0x40u /* tables: "<0.0001" below 0.0001, else 4                            \
           * decimals; CSV %.6g */
#define RESULT_ROUNDED                                                         \
    0x80u /* rounded to `decimals` in every format,                            \
           * JSON included (a score of 4 decimals is                           \
           * all the method claims) */
/* Integers. */
#define RESULT_IS_N                                                            \
    0x100u /* the n of figures: '*' in tables when under                       \
            * the result's min_n */
/* Estimates. */
#define RESULT_NO_N                                                            \
    0x200u                    /* its n is shown by a sibling column: no n      \
                               * columns in tables and CSV (JSON keeps n) */
#define RESULT_WITH_SE 0x400u /* "se" in JSON */
/* Text in tables and records. */
#define RESULT_QUOTED 0x800u /* shown in double quotes */
#define RESULT_TABS                                                            \
    0x4000u /* TABs kept (a line to paste into a TSV                           \
             * file); other control characters are                             \
             * still escaped */
/* Text in CSV. */
#define RESULT_NUMBERS                                                         \
    0x8000u /* a field's values, which may be numbers (a --by label): a        \
             * plain number ("-3.5") is written bare, as a number; in          \
             * other text columns a cell beginning with = + - @ TAB or CR      \
             * always gets a leading ' (core/escape.h) */
/* The record layout (RESULT_RECORDS). */
#define RESULT_HEAD 0x1000u /* in the heading line (else a body line) */
#define RESULT_LABELLED                                                        \
    0x2000u /* "HEADER value" in the heading,                                  \
             * "HEADER: value" in the body */

enum result_layout {
    RESULT_GRID,    /* aligned columns under a header line (default) */
    RESULT_RECORDS, /* a block per row: a heading line from the
                     * RESULT_HEAD columns, then indented body lines;
                     * values that are null are left out */
    RESULT_PAIRS    /* one row: a "header  value" line per column in
                     * tables, an object (not an array) in JSON */
};

/* An empty result. Caller frees with result_free. */
struct result *result_new(void);
void result_free(struct result *r);

/* The minimum n the figures were flagged against: the low-n footnote
 * says "n < MIN", and RESULT_IS_N integers under it get a '*'. Also a
 * meta fact "min_n". */
void result_set_min_n(struct result *r, int min_n);
int result_min_n(const struct result *r);

/* Meta facts, in the order given. label NULL: for programs only; else
 * also shown to people as "label: value". */
void result_meta_int(struct result *r, const char *key, const char *label,
                     int64_t v);
void result_meta_num(struct result *r, const char *key, const char *label,
                     double v);
void result_meta_text(struct result *r, const char *key, const char *label,
                      const char *v);
/* The text of meta fact key, or NULL when there is none or it is not
 * text. Borrowed, valid while r lives. */
const char *result_meta_get_text(const struct result *r, const char *key);
/* json is JSON text (e.g. an array of dimension names). ERR_INVALID, and
 * the fact is null, when it does not parse. */
int result_meta_json(struct result *r, const char *key, const char *label,
                     const char *json);

/* A footnote, shown under the tables and in JSON "notes". */
void result_note(struct result *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* A method note: in JSON "method" always, in tables only with
 * RESULT_RENDER_METHOD. */
void result_method(struct result *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Adds a table, rendered after those added before. key names it in JSON
 * (a top-level member: keep it apart from the meta keys and "notes",
 * "method"); title (may be NULL) is a line above it for people. The
 * table is owned by r. */
struct result_table *result_table_new(struct result *r, const char *key,
                                      const char *title);
/* The table named key, or NULL. */
struct result_table *result_table_find(const struct result *r, const char *key);
void result_table_layout(struct result_table *t, enum result_layout l);
/* What a table shows for people when it has no rows, e.g.
 * "(no responses match)". */
void result_table_empty(struct result_table *t, const char *text);

/* Adds a column and returns its index. key names it in CSV and JSON,
 * header in tables; decimals is for numbers and estimates; flags are
 * RESULT_* column flags. Columns must all be added before the first
 * row. */
size_t result_col(struct result_table *t, const char *key, const char *header,
                  enum result_type type, int decimals, unsigned flags);
/* Names an estimate's n: CSV KEY_n and KEY_low_n, table header (default:
 * the column's key and "HEADER n"). */
/* 1 if t has a column with this key. */
int result_col_has(const struct result_table *t, const char *key);
void result_col_n(struct result_table *t, size_t col, const char *key,
                  const char *header);

/* Starts a row with every value null; then one result_add_* per column,
 * in column order (columns not reached stay null). */
void result_row(struct result_table *t);
void result_add_null(struct result_table *t);
/* s NULL adds null. */
void result_add_text(struct result_table *t, const char *s);
void result_add_textn(struct result_table *t, const char *s, size_t n);
void result_add_int(struct result_table *t, int64_t v);
/* Into a RESULT_NUMBER column; NaN is undefined. */
void result_add_num(struct result_table *t, double v);
void result_add_bool(struct result_table *t, int v);
void result_add_est(struct result_table *t, const struct result_estimate *e);
/* A figure of stats/estimate.h as a result estimate, low_n when its n is
 * under min_n; result_add_estimate adds it. */
struct result_estimate result_estimate_of(const struct estimate *e, int min_n);
void result_add_estimate(struct result_table *t, const struct estimate *e,
                         int min_n);
/* An instant (UTC seconds) as ISO 8601 text in UTC; 0 (not yet) is null. */
void result_add_utc(struct result_table *t, int64_t utc);
/* json is JSON text (n bytes). NULL adds null; text that does not parse
 * adds null and returns ERR_INVALID. */
int result_add_json(struct result_table *t, const char *json, size_t n);
/* Marks the number or integer added last as resting on too few answers:
 * '*' after it in tables (with the low-n footnote). Programs get the
 * flag from a column of their own (a boolean, or an estimate's low_n). */
void result_add_low_n(struct result_table *t);
/* Gives the number or estimate added last its own decimals, for a column
 * whose rows are different figures (a comparison's NPS and CSAT mean). */
void result_add_decimals(struct result_table *t, int decimals);

size_t result_table_rows(const struct result_table *t);
/* Drops the rows, keeping the columns: a stream renders one row at a
 * time through the same table. */
void result_table_clear(struct result_table *t);

/* ---- rendering (render.c) ---- */

/* Flags for result_render_with. */
#define RESULT_RENDER_METHOD 0x1u /* tables: the method notes too */
#define RESULT_RENDER_NO_HEADER                                                \
    0x2u /* CSV: no header rows, tables: no                                    \
          * header lines, meta lines or                                        \
          * notes (a stream's later rows); HTML:                               \
          * no meta facts or notes */
#define RESULT_RENDER_SV                                                       \
    0x4u /* HTML: Swedish: decimal comma, "[lo; hi]", U+202F between           \
          * thousands, Swedish words; else English: "[lo, hi]", "1,234" */

/* Appends r in format f. ERR_INVALID ("too large") when out's maximum
 * size is reached; ERR_INTERNAL if JSON cannot be built. */
int result_render(struct strbuf *out, const struct result *r,
                  enum result_format f, struct err *err);
int result_render_with(struct strbuf *out, const struct result *r,
                       enum result_format f, unsigned flags, struct err *err);

/* Appends v as a figure for people in a browser, in the language of
 * flags (RESULT_RENDER_SV or English): `decimals` decimals, thousands
 * grouped (U+202F in Swedish, ',' in English), a decimal comma in
 * Swedish, U+2212 for a minus, '+' on a positive value when sign; not
 * finite as "\u2013" (en dash). Plain UTF-8 text, nothing to escape.
 * Returns as strbuf_add. */
int result_number_text(struct strbuf *out, double v, int decimals, int sign,
                       unsigned flags);

/* Display width of text that escape_terminal (core/escape.h) wrote:
 * terminal columns (wide characters 2, combining marks 0), counted by
 * code point. */
size_t result_text_width(const char *s, size_t n);
