#include "cli/metrics_cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cmd.h"
#include "colstore/colstore.h"
#include "core/err.h"
#include "core/tstamp.h"

void metrics_cli_args_init(struct metrics_cli_args *a)
{
    memset(a, 0, sizeof *a);
    metrics_query_init(&a->q);
    a->fmt = RESULT_FORMAT_TABLE;
}

void metrics_cli_args_dispose(struct metrics_cli_args *a)
{
    metrics_query_dispose(&a->q);
}

static int parse_day(struct app *app, const char *cmd, const char *opt,
                     const char *s, int64_t *day)
{
    if (tstamp_parse_date(day, s, strlen(s)) < 0)
        return cli_usage_error(
            app, cmd, "%s: bad date '%s' (expected YYYY-MM-DD)", opt, s);
    return 0;
}

int metrics_cli_format(struct app *app, const char *cmd, const char *val,
                       enum result_format *fmt)
{
    if (result_format_parse(fmt, val) < 0)
        return cli_usage_error(app, cmd,
                               "--format must be table, csv, json or jsonl, "
                               "got '%s'",
                               val);
    return 0;
}

int metrics_cli_common(struct app *app, const char *cmd,
                       struct metrics_cli_args *a, const struct opt *o)
{
    struct err err = ERR_INIT;
    const char *val = o->value;
    int64_t day;
    long n;
    int rc;
    switch (o->id) {
    case MOPT_TIMING:
        a->timing = 1;
        break;
    case MOPT_METHOD:
        a->method = 1;
        break;
    case MOPT_BY:
        if (metrics_query_by(&a->q, val, &err) < 0)
            return cli_usage_error(app, cmd, "%s", err.msg);
        break;
    case MOPT_WHERE:
        if (a->n_where == METRICS_CLI_MAX_WHERE)
            return cli_usage_error(app, cmd, "at most %d --where options",
                                   METRICS_CLI_MAX_WHERE);
        if ((rc = metrics_cli_check_where(app, cmd, val)) != 0)
            return rc;
        a->where[a->n_where++] = val;
        break;
    case MOPT_FROM:
    case MOPT_TO:
        if ((rc = parse_day(app, cmd, o->id == MOPT_FROM ? "--from" : "--to",
                            val, &day)) != 0)
            return rc;
        if (o->id == MOPT_FROM)
            metrics_query_days(&a->q, day, METRICS_DAY_MAX);
        else
            metrics_query_days(&a->q, METRICS_DAY_MIN, day);
        if (a->q.from_day > a->q.to_day)
            return cli_usage_error(app, cmd, "--from is after --to");
        break;
    case MOPT_METRIC:
        if (metrics_query_metrics(&a->q, val, &err) < 0)
            return cli_usage_error(app, cmd, "%s", err.msg);
        break;
    case MOPT_MIN_N:
        if (opt_parse_long(&n, val, 0, 1000000000) < 0)
            return cli_usage_error(app, cmd,
                                   "--min-n must be a whole number >= 0, got "
                                   "'%s'",
                                   val);
        a->q.min_n = (int)n;
        break;
    case MOPT_FORMAT:
        if ((rc = metrics_cli_format(app, cmd, val, &a->fmt)) != 0)
            return rc;
        break;
    default:
        return 0;
    }
    return 1;
}

int metrics_cli_resolve(struct app *app, struct metrics_cli_args *a,
                        const struct colstore *cs, struct metrics_query *q)
{
    struct err err = ERR_INIT;
    for (int i = 0; i < a->n_where; i++)
        if (metrics_query_where(q, cs, a->where[i], &err) < 0)
            return cli_error(app, &err);
    return 0;
}

int metrics_cli_check_where(struct app *app, const char *cmd, const char *expr)
{
    struct colstore *empty = colstore_new();
    struct metrics_query q;
    struct err err = ERR_INIT;
    int rc = 0;
    metrics_query_init(&q);
    /* Against an empty store every value is "not found": only the syntax
     * errors (ERR_INVALID) are reported here. */
    if (metrics_query_where(&q, empty, expr, &err) == ERR_INVALID)
        rc = cli_usage_error(app, cmd, "%s", err.msg);
    metrics_query_dispose(&q);
    colstore_free(empty);
    return rc;
}

double metrics_cli_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

int metrics_cli_load(struct app *app, struct colstore **cs, double *ms)
{
    struct err err = ERR_INIT;
    struct store *s = cli_store(app);
    *cs = NULL;
    if (!s)
        return EXIT_FAIL;
    double t0 = metrics_cli_now_ms();
    if (colstore_load(cs, s, &err) < 0)
        return cli_error(app, &err);
    *ms = metrics_cli_now_ms() - t0;
    return 0;
}

void metrics_cli_timing(struct app *app, const struct colstore *cs,
                        double load_ms, double query_ms)
{
    fprintf(app->err,
            "timing: load %.1f ms (%zu responses, column store %.1f MiB), "
            "query %.2f ms\n",
            load_ms, colstore_rows(cs),
            (double)colstore_memory(cs) / (1024.0 * 1024.0), query_ms);
}
