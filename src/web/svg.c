/* SVG output with the first error kept (svg.h). */
#include "web/svg.h"

#include <math.h>
#include <stdarg.h>
#include <string.h>

#include "core/escape.h"
#include "core/strbuf.h"

void svg_put(struct svg *s, const char *t)
{
    if (!s->rc)
        s->rc = strbuf_puts(s->b, t);
}

void svg_putf(struct svg *s, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (!s->rc)
        s->rc = strbuf_vprintf(s->b, fmt, ap);
    va_end(ap);
}

void svg_esc(struct svg *s, const char *t)
{
    if (!s->rc && t)
        s->rc = escape_xml(s->b, t, strlen(t));
}

void svg_esc_cut(struct svg *s, const char *text, size_t max)
{
    size_t cps = 0, i = 0, len = text ? strlen(text) : 0;
    max = max ? max : 1;
    for (; i < len; i++)
        if (((unsigned char)text[i] & 0xC0) != 0x80 && ++cps > max)
            break;
    if (i >= len) {
        svg_esc(s, text);
        return;
    }
    /* cut before the character that did not fit, room for the "…" */
    size_t j = i;
    do
        j--;
    while (j > 0 && ((unsigned char)text[j] & 0xC0) == 0x80);
    if (!s->rc)
        s->rc = escape_xml(s->b, text, j);
    svg_put(s, "\xe2\x80\xa6");
}

double svg_nice_step(double span)
{
    double raw = span / 5, p = pow(10, floor(log10(raw))), f = raw / p;
    return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * p;
}

int svg_tick_decimals(double step)
{
    return step >= 1 ? 0 : (int)ceil(-log10(step) - 1e-9);
}
