/* Tests for src/ingest/namefold.c: case-insensitive, normal-form-blind
 * name comparison. */
#include "harness.h"

#include <string.h>

#include "core/strbuf.h"
#include "ingest/namefold.h"

static void check_fold(const char *in, const char *want)
{
    struct strbuf b = STRBUF_INIT;
    assert_int_equal(namefold_append(&b, in, strlen(in)), 0);
    assert_string_equal(strbuf_str(&b), want);
    strbuf_dispose(&b);
}

static void test_namefold_lowers_ascii(void **state)
{
    (void)state;
    check_fold("Felanmalan_APP", "felanmalan_app");
    check_fold("", "");
}

static void test_namefold_folds_swedish_and_accents(void **state)
{
    (void)state;
    check_fold("FELANMÄLAN Åtgärd Öppen", "felanmälan åtgärd öppen");
    check_fold("Café Über", "café über");
}

static void test_namefold_composes_decomposed_letters(void **state)
{
    (void)state;
    /* "ä" as a + U+0308, as macOS writes file names and some exports */
    check_fold("Felanma\xcc\x88lan", "felanmälan");
    assert_true(namefold_equal("FELANMA\xcc\x88LAN", 12, "felanmälan",
                               strlen("felanmälan")));
}

static void test_namefold_keeps_invalid_bytes(void **state)
{
    (void)state;
    /* Latin-1 "ä" is not UTF-8: kept as it is, ASCII still lowered */
    check_fold("AB\xe4", "ab\xe4");
    assert_false(namefold_equal("a", 1, "b", 1));
    assert_false(namefold_equal("ab", 2, "a", 1));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_namefold_lowers_ascii),
        cmocka_unit_test(test_namefold_folds_swedish_and_accents),
        cmocka_unit_test(test_namefold_composes_decomposed_letters),
        cmocka_unit_test(test_namefold_keeps_invalid_bytes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
