/* Fields read from named columns: answers, a row's own attributes, and
 * customer attributes gathered onto responses or events through each
 * row's customer. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/xalloc.h"
#include "query/qfield_int.h"

struct order_item {
    const char *label;
    double num;
    uint32_t code;
};

static int by_num(const void *a, const void *b)
{
    const struct order_item *x = a, *y = b;
    if (x->num != y->num)
        return x->num < y->num ? -1 : 1;
    return strcmp(x->label, y->label);
}

static int by_label(const void *a, const void *b)
{
    const struct order_item *x = a, *y = b;
    return strcmp(x->label, y->label);
}

void qfield_order_labels(struct qfield *qf, uint32_t card,
                         const char *(*label)(const void *ctx, uint32_t code),
                         const void *ctx)
{
    uint32_t n = card ? card - 1 : 0; /* codes 1..card-1 */
    struct order_item *it = xcalloc(n ? n : 1, sizeof *it);
    int numeric = n > 0;
    for (uint32_t i = 0; i < n; i++) {
        char *end;
        it[i].code = i + 1;
        it[i].label = label(ctx, i + 1);
        it[i].num = strtod(it[i].label, &end);
        if (end == it[i].label || *end || !isfinite(it[i].num))
            numeric = 0;
    }
    qsort(it, n, sizeof *it, numeric ? by_num : by_label);
    uint32_t *vo = qfield_set_value_of(qf, card ? card : 1);
    qfield_set_values(qf, n + 1, 0, 0);
    for (uint32_t v = 0; v < n; v++) {
        vo[it[v].code] = v;
        qf->own->label[v] = it[v].label;
    }
    vo[0] = n;
    qf->own->label[n] = COLSTORE_NONE;
    qf->none = n;
    free(it);
}

struct col_ctx {
    const struct colstore *cs;
    enum colstore_table t;
    int col;
};

static const char *col_label(const void *ctx, uint32_t code)
{
    const struct col_ctx *c = ctx;
    return colstore_col_label(c->cs, c->t, c->col, code);
}

void qfield_order_column(struct qfield *qf, const struct colstore *cs,
                         enum colstore_table t, int col)
{
    struct colstore_colview v;
    struct col_ctx c = {cs, t, col};
    colstore_col_view(cs, t, col, &v);
    qfield_order_labels(qf, (uint32_t)v.card, col_label, &c);
}

/* The column, or ERR_NOTFOUND saying what is missing. */
static int find_col(const struct colstore *cs, enum colstore_table t,
                    const char *name, const char *shown, struct err *err)
{
    int col = colstore_col_find(cs, t, name);
    if (col >= 0)
        return col;
    if (colstore_col_is_missing(cs, t, name))
        return err_set(err, ERR_NOTFOUND, "no %s has %s",
                       t == COLSTORE_CUSTOMERS ? "customer"
                       : t == COLSTORE_EVENTS  ? "event"
                                               : "response",
                       shown);
    return err_set(err, ERR_NOTFOUND, "%s is not loaded", shown);
}

int qfield_named(struct qfield *qf, const struct colstore *cs,
                 enum colstore_table t, const char *name, struct err *err)
{
    struct colstore_colview v;
    int col = find_col(cs, t, name, qf->f.text, err);
    if (col < 0)
        return col;
    colstore_col_view(cs, t, col, &v);
    qf->scale_max = v.scale_max;
    if (v.kind == COLSTORE_NUM) {
        qf->num = v.num;
        return 0;
    }
    qf->codes = v.codes;
    qf->width = 4;
    qfield_order_column(qf, cs, t, col);
    return 0;
}

/* Each row's customer index. */
static const uint32_t *row_customers(const struct qfield *qf,
                                     const struct colstore *cs)
{
    if (qf->table == COLSTORE_EVENTS) {
        struct colstore_events ev;
        colstore_events_view(cs, &ev);
        return ev.customer;
    }
    struct colstore_columns col;
    colstore_columns(cs, &col);
    return col.customer;
}

/* Segment codes per row (-1 = none) into categorical values: the
 * segment dictionary's order, "(none)" for -1. */
static void segment_values(struct qfield *qf, const struct colstore *cs,
                           const int32_t *seg)
{
    uint32_t card = (uint32_t)colstore_card(cs, DIM_SEGMENT);
    int none = colstore_find(cs, DIM_SEGMENT, COLSTORE_NONE,
                             strlen(COLSTORE_NONE));
    int extra = none < 0;
    uint32_t *rank = xmalloc((card + 1) * sizeof *rank);
    colstore_order(cs, DIM_SEGMENT, rank);
    uint32_t nv = card + (extra ? 1 : 0);
    uint32_t *codes = qfield_set_codes(qf, 4);
    uint32_t *vo = qfield_set_value_of(qf, nv);
    qfield_set_values(qf, nv, 0, 0);
    for (uint32_t c = 0; c < card; c++) {
        vo[c] = rank[c];
        qf->own->label[rank[c]] = colstore_label(cs, DIM_SEGMENT, (int)c);
    }
    uint32_t none_code = extra ? card : (uint32_t)none;
    if (extra) {
        vo[card] = card;
        qf->own->label[card] = COLSTORE_NONE;
    }
    qf->none = vo[none_code];
    for (size_t i = 0; i < qf->rows; i++)
        codes[i] = seg[i] < 0 ? none_code : (uint32_t)seg[i];
    free(rank);
}

int qfield_segment_of_events(struct qfield *qf, const struct colstore *cs,
                             struct err *err)
{
    struct colstore_events ev;
    (void)err;
    colstore_events_view(cs, &ev);
    int32_t *seg = xmalloc((ev.n ? ev.n : 1) * sizeof *seg);
    for (size_t i = 0; i < ev.n; i++)
        seg[i] = colstore_segment_at(cs, ev.customer[i], ev.ts[i]);
    segment_values(qf, cs, seg);
    free(seg);
    return 0;
}

int qfield_customer(struct qfield *qf, const struct colstore *cs,
                    struct err *err)
{
    const uint32_t *cust = row_customers(qf, cs);
    size_t ncust = colstore_customers(cs);
    if (!strcmp(qf->f.name, "segment")) {
        int32_t *seg = xmalloc((qf->rows ? qf->rows : 1) * sizeof *seg);
        for (size_t i = 0; i < qf->rows; i++)
            seg[i] = cust[i] < ncust
                         ? colstore_customer_segment(cs, cust[i])
                         : -1;
        segment_values(qf, cs, seg);
        free(seg);
        return 0;
    }
    struct colstore_colview v;
    int col = find_col(cs, COLSTORE_CUSTOMERS, qf->f.name, qf->f.text, err);
    if (col < 0)
        return col;
    colstore_col_view(cs, COLSTORE_CUSTOMERS, col, &v);
    if (v.kind == COLSTORE_NUM) {
        double *num = qfield_set_num(qf);
        for (size_t i = 0; i < qf->rows; i++)
            num[i] = cust[i] < ncust ? v.num[cust[i]] : NAN;
        return 0;
    }
    uint32_t *codes = qfield_set_codes(qf, 4);
    for (size_t i = 0; i < qf->rows; i++)
        codes[i] = cust[i] < ncust ? v.codes[cust[i]] : 0;
    qfield_order_column(qf, cs, COLSTORE_CUSTOMERS, col);
    return 0;
}
