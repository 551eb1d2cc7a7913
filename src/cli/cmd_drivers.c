/* resonans drivers / priorities: key-driver analysis and the
 * importance-performance list (analysis/drivers.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/drivers.h"
#include "cli/cmd.h"
#include "cli/metrics_cli.h"
#include "colstore/colstore.h"
#include "core/err.h"
#include "report/drivers_report.h"

enum {
    O_OUTCOME = MOPT_OWN,
    O_DRIVERS,
    O_PAIRWISE,
    O_BOOT,
    O_SEED,
    O_TARGET_BY,
    O_TARGET
};

#define SPEC_OUTCOME                                                           \
    {                                                                          \
        "outcome", O_OUTCOME, OPT_VALUE, 0, "OUTCOME",                         \
            "nps (default), promoter, detractor, csat, ces, a numeric field "  \
            "(rating:KEY, ...) or FIELD=VALUE (choice:KEY=VALUE) for a 0/1 "   \
            "outcome"                                                          \
    }
#define SPEC_DRIVERS                                                           \
    {                                                                          \
        "drivers", O_DRIVERS, OPT_VALUE, 0, "LIST",                            \
            "comma list of fields (rating:KEY, gap:KEY, csat, ces, "           \
            "customer.NAME, event.ACTIVITY.ATTR, ...), FIELD=VALUE and "       \
            "theme:NAME for 0/1 drivers, or themes for every theme"            \
    }
#define SPEC_PAIRWISE                                                          \
    {                                                                          \
        "pairwise", O_PAIRWISE, OPT_FLAG, 0, NULL,                             \
            "importance from each pair's own responses instead of the "        \
            "complete ones (the regressions stay listwise)"                    \
    }
#define SPEC_BOOT                                                              \
    {                                                                          \
        "boot", O_BOOT, OPT_VALUE, 0, "N",                                     \
            "bootstrap resamples for the intervals (default 200, 0 = none)"    \
    }
#define SPEC_SEED                                                              \
    {                                                                          \
        "seed", O_SEED, OPT_VALUE, 0, "N",                                     \
            "seed of the bootstrap (default 1): the same seed gives the "      \
            "same intervals"                                                   \
    }

static const struct opt_spec drivers_specs[] = {
    SPEC_OUTCOME,    SPEC_DRIVERS,     SPEC_PAIRWISE,    SPEC_BOOT,
    SPEC_SEED,       MOPT_SPEC_WHERE,  MOPT_SPEC_FROM,   MOPT_SPEC_TO,
    MOPT_SPEC_MIN_N, MOPT_SPEC_FORMAT, MOPT_SPEC_METHOD, MOPT_SPEC_TIMING,
    OPT_END};

static const struct opt_spec priorities_specs[] = {
    SPEC_OUTCOME,
    SPEC_DRIVERS,
    {"target-by", O_TARGET_BY, OPT_VALUE, 0, "FIELD",
     "each driver's target is its mean in its best group of FIELD (default "
     "segment; groups of at least --min-n responses)"},
    {"target", O_TARGET, OPT_VALUE, 0, "VALUE",
     "one target level for every driver instead (e.g. 4.5 on a 1-5 rating)"},
    SPEC_PAIRWISE,
    SPEC_BOOT,
    SPEC_SEED,
    MOPT_SPEC_WHERE,
    MOPT_SPEC_FROM,
    MOPT_SPEC_TO,
    MOPT_SPEC_MIN_N,
    MOPT_SPEC_FORMAT,
    MOPT_SPEC_METHOD,
    MOPT_SPEC_TIMING,
    OPT_END};

const struct opt_section cmd_drivers_opts[] = {{"options", drivers_specs},
                                               {NULL, NULL}};
const struct opt_section cmd_priorities_opts[] = {{"options", priorities_specs},
                                                  {NULL, NULL}};

struct args {
    struct metrics_cli_args m;
    const char *outcome, *drivers, *target_by;
    int pairwise, has_target;
    long boot, seed;
    double target;
};

static int parse(struct app *app, const char *cmd, const struct opt_spec *specs,
                 struct args *a, int argc, char **argv)
{
    struct opt_parser p;
    struct opt o;
    int got;
    opt_parser_init(&p, specs, argc, argv);
    while ((got = cli_opt_next(app, cmd, &p, &o)) > 0) {
        switch (o.id) {
        case O_OUTCOME:
            a->outcome = o.value;
            break;
        case O_DRIVERS:
            a->drivers = o.value;
            break;
        case O_PAIRWISE:
            a->pairwise = 1;
            break;
        case O_BOOT:
            if (opt_parse_long(&a->boot, o.value, 0, 100000) < 0)
                return cli_usage_error(
                    app, cmd, "--boot must be 0..100000, got '%s'", o.value);
            break;
        case O_SEED:
            if (opt_parse_long(&a->seed, o.value, 0, 2147483647L) < 0)
                return cli_usage_error(app, cmd,
                                       "--seed must be a whole number "
                                       "0..2147483647, got '%s'",
                                       o.value);
            break;
        case O_TARGET_BY:
            a->target_by = o.value;
            break;
        case O_TARGET:
            if (opt_parse_double(&a->target, o.value) < 0)
                return cli_usage_error(
                    app, cmd, "--target must be a number, got '%s'", o.value);
            a->has_target = 1;
            break;
        case OPT_ARG:
            return cli_usage_error(app, cmd, "unexpected argument '%s'",
                                   o.value);
        default:
            if (metrics_cli_common(app, cmd, &a->m, &o) != 1)
                return EXIT_USAGE; /* printed */
        }
    }
    if (got < 0)
        return EXIT_USAGE;
    if (a->has_target && a->target_by)
        return cli_usage_error(app, cmd,
                               "give --target or --target-by, "
                               "not both");
    if (!a->drivers)
        return cli_usage_error(app, cmd,
                               "give the drivers: --drivers "
                               "FIELD[,FIELD...] or --drivers themes");
    return 0;
}

/* Both commands: parse, load, analyse, build the result, render. */
static int run(struct app *app, const char *cmd, const struct opt_spec *specs,
               int prio, int argc, char **argv)
{
    struct args a = {0};
    struct drivers_spec *spec = NULL;
    struct drivers_result *res = NULL;
    struct result *out = NULL;
    struct colstore *cs = NULL;
    struct err err = ERR_INIT;
    struct field by;
    double load_ms = 0, t0, query_ms;
    int rc;

    metrics_cli_args_init(&a.m, FIELD_RESPONSES);
    a.outcome = "nps";
    a.boot = DRIVERS_BOOT;
    a.seed = 1;
    if ((rc = parse(app, cmd, specs, &a, argc, argv)) != 0)
        goto done;
    if (drivers_spec_new(&spec, a.outcome, a.drivers, &err) < 0) {
        rc = cli_usage_error(app, cmd, "%s", err.msg);
        goto done;
    }
    if (prio) {
        const char *tb = a.target_by ? a.target_by : "segment";
        if (field_parse(&by, tb, strlen(tb), FIELD_RESPONSES, &err) < 0) {
            rc = cli_usage_error(app, cmd, "--target-by: %s", err.msg);
            goto done;
        }
    }
    if ((rc = metrics_cli_load(app, &cs, &a.m.q, &load_ms)) != 0)
        goto done;
    {
        struct metrics_cli_prep p = {cs, app->store, FIELD_RESPONSES, &err};
        if (drivers_spec_fields(spec, metrics_cli_prep_one, &p) < 0 ||
            (prio && !a.has_target && metrics_cli_prep_one(&p, &by) < 0)) {
            rc = cli_error(app, &err);
            goto done;
        }
    }
    t0 = metrics_cli_now_ms();
    struct drivers_opts o = DRIVERS_OPTS_INIT;
    o.filter = &a.m.q;
    o.pairwise = a.pairwise;
    o.boot = (size_t)a.boot;
    o.seed = (uint64_t)a.seed;
    o.min_n = a.m.q.min_n;
    struct drivers_target tg = {a.has_target ? NULL : &by, a.has_target,
                                a.target};
    if (drivers_run(&res, cs, spec, &o, &err) < 0 ||
        (prio && drivers_prioritize(res, cs, &tg, &err) < 0)) {
        rc = cli_error(app, &err);
        goto done;
    }
    out = prio ? drivers_report_priorities(res) : drivers_report_build(res);
    query_ms = metrics_cli_now_ms() - t0;
    rc = metrics_cli_render(app, &a.m, out, cs, load_ms, query_ms);
done:
    result_free(out);
    drivers_result_free(res);
    drivers_spec_free(spec);
    metrics_cli_release(app, cs);
    metrics_cli_args_dispose(&a.m);
    return rc;
}

int cmd_drivers(struct app *app, int argc, char **argv)
{
    return run(app, "drivers", drivers_specs, 0, argc, argv);
}

int cmd_priorities(struct app *app, int argc, char **argv)
{
    return run(app, "priorities", priorities_specs, 1, argc, argv);
}
