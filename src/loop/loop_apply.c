/* Applying the loop document to new responses (loop.h): a case for each
 * response a rule holds for, its notifications, and recovery answers
 * linked to the case they follow. One transaction per call, so a case
 * and its notifications are stored together or not at all. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/auth.h"
#include "core/err.h"
#include "core/escape.h"
#include "core/strbuf.h"
#include "core/xalloc.h"
#include "loop/loop_int.h"
#include "store/store.h"
#include "store/store_loop.h"

/* A response copied out of the scan (its row is live there). */
struct row {
    struct rule_row r;
    char *strs; /* the strings, one allocation */
};

struct rows {
    struct row *v;
    size_t n, cap;
    int64_t max_id;
    int64_t since; /* backfill: only responses from this time */
};

static void keep(struct strbuf *b, const char *s, size_t *off)
{
    if (!s) {
        *off = (size_t)-1;
        return;
    }
    *off = b->n;
    strbuf_add(b, s, strlen(s) + 1);
}

static int collect(void *ctx, const struct rule_row *r)
{
    struct rows *rs = ctx;
    if (r->response_id > rs->max_id)
        rs->max_id = r->response_id;
    if (r->ts < rs->since)
        return 0;
    if (rs->n == rs->cap) {
        rs->cap = rs->cap ? rs->cap * 2 : 256;
        rs->v = xrealloc(rs->v, rs->cap * sizeof *rs->v);
    }
    struct row *w = &rs->v[rs->n++];
    struct strbuf b = STRBUF_INIT;
    size_t o[6];
    w->r = *r;
    keep(&b, r->customer, &o[0]);
    keep(&b, r->touchpoint, &o[1]);
    keep(&b, r->owner_team, &o[2]);
    keep(&b, r->channel, &o[3]);
    keep(&b, r->survey, &o[4]);
    keep(&b, r->themes, &o[5]);
    w->strs = strbuf_detach(&b, NULL);
    const char **f[6] = {&w->r.customer, &w->r.touchpoint, &w->r.owner_team,
                         &w->r.channel,  &w->r.survey,     &w->r.themes};
    for (int i = 0; i < 6; i++)
        *f[i] = o[i] == (size_t)-1 ? NULL : w->strs + o[i];
    return 0;
}

static void rows_free(struct rows *rs)
{
    for (size_t i = 0; i < rs->n; i++)
        free(rs->v[i].strs);
    free(rs->v);
}

/* The newest resolved case of the customer that sent this survey and has
 * no answer yet (sent at most 5 minutes after the answer: clocks). */
struct pick {
    const char *survey;
    int64_t ts, id, sent;
};

static int pick_cb(void *ctx, const struct loop_case *c)
{
    struct pick *p = ctx;
    if (c->recovery_sent && !c->recovery_response_id && c->recovery_survey &&
        !strcmp(c->recovery_survey, p->survey) &&
        c->recovery_sent <= p->ts + 300 && c->recovery_sent >= p->sent) {
        p->id = c->id;
        p->sent = c->recovery_sent;
    }
    return 0;
}

/* A recovery answer: the customer's answer to the survey their resolved
 * case sent, linked to that case. */
static int link_recovery(struct store *s, const struct row *w, int *linked,
                         struct err *err)
{
    struct case_filter f = CASE_FILTER_INIT;
    struct pick p = {w->r.survey, w->r.ts, 0, 0};
    struct loop_case_copy fd;
    int rc;
    *linked = 0;
    memset(&fd, 0, sizeof fd);
    f.customer_id = w->r.customer_id;
    f.status_mask = 1u << CASE_RESOLVED | 1u << CASE_CLOSED;
    if ((rc = store_scan_cases(s, &f, pick_cb, &p, err)) < 0 || !p.id)
        return rc;
    f = (struct case_filter)CASE_FILTER_INIT;
    f.id = p.id;
    if ((rc = store_scan_cases(s, &f, loop_case_copy_first, &fd, err)) < 0)
        return rc;
    if (fd.any) {
        fd.c.recovery_response_id = w->r.response_id;
        rc = store_update_case(s, &fd.c, fd.c.status, err);
        *linked = rc == 0;
    }
    loop_case_copy_dispose(&fd);
    return rc;
}

/* The case's improvement area: the first (most negative) theme that is
 * not the parent of another one mentioned, so "digital/login" and
 * "digital" in one comment make one area, the specific one. */
static const char *area_theme(const char *const *themes, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(themes[i]);
        int parent = 0;
        for (size_t j = 0; j < n && !parent; j++)
            parent = j != i && !strncmp(themes[j], themes[i], len) &&
                     themes[j][len] == '/';
        if (!parent)
            return themes[i];
    }
    return NULL;
}

static int open_case(struct store *s, const struct loop *l, const struct row *w,
                     int64_t now, int *opened, struct err *err)
{
    const char *themes[32];
    size_t nt = 0;
    char tbuf[1024];
    *opened = 0;
    snprintf(tbuf, sizeof tbuf, "%s", w->r.themes ? w->r.themes : "");
    for (char *t = strtok(tbuf, ","); t && nt < 32; t = strtok(NULL, ","))
        themes[nt++] = t;
    struct rule_input in = {
        w->r.survey, w->r.touchpoint, w->r.channel,   w->r.employee, w->r.nps,
        w->r.csat,   w->r.ces,        w->r.sentiment, themes,        nt,
        w->r.consent};
    long k = rules_pick(l->rules, &in);
    if (k < 0)
        return 0;
    const struct rule *ru = rules_get(l->rules, (size_t)k);
    struct loop_case c;
    memset(&c, 0, sizeof c);
    c.response_id = w->r.response_id;
    c.customer_id = w->r.customer_id;
    c.touchpoint_id = w->r.touchpoint_id;
    c.rule = ru->key;
    c.team = ru->team          ? ru->team
             : w->r.owner_team ? w->r.owner_team
                               : "unassigned";
    c.theme = area_theme(themes, nt);
    c.priority = (int)ru->priority;
    c.status = CASE_OPEN;
    c.sla_hours = ru->sla_hours;
    c.opened = now > 0 ? now : w->r.ts;
    c.due =
        bizcal_add(&l->cal, c.opened, (int64_t)llround(ru->sla_hours * 3600));
    int rc = store_put_case(s, &c, opened, err);
    if (rc < 0 || !*opened || now <= 0) /* a backfill notifies nobody */
        return rc;
    c.touchpoint = w->r.touchpoint;
    c.customer = w->r.customer;
    return loop_notify(s, l, "case.opened", &c, NULL, ru->name, now, err);
}

static int first_only(void *ctx, const struct rule_row *r)
{
    (void)r;
    *(int *)ctx = 1;
    return 1;
}

/* The work of an apply, inside the caller's transaction: cases for the
 * responses after the mark (since: only those from that time), then the
 * mark moved past them. */
static int apply_rows(struct store *s, const struct loop *l, int64_t now,
                      int64_t since, struct loop_applied *out, struct err *err)
{
    struct rows rs;
    int64_t after = 0;
    int rc;
    memset(&rs, 0, sizeof rs);
    rs.since = since;
    if ((rc = store_rules_applied(s, &after, err)) < 0 ||
        (rc = store_scan_rule_inputs(s, after, collect, &rs, err)) < 0)
        goto done;
    for (size_t i = 0; i < rs.n && rc == 0; i++) {
        const struct row *w = &rs.v[i];
        int done_one = 0;
        out->examined++;
        if (w->r.survey && w->r.customer_id && l->recovery &&
            !strcmp(w->r.survey, l->recovery)) {
            if ((rc = link_recovery(s, w, &done_one, err)) < 0)
                break;
            out->recovered += done_one;
            continue; /* a recovery answer belongs to its case */
        }
        if ((rc = open_case(s, l, w, now, &done_one, err)) < 0)
            break;
        out->opened += done_one;
    }
    if (rc == 0 && rs.max_id > after)
        rc = store_set_rules_applied(s, rs.max_id, err);
done:
    rows_free(&rs);
    return rc;
}

static int apply(struct store *s, const struct loop *l, int64_t now,
                 struct loop_applied *out, struct err *err)
{
    int64_t after = 0;
    int rc, any = 0;
    memset(out, 0, sizeof *out);
    /* most calls find nothing new: look first, outside a write
     * transaction, so the writer of submissions is not held up */
    if ((rc = store_rules_applied(s, &after, err)) < 0 ||
        (rc = store_scan_rule_inputs(s, after, first_only, &any, err)) < 0)
        return rc;
    store_read_end(s);
    if (!any)
        return 0;
    if ((rc = store_begin(s, err)) < 0)
        return rc;
    if ((rc = apply_rows(s, l, now, 0, out, err)) < 0) {
        store_rollback(s);
        return rc;
    }
    return store_commit(s, err);
}

int loop_apply(struct store *s, const struct loop *l, int64_t now,
               struct loop_applied *out, struct err *err)
{
    if (!l) {
        memset(out, 0, sizeof *out);
        return 0;
    }
    return apply(s, l, now, out, err);
}

int loop_apply_in(struct store *s, const struct loop *l, int64_t now,
                  struct loop_applied *out, struct err *err)
{
    memset(out, 0, sizeof *out);
    return l ? apply_rows(s, l, now, 0, out, err) : 0;
}

int loop_store(struct store *s, const char *json, size_t n, const char *actor,
               int64_t backfill_from, struct err *err)
{
    struct loop *l = NULL;
    int rc;
    if ((rc = loop_parse(&l, json, n, err)) < 0)
        return rc;
    char *text = xmalloc(n + 1);
    memcpy(text, json, n);
    text[n] = '\0';
    char detail[96];
    snprintf(detail, sizeof detail, "{\"rules\":%zu,\"backfill_from\":%lld}",
             rules_count(l->rules), (long long)backfill_from);
    /* one transaction: a backfill that fails leaves the old document
     * and its mark as they were */
    if ((rc = store_begin(s, err)) == 0) {
        struct loop_applied a;
        memset(&a, 0, sizeof a);
        if ((rc = store_put_rules(s, text, actor, backfill_from > 0 ? 0 : -1,
                                  err)) == 0 &&
            (rc = store_audit(s, actor, "rules.load", "rules", detail, err)) ==
                0 &&
            (backfill_from <= 0 ||
             (rc = apply_rows(s, l, 0, backfill_from, &a, err)) == 0))
            rc = store_commit(s, err);
        else
            store_rollback(s);
    }
    free(text);
    loop_free(l);
    return rc;
}

char *loop_survey_link(struct store *s, const char *base, const char *survey,
                       const char *touchpoint, const char *customer,
                       struct err *err)
{
    unsigned char key[32];
    char msg[1024], sig[AUTH_SIG_LEN + 1];
    if (store_secret(s, "sign", key, sizeof key, err) < 0)
        return NULL;
    auth_ref_message(msg, sizeof msg, survey, touchpoint, NULL, customer);
    auth_sign(key, msg, sig);
    struct strbuf b = STRBUF_INIT;
    strbuf_printf(&b, "%s/s/", base ? base : "");
    escape_url(&b, survey);
    strbuf_puts(&b, "?touchpoint=");
    escape_url(&b, touchpoint);
    strbuf_puts(&b, "&ref=");
    escape_url(&b, customer);
    strbuf_puts(&b, "&sig=");
    strbuf_puts(&b, sig);
    return strbuf_detach(&b, NULL);
}
