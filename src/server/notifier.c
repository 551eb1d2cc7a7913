#include "server/notifier.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/err.h"
#include "core/strbuf.h"
#include "core/tzfile.h"
#include "core/xalloc.h"
#include "loop/loop.h"
#include "loop/mail.h"
#include "loop/webhook.h"
#include "report/digest.h"
#include "report/result.h"
#include "server/errlog.h"
#include "server/resident.h"
#include "store/store.h"
#include "store/store_loop.h"

#define APPLY_TICK_MS 200
#define SEND_TICK_MS 500
#define RELOAD_EVERY_S 1
#define SEND_BATCH 100
#define DIGEST_RETRY_S 300 /* after a digest failed to build or queue */

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
    /* the weekly digest; the applier's alone */
    char *digest_to; /* NULL = none */
    int digest_day, digest_hour;
    struct resident *res;
    struct tz *tz;        /* Europe/Stockholm */
    int64_t digest_last;  /* when the last one was queued, as known */
    int digest_known;     /* digest_last was read from the store */
    int64_t digest_retry; /* no try before this, after a failure */
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

/* Queues one e-mail per address of digest_to, in one transaction, if
 * no other digest was queued since slot in the meantime (another
 * process). 1 when queued. */
static int digest_queue(struct worker *w, int64_t slot, int64_t now,
                        const struct strbuf *subject, const struct strbuf *text,
                        struct err *err)
{
    struct notifier *n = w->n;
    int64_t last = 0;
    int rc, queued = 0;
    if ((rc = store_begin(w->s, err)) < 0)
        return rc;
    if ((rc = store_outbox_last(w->s, DIGEST_EVENT, &last, err)) == 0 &&
        last < slot) {
        for (const char *p = n->digest_to; rc == 0 && *p;) {
            size_t len = strcspn(p, ",");
            char *to = xmalloc(len + 1);
            memcpy(to, p, len);
            to[len] = 0;
            struct outbox_msg m;
            memset(&m, 0, sizeof m);
            m.kind = "email";
            m.target = to;
            m.event = DIGEST_EVENT;
            m.payload = strbuf_str(text);
            m.subject = strbuf_str(subject);
            m.created = m.next_at = now;
            if (len)
                rc = store_put_outbox(w->s, &m, err);
            free(to);
            p += len;
            if (*p == ',')
                p++;
        }
        queued = 1;
    }
    if (rc < 0) {
        store_rollback(w->s);
        return rc;
    }
    if ((rc = store_commit(w->s, err)) < 0)
        return rc;
    n->digest_last = queued ? now : last;
    return queued;
}

/* The weekly digest, when it is due: built on the resident column store
 * for the week ending the day before its slot, and queued. */
static void digest_tick(struct worker *w)
{
    struct notifier *n = w->n;
    struct err err = ERR_INIT;
    struct result *r = NULL;
    struct strbuf subject = STRBUF_INIT, text = STRBUF_INIT;
    int64_t now = (int64_t)time(NULL);
    if (!n->digest_to || now < n->digest_retry ||
        (n->digest_known && !digest_due(now, n->tz, n->digest_day,
                                        n->digest_hour, n->digest_last)))
        return;
    /* due by what this thread knows: ask the store, which another
     * process may have queued it to */
    int64_t last = 0;
    int rc = store_outbox_last(w->s, DIGEST_EVENT, &last, &err);
    store_read_end(w->s);
    if (rc < 0)
        goto fail;
    n->digest_last = last;
    n->digest_known = 1;
    int64_t slot = digest_due(now, n->tz, n->digest_day, n->digest_hour, last);
    if (!slot)
        return;
    struct colstore *cs = resident_lock(n->res);
    rc = digest_build(&r, cs, NULL, digest_week_ending(slot, n->tz), &err);
    resident_unlock(n->res);
    if (rc < 0)
        goto fail;
    if (digest_email(&subject, &text, r, 1) < 0) {
        err_set(&err, ERR_INTERNAL, "cannot write the digest's e-mail");
        goto fail;
    }
    if ((rc = digest_queue(w, slot, now, &subject, &text, &err)) < 0)
        goto fail;
    if (rc == 1)
        poke(&n->send);
    goto done;
fail:
    errlog("weekly digest", &err);
    n->digest_retry = now + DIGEST_RETRY_S;
done:
    strbuf_dispose(&subject);
    strbuf_dispose(&text);
    result_free(r);
}

static void *applier(void *arg)
{
    struct worker *w = arg;
    do {
        struct err err = ERR_INIT;
        struct loop_applied a;
        long escalated = 0;
        refresh(w);
        digest_tick(w);
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
        /* without a document only e-mail goes (loop_deliver) */
        if (!w->loop && !w->n->have_mail)
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
                   const struct notifier_digest *digest, struct err *err)
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
    if (digest && digest->to && *digest->to && digest->res) {
        n->digest_to = xstrdup(digest->to);
        n->digest_day = digest->weekday;
        n->digest_hour = digest->hour;
        n->res = digest->res;
        if ((rc = tz_load(&n->tz, "Europe/Stockholm", NULL, err)) < 0) {
            notifier_stop(n);
            return rc;
        }
    }
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
    free(n->digest_to);
    tz_free(n->tz);
    pthread_cond_destroy(&n->cv);
    pthread_mutex_destroy(&n->mu);
    free(n);
}
