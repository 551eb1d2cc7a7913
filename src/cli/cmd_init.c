/* resonans init: create or migrate the database; with --checkpoint, copy
 * the write-ahead log into the database file. And the importer's way of
 * having that copy made after it has answered (cli_checkpoint_later). */
#define _GNU_SOURCE /* POSIX_SPAWN_SETSID */
#include "cli/cmd.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/err.h"
#include "store/store.h"

enum { O_CHECKPOINT = 1, O_READY_FD };

static const struct opt_spec specs[] = {
    {"checkpoint", O_CHECKPOINT, OPT_FLAG, 0, NULL,
     "also copy committed changes from the write-ahead log (DB-wal) into "
     "the database file and empty the log, so that the file alone holds "
     "everything (big imports have this done in the background); never "
     "creates a database"},
    {"ready-fd", O_READY_FD, OPT_VALUE, 0, "FD",
     "with --checkpoint: write one byte to this descriptor once the "
     "database is open (how an import hands the checkpoint over)"},
    OPT_END};

const struct opt_section cmd_init_opts[] = {{"options", specs}, {NULL, NULL}};

/* The log is handed over from this size up; smaller ones are copied when
 * the importer closes the database, in a few milliseconds. */
#define LATER_MIN ((int64_t)64 << 20)

/* The child: open (reading, so the log is open too), say so, copy. */
static int checkpoint(struct app *app, long ready_fd)
{
    struct err err = ERR_INIT;
    struct store_version v;
    struct store *s = cli_store(app);
    if (!s)
        return app->store_exit;
    if (store_version(s, &v, &err) < 0)
        return cli_error(app, &err);
    if (ready_fd >= 0) {
        /* From here the importer may close: this handle keeps the log
         * from being copied and removed by that close. */
        ssize_t w = write((int)ready_fd, "r", 1);
        (void)w;
        close((int)ready_fd);
    }
    if (store_checkpoint(s, &err) < 0)
        return cli_error(app, &err);
    return EXIT_OK;
}

int cmd_init(struct app *app, int argc, char **argv)
{
    struct opt_parser p;
    struct opt o;
    int got, ckpt = 0;
    long ready_fd = -1;
    opt_parser_init(&p, specs, argc, argv);
    while ((got = cli_opt_next(app, "init", &p, &o)) > 0) {
        if (o.id == O_CHECKPOINT)
            ckpt = 1;
        else if (o.id == O_READY_FD) {
            if (opt_parse_long(&ready_fd, o.value, 0, 1 << 20) < 0)
                return cli_usage_error(app, "init",
                                       "--ready-fd must be a descriptor "
                                       "number, got '%s'",
                                       o.value);
        } else
            return cli_usage_error(app, "init", "unexpected argument '%s'",
                                   o.value);
    }
    if (got < 0)
        return EXIT_USAGE;
    if (ready_fd >= 0 && !ckpt)
        return cli_usage_error(app, "init", "--ready-fd needs --checkpoint");
    if (ckpt) {
        app->db_create = 0; /* a checkpoint of a removed file makes none */
        return checkpoint(app, ready_fd);
    }
    struct store *s = cli_store(app);
    if (!s)
        return app->store_exit;
    cli_say(app->out, "%s: schema version %d", app->db_path,
            store_schema_version(s));
    return EXIT_OK;
}

/* Starts `resonans --db DB init --checkpoint --ready-fd 3` detached, its
 * output to /dev/null; returns the read end of its ready pipe, or -1. */
static int spawn_checkpoint(struct app *app)
{
    int fds[2], rc = -1;
    pid_t pid;
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t at;
    char arg0[] = "resonans", db[] = "--db", init[] = "init",
         ck[] = "--checkpoint", rf[] = "--ready-fd", three[] = "3";
    char *argv[] = {arg0, db, (char *)app->db_path, init, ck, rf, three, NULL};
    extern char **environ;

    if (pipe(fds) < 0)
        return -1;
    fcntl(fds[0], F_SETFD, FD_CLOEXEC);
    /* the write end away from 0-3, so dup2 to 3 is a real copy (which
     * leaves close-on-exec behind) */
    int w = fcntl(fds[1], F_DUPFD_CLOEXEC, 10);
    close(fds[1]);
    fds[1] = w;
    if (w < 0) {
        close(fds[0]);
        return -1;
    }
    posix_spawn_file_actions_init(&fa);
    posix_spawnattr_init(&at);
    posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSID);
    posix_spawn_file_actions_adddup2(&fa, fds[1], 3);
    for (int fd = 0; fd <= 2; fd++)
        posix_spawn_file_actions_addopen(&fa, fd, "/dev/null", O_RDWR, 0);
    if (posix_spawn(&pid, "/proc/self/exe", &fa, &at, argv, environ) == 0)
        rc = fds[0];
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&at);
    close(fds[1]);
    if (rc < 0)
        close(fds[0]);
    return rc;
}

void cli_checkpoint_later(struct app *app)
{
    const char *mode = getenv("RESONANS_CHECKPOINT");
    struct store *s = app->store;
    char c;
    if (!s || (mode && !strcmp(mode, "wait")))
        return;
    if (!(mode && !strcmp(mode, "background")) &&
        store_pending_bytes(s) < LATER_MIN)
        return;
    int fd = spawn_checkpoint(app);
    if (fd < 0)
        return; /* the close copies it, as without this */
    /* Until the child has the database open, this process's close would
     * find itself the last and copy the log; a child that never says so
     * (it failed) leaves exactly that. */
    struct pollfd pf = {fd, POLLIN, 0};
    while (poll(&pf, 1, 10000) < 0 && errno == EINTR)
        ;
    if (pf.revents & POLLIN && read(fd, &c, 1) != 1) {
        /* nothing: the close copies the log */
    }
    close(fd);
}
