/* Erasing a customer (store.h store_erase_customer) and old comments
 * (store_expire_comments) from the SQLite store.
 * The statements are prepared for the call: erasure is rare. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/err.h"
#include "store/store_sqlite_int.h"

/* Runs sql with the customer's row id bound to ?1; *changed gets the
 * rows it deleted (may be NULL). */
static int run(struct sqlite_store *st, const char *sql, int64_t id,
               int64_t *changed, struct err *err)
{
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK)
        return sqs_error(st, err, "erase");
    sqlite3_bind_int64(s, 1, id);
    int rc = sqlite3_step(s);
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE)
        return sqs_error(st, err, "erase");
    if (changed)
        *changed = sqlite3_changes(st->db);
    return 0;
}

static int erase(struct sqlite_store *st, const char *ext_id, const char *actor,
                 const char *subject, struct store_erased *out, struct err *err)
{
    sqlite3_stmt *s = NULL;
    int64_t id = 0;
    int rc;
    if (sqlite3_prepare_v2(st->db, "SELECT id FROM customers WHERE ext_id = ?1",
                           -1, &s, NULL) != SQLITE_OK)
        return sqs_error(st, err, "erase");
    sqlite3_bind_text(s, 1, ext_id, -1, SQLITE_STATIC);
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        id = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    if (rc == SQLITE_DONE)
        return err_set(err, ERR_NOTFOUND, "no customer \"%s\"", ext_id);
    if (rc != SQLITE_ROW)
        return sqs_error(st, err, "erase");
    /* The children first: no reliance on foreign keys being on (a bulk
     * transaction turns them off). */
    static const char *const by_response[] = {
        "DELETE FROM outbox WHERE case_id IN "
        "(SELECT id FROM cases WHERE customer_id = ?1)",
        "DELETE FROM case_notes WHERE case_id IN "
        "(SELECT id FROM cases WHERE customer_id = ?1)",
        "UPDATE cases SET recovery_response_id = NULL WHERE "
        "recovery_response_id IN "
        "(SELECT id FROM responses WHERE customer_id = ?1)",
        "DELETE FROM cases WHERE customer_id = ?1",
        "DELETE FROM theme_mentions WHERE response_id IN "
        "(SELECT id FROM responses WHERE customer_id = ?1)",
        "DELETE FROM comment_analysis WHERE response_id IN "
        "(SELECT id FROM responses WHERE customer_id = ?1)"};
    for (size_t i = 0; i < sizeof by_response / sizeof *by_response; i++)
        if ((rc = run(st, by_response[i], id, NULL, err)) < 0)
            return rc;
    if ((rc = run(st,
                  "DELETE FROM answers WHERE response_id IN "
                  "(SELECT id FROM responses WHERE customer_id = ?1)",
                  id, &out->answers, err)) < 0 ||
        (rc = run(st, "DELETE FROM responses WHERE customer_id = ?1", id,
                  &out->responses, err)) < 0 ||
        (rc = run(st, "DELETE FROM events WHERE customer_id = ?1", id,
                  &out->events, err)) < 0 ||
        (rc = run(st, "DELETE FROM customer_segments WHERE customer_id = ?1",
                  id, &out->segments, err)) < 0 ||
        (rc = run(st, "DELETE FROM customers WHERE id = ?1", id, NULL, err)) <
            0)
        return rc;
    char detail[200];
    snprintf(detail, sizeof detail,
             "{\"responses\":%lld,\"answers\":%lld,\"events\":%lld,"
             "\"segments\":%lld}",
             (long long)out->responses, (long long)out->answers,
             (long long)out->events, (long long)out->segments);
    if (sqlite3_prepare_v2(st->db,
                           "INSERT INTO audit(ts, actor, action, subject, "
                           "detail) VALUES (?1, ?2, 'customer.erase', ?3, ?4)",
                           -1, &s, NULL) != SQLITE_OK)
        return sqs_error(st, err, "erase: audit");
    sqlite3_bind_int64(s, 1, (int64_t)time(NULL));
    sqlite3_bind_text(s, 2, actor, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, subject, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 4, detail, -1, SQLITE_STATIC);
    rc = sqlite3_step(s);
    sqlite3_finalize(s);
    return rc == SQLITE_DONE ? 0 : sqs_error(st, err, "erase: audit");
}

int sq_erase_customer(void *impl, const char *ext_id, const char *actor,
                      const char *subject, struct store_erased *out,
                      struct err *err)
{
    struct sqlite_store *st = impl;
    int rc;
    /* Freed pages are overwritten with zeros, not left for a forensic
     * read of the file. */
    if ((rc = sqs_exec(st, "PRAGMA secure_delete=ON", err)) < 0 ||
        (rc = sqs_op_begin(st, err)) < 0)
        return rc;
    return sqs_op_end(st, erase(st, ext_id, actor, subject, out, err), err);
}

static int expire(struct sqlite_store *st, int64_t before, const char *actor,
                  int64_t *n, struct err *err)
{
    static const char *const sql[] = {
        "UPDATE answers SET text = NULL, title = NULL "
        "WHERE kind IN ('text', 'story') "
        "AND (text IS NOT NULL OR title IS NOT NULL) "
        "AND response_id IN (SELECT id FROM responses WHERE ts < ?1)",
        "UPDATE comment_analysis SET explanation = NULL "
        "WHERE explanation IS NOT NULL "
        "AND response_id IN (SELECT id FROM responses WHERE ts < ?1)"};
    int rc;
    if ((rc = run(st, sql[0], before, n, err)) < 0 ||
        (rc = run(st, sql[1], before, NULL, err)) < 0)
        return rc;
    char detail[120];
    snprintf(detail, sizeof detail, "{\"texts\":%lld,\"before\":%lld}",
             (long long)*n, (long long)before);
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(st->db,
                           "INSERT INTO audit(ts, actor, action, subject, "
                           "detail) VALUES (?1, ?2, 'comments.expire', "
                           "'comments', ?3)",
                           -1, &s, NULL) != SQLITE_OK)
        return sqs_error(st, err, "expire: audit");
    sqlite3_bind_int64(s, 1, (int64_t)time(NULL));
    sqlite3_bind_text(s, 2, actor, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, detail, -1, SQLITE_STATIC);
    rc = sqlite3_step(s);
    sqlite3_finalize(s);
    return rc == SQLITE_DONE ? 0 : sqs_error(st, err, "expire: audit");
}

int sq_expire_comments(void *impl, int64_t before, const char *actor,
                       int64_t *n, struct err *err)
{
    struct sqlite_store *st = impl;
    int rc;
    if ((rc = sqs_exec(st, "PRAGMA secure_delete=ON", err)) < 0 ||
        (rc = sqs_op_begin(st, err)) < 0)
        return rc;
    return sqs_op_end(st, expire(st, before, actor, n, err), err);
}
