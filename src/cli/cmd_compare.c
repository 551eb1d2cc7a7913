/* resonans compare: B against A, for two periods or two groups. */
#include <stdio.h>
#include <stdlib.h>

#include "cli/cmd.h"
#include "cli/metrics_cli.h"
#include "colstore/colstore.h"
#include "core/err.h"
#include "report/metrics_report.h"

enum { O_A = MOPT_OWN, O_B };

static const struct opt_spec specs[] = {
    {"a", O_A, OPT_VALUE, 0, "FILTER", "group A (see above)"},
    {"b", O_B, OPT_VALUE, 0, "FILTER", "group B"},
    MOPT_SPEC_WHERE,
    MOPT_SPEC_BINS,
    MOPT_SPEC_FROM,
    MOPT_SPEC_TO,
    MOPT_SPEC_METRIC,
    MOPT_SPEC_MIN_N,
    MOPT_SPEC_FORMAT,
    MOPT_SPEC_METHOD,
    MOPT_SPEC_TIMING,
    OPT_END};

const struct opt_section cmd_compare_opts[] = {{"options", specs},
                                               {NULL, NULL}};

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
    struct metrics_cli_args a;
    struct metrics_result *ra = NULL, *rb = NULL;
    struct comparison *cmp = NULL;
    struct result *out = NULL;
    struct colstore *cs = NULL;
    struct opt_parser p;
    struct opt o;
    const char *fa = NULL, *fb = NULL;
    double load_ms = 0, t0, query_ms;
    int rc = EXIT_OK, got;

    metrics_cli_args_init(&a, FIELD_RESPONSES);
    opt_parser_init(&p, specs, argc, argv);
    while ((got = cli_opt_next(app, "compare", &p, &o)) > 0) {
        if (o.id == O_A || o.id == O_B) {
            if ((rc = metrics_cli_check_where(app, "compare", o.value)) != 0)
                goto done;
            *(o.id == O_A ? &fa : &fb) = o.value;
        } else if (o.id == OPT_ARG) {
            rc = cli_usage_error(app, "compare", "unexpected argument '%s'",
                                 o.value);
            goto done;
        } else if (metrics_cli_common(app, "compare", &a, &o) != 1) {
            rc = EXIT_USAGE; /* printed; 0 (not a shared option) is a bug */
            goto done;
        }
    }
    if (got < 0) {
        rc = EXIT_USAGE;
        goto done;
    }
    if (!fa || !fb) {
        rc = cli_usage_error(app, "compare", "give both --a and --b");
        goto done;
    }
    if ((rc = metrics_cli_load(app, &cs, &a.q, &load_ms)) != 0)
        goto done;
    {
        /* The groups' own filters may name fields too. */
        struct metrics_query sides;
        struct err err = ERR_INIT;
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
    out = metrics_report_compare(&ga, &gb, cmp);
    rc = metrics_cli_render(app, &a, out, cs, load_ms, query_ms);
done:
    free(cmp);
    result_free(out);
    metrics_result_free(ra);
    metrics_result_free(rb);
    metrics_cli_release(app, cs);
    metrics_cli_args_dispose(&a);
    return rc;
}
