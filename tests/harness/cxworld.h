#pragma once
/* A generated customer-experience world for the query and engine tests:
 * customers with attributes and segment changes, responses with answers
 * and attributes, and operational events, with known effects planted.
 * Everything is kept in plain arrays beside the column store built from
 * it, so tests recount with plain loops that share no code with the
 * engine.
 *
 * Planted (in expected NPS points, like the demo):
 *   - customers aged 65+ are +20;
 *   - a response whose customer's latest fault report in the 30 days
 *     before it took 168 hours or more is -40;
 *   - rating:wifi (0..5) is 1 higher for class Business;
 *   - choice:satisfaction is "satisfied" with probability 0.8 minus 0.3
 *     when the latest flight before the response was 60+ minutes late. */

#include <stddef.h>
#include <stdint.h>

struct colstore;

#define CXW_CITIES 10

struct cxw_customer {
    int64_t id;
    int age;          /* 18..90 */
    int city;         /* 0..CXW_CITIES-1 */
    int business;     /* class */
    int seg0, seg1;   /* segment before and from seg_change (-1 = none) */
    int64_t seg_change; /* UTC seconds, INT64_MAX = never */
};

struct cxw_event {
    int64_t id, ts;
    int customer;  /* index */
    int activity;  /* 0 fault_report, 1 contact, 2 flight */
    double value;  /* resolution_hours, NaN; departure_delay */
    int team;      /* fault_report: 0..2 handling team, else -1 */
};

struct cxw_response {
    int64_t id, ts;
    int customer; /* index, -1 = none */
    int tp;       /* 0 felanmalan_app, 1 reparation, 2 visning */
    int nps;
    double wifi;  /* NaN = not answered */
    int satisfied; /* 1 satisfied, 0 dissatisfied, -1 not answered */
    int store;     /* attr:store, 0..n_stores-1 */
};

struct cxworld {
    struct colstore *cs;
    struct cxw_customer *cust;
    size_t n_cust;
    struct cxw_response *resp;
    size_t n_resp;
    struct cxw_event *ev; /* in (customer, ts) order */
    size_t n_ev;
    size_t *ev_first; /* [n_cust + 1]: customer c's events */
    int tp[3];
    int seg[3];
    int n_stores;
};

extern const char *const cxw_segments[3];
extern const char *const cxw_activities[3];
extern const char *const cxw_teams[3];
extern const char *const cxw_cities[CXW_CITIES];

/* Builds a world: n_cust customers, n_resp responses, n_stores distinct
 * attr:store values. Events and every named column are loaded. */
void cxw_make(struct cxworld *w, uint64_t seed, size_t n_cust, size_t n_resp,
              int n_stores);
void cxw_free(struct cxworld *w);

/* The segment code customer c had at ts (the world's own rule). */
int cxw_segment_at(const struct cxworld *w, int c, int64_t ts);
/* Naive event feature of response r: aggregate agg ("latest", "count",
 * "values" (events with a value), "sum", "min", "max", "mean", "first") of
 * activity's value in [ts + from, ts + to]; NaN when undefined. */
double cxw_feature(const struct cxworld *w, const struct cxw_response *r,
                   int activity, const char *agg, int64_t from, int64_t to);
