/* server/ratelimit.h: a burst, then the rate; addresses apart. */
#include "harness.h"

#include "server/ratelimit.h"

static void test_bucket(void **state)
{
    (void)state;
    struct ratelimit *rl = ratelimit_new(2, 3); /* 2 a second, burst 3 */
    int ok = 0;
    for (int i = 0; i < 10; i++)
        ok += ratelimit_take(rl, "10.0.0.1", 100.0);
    assert_int_equal(ok, 3); /* the burst, at one instant */
    assert_int_equal(ratelimit_take(rl, "10.0.0.2", 100.0), 1);
    assert_int_equal(ratelimit_take(rl, "10.0.0.1", 100.4), 0); /* 0.8 */
    assert_int_equal(ratelimit_take(rl, "10.0.0.1", 100.5), 1); /* 1.0 */
    assert_int_equal(ratelimit_take(rl, "10.0.0.1", 100.5), 0);
    /* a long pause refills to the burst, no more */
    ok = 0;
    for (int i = 0; i < 10; i++)
        ok += ratelimit_take(rl, "10.0.0.1", 1000.0);
    assert_int_equal(ok, 3);
    ratelimit_free(rl);
    rl = ratelimit_new(0, 1); /* no limit */
    for (int i = 0; i < 1000; i++)
        assert_int_equal(ratelimit_take(rl, "x", 1.0), 1);
    ratelimit_free(rl);
}

/* Sign-ins: 10 failures a minute per address and per name, then every
 * try waits (the right password too) until the window that began with
 * the first failure ends; other addresses and names are not held up. */
static void test_login_failures(void **state)
{
    (void)state;
    struct ratelimit *rl = ratelimit_new(0, 1); /* no survey limit */
    for (int i = 0; i < 10; i++) {
        assert_int_equal(ratelimit_login_wait(rl, "10.0.0.1", "eva", 100 + i),
                         0);
        ratelimit_login_failed(rl, "10.0.0.1", "eva", 100 + i);
    }
    /* the 11th: 60 s after the first failure at 100 */
    assert_int_equal(ratelimit_login_wait(rl, "10.0.0.1", "eva", 110), 50);
    assert_int_equal(ratelimit_login_wait(rl, "10.0.0.1", "eva", 159.5), 1);
    /* the address is held for any name, the name from any address */
    assert_int_equal(ratelimit_login_wait(rl, "10.0.0.1", "ali", 110), 50);
    assert_int_equal(ratelimit_login_wait(rl, "10.0.0.1", NULL, 110), 50);
    assert_int_equal(ratelimit_login_wait(rl, "10.0.0.2", "eva", 110), 50);
    assert_int_equal(ratelimit_login_wait(rl, "10.0.0.2", "ali", 110), 0);
    /* the window over, the count starts again */
    assert_int_equal(ratelimit_login_wait(rl, "10.0.0.1", "eva", 160), 0);
    for (int i = 0; i < 9; i++)
        ratelimit_login_failed(rl, "10.0.0.1", "eva", 160);
    assert_int_equal(ratelimit_login_wait(rl, "10.0.0.1", "eva", 161), 0);
    ratelimit_login_failed(rl, "10.0.0.1", "eva", 161);
    assert_int_equal(ratelimit_login_wait(rl, "10.0.0.1", "eva", 161), 59);
    /* the rule can be set; 0 is no limit */
    ratelimit_login_rule(rl, 2, 10);
    ratelimit_login_failed(rl, "10.0.0.9", NULL, 1);
    assert_int_equal(ratelimit_login_wait(rl, "10.0.0.9", NULL, 1), 0);
    ratelimit_login_failed(rl, "10.0.0.9", NULL, 2);
    assert_int_equal(ratelimit_login_wait(rl, "10.0.0.9", NULL, 2.5), 9);
    ratelimit_login_rule(rl, 0, 10);
    assert_int_equal(ratelimit_login_wait(rl, "10.0.0.9", NULL, 2.5), 0);
    /* survey buckets are apart from sign-ins */
    assert_int_equal(ratelimit_take(rl, "10.0.0.1", 110), 1);
    ratelimit_free(rl);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_bucket),
                                       cmocka_unit_test(test_login_failures)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
