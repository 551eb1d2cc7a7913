/* resonans summary: counts, headline NPS/CSAT/CES, NPS by stage; the
 * customers' view, with employees' answers apart. */
#include <stdio.h>

#include "cli/cmd.h"
#include "cli/metrics_cli.h"
#include "colstore/colstore.h"
#include "core/err.h"
#include "report/summary_report.h"
#include "store/store.h"

static const struct opt_spec specs[] = {MOPT_SPEC_MIN_N, MOPT_SPEC_FORMAT,
                                        MOPT_SPEC_METHOD, MOPT_SPEC_TIMING,
                                        OPT_END};

const struct opt_section cmd_summary_opts[] = {{"options", specs},
                                               {NULL, NULL}};

/* Runs q restricted to one kind of respondent. */
static int run_kind(struct metrics_result **out, const struct colstore *cs,
                    struct metrics_query *q, enum respondent_kind kind,
                    struct err *err)
{
    const char *name = kind == RESPONDENT_EMPLOYEE ? "employee" : "customer";
    int rc = metrics_query_where_values(q, "kind", &name, 1, err);
    return rc < 0 ? rc : metrics_run(out, cs, q, err);
}

static int summarize(struct app *app, struct metrics_cli_args *a)
{
    struct colstore *cs = NULL;
    struct metrics_result *head = NULL, *stages = NULL, *emp = NULL;
    struct metrics_query q, qs, qe;
    struct store_counts n;
    struct result *out = NULL;
    struct err err = ERR_INIT;
    double load_ms = 0, t0, query_ms;
    int rc;

    metrics_query_init(&q, FIELD_RESPONSES);
    metrics_query_init(&qs, FIELD_RESPONSES);
    metrics_query_init(&qe, FIELD_RESPONSES);
    if ((rc = metrics_cli_load(app, &cs, NULL, &load_ms)) != 0)
        goto done;
    if (store_count(app->store, &n, &err) < 0) {
        rc = cli_error(app, &err);
        goto done;
    }
    t0 = metrics_cli_now_ms();
    q.min_n = qs.min_n = qe.min_n = a->q.min_n;
    qs.keep_empty = 1; /* every stage, answered or not */
    if (metrics_query_metrics(&qs, "nps", &err) < 0 ||
        run_kind(&head, cs, &q, RESPONDENT_CUSTOMER, &err) < 0 ||
        metrics_query_by(&qs, "stage", &err) < 0 ||
        run_kind(&stages, cs, &qs, RESPONDENT_CUSTOMER, &err) < 0 ||
        run_kind(&emp, cs, &qe, RESPONDENT_EMPLOYEE, &err) < 0) {
        rc = cli_error(app, &err);
        goto done;
    }
    query_ms = metrics_cli_now_ms() - t0;
    out = summary_report_build(&n, head, stages, emp);
    rc = metrics_cli_render(app, a, out, cs, load_ms, query_ms);
done:
    result_free(out);
    metrics_query_dispose(&q);
    metrics_query_dispose(&qs);
    metrics_query_dispose(&qe);
    metrics_result_free(head);
    metrics_result_free(stages);
    metrics_result_free(emp);
    metrics_cli_release(app, cs);
    return rc;
}

int cmd_summary(struct app *app, int argc, char **argv)
{
    struct metrics_cli_args a;
    struct opt_parser p;
    struct opt o;
    int rc = EXIT_OK, got;

    metrics_cli_args_init(&a, FIELD_RESPONSES);
    opt_parser_init(&p, specs, argc, argv);
    while ((got = cli_opt_next(app, "summary", &p, &o)) > 0) {
        if (o.id == OPT_ARG) {
            rc = cli_usage_error(app, "summary", "unexpected argument '%s'",
                                 o.value);
            goto done;
        }
        if (metrics_cli_common(app, "summary", &a, &o) != 1) {
            rc = EXIT_USAGE;
            goto done;
        }
    }
    rc = got < 0 ? EXIT_USAGE : summarize(app, &a);
done:
    metrics_cli_args_dispose(&a);
    return rc;
}
