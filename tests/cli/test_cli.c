/* Tests for src/cli/cli.c: error messages never write a control character
 * from the data they quote, and a command that only reads never creates
 * a database where a mistyped --db points. */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cmd.h"
#include "core/err.h"
#include "store/store.h"

/* An app whose stderr (and stdout) is a memory stream. */
struct cap {
    struct app app;
    char *out, *err;
    size_t n_out, n_err;
};

static void cap_open(struct cap *c, const char *db)
{
    memset(c, 0, sizeof *c);
    c->app.db_path = db;
    c->app.out = open_memstream(&c->out, &c->n_out);
    c->app.err = open_memstream(&c->err, &c->n_err);
    assert_non_null(c->app.out);
    assert_non_null(c->app.err);
}

/* Flushes the streams so out and err can be read. */
static void cap_flush(struct cap *c)
{
    fflush(c->app.out);
    fflush(c->app.err);
}

static void cap_close(struct cap *c)
{
    fclose(c->app.out);
    fclose(c->app.err);
    store_free(c->app.store);
    free(c->out);
    free(c->err);
}

static void no_control_bytes(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if ((*p < 0x20 && *p != '\n') || *p == 0x7f)
            fail_msg("control byte 0x%02x in \"%s\"", *p, s);
}

/* An import error quotes the bad value: an OSC sequence in it would
 * retitle the terminal (and BEL ring it) if written raw. */
static void test_cli_error_shows_escapes_in_quoted_data(void **state)
{
    (void)state;
    struct cap c;
    struct err err = ERR_INIT;
    cap_open(&c, ":memory:");
    err_at(&err, ERR_INVALID, "r\x1b[31m.csv", 2, 9,
           "nps must be 0..10, got \"%s\"", "\x1b]0;title\x07\x9b");
    assert_int_equal(cli_error(&c.app, &err), EXIT_DATA);
    cap_flush(&c);
    no_control_bytes(c.err);
    assert_string_equal(c.err, "resonans: r\\x1b[31m.csv:2:9: nps must be "
                               "0..10, got \"\\x1b]0;title\\x07\\x9b\"\n");
    cap_close(&c);
}

static void test_cli_usage_error_and_say_show_escapes(void **state)
{
    (void)state;
    struct cap c;
    cap_open(&c, ":memory:");
    assert_int_equal(
        cli_usage_error(&c.app, "metrics", "unknown option '%s'", "--x\x1b[2J"),
        EXIT_USAGE);
    cli_say(c.app.out, "%s: loaded", "j\r\x1b]2;x\x07.json");
    cap_flush(&c);
    no_control_bytes(c.err);
    no_control_bytes(c.out);
    assert_string_equal(c.err, "resonans metrics: unknown option "
                               "'--x\\x1b[2J'\n(see 'resonans metrics "
                               "--help')\n");
    assert_string_equal(c.out, "j \\x1b]2;x\\x07.json: loaded\n");
    cap_close(&c);
}

/* A read command on a path with no database: "no database at PATH",
 * EXIT_NOTFOUND, and no file is left behind. */
static void test_cli_store_does_not_create_for_a_reader(void **state)
{
    (void)state;
    char *dir = harness_tmpdir();
    char path[512];
    struct cap c;
    snprintf(path, sizeof path, "%s/typo.db", dir);
    cap_open(&c, path);
    assert_null(cli_store(&c.app));
    assert_int_equal(c.app.store_exit, EXIT_NOTFOUND);
    cap_flush(&c);
    assert_non_null(strstr(c.err, "no database at "));
    assert_non_null(strstr(c.err, "typo.db"));
    assert_non_null(strstr(c.err, "resonans init"));
    assert_int_equal(access(path, F_OK), -1);
    cap_close(&c);
    /* "sqlite:PATH" names the same file */
    char uri[600];
    snprintf(uri, sizeof uri, "sqlite:%s", path);
    cap_open(&c, uri);
    assert_null(cli_store(&c.app));
    assert_int_equal(c.app.store_exit, EXIT_NOTFOUND);
    assert_int_equal(access(path, F_OK), -1);
    cap_close(&c);
    harness_tmpdir_free(dir);
}

/* A command that writes (init, import, journey load) creates it, and
 * then a reader opens it. */
static void test_cli_store_creates_for_a_writer(void **state)
{
    (void)state;
    char *dir = harness_tmpdir();
    char path[512];
    struct cap c;
    snprintf(path, sizeof path, "%s/new.db", dir);
    cap_open(&c, path);
    c.app.db_create = 1;
    assert_non_null(cli_store(&c.app));
    assert_int_equal(access(path, F_OK), 0);
    cap_close(&c);
    cap_open(&c, path);
    assert_non_null(cli_store(&c.app));
    cap_close(&c);
    /* ":memory:" is never a file */
    cap_open(&c, ":memory:");
    assert_non_null(cli_store(&c.app));
    cap_close(&c);
    harness_tmpdir_free(dir);
}

/* Through the command table: `metrics` on a missing database exits 4
 * and creates nothing; `init` creates it. */
static void test_cli_main_reader_exits_not_found(void **state)
{
    (void)state;
    char *dir = harness_tmpdir();
    char path[512], db_opt[600];
    struct cap c;
    snprintf(path, sizeof path, "%s/x.db", dir);
    snprintf(db_opt, sizeof db_opt, "--db=%s", path);
    static const char *const readers[][3] = {
        {"metrics", NULL},       {"summary", NULL},   {"verbatims", NULL},
        {"export", "responses"}, {"journey", "show"}, {"themes", "show"},
        {"events", NULL},        {"themes", NULL}};
    for (size_t i = 0; i < sizeof readers / sizeof *readers; i++) {
        char *argv[6] = {(char *)"resonans", db_opt, (char *)readers[i][0],
                         (char *)readers[i][1], NULL};
        int argc = readers[i][1] ? 4 : 3;
        cap_open(&c, NULL);
        assert_int_equal(cli_main(&c.app, argc, argv), EXIT_NOTFOUND);
        cap_flush(&c);
        assert_non_null(strstr(c.err, "no database at "));
        assert_int_equal(access(path, F_OK), -1);
        cap_close(&c);
    }
    char *argv[4] = {(char *)"resonans", db_opt, (char *)"init", NULL};
    cap_open(&c, NULL);
    assert_int_equal(cli_main(&c.app, 3, argv), EXIT_OK);
    assert_int_equal(access(path, F_OK), 0);
    cap_close(&c);
    harness_tmpdir_free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cli_error_shows_escapes_in_quoted_data),
        cmocka_unit_test(test_cli_usage_error_and_say_show_escapes),
        cmocka_unit_test(test_cli_store_does_not_create_for_a_reader),
        cmocka_unit_test(test_cli_store_creates_for_a_writer),
        cmocka_unit_test(test_cli_main_reader_exits_not_found),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
