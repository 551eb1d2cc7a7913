/* Regions of a pattern named in a URL (story_region.h). */
#include "report/story_region.h"

#include <math.h>
#include <string.h>

#include "core/err.h"
#include "core/strbuf.h"

/* As patterns and verbatims compare a weight with a bound: stored weights
 * are normalised, 0.6 may read as 0.59999999999. */
#define NEAR_EPS 1e-9

/* Reads a number lo..hi of at most 2 digits at s[*k..n); -1 if none. */
static int small_int(const char *s, size_t n, size_t *k, int lo, int hi)
{
    int v = 0, d = 0;
    while (*k < n && s[*k] >= '0' && s[*k] <= '9' && d < 2) {
        v = v * 10 + (s[*k] - '0');
        (*k)++;
        d++;
    }
    return d && v >= lo && v <= hi ? v : -1;
}

/* 1 when s[*k..n) starts with word; moves past it. */
static int word(const char *s, size_t n, size_t *k, const char *w)
{
    size_t len = strlen(w);
    if (n - *k < len || memcmp(s + *k, w, len) != 0)
        return 0;
    *k += len;
    return 1;
}

int story_region_parse(struct story_region *r, const char *s, size_t n,
                       enum patterns_kind kind, struct err *err)
{
    size_t k = 0;
    memset(r, 0, sizeof *r);
    if (!n)
        return 0;
    if (kind == PATTERNS_TRIAD && word(s, n, &k, "corner-")) {
        r->kind = STORY_REGION_CORNER;
        r->corner = small_int(s, n, &k, 1, 3) - 1;
        if (r->corner >= 0 && k == n)
            return 0;
    } else if (kind == PATTERNS_TRIAD && word(s, n, &k, "centre")) {
        r->kind = STORY_REGION_CENTRE;
        if (k == n)
            return 0;
    } else if (kind == PATTERNS_TRIAD && word(s, n, &k, "cell-")) {
        r->kind = STORY_REGION_CELL;
        r->i = small_int(s, n, &k, 0, PATTERNS_GRID - 1);
        if (r->i >= 0 && word(s, n, &k, "-") &&
            (r->j = small_int(s, n, &k, 0, PATTERNS_GRID - 1)) >= 0 &&
            word(s, n, &k, "-")) {
            r->down = word(s, n, &k, "down");
            if ((r->down || word(s, n, &k, "up")) && k == n &&
                r->i + r->j <= PATTERNS_GRID - 1 - r->down)
                return 0;
        }
    } else if (kind == PATTERNS_DYAD && word(s, n, &k, "bin-")) {
        r->kind = STORY_REGION_BIN;
        r->bin = small_int(s, n, &k, 0, PATTERNS_DYAD_BINS - 1);
        if (r->bin >= 0 && k == n)
            return 0;
    }
    memset(r, 0, sizeof *r);
    return err_set(err, ERR_INVALID, "region: %s, got \"%.*s\"",
                   kind == PATTERNS_TRIAD
                       ? "corner-1..3, centre or cell-I-J-up|down"
                       : "bin-0..9",
                   n > 60 ? 60 : (int)n, s);
}

int story_region_name(struct strbuf *b, const struct story_region *r)
{
    switch (r->kind) {
    case STORY_REGION_CORNER:
        return strbuf_printf(b, "corner-%d", r->corner + 1);
    case STORY_REGION_CENTRE:
        return strbuf_puts(b, "centre");
    case STORY_REGION_CELL:
        return strbuf_printf(b, "cell-%d-%d-%s", r->i, r->j,
                             r->down ? "down" : "up");
    case STORY_REGION_BIN:
        return strbuf_printf(b, "bin-%d", r->bin);
    case STORY_REGION_NONE:
        break;
    }
    return 0;
}

int story_region_has(const struct story_region *r, const double x[3])
{
    switch (r->kind) {
    case STORY_REGION_CORNER:
        return x[r->corner] >= PATTERNS_NEAR - NEAR_EPS;
    case STORY_REGION_CENTRE:
        for (int p = 0; p < 3; p++)
            if (x[p] >= PATTERNS_NEAR - NEAR_EPS)
                return 0;
        return 1;
    case STORY_REGION_CELL: {
        struct patterns_cell c;
        /* the cell patterns puts x in (cells[] holds them by index in the
         * order patterns.h gives: upward by row, then downward) */
        size_t k = patterns_cell_of(x),
               up = PATTERNS_GRID * (PATTERNS_GRID + 1) / 2;
        c.down = k >= up;
        size_t left = c.down ? k - up : k;
        int width = PATTERNS_GRID - c.down; /* cells in the first row */
        c.i = 0;
        while (left >= (size_t)(width - c.i)) {
            left -= (size_t)(width - c.i);
            c.i++;
        }
        c.j = (int)left;
        return c.i == r->i && c.j == r->j && c.down == r->down;
    }
    case STORY_REGION_BIN: {
        /* as patterns bins it; a NaN (never an answer) in none */
        double v = x[0];
        if (isnan(v))
            return 0;
        int b = v <= 0   ? 0
                : v >= 1 ? PATTERNS_DYAD_BINS
                         : (int)floor(v * PATTERNS_DYAD_BINS);
        return (b >= PATTERNS_DYAD_BINS ? PATTERNS_DYAD_BINS - 1 : b) == r->bin;
    }
    case STORY_REGION_NONE:
        break;
    }
    return 0;
}
