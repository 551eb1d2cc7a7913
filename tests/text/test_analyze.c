/* Tests for src/text/analyze.c: the comment pipeline end to end on small
 * fixtures -- personal data redacted before anything else sees the text,
 * language with the respondent's language as a fallback, sentiment, and
 * themes with the sentiment of their own clause (aspect sentiment). */
#include "harness.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "text/analyze.h"
#include "text/langid.h"
#include "text/pii.h"
#include "text/sentiment.h"
#include "text/themes.h"

struct fx {
    struct langid *li;
    struct sentiment *se;
    struct themes *th;
    struct analyzer *az;
    struct analysis an;
};

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);
    struct err err = ERR_INIT;
    analysis_init(&f->an);
    *state = f;
    if (langid_new(&f->li, &err) < 0 || sentiment_new(&f->se, &err) < 0 ||
        themes_build(&f->th, NULL, 0, NULL, 0, &err) < 0 ||
        analyzer_new(&f->az, f->li, f->se, f->th, &err) < 0) {
        fprintf(stderr, "%s: %s\n", err.where, err.msg);
        return -1;
    }
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    analysis_dispose(&f->an);
    analyzer_free(f->az);
    themes_free(f->th);
    sentiment_free(f->se);
    langid_free(f->li);
    free(f);
    return 0;
}

static const struct analysis *run(struct fx *f, const char *text,
                                  const char *hint)
{
    struct err err = ERR_INIT;
    assert_int_equal(
        analyzer_run(f->az, &f->an, text, strlen(text), hint, &err), 0);
    return &f->an;
}

/* The aspect sentiment of theme key, or 99 when it is not mentioned. */
static double theme_sentiment(struct fx *f, const char *key)
{
    int want = themes_find(f->th, key, strlen(key));
    assert_true(want >= 0);
    for (size_t i = 0; i < f->an.n_themes; i++)
        if (f->an.themes[i].theme == want)
            return f->an.themes[i].sentiment;
    return 99;
}

static void test_analyze_redacts_before_anything_else(void **state)
{
    struct fx *f = *state;
    const struct analysis *a =
        run(f,
            "Ring mig på 070-123 45 67 eller mejla anna.karlsson@gmail.com, "
            "appen är usel.",
            "sv");
    assert_null(strstr(a->text.p, "070"));
    assert_null(strstr(a->text.p, "anna.karlsson"));
    assert_non_null(strstr(a->text.p, pii_kind_placeholder(PII_PHONE)));
    assert_non_null(strstr(a->text.p, pii_kind_placeholder(PII_EMAIL)));
    assert_int_equal(a->n_redactions, 2);
    assert_int_equal(a->redactions, PII_BIT(PII_PHONE) | PII_BIT(PII_EMAIL));
    /* nor does the explanation quote it */
    assert_null(strstr(a->explanation.p, "070"));
    assert_null(strstr(a->explanation.p, "karlsson"));
    assert_non_null(strstr(a->explanation.p, "[\"phone\","));
}

static void test_analyze_placeholders_are_not_words(void **state)
{
    struct fx *f = *state;
    /* "[e-post]" must not count as a mention of e-mail (information) */
    run(f, "Kontakta mig på anna.karlsson@gmail.com", "sv");
    assert_non_null(strstr(f->an.text.p, "[e-post]"));
    assert_true(theme_sentiment(f, "information") == 99);
}

static void test_analyze_text_without_pii_is_unchanged(void **state)
{
    struct fx *f = *state;
    const char *text = "Snabb och trevlig hjälp i telefon!";
    const struct analysis *a = run(f, text, NULL);
    assert_string_equal(a->text.p, text);
    assert_int_equal(a->n_redactions, 0);
    assert_int_equal(a->redactions, 0);
}

static void test_analyze_language_and_sentiment(void **state)
{
    struct fx *f = *state;
    const struct analysis *a =
        run(f,
            "Appen loggar ut mig hela tiden, går inte att logga in. "
            "Helt värdelöst.",
            NULL);
    assert_int_equal(a->lang, LANG_SV);
    assert_true(a->lang_conf > 0.5);
    assert_true(a->score < 0);
    assert_int_equal(a->label, SENTIMENT_NEGATIVE);
    a = run(f, "The staff were really friendly and helpful, thank you!", NULL);
    assert_int_equal(a->lang, LANG_EN);
    assert_true(a->score > 0);
    assert_int_equal(a->label, SENTIMENT_POSITIVE);
    assert_true(theme_sentiment(f, "staff") > 0);
}

/* A comment confidently in a language neither lexicon reads is not
 * scored (no themes either), so it cannot pass for neutral; Norwegian is
 * read with the Swedish lexicon, and a short unsure text with the hint. */
static void test_analyze_unread_languages_are_not_scored(void **state)
{
    struct fx *f = *state;
    const struct analysis *a =
        run(f,
            "Die Reparatur hat drei Wochen gedauert und niemand hat "
            "angerufen, das ist wirklich schlecht.",
            "sv");
    assert_int_equal(a->scored, 0);
    assert_int_equal(a->n_themes, 0);
    assert_string_equal(a->code, "de");
    a = run(f,
            "Hyggelig personale, men det tok altfor lang tid før noen "
            "kom for å reparere vaskemaskinen.",
            NULL);
    assert_int_equal(a->scored, 1);
    a = run(f, "Bra jobbat, tack!", NULL);
    assert_int_equal(a->scored, 1);
    assert_true(a->score > 0);
    a = run(f, "Ok", "en");
    assert_int_equal(a->scored, 1);
}

static void test_analyze_short_text_takes_the_respondents_language(void **state)
{
    struct fx *f = *state;
    const struct analysis *a = run(f, "Ok", "en");
    assert_int_equal(a->lang, LANG_EN);
    a = run(f, "Ok", "sv");
    assert_int_equal(a->lang, LANG_SV);
}

static void test_analyze_themes_with_parent(void **state)
{
    struct fx *f = *state;
    run(f, "Kan inte logga in med BankID, det bara snurrar.", "sv");
    assert_true(theme_sentiment(f, "digital/login") < 0);
    /* the parent is mentioned through its sub-theme */
    assert_true(theme_sentiment(f, "digital") < 0);
    assert_true(theme_sentiment(f, "price") == 99);
    assert_non_null(strstr(f->an.explanation.p, "\"digital/login\""));
}

static void test_analyze_aspect_sentiment_follows_the_clause(void **state)
{
    struct fx *f = *state;
    /* one comment, two aspects with opposite signs */
    run(f,
        "Personalen var jättetrevlig, men väntetiden var alldeles för "
        "lång och helt oacceptabel.",
        "sv");
    double staff = theme_sentiment(f, "staff");
    double waiting = theme_sentiment(f, "waiting");
    assert_true(staff != 99 && waiting != 99);
    if (!(staff > 0 && waiting < 0))
        fail_msg("staff %.3f should be > 0 and waiting %.3f < 0", staff,
                 waiting);
    run(f, "Great app, but the rent is far too expensive.", "en");
    staff = theme_sentiment(f, "digital");
    double price = theme_sentiment(f, "price");
    if (!(staff > 0 && price < 0))
        fail_msg("digital %.3f should be > 0 and price %.3f < 0", staff, price);
}

/* The stored explanation is JSON: words [text, weight, rules?], the terms
 * each theme was found by, and redactions [kind, offset] when any. */
static void test_analyze_explanation_is_the_documented_json(void **state)
{
    struct fx *f = *state;
    json_error_t je;
    run(f, "Appen är inte bra, kan inte logga in. Mejla a.b@exempel.se", "sv");
    json_t *root = json_loads(f->an.explanation.p, 0, &je);
    assert_non_null(root);
    json_t *words = json_object_get(root, "words");
    assert_true(json_array_size(words) >= 1);
    json_t *w0 = json_array_get(words, 0);
    assert_true(json_is_string(json_array_get(w0, 0)));
    assert_true(json_is_number(json_array_get(w0, 1)));
    json_t *terms = json_object_get(root, "terms");
    json_t *login = json_object_get(terms, "digital/login");
    assert_string_equal(json_string_value(json_array_get(login, 0)),
                        "logga in");
    json_t *red = json_object_get(root, "redactions");
    assert_string_equal(
        json_string_value(json_array_get(json_array_get(red, 0), 0)), "email");
    size_t at =
        (size_t)json_integer_value(json_array_get(json_array_get(red, 0), 1));
    assert_memory_equal(f->an.text.p + at, "[e-post]", 8);
    json_decref(root);
}

static void test_analyze_rejects_invalid_utf8(void **state)
{
    struct fx *f = *state;
    struct err err = ERR_INIT;
    assert_int_equal(analyzer_run(f->az, &f->an, "bad \xff", 5, NULL, &err),
                     ERR_INVALID);
    assert_int_equal(f->an.text.n, 0);
}

static void test_analyze_empty_text(void **state)
{
    struct fx *f = *state;
    const struct analysis *a = run(f, "", "sv");
    assert_int_equal(a->n_themes, 0);
    assert_int_equal(a->label, SENTIMENT_NEUTRAL);
    assert_int_equal(a->text.n, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_analyze_redacts_before_anything_else),
        cmocka_unit_test(test_analyze_placeholders_are_not_words),
        cmocka_unit_test(test_analyze_text_without_pii_is_unchanged),
        cmocka_unit_test(test_analyze_language_and_sentiment),
        cmocka_unit_test(test_analyze_unread_languages_are_not_scored),
        cmocka_unit_test(
            test_analyze_short_text_takes_the_respondents_language),
        cmocka_unit_test(test_analyze_themes_with_parent),
        cmocka_unit_test(test_analyze_aspect_sentiment_follows_the_clause),
        cmocka_unit_test(test_analyze_explanation_is_the_documented_json),
        cmocka_unit_test(test_analyze_rejects_invalid_utf8),
        cmocka_unit_test(test_analyze_empty_text),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
