/* Signing in and out, who am I, users, API tokens and the audit log. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/xalloc.h"
#include "http/form.h"
#include "server/ratelimit.h"
#include "server/server_int.h"
#include "store/store.h"

/* The body as a JSON object, or an answered 400 (NULL). */
static json_t *body_object(struct call *c)
{
    size_t len;
    const char *body = http_body(c->req, &len);
    json_error_t je;
    json_t *v = json_loadb(body, len, JSON_REJECT_DUPLICATES, &je);
    if (!v || !json_is_object(v)) {
        char msg[300];
        snprintf(msg, sizeof msg, "the body must be a JSON object%s%s",
                 v ? "" : ": ", v ? "" : je.text);
        json_decref(v);
        srv_error(c, 400, "invalid", msg, NULL);
        return NULL;
    }
    return v;
}

static const char *str_member(json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

static json_t *me_json(struct call *c, const struct principal *p,
                       const char *session)
{
    char scopes[20], csrf[65];
    auth_scopes_name(p->scopes, scopes);
    json_t *tps = json_array();
    for (int i = 0; i < p->n_touchpoints; i++)
        json_array_append_new(tps, json_string(p->touchpoints[i]));
    json_t *o = json_pack("{s:s, s:s, s:s, s:o}", "name", p->name, "role",
                          user_role_name(p->role), "scopes", scopes,
                          "touchpoints", tps);
    if (session) {
        auth_csrf_token(c->srv->csrf_key, session, csrf);
        json_object_set_new(o, "csrf_token", json_string(csrf));
    }
    return o;
}

/* POST /api/session: {"name", "password"} as JSON or a form. */
enum http_verdict h_login(struct call *c)
{
    const char *ctype = http_header(c->req, "Content-Type");
    struct form f = FORM_INIT;
    json_t *o = NULL;
    const char *name, *pw;
    struct err err = ERR_INIT;
    if (ctype && !strncmp(ctype, "application/x-www-form-urlencoded", 33)) {
        size_t len;
        const char *body = http_body(c->req, &len);
        if (form_parse(&f, body, len, &err) < 0)
            return srv_fail(c, &err);
        name = form_get(&f, "name");
        pw = form_get(&f, "password");
    } else {
        if (!(o = body_object(c)))
            return HTTP_DONE;
        name = str_member(o, "name");
        pw = str_member(o, "password");
    }
    enum http_verdict v;
    if (!name || !pw) {
        v = srv_error(c, 400, "invalid", "give name and password",
                      name ? "password" : "name");
    } else {
        char token[AUTH_TOKEN_LEN + 1], addr[64], after[24];
        struct principal p = PRINCIPAL_INIT;
        /* failed sign-ins are limited per address and per name
         * (docs/access.md): over the limit even the right password waits */
        double now = ratelimit_now();
        const char *from = srv_client(c, addr, sizeof addr);
        long wait = ratelimit_login_wait(c->srv->rl, from, name, now);
        int rc = -1;
        if (!wait) {
            pthread_mutex_lock(&c->srv->admin_mu);
            rc = auth_login(c->srv->admin, name, pw, c->srv->cfg.session_ttl,
                            token, &p, &err);
            pthread_mutex_unlock(&c->srv->admin_mu);
            if (rc == ERR_PERM)
                ratelimit_login_failed(c->srv->rl, from, name, now);
        }
        if (wait) {
            snprintf(after, sizeof after, "%ld", wait);
            v = srv_error(c, 429, "rate_limited",
                          "too many failed sign-ins: try again later", NULL);
            http_resp_header(c->resp, "Retry-After", after);
        } else if (rc < 0) {
            v = srv_error(c, 401, "unauthenticated", err.msg, NULL);
        } else {
            v = srv_json(c, 200, me_json(c, &p, token));
            srv_session_cookie(c, token, c->srv->cfg.session_ttl);
        }
        auth_principal_dispose(&p);
    }
    form_dispose(&f);
    json_decref(o);
    return v;
}

enum http_verdict h_logout(struct call *c)
{
    const char *cookie = http_cookie(c->req, SESSION_COOKIE);
    struct err err = ERR_INIT;
    if (cookie && !c->p->via_token) {
        pthread_mutex_lock(&c->srv->admin_mu);
        auth_logout(c->srv->admin, cookie, &err);
        pthread_mutex_unlock(&c->srv->admin_mu);
    }
    srv_send(c, 204, "text/plain", NULL, 0);
    srv_session_cookie(c, "", 0);
    return HTTP_DONE;
}

enum http_verdict h_me(struct call *c)
{
    return srv_json(
        c, 200,
        me_json(c, c->p,
                c->p->via_token ? NULL : http_cookie(c->req, SESSION_COOKIE)));
}

static int on_user(void *ctx, const struct user *u)
{
    json_array_append_new(
        ctx,
        json_pack("{s:s, s:s, s:s?, s:b, s:I}", "name", u->name, "role",
                  user_role_name(u->role), "touchpoints", u->touchpoints,
                  "disabled", u->disabled, "created", (json_int_t)u->created));
    return 0;
}

enum http_verdict h_users_list(struct call *c)
{
    struct store *st = srv_reader(c);
    struct err err = ERR_INIT;
    if (!st)
        return HTTP_DONE;
    json_t *a = json_array();
    if (store_list_users(st, on_user, a, &err) < 0) {
        json_decref(a);
        return srv_fail(c, &err);
    }
    return srv_json(c, 200, json_pack("{s:o}", "users", a));
}

static int no_user_cb(void *ctx, const struct user *u)
{
    (void)ctx;
    (void)u;
    return 0;
}

/* POST /api/users {"name", "role", "password", "touchpoints": [..]} */
enum http_verdict h_users_create(struct call *c)
{
    json_t *o = body_object(c);
    struct err err = ERR_INIT;
    char hash[128];
    enum user_role role;
    enum http_verdict v;
    if (!o)
        return HTTP_DONE;
    const char *name = str_member(o, "name"), *pw = str_member(o, "password");
    const char *rs = str_member(o, "role");
    json_t *tps = json_object_get(o, "touchpoints");
    char *tplist = NULL;
    if (!name || !*name || strlen(name) > 64) {
        v = srv_error(c, 400, "invalid", "a name of 1..64 characters", "name");
    } else if (!rs || user_role_parse(&role, rs) < 0) {
        v = srv_error(c, 400, "invalid", "admin, analyst or owner", "role");
    } else if (!pw || auth_password_hash(hash, pw, &err) < 0) {
        v = srv_error(c, 400, "invalid", pw ? err.msg : "a password is needed",
                      "password");
    } else if ((role == ROLE_OWNER) != (json_array_size(tps) > 0)) {
        v = srv_error(c, 400, "invalid",
                      "an owner has touchpoints, other roles none",
                      "touchpoints");
    } else {
        size_t i;
        json_t *t;
        struct strbuf_s {
            char *p;
            size_t n;
        } list = {NULL, 0};
        int bad = 0;
        json_array_foreach(tps, i, t)
        {
            const char *k = json_string_value(t);
            int64_t id, ch;
            if (!k || srv_touchpoint(c->srv, k, &id, &ch, NULL, 0) < 0) {
                bad = 1;
                break;
            }
            list.p = xrealloc(list.p, list.n + strlen(k) + 2);
            list.n +=
                (size_t)sprintf(list.p + list.n, "%s%s", list.n ? "," : "", k);
        }
        tplist = list.p;
        if (bad) {
            v = srv_error(c, 400, "invalid", "not a touchpoint key",
                          "touchpoints");
        } else {
            struct user u = {0, name, role, hash, tplist, 0, 0, NULL};
            pthread_mutex_lock(&c->srv->admin_mu);
            struct err e2 = ERR_INIT;
            int rc = store_get_user(c->srv->admin, name, no_user_cb, NULL, &e2);
            if (rc == 0)
                rc = err_set(&err, ERR_CONFLICT, "user '%s' exists", name);
            else
                rc = store_put_user(c->srv->admin, &u, &err);
            pthread_mutex_unlock(&c->srv->admin_mu);
            if (rc < 0) {
                v = srv_fail(c, &err);
            } else {
                srv_audit(c, "user.add", name, NULL);
                v = srv_json(c, 201,
                             json_pack("{s:s, s:s}", "name", name, "role", rs));
            }
        }
    }
    free(tplist);
    json_decref(o);
    return v;
}

/* POST /api/tokens {"name", "scopes": "read,write", "expires_days"}:
 * a token for the caller, shown once. */
enum http_verdict h_tokens_create(struct call *c)
{
    json_t *o = body_object(c);
    struct err err = ERR_INIT;
    unsigned scopes = SCOPE_READ;
    char tok[AUTH_API_TOKEN_LEN + 1];
    int64_t id;
    enum http_verdict v;
    if (!o)
        return HTTP_DONE;
    const char *label = str_member(o, "name");
    const char *sc = str_member(o, "scopes");
    json_int_t days = json_integer_value(json_object_get(o, "expires_days"));
    if (!label || !*label) {
        v = srv_error(c, 400, "invalid", "give the token a name", "name");
    } else if (sc && auth_scopes_parse(&scopes, sc, &err) < 0) {
        v = srv_error(c, 400, "invalid", err.msg, "scopes");
    } else if (scopes & ~c->p->scopes) {
        v = srv_error(c, 403, "forbidden",
                      "a token cannot have scopes its user does not", "scopes");
    } else if (days < 0 || days > 3650) {
        v = srv_error(c, 400, "invalid", "0..3650 days", "expires_days");
    } else {
        pthread_mutex_lock(&c->srv->admin_mu);
        int rc = auth_token_create(c->srv->admin, c->p->name, label, scopes,
                                   (int64_t)days * 86400, tok, &id, &err);
        pthread_mutex_unlock(&c->srv->admin_mu);
        if (rc < 0)
            v = srv_fail(c, &err);
        else {
            char granted[20];
            auth_scopes_name(scopes, granted);
            v = srv_json(c, 201,
                         json_pack("{s:I, s:s, s:s, s:s}", "id", (json_int_t)id,
                                   "token", tok, "scopes", granted, "note",
                                   "shown once: keep it"));
        }
    }
    json_decref(o);
    return v;
}

static int on_audit(void *ctx, const struct audit_entry *e)
{
    json_array_append_new(ctx, json_pack("{s:I, s:I, s:s, s:s, s:s, s:s}", "id",
                                         (json_int_t)e->id, "ts",
                                         (json_int_t)e->ts, "actor", e->actor,
                                         "action", e->action, "subject",
                                         e->subject, "detail", e->detail));
    return 0;
}

enum http_verdict h_audit(struct call *c)
{
    struct store *st = srv_reader(c);
    struct err err = ERR_INIT;
    const char *after = http_arg(c->req, "after");
    if (!st)
        return HTTP_DONE;
    json_t *a = json_array();
    if (store_scan_audit(st, after ? strtoll(after, NULL, 10) : 0, on_audit, a,
                         &err) < 0) {
        json_decref(a);
        return srv_fail(c, &err);
    }
    return srv_json(c, 200, json_pack("{s:o}", "entries", a));
}
