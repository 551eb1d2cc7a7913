/* resonans compare: B against A, for two periods or two groups. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cmd.h"
#include "cli/metrics_cli.h"
#include "colstore/colstore.h"
#include "core/err.h"
#include "core/strbuf.h"

/* One side: the shared settings, the shared --where, then its own filter. */
static int run_side(struct app *app, struct metrics_cli_args *a,
                    const struct colstore *cs, const char *filter,
                    struct metrics_result **out)
{
    struct metrics_query q;
    struct err err = ERR_INIT;
    int rc = 0;
    metrics_query_copy(&q, &a->q);
    if (metrics_query_where(&q, filter, &err) < 0 ||
        metrics_run(out, cs, &q, &err) < 0)
        rc = cli_error(app, &err);
    if (rc == 0 && !*out) /* can't happen: a failure always sets err */
        rc = EXIT_FAIL;
    metrics_query_dispose(&q);
    return rc;
}

int cmd_compare(struct app *app, int argc, char **argv)
{
    static const char *const names[] = {"--a",      "--b",     "--where",
                                        "--from",   "--to",    "--metric",
                                        "--min-n",  "--format", "--bins",
                                        NULL};
    static const char *const flags[] = {"--timing", NULL};
    struct metrics_cli_args a;
    struct metrics_result *ra = NULL, *rb = NULL;
    struct comparison *cmp = NULL;
    struct colstore *cs = NULL;
    struct strbuf out = STRBUF_INIT;
    struct err err = ERR_INIT;
    const char *fa = NULL, *fb = NULL;
    double load_ms = 0, t0, query_ms;
    int rc = EXIT_OK;

    metrics_cli_args_init(&a);
    for (int i = 1; i < argc; i++) {
        const char *name, *val;
        if ((rc = metrics_cli_next(app, "compare", argc, argv, &i, names, flags,
                                   &name, &val)) < 0) {
            rc = -rc;
            goto done;
        }
        if (!strcmp(name, "--a") || !strcmp(name, "--b")) {
            if ((rc = metrics_cli_check_where(app, "compare", val)) != 0)
                goto done;
            *(name[2] == 'a' ? &fa : &fb) = val;
        } else if ((rc = metrics_cli_common(app, "compare", &a, name, val)) !=
                   1) {
            goto done;
        }
    }
    if (!fa || !fb) {
        rc = cli_usage_error(app, "compare", "give both --a and --b");
        goto done;
    }
    if ((rc = metrics_cli_load(app, &cs, &a.q, &load_ms)) != 0)
        goto done;
    {
        /* The sides' own filters may name fields too. */
        struct metrics_query sides;
        metrics_query_init(&sides, FIELD_RESPONSES);
        if (metrics_query_where(&sides, fa, &err) < 0 ||
            metrics_query_where(&sides, fb, &err) < 0)
            rc = cli_error(app, &err);
        else
            rc = metrics_cli_prepare(app, cs, &sides);
        metrics_query_dispose(&sides);
        if (rc)
            goto done;
    }
    t0 = metrics_cli_now_ms();
    if ((rc = run_side(app, &a, cs, fa, &ra)) != 0 ||
        (rc = run_side(app, &a, cs, fb, &rb)) != 0)
        goto done;
    cmp = calloc(ra->n_figs + 1, sizeof *cmp);
    metrics_compare_cells(cmp, ra, ra->n_cells ? &ra->cells[0] : NULL, rb,
                          rb->n_cells ? &rb->cells[0] : NULL);
    query_ms = metrics_cli_now_ms() - t0;
    struct metrics_report_group ga = {fa, ra}, gb = {fb, rb};
    if (metrics_report_compare(&out, &ga, &gb, cmp, a.fmt, &err) < 0) {
        rc = cli_error(app, &err);
        goto done;
    }
    fwrite(strbuf_str(&out), 1, out.n, app->out);
    fflush(app->out); /* before the timing line on stderr */
    if (a.timing)
        metrics_cli_timing(app, cs, load_ms, query_ms);
done:
    free(cmp);
    strbuf_dispose(&out);
    metrics_result_free(ra);
    metrics_result_free(rb);
    colstore_free(cs);
    metrics_cli_args_dispose(&a);
    return rc;
}
