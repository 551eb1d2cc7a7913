#pragma once
/* The directly-follows graph: how often one step is directly followed by
 * another within a case, and how long that took. Where cases stall is
 * the edges with the longest waits. */

#include <stddef.h>
#include <stdint.h>

struct err;
struct journey_cases;

/* Pseudo-steps for where cases start and end. */
#define JOURNEY_START UINT32_MAX
#define JOURNEY_END (UINT32_MAX - 1)

struct journey_edge {
    uint32_t from, to; /* step codes, or JOURNEY_START / JOURNEY_END */
    size_t count;      /* times it happened */
    size_t cases;      /* cases in which it happened at least once */
    /* waits in seconds, from one event to the next (0 for start/end) */
    double mean, median, p90, max;
};

struct journey_dfg {
    size_t n_cases;
    size_t n;               /* edges, most frequent first */
    struct journey_edge *e; /* [n] */
    size_t *node_count;     /* [n_steps]: events per step */
    size_t *node_cases;     /* [n_steps]: cases with the step */
    uint32_t n_steps;
};

/* Every edge of c (start and end edges included). On success *out is
 * new; caller frees with journey_dfg_free. */
int journey_dfg_build(struct journey_dfg **out, const struct journey_cases *c,
                      struct err *err);
void journey_dfg_free(struct journey_dfg *g);

/* Where cases stall: the indexes into g->e of at most `top` edges
 * between two steps (not start or end) with at least min_count
 * occurrences, longest median wait first. Returns how many were
 * written to idx. */
size_t journey_dfg_stalls(const struct journey_dfg *g, size_t min_count,
                          size_t *idx, size_t top);
