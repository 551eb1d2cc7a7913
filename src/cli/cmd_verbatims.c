/* resonans verbatims: the (redacted) comments behind the numbers, newest
 * first, each with its explanation: sentiment score and label, the words
 * that moved it, its themes with their sentiment, and what was redacted. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cmd.h"
#include "core/err.h"
#include "core/tstamp.h"
#include "stats/metrics.h"
#include "store/store.h"
#include "text/pii.h"

struct vctx {
    struct app *app;
    int json;
    long shown;
};

static void print_text(FILE *f, const char *s)
{
    for (; s && *s; s++)
        fputc(*s == '\n' || *s == '\r' ? ' ' : *s, f);
}

/* The explanation's words and the themes (with their aspect sentiment
 * and the terms they were found by), on indented lines. */
static void print_explanation(FILE *f, const struct comment_analysis *an)
{
    json_error_t je;
    json_t *root = an->explanation ? json_loads(an->explanation, 0, &je) : NULL;
    json_t *words = json_object_get(root, "words");
    json_t *terms = json_object_get(root, "terms");
    json_t *v;
    size_t i;
    if (json_array_size(words)) {
        fputs("    words:", f);
        for (i = 0; i < json_array_size(words); i++) {
            v = json_array_get(words, i);
            fprintf(f, "%s \"%s\" %+.2f", i ? "," : "",
                    json_string_value(json_array_get(v, 0)),
                    json_number_value(json_array_get(v, 1)));
            if (json_array_size(v) > 2)
                fprintf(f, " (%s)", json_string_value(json_array_get(v, 2)));
        }
        fputc('\n', f);
    }
    if (an->n_mentions) {
        fputs("    themes:", f);
        for (int m = 0; m < an->n_mentions; m++) {
            const char *key = an->mentions[m].theme;
            json_t *t = json_object_get(terms, key);
            fprintf(f, "%s %s %+.2f", m ? "," : "", key,
                    an->mentions[m].sentiment);
            for (size_t k = 0; k < json_array_size(t); k++)
                fprintf(f, "%s\"%s\"", k ? ", " : " (",
                        json_string_value(json_array_get(t, k)));
            if (json_array_size(t))
                fputc(')', f);
        }
        fputc('\n', f);
    }
    json_decref(root);
}

static int show(void *ctx, const struct response *r, const struct answer *a)
{
    struct vctx *c = ctx;
    const struct comment_analysis *an = a->analysis;
    FILE *f = c->app->out;
    char when[40];
    tstamp_format(when, sizeof when, r->ts, r->tz_min);
    c->shown++;
    if (c->json) {
        json_t *o = json_object();
        json_error_t je;
        json_t *ex =
            an->explanation ? json_loads(an->explanation, 0, &je) : NULL;
        json_t *red = json_array();
        for (int k = 0; k < PII_N_KINDS; k++)
            if (an->redactions & PII_BIT(k))
                json_array_append_new(
                    red, json_string(pii_kind_name((enum pii_kind)k)));
        json_object_set_new(o, "response", json_string(r->ext_id));
        json_object_set_new(o, "submitted_at", json_string(when));
        json_object_set_new(o, "touchpoint", json_string(r->touchpoint));
        json_object_set_new(o, "question", json_string(a->question));
        json_object_set_new(o, "nps",
                            r->nps >= 0 ? json_integer(r->nps) : json_null());
        json_object_set_new(o, "text", json_string(a->text ? a->text : ""));
        json_object_set_new(o, "language", json_string(an->language));
        json_object_set_new(o, "score", json_real(an->score));
        json_object_set_new(o, "label", json_string(an->label));
        json_object_set_new(o, "redacted", red);
        json_t *th = json_object();
        for (int m = 0; m < an->n_mentions; m++)
            json_object_set_new(th, an->mentions[m].theme,
                                json_real(an->mentions[m].sentiment));
        json_object_set_new(o, "themes", th);
        json_object_set_new(o, "explanation", ex ? ex : json_null());
        char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER |
                                    JSON_REAL_PRECISION(4));
        fprintf(f, "%s\n", s ? s : "{}");
        free(s);
        json_decref(o);
        return 0;
    }
    fprintf(f, "%.10s  %s  %s", when, r->touchpoint, r->ext_id);
    if (r->nps >= 0)
        fprintf(f, "  NPS %d", r->nps);
    if (r->csat >= 0)
        fprintf(f, "  CSAT %d", r->csat);
    if (r->ces >= 0)
        fprintf(f, "  CES %d", r->ces);
    fprintf(f, "  %s %+.2f  %s\n", an->label, an->score, an->language);
    fputs("    \"", f);
    print_text(f, a->text);
    fputs("\"\n", f);
    print_explanation(f, an);
    if (an->n_redactions) {
        fprintf(f, "    redacted: %d (", an->n_redactions);
        int first = 1;
        for (int k = 0; k < PII_N_KINDS; k++)
            if (an->redactions & PII_BIT(k)) {
                fprintf(f, "%s%s", first ? "" : ", ",
                        pii_kind_name((enum pii_kind)k));
                first = 0;
            }
        fputs(")\n", f);
    }
    fputc('\n', f);
    return 0;
}

/* "--name value" or "--name=value": returns the value and advances *i. */
static const char *opt_value(int argc, char **argv, int *i, const char *name)
{
    size_t n = strlen(name);
    if (strncmp(argv[*i], name, n) != 0)
        return NULL;
    if (argv[*i][n] == '=')
        return argv[*i] + n + 1;
    if (argv[*i][n] == 0 && *i + 1 < argc)
        return argv[++*i];
    return NULL;
}

static int is_opt(const char *arg, const char *name)
{
    size_t n = strlen(name);
    return !strncmp(arg, name, n) && (arg[n] == 0 || arg[n] == '=');
}

int cmd_verbatims(struct app *app, int argc, char **argv)
{
    static const char *const opts[] = {"--touchpoint", "--theme", "--sentiment",
                                       "--limit",      "--from",  "--to",
                                       "--format",     NULL};
    const char *val[7] = {NULL};
    struct comment_filter f = COMMENT_FILTER_INIT;
    struct err err = ERR_INIT;
    struct vctx c = {app, 0, 0};
    int rc;

    for (int i = 1; i < argc; i++) {
        int k;
        for (k = 0; opts[k]; k++)
            if (is_opt(argv[i], opts[k]))
                break;
        if (!opts[k])
            return cli_usage_error(app, "verbatims", "unknown argument '%s'",
                                   argv[i]);
        if (!(val[k] = opt_value(argc, argv, &i, opts[k])))
            return cli_usage_error(app, "verbatims", "%s needs a value",
                                   opts[k]);
    }
    f.newest_first = 1;
    f.limit = 20;
    if (val[2]) {
        static const char *const labels[] = {"negative", "neutral", "positive",
                                             "mixed"};
        for (int k = 0; k < 4 && !f.label; k++)
            if (!strcmp(val[2], labels[k]))
                f.label = labels[k];
        if (!f.label)
            return cli_usage_error(app, "verbatims",
                                   "--sentiment must be negative, neutral, "
                                   "positive or mixed, got '%s'",
                                   val[2]);
    }
    if (val[3]) {
        char *end;
        long n = strtol(val[3], &end, 10);
        if (*end || end == val[3] || n < 1 || n > 1000000)
            return cli_usage_error(app, "verbatims",
                                   "--limit must be a whole number "
                                   "1..1000000, got '%s'",
                                   val[3]);
        f.limit = n;
    }
    for (int k = 4; k <= 5; k++) {
        int64_t day;
        if (!val[k])
            continue;
        if (tstamp_parse_date(&day, val[k], strlen(val[k])) < 0)
            return cli_usage_error(app, "verbatims",
                                   "%s: bad date '%s' (expected YYYY-MM-DD)",
                                   opts[k], val[k]);
        if (k == 4)
            f.from_day = day;
        else
            f.to_day = day;
    }
    if (val[6]) {
        if (!strcmp(val[6], "json"))
            c.json = 1;
        else if (strcmp(val[6], "text") != 0)
            return cli_usage_error(app, "verbatims",
                                   "--format must be text or json, got '%s'",
                                   val[6]);
    }
    f.theme = val[1];
    struct store *s = cli_store(app);
    if (!s)
        return EXIT_FAIL;
    if (val[0] && (rc = cli_touchpoint_id(app, "verbatims", val[0],
                                          &f.touchpoint_id)) != 0)
        return rc;
    if (store_scan_comments(s, &f, show, &c, &err) < 0)
        return cli_error(app, &err);
    if (!c.json && !c.shown)
        fputs("no comments match\n", app->out);
    return EXIT_OK;
}
