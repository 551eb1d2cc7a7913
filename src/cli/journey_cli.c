#include "cli/journey_cli.h"

#include <string.h>

#include "analysis/link.h"
#include "cli/cmd.h"
#include "cli/opt.h"
#include "colstore/colstore.h"
#include "core/err.h"
#include "journey/cases.h"
#include "stats/metrics.h"

int journey_cli_case_option(struct app *app, const char *cmd,
                            struct journey_cli_cases *c, const struct opt *o)
{
    struct err err = ERR_INIT;
    const char *name = o->spec ? o->spec->name : "", *v = o->value;
    if (!strcmp(name, "case")) {
        c->case_col = v;
    } else if (!strcmp(name, "gap")) {
        if (link_window_parse(&c->gap, v, strlen(v), &err) < 0)
            return cli_usage_error(app, cmd, "--gap: %s", err.msg);
    } else if (!strcmp(name, "by")) {
        if ((c->level = journey_level_parse(v)) < 0)
            return cli_usage_error(app, cmd,
                                   "--by must be activity, touchpoint, stage "
                                   "or channel, got '%s'",
                                   v);
    } else {
        return 0;
    }
    return 1;
}

int journey_cli_check(struct app *app, const char *cmd,
                      const struct journey_cli_cases *c)
{
    if (c->case_col && c->gap)
        return cli_usage_error(app, cmd,
                               "--gap splits a customer's events; with "
                               "--case the case column decides");
    return 0;
}

int journey_cli_load(struct app *app, struct colstore *cs,
                     const struct journey_cli_cases *c,
                     const struct metrics_query *q, uint8_t **mask,
                     struct err *err)
{
    int found = 0;
    if (colstore_load_events(cs, app->store, err) < 0 ||
        (c->case_col && colstore_load_column(cs, app->store, COLSTORE_EVENTS,
                                             c->case_col, &found, err) < 0) ||
        metrics_filter_rows(mask, cs, q, err) < 0)
        return err->code;
    return 0;
}
