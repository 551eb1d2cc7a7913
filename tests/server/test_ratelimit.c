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

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_bucket)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
