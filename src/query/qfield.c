/* Resolving a field against the column store: the fixed dimensions,
 * score categories, touchpoint facts, customer attributes (gathered onto
 * each row through its customer), named columns, and event features
 * (query/feature.c). Binning of numeric fields is in query/bins.c. */
#include "query/qfield.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "core/err.h"
#include "core/xalloc.h"
#include "query/qfield_int.h"
#include "stats/period.h"
#include "store/model.h"

/* ---- ownership ---- */

struct qfield *qfield_alloc(const struct field *f, enum colstore_table t,
                            size_t rows)
{
    struct qfield *qf = xcalloc(1, sizeof *qf);
    qf->own = xcalloc(1, sizeof *qf->own);
    qf->f = *f;
    qf->table = t;
    qf->rows = rows;
    qf->none = QFIELD_NONE;
    qf->scale_max = NAN;
    return qf;
}

void qfield_free(struct qfield *qf)
{
    if (!qf)
        return;
    struct qfield_own *o = qf->own;
    if (o) {
        free(o->codes);
        free(o->value_of);
        for (size_t i = 0; i < o->n_strs; i++)
            free(o->strs[i]);
        free(o->strs);
        free(o->label);
        free(o->display);
        free(o->key);
        free(o->num);
        free(o);
    }
    free(qf->edges);
    free(qf);
}

const char *qfield_own_str(struct qfield *qf, const char *s)
{
    struct qfield_own *o = qf->own;
    o->strs = xgrow(o->strs, &o->cap_strs, o->n_strs + 1, sizeof *o->strs);
    return o->strs[o->n_strs++] = xstrdup(s);
}

void qfield_set_values(struct qfield *qf, uint32_t n, int with_display,
                       int with_key)
{
    struct qfield_own *o = qf->own;
    free(o->label);
    free(o->display);
    free(o->key);
    o->label = xcalloc(n ? n : 1, sizeof *o->label);
    o->display = with_display ? xcalloc(n ? n : 1, sizeof *o->display) : NULL;
    o->key = with_key ? xcalloc(n ? n : 1, sizeof *o->key) : NULL;
    qf->n_values = n;
    qf->label = o->label;
    qf->display = o->display;
    qf->key = o->key;
    qf->cat = 1;
}

uint32_t *qfield_set_value_of(struct qfield *qf, uint32_t n_codes)
{
    struct qfield_own *o = qf->own;
    free(o->value_of);
    o->value_of = xcalloc(n_codes ? n_codes : 1, sizeof *o->value_of);
    qf->value_of = o->value_of;
    qf->n_codes = n_codes;
    return o->value_of;
}

void *qfield_set_codes(struct qfield *qf, int width)
{
    struct qfield_own *o = qf->own;
    free(o->codes);
    o->codes = xcalloc(qf->rows ? qf->rows : 1, (size_t)width);
    qf->codes = o->codes;
    qf->width = width;
    return o->codes;
}

double *qfield_set_num(struct qfield *qf)
{
    struct qfield_own *o = qf->own;
    free(o->num);
    o->num = xmalloc((qf->rows ? qf->rows : 1) * sizeof *o->num);
    qf->num = o->num;
    return o->num;
}

/* ---- the fixed dimensions ---- */

/* Values in a colstore dictionary's display order. extra_none: a code
 * after the dictionary's means "(none)" (events without a touchpoint). */
static void dict_values(struct qfield *qf, const struct colstore *cs,
                        enum colstore_dim dim, int names, int extra_none)
{
    uint32_t card = (uint32_t)colstore_card(cs, dim);
    uint32_t *rank = xmalloc((card + 1) * sizeof *rank);
    colstore_order(cs, dim, rank);
    uint32_t nv = card + (extra_none ? 1 : 0);
    uint32_t *vo = qfield_set_value_of(qf, nv);
    qfield_set_values(qf, nv, names, 0);
    for (uint32_t c = 0; c < card; c++) {
        vo[c] = rank[c];
        qf->own->label[rank[c]] = colstore_label(cs, dim, (int)c);
        if (names)
            qf->own->display[rank[c]] = colstore_name(cs, dim, (int)c);
        if (!strcmp(colstore_label(cs, dim, (int)c), COLSTORE_NONE))
            qf->none = rank[c];
    }
    if (extra_none) {
        vo[card] = card;
        qf->own->label[card] = COLSTORE_NONE;
        if (names)
            qf->own->display[card] = COLSTORE_NONE;
        qf->none = card;
    }
    free(rank);
}

/* A response column of dictionary codes, width bytes each, and dim's
 * names as its values. */
static void dict_column(struct qfield *qf, const struct colstore *cs,
                        const void *codes, int width, enum colstore_dim dim)
{
    qf->codes = codes;
    qf->width = width;
    dict_values(qf, cs, dim, 0, 0);
}

/* A field derived from the touchpoint column: value_of[touchpoint] comes
 * from fn; values are given by labels[0..nv). */
static void by_touchpoint(struct qfield *qf, const struct colstore *cs,
                          int extra_none, uint32_t nv,
                          const char *const *labels,
                          uint32_t (*fn)(const struct colstore *, int, void *),
                          void *ctx)
{
    uint32_t card = (uint32_t)colstore_card(cs, DIM_TOUCHPOINT);
    uint32_t *vo = qfield_set_value_of(qf, card + (extra_none ? 1 : 0));
    qfield_set_values(qf, nv + (extra_none ? 1 : 0), 0, 0);
    for (uint32_t v = 0; v < nv; v++)
        qf->own->label[v] = labels[v];
    for (uint32_t c = 0; c < card; c++)
        vo[c] = fn(cs, (int)c, ctx);
    if (extra_none) {
        vo[card] = nv;
        qf->own->label[nv] = COLSTORE_NONE;
        qf->none = nv;
    }
}

static uint32_t stage_rank(const struct colstore *cs, int tp, void *ctx)
{
    const uint32_t *rank = ctx;
    return rank[colstore_touchpoint_stage(cs, tp)];
}

static uint32_t journey_rank(const struct colstore *cs, int tp, void *ctx)
{
    const uint32_t *rank = ctx;
    return rank[colstore_stage_journey(cs, colstore_touchpoint_stage(cs, tp))];
}

static uint32_t tp_lifecycle(const struct colstore *cs, int tp, void *ctx)
{
    struct colstore_tpinfo ti;
    (void)ctx;
    colstore_tpinfo(cs, tp, &ti);
    return ti.lifecycle >= 0 && ti.lifecycle <= LIFECYCLE_LEAVE
               ? (uint32_t)ti.lifecycle
               : LIFECYCLE_USE;
}

static uint32_t tp_mot(const struct colstore *cs, int tp, void *ctx)
{
    struct colstore_tpinfo ti;
    (void)ctx;
    colstore_tpinfo(cs, tp, &ti);
    return ti.moment_of_truth ? 1 : 0;
}

static uint32_t tp_physical(const struct colstore *cs, int tp, void *ctx)
{
    struct colstore_tpinfo ti;
    (void)ctx;
    colstore_tpinfo(cs, tp, &ti);
    return ti.physical ? 1 : 0;
}

/* Owners: the distinct owner teams, sorted, then "(none)". */
struct owners {
    const char **names;
    uint32_t n;
};

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static uint32_t tp_owner(const struct colstore *cs, int tp, void *ctx)
{
    const struct owners *ow = ctx;
    struct colstore_tpinfo ti;
    colstore_tpinfo(cs, tp, &ti);
    if (!ti.owner)
        return ow->n; /* "(none)", the last value */
    for (uint32_t i = 0; i < ow->n; i++)
        if (!strcmp(ow->names[i], ti.owner))
            return i;
    return ow->n;
}

static void touchpoint_codes(struct qfield *qf, const struct colstore *cs)
{
    struct colstore_columns col;
    struct colstore_events ev;
    if (qf->table == COLSTORE_EVENTS) {
        colstore_events_view(cs, &ev);
        qf->codes = ev.touchpoint;
        qf->width = 4;
    } else {
        colstore_columns(cs, &col);
        qf->codes = col.touchpoint;
        qf->width = 2;
    }
}

static int resolve_touchpoint_fact(struct qfield *qf, const struct colstore *cs)
{
    int ev = qf->table == COLSTORE_EVENTS;
    uint32_t card;
    touchpoint_codes(qf, cs);
    switch (qf->f.core) {
    case FC_TOUCHPOINT:
        dict_values(qf, cs, DIM_TOUCHPOINT, 1, ev);
        return 0;
    case FC_STAGE:
    case FC_JOURNEY: {
        enum colstore_dim d = qf->f.core == FC_STAGE ? DIM_STAGE : DIM_JOURNEY;
        card = (uint32_t)colstore_card(cs, d);
        uint32_t *rank = xmalloc((card + 1) * sizeof *rank);
        const char **labels = xmalloc((card + 1) * sizeof *labels);
        colstore_order(cs, d, rank);
        for (uint32_t c = 0; c < card; c++)
            labels[rank[c]] = colstore_label(cs, d, (int)c);
        by_touchpoint(qf, cs, ev, card, labels,
                      d == DIM_STAGE ? stage_rank : journey_rank, rank);
        /* Display names for people, in the same order. */
        qf->own->display = xcalloc(qf->n_values, sizeof *qf->own->display);
        for (uint32_t c = 0; c < card; c++)
            qf->own->display[rank[c]] = colstore_name(cs, d, (int)c);
        if (ev)
            qf->own->display[card] = COLSTORE_NONE;
        qf->display = qf->own->display;
        free(labels);
        free(rank);
        return 0;
    }
    case FC_LIFECYCLE: {
        const char *labels[5];
        for (int l = 0; l <= LIFECYCLE_LEAVE; l++)
            labels[l] = lifecycle_name((enum lifecycle)l);
        by_touchpoint(qf, cs, ev, 5, labels, tp_lifecycle, NULL);
        return 0;
    }
    case FC_MOMENT_OF_TRUTH: {
        static const char *const labels[] = {"no", "yes"};
        by_touchpoint(qf, cs, ev, 2, labels, tp_mot, NULL);
        return 0;
    }
    case FC_PHYSICAL: {
        static const char *const labels[] = {"digital", "physical"};
        by_touchpoint(qf, cs, ev, 2, labels, tp_physical, NULL);
        return 0;
    }
    default: { /* FC_OWNER */
        struct owners ow = {NULL, 0};
        card = (uint32_t)colstore_card(cs, DIM_TOUCHPOINT);
        ow.names = xcalloc(card + 1, sizeof *ow.names);
        for (uint32_t c = 0; c < card; c++) {
            struct colstore_tpinfo ti;
            colstore_tpinfo(cs, (int)c, &ti);
            uint32_t k = 0;
            while (k < ow.n && (!ti.owner || strcmp(ow.names[k], ti.owner)))
                k++;
            if (ti.owner && k == ow.n)
                ow.names[ow.n++] = ti.owner;
        }
        qsort(ow.names, ow.n, sizeof *ow.names, cmp_str);
        const char **labels = xcalloc(ow.n + 1, sizeof *labels);
        for (uint32_t k = 0; k < ow.n; k++)
            labels[k] = ow.names[k];
        labels[ow.n] = COLSTORE_NONE;
        by_touchpoint(qf, cs, 0, ow.n + 1, labels, tp_owner, &ow);
        qf->none = ow.n;
        if (ev) { /* events without a touchpoint have no owner either */
            uint32_t *vo = xmalloc((card + 1) * sizeof *vo);
            memcpy(vo, qf->value_of, card * sizeof *vo);
            vo[card] = ow.n;
            memcpy(qfield_set_value_of(qf, card + 1), vo,
                   (card + 1) * sizeof *vo);
            free(vo);
        }
        free(labels);
        free(ow.names);
        return 0;
    }
    }
}

/* A score's own categories: the int8 score column read as bytes (-1, not
 * answered, is 255). */
static void score_field(struct qfield *qf, const int8_t *col, int lo, int hi,
                        const char *const *groups, const int *group_of)
{
    qf->codes = col;
    qf->width = 1;
    uint32_t *vo = qfield_set_value_of(qf, 256);
    uint32_t nv;
    if (groups) {
        nv = 0;
        while (groups[nv])
            nv++;
        qfield_set_values(qf, nv + 1, 0, 0);
        for (uint32_t v = 0; v < nv; v++)
            qf->own->label[v] = groups[v];
    } else {
        nv = (uint32_t)(hi - lo + 1);
        qfield_set_values(qf, nv + 1, 0, 0);
        for (int s = lo; s <= hi; s++) {
            char buf[8];
            snprintf(buf, sizeof buf, "%d", s);
            qf->own->label[s - lo] = qfield_own_str(qf, buf);
        }
    }
    qf->own->label[nv] = COLSTORE_NONE;
    qf->none = nv;
    for (uint32_t c = 0; c < 256; c++) {
        int s = (int8_t)(uint8_t)c;
        if (s < lo || s > hi)
            vo[c] = nv;
        else
            vo[c] = groups ? (uint32_t)group_of[s] : (uint32_t)(s - lo);
    }
}

static int resolve_period(struct qfield *qf, const struct colstore *cs)
{
    static const enum period_unit units[] = {
        PERIOD_DAY, PERIOD_WEEK, PERIOD_MONTH, PERIOD_QUARTER, PERIOD_YEAR};
    enum period_unit u = units[qf->f.core - FC_DAY];
    struct colstore_columns col;
    struct colstore_events ev;
    uint32_t lo, hi;
    size_t n;
    colstore_columns(cs, &col);
    if (qf->table == COLSTORE_EVENTS) {
        colstore_events_view(cs, &ev);
        qf->codes = ev.day;
        lo = ev.day_lo;
        hi = ev.day_hi;
        n = ev.n;
    } else {
        qf->codes = col.day;
        lo = col.day_lo;
        hi = col.day_hi;
        n = col.n;
    }
    qf->width = 4;
    qf->period = (int)u + 1;
    if (!n) {
        qfield_set_value_of(qf, 1);
        qfield_set_values(qf, 0, 0, 1);
        return 0;
    }
    int64_t step = u == PERIOD_WEEK ? 7 : 1;
    int64_t k0 = period_key(u, col.day_base + lo);
    int64_t k1 = period_key(u, col.day_base + hi);
    uint32_t nv = (uint32_t)((k1 - k0) / step + 1);
    uint32_t *vo = qfield_set_value_of(qf, hi + 1);
    qfield_set_values(qf, nv, 0, 1);
    for (uint32_t v = 0; v < nv; v++) {
        char buf[24];
        qf->own->key[v] = k0 + (int64_t)v * step;
        period_label(u, qf->own->key[v], buf, sizeof buf);
        qf->own->label[v] = qfield_own_str(qf, buf);
    }
    /* Offsets below lo occur in no row: left at 0. */
    for (uint32_t o = lo; o <= hi; o++)
        vo[o] = (uint32_t)((period_key(u, col.day_base + o) - k0) / step);
    return 0;
}

static int resolve_core(struct qfield *qf, const struct colstore *cs,
                        struct err *err)
{
    struct colstore_columns col;
    int ev = qf->table == COLSTORE_EVENTS;
    colstore_columns(cs, &col);
    switch (qf->f.core) {
    case FC_TOUCHPOINT:
    case FC_STAGE:
    case FC_JOURNEY:
    case FC_LIFECYCLE:
    case FC_OWNER:
    case FC_MOMENT_OF_TRUTH:
    case FC_PHYSICAL:
        return resolve_touchpoint_fact(qf, cs);
    case FC_DAY:
    case FC_WEEK:
    case FC_MONTH:
    case FC_QUARTER:
    case FC_YEAR:
        return resolve_period(qf, cs);
    case FC_CHANNEL:
        if (ev) {
            struct colstore_events e;
            colstore_events_view(cs, &e);
            qf->codes = e.channel;
            qf->width = 4;
        } else {
            qf->codes = col.channel;
            qf->width = 2;
        }
        dict_values(qf, cs, DIM_CHANNEL, 0, ev);
        return 0;
    case FC_SEGMENT:
        if (ev)
            return qfield_segment_of_events(qf, cs, err);
        dict_column(qf, cs, col.segment, 4, DIM_SEGMENT);
        return 0;
    case FC_KIND:
        dict_column(qf, cs, col.kind, 1, DIM_KIND);
        return 0;
    case FC_LANGUAGE:
        dict_column(qf, cs, col.language, 2, DIM_LANGUAGE);
        return 0;
    case FC_SENTIMENT:
        dict_column(qf, cs, col.sentiment, 2, DIM_SENTIMENT);
        return 0;
    case FC_THEME:
        qf->multi = 1;
        dict_column(qf, cs, col.mention_theme, 2, DIM_THEME);
        return 0;
    case FC_NPS_GROUP: {
        static const char *const g[] = {"detractor", "passive", "promoter",
                                        NULL};
        static const int of[] = {0, 0, 0, 0, 0, 0, 0, 1, 1, 2, 2};
        score_field(qf, col.nps, 0, 10, g, of);
        return 0;
    }
    case FC_CSAT_GROUP: {
        static const char *const g[] = {"dissatisfied", "neutral", "satisfied",
                                        NULL};
        static const int of[] = {0, 0, 0, 1, 2, 2};
        score_field(qf, col.csat, 1, 5, g, of);
        return 0;
    }
    case FC_CES_GROUP: {
        static const char *const g[] = {"difficult", "neutral", "easy", NULL};
        static const int of[] = {0, 0, 0, 0, 1, 2, 2, 2};
        score_field(qf, col.ces, 1, 7, g, of);
        return 0;
    }
    case FC_NPS_SCORE:
        score_field(qf, col.nps, 0, 10, NULL, NULL);
        return 0;
    case FC_CSAT_SCORE:
        score_field(qf, col.csat, 1, 5, NULL, NULL);
        return 0;
    case FC_CES_SCORE:
        score_field(qf, col.ces, 1, 7, NULL, NULL);
        return 0;
    case FC_COMMENT_LANGUAGE:
        return qfield_named(qf, cs, COLSTORE_RESPONSES, "comment_language",
                            err);
    case FC_ACTIVITY: {
        struct colstore_events e;
        colstore_events_view(cs, &e);
        qf->codes = e.activity;
        qf->width = 4;
        uint32_t na = (uint32_t)e.n_activities;
        const char **labels = xcalloc(na + 1, sizeof *labels);
        for (uint32_t a = 0; a < na; a++)
            labels[a] = colstore_activity_label(cs, a);
        qsort(labels, na, sizeof *labels, cmp_str);
        uint32_t *vo = qfield_set_value_of(qf, na);
        qfield_set_values(qf, na, 0, 0);
        for (uint32_t v = 0; v < na; v++) {
            qf->own->label[v] = labels[v];
            vo[colstore_activity_code(cs, labels[v], strlen(labels[v]))] = v;
        }
        free(labels);
        return 0;
    }
    default:
        return err_set(err, ERR_INTERNAL, "field %s", qf->f.text);
    }
}

int qfield_costly(const struct field *f)
{
    return f->kind == FIELD_EVENT;
}

int qfield_resolve(struct qfield **out, const struct colstore *cs,
                   enum colstore_table t, const struct field *f,
                   struct err *err)
{
    return qfield_resolve_rows(out, cs, t, f, NULL, err);
}

int qfield_resolve_rows(struct qfield **out, const struct colstore *cs,
                        enum colstore_table t, const struct field *f,
                        const uint8_t *need, struct err *err)
{
    struct qfield *qf;
    int rc = 0;
    *out = NULL;
    if (t == COLSTORE_EVENTS && !colstore_has_events(cs))
        return err_set(err, ERR_NOTFOUND, "no events are loaded");
    size_t rows = colstore_rows(cs);
    if (t == COLSTORE_EVENTS) {
        struct colstore_events e;
        colstore_events_view(cs, &e);
        rows = e.n;
    }
    qf = qfield_alloc(f, t, rows);
    switch (f->kind) {
    case FIELD_CORE:
        rc = resolve_core(qf, cs, err);
        break;
    case FIELD_CUSTOMER:
        rc = qfield_customer(qf, cs, err);
        break;
    case FIELD_ATTR:
        if (t == COLSTORE_EVENTS) {
            rc = qfield_named(qf, cs, COLSTORE_EVENTS, f->name, err);
        } else {
            char name[FIELD_MAX_NAME + 8];
            snprintf(name, sizeof name, "attr:%s", f->name);
            rc = qfield_named(qf, cs, COLSTORE_RESPONSES, name, err);
        }
        break;
    case FIELD_ANSWER:
        rc = qfield_named(qf, cs, COLSTORE_RESPONSES, f->name, err);
        break;
    case FIELD_EVENT:
        rc = qfield_event_feature(qf, cs, f->quantiles ? NULL : need, err);
        break;
    }
    if (rc < 0) {
        qfield_free(qf);
        return rc;
    }
    *out = qf;
    return 0;
}

/* ---- matching filter values ---- */

/* Case-folded copy of s[0..n) (utf8proc), or NULL for invalid UTF-8. */
static char *fold(const char *s, size_t n)
{
    utf8proc_uint8_t *o = NULL;
    if (utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)n, &o,
                     UTF8PROC_CASEFOLD | UTF8PROC_COMPOSE | UTF8PROC_STABLE) <
        0)
        return NULL;
    return (char *)o;
}

static int same_folded(const char *folded, const char *s)
{
    if (!folded || !s)
        return 0;
    char *f = fold(s, strlen(s));
    int eq = f && !strcmp(folded, f);
    free(f);
    return eq;
}

size_t qfield_match(const struct qfield *qf, const struct colstore *cs,
                    const char *v, size_t n, uint8_t *allowed)
{
    size_t hits = 0;
    if (qf->period) {
        int64_t key;
        if (period_parse(&key, (enum period_unit)(qf->period - 1), v, n) < 0)
            return 0;
        for (uint32_t i = 0; i < qf->n_values; i++)
            if (qf->key[i] == key && !allowed[i]) {
                allowed[i] = 1;
                hits++;
            }
        return hits;
    }
    for (uint32_t i = 0; i < qf->n_values; i++)
        if (strlen(qf->label[i]) == n && !memcmp(qf->label[i], v, n) &&
            !allowed[i]) {
            allowed[i] = 1;
            hits++;
        }
    if (hits)
        return hits;
    /* Not a key: a display name or an alias, case-insensitively. */
    char *fv = fold(v, n);
    for (uint32_t i = 0; fv && i < qf->n_values; i++)
        if (same_folded(fv, qf->label[i]) ||
            (qf->display && same_folded(fv, qf->display[i]))) {
            allowed[i] = 1;
            hits++;
        }
    if (!hits && fv && qf->f.kind == FIELD_CORE &&
        qf->f.core == FC_TOUCHPOINT) {
        size_t card = colstore_card(cs, DIM_TOUCHPOINT);
        for (size_t c = 0; c < card; c++) {
            struct colstore_tpinfo ti;
            colstore_tpinfo(cs, (int)c, &ti);
            for (int a = 0; a < ti.n_aliases; a++)
                if (same_folded(fv, ti.aliases[a])) {
                    allowed[qfield_value(qf, (uint32_t)c)] = 1;
                    hits++;
                    break;
                }
        }
    }
    free(fv);
    return hits;
}

double qfield_value_number(const struct qfield *qf, uint32_t value)
{
    if (value >= qf->n_values || value == qf->none)
        return NAN;
    const char *s = qf->label[value];
    char *end;
    double d = strtod(s, &end);
    return end != s && !*end && isfinite(d) ? d : NAN;
}
