#pragma once
/* Variants: the distinct step sequences of the cases, most frequent
 * first, with their count, share and case durations. */

#include <stddef.h>
#include <stdint.h>

#include "stats/estimate.h"

struct colstore;
struct err;
struct journey_cases;

struct journey_variant {
    size_t cases;          /* cases following it exactly */
    double share;          /* of all cases, 0..1 */
    const uint32_t *steps; /* len step codes (borrowed from the cases) */
    size_t len;
    size_t example;         /* a case following it (the first) */
    double median_duration; /* seconds, first to last event */
    double p90_duration;
    struct estimate nps; /* journey_variants_experience: its cases'
                            answers; n 0 before */
};

struct journey_variants {
    size_t n_cases;
    size_t n_variants;         /* distinct sequences in all */
    size_t n;                  /* kept, most frequent first */
    struct journey_variant *v; /* [n] */
    uint32_t *of_case;         /* [n_cases]: each case's variant rank
                                  (0-based, over all variants) */
    int experience;            /* journey_variants_experience ran */
    struct estimate nps_all;   /* then: all the cases' answers */
};

/* The top `top` variants (0 = all) of c; ties in count by the earliest
 * example case. On success *out is new; caller frees with
 * journey_variants_free. c must outlive it. */
int journey_variants_build(struct journey_variants **out,
                           const struct journey_cases *c, size_t top,
                           struct err *err);
void journey_variants_free(struct journey_variants *v);

/* The experience on each kept variant: the NPS of its cases' answers
 * (each case's customer's, at the touchpoints of its events, from its
 * first event to `after` seconds past its last; as rework.h), and of all
 * the cases together (nps_all). */
void journey_variants_experience(struct journey_variants *v,
                                 const struct colstore *cs,
                                 const struct journey_cases *c, int64_t after);
