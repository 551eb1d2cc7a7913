/* The overview page (docs/web.md): the headline NPS, CSAT and CES of the
 * period with their CIs and n, NPS by month with its CI band, and the
 * figures by stage; filters in the URL (?from=&to=&where=), so a view
 * can be bookmarked. Computed on the server's column store in memory
 * (resident.h) with the metrics engine, the same figures the API gives. */
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
#include "report/metrics_report.h"
#include "report/result.h"
#include "server/pages_int.h"
#include "server/resident.h"
#include "server/server_int.h"
#include "stats/metrics.h"
#include "store/store.h"
#include "web/chart.h"

#define TREND_MONTHS 12

/* The filters of the URL, as given (for the form) and as a query. */
struct view {
    const char *from, *to, *where;
    int64_t from_day, to_day;
};

struct prep {
    struct colstore *cs;
    struct store *s;
    struct err *err;
};

static int prep_field(void *ctx, const struct field *f)
{
    struct prep *p = ctx;
    return query_prepare_field(p->cs, p->s, f, FIELD_RESPONSES, p->err);
}

/* q with the view's filters and an owner's touchpoints. */
static int view_query(struct call *c, const struct view *v,
                      struct metrics_query *q, struct err *err)
{
    int rc = 0;
    if (v->where && *v->where)
        rc = metrics_query_where(q, v->where, err);
    if (rc == 0 && c->p->role == ROLE_OWNER)
        rc = metrics_query_where_values(q, "touchpoint",
                                        (const char *const *)c->p->touchpoints,
                                        (size_t)c->p->n_touchpoints, err);
    metrics_query_days(q, v->from_day, v->to_day);
    return rc;
}

static int run(struct colstore *cs, struct store *s, struct metrics_query *q,
               struct metrics_result **out, struct err *err)
{
    struct prep p = {cs, s, err};
    int rc = metrics_query_fields(q, prep_field, &p);
    return rc < 0 ? rc : metrics_run(out, cs, q, err);
}

static int fig_of(const struct metrics_result *r, const char *key)
{
    for (size_t i = 0; r && i < r->n_figs; i++)
        if (!strcmp(r->figs[i].key, key))
            return (int)i;
    return -1;
}

/* One headline figure as a card: label, value, CI and n. */
static void card(struct strbuf *b, enum web_lang lang, const char *label,
                 const struct metrics_result *r, const char *key, int sign)
{
    int k = r && r->n_cells ? fig_of(r, key) : -1;
    const struct estimate *e = k >= 0 ? &r->cells[0].fig[k] : NULL;
    strbuf_puts(b, "<div class=\"card\"><dt>");
    escape_xml(b, label, strlen(label));
    strbuf_puts(b, "</dt><dd><span class=\"value\">");
    web_number(b, lang, e ? e->value : NAN, 1, sign);
    strbuf_puts(b, "</span> <span class=\"ci\">");
    strbuf_puts(b, web_t(lang, "ci95"));
    strbuf_puts(b, " ");
    web_number(b, lang, e ? e->lo : NAN, 1, sign);
    strbuf_puts(b, lang == WEB_SV ? "; " : ", ");
    web_number(b, lang, e ? e->hi : NAN, 1, sign);
    strbuf_printf(b, "</span> <span class=\"n\">n = %lld%s</span></dd></div>\n",
                  e ? (long long)e->n : 0LL,
                  e && metrics_low_n(r, e) ? " *" : "");
}

static void filter_form(struct strbuf *b, enum web_lang lang,
                        const struct view *v)
{
    strbuf_printf(b,
                  "<form class=\"filters\" method=\"get\" action=\"/app\">\n"
                  "<p><label for=\"from\">%s</label> <input id=\"from\" "
                  "name=\"from\" type=\"date\" value=\"",
                  web_t(lang, "from"));
    if (v->from)
        escape_xml(b, v->from, strlen(v->from));
    strbuf_printf(b,
                  "\"></p>\n<p><label for=\"to\">%s</label> <input id=\"to\" "
                  "name=\"to\" type=\"date\" value=\"",
                  web_t(lang, "to"));
    if (v->to)
        escape_xml(b, v->to, strlen(v->to));
    strbuf_printf(b,
                  "\"></p>\n<p><label for=\"where\">%s</label> <input "
                  "id=\"where\" name=\"where\" placeholder=\"channel=app\" "
                  "value=\"",
                  web_t(lang, "filter"));
    if (v->where)
        escape_xml(b, v->where, strlen(v->where));
    strbuf_printf(b, "\"></p>\n");
    if (lang == WEB_EN)
        strbuf_puts(b, "<input type=\"hidden\" name=\"lang\" value=\"en\">\n");
    strbuf_printf(b, "<p><button type=\"submit\">%s</button></p>\n</form>\n",
                  web_t(lang, "apply_filters"));
}

/* The view as CSV, with the same filters; printing the page (or saving
 * it as PDF) keeps its figures: the print rules of app.css. */
static void export_links(struct strbuf *b, enum web_lang lang,
                         const struct view *v)
{
    strbuf_puts(b, "<p class=\"exports\"><a href=\"/app?format=csv");
    const char *name[] = {"from", "to", "where"};
    const char *val[] = {v->from, v->to, v->where};
    for (int i = 0; i < 3; i++)
        if (val[i] && *val[i]) {
            strbuf_printf(b, "&amp;%s=", name[i]);
            struct strbuf u = STRBUF_INIT;
            escape_url(&u, val[i]);
            escape_xml(b, u.p, u.n);
            strbuf_dispose(&u);
        }
    strbuf_printf(b, "\" download>%s</a></p>\n", web_t(lang, "export_csv"));
}

/* A day "YYYY-MM-DD" of the URL; -1 after answering. */
static int day_arg(struct call *c, const char *v, int64_t *day, int64_t none)
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

/* ?format=csv: the headline, the months and the stages as CSV, the
 * result model's own (docs/output-formats.md). */
static enum http_verdict send_csv(struct call *c, struct metrics_result *head,
                                  struct metrics_result *months,
                                  struct metrics_result *stages,
                                  struct metrics_query *qm,
                                  struct metrics_query *qh)
{
    struct result *r = result_new();
    struct strbuf b = STRBUF_INIT;
    struct err err = ERR_INIT;
    metrics_report_add(r, "headline", "Headline", head);
    metrics_report_add(r, "months", "By month", months);
    metrics_report_add(r, "stages", "By stage", stages);
    int rc = result_render(&b, r, RESULT_FORMAT_CSV, &err);
    result_free(r);
    metrics_result_free(head);
    metrics_result_free(months);
    metrics_result_free(stages);
    metrics_query_dispose(qm);
    metrics_query_dispose(qh);
    if (rc < 0) {
        strbuf_dispose(&b);
        return page_fail(c, &err);
    }
    size_t n;
    char *p = strbuf_detach(&b, &n);
    srv_send(c, 200, "text/csv; charset=utf-8", p, n);
    http_resp_header(c->resp, "Content-Disposition",
                     "attachment; filename=\"resonans-overview.csv\"");
    return HTTP_DONE;
}

enum http_verdict page_overview(struct call *c)
{
    enum web_lang lang = page_lang(c);
    struct view v = {http_arg(c->req, "from"), http_arg(c->req, "to"),
                     http_arg(c->req, "where"), 0, 0};
    struct err err = ERR_INIT;
    struct metrics_query qm, qh;
    struct metrics_result *months = NULL, *head = NULL, *stages = NULL;
    if (day_arg(c, v.from, &v.from_day, METRICS_DAY_MIN) < 0 ||
        day_arg(c, v.to, &v.to_day, METRICS_DAY_MAX) < 0)
        return HTTP_DONE;
    struct store *s = srv_reader(c);
    if (!s)
        return HTTP_DONE;
    metrics_query_init(&qm, FIELD_RESPONSES);
    metrics_query_init(&qh, FIELD_RESPONSES);
    int rc = view_query(c, &v, &qm, &err);
    if (rc == 0)
        rc = metrics_query_by(&qm, "month", &err);
    struct colstore *cs = resident_lock(c->srv->res);
    if (rc == 0)
        rc = run(cs, s, &qm, &months, &err);
    /* without a period: the last months with answers */
    size_t first = 0;
    if (rc == 0 && months->n_cells > TREND_MONTHS)
        first = months->n_cells - TREND_MONTHS;
    if (rc == 0 && !v.from && months->n_cells) {
        char label[16];
        snprintf(label, sizeof label, "%s-01", months->cells[first].label[0]);
        tstamp_parse_date(&v.from_day, label, strlen(label));
    }
    if (rc == 0)
        rc = view_query(c, &v, &qh, &err);
    if (rc == 0)
        rc = run(cs, s, &qh, &head, &err);
    if (rc == 0) {
        struct metrics_query qs;
        metrics_query_copy(&qs, &qh);
        if ((rc = metrics_query_by(&qs, "stage", &err)) == 0)
            rc = run(cs, s, &qs, &stages, &err);
        metrics_query_dispose(&qs);
    }
    resident_unlock(c->srv->res);
    if (rc < 0) {
        metrics_result_free(months);
        metrics_query_dispose(&qm);
        metrics_query_dispose(&qh);
        return page_fail(c, &err);
    }

    const char *format = http_arg(c->req, "format");
    if (format && !strcmp(format, "csv")) /* the view's figures */
        return send_csv(c, head, months, stages, &qm, &qh);

    struct strbuf b = STRBUF_INIT;
    const char *title = web_t(lang, "overview");
    page_frame_begin(c, &b, title, "/app");
    strbuf_puts(&b, "<h1>");
    escape_xml(&b, title, strlen(title));
    strbuf_puts(&b, "</h1>\n");
    filter_form(&b, lang, &v);
    export_links(&b, lang, &v);

    strbuf_printf(&b,
                  "<section aria-labelledby=\"h-head\"><h2 id=\"h-head\">%s"
                  "</h2>\n<dl class=\"cards\">\n",
                  web_t(lang, "headline"));
    card(&b, lang, "NPS", head, "nps", 1);
    card(&b, lang, "CSAT 4-5 %", head, "csat_t2b", 0);
    card(&b, lang, "CES 5-7 %", head, "ces_easy", 0);
    strbuf_puts(&b, "</dl>\n</section>\n");

    /* NPS by month, the last TREND_MONTHS with answers */
    struct chart_point pts[TREND_MONTHS];
    size_t n = 0;
    int k = fig_of(months, "nps");
    for (size_t i = first;
         months && k >= 0 && i < months->n_cells && n < TREND_MONTHS; i++) {
        const struct estimate *e = &months->cells[i].fig[k];
        pts[n++] = (struct chart_point){
            months->cells[i].label[0], e->value, e->lo, e->hi, e->n,
            metrics_low_n(months, e)};
    }
    struct chart_line line = {"trend-nps",
                              web_t(lang, "nps_by_month"),
                              web_t(lang, "nps_by_month_summary"),
                              "NPS",
                              pts,
                              n,
                              -100,
                              100,
                              NULL,
                              NULL};
    strbuf_printf(&b,
                  "<section aria-labelledby=\"h-trend\"><h2 id=\"h-trend\">"
                  "%s</h2>\n",
                  web_t(lang, "trend"));
    chart_line_svg(&b, lang, &line);
    strbuf_puts(&b, "</section>\n");

    /* the stages as a table of the result model */
    struct result *res = metrics_report_build(stages);
    strbuf_printf(&b,
                  "<section aria-labelledby=\"h-stages\"><h2 "
                  "id=\"h-stages\">%s</h2>\n",
                  web_t(lang, "by_stage"));
    result_render_with(&b, res, RESULT_FORMAT_HTML,
                       lang == WEB_SV ? RESULT_RENDER_SV : 0, &err);
    strbuf_puts(&b, "</section>\n");
    result_free(res);

    metrics_result_free(months);
    metrics_result_free(head);
    metrics_result_free(stages);
    metrics_query_dispose(&qm);
    metrics_query_dispose(&qh);
    return page_send(c, 200, &b);
}
