/* The SQLite backend of store.h: WAL, foreign keys, prepared statements
 * kept for the life of the handle, migrations from schema/sqlite_*.sql
 * compiled in by tools/embed.c: opening, migrating, transactions and the
 * helpers the backend's files share (store_sqlite_int.h). Writes are in
 * store_sqlite_put.c, reads in store_sqlite_scan.c, the writer note in
 * store_sqlite_lock.c. docs/store.md explains the concurrency rules. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/asset.h"
#include "core/err.h"
#include "core/xalloc.h"
#include "store/store_sqlite_int.h"

extern const struct asset schema_sqlite[];
extern const unsigned long schema_sqlite_count;

static const char *const stmt_sql[S_COUNT] = {
    [S_JOURNEY_UPSERT] =
        "INSERT INTO journeys(key,name,lifecycle) VALUES(?1,?2,?3) "
        "ON CONFLICT(key) DO UPDATE SET name=excluded.name, "
        "lifecycle=excluded.lifecycle RETURNING id",
    [S_STAGE_UPSERT] =
        "INSERT INTO stages(journey_id,key,name,position) VALUES(?1,?2,?3,?4) "
        "ON CONFLICT(journey_id,key) DO UPDATE SET name=excluded.name, "
        "position=excluded.position RETURNING id",
    [S_TOUCHPOINT_UPSERT] =
        "INSERT INTO touchpoints(stage_id,key,name,channel_id,owner_team,"
        "moment_of_truth,physical) VALUES(?1,?2,?3,?4,?5,?6,?7) "
        "ON CONFLICT(key) DO UPDATE SET stage_id=excluded.stage_id, "
        "name=excluded.name, channel_id=excluded.channel_id, "
        "owner_team=excluded.owner_team, "
        "moment_of_truth=excluded.moment_of_truth, "
        "physical=excluded.physical RETURNING id",
    [S_CHANNEL_INSERT] =
        "INSERT INTO channels(key) VALUES(?1) ON CONFLICT(key) DO NOTHING",
    [S_CHANNEL_FIND] = "SELECT id FROM channels WHERE key=?1",
    [S_SURVEY_UPSERT] =
        "INSERT INTO surveys(key,name,touchpoint_id) VALUES(?1,?2,?3) "
        "ON CONFLICT(key) DO UPDATE SET name=excluded.name, "
        "touchpoint_id=excluded.touchpoint_id RETURNING id",
    [S_QUESTION_UPSERT] =
        "INSERT INTO questions(survey_id,key,kind,prompt_sv,prompt_en,"
        "position) VALUES(?1,?2,?3,?4,?5,?6) "
        "ON CONFLICT(survey_id,key) DO UPDATE SET kind=excluded.kind, "
        "prompt_sv=excluded.prompt_sv, prompt_en=excluded.prompt_en, "
        "position=excluded.position RETURNING id",
    [S_CUSTOMER_INSERT] =
        "INSERT INTO customers(ext_id,segment,attrs) "
        "VALUES(?1,?2,coalesce(?3,'{}')) ON CONFLICT(ext_id) DO NOTHING",
    [S_CUSTOMER_FIND] = "SELECT id FROM customers WHERE ext_id=?1",
    [S_CUSTOMER_GET] = "SELECT id,segment,attrs FROM customers WHERE ext_id=?1",
    [S_CUSTOMER_UPDATE] =
        "UPDATE customers SET segment=?2, attrs=?3 WHERE id=?1",
    /* 1 when ?2 is a JSON object; then whether merging it into ?1
     * changes anything, and the merged object */
    [S_ATTRS_MERGE] =
        "SELECT CASE WHEN json_valid(?2) THEN json_type(?2)='object' "
        "ELSE 0 END, "
        "CASE WHEN json_valid(?2) AND json_type(?2)='object' "
        "THEN json_patch(?1,?2) IS NOT json(?1) END, "
        "CASE WHEN json_valid(?2) AND json_type(?2)='object' "
        "THEN json_patch(?1,?2) END",
    [S_SEGMENT_PUT] =
        "INSERT INTO customer_segments(customer_id,since,segment) "
        "VALUES(?1,?2,?3) ON CONFLICT(customer_id,since) "
        "DO UPDATE SET segment=excluded.segment",
    [S_SEGMENT_LATEST] =
        "SELECT since FROM customer_segments WHERE customer_id=?1 "
        "ORDER BY since DESC LIMIT 1",
    [S_ALIAS_CLEAR] = "DELETE FROM touchpoint_aliases WHERE touchpoint_id=?1",
    [S_ALIAS_INSERT] =
        "INSERT INTO touchpoint_aliases(touchpoint_id,alias,position) "
        "VALUES(?1,?2,?3) ON CONFLICT DO NOTHING",
    [S_ALIASES_OF] = "SELECT alias FROM touchpoint_aliases "
                     "WHERE touchpoint_id=?1 ORDER BY position",
    [S_SAVEPOINT] = "SAVEPOINT store_op",
    [S_RELEASE] = "RELEASE store_op",
    [S_ROLLBACK_TO] = "ROLLBACK TO store_op",
    [S_EMPLOYEE_INSERT] =
        "INSERT INTO employees(ext_id,name,team) VALUES(?1,?2,?3) "
        "ON CONFLICT(ext_id) DO NOTHING",
    [S_EMPLOYEE_FIND] = "SELECT id FROM employees WHERE ext_id=?1",
    [S_RESPONSE_INSERT] =
        "INSERT INTO responses(ext_id,customer_id,employee_id,kind,"
        "touchpoint_id,channel_id,language,ts,tz_min,nps,csat,ces,attrs) "
        "VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13) "
        "ON CONFLICT(ext_id) DO NOTHING",
    [S_ANSWER_INSERT] =
        "INSERT INTO answers(response_id,question,kind,v1,v2,v3,text,title) "
        "VALUES(?1,?2,?3,?4,?5,?6,?7,?8)",
    [S_EVENT_INSERT] =
        "INSERT INTO events(ext_id,customer_id,activity,touchpoint_id,"
        "channel_id,ts,tz_min,attrs) VALUES(?1,?2,?3,?4,?5,?6,?7,"
        "coalesce(?8,'{}')) ON CONFLICT(ext_id) DO NOTHING",
    [S_ANALYSIS_INSERT] =
        "INSERT INTO comment_analysis(response_id,question,language,lang_conf,"
        "score,label,redactions,n_redactions,explanation) "
        "VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9)",
    [S_MENTION_INSERT] =
        "INSERT INTO theme_mentions(response_id,question,theme,sentiment) "
        "VALUES(?1,?2,?3,?4) ON CONFLICT DO NOTHING",
    [S_MENTIONS_OF] = "SELECT theme,sentiment FROM theme_mentions "
                      "WHERE response_id=?1 AND question=?2 ORDER BY theme",
};

int sqs_error(struct sqlite_store *st, struct err *err, const char *what)
{
    int code = sqlite3_errcode(st->db);
    int rc = ERR_DB;
    if (code == SQLITE_BUSY)
        return sqs_busy_error(st, err, what);
    if (code == SQLITE_CONSTRAINT)
        rc = ERR_CONFLICT;
    else if (code == SQLITE_CANTOPEN || code == SQLITE_IOERR ||
             code == SQLITE_FULL || code == SQLITE_READONLY)
        rc = ERR_IO;
    return err_set(err, rc, "%s: %s", what, sqlite3_errmsg(st->db));
}

int sqs_exec(struct sqlite_store *st, const char *sql, struct err *err)
{
    char *msg = NULL;
    int rc = sqlite3_exec(st->db, sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK) {
        if ((rc & 0xff) == SQLITE_BUSY)
            sqs_busy_error(st, err, NULL);
        else
            err_set(err, ERR_DB, "%s", msg ? msg : sqlite3_errmsg(st->db));
        sqlite3_free(msg);
        return ERR_DB;
    }
    return 0;
}

sqlite3_stmt *sqs_prep(struct sqlite_store *st, enum stmt_id id,
                       struct err *err)
{
    sqlite3_stmt *s = st->stmt[id];
    if (!s) {
        if (sqlite3_prepare_v3(st->db, stmt_sql[id], -1,
                               SQLITE_PREPARE_PERSISTENT, &s,
                               NULL) != SQLITE_OK) {
            sqs_error(st, err, "prepare");
            return NULL;
        }
        st->stmt[id] = s;
    }
    return s;
}

/* Steps a statement that returns one id (RETURNING id or SELECT id). */
int sqs_step_id(struct sqlite_store *st, sqlite3_stmt *s, int64_t *id,
                const char *what, struct err *err)
{
    int rc = sqlite3_step(s);
    int ret = 0;
    if (rc == SQLITE_ROW) {
        *id = sqlite3_column_int64(s, 0);
        rc = sqlite3_step(s);
    } else if (rc == SQLITE_DONE) {
        ret = ERR_NOTFOUND;
    }
    if (rc != SQLITE_DONE)
        ret = sqs_error(st, err, what);
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
    return ret;
}

/* Steps an INSERT ... DO NOTHING; *changed is 1 when a row was written. */
int sqs_step_insert(struct sqlite_store *st, sqlite3_stmt *s, int *changed,
                    const char *what, struct err *err)
{
    int rc = sqlite3_step(s);
    int ret = 0;
    if (rc != SQLITE_DONE)
        ret = sqs_error(st, err, what);
    else
        *changed = sqlite3_changes(st->db) > 0;
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
    return ret;
}

/* A store operation made of several statements is atomic on its own:
 * outside a transaction it runs in a savepoint; inside one, the caller's
 * rollback covers it. sqs_op_end releases the savepoint, or undoes it when
 * rc < 0, and returns rc (or the release's error). */
int sqs_op_begin(struct sqlite_store *st, struct err *err)
{
    sqlite3_stmt *s;
    int dummy;
    if (st->in_tx)
        return 0;
    if (!(s = sqs_prep(st, S_SAVEPOINT, err)))
        return ERR_DB;
    return sqs_step_insert(st, s, &dummy, "savepoint", err);
}

int sqs_op_end(struct sqlite_store *st, int rc, struct err *err)
{
    sqlite3_stmt *s;
    int dummy;
    if (st->in_tx)
        return rc;
    if (rc < 0) {
        struct err ignored = ERR_INIT;
        if ((s = sqs_prep(st, S_ROLLBACK_TO, &ignored)))
            sqs_step_insert(st, s, &dummy, "rollback", &ignored);
        if ((s = sqs_prep(st, S_RELEASE, &ignored)))
            sqs_step_insert(st, s, &dummy, "release", &ignored);
        return rc;
    }
    if (!(s = sqs_prep(st, S_RELEASE, err)))
        return ERR_DB;
    return sqs_step_insert(st, s, &dummy, "release", err);
}

static int migrate(struct sqlite_store *st, struct err *err)
{
    sqlite3_stmt *s = NULL;
    int rc;
    if (sqlite3_prepare_v2(st->db, "PRAGMA user_version", -1, &s, NULL) !=
            SQLITE_OK ||
        sqlite3_step(s) != SQLITE_ROW) {
        sqlite3_finalize(s);
        return sqs_error(st, err, "reading schema version");
    }
    st->version = sqlite3_column_int(s, 0);
    sqlite3_finalize(s);
    if (st->version > (int)schema_sqlite_count)
        return err_set(err, ERR_DB,
                       "database schema version %d is newer than this "
                       "program (%lu); upgrade resonans",
                       st->version, schema_sqlite_count);
    for (unsigned long v = (unsigned long)st->version; v < schema_sqlite_count;
         v++) {
        char pragma[48];
        snprintf(pragma, sizeof pragma, "PRAGMA user_version=%lu", v + 1);
        if ((rc = sqs_exec(st, "BEGIN IMMEDIATE", err)) < 0)
            return rc;
        struct err e = ERR_INIT;
        if (sqs_exec(st, (const char *)schema_sqlite[v].data, &e) < 0 ||
            sqs_exec(st, pragma, &e) < 0 || sqs_exec(st, "COMMIT", &e) < 0) {
            sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
            return err_set(err, ERR_DB, "migration %s failed: %s",
                           schema_sqlite[v].path, e.msg);
        }
        st->version = (int)v + 1;
    }
    return 0;
}

static void sq_close(void *impl)
{
    struct sqlite_store *st = impl;
    if (!st)
        return;
    for (int i = 0; i < S_COUNT; i++)
        sqlite3_finalize(st->stmt[i]);
    for (int i = 0; i < A_N_TABLES; i++) {
        sqlite3_finalize(st->multi[i]);
        sqlite3_finalize(st->append1[i]);
    }
    if (st->in_tx)
        sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
    sqs_read_end(st);
    sqs_note_clear(st);
    sqs_flusher_stop(st->flusher);
    sqlite3_close(st->db);
    /* only now: closing it earlier would drop SQLite's locks on the file */
    if (st->db_fd >= 0)
        close(st->db_fd);
    free(st->path);
    free(st);
}

/* SQLite's memory statistics take a global mutex on every allocation;
 * with an import's two threads that was a few percent of the writer.
 * It can only be switched off before SQLite initialises, so once per
 * process (the only process-wide state in the store, and constant after). */
static pthread_once_t sqlite_configured = PTHREAD_ONCE_INIT;

static void configure_sqlite(void)
{
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    sqlite3_initialize();
}

/* Creates the database file readable by its owner only, if it does not
 * exist: SQLite would create it 0644, and it gives the -wal and -shm
 * files the main file's mode. An existing file is left as it is. */
static int create_private(const char *path, int *created, struct err *err)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    *created = 0;
    if (fd >= 0) {
        close(fd);
        *created = 1;
        return 0;
    }
    if (errno == EEXIST)
        return 0;
    return err_set(err, ERR_IO, "cannot open database %s: %s", path,
                   strerror(errno));
}

/* WAL, always: readers never wait for the writer and see each commit
 * whole or not at all, and switching modes would need the database to
 * itself (every other process would fail at once). Asked only when not
 * already so, since the switch takes a lock. */
static int ensure_wal(struct sqlite_store *st, struct err *err)
{
    sqlite3_stmt *s = NULL;
    int wal = 0;
    if (sqlite3_prepare_v2(st->db, "PRAGMA journal_mode", -1, &s, NULL) ==
            SQLITE_OK &&
        sqlite3_step(s) == SQLITE_ROW)
        wal = col_text(s, 0) && !strcmp(col_text(s, 0), "wal");
    sqlite3_finalize(s);
    if (wal)
        return 0;
    if (sqlite3_prepare_v2(st->db, "PRAGMA journal_mode=WAL", -1, &s, NULL) !=
            SQLITE_OK ||
        sqlite3_step(s) != SQLITE_ROW) {
        int rc = sqs_error(st, err, "switching to WAL");
        sqlite3_finalize(s);
        return rc;
    }
    wal = col_text(s, 0) && !strcmp(col_text(s, 0), "wal");
    sqlite3_finalize(s);
    if (!wal)
        return err_set(err, ERR_DB, "the database cannot use WAL");
    return 0;
}

static int sq_open(void **impl, const char *target, struct err *err)
{
    struct sqlite_store *st;
    int rc;
    int memory = !strcmp(target, ":memory:"), created = 0;
    pthread_once(&sqlite_configured, configure_sqlite);
    if (!memory && *target && (rc = create_private(target, &created, err)) < 0)
        return rc;
    st = xcalloc(1, sizeof *st);
    st->path = memory ? NULL : xstrdup(target);
    st->db_fd = -1;
    if (sqlite3_open_v2(target, &st->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
                            SQLITE_OPEN_NOMUTEX,
                        NULL) != SQLITE_OK) {
        err_set(err, ERR_IO, "cannot open database %s: %s", target,
                st->db ? sqlite3_errmsg(st->db) : "out of memory");
        sq_close(st);
        return ERR_IO;
    }
    st->busy_ms = sqs_busy_default();
    sqlite3_busy_timeout(st->db, (int)st->busy_ms);
    /* synchronous=FULL: a committed transaction survives a power loss,
     * which is what "acknowledged" means; bulk imports are one
     * transaction, so it costs one fsync of the WAL (and one of the
     * database at the checkpoint). journal_size_limit: the WAL of a big
     * import is cut back once checkpointed, not kept at its size. */
    /* A new database gets 64 KiB pages, SQLite's largest (its default
     * is 4 KiB): every page of a bulk import goes through the WAL and the
     * checkpoint a page at a time, and with 64 KiB pages a 10M-response
     * import took a quarter less time than with 4 KiB (a tenth less than
     * with 16 KiB); the column store's scans read fewer, longer pages. It
     * can only be chosen before the first write. */
    if (created && (rc = sqs_exec(st, "PRAGMA page_size=65536", err)) < 0) {
        sq_close(st);
        return rc;
    }
    if ((!memory && (rc = ensure_wal(st, err)) < 0) ||
        (rc = sqs_exec(st,
                       memory
                           ? "PRAGMA foreign_keys=ON"
                           : "PRAGMA synchronous=FULL;"
                             "PRAGMA foreign_keys=ON; PRAGMA cache_size=-65536;"
                             "PRAGMA temp_store=MEMORY;"
                             "PRAGMA journal_size_limit=67108864",
                       err)) < 0 ||
        (rc = migrate(st, err)) < 0) {
        if (err->code == ERR_DB && !memory) {
            char msg[256];
            memcpy(msg, err->msg, sizeof msg);
            err->code = 0;
            err_set(err, ERR_DB, "%s: %s", target, msg);
        }
        sq_close(st);
        return rc;
    }
    *impl = st;
    return 0;
}

static int sq_schema_version(void *impl)
{
    return ((struct sqlite_store *)impl)->version;
}

/* A bulk load turns foreign-key enforcement off (it can only change
 * outside a transaction): the importer resolves every id through this
 * store, and the parent lookups were a third of the insert cost. Its page
 * cache has a fixed size, whatever the load: when it fills, SQLite writes
 * pages to the WAL before the commit (still invisible to readers, and
 * undone by a rollback), so memory does not grow with the file. CHECK
 * constraints are off too, for the same reason as foreign keys: the
 * importer only produces values they allow, and store_sqlite_put.c tests
 * those values in C at a fraction of the cost (check_response). The WAL
 * stays on: leaving it would lock every other process out. Its commit
 * does not checkpoint (wal_autocheckpoint=0): the data is durable and
 * visible once in the WAL, and the copy into the database file (as long
 * as the load wrote) is left to store_checkpoint or the last close. */
#define BULK_CACHE "-32768" /* KiB: 32 MiB */
static const char bulk_on[] =
    "PRAGMA foreign_keys=OFF; PRAGMA ignore_check_constraints=ON;"
    "PRAGMA wal_autocheckpoint=0; PRAGMA cache_size=" BULK_CACHE;
static const char bulk_off[] =
    "PRAGMA foreign_keys=ON; PRAGMA ignore_check_constraints=OFF;"
    "PRAGMA wal_autocheckpoint=1000; PRAGMA cache_size=-65536";

int sqs_read_begin(struct sqlite_store *st, struct err *err)
{
    int rc;
    if (st->in_tx || st->snap || !sqlite3_get_autocommit(st->db))
        return 0;
    /* A deferred BEGIN takes its snapshot at the first read that follows:
     * from then on every read of this handle sees the same commit, so a
     * caller reading several tables (the column store) never mixes the
     * states before and after another process's import. */
    if ((rc = sqs_exec(st, "BEGIN DEFERRED", err)) < 0)
        return rc;
    st->snap = 1;
    return 0;
}

void sqs_read_end(struct sqlite_store *st)
{
    if (!st->snap)
        return;
    st->snap = 0;
    if (!sqlite3_get_autocommit(st->db))
        sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL);
}

static int sq_begin(void *impl, int bulk, struct err *err)
{
    struct sqlite_store *st = impl;
    int rc;
    if (st->in_tx)
        return err_set(err, ERR_INTERNAL, "transaction already open");
    sqs_read_end(st);
    if (bulk && (rc = sqs_exec(st, bulk_on, err)) < 0)
        return rc;
    /* IMMEDIATE takes the write lock now, waiting up to busy_ms for
     * another writer, rather than failing at the first write. */
    if ((rc = sqs_exec(st, "BEGIN IMMEDIATE", err)) < 0) {
        if (bulk)
            sqlite3_exec(st->db, bulk_off, NULL, NULL, NULL);
        return rc;
    }
    st->in_tx = 1;
    st->bulk = bulk;
    st->next_id = 0;
    st->began = (int64_t)time(NULL);
    sqs_note_write(st);
    if (bulk && st->path) {
        if (st->db_fd < 0)
            st->db_fd = open(st->path, O_RDONLY | O_CLOEXEC);
        st->flusher = sqs_flusher_start(st->path, st->db_fd);
    }
    return 0;
}

static void end_tx(struct sqlite_store *st)
{
    /* after the commit and its checkpoint, which it helped along */
    sqs_flusher_stop(st->flusher);
    st->flusher = NULL;
    if (st->bulk)
        sqlite3_exec(st->db, bulk_off, NULL, NULL, NULL);
    st->bulk = 0;
    st->in_tx = 0;
    sqs_note_clear(st);
}

static int sq_commit(void *impl, struct err *err)
{
    struct sqlite_store *st = impl;
    int rc;
    if (!st->in_tx)
        return err_set(err, ERR_INTERNAL, "no transaction open");
    /* A commit that fails is rolled back here: the transaction is over
     * either way, and nothing of it is kept. */
    if ((rc = sqs_exec(st, "COMMIT", err)) < 0) {
        if (!sqlite3_get_autocommit(st->db))
            sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
    }
    end_tx(st);
    return rc;
}

static void sq_rollback(void *impl)
{
    struct sqlite_store *st = impl;
    if (st->in_tx && !sqlite3_get_autocommit(st->db))
        sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
    end_tx(st);
}

static void sq_end_read(void *impl)
{
    sqs_read_end(impl);
}

static void sq_set_busy_timeout(void *impl, long ms)
{
    struct sqlite_store *st = impl;
    st->busy_ms = ms < 0 ? 0 : ms > 0x7fffffffL ? 0x7fffffffL : ms;
    sqlite3_busy_timeout(st->db, (int)st->busy_ms);
}

static void sq_set_activity(void *impl, const char *what)
{
    struct sqlite_store *st = impl;
    snprintf(st->activity, sizeof st->activity, "%s", what ? what : "");
    /* one line in the note */
    for (char *p = st->activity; *p; p++)
        if (*p == '\n' || *p == '\r')
            *p = ' ';
}

/* Runs a read-only query and hands each row to fn. */
int sqs_prepare(struct sqlite_store *st, const char *sql, sqlite3_stmt **s,
                const char *what, struct err *err)
{
    if (sqlite3_prepare_v2(st->db, sql, -1, s, NULL) != SQLITE_OK) {
        int rc = sqs_error(st, err, what);
        sqlite3_finalize(*s);
        *s = NULL;
        return rc;
    }
    return 0;
}

int sqs_run(struct sqlite_store *st, sqlite3_stmt *s, int *changes,
            const char *what, struct err *err)
{
    int rc = sqlite3_step(s), ret = 0;
    while (rc == SQLITE_ROW)
        rc = sqlite3_step(s);
    if (rc != SQLITE_DONE)
        ret = sqs_error(st, err, what);
    else if (changes)
        *changes = sqlite3_changes(st->db);
    sqlite3_finalize(s);
    return ret;
}

int sqs_each_row(struct sqlite_store *st, const char *sql,
                 int (*fn)(sqlite3_stmt *s, void *a, void *b), void *a, void *b,
                 struct err *err)
{
    sqlite3_stmt *s = NULL;
    int rc = 0, step;
    if ((rc = sqs_read_begin(st, err)) < 0)
        return rc;
    if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK)
        return sqs_error(st, err, "query");
    while ((step = sqlite3_step(s)) == SQLITE_ROW)
        if ((rc = fn(s, a, b)) != 0)
            break;
    if (rc == 0 && step != SQLITE_DONE)
        rc = sqs_error(st, err, "query");
    sqlite3_finalize(s);
    return rc;
}
const struct store_ops store_sqlite_ops = {
    .version = STORE_OPS_VERSION,
    .name = "sqlite",
    .open = sq_open,
    .close = sq_close,
    .schema_version = sq_schema_version,
    .begin = sq_begin,
    .commit = sq_commit,
    .rollback = sq_rollback,
    .put_journey = sq_put_journey,
    .put_stage = sq_put_stage,
    .put_touchpoint = sq_put_touchpoint,
    .put_channel = sq_put_channel,
    .put_survey = sq_put_survey,
    .put_question = sq_put_question,
    .list_touchpoints = sq_list_touchpoints,
    .list_stages = sq_list_stages,
    .list_channels = sq_list_channels,
    .put_customer = sq_put_customer,
    .put_employee = sq_put_employee,
    .update_customer = sq_update_customer,
    .scan_customers = sq_scan_customers,
    .scan_segments = sq_scan_segments,
    .scan_employees = sq_scan_employees,
    .put_response = sq_put_response,
    .put_responses = sq_put_responses,
    .put_event = sq_put_event,
    .erase_customer = sq_erase_customer,
    .scan_facts = sq_scan_facts,
    .scan_responses = sq_scan_responses,
    .scan_response_attrs = sq_scan_response_attrs,
    .scan_answers = sq_scan_answers,
    .scan_events = sq_scan_events,
    .count = sq_count,
    .scan_analyses = sq_scan_analyses,
    .scan_comments = sq_scan_comments,
    .put_taxonomy = sq_put_taxonomy,
    .get_taxonomy = sq_get_taxonomy,
    .scan_attr = sq_scan_attr,
    .scan_event_facts = sq_scan_event_facts,
    .data_version = sq_version,
    .bump_version = sq_bump_version,
    .set_busy_timeout = sq_set_busy_timeout,
    .set_activity = sq_set_activity,
    .end_read = sq_end_read,
    .pending_bytes = sqs_pending_bytes,
    .checkpoint = sqs_checkpoint,
    .checkpoint_passive = sqs_checkpoint_passive,
    .set_autocheckpoint = sqs_set_autocheckpoint,
    .expire_comments = sq_expire_comments,
    .put_user = sq_put_user,
    .get_user = sq_get_user,
    .list_users = sq_list_users,
    .count_users = sq_count_users,
    .put_session = sq_put_session,
    .get_session = sq_get_session,
    .delete_session = sq_delete_session,
    .put_token = sq_put_token,
    .get_tokens = sq_get_tokens,
    .revoke_token = sq_revoke_token,
    .audit = sq_audit,
    .scan_audit = sq_scan_audit,
    .get_secret = sq_get_secret,
    .put_secret = sq_put_secret,
    .put_survey_def = sq_put_survey_def,
    .get_survey_defs = sq_get_survey_defs,
    .delete_survey_def = sq_delete_survey_def,
    .put_rules = sq_put_rules,
    .get_rules = sq_get_rules,
    .rules_applied = sq_rules_applied,
    .set_rules_applied = sq_set_rules_applied,
    .scan_rule_inputs = sq_scan_rule_inputs,
    .put_case = sq_put_case,
    .update_case = sq_update_case,
    .scan_cases = sq_scan_cases,
    .put_case_note = sq_put_case_note,
    .scan_case_notes = sq_scan_case_notes,
    .customer_email = sq_customer_email,
    .put_outbox = sq_put_outbox,
    .due_outbox = sq_due_outbox,
    .update_outbox = sq_update_outbox,
    .list_outbox = sq_list_outbox,
    .outbox_next = sq_outbox_next,
    .outbox_last = sq_outbox_last,
    .put_improvement = sq_put_improvement,
    .list_improvements = sq_list_improvements,
    .window_counts = sq_window_counts,
    .count_by_touchpoint = sq_count_by_touchpoint,
    .area_customer_nps = sq_area_customer_nps,
};
