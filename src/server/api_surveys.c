/* Surveys through the API: define, read, replace, remove, and hand out
 * their links (signed when they carry a customer), QR codes and embed
 * snippets. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/escape.h"
#include "core/strbuf.h"
#include "core/xalloc.h"
#include "server/server.h"
#include "server/server_int.h"
#include "store/store.h"
#include "survey/survey.h"

static int on_def(void *ctx, const char *key, const char *json, int64_t updated)
{
    json_t *d = json_loads(json, 0, NULL);
    json_array_append_new(ctx, json_pack("{s:s, s:o, s:I}", "key", key,
                                         "definition", d ? d : json_null(),
                                         "updated", (json_int_t)updated));
    return 0;
}

enum http_verdict h_surveys_list(struct call *c)
{
    struct store *st = srv_reader(c);
    struct err err = ERR_INIT;
    if (!st)
        return HTTP_DONE;
    json_t *a = json_array();
    if (store_list_survey_defs(st, on_def, a, &err) < 0) {
        json_decref(a);
        return srv_fail(c, &err);
    }
    return srv_json(c, 200, json_pack("{s:o}", "surveys", a));
}

/* Parses, stores and serves the body as survey `key` (NULL: the body's). */
static enum http_verdict put(struct call *c, const char *key, int create)
{
    size_t len;
    const char *body = http_body(c->req, &len);
    struct survey_def *d;
    struct err err = ERR_INIT;
    if (survey_def_parse(&d, body, len, &err) < 0) {
        if (!err.where[0]) /* not JSON at all: the body is at fault */
            snprintf(err.where, sizeof err.where, "body");
        return srv_fail(c, &err);
    }
    if (key && strcmp(key, survey_def_key(d)) != 0) {
        survey_def_free(d);
        return srv_error(c, 400, "invalid",
                         "the key in the body differs from the one in the "
                         "path",
                         "key");
    }
    char *json = survey_def_to_json(d);
    char k[128];
    snprintf(k, sizeof k, "%s", survey_def_key(d));
    pthread_mutex_lock(&c->srv->admin_mu);
    char *old = NULL;
    int rc = 0;
    if (create && store_get_survey_def(c->srv->admin, k, &old, &err) == 0)
        rc = err_set(&err, ERR_CONFLICT,
                     "survey '%s' exists: PUT /api/surveys/%s replaces it", k,
                     k);
    err_clear(&err);
    if (rc == 0)
        rc = store_put_survey_def(c->srv->admin, k, json, &err);
    else
        err_set(&err, ERR_CONFLICT, "survey '%s' exists (PUT replaces it)", k);
    pthread_mutex_unlock(&c->srv->admin_mu);
    free(old);
    if (rc < 0) {
        free(json);
        survey_def_free(d);
        return srv_fail(c, &err);
    }
    srv_survey_put(c->srv, d);
    srv_audit(c, create ? "survey.create" : "survey.replace", k, NULL);
    json_t *v = json_loads(json, 0, NULL);
    free(json);
    return srv_json(c, create ? 201 : 200,
                    json_pack("{s:s, s:o}", "key", k, "definition", v));
}

enum http_verdict h_surveys_create(struct call *c)
{
    return put(c, NULL, 1);
}

enum http_verdict h_survey_put(struct call *c)
{
    char key[128];
    if (srv_param(c, "survey", key, sizeof key) < 0)
        return HTTP_DONE;
    return put(c, key, 0);
}

enum http_verdict h_survey_get(struct call *c)
{
    char key[128];
    char *json = NULL;
    struct err err = ERR_INIT;
    struct store *st;
    if (srv_param(c, "survey", key, sizeof key) < 0 || !(st = srv_reader(c)))
        return HTTP_DONE;
    if (store_get_survey_def(st, key, &json, &err) < 0)
        return srv_fail(c, &err);
    json_t *v = json_loads(json, 0, NULL);
    free(json);
    return srv_json(
        c, 200,
        json_pack("{s:s, s:o}", "key", key, "definition", v ? v : json_null()));
}

enum http_verdict h_survey_delete(struct call *c)
{
    char key[128];
    struct err err = ERR_INIT;
    if (srv_param(c, "survey", key, sizeof key) < 0)
        return HTTP_DONE;
    pthread_mutex_lock(&c->srv->admin_mu);
    int rc = store_delete_survey_def(c->srv->admin, key, &err);
    pthread_mutex_unlock(&c->srv->admin_mu);
    if (rc < 0)
        return srv_fail(c, &err);
    srv_survey_forget(c->srv, key);
    srv_audit(c, "survey.delete", key, NULL);
    return srv_send(c, 204, "text/plain", NULL, 0);
}

/* Appends "&name=value" percent-encoded. */
static void add_param(struct strbuf *b, const char *name, const char *v)
{
    strbuf_printf(b, "%c%s=", strchr(b->p, '?') ? '&' : '?', name);
    escape_url(b, v);
}

/* The survey's public URL for ?touchpoint=&channel=&ref= (signed), or an
 * answered error (-1). */
static int link_for(struct call *c, struct strbuf *url, char *key,
                    size_t key_cap)
{
    struct survey_ref *ref;
    struct err err = ERR_INIT;
    int64_t id, ch;
    if (srv_param(c, "survey", key, key_cap) < 0)
        return -1;
    if (srv_survey(c->srv, key, &ref, &err) < 0) {
        srv_fail(c, &err);
        return -1;
    }
    srv_survey_release(ref);
    const char *tp = http_arg(c->req, "touchpoint");
    const char *chk = http_arg(c->req, "channel");
    const char *who = http_arg(c->req, "ref");
    if (!tp || srv_touchpoint(c->srv, tp, &id, &ch, NULL, 0) < 0) {
        srv_error(c, 400, "invalid", "give ?touchpoint= a touchpoint key",
                  "touchpoint");
        return -1;
    }
    if (chk && srv_channel(c->srv, chk, &ch) < 0) {
        srv_error(c, 400, "invalid", "no such channel", "channel");
        return -1;
    }
    if (!c->p || !srv_sees(c, tp)) {
        srv_error(c, 403, "forbidden", "not one of your touchpoints",
                  "touchpoint");
        return -1;
    }
    char base[300];
    srv_base_url(c->srv, base, sizeof base);
    strbuf_puts(url, base);
    strbuf_printf(url, "/s/%s", key);
    add_param(url, "touchpoint", tp);
    if (chk)
        add_param(url, "channel", chk);
    if (who && *who) {
        char msg[1024], sig[AUTH_SIG_LEN + 1];
        auth_ref_message(msg, sizeof msg, key, tp, chk, who);
        auth_sign(c->srv->sign_key, msg, sig);
        add_param(url, "ref", who);
        add_param(url, "sig", sig);
    }
    return 0;
}

enum http_verdict h_survey_link(struct call *c)
{
    struct strbuf url = STRBUF_INIT;
    char key[128];
    if (link_for(c, &url, key, sizeof key) < 0) {
        strbuf_dispose(&url);
        return HTTP_DONE;
    }
    json_t *v = json_pack("{s:s, s:s}", "survey", key, "url", url.p);
    strbuf_dispose(&url);
    return srv_json(c, 200, v);
}

enum http_verdict h_survey_qr(struct call *c)
{
    struct strbuf url = STRBUF_INIT, svg = STRBUF_INIT;
    struct err err = ERR_INIT;
    char key[128];
    if (link_for(c, &url, key, sizeof key) < 0) {
        strbuf_dispose(&url);
        return HTTP_DONE;
    }
    int rc = survey_qr_svg(&svg, url.p, &err);
    strbuf_dispose(&url);
    if (rc < 0) {
        strbuf_dispose(&svg);
        return srv_fail(c, &err);
    }
    size_t n;
    char *body = strbuf_detach(&svg, &n);
    return srv_send(c, 200, "image/svg+xml", body, n);
}

enum http_verdict h_survey_embed(struct call *c)
{
    struct strbuf url = STRBUF_INIT, html = STRBUF_INIT;
    struct err err = ERR_INIT;
    struct survey_ref *ref;
    char key[128];
    if (link_for(c, &url, key, sizeof key) < 0) {
        strbuf_dispose(&url);
        return HTTP_DONE;
    }
    const char *title = key;
    int rc = srv_survey(c->srv, key, &ref, &err);
    if (rc == 0)
        title = survey_def_name(srv_survey_def(ref), "en");
    if (rc == 0)
        rc = survey_embed_snippet(&html, url.p, title, &err);
    srv_survey_release(ref);
    strbuf_dispose(&url);
    if (rc < 0) {
        strbuf_dispose(&html);
        return srv_fail(c, &err);
    }
    size_t n;
    char *body = strbuf_detach(&html, &n);
    return srv_send(c, 200, "text/html; charset=utf-8", body, n);
}
