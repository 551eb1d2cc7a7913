/* Every analysis the CLI has, through the API: GET /api/analyses/NAME
 * with the command's options as query arguments (?by=stage&where=...)
 * runs the very command, in this process, on the column store kept in
 * memory, and answers its result in the JSON of the result model
 * (docs/output-formats.md): the same figures, n, CIs and notes as
 * `resonans NAME --format json`. A touchpoint owner's analyses are
 * restricted to their touchpoints (an added --where). */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cmd.h"
#include "core/err.h"
#include "core/xalloc.h"
#include "server/resident.h"
#include "server/server_int.h"
#include "store/store.h"

/* The commands, by API name: the CLI's command and subcommand. */
static const struct {
    const char *name, *cmd, *sub;
    int where; /* takes --where, so an owner can be restricted */
} analyses[] = {
    {"metrics", "metrics", NULL, 1},
    {"compare", "compare", NULL, 1},
    {"summary", "summary", NULL, 0},
    {"themes", "themes", NULL, 1},
    {"verbatims", "verbatims", NULL, 1},
    {"events", "events", NULL, 1},
    {"gap", "gap", NULL, 1},
    {"link", "link", NULL, 1},
    {"drivers", "drivers", NULL, 1},
    {"priorities", "priorities", NULL, 1},
    {"personas", "personas", NULL, 1},
    {"patterns", "patterns", NULL, 1},
    {"journey-variants", "journey", "variants", 0},
    {"journey-paths", "journey", "paths", 0},
    {"journey-funnel", "journey", "funnel", 0},
    {"journey-conformance", "journey", "conformance", 0},
    {"journey-moments", "journey", "moments", 0},
    {"journey-map", "journey", "map", 0},
};
#define N_ANALYSES (sizeof analyses / sizeof analyses[0])

/* Options the API does not pass on: they write files or change where
 * the data comes from. */
static int refused(const char *name)
{
    static const char *const no[] = {"db",   "out", "format", "timing",
                                     "help", "h",   "yes",    "save"};
    for (size_t i = 0; i < sizeof no / sizeof no[0]; i++)
        if (!strcmp(no[i], name))
            return 1;
    return 0;
}

struct argv_b {
    char **v;
    int n, cap;
    const char *bad;
};

static void push(struct argv_b *a, const char *s)
{
    if (a->n + 2 > a->cap) {
        a->cap = a->cap ? a->cap * 2 : 16;
        a->v = xrealloc(a->v, (size_t)a->cap * sizeof *a->v);
    }
    a->v[a->n++] = xstrdup(s);
    a->v[a->n] = NULL;
}

static int on_arg(void *ctx, const char *name, const char *value)
{
    struct argv_b *a = ctx;
    char opt[80];
    if (refused(name) || strlen(name) > 64 || name[0] == '-') {
        a->bad = name;
        return 1;
    }
    /* a flag: ?method or ?method=true; else one argument --name=value,
     * so that no value is ever read as an option of its own */
    if (!*value || !strcmp(value, "true")) {
        snprintf(opt, sizeof opt, "--%s", name);
        push(a, opt);
        return 0;
    }
    char *arg = xmalloc(strlen(name) + strlen(value) + 4);
    sprintf(arg, "--%s=%s", name, value);
    push(a, arg);
    free(arg);
    return 0;
}

static void free_argv(struct argv_b *a)
{
    for (int i = 0; i < a->n; i++)
        free(a->v[i]);
    free(a->v);
}

/* The CLI's error message for an API caller: without the "resonans
 * CMD: " prefix and the hint to --help, and with the options named as
 * the query arguments they are here ("--a" -> "?a="). Caller frees. */
static char *api_message(const char *msg)
{
    const char *p = msg;
    if (!strncmp(p, "resonans", 8)) {
        const char *colon = strstr(p, ": ");
        if (colon && colon - p < 40)
            p = colon + 2;
    }
    size_t n = strcspn(p, "\n");
    char *out = xmalloc(3 * n + 1);
    size_t k = 0;
    int quoted_cmd = 0; /* inside 'resonans ...': a command line, kept */
    for (size_t i = 0; i < n; i++) {
        if (p[i] == '\'')
            quoted_cmd = !quoted_cmd && !strncmp(p + i + 1, "resonans ", 9);
        if (!quoted_cmd && p[i] == '-' && i + 2 < n && p[i + 1] == '-' &&
            p[i + 2] >= 'a' && p[i + 2] <= 'z' &&
            (i == 0 || p[i - 1] == ' ' || p[i - 1] == '\'')) {
            size_t e = i + 2;
            out[k++] = '?';
            while (e < n && ((p[e] >= 'a' && p[e] <= 'z') || p[e] == '-'))
                out[k++] = p[e++];
            out[k++] = '=';
            i = e - 1;
            continue;
        }
        out[k++] = p[i];
    }
    out[k] = 0;
    return out;
}

/* Runs the CLI's command on argv in this process, against the resident
 * column store; answers its JSON or its error. */
enum http_verdict srv_run_cli(struct call *c, int argc, char **argv,
                              unsigned flags, int notfound_status)
{
    char *out = NULL, *errs = NULL;
    size_t nout = 0, nerr = 0;
    char actor[96];
    struct app app;
    memset(&app, 0, sizeof app);
    snprintf(actor, sizeof actor, "%s (api)", c->p ? c->p->name : "?");
    app.db_path = c->srv->cfg.db;
    app.out = open_memstream(&out, &nout);
    app.err = open_memstream(&errs, &nerr);
    app.actor = actor;
    const struct cmd *cmd = cli_find(argv[0]);
    struct store *st = srv_reader(c);
    int rc;
    if (!st) {
        fclose(app.out);
        fclose(app.err);
        free(out);
        free(errs);
        return HTTP_DONE;
    }
    app.store = st;
    /* one command at a time on the column store: the commands load the
     * columns they name into it */
    if (flags & CLI_RESIDENT)
        app.resident = resident_lock(c->srv->res);
    rc = cmd->fn(&app, argc, argv);
    if (flags & CLI_RESIDENT)
        resident_unlock(c->srv->res);
    fclose(app.out);
    fclose(app.err);
    enum http_verdict v;
    if (rc == EXIT_OK) {
        v = srv_send(c, 200,
                     flags & CLI_JSON ? "application/json"
                                      : "text/plain; charset=utf-8",
                     out, nout);
        out = NULL;
    } else {
        char *msg = errs ? errs : xstrdup("failed");
        char *m = api_message(msg);
        int status = rc == EXIT_FAIL       ? 500
                     : rc == EXIT_NOTFOUND ? notfound_status
                                           : 400;
        v = srv_error(c, status,
                      status == 500         ? "internal"
                      : rc == EXIT_NOTFOUND ? "not_found"
                                            : "invalid",
                      m, NULL);
        free(m);
        if (!errs)
            free(msg);
    }
    free(out);
    free(errs);
    return v;
}

enum http_verdict h_analyses_list(struct call *c)
{
    json_t *a = json_array();
    for (size_t i = 0; i < N_ANALYSES; i++) {
        const struct cmd *cmd = cli_find(analyses[i].cmd);
        json_array_append_new(
            a, json_pack("{s:s, s:s, s:s}", "name", analyses[i].name, "path",
                         "/api/analyses/", "summary", cmd ? cmd->summary : ""));
        json_t *last = json_array_get(a, json_array_size(a) - 1);
        json_object_set_new(last, "path",
                            json_sprintf("/api/analyses/%s", analyses[i].name));
    }
    return srv_json(c, 200, json_pack("{s:o}", "analyses", a));
}

enum http_verdict h_analysis(struct call *c)
{
    char name[64];
    size_t i = 0;
    if (srv_param(c, "name", name, sizeof name) < 0)
        return HTTP_DONE;
    while (i < N_ANALYSES && strcmp(analyses[i].name, name) != 0)
        i++;
    if (i == N_ANALYSES)
        return srv_error(c, 404, "not_found",
                         "no such analysis (GET /api/analyses lists them)",
                         "name");
    if (c->p->role == ROLE_OWNER && !analyses[i].where)
        return srv_error(c, 403, "forbidden",
                         "this analysis covers every touchpoint", "name");
    struct argv_b a = {0};
    push(&a, analyses[i].cmd);
    if (analyses[i].sub)
        push(&a, analyses[i].sub);
    if (http_args(c->req, on_arg, &a) != 0) {
        char msg[160];
        snprintf(msg, sizeof msg, "the option '%s' is not taken here", a.bad);
        enum http_verdict v = srv_error(c, 400, "invalid", msg, a.bad);
        free_argv(&a);
        return v;
    }
    if (c->p->role == ROLE_OWNER) {
        /* an owner's figures are over their own touchpoints only */
        char *list = NULL;
        size_t n = 0;
        for (int k = 0; k < c->p->n_touchpoints; k++) {
            size_t l = strlen(c->p->touchpoints[k]);
            list = xrealloc(list, n + l + 2);
            if (n)
                list[n++] = ',';
            memcpy(list + n, c->p->touchpoints[k], l + 1);
            n += l;
        }
        char *w = xmalloc(n + 16);
        sprintf(w, "touchpoint=%s", list ? list : "");
        push(&a, "--where");
        push(&a, w);
        free(w);
        free(list);
    }
    push(&a, "--format");
    push(&a, "json");
    /* a thing the options name that the data lacks is the request's
     * fault (400), not a missing analysis (404) */
    enum http_verdict v =
        srv_run_cli(c, a.n, a.v, CLI_JSON | CLI_RESIDENT, 400);
    free_argv(&a);
    /* comments are what customers wrote: who read them is audited (the
     * figures are not, or every dashboard refresh would be a write) */
    if (!strcmp(name, "verbatims") && c->resp->status == 200)
        srv_audit(c, "comments.read", "verbatims", NULL);
    return v;
}
