#pragma once
/* Shared by the importer's test files (test_import*.c): an in-memory
 * store with tests/data/import/journey.json loaded, and short ways to
 * import a text and read back what was stored. Static inline so that a
 * file that does not use one gets no unused-function warning. */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/mapfile.h"
#include "core/strbuf.h"
#include "ingest/import.h"
#include "ingest/journey_def.h"
#include "store/store.h"

struct db {
    struct store *s;
};

static inline int db_load_journey(struct db *db, const char *fixture)
{
    struct err err = ERR_INIT;
    struct mapfile mf = MAPFILE_INIT;
    struct journey_def *d = NULL;
    char *path = harness_fixture(fixture);
    int rc = -1;
    if (mapfile_open(&mf, path, &err) == 0 &&
        journey_def_parse(&d, mf.p, mf.n, path, &err) == 0 &&
        journey_def_save(d, db->s, &err) == 0)
        rc = 0;
    journey_def_free(d);
    mapfile_close(&mf);
    free(path);
    return rc;
}

static inline int db_setup(void **state)
{
    struct db *db = calloc(1, sizeof *db);
    struct err err = ERR_INIT;
    *state = db;
    if (store_open(&db->s, ":memory:", &err) < 0)
        return -1;
    return db_load_journey(db, "import/journey.json");
}

static inline int db_teardown(void **state)
{
    struct db *db = *state;
    store_free(db->s);
    free(db);
    return 0;
}

/* Imports text as file `name` with options o. */
static inline int import_text(struct db *db, const char *name, const char *text,
                              const struct import_opts *o,
                              struct import_counts *n, struct err *err)
{
    return import_run(n, db->s, text, strlen(text), name, o, err);
}

static inline struct store_counts db_counts(struct db *db)
{
    struct store_counts c;
    struct err err = ERR_INIT;
    assert_int_equal(store_count(db->s, &c, &err), 0);
    return c;
}

/* Imports text, expects ERR_INVALID at `where` with `msg`, and checks that
 * nothing changed. */
static inline void import_fails(struct db *db, const char *name,
                                const char *text, const struct import_opts *o,
                                const char *where, const char *msg)
{
    struct import_counts n;
    struct err err = ERR_INIT;
    struct store_counts before = db_counts(db);
    assert_int_equal(import_text(db, name, text, o, &n, &err), ERR_INVALID);
    assert_string_equal(err.where, where);
    assert_string_equal(err.msg, msg);
    struct store_counts after = db_counts(db);
    assert_memory_equal(&before, &after, sizeof before);
}

/* One stored response, flattened for comparisons. */
struct stored {
    char ext_id[64];
    char touchpoint[64];
    char channel[64];
    char customer[64];
    char attrs[512];
    int nps;
    int n_answers;
    char answers[8][160]; /* "question kind v1 v2 text" */
};

struct stored_list {
    int n;
    struct stored v[16];
};

static inline int stored_collect(void *ctx, const struct response *r)
{
    struct stored_list *l = ctx;
    if (l->n < 16) {
        struct stored *s = &l->v[l->n];
        memset(s, 0, sizeof *s);
        snprintf(s->ext_id, sizeof s->ext_id, "%s", r->ext_id);
        snprintf(s->touchpoint, sizeof s->touchpoint, "%s", r->touchpoint);
        snprintf(s->channel, sizeof s->channel, "%s", r->channel);
        snprintf(s->customer, sizeof s->customer, "%s",
                 r->customer ? r->customer : "-");
        snprintf(s->attrs, sizeof s->attrs, "%s", r->attrs ? r->attrs : "-");
        s->nps = r->nps;
        s->n_answers = r->n_answers;
        for (int i = 0; i < r->n_answers && i < 8; i++) {
            const struct answer *a = &r->answers[i];
            snprintf(s->answers[i], sizeof s->answers[i], "%s %s %g %g %s",
                     a->question, answer_kind_name(a->kind), a->v1, a->v2,
                     a->text ? a->text : "-");
        }
    }
    l->n++;
    return 0;
}

/* Every stored response in id order (the first 16). */
static inline struct stored_list *stored_responses(struct db *db)
{
    static struct stored_list l;
    struct err err = ERR_INIT;
    memset(&l, 0, sizeof l);
    assert_int_equal(store_scan_responses(db->s, stored_collect, &l, &err), 0);
    return &l;
}

/* An import_opts.rejects writer that appends to the strbuf in ctx. */
static inline int rejects_to_strbuf(void *ctx, const char *p, size_t n)
{
    return strbuf_add(ctx, p, n);
}

/* The stored customers ("ext_id segment attrs", the first 8) and their
 * segment history ("id start|since segment", the first 12). */
struct stored_customer_list {
    int n;
    char rows[8][200];
    int nseg;
    char segs[12][80];
};

static inline int stored_customer_row(void *ctx, const struct customer *c)
{
    struct stored_customer_list *s = ctx;
    if (s->n < 8)
        snprintf(s->rows[s->n], sizeof s->rows[0], "%s %s %s", c->ext_id,
                 c->segment ? c->segment : "-", c->attrs);
    s->n++;
    return 0;
}

static inline int stored_segment_row(void *ctx, int64_t id, const char *segment,
                                     int64_t since)
{
    struct stored_customer_list *s = ctx;
    if (s->nseg < 12) {
        if (since == SEGMENT_SINCE_START)
            snprintf(s->segs[s->nseg], sizeof s->segs[0], "%lld start %s",
                     (long long)id, segment ? segment : "-");
        else
            snprintf(s->segs[s->nseg], sizeof s->segs[0], "%lld %lld %s",
                     (long long)id, (long long)since, segment ? segment : "-");
    }
    s->nseg++;
    return 0;
}

static inline struct stored_customer_list *stored_customers(struct db *db)
{
    static struct stored_customer_list s;
    struct err err = ERR_INIT;
    memset(&s, 0, sizeof s);
    assert_int_equal(store_scan_customers(db->s, stored_customer_row, &s, &err),
                     0);
    assert_int_equal(store_scan_segments(db->s, stored_segment_row, &s, &err),
                     0);
    return &s;
}

/* One stored event: its activity and its touchpoint's key ("-" for none). */
struct stored_event {
    char activity[64];
    int64_t touchpoint_id;
    char touchpoint[64];
};

struct stored_event_list {
    int n;
    struct stored_event v[16];
};

static inline int stored_event_collect(void *ctx, const struct event *e)
{
    struct stored_event_list *l = ctx;
    if (l->n < 16) {
        struct stored_event *s = &l->v[l->n];
        memset(s, 0, sizeof *s);
        snprintf(s->activity, sizeof s->activity, "%s", e->activity);
        s->touchpoint_id = e->touchpoint_id;
        snprintf(s->touchpoint, sizeof s->touchpoint, "-");
    }
    l->n++;
    return 0;
}

static inline int stored_event_touchpoint(void *ctx, const struct journey *j,
                                          const struct stage *st,
                                          const struct touchpoint *t)
{
    struct stored_event_list *l = ctx;
    (void)j;
    (void)st;
    for (int i = 0; i < l->n && i < 16; i++)
        if (l->v[i].touchpoint_id == t->id)
            snprintf(l->v[i].touchpoint, sizeof l->v[i].touchpoint, "%s",
                     t->key);
    return 0;
}

/* Every stored event in (customer, time, id) order (the first 16). */
static inline struct stored_event_list *stored_events(struct db *db)
{
    static struct stored_event_list l;
    struct err err = ERR_INIT;
    memset(&l, 0, sizeof l);
    assert_int_equal(store_scan_events(db->s, stored_event_collect, &l, &err),
                     0);
    assert_int_equal(
        store_list_touchpoints(db->s, stored_event_touchpoint, &l, &err), 0);
    return &l;
}
