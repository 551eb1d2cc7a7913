/* The life of a case (loop.h): open, assigned, contacted, resolved,
 * closed; notes; reassignment across teams; escalation when a deadline
 * passes. Every change is one transaction with its audit entry and its
 * notifications. */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/xalloc.h"
#include "loop/loop_int.h"
#include "store/model.h"
#include "store/store.h"
#include "store/store_loop.h"

static int audit(struct store *s, const char *actor, const char *action,
                 int64_t id, json_t *detail, struct err *err)
{
    char subject[32];
    snprintf(subject, sizeof subject, "case:%lld", (long long)id);
    char *d = json_dumps(detail, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(detail);
    int rc = store_audit(s, actor, action, subject, d, err);
    free(d);
    return rc;
}

static const struct rule *rule_by_key(const struct loop *l, const char *key)
{
    for (size_t i = 0; l && key && i < rules_count(l->rules); i++)
        if (!strcmp(rules_get(l->rules, i)->key, key))
            return rules_get(l->rules, i);
    return NULL;
}

/* Sends the recovery survey to the customer: an e-mail with their
 * signed link, queued in the outbox. *why (NULL when sent) says why it
 * was not: no e-mail address, or no absolute base for the link. */
static int recovery(struct store *s, const struct loop *l,
                    struct loop_case_copy *h, int64_t now, const char **why,
                    struct err *err)
{
    char *email = NULL;
    *why = NULL;
    if (!l->base_url || strncmp(l->base_url, "http", 4) != 0) {
        *why = "no base_url for the link";
        return 0;
    }
    int rc = store_customer_email(s, h->c.customer_id, &email, err);
    if (rc < 0)
        return rc;
    if (!email) {
        *why = "the customer has no e-mail address";
        return 0;
    }
    char *url = loop_survey_link(s, l->base_url, l->recovery, h->c.touchpoint,
                                 h->c.customer, err);
    if (!url) {
        free(email);
        return err->code ? err->code : ERR_INTERNAL;
    }
    char text[2048];
    snprintf(text, sizeof text,
             "Hej!\n\nVi har nu hanterat det du berättade för oss. Hur "
             "tycker du att vi tog hand om det? Det tar en halv minut:\n"
             "\n%s\n\nHi! We have now dealt with what you told us. How "
             "did we handle it? It takes half a minute:\n\n%s\n",
             url, url);
    struct outbox_msg m;
    memset(&m, 0, sizeof m);
    m.case_id = h->c.id;
    m.kind = "email";
    m.target = email;
    m.event = "case.recovery";
    m.payload = text;
    m.subject = "Hur gick det? / How did we do?";
    m.created = now;
    m.next_at = now;
    if ((rc = store_put_outbox(s, &m, err)) == 0) {
        loop_case_copy_set(h, &h->c.recovery_survey, l->recovery);
        h->c.recovery_sent = now;
    }
    free(email);
    free(url);
    return rc;
}

struct team_find {
    const char *name;
    int found;
};

static int owner_team_cb(void *ctx, const struct journey *j,
                         const struct stage *st, const struct touchpoint *t)
{
    struct team_find *f = ctx;
    (void)j;
    (void)st;
    if (t->owner_team && !strcmp(t->owner_team, f->name))
        f->found = 1;
    return 0;
}

/* A team a case may go to: one of the loop document's, or one that owns
 * a touchpoint. */
static int known_team(struct store *s, const struct loop *l, const char *name,
                      struct err *err)
{
    struct team_find f = {name, l && loop_team(l, name) != NULL};
    int rc = f.found ? 0 : store_list_touchpoints(s, owner_team_cb, &f, err);
    if (rc < 0)
        return rc;
    return f.found ? 0
                   : err_set(err, ERR_NOTFOUND,
                             "no team \"%s\": neither in the loop document "
                             "nor owning a touchpoint",
                             name);
}

static int allowed(enum case_action a, enum case_status st)
{
    switch (a) {
    case CASE_ASSIGN:
    case CASE_CONTACT:
    case CASE_RESOLVE:
        return st < CASE_RESOLVED;
    case CASE_CLOSE:
        return st < CASE_CLOSED;
    case CASE_NOTE:
        return 1;
    }
    return 0;
}

static const char *action_name(enum case_action a)
{
    static const char *const n[] = {"case.assign", "case.contact",
                                    "case.resolve", "case.close", "case.note"};
    return (unsigned)a <= CASE_NOTE ? n[a] : "case.?";
}

int loop_case_change(struct store *s, const struct loop *l, int64_t id,
                     const struct case_change *ch, const struct loop_actor *a,
                     int64_t now, struct err *err)
{
    struct case_filter f = CASE_FILTER_INIT;
    struct loop_case_copy h;
    int rc;
    memset(&h, 0, sizeof h);
    if (ch->action == CASE_NOTE && (!ch->note || !*ch->note))
        return err_set(err, ERR_INVALID, "a note needs its text");
    if (ch->action == CASE_ASSIGN && !ch->team && !ch->assignee)
        return err_set(err, ERR_INVALID, "assign needs a team or a user");
    if ((rc = store_begin(s, err)) < 0)
        return rc;
    f.id = id;
    f.visible = a->visible;
    if ((rc = store_scan_cases(s, &f, loop_case_copy_first, &h, err)) < 0)
        goto out;
    if (!h.any) {
        rc = err_set(err, ERR_NOTFOUND, "no case %lld", (long long)id);
        goto out;
    }
    enum case_status was = h.c.status;
    if (!allowed(ch->action, was)) {
        rc = err_set(err, ERR_CONFLICT, "case %lld is %s: it cannot %s",
                     (long long)id, case_status_name(was),
                     action_name(ch->action) + 5);
        goto out;
    }
    json_t *detail = json_pack("{s:s}", "from", case_status_name(was));
    const char *event = NULL, *to_team = NULL;
    switch (ch->action) {
    case CASE_ASSIGN:
        if (ch->team && (rc = known_team(s, l, ch->team, err)) < 0) {
            json_decref(detail);
            goto out;
        }
        if (ch->team && strcmp(ch->team, h.c.team) != 0) {
            json_object_set_new(detail, "team", json_string(ch->team));
            json_object_set_new(detail, "from_team", json_string(h.c.team));
            loop_case_copy_set(&h, &h.c.team, ch->team);
            event = "case.assigned";
            to_team = ch->team;
            if (!ch->assignee) /* a new team picks its own person */
                loop_case_copy_set(&h, &h.c.assignee, NULL);
        }
        if (ch->assignee) {
            json_object_set_new(detail, "assignee", json_string(ch->assignee));
            loop_case_copy_set(&h, &h.c.assignee, ch->assignee);
        }
        if (h.c.status == CASE_OPEN && h.c.assignee)
            h.c.status = CASE_ASSIGNED;
        if (h.c.status == CASE_ASSIGNED && !h.c.assignee)
            h.c.status = CASE_OPEN;
        break;
    case CASE_CONTACT:
        if (!h.c.first_contact)
            h.c.first_contact = now;
        h.c.status = CASE_CONTACTED;
        break;
    case CASE_RESOLVE: {
        const struct rule *ru = rule_by_key(l, h.c.rule);
        int send = ch->recovery >= 0 ? ch->recovery : (!ru || ru->recovery);
        h.c.resolved = now;
        if (!h.c.first_contact) /* resolving answers the customer too */
            h.c.first_contact = now;
        h.c.status = CASE_RESOLVED;
        if (send && l && l->recovery && h.c.customer) {
            const char *why;
            if ((rc = recovery(s, l, &h, now, &why, err)) < 0) {
                json_decref(detail);
                goto out;
            }
            json_object_set_new(detail, "recovery",
                                json_string(why ? "not sent" : l->recovery));
            if (why)
                json_object_set_new(detail, "recovery_not_sent",
                                    json_string(why));
        }
        event = "case.resolved";
        break;
    }
    case CASE_CLOSE:
        h.c.closed = now;
        h.c.status = CASE_CLOSED;
        event = "case.closed";
        break;
    case CASE_NOTE:
        break;
    }
    json_object_set_new(detail, "to",
                        json_string(case_status_name(h.c.status)));
    if (ch->note && *ch->note) {
        struct case_note n = {0, id, now, a->name, ch->note};
        if ((rc = store_put_case_note(s, &n, err)) < 0) {
            json_decref(detail);
            goto out;
        }
        json_object_set_new(detail, "note", json_integer(n.id));
    }
    if ((rc = store_update_case(s, &h.c, was, err)) < 0 ||
        (rc = audit(s, a->name, action_name(ch->action), id, detail, err)) < 0)
        goto out;
    if (event && l)
        rc = loop_notify(s, l, event, &h.c, to_team, NULL, now, err);
out:
    loop_case_copy_dispose(&h);
    if (rc < 0)
        store_rollback(s);
    else
        rc = store_commit(s, err);
    return rc;
}

/* Cases past their deadline, copied (the scan's rows are live). */
struct late {
    struct loop_case_copy *v;
    size_t n, cap;
};

static int collect_late(void *ctx, const struct loop_case *c)
{
    struct late *lt = ctx;
    if (lt->n == lt->cap) {
        lt->cap = lt->cap ? lt->cap * 2 : 16;
        lt->v = xrealloc(lt->v, lt->cap * sizeof *lt->v);
    }
    memset(&lt->v[lt->n], 0, sizeof lt->v[lt->n]);
    loop_case_copy_first(&lt->v[lt->n++], c);
    return 0;
}

int loop_sweep(struct store *s, const struct loop *l, int64_t now, long *n,
               struct err *err)
{
    struct case_filter f = CASE_FILTER_INIT;
    struct late lt = {0};
    int rc;
    *n = 0;
    if (!l)
        return 0;
    f.due_before = now;
    /* look first, outside a write transaction: most sweeps find none */
    struct loop_case_copy peek;
    memset(&peek, 0, sizeof peek);
    f.limit = 1;
    rc = store_scan_cases(s, &f, loop_case_copy_first, &peek, err);
    int any = peek.any;
    loop_case_copy_dispose(&peek);
    store_read_end(s);
    if (rc < 0 || !any)
        return rc < 0 ? rc : 0;
    f.limit = 0;
    if ((rc = store_begin(s, err)) < 0)
        return rc;
    if ((rc = store_scan_cases(s, &f, collect_late, &lt, err)) < 0)
        goto out;
    for (size_t i = 0; i < lt.n && rc == 0; i++) {
        struct loop_case_copy *h = &lt.v[i];
        /* the level above the team that owns it, or above the last one
         * escalated to */
        const char *up = h->c.team;
        for (int k = 0; k <= h->c.escalation && up; k++) {
            const struct loop_team *t = loop_team(l, up);
            up = t ? t->escalate_to : NULL;
        }
        h->c.escalation++;
        h->c.escalated = now;
        h->c.due =
            bizcal_add(&l->cal, now, (int64_t)llround(h->c.sla_hours * 3600));
        json_t *detail =
            json_pack("{s:i, s:s, s:I}", "level", h->c.escalation, "to",
                      up ? up : "", "due", (json_int_t)h->c.due);
        if ((rc = store_update_case(s, &h->c, h->c.status, err)) < 0 ||
            (rc = audit(s, "resonans", "case.escalate", h->c.id, detail, err)) <
                0 ||
            (rc = loop_notify(s, l, "case.escalated", &h->c, up, NULL, now,
                              err)) < 0)
            break;
        (*n)++;
    }
out:
    for (size_t i = 0; i < lt.n; i++)
        loop_case_copy_dispose(&lt.v[i]);
    free(lt.v);
    if (rc < 0)
        store_rollback(s);
    else
        rc = store_commit(s, err);
    return rc;
}
