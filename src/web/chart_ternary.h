#pragma once
/* Sense-making plots of the web app as inline SVG (docs/patterns.md):
 * a ternary plot of a triad and a histogram of a dyad, whose regions are
 * links (the stories explorer selects a region by following one). Pure
 * rendering into a strbuf, no I/O; the numbers' tables are the page's.
 *
 * A plot is a <figure class="chart chart-ternary|chart-dyad"> holding
 * a <div class="plot-wrap"> with two SVGs of the same viewBox:
 *   - the picture, <svg role="img" aria-labelledby="ID-t ID-d"> with a
 *     <title> and the <desc> given (the caller's sentence, escaped here);
 *   - over it, <svg class="plot-hit" aria-hidden="true">, the regions
 *     that have a link as transparent <a tabindex="-1"> shapes, for a
 *     pointer. They are left out of the keyboard's order and of the
 *     accessibility tree on purpose: a picture (role img) cannot hold
 *     links, so the page lists the same links as text for keyboards and
 *     screen readers.
 * then a legend of the points (<ul class="plot-legend">, a key of the
 * point's colour and its label) and a <figcaption>. Colours come from CSS
 * classes (web/app/stories.css): cell l0..l5 (shade by count), sel (the
 * selected region), near (the corner regions' edges), mean g0..g7 (the points,
 * overall g0), region g0..g7 (their 95% regions), bin, ci.
 *
 * Geometry (viewBox 480 x 440 for the triangle): corner 1 at the bottom
 * left, corner 2 at the bottom right, corner 3 on top, as the CLI's SVG
 * (report/patterns_svg.h) draws them. */

#include <stddef.h>
#include <stdint.h>

#include "web/page.h"

struct strbuf;

#define CHART_TERNARY_W 480.0
#define CHART_TERNARY_H 440.0
#define CHART_DYAD_W 480.0

/* A cell of a ternary histogram of `grid` steps per side, as in
 * analysis/patterns.h: an upward cell (down = 0) has corners at part-1
 * and part-2 steps (i, j), (i+1, j), (i, j+1); a downward one (i+1, j),
 * (i, j+1), (i+1, j+1). */
struct chart_ternary_cell {
    int i, j, down;
    int64_t count;
    const char *href;  /* a local link (unescaped), or NULL */
    const char *label; /* its words for the link's title, or NULL */
    int selected;      /* 1: drawn as the selected region */
};

/* A point of the plot (a mean) with its 95% region's boundary. */
struct chart_ternary_point {
    const char *label;         /* in the legend */
    double x[3];               /* a composition, parts summing to 1 */
    const double (*region)[3]; /* n_region boundary points, or NULL */
    size_t n_region;
};

struct chart_ternary {
    const char *id;      /* unique on the page; ids ID-t, ID-d are made */
    const char *title;   /* the caption and the SVG's <title> */
    const char *summary; /* the <desc> */
    const char *corners[3];
    int grid; /* steps per side of the cells */
    const struct chart_ternary_cell *cells;
    size_t n_cells;
    double near;       /* > 0: outline the regions with a part >= near */
    int near_selected; /* 1..3: that corner's region is selected, 4: the
                        * centre (no part >= near), 0: none */
    const struct chart_ternary_point *pts;
    size_t n_pts;
};

/* The point of composition x in the viewBox (for tests and labels). */
void chart_ternary_xy(const double x[3], double *px, double *py);
/* Appends the ternary plot. Returns 0 or ERR_INVALID when out's maximum
 * is reached. A plot without cells says there is no data. */
int chart_ternary_svg(struct strbuf *out, enum web_lang lang,
                      const struct chart_ternary *t);

/* A bin of a dyad's histogram over [from, to). */
struct chart_dyad_bin {
    double from, to;
    int64_t count;
    const char *href, *label; /* as for a cell */
    int selected;
};
/* A mean on the slider with its 95% CI (lo, hi NaN: none). */
struct chart_dyad_mean {
    const char *label;
    double value, lo, hi;
};

struct chart_dyad {
    const char *id, *title, *summary; /* as for the ternary plot */
    const char *ends[2];              /* words at 0 and 1, or NULL */
    const struct chart_dyad_bin *bins;
    size_t n_bins;
    const struct chart_dyad_mean *means;
    size_t n_means;
};

/* The x of slider position v (0..1) in the viewBox. */
double chart_dyad_x(double v);
/* Appends the dyad plot: the bins as bars (their height by count), then
 * each mean as a point with its CI on a line of its own. As above. */
int chart_dyad_svg(struct strbuf *out, enum web_lang lang,
                   const struct chart_dyad *d);
