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
