/* Notifications (loop.h): queued in the outbox in the transaction that
 * made their reason, then delivered by loop_deliver outside any
 * transaction and retried with doubling back-off until delivered or
 * dead. Delivery is at least once: a receiver tells a repeat by the
 * payload's "delivery" id. */
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/strbuf.h"
#include "core/xalloc.h"
#include "loop/loop_int.h"
#include "loop/mail.h"
#include "loop/webhook.h"
#include "store/store.h"
#include "store/store_loop.h"

#define BACKOFF_CAP ((int64_t)6 * 3600)

static const char *prio_sv(int p)
{
    static const char *const n[] = {"låg", "normal", "hög", "akut"};
    return p >= 0 && p <= 3 ? n[p] : "?";
}

static const char *event_sv(const char *event)
{
    if (!strcmp(event, "case.opened"))
        return "Nytt ärende";
    if (!strcmp(event, "case.assigned"))
        return "Ärende till ert team";
    if (!strcmp(event, "case.escalated"))
        return "Eskalerat ärende";
    if (!strcmp(event, "case.resolved"))
        return "Löst ärende";
    return "Ärende";
}

static json_t *case_json(const struct loop_case *c)
{
    json_t *v = json_pack(
        "{s:I, s:s, s:s, s:s, s:s, s:I, s:I, s:i}", "id", (json_int_t)c->id,
        "rule", c->rule ? c->rule : "", "team", c->team ? c->team : "",
        "priority", case_priority_name((enum case_priority)c->priority),
        "status", case_status_name(c->status), "opened", (json_int_t)c->opened,
        "due", (json_int_t)c->due, "escalation", c->escalation);
    if (c->touchpoint)
        json_object_set_new(v, "touchpoint", json_string(c->touchpoint));
    if (c->customer)
        json_object_set_new(v, "customer", json_string(c->customer));
    if (c->theme)
        json_object_set_new(v, "theme", json_string(c->theme));
    if (c->assignee)
        json_object_set_new(v, "assignee", json_string(c->assignee));
    return v;
}

static char *case_url(const struct loop *l, int64_t id)
{
    struct strbuf b = STRBUF_INIT;
    strbuf_printf(&b, "%s/api/cases/%lld", l->base_url ? l->base_url : "",
                  (long long)id);
    return strbuf_detach(&b, NULL);
}

static int queue(struct store *s, const char *kind, const char *target,
                 const char *event, const char *payload, const char *subject,
                 int64_t case_id, int64_t now, int64_t at, struct err *err)
{
    struct outbox_msg m;
    memset(&m, 0, sizeof m);
    m.case_id = case_id;
    m.kind = kind;
    m.target = target;
    m.event = event;
    m.payload = payload;
    m.subject = subject;
    m.created = now;
    m.next_at = at;
    return store_put_outbox(s, &m, err);
}

int loop_notify(struct store *s, const struct loop *l, const char *event,
                const struct loop_case *c, const char *team, const char *why,
                int64_t now, struct err *err)
{
    unsigned bit = loop_event_bit(event);
    unsigned char rnd[12];
    char delivery[sizeof rnd * 2 + 1];
    char *url = case_url(l, c->id);
    int rc = 0;
    randombytes_buf(rnd, sizeof rnd);
    sodium_bin2hex(delivery, sizeof delivery, rnd, sizeof rnd);

    json_t *body = json_pack("{s:s, s:s, s:I, s:o, s:s}", "event", event,
                             "delivery", delivery, "at", (json_int_t)now,
                             "case", case_json(c), "url", url);
    if (why)
        json_object_set_new(body, "why", json_string(why));
    char *payload = json_dumps(body, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(body);

    char title[256], text[1024];
    snprintf(title, sizeof title, "%s #%lld: %s (%s)", event_sv(event),
             (long long)c->id, why ? why : c->rule, prio_sv(c->priority));
    snprintf(text, sizeof text,
             "Kontaktpunkt: %s\nTeam: %s\nTema: %s\nDeadline (UTC): %lld\n",
             c->touchpoint ? c->touchpoint : "?", c->team,
             c->theme ? c->theme : "-", (long long)c->due);

    for (size_t i = 0; rc == 0 && i < l->n_hooks; i++) {
        const struct loop_hook *h = &l->hooks[i];
        if (!(h->events & bit))
            continue;
        if (h->chat) {
            char *chat = webhook_chat_payload(title, text, url);
            rc = queue(s, "chat", h->url, event, chat, NULL, c->id, now, now,
                       err);
            free(chat);
        } else {
            rc = queue(s, "webhook", h->url, event, payload, NULL, c->id, now,
                       now, err);
        }
    }
    const struct loop_team *t = loop_team(l, team ? team : c->team);
    int64_t at = l->digest ? (now / l->digest_s + 1) * l->digest_s : now;
    struct strbuf mail = STRBUF_INIT;
    strbuf_printf(&mail, "%s\n\n%s\n%s\n", title, text, url);
    for (int i = 0; rc == 0 && t && i < t->n_email; i++)
        rc = queue(s, "email", t->email[i], event, mail.p, title, c->id, now,
                   at, err);
    strbuf_dispose(&mail);
    free(payload);
    free(url);
    return rc;
}

/* ---- delivery ---- */

struct msg {
    struct outbox_msg m;
    char *kind, *target, *event, *payload, *subject;
    char why[300]; /* the try's error, m.last_error points here */
    int tried;     /* the outcome is to be written */
};

struct batch {
    struct msg *v;
    size_t n, cap;
};

static char *dup_or_null(const char *s)
{
    return s ? xstrdup(s) : NULL;
}

static int collect(void *ctx, const struct outbox_msg *m)
{
    struct batch *b = ctx;
    if (b->n == b->cap) {
        b->cap = b->cap ? b->cap * 2 : 32;
        b->v = xrealloc(b->v, b->cap * sizeof *b->v);
    }
    struct msg *w = &b->v[b->n++];
    memset(w, 0, sizeof *w);
    w->m = *m;
    w->m.kind = w->kind = xstrdup(m->kind);
    w->m.target = w->target = xstrdup(m->target);
    w->m.event = w->event = xstrdup(m->event);
    w->m.payload = w->payload = xstrdup(m->payload);
    w->m.subject = w->subject = dup_or_null(m->subject);
    w->m.last_error = NULL;
    return 0;
}

static void batch_free(struct batch *b)
{
    for (size_t i = 0; i < b->n; i++) {
        free(b->v[i].kind);
        free(b->v[i].target);
        free(b->v[i].event);
        free(b->v[i].payload);
        free(b->v[i].subject);
    }
    free(b->v);
}

/* The outcome of a try of w, in memory; loop_deliver writes them all in
 * one transaction. */
static void settle(const struct loop *l, struct msg *w, int ok, const char *why,
                   int64_t now, struct loop_delivery *out)
{
    struct outbox_msg *m = &w->m;
    w->tried = 1;
    m->attempts++;
    snprintf(w->why, sizeof w->why, "%s", ok ? "" : why);
    m->last_error = ok ? NULL : w->why;
    if (ok) {
        m->state = OUTBOX_SENT;
        m->sent_at = now;
        out->sent++;
    } else if (m->attempts >= l->max_attempts) {
        m->state = OUTBOX_DEAD;
        out->dead++;
    } else {
        int64_t wait = l->retry_s;
        for (int k = 1; k < m->attempts && wait < BACKOFF_CAP; k++)
            wait *= 2;
        m->next_at = now + (wait < BACKOFF_CAP ? wait : BACKOFF_CAP);
        out->retried++;
    }
}

static const struct loop_hook *hook_for(const struct loop *l, const char *url,
                                        int chat)
{
    for (size_t i = 0; i < l->n_hooks; i++)
        if (l->hooks[i].chat == chat && !strcmp(l->hooks[i].url, url))
            return &l->hooks[i];
    return NULL;
}

static void send_hook(const struct loop *l, struct msg *w, int64_t now,
                      struct loop_delivery *out)
{
    int chat = !strcmp(w->kind, "chat");
    const struct loop_hook *h = hook_for(l, w->target, chat);
    struct webhook_result res;
    char why[300];
    if (!h) {
        settle(l, w, 0, "the hook is no longer in the loop document", now, out);
        return;
    }
    int ok =
        webhook_post(w->target, h->secret, now, w->payload, strlen(w->payload),
                     "application/json", 10000, &res) == 0;
    if (!ok) {
        if (res.status)
            snprintf(why, sizeof why, "HTTP %ld", res.status);
        else
            snprintf(why, sizeof why, "%s", res.error);
    }
    settle(l, w, ok, why, now, out);
}

/* Sends v[0..n), e-mails to one address: one message (a digest when
 * there are several). */
static void send_mail(const struct loop *l, const struct mail_server *mail,
                      struct msg *v, size_t n, int64_t now,
                      struct loop_delivery *out)
{
    struct strbuf subj = STRBUF_INIT, text = STRBUF_INIT;
    const char *to[1] = {v[0].target};
    struct err e = ERR_INIT;
    if (n == 1) {
        strbuf_puts(&subj, v[0].subject ? v[0].subject : "Resonans");
        strbuf_puts(&text, v[0].payload);
    } else {
        strbuf_printf(&subj, "Resonans: %zu ärenden", n);
        for (size_t i = 0; i < n; i++)
            strbuf_printf(&text, "%s%s", i ? "\n----\n\n" : "", v[i].payload);
    }
    struct mail_message m = {to, 1, subj.p, text.p};
    int ok = mail_send(mail, &m, now, &e) == 0;
    for (size_t i = 0; i < n; i++)
        settle(l, &v[i], ok, e.msg, now, out);
    strbuf_dispose(&subj);
    strbuf_dispose(&text);
}

static int by_target(const void *a, const void *b)
{
    const struct msg *x = a, *y = b;
    int c = strcmp(x->target, y->target);
    return c ? c : (x->m.id > y->m.id) - (x->m.id < y->m.id);
}

/* Writes the outcomes of the tries, in one transaction: one write for a
 * whole batch keeps the writer of submissions from waiting on each. */
static int record(struct store *s, struct batch *b, struct err *err)
{
    int rc = store_begin(s, err);
    for (size_t i = 0; rc == 0 && i < b->n; i++)
        if (b->v[i].tried)
            rc = store_update_outbox(s, &b->v[i].m, err);
    if (rc < 0) {
        store_rollback(s);
        return rc;
    }
    return store_commit(s, err);
}

int loop_deliver(struct store *s, const struct loop *l,
                 const struct mail_server *mail, int64_t now, long limit,
                 struct loop_delivery *out, struct err *err)
{
    struct batch b;
    int rc;
    memset(out, 0, sizeof *out);
    memset(&b, 0, sizeof b);
    /* a kind at a time, each up to limit; without a mail server e-mail
     * waits, pending and untried; without a document webhooks and chat
     * wait (their secrets are in it), e-mail goes with the defaults */
    static const char *const kinds[] = {"webhook", "chat", "email"};
    int k0 = l ? 0 : 2;
    if (!l)
        l = loop_defaults();
    for (int k = k0; k < (mail ? 3 : 2); k++)
        if ((rc = store_due_outbox(s, now, kinds[k], limit, collect, &b, err)) <
            0) {
            batch_free(&b);
            return rc;
        }
    store_read_end(s);
    if (!b.n)
        return 0;
    /* e-mails to one address go together */
    size_t n_mail = 0;
    for (size_t i = 0; i < b.n; i++)
        if (!strcmp(b.v[i].kind, "email")) {
            struct msg t = b.v[n_mail];
            b.v[n_mail++] = b.v[i];
            b.v[i] = t;
        }
    if (n_mail > 1) /* qsort(NULL, 0, ...) is undefined */
        qsort(b.v, n_mail, sizeof *b.v, by_target);
    for (size_t i = 0; i < n_mail;) {
        size_t j = i + 1;
        while (l->digest && j < n_mail && !strcmp(b.v[j].target, b.v[i].target))
            j++;
        send_mail(l, mail, &b.v[i], j - i, now, out);
        i = j;
    }
    for (size_t i = n_mail; i < b.n; i++)
        send_hook(l, &b.v[i], now, out);
    rc = record(s, &b, err);
    batch_free(&b);
    return rc;
}

struct one {
    struct msg w;
    int any;
    int64_t id;
};

static int find_one(void *ctx, const struct outbox_msg *m)
{
    struct one *o = ctx;
    if (m->id != o->id)
        return 0;
    struct batch b = {&o->w, 0, 1};
    o->any = 1;
    return collect(&b, m) == 0 ? 1 : -1;
}

int loop_retry(struct store *s, int64_t id, int64_t now, struct err *err)
{
    struct one o;
    int rc;
    memset(&o, 0, sizeof o);
    o.id = id;
    if ((rc = store_list_outbox(s, OUTBOX_DEAD, 0, find_one, &o, err)) < 0)
        return rc;
    if (!o.any)
        return err_set(err, ERR_NOTFOUND, "no dead notification %lld",
                       (long long)id);
    o.w.m.state = OUTBOX_PENDING;
    o.w.m.attempts = 0;
    o.w.m.next_at = now;
    o.w.m.last_error = NULL;
    rc = store_update_outbox(s, &o.w.m, err);
    struct batch b = {&o.w, 1, 1};
    b.v = xmalloc(sizeof *b.v);
    b.v[0] = o.w;
    batch_free(&b);
    return rc;
}
