/* Tests for src/text/stem.c. */
#include <string.h>

#include "harness.h"

#include "text/stem.h"

static void check_stem(struct stemmer *s, const char *word, const char *want)
{
    size_t n;
    const char *r = stemmer_stem(s, word, strlen(word), &n);
    if (n != strlen(want) || memcmp(r, want, n))
        fail_msg("stem(\"%s\") = \"%.*s\", want \"%s\"", word, (int)n, r, want);
}

static void test_stem_swedish_inflections_share_a_stem(void **state)
{
    (void)state;
    struct stemmer *s = stemmer_new(LANG_SV);
    assert_non_null(s);
    check_stem(s, "trevliga", "trev");
    check_stem(s, "trevligt", "trev");
    check_stem(s, "trevlig", "trev");
    check_stem(s, "leveranserna", "leverans");
    check_stem(s, "besvikelse", "besvik");
    stemmer_free(s);
}

static void test_stem_english(void **state)
{
    (void)state;
    struct stemmer *s = stemmer_new(LANG_EN);
    assert_non_null(s);
    check_stem(s, "disappointing", "disappoint");
    check_stem(s, "disappointed", "disappoint");
    check_stem(s, "recommended", "recommend");
    stemmer_free(s);
}

static void test_stem_other_language_has_no_stemmer(void **state)
{
    (void)state;
    assert_null(stemmer_new(LANG_OTHER));
    stemmer_free(NULL);
}

static void test_stem_lang_codes_round_trip(void **state)
{
    (void)state;
    enum lang l = LANG_OTHER;
    assert_int_equal(lang_parse(&l, "sv"), 0);
    assert_int_equal(l, LANG_SV);
    assert_string_equal(lang_code(l), "sv");
    assert_int_equal(lang_parse(&l, "en"), 0);
    assert_string_equal(lang_code(l), "en");
    assert_int_equal(lang_parse(&l, "other"), 0);
    assert_string_equal(lang_code(l), "other");
    assert_int_equal(lang_parse(&l, "no"), -1);
    assert_int_equal(lang_parse(&l, NULL), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stem_swedish_inflections_share_a_stem),
        cmocka_unit_test(test_stem_english),
        cmocka_unit_test(test_stem_other_language_has_no_stemmer),
        cmocka_unit_test(test_stem_lang_codes_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
