/* server/config.h: defaults, a settings file with its errors located by
 * line, the environment, and the listen address forms. */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "server/config.h"

static void test_defaults_and_set(void **state)
{
    struct server_config c;
    struct err err = ERR_INIT;
    (void)state;
    server_config_defaults(&c);
    assert_string_equal(c.host, "127.0.0.1");
    assert_int_equal(c.port, 8080);
    assert_int_equal(server_config_set(&c, "listen", "0.0.0.0:9", "t", &err),
                     0);
    assert_string_equal(c.host, "0.0.0.0");
    assert_int_equal(c.port, 9);
    assert_int_equal(server_config_set(&c, "listen", "[::1]:8443", "t", &err),
                     0);
    assert_string_equal(c.host, "::1");
    assert_int_equal(c.port, 8443);
    assert_int_equal(server_config_set(&c, "rate", "2.5", "t", &err), 0);
    assert_true(c.rate == 2.5);
    assert_int_equal(server_config_set(&c, "secure_cookies", "on", "t", &err),
                     0);
    assert_int_equal(c.secure_cookies, 1);
    assert_int_equal(server_config_set(&c, "listen", "8080", "--listen", &err),
                     ERR_INVALID);
    assert_non_null(strstr(err.msg, "--listen"));
    err_clear(&err);
    assert_int_equal(server_config_set(&c, "threads", "many", "x", &err),
                     ERR_INVALID);
    err_clear(&err);
    assert_int_equal(server_config_set(&c, "port", "1", "x", &err),
                     ERR_INVALID); /* not a key: listen is */
    assert_non_null(strstr(err.msg, "unknown setting 'port'"));
}

/* The weekly digest's settings: Monday 07:00 and nobody by default. */
static void test_digest_settings(void **state)
{
    struct server_config c;
    struct err err = ERR_INIT;
    (void)state;
    server_config_defaults(&c);
    assert_string_equal(c.digest_to, "");
    assert_int_equal(c.digest_day, 0);
    assert_int_equal(c.digest_hour, 7);
    assert_int_equal(server_config_set(&c, "digest_to",
                                       "chef@example.se,cx@example.se", "t",
                                       &err),
                     0);
    assert_string_equal(c.digest_to, "chef@example.se,cx@example.se");
    assert_int_equal(server_config_set(&c, "digest_day", "Sun", "t", &err), 0);
    assert_int_equal(c.digest_day, 6);
    assert_int_equal(server_config_set(&c, "digest_hour", "0", "t", &err), 0);
    assert_int_equal(c.digest_hour, 0);
    static const char *const bad[][2] = {
        {"digest_to", "chef"},
        {"digest_to", "chef@example.se, cx@example.se"},
        {"digest_to", "a@b\r\nBcc: x@y"},
        {"digest_to", "@example.se"},
        {"digest_to", "a@b@c"},
        {"digest_day", "monday"},
        {"digest_hour", "24"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(server_config_set(&c, bad[i][0], bad[i][1], "t", &err),
                         ERR_INVALID);
        assert_non_null(strstr(err.msg, bad[i][0]));
        err_clear(&err);
    }
    assert_string_equal(c.digest_to, "chef@example.se,cx@example.se");
}

static void test_file(void **state)
{
    struct server_config c;
    struct err err = ERR_INIT;
    char *dir = harness_tmpdir();
    (void)state;
    const char ok[] = "# comment\n\nlisten = 127.0.0.1:0  # any port\n"
                      "batch_max=64\nbase_url = https://cx.example.se\n";
    char *p = harness_write_file(dir, "ok.conf", ok, strlen(ok));
    server_config_defaults(&c);
    assert_int_equal(server_config_file(&c, p, &err), 0);
    assert_int_equal(c.port, 0);
    assert_int_equal(c.batch_max, 64);
    assert_string_equal(c.base_url, "https://cx.example.se");
    free(p);
    const char bad[] = "listen = 127.0.0.1:1\n\nburst = 0\n";
    p = harness_write_file(dir, "bad.conf", bad, strlen(bad));
    assert_int_equal(server_config_file(&c, p, &err), ERR_INVALID);
    assert_non_null(strstr(err.msg, "bad.conf:3"));
    free(p);
    err_clear(&err);
    const char noeq[] = "listen\n";
    p = harness_write_file(dir, "noeq.conf", noeq, strlen(noeq));
    assert_int_equal(server_config_file(&c, p, &err), ERR_INVALID);
    assert_non_null(strstr(err.msg, "noeq.conf:1"));
    free(p);
    err_clear(&err);
    assert_int_equal(server_config_file(&c, "/nonexistent/x.conf", &err),
                     ERR_IO);
    harness_tmpdir_free(dir);
}

static void test_env(void **state)
{
    struct server_config c;
    struct err err = ERR_INIT;
    (void)state;
    server_config_defaults(&c);
    setenv("RESONANS_MAX_CONNECTIONS", "77", 1);
    setenv("RESONANS_PUBLIC_BODY", "4096", 1);
    assert_int_equal(server_config_env(&c, &err), 0);
    assert_int_equal(c.max_conns, 77);
    assert_int_equal(c.public_body, 4096);
    setenv("RESONANS_RATE", "-1", 1);
    assert_int_equal(server_config_env(&c, &err), ERR_INVALID);
    assert_non_null(strstr(err.msg, "RESONANS_RATE"));
    unsetenv("RESONANS_RATE");
    unsetenv("RESONANS_MAX_CONNECTIONS");
    unsetenv("RESONANS_PUBLIC_BODY");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults_and_set),
        cmocka_unit_test(test_digest_settings),
        cmocka_unit_test(test_file),
        cmocka_unit_test(test_env),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
