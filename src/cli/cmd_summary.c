/* resonans summary: counts, headline NPS/CSAT/CES, NPS by stage. */
#include <stdio.h>
#include <string.h>

#include "cli/cmd.h"
#include "cli/metrics_cli.h"
#include "colstore/colstore.h"
#include "core/err.h"
#include "core/strbuf.h"
#include "store/store.h"

/* Appends r as JSON without its final newline, to nest it in an object. */
static int add_json(struct strbuf *out, const struct metrics_result *r,
                    const struct colstore *cs, struct err *err)
{
    struct strbuf t = STRBUF_INIT;
    int rc = metrics_report_render(&t, r, cs, METRICS_REPORT_JSON, err);
    if (!rc && t.n > 0)
        rc = strbuf_add(out, t.p, t.n - 1);
    strbuf_dispose(&t);
    return rc;
}

static int summarize(struct app *app, struct metrics_cli_args *a,
                     struct strbuf *out, struct err *err)
{
    struct colstore *cs = NULL;
    struct metrics_result *head = NULL, *stages = NULL;
    struct metrics_query q;
    struct store_counts n;
    double load_ms = 0, t0;
    int rc;

    metrics_query_init(&q, FIELD_RESPONSES);
    if ((rc = metrics_cli_load(app, &cs, NULL, &load_ms)) != 0)
        goto done;
    if (store_count(app->store, &n, err) < 0) {
        rc = cli_error(app, err);
        goto done;
    }
    t0 = metrics_cli_now_ms();
    q.min_n = a->q.min_n;
    if (metrics_run(&head, cs, &q, err) < 0) {
        rc = cli_error(app, err);
        goto done;
    }
    q.keep_empty = 1; /* every stage, answered or not */
    if (metrics_query_metrics(&q, "nps", err) < 0 ||
        metrics_query_by(&q, "stage", err) < 0 ||
        metrics_run(&stages, cs, &q, err) < 0) {
        rc = cli_error(app, err);
        goto done;
    }
    double query_ms = metrics_cli_now_ms() - t0;
    if (a->fmt == METRICS_REPORT_JSON) {
        rc = strbuf_printf(out,
                           "{\"counts\":{\"customers\":%lld,\"responses\":"
                           "%lld,\"events\":%lld,\"touchpoints\":%lld,"
                           "\"stages\":%lld,\"journeys\":%lld},"
                           "\"headline\":",
                           (long long)n.customers, (long long)n.responses,
                           (long long)n.events, (long long)n.touchpoints,
                           (long long)n.stages, (long long)n.journeys);
        if (!rc)
            rc = add_json(out, head, cs, err);
        if (!rc)
            rc = strbuf_puts(out, ",\"nps_by_stage\":");
        if (!rc)
            rc = add_json(out, stages, cs, err);
        if (!rc)
            rc = strbuf_puts(out, "}\n");
    } else {
        rc = strbuf_printf(out,
                           "customers    %lld\n"
                           "responses    %lld\n"
                           "events       %lld\n"
                           "touchpoints  %lld (%lld stage%s, %lld "
                           "journey%s)\n\n"
                           "Headline\n",
                           (long long)n.customers, (long long)n.responses,
                           (long long)n.events, (long long)n.touchpoints,
                           (long long)n.stages, n.stages == 1 ? "" : "s",
                           (long long)n.journeys, n.journeys == 1 ? "" : "s");
        if (!rc)
            rc = metrics_report_render(out, head, cs, a->fmt, err);
        if (!rc)
            rc = strbuf_puts(out, "\nNPS by stage\n");
        if (!rc)
            rc = metrics_report_render(out, stages, cs, a->fmt, err);
    }
    if (rc < 0) {
        rc = cli_error(app, err);
        goto done;
    }
    fwrite(strbuf_str(out), 1, out->n, app->out);
    fflush(app->out); /* before the timing line on stderr */
    if (a->timing)
        metrics_cli_timing(app, cs, load_ms, query_ms);
done:
    metrics_query_dispose(&q);
    metrics_result_free(head);
    metrics_result_free(stages);
    colstore_free(cs);
    return rc;
}

int cmd_summary(struct app *app, int argc, char **argv)
{
    static const char *const names[] = {"--format", "--min-n", NULL};
    static const char *const flags[] = {"--timing", NULL};
    struct metrics_cli_args a;
    struct strbuf out = STRBUF_INIT;
    struct err err = ERR_INIT;
    int rc = EXIT_OK;

    metrics_cli_args_init(&a);
    for (int i = 1; i < argc; i++) {
        const char *name, *val;
        if ((rc = metrics_cli_next(app, "summary", argc, argv, &i, names, flags,
                                   &name, &val)) < 0) {
            rc = -rc;
            goto done;
        }
        if ((rc = metrics_cli_common(app, "summary", &a, name, val)) != 1)
            goto done;
    }
    if (a.fmt == METRICS_REPORT_CSV) {
        rc = cli_usage_error(app, "summary", "--format must be table or json");
        goto done;
    }
    rc = summarize(app, &a, &out, &err);
done:
    strbuf_dispose(&out);
    metrics_cli_args_dispose(&a);
    return rc;
}
