#include "server/ingest.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/xalloc.h"
#include "loop/loop.h"
#include "server/errlog.h"
#include "server/stats.h"
#include "store/store.h"
#include "store/store_loop.h"

struct ingest {
    struct store *s;
    int batch_max;
    struct stats *stats;
    void (*committed)(void *ctx, long cases);
    void *ctx;
    pthread_t writer;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    struct ingest_item *head, *tail; /* guarded by mu */
    long queued;
    int stop;
    /* the closed loop's document, applied in each batch's transaction
     * (writer thread only); looked for again every second */
    struct loop *loop;
    time_t loop_checked;
};

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* Writes one item inside the open transaction. */
static int put_item(struct ingest *g, struct ingest_item *it)
{
    int inserted = 0, rc;
    if (it->customer) {
        struct customer c = {0, it->customer, NULL, NULL};
        if ((rc = store_put_customer(g->s, &c, &inserted, &it->err)) < 0)
            return rc;
        it->r.customer_id = c.id;
    }
    if (it->employee) {
        struct employee e = {0, it->employee, NULL, NULL};
        if ((rc = store_put_employee(g->s, &e, &inserted, &it->err)) < 0)
            return rc;
        it->r.employee_id = e.id;
    }
    if ((rc = store_put_response(g->s, &it->r, &inserted, &it->err)) < 0)
        return rc;
    it->duplicate = !inserted;
    return 0;
}

/* Keeps the writer's copy of the loop document current. */
static void refresh_loop(struct ingest *g)
{
    time_t now = time(NULL);
    if (now == g->loop_checked)
        return;
    g->loop_checked = now;
    struct err err = ERR_INIT;
    char *json = NULL;
    int64_t id = 0;
    int rc = store_get_rules(g->s, &json, &id, &err);
    free(json);
    if (rc == 0 && (!g->loop || loop_id(g->loop) != id)) {
        struct loop *l = NULL;
        if ((rc = loop_load(&l, g->s, &err)) == 0) {
            loop_free(g->loop);
            g->loop = l;
        }
    }
    if (rc < 0 && rc != ERR_NOTFOUND)
        errlog("loop", &err);
    store_read_end(g->s);
}

/* Commits items[0..n): a failing item is set aside with its error and
 * the rest tried again, so one bad submission fails alone. The loop's
 * rules are applied in the same transaction, so an acknowledged
 * response has its case; should that fail, the batch is stored without
 * it and the server's applier (notifier.h) opens the cases after. */
static void commit_batch(struct ingest *g, struct ingest_item **items, size_t n)
{
    double t0 = now_ms();
    int rc, with_loop = g->loop != NULL;
    long cases = 0;
    for (;;) {
        size_t bad = n;
        if ((rc = store_begin(g->s, &items[0]->err)) < 0)
            break;
        for (size_t i = 0; i < n && bad == n; i++) {
            if (items[i]->rc < 0)
                continue;
            err_clear(&items[i]->err);
            if (put_item(g, items[i]) < 0)
                bad = i;
        }
        if (bad < n) {
            store_rollback(g->s);
            items[bad]->rc =
                items[bad]->err.code ? items[bad]->err.code : ERR_DB;
            continue;
        }
        if (with_loop) {
            struct loop_applied a;
            struct err e = ERR_INIT;
            if (loop_apply_in(g->s, g->loop, (int64_t)time(NULL), &a, &e) < 0) {
                errlog("loop apply", &e);
                store_rollback(g->s);
                with_loop = 0;
                continue;
            }
            cases = a.opened;
        }
        rc = store_commit(g->s, &items[0]->err);
        break;
    }
    if (rc < 0) { /* the database failed: nothing of the batch is stored */
        struct err e = items[0]->err;
        for (size_t i = 0; i < n; i++)
            if (items[i]->rc == 0) {
                items[i]->rc = rc;
                items[i]->err = e;
            }
    }
    stats_commit(g->stats, n, now_ms() - t0);
    int stored = 0;
    for (size_t i = 0; i < n; i++) {
        if (items[i]->rc == 0) {
            stats_submission(g->stats, items[i]->duplicate);
            stored |= !items[i]->duplicate;
        } else {
            stats_rejected(g->stats);
        }
    }
    for (size_t i = 0; i < n; i++)
        items[i]->done(items[i]); /* may free the item */
    if (stored && g->committed)
        g->committed(g->ctx, rc == 0 ? cases : 0);
}

static void *writer_main(void *arg)
{
    struct ingest *g = arg;
    struct ingest_item **items =
        xmalloc((size_t)g->batch_max * sizeof(struct ingest_item *));
    for (;;) {
        size_t n = 0;
        pthread_mutex_lock(&g->mu);
        while (!g->head && !g->stop)
            pthread_cond_wait(&g->cv, &g->mu);
        if (!g->head && g->stop) {
            pthread_mutex_unlock(&g->mu);
            break;
        }
        while (g->head && n < (size_t)g->batch_max) {
            items[n++] = g->head;
            g->head = g->head->next;
        }
        if (!g->head)
            g->tail = NULL;
        g->queued -= (long)n;
        pthread_mutex_unlock(&g->mu);
        refresh_loop(g);
        commit_batch(g, items, n);
    }
    free(items);
    return NULL;
}

int ingest_new(struct ingest **out, const char *db, int batch_max,
               struct stats *st, void (*committed)(void *ctx, long cases),
               void *ctx, struct err *err)
{
    struct ingest *g = xcalloc(1, sizeof *g);
    int rc;
    *out = NULL;
    if ((rc = store_open(&g->s, db, err)) < 0) {
        free(g);
        return rc;
    }
    store_set_activity(g->s, "resonans serve (submissions)");
    /* The housekeeping thread (janitor.h) copies the log as it grows,
     * without holding anyone up; this writer's own copy, every 256 pages
     * (16 MiB), then finds only the last few pages to copy, and lets the
     * log start over. (A copy of all of it here kept every submission of
     * the batch waiting for 100 ms or more; a copy by another thread
     * alone never reaches the end of a log that keeps growing.) */
    store_set_autocheckpoint(g->s, 256);
    g->batch_max = batch_max < 1 ? 1 : batch_max;
    g->stats = st;
    g->committed = committed;
    g->ctx = ctx;
    pthread_mutex_init(&g->mu, NULL);
    pthread_cond_init(&g->cv, NULL);
    if (pthread_create(&g->writer, NULL, writer_main, g) != 0) {
        store_free(g->s);
        free(g);
        return err_set(err, ERR_INTERNAL, "cannot start the writer thread");
    }
    *out = g;
    return 0;
}

void ingest_submit(struct ingest *g, struct ingest_item *it)
{
    it->rc = 0;
    it->duplicate = 0;
    it->next = NULL;
    err_clear(&it->err);
    pthread_mutex_lock(&g->mu);
    if (g->tail)
        g->tail->next = it;
    else
        g->head = it;
    g->tail = it;
    g->queued++;
    pthread_cond_signal(&g->cv);
    pthread_mutex_unlock(&g->mu);
}

long ingest_queued(struct ingest *g)
{
    pthread_mutex_lock(&g->mu);
    long n = g->queued;
    pthread_mutex_unlock(&g->mu);
    return n;
}

void ingest_free(struct ingest *g)
{
    if (!g)
        return;
    pthread_mutex_lock(&g->mu);
    g->stop = 1;
    pthread_cond_signal(&g->cv);
    pthread_mutex_unlock(&g->mu);
    pthread_join(g->writer, NULL);
    pthread_mutex_destroy(&g->mu);
    pthread_cond_destroy(&g->cv);
    loop_free(g->loop);
    store_free(g->s);
    free(g);
}
