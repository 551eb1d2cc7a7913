#include "cli/metrics_cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cmd.h"
#include "colstore/colstore.h"
#include "core/err.h"
#include "core/tstamp.h"
#include "query/prepare.h"
#include "store/store.h"

void metrics_cli_args_init(struct metrics_cli_args *a)
{
    memset(a, 0, sizeof *a);
    metrics_query_init(&a->q, FIELD_RESPONSES);
    a->fmt = METRICS_REPORT_TABLE;
}

void metrics_cli_args_dispose(struct metrics_cli_args *a)
{
    metrics_query_dispose(&a->q);
}

int metrics_cli_next(struct app *app, const char *cmd, int argc, char **argv,
                     int *i, const char *const *names, const char *const *flags,
                     const char **name, const char **val)
{
    const char *arg = argv[*i];
    for (; flags && *flags; flags++) {
        if (!strcmp(arg, *flags)) {
            *name = *flags;
            *val = NULL;
            return 1;
        }
    }
    for (; *names; names++) {
        size_t n = strlen(*names);
        if (strncmp(arg, *names, n) || (arg[n] && arg[n] != '='))
            continue;
        *name = *names;
        if (arg[n] == '=') {
            *val = arg + n + 1;
            return 1;
        }
        if (*i + 1 >= argc)
            return -cli_usage_error(app, cmd, "%s needs a value", *names);
        *val = argv[++*i];
        return 1;
    }
    return -cli_usage_error(app, cmd, "unknown argument '%s'", arg);
}

static int parse_day(struct app *app, const char *cmd, const char *opt,
                     const char *s, int64_t *day)
{
    if (tstamp_parse_date(day, s, strlen(s)) < 0)
        return cli_usage_error(
            app, cmd, "%s: bad date '%s' (expected YYYY-MM-DD)", opt, s);
    return 0;
}

int metrics_cli_common(struct app *app, const char *cmd,
                       struct metrics_cli_args *a, const char *name,
                       const char *val)
{
    struct err err = ERR_INIT;
    int64_t day;
    int rc;
    if (!strcmp(name, "--timing")) {
        a->timing = 1;
    } else if (!strcmp(name, "--by")) {
        if (metrics_query_by(&a->q, val, &err) < 0)
            return cli_usage_error(app, cmd, "%s", err.msg);
    } else if (!strcmp(name, "--where")) {
        if (a->q.n_where >= METRICS_CLI_MAX_WHERE)
            return cli_usage_error(app, cmd, "at most %d --where options",
                                   METRICS_CLI_MAX_WHERE);
        if (metrics_query_where(&a->q, val, &err) < 0)
            return cli_usage_error(app, cmd, "%s", err.msg);
    } else if (!strcmp(name, "--bins")) {
        if (metrics_query_bins(&a->q, val, &err) < 0)
            return cli_usage_error(app, cmd, "%s", err.msg);
    } else if (!strcmp(name, "--from") || !strcmp(name, "--to")) {
        if ((rc = parse_day(app, cmd, name, val, &day)) != 0)
            return rc;
        if (name[2] == 'f')
            metrics_query_days(&a->q, day, METRICS_DAY_MAX);
        else
            metrics_query_days(&a->q, METRICS_DAY_MIN, day);
        if (a->q.from_day > a->q.to_day)
            return cli_usage_error(app, cmd, "--from is after --to");
    } else if (!strcmp(name, "--metric")) {
        if (metrics_query_metrics(&a->q, val, &err) < 0)
            return cli_usage_error(app, cmd, "%s", err.msg);
    } else if (!strcmp(name, "--min-n")) {
        char *end;
        long n = strtol(val, &end, 10);
        if (*end || end == val || n < 0 || n > 1000000000)
            return cli_usage_error(app, cmd,
                                   "--min-n must be a whole number >= 0, got "
                                   "'%s'",
                                   val);
        a->q.min_n = (int)n;
    } else if (!strcmp(name, "--format")) {
        if (metrics_report_format_parse(&a->fmt, val) < 0)
            return cli_usage_error(app, cmd,
                                   "--format must be table, csv or json, got "
                                   "'%s'",
                                   val);
    } else {
        return 0;
    }
    return 1;
}

int metrics_cli_check_where(struct app *app, const char *cmd, const char *expr)
{
    struct metrics_query q;
    struct err err = ERR_INIT;
    int rc = 0;
    metrics_query_init(&q, FIELD_RESPONSES);
    if (metrics_query_where(&q, expr, &err) < 0)
        rc = cli_usage_error(app, cmd, "%s", err.msg);
    metrics_query_dispose(&q);
    return rc;
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

int metrics_cli_prepare(struct app *app, struct colstore *cs,
                        const struct metrics_query *q)
{
    struct err err = ERR_INIT;
    struct prep p = {cs, app->store, q->ctx, &err};
    if (q->ctx == FIELD_EVENTS &&
        colstore_load_events(cs, app->store, &err) < 0)
        return cli_error(app, &err);
    if (metrics_query_fields(q, prep_one, &p) < 0)
        return cli_error(app, &err);
    return 0;
}

double metrics_cli_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

int metrics_cli_load(struct app *app, struct colstore **cs,
                     const struct metrics_query *q, double *ms)
{
    struct err err = ERR_INIT;
    struct store *s = cli_store(app);
    int rc;
    *cs = NULL;
    if (!s)
        return EXIT_FAIL;
    double t0 = metrics_cli_now_ms();
    if (colstore_load(cs, s, &err) < 0)
        return cli_error(app, &err);
    if (q && (rc = metrics_cli_prepare(app, *cs, q)) != 0)
        return rc;
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
