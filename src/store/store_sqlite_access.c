/* Users and access in the SQLite store (store.h "users and access",
 * schema/sqlite_006_access.sql): users, sessions, API tokens, the audit
 * log, secrets and survey definitions. Statements are prepared per call:
 * these are a few small reads and writes per request, next to which a
 * prepare costs little. A row found by a lookup is copied and its
 * statement finalized before the callback runs, so the callback may use
 * the store (write included); scans hand out live rows, and their
 * callbacks may read but not write. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/err.h"
#include "core/xalloc.h"
#include "store/store_sqlite_int.h"

static char *dup_col(sqlite3_stmt *s, int i)
{
    const char *v = col_text(s, i);
    return v ? xstrdup(v) : NULL;
}

/* ---- users ---- */

#define USER_COLS "id,name,role,pw_hash,touchpoints,created,disabled,lang"

/* A user row copied out of its statement. */
struct user_copy {
    struct user u;
    char *name, *pw_hash, *touchpoints, *lang;
};

static void read_user(sqlite3_stmt *s, struct user *u)
{
    u->id = sqlite3_column_int64(s, 0);
    u->name = col_text(s, 1);
    if (user_role_parse(&u->role, col_text(s, 2)) < 0)
        u->role = ROLE_OWNER; /* the CHECK allows no other; least power */
    u->pw_hash = col_text(s, 3);
    u->touchpoints = col_text(s, 4);
    u->created = sqlite3_column_int64(s, 5);
    u->disabled = sqlite3_column_int(s, 6) != 0;
    u->lang = col_text(s, 7);
}

static void copy_user(sqlite3_stmt *s, struct user_copy *c)
{
    read_user(s, &c->u);
    c->u.name = c->name = dup_col(s, 1);
    c->u.pw_hash = c->pw_hash = dup_col(s, 3);
    c->u.touchpoints = c->touchpoints = dup_col(s, 4);
    c->u.lang = c->lang = dup_col(s, 7);
}

static void user_copy_dispose(struct user_copy *c)
{
    free(c->name);
    if (c->pw_hash) /* the hash is a credential: no copy left behind */
        memset(c->pw_hash, 0, strlen(c->pw_hash));
    free(c->pw_hash);
    free(c->touchpoints);
    free(c->lang);
}

/* The stored user named name: *found 0 when none, else its id, hash and
 * disabled flag. */
static int old_user(struct sqlite_store *st, const char *name, int *found,
                    int64_t *id, char **pw_hash, int *disabled, struct err *err)
{
    sqlite3_stmt *s = NULL;
    int rc;
    *found = 0;
    *pw_hash = NULL;
    if ((rc = sqs_prepare(st,
                          "SELECT id,pw_hash,disabled FROM users WHERE name=?1",
                          &s, "put user", err)) < 0)
        return rc;
    sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        *found = 1;
        *id = sqlite3_column_int64(s, 0);
        *pw_hash = dup_col(s, 1);
        *disabled = sqlite3_column_int(s, 2) != 0;
        rc = 0;
    } else if (rc == SQLITE_DONE) {
        rc = 0;
    } else {
        rc = sqs_error(st, err, "put user");
    }
    sqlite3_finalize(s);
    return rc;
}

static int put_user(struct sqlite_store *st, struct user *u, struct err *err)
{
    sqlite3_stmt *s = NULL;
    char *old_hash = NULL;
    int found = 0, was_disabled = 0, rc;
    int64_t old_id = 0;
    if ((rc = old_user(st, u->name, &found, &old_id, &old_hash, &was_disabled,
                       err)) < 0 ||
        (rc = sqs_prepare(st,
                          "INSERT INTO users(name,role,pw_hash,touchpoints,"
                          "created,disabled,lang) "
                          "VALUES(?1,?2,?3,?4,?5,?6,?7) "
                          "ON CONFLICT(name) DO UPDATE SET role=excluded.role, "
                          "pw_hash=excluded.pw_hash, "
                          "touchpoints=excluded.touchpoints, "
                          "disabled=excluded.disabled, lang=excluded.lang "
                          "RETURNING id",
                          &s, "put user", err)) < 0)
        goto done;
    sqlite3_bind_text(s, 1, u->name, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, user_role_name(u->role), -1, SQLITE_STATIC);
    bind_text(s, 3, u->pw_hash);
    bind_text(s, 4, u->touchpoints);
    sqlite3_bind_int64(s, 5, u->created ? u->created : (int64_t)time(NULL));
    sqlite3_bind_int(s, 6, u->disabled != 0);
    bind_text(s, 7, u->lang);
    if ((rc = sqs_step_id(st, s, &u->id, "put user", err)) < 0)
        goto done;
    /* A new password or a disabled account ends the sessions opened
     * with the old state: whoever knew the old password is logged out. */
    int same_hash = (!old_hash && !u->pw_hash) ||
                    (old_hash && u->pw_hash && !strcmp(old_hash, u->pw_hash));
    if (found && (!same_hash || (u->disabled && !was_disabled))) {
        sqlite3_finalize(s);
        if ((rc = sqs_prepare(st, "DELETE FROM sessions WHERE user_id=?1", &s,
                              "put user", err)) < 0)
            goto done;
        sqlite3_bind_int64(s, 1, old_id);
        rc = sqs_run(st, s, NULL, "put user", err);
        s = NULL;
    }
done:
    sqlite3_finalize(s);
    if (old_hash)
        memset(old_hash, 0, strlen(old_hash));
    free(old_hash);
    return rc;
}

int sq_put_user(void *impl, struct user *u, struct err *err)
{
    struct sqlite_store *st = impl;
    int rc;
    if (u->lang && strcmp(u->lang, "sv") != 0 && strcmp(u->lang, "en") != 0)
        return err_set(err, ERR_INVALID,
                       "language must be sv or en, got "
                       "\"%.8s\"",
                       u->lang);
    if ((rc = sqs_op_begin(st, err)) < 0)
        return rc;
    return sqs_op_end(st, put_user(st, u, err), err);
}

int sq_get_user(void *impl, const char *name, int64_t id, store_user_cb cb,
                void *ctx, struct err *err)
{
    struct sqlite_store *st = impl;
    struct user_copy c = {0};
    sqlite3_stmt *s = NULL;
    int rc;
    if ((rc = sqs_read_begin(st, err)) < 0 ||
        (rc = sqs_prepare(st,
                          name ? "SELECT " USER_COLS " FROM users WHERE name=?1"
                               : "SELECT " USER_COLS " FROM users WHERE id=?1",
                          &s, "get user", err)) < 0)
        return rc;
    if (name)
        sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
    else
        sqlite3_bind_int64(s, 1, id);
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        copy_user(s, &c);
        rc = 0;
    } else if (rc == SQLITE_DONE) {
        rc = name ? err_set(err, ERR_NOTFOUND, "no user \"%s\"", name)
                  : err_set(err, ERR_NOTFOUND, "no user with id %lld",
                            (long long)id);
    } else {
        rc = sqs_error(st, err, "get user");
    }
    sqlite3_finalize(s);
    if (rc == 0)
        rc = cb(ctx, &c.u);
    user_copy_dispose(&c);
    return rc;
}

int sq_list_users(void *impl, store_user_cb cb, void *ctx, struct err *err)
{
    struct sqlite_store *st = impl;
    sqlite3_stmt *s = NULL;
    struct user u;
    int rc, step;
    if ((rc = sqs_read_begin(st, err)) < 0 ||
        (rc = sqs_prepare(st, "SELECT " USER_COLS " FROM users ORDER BY name",
                          &s, "list users", err)) < 0)
        return rc;
    while ((step = sqlite3_step(s)) == SQLITE_ROW) {
        read_user(s, &u);
        if ((rc = cb(ctx, &u)) != 0)
            break;
    }
    if (rc == 0 && step != SQLITE_DONE)
        rc = sqs_error(st, err, "list users");
    sqlite3_finalize(s);
    return rc;
}

int sq_count_users(void *impl, int64_t *n, struct err *err)
{
    struct sqlite_store *st = impl;
    sqlite3_stmt *s = NULL;
    int rc;
    if ((rc = sqs_read_begin(st, err)) < 0 ||
        (rc = sqs_prepare(st, "SELECT count(*) FROM users", &s, "count users",
                          err)) < 0)
        return rc;
    if (sqlite3_step(s) == SQLITE_ROW)
        *n = sqlite3_column_int64(s, 0);
    else
        rc = sqs_error(st, err, "count users");
    sqlite3_finalize(s);
    return rc;
}

/* ---- sessions ---- */

/* Expired sessions are kept a day (a late request says "expired", not
 * "unknown"), then removed by the next login. */
#define SESSION_KEEP 86400

static int put_session(struct sqlite_store *st, const unsigned char hash[32],
                       int64_t user_id, int64_t expires, struct err *err)
{
    sqlite3_stmt *s = NULL;
    int64_t now = (int64_t)time(NULL);
    int rc;
    if ((rc = sqs_prepare(st, "DELETE FROM sessions WHERE expires<?1", &s,
                          "put session", err)) < 0)
        return rc;
    sqlite3_bind_int64(s, 1, now - SESSION_KEEP);
    if ((rc = sqs_run(st, s, NULL, "put session", err)) < 0 ||
        (rc = sqs_prepare(st,
                          "INSERT INTO sessions(hash,user_id,created,expires) "
                          "VALUES(?1,?2,?3,?4)",
                          &s, "put session", err)) < 0)
        return rc;
    sqlite3_bind_blob(s, 1, hash, 32, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, user_id);
    sqlite3_bind_int64(s, 3, now);
    sqlite3_bind_int64(s, 4, expires);
    return sqs_run(st, s, NULL, "put session", err);
}

int sq_put_session(void *impl, const unsigned char hash[32], int64_t user_id,
                   int64_t expires, struct err *err)
{
    struct sqlite_store *st = impl;
    int rc;
    if ((rc = sqs_op_begin(st, err)) < 0)
        return rc;
    return sqs_op_end(st, put_session(st, hash, user_id, expires, err), err);
}

int sq_get_session(void *impl, const unsigned char hash[32], int64_t *user_id,
                   int64_t *expires, struct err *err)
{
    struct sqlite_store *st = impl;
    sqlite3_stmt *s = NULL;
    int rc;
    if ((rc = sqs_read_begin(st, err)) < 0 ||
        (rc = sqs_prepare(st,
                          "SELECT user_id,expires FROM sessions WHERE hash=?1",
                          &s, "get session", err)) < 0)
        return rc;
    sqlite3_bind_blob(s, 1, hash, 32, SQLITE_STATIC);
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        *user_id = sqlite3_column_int64(s, 0);
        *expires = sqlite3_column_int64(s, 1);
        rc = 0;
    } else if (rc == SQLITE_DONE) {
        rc = err_set(err, ERR_NOTFOUND, "no such session");
    } else {
        rc = sqs_error(st, err, "get session");
    }
    sqlite3_finalize(s);
    return rc;
}

int sq_delete_session(void *impl, const unsigned char hash[32], struct err *err)
{
    struct sqlite_store *st = impl;
    sqlite3_stmt *s = NULL;
    int rc;
    if ((rc = sqs_prepare(st, "DELETE FROM sessions WHERE hash=?1", &s,
                          "delete session", err)) < 0)
        return rc;
    sqlite3_bind_blob(s, 1, hash, 32, SQLITE_STATIC);
    return sqs_run(st, s, NULL, "delete session", err);
}

/* ---- API tokens ---- */

int sq_put_token(void *impl, const unsigned char hash[32], struct api_token *t,
                 struct err *err)
{
    struct sqlite_store *st = impl;
    sqlite3_stmt *s = NULL;
    int rc;
    if (!t->created)
        t->created = (int64_t)time(NULL);
    if ((rc = sqs_prepare(st,
                          "INSERT INTO api_tokens(hash,user_id,name,scopes,"
                          "created,expires,revoked) "
                          "SELECT ?1,?2,?3,?4,?5,?6,?7 "
                          "WHERE EXISTS (SELECT 1 FROM users WHERE id=?2) "
                          "RETURNING id",
                          &s, "put token", err)) < 0)
        return rc;
    sqlite3_bind_blob(s, 1, hash, 32, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, t->user_id);
    sqlite3_bind_text(s, 3, t->name, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 4, t->scopes, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 5, t->created);
    sqlite3_bind_int64(s, 6, t->expires);
    sqlite3_bind_int(s, 7, t->revoked != 0);
    rc = sqs_step_id(st, s, &t->id, "put token", err);
    sqlite3_finalize(s);
    if (rc == ERR_NOTFOUND)
        rc = err_set(err, ERR_NOTFOUND, "no user with id %lld",
                     (long long)t->user_id);
    return rc;
}

static void read_token(sqlite3_stmt *s, struct api_token *t)
{
    t->id = sqlite3_column_int64(s, 0);
    t->user_id = sqlite3_column_int64(s, 1);
    t->name = col_text(s, 2);
    t->scopes = col_text(s, 3);
    t->created = sqlite3_column_int64(s, 4);
    t->expires = sqlite3_column_int64(s, 5);
    t->revoked = sqlite3_column_int(s, 6) != 0;
}

#define TOKEN_COLS "id,user_id,name,scopes,created,expires,revoked"

int sq_get_tokens(void *impl, const unsigned char *hash, store_token_cb cb,
                  void *ctx, struct err *err)
{
    struct sqlite_store *st = impl;
    sqlite3_stmt *s = NULL;
    struct api_token t;
    int rc, step;
    if ((rc = sqs_read_begin(st, err)) < 0 ||
        (rc = sqs_prepare(
             st,
             hash ? "SELECT " TOKEN_COLS " FROM api_tokens WHERE hash=?1"
                  : "SELECT " TOKEN_COLS " FROM api_tokens ORDER BY id",
             &s, "get token", err)) < 0)
        return rc;
    if (hash) {
        sqlite3_bind_blob(s, 1, hash, 32, SQLITE_STATIC);
        step = sqlite3_step(s);
        if (step == SQLITE_ROW) {
            char *name = dup_col(s, 2), *scopes = dup_col(s, 3);
            read_token(s, &t);
            t.name = name;
            t.scopes = scopes;
            sqlite3_finalize(s);
            rc = cb(ctx, &t);
            free(name);
            free(scopes);
            return rc;
        }
        rc = step == SQLITE_DONE ? err_set(err, ERR_NOTFOUND, "no such token")
                                 : sqs_error(st, err, "get token");
        sqlite3_finalize(s);
        return rc;
    }
    while ((step = sqlite3_step(s)) == SQLITE_ROW) {
        read_token(s, &t);
        if ((rc = cb(ctx, &t)) != 0)
            break;
    }
    if (rc == 0 && step != SQLITE_DONE)
        rc = sqs_error(st, err, "list tokens");
    sqlite3_finalize(s);
    return rc;
}

int sq_revoke_token(void *impl, int64_t id, struct err *err)
{
    struct sqlite_store *st = impl;
    sqlite3_stmt *s = NULL;
    int rc, changes = 0;
    if ((rc = sqs_prepare(st, "UPDATE api_tokens SET revoked=1 WHERE id=?1", &s,
                          "revoke token", err)) < 0)
        return rc;
    sqlite3_bind_int64(s, 1, id);
    if ((rc = sqs_run(st, s, &changes, "revoke token", err)) < 0)
        return rc;
    if (changes == 0)
        return err_set(err, ERR_NOTFOUND, "no token with id %lld",
                       (long long)id);
    return 0;
}

/* ---- the audit log ---- */

int sq_audit(void *impl, const char *actor, const char *action,
             const char *subject, const char *detail, struct err *err)
{
    struct sqlite_store *st = impl;
    sqlite3_stmt *s = NULL;
    int rc, changes = 0;
    /* detail is written only when it is JSON: the log is read by
     * programs, and one bad entry would break them all */
    if ((rc = sqs_prepare(st,
                          "INSERT INTO audit(ts,actor,action,subject,detail) "
                          "SELECT ?1,?2,?3,?4,?5 WHERE json_valid(?5)",
                          &s, "audit", err)) < 0)
        return rc;
    sqlite3_bind_int64(s, 1, (int64_t)time(NULL));
    sqlite3_bind_text(s, 2, actor, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, action, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 4, subject, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 5, detail, -1, SQLITE_STATIC);
    if ((rc = sqs_run(st, s, &changes, "audit", err)) < 0)
        return rc;
    if (changes == 0)
        return err_set(err, ERR_INVALID, "audit %s: detail is not JSON",
                       action);
    return 0;
}

int sq_scan_audit(void *impl, int64_t after, store_audit_cb cb, void *ctx,
                  struct err *err)
{
    struct sqlite_store *st = impl;
    sqlite3_stmt *s = NULL;
    struct audit_entry e;
    int rc, step;
    if ((rc = sqs_read_begin(st, err)) < 0 ||
        (rc = sqs_prepare(st,
                          "SELECT id,ts,actor,action,subject,detail FROM audit "
                          "WHERE id>?1 ORDER BY id",
                          &s, "scan audit", err)) < 0)
        return rc;
    sqlite3_bind_int64(s, 1, after);
    while ((step = sqlite3_step(s)) == SQLITE_ROW) {
        e.id = sqlite3_column_int64(s, 0);
        e.ts = sqlite3_column_int64(s, 1);
        e.actor = col_text(s, 2);
        e.action = col_text(s, 3);
        e.subject = col_text(s, 4);
        e.detail = col_text(s, 5);
        if ((rc = cb(ctx, &e)) != 0)
            break;
    }
    if (rc == 0 && step != SQLITE_DONE)
        rc = sqs_error(st, err, "scan audit");
    sqlite3_finalize(s);
    return rc;
}

/* ---- secrets ---- */

int sq_get_secret(void *impl, const char *name, unsigned char *out, size_t n,
                  size_t *len, struct err *err)
{
    struct sqlite_store *st = impl;
    sqlite3_stmt *s = NULL;
    int rc;
    *len = 0;
    if ((rc = sqs_read_begin(st, err)) < 0 ||
        (rc = sqs_prepare(st, "SELECT value FROM secrets WHERE name=?1", &s,
                          "secret", err)) < 0)
        return rc;
    sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        const void *v = sqlite3_column_blob(s, 0);
        int bytes = sqlite3_column_bytes(s, 0);
        *len = bytes > 0 ? (size_t)bytes : 0;
        if (v && *len)
            memcpy(out, v, *len < n ? *len : n);
        rc = 0;
    } else if (rc == SQLITE_DONE) {
        rc = err_set(err, ERR_NOTFOUND, "no secret %s", name);
    } else {
        rc = sqs_error(st, err, "secret");
    }
    sqlite3_finalize(s);
    return rc;
}

int sq_put_secret(void *impl, const char *name, const unsigned char *v,
                  size_t n, struct err *err)
{
    struct sqlite_store *st = impl;
    sqlite3_stmt *s = NULL;
    int rc;
    if ((rc = sqs_prepare(st,
                          "INSERT INTO secrets(name,value) VALUES(?1,?2) "
                          "ON CONFLICT(name) DO NOTHING",
                          &s, "secret", err)) < 0)
        return rc;
    sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
    sqlite3_bind_blob(s, 2, v, (int)n, SQLITE_STATIC);
    return sqs_run(st, s, NULL, "secret", err);
}

/* ---- survey definitions ---- */

int sq_put_survey_def(void *impl, const char *key, const char *json,
                      struct err *err)
{
    struct sqlite_store *st = impl;
    sqlite3_stmt *s = NULL;
    int rc;
    if ((rc = sqs_prepare(st,
                          "INSERT INTO survey_defs(key,json,updated) "
                          "VALUES(?1,?2,?3) ON CONFLICT(key) DO UPDATE SET "
                          "json=excluded.json, updated=excluded.updated",
                          &s, "put survey", err)) < 0)
        return rc;
    sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, json, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 3, (int64_t)time(NULL));
    return sqs_run(st, s, NULL, "put survey", err);
}

int sq_get_survey_defs(void *impl, const char *key, store_survey_def_cb cb,
                       void *ctx, struct err *err)
{
    struct sqlite_store *st = impl;
    sqlite3_stmt *s = NULL;
    int rc, step;
    if ((rc = sqs_read_begin(st, err)) < 0 ||
        (rc = sqs_prepare(st,
                          key ? "SELECT key,json,updated FROM survey_defs "
                                "WHERE key=?1"
                              : "SELECT key,json,updated FROM survey_defs "
                                "ORDER BY key",
                          &s, "get survey", err)) < 0)
        return rc;
    if (key) {
        sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
        step = sqlite3_step(s);
        if (step == SQLITE_ROW) {
            char *json = dup_col(s, 1);
            int64_t updated = sqlite3_column_int64(s, 2);
            sqlite3_finalize(s);
            rc = cb(ctx, key, json ? json : "", updated);
            free(json);
            return rc;
        }
        rc = step == SQLITE_DONE
                 ? err_set(err, ERR_NOTFOUND, "no survey \"%s\"", key)
                 : sqs_error(st, err, "get survey");
        sqlite3_finalize(s);
        return rc;
    }
    while ((step = sqlite3_step(s)) == SQLITE_ROW) {
        const char *json = col_text(s, 1);
        if ((rc = cb(ctx, col_text(s, 0), json ? json : "",
                     sqlite3_column_int64(s, 2))) != 0)
            break;
    }
    if (rc == 0 && step != SQLITE_DONE)
        rc = sqs_error(st, err, "list surveys");
    sqlite3_finalize(s);
    return rc;
}

int sq_delete_survey_def(void *impl, const char *key, struct err *err)
{
    struct sqlite_store *st = impl;
    sqlite3_stmt *s = NULL;
    int rc, changes = 0;
    if ((rc = sqs_prepare(st, "DELETE FROM survey_defs WHERE key=?1", &s,
                          "delete survey", err)) < 0)
        return rc;
    sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
    if ((rc = sqs_run(st, s, &changes, "delete survey", err)) < 0)
        return rc;
    if (changes == 0)
        return err_set(err, ERR_NOTFOUND, "no survey \"%s\"", key);
    return 0;
}
