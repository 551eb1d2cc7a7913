/* Loading what queries ask for beyond the fixed columns: named columns
 * (attributes, answers, the comment's language) and the events table,
 * each read once through the store contract and kept. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "colstore/colstore.h"
#include "colstore/colstore_int.h"
#include "colstore/dict.h"
#include "colstore/idmap.h"
#include "colstore/snapshot.h"
#include "core/err.h"
#include "core/strbuf.h"
#include "core/xalloc.h"
#include "store/store.h"

/* Values read before the column's kind is known: all numbers make a
 * numeric column, anything else a categorical one. */
struct pending {
    size_t *row;
    double *num;
    size_t *text; /* offset in pool, or SIZE_MAX */
    size_t n, cap;
    struct strbuf pool;
    int all_num;
    double scale_max;
};

static void pending_add(struct pending *p, size_t row, double num,
                        const char *text, int is_num)
{
    if (p->n == p->cap) {
        p->cap = p->cap < 1024 ? 1024 : p->cap * 2;
        p->row = xrealloc(p->row, p->cap * sizeof *p->row);
        p->num = xrealloc(p->num, p->cap * sizeof *p->num);
        p->text = xrealloc(p->text, p->cap * sizeof *p->text);
    }
    p->row[p->n] = row;
    p->num[p->n] = is_num ? num : NAN;
    p->text[p->n] = p->pool.n;
    strbuf_add(&p->pool, text, strlen(text) + 1);
    p->all_num &= is_num;
    p->n++;
}

static void pending_dispose(struct pending *p)
{
    free(p->row);
    free(p->num);
    free(p->text);
    strbuf_dispose(&p->pool);
}

/* Makes the column from what was read. */
static int pending_store(struct pending *p, struct colstore *cs,
                         enum colstore_table t, const char *name, int force_num,
                         int *found, struct err *err)
{
    int rc;
    *found = p->n > 0;
    if (!p->n) {
        colstore_col_mark_missing(cs, t, name);
        return 0;
    }
    int num = force_num || p->all_num;
    int col = colstore_col_add(cs, t, name, num ? COLSTORE_NUM : COLSTORE_CAT,
                               p->scale_max, err);
    if (col < 0)
        return col;
    for (size_t i = 0; i < p->n; i++) {
        if (num)
            rc = colstore_col_set_num(cs, t, col, p->row[i], p->num[i], err);
        else
            rc = colstore_col_set_label(cs, t, col, p->row[i],
                                        p->pool.p + p->text[i],
                                        strlen(p->pool.p + p->text[i]), err);
        if (rc < 0)
            return rc;
    }
    return 0;
}

/* ---- attributes ---- */

struct attr_ctx {
    struct colstore *cs;
    enum colstore_table t;
    struct pending *p;
    struct err *err;
};

static int on_attr(void *ctx, int64_t id, const char *text, double num,
                   int is_num)
{
    struct attr_ctx *a = ctx;
    int64_t row;
    if (a->t == COLSTORE_RESPONSES) {
        row = colstore_row_of_id(a->cs, id);
    } else if (a->t == COLSTORE_CUSTOMERS) {
        row = colstore_customer_index(a->cs, id);
    } else {
        row = colstore_event_row_of_id(a->cs, id);
    }
    if (row < 0) /* stored after the column store was loaded */
        return 0;
    pending_add(a->p, (size_t)row, num, text, is_num);
    return 0;
}

static int load_attr(struct colstore *cs, struct store *s,
                     enum colstore_table t, const char *col_name,
                     const char *attr, int *found, struct err *err)
{
    struct pending p = {0};
    struct attr_ctx a = {cs, t, &p, err};
    int rc;
    p.all_num = 1;
    p.scale_max = NAN;
    strbuf_init(&p.pool, 0);
    enum store_entity e = t == COLSTORE_RESPONSES   ? STORE_RESPONSES
                          : t == COLSTORE_CUSTOMERS ? STORE_CUSTOMERS
                                                    : STORE_EVENTS;
    if ((rc = store_scan_attr(s, e, attr, on_attr, &a, err)) == 0)
        rc = pending_store(&p, cs, t, col_name, 0, found, err);
    pending_dispose(&p);
    return rc;
}

/* ---- answers ---- */

struct answer_ctx {
    struct colstore *cs;
    const char *key;
    enum answer_kind kind;
    int part; /* gap: 0 expectation, 1 perception, 2 their difference */
    struct pending *p;
};

static int on_answer(void *ctx, int64_t response_id, const struct answer *ans)
{
    struct answer_ctx *c = ctx;
    if (ans->kind != c->kind || strcmp(ans->question, c->key))
        return 0;
    int64_t row = colstore_row_of_id(c->cs, response_id);
    if (row < 0)
        return 0;
    double v = NAN;
    switch (ans->kind) {
    case ANSWER_CHOICE:
        if (ans->text && *ans->text)
            pending_add(c->p, (size_t)row, NAN, ans->text, 0);
        return 0;
    case ANSWER_RATING:
        v = ans->v1;
        if (isnan(c->p->scale_max) || ans->v2 > c->p->scale_max)
            c->p->scale_max = ans->v2;
        break;
    case ANSWER_GAP:
        v = c->part == 0 ? ans->v1 : c->part == 1 ? ans->v2 : ans->v2 - ans->v1;
        break;
    case ANSWER_TRIAD:
        v = c->part == 0 ? ans->v1 : c->part == 1 ? ans->v2 : ans->v3;
        break;
    default: /* dyad */
        v = ans->v1;
        break;
    }
    pending_add(c->p, (size_t)row, v, "", 1);
    return 0;
}

/* The answer a column of that name reads ("rating:speed"): key, kind and
 * part into c. -1 for a name that is no answer's. */
static int answer_column(const char *name, struct answer_ctx *c)
{
    static const struct {
        const char *prefix;
        enum answer_kind kind;
        int part;
    } kinds[] = {{"choice:", ANSWER_CHOICE, 0}, {"rating:", ANSWER_RATING, 0},
                 {"expect:", ANSWER_GAP, 0},    {"perceive:", ANSWER_GAP, 1},
                 {"gap:", ANSWER_GAP, 2},       {"dyad:", ANSWER_DYAD, 0},
                 {"triad1:", ANSWER_TRIAD, 0},  {"triad2:", ANSWER_TRIAD, 1},
                 {"triad3:", ANSWER_TRIAD, 2}};
    for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++)
        if (!strncmp(name, kinds[i].prefix, strlen(kinds[i].prefix))) {
            c->key = name + strlen(kinds[i].prefix);
            c->kind = kinds[i].kind;
            c->part = kinds[i].part;
            return 0;
        }
    return -1;
}

static int load_answer(struct colstore *cs, struct store *s, const char *name,
                       int *found, struct err *err)
{
    struct pending p = {0};
    struct answer_ctx c = {cs, NULL, ANSWER_CHOICE, 0, &p};
    int rc;
    if (answer_column(name, &c) < 0)
        return err_set(err, ERR_INVALID, "unknown column \"%s\"", name);
    p.all_num = 1;
    p.scale_max = NAN;
    strbuf_init(&p.pool, 0);
    rc = store_scan_answers(s, 1u << c.kind, on_answer, &c, err);
    if (rc == 0)
        rc = pending_store(&p, cs, COLSTORE_RESPONSES, name,
                           c.kind != ANSWER_CHOICE, found, err);
    pending_dispose(&p);
    return rc;
}

/* ---- the comment's language ---- */

struct lang_ctx {
    struct colstore *cs;
    struct pending *p;
    int64_t last; /* the response last given a language */
};

static int on_analysis(void *ctx, int64_t response_id, const char *question,
                       const struct comment_analysis *a)
{
    struct lang_ctx *c = ctx;
    /* The comment's language; a response's other texts only when it has
     * no comment (analyses come in (response, question) order). */
    int64_t row = colstore_row_of_id(c->cs, response_id);
    if (row < 0 || !a->language)
        return 0;
    if (c->last == response_id) {
        if (!strcmp(question, "comment")) {
            c->p->text[c->p->n - 1] = c->p->pool.n;
            strbuf_add(&c->p->pool, a->language, strlen(a->language) + 1);
        }
        return 0;
    }
    c->last = response_id;
    pending_add(c->p, (size_t)row, NAN, a->language, 0);
    return 0;
}

static int load_comment_language(struct colstore *cs, struct store *s,
                                 int *found, struct err *err)
{
    struct pending p = {0};
    struct lang_ctx c = {cs, &p, 0};
    int rc;
    p.all_num = 1;
    p.scale_max = NAN;
    strbuf_init(&p.pool, 0);
    rc = store_scan_analyses(s, on_analysis, &c, err);
    if (rc == 0)
        rc = pending_store(&p, cs, COLSTORE_RESPONSES, "comment_language", 0,
                           found, err);
    pending_dispose(&p);
    return rc;
}

int colstore_load_column(struct colstore *cs, struct store *s,
                         enum colstore_table t, const char *name, int *found,
                         struct err *err)
{
    *found = 0;
    if (colstore_col_find(cs, t, name) >= 0) {
        *found = 1;
        return 0;
    }
    if (colstore_col_is_missing(cs, t, name))
        return 0;
    /* rows are found by id, customers by theirs: all of it is read */
    int vr = colstore_verify(cs, COLSTORE_NEED_ALL, err);
    if (vr < 0)
        return vr;
    if (t == COLSTORE_EVENTS && !colstore_has_events(cs))
        return err_set(err, ERR_INTERNAL, "load the events first");
    if (t != COLSTORE_RESPONSES)
        return load_attr(cs, s, t, name, name, found, err);
    if (!strncmp(name, "attr:", 5))
        return load_attr(cs, s, t, name, name + 5, found, err);
    if (!strcmp(name, "comment_language"))
        return load_comment_language(cs, s, found, err);
    return load_answer(cs, s, name, found, err);
}

/* ---- extending loaded columns by appended rows ---- */

/* Reads the values column c of table t has in rows with ids above
 * after (customers: customer ids) into p. */
static int read_new(struct colstore *cs, struct store *s, enum colstore_table t,
                    const struct ncol *c, int64_t after, struct pending *p,
                    struct err *err)
{
    if (t == COLSTORE_CUSTOMERS || !strncmp(c->name, "attr:", 5)) {
        struct attr_ctx a = {cs, t, p, err};
        return store_scan_attr_after(
            s, t == COLSTORE_CUSTOMERS ? STORE_CUSTOMERS : STORE_RESPONSES,
            t == COLSTORE_CUSTOMERS ? c->name : c->name + 5, after, on_attr, &a,
            err);
    }
    if (!strcmp(c->name, "comment_language")) {
        struct lang_ctx l = {cs, p, 0};
        return store_scan_analyses_after(s, after, on_analysis, &l, err);
    }
    struct answer_ctx a = {cs, NULL, ANSWER_CHOICE, 0, p};
    if (answer_column(c->name, &a) < 0)
        return err_set(err, ERR_INTERNAL, "column \"%s\"", c->name);
    return store_scan_answers_after(s, 1u << a.kind, after, on_answer, &a, err);
}

/* Removes column i of nt. */
static void drop_column(struct ntable *nt, size_t i)
{
    struct ncol *c = &nt->cols[i];
    free(c->name);
    free(c->codes);
    free(c->num);
    dict_free(c->dict);
    memmove(c, c + 1, (nt->n_cols - i - 1) * sizeof *c);
    nt->n_cols--;
}

int colstore_extend_columns(struct colstore *cs, struct store *s,
                            int64_t after_response, int64_t after_customer,
                            struct err *err)
{
    for (int t = COLSTORE_RESPONSES; t <= COLSTORE_CUSTOMERS; t++) {
        struct ntable *nt = &cs->tables[t];
        int64_t after =
            t == COLSTORE_RESPONSES ? after_response : after_customer;
        /* a name no row had may be in the new ones: look again */
        for (size_t i = 0; i < nt->n_missing; i++)
            free(nt->missing[i]);
        nt->n_missing = 0;
        for (size_t i = 0; i < nt->n_cols;) {
            struct ncol *c = &nt->cols[i];
            struct pending p = {0};
            int rc;
            p.all_num = 1;
            p.scale_max = NAN;
            strbuf_init(&p.pool, 0);
            if ((rc = read_new(cs, s, (enum colstore_table)t, c, after, &p,
                               err)) < 0) {
                pending_dispose(&p);
                return rc;
            }
            int attr = t == COLSTORE_CUSTOMERS || !strncmp(c->name, "attr:", 5);
            if (attr && c->kind == COLSTORE_NUM && !p.all_num) {
                /* an attribute that was all numbers has text now: it is
                 * categorical, which the next query loads afresh */
                pending_dispose(&p);
                drop_column(nt, i);
                continue;
            }
            if (!isnan(p.scale_max) &&
                (isnan(c->scale_max) || p.scale_max > c->scale_max))
                c->scale_max = p.scale_max;
            for (size_t k = 0; k < p.n && rc == 0; k++) {
                if (c->kind == COLSTORE_NUM)
                    rc = colstore_col_set_num(cs, (enum colstore_table)t,
                                              (int)i, p.row[k], p.num[k], err);
                else
                    rc = colstore_col_set_label(
                        cs, (enum colstore_table)t, (int)i, p.row[k],
                        p.pool.p + p.text[k], strlen(p.pool.p + p.text[k]),
                        err);
            }
            pending_dispose(&p);
            if (rc < 0)
                return rc;
            i++;
        }
    }
    return 0;
}

/* ---- events ---- */

/* An event read in id order, before sorting by customer and time. */
struct ev_rec {
    int64_t id, ts;
    uint32_t customer;
    int32_t tz_min, touchpoint, channel;
    uint32_t activity; /* offset of its name in the pool */
};

struct ev_ctx {
    struct colstore *cs;
    struct idmap *touchpoints, *channels;
    struct ev_rec *v;
    size_t n, cap;
    struct strbuf pool;
    struct err *err;
};

static int on_tp(void *ctx, const struct journey *j, const struct stage *st,
                 const struct touchpoint *t)
{
    struct ev_ctx *c = ctx;
    (void)j;
    (void)st;
    int code = colstore_find(c->cs, DIM_TOUCHPOINT, t->key, strlen(t->key));
    if (code >= 0)
        idmap_put(c->touchpoints, t->id, (uint32_t)code);
    return 0;
}

static int on_ch(void *ctx, const struct channel *ch)
{
    struct ev_ctx *c = ctx;
    int code = colstore_find(c->cs, DIM_CHANNEL, ch->key, strlen(ch->key));
    if (code >= 0)
        idmap_put(c->channels, ch->id, (uint32_t)code);
    return 0;
}

static int on_event(void *ctx, const struct event_fact *e)
{
    struct ev_ctx *c = ctx;
    uint32_t v;
    int64_t cust = colstore_customer_index(c->cs, e->customer_id);
    if (cust < 0)
        return 0; /* a customer stored after the column store was loaded */
    c->v = xgrow(c->v, &c->cap, c->n + 1, sizeof *c->v);
    struct ev_rec *r = &c->v[c->n++];
    r->id = e->id;
    r->ts = e->ts;
    r->customer = (uint32_t)cust;
    r->tz_min = e->tz_min;
    r->touchpoint =
        e->touchpoint_id && idmap_get(c->touchpoints, e->touchpoint_id, &v)
            ? (int32_t)v
            : -1;
    r->channel = e->channel_id && idmap_get(c->channels, e->channel_id, &v)
                     ? (int32_t)v
                     : -1;
    /* Activities repeat: keep the previous one's name when it is the same. */
    const char *a = e->activity ? e->activity : "";
    if (c->n > 1 && !strcmp(c->pool.p + c->v[c->n - 2].activity, a)) {
        r->activity = c->v[c->n - 2].activity;
    } else {
        r->activity = (uint32_t)c->pool.n;
        strbuf_add(&c->pool, a, strlen(a) + 1);
    }
    return 0;
}

/* Orders events by (customer, ts, id): a counting sort by customer, then
 * each customer's few events by time (insertion sort: they are mostly in
 * order already, as ids follow import order). Returns the order. */
static uint32_t *sort_events(const struct ev_rec *v, size_t n, size_t customers)
{
    size_t *start = xcalloc(customers + 1, sizeof *start);
    uint32_t *order = xmalloc((n ? n : 1) * sizeof *order);
    for (size_t i = 0; i < n; i++)
        start[v[i].customer + 1]++;
    for (size_t c = 0; c < customers; c++)
        start[c + 1] += start[c];
    for (size_t i = 0; i < n; i++)
        order[start[v[i].customer]++] = (uint32_t)i;
    /* start[c] is now the end of customer c's events */
    for (size_t c = 0, lo = 0; c < customers; lo = start[c++]) {
        for (size_t i = lo + 1; i < start[c]; i++) {
            uint32_t x = order[i];
            size_t j = i;
            while (j > lo && (v[order[j - 1]].ts > v[x].ts ||
                              (v[order[j - 1]].ts == v[x].ts &&
                               v[order[j - 1]].id > v[x].id))) {
                order[j] = order[j - 1];
                j--;
            }
            order[j] = x;
        }
    }
    free(start);
    return order;
}

/* The id -> row index of the events just added: they came in id order
 * (store_scan_event_facts), so it is the inverse of the sort, no second
 * sort of ten million ids needed; anything else takes the general way. */
static void event_index(struct colstore *cs, const struct ev_rec *v,
                        const uint32_t *order, size_t n)
{
    int ascending = n == cs->n_ev;
    for (size_t k = 1; k < n && ascending; k++)
        ascending = v[k - 1].id < v[k].id;
    if (!ascending) {
        colstore_event_index(cs);
        return;
    }
    free(cs->ev_sorted_id);
    free(cs->ev_sorted_row);
    cs->ev_sorted_id = xmalloc((n ? n : 1) * sizeof *cs->ev_sorted_id);
    cs->ev_sorted_row = xmalloc((n ? n : 1) * sizeof *cs->ev_sorted_row);
    for (size_t k = 0; k < n; k++)
        cs->ev_sorted_id[k] = v[k].id;
    for (size_t row = 0; row < n; row++)
        cs->ev_sorted_row[order[row]] = (uint32_t)row;
    cs->ev_sorted_n = n;
}

int colstore_load_events(struct colstore *cs, struct store *s, struct err *err)
{
    struct ev_ctx c = {cs, idmap_new(), idmap_new(), NULL,
                       0,  0,           STRBUF_INIT, err};
    uint32_t *order = NULL;
    int rc = 0;
    if (colstore_has_events(cs))
        goto done;
    if ((rc = colstore_verify(cs, COLSTORE_NEED_ALL, err)) < 0 ||
        (rc = store_list_touchpoints(s, on_tp, &c, err)) < 0 ||
        (rc = store_list_channels(s, on_ch, &c, err)) < 0 ||
        (rc = store_scan_event_facts(s, on_event, &c, err)) < 0)
        goto done;
    order = sort_events(c.v, c.n, colstore_customers(cs));
    for (size_t i = 0; i < c.n; i++) {
        const struct ev_rec *r = &c.v[order[i]];
        struct colstore_event x = {r->id,
                                   r->customer,
                                   r->ts,
                                   r->tz_min,
                                   c.pool.p + r->activity,
                                   r->touchpoint,
                                   r->channel};
        if ((rc = colstore_add_event(cs, &x, err)) < 0)
            goto done;
    }
    colstore_mark_events_loaded(cs);
    event_index(cs, c.v, order, c.n);
done:
    free(order);
    free(c.v);
    strbuf_dispose(&c.pool);
    idmap_free(c.touchpoints);
    idmap_free(c.channels);
    return rc;
}
