/* The overview page (docs/web.md): the headline
 * NPS, CSAT and CES of the period with their CIs and n, and the NPS
 * against the same-length period before; NPS by month with its CI band,
 * each month that differs significantly from the month before marked;
 * the themes whose share of comments rose most against the period
 * before; the figures by stage. Filters in the URL (?from=&to=&where=),
 * so a view can be bookmarked. Computed on the server's column store in
 * memory (resident.h) with the metrics engine and the tests of `resonans
 * compare` and `resonans themes --emerging`, as the weekly digest does,
 * so the figures are the API's. web/app.js, when it runs, submits the
 * filters when a date changes and refreshes the headline and the trend
 * (?refresh=SECONDS, default 60). */
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
#include "query/field.h"
#include "query/prepare.h"
#include "report/metrics_report.h"
#include "report/result.h"
#include "server/pages_int.h"
#include "server/resident.h"
#include "server/server_int.h"
#include "stats/compare.h"
#include "stats/emerging.h"
#include "stats/metrics.h"
#include "stats/prop.h"
#include "store/store.h"
#include "text/themes.h"
#include "web/chart.h"

#define TREND_MONTHS 12
#define N_RISERS 5         /* themes shown as rising */
#define PERIODS 7          /* the period and its baseline of 6 (digest) */
#define MAX_PERIOD 3700    /* days: a longer period is not compared */
#define REFRESH_DEFAULT 60 /* seconds between live updates */

/* ---- the period and the one before it ---- */

/* The months' label "YYYY-MM" as year * 12 + month - 1; -1 if not. */
static int64_t month_no(const char *label)
{
    int y;
    unsigned m;
    if (!label || sscanf(label, "%4d-%2u", &y, &m) != 2 || m < 1 || m > 12)
        return -1;
    return (int64_t)y * 12 + m - 1;
}

/* The period's last day: ?to=, else the end of the last month with
 * answers (the headline counts nothing after it). METRICS_DAY_MAX when
 * there is none. */
static int64_t period_end(const struct page_view *v,
                          const struct metrics_result *months)
{
    if (v->to_day != METRICS_DAY_MAX)
        return v->to_day;
    if (!months || !months->n_cells)
        return METRICS_DAY_MAX;
    int64_t m = month_no(months->cells[months->n_cells - 1].label[0]) + 1;
    if (m <= 0)
        return METRICS_DAY_MAX;
    return tstamp_days_from_civil((int)(m / 12), (unsigned)(m % 12) + 1, 1) - 1;
}

static void day_text(char *buf, size_t n, int64_t day)
{
    int y;
    unsigned m, d;
    tstamp_civil_from_days(day, &y, &m, &d);
    snprintf(buf, n, "%04d-%02u-%02u", y, m, d);
}

/* What the page compares: the period [from, to] (L days) and the L days
 * before it. ok = 0: no comparison (no period, or one too long). */
struct span {
    int ok;
    int64_t from, to, prev_from, prev_to;
    char from_s[16], to_s[16], prev_from_s[16], prev_to_s[16];
};

static void span_of(struct span *sp, const struct page_view *v,
                    const struct metrics_result *months)
{
    int64_t end = period_end(v, months);
    memset(sp, 0, sizeof *sp);
    if (v->from_day == METRICS_DAY_MIN || end == METRICS_DAY_MAX ||
        end < v->from_day || end - v->from_day >= MAX_PERIOD)
        return;
    int64_t len = end - v->from_day + 1;
    *sp = (struct span){
        1,  v->from_day, end, v->from_day - len, v->from_day - 1, "",
        "", "",          ""};
    day_text(sp->from_s, sizeof sp->from_s, sp->from);
    day_text(sp->to_s, sizeof sp->to_s, sp->to);
    day_text(sp->prev_from_s, sizeof sp->prev_from_s, sp->prev_from);
    day_text(sp->prev_to_s, sizeof sp->prev_to_s, sp->prev_to);
}

/* NPS of cell b against cell a (metrics_compare_cells: the test of
 * `resonans compare`), into *out; valid = 0 without a figure. */
static void nps_change(struct comparison *out, const struct metrics_result *ra,
                       const struct metrics_cell *a,
                       const struct metrics_result *rb,
                       const struct metrics_cell *b)
{
    int k = page_fig(rb, "nps");
    memset(out, 0, sizeof *out);
    if (k < 0 || page_fig(ra, "nps") != k)
        return;
    struct comparison *cmp = xcalloc(rb->n_figs + 1, sizeof *cmp);
    metrics_compare_cells(cmp, ra, a, rb, b);
    *out = cmp[k];
    free(cmp);
}

/* ---- emerging themes ---- */

/* A theme that rose: its mentions and comments in the period and the
 * one before, the change of its share with the test of `resonans
 * compare` for shares, and the digest's test against the 6 periods
 * before (tested = 0: too little history). */
struct riser {
    char *key; /* the theme's key (copied while the store is locked) */
    int64_t k, n, k_prev, n_prev;
    struct comparison d;
    int significant; /* d significant with both n at the minimum */
    struct emerging_test e;
};

static int by_change(const void *a, const void *b)
{
    const struct riser *x = a, *y = b;
    if (x->d.diff != y->d.diff)
        return x->d.diff < y->d.diff ? 1 : -1;
    return strcmp(x->key, y->key);
}

/* The view's query (filters, an owner's touchpoints), without days. */
static int view_query(struct call *c, struct metrics_query *q,
                      const struct page_view *v, struct err *err)
{
    int rc = 0;
    metrics_query_init(q, FIELD_RESPONSES);
    if (v->where && *v->where)
        rc = metrics_query_where(q, v->where, err);
    if (rc == 0 && c->p->role == ROLE_OWNER)
        rc = metrics_query_where_values(q, "touchpoint",
                                        (const char *const *)c->p->touchpoints,
                                        (size_t)c->p->n_touchpoints, err);
    return rc;
}

/* Themes per day over the PERIODS periods of the span's length ending
 * with it, summed into periods (as digest.c sums days into weeks); the
 * digest's test of the last; the change of each theme's share from the
 * period before. The risers, most first, into out[0..*n) (at most
 * N_RISERS; caller frees). */
static int risers_of(struct call *c, struct colstore *cs, struct store *s,
                     const struct page_view *v, const struct span *sp,
                     int min_n, struct riser **out, size_t *n, struct err *err)
{
    struct metrics_query q;
    struct page_prep p = {cs, s, err};
    struct emerging_series *ser = NULL;
    struct emerging_test *tests = NULL;
    struct emerging_opts eo = EMERGING_OPTS_INIT;
    struct field day;
    int64_t *mentions = NULL, comments[PERIODS] = {0};
    int64_t len = sp->to - sp->from + 1;
    int rc;
    *out = NULL;
    *n = 0;
    if ((rc = view_query(c, &q, v, err)) < 0)
        goto done;
    metrics_query_days(&q, sp->to - len * PERIODS + 1, sp->to);
    if ((rc = metrics_query_fields(&q, page_prepare_field, &p)) < 0 ||
        (rc = field_parse(&day, "day", 3, FIELD_RESPONSES, err)) < 0 ||
        (rc = page_prepare_field(&p, &day)) < 0 ||
        (rc = emerging_series_build(&ser, cs, &q, &day, err)) < 0)
        goto done;
    size_t nt = ser->n_themes;
    mentions = xcalloc(nt * PERIODS + 1, sizeof *mentions);
    tests = xcalloc(nt * PERIODS + 1, sizeof *tests);
    *out = xcalloc(nt + 1, sizeof **out);
    for (size_t t = 0; t < ser->n_periods; t++) {
        int64_t back = sp->to - ser->period_key[t];
        if (back < 0 || back >= len * PERIODS)
            continue;
        size_t k = PERIODS - 1 - (size_t)(back / len);
        comments[k] += ser->comments[t];
        for (size_t j = 0; j < nt; j++)
            mentions[j * PERIODS + k] += ser->mentions[j * ser->n_periods + t];
    }
    emerging_run(tests, mentions, comments, nt, PERIODS, &eo);
    for (size_t j = 0; j < nt; j++) {
        struct riser r = {.key = NULL,
                          .k = mentions[j * PERIODS + PERIODS - 1],
                          .n = comments[PERIODS - 1],
                          .k_prev = mentions[j * PERIODS + PERIODS - 2],
                          .n_prev = comments[PERIODS - 2],
                          .e = tests[j * PERIODS + PERIODS - 1]};
        struct prop a = {r.k_prev, r.n_prev}, b = {r.k, r.n};
        compare_props(&r.d, &a, &b);
        if (!r.d.valid || !(r.d.diff > 0))
            continue;
        r.significant = r.d.significant && r.n >= min_n && r.n_prev >= min_n;
        r.key = xstrdup(colstore_label(cs, DIM_THEME, (int)j));
        (*out)[(*n)++] = r;
    }
    if (*n > 1)
        qsort(*out, *n, sizeof **out, by_change);
    for (; *n > N_RISERS; (*n)--)
        free((*out)[*n - 1].key);
done:
    free(tests);
    free(mentions);
    emerging_series_free(ser);
    metrics_query_dispose(&q);
    return rc;
}

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

/* ---- what the page computes ---- */

struct overview {
    struct metrics_result *months, *head, *prev, *stages;
    size_t first; /* the first month shown */
    struct span sp;
    struct comparison head_d;                /* NPS: period - period before */
    struct comparison month_d[TREND_MONTHS]; /* month - month before */
    struct riser *risers;
    size_t n_risers;
};

static void overview_dispose(struct overview *o)
{
    metrics_result_free(o->months);
    metrics_result_free(o->head);
    metrics_result_free(o->prev);
    metrics_result_free(o->stages);
    for (size_t i = 0; i < o->n_risers; i++)
        free(o->risers[i].key);
    free(o->risers);
}

static int overview_compute(struct call *c, struct store *s, struct overview *o,
                            struct page_view *v, struct err *err)
{
    int rc;
    memset(o, 0, sizeof *o);
    struct colstore *cs = resident_lock(c->srv->res);
    rc = page_figures(c, cs, s, v, NULL, "month", &o->months, err);
    /* without a period: the last months with answers */
    if (rc == 0 && o->months->n_cells > TREND_MONTHS)
        o->first = o->months->n_cells - TREND_MONTHS;
    if (rc == 0)
        page_default_from(v, TREND_MONTHS, o->months);
    if (rc == 0)
        rc = page_figures(c, cs, s, v, NULL, NULL, &o->head, err);
    if (rc == 0)
        rc = page_figures(c, cs, s, v, NULL, "stage", &o->stages, err);
    if (rc == 0)
        span_of(&o->sp, v, o->months);
    if (rc == 0 && o->sp.ok) {
        struct page_view pv = *v;
        pv.from_day = o->sp.prev_from;
        pv.to_day = o->sp.prev_to;
        rc = page_figures(c, cs, s, &pv, NULL, NULL, &o->prev, err);
    }
    if (rc == 0 && o->sp.ok)
        rc = risers_of(c, cs, s, v, &o->sp, o->head->min_n, &o->risers,
                       &o->n_risers, err);
    resident_unlock(c->srv->res);
    if (rc < 0)
        return rc;
    if (o->sp.ok)
        nps_change(&o->head_d, o->prev,
                   o->prev->n_cells ? &o->prev->cells[0] : NULL, o->head,
                   o->head->n_cells ? &o->head->cells[0] : NULL);
    /* each month against the calendar month before, when both have
     * answers in the view */
    for (size_t i = o->first, k = 0; i < o->months->n_cells && k < TREND_MONTHS;
         i++, k++) {
        const struct metrics_cell *a = i ? &o->months->cells[i - 1] : NULL;
        const struct metrics_cell *b = &o->months->cells[i];
        if (a && month_no(a->label[0]) >= 0 &&
            month_no(a->label[0]) + 1 == month_no(b->label[0]))
            nps_change(&o->month_d[k], o->months, a, o->months, b);
    }
    return 0;
}

/* ---- CSV ---- */

static void add_change_cols(struct result_table *t)
{
    result_col(t, "change", "change", RESULT_ESTIMATE, 1,
               RESULT_NO_N | RESULT_SIGNED | RESULT_WITH_SE);
    result_col(t, "p", "p", RESULT_NUMBER, 4, RESULT_PVALUE);
    result_col(t, "significant", "significant", RESULT_BOOLEAN, 0, 0);
}

static void add_change(struct result_table *t, const struct comparison *x,
                       int significant)
{
    struct result_estimate d = {x->valid ? x->diff : NAN,
                                x->valid ? x->lo : NAN,
                                x->valid ? x->hi : NAN,
                                x->valid ? x->se : NAN,
                                -1,
                                0};
    result_add_est(t, &d);
    result_add_num(t, x->valid ? x->p : NAN);
    result_add_bool(t, significant);
}

/* ?format=csv: the headline, the months and the stages as the result
 * model's CSV (docs/output-formats.md), then the NPS changes and the
 * rising themes. */
static enum http_verdict send_csv(struct call *c, const struct overview *o)
{
    struct result *r = result_new();
    metrics_report_add(r, "headline", "Headline", o->head);
    metrics_report_add(r, "months", "By month", o->months);
    metrics_report_add(r, "stages", "By stage", o->stages);

    struct result_table *t =
        result_table_new(r, "nps_changes", "NPS against the period before");
    result_col(t, "period", "period", RESULT_TEXT, 0, 0);
    result_col(t, "before", "before", RESULT_TEXT, 0, 0);
    add_change_cols(t);
    if (o->sp.ok) {
        char a[40], b[40];
        snprintf(a, sizeof a, "%s..%s", o->sp.from_s, o->sp.to_s);
        snprintf(b, sizeof b, "%s..%s", o->sp.prev_from_s, o->sp.prev_to_s);
        result_row(t);
        result_add_text(t, a);
        result_add_text(t, b);
        add_change(t, &o->head_d, o->head_d.significant);
    }
    for (size_t i = o->first, k = 0; i < o->months->n_cells && k < TREND_MONTHS;
         i++, k++) {
        if (!o->month_d[k].valid)
            continue;
        result_row(t);
        result_add_text(t, o->months->cells[i].label[0]);
        result_add_text(t, o->months->cells[i - 1].label[0]);
        add_change(t, &o->month_d[k], o->month_d[k].significant);
    }

    t = result_table_new(r, "emerging", "Rising themes");
    result_col(t, "theme", "theme", RESULT_TEXT, 0, 0);
    result_col(t, "mentions", "mentions", RESULT_INTEGER, 0, 0);
    result_col(t, "comments", "comments", RESULT_INTEGER, 0, 0);
    result_col(t, "share_pct", "share %", RESULT_NUMBER, 1, 0);
    result_col(t, "mentions_before", "mentions before", RESULT_INTEGER, 0, 0);
    result_col(t, "comments_before", "comments before", RESULT_INTEGER, 0, 0);
    result_col(t, "share_before_pct", "share before %", RESULT_NUMBER, 1, 0);
    add_change_cols(t);
    result_col(t, "emerging", "emerging", RESULT_BOOLEAN, 0, 0);
    result_col(t, "p_holm", "p (Holm)", RESULT_NUMBER, 2, RESULT_DIGITS);
    for (size_t i = 0; i < o->n_risers; i++) {
        const struct riser *x = &o->risers[i];
        result_row(t);
        result_add_text(t, x->key);
        result_add_int(t, x->k);
        result_add_int(t, x->n);
        result_add_num(t, 100.0 * (double)x->k / (double)x->n);
        result_add_int(t, x->k_prev);
        result_add_int(t, x->n_prev);
        result_add_num(t, 100.0 * (double)x->k_prev / (double)x->n_prev);
        add_change(t, &x->d, x->significant);
        result_add_bool(t, x->e.flagged);
        result_add_num(t, x->e.tested ? x->e.p_holm : NAN);
    }
    enum http_verdict verdict = page_send_csv(c, r, "resonans-overview");
    result_free(r);
    return verdict;
}

/* ---- the page ---- */

/* The view as CSV, with the same filters; printing the page (or saving
 * it as PDF) keeps its figures: the print rules of app.css. */
static void export_links(struct strbuf *b, enum web_lang lang,
                         const struct page_view *v)
{
    strbuf_puts(b, "<p class=\"exports\"><a ");
    page_href(b, "/app", NULL, v, lang, "format=csv");
    strbuf_printf(b, " download>%s</a></p>\n", web_t(lang, "export_csv"));
}

/* "+8,2 [1,3; 15,1]" */
static void change_text(struct strbuf *b, enum web_lang lang,
                        const struct comparison *x)
{
    web_number(b, lang, x->diff, 1, 1);
    strbuf_puts(b, " [");
    web_number(b, lang, x->lo, 1, 0);
    strbuf_puts(b, lang == WEB_SV ? "; " : ", ");
    web_number(b, lang, x->hi, 1, 0);
    strbuf_puts(b, "]");
}

/* A significant change's mark: a triangle, its meaning for readers. */
static void sig_open(struct strbuf *b, enum web_lang lang, double diff)
{
    strbuf_printf(b,
                  "<strong class=\"sig\"><span aria-hidden=\"true\">%s "
                  "</span><span class=\"visually-hidden\">%s: </span>",
                  diff > 0 ? "\xe2\x96\xb2" : "\xe2\x96\xbc",
                  web_t(lang, "overview_significant"));
}

/* The NPS against the period before, under the cards. */
static void head_change(struct strbuf *b, enum web_lang lang,
                        const struct overview *o)
{
    const struct comparison *x = &o->head_d;
    if (!o->sp.ok)
        return;
    strbuf_puts(b, "<p class=\"change\" id=\"overview-change\">");
    if (!x->valid) {
        strbuf_printf(b, "%s %s\xe2\x80\x93%s.</p>\n",
                      web_t(lang, "overview_no_change"), o->sp.prev_from_s,
                      o->sp.prev_to_s);
        return;
    }
    if (x->significant)
        sig_open(b, lang, x->diff);
    strbuf_puts(b, "NPS <span class=\"value\">");
    change_text(b, lang, x);
    strbuf_printf(b, "</span> %s %s\xe2\x80\x93%s", web_t(lang, "overview_vs"),
                  o->sp.prev_from_s, o->sp.prev_to_s);
    int k = page_fig(o->prev, "nps");
    strbuf_printf(b, " (%s, n = ", web_t(lang, "overview_same_length"));
    web_number(b, lang,
               k >= 0 && o->prev->n_cells ? (double)o->prev->cells[0].fig[k].n
                                          : NAN,
               0, 0);
    if (x->p < 0.0001)
        strbuf_printf(b, "; p &lt; 0%s0001", lang == WEB_SV ? "," : ".");
    else {
        strbuf_puts(b, "; p = ");
        web_number(b, lang, x->p, 4, 0);
    }
    strbuf_puts(b, ")");
    if (x->significant)
        strbuf_puts(b, "</strong>");
    else
        strbuf_printf(b, ", %s", web_t(lang, "overview_not_significant"));
    strbuf_puts(b, ".</p>\n");
}

/* NPS by month with the change from the month before in its table and
 * the significant ones marked, and said in words under the chart. */
static void trend(struct strbuf *b, enum web_lang lang,
                  const struct overview *o)
{
    struct chart_point pts[TREND_MONTHS];
    struct chart_note notes[TREND_MONTHS];
    struct strbuf text[TREND_MONTHS], sum = STRBUF_INIT, said = STRBUF_INIT;
    size_t n = 0, n_sig = 0;
    int k = page_fig(o->months, "nps");
    for (size_t i = o->first;
         k >= 0 && i < o->months->n_cells && n < TREND_MONTHS; i++, n++) {
        const struct estimate *e = &o->months->cells[i].fig[k];
        const struct comparison *d = &o->month_d[n];
        pts[n] = (struct chart_point){
            o->months->cells[i].label[0], e->value, e->lo, e->hi, e->n,
            metrics_low_n(o->months, e)};
        strbuf_init(&text[n], 0);
        if (d->valid)
            change_text(&text[n], lang, d);
        notes[n] =
            (struct chart_note){d->valid ? strbuf_str(&text[n]) : NULL,
                                d->significant ? (d->diff > 0 ? 1 : -1) : 0};
        if (d->significant) {
            strbuf_printf(&said, "%s%s ", n_sig ? "; " : "", pts[n].label);
            change_text(&said, lang, d);
            n_sig++;
        }
    }
    strbuf_puts(&sum, web_t(lang, "nps_by_month_summary"));
    strbuf_printf(&sum, " %s: %s.", web_t(lang, "overview_sig_months"),
                  n_sig ? strbuf_str(&said) : web_t(lang, "overview_none"));
    struct chart_line line = {"trend-nps",
                              web_t(lang, "nps_by_month"),
                              strbuf_str(&sum),
                              "NPS",
                              pts,
                              n,
                              -100,
                              100,
                              NULL,
                              NULL};
    struct chart_notes cn = {web_t(lang, "overview_change_head"),
                             web_t(lang, "overview_sig_legend"), notes};
    chart_line_svg_notes(b, lang, &line, &cn);
    strbuf_printf(
        b, "<p class=\"sig-months\">%s: ", web_t(lang, "overview_sig_months"));
    if (n_sig)
        escape_xml(b, said.p, said.n);
    else
        strbuf_puts(b, web_t(lang, "overview_none"));
    strbuf_puts(b, ".</p>\n");
    for (size_t i = 0; i < n; i++)
        strbuf_dispose(&text[i]);
    strbuf_dispose(&sum);
    strbuf_dispose(&said);
}

static void pct_cell(struct strbuf *b, enum web_lang lang, int64_t k, int64_t n)
{
    strbuf_puts(b, "<td class=\"num\">");
    web_number(b, lang, n ? 100.0 * (double)k / (double)n : NAN, 1, 0);
    strbuf_puts(b, "</td>");
}

/* The rising themes as a table, each linking to the touchpoints for
 * the responses that mention it. */
static void risers_table(struct call *c, struct strbuf *b, enum web_lang lang,
                         const struct page_view *v, const struct overview *o)
{
    page_section(b, "h-emerging", web_t(lang, "overview_emerging"));
    if (!o->sp.ok) {
        strbuf_printf(b, "<p>%s</p>\n</section>\n",
                      web_t(lang, "overview_no_period"));
        return;
    }
    strbuf_printf(
        b, "<p class=\"note\">%s %s\xe2\x80\x93%s %s %s\xe2\x80\x93%s.</p>\n",
        web_t(lang, "overview_emerging_intro"), o->sp.from_s, o->sp.to_s,
        web_t(lang, "overview_vs"), o->sp.prev_from_s, o->sp.prev_to_s);
    if (!o->n_risers) {
        strbuf_printf(b, "<p class=\"empty\">%s</p>\n</section>\n",
                      web_t(lang, "overview_no_risers"));
        return;
    }
    const char *cap = web_t(lang, "overview_emerging");
    strbuf_printf(
        b,
        "<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" "
        "aria-label=\"%s\">\n<table class=\"risers\">\n<caption>%s"
        "</caption>\n<thead><tr><th scope=\"col\">%s</th>"
        "<th scope=\"col\" class=\"num\">%s</th>"
        "<th scope=\"col\" class=\"num\">%s</th>"
        "<th scope=\"col\" class=\"num\">%s</th>"
        "<th scope=\"col\" class=\"num\">%s</th>"
        "<th scope=\"col\" class=\"num\">%s <span "
        "class=\"ci-head\">[%s]</span></th>"
        "<th scope=\"col\">%s</th></tr></thead>\n<tbody>\n",
        cap, cap, web_t(lang, "theme"), web_t(lang, "overview_mentions_n"),
        web_t(lang, "overview_share"), web_t(lang, "overview_n_before"),
        web_t(lang, "overview_share_before"),
        web_t(lang, "overview_change_pts"), web_t(lang, "ci95"),
        web_t(lang, "overview_emerging_test"));
    for (size_t i = 0; i < o->n_risers; i++) {
        const struct riser *x = &o->risers[i];
        const char *key = x->key;
        struct strbuf w = STRBUF_INIT;
        if (v->where && *v->where)
            strbuf_printf(&w, "%s;", v->where);
        strbuf_printf(&w, "theme=%s", key);
        struct page_view tv = *v;
        tv.where = strbuf_str(&w);
        strbuf_puts(b, "<tr><th scope=\"row\"><a ");
        page_href(b, "/app/touchpoints", NULL, &tv, lang, NULL);
        strbuf_printf(b, " data-theme=\"");
        page_text(b, key);
        strbuf_puts(b, "\">");
        page_text(b, theme_label(c, lang, key));
        strbuf_puts(b, "</a></th><td class=\"num\">");
        web_number(b, lang, (double)x->k, 0, 0);
        strbuf_puts(b, " / ");
        web_number(b, lang, (double)x->n, 0, 0);
        strbuf_puts(b, "</td>");
        pct_cell(b, lang, x->k, x->n);
        strbuf_puts(b, "<td class=\"num\">");
        web_number(b, lang, (double)x->k_prev, 0, 0);
        strbuf_puts(b, " / ");
        web_number(b, lang, (double)x->n_prev, 0, 0);
        strbuf_puts(b, "</td>");
        pct_cell(b, lang, x->k_prev, x->n_prev);
        strbuf_puts(b, "<td class=\"num change\">");
        if (x->significant)
            sig_open(b, lang, x->d.diff);
        change_text(b, lang, &x->d);
        if (x->significant)
            strbuf_puts(b, "</strong>");
        strbuf_printf(b, "</td><td>%s</td></tr>\n",
                      !x->e.tested   ? web_t(lang, "overview_not_tested")
                      : x->e.flagged ? web_t(lang, "overview_flagged")
                                     : web_t(lang, "overview_not_flagged"));
        strbuf_dispose(&w);
    }
    strbuf_printf(b,
                  "</tbody>\n</table>\n</div>\n<p class=\"note\">%s</p>\n"
                  "</section>\n",
                  web_t(lang, "overview_emerging_note"));
}

/* ?refresh=SECONDS for the live update (2..3600); -1 after answering. */
static int refresh_arg(struct call *c, int *out)
{
    const char *s = http_arg(c->req, "refresh");
    char *end;
    *out = REFRESH_DEFAULT;
    if (!s || !*s)
        return 0;
    long v = strtol(s, &end, 10);
    if (*end || v < 2 || v > 3600) {
        struct err err = ERR_INIT;
        err_set(&err, ERR_INVALID,
                "refresh: seconds between updates, 2..3600, got \"%s\"", s);
        page_fail(c, &err);
        return -1;
    }
    *out = (int)v;
    return 0;
}

enum http_verdict page_overview(struct call *c)
{
    enum web_lang lang = page_lang(c);
    struct page_view v;
    struct err err = ERR_INIT;
    struct overview o;
    int csv, refresh;
    if (page_view_args(c, &v, &csv) < 0 || refresh_arg(c, &refresh) < 0)
        return HTTP_DONE;
    struct store *s = srv_reader(c);
    if (!s)
        return HTTP_DONE;
    if (overview_compute(c, s, &o, &v, &err) < 0) {
        overview_dispose(&o);
        return page_fail(c, &err);
    }
    if (csv) { /* the view's figures */
        enum http_verdict verdict = send_csv(c, &o);
        overview_dispose(&o);
        return verdict;
    }

    struct strbuf b = STRBUF_INIT;
    const char *title = web_t(lang, "overview");
    page_frame_begin(c, &b, title, "/app");
    page_h1(&b, title);
    /* said before the fields it concerns (WCAG 3.2.2); web/app.js shows
     * it when it makes a date change submit the form */
    strbuf_printf(&b, "<p class=\"hint\" id=\"overview-auto\" hidden>%s</p>\n",
                  web_t(lang, "overview_auto_hint"));
    page_filter_form(&b, lang, &v, "/app", NULL);
    export_links(&b, lang, &v);

    /* the headline: its n tells web/app.js when there is news */
    strbuf_printf(&b,
                  "<div id=\"overview-live\" data-refresh=\"%d\">\n"
                  "<section id=\"overview-head\" aria-labelledby=\"h-head\" "
                  "aria-live=\"polite\" data-n=\"%lld\"><h2 id=\"h-head\">%s"
                  "</h2>\n<dl class=\"cards\">\n",
                  refresh, (long long)o.head->rows, web_t(lang, "headline"));
    page_card(&b, lang, "NPS", o.head, "nps", 1);
    page_card(&b, lang, "CSAT 4-5 %", o.head, "csat_t2b", 0);
    page_card(&b, lang, "CES 5-7 %", o.head, "ces_easy", 0);
    strbuf_puts(&b, "</dl>\n");
    head_change(&b, lang, &o);
    strbuf_puts(&b, "</section>\n");

    strbuf_puts(&b, "<section id=\"overview-trend\" "
                    "aria-labelledby=\"h-trend\"><h2 id=\"h-trend\">");
    page_text(&b, web_t(lang, "trend"));
    strbuf_puts(&b, "</h2>\n");
    trend(&b, lang, &o);
    strbuf_puts(&b, "</section>\n</div>\n");

    risers_table(c, &b, lang, &v, &o);

    /* the stages as a table of the result model */
    struct result *res = result_new();
    metrics_report_add(res, "stages", web_t(lang, "by_stage"), o.stages);
    page_section(&b, "h-stages", web_t(lang, "by_stage"));
    result_render_with(&b, res, RESULT_FORMAT_HTML,
                       lang == WEB_SV ? RESULT_RENDER_SV : 0, &err);
    strbuf_puts(&b, "</section>\n");
    result_free(res);
    overview_dispose(&o);
    return page_send(c, 200, &b);
}
