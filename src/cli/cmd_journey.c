/* resonans journey load FILE | journey show [--format table|json] */
#include "cli/cmd.h"

#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/mapfile.h"
#include "ingest/journey_def.h"

static int load(struct app *app, const char *file)
{
    struct err err = ERR_INIT;
    struct mapfile mf = MAPFILE_INIT;
    struct journey_def *d = NULL;
    struct store *s;
    size_t nj, ns, nt;
    int rc = EXIT_OK;

    if (!(s = cli_store(app)))
        return EXIT_FAIL;
    if (mapfile_open(&mf, file, &err) < 0 ||
        journey_def_parse(&d, mf.p, mf.n, file, &err) < 0 ||
        journey_def_save(d, s, &err) < 0) {
        rc = cli_error(app, &err);
        goto done;
    }
    journey_def_sizes(d, &nj, &ns, &nt);
    fprintf(app->out,
            "%s: %zu journey%s, %zu stage%s, %zu touchpoint%s loaded\n", file,
            nj, nj == 1 ? "" : "s", ns, ns == 1 ? "" : "s", nt,
            nt == 1 ? "" : "s");
done:
    journey_def_free(d);
    mapfile_close(&mf);
    return rc;
}

static void print_table(FILE *f, const struct journey_def *d)
{
    if (!d->n_journeys) {
        fputs("no journeys yet (load one with 'resonans journey load "
              "FILE')\n",
              f);
        return;
    }
    for (size_t i = 0; i < d->n_journeys; i++) {
        const struct journey_def_journey *j = &d->journeys[i];
        fprintf(f, "%s%s (%s, lifecycle %s)\n", i ? "\n" : "", j->name, j->key,
                lifecycle_name(j->lifecycle));
        for (size_t k = 0; k < j->n_stages; k++) {
            const struct journey_def_stage *st = &j->stages[k];
            fprintf(f, "  %zu. %s (%s)\n", k + 1, st->name, st->key);
            for (size_t t = 0; t < st->n_touchpoints; t++) {
                const struct journey_def_touchpoint *tp = &st->touchpoints[t];
                fprintf(f, "     - %s: %s [%s", tp->key, tp->name, tp->channel);
                if (tp->owner)
                    fprintf(f, ", owner %s", tp->owner);
                if (tp->physical)
                    fputs(", physical", f);
                if (tp->moment_of_truth)
                    fputs(", moment of truth", f);
                fputs("]\n", f);
                for (size_t a = 0; a < tp->n_aliases; a++)
                    fprintf(f, "%s%s",
                            a ? "; " : "       also: ", tp->aliases[a]);
                if (tp->n_aliases)
                    fputc('\n', f);
            }
        }
    }
}

static int show(struct app *app, const char *format)
{
    struct err err = ERR_INIT;
    struct journey_def *d = NULL;
    struct store *s;
    if (!(s = cli_store(app)))
        return EXIT_FAIL;
    if (journey_def_read(&d, s, &err) < 0)
        return cli_error(app, &err);
    if (!strcmp(format, "json")) {
        char *text = journey_def_to_json(d);
        fputs(text, app->out);
        free(text);
    } else {
        print_table(app->out, d);
    }
    journey_def_free(d);
    return EXIT_OK;
}

int cmd_journey(struct app *app, int argc, char **argv)
{
    if (argc < 2)
        return cli_usage_error(app, "journey", "expected load FILE or show");
    if (!strcmp(argv[1], "load")) {
        if (argc != 3)
            return cli_usage_error(app, "journey",
                                   "journey load takes one FILE");
        return load(app, argv[2]);
    }
    if (!strcmp(argv[1], "show")) {
        const char *format = "table";
        for (int i = 2; i < argc; i++) {
            if (!strcmp(argv[i], "--format") && i + 1 < argc)
                format = argv[++i];
            else if (!strncmp(argv[i], "--format=", 9))
                format = argv[i] + 9;
            else
                return cli_usage_error(app, "journey",
                                       "unexpected argument '%s'", argv[i]);
        }
        if (strcmp(format, "table") && strcmp(format, "json"))
            return cli_usage_error(app, "journey",
                                   "--format must be table or json");
        return show(app, format);
    }
    return cli_usage_error(app, "journey", "unknown subcommand '%s'", argv[1]);
}
