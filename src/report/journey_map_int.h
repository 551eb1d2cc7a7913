#pragma once
/* Private to the journey map renderers (journey_map.c, journey_map_html.c,
 * journey_process_svg.c): labels laid out in boxes of their own, with the
 * width estimate of journey_map.h, and the fixed words in two languages. */

#include <stddef.h>

#include "report/journey_map.h"

struct strbuf;

#define JOURNEY_MAP_MAX_LINES 6

enum journey_map_anchor { JM_START, JM_MIDDLE, JM_END };

/* How a label is drawn. */
struct journey_map_style {
    double size; /* font size, px */
    int bold, italic;
    enum journey_map_anchor anchor;
    const char *fill;
    int halo; /* a white outline, for text over marks */
    const char *what;
};

/* A placed label: lines shown, box, and the full text when it was cut. */
struct journey_map_label {
    struct journey_map_style st;
    double ax; /* x of the anchor point */
    struct journey_map_box box;
    char *shown; /* owned: the lines, separated by '\n' */
    size_t n_lines;
    char *full; /* owned: the whole text when cut, else NULL */
};

struct journey_map_labels {
    struct journey_map_label *v;
    size_t n, cap;
};

#define JOURNEY_MAP_LABELS_INIT                                                \
    {                                                                          \
        NULL, 0, 0                                                             \
    }

void journey_map_labels_dispose(struct journey_map_labels *ls);

/* Line height for a font size: the box of a line. */
double journey_map_line_h(double size);

/* Estimated width of s (NUL-terminated, UTF-8) drawn at size. */
double journey_map_text_w(const char *s, double size, int bold);

/* Lays text out with its anchor at ax and its box's top at top: blanks
 * collapsed, wrapped at spaces into at most max_lines lines no wider than
 * max_w, the last cut with an ellipsis when the rest does not fit.
 * Returns the label, owned by ls (valid until the next add). */
struct journey_map_label *journey_map_labels_add(
    struct journey_map_labels *ls, const struct journey_map_style *st,
    double ax, double top, const char *text, double max_w, size_t max_lines);

/* Removes the last label (one that found no free place). */
void journey_map_labels_pop(struct journey_map_labels *ls);

/* Moves label l so its box's top left is at (x, y). */
void journey_map_label_move(struct journey_map_label *l, double x, double y);

/* 1 if boxes a and b, each grown by margin, intersect. */
int journey_map_box_hits(const struct journey_map_box *a,
                         const struct journey_map_box *b, double margin);

/* Appends every label as <text> (a <tspan> per line; a <title> with the
 * whole text when cut), data escaped. */
void journey_map_labels_write(struct strbuf *b,
                              const struct journey_map_labels *ls);

/* Appends text from data, escaped (NULL: nothing). */
void journey_map_put_text(struct strbuf *b, const char *s);

/* 1 for "sv", 0 for "en" or NULL, -1 for anything else. */
int journey_map_lang_sv(const char *lang);

/* An NPS value as "+12.3", "-4.0" or "-" (NaN), in buf. */
const char *journey_map_fmt_nps(char *buf, size_t n, double v, int decimals);
