/* Tests for src/text/langid.c. */
#include <string.h>

#include "harness.h"

#include "core/err.h"
#include "text/langid.h"
#include "text/tokenize.h"

static struct langid *li;

static int setup(void **state)
{
    struct err err = ERR_INIT;
    (void)state;
    return langid_new(&li, &err);
}

static int teardown(void **state)
{
    (void)state;
    langid_free(li);
    return 0;
}

static struct langid_result detect(const char *s)
{
    struct tokens t = TOKENS_INIT;
    struct err err = ERR_INIT;
    struct langid_result r;
    assert_int_equal(tokenize_text(&t, s, strlen(s), &err), 0);
    langid_detect(li, &t, &r);
    tokens_dispose(&t);
    return r;
}

static void expect(const char *s, enum lang l, const char *code,
                   double min_conf)
{
    struct langid_result r = detect(s);
    if (r.lang != l || strcmp(r.code, code) || r.confidence < min_conf)
        fail_msg("\"%s\": %s (%s) %.2f, want %s (%s) >= %.2f", s,
                 lang_code(r.lang), r.code, r.confidence, lang_code(l), code,
                 min_conf);
}

static void test_langid_swedish_and_english(void **state)
{
    (void)state;
    expect("Jag är inte nöjd med leveransen, den kom för sent och ingen "
           "svarade.",
           LANG_SV, "sv", 0.9);
    expect("I am not happy with the delivery, it arrived late and nobody "
           "answered.",
           LANG_EN, "en", 0.9);
    expect("Personalen var väldigt trevlig och hjälpsam, vi kommer gärna "
           "tillbaka!",
           LANG_SV, "sv", 0.9);
}

static void test_langid_norwegian_is_not_swedish(void **state)
{
    (void)state;
    expect("Jeg er ikke fornøyd med leveransen, den kom for sent og ingen "
           "svarte.",
           LANG_OTHER, "no", 0.3);
    expect("Hva skjer med pakken min? Jeg har ventet veldig lenge nå.",
           LANG_OTHER, "no", 0.5);
    /* Norwegian and Danish are scored with the Swedish lexicon */
    assert_int_equal(detect("Jeg er ikke fornøyd med pakken min nå.").nearest,
                     LANG_SV);
}

static void test_langid_danish_is_not_swedish(void **state)
{
    (void)state;
    expect("Hvad sker der med min pakke? Jeg har ventet meget længe nu.",
           LANG_OTHER, "da", 0.5);
    expect("Jeg er ikke tilfreds med leveringen, den kom for sent og ingen "
           "svarede.",
           LANG_OTHER, "da", 0.1);
}

static void test_langid_other_languages(void **state)
{
    (void)state;
    expect("Ich bin nicht zufrieden mit der Lieferung, sie kam zu spät.",
           LANG_OTHER, "de", 0.5);
    expect("Tilaus tuli myöhässä eikä kukaan vastannut, todella huono "
           "palvelu.",
           LANG_OTHER, "fi", 0.5);
}

static void test_langid_short_texts_have_lower_confidence(void **state)
{
    (void)state;
    struct langid_result s = detect("Bra service");
    struct langid_result l =
        detect("Det var en bra service och personalen var trevlig.");
    assert_int_equal(s.lang, LANG_SV);
    assert_int_equal(l.lang, LANG_SV);
    assert_true(s.confidence < 0.6);
    assert_true(l.confidence > s.confidence);
    assert_int_equal(detect("Great service").lang, LANG_EN);
}

/* Words outside the word lists count by their spelling: letter pairs
 * anywhere in the word, its last byte included (short ASCII words are
 * read eight bytes at once, longer or non-ASCII ones byte by byte). */
static void test_langid_spelling_cues_of_unlisted_words(void **state)
{
    (void)state;
    /* "wh" at the start, w, ee, ea, oo: English */
    expect("wheel wheat whee whoo", LANG_EN, "en", 0.3);
    expect("wheelbarrows wheatfields", LANG_EN, "en", 0.1);
    /* kj: Norwegian; tj: Swedish */
    expect("kjekk kjapt kjole kjip", LANG_OTHER, "no", 0.3);
    expect("kjempesnill kjekkaste", LANG_OTHER, "no", 0.1);
    expect("tjej tjat tjock tjur", LANG_SV, "sv", 0.3);
    expect("tjejerna tjatande", LANG_SV, "sv", 0.1);
    /* the same letters apart are no pair */
    struct langid_result r = detect("tzj kzj");
    assert_int_equal(r.lang, LANG_OTHER);
    assert_string_equal(r.code, "und");
}

static void test_langid_nothing_to_go_on(void **state)
{
    (void)state;
    struct langid_result r = detect("\xf0\x9f\x98\x80 12345 !!!");
    assert_int_equal(r.lang, LANG_OTHER);
    assert_string_equal(r.code, "und");
    assert_true(r.confidence == 0);
    r = detect("");
    assert_int_equal(r.lang, LANG_OTHER);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_langid_swedish_and_english),
        cmocka_unit_test(test_langid_norwegian_is_not_swedish),
        cmocka_unit_test(test_langid_danish_is_not_swedish),
        cmocka_unit_test(test_langid_other_languages),
        cmocka_unit_test(test_langid_short_texts_have_lower_confidence),
        cmocka_unit_test(test_langid_spelling_cues_of_unlisted_words),
        cmocka_unit_test(test_langid_nothing_to_go_on),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
