#pragma once
/* Writing SVG (and the HTML around a chart) into a strbuf, keeping the
 * first error: what the chart kinds of src/web share (chart.c,
 * chart_matrix.c, chart_ternary.c). Once s->rc is set (ERR_INVALID: the
 * buffer's maximum reached), every later call does nothing. */

#include <stddef.h>

#include "web/page.h"

struct strbuf;

struct svg {
    struct strbuf *b;
    enum web_lang lang;
    int rc;
};

void svg_put(struct svg *s, const char *t);
void svg_putf(struct svg *s, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* t escaped as XML text (NULL as nothing). */
void svg_esc(struct svg *s, const char *t);
/* text escaped, cut to at most max code points (at least 1) with "…"
 * as the last when it is longer. */
void svg_esc_cut(struct svg *s, const char *text, size_t max);

/* A step of 1, 2 or 5 times a power of ten giving about five ticks over
 * span (> 0), and the decimals its tick labels need. */
double svg_nice_step(double span);
int svg_tick_decimals(double step);
