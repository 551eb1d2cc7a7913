/* resonans import responses|customers|events FILE [options] */
#include "cli/cmd.h"

#include <string.h>
#include <time.h>

#include "core/err.h"
#include "core/mapfile.h"
#include "core/strbuf.h"
#include "ingest/import.h"
#include "text/themes.h"

struct progress {
    FILE *f;
    double start, last;
    int drawn;
};

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void draw(void *ctx, int64_t rows, size_t done, size_t total)
{
    struct progress *p = ctx;
    double t = now();
    if (t - p->last < 0.1 && done < total)
        return;
    p->last = t;
    int pct = total ? (int)((double)done * 100 / (double)total) : 100;
    char bar[31];
    for (int i = 0; i < 30; i++)
        bar[i] = i < pct * 30 / 100 ? '#' : '.';
    bar[30] = 0;
    fprintf(p->f, "\r[%s] %3d%%  %lld rows", bar, pct, (long long)rows);
    fflush(p->f);
    p->drawn = 1;
}

static int write_rejects(void *ctx, const char *p, size_t n)
{
    return fwrite(p, 1, n, ctx) == n ? 0 : ERR_IO;
}

/* "--name value" or "--name=value": returns the value and advances *i. */
static const char *opt_value(int argc, char **argv, int *i, const char *name)
{
    size_t n = strlen(name);
    if (strncmp(argv[*i], name, n))
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

int cmd_import(struct app *app, int argc, char **argv)
{
    struct import_opts o = IMPORT_OPTS_INIT;
    struct import_counts n;
    struct err err = ERR_INIT;
    struct mapfile mf = MAPFILE_INIT;
    struct progress prog = {app->err, 0, 0, 0};
    const char *kind = NULL, *file = NULL, *format = NULL, *delim = NULL;
    const char *rejects = NULL, *taxonomy = NULL;
    struct themes *themes = NULL;
    FILE *rf = NULL;
    /* --set and --na may be repeated: the lists are joined */
    struct strbuf set = STRBUF_INIT, na = STRBUF_INIT;
    const char *v;
    int quiet = 0, rc = EXIT_OK, ends = 0;

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!ends && !strcmp(a, "--")) {
            ends = 1;
        } else if (!ends && is_opt(a, "--format")) {
            if (!(format = opt_value(argc, argv, &i, "--format"))) {
                rc = cli_usage_error(app, "import", "--format needs a value");
                goto done;
            }
        } else if (!ends && is_opt(a, "--delimiter")) {
            if (!(delim = opt_value(argc, argv, &i, "--delimiter"))) {
                rc =
                    cli_usage_error(app, "import", "--delimiter needs a value");
                goto done;
            }
        } else if (!ends && is_opt(a, "--map")) {
            if (!(o.map = opt_value(argc, argv, &i, "--map"))) {
                rc = cli_usage_error(app, "import", "--map needs a value");
                goto done;
            }
        } else if (!ends && (is_opt(a, "--set") || is_opt(a, "--na"))) {
            int is_set = is_opt(a, "--set");
            struct strbuf *b = is_set ? &set : &na;
            if (!(v = opt_value(argc, argv, &i, is_set ? "--set" : "--na"))) {
                rc = cli_usage_error(app, "import", "%s needs a value",
                                     is_set ? "--set NAME=VALUE" : "--na");
                goto done;
            }
            if (b->n)
                strbuf_putc(b, ',');
            strbuf_puts(b, v);
        } else if (!ends && is_opt(a, "--skip-bad")) {
            if (!(rejects = opt_value(argc, argv, &i, "--skip-bad"))) {
                rc = cli_usage_error(app, "import",
                                     "--skip-bad needs a file for the "
                                     "rejected rows");
                goto done;
            }
        } else if (!ends && !strcmp(a, "--update")) {
            o.update = 1;
        } else if (!ends && is_opt(a, "--as-of")) {
            if (!(o.as_of = opt_value(argc, argv, &i, "--as-of"))) {
                rc = cli_usage_error(app, "import",
                                     "--as-of needs a date or timestamp");
                goto done;
            }
        } else if (!ends && !strcmp(a, "--quiet")) {
            quiet = 1;
        } else if (!ends && !strcmp(a, "--no-analysis")) {
            o.no_analysis = 1;
        } else if (!ends && is_opt(a, "--taxonomy")) {
            if (!(taxonomy = opt_value(argc, argv, &i, "--taxonomy"))) {
                rc = cli_usage_error(app, "import", "--taxonomy needs a file");
                goto done;
            }
        } else if (!ends && a[0] == '-' && a[1]) {
            rc = cli_usage_error(app, "import", "unknown option '%s'", a);
            goto done;
        } else if (!kind) {
            kind = a;
        } else if (!file) {
            file = a;
        } else {
            rc = cli_usage_error(app, "import", "unexpected argument '%s'", a);
            goto done;
        }
    }
    if (!kind || !file) {
        rc = cli_usage_error(app, "import",
                             "expected responses|customers|events FILE");
        goto done;
    }
    if (import_kind_parse(&o.kind, kind, &err) < 0) {
        rc = cli_usage_error(app, "import", "%s", err.msg);
        goto done;
    }
    if (o.update && o.kind != IMPORT_CUSTOMERS) {
        rc = cli_usage_error(app, "import", "--update is for customers");
        goto done;
    }
    if (o.as_of && !o.update) {
        rc = cli_usage_error(app, "import", "--as-of needs --update");
        goto done;
    }
    if (format) {
        if (!strcmp(format, "csv"))
            o.format = IMPORT_CSV;
        else if (!strcmp(format, "jsonl"))
            o.format = IMPORT_JSONL;
        else {
            rc =
                cli_usage_error(app, "import", "--format must be csv or jsonl");
            goto done;
        }
    } else if (import_format_guess(&o.format, file, &err) < 0) {
        rc = cli_usage_error(app, "import", "%s", err.msg);
        goto done;
    }
    if (delim) {
        if (!strcmp(delim, ",") || !strcmp(delim, ";"))
            o.delimiter = delim[0];
        else if (!strcmp(delim, "tab") || !strcmp(delim, "\t") ||
                 !strcmp(delim, "\\t"))
            o.delimiter = '\t';
        else {
            rc = cli_usage_error(app, "import",
                                 "--delimiter must be , ; or tab");
            goto done;
        }
    }

    if (set.n)
        o.set = strbuf_str(&set);
    if (na.n)
        o.na = strbuf_str(&na);
    struct store *s = cli_store(app);
    if (!s) {
        rc = EXIT_FAIL;
        goto done;
    }
    if (taxonomy) {
        themes = themes_new();
        if (themes_add_default(themes, &err) < 0 ||
            themes_load(themes, taxonomy, &err) < 0) {
            rc = cli_error(app, &err);
            goto done;
        }
        o.themes = themes;
    }
    if (mapfile_open(&mf, file, &err) < 0) {
        rc = cli_error(app, &err);
        goto done;
    }
    if (rejects) {
        if (!(rf = fopen(rejects, "w"))) {
            err_set(&err, ERR_IO, "%s: cannot create the rejects file",
                    rejects);
            rc = cli_error(app, &err);
            goto done;
        }
        o.rejects = write_rejects;
        o.rejects_ctx = rf;
    }
    if (app->err_is_tty && !quiet) {
        o.progress = draw;
        o.progress_ctx = &prog;
    }
    prog.start = now();
    int irc = import_run(&n, s, mf.p, mf.n, file, &o, &err);
    if (prog.drawn)
        fputs("\r\033[K", app->err);
    if (rf && fclose(rf) != 0 && irc == 0)
        irc =
            err_set(&err, ERR_IO, "%s: cannot write the rejects file", rejects);
    rf = NULL;
    if (irc < 0) {
        rc = cli_error(app, &err);
        goto done;
    }
    if (o.update)
        fprintf(app->out,
                "%s: %lld rows read, %lld imported, %lld updated, "
                "%lld unchanged, %lld rejected",
                file, (long long)n.read, (long long)n.inserted,
                (long long)n.updated, (long long)n.unchanged,
                (long long)n.rejected);
    else
        fprintf(app->out,
                "%s: %lld rows read, %lld imported, %lld already present, "
                "%lld rejected",
                file, (long long)n.read, (long long)n.inserted,
                (long long)n.present, (long long)n.rejected);
    if (n.repeated)
        fprintf(app->out, ", %lld repeated", (long long)n.repeated);
    fprintf(app->out, " (%.1f s)\n", now() - prog.start);
    if (n.rejected)
        fprintf(app->out, "rejected rows are in %s\n", rejects);
    if (n.redacted)
        fprintf(app->out,
                "personal data was redacted in %lld of %lld "
                "comments\n",
                (long long)n.redacted, (long long)n.analysed);
    if (n.redacted_values)
        fprintf(app->out,
                "personal data was redacted in %lld attribute or choice "
                "value%s\n",
                (long long)n.redacted_values,
                n.redacted_values == 1 ? "" : "s");
done:
    strbuf_dispose(&set);
    strbuf_dispose(&na);
    themes_free(themes);
    if (rf)
        fclose(rf);
    mapfile_close(&mf);
    return rc;
}
