#pragma once
/* One option parser for every command, table-driven (libgit2's cli_opt,
 * Redis's central arity check). A command declares its options once:
 *
 *   static const struct opt_spec opts[] = {
 *       {"format", O_FORMAT, OPT_VALUE, 0, "table|csv|json", "output"},
 *       {"where", O_WHERE, OPT_VALUE, OPT_REPEAT, "DIM=V", "filter"},
 *       {"timing", O_TIMING, OPT_FLAG, 0, NULL, "print timings"},
 *       OPT_END};
 *
 * and reads argv with opt_next, which hands back options and positional
 * arguments in order. The same table generates the options part of the
 * command's --help (opt_help), so help and parser cannot disagree.
 *
 * Rules, the same for every command: "--name value" and "--name=value"
 * both work; "--" ends the options (everything after it is positional,
 * as is a lone "-"); an unknown option, a missing value, a value given to
 * a flag or a second use of an option that is not OPT_REPEAT is an error
 * whose message names the option. A separate value may not begin with
 * "--" ("--by --format" is a missing value, not a dimension named
 * "--format"); write "--by=--x" to mean it. */

#include <stddef.h>

struct err;
struct strbuf;

enum opt_kind {
    OPT_FLAG, /* --name */
    OPT_VALUE /* --name VALUE or --name=VALUE */
};

#define OPT_REPEAT 0x1u /* may be given more than once */

struct opt_spec {
    const char *name; /* without the dashes: "by"; NULL ends a table */
    int id;           /* what opt_next reports: > 0 */
    enum opt_kind kind;
    unsigned flags;         /* OPT_REPEAT */
    const char *value_name; /* placeholder in help: "DIM[,DIM...]" */
    const char *help;       /* one sentence; opt_help wraps it */
};

#define OPT_END                                                                \
    {                                                                          \
        NULL, 0, OPT_FLAG, 0, NULL, NULL                                       \
    }
/* Most options one table may hold. */
#define OPT_MAX 64

/* The id opt_next reports for a positional argument. */
#define OPT_ARG 0

/* Embedded by value: opt_parser_init; nothing to free. */
struct opt_parser {
    const struct opt_spec *specs; /* borrowed */
    int argc;
    char **argv; /* borrowed */
    int i;       /* next argv index */
    int ended;   /* after "--" */
    unsigned char seen[OPT_MAX];
};

/* What opt_next found. */
struct opt {
    int id;                      /* the spec's id, or OPT_ARG */
    const struct opt_spec *spec; /* NULL for an argument */
    const char *value;           /* the option's value (NULL for a flag), or the
                                  * argument; borrowed from argv */
};

/* Reads argv[1..argc) (argv[0] is the command's name) against specs. */
void opt_parser_init(struct opt_parser *p, const struct opt_spec *specs,
                     int argc, char **argv);

/* Returns 1 with *o filled, 0 when argv is used up, or ERR_INVALID with
 * err's message saying what is wrong ("unknown option '--x'", "--by needs
 * a value", "--timing takes no value", "--format given twice"). */
int opt_next(struct opt_parser *p, struct opt *o, struct err *err);

/* Appends the help lines of specs: "  --name VALUE  help", help aligned
 * and wrapped to 79 columns. Returns 0 or strbuf's error. */
int opt_help(struct strbuf *out, const struct opt_spec *specs);

/* A whole decimal number in lo..hi. 0 or ERR_INVALID. */
int opt_parse_long(long *out, const char *s, long lo, long hi);
/* A finite decimal number. 0 or ERR_INVALID. */
int opt_parse_double(double *out, const char *s);

/* A titled group of options, for help generated from the tables; a
 * command lists one per subcommand. {NULL, NULL} ends a list. */
struct opt_section {
    const char *title; /* "options", "train options", ... */
    const struct opt_spec *specs;
};
