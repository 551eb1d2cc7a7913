/* resonans journey load FILE [--move] | journey show [--format table|json] */
#include "cli/cmd.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/mapfile.h"
#include "ingest/journey_def.h"
#include "report/journey_report.h"
#include "report/result.h"

static int load(struct app *app, const char *file, int move)
{
    struct err err = ERR_INIT;
    struct mapfile mf = MAPFILE_INIT;
    struct journey_def *d = NULL;
    struct journey_def_moves moves = JOURNEY_DEF_MOVES_INIT;
    struct store *s;
    size_t nj, ns, nt;
    int rc = EXIT_OK;

    app->db_create = 1; /* the journeys come first into a new database */
    if (!(s = cli_store(app)))
        return app->store_exit;
    if (mapfile_open(&mf, file, &err) < 0 ||
        journey_def_parse(&d, mf.p, mf.n, file, &err) < 0 ||
        journey_def_apply(d, s, move ? JOURNEY_DEF_MOVE : 0, &moves, &err) <
            0) {
        if (err.code == ERR_CONFLICT && moves.n && !err.where[0])
            snprintf(err.where, sizeof err.where, "%s", file);
        rc = cli_error(app, &err);
        if (err.code == ERR_CONFLICT && moves.n)
            cli_say(app->err,
                    "resonans: nothing was changed; 'resonans journey load "
                    "--move %s' moves %s, with %s responses",
                    file, moves.n == 1 ? "it" : "them",
                    moves.n == 1 ? "its" : "their");
        goto done;
    }
    for (size_t i = 0; i < moves.n; i++)
        cli_say(app->out,
                "touchpoint %s moved from journey %s to journey %s (%lld "
                "response%s)",
                moves.v[i].touchpoint, moves.v[i].from, moves.v[i].to,
                (long long)moves.v[i].responses,
                moves.v[i].responses == 1 ? "" : "s");
    journey_def_sizes(d, &nj, &ns, &nt);
    cli_say(app->out, "%s: %zu journey%s, %zu stage%s, %zu touchpoint%s loaded",
            file, nj, nj == 1 ? "" : "s", ns, ns == 1 ? "" : "s", nt,
            nt == 1 ? "" : "s");
done:
    journey_def_moves_dispose(&moves);
    journey_def_free(d);
    mapfile_close(&mf);
    return rc;
}

static int show(struct app *app, enum result_format fmt, int definition)
{
    struct err err = ERR_INIT;
    struct journey_def *d = NULL;
    struct store *s;
    int rc;
    if (!(s = cli_store(app)))
        return app->store_exit;
    if (journey_def_read(&d, s, &err) < 0)
        return cli_error(app, &err);
    if (definition) {
        /* The definition's own JSON, which journey load reads back. */
        char *text = journey_def_to_json(d);
        fputs(text, app->out);
        free(text);
        rc = EXIT_OK;
    } else {
        struct result *r = journey_report_build(d);
        rc = cli_render(app, r, fmt, 0);
        result_free(r);
    }
    journey_def_free(d);
    return rc;
}

enum { O_FORMAT = 1, O_MOVE };

static const struct opt_spec specs[] = {
    {"format", O_FORMAT, OPT_VALUE, 0, "FMT",
     "show: table (default), csv, or json, the definition as 'journey load' "
     "reads it (so it can be edited and loaded again)"},
    {"move", O_MOVE, OPT_FLAG, 0, NULL,
     "load: let a touchpoint stored under another journey move to the one "
     "the file names, with its responses (refused without it)"},
    OPT_END};

const struct opt_section cmd_journey_opts[] = {
    {"load and show options", specs},
    {"analysis options (variants, paths, funnel, conformance, moments)",
     cmd_journey_paths_specs},
    {"map options", cmd_journey_map_specs},
    {NULL, NULL}};

static int is_analysis(const char *s)
{
    static const char *const subs[] = {"variants", "paths", "funnel",
                                       "conformance", "moments"};
    for (size_t i = 0; i < sizeof subs / sizeof subs[0]; i++)
        if (!strcmp(s, subs[i]))
            return 1;
    return 0;
}

int cmd_journey(struct app *app, int argc, char **argv)
{
    struct opt_parser p;
    struct opt o;
    const char *sub = NULL, *file = NULL, *format = NULL;
    enum result_format fmt = RESULT_FORMAT_TABLE;
    int got, move = 0;

    /* The analyses take their own options: hand them the rest. */
    for (int i = 1; i < argc; i++) {
        if (argv[i][0] == '-')
            continue;
        if (!strcmp(argv[i], "map"))
            return cmd_journey_map(app, argc - i, argv + i);
        if (is_analysis(argv[i]))
            return cmd_journey_paths(app, argv[i], argc - i, argv + i);
        break;
    }
    opt_parser_init(&p, specs, argc, argv);
    while ((got = cli_opt_next(app, "journey", &p, &o)) > 0) {
        if (o.id == O_FORMAT) {
            format = o.value;
        } else if (o.id == O_MOVE) {
            move = 1;
        } else if (!sub) {
            sub = o.value;
        } else if (!file && !strcmp(sub, "load")) {
            file = o.value;
        } else {
            return cli_usage_error(app, "journey", "unexpected argument '%s'",
                                   o.value);
        }
    }
    if (got < 0)
        return EXIT_USAGE;
    if (!sub)
        return cli_usage_error(app, "journey",
                               "expected load FILE, show, variants, paths, "
                               "funnel, conformance, moments or map");
    if (!strcmp(sub, "load")) {
        if (!file)
            return cli_usage_error(app, "journey",
                                   "journey load takes one FILE");
        if (format)
            return cli_usage_error(app, "journey",
                                   "--format is for journey show");
        return load(app, file, move);
    }
    if (strcmp(sub, "show") != 0)
        return cli_usage_error(app, "journey", "unknown subcommand '%s'", sub);
    if (move)
        return cli_usage_error(app, "journey", "--move is for journey load");
    if (format && !strcmp(format, "json"))
        return show(app, fmt, 1);
    if (format &&
        (result_format_parse(&fmt, format) < 0 || fmt == RESULT_FORMAT_JSON))
        return cli_usage_error(app, "journey",
                               "--format must be table, csv, jsonl or json, "
                               "got '%s'",
                               format);
    return show(app, fmt, 0);
}
