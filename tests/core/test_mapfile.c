/* Tests for src/core/mapfile.c: whole files as buffers. */
#include "harness.h"

#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/mapfile.h"

static void test_mapfile_maps_contents_and_empty_files(void **state)
{
    (void)state;
    char *dir = harness_tmpdir();
    char *full = harness_write_file(dir, "a.csv", "id\nr1\n", 6);
    char *empty = harness_write_file(dir, "e.csv", "", 0);
    struct mapfile m = MAPFILE_INIT;
    struct err err = ERR_INIT;
    assert_int_equal(mapfile_open(&m, full, &err), 0);
    assert_int_equal(m.n, 6);
    assert_memory_equal(m.p, "id\nr1\n", 6);
    mapfile_close(&m);
    assert_int_equal(mapfile_open(&m, empty, &err), 0);
    assert_int_equal(m.n, 0);
    assert_non_null(m.p);
    mapfile_close(&m);
    mapfile_close(&m); /* twice is harmless */
    free(full);
    free(empty);
    harness_tmpdir_free(dir);
}

static void test_mapfile_missing_file_and_directory_are_errors(void **state)
{
    (void)state;
    char *dir = harness_tmpdir();
    struct mapfile m = MAPFILE_INIT;
    struct err err = ERR_INIT;
    assert_int_equal(mapfile_open(&m, "/nonexistent/x.csv", &err), ERR_IO);
    assert_string_equal(err.msg,
                        "/nonexistent/x.csv: No such file or directory");
    err_clear(&err);
    assert_int_equal(mapfile_open(&m, dir, &err), ERR_INVALID);
    assert_non_null(strstr(err.msg, "is a directory"));
    mapfile_close(&m);
    harness_tmpdir_free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mapfile_maps_contents_and_empty_files),
        cmocka_unit_test(test_mapfile_missing_file_and_directory_are_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
