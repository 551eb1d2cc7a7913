#pragma once
/* Private to src/journey/: order statistics for waits and durations. */

#include <stddef.h>
#include <stdint.h>

#include "colstore/colstore.h"

struct journey_cases;
struct nps;

/* The q-quantile (0..1) of v[0..n), linear between order statistics
 * (type 7 of Hyndman and Fan, as R's default), by selection in O(n):
 * reorders v. NaN for n == 0. */
double journey_quantile(double *v, size_t n, double q);

/* The NPS answers of each customer, in time order: rows[first[c] ..
 * first[c + 1]) of the column store. */
struct journey_answers {
    struct colstore_columns col; /* the views, taken once */
    struct colstore_events ev;
    size_t n_cust, n_tp;
    size_t *first;
    uint32_t *rows;
    uint8_t *tp_in;   /* scratch: [n_tp] */
    uint32_t *owner;  /* [response rows]: the case an answer belongs to */
    int64_t *recency; /* [response rows]: that case's latest event at or
                         before the answer */
};

/* Indexes the answers of cs and gives each to one case of c: among the
 * cases whose window holds it (its customer's, at the touchpoints of the
 * case's events, from the case's first event to `after` past its last),
 * the one with the latest event at or before the answer: the case the
 * customer last acted in (ties: the first case). */
void journey_answers_index(struct journey_answers *a, const struct colstore *cs,
                           const struct journey_cases *c, int64_t after);
void journey_answers_dispose(struct journey_answers *a);

/* Adds to *out the NPS answers that belong to case i (as above). */
void journey_case_nps(struct nps *out, struct journey_answers *a,
                      const struct journey_cases *c, size_t i, int64_t after);
