/* The stories explorer (docs/web.md): the Sense-making patterns
 * of a triad or a dyad (docs/patterns.md) as `resonans patterns` computes
 * them, drawn as a ternary plot or a slider histogram whose regions are
 * links, and the stories inside the selected region, newest first.
 *
 * URL: the shared filters (?from=&to=&where=&lang=), triad=KEY or
 * dyad=KEY (default: the first triad answered, else the first dyad),
 * by=FIELD (means per group), corners=A,B,C (the triad's corner labels,
 * as the CLI's --corners), region=:
 *   corner-N      a triad's answers with weight >= 0.6 on corner N
 *                 (`resonans verbatims --triad KEY --corner N`)
 *   centre        a triad's answers with no weight >= 0.6
 *   cell-I-J-up   a cell of the ternary histogram (cell-I-J-down), as
 *                 the "cells" table counts them
 *   bin-K         a dyad's histogram bin K (0..9), as "bins" counts them
 * ?format=csv answers the patterns result (every table) as CSV.
 *
 * Figures come from patterns_run on the server's column store with the
 * options the API passes to the CLI (GET /api/analyses/patterns), so
 * they are the API's; a touchpoint owner's are over their touchpoints'
 * answers, as the API restricts them. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/patterns.h"
#include "colstore/colstore.h"
#include "core/err.h"
#include "core/escape.h"
#include "core/strbuf.h"
#include "core/tstamp.h"
#include "core/xalloc.h"
#include "query/prepare.h"
#include "report/patterns_report.h"
#include "report/result.h"
#include "report/story_region.h"
#include "server/pages_int.h"
#include "server/resident.h"
#include "server/server_int.h"
#include "stats/metrics.h"
#include "store/model.h"
#include "store/store.h"
#include "web/chart.h"
#include "web/chart_ternary.h"

#define N_STORIES 20 /* stories listed, as verbatims' default --limit */
#define MAX_KEYS 100 /* questions offered */
#define STOP 1       /* ends a scan */
#define READ_MAX 400 /* answers of a region read for its stories */

/* An answer inside the region: its response and its position. */
struct hit {
    int64_t id;
    double x[3];
};

/* ---- arguments ---- */

/* Splits "A,B,C" into three labels in buf. 0 or ERR_INVALID. */
static int corners_parse(char *buf, size_t size, const char *v,
                         const char *out[3], struct err *err)
{
    size_t n = strlen(v);
    int k = 0;
    if (n + 1 <= size) {
        memcpy(buf, v, n + 1);
        for (char *s = buf; k < 3; k++) {
            out[k] = s;
            char *comma = strchr(s, ',');
            if (!comma)
                break;
            *comma = 0;
            s = comma + 1;
        }
    }
    if (n + 1 > size || k != 2 || strchr(out[2], ',') || !*out[0] || !*out[1] ||
        !*out[2])
        return err_set(err, ERR_INVALID,
                       "corners: three non-empty labels A,B,C, got "
                       "\"%.60s\"",
                       v);
    return 0;
}

/* ---- the answers in a region ---- */

static const double *num_column(const struct colstore *cs, const char *prefix,
                                const char *key)
{
    char name[FIELD_MAX_NAME + 16];
    struct colstore_colview v;
    snprintf(name, sizeof name, "%s%s", prefix, key);
    int col = colstore_col_find(cs, COLSTORE_RESPONSES, name);
    if (col < 0)
        return NULL;
    colstore_col_view(cs, COLSTORE_RESPONSES, col, &v);
    return v.kind == COLSTORE_NUM ? v.num : NULL;
}

/* The answers of question key (of kind) that mask lets through and that
 * lie in region r (none: STORY_REGION_NONE), in row (response id) order: *out,
 * *n (caller frees); and for a triad, counts[0..3) the answers near each corner
 * and counts[3] those in the centre. */
static void region_hits(struct hit **out, size_t *n, int64_t counts[4],
                        const struct colstore *cs, enum patterns_kind kind,
                        const char *key, const uint8_t *mask,
                        const struct story_region *r)
{
    static const char *const prefix[3] = {"triad1:", "triad2:", "triad3:"};
    const double *col[3] = {NULL, NULL, NULL};
    struct colstore_columns cols;
    size_t rows = colstore_rows(cs), cap = 0;
    *out = NULL;
    *n = 0;
    memset(counts, 0, 4 * sizeof *counts);
    colstore_columns(cs, &cols);
    for (int p = 0; p < (kind == PATTERNS_TRIAD ? 3 : 1); p++)
        if (!(col[p] = num_column(
                  cs, kind == PATTERNS_TRIAD ? prefix[p] : "dyad:", key)))
            return;
    for (size_t i = 0; i < rows; i++) {
        double x[3] = {col[0][i], 0, 0};
        if ((mask && !mask[i]) || isnan(x[0]))
            continue;
        if (kind == PATTERNS_TRIAD) {
            double s = col[0][i] + col[1][i] + col[2][i];
            if (!(s > 0)) /* NaN parts too */
                continue;
            for (int p = 0; p < 3; p++)
                x[p] = fmax(0, col[p][i] / s);
        }
        if (kind == PATTERNS_TRIAD) {
            int near = 0;
            for (int p = 0; p < 3; p++) {
                struct story_region c = {STORY_REGION_CORNER, p, 0, 0, 0, 0};
                near |= story_region_has(&c, x);
                counts[p] += story_region_has(&c, x);
            }
            counts[3] += !near;
        }
        if (!story_region_has(r, x))
            continue;
        *out = xgrow(*out, &cap, *n + 1, sizeof **out);
        (*out)[*n].id = cols.id[i];
        memcpy((*out)[*n].x, x, sizeof x);
        (*n)++;
    }
}

/* ---- the stories ---- */

struct stories {
    struct call *c;
    struct strbuf *b;
    enum web_lang lang;
    enum patterns_kind kind;
    const char *const *corners;
    const struct hit *hit; /* the answer being read */
    int n;                 /* stories listed */
};

/* The answer's position: "fix 0.62 · know 0.20 · reassure 0.18". */
static void position_text(struct strbuf *b, enum web_lang lang,
                          enum patterns_kind kind, const char *const *corners,
                          const double x[3])
{
    if (kind == PATTERNS_DYAD) {
        web_number(b, lang, x[0], 2, 0);
        return;
    }
    for (int p = 0; p < 3; p++) {
        if (p)
            strbuf_puts(b, " · ");
        page_text(b, corners[p]);
        strbuf_puts(b, " ");
        web_number(b, lang, x[p], 2, 0);
    }
}

/* One story (a comment of the response read) into the list. */
static void story(struct stories *x, const struct response *r,
                  const struct answer *a)
{
    struct strbuf *b = x->b;
    enum web_lang lang = x->lang;
    const struct hit *h = x->hit;
    char when[40], name[256];
    int64_t tp_id, ch_id;
    tstamp_format(when, sizeof when, r->ts, r->tz_min);
    if (!r->touchpoint || srv_touchpoint(x->c->srv, r->touchpoint, &tp_id,
                                         &ch_id, name, sizeof name) < 0)
        snprintf(name, sizeof name, "%s", r->touchpoint ? r->touchpoint : "");
    if (!x->n)
        strbuf_puts(b, "<ol class=\"records stories\" reversed>\n");
    strbuf_printf(b, "<li class=\"record story\"><p class=\"record-head\">"
                     "<time datetime=\"");
    page_text(b, when);
    strbuf_printf(b, "\">%.10s</time> <span class=\"tp\">", when);
    page_text(b, name);
    strbuf_puts(b, "</span>");
    if (r->nps >= 0)
        strbuf_printf(b, " <span>NPS %d</span>", r->nps);
    strbuf_printf(b, " <span class=\"pos\">%s: ", web_t(lang, "stories_pos"));
    position_text(b, lang, x->kind, x->corners, h->x);
    strbuf_puts(b, "</span></p>\n<blockquote class=\"quote\"><p>");
    if (a->title && *a->title) {
        strbuf_puts(b, "<strong>");
        page_text(b, a->title);
        strbuf_puts(b, "</strong> ");
    }
    page_text(b, a->text);
    strbuf_puts(b, "</p></blockquote></li>\n");
    x->n++;
}

/* A store_scan_responses_range callback: the response's comments, in
 * question order, as `verbatims` lists them (text answers and stories). */
static int story_response(void *ctx, const struct response *r)
{
    struct stories *x = ctx;
    for (int i = 0; i < r->n_answers && x->n < N_STORIES; i++) {
        const struct answer *a = &r->answers[i];
        if ((a->kind == ANSWER_TEXT || a->kind == ANSWER_STORY) && a->text &&
            *a->text)
            story(x, r, a);
    }
    return x->n >= N_STORIES ? STOP : 0;
}

/* Lists the stories of hits[0..n), newest first, up to N_STORIES, reading
 * at most READ_MAX responses by id (an indexed read each: a region's
 * answers may be few and far apart, where a scan of every comment would
 * read them all). Sets *read to the responses read. */
static int list_stories(struct store *s, struct stories *x,
                        const struct hit *hits, size_t n, size_t *read,
                        struct err *err)
{
    int rc = 0;
    *read = 0;
    for (size_t k = n; k-- > 0 && x->n < N_STORIES && *read < READ_MAX;) {
        x->hit = &hits[k];
        (*read)++;
        rc = store_scan_responses_range(s, hits[k].id, hits[k].id,
                                        story_response, x, err);
        if (rc < 0)
            return rc;
    }
    return 0;
}

/* A store_scan_answers callback: the triads' keys into ctx[0], the
 * dyads' into ctx[1], in the order the store lists them (one read of
 * the answers for both). */
static int on_key(void *ctx, int64_t response_id, const struct answer *a)
{
    struct query_keys **keys = ctx;
    (void)response_id;
    if (a->question)
        query_keys_add(keys[a->kind == ANSWER_DYAD], a->question,
                       strlen(a->question));
    return 0;
}

/* ---- pieces of the page ---- */

struct view {
    struct page_view v;
    enum web_lang lang;
    enum patterns_kind kind;
    const char *key, *by, *corners_arg;
    struct story_region region;
};

/* "format=csv" and the like, with the question, by and corners kept
 * (raw, escaped by page_href). */
static void view_extra(struct strbuf *u, const struct view *w,
                       const struct story_region *r, const char *more)
{
    strbuf_puts(u, w->kind == PATTERNS_TRIAD ? "triad=" : "dyad=");
    escape_url(u, w->key);
    if (w->by && *w->by) {
        strbuf_puts(u, "&by=");
        escape_url(u, w->by);
    }
    if (w->corners_arg && *w->corners_arg) {
        strbuf_puts(u, "&corners=");
        escape_url(u, w->corners_arg);
    }
    if (r && r->kind != STORY_REGION_NONE) {
        strbuf_puts(u, "&region=");
        story_region_name(u, r);
    }
    if (more) {
        strbuf_puts(u, "&");
        strbuf_puts(u, more);
    }
}

/* The local link to the view with region r (NULL: none), unescaped. */
static char *view_link(const struct view *w, const struct story_region *r)
{
    struct strbuf u = STRBUF_INIT, e = STRBUF_INIT;
    view_extra(&e, w, r, NULL);
    strbuf_puts(&u, "/app/stories");
    page_query_string(&u, &w->v, w->lang, strbuf_str(&e));
    strbuf_dispose(&e);
    return strbuf_detach(&u, NULL);
}

static void link_to(struct strbuf *b, const struct view *w,
                    const struct story_region *r, const char *more)
{
    struct strbuf e = STRBUF_INIT;
    view_extra(&e, w, r, more);
    page_href(b, "/app/stories", NULL, &w->v, w->lang, strbuf_str(&e));
    strbuf_dispose(&e);
}

/* The questions as links, the current one marked. */
static void question_links(struct strbuf *b, const struct view *w,
                           const struct query_keys *triads,
                           const struct query_keys *dyads)
{
    const struct query_keys *k[2] = {triads, dyads};
    const char *word[2] = {"stories_triads", "stories_dyads"};
    strbuf_printf(b, "<nav class=\"questions\" aria-label=\"%s\">\n",
                  web_t(w->lang, "stories_questions"));
    for (int t = 0; t < 2; t++) {
        if (!k[t]->n)
            continue;
        strbuf_printf(b, "<p>%s: ", web_t(w->lang, word[t]));
        for (size_t i = 0; i < k[t]->n; i++) {
            struct view o = *w;
            o.kind = t ? PATTERNS_DYAD : PATTERNS_TRIAD;
            o.key = k[t]->v[i];
            o.corners_arg = o.kind == w->kind && !strcmp(o.key, w->key)
                                ? w->corners_arg
                                : NULL;
            int cur = o.kind == w->kind && !strcmp(o.key, w->key);
            strbuf_puts(b, i ? " · <a " : "<a ");
            link_to(b, &o, NULL, NULL);
            strbuf_puts(b, cur ? " aria-current=\"page\">" : ">");
            page_text(b, o.key);
            strbuf_puts(b, "</a>");
        }
        strbuf_puts(b, "</p>\n");
    }
    strbuf_puts(b, "</nav>\n");
}

/* The filters with the question kept, the group and the corners. */
static void filter_form(struct strbuf *b, const struct view *w)
{
    static const char *const bys[] = {"segment", "touchpoint", "stage",
                                      "channel", "month"};
    enum web_lang lang = w->lang;
    const struct {
        const char *id, *word, *type, *value;
    } f[] = {{"from", "from", "date", w->v.from},
             {"to", "to", "date", w->v.to},
             {"where", "filter", NULL, w->v.where}};
    strbuf_puts(b, "<form class=\"filters\" method=\"get\" "
                   "action=\"/app/stories\">\n");
    for (size_t i = 0; i < 3; i++) {
        strbuf_printf(b,
                      "<p><label for=\"%s\">%s</label> <input id=\"%s\" "
                      "name=\"%s\"%s%s%s value=\"",
                      f[i].id, web_t(lang, f[i].word), f[i].id, f[i].id,
                      f[i].type ? " type=\"" : " placeholder=\"channel=app",
                      f[i].type ? f[i].type : "", "\"");
        page_text(b, f[i].value);
        strbuf_puts(b, "\"></p>\n");
    }
    int known = !w->by || !*w->by;
    strbuf_printf(b,
                  "<p><label for=\"by\">%s</label> <select id=\"by\" "
                  "name=\"by\"><option value=\"\">%s</option>",
                  web_t(lang, "stories_by"), web_t(lang, "stories_by_none"));
    for (size_t i = 0; i < sizeof bys / sizeof *bys; i++) {
        int sel = w->by && !strcmp(w->by, bys[i]);
        char key[40];
        known |= sel;
        snprintf(key, sizeof key, "stories_by_%s", bys[i]);
        strbuf_printf(b, "<option value=\"%s\"%s>%s</option>", bys[i],
                      sel ? " selected" : "", web_t(lang, key));
    }
    if (!known) { /* a field given in the URL */
        strbuf_puts(b, "<option selected value=\"");
        page_text(b, w->by);
        strbuf_puts(b, "\">");
        page_text(b, w->by);
        strbuf_puts(b, "</option>");
    }
    strbuf_puts(b, "</select></p>\n");
    if (w->kind == PATTERNS_TRIAD) {
        strbuf_printf(b,
                      "<p><label for=\"corners\">%s</label> <input "
                      "id=\"corners\" name=\"corners\" "
                      "placeholder=\"fix,know,reassure\" value=\"",
                      web_t(lang, "stories_corners"));
        page_text(b, w->corners_arg);
        strbuf_puts(b, "\"></p>\n");
    }
    strbuf_printf(b, "<input type=\"hidden\" name=\"%s\" value=\"",
                  w->kind == PATTERNS_TRIAD ? "triad" : "dyad");
    page_text(b, w->key);
    strbuf_puts(b, "\">\n");
    if (lang == WEB_EN)
        strbuf_puts(b, "<input type=\"hidden\" name=\"lang\" value=\"en\">\n");
    strbuf_printf(b, "<p><button type=\"submit\">%s</button></p>\n</form>\n",
                  web_t(lang, "apply_filters"));
}

static double pct(int64_t k, int64_t of)
{
    return of > 0 ? 100.0 * (double)k / (double)of : NAN;
}

/* "N answers (P %)" */
static void count_text(struct strbuf *b, enum web_lang lang, int64_t k,
                       int64_t of)
{
    web_number(b, lang, (double)k, 0, 0);
    strbuf_printf(b, " %s (", web_t(lang, "stories_answers"));
    web_number(b, lang, pct(k, of), 1, 0);
    strbuf_puts(b, " %)");
}

/* A cell's words: "fix 0.3–0.4, know 0.1–0.2, reassure 0.4–0.6". */
static void cell_words(struct strbuf *b, enum web_lang lang,
                       const char *const *corners,
                       const struct patterns_cell *cell)
{
    double g = PATTERNS_GRID;
    double lo[3] = {cell->i / g, cell->j / g, 0},
           hi[3] = {(cell->i + 1) / g, (cell->j + 1) / g, 0};
    lo[2] = 1 - (cell->i + cell->j + 2) / g;
    hi[2] = 1 - (cell->i + cell->j) / g;
    if (!cell->down)
        lo[2] = 1 - (cell->i + cell->j + 1) / g;
    else
        hi[2] = 1 - (cell->i + cell->j + 1) / g;
    for (int p = 0; p < 3; p++) {
        if (p)
            strbuf_puts(b, ", ");
        strbuf_puts(b, corners[p]);
        strbuf_puts(b, " ");
        web_number(b, lang, fmax(0, lo[p]), 1, 0);
        strbuf_puts(b, "\xe2\x80\x93");
        web_number(b, lang, hi[p], 1, 0);
    }
}

/* The triad's plot, its regions as links and the cells' links. */
static void triad_plot(struct strbuf *b, const struct view *w,
                       const struct patterns_result *pr,
                       const char *const *corners)
{
    enum web_lang lang = w->lang;
    struct chart_ternary_cell cells[PATTERNS_CELLS];
    char *hrefs[PATTERNS_CELLS] = {NULL}, *labels[PATTERNS_CELLS] = {NULL};
    size_t n_pts = pr->n_triad_rows;
    struct chart_ternary_point *pts = xcalloc(n_pts + 1, sizeof *pts);
    struct strbuf desc = STRBUF_INIT, title = STRBUF_INIT;
    for (size_t k = 0; k < PATTERNS_CELLS; k++) {
        const struct patterns_cell *pc = &pr->cells[k];
        struct story_region r = {STORY_REGION_CELL, 0, pc->i, pc->j,
                                 pc->down,          0};
        struct strbuf l = STRBUF_INIT;
        cell_words(&l, lang, corners, pc);
        strbuf_printf(&l, ": %lld", (long long)pc->count);
        labels[k] = strbuf_detach(&l, NULL);
        if (pc->count)
            hrefs[k] = view_link(w, &r);
        cells[k] = (struct chart_ternary_cell){
            pc->i,
            pc->j,
            pc->down,
            pc->count,
            hrefs[k],
            labels[k],
            w->region.kind == STORY_REGION_CELL && w->region.i == pc->i &&
                w->region.j == pc->j && w->region.down == pc->down};
    }
    for (size_t k = 0; k < n_pts; k++) {
        const struct patterns_triad_row *row = &pr->triad_rows[k];
        pts[k].label =
            row->group ? row->group_name : web_t(lang, "stories_all");
        memcpy(pts[k].x, row->center, sizeof row->center);
        pts[k].region =
            row->has_region ? (const double(*)[3])row->region : NULL;
        pts[k].n_region = row->has_region ? PATTERNS_REGION_POINTS : 0;
    }
    strbuf_printf(&title, "%s ", web_t(lang, "stories_triad"));
    strbuf_puts(&title, pr->key);
    strbuf_printf(&desc, "%s ", web_t(lang, "stories_triad_desc"));
    for (int p = 0; p < 3; p++)
        strbuf_printf(&desc, "%s%s", p ? " / " : "", corners[p]);
    strbuf_printf(&desc, ". %s: %lld. %s ", web_t(lang, "stories_answers_n"),
                  (long long)pr->n, web_t(lang, "stories_mean"));
    for (size_t k = 0; k < n_pts; k++) {
        strbuf_puts(&desc, k ? "; " : "");
        strbuf_puts(&desc, pts[k].label);
        for (int p = 0; p < 3; p++) {
            strbuf_printf(&desc, "%s%s ", p ? ", " : " ", corners[p]);
            web_number(&desc, lang, pts[k].x[p], 2, 0);
        }
    }
    strbuf_puts(&desc, ".");
    struct chart_ternary t = {"plot",
                              strbuf_str(&title),
                              strbuf_str(&desc),
                              {corners[0], corners[1], corners[2]},
                              PATTERNS_GRID,
                              cells,
                              PATTERNS_CELLS,
                              PATTERNS_NEAR,
                              w->region.kind == STORY_REGION_CORNER
                                  ? w->region.corner + 1
                              : w->region.kind == STORY_REGION_CENTRE ? 4
                                                                      : 0,
                              pts,
                              n_pts};
    chart_ternary_svg(b, lang, &t);
    for (size_t k = 0; k < PATTERNS_CELLS; k++) {
        free(hrefs[k]);
        free(labels[k]);
    }
    free(pts);
    strbuf_dispose(&desc);
    strbuf_dispose(&title);
}

/* The regions as a list of links (what the plot's regions are for a
 * keyboard and a screen reader), with their counts. */
static void triad_regions(struct strbuf *b, const struct view *w,
                          const struct patterns_result *pr,
                          const char *const *corners, const int64_t counts[4])
{
    enum web_lang lang = w->lang;
    strbuf_printf(b, "<nav class=\"regions\" aria-label=\"%s\">\n<ul>\n",
                  web_t(lang, "stories_regions"));
    for (int p = 0; p < 4; p++) {
        struct story_region r = {
            p < 3 ? STORY_REGION_CORNER : STORY_REGION_CENTRE, p, 0, 0, 0, 0};
        int64_t k = counts[p];
        int cur = w->region.kind == r.kind && (p == 3 || w->region.corner == p);
        strbuf_puts(b, "<li><a ");
        link_to(b, w, &r, NULL);
        strbuf_puts(b, cur ? " aria-current=\"true\">" : ">");
        if (p < 3) {
            strbuf_printf(b, "%s ", web_t(lang, "stories_near"));
            page_text(b, corners[p]);
            strbuf_puts(b, " (\xe2\x89\xa5 ");
            web_number(b, lang, PATTERNS_NEAR, 1, 0);
            strbuf_puts(b, ")");
        } else {
            strbuf_puts(b, web_t(lang, "stories_centre"));
        }
        strbuf_puts(b, "</a>: ");
        count_text(b, lang, k, pr->n);
        strbuf_puts(b, "</li>\n");
    }
    strbuf_puts(b, "</ul>\n");
    strbuf_printf(b,
                  "<details class=\"cell-links\"><summary>%s</summary>\n<ul>\n",
                  web_t(lang, "stories_cells"));
    for (size_t k = 0; k < PATTERNS_CELLS; k++) {
        const struct patterns_cell *pc = &pr->cells[k];
        if (!pc->count)
            continue;
        struct story_region r = {STORY_REGION_CELL, 0, pc->i, pc->j,
                                 pc->down,          0};
        struct strbuf l = STRBUF_INIT;
        cell_words(&l, lang, corners, pc);
        strbuf_puts(b, "<li><a ");
        link_to(b, w, &r, NULL);
        strbuf_puts(b, ">");
        page_text(b, strbuf_str(&l));
        strbuf_puts(b, "</a>: ");
        count_text(b, lang, pc->count, pr->n);
        strbuf_puts(b, "</li>\n");
        strbuf_dispose(&l);
    }
    strbuf_puts(b, "</ul>\n</details>\n</nav>\n");
}

static void dyad_plot(struct strbuf *b, const struct view *w,
                      const struct patterns_result *pr)
{
    enum web_lang lang = w->lang;
    struct chart_dyad_bin bins[PATTERNS_DYAD_BINS];
    char *hrefs[PATTERNS_DYAD_BINS] = {NULL};
    size_t n_means = pr->n_dyad_rows;
    struct chart_dyad_mean *means = xcalloc(n_means + 1, sizeof *means);
    struct strbuf desc = STRBUF_INIT, title = STRBUF_INIT;
    for (int k = 0; k < PATTERNS_DYAD_BINS; k++) {
        struct story_region r = {STORY_REGION_BIN, 0, 0, 0, 0, k};
        if (pr->bins[k])
            hrefs[k] = view_link(w, &r);
        bins[k] = (struct chart_dyad_bin){(double)k / PATTERNS_DYAD_BINS,
                                          (double)(k + 1) / PATTERNS_DYAD_BINS,
                                          pr->bins[k],
                                          hrefs[k],
                                          NULL,
                                          w->region.kind == STORY_REGION_BIN &&
                                              w->region.bin == k};
    }
    for (size_t k = 0; k < n_means; k++) {
        const struct patterns_dyad_row *row = &pr->dyad_rows[k];
        means[k] = (struct chart_dyad_mean){
            row->group ? row->group_name : web_t(lang, "stories_all"),
            row->mean.value, row->mean.lo, row->mean.hi};
    }
    strbuf_printf(&title, "%s ", web_t(lang, "stories_dyad"));
    strbuf_puts(&title, pr->key);
    strbuf_printf(&desc, "%s %lld. %s ", web_t(lang, "stories_dyad_desc"),
                  (long long)pr->n, web_t(lang, "stories_mean"));
    for (size_t k = 0; k < n_means; k++) {
        strbuf_printf(&desc, "%s%s ", k ? "; " : "", means[k].label);
        web_number(&desc, lang, means[k].value, 2, 0);
    }
    strbuf_puts(&desc, ".");
    struct chart_dyad d = {"plot",
                           strbuf_str(&title),
                           strbuf_str(&desc),
                           {NULL, NULL},
                           bins,
                           PATTERNS_DYAD_BINS,
                           means,
                           n_means};
    chart_dyad_svg(b, lang, &d);
    strbuf_printf(b, "<nav class=\"regions\" aria-label=\"%s\">\n<ul>\n",
                  web_t(lang, "stories_regions"));
    for (int k = 0; k < PATTERNS_DYAD_BINS; k++) {
        struct story_region r = {STORY_REGION_BIN, 0, 0, 0, 0, k};
        if (!pr->bins[k])
            continue;
        strbuf_puts(b, "<li><a ");
        link_to(b, w, &r, NULL);
        strbuf_puts(b, w->region.kind == STORY_REGION_BIN && w->region.bin == k
                           ? " aria-current=\"true\">"
                           : ">");
        web_number(b, lang, bins[k].from, 1, 0);
        strbuf_puts(b, "\xe2\x80\x93");
        web_number(b, lang, bins[k].to, 1, 0);
        strbuf_puts(b, "</a>: ");
        count_text(b, lang, pr->bins[k], pr->n);
        strbuf_puts(b, "</li>\n");
    }
    strbuf_puts(b, "</ul>\n</nav>\n");
    for (int k = 0; k < PATTERNS_DYAD_BINS; k++)
        free(hrefs[k]);
    free(means);
    strbuf_dispose(&desc);
    strbuf_dispose(&title);
}

/* The selected region's words, as its heading says: plain text (the
 * caller escapes it; corner labels come from the URL). */
static void region_title(struct strbuf *b, const struct view *w,
                         const char *const *corners)
{
    enum web_lang lang = w->lang;
    const struct story_region *r = &w->region;
    if (r->kind == STORY_REGION_CORNER) {
        strbuf_printf(b, "%s ", web_t(lang, "stories_near"));
        strbuf_puts(b, corners[r->corner]);
        strbuf_puts(b, " (\xe2\x89\xa5 ");
        web_number(b, lang, PATTERNS_NEAR, 1, 0);
        strbuf_puts(b, ")");
    } else if (r->kind == STORY_REGION_CENTRE) {
        strbuf_puts(b, web_t(lang, "stories_centre"));
    } else if (r->kind == STORY_REGION_CELL) {
        struct patterns_cell pc = {r->i, r->j, r->down, 0};
        strbuf_printf(b, "%s ", web_t(lang, "stories_cell"));
        cell_words(b, lang, corners, &pc);
    } else if (r->kind == STORY_REGION_BIN) {
        web_number(b, lang, (double)r->bin / PATTERNS_DYAD_BINS, 1, 0);
        strbuf_puts(b, "\xe2\x80\x93");
        web_number(b, lang, (double)(r->bin + 1) / PATTERNS_DYAD_BINS, 1, 0);
    }
}

/* ---- the page ---- */

/* The page when there is nothing to plot: the form and why. */
static enum http_verdict empty_page(struct call *c, const struct view *w,
                                    const struct query_keys *triads,
                                    const struct query_keys *dyads,
                                    const char *why)
{
    struct strbuf b = STRBUF_INIT;
    const char *title = web_t(w->lang, "stories");
    page_frame_begin(c, &b, title, "/app/stories");
    page_h1(&b, title);
    if (w->key) {
        question_links(&b, w, triads, dyads);
        filter_form(&b, w);
    }
    strbuf_puts(&b, "<p class=\"no-data\" role=\"status\">");
    page_text(&b, why);
    strbuf_puts(&b, "</p>\n");
    return page_send(c, 200, &b);
}

/* The question's pattern on cs: *pr, the result *res, and when a
 * region is asked the answers in it (*hits). */
static int compute(struct call *c, struct colstore *cs, struct store *s,
                   const struct view *w, const char *const *corners,
                   struct patterns_result **pr, struct result **res,
                   struct hit **hits, size_t *n_hits, int64_t counts[4],
                   struct err *err)
{
    struct metrics_query q;
    struct page_prep p = {cs, s, err};
    uint8_t *mask = NULL;
    int rc = 0;
    metrics_query_init(&q, FIELD_RESPONSES);
    if (w->v.where && *w->v.where)
        rc = metrics_query_where(&q, w->v.where, err);
    if (rc == 0 && c->p->role == ROLE_OWNER)
        rc = metrics_query_where_values(&q, "touchpoint",
                                        (const char *const *)c->p->touchpoints,
                                        (size_t)c->p->n_touchpoints, err);
    if (rc == 0 && w->by && *w->by)
        rc = metrics_query_by(&q, w->by, err);
    if (rc == 0 && q.n_by > 1)
        rc = err_set(err, ERR_INVALID, "by takes one field");
    metrics_query_days(&q, w->v.from_day, w->v.to_day);
    struct patterns_query pq = {w->kind, w->key, NULL, NULL, 0, &q, 0};
    if (rc == 0 && q.n_by) {
        pq.by = &q.by[0];
        const struct metrics_bins *bins = metrics_query_bins_for(&q, pq.by);
        if (bins) {
            pq.edges = bins->edges;
            pq.n_edges = bins->n;
        }
    }
    if (rc == 0)
        rc = metrics_query_fields(&q, page_prepare_field, &p);
    if (rc == 0)
        rc = patterns_query_fields(&pq, page_prepare_field, &p, err);
    if (rc == 0)
        rc = patterns_run(pr, cs, &pq, err);
    if (rc == 0 && !*pr) /* can't happen: patterns_run sets it */
        rc = err_set(err, ERR_INTERNAL, "patterns gave no result");
    if (rc == 0)
        *res = patterns_report_build(*pr, corners, q.min_n);
    if (rc == 0 && (rc = metrics_filter_rows(&mask, cs, &q, err)) == 0)
        region_hits(hits, n_hits, counts, cs, w->kind, w->key, mask,
                    &w->region);
    free(mask);
    metrics_query_dispose(&q);
    return rc < 0 ? rc : 0;
}

enum http_verdict page_stories(struct call *c)
{
    struct view w;
    struct err err = ERR_INIT;
    struct query_keys triads = {NULL, 0, 0, MAX_KEYS, 0},
                      dyads = {NULL, 0, 0, MAX_KEYS, 0};
    struct patterns_result *pr = NULL;
    struct result *res = NULL;
    struct hit *hits = NULL;
    size_t n_hits = 0;
    int64_t counts[4] = {0, 0, 0, 0};
    const char *corners[3] = {"a", "b", "c"};
    char cbuf[600];
    int csv, rc = 0;
    enum http_verdict verdict = HTTP_DONE;

    memset(&w, 0, sizeof w);
    w.lang = page_lang(c);
    if (page_view_args(c, &w.v, &csv) < 0)
        return HTTP_DONE;
    const char *triad = http_arg(c->req, "triad");
    const char *dyad = http_arg(c->req, "dyad");
    const char *region = http_arg(c->req, "region");
    w.by = http_arg(c->req, "by");
    w.corners_arg = http_arg(c->req, "corners");
    triad = triad && *triad ? triad : NULL;
    dyad = dyad && *dyad ? dyad : NULL;
    if (triad && dyad) {
        err_set(&err, ERR_INVALID, "give triad or dyad, not both");
        return page_fail(c, &err);
    }
    if (w.corners_arg && *w.corners_arg &&
        corners_parse(cbuf, sizeof cbuf, w.corners_arg, corners, &err) < 0)
        return page_fail(c, &err);
    struct store *s = srv_reader(c);
    if (!s)
        return HTTP_DONE;
    struct query_keys *keys[2] = {&triads, &dyads};
    if (store_scan_answers(s, 1u << ANSWER_TRIAD | 1u << ANSWER_DYAD, on_key,
                           keys, &err) < 0) {
        verdict = page_fail(c, &err);
        goto done;
    }
    w.kind = dyad || (!triad && !triads.n && dyads.n) ? PATTERNS_DYAD
                                                      : PATTERNS_TRIAD;
    w.key = triad      ? triad
            : dyad     ? dyad
            : triads.n ? triads.v[0]
            : dyads.n  ? dyads.v[0]
                       : NULL;
    if (!w.key) {
        verdict = empty_page(c, &w, &triads, &dyads,
                             web_t(w.lang, "stories_no_questions"));
        goto done;
    }
    if (story_region_parse(&w.region, region ? region : "",
                           region ? strlen(region) : 0, w.kind, &err) < 0) {
        verdict = page_fail(c, &err);
        goto done;
    }
    struct colstore *cs = resident_lock(c->srv->res);
    rc =
        compute(c, cs, s, &w, corners, &pr, &res, &hits, &n_hits, counts, &err);
    resident_unlock(c->srv->res);
    if (rc < 0 && err.code == ERR_INVALID &&
        !strncmp(err.msg, "no answers", 10)) {
        /* the filters keep no answer: say so, keep the form */
        verdict = empty_page(c, &w, &triads, &dyads,
                             web_t(w.lang, "stories_no_answers"));
        goto done;
    }
    if (rc < 0 || !pr) {
        verdict = page_fail(c, &err);
        goto done;
    }
    if (csv) {
        char file[200];
        snprintf(file, sizeof file, "patterns-%s", w.key);
        verdict = page_send_csv(c, res, file);
        goto done;
    }

    struct strbuf b = STRBUF_INIT;
    const char *title = web_t(w.lang, "stories");
    page_frame_begin(c, &b, title, "/app/stories");
    page_h1(&b, title);
    strbuf_printf(&b, "<p class=\"lead\">%s</p>\n",
                  web_t(w.lang, "stories_lead"));
    question_links(&b, &w, &triads, &dyads);
    filter_form(&b, &w);
    strbuf_puts(&b, "<p class=\"exports\"><a ");
    link_to(&b, &w, NULL, "format=csv");
    strbuf_printf(&b, " download>%s</a></p>\n", web_t(w.lang, "export_csv"));

    page_section(&b, "h-plot", web_t(w.lang, "stories_pattern"));
    strbuf_printf(&b, "<p class=\"note\">%s</p>\n",
                  web_t(w.lang, w.kind == PATTERNS_TRIAD
                                    ? "stories_plot_note"
                                    : "stories_dyad_note"));
    if (w.kind == PATTERNS_TRIAD) {
        triad_plot(&b, &w, pr, corners);
        triad_regions(&b, &w, pr, corners, counts);
    } else {
        dyad_plot(&b, &w, pr);
    }
    strbuf_puts(&b, "</section>\n");

    page_section(&b, "h-stories", web_t(w.lang, "stories_in_region"));
    if (w.region.kind == STORY_REGION_NONE) {
        strbuf_printf(&b, "<p>%s</p>\n", web_t(w.lang, "stories_choose"));
    } else {
        strbuf_puts(&b, "<p class=\"region-head\"><strong>");
        struct strbuf rt = STRBUF_INIT;
        region_title(&rt, &w, corners);
        page_text(&b, strbuf_str(&rt));
        strbuf_dispose(&rt);
        strbuf_puts(&b, "</strong>: ");
        count_text(&b, w.lang, (int64_t)n_hits, pr->n);
        strbuf_printf(&b, ". %s <a ", web_t(w.lang, "stories_newest"));
        link_to(&b, &w, NULL, NULL);
        strbuf_printf(&b, ">%s</a></p>\n", web_t(w.lang, "stories_clear"));
        struct stories x = {c, &b, w.lang, w.kind, corners, NULL, 0};
        size_t read;
        rc = list_stories(s, &x, hits, n_hits, &read, &err);
        if (x.n)
            strbuf_puts(&b, "</ol>\n");
        if (rc < 0) {
            strbuf_dispose(&b);
            verdict = page_fail(c, &err);
            goto done;
        }
        if (!x.n)
            strbuf_printf(&b, "<p>%s</p>\n", web_t(w.lang, "stories_none"));
        else
            strbuf_printf(&b, "<p class=\"note\">%s: %d</p>\n",
                          web_t(w.lang, "stories_shown"), x.n);
        if (x.n < N_STORIES && read < n_hits)
            strbuf_printf(&b, "<p class=\"note\">%s %d.</p>\n",
                          web_t(w.lang, "stories_read_max"), READ_MAX);
    }
    strbuf_puts(&b, "</section>\n");

    page_section(&b, "h-figures", web_t(w.lang, "stories_figures"));
    result_render_with(&b, res, RESULT_FORMAT_HTML,
                       w.lang == WEB_SV ? RESULT_RENDER_SV : 0, &err);
    strbuf_puts(&b, "</section>\n");
    verdict = page_send(c, 200, &b);
done:
    free(hits);
    result_free(res);
    patterns_result_free(pr);
    query_keys_dispose(&triads);
    query_keys_dispose(&dyads);
    return verdict;
}
