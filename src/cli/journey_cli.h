#pragma once
/* What the journey commands (cmd_journey_paths.c, cmd_journey_map.c)
 * share: how cases are made from the options, and loading the events
 * they read. */

#include <stdint.h>

struct app;
struct colstore;
struct err;
struct metrics_query;
struct opt;

/* --case NAME, --gap Nd, --by LEVEL as given (level -1: not given). */
struct journey_cli_cases {
    const char *case_col;
    int64_t gap;
    int level;
};

#define JOURNEY_CLI_CASES_INIT                                                 \
    {                                                                          \
        NULL, 0, -1                                                            \
    }

/* Applies o when its spec is named case, gap or by: 1 if applied, 0 if o
 * is another option, EXIT_USAGE after printing a usage error for cmd. */
int journey_cli_case_option(struct app *app, const char *cmd,
                            struct journey_cli_cases *c, const struct opt *o);

/* 0, or EXIT_USAGE after printing why --case and --gap do not go
 * together. */
int journey_cli_check(struct app *app, const char *cmd,
                      const struct journey_cli_cases *c);

/* Loads the events and the case column into cs and sets *mask to the
 * event rows q lets through (caller frees). Returns 0 or the error in
 * err. */
int journey_cli_load(struct app *app, struct colstore *cs,
                     const struct journey_cli_cases *c,
                     const struct metrics_query *q, uint8_t **mask,
                     struct err *err);
