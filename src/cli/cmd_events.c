/* resonans events: operational data (O-data) on its own: counts, medians,
 * percentiles, means and sums of event attributes, grouped and filtered
 * by the same fields as metrics, so what customers did is read beside
 * what they said. */
#include "cli/cmd.h"
#include "cli/metrics_cli.h"

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
    return metrics_cli_run(app, "events", specs, FIELD_EVENTS, argc, argv);
}
