/* resonans journey map: the journey drawn from the data (the emotional
 * curve, drop-off, pain points, moments of truth, themes and a comment
 * per stage; the process map and the variants) as tables, and with --out
 * as a standalone SVG or an HTML page (docs/journey-map.md). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cmd.h"
#include "cli/journey_cli.h"
#include "cli/metrics_cli.h"
#include "colstore/colstore.h"
#include "core/err.h"
#include "core/strbuf.h"
#include "core/xalloc.h"
#include "journey/cases.h"
#include "journey/dfg.h"
#include "journey/experience.h"
#include "journey/funnel.h"
#include "journey/moments.h"
#include "journey/variants.h"
#include "report/journey_map.h"
#include "report/journey_map_build.h"
#include "report/journey_process_svg.h"
#include "report/result.h"
#include "stats/metrics.h"
#include "store/model.h"
#include "store/store.h"

enum {
    O_OUT = MOPT_OWN,
    O_LANG,
    O_TITLE,
    O_CASE,
    O_GAP,
    O_LEVEL,
    O_MIN_COUNT,
    O_OUTCOME
};

const struct opt_spec cmd_journey_map_specs[] = {
    {"out", O_OUT, OPT_VALUE, 0, "FILE.svg|FILE.html",
     "also write the map: an SVG, or an HTML page with the process map and "
     "the variants (opens with no network)"},
    {"lang", O_LANG, OPT_VALUE, 0, "sv|en",
     "the language of the map's labels (default en)"},
    {"title", O_TITLE, OPT_VALUE, 0, "TEXT", "the map's title"},
    {"case", O_CASE, OPT_VALUE, 0, "NAME",
     "the process map's cases: by this event attribute (default: per "
     "customer)"},
    {"gap", O_GAP, OPT_VALUE, 0, "Nd|Nw|Nh",
     "per customer: a new case after this long without events"},
    {"by", O_LEVEL, OPT_VALUE, 0, "LEVEL",
     "the process map's steps: activity (default), touchpoint, stage, "
     "channel"},
    {"min-count", O_MIN_COUNT, OPT_VALUE, 0, "N",
     "the process map draws edges followed at least N times (default: 1% "
     "of the cases, at least 1)"},
    {"outcome", O_OUTCOME, OPT_VALUE, 0, "ACTIVITY",
     "what leaving is, for the measured moments of truth (default notice; "
     "none when no such event)"},
    MOPT_SPEC_WHERE,
    MOPT_SPEC_FROM,
    MOPT_SPEC_TO,
    MOPT_SPEC_MIN_N,
    MOPT_SPEC_FORMAT,
    MOPT_SPEC_METHOD,
    MOPT_SPEC_TIMING,
    OPT_END};

struct args {
    struct metrics_cli_args m;
    struct journey_cli_cases c;
    const char *out, *lang, *title, *outcome;
    long min_count;
};

static int own_option(struct app *app, struct args *a, const struct opt *o)
{
    const char *v = o->value;
    char *end;
    switch (o->id) {
    case O_OUT: {
        size_t n = strlen(v);
        if (!(n > 4 && !strcmp(v + n - 4, ".svg")) &&
            !(n > 5 && !strcmp(v + n - 5, ".html")))
            return cli_usage_error(app, "journey map",
                                   "--out must end in .svg or .html, got "
                                   "'%s'",
                                   v);
        a->out = v;
        return 0;
    }
    case O_LANG:
        if (strcmp(v, "sv") && strcmp(v, "en"))
            return cli_usage_error(app, "journey map",
                                   "--lang must be sv or en, got '%s'", v);
        a->lang = v;
        return 0;
    case O_TITLE:
        a->title = v;
        return 0;
    case O_MIN_COUNT:
        a->min_count = strtol(v, &end, 10);
        if (end == v || *end || a->min_count < 1)
            return cli_usage_error(app, "journey map",
                                   "--min-count must be 1 or more, got '%s'",
                                   v);
        return 0;
    case O_OUTCOME:
        a->outcome = v;
        return 0;
    default:
        return EXIT_USAGE; /* can't happen */
    }
}

/* The stages' quotes, fetched from the store (stored redacted). */
struct quotes {
    const struct journey_experience *x;
    char **text; /* [x->n_st] */
    size_t left;
};

static int take(void *ctx, const struct response *r, const struct answer *a)
{
    struct quotes *q = ctx;
    for (size_t i = 0; i < q->x->n_st; i++)
        if (q->x->st[i].quote_id == r->id && !q->text[i] && a->text) {
            q->text[i] = xstrdup(a->text);
            q->left--;
        }
    return q->left == 0;
}

static int fetch_quotes(struct app *app, struct quotes *q, struct err *err)
{
    struct comment_filter f = COMMENT_FILTER_INIT;
    f.newest_first = 1; /* the quotes are the latest comments */
    q->text = xcalloc(q->x->n_st ? q->x->n_st : 1, sizeof *q->text);
    for (size_t i = 0; i < q->x->n_st; i++)
        q->left += q->x->st[i].quote_id != 0;
    if (!q->left)
        return 0;
    return store_scan_comments(app->store, &f, take, q, err) < 0 ? -1 : 0;
}

/* Writes b to path through a temporary file, so a failed write leaves
 * no half map. */
static int write_file(struct app *app, const char *path, const struct strbuf *b)
{
    struct strbuf tmp = STRBUF_INIT;
    strbuf_printf(&tmp, "%s.tmp.%ld", path, (long)getpid());
    FILE *f = fopen(strbuf_str(&tmp), "wb");
    int ok = f && fwrite(b->p, 1, b->n, f) == b->n;
    if (f && fclose(f) != 0)
        ok = 0;
    if (ok && rename(strbuf_str(&tmp), path) != 0)
        ok = 0;
    if (!ok) {
        cli_say(app->err, "resonans: %s: cannot write: %s", path,
                strerror(errno));
        remove(strbuf_str(&tmp));
    }
    strbuf_dispose(&tmp);
    return ok ? EXIT_OK : EXIT_FAIL;
}

int cmd_journey_map(struct app *app, int argc, char **argv)
{
    struct args a = {.c = JOURNEY_CLI_CASES_INIT};
    struct opt_parser p;
    struct opt o;
    struct err err = ERR_INIT;
    struct colstore *cs = NULL;
    struct journey_cases *stages = NULL, *c = NULL;
    struct journey_dfg *g = NULL;
    struct journey_variants *v = NULL;
    struct journey_experience *x = NULL;
    struct journey_moments *mom = NULL;
    struct journey_map_doc *doc = NULL;
    struct journey_funnel fun;
    struct quotes q = {0};
    struct result *out = NULL;
    struct metrics_query rq, pq;
    uint8_t *emask = NULL, *rmask = NULL, *pmask = NULL;
    struct strbuf b = STRBUF_INIT;
    double load_ms = 0, t0;
    int rc = EXIT_OK, got, have_funnel = 0;

    metrics_cli_args_init(&a.m, FIELD_EVENTS);
    metrics_query_init(&rq, FIELD_RESPONSES);
    metrics_query_init(&pq, FIELD_EVENTS);
    opt_parser_init(&p, cmd_journey_map_specs, argc, argv);
    while ((got = cli_opt_next(app, "journey", &p, &o)) > 0) {
        if (o.id >= MOPT_OWN) {
            int got_case =
                journey_cli_case_option(app, "journey map", &a.c, &o);
            if (got_case == EXIT_USAGE ||
                (!got_case && (rc = own_option(app, &a, &o)) != 0)) {
                rc = EXIT_USAGE;
                goto done;
            }
        } else if (o.id == OPT_ARG) {
            rc = cli_usage_error(app, "journey map", "unexpected argument '%s'",
                                 o.value);
            goto done;
        } else if (metrics_cli_common(app, "journey map", &a.m, &o) != 1) {
            rc = EXIT_USAGE;
            goto done;
        }
    }
    if (got < 0) {
        rc = EXIT_USAGE;
        goto done;
    }
    if ((rc = journey_cli_check(app, "journey map", &a.c)) != 0)
        goto done;
    if ((rc = metrics_cli_load(app, &cs, &a.m.q, &load_ms)) != 0)
        goto done;
    double l0 = metrics_cli_now_ms();
    /* the answers and the stage funnel: the period alone (--where picks
     * the process map's events) */
    rq.from_day = pq.from_day = a.m.q.from_day;
    rq.to_day = pq.to_day = a.m.q.to_day;
    if (journey_cli_load(app, cs, &a.c, &a.m.q, &emask, &err) < 0 ||
        metrics_filter_rows(&rmask, cs, &rq, &err) < 0 ||
        metrics_filter_rows(&pmask, cs, &pq, &err) < 0) {
        rc = cli_error(app, &err);
        goto done;
    }
    load_ms += metrics_cli_now_ms() - l0;
    t0 = metrics_cli_now_ms();

    if (journey_experience_build(&x, cs, rmask, &err) < 0) {
        rc = cli_error(app, &err);
        goto done;
    }
    /* drop-off: customers through the designed stages */
    struct journey_case_opts so = JOURNEY_CASE_OPTS_INIT;
    so.use = pmask;
    so.level = JL_STAGE;
    if (journey_cases_build(&stages, cs, &so, &err) == 0) {
        uint32_t st[JOURNEY_FUNNEL_MAX];
        size_t n = 0;
        for (size_t i = 0; i < x->n_st && n < JOURNEY_FUNNEL_MAX; i++)
            st[n++] = (uint32_t)x->st[i].code;
        have_funnel =
            n > 0 && journey_funnel_build(&fun, stages, st, n, &err) == 0;
    }
    err_clear(&err);
    struct journey_moments_opts mo = JOURNEY_MOMENTS_OPTS_INIT;
    mo.use = rmask;
    mo.min_n = a.m.q.min_n;
    if (a.outcome)
        mo.activity = a.outcome;
    if (journey_moments_build(&mom, cs, &mo, &err) < 0) {
        if (a.outcome || err.code != ERR_NOTFOUND) {
            rc = cli_error(app, &err);
            goto done;
        }
        err_clear(&err); /* no notice events: no measured moments */
    }
    /* the process map */
    struct journey_case_opts co = JOURNEY_CASE_OPTS_INIT;
    co.use = emask;
    co.level = a.c.level >= 0 ? (enum journey_level)a.c.level : JL_ACTIVITY;
    co.case_col = a.c.case_col;
    co.gap = a.c.gap;
    if (journey_cases_build(&c, cs, &co, &err) < 0 ||
        journey_dfg_build(&g, c, &err) < 0 ||
        journey_variants_build(&v, c, 12, &err) < 0) {
        rc = cli_error(app, &err);
        goto done;
    }
    q.x = x;
    if (fetch_quotes(app, &q, &err) < 0) {
        rc = cli_error(app, &err);
        goto done;
    }
    size_t min_count = a.min_count > 0  ? (size_t)a.min_count
                       : c->n / 100 > 1 ? c->n / 100
                                        : 1;
    struct journey_map_input in = {x,
                                   have_funnel ? &fun : NULL,
                                   mom,
                                   c,
                                   g,
                                   v,
                                   (const char *const *)q.text,
                                   a.title,
                                   a.lang ? a.lang : "en",
                                   min_count,
                                   a.m.q.min_n};
    if (journey_map_doc_new(&doc, &in, &err) < 0) {
        rc = cli_error(app, &err);
        goto done;
    }
    if (a.out) {
        size_t n = strlen(a.out);
        int html = n > 5 && !strcmp(a.out + n - 5, ".html");
        const struct journey_process *pr =
            doc->has_process ? &doc->process : NULL;
        /* without stages, an SVG is the process map */
        if ((html ? journey_map_render_html(&b, &doc->map, pr, &err)
             : doc->map.n_stages == 0 && pr
                 ? journey_process_svg_render(&b, pr, &err)
                 : journey_map_render_svg(&b, &doc->map, &err)) < 0) {
            rc = cli_error(app, &err);
            goto done;
        }
        if ((rc = write_file(app, a.out, &b)) != EXIT_OK)
            goto done;
    }
    out = journey_map_report(doc, &in);
    if (a.out)
        result_meta_text(out, "written", "map written to", a.out);
    rc = metrics_cli_render(app, &a.m, out, cs, load_ms,
                            metrics_cli_now_ms() - t0);
done:
    strbuf_dispose(&b);
    result_free(out);
    journey_map_doc_free(doc);
    for (size_t i = 0; q.text && x && i < x->n_st; i++)
        free(q.text[i]);
    free(q.text);
    journey_moments_free(mom);
    journey_experience_free(x);
    journey_variants_free(v);
    journey_dfg_free(g);
    journey_cases_free(c);
    journey_cases_free(stages);
    free(emask);
    free(rmask);
    free(pmask);
    metrics_query_dispose(&rq);
    metrics_query_dispose(&pq);
    metrics_cli_release(app, cs);
    metrics_cli_args_dispose(&a.m);
    return rc;
}
