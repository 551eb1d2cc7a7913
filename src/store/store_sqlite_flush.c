/* Getting the WAL to disk and into the database file: during a bulk
 * load, a flusher thread that asks the kernel every half second to put
 * what has been written to the WAL and the database file on disk; and
 * the checkpoint that copies the WAL into the database file.
 *
 * A big import writes gigabytes to the WAL before its commit, and the
 * commit's checkpoint writes them again to the database file; each ends
 * with an fsync that, left alone, waits for all of it at once (seconds at
 * 10M responses, with nothing else to do meanwhile). Syncing along the
 * way overlaps that disk time with the load and the checkpoint's copying.
 * It only moves writes earlier: SQLite still syncs where it must, so
 * durability is what it was. A file that cannot be opened is skipped.
 *
 * The database file's descriptor is the store's (sqs_flusher_start takes
 * it, sq_close closes it after SQLite has let go of the file): closing
 * any descriptor of a file drops every POSIX lock the process holds on
 * it, SQLite's included, so one must never be closed while SQLite has the
 * database open. The WAL carries no locks; its descriptor is the
 * flusher's. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/err.h"
#include "core/xalloc.h"
#include "store/store_sqlite_int.h"

#define FLUSH_EVERY_MS 500

struct flusher {
    char *wal_path;
    int db_fd;  /* borrowed from the store */
    int wal_fd; /* the flusher's, or -1 */
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t wake;
    int stop;
};

static void sync_files(struct flusher *f)
{
    /* the WAL may not exist yet when the load begins */
    if (f->wal_fd < 0)
        f->wal_fd = open(f->wal_path, O_RDONLY | O_CLOEXEC);
    if (f->wal_fd >= 0)
        (void)fdatasync(f->wal_fd);
    if (f->db_fd >= 0)
        (void)fdatasync(f->db_fd);
}

static void *flusher_main(void *arg)
{
    struct flusher *f = arg;
    struct timespec at;
    pthread_mutex_lock(&f->mu);
    while (!f->stop) {
        clock_gettime(CLOCK_MONOTONIC, &at);
        at.tv_nsec += FLUSH_EVERY_MS * 1000000L;
        at.tv_sec += at.tv_nsec / 1000000000L;
        at.tv_nsec %= 1000000000L;
        while (!f->stop &&
               pthread_cond_timedwait(&f->wake, &f->mu, &at) != ETIMEDOUT)
            ;
        if (f->stop)
            break;
        pthread_mutex_unlock(&f->mu);
        sync_files(f);
        pthread_mutex_lock(&f->mu);
    }
    pthread_mutex_unlock(&f->mu);
    return NULL;
}

struct flusher *sqs_flusher_start(const char *db_path, int db_fd)
{
    struct flusher *f;
    pthread_condattr_t ca;
    if (!db_path)
        return NULL;
    f = xcalloc(1, sizeof *f);
    f->wal_path = xmalloc(strlen(db_path) + 5);
    sprintf(f->wal_path, "%s-wal", db_path);
    f->db_fd = db_fd;
    f->wal_fd = -1;
    if (pthread_condattr_init(&ca) != 0)
        goto no_attr;
    if (pthread_condattr_setclock(&ca, CLOCK_MONOTONIC) != 0 ||
        pthread_cond_init(&f->wake, &ca) != 0)
        goto no_cond;
    if (pthread_mutex_init(&f->mu, NULL) != 0)
        goto no_mutex;
    if (pthread_create(&f->thread, NULL, flusher_main, f) != 0)
        goto no_thread;
    pthread_condattr_destroy(&ca);
    return f;
no_thread:
    pthread_mutex_destroy(&f->mu);
no_mutex:
    pthread_cond_destroy(&f->wake);
no_cond:
    pthread_condattr_destroy(&ca);
no_attr:
    free(f->wal_path);
    free(f);
    return NULL; /* no flusher: the load is only slower at the end */
}

void sqs_flusher_stop(struct flusher *f)
{
    if (!f)
        return;
    pthread_mutex_lock(&f->mu);
    f->stop = 1;
    pthread_cond_signal(&f->wake);
    pthread_mutex_unlock(&f->mu);
    pthread_join(f->thread, NULL);
    pthread_mutex_destroy(&f->mu);
    pthread_cond_destroy(&f->wake);
    if (f->wal_fd >= 0)
        close(f->wal_fd);
    free(f->wal_path);
    free(f);
}

/* ---- the checkpoint ---- */

/* WAL size from which a checkpoint syncs along the way. */
#define FLUSH_FROM ((int64_t)64 << 20)

int64_t sqs_pending_bytes(void *impl)
{
    struct sqlite_store *st = impl;
    struct stat sb;
    if (!st->path)
        return 0;
    size_t n = strlen(st->path);
    char *wal = xmalloc(n + 5);
    memcpy(wal, st->path, n);
    memcpy(wal + n, "-wal", 5);
    int64_t bytes = stat(wal, &sb) == 0 ? (int64_t)sb.st_size : 0;
    free(wal);
    return bytes;
}

int sqs_checkpoint(void *impl, struct err *err)
{
    struct sqlite_store *st = impl;
    int log = 0, done = 0;
    struct flusher *fl = NULL;
    sqs_read_end(st);
    /* A big copy gets the flusher too, so the sync at its end finds
     * little left to write (the descriptor is the store's: see above). */
    if (st->path && sqs_pending_bytes(st) >= FLUSH_FROM) {
        if (st->db_fd < 0)
            st->db_fd = open(st->path, O_RDONLY | O_CLOEXEC);
        fl = sqs_flusher_start(st->path, st->db_fd);
    }
    /* TRUNCATE: copy every frame, wait for readers of the WAL (busy
     * timeout), then cut the file to nothing, giving its space back.
     * Another connection's checkpoint in progress (the server's passive
     * ones) is not waited for by SQLite: it answers BUSY at once, with
     * no page counts. That one is waited for here, up to the busy
     * timeout. */
    int rc;
    for (long waited = 0;; waited += 20) {
        rc = sqlite3_wal_checkpoint_v2(st->db, NULL, SQLITE_CHECKPOINT_TRUNCATE,
                                       &log, &done);
        if (rc != SQLITE_BUSY || log != -1 || waited >= st->busy_ms)
            break;
        usleep(20000);
    }
    sqs_flusher_stop(fl);
    if (rc == SQLITE_BUSY)
        return err_set(err, ERR_DB,
                       "checkpoint: readers kept the log busy (%d of %d "
                       "pages copied); the next checkpoint copies the rest",
                       done, log);
    if (rc != SQLITE_OK)
        return sqs_error(st, err, "checkpoint");
    return 0;
}

int sqs_checkpoint_passive(void *impl, int restart, struct err *err)
{
    struct sqlite_store *st = impl;
    int log = 0, done = 0;
    sqs_read_end(st);
    int rc = sqlite3_wal_checkpoint_v2(st->db, NULL, SQLITE_CHECKPOINT_PASSIVE,
                                       &log, &done);
    if (rc != SQLITE_OK && rc != SQLITE_BUSY)
        return sqs_error(st, err, "checkpoint");
    if (!restart)
        return 0;
    /* RESTART copies what came meanwhile (little) with writers held back
     * and waits for readers, so the next writer starts the log over;
     * unlike TRUNCATE it does not cut the file, which costs a journal
     * commit of the file system. */
    rc = sqlite3_wal_checkpoint_v2(st->db, NULL, SQLITE_CHECKPOINT_RESTART,
                                   &log, &done);
    if (rc != SQLITE_OK && rc != SQLITE_BUSY)
        return sqs_error(st, err, "checkpoint");
    return 0;
}

void sqs_set_autocheckpoint(void *impl, int pages)
{
    struct sqlite_store *st = impl;
    sqlite3_wal_autocheckpoint(st->db, pages);
}
