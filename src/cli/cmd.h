#pragma once
/* The command table's contract. Each command is a cmd_<name> function in
 * its own cmd_<name>.c; src/cli/cli.c holds the table, generates --help
 * and maps errors to exit codes. A command parses its options with
 * cli/opt.h, calls the library and a src/report builder, and renders the
 * result it gets (cli_render) in the format the user chose; errors go
 * through cli_error to app->err. The library below never prints. */

#include <stdint.h>
#include <stdio.h>

#include "cli/opt.h"
#include "report/result.h"

struct err;
struct store;
struct colstore;

/* Exit codes, documented in README.md and every --help. */
enum exit_code {
    EXIT_OK = 0,
    EXIT_FAIL = 1,    /* database, i/o or internal failure */
    EXIT_USAGE = 2,   /* bad command line */
    EXIT_DATA = 3,    /* input data rejected (nothing was changed) */
    EXIT_NOTFOUND = 4 /* a named thing does not exist */
};

/* What a command runs with: no globals (STYLE 11). */
struct app {
    const char *db_path; /* --db, RESONANS_DB, or "resonans.db" */
    struct store *store; /* opened on first cli_store() call */
    int db_create;       /* 1: cli_store may create the database (init,
                          * import, journey load, themes load); else a
                          * missing one is "no database at PATH" */
    int store_exit;      /* the exit code for cli_store's last NULL */
    int load_source;     /* enum colstore_source of the last load */
    size_t load_added;   /* rows the last load read beyond a snapshot */
    struct snapshot_due *snapshot_due; /* to write after the answer
                                        * (metrics_cli.h), or NULL */
    /* The server's column store, kept in memory and appended to: when
     * set, commands query it instead of opening one, and never free it
     * (the caller holds its lock for the command). */
    struct colstore *resident;
    const char *actor; /* who the audit log names; NULL = $USER */
    FILE *out;
    FILE *err;
    int out_is_tty;
    int err_is_tty;
};

/* A command gets argv[0] = its name and its own options after it. */
typedef int (*cmd_fn)(struct app *app, int argc, char **argv);

/* Command flags. */
#define CMD_CREATES_DB 0x1u /* every use may create the database */

struct cmd {
    const char *name;
    cmd_fn fn;
    const char *summary;
    const char *usage; /* --help text: synopsis and description; the
                        * options part is generated (cli.c, cmd_opts) */
    unsigned flags;    /* CMD_* */
};

/* Opens the database on first use. A command that only reads must not
 * create one where a mistyped --db points: unless app->db_create is set
 * (by CMD_CREATES_DB or by a subcommand that writes), a database file
 * that does not exist is the error "no database at PATH", exit
 * EXIT_NOTFOUND, and nothing is created. Returns NULL after printing the
 * error; app->store_exit then holds the exit code to return. */
struct store *cli_store(struct app *app);

/* Prints "resonans: <where>: <msg>" and returns the exit code for err.
 * err's text often quotes data (a value from a file), so control
 * characters in it are shown escaped (core/escape.h), never written. */
int cli_error(struct app *app, const struct err *err);
/* Prints one line to f: the formatted text with control characters shown
 * escaped, as cli_error does, then a newline. For messages that quote a
 * file name, a value or an argument. */
void cli_say(FILE *f, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Prints "resonans <cmd>: <msg>" plus a hint to --help; returns EXIT_USAGE. */
int cli_usage_error(struct app *app, const char *cmd, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Maps an enum err_code to an enum exit_code. */
int cli_exit_code(int err_code);
/* opt_next for command cmd: returns 1 with *o, 0 at the end, or -1
 * after printing the usage error (the caller returns EXIT_USAGE). */
int cli_opt_next(struct app *app, const char *cmd, struct opt_parser *p,
                 struct opt *o);
/* Renders r in format f (flags: RESULT_RENDER_*) to app->out. Returns 0,
 * or prints the error and returns its exit code. */
int cli_render(struct app *app, const struct result *r, enum result_format f,
               unsigned flags);
/* Who the audit log names for this command: app->actor, else the OS
 * user. */
const char *cli_actor(const struct app *app);
/* Renders r in the --format named (NULL = table) and frees it; a bad
 * name is a usage error of cmd. Returns the exit code. */
int cli_render_owned(struct app *app, const char *cmd, struct result *r,
                     const char *format);
/* Prints the command's usage text if argv has -h/--help; returns 1 then. */
int cli_wants_help(struct app *app, const struct cmd *c, int argc, char **argv);
const struct cmd *cli_find(const char *name);

/* Runs the CLI on argv (argv[0] = program name). Returns an exit code. */
int cli_main(struct app *app, int argc, char **argv);

int cmd_init(struct app *app, int argc, char **argv);
/* After a command that wrote a big log (an import): hands the copy of
 * the log into the database file to a detached `resonans init
 * --checkpoint`, so the command can exit as soon as its commit is
 * durable (docs/store.md, "Checkpoints"). Waits only until that process
 * has the database open. RESONANS_CHECKPOINT=background|wait: whatever
 * the log's size, or never. */
void cli_checkpoint_later(struct app *app);
int cmd_import(struct app *app, int argc, char **argv);
int cmd_journey(struct app *app, int argc, char **argv);
int cmd_customer(struct app *app, int argc, char **argv);
/* resonans serve (cmd_serve.c). */
int cmd_serve(struct app *app, int argc, char **argv);
extern const struct opt_section cmd_serve_opts[];
/* The closed loop (docs/closed-loop.md): cases (cmd_cases.c), the loop
 * document and the outbox (cmd_rules.c). */
int cmd_cases(struct app *app, int argc, char **argv);
int cmd_rules(struct app *app, int argc, char **argv);
int cmd_notifications(struct app *app, int argc, char **argv);
extern const struct opt_section cmd_cases_opts[];
extern const struct opt_section cmd_rules_opts[];
extern const struct opt_section cmd_notifications_opts[];
/* Users and API tokens (cmd_user.c). */
int cmd_user(struct app *app, int argc, char **argv);
extern const struct opt_section cmd_user_opts[];
/* journey variants|paths|funnel|conformance|moments; argv[0] is the
 * subcommand. */
int cmd_journey_paths(struct app *app, const char *sub, int argc, char **argv);
/* journey map; argv[0] is "map". */
int cmd_journey_map(struct app *app, int argc, char **argv);
int cmd_metrics(struct app *app, int argc, char **argv);
int cmd_events(struct app *app, int argc, char **argv);
int cmd_compare(struct app *app, int argc, char **argv);
int cmd_summary(struct app *app, int argc, char **argv);
int cmd_export(struct app *app, int argc, char **argv);
int cmd_demo(struct app *app, int argc, char **argv);
int cmd_text(struct app *app, int argc, char **argv);
int cmd_themes(struct app *app, int argc, char **argv);
/* The weekly digest (cmd_digest.c, report/digest.h). */
int cmd_digest(struct app *app, int argc, char **argv);
extern const struct opt_section cmd_digest_opts[];
int cmd_verbatims(struct app *app, int argc, char **argv);
/* Expectation-perception gaps (cmd_gap.c) and operations against
 * experience (cmd_link.c), with their option tables. */
int cmd_gap(struct app *app, int argc, char **argv);
int cmd_link(struct app *app, int argc, char **argv);
extern const struct opt_section cmd_gap_opts[];
extern const struct opt_section cmd_link_opts[];
/* `drivers` and `priorities`, in cmd_drivers.c. */
int cmd_drivers(struct app *app, int argc, char **argv);
int cmd_priorities(struct app *app, int argc, char **argv);
extern const struct opt_section cmd_drivers_opts[];
extern const struct opt_section cmd_priorities_opts[];
/* Personas from data (cmd_personas.c). */
int cmd_personas(struct app *app, int argc, char **argv);
extern const struct opt_section cmd_personas_opts[];
/* Sense-making patterns of triads and dyads (cmd_patterns.c). */
int cmd_patterns(struct app *app, int argc, char **argv);
extern const struct opt_section cmd_patterns_opts[];
/* The id of a touchpoint key; prints "no touchpoint" and returns
 * EXIT_NOTFOUND if there is none (cmd_themes.c). */
int cli_touchpoint_id(struct app *app, const char *cmd, const char *key,
                      int64_t *id);

/* `text train`, in cmd_text_train.c; cmd_text dispatches to it. */
int cmd_text_train(struct app *app, int argc, char **argv);

/* Each command's option tables (in its cmd_<name>.c), for the table in
 * cli.c to generate --help from. */
extern const struct opt_section cmd_init_opts[];
extern const struct opt_section cmd_metrics_opts[];
extern const struct opt_section cmd_import_opts[];
extern const struct opt_section cmd_journey_opts[];
extern const struct opt_section cmd_customer_opts[];
extern const struct opt_spec cmd_journey_paths_specs[];
extern const struct opt_spec cmd_journey_map_specs[];
extern const struct opt_section cmd_events_opts[];
extern const struct opt_section cmd_compare_opts[];
extern const struct opt_section cmd_summary_opts[];
extern const struct opt_section cmd_export_opts[];
extern const struct opt_section cmd_demo_opts[];
extern const struct opt_section cmd_text_opts[];
extern const struct opt_section cmd_themes_opts[];
extern const struct opt_section cmd_verbatims_opts[];
/* The option table of `text train` (cmd_text_train.c). */
extern const struct opt_spec cmd_text_train_specs[];
