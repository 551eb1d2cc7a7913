/* Tests for src/text/stopwords.c. */
#include <string.h>

#include "harness.h"

#include "core/err.h"
#include "text/stopwords.h"

static void test_stopwords_swedish_and_english(void **state)
{
    (void)state;
    struct stopwords *sv = NULL, *en = NULL;
    struct err err = ERR_INIT;
    assert_int_equal(stopwords_new(&sv, LANG_SV, &err), 0);
    assert_int_equal(stopwords_new(&en, LANG_EN, &err), 0);
    assert_true(stopwords_has(sv, "och", 3));
    assert_true(stopwords_has(sv, "inte", 4));
    assert_false(stopwords_has(sv, "leverans", 8));
    assert_false(stopwords_has(sv, "the", 3));
    assert_true(stopwords_has(en, "the", 3));
    assert_true(stopwords_has(en, "don't", 5));
    assert_false(stopwords_has(en, "delivery", 8));
    /* lengths are honoured: "och" inside a longer buffer */
    assert_true(stopwords_has(sv, "ochs", 3));
    assert_true(stopwords_count(sv) > 100);
    assert_true(stopwords_count(en) > 100);
    stopwords_free(sv);
    stopwords_free(en);
    stopwords_free(NULL);
}

static void test_stopwords_other_language_not_found(void **state)
{
    (void)state;
    struct stopwords *sw = (struct stopwords *)&sw;
    struct err err = ERR_INIT;
    assert_int_equal(stopwords_new(&sw, LANG_OTHER, &err), ERR_NOTFOUND);
    assert_null(sw);
    assert_non_null(strstr(err.msg, "other"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stopwords_swedish_and_english),
        cmocka_unit_test(test_stopwords_other_language_not_found),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
