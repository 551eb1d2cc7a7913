/* resonans export responses: every response with its answers, as CSV or
 * JSON Lines (src/report/export.h streams them). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli/cmd.h"
#include "core/err.h"
#include "report/export.h"
#include "store/store.h"

enum { O_FORMAT = 1, O_EXCEL, O_OUT };

static const struct opt_spec specs[] = {
    {"format", O_FORMAT, OPT_VALUE, 0, "csv|jsonl",
     "CSV or JSON Lines (default csv)"},
    {"excel", O_EXCEL, OPT_FLAG, 0, NULL,
     "CSV for Swedish Excel: UTF-8 BOM, semicolons, decimal commas"},
    {"out", O_OUT, OPT_VALUE, 0, "FILE", "write to FILE, not stdout"},
    OPT_END};

const struct opt_section cmd_export_opts[] = {{"options", specs}, {NULL, NULL}};

int cmd_export(struct app *app, int argc, char **argv)
{
    struct export_opts o = {EXPORT_CSV, 0};
    struct err err = ERR_INIT;
    struct opt_parser p;
    struct opt op;
    const char *path = NULL, *what = NULL;
    FILE *out = app->out;
    long rows = 0;
    int rc, got;

    opt_parser_init(&p, specs, argc, argv);
    while ((got = cli_opt_next(app, "export", &p, &op)) > 0) {
        switch (op.id) {
        case OPT_ARG:
            if (what)
                return cli_usage_error(app, "export",
                                       "unexpected argument '%s'", op.value);
            what = op.value;
            break;
        case O_EXCEL:
            o.excel = 1;
            break;
        case O_OUT:
            path = op.value;
            break;
        case O_FORMAT:
            if (!strcmp(op.value, "csv"))
                o.format = EXPORT_CSV;
            else if (!strcmp(op.value, "jsonl"))
                o.format = EXPORT_JSONL;
            else
                return cli_usage_error(app, "export",
                                       "--format must be csv or jsonl, got "
                                       "'%s'",
                                       op.value);
            break;
        }
    }
    if (got < 0)
        return EXIT_USAGE;
    if (!what || strcmp(what, "responses") != 0)
        return cli_usage_error(app, "export",
                               "say what to export: 'export responses'");
    if (o.excel && o.format != EXPORT_CSV)
        return cli_usage_error(app, "export", "--excel is for CSV only");
    struct store *s = cli_store(app);
    if (!s)
        return EXIT_FAIL;
    if (path && !(out = fopen(path, "wb"))) {
        fprintf(app->err, "resonans: %s: cannot write: %s\n", path,
                strerror(errno));
        return EXIT_FAIL;
    }
    rc = export_responses(s, &o, out, &rows, &err);
    if (path && fclose(out) != 0 && rc == 0)
        rc = err_set(&err, ERR_IO, "%s: writing failed", path);
    if (rc < 0)
        return cli_error(app, &err);
    if (path)
        fprintf(app->err, "%s: %ld responses\n", path, rows);
    return EXIT_OK;
}
