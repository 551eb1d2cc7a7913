/* resonans verbatims: the (redacted) comments behind the numbers, newest
 * first, each with its explanation (report/verbatims_report.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cmd.h"
#include "cli/metrics_cli.h"
#include "colstore/colstore.h"
#include "core/err.h"
#include "query/qfield.h"
#include "report/verbatims_report.h"
#include "store/store.h"

enum {
    O_TOUCHPOINT = MOPT_OWN,
    O_THEME,
    O_SENTIMENT,
    O_LIMIT,
    O_TRIAD,
    O_CORNER,
    O_DYAD,
    O_MIN,
    O_MAX
};

static const struct opt_spec specs[] = {
    {"touchpoint", O_TOUCHPOINT, OPT_VALUE, 0, "KEY",
     "comments given at this touchpoint"},
    {"theme", O_THEME, OPT_VALUE, 0, "KEY", "comments mentioning this theme"},
    {"sentiment", O_SENTIMENT, OPT_VALUE, 0, "LABEL",
     "negative, neutral, positive or mixed"},
    MOPT_SPEC_WHERE,
    {"by", MOPT_BY, OPT_VALUE, 0, "FIELD[,FIELD...]",
     "show these fields' values with each comment (customer.district, "
     "event.fault_report.resolution_hours:30d, nps_group, ...)"},
    MOPT_SPEC_BINS,
    MOPT_SPEC_FROM,
    MOPT_SPEC_TO,
    {"limit", O_LIMIT, OPT_VALUE, 0, "N", "at most N comments (default 20)"},
    {"triad", O_TRIAD, OPT_VALUE, 0, "KEY",
     "the stories placed near a triad's corner: with --corner N and --min "
     "X (default 0.6), responses whose weight on corner N is >= X"},
    {"corner", O_CORNER, OPT_VALUE, 0, "N", "the triad's corner, 1..3"},
    {"dyad", O_DYAD, OPT_VALUE, 0, "KEY",
     "the stories placed on a dyad between --min and --max"},
    {"min", O_MIN, OPT_VALUE, 0, "X", "the weight or position at least X"},
    {"max", O_MAX, OPT_VALUE, 0, "X", "the weight or position at most X"},
    {"format", MOPT_FORMAT, OPT_VALUE, 0, "FMT",
     "table (also 'text'), csv, json or jsonl (default table)"},
    OPT_END};

const struct opt_section cmd_verbatims_opts[] = {{"options", specs},
                                                 {NULL, NULL}};

/* The comments shown: those the --where fields let through (when given),
 * with the --by fields' values, up to the limit. */
struct vctx {
    struct result *out;
    const struct colstore *cs; /* NULL: no --where or --by */
    const uint8_t *mask;       /* rows --where lets through, or NULL */
    struct qfield *by[METRICS_MAX_BY];
    int n_by;
    long limit, shown;
};

/* Stops the scan once the limit is reached (any positive value). */
#define DONE 1

static int add(void *ctx, const struct response *r, const struct answer *a)
{
    struct vctx *c = ctx;
    const char *values[METRICS_MAX_BY] = {NULL};
    if (c->cs) {
        int64_t row = colstore_row_of_id(c->cs, r->id);
        if (row < 0 || (c->mask && !c->mask[row]))
            return 0; /* filtered out, or stored after the load */
        for (int i = 0; i < c->n_by; i++)
            values[i] = c->by[i]->label[qfield_value(
                c->by[i], qfield_code(c->by[i], (size_t)row))];
    }
    verbatims_report_add(c->out, r, a, values, (size_t)c->n_by);
    return ++c->shown >= c->limit ? DONE : 0;
}

/* Loads the column store for --where and --by, and resolves them. */
static int prepare(struct app *app, struct metrics_cli_args *a,
                   struct colstore **cs, uint8_t **mask, struct vctx *c)
{
    struct err err = ERR_INIT;
    double ms;
    int rc;
    if ((rc = metrics_cli_load(app, cs, &a->q, &ms)) != 0)
        return rc;
    c->cs = *cs;
    if (a->q.n_where && metrics_filter_rows(mask, *cs, &a->q, &err) < 0)
        return cli_error(app, &err);
    c->mask = *mask;
    for (int i = 0; i < a->q.n_by; i++) {
        const struct field *f = &a->q.by[i];
        const struct metrics_bins *b = metrics_query_bins_for(&a->q, f);
        if (qfield_resolve(&c->by[i], *cs, COLSTORE_RESPONSES, f, &err) < 0 ||
            qfield_categorize(c->by[i], b ? b->edges : NULL, b ? b->n : 0,
                              UINT32_MAX, &err) < 0)
            return cli_error(app, &err);
        c->n_by = i + 1;
    }
    return 0;
}

/* The sense-making filter (--triad/--dyad, --corner, --min, --max). */
struct story_filter {
    const char *triad, *dyad;
    long corner;
    double min, max;
    int has_min, has_max;
};

/* Turns the sense-making filter into --where clauses on triadN:KEY or
 * dyad:KEY. Returns 0 or prints a usage error and returns EXIT_USAGE. */
static int story_where(struct app *app, const struct story_filter *sf,
                       struct metrics_query *q)
{
    const char *key = sf->triad ? sf->triad : sf->dyad;
    char expr[FIELD_MAX_NAME + 64];
    struct err err = ERR_INIT;
    if (!sf->triad && !sf->dyad) {
        if (sf->corner || sf->has_min || sf->has_max)
            return cli_usage_error(app, "verbatims",
                                   "--corner, --min and --max need --triad "
                                   "KEY or --dyad KEY");
        return 0;
    }
    if (sf->triad && sf->dyad)
        return cli_usage_error(app, "verbatims",
                               "give --triad or --dyad, not both");
    if (!*key || strpbrk(key, ",\";=<>! \t") ||
        strlen(key) > FIELD_MAX_NAME - 16)
        return cli_usage_error(app, "verbatims", "bad question key '%s'", key);
    if (sf->triad && !sf->corner)
        return cli_usage_error(app, "verbatims",
                               "--triad needs --corner 1, 2 or 3");
    if (sf->dyad && sf->corner)
        return cli_usage_error(app, "verbatims", "--corner is for a triad");
    double lo = sf->has_min ? sf->min : sf->triad ? 0.6 : 0;
    /* stored weights are normalised by their sum: 0.6 may read as
     * 0.59999999999; the bound allows for it as patterns does */
    if (lo > 0)
        lo -= 1e-9;
    char field[FIELD_MAX_NAME];
    if (sf->triad)
        snprintf(field, sizeof field, "triad%ld:%s", sf->corner, key);
    else
        snprintf(field, sizeof field, "dyad:%s", key);
    snprintf(expr, sizeof expr, "%s>=%.17g", field, lo);
    if (metrics_query_where(q, expr, &err) < 0)
        return cli_usage_error(app, "verbatims", "%s", err.msg);
    if (sf->has_max) {
        snprintf(expr, sizeof expr, "%s<=%.17g", field, sf->max);
        if (metrics_query_where(q, expr, &err) < 0)
            return cli_usage_error(app, "verbatims", "%s", err.msg);
    }
    return 0;
}

int cmd_verbatims(struct app *app, int argc, char **argv)
{
    struct story_filter sf = {NULL, NULL, 0, 0, 0, 0, 0};
    static const char *const labels[] = {"negative", "neutral", "positive",
                                         "mixed"};
    struct comment_filter f = COMMENT_FILTER_INIT;
    struct err err = ERR_INIT;
    struct metrics_cli_args a;
    struct colstore *cs = NULL;
    uint8_t *mask = NULL;
    struct vctx c;
    const char *names[METRICS_MAX_BY];
    struct result *out = NULL;
    const char *touchpoint = NULL;
    struct opt_parser p;
    struct opt o;
    long limit = 20;
    int rc, got;

    f.newest_first = 1;
    memset(&c, 0, sizeof c);
    metrics_cli_args_init(&a, FIELD_RESPONSES);
    opt_parser_init(&p, specs, argc, argv);
    while ((got = cli_opt_next(app, "verbatims", &p, &o)) > 0) {
        switch (o.id) {
        case OPT_ARG:
            rc = cli_usage_error(app, "verbatims", "unexpected argument '%s'",
                                 o.value);
            goto done;
        case MOPT_WHERE:
        case MOPT_BY:
        case MOPT_BINS:
        case MOPT_FROM:
        case MOPT_TO:
        case MOPT_FORMAT:
            if (metrics_cli_common(app, "verbatims", &a, &o) != 1) {
                rc = EXIT_USAGE;
                goto done;
            }
            break;
        case O_TOUCHPOINT:
            touchpoint = o.value;
            break;
        case O_THEME:
            f.theme = o.value;
            break;
        case O_SENTIMENT:
            f.label = NULL;
            for (int k = 0; k < 4 && !f.label; k++)
                if (!strcmp(o.value, labels[k]))
                    f.label = labels[k];
            if (!f.label) {
                rc = cli_usage_error(app, "verbatims",
                                     "--sentiment must be negative, "
                                     "neutral, positive or mixed, got '%s'",
                                     o.value);
                goto done;
            }
            break;
        case O_LIMIT:
            if (opt_parse_long(&limit, o.value, 1, 1000000) < 0) {
                rc = cli_usage_error(app, "verbatims",
                                     "--limit must be a whole number "
                                     "1..1000000, got '%s'",
                                     o.value);
                goto done;
            }
            break;
        case O_TRIAD:
            sf.triad = o.value;
            break;
        case O_DYAD:
            sf.dyad = o.value;
            break;
        case O_CORNER:
            if (opt_parse_long(&sf.corner, o.value, 1, 3) < 0) {
                rc = cli_usage_error(app, "verbatims",
                                     "--corner must be 1, 2 or 3, got '%s'",
                                     o.value);
                goto done;
            }
            break;
        case O_MIN:
        case O_MAX: {
            double v;
            if (opt_parse_double(&v, o.value) < 0 || v < 0 || v > 1) {
                rc = cli_usage_error(app, "verbatims",
                                     "--%s must be a number 0..1, got '%s'",
                                     o.id == O_MIN ? "min" : "max", o.value);
                goto done;
            }
            if (o.id == O_MIN) {
                sf.min = v;
                sf.has_min = 1;
            } else {
                sf.max = v;
                sf.has_max = 1;
            }
            break;
        }
        }
    }
    rc = EXIT_USAGE;
    if (got < 0 || story_where(app, &sf, &a.q) != 0)
        goto done;
    c.limit = limit;
    f.from_day = a.q.from_day; /* the same open ends: INT64_MIN, INT64_MAX */
    f.to_day = a.q.to_day;
    /* The store stops at the limit itself unless --where filters after it. */
    f.limit = a.q.n_where ? 0 : limit;
    struct store *s = cli_store(app);
    rc = app->store_exit;
    if (!s)
        goto done;
    if (touchpoint && (rc = cli_touchpoint_id(app, "verbatims", touchpoint,
                                              &f.touchpoint_id)) != 0)
        goto done;
    if ((a.q.n_where || a.q.n_by) &&
        (rc = prepare(app, &a, &cs, &mask, &c)) != 0)
        goto done;
    for (int i = 0; i < a.q.n_by; i++)
        names[i] = a.q.by[i].text;
    c.out = out = verbatims_report_new(names, (size_t)a.q.n_by);
    if (store_scan_comments(s, &f, add, &c, &err) < 0)
        rc = cli_error(app, &err);
    else
        rc = cli_render(app, out, a.fmt, 0);
done:
    result_free(out);
    for (int i = 0; i < c.n_by; i++)
        qfield_free(c.by[i]);
    free(mask);
    metrics_cli_release(app, cs);
    metrics_cli_args_dispose(&a);
    return rc;
}
