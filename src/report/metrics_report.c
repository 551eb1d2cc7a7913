#include "report/metrics_report.h"

#include <jansson.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "colstore/colstore.h"
#include "core/err.h"
#include "core/strbuf.h"
#include "core/xalloc.h"
#include "stats/compare.h"
#include "stats/metrics.h"

int metrics_report_format_parse(enum metrics_report_format *out, const char *s)
{
    if (!strcmp(s, "table"))
        *out = METRICS_REPORT_TABLE;
    else if (!strcmp(s, "csv"))
        *out = METRICS_REPORT_CSV;
    else if (!strcmp(s, "json"))
        *out = METRICS_REPORT_JSON;
    else
        return ERR_INVALID;
    return 0;
}

/* ---- a small aligned text table ---- */

#define MAX_COLS 40

struct table {
    size_t ncols, nrows, cap;
    char **cell;         /* nrows * ncols strings; row 0 is the header */
    int right[MAX_COLS]; /* 1 = right-aligned */
};

static void table_init(struct table *t)
{
    memset(t, 0, sizeof *t);
}

static void table_dispose(struct table *t)
{
    for (size_t i = 0; i < t->nrows * t->ncols; i++)
        free(t->cell[i]);
    free(t->cell);
}

static void table_col(struct table *t, const char *head, int right)
{
    if (t->ncols >= MAX_COLS)
        return;
    t->right[t->ncols] = right;
    t->ncols++;
    t->cell = xrealloc(t->cell, t->ncols * sizeof *t->cell);
    t->cell[t->ncols - 1] = xstrdup(head);
    t->nrows = 1;
}

/* Starts a new row; cells are then set with table_set. */
static void table_row(struct table *t)
{
    t->nrows++;
    t->cell = xrealloc(t->cell, t->nrows * t->ncols * sizeof *t->cell);
    for (size_t c = 0; c < t->ncols; c++)
        t->cell[(t->nrows - 1) * t->ncols + c] = NULL;
}

static void table_set(struct table *t, size_t col, const char *s)
{
    char **p = &t->cell[(t->nrows - 1) * t->ncols + col];
    free(*p);
    *p = xstrdup(s);
}

/* Display width: UTF-8 code points (continuation bytes do not count). */
static size_t width(const char *s)
{
    size_t w = 0;
    for (; *s; s++)
        w += ((unsigned char)*s & 0xC0) != 0x80;
    return w;
}

static int pad(struct strbuf *out, size_t n)
{
    int rc = 0;
    while (n-- && !rc)
        rc = strbuf_putc(out, ' ');
    return rc;
}

static int table_render(struct strbuf *out, const struct table *t)
{
    size_t w[MAX_COLS] = {0};
    int rc = 0;
    for (size_t r = 0; r < t->nrows; r++)
        for (size_t c = 0; c < t->ncols; c++) {
            const char *s = t->cell[r * t->ncols + c];
            size_t k = s ? width(s) : 0;
            w[c] = k > w[c] ? k : w[c];
        }
    for (size_t r = 0; r < t->nrows && !rc; r++) {
        /* Trailing spaces are trimmed by holding back a left pad. */
        size_t held = 0;
        for (size_t c = 0; c < t->ncols && !rc; c++) {
            const char *s = t->cell[r * t->ncols + c];
            size_t k = s ? width(s) : 0;
            if (c)
                held += 2;
            if (t->right[c]) {
                rc = pad(out, held + w[c] - k);
                held = 0;
            } else if (k) {
                rc = pad(out, held);
                held = 0;
            }
            if (!rc && s)
                rc = strbuf_puts(out, s);
            if (!t->right[c])
                held += w[c] - k;
        }
        if (!rc)
            rc = strbuf_putc(out, '\n');
    }
    return rc;
}

/* ---- number formatting ---- */

static void fmt_num(char *buf, size_t n, double v, int decimals)
{
    if (isnan(v))
        snprintf(buf, n, "-");
    else
        snprintf(buf, n, "%.*f", decimals, v == 0 ? 0.0 : v);
}

static void fmt_ci(char *buf, size_t n, double lo, double hi, int decimals)
{
    if (isnan(lo) || isnan(hi))
        snprintf(buf, n, "-");
    else
        snprintf(buf, n, "[%.*f, %.*f]", decimals, lo == 0 ? 0.0 : lo, decimals,
                 hi == 0 ? 0.0 : hi);
}

static void fmt_n(char *buf, size_t n, int64_t v, int low)
{
    snprintf(buf, n, "%lld%s", (long long)v, low ? "*" : " ");
}

/* ---- metrics: the figure columns come from the result ---- */

/* Tables are read by people: a touchpoint, stage or journey shows its
 * name ("Söka bostad"); CSV and JSON keep the key a --where accepts. */
static const char *n_head(const struct metrics_result *r,
                          const struct metrics_figure *f, char *buf,
                          size_t n)
{
    const struct metrics_metric *m = &r->metrics[f->metric];
    const char *name = m->kind == MK_NPS    ? "NPS"
                       : m->kind == MK_CSAT ? "CSAT"
                       : m->kind == MK_CES  ? "CES"
                                            : m->text;
    snprintf(buf, n, "%s n ", name);
    return buf;
}

static int render_table(struct strbuf *out, const struct metrics_result *r,
                        const struct colstore *cs)
{
    struct table t;
    char buf[700];
    int any_low = 0, rc;
    (void)cs;
    table_init(&t);
    for (int d = 0; d < r->n_by; d++)
        table_col(&t, r->by[d], 0);
    for (size_t i = 0; i < r->n_figs; i++) {
        const struct metrics_figure *f = &r->figs[i];
        if (f->with_n)
            table_col(&t, n_head(r, f, buf, sizeof buf), 1);
        table_col(&t, f->head, 1);
        if (f->has_ci)
            table_col(&t, "95% CI", 0);
    }
    for (size_t c = 0; c < r->n_cells; c++) {
        const struct metrics_cell *cell = &r->cells[c];
        size_t col = 0;
        table_row(&t);
        for (int d = 0; d < r->n_by; d++)
            table_set(&t, col++, cell->display[d]);
        for (size_t i = 0; i < r->n_figs; i++) {
            const struct metrics_figure *f = &r->figs[i];
            const struct estimate *e = &cell->fig[i];
            if (f->with_n) {
                int low = metrics_low_n(r, e);
                any_low |= low;
                fmt_n(buf, sizeof buf, e->n, low);
                table_set(&t, col++, buf);
            }
            fmt_num(buf, sizeof buf, e->value, f->decimals);
            table_set(&t, col++, buf);
            if (f->has_ci) {
                fmt_ci(buf, sizeof buf, e->lo, e->hi, f->decimals);
                table_set(&t, col++, buf);
            }
        }
    }
    rc = table_render(out, &t);
    if (!rc && r->n_cells == 0)
        rc = strbuf_puts(out, "(no responses match)\n");
    if (!rc && any_low)
        rc = strbuf_printf(out,
                           "\n* n < %d: too few responses to read as a "
                           "trend\n",
                           r->min_n);
    table_dispose(&t);
    return rc;
}

static int csv_field(struct strbuf *out, const char *s)
{
    if (!strpbrk(s, ",\"\n\r"))
        return strbuf_puts(out, s);
    int rc = strbuf_putc(out, '"');
    for (; *s && !rc; s++)
        rc = *s == '"' ? strbuf_puts(out, "\"\"") : strbuf_putc(out, *s);
    return rc ? rc : strbuf_putc(out, '"');
}

static int csv_num(struct strbuf *out, double v)
{
    if (isnan(v))
        return strbuf_putc(out, ',');
    return strbuf_printf(out, ",%.4f", v == 0 ? 0.0 : v);
}

static const char *metric_key(const struct metrics_result *r,
                              const struct metrics_figure *f)
{
    return r->metrics[f->metric].text;
}

static int render_csv(struct strbuf *out, const struct metrics_result *r)
{
    int rc = 0;
    for (int d = 0; d < r->n_by && !rc; d++) {
        if (d)
            rc = strbuf_putc(out, ',');
        if (!rc)
            rc = csv_field(out, r->by[d]);
    }
    for (size_t i = 0; i < r->n_figs && !rc; i++) {
        const struct metrics_figure *f = &r->figs[i];
        const char *sep = r->n_by || i ? "," : "";
        if (f->with_n) {
            rc = strbuf_puts(out, sep);
            if (!rc)
                rc = strbuf_printf(out, "%s_n,%s_low_n,", metric_key(r, f),
                                   metric_key(r, f));
            sep = "";
        }
        if (!rc)
            rc = strbuf_puts(out, sep);
        if (!rc)
            rc = csv_field(out, f->key);
        if (!rc && f->has_ci)
            rc = strbuf_printf(out, ",%s_lo,%s_hi", f->key, f->key);
    }
    if (!rc)
        rc = strbuf_putc(out, '\n');
    for (size_t c = 0; c < r->n_cells && !rc; c++) {
        const struct metrics_cell *cell = &r->cells[c];
        int first = 1;
        for (int d = 0; d < r->n_by && !rc; d++) {
            if (d)
                rc = strbuf_putc(out, ',');
            if (!rc)
                rc = csv_field(out, cell->label[d]);
            first = 0;
        }
        for (size_t i = 0; i < r->n_figs && !rc; i++) {
            const struct metrics_figure *f = &r->figs[i];
            const struct estimate *e = &cell->fig[i];
            if (f->with_n)
                rc = strbuf_printf(out, "%s%lld,%d", first ? "" : ",",
                                   (long long)e->n, metrics_low_n(r, e));
            first = 0;
            if (!rc)
                rc = csv_num(out, e->value);
            if (!rc && f->has_ci)
                rc = csv_num(out, e->lo);
            if (!rc && f->has_ci)
                rc = csv_num(out, e->hi);
        }
        if (!rc)
            rc = strbuf_putc(out, '\n');
    }
    return rc;
}

/* A JSON number, or null when undefined. */
static json_t *jnum(double v)
{
    return isfinite(v) ? json_real(v) : json_null();
}

static json_t *jestimate(const struct estimate *e, int with_n,
                         const struct metrics_result *r)
{
    json_t *o = json_object();
    if (with_n) {
        json_object_set_new(o, "n", json_integer(e->n));
        json_object_set_new(o, "low_n", json_boolean(metrics_low_n(r, e)));
    }
    json_object_set_new(o, "value", jnum(e->value));
    json_object_set_new(o, "se", jnum(e->se));
    json_t *ci = json_array();
    json_array_append_new(ci, jnum(e->lo));
    json_array_append_new(ci, jnum(e->hi));
    json_object_set_new(o, "ci95", ci);
    return o;
}

static json_t *result_json(const struct metrics_result *r,
                           const struct colstore *cs)
{
    json_t *root = json_object(), *by = json_array(), *cells = json_array();
    (void)cs;
    for (int d = 0; d < r->n_by; d++)
        json_array_append_new(by, json_string(r->by[d]));
    json_object_set_new(root, "by", by);
    json_object_set_new(root, "min_n", json_integer(r->min_n));
    json_object_set_new(root, "responses", json_integer(r->rows));
    for (size_t c = 0; c < r->n_cells; c++) {
        const struct metrics_cell *cell = &r->cells[c];
        json_t *o = json_object();
        for (int d = 0; d < r->n_by; d++) {
            json_object_set_new(o, r->by[d], json_string(cell->label[d]));
            if (strcmp(cell->display[d], cell->label[d])) {
                char key[FIELD_MAX_TEXT + 8];
                snprintf(key, sizeof key, "%s_name", r->by[d]);
                json_object_set_new(o, key, json_string(cell->display[d]));
            }
        }
        json_object_set_new(o, "n", json_integer(cell->n));
        for (size_t i = 0; i < r->n_figs; i++)
            json_object_set_new(o, r->figs[i].key,
                                jestimate(&cell->fig[i], 1, r));
        json_array_append_new(cells, o);
    }
    json_object_set_new(root, "cells", cells);
    return root;
}

static int put_json(struct strbuf *out, json_t *root)
{
    char *s = json_dumps(root, JSON_COMPACT | JSON_PRESERVE_ORDER |
                                   JSON_REAL_PRECISION(10));
    json_decref(root);
    if (!s)
        return ERR_INTERNAL;
    int rc = strbuf_puts(out, s);
    if (!rc)
        rc = strbuf_putc(out, '\n');
    free(s);
    return rc;
}

int metrics_report_render(struct strbuf *out, const struct metrics_result *r,
                          const struct colstore *cs,
                          enum metrics_report_format f, struct err *err)
{
    int rc;
    switch (f) {
    case METRICS_REPORT_CSV:
        rc = render_csv(out, r);
        break;
    case METRICS_REPORT_JSON:
        rc = put_json(out, result_json(r, cs));
        break;
    default:
        rc = render_table(out, r, cs);
        break;
    }
    if (rc < 0)
        return err_set(err, rc, "the report is too large to build");
    return 0;
}

/* ---- comparisons ---- */

static const struct estimate *side_est(const struct metrics_report_group *g,
                                       size_t f)
{
    static const struct estimate none = {0, NAN, NAN, NAN, NAN};
    return g->r->n_cells ? &g->r->cells[0].fig[f] : &none;
}

static void fmt_p(char *buf, size_t n, double p)
{
    if (isnan(p))
        snprintf(buf, n, "-");
    else if (p < 0.0001)
        snprintf(buf, n, "<0.0001");
    else
        snprintf(buf, n, "%.4f", p);
}

static int compare_table(struct strbuf *out,
                         const struct metrics_report_group *a,
                         const struct metrics_report_group *b,
                         const struct comparison *c)
{
    struct table t;
    char buf[64];
    int any_low = 0, rc;
    rc = strbuf_printf(out, "A: %s\nB: %s\n\n", a->label, b->label);
    table_init(&t);
    static const char *const heads[] = {
        "metric",   "A n ",  "A",      "A 95% CI", "B n ", "B",
        "B 95% CI", "B - A", "95% CI", "test",     "p",    "significant"};
    static const int right[] = {0, 1, 1, 0, 1, 1, 0, 1, 0, 0, 1, 0};
    for (size_t i = 0; i < sizeof heads / sizeof heads[0]; i++)
        table_col(&t, heads[i], right[i]);
    for (size_t i = 0; i < a->r->n_figs; i++) {
        const struct metrics_figure *f = &a->r->figs[i];
        const struct estimate *ea = side_est(a, i), *eb = side_est(b, i);
        const struct comparison *x = &c[i];
        int la = metrics_low_n(a->r, ea), lb = metrics_low_n(b->r, eb);
        size_t col = 0;
        any_low |= la | lb;
        table_row(&t);
        table_set(&t, col++, f->head);
        fmt_n(buf, sizeof buf, ea->n, la);
        table_set(&t, col++, buf);
        fmt_num(buf, sizeof buf, ea->value, f->decimals);
        table_set(&t, col++, buf);
        fmt_ci(buf, sizeof buf, ea->lo, ea->hi, f->decimals);
        table_set(&t, col++, buf);
        fmt_n(buf, sizeof buf, eb->n, lb);
        table_set(&t, col++, buf);
        fmt_num(buf, sizeof buf, eb->value, f->decimals);
        table_set(&t, col++, buf);
        fmt_ci(buf, sizeof buf, eb->lo, eb->hi, f->decimals);
        table_set(&t, col++, buf);
        if (x->valid)
            snprintf(buf, sizeof buf, "%+.*f", f->decimals,
                     x->diff == 0 ? 0.0 : x->diff);
        else
            snprintf(buf, sizeof buf, "-");
        table_set(&t, col++, buf);
        fmt_ci(buf, sizeof buf, x->lo, x->hi, f->decimals);
        table_set(&t, col++, buf);
        table_set(&t, col++, x->valid ? compare_test_name(x->test) : "-");
        fmt_p(buf, sizeof buf, x->p);
        table_set(&t, col++, buf);
        table_set(&t, col++,
                  !x->valid        ? "-"
                  : x->significant ? "yes (p < 0.05)"
                  : x->p < 0.05    ? "no (too few or no variance)"
                                   : "no");
    }
    if (!rc)
        rc = table_render(out, &t);
    if (!rc)
        rc = strbuf_puts(out, "\nNPS and percentage differences are in "
                              "points; p is two-sided.\n");
    if (!rc && any_low)
        rc = strbuf_printf(out,
                           "* n < %d: too few responses to read as a "
                           "trend\n",
                           a->r->min_n);
    table_dispose(&t);
    return rc;
}

static int compare_csv(struct strbuf *out, const struct metrics_report_group *a,
                       const struct metrics_report_group *b,
                       const struct comparison *c)
{
    int rc = strbuf_puts(out, "metric,a_n,a,a_lo,a_hi,b_n,b,b_lo,b_hi,diff,"
                              "diff_lo,diff_hi,test,stat,df,p,low_n,"
                              "significant\n");
    for (size_t i = 0; i < a->r->n_figs && !rc; i++) {
        const struct metrics_figure *f = &a->r->figs[i];
        const struct estimate *ea = side_est(a, i), *eb = side_est(b, i);
        const struct comparison *x = &c[i];
        rc = csv_field(out, f->key);
        if (!rc)
            rc = strbuf_printf(out, ",%lld", (long long)ea->n);
        if (!rc)
            rc = csv_num(out, ea->value);
        if (!rc)
            rc = csv_num(out, ea->lo);
        if (!rc)
            rc = csv_num(out, ea->hi);
        if (!rc)
            rc = strbuf_printf(out, ",%lld", (long long)eb->n);
        if (!rc)
            rc = csv_num(out, eb->value);
        if (!rc)
            rc = csv_num(out, eb->lo);
        if (!rc)
            rc = csv_num(out, eb->hi);
        if (!rc)
            rc = csv_num(out, x->diff);
        if (!rc)
            rc = csv_num(out, x->lo);
        if (!rc)
            rc = csv_num(out, x->hi);
        if (!rc)
            rc = strbuf_printf(out, ",%s",
                               x->valid ? compare_test_name(x->test) : "");
        if (!rc)
            rc = csv_num(out, isfinite(x->stat) ? x->stat : NAN);
        if (!rc)
            rc = csv_num(out, x->df);
        if (!rc)
            rc = isnan(x->p) ? strbuf_putc(out, ',')
                             : strbuf_printf(out, ",%.6g", x->p);
        if (!rc)
            rc = strbuf_printf(out, ",%d,%d\n",
                               metrics_low_n(a->r, ea) ||
                                   metrics_low_n(b->r, eb),
                               x->significant);
    }
    return rc;
}

static json_t *compare_json(const struct metrics_report_group *a,
                            const struct metrics_report_group *b,
                            const struct comparison *c)
{
    json_t *root = json_object();
    json_object_set_new(root, "a", json_string(a->label));
    json_object_set_new(root, "b", json_string(b->label));
    json_object_set_new(root, "min_n", json_integer(a->r->min_n));
    for (size_t i = 0; i < a->r->n_figs; i++) {
        const struct comparison *x = &c[i];
        json_t *o = json_object(), *ci = json_array();
        json_object_set_new(o, "a", jestimate(side_est(a, i), 1, a->r));
        json_object_set_new(o, "b", jestimate(side_est(b, i), 1, b->r));
        json_object_set_new(o, "diff", jnum(x->diff));
        json_array_append_new(ci, jnum(x->lo));
        json_array_append_new(ci, jnum(x->hi));
        json_object_set_new(o, "ci95", ci);
        json_object_set_new(o, "se", jnum(x->se));
        json_object_set_new(o, "test",
                            x->valid ? json_string(compare_test_name(x->test))
                                     : json_null());
        json_object_set_new(o, "stat", jnum(x->stat));
        json_object_set_new(o, "df", jnum(x->df));
        json_object_set_new(o, "p", jnum(x->p));
        json_object_set_new(o, "significant", json_boolean(x->significant));
        json_object_set_new(root, a->r->figs[i].key, o);
    }
    return root;
}

int metrics_report_compare(struct strbuf *out,
                           const struct metrics_report_group *a,
                           const struct metrics_report_group *b,
                           const struct comparison *c,
                           enum metrics_report_format f, struct err *err)
{
    int rc;
    switch (f) {
    case METRICS_REPORT_CSV:
        rc = compare_csv(out, a, b, c);
        break;
    case METRICS_REPORT_JSON:
        rc = put_json(out, compare_json(a, b, c));
        break;
    default:
        rc = compare_table(out, a, b, c);
        break;
    }
    if (rc < 0)
        return err_set(err, rc, "the report is too large to build");
    return 0;
}
