/* Fuzz target: the metrics query parsers (--by, --metric, --where,
 * --bins and period labels) and a run of whatever parses, on a small
 * column store with customers, named columns and events.
 * Input: line 1 = --by (prefix "events:" queries the events), line 2 =
 * --metric, further lines = --where, or --bins when they start "bins:". */
#include <math.h>
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
    static const char *const cities[] = {"Umeå", "Falun, centrum", "7"};
    for (int c = 0; c < 40; c++)
        colstore_add_customer(cs, 10 + c, c % 4 ? "Student" : NULL, &err);
    int age = colstore_col_add(cs, COLSTORE_CUSTOMERS, "age", COLSTORE_NUM,
                               NAN, &err);
    int city = colstore_col_add(cs, COLSTORE_CUSTOMERS, "city", COLSTORE_CAT,
                                NAN, &err);
    for (int c = 0; c < 40; c++) {
        if (c % 9)
            colstore_col_set_num(cs, COLSTORE_CUSTOMERS, age, (size_t)c,
                                 18 + c * 1.5, &err);
        colstore_col_set_label(cs, COLSTORE_CUSTOMERS, city, (size_t)c,
                               cities[c % 3], strlen(cities[c % 3]), &err);
    }
    for (int c = 0; c < 40; c++)
        for (int k = 0; k < c % 5; k++) {
            struct colstore_event e = {c * 10 + k, c,
                                       (19690 + c + k * 20) * 86400LL, 60,
                                       k % 2 ? "contact" : "fault_report",
                                       k % 3 ? t0 : -1, -1};
            colstore_add_event(cs, &e, &err);
        }
    colstore_mark_events_loaded(cs);
    int hours = colstore_col_add(cs, COLSTORE_EVENTS, "hours", COLSTORE_NUM,
                                 NAN, &err);
    struct colstore_events ev;
    colstore_events_view(cs, &ev);
    for (size_t i = 0; i < ev.n; i += 2)
        colstore_col_set_num(cs, COLSTORE_EVENTS, hours, i, (double)(i * 7),
                             &err);
    for (int i = 0; i < 400; i++) {
        struct colstore_row r = {i % 3 ? t0 : t1,   ch,
                                 i % 5 ? seg : -1,  i % 7 ? sv : -1,
                                 i % 11 == 0,       19700 + i * 3,
                                 i % 12 - 1,        i % 6 ? i % 6 : -1,
                                 i % 8 ? i % 8 : -1, 0,
                                 i % 13 ? i % 40 : -1,
                                 (19700 + i * 3) * 86400LL + 3600};
        colstore_append(cs, &r, &err);
    }
    int rating = colstore_col_add(cs, COLSTORE_RESPONSES, "rating:wifi",
                                  COLSTORE_NUM, 5, &err);
    int choice = colstore_col_add(cs, COLSTORE_RESPONSES,
                                  "choice:satisfaction", COLSTORE_CAT, NAN,
                                  &err);
    for (size_t i = 0; i < 400; i++) {
        if (i % 4)
            colstore_col_set_num(cs, COLSTORE_RESPONSES, rating, i,
                                 (double)(i % 6), &err);
        if (i % 3)
            colstore_col_set_label(cs, COLSTORE_RESPONSES, choice, i,
                                   i % 2 ? "yes" : "no", 2 + (i % 2), &err);
    }
    if (err.code)
        abort();
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
    int events = !strncmp(buf, "events:", 7);
    metrics_query_init(&q, events ? FIELD_EVENTS : FIELD_RESPONSES);
    for (char *p = buf + (events ? 7 : 0), *nl; p && ok;
         p = nl ? nl + 1 : NULL, line++) {
        nl = strchr(p, '\n');
        if (nl)
            *nl = 0;
        if (line == 0 && *p)
            ok = metrics_query_by(&q, p, &err) == 0;
        else if (line == 1 && *p)
            ok = metrics_query_metrics(&q, p, &err) == 0;
        else if (line > 1 && !strncmp(p, "bins:", 5))
            ok = metrics_query_bins(&q, p + 5, &err) == 0;
        else if (line > 1)
            ok = metrics_query_where(&q, p, &err) == 0;
        if (!ok && (err.code == 0 || !err.msg[0]))
            abort(); /* a failure always says why */
    }
    if (ok && metrics_run(&r, cs, &q, &err) == 0) {
        int64_t sum = 0;
        for (size_t i = 0; i < r->n_cells; i++)
            sum += r->cells[i].n;
        /* theme cells may count a row in several themes */
        int by_theme = 0;
        for (int i = 0; i < q.n_by; i++)
            by_theme |= q.by[i].kind == FIELD_CORE && q.by[i].core == FC_THEME;
        if (sum != r->rows || (!by_theme && r->rows > r->scanned))
            abort();
    } else if (ok && (!err.code || !err.msg[0])) {
        abort();
    }
    metrics_result_free(r);
    metrics_query_dispose(&q);
    free(buf);
    return 0;
}
