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
    S_RESPONSE_APPEND,
    S_ANSWER_INSERT,
    S_EVENT_INSERT,
    S_ANALYSIS_INSERT,
    S_MENTION_INSERT,
    S_MENTIONS_OF,
    S_COUNT
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
int sqs_op_end(struct sqlite_store *st, int rc, struct err *err);
/* Statement id, prepared on first use and kept; NULL after setting err. */
sqlite3_stmt *sqs_prep(struct sqlite_store *st, enum stmt_id id,
                       struct err *err);
/* Runs a read-only query and hands each row to fn. */
int sqs_each_row(struct sqlite_store *st, const char *sql,
                 int (*fn)(sqlite3_stmt *s, void *a, void *b), void *a, void *b,
                 struct err *err);

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
int sq_put_event(void *impl, struct event *e, int *inserted, struct err *err);
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
int sq_scan_customers(void *impl, store_customer_cb cb, void *ctx,
                      struct err *err);
int sq_scan_segments(void *impl, store_segment_cb cb, void *ctx,
                     struct err *err);
int sq_scan_employees(void *impl, store_employee_cb cb, void *ctx,
                      struct err *err);
int sq_scan_facts(void *impl, store_fact_cb cb, void *ctx, struct err *err);
int sq_scan_responses(void *impl, store_response_cb cb, void *ctx,
                      struct err *err);
int sq_scan_response_attrs(void *impl, store_attrs_cb cb, void *ctx,
                           struct err *err);
int sq_scan_answers(void *impl, unsigned kinds, store_answer_cb cb, void *ctx,
                    struct err *err);
int sq_scan_events(void *impl, store_event_cb cb, void *ctx, struct err *err);
int sq_count(void *impl, struct store_counts *out, struct err *err);
int sq_scan_analyses(void *impl, store_analysis_cb cb, void *ctx,
                     struct err *err);
int sq_scan_comments(void *impl, const struct comment_filter *f,
                     store_comment_cb cb, void *ctx, struct err *err);
int sq_scan_attr(void *impl, enum store_entity e, const char *name,
                 store_attr_cb cb, void *ctx, struct err *err);
int sq_scan_event_facts(void *impl, store_event_fact_cb cb, void *ctx,
                        struct err *err);
