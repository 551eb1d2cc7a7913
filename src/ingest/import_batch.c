/* Batches of validated responses and the thread that writes them
 * (import_int.h explains the pipeline). */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/xalloc.h"
#include "ingest/import_int.h"
#include "store/store.h"

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
}

void batch_dispose(struct batch *b)
{
    batch_free_chunks(b);
    free(b->rows);
    memset(b, 0, sizeof *b);
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
    for (size_t i = 0; i < b->n; i++) {
        int rc, inserted;
        if ((rc = store_put_response(s, &b->rows[i], &inserted, err)) < 0)
            return rc;
        if (inserted)
            n->inserted++;
        else
            n->present++;
    }
    return 0;
}

static void *pipe_consumer(void *arg)
{
    struct pipe *p = arg;
    pthread_mutex_lock(&p->mu);
    for (;;) {
        while (!p->qn && !p->done)
            pthread_cond_wait(&p->work, &p->mu);
        if (!p->qn)
            break;
        struct batch *b = p->queue[p->qhead];
        p->qhead = (p->qhead + 1) % NBATCH;
        p->qn--;
        /* After a failure batches are only recycled: the import will be
         * rolled back, and the producer must not wait for a free one. */
        int skip = p->failed;
        p->busy = 1;
        pthread_mutex_unlock(&p->mu);

        struct import_counts n;
        memset(&n, 0, sizeof n);
        struct err e = ERR_INIT;
        int rc = skip ? 0 : batch_write(b, p->s, &n, &e);

        pthread_mutex_lock(&p->mu);
        p->wrote.inserted += n.inserted;
        p->wrote.present += n.present;
        if (rc < 0) {
            p->failed = 1;
            p->err = e;
        }
        p->busy = 0;
        p->free_list[p->nfree++] = b;
        pthread_cond_signal(&p->idle);
    }
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

/* The consumer's error, copied to err. Call with mu held, or after the
 * consumer has stopped. */
static int pipe_error(const struct pipe *p, struct err *err)
{
    *err = p->err;
    return p->err.code;
}

int pipe_start(struct pipe *p)
{
    if (pthread_mutex_init(&p->mu, NULL) != 0)
        return -1;
    if (pthread_cond_init(&p->work, NULL) != 0)
        goto no_work;
    if (pthread_cond_init(&p->idle, NULL) != 0)
        goto no_idle;
    if (pthread_create(&p->thread, NULL, pipe_consumer, p) != 0)
        goto no_thread;
    p->running = 1;
    return 0;
no_thread:
    pthread_cond_destroy(&p->idle);
no_idle:
    pthread_cond_destroy(&p->work);
no_work:
    pthread_mutex_destroy(&p->mu);
    return -1;
}

int pipe_push(struct pipe *p, struct batch **fill, struct err *err)
{
    int rc = 0;
    pthread_mutex_lock(&p->mu);
    if (!p->failed) {
        p->queue[(p->qhead + p->qn) % NBATCH] = *fill;
        p->qn++;
        pthread_cond_signal(&p->work);
        /* The consumer frees batches even after failing, so this ends. */
        while (!p->nfree)
            pthread_cond_wait(&p->idle, &p->mu);
    }
    if (p->failed)
        rc = pipe_error(p, err);
    else
        *fill = p->free_list[--p->nfree];
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
    pthread_mutex_lock(&p->mu);
    p->done = 1;
    pthread_cond_signal(&p->work);
    pthread_mutex_unlock(&p->mu);
    pthread_join(p->thread, NULL);
    p->running = 0;
    pthread_cond_destroy(&p->idle);
    pthread_cond_destroy(&p->work);
    pthread_mutex_destroy(&p->mu);
    if (p->failed)
        rc = pipe_error(p, err);
    return rc;
}
