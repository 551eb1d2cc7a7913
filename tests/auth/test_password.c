/* src/auth/password.c: Argon2id hashing and checking. */
#include "harness.h"

#include <stdlib.h>
#include <string.h>

#include "auth/auth.h"
#include "core/err.h"

static void test_hash_then_check_round_trips(void **state)
{
    char hash[128];
    struct err err = ERR_INIT;
    (void)state;
    assert_int_equal(auth_password_hash(hash, "korrekt häst", &err), 0);
    assert_true(strncmp(hash, "$argon2id$", 10) == 0);
    assert_int_equal(auth_password_check(hash, "korrekt häst"), 1);
}

static void test_wrong_password_fails(void **state)
{
    char hash[128];
    struct err err = ERR_INIT;
    (void)state;
    assert_int_equal(auth_password_hash(hash, "correct horse", &err), 0);
    assert_int_equal(auth_password_check(hash, "correct horsE"), 0);
    assert_int_equal(auth_password_check(hash, "correct hors"), 0);
    assert_int_equal(auth_password_check(hash, ""), 0);
    assert_int_equal(auth_password_check(NULL, "correct horse"), 0);
    assert_int_equal(auth_password_check(hash, NULL), 0);
    assert_int_equal(auth_password_check("not a hash", "correct horse"), 0);
}

static void test_same_password_hashes_differently(void **state)
{
    char a[128], b[128];
    struct err err = ERR_INIT;
    (void)state;
    assert_int_equal(auth_password_hash(a, "same password", &err), 0);
    assert_int_equal(auth_password_hash(b, "same password", &err), 0);
    assert_string_not_equal(a, b); /* salted */
    assert_int_equal(auth_password_check(b, "same password"), 1);
}

static void test_length_limits(void **state)
{
    char hash[128], big[1100];
    struct err err = ERR_INIT;
    (void)state;
    assert_int_equal(auth_password_hash(hash, "1234567", &err), ERR_INVALID);
    assert_non_null(strstr(err.msg, "8..1024"));
    err_clear(&err);
    assert_int_equal(auth_password_hash(hash, NULL, &err), ERR_INVALID);
    err_clear(&err);
    assert_int_equal(auth_password_hash(hash, "12345678", &err), 0);
    memset(big, 'p', 1024);
    big[1024] = '\0';
    assert_int_equal(auth_password_hash(hash, big, &err), 0);
    assert_int_equal(auth_password_check(hash, big), 1);
    big[1024] = 'p';
    big[1025] = '\0';
    assert_int_equal(auth_password_hash(hash, big, &err), ERR_INVALID);
}

/* The fast limits are for tests only: without the variable, the hash
 * carries the interactive limits (64 MiB, 2 passes). */
static void test_limits_follow_the_environment(void **state)
{
    char hash[128];
    struct err err = ERR_INIT;
    (void)state;
    assert_int_equal(auth_password_hash(hash, "eight+chars", &err), 0);
    assert_non_null(strstr(hash, "m=8,t=1"));
    unsetenv("RESONANS_PWHASH");
    assert_int_equal(auth_password_hash(hash, "eight+chars", &err), 0);
    setenv("RESONANS_PWHASH", "fast", 1);
    assert_non_null(strstr(hash, "m=65536,t=2"));
    assert_int_equal(auth_password_check(hash, "eight+chars"), 1);
}

int main(void)
{
    setenv("RESONANS_PWHASH", "fast", 1);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hash_then_check_round_trips),
        cmocka_unit_test(test_wrong_password_fails),
        cmocka_unit_test(test_same_password_hashes_differently),
        cmocka_unit_test(test_length_limits),
        cmocka_unit_test(test_limits_follow_the_environment),
    };
    return cmocka_run_group_tests_name("auth password", tests, NULL, NULL);
}
