/* The surveys pages (docs/web.md): the list, the builder (a
 * plain form, survey_form.c, or the whole definition as JSON), a
 * survey's links with their QR code and embed snippet, and deleting one.
 * Saving does what PUT /api/surveys/KEY does (api_surveys.c): the survey
 * module parses and validates, its canonical JSON is stored, the
 * server's parsed copy replaced and the change audited; so the builder
 * stores exactly what the API would for the same definition. Analysts
 * and admins only (the write scope, pages.c). */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "colstore/colstore.h"
#include "core/err.h"
#include "core/escape.h"
#include "core/strbuf.h"
#include "core/strmap.h"
#include "core/tstamp.h"
#include "core/xalloc.h"
#include "http/form.h"
#include "report/result.h"
#include "server/pages_int.h"
#include "server/resident.h"
#include "server/server_int.h"
#include "server/survey_form.h"
#include "stats/metrics.h"
#include "store/store.h"
#include "survey/survey.h"
#include "web/chart.h"

#define KEY_CAP 128

static void csrf_of(struct call *c, char out[65])
{
    const char *cookie = http_cookie(c->req, SESSION_COOKIE);
    out[0] = 0;
    if (cookie)
        auth_csrf_token(c->srv->csrf_key, cookie, out);
}

/* "?lang=en" or "" for links and redirects. */
static const char *lang_q(enum web_lang lang)
{
    return lang == WEB_EN ? "?lang=en" : "";
}

/* ---- the list ---- */

struct row {
    char key[KEY_CAP];
    char *name;
    size_t n_q;
    int64_t updated, answers;
};

struct rows {
    struct row *r;
    size_t n;
    enum web_lang lang;
};

/* The name in lang, else in the survey's first language, else any. */
static const char *name_in(const json_t *d, enum web_lang lang)
{
    const json_t *name = json_object_get(d, "name");
    const char *s =
        json_string_value(json_object_get(name, lang == WEB_EN ? "en" : "sv"));
    const json_t *langs = json_object_get(d, "languages");
    if (!s)
        s = json_string_value(
            json_object_get(name, json_string_value(json_array_get(langs, 0))));
    if (!s)
        s = json_string_value(json_object_get(name, "sv"));
    return s ? s : json_string_value(json_object_get(name, "en"));
}

static int on_def(void *ctx, const char *key, const char *json, int64_t updated)
{
    struct rows *x = ctx;
    json_t *d = json_loads(json, 0, NULL);
    struct row *r;
    x->r = xrealloc(x->r, (x->n + 1) * sizeof *x->r);
    r = &x->r[x->n++];
    snprintf(r->key, sizeof r->key, "%s", key);
    const char *name = name_in(d, x->lang);
    r->name = xstrdup(name ? name : key);
    r->n_q = json_array_size(json_object_get(d, "questions"));
    r->updated = updated;
    r->answers = 0;
    json_decref(d);
    return 0;
}

/* The responses each survey gathered, all time: the metrics engine by
 * attr:survey (the survey a web submission came from) on the resident
 * column store, what /api/analyses/metrics?by=attr:survey counts. -1
 * when it cannot tell; 0 when no response came from a survey. */
static int count_answers(struct call *c, struct rows *x)
{
    struct page_view v = {NULL, NULL, NULL, METRICS_DAY_MIN, METRICS_DAY_MAX};
    struct metrics_result *r = NULL;
    struct err err = ERR_INIT;
    struct store *s = srv_reader(c);
    if (!s)
        return -2;
    struct colstore *cs = resident_lock(c->srv->res);
    int rc = page_figures(c, cs, s, &v, NULL, "attr:survey", &r, &err);
    resident_unlock(c->srv->res);
    if (rc == ERR_NOTFOUND) /* no response has the attribute */
        return 0;
    if (rc < 0)
        return -1;
    for (size_t i = 0; i < r->n_cells; i++)
        for (size_t k = 0; k < x->n; k++)
            if (r->cells[i].label[0] &&
                !strcmp(r->cells[i].label[0], x->r[k].key))
                x->r[k].answers = r->cells[i].n;
    metrics_result_free(r);
    return 0;
}

static void when(struct strbuf *b, int64_t t)
{
    char buf[40];
    tstamp_format(buf, sizeof buf, t, 0);
    strbuf_printf(b, "<time datetime=\"%s\">%.10s %.5s</time>", buf, buf,
                  buf + 11);
}

static enum http_verdict list_csv(struct call *c, const struct rows *x,
                                  int counted)
{
    struct result *r = result_new();
    struct result_table *t = result_table_new(r, "surveys", "Surveys");
    result_col(t, "survey", "Survey", RESULT_TEXT, 0, 0);
    result_col(t, "name", "Name", RESULT_TEXT, 0, 0);
    result_col(t, "questions", "Questions", RESULT_INTEGER, 0, 0);
    result_col(t, "updated", "Updated", RESULT_TEXT, 0, 0);
    result_col(t, "responses", "Responses", RESULT_INTEGER, 0, 0);
    for (size_t i = 0; i < x->n; i++) {
        result_row(t);
        result_add_text(t, x->r[i].key);
        result_add_text(t, x->r[i].name);
        result_add_int(t, (int64_t)x->r[i].n_q);
        result_add_utc(t, x->r[i].updated);
        if (counted)
            result_add_int(t, x->r[i].answers);
        else
            result_add_null(t);
    }
    enum http_verdict v = page_send_csv(c, r, "resonans-surveys");
    result_free(r);
    return v;
}

enum http_verdict page_surveys(struct call *c)
{
    enum web_lang lang = page_lang(c);
    struct rows x = {NULL, 0, lang};
    struct err err = ERR_INIT;
    struct strbuf b = STRBUF_INIT;
    struct page_view v;
    int csv;
    if (page_view_args(c, &v, &csv) < 0)
        return HTTP_DONE;
    struct store *s = srv_reader(c);
    if (!s)
        return HTTP_DONE;
    if (store_list_survey_defs(s, on_def, &x, &err) < 0) {
        free(x.r);
        return page_fail(c, &err);
    }
    int counted = count_answers(c, &x);
    enum http_verdict verdict;
    if (counted == -2) {
        verdict = HTTP_DONE;
        goto done;
    }
    if (csv) {
        verdict = list_csv(c, &x, counted == 0);
        goto done;
    }
    const char *title = web_t(lang, "surveys");
    page_frame_begin(c, &b, title, "/app/surveys");
    page_h1(&b, title);
    const char *gone = http_arg(c->req, "deleted");
    if (gone && *gone) {
        strbuf_printf(&b, "<p class=\"sf-done\" role=\"status\">%s ",
                      web_t(lang, "survey_deleted"));
        page_text(&b, gone);
        strbuf_puts(&b, "</p>\n");
    }
    strbuf_printf(&b,
                  "<p><a class=\"button\" href=\"/app/surveys/new%s\">%s</a>"
                  "</p>\n<p class=\"exports\"><a class=\"export\" "
                  "href=\"/app/surveys?format=csv\" download>%s</a></p>\n",
                  lang_q(lang), web_t(lang, "survey_new"),
                  web_t(lang, "export_csv"));
    strbuf_printf(&b,
                  "<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" "
                  "aria-labelledby=\"surveys-cap\"><table class=\"surveys\">"
                  "<caption id=\"surveys-cap\">%s</caption>\n<thead><tr>"
                  "<th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
                  "<th scope=\"col\" class=\"num\">%s</th>"
                  "<th scope=\"col\">%s</th>"
                  "<th scope=\"col\" class=\"num\">%s</th>"
                  "<th scope=\"col\">%s</th></tr></thead>\n<tbody>\n",
                  title, web_t(lang, "survey_key"), web_t(lang, "survey_name"),
                  web_t(lang, "survey_questions"),
                  web_t(lang, "survey_updated"),
                  web_t(lang, "survey_responses"), web_t(lang, "survey_links"));
    for (size_t i = 0; i < x.n; i++) {
        const struct row *r = &x.r[i];
        struct strbuf u = STRBUF_INIT;
        escape_url(&u, r->key);
        strbuf_puts(&b, "<tr><th scope=\"row\"><a href=\"/app/surveys/");
        page_text(&b, u.p);
        strbuf_printf(&b, "%s\"><code>", lang_q(lang));
        page_text(&b, r->key);
        strbuf_puts(&b, "</code></a></th><td>");
        page_text(&b, r->name);
        strbuf_printf(&b, "</td><td class=\"num\">%zu</td><td>", r->n_q);
        when(&b, r->updated);
        strbuf_puts(&b, "</td><td class=\"num\">");
        if (counted == 0)
            web_number(&b, lang, (double)r->answers, 0, 0);
        else
            strbuf_puts(&b, "–");
        strbuf_puts(&b, "</td><td><a href=\"/app/surveys/");
        page_text(&b, u.p);
        strbuf_printf(&b, "%s#links\">%s <span class=\"visually-hidden\">",
                      lang_q(lang), web_t(lang, "survey_links_qr"));
        page_text(&b, r->key);
        strbuf_puts(&b, "</span></a></td></tr>\n");
        strbuf_dispose(&u);
    }
    strbuf_puts(&b, "</tbody></table></div>\n");
    if (!x.n)
        strbuf_printf(&b, "<p class=\"empty\">%s</p>\n",
                      web_t(lang, "survey_none"));
    verdict = page_send(c, 200, &b);
done:
    for (size_t i = 0; i < x.n; i++)
        free(x.r[i].name);
    free(x.r);
    return verdict;
}

/* ---- a survey's links ---- */

/* The link of survey key at touchpoint tp (channel ch and customer
 * reference ref when not empty), as GET /api/surveys/KEY/link gives it:
 * the server's base URL, signed when it carries a reference. */
static void link_url(struct call *c, struct strbuf *url, const char *key,
                     const char *tp, const char *ch, const char *ref)
{
    char base[300];
    srv_base_url(c->srv, base, sizeof base);
    strbuf_puts(url, base);
    strbuf_puts(url, "/s/");
    strbuf_puts(url, key);
    strbuf_puts(url, "?touchpoint=");
    escape_url(url, tp);
    if (ch && *ch) {
        strbuf_puts(url, "&channel=");
        escape_url(url, ch);
    }
    if (ref && *ref) {
        char msg[1024], sig[AUTH_SIG_LEN + 1];
        auth_ref_message(msg, sizeof msg, key, tp, ch && *ch ? ch : NULL, ref);
        auth_sign(c->srv->sign_key, msg, sig);
        strbuf_puts(url, "&ref=");
        escape_url(url, ref);
        strbuf_puts(url, "&sig=");
        escape_url(url, sig);
    }
}

/* The query of the API's link, QR and embed answers for the same link. */
static void api_query(struct strbuf *q, const char *tp, const char *ch,
                      const char *ref)
{
    strbuf_puts(q, "?touchpoint=");
    escape_url(q, tp);
    if (ch && *ch) {
        strbuf_puts(q, "&channel=");
        escape_url(q, ch);
    }
    if (ref && *ref) {
        strbuf_puts(q, "&ref=");
        escape_url(q, ref);
    }
}

/* The touchpoints (or channels) as <option>s, sel selected; the first
 * touchpoint's key into first when it is not NULL. */
static void tp_options(struct call *c, struct strbuf *b, const char *sel,
                       char *first, size_t cap)
{
    struct server *s = c->srv;
    pthread_rwlock_rdlock(&s->lookup_mu);
    for (size_t i = 0; i < s->lk.n_tps; i++) {
        const struct tp_info *t = &s->lk.tps[i];
        if (!srv_sees(c, t->key))
            continue;
        if (first && !first[0])
            snprintf(first, cap, "%s", t->key);
        strbuf_puts(b, "<option value=\"");
        page_text(b, t->key);
        strbuf_printf(b, "\"%s>",
                      sel && !strcmp(sel, t->key) ? " selected" : "");
        page_text(b, t->name);
        strbuf_puts(b, "</option>");
    }
    pthread_rwlock_unlock(&s->lookup_mu);
}

static void ch_options(struct call *c, struct strbuf *b, const char *sel)
{
    struct server *s = c->srv;
    pthread_rwlock_rdlock(&s->lookup_mu);
    for (size_t i = 0; s->lk.ch && i < strmap_count(s->lk.ch); i++) {
        size_t n;
        const char *k = strmap_key(s->lk.ch, i, &n);
        strbuf_puts(b, "<option value=\"");
        escape_xml(b, k, n);
        strbuf_printf(
            b, "\"%s>",
            sel && strlen(sel) == n && !memcmp(sel, k, n) ? " selected" : "");
        escape_xml(b, k, n);
        strbuf_puts(b, "</option>");
    }
    pthread_rwlock_unlock(&s->lookup_mu);
}

static void links_section(struct call *c, struct strbuf *b, const char *key)
{
    enum web_lang lang = page_lang(c);
    const char *tp = http_arg(c->req, "touchpoint");
    const char *ch = http_arg(c->req, "channel");
    const char *ref = http_arg(c->req, "ref");
    char first[KEY_CAP] = "";
    struct strbuf opts = STRBUF_INIT, u = STRBUF_INIT;
    const char *bad = NULL, *bad_id = NULL;
    int64_t id, cid;
    tp_options(c, &opts, tp, first, sizeof first);
    if (!tp || !*tp)
        tp = first;
    if (!*tp) {
        bad = web_t(lang, "survey_no_touchpoints");
        bad_id = "l-tp";
    } else if (srv_touchpoint(c->srv, tp, &id, &cid, NULL, 0) < 0 ||
               !srv_sees(c, tp)) {
        bad = web_t(lang, "survey_bad_touchpoint");
        bad_id = "l-tp";
    } else if (ch && *ch && srv_channel(c->srv, ch, &cid) < 0) {
        bad = web_t(lang, "survey_bad_channel");
        bad_id = "l-ch";
    } else if (cid <= 0 && !(ch && *ch)) {
        bad = web_t(lang, "survey_need_channel");
        bad_id = "l-ch";
    } else if (ref && strlen(ref) > 200) {
        bad = web_t(lang, "survey_bad_ref");
        bad_id = "l-ref";
    }
    escape_url(&u, key);
    page_section(b, "links", web_t(lang, "survey_links_qr"));
    strbuf_puts(b, "<form class=\"filters sf-linkform\" method=\"get\" "
                   "action=\"/app/surveys/");
    page_text(b, u.p);
    strbuf_printf(b,
                  "#links\">\n<p><label for=\"l-tp\">%s</label> <select "
                  "id=\"l-tp\" name=\"touchpoint\"%s>%s</select></p>\n",
                  web_t(lang, "touchpoint"),
                  bad_id && !strcmp(bad_id, "l-tp")
                      ? " aria-invalid=\"true\" aria-describedby=\"l-err\""
                      : "",
                  opts.p ? opts.p : "");
    strbuf_printf(b,
                  "<p><label for=\"l-ch\">%s</label> <select id=\"l-ch\" "
                  "name=\"channel\"%s><option value=\"\">%s</option>",
                  web_t(lang, "channel"),
                  bad_id && !strcmp(bad_id, "l-ch")
                      ? " aria-invalid=\"true\" aria-describedby=\"l-err\""
                      : "",
                  web_t(lang, "survey_tp_channel"));
    ch_options(c, b, ch);
    strbuf_printf(b,
                  "</select></p>\n<p><label for=\"l-ref\">%s</label> <input "
                  "id=\"l-ref\" name=\"ref\" autocomplete=\"off\" "
                  "aria-describedby=\"l-ref-note\"%s value=\"",
                  web_t(lang, "survey_customer_id"),
                  bad_id && !strcmp(bad_id, "l-ref") ? " aria-invalid=\"true\""
                                                     : "");
    page_text(b, ref);
    strbuf_printf(b,
                  "\"><span class=\"note\" id=\"l-ref-note\">%s</span></p>\n"
                  "%s<p><button type=\"submit\">%s</button></p></form>\n",
                  web_t(lang, "survey_customer_id_note"),
                  lang == WEB_EN
                      ? "<input type=\"hidden\" name=\"lang\" value=\"en\">"
                      : "",
                  web_t(lang, "survey_make_links"));
    strbuf_dispose(&opts);
    if (bad) {
        strbuf_puts(b, "<p class=\"error\" id=\"l-err\" role=\"alert\">");
        page_text(b, bad);
        strbuf_puts(b, "</p>\n</section>\n");
        strbuf_dispose(&u);
        return;
    }
    struct strbuf pub = STRBUF_INIT, sig = STRBUF_INIT, q = STRBUF_INIT,
                  svg = STRBUF_INIT, emb = STRBUF_INIT;
    struct err err = ERR_INIT;
    struct survey_ref *sref = NULL;
    const char *title = key;
    link_url(c, &pub, key, tp, ch, NULL);
    int signed_link = ref && *ref;
    if (signed_link)
        link_url(c, &sig, key, tp, ch, ref);
    const char *url = signed_link ? sig.p : pub.p;
    api_query(&q, tp, ch, ref);
    strbuf_printf(b,
                  "<dl class=\"pairs sf-links\"><dt>%s</dt><dd><a "
                  "id=\"public-link\" href=\"",
                  web_t(lang, "survey_public_link"));
    page_text(b, pub.p);
    strbuf_puts(b, "\">");
    page_text(b, pub.p);
    strbuf_puts(b, "</a></dd>\n");
    if (signed_link) {
        strbuf_printf(b, "<dt>%s</dt><dd><a id=\"signed-link\" href=\"",
                      web_t(lang, "survey_signed_link"));
        page_text(b, sig.p);
        strbuf_puts(b, "\">");
        page_text(b, sig.p);
        strbuf_puts(b, "</a></dd>\n");
    }
    /* the preview: the live page, on this host whatever base_url says */
    strbuf_printf(b, "<dt>%s</dt><dd><a id=\"preview\" href=\"/s/",
                  web_t(lang, "survey_preview"));
    page_text(b, u.p);
    page_text(b, strchr(pub.p, '?'));
    strbuf_printf(b, "%s\">%s <code>/s/", lang == WEB_EN ? "&amp;lang=en" : "",
                  web_t(lang, "survey_preview_open"));
    page_text(b, key);
    strbuf_puts(b, "</code></a></dd></dl>\n");
    /* the QR code of the link shown last, as the API draws it */
    if (survey_qr_svg(&svg, url, &err) == 0) {
        strbuf_printf(b, "<figure class=\"sf-qr\"><div class=\"sf-qr-code\">");
        strbuf_add(b, svg.p, svg.n);
        strbuf_printf(
            b, "</div><figcaption>%s ",
            web_t(lang, signed_link ? "survey_qr_signed" : "survey_qr_public"));
        strbuf_puts(b, "<a id=\"qr-download\" href=\"/api/surveys/");
        page_text(b, u.p);
        strbuf_puts(b, "/qr.svg");
        page_text(b, q.p);
        strbuf_puts(b, "\" download=\"");
        page_text(b, key);
        strbuf_printf(b, "-qr.svg\">%s</a></figcaption></figure>\n",
                      web_t(lang, "survey_qr_download"));
    } else {
        strbuf_puts(b, "<p class=\"error\">");
        page_text(b, err.msg);
        strbuf_puts(b, "</p>\n");
    }
    /* the embed snippet, titled with the English name as the API's */
    err_clear(&err);
    if (srv_survey(c->srv, key, &sref, &err) == 0)
        title = survey_def_name(srv_survey_def(sref), "en");
    if (survey_embed_snippet(&emb, url, title, &err) == 0) {
        strbuf_printf(b,
                      "<h3 id=\"embed-h\">%s</h3>\n<pre class=\"sf-embed\" "
                      "tabindex=\"0\" aria-labelledby=\"embed-h\"><code>",
                      web_t(lang, "survey_embed"));
        page_text(b, emb.p);
        strbuf_puts(b, "</code></pre>\n");
    }
    srv_survey_release(sref);
    strbuf_puts(b, "</section>\n");
    strbuf_dispose(&pub);
    strbuf_dispose(&sig);
    strbuf_dispose(&q);
    strbuf_dispose(&svg);
    strbuf_dispose(&emb);
    strbuf_dispose(&u);
}

/* ---- the builder ---- */

/* What a builder page shows besides the definition. */
struct builder {
    const char *key;       /* the stored survey's, NULL for a new one */
    const struct err *err; /* why it was not saved, or NULL */
    int err_json;          /* 1: the error is about the JSON field */
    const char *json_text; /* the JSON field as posted, or NULL */
    int saved, links;
};

static void json_section(struct strbuf *b, enum web_lang lang,
                         const char *action, const char *csrf,
                         const json_t *def, const struct builder *x)
{
    char *dump = NULL;
    const char *text = x->json_text;
    int bad = x->err && x->err_json;
    if (!text && def) {
        dump = json_dumps(def, JSON_PRESERVE_ORDER | JSON_INDENT(2));
        text = dump;
    }
    strbuf_printf(b,
                  "<section class=\"no-print\" aria-labelledby=\"h-json\"><h2 "
                  "id=\"h-json\">%s</h2>\n",
                  web_t(lang, "survey_json"));
    strbuf_printf(b, "<details class=\"sf-json\"%s><summary>%s</summary>\n",
                  bad ? " open" : "", web_t(lang, "survey_json_show"));
    strbuf_puts(b, "<form method=\"post\" action=\"");
    page_text(b, action);
    strbuf_printf(
        b,
        "%s\"><input type=\"hidden\" name=\"csrf\" value=\"%s\">\n"
        "<p class=\"note\" id=\"f-json-note\">%s</p>\n"
        "<div class=\"sf-field\"><label for=\"f-json\">%s</label>"
        "<textarea id=\"f-json\" name=\"json\" rows=\"18\" "
        "spellcheck=\"false\" aria-describedby=\"f-json-note%s\"%s>\n",
        lang_q(lang), csrf, web_t(lang, "survey_json_note"),
        web_t(lang, "survey_json_label"), bad ? " f-json-err" : "",
        bad ? " aria-invalid=\"true\"" : "");
    page_text(b, text);
    strbuf_puts(b, "</textarea>");
    if (bad) {
        strbuf_puts(b, "<p class=\"error\" id=\"f-json-err\" role=\"alert\">");
        if (x->err->where[0]) {
            page_text(b, x->err->where);
            strbuf_puts(b, ": ");
        }
        page_text(b, x->err->msg);
        strbuf_puts(b, "</p>");
    }
    strbuf_printf(b,
                  "</div>\n<p><button type=\"submit\" name=\"op\" "
                  "value=\"json\">%s</button></p></form></details>\n"
                  "</section>\n",
                  web_t(lang, "survey_json_save"));
    free(dump);
}

static enum http_verdict builder_page(struct call *c, int status,
                                      const json_t *def,
                                      const struct builder *x)
{
    enum web_lang lang = page_lang(c);
    struct strbuf b = STRBUF_INIT, form = STRBUF_INIT, action = STRBUF_INIT,
                  u = STRBUF_INIT;
    char csrf[65], err_id[96] = "", title[200];
    csrf_of(c, csrf);
    strbuf_puts(&action, "/app/surveys");
    if (x->key) {
        escape_url(&u, x->key);
        strbuf_printf(&action, "/%s", u.p);
        snprintf(title, sizeof title, "%s %s", web_t(lang, "survey_survey"),
                 x->key);
    } else {
        snprintf(title, sizeof title, "%s", web_t(lang, "survey_new"));
    }
    if (x->err && !x->err_json)
        survey_form_field_of(x->err->where, err_id, sizeof err_id);
    const char *msg = x->err ? x->err->msg : NULL;
    struct survey_form_view fv = {
        lang, action.p, csrf, x->key != NULL, err_id[0] ? err_id : NULL, msg};
    int placed = 0;
    survey_form_render(&form, def, &fv, &placed);

    if (x->err)
        snprintf(title + strlen(title), sizeof title - strlen(title), " – %s",
                 web_t(lang, "survey_not_saved"));
    page_frame_begin(c, &b, title, "/app/surveys");
    page_h1(&b, x->key ? x->key : web_t(lang, "survey_new"));
    strbuf_printf(&b, "<p class=\"sf-back\"><a href=\"/app/surveys%s\">%s</a>",
                  lang_q(lang), web_t(lang, "survey_all"));
    if (x->key) { /* the preview needs a touchpoint: the links below */
        strbuf_printf(&b, " · <a href=\"#links\">%s</a>",
                      web_t(lang, "survey_links_qr"));
    }
    strbuf_puts(&b, "</p>\n");
    if (x->saved)
        strbuf_printf(&b, "<p class=\"sf-done\" role=\"status\">%s</p>\n",
                      web_t(lang, "survey_saved"));
    if (x->err) {
        /* the summary: what and where; the field has the message too */
        strbuf_printf(&b, "<div class=\"sf-errors\"><p class=\"error\">%s ",
                      web_t(lang, "survey_not_saved_because"));
        if (x->err->where[0]) {
            strbuf_puts(&b, "<code>");
            page_text(&b, x->err->where);
            strbuf_puts(&b, "</code>: ");
        }
        page_text(&b, x->err->msg);
        strbuf_puts(&b, "</p>");
        if (placed || x->err_json)
            strbuf_printf(&b, "<p><a href=\"#%s\">%s</a></p>",
                          x->err_json ? "f-json" : err_id,
                          web_t(lang, "survey_go_to_field"));
        strbuf_puts(&b, "</div>\n");
        if (!placed && !x->err_json) { /* no field to put it beside */
            strbuf_puts(&b, "<p class=\"error\" role=\"alert\">");
            page_text(&b, x->err->msg);
            strbuf_puts(&b, "</p>\n");
        }
    }
    if (x->key && x->links)
        links_section(c, &b, x->key);
    strbuf_printf(&b,
                  "<section class=\"no-print\" aria-labelledby=\"h-builder\">"
                  "<h2 id=\"h-builder\">%s</h2>\n",
                  web_t(lang, "survey_builder"));
    strbuf_add(&b, form.p, form.n);
    strbuf_puts(&b, "</section>\n");
    json_section(&b, lang, action.p, csrf, def, x);
    if (x->key) {
        strbuf_printf(&b,
                      "<section class=\"no-print\" aria-labelledby=\"h-del\">"
                      "<h2 id=\"h-del\">%s</h2>\n<form method=\"post\" "
                      "action=\"%s/delete%s\">"
                      "<input type=\"hidden\" name=\"csrf\" value=\"%s\">"
                      "<p><button type=\"submit\" class=\"sf-danger\">%s"
                      "</button></p></form>\n</section>\n",
                      web_t(lang, "survey_delete"), action.p, lang_q(lang),
                      csrf, web_t(lang, "survey_delete_button"));
    }
    strbuf_dispose(&form);
    strbuf_dispose(&action);
    strbuf_dispose(&u);
    return page_send(c, status, &b);
}

/* The key of the path, or -1 after answering 404. */
static int path_key(struct call *c, char *key, size_t cap)
{
    enum web_lang lang = page_lang(c);
    if (route_param(c->m, "key", key, cap) < 0 || !*key) {
        page_message(c, 404, web_t(lang, "not_found"),
                     web_t(lang, "not_found_text"));
        return -1;
    }
    return 0;
}

enum http_verdict page_survey_new(struct call *c)
{
    /* a start: the headline question most surveys ask */
    json_t *def =
        json_pack("{s:s, s:[s,s], s:s, s:[{s:s, s:s, s:b}]}", "key", "",
                  "languages", "sv", "en", "audience", "customer", "questions",
                  "key", "nps", "type", "nps", "required", 1);
    struct builder x = {NULL, NULL, 0, NULL, 0, 0};
    enum http_verdict v = builder_page(c, 200, def, &x);
    json_decref(def);
    return v;
}

enum http_verdict page_survey(struct call *c)
{
    char key[KEY_CAP];
    char *json = NULL;
    struct err err = ERR_INIT;
    if (path_key(c, key, sizeof key) < 0)
        return HTTP_DONE;
    struct store *s = srv_reader(c);
    if (!s)
        return HTTP_DONE;
    if (store_get_survey_def(s, key, &json, &err) < 0)
        return page_fail(c, &err);
    json_t *def = json_loads(json, 0, NULL);
    free(json);
    const char *saved = http_arg(c->req, "saved");
    struct builder x = {key, NULL, 0, NULL, saved && *saved, 1};
    enum http_verdict v = builder_page(c, 200, def, &x);
    json_decref(def);
    return v;
}

/* Parses, checks and stores text as the survey (path_key: the key it
 * must have; create: refuse one that exists), as the API's PUT and POST
 * do; the key stored into key. */
static int store_def(struct call *c, const char *text, size_t len,
                     const char *pkey, int create, char *key, size_t cap,
                     struct err *err)
{
    struct survey_def *d = NULL;
    char *json = NULL, *old = NULL;
    int rc = survey_def_parse(&d, text, len, err);
    if (rc < 0)
        return rc;
    if (pkey && strcmp(pkey, survey_def_key(d)) != 0) {
        rc = err_set(err, ERR_INVALID,
                     "the key differs from the survey's, \"%s\": to copy a "
                     "survey, make a new one",
                     pkey);
        snprintf(err->where, sizeof err->where, "key");
        goto done;
    }
    json = survey_def_to_json(d);
    snprintf(key, cap, "%s", survey_def_key(d));
    pthread_mutex_lock(&c->srv->admin_mu);
    if (create && store_get_survey_def(c->srv->admin, key, &old, err) == 0) {
        err_clear(err);
        rc = err_set(err, ERR_CONFLICT,
                     "survey \"%s\" exists: open it to change it", key);
        snprintf(err->where, sizeof err->where, "key");
    } else {
        err_clear(err);
        rc = store_put_survey_def(c->srv->admin, key, json, err);
    }
    pthread_mutex_unlock(&c->srv->admin_mu);
    if (rc == 0) {
        srv_survey_put(c->srv, d);
        d = NULL;
        srv_audit(c, create ? "survey.create" : "survey.replace", key, NULL);
    }
done:
    survey_def_free(d);
    free(json);
    free(old);
    return rc;
}

static int status_of(const struct err *err)
{
    return err->code == ERR_CONFLICT  ? 409
           : err->code == ERR_INVALID ? 400
           : err->code == ERR_DB      ? 503
                                      : 500;
}

/* POST /app/surveys and /app/surveys/KEY: save, or draw the form again
 * (a question added, removed or moved), or show why it was not saved. */
static enum http_verdict post_builder(struct call *c, const char *pkey)
{
    enum web_lang lang = page_lang(c);
    struct form f = FORM_INIT;
    struct err err = ERR_INIT;
    size_t len, arg;
    const char *body = http_body(c->req, &len);
    json_t *def = NULL;
    char key[KEY_CAP];
    enum http_verdict v;
    if (form_parse(&f, body, len, &err) < 0)
        return page_fail(c, &err);
    enum survey_form_op op = survey_form_op(&f, &arg);
    struct builder x = {pkey, NULL, 0, NULL, 0, 0};
    int rc;
    if (op == SURVEY_FORM_JSON) {
        const char *text = form_get(&f, "json");
        if (!text)
            text = "";
        rc = store_def(c, text, strlen(text), pkey, pkey == NULL, key,
                       sizeof key, &err);
        if (rc < 0) {
            json_t *j = json_loads(text, 0, NULL);
            def = json_is_object(j) ? j : NULL;
            if (!def)
                json_decref(j);
            x.err = &err;
            x.err_json = 1;
            x.json_text = text;
        }
    } else {
        def = survey_form_read(&f);
        if (op != SURVEY_FORM_SAVE) {
            survey_form_apply(def, op, arg);
            v = builder_page(c, 200, def, &x);
            goto done;
        }
        survey_form_prune(def);
        rc = survey_form_check(def, &err);
        if (rc == 0) {
            char *text = json_dumps(def, JSON_PRESERVE_ORDER | JSON_COMPACT);
            rc = store_def(c, text, strlen(text), pkey, pkey == NULL, key,
                           sizeof key, &err);
            free(text);
        }
        if (rc < 0)
            x.err = &err;
    }
    if (rc < 0) {
        v = builder_page(c, status_of(&err), def, &x);
        goto done;
    }
    struct strbuf to = STRBUF_INIT;
    strbuf_puts(&to, "/app/surveys/");
    escape_url(&to, key);
    strbuf_printf(&to, "?saved=1%s", lang == WEB_EN ? "&lang=en" : "");
    v = page_redirect(c, to.p);
    strbuf_dispose(&to);
done:
    json_decref(def);
    form_dispose(&f);
    return v;
}

enum http_verdict page_survey_create(struct call *c)
{
    return post_builder(c, NULL);
}

enum http_verdict page_survey_save(struct call *c)
{
    char key[KEY_CAP];
    if (path_key(c, key, sizeof key) < 0)
        return HTTP_DONE;
    return post_builder(c, key);
}

/* ---- deleting ---- */

enum http_verdict page_survey_delete(struct call *c)
{
    enum web_lang lang = page_lang(c);
    struct form f = FORM_INIT;
    struct err err = ERR_INIT;
    char key[KEY_CAP], *json = NULL;
    size_t len;
    if (path_key(c, key, sizeof key) < 0)
        return HTTP_DONE;
    const char *body = http_body(c->req, &len);
    if (form_parse(&f, body, len, &err) < 0)
        return page_fail(c, &err);
    const char *confirm = form_get(&f, "confirm");
    int yes = confirm && !strcmp(confirm, "yes");
    form_dispose(&f);
    struct strbuf u = STRBUF_INIT;
    escape_url(&u, key);
    if (!yes) { /* the confirmation step */
        struct store *s = srv_reader(c);
        if (!s || store_get_survey_def(s, key, &json, &err) < 0) {
            strbuf_dispose(&u);
            return s ? page_fail(c, &err) : HTTP_DONE;
        }
        free(json);
        char csrf[65], title[200];
        csrf_of(c, csrf);
        snprintf(title, sizeof title, "%s %s?", web_t(lang, "survey_delete_q"),
                 key);
        struct strbuf b = STRBUF_INIT;
        page_frame_begin(c, &b, title, "/app/surveys");
        page_h1(&b, title);
        strbuf_printf(&b,
                      "<p>%s</p>\n<form method=\"post\" action=\"/app/surveys/"
                      "%s/delete%s\"><input type=\"hidden\" name=\"csrf\" "
                      "value=\"%s\"><input type=\"hidden\" name=\"confirm\" "
                      "value=\"yes\"><p><button type=\"submit\" "
                      "class=\"sf-danger\">%s</button> <a href=\"/app/surveys/"
                      "%s%s\">%s</a></p></form>\n",
                      web_t(lang, "survey_delete_text"), u.p, lang_q(lang),
                      csrf, web_t(lang, "survey_delete_yes"), u.p, lang_q(lang),
                      web_t(lang, "survey_delete_no"));
        strbuf_dispose(&u);
        return page_send(c, 200, &b);
    }
    pthread_mutex_lock(&c->srv->admin_mu);
    int rc = store_delete_survey_def(c->srv->admin, key, &err);
    pthread_mutex_unlock(&c->srv->admin_mu);
    if (rc < 0) {
        strbuf_dispose(&u);
        return page_fail(c, &err);
    }
    srv_survey_forget(c->srv, key);
    srv_audit(c, "survey.delete", key, NULL);
    struct strbuf to = STRBUF_INIT;
    strbuf_printf(&to, "/app/surveys?deleted=%s%s", u.p,
                  lang == WEB_EN ? "&lang=en" : "");
    enum http_verdict v = page_redirect(c, to.p);
    strbuf_dispose(&to);
    strbuf_dispose(&u);
    return v;
}
