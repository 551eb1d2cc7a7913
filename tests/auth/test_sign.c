/* src/auth/sign.c: CSRF tokens and signed references. */
#include "harness.h"

#include <string.h>

#include "auth/auth.h"

static const unsigned char key1[32] = {1, 2, 3, 4, 5, 6, 7, 8};
static const unsigned char key2[32] = {1, 2, 3, 4, 5, 6, 7, 9};

static void test_csrf_token_is_hex_and_checks(void **state)
{
    char t[65];
    (void)state;
    auth_csrf_token(key1, "session-a", t);
    assert_int_equal(strlen(t), 64);
    assert_int_equal(strspn(t, "0123456789abcdef"), 64);
    assert_int_equal(auth_csrf_ok(key1, "session-a", t), 1);
}

static void test_csrf_token_differs_per_session_and_key(void **state)
{
    char a[65], b[65], c[65];
    (void)state;
    auth_csrf_token(key1, "session-a", a);
    auth_csrf_token(key1, "session-b", b);
    auth_csrf_token(key2, "session-a", c);
    assert_string_not_equal(a, b);
    assert_string_not_equal(a, c);
    assert_int_equal(auth_csrf_ok(key1, "session-b", a), 0);
    assert_int_equal(auth_csrf_ok(key2, "session-a", a), 0);
    /* the same inputs give the same token: nothing to store */
    auth_csrf_token(key1, "session-a", b);
    assert_string_equal(a, b);
}

static void test_csrf_tampered_fails(void **state)
{
    char t[65], bad[70];
    (void)state;
    auth_csrf_token(key1, "session-a", t);
    for (int i = 0; i < 64; i += 9) {
        strcpy(bad, t);
        bad[i] = bad[i] == '0' ? '1' : '0';
        assert_int_equal(auth_csrf_ok(key1, "session-a", bad), 0);
    }
    strcpy(bad, t);
    bad[63] = '\0'; /* short */
    assert_int_equal(auth_csrf_ok(key1, "session-a", bad), 0);
    strcpy(bad, t);
    strcat(bad, "0"); /* long */
    assert_int_equal(auth_csrf_ok(key1, "session-a", bad), 0);
    assert_int_equal(auth_csrf_ok(key1, "session-a", ""), 0);
    assert_int_equal(auth_csrf_ok(key1, "session-a", NULL), 0);
}

static void test_sign_and_verify(void **state)
{
    char sig[AUTH_SIG_LEN + 1];
    (void)state;
    auth_sign(key1, "customer=k-1001&survey=rep", sig);
    assert_int_equal(strlen(sig), AUTH_SIG_LEN);
    /* base64url: safe in a link as it is */
    assert_int_equal(strspn(sig, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmn"
                                 "opqrstuvwxyz0123456789-_"),
                     AUTH_SIG_LEN);
    assert_int_equal(auth_sign_ok(key1, "customer=k-1001&survey=rep", sig), 1);
}

static void test_tampered_message_or_signature_fails(void **state)
{
    char sig[AUTH_SIG_LEN + 1], bad[AUTH_SIG_LEN + 4];
    (void)state;
    auth_sign(key1, "customer=k-1001", sig);
    assert_int_equal(auth_sign_ok(key1, "customer=k-1002", sig), 0);
    assert_int_equal(auth_sign_ok(key1, "customer=k-1001 ", sig), 0);
    assert_int_equal(auth_sign_ok(key1, "", sig), 0);
    assert_int_equal(auth_sign_ok(key2, "customer=k-1001", sig), 0);
    for (int i = 0; i < AUTH_SIG_LEN; i++) {
        strcpy(bad, sig);
        bad[i] = bad[i] == 'A' ? 'B' : 'A';
        assert_int_equal(auth_sign_ok(key1, "customer=k-1001", bad), 0);
    }
    strcpy(bad, sig);
    bad[AUTH_SIG_LEN - 1] = '\0';
    assert_int_equal(auth_sign_ok(key1, "customer=k-1001", bad), 0);
    strcpy(bad, sig);
    strcat(bad, "A");
    assert_int_equal(auth_sign_ok(key1, "customer=k-1001", bad), 0);
    assert_int_equal(auth_sign_ok(key1, "customer=k-1001", NULL), 0);
}

static void test_signatures_differ_per_key_and_message(void **state)
{
    char a[AUTH_SIG_LEN + 1], b[AUTH_SIG_LEN + 1], c[AUTH_SIG_LEN + 1];
    (void)state;
    auth_sign(key1, "m", a);
    auth_sign(key2, "m", b);
    auth_sign(key1, "n", c);
    assert_string_not_equal(a, b);
    assert_string_not_equal(a, c);
    auth_sign(key1, "m", b);
    assert_string_equal(a, b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_csrf_token_is_hex_and_checks),
        cmocka_unit_test(test_csrf_token_differs_per_session_and_key),
        cmocka_unit_test(test_csrf_tampered_fails),
        cmocka_unit_test(test_sign_and_verify),
        cmocka_unit_test(test_tampered_message_or_signature_fails),
        cmocka_unit_test(test_signatures_differ_per_key_and_message),
    };
    return cmocka_run_group_tests_name("auth sign", tests, NULL, NULL);
}
