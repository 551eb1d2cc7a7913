#pragma once
/* Loops and rework: cases that return to a step they passed, and what
 * that does to the experience; channel switches along the way. */

#include <stddef.h>
#include <stdint.h>

#include "stats/compare.h"
#include "stats/estimate.h"

struct colstore;
struct err;
struct journey_cases;

struct journey_rework_step {
    uint32_t step;
    size_t cases;          /* cases with the step */
    size_t repeated;       /* of those, with it twice or more */
    struct estimate share; /* repeated / cases, percent, Wilson CI */
    size_t within;         /* cases with a repeat within `window` */
    /* NPS of the answers the cases' customers gave from the case's
     * first event to `after` seconds past its last: cases with the step
     * repeated (b) against cases with it once (a), b - a with its CI */
    struct estimate nps_once, nps_repeated;
    struct comparison diff;
};

struct journey_switch {
    uint32_t from, to; /* channel codes */
    size_t count;      /* consecutive events of a case, channel from->to */
};

struct journey_rework {
    size_t n_cases;
    size_t looped; /* cases returning to an earlier step */
    struct estimate looped_share;
    size_t n; /* steps with repeats, most repeated cases first */
    struct journey_rework_step *s;
    size_t n_switches; /* channel changes, most frequent first */
    struct journey_switch *sw;
    size_t switched;      /* cases with at least one channel change */
    const char **channel; /* [channel code]: names, borrowed */
    int64_t after;        /* the answer window used, seconds */
    int64_t window;       /* the repeat window used, seconds (0: none) */
};

struct journey_rework_opts {
    int64_t window; /* seconds: a repeat within this counts in `within`
                       (the same customer back at the same step); 0 =
                       any */
    int64_t after;  /* seconds after the case's last event whose answers
                       count for its NPS */
};

/* On success *out is new; caller frees with journey_rework_free. Reads
 * the responses and the events' channels of cs (the cases' column
 * store). */
int journey_rework_build(struct journey_rework **out, const struct colstore *cs,
                         const struct journey_cases *c,
                         const struct journey_rework_opts *opts,
                         struct err *err);
void journey_rework_free(struct journey_rework *r);
