#pragma once
/* Private to the SQLite backend (store_sqlite*.c): its handle, prepared
 * statements and the helpers its files share. No SQLite type escapes
 * these files; store.h is the contract. */

#include <sqlite3.h>
#include <stdint.h>

#include "store/store_int.h"

struct err;

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
    S_ANSWER_INSERT,
    S_EVENT_INSERT,
    S_ANALYSIS_INSERT,
    S_MENTION_INSERT,
    S_MENTIONS_OF,
    S_COUNT
};

/* The tables a bulk load appends to many rows at a time. */
#define A_N_TABLES 4

struct sqlite_store {
    sqlite3 *db;
    sqlite3_stmt *stmt[S_COUNT];
    sqlite3_stmt *multi[A_N_TABLES];   /* many-row INSERTs (put.c) */
    sqlite3_stmt *append1[A_N_TABLES]; /* the same for one row */
    int64_t next_id; /* in a bulk transaction: the next response's id, or
                      * 0 until first needed */
    int version;
    int in_tx;
    int bulk; /* in a bulk transaction: foreign keys off, its own cache */
    /* Reads outside a transaction share one snapshot: a read transaction
     * begun at the first read and ended before the next write
     * (sqs_read_begin / sqs_read_end). */
    int snap;
    char *path;              /* the database file; NULL for :memory: */
    long busy_ms;            /* how long a write waits for another writer */
    char activity[112];      /* what this handle does, for the writer note */
    int noted;               /* this handle wrote the writer note */
    int64_t began;           /* when (UTC seconds) the transaction began */
    struct flusher *flusher; /* a bulk load's, or NULL */
    int db_fd;               /* the flusher's descriptor of the file, or -1;
                              * closed only after SQLite lets go of the file */
};

static inline void bind_text(sqlite3_stmt *s, int i, const char *v)
{
    if (v)
        sqlite3_bind_text(s, i, v, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(s, i);
}

static inline void bind_id(sqlite3_stmt *s, int i, int64_t v)
{
    if (v > 0)
        sqlite3_bind_int64(s, i, v);
    else
        sqlite3_bind_null(s, i);
}

static inline void bind_score(sqlite3_stmt *s, int i, int v)
{
    if (v >= 0)
        sqlite3_bind_int(s, i, v);
    else
        sqlite3_bind_null(s, i);
}

static inline const char *col_text(sqlite3_stmt *s, int i)
{
    return (const char *)sqlite3_column_text(s, i);
}

/* ---- helpers (store_sqlite.c) ---- */

/* Sets err to "what: SQLite's message" with an ERR_* code for the
 * connection's last error (a constraint is ERR_CONFLICT, disk trouble
 * ERR_IO) and returns the code. */
int sqs_error(struct sqlite_store *st, struct err *err, const char *what);
/* Runs sql (no rows) directly. 0 or ERR_DB. */
int sqs_exec(struct sqlite_store *st, const char *sql, struct err *err);
/* Steps a statement that returns one id (RETURNING id or SELECT id). */
int sqs_step_id(struct sqlite_store *st, sqlite3_stmt *s, int64_t *id,
                const char *what, struct err *err);
/* Steps an INSERT ... DO NOTHING; *changed is 1 when a row was written. */
int sqs_step_insert(struct sqlite_store *st, sqlite3_stmt *s, int *changed,
                    const char *what, struct err *err);
/* A store operation made of several statements is atomic on its own:
 * outside a transaction it runs in a savepoint; inside one, the caller's
 * rollback covers it. sqs_op_end releases the savepoint, or undoes it when
 * rc < 0, and returns rc (or the release's error). */
int sqs_op_begin(struct sqlite_store *st, struct err *err);
int sqs_checkpoint_passive(void *impl, int restart, struct err *err);
void sqs_set_autocheckpoint(void *impl, int pages);
int sq_expire_comments(void *impl, int64_t before, const char *actor,
                       int64_t *n, struct err *err);
int sqs_op_end(struct sqlite_store *st, int rc, struct err *err);
/* Statement id, prepared on first use and kept; NULL after setting err. */
sqlite3_stmt *sqs_prep(struct sqlite_store *st, enum stmt_id id,
                       struct err *err);
/* Starts the handle's read snapshot unless a transaction (read or
 * write) is open; every read calls it first. 0 or ERR_DB. */
int sqs_read_begin(struct sqlite_store *st, struct err *err);
/* Ends the read snapshot, if one is open: before writing or beginning a
 * write transaction, and on close. */
void sqs_read_end(struct sqlite_store *st);
/* Prepares sql for one call (a statement not kept); ERR_DB naming
 * `what` on failure, *s NULL. */
int sqs_prepare(struct sqlite_store *st, const char *sql, sqlite3_stmt **s,
                const char *what, struct err *err);
/* Steps a statement to its end and finalizes it; *changes (may be NULL)
 * gets the rows it wrote. */
int sqs_run(struct sqlite_store *st, sqlite3_stmt *s, int *changes,
            const char *what, struct err *err);
/* Runs a read-only query and hands each row to fn. */
int sqs_each_row(struct sqlite_store *st, const char *sql,
                 int (*fn)(sqlite3_stmt *s, void *a, void *b), void *a, void *b,
                 struct err *err);

/* ---- the writer note (store_sqlite_lock.c) ----
 * While a write transaction is open, "DB-writer" beside the database
 * says who holds it (pid, start time, activity), so that a writer that
 * gives up waiting can name it. */

/* Writes the note for st's transaction (best effort: a note that cannot
 * be written only makes a later message vaguer). */
void sqs_note_write(struct sqlite_store *st);
/* Removes the note if it is still st's. */
void sqs_note_clear(struct sqlite_store *st);
/* The busy message: "what: the database is being written by resonans
 * import responses (pid 1234, since 10:02:11); gave up waiting after
 * 30 s (RESONANS_BUSY_TIMEOUT)" (without "what: " when what is NULL), or
 * "... locked by another writer ..." when the note is missing or its
 * process is gone. Returns ERR_DB. */
int sqs_busy_error(struct sqlite_store *st, struct err *err, const char *what);
/* The default busy timeout: $RESONANS_BUSY_TIMEOUT seconds, else 30 s. */
long sqs_busy_default(void);

/* ---- the flusher (store_sqlite_flush.c) ---- */

struct flusher;
/* Starts a thread that syncs db_fd (borrowed; -1 for none) and the WAL
 * beside db_path every half second, so that the commit's syncs find
 * little left to write. NULL when no thread can be had (then nothing is
 * synced early). */
struct flusher *sqs_flusher_start(const char *db_path, int db_fd);
/* Stops and frees it. Accepts NULL. */
void sqs_flusher_stop(struct flusher *f);

/* store.h's store_pending_bytes and store_checkpoint (also in
 * store_sqlite_flush.c). */
int64_t sqs_pending_bytes(void *impl);
int sqs_checkpoint(void *impl, struct err *err);

/* ---- writes (store_sqlite_put.c) ---- */

int sq_put_journey(void *impl, struct journey *j, struct err *err);
int sq_put_stage(void *impl, struct stage *g, struct err *err);
int sq_put_channel(void *impl, struct channel *c, struct err *err);
int sq_put_touchpoint(void *impl, struct touchpoint *t, struct err *err);
int sq_put_survey(void *impl, struct survey *sv, struct err *err);
int sq_put_question(void *impl, struct question *q, struct err *err);
int sq_put_customer(void *impl, struct customer *c, int *inserted,
                    struct err *err);
int sq_update_customer(void *impl, struct customer *c, int64_t since,
                       int *changed, struct err *err);
int sq_put_employee(void *impl, struct employee *e, int *inserted,
                    struct err *err);
int sq_put_response(void *impl, struct response *r, int *inserted,
                    struct err *err);
int sq_put_responses(void *impl, struct response *rows, size_t n,
                     int64_t *inserted, int64_t *present, struct err *err);
int sq_put_event(void *impl, struct event *e, int *inserted, struct err *err);
int sq_erase_customer(void *impl, const char *ext_id, const char *actor,
                      const char *subject, struct store_erased *out,
                      struct err *err);
int sq_put_taxonomy(void *impl, const char *name, const char *source, size_t n,
                    int replaces, struct err *err);
int sq_get_taxonomy(void *impl, char **name, char **source, size_t *n,
                    int *replaces, struct err *err);

/* ---- reads (store_sqlite_scan.c) ---- */

int sq_list_touchpoints(void *impl, store_touchpoint_cb cb, void *ctx,
                        struct err *err);
int sq_list_stages(void *impl, store_stage_cb cb, void *ctx, struct err *err);
int sq_list_channels(void *impl, store_channel_cb cb, void *ctx,
                     struct err *err);
int sq_scan_customers(void *impl, int64_t after, store_customer_cb cb,
                      void *ctx, struct err *err);
int sq_scan_segments(void *impl, int64_t after, store_segment_cb cb, void *ctx,
                     struct err *err);
int sq_scan_employees(void *impl, store_employee_cb cb, void *ctx,
                      struct err *err);
int sq_scan_facts(void *impl, int64_t after, store_fact_cb cb, void *ctx,
                  struct err *err);
int sq_scan_responses(void *impl, int64_t from, int64_t to,
                      store_response_cb cb, void *ctx, struct err *err);
int sq_scan_response_attrs(void *impl, store_attrs_cb cb, void *ctx,
                           struct err *err);
int sq_scan_answers(void *impl, unsigned kinds, int64_t after,
                    store_answer_cb cb, void *ctx, struct err *err);
int sq_scan_events(void *impl, store_event_cb cb, void *ctx, struct err *err);
int sq_count(void *impl, struct store_counts *out, struct err *err);
int sq_scan_analyses(void *impl, int64_t after, store_analysis_cb cb, void *ctx,
                     struct err *err);
int sq_version(void *impl, struct store_version *out, struct err *err);
int sq_bump_version(void *impl, unsigned changes, struct err *err);
int sq_scan_comments(void *impl, const struct comment_filter *f,
                     store_comment_cb cb, void *ctx, struct err *err);
int sq_scan_attr(void *impl, enum store_entity e, const char *name,
                 int64_t after, store_attr_cb cb, void *ctx, struct err *err);
int sq_scan_event_facts(void *impl, store_event_fact_cb cb, void *ctx,
                        struct err *err);

/* ---- users and access (store_sqlite_access.c) ---- */

int sq_put_user(void *impl, struct user *u, struct err *err);
int sq_get_user(void *impl, const char *name, int64_t id, store_user_cb cb,
                void *ctx, struct err *err);
int sq_list_users(void *impl, store_user_cb cb, void *ctx, struct err *err);
int sq_count_users(void *impl, int64_t *n, struct err *err);
int sq_put_session(void *impl, const unsigned char hash[32], int64_t user_id,
                   int64_t expires, struct err *err);
int sq_get_session(void *impl, const unsigned char hash[32], int64_t *user_id,
                   int64_t *expires, struct err *err);
int sq_delete_session(void *impl, const unsigned char hash[32],
                      struct err *err);
int sq_put_token(void *impl, const unsigned char hash[32], struct api_token *t,
                 struct err *err);
int sq_get_tokens(void *impl, const unsigned char *hash, store_token_cb cb,
                  void *ctx, struct err *err);
int sq_revoke_token(void *impl, int64_t id, struct err *err);
int sq_audit(void *impl, const char *actor, const char *action,
             const char *subject, const char *detail, struct err *err);
int sq_scan_audit(void *impl, int64_t after, store_audit_cb cb, void *ctx,
                  struct err *err);
int sq_get_secret(void *impl, const char *name, unsigned char *out, size_t n,
                  size_t *len, struct err *err);
int sq_put_secret(void *impl, const char *name, const unsigned char *v,
                  size_t n, struct err *err);
int sq_put_survey_def(void *impl, const char *key, const char *json,
                      struct err *err);
int sq_get_survey_defs(void *impl, const char *key, store_survey_def_cb cb,
                       void *ctx, struct err *err);
int sq_delete_survey_def(void *impl, const char *key, struct err *err);

/* ---- the closed loop (store_sqlite_loop.c) ---- */
int sq_put_rules(void *impl, const char *json, const char *actor,
                 int64_t applied_after, struct err *err);
int sq_get_rules(void *impl, char **json, int64_t *id, struct err *err);
int sq_rules_applied(void *impl, int64_t *after, struct err *err);
int sq_set_rules_applied(void *impl, int64_t after, struct err *err);
int sq_scan_rule_inputs(void *impl, int64_t after, store_rule_row_cb cb,
                        void *ctx, struct err *err);
int sq_put_case(void *impl, struct loop_case *c, int *inserted,
                struct err *err);
int sq_update_case(void *impl, const struct loop_case *c, int expect,
                   struct err *err);
int sq_scan_cases(void *impl, const struct case_filter *f, store_case_cb cb,
                  void *ctx, struct err *err);
int sq_put_case_note(void *impl, struct case_note *n, struct err *err);
int sq_scan_case_notes(void *impl, int64_t case_id, store_case_note_cb cb,
                       void *ctx, struct err *err);
int sq_customer_email(void *impl, int64_t customer_id, char **email,
                      struct err *err);
int sq_put_outbox(void *impl, struct outbox_msg *m, struct err *err);
int sq_due_outbox(void *impl, int64_t now, const char *kind, long limit,
                  int (*cb)(void *ctx, const struct outbox_msg *m), void *ctx,
                  struct err *err);
int sq_update_outbox(void *impl, const struct outbox_msg *m, struct err *err);
int sq_list_outbox(void *impl, int state, long limit,
                   int (*cb)(void *ctx, const struct outbox_msg *m), void *ctx,
                   struct err *err);
int sq_outbox_next(void *impl, int64_t *next_at, struct err *err);
int sq_outbox_last(void *impl, const char *event, int64_t *created,
                   struct err *err);
int sq_put_improvement(void *impl, struct improvement *im, struct err *err);
int sq_list_improvements(void *impl,
                         int (*cb)(void *ctx, const struct improvement *im),
                         void *ctx, struct err *err);
int sq_window_counts(void *impl, int64_t touchpoint_id, const char *theme,
                     int64_t from, int64_t to, struct window_counts *out,
                     struct err *err);
int sq_count_by_touchpoint(void *impl, int64_t from, int64_t to,
                           int (*cb)(void *ctx, int64_t touchpoint_id,
                                     int64_t n),
                           void *ctx, struct err *err);
int sq_area_customer_nps(void *impl, int64_t from, int64_t to,
                         int (*cb)(void *ctx, const char *theme,
                                   int64_t touchpoint_id,
                                   const int64_t hist[11]),
                         void *ctx, struct err *err);
