/* resonans digest: the weekly digest (report/digest.h), printed, and with
 * --send queued as e-mail in the closed loop's outbox. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cmd.h"
#include "cli/metrics_cli.h"
#include "colstore/colstore.h"
#include "core/err.h"
#include "core/strbuf.h"
#include "core/tstamp.h"
#include "core/xalloc.h"
#include "loop/mail.h"
#include "report/digest.h"
#include "store/store.h"
#include "store/store_loop.h"

enum { O_WEEK = MOPT_OWN, O_LANG, O_SEND, O_TO };

static const struct opt_spec specs[] = {
    {"week-ending", O_WEEK, OPT_VALUE, 0, "DATE",
     "the week's last day, YYYY-MM-DD (default: the last day with "
     "responses)"},
    {"lang", O_LANG, OPT_VALUE, 0, "sv|en",
     "the e-mail's language (default sv)"},
    {"send", O_SEND, OPT_FLAG, 0, NULL,
     "queue the digest as e-mail in the outbox (sent by the server or "
     "`notifications send`)"},
    {"to", O_TO, OPT_VALUE, 0, "ADDR[,ADDR...]",
     "--send: the recipients, one e-mail each"},
    MOPT_SPEC_WHERE,
    MOPT_SPEC_MIN_N,
    MOPT_SPEC_FORMAT,
    MOPT_SPEC_METHOD,
    MOPT_SPEC_TIMING,
    OPT_END};

const struct opt_section cmd_digest_opts[] = {{"options", specs}, {NULL, NULL}};

#define MAX_TO 100

/* Splits list at ',' into to[] (copies in buf), checking each address
 * as mail.h would. Returns the count, or -1 after a usage error. */
static int parse_to(struct app *app, char *buf, const char **to)
{
    int n = 0;
    struct mail_server srv = {"smtp://127.0.0.1",   NULL, NULL,
                              "resonans@localhost", 0,    0};
    for (char *p = buf, *e; p; p = e) {
        e = strchr(p, ',');
        if (e)
            *e++ = 0;
        if (!*p)
            continue;
        struct err err = ERR_INIT;
        const char *one[1] = {p};
        struct mail_message m = {one, 1, "x", "x"};
        char *msg = NULL;
        if (n == MAX_TO) {
            cli_usage_error(app, "digest", "--to: at most %d addresses",
                            MAX_TO);
            return -1;
        }
        if (mail_compose(&msg, NULL, &srv, &m, 0, &err) < 0) {
            cli_usage_error(app, "digest", "--to: '%s' is not an address", p);
            return -1;
        }
        free(msg);
        to[n++] = p;
    }
    if (!n)
        cli_usage_error(app, "digest", "--to needs an address");
    return n ? n : -1;
}

/* Queues one e-mail per address, in one transaction. */
static int queue(struct app *app, const char *const *to, int n,
                 const struct strbuf *subject, const struct strbuf *text)
{
    struct err err = ERR_INIT;
    struct store *s = cli_store(app);
    int64_t now = (int64_t)time(NULL);
    int rc;
    if (!s)
        return app->store_exit;
    store_read_end(s);
    if ((rc = store_begin(s, &err)) < 0)
        return cli_error(app, &err);
    for (int i = 0; rc == 0 && i < n; i++) {
        struct outbox_msg m;
        memset(&m, 0, sizeof m);
        m.kind = "email";
        m.target = to[i];
        m.event = DIGEST_EVENT;
        m.payload = strbuf_str(text);
        m.subject = strbuf_str(subject);
        m.created = m.next_at = now;
        rc = store_put_outbox(s, &m, &err);
    }
    if (rc == 0)
        rc = store_commit(s, &err);
    else
        store_rollback(s);
    if (rc < 0)
        return cli_error(app, &err);
    fprintf(app->err, "%d digest e-mail%s queued\n", n, n == 1 ? "" : "s");
    return EXIT_OK;
}

int cmd_digest(struct app *app, int argc, char **argv)
{
    struct metrics_cli_args a;
    struct colstore *cs = NULL;
    struct result *r = NULL;
    struct strbuf subject = STRBUF_INIT, text = STRBUF_INIT;
    struct err err = ERR_INIT;
    struct opt_parser p;
    struct opt o;
    const char *week = NULL, *to_list = NULL;
    const char *to[MAX_TO];
    char *to_buf = NULL;
    int send = 0, swedish = 1, n_to = 0, rc = EXIT_OK, got;
    int64_t last_day = 0;
    double load_ms = 0, t0;

    metrics_cli_args_init(&a, FIELD_RESPONSES);
    opt_parser_init(&p, specs, argc, argv);
    while ((got = cli_opt_next(app, "digest", &p, &o)) > 0) {
        switch (o.id) {
        case O_WEEK:
            week = o.value;
            break;
        case O_LANG:
            if (strcmp(o.value, "sv") != 0 && strcmp(o.value, "en") != 0) {
                rc = cli_usage_error(app, "digest",
                                     "--lang must be sv or en, got '%s'",
                                     o.value);
                goto done;
            }
            swedish = !strcmp(o.value, "sv");
            break;
        case O_SEND:
            send = 1;
            break;
        case O_TO:
            to_list = o.value;
            break;
        case OPT_ARG:
            rc = cli_usage_error(app, "digest", "unexpected argument '%s'",
                                 o.value);
            goto done;
        default:
            if (metrics_cli_common(app, "digest", &a, &o) != 1) {
                rc = EXIT_USAGE; /* printed; 0 would be a bug */
                goto done;
            }
        }
    }
    if (got < 0) {
        rc = EXIT_USAGE;
        goto done;
    }
    if (week && tstamp_parse_date(&last_day, week, strlen(week)) < 0) {
        rc = cli_usage_error(app, "digest",
                             "--week-ending must be a date YYYY-MM-DD, got "
                             "'%s'",
                             week);
        goto done;
    }
    if (send != (to_list != NULL)) {
        rc = cli_usage_error(app, "digest",
                             send ? "--send needs --to ADDR[,ADDR...]"
                                  : "--to goes with --send");
        goto done;
    }
    if (to_list) {
        to_buf = xstrdup(to_list);
        if ((n_to = parse_to(app, to_buf, to)) < 0) {
            rc = EXIT_USAGE;
            goto done;
        }
    }
    if ((rc = metrics_cli_load(app, &cs, &a.q, &load_ms)) != 0)
        goto done;
    if (!week) {
        struct colstore_columns col;
        colstore_columns(cs, &col);
        if (!col.n) {
            err_set(&err, ERR_NOTFOUND, "no responses: no week to digest");
            rc = cli_error(app, &err);
            goto done;
        }
        last_day = col.day_base + col.day_hi;
    }
    t0 = metrics_cli_now_ms();
    if (digest_build(&r, cs, &a.q, last_day, &err) < 0) {
        rc = cli_error(app, &err);
        goto done;
    }
    if ((rc = metrics_cli_render(app, &a, r, cs, load_ms,
                                 metrics_cli_now_ms() - t0)) != 0 ||
        !send)
        goto done;
    if (digest_email(&subject, &text, r, swedish) < 0) {
        err_set(&err, ERR_INTERNAL, "cannot write the digest's e-mail");
        rc = cli_error(app, &err);
        goto done;
    }
    rc = queue(app, to, n_to, &subject, &text);
done:
    strbuf_dispose(&subject);
    strbuf_dispose(&text);
    free(to_buf);
    result_free(r);
    metrics_cli_release(app, cs);
    metrics_cli_args_dispose(&a);
    return rc;
}
