#pragma once
/* The process map and the variant diagram of a journey as standalone SVG
 * documents (docs/journey-map.md):
 *
 *   process map  the directly-follows graph: a box per step with its
 *                count, an arrow per edge with at least min_count
 *                occurrences, as thick as its count is large and
 *                labelled with the count and the median wait; a start
 *                and an end node. Laid out left to right: cycles are
 *                broken (the edges a depth-first walk from the start,
 *                most frequent edges first, finds going back are drawn
 *                dashed), each step is put in the layer of its longest
 *                path from the start, and each layer is ordered by its
 *                neighbours' mean position to cut crossings. Layers past
 *                what fits 1180 px wrap onto a band below, like text; an
 *                edge back, past a layer or to a later band runs along a
 *                lane of its own under its source's band. The same input
 *                always gives the same picture.
 *   variants     the most frequent variants as horizontal bands: the
 *                variant's steps as a row of boxes, under it a bar as long
 *                as its share of the cases; the steps a variant shares
 *                with the one above it at the start are drawn pale.
 *
 * The input is plain data, borrowed for the call. Labels are escaped and
 * cut with an ellipsis (full text in a <title>) to fit their boxes; an
 * edge label that fits nowhere free along its edge is left out and kept
 * in the edge's <title>, so no two labels overlap (the estimate of
 * JOURNEY_MAP_EM_PER_CHAR in journey_map.h). Nothing is printed here. */

#include <stddef.h>
#include <stdint.h>

struct err;
struct strbuf;

/* Edge ends for where cases start and end. */
#define JOURNEY_PROCESS_START SIZE_MAX
#define JOURNEY_PROCESS_END (SIZE_MAX - 1)

#define JOURNEY_PROCESS_MAX_NODES 200
#define JOURNEY_PROCESS_MAX_EDGES 300 /* drawn; the rarer are counted out */
#define JOURNEY_PROCESS_MAX_VARIANTS 50

struct journey_process_node {
    const char *label; /* a step's display name */
    size_t count;      /* events of the step */
};

struct journey_process_edge {
    size_t from, to; /* node indexes, or JOURNEY_PROCESS_START / _END */
    size_t count;    /* times one directly followed the other */
    double median_s; /* median wait in seconds; NaN: unknown */
};

struct journey_process_variant {
    const size_t *steps; /* len node indexes, in order */
    size_t len;
    size_t count;     /* cases following it */
    double share_pct; /* of all cases, 0..100 */
};

struct journey_process {
    const char *lang; /* "sv" or "en" (NULL: "en"): the fixed labels */
    size_t n_cases;
    const struct journey_process_node *nodes;
    size_t n_nodes;
    const struct journey_process_edge *edges;
    size_t n_edges;
    size_t min_count; /* edges with fewer occurrences are not drawn */
    const struct journey_process_variant *variants; /* most frequent first */
    size_t n_variants;
};

/* Appends the process map (a standalone SVG document) to out. Of the
 * edges with at least min_count occurrences, the JOURNEY_PROCESS_MAX_EDGES
 * most frequent are drawn; a step with no edge drawn is not, and a line
 * under the map says how many edges and steps were left out. ERR_INVALID in err
 * for no nodes, too many, an edge or variant naming a node that does not exist,
 * a self-edge of start or end, a language not "sv" or "en", or out's maximum
 * size reached (out is then left as it was). */
int journey_process_svg_render(struct strbuf *out,
                               const struct journey_process *p,
                               struct err *err);

/* Appends the variant diagram (a standalone SVG document) of the first
 * JOURNEY_PROCESS_MAX_VARIANTS variants to out. Errors as
 * journey_process_svg_render; no variants is an empty diagram that says
 * so, not an error. */
int journey_process_svg_render_variants(struct strbuf *out,
                                        const struct journey_process *p,
                                        struct err *err);
