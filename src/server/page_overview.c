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

/* The view as CSV, with the same filters; printing the page (or saving
 * it as PDF) keeps its figures: the print rules of app.css. */
static void export_links(struct strbuf *b, enum web_lang lang,
                         const struct page_view *v)
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

/* ?format=csv: the headline, the months and the stages as CSV, the
 * result model's own (docs/output-formats.md). */
static enum http_verdict send_csv(struct call *c, struct metrics_result *head,
                                  struct metrics_result *months,
                                  struct metrics_result *stages)
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
    struct page_view v;
    struct err err = ERR_INIT;
    struct metrics_result *months = NULL, *head = NULL, *stages = NULL;
    int csv;
    if (page_view_args(c, &v, &csv) < 0)
        return HTTP_DONE;
    struct store *s = srv_reader(c);
    if (!s)
        return HTTP_DONE;
    struct colstore *cs = resident_lock(c->srv->res);
    int rc = page_figures(c, cs, s, &v, NULL, "month", &months, &err);
    /* without a period: the last months with answers */
    size_t first = 0;
    if (rc == 0 && months->n_cells > TREND_MONTHS)
        first = months->n_cells - TREND_MONTHS;
    if (rc == 0)
        page_default_from(&v, TREND_MONTHS, months);
    if (rc == 0)
        rc = page_figures(c, cs, s, &v, NULL, NULL, &head, &err);
    if (rc == 0)
        rc = page_figures(c, cs, s, &v, NULL, "stage", &stages, &err);
    resident_unlock(c->srv->res);
    if (rc < 0) {
        metrics_result_free(months);
        metrics_result_free(head);
        return page_fail(c, &err);
    }
    if (csv) /* the view's figures */
        return send_csv(c, head, months, stages);

    struct strbuf b = STRBUF_INIT;
    const char *title = web_t(lang, "overview");
    page_frame_begin(c, &b, title, "/app");
    strbuf_puts(&b, "<h1>");
    escape_xml(&b, title, strlen(title));
    strbuf_puts(&b, "</h1>\n");
    page_filter_form(&b, lang, &v, "/app", NULL);
    export_links(&b, lang, &v);

    strbuf_printf(&b,
                  "<section aria-labelledby=\"h-head\"><h2 id=\"h-head\">%s"
                  "</h2>\n<dl class=\"cards\">\n",
                  web_t(lang, "headline"));
    page_card(&b, lang, "NPS", head, "nps", 1);
    page_card(&b, lang, "CSAT 4-5 %", head, "csat_t2b", 0);
    page_card(&b, lang, "CES 5-7 %", head, "ces_easy", 0);
    strbuf_puts(&b, "</dl>\n</section>\n");

    /* NPS by month, the last TREND_MONTHS with answers */
    struct chart_point pts[TREND_MONTHS];
    size_t n = 0;
    int k = page_fig(months, "nps");
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
    return page_send(c, 200, &b);
}
