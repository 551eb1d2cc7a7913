#include "server/janitor.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "core/err.h"
#include "core/xalloc.h"
#include "server/errlog.h"
#include "store/store.h"

/* The log is copied once it holds this much. */
#define CHECKPOINT_FROM ((int64_t)4 << 20)
#define RETENTION_EVERY_S 3600
/* How often it looks at the log. */
#define TICK_MS 200

struct janitor {
    struct store *s;
    long retention_days;
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int stop;
};

static void expire(struct janitor *j)
{
    struct err err = ERR_INIT;
    int64_t n = 0; /* audited with the count by the store */
    int64_t before = (int64_t)time(NULL) - (int64_t)j->retention_days * 86400;
    if (store_expire_comments(j->s, before, "resonans serve (retention)", &n,
                              &err) < 0)
        errlog("retention", &err);
}

static void *run(void *arg)
{
    struct janitor *j = arg;
    time_t last_expiry = 0;
    for (;;) {
        struct err err = ERR_INIT;
        if (j->retention_days > 0 &&
            time(NULL) - last_expiry >= RETENTION_EVERY_S) {
            expire(j);
            last_expiry = time(NULL);
        }
        if (store_pending_bytes(j->s) >= CHECKPOINT_FROM &&
            store_checkpoint_passive(j->s, 0, &err) < 0)
            errlog("checkpoint", &err);
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_nsec += TICK_MS * 1000000L;
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
        pthread_mutex_lock(&j->mu);
        while (!j->stop &&
               pthread_cond_timedwait(&j->cv, &j->mu, &until) != ETIMEDOUT)
            ;
        int stop = j->stop;
        pthread_mutex_unlock(&j->mu);
        if (stop)
            break;
    }
    return NULL;
}

int janitor_start(struct janitor **out, const char *db, long retention_days,
                  struct err *err)
{
    struct janitor *j = xcalloc(1, sizeof *j);
    int rc;
    *out = NULL;
    if ((rc = store_open(&j->s, db, err)) < 0) {
        free(j);
        return rc;
    }
    store_set_activity(j->s, "resonans serve (housekeeping)");
    j->retention_days = retention_days;
    pthread_mutex_init(&j->mu, NULL);
    pthread_cond_init(&j->cv, NULL);
    if (pthread_create(&j->thread, NULL, run, j) != 0) {
        store_free(j->s);
        free(j);
        return err_set(err, ERR_INTERNAL, "cannot start a thread");
    }
    *out = j;
    return 0;
}

void janitor_stop(struct janitor *j)
{
    if (!j)
        return;
    pthread_mutex_lock(&j->mu);
    j->stop = 1;
    pthread_cond_signal(&j->cv);
    pthread_mutex_unlock(&j->mu);
    pthread_join(j->thread, NULL);
    pthread_mutex_destroy(&j->mu);
    pthread_cond_destroy(&j->cv);
    store_free(j->s);
    free(j);
}
