/* resonans metrics: figures with n and 95% CI, grouped by any field. */
#include "cli/cmd.h"
#include "cli/metrics_cli.h"

static const struct opt_spec specs[] = {
    MOPT_SPEC_BY,     MOPT_SPEC_WHERE,  MOPT_SPEC_BINS,  MOPT_SPEC_FROM,
    MOPT_SPEC_TO,     MOPT_SPEC_METRIC, MOPT_SPEC_MIN_N, MOPT_SPEC_FORMAT,
    MOPT_SPEC_METHOD, MOPT_SPEC_TIMING, OPT_END};

const struct opt_section cmd_metrics_opts[] = {{"options", specs},
                                               {NULL, NULL}};

int cmd_metrics(struct app *app, int argc, char **argv)
{
    return metrics_cli_run(app, "metrics", specs, FIELD_RESPONSES, argc, argv);
}
