/* resonans personas: customers clustered into personas, each shown as a
 * card (analysis/personas.h, report/personas_report.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/personas.h"
#include "cli/cmd.h"
#include "cli/metrics_cli.h"
#include "colstore/colstore.h"
#include "core/err.h"
#include "core/xalloc.h"
#include "report/personas_report.h"
#include "store/store.h"

/* The features without --features. */
#define DEFAULT_FEATURES "channels,responses,touchpoints,nps"

enum { O_K = MOPT_OWN, O_K_MAX, O_FEATURES, O_SEED, O_TRUTH, O_STARTS };

static const struct opt_spec specs[] = {
    {"k", O_K, OPT_VALUE, 0, "K",
     "this many personas (2..12) instead of choosing by the silhouette"},
    {"k-max", O_K_MAX, OPT_VALUE, 0, "N",
     "choose k in 2..N by the largest mean silhouette (default 8)"},
    {"features", O_FEATURES, OPT_VALUE, 0, "LIST",
     "comma list of customer.NAME (attributes), customer.A/customer.B "
     "(the ratio of two numeric attributes), channels (share of "
     "responses by channel), channels:ACTIVITY (share of the ACTIVITY "
     "events by channel), responses, touchpoints, nps (default "
     "channels,responses,touchpoints,nps)"},
    {"seed", O_SEED, OPT_VALUE, 0, "N",
     "seed of the random starts (default 1); the stability run uses N+1"},
    {"truth", O_TRUTH, OPT_VALUE, 0, "FIELD",
     "also report the adjusted Rand index against known groups: segment "
     "or customer.NAME"},
    {"starts", O_STARTS, OPT_VALUE, 0, "N",
     "random starts per run, the best kept (default 5)"},
    MOPT_SPEC_WHERE,
    MOPT_SPEC_FROM,
    MOPT_SPEC_TO,
    MOPT_SPEC_MIN_N,
    MOPT_SPEC_FORMAT,
    MOPT_SPEC_METHOD,
    MOPT_SPEC_TIMING,
    OPT_END};

const struct opt_section cmd_personas_opts[] = {{"options", specs},
                                                {NULL, NULL}};

struct args {
    struct metrics_cli_args m;
    const char *features, *truth;
    long k, k_max, seed, starts;
};

static int parse(struct app *app, struct args *a, int argc, char **argv)
{
    struct opt_parser p;
    struct opt o;
    int got;
    opt_parser_init(&p, specs, argc, argv);
    while ((got = cli_opt_next(app, "personas", &p, &o)) > 0) {
        switch (o.id) {
        case O_K:
            if (opt_parse_long(&a->k, o.value, 2, PERSONAS_K_MAX) < 0)
                return cli_usage_error(app, "personas",
                                       "--k must be 2..%d, got '%s'",
                                       PERSONAS_K_MAX, o.value);
            break;
        case O_K_MAX:
            if (opt_parse_long(&a->k_max, o.value, 2, PERSONAS_K_MAX) < 0)
                return cli_usage_error(app, "personas",
                                       "--k-max must be 2..%d, got '%s'",
                                       PERSONAS_K_MAX, o.value);
            break;
        case O_FEATURES:
            a->features = o.value;
            break;
        case O_SEED:
            if (opt_parse_long(&a->seed, o.value, 0, 2147483647L) < 0)
                return cli_usage_error(app, "personas",
                                       "--seed must be a whole number "
                                       "0..2147483647, got '%s'",
                                       o.value);
            break;
        case O_TRUTH:
            a->truth = o.value;
            break;
        case O_STARTS:
            if (opt_parse_long(&a->starts, o.value, 1, 100) < 0)
                return cli_usage_error(app, "personas",
                                       "--starts must be 1..100, got '%s'",
                                       o.value);
            break;
        case OPT_ARG:
            return cli_usage_error(app, "personas", "unexpected argument '%s'",
                                   o.value);
        default:
            if (metrics_cli_common(app, "personas", &a->m, &o) != 1)
                return EXIT_USAGE; /* printed */
        }
    }
    if (got < 0)
        return EXIT_USAGE;
    if (a->k && a->k_max)
        return cli_usage_error(app, "personas",
                               "give --k or --k-max, not both");
    return 0;
}

/* The quotes the analysis picked, fetched from the store (stored
 * redacted). */
struct quotes {
    const struct personas_result *r;
    char **text; /* [2k] */
    size_t left;
};

static int take(void *ctx, const struct response *resp, const struct answer *a)
{
    struct quotes *q = ctx;
    for (int c = 0; c < q->r->k; c++)
        for (int i = 0; i < 2; i++)
            if (q->r->p[c].quote_id[i] == resp->id && !q->text[2 * c + i] &&
                a->text) {
                q->text[2 * c + i] = xstrdup(a->text);
                q->left--;
            }
    return q->left == 0;
}

static int fetch_quotes(struct app *app, struct quotes *q, struct err *err)
{
    struct comment_filter f = COMMENT_FILTER_INIT;
    q->text = xcalloc(2 * (size_t)q->r->k, sizeof *q->text);
    q->left = 0;
    for (int c = 0; c < q->r->k; c++)
        for (int i = 0; i < 2; i++)
            q->left += q->r->p[c].quote_id[i] != 0;
    if (!q->left)
        return 0;
    return store_scan_comments(app->store, &f, take, q, err) < 0 ? -1 : 0;
}

int cmd_personas(struct app *app, int argc, char **argv)
{
    struct args a = {0};
    struct personas_spec *spec = NULL;
    struct personas_result *res = NULL;
    struct result *out = NULL;
    struct colstore *cs = NULL;
    struct err err = ERR_INIT;
    struct quotes q = {0};
    struct field truth;
    double load_ms = 0, t0, query_ms;
    int rc;

    metrics_cli_args_init(&a.m, FIELD_RESPONSES);
    a.seed = 1;
    if ((rc = parse(app, &a, argc, argv)) != 0)
        goto done;
    if (personas_spec_new(&spec, a.features ? a.features : DEFAULT_FEATURES,
                          &err) < 0) {
        rc = cli_usage_error(app, "personas", "--features: %s", err.msg);
        goto done;
    }
    if (a.truth && field_parse(&truth, a.truth, strlen(a.truth),
                               FIELD_RESPONSES, &err) < 0) {
        rc = cli_usage_error(app, "personas", "--truth: %s", err.msg);
        goto done;
    }
    if ((rc = metrics_cli_load(app, &cs, &a.m.q, &load_ms)) != 0)
        goto done;
    {
        struct metrics_cli_prep p = {cs, app->store, FIELD_RESPONSES, &err};
        if (personas_spec_fields(spec, metrics_cli_prep_one, &p) < 0 ||
            (a.truth && metrics_cli_prep_one(&p, &truth) < 0) ||
            (spec->needs_events &&
             colstore_load_events(cs, app->store, &err) < 0)) {
            rc = cli_error(app, &err);
            goto done;
        }
    }
    t0 = metrics_cli_now_ms();
    struct personas_opts o = PERSONAS_OPTS_INIT;
    o.filter = &a.m.q;
    o.k = (int)a.k;
    if (a.k_max)
        o.k_max = (int)a.k_max;
    if (a.starts)
        o.starts = (int)a.starts;
    o.seed = (uint64_t)a.seed;
    o.truth = a.truth ? &truth : NULL;
    o.min_n = a.m.q.min_n;
    if (personas_run(&res, cs, spec, &o, &err) < 0) {
        rc = cli_error(app, &err);
        goto done;
    }
    q.r = res;
    if (fetch_quotes(app, &q, &err) < 0) {
        rc = cli_error(app, &err);
        goto done;
    }
    out = personas_report_build(res, (const char *const *)q.text);
    query_ms = metrics_cli_now_ms() - t0;
    rc = metrics_cli_render(app, &a.m, out, cs, load_ms, query_ms);
done:
    if (q.text)
        for (int c = 0; res && c < 2 * res->k; c++)
            free(q.text[c]);
    free(q.text);
    result_free(out);
    personas_result_free(res);
    personas_spec_free(spec);
    metrics_cli_release(app, cs);
    metrics_cli_args_dispose(&a.m);
    return rc;
}
