#pragma once
/* What the metrics, compare and summary commands share: option reading,
 * filter checks before the database is opened, and loading the column
 * store with its timing. Private to src/cli. */

#include "report/metrics_report.h"
#include "stats/metrics.h"

struct app;
struct colstore;

#define METRICS_CLI_MAX_WHERE 32

/* Options common to the three commands. */
struct metrics_cli_args {
    struct metrics_query q;
    enum metrics_report_format fmt;
    int timing;
};

void metrics_cli_args_init(struct metrics_cli_args *a);
void metrics_cli_args_dispose(struct metrics_cli_args *a);

/* Reads the option at argv[*i]: "--name VALUE", "--name=VALUE", or a
 * flag. names lists the options that take a value, flags those that do
 * not (both NULL-terminated). Returns 1 with *name and *val set (*val NULL
 * for a flag, *i advanced past a separate value), or prints a usage error
 * (unknown argument, missing value) and returns -EXIT_USAGE. */
int metrics_cli_next(struct app *app, const char *cmd, int argc, char **argv,
                     int *i, const char *const *names, const char *const *flags,
                     const char **name, const char **val);

/* Applies one of --by --where --bins --from --to --metric --min-n
 * --format --timing. Returns 1 if name was one of them and was applied, 0
 * if name is not a common option, or EXIT_USAGE after printing a usage
 * error. Values are resolved when the query runs. */
int metrics_cli_common(struct app *app, const char *cmd,
                       struct metrics_cli_args *a, const char *name,
                       const char *val);

/* Checks the syntax of a filter expression (metrics_query_where) without a
 * database: unknown dimensions, bad dates and periods. Returns 0, or
 * prints a usage error for cmd and returns EXIT_USAGE. */
int metrics_cli_check_where(struct app *app, const char *cmd, const char *expr);

/* Opens the database and loads the column store with what q's fields
 * need (q may be NULL). *ms gets the load time. Returns 0, or prints the
 * error and returns its exit code. Caller frees *cs with colstore_free. */
int metrics_cli_load(struct app *app, struct colstore **cs,
                     const struct metrics_query *q, double *ms);
/* Loads into cs what q's fields need. Returns 0 or prints the error. */
int metrics_cli_prepare(struct app *app, struct colstore *cs,
                        const struct metrics_query *q);

/* Milliseconds on a monotonic clock. */
double metrics_cli_now_ms(void);

/* Prints "timing: load ... ms (...), query ... ms" to app->err. */
void metrics_cli_timing(struct app *app, const struct colstore *cs,
                        double load_ms, double query_ms);
