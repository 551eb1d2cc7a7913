/* Any field as a dimension, on a real database: loads the column store
 * from a SQLite file made by `resonans import` (responses, customers and
 * events), loads what the queries below name (customer columns, the
 * events table) and prints both load times, then the median of 10 runs of
 * each query. bench/peers/duckdb_fields.mjs runs the same questions in
 * SQL, so bench/run.sh prints them side by side.
 * Usage: bench_fields DB [QUERY]   (QUERY: one of the names below) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench.h"
#include "colstore/colstore.h"
#include "core/err.h"
#include "query/prepare.h"
#include "stats/metrics.h"
#include "store/store.h"

#define RUNS 10
#define FAULT "event.fault_report.resolution_hours"

/* The questions an analyst asks of issue 6, as `resonans metrics` or
 * `resonans events` options. */
static const struct fields_query {
    const char *name;
    enum field_context ctx;
    const char *by, *where, *bins, *metric;
} queries[] = {
    /* a customer attribute (text) */
    {"nps_by_customer_district", FIELD_RESPONSES, "customer.district", NULL,
     NULL, "nps"},
    /* a numeric customer attribute in bins */
    {"nps_csat_by_rent_band", FIELD_RESPONSES, "customer.rent", NULL,
     "customer.rent=8000,10000,12000,14000", "nps,csat"},
    /* the latest earlier event's attribute, binned (planted effect a) */
    {"nps_by_latest_fault_hours", FIELD_RESPONSES, FAULT,
     "touchpoint=felanmalan_app,felanmalan_tel,reparation",
     FAULT "=24,72,168,336", "nps"},
    /* how many events in a window before each response */
    {"nps_by_contacts_14d", FIELD_RESPONSES, "event.contact:14d", NULL, NULL,
     "nps"},
    /* a text attribute of the latest event (planted effect c) */
    {"nps_by_viewing_team", FIELD_RESPONSES, "event.viewing.team",
     "touchpoint=visning", NULL, "nps"},
    /* operational data on its own */
    {"events_by_activity_month", FIELD_EVENTS, "activity,month", NULL, NULL,
     "count,median:resolution_hours"},
};
#define N_QUERIES (sizeof queries / sizeof queries[0])

static int build(struct metrics_query *q, const struct fields_query *fq,
                 struct err *err)
{
    metrics_query_init(q, fq->ctx);
    if (metrics_query_by(q, fq->by, err) < 0 ||
        (fq->where && metrics_query_where(q, fq->where, err) < 0) ||
        (fq->bins && metrics_query_bins(q, fq->bins, err) < 0) ||
        metrics_query_metrics(q, fq->metric, err) < 0)
        return -1;
    return 0;
}

struct prep {
    struct colstore *cs;
    struct store *s;
    enum field_context ctx;
    struct err *err;
};

static int prep_one(void *ctx, const struct field *f)
{
    struct prep *p = ctx;
    return query_prepare_field(p->cs, p->s, f, p->ctx, p->err);
}

static int median_run(const struct colstore *cs, const struct fields_query *fq,
                      double *ms, size_t *cells, struct err *err)
{
    double t[RUNS];
    for (int i = 0; i < RUNS; i++) {
        struct metrics_query q;
        struct metrics_result *r = NULL;
        int rc = build(&q, fq, err);
        if (rc == 0) {
            double t0 = bench_now_ms();
            rc = metrics_run(&r, cs, &q, err);
            t[i] = bench_now_ms() - t0;
        }
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
    int rc = 1;

    if (argc != 2 && argc != 3) {
        fputs("usage: bench_fields DB [QUERY]\n", stderr);
        return 2;
    }
    const char *only = argc == 3 ? argv[2] : NULL;
    if (store_open(&s, argv[1], &err) < 0)
        goto done;
    double t0 = bench_now_ms();
    if (colstore_load(&cs, s, &err) < 0)
        goto done;
    double t1 = bench_now_ms();
    printf("resonans colstore load %.1f ms (%zu responses, %.1f MiB)\n",
           t1 - t0, colstore_rows(cs), (double)colstore_memory(cs) / (1 << 20));
    /* what a command naming these fields loads on top, once */
    if (colstore_load_events(cs, s, &err) < 0)
        goto done;
    for (size_t i = 0; i < N_QUERIES; i++) {
        struct metrics_query q;
        struct prep p = {cs, s, queries[i].ctx, &err};
        int bad = build(&q, &queries[i], &err) < 0 ||
                  metrics_query_fields(&q, prep_one, &p) < 0;
        metrics_query_dispose(&q);
        if (bad)
            goto done;
    }
    struct colstore_events ev;
    colstore_events_view(cs, &ev);
    printf("resonans fields load %.1f ms (customer columns and %zu events; "
           "column store now %.1f MiB)\n",
           bench_now_ms() - t1, ev.n, (double)colstore_memory(cs) / (1 << 20));
    for (size_t i = 0; i < N_QUERIES; i++) {
        double ms;
        size_t cells;
        if (only && strcmp(only, queries[i].name))
            continue;
        if (median_run(cs, &queries[i], &ms, &cells, &err) < 0)
            goto done;
        printf("resonans %s %.1f ms (%zu cells, median of %d)\n",
               queries[i].name, ms, cells, RUNS);
    }
    rc = 0;
done:
    if (rc)
        fprintf(stderr, "bench_fields: %s\n", err.msg);
    colstore_free(cs);
    store_free(s);
    return rc;
}
