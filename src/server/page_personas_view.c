/* The personas page's rendering (page_personas_int.h): a run of the
 * analysis as cards (size and share with its CI, traits, NPS with CI and
 * n, channels, themes, pains, weakest touchpoint, quotes), NPS by persona
 * as a chart, the same figures and the choice of k as tables, the form of
 * its options and the facts of what was used. */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/personas.h"
#include "colstore/colstore.h"
#include "core/err.h"
#include "core/escape.h"
#include "core/strbuf.h"
#include "core/tstamp.h"
#include "core/xalloc.h"
#include "query/field.h"
#include "query/prepare.h"
#include "report/personas_auto.h"
#include "report/personas_report.h"
#include "report/result.h"
#include "server/page_personas_int.h"
#include "server/pages_int.h"
#include "server/resident.h"
#include "server/server_int.h"
#include "stats/metrics.h"
#include "stats/prop.h"
#include "store/model.h"
#include "store/store.h"
#include "text/themes.h"
#include "web/chart.h"

/* ---- words and figures for people ---- */

static void pct_text(struct strbuf *b, enum web_lang lang, double share)
{
    web_number(b, lang, 100 * share, 0, 0);
    strbuf_puts(b, lang == WEB_SV ? "\xc2\xa0%" : "%");
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

/* "LABEL 62 % (alla 40 %)" for each item, comma-joined (raw text). */
static void items_text(struct strbuf *b, const struct call *c,
                       enum web_lang lang, const struct personas_item *v,
                       size_t n, int themes)
{
    for (size_t i = 0; i < n; i++) {
        if (i)
            strbuf_puts(b, ", ");
        strbuf_puts(b, themes ? theme_label(c, lang, v[i].label) : v[i].label);
        strbuf_putc(b, ' ');
        pct_text(b, lang, v[i].in);
        strbuf_printf(b, " (%s ", web_t(lang, "persona_all"));
        pct_text(b, lang, v[i].all);
        strbuf_putc(b, ')');
    }
}

/* A trait: "age_band=65-79 82 % (alla 15 %)" or "household 3,36 (alla
 * 1,99)" (raw text). */
static void trait_text(struct strbuf *b, enum web_lang lang,
                       const struct personas_trait *t)
{
    strbuf_puts(b, t->label);
    strbuf_putc(b, ' ');
    if (t->categorical)
        pct_text(b, lang, t->in);
    else
        web_number(b, lang, t->in, 2, 0);
    strbuf_printf(b, " (%s ", web_t(lang, "persona_all"));
    if (t->categorical)
        pct_text(b, lang, t->all);
    else
        web_number(b, lang, t->all, 2, 0);
    strbuf_putc(b, ')');
}

/* A persona's name: "P1 · age_band=65-79" or "P2 · higher household",
 * from the trait that sets it apart most (raw text). */
static void persona_name(struct strbuf *b, enum web_lang lang,
                         const struct personas_persona *p, int i)
{
    strbuf_printf(b, "P%d", i + 1);
    if (!p->n_traits)
        return;
    const struct personas_trait *t = &p->traits[0];
    strbuf_puts(b, " \xc2\xb7 ");
    if (t->categorical)
        strbuf_puts(b, t->label);
    else
        strbuf_printf(
            b, "%s %s",
            web_t(lang, t->in >= t->all ? "persona_higher" : "persona_lower"),
            t->label);
}

/* The share of the customers in percent with its Wilson 95% CI. */
static void share_estimate(struct estimate *e, const struct personas_result *r,
                           const struct personas_persona *p)
{
    struct prop pr = {(int64_t)p->n, (int64_t)r->customers};
    prop_compute(e, &pr);
}

/* "value [lo; hi]" of an estimate, '*' under min_n. */
static void est_text(struct strbuf *b, enum web_lang lang,
                     const struct estimate *e, int sign, int min_n)
{
    web_number(b, lang, e->value, 1, sign);
    if (isfinite(e->lo) && isfinite(e->hi)) {
        strbuf_puts(b, " <span class=\"ci\">[");
        web_number(b, lang, e->lo, 1, sign);
        strbuf_puts(b, lang == WEB_SV ? "; " : ", ");
        web_number(b, lang, e->hi, 1, sign);
        strbuf_puts(b, "]</span>");
    }
    if (e->n < min_n)
        strbuf_printf(b, "<span class=\"lown\" title=\"%s\">*</span>",
                      web_t(lang, "low_n"));
}

/* ---- the page's parts ---- */

/* The filters and the options in one form, so that applying one keeps
 * the others (page_filter_form sends only the filters). */
void persona_options_form(struct strbuf *b, enum web_lang lang,
                          const struct page_view *v,
                          const struct persona_args *a)
{
    const struct {
        const char *id, *word, *type, *value, *extra;
    } f[] = {
        {"from", "from", "date", v->from, ""},
        {"to", "to", "date", v->to, ""},
        {"where", "filter", NULL, v->where, " placeholder=\"channel=app\""},
    };
    strbuf_puts(b, "<form class=\"filters persona-form\" method=\"get\" "
                   "action=\"/app/personas\">\n");
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
    strbuf_printf(b,
                  "<p><label for=\"k\">%s</label> <select id=\"k\" "
                  "name=\"k\"><option value=\"\">%s</option>",
                  web_t(lang, "persona_k"), web_t(lang, "persona_k_auto"));
    for (long k = 2; k <= PERSONAS_K_MAX; k++)
        strbuf_printf(b, "<option value=\"%ld\"%s>%ld</option>", k,
                      a->k == k ? " selected" : "", k);
    strbuf_printf(b,
                  "</select></p>\n<p><button type=\"submit\">%s</button></p>\n",
                  web_t(lang, "persona_apply"));
    /* the rest of the command's options, open when one is given */
    strbuf_printf(b,
                  "<details class=\"persona-more\"%s><summary>%s</summary>\n"
                  "<p class=\"persona-wide\"><label for=\"features\">%s"
                  "</label> <input id=\"features\" name=\"features\" "
                  "class=\"persona-features\" "
                  "aria-describedby=\"features-hint\" value=\"",
                  a->features || a->k_max != UNSET || a->seed != UNSET ||
                          a->starts != UNSET || a->truth || a->min_n != UNSET
                      ? " open"
                      : "",
                  web_t(lang, "persona_more"), web_t(lang, "persona_features"));
    page_text(b, a->features);
    strbuf_printf(b,
                  "\"><span id=\"features-hint\" class=\"hint\">%s</span>"
                  "</p>\n",
                  web_t(lang, "persona_features_hint"));
    const struct {
        const char *id, *word;
        long value, lo, hi;
    } n[] = {{"k-max", "persona_k_max", a->k_max, 2, PERSONAS_K_MAX},
             {"seed", "persona_seed", a->seed, 0, 2147483647L},
             {"starts", "persona_starts", a->starts, 1, 100},
             {"min-n", "persona_min_n", a->min_n, 0, 1000000000L}};
    for (size_t i = 0; i < 4; i++) {
        strbuf_printf(b,
                      "<p><label for=\"%s\">%s</label> <input id=\"%s\" "
                      "name=\"%s\" type=\"number\" min=\"%ld\" max=\"%ld\" "
                      "inputmode=\"numeric\" value=\"",
                      n[i].id, web_t(lang, n[i].word), n[i].id, n[i].id,
                      n[i].lo, n[i].hi);
        if (n[i].value != UNSET)
            strbuf_printf(b, "%ld", n[i].value);
        strbuf_puts(b, "\"></p>\n");
    }
    strbuf_printf(b,
                  "<p><label for=\"truth\">%s</label> <input id=\"truth\" "
                  "name=\"truth\" placeholder=\"segment\" value=\"",
                  web_t(lang, "persona_truth"));
    page_text(b, a->truth);
    strbuf_puts(b, "\"></p>\n</details>\n");
    if (lang == WEB_EN)
        strbuf_puts(b, "<input type=\"hidden\" name=\"lang\" value=\"en\">\n");
    strbuf_puts(b, "</form>\n");
}

static void day_text(struct strbuf *b, int64_t day)
{
    int y;
    unsigned m, d;
    tstamp_civil_from_days(day, &y, &m, &d);
    strbuf_printf(b, "%04d-%02u-%02u", y, m, d);
}

static const char *verdict_word(enum personas_auto_verdict v)
{
    switch (v) {
    case PERSONAS_AUTO_SPARSE:
        return "persona_v_sparse";
    case PERSONAS_AUTO_CONSTANT:
        return "persona_v_constant";
    case PERSONAS_AUTO_TOO_MANY:
        return "persona_v_too_many";
    case PERSONAS_AUTO_BAD_NAME:
        return "persona_v_bad_name";
    case PERSONAS_AUTO_FULL:
        return "persona_v_full";
    default:
        return "persona_v_used";
    }
}

/* What was clustered, on what, and how sure: the run's facts. */
void persona_facts(struct strbuf *b, struct call *c, enum web_lang lang,
                   const struct page_view *v, const struct run *r)
{
    const struct personas_result *res = r->res;
    page_section(b, "h-used", web_t(lang, "persona_used"));
    strbuf_puts(b, "<dl class=\"meta\">\n");
    strbuf_printf(b, "<dt>%s</dt><dd id=\"persona-period\"",
                  web_t(lang, "persona_period"));
    if (v->from_day != METRICS_DAY_MIN) {
        strbuf_puts(b, " data-from=\"");
        day_text(b, v->from_day);
        strbuf_puts(b, "\"");
    }
    strbuf_puts(b, ">");
    if (v->from_day == METRICS_DAY_MIN && v->to_day == METRICS_DAY_MAX) {
        strbuf_puts(b, web_t(lang, "persona_all_time"));
    } else {
        if (v->from_day != METRICS_DAY_MIN)
            day_text(b, v->from_day);
        strbuf_puts(b, " \xe2\x80\x93 ");
        if (v->to_day != METRICS_DAY_MAX)
            day_text(b, v->to_day);
        if (r->default_period)
            strbuf_printf(b, " (%s)", web_t(lang, "persona_period_default"));
    }
    strbuf_puts(b, "</dd>\n");
    if (v->where) {
        strbuf_printf(b, "<dt>%s</dt><dd><code>", web_t(lang, "filter"));
        page_text(b, v->where);
        strbuf_puts(b, "</code></dd>\n");
    }
    if (c->p->role == ROLE_OWNER)
        strbuf_printf(b, "<dt>%s</dt><dd>%s</dd>\n",
                      web_t(lang, "persona_scope"),
                      web_t(lang, "persona_owner_scope"));
    strbuf_printf(b, "<dt>%s</dt><dd><code id=\"features-used\">",
                  web_t(lang, "persona_features"));
    page_text(b, r->features);
    strbuf_printf(b, "</code> (%s)</dd>\n",
                  web_t(lang, r->picked ? "persona_features_auto"
                                        : "persona_features_given"));
    size_t left = 0;
    for (size_t i = 0; r->picked && i < r->pick.n; i++) {
        if (r->pick.verdict[i] == PERSONAS_AUTO_USED)
            continue;
        if (!left++)
            strbuf_printf(b, "<dt>%s</dt><dd>", web_t(lang, "persona_attrs"));
        else
            strbuf_puts(b, "; ");
        strbuf_puts(b, "<code>");
        page_text(b, r->pick.cand[i].name);
        strbuf_printf(b, "</code>: %s",
                      web_t(lang, verdict_word(r->pick.verdict[i])));
    }
    if (left)
        strbuf_puts(b, "</dd>\n");
    if (res) {
        strbuf_printf(b, "<dt>%s</dt><dd>", web_t(lang, "persona_clustered"));
        web_number(b, lang, (double)res->customers, 0, 0);
        strbuf_printf(b, " (%s ", web_t(lang, "persona_with_responses"));
        web_number(b, lang, (double)res->responses, 0, 0);
        strbuf_printf(b, ")</dd>\n<dt>%s</dt><dd>%d (%s)</dd>\n",
                      web_t(lang, "persona_k_used"), res->k,
                      web_t(lang, res->k_fixed ? "persona_k_fixed"
                                               : "persona_k_silhouette"));
        strbuf_printf(b, "<dt>%s</dt><dd>", web_t(lang, "persona_stability"));
        web_number(b, lang, res->ari_seeds, 3, 0);
        strbuf_printf(
            b, " (%s %llu, %llu)</dd>\n", web_t(lang, "persona_seeds"),
            (unsigned long long)res->seed, (unsigned long long)res->seed2);
        if (res->truth[0]) {
            strbuf_printf(b, "<dt>%s <code>", web_t(lang, "persona_ari_truth"));
            page_text(b, res->truth);
            strbuf_puts(b, "</code></dt><dd>");
            web_number(b, lang, res->ari_truth, 3, 0);
            strbuf_printf(b, " (%zu %s)</dd>\n", res->truth_groups,
                          web_t(lang, "persona_groups"));
        }
    }
    strbuf_puts(b, "</dl>\n");
    if (res && !isnan(res->ari_seeds) && res->ari_seeds < 0.8)
        strbuf_printf(b, "<p class=\"note\">%s</p>\n",
                      web_t(lang, "persona_unstable"));
    strbuf_puts(b, "</section>\n");
}

/* One persona as a card. */
void persona_card(struct strbuf *b, struct call *c, enum web_lang lang,
                  const struct run *r, int i)
{
    const struct personas_result *res = r->res;
    const struct personas_persona *p = &res->p[i];
    struct strbuf t = STRBUF_INIT;
    struct estimate share;
    share_estimate(&share, res, p);
    persona_name(&t, lang, p, i);
    strbuf_printf(b,
                  "<article class=\"persona\" aria-labelledby=\"p-%d\">"
                  "<h3 id=\"p-%d\">",
                  i + 1, i + 1);
    page_text(b, strbuf_str(&t));
    strbuf_printf(b,
                  "</h3>\n<dl class=\"persona-figs\">\n<div><dt>%s</dt>"
                  "<dd><span class=\"value\">",
                  web_t(lang, "persona_customers"));
    web_number(b, lang, (double)p->n, 0, 0);
    strbuf_printf(b, "</span> <span class=\"ci\">%s ",
                  web_t(lang, "persona_share"));
    web_number(b, lang, share.value, 1, 0);
    strbuf_printf(b, "%s, %s ", lang == WEB_SV ? "\xc2\xa0%" : "%",
                  web_t(lang, "ci95"));
    web_number(b, lang, share.lo, 1, 0);
    strbuf_puts(b, lang == WEB_SV ? "; " : ", ");
    web_number(b, lang, share.hi, 1, 0);
    strbuf_printf(b, "</span></dd></div>\n<div><dt>NPS</dt><dd><span "
                     "class=\"value\">");
    web_number(b, lang, p->nps.value, 1, 1);
    strbuf_printf(b, "</span> <span class=\"ci\">%s ", web_t(lang, "ci95"));
    web_number(b, lang, p->nps.lo, 1, 1);
    strbuf_puts(b, lang == WEB_SV ? "; " : ", ");
    web_number(b, lang, p->nps.hi, 1, 1);
    strbuf_puts(b, "</span> <span class=\"n\">n = ");
    web_number(b, lang, (double)p->nps.n, 0, 0);
    strbuf_printf(b,
                  "%s</span></dd></div>\n</dl>\n<dl class=\"persona-facts\">\n",
                  p->nps.n < res->min_n ? " *" : "");
    if (p->n_traits) {
        strbuf_printf(b, "<dt>%s</dt><dd><ul>",
                      web_t(lang, "persona_defining"));
        for (size_t j = 0; j < p->n_traits; j++) {
            strbuf_reset(&t);
            trait_text(&t, lang, &p->traits[j]);
            strbuf_puts(b, "<li>");
            page_text(b, strbuf_str(&t));
            strbuf_puts(b, "</li>");
        }
        strbuf_puts(b, "</ul></dd>\n");
    }
    const struct {
        const char *word;
        const struct personas_item *v;
        size_t n;
        int themes;
    } lists[] = {
        {"persona_channels", p->channels, p->n_channels, 0},
        {"persona_themes", p->themes, p->n_themes, 1},
        {"persona_pains", p->pains, p->n_pains, 1},
    };
    for (size_t j = 0; j < 3; j++) {
        if (!lists[j].n)
            continue;
        strbuf_reset(&t);
        items_text(&t, c, lang, lists[j].v, lists[j].n, lists[j].themes);
        strbuf_printf(b, "<dt>%s</dt><dd>", web_t(lang, lists[j].word));
        page_text(b, strbuf_str(&t));
        strbuf_puts(b, "</dd>\n");
    }
    if (p->weakest[0]) {
        strbuf_printf(b, "<dt>%s</dt><dd>", web_t(lang, "persona_weakest"));
        page_text(b, p->weakest);
        strbuf_puts(b, ": NPS ");
        est_text(b, lang, &p->weakest_nps, 1, res->min_n);
        strbuf_puts(b, " n = ");
        web_number(b, lang, (double)p->weakest_nps.n, 0, 0);
        strbuf_puts(b, "</dd>\n");
    }
    strbuf_printf(b, "<dt>%s</dt><dd>", web_t(lang, "persona_responses"));
    web_number(b, lang, (double)p->responses, 0, 0);
    strbuf_puts(b, "</dd>\n</dl>\n");
    for (int q = 0; q < 2; q++) {
        const char *text = r->quotes ? r->quotes[2 * i + q] : NULL;
        if (!text)
            continue;
        strbuf_puts(b, "<blockquote class=\"quote\"><p>");
        page_text(b, text);
        strbuf_puts(b, "</p></blockquote>\n");
    }
    strbuf_puts(b, "</article>\n");
    strbuf_dispose(&t);
}

/* NPS by persona as bars with their CIs (and a table behind). */
void persona_nps_chart(struct strbuf *b, enum web_lang lang,
                       const struct run *r)
{
    const struct personas_result *res = r->res;
    struct chart_point *pts = xcalloc((size_t)res->k + 1, sizeof *pts);
    char(*names)[16] = xcalloc((size_t)res->k + 1, sizeof *names);
    for (int i = 0; i < res->k; i++) {
        const struct estimate *e = &res->p[i].nps;
        snprintf(names[i], sizeof names[i], "P%d", i + 1);
        pts[i] = (struct chart_point){names[i], e->value, e->lo,
                                      e->hi,    e->n,     e->n < res->min_n};
    }
    struct chart_bars bars = {"bars-persona-nps",
                              web_t(lang, "persona_nps_chart"),
                              web_t(lang, "persona_nps_chart_summary"),
                              "NPS",
                              pts,
                              (size_t)res->k,
                              -100,
                              100};
    page_section(b, "h-nps", web_t(lang, "persona_nps_chart"));
    chart_bars_svg(b, lang, &bars);
    strbuf_puts(b, "</section>\n");
    free(names);
    free(pts);
}

/* The cards' figures as a result table in the page's language. */
struct result *persona_table_result(struct call *c, enum web_lang lang,
                                    const struct run *r)
{
    const struct personas_result *res = r->res;
    struct result *out = result_new();
    struct strbuf t = STRBUF_INIT;
    result_set_min_n(out, res->min_n);
    struct result_table *tb =
        result_table_new(out, "personas", web_t(lang, "persona_table"));
    result_col(tb, "persona", web_t(lang, "persona_persona"), RESULT_TEXT, 0,
               0);
    result_col(tb, "customers", web_t(lang, "persona_customers"),
               RESULT_INTEGER, 0, 0);
    result_col(tb, "share_pct", web_t(lang, "persona_share_pct"),
               RESULT_ESTIMATE, 1, RESULT_NO_N);
    size_t nps =
        result_col(tb, "nps", "NPS", RESULT_ESTIMATE, 1, RESULT_SIGNED);
    result_col_n(tb, nps, "nps_n", "NPS n");
    result_col(tb, "defining", web_t(lang, "persona_defining"), RESULT_TEXT, 0,
               0);
    result_col(tb, "channels", web_t(lang, "persona_channels"), RESULT_TEXT, 0,
               0);
    result_col(tb, "themes", web_t(lang, "persona_themes"), RESULT_TEXT, 0, 0);
    result_col(tb, "pains", web_t(lang, "persona_pains"), RESULT_TEXT, 0, 0);
    result_col(tb, "weakest", web_t(lang, "persona_weakest"), RESULT_TEXT, 0,
               0);
    size_t w = result_col(tb, "weakest_nps", web_t(lang, "persona_its_nps"),
                          RESULT_ESTIMATE, 1, RESULT_SIGNED);
    result_col_n(tb, w, "weakest_n", web_t(lang, "persona_its_n"));
    result_col(tb, "responses", web_t(lang, "persona_responses"),
               RESULT_INTEGER, 0, 0);
    for (int i = 0; i < res->k; i++) {
        const struct personas_persona *p = &res->p[i];
        struct estimate share;
        share_estimate(&share, res, p);
        result_row(tb);
        strbuf_reset(&t);
        persona_name(&t, lang, p, i);
        result_add_text(tb, strbuf_str(&t));
        result_add_int(tb, (int64_t)p->n);
        struct result_estimate se = result_estimate_of(&share, 0);
        result_add_est(tb, &se);
        result_add_estimate(tb, &p->nps, res->min_n);
        strbuf_reset(&t);
        for (size_t j = 0; j < p->n_traits; j++) {
            if (j)
                strbuf_puts(&t, "; ");
            trait_text(&t, lang, &p->traits[j]);
        }
        result_add_text(tb, p->n_traits ? strbuf_str(&t) : NULL);
        const struct personas_item *lv[] = {p->channels, p->themes, p->pains};
        const size_t ln[] = {p->n_channels, p->n_themes, p->n_pains};
        for (size_t j = 0; j < 3; j++) {
            strbuf_reset(&t);
            items_text(&t, c, lang, lv[j], ln[j], j > 0);
            result_add_text(tb, ln[j] ? strbuf_str(&t) : NULL);
        }
        if (p->weakest[0]) {
            result_add_text(tb, p->weakest);
            result_add_estimate(tb, &p->weakest_nps, res->min_n);
        } else {
            result_add_null(tb);
            result_add_null(tb);
        }
        result_add_int(tb, (int64_t)p->responses);
    }
    strbuf_dispose(&t);
    return out;
}

/* The criterion per k, in the page's language. */
struct result *persona_criterion_result(enum web_lang lang,
                                        const struct personas_result *res)
{
    struct result *out = result_new();
    struct result_table *t =
        result_table_new(out, "criterion", web_t(lang, "persona_criterion"));
    result_col(t, "k", web_t(lang, "persona_k_short"), RESULT_TEXT, 0, 0);
    result_col(t, "silhouette", web_t(lang, "persona_silhouette"),
               RESULT_NUMBER, 3, 0);
    result_col(t, "cost", web_t(lang, "persona_cost"), RESULT_NUMBER, 0, 0);
    result_col(t, "chosen", web_t(lang, "persona_chosen"), RESULT_BOOLEAN, 0,
               0);
    for (int k = 2; k <= PERSONAS_K_MAX; k++) {
        char kk[16];
        if (isnan(res->cost[k]))
            continue;
        snprintf(kk, sizeof kk, "%d", k);
        result_row(t);
        result_add_text(t, kk);
        result_add_num(t, res->silhouette[k]);
        result_add_num(t, res->cost[k]);
        result_add_bool(t, k == res->k);
    }
    return out;
}

void persona_render_result(struct strbuf *b, enum web_lang lang,
                           const struct result *r)
{
    struct err err = ERR_INIT;
    result_render_with(b, r, RESULT_FORMAT_HTML,
                       lang == WEB_SV ? RESULT_RENDER_SV : 0, &err);
}
