/* What to fix first (docs/web.md): the
 * importance-performance matrix of the drivers of an outcome and the
 * list ranked by expected improvement, the analysis of `resonans
 * priorities` (analysis/drivers.h, report/drivers_report.h) run here on
 * the server's column store with the CLI's defaults (DRIVERS_BOOT
 * resamples, seed 1, min n 30), so the figures are those of GET
 * /api/analyses/priorities for the same filters and options.
 *
 * URL: the views' filters (?from=&to=&where=&lang=) and ?outcome= (nps),
 * ?drivers= (a comma list as --drivers; empty: the rating questions
 * answered in the view, else the comments' themes), ?target_by=
 * (segment); ?format=csv answers the ranked table. Without a period, the
 * last 12 months with answers, as the overview. A touchpoint owner's
 * analysis runs over their touchpoints only. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/drivers.h"
#include "colstore/colstore.h"
#include "core/err.h"
#include "core/escape.h"
#include "core/strbuf.h"
#include "core/tstamp.h"
#include "core/xalloc.h"
#include "query/field.h"
#include "query/prepare.h"
#include "report/drivers_report.h"
#include "report/result.h"
#include "server/pages_int.h"
#include "server/resident.h"
#include "server/server_int.h"
#include "stats/metrics.h"
#include "store/model.h"
#include "store/store.h"
#include "web/chart.h"
#include "web/chart_matrix.h"

#define TREND_MONTHS 12 /* without a period: the last months with answers */
#define ARG_MAX 2000    /* longest outcome, drivers or target_by taken */
#define DEFAULT_MAX 12  /* most rating questions chosen by default */
/* most rating questions looked at: each becomes a column kept in memory */
#define RATING_KEYS 32

/* The request's analysis: its arguments and what came of them. */
struct prio {
    struct call *c;
    enum web_lang lang;
    struct page_view v;
    const char *outcome, *drivers, *target_by; /* as given (may be NULL) */
    char from_text[16]; /* the default period's first day, or "" */
    struct strbuf used; /* the drivers analysed */
    int chosen;         /* 0 given, 1 default ratings, 2 default themes */
    struct drivers_result *res;
    struct result *out;
    int failed;      /* the analysis could not run: err says why */
    int bad_request; /* ... because of the arguments */
    struct err err;
};

/* A URL argument, NULL when absent or empty. */
static const char *arg(struct call *c, const char *name)
{
    const char *v = http_arg(c->req, name);
    return v && *v ? v : NULL;
}

/* ---- the drivers chosen when none are given ---- */

/* The score column that says which rows have the outcome (-1: none),
 * or NULL for an outcome that is not a fixed score (every row counts). */
static const int8_t *outcome_column(const struct colstore_columns *cols,
                                    const char *outcome)
{
    if (!strcmp(outcome, "nps") || !strcmp(outcome, "promoter") ||
        !strcmp(outcome, "detractor"))
        return cols->nps;
    if (!strcmp(outcome, "csat"))
        return cols->csat;
    if (!strcmp(outcome, "ces"))
        return cols->ces;
    return NULL;
}

struct candidate {
    const char *key;
    const double *num;
    size_t count; /* rows of the view answering it */
    size_t order; /* as the store lists it */
};

static int candidate_cmp(const void *a, const void *b)
{
    const struct candidate *x = a, *y = b;
    if (x->count != y->count)
        return x->count < y->count ? 1 : -1;
    return x->order < y->order ? -1 : x->order > y->order;
}

/* A question key that reads back as one driver of a comma list. */
static int plain_key(const char *k)
{
    return *k && !strpbrk(k, ",=;\"") && strlen(k) < 200;
}

/* The field rating:KEY of a key that reads back as one driver of a
 * comma list; -1 for another. */
static int rating_field(struct field *f, const char *key)
{
    struct err ignored = ERR_INIT;
    char name[FIELD_MAX_NAME];
    if (!plain_key(key))
        return -1;
    snprintf(name, sizeof name, "rating:%s", key);
    return field_parse(f, name, strlen(name), FIELD_RESPONSES, &ignored) < 0
               ? -1
               : 0;
}

static int on_key(void *ctx, int64_t response_id, const struct answer *a)
{
    (void)response_id;
    query_keys_add(ctx, a->question, strlen(a->question));
    return 0;
}

/* The rating questions answered in the view's rows (mask, with the
 * outcome), most answered first, each kept while the rows answering all
 * kept so far stay at least half of those before and at least min_n,
 * and while it varies there: a battery asked together. Questions asked
 * at other touchpoints would leave no complete response (the analysis
 * is listwise), so they are left out rather than failing it. */
static int default_ratings(struct strbuf *out, struct colstore *cs,
                           struct store *s, const uint8_t *mask,
                           const int8_t *has_outcome, int min_n,
                           struct err *err)
{
    struct query_keys keys = {NULL, 0, 0, RATING_KEYS, 0};
    struct candidate *cand = NULL;
    uint8_t *have = NULL;
    size_t rows = colstore_rows(cs), n = 0, kept = 0, have_n = 0;
    size_t need = min_n > 0 ? (size_t)min_n : 30;
    struct colstore_columns cols;
    size_t first = rows;
    int rc = 0;
    have = xmalloc(rows + 1);
    for (size_t i = 0; i < rows; i++) {
        have[i] = mask[i] && (!has_outcome || has_outcome[i] >= 0);
        if (have[i] && first == rows)
            first = i;
    }
    if (first == rows)
        goto done;
    /* the questions of the view's responses: ids grow with the rows, so
     * the answers from its first response on (a period reads less) */
    colstore_columns(cs, &cols);
    if ((rc = store_scan_answers_after(s, 1u << ANSWER_RATING,
                                       cols.id[first] - 1, on_key, &keys,
                                       err)) < 0 ||
        !keys.n)
        goto done;
    cand = xcalloc(keys.n, sizeof *cand);
    /* load them all first: loading may move what a view points at */
    for (size_t k = 0; k < keys.n; k++) {
        struct field f;
        if (rating_field(&f, keys.v[k]) == 0 &&
            (rc = query_prepare_field(cs, s, &f, FIELD_RESPONSES, err)) < 0)
            goto done;
    }
    for (size_t k = 0; k < keys.n; k++) {
        struct field f;
        if (rating_field(&f, keys.v[k]) < 0)
            continue;
        int col = colstore_col_find(cs, COLSTORE_RESPONSES, f.name);
        if (col < 0)
            continue;
        struct colstore_colview view;
        colstore_col_view(cs, COLSTORE_RESPONSES, col, &view);
        if (view.kind != COLSTORE_NUM || !view.num || view.rows < rows)
            continue;
        size_t count = 0;
        for (size_t i = 0; i < rows; i++)
            count += have[i] && !isnan(view.num[i]);
        if (count >= need)
            cand[n++] = (struct candidate){keys.v[k], view.num, count, k};
    }
    qsort(cand, n, sizeof *cand, candidate_cmp);
    for (size_t i = 0; i < rows; i++)
        have_n += have[i];
    for (size_t k = 0; k < n && kept < DEFAULT_MAX; k++) {
        size_t both = 0;
        double lo = INFINITY, hi = -INFINITY;
        for (size_t i = 0; i < rows; i++)
            if (have[i] && !isnan(cand[k].num[i])) {
                both++;
                lo = fmin(lo, cand[k].num[i]);
                hi = fmax(hi, cand[k].num[i]);
            }
        if (both < need || (kept && 2 * both < have_n) || !(hi > lo))
            continue;
        for (size_t i = 0; i < rows; i++)
            have[i] = have[i] && !isnan(cand[k].num[i]);
        have_n = both;
        strbuf_printf(out, "%srating:%s", kept ? "," : "", cand[k].key);
        kept++;
    }
done:
    free(have);
    free(cand);
    query_keys_dispose(&keys);
    return rc;
}

/* The drivers of the request: as given, else the default ratings, else
 * "themes". */
static int choose_drivers(struct prio *p, struct colstore *cs, struct store *s,
                          const struct metrics_query *q)
{
    uint8_t *mask = NULL;
    struct colstore_columns cols;
    int rc;
    if (p->drivers) {
        strbuf_puts(&p->used, p->drivers);
        return 0;
    }
    if ((rc = metrics_filter_rows(&mask, cs, q, &p->err)) < 0)
        return rc;
    colstore_columns(cs, &cols);
    rc = default_ratings(&p->used, cs, s, mask,
                         outcome_column(&cols, p->outcome), q->min_n, &p->err);
    free(mask);
    if (rc == 0) {
        p->chosen = p->used.n ? 1 : 2;
        if (!p->used.n)
            strbuf_puts(&p->used, "themes");
    }
    return rc;
}

/* ---- the analysis ---- */

/* The view's rows as the CLI's --where, --from, --to give them (and an
 * owner's touchpoints, as the API adds them); fields loaded. */
static int view_query(struct prio *p, struct colstore *cs, struct store *s,
                      struct metrics_query *q)
{
    struct page_prep pp = {cs, s, &p->err};
    const struct principal *who = p->c->p;
    int rc = 0;
    if (p->v.where && *p->v.where)
        rc = metrics_query_where(q, p->v.where, &p->err);
    if (rc == 0 && who->role == ROLE_OWNER)
        rc = metrics_query_where_values(q, "touchpoint",
                                        (const char *const *)who->touchpoints,
                                        (size_t)who->n_touchpoints, &p->err);
    metrics_query_days(q, p->v.from_day, p->v.to_day);
    if (rc == 0)
        rc = metrics_query_fields(q, page_prepare_field, &pp);
    return rc;
}

/* Without a period: from the first of the last TREND_MONTHS months with
 * answers in the view, as the overview (page_default_from). */
static int default_period(struct prio *p, struct colstore *cs, struct store *s)
{
    struct metrics_result *months = NULL;
    if (p->v.from)
        return 0;
    int rc = page_figures(p->c, cs, s, &p->v, NULL, "month", &months, &p->err);
    if (rc == 0 && months && months->n_cells) {
        page_default_from(&p->v, TREND_MONTHS, months);
        int y;
        unsigned mo, d;
        tstamp_civil_from_days(p->v.from_day, &y, &mo, &d);
        snprintf(p->from_text, sizeof p->from_text, "%04d-%02u-%02u", y, mo, d);
    }
    metrics_result_free(months);
    return rc;
}

/* 1 for an error the request's arguments or its data caused (said on
 * the page), 0 for a failure of the server (the store). */
static int said(const struct err *err)
{
    return err->code == ERR_INVALID || err->code == ERR_NOTFOUND;
}

/* The field of ?target_by=, an error naming the argument. */
static int target_field(struct field *by, const char *s, struct err *err)
{
    struct err e = ERR_INIT;
    int rc = field_parse(by, s, strlen(s), FIELD_RESPONSES, &e);
    if (rc < 0)
        err_set(err, e.code, "target_by: %s", e.msg);
    return rc;
}

/* Runs what `resonans priorities` runs (cli/cmd_drivers.c) with the
 * CLI's defaults. An error of the arguments or of the data leaves
 * p->failed set (and p->bad_request for the arguments) with the message
 * in p->err; other errors return < 0. */
static int analyse(struct prio *p, struct colstore *cs, struct store *s)
{
    struct metrics_query q;
    struct drivers_spec *spec = NULL;
    struct page_prep pp = {cs, s, &p->err};
    struct field by;
    int rc, args = 1; /* an error now is the arguments' */
    metrics_query_init(&q, FIELD_RESPONSES);
    if ((rc = target_field(&by, p->target_by, &p->err)) < 0 ||
        (rc = default_period(p, cs, s)) < 0 ||
        (rc = view_query(p, cs, s, &q)) < 0 ||
        (rc = choose_drivers(p, cs, s, &q)) < 0 ||
        (rc = drivers_spec_new(&spec, p->outcome, strbuf_str(&p->used),
                               &p->err)) < 0 ||
        (rc = drivers_spec_fields(spec, page_prepare_field, &pp)) < 0 ||
        (rc = page_prepare_field(&pp, &by)) < 0)
        goto done;
    /* from here on the data decides, but for a field the data lacks */
    args = 0;
    struct drivers_opts o = DRIVERS_OPTS_INIT;
    o.filter = &q;
    o.boot = DRIVERS_BOOT;
    o.seed = 1;
    o.min_n = q.min_n;
    struct drivers_target tg = {&by, 0, NAN};
    if ((rc = drivers_run(&p->res, cs, spec, &o, &p->err)) < 0 ||
        (rc = drivers_prioritize(p->res, cs, &tg, &p->err)) < 0)
        goto done;
    p->out = drivers_report_priorities(p->res);
done:
    if (rc < 0 && said(&p->err)) {
        p->failed = 1;
        p->bad_request = args || p->err.code == ERR_NOTFOUND;
        rc = 0;
    }
    drivers_spec_free(spec);
    metrics_query_dispose(&q);
    return rc;
}

/* ---- the page ---- */

/* A text input of the form, with its label (and its help's id). */
static void input(struct strbuf *b, const char *id, const char *label,
                  const char *value, const char *extra)
{
    strbuf_printf(b, "<p><label for=\"%s\">", id);
    page_text(b, label);
    strbuf_printf(b, "</label> <input id=\"%s\" name=\"%s\"%s value=\"", id, id,
                  extra);
    page_text(b, value);
    strbuf_puts(b, "\">");
}

/* The views' filters and the analysis' options in one form, so that
 * applying either keeps the other (page_filter_form's fields, the same
 * ids and words, and three of our own). */
static void form(struct strbuf *b, const struct prio *p)
{
    enum web_lang lang = p->lang;
    strbuf_puts(b, "<form class=\"filters prio-form\" method=\"get\" "
                   "action=\"/app/priorities\">\n");
    input(b, "from", web_t(lang, "from"), p->v.from, " type=\"date\"");
    strbuf_puts(b, "</p>\n");
    input(b, "to", web_t(lang, "to"), p->v.to, " type=\"date\"");
    strbuf_puts(b, "</p>\n");
    input(b, "where", web_t(lang, "filter"), p->v.where,
          " placeholder=\"channel=app\"");
    strbuf_puts(b, "</p>\n");
    input(b, "outcome", web_t(lang, "priorities_outcome"), p->outcome,
          " list=\"prio-outcomes\"");
    strbuf_puts(b, "\n<datalist id=\"prio-outcomes\"><option value=\"nps\">"
                   "<option value=\"promoter\"><option value=\"detractor\">"
                   "<option value=\"csat\"><option value=\"ces\">"
                   "</datalist></p>\n");
    strbuf_puts(b, "<p class=\"prio-drivers\"><label for=\"drivers\">");
    page_text(b, web_t(lang, "priorities_drivers"));
    strbuf_puts(b, "</label> <input id=\"drivers\" name=\"drivers\" "
                   "aria-describedby=\"drivers-help\" value=\"");
    page_text(b, p->drivers);
    strbuf_puts(b, "\"> <span class=\"help\" id=\"drivers-help\">");
    page_text(b, web_t(lang, "priorities_drivers_help"));
    strbuf_puts(b, "</span></p>\n");
    input(b, "target_by", web_t(lang, "priorities_target_by"), p->target_by,
          " list=\"prio-targets\"");
    strbuf_puts(b, "\n<datalist id=\"prio-targets\"><option value=\"segment\">"
                   "<option value=\"touchpoint\"><option value=\"channel\">"
                   "<option value=\"stage\"></datalist></p>\n");
    if (lang == WEB_EN)
        strbuf_puts(b, "<input type=\"hidden\" name=\"lang\" value=\"en\">\n");
    strbuf_printf(b, "<p><button type=\"submit\">%s</button></p>\n</form>\n",
                  web_t(lang, "apply_filters"));
}

/* "?name=value", then "&name=value" (URL-escaped), when value is
 * given; *sep is the next separator. */
static void query_arg(struct strbuf *u, char *sep, const char *name,
                      const char *value)
{
    if (!value || !*value)
        return;
    strbuf_printf(u, "%c%s=", *sep, name);
    escape_url(u, value);
    *sep = '&';
}

/* The CSV of the page, and the API's request for the same figures
 * (when there are figures). */
static void exports(struct strbuf *b, const struct prio *p)
{
    struct strbuf u = STRBUF_INIT;
    char sep = '?';
    if (!p->out)
        return;
    strbuf_puts(&u, "/app/priorities");
    query_arg(&u, &sep, "from", p->v.from);
    query_arg(&u, &sep, "to", p->v.to);
    query_arg(&u, &sep, "where", p->v.where);
    query_arg(&u, &sep, "outcome", p->outcome);
    query_arg(&u, &sep, "drivers", p->drivers);
    query_arg(&u, &sep, "target_by", p->target_by);
    if (p->lang == WEB_EN)
        query_arg(&u, &sep, "lang", "en");
    query_arg(&u, &sep, "format", "csv");
    strbuf_puts(b, "<p class=\"exports\"><a class=\"export\" href=\"");
    page_text(b, strbuf_str(&u));
    strbuf_printf(b, "\" download>%s</a>", web_t(p->lang, "export_csv"));
    strbuf_dispose(&u);
    strbuf_init(&u, 0);
    sep = '?';
    strbuf_puts(&u, "/api/analyses/priorities");
    query_arg(&u, &sep, "outcome", p->outcome);
    query_arg(&u, &sep, "drivers", strbuf_str(&p->used));
    query_arg(&u, &sep, "target-by", p->target_by);
    query_arg(&u, &sep, "where", p->v.where);
    query_arg(&u, &sep, "from", p->v.from ? p->v.from : p->from_text);
    query_arg(&u, &sep, "to", p->v.to);
    strbuf_puts(b, " <a class=\"api\" href=\"");
    page_text(b, strbuf_str(&u));
    strbuf_printf(b, "\">%s</a>", web_t(p->lang, "priorities_api"));
    strbuf_dispose(&u);
    strbuf_puts(b, "</p>\n");
}

static const char *quadrant_word(enum web_lang lang, enum drivers_quadrant q)
{
    static const char *const key[] = {
        "priorities_q_fix_first", "priorities_q_keep_it_up",
        "priorities_q_maintain", "priorities_q_overinvested",
        "priorities_q_none"};
    return web_t(lang, key[q <= DQ_NONE ? q : DQ_NONE]);
}

/* The plot's name of a driver: without its "rating:" or "theme:". */
static const char *short_name(const char *name)
{
    if (!strncmp(name, "rating:", 7))
        return name + 7;
    if (!strncmp(name, "theme:", 6))
        return name + 6;
    return name;
}

/* Ranked as the list: by expected improvement, those without a rank
 * last, then by importance. */
struct ranked {
    const struct drivers_driver *d;
};

static int rank_cmp(const void *a, const void *b)
{
    const struct drivers_driver *x = ((const struct ranked *)a)->d;
    const struct drivers_driver *y = ((const struct ranked *)b)->d;
    if ((x->prio_rank > 0) != (y->prio_rank > 0))
        return x->prio_rank > 0 ? -1 : 1;
    if (x->prio_rank != y->prio_rank)
        return x->prio_rank < y->prio_rank ? -1 : 1;
    return x->lmg > y->lmg ? -1 : x->lmg < y->lmg;
}

/* The matrix: importance (LMG share, %) with its CI against
 * performance (0..100), the quadrant lines of the result. */
static void matrix(struct strbuf *b, const struct prio *p)
{
    const struct drivers_result *r = p->res;
    enum web_lang lang = p->lang;
    struct ranked *idx = xcalloc(r->k + 1, sizeof *idx);
    struct chart_matrix_point *pts = xcalloc(r->k + 1, sizeof *pts);
    for (size_t i = 0; i < r->k; i++)
        idx[i].d = &r->d[i];
    qsort(idx, r->k, sizeof *idx, rank_cmp);
    for (size_t o = 0; o < r->k; o++) {
        const struct drivers_driver *d = idx[o].d;
        pts[o] = (struct chart_matrix_point){d->name,
                                             short_name(d->name),
                                             100 * d->lmg,
                                             100 * d->lmg_lo,
                                             100 * d->lmg_hi,
                                             100 * d->perf,
                                             quadrant_word(lang, d->quadrant),
                                             (int64_t)r->n,
                                             (int64_t)r->n < r->min_n};
    }
    struct chart_matrix m = {"prio-matrix",
                             web_t(lang, "priorities_matrix_title"),
                             NULL,
                             web_t(lang, "priorities_importance"),
                             web_t(lang, "priorities_performance"),
                             web_t(lang, "priorities_driver"),
                             web_t(lang, "priorities_quadrant"),
                             pts,
                             r->k,
                             100 * r->imp_mean,
                             100 * r->perf_mean,
                             NAN,
                             0,
                             100,
                             1,
                             0,
                             {quadrant_word(lang, DQ_OVERINVESTED),
                              quadrant_word(lang, DQ_KEEP_IT_UP),
                              quadrant_word(lang, DQ_MAINTAIN),
                              quadrant_word(lang, DQ_FIX_FIRST)}};
    chart_matrix_svg(b, lang, &m);
    free(pts);
    free(idx);
}

/* What was analysed: the drivers (and why those), the period, the
 * owner's restriction, n and R^2 with its CI. */
static void about(struct strbuf *b, const struct prio *p)
{
    enum web_lang lang = p->lang;
    strbuf_puts(b, "<p class=\"prio-used\">");
    page_text(b, web_t(lang, "priorities_used"));
    strbuf_puts(b, " <code>");
    page_text(b, strbuf_str(&p->used));
    strbuf_puts(b, "</code>, ");
    page_text(b, web_t(lang, p->chosen == 1   ? "priorities_used_default"
                             : p->chosen == 2 ? "priorities_used_themes"
                                              : "priorities_given"));
    strbuf_puts(b, "</p>\n");
    if (p->from_text[0])
        strbuf_printf(b, "<p class=\"note\">%s %s.</p>\n",
                      web_t(lang, "priorities_default_period"), p->from_text);
    if (p->c->p->role == ROLE_OWNER) {
        strbuf_puts(b, "<p class=\"note\">");
        page_text(b, web_t(lang, "priorities_owner_note"));
        strbuf_puts(b, "</p>\n");
    }
}

static void fit_line(struct strbuf *b, const struct prio *p)
{
    const struct drivers_result *r = p->res;
    enum web_lang lang = p->lang;
    strbuf_puts(b, "<dl class=\"cards prio-cards\">\n<div class=\"card\"><dt>");
    page_text(b, web_t(lang, "priorities_outcome"));
    strbuf_puts(b, "</dt><dd><span class=\"value\">");
    page_text(b, r->outcome);
    strbuf_printf(b, "</span> <span class=\"n\">n = ");
    web_number(b, lang, (double)r->n, 0, 0);
    strbuf_printf(b, "%s %s</span></dd></div>\n",
                  (int64_t)r->n < r->min_n ? "*" : "",
                  web_t(lang, "priorities_n_used"));
    strbuf_puts(b, "<div class=\"card\"><dt>");
    page_text(b, web_t(lang, "priorities_fit"));
    strbuf_puts(b, " (R²)</dt><dd><span class=\"value\">");
    web_number(b, lang, 100 * r->r2, 1, 0);
    strbuf_puts(b, " %</span>");
    if (isfinite(r->r2_lo) && isfinite(r->r2_hi)) {
        strbuf_printf(b, " <span class=\"ci\">%s ", web_t(lang, "ci95"));
        web_number(b, lang, 100 * r->r2_lo, 1, 0);
        strbuf_puts(b, lang == WEB_SV ? "; " : ", ");
        web_number(b, lang, 100 * r->r2_hi, 1, 0);
        strbuf_puts(b, "</span>");
    }
    strbuf_puts(b, "</dd></div>\n</dl>\n");
}

static enum http_verdict render(struct prio *p)
{
    struct strbuf b = STRBUF_INIT;
    struct err err = ERR_INIT;
    enum web_lang lang = p->lang;
    const char *title = web_t(lang, "priorities_title");
    page_frame_begin(p->c, &b, title, "/app/priorities");
    page_h1(&b, title);
    form(&b, p);
    exports(&b, p);
    if (p->failed) {
        strbuf_puts(&b, "<div class=\"prio-failed\" role=\"alert\"><p>");
        page_text(&b, web_t(lang, p->bad_request ? "priorities_bad"
                                                 : "priorities_cannot"));
        strbuf_puts(&b, "</p>\n<p>");
        page_text(&b, web_t(lang, "priorities_reason"));
        strbuf_puts(&b, " ");
        page_text(&b, p->err.msg);
        strbuf_puts(&b, "</p></div>\n");
        if (p->used.n)
            about(&b, p);
        return page_send(p->c, p->bad_request ? 400 : 200, &b);
    }
    about(&b, p);
    fit_line(&b, p);

    page_section(&b, "h-matrix", web_t(lang, "priorities_matrix"));
    strbuf_puts(&b, "<p class=\"note\">");
    page_text(&b, web_t(lang, "priorities_matrix_help"));
    strbuf_puts(&b, "</p>\n");
    matrix(&b, p);
    strbuf_puts(&b, "</section>\n");

    page_section(&b, "h-ranked", web_t(lang, "priorities_ranked"));
    strbuf_puts(&b, "<p class=\"note\">");
    page_text(&b, web_t(lang, "priorities_ranked_help"));
    strbuf_puts(&b, "</p>\n");
    strbuf_puts(&b, "<div class=\"prio-ranked\">\n");
    result_render_with(
        &b, p->out, RESULT_FORMAT_HTML,
        RESULT_RENDER_METHOD | (lang == WEB_SV ? RESULT_RENDER_SV : 0), &err);
    strbuf_puts(&b, "</div>\n</section>\n");
    return page_send(p->c, 200, &b);
}

/* An argument too long to be meant: 400. */
static int too_long(struct call *c, const char *name, const char *v)
{
    if (!v || strlen(v) <= ARG_MAX)
        return 0;
    struct err err = ERR_INIT;
    err_set(&err, ERR_INVALID, "%s: longer than %d characters", name, ARG_MAX);
    page_fail(c, &err);
    return 1;
}

enum http_verdict page_priorities(struct call *c)
{
    struct prio p;
    int csv;
    memset(&p, 0, sizeof p);
    p.c = c;
    p.lang = page_lang(c);
    strbuf_init(&p.used, 0);
    if (page_view_args(c, &p.v, &csv) < 0)
        return HTTP_DONE;
    p.outcome = arg(c, "outcome");
    p.drivers = arg(c, "drivers");
    p.target_by = arg(c, "target_by");
    if (too_long(c, "outcome", p.outcome) ||
        too_long(c, "drivers", p.drivers) ||
        too_long(c, "target_by", p.target_by))
        return HTTP_DONE;
    if (!p.outcome)
        p.outcome = "nps";
    if (!p.target_by)
        p.target_by = "segment";
    struct store *s = srv_reader(c);
    if (!s)
        return HTTP_DONE;
    struct colstore *cs = resident_lock(c->srv->res);
    int rc = analyse(&p, cs, s);
    resident_unlock(c->srv->res);

    enum http_verdict v;
    if (rc < 0 || (csv && p.failed))
        v = page_fail(c, &p.err);
    else if (csv)
        v = page_send_csv(c, p.out, "priorities");
    else
        v = render(&p);
    result_free(p.out);
    drivers_result_free(p.res);
    strbuf_dispose(&p.used);
    return v;
}
