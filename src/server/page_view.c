/* What the web app's pages share about their view (docs/web.md): the
 * filters of the URL (?from=&to=&where=), the figures of the metrics
 * engine for them on the server's column store, and small pieces of
 * output. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "colstore/colstore.h"
#include "core/err.h"
#include "core/escape.h"
#include "core/strbuf.h"
#include "core/tstamp.h"
#include "query/prepare.h"
#include "report/result.h"
#include "server/pages_int.h"
#include "server/server_int.h"
#include "stats/metrics.h"
#include "store/store.h"
#include "web/chart.h"

int page_prepare_field(void *ctx, const struct field *f)
{
    struct page_prep *p = ctx;
    return query_prepare_field(p->cs, p->s, f, FIELD_RESPONSES, p->err);
}

/* The figures of the view (by `by`, NULL: one cell), at touchpoint tp
 * (NULL: every touchpoint the caller sees). Caller frees *out. */
int page_figures(struct call *c, struct colstore *cs, struct store *s,
                 const struct page_view *v, const char *tp, const char *by,
                 struct metrics_result **out, struct err *err)
{
    struct metrics_query q;
    struct page_prep p = {cs, s, err};
    int rc = 0;
    metrics_query_init(&q, FIELD_RESPONSES);
    if (v->where && *v->where)
        rc = metrics_query_where(&q, v->where, err);
    if (rc == 0 && tp)
        rc = metrics_query_where_values(&q, "touchpoint", &tp, 1, err);
    else if (rc == 0 && c->p->role == ROLE_OWNER)
        rc = metrics_query_where_values(&q, "touchpoint",
                                        (const char *const *)c->p->touchpoints,
                                        (size_t)c->p->n_touchpoints, err);
    if (rc == 0 && by)
        rc = metrics_query_by(&q, by, err);
    metrics_query_days(&q, v->from_day, v->to_day);
    if (rc == 0)
        rc = metrics_query_fields(&q, page_prepare_field, &p);
    if (rc == 0)
        rc = metrics_run(out, cs, &q, err);
    metrics_query_dispose(&q);
    return rc;
}

/* Without a period, as on the overview: from the first of the last
 * TREND_MONTHS months with answers in months (a result by month of what
 * the caller sees), so the list and a touchpoint's page agree. */
void page_default_from(struct page_view *v, size_t keep,
                       const struct metrics_result *months)
{
    if (v->from || !months || !months->n_cells)
        return;
    size_t first = months->n_cells > keep ? months->n_cells - keep : 0;
    char label[16];
    snprintf(label, sizeof label, "%.7s-01", months->cells[first].label[0]);
    tstamp_parse_date(&v->from_day, label, strlen(label));
}

int page_fig(const struct metrics_result *r, const char *key)
{
    for (size_t i = 0; r && i < r->n_figs; i++)
        if (!strcmp(r->figs[i].key, key))
            return (int)i;
    return -1;
}

/* A day "YYYY-MM-DD" of the URL; -1 after answering. */
int page_day_arg(struct call *c, const char *v, int64_t *day, int64_t none)
{
    *day = none;
    if (!v || !*v)
        return 0;
    if (tstamp_parse_date(day, v, strlen(v)) < 0) {
        struct err err = ERR_INIT;
        err_set(&err, ERR_INVALID, "%s: not a date (YYYY-MM-DD)", v);
        page_fail(c, &err);
        return -1;
    }
    return 0;
}

/* The view from the URL; -1 after answering. *csv: ?format=csv. */
int page_view_args(struct call *c, struct page_view *v, int *csv)
{
    const char *fmt = http_arg(c->req, "format");
    v->from = http_arg(c->req, "from");
    v->to = http_arg(c->req, "to");
    v->where = http_arg(c->req, "where");
    *csv = fmt && !strcmp(fmt, "csv");
    if (fmt && *fmt && !*csv && strcmp(fmt, "html") != 0) {
        struct err err = ERR_INIT;
        err_set(&err, ERR_INVALID, "format: csv or html, got \"%s\"", fmt);
        page_fail(c, &err);
        return -1;
    }
    if (page_day_arg(c, v->from, &v->from_day, METRICS_DAY_MIN) < 0 ||
        page_day_arg(c, v->to, &v->to_day, METRICS_DAY_MAX) < 0)
        return -1;
    return 0;
}

void page_text(struct strbuf *b, const char *s)
{
    escape_xml(b, s ? s : "", s ? strlen(s) : 0);
}

/* Appends "?from=..&to=..&where=..&lang=en" (those given) and extra
 * ("format=csv", may be NULL): raw, to be escaped as an attribute. */
void page_query_string(struct strbuf *b, const struct page_view *v,
                       enum web_lang lang, const char *extra)
{
    const char *names[] = {"from", "to", "where"};
    const char *vals[] = {v->from, v->to, v->where};
    char sep = '?';
    for (size_t i = 0; i < 3; i++) {
        if (!vals[i] || !*vals[i])
            continue;
        strbuf_printf(b, "%c%s=", sep, names[i]);
        escape_url(b, vals[i]);
        sep = '&';
    }
    if (lang == WEB_EN) {
        strbuf_printf(b, "%clang=en", sep);
        sep = '&';
    }
    if (extra)
        strbuf_printf(b, "%c%s", sep, extra);
}

/* href="PATH?QUERY" with the view's filters. */
void page_href(struct strbuf *b, const char *path, const char *key,
               const struct page_view *v, enum web_lang lang, const char *extra)
{
    struct strbuf u = STRBUF_INIT;
    strbuf_puts(&u, path);
    if (key)
        escape_url(&u, key);
    page_query_string(&u, v, lang, extra);
    strbuf_puts(b, "href=\"");
    page_text(b, strbuf_str(&u));
    strbuf_puts(b, "\"");
    strbuf_dispose(&u);
}

/* The hidden fields that keep the view in a form. */
void page_hidden_view(struct strbuf *b, const struct page_view *v,
                      enum web_lang lang, int period)
{
    const char *names[] = {"from", "to", "where"};
    const char *vals[] = {v->from, v->to, v->where};
    for (size_t i = period ? 0 : 2; i < 3; i++) {
        if (!vals[i] || !*vals[i])
            continue;
        strbuf_printf(b, "<input type=\"hidden\" name=\"%s\" value=\"",
                      names[i]);
        page_text(b, vals[i]);
        strbuf_puts(b, "\">\n");
    }
    if (lang == WEB_EN)
        strbuf_puts(b, "<input type=\"hidden\" name=\"lang\" value=\"en\">\n");
}

/* The period and filter form; it sends to path (and key, when not
 * NULL). */
void page_filter_form(struct strbuf *b, enum web_lang lang,
                      const struct page_view *v, const char *path,
                      const char *key)
{
    const struct {
        const char *id, *word, *type, *value, *extra;
    } f[] = {
        {"from", "from", "date", v->from, ""},
        {"to", "to", "date", v->to, ""},
        {"where", "filter", NULL, v->where, " placeholder=\"channel=app\""},
    };
    struct strbuf u = STRBUF_INIT;
    strbuf_puts(&u, path);
    if (key)
        escape_url(&u, key);
    strbuf_puts(b, "<form class=\"filters\" method=\"get\" action=\"");
    page_text(b, strbuf_str(&u));
    strbuf_puts(b, "\">\n");
    strbuf_dispose(&u);
    for (size_t i = 0; i < 3; i++) {
        strbuf_printf(b,
                      "<p><label for=\"%s\">%s</label> <input id=\"%s\" "
                      "name=\"%s\"%s%s%s%s value=\"",
                      f[i].id, web_t(lang, f[i].word), f[i].id, f[i].id,
                      f[i].type ? " type=\"" : "", f[i].type ? f[i].type : "",
                      f[i].type ? "\"" : "", f[i].extra);
        page_text(b, f[i].value);
        strbuf_puts(b, "\"></p>\n");
    }
    if (lang == WEB_EN)
        strbuf_puts(b, "<input type=\"hidden\" name=\"lang\" value=\"en\">\n");
    strbuf_printf(b, "<p><button type=\"submit\">%s</button></p>\n</form>\n",
                  web_t(lang, "apply_filters"));
}

/* value [lo; hi] with a '*' when under the minimum n. */
void page_est_text(struct strbuf *b, enum web_lang lang,
                   const struct metrics_result *r, const struct estimate *e,
                   int sign)
{
    web_number(b, lang, e ? e->value : NAN, 1, sign);
    if (e && isfinite(e->lo) && isfinite(e->hi)) {
        strbuf_puts(b, " <span class=\"ci\">[");
        web_number(b, lang, e->lo, 1, sign);
        strbuf_puts(b, lang == WEB_SV ? "; " : ", ");
        web_number(b, lang, e->hi, 1, sign);
        strbuf_puts(b, "]</span>");
    }
    if (e && metrics_low_n(r, e))
        strbuf_printf(b, "<span class=\"lown\" title=\"%s\">*</span>",
                      web_t(lang, "low_n"));
}

/* One headline figure as a card: label, value, CI and n. */
void page_card(struct strbuf *b, enum web_lang lang, const char *label,
               const struct metrics_result *r, const char *key, int sign)
{
    int k = r && r->n_cells ? page_fig(r, key) : -1;
    const struct estimate *e = k >= 0 ? &r->cells[0].fig[k] : NULL;
    strbuf_puts(b, "<div class=\"card\"><dt>");
    page_text(b, label);
    strbuf_puts(b, "</dt><dd><span class=\"value\">");
    web_number(b, lang, e ? e->value : NAN, 1, sign);
    strbuf_printf(b, "</span> <span class=\"ci\">%s ", web_t(lang, "ci95"));
    web_number(b, lang, e ? e->lo : NAN, 1, sign);
    strbuf_puts(b, lang == WEB_SV ? "; " : ", ");
    web_number(b, lang, e ? e->hi : NAN, 1, sign);
    strbuf_printf(b, "</span> <span class=\"n\">n = %lld%s</span></dd></div>\n",
                  e ? (long long)e->n : 0LL,
                  e && metrics_low_n(r, e) ? " *" : "");
}

void page_section(struct strbuf *b, const char *id, const char *text)
{
    strbuf_printf(b, "<section aria-labelledby=\"%s\"><h2 id=\"%s\">", id, id);
    page_text(b, text);
    strbuf_puts(b, "</h2>\n");
}

void page_h1(struct strbuf *b, const char *title)
{
    strbuf_puts(b, "<h1>");
    page_text(b, title);
    strbuf_puts(b, "</h1>\n");
}

/* Answers r as CSV, a file named name.csv. */
enum http_verdict page_send_csv(struct call *c, const struct result *r,
                                const char *name)
{
    struct strbuf b = STRBUF_INIT, cd = STRBUF_INIT;
    struct err err = ERR_INIT;
    if (result_render(&b, r, RESULT_FORMAT_CSV, &err) < 0) {
        strbuf_dispose(&b);
        return page_fail(c, &err);
    }
    strbuf_puts(&cd, "attachment; filename=\"");
    for (const char *p = name; *p; p++) /* keys: a safe file name */
        strbuf_putc(&cd, (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
                                 (*p >= '0' && *p <= '9') || *p == '-' ||
                                 *p == '_'
                             ? *p
                             : '_');
    strbuf_puts(&cd, ".csv\"");
    size_t n;
    char *p = strbuf_detach(&b, &n);
    srv_send(c, 200, "text/csv; charset=utf-8", p, n);
    http_resp_header(c->resp, "Content-Disposition", cd.p);
    http_resp_header(c->resp, "Cache-Control", "no-store");
    strbuf_dispose(&cd);
    return HTTP_DONE;
}
