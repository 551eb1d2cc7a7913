/* The column store beyond the fixed response columns: customers, named
 * columns of any table, and the events table. */
#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "colstore/colstore_int.h"
#include "colstore/dict.h"
#include "core/err.h"
#include "core/tstamp.h"
#include "core/xalloc.h"

size_t colstore_table_rows(const struct colstore *cs, enum colstore_table t)
{
    switch (t) {
    case COLSTORE_RESPONSES:
        return cs->n;
    case COLSTORE_CUSTOMERS:
        return cs->n_cust;
    default:
        return cs->n_ev;
    }
}

/* The allocated rows of a table's fixed columns. */
static size_t table_cap(const struct colstore *cs, enum colstore_table t)
{
    switch (t) {
    case COLSTORE_RESPONSES:
        return cs->cap;
    case COLSTORE_CUSTOMERS:
        return cs->cap_cust;
    default:
        return cs->cap_ev;
    }
}

static void ncol_grow(struct ncol *c, size_t old_cap, size_t cap)
{
    if (c->kind == COLSTORE_CAT) {
        c->codes = xrealloc(c->codes, (cap ? cap : 1) * sizeof *c->codes);
        for (size_t i = old_cap; i < cap; i++)
            c->codes[i] = 0;
    } else {
        c->num = xrealloc(c->num, (cap ? cap : 1) * sizeof *c->num);
        for (size_t i = old_cap; i < cap; i++)
            c->num[i] = NAN;
    }
}

void colstore_cols_reserve(struct colstore *cs, enum colstore_table t,
                           size_t old_cap, size_t cap)
{
    struct ntable *nt = &cs->tables[t];
    for (size_t i = 0; i < nt->n_cols; i++)
        ncol_grow(&nt->cols[i], old_cap, cap);
}

/* Frees a table's named columns and leaves it empty. */
static void ntable_free(struct ntable *nt)
{
    for (size_t i = 0; i < nt->n_cols; i++) {
        free(nt->cols[i].name);
        free(nt->cols[i].codes);
        free(nt->cols[i].num);
        dict_free(nt->cols[i].dict);
    }
    free(nt->cols);
    for (size_t i = 0; i < nt->n_missing; i++)
        free(nt->missing[i]);
    free(nt->missing);
    memset(nt, 0, sizeof *nt);
}

void colstore_forget_columns(struct colstore *cs)
{
    ntable_free(&cs->tables[COLSTORE_RESPONSES]);
    ntable_free(&cs->tables[COLSTORE_CUSTOMERS]);
}

void colstore_cols_free(struct colstore *cs)
{
    for (int t = 0; t < COLSTORE_N_TABLES; t++)
        ntable_free(&cs->tables[t]);
    free(cs->cust_id);
    free(cs->cust_segment);
    free(cs->hist_since);
    free(cs->hist_segment);
    free(cs->hist_first);
    free(cs->ev_customer);
    free(cs->ev_activity);
    free(cs->ev_touchpoint);
    free(cs->ev_channel);
    free(cs->ev_ts);
    free(cs->ev_id);
    free(cs->ev_day);
    free(cs->ev_first);
    free(cs->ev_sorted_id);
    free(cs->ev_sorted_row);
    dict_free(cs->activities);
}

size_t colstore_cols_memory(const struct colstore *cs)
{
    size_t b = cs->cap_cust * (sizeof(int64_t) + sizeof(int32_t)) +
               cs->cap_ev * (4 * sizeof(uint32_t) + 2 * sizeof(int64_t) +
                             sizeof(uint32_t));
    b += cs->ev_first_n * sizeof *cs->ev_first;
    b += cs->cap_hist * (sizeof(int64_t) + sizeof(int32_t)) +
         cs->hist_first_n * sizeof(size_t);
    if (cs->activities)
        b += dict_memory(cs->activities);
    for (int t = 0; t < COLSTORE_N_TABLES; t++) {
        const struct ntable *nt = &cs->tables[t];
        size_t cap = table_cap(cs, (enum colstore_table)t);
        for (size_t i = 0; i < nt->n_cols; i++) {
            const struct ncol *c = &nt->cols[i];
            b += cap *
                 (c->kind == COLSTORE_CAT ? sizeof(uint32_t) : sizeof(double));
            if (c->dict)
                b += dict_memory(c->dict);
        }
    }
    return b;
}

/* ---- customers ---- */

int colstore_add_customer(struct colstore *cs, int64_t store_id,
                          const char *segment, struct err *err)
{
    assert(!cs->map); /* colstore_own first */
    int seg = -1;
    if (cs->n_cust && store_id <= cs->cust_id[cs->n_cust - 1])
        return err_set(
            err, ERR_INVALID, "customer ids must increase (%lld after %lld)",
            (long long)store_id, (long long)cs->cust_id[cs->n_cust - 1]);
    if (cs->n_cust >= INT32_MAX) /* the index is returned as an int */
        return err_set(err, ERR_INVALID, "too many customers");
    if (segment && *segment &&
        (seg = colstore_intern(cs, DIM_SEGMENT, segment, err)) < 0)
        return seg;
    if (cs->n_cust == cs->cap_cust) {
        size_t old = cs->cap_cust;
        size_t cap = old < 1024 ? 1024 : old * 2;
        cs->cust_id = xrealloc(cs->cust_id, cap * sizeof *cs->cust_id);
        cs->cust_segment =
            xrealloc(cs->cust_segment, cap * sizeof *cs->cust_segment);
        colstore_cols_reserve(cs, COLSTORE_CUSTOMERS, old, cap);
        cs->cap_cust = cap;
    }
    size_t i = cs->n_cust++;
    cs->cust_id[i] = store_id;
    cs->cust_segment[i] = seg;
    return (int)i;
}

size_t colstore_customers(const struct colstore *cs)
{
    return cs->n_cust;
}

int64_t colstore_customer_id(const struct colstore *cs, size_t i)
{
    return cs->cust_id[i];
}

int64_t colstore_customer_index(const struct colstore *cs, int64_t store_id)
{
    return colstore_find_id(cs->cust_id, cs->n_cust, store_id);
}

int colstore_customer_segment(const struct colstore *cs, size_t customer)
{
    assert(customer < cs->n_cust);
    return cs->cust_segment[customer];
}

int colstore_add_segment_change(struct colstore *cs, size_t customer,
                                int64_t since, const char *segment,
                                struct err *err)
{
    assert(!cs->map);
    int seg = -1;
    if (customer >= cs->n_cust)
        return err_set(err, ERR_INVALID, "no customer index %zu", customer);
    if (cs->hist_first_n > customer + 1 ||
        (cs->hist_first_n == customer + 1 && cs->n_hist &&
         since < cs->hist_since[cs->n_hist - 1]))
        return err_set(err, ERR_INVALID,
                       "segment changes must come in customer and time "
                       "order");
    if (segment && *segment &&
        (seg = colstore_intern(cs, DIM_SEGMENT, segment, err)) < 0)
        return seg;
    if (cs->n_hist == cs->cap_hist) {
        size_t cap = cs->cap_hist < 1024 ? 1024 : cs->cap_hist * 2;
        cs->hist_since = xrealloc(cs->hist_since, cap * sizeof(int64_t));
        cs->hist_segment = xrealloc(cs->hist_segment, cap * sizeof(int32_t));
        cs->cap_hist = cap;
    }
    if (cs->hist_first_n <= customer) {
        cs->hist_first = xgrow(cs->hist_first, &cs->hist_first_cap,
                               customer + 1, sizeof *cs->hist_first);
        while (cs->hist_first_n <= customer)
            cs->hist_first[cs->hist_first_n++] = cs->n_hist;
    }
    cs->hist_since[cs->n_hist] = since;
    cs->hist_segment[cs->n_hist] = seg;
    cs->n_hist++;
    return 0;
}

int colstore_segment_at(const struct colstore *cs, size_t customer, int64_t ts)
{
    assert(customer < cs->n_cust);
    size_t lo =
        customer < cs->hist_first_n ? cs->hist_first[customer] : cs->n_hist;
    size_t hi = customer + 1 < cs->hist_first_n ? cs->hist_first[customer + 1]
                                                : cs->n_hist;
    if (customer >= cs->hist_first_n || lo == hi)
        return cs->cust_segment[customer];
    size_t at = lo; /* the first change applies before it, too */
    for (size_t i = lo; i < hi && cs->hist_since[i] <= ts; i++)
        at = i;
    return cs->hist_segment[at];
}

/* ---- named columns ---- */

int colstore_col_add(struct colstore *cs, enum colstore_table t,
                     const char *name, enum colstore_colkind kind,
                     double scale_max, struct err *err)
{
    struct ntable *nt = &cs->tables[t];
    if (colstore_col_find(cs, t, name) >= 0)
        return err_set(err, ERR_INVALID, "column \"%s\" exists", name);
    nt->cols = xgrow(nt->cols, &nt->cap_cols, nt->n_cols + 1, sizeof *nt->cols);
    struct ncol *c = &nt->cols[nt->n_cols];
    memset(c, 0, sizeof *c);
    c->name = xstrdup(name);
    c->kind = kind;
    c->scale_max = scale_max;
    if (kind == COLSTORE_CAT) {
        c->dict = dict_new(COLSTORE_MAX_COL_CODES);
        dict_intern(c->dict, COLSTORE_NONE, strlen(COLSTORE_NONE));
    }
    ncol_grow(c, 0, table_cap(cs, t));
    return (int)nt->n_cols++;
}

int colstore_col_find(const struct colstore *cs, enum colstore_table t,
                      const char *name)
{
    const struct ntable *nt = &cs->tables[t];
    for (size_t i = 0; i < nt->n_cols; i++)
        if (!strcmp(nt->cols[i].name, name))
            return (int)i;
    return -1;
}

static struct ncol *col_at(struct colstore *cs, enum colstore_table t, int col,
                           size_t row, enum colstore_colkind kind,
                           struct err *err)
{
    struct ntable *nt = &cs->tables[t];
    if (col < 0 || (size_t)col >= nt->n_cols) {
        err_set(err, ERR_INVALID, "no column %d", col);
        return NULL;
    }
    if (row >= colstore_table_rows(cs, t)) {
        err_set(err, ERR_INVALID, "no row %zu", row);
        return NULL;
    }
    if (nt->cols[col].kind != kind) {
        err_set(err, ERR_INVALID, "column %s is not %s", nt->cols[col].name,
                kind == COLSTORE_CAT ? "categorical" : "numeric");
        return NULL;
    }
    return &nt->cols[col];
}

int colstore_col_set_label(struct colstore *cs, enum colstore_table t, int col,
                           size_t row, const char *label, size_t n,
                           struct err *err)
{
    struct ncol *c = col_at(cs, t, col, row, COLSTORE_CAT, err);
    if (!c)
        return err->code;
    int code = dict_intern(c->dict, label, n);
    if (code < 0)
        return err_set(err, ERR_INVALID, "column %s: more than %u values",
                       c->name, COLSTORE_MAX_COL_CODES);
    c->codes[row] = (uint32_t)code;
    return 0;
}

int colstore_col_set_num(struct colstore *cs, enum colstore_table t, int col,
                         size_t row, double v, struct err *err)
{
    struct ncol *c = col_at(cs, t, col, row, COLSTORE_NUM, err);
    if (!c)
        return err->code;
    c->num[row] = v;
    return 0;
}

void colstore_col_mark_missing(struct colstore *cs, enum colstore_table t,
                               const char *name)
{
    struct ntable *nt = &cs->tables[t];
    if (colstore_col_is_missing(cs, t, name))
        return;
    nt->missing =
        xrealloc(nt->missing, (nt->n_missing + 1) * sizeof *nt->missing);
    nt->missing[nt->n_missing++] = xstrdup(name);
}

int colstore_col_is_missing(const struct colstore *cs, enum colstore_table t,
                            const char *name)
{
    const struct ntable *nt = &cs->tables[t];
    for (size_t i = 0; i < nt->n_missing; i++)
        if (!strcmp(nt->missing[i], name))
            return 1;
    return 0;
}

void colstore_col_view(const struct colstore *cs, enum colstore_table t,
                       int col, struct colstore_colview *out)
{
    const struct ntable *nt = &cs->tables[t];
    assert(col >= 0 && (size_t)col < nt->n_cols);
    const struct ncol *c = &nt->cols[col];
    memset(out, 0, sizeof *out);
    out->name = c->name;
    out->kind = c->kind;
    out->rows = colstore_table_rows(cs, t);
    out->scale_max = c->scale_max;
    if (c->kind == COLSTORE_CAT) {
        out->codes = c->codes;
        out->card = dict_size(c->dict);
    } else {
        out->num = c->num;
    }
}

const char *colstore_col_label(const struct colstore *cs, enum colstore_table t,
                               int col, uint32_t code)
{
    const struct ntable *nt = &cs->tables[t];
    assert(col >= 0 && (size_t)col < nt->n_cols && nt->cols[col].dict);
    return dict_label(nt->cols[col].dict, (int)code);
}

/* ---- events ---- */

int colstore_add_event(struct colstore *cs, const struct colstore_event *e,
                       struct err *err)
{
    uint32_t off;
    int rc;
    if (e->customer < 0 || (uint64_t)e->customer >= cs->n_cust)
        return err_set(err, ERR_INVALID, "event: no customer index %lld",
                       (long long)e->customer);
    if (e->touchpoint >= (int)colstore_card(cs, DIM_TOUCHPOINT) ||
        e->channel >= (int)colstore_card(cs, DIM_CHANNEL))
        return err_set(err, ERR_INVALID,
                       "event: unknown touchpoint or "
                       "channel code");
    if (cs->n_ev) {
        size_t l = cs->n_ev - 1;
        if ((uint32_t)e->customer < cs->ev_customer[l] ||
            ((uint32_t)e->customer == cs->ev_customer[l] &&
             e->ts < cs->ev_ts[l]))
            return err_set(err, ERR_INVALID,
                           "events must come in customer and time order");
    }
    if (!cs->activities)
        cs->activities = dict_new(COLSTORE_MAX_COL_CODES);
    int act = dict_intern(cs->activities, e->activity ? e->activity : "",
                          e->activity ? strlen(e->activity) : 0);
    if (act < 0)
        return err_set(err, ERR_INVALID, "more than %u activities",
                       COLSTORE_MAX_COL_CODES);
    if ((rc = colstore_day_offset(tstamp_local_day(e->ts, e->tz_min), &off,
                                  err)) < 0)
        return rc;
    if (cs->n_ev == cs->cap_ev) {
        size_t old = cs->cap_ev, cap = old < 1024 ? 1024 : old * 2;
        cs->ev_customer = xrealloc(cs->ev_customer, cap * sizeof(uint32_t));
        cs->ev_activity = xrealloc(cs->ev_activity, cap * sizeof(uint32_t));
        cs->ev_touchpoint = xrealloc(cs->ev_touchpoint, cap * sizeof(uint32_t));
        cs->ev_channel = xrealloc(cs->ev_channel, cap * sizeof(uint32_t));
        cs->ev_ts = xrealloc(cs->ev_ts, cap * sizeof(int64_t));
        cs->ev_id = xrealloc(cs->ev_id, cap * sizeof(int64_t));
        cs->ev_day = xrealloc(cs->ev_day, cap * sizeof(uint32_t));
        colstore_cols_reserve(cs, COLSTORE_EVENTS, old, cap);
        cs->cap_ev = cap;
    }
    size_t i = cs->n_ev++;
    /* Customers up to this one start their events at or before row i. */
    if (cs->ev_first_n <= (size_t)e->customer) {
        cs->ev_first = xgrow(cs->ev_first, &cs->ev_first_cap,
                             (size_t)e->customer + 1, sizeof *cs->ev_first);
        while (cs->ev_first_n <= (size_t)e->customer)
            cs->ev_first[cs->ev_first_n++] = i;
    }
    cs->ev_customer[i] = (uint32_t)e->customer;
    cs->ev_activity[i] = (uint32_t)act;
    cs->ev_touchpoint[i] = e->touchpoint < 0
                               ? (uint32_t)colstore_card(cs, DIM_TOUCHPOINT)
                               : (uint32_t)e->touchpoint;
    cs->ev_channel[i] = e->channel < 0
                            ? (uint32_t)colstore_card(cs, DIM_CHANNEL)
                            : (uint32_t)e->channel;
    cs->ev_ts[i] = e->ts;
    cs->ev_id[i] = e->id;
    cs->ev_day[i] = off;
    if (i == 0 || off < cs->ev_day_lo)
        cs->ev_day_lo = off;
    if (i == 0 || off > cs->ev_day_hi)
        cs->ev_day_hi = off;
    cs->have_events = 1;
    return 0;
}

int colstore_has_events(const struct colstore *cs)
{
    return cs->have_events;
}

void colstore_mark_events_loaded(struct colstore *cs)
{
    cs->have_events = 1;
}

void colstore_events_view(const struct colstore *cs,
                          struct colstore_events *out)
{
    out->n = cs->n_ev;
    out->id = cs->ev_id;
    out->customer = cs->ev_customer;
    out->ts = cs->ev_ts;
    out->day = cs->ev_day;
    out->activity = cs->ev_activity;
    out->touchpoint = cs->ev_touchpoint;
    out->channel = cs->ev_channel;
    out->first = cs->ev_first;
    out->n_first = cs->ev_first_n;
    out->n_activities = cs->activities ? dict_size(cs->activities) : 0;
    out->day_lo = cs->ev_day_lo;
    out->day_hi = cs->ev_day_hi;
}

const char *colstore_activity_label(const struct colstore *cs, uint32_t code)
{
    assert(cs->activities);
    return dict_label(cs->activities, (int)code);
}

int64_t colstore_activity_code(const struct colstore *cs, const char *label,
                               size_t n)
{
    return cs->activities ? dict_find(cs->activities, label, n) : -1;
}

struct id_row {
    int64_t id;
    uint32_t row;
};

static int cmp_id_row(const void *a, const void *b)
{
    const struct id_row *x = a, *y = b;
    return x->id < y->id ? -1 : x->id > y->id;
}

void colstore_event_index(struct colstore *cs)
{
    struct id_row *v = xmalloc((cs->n_ev ? cs->n_ev : 1) * sizeof *v);
    for (size_t i = 0; i < cs->n_ev; i++) {
        v[i].id = cs->ev_id[i];
        v[i].row = (uint32_t)i;
    }
    qsort(v, cs->n_ev, sizeof *v, cmp_id_row);
    free(cs->ev_sorted_id);
    free(cs->ev_sorted_row);
    cs->ev_sorted_id = xmalloc((cs->n_ev ? cs->n_ev : 1) * sizeof(int64_t));
    cs->ev_sorted_row = xmalloc((cs->n_ev ? cs->n_ev : 1) * sizeof(uint32_t));
    for (size_t i = 0; i < cs->n_ev; i++) {
        cs->ev_sorted_id[i] = v[i].id;
        cs->ev_sorted_row[i] = v[i].row;
    }
    cs->ev_sorted_n = cs->n_ev;
    free(v);
}

int64_t colstore_event_row_of_id(const struct colstore *cs, int64_t id)
{
    int64_t i = colstore_find_id(cs->ev_sorted_id, cs->ev_sorted_n, id);
    return i < 0 ? -1 : (int64_t)cs->ev_sorted_row[i];
}
