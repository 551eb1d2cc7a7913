#pragma once
/* A region of a Sense-making pattern (analysis/patterns.h) as the stories
 * explorer names it in a URL (?region=), and whether an answer lies in
 * it, tested as `patterns` counts its answers (docs/web.md):
 *
 *   corner-N      a triad's answers with weight >= PATTERNS_NEAR on corner
 *                 N (1..3), as `resonans verbatims --triad KEY --corner N`
 *   centre        a triad's answers with no weight >= PATTERNS_NEAR
 *   cell-I-J-up   a cell of the ternary histogram (cell-I-J-down), as
 *                 patterns_cell_of places an answer
 *   bin-K         a dyad's histogram bin K (0..PATTERNS_DYAD_BINS-1)
 *
 * Pure functions, no I/O. */

#include <stddef.h>

#include "analysis/patterns.h"

struct err;
struct strbuf;

enum story_region_kind {
    STORY_REGION_NONE,
    STORY_REGION_CORNER,
    STORY_REGION_CENTRE,
    STORY_REGION_CELL,
    STORY_REGION_BIN
};

struct story_region {
    enum story_region_kind kind;
    int corner;     /* CORNER: 0..2 */
    int i, j, down; /* CELL: as struct patterns_cell */
    int bin;        /* BIN */
};

/* Parses s[0..n) (n = 0: no region, kind NONE) for a question of kind.
 * ERR_INVALID (err set, saying what is taken) for anything that is not
 * one of that kind's regions. */
int story_region_parse(struct story_region *r, const char *s, size_t n,
                       enum patterns_kind kind, struct err *err);
/* Appends the region's name as story_region_parse reads it (nothing for
 * NONE). Returns as strbuf_add. */
int story_region_name(struct strbuf *b, const struct story_region *r);
/* 1 when an answer at x lies in r: x a triad's closed composition (parts
 * >= 0, sum 1), or x[0] a dyad's position 0..1. NONE holds nothing. */
int story_region_has(const struct story_region *r, const double x[3]);
