/* The account page (docs/web.md): every signed-in user's own
 * password, language and API tokens. A new password ends every session
 * of the user (the store does so on any change of the hash); this one
 * goes on in a new session, so whoever changed it stays signed in and
 * everyone else who knew the old password is out. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/strbuf.h"
#include "core/xalloc.h"
#include "http/form.h"
#include "server/page_admin_int.h"
#include "server/pages_int.h"
#include "server/server_int.h"
#include "store/store.h"

/* What the page shows besides the forms. */
struct acc_state {
    const char *form, *error, *done, *secret;
    const struct form *f;
};

static const char *form_error(struct strbuf *b, const struct acc_state *st,
                              const char *name, const char *id)
{
    if (!st->error || !st->form || strcmp(st->form, name) != 0)
        return NULL;
    adm_error(b, id, st->error);
    return id;
}

static enum http_verdict account_page(struct call *c, int status,
                                      const struct acc_state *st)
{
    enum web_lang lang = page_lang(c);
    struct strbuf b = STRBUF_INIT;
    char csrf[65], scopes[20];
    const char *title = web_t(lang, "admin_account");
    adm_csrf(c, csrf);
    page_frame_begin(c, &b, title, NULL);
    page_h1(&b, title);
    if (st->done)
        adm_done(&b, st->done);
    if (st->secret) {
        page_section(&b, "h-secret", web_t(lang, "admin_token_new"));
        strbuf_printf(&b,
                      "<p>%s</p>\n<p><code class=\"secret\" "
                      "id=\"token-secret\">",
                      web_t(lang, "admin_token_once"));
        page_text(&b, st->secret);
        strbuf_puts(&b, "</code></p>\n</section>\n");
    }
    /* who */
    auth_scopes_name(c->p->scopes, scopes);
    page_section(&b, "h-you", web_t(lang, "admin_you"));
    strbuf_printf(&b, "<dl class=\"pairs\"><dt>%s</dt><dd>",
                  web_t(lang, "user_name"));
    page_text(&b, c->p->name);
    strbuf_printf(&b, "</dd><dt>%s</dt><dd>%s</dd><dt>%s</dt><dd>",
                  web_t(lang, "admin_role"),
                  web_t(lang, c->p->role == ROLE_ADMIN ? "admin_role_admin"
                              : c->p->role == ROLE_ANALYST
                                  ? "admin_role_analyst"
                                  : "admin_role_owner"),
                  web_t(lang, "admin_scopes"));
    page_text(&b, scopes);
    strbuf_puts(&b, "</dd>");
    if (c->p->n_touchpoints) {
        strbuf_printf(&b, "<dt>%s</dt><dd>", web_t(lang, "touchpoints"));
        for (int i = 0; i < c->p->n_touchpoints; i++) {
            if (i)
                strbuf_puts(&b, ", ");
            page_text(&b, c->p->touchpoints[i]);
        }
        strbuf_puts(&b, "</dd>");
    }
    strbuf_puts(&b, "</dl>\n</section>\n");

    if (!csrf[0]) /* an API token: nothing to change here */
        return page_send(c, status, &b);

    /* password */
    page_section(&b, "h-password", web_t(lang, "admin_password_change"));
    const char *eid = form_error(&b, st, "password", "password-error");
    adm_form_begin(&b, lang, "/app/account/password", csrf, NULL);
    strbuf_printf(&b, "<p class=\"hint\" id=\"pw-hint\">%s</p>\n",
                  web_t(lang, "admin_password_hint"));
    adm_field(&b, "pw-current", "current",
              web_t(lang, "admin_password_current"), "password", NULL,
              eid ? "required autocomplete=\"current-password\" "
                    "aria-describedby=\"password-error\""
                  : "required autocomplete=\"current-password\"");
    adm_field(&b, "pw-new", "password", web_t(lang, "admin_password_new"),
              "password", NULL,
              "required minlength=\"8\" autocomplete=\"new-password\" "
              "aria-describedby=\"pw-hint\"");
    adm_field(&b, "pw-again", "again", web_t(lang, "admin_password_again"),
              "password", NULL,
              "required minlength=\"8\" autocomplete=\"new-password\"");
    strbuf_printf(&b, "<p><button type=\"submit\">%s</button></p></form>\n",
                  web_t(lang, "admin_password_change"));
    strbuf_puts(&b, "</section>\n");

    /* language */
    page_section(&b, "h-lang", web_t(lang, "admin_language"));
    form_error(&b, st, "lang", "lang-error");
    adm_form_begin(&b, lang, "/app/account/lang", csrf, NULL);
    strbuf_printf(&b, "<fieldset><legend>%s</legend>\n",
                  web_t(lang, "admin_language_choose"));
    static const char *const codes[] = {"sv", "en", ""};
    for (int i = 0; i < 3; i++)
        strbuf_printf(&b,
                      "<p class=\"check\"><input type=\"radio\" "
                      "id=\"lang-%s\" name=\"lang\" value=\"%s\"%s> "
                      "<label for=\"lang-%s\">%s</label></p>\n",
                      codes[i][0] ? codes[i] : "browser", codes[i],
                      !strcmp(c->p->lang, codes[i]) ? " checked" : "",
                      codes[i][0] ? codes[i] : "browser",
                      !strcmp(codes[i], "sv") ? "Svenska"
                      : !strcmp(codes[i], "en")
                          ? "English"
                          : web_t(lang, "admin_lang_browser"));
    strbuf_printf(&b,
                  "</fieldset>\n<p><button type=\"submit\">%s</button></p>"
                  "</form>\n</section>\n",
                  web_t(lang, "admin_save"));

    /* a personal API token */
    page_section(&b, "h-token", web_t(lang, "admin_token_create"));
    eid = form_error(&b, st, "token", "token-error");
    adm_form_begin(&b, lang, "/app/account/token", csrf, NULL);
    const char *name = st->f && eid ? form_get(st->f, "name") : NULL;
    adm_field(&b, "tok-name", "name", web_t(lang, "admin_token_name"), "text",
              name,
              eid ? "required maxlength=\"64\" aria-describedby=\"token-error\""
                  : "required maxlength=\"64\"");
    unsigned ticked = st->f && eid ? adm_scopes(st->f) : SCOPE_READ;
    strbuf_printf(&b, "<fieldset><legend>%s</legend>\n",
                  web_t(lang, "admin_scopes"));
    static const char *const sc[] = {"read", "write", "admin"};
    for (int i = 0; i < 3; i++) {
        if (!(c->p->scopes & (1u << i)))
            continue; /* only what the user's role allows */
        strbuf_printf(&b,
                      "<p class=\"check\"><input type=\"checkbox\" "
                      "id=\"tok-%s\" name=\"scopes\" value=\"%s\"%s> "
                      "<label for=\"tok-%s\">%s</label></p>\n",
                      sc[i], sc[i], ticked & (1u << i) ? " checked" : "", sc[i],
                      sc[i]);
    }
    strbuf_puts(&b, "</fieldset>\n");
    adm_field(&b, "tok-days", "expires_days", web_t(lang, "admin_expires_days"),
              "number", st->f && eid ? form_get(st->f, "expires_days") : NULL,
              "min=\"1\" max=\"3650\" inputmode=\"numeric\"");
    strbuf_printf(&b, "<p><button type=\"submit\">%s</button></p></form>\n",
                  web_t(lang, "admin_token_create"));
    strbuf_puts(&b, "</section>\n");
    return page_send(c, status, &b);
}

enum http_verdict page_account(struct call *c)
{
    struct acc_state st = {NULL, NULL, NULL, NULL, NULL};
    enum web_lang lang = page_lang(c);
    const char *done = http_arg(c->req, "done");
    if (done && !strcmp(done, "password"))
        st.done = web_t(lang, "admin_password_changed");
    else if (done && !strcmp(done, "lang"))
        st.done = web_t(lang, "admin_language_saved");
    return account_page(c, 200, &st);
}

/* A user copied for a change. */
struct me {
    struct user u;
    char *name, *pw_hash, *tps, *lang;
};

static int me_cb(void *ctx, const struct user *u)
{
    struct me *m = ctx;
    m->u = *u;
    m->u.name = m->name = xstrdup(u->name);
    m->u.pw_hash = m->pw_hash = u->pw_hash ? xstrdup(u->pw_hash) : NULL;
    m->u.touchpoints = m->tps = u->touchpoints ? xstrdup(u->touchpoints) : NULL;
    m->u.lang = m->lang = u->lang ? xstrdup(u->lang) : NULL;
    return 0;
}

static void me_dispose(struct me *m)
{
    free(m->name);
    if (m->pw_hash)
        sodium_memzero(m->pw_hash, strlen(m->pw_hash));
    free(m->pw_hash);
    free(m->tps);
    free(m->lang);
}

/* Writes the changed user and its audit entry in one transaction
 * (admin_mu held). */
static int put_me(struct call *c, struct me *m, const char *action,
                  const char *detail, struct err *err)
{
    struct store *s = c->srv->admin;
    char subject[80];
    int rc;
    snprintf(subject, sizeof subject, "user:%s", m->u.name);
    if ((rc = store_begin(s, err)) < 0)
        return rc;
    if ((rc = store_put_user(s, &m->u, err)) < 0 ||
        (rc = store_audit(s, c->p->name, action, subject, detail, err)) < 0 ||
        (rc = store_commit(s, err)) < 0)
        store_rollback(s);
    return rc;
}

/* current, password, again: the password changed, and a new session for
 * this browser in *token. */
static int change_password(struct call *c, struct form *f,
                           char token[AUTH_TOKEN_LEN + 1], struct err *err)
{
    const char *cur = form_get(f, "current"), *pw = form_get(f, "password");
    const char *again = form_get(f, "again");
    struct me m = {0};
    struct principal p = PRINCIPAL_INIT;
    char hash[128] = "";
    int rc;
    token[0] = '\0';
    if (!cur || !*cur)
        return err_set(err, ERR_INVALID, "give your current password");
    if (!pw || !again || strcmp(pw, again) != 0)
        return err_set(err, ERR_INVALID,
                       "the new password and its repetition differ");
    if ((rc = auth_password_hash(hash, pw, err)) < 0) /* 8..1024 bytes */
        return rc;
    pthread_mutex_lock(&c->srv->admin_mu);
    if ((rc = store_get_user(c->srv->admin, c->p->name, me_cb, &m, err)) < 0)
        goto unlock;
    if (!auth_password_check(m.u.pw_hash, cur)) {
        rc = err_set(err, ERR_INVALID, "your current password is wrong");
        goto unlock;
    }
    m.u.pw_hash = hash;
    /* ends every session of the user, this one too (store_put_user) */
    if ((rc = put_me(c, &m, "user.passwd", NULL, err)) < 0)
        goto unlock;
    struct err le = ERR_INIT;
    if (auth_login(c->srv->admin, c->p->name, pw, c->srv->cfg.session_ttl,
                   token, &p, &le) < 0)
        token[0] = '\0'; /* signed out: the sign-in page follows */
    auth_principal_dispose(&p);
unlock:
    store_read_end(c->srv->admin);
    pthread_mutex_unlock(&c->srv->admin_mu);
    sodium_memzero(hash, sizeof hash);
    me_dispose(&m);
    return rc;
}

static int set_lang(struct call *c, struct form *f, struct err *err)
{
    const char *v = form_get(f, "lang");
    struct me m = {0};
    char detail[40];
    int rc;
    if (!v || (*v && strcmp(v, "sv") != 0 && strcmp(v, "en") != 0))
        return err_set(err, ERR_INVALID, "language: sv, en or none");
    pthread_mutex_lock(&c->srv->admin_mu);
    if ((rc = store_get_user(c->srv->admin, c->p->name, me_cb, &m, err)) == 0) {
        m.u.lang = *v ? v : NULL;
        snprintf(detail, sizeof detail, "{\"lang\":\"%s\"}", *v ? v : "none");
        rc = put_me(c, &m, "user.set", detail, err);
    }
    store_read_end(c->srv->admin);
    pthread_mutex_unlock(&c->srv->admin_mu);
    me_dispose(&m);
    return rc;
}

/* As POST /api/tokens: a token for the caller within their scopes. */
static int new_token(struct call *c, struct form *f,
                     char out[AUTH_API_TOKEN_LEN + 1], struct err *err)
{
    const char *label = adm_get(f, "name"), *dv = adm_get(f, "expires_days");
    unsigned scopes = adm_scopes(f);
    long days = 0;
    int64_t id;
    int rc;
    if (!label || strlen(label) > 64)
        return err_set(err, ERR_INVALID, "name: give the token a name (1..64)");
    if (!scopes)
        return err_set(err, ERR_INVALID, "scopes: tick at least one");
    if (scopes & ~c->p->scopes)
        return err_set(err, ERR_PERM,
                       "a token cannot have scopes its user does not");
    if (dv) {
        char *end;
        days = strtol(dv, &end, 10);
        if (*end || days < 1 || days > 3650)
            return err_set(err, ERR_INVALID,
                           "expires: 1..3650 days (blank: never)");
    }
    pthread_mutex_lock(&c->srv->admin_mu);
    rc = auth_token_create(c->srv->admin, c->p->name, label, scopes,
                           (int64_t)days * 86400, out, &id, err);
    store_read_end(c->srv->admin);
    pthread_mutex_unlock(&c->srv->admin_mu);
    return rc;
}

enum http_verdict page_account_post(struct call *c)
{
    enum web_lang lang = page_lang(c);
    struct form f = FORM_INIT;
    struct err err = ERR_INIT;
    char action[16], token[AUTH_API_TOKEN_LEN + 1] = "";
    size_t len;
    if (route_param(c->m, "action", action, sizeof action) < 0 ||
        (strcmp(action, "password") != 0 && strcmp(action, "lang") != 0 &&
         strcmp(action, "token") != 0))
        return page_message(c, 404, web_t(lang, "not_found"),
                            web_t(lang, "not_found_text"));
    if (c->p->via_token) {
        err_set(&err, ERR_PERM, "an API token cannot change its user");
        return page_message(c, 403, web_t(lang, "forbidden"), err.msg);
    }
    const char *body = http_body(c->req, &len);
    if (form_parse(&f, body, len, &err) < 0)
        return page_fail(c, &err);
    enum http_verdict v;
    if (!strcmp(action, "password")) {
        char session[AUTH_TOKEN_LEN + 1];
        if (change_password(c, &f, session, &err) == 0) {
            if (session[0]) {
                v = page_redirect(c, lang == WEB_EN
                                         ? "/app/account?done=password&lang=en"
                                         : "/app/account?done=password");
                srv_session_cookie(c, session, c->srv->cfg.session_ttl);
            } else {
                v = page_redirect(c, "/app/login?next=/app/account");
                srv_session_cookie(c, "", 0);
            }
            sodium_memzero(session, sizeof session);
            goto done;
        }
    } else if (!strcmp(action, "lang")) {
        /* the page that follows is in the chosen language: no ?lang */
        if (set_lang(c, &f, &err) == 0) {
            v = page_redirect(c, "/app/account?done=lang");
            goto done;
        }
    } else if (new_token(c, &f, token, &err) == 0) {
        struct acc_state st = {NULL, NULL, web_t(lang, "admin_token_created"),
                               token, NULL};
        v = account_page(c, 200, &st);
        sodium_memzero(token, sizeof token);
        goto done;
    }
    char msg[sizeof err.msg + sizeof err.where + 4];
    struct acc_state st = {action, err_str(&err, msg, sizeof msg), NULL, NULL,
                           &f};
    v = account_page(c,
                     err.code == ERR_PERM       ? 403
                     : err.code == ERR_NOTFOUND ? 404
                     : err.code == ERR_DB       ? 503
                                                : 400,
                     &st);
done:
    form_dispose(&f);
    return v;
}
