/* The journey map page (docs/web.md): GET /app/journey[?journey=KEY]
 * draws one journey's map (the emotional curve of NPS by stage with its
 * CI, drop-off, touchpoints with their marks, themes and a comment per
 * stage) with the journey map's own builder and SVG renderer
 * (report/journey_map_build.h, report/journey_map.h), in the app's frame,
 * for the period and filter of the URL (?from=&to=&where=, as on the
 * overview), followed by the map's result tables as its text
 * alternative. Several journeys: a list of links, the first by default.
 *
 * What is counted, and why it differs from `resonans journey map`:
 *   - the answers (curve, touchpoints, themes, comments) pass the period,
 *     the filter and the journey, so the stages' NPS is the overview's
 *     and /api/analyses/metrics?by=stage's for the same filters;
 *   - the drop-off is the customers' events through the stages in the
 *     period, and through the filter when the filter applies to events
 *     (else it is left out, and the page says so);
 *   - a touchpoint owner sees the map restricted: the answers of their
 *     touchpoints only, only their touchpoints drawn, no drop-off (it
 *     follows customers through every touchpoint). Stages stay, so they
 *     see where their touchpoints sit. Pain points are then relative to
 *     the NPS over their own answers.
 * The process map and the variants of the CLI's HTML page are left out:
 * this page is the map. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "colstore/colstore.h"
#include "core/err.h"
#include "core/escape.h"
#include "core/strbuf.h"
#include "core/tstamp.h"
#include "core/xalloc.h"
#include "journey/cases.h"
#include "journey/experience.h"
#include "journey/funnel.h"
#include "journey/moments.h"
#include "query/prepare.h"
#include "report/journey_map.h"
#include "report/journey_map_build.h"
#include "report/result.h"
#include "server/pages_int.h"
#include "server/resident.h"
#include "server/server_int.h"
#include "stats/metrics.h"
#include "store/model.h"
#include "store/store.h"

#define DEFAULT_MONTHS 12
/* The map is drawn at most this wide: main's content box at 1280 px
 * (web/app.css: 72rem less its padding, less the scroller's border), so
 * a 1280 px window shows the whole map; a narrower one scrolls it. */
#define MAP_MAX_W 1116.0

/* The filters of the URL, as given (for the form and links) and as
 * days. */
struct view {
    const char *from, *to, *where, *journey;
    int64_t from_day, to_day;
    int default_from; /* from_day is the default period's start */
};

/* Everything one request builds, freed in one place (jp_dispose). */
struct jp {
    struct call *c;
    enum web_lang lang;
    struct view v;
    struct colstore *cs;
    struct store *s;
    int *journeys; /* the journeys the caller may see, in display order */
    size_t n_journeys;
    int j; /* the one shown (a code) */
    struct metrics_query rq;
    uint8_t *rmask, *pmask;
    struct journey_experience *x;
    struct journey_experience sub; /* x restricted to journey j (and an
                                      owner's touchpoints) */
    struct journey_cases *cases;
    struct journey_funnel fun;
    int have_funnel, drop_off_filtered_out;
    struct journey_moments *mom;
    char **quote; /* [sub.n_st] */
    struct journey_map_doc *doc;
    struct result *res;
};

static void jp_dispose(struct jp *p)
{
    result_free(p->res);
    journey_map_doc_free(p->doc);
    for (size_t i = 0; p->quote && i < p->sub.n_st; i++)
        free(p->quote[i]);
    free(p->quote);
    journey_moments_free(p->mom);
    journey_cases_free(p->cases);
    free(p->sub.st);
    free(p->sub.tp);
    journey_experience_free(p->x);
    free(p->rmask);
    free(p->pmask);
    metrics_query_dispose(&p->rq);
    free(p->journeys);
}

/* ---- the query ---- */

struct prep {
    struct colstore *cs;
    struct store *s;
    enum field_context ctx;
    struct err *err;
};

static int prep_field(void *ctx, const struct field *f)
{
    struct prep *p = ctx;
    return query_prepare_field(p->cs, p->s, f, p->ctx, p->err);
}

static int prepare(struct jp *p, const struct metrics_query *q,
                   enum field_context ctx, struct err *err)
{
    struct prep pr = {p->cs, p->s, ctx, err};
    return metrics_query_fields(q, prep_field, &pr);
}

/* The journeys with a touchpoint the caller sees (every journey for
 * admins and analysts), in display order. */
static void list_journeys(struct jp *p)
{
    size_t nj = colstore_card(p->cs, DIM_JOURNEY);
    size_t ntp = colstore_card(p->cs, DIM_TOUCHPOINT);
    uint32_t *rank = xcalloc(nj ? nj : 1, sizeof *rank);
    char *seen = xcalloc(nj ? nj : 1, 1);
    colstore_order(p->cs, DIM_JOURNEY, rank);
    if (p->c->p->role != ROLE_OWNER)
        memset(seen, 1, nj);
    for (size_t t = 0; t < ntp && p->c->p->role == ROLE_OWNER; t++) {
        int st = colstore_touchpoint_stage(p->cs, (int)t);
        int j = st >= 0 ? colstore_stage_journey(p->cs, st) : -1;
        if (j >= 0 && (size_t)j < nj &&
            srv_sees(p->c, colstore_label(p->cs, DIM_TOUCHPOINT, (int)t)))
            seen[j] = 1;
    }
    p->journeys = xcalloc(nj ? nj : 1, sizeof *p->journeys);
    for (size_t j = 0; j < nj; j++)
        if (seen[j])
            p->journeys[p->n_journeys++] = (int)j;
    /* few journeys: insertion sort by rank */
    for (size_t i = 1; i < p->n_journeys; i++)
        for (size_t k = i;
             k > 0 && rank[p->journeys[k]] < rank[p->journeys[k - 1]]; k--) {
            int t = p->journeys[k];
            p->journeys[k] = p->journeys[k - 1];
            p->journeys[k - 1] = t;
        }
    free(rank);
    free(seen);
}

/* rq: the URL's filter, an owner's touchpoints, journey j and the
 * period; without a period, the last DEFAULT_MONTHS months with answers
 * (as the overview). */
static int answers_query(struct jp *p, struct err *err)
{
    struct metrics_query *q = &p->rq;
    struct metrics_result *months = NULL;
    const char *key = colstore_label(p->cs, DIM_JOURNEY, p->j);
    int rc = 0;
    if (p->v.where && *p->v.where)
        rc = metrics_query_where(q, p->v.where, err);
    if (rc == 0 && p->c->p->role == ROLE_OWNER)
        rc = metrics_query_where_values(
            q, "touchpoint", (const char *const *)p->c->p->touchpoints,
            (size_t)p->c->p->n_touchpoints, err);
    if (rc == 0)
        rc = metrics_query_where_values(q, "journey", &key, 1, err);
    metrics_query_days(q, p->v.from_day, p->v.to_day);
    if (rc == 0)
        rc = prepare(p, q, FIELD_RESPONSES, err);
    if (rc == 0 && !p->v.from) {
        struct metrics_query qm;
        metrics_query_copy(&qm, q);
        if ((rc = metrics_query_by(&qm, "month", err)) == 0)
            rc = metrics_run(&months, p->cs, &qm, err);
        metrics_query_dispose(&qm);
        if (rc == 0 && months->n_cells) {
            size_t first = months->n_cells > DEFAULT_MONTHS
                               ? months->n_cells - DEFAULT_MONTHS
                               : 0;
            char day[16];
            snprintf(day, sizeof day, "%s-01", months->cells[first].label[0]);
            if (tstamp_parse_date(&p->v.from_day, day, strlen(day)) == 0) {
                p->v.default_from = 1;
                metrics_query_days(q, p->v.from_day, p->v.to_day);
            }
        }
    }
    if (rc == 0)
        rc = metrics_filter_rows(&p->rmask, p->cs, q, err);
    metrics_result_free(months);
    return rc;
}

/* sub: x's stages of journey j, and their touchpoints (an owner's
 * only). The rows are copied, their strings still borrowed from cs. */
static void restrict_experience(struct jp *p)
{
    const struct journey_experience *x = p->x;
    p->sub = *x;
    p->sub.n_st = p->sub.n_tp = 0;
    p->sub.st = xcalloc(x->n_st ? x->n_st : 1, sizeof *p->sub.st);
    p->sub.tp = xcalloc(x->n_tp ? x->n_tp : 1, sizeof *p->sub.tp);
    for (size_t i = 0; i < x->n_st; i++)
        if (colstore_stage_journey(p->cs, x->st[i].code) == p->j)
            p->sub.st[p->sub.n_st++] = x->st[i];
    for (size_t i = 0; i < x->n_tp; i++)
        if (colstore_stage_journey(p->cs, x->tp[i].stage) == p->j &&
            srv_sees(p->c, x->tp[i].key))
            p->sub.tp[p->sub.n_tp++] = x->tp[i];
}

/* The drop-off: customers' events through the journey's stages in the
 * period (and the filter, when it applies to events). Not for owners.
 * Nothing here fails the page: without events there is no drop-off. */
static void drop_off(struct jp *p)
{
    struct err err = ERR_INIT;
    struct metrics_query pq;
    if (p->c->p->role == ROLE_OWNER || p->sub.n_st == 0)
        return;
    metrics_query_init(&pq, FIELD_EVENTS);
    metrics_query_days(&pq, p->v.from_day, p->v.to_day);
    if ((p->v.where && *p->v.where &&
         (metrics_query_where(&pq, p->v.where, &err) < 0 ||
          prepare(p, &pq, FIELD_EVENTS, &err) < 0)) ||
        metrics_filter_rows(&p->pmask, p->cs, &pq, &err) < 0) {
        p->drop_off_filtered_out = p->v.where && *p->v.where;
        goto done;
    }
    struct journey_case_opts so = JOURNEY_CASE_OPTS_INIT;
    so.use = p->pmask;
    so.level = JL_STAGE;
    if (journey_cases_build(&p->cases, p->cs, &so, &err) == 0) {
        uint32_t st[JOURNEY_FUNNEL_MAX];
        size_t n = 0;
        for (size_t i = 0; i < p->sub.n_st && n < JOURNEY_FUNNEL_MAX; i++)
            st[n++] = (uint32_t)p->sub.st[i].code;
        p->have_funnel =
            journey_funnel_build(&p->fun, p->cases, st, n, &err) == 0;
    }
done:
    metrics_query_dispose(&pq);
}

/* The stages' comments (stored redacted), each read by its response id:
 * the answer the analysis chose it for is its first comment (text or
 * story) in question order, as store_scan_comments gives them to
 * `resonans journey map`. By id, so an old period costs no more than a
 * recent one (a scan of the comments, newest first, would walk every
 * later one while the column store is locked). */
static int take_quote(void *ctx, const struct response *r)
{
    char **out = ctx;
    for (int i = 0; i < r->n_answers && !*out; i++) {
        const struct answer *a = &r->answers[i];
        if ((a->kind == ANSWER_TEXT || a->kind == ANSWER_STORY) && a->text &&
            *a->text)
            *out = xstrdup(a->text);
    }
    return 0;
}

static int fetch_quotes(struct jp *p, struct err *err)
{
    int rc = 0;
    p->quote = xcalloc(p->sub.n_st ? p->sub.n_st : 1, sizeof *p->quote);
    for (size_t i = 0; i < p->sub.n_st && rc == 0; i++) {
        int64_t id = p->sub.st[i].quote_id;
        if (id)
            rc = store_scan_responses_range(p->s, id, id, take_quote,
                                            &p->quote[i], err);
    }
    return rc < 0 ? rc : 0;
}

/* Builds the map's data: answers, experience, drop-off, measured
 * moments, quotes. Under the resident lock. */
static int build(struct jp *p, struct err *err)
{
    int rc;
    if ((rc = answers_query(p, err)) < 0 ||
        (rc = colstore_load_events(p->cs, p->s, err)) < 0 ||
        (rc = journey_experience_build(&p->x, p->cs, p->rmask, err)) < 0)
        return rc;
    restrict_experience(p);
    if (p->sub.n_st == 0)
        return 0;
    drop_off(p);
    struct journey_moments_opts mo = JOURNEY_MOMENTS_OPTS_INIT;
    struct err merr = ERR_INIT;
    mo.use = p->rmask;
    mo.min_n = p->rq.min_n;
    if (journey_moments_build(&p->mom, p->cs, &mo, &merr) < 0)
        p->mom = NULL; /* no notice events: no measured moments */
    return fetch_quotes(p, err);
}

/* ---- the page ---- */

/* "&from=...&to=...&where=...&lang=en" of the view, for links. */
static void view_args(struct strbuf *b, const struct jp *p)
{
    const char *names[] = {"from", "to", "where"};
    const char *vals[] = {p->v.from, p->v.to, p->v.where};
    for (size_t i = 0; i < 3; i++)
        if (vals[i] && *vals[i]) {
            strbuf_printf(b, "&amp;%s=", names[i]);
            struct strbuf u = STRBUF_INIT;
            escape_url(&u, vals[i]);
            escape_xml(b, strbuf_str(&u), u.n);
            strbuf_dispose(&u);
        }
    if (p->lang == WEB_EN)
        strbuf_puts(b, "&amp;lang=en");
}

static void journey_links(struct strbuf *b, const struct jp *p)
{
    if (p->n_journeys < 2)
        return;
    strbuf_printf(b,
                  "<nav aria-labelledby=\"h-journeys\">\n<h2 "
                  "id=\"h-journeys\">%s</h2>\n<ul>\n",
                  web_t(p->lang, "journeys"));
    for (size_t i = 0; i < p->n_journeys; i++) {
        int j = p->journeys[i];
        const char *key = colstore_label(p->cs, DIM_JOURNEY, j);
        const char *name = colstore_name(p->cs, DIM_JOURNEY, j);
        struct strbuf u = STRBUF_INIT;
        escape_url(&u, key);
        strbuf_puts(b, "<li><a href=\"/app/journey?journey=");
        escape_xml(b, strbuf_str(&u), u.n);
        strbuf_dispose(&u);
        view_args(b, p);
        /* the current one marked for the eye too: app.css styles no
         * aria-current in main */
        strbuf_puts(b, j == p->j ? "\" aria-current=\"page\"><strong>" : "\">");
        escape_xml(b, name, strlen(name));
        strbuf_puts(b, j == p->j ? "</strong></a></li>\n" : "</a></li>\n");
    }
    strbuf_puts(b, "</ul>\n</nav>\n");
}

static void form_value(struct strbuf *b, const char *v)
{
    if (v)
        escape_xml(b, v, strlen(v));
}

static void filter_form(struct strbuf *b, const struct jp *p)
{
    enum web_lang lang = p->lang;
    const char *key = colstore_label(p->cs, DIM_JOURNEY, p->j);
    strbuf_puts(b, "<form class=\"filters\" method=\"get\" "
                   "action=\"/app/journey\">\n<input type=\"hidden\" "
                   "name=\"journey\" value=\"");
    form_value(b, key);
    strbuf_printf(b,
                  "\">\n<p><label for=\"from\">%s</label> <input id=\"from\" "
                  "name=\"from\" type=\"date\" value=\"",
                  web_t(lang, "from"));
    form_value(b, p->v.from);
    strbuf_printf(b,
                  "\"></p>\n<p><label for=\"to\">%s</label> <input id=\"to\" "
                  "name=\"to\" type=\"date\" value=\"",
                  web_t(lang, "to"));
    form_value(b, p->v.to);
    strbuf_printf(b,
                  "\"></p>\n<p><label for=\"where\">%s</label> <input "
                  "id=\"where\" name=\"where\" placeholder=\"channel=app\" "
                  "value=\"",
                  web_t(lang, "filter"));
    form_value(b, p->v.where);
    strbuf_puts(b, "\"></p>\n");
    if (lang == WEB_EN)
        strbuf_puts(b, "<input type=\"hidden\" name=\"lang\" value=\"en\">\n");
    strbuf_printf(b, "<p><button type=\"submit\">%s</button></p>\n</form>\n",
                  web_t(lang, "apply_filters"));
}

static void note(struct strbuf *b, enum web_lang lang, const char *key)
{
    const char *t = web_t(lang, key);
    strbuf_puts(b, "<p class=\"note\">");
    escape_xml(b, t, strlen(t));
    strbuf_puts(b, "</p>\n");
}

/* The renderer's standalone SVG document inline in HTML: without its XML
 * prolog (journey_map_html.c does the same), and drawn at most MAP_MAX_W
 * wide: the root's width and height attributes, which the renderer
 * writes first as "width=\"W\" height=\"H\"", scaled (the viewBox keeps
 * the drawing). */
static void inline_map(struct strbuf *out, const struct strbuf *svg)
{
    const char *s = strbuf_str(svg), *root = strstr(s, "<svg");
    double w, h;
    s = root ? root : s;
    const char *wp = strstr(s, " width=\"");
    const char *end = strchr(s, '>');
    if (wp && end && wp < end &&
        sscanf(wp, " width=\"%lf\" height=\"%lf\"", &w, &h) == 2 && w > 0 &&
        w > MAP_MAX_W) {
        const char *after = strstr(wp + 1, "height=\"");
        after = after ? strchr(after + 8, '"') : NULL;
        if (after) {
            strbuf_add(out, s, (size_t)(wp - s));
            strbuf_printf(out, " width=\"%.0f\" height=\"%.0f\"", MAP_MAX_W,
                          h * MAP_MAX_W / w);
            s = after + 1;
        }
    }
    strbuf_puts(out, s);
}

/* The map and its tables, into b. Under the resident lock: the labels are
 * the column store's. */
static int render(struct strbuf *b, struct jp *p, struct err *err)
{
    enum web_lang lang = p->lang;
    const char *lc = web_lang_code(lang);
    struct strbuf svg = STRBUF_INIT;
    int rc = 0;
    if (p->sub.n_st == 0) {
        note(b, lang, "journey_no_stages");
        return 0;
    }
    struct journey_map_input in = {&p->sub,
                                   p->have_funnel ? &p->fun : NULL,
                                   p->mom,
                                   NULL,
                                   NULL,
                                   NULL,
                                   (const char *const *)p->quote,
                                   colstore_name(p->cs, DIM_JOURNEY, p->j),
                                   lc,
                                   1,
                                   p->rq.min_n};
    if ((rc = journey_map_doc_new(&p->doc, &in, err)) < 0 ||
        (rc = journey_map_render_svg(&svg, &p->doc->map, err)) < 0)
        goto done;
    strbuf_printf(b,
                  "<section aria-labelledby=\"h-map\"><h2 id=\"h-map\">%s"
                  "</h2>\n",
                  web_t(lang, "journey_map"));
    note(b, lang, "journey_map_help");
    strbuf_printf(b,
                  "<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" "
                  "aria-label=\"%s\">\n",
                  web_t(lang, "journey_map_scroll"));
    inline_map(b, &svg);
    strbuf_puts(b, "</div>\n</section>\n");

    p->res = journey_map_report(p->doc, &in);
    strbuf_printf(b,
                  "<section aria-labelledby=\"h-figures\"><h2 "
                  "id=\"h-figures\">%s</h2>\n",
                  web_t(lang, "journey_figures"));
    rc = result_render_with(
        b, p->res, RESULT_FORMAT_HTML,
        RESULT_RENDER_METHOD | (lang == WEB_SV ? RESULT_RENDER_SV : 0), err);
    strbuf_puts(b, "</section>\n");
done:
    strbuf_dispose(&svg);
    return rc;
}

enum http_verdict page_journey(struct call *c)
{
    struct jp p;
    struct err err = ERR_INIT;
    struct strbuf body = STRBUF_INIT, b = STRBUF_INIT;
    const char *msg = NULL;
    int rc = 0, status = 200;
    struct strbuf title = STRBUF_INIT;

    memset(&p, 0, sizeof p);
    p.c = c;
    p.lang = page_lang(c);
    p.v = (struct view){http_arg(c->req, "from"),
                        http_arg(c->req, "to"),
                        http_arg(c->req, "where"),
                        http_arg(c->req, "journey"),
                        0,
                        0,
                        0};
    metrics_query_init(&p.rq, FIELD_RESPONSES);
    if (page_day_arg(c, p.v.from, &p.v.from_day, METRICS_DAY_MIN) < 0 ||
        page_day_arg(c, p.v.to, &p.v.to_day, METRICS_DAY_MAX) < 0) {
        metrics_query_dispose(&p.rq);
        return HTTP_DONE;
    }
    if (!(p.s = srv_reader(c))) {
        metrics_query_dispose(&p.rq);
        return HTTP_DONE;
    }

    p.cs = resident_lock(c->srv->res);
    list_journeys(&p);
    p.j = p.n_journeys ? p.journeys[0] : -1;
    if (p.v.journey && *p.v.journey) {
        int j =
            colstore_find(p.cs, DIM_JOURNEY, p.v.journey, strlen(p.v.journey));
        size_t i = 0;
        while (i < p.n_journeys && p.journeys[i] != j)
            i++;
        /* one the caller may not see is "not found", as a case is */
        p.j = i < p.n_journeys ? j : -1;
        if (p.j < 0) {
            msg = "journey_unknown";
            status = 404;
        }
    } else if (p.j < 0) {
        msg = c->p->role == ROLE_OWNER ? "journey_none_owner" : "journey_none";
    }
    if (p.j >= 0) {
        const char *name = colstore_name(p.cs, DIM_JOURNEY, p.j);
        strbuf_printf(&title, "%s: %s", web_t(p.lang, "journey"), name);
        rc = build(&p, &err);
        if (rc == 0) {
            journey_links(&body, &p);
            filter_form(&body, &p);
            /* the map's tables, the same filters, as CSV */
            strbuf_puts(&body, "<p class=\"exports\"><a "
                               "href=\"/app/journey?format=csv");
            if (p.v.journey && *p.v.journey) {
                struct strbuf u = STRBUF_INIT;
                escape_url(&u, p.v.journey);
                strbuf_puts(&body, "&amp;journey=");
                escape_xml(&body, strbuf_str(&u), u.n);
                strbuf_dispose(&u);
            }
            view_args(&body, &p);
            strbuf_printf(&body, "\" download>%s</a></p>\n",
                          web_t(p.lang, "export_csv"));
            if (c->p->role == ROLE_OWNER)
                note(&body, p.lang, "journey_owner_note");
            else if (p.drop_off_filtered_out)
                note(&body, p.lang, "journey_no_drop_off");
            if (p.v.default_from) {
                char day[16];
                int y;
                unsigned mo, d;
                tstamp_civil_from_days(p.v.from_day, &y, &mo, &d);
                snprintf(day, sizeof day, "%04d-%02u-%02u", y, mo, d);
                strbuf_printf(&body, "<p class=\"note\">%s %s.</p>\n",
                              web_t(p.lang, "journey_default_period"), day);
            }
            rc = render(&body, &p, &err);
        }
    }
    resident_unlock(c->srv->res);

    enum http_verdict v;
    const char *fmt = http_arg(c->req, "format");
    if (rc < 0) {
        v = page_fail(c, &err);
    } else if (!msg && fmt && !strcmp(fmt, "csv") && p.res) {
        v = page_send_csv(c, p.res, "journey");
    } else if (msg) {
        v = page_message(c, status,
                         web_t(p.lang, status == 404 ? "not_found" : "journey"),
                         web_t(p.lang, msg));
    } else {
        page_frame_begin(c, &b, strbuf_str(&title), "/app/journey");
        strbuf_puts(&b, "<h1>");
        escape_xml(&b, title.p, title.n);
        strbuf_puts(&b, "</h1>\n");
        strbuf_add(&b, body.p ? body.p : "", body.n);
        v = page_send(c, 200, &b);
    }
    strbuf_dispose(&title);
    strbuf_dispose(&body);
    jp_dispose(&p);
    return v;
}
