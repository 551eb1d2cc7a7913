#pragma once
/* Durable ingest: submissions queue up, one writer thread commits them
 * together (a group commit: one transaction and one fsync for all that
 * arrived meanwhile), and only then is each one told it is done. A
 * submission whose ext_id (its client token) is stored already is a
 * retry: acknowledged as a duplicate, not stored twice. */

#include "core/err.h"
#include "store/model.h"

struct ingest;
struct stats;

struct ingest_item {
    struct response r;    /* ids resolved, texts redacted and analysed */
    const char *customer; /* ext_id or NULL: a customer made if unknown */
    const char *employee; /* ext_id or NULL: an employee made if unknown */
    /* set before done is called */
    int rc; /* 0, or the error (err says why) */
    struct err err;
    int duplicate; /* 1: already stored by an earlier try */
    /* Called on the writer thread once the outcome is durable; it may
     * free the item. */
    void (*done)(struct ingest_item *it);
    void *ctx;
    struct ingest_item *next; /* the queue's */
};

/* Opens its own handle on db. committed(ctx, cases) is called after
 * every commit that stored something (the column store catches up),
 * with the cases the loop's rules opened in it (notifications wait). */
int ingest_new(struct ingest **out, const char *db, int batch_max,
               struct stats *st, void (*committed)(void *ctx, long cases),
               void *ctx, struct err *err);
void ingest_submit(struct ingest *g, struct ingest_item *it);
/* Submissions waiting. */
long ingest_queued(struct ingest *g);
/* Commits what is queued, stops the writer, frees g. */
void ingest_free(struct ingest *g);
