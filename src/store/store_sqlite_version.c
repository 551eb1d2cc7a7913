/* The SQLite backend's data version (schema/sqlite_004_version.sql): one
 * row that every committed change advances, read by whoever keeps a
 * derived copy of the data (the column store snapshot). */
#include "store/store_sqlite_int.h"

#include <stdio.h>
#include <string.h>

#include "core/err.h"

static int version_row(sqlite3_stmt *s, void *out_, void *unused)
{
    struct store_version *out = out_;
    (void)unused;
    const void *uuid = sqlite3_column_blob(s, 0);
    int n = sqlite3_column_bytes(s, 0);
    memset(out->uuid, 0, sizeof out->uuid);
    if (uuid)
        memcpy(out->uuid, uuid,
               (size_t)n < sizeof out->uuid ? (size_t)n : sizeof out->uuid);
    out->data = sqlite3_column_int64(s, 1);
    out->rewrite = sqlite3_column_int64(s, 2);
    out->events = sqlite3_column_int64(s, 3);
    return 0;
}

int sq_version(void *impl, struct store_version *out, struct err *err)
{
    memset(out, 0, sizeof *out);
    return sqs_each_row(impl,
                        "SELECT uuid,data,rewrite,events FROM store_version "
                        "WHERE id=1",
                        version_row, out, NULL, err);
}

int sq_bump_version(void *impl, unsigned changes, struct err *err)
{
    char sql[192];
    snprintf(sql, sizeof sql,
             "UPDATE store_version SET data=data+1%s%s WHERE id=1",
             changes & STORE_CHANGE_REWRITE ? ",rewrite=data+1" : "",
             changes & STORE_CHANGE_EVENTS ? ",events=data+1" : "");
    return sqs_exec(impl, sql, err);
}
