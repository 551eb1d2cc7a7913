#pragma once
/* Conformance: how often real paths follow the designed journey (its
 * stages in their order) and where they leave it. */

#include <stddef.h>
#include <stdint.h>

#include "stats/estimate.h"

struct colstore;
struct err;
struct journey_cases;

struct journey_deviation {
    uint32_t from, to; /* stage codes: a step back from `from` to `to` */
    size_t count;      /* times */
    size_t cases;
};

struct journey_conformance {
    size_t n_cases;        /* cases with at least one event at a stage */
    size_t conforming;     /* never going back to an earlier stage */
    struct estimate share; /* percent, Wilson CI */
    size_t skipping;       /* conforming cases that skip a stage between
                              their first and last */
    size_t n;
    struct journey_deviation *d; /* most frequent first */
    const char **stage;          /* [stage code]: keys, borrowed */
    const char **stage_name;     /* display names, borrowed */
};

/* Over the stages of the cases' events (by touchpoint; events without
 * one are not counted). The designed order is the stages' positions
 * within their journey (colstore_stage_position). On success *out is
 * new; caller frees with journey_conformance_free. */
int journey_conformance_build(struct journey_conformance **out,
                              const struct colstore *cs,
                              const struct journey_cases *c, struct err *err);
void journey_conformance_free(struct journey_conformance *k);
