/* resonans export responses: every response with its answers, as CSV or
 * JSON Lines (src/report/export.h streams them). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cmd.h"
#include "cli/metrics_cli.h"
#include "colstore/colstore.h"
#include "core/err.h"
#include "query/qfield.h"
#include "report/export.h"
#include "store/store.h"

enum { O_FORMAT = MOPT_OWN, O_EXCEL, O_OUT };

static const struct opt_spec specs[] = {
    {"format", O_FORMAT, OPT_VALUE, 0, "csv|jsonl",
     "CSV or JSON Lines (default csv)"},
    MOPT_SPEC_WHERE,
    {"by", MOPT_BY, OPT_VALUE, 0, "FIELD[,FIELD...]",
     "add a column with each field's value (customer.district, nps_group, "
     "event.fault_report.resolution_hours, ...): for analysis; importing "
     "the file again needs --map 'FIELD=-'; a field named like an import "
     "column (language, rating:KEY) is written as by:FIELD"},
    MOPT_SPEC_BINS,
    {"excel", O_EXCEL, OPT_FLAG, 0, NULL,
     "CSV for Swedish Excel: UTF-8 BOM, semicolons, decimal commas"},
    {"out", O_OUT, OPT_VALUE, 0, "FILE", "write to FILE, not stdout"},
    OPT_END};

const struct opt_section cmd_export_opts[] = {{"options", specs}, {NULL, NULL}};

/* The rows --where lets through and the --by fields, from the column
 * store: the export asks about each response by its store id. */
struct selection {
    const struct colstore *cs;
    const uint8_t *mask;
    struct qfield *by[METRICS_MAX_BY];
    int n_by;
};

static int keep(void *ctx, int64_t id)
{
    const struct selection *sel = ctx;
    int64_t row = colstore_row_of_id(sel->cs, id);
    return row >= 0 && (!sel->mask || sel->mask[row]);
}

static const char *extra(void *ctx, int64_t id, size_t i)
{
    const struct selection *sel = ctx;
    int64_t row = colstore_row_of_id(sel->cs, id);
    const struct qfield *qf = sel->by[i];
    if (row < 0)
        return NULL;
    uint32_t v = qfield_value(qf, qfield_code(qf, (size_t)row));
    return v == qf->none ? NULL : qf->label[v];
}

/* Loads the column store for --where and --by and resolves them. */
static int select_rows(struct app *app, struct metrics_cli_args *a,
                       struct colstore **cs, uint8_t **mask,
                       struct selection *sel)
{
    struct err err = ERR_INIT;
    double ms;
    int rc;
    if ((rc = metrics_cli_load(app, cs, &a->q, &ms)) != 0)
        return rc;
    sel->cs = *cs;
    if (a->q.n_where && metrics_filter_rows(mask, *cs, &a->q, &err) < 0)
        return cli_error(app, &err);
    sel->mask = *mask;
    for (int i = 0; i < a->q.n_by; i++) {
        const struct metrics_bins *b =
            metrics_query_bins_for(&a->q, &a->q.by[i]);
        if (qfield_resolve(&sel->by[i], *cs, COLSTORE_RESPONSES, &a->q.by[i],
                           &err) < 0 ||
            qfield_categorize(sel->by[i], b ? b->edges : NULL, b ? b->n : 0,
                              UINT32_MAX, &err) < 0)
            return cli_error(app, &err);
        sel->n_by = i + 1;
    }
    return 0;
}

int cmd_export(struct app *app, int argc, char **argv)
{
    struct export_opts o = EXPORT_OPTS_INIT;
    struct err err = ERR_INIT;
    struct metrics_cli_args a;
    struct selection sel;
    struct colstore *cs = NULL;
    uint8_t *mask = NULL;
    const char *names[METRICS_MAX_BY];
    struct opt_parser p;
    struct opt op;
    const char *path = NULL, *what = NULL;
    FILE *out = app->out;
    long rows = 0;
    int rc = EXIT_USAGE, got;

    memset(&sel, 0, sizeof sel);
    metrics_cli_args_init(&a, FIELD_RESPONSES);
    opt_parser_init(&p, specs, argc, argv);
    while ((got = cli_opt_next(app, "export", &p, &op)) > 0) {
        switch (op.id) {
        case OPT_ARG:
            if (what) {
                rc = cli_usage_error(app, "export", "unexpected argument '%s'",
                                     op.value);
                goto done;
            }
            what = op.value;
            break;
        case O_EXCEL:
            o.excel = 1;
            break;
        case O_OUT:
            path = op.value;
            break;
        case O_FORMAT:
            if (!strcmp(op.value, "csv")) {
                o.format = EXPORT_CSV;
            } else if (!strcmp(op.value, "jsonl")) {
                o.format = EXPORT_JSONL;
            } else {
                rc = cli_usage_error(app, "export",
                                     "--format must be csv or jsonl, got '%s'",
                                     op.value);
                goto done;
            }
            break;
        default:
            if (metrics_cli_common(app, "export", &a, &op) != 1)
                goto done;
            break;
        }
    }
    if (got < 0)
        goto done;
    if (!what || strcmp(what, "responses") != 0) {
        rc = cli_usage_error(app, "export",
                             "say what to export: 'export responses'");
        goto done;
    }
    if (o.excel && o.format != EXPORT_CSV) {
        rc = cli_usage_error(app, "export", "--excel is for CSV only");
        goto done;
    }
    struct store *s = cli_store(app);
    rc = app->store_exit;
    if (!s)
        goto done;
    if (a.q.n_where || a.q.n_by) {
        if ((rc = select_rows(app, &a, &cs, &mask, &sel)) != 0)
            goto done;
        for (int i = 0; i < a.q.n_by; i++)
            names[i] = a.q.by[i].text;
        o.keep = keep;
        o.extra = extra;
        o.extra_names = names;
        o.n_extra = (size_t)a.q.n_by;
        o.ctx = &sel;
    }
    if (path && !(out = fopen(path, "wb"))) {
        cli_say(app->err, "resonans: %s: cannot write: %s", path,
                strerror(errno));
        rc = EXIT_FAIL;
        goto done;
    }
    rc = export_responses(s, &o, out, &rows, &err);
    if (path && fclose(out) != 0 && rc == 0)
        rc = err_set(&err, ERR_IO, "%s: writing failed", path);
    if (rc < 0) {
        rc = cli_error(app, &err);
        goto done;
    }
    if (path)
        cli_say(app->err, "%s: %ld responses", path, rows);
    rc = EXIT_OK;
done:
    for (int i = 0; i < sel.n_by; i++)
        qfield_free(sel.by[i]);
    free(mask);
    metrics_cli_release(app, cs);
    metrics_cli_args_dispose(&a);
    return rc;
}
