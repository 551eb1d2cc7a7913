#include "cli/metrics_cli.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cmd.h"
#include "colstore/colstore.h"
#include "colstore/colstore_sync.h"
#include "colstore/snapshot.h"
#include "core/err.h"
#include "core/tstamp.h"
#include "core/xalloc.h"
#include "query/prepare.h"
#include "report/metrics_report.h"
#include "store/store.h"

void metrics_cli_args_init(struct metrics_cli_args *a, enum field_context ctx)
{
    memset(a, 0, sizeof *a);
    metrics_query_init(&a->q, ctx);
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
                               "--format must be table, csv, json, jsonl or html, "
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
        if (a->q.n_where >= METRICS_CLI_MAX_WHERE)
            return cli_usage_error(app, cmd, "at most %d --where clauses",
                                   METRICS_CLI_MAX_WHERE);
        if (metrics_query_where(&a->q, val, &err) < 0)
            return cli_usage_error(app, cmd, "%s", err.msg);
        break;
    case MOPT_BINS:
        if (metrics_query_bins(&a->q, val, &err) < 0)
            return cli_usage_error(app, cmd, "%s", err.msg);
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

int metrics_cli_prep_one(void *ctx, const struct field *f)
{
    struct metrics_cli_prep *p = ctx;
    return query_prepare_field(p->cs, p->s, f, p->ctx, p->err);
}

int metrics_cli_prepare(struct app *app, struct colstore *cs,
                        const struct metrics_query *q)
{
    struct err err = ERR_INIT;
    struct metrics_cli_prep p = {cs, app->store, q->ctx, &err};
    if (q->ctx == FIELD_EVENTS &&
        colstore_load_events(cs, app->store, &err) < 0)
        return cli_error(app, &err);
    if (metrics_query_fields(q, metrics_cli_prep_one, &p) < 0)
        return cli_error(app, &err);
    return 0;
}

double metrics_cli_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* The snapshot beside a SQLite database file; NULL for other stores. */
static char *snapshot_path(const char *db)
{
    if (!strncmp(db, "sqlite:", 7))
        db += 7;
    else if (strstr(db, "://"))
        return NULL;
    return colstore_snapshot_path(db);
}

/* Column stores from this size up save their snapshot after the answer,
 * in a child process: a 10M-response store is 0.4 GB, which this kind
 * of machine takes 1-2 s to write. Smaller ones are written at once. */
#define DETACH_MIN ((size_t)64 << 20)

/* A snapshot to be written once the command has answered. */
struct snapshot_due {
    struct colstore *cs; /* kept from metrics_cli_release until then */
    struct colstore_snapshot_file *f; /* the writer's lock, taken now */
    struct colstore_stamp stamp;
    struct colstore_write_opts wo;
};

static void note_unsaved(struct app *app, const struct err *err)
{
    fprintf(app->err,
            "resonans: note: the column store snapshot was not saved: %s\n",
            err->msg);
}

/* Writes the snapshot colstore_open found due, here or (for a big store,
 * or as RESONANS_SNAPSHOT_SAVE=detach|wait says) after the answer:
 * the writer's lock is taken now, so a command that starts meanwhile
 * waits for the file instead of rebuilding it (colstore_sync.h). */
static void save_snapshot(struct app *app, struct colstore *cs,
                          const char *path,
                          const struct colstore_open_info *info,
                          const struct colstore_write_opts *wo)
{
    struct colstore_snapshot_file *f;
    struct err err = ERR_INIT;
    int skipped;
    const char *mode = getenv("RESONANS_SNAPSHOT_SAVE");
    int detach = mode && !strcmp(mode, "detach") ? 1
                 : mode && !strcmp(mode, "wait")
                     ? 0
                     : colstore_memory(cs) >= DETACH_MIN;
    if (colstore_snapshot_begin(&f, path, &skipped, &err) < 0) {
        note_unsaved(app, &err);
        return;
    }
    if (skipped) /* another command is writing it */
        return;
    if (detach && !app->snapshot_due) {
        struct snapshot_due *d = xcalloc(1, sizeof *d);
        d->cs = cs;
        d->f = f;
        d->stamp = info->stamp;
        d->wo = *wo;
        app->snapshot_due = d;
        return;
    }
    if (colstore_snapshot_finish(f, cs, &info->stamp, wo, &err) < 0)
        note_unsaved(app, &err);
}

void metrics_cli_release(struct app *app, struct colstore *cs)
{
    if (app->snapshot_due && app->snapshot_due->cs == cs)
        return; /* metrics_cli_write_due frees it */
    if (cs && cs == app->resident)
        return; /* the server's */
    colstore_free(cs);
}

int metrics_cli_write_due(struct app *app)
{
    struct snapshot_due *d = app->snapshot_due;
    struct err err = ERR_INIT;
    if (!d)
        return 0;
    app->snapshot_due = NULL;
    pid_t pid = fork();
    if (pid == 0) {
        /* The child must not hold the caller's pipes open (a `resonans
         * ... | head` would wait for it) nor be stopped by the terminal;
         * it has nowhere to report, and a snapshot it fails to write is
         * rebuilt by the next command. */
        int fd = open("/dev/null", O_RDWR);
        if (fd >= 0) {
            dup2(fd, 0);
            dup2(fd, 1);
            dup2(fd, 2);
            if (fd > 2)
                close(fd);
        }
        setsid();
        _exit(colstore_snapshot_finish(d->f, d->cs, &d->stamp, &d->wo, &err) <
              0);
    }
    if (pid > 0) {
        colstore_snapshot_close(d->f); /* the child holds the lock now */
        return 1;
    }
    /* no process to spare: write it here */
    if (colstore_snapshot_finish(d->f, d->cs, &d->stamp, &d->wo, &err) < 0)
        note_unsaved(app, &err);
    colstore_free(d->cs);
    free(d);
    return 0;
}

/* Opens the column store (from its snapshot when it can: colstore_sync.h)
 * verifying the columns in need, then loads what q's fields need. */
static int load(struct app *app, struct colstore **cs,
                const struct metrics_query *q, unsigned need, double *ms)
{
    struct err err = ERR_INIT;
    struct store *s = cli_store(app);
    struct colstore_open_opts o = {.need = need, .defer_save = 1};
    struct colstore_open_info info;
    const char *env;
    int rc;
    *cs = NULL;
    if (!s)
        return app->store_exit ? app->store_exit : EXIT_FAIL;
    double t0 = metrics_cli_now_ms();
    if (app->resident) {
        *cs = app->resident;
        app->load_source = COLSTORE_FROM_SNAPSHOT;
        app->load_added = 0;
        if (q && (rc = metrics_cli_prepare(app, *cs, q)) != 0)
            return rc;
        *ms = metrics_cli_now_ms() - t0;
        return 0;
    }
    /* RESONANS_SNAPSHOT=off: always load from the database (benchmarks,
     * or a directory that must not be written); =readonly: use one but
     * never write one. */
    env = getenv("RESONANS_SNAPSHOT");
    char *path =
        env && !strcmp(env, "off") ? NULL : snapshot_path(app->db_path);
    o.path = path;
    o.no_save = env && !strcmp(env, "readonly");
    /* test hook: kill the process while it writes the snapshot */
    if ((env = getenv("RESONANS_TEST_SNAPSHOT_KILL_AFTER")) != NULL)
        o.kill_after = strtoull(env, NULL, 10);
    rc = colstore_open(cs, s, &o, &info, &err);
    if (rc == 0 && info.save_due) {
        struct colstore_write_opts wo = {o.kill_after};
        save_snapshot(app, *cs, path, &info, &wo);
    }
    free(path);
    if (rc < 0)
        return cli_error(app, &err);
    app->load_source = info.source;
    app->load_added = info.added;
    if (q && (rc = metrics_cli_prepare(app, *cs, q)) != 0)
        return rc;
    *ms = metrics_cli_now_ms() - t0;
    return 0;
}

int metrics_cli_load(struct app *app, struct colstore **cs,
                     const struct metrics_query *q, double *ms)
{
    return load(app, cs, q, COLSTORE_NEED_ALL, ms);
}

struct need_ctx {
    enum field_context ctx;
    unsigned need;
};

static int add_need(void *ctx, const struct field *f)
{
    struct need_ctx *nc = ctx;
    nc->need |= query_field_need(f, nc->ctx);
    return 0;
}

int metrics_cli_load_query(struct app *app, struct colstore **cs,
                           const struct metrics_query *q, double *ms)
{
    unsigned need = 0;
    if (q->from_day != METRICS_DAY_MIN || q->to_day != METRICS_DAY_MAX)
        need |= COLSTORE_NEED_DAY;
    if (q->ctx != FIELD_RESPONSES)
        need = COLSTORE_NEED_ALL;
    if (q->n_metrics == 0)
        need |= COLSTORE_NEED_NPS | COLSTORE_NEED_CSAT | COLSTORE_NEED_CES;
    for (int i = 0; i < q->n_metrics; i++)
        need |= q->metrics[i].kind == MK_NPS    ? COLSTORE_NEED_NPS
                : q->metrics[i].kind == MK_CSAT ? COLSTORE_NEED_CSAT
                : q->metrics[i].kind == MK_CES  ? COLSTORE_NEED_CES
                                                : 0;
    /* every column the fields read is verified as the snapshot opens, so
     * a damaged one is rebuilt there rather than failing the query */
    struct need_ctx nc = {q->ctx, 0};
    metrics_query_fields(q, add_need, &nc);
    return load(app, cs, q, need | nc.need, ms);
}

void metrics_cli_timing(struct app *app, const struct colstore *cs,
                        double load_ms, double query_ms)
{
    static const char *const source[] = {"from its snapshot",
                                         "snapshot brought up to date",
                                         "built from the database"};
    fprintf(app->err,
            "timing: load %.1f ms (%zu responses, column store %.1f MiB, %s), "
            "query %.2f ms\n",
            load_ms, colstore_rows(cs),
            (double)colstore_memory(cs) / (1024.0 * 1024.0),
            source[app->load_source], query_ms);
}

int metrics_cli_render(struct app *app, const struct metrics_cli_args *a,
                       const struct result *out, const struct colstore *cs,
                       double load_ms, double query_ms)
{
    int rc = cli_render(app, out, a->fmt, a->method ? RESULT_RENDER_METHOD : 0);
    if (rc)
        return rc;
    fflush(app->out); /* before the timing line on stderr */
    if (a->timing)
        metrics_cli_timing(app, cs, load_ms, query_ms);
    return 0;
}

int metrics_cli_run(struct app *app, const char *cmd,
                    const struct opt_spec *specs, enum field_context ctx,
                    int argc, char **argv)
{
    struct metrics_cli_args a;
    struct metrics_result *res = NULL;
    struct result *out = NULL;
    struct colstore *cs = NULL;
    struct opt_parser p;
    struct opt o;
    struct err err = ERR_INIT;
    double load_ms = 0, t0, query_ms;
    int rc = EXIT_OK, got;

    metrics_cli_args_init(&a, ctx);
    opt_parser_init(&p, specs, argc, argv);
    while ((got = cli_opt_next(app, cmd, &p, &o)) > 0) {
        if (o.id == OPT_ARG) {
            rc = cli_usage_error(app, cmd, "unexpected argument '%s'", o.value);
            goto done;
        }
        /* specs holds shared options only: 0 would be a bug */
        if (metrics_cli_common(app, cmd, &a, &o) != 1) {
            rc = EXIT_USAGE;
            goto done;
        }
    }
    if (got < 0) {
        rc = EXIT_USAGE;
        goto done;
    }
    if ((rc = metrics_cli_load_query(app, &cs, &a.q, &load_ms)) != 0)
        goto done;
    t0 = metrics_cli_now_ms();
    if (metrics_run(&res, cs, &a.q, &err) < 0) {
        rc = cli_error(app, &err);
        goto done;
    }
    query_ms = metrics_cli_now_ms() - t0;
    out = metrics_report_build(res);
    rc = metrics_cli_render(app, &a, out, cs, load_ms, query_ms);
done:
    result_free(out);
    metrics_result_free(res);
    metrics_cli_release(app, cs);
    metrics_cli_args_dispose(&a);
    return rc;
}
