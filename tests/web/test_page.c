/* Tests for src/web/page.c: the frame is a well-formed document with the
 * skip link first, landmarks, the current page marked and no heading of
 * its own; text is escaped; the language is picked from the query and
 * Accept-Language; every word of the interface exists in both
 * languages. */
#include "harness.h"

#include <stdlib.h>
#include <string.h>

#include "core/strbuf.h"
#include "web/page.h"

static const struct web_nav_item nav[] = {
    {"/app", "Översikt", 0},
    {"/app/cases", "Ärenden", 1},
};

static int count(const char *s, const char *needle)
{
    int k = 0;
    for (const char *p = strstr(s, needle); p; p = strstr(p + 1, needle))
        k++;
    return k;
}

/* A whole page with the caller's h1; checked for well-formedness. */
static char *page(enum web_lang lang, const char *title, const char *user,
                  const char *csrf)
{
    struct strbuf b = STRBUF_INIT;
    assert_int_equal(web_page_begin(&b, lang, title, nav, 2, user, csrf), 0);
    strbuf_puts(&b, "<h1>Ärenden</h1>\n<p>Innehåll</p>\n");
    assert_int_equal(web_page_end(&b, lang), 0);
    int h1 = harness_markup(strbuf_str(&b), 1, "h1", NULL, NULL);
    assert_int_equal(h1, 1); /* the caller's, and no other */
    return strbuf_detach(&b, NULL);
}

/* The first element that takes focus (a, button, input, select,
 * textarea or a tabindex other than -1) in the body. */
static const char *first_focusable(const char *s)
{
    const char *body = strstr(s, "<body");
    assert_non_null(body);
    for (const char *p = strchr(body + 1, '<'); p; p = strchr(p + 1, '<')) {
        if (!strncmp(p, "<a ", 3) || !strncmp(p, "<button", 7) ||
            (!strncmp(p, "<input", 6) && !strstr(p, "type=\"hidden\"")) ||
            !strncmp(p, "<select", 7) || !strncmp(p, "<textarea", 9))
            return p;
        const char *end = strchr(p, '>');
        const char *ti = strstr(p, "tabindex=\"");
        if (ti && ti < end && strncmp(ti, "tabindex=\"-1\"", 13))
            return p;
    }
    return NULL;
}

static void test_page_frame_structure(void **state)
{
    (void)state;
    char *s = page(WEB_SV, "Ärenden", "anna", "ab12");
    assert_true(!strncmp(s, "<!DOCTYPE html>\n<html lang=\"sv\">", 32));
    assert_non_null(strstr(s, "<meta name=\"viewport\" content=\"width="
                              "device-width, initial-scale=1\" />"));
    assert_non_null(strstr(s, "<title>Ärenden – Resonans</title>"));
    assert_int_equal(count(s, "<link rel=\"stylesheet\""), 1);
    assert_non_null(strstr(s, "href=\"/assets/app.css\""));
    /* one script, deferred, of this server: pages work without it */
    assert_int_equal(count(s, "<script"), 1);
    assert_non_null(strstr(s, "<script src=\"/assets/app.js\" defer=\"\">"));
    /* the user's name leads to their account */
    assert_non_null(strstr(s, "<a href=\"/app/account\">anna</a>"));
    /* the skip link is the first thing that takes focus */
    const char *f = first_focusable(s);
    assert_non_null(f);
    assert_true(!strncmp(f,
                         "<a class=\"skip\" href=\"#main\">Hoppa till "
                         "innehållet</a>",
                         strlen("<a class=\"skip\" href=\"#main\">Hoppa "
                                "till innehållet</a>")));
    /* landmarks */
    assert_int_equal(count(s, "<header"), 1);
    assert_int_equal(count(s, "<nav "), 1);
    assert_non_null(strstr(s, "<nav class=\"main-nav\" aria-label="
                              "\"Huvudmeny\">"));
    assert_non_null(strstr(s, "<main id=\"main\" tabindex=\"-1\">"));
    assert_int_equal(count(s, "<footer"), 1);
    /* the current page, and only it */
    assert_int_equal(count(s, "aria-current=\"page\""), 1);
    assert_non_null(strstr(s, "<a href=\"/app/cases\" aria-current=\"page\">"
                              "Ärenden</a>"));
    assert_non_null(strstr(s, "<a href=\"/app\">Översikt</a>"));
    /* the language switch: both, the current one marked */
    assert_non_null(strstr(s, "href=\"?lang=sv\" lang=\"sv\" hreflang=\"sv\" "
                              "aria-current=\"true\">Svenska"));
    assert_non_null(strstr(s, "href=\"?lang=en\" lang=\"en\" hreflang=\"en\">"
                              "English"));
    /* signed in: name and a log-out form with the CSRF token */
    assert_non_null(strstr(s, "<span class=\"user-name\"><a href=\"/app/account\">anna</a></span>"));
    assert_non_null(strstr(s, "<form class=\"logout\" method=\"post\" "
                              "action=\"/app/logout\"><input type=\"hidden\" "
                              "name=\"csrf\" value=\"ab12\" />"));
    assert_non_null(strstr(s, ">Logga ut</button>"));
    /* main comes before the caller's h1, the footer after */
    assert_true(strstr(s, "<main") < strstr(s, "<h1>"));
    assert_true(strstr(s, "</main>") < strstr(s, "<footer"));
    free(s);
}

static void test_page_signed_out_and_english(void **state)
{
    (void)state;
    char *s = page(WEB_EN, "Log in", NULL, NULL);
    assert_true(!strncmp(s, "<!DOCTYPE html>\n<html lang=\"en\">", 32));
    assert_null(strstr(s, "<form"));
    assert_null(strstr(s, "csrf"));
    assert_non_null(strstr(s, ">Skip to content</a>"));
    assert_non_null(strstr(s, "aria-current=\"true\">English"));
    free(s);
    /* no nav items: no nav */
    struct strbuf b = STRBUF_INIT;
    web_page_begin(&b, WEB_EN, NULL, NULL, 0, NULL, NULL);
    web_page_end(&b, WEB_EN);
    harness_markup(strbuf_str(&b), 1, NULL, NULL, NULL);
    assert_null(strstr(strbuf_str(&b), "<nav"));
    assert_non_null(strstr(strbuf_str(&b), "<title>Resonans</title>"));
    strbuf_dispose(&b);
}

static void test_page_escapes_title_and_user(void **state)
{
    (void)state;
    char *s =
        page(WEB_SV, "<script>x</script>", "Ann \"<b>\" & co", "\"><script>");
    assert_int_equal(count(s, "<script"), 1); /* the frame's own */
    assert_null(strstr(s, "<b>"));
    assert_non_null(strstr(s, "<title>&lt;script&gt;x&lt;/script&gt; – "
                              "Resonans</title>"));
    assert_non_null(strstr(s, "Ann &quot;&lt;b&gt;&quot; &amp; co"));
    assert_non_null(strstr(s, "value=\"&quot;&gt;&lt;script&gt;\""));
    free(s);
}

static void test_page_too_large_is_an_error(void **state)
{
    (void)state;
    struct strbuf b;
    strbuf_init(&b, 100);
    assert_true(web_page_begin(&b, WEB_SV, "t", nav, 2, "u", "c") < 0);
    strbuf_dispose(&b);
}

static void test_page_language_pick(void **state)
{
    (void)state;
    /* the query wins */
    assert_int_equal(web_lang_pick("sv-SE,sv;q=0.9", "en"), WEB_EN);
    assert_int_equal(web_lang_pick("en-GB", "sv"), WEB_SV);
    assert_int_equal(web_lang_pick("en-GB", "EN"), WEB_EN);
    /* an unknown query value is ignored */
    assert_int_equal(web_lang_pick("en-US,en;q=0.9", "de"), WEB_EN);
    /* Accept-Language by q-value, ties in order */
    assert_int_equal(web_lang_pick("en-US,en;q=0.9,sv;q=0.8", NULL), WEB_EN);
    assert_int_equal(web_lang_pick("sv-SE,sv;q=0.9,en;q=0.8", NULL), WEB_SV);
    assert_int_equal(web_lang_pick("de-DE, en;q=0.5, sv;q=0.7", NULL), WEB_SV);
    assert_int_equal(web_lang_pick("sv;q=0.2, EN-gb;q=0.9", NULL), WEB_EN);
    assert_int_equal(web_lang_pick("en;q=0, sv;q=0", NULL), WEB_SV);
    assert_int_equal(web_lang_pick("en;q=0", NULL), WEB_SV);
    assert_int_equal(web_lang_pick("fr-FR,fr;q=0.9,en;q=0.1", NULL), WEB_EN);
    assert_int_equal(web_lang_pick("en ; q=0.8", NULL), WEB_EN);
    /* "se" (Northern Sami) and "sve" are not Swedish, "eng" not English */
    assert_int_equal(web_lang_pick("eng,se", NULL), WEB_SV);
    /* nothing usable: Swedish */
    assert_int_equal(web_lang_pick(NULL, NULL), WEB_SV);
    assert_int_equal(web_lang_pick("", ""), WEB_SV);
    assert_int_equal(web_lang_pick("*", NULL), WEB_SV);
    assert_int_equal(web_lang_pick(",,;q=,en;q=abc", NULL), WEB_SV);
    assert_string_equal(web_lang_code(WEB_SV), "sv");
    assert_string_equal(web_lang_code(WEB_EN), "en");
}

static void test_page_every_word_in_both_languages(void **state)
{
    (void)state;
    size_t n = 0;
    for (const char *k; (k = web_t_key(n)); n++) {
        const char *sv = web_t(WEB_SV, k), *en = web_t(WEB_EN, k);
        assert_true(sv && *sv);
        assert_true(en && *en);
        /* found, not the key handed back (one-letter "n" is both) */
        assert_true(sv != k || !strcmp(k, "n"));
        /* each key once */
        for (size_t j = 0; j < n; j++)
            if (!strcmp(web_t_key(j), k))
                fail_msg("key \"%s\" twice", k);
    }
    assert_true(n >= 30);
    /* the words the brief names */
    static const char *const needed[] = {
        "overview", "journey",       "touchpoints", "priorities", "personas",
        "stories",  "cases",         "surveys",     "admin",      "log_in",
        "log_out",  "user_name",     "password",    "period",     "segment",
        "channel",  "apply_filters", "export_csv",  "print_pdf",  "no_data",
        "n",        "ci95",          "low_n",
    };
    for (size_t i = 0; i < sizeof needed / sizeof needed[0]; i++) {
        int found = 0;
        for (size_t j = 0; web_t_key(j); j++)
            found |= !strcmp(web_t_key(j), needed[i]);
        if (!found)
            fail_msg("no word for \"%s\"", needed[i]);
    }
    assert_string_equal(web_t(WEB_SV, "log_out"), "Logga ut");
    assert_string_equal(web_t(WEB_EN, "log_out"), "Log out");
    assert_string_equal(web_t(WEB_SV, "ci95"), "95 % KI");
    /* an unknown key comes back as it is */
    assert_string_equal(web_t(WEB_EN, "no_such_key"), "no_such_key");
    assert_null(web_t_key(n));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_page_frame_structure),
        cmocka_unit_test(test_page_signed_out_and_english),
        cmocka_unit_test(test_page_escapes_title_and_user),
        cmocka_unit_test(test_page_too_large_is_an_error),
        cmocka_unit_test(test_page_language_pick),
        cmocka_unit_test(test_page_every_word_in_both_languages),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
