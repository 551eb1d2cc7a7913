/* loop/loop.h: the loop document's errors name their JSON path; applying
 * it opens one case per detractor for the touchpoint's team (or the
 * rule's) with a deadline in working time, queues its notifications and
 * moves the mark; a backfill notifies nobody; the life of a case with
 * its audit trail, visibility, the signed recovery link and the recovery
 * answer; escalation by a controlled clock; delivery of the outbox to a
 * webhook receiver on loopback (back-off, dead letters, retry) and to an
 * SMTP sink (immediate and digest).
 *
 * Times are Europe/Stockholm wall clock: November is CET (UTC+1), April
 * is CEST (UTC+2). Opening hours Mon-Fri 08:00-17:00. */
#include "harness.h"
#include "linesock.h"

#include <jansson.h>
#include <poll.h>
#include <pthread.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "auth/auth.h"
#include "core/err.h"
#include "core/strbuf.h"
#include "core/tstamp.h"
#include "http/httpd.h"
#include "loop/bizcal.h"
#include "loop/loop.h"
#include "loop/mail.h"
#include "loop/webhook.h"
#include "store/store.h"
#include "store/store_loop.h"

#define HOUR 3600
#define DAY 86400
#define SECRET "hemlig-nyckel-för-test"

/* Wall clock at a UTC offset of off hours. */
static int64_t at(int y, unsigned m, unsigned d, int hh, int mm, int off)
{
    return tstamp_days_from_civil(y, m, d) * DAY + hh * HOUR + mm * 60 -
           off * HOUR;
}

/* Fri 2026-11-20 16:00 CET, the default time a response comes. */
#define FRI16 at(2026, 11, 20, 16, 0, 1)

/* The loop document: hook "" = none, mode "immediate" or "digest". */
static char *make_doc(const char *hook, const char *mode, int max_attempts)
{
    struct strbuf b = STRBUF_INIT;
    strbuf_printf(
        &b,
        "{\"rules\":["
        "{\"key\":\"detractor\",\"name\":\"Missnöjd kund\","
        "\"when\":{\"nps_max\":6},\"priority\":\"high\",\"sla_hours\":8},"
        "{\"key\":\"safety\",\"when\":{\"themes\":[\"safety\"]},"
        "\"priority\":\"urgent\",\"sla_hours\":2,\"team\":\"Drift\"}],"
        "\"calendar\":{\"tz\":\"Europe/Stockholm\",\"open\":\"08:00\","
        "\"close\":\"17:00\",\"days_off\":true},"
        "\"teams\":{\"Kundservice\":{\"email\":[\"ks@example.se\"],"
        "\"escalate_to\":\"KS-chef\"},"
        "\"KS-chef\":{\"email\":\"chef@example.se\",\"escalate_to\":"
        "\"Ledning\"},"
        "\"Ledning\":{\"email\":[\"vd@example.se\"]},"
        "\"Drift\":{\"email\":[\"drift@example.se\"]}},"
        "\"notify\":{\"email\":{\"mode\":\"%s\",\"digest_hours\":1},"
        "\"max_attempts\":%d,\"retry_seconds\":60",
        mode, max_attempts);
    if (*hook)
        strbuf_printf(&b,
                      ",\"webhooks\":[{\"url\":\"%s\",\"secret\":\"" SECRET
                      "\",\"events\":[\"case.opened\"]}]",
                      hook);
    strbuf_puts(&b, "},\"recovery\":{\"survey\":\"aterkoppling\"},"
                    "\"base_url\":\"https://feedback.example.se\"}");
    size_t n;
    return strbuf_detach(&b, &n);
}

enum { KT, REP, N_TP };
static const char *const tp_keys[N_TP] = {"kundtjanst", "reparation"};
static const char *const tp_teams[N_TP] = {"Kundservice", "Drift"};

struct fx {
    struct store *s;
    struct loop *l;
    int64_t tp[N_TP];
    int64_t channel;
    int seq;
};

static void fx_doc(struct fx *f, const char *hook, const char *mode,
                   int max_attempts)
{
    struct err err = ERR_INIT;
    char *doc = make_doc(hook, mode, max_attempts);
    loop_free(f->l);
    f->l = NULL;
    assert_int_equal(loop_parse(&f->l, doc, strlen(doc), &err), 0);
    free(doc);
}

static int fx_setup(void **state)
{
    struct err err = ERR_INIT;
    struct fx *f = calloc(1, sizeof *f);
    assert_int_equal(store_open(&f->s, ":memory:", &err), 0);
    struct journey j = {0, "hyra", "Hyra", LIFECYCLE_USE};
    struct stage g = {0, 0, "boende", "Boende", 0};
    struct channel c = {0, "web"};
    assert_int_equal(store_put_journey(f->s, &j, &err), 0);
    g.journey_id = j.id;
    assert_int_equal(store_put_stage(f->s, &g, &err), 0);
    assert_int_equal(store_put_channel(f->s, &c, &err), 0);
    f->channel = c.id;
    for (int i = 0; i < N_TP; i++) {
        struct touchpoint t = {0,           g.id, tp_keys[i], tp_keys[i], "web",
                               tp_teams[i], 0,    0,          NULL,       0};
        assert_int_equal(store_put_touchpoint(f->s, &t, &err), 0);
        f->tp[i] = t.id;
    }
    fx_doc(f, "http://127.0.0.1:9/hook", "immediate", 10);
    *state = f;
    return 0;
}

static int fx_teardown(void **state)
{
    struct fx *f = *state;
    loop_free(f->l);
    store_free(f->s);
    free(f);
    return 0;
}

static int64_t customer(struct fx *f, const char *ext, const char *email)
{
    struct err err = ERR_INIT;
    char attrs[128];
    snprintf(attrs, sizeof attrs, "{\"email\":\"%s\"}", email);
    struct customer c = {0, ext, NULL, email ? attrs : NULL};
    int ins;
    assert_int_equal(store_put_customer(f->s, &c, &ins, &err), 0);
    return c.id;
}

/* A response with a comment mentioning theme (NULL: no comment); survey
 * NULL or the key in its attrs. Returns its id. */
static int64_t response(struct fx *f, int tp, int64_t cust, int64_t ts, int nps,
                        const char *theme, const char *survey)
{
    struct err err = ERR_INIT;
    char ext[32], attrs[96];
    struct theme_mention m = {theme, -0.6};
    struct comment_analysis ca = {"sv", 0.9,  -0.6, "negative", 0,
                                  0,    NULL, &m,   1};
    struct answer a = {"comment", ANSWER_TEXT,         0,    0,
                       0,         "Mögel i badrummet", NULL, &ca};
    struct response r;
    int ins;
    memset(&r, 0, sizeof r);
    snprintf(ext, sizeof ext, "r%d", ++f->seq);
    r.ext_id = ext;
    r.customer_id = cust;
    r.touchpoint_id = f->tp[tp];
    r.channel_id = f->channel;
    r.ts = ts;
    r.nps = nps;
    r.csat = -1;
    r.ces = -1;
    if (theme) {
        r.answers = &a;
        r.n_answers = 1;
    }
    if (survey) {
        snprintf(attrs, sizeof attrs, "{\"survey\":\"%s\"}", survey);
        r.attrs = attrs;
    }
    assert_int_equal(store_put_response(f->s, &r, &ins, &err), 0);
    assert_int_equal(ins, 1);
    return r.id;
}

/* ---- reading back ---- */

struct casecopy {
    int n;
    int64_t id, due, opened, first_contact, resolved, closed, escalated;
    int64_t recovery_sent, recovery_response_id, response_id;
    int priority, escalation;
    enum case_status status;
    char team[64], assignee[64], rule[64];
};

static int copy_case(void *ctx, const struct loop_case *c)
{
    struct casecopy *k = ctx;
    k->n++;
    k->id = c->id;
    k->due = c->due;
    k->opened = c->opened;
    k->first_contact = c->first_contact;
    k->resolved = c->resolved;
    k->closed = c->closed;
    k->escalated = c->escalated;
    k->escalation = c->escalation;
    k->recovery_sent = c->recovery_sent;
    k->recovery_response_id = c->recovery_response_id;
    k->response_id = c->response_id;
    k->priority = c->priority;
    k->status = c->status;
    snprintf(k->team, sizeof k->team, "%s", c->team ? c->team : "");
    snprintf(k->assignee, sizeof k->assignee, "%s",
             c->assignee ? c->assignee : "");
    snprintf(k->rule, sizeof k->rule, "%s", c->rule ? c->rule : "");
    return 0;
}

/* The case of response_id (0: any; k->n counts them all). */
static void get_case(struct fx *f, int64_t response_id, struct casecopy *k)
{
    struct err err = ERR_INIT;
    struct case_filter cf = CASE_FILTER_INIT;
    memset(k, 0, sizeof *k);
    cf.response_id = response_id;
    assert_int_equal(store_scan_cases(f->s, &cf, copy_case, k, &err), 0);
}

#define MAX_MSG 32
struct outbox {
    int n;
    struct {
        int64_t id, case_id, next_at;
        int attempts;
        enum outbox_state state;
        char kind[16], target[128], event[32], subject[256];
        char *payload;
    } m[MAX_MSG];
};

static int copy_msg(void *ctx, const struct outbox_msg *m)
{
    struct outbox *o = ctx;
    assert_true(o->n < MAX_MSG);
    o->m[o->n].id = m->id;
    o->m[o->n].case_id = m->case_id;
    o->m[o->n].next_at = m->next_at;
    o->m[o->n].attempts = m->attempts;
    o->m[o->n].state = m->state;
    snprintf(o->m[o->n].kind, sizeof o->m[0].kind, "%s", m->kind);
    snprintf(o->m[o->n].target, sizeof o->m[0].target, "%s", m->target);
    snprintf(o->m[o->n].event, sizeof o->m[0].event, "%s", m->event);
    snprintf(o->m[o->n].subject, sizeof o->m[0].subject, "%s",
             m->subject ? m->subject : "");
    o->m[o->n].payload = strdup(m->payload);
    o->n++;
    return 0;
}

static void outbox_get(struct fx *f, struct outbox *o)
{
    struct err err = ERR_INIT;
    memset(o, 0, sizeof *o);
    assert_int_equal(store_list_outbox(f->s, -1, 0, copy_msg, o, &err), 0);
}

static void outbox_dispose(struct outbox *o)
{
    for (int i = 0; i < o->n; i++)
        free(o->m[i].payload);
}

/* How many rows of kind to target for event (NULL: any); *idx the last. */
static int outbox_count(const struct outbox *o, const char *kind,
                        const char *target, const char *event, int *idx)
{
    int n = 0;
    for (int i = 0; i < o->n; i++)
        if (!strcmp(o->m[i].kind, kind) &&
            (!target || !strcmp(o->m[i].target, target)) &&
            (!event || !strcmp(o->m[i].event, event))) {
            n++;
            if (idx)
                *idx = i;
        }
    return n;
}

static void apply(struct fx *f, int64_t now, struct loop_applied *a)
{
    struct err err = ERR_INIT;
    assert_int_equal(loop_apply(f->s, f->l, now, a, &err), 0);
}

/* ---- the document ---- */

static void test_parse_errors_name_the_path(void **state)
{
    static const struct {
        const char *rest, *where;
    } bad[] = {
        {",\"calendar\":{\"open\":\"8am\"}", "calendar.open"},
        {",\"calendar\":{\"open\":\"09:00\",\"close\":\"08:00\"}",
         "calendar.close"},
        {",\"calendar\":{\"colour\":1}", "calendar.colour"},
        {",\"teams\":{\"A\":{\"escalate_to\":\"Nobody\"}}",
         "teams.A.escalate_to"},
        {",\"teams\":{\"A\":{\"phone\":\"123\"}}", "teams.A.phone"},
        {",\"teams\":{\"A\":{\"email\":[\"no-at-sign\"]}}", "teams.A.email"},
        {",\"notify\":{\"webhooks\":[{\"url\":\"ftp://x\"}]}",
         "notify.webhooks[0].url"},
        {",\"notify\":{\"webhooks\":[{\"url\":\"https://x\",\"secret\":"
         "\"short\"}]}",
         "notify.webhooks[0].secret"},
        {",\"notify\":{\"webhooks\":[{\"url\":\"https://x\"},{\"secret\":"
         "\"0123456789abcdef\"}]}",
         "notify.webhooks[1]"},
        {",\"notify\":{\"chat\":[{\"url\":\"https://x\",\"events\":["
         "\"case.eaten\"]}]}",
         "notify.chat[0].events"},
        {",\"notify\":{\"max_attempts\":0}", "notify.max_attempts"},
        {",\"notify\":{\"email\":{\"mode\":\"weekly\"}}", "notify.email.mode"},
        {",\"notify\":{\"sms\":[]}", "notify.sms"},
        {",\"recovery\":\"aterkoppling\"", "recovery"},
        {",\"base_url\":\"feedback.example.se\"", "base_url"},
        {",\"colour\":\"blue\"", "colour"},
    };
    const char *rule =
        "{\"rules\":[{\"key\":\"d\",\"when\":{\"nps_max\":6},\"sla_hours\":8}]";
    (void)state;
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char doc[512];
        struct loop *l = (struct loop *)1;
        struct err err = ERR_INIT;
        snprintf(doc, sizeof doc, "%s%s}", rule, bad[i].rest);
        assert_int_equal(loop_parse(&l, doc, strlen(doc), &err), ERR_INVALID);
        assert_null(l);
        assert_int_equal(err.code, ERR_INVALID);
        if (strcmp(err.where, bad[i].where))
            fail_msg("%s: where \"%s\", expected \"%s\" (%s)", doc, err.where,
                     bad[i].where, err.msg);
        assert_true(err.msg[0] != 0);
    }
    /* the rules' own errors keep their path */
    struct loop *l = NULL;
    struct err err = ERR_INIT;
    const char *r = "{\"rules\":[{\"key\":\"d\",\"when\":{\"nps_max\":11},"
                    "\"sla_hours\":8}]}";
    assert_int_equal(loop_parse(&l, r, strlen(r), &err), ERR_INVALID);
    assert_non_null(strstr(err.where, "rules[0].when.nps_max"));

    /* a good document parses, with what it says */
    char *doc = make_doc("https://hooks.example.se/x", "digest", 7);
    err = (struct err)ERR_INIT;
    assert_int_equal(loop_parse(&l, doc, strlen(doc), &err), 0);
    assert_non_null(l);
    assert_int_equal(rules_count(loop_rules(l)), 2);
    assert_int_equal(loop_id(l), 0);
    assert_int_equal(loop_calendar(l)->open_min, 8 * 60);
    assert_int_equal(loop_calendar(l)->close_min, 17 * 60);
    loop_free(l);
    free(doc);
}

/* ---- the inner loop ---- */

static void test_apply_detractor_opens_one_case_for_owner(void **state)
{
    struct fx *f = *state;
    struct loop_applied a;
    struct casecopy k;
    struct outbox o;
    int64_t cu = customer(f, "c1", "kund1@example.se");
    int64_t det = response(f, KT, cu, FRI16 - 600, 3, NULL, NULL);
    int64_t pro = response(f, KT, cu, FRI16 - 300, 10, NULL, NULL);
    apply(f, FRI16, &a);
    assert_int_equal(a.examined, 2);
    assert_int_equal(a.opened, 1);
    assert_int_equal(a.recovered, 0);
    get_case(f, 0, &k);
    assert_int_equal(k.n, 1);
    get_case(f, pro, &k);
    assert_int_equal(k.n, 0); /* a promoter opens none */
    get_case(f, det, &k);
    assert_int_equal(k.n, 1);
    assert_string_equal(k.team, "Kundservice");
    assert_string_equal(k.rule, "detractor");
    assert_int_equal(k.priority, PRIO_HIGH);
    assert_int_equal(k.status, CASE_OPEN);
    assert_int_equal(k.opened, FRI16);
    /* 8 working hours from Friday 16:00: one hour on Friday (to 17:00),
     * none at the weekend, seven on Monday from 08:00: Monday 15:00. (A
     * nine-hour day makes 8 h end an hour before the opening time.) */
    assert_int_equal(k.due, at(2026, 11, 23, 15, 0, 1));
    assert_int_equal(k.due, bizcal_add(loop_calendar(f->l), FRI16, 8 * HOUR));

    /* the notifications of case.opened, in the same transaction */
    outbox_get(f, &o);
    assert_int_equal(o.n, 2);
    int i = -1;
    assert_int_equal(outbox_count(&o, "webhook", "http://127.0.0.1:9/hook",
                                  "case.opened", &i),
                     1);
    assert_int_equal(o.m[i].case_id, k.id);
    assert_int_equal(o.m[i].state, OUTBOX_PENDING);
    assert_int_equal(o.m[i].next_at, FRI16);
    json_t *p = json_loads(o.m[i].payload, 0, NULL);
    assert_non_null(p);
    assert_string_equal(json_string_value(json_object_get(p, "event")),
                        "case.opened");
    json_t *pc = json_object_get(p, "case");
    assert_int_equal(json_integer_value(json_object_get(pc, "id")), k.id);
    assert_string_equal(json_string_value(json_object_get(pc, "team")),
                        "Kundservice");
    json_decref(p);
    assert_int_equal(
        outbox_count(&o, "email", "ks@example.se", "case.opened", &i), 1);
    assert_int_equal(o.m[i].case_id, k.id);
    assert_non_null(strstr(o.m[i].subject, "Missnöjd kund"));
    outbox_dispose(&o);

    /* the mark moved: nothing more, also for the same responses */
    apply(f, FRI16 + HOUR, &a);
    assert_int_equal(a.examined, 0);
    assert_int_equal(a.opened, 0);
    get_case(f, 0, &k);
    assert_int_equal(k.n, 1);
    outbox_get(f, &o);
    assert_int_equal(o.n, 2);
    outbox_dispose(&o);
}

static void test_apply_deadline_across_easter(void **state)
{
    struct fx *f = *state;
    struct loop_applied a;
    struct casecopy k;
    /* Maundy Thursday 2026-04-02 15:00 CEST (summer time since 29 March).
     * 8 working hours: 15:00-17:00 on Thursday (2 h); Good Friday 3 April,
     * Saturday 4, Easter Sunday 5 and Easter Monday 6 April are closed;
     * Tuesday 7 April 08:00 + 6 h = 14:00 CEST (12:00 UTC). */
    int64_t opened = at(2026, 4, 2, 15, 0, 2);
    int64_t r = response(f, KT, 0, opened - 60, 0, NULL, NULL);
    apply(f, opened, &a);
    assert_int_equal(a.opened, 1);
    get_case(f, r, &k);
    assert_int_equal(k.n, 1);
    assert_int_equal(k.due, at(2026, 4, 7, 14, 0, 2));
    assert_int_equal(k.due, bizcal_add(loop_calendar(f->l), opened, 8 * HOUR));
}

static void test_apply_rule_team_overrides_owner(void **state)
{
    struct fx *f = *state;
    struct loop_applied a;
    struct casecopy k;
    struct outbox o;
    /* both rules hold; the urgent one opens the case, for its team */
    int64_t r = response(f, KT, 0, FRI16, 4, "safety", NULL);
    apply(f, FRI16, &a);
    assert_int_equal(a.opened, 1);
    get_case(f, r, &k);
    assert_string_equal(k.team, "Drift");
    assert_string_equal(k.rule, "safety");
    assert_int_equal(k.priority, PRIO_URGENT);
    assert_int_equal(k.due, bizcal_add(loop_calendar(f->l), FRI16, 2 * HOUR));
    outbox_get(f, &o);
    assert_int_equal(outbox_count(&o, "email", "drift@example.se", NULL, NULL),
                     1);
    assert_int_equal(outbox_count(&o, "email", "ks@example.se", NULL, NULL), 0);
    outbox_dispose(&o);
}

static void test_backfill_opens_at_response_time_silently(void **state)
{
    struct fx *f = *state;
    struct err err = ERR_INIT;
    struct casecopy k;
    struct outbox o;
    int64_t old = response(f, KT, 0, FRI16 - 30 * DAY, 2, NULL, NULL);
    int64_t r1 = response(f, KT, 0, FRI16 - 2 * DAY, 2, NULL, NULL);
    int64_t r2 = response(f, REP, 0, FRI16 - DAY, 9, NULL, NULL);
    char *doc = make_doc("http://127.0.0.1:9/hook", "immediate", 10);
    assert_int_equal(
        loop_store(f->s, doc, strlen(doc), "anna", FRI16 - 10 * DAY, &err), 0);
    get_case(f, 0, &k);
    assert_int_equal(k.n, 1);
    get_case(f, r1, &k);
    assert_int_equal(k.n, 1);
    assert_int_equal(k.opened, FRI16 - 2 * DAY);
    assert_int_equal(k.due,
                     bizcal_add(loop_calendar(f->l), k.opened, 8 * HOUR));
    get_case(f, old, &k); /* before backfill_from */
    assert_int_equal(k.n, 0);
    get_case(f, r2, &k);
    assert_int_equal(k.n, 0);
    outbox_get(f, &o);
    assert_int_equal(o.n, 0);
    outbox_dispose(&o);
    /* the stored document loads with its id, and the mark is past them */
    struct loop *l = NULL;
    assert_int_equal(loop_load(&l, f->s, &err), 0);
    assert_true(loop_id(l) > 0);
    struct loop_applied a;
    assert_int_equal(loop_apply(f->s, l, FRI16, &a, &err), 0);
    assert_int_equal(a.examined, 0);
    loop_free(l);
    free(doc);
}

/* ---- the life of a case ---- */

struct audit_list {
    int n;
    char actor[16][32], action[16][32], subject[16][32];
};

static int copy_audit(void *ctx, const struct audit_entry *e)
{
    struct audit_list *al = ctx;
    if (al->n < 16) {
        snprintf(al->actor[al->n], 32, "%s", e->actor);
        snprintf(al->action[al->n], 32, "%s", e->action);
        snprintf(al->subject[al->n], 32, "%s", e->subject);
        al->n++;
    }
    return 0;
}

static int change(struct fx *f, int64_t id, enum case_action act,
                  const char *team, const char *assignee, const char *actor,
                  const char *visible, int64_t now)
{
    struct err err = ERR_INIT;
    struct case_change ch = {act, team, assignee, NULL, -1};
    struct loop_actor a = {actor, visible};
    return loop_case_change(f->s, f->l, id, &ch, &a, now, &err);
}

/* The value of name= in the query of url, into out. */
static void query_value(const char *url, const char *name, char *out,
                        size_t cap)
{
    char key[32];
    snprintf(key, sizeof key, "%s=", name);
    const char *p = strstr(url, key);
    assert_non_null(p);
    p += strlen(key);
    size_t n = strcspn(p, "&\r\n ");
    snprintf(out, cap, "%.*s", (int)n, p);
}

static void test_case_life_audit_and_recovery(void **state)
{
    struct fx *f = *state;
    struct err err = ERR_INIT;
    struct loop_applied a;
    struct casecopy k;
    struct outbox o;
    int64_t cu = customer(f, "kund-7", "kund7@example.se");
    int64_t r = response(f, KT, cu, FRI16, 1, NULL, NULL);
    int64_t t = FRI16;
    apply(f, t, &a);
    get_case(f, r, &k);
    int64_t id = k.id;

    /* an owner of another touchpoint (team Drift) does not see it */
    assert_int_equal(
        change(f, id, CASE_CONTACT, NULL, NULL, "bo", "reparation", t + 10),
        ERR_NOTFOUND);
    assert_int_equal(
        change(f, id, CASE_ASSIGN, NULL, "anna", "anna", "kundtjanst", t + 60),
        0);
    get_case(f, r, &k);
    assert_int_equal(k.status, CASE_ASSIGNED);
    assert_string_equal(k.assignee, "anna");

    /* across teams: the new team is told, by e-mail */
    assert_int_equal(
        change(f, id, CASE_ASSIGN, "Drift", NULL, "anna", NULL, t + 120), 0);
    get_case(f, r, &k);
    assert_string_equal(k.team, "Drift");
    assert_string_equal(k.assignee, ""); /* the new team picks its person */
    assert_int_equal(k.status, CASE_OPEN);
    outbox_get(f, &o);
    assert_int_equal(
        outbox_count(&o, "email", "drift@example.se", "case.assigned", NULL),
        1);
    outbox_dispose(&o);
    /* an owner of a touchpoint Drift owns sees Drift's cases now */
    assert_int_equal(
        change(f, id, CASE_CONTACT, NULL, NULL, "bo", "reparation", t + 180),
        0);
    get_case(f, r, &k);
    assert_int_equal(k.status, CASE_CONTACTED);
    assert_int_equal(k.first_contact, t + 180);
    /* a second contact keeps the first */
    assert_int_equal(
        change(f, id, CASE_CONTACT, NULL, NULL, "bo", NULL, t + 200), 0);
    get_case(f, r, &k);
    assert_int_equal(k.first_contact, t + 180);

    /* resolve: the recovery survey goes to the customer, signed */
    int64_t tres = t + 3 * HOUR;
    assert_int_equal(change(f, id, CASE_RESOLVE, NULL, NULL, "bo", NULL, tres),
                     0);
    get_case(f, r, &k);
    assert_int_equal(k.status, CASE_RESOLVED);
    assert_int_equal(k.resolved, tres);
    assert_int_equal(k.recovery_sent, tres);
    outbox_get(f, &o);
    int i = -1;
    assert_int_equal(
        outbox_count(&o, "email", "kund7@example.se", "case.recovery", &i), 1);
    assert_int_equal(o.m[i].case_id, id);
    const char *link =
        strstr(o.m[i].payload, "https://feedback.example.se/s/aterkoppling?");
    assert_non_null(link);
    char tp[64], ref[64], sig[64], msg[1024];
    unsigned char key[32];
    query_value(link, "touchpoint", tp, sizeof tp);
    query_value(link, "ref", ref, sizeof ref);
    query_value(link, "sig", sig, sizeof sig);
    assert_string_equal(tp, "kundtjanst");
    assert_string_equal(ref, "kund-7");
    assert_int_equal(strlen(sig), AUTH_SIG_LEN);
    assert_int_equal(store_secret(f->s, "sign", key, sizeof key, &err), 0);
    auth_ref_message(msg, sizeof msg, "aterkoppling", "kundtjanst", NULL,
                     "kund-7");
    assert_true(auth_sign_ok(key, msg, sig));
    auth_ref_message(msg, sizeof msg, "aterkoppling", "kundtjanst", NULL,
                     "kund-8");
    assert_false(auth_sign_ok(key, msg, sig));
    outbox_dispose(&o);

    /* the customer answers the recovery survey: linked, no new case
     * (though the answer is a detractor's) */
    int64_t rec = response(f, KT, cu, tres + DAY, 3, NULL, "aterkoppling");
    apply(f, tres + DAY + 60, &a);
    assert_int_equal(a.examined, 1);
    assert_int_equal(a.recovered, 1);
    assert_int_equal(a.opened, 0);
    get_case(f, r, &k);
    assert_int_equal(k.recovery_response_id, rec);
    get_case(f, rec, &k);
    assert_int_equal(k.n, 0);

    assert_int_equal(
        change(f, id, CASE_CLOSE, NULL, NULL, "anna", NULL, tres + 2 * DAY), 0);
    get_case(f, r, &k);
    assert_int_equal(k.status, CASE_CLOSED);
    assert_int_equal(k.closed, tres + 2 * DAY);
    /* not allowed from closed */
    assert_int_equal(
        change(f, id, CASE_CONTACT, NULL, NULL, "anna", NULL, tres + 3 * DAY),
        ERR_CONFLICT);
    assert_int_equal(
        change(f, id, CASE_CLOSE, NULL, NULL, "anna", NULL, tres + 3 * DAY),
        ERR_CONFLICT);
    get_case(f, r, &k);
    assert_int_equal(k.status, CASE_CLOSED);
    assert_int_equal(k.closed, tres + 2 * DAY);

    /* the audit trail: who did what, the refused steps not in it */
    struct audit_list al;
    char subj[32];
    memset(&al, 0, sizeof al);
    snprintf(subj, sizeof subj, "case:%lld", (long long)id);
    assert_int_equal(store_scan_audit(f->s, 0, copy_audit, &al, &err), 0);
    static const char *const want[][2] = {
        {"anna", "case.assign"}, {"anna", "case.assign"},
        {"bo", "case.contact"},  {"bo", "case.contact"},
        {"bo", "case.resolve"},  {"anna", "case.close"},
    };
    int w = 0;
    for (int j = 0; j < al.n; j++) {
        if (strcmp(al.subject[j], subj))
            continue;
        assert_true(w < 6);
        assert_string_equal(al.actor[j], want[w][0]);
        assert_string_equal(al.action[j], want[w][1]);
        w++;
    }
    assert_int_equal(w, 6);
}

/* ---- escalation ---- */

static void test_sweep_escalates_after_deadline(void **state)
{
    struct fx *f = *state;
    struct err err = ERR_INIT;
    struct loop_applied a;
    struct casecopy k;
    struct outbox o;
    long n;
    const struct bizcal *cal = loop_calendar(f->l);
    int64_t t0 = at(2026, 11, 23, 10, 0, 1); /* Monday 10:00 */
    int64_t r = response(f, KT, 0, t0, 2, NULL, NULL);
    apply(f, t0, &a);
    get_case(f, r, &k);
    int64_t due = k.due;
    assert_int_equal(due, at(2026, 11, 24, 9, 0, 1)); /* Tuesday 09:00 */

    assert_int_equal(loop_sweep(f->s, f->l, due - 1, &n, &err), 0);
    assert_int_equal(n, 0);
    assert_int_equal(loop_sweep(f->s, f->l, due, &n, &err), 0);
    assert_int_equal(n, 0);
    assert_int_equal(loop_sweep(f->s, f->l, due + 1, &n, &err), 0);
    assert_int_equal(n, 1);
    get_case(f, r, &k);
    assert_int_equal(k.escalation, 1);
    assert_int_equal(k.escalated, due + 1);
    int64_t due2 = bizcal_add(cal, due + 1, 8 * HOUR);
    assert_int_equal(k.due, due2);
    assert_int_equal(due2, at(2026, 11, 25, 8, 0, 1) + 1); /* Wed 08:00:01 */
    assert_string_equal(k.team, "Kundservice");
    outbox_get(f, &o);
    assert_int_equal(
        outbox_count(&o, "email", "chef@example.se", "case.escalated", NULL),
        1);
    assert_int_equal(outbox_count(&o, "email", "vd@example.se", NULL, NULL), 0);
    outbox_dispose(&o);

    /* before the new deadline: nothing */
    assert_int_equal(loop_sweep(f->s, f->l, due2 - 1, &n, &err), 0);
    assert_int_equal(n, 0);
    get_case(f, r, &k);
    assert_int_equal(k.escalation, 1);

    /* after it: the next team up */
    assert_int_equal(loop_sweep(f->s, f->l, due2 + 1, &n, &err), 0);
    assert_int_equal(n, 1);
    get_case(f, r, &k);
    assert_int_equal(k.escalation, 2);
    assert_int_equal(k.due, bizcal_add(cal, due2 + 1, 8 * HOUR));
    outbox_get(f, &o);
    assert_int_equal(
        outbox_count(&o, "email", "vd@example.se", "case.escalated", NULL), 1);
    assert_int_equal(
        outbox_count(&o, "email", "chef@example.se", "case.escalated", NULL),
        1);
    outbox_dispose(&o);

    /* a resolved case is not escalated */
    assert_int_equal(
        change(f, k.id, CASE_RESOLVE, NULL, NULL, "anna", NULL, due2 + 2), 0);
    assert_int_equal(loop_sweep(f->s, f->l, due2 + 30 * DAY, &n, &err), 0);
    assert_int_equal(n, 0);

    struct audit_list al;
    memset(&al, 0, sizeof al);
    assert_int_equal(store_scan_audit(f->s, 0, copy_audit, &al, &err), 0);
    int esc = 0;
    for (int j = 0; j < al.n; j++)
        if (!strcmp(al.action[j], "case.escalate")) {
            assert_string_equal(al.actor[j], "resonans");
            esc++;
        }
    assert_int_equal(esc, 2);
}

/* ---- delivery: a webhook receiver on loopback ---- */

struct receiver {
    atomic_int calls;
    atomic_int signed_ok;
    atomic_int fail_first; /* answer 503 to calls up to this; -1 always */
    _Atomic int64_t now;   /* the test's clock, for the signature's age */
    char last_body[4096];
};

static enum http_verdict receive(void *ctx, struct http_req *req,
                                 struct http_resp *resp)
{
    struct receiver *rc = ctx;
    size_t n;
    const char *body = http_body(req, &n);
    int k = atomic_fetch_add(&rc->calls, 1) + 1;
    if (webhook_verify(SECRET, http_header(req, WEBHOOK_SIGNATURE_HEADER), body,
                       n, atomic_load(&rc->now), 300))
        atomic_fetch_add(&rc->signed_ok, 1);
    snprintf(rc->last_body, sizeof rc->last_body, "%.*s", (int)n, body);
    int ff = atomic_load(&rc->fail_first);
    int fail = ff < 0 || k <= ff;
    http_resp_set(resp, fail ? 503 : 200, "text/plain", "x", 1);
    return HTTP_DONE;
}

static struct httpd *receiver_start(struct receiver *rc, char *url, size_t cap)
{
    struct httpd *h;
    struct err err = ERR_INIT;
    struct httpd_opts o = {"127.0.0.1", 0, 1, 1 << 20, 10, 64, 0};
    assert_int_equal(webhook_global_init(), 0);
    assert_int_equal(httpd_start(&h, &o, receive, NULL, rc, &err), 0);
    snprintf(url, cap, "http://127.0.0.1:%d/hook", httpd_port(h));
    return h;
}

static void deliver(struct fx *f, const struct mail_server *mail, int64_t now,
                    struct loop_delivery *d)
{
    struct err err = ERR_INIT;
    assert_int_equal(loop_deliver(f->s, f->l, mail, now, 100, d, &err), 0);
}

static void test_deliver_webhook_backs_off_then_sends(void **state)
{
    struct fx *f = *state;
    struct receiver rc;
    struct loop_applied a;
    struct loop_delivery d;
    struct outbox o;
    char url[128];
    memset(&rc, 0, sizeof rc);
    rc.fail_first = 2;
    struct httpd *h = receiver_start(&rc, url, sizeof url);
    fx_doc(f, url, "immediate", 5);
    response(f, KT, 0, FRI16, 2, NULL, NULL);
    apply(f, FRI16, &a);
    assert_int_equal(a.opened, 1);

    int64_t t = FRI16;
    atomic_store(&rc.now, t);
    deliver(f, NULL, t, &d); /* 503; the e-mail waits for a server */
    assert_int_equal(atomic_load(&rc.calls), 1);
    assert_int_equal(d.retried, 1);
    assert_int_equal(d.sent, 0);
    /* retry_seconds 60: not before */
    deliver(f, NULL, t + 59, &d);
    assert_int_equal(atomic_load(&rc.calls), 1);
    t += 60;
    atomic_store(&rc.now, t);
    deliver(f, NULL, t, &d); /* 503 again; now 120 s */
    assert_int_equal(atomic_load(&rc.calls), 2);
    assert_int_equal(d.retried, 1);
    deliver(f, NULL, t + 119, &d);
    assert_int_equal(atomic_load(&rc.calls), 2);
    t += 120;
    atomic_store(&rc.now, t);
    deliver(f, NULL, t, &d);
    assert_int_equal(atomic_load(&rc.calls), 3);
    assert_int_equal(d.sent, 1);
    assert_int_equal(atomic_load(&rc.signed_ok), 3);

    outbox_get(f, &o);
    int i = -1;
    assert_int_equal(outbox_count(&o, "webhook", url, NULL, &i), 1);
    assert_int_equal(o.m[i].state, OUTBOX_SENT);
    assert_int_equal(o.m[i].attempts, 3);
    assert_string_equal(rc.last_body, o.m[i].payload);
    /* the e-mail row: still pending, no try counted */
    assert_int_equal(outbox_count(&o, "email", "ks@example.se", NULL, &i), 1);
    assert_int_equal(o.m[i].state, OUTBOX_PENDING);
    assert_int_equal(o.m[i].attempts, 0);
    outbox_dispose(&o);
    /* nothing more goes out */
    deliver(f, NULL, t + DAY, &d);
    assert_int_equal(atomic_load(&rc.calls), 3);
    httpd_stop(h);
}

static void test_deliver_dead_letter_and_retry(void **state)
{
    struct fx *f = *state;
    struct err err = ERR_INIT;
    struct receiver rc;
    struct loop_applied a;
    struct loop_delivery d;
    struct outbox o;
    char url[128];
    memset(&rc, 0, sizeof rc);
    rc.fail_first = -1;
    struct httpd *h = receiver_start(&rc, url, sizeof url);
    fx_doc(f, url, "immediate", 3);
    response(f, KT, 0, FRI16, 2, NULL, NULL);
    apply(f, FRI16, &a);

    int64_t t = FRI16;
    long dead = 0;
    for (int k = 0; k < 3; k++, t += DAY) {
        atomic_store(&rc.now, t);
        deliver(f, NULL, t, &d);
        dead += d.dead;
    }
    assert_int_equal(atomic_load(&rc.calls), 3);
    assert_int_equal(dead, 1);
    outbox_get(f, &o);
    int i = -1;
    assert_int_equal(outbox_count(&o, "webhook", url, NULL, &i), 1);
    assert_int_equal(o.m[i].state, OUTBOX_DEAD);
    assert_int_equal(o.m[i].attempts, 3);
    int64_t id = o.m[i].id;
    outbox_dispose(&o);
    /* dead stays dead */
    deliver(f, NULL, t + DAY, &d);
    assert_int_equal(atomic_load(&rc.calls), 3);

    /* retry: pending again, due now; a working receiver gets it */
    assert_int_equal(loop_retry(f->s, id, t, &err), 0);
    outbox_get(f, &o);
    assert_int_equal(outbox_count(&o, "webhook", url, NULL, &i), 1);
    assert_int_equal(o.m[i].state, OUTBOX_PENDING);
    assert_int_equal(o.m[i].attempts, 0);
    outbox_dispose(&o);
    atomic_store(&rc.fail_first, 0);
    atomic_store(&rc.now, t);
    deliver(f, NULL, t, &d);
    assert_int_equal(d.sent, 1);
    assert_int_equal(atomic_load(&rc.calls), 4);
    assert_int_equal(atomic_load(&rc.signed_ok), 4);
    outbox_get(f, &o);
    assert_int_equal(outbox_count(&o, "webhook", url, NULL, &i), 1);
    assert_int_equal(o.m[i].state, OUTBOX_SENT);
    assert_int_equal(o.m[i].attempts, 1);
    outbox_dispose(&o);
    /* a message that is not dead cannot be retried */
    err = (struct err)ERR_INIT;
    assert_int_equal(loop_retry(f->s, id, t, &err), ERR_NOTFOUND);
    httpd_stop(h);
}

/* ---- delivery: an SMTP sink on loopback, any number of connections ---- */

#define SINK_MAX 8
struct sink {
    int lfd, port;
    pthread_t th;
    atomic_int stop;
    atomic_int messages;
    char rcpt[SINK_MAX][128];
    struct strbuf data[SINK_MAX]; /* each message as received */
};

static void sink_session(struct sink *s, int fd)
{
    struct harness_conn c = {0};
    char line[2048], rcpt[128] = "";
    size_t n;
    struct timeval tv = {5, 0};
    c.fd = fd;
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    harness_say(fd, "220 sink ESMTP\r\n");
    while (harness_conn_line(&c, line, sizeof line, &n) == 0) {
        if (!strncasecmp(line, "EHLO", 4)) {
            harness_say(fd, "250-sink\r\n250 HELP\r\n");
        } else if (!strncasecmp(line, "HELO", 4) ||
                   !strncasecmp(line, "MAIL FROM:", 10) ||
                   !strncasecmp(line, "RSET", 4) ||
                   !strncasecmp(line, "NOOP", 4)) {
            harness_say(fd, "250 Ok\r\n");
        } else if (!strncasecmp(line, "RCPT TO:", 8)) {
            harness_angle(line, rcpt, sizeof rcpt);
            harness_say(fd, "250 Ok\r\n");
        } else if (!strncasecmp(line, "DATA", 4)) {
            int k = atomic_load(&s->messages);
            struct strbuf scratch = STRBUF_INIT;
            struct strbuf *d = k < SINK_MAX ? &s->data[k] : &scratch;
            harness_say(fd, "354 go on\r\n");
            while (harness_conn_line(&c, line, sizeof line, &n) == 0) {
                if (!strcmp(line, ".\r\n"))
                    break;
                const char *l = line[0] == '.' ? line + 1 : line;
                strbuf_add(d, l, n - (size_t)(l - line));
            }
            strbuf_dispose(&scratch);
            if (k < SINK_MAX)
                snprintf(s->rcpt[k], sizeof s->rcpt[k], "%s", rcpt);
            atomic_fetch_add(&s->messages, 1);
            harness_say(fd, "250 Ok: queued\r\n");
        } else if (!strncasecmp(line, "QUIT", 4)) {
            harness_say(fd, "221 Bye\r\n");
            break;
        } else {
            harness_say(fd, "502 Not recognised\r\n");
        }
    }
    close(fd);
}

static void *sink_run(void *arg)
{
    struct sink *s = arg;
    while (!atomic_load(&s->stop)) {
        struct pollfd p = {s->lfd, POLLIN, 0};
        if (poll(&p, 1, 50) != 1)
            continue;
        int fd = accept(s->lfd, NULL, NULL);
        if (fd >= 0)
            sink_session(s, fd);
    }
    return NULL;
}

static void sink_start(struct sink *s)
{
    memset(s, 0, sizeof *s);
    for (int i = 0; i < SINK_MAX; i++)
        strbuf_init(&s->data[i], 1 << 20);
    s->lfd = harness_listen_any(&s->port, 8);
    assert_int_equal(pthread_create(&s->th, NULL, sink_run, s), 0);
}

static void sink_stop(struct sink *s)
{
    atomic_store(&s->stop, 1);
    pthread_join(s->th, NULL);
    close(s->lfd);
    for (int i = 0; i < SINK_MAX; i++)
        strbuf_dispose(&s->data[i]);
}

/* Message k's base64 body, decoded. Caller frees. */
static char *sink_body(struct sink *s, int k)
{
    const char *msg = s->data[k].p;
    assert_non_null(msg);
    const char *b = strstr(msg, "\r\n\r\n");
    assert_non_null(b);
    b += 4;
    size_t len = strlen(b), n;
    char *out = malloc(len + 1);
    assert_int_equal(sodium_base642bin((unsigned char *)out, len, b, len,
                                       "\r\n", &n, NULL,
                                       sodium_base64_VARIANT_ORIGINAL),
                     0);
    out[n] = 0;
    return out;
}

static void mail_at(struct mail_server *m, char *url, size_t cap, int port)
{
    snprintf(url, cap, "smtp://127.0.0.1:%d", port);
    memset(m, 0, sizeof *m);
    m->url = url;
    m->from = "resonans@example.se";
    m->timeout_ms = 5000;
}

/* Two detractors at kundtjanst, the cases' ids into id[2]. */
static void two_cases(struct fx *f, int64_t now, int64_t id[2])
{
    struct loop_applied a;
    struct casecopy k;
    int64_t r0 = response(f, KT, 0, now - 60, 1, NULL, NULL);
    int64_t r1 = response(f, KT, 0, now - 30, 2, NULL, NULL);
    apply(f, now, &a);
    assert_int_equal(a.opened, 2);
    get_case(f, r0, &k);
    id[0] = k.id;
    get_case(f, r1, &k);
    id[1] = k.id;
}

static void test_deliver_mail_immediate_one_per_row(void **state)
{
    struct fx *f = *state;
    struct mail_server m;
    struct loop_delivery d;
    struct outbox o;
    struct sink s;
    char url[64], want[64];
    int64_t id[2];
    assert_int_equal(mail_global_init(), 0);
    fx_doc(f, "", "immediate", 5);
    two_cases(f, FRI16, id);
    sink_start(&s);
    mail_at(&m, url, sizeof url, s.port);
    deliver(f, &m, FRI16, &d);
    assert_int_equal(d.sent, 2);
    assert_int_equal(atomic_load(&s.messages), 2);
    for (int k = 0; k < 2; k++) {
        assert_string_equal(s.rcpt[k], "ks@example.se");
        char *body = sink_body(&s, k);
        snprintf(want, sizeof want, "#%lld:", (long long)id[k]);
        assert_non_null(strstr(body, want));
        snprintf(want, sizeof want, "#%lld:", (long long)id[!k]);
        assert_null(strstr(body, want));
        free(body);
    }
    outbox_get(f, &o);
    for (int i = 0; i < o.n; i++) {
        assert_int_equal(o.m[i].state, OUTBOX_SENT);
        assert_int_equal(o.m[i].attempts, 1);
    }
    assert_int_equal(o.n, 2);
    outbox_dispose(&o);
    sink_stop(&s);
}

static void test_deliver_mail_digest_one_message(void **state)
{
    struct fx *f = *state;
    struct mail_server m;
    struct loop_delivery d;
    struct outbox o;
    struct sink s;
    char url[64], want[64];
    int64_t id[2];
    assert_int_equal(mail_global_init(), 0);
    fx_doc(f, "", "digest", 5); /* digest_hours 1 */
    int64_t now = FRI16 + 10 * 60;
    two_cases(f, now, id);
    int64_t hour = (now / HOUR + 1) * HOUR; /* the next full hour */
    outbox_get(f, &o);
    assert_int_equal(o.n, 2);
    for (int i = 0; i < o.n; i++)
        assert_int_equal(o.m[i].next_at, hour);
    outbox_dispose(&o);
    sink_start(&s);
    mail_at(&m, url, sizeof url, s.port);
    deliver(f, &m, hour - 1, &d); /* not due yet */
    assert_int_equal(d.sent, 0);
    deliver(f, &m, hour, &d);
    assert_int_equal(d.sent, 2);
    assert_int_equal(atomic_load(&s.messages), 1);
    assert_string_equal(s.rcpt[0], "ks@example.se");
    char *body = sink_body(&s, 0);
    for (int k = 0; k < 2; k++) {
        snprintf(want, sizeof want, "#%lld:", (long long)id[k]);
        assert_non_null(strstr(body, want));
    }
    free(body);
    outbox_get(f, &o);
    for (int i = 0; i < o.n; i++)
        assert_int_equal(o.m[i].state, OUTBOX_SENT);
    outbox_dispose(&o);
    sink_stop(&s);
}

static void test_deliver_without_mail_server_waits(void **state)
{
    struct fx *f = *state;
    struct loop_delivery d;
    struct outbox o;
    int64_t id[2];
    fx_doc(f, "", "immediate", 2);
    two_cases(f, FRI16, id);
    for (int k = 0; k < 5; k++) {
        deliver(f, NULL, FRI16 + k * DAY, &d);
        assert_int_equal(d.sent + d.retried + d.dead, 0);
    }
    outbox_get(f, &o);
    assert_int_equal(o.n, 2);
    for (int i = 0; i < o.n; i++) {
        assert_int_equal(o.m[i].state, OUTBOX_PENDING);
        assert_int_equal(o.m[i].attempts, 0);
    }
    outbox_dispose(&o);
}

/* With no loop document loaded, queued e-mail (the weekly digest) is
 * still delivered, with the default tries; a webhook waits for one, as
 * its secret lives there. */
static void test_deliver_mail_without_document(void **state)
{
    struct fx *f = *state;
    struct mail_server m;
    struct loop_delivery d;
    struct outbox o;
    struct sink s;
    struct err err = ERR_INIT;
    char url[64];
    struct outbox_msg mail = {0}, hook = {0};
    mail.kind = "email";
    mail.target = "chef@example.se";
    mail.event = "digest.weekly";
    mail.payload = "NPS +12.0";
    mail.subject = "Resonans veckorapport";
    mail.created = mail.next_at = FRI16;
    hook = mail;
    hook.kind = "webhook";
    hook.target = "http://127.0.0.1:9/hook";
    hook.subject = NULL;
    assert_int_equal(store_put_outbox(f->s, &mail, &err), 0);
    assert_int_equal(store_put_outbox(f->s, &hook, &err), 0);
    loop_free(f->l); /* no document */
    f->l = NULL;
    deliver(f, NULL, FRI16, &d); /* no mail server: everything waits */
    assert_int_equal(d.sent + d.retried + d.dead, 0);
    assert_int_equal(mail_global_init(), 0);
    sink_start(&s);
    mail_at(&m, url, sizeof url, s.port);
    deliver(f, &m, FRI16, &d);
    assert_int_equal(d.sent, 1);
    assert_int_equal(d.retried + d.dead, 0);
    assert_int_equal(atomic_load(&s.messages), 1);
    assert_string_equal(s.rcpt[0], "chef@example.se");
    outbox_get(f, &o);
    assert_int_equal(o.n, 2);
    for (int i = 0; i < o.n; i++)
        assert_int_equal(o.m[i].state, !strcmp(o.m[i].kind, "email")
                                           ? OUTBOX_SENT
                                           : OUTBOX_PENDING);
    outbox_dispose(&o);
    int64_t last = -1;
    assert_int_equal(store_outbox_last(f->s, "digest.weekly", &last, &err), 0);
    assert_int_equal(last, FRI16);
    assert_int_equal(store_outbox_last(f->s, "case.opened", &last, &err), 0);
    assert_int_equal(last, 0);
    store_read_end(f->s);
    sink_stop(&s);
}

static int count_note(void *ctx, const struct case_note *n)
{
    (void)n;
    ++*(int *)ctx;
    return 0;
}

/* Erasing a customer takes their cases, the cases' notes and the
 * notifications still waiting; another customer's case stays. */
static void test_erasure_takes_cases_notes_and_outbox(void **state)
{
    struct fx *f = *state;
    struct loop_applied a;
    struct casecopy k;
    struct outbox o;
    struct err err = ERR_INIT;
    int64_t gone = customer(f, "c-gone", "bort@example.se");
    int64_t kept = customer(f, "c-kept", "kvar@example.se");
    int64_t r1 = response(f, KT, gone, FRI16 - 600, 2, NULL, NULL);
    int64_t r2 = response(f, KT, kept, FRI16 - 300, 2, NULL, NULL);
    apply(f, FRI16, &a);
    assert_int_equal(a.opened, 2);
    get_case(f, r1, &k);
    assert_int_equal(k.n, 1);
    struct loop_actor who = {"anna", NULL};
    struct case_change note = {CASE_NOTE, NULL, NULL, "Ringt kunden", -1};
    assert_int_equal(
        loop_case_change(f->s, f->l, k.id, &note, &who, FRI16 + 60, &err), 0);
    outbox_get(f, &o);
    assert_int_equal(o.n, 4); /* a webhook and an e-mail each */
    outbox_dispose(&o);

    struct store_erased out;
    memset(&out, 0, sizeof out);
    assert_int_equal(
        store_erase_customer(f->s, "c-gone", "test", "hash", &out, &err), 0);
    get_case(f, r1, &k);
    assert_int_equal(k.n, 0);
    get_case(f, r2, &k);
    assert_int_equal(k.n, 1); /* the other customer's stays */
    outbox_get(f, &o);
    assert_int_equal(o.n, 2);
    for (int i = 0; i < o.n; i++)
        assert_int_equal(o.m[i].case_id, k.id);
    outbox_dispose(&o);
    int notes = 0;
    assert_int_equal(store_scan_case_notes(f->s, 1, count_note, &notes, &err),
                     0);
    assert_int_equal(notes, 0);
}

/* A case goes only to a team the loop knows: one in the document or one
 * that owns a touchpoint. */
static void test_assign_to_unknown_team_refused(void **state)
{
    struct fx *f = *state;
    struct loop_applied a;
    struct casecopy k;
    struct err err = ERR_INIT;
    int64_t cu = customer(f, "c1", "kund1@example.se");
    int64_t r = response(f, KT, cu, FRI16 - 600, 2, NULL, NULL);
    apply(f, FRI16, &a);
    get_case(f, r, &k);
    struct loop_actor who = {"anna", NULL};
    struct case_change ch = {CASE_ASSIGN, "Ingen sådan", NULL, NULL, -1};
    assert_int_equal(
        loop_case_change(f->s, f->l, k.id, &ch, &who, FRI16 + 60, &err),
        ERR_NOTFOUND);
    assert_non_null(strstr(err.msg, "Ingen sådan"));
    ch.team = "Drift"; /* owns reparation */
    err_clear(&err);
    assert_int_equal(
        loop_case_change(f->s, f->l, k.id, &ch, &who, FRI16 + 60, &err), 0);
    get_case(f, r, &k);
    assert_string_equal(k.team, "Drift");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_errors_name_the_path),
        cmocka_unit_test_setup_teardown(
            test_apply_detractor_opens_one_case_for_owner, fx_setup,
            fx_teardown),
        cmocka_unit_test_setup_teardown(test_apply_deadline_across_easter,
                                        fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_apply_rule_team_overrides_owner,
                                        fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(
            test_backfill_opens_at_response_time_silently, fx_setup,
            fx_teardown),
        cmocka_unit_test_setup_teardown(test_case_life_audit_and_recovery,
                                        fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_sweep_escalates_after_deadline,
                                        fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(
            test_deliver_webhook_backs_off_then_sends, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_deliver_dead_letter_and_retry,
                                        fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_deliver_mail_immediate_one_per_row,
                                        fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_deliver_mail_digest_one_message,
                                        fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_deliver_without_mail_server_waits,
                                        fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_deliver_mail_without_document,
                                        fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(
            test_erasure_takes_cases_notes_and_outbox, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_assign_to_unknown_team_refused,
                                        fx_setup, fx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
