/* Tests for src/text/tokenize.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "harness.h"

#include "core/err.h"
#include "text/tokenize.h"
#include "text/tokenize_int.h"

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

/* ---- the ASCII fast paths agree with the general path ---------------- */

/* Tokenises s both ways and fails on the first difference. */
static void same_both_ways(const char *s, size_t n)
{
    struct tokens a = TOKENS_INIT, b = TOKENS_INIT;
    struct err ea = ERR_INIT, eb = ERR_INIT;
    int ra = tokenize_text(&a, s, n, &ea);
    int rb = tokenize_text_general(&b, s, n, &eb);
    assert_int_equal(ra, rb);
    if (ra < 0) {
        assert_string_equal(ea.msg, eb.msg);
        goto done;
    }
    if (a.n != b.n || a.n_sentences != b.n_sentences)
        fail_msg("\"%.*s\": %zu tokens, %d sentences fast; %zu, %d general",
                 (int)n, s, a.n, a.n_sentences, b.n, b.n_sentences);
    for (size_t i = 0; i < a.n; i++) {
        const struct token *x = &a.v[i], *y = &b.v[i];
        if (x->kind != y->kind || x->flags != y->flags ||
            x->sentence != y->sentence || x->off != y->off ||
            x->raw_n != y->raw_n || x->norm_n != y->norm_n ||
            memcmp(x->norm, y->norm, x->norm_n + 1) || x->hash != y->hash)
            fail_msg("\"%.*s\": token %zu is %d/%u/%d \"%s\" fast, "
                     "%d/%u/%d \"%s\" general",
                     (int)n, s, i, x->kind, x->flags, x->sentence, x->norm,
                     y->kind, y->flags, y->sentence, y->norm);
    }
done:
    tokens_dispose(&a);
    tokens_dispose(&b);
}

static void test_tokenize_fast_path_same_as_general(void **state)
{
    (void)state;
    static const char *const texts[] = {
        "Good service, fast delivery. Will order again!",
        "VERY BAD!!! Never AGAIN?! ok... fine.",
        "Jättebra bemötande, MEN väntetiden var lång. Åäö ÅÄÖ öl",
        "Snabb leverans :) men dyrt :-( xD XD o_O ^^ <3 </3 :P",
        "3,5 av 5. Pris 1.299 kr, kl 14:30 och 3:e gången. 24h 3D x2",
        "SVT:s nyheter, bra:p ok:s och a:b c:1 e-post wi-fi don't can't",
        "quote 'me' - dash -- and 'isn't' it- -it rock'n'roll",
        "t.ex. bl.a. M.m. etc. Etc. Ny mening. ca. 3 st. o.s.v. E.g. i.e.",
        "Mejla kund.tjanst@firma.se eller a@b nu, info@x.com.",
        "Se https://example.se/a?b=1. Eller WWW.foo.com! http: www hTTp",
        "don\xe2\x80\x99t caf\xc3\xa9 na\xc3\xafve \xef\xac\x81ne "
        "la\xcc\x88get STRA\xc3\x9f\x45 \xc4\xb0stanbul",
        "Bra\xf0\x9f\x91\x8d\xf0\x9f\x8f\xbd!! \xe2\x9d\xa4\xef\xb8\x8f "
        "\xf0\x9f\x87\xb8\xf0\x9f\x87\xaa ok\xe2\x80\xa6 ja\xe2\x80\x94nej",
        "tab\tseparated\r\nlines\nand\x0b"
        "form\x0c"
        "feed \x01"
        "ctl\x7f",
        "a",
        "A.",
        "ab.",
        "abc.def",
        "x",
        "o",
        "xd",
        "o_",
        "3",
        "3.",
        "3.5",
        "abcdefgh",
        "abcdefghi",
        "ABCDEFGHIJKLMNOPQ",
        "a1b2c3d4e5f6g7h8i9",
        "word\xc3\xa5",
        "\xc3\xa5word",
        "end'",
        "end-",
        "end:",
        "12:",
        "1,",
        "1,a",
        "http",
        "www",
        "wwwx",
        "hej@",
        "@hej",
        "",
        " ",
    };
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
        same_both_ways(texts[i], strlen(texts[i]));

    /* Random strings over an alphabet of what the paths branch on. */
    static const char *const parts[] = {
        "a",
        "B",
        "ok",
        "Bra",
        "WORD",
        "x",
        "X",
        "o",
        "O",
        "h",
        "w",
        "D",
        "d",
        "_",
        "3",
        "42",
        ".",
        ",",
        ":",
        ";",
        "!",
        "?",
        "'",
        "-",
        "(",
        ")",
        "@",
        "/",
        "=",
        "<",
        "^",
        " ",
        " ",
        " ",
        "\n",
        "\t",
        "\xc3\xa5",
        "\xc3\x85",
        "\xc3\xb6",
        "\xe2\x80\x99",
        "\xf0\x9f\x98\x80",
        "\xcc\x88",
        "http://",
        "www.",
        "t.ex.",
        "etc",
        "inte",
        "not",
        "e.g",
        "\xef\xac\x81",
        "\xe2\x80\xa6",
        "\xc2\xa0",
        "%",
        "+",
        "...",
        "\xd9\xa3",
        "\xef\xbc\x93",
        "\xef\xbc\xa1"}; /* Arabic 3, fullwidth 3 A */
    struct gen g;
    gen_seed(&g, 7);
    char buf[256];
    for (int k = 0; k < 20000; k++) {
        size_t n = 0;
        int m = gen_range(&g, 1, 14);
        for (int j = 0; j < m; j++) {
            const char *p = parts[gen_range(
                &g, 0, (int)(sizeof parts / sizeof parts[0]) - 1)];
            size_t pn = strlen(p);
            if (n + pn >= sizeof buf)
                break;
            memcpy(buf + n, p, pn);
            n += pn;
        }
        /* exactly n bytes, so an over-read shows under ASan */
        char *copy = malloc(n ? n : 1);
        memcpy(copy, buf, n);
        same_both_ways(copy, n);
        free(copy);
    }
}

/* The fast path lower-cases ASCII itself; utf8proc's NFKC + case fold
 * (what the general path applies to other letters) agrees on every
 * ASCII letter and digit, and in words mixing them with å, ä, ö, é. */
static void test_tokenize_ascii_fold_same_as_utf8proc(void **state)
{
    (void)state;
    static const char *const words[] = {
        "abcdefghijklmnopqrstuvwxyz",
        "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
        "0123456789",
        "MiXeD42cAsE",
        "\xc3\x85\xc3\x84\xc3\x96\xc3\xa5\xc3\xa4"
        "\xc3\xb6",
        "V\xc3\x84NTETIDEN",
        "\xc3\x89t\xc3\xa9"};
    struct tokens t = TOKENS_INIT;
    struct err err = ERR_INIT;
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
        const char *w = words[i];
        utf8proc_uint8_t *fold = NULL;
        utf8proc_ssize_t fn = utf8proc_map(
            (const utf8proc_uint8_t *)w, (utf8proc_ssize_t)strlen(w), &fold,
            (utf8proc_option_t)(UTF8PROC_STABLE | UTF8PROC_COMPOSE |
                                UTF8PROC_COMPAT | UTF8PROC_CASEFOLD));
        assert_true(fn > 0);
        assert_int_equal(tokenize_text(&t, w, strlen(w), &err), 0);
        assert_int_equal(t.n, 1);
        assert_string_equal(t.v[0].norm, (const char *)fold);
        free(fold);
    }
    tokens_dispose(&t);
}

static void test_tokens_hash_is_the_tokens_hash(void **state)
{
    (void)state;
    struct tokens t = TOKENS_INIT;
    struct err err = ERR_INIT;
    const char *s = "a ab abc abcd Abcde abcdefgh ABCDEFGHI 123 12345678 "
                    "abcdefghijklmnopq \xc3\xa5t ok! :) "
                    "abcdefghijklmnopqrstuvwxyzabcdefghijklmnop";
    assert_int_equal(tokenize_text(&t, s, strlen(s), &err), 0);
    for (size_t i = 0; i < t.n; i++)
        assert_true(t.v[i].hash == tokens_hash(t.v[i].norm, t.v[i].norm_n));
    /* the same bytes hash alike wherever they are; others differently */
    char a[64], b[64];
    memset(a, 'q', sizeof a);
    memset(b, 'z', sizeof b);
    for (size_t n = 0; n <= 40; n++) {
        memcpy(a + 1, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMN", n);
        memcpy(b + 3, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMN", n);
        assert_true(tokens_hash(a + 1, n) == tokens_hash(b + 3, n));
        if (n)
            assert_true(tokens_hash(a + 1, n) != tokens_hash(a + 1, n - 1));
    }
    assert_true(tokens_hash("ab", 2) != tokens_hash("ba", 2));
    assert_true(tokens_hash("abcdefgh", 8) != tokens_hash("abcdefgi", 8));
    tokens_dispose(&t);
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
        cmocka_unit_test(test_tokenize_fast_path_same_as_general),
        cmocka_unit_test(test_tokenize_ascii_fold_same_as_utf8proc),
        cmocka_unit_test(test_tokens_hash_is_the_tokens_hash),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
