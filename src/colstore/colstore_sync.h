#pragma once
/* A database's column store, kept as a snapshot beside it and never
 * stale: the store's data version (store.h) decides whether the snapshot
 * is current (mapped as it is), behind by new rows only (brought up to
 * date by reading those rows, then saved), or out of date, damaged or
 * missing (rebuilt from the store, then saved). Before a rebuild it
 * waits for another process that is writing the snapshot right now.
 * docs/colstore.md. */

#include <stddef.h>
#include <stdint.h>

#include "colstore/snapshot.h"

struct colstore;
struct err;
struct store;

enum colstore_source {
    COLSTORE_FROM_SNAPSHOT, /* the snapshot was current */
    COLSTORE_UPDATED,       /* the snapshot plus the rows added since */
    COLSTORE_BUILT          /* loaded from the store */
};

struct colstore_open_opts {
    const char *path;    /* the snapshot file; NULL: no snapshot at all */
    unsigned need;       /* enum colstore_need: columns to verify now */
    int no_save;         /* 1: use a snapshot but never write one */
    int defer_save;      /* 1: leave the writing to the caller (save_due) */
    uint64_t kill_after; /* test hook (colstore_write_opts) */
};

struct colstore_open_info {
    enum colstore_source source;
    char why[256]; /* why the snapshot was not used as it was */
    size_t added;  /* COLSTORE_UPDATED: rows read from the store */
    int saved;     /* the snapshot was written */
    int save_due;  /* defer_save: it should be written, with stamp */
    struct colstore_stamp stamp; /* what cs was loaded from */
    char save_err[256]; /* why it could not be written ("" = no error) */
};

/* Opens s's column store as above. With o->defer_save nothing is
 * written: info->save_due says a snapshot should be, with
 * colstore_snapshot_write and info->stamp (a program can do that after
 * it has answered, in the background). A snapshot that cannot be written
 * (a read-only directory, a full disk) is not an error: info->save_err
 * says why. Returns 0 or the store's error. Caller frees *out with
 * colstore_free. */
int colstore_open(struct colstore **out, struct store *s,
                  const struct colstore_open_opts *o,
                  struct colstore_open_info *info, struct err *err);

/* "DB.colstore" for the database file DB: the snapshot's path. Caller
 * frees. */
char *colstore_snapshot_path(const char *db_path);
