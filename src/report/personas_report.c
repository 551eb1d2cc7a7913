#include "report/personas_report.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "analysis/personas.h"
#include "core/strbuf.h"
#include "report/result.h"

static void add_meta(struct result *res, const struct personas_result *r)
{
    struct strbuf b = STRBUF_INIT;
    char buf[64];
    result_set_min_n(res, r->min_n);
    result_meta_int(res, "rows", NULL, (int64_t)r->rows);
    result_meta_int(res, "responses", NULL, (int64_t)r->responses);
    result_meta_int(res, "customers", "customers clustered",
                    (int64_t)r->customers);
    snprintf(buf, sizeof buf, "%d (%s)", r->k,
             r->k_fixed ? "fixed" : "largest silhouette");
    result_meta_text(res, "k_text", "personas", buf);
    result_meta_int(res, "k", NULL, r->k);
    result_meta_text(res, "k_rule", NULL, r->k_fixed ? "fixed" : "silhouette");
    for (size_t j = 0; j < r->n_features; j++)
        strbuf_printf(&b, "%s%s", j ? "," : "", r->features[j].name);
    result_meta_text(res, "features", NULL, strbuf_str(&b));
    result_meta_int(res, "n_numeric", NULL, (int64_t)r->n_numeric);
    result_meta_int(res, "n_categorical", NULL, (int64_t)r->n_categorical);
    result_meta_num(res, "gamma", NULL, r->gamma);
    result_meta_int(res, "starts", NULL, r->starts);
    result_meta_int(res, "seed", NULL, (int64_t)r->seed);
    result_meta_int(res, "seed2", NULL, (int64_t)r->seed2);
    snprintf(buf, sizeof buf, "%.3f (seeds %llu and %llu)", r->ari_seeds,
             (unsigned long long)r->seed, (unsigned long long)r->seed2);
    result_meta_text(res, "stability", "stability (ARI between seeds)", buf);
    result_meta_num(res, "ari_seeds", NULL, r->ari_seeds);
    if (r->truth[0]) {
        snprintf(buf, sizeof buf, "%.3f", r->ari_truth);
        strbuf_reset(&b);
        strbuf_printf(&b, "ARI against %s", r->truth);
        result_meta_text(res, "ari_truth_text", strbuf_str(&b), buf);
        result_meta_text(res, "truth", NULL, r->truth);
        result_meta_int(res, "truth_groups", NULL, (int64_t)r->truth_groups);
        result_meta_num(res, "ari_truth", NULL, r->ari_truth);
    }
    result_meta_int(res, "sample", NULL, (int64_t)r->sample);
    strbuf_dispose(&b);
}

static double pct(double x)
{
    return 100 * x;
}

static void add_items(struct result_table *t, const struct personas_item *v,
                      size_t n, int with_all)
{
    struct strbuf b = STRBUF_INIT;
    for (size_t i = 0; i < n; i++) {
        strbuf_printf(&b, "%s%s %.0f%%", i ? ", " : "", v[i].label,
                      pct(v[i].in));
        if (with_all)
            strbuf_printf(&b, " (all %.0f%%)", pct(v[i].all));
    }
    if (n)
        result_add_text(t, strbuf_str(&b));
    else
        result_add_null(t);
    strbuf_dispose(&b);
}

static void add_traits(struct result_table *t, const struct personas_persona *p)
{
    struct strbuf b = STRBUF_INIT;
    for (size_t i = 0; i < p->n_traits; i++) {
        const struct personas_trait *x = &p->traits[i];
        if (x->categorical)
            strbuf_printf(&b, "%s%s %.0f%% (all %.0f%%)", i ? "; " : "",
                          x->label, pct(x->in), pct(x->all));
        else
            strbuf_printf(&b, "%s%s %.2f (all %.2f)", i ? "; " : "", x->label,
                          x->in, x->all);
    }
    if (p->n_traits)
        result_add_text(t, strbuf_str(&b));
    else
        result_add_null(t);
    strbuf_dispose(&b);
}

static void cards(struct result *res, const struct personas_result *r,
                  const char *const *quotes)
{
    struct result_table *t = result_table_new(res, "personas", "Personas");
    char name[32];
    result_table_layout(t, RESULT_RECORDS);
    result_table_empty(t, "(no personas)");
    result_col(t, "persona", "persona", RESULT_TEXT, 0, RESULT_HEAD);
    result_col(t, "customers", "customers", RESULT_INTEGER, 0,
               RESULT_HEAD | RESULT_LABELLED | RESULT_IS_N);
    result_col(t, "share_pct", "share %", RESULT_NUMBER, 1,
               RESULT_HEAD | RESULT_LABELLED);
    result_col(t, "responses", "responses", RESULT_INTEGER, 0, RESULT_LABELLED);
    result_col(t, "defining", "defining", RESULT_TEXT, 0, RESULT_LABELLED);
    result_col(t, "channels", "channels", RESULT_TEXT, 0, RESULT_LABELLED);
    result_col(t, "nps", "NPS", RESULT_ESTIMATE, 1,
               RESULT_LABELLED | RESULT_SIGNED);
    result_col(t, "themes", "top themes", RESULT_TEXT, 0, RESULT_LABELLED);
    result_col(t, "pains", "pains", RESULT_TEXT, 0, RESULT_LABELLED);
    result_col(t, "weakest_touchpoint", "weakest touchpoint", RESULT_TEXT, 0,
               RESULT_LABELLED);
    result_col(t, "weakest_nps", "its NPS", RESULT_NUMBER, 1,
               RESULT_LABELLED | RESULT_SIGNED);
    result_col(t, "quote_1", "quote", RESULT_TEXT, 0,
               RESULT_LABELLED | RESULT_QUOTED);
    result_col(t, "quote_2", "quote", RESULT_TEXT, 0,
               RESULT_LABELLED | RESULT_QUOTED);
    result_col(t, "quote_1_id", "quote 1 id", RESULT_INTEGER, 0,
               RESULT_FOR_PROGRAMS);
    result_col(t, "quote_2_id", "quote 2 id", RESULT_INTEGER, 0,
               RESULT_FOR_PROGRAMS);
    for (int c = 0; c < r->k; c++) {
        const struct personas_persona *p = &r->p[c];
        struct result_estimate e = {p->nps.value, p->nps.lo,
                                    p->nps.hi,    p->nps.se,
                                    p->nps.n,     p->nps.n < r->min_n};
        snprintf(name, sizeof name, "P%d", c + 1);
        result_row(t);
        result_add_text(t, name);
        result_add_int(t, (int64_t)p->n);
        result_add_num(t, pct(p->share));
        result_add_int(t, (int64_t)p->responses);
        add_traits(t, p);
        add_items(t, p->channels, p->n_channels, 1);
        result_add_est(t, &e);
        add_items(t, p->themes, p->n_themes, 1);
        add_items(t, p->pains, p->n_pains, 1);
        if (p->weakest[0]) {
            result_add_text(t, p->weakest);
            result_add_num(t, p->weakest_nps.value);
        } else {
            result_add_null(t);
            result_add_null(t);
        }
        for (int q = 0; q < 2; q++)
            result_add_text(t, quotes && p->quote_id[q] ? quotes[2 * c + q]
                                                        : NULL);
        for (int q = 0; q < 2; q++)
            if (p->quote_id[q])
                result_add_int(t, p->quote_id[q]);
            else
                result_add_null(t);
    }
}

static void criterion(struct result *res, const struct personas_result *r)
{
    struct result_table *t =
        result_table_new(res, "criterion", "Choice of k: mean silhouette");
    result_col(t, "k", "k", RESULT_INTEGER, 0, 0);
    result_col(t, "silhouette", "silhouette", RESULT_NUMBER, 3, 0);
    result_col(t, "cost", "cost", RESULT_NUMBER, 0, 0);
    result_col(t, "chosen", "chosen", RESULT_BOOLEAN, 0, 0);
    for (int k = 2; k <= PERSONAS_K_MAX; k++) {
        if (isnan(r->cost[k]))
            continue;
        result_row(t);
        result_add_int(t, k);
        result_add_num(t, r->silhouette[k]);
        result_add_num(t, r->cost[k]);
        result_add_bool(t, k == r->k);
    }
}

static void method(struct result *res, const struct personas_result *r)
{
    result_method(res,
                  "Customers: one row per customer with at least one "
                  "response passing the filters (%zu). Features: %zu "
                  "numeric, standardised to mean 0 and sd 1 (a customer "
                  "without a value gets the mean), and %zu categorical "
                  "(no value is a level of its own). Channel shares are "
                  "the share of the customer's responses (channel=...) or "
                  "of its events of an activity (channels:ACTIVITY=...) by "
                  "channel; responses is log(1 + count); nps the mean "
                  "0-10 answer.",
                  r->customers, r->n_numeric, r->n_categorical);
    result_method(res,
                  "Clustering: k-prototypes (Huang 1998): dissimilarity = "
                  "squared Euclidean distance on the numeric features + "
                  "gamma x the number of categorical mismatches; "
                  "prototypes are numeric means and categorical modes. "
                  "gamma = %.3g (the mean sd of the standardised numeric "
                  "features, Huang's suggestion, unless set). Each run "
                  "keeps the lowest cost of %d starts seeded k-means++ "
                  "style (each next centre drawn in proportion to its "
                  "dissimilarity to the nearest chosen one).",
                  r->gamma, r->starts);
    if (r->k_fixed)
        result_method(res, "k = %d as given.", r->k);
    else
        result_method(res,
                      "k = %d: the largest mean silhouette (Rousseeuw "
                      "1987) over k = 2..%d, on the square root of the "
                      "dissimilarity, over a random sample of %zu "
                      "customers (the same for every k).",
                      r->k, r->k_max, r->sample);
    result_method(res,
                  "Stability: the chosen k clustered again from seed "
                  "%llu; adjusted Rand index (Hubert and Arabie 1985) "
                  "between the two partitions %.3f (1 = the same "
                  "personas, 0 = chance agreement).",
                  (unsigned long long)r->seed2, r->ari_seeds);
    result_method(res,
                  "Cards: defining traits are the categorical levels most "
                  "over-represented and the numeric means furthest from "
                  "all customers', ranked by standardised difference; "
                  "channels are the shares of the persona's responses; NPS "
                  "is over its customers' responses (95%% CI, trinomial "
                  "variance); themes and pains are the share of its "
                  "commented responses mentioning a theme at all, and "
                  "negatively (all: over every customer clustered); the "
                  "weakest touchpoint has the lowest NPS "
                  "among those with at least %d answers; quotes are the "
                  "latest comments of the two commenting customers nearest "
                  "the prototype, stored redacted.",
                  r->min_n);
}

struct result *personas_report_build(const struct personas_result *r,
                                     const char *const *quotes)
{
    struct result *res = result_new();
    add_meta(res, r);
    cards(res, r, quotes);
    criterion(res, r);
    result_note(res,
                "%d personas of %zu customers; stability between seeds: "
                "ARI %.3f.",
                r->k, r->customers, r->ari_seeds);
    if (r->truth[0])
        result_note(res,
                    "Against %s (%zu groups): ARI %.3f. Personas are "
                    "found, not given: a low ARI means the features do not "
                    "separate those groups.",
                    r->truth, r->truth_groups, r->ari_truth);
    if (!isnan(r->ari_seeds) && r->ari_seeds < 0.8)
        result_note(res,
                    "The partition changes with the seed (ARI %.2f < 0.8): "
                    "read the personas as tendencies, or try another k.",
                    r->ari_seeds);
    method(res, r);
    return res;
}
