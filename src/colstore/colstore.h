#pragma once
/* The in-memory column store the metrics engine scans: one row per
 * response, dictionary-encoded dimensions and one-byte scores.
 *
 * Columns (n rows each):
 *   touchpoint, channel, segment, language   uint16 dictionary codes
 *   sentiment                                uint16 code of the comment's
 *                                            sentiment label
 *   kind                                     uint8 (enum respondent_kind)
 *   day                                      uint16 local day - day_base
 *   nps, csat, ces                           int8, -1 = not answered
 * Stage and journey come through the touchpoint; the segment is the
 * customer's, copied onto each of their responses at load time. About 16
 * bytes a row: 10M responses take ~153 MiB.
 *
 * Themes are many per row, so they are a separate list of mentions in
 * row order (row uint32, theme uint16, aspect sentiment int8: 7 bytes a
 * mention). A response mentioning several themes counts in each theme's
 * group (docs/text-analytics.md).
 *
 * It is filled from a store (colstore_load) or row by row (the append
 * API, used by tests and benchmarks). The dictionaries keep code -> label
 * (touchpoint and stage keys and names, the stage's journey and position)
 * and give each dimension its display order. */

#include <stddef.h>
#include <stdint.h>

struct err;
struct store;
struct colstore;

/* Dimensions a metric can be grouped or filtered by. */
enum colstore_dim {
    DIM_STAGE,
    DIM_TOUCHPOINT,
    DIM_CHANNEL,
    DIM_SEGMENT,
    DIM_KIND,
    DIM_LANGUAGE,
    DIM_JOURNEY,
    DIM_SENTIMENT, /* the comment's sentiment label; COLSTORE_NONE when the
                    * response has no analysed comment */
    DIM_THEME,     /* themes its comments mention: several per response */
    DIM_DAY,       /* the periods: computed from the day column */
    DIM_WEEK,
    DIM_MONTH,
    DIM_QUARTER,
    DIM_YEAR,
    DIM_COUNT
};

/* The label of a missing segment (no customer, or none recorded) or a
 * missing language. */
#define COLSTORE_NONE "(none)"
/* Most distinct values of one dimension (codes are uint16). */
#define COLSTORE_MAX_CODES 65535

/* "stage", "touchpoint", ... */
const char *colstore_dim_name(enum colstore_dim d);
/* Parses a dimension name. 0 or ERR_INVALID. */
int colstore_dim_parse(enum colstore_dim *out, const char *s, size_t n);
/* 1 for day, week, month, quarter and year. */
int colstore_dim_is_period(enum colstore_dim d);

/* An empty store: no journeys, no rows. Caller frees with colstore_free. */
struct colstore *colstore_new(void);
void colstore_free(struct colstore *cs);

/* Builds a column store from every journey, stage, touchpoint, channel,
 * customer segment and response in s, reading through store_list_* and
 * store_scan_*. Caller frees *out with colstore_free. Returns the store's
 * error, or ERR_INVALID when a dimension has more than COLSTORE_MAX_CODES
 * values or a response lies more than 89 years from the first one,
 * ERR_INTERNAL when a response names an unknown touchpoint or channel. */
int colstore_load(struct colstore **out, struct store *s, struct err *err);

/* ---- the append API. Each add returns the new code (>= 0) or a negative
 * error (ERR_INVALID: too many values, a key already used, a bad parent
 * code). Strings are copied. ---- */
int colstore_add_journey(struct colstore *cs, const char *key, const char *name,
                         struct err *err);
/* position orders stages within their journey. */
int colstore_add_stage(struct colstore *cs, int journey, const char *key,
                       const char *name, int position, struct err *err);
int colstore_add_touchpoint(struct colstore *cs, int stage, const char *key,
                            const char *name, struct err *err);
/* The code of a channel, segment, language or theme label, added if new.
 * Sentiment codes are fixed: see colstore_sentiment_code. */
int colstore_intern(struct colstore *cs, enum colstore_dim dim,
                    const char *label, struct err *err);
/* Makes room for rows more rows, so appending does not reallocate. */
void colstore_reserve(struct colstore *cs, size_t rows);

struct colstore_row {
    int touchpoint;
    int channel;
    int segment;  /* code; -1 = none (COLSTORE_NONE) */
    int language; /* code; -1 = none (COLSTORE_NONE) */
    int kind;     /* enum respondent_kind */
    int64_t day;  /* local day number (tstamp_local_day) */
    int nps;      /* 0..10, -1 = not answered */
    int csat;     /* 1..5, -1 */
    int ces;      /* 1..7, -1 */
};

/* Appends one response. ERR_INVALID for a code that does not exist, a
 * score out of range or a day outside the representable range. */
int colstore_append(struct colstore *cs, const struct colstore_row *r,
                    struct err *err);

/* Sentiment labels and their fixed codes, in display order. */
enum colstore_sentiment {
    COLSTORE_NEGATIVE,
    COLSTORE_NEUTRAL,
    COLSTORE_POSITIVE,
    COLSTORE_MIXED,
    COLSTORE_NO_SENTIMENT /* label COLSTORE_NONE */
};
/* The code of "negative", "neutral", "positive", "mixed", or -1. */
int colstore_sentiment_code(const char *label);
/* Sets the sentiment code of row (default COLSTORE_NO_SENTIMENT).
 * ERR_INVALID for a row or code that does not exist. */
int colstore_set_sentiment(struct colstore *cs, size_t row, int code,
                           struct err *err);
/* Adds a mention of theme (a DIM_THEME code) to row, with its aspect
 * sentiment: -1 negative, 0 neutral, 1 positive. Rows must come in
 * non-decreasing order; a theme already on the row keeps the more
 * negative aspect. ERR_INVALID for an unknown row or theme, a row before
 * the last one given, or more than 2^32 - 1 rows. */
int colstore_add_mention(struct colstore *cs, size_t row, int theme, int aspect,
                         struct err *err);

/* ---- reading ---- */
size_t colstore_rows(const struct colstore *cs);
/* Bytes allocated by columns and dictionaries. */
size_t colstore_memory(const struct colstore *cs);
/* Number of codes of a categorical dimension (0 for a period). */
size_t colstore_card(const struct colstore *cs, enum colstore_dim dim);
/* The label of a code: the key of a touchpoint, stage or journey, the
 * text of others. Borrowed, valid until colstore_free. */
const char *colstore_label(const struct colstore *cs, enum colstore_dim dim,
                           int code);
/* The display name of a touchpoint, stage or journey (the label for other
 * dimensions). Borrowed, valid until colstore_free. */
const char *colstore_name(const struct colstore *cs, enum colstore_dim dim,
                          int code);
/* The code of a label (a key for touchpoint, stage, journey), or -1. */
int colstore_find(const struct colstore *cs, enum colstore_dim dim,
                  const char *label, size_t n);
int colstore_touchpoint_stage(const struct colstore *cs, int touchpoint);
int colstore_stage_journey(const struct colstore *cs, int stage);
int colstore_stage_position(const struct colstore *cs, int stage);
/* Fills rank[code] (colstore_card entries) with each code's place in
 * display order: journeys as added; stages by journey, then position;
 * touchpoints by stage, then as added; channels as added; kinds customer,
 * employee; sentiments negative, neutral, positive, mixed, none;
 * segments, languages and themes alphabetically with COLSTORE_NONE
 * last. */
void colstore_order(const struct colstore *cs, enum colstore_dim dim,
                    uint32_t *rank);

/* Direct access to the columns for scans. Borrowed, valid until the next
 * append or colstore_free. */
struct colstore_columns {
    size_t n;
    const uint16_t *touchpoint, *channel, *segment, *language, *sentiment;
    const uint8_t *kind;
    const uint16_t *day; /* local day number - day_base */
    const int8_t *nps, *csat, *ces;
    int64_t day_base;
    uint16_t day_lo, day_hi; /* smallest and largest stored day (n > 0) */
    size_t n_mentions;       /* theme mentions, in row order: */
    const uint32_t *mention_row;
    const uint16_t *mention_theme;
    const int8_t *mention_aspect; /* -1, 0, 1 */
};
void colstore_columns(const struct colstore *cs, struct colstore_columns *out);
