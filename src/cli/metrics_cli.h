#pragma once
/* What the metrics, compare, summary and themes commands share: the
 * common options (--by --where --from --to --metric --min-n --format
 * --timing --method), declared once here on top of cli/opt.h, filter
 * checks before the database is opened, loading the column store with
 * its timing, and writing a result. Private to src/cli. */

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
    MOPT_OWN
};

/* The shared options' table entries; a command lists those it takes. */
#define MOPT_SPEC_BY                                                           \
    {                                                                          \
        "by", MOPT_BY, OPT_VALUE, 0, "DIM[,DIM...]",                           \
            "group by stage, touchpoint, channel, segment, kind, language, "   \
            "journey, sentiment, theme, day, week, month, quarter, year "      \
            "(at most 6)"                                                      \
    }
#define MOPT_SPEC_WHERE                                                        \
    {                                                                          \
        "where", MOPT_WHERE, OPT_VALUE, OPT_REPEAT, "DIM=V[,V...]",            \
            "filter (repeatable; values within one --where are alternatives, " \
            "separate --where all hold). Touchpoints, stages, journeys by "    \
            "key; periods as 2024-03-05, 2024-W10, 2024-03, 2024-Q1, 2024"     \
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
            "nps,csat,ces (default all three)"                                 \
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
    const char *where[METRICS_CLI_MAX_WHERE]; /* borrowed from argv */
    int n_where;
    int timing;
    int method;
};

void metrics_cli_args_init(struct metrics_cli_args *a);
void metrics_cli_args_dispose(struct metrics_cli_args *a);

/* Applies a shared option. Returns 1 if o was one of them and was
 * applied, 0 if o is not a shared option, or EXIT_USAGE after printing a
 * usage error. --where is syntax-checked here and resolved by
 * metrics_cli_resolve. */
int metrics_cli_common(struct app *app, const char *cmd,
                       struct metrics_cli_args *a, const struct opt *o);

/* Parses "--format FMT" for commands without the other shared options:
 * 0, or EXIT_USAGE after printing a usage error. */
int metrics_cli_format(struct app *app, const char *cmd, const char *val,
                       enum result_format *fmt);

/* After loading: adds the --where filters to q. Returns 0, or prints the
 * error and returns its exit code (EXIT_NOTFOUND for unknown values). */
int metrics_cli_resolve(struct app *app, struct metrics_cli_args *a,
                        const struct colstore *cs, struct metrics_query *q);

/* Checks the syntax of a filter expression (metrics_query_where) without a
 * database: unknown dimensions, bad dates and periods. Returns 0, or
 * prints a usage error for cmd and returns EXIT_USAGE. */
int metrics_cli_check_where(struct app *app, const char *cmd, const char *expr);

/* Opens the database and loads the column store. *ms gets the load time.
 * Returns 0, or prints the error and returns its exit code. Caller frees
 * *cs with colstore_free. */
int metrics_cli_load(struct app *app, struct colstore **cs, double *ms);

/* Milliseconds on a monotonic clock. */
double metrics_cli_now_ms(void);

/* Prints "timing: load ... ms (...), query ... ms" to app->err. */
void metrics_cli_timing(struct app *app, const struct colstore *cs,
                        double load_ms, double query_ms);
