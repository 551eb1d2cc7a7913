/* Fuzz target: the column store snapshot reader (src/colstore/snapshot.c).
 * The input is a snapshot image. It is opened as it is, and again after
 * colstore_snapshot_seal has recomputed the checksums of a copy, so the
 * fuzzer gets past the sums to the structure and value checks behind
 * them (a random change almost never survives a 64-bit checksum).
 *
 * Checked: opening either fails with a message or gives a column store
 * that is safe to use, since a snapshot that verifies is scanned without
 * further checks. Over what opens, a metrics query by touchpoint and
 * month (what `resonans metrics --by touchpoint,month` runs) and one by
 * segment and theme either fail with a message or account for every row,
 * display order and customer segment lookups stay in range, and the
 * mapping can be copied to the heap and appended to. Anything else
 * aborts; ASan and UBSan catch the reads out of bounds. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "colstore/colstore.h"
#include "colstore/snapshot.h"
#include "core/err.h"
#include "core/tstamp.h"
#include "stats/metrics.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Runs metrics --by `by` over cs: an error must say why; a result must
 * hold every row it counted. */
static void query(const struct colstore *cs, const char *by)
{
    struct metrics_query q;
    struct metrics_result *r = NULL;
    struct err err = ERR_INIT;
    metrics_query_init(&q, FIELD_RESPONSES);
    if (metrics_query_by(&q, by, &err) < 0)
        abort();
    if (metrics_run(&r, cs, &q, &err) == 0) {
        int64_t sum = 0;
        for (size_t i = 0; i < r->n_cells; i++)
            sum += r->cells[i].n;
        /* a row mentioning several themes counts in each */
        if (!strstr(by, "theme") && (sum != r->rows || r->rows > r->scanned ||
                                     r->scanned != (int64_t)colstore_rows(cs)))
            abort();
    } else if (!err.code || !err.msg[0]) {
        abort();
    }
    metrics_result_free(r);
    metrics_query_dispose(&q);
}

static void use(struct colstore *cs)
{
    struct err err = ERR_INIT;
    struct colstore_columns c;
    colstore_columns(cs, &c);
    /* everything was asked for, so everything is there */
    if (c.n && (!c.touchpoint || !c.channel || !c.segment || !c.language ||
                !c.sentiment || !c.kind || !c.day || !c.nps || !c.csat ||
                !c.ces || !c.id || !c.ts || !c.customer))
        abort();
    if (c.n_mentions &&
        (!c.mention_row || !c.mention_theme || !c.mention_aspect))
        abort();

    query(cs, "touchpoint,month");
    query(cs, "segment,theme");

    for (int d = 0; d <= DIM_THEME; d++) {
        size_t n = colstore_card(cs, (enum colstore_dim)d);
        uint32_t *rank = calloc(n + 1, sizeof *rank);
        colstore_order(cs, (enum colstore_dim)d, rank);
        for (size_t i = 0; i < n; i++)
            if (rank[i] >= n)
                abort();
        free(rank);
    }
    long n_seg = (long)colstore_card(cs, DIM_SEGMENT);
    size_t n_cust = colstore_customers(cs);
    for (size_t k = 0; k < n_cust && k < 4096; k++) {
        int cur = colstore_customer_segment(cs, k);
        int then = colstore_segment_at(cs, k, c.n ? c.ts[k % c.n] : 0);
        int first = colstore_segment_at(cs, k, INT64_MIN);
        if (cur < -1 || cur >= n_seg || then < -1 || then >= n_seg ||
            first < -1 || first >= n_seg)
            abort();
    }

    /* read-only until owned; then it takes a row like any other */
    int64_t last = c.n ? c.id[c.n - 1] : 0; /* c is the mapping's */
    if (colstore_own(cs, &err) < 0)
        abort(); /* every column was verified at open */
    if (colstore_card(cs, DIM_TOUCHPOINT) && colstore_card(cs, DIM_CHANNEL) &&
        last < INT64_MAX) {
        struct colstore_row r = {0, 0, -1, -1, 0, 0, 10, -1, -1, 0, -1, 0};
        r.day = tstamp_days_from_civil(2023, 3, 15);
        r.id = last + 1 > 0 ? last + 1 : 1;
        size_t before = colstore_rows(cs);
        if (colstore_append(cs, &r, &err) == 0 &&
            colstore_rows(cs) != before + 1)
            abort();
        query(cs, "touchpoint,month");
    }
}

static void try_open(const uint8_t *image, size_t size)
{
    struct colstore *cs = NULL;
    struct colstore_stamp stamp;
    struct err err = ERR_INIT;
    if (colstore_snapshot_open_mem(&cs, image, size, COLSTORE_NEED_ALL, &stamp,
                                   &err) == 0) {
        if (!cs || !colstore_is_mapped(cs))
            abort();
        use(cs);
        colstore_free(cs);
    } else if (cs || err.code != ERR_INVALID || !err.msg[0]) {
        abort(); /* a bad image is ERR_INVALID with the reason */
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > (1u << 20))
        return 0;
    try_open(data, size);
    uint8_t *copy = malloc(size ? size : 1);
    memcpy(copy, data, size);
    if (colstore_snapshot_seal(copy, size) == 0)
        try_open(copy, size);
    free(copy);
    return 0;
}
