/* resonans journey load FILE | journey show [--format table|json] */
#include "cli/cmd.h"

#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/mapfile.h"
#include "ingest/journey_def.h"
#include "report/journey_report.h"
#include "report/result.h"

static int load(struct app *app, const char *file)
{
    struct err err = ERR_INIT;
    struct mapfile mf = MAPFILE_INIT;
    struct journey_def *d = NULL;
    struct store *s;
    size_t nj, ns, nt;
    int rc = EXIT_OK;

    if (!(s = cli_store(app)))
        return EXIT_FAIL;
    if (mapfile_open(&mf, file, &err) < 0 ||
        journey_def_parse(&d, mf.p, mf.n, file, &err) < 0 ||
        journey_def_save(d, s, &err) < 0) {
        rc = cli_error(app, &err);
        goto done;
    }
    journey_def_sizes(d, &nj, &ns, &nt);
    fprintf(app->out,
            "%s: %zu journey%s, %zu stage%s, %zu touchpoint%s loaded\n", file,
            nj, nj == 1 ? "" : "s", ns, ns == 1 ? "" : "s", nt,
            nt == 1 ? "" : "s");
done:
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
        return EXIT_FAIL;
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

enum { O_FORMAT = 1 };

static const struct opt_spec specs[] = {
    {"format", O_FORMAT, OPT_VALUE, 0, "FMT",
     "show: table (default), csv, or json, the definition as 'journey load' "
     "reads it (so it can be edited and loaded again)"},
    OPT_END};

const struct opt_section cmd_journey_opts[] = {{"options", specs},
                                               {NULL, NULL}};

int cmd_journey(struct app *app, int argc, char **argv)
{
    struct opt_parser p;
    struct opt o;
    const char *sub = NULL, *file = NULL, *format = NULL;
    enum result_format fmt = RESULT_FORMAT_TABLE;
    int got;

    opt_parser_init(&p, specs, argc, argv);
    while ((got = cli_opt_next(app, "journey", &p, &o)) > 0) {
        if (o.id == O_FORMAT) {
            format = o.value;
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
        return cli_usage_error(app, "journey", "expected load FILE or show");
    if (!strcmp(sub, "load")) {
        if (!file)
            return cli_usage_error(app, "journey",
                                   "journey load takes one FILE");
        if (format)
            return cli_usage_error(app, "journey",
                                   "--format is for journey show");
        return load(app, file);
    }
    if (strcmp(sub, "show"))
        return cli_usage_error(app, "journey", "unknown subcommand '%s'", sub);
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
