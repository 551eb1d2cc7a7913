/* resonans metrics: figures with n and 95% CI, grouped by any field. */
#include <stdio.h>

#include "cli/cmd.h"
#include "cli/metrics_cli.h"
#include "colstore/colstore.h"
#include "core/err.h"
#include "report/metrics_report.h"

static const struct opt_spec specs[] = {
    MOPT_SPEC_BY,     MOPT_SPEC_WHERE,  MOPT_SPEC_BINS,  MOPT_SPEC_FROM,
    MOPT_SPEC_TO,     MOPT_SPEC_METRIC, MOPT_SPEC_MIN_N, MOPT_SPEC_FORMAT,
    MOPT_SPEC_METHOD, MOPT_SPEC_TIMING, OPT_END};

const struct opt_section cmd_metrics_opts[] = {{"options", specs},
                                               {NULL, NULL}};

int cmd_metrics(struct app *app, int argc, char **argv)
{
    struct metrics_cli_args a;
    struct metrics_result *res = NULL;
    struct result *out = NULL;
    struct colstore *cs = NULL;
    struct opt_parser p;
    struct opt o;
    struct err err = ERR_INIT;
    double load_ms = 0, t0, query_ms;
    int rc = EXIT_OK, got;

    metrics_cli_args_init(&a, FIELD_RESPONSES);
    opt_parser_init(&p, specs, argc, argv);
    while ((got = cli_opt_next(app, "metrics", &p, &o)) > 0) {
        if (o.id == OPT_ARG) {
            rc = cli_usage_error(app, "metrics", "unexpected argument '%s'",
                                 o.value);
            goto done;
        }
        /* every option in specs is a shared one: 0 would be a bug */
        if ((rc = metrics_cli_common(app, "metrics", &a, &o)) != 1) {
            rc = EXIT_USAGE;
            goto done;
        }
        rc = EXIT_OK;
    }
    if (got < 0) {
        rc = EXIT_USAGE;
        goto done;
    }
    if ((rc = metrics_cli_load(app, &cs, &a.q, &load_ms)) != 0)
        goto done;
    t0 = metrics_cli_now_ms();
    if (metrics_run(&res, cs, &a.q, &err) < 0) {
        rc = cli_error(app, &err);
        goto done;
    }
    query_ms = metrics_cli_now_ms() - t0;
    out = metrics_report_build(res, cs);
    if ((rc = cli_render(app, out, a.fmt,
                         a.method ? RESULT_RENDER_METHOD : 0)) != 0)
        goto done;
    fflush(app->out); /* before the timing line on stderr */
    if (a.timing)
        metrics_cli_timing(app, cs, load_ms, query_ms);
done:
    result_free(out);
    metrics_result_free(res);
    colstore_free(cs);
    metrics_cli_args_dispose(&a);
    return rc;
}
