/* resonans metrics: NPS, CSAT and CES with n and 95% CI, grouped. */
#include <stdio.h>

#include "cli/cmd.h"
#include "cli/metrics_cli.h"
#include "colstore/colstore.h"
#include "core/err.h"
#include "core/strbuf.h"

int cmd_metrics(struct app *app, int argc, char **argv)
{
    static const char *const names[] = {"--by",     "--where",  "--bins",
                                        "--from",   "--to",     "--metric",
                                        "--min-n",  "--format", NULL};
    static const char *const flags[] = {"--timing", NULL};
    struct metrics_cli_args a;
    struct metrics_result *res = NULL;
    struct colstore *cs = NULL;
    struct strbuf out = STRBUF_INIT;
    struct err err = ERR_INIT;
    double load_ms = 0, t0, query_ms;
    int rc = EXIT_OK;

    metrics_cli_args_init(&a);
    for (int i = 1; i < argc; i++) {
        const char *name, *val;
        if ((rc = metrics_cli_next(app, "metrics", argc, argv, &i, names, flags,
                                   &name, &val)) < 0) {
            rc = -rc;
            goto done;
        }
        if ((rc = metrics_cli_common(app, "metrics", &a, name, val)) != 1) {
            if (rc == 0) /* listed in names but not handled: a bug */
                rc = cli_usage_error(app, "metrics", "unsupported '%s'", name);
            goto done;
        }
    }
    if ((rc = metrics_cli_load(app, &cs, &a.q, &load_ms)) != 0)
        goto done;
    t0 = metrics_cli_now_ms();
    if (metrics_run(&res, cs, &a.q, &err) < 0) {
        rc = cli_error(app, &err);
        goto done;
    }
    query_ms = metrics_cli_now_ms() - t0;
    if (metrics_report_render(&out, res, cs, a.fmt, &err) < 0) {
        rc = cli_error(app, &err);
        goto done;
    }
    fwrite(strbuf_str(&out), 1, out.n, app->out);
    fflush(app->out); /* before the timing line on stderr */
    if (a.timing)
        metrics_cli_timing(app, cs, load_ms, query_ms);
done:
    strbuf_dispose(&out);
    metrics_result_free(res);
    colstore_free(cs);
    metrics_cli_args_dispose(&a);
    return rc;
}
