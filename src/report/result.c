/* Building a result: tables of typed columns and rows, meta facts and
 * notes. Rendering is in render.c. */
#include "report/result.h"

#include <assert.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/strbuf.h"
#include "core/tstamp.h"
#include "core/xalloc.h"
#include "report/result_int.h"
#include "stats/estimate.h"

int result_format_parse(enum result_format *out, const char *s)
{
    if (!strcmp(s, "table") || !strcmp(s, "text"))
        *out = RESULT_FORMAT_TABLE;
    else if (!strcmp(s, "csv"))
        *out = RESULT_FORMAT_CSV;
    else if (!strcmp(s, "json"))
        *out = RESULT_FORMAT_JSON;
    else if (!strcmp(s, "jsonl"))
        *out = RESULT_FORMAT_JSONL;
    else if (!strcmp(s, "html"))
        *out = RESULT_FORMAT_HTML;
    else
        return ERR_INVALID;
    return 0;
}

const char *result_format_name(enum result_format f)
{
    switch (f) {
    case RESULT_FORMAT_CSV:
        return "csv";
    case RESULT_FORMAT_JSON:
        return "json";
    case RESULT_FORMAT_JSONL:
        return "jsonl";
    case RESULT_FORMAT_HTML:
        return "html";
    default:
        return "table";
    }
}

int result_column_shown(const struct result_column *c, enum result_format f)
{
    unsigned who =
        c->flags & (RESULT_IN_TABLE | RESULT_IN_CSV | RESULT_IN_JSON);
    if (!who)
        return 1;
    switch (f) {
    case RESULT_FORMAT_TABLE:
    case RESULT_FORMAT_HTML: /* for people too */
        return (who & RESULT_IN_TABLE) != 0;
    case RESULT_FORMAT_CSV:
        return (who & RESULT_IN_CSV) != 0;
    default:
        return (who & RESULT_IN_JSON) != 0;
    }
}

static char *dup_or_null(const char *s)
{
    return s ? xstrdup(s) : NULL;
}

static void value_dispose(struct result_value *v)
{
    if (v->null)
        return;
    if (v->type == RESULT_TEXT)
        free(v->u.s);
    else if (v->type == RESULT_JSON)
        json_decref(v->u.j);
    v->null = 1;
}

/* ---- the result ---- */

struct result *result_new(void)
{
    return xcalloc(1, sizeof(struct result));
}

static void table_free(struct result_table *t)
{
    if (!t)
        return;
    result_table_clear(t);
    for (size_t c = 0; c < t->n_cols; c++) {
        free(t->cols[c].key);
        free(t->cols[c].header);
        free(t->cols[c].n_key);
        free(t->cols[c].n_header);
    }
    free(t->cols);
    free(t->v);
    free(t->key);
    free(t->title);
    free(t->empty);
    free(t);
}

void result_free(struct result *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->n_meta; i++) {
        free(r->meta[i].key);
        free(r->meta[i].label);
        value_dispose(&r->meta[i].v);
    }
    free(r->meta);
    for (size_t i = 0; i < r->n_tables; i++)
        table_free(r->tables[i]);
    free(r->tables);
    for (size_t i = 0; i < r->n_notes; i++)
        free(r->notes[i]);
    free(r->notes);
    for (size_t i = 0; i < r->n_methods; i++)
        free(r->methods[i]);
    free(r->methods);
    free(r);
}

/* The meta fact named key, replaced if it exists, else a new one. */
static struct result_meta *meta_slot(struct result *r, const char *key,
                                     const char *label)
{
    struct result_meta *m = NULL;
    for (size_t i = 0; i < r->n_meta && !m; i++)
        if (!strcmp(r->meta[i].key, key))
            m = &r->meta[i];
    if (m) {
        value_dispose(&m->v);
        free(m->label);
    } else {
        /* JSON puts both at the top level: one key, one member */
        assert(!result_table_find(r, key));
        r->meta = xgrow(r->meta, &r->cap_meta, r->n_meta + 1, sizeof *r->meta);
        m = &r->meta[r->n_meta++];
        m->key = xstrdup(key);
    }
    m->label = dup_or_null(label);
    m->v.null = 1;
    m->v.decimals = -1;
    m->v.low_n = 0;
    return m;
}

void result_set_min_n(struct result *r, int min_n)
{
    r->min_n = min_n;
    result_meta_int(r, "min_n", NULL, min_n);
}

int result_min_n(const struct result *r)
{
    return r->min_n;
}

void result_meta_int(struct result *r, const char *key, const char *label,
                     int64_t v)
{
    struct result_meta *m = meta_slot(r, key, label);
    m->v.null = 0;
    m->v.type = RESULT_INTEGER;
    m->v.u.i = v;
}

void result_meta_num(struct result *r, const char *key, const char *label,
                     double v)
{
    struct result_meta *m = meta_slot(r, key, label);
    m->v.type = RESULT_NUMBER;
    m->v.null = !isfinite(v);
    m->v.u.d = v;
}

void result_meta_text(struct result *r, const char *key, const char *label,
                      const char *v)
{
    struct result_meta *m = meta_slot(r, key, label);
    m->v.type = RESULT_TEXT;
    if (v) {
        m->v.null = 0;
        m->v.u.s = xstrdup(v);
    }
}

const char *result_meta_get_text(const struct result *r, const char *key)
{
    for (size_t i = 0; i < r->n_meta; i++)
        if (!strcmp(r->meta[i].key, key))
            return r->meta[i].v.type == RESULT_TEXT && !r->meta[i].v.null
                       ? r->meta[i].v.u.s
                       : NULL;
    return NULL;
}

int result_meta_json(struct result *r, const char *key, const char *label,
                     const char *json)
{
    struct result_meta *m = meta_slot(r, key, label);
    json_error_t je;
    m->v.type = RESULT_JSON;
    if (!json)
        return 0;
    m->v.u.j = json_loads(json, JSON_DECODE_ANY, &je);
    m->v.null = m->v.u.j == NULL;
    return m->v.null ? ERR_INVALID : 0;
}

__attribute__((format(printf, 4, 0))) static void
add_note(char ***v, size_t *n, size_t *cap, const char *fmt, va_list ap)
{
    struct strbuf b = STRBUF_INIT;
    strbuf_vprintf(&b, fmt, ap);
    *v = xgrow(*v, cap, *n + 1, sizeof **v);
    (*v)[(*n)++] = strbuf_detach(&b, NULL);
}

void result_note(struct result *r, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    add_note(&r->notes, &r->n_notes, &r->cap_notes, fmt, ap);
    va_end(ap);
}

void result_method(struct result *r, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    add_note(&r->methods, &r->n_methods, &r->cap_methods, fmt, ap);
    va_end(ap);
}

/* ---- tables ---- */

struct result_table *result_table_new(struct result *r, const char *key,
                                      const char *title)
{
#ifndef NDEBUG
    /* JSON puts tables and meta facts at the top level: keys apart */
    assert(!result_table_find(r, key));
    for (size_t i = 0; i < r->n_meta; i++)
        assert(strcmp(r->meta[i].key, key) != 0);
#endif
    struct result_table *t = xcalloc(1, sizeof *t);
    t->key = xstrdup(key);
    t->title = dup_or_null(title);
    t->layout = RESULT_GRID;
    r->tables =
        xgrow(r->tables, &r->cap_tables, r->n_tables + 1, sizeof *r->tables);
    r->tables[r->n_tables++] = t;
    return t;
}

struct result_table *result_table_find(const struct result *r, const char *key)
{
    for (size_t i = 0; i < r->n_tables; i++)
        if (!strcmp(r->tables[i]->key, key))
            return r->tables[i];
    return NULL;
}

void result_table_layout(struct result_table *t, enum result_layout l)
{
    t->layout = l;
}

void result_table_empty(struct result_table *t, const char *text)
{
    free(t->empty);
    t->empty = dup_or_null(text);
}

size_t result_col(struct result_table *t, const char *key, const char *header,
                  enum result_type type, int decimals, unsigned flags)
{
    assert(t->n_rows == 0); /* columns come before rows */
    t->cols = xgrow(t->cols, &t->cap_cols, t->n_cols + 1, sizeof *t->cols);
    struct result_column *c = &t->cols[t->n_cols];
    memset(c, 0, sizeof *c);
    c->key = xstrdup(key);
    c->header = xstrdup(header ? header : key);
    c->type = type;
    c->decimals = decimals < 0 ? 0 : decimals > 17 ? 17 : decimals;
    c->flags = flags;
    return t->n_cols++;
}

int result_col_has(const struct result_table *t, const char *key)
{
    for (size_t i = 0; i < t->n_cols; i++)
        if (!strcmp(t->cols[i].key, key))
            return 1;
    return 0;
}

void result_col_n(struct result_table *t, size_t col, const char *key,
                  const char *header)
{
    assert(col < t->n_cols && t->cols[col].type == RESULT_ESTIMATE);
    struct result_column *c = &t->cols[col];
    free(c->n_key);
    free(c->n_header);
    c->n_key = dup_or_null(key);
    c->n_header = dup_or_null(header);
}

void result_row(struct result_table *t)
{
    size_t need = (t->n_rows + 1) * t->n_cols;
    t->v = xgrow(t->v, &t->cap_v, need ? need : 1, sizeof *t->v);
    for (size_t c = 0; c < t->n_cols; c++) {
        struct result_value *v = &t->v[t->n_rows * t->n_cols + c];
        v->null = 1;
        v->decimals = -1;
        v->low_n = 0;
        v->type = t->cols[c].type;
    }
    t->n_rows++;
    t->cursor = 0;
}

size_t result_table_rows(const struct result_table *t)
{
    return t->n_rows;
}

void result_table_clear(struct result_table *t)
{
    for (size_t i = 0; i < t->n_rows * t->n_cols; i++)
        value_dispose(&t->v[i]);
    t->n_rows = 0;
    t->cursor = 0;
}

/* The next value of the current row, which must be of type `type` (an
 * integer may go into a number column). */
static struct result_value *next(struct result_table *t, enum result_type type)
{
    assert(t->n_rows > 0 && t->cursor < t->n_cols);
    struct result_value *v = &t->v[(t->n_rows - 1) * t->n_cols + t->cursor];
    assert(type == v->type ||
           (type == RESULT_INTEGER && v->type == RESULT_NUMBER));
    (void)type;
    t->cursor++;
    return v;
}

void result_add_null(struct result_table *t)
{
    assert(t->n_rows > 0 && t->cursor < t->n_cols);
    t->cursor++;
}

void result_add_text(struct result_table *t, const char *s)
{
    result_add_textn(t, s, s ? strlen(s) : 0);
}

void result_add_textn(struct result_table *t, const char *s, size_t n)
{
    struct result_value *v = next(t, RESULT_TEXT);
    if (!s)
        return;
    v->null = 0;
    v->u.s = xstrndup(s, n);
}

void result_add_int(struct result_table *t, int64_t i)
{
    struct result_value *v = next(t, RESULT_INTEGER);
    v->null = 0;
    if (v->type == RESULT_NUMBER)
        v->u.d = (double)i;
    else
        v->u.i = i;
}

void result_add_num(struct result_table *t, double d)
{
    struct result_value *v = next(t, RESULT_NUMBER);
    v->null = !isfinite(d);
    v->u.d = d;
}

void result_add_bool(struct result_table *t, int b)
{
    struct result_value *v = next(t, RESULT_BOOLEAN);
    v->null = 0;
    v->u.b = b != 0;
}

void result_add_est(struct result_table *t, const struct result_estimate *e)
{
    struct result_value *v = next(t, RESULT_ESTIMATE);
    v->null = 0;
    v->u.e = *e;
}

int result_add_json(struct result_table *t, const char *json, size_t n)
{
    struct result_value *v = next(t, RESULT_JSON);
    json_error_t je;
    if (!json)
        return 0;
    v->u.j = json_loadb(json, n, JSON_DECODE_ANY, &je);
    v->null = v->u.j == NULL;
    return v->null ? ERR_INVALID : 0;
}

void result_add_decimals(struct result_table *t, int decimals)
{
    assert(t->n_rows > 0 && t->cursor > 0);
    struct result_value *v = &t->v[(t->n_rows - 1) * t->n_cols + t->cursor - 1];
    v->decimals = decimals < 0 ? 0 : decimals > 17 ? 17 : decimals;
}

void result_add_low_n(struct result_table *t)
{
    assert(t->n_rows > 0 && t->cursor > 0);
    t->v[(t->n_rows - 1) * t->n_cols + t->cursor - 1].low_n = 1;
}

struct result_estimate result_estimate_of(const struct estimate *e, int min_n)
{
    struct result_estimate x = {e->value, e->lo, e->hi,
                                e->se,    e->n,  e->n < min_n};
    return x;
}

void result_add_estimate(struct result_table *t, const struct estimate *e,
                         int min_n)
{
    struct result_estimate x = result_estimate_of(e, min_n);
    result_add_est(t, &x);
}

void result_add_utc(struct result_table *t, int64_t utc)
{
    char buf[40];
    if (utc == 0) {
        result_add_null(t);
        return;
    }
    tstamp_format(buf, sizeof buf, utc, 0);
    result_add_text(t, buf);
}
