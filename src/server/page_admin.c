/* The admin pages (docs/web.md): an index, and a section a page
 * (users, tokens, journey, taxonomy, rules), each posting back to itself
 * with a field `action`. A change is validated as the API and the CLI
 * validate it and made with the same calls, audited as they are; a
 * refused change shows the form again with what was posted and the
 * message, and changes nothing. The users and tokens sections are in
 * page_admin_users.c. */
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/asset.h"
#include "core/err.h"
#include "core/escape.h"
#include "core/strbuf.h"
#include "core/tstamp.h"
#include "http/form.h"
#include "ingest/journey_def.h"
#include "loop/loop.h"
#include "report/access_report.h"
#include "report/cases_report.h"
#include "report/result.h"
#include "server/notifier.h"
#include "server/page_admin_int.h"
#include "server/pages_int.h"
#include "server/resident.h"
#include "server/server_int.h"
#include "store/store.h"
#include "store/store_loop.h"
#include "text/stem.h"
#include "text/textdata.h"
#include "text/themes.h"

/* ---- the forms' pieces (page_admin_int.h) ---- */

void adm_csrf(struct call *c, char csrf[65])
{
    const char *cookie = http_cookie(c->req, SESSION_COOKIE);
    csrf[0] = '\0';
    if (cookie && !c->p->via_token)
        auth_csrf_token(c->srv->csrf_key, cookie, csrf);
}

void adm_form_begin(struct strbuf *b, enum web_lang lang, const char *path,
                    const char *csrf, const char *action)
{
    strbuf_printf(b,
                  "<form class=\"admin-form\" method=\"post\" action=\"%s%s\">"
                  "<input type=\"hidden\" name=\"csrf\" value=\"%s\">\n",
                  path, lang == WEB_EN ? "?lang=en" : "", csrf);
    if (action)
        strbuf_printf(b,
                      "<input type=\"hidden\" name=\"action\" value=\"%s\">\n",
                      action);
}

void adm_field(struct strbuf *b, const char *id, const char *name,
               const char *label, const char *type, const char *value,
               const char *extra)
{
    strbuf_printf(b, "<p><label for=\"%s\">", id);
    page_text(b, label);
    strbuf_printf(b, "</label> <input id=\"%s\" name=\"%s\" type=\"%s\"", id,
                  name, type);
    if (value) {
        strbuf_puts(b, " value=\"");
        page_text(b, value);
        strbuf_putc(b, '"');
    }
    if (extra)
        strbuf_printf(b, " %s", extra);
    strbuf_puts(b, "></p>\n");
}

void adm_select(struct strbuf *b, const char *id, const char *name,
                const char *label, const char *const *opts, size_t n,
                const char *value)
{
    strbuf_printf(b, "<p><label for=\"%s\">", id);
    page_text(b, label);
    strbuf_printf(b, "</label> <select id=\"%s\" name=\"%s\">", id, name);
    for (size_t i = 0; i + 1 < 2 * n; i += 2) {
        strbuf_puts(b, "<option value=\"");
        page_text(b, opts[i]);
        strbuf_printf(b, "\"%s>",
                      value && !strcmp(value, opts[i]) ? " selected" : "");
        page_text(b, opts[i + 1]);
        strbuf_puts(b, "</option>");
    }
    strbuf_puts(b, "</select></p>\n");
}

void adm_error(struct strbuf *b, const char *id, const char *msg)
{
    strbuf_printf(b, "<p class=\"error\" role=\"alert\" id=\"%s\">", id);
    page_text(b, msg);
    strbuf_puts(b, "</p>\n");
}

void adm_done(struct strbuf *b, const char *msg)
{
    strbuf_puts(b, "<p class=\"done\" role=\"status\">");
    page_text(b, msg);
    strbuf_puts(b, "</p>\n");
}

const char *adm_get(struct form *f, const char *name)
{
    for (size_t i = 0; f && i < f->n; i++)
        if (!strcmp(f->f[i].name, name)) {
            char *v = f->f[i].value, *e;
            while (*v == ' ' || *v == '\t' || *v == '\r' || *v == '\n')
                v++;
            e = v + strlen(v);
            while (e > v && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' ||
                             e[-1] == '\n'))
                *--e = '\0';
            return *v ? v : NULL;
        }
    return NULL;
}

unsigned adm_scopes(const struct form *f)
{
    unsigned s = 0, one;
    struct err err = ERR_INIT;
    for (size_t i = 0; f && i < f->n; i++)
        if (!strcmp(f->f[i].name, "scopes") &&
            auth_scopes_parse(&one, f->f[i].value, &err) == 0)
            s |= one;
    return s;
}

void adm_when(struct strbuf *b, long long t)
{
    char buf[40];
    if (!t) {
        strbuf_puts(b, "–");
        return;
    }
    tstamp_format(buf, sizeof buf, (int64_t)t, 0);
    strbuf_printf(b, "<time datetime=\"%s\">%.10s %.5s</time>", buf, buf,
                  buf + 11);
}

/* ---- the sections ---- */

static void journey_section(struct call *c, struct strbuf *b,
                            const struct adm_state *st);
static int journey_post(struct call *c, struct form *f, const char *action,
                        struct strbuf *done, struct err *err);
static void taxonomy_section(struct call *c, struct strbuf *b,
                             const struct adm_state *st);
static int taxonomy_post(struct call *c, struct form *f, const char *action,
                         struct strbuf *done, struct err *err);
static void rules_section(struct call *c, struct strbuf *b,
                          const struct adm_state *st);
static int rules_post(struct call *c, struct form *f, const char *action,
                      struct strbuf *done, struct err *err);

static const struct section {
    const char *key; /* the URL's and the words' ("admin_KEY") */
    void (*show)(struct call *c, struct strbuf *b, const struct adm_state *st);
    int (*post)(struct call *c, struct form *f, const char *action,
                struct strbuf *done, struct err *err);
} sections[] = {
    {"users", adm_users, adm_users_post},
    {"tokens", adm_tokens, NULL}, /* its post gives a secret: below */
    {"journey", journey_section, journey_post},
    {"taxonomy", taxonomy_section, taxonomy_post},
    {"rules", rules_section, rules_post},
};
#define N_SECTIONS (sizeof sections / sizeof sections[0])

static const struct section *section_of(struct call *c)
{
    char key[32];
    if (route_param(c->m, "section", key, sizeof key) < 0)
        return NULL;
    for (size_t i = 0; i < N_SECTIONS; i++)
        if (!strcmp(sections[i].key, key))
            return &sections[i];
    return NULL;
}

static enum http_verdict not_found(struct call *c)
{
    enum web_lang lang = page_lang(c);
    return page_message(c, 404, web_t(lang, "not_found"),
                        web_t(lang, "not_found_text"));
}

enum http_verdict page_admin(struct call *c)
{
    enum web_lang lang = page_lang(c);
    struct strbuf b = STRBUF_INIT;
    const char *title = web_t(lang, "admin");
    page_frame_begin(c, &b, title, "/app/admin");
    page_h1(&b, title);
    strbuf_puts(&b, "<ul class=\"admin-index\">\n");
    for (size_t i = 0; i < N_SECTIONS; i++) {
        char key[48];
        strbuf_printf(&b, "<li><a href=\"/app/admin/%s%s\">", sections[i].key,
                      lang == WEB_EN ? "?lang=en" : "");
        snprintf(key, sizeof key, "admin_%s", sections[i].key);
        page_text(&b, web_t(lang, key));
        strbuf_puts(&b, "</a> – ");
        snprintf(key, sizeof key, "admin_%s_about", sections[i].key);
        page_text(&b, web_t(lang, key));
        strbuf_puts(&b, "</li>\n");
    }
    strbuf_printf(&b, "</ul>\n<p><a href=\"/app/account%s\">%s</a></p>\n",
                  lang == WEB_EN ? "?lang=en" : "",
                  web_t(lang, "admin_account"));
    return page_send(c, 200, &b);
}

/* The section's page: frame, h1, a way back, the section. */
static enum http_verdict show(struct call *c, const struct section *sec,
                              int status, const struct adm_state *st)
{
    enum web_lang lang = page_lang(c);
    struct strbuf b = STRBUF_INIT;
    char key[48];
    snprintf(key, sizeof key, "admin_%s", sec->key);
    const char *title = web_t(lang, key);
    page_frame_begin(c, &b, title, "/app/admin");
    strbuf_printf(&b,
                  "<p class=\"crumbs\"><a href=\"/app/admin%s\">%s</a></p>\n",
                  lang == WEB_EN ? "?lang=en" : "", web_t(lang, "admin"));
    page_h1(&b, title);
    if (st->done)
        adm_done(&b, st->done);
    sec->show(c, &b, st);
    if (sec->show == adm_users || sec->show == adm_tokens)
        strbuf_printf(&b,
                      "<p class=\"exports\"><a href=\"/app/admin/%s?format=csv"
                      "%s\" download>%s</a></p>\n",
                      sec->key, lang == WEB_EN ? "&amp;lang=en" : "",
                      web_t(lang, "export_csv"));
    return page_send(c, status, &b);
}

enum http_verdict page_admin_section(struct call *c)
{
    const struct section *sec = section_of(c);
    struct adm_state st = {NULL, NULL, NULL, NULL, NULL};
    const char *fmt = http_arg(c->req, "format");
    if (!sec)
        return not_found(c);
    if (fmt && !strcmp(fmt, "csv")) {
        /* the users and the tokens as `resonans user list|tokens` */
        int is_users = !strcmp(sec->key, "users");
        struct store *s;
        struct result *r = NULL;
        struct err err = ERR_INIT;
        if (!is_users && strcmp(sec->key, "tokens") != 0)
            return not_found(c);
        if (!(s = srv_reader(c)))
            return HTTP_DONE;
        if ((is_users ? users_result : tokens_result)(&r, s, &err) < 0)
            return page_fail(c, &err);
        enum http_verdict v = page_send_csv(c, r, sec->key);
        result_free(r);
        return v;
    }
    if (fmt && *fmt && strcmp(fmt, "html") != 0) {
        struct err err = ERR_INIT;
        err_set(&err, ERR_INVALID, "format: csv or html, got \"%.20s\"", fmt);
        return page_fail(c, &err);
    }
    return show(c, sec, 200, &st);
}

enum http_verdict page_admin_post(struct call *c)
{
    const struct section *sec = section_of(c);
    struct form f = FORM_INIT;
    struct err err = ERR_INIT;
    struct strbuf done = STRBUF_INIT;
    char secret[64] = "";
    size_t len;
    if (!sec)
        return not_found(c);
    const char *body = http_body(c->req, &len);
    if (form_parse(&f, body, len, &err) < 0)
        return page_fail(c, &err);
    const char *action = form_get(&f, "action");
    int rc;
    if (!action)
        rc = err_set(&err, ERR_INVALID, "no action given");
    else if (sec->post)
        rc = sec->post(c, &f, action, &done, &err);
    else
        rc = adm_tokens_post(c, &f, action, &done, secret, &err);
    struct adm_state st = {action, NULL, &f, NULL, NULL};
    char msg[sizeof err.msg + sizeof err.where + 4];
    int status = 200;
    if (rc < 0) {
        st.error = err_str(&err, msg, sizeof msg);
        status = err.code == ERR_CONFLICT   ? 409
                 : err.code == ERR_NOTFOUND ? 404
                 : err.code == ERR_PERM     ? 403
                 : err.code == ERR_DB       ? 503
                 : err.code == ERR_INVALID  ? 400
                                            : 500;
    } else {
        st.form = NULL;
        st.f = NULL;
        st.done = strbuf_str(&done);
        st.secret = secret[0] ? secret : NULL;
    }
    enum http_verdict v = show(c, sec, status, &st);
    sodium_memzero(secret, sizeof secret);
    strbuf_dispose(&done);
    form_dispose(&f);
    return v;
}

/* A <textarea> labelled label, holding text (escaped). */
static void textarea(struct strbuf *b, const char *id, const char *label,
                     const char *hint, const char *text, int rows,
                     const char *error_id)
{
    strbuf_printf(b, "<p><label for=\"%s\">", id);
    page_text(b, label);
    strbuf_puts(b, "</label>");
    if (hint) {
        strbuf_printf(b, " <span class=\"hint\" id=\"%s-hint\">", id);
        page_text(b, hint);
        strbuf_puts(b, "</span>");
    }
    strbuf_printf(b,
                  "\n<textarea id=\"%s\" name=\"text\" rows=\"%d\" "
                  "spellcheck=\"false\" class=\"code\"",
                  id, rows);
    if (hint || error_id)
        strbuf_printf(b, " aria-describedby=\"%s%s%s%s\"", hint ? id : "",
                      hint ? "-hint" : "", hint && error_id ? " " : "",
                      error_id ? error_id : "");
    strbuf_puts(b, ">");
    page_text(b, text);
    strbuf_puts(b, "</textarea></p>\n");
}

/* The error of form `name`, when it is the one that failed: its id. */
static const char *form_error(struct strbuf *b, const struct adm_state *st,
                              const char *name, const char *id)
{
    if (!st->error || !st->form || strcmp(st->form, name) != 0)
        return NULL;
    adm_error(b, id, st->error);
    return id;
}

/* The form that replaces a section's JSON document (journey, rules),
 * holding the document as it is, or what was posted when it was
 * refused. */
static void json_replace_form(struct call *c, struct strbuf *b,
                              const struct adm_state *st, const char *name,
                              const char *json)
{
    enum web_lang lang = page_lang(c);
    char csrf[65], path[64], id[64], err_id[64], hint[64];
    snprintf(path, sizeof path, "/app/admin/%s", name);
    snprintf(id, sizeof id, "%s-json", name);
    snprintf(err_id, sizeof err_id, "%s-error", name);
    snprintf(hint, sizeof hint, "admin_%s_hint", name);
    page_section(b, "h-replace", web_t(lang, "admin_replace"));
    const char *eid = form_error(b, st, "replace", err_id);
    const char *given = st->f && eid ? form_get(st->f, "text") : NULL;
    adm_csrf(c, csrf);
    adm_form_begin(b, lang, path, csrf, "replace");
    textarea(b, id, web_t(lang, "admin_json"), web_t(lang, hint),
             given  ? given
             : json ? json
                    : "",
             18, eid);
    strbuf_printf(b, "<p><button type=\"submit\">%s</button></p></form>\n",
                  web_t(lang, "admin_save"));
    strbuf_puts(b, "</section>\n");
}

/* ---- journey ---- */

static void journey_section(struct call *c, struct strbuf *b,
                            const struct adm_state *st)
{
    enum web_lang lang = page_lang(c);
    struct store *s = srv_reader(c);
    struct journey_def *d = NULL;
    struct err err = ERR_INIT;
    char *json = NULL;
    if (s && journey_def_read(&d, s, &err) == 0)
        json = journey_def_to_json(d);
    page_section(b, "h-def", web_t(lang, "admin_definition"));
    if (!d) {
        adm_error(b, "journey-read", s ? err.msg : "database unavailable");
    } else {
        strbuf_printf(
            b,
            "<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" "
            "aria-labelledby=\"h-def\"><table><caption>%s</caption>\n"
            "<thead><tr><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
            "<th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
            "<th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
            "</tr></thead>\n<tbody>\n",
            web_t(lang, "admin_definition"), web_t(lang, "journey"),
            web_t(lang, "admin_stage"), web_t(lang, "admin_key"),
            web_t(lang, "touchpoint"), web_t(lang, "channel"),
            web_t(lang, "team"));
        size_t rows = 0;
        for (size_t i = 0; i < d->n_journeys; i++) {
            const struct journey_def_journey *j = &d->journeys[i];
            for (size_t k = 0; k < j->n_stages; k++) {
                const struct journey_def_stage *sg = &j->stages[k];
                for (size_t t = 0; t < sg->n_touchpoints || t == 0; t++) {
                    const struct journey_def_touchpoint *tp =
                        t < sg->n_touchpoints ? &sg->touchpoints[t] : NULL;
                    strbuf_puts(b, "<tr><td>");
                    page_text(b, j->name ? j->name : j->key);
                    strbuf_puts(b, "</td><td>");
                    page_text(b, sg->name ? sg->name : sg->key);
                    strbuf_puts(b, "</td><th scope=\"row\">");
                    page_text(b, tp ? tp->key : "–");
                    strbuf_puts(b, "</th><td>");
                    page_text(b, tp && tp->name ? tp->name : "");
                    strbuf_puts(b, "</td><td>");
                    page_text(b, tp ? tp->channel : "");
                    strbuf_puts(b, "</td><td>");
                    page_text(b, tp && tp->owner ? tp->owner : "");
                    strbuf_puts(b, "</td></tr>\n");
                    rows++;
                }
            }
        }
        strbuf_puts(b, "</tbody></table></div>\n");
        if (!rows)
            strbuf_printf(b, "<p>%s</p>\n", web_t(lang, "admin_none"));
    }
    strbuf_puts(b, "</section>\n");
    json_replace_form(c, b, st, "journey", json);
    free(json);
    journey_def_free(d);
}

static int journey_post(struct call *c, struct form *f, const char *action,
                        struct strbuf *done, struct err *err)
{
    enum web_lang lang = page_lang(c);
    const char *text = form_get(f, "text");
    struct journey_def *d = NULL;
    int rc;
    if (strcmp(action, "replace") != 0)
        return err_set(err, ERR_INVALID, "unknown action \"%.40s\"", action);
    if (!text)
        return err_set(err, ERR_INVALID, "no JSON given");
    /* as PUT /api/journeys */
    if ((rc = journey_def_parse(&d, text, strlen(text), "json", err)) < 0)
        return rc;
    pthread_mutex_lock(&c->srv->admin_mu);
    rc = journey_def_save(d, c->srv->admin, err);
    if (rc == 0)
        rc = srv_lookup_load(c->srv, c->srv->admin, err);
    store_read_end(c->srv->admin);
    pthread_mutex_unlock(&c->srv->admin_mu);
    journey_def_free(d);
    if (rc < 0)
        return rc;
    resident_notify(c->srv->res);
    notifier_poke(c->srv->notifier);
    srv_audit(c, "journeys.load", "journeys", NULL);
    strbuf_puts(done, web_t(lang, "admin_saved"));
    return 0;
}

/* ---- taxonomy ---- */

/* Appends the terms of theme key in language lang (and "*") of the
 * taxonomy TSV src[0..n) to out, comma-separated. */
static void tsv_terms(struct strbuf *out, const char *src, size_t n,
                      const char *key, const char *lang)
{
    size_t kn = strlen(key);
    for (const char *p = src, *end = src + n; p < end;) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *e = nl ? nl : end;
        const char *t1 = memchr(p, '\t', (size_t)(e - p));
        if (*p != '#' && t1 && (size_t)(t1 - p) == kn && !memcmp(p, key, kn)) {
            const char *l = t1 + 1;
            const char *t2 = memchr(l, '\t', (size_t)(e - l));
            const char *t3 =
                t2 ? memchr(t2 + 1, '\t', (size_t)(e - t2 - 1)) : NULL;
            size_t ln = t2 ? (size_t)(t2 - l) : 0;
            if (t3 && ((ln == 1 && *l == '*') ||
                       (ln == strlen(lang) && !memcmp(l, lang, ln)))) {
                const char *w = t3 + 1, *we = e;
                while (we > w && (we[-1] == '\r' || we[-1] == ' '))
                    we--;
                if (we > w) {
                    if (out->n)
                        strbuf_puts(out, ", ");
                    strbuf_add(out, w, (size_t)(we - w));
                }
            }
        }
        p = e + 1;
    }
}

/* The themes in force: key, parent, label and words in the page's
 * language (the built-in files' when builtin, and saved's). */
static void theme_table(struct strbuf *b, enum web_lang lang,
                        const struct themes *tx, const char *builtin,
                        const char *saved, size_t saved_n)
{
    const char *code = lang == WEB_SV ? "sv" : "en";
    static const char *const files[] = {"themes-sv.tsv", "themes-en.tsv"};
    strbuf_printf(b,
                  "<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" "
                  "aria-labelledby=\"h-inuse\"><table class=\"themes\">"
                  "<caption>%s</caption>\n<thead><tr><th scope=\"col\">%s</th>"
                  "<th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
                  "<th scope=\"col\">%s</th></tr></thead>\n<tbody>\n",
                  web_t(lang, "admin_in_use"), web_t(lang, "admin_key"),
                  web_t(lang, "admin_parent"), web_t(lang, "label"),
                  web_t(lang, "admin_words"));
    for (size_t i = 0; i < themes_count(tx); i++) {
        struct strbuf w = STRBUF_INIT;
        const char *key = themes_key(tx, i);
        int parent = themes_parent(tx, i);
        for (size_t f = 0; builtin && f < 2; f++) {
            const struct asset *a = textdata_find(files[f]);
            if (a)
                tsv_terms(&w, (const char *)a->data, a->len, key, code);
        }
        if (saved)
            tsv_terms(&w, saved, saved_n, key, code);
        strbuf_puts(b, "<tr><th scope=\"row\">");
        page_text(b, key);
        strbuf_puts(b, "</th><td>");
        page_text(b, parent >= 0 ? themes_key(tx, (size_t)parent) : "–");
        strbuf_puts(b, "</td><td>");
        page_text(b, themes_label(tx, i, lang == WEB_SV ? LANG_SV : LANG_EN));
        strbuf_puts(b, "</td><td class=\"words\">");
        page_text(b, strbuf_str(&w));
        strbuf_puts(b, "</td></tr>\n");
        strbuf_dispose(&w);
    }
    strbuf_puts(b, "</tbody></table></div>\n");
}

static void taxonomy_section(struct call *c, struct strbuf *b,
                             const struct adm_state *st)
{
    enum web_lang lang = page_lang(c);
    struct store *s = srv_reader(c);
    struct err err = ERR_INIT;
    struct themes *tx = NULL;
    char *name = NULL, *src = NULL, csrf[65];
    size_t n = 0;
    int replaces = 0, saved = 0, rc = ERR_DB;
    if (s) {
        rc = store_get_taxonomy(s, &name, &src, &n, &replaces, &err);
        if (rc == ERR_NOTFOUND) {
            err_clear(&err);
            rc = themes_build(&tx, NULL, 0, NULL, 0, &err);
        } else if (rc == 0) {
            saved = replaces ? 2 : 1;
            rc = themes_build(&tx, src, n, name, replaces, &err);
        }
    }
    strbuf_printf(b, "<p class=\"note\">%s</p>\n",
                  web_t(lang, "admin_taxonomy_note"));
    page_section(b, "h-inuse", web_t(lang, "admin_in_use"));
    if (rc < 0) {
        adm_error(b, "taxonomy-read", s ? err.msg : "database unavailable");
    } else {
        strbuf_printf(b, "<p>%s: <strong>%s</strong></p>\n",
                      web_t(lang, "admin_source"),
                      web_t(lang, saved == 0   ? "admin_builtin"
                                  : saved == 1 ? "admin_extended"
                                               : "admin_replaced"));
        theme_table(b, lang, tx, saved == 2 ? NULL : "", src, n);
    }
    strbuf_puts(b, "</section>\n");
    page_section(b, "h-replace", web_t(lang, "admin_replace"));
    const char *eid = form_error(b, st, "replace", "taxonomy-error");
    const char *given = st->f && eid ? form_get(st->f, "text") : NULL;
    int rep =
        st->f && eid ? form_get(st->f, "replace_builtin") != NULL : saved == 2;
    adm_csrf(c, csrf);
    adm_form_begin(b, lang, "/app/admin/taxonomy", csrf, "replace");
    textarea(b, "taxonomy-tsv", web_t(lang, "admin_tsv"),
             web_t(lang, "admin_taxonomy_hint"),
             given ? given
             : src ? src
                   : "",
             14, eid);
    strbuf_printf(b,
                  "<p class=\"check\"><input type=\"checkbox\" "
                  "id=\"replace-builtin\" name=\"replace_builtin\" "
                  "value=\"1\"%s> <label for=\"replace-builtin\">%s</label>"
                  "</p>\n<p><button type=\"submit\">%s</button></p></form>\n",
                  rep ? " checked" : "", web_t(lang, "admin_replace_builtin"),
                  web_t(lang, "admin_save"));
    if (saved) {
        form_error(b, st, "reset", "reset-error");
        adm_form_begin(b, lang, "/app/admin/taxonomy", csrf, "reset");
        strbuf_printf(b, "<p><button type=\"submit\">%s</button></p></form>\n",
                      web_t(lang, "admin_back_to_builtin"));
    }
    strbuf_puts(b, "</section>\n");
    themes_free(tx);
    free(name);
    free(src);
}

static int taxonomy_post(struct call *c, struct form *f, const char *action,
                         struct strbuf *done, struct err *err)
{
    enum web_lang lang = page_lang(c);
    int rc;
    if (!strcmp(action, "reset")) {
        pthread_mutex_lock(&c->srv->admin_mu);
        rc = store_put_taxonomy(c->srv->admin, NULL, NULL, 0, 0, err);
        store_read_end(c->srv->admin);
        pthread_mutex_unlock(&c->srv->admin_mu);
        if (rc < 0)
            return rc;
        srv_audit(c, "taxonomy.reset", "taxonomy", NULL);
        strbuf_puts(done, web_t(lang, "admin_taxonomy_saved"));
        return 0;
    }
    if (strcmp(action, "replace") != 0)
        return err_set(err, ERR_INVALID, "unknown action \"%.40s\"", action);
    const char *text = form_get(f, "text");
    int replace = form_get(f, "replace_builtin") != NULL;
    struct themes *tx = NULL;
    if (!text || !*text)
        return err_set(err, ERR_INVALID,
                       "no taxonomy given (to go back to the built-in one, "
                       "use its button)");
    size_t n = strlen(text);
    if (n > THEMES_MAX_INPUT)
        return err_set(err, ERR_INVALID, "too large (at most %u bytes)",
                       (unsigned)THEMES_MAX_INPUT);
    /* as `resonans themes load`: it must build before it is saved */
    if ((rc = themes_build(&tx, text, n, "taxonomy", replace, err)) < 0)
        return rc;
    size_t themes = themes_count(tx), terms = themes_term_count(tx);
    themes_free(tx);
    pthread_mutex_lock(&c->srv->admin_mu);
    rc = store_put_taxonomy(c->srv->admin, "taxonomy", text, n, replace, err);
    store_read_end(c->srv->admin);
    pthread_mutex_unlock(&c->srv->admin_mu);
    if (rc < 0)
        return rc;
    srv_audit(c, "taxonomy.load", "taxonomy",
              replace ? "{\"replaces\":true}" : "{\"replaces\":false}");
    strbuf_printf(done, "%s (%zu / %zu)", web_t(lang, "admin_taxonomy_saved"),
                  themes, terms);
    return 0;
}

/* ---- rules ---- */

/* An object member of the document as a table: name, then its value's
 * members as JSON text. */
static void object_table(struct strbuf *b, enum web_lang lang, json_t *o,
                         const char *id, const char *caption)
{
    const char *k;
    json_t *v;
    strbuf_printf(b,
                  "<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" "
                  "aria-labelledby=\"%s\"><table><caption>",
                  id);
    page_text(b, caption);
    strbuf_printf(b,
                  "</caption>\n<thead><tr><th scope=\"col\">%s</th>"
                  "<th scope=\"col\">%s</th></tr></thead>\n<tbody>\n",
                  web_t(lang, "admin_key"), web_t(lang, "value"));
    int rows = 0;
    json_object_foreach(o, k, v)
    {
        char *text = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
        strbuf_puts(b, "<tr><th scope=\"row\">");
        page_text(b, k);
        strbuf_puts(b, "</th><td><code>");
        page_text(b, json_is_string(v) ? json_string_value(v) : text);
        strbuf_puts(b, "</code></td></tr>\n");
        free(text);
        rows++;
    }
    if (!rows)
        strbuf_printf(b, "<tr><td colspan=\"2\">%s</td></tr>\n",
                      web_t(lang, "admin_none"));
    strbuf_puts(b, "</tbody></table></div>\n");
}

static void rules_section(struct call *c, struct strbuf *b,
                          const struct adm_state *st)
{
    enum web_lang lang = page_lang(c);
    struct store *s = srv_reader(c);
    struct err err = ERR_INIT;
    struct loop *l = NULL;
    char *json = NULL;
    int64_t id = 0;
    int rc = s ? store_get_rules(s, &json, &id, &err) : ERR_DB;
    if (rc == 0)
        rc = loop_parse(&l, json, strlen(json), &err);
    page_section(b, "h-rules", web_t(lang, "admin_rules"));
    if (rc == ERR_NOTFOUND) {
        strbuf_printf(b, "<p>%s</p>\n", web_t(lang, "admin_no_rules"));
    } else if (rc < 0) {
        adm_error(b, "rules-read", s ? err.msg : "database unavailable");
    } else {
        struct result *r = NULL;
        struct err re = ERR_INIT;
        rules_result(&r, l, json, id);
        result_render_with(b, r, RESULT_FORMAT_HTML,
                           lang == WEB_SV ? RESULT_RENDER_SV : 0, &re);
        result_free(r);
    }
    strbuf_puts(b, "</section>\n");
    json_t *doc = json ? json_loads(json, 0, NULL) : NULL;
    json_t *teams = json_object_get(doc, "teams");
    json_t *cal = json_object_get(doc, "calendar");
    page_section(b, "h-teams", web_t(lang, "admin_teams"));
    object_table(b, lang, json_is_object(teams) ? teams : NULL, "h-teams",
                 web_t(lang, "admin_teams"));
    strbuf_puts(b, "</section>\n");
    page_section(b, "h-cal", web_t(lang, "admin_calendar"));
    object_table(b, lang, json_is_object(cal) ? cal : NULL, "h-cal",
                 web_t(lang, "admin_calendar"));
    strbuf_puts(b, "</section>\n");
    json_decref(doc);
    json_replace_form(c, b, st, "rules", json);
    loop_free(l);
    free(json);
}

static int rules_post(struct call *c, struct form *f, const char *action,
                      struct strbuf *done, struct err *err)
{
    enum web_lang lang = page_lang(c);
    const char *text = form_get(f, "text");
    char who[96];
    int rc;
    if (strcmp(action, "replace") != 0)
        return err_set(err, ERR_INVALID, "unknown action \"%.40s\"", action);
    if (!text || !*text)
        return err_set(err, ERR_INVALID, "no JSON given");
    /* as PUT /api/rules without backfill: the rules apply from now on */
    snprintf(who, sizeof who, "%s", c->p->name);
    pthread_mutex_lock(&c->srv->admin_mu);
    rc = loop_store(c->srv->admin, text, strlen(text), who, 0, err);
    store_read_end(c->srv->admin);
    pthread_mutex_unlock(&c->srv->admin_mu);
    if (rc < 0)
        return rc;
    notifier_poke(c->srv->notifier);
    strbuf_puts(done, web_t(lang, "admin_saved"));
    return 0;
}
