#include "cli/cmd.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/err.h"
#include "store/store.h"

static const struct cmd cmds[] = {
    {"init", cmd_init, "Create or migrate the database",
     "usage: resonans init [--db PATH]\n"
     "\n"
     "Creates the database if it does not exist and migrates its schema to\n"
     "the current version. Safe to run again.\n"},
    {"journey", cmd_journey, "Load or show journeys, stages and touchpoints",
     "usage: resonans journey load FILE.json\n"
     "       resonans journey show [--format table|json]\n"
     "\n"
     "load  reads a journey definition (docs/import-formats.md) and upserts\n"
     "      its journeys, stages and touchpoints by key, all or nothing;\n"
     "      a touchpoint's aliases (other names imports may use) are\n"
     "      replaced by the ones in the file.\n"
     "show  lists journeys with their stages, touchpoints and aliases;\n"
     "      --format json prints a definition that loads again.\n"},
    {"import", cmd_import, "Import responses, customers or events",
     "usage: resonans import responses|customers|events FILE [options]\n"
     "\n"
     "Reads CSV (comma, semicolon or tab; BOM and decimal commas accepted)\n"
     "or JSON Lines. All or nothing: the first bad row is reported as\n"
     "FILE:LINE:COLUMN and nothing is imported. Rows whose id is already\n"
     "stored are skipped, so importing a file twice changes nothing. A row\n"
     "repeating an earlier one of the file is skipped too; the same id with\n"
     "other values is an error naming both lines.\n"
     "\n"
     "  --format csv|jsonl      override the guess from the file name\n"
     "  --delimiter C           CSV delimiter: , ; or tab (default: detect)\n"
     "  --map FROM=TO,...       rename columns; TO '-' ignores a column\n"
     "  --set NAME=VALUE,...    add a column with VALUE in every row, e.g.\n"
     "                          --set touchpoint=flight,channel=email; quote\n"
     "                          a value with a comma: --set 'note=\"a,b\"'\n"
     "  --na VALUE,...          treat these values as empty, e.g. N/A,NA,-\n"
     "                          (any case; comments are kept as written)\n"
     "  --update                customers: update known ones (attributes\n"
     "                          merged, segment changes kept as history)\n"
     "  --as-of DATE|TIMESTAMP  with --update: when the changes took effect\n"
     "                          (default: now)\n"
     "  --skip-bad REJECTS.csv  import good rows, write bad ones with reasons\n"
     "  --quiet                 no progress bar\n"
     "  --taxonomy FILE         find themes with the built-in taxonomy plus\n"
     "                          FILE (default: the one 'themes load' saved)\n"
     "  --no-analysis           store no language, sentiment or themes\n"
     "                          (personal data is still redacted)\n"
     "\n"
     "Comments are analysed as they are imported: personal data (e-mail,\n"
     "phone, personnummer, card numbers, addresses) is replaced before the\n"
     "text is stored, always, and so in attr: and choice: values; language,\n"
     "sentiment and themes are stored beside it (docs/text-analytics.md).\n"
     "\n"
     "Columns are documented in docs/import-formats.md.\n"},
    {"metrics", cmd_metrics, "NPS, CSAT, CES with n and 95% CI, grouped",
     "usage: resonans metrics [options]\n"
     "\n"
     "  --by DIM[,DIM...]     group by stage, touchpoint, channel, segment,\n"
     "                        kind, language, journey, sentiment, theme,\n"
     "                        day, week, month, quarter, year (at most 6)\n"
     "  --where DIM=V[,V...]  filter (repeatable; values within one --where\n"
     "                        are alternatives, separate --where all hold).\n"
     "                        Touchpoints, stages, journeys by key; periods\n"
     "                        as 2024-03-05, 2024-W10, 2024-03, 2024-Q1, 2024\n"
     "  --from DATE --to DATE date range, inclusive (YYYY-MM-DD, local time)\n"
     "  --metric LIST         nps,csat,ces (default all three)\n"
     "  --min-n N             flag figures under N answers (default 30)\n"
     "  --format table|csv|json  (default table)\n"
     "  --timing              print load and query time to stderr\n"
     "\n"
     "Every figure carries its n; '*' marks n under the minimum. Periods\n"
     "are in the customer's local time; weeks are ISO weeks. The method is\n"
     "in docs/metrics.md. sentiment is the comment's label (negative,\n"
     "neutral, positive, mixed, or (none) without a comment); theme counts\n"
     "a response in every theme its comment mentions, and only responses\n"
     "with a theme (docs/text-analytics.md).\n"},
    {"compare", cmd_compare, "Test a change between two periods or groups",
     "usage: resonans compare --a FILTER --b FILTER [options]\n"
     "\n"
     "FILTER is DIM=V[,V][;DIM=V...], a date range FROM..TO\n"
     "(YYYY-MM-DD..YYYY-MM-DD), or both joined by ';'. Prints both groups\n"
     "with n and CI, the difference B - A with its 95% CI, the test and the\n"
     "p-value. NPS uses a z test on the trinomial variances; CSAT and CES\n"
     "means use Welch's t test; top-two-box and 'easy' shares a z test.\n"
     "\n"
     "  --where DIM=V[,V...]  restrict both groups (repeatable)\n"
     "  --from DATE --to DATE restrict both groups to a date range\n"
     "  --metric LIST         nps,csat,ces (default all three)\n"
     "  --min-n N             flag groups under N answers (default 30)\n"
     "  --format table|csv|json  (default table)\n"
     "  --timing              print load and query time to stderr\n"},
    {"summary", cmd_summary, "Overview: counts, headline metrics, by stage",
     "usage: resonans summary [--format table|json] [--min-n N] [--timing]\n"
     "\n"
     "Counts of customers, responses, events and touchpoints, the headline\n"
     "NPS, CSAT and CES with n and 95% CI, and NPS by journey stage.\n"},
    {"export", cmd_export, "Export responses as CSV or JSON Lines",
     "usage: resonans export responses [--format csv|jsonl] [--excel]\n"
     "                                 [--out FILE]\n"
     "\n"
     "  --excel  CSV for Swedish Excel: UTF-8 BOM, semicolons, decimal "
     "commas\n"},
    {"text", cmd_text, "Analyse comments: language, sentiment, themes",
     "usage: resonans text analyze [FILE] [--model MODEL] [--lang sv|en]\n"
     "       resonans text eval FILE.tsv [--model MODEL] [--lang sv|en]\n"
     "       resonans text train --labelled FILE.tsv --out MODEL [options]\n"
     "\n"
     "analyze  reads one comment per line (stdin or FILE) and writes JSON\n"
     "         Lines: the text, its language with a confidence, the\n"
     "         sentiment score (-1..1), label (positive, negative, neutral,\n"
     "         mixed) and the explanation: each word, phrase or emoji that\n"
     "         moved the score, with the rules applied to it. Lines that\n"
     "         are not UTF-8 get an error object; the exit code is then 3.\n"
     "eval     scores a labelled file (pos, neg or neu, a TAB, the text)\n"
     "         and prints accuracy (with only pos and neg, a zero score\n"
     "         counts as wrong), macro-F1, the majority-class rate, the\n"
     "         confusion matrix, coverage (texts with a lexicon hit) and\n"
     "         comments/s.\n"
     "train    fits a model on a labelled file (or on stored comments with\n"
     "         weak labels) for --model; see docs/text-model.md.\n"
     "\n"
     "  --model MODEL  combine the lexicon with a trained model\n"
     "  --lang sv|en   score every comment in this language instead of\n"
     "                 the one detected (Norwegian and Danish are scored\n"
     "                 with the Swedish lexicon)\n"},
    {"themes", cmd_themes, "Themes in comments, emerging issues, discovery",
     "usage: resonans themes [--by PERIOD] [--where DIM=V[,V]] [--from D]\n"
     "                       [--to D] [--min-n N] [--format table|csv|json]\n"
     "       resonans themes --emerging [--by PERIOD] [--alpha A]\n"
     "                       [--window K] [--where ...]\n"
     "       resonans themes --discover [--where touchpoint=KEY] [--from D]\n"
     "                       [--to D] [--limit N] [--min-comments N]\n"
     "       resonans themes load FILE [--replace]\n"
     "       resonans themes show [--format table|json]\n"
     "       resonans themes reset\n"
     "\n"
     "Without a subcommand: each theme's mentions, the share of analysed\n"
     "comments that mention it and the share of its mentions that are\n"
     "negative/positive, with n; --by day|week|month|quarter|year per\n"
     "period. A comment may mention several themes; a sub-theme (a/b) also\n"
     "counts for its parent. --where takes the metrics filters (touchpoint,\n"
     "channel, segment, sentiment, ...; theme= limits the themes shown).\n"
     "\n"
     "--emerging   theme-periods whose share of comments rose beyond the\n"
     "             previous K periods (default 6, by month): an exact\n"
     "             conditional binomial test and a quasi-binomial t test\n"
     "             must both reject, Holm-adjusted over themes per period\n"
     "             at --alpha (default 0.01), with at least 5 mentions.\n"
     "--discover   candidate themes among comments that matched none:\n"
     "             collocations (log-likelihood) grouped by shared stems,\n"
     "             with example comments and a ready taxonomy line.\n"
     "load         saves a taxonomy (data/text/README-themes.md) that\n"
     "             extends the built-in one (--replace: replaces it) for\n"
     "             comments imported from then on; show lists the themes\n"
     "             in force; reset goes back to the built-in taxonomy.\n"
     "\n"
     "The method and its measured false-alarm rate: docs/text-analytics.md.\n"},
    {"verbatims", cmd_verbatims, "Read the comments behind the numbers",
     "usage: resonans verbatims [--touchpoint KEY] [--theme KEY]\n"
     "                          [--sentiment negative|neutral|positive|mixed]\n"
     "                          [--from DATE] [--to DATE] [--limit N]\n"
     "                          [--format text|json]\n"
     "\n"
     "Comments newest first (default 20), as stored: personal data already\n"
     "redacted. Each shows its sentiment score and label, the words that\n"
     "moved it and the rules that changed them, its themes with their\n"
     "sentiment, and the kinds of personal data that were replaced.\n"},
    {"demo", cmd_demo, "Generate the demo data set",
     "usage: resonans demo generate DIR [--seed N] [--customers N]\n"
     "                                  [--responses N] [--months N]\n"
     "                                  [--comments SHARE] [--no-events]\n"
     "\n"
     "Writes journey.json, customers.csv, responses.csv and events.csv for a\n"
     "Swedish rental-housing company, with planted effects documented in\n"
     "docs/demo-data.md. DIR is created if missing. The same seed and\n"
     "options give byte-identical files.\n"
     "\n"
     "  --seed N           random seed (default 1)\n"
     "  --customers N      tenants and applicants (default 20000)\n"
     "  --responses N      survey responses (default 200000)\n"
     "  --months N         months of data, ending 2026-10 (default 24)\n"
     "  --comments SHARE   share of responses with a comment, 0..1\n"
     "                     (default 0.25)\n"
     "  --no-events        do not write events.csv; the other files are\n"
     "                     unchanged\n"},
};

#define N_CMDS (sizeof cmds / sizeof cmds[0])

const struct cmd *cli_find(const char *name)
{
    for (size_t i = 0; i < N_CMDS; i++)
        if (!strcmp(cmds[i].name, name))
            return &cmds[i];
    return NULL;
}

int cli_exit_code(int code)
{
    switch (code) {
    case ERR_OK: return EXIT_OK;
    case ERR_INVALID:
    case ERR_CONFLICT: return EXIT_DATA;
    case ERR_NOTFOUND: return EXIT_NOTFOUND;
    default: return EXIT_FAIL;
    }
}

int cli_error(struct app *app, const struct err *err)
{
    if (err->where[0])
        fprintf(app->err, "resonans: %s: %s\n", err->where, err->msg);
    else
        fprintf(app->err, "resonans: %s\n", err->msg);
    return cli_exit_code(err->code);
}

int cli_usage_error(struct app *app, const char *cmd, const char *fmt, ...)
{
    va_list ap;
    fprintf(app->err, "resonans %s: ", cmd);
    va_start(ap, fmt);
    vfprintf(app->err, fmt, ap);
    va_end(ap);
    fprintf(app->err, "\n(see 'resonans %s --help')\n", cmd);
    return EXIT_USAGE;
}

int cli_wants_help(struct app *app, const struct cmd *c, int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--"))
            break;
        if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
            fputs(c->usage, app->out);
            return 1;
        }
    }
    return 0;
}

struct store *cli_store(struct app *app)
{
    struct err err = ERR_INIT;
    if (!app->store && store_open(&app->store, app->db_path, &err) < 0) {
        cli_error(app, &err);
        app->store = NULL;
    }
    return app->store;
}

static void print_help(struct app *app)
{
    fputs("usage: resonans [--db PATH] COMMAND [options]\n"
          "\n"
          "Resonans: customer experience management. Hear customers at every\n"
          "touchpoint, measure with honest statistics, see where it hurts.\n"
          "\n"
          "commands:\n",
          app->out);
    for (size_t i = 0; i < N_CMDS; i++)
        fprintf(app->out, "  %-10s %s\n", cmds[i].name, cmds[i].summary);
    fputs("\n"
          "  --db PATH   database file (default: $RESONANS_DB or resonans.db)\n"
          "  --version   print the version\n"
          "\n"
          "'resonans COMMAND --help' describes a command. Exit codes: 0 ok,\n"
          "1 failure, 2 usage error, 3 input rejected, 4 not found.\n",
          app->out);
}

/* Removes "--db PATH" / "--db=PATH" anywhere in argv, so it works before
 * or after the command name. Returns the new argc, or -1 if --db lacks a
 * value. */
static int take_db_option(struct app *app, int argc, char **argv)
{
    int j = 0;
    for (int i = 0; i < argc; i++) {
        if (!strcmp(argv[i], "--")) {
            while (i < argc)
                argv[j++] = argv[i++];
            break;
        }
        if (!strcmp(argv[i], "--db")) {
            if (i + 1 >= argc)
                return -1;
            app->db_path = argv[++i];
        } else if (!strncmp(argv[i], "--db=", 5)) {
            app->db_path = argv[i] + 5;
        } else {
            argv[j++] = argv[i];
        }
    }
    argv[j] = NULL;
    return j;
}

int cli_main(struct app *app, int argc, char **argv)
{
    const char *env = getenv("RESONANS_DB");
    if (!app->db_path)
        app->db_path = env && *env ? env : "resonans.db";
    argc = take_db_option(app, argc, argv);
    if (argc < 0) {
        fputs("resonans: --db needs a path\n", app->err);
        return EXIT_USAGE;
    }
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
        !strcmp(argv[1], "help")) {
        if (argc >= 3 && cli_find(argv[2])) {
            fputs(cli_find(argv[2])->usage, app->out);
            return EXIT_OK;
        }
        print_help(app);
        return argc < 2 ? EXIT_USAGE : EXIT_OK;
    }
    if (!strcmp(argv[1], "--version")) {
        fputs("resonans 0.1.0\n", app->out);
        return EXIT_OK;
    }
    const struct cmd *c = cli_find(argv[1]);
    if (!c) {
        fprintf(app->err,
                "resonans: unknown command '%s' (see 'resonans --help')\n",
                argv[1]);
        return EXIT_USAGE;
    }
    if (cli_wants_help(app, c, argc - 1, argv + 1))
        return EXIT_OK;
    return c->fn(app, argc - 1, argv + 1);
}
