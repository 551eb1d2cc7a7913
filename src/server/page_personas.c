/* The personas page (docs/web.md): the customers clustered into
 * personas by `resonans personas` (analysis/personas.h), each shown as a
 * card (size and share with its CI, the traits that set it apart, NPS
 * with CI and n, channels, themes, pains, weakest touchpoint, two
 * quotes), NPS by persona as a chart, the same figures as a table, and
 * the choice of k. The URL carries the shared filters (?from=&to=&where=)
 * and the command's options under the API's names (features, k, k-max,
 * seed, starts, truth, min-n), so the figures equal
 * GET /api/analyses/personas with the same arguments: the same calls
 * with the same defaults as src/cli/cmd_personas.c, on the server's
 * column store. Without features the page picks them from the data
 * (report/personas_auto.h) and says which. A touchpoint owner's personas
 * are over the responses at their touchpoints (as the API's), and
 * features reading the events (channels:ACTIVITY), which follow
 * customers to every touchpoint, are refused to them. ?format=csv
 * answers the CLI's CSV of the same run. */
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

#define TREND_MONTHS 12  /* without a period: the last months with answers */
#define KEY_SAMPLE 1000  /* customers read for their attributes' names */
#define ARG_MAX_LEN 2000 /* the longest features or truth taken */

/* ?NAME=, empty as absent. */
static const char *arg(struct call *c, const char *name)
{
    const char *v = http_arg(c->req, name);
    return v && *v ? v : NULL;
}

/* A whole number lo..hi of the URL into *out (UNSET when absent). */
static int long_arg(struct call *c, const char *name, long lo, long hi,
                    long *out, struct err *err)
{
    const char *v = arg(c, name);
    char *end;
    *out = UNSET;
    if (!v)
        return 0;
    long x = strtol(v, &end, 10);
    if (*end || end == v || x < lo || x > hi)
        return err_set(err, ERR_INVALID,
                       "%s must be a whole number %ld..%ld, got '%.40s'", name,
                       lo, hi, v);
    *out = x;
    return 0;
}

/* The options of the URL, checked as the CLI checks them. */
static int persona_args_parse(struct call *c, struct persona_args *a,
                              struct err *err)
{
    const char *k = arg(c, "k");
    a->features = arg(c, "features");
    a->truth = arg(c, "truth");
    a->k = UNSET;
    if (k && strcmp(k, "auto") != 0 &&
        long_arg(c, "k", 2, PERSONAS_K_MAX, &a->k, err) < 0)
        return -1;
    if (long_arg(c, "k-max", 2, PERSONAS_K_MAX, &a->k_max, err) < 0 ||
        long_arg(c, "seed", 0, 2147483647L, &a->seed, err) < 0 ||
        long_arg(c, "starts", 1, 100, &a->starts, err) < 0 ||
        long_arg(c, "min-n", 0, 1000000000L, &a->min_n, err) < 0)
        return -1;
    if (a->k != UNSET && a->k_max != UNSET)
        return err_set(err, ERR_INVALID, "give k or k-max, not both");
    if ((a->features && strlen(a->features) > ARG_MAX_LEN) ||
        (a->truth && strlen(a->truth) > ARG_MAX_LEN))
        return err_set(err, ERR_INVALID, "features or truth: too long");
    return 0;
}

/* The options as a query string ("features=..&k=4&format=csv"), extra
 * last (may be NULL); raw, to be escaped as an attribute. Empty: NULL. */
char *persona_args_query(const struct persona_args *a, const char *extra)
{
    struct strbuf b = STRBUF_INIT;
    const char *names[] = {"features", "truth"};
    const char *vals[] = {a->features, a->truth};
    const char *lnames[] = {"k", "k-max", "seed", "starts", "min-n"};
    const long lvals[] = {a->k, a->k_max, a->seed, a->starts, a->min_n};
    for (size_t i = 0; i < 2; i++)
        if (vals[i]) {
            strbuf_printf(&b, "%s%s=", b.n ? "&" : "", names[i]);
            escape_url(&b, vals[i]);
        }
    for (size_t i = 0; i < 5; i++)
        if (lvals[i] != UNSET)
            strbuf_printf(&b, "%s%s=%ld", b.n ? "&" : "", lnames[i], lvals[i]);
    if (extra)
        strbuf_printf(&b, "%s%s", b.n ? "&" : "", extra);
    if (!b.n) {
        strbuf_dispose(&b);
        return NULL;
    }
    return strbuf_detach(&b, NULL);
}

/* ---- the default features: what the customers' attributes offer ---- */

static int key_of(void *ctx, const struct customer *cu)
{
    struct key_scan *k = ctx;
    json_error_t je;
    json_t *o = cu->attrs ? json_loads(cu->attrs, 0, &je) : NULL;
    const char *key;
    json_t *v;
    json_object_foreach(o, key, v)
    {
        if (!json_is_null(v) && strcmp(key, "segment") != 0)
            query_keys_add(&k->keys, key, strlen(key));
    }
    json_decref(o);
    return ++k->seen >= KEY_SAMPLE;
}

/* What the column store knows of customer attribute name (loaded into
 * cs first). */
static int candidate_facts(struct personas_candidate *out, struct colstore *cs,
                           struct store *s, const char *name, struct err *err)
{
    struct page_prep p = {cs, s, err};
    struct field f;
    char text[FIELD_MAX_NAME + 16];
    memset(out, 0, sizeof *out);
    out->name = name;
    out->customers = colstore_customers(cs);
    out->sd = NAN;
    snprintf(text, sizeof text, "customer.%s", name);
    struct err perr = ERR_INIT;
    if (field_parse(&f, text, strlen(text), FIELD_RESPONSES, &perr) < 0)
        return 0; /* a name no field can hold: left out as without values */
    if (page_prepare_field(&p, &f) < 0) {
        if (err->code != ERR_INVALID)
            return -1;
        /* more distinct values than a column holds: free text, an id */
        *err = (struct err)ERR_INIT;
        out->categorical = 1;
        out->levels = out->with_value = out->customers;
        return 0;
    }
    int col = colstore_col_find(cs, COLSTORE_CUSTOMERS, name);
    if (col < 0)
        return 0; /* no value anywhere: sparse */
    struct colstore_colview v;
    colstore_col_view(cs, COLSTORE_CUSTOMERS, col, &v);
    size_t rows = v.rows < out->customers ? v.rows : out->customers;
    if (v.kind == COLSTORE_CAT) {
        unsigned char *seen = xcalloc(v.card + 1, 1);
        out->categorical = 1;
        for (size_t i = 0; i < rows; i++) {
            uint32_t code = v.codes[i];
            if (!code)
                continue;
            out->with_value++;
            if (code <= v.card && !seen[code]) {
                seen[code] = 1;
                out->levels++;
            }
        }
        free(seen);
        return 0;
    }
    double sum = 0, ss = 0;
    for (size_t i = 0; i < rows; i++)
        if (isfinite(v.num[i])) {
            out->with_value++;
            sum += v.num[i];
        }
    double mean = out->with_value ? sum / (double)out->with_value : NAN;
    for (size_t i = 0; i < rows; i++)
        if (isfinite(v.num[i]))
            ss += (v.num[i] - mean) * (v.num[i] - mean);
    out->sd =
        out->with_value > 1 ? sqrt(ss / (double)(out->with_value - 1)) : NAN;
    return 0;
}

static int auto_features(struct auto_pick *a, struct colstore *cs,
                         struct store *s, struct err *err)
{
    a->scan.keys.max = MAX_CANDIDATES;
    if (store_scan_customers(s, key_of, &a->scan, err) < 0)
        return -1;
    for (size_t i = 0; i < a->scan.keys.n; i++)
        if (candidate_facts(&a->cand[a->n++], cs, s, a->scan.keys.v[i], err) <
            0)
            return -1;
    struct strbuf b = STRBUF_INIT;
    a->used = personas_auto_features(&b, a->cand, a->n, a->verdict);
    a->features = strbuf_detach(&b, NULL);
    return 0;
}

static void auto_pick_dispose(struct auto_pick *a)
{
    query_keys_dispose(&a->scan.keys);
    free(a->features);
}

/* ---- the run: the CLI's calls, on the resident column store ---- */

static int take_quote(void *ctx, const struct response *r,
                      const struct answer *a)
{
    char **out = ctx;
    (void)r;
    if (!*out && a->text)
        *out = xstrdup(a->text);
    return *out != NULL;
}

/* The texts of the quotes the analysis picked, as the CLI takes them:
 * the first comment with text of each response (stored redacted). */
static int fetch_quotes(struct run *r, struct store *s, struct err *err)
{
    r->quotes = xcalloc(2 * (size_t)r->res->k + 1, sizeof *r->quotes);
    for (int c = 0; c < r->res->k; c++)
        for (int i = 0; i < 2; i++) {
            struct comment_filter f = COMMENT_FILTER_INIT;
            if (!r->res->p[c].quote_id[i])
                continue;
            f.response_id = r->res->p[c].quote_id[i];
            if (store_scan_comments(s, &f, take_quote, &r->quotes[2 * c + i],
                                    err) < 0)
                return -1;
        }
    return 0;
}

static void run_dispose(struct run *r)
{
    if (r->quotes)
        for (int c = 0; r->res && c < 2 * r->res->k; c++)
            free(r->quotes[c]);
    free(r->quotes);
    personas_result_free(r->res);
    personas_spec_free(r->spec);
    metrics_query_dispose(&r->q);
    auto_pick_dispose(&r->pick);
}

/* Runs the analysis for the view and the options. A failure of the
 * analysis itself (features the data lacks, too few customers) is left in
 * r->err with 0 returned, for the page to show beside its form; -1 is a
 * failure to answer at all (err). */
static int run_personas(struct call *c, struct run *r, struct page_view *v,
                        const struct persona_args *a, struct err *err)
{
    struct store *s = srv_reader(c);
    struct metrics_result *months = NULL;
    struct page_prep p = {NULL, s, &r->err};
    int rc = 0;
    if (!s)
        return -1; /* answered */
    struct colstore *cs = resident_lock(c->srv->res);
    p.cs = cs;
    /* without a period: the last months with answers, as the overview */
    if (!v->from) {
        rc = page_figures(c, cs, s, v, NULL, "month", &months, &r->err);
        if (rc == 0) {
            page_default_from(v, TREND_MONTHS, months);
            r->default_period = v->from_day != METRICS_DAY_MIN;
        }
        metrics_result_free(months);
    }
    if (rc == 0 && v->where)
        rc = metrics_query_where(&r->q, v->where, &r->err);
    if (rc == 0 && c->p->role == ROLE_OWNER)
        rc = metrics_query_where_values(&r->q, "touchpoint",
                                        (const char *const *)c->p->touchpoints,
                                        (size_t)c->p->n_touchpoints, &r->err);
    metrics_query_days(&r->q, v->from_day, v->to_day);
    if (a->min_n != UNSET)
        r->q.min_n = (int)a->min_n;
    if (rc == 0)
        rc = metrics_query_fields(&r->q, page_prepare_field, &p);
    const char *features = a->features;
    if (rc == 0 && !features) {
        if (auto_features(&r->pick, cs, s, err) < 0) {
            resident_unlock(c->srv->res);
            return -1;
        }
        features = r->pick.features;
        r->picked = 1;
    }
    r->features = features;
    if (rc == 0)
        rc = personas_spec_new(&r->spec, features, &r->err);
    if (rc == 0 && r->spec->needs_events && c->p->role == ROLE_OWNER)
        rc = err_set(&r->err, ERR_INVALID,
                     "features: channels:ACTIVITY reads the customers' "
                     "events at every touchpoint; a touchpoint owner's "
                     "personas take their touchpoints' responses only");
    if (rc == 0 && a->truth)
        rc = field_parse(&r->truth, a->truth, strlen(a->truth), FIELD_RESPONSES,
                         &r->err);
    if (rc == 0 &&
        (personas_spec_fields(r->spec, page_prepare_field, &p) < 0 ||
         (a->truth && page_prepare_field(&p, &r->truth) < 0) ||
         (r->spec->needs_events && colstore_load_events(cs, s, &r->err) < 0)))
        rc = -1;
    if (rc == 0) {
        struct personas_opts o = PERSONAS_OPTS_INIT;
        o.filter = &r->q;
        o.k = a->k != UNSET ? (int)a->k : 0;
        if (a->k_max != UNSET)
            o.k_max = (int)a->k_max;
        if (a->starts != UNSET)
            o.starts = (int)a->starts;
        o.seed = (uint64_t)(a->seed != UNSET ? a->seed : 1);
        o.truth = a->truth ? &r->truth : NULL;
        o.min_n = r->q.min_n;
        rc = personas_run(&r->res, cs, r->spec, &o, &r->err);
    }
    resident_unlock(c->srv->res);
    if (rc == 0 && fetch_quotes(r, s, err) < 0)
        return -1;
    if (rc < 0 && r->err.code != ERR_INVALID && r->err.code != ERR_NOTFOUND) {
        *err = r->err; /* the store failed, not the request */
        return -1;
    }
    return 0;
}

enum http_verdict page_personas(struct call *c)
{
    enum web_lang lang = page_lang(c);
    struct page_view v;
    struct persona_args a;
    struct run r;
    struct err err = ERR_INIT;
    enum http_verdict verdict;
    int csv;
    memset(&r, 0, sizeof r);
    r.err = (struct err)ERR_INIT;
    if (page_view_args(c, &v, &csv) < 0)
        return HTTP_DONE;
    if (persona_args_parse(c, &a, &err) < 0)
        return page_fail(c, &err);
    metrics_query_init(&r.q, FIELD_RESPONSES);
    if (run_personas(c, &r, &v, &a, &err) < 0) {
        verdict = err.code ? page_fail(c, &err) : HTTP_DONE;
        run_dispose(&r);
        return verdict;
    }
    if (csv) {
        if (!r.res) {
            verdict = page_fail(c, &r.err);
        } else {
            struct result *out =
                personas_report_build(r.res, (const char *const *)r.quotes);
            verdict = page_send_csv(c, out, "personas");
            result_free(out);
        }
        run_dispose(&r);
        return verdict;
    }

    struct strbuf b = STRBUF_INIT;
    const char *title = web_t(lang, "persona_title");
    page_frame_begin(c, &b, title, "/app/personas");
    page_h1(&b, title);
    strbuf_printf(&b, "<p class=\"persona-lead\">%s</p>\n",
                  web_t(lang, "persona_intro"));
    persona_options_form(&b, lang, &v, &a);
    if (!r.res) {
        strbuf_printf(&b,
                      "<div class=\"persona-error\" role=\"alert\"><p "
                      "class=\"error\">%s</p><p>",
                      web_t(lang, "persona_failed"));
        page_text(&b, r.err.msg);
        strbuf_puts(&b, "</p></div>\n");
        persona_facts(&b, c, lang, &v, &r);
        run_dispose(&r);
        return page_send(c, 400, &b);
    }
    char *q = persona_args_query(&a, "format=csv");
    strbuf_puts(&b, "<p class=\"exports\"><a ");
    page_href(&b, "/app/personas", NULL, &v, lang, q);
    strbuf_printf(&b, " download>%s</a></p>\n", web_t(lang, "export_csv"));
    free(q);

    page_section(&b, "h-cards", web_t(lang, "persona_cards"));
    strbuf_puts(&b, "<p class=\"persona-summary\">");
    web_number(&b, lang, (double)r.res->customers, 0, 0);
    strbuf_printf(&b, " %s %d %s (%s). <a href=\"#h-used\">%s</a></p>\n",
                  web_t(lang, "persona_customers_in"), r.res->k,
                  web_t(lang, "persona_personas_lc"),
                  web_t(lang, r.res->k_fixed ? "persona_k_fixed"
                                             : "persona_k_silhouette"),
                  web_t(lang, "persona_see_used"));
    strbuf_puts(&b, "<div class=\"personas\">\n");
    for (int i = 0; i < r.res->k; i++)
        persona_card(&b, c, lang, &r, i);
    strbuf_puts(&b, "</div>\n");
    int low = 0;
    for (int i = 0; i < r.res->k; i++)
        low |= r.res->p[i].nps.n < r.res->min_n;
    if (low)
        strbuf_printf(&b, "<p class=\"note lown-note\">* n &lt; %d: %s</p>\n",
                      r.res->min_n, web_t(lang, "low_n_note"));
    strbuf_printf(&b, "<p class=\"note\">%s</p>\n</section>\n",
                  web_t(lang, "persona_cards_note"));

    persona_nps_chart(&b, lang, &r);

    page_section(&b, "h-table", web_t(lang, "persona_table"));
    struct result *tres = persona_table_result(c, lang, &r);
    persona_render_result(&b, lang, tres);
    result_free(tres);
    strbuf_printf(&b, "<p class=\"note\">%s</p>\n</section>\n",
                  web_t(lang, "persona_share_note"));

    if (!r.res->k_fixed) {
        page_section(&b, "h-k", web_t(lang, "persona_criterion"));
        struct result *cres = persona_criterion_result(lang, r.res);
        persona_render_result(&b, lang, cres);
        result_free(cres);
        strbuf_puts(&b, "</section>\n");
    }
    persona_facts(&b, c, lang, &v, &r);
    strbuf_printf(&b,
                  "<details class=\"method\"><summary>%s</summary>\n<p>%s</p>"
                  "\n</details>\n",
                  web_t(lang, "persona_method"),
                  web_t(lang, "persona_method_text"));
    run_dispose(&r);
    return page_send(c, 200, &b);
}
