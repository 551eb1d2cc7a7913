/* colstore_load and colstore_load_more: build a column store, or extend
 * one, through the store contract (store_list_* and store_scan_*) and the
 * append API. Kept apart from colstore.c so the in-memory store links
 * without a backend. */
#include "colstore/colstore.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "colstore/colstore_int.h"
#include "colstore/idmap.h"
#include "colstore/snapshot.h"
#include "core/err.h"
#include "core/tstamp.h"
#include "core/xalloc.h"
#include "store/store.h"

/* A comment's sentiment or a theme mention, read before the facts and
 * merged into them by response id (both scans are in id order). */
struct text_fact {
    int64_t response_id;
    double score; /* sentiment score (labels) */
    int code;     /* sentiment code, or theme code (mentions) */
    int aspect;   /* mentions: -1, 0, 1 */
};

struct load {
    struct colstore *cs;
    struct err *err;
    struct idmap *journeys, *stages, *touchpoints, *channels;
    int more;      /* colstore_load_more: journeys are there already */
    int lang_code; /* cache: code of the last language seen */
    struct text_fact *labels, *mentions;
    size_t n_labels, cap_labels, n_mentions, cap_mentions;
    size_t at_label, at_mention; /* merge positions */
};

/* |aspect sentiment| under this is neutral (sentiment.h's band). */
#define NEUTRAL_BAND 0.05

static int load_journey(struct load *l, const struct journey *j, uint32_t *code)
{
    if (idmap_get(l->journeys, j->id, code))
        return 0;
    int rc = colstore_add_journey(l->cs, j->key, j->name, l->err);
    if (rc < 0)
        return rc;
    *code = (uint32_t)rc;
    idmap_put(l->journeys, j->id, *code);
    return 0;
}

static int load_stage(struct load *l, const struct journey *j,
                      const struct stage *st, uint32_t *code)
{
    uint32_t jc;
    int rc;
    if (idmap_get(l->stages, st->id, code))
        return 0;
    if ((rc = load_journey(l, j, &jc)) < 0)
        return rc;
    /* Stage keys are unique within a journey only: qualify a repeat. */
    const char *key = st->key;
    char buf[512];
    if (colstore_find(l->cs, DIM_STAGE, key, strlen(key)) >= 0) {
        snprintf(buf, sizeof buf, "%s/%s", j->key, st->key);
        key = buf;
    }
    rc =
        colstore_add_stage(l->cs, (int)jc, key, st->name, st->position, l->err);
    if (rc < 0)
        return rc;
    *code = (uint32_t)rc;
    idmap_put(l->stages, st->id, *code);
    return 0;
}

static int on_stage(void *ctx, const struct journey *j, const struct stage *st)
{
    uint32_t code;
    return load_stage(ctx, j, st, &code);
}

static int on_touchpoint(void *ctx, const struct journey *j,
                         const struct stage *st, const struct touchpoint *t)
{
    struct load *l = ctx;
    uint32_t sc;
    int rc;
    if (l->more) { /* known by key, or the journeys changed */
        rc = colstore_find(l->cs, DIM_TOUCHPOINT, t->key, strlen(t->key));
        if (rc < 0)
            return err_set(l->err, ERR_CONFLICT, "touchpoint %s is new",
                           t->key);
        idmap_put(l->touchpoints, t->id, (uint32_t)rc);
        return 0;
    }
    if ((rc = load_stage(l, j, st, &sc)) < 0)
        return rc;
    if ((rc = colstore_add_touchpoint(l->cs, (int)sc, t->key, t->name,
                                      l->err)) < 0)
        return rc;
    idmap_put(l->touchpoints, t->id, (uint32_t)rc);
    struct colstore_tpinfo ti = {t->owner_team, t->moment_of_truth,
                                 t->physical,   (int)j->lifecycle,
                                 t->aliases,    t->n_aliases};
    return colstore_set_tpinfo(l->cs, rc, &ti, l->err);
}

static int on_channel(void *ctx, const struct channel *c)
{
    struct load *l = ctx;
    int rc = colstore_intern(l->cs, DIM_CHANNEL, c->key, l->err);
    if (rc < 0)
        return rc;
    idmap_put(l->channels, c->id, (uint32_t)rc);
    return 0;
}

static int on_customer(void *ctx, const struct customer *c)
{
    struct load *l = ctx;
    int rc = colstore_add_customer(l->cs, c->id, c->segment, l->err);
    return rc < 0 ? rc : 0;
}

static int on_segment(void *ctx, int64_t customer_id, const char *segment,
                      int64_t since)
{
    struct load *l = ctx;
    int64_t c = colstore_customer_index(l->cs, customer_id);
    if (c < 0)
        return err_set(l->err, ERR_INTERNAL,
                       "segment history names unknown customer %lld",
                       (long long)customer_id);
    return colstore_add_segment_change(l->cs, (size_t)c, since, segment,
                                       l->err);
}

static int on_analysis(void *ctx, int64_t response_id, const char *question,
                       const struct comment_analysis *a)
{
    struct load *l = ctx;
    (void)question;
    int code = colstore_sentiment_code(a->label);
    if (code >= 0) {
        l->labels = xgrow(l->labels, &l->cap_labels, l->n_labels + 1,
                          sizeof *l->labels);
        struct text_fact *t = &l->labels[l->n_labels++];
        t->response_id = response_id;
        t->score = a->score;
        t->code = code;
        t->aspect = 0;
    }
    for (int i = 0; i < a->n_mentions; i++) {
        const struct theme_mention *m = &a->mentions[i];
        int rc = colstore_intern(l->cs, DIM_THEME, m->theme, l->err);
        if (rc < 0)
            return rc;
        l->mentions = xgrow(l->mentions, &l->cap_mentions, l->n_mentions + 1,
                            sizeof *l->mentions);
        struct text_fact *t = &l->mentions[l->n_mentions++];
        t->response_id = response_id;
        t->score = m->sentiment;
        t->code = rc;
        t->aspect = m->sentiment < -NEUTRAL_BAND  ? -1
                    : m->sentiment > NEUTRAL_BAND ? 1
                                                  : 0;
    }
    return 0;
}

/* Gives row its comment sentiment (the most negative of its comments)
 * and its theme mentions. */
static int merge_text(struct load *l, size_t row, int64_t id)
{
    int rc;
    double best = 2;
    int code = -1;
    while (l->at_label < l->n_labels &&
           l->labels[l->at_label].response_id <= id) {
        const struct text_fact *t = &l->labels[l->at_label++];
        if (t->response_id == id && t->score < best) {
            best = t->score;
            code = t->code;
        }
    }
    if (code >= 0 &&
        (rc = colstore_set_sentiment(l->cs, row, code, l->err)) < 0)
        return rc;
    while (l->at_mention < l->n_mentions &&
           l->mentions[l->at_mention].response_id <= id) {
        const struct text_fact *t = &l->mentions[l->at_mention++];
        if (t->response_id == id &&
            (rc = colstore_add_mention(l->cs, row, t->code, t->aspect,
                                       l->err)) < 0)
            return rc;
    }
    return 0;
}

static int on_fact(void *ctx, const struct fact *f)
{
    struct load *l = ctx;
    struct colstore_row r;
    uint32_t v;
    if (!idmap_get(l->touchpoints, f->touchpoint_id, &v))
        return err_set(l->err, ERR_INTERNAL,
                       "response %lld names unknown touchpoint %lld",
                       (long long)f->response_id, (long long)f->touchpoint_id);
    r.touchpoint = (int)v;
    if (!idmap_get(l->channels, f->channel_id, &v))
        return err_set(l->err, ERR_INTERNAL,
                       "response %lld names unknown channel %lld",
                       (long long)f->response_id, (long long)f->channel_id);
    r.channel = (int)v;
    r.segment = -1;
    r.customer = -1;
    if (f->customer_id) {
        r.customer = colstore_customer_index(l->cs, f->customer_id);
        if (r.customer < 0)
            return err_set(l->err, ERR_INTERNAL,
                           "response %lld names unknown customer %lld",
                           (long long)f->response_id,
                           (long long)f->customer_id);
        r.segment = colstore_segment_at(l->cs, (size_t)r.customer, f->ts);
    }
    r.id = f->response_id;
    r.ts = f->ts;
    r.language = -1;
    if (f->language && *f->language) {
        if (l->lang_code < 0 ||
            strcmp(colstore_label(l->cs, DIM_LANGUAGE, l->lang_code),
                   f->language)) {
            int rc = colstore_intern(l->cs, DIM_LANGUAGE, f->language, l->err);
            if (rc < 0)
                return rc;
            l->lang_code = rc;
        }
        r.language = l->lang_code;
    }
    r.kind = f->kind;
    r.day = tstamp_local_day(f->ts, f->tz_min);
    r.nps = f->nps;
    r.csat = f->csat;
    r.ces = f->ces;
    int rc = colstore_append(l->cs, &r, l->err);
    if (rc < 0 || (l->n_labels == 0 && l->n_mentions == 0))
        return rc;
    return merge_text(l, colstore_rows(l->cs) - 1, f->response_id);
}

static void load_init(struct load *l, struct colstore *cs, struct err *err)
{
    memset(l, 0, sizeof *l);
    l->cs = cs;
    l->err = err;
    l->journeys = idmap_new();
    l->stages = idmap_new();
    l->touchpoints = idmap_new();
    l->channels = idmap_new();
    l->lang_code = -1;
}

static int load_dispose(struct load *l, int rc, struct err *err)
{
    if (rc > 0) /* a callback stopped the scan with a positive value */
        rc = err_set(err, ERR_INTERNAL, "load stopped early");
    idmap_free(l->journeys);
    idmap_free(l->stages);
    idmap_free(l->touchpoints);
    idmap_free(l->channels);
    free(l->labels);
    free(l->mentions);
    return rc;
}

int colstore_load(struct colstore **out, struct store *s, struct err *err)
{
    struct load l;
    struct store_counts counts;
    int rc;

    *out = NULL;
    load_init(&l, colstore_new(), err);
    if ((rc = store_count(s, &counts, err)) < 0)
        goto done;
    if (counts.responses > 0)
        colstore_reserve(l.cs, (size_t)counts.responses);
    if ((rc = store_list_stages(s, on_stage, &l, err)) < 0 ||
        (rc = store_list_touchpoints(s, on_touchpoint, &l, err)) < 0 ||
        (rc = store_list_channels(s, on_channel, &l, err)) < 0 ||
        (rc = store_scan_customers(s, on_customer, &l, err)) < 0 ||
        (rc = store_scan_segments(s, on_segment, &l, err)) < 0 ||
        (rc = store_scan_analyses(s, on_analysis, &l, err)) < 0 ||
        (rc = store_scan_facts(s, on_fact, &l, err)) < 0)
        goto done;
    *out = l.cs;
    l.cs = NULL;
done:
    colstore_free(l.cs);
    return load_dispose(&l, rc, err);
}

int colstore_load_more(struct colstore *cs, struct store *s, size_t *added,
                       struct err *err)
{
    struct load l;
    size_t rows0 = colstore_rows(cs);
    int rc;

    *added = 0;
    if ((rc = colstore_own(cs, err)) < 0)
        return rc;
    int64_t last_resp = rows0 ? cs->id[rows0 - 1] : INT64_MIN;
    int64_t last_cust = cs->n_cust ? cs->cust_id[cs->n_cust - 1] : INT64_MIN;
    load_init(&l, cs, err);
    l.more = 1;
    /* no store_count to reserve room: it counts every table, a scan of
     * each, while the rows read here are usually few (the server calls
     * this after every commit); appends grow the columns geometrically */
    if ((rc = store_list_touchpoints(s, on_touchpoint, &l, err)) < 0 ||
        (rc = store_list_channels(s, on_channel, &l, err)) < 0 ||
        (rc = store_scan_customers_after(s, last_cust, on_customer, &l, err)) <
            0 ||
        (rc = store_scan_segments_after(s, last_cust, on_segment, &l, err)) <
            0 ||
        (rc = store_scan_analyses_after(s, last_resp, on_analysis, &l, err)) <
            0 ||
        (rc = store_scan_facts_after(s, last_resp, on_fact, &l, err)) < 0)
        goto done;
    *added = colstore_rows(cs) - rows0;
done:
    return load_dispose(&l, rc, err);
}
