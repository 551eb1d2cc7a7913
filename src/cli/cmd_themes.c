/* resonans themes: theme volumes and negative shares, emerging issues,
 * discovery of themes the taxonomy lacks, and the organisation's own
 * taxonomy (load, show, reset). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cmd.h"
#include "cli/metrics_cli.h"
#include "colstore/colstore.h"
#include "core/err.h"
#include "core/strbuf.h"
#include "core/xalloc.h"
#include "report/themes_report.h"
#include "stats/emerging.h"
#include "store/store.h"
#include "text/discovery.h"
#include "text/sentiment.h"
#include "text/themes.h"

enum {
    O_EMERGING = MOPT_OWN,
    O_DISCOVER,
    O_ALPHA,
    O_WINDOW,
    O_LIMIT,
    O_MIN_COMMENTS,
    O_REPLACE
};

static const struct opt_spec specs[] = {
    {"by", MOPT_BY, OPT_VALUE, 0, "FIELD",
     "per value of one field: a period (day ... year; --emerging needs "
     "one), segment, touchpoint, customer.NAME, event.ACTIVITY.ATTR, ..."},
    MOPT_SPEC_WHERE,
    MOPT_SPEC_BINS,
    MOPT_SPEC_FROM,
    MOPT_SPEC_TO,
    {"min-n", MOPT_MIN_N, OPT_VALUE, 0, "N",
     "flag shares resting on fewer than N comments or mentions (default "
     "30)"},
    {"emerging", O_EMERGING, OPT_FLAG, 0, NULL,
     "theme-periods whose share rose beyond the baseline (default by "
     "month)"},
    {"alpha", O_ALPHA, OPT_VALUE, 0, "A",
     "--emerging: false-alarm rate per period (default 0.01)"},
    {"window", O_WINDOW, OPT_VALUE, 0, "K",
     "--emerging: baseline periods, 2..1000 (default 6)"},
    {"discover", O_DISCOVER, OPT_FLAG, 0, NULL,
     "candidate themes among comments that matched none (--where "
     "touchpoint=KEY, --from and --to filter them)"},
    {"limit", O_LIMIT, OPT_VALUE, 0, "N",
     "--discover: at most N candidates (default 10)"},
    {"min-comments", O_MIN_COMMENTS, OPT_VALUE, 0, "N",
     "--discover: phrases in at least N comments (default 5)"},
    MOPT_SPEC_FORMAT,
    MOPT_SPEC_METHOD,
    MOPT_SPEC_TIMING,
    OPT_END};

static const struct opt_spec load_specs[] = {
    {"replace", O_REPLACE, OPT_FLAG, 0, NULL,
     "replace the built-in taxonomy instead of extending it"},
    OPT_END};

static const struct opt_spec show_specs[] = {MOPT_SPEC_FORMAT, OPT_END};

const struct opt_section cmd_themes_opts[] = {{"options", specs},
                                              {"load options", load_specs},
                                              {"show options", show_specs},
                                              {NULL, NULL}};

/* ---- the taxonomy in force: built-in plus the saved one ---- */

static int load_taxonomy(struct app *app, struct themes **out, int *saved)
{
    struct store *s = cli_store(app);
    struct err err = ERR_INIT;
    char *name = NULL, *src = NULL;
    size_t n = 0;
    int replaces = 0, rc;
    *out = NULL;
    *saved = 0;
    if (!s)
        return app->store_exit;
    rc = store_get_taxonomy(s, &name, &src, &n, &replaces, &err);
    if (rc == ERR_NOTFOUND) {
        err_clear(&err);
        rc = themes_build(out, NULL, 0, NULL, 0, &err);
    } else if (rc == 0) {
        *saved = replaces ? 2 : 1;
        rc = themes_build(out, src, n, name, replaces, &err);
    }
    free(name);
    free(src);
    return rc < 0 ? cli_error(app, &err) : 0;
}

/* ---- themes load | show | reset ---- */

static int read_file(const char *path, struct strbuf *b, struct err *err)
{
    FILE *f = fopen(path, "rb");
    char chunk[65536];
    size_t got;
    int rc = 0;
    if (!f)
        return err_set(err, ERR_IO, "%s: cannot open", path);
    while ((got = fread(chunk, 1, sizeof chunk, f)) > 0)
        if (strbuf_add(b, chunk, got) < 0) {
            rc = err_set(err, ERR_INVALID, "%s: too large (at most %u bytes)",
                         path, (unsigned)THEMES_MAX_INPUT);
            break;
        }
    if (!rc && ferror(f))
        rc = err_set(err, ERR_IO, "%s: cannot read", path);
    fclose(f);
    return rc;
}

static int themes_load_cmd(struct app *app, int argc, char **argv)
{
    const char *file = NULL;
    int replace = 0, rc = EXIT_OK, got;
    struct strbuf b;
    struct err err = ERR_INIT;
    struct themes *tx = NULL;
    struct opt_parser p;
    struct opt o;
    opt_parser_init(&p, load_specs, argc - 1, argv + 1);
    while ((got = cli_opt_next(app, "themes", &p, &o)) > 0) {
        if (o.id == O_REPLACE)
            replace = 1;
        else if (!file)
            file = o.value;
        else
            return cli_usage_error(app, "themes", "unexpected argument '%s'",
                                   o.value);
    }
    if (got < 0)
        return EXIT_USAGE;
    if (!file)
        return cli_usage_error(app, "themes", "load needs a FILE");
    strbuf_init(&b, THEMES_MAX_INPUT + 1);
    app->db_create = 1; /* a taxonomy may come before the first import */
    struct store *s = cli_store(app);
    if (!s) {
        rc = app->store_exit;
        goto done;
    }
    if (read_file(file, &b, &err) < 0 ||
        themes_build(&tx, b.p ? b.p : "", b.n, file, replace, &err) < 0 ||
        store_put_taxonomy(s, file, b.p ? b.p : "", b.n, replace, &err) < 0) {
        rc = cli_error(app, &err);
        goto done;
    }
    cli_say(app->out,
            "%s: taxonomy saved, %zu themes and %zu terms in force (%s the "
            "built-in one); comments imported from now on use it",
            file, themes_count(tx), themes_term_count(tx),
            replace ? "replacing" : "extending");
done:
    themes_free(tx);
    strbuf_dispose(&b);
    return rc;
}

static int themes_show_cmd(struct app *app, int argc, char **argv)
{
    struct themes *tx = NULL;
    struct result *out = NULL;
    enum result_format fmt = RESULT_FORMAT_TABLE;
    struct opt_parser p;
    struct opt o;
    int saved, rc, got;
    opt_parser_init(&p, show_specs, argc - 1, argv + 1);
    while ((got = cli_opt_next(app, "themes", &p, &o)) > 0) {
        if (o.id == OPT_ARG)
            return cli_usage_error(app, "themes", "unexpected argument '%s'",
                                   o.value);
        if ((rc = metrics_cli_format(app, "themes", o.value, &fmt)) != 0)
            return rc;
    }
    if (got < 0)
        return EXIT_USAGE;
    if ((rc = load_taxonomy(app, &tx, &saved)) != 0)
        return rc;
    out = themes_report_taxonomy(tx, saved);
    rc = cli_render(app, out, fmt, 0);
    result_free(out);
    themes_free(tx);
    return rc;
}

static int themes_reset_cmd(struct app *app)
{
    struct err err = ERR_INIT;
    struct store *s = cli_store(app);
    if (!s)
        return app->store_exit;
    if (store_put_taxonomy(s, NULL, NULL, 0, 0, &err) < 0)
        return cli_error(app, &err);
    fputs("the built-in taxonomy is in force again\n", app->out);
    return EXIT_OK;
}

/* ---- discovery ---- */

struct disc_ctx {
    struct discovery *d;
    struct err *err;
};

static int disc_add(void *ctx, const struct response *r, const struct answer *a)
{
    struct disc_ctx *c = ctx;
    enum lang l = LANG_OTHER;
    (void)r;
    if (!a->text || lang_parse(&l, a->analysis->language) < 0)
        return 0;
    struct err e = ERR_INIT;
    (void)discovery_add(c->d, a->text, strlen(a->text), l, &e);
    return 0;
}

struct tp_find {
    const char *key;
    int64_t id;
};

static int find_touchpoint(void *ctx, const struct journey *j,
                           const struct stage *st, const struct touchpoint *t)
{
    struct tp_find *f = ctx;
    (void)j;
    (void)st;
    if (strcmp(t->key, f->key) != 0)
        return 0;
    f->id = t->id;
    return 1;
}

/* The touchpoint id of a key, or EXIT_NOTFOUND after saying so. Shared
 * with cmd_verbatims.c through cmd.h. */
int cli_touchpoint_id(struct app *app, const char *cmd, const char *key,
                      int64_t *id)
{
    struct tp_find f = {key, 0};
    struct err err = ERR_INIT;
    struct store *s = cli_store(app);
    if (!s)
        return app->store_exit;
    if (store_list_touchpoints(s, find_touchpoint, &f, &err) < 0)
        return cli_error(app, &err);
    if (!f.id) {
        cli_say(app->err, "resonans %s: no touchpoint \"%s\"", cmd, key);
        return EXIT_NOTFOUND;
    }
    *id = f.id;
    return 0;
}

static int discover(struct app *app, const char *touchpoint, int64_t from,
                    int64_t to, int max_themes, int min_docs,
                    enum result_format fmt, unsigned flags)
{
    struct comment_filter f = COMMENT_FILTER_INIT;
    struct discovery_opts o = DISCOVERY_OPTS_INIT;
    struct discovery_result *res = NULL;
    struct discovery *d = NULL;
    struct sentiment *se = NULL;
    struct result *out = NULL;
    struct err err = ERR_INIT;
    int rc = EXIT_OK;
    struct store *s = cli_store(app);
    if (!s)
        return app->store_exit;
    if (touchpoint && (rc = cli_touchpoint_id(app, "themes", touchpoint,
                                              &f.touchpoint_id)) != 0)
        return rc;
    f.unthemed = 1;
    f.from_day = from;
    f.to_day = to;
    o.max_themes = max_themes;
    o.min_docs = min_docs;
    struct disc_ctx c = {NULL, &err};
    if (sentiment_new(&se, &err) < 0 || discovery_new(&d, se, &err) < 0) {
        rc = cli_error(app, &err);
        goto done;
    }
    c.d = d;
    if (store_scan_comments(s, &f, disc_add, &c, &err) < 0 ||
        discovery_run(&res, d, &o, &err) < 0) {
        rc = cli_error(app, &err);
        goto done;
    }
    out = themes_report_discovery(res, min_docs);
    rc = cli_render(app, out, fmt, flags);
done:
    result_free(out);
    discovery_result_free(res);
    discovery_free(d);
    sentiment_free(se);
    return rc;
}

/* ---- volumes and emerging issues ---- */

int cmd_themes(struct app *app, int argc, char **argv)
{
    struct metrics_cli_args a;
    struct emerging_opts eo = EMERGING_OPTS_INIT;
    struct emerging_series *s = NULL;
    struct emerging_test *tests = NULL;
    struct colstore *cs = NULL;
    struct themes *tx = NULL;
    struct result *out = NULL;
    struct err err = ERR_INIT;
    struct opt_parser p;
    struct opt o;
    struct field month;
    const struct field *group = NULL;
    int emerging = 0, disc = 0, saved, rc = EXIT_OK, got;
    long limit = 10, min_docs = 5, window;
    double load_ms = 0;

    if (argc > 1 && !strcmp(argv[1], "load"))
        return themes_load_cmd(app, argc, argv);
    if (argc > 1 && !strcmp(argv[1], "show"))
        return themes_show_cmd(app, argc, argv);
    if (argc > 1 && !strcmp(argv[1], "reset"))
        return argc == 2
                   ? themes_reset_cmd(app)
                   : cli_usage_error(app, "themes", "reset takes no arguments");
    metrics_cli_args_init(&a, FIELD_RESPONSES);
    opt_parser_init(&p, specs, argc, argv);
    while ((got = cli_opt_next(app, "themes", &p, &o)) > 0) {
        const char *val = o.value;
        switch (o.id) {
        case OPT_ARG:
            rc = cli_usage_error(app, "themes",
                                 "unknown subcommand '%s' (load, show or "
                                 "reset)",
                                 val);
            goto done;
        case MOPT_BY: /* given once: the parser refuses a second --by */
            if (metrics_cli_common(app, "themes", &a, &o) != 1) {
                rc = EXIT_USAGE;
                goto done;
            }
            if (a.q.n_by != 1) {
                rc = cli_usage_error(app, "themes", "--by takes one field");
                goto done;
            }
            break;
        case O_EMERGING:
            emerging = 1;
            break;
        case O_DISCOVER:
            disc = 1;
            break;
        case O_ALPHA:
            if (opt_parse_double(&eo.alpha, val) < 0 ||
                !(eo.alpha > 0 && eo.alpha < 1)) {
                rc = cli_usage_error(
                    app, "themes", "--alpha must be in (0, 1), got '%s'", val);
                goto done;
            }
            break;
        case O_WINDOW:
        case O_LIMIT:
        case O_MIN_COMMENTS: {
            long *dst = o.id == O_WINDOW  ? &window
                        : o.id == O_LIMIT ? &limit
                                          : &min_docs;
            int lo = o.id == O_WINDOW ? 2 : 1;
            if (opt_parse_long(dst, val, lo, 1000) < 0) {
                rc = cli_usage_error(app, "themes",
                                     "--%s must be a whole number %d..1000, "
                                     "got '%s'",
                                     o.spec->name, lo, val);
                goto done;
            }
            if (o.id == O_WINDOW)
                eo.window = (int)window;
            break;
        }
        default:
            if (metrics_cli_common(app, "themes", &a, &o) != 1) {
                rc = EXIT_USAGE; /* printed; 0 would be a bug */
                goto done;
            }
        }
    }
    if (got < 0) {
        rc = EXIT_USAGE;
        goto done;
    }
    if (eo.min_window > eo.window)
        eo.min_window = eo.window;
    unsigned flags = a.method ? RESULT_RENDER_METHOD : 0;
    if (disc) {
        const char *tp = NULL;
        for (size_t i = 0; i < a.q.n_where; i++) {
            const struct metrics_where *w = &a.q.where[i];
            if (w->field.kind != FIELD_CORE || w->field.core != FC_TOUCHPOINT ||
                w->op != MOP_IN || w->n != 1 || tp) {
                rc = cli_usage_error(app, "themes",
                                     "--discover filters by one "
                                     "--where touchpoint=KEY and --from/--to "
                                     "only");
                goto done;
            }
            tp = w->values[0];
        }
        rc = discover(app, tp, a.q.from_day, a.q.to_day, (int)limit,
                      (int)min_docs, a.fmt, flags);
        goto done;
    }
    if (a.q.n_by)
        group = &a.q.by[0];
    if (emerging && group && !field_is_period(group)) {
        rc = cli_usage_error(app, "themes",
                             "--emerging needs a period in --by (day, week, "
                             "month, quarter or year), got '%s'",
                             group->text);
        goto done;
    }
    if (emerging && !group) {
        struct err e = ERR_INIT;
        field_parse(&month, "month", 5, FIELD_RESPONSES, &e);
        group = &month;
    }
    if ((rc = metrics_cli_load(app, &cs, &a.q, &load_ms)) != 0 ||
        (rc = load_taxonomy(app, &tx, &saved)) != 0)
        goto done;
    double t0 = metrics_cli_now_ms();
    if (emerging_series_build(&s, cs, &a.q, group, &err) < 0) {
        rc = cli_error(app, &err);
        goto done;
    }
    if (emerging) {
        size_t cells = s->n_themes * s->n_periods;
        tests = xcalloc(cells + 1, sizeof *tests);
        size_t n_flags = emerging_run(tests, s->mentions, s->comments,
                                      s->n_themes, s->n_periods, &eo);
        out = themes_report_emerging(s, tests, n_flags, &eo, cs, tx);
    } else {
        out = themes_report_volumes(s, cs, tx, a.q.min_n);
    }
    rc = metrics_cli_render(app, &a, out, cs, load_ms,
                            metrics_cli_now_ms() - t0);
done:
    result_free(out);
    free(tests);
    emerging_series_free(s);
    themes_free(tx);
    metrics_cli_release(app, cs);
    metrics_cli_args_dispose(&a);
    return rc;
}
