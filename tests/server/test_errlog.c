/* server/errlog.h: each error is one line of valid JSON with its place
 * and message, whatever the message holds. */
#include "harness.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/err.h"
#include "server/errlog.h"

static void test_json_lines(void **state)
{
    char *dir = harness_tmpdir();
    char path[600];
    struct err e = ERR_INIT;
    (void)state;
    snprintf(path, sizeof path, "%s/err.log", dir);
    fflush(stderr);
    int saved = dup(2);
    assert_non_null(freopen(path, "w", stderr));
    err_set(&e, ERR_DB, "disk \"full\"\nsecond line\t\x01");
    errlog("checkpoint", &e);
    err_clear(&e);
    err_set(&e, ERR_IO, "plain");
    errlog("survey \"x\" (not served)", &e);
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    FILE *f = fopen(path, "r");
    char line[1024];
    int n = 0;
    while (fgets(line, sizeof line, f)) {
        json_error_t je;
        json_t *v = json_loads(line, 0, &je);
        assert_non_null(v);
        assert_string_equal(json_string_value(json_object_get(v, "level")),
                            "error");
        const char *where = json_string_value(json_object_get(v, "where"));
        const char *msg = json_string_value(json_object_get(v, "message"));
        if (n == 0) {
            assert_string_equal(where, "checkpoint");
            assert_non_null(strstr(msg, "disk \"full\"\nsecond line"));
        } else {
            assert_string_equal(where, "survey \"x\" (not served)");
            assert_string_equal(msg, "plain");
        }
        assert_int_equal(strlen(json_string_value(json_object_get(v, "ts"))),
                         20);
        json_decref(v);
        n++;
    }
    fclose(f);
    assert_int_equal(n, 2);
    harness_tmpdir_free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_json_lines)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
