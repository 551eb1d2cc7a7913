/* The metrics engine on a real database: loads the column store from a
 * SQLite file made by `resonans import`, then prints the load time, the
 * column store's memory and the median of 10 runs of the two reference
 * queries (bench/run.sh compares them with sqlite3 and DuckDB):
 *   metrics --by touchpoint,month --metric nps
 *   metrics --by segment,channel             (NPS, CSAT, CES with CIs)
 * Usage: bench_query DB */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "bench.h"
#include "colstore/colstore.h"
#include "core/err.h"
#include "stats/metrics.h"
#include "store/store.h"

#define RUNS 10

static int median_run(const struct colstore *cs, const char *by,
                      const char *metrics, double *ms, size_t *cells,
                      struct err *err)
{
    double t[RUNS];
    for (int i = 0; i < RUNS; i++) {
        struct metrics_query q;
        struct metrics_result *r = NULL;
        int rc;
        metrics_query_init(&q, FIELD_RESPONSES);
        if ((rc = metrics_query_by(&q, by, err)) < 0 ||
            (rc = metrics_query_metrics(&q, metrics, err)) < 0) {
            metrics_query_dispose(&q);
            return rc;
        }
        double t0 = bench_now_ms();
        rc = metrics_run(&r, cs, &q, err);
        t[i] = bench_now_ms() - t0;
        *cells = r ? r->n_cells : 0;
        metrics_result_free(r);
        metrics_query_dispose(&q);
        if (rc < 0)
            return rc;
    }
    *ms = bench_median(t, RUNS);
    return 0;
}

int main(int argc, char **argv)
{
    struct err err = ERR_INIT;
    struct store *s = NULL;
    struct colstore *cs = NULL;
    double ms;
    size_t cells;
    int rc = 1;

    if (argc != 2) {
        fputs("usage: bench_query DB\n", stderr);
        return 2;
    }
    if (store_open(&s, argv[1], &err) < 0)
        goto done;
    double t0 = bench_now_ms();
    if (colstore_load(&cs, s, &err) < 0)
        goto done;
    printf("resonans colstore load %.1f ms (%zu responses, %.1f MiB)\n",
           bench_now_ms() - t0, colstore_rows(cs),
           (double)colstore_memory(cs) / (1 << 20));
    if (median_run(cs, "touchpoint,month", "nps", &ms, &cells, &err) < 0)
        goto done;
    printf("resonans nps_by_touchpoint_month %.1f ms (%zu cells, median of "
           "%d)\n",
           ms, cells, RUNS);
    if (median_run(cs, "segment,channel", "nps,csat,ces", &ms, &cells, &err) <
        0)
        goto done;
    printf("resonans all_by_segment_channel %.1f ms (%zu cells, median of "
           "%d)\n",
           ms, cells, RUNS);
    rc = 0;
done:
    if (rc)
        fprintf(stderr, "bench_query: %s\n", err.msg);
    colstore_free(cs);
    store_free(s);
    return rc;
}
