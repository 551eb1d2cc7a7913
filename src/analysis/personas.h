#pragma once
/* Personas from data: customers clustered on their attributes, channel
 * use, journey behaviour and experience, each cluster described as a
 * card (docs/personas.md).
 *
 *   personas_spec_new(&s, "customer.age_band,channels,nps", err);
 *   ... load what personas_spec_fields names (query/prepare.h) and the
 *       events when personas_spec_needs_events ...
 *   personas_run(&r, cs, s, &opts, err);
 *   ... fetch the texts of r->p[c].quote_id (the store) ...
 *   personas_result_free(r); personas_spec_free(s);
 *
 * One row per customer with at least one response passing the filter.
 * Features, a comma list of
 *   customer.NAME      a customer attribute: numeric (standardised) or
 *                      categorical (matching distance; no value is a
 *                      level "(none)" of its own)
 *   customer.A/customer.B  the ratio of two numeric attributes (rent per
 *                      square metre); no value when either is missing or
 *                      B is 0
 *   channels           the share of the customer's responses by channel
 *                      (one numeric feature per channel used)
 *   channels:ACTIVITY  the share of the customer's ACTIVITY events by
 *                      channel (needs the events; events without a
 *                      channel are not counted)
 *   responses          log(1 + the customer's responses)
 *   touchpoints        distinct touchpoints the customer answered at
 *   nps                the customer's mean NPS answer (0-10)
 * Numeric features are standardised (z-scores over the customers); a
 * customer without a value gets the mean (0).
 *
 * Method: k-prototypes (Huang 1998): squared Euclidean distance on the
 * numeric features plus gamma times the number of categorical
 * mismatches; prototypes are the numeric means and categorical modes.
 * gamma defaults to the mean standard deviation of the numeric features
 * (Huang's suggestion; 1 once standardised, 1 without numeric features).
 * Each run takes opts->starts starts seeded k-means++ style (D-weighted)
 * and keeps the lowest cost. k: opts->k, or the k in 2..k_max with the
 * largest mean silhouette (Rousseeuw 1987) on the square root of the
 * mixed dissimilarity, over a random sample of at most opts->sample
 * customers (ties: the smaller k). Stability: the chosen k is clustered
 * again from seed + 1 and the adjusted Rand index between the two
 * partitions reported; with opts->truth also the ARI against it.
 * Deterministic for a given seed.
 *
 * Errors: ERR_INVALID for bad feature syntax, a feature given twice, a
 * ratio of an attribute that is not numeric, no
 * features, a categorical attribute with more than PERSONAS_MAX_LEVELS
 * values, fewer customers than 2k (or than k_max + 1 when choosing), k
 * out of range, a truth field that is not per customer, no customer
 * passing the filter; ERR_NOTFOUND for an unknown attribute, activity or
 * truth column. */

#include <stddef.h>
#include <stdint.h>

#include "query/field.h"
#include "stats/estimate.h"

struct colstore;
struct err;
struct metrics_query;

#define PERSONAS_MAX_FEATURES 32
#define PERSONAS_MAX_LEVELS 64
#define PERSONAS_K_MAX 12
#define PERSONAS_LABEL 96
#define PERSONAS_TRAITS 4
#define PERSONAS_TOP 3

enum personas_kind {
    PF_CUSTOMER,    /* customer.NAME */
    PF_RATIO,       /* customer.A/customer.B */
    PF_CHANNELS,    /* response channels */
    PF_EV_CHANNELS, /* channels:ACTIVITY */
    PF_RESPONSES,
    PF_TOUCHPOINTS,
    PF_NPS
};

struct personas_feature_spec {
    enum personas_kind kind;
    struct field f;                /* PF_CUSTOMER, PF_RATIO numerator */
    struct field f2;               /* PF_RATIO denominator */
    char activity[FIELD_MAX_NAME]; /* PF_EV_CHANNELS */
    char name[FIELD_MAX_TEXT];     /* canonical, as given */
};

/* Parsed features (syntax only). */
struct personas_spec {
    struct personas_feature_spec *v;
    size_t n;
    int needs_events;
};

/* Parses the comma list. Caller frees *out with personas_spec_free.
 * ERR_INVALID for bad syntax, an empty list, a feature given twice or
 * more than PERSONAS_MAX_FEATURES. */
int personas_spec_new(struct personas_spec **out, const char *features,
                      struct err *err);
void personas_spec_free(struct personas_spec *s);
/* Calls fn for every field s reads (customer.NAME, both of a ratio), so
 * a caller can load
 * it (query_prepare_field). Stops at a non-zero return and returns it. */
int personas_spec_fields(const struct personas_spec *s,
                         int (*fn)(void *ctx, const struct field *f),
                         void *ctx);

struct personas_opts {
    const struct metrics_query *filter; /* responses; NULL = every row */
    int k;                              /* fixed k; 0 = choose in 2..k_max */
    int k_max;                          /* default 8 */
    uint64_t seed;
    int starts;                /* random starts per run; default 5 */
    size_t sample;             /* silhouette sample; default 1500 */
    double gamma;              /* categorical weight; <= 0 or NaN = default */
    const struct field *truth; /* segment or customer.NAME, or NULL */
    int min_n;                 /* weakest touchpoint, flags; default 30 */
};

#define PERSONAS_OPTS_INIT                                                     \
    {                                                                          \
        NULL, 0, 8, 1, 5, 1500, 0, NULL, 30                                    \
    }

/* One column of the design as used (a categorical attribute, one channel
 * share, ...). */
struct personas_feature {
    char name[PERSONAS_LABEL + FIELD_MAX_TEXT];
    int categorical;
    double mean, sd; /* numeric: over the customers with a value, raw */
    size_t missing;  /* customers without a value */
    size_t levels;   /* categorical: levels in use, "(none)" included */
};

/* A trait that sets a persona apart: a categorical level over-represented
 * in it, or a numeric feature whose mean differs. */
struct personas_trait {
    char label[PERSONAS_LABEL + FIELD_MAX_TEXT]; /* "age_band=18-24" or
                                                    "household" */
    int categorical;
    double in, all; /* share 0..1 (categorical) or mean (numeric, raw) */
    double score;   /* standardised difference, used to rank */
};

/* A named share or count: a channel, a theme. */
struct personas_item {
    char label[PERSONAS_LABEL];
    double in, all; /* share 0..1 in the persona, and among all the
                       customers clustered (channels: of the responses;
                       themes and pains: of the commented responses) */
    size_t n;       /* mentions, responses */
};

struct personas_persona {
    size_t n;     /* customers */
    double share; /* of the customers, 0..1 */
    size_t responses;
    struct personas_trait traits[PERSONAS_TRAITS];
    size_t n_traits;
    struct personas_item channels[2]; /* most used response channels */
    size_t n_channels;
    struct estimate nps; /* over its customers' responses, points */
    size_t commented;    /* responses with an analysed comment */
    struct personas_item themes[PERSONAS_TOP]; /* most mentioned */
    size_t n_themes;
    struct personas_item pains[PERSONAS_TOP]; /* most negative mentions */
    size_t n_pains;
    char weakest[PERSONAS_LABEL]; /* touchpoint with the lowest NPS among
                                     those with >= min_n answers, or "" */
    struct estimate weakest_nps;
    int64_t quote_id[2]; /* store ids of commented responses of the
                            customers nearest the prototype; 0 = none */
    double cost;         /* sum of dissimilarities to the prototype */
};

struct personas_result {
    size_t rows;      /* responses passing the filter */
    size_t responses; /* of those, with a customer */
    size_t customers; /* clustered */
    struct personas_feature *features;
    size_t n_features, n_numeric, n_categorical;
    double gamma;
    int k, k_fixed, k_max;
    double silhouette[PERSONAS_K_MAX + 1]; /* by k; NaN when not run */
    double cost[PERSONAS_K_MAX + 1];
    size_t sample; /* customers in the silhouette sample */
    int starts;
    uint64_t seed, seed2;
    double ari_seeds;           /* ARI between the runs from seed, seed2 */
    double ari_truth;           /* NaN without a truth */
    char truth[FIELD_MAX_TEXT]; /* "" without one */
    size_t truth_groups;
    int min_n;
    struct personas_persona *p; /* [k], largest first */
    uint32_t *assign;           /* [customers]: persona 0..k-1 */
    uint32_t *customer;         /* [customers]: column store customer index */
};

/* Clusters the customers of cs that have responses passing opts->filter
 * on s's features (loaded first: personas_spec_fields and, when
 * s->needs_events, the events). opts may be NULL (defaults). On success
 * *out is new; caller frees with personas_result_free. Errors as listed
 * at the top. */
int personas_run(struct personas_result **out, const struct colstore *cs,
                 const struct personas_spec *s,
                 const struct personas_opts *opts, struct err *err);
void personas_result_free(struct personas_result *r);
