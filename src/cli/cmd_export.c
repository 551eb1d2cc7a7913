#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli/cmd.h"
#include "core/err.h"
#include "report/export.h"
#include "store/store.h"

int cmd_export(struct app *app, int argc, char **argv)
{
    struct export_opts o = {EXPORT_CSV, 0};
    struct err err = ERR_INIT;
    const char *path = NULL;
    FILE *out = app->out;
    long rows = 0;
    int rc;

    if (argc < 2 || strcmp(argv[1], "responses") != 0)
        return cli_usage_error(app, "export",
                               "say what to export: 'export responses'");
    for (int i = 2; i < argc; i++) {
        if (!strcmp(argv[i], "--excel")) {
            o.excel = 1;
        } else if (!strcmp(argv[i], "--format") && i + 1 < argc) {
            const char *f = argv[++i];
            if (!strcmp(f, "csv"))
                o.format = EXPORT_CSV;
            else if (!strcmp(f, "jsonl"))
                o.format = EXPORT_JSONL;
            else
                return cli_usage_error(app, "export",
                                       "--format must be csv or jsonl, got "
                                       "'%s'",
                                       f);
        } else if (!strcmp(argv[i], "--out") && i + 1 < argc) {
            path = argv[++i];
        } else {
            return cli_usage_error(app, "export", "unknown option '%s'",
                                   argv[i]);
        }
    }
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
