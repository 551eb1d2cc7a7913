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
#include "server/pages_int.h"
#include "server/resident.h"
#include "server/server_int.h"
#include "stats/metrics.h"
#include "stats/prop.h"
#include "store/model.h"
#include "store/store.h"
#include "text/themes.h"
#include "web/chart.h"

#define TREND_MONTHS 12   /* without a period: the last months with answers */
#define KEY_SAMPLE 1000   /* customers read for their attributes' names */
#define MAX_CANDIDATES 32 /* attributes considered for the default */
#define ARG_MAX_LEN 2000  /* the longest features or truth taken */
#define UNSET (-1L)

/* The command's own options as the URL gives them (the API's names);
 * UNSET or NULL: the command's default. */
struct persona_args {
    const char *features, *truth;
    long k, k_max, seed, starts, min_n;
};

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
static char *persona_args_query(const struct persona_args *a, const char *extra)
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

struct key_scan {
    struct query_keys keys;
    size_t seen;
};

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

/* The default features of this data into *features (caller frees), the
 * candidates judged in cand/verdict (names borrowed from keys). */
struct auto_pick {
    struct key_scan scan;
    struct personas_candidate cand[MAX_CANDIDATES];
    enum personas_auto_verdict verdict[MAX_CANDIDATES];
    size_t n, used;
    char *features;
};

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

struct run {
    struct metrics_query q;
    struct personas_spec *spec;
    struct personas_result *res;
    struct field truth;
    char **quotes; /* [2k] */
    struct auto_pick pick;
    int picked;           /* features chosen from the data */
    int default_period;   /* from set as the overview does */
    const char *features; /* as run: given or picked (borrowed) */
    struct err err;       /* of the analysis: shown on the page */
};

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
static void options_form(struct strbuf *b, enum web_lang lang,
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
static void facts(struct strbuf *b, struct call *c, enum web_lang lang,
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
static void card(struct strbuf *b, struct call *c, enum web_lang lang,
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
static void nps_chart(struct strbuf *b, enum web_lang lang, const struct run *r)
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
static struct result *table_result(struct call *c, enum web_lang lang,
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
static struct result *criterion_result(enum web_lang lang,
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

static void render_result(struct strbuf *b, enum web_lang lang,
                          const struct result *r)
{
    struct err err = ERR_INIT;
    result_render_with(b, r, RESULT_FORMAT_HTML,
                       lang == WEB_SV ? RESULT_RENDER_SV : 0, &err);
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
    options_form(&b, lang, &v, &a);
    if (!r.res) {
        strbuf_printf(&b,
                      "<div class=\"persona-error\" role=\"alert\"><p "
                      "class=\"error\">%s</p><p>",
                      web_t(lang, "persona_failed"));
        page_text(&b, r.err.msg);
        strbuf_puts(&b, "</p></div>\n");
        facts(&b, c, lang, &v, &r);
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
        card(&b, c, lang, &r, i);
    strbuf_puts(&b, "</div>\n");
    int low = 0;
    for (int i = 0; i < r.res->k; i++)
        low |= r.res->p[i].nps.n < r.res->min_n;
    if (low)
        strbuf_printf(&b, "<p class=\"note lown-note\">* n &lt; %d: %s</p>\n",
                      r.res->min_n, web_t(lang, "low_n_note"));
    strbuf_printf(&b, "<p class=\"note\">%s</p>\n</section>\n",
                  web_t(lang, "persona_cards_note"));

    nps_chart(&b, lang, &r);

    page_section(&b, "h-table", web_t(lang, "persona_table"));
    struct result *tres = table_result(c, lang, &r);
    render_result(&b, lang, tres);
    result_free(tres);
    strbuf_printf(&b, "<p class=\"note\">%s</p>\n</section>\n",
                  web_t(lang, "persona_share_note"));

    if (!r.res->k_fixed) {
        page_section(&b, "h-k", web_t(lang, "persona_criterion"));
        struct result *cres = criterion_result(lang, r.res);
        render_result(&b, lang, cres);
        result_free(cres);
        strbuf_puts(&b, "</section>\n");
    }
    facts(&b, c, lang, &v, &r);
    strbuf_printf(&b,
                  "<details class=\"method\"><summary>%s</summary>\n<p>%s</p>"
                  "\n</details>\n",
                  web_t(lang, "persona_method"),
                  web_t(lang, "persona_method_text"));
    run_dispose(&r);
    return page_send(c, 200, &b);
}
