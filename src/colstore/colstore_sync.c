/* colstore_open: snapshot, update or rebuild, decided by the store's data
 * version. */
#include "colstore/colstore_sync.h"

#include <stdio.h>
#include <string.h>

#include "colstore/colstore.h"
#include "colstore/snapshot.h"
#include "core/err.h"
#include "core/xalloc.h"
#include "store/store.h"

char *colstore_snapshot_path(const char *db_path)
{
    size_t n = strlen(db_path);
    char *p = xmalloc(n + sizeof ".colstore");
    memcpy(p, db_path, n);
    memcpy(p + n, ".colstore", sizeof ".colstore");
    return p;
}

static void stamp_of(const struct store_version *v, struct colstore_stamp *st)
{
    memcpy(st->uuid, v->uuid, sizeof st->uuid);
    st->data_version = v->data;
}

static void save(struct colstore *cs, const struct colstore_open_opts *o,
                 const struct store_version *v, struct colstore_open_info *info)
{
    struct colstore_write_opts wo = {o->kill_after};
    struct err e = ERR_INIT;
    int skipped = 0;
    if (!o->path || o->no_save)
        return;
    stamp_of(v, &info->stamp);
    if (o->defer_save) {
        info->save_due = 1;
        return;
    }
    if (colstore_snapshot_write(cs, o->path, &info->stamp, &wo, &skipped, &e) <
        0)
        snprintf(info->save_err, sizeof info->save_err, "%s", e.msg);
    else
        info->saved = !skipped;
}

/* How long a command that would rebuild waits for another process that
 * is writing the snapshot right now: far less than rebuilding the data
 * that makes a snapshot slow to write. */
#define WAIT_FOR_WRITER_MS 30000

int colstore_open(struct colstore **out, struct store *s,
                  const struct colstore_open_opts *o,
                  struct colstore_open_info *info, struct err *err)
{
    struct store_version v;
    struct colstore_stamp stamp;
    struct colstore *cs = NULL;
    struct err e = ERR_INIT;
    int rc;

    *out = NULL;
    memset(info, 0, sizeof *info);
    info->source = COLSTORE_BUILT;
    snprintf(info->why, sizeof info->why, "no snapshot asked for");
    /* The version is read before the data: whatever is loaded is at
     * least that new, so a snapshot stamped with it is never ahead of
     * what it holds (at worst it is brought up to date once more). */
    if ((rc = store_version(s, &v, err)) < 0)
        return rc;
    for (int attempt = 0; o->path; attempt++) {
        err_clear(&e);
        if (colstore_snapshot_open(&cs, o->path, o->need, &stamp, &e) < 0) {
            snprintf(info->why, sizeof info->why, "%s", e.msg);
        } else if (memcmp(stamp.uuid, v.uuid, sizeof v.uuid)) {
            snprintf(info->why, sizeof info->why,
                     "the snapshot belongs to another database");
        } else if (stamp.data_version == v.data) {
            info->source = COLSTORE_FROM_SNAPSHOT;
            *out = cs;
            return 0;
        } else if (stamp.data_version > v.data ||
                   v.rewrite > stamp.data_version) {
            snprintf(info->why, sizeof info->why,
                     "the data changed since the snapshot (version %lld, "
                     "now %lld)",
                     (long long)stamp.data_version, (long long)v.data);
        } else {
            err_clear(&e);
            if (colstore_load_more(cs, s, &info->added, &e) == 0) {
                info->source = COLSTORE_UPDATED;
                save(cs, o, &v, info);
                *out = cs;
                return 0;
            }
            colstore_free(cs);
            cs = NULL;
            if (e.code == ERR_DB) /* the store failed, not the snapshot */
                return err_set(err, e.code, "%s", e.msg);
            snprintf(info->why, sizeof info->why, "%s", e.msg);
            break;
        }
        colstore_free(cs);
        cs = NULL;
        /* A rebuild is due. Another command may be writing a snapshot
         * right now (after its answer, with defer_save): worth waiting
         * for, once. */
        if (attempt > 0 || !colstore_snapshot_wait(o->path, WAIT_FOR_WRITER_MS))
            break;
    }
    if ((rc = colstore_load(&cs, s, err)) < 0)
        return rc;
    save(cs, o, &v, info);
    *out = cs;
    return 0;
}
