#pragma once
/* An importance-performance matrix as inline SVG (the priorities view):
 * one labelled point per driver, x its importance with the 95% CI as a
 * horizontal whisker, y its performance; two dashed lines split the plot
 * into four quadrants, each named in its corner. Pure rendering into a
 * strbuf, no I/O.
 *
 * As every chart of the web app (chart.h): a <figure> with an
 * <svg role="img" aria-labelledby="ID-t ID-d"> holding a <title> and a
 * <desc>, a <figcaption>, and a <details> with a table of the same
 * figures (label, x with its CI, y, group, n). Sizes come from the
 * viewBox: 480 x 360, the plot between x 56 and 464 and between y 20
 * and 312 (coordinates written with one decimal); colours come from CSS
 * classes. The x axis runs from 0 to x_max (NaN: the data's largest
 * figure, CI and line rounded up to a tick). A point's label goes to its
 * right, left, above or below, the first place that overlaps no other
 * label, point or quadrant name (else the least overlapping).
 *
 * Classes written: chart, chart-matrix, chart-empty; in the SVG axis,
 * grid, tick, axis-label, qline, quadrant, mpt, mpt lown, whisker,
 * mlabel, qarea; points, quadrant areas and names also q0..q3 (the
 * quadrant a point lies in: above a line is high). Quadrant areas and
 * names need both lines. */

#include <stddef.h>
#include <stdint.h>

#include "web/page.h"

struct strbuf;

/* One driver. x NaN: not drawn (still in the table). */
struct chart_matrix_point {
    const char *label;       /* the table's name, e.g. "rating:speed" */
    const char *short_label; /* on the plot; NULL: label */
    double x, x_lo, x_hi;    /* importance and its 95% CI (NaN: none) */
    double y;                /* performance */
    const char *group;       /* e.g. its quadrant's name; NULL: none */
    int64_t n;               /* n behind x; < 0: unknown */
    int low_n;               /* drawn hollow, starred in the table */
};

struct chart_matrix {
    const char *id;      /* unique on the page; ids ID-t, ID-d are made */
    const char *title;   /* the caption and the SVG's <title> */
    const char *summary; /* the <desc>; NULL: every point's figures */
    const char *x_label, *y_label; /* the axes' names */
    const char *label_head;        /* the table's header of the labels */
    const char *group_label;       /* the table's header of group, or NULL
                                      (no group column) */
    const struct chart_matrix_point *pts;
    size_t n;
    double x_line, y_line;      /* the quadrant lines; NaN: none */
    double x_max;               /* the x axis' end (NaN: from the data) */
    double y_min, y_max;        /* the y axis (NaN: from the data) */
    int x_decimals, y_decimals; /* of the figures in the table */
    /* the quadrants' names, written in their corners (NULL: none):
     * [0] low x, high y; [1] high x, high y; [2] low x, low y;
     * [3] high x, low y */
    const char *quadrant[4];
};

/* Appends the matrix. No point with a value: a figure that says there is
 * no data, without an SVG. Returns 0 or ERR_INVALID when out's maximum
 * is reached. */
int chart_matrix_svg(struct strbuf *out, enum web_lang lang,
                     const struct chart_matrix *c);
