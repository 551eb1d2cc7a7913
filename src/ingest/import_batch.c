/* Batches of validated responses, the threads that analyse their comments
 * and the thread that writes them (import_int.h explains the pipeline). */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/xalloc.h"
#include "ingest/import_int.h"
#include "store/store.h"
#include "text/analyze.h"

#ifdef ARENA_DEBUG
#define CHUNK_BYTES 0 /* every row its own malloc, so ASan sees overflows */
#else
#define CHUNK_BYTES ((size_t)256 << 10)
#endif

static void chunks_free(struct chunk **head)
{
    while (*head) {
        struct chunk *c = *head;
        *head = c->next;
        free(c->data);
        free(c);
    }
}

static void batch_free_chunks(struct batch *b)
{
    chunks_free(&b->chunks);
    chunks_free(&b->side);
    b->last = b->cur = NULL;
    b->side_last = b->side_cur = NULL;
}

void batch_reset(struct batch *b)
{
    b->n = 0;
#ifdef ARENA_DEBUG
    batch_free_chunks(b);
#endif
    for (struct chunk *c = b->chunks; c; c = c->next)
        c->used = 0;
    for (struct chunk *c = b->side; c; c = c->next)
        c->used = 0;
    b->cur = b->chunks;
    b->side_cur = b->side;
    b->njobs = b->jobs_kept = 0;
    b->redacted = 0;
    b->failed = 0;
    err_clear(&b->err);
}

void batch_dispose(struct batch *b)
{
    batch_free_chunks(b);
    free(b->rows);
    free(b->jobs);
    memset(b, 0, sizeof *b);
}

void batch_keep_jobs(struct batch *b, int keep)
{
    if (keep)
        b->jobs_kept = b->njobs;
    else
        b->njobs = b->jobs_kept;
}

char *batch_room(struct batch *b, size_t need)
{
    while (b->cur && b->cur->cap - b->cur->used < need)
        b->cur = b->cur->next;
    if (!b->cur) {
        struct chunk *c = xcalloc(1, sizeof *c);
        c->cap = need > CHUNK_BYTES ? need : CHUNK_BYTES;
        c->data = xmalloc(c->cap);
        if (b->last)
            b->last->next = c;
        else
            b->chunks = c;
        b->last = b->cur = c;
    }
    return b->cur->data + b->cur->used;
}

void *batch_alloc(struct batch *b, size_t n)
{
    n = (n + 7) & ~(size_t)7;
    while (b->side_cur && b->side_cur->cap - b->side_cur->used < n)
        b->side_cur = b->side_cur->next;
    if (!b->side_cur) {
        struct chunk *c = xcalloc(1, sizeof *c);
        c->cap = n > CHUNK_BYTES ? n : CHUNK_BYTES;
        c->data = xmalloc(c->cap ? c->cap : 1);
        if (b->side_last)
            b->side_last->next = c;
        else
            b->side = c;
        b->side_last = b->side_cur = c;
    }
    void *p = b->side_cur->data + b->side_cur->used;
    b->side_cur->used += n;
    return p;
}

void batch_commit(struct batch *b, const struct response *r, size_t used)
{
    struct chunk *c = b->cur;
    c->used += (used + ROW_ALIGN - 1) / ROW_ALIGN * ROW_ALIGN;
    if (c->used > c->cap)
        c->used = c->cap;
    b->rows = xgrow(b->rows, &b->cap, b->n + 1, sizeof *b->rows);
    b->rows[b->n++] = *r;
}

int batch_write(struct batch *b, struct store *s, struct import_counts *n,
                struct err *err)
{
    return store_put_responses(s, b->rows, b->n, &n->inserted, &n->present,
                               err);
}

/* ---- the pipe ---- */

void pipe_init(struct pipe *p, struct store *s, const struct textcfg *cfg,
               int nworkers, struct batch **fill)
{
    memset(p, 0, sizeof *p);
    p->s = s;
    p->cfg = *cfg;
    p->nworkers = nworkers;
    p->nbatch = (size_t)nworkers + NBATCH_EXTRA;
    p->batches = xcalloc(p->nbatch, sizeof *p->batches);
    p->queue = xcalloc(p->nbatch, sizeof *p->queue);
    p->free_list = xcalloc(p->nbatch, sizeof *p->free_list);
    for (size_t i = p->nbatch; i-- > 1;)
        p->free_list[p->nfree++] = i;
    *fill = &p->batches[0];
}

void pipe_release(struct pipe *p)
{
    for (size_t i = 0; i < p->nbatch; i++)
        batch_dispose(&p->batches[i]);
}

void pipe_dispose(struct pipe *p)
{
    if (p->batches)
        pipe_release(p);
    free(p->batches);
    free(p->queue);
    free(p->free_list);
    free(p->workers);
    p->batches = NULL;
    p->queue = p->free_list = NULL;
    p->workers = NULL;
}

/* The oldest batch waiting for analysis, or NULL. Call with mu held. */
static struct batch *next_queued(struct pipe *p)
{
    for (size_t i = 0; i < p->qn; i++) {
        struct batch *b = &p->batches[p->queue[(p->qhead + i) % p->nbatch]];
        if (b->state == B_QUEUED)
            return b;
    }
    return NULL;
}

/* An analysis thread: takes the oldest queued batch, analyses it outside
 * the lock, marks it ready for the writer. */
static void *pipe_analyst(void *arg)
{
    struct pipe *p = arg;
    struct analyzer *a = NULL;
    struct analysis res;
    struct err e = ERR_INIT;
    analysis_init(&res);
    /* never fails today; if it did, the batches this thread takes fail */
    if (analyzer_new(&a, p->cfg.langid, p->cfg.sentiment, p->cfg.themes, &e) <
        0)
        a = NULL;
    pthread_mutex_lock(&p->mu);
    for (;;) {
        struct batch *b = next_queued(p);
        if (!b) {
            if (p->done)
                break;
            pthread_cond_wait(&p->work, &p->mu);
            continue;
        }
        b->state = B_ANALYSING;
        /* After a failure batches are only passed on: the import will be
         * rolled back. */
        int skip = p->failed;
        pthread_mutex_unlock(&p->mu);
        if (!a) {
            b->failed = 1;
            err_set(&b->err, ERR_INTERNAL, "cannot start a text analyzer");
        } else if (!skip) {
            batch_analyze(b, &p->cfg, a, &res);
        }
        pthread_mutex_lock(&p->mu);
        b->state = B_READY;
        pthread_cond_signal(&p->ready);
    }
    pthread_mutex_unlock(&p->mu);
    analyzer_free(a);
    analysis_dispose(&res);
    return NULL;
}

/* The writer: stores the batches in file order as each becomes ready. */
static void *pipe_writer(void *arg)
{
    struct pipe *p = arg;
    pthread_mutex_lock(&p->mu);
    for (;;) {
        struct batch *b = p->qn ? &p->batches[p->queue[p->qhead]] : NULL;
        if (!b || b->state != B_READY) {
            if (!b && p->done)
                break;
            pthread_cond_wait(&p->ready, &p->mu);
            continue;
        }
        p->qhead = (p->qhead + 1) % p->nbatch;
        p->qn--;
        int skip = p->failed;
        p->busy = 1;
        pthread_mutex_unlock(&p->mu);

        struct import_counts n;
        memset(&n, 0, sizeof n);
        struct err e = ERR_INIT;
        int rc = 0;
        if (skip)
            rc = 0;
        else if (b->failed)
            rc = (e = b->err).code;
        else
            rc = batch_write(b, p->s, &n, &e);

        pthread_mutex_lock(&p->mu);
        p->wrote.inserted += n.inserted;
        p->wrote.present += n.present;
        if (!skip && rc == 0)
            p->wrote.redacted += b->redacted;
        if (rc < 0 && !p->failed) {
            p->failed = 1;
            p->err = e;
        }
        p->busy = 0;
        b->state = B_FREE;
        p->free_list[p->nfree++] = (size_t)(b - p->batches);
        pthread_cond_signal(&p->idle);
    }
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

/* The pipe's error, copied to err. Call with mu held, or after the
 * threads have stopped. */
static int pipe_error(const struct pipe *p, struct err *err)
{
    *err = p->err;
    return p->err.code;
}

/* Stops and joins the threads started so far. */
static void pipe_join(struct pipe *p, int writer)
{
    pthread_mutex_lock(&p->mu);
    p->done = 1;
    pthread_cond_broadcast(&p->work);
    pthread_cond_broadcast(&p->ready);
    pthread_mutex_unlock(&p->mu);
    for (int i = 0; i < p->nstarted; i++)
        pthread_join(p->workers[i], NULL);
    p->nstarted = 0;
    if (writer)
        pthread_join(p->writer, NULL);
}

int pipe_start(struct pipe *p)
{
    if (pthread_mutex_init(&p->mu, NULL) != 0)
        return -1;
    if (pthread_cond_init(&p->work, NULL) != 0)
        goto no_work;
    if (pthread_cond_init(&p->ready, NULL) != 0)
        goto no_ready;
    if (pthread_cond_init(&p->idle, NULL) != 0)
        goto no_idle;
    if (pthread_create(&p->writer, NULL, pipe_writer, p) != 0)
        goto no_writer;
    if (p->nworkers) {
        p->workers = xcalloc((size_t)p->nworkers, sizeof *p->workers);
        for (int i = 0; i < p->nworkers; i++) {
            if (pthread_create(&p->workers[i], NULL, pipe_analyst, p) != 0)
                break;
            p->nstarted++;
        }
        if (!p->nstarted) {
            /* no analysis thread: undo, and let the producer do it all */
            pthread_mutex_lock(&p->mu);
            p->done = 1;
            pthread_cond_broadcast(&p->ready);
            pthread_mutex_unlock(&p->mu);
            pthread_join(p->writer, NULL);
            p->done = 0;
            goto no_writer;
        }
    }
    p->running = 1;
    return 0;
no_writer:
    pthread_cond_destroy(&p->idle);
no_idle:
    pthread_cond_destroy(&p->ready);
no_ready:
    pthread_cond_destroy(&p->work);
no_work:
    pthread_mutex_destroy(&p->mu);
    return -1;
}

int pipe_push(struct pipe *p, struct batch **fill, struct err *err)
{
    int rc = 0;
    struct batch *b = *fill;
    pthread_mutex_lock(&p->mu);
    if (!p->failed) {
        /* with no analysis threads the producer has analysed it */
        b->state = p->nstarted && b->njobs ? B_QUEUED : B_READY;
        p->queue[(p->qhead + p->qn) % p->nbatch] = (size_t)(b - p->batches);
        p->qn++;
        if (b->state == B_QUEUED)
            pthread_cond_signal(&p->work);
        else
            pthread_cond_signal(&p->ready);
        /* The writer frees batches even after a failure, so this ends. */
        while (!p->nfree)
            pthread_cond_wait(&p->idle, &p->mu);
    }
    if (p->failed)
        rc = pipe_error(p, err);
    else
        *fill = &p->batches[p->free_list[--p->nfree]];
    pthread_mutex_unlock(&p->mu);
    if (rc == 0)
        batch_reset(*fill);
    return rc;
}

int pipe_drain(struct pipe *p, struct err *err)
{
    int rc = 0;
    if (!p->running)
        return 0;
    pthread_mutex_lock(&p->mu);
    while ((p->qn || p->busy) && !p->failed)
        pthread_cond_wait(&p->idle, &p->mu);
    if (p->failed)
        rc = pipe_error(p, err);
    pthread_mutex_unlock(&p->mu);
    return rc;
}

int pipe_stop(struct pipe *p, int rc, struct err *err)
{
    if (!p->running)
        return rc;
    pipe_join(p, 1);
    p->running = 0;
    pthread_cond_destroy(&p->idle);
    pthread_cond_destroy(&p->ready);
    pthread_cond_destroy(&p->work);
    pthread_mutex_destroy(&p->mu);
    if (p->failed)
        rc = pipe_error(p, err);
    return rc;
}
