/* resonans gap: the expectation-perception gap per question (SERVQUAL),
 * overall and per group, and how it relates to NPS (analysis/gap.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/gap.h"
#include "cli/cmd.h"
#include "cli/metrics_cli.h"
#include "colstore/colstore.h"
#include "core/err.h"
#include "query/prepare.h"
#include "report/gap_report.h"
#include "store/model.h"

enum { O_QUESTION = MOPT_OWN };

static const struct opt_spec specs[] = {
    {"question", O_QUESTION, OPT_VALUE, 0, "KEY[,KEY...]",
     "the gap questions (default: every question answered with expect:KEY "
     "and perceive:KEY)"},
    {"by", MOPT_BY, OPT_VALUE, 0, "FIELD",
     "rows per value of one field besides the overall row (default "
     "touchpoint; 'none' for the overall rows only): stage, segment, "
     "month, customer.NAME, an event feature in --bins, ..."},
    MOPT_SPEC_WHERE,
    MOPT_SPEC_BINS,
    MOPT_SPEC_FROM,
    MOPT_SPEC_TO,
    MOPT_SPEC_MIN_N,
    MOPT_SPEC_FORMAT,
    MOPT_SPEC_METHOD,
    MOPT_SPEC_TIMING,
    OPT_END};

const struct opt_section cmd_gap_opts[] = {{"options", specs}, {NULL, NULL}};

int cmd_gap(struct app *app, int argc, char **argv)
{
    struct metrics_cli_args a;
    struct query_keys keys = {NULL, 0, 0, GAP_MAX_KEYS, 0};
    struct gap_result *g = NULL;
    struct result *out = NULL;
    struct colstore *cs = NULL;
    struct opt_parser p;
    struct opt o;
    struct err err = ERR_INIT;
    const char *question = NULL;
    int by_none = 0, by_given = 0;
    double load_ms = 0, t0, query_ms;
    int rc = EXIT_OK, got;

    metrics_cli_args_init(&a, FIELD_RESPONSES);
    opt_parser_init(&p, specs, argc, argv);
    while ((got = cli_opt_next(app, "gap", &p, &o)) > 0) {
        if (o.id == O_QUESTION) {
            question = o.value;
        } else if (o.id == MOPT_BY && !strcmp(o.value, "none")) {
            by_none = 1;
        } else if (o.id == OPT_ARG) {
            rc = cli_usage_error(app, "gap", "unexpected argument '%s'",
                                 o.value);
            goto done;
        } else if (metrics_cli_common(app, "gap", &a, &o) != 1) {
            rc = EXIT_USAGE; /* printed; 0 (not a shared option) is a bug */
            goto done;
        } else if (o.id == MOPT_BY) {
            by_given = 1;
        }
    }
    if (got < 0) {
        rc = EXIT_USAGE;
        goto done;
    }
    if (a.q.n_by > 1) {
        rc = cli_usage_error(app, "gap", "--by takes one field");
        goto done;
    }
    if (!by_none && !by_given &&
        metrics_query_by(&a.q, "touchpoint", &err) < 0) {
        rc = cli_error(app, &err); /* can't happen: a fixed name */
        goto done;
    }
    if (question) {
        const char *s = question;
        for (;;) {
            const char *e = strchr(s, ',');
            size_t n = e ? (size_t)(e - s) : strlen(s);
            if (n == 0) {
                rc = cli_usage_error(app, "gap", "--question: empty key");
                goto done;
            }
            query_keys_add(&keys, s, n);
            if (!e)
                break;
            s = e + 1;
        }
        if (keys.too_many) {
            rc = cli_usage_error(app, "gap", "--question: at most %d keys",
                                 GAP_MAX_KEYS);
            goto done;
        }
    }
    if ((rc = metrics_cli_load(app, &cs, &a.q, &load_ms)) != 0)
        goto done;
    t0 = metrics_cli_now_ms();
    if (!question) {
        if (query_answer_keys(&keys, app->store, ANSWER_GAP, &err) < 0) {
            rc = cli_error(app, &err);
            goto done;
        }
        if (keys.n == 0) {
            err_set(&err, ERR_NOTFOUND,
                    "no gap questions: no response has expect:KEY and "
                    "perceive:KEY answers (docs/import-formats.md)");
            rc = cli_error(app, &err);
            goto done;
        }
        if (keys.too_many) {
            err_set(&err, ERR_INVALID,
                    "more than %d gap questions: choose with --question",
                    GAP_MAX_KEYS);
            rc = cli_error(app, &err);
            goto done;
        }
    }
    struct gap_query q = {
        (const char *const *)keys.v, keys.n, NULL, NULL, 0, &a.q};
    if (a.q.n_by) {
        q.by = &a.q.by[0];
        const struct metrics_bins *b = metrics_query_bins_for(&a.q, q.by);
        if (b) {
            q.edges = b->edges;
            q.n_edges = b->n;
        }
    }
    struct metrics_cli_prep pp = {cs, app->store, FIELD_RESPONSES, &err};
    if (gap_query_fields(&q, metrics_cli_prep_one, &pp, &err) != 0 ||
        gap_run(&g, cs, &q, &err) < 0) {
        rc = cli_error(app, &err);
        goto done;
    }
    query_ms = metrics_cli_now_ms() - t0;
    out = gap_report_build(g, a.q.min_n);
    rc = metrics_cli_render(app, &a, out, cs, load_ms, query_ms);
done:
    result_free(out);
    gap_result_free(g);
    query_keys_dispose(&keys);
    metrics_cli_release(app, cs);
    metrics_cli_args_dispose(&a);
    return rc;
}
