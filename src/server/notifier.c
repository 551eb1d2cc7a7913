#include "server/notifier.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/err.h"
#include "core/xalloc.h"
#include "loop/loop.h"
#include "loop/mail.h"
#include "loop/webhook.h"
#include "server/errlog.h"
#include "store/store.h"
#include "store/store_loop.h"

#define APPLY_TICK_MS 200
#define SEND_TICK_MS 500
#define RELOAD_EVERY_S 1
#define SEND_BATCH 100

/* One thread: its handle, its copy of the loop document, its wake-up. */
struct worker {
    struct notifier *n;
    struct store *s;
    struct loop *loop; /* NULL while none is loaded */
    time_t checked;    /* when the document was last looked for */
    pthread_t thread;
    int started;
    int poked;
    long tick_ms;
};

struct notifier {
    struct worker apply, send;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int stop;
    struct mail_server mail;
    char *strs[5]; /* the mail settings' copies, the base URL */
    int have_mail;
};

/* Reloads the loop document when another was stored. */
static void refresh(struct worker *w)
{
    time_t now = time(NULL);
    if (w->loop && now - w->checked < RELOAD_EVERY_S)
        return;
    if (!w->loop && now == w->checked)
        return;
    w->checked = now;
    char *json = NULL;
    int64_t id = 0;
    struct err err = ERR_INIT;
    int rc = store_get_rules(w->s, &json, &id, &err);
    store_read_end(w->s);
    if (rc == ERR_NOTFOUND)
        return;
    if (rc < 0) {
        errlog("loop", &err);
        return;
    }
    if (!w->loop || loop_id(w->loop) != id) {
        struct loop *l = NULL;
        if (loop_load(&l, w->s, &err) < 0) {
            errlog("loop", &err);
        } else {
            loop_default_base_url(l, w->n->strs[4]);
            loop_free(w->loop);
            w->loop = l;
        }
        store_read_end(w->s);
    }
    free(json);
}

/* Waits for a poke, the stop or the tick; 1 when stopping. */
static int wait_tick(struct worker *w)
{
    struct notifier *n = w->n;
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_nsec += w->tick_ms * 1000000L;
    while (until.tv_nsec >= 1000000000L) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&n->mu);
    while (!n->stop && !w->poked &&
           pthread_cond_timedwait(&n->cv, &n->mu, &until) != ETIMEDOUT)
        ;
    w->poked = 0;
    int stop = n->stop;
    pthread_mutex_unlock(&n->mu);
    return stop;
}

static void poke(struct worker *w)
{
    pthread_mutex_lock(&w->n->mu);
    w->poked = 1;
    pthread_cond_broadcast(&w->n->cv);
    pthread_mutex_unlock(&w->n->mu);
}

static void *applier(void *arg)
{
    struct worker *w = arg;
    do {
        struct err err = ERR_INIT;
        struct loop_applied a;
        long escalated = 0;
        refresh(w);
        if (!w->loop)
            continue;
        int64_t now = (int64_t)time(NULL);
        if (loop_apply(w->s, w->loop, now, &a, &err) < 0)
            errlog("loop apply", &err);
        else if (loop_sweep(w->s, w->loop, now, &escalated, &err) < 0)
            errlog("loop escalation", &err);
        store_read_end(w->s);
        if (a.opened || escalated)
            poke(&w->n->send);
    } while (!wait_tick(w));
    return NULL;
}

static void *sender(void *arg)
{
    struct worker *w = arg;
    do {
        struct err err = ERR_INIT;
        struct loop_delivery d;
        refresh(w);
        if (!w->loop)
            continue;
        do { /* a full batch: there may be more */
            if (loop_deliver(w->s, w->loop,
                             w->n->have_mail ? &w->n->mail : NULL,
                             (int64_t)time(NULL), SEND_BATCH, &d, &err) < 0) {
                errlog("notifications", &err);
                break;
            }
            store_read_end(w->s);
        } while (d.sent + d.retried + d.dead >= SEND_BATCH);
    } while (!wait_tick(w));
    return NULL;
}

static char *dup_or_null(const char *s)
{
    return s && *s ? xstrdup(s) : NULL;
}

static int start_worker(struct notifier *n, struct worker *w, const char *db,
                        long tick_ms, void *(*fn)(void *), const char *what,
                        struct err *err)
{
    int rc;
    w->n = n;
    w->tick_ms = tick_ms;
    if ((rc = store_open(&w->s, db, err)) < 0)
        return rc;
    store_set_activity(w->s, what);
    store_set_busy_timeout(w->s, 5000);
    if (pthread_create(&w->thread, NULL, fn, w) != 0)
        return err_set(err, ERR_INTERNAL, "cannot start the %s thread", what);
    w->started = 1;
    return 0;
}

static void stop_worker(struct worker *w)
{
    if (w->started)
        pthread_join(w->thread, NULL);
    loop_free(w->loop);
    store_free(w->s);
}

int notifier_start(struct notifier **out, const char *db,
                   const struct mail_server *mail, const char *base_url,
                   struct err *err)
{
    struct notifier *n = xcalloc(1, sizeof *n);
    int rc;
    *out = NULL;
    pthread_mutex_init(&n->mu, NULL);
    pthread_cond_init(&n->cv, NULL);
    if (webhook_global_init() < 0 || mail_global_init() < 0) {
        notifier_stop(n);
        return err_set(err, ERR_INTERNAL, "cannot start libcurl");
    }
    if (mail && mail->url && *mail->url) {
        n->have_mail = 1;
        n->mail = *mail;
        n->mail.url = n->strs[0] = dup_or_null(mail->url);
        n->mail.user = n->strs[1] = dup_or_null(mail->user);
        n->mail.password = n->strs[2] = dup_or_null(mail->password);
        n->mail.from = n->strs[3] = dup_or_null(mail->from);
    }
    n->strs[4] = dup_or_null(base_url);
    if ((rc = start_worker(n, &n->apply, db, APPLY_TICK_MS, applier,
                           "resonans serve (closed loop)", err)) < 0 ||
        (rc = start_worker(n, &n->send, db, SEND_TICK_MS, sender,
                           "resonans serve (notifications)", err)) < 0) {
        notifier_stop(n);
        return rc;
    }
    *out = n;
    return 0;
}

void notifier_poke(struct notifier *n)
{
    if (!n)
        return;
    poke(&n->apply);
    poke(&n->send);
}

void notifier_send(struct notifier *n)
{
    if (n)
        poke(&n->send);
}

void notifier_stop(struct notifier *n)
{
    if (!n)
        return;
    pthread_mutex_lock(&n->mu);
    n->stop = 1;
    pthread_cond_broadcast(&n->cv);
    pthread_mutex_unlock(&n->mu);
    stop_worker(&n->apply);
    stop_worker(&n->send);
    for (size_t i = 0; i < sizeof n->strs / sizeof *n->strs; i++)
        free(n->strs[i]);
    pthread_cond_destroy(&n->cv);
    pthread_mutex_destroy(&n->mu);
    free(n);
}
