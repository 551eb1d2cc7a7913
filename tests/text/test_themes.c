/* Tests for src/text/themes.c: the taxonomy parser (located errors,
 * limits), matching on stems, wildcards and phrases in Swedish and
 * English, and the built-in taxonomy on typical comments. Aspect
 * sentiment is tested through the pipeline in test_analyze.c. */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "text/stem.h"
#include "text/themes.h"
#include "text/tokenize.h"

struct fx {
    struct themes *def; /* the built-in taxonomy */
    struct stemmer *sv, *en;
    struct tokens tok;
    struct theme_hits hits;
};

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);
    struct err err = ERR_INIT;
    if (themes_build(&f->def, NULL, 0, NULL, 0, &err) < 0) {
        fprintf(stderr, "%s: %s\n", err.where, err.msg);
        return -1;
    }
    f->sv = stemmer_new(LANG_SV);
    f->en = stemmer_new(LANG_EN);
    tokens_init(&f->tok);
    theme_hits_init(&f->hits);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    themes_free(f->def);
    stemmer_free(f->sv);
    stemmer_free(f->en);
    tokens_dispose(&f->tok);
    theme_hits_dispose(&f->hits);
    free(f);
    return 0;
}

/* Matches text with t in language l; returns the hits. */
static const struct theme_hits *match(struct fx *f, const struct themes *t,
                                      const char *text, enum lang l)
{
    struct err err = ERR_INIT;
    assert_int_equal(tokenize_text(&f->tok, text, strlen(text), &err), 0);
    themes_match(t, &f->tok, l, l == LANG_SV ? f->sv : f->en, &f->hits);
    return &f->hits;
}

/* 1 if text mentions theme key (or a sub-theme of it) in language l. */
static int mentions(struct fx *f, const struct themes *t, const char *text,
                    enum lang l, const char *key)
{
    const struct theme_hits *h = match(f, t, text, l);
    int want = themes_find(t, key, strlen(key));
    assert_true(want >= 0);
    for (size_t i = 0; i < h->n; i++)
        for (int th = h->v[i].theme; th >= 0; th = themes_parent(t, (size_t)th))
            if (th == want)
                return 1;
    return 0;
}

static struct themes *parse(const char *tsv, struct err *err)
{
    struct themes *t = themes_new();
    if (themes_parse(t, tsv, strlen(tsv), "t.tsv", err) < 0) {
        themes_free(t);
        return NULL;
    }
    return t;
}

static void test_themes_parse_keys_labels_and_parents(void **state)
{
    (void)state;
    struct err err = ERR_INIT;
    struct themes *t = parse("# a comment\n"
                             "\n"
                             "digital\tsv\tDigitala kanaler\tapp\n"
                             "digital/login\t*\tInloggning\tbankid\n"
                             "digital/login\ten\tLogin\tlog in\r\n"
                             "price\tsv\tPris\t\n",
                             &err);
    assert_non_null(t);
    assert_int_equal(themes_count(t), 3);
    assert_string_equal(themes_key(t, 1), "digital/login");
    assert_int_equal(themes_parent(t, 1), 0);
    assert_int_equal(themes_parent(t, 0), -1);
    /* "*" gave the Swedish label to both; en's own label came later and
     * the first label wins */
    assert_string_equal(themes_label(t, 1, LANG_SV), "Inloggning");
    assert_string_equal(themes_label(t, 1, LANG_EN), "Inloggning");
    assert_string_equal(themes_label(t, 0, LANG_EN), "Digitala kanaler");
    /* app(sv) + bankid(sv,en) + log in(en) */
    assert_int_equal(themes_term_count(t), 4);
    assert_int_equal(themes_find(t, "price", 5), 2);
    assert_int_equal(themes_find(t, "nope", 4), -1);
    themes_free(t);
}

static void expect_error(const char *tsv, const char *where, const char *msg)
{
    struct err err = ERR_INIT;
    struct themes *t = parse(tsv, &err);
    assert_null(t);
    assert_int_equal(err.code, ERR_INVALID);
    if (strcmp(err.where, where) || !strstr(err.msg, msg))
        fail_msg("got %s: %s; want %s: ...%s...", err.where, err.msg, where,
                 msg);
}

static void test_themes_parse_errors_are_located(void **state)
{
    (void)state;
    expect_error("a\tsv\tA\tx\nB\tsv\tB\tx\n", "t.tsv:2:1", "theme key");
    expect_error("a\tde\tA\tx\n", "t.tsv:1:3", "language must be");
    expect_error("a/b\tsv\tAB\tx\n", "t.tsv:1:1", "define its parent");
    expect_error("a\tsv\n", "t.tsv:1:5", "expected key");
    expect_error("a\tsv\tA\tok, fo*o\n", "t.tsv:1:12", "'*' may only");
    expect_error("a\tsv\tA\tok, *\n", "t.tsv:1:12", "'*' may only");
    expect_error("a\tsv\tA\tx\ty\n", "t.tsv:1:9", "too many columns");
    expect_error("a\tsv\tA\ta b c d e f g\n", "t.tsv:1:8", "at most 6");
    expect_error("a\tsv\tA\tb\xff\n", "t.tsv:1:1", "invalid UTF-8");
    expect_error("a/b/c\tsv\tA\tx\n", "t.tsv:1:1", "theme key");
    expect_error("a\tsv\tA\thej*d\xc3\xa5\n", "t.tsv:1:8", "'*' may only");
}

static void test_themes_parse_rejects_too_large(void **state)
{
    (void)state;
    struct err err = ERR_INIT;
    struct themes *t = themes_new();
    size_t n = THEMES_MAX_INPUT + 1;
    char *big = malloc(n);
    memset(big, '#', n);
    assert_int_equal(themes_parse(t, big, n, "big.tsv", &err), ERR_INVALID);
    assert_non_null(strstr(err.msg, "too large"));
    free(big);
    themes_free(t);
}

static void test_themes_stem_matches_inflections(void **state)
{
    struct fx *f = *state;
    struct err err = ERR_INIT;
    struct themes *t = parse("fault\tsv\tFel\treparation\n"
                             "fault\ten\tFault\trepair\n",
                             &err);
    assert_non_null(t);
    assert_int_equal(match(f, t, "Reparationen tog tid.", LANG_SV)->n, 1);
    assert_int_equal(match(f, t, "Reparationerna var bra.", LANG_SV)->n, 1);
    assert_int_equal(match(f, t, "They repaired it.", LANG_EN)->n, 1);
    assert_int_equal(match(f, t, "Repairs were slow", LANG_EN)->n, 1);
    /* terms are per language */
    assert_int_equal(match(f, t, "They repaired it.", LANG_SV)->n, 0);
    assert_int_equal(match(f, t, "Reparationen", LANG_OTHER)->n, 0);
    themes_free(t);
}

static void test_themes_wildcards_and_accent_folding(void **state)
{
    struct fx *f = *state;
    struct err err = ERR_INIT;
    struct themes *t = parse("clean\tsv\tStäd\t*städning\n"
                             "laundry\tsv\tTvätt\ttvätt*\n"
                             "info\tsv\tInfo\t*forma*\n",
                             &err);
    assert_non_null(t);
    const struct theme_hits *h = match(f, t,
                                       "Trappstädningen? Nej, "
                                       "trappstädning.",
                                       LANG_SV);
    assert_int_equal(h->n, 1); /* suffix: -städning, not -städningen */
    assert_int_equal(h->v[0].first, 4);
    h = match(f, t, "TVÄTTSTUGAN är stängd, tvattmaskinen trasig", LANG_SV);
    assert_int_equal(h->n, 2); /* capitals and a missing ä */
    assert_int_equal(h->v[0].first, 0);
    assert_int_equal(h->v[1].first, 4);
    h = match(f, t, "Ingen information alls", LANG_SV);
    assert_int_equal(h->n, 1);
    assert_int_equal(h->v[0].theme, 2);
    themes_free(t);
}

static void test_themes_phrases_need_consecutive_words(void **state)
{
    struct fx *f = *state;
    struct err err = ERR_INIT;
    struct themes *t = parse("login\tsv\tLogin\tlogga in, kom inte in\n"
                             "login\ten\tLogin\tlog in\n",
                             &err);
    assert_non_null(t);
    const struct theme_hits *h = match(f, t, "Jag kan inte logga in.", LANG_SV);
    assert_int_equal(h->n, 1);
    assert_int_equal(h->v[0].first, 3);
    assert_int_equal(h->v[0].last, 4);
    /* the first word matches on its stem: loggade ~ logga */
    assert_int_equal(match(f, t, "Jag loggade in igår", LANG_SV)->n, 1);
    assert_int_equal(match(f, t, "Jag kom inte in i appen", LANG_SV)->n, 1);
    /* not consecutive, and not across a sentence */
    assert_int_equal(match(f, t, "Logga sedan in", LANG_SV)->n, 0);
    assert_int_equal(match(f, t, "Jag ska logga. In i appen", LANG_SV)->n, 0);
    /* English stems: logging ~ log */
    assert_int_equal(match(f, t, "Logging in never works", LANG_EN)->n, 1);
    themes_free(t);
}

static void test_themes_extend_and_replace_default(void **state)
{
    (void)state;
    struct err err = ERR_INIT;
    struct themes *t = NULL;
    const char *mine = "price\tsv\t\thyresavi*\n"
                       "parking\tsv\tParkering\tparkering*, garage*\n";
    assert_int_equal(themes_build(&t, mine, strlen(mine), "mine.tsv", 0, &err),
                     0);
    size_t n_default = themes_count(t) - 1;
    assert_true(n_default >= 15);
    assert_true(themes_find(t, "parking", 7) >= 0);
    /* the built-in label stays: an empty label does not replace it */
    assert_string_equal(
        themes_label(t, (size_t)themes_find(t, "price", 5), LANG_SV),
        "Pris och hyra");
    themes_free(t);
    assert_int_equal(themes_build(&t, mine, strlen(mine), "mine.tsv", 1, &err),
                     0);
    assert_int_equal(themes_count(t), 2);
    themes_free(t);
}

/* The built-in taxonomy on comments like the ones customers write. */
static void test_themes_default_swedish_examples(void **state)
{
    struct fx *f = *state;
    const struct themes *t = f->def;
    static const struct {
        const char *text, *key;
    } yes[] = {
        {"Appen loggar ut mig hela tiden, går inte att logga in.",
         "digital/login"},
        {"Appen loggar ut mig hela tiden, går inte att logga in.", "digital"},
        {"Kan inte logga in med BankID i appen", "digital/login"},
        {"Inloggningen fungerar inte sedan uppdateringen", "digital/login"},
        {"Felanmälan tog tre veckor innan någon kom och lagade diskmaskinen.",
         "fault"},
        {"Väntade i telefonkön i 40 minuter", "waiting"},
        {"Hyran höjs varje år men inget blir bättre.", "price"},
        {"För dyrt för vad man får.", "price"},
        {"Otrevligt bemötande i telefon", "staff"},
        {"Trapphuset städas nästan aldrig, det är smutsigt.", "cleanliness"},
        {"Har anmält störande grannar flera gånger", "noise"},
        {"Tvättmaskinerna är ofta trasiga i tvättstugan", "laundry"},
        {"Elementen är kalla och varmvattnet försvinner", "heating"},
        {"Nycklarna var inte klara när jag kom", "keys"},
        {"Känns otryggt i trapphuset på kvällarna", "safety"},
        {"Ingen återkoppling alls på min fråga", "information"},
        {"Öppettiderna är för korta", "availability"},
        {"Gården är i dåligt skick och sliten", "quality"},
        {"Hantverkaren kom inte på utsatt tid", "delivery"},
        {"Tvattstugan ar alltid full", "laundry"}, /* typed without å ä ö */
    };
    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++)
        if (!mentions(f, t, yes[i].text, LANG_SV, yes[i].key))
            fail_msg("\"%s\" should mention %s", yes[i].text, yes[i].key);
    static const struct {
        const char *text, *key;
    } no[] = {
        {"Lägenheten är större än jag trodde", "noise"},
        {"Bra visning, trevlig lägenhet", "digital"},
        {"Toppen", "staff"},
    };
    for (size_t i = 0; i < sizeof no / sizeof no[0]; i++)
        if (mentions(f, t, no[i].text, LANG_SV, no[i].key))
            fail_msg("\"%s\" should not mention %s", no[i].text, no[i].key);
}

static void test_themes_default_english_examples(void **state)
{
    struct fx *f = *state;
    const struct themes *t = f->def;
    static const struct {
        const char *text, *key;
    } yes[] = {
        {"The app keeps logging me out, I can't log in.", "digital/login"},
        {"Can't log in with BankID, it just spins", "digital/login"},
        {"Had to call several times about the dishwasher", "fault"},
        {"Waited 40 minutes in the phone queue.", "waiting"},
        {"Too expensive for what you get", "price"},
        {"Rude staff.", "staff"},
        {"The stairwell is rarely cleaned.", "cleanliness"},
        {"I have reported noisy neighbours several times", "noise"},
        {"The laundry booking shows times that aren't free", "laundry"},
        {"No hot water for a week", "heating"},
        {"The keys weren't ready when I came.", "keys"},
        {"It feels unsafe in the garage at night", "safety"},
        {"Never got a confirmation that the contract was signed.",
         "information"},
    };
    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++)
        if (!mentions(f, t, yes[i].text, LANG_EN, yes[i].key))
            fail_msg("\"%s\" should mention %s", yes[i].text, yes[i].key);
}

static void test_themes_hits_dedupe_one_theme_per_span(void **state)
{
    struct fx *f = *state;
    struct err err = ERR_INIT;
    /* two terms of one theme on the same word count once */
    struct themes *t = parse("login\tsv\tL\tinlogg*, inloggning, "
                             "*loggningen\n",
                             &err);
    assert_non_null(t);
    assert_int_equal(match(f, t, "Inloggningen strular", LANG_SV)->n, 1);
    themes_free(t);
}

/* The per-thread caches (stems, candidate terms) must not change what
 * matches: a warm cache gives the hits a fresh one gives, also for words
 * that share a folded form but not a stem ("kön" and "kon"). */
static void test_themes_warm_cache_matches_like_a_fresh_one(void **state)
{
    struct fx *f = *state;
    struct err err = ERR_INIT;
    struct themes *t = parse("queue\tsv\tKö\tkö\n"
                             "cow\tsv\tKo\tko\n"
                             "wait\tsv\tVänta\tvänta, väntetid*\n",
                             &err);
    static const char *const texts[] = {
        "En ko stod i vägen.", "Lång kö och vi fick vänta.",
        "Ko, kö, köer och väntetiden var lång.", "Kor i kön!",
        "Kon och kön."};
    assert_non_null(t);
    for (int round = 0; round < 3; round++)
        for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
            struct theme_hits fresh;
            const struct theme_hits *warm = match(f, t, texts[i], LANG_SV);
            theme_hits_init(&fresh);
            themes_match(t, &f->tok, LANG_SV, f->sv, &fresh);
            assert_int_equal(warm->n, fresh.n);
            for (size_t k = 0; k < fresh.n; k++) {
                assert_int_equal(warm->v[k].theme, fresh.v[k].theme);
                assert_int_equal(warm->v[k].first, fresh.v[k].first);
                assert_int_equal(warm->v[k].last, fresh.v[k].last);
            }
            theme_hits_dispose(&fresh);
        }
    assert_true(mentions(f, t, "En ko.", LANG_SV, "cow"));
    themes_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_themes_parse_keys_labels_and_parents),
        cmocka_unit_test_setup_teardown(
            test_themes_warm_cache_matches_like_a_fresh_one, setup, teardown),
        cmocka_unit_test(test_themes_parse_errors_are_located),
        cmocka_unit_test(test_themes_parse_rejects_too_large),
        cmocka_unit_test(test_themes_stem_matches_inflections),
        cmocka_unit_test(test_themes_wildcards_and_accent_folding),
        cmocka_unit_test(test_themes_phrases_need_consecutive_words),
        cmocka_unit_test(test_themes_extend_and_replace_default),
        cmocka_unit_test(test_themes_default_swedish_examples),
        cmocka_unit_test(test_themes_default_english_examples),
        cmocka_unit_test(test_themes_hits_dedupe_one_theme_per_span),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
