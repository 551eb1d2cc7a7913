/* THE renderer: a struct result as an aligned table (people), CSV or JSON
 * (programs). The rules are in docs/output-formats.md; the ones that
 * protect the reader live in escape.c, shared with the export and the
 * CLI's messages:
 *   - tables and records never write a control character from data:
 *     newline, CR and TAB become a space, other C0, DEL, C1, bidirectional
 *     overrides and line separators are shown escaped (\x1b, \u202e), so
 *     a comment cannot move the cursor, recolour or rewrite the terminal;
 *   - a CSV text cell that begins with = + - @ TAB or CR gets a leading '
 *     (OWASP's rule against formula injection), so "=HYPERLINK(...)"
 *     stays text; only in a column of a field's values (RESULT_NUMBERS)
 *     does a plain number such as "-3.5" stay a number. */
#include "report/result.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "core/err.h"
#include "core/escape.h"
#include "core/strbuf.h"
#include "core/xalloc.h"
#include "report/result_int.h"

#define JSON_FLAGS                                                             \
    (JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY |                    \
     JSON_REAL_PRECISION(15))

/* ---- text width ---- */

size_t result_text_width(const char *s, size_t n)
{
    size_t w = 0, i = 0;
    while (i < n) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
                                              (utf8proc_ssize_t)(n - i), &cp);
        if (k <= 0) {
            w++;
            i++;
            continue;
        }
        int cw = utf8proc_charwidth(cp);
        w += cw > 0 ? (size_t)cw : 0;
        i += (size_t)k;
    }
    return w;
}

/* ---- numbers ---- */

static double round_to(double v, int decimals)
{
    double f = pow(10, decimals);
    double r = round(v * f) / f;
    return r == 0 ? 0.0 : r;
}

/* A number as a table shows it. */
static int table_num(struct strbuf *b, double v, const struct result_column *c,
                     int sign)
{
    if (!isfinite(v))
        return strbuf_putc(b, '-');
    if (v == 0)
        v = 0.0; /* no "-0.0" */
    if (c->flags & RESULT_PVALUE)
        return v < 0.0001 ? strbuf_puts(b, "<0.0001")
                          : strbuf_printf(b, "%.4f", v);
    if (c->flags & RESULT_DIGITS)
        return strbuf_printf(b, sign ? "%+.*g" : "%.*g",
                             c->decimals ? c->decimals : 1, v);
    return strbuf_printf(b, sign ? "%+.*f" : "%.*f", c->decimals, v);
}

static int csv_num(struct strbuf *b, double v, const struct result_column *c)
{
    if (!isfinite(v))
        return 0;
    if (v == 0)
        v = 0.0;
    if (c->flags & RESULT_ROUNDED)
        return strbuf_printf(b, "%.*f", c->decimals, v);
    if (c->flags & (RESULT_PVALUE | RESULT_DIGITS))
        return strbuf_printf(b, "%.6g", v);
    return strbuf_printf(b, "%.*f", c->decimals > 4 ? c->decimals : 4, v);
}

static json_t *json_num(double v, const struct result_column *c)
{
    if (!isfinite(v))
        return json_null();
    if (c && (c->flags & RESULT_ROUNDED))
        v = round_to(v, c->decimals);
    return json_real(v == 0 ? 0.0 : v);
}

/* A JSON string; text that is not UTF-8 (it should not happen: stored
 * text is checked) gets U+FFFD for each bad byte rather than failing. */
static json_t *json_text(const char *s)
{
    json_t *j = json_string(s);
    if (j)
        return j;
    struct strbuf b = STRBUF_INIT;
    size_t n = strlen(s), i = 0;
    while (i < n) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
                                              (utf8proc_ssize_t)(n - i), &cp);
        if (k <= 0) {
            strbuf_puts(&b, "\xef\xbf\xbd");
            i++;
        } else {
            strbuf_add(&b, s + i, (size_t)k);
            i += (size_t)k;
        }
    }
    j = json_stringn(b.p ? b.p : "", b.n);
    strbuf_dispose(&b);
    return j ? j : json_null();
}

static int put_json_compact(struct strbuf *b, const json_t *j)
{
    char *s = json_dumps(j, JSON_FLAGS);
    if (!s)
        return ERR_INTERNAL;
    int rc = strbuf_puts(b, s);
    free(s);
    return rc;
}

/* ---- one value as text for people (appended to b, already safe) ---- */

/* Which part of an estimate a table column shows. */
enum part { P_ALL, P_N, P_VALUE, P_CI };

static int table_ci(struct strbuf *b, const struct result_estimate *e,
                    const struct result_column *c)
{
    struct result_column plain = *c;
    int rc;
    plain.flags &= ~(RESULT_SIGNED | RESULT_PVALUE);
    if (!isfinite(e->lo) || !isfinite(e->hi))
        return strbuf_putc(b, '-');
    if ((rc = strbuf_putc(b, '[')) < 0 ||
        (rc = table_num(b, e->lo, &plain, 0)) < 0 ||
        (rc = strbuf_puts(b, ", ")) < 0 ||
        (rc = table_num(b, e->hi, &plain, 0)) < 0)
        return rc;
    return strbuf_putc(b, ']');
}

/* *starred is set when a '*' (n under the minimum) was written. */
static int table_value(struct strbuf *b, const struct result *r,
                       const struct result_column *c,
                       const struct result_value *v, enum part part,
                       int *starred)
{
    struct result_column own;
    if (v->decimals >= 0) {
        own = *c;
        own.decimals = v->decimals;
        c = &own;
    }
    int sign = (c->flags & RESULT_SIGNED) != 0, rc = 0;
    if (v->null)
        return strbuf_putc(b, '-');
    switch (c->type) {
    case RESULT_TEXT:
        if (c->flags & RESULT_QUOTED)
            rc = strbuf_putc(b, '"');
        if (!rc && (c->flags & RESULT_TABS)) {
            const char *p = v->u.s, *tab;
            while (!rc && (tab = strchr(p, '\t'))) {
                rc = escape_terminal(b, p, (size_t)(tab - p));
                if (!rc)
                    rc = strbuf_putc(b, '\t');
                p = tab + 1;
            }
            if (!rc)
                rc = escape_terminal(b, p, strlen(p));
        } else if (!rc) {
            rc = escape_terminal(b, v->u.s, strlen(v->u.s));
        }
        if (!rc && (c->flags & RESULT_QUOTED))
            rc = strbuf_putc(b, '"');
        return rc;
    case RESULT_INTEGER:
        rc = strbuf_printf(b, sign ? "%+lld" : "%lld", (long long)v->u.i);
        if (!rc && (c->flags & RESULT_IS_N)) {
            int low = v->low_n || (r->min_n > 0 && v->u.i < r->min_n);
            *starred |= low;
            rc = strbuf_putc(b, low ? '*' : ' ');
        } else if (!rc && v->low_n) {
            *starred = 1;
            rc = strbuf_putc(b, '*');
        }
        return rc;
    case RESULT_NUMBER:
        rc = table_num(b,
                       (c->flags & RESULT_ROUNDED)
                           ? round_to(v->u.d, c->decimals)
                           : v->u.d,
                       c, sign);
        if (!rc && v->low_n) {
            *starred = 1;
            rc = strbuf_putc(b, '*');
        }
        return rc;
    case RESULT_BOOLEAN:
        return strbuf_puts(b, v->u.b ? "yes" : "no");
    case RESULT_JSON: {
        struct strbuf j = STRBUF_INIT;
        rc = put_json_compact(&j, v->u.j);
        if (!rc)
            rc = escape_terminal(b, j.p ? j.p : "", j.n);
        strbuf_dispose(&j);
        return rc;
    }
    case RESULT_ESTIMATE: {
        const struct result_estimate *e = &v->u.e;
        int with_n = part == P_N ||
                     (part == P_ALL && e->n >= 0 && !(c->flags & RESULT_NO_N));
        if (part == P_VALUE || part == P_ALL)
            rc = table_num(b, e->value, c, sign);
        if (!rc && part == P_ALL)
            rc = strbuf_puts(b, "  ");
        if (!rc && (part == P_CI || part == P_ALL))
            rc = table_ci(b, e, c);
        if (!rc && with_n) {
            /* "40*" or "40 ": the blank keeps the digits aligned */
            *starred |= e->low_n;
            rc = strbuf_printf(b, "%s%lld%s", part == P_ALL ? "  n " : "",
                               (long long)e->n, e->low_n ? "*" : " ");
        }
        return rc;
    }
    }
    return 0;
}

/* ---- tables for people ---- */

/* A display column of a grid: a result column, or part of an estimate. */
struct dcol {
    size_t col;
    enum part part;
    int right;
    int slot;     /* some value is flagged: the others get a blank for
                   * the '*', so digits stay aligned */
    char *header; /* safe */
};

static int value_is_empty(const struct result_column *c,
                          const struct result_value *v)
{
    return v->null || (c->type == RESULT_TEXT && (!v->u.s || !v->u.s[0]));
}

static int pad(struct strbuf *out, size_t n)
{
    int rc = 0;
    while (n-- && !rc)
        rc = strbuf_putc(out, ' ');
    return rc;
}

static char *safe_dup(const char *s)
{
    struct strbuf b = STRBUF_INIT;
    escape_terminal(&b, s, strlen(s));
    return strbuf_detach(&b, NULL);
}

static int render_grid(struct strbuf *out, const struct result *r,
                       const struct result_table *t, unsigned flags,
                       int *starred)
{
    struct dcol *d = xcalloc(t->n_cols * 3 + 1, sizeof *d);
    size_t nd = 0, *w = NULL;
    char **cell = NULL; /* (n_rows + 1) * nd; row 0 the header */
    struct strbuf b = STRBUF_INIT, h = STRBUF_INIT;
    int rc = 0;

    for (size_t c = 0; c < t->n_cols; c++) {
        const struct result_column *col = &t->cols[c];
        if (!result_column_shown(col, RESULT_FORMAT_TABLE))
            continue;
        int num = col->type != RESULT_TEXT && col->type != RESULT_JSON &&
                  col->type != RESULT_BOOLEAN;
        if (col->type == RESULT_ESTIMATE) {
            if (!(col->flags & RESULT_NO_N)) {
                strbuf_reset(&h);
                if (col->n_header)
                    strbuf_puts(&h, col->n_header);
                else
                    strbuf_printf(&h, "%s n", col->header);
                strbuf_putc(&h, ' '); /* over the '*' slot */
                d[nd++] = (struct dcol){c, P_N, 1, 0, safe_dup(strbuf_str(&h))};
            }
            d[nd++] = (struct dcol){c, P_VALUE, 1, 0, safe_dup(col->header)};
            d[nd++] = (struct dcol){c, P_CI, 0, 0, safe_dup("95% CI")};
        } else if (col->flags & RESULT_IS_N) {
            strbuf_reset(&h);
            strbuf_printf(&h, "%s ", col->header);
            d[nd++] = (struct dcol){c, P_ALL, 1, 0, safe_dup(strbuf_str(&h))};
        } else {
            int slot = 0;
            for (size_t row = 0; row < t->n_rows && !slot; row++)
                slot = t->v[row * t->n_cols + c].low_n;
            strbuf_reset(&h);
            strbuf_printf(&h, "%s%s", col->header, slot ? " " : "");
            d[nd++] =
                (struct dcol){c, P_ALL, num, slot, safe_dup(strbuf_str(&h))};
        }
    }
    if (!nd)
        goto done;
    w = xcalloc(nd, sizeof *w);
    cell = xcalloc((t->n_rows + 1) * nd, sizeof *cell);
    for (size_t k = 0; k < nd; k++)
        cell[k] = xstrdup(d[k].header);
    for (size_t row = 0; row < t->n_rows && !rc; row++)
        for (size_t k = 0; k < nd && !rc; k++) {
            strbuf_reset(&b);
            const struct result_value *v = &t->v[row * t->n_cols + d[k].col];
            rc = table_value(&b, r, &t->cols[d[k].col], v, d[k].part, starred);
            if (!rc && d[k].slot && !v->low_n)
                rc = strbuf_putc(&b, ' ');
            cell[(row + 1) * nd + k] = xstrdup(strbuf_str(&b));
        }
    for (size_t row = 0; row <= t->n_rows; row++)
        for (size_t k = 0; k < nd; k++) {
            const char *s = cell[row * nd + k];
            size_t x = s ? result_text_width(s, strlen(s)) : 0;
            w[k] = x > w[k] ? x : w[k];
        }
    for (size_t row = (flags & RESULT_RENDER_NO_HEADER) ? 1 : 0;
         row <= t->n_rows && !rc; row++) {
        /* Trailing spaces are trimmed by holding back a left pad (and an
         * n's blank '*' slot in the last column, below). */
        size_t held = 0, start = out->n;
        for (size_t k = 0; k < nd && !rc; k++) {
            const char *s = cell[row * nd + k];
            size_t x = s ? result_text_width(s, strlen(s)) : 0;
            if (k)
                held += 2;
            if (d[k].right) {
                rc = pad(out, held + w[k] - x);
                held = 0;
            } else if (x) {
                rc = pad(out, held);
                held = 0;
            }
            if (!rc && s)
                rc = strbuf_puts(out, s);
            if (!d[k].right)
                held += w[k] - x;
        }
        while (!rc && out->n > start && out->p[out->n - 1] == ' ')
            out->p[--out->n] = 0;
        if (!rc)
            rc = strbuf_putc(out, '\n');
    }
    if (!rc && !t->n_rows && t->empty)
        rc = strbuf_printf(out, "%s\n", t->empty);
done:
    if (cell)
        for (size_t i = 0; i < (t->n_rows + 1) * nd; i++)
            free(cell[i]);
    free(cell);
    for (size_t k = 0; k < nd; k++)
        free(d[k].header);
    free(d);
    free(w);
    strbuf_dispose(&b);
    strbuf_dispose(&h);
    return rc;
}

/* Drops trailing blanks (an n's empty '*' slot at a line's end). */
static void trim(struct strbuf *b)
{
    while (b->n && b->p[b->n - 1] == ' ')
        b->p[--b->n] = 0;
}

static int render_records(struct strbuf *out, const struct result *r,
                          const struct result_table *t, int *starred)
{
    struct strbuf b = STRBUF_INIT;
    int rc = 0;
    for (size_t row = 0; row < t->n_rows && !rc; row++) {
        const struct result_value *v = &t->v[row * t->n_cols];
        int first = 1;
        for (size_t c = 0; c < t->n_cols && !rc; c++) {
            const struct result_column *col = &t->cols[c];
            if (!(col->flags & RESULT_HEAD) ||
                !result_column_shown(col, RESULT_FORMAT_TABLE) ||
                value_is_empty(col, &v[c]))
                continue;
            if (!first)
                rc = strbuf_puts(out, "  ");
            first = 0;
            if (!rc && (col->flags & RESULT_LABELLED) &&
                !(rc = escape_terminal(out, col->header, strlen(col->header))))
                rc = strbuf_putc(out, ' ');
            strbuf_reset(&b);
            if (!rc)
                rc = table_value(&b, r, col, &v[c], P_ALL, starred);
            trim(&b);
            if (!rc)
                rc = strbuf_add(out, b.p ? b.p : "", b.n);
        }
        if (!rc && !first)
            rc = strbuf_putc(out, '\n');
        for (size_t c = 0; c < t->n_cols && !rc; c++) {
            const struct result_column *col = &t->cols[c];
            if ((col->flags & RESULT_HEAD) ||
                !result_column_shown(col, RESULT_FORMAT_TABLE) ||
                value_is_empty(col, &v[c]))
                continue;
            rc = strbuf_puts(out, "    ");
            if (!rc && (col->flags & RESULT_LABELLED) &&
                !(rc = escape_terminal(out, col->header, strlen(col->header))))
                rc = strbuf_puts(out, ": ");
            strbuf_reset(&b);
            if (!rc)
                rc = table_value(&b, r, col, &v[c], P_ALL, starred);
            trim(&b);
            if (!rc)
                rc = strbuf_add(out, b.p ? b.p : "", b.n);
            if (!rc)
                rc = strbuf_putc(out, '\n');
        }
        if (!rc)
            rc = strbuf_putc(out, '\n');
    }
    if (!rc && !t->n_rows && t->empty)
        rc = strbuf_printf(out, "%s\n", t->empty);
    strbuf_dispose(&b);
    return rc;
}

static int render_pairs(struct strbuf *out, const struct result *r,
                        const struct result_table *t, int *starred)
{
    struct strbuf b = STRBUF_INIT;
    size_t wmax = 0;
    int rc = 0;
    for (size_t c = 0; c < t->n_cols; c++)
        if (result_column_shown(&t->cols[c], RESULT_FORMAT_TABLE)) {
            const char *h = t->cols[c].header;
            size_t x = result_text_width(h, strlen(h));
            wmax = x > wmax ? x : wmax;
        }
    for (size_t row = 0; row < t->n_rows && !rc; row++) {
        const struct result_value *v = &t->v[row * t->n_cols];
        if (row)
            rc = strbuf_putc(out, '\n');
        for (size_t c = 0; c < t->n_cols && !rc; c++) {
            const struct result_column *col = &t->cols[c];
            if (!result_column_shown(col, RESULT_FORMAT_TABLE))
                continue;
            strbuf_reset(&b);
            rc = table_value(&b, r, col, &v[c], P_ALL, starred);
            trim(&b);
            if (!rc)
                rc = escape_terminal(out, col->header, strlen(col->header));
            if (!rc && b.n)
                rc = pad(out, wmax + 2 -
                                  result_text_width(col->header,
                                                    strlen(col->header)));
            if (!rc)
                rc = strbuf_add(out, b.p ? b.p : "", b.n);
            if (!rc)
                rc = strbuf_putc(out, '\n');
        }
    }
    if (!rc && !t->n_rows && t->empty)
        rc = strbuf_printf(out, "%s\n", t->empty);
    strbuf_dispose(&b);
    return rc;
}

static int table_shown(const struct result_table *t, enum result_format f)
{
    for (size_t c = 0; c < t->n_cols; c++)
        if (result_column_shown(&t->cols[c], f))
            return 1;
    return 0;
}

static int meta_text(struct strbuf *b, const struct result_value *v)
{
    if (v->null)
        return strbuf_putc(b, '-');
    switch (v->type) {
    case RESULT_TEXT:
        return escape_terminal(b, v->u.s, strlen(v->u.s));
    case RESULT_INTEGER:
        return strbuf_printf(b, "%lld", (long long)v->u.i);
    case RESULT_NUMBER:
        return strbuf_printf(b, "%g", v->u.d);
    case RESULT_BOOLEAN:
        return strbuf_puts(b, v->u.b ? "yes" : "no");
    case RESULT_JSON: {
        struct strbuf j = STRBUF_INIT;
        int rc = put_json_compact(&j, v->u.j);
        if (!rc)
            rc = escape_terminal(b, j.p ? j.p : "", j.n);
        strbuf_dispose(&j);
        return rc;
    }
    default:
        return 0;
    }
}

static int render_table(struct strbuf *out, const struct result *r,
                        unsigned flags)
{
    int rc = 0, any = 0, head = !(flags & RESULT_RENDER_NO_HEADER);
    for (size_t i = 0; i < r->n_meta && !rc && head; i++) {
        const struct result_meta *m = &r->meta[i];
        if (!m->label)
            continue;
        rc = escape_terminal(out, m->label, strlen(m->label));
        if (!rc)
            rc = strbuf_puts(out, ": ");
        if (!rc)
            rc = meta_text(out, &m->v);
        if (!rc)
            rc = strbuf_putc(out, '\n');
        any = 1;
    }
    for (size_t i = 0; i < r->n_tables && !rc; i++) {
        const struct result_table *t = r->tables[i];
        int starred = 0;
        if (!table_shown(t, RESULT_FORMAT_TABLE))
            continue;
        /* records and pairs without rows or words for that: nothing */
        if (!t->n_rows && !t->empty && t->layout != RESULT_GRID)
            continue;
        if (any && head)
            rc = strbuf_putc(out, '\n');
        any = 1;
        if (!rc && t->title && head) {
            rc = escape_terminal(out, t->title, strlen(t->title));
            if (!rc)
                rc = strbuf_putc(out, '\n');
        }
        if (rc)
            break;
        if (t->layout == RESULT_RECORDS)
            rc = render_records(out, r, t, &starred);
        else if (t->layout == RESULT_PAIRS)
            rc = render_pairs(out, r, t, &starred);
        else
            rc = render_grid(out, r, t, flags, &starred);
        if (!rc && starred) {
            if (r->min_n > 0)
                rc = strbuf_printf(out,
                                   "\n* n < %d: too few responses to read "
                                   "as a trend\n",
                                   r->min_n);
            else
                rc = strbuf_puts(out, "\n* n under the minimum: too few "
                                      "responses to read as a trend\n");
        }
    }
    if (!rc && head && r->n_notes) {
        if (any)
            rc = strbuf_putc(out, '\n');
        for (size_t i = 0; i < r->n_notes && !rc; i++) {
            rc = escape_terminal(out, r->notes[i], strlen(r->notes[i]));
            if (!rc)
                rc = strbuf_putc(out, '\n');
        }
    }
    if (!rc && head && (flags & RESULT_RENDER_METHOD) && r->n_methods) {
        rc = strbuf_puts(out, any || r->n_notes ? "\nMethod:\n" : "Method:\n");
        for (size_t i = 0; i < r->n_methods && !rc; i++) {
            rc = strbuf_puts(out, "  ");
            if (!rc)
                rc = escape_terminal(out, r->methods[i], strlen(r->methods[i]));
            if (!rc)
                rc = strbuf_putc(out, '\n');
        }
    }
    return rc;
}

/* ---- CSV ---- */

/* A CSV cell of the result: text is text (a comment "-3" too), except in
 * a column of a field's values (RESULT_NUMBERS, a --by label), where a
 * plain number is a number; nested JSON is a number when it is one. */
static int csv_text(struct strbuf *out, const char *s, unsigned flags)
{
    return escape_csv(out, s, strlen(s), ',', flags);
}

static int csv_header(struct strbuf *out, const struct result_table *t)
{
    int rc = 0, first = 1;
    for (size_t c = 0; c < t->n_cols && !rc; c++) {
        const struct result_column *col = &t->cols[c];
        if (!result_column_shown(col, RESULT_FORMAT_CSV))
            continue;
        if (!first)
            rc = strbuf_putc(out, ',');
        first = 0;
        if (!rc && col->type == RESULT_ESTIMATE &&
            !(col->flags & RESULT_NO_N)) {
            const char *nk = col->n_key ? col->n_key : col->key;
            rc = strbuf_printf(out, "%s_n,%s_low_n,", nk, nk);
        }
        if (!rc)
            rc = csv_text(out, col->key, 0);
        if (!rc && col->type == RESULT_ESTIMATE)
            rc = strbuf_printf(out, ",%s_lo,%s_hi", col->key, col->key);
    }
    return rc ? rc : strbuf_putc(out, '\n');
}

static int csv_value(struct strbuf *out, const struct result_column *c,
                     const struct result_value *v)
{
    struct result_column own;
    int rc = 0;
    if (v->decimals >= 0) {
        own = *c;
        own.decimals = v->decimals;
        c = &own;
    }
    if (c->type == RESULT_ESTIMATE) {
        const struct result_estimate *e = &v->u.e;
        if (!(c->flags & RESULT_NO_N)) {
            if (!v->null && e->n >= 0)
                rc = strbuf_printf(out, "%lld,%d", (long long)e->n, e->low_n);
            else
                rc = strbuf_putc(out, ',');
            if (!rc)
                rc = strbuf_putc(out, ',');
        }
        if (v->null)
            return rc ? rc : strbuf_puts(out, ",,");
        if (!rc)
            rc = csv_num(out, e->value, c);
        if (!rc)
            rc = strbuf_putc(out, ',');
        if (!rc)
            rc = csv_num(out, e->lo, c);
        if (!rc)
            rc = strbuf_putc(out, ',');
        if (!rc)
            rc = csv_num(out, e->hi, c);
        return rc;
    }
    if (v->null)
        return 0;
    switch (c->type) {
    case RESULT_TEXT:
        return csv_text(out, v->u.s,
                        (c->flags & RESULT_NUMBERS) ? ESCAPE_CSV_NUMBER : 0);
    case RESULT_INTEGER:
        return strbuf_printf(out, "%lld", (long long)v->u.i);
    case RESULT_NUMBER:
        return csv_num(out, v->u.d, c);
    case RESULT_BOOLEAN:
        return strbuf_putc(out, v->u.b ? '1' : '0');
    case RESULT_JSON: {
        char *s = json_dumps(v->u.j, JSON_FLAGS);
        if (!s)
            return ERR_INTERNAL;
        rc = csv_text(out, s, ESCAPE_CSV_NUMBER);
        free(s);
        return rc;
    }
    default:
        return 0;
    }
}

static int render_csv(struct strbuf *out, const struct result *r,
                      unsigned flags)
{
    int rc = 0, any = 0;
    for (size_t i = 0; i < r->n_tables && !rc; i++) {
        const struct result_table *t = r->tables[i];
        if (!table_shown(t, RESULT_FORMAT_CSV))
            continue;
        if (any)
            rc = strbuf_putc(out, '\n');
        any = 1;
        if (!rc && !(flags & RESULT_RENDER_NO_HEADER))
            rc = csv_header(out, t);
        for (size_t row = 0; row < t->n_rows && !rc; row++) {
            int first = 1;
            for (size_t c = 0; c < t->n_cols && !rc; c++) {
                if (!result_column_shown(&t->cols[c], RESULT_FORMAT_CSV))
                    continue;
                if (!first)
                    rc = strbuf_putc(out, ',');
                first = 0;
                if (!rc)
                    rc =
                        csv_value(out, &t->cols[c], &t->v[row * t->n_cols + c]);
            }
            if (!rc)
                rc = strbuf_putc(out, '\n');
        }
    }
    return rc;
}

/* ---- JSON ---- */

static json_t *json_value(const struct result_column *c,
                          const struct result_value *v)
{
    struct result_column own;
    if (c && v->decimals >= 0) {
        own = *c;
        own.decimals = v->decimals;
        c = &own;
    }
    if (v->null)
        return json_null();
    switch (v->type) {
    case RESULT_TEXT:
        return json_text(v->u.s);
    case RESULT_INTEGER:
        return json_integer(v->u.i);
    case RESULT_NUMBER:
        return json_num(v->u.d, c);
    case RESULT_BOOLEAN:
        return json_boolean(v->u.b);
    case RESULT_JSON:
        return json_incref(v->u.j);
    case RESULT_ESTIMATE: {
        const struct result_estimate *e = &v->u.e;
        json_t *o = json_object(), *ci = json_array();
        json_object_set_new(o, "value", json_num(e->value, c));
        json_array_append_new(ci, json_num(e->lo, c));
        json_array_append_new(ci, json_num(e->hi, c));
        json_object_set_new(o, "ci95", ci);
        if (e->n >= 0) {
            json_object_set_new(o, "n", json_integer(e->n));
            json_object_set_new(o, "low_n", json_boolean(e->low_n));
        }
        if (c && (c->flags & RESULT_WITH_SE))
            json_object_set_new(o, "se", json_num(e->se, c));
        return o;
    }
    }
    return json_null();
}

static json_t *json_row(const struct result_table *t, size_t row)
{
    json_t *o = json_object();
    for (size_t c = 0; c < t->n_cols; c++)
        if (result_column_shown(&t->cols[c], RESULT_FORMAT_JSON))
            json_object_set_new(
                o, t->cols[c].key,
                json_value(&t->cols[c], &t->v[row * t->n_cols + c]));
    return o;
}

static json_t *json_notes(char *const *v, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(a, json_text(v[i]));
    return a;
}

static int render_json(struct strbuf *out, const struct result *r)
{
    json_t *root = json_object();
    int rc;
    for (size_t i = 0; i < r->n_meta; i++)
        json_object_set_new(root, r->meta[i].key,
                            json_value(NULL, &r->meta[i].v));
    for (size_t i = 0; i < r->n_tables; i++) {
        const struct result_table *t = r->tables[i];
        json_t *v;
        if (!table_shown(t, RESULT_FORMAT_JSON))
            continue;
        if (t->layout == RESULT_PAIRS) {
            v = t->n_rows ? json_row(t, 0) : json_null();
        } else {
            v = json_array();
            for (size_t row = 0; row < t->n_rows; row++)
                json_array_append_new(v, json_row(t, row));
        }
        json_object_set_new(root, t->key, v);
    }
    if (r->n_notes)
        json_object_set_new(root, "notes", json_notes(r->notes, r->n_notes));
    if (r->n_methods)
        json_object_set_new(root, "method",
                            json_notes(r->methods, r->n_methods));
    rc = put_json_compact(out, root);
    json_decref(root);
    return rc ? rc : strbuf_putc(out, '\n');
}

static int render_jsonl(struct strbuf *out, const struct result *r)
{
    int rc = 0;
    for (size_t i = 0; i < r->n_tables && !rc; i++) {
        const struct result_table *t = r->tables[i];
        if (!table_shown(t, RESULT_FORMAT_JSON))
            continue;
        for (size_t row = 0; row < t->n_rows && !rc; row++) {
            json_t *o = json_row(t, row);
            rc = put_json_compact(out, o);
            json_decref(o);
            if (!rc)
                rc = strbuf_putc(out, '\n');
        }
    }
    return rc;
}

int result_render_with(struct strbuf *out, const struct result *r,
                       enum result_format f, unsigned flags, struct err *err)
{
    int rc;
    switch (f) {
    case RESULT_FORMAT_CSV:
        rc = render_csv(out, r, flags);
        break;
    case RESULT_FORMAT_JSON:
        rc = render_json(out, r);
        break;
    case RESULT_FORMAT_JSONL:
        rc = render_jsonl(out, r);
        break;
    case RESULT_FORMAT_HTML:
        rc = result_render_html(out, r, flags);
        break;
    default:
        rc = render_table(out, r, flags);
        break;
    }
    if (rc == ERR_INVALID)
        return err_set(err, ERR_INVALID, "the output is too large to build");
    if (rc < 0)
        return err_set(err, ERR_INTERNAL, "the output could not be built");
    return 0;
}

int result_render(struct strbuf *out, const struct result *r,
                  enum result_format f, struct err *err)
{
    return result_render_with(out, r, f, 0, err);
}
