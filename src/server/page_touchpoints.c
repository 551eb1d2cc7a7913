/* The touchpoints (docs/web.md): NPS by touchpoint for the period, and
 * one touchpoint's drill-down: its headline figures, NPS by month, by
 * segment and by channel, the themes its comments mention with their
 * share and sentiment, and the latest comments (redacted as stored) with
 * the words that drove their sentiment. Filters as on the overview
 * (?from=&to=&where=); a touchpoint owner sees their touchpoints only,
 * another touchpoint is "not found". ?format=csv answers the page's main
 * table (touchpoints: the figures by touchpoint; a touchpoint: by month)
 * as CSV. Figures come from the metrics engine on the server's column
 * store (resident.h), the same the API gives. */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "colstore/colstore.h"
#include "core/err.h"
#include "core/escape.h"
#include "core/strbuf.h"
#include "core/tstamp.h"
#include "core/xalloc.h"
#include "query/prepare.h"
#include "report/metrics_report.h"
#include "report/result.h"
#include "server/pages_int.h"
#include "server/resident.h"
#include "server/server_int.h"
#include "stats/emerging.h"
#include "stats/metrics.h"
#include "store/model.h"
#include "store/store.h"
#include "text/stem.h"
#include "text/themes.h"
#include "web/chart.h"

#define TREND_MONTHS 12 /* without a period: the last months with answers */
#define TREND_MAX 36    /* most months drawn with a period */
#define MAX_THEMES 200  /* themes offered in the comments' filter */
#define N_VERBATIMS 20

static enum http_verdict not_found(struct call *c)
{
    enum web_lang lang = page_lang(c);
    return page_message(c, 404, web_t(lang, "not_found"),
                        web_t(lang, "not_found_text"));
}

/* ---- the list ---- */

/* The figures by touchpoint as a table, each name a link to its page. */
static void touchpoint_table(struct strbuf *b, enum web_lang lang,
                             const struct metrics_result *r,
                             const struct page_view *v)
{
    static const struct {
        const char *key, *head;
        int sign;
    } cols[] = {{"nps", "NPS", 1},
                {"csat_t2b", "CSAT 4-5 %", 0},
                {"ces_easy", "CES 5-7 %", 0}};
    if (!r)
        return;
    int k[3], starred = 0;
    const char *caption = web_t(lang, "tp_table");
    for (size_t i = 0; i < 3; i++)
        k[i] = page_fig(r, cols[i].key);
    strbuf_puts(b, "<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" "
                   "aria-label=\"");
    page_text(b, caption);
    strbuf_puts(b, "\">\n<table class=\"result\"><caption>");
    page_text(b, caption);
    strbuf_printf(b,
                  "</caption>\n<thead><tr><th scope=\"col\">%s</th>"
                  "<th scope=\"col\" class=\"num\">NPS n</th>",
                  web_t(lang, "touchpoint"));
    for (size_t i = 0; i < 3; i++)
        strbuf_printf(b,
                      "<th scope=\"col\" class=\"num\">%s <span "
                      "class=\"ci-head\">[%s]</span></th>",
                      cols[i].head, web_t(lang, "ci95"));
    strbuf_puts(b, "</tr></thead>\n<tbody>\n");
    for (size_t i = 0; i < r->n_cells; i++) {
        const struct metrics_cell *cell = &r->cells[i];
        strbuf_puts(b, "<tr><th scope=\"row\"><a ");
        page_href(b, "/app/touchpoints/", cell->label[0], v, lang, NULL);
        strbuf_puts(b, ">");
        page_text(b, cell->display[0] ? cell->display[0] : cell->label[0]);
        strbuf_printf(b, "</a></th><td class=\"num\">%lld</td>",
                      k[0] >= 0 ? (long long)cell->fig[k[0]].n : 0LL);
        for (size_t j = 0; j < 3; j++) {
            const struct estimate *e = k[j] >= 0 ? &cell->fig[k[j]] : NULL;
            strbuf_puts(b, "<td class=\"num\">");
            page_est_text(b, lang, r, e, cols[j].sign);
            strbuf_puts(b, "</td>");
            starred |= e && metrics_low_n(r, e);
        }
        strbuf_puts(b, "</tr>\n");
    }
    strbuf_puts(b, "</tbody></table></div>\n");
    if (!r->n_cells)
        strbuf_printf(b, "<p>%s</p>\n", web_t(lang, "tp_no_responses"));
    if (starred)
        strbuf_printf(b, "<p class=\"note lown-note\">* n &lt; %d: %s</p>\n",
                      r->min_n, web_t(lang, "low_n_note"));
}

enum http_verdict page_touchpoints(struct call *c)
{
    enum web_lang lang = page_lang(c);
    struct page_view v;
    struct err err = ERR_INIT;
    struct metrics_result *months = NULL, *tps = NULL;
    struct chart_point *pts = NULL;
    int csv;
    if (page_view_args(c, &v, &csv) < 0)
        return HTTP_DONE;
    struct store *s = srv_reader(c);
    if (!s)
        return HTTP_DONE;
    struct colstore *cs = resident_lock(c->srv->res);
    int rc = 0;
    if (!v.from)
        rc = page_figures(c, cs, s, &v, NULL, "month", &months, &err);
    if (rc == 0)
        page_default_from(&v, TREND_MONTHS, months);
    if (rc == 0)
        rc = page_figures(c, cs, s, &v, NULL, "touchpoint", &tps, &err);
    resident_unlock(c->srv->res);
    metrics_result_free(months);
    if (rc < 0)
        return page_fail(c, &err);
    enum http_verdict verdict;
    if (csv) {
        struct result *res = metrics_report_build(tps);
        verdict = page_send_csv(c, res, "touchpoints");
        result_free(res);
        metrics_result_free(tps);
        return verdict;
    }

    struct strbuf b = STRBUF_INIT;
    const char *title = web_t(lang, "touchpoints");
    page_frame_begin(c, &b, title, "/app/touchpoints");
    page_h1(&b, title);
    page_filter_form(&b, lang, &v, "/app/touchpoints", NULL);

    int k = page_fig(tps, "nps");
    size_t ncells = tps ? tps->n_cells : 0;
    pts = xcalloc(ncells + 1, sizeof *pts);
    for (size_t i = 0; k >= 0 && i < ncells; i++) {
        const struct estimate *e = &tps->cells[i].fig[k];
        pts[i] = (struct chart_point){tps->cells[i].display[0]
                                          ? tps->cells[i].display[0]
                                          : tps->cells[i].label[0],
                                      e->value,
                                      e->lo,
                                      e->hi,
                                      e->n,
                                      metrics_low_n(tps, e)};
    }
    struct chart_bars bars = {"bars-nps",
                              web_t(lang, "tp_nps_by_touchpoint"),
                              web_t(lang, "tp_nps_by_touchpoint_summary"),
                              "NPS",
                              pts,
                              k >= 0 ? ncells : 0,
                              -100,
                              100};
    page_section(&b, "h-nps", web_t(lang, "tp_nps_by_touchpoint"));
    chart_bars_svg(&b, lang, &bars);
    strbuf_puts(&b, "</section>\n");

    page_section(&b, "h-table", web_t(lang, "tp_table"));
    touchpoint_table(&b, lang, tps, &v);
    strbuf_puts(&b, "<p class=\"exports\"><a class=\"export\" ");
    page_href(&b, "/app/touchpoints", NULL, &v, lang, "format=csv");
    strbuf_printf(&b, " download>%s</a></p>\n</section>\n",
                  web_t(lang, "export_csv"));
    free(pts);
    metrics_result_free(tps);
    return page_send(c, 200, &b);
}

/* ---- one touchpoint ---- */

/* A theme's words for people: its label in lang, else its key. */
static const char *theme_label(const struct call *c, enum web_lang lang,
                               const char *key)
{
    const struct themes *tx = c->srv->themes;
    int i = tx && key ? themes_find(tx, key, strlen(key)) : -1;
    return i < 0 ? key
                 : themes_label(tx, (size_t)i,
                                lang == WEB_EN ? LANG_EN : LANG_SV);
}

struct theme_row {
    char *key, *label;
    int64_t mentions, negative, positive;
};

static int theme_row_cmp(const void *a, const void *b)
{
    const struct theme_row *x = a, *y = b;
    if (x->mentions != y->mentions)
        return x->mentions < y->mentions ? 1 : -1;
    return strcmp(x->key, y->key);
}

/* The themes mentioned in the view at touchpoint tp, most mentioned
 * first, into rows[0..*n) (keys and labels copied: the caller frees),
 * and the analysed comments into *comments. */
static int themes_of(struct call *c, struct colstore *cs, struct store *s,
                     const struct page_view *v, const char *tp,
                     enum web_lang lang, struct theme_row **rows, size_t *n,
                     int64_t *comments, struct err *err)
{
    struct metrics_query q;
    struct page_prep p = {cs, s, err};
    struct emerging_series *ser = NULL;
    int rc = 0;
    *rows = NULL;
    *n = 0;
    *comments = 0;
    metrics_query_init(&q, FIELD_RESPONSES);
    if (v->where && *v->where)
        rc = metrics_query_where(&q, v->where, err);
    if (rc == 0)
        rc = metrics_query_where_values(&q, "touchpoint", &tp, 1, err);
    metrics_query_days(&q, v->from_day, v->to_day);
    if (rc == 0)
        rc = metrics_query_fields(&q, page_prepare_field, &p);
    if (rc == 0)
        rc = emerging_series_build(&ser, cs, &q, NULL, err);
    if (rc < 0 || !ser)
        goto done;
    size_t np = ser->n_periods;
    *rows = xcalloc(ser->n_themes + 1, sizeof **rows);
    for (size_t t = 0; t < np; t++)
        *comments += ser->comments[t];
    for (size_t j = 0; j < ser->n_themes; j++) {
        struct theme_row r = {NULL, NULL, 0, 0, 0};
        for (size_t t = 0; t < np; t++) {
            r.mentions += ser->mentions[j * np + t];
            r.negative += ser->negative[j * np + t];
            r.positive += ser->positive[j * np + t];
        }
        if (!r.mentions)
            continue;
        const char *key = colstore_label(cs, DIM_THEME, (int)j);
        r.key = xstrdup(key);
        r.label = xstrdup(theme_label(c, lang, key));
        (*rows)[(*n)++] = r;
    }
    qsort(*rows, *n, sizeof **rows, theme_row_cmp);
done:
    emerging_series_free(ser);
    metrics_query_dispose(&q);
    return rc;
}

static double pct(int64_t k, int64_t of)
{
    return of ? 100.0 * (double)k / (double)of : NAN;
}

/* The themes as a result table: share of the comments, negative and
 * positive shares of the mentions, and their mean aspect sentiment (a
 * mention is -1, 0 or 1). Caller frees. */
static struct result *themes_result(enum web_lang lang,
                                    const struct theme_row *rows, size_t n,
                                    int64_t comments)
{
    struct result *r = result_new();
    result_set_min_n(r, METRICS_MIN_N);
    result_meta_int(r, "comments", NULL, comments);
    struct result_table *t =
        result_table_new(r, "themes", web_t(lang, "tp_themes_caption"));
    result_table_empty(t, web_t(lang, "tp_no_themes"));
    result_col(t, "label", web_t(lang, "theme"), RESULT_TEXT, 0, 0);
    result_col(t, "theme", "theme", RESULT_TEXT, 0, RESULT_FOR_PROGRAMS);
    result_col(t, "mentions", web_t(lang, "tp_mentions"), RESULT_INTEGER, 0, 0);
    result_col(t, "share_pct", web_t(lang, "tp_share_pct"), RESULT_NUMBER, 1,
               0);
    result_col(t, "negative_pct", web_t(lang, "tp_negative_pct"), RESULT_NUMBER,
               1, 0);
    result_col(t, "positive_pct", web_t(lang, "tp_positive_pct"), RESULT_NUMBER,
               1, 0);
    result_col(t, "mean_sentiment", web_t(lang, "tp_mean_sentiment"),
               RESULT_NUMBER, 2, RESULT_SIGNED);
    for (size_t i = 0; i < n; i++) {
        const struct theme_row *x = &rows[i];
        result_row(t);
        result_add_text(t, x->label);
        result_add_text(t, x->key);
        result_add_int(t, x->mentions);
        result_add_num(t, pct(x->mentions, comments));
        if (comments < METRICS_MIN_N)
            result_add_low_n(t);
        result_add_num(t, pct(x->negative, x->mentions));
        if (x->mentions < METRICS_MIN_N)
            result_add_low_n(t);
        result_add_num(t, pct(x->positive, x->mentions));
        if (x->mentions < METRICS_MIN_N)
            result_add_low_n(t);
        result_add_num(t, (double)(x->positive - x->negative) /
                              (double)x->mentions);
        if (x->mentions < METRICS_MIN_N)
            result_add_low_n(t);
    }
    return r;
}

/* A metrics result as one captioned table in the page's language. */
static void metrics_table(struct strbuf *b, enum web_lang lang,
                          const struct metrics_result *r, const char *key,
                          const char *caption)
{
    struct err err = ERR_INIT;
    struct result *res = result_new();
    metrics_report_add(res, key, caption, r);
    result_table_empty(result_table_find(res, key),
                       web_t(lang, "tp_no_responses"));
    result_render_with(b, res, RESULT_FORMAT_HTML,
                       lang == WEB_SV ? RESULT_RENDER_SV : 0, &err);
    result_free(res);
}

static const char *const sentiments[] = {"negative", "mixed", "neutral",
                                         "positive"};

static const char *sentiment_word(enum web_lang lang, const char *label)
{
    char key[32];
    if (!label)
        return web_t(lang, "tp_not_scored");
    for (size_t i = 0; i < 4; i++)
        if (!strcmp(label, sentiments[i])) {
            snprintf(key, sizeof key, "tp_sent_%s", label);
            return web_t(lang, key);
        }
    return label;
}

struct verbatims {
    struct call *c;
    struct strbuf *b;
    enum web_lang lang;
    int n;
};

/* The explanation's words: "word" +1.20 (rule), ... */
static void words_html(struct strbuf *b, enum web_lang lang, json_t *words)
{
    for (size_t i = 0; i < json_array_size(words); i++) {
        json_t *w = json_array_get(words, i);
        const char *word = json_string_value(json_array_get(w, 0));
        const char *rule = json_string_value(json_array_get(w, 2));
        if (i)
            strbuf_puts(b, ", ");
        strbuf_puts(b, "<q>");
        page_text(b, word);
        strbuf_puts(b, "</q> ");
        web_number(b, lang, json_number_value(json_array_get(w, 1)), 2, 1);
        if (rule) {
            strbuf_puts(b, " (");
            page_text(b, rule);
            strbuf_puts(b, ")");
        }
    }
}

static int verbatim(void *ctx, const struct response *r, const struct answer *a)
{
    struct verbatims *x = ctx;
    struct strbuf *b = x->b;
    enum web_lang lang = x->lang;
    const struct comment_analysis *an = a->analysis;
    char when[40];
    tstamp_format(when, sizeof when, r->ts, r->tz_min);
    if (!x->n)
        strbuf_puts(b, "<div class=\"records verbatims\">\n");
    strbuf_printf(
        b,
        "<article class=\"record verbatim\" aria-labelledby=\"v-%lld-"
        "%d\"><h3 class=\"record-head\" id=\"v-%lld-%d\"><time datetime=\"",
        (long long)r->id, x->n, (long long)r->id, x->n);
    page_text(b, when);
    strbuf_printf(b, "\">%.10s %.5s</time>", when, when + 11);
    if (r->nps >= 0)
        strbuf_printf(b, " <span>NPS %d</span>", r->nps);
    if (r->channel) {
        strbuf_puts(b, " <span>");
        page_text(b, r->channel);
        strbuf_puts(b, "</span>");
    }
    strbuf_puts(b, "</h3>\n<blockquote class=\"quote\"><p>");
    page_text(b, a->text);
    strbuf_printf(b,
                  "</p></blockquote>\n<dl class=\"meta analysis\"><dt>%s</dt>"
                  "<dd>",
                  web_t(lang, "tp_sentiment"));
    page_text(b, sentiment_word(lang, an ? an->label : NULL));
    if (an && an->label && isfinite(an->score)) {
        strbuf_puts(b, " (");
        web_number(b, lang, an->score, 2, 1);
        strbuf_puts(b, ")");
    }
    strbuf_puts(b, "</dd>\n");
    json_error_t je;
    json_t *ex =
        an && an->explanation ? json_loads(an->explanation, 0, &je) : NULL;
    json_t *words = json_object_get(ex, "words");
    if (json_array_size(words)) {
        strbuf_printf(b, "<dt>%s</dt><dd>", web_t(lang, "tp_words"));
        words_html(b, lang, words);
        strbuf_puts(b, "</dd>\n");
    }
    json_decref(ex);
    if (an && an->n_mentions) {
        strbuf_printf(b, "<dt>%s</dt><dd>", web_t(lang, "tp_themes"));
        for (int m = 0; m < an->n_mentions; m++) {
            if (m)
                strbuf_puts(b, ", ");
            page_text(b, theme_label(x->c, lang, an->mentions[m].theme));
            strbuf_puts(b, " ");
            web_number(b, lang, an->mentions[m].sentiment, 2, 1);
        }
        strbuf_puts(b, "</dd>\n");
    }
    strbuf_puts(b, "</dl>\n</article>\n");
    x->n++;
    return 0;
}

/* The comments' filter: a theme and a sentiment, the view kept. */
static void verbatim_form(struct strbuf *b, enum web_lang lang,
                          const struct page_view *v, const char *key,
                          const struct theme_row *rows, size_t n,
                          const char *theme, const char *sentiment)
{
    strbuf_puts(b, "<form class=\"filters\" method=\"get\" "
                   "action=\"/app/touchpoints/");
    struct strbuf u = STRBUF_INIT;
    escape_url(&u, key);
    page_text(b, strbuf_str(&u));
    strbuf_dispose(&u);
    strbuf_printf(b,
                  "\">\n<p><label for=\"theme\">%s</label> <select "
                  "id=\"theme\" name=\"theme\"><option value=\"\">%s"
                  "</option>",
                  web_t(lang, "theme"), web_t(lang, "tp_all_themes"));
    for (size_t i = 0; i < n && i < MAX_THEMES; i++) {
        strbuf_puts(b, "<option value=\"");
        page_text(b, rows[i].key);
        strbuf_printf(b, "\"%s>",
                      theme && !strcmp(theme, rows[i].key) ? " selected" : "");
        page_text(b, rows[i].label);
        strbuf_puts(b, "</option>");
    }
    strbuf_printf(b,
                  "</select></p>\n<p><label for=\"sentiment\">%s</label> "
                  "<select id=\"sentiment\" name=\"sentiment\"><option "
                  "value=\"\">%s</option>",
                  web_t(lang, "tp_sentiment"),
                  web_t(lang, "tp_all_sentiments"));
    for (size_t i = 0; i < 4; i++)
        strbuf_printf(
            b, "<option value=\"%s\"%s>%s</option>", sentiments[i],
            sentiment && !strcmp(sentiment, sentiments[i]) ? " selected" : "",
            sentiment_word(lang, sentiments[i]));
    strbuf_puts(b, "</select></p>\n");
    page_hidden_view(b, v, lang, 1);
    strbuf_printf(b, "<p><button type=\"submit\">%s</button></p>\n</form>\n",
                  web_t(lang, "tp_show_comments"));
}

enum http_verdict page_touchpoint(struct call *c)
{
    enum web_lang lang = page_lang(c);
    struct page_view v;
    struct err err = ERR_INIT;
    struct metrics_result *months = NULL, *head = NULL, *segs = NULL,
                          *chans = NULL;
    struct theme_row *themes = NULL;
    size_t n_themes = 0;
    int64_t comments = 0, tp_id, ch_id;
    char key[160], name[256];
    int csv, rc = 0;
    if (route_param(c->m, "key", key, sizeof key) < 0 ||
        srv_touchpoint(c->srv, key, &tp_id, &ch_id, name, sizeof name) < 0 ||
        !srv_sees(c, key))
        return not_found(c); /* another owner's touchpoint: as if none */
    const char *theme = http_arg(c->req, "theme");
    const char *sentiment = http_arg(c->req, "sentiment");
    if (theme && !*theme)
        theme = NULL;
    if (sentiment && !*sentiment)
        sentiment = NULL;
    if (sentiment) {
        size_t i = 0;
        while (i < 4 && strcmp(sentiment, sentiments[i]) != 0)
            i++;
        if (i == 4) {
            err_set(&err, ERR_INVALID,
                    "sentiment: negative, mixed, neutral or positive, got "
                    "\"%s\"",
                    sentiment);
            return page_fail(c, &err);
        }
    }
    if (page_view_args(c, &v, &csv) < 0)
        return HTTP_DONE;
    struct store *s = srv_reader(c);
    if (!s)
        return HTTP_DONE;
    const char *tp = key;
    struct colstore *cs = resident_lock(c->srv->res);
    if (!v.from) {
        struct metrics_result *all = NULL;
        rc = page_figures(c, cs, s, &v, NULL, "month", &all, &err);
        page_default_from(&v, TREND_MONTHS, all);
        metrics_result_free(all);
    }
    if (rc == 0)
        rc = page_figures(c, cs, s, &v, tp, "month", &months, &err);
    size_t first = rc == 0 && months && months->n_cells > TREND_MAX
                       ? months->n_cells - TREND_MAX
                       : 0;
    if (rc == 0)
        rc = page_figures(c, cs, s, &v, tp, NULL, &head, &err);
    if (rc == 0)
        rc = page_figures(c, cs, s, &v, tp, "segment", &segs, &err);
    if (rc == 0)
        rc = page_figures(c, cs, s, &v, tp, "channel", &chans, &err);
    if (rc == 0)
        rc = themes_of(c, cs, s, &v, tp, lang, &themes, &n_themes, &comments,
                       &err);
    resident_unlock(c->srv->res);
    struct strbuf b = STRBUF_INIT;
    struct chart_point *pts = NULL;
    struct result *tres = NULL;
    enum http_verdict verdict;
    if (rc < 0) {
        verdict = page_fail(c, &err);
        goto done;
    }
    if (csv) {
        struct result *res = metrics_report_build(months);
        char file[200];
        snprintf(file, sizeof file, "touchpoint-%s", key);
        verdict = page_send_csv(c, res, file);
        result_free(res);
        goto done;
    }

    page_frame_begin(c, &b, name, "/app/touchpoints");
    strbuf_printf(&b, "<p class=\"breadcrumb\"><a ");
    page_href(&b, "/app/touchpoints", NULL, &v, lang, NULL);
    strbuf_printf(&b, ">%s</a></p>\n", web_t(lang, "tp_all_touchpoints"));
    page_h1(&b, name);
    page_filter_form(&b, lang, &v, "/app/touchpoints/", key);

    page_section(&b, "h-head", web_t(lang, "headline"));
    strbuf_puts(&b, "<dl class=\"cards\">\n");
    page_card(&b, lang, "NPS", head, "nps", 1);
    page_card(&b, lang, "CSAT 4-5 %", head, "csat_t2b", 0);
    page_card(&b, lang, "CES 5-7 %", head, "ces_easy", 0);
    strbuf_puts(&b, "</dl>\n</section>\n");

    /* NPS by month */
    int k = page_fig(months, "nps");
    size_t n = 0, nmonths = months ? months->n_cells : 0;
    pts = xcalloc(nmonths + 1, sizeof *pts);
    for (size_t i = first; k >= 0 && i < nmonths; i++) {
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
    page_section(&b, "h-trend", web_t(lang, "trend"));
    chart_line_svg(&b, lang, &line);
    strbuf_puts(&b, "<p class=\"exports\"><a class=\"export\" ");
    page_href(&b, "/app/touchpoints/", key, &v, lang, "format=csv");
    strbuf_printf(&b, " download>%s</a></p>\n</section>\n",
                  web_t(lang, "export_csv"));

    page_section(&b, "h-seg", web_t(lang, "tp_by_segment"));
    metrics_table(&b, lang, segs, "segments", web_t(lang, "tp_by_segment"));
    strbuf_puts(&b, "</section>\n");
    page_section(&b, "h-chan", web_t(lang, "tp_by_channel"));
    metrics_table(&b, lang, chans, "channels", web_t(lang, "tp_by_channel"));
    strbuf_puts(&b, "</section>\n");

    page_section(&b, "h-themes", web_t(lang, "tp_themes"));
    tres = themes_result(lang, themes, n_themes, comments);
    result_render_with(&b, tres, RESULT_FORMAT_HTML,
                       lang == WEB_SV ? RESULT_RENDER_SV : 0, &err);
    strbuf_printf(&b, "<p class=\"note\">%s</p>\n</section>\n",
                  web_t(lang, "tp_themes_note"));

    page_section(&b, "h-verb", web_t(lang, "tp_verbatims"));
    verbatim_form(&b, lang, &v, key, themes, n_themes, theme, sentiment);
    struct comment_filter f = COMMENT_FILTER_INIT;
    f.touchpoint_id = tp_id;
    f.theme = theme;
    f.label = sentiment;
    f.from_day = v.from_day;
    f.to_day = v.to_day;
    f.limit = N_VERBATIMS;
    f.newest_first = 1;
    struct verbatims x = {c, &b, lang, 0};
    rc = store_scan_comments(s, &f, verbatim, &x, &err);
    if (x.n)
        strbuf_puts(&b, "</div>\n");
    if (rc < 0) {
        strbuf_dispose(&b);
        verdict = page_fail(c, &err);
        goto done;
    }
    if (!x.n)
        strbuf_printf(&b, "<p>%s</p>\n", web_t(lang, "tp_no_comments"));
    strbuf_puts(&b, "</section>\n");
    verdict = page_send(c, 200, &b);
done:
    for (size_t i = 0; i < n_themes; i++) {
        free(themes[i].key);
        free(themes[i].label);
    }
    free(themes);
    free(pts);
    result_free(tres);
    metrics_result_free(months);
    metrics_result_free(head);
    metrics_result_free(segs);
    metrics_result_free(chans);
    return verdict;
}
