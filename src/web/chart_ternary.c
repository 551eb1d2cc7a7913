/* Ternary and dyad plots as inline SVG with linked regions
 * (chart_ternary.h). Coordinates are written with one decimal, so the
 * tests can read them back. */
#include "web/chart_ternary.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/escape.h"
#include "core/strbuf.h"
#include "web/chart.h"
#include "web/svg.h"

/* the triangle in the viewBox */
#define T_LEFT 40.0
#define T_BOTTOM 400.0
#define T_SIDE 400.0
#define SQRT3_2 0.86602540378443865
#define LEVELS 5 /* shades of a non-empty cell */
#define N_GROUP_CLASSES 8
#define LABEL_MAX 24 /* characters of a point's label drawn */

/* the dyad plot */
#define D_LEFT 120.0
#define D_WIDTH 340.0
#define D_TOP 16.0
#define D_BARS 150.0
#define D_AXIS (D_TOP + D_BARS)
#define D_ROW 26.0
#define D_MEANS (D_AXIS + 44.0)

static const double corner_xy[3][2] = {
    {T_LEFT, T_BOTTOM},
    {T_LEFT + T_SIDE, T_BOTTOM},
    {T_LEFT + T_SIDE / 2, T_BOTTOM - T_SIDE *SQRT3_2}};

/* ---- output with the first error kept ---- */

static void num(struct svg *s, double v, int decimals)
{
    if (!s->rc)
        s->rc = web_number(s->b, s->lang, v, decimals, 0);
}

static const char *id_of(const char *id)
{
    return id && *id ? id : "plot";
}

/* <figure>, the wrapper and the picture's <svg> with title and desc. */
static void open_plot(struct svg *s, const char *kind, const char *id, double w,
                      double h, const char *title, const char *summary)
{
    svg_putf(s, "<figure class=\"chart %s\" id=\"", kind);
    svg_esc(s, id_of(id));
    svg_putf(s,
             "\">\n<div class=\"plot-wrap\">\n<svg "
             "xmlns=\"http://www.w3.org/2000/svg\" class=\"chart-svg\" "
             "viewBox=\"0 0 %.0f %.0f\" role=\"img\" aria-labelledby=\"",
             w, h);
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
    svg_esc(s, summary);
    svg_put(s, "</desc>\n");
}

static void open_hits(struct svg *s, double w, double h)
{
    svg_putf(
        s,
        "</svg>\n<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart-svg "
        "plot-hit\" viewBox=\"0 0 %.0f %.0f\" aria-hidden=\"true\" "
        "focusable=\"false\">\n",
        w, h);
}

/* Ends the hit layer and the figure; a legend of the points first (their
 * labels would crowd the picture: groups' means lie close together). */
static void close_plot(struct svg *s, const char *title,
                       const struct chart_ternary_point *pts, size_t n)
{
    svg_put(s, "</svg>\n</div>\n");
    if (n) {
        svg_put(s, "<ul class=\"plot-legend\">");
        for (size_t k = 0; k < n; k++) {
            svg_putf(s,
                     "<li><span class=\"key g%d\" aria-hidden=\"true\">"
                     "</span>",
                     (int)(k % N_GROUP_CLASSES));
            svg_esc(s, pts[k].label);
            svg_put(s, "</li>");
        }
        svg_put(s, "</ul>\n");
    }
    svg_put(s, "<figcaption>");
    svg_esc(s, title);
    svg_put(s, "</figcaption>\n</figure>\n");
}

static void no_data(struct svg *s, const char *kind, const char *id,
                    const char *title)
{
    svg_putf(s, "<figure class=\"chart %s chart-empty\" id=\"", kind);
    svg_esc(s, id_of(id));
    svg_put(s, "\">\n<figcaption>");
    svg_esc(s, title);
    svg_put(s, "</figcaption>\n<p class=\"no-data\">");
    svg_esc(s, web_t(s->lang, "no_data"));
    svg_put(s, "</p>\n</figure>\n");
}

/* A link of the hit layer around what follows; the caller closes it. */
static void open_link(struct svg *s, const char *href, const char *label)
{
    svg_put(s, "<a tabindex=\"-1\" href=\"");
    svg_esc(s, href);
    svg_put(s, "\">");
    if (label) {
        svg_put(s, "<title>");
        svg_esc(s, label);
        svg_put(s, "</title>");
    }
}

/* ---- the ternary plot ---- */

void chart_ternary_xy(const double x[3], double *px, double *py)
{
    *px = *py = 0;
    for (int p = 0; p < 3; p++) {
        *px += x[p] * corner_xy[p][0];
        *py += x[p] * corner_xy[p][1];
    }
}

/* A point at grid steps (i, j) of parts 1 and 2. */
static void grid_xy(int grid, double i, double j, double *px, double *py)
{
    double x[3] = {i / grid, j / grid, 1 - (i + j) / grid};
    chart_ternary_xy(x, px, py);
}

static void cell_points(struct svg *s, int grid,
                        const struct chart_ternary_cell *c)
{
    double v[3][2];
    int i = c->i, j = c->j;
    if (c->down) {
        grid_xy(grid, i + 1, j, &v[0][0], &v[0][1]);
        grid_xy(grid, i, j + 1, &v[1][0], &v[1][1]);
        grid_xy(grid, i + 1, j + 1, &v[2][0], &v[2][1]);
    } else {
        grid_xy(grid, i, j, &v[0][0], &v[0][1]);
        grid_xy(grid, i + 1, j, &v[1][0], &v[1][1]);
        grid_xy(grid, i, j + 1, &v[2][0], &v[2][1]);
    }
    svg_putf(s, "points=\"%.1f,%.1f %.1f,%.1f %.1f,%.1f\"", v[0][0], v[0][1],
             v[1][0], v[1][1], v[2][0], v[2][1]);
}

/* Writes "points=..." for compositions x[0..n). */
static void comp_points(struct svg *s, const double (*x)[3], size_t n)
{
    svg_put(s, "points=\"");
    for (size_t k = 0; k < n; k++) {
        double px, py;
        chart_ternary_xy(x[k], &px, &py);
        svg_putf(s, "%s%.1f,%.1f", k ? " " : "", px, py);
    }
    svg_put(s, "\"");
}

/* The shade of a cell: 0 empty, else 1..LEVELS by its share of max. */
static int level_of(int64_t count, int64_t max)
{
    if (count <= 0 || max <= 0)
        return 0;
    int l = 1 + (int)((double)(LEVELS - 1) * (double)count / (double)max);
    return l > LEVELS ? LEVELS : l;
}

/* The corner region of part p (weight >= near) and the centre (p = 3)
 * as compositions; returns how many points. */
static size_t near_region(double (*x)[3], int p, double near)
{
    if (p < 3) {
        int q = (p + 1) % 3, r = (p + 2) % 3;
        memset(x, 0, 3 * sizeof *x);
        x[0][p] = 1;
        x[1][p] = near;
        x[1][q] = 1 - near;
        x[2][p] = near;
        x[2][r] = 1 - near;
        return 3;
    }
    /* the hexagon where no part reaches near (near > 1/2) */
    size_t k = 0;
    for (int a = 0; a < 3; a++) {
        int b = (a + 1) % 3, c = (a + 2) % 3;
        x[k][a] = near;
        x[k][b] = 1 - near;
        x[k++][c] = 0;
        x[k][a] = 1 - near;
        x[k][b] = near;
        x[k++][c] = 0;
    }
    return k;
}

static void corner_labels(struct svg *s, const struct chart_ternary *t)
{
    static const char *const anchor[3] = {"start", "end", "middle"};
    const double dy[3] = {24, 24, -12};
    for (int p = 0; p < 3; p++) {
        svg_putf(s,
                 "<text class=\"axis-label\" x=\"%.1f\" y=\"%.1f\" "
                 "text-anchor=\"%s\">",
                 corner_xy[p][0] + (p == 0   ? -20
                                    : p == 1 ? 20
                                             : 0),
                 corner_xy[p][1] + dy[p], anchor[p]);
        svg_esc_cut(s, t->corners[p] ? t->corners[p] : "", LABEL_MAX);
        svg_put(s, "</text>\n");
    }
}

int chart_ternary_svg(struct strbuf *out, enum web_lang lang,
                      const struct chart_ternary *t)
{
    struct svg s = {out, lang, 0};
    int64_t max = 0, total = 0;
    for (size_t k = 0; k < t->n_cells; k++) {
        max = t->cells[k].count > max ? t->cells[k].count : max;
        total += t->cells[k].count;
    }
    if (!t->n_cells || t->grid < 1 || !total) {
        no_data(&s, "chart-ternary", t->id, t->title);
        return s.rc;
    }
    open_plot(&s, "chart-ternary", t->id, CHART_TERNARY_W, CHART_TERNARY_H,
              t->title, t->summary);
    svg_put(&s, "<g class=\"cells\">\n");
    for (size_t k = 0; k < t->n_cells; k++) {
        const struct chart_ternary_cell *c = &t->cells[k];
        svg_putf(&s, "<polygon class=\"cell l%d%s\" ", level_of(c->count, max),
                 c->selected ? " sel" : "");
        cell_points(&s, t->grid, c);
        svg_put(&s, "/>\n");
    }
    svg_put(&s, "</g>\n");
    double x[6][3];
    if (t->near > 0.5 && t->near < 1) {
        for (int p = 0; p < 4; p++) {
            size_t n = near_region(x, p, t->near);
            int sel = t->near_selected == p + 1;
            if (p == 3 && !sel)
                continue;
            svg_putf(&s, "<polygon class=\"near%s\" ", sel ? " sel" : "");
            comp_points(&s, (const double(*)[3])x, n);
            svg_put(&s, "/>\n");
        }
    }
    svg_putf(
        &s,
        "<polygon class=\"frame\" points=\"%.1f,%.1f %.1f,%.1f %.1f,%.1f\"/>\n",
        corner_xy[0][0], corner_xy[0][1], corner_xy[1][0], corner_xy[1][1],
        corner_xy[2][0], corner_xy[2][1]);
    corner_labels(&s, t);
    for (size_t k = 0; k < t->n_pts; k++) {
        const struct chart_ternary_point *p = &t->pts[k];
        int g = (int)(k % N_GROUP_CLASSES);
        if (p->region && p->n_region > 2) {
            svg_putf(&s, "<polygon class=\"region g%d\" ", g);
            comp_points(&s, p->region, p->n_region);
            svg_put(&s, "/>\n");
        }
    }
    for (size_t k = 0; k < t->n_pts; k++) {
        const struct chart_ternary_point *p = &t->pts[k];
        double px, py;
        if (!isfinite(p->x[0]) || !isfinite(p->x[1]) || !isfinite(p->x[2]))
            continue;
        chart_ternary_xy(p->x, &px, &py);
        svg_putf(
            &s,
            "<circle class=\"mean g%d\" cx=\"%.1f\" cy=\"%.1f\" r=\"%s\"/>\n",
            (int)(k % N_GROUP_CLASSES), px, py, k ? "5" : "6");
    }
    open_hits(&s, CHART_TERNARY_W, CHART_TERNARY_H);
    for (size_t k = 0; k < t->n_cells; k++) {
        const struct chart_ternary_cell *c = &t->cells[k];
        if (!c->href)
            continue;
        open_link(&s, c->href, c->label);
        svg_put(&s, "<polygon class=\"hit\" ");
        cell_points(&s, t->grid, c);
        svg_put(&s, "/></a>\n");
    }
    close_plot(&s, t->title, t->pts, t->n_pts);
    return s.rc;
}

/* ---- the dyad plot ---- */

double chart_dyad_x(double v)
{
    return D_LEFT + D_WIDTH * v;
}

int chart_dyad_svg(struct strbuf *out, enum web_lang lang,
                   const struct chart_dyad *d)
{
    struct svg s = {out, lang, 0};
    int64_t max = 0;
    for (size_t k = 0; k < d->n_bins; k++)
        max = d->bins[k].count > max ? d->bins[k].count : max;
    if (!d->n_bins || !max) {
        no_data(&s, "chart-dyad", d->id, d->title);
        return s.rc;
    }
    double h = D_MEANS + D_ROW * (double)d->n_means + 8;
    open_plot(&s, "chart-dyad", d->id, CHART_DYAD_W, h, d->title, d->summary);
    for (size_t k = 0; k < d->n_bins; k++) {
        const struct chart_dyad_bin *b = &d->bins[k];
        double x0 = chart_dyad_x(b->from), x1 = chart_dyad_x(b->to);
        double bh = D_BARS * (double)b->count / (double)max;
        if (b->selected)
            svg_putf(&s,
                     "<rect class=\"sel\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
                     "height=\"%.1f\"/>\n",
                     x0, D_TOP, x1 - x0, D_BARS);
        svg_putf(&s,
                 "<rect class=\"bin\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
                 "height=\"%.1f\"/>\n",
                 x0 + 1, D_AXIS - bh, x1 - x0 - 2, bh);
    }
    svg_putf(&s,
             "<line class=\"zero\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
             "y2=\"%.1f\"/>\n",
             chart_dyad_x(0), D_AXIS, chart_dyad_x(1), D_AXIS);
    for (int k = 0; k <= 2; k++) {
        svg_putf(&s,
                 "<text class=\"tick\" x=\"%.1f\" y=\"%.1f\" "
                 "text-anchor=\"middle\">",
                 chart_dyad_x(k / 2.0), D_AXIS + 16);
        num(&s, k / 2.0, k == 1 ? 1 : 0);
        svg_put(&s, "</text>\n");
    }
    for (int k = 0; k < 2; k++) {
        if (!d->ends[k])
            continue;
        svg_putf(&s,
                 "<text class=\"axis-label\" x=\"%.1f\" y=\"%.1f\" "
                 "text-anchor=\"%s\">",
                 chart_dyad_x(k), D_AXIS + 34, k ? "end" : "start");
        svg_esc_cut(&s, d->ends[k], LABEL_MAX);
        svg_put(&s, "</text>\n");
    }
    for (size_t k = 0; k < d->n_means; k++) {
        const struct chart_dyad_mean *m = &d->means[k];
        int g = (int)(k % N_GROUP_CLASSES);
        double y = D_MEANS + D_ROW * (double)k + D_ROW / 2;
        svg_putf(&s,
                 "<text class=\"mean-label\" x=\"%.1f\" y=\"%.1f\" "
                 "text-anchor=\"end\">",
                 D_LEFT - 10, y + 4);
        svg_esc_cut(&s, m->label, 14);
        svg_put(&s, "</text>\n");
        svg_putf(&s,
                 "<line class=\"grid\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
                 "y2=\"%.1f\"/>\n",
                 chart_dyad_x(0), y, chart_dyad_x(1), y);
        if (isfinite(m->lo) && isfinite(m->hi))
            svg_putf(
                &s,
                "<line class=\"ci g%d\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
                "y2=\"%.1f\"/>\n",
                g, chart_dyad_x(m->lo), y, chart_dyad_x(m->hi), y);
        if (isfinite(m->value))
            svg_putf(&s,
                     "<circle class=\"mean g%d\" cx=\"%.1f\" cy=\"%.1f\" "
                     "r=\"5\"/>\n",
                     g, chart_dyad_x(m->value), y);
    }
    open_hits(&s, CHART_DYAD_W, h);
    for (size_t k = 0; k < d->n_bins; k++) {
        const struct chart_dyad_bin *b = &d->bins[k];
        if (!b->href)
            continue;
        double x0 = chart_dyad_x(b->from), x1 = chart_dyad_x(b->to);
        open_link(&s, b->href, b->label);
        svg_putf(&s,
                 "<rect class=\"hit\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
                 "height=\"%.1f\"/></a>\n",
                 x0, D_TOP, x1 - x0, D_BARS);
    }
    close_plot(&s, d->title, NULL, 0);
    return s.rc;
}
