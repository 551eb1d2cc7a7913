/* The cases inbox and one case (docs/web.md, docs/closed-loop.md): a
 * touchpoint owner sees the cases of their touchpoints and teams only,
 * as in the API; each change is a form that posts back to the case. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/err.h"
#include "core/escape.h"
#include "core/strbuf.h"
#include "core/tstamp.h"
#include "http/form.h"
#include "loop/loop.h"
#include "loop/rules.h"
#include "report/cases_report.h"
#include "report/result.h"
#include "server/notifier.h"
#include "server/pages_int.h"
#include "server/server_int.h"
#include "store/store.h"
#include "store/store_loop.h"

static void text(struct strbuf *b, const char *s)
{
    if (s)
        escape_xml(b, s, strlen(s));
    else
        strbuf_puts(b, "–");
}

static void when(struct strbuf *b, int64_t t)
{
    char buf[40];
    if (!t) {
        strbuf_puts(b, "–");
        return;
    }
    tstamp_format(buf, sizeof buf, t, 0);
    strbuf_printf(b, "<time datetime=\"%s\">%.10s %.5s</time>", buf, buf,
                  buf + 11);
}

struct inbox {
    struct strbuf *b;
    enum web_lang lang;
    int64_t now;
    int rows;
};

static int inbox_row(void *ctx, const struct loop_case *k)
{
    struct inbox *x = ctx;
    struct strbuf *b = x->b;
    int overdue = k->status < CASE_RESOLVED && k->due < x->now;
    strbuf_printf(b,
                  "<tr%s><th scope=\"row\"><a href=\"/app/cases/%lld%s\">#%lld"
                  "</a></th><td>",
                  overdue ? " class=\"overdue\"" : "", (long long)k->id,
                  x->lang == WEB_EN ? "?lang=en" : "", (long long)k->id);
    text(b, web_t(x->lang, case_status_name(k->status)));
    strbuf_puts(b, "</td><td>");
    text(b,
         web_t(x->lang, case_priority_name((enum case_priority)k->priority)));
    strbuf_puts(b, "</td><td>");
    text(b, k->team);
    strbuf_puts(b, "</td><td>");
    text(b, k->touchpoint);
    strbuf_puts(b, "</td><td>");
    text(b, k->theme);
    strbuf_puts(b, "</td><td>");
    when(b, k->opened);
    strbuf_puts(b, "</td><td>");
    when(b, k->due);
    if (overdue)
        strbuf_printf(b, " <strong>%s</strong>", web_t(x->lang, "overdue"));
    strbuf_puts(b, "</td></tr>\n");
    x->rows++;
    return 0;
}

enum http_verdict page_cases(struct call *c)
{
    enum web_lang lang = page_lang(c);
    struct case_filter f = CASE_FILTER_INIT;
    struct strbuf vis = STRBUF_INIT, b = STRBUF_INIT;
    struct err err = ERR_INIT;
    const char *st = http_arg(c->req, "status");
    enum case_status want;
    if (st && *st && case_status_parse(&want, st) == 0)
        f.status_mask = 1u << want;
    else if (!st) /* the inbox: what is not yet resolved */
        f.status_mask =
            1u << CASE_OPEN | 1u << CASE_ASSIGNED | 1u << CASE_CONTACTED;
    f.visible = srv_visible(c, &vis);
    f.limit = 500;
    struct store *s = srv_reader(c);
    if (!s) {
        strbuf_dispose(&vis);
        return HTTP_DONE;
    }
    const char *fmt = http_arg(c->req, "format");
    if (fmt && !strcmp(fmt, "csv")) { /* the list, as the API's */
        struct result *r = NULL;
        enum http_verdict v;
        if (cases_list_result(&r, s, &f, (int64_t)time(NULL), &err) < 0)
            v = page_fail(c, &err);
        else
            v = page_send_csv(c, r, "cases");
        result_free(r);
        strbuf_dispose(&vis);
        return v;
    }
    const char *title = web_t(lang, "cases");
    page_frame_begin(c, &b, title, "/app/cases");
    strbuf_puts(&b, "<h1>");
    escape_xml(&b, title, strlen(title));
    strbuf_puts(&b, "</h1>\n");
    strbuf_printf(
        &b,
        "<form class=\"filters\" method=\"get\" action=\"/app/cases\">"
        "<p><label for=\"status\">%s</label> <select id=\"status\" "
        "name=\"status\"><option value=\"\">%s</option>",
        web_t(lang, "status"), web_t(lang, "all_statuses"));
    for (int i = 0; i < CASE_N_STATUS; i++)
        strbuf_printf(&b, "<option value=\"%s\"%s>%s</option>",
                      case_status_name((enum case_status)i),
                      st && !strcmp(st, case_status_name((enum case_status)i))
                          ? " selected"
                          : "",
                      web_t(lang, case_status_name((enum case_status)i)));
    strbuf_printf(&b,
                  "</select></p>%s<p><button type=\"submit\">%s</button>"
                  "</p></form>\n",
                  lang == WEB_EN
                      ? "<input type=\"hidden\" name=\"lang\" value=\"en\">"
                      : "",
                  web_t(lang, "apply_filters"));
    strbuf_puts(&b, "<p class=\"exports\"><a href=\"/app/cases?format=csv");
    if (st) {
        struct strbuf u = STRBUF_INIT;
        escape_url(&u, st);
        strbuf_puts(&b, "&amp;status=");
        escape_xml(&b, strbuf_str(&u), u.n);
        strbuf_dispose(&u);
    }
    strbuf_printf(&b, "%s\" download>%s</a></p>\n",
                  lang == WEB_EN ? "&amp;lang=en" : "",
                  web_t(lang, "export_csv"));
    strbuf_printf(&b,
                  "<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" "
                  "aria-label=\"%s\"><table class=\"cases\"><caption>%s"
                  "</caption>\n<thead><tr><th scope=\"col\">%s</th>"
                  "<th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
                  "<th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
                  "<th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
                  "<th scope=\"col\">%s</th></tr></thead>\n<tbody>\n",
                  title, title, web_t(lang, "case"), web_t(lang, "status"),
                  web_t(lang, "priority"), web_t(lang, "team"),
                  web_t(lang, "touchpoint"), web_t(lang, "theme"),
                  web_t(lang, "opened"), web_t(lang, "due"));
    struct inbox x = {&b, lang, (int64_t)time(NULL), 0};
    int rc = store_scan_cases(s, &f, inbox_row, &x, &err);
    strbuf_puts(&b, "</tbody></table></div>\n");
    if (x.rows == 0)
        strbuf_printf(&b, "<p>%s</p>\n", web_t(lang, "no_cases"));
    strbuf_dispose(&vis);
    if (rc < 0) {
        strbuf_dispose(&b);
        return page_fail(c, &err);
    }
    return page_send(c, 200, &b);
}

static int case_id(struct call *c, int64_t *id)
{
    char buf[32], *end;
    if (route_param(c->m, "id", buf, sizeof buf) < 0)
        return -1;
    long long v = strtoll(buf, &end, 10);
    if (*end || v <= 0)
        return -1;
    *id = v;
    return 0;
}

/* A button that posts one action on the case, with the CSRF token. */
static void action_form(struct strbuf *b, enum web_lang lang, int64_t id,
                        const char *action, const char *csrf, int note)
{
    strbuf_printf(b,
                  "<form class=\"action\" method=\"post\" "
                  "action=\"/app/cases/%lld/%s%s\">"
                  "<input type=\"hidden\" name=\"csrf\" value=\"%s\">",
                  (long long)id, action, lang == WEB_EN ? "?lang=en" : "",
                  csrf);
    if (note)
        strbuf_printf(b,
                      "<p><label for=\"note-%s\">%s</label> <textarea "
                      "id=\"note-%s\" name=\"note\" rows=\"2\"></textarea></p>",
                      action, web_t(lang, "note"), action);
    strbuf_printf(b, "<p><button type=\"submit\">%s</button></p></form>\n",
                  web_t(lang, action));
}

enum http_verdict page_case(struct call *c)
{
    enum web_lang lang = page_lang(c);
    struct strbuf vis = STRBUF_INIT, b = STRBUF_INIT;
    struct err err = ERR_INIT;
    struct result *r = NULL;
    int64_t id;
    if (case_id(c, &id) < 0)
        return page_message(c, 404, web_t(lang, "not_found"),
                            web_t(lang, "not_found_text"));
    struct store *s = srv_reader(c);
    if (!s)
        return HTTP_DONE;
    int rc = case_show_result(&r, s, id, srv_visible(c, &vis),
                              (int64_t)time(NULL), &err);
    strbuf_dispose(&vis);
    if (rc < 0)
        return page_fail(c, &err);
    srv_audit(c, "case.read", "case", NULL);
    char title[64], csrf[65] = "";
    snprintf(title, sizeof title, "%s #%lld", web_t(lang, "case"),
             (long long)id);
    const char *cookie = http_cookie(c->req, SESSION_COOKIE);
    if (cookie)
        auth_csrf_token(c->srv->csrf_key, cookie, csrf);
    page_frame_begin(c, &b, title, "/app/cases");
    strbuf_puts(&b, "<h1>");
    escape_xml(&b, title, strlen(title));
    strbuf_puts(&b, "</h1>\n");
    result_render_with(&b, r, RESULT_FORMAT_HTML,
                       lang == WEB_SV ? RESULT_RENDER_SV : 0, &err);
    result_free(r);
    if (csrf[0]) {
        strbuf_printf(&b,
                      "<section aria-labelledby=\"h-act\"><h2 "
                      "id=\"h-act\">%s</h2>\n",
                      web_t(lang, "act"));
        action_form(&b, lang, id, "contact", csrf, 1);
        action_form(&b, lang, id, "resolve", csrf, 1);
        action_form(&b, lang, id, "close", csrf, 0);
        action_form(&b, lang, id, "notes", csrf, 1);
        strbuf_puts(&b, "</section>\n");
    }
    return page_send(c, 200, &b);
}

enum http_verdict page_case_action(struct call *c)
{
    enum web_lang lang = page_lang(c);
    struct strbuf vis = STRBUF_INIT;
    struct form f = FORM_INIT;
    struct err err = ERR_INIT;
    char action[16];
    int64_t id;
    if (case_id(c, &id) < 0 ||
        route_param(c->m, "action", action, sizeof action) < 0)
        return page_message(c, 404, web_t(lang, "not_found"),
                            web_t(lang, "not_found_text"));
    struct case_change ch = {CASE_NOTE, NULL, NULL, NULL, -1};
    if (!strcmp(action, "contact"))
        ch.action = CASE_CONTACT;
    else if (!strcmp(action, "resolve"))
        ch.action = CASE_RESOLVE;
    else if (!strcmp(action, "close"))
        ch.action = CASE_CLOSE;
    else if (strcmp(action, "notes") != 0)
        return page_message(c, 404, web_t(lang, "not_found"),
                            web_t(lang, "not_found_text"));
    size_t len;
    const char *body = http_body(c->req, &len);
    if (form_parse(&f, body, len, &err) < 0)
        return page_fail(c, &err);
    ch.note = form_get(&f, "note");
    if (ch.note && !*ch.note)
        ch.note = NULL;
    struct loop_actor a = {c->p->name, srv_visible(c, &vis)};
    pthread_mutex_lock(&c->srv->admin_mu);
    int rc = srv_case_change(c, id, &ch, &a, &err);
    store_read_end(c->srv->admin);
    pthread_mutex_unlock(&c->srv->admin_mu);
    form_dispose(&f);
    strbuf_dispose(&vis);
    if (rc < 0)
        return page_fail(c, &err);
    notifier_poke(c->srv->notifier);
    char to[64];
    snprintf(to, sizeof to, "/app/cases/%lld%s", (long long)id,
             lang == WEB_EN ? "?lang=en" : "");
    return page_redirect(c, to);
}
