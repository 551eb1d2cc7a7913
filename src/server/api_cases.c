/* The closed loop's API (docs/api.md, docs/closed-loop.md): cases, their
 * changes, the loop's figures, improvements, the loop document and the
 * outbox. Every answer is a result (report/cases_report.h) rendered as
 * JSON, the same value the CLI renders as a table. A touchpoint owner
 * sees and acts on the cases of their touchpoints and of the teams that
 * own them, and no others: another case is "not found". */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "analysis/area_drivers.h"
#include "core/err.h"
#include "core/strbuf.h"
#include "core/tstamp.h"
#include "loop/loop.h"
#include "loop/loop_metrics.h"
#include "query/prepare.h"
#include "report/cases_report.h"
#include "report/result.h"
#include "server/notifier.h"
#include "server/resident.h"
#include "server/server_int.h"
#include "store/store.h"
#include "store/store_loop.h"

static enum http_verdict send_result(struct call *c, int status,
                                     struct result *r)
{
    struct strbuf b = STRBUF_INIT;
    struct err err = ERR_INIT;
    int rc = result_render(&b, r, RESULT_FORMAT_JSON, &err);
    result_free(r);
    if (rc < 0) {
        strbuf_dispose(&b);
        return srv_fail(c, &err);
    }
    size_t n;
    char *p = strbuf_detach(&b, &n);
    return srv_send(c, status, "application/json", p, n);
}

/* An owner's touchpoints as "a,b" into b; NULL (all cases) for others. */
const char *srv_visible(const struct call *c, struct strbuf *b)
{
    if (!c->p || c->p->role != ROLE_OWNER)
        return NULL;
    strbuf_puts(b, "");
    for (int i = 0; i < c->p->n_touchpoints; i++)
        strbuf_printf(b, "%s%s", i ? "," : "", c->p->touchpoints[i]);
    return b->p ? b->p : "";
}

int srv_case_change(struct call *c, int64_t id, const struct case_change *ch,
                    const struct loop_actor *a, struct err *err)
{
    struct loop *l = NULL;
    char base[300];
    int rc = loop_load(&l, c->srv->admin, err);
    if (rc == ERR_NOTFOUND) { /* no document: cases still change */
        err_clear(err);
        rc = 0;
    }
    srv_base_url(c->srv, base, sizeof base);
    loop_default_base_url(l, base);
    if (rc == 0)
        rc = loop_case_change(c->srv->admin, l, id, ch, a, (int64_t)time(NULL),
                              err);
    loop_free(l);
    return rc;
}

/* ?name= as a time (a date or ISO 8601) into *out (0 when absent);
 * -1 after answering 400. */
static int time_arg(struct call *c, const char *name, int64_t *out)
{
    const char *v = http_arg(c->req, name);
    struct err err = ERR_INIT;
    *out = 0;
    if (!v)
        return 0;
    if (tstamp_parse_instant(out, v, &err) < 0) {
        srv_error(c, 400, "invalid", err.msg, name);
        return -1;
    }
    return 0;
}

static int long_arg(struct call *c, const char *name, long lo, long hi,
                    long *out)
{
    const char *v = http_arg(c->req, name);
    char *end;
    if (!v)
        return 0;
    long x = strtol(v, &end, 10);
    if (!*v || *end || x < lo || x > hi) {
        char msg[96];
        snprintf(msg, sizeof msg, "must be a whole number %ld..%ld", lo, hi);
        srv_error(c, 400, "invalid", msg, name);
        return -1;
    }
    *out = x;
    return 0;
}

static int case_id(struct call *c, int64_t *id)
{
    char buf[32], *end;
    if (srv_param(c, "id", buf, sizeof buf) < 0)
        return -1;
    long long v = strtoll(buf, &end, 10);
    if (*end || v <= 0) {
        srv_error(c, 404, "not_found", "no such case", "id");
        return -1;
    }
    *id = v;
    return 0;
}

/* GET /api/cases?status=open,assigned&team=&touchpoint=&overdue=1&from=
 * &to=&after=&limit= */
enum http_verdict h_cases_list(struct call *c)
{
    struct case_filter f = CASE_FILTER_INIT;
    struct strbuf vis = STRBUF_INIT;
    struct err err = ERR_INIT;
    struct result *r;
    long limit = 100, after = 0;
    int64_t now = (int64_t)time(NULL);
    const char *st = http_arg(c->req, "status");
    if (time_arg(c, "from", &f.from) < 0 || time_arg(c, "to", &f.to) < 0 ||
        long_arg(c, "limit", 1, 10000, &limit) < 0 ||
        long_arg(c, "after", 0, 1L << 62, &after) < 0)
        return HTTP_DONE;
    if (st) {
        char buf[128];
        snprintf(buf, sizeof buf, "%s", st);
        for (char *t = strtok(buf, ","); t; t = strtok(NULL, ",")) {
            enum case_status s;
            if (case_status_parse(&s, t) < 0)
                return srv_error(c, 400, "invalid",
                                 "status: open, assigned, contacted, "
                                 "resolved or closed",
                                 "status");
            f.status_mask |= 1u << s;
        }
    }
    const char *od = http_arg(c->req, "overdue");
    if (od && (!strcmp(od, "1") || !strcmp(od, "true")))
        f.due_before = now;
    f.team = http_arg(c->req, "team");
    f.touchpoint = http_arg(c->req, "touchpoint");
    f.limit = limit;
    f.after_id = after;
    f.visible = srv_visible(c, &vis);
    struct store *s = srv_reader(c);
    int rc = s ? cases_list_result(&r, s, &f, now, &err) : 0;
    strbuf_dispose(&vis);
    if (!s)
        return HTTP_DONE;
    if (rc < 0)
        return srv_fail(c, &err);
    return send_result(c, 200, r);
}

/* GET /api/cases/{id} */
enum http_verdict h_case_get(struct call *c)
{
    struct strbuf vis = STRBUF_INIT;
    struct err err = ERR_INIT;
    struct result *r;
    int64_t id;
    if (case_id(c, &id) < 0)
        return HTTP_DONE;
    struct store *s = srv_reader(c);
    int rc = s ? case_show_result(&r, s, id, srv_visible(c, &vis),
                                  (int64_t)time(NULL), &err)
               : 0;
    strbuf_dispose(&vis);
    if (!s)
        return HTTP_DONE;
    if (rc < 0)
        return srv_fail(c, &err);
    srv_audit(c, "case.read", "case", NULL);
    return send_result(c, 200, r);
}

/* POST /api/cases/{id}/{action} with an optional JSON body: {"team",
 * "assignee", "note", "recovery": true|false, "text"}. */
enum http_verdict h_case_action(struct call *c)
{
    char action[16];
    int64_t id;
    if (case_id(c, &id) < 0 ||
        srv_param(c, "action", action, sizeof action) < 0)
        return HTTP_DONE;
    /* a read-only token may look, not act; a person signed in may act on
     * the cases they see */
    if (c->p->via_token && !(c->p->scopes & SCOPE_WRITE))
        return srv_error(c, 403, "forbidden",
                         "acting on a case needs a token with the write "
                         "scope",
                         NULL);
    struct case_change ch = {CASE_NOTE, NULL, NULL, NULL, -1};
    if (!strcmp(action, "assign"))
        ch.action = CASE_ASSIGN;
    else if (!strcmp(action, "contact"))
        ch.action = CASE_CONTACT;
    else if (!strcmp(action, "resolve"))
        ch.action = CASE_RESOLVE;
    else if (!strcmp(action, "close"))
        ch.action = CASE_CLOSE;
    else if (!strcmp(action, "notes"))
        ch.action = CASE_NOTE;
    else
        return srv_error(c, 404, "not_found",
                         "actions: assign, contact, resolve, close, notes",
                         "action");
    size_t len;
    const char *body = http_body(c->req, &len);
    json_t *o = NULL;
    if (len) {
        json_error_t je;
        o = json_loadb(body, len, JSON_REJECT_DUPLICATES, &je);
        if (!json_is_object(o)) {
            json_decref(o);
            return srv_error(c, 400, "invalid",
                             "the body must be a JSON object", NULL);
        }
    }
    ch.team = json_string_value(json_object_get(o, "team"));
    ch.assignee = json_string_value(json_object_get(o, "assignee"));
    ch.note = json_string_value(
        json_object_get(o, ch.action == CASE_NOTE ? "text" : "note"));
    json_t *rec = json_object_get(o, "recovery");
    if (rec)
        ch.recovery = json_is_true(rec);
    char who[96];
    snprintf(who, sizeof who, "%s%s", c->p->name,
             c->p->via_token ? " (token)" : "");
    struct strbuf vis = STRBUF_INIT;
    struct loop_actor a = {who, srv_visible(c, &vis)};
    struct err err = ERR_INIT;
    pthread_mutex_lock(&c->srv->admin_mu);
    int rc = srv_case_change(c, id, &ch, &a, &err);
    struct result *r = NULL;
    if (rc == 0)
        rc = case_show_result(&r, c->srv->admin, id, a.visible,
                              (int64_t)time(NULL), &err);
    store_read_end(c->srv->admin);
    pthread_mutex_unlock(&c->srv->admin_mu);
    json_decref(o);
    strbuf_dispose(&vis);
    if (rc < 0)
        return srv_fail(c, &err);
    notifier_poke(c->srv->notifier);
    return send_result(c, 200, r);
}

/* GET /api/cases/metrics?by=team|touchpoint&from=&to=&min_n= */
enum http_verdict h_cases_metrics(struct call *c)
{
    struct strbuf vis = STRBUF_INIT;
    struct err err = ERR_INIT;
    struct case_metrics m;
    struct loop *l = NULL;
    struct result *r;
    int64_t from, to;
    long min_n = 30;
    const char *by = http_arg(c->req, "by");
    if (time_arg(c, "from", &from) < 0 || time_arg(c, "to", &to) < 0 ||
        long_arg(c, "min_n", 1, 1000000, &min_n) < 0)
        return HTTP_DONE;
    if (by && strcmp(by, "team") != 0 && strcmp(by, "touchpoint") != 0)
        return srv_error(c, 400, "invalid", "by: team or touchpoint", "by");
    struct store *s = srv_reader(c);
    if (!s)
        return HTTP_DONE;
    int rc = loop_load(&l, s, &err);
    if (rc == 0)
        rc = loop_case_metrics(
            s, l,
            by && !strcmp(by, "touchpoint") ? LOOP_BY_TOUCHPOINT : LOOP_BY_TEAM,
            from, to, srv_visible(c, &vis), (int64_t)time(NULL), &m, &err);
    loop_free(l);
    strbuf_dispose(&vis);
    if (rc < 0)
        return srv_fail(c, &err);
    case_metrics_result(&r, &m, by ? by : "team", (int)min_n);
    case_metrics_dispose(&m);
    return send_result(c, 200, r);
}

struct area_prep {
    struct colstore *cs;
    struct store *s;
    struct err *err;
};

static int area_prep_field(void *ctx, const struct field *f)
{
    struct area_prep *p = ctx;
    return query_prepare_field(p->cs, p->s, f, FIELD_RESPONSES, p->err);
}

/* The areas' driver share on the resident column store, under its lock
 * as the analyses use it (api_analyses.c). */
static int area_shares(struct call *c, struct store *s,
                       struct improvement_areas *a, int64_t from, int64_t to,
                       long min_n, struct area_drivers_info *info,
                       struct err *err)
{
    struct area_drivers_opts o = AREA_DRIVERS_OPTS_INIT;
    o.from = from;
    o.to = to;
    o.min_n = (int)min_n;
    struct colstore *cs = resident_lock(c->srv->res);
    struct area_prep p = {cs, s, err};
    int rc = area_drivers_fields(area_prep_field, &p);
    if (rc == 0)
        rc = area_drivers_fill(a, cs, &o, info, err);
    resident_unlock(c->srv->res);
    return rc;
}

/* GET /api/cases/areas?from=&to=&window=&min_n=&drivers=0 */
enum http_verdict h_cases_areas(struct call *c)
{
    struct strbuf vis = STRBUF_INIT;
    struct err err = ERR_INIT;
    struct improvement_areas a;
    struct area_drivers_info info;
    struct result *r;
    int64_t from, to;
    long window = 30, min_n = 30;
    const char *dv = http_arg(c->req, "drivers");
    int drivers = !dv || !strcmp(dv, "1") || !strcmp(dv, "true");
    if (dv && !drivers && strcmp(dv, "0") != 0 && strcmp(dv, "false") != 0)
        return srv_error(c, 400, "invalid", "drivers: 1 or 0", "drivers");
    if (time_arg(c, "from", &from) < 0 || time_arg(c, "to", &to) < 0 ||
        long_arg(c, "window", 1, 3650, &window) < 0 ||
        long_arg(c, "min_n", 1, 1000000, &min_n) < 0)
        return HTTP_DONE;
    struct store *s = srv_reader(c);
    if (!s)
        return HTTP_DONE;
    int rc =
        loop_areas(s, from, to, srv_visible(c, &vis), (int)window, &a, &err);
    strbuf_dispose(&vis);
    if (rc < 0)
        return srv_fail(c, &err);
    int themed = 0;
    for (size_t i = 0; i < a.n; i++)
        themed |= a.a[i].theme != NULL;
    drivers = drivers && themed;
    if (drivers && area_shares(c, s, &a, from, to, min_n, &info, &err) < 0) {
        improvement_areas_dispose(&a);
        return srv_fail(c, &err);
    }
    areas_result(&r, &a, (int)min_n, drivers ? &info : NULL);
    improvement_areas_dispose(&a);
    return send_result(c, 200, r);
}

/* POST /api/improvements {"touchpoint", "theme", "title", "done"} */
enum http_verdict h_improvements_create(struct call *c)
{
    size_t len;
    const char *body = http_body(c->req, &len);
    json_error_t je;
    json_t *o = json_loadb(body, len, JSON_REJECT_DUPLICATES, &je);
    struct improvement im = {0};
    struct err err = ERR_INIT;
    int64_t tp, ch;
    if (!json_is_object(o)) {
        json_decref(o);
        return srv_error(c, 400, "invalid", "the body must be a JSON object",
                         NULL);
    }
    const char *key = json_string_value(json_object_get(o, "touchpoint"));
    const char *done = json_string_value(json_object_get(o, "done"));
    im.title = json_string_value(json_object_get(o, "title"));
    im.theme = json_string_value(json_object_get(o, "theme"));
    const char *bad = NULL, *field = NULL;
    if (!key || srv_touchpoint(c->srv, key, &tp, &ch, NULL, 0) < 0)
        bad = "a touchpoint key is required", field = "touchpoint";
    else if (!im.title || !*im.title)
        bad = "a title is required", field = "title";
    else if (!done || tstamp_parse_instant(&im.done_at, done, &err) < 0)
        bad = "done: when it took effect, a date or an ISO 8601 time",
        field = "done";
    if (bad) {
        json_decref(o);
        return srv_error(c, 400, "invalid", bad, field);
    }
    char who[96];
    snprintf(who, sizeof who, "%s%s", c->p->name,
             c->p->via_token ? " (token)" : "");
    im.touchpoint_id = tp;
    im.actor = who;
    pthread_mutex_lock(&c->srv->admin_mu);
    int rc = store_put_improvement(c->srv->admin, &im, &err);
    pthread_mutex_unlock(&c->srv->admin_mu);
    json_t *out = rc == 0 ? json_pack("{s:I, s:s, s:s?, s:s, s:I}", "id",
                                      (json_int_t)im.id, "touchpoint", key,
                                      "theme", im.theme, "title", im.title,
                                      "done_at", (json_int_t)im.done_at)
                          : NULL;
    json_decref(o);
    if (rc < 0)
        return srv_fail(c, &err);
    srv_audit(c, "improvement.done", key, NULL);
    return srv_json(c, 201, out);
}

/* GET /api/rules: the loop document and its rules as a table. */
enum http_verdict h_rules_get(struct call *c)
{
    struct err err = ERR_INIT;
    struct store *s = srv_reader(c);
    char *json = NULL;
    int64_t id;
    struct loop *l = NULL;
    if (!s)
        return HTTP_DONE;
    if (store_get_rules(s, &json, &id, &err) < 0 ||
        loop_parse(&l, json, strlen(json), &err) < 0) {
        free(json);
        return srv_fail(c, &err);
    }
    struct result *r;
    rules_result(&r, l, json, id);
    loop_free(l);
    free(json);
    return send_result(c, 200, r);
}

/* PUT /api/rules?backfill_from=DATE with the loop document as the body. */
enum http_verdict h_rules_put(struct call *c)
{
    size_t len;
    const char *body = http_body(c->req, &len);
    struct err err = ERR_INIT;
    int64_t from;
    char who[96];
    if (time_arg(c, "backfill_from", &from) < 0)
        return HTTP_DONE;
    snprintf(who, sizeof who, "%s%s", c->p->name,
             c->p->via_token ? " (token)" : "");
    pthread_mutex_lock(&c->srv->admin_mu);
    int rc = loop_store(c->srv->admin, body, len, who, from, &err);
    store_read_end(c->srv->admin);
    pthread_mutex_unlock(&c->srv->admin_mu);
    if (rc < 0)
        return srv_fail(c, &err);
    notifier_poke(c->srv->notifier);
    return h_rules_get(c);
}

/* GET /api/notifications?state=pending|sent|dead&limit= */
enum http_verdict h_notifications_list(struct call *c)
{
    struct err err = ERR_INIT;
    struct result *r;
    long limit = 100;
    if (long_arg(c, "limit", 1, 10000, &limit) < 0)
        return HTTP_DONE;
    struct store *s = srv_reader(c);
    if (!s)
        return HTTP_DONE;
    if (outbox_result(&r, s, http_arg(c->req, "state"), limit, &err) < 0)
        return srv_fail(c, &err);
    return send_result(c, 200, r);
}

/* POST /api/notifications/{id}/retry: a dead one goes out again. */
enum http_verdict h_notification_retry(struct call *c)
{
    char buf[32], *end;
    struct err err = ERR_INIT;
    if (srv_param(c, "id", buf, sizeof buf) < 0)
        return HTTP_DONE;
    long long id = strtoll(buf, &end, 10);
    if (*end || id <= 0)
        return srv_error(c, 404, "not_found", "no such notification", "id");
    pthread_mutex_lock(&c->srv->admin_mu);
    int rc = loop_retry(c->srv->admin, id, (int64_t)time(NULL), &err);
    pthread_mutex_unlock(&c->srv->admin_mu);
    if (rc < 0)
        return srv_fail(c, &err);
    srv_audit(c, "notification.retry", buf, NULL);
    return srv_json(
        c, 200,
        json_pack("{s:I, s:s}", "id", (json_int_t)id, "state", "pending"));
}
