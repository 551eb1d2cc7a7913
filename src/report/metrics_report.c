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

/* ---- metrics: the figure columns each metric contributes ---- */

struct figure {
    unsigned metric;
    const char *head; /* table header */
    const char *key;  /* CSV / JSON name */
    size_t offset;    /* of the struct estimate in a cell */
    int decimals;
    int with_n; /* the first figure of a metric also shows its n */
};

#define CELL_EST(f) offsetof(struct metrics_cell, f)

static const struct figure figures[] = {
    {METRIC_NPS, "NPS", "nps", CELL_EST(nps), 1, 1},
    {METRIC_CSAT, "CSAT 4-5 %", "csat_t2b", CELL_EST(csat_t2b), 1, 1},
    {METRIC_CSAT, "CSAT mean", "csat_mean", CELL_EST(csat_mean), 2, 0},
    {METRIC_CES, "CES mean", "ces_mean", CELL_EST(ces_mean), 2, 1},
    {METRIC_CES, "CES 5-7 %", "ces_easy", CELL_EST(ces_easy), 1, 0},
};

#define N_FIGURES (sizeof figures / sizeof figures[0])

static const struct estimate *est_of(const struct metrics_cell *c,
                                     const struct figure *f)
{
    return (const struct estimate *)((const char *)c + f->offset);
}

static const char *metric_name(unsigned m)
{
    return m == METRIC_NPS ? "nps" : m == METRIC_CSAT ? "csat" : "ces";
}

/* Tables are read by people: a touchpoint, stage or journey shows its
 * name ("Söka bostad"); CSV and JSON keep the key a --where accepts. */
static const char *display_label(const struct metrics_result *r,
                                 const struct colstore *cs,
                                 const struct metrics_cell *cell, int d)
{
    enum colstore_dim dim = r->by[d];
    if (cs && cell->key[d] >= 0 &&
        (dim == DIM_TOUCHPOINT || dim == DIM_STAGE || dim == DIM_JOURNEY))
        return colstore_name(cs, dim, (int)cell->key[d]);
    return cell->label[d];
}

static int render_table(struct strbuf *out, const struct metrics_result *r,
                        const struct colstore *cs)
{
    struct table t;
    char buf[64];
    int any_low = 0, rc;
    table_init(&t);
    for (int d = 0; d < r->n_by; d++)
        table_col(&t, colstore_dim_name(r->by[d]), 0);
    for (size_t i = 0; i < N_FIGURES; i++) {
        const struct figure *f = &figures[i];
        if (!(r->metrics & f->metric))
            continue;
        if (f->with_n) {
            snprintf(buf, sizeof buf, "%s n ",
                     f->metric == METRIC_NPS    ? "NPS"
                     : f->metric == METRIC_CSAT ? "CSAT"
                                                : "CES");
            table_col(&t, buf, 1);
        }
        table_col(&t, f->head, 1);
        table_col(&t, "95% CI", 0);
    }
    for (size_t c = 0; c < r->n_cells; c++) {
        const struct metrics_cell *cell = &r->cells[c];
        size_t col = 0;
        table_row(&t);
        for (int d = 0; d < r->n_by; d++)
            table_set(&t, col++, display_label(r, cs, cell, d));
        for (size_t i = 0; i < N_FIGURES; i++) {
            const struct figure *f = &figures[i];
            if (!(r->metrics & f->metric))
                continue;
            const struct estimate *e = est_of(cell, f);
            if (f->with_n) {
                int low = metrics_low_n(r, e);
                any_low |= low;
                fmt_n(buf, sizeof buf, e->n, low);
                table_set(&t, col++, buf);
            }
            fmt_num(buf, sizeof buf, e->value, f->decimals);
            table_set(&t, col++, buf);
            fmt_ci(buf, sizeof buf, e->lo, e->hi, f->decimals);
            table_set(&t, col++, buf);
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

static int render_csv(struct strbuf *out, const struct metrics_result *r)
{
    int rc = 0;
    for (int d = 0; d < r->n_by && !rc; d++)
        rc = strbuf_printf(out, "%s%s", d ? "," : "",
                           colstore_dim_name(r->by[d]));
    for (size_t i = 0; i < N_FIGURES && !rc; i++) {
        const struct figure *f = &figures[i];
        if (!(r->metrics & f->metric))
            continue;
        const char *sep = r->n_by || i ? "," : "";
        if (f->with_n)
            rc = strbuf_printf(out, "%s%s_n,%s_low_n", sep,
                               metric_name(f->metric), metric_name(f->metric));
        if (!rc)
            rc = strbuf_printf(out, "%s%s,%s_lo,%s_hi", f->with_n ? "," : sep,
                               f->key, f->key, f->key);
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
        for (size_t i = 0; i < N_FIGURES && !rc; i++) {
            const struct figure *f = &figures[i];
            if (!(r->metrics & f->metric))
                continue;
            const struct estimate *e = est_of(cell, f);
            if (f->with_n)
                rc = strbuf_printf(out, "%s%lld,%d", first ? "" : ",",
                                   (long long)e->n, metrics_low_n(r, e));
            else if (first)
                rc = ERR_INTERNAL; /* every metric starts with its n */
            first = 0;
            if (!rc)
                rc = csv_num(out, e->value);
            if (!rc)
                rc = csv_num(out, e->lo);
            if (!rc)
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
    for (int d = 0; d < r->n_by; d++)
        json_array_append_new(by, json_string(colstore_dim_name(r->by[d])));
    json_object_set_new(root, "by", by);
    json_object_set_new(root, "min_n", json_integer(r->min_n));
    json_object_set_new(root, "responses", json_integer(r->rows));
    for (size_t c = 0; c < r->n_cells; c++) {
        const struct metrics_cell *cell = &r->cells[c];
        json_t *o = json_object();
        for (int d = 0; d < r->n_by; d++) {
            enum colstore_dim dim = r->by[d];
            json_object_set_new(o, colstore_dim_name(dim),
                                json_string(cell->label[d]));
            if (cs &&
                (dim == DIM_TOUCHPOINT || dim == DIM_STAGE ||
                 dim == DIM_JOURNEY) &&
                cell->key[d] >= 0) {
                char key[32];
                snprintf(key, sizeof key, "%s_name", colstore_dim_name(dim));
                json_object_set_new(
                    o, key,
                    json_string(colstore_name(cs, dim, (int)cell->key[d])));
            }
        }
        json_object_set_new(o, "n", json_integer(cell->n));
        if (r->metrics & METRIC_NPS)
            json_object_set_new(o, "nps", jestimate(&cell->nps, 1, r));
        if (r->metrics & METRIC_CSAT) {
            json_t *m = json_object();
            json_object_set_new(m, "n", json_integer(cell->csat_t2b.n));
            json_object_set_new(
                m, "low_n", json_boolean(metrics_low_n(r, &cell->csat_t2b)));
            json_object_set_new(m, "top2_pct",
                                jestimate(&cell->csat_t2b, 0, r));
            json_object_set_new(m, "mean", jestimate(&cell->csat_mean, 0, r));
            json_object_set_new(o, "csat", m);
        }
        if (r->metrics & METRIC_CES) {
            json_t *m = json_object();
            json_object_set_new(m, "n", json_integer(cell->ces_mean.n));
            json_object_set_new(
                m, "low_n", json_boolean(metrics_low_n(r, &cell->ces_mean)));
            json_object_set_new(m, "mean", jestimate(&cell->ces_mean, 0, r));
            json_object_set_new(m, "easy_pct",
                                jestimate(&cell->ces_easy, 0, r));
            json_object_set_new(o, "ces", m);
        }
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

struct cmp_row {
    const char *head;
    const char *key;
    size_t est; /* offset of the estimate in a cell */
    size_t cmp; /* offset of the comparison */
    unsigned metric;
    int decimals;
};

#define CMP_OF(f) offsetof(struct metrics_comparison, f)

static const struct cmp_row cmp_rows[] = {
    {"NPS", "nps", CELL_EST(nps), CMP_OF(nps), METRIC_NPS, 1},
    {"CSAT 4-5 %", "csat_t2b", CELL_EST(csat_t2b), CMP_OF(csat_t2b),
     METRIC_CSAT, 1},
    {"CSAT mean", "csat_mean", CELL_EST(csat_mean), CMP_OF(csat_mean),
     METRIC_CSAT, 2},
    {"CES mean", "ces_mean", CELL_EST(ces_mean), CMP_OF(ces_mean), METRIC_CES,
     2},
    {"CES 5-7 %", "ces_easy", CELL_EST(ces_easy), CMP_OF(ces_easy), METRIC_CES,
     1},
};

#define N_CMP (sizeof cmp_rows / sizeof cmp_rows[0])

static const struct metrics_cell *only_cell(const struct metrics_result *r)
{
    static const struct metrics_cell empty; /* all zero: n = 0 */
    return r->n_cells ? &r->cells[0] : &empty;
}

static const struct estimate *cell_est(const struct metrics_cell *c,
                                       const struct cmp_row *row)
{
    return (const struct estimate *)((const char *)c + row->est);
}

static const struct comparison *cmp_of(const struct metrics_comparison *c,
                                       const struct cmp_row *row)
{
    return (const struct comparison *)((const char *)c + row->cmp);
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
                         const struct metrics_comparison *c)
{
    const struct metrics_cell *ca = only_cell(a->r), *cb = only_cell(b->r);
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
    for (size_t i = 0; i < N_CMP; i++) {
        const struct cmp_row *row = &cmp_rows[i];
        if (!(a->r->metrics & row->metric))
            continue;
        const struct estimate *ea = cell_est(ca, row), *eb = cell_est(cb, row);
        const struct comparison *x = cmp_of(c, row);
        int la = metrics_low_n(a->r, ea), lb = metrics_low_n(b->r, eb);
        size_t col = 0;
        any_low |= la | lb;
        table_row(&t);
        table_set(&t, col++, row->head);
        fmt_n(buf, sizeof buf, ea->n, la);
        table_set(&t, col++, buf);
        fmt_num(buf, sizeof buf, ea->value, row->decimals);
        table_set(&t, col++, buf);
        fmt_ci(buf, sizeof buf, ea->lo, ea->hi, row->decimals);
        table_set(&t, col++, buf);
        fmt_n(buf, sizeof buf, eb->n, lb);
        table_set(&t, col++, buf);
        fmt_num(buf, sizeof buf, eb->value, row->decimals);
        table_set(&t, col++, buf);
        fmt_ci(buf, sizeof buf, eb->lo, eb->hi, row->decimals);
        table_set(&t, col++, buf);
        if (x->valid)
            snprintf(buf, sizeof buf, "%+.*f", row->decimals,
                     x->diff == 0 ? 0.0 : x->diff);
        else
            snprintf(buf, sizeof buf, "-");
        table_set(&t, col++, buf);
        fmt_ci(buf, sizeof buf, x->lo, x->hi, row->decimals);
        table_set(&t, col++, buf);
        table_set(&t, col++, x->valid ? compare_test_name(x->test) : "-");
        fmt_p(buf, sizeof buf, x->p);
        table_set(&t, col++, buf);
        table_set(&t, col++,
                  !x->valid     ? "-"
                  : x->p < 0.05 ? "yes (p < 0.05)"
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
                       const struct metrics_comparison *c)
{
    const struct metrics_cell *ca = only_cell(a->r), *cb = only_cell(b->r);
    int rc = strbuf_puts(out, "metric,a_n,a,a_lo,a_hi,b_n,b,b_lo,b_hi,diff,"
                              "diff_lo,diff_hi,test,stat,df,p,low_n\n");
    for (size_t i = 0; i < N_CMP && !rc; i++) {
        const struct cmp_row *row = &cmp_rows[i];
        if (!(a->r->metrics & row->metric))
            continue;
        const struct estimate *ea = cell_est(ca, row), *eb = cell_est(cb, row);
        const struct comparison *x = cmp_of(c, row);
        rc = strbuf_printf(out, "%s,%lld", row->key, (long long)ea->n);
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
            rc = strbuf_printf(out, ",%d\n",
                               metrics_low_n(a->r, ea) ||
                                   metrics_low_n(b->r, eb));
    }
    return rc;
}

static json_t *group_json(const struct metrics_report_group *g,
                          const struct cmp_row *row)
{
    const struct estimate *e = cell_est(only_cell(g->r), row);
    return jestimate(e, 1, g->r);
}

static json_t *compare_json(const struct metrics_report_group *a,
                            const struct metrics_report_group *b,
                            const struct metrics_comparison *c)
{
    json_t *root = json_object();
    json_object_set_new(root, "a", json_string(a->label));
    json_object_set_new(root, "b", json_string(b->label));
    json_object_set_new(root, "min_n", json_integer(a->r->min_n));
    for (size_t i = 0; i < N_CMP; i++) {
        const struct cmp_row *row = &cmp_rows[i];
        if (!(a->r->metrics & row->metric))
            continue;
        const struct comparison *x = cmp_of(c, row);
        json_t *o = json_object(), *ci = json_array();
        json_object_set_new(o, "a", group_json(a, row));
        json_object_set_new(o, "b", group_json(b, row));
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
        json_object_set_new(root, row->key, o);
    }
    return root;
}

int metrics_report_compare(struct strbuf *out,
                           const struct metrics_report_group *a,
                           const struct metrics_report_group *b,
                           const struct metrics_comparison *c,
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
