#pragma once
/* The server's counters, rendered in Prometheus' text format at
 * /metrics. Lock-free: every field is an atomic bumped by the thread
 * that saw the event. */

#include <stddef.h>
#include <stdint.h>

struct strbuf;

/* Latency buckets in milliseconds (le), Prometheus style, +Inf last. */
#define STATS_N_BUCKETS 12

enum stats_route {
    STATS_PUBLIC, /* survey pages and submissions */
    STATS_API,
    STATS_ANALYSIS,
    STATS_OTHER,
    STATS_N_ROUTES
};

struct stats;

struct stats *stats_new(void);
void stats_free(struct stats *st);
void stats_request(struct stats *st, enum stats_route r, int status, double ms);
/* A group commit of n submissions that took ms. */
void stats_commit(struct stats *st, size_t n, double ms);
void stats_submission(struct stats *st, int duplicate);
void stats_rejected(struct stats *st);
void stats_rate_limited(struct stats *st);
/* The state of things at the moment of a scrape. */
struct stats_gauges {
    int64_t rows;   /* responses in the column store */
    int64_t queued; /* submissions waiting for a commit */
    long inflight;  /* requests in flight */
    double uptime_s;
};
void stats_render(const struct stats *st, const struct stats_gauges *g,
                  struct strbuf *out);
