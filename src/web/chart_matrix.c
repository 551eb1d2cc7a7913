/* The importance-performance matrix as inline SVG with a table of its
 * figures (chart_matrix.h). Geometry is in viewBox units; coordinates
 * are written with one decimal, so the tests can read them back. */
#include "web/chart_matrix.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/escape.h"
#include "core/strbuf.h"
#include "core/xalloc.h"
#include "web/chart.h"
#include "web/svg.h"

/* the viewBox and the plot inside it */
#define W 480.0
#define H 360.0
#define LEFT 56.0
#define RIGHT 464.0
#define TOP 20.0
#define BOTTOM 312.0
#define PT_R 5.0
#define CHAR_W 7.5   /* a character of a label, roughly, at 13px bold */
#define LABEL_H 14.0 /* a label's box */
#define LABEL_GAP 8.0
#define LABEL_MAX 18      /* characters of a point's label on the plot */
#define RINGS ((size_t)4) /* places tried on each side, a line apart */
#define N_FIXED 3         /* obstacles of the frame: ticks and axis names */

static void num(struct svg *s, double v, int decimals)
{
    if (!s->rc)
        s->rc = web_number(s->b, s->lang, v, decimals, 0);
}

/* ---- axes ---- */

struct axis {
    double lo, hi, step;
    double p0, p1; /* lo and hi in viewBox units */
};

/* lo..hi as given (finite and in order), else from the data dlo..dhi
 * rounded out to a tick. */
static void axis_fit(struct axis *a, double dlo, double dhi, double lo,
                     double hi)
{
    if (!isfinite(dlo) || !isfinite(dhi) || !(dhi > dlo)) {
        double m = isfinite(dlo) ? dlo : 0;
        dlo = m - (fabs(m) > 1e-9 ? fabs(m) * 0.1 : 1);
        dhi = m + (fabs(m) > 1e-9 ? fabs(m) * 0.1 : 1);
    }
    double step = svg_nice_step(dhi - dlo);
    a->lo = isfinite(lo) ? lo : floor(dlo / step) * step;
    a->hi = isfinite(hi) ? hi : ceil(dhi / step) * step;
    if (!(a->hi > a->lo) || !isfinite(a->hi - a->lo)) {
        a->lo = floor(dlo / step) * step;
        a->hi = ceil(dhi / step) * step;
    }
    if (!isfinite(a->hi - a->lo) || !(a->hi > a->lo))
        a->lo = 0, a->hi = 1;
    a->step = svg_nice_step(a->hi - a->lo);
}

/* v in viewBox units, kept inside the plot. */
static double axis_at(const struct axis *a, double v)
{
    double f = (v - a->lo) / (a->hi - a->lo);
    f = f < 0 ? 0 : f > 1 ? 1 : f;
    return a->p0 + f * (a->p1 - a->p0);
}

/* The ticks k * step for k in [*k0, *k1]. */
static void tick_range(const struct axis *a, long *k0, long *k1)
{
    double lo = ceil(a->lo / a->step - 1e-9);
    double hi = floor(a->hi / a->step + 1e-6);
    if (!(fabs(lo) < 1e15 && fabs(hi) < 1e15)) {
        *k0 = 0;
        *k1 = -1;
        return;
    }
    *k0 = (long)lo;
    *k1 = (long)hi;
    if (*k1 - *k0 > 20)
        *k1 = *k0 + 20;
}

/* The axes of c: x from 0 (or below, for a negative figure), y as given
 * or from the data. */
static void fit(const struct chart_matrix *c, struct axis *x, struct axis *y)
{
    double xlo = 0, xhi = 0, ylo = INFINITY, yhi = -INFINITY;
    for (size_t i = 0; i < c->n; i++) {
        const struct chart_matrix_point *p = &c->pts[i];
        if (!isfinite(p->x) || !isfinite(p->y))
            continue;
        const double v[3] = {p->x, p->x_lo, p->x_hi};
        for (int k = 0; k < 3; k++)
            if (isfinite(v[k])) {
                xlo = v[k] < xlo ? v[k] : xlo;
                xhi = v[k] > xhi ? v[k] : xhi;
            }
        ylo = p->y < ylo ? p->y : ylo;
        yhi = p->y > yhi ? p->y : yhi;
    }
    if (isfinite(c->x_line))
        xhi = c->x_line > xhi ? c->x_line : xhi;
    if (isfinite(c->y_line)) {
        ylo = c->y_line < ylo ? c->y_line : ylo;
        yhi = c->y_line > yhi ? c->y_line : yhi;
    }
    axis_fit(x, xlo, xhi, NAN, c->x_max);
    axis_fit(y, ylo, yhi, c->y_min, c->y_max);
    x->p0 = LEFT;
    x->p1 = RIGHT;
    y->p0 = BOTTOM; /* up is more */
    y->p1 = TOP;
}

/* ---- label placement ---- */

struct box {
    double x0, y0, x1, y1;
};

static double overlap(const struct box *a, const struct box *b)
{
    double w = fmin(a->x1, b->x1) - fmax(a->x0, b->x0);
    double h = fmin(a->y1, b->y1) - fmax(a->y0, b->y0);
    return w > 0 && h > 0 ? w * h : 0;
}

/* Code points of t, at most max. */
static size_t chars_of(const char *t, size_t max)
{
    size_t k = 0;
    for (; t && *t; t++)
        k += ((unsigned char)*t & 0xC0) != 0x80;
    return k < max ? k : max;
}

struct place {
    double x, y;        /* the text's anchor point */
    const char *anchor; /* start, end, middle */
    int far;            /* not beside the point: drawn with a leader */
};

/* The text's box when anchored at pl. */
static struct box box_of(const struct place *pl, double w)
{
    double x0 = !strcmp(pl->anchor, "start") ? pl->x
                : !strcmp(pl->anchor, "end") ? pl->x - w
                                             : pl->x - w / 2;
    struct box b = {x0, pl->y - LABEL_H + 3, x0 + w, pl->y + 3};
    return b;
}

/* Chooses a place for each drawn point's label: out[i] (points without
 * a value are skipped). taken holds the quadrant names' boxes (n_taken)
 * and has room for a box per point and per label after them. */
static void place_labels(const struct chart_matrix *c, const double *px,
                         const double *py, const int *drawn,
                         const double *width, struct box *taken, size_t n_taken,
                         struct place *out)
{
    /* the points themselves are obstacles */
    for (size_t i = 0; i < c->n; i++)
        if (drawn[i])
            taken[n_taken++] = (struct box){px[i] - PT_R, py[i] - PT_R,
                                            px[i] + PT_R, py[i] + PT_R};
    for (size_t i = 0; i < c->n; i++) {
        if (!drawn[i])
            continue;
        /* right, left, above, below; then the same a line further
         * out at a time (a leader line shows whose label it is) */
        struct place cand[4 * RINGS];
        for (size_t r = 0; r < RINGS; r++) {
            double d = LABEL_H * (double)r;
            cand[4 * r] =
                (struct place){px[i] + LABEL_GAP, py[i] + 4 + d, "start", 0};
            cand[4 * r + 1] =
                (struct place){px[i] - LABEL_GAP, py[i] + 4 - d, "end", 0};
            cand[4 * r + 2] =
                (struct place){px[i], py[i] - LABEL_GAP - 1 - d, "middle", 0};
            cand[4 * r + 3] = (struct place){
                px[i], py[i] + LABEL_GAP + LABEL_H - 2 + d, "middle", 0};
            if (r) { /* and the other way along the side */
                cand[4 * r].y = py[i] + 4 - d * (r % 2 ? 1 : -1);
                cand[4 * r + 1].y = py[i] + 4 + d * (r % 2 ? 1 : -1);
            }
        }
        size_t best = 0;
        double best_cost = INFINITY;
        for (size_t k = 0; k < 4 * RINGS; k++) {
            struct box b = box_of(&cand[k], width[i]);
            double cost = 0;
            /* outside the viewBox is as bad as a collision */
            if (b.x0 < 0 || b.x1 > W || b.y0 < 0 || b.y1 > H)
                cost += 1e6;
            for (size_t j = 0; j < n_taken; j++)
                cost += overlap(&b, &taken[j]);
            if (cost < best_cost) {
                best_cost = cost;
                best = k;
            }
            if (cost == 0)
                break;
        }
        out[i] = cand[best];
        out[i].far = best >= 4;

        taken[n_taken++] = box_of(&out[i], width[i]);
    }
}

/* ---- pieces ---- */

static const char *id_of(const char *id)
{
    return id && *id ? id : "matrix";
}

static void ci_text(struct svg *s, double lo, double hi, int decimals)
{
    if (!isfinite(lo) || !isfinite(hi))
        return;
    svg_put(s, "[");
    num(s, lo, decimals);
    svg_put(s, s->lang == WEB_SV ? "; " : ", ");
    num(s, hi, decimals);
    svg_put(s, "]");
}

/* The <desc>, escaped: the caller's, else every point's figures. */
static void summary(struct svg *s, const struct chart_matrix *c)
{
    if (c->summary) {
        svg_esc(s, c->summary);
        return;
    }
    int first = 1;
    for (size_t i = 0; i < c->n; i++) {
        const struct chart_matrix_point *p = &c->pts[i];
        if (!isfinite(p->x) || !isfinite(p->y))
            continue;
        svg_put(s, first ? "" : "; ");
        first = 0;
        svg_esc(s, p->label);
        svg_put(s, ": ");
        svg_esc(s, c->x_label);
        svg_put(s, " ");
        num(s, p->x, c->x_decimals);
        if (isfinite(p->x_lo) && isfinite(p->x_hi)) {
            svg_put(s, " ");
            ci_text(s, p->x_lo, p->x_hi, c->x_decimals);
        }
        svg_put(s, ", ");
        svg_esc(s, c->y_label);
        svg_put(s, " ");
        num(s, p->y, c->y_decimals);
        if (p->group) {
            svg_put(s, " (");
            svg_esc(s, p->group);
            svg_put(s, ")");
        }
    }
    svg_put(s, ".");
}

static void null_cell(struct svg *s)
{
    svg_put(s, "<span class=\"null\" role=\"img\" aria-label=\"");
    svg_esc(s, web_t(s->lang, "no_value"));
    svg_put(s, "\">\xe2\x80\x93</span>");
}

/* The table behind the chart. */
static void data_table(struct svg *s, const struct chart_matrix *c)
{
    int starred = 0;
    svg_put(s, "<details class=\"chart-data\"><summary>");
    svg_esc(s, web_t(s->lang, "show_data"));
    svg_put(s, "</summary>\n<div class=\"table-wrap\" tabindex=\"0\" "
               "role=\"region\" aria-label=\"");
    svg_esc(s, c->title);
    svg_put(s, "\">\n<table>\n<caption>");
    svg_esc(s, c->title);
    svg_put(s, "</caption>\n<thead><tr><th scope=\"col\">");
    svg_esc(s, c->label_head ? c->label_head : web_t(s->lang, "label"));
    svg_put(s, "</th><th scope=\"col\" class=\"num\">");
    svg_esc(s, c->x_label);
    svg_put(s, "</th><th scope=\"col\" class=\"num\">");
    svg_esc(s, web_t(s->lang, "ci95"));
    svg_put(s, "</th><th scope=\"col\" class=\"num\">");
    svg_esc(s, c->y_label);
    svg_put(s, "</th>");
    if (c->group_label) {
        svg_put(s, "<th scope=\"col\">");
        svg_esc(s, c->group_label);
        svg_put(s, "</th>");
    }
    svg_put(s,
            "<th scope=\"col\" class=\"num\">n</th></tr></thead>\n<tbody>\n");
    for (size_t i = 0; i < c->n; i++) {
        const struct chart_matrix_point *p = &c->pts[i];
        svg_put(s, "<tr><th scope=\"row\">");
        svg_esc(s, p->label);
        svg_put(s, "</th><td class=\"num\">");
        if (isfinite(p->x))
            num(s, p->x, c->x_decimals);
        else
            null_cell(s);
        svg_put(s, "</td><td class=\"num\">");
        ci_text(s, p->x_lo, p->x_hi, c->x_decimals);
        svg_put(s, "</td><td class=\"num\">");
        if (isfinite(p->y))
            num(s, p->y, c->y_decimals);
        else
            null_cell(s);
        svg_put(s, "</td>");
        if (c->group_label) {
            svg_put(s, "<td>");
            svg_esc(s, p->group);
            svg_put(s, "</td>");
        }
        svg_put(s, "<td class=\"num\">");
        if (p->n >= 0) {
            if (p->low_n) {
                svg_put(s, "<span class=\"lown\" title=\"");
                svg_esc(s, web_t(s->lang, "low_n"));
                svg_put(s, "\">");
            }
            num(s, (double)p->n, 0);
            if (p->low_n) {
                svg_put(s, "*</span>");
                starred = 1;
            }
        }
        svg_put(s, "</td></tr>\n");
    }
    svg_put(s, "</tbody>\n</table>\n</div>\n");
    if (starred) {
        svg_put(s, "<p class=\"note lown-note\">* ");
        svg_esc(s, web_t(s->lang, "low_n"));
        svg_put(s, "</p>\n");
    }
    svg_put(s, "</details>\n");
}

/* Quadrant q of a point: 0 low x high y, 1 high high, 2 low low, 3 high
 * x low y; above a line is high, no line counts as low x / high y. */
static int quadrant_of(const struct chart_matrix *c, double x, double y)
{
    int hx = isfinite(c->x_line) && x > c->x_line;
    int hy = !isfinite(c->y_line) || y > c->y_line;
    return (hx ? 1 : 0) + (hy ? 0 : 2);
}

int chart_matrix_svg(struct strbuf *out, enum web_lang lang,
                     const struct chart_matrix *c)
{
    struct svg s = {out, lang, 0};
    struct axis x, y;
    size_t n_drawn = 0;
    for (size_t i = 0; i < c->n; i++)
        n_drawn += isfinite(c->pts[i].x) && isfinite(c->pts[i].y);
    if (!n_drawn) {
        svg_put(&s, "<figure class=\"chart chart-matrix chart-empty\" id=\"");
        svg_esc(&s, id_of(c->id));
        svg_put(&s, "\">\n<figcaption>");
        svg_esc(&s, c->title);
        svg_put(&s, "</figcaption>\n<p class=\"no-data\">");
        svg_esc(&s, web_t(lang, "no_data"));
        svg_put(&s, "</p>\n</figure>\n");
        return s.rc;
    }
    fit(c, &x, &y);
    const char *id = id_of(c->id);
    svg_put(&s, "<figure class=\"chart chart-matrix\" id=\"");
    svg_esc(&s, id);
    svg_putf(&s,
             "\">\n<svg xmlns=\"http://www.w3.org/2000/svg\" "
             "class=\"chart-svg\" viewBox=\"0 0 %.0f %.0f\" role=\"img\" "
             "aria-labelledby=\"",
             W, H);
    svg_esc(&s, id);
    svg_put(&s, "-t ");
    svg_esc(&s, id);
    svg_put(&s, "-d\">\n<title id=\"");
    svg_esc(&s, id);
    svg_put(&s, "-t\">");
    svg_esc(&s, c->title);
    svg_put(&s, "</title>\n<desc id=\"");
    svg_esc(&s, id);
    svg_put(&s, "-d\">");
    summary(&s, c);
    svg_put(&s, "</desc>\n");

    /* the quadrants' areas, behind everything */
    double lx = isfinite(c->x_line) ? axis_at(&x, c->x_line) : LEFT;
    double ly = isfinite(c->y_line) ? axis_at(&y, c->y_line) : BOTTOM;
    const struct box area[4] = {{LEFT, TOP, lx, ly},
                                {lx, TOP, RIGHT, ly},
                                {LEFT, ly, lx, BOTTOM},
                                {lx, ly, RIGHT, BOTTOM}};
    int lines = isfinite(c->x_line) && isfinite(c->y_line);
    for (int q = 0; q < 4 && lines; q++)
        if (area[q].x1 - area[q].x0 > 0.05 && area[q].y1 - area[q].y0 > 0.05)
            svg_putf(&s,
                     "<rect class=\"qarea q%d\" x=\"%.1f\" y=\"%.1f\" "
                     "width=\"%.1f\" height=\"%.1f\"/>\n",
                     q, area[q].x0, area[q].y0, area[q].x1 - area[q].x0,
                     area[q].y1 - area[q].y0);

    /* grid and ticks */
    long k0, k1;
    svg_put(&s, "<g class=\"axis\">\n");
    tick_range(&y, &k0, &k1);
    for (long k = k0; k <= k1; k++) {
        double v = (double)k * y.step, p = axis_at(&y, v);
        svg_putf(&s,
                 "<line class=\"grid\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
                 "y2=\"%.1f\"/><text class=\"tick\" x=\"%.1f\" y=\"%.1f\" "
                 "text-anchor=\"end\">",
                 LEFT, p, RIGHT, p, LEFT - 6, p + 4);
        num(&s, v, svg_tick_decimals(y.step));
        svg_put(&s, "</text>\n");
    }
    tick_range(&x, &k0, &k1);
    for (long k = k0; k <= k1; k++) {
        double v = (double)k * x.step, p = axis_at(&x, v);
        svg_putf(&s,
                 "<line class=\"grid\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
                 "y2=\"%.1f\"/><text class=\"tick\" x=\"%.1f\" y=\"%.1f\" "
                 "text-anchor=\"middle\">",
                 p, TOP, p, BOTTOM, p, BOTTOM + 16);
        num(&s, v, svg_tick_decimals(x.step));
        svg_put(&s, "</text>\n");
    }
    svg_putf(&s,
             "<path class=\"frame\" d=\"M%.1f %.1fV%.1fH%.1f\"/>\n"
             "<text class=\"axis-label\" x=\"%.1f\" y=\"%.1f\" "
             "text-anchor=\"end\">",
             LEFT, TOP, BOTTOM, RIGHT, RIGHT, H - 6);
    svg_esc(&s, c->x_label);
    svg_putf(&s,
             " \xe2\x86\x92</text>\n<text class=\"axis-label\" "
             "x=\"%.1f\" y=\"%.1f\" text-anchor=\"start\">\xe2\x86\x91 ",
             4.0, TOP - 8);
    svg_esc(&s, c->y_label);
    svg_put(&s, "</text>\n</g>\n");

    /* the quadrant lines and names */
    if (isfinite(c->x_line))
        svg_putf(&s,
                 "<line class=\"qline\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
                 "y2=\"%.1f\"/>\n",
                 lx, TOP, lx, BOTTOM);
    if (isfinite(c->y_line))
        svg_putf(&s,
                 "<line class=\"qline\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
                 "y2=\"%.1f\"/>\n",
                 LEFT, ly, RIGHT, ly);
    /* where the points and whiskers go */
    double *px = xcalloc(c->n + 1, sizeof *px);
    double *py = xcalloc(c->n + 1, sizeof *py);
    double *width = xcalloc(c->n + 1, sizeof *width);
    int *drawn = xcalloc(c->n + 1, sizeof *drawn);
    struct place *pl = xcalloc(c->n + 1, sizeof *pl);
    struct box *marks = xcalloc(2 * c->n + 1, sizeof *marks);
    size_t n_marks = 0;
    for (size_t i = 0; i < c->n; i++) {
        const struct chart_matrix_point *p = &c->pts[i];
        drawn[i] = isfinite(p->x) && isfinite(p->y);
        if (!drawn[i])
            continue;
        px[i] = axis_at(&x, p->x);
        py[i] = axis_at(&y, p->y);
        width[i] = (double)chars_of(p->short_label ? p->short_label : p->label,
                                    LABEL_MAX) *
                   CHAR_W;
        marks[n_marks++] = (struct box){px[i] - PT_R, py[i] - PT_R,
                                        px[i] + PT_R, py[i] + PT_R};
        if (isfinite(p->x_lo) && isfinite(p->x_hi))
            marks[n_marks++] = (struct box){axis_at(&x, p->x_lo), py[i] - 4,
                                            axis_at(&x, p->x_hi), py[i] + 4};
    }

    struct box *taken = xcalloc(N_FIXED + 4 + 2 * c->n + 1, sizeof *taken);
    size_t n_taken = 0;
    /* labels keep off the ticks and the axes' names */
    taken[n_taken++] = (struct box){0, TOP - 4, LEFT - 3, BOTTOM + 6};
    taken[n_taken++] = (struct box){LEFT - 10, BOTTOM + 3, W, H};
    taken[n_taken++] = (struct box){
        0, 0, (double)chars_of(c->y_label, 80) * CHAR_W + 24, TOP - 3};
    /* a quadrant's name in its outer corner, else at the corner by the
     * lines' crossing or along its edges that the marks leave freer */
    for (int q = 0; q < 4; q++) {
        const char *name = lines ? c->quadrant[q] : NULL;
        if (!name)
            continue;
        double w = (double)chars_of(name, 40) * 6.2; /* 11px */
        int right = q % 2, top = q < 2;
        const struct place cand[4] = {
            {right ? RIGHT - 4 : LEFT + 4, top ? TOP + 14 : BOTTOM - 6,
             right ? "end" : "start", 0},
            {right ? RIGHT - 4 : LEFT + 4, top ? ly - 6 : ly + 14,
             right ? "end" : "start", 0},
            {right ? lx + 4 : lx - 4, top ? TOP + 14 : BOTTOM - 6,
             right ? "start" : "end", 0},
            {right ? lx + 4 : lx - 4, top ? ly - 6 : ly + 14,
             right ? "start" : "end", 0},
        };
        size_t best = 0;
        double best_cost = INFINITY;
        for (size_t k = 0; k < 4; k++) {
            struct box bx = box_of(&cand[k], w);
            double cost = bx.x0 < LEFT || bx.x1 > RIGHT ? 1e6 : 0;
            for (size_t j = 0; j < n_marks; j++)
                cost += overlap(&bx, &marks[j]);
            for (size_t j = 0; j < n_taken; j++)
                cost += overlap(&bx, &taken[j]);
            if (cost < best_cost) {
                best_cost = cost;
                best = k;
            }
        }
        taken[n_taken++] = box_of(&cand[best], w);
        svg_putf(&s,
                 "<text class=\"quadrant q%d\" x=\"%.1f\" y=\"%.1f\" "
                 "text-anchor=\"%s\">",
                 q, cand[best].x, cand[best].y, cand[best].anchor);
        svg_esc_cut(&s, name, 40);
        svg_put(&s, "</text>\n");
    }

    /* the points: whiskers first, then marks, then labels on top */
    for (size_t i = 0; i < c->n; i++) {
        const struct chart_matrix_point *p = &c->pts[i];
        if (drawn[i] && isfinite(p->x_lo) && isfinite(p->x_hi)) {
            double a = axis_at(&x, p->x_lo), b = axis_at(&x, p->x_hi);
            svg_putf(&s,
                     "<path class=\"whisker\" d=\"M%.1f %.1fH%.1fM%.1f "
                     "%.1fV%.1fM%.1f %.1fV%.1f\"/>\n",
                     a, py[i], b, a, py[i] - 4, py[i] + 4, b, py[i] - 4,
                     py[i] + 4);
        }
    }
    place_labels(c, px, py, drawn, width, taken, n_taken, pl);
    for (size_t i = 0; i < c->n; i++)
        if (drawn[i] && pl[i].far) {
            struct box lb = box_of(&pl[i], width[i]);
            double tx = fmin(fmax(px[i], lb.x0), lb.x1);
            double ty = fmin(fmax(py[i], lb.y0), lb.y1);
            svg_putf(&s,
                     "<line class=\"leader\" x1=\"%.1f\" y1=\"%.1f\" "
                     "x2=\"%.1f\" y2=\"%.1f\"/>\n",
                     px[i], py[i], tx, ty);
        }
    for (size_t i = 0; i < c->n; i++)
        if (drawn[i])
            svg_putf(&s,
                     "<circle class=\"mpt q%d%s\" cx=\"%.1f\" cy=\"%.1f\" "
                     "r=\"%.0f\"/>\n",
                     quadrant_of(c, c->pts[i].x, c->pts[i].y),
                     c->pts[i].low_n ? " lown" : "", px[i], py[i], PT_R);
    for (size_t i = 0; i < c->n; i++) {
        if (!drawn[i])
            continue;
        const struct chart_matrix_point *p = &c->pts[i];
        svg_putf(&s,
                 "<text class=\"mlabel\" x=\"%.1f\" y=\"%.1f\" "
                 "text-anchor=\"%s\">",
                 pl[i].x, pl[i].y, pl[i].anchor);
        svg_esc_cut(&s, p->short_label ? p->short_label : p->label, LABEL_MAX);
        svg_put(&s, p->low_n ? "*</text>\n" : "</text>\n");
    }
    free(px);
    free(py);
    free(width);
    free(drawn);
    free(pl);
    free(taken);
    free(marks);

    svg_put(&s, "</svg>\n<figcaption>");
    svg_esc(&s, c->title);
    svg_put(&s, "</figcaption>\n");
    data_table(&s, c);
    svg_put(&s, "</figure>\n");
    return s.rc;
}
