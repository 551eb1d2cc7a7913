/* store.h "users and access": users, sessions, API tokens, the audit log,
 * secrets and survey definitions; and that none of them moves the data
 * version the column-store snapshot checks. */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/err.h"
#include "store/store.h"

struct fixture {
    char *dir;
    char path[600];
    struct store *s;
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    struct err err = ERR_INIT;
    f->dir = harness_tmpdir();
    snprintf(f->path, sizeof f->path, "%s/t.db", f->dir);
    if (store_open(&f->s, f->path, &err) < 0) {
        fprintf(stderr, "open: %s\n", err.msg);
        return -1;
    }
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    store_free(f->s);
    harness_tmpdir_free(f->dir);
    free(f);
    return 0;
}

static void reopen(struct fixture *f)
{
    struct err err = ERR_INIT;
    store_free(f->s);
    f->s = NULL;
    assert_int_equal(store_open(&f->s, f->path, &err), 0);
}

/* A user copied out of a callback. */
struct got_user {
    int calls;
    int64_t id, created;
    char name[80], pw_hash[140], touchpoints[200], lang[8];
    int has_hash, has_tps, has_lang;
    enum user_role role;
    int disabled;
};

static int got_user(void *ctx, const struct user *u)
{
    struct got_user *g = ctx;
    g->calls++;
    g->id = u->id;
    g->created = u->created;
    snprintf(g->name, sizeof g->name, "%s", u->name);
    g->has_hash = u->pw_hash != NULL;
    snprintf(g->pw_hash, sizeof g->pw_hash, "%s", u->pw_hash ? u->pw_hash : "");
    g->has_tps = u->touchpoints != NULL;
    snprintf(g->touchpoints, sizeof g->touchpoints, "%s",
             u->touchpoints ? u->touchpoints : "");
    g->role = u->role;
    g->disabled = u->disabled;
    g->has_lang = u->lang != NULL;
    snprintf(g->lang, sizeof g->lang, "%s", u->lang ? u->lang : "");
    return 0;
}

static int64_t add_user(struct store *s, const char *name, enum user_role r,
                        const char *hash)
{
    struct err err = ERR_INIT;
    struct user u = {0, name, r, hash, NULL, 0, 0, NULL};
    assert_int_equal(store_put_user(s, &u, &err), 0);
    assert_true(u.id > 0);
    return u.id;
}

static void test_role_names_round_trip(void **state)
{
    enum user_role r;
    (void)state;
    for (int i = ROLE_ADMIN; i <= ROLE_OWNER; i++) {
        assert_int_equal(user_role_parse(&r, user_role_name(i)), 0);
        assert_int_equal(r, i);
    }
    assert_string_equal(user_role_name(ROLE_ANALYST), "analyst");
    assert_int_equal(user_role_parse(&r, "Admin"), -1);
    assert_int_equal(user_role_parse(&r, ""), -1);
    assert_int_equal(user_role_parse(&r, NULL), -1);
}

static void test_users_put_get_list_count(void **state)
{
    struct fixture *f = *state;
    struct err err = ERR_INIT;
    struct got_user g = {0};
    int64_t n = -1;
    assert_int_equal(store_count_users(f->s, &n, &err), 0);
    assert_int_equal(n, 0);
    struct user own = {0,    "ägare", ROLE_OWNER, "$hash$1", "kontoret,webb",
                       1000, 0,       "en"};
    assert_int_equal(store_put_user(f->s, &own, &err), 0);
    int64_t admin = add_user(f->s, "admin", ROLE_ADMIN, NULL);
    assert_int_not_equal(admin, own.id);

    assert_int_equal(store_get_user(f->s, "ägare", got_user, &g, &err), 0);
    assert_int_equal(g.calls, 1);
    assert_int_equal(g.id, own.id);
    assert_string_equal(g.name, "ägare");
    assert_int_equal(g.role, ROLE_OWNER);
    assert_string_equal(g.pw_hash, "$hash$1");
    assert_string_equal(g.touchpoints, "kontoret,webb");
    assert_int_equal(g.created, 1000);
    assert_int_equal(g.disabled, 0);
    assert_string_equal(g.lang, "en");

    memset(&g, 0, sizeof g);
    assert_int_equal(store_get_user_by_id(f->s, admin, got_user, &g, &err), 0);
    assert_string_equal(g.name, "admin");
    assert_int_equal(g.has_hash, 0);
    assert_int_equal(g.has_tps, 0);
    assert_true(g.created > 1700000000); /* 0 = now */

    /* an update by name keeps the id and the creation time */
    struct user again = {0,    "ägare", ROLE_ANALYST, "$hash$2", NULL,
                         2000, 1,       NULL};
    assert_int_equal(store_put_user(f->s, &again, &err), 0);
    assert_int_equal(again.id, own.id);
    memset(&g, 0, sizeof g);
    assert_int_equal(store_get_user(f->s, "ägare", got_user, &g, &err), 0);
    assert_int_equal(g.role, ROLE_ANALYST);
    assert_string_equal(g.pw_hash, "$hash$2");
    assert_int_equal(g.has_tps, 0);
    assert_int_equal(g.disabled, 1);
    assert_int_equal(g.created, 1000);
    assert_int_equal(g.has_lang, 0); /* an update writes the language too */

    assert_int_equal(store_count_users(f->s, &n, &err), 0);
    assert_int_equal(n, 2);
    memset(&g, 0, sizeof g);
    assert_int_equal(store_list_users(f->s, got_user, &g, &err), 0);
    assert_int_equal(g.calls, 2);
    assert_string_equal(g.name, "ägare"); /* name order: last */
}

static void test_unknown_and_bad_users(void **state)
{
    struct fixture *f = *state;
    struct err err = ERR_INIT;
    struct got_user g = {0};
    assert_int_equal(store_get_user(f->s, "nobody", got_user, &g, &err),
                     ERR_NOTFOUND);
    assert_int_equal(g.calls, 0);
    err_clear(&err);
    assert_int_equal(store_get_user_by_id(f->s, 99, got_user, &g, &err),
                     ERR_NOTFOUND);
    char long_name[70];
    memset(long_name, 'x', 65);
    long_name[65] = '\0';
    const char *bad[] = {"", long_name, "tab\there", "nl\n"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        struct user u = {0, bad[i], ROLE_ADMIN, NULL, NULL, 0, 0, NULL};
        err_clear(&err);
        assert_int_equal(store_put_user(f->s, &u, &err), ERR_INVALID);
    }
    long_name[64] = '\0'; /* 64 bytes is the most */
    add_user(f->s, long_name, ROLE_ADMIN, NULL);
    struct user u = {0, "x", (enum user_role)7, NULL, NULL, 0, 0, NULL};
    err_clear(&err);
    assert_int_equal(store_put_user(f->s, &u, &err), ERR_INVALID);
}

/* Schema 8: a user's language is sv, en or none, kept across a reopen;
 * anything else is refused and changes nothing. */
static void test_user_lang(void **state)
{
    struct fixture *f = *state;
    struct err err = ERR_INIT;
    struct got_user g = {0};
    struct user u = {0, "sv-user", ROLE_ANALYST, NULL, NULL, 0, 0, "sv"};
    assert_int_equal(store_put_user(f->s, &u, &err), 0);
    reopen(f);
    assert_int_equal(store_get_user(f->s, "sv-user", got_user, &g, &err), 0);
    assert_string_equal(g.lang, "sv");
    const char *bad[] = {"de", "", "EN", "english"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        struct user b = {0, "sv-user", ROLE_ANALYST, NULL, NULL, 0, 0, bad[i]};
        err_clear(&err);
        assert_int_equal(store_put_user(f->s, &b, &err), ERR_INVALID);
    }
    memset(&g, 0, sizeof g);
    assert_int_equal(store_get_user(f->s, "sv-user", got_user, &g, &err), 0);
    assert_string_equal(g.lang, "sv");
    u.lang = "en";
    assert_int_equal(store_put_user(f->s, &u, &err), 0);
    memset(&g, 0, sizeof g);
    assert_int_equal(store_list_users(f->s, got_user, &g, &err), 0);
    assert_string_equal(g.lang, "en");
    u.lang = NULL;
    assert_int_equal(store_put_user(f->s, &u, &err), 0);
    memset(&g, 0, sizeof g);
    assert_int_equal(store_get_user_by_id(f->s, u.id, got_user, &g, &err), 0);
    assert_int_equal(g.has_lang, 0);
}

static const unsigned char h1[32] = {1, 2, 3};
static const unsigned char h2[32] = {9, 9, 9};

static void test_sessions_put_get_delete(void **state)
{
    struct fixture *f = *state;
    struct err err = ERR_INIT;
    int64_t uid = add_user(f->s, "a", ROLE_ANALYST, "$h"), who, exp;
    assert_int_equal(store_put_session(f->s, h1, uid, 4102444800, &err), 0);
    assert_int_equal(store_get_session(f->s, h1, &who, &exp, &err), 0);
    assert_int_equal(who, uid);
    assert_int_equal(exp, 4102444800);
    assert_int_equal(store_get_session(f->s, h2, &who, &exp, &err),
                     ERR_NOTFOUND);
    err_clear(&err);
    assert_int_equal(store_delete_session(f->s, h1, &err), 0);
    assert_int_equal(store_get_session(f->s, h1, &who, &exp, &err),
                     ERR_NOTFOUND);
    err_clear(&err);
    assert_int_equal(store_delete_session(f->s, h1, &err), 0);
    /* a session of no user is refused */
    assert_int_equal(store_put_session(f->s, h2, 12345, 4102444800, &err),
                     ERR_CONFLICT);
}

static void test_sessions_long_expired_are_swept(void **state)
{
    struct fixture *f = *state;
    struct err err = ERR_INIT;
    int64_t uid = add_user(f->s, "a", ROLE_ANALYST, "$h"), who, exp;
    assert_int_equal(store_put_session(f->s, h1, uid, 1000, &err), 0);
    assert_int_equal(store_get_session(f->s, h1, &who, &exp, &err), 0);
    assert_int_equal(store_put_session(f->s, h2, uid, 4102444800, &err), 0);
    assert_int_equal(store_get_session(f->s, h1, &who, &exp, &err),
                     ERR_NOTFOUND);
}

static void test_new_password_or_disabling_ends_sessions(void **state)
{
    struct fixture *f = *state;
    struct err err = ERR_INIT;
    int64_t uid = add_user(f->s, "a", ROLE_ANALYST, "$old"), who, exp;
    assert_int_equal(store_put_session(f->s, h1, uid, 4102444800, &err), 0);
    /* the same hash, another role: the session stays */
    add_user(f->s, "a", ROLE_ADMIN, "$old");
    assert_int_equal(store_get_session(f->s, h1, &who, &exp, &err), 0);
    add_user(f->s, "a", ROLE_ADMIN, "$new");
    assert_int_equal(store_get_session(f->s, h1, &who, &exp, &err),
                     ERR_NOTFOUND);
    err_clear(&err);
    assert_int_equal(store_put_session(f->s, h2, uid, 4102444800, &err), 0);
    struct user off = {0, "a", ROLE_ADMIN, "$new", NULL, 0, 1, NULL};
    assert_int_equal(store_put_user(f->s, &off, &err), 0);
    assert_int_equal(store_get_session(f->s, h2, &who, &exp, &err),
                     ERR_NOTFOUND);
}

struct got_token {
    int calls;
    struct api_token t;
    char name[80], scopes[40];
};

static int got_token(void *ctx, const struct api_token *t)
{
    struct got_token *g = ctx;
    g->calls++;
    g->t = *t;
    snprintf(g->name, sizeof g->name, "%s", t->name);
    snprintf(g->scopes, sizeof g->scopes, "%s", t->scopes);
    g->t.name = g->name;
    g->t.scopes = g->scopes;
    return 0;
}

static void test_tokens_put_get_list_revoke(void **state)
{
    struct fixture *f = *state;
    struct err err = ERR_INIT;
    struct got_token g = {0};
    int64_t uid = add_user(f->s, "a", ROLE_ANALYST, "$h");
    struct api_token t = {0, uid, "ci", "read,write", 0, 4102444800, 0};
    assert_int_equal(store_put_token(f->s, h1, &t, &err), 0);
    assert_true(t.id > 0);
    assert_int_equal(store_get_token(f->s, h1, got_token, &g, &err), 0);
    assert_int_equal(g.calls, 1);
    assert_int_equal(g.t.id, t.id);
    assert_int_equal(g.t.user_id, uid);
    assert_string_equal(g.name, "ci");
    assert_string_equal(g.scopes, "read,write");
    assert_true(g.t.created > 1700000000);
    assert_int_equal(g.t.expires, 4102444800);
    assert_int_equal(g.t.revoked, 0);
    assert_int_equal(store_get_token(f->s, h2, got_token, &g, &err),
                     ERR_NOTFOUND);
    err_clear(&err);
    /* the same secret twice, or a token of no user: refused */
    struct api_token dup = {0, uid, "again", "read", 0, 0, 0};
    assert_int_equal(store_put_token(f->s, h1, &dup, &err), ERR_CONFLICT);
    err_clear(&err);
    struct api_token orphan = {0, 4242, "x", "read", 0, 0, 0};
    assert_int_equal(store_put_token(f->s, h2, &orphan, &err), ERR_NOTFOUND);
    err_clear(&err);
    struct api_token second = {0, uid, "dash", "read", 0, 0, 0};
    assert_int_equal(store_put_token(f->s, h2, &second, &err), 0);

    assert_int_equal(store_revoke_token(f->s, t.id, &err), 0);
    assert_int_equal(store_revoke_token(f->s, t.id, &err), 0);
    memset(&g, 0, sizeof g);
    assert_int_equal(store_get_token(f->s, h1, got_token, &g, &err), 0);
    assert_int_equal(g.t.revoked, 1);
    assert_int_equal(store_revoke_token(f->s, 999, &err), ERR_NOTFOUND);
    err_clear(&err);

    memset(&g, 0, sizeof g);
    assert_int_equal(store_list_tokens(f->s, got_token, &g, &err), 0);
    assert_int_equal(g.calls, 2);
    assert_string_equal(g.name, "dash"); /* id order: last */
    assert_int_equal(g.t.revoked, 0);
}

struct audit_rows {
    int n;
    int64_t last_id;
    char text[4][200];
};

static int audit_row(void *ctx, const struct audit_entry *e)
{
    struct audit_rows *r = ctx;
    if (r->n < 4)
        snprintf(r->text[r->n], sizeof r->text[0], "%s|%s|%s|%s", e->actor,
                 e->action, e->subject, e->detail);
    r->n++;
    r->last_id = e->id;
    assert_true(e->ts > 1700000000);
    return 0;
}

static void test_audit_written_and_scanned(void **state)
{
    struct fixture *f = *state;
    struct err err = ERR_INIT;
    struct audit_rows r = {0};
    assert_int_equal(store_audit(f->s, "eva", "user.add", "user:bo",
                                 "{\"role\":\"owner\"}", &err),
                     0);
    assert_int_equal(
        store_audit(f->s, "bo", "session.login", "user:bo", NULL, &err), 0);
    assert_int_equal(store_audit(f->s, "bo", "x", "y", "{not json", &err),
                     ERR_INVALID);
    err_clear(&err);
    assert_int_equal(store_audit(f->s, NULL, "x", "y", NULL, &err),
                     ERR_INVALID);
    err_clear(&err);
    assert_int_equal(store_scan_audit(f->s, 0, audit_row, &r, &err), 0);
    assert_int_equal(r.n, 2);
    assert_string_equal(r.text[0], "eva|user.add|user:bo|{\"role\":\"owner\"}");
    assert_string_equal(r.text[1], "bo|session.login|user:bo|{}");
    int64_t first = r.last_id - 1;
    memset(&r, 0, sizeof r);
    assert_int_equal(store_scan_audit(f->s, first, audit_row, &r, &err), 0);
    assert_int_equal(r.n, 1);
    assert_string_equal(r.text[0], "bo|session.login|user:bo|{}");
}

static void test_secrets_are_stable_across_reopen(void **state)
{
    struct fixture *f = *state;
    struct err err = ERR_INIT;
    unsigned char a[32], b[32], c[32], zero[32] = {0}, big[64];
    assert_int_equal(store_secret(f->s, "csrf", a, sizeof a, &err), 0);
    assert_memory_not_equal(a, zero, sizeof a);
    assert_int_equal(store_secret(f->s, "csrf", b, sizeof b, &err), 0);
    assert_memory_equal(a, b, sizeof a);
    assert_int_equal(store_secret(f->s, "link", c, sizeof c, &err), 0);
    assert_memory_not_equal(a, c, sizeof a);
    reopen(f);
    memset(b, 0, sizeof b);
    assert_int_equal(store_secret(f->s, "csrf", b, sizeof b, &err), 0);
    assert_memory_equal(a, b, sizeof a);
    /* asked with another length: refused, not truncated or padded */
    assert_int_equal(store_secret(f->s, "csrf", big, 16, &err), ERR_CONFLICT);
    err_clear(&err);
    assert_int_equal(store_secret(f->s, "csrf", big, 65, &err), ERR_INVALID);
    err_clear(&err);
    assert_int_equal(store_secret(f->s, "wide", big, 64, &err), 0);
}

/* Two processes asking for a new secret at the same moment get the same
 * bytes: the insert that loses is ignored and both read the winner's. */
static void test_secret_made_concurrently_agrees(void **state)
{
    struct fixture *f = *state;
    int go[2], back[2];
    unsigned char mine[32], theirs[32];
    assert_int_equal(pipe(go), 0);
    assert_int_equal(pipe(back), 0);
    store_free(f->s);
    f->s = NULL;
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        struct store *s = NULL;
        struct err err = ERR_INIT;
        char c;
        unsigned char out[32];
        int ok = store_open(&s, f->path, &err) == 0 &&
                 read(go[0], &c, 1) == 1 &&
                 store_secret(s, "race", out, sizeof out, &err) == 0;
        if (!ok)
            memset(out, 0, sizeof out);
        ssize_t w = write(back[1], out, sizeof out);
        store_free(s);
        _exit(ok && w == (ssize_t)sizeof out ? 0 : 1);
    }
    struct err err = ERR_INIT;
    assert_int_equal(store_open(&f->s, f->path, &err), 0);
    assert_int_equal(write(go[1], "g", 1), 1);
    assert_int_equal(store_secret(f->s, "race", mine, sizeof mine, &err), 0);
    assert_int_equal(read(back[0], theirs, sizeof theirs),
                     (ssize_t)sizeof theirs);
    int status = 0;
    waitpid(pid, &status, 0);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    assert_memory_equal(mine, theirs, sizeof mine);
    close(go[0]);
    close(go[1]);
    close(back[0]);
    close(back[1]);
}

struct def_rows {
    int n;
    char keys[120];
    int64_t updated;
};

static int def_row(void *ctx, const char *key, const char *json,
                   int64_t updated)
{
    struct def_rows *r = ctx;
    (void)json;
    r->n++;
    size_t used = strlen(r->keys);
    snprintf(r->keys + used, sizeof r->keys - used, "%s;", key);
    r->updated = updated;
    return 0;
}

static void test_survey_defs_put_get_list_delete(void **state)
{
    struct fixture *f = *state;
    struct err err = ERR_INIT;
    struct def_rows r = {0};
    char *json = NULL;
    assert_int_equal(store_put_survey_def(f->s, "rep", "{\"v\":1}", &err), 0);
    assert_int_equal(store_put_survey_def(f->s, "app", "{\"q\":[]}", &err), 0);
    assert_int_equal(store_put_survey_def(f->s, "rep", "{\"v\":2}", &err), 0);
    assert_int_equal(store_get_survey_def(f->s, "rep", &json, &err), 0);
    assert_string_equal(json, "{\"v\":2}");
    free(json);
    assert_int_equal(store_list_survey_defs(f->s, def_row, &r, &err), 0);
    assert_int_equal(r.n, 2);
    assert_string_equal(r.keys, "app;rep;");
    assert_true(r.updated > 1700000000);
    assert_int_equal(store_delete_survey_def(f->s, "app", &err), 0);
    assert_int_equal(store_delete_survey_def(f->s, "app", &err), ERR_NOTFOUND);
    err_clear(&err);
    assert_int_equal(store_get_survey_def(f->s, "app", &json, &err),
                     ERR_NOTFOUND);
    assert_null(json);
    err_clear(&err);
    memset(&r, 0, sizeof r);
    assert_int_equal(store_list_survey_defs(f->s, def_row, &r, &err), 0);
    assert_string_equal(r.keys, "rep;");
    assert_int_equal(store_put_survey_def(f->s, "", "{}", &err), ERR_INVALID);
}

/* The column-store snapshot is current while the data version stands: a
 * login or a new survey must not make every command rebuild it. */
static void test_access_writes_leave_the_data_version(void **state)
{
    struct fixture *f = *state;
    struct err err = ERR_INIT;
    struct store_version before, after;
    unsigned char key[32];
    int64_t n;
    assert_int_equal(store_version(f->s, &before, &err), 0);
    int64_t uid = add_user(f->s, "a", ROLE_ADMIN, "$h");
    assert_int_equal(store_put_session(f->s, h1, uid, 4102444800, &err), 0);
    assert_int_equal(store_delete_session(f->s, h1, &err), 0);
    struct api_token t = {0, uid, "ci", "read", 0, 0, 0};
    assert_int_equal(store_put_token(f->s, h2, &t, &err), 0);
    assert_int_equal(store_revoke_token(f->s, t.id, &err), 0);
    assert_int_equal(store_audit(f->s, "a", "x", "y", NULL, &err), 0);
    assert_int_equal(store_secret(f->s, "k", key, sizeof key, &err), 0);
    assert_int_equal(store_put_survey_def(f->s, "s", "{}", &err), 0);
    assert_int_equal(store_delete_survey_def(f->s, "s", &err), 0);
    /* and in an explicit transaction */
    assert_int_equal(store_begin(f->s, &err), 0);
    add_user(f->s, "b", ROLE_OWNER, NULL);
    assert_int_equal(store_audit(f->s, "a", "user.add", "user:b", NULL, &err),
                     0);
    assert_int_equal(store_commit(f->s, &err), 0);
    assert_int_equal(store_version(f->s, &after, &err), 0);
    assert_int_equal(after.data, before.data);
    assert_int_equal(after.rewrite, before.rewrite);
    assert_int_equal(after.events, before.events);
    assert_memory_equal(after.uuid, before.uuid, sizeof before.uuid);
    /* while a data write still moves it */
    struct channel ch = {0, "web"};
    assert_int_equal(store_put_channel(f->s, &ch, &err), 0);
    assert_int_equal(store_version(f->s, &after, &err), 0);
    assert_int_equal(after.data, before.data + 1);
    assert_int_equal(store_count_users(f->s, &n, &err), 0);
    assert_int_equal(n, 2);
}

static void test_rollback_undoes_access_writes(void **state)
{
    struct fixture *f = *state;
    struct err err = ERR_INIT;
    struct got_user g = {0};
    struct audit_rows r = {0};
    assert_int_equal(store_begin(f->s, &err), 0);
    add_user(f->s, "gone", ROLE_ADMIN, NULL);
    assert_int_equal(
        store_audit(f->s, "x", "user.add", "user:gone", NULL, &err), 0);
    store_rollback(f->s);
    assert_int_equal(store_get_user(f->s, "gone", got_user, &g, &err),
                     ERR_NOTFOUND);
    err_clear(&err);
    assert_int_equal(store_scan_audit(f->s, 0, audit_row, &r, &err), 0);
    assert_int_equal(r.n, 0);
    /* fault injection reaches these writes too */
    store_fail_after(f->s, 1);
    struct user u = {0, "x", ROLE_ADMIN, NULL, NULL, 0, 0, NULL};
    assert_int_equal(store_put_user(f->s, &u, &err), ERR_DB);
    assert_string_equal(err.msg, "injected failure");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_role_names_round_trip),
        cmocka_unit_test_setup_teardown(test_users_put_get_list_count, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_user_lang, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unknown_and_bad_users, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_sessions_put_get_delete, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_sessions_long_expired_are_swept,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_new_password_or_disabling_ends_sessions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tokens_put_get_list_revoke, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_audit_written_and_scanned, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_secrets_are_stable_across_reopen,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_secret_made_concurrently_agrees,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_survey_defs_put_get_list_delete,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_access_writes_leave_the_data_version, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rollback_undoes_access_writes,
                                        setup, teardown),
    };
    return cmocka_run_group_tests_name("store access", tests, NULL, NULL);
}
