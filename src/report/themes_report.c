#include "report/themes_report.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "colstore/colstore.h"
#include "core/strbuf.h"
#include "core/xalloc.h"
#include "report/result.h"
#include "stats/emerging.h"
#include "text/discovery.h"
#include "text/themes.h"

static const char *label_of(const struct themes *tx, const char *key)
{
    int i = tx ? themes_find(tx, key, strlen(key)) : -1;
    return i < 0 ? key : themes_label(tx, (size_t)i, LANG_SV);
}

static double pct(int64_t k, int64_t of)
{
    return of ? 100.0 * (double)k / (double)of : NAN;
}

/* ---- volumes ---- */

struct order {
    size_t theme;
    int64_t total;
};

static int order_cmp(const void *a, const void *b)
{
    const struct order *x = a, *y = b;
    if (x->total != y->total)
        return x->total < y->total ? 1 : -1;
    return x->theme < y->theme ? -1 : x->theme > y->theme;
}

/* A share in percent, flagged for people when its n is under min_n. */
static void add_share(struct result_table *t, int64_t k, int64_t of, int min_n)
{
    result_add_num(t, pct(k, of));
    if (of && of < min_n)
        result_add_low_n(t);
}

struct result *themes_report_volumes(const struct emerging_series *s,
                                     const struct colstore *cs,
                                     const struct themes *tx, int min_n)
{
    struct result *r = result_new();
    size_t nt = s->n_themes, np = s->n_periods;
    struct order *ord = xcalloc(nt ? nt : 1, sizeof *ord);
    int by = s->group != NULL;
    int64_t all = 0;

    for (size_t t = 0; t < np; t++)
        all += s->comments[t];
    for (size_t j = 0; j < nt; j++) {
        ord[j].theme = j;
        for (size_t t = 0; t < np; t++)
            ord[j].total += s->mentions[j * np + t];
    }
    qsort(ord, nt, sizeof *ord, order_cmp);

    result_set_min_n(r, min_n);
    result_meta_int(r, "comments", NULL, all);
    result_meta_text(r, "by", NULL, s->group);
    struct result_table *tb = result_table_new(r, "themes", NULL);
    result_table_empty(tb, "(no theme is mentioned)");
    if (by)
        result_col(tb, s->group, NULL, RESULT_TEXT, 0, RESULT_NUMBERS);
    result_col(tb, "theme", "theme", RESULT_TEXT, 0, 0);
    result_col(tb, "label", "label", RESULT_TEXT, 0, 0);
    result_col(tb, "mentions", "mentions", RESULT_INTEGER, 0, 0);
    result_col(tb, "comments", "comments", RESULT_INTEGER, 0, 0);
    result_col(tb, "share_pct", "share %", RESULT_NUMBER, 1, 0);
    result_col(tb, "negative_pct", "negative %", RESULT_NUMBER, 1, 0);
    result_col(tb, "positive_pct", "positive %", RESULT_NUMBER, 1, 0);
    result_col(tb, "low_n", "low n", RESULT_BOOLEAN, 0, RESULT_FOR_PROGRAMS);
    /* themes never mentioned (or filtered out) are left out */
    for (size_t o = 0; o < nt && ord[o].total; o++) {
        size_t j = ord[o].theme;
        const char *key = colstore_label(cs, DIM_THEME, (int)j);
        for (size_t t = 0; t < np; t++) {
            size_t c = j * np + t;
            if (!by && !s->mentions[c])
                continue;
            result_row(tb);
            if (by)
                result_add_text(tb, s->period_label[t]);
            result_add_text(tb, key);
            result_add_text(tb, label_of(tx, key));
            result_add_int(tb, s->mentions[c]);
            result_add_int(tb, s->comments[t]);
            add_share(tb, s->mentions[c], s->comments[t], min_n);
            add_share(tb, s->negative[c], s->mentions[c], min_n);
            add_share(tb, s->positive[c], s->mentions[c], min_n);
            result_add_bool(tb, s->comments[t] < min_n);
        }
    }
    result_note(r,
                "%lld analysed comments. share = comments mentioning the "
                "theme; negative/positive = of its mentions. A comment may "
                "mention several themes; a sub-theme also counts for its "
                "parent.",
                (long long)all);
    result_method(r, "Themes are found by the taxonomy's terms in each "
                     "comment at import; a mention is negative or positive "
                     "by the sentiment of the clauses that mention it "
                     "(docs/text-analytics.md).");
    free(ord);
    return r;
}

/* ---- emerging issues ---- */

struct result *themes_report_emerging(const struct emerging_series *s,
                                      const struct emerging_test *tests,
                                      size_t n_flags,
                                      const struct emerging_opts *o,
                                      const struct colstore *cs,
                                      const struct themes *tx)
{
    struct result *r = result_new();
    size_t nt = s->n_themes, np = s->n_periods;
    const char *period = s->group;

    result_meta_text(r, "period", NULL, period);
    result_meta_num(r, "alpha", NULL, o->alpha);
    result_meta_int(r, "window", NULL, o->window);
    result_meta_int(r, "min_count", NULL, o->min_count);
    result_meta_int(r, "flags", NULL, (int64_t)n_flags);
    struct result_table *tb = result_table_new(r, "flagged", NULL);
    result_table_empty(tb, "(none flagged)");
    result_col(tb, period, NULL, RESULT_TEXT, 0, RESULT_NUMBERS);
    result_col(tb, "theme", "theme", RESULT_TEXT, 0, 0);
    result_col(tb, "label", "label", RESULT_TEXT, 0, 0);
    result_col(tb, "mentions", "mentions", RESULT_INTEGER, 0, 0);
    result_col(tb, "comments", "comments", RESULT_INTEGER, 0, 0);
    result_col(tb, "share_pct", "share %", RESULT_NUMBER, 1, 0);
    result_col(tb, "baseline_pct", "baseline %", RESULT_NUMBER, 1, 0);
    result_col(tb, "baseline_periods", "periods", RESULT_INTEGER, 0, 0);
    result_col(tb, "dispersion", "dispersion", RESULT_NUMBER, 2, 0);
    result_col(tb, "t", "T", RESULT_NUMBER, 1, 0);
    result_col(tb, "p", "p", RESULT_NUMBER, 2, RESULT_DIGITS);
    result_col(tb, "p_exact", "p exact", RESULT_NUMBER, 2,
               RESULT_DIGITS | RESULT_FOR_PROGRAMS);
    result_col(tb, "p_quasi", "p quasi", RESULT_NUMBER, 2,
               RESULT_DIGITS | RESULT_FOR_PROGRAMS);
    result_col(tb, "p_holm", "p (Holm)", RESULT_NUMBER, 2, RESULT_DIGITS);
    for (size_t t = 0; t < np; t++)
        for (size_t j = 0; j < nt; j++) {
            const struct emerging_test *x = &tests[j * np + t];
            if (!x->flagged)
                continue;
            const char *key = colstore_label(cs, DIM_THEME, (int)j);
            result_row(tb);
            result_add_text(tb, s->period_label[t]);
            result_add_text(tb, key);
            result_add_text(tb, label_of(tx, key));
            result_add_int(tb, x->count);
            result_add_int(tb, x->n);
            result_add_num(tb, 100 * x->share);
            result_add_num(tb, 100 * x->base_share);
            result_add_int(tb, x->base_periods);
            result_add_num(tb, x->dispersion);
            result_add_num(tb, x->z);
            result_add_num(tb, x->p);
            result_add_num(tb, x->p_exact);
            result_add_num(tb, x->p_quasi);
            result_add_num(tb, x->p_holm);
        }
    result_note(r,
                "%zu emerging theme-%s%s: share of comments above the "
                "previous %d %ss beyond binomial and their own variation "
                "(one-sided, Holm over themes per %s, alpha %g, at least %d "
                "mentions). Method: docs/text-analytics.md.",
                n_flags, period, n_flags == 1 ? "" : "s", o->window, period,
                period, o->alpha, o->min_count);
    result_method(r, "p = max(p exact, p quasi): an exact conditional "
                     "binomial test of the period against its baseline and "
                     "a quasi-binomial t test with the baseline's own "
                     "dispersion; both must reject.");
    return r;
}

/* ---- discovery ---- */

struct result *themes_report_discovery(const struct discovery_result *d,
                                       int min_docs)
{
    struct result *r = result_new();
    struct strbuf b = STRBUF_INIT, title = STRBUF_INIT;
    size_t n_ex = 0;
    for (size_t i = 0; i < d->n; i++)
        n_ex = d->v[i].n_examples > n_ex ? d->v[i].n_examples : n_ex;

    result_meta_int(r, "comments_without_theme", "comments without a theme",
                    d->comments);
    result_meta_int(r, "min_comments", NULL, min_docs);
    strbuf_printf(&title,
                  "%zu candidate themes (phrases in at least %d of those "
                  "comments):",
                  d->n, min_docs);
    struct result_table *t =
        result_table_new(r, "candidates", strbuf_str(&title));
    result_table_layout(t, RESULT_RECORDS);
    result_col(t, "rank", "rank", RESULT_TEXT, 0,
               RESULT_FOR_PEOPLE | RESULT_HEAD);
    result_col(t, "label", "label", RESULT_TEXT, 0, RESULT_HEAD);
    result_col(t, "key", "key", RESULT_TEXT, 0, RESULT_FOR_PROGRAMS);
    result_col(t, "lang", "lang", RESULT_TEXT, 0, RESULT_HEAD);
    result_col(t, "comments", "comments", RESULT_INTEGER, 0,
               RESULT_HEAD | RESULT_LABELLED);
    result_col(t, "share_pct", "share %", RESULT_NUMBER, 1,
               RESULT_HEAD | RESULT_LABELLED);
    result_col(t, "phrases_text", "phrases", RESULT_TEXT, 0,
               RESULT_FOR_PEOPLE | RESULT_LABELLED);
    result_col(t, "phrases", "phrases", RESULT_JSON, 0, RESULT_FOR_PROGRAMS);
    for (size_t k = 0; k < n_ex; k++)
        result_col(t, "example", "example", RESULT_TEXT, 0, RESULT_FOR_PEOPLE);
    result_col(t, "examples", "examples", RESULT_JSON, 0, RESULT_FOR_PROGRAMS);
    result_col(t, "taxonomy_line", "taxonomy", RESULT_TEXT, 0,
               RESULT_LABELLED | RESULT_TABS);
    for (size_t i = 0; i < d->n; i++) {
        const struct discovery_theme *x = &d->v[i];
        char rank[32];
        snprintf(rank, sizeof rank, "%zu.", i + 1);
        result_row(t);
        result_add_text(t, rank);
        result_add_text(t, x->label);
        result_add_text(t, x->key);
        result_add_text(t, lang_code(x->lang));
        result_add_int(t, x->docs);
        result_add_num(t, pct(x->docs, d->comments));
        strbuf_reset(&b);
        for (size_t k = 0; k < x->n_phrases; k++)
            strbuf_printf(&b, "%s\"%s\" (%lld)", k ? ", " : "",
                          x->phrases[k].text, (long long)x->phrases[k].docs);
        result_add_text(t, strbuf_str(&b));
        strbuf_reset(&b);
        strbuf_putc(&b, '[');
        for (size_t k = 0; k < x->n_phrases; k++) {
            strbuf_puts(&b, k ? ",{\"phrase\":" : "{\"phrase\":");
            strbuf_json_string(&b, x->phrases[k].text,
                               strlen(x->phrases[k].text));
            strbuf_printf(&b, ",\"comments\":%lld,\"g2\":%.4f}",
                          (long long)x->phrases[k].docs, x->phrases[k].g2);
        }
        strbuf_putc(&b, ']');
        result_add_json(t, b.p, b.n);
        for (size_t k = 0; k < n_ex; k++) {
            if (k >= x->n_examples) {
                result_add_null(t);
                continue;
            }
            strbuf_reset(&b);
            strbuf_printf(&b, "> %s", x->examples[k]);
            result_add_text(t, strbuf_str(&b));
        }
        strbuf_reset(&b);
        strbuf_putc(&b, '[');
        for (size_t k = 0; k < x->n_examples; k++) {
            if (k)
                strbuf_putc(&b, ',');
            strbuf_json_string(&b, x->examples[k], strlen(x->examples[k]));
        }
        strbuf_putc(&b, ']');
        result_add_json(t, b.p, b.n);
        result_add_text(t, x->tsv);
    }
    if (d->n)
        result_note(r, "Add the lines you want to a taxonomy file and load "
                       "it with 'resonans themes load FILE'.");
    result_method(r, "Collocations of content words (Dunning's "
                     "log-likelihood, G2 >= 10.83) among comments that "
                     "matched no theme, grouped by shared stems "
                     "(docs/text-analytics.md).");
    strbuf_dispose(&b);
    strbuf_dispose(&title);
    return r;
}

/* ---- the taxonomy in force ---- */

struct result *themes_report_taxonomy(const struct themes *tx, int saved)
{
    struct result *r = result_new();
    result_meta_text(r, "source", NULL,
                     saved == 2   ? "saved"
                     : saved == 1 ? "built-in and saved"
                                  : "built-in");
    result_meta_int(r, "count", NULL, (int64_t)themes_count(tx));
    result_meta_int(r, "terms", NULL, (int64_t)themes_term_count(tx));
    struct result_table *t = result_table_new(r, "themes", NULL);
    result_col(t, "key", "theme", RESULT_TEXT, 0, 0);
    result_col(t, "label_sv", "label (sv)", RESULT_TEXT, 0, 0);
    result_col(t, "label_en", "label (en)", RESULT_TEXT, 0, 0);
    result_col(t, "parent", "parent", RESULT_TEXT, 0, RESULT_FOR_PROGRAMS);
    for (size_t i = 0; i < themes_count(tx); i++) {
        int p = themes_parent(tx, i);
        result_row(t);
        result_add_text(t, themes_key(tx, i));
        result_add_text(t, themes_label(tx, i, LANG_SV));
        result_add_text(t, themes_label(tx, i, LANG_EN));
        result_add_text(t, p < 0 ? NULL : themes_key(tx, (size_t)p));
    }
    result_note(r, "%zu themes, %zu terms: %s", themes_count(tx),
                themes_term_count(tx),
                saved == 2   ? "the saved taxonomy (replacing the built-in one)"
                : saved == 1 ? "built-in plus the saved taxonomy"
                             : "built-in");
    return r;
}
