#include "server/resident.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "colstore/colstore.h"
#include "colstore/colstore_sync.h"
#include "core/err.h"
#include "core/xalloc.h"
#include "server/errlog.h"
#include "store/store.h"

struct resident {
    struct store *s;
    struct colstore *cs; /* guarded by lock */
    struct store_version known;
    pthread_mutex_t lock;
    pthread_mutex_t mu; /* dirty, stop */
    pthread_cond_t cv;
    int dirty, stop;
    atomic_llong rows;
    atomic_llong gen; /* known.data of what cs holds */
    pthread_t thread;
};

/* Loads afresh (outside the lock: queries go on meanwhile on the old
 * one), then swaps. */
static int reload(struct resident *r, struct err *err)
{
    struct colstore *fresh = NULL;
    int rc;
    store_read_end(r->s);
    if ((rc = store_version(r->s, &r->known, err)) < 0 ||
        (rc = colstore_load(&fresh, r->s, err)) < 0)
        return rc;
    pthread_mutex_lock(&r->lock);
    struct colstore *old = r->cs;
    r->cs = fresh;
    /* the generation first: whoever sees the new rows sees it too */
    atomic_store(&r->gen, (long long)r->known.data);
    atomic_store(&r->rows, (long long)colstore_rows(fresh));
    pthread_mutex_unlock(&r->lock);
    colstore_free(old);
    return 0;
}

static int skip_fact(void *ctx, const struct fact *f)
{
    (void)ctx;
    (void)f;
    return 0;
}

static int skip_analysis(void *ctx, int64_t id, const char *q,
                         const struct comment_analysis *a)
{
    (void)ctx;
    (void)id;
    (void)q;
    (void)a;
    return 0;
}

/* Brings the store up to date with the database. */
static int catch_up(struct resident *r, struct err *err)
{
    struct store_version v;
    size_t added = 0;
    int rc;
    store_read_end(r->s);
    if ((rc = store_version(r->s, &v, err)) < 0)
        return rc;
    int same_db = memcmp(v.uuid, r->known.uuid, 16) == 0;
    if (v.data == r->known.data && same_db)
        return 0;
    if (!same_db || v.rewrite != r->known.rewrite ||
        v.events != r->known.events)
        return reload(r, err);
    /* Read the new rows once without the lock, in the same snapshot:
     * their pages are then in this handle's cache, and the pass under
     * the lock (which queries wait for) costs decoding only. */
    struct colstore_columns col;
    pthread_mutex_lock(&r->lock);
    colstore_columns(r->cs, &col);
    int64_t last = col.n ? col.id[col.n - 1] : INT64_MIN;
    size_t nc = colstore_customers(r->cs);
    int64_t last_cust = nc ? colstore_customer_id(r->cs, nc - 1) : INT64_MIN;
    pthread_mutex_unlock(&r->lock);
    if ((rc = store_scan_analyses_after(r->s, last, skip_analysis, NULL, err)) <
            0 ||
        (rc = store_scan_facts_after(r->s, last, skip_fact, NULL, err)) < 0)
        return rc;
    pthread_mutex_lock(&r->lock);
    rc = colstore_load_more(r->cs, r->s, &added, err);
    /* the columns queries loaded get the new rows' values (their reads
     * are of those rows only); should that fail, they are forgotten and
     * loaded afresh by the next query that names them */
    struct err e2 = ERR_INIT;
    if (rc == 0 &&
        colstore_extend_columns(r->cs, r->s, last, last_cust, &e2) < 0)
        colstore_forget_columns(r->cs);
    if (rc == 0) {
        /* the generation first, under the lock: a page that reads it
         * then waits for this store, and whoever sees the new rows sees
         * the new generation (page_cache.h) */
        atomic_store(&r->gen, (long long)v.data);
        atomic_store(&r->rows, (long long)colstore_rows(r->cs));
    }
    pthread_mutex_unlock(&r->lock);
    if (rc < 0) /* half updated, or the journeys changed */
        return reload(r, err);
    r->known = v;
    return 0;
}

/* Catch-ups are at least this far apart: each reads the last pages of
 * every table again, so under a stream of commits one every 100 ms
 * costs a tenth of one per commit, and a submission is still in the
 * column store well within a second of its acknowledgement. */
#define CATCH_UP_GAP_MS 100

static void *refresher(void *arg)
{
    struct resident *r = arg;
    for (;;) {
        usleep(CATCH_UP_GAP_MS * 1000);
        struct timespec until;
        struct err err = ERR_INIT;
        pthread_mutex_lock(&r->mu);
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += 1;
        while (!r->dirty && !r->stop)
            if (pthread_cond_timedwait(&r->cv, &r->mu, &until) == ETIMEDOUT)
                break;
        int stop = r->stop;
        r->dirty = 0;
        pthread_mutex_unlock(&r->mu);
        if (stop)
            break;
        int rc = catch_up(r, &err);
        store_read_end(r->s); /* keep no snapshot: it would hold the log */
        if (rc < 0)
            errlog("column store", &err);
    }
    return NULL;
}

int resident_new(struct resident **out, const char *db, struct err *err)
{
    struct resident *r = xcalloc(1, sizeof *r);
    struct colstore_open_info info;
    int rc;
    *out = NULL;
    if ((rc = store_open(&r->s, db, err)) < 0) {
        free(r);
        return rc;
    }
    store_set_activity(r->s, "resonans serve (column store)");
    char *path = colstore_snapshot_path(db);
    struct colstore_open_opts o = {.path = path, .need = COLSTORE_NEED_ALL};
    if ((rc = store_version(r->s, &r->known, err)) == 0)
        rc = colstore_open(&r->cs, r->s, &o, &info, err);
    free(path);
    if (rc < 0) {
        store_free(r->s);
        free(r);
        return rc;
    }
    atomic_init(&r->rows, (long long)colstore_rows(r->cs));
    atomic_init(&r->gen, (long long)r->known.data);
    pthread_mutex_init(&r->lock, NULL);
    pthread_mutex_init(&r->mu, NULL);
    pthread_cond_init(&r->cv, NULL);
    if (pthread_create(&r->thread, NULL, refresher, r) != 0) {
        colstore_free(r->cs);
        store_free(r->s);
        free(r);
        return err_set(err, ERR_INTERNAL, "cannot start a thread");
    }
    *out = r;
    return 0;
}

void resident_notify(struct resident *r)
{
    pthread_mutex_lock(&r->mu);
    r->dirty = 1;
    pthread_cond_signal(&r->cv);
    pthread_mutex_unlock(&r->mu);
}

struct colstore *resident_lock(struct resident *r)
{
    pthread_mutex_lock(&r->lock);
    return r->cs;
}

void resident_unlock(struct resident *r)
{
    pthread_mutex_unlock(&r->lock);
}

int64_t resident_generation(struct resident *r)
{
    return (int64_t)atomic_load(&r->gen);
}

int64_t resident_rows(struct resident *r)
{
    return atomic_load(&r->rows);
}

void resident_free(struct resident *r)
{
    if (!r)
        return;
    pthread_mutex_lock(&r->mu);
    r->stop = 1;
    pthread_cond_signal(&r->cv);
    pthread_mutex_unlock(&r->mu);
    pthread_join(r->thread, NULL);
    colstore_free(r->cs);
    store_free(r->s);
    pthread_mutex_destroy(&r->lock);
    pthread_mutex_destroy(&r->mu);
    pthread_cond_destroy(&r->cv);
    free(r);
}
