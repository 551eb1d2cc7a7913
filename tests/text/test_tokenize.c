/* Tests for src/text/tokenize.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

#include "core/err.h"
#include "text/tokenize.h"

/* Tokenises s and checks the tokens against want, a list of "K:norm"
 * entries where K is w(ord) n(umber) u(rl) e(mail) j (emoji)
 * o (emoticon) p(unct), ending in NULL. */
static void check(const char *s, const char *const *want)
{
    struct tokens t = TOKENS_INIT;
    struct err err = ERR_INIT;
    static const char kinds[] = "wnuejop";
    assert_int_equal(tokenize_text(&t, s, strlen(s), &err), 0);
    size_t i = 0;
    for (; want[i]; i++) {
        if (i >= t.n)
            fail_msg("\"%s\": only %zu tokens, want \"%s\" next", s, t.n,
                     want[i]);
        char got[256];
        snprintf(got, sizeof got, "%c:%s", kinds[t.v[i].kind], t.v[i].norm);
        if (strcmp(got, want[i]))
            fail_msg("\"%s\": token %zu is \"%s\", want \"%s\"", s, i, got,
                     want[i]);
        assert_int_equal(strlen(t.v[i].norm), t.v[i].norm_n);
        assert_ptr_equal(t.v[i].raw, s + t.v[i].off);
    }
    if (t.n != i)
        fail_msg("\"%s\": %zu tokens, want %zu (extra \"%s\")", s, t.n, i,
                 t.v[i].norm);
    tokens_dispose(&t);
}

#define CHECK(s, ...)                                                          \
    do {                                                                       \
        const char *const w_[] = {__VA_ARGS__, NULL};                          \
        check(s, w_);                                                          \
    } while (0)

static void test_tokenize_words_are_case_folded(void **state)
{
    (void)state;
    CHECK("JÄTTEBRA Service, tack", "w:jättebra", "w:service", "p:,", "w:tack");
    CHECK("ÅÄÖ ÆØ straße", "w:åäö", "w:æø", "w:strasse");
}

static void test_tokenize_nfkc_and_decomposed_letters(void **state)
{
    (void)state;
    /* "a" + combining diaeresis composes to "ä"; the fi ligature splits */
    CHECK("la\xcc\x88get \xef\xac\x81ne", "w:läget", "w:fine");
}

static void test_tokenize_internal_apostrophes_and_hyphens(void **state)
{
    (void)state;
    CHECK("don't e-post wi-fi", "w:don't", "w:e-post", "w:wi-fi");
    CHECK("don\xe2\x80\x99t", "w:don't");
    CHECK("- bra -", "p:-", "w:bra", "p:-");
    CHECK("'quoted'", "p:'", "w:quoted", "p:'");
    CHECK("SVT:s och 3:e", "w:svt:s", "w:och", "w:3:e");
}

static void test_tokenize_numbers_with_decimals(void **state)
{
    (void)state;
    CHECK("3,5 av 5. Pris 1.299 kr", "n:3,5", "w:av", "n:5", "p:.", "w:pris",
          "n:1.299", "w:kr");
    CHECK("kl 14:30, 24h", "w:kl", "n:14:30", "p:,", "w:24h");
}

static void test_tokenize_urls_and_emails(void **state)
{
    (void)state;
    CHECK("Se https://example.se/a?b=1. Eller www.foo.com!", "w:se",
          "u:https://example.se/a?b=1", "p:.", "w:eller", "u:www.foo.com",
          "p:!");
    CHECK("Mejla Kund.Tjanst@Firma.SE nu", "w:mejla", "e:kund.tjanst@firma.se",
          "w:nu");
    CHECK("a@b inte", "w:a", "p:@", "w:b", "w:inte");
}

static void test_tokenize_emoji_sequences(void **state)
{
    (void)state;
    /* thumbs up with a skin tone, a ZWJ family, a flag, red heart + VS16 */
    CHECK("Bra \xf0\x9f\x91\x8d\xf0\x9f\x8f\xbd"
          "\xf0\x9f\x91\xa8\xe2\x80\x8d\xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f"
          "\x91\xa7 \xf0\x9f\x87\xb8\xf0\x9f\x87\xaa\xe2\x9d\xa4\xef\xb8\x8f",
          "w:bra", "j:\xf0\x9f\x91\x8d",
          "j:\xf0\x9f\x91\xa8\xe2\x80\x8d\xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f"
          "\x91\xa7",
          "j:\xf0\x9f\x87\xb8\xf0\x9f\x87\xaa", "j:\xe2\x9d\xa4");
    CHECK("\xf0\x9f\x98\xa1\xf0\x9f\x98\xa1", "j:\xf0\x9f\x98\xa1",
          "j:\xf0\x9f\x98\xa1");
}

static void test_tokenize_emoticons(void **state)
{
    (void)state;
    CHECK("bra :) dåligt :-( kul :D ;) :P :/ <3 xD", "w:bra", "o::)",
          "w:dåligt", "o::(", "w:kul", "o::D", "o:;)", "o::P", "o::/", "o:<3",
          "o:xD");
    CHECK("bra:))) ok", "w:bra", "o::)", "w:ok");
    /* not emoticons: a time, a word with x, a URL scheme */
    CHECK("kl 10:30 box", "w:kl", "n:10:30", "w:box");
    CHECK("(se nedan)", "p:(", "w:se", "w:nedan", "p:)");
}

static void test_tokenize_punctuation_one_per_mark(void **state)
{
    (void)state;
    CHECK("Nej!!! Va?", "w:nej", "p:!", "p:!", "p:!", "w:va", "p:?");
}

static void test_tokenize_sentences(void **state)
{
    (void)state;
    struct tokens t = TOKENS_INIT;
    struct err err = ERR_INIT;
    const char *s = "Bra, t.ex. maten och bl.a. 3,5 kg. Dålig service!! "
                    "Men ok\nNy rad";
    assert_int_equal(tokenize_text(&t, s, strlen(s), &err), 0);
    assert_int_equal(t.n_sentences, 4);
    for (size_t i = 0; i < t.n; i++) {
        int want = 0;
        if (t.v[i].off >= (size_t)(strstr(s, "Dålig") - s))
            want = 1;
        if (t.v[i].off >= (size_t)(strstr(s, "Men") - s))
            want = 2;
        if (t.v[i].off >= (size_t)(strstr(s, "Ny") - s))
            want = 3;
        assert_int_equal(t.v[i].sentence, want);
    }
    assert_string_equal(t.v[2].norm, "t.ex.");
    tokens_dispose(&t);
}

static void test_tokenize_flags(void **state)
{
    (void)state;
    struct tokens t = TOKENS_INIT;
    struct err err = ERR_INIT;
    const char *s = "HELT SUPERBRA Service a OK Ö";
    assert_int_equal(tokenize_text(&t, s, strlen(s), &err), 0);
    assert_int_equal(t.n, 6);
    assert_true(t.v[0].flags & TOKF_ALLCAPS);
    assert_true(t.v[1].flags & TOKF_ALLCAPS);
    assert_int_equal(t.v[2].flags, TOKF_CAPITALISED);
    assert_int_equal(t.v[3].flags, 0);
    assert_true(t.v[4].flags & TOKF_ALLCAPS);
    assert_int_equal(t.v[5].flags, TOKF_CAPITALISED); /* one letter */
    tokens_dispose(&t);
}

static void test_tokenize_invalid_utf8_rejected(void **state)
{
    (void)state;
    struct tokens t = TOKENS_INIT;
    static const char *const bad[] = {"ok \xff",          "\xc3",
                                      "\xc0\xaf",         "\xed\xa0\x80",
                                      "\xf4\x90\x80\x80", "abc \xe2\x82"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct err err = ERR_INIT;
        assert_int_equal(tokenize_text(&t, bad[i], strlen(bad[i]), &err),
                         ERR_INVALID);
        assert_non_null(strstr(err.msg, "invalid UTF-8"));
        assert_int_equal(t.n, 0);
    }
    struct err err = ERR_INIT;
    assert_int_equal(tokenize_text(&t, "ok \xff", 4, &err), ERR_INVALID);
    assert_non_null(strstr(err.msg, "byte 3"));
    tokens_dispose(&t);
}

static void test_tokenize_too_large_rejected(void **state)
{
    (void)state;
    struct tokens t = TOKENS_INIT;
    struct err err = ERR_INIT;
    size_t n = TOKENIZE_MAX_INPUT + 1;
    char *s = malloc(n);
    memset(s, 'a', n);
    assert_int_equal(tokenize_text(&t, s, n, &err), ERR_INVALID);
    assert_non_null(strstr(err.msg, "too large"));
    free(s);
    tokens_dispose(&t);
}

static void test_tokenize_reuse_and_empty(void **state)
{
    (void)state;
    struct tokens t = TOKENS_INIT;
    struct err err = ERR_INIT;
    assert_int_equal(tokenize_text(&t, "a b c", 5, &err), 0);
    assert_int_equal(t.n, 3);
    assert_int_equal(tokenize_text(&t, "", 0, &err), 0);
    assert_int_equal(t.n, 0);
    assert_int_equal(t.n_sentences, 0);
    assert_int_equal(tokenize_text(&t, "  \n\n ", 5, &err), 0);
    assert_int_equal(t.n, 0);
    /* not NUL-terminated: only n bytes are read */
    assert_int_equal(tokenize_text(&t, "hej då", 3, &err), 0);
    assert_int_equal(t.n, 1);
    assert_string_equal(t.v[0].norm, "hej");
    tokens_dispose(&t);
    tokens_dispose(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tokenize_words_are_case_folded),
        cmocka_unit_test(test_tokenize_nfkc_and_decomposed_letters),
        cmocka_unit_test(test_tokenize_internal_apostrophes_and_hyphens),
        cmocka_unit_test(test_tokenize_numbers_with_decimals),
        cmocka_unit_test(test_tokenize_urls_and_emails),
        cmocka_unit_test(test_tokenize_emoji_sequences),
        cmocka_unit_test(test_tokenize_emoticons),
        cmocka_unit_test(test_tokenize_punctuation_one_per_mark),
        cmocka_unit_test(test_tokenize_sentences),
        cmocka_unit_test(test_tokenize_flags),
        cmocka_unit_test(test_tokenize_invalid_utf8_rejected),
        cmocka_unit_test(test_tokenize_too_large_rejected),
        cmocka_unit_test(test_tokenize_reuse_and_empty),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
