/* resonans journey variants|paths|funnel|conformance: path analytics over
 * the events (src/journey/, docs/journeys.md). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "analysis/link.h"
#include "cli/cmd.h"
#include "cli/journey_cli.h"
#include "cli/metrics_cli.h"
#include "colstore/colstore.h"
#include "core/err.h"
#include "core/xalloc.h"
#include "journey/cases.h"
#include "journey/conformance.h"
#include "journey/dfg.h"
#include "journey/funnel.h"
#include "journey/moments.h"
#include "journey/rework.h"
#include "journey/variants.h"
#include "report/journey_paths_report.h"
#include "report/result.h"
#include "stats/metrics.h"

enum {
    O_CASE = MOPT_OWN,
    O_GAP,
    O_LEVEL,
    O_STEPS,
    O_TOP,
    O_AFTER,
    O_OUTCOME,
    O_WINDOW,
    O_WITHIN
};

const struct opt_spec cmd_journey_paths_specs[] = {
    {"case", O_CASE, OPT_VALUE, 0, "NAME",
     "the event attribute naming the case (ticket_id, arbetsorder); "
     "default: one case per customer"},
    {"gap", O_GAP, OPT_VALUE, 0, "Nd|Nw|Nh",
     "per customer: start a new case after this long without events "
     "(default: never)"},
    {"by", O_LEVEL, OPT_VALUE, 0, "LEVEL",
     "what a step is: activity (default; funnel: stage), touchpoint, "
     "stage or channel"},
    {"steps", O_STEPS, OPT_VALUE, 0, "S1,S2,...",
     "funnel: the steps in order (default: the stages in their designed "
     "order)"},
    {"top", O_TOP, OPT_VALUE, 0, "N",
     "rows of the main table: variants (default 10), edges (default 20), "
     "moments (default all); 0 for all"},
    {"after", O_AFTER, OPT_VALUE, 0, "Nd|Nw|Nh",
     "variants, paths: the answers that count for a case's NPS end this "
     "long after its last event (default 7d)"},
    {"outcome", O_OUTCOME, OPT_VALUE, 0, "ACTIVITY",
     "moments: the event that means a customer left (default notice)"},
    {"window", O_WINDOW, OPT_VALUE, 0, "Nd|Nw|Nh",
     "moments: how long after an answer leaving counts (default 365d)"},
    {"repeat-within", O_WITHIN, OPT_VALUE, 0, "Nd|Nw|Nh",
     "paths: also count the repeats that come this soon after the step "
     "before (the same customer back at the same step)"},
    MOPT_SPEC_WHERE,
    MOPT_SPEC_FROM,
    MOPT_SPEC_TO,
    MOPT_SPEC_MIN_N,
    MOPT_SPEC_FORMAT,
    MOPT_SPEC_METHOD,
    MOPT_SPEC_TIMING,
    OPT_END};

struct args {
    struct metrics_cli_args m;
    struct journey_cli_cases c; /* level -1: the subcommand's default */
    const char *steps, *outcome;
    int64_t after, window, within;
    long top; /* -1: the subcommand's default */
};

static int own_option(struct app *app, const char *cmd, struct args *a,
                      const struct opt *o)
{
    struct err err = ERR_INIT;
    const char *v = o->value;
    char *end;
    switch (o->id) {
    case O_AFTER:
    case O_WINDOW:
    case O_WITHIN: {
        int64_t *to = o->id == O_AFTER    ? &a->after
                      : o->id == O_WINDOW ? &a->window
                                          : &a->within;
        if (link_window_parse(to, v, strlen(v), &err) < 0)
            return cli_usage_error(app, cmd, "--%s: %s", o->spec->name,
                                   err.msg);
        return 0;
    }
    case O_OUTCOME:
        a->outcome = v;
        return 0;
    case O_STEPS:
        a->steps = v;
        return 0;
    case O_TOP:
        a->top = strtol(v, &end, 10);
        if (end == v || *end || a->top < 0 || a->top > 100000)
            return cli_usage_error(app, cmd,
                                   "--top must be 0..100000, got '%s'", v);
        return 0;
    default:
        return EXIT_USAGE; /* can't happen */
    }
}

/* The funnel's steps: --steps by label or display name at the level, or
 * the stages in their designed order that some case reaches. */
static int funnel_steps(struct app *app, const struct colstore *cs,
                        const struct journey_cases *c, const char *list,
                        uint32_t *out, size_t *n, struct err *err)
{
    *n = 0;
    if (!list) {
        if (c->level != JL_STAGE)
            return err_set(err, ERR_INVALID,
                           "give the funnel's steps with --steps (or use "
                           "--by stage for the designed stages)");
        size_t ns = colstore_card(cs, DIM_STAGE);
        uint32_t *rank = xcalloc(ns ? ns : 1, sizeof *rank);
        uint32_t *by = xcalloc(ns ? ns : 1, sizeof *by);
        uint8_t *used = xcalloc(ns ? ns : 1, 1);
        colstore_order(cs, DIM_STAGE, rank);
        for (size_t s = 0; s < ns; s++)
            by[rank[s]] = (uint32_t)s;
        for (size_t p = 0; p < c->n_events; p++)
            used[c->step[p]] = 1;
        for (size_t q = 0; q < ns && *n < JOURNEY_FUNNEL_MAX; q++)
            if (used[by[q]])
                out[(*n)++] = by[q];
        free(rank);
        free(by);
        free(used);
        if (*n == 0)
            return err_set(err, ERR_NOTFOUND,
                           "no case reaches a stage: no event with a "
                           "touchpoint passes the filters");
        return 0;
    }
    (void)app;
    const char *s = list;
    for (;;) {
        const char *e = strchr(s, ',');
        size_t len = e ? (size_t)(e - s) : strlen(s);
        uint32_t found = UINT32_MAX;
        for (uint32_t k = 0; k < c->n_steps && found == UINT32_MAX; k++)
            if ((c->label[k] && strlen(c->label[k]) == len &&
                 !strncasecmp(c->label[k], s, len)) ||
                (c->name[k] && strlen(c->name[k]) == len &&
                 !strncasecmp(c->name[k], s, len)))
                found = k;
        if (found == UINT32_MAX)
            return err_set(err, ERR_NOTFOUND, "--steps: no %s '%.*s'",
                           journey_level_name(c->level), (int)len, s);
        if (*n == JOURNEY_FUNNEL_MAX)
            return err_set(err, ERR_INVALID, "--steps: at most %d steps",
                           JOURNEY_FUNNEL_MAX);
        out[(*n)++] = found;
        if (!e)
            break;
        s = e + 1;
    }
    return 0;
}

int cmd_journey_paths(struct app *app, const char *sub, int argc, char **argv)
{
    struct args a = {
        .c = JOURNEY_CLI_CASES_INIT, .top = -1, .after = 7 * 86400};
    struct opt_parser p;
    struct opt o;
    struct err err = ERR_INIT;
    struct colstore *cs = NULL;
    struct journey_cases *c = NULL;
    struct journey_variants *v = NULL;
    struct journey_dfg *g = NULL;
    struct journey_rework *rw = NULL;
    struct journey_conformance *k = NULL;
    struct journey_moments *mom = NULL;
    struct journey_funnel f;
    struct result *out = NULL;
    uint8_t *mask = NULL;
    char cmd[64];
    double load_ms = 0, t0;
    int rc = EXIT_OK, got;

    snprintf(cmd, sizeof cmd, "journey %s", sub);
    int is_moments = !strcmp(sub, "moments");
    /* moments reads answers: its filters are on the responses */
    metrics_cli_args_init(&a.m, is_moments ? FIELD_RESPONSES : FIELD_EVENTS);
    opt_parser_init(&p, cmd_journey_paths_specs, argc, argv);
    while ((got = cli_opt_next(app, "journey", &p, &o)) > 0) {
        if (o.id >= MOPT_OWN) {
            int got_case = journey_cli_case_option(app, cmd, &a.c, &o);
            if (got_case == EXIT_USAGE ||
                (!got_case && (rc = own_option(app, cmd, &a, &o)) != 0)) {
                rc = EXIT_USAGE;
                goto done;
            }
        } else if (o.id == OPT_ARG) {
            rc = cli_usage_error(app, cmd, "unexpected argument '%s'", o.value);
            goto done;
        } else if (metrics_cli_common(app, cmd, &a.m, &o) != 1) {
            rc = EXIT_USAGE;
            goto done;
        }
    }
    if (got < 0) {
        rc = EXIT_USAGE;
        goto done;
    }
    int is_funnel = !strcmp(sub, "funnel");
    if (a.steps && !is_funnel) {
        rc = cli_usage_error(app, cmd, "--steps is for journey funnel");
        goto done;
    }
    if (a.within && strcmp(sub, "paths")) {
        rc = cli_usage_error(app, cmd, "--repeat-within is for journey paths");
        goto done;
    }
    if (!is_moments && (a.outcome || a.window)) {
        rc = cli_usage_error(app, cmd,
                             "--outcome and --window are for journey "
                             "moments");
        goto done;
    }
    if (is_moments && (a.c.case_col || a.c.gap || a.c.level >= 0)) {
        rc = cli_usage_error(app, cmd,
                             "journey moments takes --outcome, --window, --top "
                             "and the filters, not --case, --gap or --by");
        goto done;
    }
    if ((rc = journey_cli_check(app, cmd, &a.c)) != 0)
        goto done;
    if ((rc = metrics_cli_load(app, &cs, &a.m.q, &load_ms)) != 0)
        goto done;
    double l0 = metrics_cli_now_ms();
    if (journey_cli_load(app, cs, &a.c, &a.m.q, &mask, &err) < 0) {
        rc = cli_error(app, &err);
        goto done;
    }
    load_ms += metrics_cli_now_ms() - l0;
    t0 = metrics_cli_now_ms();
    if (is_moments) {
        struct journey_moments_opts mo = JOURNEY_MOMENTS_OPTS_INIT;
        mo.use = mask;
        mo.min_n = a.m.q.min_n;
        if (a.outcome)
            mo.activity = a.outcome;
        if (a.window)
            mo.window = a.window;
        if (journey_moments_build(&mom, cs, &mo, &err) < 0) {
            rc = cli_error(app, &err);
            goto done;
        }
        out = journey_moments_report(mom, a.m.q.min_n,
                                     a.top >= 0 ? (size_t)a.top : 0);
        rc = metrics_cli_render(app, &a.m, out, cs, load_ms,
                                metrics_cli_now_ms() - t0);
        goto done;
    }
    struct journey_case_opts co = JOURNEY_CASE_OPTS_INIT;
    co.use = mask;
    co.level = a.c.level >= 0 ? (enum journey_level)a.c.level
               : is_funnel    ? JL_STAGE
                              : JL_ACTIVITY;
    co.case_col = a.c.case_col;
    co.gap = a.c.gap;
    if (journey_cases_build(&c, cs, &co, &err) < 0) {
        rc = cli_error(app, &err);
        goto done;
    }
    struct journey_report_ctx x = {a.c.case_col, (long long)a.c.gap, 0,
                                   a.m.q.min_n};
    if (!strcmp(sub, "variants")) {
        x.top = a.top >= 0 ? (size_t)a.top : 10;
        if (journey_variants_build(&v, c, x.top, &err) < 0) {
            rc = cli_error(app, &err);
            goto done;
        }
        journey_variants_experience(v, cs, c, a.after);
        out = journey_variants_report(c, v, &x);
    } else if (!strcmp(sub, "paths")) {
        x.top = a.top >= 0 ? (size_t)a.top : 20;
        struct journey_rework_opts ro = {a.within, a.after};
        if (journey_dfg_build(&g, c, &err) < 0 ||
            journey_rework_build(&rw, cs, c, &ro, &err) < 0) {
            rc = cli_error(app, &err);
            goto done;
        }
        out = journey_paths_report(c, g, rw, &x);
    } else if (is_funnel) {
        uint32_t steps[JOURNEY_FUNNEL_MAX];
        size_t n = 0;
        if (funnel_steps(app, cs, c, a.steps, steps, &n, &err) < 0 ||
            journey_funnel_build(&f, c, steps, n, &err) < 0) {
            rc = cli_error(app, &err);
            goto done;
        }
        out = journey_funnel_report(c, &f, &x);
    } else {
        if (journey_conformance_build(&k, cs, c, &err) < 0) {
            rc = cli_error(app, &err);
            goto done;
        }
        out = journey_conformance_report(c, k, &x);
    }
    rc = metrics_cli_render(app, &a.m, out, cs, load_ms,
                            metrics_cli_now_ms() - t0);
done:
    result_free(out);
    journey_conformance_free(k);
    journey_moments_free(mom);
    journey_rework_free(rw);
    journey_dfg_free(g);
    journey_variants_free(v);
    journey_cases_free(c);
    free(mask);
    metrics_cli_release(app, cs);
    metrics_cli_args_dispose(&a.m);
    return rc;
}
