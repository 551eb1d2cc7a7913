/* resonans rules: load and show the loop document (rules, teams,
 * calendar, notifications; docs/closed-loop.md). resonans notifications:
 * the outbox: list, retry a dead one, send what is due. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cmd.h"
#include "core/err.h"
#include "core/mapfile.h"
#include "core/tstamp.h"
#include "loop/loop.h"
#include "loop/mail.h"
#include "loop/webhook.h"
#include "report/cases_report.h"
#include "store/store.h"
#include "store/store_loop.h"

enum { O_FORMAT = 1, O_BACKFILL, O_STATE, O_LIMIT, O_SMTP, O_FROM, O_AT };

static const struct opt_spec rules_specs[] = {
    {"format", O_FORMAT, OPT_VALUE, 0, "FMT",
     "show: table (default), csv, json or jsonl"},
    {"backfill-from", O_BACKFILL, OPT_VALUE, 0, "DATE",
     "load: also open cases for stored responses from DATE on (opened at "
     "their own time, nobody notified); default: new responses only"},
    OPT_END};

static const struct opt_spec notify_specs[] = {
    {"format", O_FORMAT, OPT_VALUE, 0, "FMT",
     "list: table (default), csv, json or jsonl"},
    {"state", O_STATE, OPT_VALUE, 0, "STATE",
     "list: pending, sent or dead (the dead-letter list); default all"},
    {"limit", O_LIMIT, OPT_VALUE, 0, "N", "list: at most N (default 100)"},
    {"smtp", O_SMTP, OPT_VALUE, 0, "URL",
     "send: the SMTP server, smtp://host:port (default $RESONANS_SMTP_URL)"},
    {"mail-from", O_FROM, OPT_VALUE, 0, "ADDR",
     "send: the sender address (default $RESONANS_SMTP_FROM)"},
    {"at", O_AT, OPT_VALUE, 0, "TIME", "send: as if it were TIME"},
    OPT_END};

const struct opt_section cmd_rules_opts[] = {{"options", rules_specs},
                                             {NULL, NULL}};
const struct opt_section cmd_notifications_opts[] = {{"options", notify_specs},
                                                     {NULL, NULL}};

int cmd_rules(struct app *app, int argc, char **argv)
{
    struct opt_parser p;
    struct opt o;
    const char *sub = NULL, *file = NULL, *format = NULL, *backfill = NULL;
    struct err err = ERR_INIT;
    int got;
    opt_parser_init(&p, rules_specs, argc, argv);
    while ((got = cli_opt_next(app, "rules", &p, &o)) > 0) {
        if (o.id == O_FORMAT)
            format = o.value;
        else if (o.id == O_BACKFILL)
            backfill = o.value;
        else if (!sub)
            sub = o.value;
        else if (!file)
            file = o.value;
        else
            return cli_usage_error(app, "rules", "unexpected argument '%s'",
                                   o.value);
    }
    if (got < 0)
        return EXIT_USAGE;
    if (!sub || (strcmp(sub, "load") != 0 && strcmp(sub, "show") != 0))
        return cli_usage_error(app, "rules", "expected load FILE or show");
    if (!strcmp(sub, "load")) {
        int64_t from = 0;
        if (!file)
            return cli_usage_error(app, "rules", "rules load needs a FILE");
        if (backfill && tstamp_parse_instant(&from, backfill, &err) < 0)
            return cli_usage_error(app, "rules", "--backfill-from: %s",
                                   err.msg);
        struct mapfile mf;
        if (mapfile_open(&mf, file, &err) < 0)
            return cli_error(app, &err);
        struct store *s = cli_store(app);
        if (!s) {
            mapfile_close(&mf);
            return app->store_exit;
        }
        int rc = loop_store(s, mf.p, mf.n, cli_actor(app), from, &err);
        mapfile_close(&mf);
        if (rc < 0) {
            if (err.where[0]) { /* name the file too */
                char w[sizeof err.where];
                snprintf(w, sizeof w, "%s", err.where);
                snprintf(err.where, sizeof err.where, "%.60s: %.90s", file, w);
            }
            return cli_error(app, &err);
        }
        fprintf(app->out, "%s: rules loaded%s\n", file,
                from ? " and applied to the stored responses" : "");
        return EXIT_OK;
    }
    struct store *s = cli_store(app);
    if (!s)
        return app->store_exit;
    char *json = NULL;
    int64_t id;
    struct loop *l = NULL;
    if (store_get_rules(s, &json, &id, &err) < 0 ||
        loop_parse(&l, json, strlen(json), &err) < 0) {
        free(json);
        return cli_error(app, &err);
    }
    struct result *r;
    rules_result(&r, l, json, id);
    loop_free(l);
    free(json);
    return cli_render_owned(app, "rules", r, format);
}

int cmd_notifications(struct app *app, int argc, char **argv)
{
    struct opt_parser p;
    struct opt o;
    const char *sub = NULL, *arg = NULL, *format = NULL, *state = NULL,
               *limit = NULL, *smtp = getenv("RESONANS_SMTP_URL"),
               *from = getenv("RESONANS_SMTP_FROM"), *at = NULL;
    struct err err = ERR_INIT;
    int got;
    opt_parser_init(&p, notify_specs, argc, argv);
    while ((got = cli_opt_next(app, "notifications", &p, &o)) > 0) {
        switch (o.id) {
        case O_FORMAT:
            format = o.value;
            break;
        case O_STATE:
            state = o.value;
            break;
        case O_LIMIT:
            limit = o.value;
            break;
        case O_SMTP:
            smtp = o.value;
            break;
        case O_FROM:
            from = o.value;
            break;
        case O_AT:
            at = o.value;
            break;
        default:
            if (!sub)
                sub = o.value;
            else if (!arg)
                arg = o.value;
            else
                return cli_usage_error(app, "notifications",
                                       "unexpected argument '%s'", o.value);
        }
    }
    if (got < 0)
        return EXIT_USAGE;
    if (!sub || (strcmp(sub, "list") != 0 && strcmp(sub, "retry") != 0 &&
                 strcmp(sub, "send") != 0))
        return cli_usage_error(app, "notifications",
                               "expected list, retry ID or send");
    struct store *s = cli_store(app);
    if (!s)
        return app->store_exit;
    int64_t now = (int64_t)time(NULL);
    if (at && tstamp_parse_instant(&now, at, &err) < 0)
        return cli_usage_error(app, "notifications", "--at: %s", err.msg);
    if (!strcmp(sub, "list")) {
        char *end;
        long n = limit ? strtol(limit, &end, 10) : 100;
        if (limit && (*end || n < 1))
            return cli_usage_error(app, "notifications",
                                   "--limit must be a whole number over 0");
        struct result *r;
        if (outbox_result(&r, s, state, n, &err) < 0)
            return cli_error(app, &err);
        return cli_render_owned(app, "notifications", r, format);
    }
    if (!strcmp(sub, "retry")) {
        char *end;
        long long id = arg ? strtoll(arg, &end, 10) : 0;
        if (!arg || *end || id <= 0)
            return cli_usage_error(app, "notifications",
                                   "notifications retry needs an id");
        if (loop_retry(s, id, now, &err) < 0)
            return cli_error(app, &err);
        fprintf(app->out, "notification %lld will be sent again\n", id);
        return EXIT_OK;
    }
    struct loop *l = NULL;
    struct loop_delivery d;
    struct mail_server ms = {
        smtp, NULL, NULL, from ? from : "resonans@localhost", 0, 30000};
    if (webhook_global_init() < 0 || mail_global_init() < 0)
        return cli_error(
            app, (err_set(&err, ERR_INTERNAL, "cannot start libcurl"), &err));
    /* without a loop document e-mail (the weekly digest) still goes */
    int lrc = loop_load(&l, s, &err);
    if (lrc == ERR_NOTFOUND) {
        err_clear(&err);
        store_read_end(s);
        lrc = 0;
    }
    if (lrc < 0 ||
        loop_deliver(s, l, smtp ? &ms : NULL, now, 1000, &d, &err) < 0) {
        loop_free(l);
        return cli_error(app, &err);
    }
    loop_free(l);
    fprintf(app->out, "%ld sent, %ld to be retried, %ld dead\n", d.sent,
            d.retried, d.dead);
    return EXIT_OK;
}
