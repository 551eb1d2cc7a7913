#pragma once
/* Cases: the ordered steps each customer (or each case id) went through,
 * read from the column store's events (docs/journeys.md).
 *
 *   struct journey_case_opts o = JOURNEY_CASE_OPTS_INIT;
 *   o.use = mask;                    event rows kept by the filters
 *   journey_cases_build(&c, cs, &o, err);
 *   ... journey_variants, journey_dfg, journey_funnel (their headers) ...
 *   journey_cases_free(c);
 *
 * A case is either every event with one value of a case column (an event
 * attribute such as ticket_id, --case), or a customer's events split
 * where more than opts->gap seconds pass between two of them. Within a
 * case the events are in time order (ties: as stored). A step is what an
 * event is counted as: its activity, touchpoint, stage or channel; with
 * a level other than activity an event without one is left out of its
 * case (counted in skipped).
 *
 * Errors: ERR_INVALID when the events are not loaded, for a case column
 * that is not an event attribute, or a gap below 0; ERR_NOTFOUND for an
 * unknown case column. */

#include <stddef.h>
#include <stdint.h>

struct colstore;
struct err;

enum journey_level { JL_ACTIVITY, JL_TOUCHPOINT, JL_STAGE, JL_CHANNEL };
/* "activity", "touchpoint", "stage", "channel". */
const char *journey_level_name(enum journey_level l);
/* Parses one of those; -1 for anything else. */
int journey_level_parse(const char *s);

struct journey_case_opts {
    const uint8_t *use;       /* event rows to use; NULL = every event */
    enum journey_level level; /* what a step is */
    const char *case_col;     /* event attribute naming the case, loaded
                                 (colstore_load_column); NULL = per
                                 customer, split by gap */
    int64_t gap;              /* seconds; 0 = never split a customer */
};

#define JOURNEY_CASE_OPTS_INIT                                                 \
    {                                                                          \
        NULL, JL_ACTIVITY, NULL, 0                                             \
    }

/* Step codes: 0..n_steps-1, one per activity (or touchpoint, stage,
 * channel code of the column store). */
struct journey_cases {
    enum journey_level level;
    size_t n;           /* cases */
    size_t n_events;    /* events in cases */
    size_t skipped;     /* events kept by the filter but without a step */
    size_t no_case;     /* with a case column: events without a case id */
    size_t *off;        /* [n + 1]: case i holds positions off[i]..off[i+1]-1 */
    uint32_t *ev;       /* [n_events]: event row per position */
    uint32_t *step;     /* [n_events]: step code per position */
    int64_t *ts;        /* [n_events]: UTC seconds per position */
    uint32_t *customer; /* [n]: customer index of the case's first event */
    uint32_t n_steps;
    const char **label; /* [n_steps]: borrowed from the column store */
    const char **name;  /* [n_steps]: display names (touchpoints, stages) */
};

/* On success *out is new; caller frees with journey_cases_free. */
int journey_cases_build(struct journey_cases **out, const struct colstore *cs,
                        const struct journey_case_opts *opts, struct err *err);
void journey_cases_free(struct journey_cases *c);

/* Case i's first and last time, and its length in steps. */
static inline int64_t journey_case_start(const struct journey_cases *c,
                                         size_t i)
{
    return c->ts[c->off[i]];
}
static inline int64_t journey_case_end(const struct journey_cases *c, size_t i)
{
    return c->ts[c->off[i + 1] - 1];
}
static inline size_t journey_case_len(const struct journey_cases *c, size_t i)
{
    return c->off[i + 1] - c->off[i];
}
