#pragma once
/* Field names: how --by, --where, --bins and --metric name the data.
 *
 *   stage touchpoint channel segment kind language journey sentiment
 *   theme day week month quarter year      the fixed dimensions
 *   nps_group csat_group ces_group         a score's category
 *   nps_score csat_score ces_score         the score itself (csat_level,
 *                                          ces_level are the same)
 *   lifecycle owner moment_of_truth physical   facts of the touchpoint
 *   comment_language                       the comment's detected language
 *   activity                               an event's activity (events)
 *   customer.NAME                          the customer's attribute NAME
 *                                          (customer.segment: the segment
 *                                          now, not when answering)
 *   attr:NAME                              the row's own attribute (a
 *                                          response's attr:NAME column, an
 *                                          event's attribute); in `events`
 *                                          a bare NAME means attr:NAME
 *   choice:KEY rating:KEY expect:KEY perceive:KEY gap:KEY dyad:KEY
 *                                          answers to question KEY
 *   triad1:KEY triad2:KEY triad3:KEY       a triad's weight (0..1) on its
 *                                          first, second, third corner
 *   event.ACTIVITY[.ATTR]                  a feature of the customer's
 *                                          ACTIVITY events around the
 *                                          response
 *
 * followed by modifiers, each after a ':' and in any order:
 *   latest first count sum min max mean    how event.* aggregates (default
 *                                          latest with an ATTR, else count)
 *   Nh Nd Nw                               the window: events in the N
 *                                          hours/days/weeks up to and
 *                                          including the response's time;
 *                                          +Nd: in the N days after it
 *                                          (default: any time before)
 *   qN                                     N quantile bins (2..100)
 *
 * e.g. event.fault_report.resolution_hours:latest:30d, event.contact:14d,
 * customer.age:q4. Parsing is syntax only, so a command can check its
 * options before it opens a database; query/qfield.h resolves a field
 * against a column store. docs/metrics.md is the user's reference. */

#include <stddef.h>
#include <stdint.h>

struct err;

#define FIELD_MAX_NAME 512
#define FIELD_MAX_TEXT 600

enum field_kind {
    FIELD_CORE,     /* a fixed dimension: core says which */
    FIELD_CUSTOMER, /* customer.NAME */
    FIELD_ATTR,     /* attr:NAME */
    FIELD_ANSWER,   /* name is the column, "choice:KEY", "rating:KEY", ... */
    FIELD_EVENT     /* event.ACTIVITY[.ATTR]: name is "ACTIVITY[.ATTR]" */
};

/* The fixed dimensions: the column store's (enum colstore_dim, same
 * values) first, then the derived ones. */
enum field_core {
    FC_STAGE,
    FC_TOUCHPOINT,
    FC_CHANNEL,
    FC_SEGMENT,
    FC_KIND,
    FC_LANGUAGE,
    FC_JOURNEY,
    FC_SENTIMENT,
    FC_THEME,
    FC_DAY,
    FC_WEEK,
    FC_MONTH,
    FC_QUARTER,
    FC_YEAR,
    FC_NPS_GROUP,
    FC_CSAT_GROUP,
    FC_CES_GROUP,
    FC_NPS_SCORE,
    FC_CSAT_SCORE,
    FC_CES_SCORE,
    FC_LIFECYCLE,
    FC_OWNER,
    FC_MOMENT_OF_TRUTH,
    FC_PHYSICAL,
    FC_COMMENT_LANGUAGE,
    FC_ACTIVITY,
    FC_COUNT
};

enum field_agg {
    FIELD_AGG_DEFAULT,
    FIELD_AGG_LATEST,
    FIELD_AGG_FIRST,
    FIELD_AGG_COUNT,
    FIELD_AGG_SUM,
    FIELD_AGG_MIN,
    FIELD_AGG_MAX,
    FIELD_AGG_MEAN
};

/* Which rows a field describes: a response field or an event field.
 * A few names mean different things in each (a bare NAME in events). */
enum field_context { FIELD_RESPONSES, FIELD_EVENTS };

struct field {
    enum field_kind kind;
    enum field_core core;      /* FIELD_CORE */
    char name[FIELD_MAX_NAME]; /* see enum field_kind */
    enum field_agg agg;        /* FIELD_EVENT */
    int64_t from, to;          /* FIELD_EVENT window, seconds relative to
                                * the response: from <= t_event - t <= to */
    int has_window;
    int quantiles;             /* qN, 0 = none */
    char text[FIELD_MAX_TEXT]; /* canonical text: how results name it */
};

/* Parses s[0..n). ERR_INVALID with a message naming what is wrong (an
 * unknown name lists the known ones; a modifier that does not apply). */
int field_parse(struct field *out, const char *s, size_t n,
                enum field_context ctx, struct err *err);

/* The event feature "how many ACTIVITY events within `window` seconds
 * after the response" (event.ACTIVITY:count:+Nd, or +Nh when the window
 * is not whole days): whether a customer left, renewed, called again.
 * ERR_INVALID for an empty activity, one with ':', or a window not in
 * 1 s .. 100,000 weeks. */
int field_event_count_after(struct field *out, const char *activity,
                            int64_t window, struct err *err);

/* 1 for day, week, month, quarter, year. */
int field_is_period(const struct field *f);
/* The name of a fixed dimension ("stage", ...). */
const char *field_core_name(enum field_core c);
const char *field_agg_name(enum field_agg a);
