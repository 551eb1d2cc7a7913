#pragma once
/* A funnel: how many cases reach each of an ordered list of steps, each
 * after the one before, and where they drop off (the barriers). */

#include <stddef.h>
#include <stdint.h>

#include "stats/estimate.h"

struct err;
struct journey_cases;

#define JOURNEY_FUNNEL_MAX 32

struct journey_funnel_step {
    uint32_t step;         /* step code */
    size_t reached;        /* cases reaching it after every earlier step */
    struct estimate conv;  /* reached / reached by the previous step, in
                              percent, Wilson 95% CI (the first: of the
                              cases) */
    struct estimate total; /* reached / the first step's reached */
    double median_wait;    /* seconds from the previous step's first
                              event to this one's (NaN for the first or
                              without cases) */
};

struct journey_funnel {
    size_t n_cases;
    size_t n;
    struct journey_funnel_step s[JOURNEY_FUNNEL_MAX];
};

/* The funnel over steps[0..n) (step codes of c). A case reaches step i
 * when it holds it at or after the first event where it reached step
 * i - 1. ERR_INVALID for no steps, more than JOURNEY_FUNNEL_MAX, a step
 * code out of range or given twice. */
int journey_funnel_build(struct journey_funnel *out,
                         const struct journey_cases *c, const uint32_t *steps,
                         size_t n, struct err *err);
