#pragma once
/* From the journey analyses to the map: fills the renderers' plain data
 * (journey_map.h, journey_process_svg.h) and the map's result table, so
 * `journey map` (and a server) only fetch the quotes and render.
 *
 *   struct journey_map_input in = {x, funnel, moments, c, g, v, ...};
 *   journey_map_doc_new(&d, &in, err);
 *   journey_map_render_html(&buf, &d->map, &d->process, err);
 *   r = journey_map_report(d, &in);
 *   journey_map_doc_free(d);
 */

#include <stddef.h>

#include "report/journey_map.h"
#include "report/journey_process_svg.h"

struct err;
struct journey_cases;
struct journey_dfg;
struct journey_experience;
struct journey_funnel;
struct journey_moments;
struct journey_variants;
struct result;

struct journey_map_input {
    const struct journey_experience *x;    /* required */
    const struct journey_funnel *funnel;   /* stages in order; NULL: no
                                              drop-off */
    const struct journey_moments *moments; /* NULL: no measured moments */
    const struct journey_cases *c;         /* with g and v, the process */
    const struct journey_dfg *g;           /* NULL: no process map */
    const struct journey_variants *v;
    const char *const *stage_quote; /* [x->n_st] texts (redacted), or NULL */
    const char *title;
    const char *lang; /* "sv" or "en" */
    size_t min_count; /* process map: edges drawn from this count */
    int min_n;        /* figures under it are flagged in the table */
};

/* The renderers' data, owning every array it points to. Strings are
 * borrowed from the input. */
struct journey_map_doc {
    struct journey_map map;
    struct journey_process process;
    int has_process;
    struct journey_map_stage *stages;
    struct journey_map_touchpoint *tps;
    const char **channels;
    struct journey_process_node *nodes;
    struct journey_process_edge *edges;
    struct journey_process_variant *variants;
    size_t *variant_steps;
};

/* ERR_INVALID when the journey has no stages and there is no process
 * (an event log without a journey definition still has its process map).
 * On success *out is new; caller frees with journey_map_doc_free. */
int journey_map_doc_new(struct journey_map_doc **out,
                        const struct journey_map_input *in, struct err *err);
void journey_map_doc_free(struct journey_map_doc *d);

/* The map as tables: per stage the emotional curve (NPS with CI), the
 * drop-off to the next stage, negative comments, top themes and pains,
 * the quote; per touchpoint its NPS and marks. Caller frees with
 * result_free. */
struct result *journey_map_report(const struct journey_map_doc *d,
                                  const struct journey_map_input *in);
