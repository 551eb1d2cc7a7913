#pragma once
/* What the metrics, compare, summary, themes, verbatims, export and
 * events commands share: the common options (--by --where --bins --from
 * --to --metric --min-n --format --timing --method), declared once here
 * on top of cli/opt.h, filter checks before the database is opened,
 * loading the column store with what a query names, and its timing.
 * Private to src/cli. */

#include "cli/opt.h"
#include "report/result.h"
#include "stats/metrics.h"

struct app;
struct colstore;

#define METRICS_CLI_MAX_WHERE 32

/* Ids of the shared options; a command's own options start at
 * MOPT_OWN. */
enum metrics_cli_opt {
    MOPT_BY = 1,
    MOPT_WHERE,
    MOPT_FROM,
    MOPT_TO,
    MOPT_METRIC,
    MOPT_MIN_N,
    MOPT_FORMAT,
    MOPT_TIMING,
    MOPT_METHOD,
    MOPT_BINS,
    MOPT_OWN
};

/* The shared options' table entries; a command lists those it takes. */
#define MOPT_SPEC_BY                                                           \
    {                                                                          \
        "by", MOPT_BY, OPT_VALUE, 0, "FIELD[,FIELD...]",                       \
            "group by fields (at most 6): stage, touchpoint, channel, "        \
            "segment, month, nps_group, owner, ..., customer.NAME, "           \
            "attr:NAME, choice:KEY, rating:KEY, event.ACTIVITY.ATTR[:AGG]"     \
            "[:WINDOW]; numbers by distinct value, --bins or FIELD:qN"         \
    }
#define MOPT_SPEC_WHERE                                                        \
    {                                                                          \
        "where", MOPT_WHERE, OPT_VALUE, OPT_REPEAT, "FIELD=V[,V...]",          \
            "filter (repeatable; values within one --where are alternatives, " \
            "separate --where and ';'-joined clauses all hold). Also "         \
            "FIELD!=V, FIELD<X, FIELD>=X, FIELD=A..B and FROM..TO; quote a "   \
            "value holding , or ; (\"Falun, centrum\"). Touchpoints by key, "  \
            "name or alias; periods as 2024-03-05, 2024-W10, 2024-03, "        \
            "2024-Q1, 2024"                                                    \
    }
#define MOPT_SPEC_BINS                                                         \
    {                                                                          \
        "bins", MOPT_BINS, OPT_VALUE, OPT_REPEAT, "FIELD=E1,E2,...",           \
            "group a numeric --by field into bins <E1, [E1,E2), ..., >=En "    \
            "(e.g. customer.age=18,30,50,65)"                                  \
    }
#define MOPT_SPEC_FROM                                                         \
    {                                                                          \
        "from", MOPT_FROM, OPT_VALUE, 0, "DATE",                               \
            "from this day on, inclusive (YYYY-MM-DD, local time)"             \
    }
#define MOPT_SPEC_TO                                                           \
    {                                                                          \
        "to", MOPT_TO, OPT_VALUE, 0, "DATE", "up to this day, inclusive"       \
    }
#define MOPT_SPEC_METRIC                                                       \
    {                                                                          \
        "metric", MOPT_METRIC, OPT_VALUE, 0, "LIST",                           \
            "nps, csat, ces (default all three), rating:KEY, choice:KEY, "     \
            "count, mean:FIELD, median:FIELD, pNN:FIELD, sum:FIELD, "          \
            "min:FIELD, max:FIELD"                                             \
    }
#define MOPT_SPEC_MIN_N                                                        \
    {                                                                          \
        "min-n", MOPT_MIN_N, OPT_VALUE, 0, "N",                                \
            "flag figures under N answers (default 30)"                        \
    }
#define MOPT_SPEC_FORMAT                                                       \
    {                                                                          \
        "format", MOPT_FORMAT, OPT_VALUE, 0, "FMT",                            \
            "table, csv, json or jsonl (default table; "                       \
            "docs/output-formats.md)"                                          \
    }
#define MOPT_SPEC_TIMING                                                       \
    {                                                                          \
        "timing", MOPT_TIMING, OPT_FLAG, 0, NULL,                              \
            "print load and query time to stderr"                              \
    }
#define MOPT_SPEC_METHOD                                                       \
    {                                                                          \
        "method", MOPT_METHOD, OPT_FLAG, 0, NULL,                              \
            "say under the table how the figures were computed (JSON always "  \
            "has it)"                                                          \
    }

/* Options common to the commands. */
struct metrics_cli_args {
    struct metrics_query q;
    enum result_format fmt;
    int timing;
    int method;
};

/* ctx: the rows the command describes (responses, or events). */
void metrics_cli_args_init(struct metrics_cli_args *a, enum field_context ctx);
void metrics_cli_args_dispose(struct metrics_cli_args *a);

/* Applies a shared option. Returns 1 if o was one of them and was
 * applied, 0 if o is not a shared option, or EXIT_USAGE after printing a
 * usage error. Fields and filters are checked for syntax here and
 * resolved against the data when the query runs. */
int metrics_cli_common(struct app *app, const char *cmd,
                       struct metrics_cli_args *a, const struct opt *o);

/* Parses "--format FMT" for commands without the other shared options:
 * 0, or EXIT_USAGE after printing a usage error. */
int metrics_cli_format(struct app *app, const char *cmd, const char *val,
                       enum result_format *fmt);

/* Loads the columns of fields into a column store: the context of
 * metrics_cli_prep_one, the callback an analysis's *_query_fields takes
 * (query_prepare_field for each field). */
struct metrics_cli_prep {
    struct colstore *cs;
    struct store *s;
    enum field_context ctx;
    struct err *err; /* where a failure is described */
};
int metrics_cli_prep_one(void *ctx, const struct field *f);

/* Frees a column store from metrics_cli_load*, or keeps it when its
 * snapshot is to be written after the answer (metrics_cli_write_due). */
void metrics_cli_release(struct app *app, struct colstore *cs);

/* At the very end of the process, after every byte of output: writes the
 * snapshot a load left due (app->snapshot_due), in a child process.
 * Returns 1 in the parent once the child has it: the caller must then
 * end the process with _exit, touching no more memory, because after a
 * fork every page the parent writes is copied for the child, at the cost
 * of a TLB shootdown each (freeing the 10M-response store and SQLite's
 * cache that way took 1.4 s on this VM, more than the write itself).
 * Returns 0 when there was nothing due or it was written here. */
int metrics_cli_write_due(struct app *app);

/* Checks the syntax of a filter expression (metrics_query_where) without a
 * database: unknown fields, bad dates and periods. Returns 0, or prints a
 * usage error for cmd and returns EXIT_USAGE. */
int metrics_cli_check_where(struct app *app, const char *cmd, const char *expr);

/* Opens the database and loads the column store with what q's fields
 * need (q may be NULL). *ms gets the load time. Returns 0, or prints the
 * error and returns its exit code. Caller ends with metrics_cli_release. */
int metrics_cli_load(struct app *app, struct colstore **cs,
                     const struct metrics_query *q, double *ms);
/* As metrics_cli_load, verifying only the snapshot columns q reads
 * (metrics and events, whose results come from the query alone). */
int metrics_cli_load_query(struct app *app, struct colstore **cs,
                           const struct metrics_query *q, double *ms);
/* Loads into cs what q's fields need. Returns 0 or prints the error. */
int metrics_cli_prepare(struct app *app, struct colstore *cs,
                        const struct metrics_query *q);

/* Milliseconds on a monotonic clock. */
double metrics_cli_now_ms(void);

/* The whole of a command that takes only shared options (metrics,
 * events): parses argv against specs, loads, runs the query over ctx's
 * rows and renders the result. Returns the exit code. */
int metrics_cli_run(struct app *app, const char *cmd,
                    const struct opt_spec *specs, enum field_context ctx,
                    int argc, char **argv);

/* Renders out as a's --format and --method ask, then the timing line on
 * stderr if --timing was given. Returns 0 or the exit code. */
int metrics_cli_render(struct app *app, const struct metrics_cli_args *a,
                       const struct result *out, const struct colstore *cs,
                       double load_ms, double query_ms);

/* Prints "timing: load ... ms (...), query ... ms" to app->err. */
void metrics_cli_timing(struct app *app, const struct colstore *cs,
                        double load_ms, double query_ms);
