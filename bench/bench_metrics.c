/* Micro-benchmark of the metrics engine alone: a synthetic 10M-row column
 * store built in memory through the append API (about 20 touchpoints in 6
 * stages, 24 months, 6 segments, 5 channels), then the median of 10 runs
 * of the two reference queries:
 *   metrics --by touchpoint,month --metric nps
 *   metrics --by segment,channel             (NPS, CSAT, CES with CIs)
 * Usage: bench_metrics [ROWS] [THREADS]   (default 10000000, auto) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench.h"
#include "colstore/colstore.h"
#include "core/err.h"
#include "core/tstamp.h"
#include "stats/metrics.h"

#define RUNS 10

/* splitmix64: enough randomness for synthetic data, no dependencies. */
static uint64_t next(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static int pick(uint64_t *s, int n)
{
    return (int)((next(s) >> 11) % (uint64_t)n);
}

static int build(struct colstore *cs, size_t rows, struct err *err)
{
    static const char *const channels[] = {"web", "app", "phone", "office",
                                           "email"};
    static const char *const segments[] = {"family", "student", "senior",
                                           "single", "couple",  "business"};
    int tp[20], ch[5], seg[6], lang[2];
    char key[32];
    int j0 = colstore_add_journey(cs, "move_in", "Flytta in", err);
    int j1 = colstore_add_journey(cs, "live", "Bo", err);
    for (int s = 0, t = 0; s < 6; s++) {
        snprintf(key, sizeof key, "stage_%d", s);
        int st = colstore_add_stage(cs, s < 3 ? j0 : j1, key, key, s % 3, err);
        for (int k = 0; k < (s < 2 ? 4 : 3); k++, t++) {
            snprintf(key, sizeof key, "touchpoint_%02d", t);
            if ((tp[t] = colstore_add_touchpoint(cs, st, key, key, err)) < 0)
                return tp[t];
        }
    }
    for (int i = 0; i < 5; i++)
        ch[i] = colstore_intern(cs, DIM_CHANNEL, channels[i], err);
    for (int i = 0; i < 6; i++)
        seg[i] = colstore_intern(cs, DIM_SEGMENT, segments[i], err);
    lang[0] = colstore_intern(cs, DIM_LANGUAGE, "sv", err);
    lang[1] = colstore_intern(cs, DIM_LANGUAGE, "en", err);
    if (err->code)
        return err->code;

    int64_t d0 = tstamp_days_from_civil(2023, 1, 1);
    int64_t days = tstamp_days_from_civil(2025, 1, 1) - d0; /* 24 months */
    uint64_t s = 7;
    colstore_reserve(cs, rows);
    for (size_t i = 0; i < rows; i++) {
        struct colstore_row r;
        int t = pick(&s, 20);
        uint64_t u = next(&s);
        r.touchpoint = tp[t];
        r.channel = ch[(t + (int)(u & 1)) % 5];
        r.segment = (u >> 1) % 10 == 0 ? -1 : seg[(u >> 8) % 6];
        r.language = (u >> 16) % 10 < 8 ? lang[0] : lang[1];
        r.kind = (u >> 24) % 20 == 0;
        r.day = d0 + (int64_t)((u >> 32) % (uint64_t)days);
        r.nps = (u >> 40) % 10 == 0 ? -1 : (int)((u >> 44) % 11);
        r.csat = (u >> 48) % 10 < 6 ? 1 + (int)((u >> 52) % 5) : -1;
        r.ces = (u >> 56) % 10 < 4 ? 1 + (int)((u >> 60) % 7) : -1;
        r.id = (int64_t)i + 1;
        r.customer = -1;
        r.ts = r.day * 86400;
        int rc = colstore_append(cs, &r, err);
        if (rc < 0)
            return rc;
    }
    return 0;
}

static double median_run(const struct colstore *cs, const char *by,
                         const char *metrics, int threads, size_t *cells)
{
    double t[RUNS];
    struct err err = ERR_INIT;
    for (int i = 0; i < RUNS; i++) {
        struct metrics_query q;
        struct metrics_result *r = NULL;
        metrics_query_init(&q, FIELD_RESPONSES);
        q.threads = threads;
        metrics_query_by(&q, by, &err);
        metrics_query_metrics(&q, metrics, &err);
        double t0 = bench_now_ms();
        if (metrics_run(&r, cs, &q, &err) < 0) {
            fprintf(stderr, "bench_metrics: %s\n", err.msg);
            exit(1);
        }
        t[i] = bench_now_ms() - t0;
        *cells = r->n_cells;
        metrics_result_free(r);
        metrics_query_dispose(&q);
    }
    return bench_median(t, RUNS);
}

int main(int argc, char **argv)
{
    size_t rows = argc > 1 ? strtoull(argv[1], NULL, 10) : 10000000;
    int threads = argc > 2 ? atoi(argv[2]) : 0;
    struct err err = ERR_INIT;
    struct colstore *cs = colstore_new();
    size_t cells;
    int rc = 1;

    double t0 = bench_now_ms();
    if (build(cs, rows, &err) < 0) {
        fprintf(stderr, "bench_metrics: %s\n", err.msg);
        goto done;
    }
    printf("bench_metrics: %zu rows built in %.0f ms; column store %.1f MiB "
           "(%.1f bytes/row)\n",
           rows, bench_now_ms() - t0, (double)colstore_memory(cs) / (1 << 20),
           (double)colstore_memory(cs) / (double)(rows ? rows : 1));
    double a = median_run(cs, "touchpoint,month", "nps", threads, &cells);
    printf("nps_by_touchpoint_month   %7.1f ms  (%zu cells, median of %d)\n", a,
           cells, RUNS);
    double b =
        median_run(cs, "segment,channel", "nps,csat,ces", threads, &cells);
    printf("all_by_segment_channel    %7.1f ms  (%zu cells, median of %d)\n", b,
           cells, RUNS);
    rc = 0;
done:
    colstore_free(cs);
    return rc;
}
