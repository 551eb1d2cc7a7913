#pragma once
/* The in-memory column store the metrics engine scans: one row per
 * response, dictionary-encoded dimensions and one-byte scores, plus the
 * customers and (on demand) the operational events they are linked to.
 *
 * Response columns (n rows each):
 *   touchpoint, channel, language            uint16 dictionary codes
 *   segment                                  uint32 dictionary code
 *   sentiment                                uint16 code of the comment's
 *                                            sentiment label
 *   kind                                     uint8 (enum respondent_kind)
 *   day                                      uint32 local day -
 *                                            COLSTORE_DAY_BASE
 *   nps, csat, ces                           int8, -1 = not answered
 *   id, ts                                   int64 store id, UTC seconds
 *   customer                                 uint32 customer index
 * Stage and journey come through the touchpoint; the segment is the one
 * the customer had when answering (the segment history), copied onto
 * each response at load time. About 40 bytes a row: 10M responses take
 * ~380 MiB.
 *
 * Beside these fixed columns each table (responses, customers, events)
 * holds named columns that queries load when they name them
 * (colstore_load_column): categorical ones (uint32 dictionary codes, no
 * limit of 65,535 values) such as choice answers and text attributes, and
 * numeric ones (double, NaN = no value) such as ratings and number
 * attributes. Events are a table of their own, sorted by customer and
 * time, so the events of one customer are a contiguous range.
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
/* Most distinct values of one fixed dimension (codes are uint16) other
 * than segment, whose codes are uint32 (COLSTORE_MAX_COL_CODES). */
#define COLSTORE_MAX_CODES 65535
/* Most distinct values of a named categorical column (uint32 codes). */
#define COLSTORE_MAX_COL_CODES 2147483646u
/* The customer index of a response without a customer. */
#define COLSTORE_NO_CUSTOMER UINT32_MAX

/* The days a column store holds: local days of the years
 * COLSTORE_YEAR_MIN..COLSTORE_YEAR_MAX (the range import accepts), as
 * offsets from COLSTORE_DAY_BASE, the day number (days since 1970-01-01)
 * of 1900-01-01. */
#define COLSTORE_YEAR_MIN 1900
#define COLSTORE_YEAR_MAX 2200
#define COLSTORE_DAY_BASE (-25567)

/* The tables. Customers are the rows of customer attributes; responses
 * and events point at them. */
enum colstore_table { COLSTORE_RESPONSES, COLSTORE_CUSTOMERS, COLSTORE_EVENTS };
#define COLSTORE_N_TABLES 3

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
 * customer (with the segment history) and response in s, reading through
 * store_list_* and store_scan_*. Named columns and events are not loaded:
 * see colstore_load_column and colstore_load_events. Caller frees *out
 * with colstore_free. Returns the store's error, or ERR_INVALID when a
 * dimension has more than COLSTORE_MAX_CODES values or a response lies
 * outside the years COLSTORE_YEAR_MIN..COLSTORE_YEAR_MAX, ERR_INTERNAL
 * when a response names an unknown touchpoint or channel. */
int colstore_load(struct colstore **out, struct store *s, struct err *err);
/* Appends to cs what s holds beyond it: the responses (and their comment
 * analyses) with ids above cs's last one, the customers above its last
 * customer, new channels and languages (copying a snapshot's columns to
 * the heap first: colstore_own). For data that only grew since cs was
 * loaded; ERR_CONFLICT when a touchpoint is unknown to cs (the journeys
 * changed: load afresh). *added gets the new rows. After an error cs is
 * half updated: free it. */
int colstore_load_more(struct colstore *cs, struct store *s, size_t *added,
                       struct err *err);

/* Forgets the named columns of the responses and customers tables, so
 * that queries load them again: after colstore_load_more, rows appended
 * would lack their values. */
void colstore_forget_columns(struct colstore *cs);
/* Instead of forgetting them: gives the loaded named columns of the
 * responses and customers tables their values in the rows appended by
 * colstore_load_more (responses with ids above after_response, customers
 * above after_customer), reading those rows only; a numeric attribute
 * that now has text is dropped (the next query loads it as categorical),
 * and names no row had are looked for again. The server calls it after
 * each catch-up, so a query naming ratings or attributes does not read
 * the whole column again. After an error, forget the columns. */
int colstore_extend_columns(struct colstore *cs, struct store *s,
                            int64_t after_response, int64_t after_customer,
                            struct err *err);

/* What a named column holds. */
enum colstore_colkind { COLSTORE_CAT, COLSTORE_NUM };

/* Loads the named column `name` of table t from s, unless it is loaded
 * already; afterwards colstore_col_find finds it (or it is absent because
 * no row has it: *found = 0). Names:
 *   responses  "attr:NAME"    a response attribute (text or number)
 *              "choice:KEY"   a choice answer (categorical)
 *              "rating:KEY"   a rating answer (numeric, with its scale)
 *              "expect:KEY", "perceive:KEY", "gap:KEY" (perceive -
 *                             expect), "dyad:KEY"   (numeric)
 *              "triad1:KEY", "triad2:KEY", "triad3:KEY"  a triad's
 *                             weight on its first..third corner (numeric)
 *              "comment_language"  the detected language of the comment
 *   customers  "NAME"         a customer attribute
 *   events     "NAME"         an event attribute (needs the events)
 * An attribute whose values are all numbers is numeric, else
 * categorical (numbers then become their text). Returns the store's
 * error or ERR_INVALID (too many values). */
int colstore_load_column(struct colstore *cs, struct store *s,
                         enum colstore_table t, const char *name, int *found,
                         struct err *err);
/* Loads the events table (every event without its attributes), unless
 * loaded already. ERR_INVALID for more than COLSTORE_MAX_COL_CODES
 * activities or an event outside the day range. */
int colstore_load_events(struct colstore *cs, struct store *s, struct err *err);
int colstore_has_events(const struct colstore *cs);
/* Marks the events table loaded (it may hold no event). */
void colstore_mark_events_loaded(struct colstore *cs);

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
    int segment;      /* code; -1 = none (COLSTORE_NONE) */
    int language;     /* code; -1 = none (COLSTORE_NONE) */
    int kind;         /* enum respondent_kind */
    int64_t day;      /* local day number (tstamp_local_day) */
    int nps;          /* 0..10, -1 = not answered */
    int csat;         /* 1..5, -1 */
    int ces;          /* 1..7, -1 */
    int64_t id;       /* the response's store id (increasing), 0 = none */
    int64_t customer; /* customer index (colstore_add_customer), -1 = none */
    int64_t ts;       /* UTC seconds; 0 = the day's midnight UTC */
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

/* ---- customers ---- */

/* Adds a customer (store ids in increasing order) with its current
 * segment (NULL = none); returns its index (>= 0) or ERR_INVALID for an
 * id not above the last one or too many segments. */
int colstore_add_customer(struct colstore *cs, int64_t store_id,
                          const char *segment, struct err *err);
size_t colstore_customers(const struct colstore *cs);
/* The store id of customer index i (< colstore_customers). */
int64_t colstore_customer_id(const struct colstore *cs, size_t i);
/* The index of a customer by store id, or -1. */
int64_t colstore_customer_index(const struct colstore *cs, int64_t store_id);
/* The customer's current segment code (DIM_SEGMENT), or -1 for none. */
int colstore_customer_segment(const struct colstore *cs, size_t customer);
/* Records that from `since` on (UTC seconds; INT64_MIN = from the start)
 * the customer's segment was `segment` (NULL = none). Changes come in
 * (customer, since) order. ERR_INVALID otherwise. */
int colstore_add_segment_change(struct colstore *cs, size_t customer,
                                int64_t since, const char *segment,
                                struct err *err);
/* The segment code the customer had at ts (-1 = none): the last change at
 * or before ts; before the first change, the first one; without any
 * recorded change, the current segment. */
int colstore_segment_at(const struct colstore *cs, size_t customer, int64_t ts);

/* ---- named columns ---- */

/* Adds an empty named column to table t (every row without a value).
 * scale_max is the top of a rating's scale (NaN otherwise). Returns its
 * index, or ERR_INVALID when the name is taken. */
int colstore_col_add(struct colstore *cs, enum colstore_table t,
                     const char *name, enum colstore_colkind kind,
                     double scale_max, struct err *err);
/* The index of a named column, or -1. */
int colstore_col_find(const struct colstore *cs, enum colstore_table t,
                      const char *name);
/* Sets row's value: a label (categorical) or a number (numeric).
 * ERR_INVALID for a row or column that does not exist, the wrong kind,
 * or too many distinct labels. */
int colstore_col_set_label(struct colstore *cs, enum colstore_table t, int col,
                           size_t row, const char *label, size_t n,
                           struct err *err);
int colstore_col_set_num(struct colstore *cs, enum colstore_table t, int col,
                         size_t row, double v, struct err *err);
/* Marks the column as loaded from the store under `name` even when no row
 * had a value, so it is not looked up again. */
void colstore_col_mark_missing(struct colstore *cs, enum colstore_table t,
                               const char *name);
int colstore_col_is_missing(const struct colstore *cs, enum colstore_table t,
                            const char *name);

/* A named column as the query layer reads it. Borrowed, valid until the
 * next change to the store. Categorical: codes[row] is 0 for "no value"
 * (label COLSTORE_NONE) or a label code 1..card-1. Numeric: num[row] is
 * NaN for "no value". */
struct colstore_colview {
    const char *name;
    enum colstore_colkind kind;
    size_t rows;
    const uint32_t *codes; /* categorical */
    size_t card;           /* categorical: codes in use, "no value" included */
    const double *num;     /* numeric */
    double scale_max;      /* ratings: the top of the scale; else NaN */
};
void colstore_col_view(const struct colstore *cs, enum colstore_table t,
                       int col, struct colstore_colview *out);
/* The label of a code of a categorical column (code 0: COLSTORE_NONE). */
const char *colstore_col_label(const struct colstore *cs, enum colstore_table t,
                               int col, uint32_t code);

/* ---- events ---- */

struct colstore_event {
    int64_t id;       /* store id */
    int64_t customer; /* customer index */
    int64_t ts;       /* UTC seconds */
    int tz_min;
    const char *activity;
    int touchpoint; /* code, -1 = none */
    int channel;    /* code, -1 = none */
};
/* Appends an event; events come in (customer, ts) order. Marks the
 * events table as loaded. ERR_INVALID for an unknown customer,
 * touchpoint or channel, an event out of order, or a day out of range. */
int colstore_add_event(struct colstore *cs, const struct colstore_event *e,
                       struct err *err);
/* The row of an event by store id, or -1. */
int64_t colstore_event_row_of_id(const struct colstore *cs, int64_t id);

/* The events table for scans. Borrowed. */
struct colstore_events {
    size_t n;
    const int64_t *id;          /* store ids */
    const uint32_t *customer;   /* customer index */
    const int64_t *ts;          /* UTC seconds */
    const uint32_t *day;        /* local day - COLSTORE_DAY_BASE */
    const uint32_t *activity;   /* code: colstore_activity_label */
    const uint32_t *touchpoint; /* code, or touchpoint card = none */
    const uint32_t *channel;    /* code, or channel card = none */
    const size_t *first;        /* [n_first]: first event row of customer c */
    size_t n_first;
    size_t n_activities;
    uint32_t day_lo, day_hi; /* smallest and largest day (n > 0) */
};
void colstore_events_view(const struct colstore *cs,
                          struct colstore_events *out);
/* The rows lo..hi-1 holding customer c's events. */
static inline void colstore_events_range(const struct colstore_events *ev,
                                         size_t c, size_t *lo, size_t *hi)
{
    if (c >= ev->n_first) {
        *lo = *hi = ev->n;
        return;
    }
    *lo = ev->first[c];
    *hi = c + 1 < ev->n_first ? ev->first[c + 1] : ev->n;
}
const char *colstore_activity_label(const struct colstore *cs, uint32_t code);
/* The code of an activity, or -1. */
int64_t colstore_activity_code(const struct colstore *cs, const char *label,
                               size_t n);

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
    const uint16_t *touchpoint, *channel, *language, *sentiment;
    const uint32_t *segment;
    const uint8_t *kind;
    const uint32_t *day; /* local day number - day_base */
    const int8_t *nps, *csat, *ces;
    int64_t day_base;         /* COLSTORE_DAY_BASE */
    uint32_t day_lo, day_hi;  /* smallest and largest stored day (n > 0) */
    const int64_t *id;        /* store ids, increasing */
    const int64_t *ts;        /* UTC seconds */
    const uint32_t *customer; /* customer index or COLSTORE_NO_CUSTOMER */
    size_t n_mentions;        /* theme mentions, in row order: */
    const uint32_t *mention_row;
    const uint16_t *mention_theme;
    const int8_t *mention_aspect; /* -1, 0, 1 */
};
void colstore_columns(const struct colstore *cs, struct colstore_columns *out);
/* The row of a response by store id (binary search), or -1. */
int64_t colstore_row_of_id(const struct colstore *cs, int64_t id);

/* The touchpoint facts the query layer derives dimensions from. */
struct colstore_tpinfo {
    const char *owner; /* owner team, or NULL */
    int moment_of_truth, physical;
    int lifecycle; /* enum lifecycle of its journey */
    const char *const *aliases;
    int n_aliases;
};
/* Sets them (the loader; tests). ERR_INVALID for an unknown code. */
int colstore_set_tpinfo(struct colstore *cs, int touchpoint,
                        const struct colstore_tpinfo *info, struct err *err);
/* Borrowed; zeroes for a touchpoint without facts set. */
void colstore_tpinfo(const struct colstore *cs, int touchpoint,
                     struct colstore_tpinfo *out);
