/* The SQLite backend of store.h: WAL, foreign keys, prepared statements
 * kept for the life of the handle, migrations from schema/sqlite_*.sql
 * compiled in by tools/embed.c. No SQLite type escapes this file. */
#include <math.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/asset.h"
#include "core/err.h"
#include "core/tstamp.h"
#include "core/xalloc.h"
#include "store/store_int.h"

extern const struct asset schema_sqlite[];
extern const unsigned long schema_sqlite_count;

enum stmt_id {
    S_JOURNEY_UPSERT,
    S_STAGE_UPSERT,
    S_TOUCHPOINT_UPSERT,
    S_CHANNEL_INSERT,
    S_CHANNEL_FIND,
    S_SURVEY_UPSERT,
    S_QUESTION_UPSERT,
    S_CUSTOMER_INSERT,
    S_CUSTOMER_FIND,
    S_CUSTOMER_GET,
    S_CUSTOMER_UPDATE,
    S_ATTRS_MERGE,
    S_SEGMENT_PUT,
    S_SEGMENT_LATEST,
    S_ALIAS_CLEAR,
    S_ALIAS_INSERT,
    S_ALIASES_OF,
    S_SAVEPOINT,
    S_RELEASE,
    S_ROLLBACK_TO,
    S_EMPLOYEE_INSERT,
    S_EMPLOYEE_FIND,
    S_RESPONSE_INSERT,
    S_RESPONSE_APPEND,
    S_ANSWER_INSERT,
    S_EVENT_INSERT,
    S_ANALYSIS_INSERT,
    S_MENTION_INSERT,
    S_MENTIONS_OF,
    S_COUNT
};

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
    [S_RESPONSE_APPEND] =
        "INSERT INTO responses(ext_id,customer_id,employee_id,kind,"
        "touchpoint_id,channel_id,language,ts,tz_min,nps,csat,ces,attrs) "
        "VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13)",
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

struct sqlite_store {
    sqlite3 *db;
    sqlite3_stmt *stmt[S_COUNT];
    int version;
    int in_tx;
    int bulk; /* in a bulk transaction: foreign keys off, big cache */
    /* First load into an empty responses table: the ext_id index was
     * dropped and is built once at commit. -1 = not yet known. */
    int initial_load;
};

static int db_error(struct sqlite_store *st, struct err *err, const char *what)
{
    int code = sqlite3_errcode(st->db);
    int rc = ERR_DB;
    if (code == SQLITE_CONSTRAINT)
        rc = ERR_CONFLICT;
    else if (code == SQLITE_CANTOPEN || code == SQLITE_IOERR ||
             code == SQLITE_FULL || code == SQLITE_READONLY)
        rc = ERR_IO;
    return err_set(err, rc, "%s: %s", what, sqlite3_errmsg(st->db));
}

static int exec(struct sqlite_store *st, const char *sql, struct err *err)
{
    char *msg = NULL;
    if (sqlite3_exec(st->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        err_set(err, ERR_DB, "%s", msg ? msg : sqlite3_errmsg(st->db));
        sqlite3_free(msg);
        return ERR_DB;
    }
    return 0;
}

static sqlite3_stmt *prep(struct sqlite_store *st, enum stmt_id id,
                          struct err *err)
{
    sqlite3_stmt *s = st->stmt[id];
    if (!s) {
        if (sqlite3_prepare_v3(st->db, stmt_sql[id], -1,
                               SQLITE_PREPARE_PERSISTENT, &s,
                               NULL) != SQLITE_OK) {
            db_error(st, err, "prepare");
            return NULL;
        }
        st->stmt[id] = s;
    }
    return s;
}

static void bind_text(sqlite3_stmt *s, int i, const char *v)
{
    if (v)
        sqlite3_bind_text(s, i, v, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(s, i);
}

static void bind_id(sqlite3_stmt *s, int i, int64_t v)
{
    if (v > 0)
        sqlite3_bind_int64(s, i, v);
    else
        sqlite3_bind_null(s, i);
}

static void bind_score(sqlite3_stmt *s, int i, int v)
{
    if (v >= 0)
        sqlite3_bind_int(s, i, v);
    else
        sqlite3_bind_null(s, i);
}

static const char *col_text(sqlite3_stmt *s, int i)
{
    return (const char *)sqlite3_column_text(s, i);
}

/* Steps a statement that returns one id (RETURNING id or SELECT id). */
static int step_id(struct sqlite_store *st, sqlite3_stmt *s, int64_t *id,
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
        ret = db_error(st, err, what);
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
    return ret;
}

/* Steps an INSERT ... DO NOTHING; *changed is 1 when a row was written. */
static int step_insert(struct sqlite_store *st, sqlite3_stmt *s, int *changed,
                       const char *what, struct err *err)
{
    int rc = sqlite3_step(s);
    int ret = 0;
    if (rc != SQLITE_DONE)
        ret = db_error(st, err, what);
    else
        *changed = sqlite3_changes(st->db) > 0;
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
    return ret;
}

/* A store operation made of several statements is atomic on its own:
 * outside a transaction it runs in a savepoint; inside one, the caller's
 * rollback covers it. op_end releases the savepoint, or undoes it when
 * rc < 0, and returns rc (or the release's error). */
static int op_begin(struct sqlite_store *st, struct err *err)
{
    sqlite3_stmt *s;
    int dummy;
    if (st->in_tx)
        return 0;
    if (!(s = prep(st, S_SAVEPOINT, err)))
        return ERR_DB;
    return step_insert(st, s, &dummy, "savepoint", err);
}

static int op_end(struct sqlite_store *st, int rc, struct err *err)
{
    sqlite3_stmt *s;
    int dummy;
    if (st->in_tx)
        return rc;
    if (rc < 0) {
        struct err ignored = ERR_INIT;
        if ((s = prep(st, S_ROLLBACK_TO, &ignored)))
            step_insert(st, s, &dummy, "rollback", &ignored);
        if ((s = prep(st, S_RELEASE, &ignored)))
            step_insert(st, s, &dummy, "release", &ignored);
        return rc;
    }
    if (!(s = prep(st, S_RELEASE, err)))
        return ERR_DB;
    return step_insert(st, s, &dummy, "release", err);
}

static int migrate(struct sqlite_store *st, struct err *err)
{
    sqlite3_stmt *s = NULL;
    int rc;
    if (sqlite3_prepare_v2(st->db, "PRAGMA user_version", -1, &s, NULL) !=
            SQLITE_OK ||
        sqlite3_step(s) != SQLITE_ROW) {
        sqlite3_finalize(s);
        return db_error(st, err, "reading schema version");
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
        if ((rc = exec(st, "BEGIN IMMEDIATE", err)) < 0)
            return rc;
        if ((rc = exec(st, (const char *)schema_sqlite[v].data, err)) < 0 ||
            (rc = exec(st, pragma, err)) < 0 ||
            (rc = exec(st, "COMMIT", err)) < 0) {
            sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
            err->code = 0; /* re-set with the migration named */
            return err_set(err, ERR_DB, "migration %s failed: %s",
                           schema_sqlite[v].path, err->msg);
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
    sqlite3_close(st->db);
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

static int sq_open(void **impl, const char *target, struct err *err)
{
    struct sqlite_store *st;
    int rc;
    int memory = !strcmp(target, ":memory:");
    pthread_once(&sqlite_configured, configure_sqlite);
    st = xcalloc(1, sizeof *st);
    if (sqlite3_open_v2(target, &st->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
                            SQLITE_OPEN_NOMUTEX,
                        NULL) != SQLITE_OK) {
        err_set(err, ERR_IO, "cannot open database %s: %s", target,
                st->db ? sqlite3_errmsg(st->db) : "out of memory");
        sq_close(st);
        return ERR_IO;
    }
    sqlite3_busy_timeout(st->db, 5000);
    /* WAL: readers do not block the writer. synchronous=FULL: a committed
     * transaction survives a power loss, which is what "acknowledged"
     * means; bulk imports are one transaction, so it costs one fsync. */
    if ((rc = exec(st,
                   memory ? "PRAGMA foreign_keys=ON"
                          : "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
                            "PRAGMA foreign_keys=ON; PRAGMA cache_size=-65536;"
                            "PRAGMA temp_store=MEMORY",
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
 * store, and the parent lookups were a third of the insert cost. It also
 * leaves WAL for a rollback journal while it runs: new pages then go
 * straight to the database file once, instead of to the WAL and again at
 * the checkpoint. If another connection holds the database the switch
 * fails quietly and the load runs in WAL, just slower. Two sorter threads
 * build the ext_id index at commit on both cores. */
static const char bulk_on[] =
    "PRAGMA foreign_keys=OFF; PRAGMA cache_size=-524288; PRAGMA threads=2";
static const char bulk_off[] =
    "PRAGMA foreign_keys=ON; PRAGMA cache_size=-65536; PRAGMA threads=0";

static int sq_begin(void *impl, int bulk, struct err *err)
{
    struct sqlite_store *st = impl;
    int rc;
    if (st->in_tx)
        return err_set(err, ERR_INTERNAL, "transaction already open");
    if (bulk) {
        if ((rc = exec(st, bulk_on, err)) < 0)
            return rc;
        sqlite3_exec(st->db, "PRAGMA journal_mode=DELETE", NULL, NULL, NULL);
    }
    if ((rc = exec(st, "BEGIN IMMEDIATE", err)) < 0) {
        if (bulk)
            sqlite3_exec(st->db, bulk_off, NULL, NULL, NULL);
        return rc;
    }
    st->in_tx = 1;
    st->bulk = bulk;
    st->initial_load = -1;
    return 0;
}

static void end_bulk(struct sqlite_store *st)
{
    if (st->bulk) {
        sqlite3_exec(st->db, bulk_off, NULL, NULL, NULL);
        sqlite3_exec(st->db, "PRAGMA journal_mode=WAL", NULL, NULL, NULL);
    }
    st->bulk = 0;
}

/* Rebuilds the ext_id index after an initial load. Building it once from
 * sorted keys is several times faster than growing it row by row. A
 * duplicate id cannot normally get here (the importer rejects those with
 * their line), but if one does the commit fails and nothing is stored. */
static int finish_initial_load(struct sqlite_store *st, struct err *err)
{
    char *msg = NULL;
    if (st->initial_load != 1)
        return 0;
    st->initial_load = 0;
    if (sqlite3_exec(st->db,
                     "CREATE UNIQUE INDEX responses_ext ON responses(ext_id)",
                     NULL, NULL, &msg) == SQLITE_OK)
        return 0;
    err_set(err, ERR_CONFLICT, "duplicate response ids: %s",
            msg ? msg : "index build failed");
    sqlite3_free(msg);
    return ERR_CONFLICT;
}

static int sq_commit(void *impl, struct err *err)
{
    struct sqlite_store *st = impl;
    int rc;
    if (!st->in_tx)
        return err_set(err, ERR_INTERNAL, "no transaction open");
    if ((rc = finish_initial_load(st, err)) < 0)
        return rc;
    if ((rc = exec(st, "COMMIT", err)) == 0) {
        st->in_tx = 0;
        end_bulk(st);
    }
    return rc;
}

static void sq_rollback(void *impl)
{
    struct sqlite_store *st = impl;
    st->initial_load = 0;
    if (st->in_tx && !sqlite3_get_autocommit(st->db))
        sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
    st->in_tx = 0;
    end_bulk(st);
}

static int sq_put_journey(void *impl, struct journey *j, struct err *err)
{
    struct sqlite_store *st = impl;
    sqlite3_stmt *s = prep(st, S_JOURNEY_UPSERT, err);
    if (!s)
        return ERR_DB;
    bind_text(s, 1, j->key);
    bind_text(s, 2, j->name);
    bind_text(s, 3, lifecycle_name(j->lifecycle));
    return step_id(st, s, &j->id, "saving journey", err);
}

static int sq_put_stage(void *impl, struct stage *g, struct err *err)
{
    struct sqlite_store *st = impl;
    sqlite3_stmt *s = prep(st, S_STAGE_UPSERT, err);
    if (!s)
        return ERR_DB;
    sqlite3_bind_int64(s, 1, g->journey_id);
    bind_text(s, 2, g->key);
    bind_text(s, 3, g->name);
    sqlite3_bind_int(s, 4, g->position);
    return step_id(st, s, &g->id, "saving stage", err);
}

static int sq_put_channel(void *impl, struct channel *c, struct err *err)
{
    struct sqlite_store *st = impl;
    sqlite3_stmt *s = prep(st, S_CHANNEL_INSERT, err);
    int changed = 0, rc;
    if (!s)
        return ERR_DB;
    bind_text(s, 1, c->key);
    if ((rc = step_insert(st, s, &changed, "saving channel", err)) < 0)
        return rc;
    if (changed) {
        c->id = sqlite3_last_insert_rowid(st->db);
        return 0;
    }
    if (!(s = prep(st, S_CHANNEL_FIND, err)))
        return ERR_DB;
    bind_text(s, 1, c->key);
    return step_id(st, s, &c->id, "finding channel", err);
}

static int put_touchpoint(struct sqlite_store *st, struct touchpoint *t,
                          struct err *err)
{
    struct channel ch = {0, t->channel};
    int rc;
    if (!t->channel)
        return err_set(err, ERR_INVALID, "touchpoint %s has no channel",
                       t->key);
    if ((rc = sq_put_channel(st, &ch, err)) < 0)
        return rc;
    sqlite3_stmt *s = prep(st, S_TOUCHPOINT_UPSERT, err);
    if (!s)
        return ERR_DB;
    sqlite3_bind_int64(s, 1, t->stage_id);
    bind_text(s, 2, t->key);
    bind_text(s, 3, t->name);
    sqlite3_bind_int64(s, 4, ch.id);
    bind_text(s, 5, t->owner_team);
    sqlite3_bind_int(s, 6, t->moment_of_truth != 0);
    sqlite3_bind_int(s, 7, t->physical != 0);
    if ((rc = step_id(st, s, &t->id, "saving touchpoint", err)) < 0)
        return rc;
    /* The given aliases replace the stored ones; a repeat is kept once. */
    int dummy;
    if (!(s = prep(st, S_ALIAS_CLEAR, err)))
        return ERR_DB;
    sqlite3_bind_int64(s, 1, t->id);
    if ((rc = step_insert(st, s, &dummy, "saving touchpoint aliases", err)) < 0)
        return rc;
    for (int i = 0; i < t->n_aliases; i++) {
        if (!t->aliases[i])
            return err_set(err, ERR_INVALID, "touchpoint %s: alias %d is NULL",
                           t->key, i + 1);
        if (!(s = prep(st, S_ALIAS_INSERT, err)))
            return ERR_DB;
        sqlite3_bind_int64(s, 1, t->id);
        bind_text(s, 2, t->aliases[i]);
        sqlite3_bind_int(s, 3, i);
        if ((rc = step_insert(st, s, &dummy, "saving touchpoint aliases",
                              err)) < 0)
            return rc;
    }
    return 0;
}

static int sq_put_touchpoint(void *impl, struct touchpoint *t, struct err *err)
{
    struct sqlite_store *st = impl;
    int rc;
    if ((rc = op_begin(st, err)) < 0)
        return rc;
    return op_end(st, put_touchpoint(st, t, err), err);
}

static int sq_put_survey(void *impl, struct survey *sv, struct err *err)
{
    struct sqlite_store *st = impl;
    sqlite3_stmt *s = prep(st, S_SURVEY_UPSERT, err);
    if (!s)
        return ERR_DB;
    bind_text(s, 1, sv->key);
    bind_text(s, 2, sv->name);
    bind_id(s, 3, sv->touchpoint_id);
    return step_id(st, s, &sv->id, "saving survey", err);
}

static int sq_put_question(void *impl, struct question *q, struct err *err)
{
    struct sqlite_store *st = impl;
    sqlite3_stmt *s = prep(st, S_QUESTION_UPSERT, err);
    if (!s)
        return ERR_DB;
    sqlite3_bind_int64(s, 1, q->survey_id);
    bind_text(s, 2, q->key);
    bind_text(s, 3, q->kind);
    bind_text(s, 4, q->prompt_sv);
    bind_text(s, 5, q->prompt_en);
    sqlite3_bind_int(s, 6, q->position);
    return step_id(st, s, &q->id, "saving question", err);
}

/* Runs a read-only query and hands each row to fn. */
static int each_row(struct sqlite_store *st, const char *sql,
                    int (*fn)(sqlite3_stmt *s, void *a, void *b), void *a,
                    void *b, struct err *err)
{
    sqlite3_stmt *s = NULL;
    int rc = 0, step;
    if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK)
        return db_error(st, err, "query");
    while ((step = sqlite3_step(s)) == SQLITE_ROW)
        if ((rc = fn(s, a, b)) != 0)
            break;
    if (rc == 0 && step != SQLITE_DONE)
        rc = db_error(st, err, "query");
    sqlite3_finalize(s);
    return rc;
}

static void read_journey_stage(sqlite3_stmt *s, struct journey *j,
                               struct stage *g)
{
    j->id = sqlite3_column_int64(s, 0);
    j->key = col_text(s, 1);
    j->name = col_text(s, 2);
    if (lifecycle_parse(&j->lifecycle, col_text(s, 3)) < 0)
        j->lifecycle = LIFECYCLE_USE;
    g->id = sqlite3_column_int64(s, 4);
    g->journey_id = j->id;
    g->key = col_text(s, 5);
    g->name = col_text(s, 6);
    g->position = sqlite3_column_int(s, 7);
}

/* Touchpoints are listed with their aliases, read per touchpoint (there
 * are few) and copied: the callback may use the store. */
struct touchpoint_scan {
    store_touchpoint_cb cb;
    void *ctx;
    struct sqlite_store *st;
    struct err *err;
    char **aliases;
    size_t cap;
};

static int touchpoint_row(sqlite3_stmt *s, void *scan_, void *unused)
{
    struct touchpoint_scan *sc = scan_;
    struct journey j;
    struct stage g;
    struct touchpoint t;
    sqlite3_stmt *a;
    int n = 0, rc = 0, step;
    (void)unused;
    read_journey_stage(s, &j, &g);
    t.id = sqlite3_column_int64(s, 8);
    t.stage_id = g.id;
    t.key = col_text(s, 9);
    t.name = col_text(s, 10);
    t.channel = col_text(s, 11);
    t.owner_team = col_text(s, 12);
    t.moment_of_truth = sqlite3_column_int(s, 13);
    t.physical = sqlite3_column_int(s, 14);
    if (!(a = prep(sc->st, S_ALIASES_OF, sc->err)))
        return ERR_DB;
    sqlite3_bind_int64(a, 1, t.id);
    while ((step = sqlite3_step(a)) == SQLITE_ROW) {
        sc->aliases =
            xgrow(sc->aliases, &sc->cap, (size_t)n + 1, sizeof *sc->aliases);
        sc->aliases[n++] = xstrdup(col_text(a, 0));
    }
    if (step != SQLITE_DONE)
        rc = db_error(sc->st, sc->err, "reading touchpoint aliases");
    sqlite3_reset(a);
    sqlite3_clear_bindings(a);
    t.aliases = (const char *const *)sc->aliases;
    t.n_aliases = n;
    if (rc == 0)
        rc = sc->cb(sc->ctx, &j, &g, &t);
    for (int i = 0; i < n; i++)
        free(sc->aliases[i]);
    return rc;
}

static int sq_list_touchpoints(void *impl, store_touchpoint_cb cb, void *ctx,
                               struct err *err)
{
    struct touchpoint_scan sc = {cb, ctx, impl, err, NULL, 0};
    int rc = each_row(impl,
                      "SELECT j.id,j.key,j.name,j.lifecycle,g.id,g.key,g.name,"
                      "g.position,t.id,t.key,t.name,c.key,t.owner_team,"
                      "t.moment_of_truth,t.physical FROM touchpoints t "
                      "JOIN stages g ON g.id=t.stage_id "
                      "JOIN journeys j ON j.id=g.journey_id "
                      "JOIN channels c ON c.id=t.channel_id "
                      "ORDER BY j.id,g.position,t.id",
                      touchpoint_row, &sc, NULL, err);
    free(sc.aliases);
    return rc;
}

static int stage_row(sqlite3_stmt *s, void *cb, void *ctx)
{
    struct journey j;
    struct stage g;
    read_journey_stage(s, &j, &g);
    return (*(store_stage_cb *)cb)(ctx, &j, &g);
}

static int sq_list_stages(void *impl, store_stage_cb cb, void *ctx,
                          struct err *err)
{
    return each_row(impl,
                    "SELECT j.id,j.key,j.name,j.lifecycle,g.id,g.key,g.name,"
                    "g.position FROM stages g "
                    "JOIN journeys j ON j.id=g.journey_id "
                    "ORDER BY j.id,g.position,g.id",
                    stage_row, &cb, ctx, err);
}

static int channel_row(sqlite3_stmt *s, void *cb, void *ctx)
{
    struct channel c = {sqlite3_column_int64(s, 0), col_text(s, 1)};
    return (*(store_channel_cb *)cb)(ctx, &c);
}

static int sq_list_channels(void *impl, store_channel_cb cb, void *ctx,
                            struct err *err)
{
    return each_row(impl, "SELECT id,key FROM channels ORDER BY id",
                    channel_row, &cb, ctx, err);
}

/* Adds a segment history entry (or replaces the one at the same since). */
static int put_segment(struct sqlite_store *st, int64_t customer_id,
                       int64_t since, const char *segment, struct err *err)
{
    sqlite3_stmt *s = prep(st, S_SEGMENT_PUT, err);
    int dummy;
    if (!s)
        return ERR_DB;
    sqlite3_bind_int64(s, 1, customer_id);
    sqlite3_bind_int64(s, 2, since);
    bind_text(s, 3, segment);
    return step_insert(st, s, &dummy, "saving segment history", err);
}

/* Insert-or-ignore by ext_id; a new customer's segment is its first
 * history entry. */
static int put_customer(struct sqlite_store *st, struct customer *c,
                        int *inserted, struct err *err)
{
    sqlite3_stmt *s = prep(st, S_CUSTOMER_INSERT, err);
    int changed = 0, rc;
    if (!s)
        return ERR_DB;
    bind_text(s, 1, c->ext_id);
    bind_text(s, 2, c->segment);
    bind_text(s, 3, c->attrs);
    if ((rc = step_insert(st, s, &changed, "saving customer", err)) < 0)
        return rc;
    *inserted = changed;
    if (changed) {
        c->id = sqlite3_last_insert_rowid(st->db);
        if (c->segment)
            return put_segment(st, c->id, SEGMENT_SINCE_START, c->segment, err);
        return 0;
    }
    if (!(s = prep(st, S_CUSTOMER_FIND, err)))
        return ERR_DB;
    bind_text(s, 1, c->ext_id);
    return step_id(st, s, &c->id, "finding customer", err);
}

static int sq_put_customer(void *impl, struct customer *c, int *inserted,
                           struct err *err)
{
    struct sqlite_store *st = impl;
    int dummy, rc;
    if ((rc = op_begin(st, err)) < 0)
        return rc;
    return op_end(st, put_customer(st, c, inserted ? inserted : &dummy, err),
                  err);
}

/* Reads the customer's current segment and attributes: 1 found (copies
 * in *segment and *attrs, the caller frees), 0 not stored. */
static int get_customer(struct sqlite_store *st, struct customer *c,
                        char **segment, char **attrs, struct err *err)
{
    sqlite3_stmt *s = prep(st, S_CUSTOMER_GET, err);
    int rc = 0, step;
    *segment = *attrs = NULL;
    if (!s)
        return ERR_DB;
    bind_text(s, 1, c->ext_id);
    if ((step = sqlite3_step(s)) == SQLITE_ROW) {
        c->id = sqlite3_column_int64(s, 0);
        *segment = col_text(s, 1) ? xstrdup(col_text(s, 1)) : NULL;
        *attrs = xstrdup(col_text(s, 2) ? col_text(s, 2) : "{}");
        rc = 1;
    } else if (step != SQLITE_DONE) {
        rc = db_error(st, err, "finding customer");
    }
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
    return rc;
}

/* Merges the object patch into the object stored: *changed is 1 when
 * that changes anything, and *merged (caller frees) is the result. */
static int merge_attrs(struct sqlite_store *st, const struct customer *c,
                       const char *stored, const char *patch, int *changed,
                       char **merged, struct err *err)
{
    sqlite3_stmt *s = prep(st, S_ATTRS_MERGE, err);
    int rc = 0;
    *changed = 0;
    *merged = NULL;
    if (!s)
        return ERR_DB;
    bind_text(s, 1, stored);
    bind_text(s, 2, patch);
    if (sqlite3_step(s) != SQLITE_ROW)
        rc = db_error(st, err, "merging customer attributes");
    else if (!sqlite3_column_int(s, 0))
        rc = err_set(err, ERR_INVALID,
                     "customer \"%s\": attributes must be a JSON object",
                     c->ext_id);
    else if ((*changed = sqlite3_column_int(s, 1)))
        *merged = xstrdup(col_text(s, 2));
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
    return rc;
}

/* The since of the customer's latest segment entry: 1 found, 0 none. */
static int latest_segment(struct sqlite_store *st, int64_t customer_id,
                          int64_t *since, struct err *err)
{
    sqlite3_stmt *s = prep(st, S_SEGMENT_LATEST, err);
    int rc = 0, step;
    if (!s)
        return ERR_DB;
    sqlite3_bind_int64(s, 1, customer_id);
    if ((step = sqlite3_step(s)) == SQLITE_ROW) {
        *since = sqlite3_column_int64(s, 0);
        rc = 1;
    } else if (step != SQLITE_DONE) {
        rc = db_error(st, err, "reading segment history");
    }
    sqlite3_reset(s);
    return rc;
}

static void format_since(char *buf, size_t n, int64_t since)
{
    if (since == SEGMENT_SINCE_START)
        snprintf(buf, n, "the start");
    else
        tstamp_format(buf, n, since, 0);
}

static int update_customer(struct sqlite_store *st, struct customer *c,
                           int64_t since, int *changed, struct err *err)
{
    char *segment = NULL, *attrs = NULL, *merged = NULL;
    int rc, found, segment_changed, attrs_changed = 0, inserted = 0, dummy;
    int64_t latest = 0;
    sqlite3_stmt *s;

    *changed = 0;
    if ((found = rc = get_customer(st, c, &segment, &attrs, err)) < 0)
        goto done;
    if (!found) {
        if ((rc = put_customer(st, c, &inserted, err)) == 0)
            *changed = inserted;
        goto done;
    }
    segment_changed =
        c->segment && (!segment || strcmp(segment, c->segment) != 0);
    if (c->attrs && (rc = merge_attrs(st, c, attrs, c->attrs, &attrs_changed,
                                      &merged, err)) < 0)
        goto done;
    if (segment_changed) {
        if ((rc = latest_segment(st, c->id, &latest, err)) < 0)
            goto done;
        if (rc == 1 && since < latest) {
            char a[40], b[40];
            format_since(a, sizeof a, since);
            format_since(b, sizeof b, latest);
            rc = err_set(err, ERR_INVALID,
                         "customer \"%s\": a segment change from %s is "
                         "before its latest recorded one (from %s)",
                         c->ext_id, a, b);
            goto done;
        }
    }
    rc = 0;
    if (!segment_changed && !attrs_changed)
        goto done;
    if (!(s = prep(st, S_CUSTOMER_UPDATE, err))) {
        rc = ERR_DB;
        goto done;
    }
    sqlite3_bind_int64(s, 1, c->id);
    bind_text(s, 2, segment_changed ? c->segment : segment);
    bind_text(s, 3, attrs_changed ? merged : attrs);
    if ((rc = step_insert(st, s, &dummy, "updating customer", err)) < 0 ||
        (segment_changed &&
         (rc = put_segment(st, c->id, since, c->segment, err)) < 0))
        goto done;
    *changed = 2;
done:
    free(segment);
    free(attrs);
    free(merged);
    return rc;
}

static int sq_update_customer(void *impl, struct customer *c, int64_t since,
                              int *changed, struct err *err)
{
    struct sqlite_store *st = impl;
    int rc;
    if ((rc = op_begin(st, err)) < 0)
        return rc;
    rc = op_end(st, update_customer(st, c, since, changed, err), err);
    if (rc < 0)
        *changed = 0;
    return rc;
}

static int sq_put_employee(void *impl, struct employee *e, int *inserted,
                           struct err *err)
{
    struct sqlite_store *st = impl;
    sqlite3_stmt *s = prep(st, S_EMPLOYEE_INSERT, err);
    int changed = 0, rc;
    if (!s)
        return ERR_DB;
    bind_text(s, 1, e->ext_id);
    bind_text(s, 2, e->name);
    bind_text(s, 3, e->team);
    if ((rc = step_insert(st, s, &changed, "saving employee", err)) < 0)
        return rc;
    if (inserted)
        *inserted = changed;
    if (changed) {
        e->id = sqlite3_last_insert_rowid(st->db);
        return 0;
    }
    if (!(s = prep(st, S_EMPLOYEE_FIND, err)))
        return ERR_DB;
    bind_text(s, 1, e->ext_id);
    return step_id(st, s, &e->id, "finding employee", err);
}

static int customer_row(sqlite3_stmt *s, void *cb, void *ctx)
{
    struct customer c = {sqlite3_column_int64(s, 0), col_text(s, 1),
                         col_text(s, 2), col_text(s, 3)};
    return (*(store_customer_cb *)cb)(ctx, &c);
}

static int sq_scan_customers(void *impl, store_customer_cb cb, void *ctx,
                             struct err *err)
{
    return each_row(impl,
                    "SELECT id,ext_id,segment,attrs FROM customers ORDER BY id",
                    customer_row, &cb, ctx, err);
}

static int segment_row(sqlite3_stmt *s, void *cb, void *ctx)
{
    return (*(store_segment_cb *)cb)(ctx, sqlite3_column_int64(s, 0),
                                     col_text(s, 2),
                                     sqlite3_column_int64(s, 1));
}

static int sq_scan_segments(void *impl, store_segment_cb cb, void *ctx,
                            struct err *err)
{
    return each_row(impl,
                    "SELECT customer_id,since,segment FROM customer_segments "
                    "ORDER BY customer_id,since",
                    segment_row, &cb, ctx, err);
}

static int employee_row(sqlite3_stmt *s, void *cb, void *ctx)
{
    struct employee e = {sqlite3_column_int64(s, 0), col_text(s, 1),
                         col_text(s, 2), col_text(s, 3)};
    return (*(store_employee_cb *)cb)(ctx, &e);
}

static int sq_scan_employees(void *impl, store_employee_cb cb, void *ctx,
                             struct err *err)
{
    return each_row(impl,
                    "SELECT id,ext_id,name,team FROM employees ORDER BY id",
                    employee_row, &cb, ctx, err);
}

/* In a bulk transaction, decides once whether this is the first load into
 * an empty table; if so the ext_id index is dropped until commit (DDL is
 * transactional, so a rollback brings it back). */
static int check_initial_load(struct sqlite_store *st, struct err *err)
{
    sqlite3_stmt *q = NULL;
    int empty = 0;
    if (!st->bulk) {
        st->initial_load = 0;
        return 0;
    }
    if (sqlite3_prepare_v2(st->db, "SELECT NOT EXISTS(SELECT 1 FROM responses)",
                           -1, &q, NULL) != SQLITE_OK ||
        sqlite3_step(q) != SQLITE_ROW) {
        sqlite3_finalize(q);
        return db_error(st, err, "checking responses");
    }
    empty = sqlite3_column_int(q, 0);
    sqlite3_finalize(q);
    st->initial_load = 0;
    if (empty) {
        int rc = exec(st, "DROP INDEX responses_ext", err);
        if (rc < 0)
            return rc;
        st->initial_load = 1;
    }
    return 0;
}

/* A comment's analysis and its theme mentions, beside its answer. */
static int put_analysis(struct sqlite_store *st, int64_t response_id,
                        const char *question, const struct comment_analysis *a,
                        struct err *err)
{
    sqlite3_stmt *s = prep(st, S_ANALYSIS_INSERT, err);
    int dummy, rc;
    if (!s)
        return ERR_DB;
    sqlite3_bind_int64(s, 1, response_id);
    bind_text(s, 2, question);
    bind_text(s, 3, a->language ? a->language : "other");
    sqlite3_bind_double(s, 4, a->lang_conf);
    /* unscored: no sentiment at all (the schema wants both or neither) */
    if (isnan(a->score))
        sqlite3_bind_null(s, 5);
    else
        sqlite3_bind_double(s, 5, a->score);
    bind_text(s, 6, a->label);
    sqlite3_bind_int64(s, 7, (sqlite3_int64)a->redactions);
    sqlite3_bind_int(s, 8, a->n_redactions);
    bind_text(s, 9, a->explanation);
    if ((rc = step_insert(st, s, &dummy, "saving comment analysis", err)) < 0)
        return rc;
    for (int i = 0; i < a->n_mentions; i++) {
        if (!(s = prep(st, S_MENTION_INSERT, err)))
            return ERR_DB;
        sqlite3_bind_int64(s, 1, response_id);
        bind_text(s, 2, question);
        bind_text(s, 3, a->mentions[i].theme);
        sqlite3_bind_double(s, 4, a->mentions[i].sentiment);
        if ((rc = step_insert(st, s, &dummy, "saving theme mention", err)) < 0)
            return rc;
    }
    return 0;
}

static int sq_put_response(void *impl, struct response *r, int *inserted,
                           struct err *err)
{
    struct sqlite_store *st = impl;
    sqlite3_stmt *s;
    int changed = 0, rc;
    if (st->initial_load < 0 && (rc = check_initial_load(st, err)) < 0)
        return rc;
    s = prep(st, st->initial_load == 1 ? S_RESPONSE_APPEND : S_RESPONSE_INSERT,
             err);
    if (!s)
        return ERR_DB;
    bind_text(s, 1, r->ext_id);
    bind_id(s, 2, r->customer_id);
    bind_id(s, 3, r->employee_id);
    sqlite3_bind_int(s, 4, (int)r->kind);
    sqlite3_bind_int64(s, 5, r->touchpoint_id);
    sqlite3_bind_int64(s, 6, r->channel_id);
    bind_text(s, 7, r->language);
    sqlite3_bind_int64(s, 8, r->ts);
    sqlite3_bind_int(s, 9, r->tz_min);
    bind_score(s, 10, r->nps);
    bind_score(s, 11, r->csat);
    bind_score(s, 12, r->ces);
    bind_text(s, 13, r->attrs);
    if ((rc = step_insert(st, s, &changed, "saving response", err)) < 0)
        return rc;
    if (inserted)
        *inserted = changed;
    if (!changed)
        return 0; /* already stored: its answers are left as they were */
    r->id = sqlite3_last_insert_rowid(st->db);
    for (int i = 0; i < r->n_answers; i++) {
        const struct answer *a = &r->answers[i];
        int dummy;
        if (!(s = prep(st, S_ANSWER_INSERT, err)))
            return ERR_DB;
        sqlite3_bind_int64(s, 1, r->id);
        bind_text(s, 2, a->question);
        bind_text(s, 3, answer_kind_name(a->kind));
        sqlite3_bind_double(s, 4, a->v1);
        sqlite3_bind_double(s, 5, a->v2);
        sqlite3_bind_double(s, 6, a->v3);
        bind_text(s, 7, a->text);
        bind_text(s, 8, a->title);
        if ((rc = step_insert(st, s, &dummy, "saving answer", err)) < 0 ||
            (a->analysis &&
             (rc = put_analysis(st, r->id, a->question, a->analysis, err)) < 0))
            return rc;
    }
    return 0;
}

static int sq_put_event(void *impl, struct event *e, int *inserted,
                        struct err *err)
{
    struct sqlite_store *st = impl;
    sqlite3_stmt *s = prep(st, S_EVENT_INSERT, err);
    int changed = 0, rc;
    if (!s)
        return ERR_DB;
    bind_text(s, 1, e->ext_id);
    sqlite3_bind_int64(s, 2, e->customer_id);
    bind_text(s, 3, e->activity);
    bind_id(s, 4, e->touchpoint_id);
    bind_id(s, 5, e->channel_id);
    sqlite3_bind_int64(s, 6, e->ts);
    sqlite3_bind_int(s, 7, e->tz_min);
    bind_text(s, 8, e->attrs);
    if ((rc = step_insert(st, s, &changed, "saving event", err)) < 0)
        return rc;
    if (inserted)
        *inserted = changed;
    if (changed)
        e->id = sqlite3_last_insert_rowid(st->db);
    return 0;
}

static int col_score(sqlite3_stmt *s, int i)
{
    return sqlite3_column_type(s, i) == SQLITE_NULL ? -1
                                                    : sqlite3_column_int(s, i);
}

/* A nullable REAL: NaN when NULL (an unscored comment's sentiment). */
static double col_real(sqlite3_stmt *s, int i)
{
    return sqlite3_column_type(s, i) == SQLITE_NULL
               ? NAN
               : sqlite3_column_double(s, i);
}

static int fact_row(sqlite3_stmt *s, void *cb, void *ctx)
{
    struct fact f;
    f.response_id = sqlite3_column_int64(s, 0);
    f.customer_id = sqlite3_column_int64(s, 1);
    f.touchpoint_id = sqlite3_column_int64(s, 2);
    f.channel_id = sqlite3_column_int64(s, 3);
    f.ts = sqlite3_column_int64(s, 4);
    f.tz_min = sqlite3_column_int(s, 5);
    f.kind = sqlite3_column_int(s, 6);
    f.language = col_text(s, 7);
    f.nps = (signed char)col_score(s, 8);
    f.csat = (signed char)col_score(s, 9);
    f.ces = (signed char)col_score(s, 10);
    return (*(store_fact_cb *)cb)(ctx, &f);
}

static int sq_scan_facts(void *impl, store_fact_cb cb, void *ctx,
                         struct err *err)
{
    return each_row(impl,
                    "SELECT id,customer_id,touchpoint_id,channel_id,ts,tz_min,"
                    "kind,language,nps,csat,ces FROM responses ORDER BY id",
                    fact_row, &cb, ctx, err);
}

/* Responses and answers are both read in response id order and merged,
 * so export is two sequential scans instead of one lookup per row. */
struct response_scan {
    store_response_cb cb;
    void *ctx;
    struct sqlite_store *st;
    sqlite3_stmt *ans; /* positioned on the next unread answer, or done */
    int ans_state;     /* SQLITE_ROW or SQLITE_DONE / error */
    struct answer *buf;
    size_t cap;
};

static int response_row(sqlite3_stmt *s, void *scan_, void *unused)
{
    struct response_scan *sc = scan_;
    struct response r;
    int n = 0;
    (void)unused;
    memset(&r, 0, sizeof r);
    r.id = sqlite3_column_int64(s, 0);
    r.ext_id = col_text(s, 1);
    r.customer_id = sqlite3_column_int64(s, 2);
    r.employee_id = sqlite3_column_int64(s, 3);
    r.kind = sqlite3_column_int(s, 4) ? RESPONDENT_EMPLOYEE
                                      : RESPONDENT_CUSTOMER;
    r.touchpoint_id = sqlite3_column_int64(s, 5);
    r.channel_id = sqlite3_column_int64(s, 6);
    r.language = col_text(s, 7);
    r.ts = sqlite3_column_int64(s, 8);
    r.tz_min = sqlite3_column_int(s, 9);
    r.nps = col_score(s, 10);
    r.csat = col_score(s, 11);
    r.ces = col_score(s, 12);
    r.customer = col_text(s, 13);
    r.employee = col_text(s, 14);
    r.touchpoint = col_text(s, 15);
    r.channel = col_text(s, 16);
    r.attrs = col_text(s, 17);
    while (sc->ans_state == SQLITE_ROW &&
           sqlite3_column_int64(sc->ans, 0) <= r.id) {
        if (sqlite3_column_int64(sc->ans, 0) == r.id) {
            sc->buf = xgrow(sc->buf, &sc->cap, (size_t)n + 1, sizeof *sc->buf);
            struct answer *a = &sc->buf[n++];
            sqlite3_stmt *q = sc->ans;
            /* copies: the answer cursor moves on before the callback */
            a->question = xstrdup(col_text(q, 1));
            if (answer_kind_parse(&a->kind, col_text(q, 2)) < 0)
                a->kind = ANSWER_TEXT;
            a->v1 = sqlite3_column_double(q, 3);
            a->v2 = sqlite3_column_double(q, 4);
            a->v3 = sqlite3_column_double(q, 5);
            a->text = col_text(q, 6) ? xstrdup(col_text(q, 6)) : NULL;
            a->title = col_text(q, 7) ? xstrdup(col_text(q, 7)) : NULL;
        }
        sc->ans_state = sqlite3_step(sc->ans);
    }
    r.answers = sc->buf;
    r.n_answers = n;
    int rc = sc->cb(sc->ctx, &r);
    for (int i = 0; i < n; i++) {
        free((char *)sc->buf[i].question);
        free((char *)sc->buf[i].text);
        free((char *)sc->buf[i].title);
    }
    return rc;
}

static int sq_scan_responses(void *impl, store_response_cb cb, void *ctx,
                             struct err *err)
{
    struct sqlite_store *st = impl;
    struct response_scan sc = {cb, ctx, st, NULL, 0, NULL, 0};
    int rc;
    if (sqlite3_prepare_v2(st->db,
                           "SELECT response_id,question,kind,v1,v2,v3,text,"
                           "title FROM answers ORDER BY response_id,question",
                           -1, &sc.ans, NULL) != SQLITE_OK)
        return db_error(st, err, "query");
    sc.ans_state = sqlite3_step(sc.ans);
    rc = each_row(st,
                  "SELECT r.id,r.ext_id,r.customer_id,r.employee_id,r.kind,"
                  "r.touchpoint_id,r.channel_id,r.language,r.ts,r.tz_min,"
                  "r.nps,r.csat,r.ces,c.ext_id,e.ext_id,t.key,ch.key,r.attrs "
                  "FROM responses r "
                  "LEFT JOIN customers c ON c.id=r.customer_id "
                  "LEFT JOIN employees e ON e.id=r.employee_id "
                  "JOIN touchpoints t ON t.id=r.touchpoint_id "
                  "JOIN channels ch ON ch.id=r.channel_id ORDER BY r.id",
                  response_row, &sc, NULL, err);
    if (rc == 0 && sc.ans_state != SQLITE_ROW && sc.ans_state != SQLITE_DONE)
        rc = db_error(st, err, "reading answers");
    sqlite3_finalize(sc.ans);
    free(sc.buf);
    return rc;
}

static int attrs_row(sqlite3_stmt *s, void *cb, void *ctx)
{
    return (*(store_attrs_cb *)cb)(ctx, sqlite3_column_int64(s, 0),
                                   col_text(s, 1));
}

static int sq_scan_response_attrs(void *impl, store_attrs_cb cb, void *ctx,
                                  struct err *err)
{
    return each_row(impl,
                    "SELECT id,attrs FROM responses WHERE attrs IS NOT NULL "
                    "ORDER BY id",
                    attrs_row, &cb, ctx, err);
}

static int answer_row(sqlite3_stmt *s, void *cb, void *ctx)
{
    struct answer a;
    memset(&a, 0, sizeof a);
    a.question = col_text(s, 1);
    if (answer_kind_parse(&a.kind, col_text(s, 2)) < 0)
        a.kind = ANSWER_TEXT;
    a.v1 = sqlite3_column_double(s, 3);
    a.v2 = sqlite3_column_double(s, 4);
    a.v3 = sqlite3_column_double(s, 5);
    a.text = col_text(s, 6);
    a.title = col_text(s, 7);
    return (*(store_answer_cb *)cb)(ctx, sqlite3_column_int64(s, 0), &a);
}

static int sq_scan_answers(void *impl, unsigned kinds, store_answer_cb cb,
                           void *ctx, struct err *err)
{
    char sql[400];
    size_t n = (size_t)snprintf(sql, sizeof sql,
                                "SELECT response_id,question,kind,v1,v2,v3,"
                                "text,title FROM answers WHERE kind IN (");
    int any = 0;
    /* kind names are constants, so they can be written into the SQL */
    for (int k = ANSWER_RATING; k <= ANSWER_STORY; k++) {
        if (!(kinds & (1u << k)))
            continue;
        n += (size_t)snprintf(sql + n, sizeof sql - n, "%s'%s'", any ? "," : "",
                              answer_kind_name((enum answer_kind)k));
        any = 1;
    }
    if (!any)
        return 0;
    snprintf(sql + n, sizeof sql - n, ") ORDER BY response_id,question");
    return each_row(impl, sql, answer_row, &cb, ctx, err);
}

static int event_row(sqlite3_stmt *s, void *cb, void *ctx)
{
    struct event e;
    e.id = sqlite3_column_int64(s, 0);
    e.ext_id = col_text(s, 1);
    e.customer_id = sqlite3_column_int64(s, 2);
    e.activity = col_text(s, 3);
    e.touchpoint_id = sqlite3_column_int64(s, 4);
    e.channel_id = sqlite3_column_int64(s, 5);
    e.ts = sqlite3_column_int64(s, 6);
    e.tz_min = sqlite3_column_int(s, 7);
    e.attrs = col_text(s, 8);
    return (*(store_event_cb *)cb)(ctx, &e);
}

static int sq_scan_events(void *impl, store_event_cb cb, void *ctx,
                          struct err *err)
{
    return each_row(impl,
                    "SELECT id,ext_id,customer_id,activity,touchpoint_id,"
                    "channel_id,ts,tz_min,attrs FROM events "
                    "ORDER BY customer_id,ts,id",
                    event_row, &cb, ctx, err);
}

static int count_row(sqlite3_stmt *s, void *out, void *unused)
{
    int64_t *v = out;
    (void)unused;
    for (int i = 0; i < 9; i++)
        v[i] = sqlite3_column_int64(s, i);
    return 0;
}

static int sq_count(void *impl, struct store_counts *out, struct err *err)
{
    int64_t v[9] = {0};
    int rc = each_row(impl,
                      "SELECT (SELECT count(*) FROM journeys),"
                      "(SELECT count(*) FROM stages),"
                      "(SELECT count(*) FROM touchpoints),"
                      "(SELECT count(*) FROM channels),"
                      "(SELECT count(*) FROM customers),"
                      "(SELECT count(*) FROM employees),"
                      "(SELECT count(*) FROM responses),"
                      "(SELECT count(*) FROM answers),"
                      "(SELECT count(*) FROM events)",
                      count_row, v, NULL, err);
    out->journeys = v[0];
    out->stages = v[1];
    out->touchpoints = v[2];
    out->channels = v[3];
    out->customers = v[4];
    out->employees = v[5];
    out->responses = v[6];
    out->answers = v[7];
    out->events = v[8];
    return rc;
}

/* ---- text analysis ---- */

/* Analyses and mentions are both read in (response, question) order and
 * merged, like responses and answers. */
struct analysis_scan {
    store_analysis_cb cb;
    void *ctx;
    sqlite3_stmt *men; /* positioned on the next unread mention */
    int men_state;
    struct theme_mention *buf;
    size_t cap;
};

/* Compares mention cursor (response id, question) with (id, q). */
static int mention_cmp(sqlite3_stmt *m, int64_t id, const char *q)
{
    int64_t mid = sqlite3_column_int64(m, 0);
    if (mid != id)
        return mid < id ? -1 : 1;
    const char *mq = col_text(m, 1);
    return strcmp(mq ? mq : "", q ? q : "");
}

static int analysis_row(sqlite3_stmt *s, void *scan_, void *unused)
{
    struct analysis_scan *sc = scan_;
    struct comment_analysis a;
    int64_t id = sqlite3_column_int64(s, 0);
    const char *q = col_text(s, 1);
    int n = 0, rc;
    (void)unused;
    memset(&a, 0, sizeof a);
    a.language = col_text(s, 2);
    a.lang_conf = sqlite3_column_double(s, 3);
    a.score = col_real(s, 4);
    a.label = col_text(s, 5);
    a.redactions = (unsigned)sqlite3_column_int64(s, 6);
    a.n_redactions = sqlite3_column_int(s, 7);
    while (sc->men_state == SQLITE_ROW &&
           (rc = mention_cmp(sc->men, id, q)) <= 0) {
        if (rc == 0) {
            sc->buf = xgrow(sc->buf, &sc->cap, (size_t)n + 1, sizeof *sc->buf);
            /* copied: the cursor moves on before the callback */
            sc->buf[n].theme = xstrdup(col_text(sc->men, 2));
            sc->buf[n].sentiment = sqlite3_column_double(sc->men, 3);
            n++;
        }
        sc->men_state = sqlite3_step(sc->men);
    }
    a.mentions = sc->buf;
    a.n_mentions = n;
    rc = sc->cb(sc->ctx, id, q, &a);
    for (int i = 0; i < n; i++)
        free((char *)sc->buf[i].theme);
    return rc;
}

static int sq_scan_analyses(void *impl, store_analysis_cb cb, void *ctx,
                            struct err *err)
{
    struct sqlite_store *st = impl;
    struct analysis_scan sc = {cb, ctx, NULL, 0, NULL, 0};
    int rc;
    if (sqlite3_prepare_v2(st->db,
                           "SELECT response_id,question,theme,sentiment FROM "
                           "theme_mentions ORDER BY response_id,question",
                           -1, &sc.men, NULL) != SQLITE_OK)
        return db_error(st, err, "query");
    sc.men_state = sqlite3_step(sc.men);
    rc = each_row(st,
                  "SELECT response_id,question,language,lang_conf,score,"
                  "label,redactions,n_redactions FROM comment_analysis "
                  "ORDER BY response_id,question",
                  analysis_row, &sc, NULL, err);
    if (rc == 0 && sc.men_state != SQLITE_ROW && sc.men_state != SQLITE_DONE)
        rc = db_error(st, err, "reading theme mentions");
    sqlite3_finalize(sc.men);
    free(sc.buf);
    return rc;
}

static int sq_scan_comments(void *impl, const struct comment_filter *f,
                            store_comment_cb cb, void *ctx, struct err *err)
{
    struct sqlite_store *st = impl;
    sqlite3_stmt *s = NULL, *m = NULL;
    struct theme_mention *buf = NULL;
    size_t cap = 0;
    int rc = 0, step;
    char sql[1400];
    snprintf(sql, sizeof sql,
             "SELECT r.id,r.ext_id,r.customer_id,r.touchpoint_id,"
             "r.channel_id,r.language,r.ts,r.tz_min,r.nps,r.csat,r.ces,"
             "t.key,ch.key,a.question,a.kind,a.text,a.title,c.language,"
             "c.lang_conf,c.score,c.label,c.redactions,c.n_redactions,"
             "c.explanation FROM comment_analysis c "
             "JOIN answers a ON a.response_id=c.response_id "
             "AND a.question=c.question "
             "JOIN responses r ON r.id=c.response_id "
             "JOIN touchpoints t ON t.id=r.touchpoint_id "
             "JOIN channels ch ON ch.id=r.channel_id "
             "WHERE (?1=0 OR r.touchpoint_id=?1) "
             "AND (?2 IS NULL OR EXISTS (SELECT 1 FROM theme_mentions m "
             "WHERE m.response_id=c.response_id AND m.question=c.question "
             "AND m.theme=?2)) "
             "AND (?3 IS NULL OR c.label=?3) "
             "AND (?4=0 OR NOT EXISTS (SELECT 1 FROM theme_mentions m "
             "WHERE m.response_id=c.response_id AND m.question=c.question)) "
             "AND r.ts+60*r.tz_min>=?5 AND r.ts+60*r.tz_min<?6 "
             "ORDER BY c.response_id %s,c.question LIMIT ?7",
             f->newest_first ? "DESC" : "ASC");
    if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK ||
        !(m = prep(st, S_MENTIONS_OF, err))) {
        sqlite3_finalize(s);
        return db_error(st, err, "query");
    }
    sqlite3_bind_int64(s, 1, f->touchpoint_id > 0 ? f->touchpoint_id : 0);
    bind_text(s, 2, f->theme);
    bind_text(s, 3, f->label);
    sqlite3_bind_int(s, 4, f->unthemed != 0);
    /* local seconds of the first day and past the last; open ends and
     * days beyond any timestamp are clamped */
    const int64_t far = INT64_C(1) << 50;
    int64_t from = f->from_day < -far / 86400 ? -far : f->from_day * 86400;
    int64_t to = f->to_day > far / 86400 ? far : (f->to_day + 1) * 86400;
    sqlite3_bind_int64(s, 5, from);
    sqlite3_bind_int64(s, 6, to);
    sqlite3_bind_int64(s, 7, f->limit > 0 ? f->limit : -1);
    while ((step = sqlite3_step(s)) == SQLITE_ROW) {
        struct response r;
        struct answer a;
        struct comment_analysis an;
        size_t n = 0;
        memset(&r, 0, sizeof r);
        memset(&a, 0, sizeof a);
        memset(&an, 0, sizeof an);
        r.id = sqlite3_column_int64(s, 0);
        r.ext_id = col_text(s, 1);
        r.customer_id = sqlite3_column_int64(s, 2);
        r.touchpoint_id = sqlite3_column_int64(s, 3);
        r.channel_id = sqlite3_column_int64(s, 4);
        r.language = col_text(s, 5);
        r.ts = sqlite3_column_int64(s, 6);
        r.tz_min = sqlite3_column_int(s, 7);
        r.nps = col_score(s, 8);
        r.csat = col_score(s, 9);
        r.ces = col_score(s, 10);
        r.touchpoint = col_text(s, 11);
        r.channel = col_text(s, 12);
        a.question = col_text(s, 13);
        if (answer_kind_parse(&a.kind, col_text(s, 14)) < 0)
            a.kind = ANSWER_TEXT;
        a.text = col_text(s, 15);
        a.title = col_text(s, 16);
        an.language = col_text(s, 17);
        an.lang_conf = sqlite3_column_double(s, 18);
        an.score = col_real(s, 19);
        an.label = col_text(s, 20);
        an.redactions = (unsigned)sqlite3_column_int64(s, 21);
        an.n_redactions = sqlite3_column_int(s, 22);
        an.explanation = col_text(s, 23);
        if (!f->unthemed) {
            int ms;
            sqlite3_bind_int64(m, 1, r.id);
            bind_text(m, 2, a.question);
            while ((ms = sqlite3_step(m)) == SQLITE_ROW) {
                buf = xgrow(buf, &cap, n + 1, sizeof *buf);
                buf[n].theme = xstrdup(col_text(m, 0));
                buf[n].sentiment = sqlite3_column_double(m, 1);
                n++;
            }
            sqlite3_reset(m);
            sqlite3_clear_bindings(m);
            if (ms != SQLITE_DONE)
                rc = db_error(st, err, "reading theme mentions");
        }
        an.mentions = buf;
        an.n_mentions = (int)n;
        a.analysis = &an;
        if (rc == 0)
            rc = cb(ctx, &r, &a);
        for (size_t i = 0; i < n; i++)
            free((char *)buf[i].theme);
        if (rc != 0)
            break;
    }
    if (rc == 0 && step != SQLITE_DONE)
        rc = db_error(st, err, "query");
    sqlite3_finalize(s);
    free(buf);
    return rc;
}

static int sq_put_taxonomy(void *impl, const char *name, const char *source,
                           size_t n, int replaces, struct err *err)
{
    struct sqlite_store *st = impl;
    sqlite3_stmt *s = NULL;
    int rc = 0;
    const char *sql =
        source ? "INSERT INTO taxonomy(id,name,source,replaces,loaded_at) "
                 "VALUES(1,?1,?2,?3,CAST(strftime('%s','now') AS INTEGER)) "
                 "ON CONFLICT(id) DO UPDATE "
                 "SET name=excluded.name,source=excluded.source,"
                 "replaces=excluded.replaces,loaded_at=excluded.loaded_at"
               : "DELETE FROM taxonomy";
    if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK)
        return db_error(st, err, "saving the taxonomy");
    if (source) {
        bind_text(s, 1, name ? name : "");
        sqlite3_bind_text(s, 2, source, (int)n, SQLITE_STATIC);
        sqlite3_bind_int(s, 3, replaces != 0);
    }
    if (sqlite3_step(s) != SQLITE_DONE)
        rc = db_error(st, err, "saving the taxonomy");
    sqlite3_finalize(s);
    return rc;
}

static int sq_get_taxonomy(void *impl, char **name, char **source, size_t *n,
                           int *replaces, struct err *err)
{
    struct sqlite_store *st = impl;
    sqlite3_stmt *s = NULL;
    int rc = 0, step;
    if (sqlite3_prepare_v2(st->db,
                           "SELECT name,source,replaces FROM taxonomy "
                           "WHERE id=1",
                           -1, &s, NULL) != SQLITE_OK)
        return db_error(st, err, "reading the taxonomy");
    step = sqlite3_step(s);
    if (step == SQLITE_ROW) {
        const char *src = (const char *)sqlite3_column_blob(s, 1);
        *n = (size_t)sqlite3_column_bytes(s, 1);
        *source = xmalloc(*n + 1);
        if (*n)
            memcpy(*source, src, *n);
        (*source)[*n] = 0;
        *name = xstrdup(col_text(s, 0) ? col_text(s, 0) : "");
        *replaces = sqlite3_column_int(s, 2);
    } else if (step == SQLITE_DONE) {
        rc = err_set(err, ERR_NOTFOUND, "no taxonomy saved");
    } else {
        rc = db_error(st, err, "reading the taxonomy");
    }
    sqlite3_finalize(s);
    return rc;
}

/* ---- projections for the column store ---- */

static const char *entity_table(enum store_entity e)
{
    return e == STORE_CUSTOMERS ? "customers"
           : e == STORE_RESPONSES ? "responses"
                                  : "events";
}

static int attr_row(sqlite3_stmt *s, void *cb, void *ctx)
{
    int is_num = sqlite3_column_type(s, 1) == SQLITE_INTEGER ||
                 sqlite3_column_type(s, 1) == SQLITE_FLOAT;
    /* Text first: reading the number first would convert the column. */
    const char *text = col_text(s, 1);
    double num = is_num ? sqlite3_column_double(s, 1) : NAN;
    return (*(store_attr_cb *)cb)(ctx, sqlite3_column_int64(s, 0),
                                  text ? text : "", num, is_num);
}

static int sq_scan_attr(void *impl, enum store_entity e, const char *name,
                        store_attr_cb cb, void *ctx, struct err *err)
{
    struct sqlite_store *st = impl;
    char sql[320];
    sqlite3_stmt *s = NULL;
    int rc = 0, step;
    /* json_extract gives JSON numbers as SQL numbers and strings as text;
     * objects and arrays (never written by the importer) come as text. */
    snprintf(sql, sizeof sql,
             "SELECT id, json_extract(attrs, ?1) AS v FROM %s "
             "WHERE v IS NOT NULL ORDER BY id",
             entity_table(e));
    if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK)
        return db_error(st, err, "reading attributes");
    char *path = sqlite3_mprintf("$.\"%w\"", name);
    if (!path) {
        sqlite3_finalize(s);
        return err_set(err, ERR_DB, "out of memory");
    }
    sqlite3_bind_text(s, 1, path, -1, sqlite3_free);
    while ((step = sqlite3_step(s)) == SQLITE_ROW)
        if ((rc = attr_row(s, &cb, ctx)) != 0)
            break;
    if (rc == 0 && step != SQLITE_DONE)
        rc = db_error(st, err, "reading attributes");
    sqlite3_finalize(s);
    return rc;
}

static int attr_name_row(sqlite3_stmt *s, void *cb, void *ctx)
{
    return (*(store_attr_name_cb *)cb)(ctx, col_text(s, 0),
                                       sqlite3_column_int64(s, 1));
}

static int sq_list_attr_names(void *impl, enum store_entity e,
                              store_attr_name_cb cb, void *ctx,
                              struct err *err)
{
    char sql[200];
    snprintf(sql, sizeof sql,
             "SELECT j.key, count(*) FROM %s, json_each(%s.attrs) AS j "
             "WHERE %s.attrs IS NOT NULL GROUP BY j.key ORDER BY j.key",
             entity_table(e), entity_table(e), entity_table(e));
    return each_row(impl, sql, attr_name_row, &cb, ctx, err);
}

static int event_fact_row(sqlite3_stmt *s, void *cb, void *ctx)
{
    struct event_fact e;
    e.id = sqlite3_column_int64(s, 0);
    e.customer_id = sqlite3_column_int64(s, 1);
    e.activity = col_text(s, 2);
    e.touchpoint_id = sqlite3_column_int64(s, 3);
    e.channel_id = sqlite3_column_int64(s, 4);
    e.ts = sqlite3_column_int64(s, 5);
    e.tz_min = sqlite3_column_int(s, 6);
    return (*(store_event_fact_cb *)cb)(ctx, &e);
}

static int sq_scan_event_facts(void *impl, store_event_fact_cb cb, void *ctx,
                               struct err *err)
{
    return each_row(impl,
                    "SELECT id,customer_id,activity,touchpoint_id,channel_id,"
                    "ts,tz_min FROM events ORDER BY id",
                    event_fact_row, &cb, ctx, err);
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
    .put_event = sq_put_event,
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
    .list_attr_names = sq_list_attr_names,
    .scan_event_facts = sq_scan_event_facts,
};
