/* The web app's pages (issue 12, docs/web.md): their own route table
 * under /app, for people in a browser. A page without a session sends
 * the browser to the sign-in page and back; a form posts its CSRF token
 * as a field (a page cannot set headers); answers are HTML rendered here
 * from the result model (src/web), in Swedish or English. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/err.h"
#include "core/escape.h"
#include "core/strbuf.h"
#include "core/xalloc.h"
#include "http/form.h"
#include "server/page_cache.h"
#include "server/pages_int.h"
#include "server/ratelimit.h"
#include "server/resident.h"
#include "server/server_int.h"
#include "server/stats.h"

#define H(fn, access) (&(const struct handler){fn, access, STATS_OTHER})

/* Every page. Not in web/openapi.json: they are not the API. */
static const struct route page_routes[] = {
    {"GET", "/app/login", H(page_login_form, A_PUBLIC)},
    {"POST", "/app/login", H(page_login, A_PUBLIC)},
    {"POST", "/app/logout", H(page_logout, A_READ)},
    {"GET", "/app", H(page_overview, A_READ)},
    {"GET", "/app/touchpoints", H(page_touchpoints, A_READ)},
    {"GET", "/app/touchpoints/{key}", H(page_touchpoint, A_READ)},
    {"GET", "/app/journey", H(page_journey, A_READ)},
    {"GET", "/app/cases", H(page_cases, A_READ)},
    {"GET", "/app/cases/{id}", H(page_case, A_READ)},
    {"POST", "/app/cases/{id}/{action}", H(page_case_action, A_READ)},
    {"GET", "/app/priorities", H(page_priorities, A_READ)},
    {"GET", "/app/personas", H(page_personas, A_READ)},
    {"GET", "/app/stories", H(page_stories, A_READ)},
    {"GET", "/app/surveys", H(page_surveys, A_WRITE)},
    {"GET", "/app/surveys/new", H(page_survey_new, A_WRITE)},
    {"POST", "/app/surveys", H(page_survey_create, A_WRITE)},
    {"GET", "/app/surveys/{key}", H(page_survey, A_WRITE)},
    {"POST", "/app/surveys/{key}", H(page_survey_save, A_WRITE)},
    {"POST", "/app/surveys/{key}/delete", H(page_survey_delete, A_WRITE)},
    {"GET", "/app/admin", H(page_admin, A_ADMIN)},
    {"GET", "/app/admin/{section}", H(page_admin_section, A_ADMIN)},
    {"POST", "/app/admin/{section}", H(page_admin_post, A_ADMIN)},
    {"GET", "/app/account", H(page_account, A_READ)},
    {"POST", "/app/account/{action}", H(page_account_post, A_READ)},
};
#define N_PAGES (sizeof page_routes / sizeof page_routes[0])

int page_is(const char *path)
{
    return !strncmp(path, "/app", 4) && (path[4] == '\0' || path[4] == '/');
}

/* ?lang= wins (a link can show a page in the other language), then the
 * signed-in user's own choice (the account page), then the browser's. */
enum web_lang page_lang(const struct call *c)
{
    const char *q = http_arg(c->req, "lang");
    if ((!q || (strcmp(q, "sv") != 0 && strcmp(q, "en") != 0)) && c->p &&
        c->p->lang[0])
        q = c->p->lang;
    return web_lang_pick(http_header(c->req, "Accept-Language"), q);
}

void page_frame_begin(struct call *c, struct strbuf *b, const char *title,
                      const char *current)
{
    enum web_lang lang = page_lang(c);
    /* the views a user may open: surveys need the write scope, admin
     * the admin scope (as their routes) */
    static const struct {
        const char *href, *key;
        unsigned scope;
    } items[] = {{"/app", "overview", SCOPE_READ},
                 {"/app/journey", "journey", SCOPE_READ},
                 {"/app/touchpoints", "touchpoints", SCOPE_READ},
                 {"/app/priorities", "priorities", SCOPE_READ},
                 {"/app/personas", "personas", SCOPE_READ},
                 {"/app/stories", "stories", SCOPE_READ},
                 {"/app/cases", "cases", SCOPE_READ},
                 {"/app/surveys", "surveys", SCOPE_WRITE},
                 {"/app/admin", "admin", SCOPE_ADMIN}};
    enum { N_ITEMS = sizeof items / sizeof items[0] };
    struct web_nav_item nav[N_ITEMS];
    struct strbuf href[N_ITEMS];
    size_t n_nav = 0;
    /* the views share the filters of the URL: every link keeps them */
    struct page_view v = {http_arg(c->req, "from"), http_arg(c->req, "to"),
                          http_arg(c->req, "where"), 0, 0};
    for (size_t i = 0; c->p && i < N_ITEMS; i++) {
        if (!(c->p->scopes & items[i].scope))
            continue;
        strbuf_init(&href[n_nav], 0);
        strbuf_puts(&href[n_nav], items[i].href);
        if (items[i].scope == SCOPE_READ)
            page_query_string(&href[n_nav], &v, lang, NULL);
        else if (lang == WEB_EN)
            strbuf_puts(&href[n_nav], "?lang=en");
        nav[n_nav].href = strbuf_str(&href[n_nav]);
        nav[n_nav].label = web_t(lang, items[i].key);
        nav[n_nav].current = current && !strcmp(current, items[i].href);
        n_nav++;
    }
    char csrf[65] = "";
    const char *cookie = http_cookie(c->req, SESSION_COOKIE);
    if (c->p && cookie)
        auth_csrf_token(c->srv->csrf_key, cookie, csrf);
    web_page_begin(b, lang, title, nav, n_nav, c->p ? c->p->name : NULL,
                   csrf[0] ? csrf : NULL);
    for (size_t i = 0; i < n_nav; i++)
        strbuf_dispose(&href[i]);
    if (c->cap && !c->cap->hit) { /* the body to keep starts here */
        c->cap->body_at = b->n;
        free(c->cap->title);
        free(c->cap->current);
        c->cap->title = xstrdup(title ? title : "");
        c->cap->current = current ? xstrdup(current) : NULL;
        c->cap->framed = 1;
    }
}

enum http_verdict page_send(struct call *c, int status, struct strbuf *b)
{
    struct page_capture *cap = c->cap;
    if (cap && !cap->hit && cap->framed && status == 200 &&
        b->n >= cap->body_at)
        page_cache_put(c->srv->pages, strbuf_str(&cap->key), cap->gen,
                       (int64_t)time(NULL), cap->title, cap->current,
                       b->p + cap->body_at, b->n - cap->body_at);
    web_page_end(b, page_lang(c));
    size_t n;
    char *p = strbuf_detach(b, &n);
    srv_send(c, status, "text/html; charset=utf-8", p, n);
    http_resp_header(c->resp, "Cache-Control", "no-store");
    http_resp_header(c->resp, "Content-Security-Policy",
                     "default-src 'self'; img-src 'self' data:; "
                     "style-src 'self'; script-src 'self'; "
                     "frame-ancestors 'none'; form-action 'self'");
    if (cap)
        http_resp_header(c->resp, "X-Resonans-Cache",
                         cap->hit ? "hit" : "miss");
    return HTTP_DONE;
}

enum http_verdict page_message(struct call *c, int status, const char *title,
                               const char *text)
{
    struct strbuf b = STRBUF_INIT;
    page_frame_begin(c, &b, title, NULL);
    strbuf_puts(&b, "<h1>");
    escape_xml(&b, title, strlen(title));
    strbuf_puts(&b, "</h1>\n<p>");
    escape_xml(&b, text, strlen(text));
    strbuf_puts(&b, "</p>\n");
    return page_send(c, status, &b);
}

enum http_verdict page_fail(struct call *c, const struct err *err)
{
    enum web_lang lang = page_lang(c);
    int status = err->code == ERR_NOTFOUND   ? 404
                 : err->code == ERR_INVALID  ? 400
                 : err->code == ERR_CONFLICT ? 409
                 : err->code == ERR_DB       ? 503
                                             : 500;
    return page_message(c, status, web_t(lang, "error"), err->msg);
}

enum http_verdict page_redirect(struct call *c, const char *to)
{
    srv_send(c, 303, "text/plain; charset=utf-8", NULL, 0);
    http_resp_header(c->resp, "Location", to);
    return HTTP_DONE;
}

/* A local page to return to after signing in: only paths under /app, so
 * the sign-in page cannot send anyone to another site. */
static int safe_next(const char *next)
{
    if (!next || !page_is(next))
        return 0;
    for (const char *p = next; *p; p++)
        if (*p == '\\' || (unsigned char)*p < 0x20 || *p == '"')
            return 0;
    return strncmp(next, "//", 2) != 0;
}

/* A form post's CSRF token, as a field or the header. */
static int page_csrf_ok(struct call *c)
{
    if (c->p->via_token)
        return 1;
    const char *cookie = http_cookie(c->req, SESSION_COOKIE);
    const char *given = http_header(c->req, "X-CSRF-Token");
    struct form f = FORM_INIT;
    struct err err = ERR_INIT;
    int ok = 0;
    if (!given) {
        size_t len;
        const char *body = http_body(c->req, &len);
        if (form_parse(&f, body, len, &err) == 0)
            given = form_get(&f, "csrf");
    }
    ok = given && cookie && auth_csrf_ok(c->srv->csrf_key, cookie, given);
    form_dispose(&f);
    return ok;
}

/* ---- the costly views, kept (page_cache.h) ---- */

/* The views whose analysis takes long enough over a million responses
 * to be worth keeping: the journey map, priorities, personas, stories. */
static int costly(const struct handler *h)
{
    return h->fn == page_journey || h->fn == page_priorities ||
           h->fn == page_personas || h->fn == page_stories;
}

static int key_arg(void *ctx, const char *name, const char *value)
{
    strbuf_printf(ctx, "%zu:%s=%zu:%s;", strlen(name), name,
                  value ? strlen(value) : 0, value ? value : "");
    return 0;
}

/* Everything a costly view's body depends on besides the data: the
 * path, the arguments, the language, and who asks (scopes, role and an
 * owner's touchpoints). Lengths first, so no two differ only in where a
 * separator falls. */
static void page_key(const struct call *c, struct strbuf *key)
{
    const char *path = http_path(c->req);
    strbuf_printf(key, "%zu:%s?", strlen(path), path);
    http_args(c->req, key_arg, key);
    strbuf_printf(key, "|%s|%u|%d|", web_lang_code(page_lang(c)), c->p->scopes,
                  (int)c->p->role);
    for (int i = 0; c->p->role == ROLE_OWNER && i < c->p->n_touchpoints; i++)
        strbuf_printf(key, "%zu:%s,", strlen(c->p->touchpoints[i]),
                      c->p->touchpoints[i]);
}

/* A costly view: its kept body when the data is the same generation,
 * else the view itself, whose body page_send keeps. */
static enum http_verdict page_kept(struct call *c, const struct handler *h)
{
    struct page_capture cap = {STRBUF_INIT, 0, 0, NULL, NULL, 0, 0};
    struct strbuf b = STRBUF_INIT;
    enum http_verdict v;
    page_key(c, &cap.key);
    cap.gen = resident_generation(c->srv->res);
    c->cap = &cap;
    char *title = NULL, *current = NULL;
    if (page_cache_get(c->srv->pages, strbuf_str(&cap.key), cap.gen,
                       (int64_t)time(NULL), &b, &title, &current)) {
        struct strbuf page = STRBUF_INIT;
        cap.hit = 1;
        page_frame_begin(c, &page, title, current);
        strbuf_add(&page, b.p, b.n);
        v = page_send(c, 200, &page);
    } else {
        v = h->fn(c);
    }
    c->cap = NULL;
    free(title);
    free(current);
    free(cap.title);
    free(cap.current);
    strbuf_dispose(&cap.key);
    strbuf_dispose(&b);
    return v;
}

enum http_verdict page_dispatch(struct server *s, struct http_req *req,
                                struct http_resp *resp)
{
    struct route_match m;
    struct principal p;
    struct call c = {s, req, &m, NULL, resp, NULL};
    enum route_result rr =
        route_match(page_routes, N_PAGES, http_method(req), http_path(req), &m);
    enum web_lang lang = page_lang(&c);
    if (rr != ROUTE_FOUND)
        return page_message(&c, rr == ROUTE_NO_PATH ? 404 : 405,
                            web_t(lang, "not_found"),
                            web_t(lang, "not_found_text"));
    const struct handler *h = m.route->data;
    if (h->access == A_PUBLIC)
        return h->fn(&c);
    int rc = srv_authenticate(&c, &p);
    if (rc < 0)
        return HTTP_DONE;
    if (rc > 0) {
        if (strcmp(http_method(req), "GET") != 0)
            return page_redirect(&c, "/app/login");
        struct strbuf to = STRBUF_INIT;
        strbuf_puts(&to, "/app/login?next=");
        escape_url(&to, http_path(req));
        enum http_verdict v = page_redirect(&c, to.p);
        strbuf_dispose(&to);
        return v;
    }
    c.p = &p;
    lang = page_lang(&c); /* the user's own, now that they are known */
    enum http_verdict v;
    unsigned need = h->access == A_ADMIN   ? SCOPE_ADMIN
                    : h->access == A_WRITE ? SCOPE_WRITE
                                           : SCOPE_READ;
    if (!(p.scopes & need))
        v = page_message(&c, 403, web_t(lang, "forbidden"),
                         web_t(lang, "forbidden_text"));
    else if (strcmp(http_method(req), "GET") != 0 && !page_csrf_ok(&c))
        v = page_message(&c, 403, web_t(lang, "forbidden"),
                         web_t(lang, "csrf_text"));
    else if (costly(h) && !strcmp(http_method(req), "GET"))
        v = page_kept(&c, h);
    else
        v = h->fn(&c);
    auth_principal_dispose(&p);
    return v;
}

/* ---- signing in and out ---- */

/* The sign-in form; error (may be NULL) is said above it, and the name
 * given is kept. */
static void login_form(struct call *c, struct strbuf *b, const char *next,
                       const char *error, const char *name)
{
    enum web_lang lang = page_lang(c);
    const char *t = web_t(lang, "log_in");
    strbuf_puts(b, "<h1>");
    escape_xml(b, t, strlen(t));
    strbuf_puts(b, "</h1>\n");
    if (error) {
        strbuf_puts(b, "<p class=\"error\" role=\"alert\" id=\"login-error\">");
        escape_xml(b, error, strlen(error));
        strbuf_puts(b, "</p>\n");
    }
    strbuf_puts(b, "<form class=\"login\" method=\"post\" action=\"/app/login");
    if (lang == WEB_EN)
        strbuf_puts(b, "?lang=en");
    strbuf_puts(b, "\">\n");
    if (next && safe_next(next)) {
        strbuf_puts(b, "<input type=\"hidden\" name=\"next\" value=\"");
        escape_xml(b, next, strlen(next));
        strbuf_puts(b, "\">\n");
    }
    strbuf_printf(b,
                  "<p><label for=\"name\">%s</label>\n"
                  "<input id=\"name\" name=\"name\" autocomplete=\"username\" "
                  "required%s value=\"",
                  web_t(lang, "user_name"),
                  error ? " aria-describedby=\"login-error\"" : "");
    if (name)
        escape_xml(b, name, strlen(name));
    strbuf_printf(b,
                  "\"></p>\n"
                  "<p><label for=\"password\">%s</label>\n"
                  "<input id=\"password\" name=\"password\" type=\"password\" "
                  "autocomplete=\"current-password\" required%s></p>\n"
                  "<p><button type=\"submit\">%s</button></p>\n</form>\n",
                  web_t(lang, "password"),
                  error ? " aria-describedby=\"login-error\"" : "", t);
}

enum http_verdict page_login_form(struct call *c)
{
    struct strbuf b = STRBUF_INIT;
    page_frame_begin(c, &b, web_t(page_lang(c), "log_in"), NULL);
    login_form(c, &b, http_arg(c->req, "next"), NULL, NULL);
    return page_send(c, 200, &b);
}

enum http_verdict page_login(struct call *c)
{
    struct form f = FORM_INIT;
    struct err err = ERR_INIT;
    size_t len;
    const char *body = http_body(c->req, &len);
    enum web_lang lang = page_lang(c);
    if (form_parse(&f, body, len, &err) < 0) {
        form_dispose(&f);
        return page_fail(c, &err);
    }
    const char *name = form_get(&f, "name"), *pw = form_get(&f, "password");
    const char *next = form_get(&f, "next");
    char token[AUTH_TOKEN_LEN + 1], addr[64], after[24];
    struct principal p = PRINCIPAL_INIT;
    int rc = -1;
    /* failed sign-ins are limited per address and per name (as POST
     * /api/session): over the limit even the right password waits */
    double now = ratelimit_now();
    const char *from = srv_client(c, addr, sizeof addr);
    long wait = ratelimit_login_wait(c->srv->rl, from, name, now);
    if (name && pw && !wait) {
        pthread_mutex_lock(&c->srv->admin_mu);
        rc = auth_login(c->srv->admin, name, pw, c->srv->cfg.session_ttl, token,
                        &p, &err);
        pthread_mutex_unlock(&c->srv->admin_mu);
        if (rc == ERR_PERM)
            ratelimit_login_failed(c->srv->rl, from, name, now);
    }
    enum http_verdict v;
    if (rc < 0) {
        struct strbuf b = STRBUF_INIT, msg = STRBUF_INIT;
        if (wait)
            strbuf_printf(&msg, "%s %ld s.", web_t(lang, "admin_login_wait"),
                          wait);
        page_frame_begin(c, &b, web_t(lang, "log_in"), NULL);
        login_form(c, &b, next,
                   wait ? strbuf_str(&msg) : web_t(lang, "login_failed"), name);
        v = page_send(c, wait ? 429 : 401, &b);
        if (wait) {
            snprintf(after, sizeof after, "%ld", wait);
            http_resp_header(c->resp, "Retry-After", after);
        }
        strbuf_dispose(&msg);
    } else {
        v = page_redirect(c, safe_next(next) ? next : "/app");
        srv_session_cookie(c, token, c->srv->cfg.session_ttl);
    }
    auth_principal_dispose(&p);
    form_dispose(&f);
    return v;
}

enum http_verdict page_logout(struct call *c)
{
    struct err err = ERR_INIT;
    const char *cookie = http_cookie(c->req, SESSION_COOKIE);
    if (cookie && !c->p->via_token) {
        pthread_mutex_lock(&c->srv->admin_mu);
        auth_logout(c->srv->admin, cookie, &err);
        pthread_mutex_unlock(&c->srv->admin_mu);
    }
    enum http_verdict v = page_redirect(c, "/app/login");
    srv_session_cookie(c, "", 0);
    return v;
}
