#include "server/stats.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/strbuf.h"
#include "core/xalloc.h"

static const double bucket_le[STATS_N_BUCKETS - 1] = {
    0.5, 1, 2, 5, 10, 20, 50, 100, 250, 1000, 5000};
static const char *const route_name[STATS_N_ROUTES] = {"public", "api",
                                                       "analysis", "other"};
/* status classes 1xx..5xx */
#define N_CLASSES 5

struct hist {
    atomic_llong bucket[STATS_N_BUCKETS];
    atomic_llong count;
    atomic_llong sum_us;
};

struct stats {
    atomic_llong requests[STATS_N_ROUTES][N_CLASSES];
    struct hist latency[STATS_N_ROUTES];
    struct hist commit;
    atomic_llong committed, duplicates, rejected, limited, batches;
};

struct stats *stats_new(void)
{
    return xcalloc(1, sizeof(struct stats));
}

void stats_free(struct stats *st)
{
    free(st);
}

static void observe(struct hist *h, double ms)
{
    int b = 0;
    while (b < STATS_N_BUCKETS - 1 && ms > bucket_le[b])
        b++;
    atomic_fetch_add(&h->bucket[b], 1);
    atomic_fetch_add(&h->count, 1);
    atomic_fetch_add(&h->sum_us, (long long)(ms * 1000.0));
}

void stats_request(struct stats *st, enum stats_route r, int status, double ms)
{
    int c = status / 100 - 1;
    if (c < 0 || c >= N_CLASSES)
        c = N_CLASSES - 1;
    atomic_fetch_add(&st->requests[r][c], 1);
    observe(&st->latency[r], ms);
}

void stats_commit(struct stats *st, size_t n, double ms)
{
    atomic_fetch_add(&st->batches, 1);
    observe(&st->commit, ms);
    (void)n;
}

void stats_submission(struct stats *st, int duplicate)
{
    atomic_fetch_add(duplicate ? &st->duplicates : &st->committed, 1);
}

void stats_rejected(struct stats *st)
{
    atomic_fetch_add(&st->rejected, 1);
}

void stats_rate_limited(struct stats *st)
{
    atomic_fetch_add(&st->limited, 1);
}

static void render_hist(struct strbuf *o, const char *name, const char *labels,
                        const struct hist *h)
{
    long long cum = 0;
    for (int b = 0; b < STATS_N_BUCKETS; b++) {
        cum += atomic_load(&h->bucket[b]);
        if (b < STATS_N_BUCKETS - 1)
            strbuf_printf(o, "%s_bucket{%sle=\"%g\"} %lld\n", name, labels,
                          bucket_le[b] / 1000.0, cum);
        else
            strbuf_printf(o, "%s_bucket{%sle=\"+Inf\"} %lld\n", name, labels,
                          cum);
    }
    strbuf_printf(o, "%s_sum{%s} %.6f\n", name, labels,
                  (double)atomic_load(&h->sum_us) / 1e6);
    strbuf_printf(o, "%s_count{%s} %lld\n", name, labels,
                  (long long)atomic_load(&h->count));
}

void stats_render(const struct stats *st, const struct stats_gauges *g,
                  struct strbuf *o)
{
    char labels[64];
    strbuf_puts(o, "# HELP resonans_http_requests_total HTTP requests "
                   "answered, by route group and status class.\n"
                   "# TYPE resonans_http_requests_total counter\n");
    for (int r = 0; r < STATS_N_ROUTES; r++)
        for (int c = 0; c < N_CLASSES; c++)
            strbuf_printf(o,
                          "resonans_http_requests_total{route=\"%s\","
                          "code=\"%dxx\"} %lld\n",
                          route_name[r], c + 1,
                          (long long)atomic_load(&st->requests[r][c]));
    strbuf_puts(o, "# HELP resonans_http_request_duration_seconds Time from "
                   "the first byte of a request to its answer.\n"
                   "# TYPE resonans_http_request_duration_seconds "
                   "histogram\n");
    for (int r = 0; r < STATS_N_ROUTES; r++) {
        snprintf(labels, sizeof labels, "route=\"%s\",", route_name[r]);
        render_hist(o, "resonans_http_request_duration_seconds", labels,
                    &st->latency[r]);
    }
    strbuf_puts(o, "# HELP resonans_commit_duration_seconds One group "
                   "commit of submissions, fsync included.\n"
                   "# TYPE resonans_commit_duration_seconds histogram\n");
    render_hist(o, "resonans_commit_duration_seconds", "", &st->commit);
    strbuf_printf(
        o,
        "# HELP resonans_submissions_total Submissions acknowledged, by "
        "outcome.\n# TYPE resonans_submissions_total counter\n"
        "resonans_submissions_total{outcome=\"stored\"} %lld\n"
        "resonans_submissions_total{outcome=\"duplicate\"} %lld\n"
        "resonans_submissions_total{outcome=\"rejected\"} %lld\n"
        "resonans_submissions_total{outcome=\"rate_limited\"} %lld\n"
        "# HELP resonans_commits_total Group commits.\n"
        "# TYPE resonans_commits_total counter\nresonans_commits_total %lld\n"
        "# HELP resonans_responses Responses in the column store.\n"
        "# TYPE resonans_responses gauge\nresonans_responses %lld\n"
        "# HELP resonans_queue Submissions waiting for a commit.\n"
        "# TYPE resonans_queue gauge\nresonans_queue %lld\n"
        "# HELP resonans_http_inflight Requests in flight.\n"
        "# TYPE resonans_http_inflight gauge\nresonans_http_inflight %ld\n"
        "# HELP resonans_uptime_seconds Seconds since the server started.\n"
        "# TYPE resonans_uptime_seconds gauge\nresonans_uptime_seconds %.1f\n",
        (long long)atomic_load(&st->committed),
        (long long)atomic_load(&st->duplicates),
        (long long)atomic_load(&st->rejected),
        (long long)atomic_load(&st->limited),
        (long long)atomic_load(&st->batches), (long long)g->rows,
        (long long)g->queued, g->inflight, g->uptime_s);
}
