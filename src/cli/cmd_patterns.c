/* resonans patterns: Sense-making patterns of a triad or a dyad, overall
 * and per group, with an SVG of the picture (analysis/patterns.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/patterns.h"
#include "cli/cmd.h"
#include "cli/metrics_cli.h"
#include "colstore/colstore.h"
#include "core/err.h"
#include "core/strbuf.h"
#include "report/patterns_report.h"
#include "report/patterns_svg.h"

enum { O_TRIAD = MOPT_OWN, O_DYAD, O_SVG, O_CORNERS, O_K };

static const struct opt_spec specs[] = {
    {"triad", O_TRIAD, OPT_VALUE, 0, "KEY",
     "the triad question (imported as triad:KEY)"},
    {"dyad", O_DYAD, OPT_VALUE, 0, "KEY",
     "the dyad question (imported as dyad:KEY)"},
    {"by", MOPT_BY, OPT_VALUE, 0, "FIELD",
     "means per value of one field besides the overall row: segment, "
     "touchpoint, stage, month, customer.NAME, ..."},
    {"corners", O_CORNERS, OPT_VALUE, 0, "A,B,C",
     "labels of the triad's three corners in import order (default a,b,c)"},
    {"k", O_K, OPT_VALUE, 0, "N",
     "clusters of stories, 1..5 (default: chosen by the Calinski-Harabasz "
     "index among 2..5)"},
    {"svg", O_SVG, OPT_VALUE, 0, "FILE",
     "also write the ternary plot (or the dyad histogram) as SVG"},
    MOPT_SPEC_WHERE,
    MOPT_SPEC_BINS,
    MOPT_SPEC_FROM,
    MOPT_SPEC_TO,
    MOPT_SPEC_MIN_N,
    MOPT_SPEC_FORMAT,
    MOPT_SPEC_METHOD,
    MOPT_SPEC_TIMING,
    OPT_END};

const struct opt_section cmd_patterns_opts[] = {{"options", specs},
                                                {NULL, NULL}};

/* Splits "A,B,C" into three labels in buf (NUL-separated). 0 or -1. */
static int split_corners(char *buf, size_t size, const char *v,
                         const char *out[3])
{
    size_t n = strlen(v);
    if (n + 1 > size)
        return -1;
    memcpy(buf, v, n + 1);
    int k = 0;
    for (char *s = buf; k < 3; k++) {
        out[k] = s;
        char *c = strchr(s, ',');
        if (!c)
            break;
        *c = 0;
        s = c + 1;
    }
    if (k != 2 || strchr(out[2], ','))
        return -1;
    for (int i = 0; i < 3; i++)
        if (!*out[i])
            return -1;
    return 0;
}

/* Writes the SVG to path. Returns 0 or prints the error and returns its
 * exit code. */
static int write_svg(struct app *app, const char *path,
                     const struct patterns_result *p, const char *const *c)
{
    struct strbuf b = STRBUF_INIT;
    FILE *f = NULL;
    int rc = EXIT_OK;
    if (patterns_svg_render(&b, p, c) < 0) { /* can't happen: no maximum */
        cli_say(app->err, "resonans patterns: the SVG is too large");
        rc = EXIT_FAIL;
        goto done;
    }
    if (!(f = fopen(path, "wb"))) {
        cli_say(app->err, "resonans: %s: cannot write: %s", path,
                strerror(errno));
        rc = EXIT_FAIL;
        goto done;
    }
    if (fwrite(b.p, 1, b.n, f) != b.n || fclose(f) != 0) {
        f = NULL;
        cli_say(app->err, "resonans: %s: writing failed", path);
        rc = EXIT_FAIL;
        goto done;
    }
    f = NULL;
done:
    if (f)
        fclose(f);
    strbuf_dispose(&b);
    return rc;
}

int cmd_patterns(struct app *app, int argc, char **argv)
{
    struct metrics_cli_args a;
    struct patterns_result *pr = NULL;
    struct result *out = NULL;
    struct colstore *cs = NULL;
    struct opt_parser p;
    struct opt o;
    struct err err = ERR_INIT;
    const char *triad = NULL, *dyad = NULL, *svg = NULL;
    const char *corners[3] = {"a", "b", "c"};
    char cbuf[600];
    long k = 0;
    double load_ms = 0, t0, query_ms;
    int rc = EXIT_OK, got;

    metrics_cli_args_init(&a, FIELD_RESPONSES);
    opt_parser_init(&p, specs, argc, argv);
    while ((got = cli_opt_next(app, "patterns", &p, &o)) > 0) {
        if (o.id == O_TRIAD) {
            triad = o.value;
        } else if (o.id == O_DYAD) {
            dyad = o.value;
        } else if (o.id == O_SVG) {
            svg = o.value;
        } else if (o.id == O_CORNERS) {
            if (split_corners(cbuf, sizeof cbuf, o.value, corners) < 0) {
                rc = cli_usage_error(app, "patterns",
                                     "--corners takes three non-empty "
                                     "labels A,B,C, got '%s'",
                                     o.value);
                goto done;
            }
        } else if (o.id == O_K) {
            if (opt_parse_long(&k, o.value, 1, PATTERNS_MAX_K) < 0) {
                rc = cli_usage_error(app, "patterns",
                                     "--k must be 1..%d, got '%s'",
                                     PATTERNS_MAX_K, o.value);
                goto done;
            }
        } else if (o.id == OPT_ARG) {
            rc = cli_usage_error(app, "patterns", "unexpected argument '%s'",
                                 o.value);
            goto done;
        } else if (metrics_cli_common(app, "patterns", &a, &o) != 1) {
            rc = EXIT_USAGE; /* printed; 0 (not a shared option) is a bug */
            goto done;
        }
    }
    if (got < 0) {
        rc = EXIT_USAGE;
        goto done;
    }
    if (!triad == !dyad) {
        rc = cli_usage_error(app, "patterns",
                             "give one of --triad KEY or --dyad KEY");
        goto done;
    }
    if (a.q.n_by > 1) {
        rc = cli_usage_error(app, "patterns", "--by takes one field");
        goto done;
    }
    if ((rc = metrics_cli_load(app, &cs, &a.q, &load_ms)) != 0)
        goto done;
    t0 = metrics_cli_now_ms();
    struct patterns_query q = {triad ? PATTERNS_TRIAD : PATTERNS_DYAD,
                               triad ? triad : dyad,
                               NULL,
                               NULL,
                               0,
                               &a.q,
                               (int)k};
    if (a.q.n_by) {
        q.by = &a.q.by[0];
        const struct metrics_bins *b = metrics_query_bins_for(&a.q, q.by);
        if (b) {
            q.edges = b->edges;
            q.n_edges = b->n;
        }
    }
    struct metrics_cli_prep pp = {cs, app->store, FIELD_RESPONSES, &err};
    if (patterns_query_fields(&q, metrics_cli_prep_one, &pp, &err) != 0 ||
        patterns_run(&pr, cs, &q, &err) < 0) {
        rc = cli_error(app, &err);
        goto done;
    }
    query_ms = metrics_cli_now_ms() - t0;
    out = patterns_report_build(pr, corners, a.q.min_n);
    if (svg && (rc = write_svg(app, svg, pr, corners)) != 0)
        goto done;
    rc = metrics_cli_render(app, &a, out, cs, load_ms, query_ms);
done:
    result_free(out);
    patterns_result_free(pr);
    metrics_cli_release(app, cs);
    metrics_cli_args_dispose(&a);
    return rc;
}
