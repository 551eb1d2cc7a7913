/* resonans link: an operational measure against an experience outcome,
 * by bands, with a trend test and the effect per unit; optionally churn
 * by NPS group and revenue at risk (analysis/link.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/link.h"
#include "cli/cmd.h"
#include "cli/metrics_cli.h"
#include "colstore/colstore.h"
#include "core/err.h"
#include "report/link_report.h"

enum { O_MEASURE = MOPT_OWN, O_OUTCOME, O_BANDS, O_CHURN, O_WINDOW, O_REVENUE };

static const struct opt_spec specs[] = {
    {"measure", O_MEASURE, OPT_VALUE, 0, "FIELD",
     "the operational measure, a numeric field: "
     "event.ACTIVITY.ATTR[:AGG][:WINDOW], event.ACTIVITY:30d (a count), "
     "customer.NAME, attr:NAME, ... (required)"},
    {"outcome", O_OUTCOME, OPT_VALUE, 0, "OUTCOME",
     "nps (default), csat, ces, promoter, detractor, or a numeric FIELD "
     "(rating:KEY, ...)"},
    {"bands", O_BANDS, OPT_VALUE, 0, "E1,E2,...|qN",
     "bands of the measure: <E1, [E1,E2), ..., >=En, or N quantile bands "
     "(default q4)"},
    {"churn", O_CHURN, OPT_VALUE, 0, "ACTIVITY",
     "also the share of customers with an ACTIVITY event (notice, "
     "move_out, ...) within --window after their response, by NPS group"},
    {"window", O_WINDOW, OPT_VALUE, 0, "Nd|Nw|Nh",
     "the churn window after the response (default 365d)"},
    {"revenue", O_REVENUE, OPT_VALUE, 0, "customer.NAME|NUMBER",
     "with --churn: revenue at risk = the detractor customers' revenue x "
     "the churn difference detractors - promoters"},
    MOPT_SPEC_WHERE,
    MOPT_SPEC_FROM,
    MOPT_SPEC_TO,
    MOPT_SPEC_MIN_N,
    MOPT_SPEC_FORMAT,
    MOPT_SPEC_METHOD,
    MOPT_SPEC_TIMING,
    OPT_END};

const struct opt_section cmd_link_opts[] = {{"options", specs}, {NULL, NULL}};

/* Applies one of link's own options to q. Returns 0 or EXIT_USAGE after
 * printing the error. */
static int own_option(struct app *app, struct link_query *q,
                      const struct opt *o, double **edges, int *measure)
{
    struct err err = ERR_INIT;
    const char *v = o->value;
    char *end;
    switch (o->id) {
    case O_MEASURE:
        if (field_parse(&q->measure, v, strlen(v), FIELD_RESPONSES, &err) < 0)
            return cli_usage_error(app, "link", "--measure: %s", err.msg);
        *measure = 1;
        return 0;
    case O_OUTCOME:
        if (link_outcome_parse(&q->outcome, &q->outcome_field, v, strlen(v),
                               &err) < 0)
            return cli_usage_error(app, "link",
                                   "--outcome: %s (or nps, csat, ces, "
                                   "promoter, detractor)",
                                   err.msg);
        return 0;
    case O_BANDS:
        if (link_bands_parse(edges, &q->n_edges, &q->quantiles, v, &err) < 0)
            return cli_usage_error(app, "link", "%s", err.msg);
        q->edges = *edges;
        return 0;
    case O_CHURN:
        q->churn = v;
        return 0;
    case O_WINDOW:
        if (link_window_parse(&q->churn_window, v, strlen(v), &err) < 0)
            return cli_usage_error(app, "link", "--window: %s", err.msg);
        return 0;
    case O_REVENUE:
        q->revenue_each = strtod(v, &end);
        if (end != v && !*end) {
            if (!isfinite(q->revenue_each) || q->revenue_each < 0)
                return cli_usage_error(app, "link",
                                       "--revenue must be a number >= 0 or "
                                       "a field, got '%s'",
                                       v);
            q->revenue = 2;
            return 0;
        }
        if (field_parse(&q->revenue_field, v, strlen(v), FIELD_RESPONSES,
                        &err) < 0)
            return cli_usage_error(app, "link", "--revenue: %s", err.msg);
        q->revenue = 1;
        return 0;
    default:
        return EXIT_USAGE; /* can't happen: every own option is above */
    }
}

int cmd_link(struct app *app, int argc, char **argv)
{
    struct metrics_cli_args a;
    struct link_query q;
    struct link_result *l = NULL;
    struct result *out = NULL;
    struct colstore *cs = NULL;
    struct opt_parser p;
    struct opt o;
    struct err err = ERR_INIT;
    double *edges = NULL;
    double load_ms = 0, t0, query_ms;
    int rc = EXIT_OK, got, measure = 0, window = 0;

    metrics_cli_args_init(&a, FIELD_RESPONSES);
    link_query_init(&q);
    q.churn_window = (int64_t)365 * 86400;
    opt_parser_init(&p, specs, argc, argv);
    while ((got = cli_opt_next(app, "link", &p, &o)) > 0) {
        if (o.id >= MOPT_OWN) {
            window |= o.id == O_WINDOW;
            if ((rc = own_option(app, &q, &o, &edges, &measure)) != 0)
                goto done;
        } else if (o.id == OPT_ARG) {
            rc = cli_usage_error(app, "link", "unexpected argument '%s'",
                                 o.value);
            goto done;
        } else if (metrics_cli_common(app, "link", &a, &o) != 1) {
            rc = EXIT_USAGE; /* printed; 0 (not a shared option) is a bug */
            goto done;
        }
    }
    if (got < 0) {
        rc = EXIT_USAGE;
        goto done;
    }
    if (!measure) {
        rc = cli_usage_error(app, "link", "give the measure: --measure FIELD");
        goto done;
    }
    if (!q.churn && (window || q.revenue)) {
        rc = cli_usage_error(app, "link",
                             "--window and --revenue go with "
                             "--churn ACTIVITY");
        goto done;
    }
    if (q.churn && link_churn_field(&(struct field){0}, &q, &err) < 0) {
        rc = cli_usage_error(app, "link", "--churn: %s", err.msg);
        goto done;
    }
    if ((rc = metrics_cli_load(app, &cs, &a.q, &load_ms)) != 0)
        goto done;
    t0 = metrics_cli_now_ms();
    q.filter = &a.q;
    struct metrics_cli_prep pp = {cs, app->store, FIELD_RESPONSES, &err};
    if (link_query_fields(&q, metrics_cli_prep_one, &pp, &err) != 0 ||
        link_run(&l, cs, &q, &err) < 0) {
        rc = cli_error(app, &err);
        goto done;
    }
    query_ms = metrics_cli_now_ms() - t0;
    out = link_report_build(l, a.q.min_n);
    rc = metrics_cli_render(app, &a, out, cs, load_ms, query_ms);
done:
    free(edges);
    result_free(out);
    link_result_free(l);
    metrics_cli_release(app, cs);
    metrics_cli_args_dispose(&a);
    return rc;
}
