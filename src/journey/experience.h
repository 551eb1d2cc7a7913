#pragma once
/* The experience on the path: per stage and touchpoint of the journey,
 * what customers said there: NPS with its CI, the sentiment of their
 * comments, the themes they raise most and most negatively, and a
 * representative comment (docs/journeys.md). The emotional curve of the
 * journey is the stages' NPS in their designed order. */

#include <stddef.h>
#include <stdint.h>

#include "stats/estimate.h"

struct colstore;
struct err;

#define JOURNEY_EXP_THEMES 3

struct journey_theme_share {
    const char *theme; /* borrowed */
    double share;      /* of the commented answers, 0..1 */
    double negative;   /* of those, mentioned negatively, 0..1 */
};

struct journey_exp_row {
    int code;            /* stage or touchpoint code */
    const char *key;     /* borrowed */
    const char *name;    /* borrowed */
    int stage;           /* a touchpoint's stage code; a stage's own */
    const char *channel; /* a touchpoint's channel: the designed one */
    int moment_of_truth; /* the journey's flag (a stage: any touchpoint) */
    size_t responses;
    struct estimate nps;
    size_t commented;         /* answers with an analysed comment */
    struct estimate negative; /* share of those negative, percent */
    struct journey_theme_share themes[JOURNEY_EXP_THEMES]; /* most raised */
    size_t n_themes;
    struct journey_theme_share pains[JOURNEY_EXP_THEMES]; /* most raised
                                                             negatively */
    size_t n_pains;
    int pain_point;   /* NPS significantly below the journey's (CI under it) */
    int64_t quote_id; /* a representative comment's store id, 0 = none:
                         the latest negative one naming the top pain, else
                         the latest comment */
};

struct journey_experience {
    struct estimate nps_all; /* every answer used */
    size_t n_st, n_tp;
    struct journey_exp_row *st; /* stages in designed order */
    struct journey_exp_row *tp; /* touchpoints, by stage in designed order */
};

/* Over the response rows use[] lets through (NULL = all). Stages and
 * touchpoints without an answer are kept (n 0) so a map shows the whole
 * designed journey. On success *out is new; caller frees with
 * journey_experience_free. */
int journey_experience_build(struct journey_experience **out,
                             const struct colstore *cs, const uint8_t *use,
                             struct err *err);
void journey_experience_free(struct journey_experience *x);
