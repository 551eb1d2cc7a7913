/* resonans import responses|customers|events FILE [options] */
#include "cli/cmd.h"
#include "loop/loop.h"

#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/err.h"
#include "core/mapfile.h"
#include "core/strbuf.h"
#include "ingest/import.h"
#include "ingest/rejects.h"
#include "store/store.h"
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

/* import_opts.release: the pages of the mapped file before upto leave
 * this process's memory (a read brings them back from the file), so a
 * big file does not stay resident as it is read. */
static void release_mapped(void *ctx, size_t upto)
{
    const struct mapfile *mf = ctx;
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    if (mf->base && page && upto / page)
        (void)madvise(mf->base, upto / page * page, MADV_DONTNEED);
}

static int write_rejects(void *ctx, const char *p, size_t n)
{
    return fwrite(p, 1, n, ctx) == n ? 0 : ERR_IO;
}

/* Creates (or empties) the rejects file readable by its owner only: the
 * rows in it are redacted (ingest/rejects.h), but redaction is best
 * effort and the rest of a row is the organisation's data. An existing
 * file is made 0600 too, or refused. NULL with errno on failure. */
static FILE *open_private(const char *path)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0)
        return NULL;
    FILE *f = fchmod(fd, 0600) == 0 ? fdopen(fd, "w") : NULL;
    if (!f)
        close(fd);
    return f;
}

enum {
    O_FORMAT = 1,
    O_DELIMITER,
    O_MAP,
    O_SET,
    O_NA,
    O_TZ,
    O_TIME_FORMAT,
    O_SKIP_BAD,
    O_UPDATE,
    O_AS_OF,
    O_QUIET,
    O_TAXONOMY,
    O_NO_ANALYSIS,
    O_THREADS
};

static const struct opt_spec specs[] = {
    {"format", O_FORMAT, OPT_VALUE, 0, "csv|jsonl",
     "override the guess from the file name"},
    {"delimiter", O_DELIMITER, OPT_VALUE, 0, "C",
     "CSV delimiter: , ; or tab (default: detect)"},
    {"map", O_MAP, OPT_VALUE, OPT_REPEAT, "FROM=TO,...",
     "rename columns ('Kund-ID=customer,Betyg=nps'); TO '-' ignores one"},
    {"set", O_SET, OPT_VALUE, OPT_REPEAT, "NAME=VALUE,...",
     "add a constant column (touchpoint=flight,channel=email); quote a "
     "value holding a comma: note=\"a,b\""},
    {"na", O_NA, OPT_VALUE, OPT_REPEAT, "V,...",
     "values meaning 'not available' ('N/A,-'): read as empty, except in "
     "free text"},
    {"tz", O_TZ, OPT_VALUE, 0, "ZONE",
     "the time zone of times written without one (Europe/Stockholm; "
     "docs/timestamps.md)"},
    {"time-format", O_TIME_FORMAT, OPT_VALUE, 0, "FORMAT",
     "how times are written: auto (ISO 8601, the default), excel (serial "
     "days) or a pattern like '%d/%m/%Y %H:%M'"},
    {"skip-bad", O_SKIP_BAD, OPT_VALUE, 0, "REJECTS.csv",
     "import the good rows, write bad ones with their reasons (personal "
     "data redacted; file mode 0600)"},
    {"update", O_UPDATE, OPT_FLAG, 0, NULL,
     "customers: update known ones (attributes merged, segment changes "
     "kept as history)"},
    {"as-of", O_AS_OF, OPT_VALUE, 0, "DATE|TIME",
     "with --update: when the changes took effect (default: now)"},
    {"quiet", O_QUIET, OPT_FLAG, 0, NULL, "no progress bar"},
    {"taxonomy", O_TAXONOMY, OPT_VALUE, 0, "FILE",
     "find themes with the built-in taxonomy plus FILE (default: the one "
     "'themes load' saved)"},
    {"no-analysis", O_NO_ANALYSIS, OPT_FLAG, 0, NULL,
     "store no language, sentiment or themes (personal data is still "
     "redacted)"},
    {"threads", O_THREADS, OPT_VALUE, 0, "N",
     "threads that analyse comments (default: one per core; 1: none, "
     "the reading thread does it); the result is the same for any N"},
    OPT_END};

const struct opt_section cmd_import_opts[] = {{"options", specs}, {NULL, NULL}};

/* Appends a repeated option's value to a comma-joined list. */
static void join(struct strbuf *b, const char *v)
{
    if (b->n)
        strbuf_putc(b, ',');
    strbuf_puts(b, v);
}

/* The closed loop's rules apply to every new response however it came
 * (docs/closed-loop.md). A failure here loses nothing: the responses are
 * stored, and the next import or the server applies the rules to them. */
static void apply_rules(struct app *app, struct store *s, int64_t inserted)
{
    struct loop *l = NULL;
    struct loop_applied ap = {0};
    struct err err = ERR_INIT;
    if (inserted <= 0)
        return;
    int rc = loop_load(&l, s, &err);
    if (rc == ERR_NOTFOUND)
        return;
    if (rc == 0)
        rc = loop_apply(s, l, (int64_t)time(NULL), &ap, &err);
    loop_free(l);
    if (rc < 0)
        cli_say(app->err,
                "resonans: warning: the rules were not applied yet (%s); "
                "they will be at the next import or by the server",
                err.msg);
    else if (ap.opened || ap.recovered)
        fprintf(app->out, "rules: %ld case%s opened, %ld recovery answer%s\n",
                ap.opened, ap.opened == 1 ? "" : "s", ap.recovered,
                ap.recovered == 1 ? "" : "s");
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
    struct rejects rw;
    /* --map, --set and --na may be repeated: the lists are joined */
    struct strbuf map = STRBUF_INIT, set = STRBUF_INIT, na = STRBUF_INIT;
    struct opt_parser p;
    struct opt op;
    int quiet = 0, rc = EXIT_OK, got;

    rejects_init(&rw, write_rejects, NULL);
    opt_parser_init(&p, specs, argc, argv);
    while ((got = cli_opt_next(app, "import", &p, &op)) > 0) {
        switch (op.id) {
        case OPT_ARG:
            if (!kind) {
                kind = op.value;
            } else if (!file) {
                file = op.value;
            } else {
                rc = cli_usage_error(app, "import", "unexpected argument '%s'",
                                     op.value);
                goto done;
            }
            break;
        case O_FORMAT:
            format = op.value;
            break;
        case O_DELIMITER:
            delim = op.value;
            break;
        case O_MAP:
            join(&map, op.value);
            break;
        case O_SET:
            join(&set, op.value);
            break;
        case O_NA:
            join(&na, op.value);
            break;
        case O_TZ:
            o.tz = op.value;
            break;
        case O_TIME_FORMAT:
            o.time_format = op.value;
            break;
        case O_SKIP_BAD:
            rejects = op.value;
            break;
        case O_UPDATE:
            o.update = 1;
            break;
        case O_AS_OF:
            o.as_of = op.value;
            break;
        case O_QUIET:
            quiet = 1;
            break;
        case O_TAXONOMY:
            taxonomy = op.value;
            break;
        case O_NO_ANALYSIS:
            o.no_analysis = 1;
            break;
        case O_THREADS: {
            long t;
            if (opt_parse_long(&t, op.value, 1, 64) < 0) {
                rc = cli_usage_error(app, "import",
                                     "--threads must be a number 1..64");
                goto done;
            }
            o.threads = (int)t;
            break;
        }
        }
    }
    if (got < 0) {
        rc = EXIT_USAGE;
        goto done;
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

    if (map.n)
        o.map = strbuf_str(&map);
    if (set.n)
        o.set = strbuf_str(&set);
    if (na.n)
        o.na = strbuf_str(&na);
    struct store *s = cli_store(app);
    if (!s) {
        rc = EXIT_FAIL;
        goto done;
    }
    {
        char what[64];
        snprintf(what, sizeof what, "resonans import %s", kind);
        store_set_activity(s, what);
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
    o.release = release_mapped;
    o.release_ctx = &mf;
    if (rejects) {
        if (!(rf = open_private(rejects))) {
            err_set(&err, ERR_IO, "%s: cannot create the rejects file",
                    rejects);
            rc = cli_error(app, &err);
            goto done;
        }
        rw.out_ctx = rf;
        o.rejects = rejects_write;
        o.rejects_ctx = &rw;
    }
    if (app->err_is_tty && !quiet) {
        o.progress = draw;
        o.progress_ctx = &prog;
    }
    prog.start = now();
    int irc = import_run(&n, s, mf.p, mf.n, file, &o, &err);
    if (prog.drawn)
        fputs("\r\033[K", app->err);
    if (rf && rejects_finish(&rw) < 0 && irc == 0)
        irc =
            err_set(&err, ERR_IO, "%s: cannot write the rejects file", rejects);
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
    apply_rules(app, s, n.inserted);
    fflush(app->out);
    cli_checkpoint_later(app);
done:
    strbuf_dispose(&map);
    strbuf_dispose(&set);
    strbuf_dispose(&na);
    themes_free(themes);
    rejects_dispose(&rw);
    if (rf)
        fclose(rf);
    mapfile_close(&mf);
    return rc;
}
