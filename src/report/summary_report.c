#include "report/summary_report.h"

#include "report/metrics_report.h"
#include "report/result.h"
#include "stats/metrics.h"
#include "store/store.h"

struct count {
    const char *key, *header;
    int employees; /* shown to people only when employees answered */
};

static const struct count counts[] = {
    {"customers", "customers", 0},
    {"employees", "employees", 1},
    {"responses", "responses", 0},
    {"employee_responses", "of which employees'", 1},
    {"events", "events", 0},
    {"touchpoints", "touchpoints", 0},
    {"stages", "stages", 0},
    {"journeys", "journeys", 0},
};

#define N_COUNTS (sizeof counts / sizeof counts[0])

struct result *summary_report_build(const struct store_counts *n,
                                    const struct metrics_result *head,
                                    const struct metrics_result *stages,
                                    const struct metrics_result *employees)
{
    struct result *res = result_new();
    int64_t emp = employees ? employees->rows : 0;
    const int64_t v[N_COUNTS] = {n->customers, n->employees, n->responses,
                                 emp,          n->events,    n->touchpoints,
                                 n->stages,    n->journeys};
    struct result_table *t = result_table_new(res, "counts", NULL);
    result_set_min_n(res, head->min_n);
    result_table_layout(t, RESULT_PAIRS);
    for (size_t i = 0; i < N_COUNTS; i++)
        result_col(t, counts[i].key, counts[i].header, RESULT_INTEGER, 0,
                   counts[i].employees && !emp ? RESULT_FOR_PROGRAMS : 0);
    result_row(t);
    for (size_t i = 0; i < N_COUNTS; i++)
        result_add_int(t, v[i]);
    metrics_report_add(res, "headline",
                       emp ? "Headline (customers)" : "Headline", head);
    metrics_report_add(res, "nps_by_stage",
                       emp ? "NPS by stage (customers)" : "NPS by stage",
                       stages);
    if (emp)
        metrics_report_add(res, "employees", "Employees' view", employees);
    metrics_report_method(res, head);
    result_method(res, "The headline and NPS by stage count customers' "
                       "responses only; employees' responses are shown "
                       "apart.");
    return res;
}
