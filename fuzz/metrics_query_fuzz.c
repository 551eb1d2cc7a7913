/* Fuzz target: the metrics query parsers (--by, --metric, --where and
 * period labels) and a run of whatever parses, on a small column store.
 * Input: line 1 = --by, line 2 = --metric, further lines = --where. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "colstore/colstore.h"
#include "core/err.h"
#include "stats/metrics.h"
#include "stats/period.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct colstore *make_store(void)
{
    struct err err = ERR_INIT;
    struct colstore *cs = colstore_new();
    int j = colstore_add_journey(cs, "live", "Bo", &err);
    int s0 = colstore_add_stage(cs, j, "report", "Felanmälan", 0, &err);
    int s1 = colstore_add_stage(cs, j, "fix", "Åtgärd", 1, &err);
    int t0 = colstore_add_touchpoint(cs, s0, "felanmalan_app", NULL, &err);
    int t1 = colstore_add_touchpoint(cs, s1, "besok", NULL, &err);
    int ch = colstore_intern(cs, DIM_CHANNEL, "app", &err);
    int seg = colstore_intern(cs, DIM_SEGMENT, "Student", &err);
    int sv = colstore_intern(cs, DIM_LANGUAGE, "sv", &err);
    for (int i = 0; i < 400; i++) {
        struct colstore_row r = {i % 3 ? t0 : t1,   ch,
                                 i % 5 ? seg : -1,  i % 7 ? sv : -1,
                                 i % 11 == 0,       19700 + i * 3,
                                 i % 12 - 1,        i % 6 ? i % 6 : -1,
                                 i % 8 ? i % 8 : -1, 0,
                                 -1,                0};
        colstore_append(cs, &r, &err);
    }
    return cs;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct colstore *cs;
    if (!cs)
        cs = make_store();
    if (size > 4096)
        return 0;
    char *buf = malloc(size + 1);
    memcpy(buf, data, size);
    buf[size] = 0;

    for (int u = PERIOD_DAY; u <= PERIOD_YEAR; u++) {
        int64_t key;
        char label[16];
        if (period_parse(&key, (enum period_unit)u, buf, size) == 0) {
            /* A parsed label prints back as a label that parses alike. */
            int64_t again;
            period_label((enum period_unit)u, key, label, sizeof label);
            if (period_parse(&again, (enum period_unit)u, label,
                             strlen(label)) != 0 ||
                again != key)
                abort();
        }
    }

    struct metrics_query q;
    struct metrics_result *r = NULL;
    struct err err = ERR_INIT;
    int ok = 1, line = 0;
    metrics_query_init(&q, FIELD_RESPONSES);
    for (char *p = buf, *nl; p && ok; p = nl ? nl + 1 : NULL, line++) {
        nl = strchr(p, '\n');
        if (nl)
            *nl = 0;
        if (line == 0 && *p)
            ok = metrics_query_by(&q, p, &err) == 0;
        else if (line == 1 && *p)
            ok = metrics_query_metrics(&q, p, &err) == 0;
        else if (line > 1)
            ok = metrics_query_where(&q, p, &err) == 0;
        if (!ok && (err.code == 0 || !err.msg[0]))
            abort(); /* a failure always says why */
    }
    if (ok && metrics_run(&r, cs, &q, &err) == 0) {
        int64_t sum = 0;
        for (size_t i = 0; i < r->n_cells; i++)
            sum += r->cells[i].n;
        if (sum != r->rows || r->rows > (int64_t)colstore_rows(cs))
            abort();
    }
    metrics_result_free(r);
    metrics_query_dispose(&q);
    free(buf);
    return 0;
}
