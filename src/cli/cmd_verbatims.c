/* resonans verbatims: the (redacted) comments behind the numbers, newest
 * first, each with its explanation (report/verbatims_report.h). */
#include <stdio.h>
#include <string.h>

#include "cli/cmd.h"
#include "cli/metrics_cli.h"
#include "core/err.h"
#include "core/tstamp.h"
#include "report/verbatims_report.h"
#include "store/store.h"

enum { O_TOUCHPOINT = MOPT_OWN, O_THEME, O_SENTIMENT, O_LIMIT };

static const struct opt_spec specs[] = {
    {"touchpoint", O_TOUCHPOINT, OPT_VALUE, 0, "KEY",
     "comments given at this touchpoint"},
    {"theme", O_THEME, OPT_VALUE, 0, "KEY", "comments mentioning this theme"},
    {"sentiment", O_SENTIMENT, OPT_VALUE, 0, "LABEL",
     "negative, neutral, positive or mixed"},
    MOPT_SPEC_FROM,
    MOPT_SPEC_TO,
    {"limit", O_LIMIT, OPT_VALUE, 0, "N", "at most N comments (default 20)"},
    {"format", MOPT_FORMAT, OPT_VALUE, 0, "FMT",
     "table (also 'text'), csv, json or jsonl (default table)"},
    OPT_END};

const struct opt_section cmd_verbatims_opts[] = {{"options", specs},
                                                 {NULL, NULL}};

static int add(void *ctx, const struct response *r, const struct answer *a)
{
    verbatims_report_add(ctx, r, a);
    return 0;
}

static int parse_day(struct app *app, const struct opt *o, int64_t *day)
{
    if (tstamp_parse_date(day, o->value, strlen(o->value)) < 0)
        return cli_usage_error(app, "verbatims",
                               "--%s: bad date '%s' (expected YYYY-MM-DD)",
                               o->spec->name, o->value);
    return 0;
}

int cmd_verbatims(struct app *app, int argc, char **argv)
{
    static const char *const labels[] = {"negative", "neutral", "positive",
                                         "mixed"};
    struct comment_filter f = COMMENT_FILTER_INIT;
    struct err err = ERR_INIT;
    struct result *out = NULL;
    enum result_format fmt = RESULT_FORMAT_TABLE;
    const char *touchpoint = NULL;
    struct opt_parser p;
    struct opt o;
    long limit = 20;
    int rc, got;

    f.newest_first = 1;
    opt_parser_init(&p, specs, argc, argv);
    while ((got = cli_opt_next(app, "verbatims", &p, &o)) > 0) {
        switch (o.id) {
        case OPT_ARG:
            return cli_usage_error(app, "verbatims", "unexpected argument '%s'",
                                   o.value);
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
            if (!f.label)
                return cli_usage_error(app, "verbatims",
                                       "--sentiment must be negative, "
                                       "neutral, positive or mixed, got '%s'",
                                       o.value);
            break;
        case O_LIMIT:
            if (opt_parse_long(&limit, o.value, 1, 1000000) < 0)
                return cli_usage_error(app, "verbatims",
                                       "--limit must be a whole number "
                                       "1..1000000, got '%s'",
                                       o.value);
            break;
        case MOPT_FROM:
            if ((rc = parse_day(app, &o, &f.from_day)) != 0)
                return rc;
            break;
        case MOPT_TO:
            if ((rc = parse_day(app, &o, &f.to_day)) != 0)
                return rc;
            break;
        case MOPT_FORMAT:
            if ((rc = metrics_cli_format(app, "verbatims", o.value, &fmt)) != 0)
                return rc;
            break;
        }
    }
    if (got < 0)
        return EXIT_USAGE;
    f.limit = limit;
    struct store *s = cli_store(app);
    if (!s)
        return EXIT_FAIL;
    if (touchpoint && (rc = cli_touchpoint_id(app, "verbatims", touchpoint,
                                              &f.touchpoint_id)) != 0)
        return rc;
    out = verbatims_report_new();
    if (store_scan_comments(s, &f, add, out, &err) < 0)
        rc = cli_error(app, &err);
    else
        rc = cli_render(app, out, fmt, 0);
    result_free(out);
    return rc;
}
