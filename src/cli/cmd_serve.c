/* resonans serve: runs the server (src/server) until SIGTERM or SIGINT,
 * then stops it gracefully. */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cmd.h"
#include "core/err.h"
#include "server/config.h"
#include "server/server.h"

enum { O_LISTEN = 1, O_CONFIG, O_THREADS, O_LOG, O_BASE, O_SET, O_PORT_FILE };

static const struct opt_spec specs[] = {
    {"listen", O_LISTEN, OPT_VALUE, 0, "HOST:PORT",
     "address to listen on (default 127.0.0.1:8080; port 0 picks a free "
     "one)"},
    {"config", O_CONFIG, OPT_VALUE, 0, "FILE",
     "settings file of key = value lines (docs/server.md)"},
    {"threads", O_THREADS, OPT_VALUE, 0, "N",
     "HTTP threads (default two per core)"},
    {"access-log", O_LOG, OPT_VALUE, 0, "FILE",
     "where the JSON access log goes ('-' = stderr, the default; '' = none)"},
    {"base-url", O_BASE, OPT_VALUE, 0, "URL",
     "the address respondents reach the server at, for survey links and QR "
     "codes"},
    {"set", O_SET, OPT_VALUE, OPT_REPEAT, "KEY=VALUE",
     "any other setting (docs/server.md)"},
    {"port-file", O_PORT_FILE, OPT_VALUE, 0, "FILE",
     "write the port listened on to FILE once ready"},
    OPT_END};

const struct opt_section cmd_serve_opts[] = {{"options", specs}, {NULL, NULL}};

int cmd_serve(struct app *app, int argc, char **argv)
{
    struct server_config cfg;
    struct err err = ERR_INIT;
    struct opt_parser p;
    struct opt o;
    const char *config = NULL, *port_file = NULL;
    /* flags apply after the file and the environment: keep them */
    struct {
        const char *key, *value, *where;
    } flags[64];
    char keys[64][64];
    int nflags = 0, got;
    server_config_defaults(&cfg);
    opt_parser_init(&p, specs, argc, argv);
    while ((got = cli_opt_next(app, "serve", &p, &o)) > 0) {
        static const char *const key_of[] = {
            NULL, "listen", NULL, "threads", "access_log", "base_url"};
        if (o.id == OPT_ARG)
            return cli_usage_error(app, "serve", "unexpected argument '%s'",
                                   o.value);
        if (o.id == O_CONFIG) {
            config = o.value;
        } else if (o.id == O_PORT_FILE) {
            port_file = o.value;
        } else if (nflags == 64) {
            return cli_usage_error(app, "serve", "too many options");
        } else if (o.id == O_SET) {
            const char *eq = strchr(o.value, '=');
            if (!eq || eq == o.value || (size_t)(eq - o.value) >= 64)
                return cli_usage_error(
                    app, "serve", "--set wants KEY=VALUE, not '%s'", o.value);
            memcpy(keys[nflags], o.value, (size_t)(eq - o.value));
            keys[nflags][eq - o.value] = 0;
            flags[nflags].key = keys[nflags];
            flags[nflags].value = eq + 1;
            flags[nflags++].where = "--set";
        } else {
            flags[nflags].key = key_of[o.id];
            flags[nflags].value = o.value;
            flags[nflags++].where = specs[o.id - 1].name;
        }
    }
    if (got < 0)
        return EXIT_USAGE;
    if (config && server_config_file(&cfg, config, &err) < 0)
        return cli_error(app, &err);
    if (server_config_env(&cfg, &err) < 0)
        return cli_error(app, &err);
    /* --db (or RESONANS_DB) names the database unless a settings file
     * did and the command line did not */
    if (strcmp(app->db_path, "resonans.db") != 0 ||
        !strcmp(cfg.db, "resonans.db"))
        snprintf(cfg.db, sizeof cfg.db, "%s", app->db_path);
    for (int i = 0; i < nflags; i++)
        if (server_config_set(&cfg, flags[i].key, flags[i].value,
                              flags[i].where, &err) < 0)
            return cli_usage_error(app, "serve", "%s", err.msg);

    /* Signals are taken by this thread alone (sigwait), so every thread
     * the server starts inherits them blocked. */
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);

    struct server *srv;
    if (server_start(&srv, &cfg, &err) < 0)
        return cli_error(app, &err);
    int port = server_port(srv);
    cli_say(app->err,
            "resonans serve: listening on http://%s%s%s:%d "
            "(database %s); SIGTERM or Ctrl-C stops",
            strchr(cfg.host, ':') ? "[" : "", cfg.host,
            strchr(cfg.host, ':') ? "]" : "", port, cfg.db);
    if (port_file) {
        FILE *f = fopen(port_file, "w");
        if (f) {
            fprintf(f, "%d\n", port);
            fclose(f);
        }
    }
    int sig = 0;
    sigwait(&set, &sig);
    cli_say(app->err, "resonans serve: %s: finishing requests in flight",
            sig == SIGINT ? "interrupted" : "terminated");
    server_stop(srv, 10000);
    cli_say(app->err, "resonans serve: stopped");
    return EXIT_OK;
}
