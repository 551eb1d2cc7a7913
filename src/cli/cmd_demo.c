/* resonans demo generate DIR [options]: writes the demo data set
 * (src/demo/demo.h, docs/demo-data.md) and says what it wrote.
 * resonans demo cases [--seed N]: plants the demo's case handling
 * history on a database holding the demo and its rules (loop.json). */
#include "cli/cmd.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "core/err.h"
#include "core/strbuf.h"
#include "core/tstamp.h"
#include "demo/demo.h"

static int parse_u64(uint64_t *out, const char *s)
{
    char *end;
    if (!s || !*s || *s == '-' || *s == '+')
        return -1;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end)
        return -1;
    *out = v;
    return 0;
}

static int parse_share(double *out, const char *s)
{
    char *end;
    if (!s || !*s)
        return -1;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || *end || !(v >= 0 && v <= 1))
        return -1;
    *out = v;
    return 0;
}

/* mkdir -p: creates dir and its missing parents. */
static int make_dirs(const char *dir, struct err *err)
{
    struct strbuf b = STRBUF_INIT;
    int rc = 0;
    strbuf_puts(&b, dir);
    for (size_t i = 1; i <= b.n; i++) {
        if (i < b.n && b.p[i] != '/')
            continue;
        char c = b.p[i];
        b.p[i] = 0;
        if (mkdir(b.p, 0777) != 0 && errno != EEXIST) {
            rc = err_set(err, ERR_IO, "cannot create directory %s: %s", b.p,
                         strerror(errno));
            goto done;
        }
        b.p[i] = c;
    }
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
        rc = err_set(err, ERR_IO, "%s is not a directory", dir);
done:
    strbuf_dispose(&b);
    return rc;
}

static void progress(void *ctx, const char *file, uint64_t done, uint64_t total)
{
    struct app *app = ctx;
    if (!app->err_is_tty)
        return;
    unsigned pct = total ? (unsigned)(done * 100 / total) : 100;
    fprintf(app->err, "\r%-14s %3u%%", file, pct);
    if (done >= total)
        fputs("\r                    \r", app->err);
    fflush(app->err);
}

/* 1234567 -> "1,234,567" */
static const char *grouped(char *buf, size_t n, uint64_t v)
{
    char tmp[32];
    int len = snprintf(tmp, sizeof tmp, "%llu", (unsigned long long)v);
    size_t j = 0;
    for (int i = 0; i < len && j + 2 < n; i++) {
        if (i && (len - i) % 3 == 0)
            buf[j++] = ',';
        buf[j++] = tmp[i];
    }
    buf[j] = 0;
    return buf;
}

static const char *human_bytes(char *buf, size_t n, uint64_t b)
{
    if (b >= 1000000)
        snprintf(buf, n, "%.1f MB", (double)b / 1e6);
    else if (b >= 1000)
        snprintf(buf, n, "%.1f kB", (double)b / 1e3);
    else
        snprintf(buf, n, "%llu B", (unsigned long long)b);
    return buf;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

enum {
    O_SEED = 1,
    O_CUSTOMERS,
    O_RESPONSES,
    O_MONTHS,
    O_COMMENTS,
    O_NO_EVENTS
};

static const struct opt_spec specs[] = {
    {"seed", O_SEED, OPT_VALUE, 0, "N",
     "random seed (default 1); also for cases"},
    {"customers", O_CUSTOMERS, OPT_VALUE, 0, "N",
     "tenants and applicants (default 20000)"},
    {"responses", O_RESPONSES, OPT_VALUE, 0, "N",
     "survey responses (default 200000)"},
    {"months", O_MONTHS, OPT_VALUE, 0, "N",
     "months of data, ending 2026-10 (default 24)"},
    {"comments", O_COMMENTS, OPT_VALUE, 0, "SHARE",
     "share of responses with a comment, 0..1 (default 0.25)"},
    {"no-events", O_NO_EVENTS, OPT_FLAG, 0, NULL,
     "do not write events.csv; the other files are unchanged"},
    OPT_END};

const struct opt_section cmd_demo_opts[] = {{"options", specs}, {NULL, NULL}};

static const char *actor(const struct app *app)
{
    const char *u = app->actor ? app->actor : getenv("USER");
    return u && *u ? u : "unknown";
}

/* demo cases: the case history (demo_cases_plant), and what it did. */
static int cases(struct app *app, uint64_t seed)
{
    struct demo_cases_result res;
    struct err err = ERR_INIT;
    char when[40];
    struct store *s = cli_store(app);
    if (!s)
        return app->store_exit;
    if (demo_cases_plant(&res, s, seed, actor(app), &err) < 0)
        return cli_error(app, &err);
    fprintf(app->out,
            "%lld cases: %lld given a history (seed %llu), %lld "
            "already handled and left alone\n",
            (long long)res.cases, (long long)res.planted,
            (unsigned long long)seed, (long long)res.skipped);
    if (res.planted)
        fprintf(app->out, "  %lld contacted, %lld resolved, %lld closed\n",
                (long long)res.contacted, (long long)res.resolved,
                (long long)res.closed);
    if (res.open_at_end)
        fprintf(app->out,
                "  %lld open at the data's end (2026-10-31): %lld never "
                "contacted, the rest opened in its last days\n",
                (long long)res.open_at_end, (long long)res.never);
    tstamp_format(when, sizeof when, res.improvement_at, 0);
    fprintf(app->out,
            "improvement %lld %s: \"Inloggningen i appen lagad\" "
            "(app_inlogg, digital/login), done %s\n",
            (long long)res.improvement_id,
            res.improvement_new ? "marked done" : "was already done", when);
    return EXIT_OK;
}

int cmd_demo(struct app *app, int argc, char **argv)
{
    struct demo_opts o;
    struct demo_result res;
    struct err err = ERR_INIT;
    struct opt_parser p;
    struct opt op;
    const char *dir = NULL, *sub = NULL, *gen_opt = NULL;
    int got;

    demo_opts_init(&o);
    opt_parser_init(&p, specs, argc, argv);
    while ((got = cli_opt_next(app, "demo", &p, &op)) > 0) {
        const char *v = op.value;
        uint64_t n = 0;
        if (op.id != OPT_ARG && op.id != O_SEED)
            gen_opt = op.spec->name;
        switch (op.id) {
        case OPT_ARG:
            if (!sub)
                sub = v;
            else if (!dir)
                dir = v;
            else
                return cli_usage_error(app, "demo", "unexpected '%s'", v);
            break;
        case O_NO_EVENTS:
            o.events = 0;
            break;
        case O_SEED:
            if (parse_u64(&o.seed, v) < 0)
                return cli_usage_error(app, "demo",
                                       "--seed must be a number, got '%s'", v);
            break;
        case O_CUSTOMERS:
        case O_RESPONSES:
        case O_MONTHS:
            if (parse_u64(&n, v) < 0)
                return cli_usage_error(app, "demo",
                                       "--%s must be a whole number, got '%s'",
                                       op.spec->name, v);
            if (op.id == O_CUSTOMERS)
                o.customers = n;
            else if (op.id == O_RESPONSES)
                o.responses = n;
            else
                o.months =
                    n > DEMO_MAX_MONTHS ? DEMO_MAX_MONTHS + 1 : (unsigned)n;
            break;
        case O_COMMENTS:
            if (parse_share(&o.comments, v) < 0)
                return cli_usage_error(app, "demo",
                                       "--comments must be 0..1, got '%s'", v);
            break;
        }
    }
    if (got < 0)
        return EXIT_USAGE;
    if (sub && !strcmp(sub, "cases")) {
        if (dir)
            return cli_usage_error(app, "demo", "unexpected '%s'", dir);
        if (gen_opt)
            return cli_usage_error(
                app, "demo", "demo cases takes only --seed, not --%s", gen_opt);
        return cases(app, o.seed);
    }
    if (!sub || strcmp(sub, "generate") != 0)
        return cli_usage_error(app, "demo",
                               "expected 'generate DIR' or 'cases'");
    if (!dir)
        return cli_usage_error(app, "demo", "generate needs a directory");
    if (demo_opts_check(&o, &err) < 0) {
        cli_say(app->err, "resonans demo: %s", err.msg);
        return EXIT_USAGE;
    }
    if (make_dirs(dir, &err) < 0)
        return cli_error(app, &err);

    double t0 = now();
    if (demo_generate(&res, &o, dir, progress, app, &err) < 0)
        return cli_error(app, &err);
    double secs = now() - t0;

    cli_say(app->out, "wrote %s (seed %llu, %s..%s):", dir,
            (unsigned long long)o.seed, res.first_month, res.last_month);
    for (int f = 0; f < DEMO_N_FILES; f++) {
        char rows[32], bytes[32];
        if (!res.files[f].written)
            continue;
        fprintf(app->out, "  %-14s %11s %-12s %10s\n", res.files[f].name,
                grouped(rows, sizeof rows, res.files[f].rows),
                f == DEMO_JOURNEY ? "touchpoints" : "rows",
                human_bytes(bytes, sizeof bytes, res.files[f].bytes));
    }
    fprintf(app->out, "in %.2f s\n", secs);
    return EXIT_OK;
}
