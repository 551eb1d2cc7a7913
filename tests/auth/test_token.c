/* src/auth/token.c: API tokens. */
#include "harness.h"

#include "auth_test.h"

static void test_create_then_bearer(void **state)
{
    struct auth_fixture *f = *state;
    struct err err = ERR_INIT;
    struct principal p;
    char tok[AUTH_API_TOKEN_LEN + 1];
    int64_t id = 0;
    assert_int_equal(
        auth_token_create(f->s, "ali", "ci", SCOPE_READ, 0, tok, &id, &err), 0);
    assert_true(id > 0);
    assert_int_equal(strlen(tok), AUTH_API_TOKEN_LEN);
    assert_true(strncmp(tok, "rsn_", 4) == 0);
    assert_int_equal(auth_bearer(f->s, tok, &p, &err), 0);
    assert_string_equal(p.name, "ali");
    assert_int_equal(p.role, ROLE_ANALYST);
    assert_int_equal(p.scopes, SCOPE_READ);
    assert_int_equal(p.via_token, 1);
    auth_principal_dispose(&p);
    /* each token is new */
    char other[AUTH_API_TOKEN_LEN + 1];
    assert_int_equal(
        auth_token_create(f->s, "ali", "ci", SCOPE_READ, 0, other, NULL, &err),
        0);
    assert_string_not_equal(tok, other);
    /* only the hash is kept */
    assert_int_equal(auth_fixture_file_has(f->path, tok + 4), 0);
}

static void test_revoked_token_is_refused(void **state)
{
    struct auth_fixture *f = *state;
    struct err err = ERR_INIT;
    struct principal p;
    char tok[AUTH_API_TOKEN_LEN + 1];
    int64_t id = 0;
    assert_int_equal(
        auth_token_create(f->s, "eva", "etl", SCOPE_WRITE, 0, tok, &id, &err),
        0);
    assert_int_equal(auth_bearer(f->s, tok, &p, &err), 0);
    auth_principal_dispose(&p);
    assert_int_equal(store_revoke_token(f->s, id, &err), 0);
    assert_int_equal(auth_bearer(f->s, tok, &p, &err), ERR_PERM);
    assert_non_null(strstr(err.msg, "revoked"));
    assert_int_equal(p.user_id, 0);
}

static void test_expired_token_is_refused(void **state)
{
    struct auth_fixture *f = *state;
    struct err err = ERR_INIT;
    struct principal p;
    char tok[AUTH_API_TOKEN_LEN + 1], live[AUTH_API_TOKEN_LEN + 1];
    assert_int_equal(
        auth_token_create(f->s, "eva", "old", SCOPE_READ, -1, tok, NULL, &err),
        0);
    assert_int_equal(auth_bearer(f->s, tok, &p, &err), ERR_PERM);
    assert_non_null(strstr(err.msg, "expired"));
    err_clear(&err);
    assert_int_equal(auth_token_create(f->s, "eva", "day", SCOPE_READ, 86400,
                                       live, NULL, &err),
                     0);
    assert_int_equal(auth_bearer(f->s, live, &p, &err), 0);
    auth_principal_dispose(&p);
}

static void test_scopes_are_capped_by_role(void **state)
{
    struct auth_fixture *f = *state;
    struct err err = ERR_INIT;
    struct principal p;
    char tok[AUTH_API_TOKEN_LEN + 1], w[AUTH_API_TOKEN_LEN + 1];
    /* at creation: no more than the role allows */
    assert_int_equal(
        auth_token_create(f->s, "ali", "x", SCOPE_ADMIN, 0, tok, NULL, &err),
        ERR_PERM);
    assert_non_null(strstr(err.msg, "admin"));
    assert_string_equal(tok, "");
    err_clear(&err);
    assert_int_equal(auth_token_create(f->s, "ola", "x",
                                       SCOPE_READ | SCOPE_WRITE, 0, tok, NULL,
                                       &err),
                     ERR_PERM);
    err_clear(&err);
    /* later: a demoted user's token keeps only what the new role allows */
    assert_int_equal(auth_token_create(f->s, "ali", "rw",
                                       SCOPE_READ | SCOPE_WRITE, 0, tok, NULL,
                                       &err),
                     0);
    assert_int_equal(
        auth_token_create(f->s, "ali", "w", SCOPE_WRITE, 0, w, NULL, &err), 0);
    assert_int_equal(auth_bearer(f->s, tok, &p, &err), 0);
    assert_int_equal(p.scopes, SCOPE_READ | SCOPE_WRITE);
    auth_principal_dispose(&p);
    assert_int_equal(auth_fixture_set_role(f->s, "ali", ROLE_OWNER), 0);
    assert_int_equal(auth_bearer(f->s, tok, &p, &err), 0);
    assert_int_equal(p.scopes, SCOPE_READ);
    assert_int_equal(p.role, ROLE_OWNER);
    auth_principal_dispose(&p);
    assert_int_equal(auth_bearer(f->s, w, &p, &err), ERR_PERM);
}

static void test_disabled_or_unknown_user(void **state)
{
    struct auth_fixture *f = *state;
    struct err err = ERR_INIT;
    struct principal p;
    char tok[AUTH_API_TOKEN_LEN + 1], t2[AUTH_API_TOKEN_LEN + 1];
    assert_int_equal(
        auth_token_create(f->s, "nobody", "x", SCOPE_READ, 0, tok, NULL, &err),
        ERR_NOTFOUND);
    err_clear(&err);
    assert_int_equal(
        auth_token_create(f->s, "eva", "x", SCOPE_READ, 0, tok, NULL, &err), 0);
    assert_int_equal(auth_fixture_set_disabled(f->s, "eva", 1), 0);
    assert_int_equal(auth_bearer(f->s, tok, &p, &err), ERR_PERM);
    assert_non_null(strstr(err.msg, "disabled"));
    err_clear(&err);
    assert_int_equal(
        auth_token_create(f->s, "eva", "y", SCOPE_READ, 0, t2, NULL, &err),
        ERR_PERM);
    err_clear(&err);
    assert_int_equal(auth_fixture_set_disabled(f->s, "eva", 0), 0);
    assert_int_equal(auth_bearer(f->s, tok, &p, &err), 0);
    auth_principal_dispose(&p);
}

static void test_bad_arguments(void **state)
{
    struct auth_fixture *f = *state;
    struct err err = ERR_INIT;
    char tok[AUTH_API_TOKEN_LEN + 1], long_name[80];
    memset(long_name, 'n', 65);
    long_name[65] = '\0';
    const char *names[] = {NULL, "", long_name, "a\nb"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        err_clear(&err);
        assert_int_equal(auth_token_create(f->s, "eva", names[i], SCOPE_READ, 0,
                                           tok, NULL, &err),
                         ERR_INVALID);
    }
    err_clear(&err);
    assert_int_equal(auth_token_create(f->s, "eva", "x", 0, 0, tok, NULL, &err),
                     ERR_INVALID);
    err_clear(&err);
    assert_int_equal(auth_token_create(f->s, "eva", "x", 8, 0, tok, NULL, &err),
                     ERR_INVALID);
}

static void test_malformed_bearer_is_refused(void **state)
{
    struct auth_fixture *f = *state;
    struct err err = ERR_INIT;
    struct principal p;
    char tok[AUTH_API_TOKEN_LEN + 1], bad[AUTH_API_TOKEN_LEN + 8];
    assert_int_equal(
        auth_token_create(f->s, "eva", "x", SCOPE_READ, 0, tok, NULL, &err), 0);
    const char *cases[] = {NULL, "", "rsn_", tok + 4 /* no prefix */};
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        err_clear(&err);
        assert_int_equal(auth_bearer(f->s, cases[i], &p, &err), ERR_PERM);
    }
    snprintf(bad, sizeof bad, "RSN_%s", tok + 4);
    err_clear(&err);
    assert_int_equal(auth_bearer(f->s, bad, &p, &err), ERR_PERM);
    snprintf(bad, sizeof bad, "%sx", tok);
    err_clear(&err);
    assert_int_equal(auth_bearer(f->s, bad, &p, &err), ERR_PERM);
    snprintf(bad, sizeof bad, "%s", tok);
    bad[10] = bad[10] == 'q' ? 'r' : 'q';
    err_clear(&err);
    assert_int_equal(auth_bearer(f->s, bad, &p, &err), ERR_PERM);
    assert_string_equal(err.msg, "unknown API token");
    /* a session token is not an API token */
    char session[AUTH_TOKEN_LEN + 1];
    err_clear(&err);
    assert_int_equal(
        auth_login(f->s, "eva", "eva-password", 60, session, &p, &err), 0);
    auth_principal_dispose(&p);
    assert_int_equal(auth_bearer(f->s, session, &p, &err), ERR_PERM);
}

static void test_creation_is_audited(void **state)
{
    struct auth_fixture *f = *state;
    struct err err = ERR_INIT;
    struct auth_audit_log log;
    char tok[AUTH_API_TOKEN_LEN + 1], want[80];
    int64_t id = 0;
    assert_int_equal(auth_token_create(f->s, "ali", "nightly export",
                                       SCOPE_READ | SCOPE_WRITE, 0, tok, &id,
                                       &err),
                     0);
    auth_fixture_audit(f->s, &log);
    snprintf(want, sizeof want, "ali|token.create|token:%lld\n", (long long)id);
    assert_string_equal(log.text, want);
    assert_non_null(strstr(log.last_detail, "\"scopes\":\"read,write\""));
    assert_non_null(strstr(log.last_detail, "\"name\":\"nightly export\""));
    assert_null(strstr(log.last_detail, tok + 4));
    /* a refused one leaves no entry */
    auth_token_create(f->s, "ali", "x", SCOPE_ADMIN, 0, tok, NULL, &err);
    auth_fixture_audit(f->s, &log);
    assert_string_equal(log.text, want);
}

static void test_tokens_leave_the_data_version(void **state)
{
    struct auth_fixture *f = *state;
    struct err err = ERR_INIT;
    struct store_version before, after;
    struct principal p;
    char tok[AUTH_API_TOKEN_LEN + 1];
    int64_t id;
    assert_int_equal(store_version(f->s, &before, &err), 0);
    assert_int_equal(
        auth_token_create(f->s, "eva", "x", SCOPE_READ, 0, tok, &id, &err), 0);
    assert_int_equal(auth_bearer(f->s, tok, &p, &err), 0);
    auth_principal_dispose(&p);
    assert_int_equal(store_revoke_token(f->s, id, &err), 0);
    assert_int_equal(store_version(f->s, &after, &err), 0);
    assert_int_equal(after.data, before.data);
    assert_int_equal(after.rewrite, before.rewrite);
}

#define T(name)                                                                \
    cmocka_unit_test_setup_teardown(name, auth_fixture_setup,                  \
                                    auth_fixture_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_create_then_bearer),
        T(test_revoked_token_is_refused),
        T(test_expired_token_is_refused),
        T(test_scopes_are_capped_by_role),
        T(test_disabled_or_unknown_user),
        T(test_bad_arguments),
        T(test_malformed_bearer_is_refused),
        T(test_creation_is_audited),
        T(test_tokens_leave_the_data_version),
    };
    return cmocka_run_group_tests_name("auth token", tests, NULL, NULL);
}
