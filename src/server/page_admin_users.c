/* The admin pages' users and tokens (docs/web.md): the rules of
 * `resonans user` and POST /api/users (a name of 1..64 bytes, a role, an
 * owner's touchpoints that exist, a password of 8..1024 bytes), the same
 * store and auth calls, and the same audit entries, written in the
 * change's own transaction. An admin cannot disable themselves, change
 * their own role or set their own password here (the account page does
 * that), so the last admin cannot lock everyone out by a slip. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/err.h"
#include "core/strbuf.h"
#include "core/xalloc.h"
#include "http/form.h"
#include "server/page_admin_int.h"
#include "server/pages_int.h"
#include "server/server_int.h"
#include "store/store.h"

/* A user copied out of the store. */
struct urow {
    int64_t id, created;
    char *name, *tps;
    enum user_role role;
    char lang[3];
    int disabled;
};

struct urows {
    struct urow *v;
    size_t n, cap;
};

static int urow_add(void *ctx, const struct user *u)
{
    struct urows *a = ctx;
    a->v = xgrow(a->v, &a->cap, a->n + 1, sizeof *a->v);
    struct urow *r = &a->v[a->n++];
    memset(r, 0, sizeof *r);
    r->id = u->id;
    r->created = u->created;
    r->name = xstrdup(u->name);
    r->tps = u->touchpoints ? xstrdup(u->touchpoints) : NULL;
    r->role = u->role;
    if (u->lang)
        snprintf(r->lang, sizeof r->lang, "%s", u->lang);
    r->disabled = u->disabled;
    return 0;
}

static void urows_dispose(struct urows *a)
{
    for (size_t i = 0; i < a->n; i++) {
        free(a->v[i].name);
        free(a->v[i].tps);
    }
    free(a->v);
    a->v = NULL;
    a->n = a->cap = 0;
}

static int users_read(struct call *c, struct urows *a, struct err *err)
{
    struct store *s = srv_reader(c);
    if (!s)
        return err_set(err, ERR_DB, "database unavailable");
    return store_list_users(s, urow_add, a, err);
}

/* The value posted for name when form `form` failed, else dflt. */
static const char *kept(const struct adm_state *st, const char *form,
                        const char *name, const char *dflt)
{
    if (st->f && st->form && !strcmp(st->form, form)) {
        const char *v = form_get(st->f, name);
        return v ? v : "";
    }
    return dflt;
}

static const char *form_error(struct strbuf *b, const struct adm_state *st,
                              const char *name, const char *id)
{
    if (!st->error || !st->form || strcmp(st->form, name) != 0)
        return NULL;
    adm_error(b, id, st->error);
    return id;
}

/* A <select> of the users' names. */
static void user_select(struct strbuf *b, enum web_lang lang, const char *id,
                        const struct urows *a, const char *value)
{
    strbuf_printf(b,
                  "<p><label for=\"%s\">%s</label> <select id=\"%s\" "
                  "name=\"user\">",
                  id, web_t(lang, "user_name"), id);
    for (size_t i = 0; i < a->n; i++) {
        strbuf_puts(b, "<option");
        if (value && !strcmp(value, a->v[i].name))
            strbuf_puts(b, " selected");
        strbuf_putc(b, '>');
        page_text(b, a->v[i].name);
        strbuf_puts(b, "</option>");
    }
    strbuf_puts(b, "</select></p>\n");
}

static const char *lang_label(enum web_lang lang, const char *code)
{
    return !strcmp(code, "sv")   ? "Svenska"
           : !strcmp(code, "en") ? "English"
                                 : web_t(lang, "admin_lang_browser");
}

static void submit(struct strbuf *b, const char *label)
{
    strbuf_puts(b, "<p><button type=\"submit\">");
    page_text(b, label);
    strbuf_puts(b, "</button></p></form>\n");
}

void adm_users(struct call *c, struct strbuf *b, const struct adm_state *st)
{
    enum web_lang lang = page_lang(c);
    struct urows a = {NULL, 0, 0};
    struct err err = ERR_INIT;
    char csrf[65];
    adm_csrf(c, csrf);
    page_section(b, "h-users", web_t(lang, "admin_users_all"));
    if (users_read(c, &a, &err) < 0)
        adm_error(b, "users-read", err.msg);
    strbuf_printf(b,
                  "<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" "
                  "aria-labelledby=\"h-users\"><table class=\"users\">"
                  "<caption>%s</caption>\n<thead><tr>"
                  "<th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
                  "<th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
                  "<th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
                  "</tr></thead>\n<tbody>\n",
                  web_t(lang, "admin_users"), web_t(lang, "user_name"),
                  web_t(lang, "admin_role"), web_t(lang, "touchpoints"),
                  web_t(lang, "admin_language"), web_t(lang, "admin_created"),
                  web_t(lang, "status"));
    for (size_t i = 0; i < a.n; i++) {
        const struct urow *u = &a.v[i];
        strbuf_puts(b, "<tr><th scope=\"row\">");
        page_text(b, u->name);
        strbuf_puts(b, "</th><td>");
        page_text(b,
                  web_t(lang, u->role == ROLE_ADMIN     ? "admin_role_admin"
                              : u->role == ROLE_ANALYST ? "admin_role_analyst"
                                                        : "admin_role_owner"));
        strbuf_puts(b, "</td><td>");
        page_text(b, u->tps ? u->tps : "–");
        strbuf_puts(b, "</td><td>");
        page_text(b, lang_label(lang, u->lang));
        strbuf_puts(b, "</td><td>");
        adm_when(b, (long long)u->created);
        strbuf_puts(b, "</td><td>");
        page_text(
            b, web_t(lang, u->disabled ? "admin_disabled" : "admin_enabled"));
        strbuf_puts(b, "</td></tr>\n");
    }
    strbuf_puts(b, "</tbody></table></div>\n</section>\n");

    const char *roles[] = {"analyst", web_t(lang, "admin_role_analyst"),
                           "owner",   web_t(lang, "admin_role_owner"),
                           "admin",   web_t(lang, "admin_role_admin")};
    const char *langs[] = {"",   web_t(lang, "admin_lang_browser"),
                           "sv", "Svenska",
                           "en", "English"};
    const char *eid;

    /* create */
    page_section(b, "h-create", web_t(lang, "admin_user_create"));
    eid = form_error(b, st, "create", "create-error");
    adm_form_begin(b, lang, "/app/admin/users", csrf, "create");
    adm_field(b, "new-name", "name", web_t(lang, "user_name"), "text",
              kept(st, "create", "name", NULL),
              eid ? "required maxlength=\"64\" autocomplete=\"off\" "
                    "aria-describedby=\"create-error\""
                  : "required maxlength=\"64\" autocomplete=\"off\"");
    adm_select(b, "new-role", "role", web_t(lang, "admin_role"), roles, 3,
               kept(st, "create", "role", "analyst"));
    adm_field(b, "new-tps", "touchpoints", web_t(lang, "admin_tps_field"),
              "text", kept(st, "create", "touchpoints", NULL), NULL);
    adm_select(b, "new-lang", "lang", web_t(lang, "admin_language"), langs, 3,
               kept(st, "create", "lang", ""));
    adm_field(b, "new-pw", "password", web_t(lang, "password"), "password",
              NULL, "required minlength=\"8\" autocomplete=\"new-password\"");
    adm_field(b, "new-pw2", "again", web_t(lang, "admin_password_again"),
              "password", NULL,
              "required minlength=\"8\" autocomplete=\"new-password\"");
    submit(b, web_t(lang, "admin_user_create"));
    strbuf_puts(b, "</section>\n");

    if (!a.n)
        goto done;
    /* change role, touchpoints, language */
    const char *roles_k[] = {"",        web_t(lang, "admin_unchanged"),
                             "analyst", web_t(lang, "admin_role_analyst"),
                             "owner",   web_t(lang, "admin_role_owner"),
                             "admin",   web_t(lang, "admin_role_admin")};
    const char *langs_k[] = {"",   web_t(lang, "admin_unchanged"),
                             "-",  web_t(lang, "admin_lang_browser"),
                             "sv", "Svenska",
                             "en", "English"};
    page_section(b, "h-change", web_t(lang, "admin_user_change"));
    form_error(b, st, "update", "update-error");
    adm_form_begin(b, lang, "/app/admin/users", csrf, "update");
    user_select(b, lang, "upd-user", &a, kept(st, "update", "user", NULL));
    adm_select(b, "upd-role", "role", web_t(lang, "admin_role"), roles_k, 4,
               kept(st, "update", "role", ""));
    adm_field(b, "upd-tps", "touchpoints", web_t(lang, "admin_tps_field"),
              "text", kept(st, "update", "touchpoints", NULL), NULL);
    adm_select(b, "upd-lang", "lang", web_t(lang, "admin_language"), langs_k, 4,
               kept(st, "update", "lang", ""));
    submit(b, web_t(lang, "admin_save"));
    strbuf_puts(b, "</section>\n");

    /* a new password */
    page_section(b, "h-passwd", web_t(lang, "admin_user_password"));
    form_error(b, st, "password", "password-error");
    adm_form_begin(b, lang, "/app/admin/users", csrf, "password");
    user_select(b, lang, "pw-user", &a, kept(st, "password", "user", NULL));
    adm_field(b, "pw-new", "password", web_t(lang, "admin_password_new"),
              "password", NULL,
              "required minlength=\"8\" autocomplete=\"new-password\"");
    adm_field(b, "pw-new2", "again", web_t(lang, "admin_password_again"),
              "password", NULL,
              "required minlength=\"8\" autocomplete=\"new-password\"");
    submit(b, web_t(lang, "admin_user_password"));
    strbuf_puts(b, "</section>\n");

    /* disable, enable */
    page_section(b, "h-access", web_t(lang, "admin_user_access"));
    if (!form_error(b, st, "disable", "access-error"))
        form_error(b, st, "enable", "access-error");
    adm_form_begin(b, lang, "/app/admin/users", csrf, NULL);
    user_select(
        b, lang, "acc-user", &a,
        kept(st, st->form && !strcmp(st->form, "enable") ? "enable" : "disable",
             "user", NULL));
    strbuf_printf(b,
                  "<p class=\"buttons\"><button type=\"submit\" "
                  "name=\"action\" value=\"disable\">%s</button> "
                  "<button type=\"submit\" name=\"action\" value=\"enable\">"
                  "%s</button></p></form>\n</section>\n",
                  web_t(lang, "admin_disable"), web_t(lang, "admin_enable"));
done:
    urows_dispose(&a);
}

/* The touchpoint keys of a comma-separated list, checked against the
 * server's (as POST /api/users), trimmed and each once, into out. */
static int tp_list(struct call *c, const char *list, struct strbuf *out,
                   struct err *err)
{
    for (const char *p = list; *p;) {
        size_t n = strcspn(p, ","), a = 0, e = n;
        while (a < e && p[a] == ' ')
            a++;
        while (e > a && p[e - 1] == ' ')
            e--;
        if (e > a) {
            char *key = xstrndup(p + a, e - a);
            int64_t id, ch;
            int rc = srv_touchpoint(c->srv, key, &id, &ch, NULL, 0);
            if (rc < 0) {
                rc = err_set(err, ERR_INVALID,
                             "touchpoints: no touchpoint \"%.64s\"", key);
                free(key);
                return rc;
            }
            /* each once */
            int dup = 0;
            for (const char *q = strbuf_str(out); *q && !dup;) {
                size_t m = strcspn(q, ",");
                dup = m == e - a && !strncmp(q, key, m);
                q += m;
                if (*q == ',')
                    q++;
            }
            if (!dup) {
                if (out->n)
                    strbuf_putc(out, ',');
                strbuf_puts(out, key);
            }
            free(key);
        }
        p += n;
        if (*p == ',')
            p++;
    }
    return 0;
}

/* A user copied for an update. */
struct ucopy {
    struct user u;
    char *name, *pw_hash, *tps, *lang;
    int found;
};

static int ucopy_cb(void *ctx, const struct user *u)
{
    struct ucopy *c = ctx;
    c->u = *u;
    c->u.name = c->name = xstrdup(u->name);
    c->u.pw_hash = c->pw_hash = u->pw_hash ? xstrdup(u->pw_hash) : NULL;
    c->u.touchpoints = c->tps = u->touchpoints ? xstrdup(u->touchpoints) : NULL;
    c->u.lang = c->lang = u->lang ? xstrdup(u->lang) : NULL;
    c->found = 1;
    return 0;
}

static void ucopy_dispose(struct ucopy *c)
{
    free(c->name);
    if (c->pw_hash)
        sodium_memzero(c->pw_hash, strlen(c->pw_hash));
    free(c->pw_hash);
    free(c->tps);
    free(c->lang);
}

/* Writes u and its audit entry in one transaction on the writer handle
 * (admin_mu held). */
static int put_audited(struct call *c, struct user *u, const char *action,
                       const char *detail, struct err *err)
{
    struct store *s = c->srv->admin;
    char subject[80];
    int rc;
    snprintf(subject, sizeof subject, "user:%s", u->name);
    if ((rc = store_begin(s, err)) < 0)
        return rc;
    if ((rc = store_put_user(s, u, err)) < 0 ||
        (rc = store_audit(s, c->p->name, action, subject, detail, err)) < 0 ||
        (rc = store_commit(s, err)) < 0)
        store_rollback(s);
    return rc;
}

/* The password and its repetition hashed into hash. */
static int two_passwords(struct form *f, char hash[128], struct err *err)
{
    const char *pw = form_get(f, "password"), *again = form_get(f, "again");
    if (!pw || !*pw)
        return err_set(err, ERR_INVALID, "password: none given");
    if (!again || strcmp(pw, again) != 0)
        return err_set(err, ERR_INVALID, "password: the two did not match");
    return auth_password_hash(hash, pw, err);
}

static int lang_field(const char *v, const char **out, struct err *err)
{
    if (!v || !*v || !strcmp(v, "-"))
        *out = NULL;
    else if (!strcmp(v, "sv") || !strcmp(v, "en"))
        *out = v;
    else
        return err_set(err, ERR_INVALID, "language: sv or en, got \"%.8s\"", v);
    return 0;
}

static int user_create(struct call *c, struct form *f, struct strbuf *done,
                       struct err *err)
{
    enum web_lang lang = page_lang(c);
    const char *name = adm_get(f, "name"), *rs = form_get(f, "role");
    const char *tl = adm_get(f, "touchpoints"), *ul = NULL;
    struct strbuf tps = STRBUF_INIT, detail = STRBUF_INIT;
    enum user_role role = ROLE_OWNER;
    char hash[128] = "";
    struct ucopy old = {0};
    int rc = 0;
    if (!name || strlen(name) > 64)
        rc = err_set(err, ERR_INVALID, "name: 1..64 characters");
    else if (!rs || user_role_parse(&role, rs) < 0)
        rc = err_set(err, ERR_INVALID, "role: admin, analyst or owner");
    else if (role == ROLE_OWNER && !tl)
        rc = err_set(err, ERR_INVALID,
                     "touchpoints: an owner needs the keys of the touchpoints "
                     "they own");
    else if (role != ROLE_OWNER && tl)
        rc = err_set(err, ERR_INVALID,
                     "touchpoints: for owners only (an %s sees every "
                     "touchpoint)",
                     rs);
    if (rc == 0)
        rc = lang_field(form_get(f, "lang"), &ul, err);
    if (rc == 0 && tl)
        rc = tp_list(c, tl, &tps, err);
    if (rc == 0)
        rc = two_passwords(f, hash, err);
    if (rc < 0)
        goto done;
    struct user u = {0, name, role, hash, tps.n ? strbuf_str(&tps) : NULL,
                     0, 0,    ul};
    strbuf_printf(&detail, "{\"role\":\"%s\"", user_role_name(role));
    if (tps.n) {
        strbuf_puts(&detail, ",\"touchpoints\":");
        strbuf_json_string(&detail, strbuf_str(&tps), tps.n);
    }
    if (ul)
        strbuf_printf(&detail, ",\"lang\":\"%s\"", ul);
    strbuf_putc(&detail, '}');
    pthread_mutex_lock(&c->srv->admin_mu);
    struct err e2 = ERR_INIT;
    rc = store_get_user(c->srv->admin, name, ucopy_cb, &old, &e2);
    if (rc == 0)
        rc = err_set(err, ERR_CONFLICT, "user \"%s\" exists", name);
    else if (rc == ERR_NOTFOUND)
        rc = put_audited(c, &u, "user.add", strbuf_str(&detail), err);
    else
        *err = e2;
    store_read_end(c->srv->admin);
    pthread_mutex_unlock(&c->srv->admin_mu);
    if (rc == 0)
        strbuf_printf(done, "%s: %s", web_t(lang, "admin_user_created"), name);
done:
    sodium_memzero(hash, sizeof hash);
    ucopy_dispose(&old);
    strbuf_dispose(&tps);
    strbuf_dispose(&detail);
    return rc;
}

/* update, password, disable, enable: a change to a stored user. */
static int user_change(struct call *c, struct form *f, const char *action,
                       struct strbuf *done, struct err *err)
{
    enum web_lang lang = page_lang(c);
    const char *name = form_get(f, "user");
    struct strbuf tps = STRBUF_INIT, detail = STRBUF_INIT;
    struct ucopy u = {0};
    char hash[128] = "";
    const char *audit_action = NULL;
    int rc = 0;
    if (!name || !*name)
        return err_set(err, ERR_INVALID, "user: none chosen");
    int self = !strcmp(name, c->p->name);
    /* what is checked before the store is asked */
    if (!strcmp(action, "password")) {
        if (self)
            return err_set(err, ERR_INVALID,
                           "change your own password on your account page");
        if ((rc = two_passwords(f, hash, err)) < 0)
            return rc;
    } else if (self && !strcmp(action, "disable")) {
        return err_set(err, ERR_INVALID, "you cannot disable yourself");
    }
    pthread_mutex_lock(&c->srv->admin_mu);
    rc = store_get_user(c->srv->admin, name, ucopy_cb, &u, err);
    if (rc < 0)
        goto unlock;
    if (!strcmp(action, "password")) {
        u.u.pw_hash = hash;
        audit_action = "user.passwd";
    } else if (!strcmp(action, "disable") || !strcmp(action, "enable")) {
        u.u.disabled = !strcmp(action, "disable");
        audit_action = u.u.disabled ? "user.disable" : "user.enable";
    } else { /* update */
        const char *rs = form_get(f, "role"), *tl = adm_get(f, "touchpoints");
        const char *lv = form_get(f, "lang");
        enum user_role role = u.u.role;
        if (rs && *rs && user_role_parse(&role, rs) < 0) {
            rc = err_set(err, ERR_INVALID, "role: admin, analyst or owner");
            goto unlock;
        }
        if (self && role != u.u.role) {
            rc = err_set(err, ERR_INVALID, "you cannot change your own role");
            goto unlock;
        }
        if (role != ROLE_OWNER && tl) {
            rc = err_set(err, ERR_INVALID,
                         "touchpoints: for owners only (an %s sees every "
                         "touchpoint)",
                         user_role_name(role));
            goto unlock;
        }
        if (tl && (rc = tp_list(c, tl, &tps, err)) < 0)
            goto unlock;
        if (role == ROLE_OWNER && !tps.n &&
            (u.u.role != ROLE_OWNER || !u.u.touchpoints)) {
            rc = err_set(err, ERR_INVALID,
                         "touchpoints: an owner needs the keys of the "
                         "touchpoints they own");
            goto unlock;
        }
        if (tps.n)
            u.u.touchpoints = strbuf_str(&tps);
        else if (role != ROLE_OWNER)
            u.u.touchpoints = NULL;
        if (lv && *lv && (rc = lang_field(lv, &u.u.lang, err)) < 0)
            goto unlock;
        u.u.role = role;
        strbuf_printf(&detail, "{\"role\":\"%s\"", user_role_name(role));
        if (u.u.touchpoints) {
            strbuf_puts(&detail, ",\"touchpoints\":");
            strbuf_json_string(&detail, u.u.touchpoints,
                               strlen(u.u.touchpoints));
        }
        strbuf_printf(&detail, ",\"lang\":\"%s\"}",
                      u.u.lang ? u.u.lang : "none");
        audit_action = "user.set";
    }
    rc = put_audited(c, &u.u, audit_action,
                     detail.n ? strbuf_str(&detail) : NULL, err);
unlock:
    store_read_end(c->srv->admin);
    pthread_mutex_unlock(&c->srv->admin_mu);
    if (rc == 0)
        strbuf_printf(done, "%s: %s", web_t(lang, "admin_user_changed"), name);
    sodium_memzero(hash, sizeof hash);
    ucopy_dispose(&u);
    strbuf_dispose(&tps);
    strbuf_dispose(&detail);
    return rc;
}

int adm_users_post(struct call *c, struct form *f, const char *action,
                   struct strbuf *done, struct err *err)
{
    if (!strcmp(action, "create"))
        return user_create(c, f, done, err);
    if (!strcmp(action, "update") || !strcmp(action, "password") ||
        !strcmp(action, "disable") || !strcmp(action, "enable"))
        return user_change(c, f, action, done, err);
    return err_set(err, ERR_INVALID, "unknown action \"%.40s\"", action);
}

/* ---- tokens ---- */

struct trow {
    int64_t id, user_id, created, expires;
    char *name, *scopes;
    int revoked;
};

struct trows {
    struct trow *v;
    size_t n, cap;
};

static int trow_add(void *ctx, const struct api_token *t)
{
    struct trows *a = ctx;
    a->v = xgrow(a->v, &a->cap, a->n + 1, sizeof *a->v);
    struct trow *r = &a->v[a->n++];
    r->id = t->id;
    r->user_id = t->user_id;
    r->created = t->created;
    r->expires = t->expires;
    r->name = xstrdup(t->name ? t->name : "");
    r->scopes = xstrdup(t->scopes ? t->scopes : "");
    r->revoked = t->revoked;
    return 0;
}

void adm_tokens(struct call *c, struct strbuf *b, const struct adm_state *st)
{
    enum web_lang lang = page_lang(c);
    struct urows u = {NULL, 0, 0};
    struct trows t = {NULL, 0, 0};
    struct err err = ERR_INIT;
    struct store *s;
    char csrf[65];
    int64_t now = (int64_t)time(NULL);
    adm_csrf(c, csrf);
    if (st->secret) {
        page_section(b, "h-secret", web_t(lang, "admin_token_new"));
        strbuf_printf(b,
                      "<p>%s</p>\n<p><code class=\"secret\" "
                      "id=\"token-secret\">",
                      web_t(lang, "admin_token_once"));
        page_text(b, st->secret);
        strbuf_puts(b, "</code></p>\n</section>\n");
    }
    page_section(b, "h-tokens", web_t(lang, "admin_tokens"));
    if (users_read(c, &u, &err) < 0 || !(s = srv_reader(c)) ||
        store_list_tokens(s, trow_add, &t, &err) < 0)
        adm_error(b, "tokens-read", err.msg[0] ? err.msg : "database");
    strbuf_printf(b,
                  "<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" "
                  "aria-labelledby=\"h-tokens\"><table class=\"tokens\">"
                  "<caption>%s</caption>\n<thead><tr>"
                  "<th scope=\"col\">id</th><th scope=\"col\">%s</th>"
                  "<th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
                  "<th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
                  "<th scope=\"col\">%s</th></tr></thead>\n<tbody>\n",
                  web_t(lang, "admin_tokens"), web_t(lang, "admin_token_name"),
                  web_t(lang, "user_name"), web_t(lang, "admin_scopes"),
                  web_t(lang, "admin_created"), web_t(lang, "admin_expires"),
                  web_t(lang, "status"));
    for (size_t i = 0; i < t.n; i++) {
        const struct trow *r = &t.v[i];
        const char *who = "?";
        for (size_t k = 0; k < u.n; k++)
            if (u.v[k].id == r->user_id)
                who = u.v[k].name;
        int expired = r->expires && r->expires <= now;
        strbuf_printf(b, "<tr><td class=\"num\">%lld</td><th scope=\"row\">",
                      (long long)r->id);
        page_text(b, r->name);
        strbuf_puts(b, "</th><td>");
        page_text(b, who);
        strbuf_puts(b, "</td><td>");
        page_text(b, r->scopes);
        strbuf_puts(b, "</td><td>");
        adm_when(b, (long long)r->created);
        strbuf_puts(b, "</td><td>");
        if (r->expires)
            adm_when(b, (long long)r->expires);
        else
            page_text(b, web_t(lang, "admin_never"));
        strbuf_puts(b, "</td><td>");
        page_text(b, web_t(lang, r->revoked ? "admin_revoked"
                                 : expired  ? "admin_expired"
                                            : "admin_active"));
        if (!r->revoked && csrf[0]) {
            strbuf_printf(b,
                          "<form class=\"inline\" method=\"post\" "
                          "action=\"/app/admin/tokens%s\"><input "
                          "type=\"hidden\" name=\"csrf\" value=\"%s\">"
                          "<input type=\"hidden\" name=\"action\" "
                          "value=\"revoke\"><input type=\"hidden\" name=\"id\" "
                          "value=\"%lld\"><button type=\"submit\" "
                          "aria-label=\"%s %lld\">%s</button></form>",
                          lang == WEB_EN ? "?lang=en" : "", csrf,
                          (long long)r->id, web_t(lang, "admin_revoke_token"),
                          (long long)r->id, web_t(lang, "admin_revoke"));
        }
        strbuf_puts(b, "</td></tr>\n");
    }
    strbuf_puts(b, "</tbody></table></div>\n");
    if (!t.n)
        strbuf_printf(b, "<p>%s</p>\n", web_t(lang, "admin_none"));
    form_error(b, st, "revoke", "revoke-error");
    strbuf_puts(b, "</section>\n");

    page_section(b, "h-tcreate", web_t(lang, "admin_token_create"));
    const char *eid = form_error(b, st, "create", "tcreate-error");
    adm_form_begin(b, lang, "/app/admin/tokens", csrf, "create");
    user_select(b, lang, "tok-user", &u, kept(st, "create", "user", NULL));
    adm_field(b, "tok-name", "name", web_t(lang, "admin_token_name"), "text",
              kept(st, "create", "name", NULL),
              eid ? "required maxlength=\"64\" aria-describedby=\"tcreate-"
                    "error\""
                  : "required maxlength=\"64\"");
    unsigned ticked = st->f && eid ? adm_scopes(st->f) : SCOPE_READ;
    strbuf_printf(b, "<fieldset><legend>%s</legend>\n",
                  web_t(lang, "admin_scopes"));
    static const char *const sc[] = {"read", "write", "admin"};
    for (int i = 0; i < 3; i++)
        strbuf_printf(b,
                      "<p class=\"check\"><input type=\"checkbox\" "
                      "id=\"tok-%s\" name=\"scopes\" value=\"%s\"%s> "
                      "<label for=\"tok-%s\">%s</label></p>\n",
                      sc[i], sc[i], ticked & (1u << i) ? " checked" : "", sc[i],
                      sc[i]);
    strbuf_puts(b, "</fieldset>\n");
    adm_field(b, "tok-days", "expires_days", web_t(lang, "admin_expires_days"),
              "number", kept(st, "create", "expires_days", NULL),
              "min=\"1\" max=\"3650\" inputmode=\"numeric\"");
    submit(b, web_t(lang, "admin_token_create"));
    strbuf_puts(b, "</section>\n");
    for (size_t i = 0; i < t.n; i++) {
        free(t.v[i].name);
        free(t.v[i].scopes);
    }
    free(t.v);
    urows_dispose(&u);
}

/* expires_days: blank = never, else 1..3650 (as POST /api/tokens). */
static int days_field(const char *v, long *days, struct err *err)
{
    char *end;
    *days = 0;
    if (!v || !*v)
        return 0;
    long d = strtol(v, &end, 10);
    if (*end || d < 1 || d > 3650)
        return err_set(err, ERR_INVALID,
                       "expires: 1..3650 days (blank: never), got \"%.12s\"",
                       v);
    *days = d;
    return 0;
}

int adm_tokens_post(struct call *c, struct form *f, const char *action,
                    struct strbuf *done, char secret[64], struct err *err)
{
    enum web_lang lang = page_lang(c);
    int rc;
    if (!strcmp(action, "revoke")) {
        const char *v = form_get(f, "id");
        char *end, subject[40];
        long long id = v ? strtoll(v, &end, 10) : 0;
        if (!v || *end || id <= 0)
            return err_set(err, ERR_INVALID, "id: not a token id");
        snprintf(subject, sizeof subject, "token:%lld", id);
        struct store *s = c->srv->admin;
        pthread_mutex_lock(&c->srv->admin_mu);
        if ((rc = store_begin(s, err)) == 0) {
            if ((rc = store_revoke_token(s, id, err)) < 0 ||
                (rc = store_audit(s, c->p->name, "token.revoke", subject, NULL,
                                  err)) < 0 ||
                (rc = store_commit(s, err)) < 0)
                store_rollback(s);
        }
        store_read_end(s);
        pthread_mutex_unlock(&c->srv->admin_mu);
        if (rc == 0)
            strbuf_printf(done, "%s: %lld", web_t(lang, "admin_revoked"), id);
        return rc;
    }
    if (strcmp(action, "create") != 0)
        return err_set(err, ERR_INVALID, "unknown action \"%.40s\"", action);
    const char *user = form_get(f, "user"), *label = adm_get(f, "name");
    unsigned scopes = adm_scopes(f);
    long days;
    char tok[AUTH_API_TOKEN_LEN + 1], subject[40];
    int64_t id = 0;
    if (!user || !*user)
        return err_set(err, ERR_INVALID, "user: none chosen");
    if (!label || strlen(label) > 64)
        return err_set(err, ERR_INVALID, "name: give the token a name (1..64)");
    if (!scopes)
        return err_set(err, ERR_INVALID, "scopes: tick at least one");
    if ((rc = days_field(adm_get(f, "expires_days"), &days, err)) < 0)
        return rc;
    pthread_mutex_lock(&c->srv->admin_mu);
    /* checks the user's role allows the scopes (ERR_PERM) and audits
     * token.create as the user; user.token says who asked, as the CLI */
    rc = auth_token_create(c->srv->admin, user, label, scopes,
                           (int64_t)days * 86400, tok, &id, err);
    if (rc == 0) {
        struct err ae = ERR_INIT;
        snprintf(subject, sizeof subject, "token:%lld", (long long)id);
        store_audit(c->srv->admin, c->p->name, "user.token", subject, NULL,
                    &ae);
    }
    store_read_end(c->srv->admin);
    pthread_mutex_unlock(&c->srv->admin_mu);
    if (rc < 0)
        return rc;
    snprintf(secret, 64, "%s", tok);
    sodium_memzero(tok, sizeof tok);
    strbuf_printf(done, "%s: %lld", web_t(lang, "admin_token_created"),
                  (long long)id);
    return 0;
}
