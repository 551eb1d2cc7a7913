/* The server's life (start, graceful stop), the route table, and the
 * dispatch every request goes through: route, access, handler, log. */
#include "server/server.h"

#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/asset.h"
#include "core/err.h"
#include "core/strbuf.h"
#include "core/xalloc.h"
#include "loop/mail.h"
#include "server/errlog.h"
#include "server/ingest.h"
#include "server/janitor.h"
#include "server/notifier.h"
#include "server/page_cache.h"
#include "server/pages_int.h"
#include "server/ratelimit.h"
#include "server/resident.h"
#include "server/server_int.h"
#include "server/stats.h"
#include "store/store.h"
#include "text/analyze.h"
#include "text/langid.h"
#include "text/sentiment.h"
#include "text/themes.h"

extern const struct asset web_assets[];
extern const unsigned long web_assets_count;

#define H(fn, access, group) (&(const struct handler){fn, access, group})

/* Every route. web/openapi.json documents each one, and
 * tests/server/test_openapi.c checks that the two agree. */
const struct route server_routes[] = {
    {"GET", "/healthz", H(h_healthz, A_PUBLIC, STATS_OTHER)},
    {"GET", "/metrics", H(h_metrics, A_PUBLIC, STATS_OTHER)},
    {"GET", "/assets/{name}", H(h_asset, A_PUBLIC, STATS_OTHER)},
    {"GET", "/s/{survey}", H(h_survey_page, A_PUBLIC, STATS_PUBLIC)},
    {"POST", "/s/{survey}", H(h_survey_post, A_PUBLIC, STATS_PUBLIC)},
    {"POST", "/api/public/surveys/{survey}/responses",
     H(h_survey_submit_json, A_PUBLIC, STATS_PUBLIC)},
    {"GET", "/api/openapi.json", H(h_openapi, A_PUBLIC, STATS_OTHER)},
    {"POST", "/api/session", H(h_login, A_PUBLIC, STATS_API)},
    {"DELETE", "/api/session", H(h_logout, A_READ, STATS_API)},
    {"GET", "/api/me", H(h_me, A_READ, STATS_API)},
    {"GET", "/api/users", H(h_users_list, A_ADMIN, STATS_API)},
    {"POST", "/api/users", H(h_users_create, A_ADMIN, STATS_API)},
    {"POST", "/api/tokens", H(h_tokens_create, A_READ, STATS_API)},
    {"GET", "/api/audit", H(h_audit, A_ADMIN, STATS_API)},
    {"GET", "/api/journeys", H(h_journeys_get, A_READ, STATS_API)},
    {"PUT", "/api/journeys", H(h_journeys_put, A_ADMIN, STATS_API)},
    {"GET", "/api/touchpoints", H(h_touchpoints_get, A_READ, STATS_API)},
    {"GET", "/api/surveys", H(h_surveys_list, A_READ, STATS_API)},
    {"POST", "/api/surveys", H(h_surveys_create, A_WRITE, STATS_API)},
    {"GET", "/api/surveys/{survey}", H(h_survey_get, A_READ, STATS_API)},
    {"PUT", "/api/surveys/{survey}", H(h_survey_put, A_WRITE, STATS_API)},
    {"DELETE", "/api/surveys/{survey}", H(h_survey_delete, A_WRITE, STATS_API)},
    {"GET", "/api/surveys/{survey}/link", H(h_survey_link, A_WRITE, STATS_API)},
    {"GET", "/api/surveys/{survey}/qr.svg", H(h_survey_qr, A_WRITE, STATS_API)},
    {"GET", "/api/surveys/{survey}/embed",
     H(h_survey_embed, A_WRITE, STATS_API)},
    {"GET", "/api/responses", H(h_responses_list, A_READ, STATS_API)},
    {"POST", "/api/responses", H(h_responses_create, A_WRITE, STATS_API)},
    {"GET", "/api/responses/export", H(h_responses_export, A_READ, STATS_API)},
    {"POST", "/api/customers", H(h_customers_create, A_WRITE, STATS_API)},
    {"DELETE", "/api/customers/{id}", H(h_customer_erase, A_ADMIN, STATS_API)},
    {"POST", "/api/events", H(h_events_create, A_WRITE, STATS_API)},
    {"GET", "/api/cases", H(h_cases_list, A_READ, STATS_API)},
    {"GET", "/api/cases/metrics", H(h_cases_metrics, A_READ, STATS_API)},
    {"GET", "/api/cases/areas", H(h_cases_areas, A_READ, STATS_API)},
    {"GET", "/api/cases/{id}", H(h_case_get, A_READ, STATS_API)},
    {"POST", "/api/cases/{id}/{action}", H(h_case_action, A_READ, STATS_API)},
    {"POST", "/api/improvements", H(h_improvements_create, A_WRITE, STATS_API)},
    {"GET", "/api/rules", H(h_rules_get, A_READ, STATS_API)},
    {"PUT", "/api/rules", H(h_rules_put, A_ADMIN, STATS_API)},
    {"GET", "/api/notifications", H(h_notifications_list, A_ADMIN, STATS_API)},
    {"POST", "/api/notifications/{id}/retry",
     H(h_notification_retry, A_ADMIN, STATS_API)},
    {"GET", "/api/analyses", H(h_analyses_list, A_READ, STATS_API)},
    {"GET", "/api/analyses/{name}", H(h_analysis, A_READ, STATS_ANALYSIS)},
};
const size_t server_n_routes = sizeof server_routes / sizeof server_routes[0];

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* ---- helpers (server_int.h) ---- */

enum http_verdict srv_send(struct call *c, int status, const char *ctype,
                           char *body, size_t len)
{
    free(c->resp->body);
    c->resp->status = status;
    c->resp->ctype = ctype;
    c->resp->body = body;
    c->resp->len = len;
    return HTTP_DONE;
}

enum http_verdict srv_json(struct call *c, int status, json_t *v)
{
    char *s = json_dumps(v, JSON_INDENT(2));
    json_decref(v);
    size_t n = strlen(s);
    char *body = xmalloc(n + 2);
    memcpy(body, s, n);
    body[n] = '\n';
    body[n + 1] = 0;
    free(s);
    return srv_send(c, status, "application/json", body, n + 1);
}

enum http_verdict srv_error(struct call *c, int status, const char *code,
                            const char *msg, const char *field)
{
    json_t *e = json_pack("{s:s, s:s}", "code", code, "message", msg);
    if (field && *field)
        json_object_set_new(e, "field", json_string(field));
    return srv_json(c, status, json_pack("{s:o}", "error", e));
}

enum http_verdict srv_fail(struct call *c, const struct err *err)
{
    static const struct {
        int code, status;
        const char *name;
    } map[] = {{ERR_INVALID, 400, "invalid"},
               {ERR_NOTFOUND, 404, "not_found"},
               {ERR_CONFLICT, 409, "conflict"},
               {ERR_PERM, 403, "forbidden"},
               {ERR_IO, 500, "io"},
               {ERR_DB, 503, "database"},
               {ERR_INTERNAL, 500, "internal"}};
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (map[i].code == err->code)
            return srv_error(c, map[i].status, map[i].name, err->msg,
                             err->where);
    return srv_error(c, 500, "internal", err->msg, err->where);
}

int srv_param(struct call *c, const char *name, char *buf, size_t cap)
{
    if (route_param(c->m, name, buf, cap) < 0) {
        srv_error(c, 400, "invalid", "path parameter too long", name);
        return -1;
    }
    return 0;
}

static void close_reader(void *p)
{
    store_free(p);
}

struct store *srv_reader(struct call *c)
{
    struct server *s = c->srv;
    struct store *st = pthread_getspecific(s->reader_key);
    struct err err = ERR_INIT;
    if (!st) {
        if (store_open(&st, s->cfg.db, &err) < 0) {
            srv_fail(c, &err);
            return NULL;
        }
        store_set_activity(st, "resonans serve");
        pthread_setspecific(s->reader_key, st);
    }
    store_read_end(st);
    return st;
}

static void free_analyzer(void *p)
{
    analyzer_free(p);
}

struct analyzer *srv_analyzer(struct server *s)
{
    struct analyzer *a = pthread_getspecific(s->analyzer_key);
    struct err err = ERR_INIT;
    if (!a && analyzer_new(&a, s->langid, s->sentiment, s->themes, &err) == 0)
        pthread_setspecific(s->analyzer_key, a);
    return a;
}

void srv_audit(struct call *c, const char *action, const char *subject,
               const char *detail)
{
    struct err err = ERR_INIT;
    char actor[96];
    snprintf(actor, sizeof actor, "%s%s", c->p ? c->p->name : "anonymous",
             c->p && c->p->via_token ? " (token)" : "");
    pthread_mutex_lock(&c->srv->admin_mu);
    if (store_audit(c->srv->admin, actor, action, subject, detail, &err) < 0)
        errlog("audit", &err);
    pthread_mutex_unlock(&c->srv->admin_mu);
}

void srv_session_cookie(struct call *c, const char *token, long max_age)
{
    char v[256];
    snprintf(v, sizeof v,
             "%s=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%ld%s",
             SESSION_COOKIE, token, max_age, srv_tls(c) ? "; Secure" : "");
    http_resp_header(c->resp, "Set-Cookie", v);
}

void srv_base_url(const struct server *s, char *buf, size_t cap)
{
    if (s->cfg.base_url[0])
        snprintf(buf, cap, "%s", s->cfg.base_url);
    else
        snprintf(buf, cap, "http://%s:%d", s->cfg.host, server_port(s));
}

const char *srv_client(const struct call *c, char *buf, size_t cap)
{
    const char *xff =
        c->srv->cfg.trust_proxy ? http_header(c->req, "X-Forwarded-For") : NULL;
    if (!xff || !*xff)
        return http_remote(c->req);
    const char *last = strrchr(xff, ',');
    last = last ? last + 1 : xff;
    while (*last == ' ')
        last++;
    size_t n = strcspn(last, " ");
    if (n == 0 || n >= cap)
        return http_remote(c->req);
    memcpy(buf, last, n);
    buf[n] = 0;
    return buf;
}

int srv_tls(const struct call *c)
{
    const char *proto = c->srv->cfg.trust_proxy
                            ? http_header(c->req, "X-Forwarded-Proto")
                            : NULL;
    return c->srv->cfg.secure_cookies || (proto && !strcmp(proto, "https"));
}

int srv_sees(const struct call *c, const char *touchpoint_key)
{
    return !c->p || auth_sees_touchpoint(c->p, touchpoint_key);
}

/* Submissions waiting for the writer (0 once it is closed). */
static long queued(struct server *s)
{
    pthread_rwlock_rdlock(&s->ingest_mu);
    long n = s->ingest ? ingest_queued(s->ingest) : 0;
    pthread_rwlock_unlock(&s->ingest_mu);
    return n;
}

/* ---- small handlers ---- */

enum http_verdict h_healthz(struct call *c)
{
    struct store *st = srv_reader(c);
    struct store_version v;
    struct err err = ERR_INIT;
    if (!st)
        return HTTP_DONE;
    if (store_version(st, &v, &err) < 0)
        return srv_error(c, 503, "database", err.msg, NULL);
    return srv_json(c, 200,
                    json_pack("{s:s, s:I, s:I}", "status", "ok", "responses",
                              (json_int_t)resident_rows(c->srv->res), "queued",
                              (json_int_t)queued(c->srv)));
}

static int is_loopback(const char *addr)
{
    return !strncmp(addr, "127.", 4) || !strcmp(addr, "::1") ||
           !strncmp(addr, "::ffff:127.", 11);
}

enum http_verdict h_metrics(struct call *c)
{
    struct principal p;
    struct strbuf o = STRBUF_INIT;
    struct stats_gauges g;
    char addr[64];
    /* behind a proxy on this host every request is from loopback: the
     * proxy's X-Forwarded-For says who it really is */
    if (!c->srv->cfg.metrics_public &&
        !is_loopback(srv_client(c, addr, sizeof addr))) {
        int rc = srv_authenticate(c, &p);
        if (rc != 0)
            return rc < 0 ? HTTP_DONE
                          : srv_error(c, 401, "unauthenticated",
                                      "sign in or give an API token", NULL);
        auth_principal_dispose(&p);
    }
    g.rows = resident_rows(c->srv->res);
    g.queued = queued(c->srv);
    g.inflight = httpd_inflight(c->srv->http);
    g.uptime_s = (now_ms() - c->srv->t0) / 1e3;
    stats_render(c->srv->stats, &g, &o);
    size_t n;
    char *body = strbuf_detach(&o, &n);
    return srv_send(c, 200, "text/plain; version=0.0.4", body, n);
}

static const struct asset *find_asset(const char *name)
{
    for (unsigned long i = 0; i < web_assets_count; i++)
        if (!strcmp(web_assets[i].path, name))
            return &web_assets[i];
    return NULL;
}

enum http_verdict h_asset(struct call *c)
{
    char name[128];
    if (srv_param(c, "name", name, sizeof name) < 0)
        return HTTP_DONE;
    const struct asset *a = find_asset(name);
    if (!a || !strcmp(name, "openapi.json"))
        return srv_error(c, 404, "not_found", "no such asset", "name");
    const char *dot = strrchr(name, '.');
    const char *type = !dot                   ? "application/octet-stream"
                       : !strcmp(dot, ".css") ? "text/css; charset=utf-8"
                       : !strcmp(dot, ".js")  ? "text/javascript; charset=utf-8"
                       : !strcmp(dot, ".svg") ? "image/svg+xml"
                       : !strcmp(dot, ".json") ? "application/json"
                                               : "application/octet-stream";
    http_resp_set(c->resp, 200, type, (const char *)a->data, a->len);
    http_resp_header(c->resp, "Cache-Control", "public, max-age=3600");
    return HTTP_DONE;
}

enum http_verdict h_openapi(struct call *c)
{
    const struct asset *a = find_asset("openapi.json");
    if (!a)
        return srv_error(c, 404, "not_found", "no OpenAPI document", NULL);
    http_resp_set(c->resp, 200, "application/json", (const char *)a->data,
                  a->len);
    return HTTP_DONE;
}

/* ---- dispatch ---- */

int srv_authenticate(struct call *c, struct principal *p)
{
    struct err err = ERR_INIT;
    const char *authz = http_header(c->req, "Authorization");
    struct store *st;
    memset(p, 0, sizeof *p);
    if (authz && !strncmp(authz, "Bearer ", 7)) {
        if (!(st = srv_reader(c)))
            return -1;
        if (auth_bearer(st, authz + 7, p, &err) < 0) {
            srv_error(c, 401, "unauthenticated", "the token is not valid",
                      NULL);
            return -1;
        }
        return 0;
    }
    const char *cookie = http_cookie(c->req, SESSION_COOKIE);
    if (!cookie)
        return 1;
    if (!(st = srv_reader(c)))
        return -1;
    if (auth_session(st, cookie, p, &err) < 0)
        return 1; /* an expired session is as good as none */
    return 0;
}

/* A state-changing request signed in by cookie must carry the session's
 * CSRF token (header X-CSRF-Token): a page of another site can make the
 * browser send the cookie, but cannot read the token. */
static int csrf_ok(struct call *c)
{
    const char *m = http_method(c->req);
    if (c->p->via_token || !strcmp(m, "GET") || !strcmp(m, "HEAD"))
        return 1;
    const char *given = http_header(c->req, "X-CSRF-Token");
    const char *cookie = http_cookie(c->req, SESSION_COOKIE);
    return given && cookie && auth_csrf_ok(c->srv->csrf_key, cookie, given);
}

/* Ends this thread's read snapshot, if it has a handle: a snapshot kept
 * between requests would keep the log from being checkpointed. */
static void end_read(struct server *s)
{
    struct store *st = pthread_getspecific(s->reader_key);
    if (st)
        store_read_end(st);
}

/* What a request's data slot points at: its route's metrics group. */
static const enum stats_route route_groups[STATS_N_ROUTES] = {
    STATS_PUBLIC, STATS_API, STATS_ANALYSIS, STATS_OTHER};

static enum http_verdict dispatch(void *ctx, struct http_req *req,
                                  struct http_resp *resp)
{
    struct server *s = ctx;
    struct route_match m;
    struct principal p;
    struct call c = {s, req, &m, NULL, resp, NULL};
    if (page_is(http_path(req))) { /* the web app's own routes */
        http_set_data(req, (void *)&route_groups[STATS_OTHER], NULL);
        enum http_verdict v = page_dispatch(s, req, resp);
        end_read(s);
        return v;
    }
    enum route_result rr = route_match(server_routes, server_n_routes,
                                       http_method(req), http_path(req), &m);
    if (rr == ROUTE_NO_PATH)
        return srv_error(&c, 404, "not_found", "no such resource", NULL);
    if (rr == ROUTE_NO_METHOD) {
        char allow[128];
        route_allowed(server_routes, server_n_routes, http_path(req), allow,
                      sizeof allow);
        srv_error(&c, 405, "method_not_allowed",
                  "this resource does not take that method", NULL);
        http_resp_header(resp, "Allow", allow);
        return HTTP_DONE;
    }
    const struct handler *h = m.route->data;
    enum http_verdict v;
    /* the route's group, for the metrics when the request is done (the
     * request's data slot is the dispatcher's, handlers keep their own) */
    http_set_data(req, (void *)&route_groups[h->group], NULL);
    if (h->access == A_PUBLIC) {
        v = h->fn(&c);
        end_read(s);
        return v;
    }
    int rc = srv_authenticate(&c, &p);
    if (rc < 0)
        return HTTP_DONE;
    if (rc > 0)
        return srv_error(&c, 401, "unauthenticated",
                         "sign in (POST /api/session) or give an API token "
                         "(Authorization: Bearer)",
                         NULL);
    c.p = &p;
    unsigned need = h->access == A_READ    ? SCOPE_READ
                    : h->access == A_WRITE ? SCOPE_WRITE
                                           : SCOPE_ADMIN;
    if (!(p.scopes & need))
        v = srv_error(&c, 403, "forbidden",
                      h->access == A_ADMIN ? "this needs an administrator"
                                           : "your role or token does not "
                                             "allow this",
                      NULL);
    else if (!csrf_ok(&c))
        v = srv_error(&c, 403, "csrf",
                      "missing or wrong X-CSRF-Token (GET /api/me gives it)",
                      NULL);
    else
        v = h->fn(&c);
    auth_principal_dispose(&p);
    end_read(s);
    return v;
}

/* The group dispatch found for the request's route; unmatched: other. */
static enum stats_route route_group(const struct http_req *req)
{
    const enum stats_route *g = http_data(req);
    return g ? *g : STATS_OTHER;
}

/* The access log: one JSON object a line. */
static void on_done(void *ctx, const struct http_req *req, int status,
                    size_t bytes, double ms)
{
    struct server *s = ctx;
    stats_request(s->stats, route_group(req), status, ms);
    if (!s->log)
        return;
    char ts[32];
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%SZ", &tm);
    struct strbuf line = STRBUF_INIT;
    const char *path = http_path(req);
    strbuf_printf(&line,
                  "{\"ts\":\"%s\",\"remote\":\"%s\",\"method\":\"%s\","
                  "\"path\":",
                  ts, http_remote(req), http_method(req));
    strbuf_json_string(&line, path, strlen(path));
    strbuf_printf(&line, ",\"status\":%d,\"bytes\":%zu,\"ms\":%.2f}\n", status,
                  bytes, ms);
    pthread_mutex_lock(&s->log_mu);
    fwrite(line.p, 1, line.n, s->log);
    fflush(s->log);
    pthread_mutex_unlock(&s->log_mu);
    strbuf_dispose(&line);
}

static void on_committed(void *ctx, long cases)
{
    resident_notify(((struct server *)ctx)->res);
    if (cases > 0) /* the writer queued their notifications */
        notifier_send(((struct server *)ctx)->notifier);
}

static int load_text_models(struct server *s, struct store *st, struct err *err)
{
    char *name = NULL, *src = NULL;
    size_t n = 0;
    int replaces = 0, rc;
    struct err e = ERR_INIT;
    rc = store_get_taxonomy(st, &name, &src, &n, &replaces, &e);
    if (rc == 0)
        rc = themes_build(&s->themes, src, n, name, replaces, err);
    else if (rc == ERR_NOTFOUND)
        rc = themes_build(&s->themes, NULL, 0, NULL, 0, err);
    else
        *err = e;
    free(name);
    free(src);
    if (rc < 0)
        return rc;
    if ((rc = langid_new(&s->langid, err)) < 0)
        return rc;
    return sentiment_new(&s->sentiment, err);
}

static void server_free(struct server *s)
{
    ingest_free(s->ingest);
    notifier_stop(s->notifier);
    janitor_stop(s->janitor);
    resident_free(s->res);
    page_cache_free(s->pages);
    srv_surveys_free(s);
    srv_lookup_free(&s->lk);
    store_free(s->admin);
    themes_free(s->themes);
    sentiment_free(s->sentiment);
    langid_free(s->langid);
    ratelimit_free(s->rl);
    stats_free(s->stats);
    if (s->log_owned)
        fclose(s->log);
    pthread_key_delete(s->reader_key);
    pthread_key_delete(s->analyzer_key);
    pthread_rwlock_destroy(&s->lookup_mu);
    pthread_rwlock_destroy(&s->ingest_mu);
    pthread_mutex_destroy(&s->surveys_mu);
    pthread_mutex_destroy(&s->admin_mu);
    pthread_mutex_destroy(&s->log_mu);
    pthread_mutex_destroy(&s->cli_mu);
    free(s);
}

int server_start(struct server **out, const struct server_config *cfg,
                 struct err *err)
{
    *out = NULL;
    if (sodium_init() < 0)
        return err_set(err, ERR_INTERNAL, "libsodium did not start");
    struct server *s = xcalloc(1, sizeof *s);
    int rc;
    s->cfg = *cfg;
    s->t0 = now_ms();
    pthread_key_create(&s->reader_key, close_reader);
    pthread_key_create(&s->analyzer_key, free_analyzer);
    pthread_rwlock_init(&s->lookup_mu, NULL);
    pthread_rwlock_init(&s->ingest_mu, NULL);
    pthread_mutex_init(&s->surveys_mu, NULL);
    pthread_mutex_init(&s->admin_mu, NULL);
    pthread_mutex_init(&s->log_mu, NULL);
    pthread_mutex_init(&s->cli_mu, NULL);
    s->stats = stats_new();
    s->rl = ratelimit_new(cfg->rate, cfg->burst);
    if (!strcmp(cfg->access_log, "-")) {
        s->log = stderr;
    } else if (cfg->access_log[0]) {
        if (!(s->log = fopen(cfg->access_log, "a"))) {
            rc = err_set(err, ERR_IO, "cannot open the access log %s",
                         cfg->access_log);
            goto fail;
        }
        s->log_owned = 1;
    }
    if ((rc = store_open(&s->admin, cfg->db, err)) < 0)
        goto fail;
    store_set_activity(s->admin, "resonans serve");
    if ((rc = store_secret(s->admin, "csrf", s->csrf_key, 32, err)) < 0 ||
        (rc = store_secret(s->admin, "sign", s->sign_key, 32, err)) < 0 ||
        (rc = load_text_models(s, s->admin, err)) < 0 ||
        (rc = srv_lookup_load(s, s->admin, err)) < 0 ||
        (rc = srv_surveys_load(s, s->admin, err)) < 0)
        goto fail;
    store_read_end(s->admin);
    /* 64 views, 32 MB, 2 minutes: repeated views are free, and a text
     * that expired leaves the pages within minutes (page_cache.h) */
    s->pages = page_cache_new(64, 32u << 20, 120);
    if ((rc = resident_new(&s->res, cfg->db, err)) < 0 ||
        (rc = ingest_new(&s->ingest, cfg->db, cfg->batch_max, s->stats,
                         on_committed, s, err)) < 0 ||
        (rc = janitor_start(&s->janitor, cfg->db, cfg->retention_days, err)) <
            0)
        goto fail;
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    struct httpd_opts ho = {cfg->host,
                            cfg->port,
                            cfg->threads ? cfg->threads
                                         : (int)(cores > 0 ? 2 * cores : 2),
                            cfg->max_body,
                            cfg->timeout_s,
                            cfg->max_conns,
                            0};
    if ((rc = httpd_start(&s->http, &ho, dispatch, on_done, s, err)) < 0)
        goto fail;
    /* after the HTTP side, whose port the links in notifications name */
    char base[300];
    srv_base_url(s, base, sizeof base);
    struct mail_server mail = {cfg->smtp_url,
                               cfg->smtp_user[0] ? cfg->smtp_user : NULL,
                               cfg->smtp_password[0] ? cfg->smtp_password
                                                     : NULL,
                               cfg->smtp_from,
                               cfg->smtp_starttls,
                               30000};
    struct notifier_digest digest = {cfg->digest_to, cfg->digest_day,
                                     cfg->digest_hour, s->res};
    if ((rc = notifier_start(&s->notifier, cfg->db, &mail, base, &digest,
                             err)) < 0)
        goto fail;

    *out = s;
    return 0;
fail:
    server_free(s);
    return rc;
}

int server_port(const struct server *s)
{
    return httpd_port(s->http);
}

void server_stop(struct server *s, long grace_ms)
{
    if (!s)
        return;
    httpd_quiesce(s->http);
    /* Done when no request has been in flight for a while: a request
     * whose bytes came just before the quiesce is read a moment later,
     * on a connection already open, and is answered too. */
    double until = now_ms() + (double)grace_ms, idle_since = now_ms();
    while (now_ms() < until) {
        if (httpd_inflight(s->http) > 0)
            idle_since = now_ms();
        else if (now_ms() - idle_since >= 250)
            break;
        usleep(10000);
    }
    /* The writer commits what is queued and answers it while the HTTP
     * threads still run to send the answers; a submission that comes
     * after is told to try again (503). */
    pthread_rwlock_wrlock(&s->ingest_mu);
    struct ingest *g = s->ingest;
    s->ingest = NULL;
    pthread_rwlock_unlock(&s->ingest_mu);
    ingest_free(g);
    until = now_ms() + 2000;
    while (httpd_inflight(s->http) > 0 && now_ms() < until)
        usleep(10000);
    httpd_stop(s->http);
    server_free(s);
}
