/* journey_map.h: the journey map as SVG, and the label layout it shares
 * with journey_process_svg.c (journey_map_int.h). */
#include "report/journey_map.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/escape.h"
#include "core/strbuf.h"
#include "core/xalloc.h"
#include "report/journey_map_int.h"

/* ---- labels ---- */

void journey_map_labels_dispose(struct journey_map_labels *ls)
{
    for (size_t i = 0; i < ls->n; i++) {
        free(ls->v[i].shown);
        free(ls->v[i].full);
    }
    free(ls->v);
    ls->v = NULL;
    ls->n = ls->cap = 0;
}

double journey_map_line_h(double size)
{
    return 1.25 * size;
}

static double char_w(double size, int bold)
{
    return size *
           (bold ? JOURNEY_MAP_EM_PER_CHAR_BOLD : JOURNEY_MAP_EM_PER_CHAR);
}

/* Code points in s[0..n): bytes that do not continue a UTF-8 sequence. */
static size_t chars(const char *s, size_t n)
{
    size_t c = 0;
    for (size_t i = 0; i < n; i++)
        c += ((unsigned char)s[i] & 0xC0) != 0x80;
    return c;
}

/* Byte length of the first k code points of s[0..n). */
static size_t prefix_bytes(const char *s, size_t n, size_t k)
{
    size_t i = 0;
    while (i < n) {
        if (((unsigned char)s[i] & 0xC0) != 0x80) {
            if (k == 0)
                break;
            k--;
        }
        i++;
    }
    return i;
}

double journey_map_text_w(const char *s, double size, int bold)
{
    return (double)chars(s, strlen(s)) * char_w(size, bold);
}

/* s with runs of blanks (space, TAB, CR, LF) as one space, trimmed;
 * caller frees. */
static char *collapse(const char *s)
{
    size_t n = strlen(s), k = 0;
    char *o = xmalloc(n + 1);
    int blank = 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
            blank = k > 0;
            continue;
        }
        if (blank)
            o[k++] = ' ';
        blank = 0;
        o[k++] = c;
    }
    o[k] = 0;
    return o;
}

static const char ellipsis[] = "\xe2\x80\xa6"; /* U+2026 */

struct journey_map_label *journey_map_labels_add(
    struct journey_map_labels *ls, const struct journey_map_style *st,
    double ax, double top, const char *text, double max_w, size_t max_lines)
{
    char *t = collapse(text ? text : "");
    size_t n = strlen(t), pos = 0, lines = 0, widest = 0;
    size_t max_chars = (size_t)(max_w / char_w(st->size, st->bold));
    struct strbuf out = STRBUF_INIT;
    int cut = 0;
    if (max_chars < 2)
        max_chars = 2;
    if (max_lines > JOURNEY_MAP_MAX_LINES)
        max_lines = JOURNEY_MAP_MAX_LINES;
    if (max_lines == 0)
        max_lines = 1;
    while (pos < n && lines < max_lines) {
        const char *p = t + pos;
        size_t rest = n - pos, take, next;
        int hyphen = 0;
        if (chars(p, rest) <= max_chars) {
            take = next = rest;
        } else if (lines + 1 == max_lines) {
            /* the last line: as much as fits with the ellipsis, at a word
             * end when that keeps at least half the line */
            take = prefix_bytes(p, rest, max_chars - 1);
            for (size_t k = take; k > 0; k--)
                if (p[k] == ' ' && chars(p, k) * 2 >= max_chars) {
                    take = k;
                    break;
                }
            next = rest;
            cut = 1;
        } else {
            /* break at the last space, or after the last '/' or '-',
             * that fits; a word longer than the line is broken where the
             * line ends */
            size_t fit = prefix_bytes(p, rest, max_chars);
            take = 0;
            for (size_t k = fit; k > 0; k--)
                if (p[k] == ' ' || p[k - 1] == '/' || p[k - 1] == '-') {
                    take = k;
                    break;
                }
            hyphen = take == 0;
            if (hyphen)
                take = prefix_bytes(p, rest, max_chars - 1);
            next = take;
            while (next < rest && p[next] == ' ')
                next++;
        }
        while (take > 0 && p[take - 1] == ' ')
            take--;
        if (lines)
            strbuf_putc(&out, '\n');
        strbuf_add(&out, p, take);
        size_t c = chars(p, take);
        if (hyphen) {
            strbuf_putc(&out, '-');
            c++;
        }
        if (cut) {
            strbuf_puts(&out, ellipsis);
            c++;
        }
        if (c > widest)
            widest = c;
        pos += next;
        lines++;
    }
    if (lines == 0) {
        strbuf_puts(&out, "");
        lines = 1;
    }
    ls->v = xgrow(ls->v, &ls->cap, ls->n + 1, sizeof *ls->v);
    struct journey_map_label *l = &ls->v[ls->n++];
    memset(l, 0, sizeof *l);
    l->st = *st;
    l->shown = strbuf_detach(&out, NULL);
    if (!l->shown)
        l->shown = xstrdup("");
    l->n_lines = lines;
    l->full = cut ? t : NULL;
    if (!cut)
        free(t);
    double w = (double)widest * char_w(st->size, st->bold);
    double x = st->anchor == JM_START    ? ax
               : st->anchor == JM_MIDDLE ? ax - w / 2
                                         : ax - w;
    l->ax = ax;
    l->box = (struct journey_map_box){
        x, top, w, (double)lines * journey_map_line_h(st->size), st->what};
    return l;
}

void journey_map_labels_pop(struct journey_map_labels *ls)
{
    if (!ls->n)
        return;
    ls->n--;
    free(ls->v[ls->n].shown);
    free(ls->v[ls->n].full);
}

void journey_map_label_move(struct journey_map_label *l, double x, double y)
{
    l->ax += x - l->box.x;
    l->box.x = x;
    l->box.y = y;
}

int journey_map_box_hits(const struct journey_map_box *a,
                         const struct journey_map_box *b, double margin)
{
    return a->x - margin < b->x + b->w && b->x - margin < a->x + a->w &&
           a->y - margin < b->y + b->h && b->y - margin < a->y + a->h;
}

void journey_map_put_text(struct strbuf *b, const char *s)
{
    if (s)
        escape_xml(b, s, strlen(s));
}

void journey_map_labels_write(struct strbuf *b,
                              const struct journey_map_labels *ls)
{
    static const char *const anchors[] = {"start", "middle", "end"};
    for (size_t i = 0; i < ls->n; i++) {
        const struct journey_map_label *l = &ls->v[i];
        double lh = journey_map_line_h(l->st.size);
        /* the first baseline: the box's top plus about the ascent */
        double y = l->box.y + 0.95 * l->st.size;
        strbuf_printf(b,
                      "<text class=\"label\" data-what=\"%s\" "
                      "data-box=\"%.1f %.1f %.1f %.1f\" x=\"%.1f\" "
                      "y=\"%.1f\" font-size=\"%.1f\" text-anchor=\"%s\"",
                      l->st.what, l->box.x, l->box.y, l->box.w, l->box.h, l->ax,
                      y, l->st.size, anchors[l->st.anchor]);
        if (l->st.bold)
            strbuf_puts(b, " font-weight=\"bold\"");
        if (l->st.italic)
            strbuf_puts(b, " font-style=\"italic\"");
        if (l->st.fill)
            strbuf_printf(b, " fill=\"%s\"", l->st.fill);
        if (l->st.halo)
            strbuf_puts(b, " stroke=\"#ffffff\" stroke-width=\"3\" "
                           "stroke-linejoin=\"round\" paint-order=\"stroke\"");
        strbuf_putc(b, '>');
        if (l->full) {
            strbuf_puts(b, "<title>");
            journey_map_put_text(b, l->full);
            strbuf_puts(b, "</title>");
        }
        const char *p = l->shown;
        for (size_t k = 0; k < l->n_lines; k++) {
            const char *e = strchr(p, '\n');
            size_t len = e ? (size_t)(e - p) : strlen(p);
            if (l->n_lines == 1) {
                escape_xml(b, p, len);
            } else {
                strbuf_printf(b, "<tspan x=\"%.1f\" y=\"%.1f\">", l->ax,
                              y + (double)k * lh);
                escape_xml(b, p, len);
                strbuf_puts(b, "</tspan>");
            }
            p = e ? e + 1 : p + len;
        }
        strbuf_puts(b, "</text>\n");
    }
}

int journey_map_lang_sv(const char *lang)
{
    if (!lang || !strcmp(lang, "en"))
        return 0;
    return !strcmp(lang, "sv") ? 1 : -1;
}

const char *journey_map_fmt_nps(char *buf, size_t n, double v, int decimals)
{
    if (isnan(v))
        snprintf(buf, n, "-");
    else
        snprintf(buf, n, "%+.*f", decimals, fabs(v) < 0.05 ? 0.0 : v);
    return buf;
}

/* ---- the map ---- */

struct words {
    const char *stage, *nps, *ci, *drop_off, *themes, *verbatim;
    const char *mot, *measured, *pain, *low_n, *no_answers, *map_of;
    const char *by_stage;
};

static const struct words words_en = {
    .stage = "Stage",
    .nps = "NPS",
    .ci = "95% CI",
    .drop_off = "Drop-off",
    .themes = "Top themes",
    .verbatim = "Verbatim",
    .mot = "Moment of truth",
    .measured = "Measured moment",
    .pain = "Pain point",
    .low_n = "* n < 30",
    .no_answers = "no answers",
    .map_of = "Journey map",
    .by_stage = "NPS by stage",
};

static const struct words words_sv = {
    .stage = "Steg",
    .nps = "NPS",
    .ci = "95% KI",
    .drop_off = "Tapp",
    .themes = "Vanligaste teman",
    .verbatim = "Röst",
    .mot = "Sanningens ögonblick",
    .measured = "Uppmätt ögonblick",
    .pain = "Smärtpunkt",
    .low_n = "* n < 30",
    .no_answers = "inga svar",
    .map_of = "Kundresekarta",
    .by_stage = "NPS per steg",
};

#define M 16.0          /* margin */
#define RH 124.0        /* the row headers' column */
#define TARGET_W 1180.0 /* fits a 1280 px window */
#define COL_MIN 150.0
#define COL_MAX 260.0
#define PLOT_H 130.0
#define LABEL_ROOM 38.0 /* above the plot, for the values */
#define NPS_W 50.0      /* a touchpoint's NPS and n */
#define MARK_W 13.0
#define LOW_N 30

#define PI 3.14159265358979323846

static const char *const ink = "#222222";
static const char *const drop_ink = "#A63A00";

/* A touchpoint's box in the grid. */
struct chip {
    double x, y, w, h;
    size_t stage;
    const struct journey_map_touchpoint *tp;
};

struct layout {
    const struct journey_map *m;
    const struct words *w;
    const char *ch[JOURNEY_MAP_MAX_CHANNELS];
    size_t n_ch;
    double W, H, col_w, x0;
    double head_top, head_h;
    double plot_top, plot_bot, ymin, ymax, ystep;
    double drop_top, drop_h;
    double grid_top, row_top[JOURNEY_MAP_MAX_CHANNELS + 1];
    double legend_top;
    struct chip *chips;
    size_t n_chips;
    struct journey_map_labels labels;
};

static const char *or_key(const char *name, const char *key)
{
    return name && *name ? name : key;
}

static int validate(struct layout *L, const struct journey_map *m,
                    struct err *err)
{
    int sv = journey_map_lang_sv(m->lang);
    L->w = &words_en;
    if (sv < 0)
        return err_set(err, ERR_INVALID,
                       "journey map: language must be sv or en, got \"%s\"",
                       m->lang);
    L->w = sv ? &words_sv : &words_en;
    if (m->n_stages == 0 || !m->stages)
        return err_set(err, ERR_INVALID, "journey map: no stages");
    if (m->n_stages > JOURNEY_MAP_MAX_STAGES)
        return err_set(err, ERR_INVALID,
                       "journey map: %zu stages, at most %d can be drawn",
                       m->n_stages, JOURNEY_MAP_MAX_STAGES);
    if (m->n_channels > JOURNEY_MAP_MAX_CHANNELS)
        return err_set(err, ERR_INVALID,
                       "journey map: %zu channels, at most %d can be drawn",
                       m->n_channels, JOURNEY_MAP_MAX_CHANNELS);
    for (size_t i = 0; i < m->n_channels; i++) {
        if (!m->channels[i])
            return err_set(err, ERR_INVALID,
                           "journey map: channel %zu "
                           "has no name",
                           i + 1);
        L->ch[L->n_ch++] = m->channels[i];
    }
    for (size_t i = 0; i < m->n_stages; i++) {
        const struct journey_map_stage *s = &m->stages[i];
        if (!s->key || !*s->key)
            return err_set(err, ERR_INVALID,
                           "journey map: stage %zu has no key", i + 1);
        if (s->n_themes > JOURNEY_MAP_THEMES)
            return err_set(err, ERR_INVALID,
                           "journey map: stage %s has %zu themes, at most %d",
                           s->key, s->n_themes, JOURNEY_MAP_THEMES);
        if (s->n_touchpoints && !s->touchpoints)
            return err_set(err, ERR_INVALID,
                           "journey map: stage %s has no touchpoints array",
                           s->key);
        for (size_t t = 0; t < s->n_touchpoints; t++) {
            const struct journey_map_touchpoint *tp = &s->touchpoints[t];
            if (!tp->key || !*tp->key)
                return err_set(err, ERR_INVALID,
                               "journey map: touchpoint %zu of stage %s has "
                               "no key",
                               t + 1, s->key);
            if (!tp->channel)
                return err_set(err, ERR_INVALID,
                               "journey map: touchpoint %s has no channel",
                               tp->key);
            size_t c = 0;
            while (c < L->n_ch && strcmp(L->ch[c], tp->channel) != 0)
                c++;
            if (c < L->n_ch)
                continue;
            if (m->n_channels)
                return err_set(err, ERR_INVALID,
                               "journey map: touchpoint %s: channel \"%s\" "
                               "is not one of the map's channels",
                               tp->key, tp->channel);
            if (L->n_ch == JOURNEY_MAP_MAX_CHANNELS)
                return err_set(err, ERR_INVALID,
                               "journey map: more than %d channels",
                               JOURNEY_MAP_MAX_CHANNELS);
            L->ch[L->n_ch++] = tp->channel;
        }
    }
    return 0;
}

static struct journey_map_label *add(struct layout *L, double size, int bold,
                                     enum journey_map_anchor a,
                                     const char *fill, const char *what,
                                     double ax, double top, const char *text,
                                     double max_w, size_t max_lines)
{
    struct journey_map_style st = {size, bold, 0, a, fill, 0, what};
    return journey_map_labels_add(&L->labels, &st, ax, top, text, max_w,
                                  max_lines);
}

static double col_left(const struct layout *L, size_t i)
{
    return L->x0 + (double)i * L->col_w;
}

static double col_mid(const struct layout *L, size_t i)
{
    return col_left(L, i) + L->col_w / 2;
}

/* y of v, kept inside the plot (a value past +-100 is the caller's). */
static double plot_y(const struct layout *L, double v)
{
    v = fmin(fmax(v, L->ymin), L->ymax);
    return L->plot_bot -
           (v - L->ymin) / (L->ymax - L->ymin) * (L->plot_bot - L->plot_top);
}

/* The value axis: from the lowest CI bound to the highest, 0 included, in
 * round steps; at most 6 of them. */
static void axis(struct layout *L)
{
    static const double steps[] = {5, 10, 20, 25, 50};
    double lo = 0, hi = 0;
    int any = 0;
    for (size_t i = 0; i < L->m->n_stages; i++) {
        const struct estimate *e = &L->m->stages[i].nps;
        const double v[3] = {e->value, e->lo, e->hi};
        for (int k = 0; k < 3; k++)
            if (isfinite(v[k])) {
                lo = fmin(lo, v[k]);
                hi = fmax(hi, v[k]);
                any = 1;
            }
    }
    if (!any) {
        lo = -50;
        hi = 50;
    }
    lo = fmax(lo, -100);
    hi = fmin(hi, 100);
    for (size_t k = 0; k < sizeof steps / sizeof *steps; k++) {
        L->ystep = steps[k];
        L->ymin = floor(lo / L->ystep) * L->ystep;
        L->ymax = ceil(hi / L->ystep) * L->ystep;
        if (L->ymax <= L->ymin)
            L->ymax = L->ymin + L->ystep;
        if ((L->ymax - L->ymin) / L->ystep <= 6)
            break;
    }
}

/* Steps of the value axis. */
static int ticks(const struct layout *L)
{
    return (int)lround((L->ymax - L->ymin) / L->ystep);
}

static const char *nps_colour(double v)
{
    if (isnan(v))
        return "#BBBBBB";
    if (v < -10)
        return "#D55E00";
    if (v < 10)
        return "#E69F00";
    if (v < 30)
        return "#56B4E9";
    return "#009E73";
}

static size_t n_marks(const struct journey_map_touchpoint *tp)
{
    return (size_t)(tp->moment_of_truth != 0) +
           (size_t)(tp->measured_moment != 0) + (size_t)(tp->pain != 0);
}

/* "n 123", "n 12k" from 10,000 on (the whole n is in the chip's title),
 * with a '*' under the minimum n. */
static void fmt_n(char *buf, size_t size, int64_t n)
{
    if (n < 10000)
        snprintf(buf, size, "n %lld%s", (long long)n, n < LOW_N ? "*" : "");
    else if (n < 10000000)
        snprintf(buf, size, "n %lldk", (long long)(n / 1000));
    else
        snprintf(buf, size, "n %lldM", (long long)(n / 1000000));
}

/* The header, the curve's labels and the drop-off row. */
static void lay_top(struct layout *L)
{
    const struct journey_map *m = L->m;
    const struct words *w = L->w;
    char a[64], b[96], c[32];
    double lh13 = journey_map_line_h(13);
    add(L, 18, 1, JM_START, ink, "title", M, 10,
        m->title ? m->title : w->map_of, L->W - 2 * M, 1);
    L->head_top = 44;
    L->head_h = 2 * lh13 + 12;
    add(L, 12, 1, JM_START, ink, "row", M, L->head_top + 8, w->stage, RH - 10,
        2);
    for (size_t i = 0; i < m->n_stages; i++) {
        const struct journey_map_stage *s = &m->stages[i];
        struct journey_map_label *l =
            add(L, 13, 1, JM_MIDDLE, ink, "stage", col_mid(L, i), 0,
                or_key(s->name, s->key), L->col_w - 18, 2);
        journey_map_label_move(l, l->box.x,
                               L->head_top + (L->head_h - l->box.h) / 2);
    }

    double panel_top = L->head_top + L->head_h + 8;
    L->plot_top = panel_top + LABEL_ROOM;
    L->plot_bot = L->plot_top + PLOT_H;
    axis(L);
    add(L, 12, 1, JM_START, ink, "row", M, panel_top, w->nps, RH - 50, 1);
    add(L, 10, 0, JM_START, "#555555", "row", M, panel_top + 17, w->ci, RH - 50,
        1);
    double lh11 = journey_map_line_h(11);
    for (int k = 0; k <= ticks(L); k++) {
        double v = L->ymin + k * L->ystep;
        add(L, 11, 0, JM_END, "#555555", "tick", M + RH - 8,
            plot_y(L, v) - lh11 / 2, journey_map_fmt_nps(c, sizeof c, v, 0), 40,
            1);
    }
    for (size_t i = 0; i < m->n_stages; i++) {
        const struct estimate *e = &m->stages[i].nps;
        double mid = col_mid(L, i), mw = L->col_w - 14;
        if (isnan(e->value)) {
            add(L, 11, 0, JM_MIDDLE, "#555555", "nps", mid,
                (L->plot_top + L->plot_bot) / 2 - lh11 / 2, w->no_answers, mw,
                1);
            continue;
        }
        double top = plot_y(L, isfinite(e->hi) ? e->hi : e->value) - 6 - lh11 -
                     journey_map_line_h(10);
        if (top < panel_top)
            top = panel_top;
        struct journey_map_label *l =
            add(L, 12, 1, JM_MIDDLE, ink, "nps", mid, top,
                journey_map_fmt_nps(a, sizeof a, e->value, 1), mw, 1);
        l->st.halo = 1;
        if (isfinite(e->lo) && isfinite(e->hi))
            snprintf(b, sizeof b, "[%.1f, %.1f] n %lld%s", e->lo, e->hi,
                     (long long)e->n, e->n < LOW_N ? "*" : "");
        else
            snprintf(b, sizeof b, "n %lld%s", (long long)e->n,
                     e->n < LOW_N ? "*" : "");
        l = add(L, 10, 0, JM_MIDDLE, "#444444", "ci", mid,
                top + journey_map_line_h(12), b, mw, 1);
        l->st.halo = 1;
    }

    L->drop_top = L->plot_bot + 14;
    L->drop_h = journey_map_line_h(12) + journey_map_line_h(10) + 12;
    add(L, 12, 1, JM_START, drop_ink, "row", M, L->drop_top + 4, w->drop_off,
        RH - 10, 2);
    for (size_t i = 0; i + 1 < m->n_stages; i++) {
        const struct estimate *e = &m->stages[i].drop_off;
        if (isnan(e->value))
            continue;
        double xb = col_left(L, i + 1), mw = L->col_w - 20;
        snprintf(a, sizeof a, "%.1f%%%s", e->value,
                 e->n > 0 && e->n < LOW_N ? "*" : "");
        add(L, 12, 1, JM_MIDDLE, drop_ink, "drop", xb, L->drop_top + 3, a, mw,
            1);
        if (isfinite(e->lo) && isfinite(e->hi)) {
            snprintf(b, sizeof b, "[%.1f, %.1f]", e->lo, e->hi);
            add(L, 10, 0, JM_MIDDLE, drop_ink, "drop", xb,
                L->drop_top + 3 + journey_map_line_h(12), b, mw, 1);
        }
    }
}

/* The channel rows: each cell's touchpoints stacked as chips. */
static void lay_grid(struct layout *L)
{
    const struct journey_map *m = L->m;
    double lh11 = journey_map_line_h(11), lh9 = journey_map_line_h(9.5);
    size_t total = 0;
    char a[32], b[48];
    for (size_t i = 0; i < m->n_stages; i++)
        total += m->stages[i].n_touchpoints;
    L->chips = xcalloc(total ? total : 1, sizeof *L->chips);
    L->grid_top = L->drop_top + L->drop_h + 6;
    double y = L->grid_top;
    for (size_t r = 0; r < L->n_ch; r++) {
        L->row_top[r] = y;
        double row_h = 0;
        struct journey_map_label *hl = add(L, 12, 1, JM_START, ink, "channel",
                                           M + 4, y + 8, L->ch[r], RH - 14, 2);
        row_h = hl->box.h + 12;
        for (size_t i = 0; i < m->n_stages; i++) {
            const struct journey_map_stage *s = &m->stages[i];
            double cy = y + 6;
            for (size_t t = 0; t < s->n_touchpoints; t++) {
                const struct journey_map_touchpoint *tp = &s->touchpoints[t];
                if (strcmp(tp->channel, L->ch[r]) != 0)
                    continue;
                struct chip *k = &L->chips[L->n_chips++];
                k->stage = i;
                k->tp = tp;
                k->x = col_left(L, i) + 6;
                k->w = L->col_w - 12;
                k->y = cy;
                double right = k->x + k->w - 5;
                double name_w =
                    k->w - 12 - NPS_W - MARK_W * (double)n_marks(tp) - 4;
                struct journey_map_label *l =
                    add(L, 11, 0, JM_START, ink, "touchpoint", k->x + 10,
                        cy + 4, or_key(tp->name, tp->key), name_w, 3);
                double h = fmax(l->box.h, lh11 + lh9) + 8;
                add(L, 11, 1, JM_END, ink, "tp-nps", right, cy + 4,
                    journey_map_fmt_nps(a, sizeof a, tp->nps.value, 0),
                    NPS_W - 4, 1);
                fmt_n(b, sizeof b, tp->nps.n);
                add(L, 9.5, 0, JM_END, "#555555", "tp-n", right, cy + 4 + lh11,
                    b, NPS_W - 4, 1);
                k->h = h;
                cy += h + 4;
            }
            row_h = fmax(row_h, cy - y + 2);
        }
        y += fmax(row_h, 34);
    }
    L->row_top[L->n_ch] = y;
}

/* Under the grid: themes and a verbatim per stage, then the legend. */
static void lay_bottom(struct layout *L)
{
    const struct journey_map *m = L->m;
    const struct words *w = L->w;
    double lh11 = journey_map_line_h(11);
    char buf[512];
    double y = L->row_top[L->n_ch] + 12;
    size_t most = 0;
    int verbatims = 0;
    for (size_t i = 0; i < m->n_stages; i++) {
        if (m->stages[i].n_themes > most)
            most = m->stages[i].n_themes;
        verbatims |= m->stages[i].verbatim && *m->stages[i].verbatim;
    }
    if (most) {
        add(L, 12, 1, JM_START, ink, "row", M, y, w->themes, RH - 10, 2);
        for (size_t i = 0; i < m->n_stages; i++)
            for (size_t t = 0; t < m->stages[i].n_themes; t++) {
                const struct journey_map_theme *th = &m->stages[i].themes[t];
                if (isfinite(th->share_pct))
                    snprintf(buf, sizeof buf, "%.0f%% %s", th->share_pct,
                             th->label ? th->label : "");
                else
                    snprintf(buf, sizeof buf, "%s", th->label ? th->label : "");
                add(L, 11, 0, JM_START, ink, "theme", col_left(L, i) + 8,
                    y + (double)t * (lh11 + 3), buf, L->col_w - 16, 1);
            }
        y += fmax((double)most * (lh11 + 3), 2 * journey_map_line_h(12)) + 8;
    }
    if (verbatims) {
        double bottom = y + 2 * journey_map_line_h(12);
        add(L, 12, 1, JM_START, ink, "row", M, y, w->verbatim, RH - 10, 2);
        for (size_t i = 0; i < m->n_stages; i++) {
            const char *v = m->stages[i].verbatim;
            if (!v || !*v)
                continue;
            /* quotes around the words, kept when the text is cut */
            size_t qn = strlen(v) + 8;
            char *q = xmalloc(qn);
            snprintf(q, qn, "\xe2\x80\x9c%s\xe2\x80\x9d", v);
            struct journey_map_style st = {11,        0, 1,         JM_START,
                                           "#333333", 0, "verbatim"};
            struct journey_map_label *l = journey_map_labels_add(
                &L->labels, &st, col_left(L, i) + 8, y, q, L->col_w - 16, 5);
            free(q);
            bottom = fmax(bottom, l->box.y + l->box.h);
        }
        y = bottom + 8;
    }

    /* the legend flows left to right, an icon before each entry */
    L->legend_top = y + 6;
    const char *entries[] = {w->mot,    w->measured, w->pain, w->ci,   "< -10",
                             "-10..10", "10..30",    ">= 30", w->low_n};
    double x = M, ly = L->legend_top;
    for (size_t k = 0; k < sizeof entries / sizeof *entries; k++) {
        const char *e = entries[k];
        int icon = k < 8;
        double wd = (icon ? 18 : 0) + journey_map_text_w(e, 11, 0);
        if (x + wd > L->W - M && x > M) {
            x = M;
            ly += lh11 + 6;
        }
        add(L, 11, 0, JM_START, ink, "legend", x + (icon ? 18 : 0), ly, e,
            L->W - 2 * M, 1);
        x += wd + 22;
    }
    L->H = ly + lh11 + 12;
}

static void layout_dispose(struct layout *L)
{
    journey_map_labels_dispose(&L->labels);
    free(L->chips);
}

static int layout_build(struct layout *L, const struct journey_map *m,
                        struct err *err)
{
    memset(L, 0, sizeof *L);
    L->m = m;
    int rc = validate(L, m, err);
    if (rc < 0)
        return rc;
    double n = (double)m->n_stages;
    L->col_w = fmin(COL_MAX, fmax(COL_MIN, (TARGET_W - 2 * M - RH) / n));
    L->x0 = M + RH;
    L->W = 2 * M + RH + n * L->col_w;
    lay_top(L);
    lay_grid(L);
    lay_bottom(L);
    return 0;
}

/* ---- drawing ---- */

static void star(struct strbuf *b, double cx, double cy, double r)
{
    strbuf_puts(b, "<polygon class=\"mot\" points=\"");
    for (int k = 0; k < 10; k++) {
        double a = -PI / 2 + k * PI / 5, rr = k % 2 ? r * 0.45 : r;
        strbuf_printf(b, "%s%.1f,%.1f", k ? " " : "", cx + rr * cos(a),
                      cy + rr * sin(a));
    }
    strbuf_puts(b, "\" fill=\"#E69F00\" stroke=\"#7A5200\" "
                   "stroke-width=\"0.8\"/>");
}

static void diamond(struct strbuf *b, double cx, double cy, double r)
{
    strbuf_printf(b,
                  "<polygon class=\"measured\" points=\"%.1f,%.1f %.1f,%.1f "
                  "%.1f,%.1f %.1f,%.1f\" fill=\"#FFFFFF\" stroke=\"#0072B2\" "
                  "stroke-width=\"2\"/>",
                  cx, cy - r, cx + r, cy, cx, cy + r, cx - r, cy);
}

static void triangle(struct strbuf *b, double cx, double cy, double r)
{
    strbuf_printf(b,
                  "<polygon class=\"pain\" points=\"%.1f,%.1f %.1f,%.1f "
                  "%.1f,%.1f\" fill=\"#D55E00\" stroke=\"#7A2A00\" "
                  "stroke-width=\"0.8\"/>",
                  cx, cy - r, cx + r, cy + r * 0.8, cx - r, cy + r * 0.8);
}

static void put_estimate(struct strbuf *b, const struct estimate *e)
{
    char v[32];
    strbuf_puts(b, journey_map_fmt_nps(v, sizeof v, e->value, 1));
    if (isfinite(e->lo) && isfinite(e->hi))
        strbuf_printf(b, " [%.1f, %.1f]", e->lo, e->hi);
    strbuf_printf(b, ", n %lld", (long long)e->n);
}

static void draw_desc(struct strbuf *b, const struct layout *L)
{
    const struct journey_map *m = L->m;
    strbuf_puts(b, "<title id=\"jm-t\">");
    journey_map_put_text(b, m->title ? m->title : L->w->map_of);
    strbuf_printf(b, "</title>\n<desc id=\"jm-d\">%s: ", L->w->by_stage);
    for (size_t i = 0; i < m->n_stages; i++) {
        const struct journey_map_stage *s = &m->stages[i];
        strbuf_puts(b, i ? "; " : "");
        journey_map_put_text(b, or_key(s->name, s->key));
        strbuf_putc(b, ' ');
        put_estimate(b, &s->nps);
        if (isfinite(s->drop_off.value))
            strbuf_printf(b, ", %s %.1f%%", L->w->drop_off, s->drop_off.value);
    }
    strbuf_puts(b, ".</desc>\n");
}

static void draw_curve(struct strbuf *b, const struct layout *L)
{
    const struct journey_map *m = L->m;
    double x1 = L->x0, x2 = col_left(L, m->n_stages);
    strbuf_puts(b, "<g id=\"jm-curve\">\n");
    for (int k = 0; k <= ticks(L); k++) {
        double v = L->ymin + k * L->ystep;
        strbuf_printf(b,
                      "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
                      "stroke=\"%s\" stroke-width=\"1\"%s/>\n",
                      x1, plot_y(L, v), x2, plot_y(L, v),
                      fabs(v) < 1e-9 ? "#888888" : "#E4E4E4",
                      fabs(v) < 1e-9 ? " stroke-dasharray=\"4 3\"" : "");
    }
    /* the band: a piece between each two neighbouring stages that both
     * have a CI, and a bar for a stage alone */
    strbuf_puts(b, "<g class=\"ci-band\" fill=\"#0072B2\" "
                   "fill-opacity=\"0.18\" stroke=\"none\">\n");
    for (size_t i = 0; i < m->n_stages; i++) {
        const struct estimate *e = &m->stages[i].nps;
        if (!isfinite(e->lo) || !isfinite(e->hi))
            continue;
        const struct estimate *f =
            i + 1 < m->n_stages ? &m->stages[i + 1].nps : NULL;
        if (f && isfinite(f->lo) && isfinite(f->hi)) {
            strbuf_printf(b,
                          "<polygon points=\"%.1f,%.1f %.1f,%.1f %.1f,%.1f "
                          "%.1f,%.1f\"/>\n",
                          col_mid(L, i), plot_y(L, e->hi), col_mid(L, i + 1),
                          plot_y(L, f->hi), col_mid(L, i + 1), plot_y(L, f->lo),
                          col_mid(L, i), plot_y(L, e->lo));
        }
        strbuf_printf(b,
                      "<rect x=\"%.1f\" y=\"%.1f\" width=\"8\" "
                      "height=\"%.1f\" fill-opacity=\"0.35\"/>\n",
                      col_mid(L, i) - 4, plot_y(L, e->hi),
                      plot_y(L, e->lo) - plot_y(L, e->hi));
    }
    strbuf_puts(b, "</g>\n<polyline class=\"nps-line\" fill=\"none\" "
                   "stroke=\"#0072B2\" stroke-width=\"2.5\" points=\"");
    int first = 1;
    for (size_t i = 0; i < m->n_stages; i++) {
        double v = m->stages[i].nps.value;
        if (isnan(v))
            continue;
        strbuf_printf(b, "%s%.1f,%.1f", first ? "" : " ", col_mid(L, i),
                      plot_y(L, v));
        first = 0;
    }
    strbuf_puts(b, "\"/>\n");
    for (size_t i = 0; i < m->n_stages; i++) {
        const struct journey_map_stage *s = &m->stages[i];
        if (isnan(s->nps.value))
            continue;
        strbuf_printf(b,
                      "<circle class=\"nps-point\" cx=\"%.1f\" cy=\"%.1f\" "
                      "r=\"5\" fill=\"%s\" stroke=\"#0072B2\" "
                      "stroke-width=\"2\"><title>",
                      col_mid(L, i), plot_y(L, s->nps.value),
                      nps_colour(s->nps.value));
        journey_map_put_text(b, or_key(s->name, s->key));
        strbuf_puts(b, ": NPS ");
        put_estimate(b, &s->nps);
        strbuf_puts(b, "</title></circle>\n");
    }
    strbuf_puts(b, "</g>\n");
}

static void draw_grid(struct strbuf *b, const struct layout *L)
{
    const struct journey_map *m = L->m;
    const struct words *w = L->w;
    double x2 = col_left(L, m->n_stages);
    strbuf_puts(b, "<g id=\"jm-grid\">\n");
    for (size_t r = 0; r < L->n_ch; r++)
        strbuf_printf(b,
                      "<rect class=\"channel-row\" x=\"%.1f\" y=\"%.1f\" "
                      "width=\"%.1f\" height=\"%.1f\" fill=\"%s\"/>\n",
                      M, L->row_top[r], x2 - M,
                      L->row_top[r + 1] - L->row_top[r],
                      r % 2 ? "#FFFFFF" : "#F4F6F8");
    for (size_t i = 0; i <= m->n_stages; i++)
        strbuf_printf(b,
                      "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
                      "stroke=\"#D0D4D8\"/>\n",
                      col_left(L, i), L->head_top, col_left(L, i),
                      L->row_top[L->n_ch]);
    for (size_t k = 0; k < L->n_chips; k++) {
        const struct chip *c = &L->chips[k];
        const struct journey_map_touchpoint *tp = c->tp;
        strbuf_puts(b, "<g class=\"touchpoint\"><title>");
        journey_map_put_text(b, or_key(tp->name, tp->key));
        strbuf_puts(b, ": NPS ");
        put_estimate(b, &tp->nps);
        if (tp->moment_of_truth)
            strbuf_printf(b, "; %s", w->mot);
        if (tp->measured_moment)
            strbuf_printf(b, "; %s", w->measured);
        if (tp->pain)
            strbuf_printf(b, "; %s", w->pain);
        strbuf_printf(b,
                      "</title>\n<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
                      "height=\"%.1f\" rx=\"4\" fill=\"#FFFFFF\" "
                      "stroke=\"%s\" stroke-width=\"%s\"/>"
                      "<rect x=\"%.1f\" y=\"%.1f\" width=\"5\" height=\"%.1f\" "
                      "fill=\"%s\"/>",
                      c->x, c->y, c->w, c->h, tp->pain ? "#D55E00" : "#B8BEC4",
                      tp->pain ? "1.5" : "1", c->x, c->y, c->h,
                      nps_colour(tp->nps.value));
        double mx = c->x + c->w - 5 - NPS_W - MARK_W / 2, my = c->y + 11;
        if (tp->moment_of_truth) {
            star(b, mx, my, 6);
            mx -= MARK_W;
        }
        if (tp->measured_moment) {
            diamond(b, mx, my, 5);
            mx -= MARK_W;
        }
        if (tp->pain)
            triangle(b, mx, my, 5);
        strbuf_puts(b, "</g>\n");
    }
    strbuf_puts(b, "</g>\n");
}

static void draw_rest(struct strbuf *b, const struct layout *L)
{
    const struct journey_map *m = L->m;
    /* the stage heads as arrows pointing on */
    strbuf_puts(b, "<g id=\"jm-stages\">\n");
    for (size_t i = 0; i < m->n_stages; i++) {
        double x = col_left(L, i) + 2, y = L->head_top, w = L->col_w - 4,
               h = L->head_h, tip = i + 1 < m->n_stages ? 10 : 0;
        strbuf_printf(b,
                      "<polygon class=\"stage\" points=\"%.1f,%.1f %.1f,%.1f "
                      "%.1f,%.1f %.1f,%.1f %.1f,%.1f\" fill=\"#DCE9F5\"/>\n",
                      x, y, x + w - tip, y, x + w, y + h / 2, x + w - tip,
                      y + h, x, y + h);
    }
    strbuf_puts(b, "</g>\n<g id=\"jm-drop\">\n");
    for (size_t i = 0; i + 1 < m->n_stages; i++) {
        const struct estimate *e = &m->stages[i].drop_off;
        if (isnan(e->value))
            continue;
        double full = L->col_w - 20, v = fmin(fmax(e->value, 0), 100);
        double xb = col_left(L, i + 1), y = L->drop_top + L->drop_h - 6;
        strbuf_printf(b,
                      "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
                      "height=\"4\" fill=\"#EEEEEE\"/>"
                      "<rect class=\"drop\" x=\"%.1f\" y=\"%.1f\" "
                      "width=\"%.1f\" height=\"4\" fill=\"%s\"/>\n",
                      xb - full / 2, y, full, xb - full / 2, y, full * v / 100,
                      drop_ink);
    }
    strbuf_puts(b, "</g>\n");
    /* the legend's icons, before their entries (the last is text only) */
    size_t at = L->labels.n;
    for (size_t k = 0; k < L->labels.n; k++)
        if (!strcmp(L->labels.v[k].st.what, "legend")) {
            at = k;
            break;
        }
    static const char *const swatch[] = {"#D55E00", "#E69F00", "#56B4E9",
                                         "#009E73"};
    strbuf_puts(b, "<g id=\"jm-legend\">\n");
    for (size_t k = 0; k < 8 && at + k < L->labels.n; k++) {
        const struct journey_map_box *x = &L->labels.v[at + k].box;
        double cx = x->x - 10, cy = x->y + x->h / 2;
        if (k == 0)
            star(b, cx, cy, 6);
        else if (k == 1)
            diamond(b, cx, cy, 5);
        else if (k == 2)
            triangle(b, cx, cy, 5);
        else if (k == 3)
            strbuf_printf(b,
                          "<rect x=\"%.1f\" y=\"%.1f\" width=\"14\" "
                          "height=\"10\" fill=\"#0072B2\" "
                          "fill-opacity=\"0.18\"/>",
                          cx - 7, cy - 5);
        else
            strbuf_printf(b,
                          "<rect x=\"%.1f\" y=\"%.1f\" width=\"6\" "
                          "height=\"12\" fill=\"%s\"/>",
                          cx - 3, cy - 6, swatch[k - 4]);
        strbuf_putc(b, '\n');
    }
    strbuf_puts(b, "</g>\n");
}

int journey_map_render_svg(struct strbuf *out, const struct journey_map *m,
                           struct err *err)
{
    struct layout L;
    struct strbuf b = STRBUF_INIT;
    int rc = layout_build(&L, m, err);
    if (rc < 0)
        goto done;
    strbuf_printf(&b,
                  "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                  "<svg xmlns=\"http://www.w3.org/2000/svg\" "
                  "class=\"journey-map\" width=\"%.0f\" height=\"%.0f\" "
                  "viewBox=\"0 0 %.0f %.0f\" role=\"img\" "
                  "aria-labelledby=\"jm-t jm-d\" font-family=\"sans-serif\" "
                  "font-size=\"12\">\n",
                  L.W, L.H, L.W, L.H);
    draw_desc(&b, &L);
    strbuf_puts(&b,
                "<rect width=\"100%\" height=\"100%\" fill=\"#FFFFFF\"/>\n");
    draw_rest(&b, &L);
    draw_curve(&b, &L);
    draw_grid(&b, &L);
    strbuf_puts(&b, "<g id=\"jm-labels\" fill=\"#222222\">\n");
    journey_map_labels_write(&b, &L.labels);
    strbuf_puts(&b, "</g>\n</svg>\n");
    /* built whole, then appended in one piece: a maximum reached leaves
     * out as it was */
    rc = strbuf_add(out, b.p ? b.p : "", b.n);
    if (rc < 0)
        err_set(err, rc, "journey map: the SVG is too large");
done:
    layout_dispose(&L);
    strbuf_dispose(&b);
    return rc;
}

int journey_map_label_boxes(struct journey_map_box **out, size_t *n,
                            const struct journey_map *m, struct err *err)
{
    struct layout L;
    int rc = layout_build(&L, m, err);
    *out = NULL;
    *n = 0;
    if (rc == 0) {
        *out = xcalloc(L.labels.n ? L.labels.n : 1, sizeof **out);
        for (size_t i = 0; i < L.labels.n; i++)
            (*out)[i] = L.labels.v[i].box;
        *n = L.labels.n;
    }
    layout_dispose(&L);
    return rc;
}
