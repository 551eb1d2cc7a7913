/* src/auth/session.c: logging in and out, and sessions. */
#include "harness.h"

#include "auth_test.h"

#define TTL 3600

static void test_login_gives_a_session_and_its_principal(void **state)
{
    struct auth_fixture *f = *state;
    struct err err = ERR_INIT;
    struct principal p, q;
    char token[AUTH_TOKEN_LEN + 1];
    assert_int_equal(
        auth_login(f->s, "eva", "eva-password", TTL, token, &p, &err), 0);
    assert_int_equal(strlen(token), AUTH_TOKEN_LEN);
    assert_string_equal(p.name, "eva");
    assert_int_equal(p.role, ROLE_ADMIN);
    assert_int_equal(p.scopes, SCOPE_READ | SCOPE_WRITE | SCOPE_ADMIN);
    assert_int_equal(p.via_token, 0);
    assert_true(p.user_id > 0);

    assert_int_equal(auth_session(f->s, token, &q, &err), 0);
    assert_int_equal(q.user_id, p.user_id);
    assert_string_equal(q.name, "eva");
    assert_int_equal(q.role, ROLE_ADMIN);
    assert_int_equal(q.scopes, p.scopes);
    assert_int_equal(q.via_token, 0);
    auth_principal_dispose(&p);
    auth_principal_dispose(&q);

    /* a second login is a second session: both work */
    char other[AUTH_TOKEN_LEN + 1];
    assert_int_equal(
        auth_login(f->s, "eva", "eva-password", TTL, other, &p, &err), 0);
    assert_string_not_equal(token, other);
    assert_int_equal(auth_session(f->s, token, &q, &err), 0);
    auth_principal_dispose(&q);
    assert_int_equal(auth_session(f->s, other, &q, &err), 0);
    auth_principal_dispose(&q);
    auth_principal_dispose(&p);
}

static void test_the_token_is_not_stored(void **state)
{
    struct auth_fixture *f = *state;
    struct err err = ERR_INIT;
    struct principal p;
    char token[AUTH_TOKEN_LEN + 1];
    assert_int_equal(
        auth_login(f->s, "ali", "ali-password", TTL, token, &p, &err), 0);
    auth_principal_dispose(&p);
    assert_int_equal(auth_fixture_file_has(f->path, "ali-password"), 0);
    assert_int_equal(auth_fixture_file_has(f->path, token), 0);
    assert_int_equal(auth_fixture_file_has(f->path, "$argon2id$"), 1);
}

static void test_wrong_password_and_unknown_user_look_alike(void **state)
{
    struct auth_fixture *f = *state;
    struct err a = ERR_INIT, b = ERR_INIT, c = ERR_INIT;
    struct principal p;
    char token[AUTH_TOKEN_LEN + 1];
    assert_int_equal(
        auth_login(f->s, "eva", "ali-password", TTL, token, &p, &a), ERR_PERM);
    assert_string_equal(a.msg, "wrong name or password");
    assert_string_equal(token, "");
    assert_int_equal(p.user_id, 0);
    assert_int_equal(
        auth_login(f->s, "nobody", "ali-password", TTL, token, &p, &b),
        ERR_PERM);
    assert_string_equal(b.msg, a.msg);
    /* a user without a password cannot log in, with any password */
    assert_int_equal(auth_login(f->s, "nopw", "", TTL, token, &p, &c),
                     ERR_PERM);
    assert_string_equal(c.msg, a.msg);
    err_clear(&c);
    assert_int_equal(
        auth_login(f->s, "nopw", "nopw-password", TTL, token, &p, &c),
        ERR_PERM);
    assert_string_equal(c.msg, a.msg);
    err_clear(&c);
    assert_int_equal(auth_login(f->s, NULL, NULL, TTL, token, &p, &c),
                     ERR_PERM);
}

static void test_logins_are_audited(void **state)
{
    struct auth_fixture *f = *state;
    struct err err = ERR_INIT;
    struct principal p;
    struct auth_audit_log log;
    char token[AUTH_TOKEN_LEN + 1];
    assert_int_equal(
        auth_login(f->s, "ola", "ola-password", TTL, token, &p, &err), 0);
    auth_principal_dispose(&p);
    auth_fixture_audit(f->s, &log);
    assert_string_equal(log.text, "ola|session.login|user:ola\n");
    assert_non_null(strstr(log.last_detail, "\"expires\""));
    auth_login(f->s, "ola", "wrong-password", TTL, token, &p, &err);
    err_clear(&err);
    auth_login(f->s, "nobody", "wrong-password", TTL, token, &p, &err);
    err_clear(&err);
    assert_int_equal(auth_logout(f->s, token, &err), 0); /* a failed one's */
    auth_fixture_audit(f->s, &log);
    assert_string_equal(log.text, "ola|session.login|user:ola\n"
                                  "ola|session.login_failed|user:ola\n");
}

static void test_disabled_user_is_refused(void **state)
{
    struct auth_fixture *f = *state;
    struct err err = ERR_INIT;
    struct principal p;
    char token[AUTH_TOKEN_LEN + 1];
    assert_int_equal(
        auth_login(f->s, "ali", "ali-password", TTL, token, &p, &err), 0);
    auth_principal_dispose(&p);
    assert_int_equal(auth_fixture_set_disabled(f->s, "ali", 1), 0);
    assert_int_equal(auth_session(f->s, token, &p, &err), ERR_PERM);
    err_clear(&err);
    assert_int_equal(
        auth_login(f->s, "ali", "ali-password", TTL, token, &p, &err),
        ERR_PERM);
    assert_non_null(strstr(err.msg, "disabled"));
    err_clear(&err);
    /* only to whom knows the password */
    assert_int_equal(
        auth_login(f->s, "ali", "not-the-password", TTL, token, &p, &err),
        ERR_PERM);
    assert_string_equal(err.msg, "wrong name or password");
    assert_int_equal(auth_fixture_set_disabled(f->s, "ali", 0), 0);
    assert_int_equal(
        auth_login(f->s, "ali", "ali-password", TTL, token, &p, &err), 0);
    auth_principal_dispose(&p);
}

static void test_expired_session_is_refused(void **state)
{
    struct auth_fixture *f = *state;
    struct err err = ERR_INIT;
    struct principal p;
    char token[AUTH_TOKEN_LEN + 1];
    assert_int_equal(
        auth_login(f->s, "eva", "eva-password", -1, token, &p, &err), 0);
    auth_principal_dispose(&p);
    assert_int_equal(auth_session(f->s, token, &p, &err), ERR_PERM);
    assert_non_null(strstr(err.msg, "expired"));
    assert_int_equal(p.user_id, 0);
    assert_null(p.touchpoints);
    err_clear(&err);
    assert_int_equal(
        auth_login(f->s, "eva", "eva-password", 0, token, &p, &err), 0);
    auth_principal_dispose(&p);
    assert_int_equal(auth_session(f->s, token, &p, &err), ERR_PERM);
}

static void test_logout_ends_the_session(void **state)
{
    struct auth_fixture *f = *state;
    struct err err = ERR_INIT;
    struct principal p;
    struct auth_audit_log log;
    char token[AUTH_TOKEN_LEN + 1], keep[AUTH_TOKEN_LEN + 1];
    assert_int_equal(
        auth_login(f->s, "eva", "eva-password", TTL, token, &p, &err), 0);
    auth_principal_dispose(&p);
    assert_int_equal(
        auth_login(f->s, "eva", "eva-password", TTL, keep, &p, &err), 0);
    auth_principal_dispose(&p);
    assert_int_equal(auth_logout(f->s, token, &err), 0);
    assert_int_equal(auth_session(f->s, token, &p, &err), ERR_PERM);
    err_clear(&err);
    assert_int_equal(auth_session(f->s, keep, &p, &err), 0); /* the other */
    auth_principal_dispose(&p);
    assert_int_equal(auth_logout(f->s, token, &err), 0);
    assert_int_equal(auth_logout(f->s, "garbage", &err), 0);
    assert_int_equal(auth_logout(f->s, NULL, &err), 0);
    auth_fixture_audit(f->s, &log);
    assert_non_null(strstr(log.text, "eva|session.logout|user:eva\n"));
}

static void test_malformed_tokens_are_refused(void **state)
{
    struct auth_fixture *f = *state;
    struct err err = ERR_INIT;
    struct principal p;
    char token[AUTH_TOKEN_LEN + 1], bad[AUTH_TOKEN_LEN + 8];
    assert_int_equal(
        auth_login(f->s, "eva", "eva-password", TTL, token, &p, &err), 0);
    auth_principal_dispose(&p);
    const char *cases[] = {NULL, "", "short"};
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        err_clear(&err);
        assert_int_equal(auth_session(f->s, cases[i], &p, &err), ERR_PERM);
    }
    snprintf(bad, sizeof bad, "%sA", token); /* one too long */
    err_clear(&err);
    assert_int_equal(auth_session(f->s, bad, &p, &err), ERR_PERM);
    snprintf(bad, sizeof bad, "%s", token);
    bad[AUTH_TOKEN_LEN - 1] = '\0'; /* one too short */
    err_clear(&err);
    assert_int_equal(auth_session(f->s, bad, &p, &err), ERR_PERM);
    snprintf(bad, sizeof bad, "%s", token);
    bad[5] = bad[5] == 'x' ? 'y' : 'x'; /* well formed, unknown */
    err_clear(&err);
    assert_int_equal(auth_session(f->s, bad, &p, &err), ERR_PERM);
    bad[5] = '='; /* not base64url */
    err_clear(&err);
    assert_int_equal(auth_session(f->s, bad, &p, &err), ERR_PERM);
}

static void test_new_password_ends_sessions(void **state)
{
    struct auth_fixture *f = *state;
    struct err err = ERR_INIT;
    struct principal p;
    char token[AUTH_TOKEN_LEN + 1];
    assert_int_equal(
        auth_login(f->s, "ali", "ali-password", TTL, token, &p, &err), 0);
    auth_principal_dispose(&p);
    /* the fixture's helper hashes "ali-password" afresh: a new salt */
    assert_int_equal(auth_fixture_user(f->s, "ali", ROLE_ANALYST, NULL, 1), 0);
    assert_int_equal(auth_session(f->s, token, &p, &err), ERR_PERM);
}

static void test_owner_session_sees_own_touchpoints(void **state)
{
    struct auth_fixture *f = *state;
    struct err err = ERR_INIT;
    struct principal p, q;
    char token[AUTH_TOKEN_LEN + 1];
    assert_int_equal(
        auth_login(f->s, "ola", "ola-password", TTL, token, &p, &err), 0);
    assert_int_equal(p.role, ROLE_OWNER);
    assert_int_equal(p.scopes, SCOPE_READ);
    assert_int_equal(p.n_touchpoints, 2);
    assert_string_equal(p.touchpoints[0], "kontoret");
    assert_string_equal(p.touchpoints[1], "webb_sok");
    assert_int_equal(auth_session(f->s, token, &q, &err), 0);
    assert_int_equal(auth_sees_touchpoint(&q, "kontoret"), 1);
    assert_int_equal(auth_sees_touchpoint(&q, "webb_sok"), 1);
    assert_int_equal(auth_sees_touchpoint(&q, "felanmalan_app"), 0);
    assert_int_equal(auth_sees_touchpoint(&q, "kontor"), 0);
    auth_principal_dispose(&p);
    auth_principal_dispose(&q);
    assert_int_equal(
        auth_login(f->s, "ali", "ali-password", TTL, token, &p, &err), 0);
    assert_int_equal(auth_sees_touchpoint(&p, "felanmalan_app"), 1);
    assert_int_equal(p.n_touchpoints, 0);
    auth_principal_dispose(&p);
}

static void test_sessions_leave_the_data_version(void **state)
{
    struct auth_fixture *f = *state;
    struct err err = ERR_INIT;
    struct store_version before, after;
    struct principal p;
    char token[AUTH_TOKEN_LEN + 1];
    assert_int_equal(store_version(f->s, &before, &err), 0);
    assert_int_equal(
        auth_login(f->s, "eva", "eva-password", TTL, token, &p, &err), 0);
    auth_principal_dispose(&p);
    auth_login(f->s, "eva", "wrong-password", TTL, token, &p, &err);
    err_clear(&err);
    assert_int_equal(
        auth_login(f->s, "eva", "eva-password", TTL, token, &p, &err), 0);
    auth_principal_dispose(&p);
    assert_int_equal(auth_session(f->s, token, &p, &err), 0);
    auth_principal_dispose(&p);
    assert_int_equal(auth_logout(f->s, token, &err), 0);
    assert_int_equal(store_version(f->s, &after, &err), 0);
    assert_int_equal(after.data, before.data);
    assert_int_equal(after.rewrite, before.rewrite);
    assert_int_equal(after.events, before.events);
}

/* The principal carries the user's language (page_lang's second
 * choice): none until chosen, then the session's, at login and after. */
static int set_lang_cb(void *ctx, const struct user *u)
{
    struct auth_fixture *f = ctx;
    struct err err = ERR_INIT;
    struct user c = *u;
    c.lang = "en";
    return store_put_user(f->s, &c, &err);
}

static void test_principal_carries_the_users_language(void **state)
{
    struct auth_fixture *f = *state;
    struct err err = ERR_INIT;
    struct principal p, q;
    char token[AUTH_TOKEN_LEN + 1];
    assert_int_equal(
        auth_login(f->s, "ali", "ali-password", TTL, token, &p, &err), 0);
    assert_string_equal(p.lang, "");
    auth_principal_dispose(&p);
    assert_int_equal(store_get_user(f->s, "ali", set_lang_cb, f, &err), 0);
    /* the language is read again for each request's session */
    assert_int_equal(auth_session(f->s, token, &q, &err), 0);
    assert_string_equal(q.lang, "en");
    auth_principal_dispose(&q);
    assert_string_equal(q.lang, "");
    assert_int_equal(
        auth_login(f->s, "ali", "ali-password", TTL, token, &p, &err), 0);
    assert_string_equal(p.lang, "en");
    auth_principal_dispose(&p);
}

#define T(name)                                                                \
    cmocka_unit_test_setup_teardown(name, auth_fixture_setup,                  \
                                    auth_fixture_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_login_gives_a_session_and_its_principal),
        T(test_the_token_is_not_stored),
        T(test_wrong_password_and_unknown_user_look_alike),
        T(test_logins_are_audited),
        T(test_disabled_user_is_refused),
        T(test_expired_session_is_refused),
        T(test_logout_ends_the_session),
        T(test_malformed_tokens_are_refused),
        T(test_new_password_ends_sessions),
        T(test_owner_session_sees_own_touchpoints),
        T(test_sessions_leave_the_data_version),
        T(test_principal_carries_the_users_language),
    };
    return cmocka_run_group_tests_name("auth session", tests, NULL, NULL);
}
