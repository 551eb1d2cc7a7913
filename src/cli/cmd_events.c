/* resonans events: operational data (O-data) on its own: counts, medians,
 * percentiles, means and sums of event attributes, grouped and filtered
 * by the same fields as metrics, so what customers did is read beside
 * what they said. */
#include <stdio.h>

#include "cli/cmd.h"
#include "cli/metrics_cli.h"
#include "colstore/colstore.h"
#include "core/err.h"
#include "report/metrics_report.h"

static const struct opt_spec specs[] = {
    {"by", MOPT_BY, OPT_VALUE, 0, "FIELD[,FIELD...]",
     "group by activity, touchpoint, stage, channel, owner, segment (the "
     "customer's at the event), a period, customer.NAME or an event "
     "attribute (NAME or attr:NAME); numbers by --bins or NAME:qN"},
    MOPT_SPEC_WHERE,
    MOPT_SPEC_BINS,
    MOPT_SPEC_FROM,
    MOPT_SPEC_TO,
    {"metric", MOPT_METRIC, OPT_VALUE, 0, "LIST",
     "count (the default), median:NAME, pNN:NAME, mean:NAME, sum:NAME, "
     "min:NAME, max:NAME over a number attribute"},
    MOPT_SPEC_MIN_N,
    MOPT_SPEC_FORMAT,
    MOPT_SPEC_METHOD,
    MOPT_SPEC_TIMING,
    OPT_END};

const struct opt_section cmd_events_opts[] = {{"options", specs}, {NULL, NULL}};

int cmd_events(struct app *app, int argc, char **argv)
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

    metrics_cli_args_init(&a, FIELD_EVENTS);
    opt_parser_init(&p, specs, argc, argv);
    while ((got = cli_opt_next(app, "events", &p, &o)) > 0) {
        if (o.id == OPT_ARG) {
            rc = cli_usage_error(app, "events", "unexpected argument '%s'",
                                 o.value);
            goto done;
        }
        if ((rc = metrics_cli_common(app, "events", &a, &o)) != 1) {
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
