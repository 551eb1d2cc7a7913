/* resonans customer erase ID --yes: removes a customer and everything
 * stored about them, the column-store snapshot included, audited
 * (docs/privacy.md). */
#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cmd.h"
#include "colstore/colstore_sync.h"
#include "colstore/snapshot.h"
#include "core/err.h"
#include "core/xalloc.h"
#include "store/store.h"

enum { O_YES = 1 };

static const struct opt_spec specs[] = {
    {"yes", O_YES, OPT_FLAG, 0, NULL,
     "erase: really erase (it cannot be undone)"},
    OPT_END};

const struct opt_section cmd_customer_opts[] = {{"options", specs},
                                                {NULL, NULL}};

/* The audit log's name for the customer: BLAKE2b of their id keyed by
 * the database's identity. Whoever holds the database can check whether
 * an id was erased; the log does not hold the id. */
static void subject_of(char hex[33], const char *ext_id,
                       const struct store_version *v)
{
    unsigned char h[16];
    crypto_generichash(h, sizeof h, (const unsigned char *)ext_id,
                       strlen(ext_id), v->uuid, sizeof v->uuid);
    sodium_bin2hex(hex, 33, h, sizeof h);
}

/* Removes path if it exists. 0, or -1 after saying why. */
static int remove_file(struct app *app, const char *path)
{
    if (unlink(path) == 0 || errno == ENOENT)
        return 0;
    cli_say(app->err, "resonans: %s: cannot remove: %s", path, strerror(errno));
    return -1;
}

static int erase(struct app *app, const char *id)
{
    struct err err = ERR_INIT;
    struct store_version v;
    struct store_erased n;
    char subject[33];
    struct store *s = cli_store(app);
    if (!s)
        return app->store_exit;
    if (sodium_init() < 0) {
        cli_say(app->err, "resonans: libsodium did not start");
        return EXIT_FAIL;
    }
    const char *actor = app->actor ? app->actor : getenv("USER");
    if (store_version(s, &v, &err) < 0)
        return cli_error(app, &err);
    subject_of(subject, id, &v);
    if (store_erase_customer(s, id, actor && *actor ? actor : "unknown",
                             subject, &n, &err) < 0)
        return cli_error(app, &err);
    /* Nothing of it may stay in the write-ahead log or a snapshot. */
    int rc = EXIT_OK;
    if (store_checkpoint(s, &err) < 0) {
        cli_say(app->err,
                "resonans: erased, but the log still holds a copy until the "
                "next checkpoint: %s (run 'resonans init --checkpoint')",
                err.msg);
        rc = EXIT_FAIL;
    }
    char *snap = colstore_snapshot_path(app->db_path);
    char *tmp = xmalloc(strlen(snap) + 5);
    sprintf(tmp, "%s.tmp", snap);
    /* A command that loaded the data before the erasure holds the
     * writer's lock until its snapshot is written: let it finish, then
     * remove what it wrote. */
    colstore_snapshot_wait(snap, 60000);
    if (remove_file(app, snap) < 0 || remove_file(app, tmp) < 0)
        rc = EXIT_FAIL;
    free(snap);
    free(tmp);
    cli_say(app->out,
            "customer %s erased: %lld responses (%lld answers), %lld events, "
            "%lld segment changes; the column-store snapshot is rebuilt "
            "without them; audit entry customer.erase %s",
            id, (long long)n.responses, (long long)n.answers,
            (long long)n.events, (long long)n.segments, subject);
    return rc;
}

int cmd_customer(struct app *app, int argc, char **argv)
{
    struct opt_parser p;
    struct opt o;
    const char *sub = NULL, *id = NULL;
    int got, yes = 0;
    opt_parser_init(&p, specs, argc, argv);
    while ((got = cli_opt_next(app, "customer", &p, &o)) > 0) {
        if (o.id == O_YES)
            yes = 1;
        else if (!sub)
            sub = o.value;
        else if (!id)
            id = o.value;
        else
            return cli_usage_error(app, "customer", "unexpected argument '%s'",
                                   o.value);
    }
    if (got < 0)
        return EXIT_USAGE;
    if (!sub || strcmp(sub, "erase") != 0)
        return cli_usage_error(app, "customer", "expected: erase ID --yes");
    if (!id || !*id)
        return cli_usage_error(app, "customer", "erase takes a customer id");
    if (!yes)
        return cli_usage_error(app, "customer",
                               "erasing %s cannot be undone: add --yes", id);
    return erase(app, id);
}
