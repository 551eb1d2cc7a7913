/* The weekly digest (digest.h): the headline comparison of two weeks and
 * the week's emerging themes, as one result, and its e-mail. */
#include "report/digest.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "colstore/colstore.h"
#include "core/err.h"
#include "core/strbuf.h"
#include "core/tstamp.h"
#include "core/tzfile.h"
#include "core/xalloc.h"
#include "query/field.h"
#include "report/result.h"
#include "stats/compare.h"
#include "stats/emerging.h"
#include "stats/metrics.h"

#define WEEKS 7 /* the week and its 6-week baseline */
#define SPAN_DAYS ((int64_t)WEEKS * 7)
#define DAY_S 86400

/* The headline figures: the key of a metrics figure, its name. */
static const struct {
    const char *key, *name;
} headline[] = {
    {"nps", "NPS"},
    {"csat_t2b", "CSAT 4-5 %"},
    {"ces_easy", "CES 5-7 %"},
};
#define N_HEADLINE (sizeof headline / sizeof headline[0])

static void day_text(char *buf, size_t n, int64_t day)
{
    int y;
    unsigned m, d;
    tstamp_civil_from_days(day, &y, &m, &d);
    snprintf(buf, n, "%04d-%02u-%02u", y, m, d);
}

/* q narrowed to the days from..to, with one cell and the scores. */
static int week_run(struct metrics_result **out, const struct colstore *cs,
                    const struct metrics_query *q, int64_t from, int64_t to,
                    struct err *err)
{
    struct metrics_query w;
    metrics_query_copy(&w, q);
    metrics_query_days(&w, from, to);
    int rc = metrics_run(out, cs, &w, err);
    metrics_query_dispose(&w);
    return rc;
}

static int fig_index(const struct metrics_result *r, const char *key)
{
    for (size_t i = 0; i < r->n_figs; i++)
        if (!strcmp(r->figs[i].key, key))
            return (int)i;
    return -1;
}

static struct result_estimate est_of(const struct metrics_result *r, int fig)
{
    struct result_estimate e = {NAN, NAN, NAN, NAN, 0, 0};
    if (r->n_cells && fig >= 0) {
        const struct estimate *x = &r->cells[0].fig[fig];
        e.value = x->value;
        e.lo = x->lo;
        e.hi = x->hi;
        e.se = x->se;
        e.n = x->n;
        e.low_n = metrics_low_n(r, x);
    }
    return e;
}

static void add_headline(struct result *res, const struct metrics_result *prev,
                         const struct metrics_result *cur)
{
    struct comparison *cmp = xcalloc(cur->n_figs + 1, sizeof *cmp);
    metrics_compare_cells(cmp, prev, prev->n_cells ? &prev->cells[0] : NULL,
                          cur, cur->n_cells ? &cur->cells[0] : NULL);
    struct result_table *t = result_table_new(
        res, "headline", "Headline: this week against the week before");
    result_col(t, "metric", "metric", RESULT_TEXT, 0, RESULT_FOR_PROGRAMS);
    result_col(t, "metric_name", "metric", RESULT_TEXT, 0, RESULT_FOR_PEOPLE);
    size_t kw =
        result_col(t, "week", "this week", RESULT_ESTIMATE, 1, RESULT_WITH_SE);
    result_col_n(t, kw, "week", "n");
    size_t kp = result_col(t, "previous", "week before", RESULT_ESTIMATE, 1,
                           RESULT_WITH_SE);
    result_col_n(t, kp, "previous", "n");
    result_col(t, "change", "change", RESULT_ESTIMATE, 1,
               RESULT_NO_N | RESULT_SIGNED | RESULT_WITH_SE);
    result_col(t, "p", "p", RESULT_NUMBER, 4, RESULT_PVALUE);
    result_col(t, "significant", "significant", RESULT_TEXT, 0,
               RESULT_FOR_PEOPLE);
    result_col(t, "significant", "significant", RESULT_BOOLEAN, 0,
               RESULT_FOR_PROGRAMS);
    result_col(t, "low_n", "low n", RESULT_BOOLEAN, 0, RESULT_FOR_PROGRAMS);
    for (size_t h = 0; h < N_HEADLINE; h++) {
        int f = fig_index(cur, headline[h].key);
        if (f < 0) /* can't happen: the query asks for the three scores */
            continue;
        const struct comparison *x = &cmp[f];
        struct result_estimate ew = est_of(cur, f), ep = est_of(prev, f);
        struct result_estimate d = {x->diff, x->lo, x->hi, x->se, -1, 0};
        result_row(t);
        result_add_text(t, headline[h].key);
        result_add_text(t, headline[h].name);
        result_add_est(t, &ew);
        result_add_est(t, &ep);
        result_add_est(t, &d);
        result_add_num(t, x->valid ? x->p : NAN);
        result_add_text(t, !x->valid ? "-"
                           : x->significant
                               ? (x->diff > 0 ? "yes, up" : "yes, down")
                               : "no");
        result_add_bool(t, x->significant);
        result_add_bool(t, ew.low_n || ep.low_n);
    }
    free(cmp);
}

/* A flagged theme of the week, for sorting. */
struct flag {
    size_t theme;
    double p;
};

static int by_p(const void *a, const void *b)
{
    const struct flag *x = a, *y = b;
    if (x->p != y->p)
        return x->p < y->p ? -1 : 1;
    return (x->theme > y->theme) - (x->theme < y->theme);
}

/* Themes per day over the 7 weeks ending last_day, summed into weeks of
 * 7 days (the counts are of responses, each on one day, so the sums are
 * the weeks' counts), and the test of the last week. */
static int add_emerging(struct result *res, const struct colstore *cs,
                        const struct metrics_query *q, int64_t last_day,
                        int64_t *week_comments, struct err *err)
{
    struct emerging_series *s = NULL;
    struct emerging_test *tests = NULL;
    struct emerging_opts eo = EMERGING_OPTS_INIT;
    struct metrics_query w;
    struct field day;
    struct flag *flags = NULL;
    int64_t *mentions = NULL, comments[WEEKS] = {0};
    int rc;

    metrics_query_copy(&w, q);
    metrics_query_days(&w, last_day - SPAN_DAYS + 1, last_day);
    if ((rc = field_parse(&day, "day", 3, FIELD_RESPONSES, err)) < 0 ||
        (rc = emerging_series_build(&s, cs, &w, &day, err)) < 0)
        goto done;
    size_t nt = s->n_themes;
    mentions = xcalloc(nt * WEEKS + 1, sizeof *mentions);
    tests = xcalloc(nt * WEEKS + 1, sizeof *tests);
    flags = xcalloc(nt + 1, sizeof *flags);
    for (size_t t = 0; t < s->n_periods; t++) {
        int64_t back = last_day - s->period_key[t];
        if (back < 0 || back >= SPAN_DAYS)
            continue;
        size_t k = WEEKS - 1 - (size_t)(back / 7);
        comments[k] += s->comments[t];
        for (size_t j = 0; j < nt; j++)
            mentions[j * WEEKS + k] += s->mentions[j * s->n_periods + t];
    }
    *week_comments = comments[WEEKS - 1];
    emerging_run(tests, mentions, comments, nt, WEEKS, &eo);
    size_t n_flags = 0;
    for (size_t j = 0; j < nt; j++) {
        const struct emerging_test *e = &tests[j * WEEKS + WEEKS - 1];
        if (e->flagged)
            flags[n_flags++] = (struct flag){j, e->p_holm};
    }
    if (n_flags > 1)
        qsort(flags, n_flags, sizeof *flags, by_p);

    struct result_table *t = result_table_new(
        res, "emerging",
        "Emerging themes: share of the week's comments above the 6 weeks "
        "before");
    result_table_empty(t, "(no theme rose beyond its usual variation)");
    result_col(t, "theme", "theme", RESULT_TEXT, 0, 0);
    result_col(t, "mentions", "mentions", RESULT_INTEGER, 0, 0);
    result_col(t, "comments", "comments", RESULT_INTEGER, 0, 0);
    result_col(t, "share_pct", "share %", RESULT_NUMBER, 1, 0);
    result_col(t, "baseline_pct", "baseline %", RESULT_NUMBER, 1, 0);
    result_col(t, "baseline_weeks", "baseline weeks", RESULT_INTEGER, 0,
               RESULT_FOR_PROGRAMS);
    result_col(t, "p", "p", RESULT_NUMBER, 2, RESULT_DIGITS);
    result_col(t, "p_holm", "p (Holm)", RESULT_NUMBER, 2, RESULT_DIGITS);
    for (size_t i = 0; i < n_flags; i++) {
        const struct emerging_test *e =
            &tests[flags[i].theme * WEEKS + WEEKS - 1];
        result_row(t);
        result_add_text(t, colstore_label(cs, DIM_THEME, (int)flags[i].theme));
        result_add_int(t, e->count);
        result_add_int(t, e->n);
        result_add_num(t, 100 * e->share);
        result_add_num(t, 100 * e->base_share);
        result_add_int(t, e->base_periods);
        result_add_num(t, e->p);
        result_add_num(t, e->p_holm);
    }
    result_method(res,
                  "Emerging themes: for each theme, its mentions among the "
                  "week's analysed comments against the up to %d weeks "
                  "before (at least %d with comments); flagged when both "
                  "the exact conditional binomial test and the "
                  "quasi-binomial t test reject, Holm-adjusted over the "
                  "themes at alpha %g, with at least %d mentions "
                  "(docs/text-analytics.md, \"Emerging issues\"). Weeks "
                  "are the 7 days ending the digest's last day.",
                  eo.window, eo.min_window, eo.alpha, eo.min_count);
    rc = 0;
done:
    free(flags);
    free(tests);
    free(mentions);
    emerging_series_free(s);
    metrics_query_dispose(&w);
    return rc;
}

int digest_build(struct result **out, const struct colstore *cs,
                 const struct metrics_query *base, int64_t last_day,
                 struct err *err)
{
    struct metrics_query q;
    struct metrics_result *cur = NULL, *prev = NULL;
    struct result *res = NULL;
    int64_t comments = 0;
    char from[16], to[16], week[40];
    int rc;

    *out = NULL;
    if (base)
        metrics_query_copy(&q, base);
    else
        metrics_query_init(&q, FIELD_RESPONSES);
    q.ctx = FIELD_RESPONSES;
    q.n_by = 0;
    q.keep_empty = 0;
    if ((rc = metrics_query_metrics(&q, "nps,csat,ces", err)) < 0 ||
        (rc = week_run(&cur, cs, &q, last_day - 6, last_day, err)) < 0 ||
        (rc = week_run(&prev, cs, &q, last_day - 13, last_day - 7, err)) < 0)
        goto done;
    res = result_new();
    day_text(from, sizeof from, last_day - 6);
    day_text(to, sizeof to, last_day);
    snprintf(week, sizeof week, "%s..%s", from, to);
    result_meta_text(res, "from", NULL, from);
    result_meta_text(res, "to", NULL, to);
    result_meta_text(res, "week", "week", week);
    result_meta_int(res, "responses", "responses", cur->rows);
    result_meta_int(res, "previous_responses", "responses the week before",
                    prev->rows);
    result_set_min_n(res, cur->min_n);
    add_headline(res, prev, cur);
    if ((rc = add_emerging(res, cs, &q, last_day, &comments, err)) < 0)
        goto done;
    result_meta_int(res, "comments", NULL, comments);
    result_note(res, "Changes are this week minus the week before, in points "
                     "for NPS and shares; p is two-sided. A change is called "
                     "significant only when both weeks reach the minimum n "
                     "and its SE is above zero.");
    result_method(res, "NPS: z test with the trinomial variances of both "
                       "weeks; shares (CSAT 4-5, CES 5-7): z test with the "
                       "unpooled SE. The weeks are taken as independent "
                       "samples (docs/metrics.md).");
    *out = res;
    res = NULL;
done:
    result_free(res);
    metrics_result_free(cur);
    metrics_result_free(prev);
    metrics_query_dispose(&q);
    return rc;
}

int digest_email(struct strbuf *subject, struct strbuf *text,
                 const struct result *r, int swedish)
{
    struct err err = ERR_INIT;
    const char *from = result_meta_get_text(r, "from");
    const char *to = result_meta_get_text(r, "to");
    int rc;
    /* U+2013, an en dash, between the dates */
    if ((rc = strbuf_printf(subject, "%s %s\xe2\x80\x93%s",
                            swedish ? "Resonans veckorapport"
                                    : "Resonans weekly digest",
                            from ? from : "?", to ? to : "?")) < 0 ||
        (rc = strbuf_puts(
             text, swedish ? "Veckans nyckeltal mot veckan f\xc3\xb6re, med "
                             "95 % konfidensintervall, och teman som "
                             "v\xc3\xa4xer.\n\n"
                           : "This week's headline figures against the week "
                             "before, with 95% confidence intervals, and "
                             "emerging themes.\n\n")) < 0)
        return rc;
    return result_render(text, r, RESULT_FORMAT_TABLE, &err);
}

/* Floor division for the local day of an instant before 1970. */
static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return q - ((a % b != 0) && ((a < 0) != (b < 0)));
}

/* The instant of hour o'clock on local day d in tz. */
static int64_t local_instant(const struct tz *tz, int64_t d, int hour)
{
    int64_t local = d * DAY_S + (int64_t)hour * 3600, utc = local;
    int off = 0;
    struct err e = ERR_INIT;
    if (tz)
        tz_local_to_utc(tz, local, &utc, &off, &e);
    return utc;
}

int64_t digest_due(int64_t now, const struct tz *tz, int weekday, int hour,
                   int64_t last_queued)
{
    int64_t today = floor_div(now + (tz ? tz_offset(tz, now) : 0), DAY_S);
    /* 1970-01-01 was a Thursday: day 0 has weekday 3 (Monday 0) */
    int64_t wd = ((today + 3) % 7 + 7) % 7;
    int64_t d = today - ((wd - weekday + 7) % 7);
    int64_t slot = local_instant(tz, d, hour);
    if (slot > now)
        slot = local_instant(tz, d - 7, hour);
    return last_queued < slot ? slot : 0;
}

int64_t digest_week_ending(int64_t slot, const struct tz *tz)
{
    return floor_div(slot + (tz ? tz_offset(tz, slot) : 0), DAY_S) - 1;
}
