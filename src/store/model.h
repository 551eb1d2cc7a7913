#pragma once
/* The data model as plain C records: what callers hand the store and what
 * the store hands back. docs/data-model.md explains each entity.
 *
 * Records borrow their strings: a record passed to the store is only read
 * during the call; a record handed out by a store callback is valid only
 * during that callback. Optional strings are NULL when absent; optional
 * scores are -1 when absent. */

#include <stdint.h>

enum lifecycle {
    LIFECYCLE_ATTRACT,
    LIFECYCLE_ONBOARD,
    LIFECYCLE_USE,
    LIFECYCLE_RENEW,
    LIFECYCLE_LEAVE
};

enum respondent_kind { RESPONDENT_CUSTOMER = 0, RESPONDENT_EMPLOYEE = 1 };

/* Kinds of answer beyond the three headline scores held on the response. */
enum answer_kind {
    ANSWER_RATING, /* v1 = value, v2 = scale max (e.g. 5 or 10) */
    ANSWER_GAP,    /* v1 = expectation, v2 = perception (same scale) */
    ANSWER_TEXT,   /* text (a comment) */
    ANSWER_CHOICE, /* text = the chosen option key */
    ANSWER_TRIAD,  /* v1,v2,v3 >= 0, sum 1 */
    ANSWER_DYAD,   /* v1 in 0..1 */
    ANSWER_STORY   /* title + text */
};

struct customer {
    int64_t id;          /* store id; 0 when not yet stored */
    const char *ext_id;  /* the organisation's own id, unique */
    const char *segment; /* optional */
    const char *attrs;   /* JSON object text of further attributes, or NULL */
};

/* "Since the start of the data": the since of a customer's first known
 * segment (store_scan_segments). */
#define SEGMENT_SINCE_START INT64_MIN

struct employee {
    int64_t id;
    const char *ext_id;
    const char *name;
    const char *team;
};

struct journey {
    int64_t id;
    const char *key;
    const char *name;
    enum lifecycle lifecycle;
};

struct stage {
    int64_t id;
    int64_t journey_id;
    const char *key;
    const char *name;
    int position; /* 0-based order within the journey */
};

struct survey {
    int64_t id;
    const char *key;
    const char *name;
    int64_t touchpoint_id; /* 0 = not tied to one touchpoint */
};

struct question {
    int64_t id;
    int64_t survey_id;
    const char *key;  /* "nps", "csat", "ces" or an answer's question key */
    const char *kind; /* "nps", "csat", "ces" or an enum answer_kind name */
    const char *prompt_sv;
    const char *prompt_en;
    int position;
};

struct channel {
    int64_t id;
    const char *key;
};

struct touchpoint {
    int64_t id;
    int64_t stage_id;
    const char *key; /* unique across journeys */
    const char *name;
    const char *channel;    /* web, app, phone, office, onsite, email, ... */
    const char *owner_team; /* optional */
    int moment_of_truth;    /* 0/1 */
    int physical;           /* 0 = digital, 1 = physical */
    /* Other names the touchpoint goes by in exports ("Felanmälan app"),
     * matched case-insensitively like its key and name. On the way in,
     * the stored set is replaced by these; on the way out, filled. */
    const char *const *aliases;
    int n_aliases;
};

/* A theme a comment mentions, with the sentiment of the clauses that
 * mention it (docs/text-analytics.md). */
struct theme_mention {
    const char *theme; /* taxonomy key, e.g. "digital/login" */
    double sentiment;  /* -1..1 */
};

/* What text analysis found in a comment (src/text/analyze.h), stored
 * beside the answer; the answer's text is the redacted one. A comment in
 * a language the pipeline does not read is stored with that language and
 * no sentiment (label NULL, score NaN), so it is left out of sentiment
 * figures instead of counting as neutral. */
struct comment_analysis {
    const char *language;    /* "sv", "en", or the detected code ("no",
                              * "da", ..., "other") */
    double lang_conf;        /* 0..1 */
    double score;            /* sentiment, -1..1; NaN when not scored */
    const char *label;       /* "positive", "negative", "neutral", "mixed";
                              * NULL when not scored */
    unsigned redactions;     /* bit mask of the kinds redacted (pii.h) */
    int n_redactions;        /* pieces of personal data replaced */
    const char *explanation; /* JSON object text, or NULL */
    const struct theme_mention *mentions;
    int n_mentions;
};

struct answer {
    const char *question; /* question key, unique within a response */
    enum answer_kind kind;
    double v1, v2, v3;
    const char *text;  /* optional */
    const char *title; /* optional (stories) */
    /* text answers: what analysis found, or NULL (not analysed; always
     * NULL from store_scan_responses: store_scan_comments has it) */
    const struct comment_analysis *analysis;
};

/* Ids are resolved by the caller (the importer keeps the key -> id maps);
 * the string fields beside them are filled on the way out of the store, for
 * export, and ignored on the way in. */
struct response {
    int64_t id;
    const char *ext_id;  /* unique */
    int64_t customer_id; /* 0 = anonymous */
    int64_t employee_id; /* 0 = none */
    enum respondent_kind kind;
    int64_t touchpoint_id;  /* required */
    int64_t channel_id;     /* required (the touchpoint's by default) */
    const char *language;   /* optional: "sv", "en", ... */
    const char *customer;   /* out: customer ext_id or NULL */
    const char *employee;   /* out: employee ext_id or NULL */
    const char *touchpoint; /* out: touchpoint key */
    const char *channel;    /* out: channel key */
    int64_t ts;             /* UTC seconds */
    int tz_min;             /* offset it was given in */
    int nps, csat, ces;     /* -1 when not asked */
    const struct answer *answers;
    int n_answers;
    /* Per-response metadata from attr:NAME columns (store, agent, order
     * value, the segment the customer had then): a JSON object text of
     * numbers and strings, or NULL. */
    const char *attrs;
};

struct event {
    int64_t id;
    const char *ext_id;    /* unique; re-import of the same id is skipped */
    int64_t customer_id;   /* required */
    const char *activity;  /* e.g. "fault_report", "payment" */
    int64_t touchpoint_id; /* 0 = none */
    int64_t channel_id;    /* 0 = none */
    int64_t ts;
    int tz_min;
    const char *attrs; /* JSON object text (numbers and strings) */
};

/* One response as the metrics engine needs it: ids, not strings. */
struct fact {
    int64_t response_id;
    int64_t customer_id; /* 0 = none */
    int64_t touchpoint_id;
    int64_t channel_id; /* see store_list_channels */
    int64_t ts;
    int tz_min;
    int kind;                   /* enum respondent_kind */
    const char *language;       /* borrowed; NULL when unknown */
    signed char nps, csat, ces; /* -1 = absent */
};

const char *lifecycle_name(enum lifecycle l);
/* Returns 0 and sets *out, or -1 if s names no lifecycle stage. */
int lifecycle_parse(enum lifecycle *out, const char *s);
const char *answer_kind_name(enum answer_kind k);
int answer_kind_parse(enum answer_kind *out, const char *s);
