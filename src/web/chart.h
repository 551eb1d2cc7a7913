#pragma once
/* Charts of the web app as inline SVG, each with its numbers beside it.
 * Pure rendering into a strbuf, no I/O.
 *
 * A chart is a <figure>: an <svg role="img" aria-labelledby="ID-t ID-d">
 * holding a <title> and a one-sentence <desc>, a <figcaption>, and a
 * <details> with an accessible <table> of the same figures (label, value,
 * 95% CI, n): the text alternative, and what a print or a screen reader
 * gets. Sizes come from the viewBox, so a chart scales to a phone;
 * colours come from CSS classes (web/app.css), never inline, so the
 * stylesheet controls contrast. No script. Figures are shown with two
 * decimals when the axis spans 10 or less (a mean on 1..5), else one
 * (NPS, shares), in the language given (web_number).
 *
 * Classes written: chart, chart-line, chart-bars, chart-empty; in the
 * SVG grid, zero, axis, tick, axis-label, band, line, pt, pt lown,
 * marker, marker-label, bar, bar lown, whisker, value, sig, sig up,
 * sig down; in the table sig, sig-note. */

#include <stddef.h>
#include <stdint.h>

#include "web/page.h"

struct strbuf;

/* One figure: a period of a series or a labelled bar. lo, hi NaN: no
 * interval; value NaN: no figure (a gap in a line, no bar). n < 0:
 * unknown. low_n: n under the minimum, drawn hollow (line) or light
 * (bar) and starred in the table. */
struct chart_point {
    const char *label;
    double value, lo, hi;
    int64_t n;
    int low_n;
};

/* A series over periods, in order, with its 95% CI as a shaded band. */
struct chart_line {
    const char *id;      /* unique on the page; ids ID-t, ID-d are made */
    const char *title;   /* the caption and the SVG's <title> */
    const char *summary; /* the <desc>; NULL: one is written from data */
    const char *y_label; /* the figure's name, e.g. "NPS" */
    const struct chart_point *pts;
    size_t n;
    double y_min, y_max;      /* NAN: from the data (rounded out) */
    const char *marker_at;    /* a point's label: a vertical line there */
    const char *marker_label; /* its words, e.g. "fix done"; NULL = none */
};

/* Appends the line chart. An empty series (or one with no value) is a
 * figure that says there is no data, without an SVG. Returns 0 or
 * ERR_INVALID when out's maximum is reached. */
int chart_line_svg(struct strbuf *out, enum web_lang lang,
                   const struct chart_line *c);

/* A line's notes, one per point: a column of the table (the change
 * from the period before, say) and marks on the chart (a significant
 * change: a triangle over the point, its tip up or down). */
struct chart_note {
    const char *text; /* the table's cell; NULL: empty */
    int mark;         /* 0: none; +1 up, -1 down: drawn, and named */
};
struct chart_notes {
    const char *head;             /* the column's header */
    const char *legend;           /* what a mark means, e.g. "significant change
                                   * from the month before (95%)": under the
                                   * table, and read after each marked cell */
    const struct chart_note *pts; /* [c->n] */
};

/* chart_line_svg with notes (NULL: none). The caller's summary should
 * name the marked points: the <desc> is all an SVG reader gets. */
int chart_line_svg_notes(struct strbuf *out, enum web_lang lang,
                         const struct chart_line *c,
                         const struct chart_notes *notes);

/* Labelled values as horizontal bars with CI whiskers (NPS by
 * touchpoint, themes), in the order given. */
struct chart_bars {
    const char *id, *title, *summary, *x_label; /* as for chart_line */
    const struct chart_point *pts;
    size_t n;
    double x_min, x_max; /* NAN: from the data, 0 included */
};

/* Appends the bar chart; as chart_line_svg. */
int chart_bars_svg(struct strbuf *out, enum web_lang lang,
                   const struct chart_bars *c);

/* Appends v in lang: `decimals` decimals, a decimal comma and U+202F
 * between thousands in Swedish, ',' between thousands in English,
 * U+2212 for a minus, '+' on positive values when sign, NaN as "–"
 * (U+2013). Plain UTF-8 with nothing to escape. Returns as strbuf_add. */
int web_number(struct strbuf *out, enum web_lang lang, double v, int decimals,
               int sign);
