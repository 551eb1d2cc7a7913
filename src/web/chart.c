/* Line and bar charts as inline SVG with a table of their figures
 * (chart.h).
 *
 * Geometry is in viewBox units (a chart is 480 wide and scales with its
 * container); coordinates are written with one decimal, so the tests can
 * read them back. Decimals of figures follow the axis: two when the axis
 * spans 10 or less (a mean on 1..5), else one (NPS, shares). */
#include "web/chart.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/escape.h"
#include "core/strbuf.h"
#include "report/result.h"
#include "web/svg.h"

/* the viewBox */
#define W 480.0
#define LINE_H 260.0
#define LINE_LEFT 48.0
#define LINE_RIGHT 12.0
#define LINE_TOP 28.0
#define LINE_BOTTOM 36.0
#define LINE_PAD 12.0 /* between the y axis and the first point */
#define ROW_H 26.0
#define BAR_H 14.0
#define BARS_TOP 12.0
#define BARS_BOTTOM 32.0
#define BARS_VALUES 56.0 /* the column of values at the right */
#define CHAR_W 8.0       /* a character of a label, roughly */

int web_number(struct strbuf *out, enum web_lang lang, double v, int decimals,
               int sign)
{
    return result_number_text(out, v, decimals, sign,
                              lang == WEB_SV ? RESULT_RENDER_SV : 0);
}

/* ---- output with the first error kept ---- */

static void num(struct svg *s, double v, int decimals, int sign)
{
    if (!s->rc)
        s->rc = web_number(s->b, s->lang, v, decimals, sign);
}

static const char *t(struct svg *s, const char *key)
{
    return web_t(s->lang, key);
}

/* ---- scales ---- */

struct scale {
    double lo, hi, step; /* the axis and its ticks */
    double p0, p1;       /* lo and hi in viewBox units */
    int decimals;        /* of figures and ticks */
};

/* The axis from the data (NaN ends) or as given; zero0: include 0. */
static void scale_fit(struct scale *sc, const struct chart_point *pts, size_t n,
                      double lo, double hi, int zero0)
{
    double dlo = zero0 ? 0 : INFINITY, dhi = zero0 ? 0 : -INFINITY;
    for (size_t i = 0; i < n; i++) {
        const double v[3] = {pts[i].value, pts[i].lo, pts[i].hi};
        if (!isfinite(pts[i].value))
            continue;
        for (int k = 0; k < 3; k++)
            if (isfinite(v[k])) {
                dlo = v[k] < dlo ? v[k] : dlo;
                dhi = v[k] > dhi ? v[k] : dhi;
            }
    }
    if (!isfinite(dlo) || !isfinite(dhi))
        dlo = 0, dhi = 1;
    if (dhi - dlo < 1e-9) {
        double d = fabs(dlo) > 1e-9 ? fabs(dlo) * 0.1 : 1;
        dlo -= d;
        dhi += d;
    }
    double step = svg_nice_step(dhi - dlo);
    sc->lo = isfinite(lo) ? lo : floor(dlo / step) * step;
    sc->hi = isfinite(hi) ? hi : ceil(dhi / step) * step;
    if (!(sc->hi > sc->lo) || !isfinite(sc->hi - sc->lo)) {
        /* given backwards or beyond doubles: from the data */
        sc->lo = floor(dlo / step) * step;
        sc->hi = ceil(dhi / step) * step;
    }
    if (!isfinite(sc->hi - sc->lo) || !(sc->hi > sc->lo))
        sc->lo = -1, sc->hi = 1; /* figures near DBL_MAX: nothing sane */
    sc->step = svg_nice_step(sc->hi - sc->lo);
    sc->decimals = sc->hi - sc->lo <= 10 ? 2 : 1;
}

/* v in viewBox units, kept inside the plot. */
static double scale_at(const struct scale *sc, double v)
{
    double f = (v - sc->lo) / (sc->hi - sc->lo);
    f = f < 0 ? 0 : f > 1 ? 1 : f;
    return sc->p0 + f * (sc->p1 - sc->p0);
}

/* The ticks are k * step for k in [*k0, *k1]: about five of them. */
static void tick_range(const struct scale *sc, long *k0, long *k1)
{
    double a = ceil(sc->lo / sc->step - 1e-9);
    double b = floor(sc->hi / sc->step + 1e-6);
    if (!(fabs(a) < 1e15 && fabs(b) < 1e15)) { /* an axis far from 0 */
        *k0 = 0;
        *k1 = -1;
        return;
    }
    *k0 = (long)a;
    *k1 = (long)b;
    if (*k1 - *k0 > 20) /* cannot happen with nice_step; stay small */
        *k1 = *k0 + 20;
}

/* ---- pieces shared by both charts ---- */

static size_t count_values(const struct chart_point *pts, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        k += isfinite(pts[i].value) != 0;
    return k;
}

static const char *id_of(const char *id)
{
    return id && *id ? id : "chart";
}

/* A figure without data: says so, no SVG. */
static void empty_figure(struct svg *s, const char *kind, const char *id,
                         const char *title)
{
    svg_put(s, "<figure class=\"chart ");
    svg_put(s, kind);
    svg_put(s, " chart-empty\" id=\"");
    svg_esc(s, id_of(id));
    svg_put(s, "\">\n<figcaption>");
    svg_esc(s, title);
    svg_put(s, "</figcaption>\n<p class=\"no-data\">");
    svg_esc(s, t(s, "no_data"));
    svg_put(s, "</p>\n</figure>\n");
}

static void svg_open(struct svg *s, const char *kind, const char *id, double h,
                     const char *title, const char *summary)
{
    svg_put(s, "<figure class=\"chart ");
    svg_put(s, kind);
    svg_put(s, "\" id=\"");
    svg_esc(s, id_of(id));
    svg_putf(s,
             "\">\n<svg xmlns=\"http://www.w3.org/2000/svg\" "
             "class=\"chart-svg\" viewBox=\"0 0 %.0f %.0f\" role=\"img\" "
             "aria-labelledby=\"",
             W, h);
    svg_esc(s, id_of(id));
    svg_put(s, "-t ");
    svg_esc(s, id_of(id));
    svg_put(s, "-d\">\n<title id=\"");
    svg_esc(s, id_of(id));
    svg_put(s, "-t\">");
    svg_esc(s, title);
    svg_put(s, "</title>\n<desc id=\"");
    svg_esc(s, id_of(id));
    svg_put(s, "-d\">");
    svg_put(s, summary); /* escaped by the caller */
    svg_put(s, "</desc>\n");
}

/* The one-sentence summary, escaped: the caller's, else the first and
 * last figure (line) or the highest and lowest (bars). */
static void summary_of(struct strbuf *out, enum web_lang lang,
                       const char *given, const struct chart_point *pts,
                       size_t n, int bars, int decimals)
{
    struct svg s = {out, lang, 0};
    size_t a = n, b = n;
    if (given) {
        svg_esc(&s, given);
        return;
    }
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(pts[i].value))
            continue;
        if (bars) {
            if (a == n || pts[i].value > pts[a].value)
                a = i;
            if (b == n || pts[i].value < pts[b].value)
                b = i;
        } else {
            if (a == n)
                a = i;
            b = i;
        }
    }
    if (a == n)
        return;
    svg_put(&s, bars ? t(&s, "highest") : t(&s, "from"));
    svg_put(&s, " ");
    svg_esc(&s, pts[a].label);
    svg_put(&s, " (");
    num(&s, pts[a].value, decimals, 0);
    svg_put(&s, bars ? "); " : ") ");
    svg_put(&s, bars ? t(&s, "lowest") : t(&s, "to_lc"));
    svg_put(&s, " ");
    svg_esc(&s, pts[b].label);
    svg_put(&s, " (");
    num(&s, pts[b].value, decimals, 0);
    svg_put(&s, ").");
}

/* A note's cell (after the n cell, which it closes): its text, and
 * when marked a triangle and the legend for screen readers. */
static void note_cell(struct svg *s, const struct chart_notes *nt,
                      const struct chart_note *x, int *marked)
{
    svg_put(s, "</td><td class=\"num\">");
    if (x->mark) {
        svg_put(s, "<span class=\"sig\"><span aria-hidden=\"true\">");
        svg_put(s, x->mark > 0 ? "\xe2\x96\xb2 " : "\xe2\x96\xbc ");
        svg_put(s, "</span>");
        *marked = 1;
    }
    svg_esc(s, x->text);
    if (x->mark && nt->legend) {
        svg_put(s, "<span class=\"visually-hidden\"> (");
        svg_esc(s, nt->legend);
        svg_put(s, ")</span></span>");
    } else if (x->mark)
        svg_put(s, "</span>");
}

/* The table behind a chart: label, value, CI, n (and the notes). */
static void data_table(struct svg *s, const char *title, const char *label_h,
                       const char *value_h, const struct chart_point *pts,
                       size_t n, int decimals, const struct chart_notes *nt)
{
    int marked = 0;
    int starred = 0;
    svg_put(s, "<details class=\"chart-data\"><summary>");
    svg_esc(s, t(s, "show_data"));
    svg_put(s, "</summary>\n<div class=\"table-wrap\" tabindex=\"0\" "
               "role=\"region\" aria-label=\"");
    svg_esc(s, title);
    svg_put(s, "\">\n<table>\n<caption>");
    svg_esc(s, title);
    svg_put(s, "</caption>\n<thead><tr><th scope=\"col\">");
    svg_esc(s, label_h);
    svg_put(s, "</th><th scope=\"col\" class=\"num\">");
    svg_esc(s, value_h && *value_h ? value_h : t(s, "value"));
    svg_put(s, "</th><th scope=\"col\" class=\"num\">");
    svg_esc(s, t(s, "ci95"));
    svg_put(s, "</th><th scope=\"col\" class=\"num\">n</th>");
    if (nt) {
        svg_put(s, "<th scope=\"col\" class=\"num\">");
        svg_esc(s, nt->head);
        svg_put(s, "</th>");
    }
    svg_put(s, "</tr></thead>\n<tbody>\n");
    for (size_t i = 0; i < n; i++) {
        const struct chart_point *p = &pts[i];
        svg_put(s, "<tr><th scope=\"row\">");
        svg_esc(s, p->label);
        svg_put(s, "</th><td class=\"num\">");
        if (isfinite(p->value))
            num(s, p->value, decimals, 0);
        else {
            svg_put(s, "<span class=\"null\" role=\"img\" aria-label=\"");
            svg_esc(s, t(s, "no_value"));
            svg_put(s, "\">\xe2\x80\x93</span>");
        }
        svg_put(s, "</td><td class=\"num\">");
        if (isfinite(p->lo) && isfinite(p->hi)) {
            svg_put(s, "[");
            num(s, p->lo, decimals, 0);
            svg_put(s, s->lang == WEB_SV ? "; " : ", ");
            num(s, p->hi, decimals, 0);
            svg_put(s, "]");
        }
        svg_put(s, "</td><td class=\"num\">");
        if (p->n >= 0) {
            if (p->low_n) {
                svg_put(s, "<span class=\"lown\" title=\"");
                svg_esc(s, t(s, "low_n"));
                svg_put(s, "\">");
            }
            num(s, (double)p->n, 0, 0);
            if (p->low_n) {
                svg_put(s, "*</span>");
                starred = 1;
            }
        }
        if (nt)
            note_cell(s, nt, &nt->pts[i], &marked);
        svg_put(s, "</td></tr>\n");
    }
    svg_put(s, "</tbody>\n</table>\n</div>\n");
    if (marked) {
        svg_put(s, "<p class=\"note sig-note\"><span aria-hidden=\"true\">"
                   "\xe2\x96\xb2\xe2\x96\xbc </span>");
        svg_esc(s, nt->legend);
        svg_put(s, "</p>\n");
    }
    if (starred) {
        svg_put(s, "<p class=\"note lown-note\">* ");
        svg_esc(s, t(s, "low_n_note"));
        svg_put(s, "</p>\n");
    }
}

/* ---- the line chart ---- */

static double line_x(size_t i, size_t n)
{
    double a = LINE_LEFT + LINE_PAD, b = W - LINE_RIGHT - LINE_PAD;
    return n < 2 ? (a + b) / 2 : a + (b - a) * (double)i / (double)(n - 1);
}

static int has_ci(const struct chart_point *p)
{
    return isfinite(p->value) && isfinite(p->lo) && isfinite(p->hi);
}

/* The CI band: a polygon per run of points with an interval (hi along
 * the top, lo back along the bottom); a lone point's interval is a
 * narrow rectangle. */
static void band(struct svg *s, const struct chart_line *c,
                 const struct scale *y)
{
    size_t i = 0;
    while (i < c->n) {
        if (!has_ci(&c->pts[i])) {
            i++;
            continue;
        }
        size_t j = i;
        while (j + 1 < c->n && has_ci(&c->pts[j + 1]))
            j++;
        if (j == i) {
            double x = line_x(i, c->n), top = scale_at(y, c->pts[i].hi);
            svg_putf(s,
                     "<rect class=\"band\" x=\"%.1f\" y=\"%.1f\" width=\"6.0\" "
                     "height=\"%.1f\"/>\n",
                     x - 3, top, scale_at(y, c->pts[i].lo) - top);
        } else {
            svg_put(s, "<polygon class=\"band\" points=\"");
            for (size_t k = i; k <= j; k++)
                svg_putf(s, "%s%.1f,%.1f", k > i ? " " : "", line_x(k, c->n),
                         scale_at(y, c->pts[k].hi));
            for (size_t k = j + 1; k-- > i;)
                svg_putf(s, " %.1f,%.1f", line_x(k, c->n),
                         scale_at(y, c->pts[k].lo));
            svg_put(s, "\"/>\n");
        }
        i = j + 1;
    }
}

static void line_path(struct svg *s, const struct chart_line *c,
                      const struct scale *y)
{
    size_t i = 0;
    while (i < c->n) {
        if (!isfinite(c->pts[i].value)) {
            i++;
            continue;
        }
        size_t j = i;
        while (j + 1 < c->n && isfinite(c->pts[j + 1].value))
            j++;
        if (j > i) {
            svg_put(s, "<polyline class=\"line\" points=\"");
            for (size_t k = i; k <= j; k++)
                svg_putf(s, "%s%.1f,%.1f", k > i ? " " : "", line_x(k, c->n),
                         scale_at(y, c->pts[k].value));
            svg_put(s, "\"/>\n");
        }
        i = j + 1;
    }
}

static void y_axis(struct svg *s, const struct scale *y, double x0, double x1)
{
    int d = svg_tick_decimals(y->step);
    long k0, k1;
    tick_range(y, &k0, &k1);
    svg_put(s, "<g class=\"axis\">\n");
    for (long k = k0; k <= k1; k++) {
        double v = (double)k * y->step, py = scale_at(y, v);
        svg_putf(s,
                 "<line class=\"%s\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
                 "y2=\"%.1f\"/><text class=\"tick\" x=\"%.1f\" y=\"%.1f\" "
                 "text-anchor=\"end\">",
                 k == 0 ? "zero" : "grid", x0, py, x1, py, x0 - 6, py + 4);
        num(s, v, d, 0);
        svg_put(s, "</text>\n");
    }
    svg_put(s, "</g>\n");
}

int chart_line_svg(struct strbuf *out, enum web_lang lang,
                   const struct chart_line *c)
{
    return chart_line_svg_notes(out, lang, c, NULL);
}

/* A mark: a triangle over point (x, y), its tip up (a rise) or down
 * (a fall); both above the point, clear of the x axis' labels. */
static void sig_mark(struct svg *s, double x, double y, int up)
{
    if (up)
        svg_putf(s,
                 "<path class=\"sig up\" d=\"M%.1f %.1fL%.1f %.1fL%.1f "
                 "%.1fZ\"/>\n",
                 x, y - 17, x + 5, y - 9, x - 5, y - 9);
    else
        svg_putf(s,
                 "<path class=\"sig down\" d=\"M%.1f %.1fL%.1f %.1fL%.1f "
                 "%.1fZ\"/>\n",
                 x, y - 9, x + 5, y - 17, x - 5, y - 17);
}

int chart_line_svg_notes(struct strbuf *out, enum web_lang lang,
                         const struct chart_line *c,
                         const struct chart_notes *notes)
{
    struct svg s = {out, lang, 0};
    struct strbuf sum = STRBUF_INIT;
    struct scale y;
    double x0 = LINE_LEFT, x1 = W - LINE_RIGHT;
    double y0 = LINE_TOP, y1 = LINE_H - LINE_BOTTOM;
    size_t marker = c->n;

    if (!c->n || !count_values(c->pts, c->n)) {
        empty_figure(&s, "chart-line", c->id, c->title);
        return s.rc;
    }
    scale_fit(&y, c->pts, c->n, c->y_min, c->y_max, 0);
    y.p0 = y1; /* up is more */
    y.p1 = y0;
    summary_of(&sum, lang, c->summary, c->pts, c->n, 0, y.decimals);
    svg_open(&s, "chart-line", c->id, LINE_H, c->title, strbuf_str(&sum));
    if (c->y_label) {
        svg_putf(&s, "<text class=\"axis-label\" x=\"%.1f\" y=\"%.1f\">", x0,
                 y0 - 17);
        svg_esc(&s, c->y_label);
        svg_put(&s, "</text>\n");
    }
    y_axis(&s, &y, x0, x1);
    band(&s, c, &y);
    line_path(&s, c, &y);

    /* x labels: at most one per 60 units */
    size_t every = (size_t)ceil((double)c->n / floor((x1 - x0) / 60));
    svg_put(&s, "<g class=\"axis\">\n");
    for (size_t i = 0; i < c->n; i += every ? every : 1) {
        svg_putf(&s,
                 "<text class=\"tick\" x=\"%.1f\" y=\"%.1f\" "
                 "text-anchor=\"middle\">",
                 line_x(i, c->n), y1 + 18);
        svg_esc_cut(&s, c->pts[i].label, 9);
        svg_put(&s, "</text>\n");
    }
    svg_put(&s, "</g>\n");

    if (c->marker_at)
        for (size_t i = 0; i < c->n && marker == c->n; i++)
            if (c->pts[i].label && !strcmp(c->pts[i].label, c->marker_at))
                marker = i;
    if (marker < c->n) {
        double mx = line_x(marker, c->n);
        const char *anchor = mx < W / 4       ? "start"
                             : mx > W * 3 / 4 ? "end"
                                              : "middle";
        svg_putf(&s,
                 "<line class=\"marker\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
                 "y2=\"%.1f\"/>\n",
                 mx, y0 - 2, mx, y1);
        if (c->marker_label) {
            svg_putf(&s,
                     "<text class=\"marker-label\" x=\"%.1f\" y=\"%.1f\" "
                     "text-anchor=\"%s\">",
                     mx, y0 - 5, anchor);
            svg_esc_cut(&s, c->marker_label, 30);
            svg_put(&s, "</text>\n");
        }
    }

    for (size_t i = 0; i < c->n; i++) {
        if (!isfinite(c->pts[i].value))
            continue;
        svg_putf(&s,
                 "<circle class=\"pt%s\" cx=\"%.1f\" cy=\"%.1f\" r=\"4\"/>\n",
                 c->pts[i].low_n ? " lown" : "", line_x(i, c->n),
                 scale_at(&y, c->pts[i].value));
        if (notes && notes->pts[i].mark)
            sig_mark(&s, line_x(i, c->n), scale_at(&y, c->pts[i].value),
                     notes->pts[i].mark > 0);
    }
    svg_put(&s, "</svg>\n<figcaption>");
    svg_esc(&s, c->title);
    svg_put(&s, "</figcaption>\n");
    data_table(&s, c->title, t(&s, "period"), c->y_label, c->pts, c->n,
               y.decimals, notes);
    if (marker < c->n && c->marker_label) {
        svg_put(&s, "<p class=\"note\">");
        svg_esc(&s, t(&s, "marker"));
        svg_put(&s, ": ");
        svg_esc(&s, c->marker_label);
        svg_put(&s, " (");
        svg_esc(&s, c->marker_at);
        svg_put(&s, ")</p>\n");
    }
    svg_put(&s, "</details>\n</figure>\n");
    strbuf_dispose(&sum);
    return s.rc;
}

/* ---- the bar chart ---- */

int chart_bars_svg(struct strbuf *out, enum web_lang lang,
                   const struct chart_bars *c)
{
    struct svg s = {out, lang, 0};
    struct strbuf sum = STRBUF_INIT;
    struct scale x;
    size_t longest = 0;

    if (!c->n || !count_values(c->pts, c->n)) {
        empty_figure(&s, "chart-bars", c->id, c->title);
        return s.rc;
    }
    for (size_t i = 0; i < c->n; i++) {
        size_t cps = 0;
        for (const char *p = c->pts[i].label; p && *p; p++)
            cps += ((unsigned char)*p & 0xC0) != 0x80;
        longest = cps > longest ? cps : longest;
    }
    /* labels take what they need, up to 40% of the width */
    double label_w = longest * CHAR_W + 8;
    label_w = label_w < 48 ? 48 : label_w > W * 0.4 ? W * 0.4 : label_w;
    size_t max_chars = (size_t)((label_w - 8) / CHAR_W);
    double h = BARS_TOP + ROW_H * (double)c->n + BARS_BOTTOM;
    double y_end = BARS_TOP + ROW_H * (double)c->n;

    scale_fit(&x, c->pts, c->n, c->x_min, c->x_max, 1);
    x.p0 = label_w + 4;
    x.p1 = W - BARS_VALUES;
    summary_of(&sum, lang, c->summary, c->pts, c->n, 1, x.decimals);
    svg_open(&s, "chart-bars", c->id, h, c->title, strbuf_str(&sum));

    /* vertical grid and ticks along the bottom */
    int d = svg_tick_decimals(x.step);
    long k0, k1;
    tick_range(&x, &k0, &k1);
    svg_put(&s, "<g class=\"axis\">\n");
    for (long k = k0; k <= k1; k++) {
        double v = (double)k * x.step, px = scale_at(&x, v);
        int zero = k == 0;
        svg_putf(&s,
                 "<line class=\"%s\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
                 "y2=\"%.1f\"/><text class=\"tick\" x=\"%.1f\" y=\"%.1f\" "
                 "text-anchor=\"middle\">",
                 zero ? "zero" : "grid", px, BARS_TOP - 4, px, y_end, px,
                 y_end + 16);
        num(&s, v, d, 0);
        svg_put(&s, "</text>\n");
    }
    if (c->x_label) {
        svg_putf(&s,
                 "<text class=\"axis-label\" x=\"%.1f\" y=\"%.1f\" "
                 "text-anchor=\"end\">",
                 W - 4, h - 2);
        svg_esc(&s, c->x_label);
        svg_put(&s, "</text>\n");
    }
    svg_put(&s, "</g>\n");

    double base = scale_at(&x, 0); /* 0, or the nearer end */
    for (size_t i = 0; i < c->n; i++) {
        const struct chart_point *p = &c->pts[i];
        double cy = BARS_TOP + ROW_H * ((double)i + 0.5);
        svg_putf(&s,
                 "<text class=\"tick\" x=\"%.1f\" y=\"%.1f\" "
                 "text-anchor=\"end\">",
                 label_w, cy + 4);
        svg_esc_cut(&s, p->label, max_chars);
        svg_put(&s, "</text>\n");
        if (!isfinite(p->value))
            continue;
        double px = scale_at(&x, p->value);
        double left = px < base ? px : base, right = px < base ? base : px;
        svg_putf(&s,
                 "<rect class=\"bar%s\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
                 "height=\"%.1f\"/>\n",
                 p->low_n ? " lown" : "", left, cy - BAR_H / 2, right - left,
                 BAR_H);
        if (isfinite(p->lo) && isfinite(p->hi)) {
            double a = scale_at(&x, p->lo), b = scale_at(&x, p->hi);
            svg_putf(&s,
                     "<path class=\"whisker\" d=\"M%.1f %.1fH%.1fM%.1f "
                     "%.1fV%.1fM%.1f %.1fV%.1f\"/>\n",
                     a, cy, b, a, cy - 5, cy + 5, b, cy - 5, cy + 5);
        }
        svg_putf(&s,
                 "<text class=\"value\" x=\"%.1f\" y=\"%.1f\" "
                 "text-anchor=\"end\">",
                 W - 4, cy + 4);
        num(&s, p->value, x.decimals, 0);
        svg_put(&s, p->low_n ? "*</text>\n" : "</text>\n");
    }
    svg_put(&s, "</svg>\n<figcaption>");
    svg_esc(&s, c->title);
    svg_put(&s, "</figcaption>\n");
    data_table(&s, c->title, t(&s, "group"), c->x_label, c->pts, c->n,
               x.decimals, NULL);
    svg_put(&s, "</details>\n</figure>\n");
    strbuf_dispose(&sum);
    return s.rc;
}
