/* A struct result as an HTML fragment for the web app: the same figures
 * as the table format, for a browser and a screen reader.
 *
 *   - a grid is a <table> with a <caption>, <th scope="col"> headers and
 *     its first text column as <th scope="row">, inside a scrolling,
 *     keyboard-reachable <div class="table-wrap" role="region">; numbers
 *     carry class "num" so the stylesheet right-aligns them;
 *   - an estimate reads as in the table format ("n" column, then value
 *     and CI), spelt in the language of the flags: "12,3 [8,1; 16,5]" in
 *     Swedish (the comma is the decimal mark, so the CI's separator is a
 *     semicolon), "12.3 [8.1, 16.5]" in English;
 *   - a figure under the minimum n gets a '*' in a <span class="lown">
 *     with a title, and its table the footnote; an undefined value is
 *     "–" named for screen readers (role="img" aria-label);
 *   - pairs are a <dl>, records one <article> each, labelled meta facts a
 *     <dl class="meta">, notes <p class="note">, method notes (with
 *     RESULT_RENDER_METHOD) a <details>.
 *
 * Every string from the result goes through escape_xml: a comment
 * holding "<script>" is shown, never run. Column headers are the
 * builders' own words (English); in Swedish, the columns labels_sv.h
 * knows get its words, the others keep theirs. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/escape.h"
#include "core/strbuf.h"
#include "report/labels_sv.h"
#include "report/result.h"
#include "report/result_int.h"

#define NARROW_NBSP "\xe2\x80\xaf" /* U+202F, between thousands (sv) */
#define MINUS "\xe2\x88\x92"       /* U+2212 */
#define DASH "\xe2\x80\x93"        /* U+2013, an undefined value */

/* ---- numbers ---- */

/* Rewrites the C-locale number s (from printf) for people: the minus
 * sign, thousands grouped, the decimal mark of the language. */
static int number_words(struct strbuf *out, const char *s, unsigned flags)
{
    int sv = (flags & RESULT_RENDER_SV) != 0, rc = 0;
    if (*s == '-') {
        rc = strbuf_puts(out, MINUS);
        s++;
    } else if (*s == '+') {
        rc = strbuf_putc(out, '+');
        s++;
    }
    size_t digits = strspn(s, "0123456789");
    int group = !strpbrk(s, "eE"); /* "3.5e-09" stays as it is */
    for (size_t i = 0; i < digits && !rc; i++) {
        if (group && i && (digits - i) % 3 == 0)
            rc = strbuf_puts(out, sv ? NARROW_NBSP : ",");
        if (!rc)
            rc = strbuf_putc(out, s[i]);
    }
    for (s += digits; *s && !rc; s++) {
        if (*s == '.')
            rc = strbuf_putc(out, sv ? ',' : '.');
        else if (*s == '-')
            rc = strbuf_puts(out, MINUS);
        else
            rc = strbuf_putc(out, *s);
    }
    return rc;
}

int result_number_text(struct strbuf *out, double v, int decimals, int sign,
                       unsigned flags)
{
    char buf[400];
    if (!isfinite(v))
        return strbuf_puts(out, DASH);
    if (decimals < 0)
        decimals = 0;
    if (decimals > 15)
        decimals = 15;
    if (v == 0 || fabs(v) < 0.5 * pow(10, -decimals))
        v = 0.0; /* no "-0.0" */
    snprintf(buf, sizeof buf, sign ? "%+.*f" : "%.*f", decimals, v);
    return number_words(out, buf, flags);
}

/* A number as a column shows it: decimals, significant digits or a
 * p-value, in the language of flags. */
static int col_num(struct strbuf *out, double v, const struct result_column *c,
                   int decimals, int sign, unsigned flags)
{
    char buf[64];
    if (!isfinite(v))
        return strbuf_puts(out, DASH);
    if (c->flags & RESULT_PVALUE) {
        if (v < 0.0001)
            return strbuf_puts(out, (flags & RESULT_RENDER_SV) ? "&lt;0,0001"
                                                               : "&lt;0.0001");
        snprintf(buf, sizeof buf, "%.4f", v);
        return number_words(out, buf, flags);
    }
    if (c->flags & RESULT_DIGITS) {
        snprintf(buf, sizeof buf, sign ? "%+.*g" : "%.*g",
                 decimals ? decimals : 1, v == 0 ? 0.0 : v);
        return number_words(out, buf, flags);
    }
    return result_number_text(out, v, decimals, sign, flags);
}

static int int_text(struct strbuf *out, int64_t v, int sign, unsigned flags)
{
    char buf[32];
    snprintf(buf, sizeof buf, sign ? "%+lld" : "%lld", (long long)v);
    return number_words(out, buf, flags);
}

/* ---- words of this renderer ---- */

enum word { W_NO_VALUE, W_YES, W_NO, W_METHOD, W_CI, W_LOWN };

static const char *word(enum word w, unsigned flags)
{
    static const char *const t[][2] = {
        [W_NO_VALUE] = {"no value", "inget värde"},
        [W_YES] = {"yes", "ja"},
        [W_NO] = {"no", "nej"},
        [W_METHOD] = {"Method", "Metod"},
        [W_CI] = {"95% CI", "95 % KI"},
        [W_LOWN] = {"too few responses to read as a trend",
                    "för få svar för att läsas som en trend"},
    };
    return t[w][(flags & RESULT_RENDER_SV) ? 1 : 0];
}

/* A column's header in the language of flags; n: its n column's. */
static const char *col_header(const struct result_column *c, int n,
                              unsigned flags)
{
    const char *key = n ? c->n_key : c->key,
               *head = n ? c->n_header : c->header;
    const char *sv =
        (flags & RESULT_RENDER_SV) && key ? labels_sv_header(key, head) : NULL;
    return sv ? sv : head;
}

/* ---- render state ---- */

struct html {
    struct strbuf *b;
    const struct result *r;
    unsigned flags;
    int rc;      /* the first failed append */
    int starred; /* a '*' in the current table */
};

static void put(struct html *h, const char *s)
{
    if (!h->rc)
        h->rc = strbuf_puts(h->b, s);
}

static void putf(struct html *h, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void putf(struct html *h, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (!h->rc)
        h->rc = strbuf_vprintf(h->b, fmt, ap);
    va_end(ap);
}

static void esc(struct html *h, const char *s)
{
    if (!h->rc && s)
        h->rc = escape_xml(h->b, s, strlen(s));
}

static void keep(struct html *h, int rc)
{
    if (!h->rc)
        h->rc = rc;
}

static void null_mark(struct html *h)
{
    put(h, "<span class=\"null\" role=\"img\" aria-label=\"");
    esc(h, word(W_NO_VALUE, h->flags));
    put(h, "\">" DASH "</span>");
}

/* Opens the low-n mark around a figure; low_n_close adds the '*'. */
static void low_n_open(struct html *h)
{
    put(h, "<span class=\"lown\" title=\"");
    if (h->r->min_n > 0)
        putf(h, "n &lt; %d: ", h->r->min_n);
    esc(h, word(W_LOWN, h->flags));
    put(h, "\">");
}

static void low_n_close(struct html *h)
{
    put(h, "*</span>");
    h->starred = 1;
}

/* An estimate's "[lo; hi]" (Swedish) or "[lo, hi]"; nothing when the
 * interval is undefined. */
static void est_ci(struct html *h, const struct result_column *c,
                   const struct result_estimate *e, int decimals)
{
    struct result_column plain = *c;
    plain.flags &= ~(unsigned)(RESULT_SIGNED | RESULT_PVALUE);
    if (!isfinite(e->lo) || !isfinite(e->hi))
        return;
    put(h, " [");
    keep(h, col_num(h->b, e->lo, &plain, decimals, 0, h->flags));
    put(h, (h->flags & RESULT_RENDER_SV) ? "; " : ", ");
    keep(h, col_num(h->b, e->hi, &plain, decimals, 0, h->flags));
    put(h, "]");
}

static void est_n(struct html *h, const struct result_estimate *e)
{
    if (e->n < 0)
        return;
    if (e->low_n)
        low_n_open(h);
    keep(h, int_text(h->b, e->n, 0, h->flags));
    if (e->low_n)
        low_n_close(h);
}

/* Which part of an estimate a cell shows. */
enum part { P_ALL, P_N, P_FIGURE };

static int is_num(const struct result_column *c)
{
    return c->type == RESULT_INTEGER || c->type == RESULT_NUMBER ||
           c->type == RESULT_ESTIMATE;
}

/* One value as HTML text. */
static void value(struct html *h, const struct result_column *c,
                  const struct result_value *v, enum part part)
{
    int decimals = v->decimals >= 0 ? v->decimals : c->decimals;
    int sign = (c->flags & RESULT_SIGNED) != 0;
    if (v->null) {
        null_mark(h);
        return;
    }
    switch (c->type) {
    case RESULT_TEXT:
        if (c->flags & RESULT_QUOTED)
            put(h, (h->flags & RESULT_RENDER_SV) ? "”" : "“");
        esc(h, v->u.s);
        if (c->flags & RESULT_QUOTED)
            put(h, "”");
        return;
    case RESULT_INTEGER: {
        int low = v->low_n || ((c->flags & RESULT_IS_N) && h->r->min_n > 0 &&
                               v->u.i < h->r->min_n);
        if (low)
            low_n_open(h);
        keep(h, int_text(h->b, v->u.i, sign, h->flags));
        if (low)
            low_n_close(h);
        return;
    }
    case RESULT_NUMBER: {
        double d = v->u.d;
        if ((c->flags & RESULT_ROUNDED) && isfinite(d)) {
            double f = pow(10, decimals);
            d = round(d * f) / f;
        }
        if (!isfinite(d)) {
            null_mark(h);
            return;
        }
        if (v->low_n)
            low_n_open(h);
        keep(h, col_num(h->b, d, c, decimals, sign, h->flags));
        if (v->low_n)
            low_n_close(h);
        return;
    }
    case RESULT_BOOLEAN:
        esc(h, word(v->u.b ? W_YES : W_NO, h->flags));
        return;
    case RESULT_JSON: {
        char *s = json_dumps(v->u.j, JSON_COMPACT | JSON_PRESERVE_ORDER |
                                         JSON_ENCODE_ANY);
        if (!s) {
            keep(h, ERR_INTERNAL);
            return;
        }
        put(h, "<code>");
        esc(h, s);
        put(h, "</code>");
        free(s);
        return;
    }
    case RESULT_ESTIMATE: {
        const struct result_estimate *e = &v->u.e;
        if (part == P_N) {
            est_n(h, e);
            return;
        }
        if (!isfinite(e->value))
            null_mark(h);
        else
            keep(h, col_num(h->b, e->value, c, decimals, sign, h->flags));
        if (isfinite(e->value))
            est_ci(h, c, e, decimals);
        if (part == P_ALL && e->n >= 0 && !(c->flags & RESULT_NO_N)) {
            put(h, " n ");
            est_n(h, e);
        }
        return;
    }
    }
}

static int shown(const struct result_column *c)
{
    return result_column_shown(c, RESULT_FORMAT_HTML);
}

static int value_is_empty(const struct result_column *c,
                          const struct result_value *v)
{
    return v->null || (c->type == RESULT_TEXT && (!v->u.s || !v->u.s[0]));
}

/* The label of a table for aria-label: its title, else its key. */
static const char *table_name(const struct result_table *t)
{
    return t->title && *t->title ? t->title : t->key;
}

/* The table's title, in Swedish when asked and known (labels_sv.h). */
static void title_text(struct html *h, const struct result_table *t,
                       const char *title)
{
    size_t rest = 0;
    const char *sv = (h->flags & RESULT_RENDER_SV)
                         ? labels_sv_caption(t->key, title, &rest)
                         : NULL;
    if (!sv) {
        esc(h, title);
        return;
    }
    esc(h, sv);
    esc(h, title + rest);
}

/* ---- layouts ---- */

/* What a table without rows says instead, when it says something. */
static void empty_note(struct html *h, const struct result_table *t)
{
    if (!t->n_rows && t->empty) {
        put(h, "<p class=\"empty\">");
        esc(h, t->empty);
        put(h, "</p>\n");
    }
}

static void grid(struct html *h, const struct result_table *t)
{
    size_t row_col = t->n_cols; /* the first text column: row headers */
    for (size_t c = 0; c < t->n_cols && row_col == t->n_cols; c++)
        if (shown(&t->cols[c]) && t->cols[c].type == RESULT_TEXT)
            row_col = c;

    put(h, "<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" "
           "aria-label=\"");
    title_text(h, t, table_name(t));
    put(h, "\">\n<table class=\"result\">\n");
    if (t->title && *t->title) {
        put(h, "<caption>");
        title_text(h, t, t->title);
        put(h, "</caption>\n");
    }
    put(h, "<thead><tr>");
    for (size_t c = 0; c < t->n_cols; c++) {
        const struct result_column *col = &t->cols[c];
        const char *cls = is_num(col) ? " class=\"num\"" : "";
        if (!shown(col))
            continue;
        if (col->type == RESULT_ESTIMATE && !(col->flags & RESULT_NO_N)) {
            putf(h, "<th scope=\"col\"%s>", cls);
            if (col->n_header) {
                esc(h, col_header(col, 1, h->flags));
            } else {
                esc(h, col_header(col, 0, h->flags));
                put(h, " n");
            }
            put(h, "</th>");
        }
        putf(h, "<th scope=\"col\"%s>", cls);
        esc(h, col_header(col, 0, h->flags));
        if (col->type == RESULT_ESTIMATE) {
            put(h, " <span class=\"ci-head\">[");
            esc(h, word(W_CI, h->flags));
            put(h, "]</span>");
        }
        put(h, "</th>");
    }
    put(h, "</tr></thead>\n<tbody>\n");
    for (size_t row = 0; row < t->n_rows && !h->rc; row++) {
        put(h, "<tr>");
        for (size_t c = 0; c < t->n_cols; c++) {
            const struct result_column *col = &t->cols[c];
            const struct result_value *v = &t->v[row * t->n_cols + c];
            const char *cls = is_num(col) ? " class=\"num\"" : "";
            if (!shown(col))
                continue;
            if (col->type == RESULT_ESTIMATE && !(col->flags & RESULT_NO_N)) {
                putf(h, "<td%s>", cls);
                if (v->null)
                    null_mark(h);
                else
                    value(h, col, v, P_N);
                put(h, "</td>");
            }
            if (c == row_col)
                put(h, "<th scope=\"row\">");
            else
                putf(h, "<td%s>", cls);
            value(h, col, v, col->type == RESULT_ESTIMATE ? P_FIGURE : P_ALL);
            put(h, c == row_col ? "</th>" : "</td>");
        }
        put(h, "</tr>\n");
    }
    put(h, "</tbody>\n</table>\n</div>\n");
    empty_note(h, t);
}

static void title_line(struct html *h, const struct result_table *t)
{
    if (!t->title || !*t->title)
        return;
    put(h, "<p class=\"table-title\">");
    title_text(h, t, t->title);
    put(h, "</p>\n");
}

static void pairs(struct html *h, const struct result_table *t)
{
    put(h, "<div class=\"pairs\">\n");
    title_line(h, t);
    for (size_t row = 0; row < t->n_rows; row++) {
        put(h, "<dl class=\"pairs\">\n");
        for (size_t c = 0; c < t->n_cols; c++) {
            const struct result_column *col = &t->cols[c];
            if (!shown(col))
                continue;
            put(h, "<dt>");
            esc(h, col_header(col, 0, h->flags));
            putf(h, "</dt><dd%s>", is_num(col) ? " class=\"num\"" : "");
            value(h, col, &t->v[row * t->n_cols + c], P_ALL);
            put(h, "</dd>\n");
        }
        put(h, "</dl>\n");
    }
    empty_note(h, t);
    put(h, "</div>\n");
}

static void records(struct html *h, const struct result_table *t)
{
    put(h, "<div class=\"records\">\n");
    title_line(h, t);
    for (size_t row = 0; row < t->n_rows && !h->rc; row++) {
        const struct result_value *v = &t->v[row * t->n_cols];
        int first = 1;
        put(h, "<article class=\"record\">\n");
        for (size_t c = 0; c < t->n_cols; c++) {
            const struct result_column *col = &t->cols[c];
            if (!(col->flags & RESULT_HEAD) || !shown(col) ||
                value_is_empty(col, &v[c]))
                continue;
            put(h, first ? "<p class=\"record-head\">" : " ");
            first = 0;
            put(h, "<span>");
            if (col->flags & RESULT_LABELLED) {
                put(h, "<span class=\"label\">");
                esc(h, col_header(col, 0, h->flags));
                put(h, "</span> ");
            }
            value(h, col, &v[c], P_ALL);
            put(h, "</span>");
        }
        if (!first)
            put(h, "</p>\n");
        for (size_t c = 0; c < t->n_cols; c++) {
            const struct result_column *col = &t->cols[c];
            if ((col->flags & RESULT_HEAD) || !shown(col) ||
                value_is_empty(col, &v[c]))
                continue;
            put(h,
                (col->flags & RESULT_QUOTED) ? "<p class=\"quote\">" : "<p>");
            if (col->flags & RESULT_LABELLED) {
                put(h, "<span class=\"label\">");
                esc(h, col_header(col, 0, h->flags));
                put(h, ":</span> ");
            }
            value(h, col, &v[c], P_ALL);
            put(h, "</p>\n");
        }
        put(h, "</article>\n");
    }
    empty_note(h, t);
    put(h, "</div>\n");
}

static void meta_value(struct html *h, const struct result_value *v)
{
    if (v->null) {
        null_mark(h);
        return;
    }
    switch (v->type) {
    case RESULT_TEXT:
        esc(h, v->u.s);
        return;
    case RESULT_INTEGER:
        keep(h, int_text(h->b, v->u.i, 0, h->flags));
        return;
    case RESULT_NUMBER: {
        char buf[64];
        snprintf(buf, sizeof buf, "%g", v->u.d);
        keep(h, number_words(h->b, buf, h->flags));
        return;
    }
    case RESULT_BOOLEAN:
        esc(h, word(v->u.b ? W_YES : W_NO, h->flags));
        return;
    case RESULT_JSON: {
        char *s = json_dumps(v->u.j, JSON_COMPACT | JSON_PRESERVE_ORDER |
                                         JSON_ENCODE_ANY);
        if (!s) {
            keep(h, ERR_INTERNAL);
            return;
        }
        esc(h, s);
        free(s);
        return;
    }
    default:
        return;
    }
}

static int table_shown(const struct result_table *t)
{
    for (size_t c = 0; c < t->n_cols; c++)
        if (shown(&t->cols[c]))
            return 1;
    return 0;
}

int result_render_html(struct strbuf *out, const struct result *r,
                       unsigned flags)
{
    struct html h = {out, r, flags, 0, 0};
    int head = !(flags & RESULT_RENDER_NO_HEADER), any_meta = 0;
    for (size_t i = 0; i < r->n_meta && head; i++) {
        const struct result_meta *m = &r->meta[i];
        if (!m->label)
            continue;
        if (!any_meta)
            put(&h, "<dl class=\"meta\">\n");
        any_meta = 1;
        put(&h, "<dt>");
        esc(&h, m->label);
        put(&h, "</dt><dd>");
        meta_value(&h, &m->v);
        put(&h, "</dd>\n");
    }
    if (any_meta)
        put(&h, "</dl>\n");
    for (size_t i = 0; i < r->n_tables && !h.rc; i++) {
        const struct result_table *t = r->tables[i];
        if (!table_shown(t))
            continue;
        if (!t->n_rows && !t->empty && t->layout != RESULT_GRID)
            continue;
        h.starred = 0;
        if (t->layout == RESULT_RECORDS)
            records(&h, t);
        else if (t->layout == RESULT_PAIRS)
            pairs(&h, t);
        else
            grid(&h, t);
        if (h.starred) {
            put(&h, "<p class=\"note lown-note\">* ");
            if (r->min_n > 0)
                putf(&h, "n &lt; %d: ", r->min_n);
            esc(&h, word(W_LOWN, flags));
            put(&h, "</p>\n");
        }
    }
    for (size_t i = 0; i < r->n_notes && head; i++) {
        put(&h, "<p class=\"note\">");
        esc(&h, r->notes[i]);
        put(&h, "</p>\n");
    }
    if (head && (flags & RESULT_RENDER_METHOD) && r->n_methods) {
        put(&h, "<details class=\"method\"><summary>");
        esc(&h, word(W_METHOD, flags));
        put(&h, "</summary>\n<ul>\n");
        for (size_t i = 0; i < r->n_methods; i++) {
            put(&h, "<li>");
            esc(&h, r->methods[i]);
            put(&h, "</li>\n");
        }
        put(&h, "</ul>\n</details>\n");
    }
    return h.rc;
}
