/* Tests for src/survey/survey_page.c: the survey page and the thank-you
 * page are well-formed HTML whose every control is labelled, with unique
 * ids, the follow-up conditions in words, and carried fields escaped. */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/strbuf.h"
#include "http/form.h"
#include "survey/survey.h"

static struct survey_def *repair;

static int setup(void **state)
{
    (void)state;
    char *path = harness_fixture("../../data/surveys/repair.json");
    FILE *f = fopen(path, "rb");
    struct err err = ERR_INIT;
    char buf[32768];
    size_t n;
    free(path);
    if (!f)
        return -1;
    n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    return survey_def_parse(&repair, buf, n, &err);
}

static int teardown(void **state)
{
    (void)state;
    survey_def_free(repair);
    return 0;
}

/* A start tag with its attributes, as the checks below need them. */
#define MAX_TAGS 2000
struct tag {
    char name[16];
    char id[96], type[16], forr[96], name_attr[96], describedby[200];
    int invalid, hidden, checked;
};

struct page {
    struct tag t[MAX_TAGS];
    int n;
};

static void attr(const char *p, size_t n, char *out, size_t cap)
{
    if (n >= cap)
        fail_msg("attribute too long for the test: %.*s", (int)n, p);
    memcpy(out, p, n);
    out[n] = 0;
}

/* Reads the start tags of a document harness_markup accepted. */
static void scan(struct page *pg, const char *doc)
{
    pg->n = 0;
    for (const char *p = strchr(doc, '<'); p; p = strchr(p + 1, '<')) {
        if (p[1] == '/' || p[1] == '!')
            continue;
        assert_true(pg->n < MAX_TAGS);
        struct tag *t = &pg->t[pg->n++];
        memset(t, 0, sizeof *t);
        size_t n = strcspn(p + 1, " />\n");
        attr(p + 1, n, t->name, sizeof t->name);
        const char *q = p + 1 + n;
        while (*q && *q != '>') {
            while (*q == ' ' || *q == '\n' || *q == '/')
                q++;
            if (*q == '>' || !*q)
                break;
            size_t an = strcspn(q, "=");
            const char *v = q + an + 2;
            size_t vn = strcspn(v, "\"");
            if (an == 2 && !strncmp(q, "id", 2))
                attr(v, vn, t->id, sizeof t->id);
            else if (an == 4 && !strncmp(q, "type", 4))
                attr(v, vn, t->type, sizeof t->type);
            else if (an == 3 && !strncmp(q, "for", 3))
                attr(v, vn, t->forr, sizeof t->forr);
            else if (an == 4 && !strncmp(q, "name", 4))
                attr(v, vn, t->name_attr, sizeof t->name_attr);
            else if (an == 16 && !strncmp(q, "aria-describedby", 16))
                attr(v, vn, t->describedby, sizeof t->describedby);
            else if (an == 12 && !strncmp(q, "aria-invalid", 12))
                t->invalid = 1;
            else if (an == 6 && !strncmp(q, "hidden", 6))
                t->hidden = 1;
            else if (an == 7 && !strncmp(q, "checked", 7))
                t->checked = 1;
            q = v + vn + 1;
        }
    }
}

static const struct tag *by_id(const struct page *pg, const char *id)
{
    for (int i = 0; i < pg->n; i++)
        if (!strcmp(pg->t[i].id, id))
            return &pg->t[i];
    return NULL;
}

static int count(const struct page *pg, const char *name)
{
    int k = 0;
    for (int i = 0; i < pg->n; i++)
        k += !strcmp(pg->t[i].name, name);
    return k;
}

/* Ids unique, every control labelled by a <label for>, every described
 * by id present, and one each of html, main, h1 and form. Returns the
 * number of labelled controls. */
static int check_page(struct page *pg, const char *doc)
{
    int controls = 0;
    harness_markup(doc, 1, NULL, NULL, NULL);
    scan(pg, doc);
    for (int i = 0; i < pg->n; i++) {
        const struct tag *t = &pg->t[i];
        if (t->id[0])
            for (int j = i + 1; j < pg->n; j++)
                if (!strcmp(t->id, pg->t[j].id))
                    fail_msg("id \"%s\" used twice", t->id);
        if (!strcmp(t->name, "label")) {
            if (!t->forr[0] || !by_id(pg, t->forr))
                fail_msg("label for \"%s\" names no element", t->forr);
        }
        if ((!strcmp(t->name, "input") && strcmp(t->type, "hidden")) ||
            !strcmp(t->name, "textarea") || !strcmp(t->name, "select")) {
            int labelled = 0;
            for (int j = 0; j < pg->n && !labelled; j++)
                labelled = !strcmp(pg->t[j].name, "label") &&
                           !strcmp(pg->t[j].forr, t->id);
            if (!t->id[0] || !labelled)
                fail_msg("<%s name=\"%s\"> has no label", t->name,
                         t->name_attr);
            controls++;
        }
        char ids[200];
        snprintf(ids, sizeof ids, "%s", t->describedby);
        for (char *s = strtok(ids, " "); s; s = strtok(NULL, " "))
            if (!by_id(pg, s))
                fail_msg("aria-describedby \"%s\" names no element", s);
    }
    assert_int_equal(count(pg, "html"), 1);
    assert_int_equal(count(pg, "main"), 1);
    assert_int_equal(count(pg, "h1"), 1);
    return controls;
}

static char *render(const struct survey_page *p)
{
    struct strbuf b = STRBUF_INIT;
    struct err err = ERR_INIT;
    strbuf_puts(&b, "");
    if (survey_render_page(&b, repair, p, &err) < 0)
        fail_msg("%s", err.msg);
    return strbuf_detach(&b, NULL);
}

static struct page pg;

static void must_have(const char *doc, const char *s)
{
    if (!strstr(doc, s))
        fail_msg("page lacks %s", s);
}

static void must_lack(const char *doc, const char *s)
{
    if (strstr(doc, s))
        fail_msg("page has %s", s);
}

static void check_language(const char *lang, const char *const *words)
{
    struct survey_page p = {
        .lang = lang, .action = "/s/repair", .asset_base = "/assets/"};
    char *doc = render(&p);
    /* 11 + 5 + 7 * 2 + 4 + 5 radios, 3 texts, story title, 3 triad
     * numbers, the dyad and the consent */
    assert_int_equal(check_page(&pg, doc),
                     11 + 5 + 14 + 4 + 5 + 3 + 1 + 3 + 1 + 1);
    assert_int_equal(count(&pg, "form"), 1);
    assert_int_equal(count(&pg, "fieldset"), 1 + 1 + 3 + 1 + 1 + 1 + 1);
    assert_int_equal(count(&pg, "legend"), count(&pg, "fieldset"));
    for (; *words; words++)
        must_have(doc, *words);
    must_have(doc, "<form method=\"post\"");
    must_have(doc, "name=\"viewport\"");
    must_have(doc, "<link rel=\"stylesheet\" href=\"/assets/survey.css\"");
    must_have(doc, "<script src=\"/assets/survey.js\" defer=\"defer\">"
                   "</script>");
    /* nothing from elsewhere, no inline styles or scripts */
    must_lack(doc, "http");
    must_lack(doc, "style=");
    must_lack(doc, "<script>");
    must_lack(doc, " onclick=");
    must_lack(doc, " onchange=");
    must_lack(doc, " oninput=");
    /* follow-ups carry their conditions for survey.js */
    must_have(doc, "id=\"q-why\" data-key=\"why\" data-type=\"text\" "
                   "data-when=\"nps\" data-max=\"6\"");
    must_have(doc, "data-when=\"contact_channel\" data-is=\"phone\"");
    must_have(doc, "hidden=\"hidden\" data-when=\"nps\" data-min=\"9\">");
    /* the NPS end labels describe the first and last radio */
    const struct tag *zero = by_id(&pg, "f-nps-0");
    assert_non_null(zero);
    assert_string_equal(zero->type, "radio");
    assert_string_equal(zero->name_attr, "nps");
    assert_string_equal(zero->describedby, "l-nps");
    assert_string_equal(by_id(&pg, "f-nps-10")->describedby, "r-nps");
    assert_string_equal(by_id(&pg, "f-quality-perceive-7")->name_attr,
                        "quality.perceive");
    assert_string_equal(by_id(&pg, "f-felt-2")->name_attr, "felt.2");
    assert_string_equal(by_id(&pg, "f-felt-2")->type, "number");
    assert_string_equal(by_id(&pg, "f-pace")->type, "range");
    assert_string_equal(by_id(&pg, "f-pace")->describedby, "l-pace r-pace");
    assert_string_equal(by_id(&pg, "f-story-title")->name_attr, "story.title");
    assert_string_equal(by_id(&pg, "f-contact")->type, "checkbox");
    assert_null(by_id(&pg, "error-summary"));
    /* a slider nobody set is marked so survey.js can leave it out */
    must_have(doc, "value=\"50\" data-untouched=\"");
    free(doc);
}

static void test_survey_page_english(void **state)
{
    (void)state;
    static const char *const words[] = {
        "<html lang=\"en\">",
        "<title>After the repair</title>",
        "<h1>After the repair</h1>",
        "Not at all likely",
        "Extremely likely",
        "<span class=\"q-cond\">If you answered 0–6:</span>",
        "<span class=\"q-cond\">If you answered “By phone”:</span>",
        "What should we do better?", /* the base prompt of a variant */
        "What did we do well?",
        "What you expected",
        "(required)",
        ">Send</button>",
        NULL};
    check_language("en", words);
}

static void test_survey_page_swedish(void **state)
{
    (void)state;
    static const char *const words[] = {
        "<html lang=\"sv\">",
        "<h1>Efter reparationen</h1>",
        "Inte alls troligt",
        "Mycket troligt",
        "<span class=\"q-cond\">Om du svarade 0–6:</span>",
        "<span class=\"q-cond\">Om du svarade ”Per telefon”:</span>",
        "Vad kan vi göra bättre?",
        "Alldeles för stressigt",
        "(obligatorisk)",
        ">Skicka</button>",
        NULL};
    check_language("sv", words);
}

static void test_survey_page_hidden_fields_escaped(void **state)
{
    (void)state;
    struct form hidden = FORM_INIT;
    form_add(&hidden, "tp", "<\"&'>");
    form_add(&hidden, "csrf", "a b");
    struct survey_page p = {.lang = "en",
                            .action = "/s/repair?a=1&b=\"<x>\"",
                            .hidden = &hidden,
                            .touchpoint_name = "Kista <office>",
                            .asset_base = "/a/"};
    char *doc = render(&p);
    check_page(&pg, doc);
    must_have(doc, "<input type=\"hidden\" name=\"tp\" "
                   "value=\"&lt;&quot;&amp;&#39;&gt;\" />");
    must_have(doc, "<input type=\"hidden\" name=\"csrf\" value=\"a b\" />");
    must_have(doc, "action=\"/s/repair?a=1&amp;b=&quot;&lt;x&gt;&quot;\"");
    must_have(doc, "<p class=\"touchpoint\">Kista &lt;office&gt;</p>");
    must_have(doc, "href=\"/a/survey.css\"");
    must_lack(doc, "<\"&'>");
    /* the hidden fields come first in the form, before any question */
    assert_true(strstr(doc, "name=\"csrf\"") < strstr(doc, "id=\"q-nps\""));
    free(doc);
    form_dispose(&hidden);
}

static void test_survey_page_error_and_values(void **state)
{
    (void)state;
    struct form values = FORM_INIT;
    struct err err = ERR_INIT;
    const char *body = "nps=4&comment=%3Cb%3Ebad%3C%2Fb%3E&speed=9"
                       "&felt.1=20&pace=12&contact=yes&contact_channel=web"
                       "&quality.perceive=2";
    assert_int_equal(form_parse(&values, body, strlen(body), &err), 0);
    struct survey_page p = {.lang = "en",
                            .action = "/s/repair",
                            .values = &values,
                            .error_field = "speed",
                            .error_msg = "Please choose a value <1-5>.",
                            .asset_base = "/assets/"};
    char *doc = render(&p);
    check_page(&pg, doc);
    must_have(doc, "<title>Error: After the repair</title>");
    must_have(doc, "role=\"alert\"");
    must_have(doc, "<a href=\"#f-speed-1\">");
    must_have(doc, "Please choose a value &lt;1-5&gt;.");
    assert_non_null(by_id(&pg, "error-summary"));
    assert_non_null(by_id(&pg, "e-speed"));
    for (int v = 1; v <= 5; v++) {
        char id[32];
        snprintf(id, sizeof id, "f-speed-%d", v);
        const struct tag *t = by_id(&pg, id);
        assert_true(t->invalid);
        assert_non_null(strstr(t->describedby, "e-speed"));
    }
    assert_false(by_id(&pg, "f-nps-3")->invalid);
    /* the error summary comes before the form */
    assert_true(strstr(doc, "error-summary") < strstr(doc, "<form"));
    /* values filled in again */
    assert_true(by_id(&pg, "f-nps-4")->checked);
    assert_false(by_id(&pg, "f-nps-5")->checked);
    assert_true(by_id(&pg, "f-contact_channel-web")->checked);
    assert_true(by_id(&pg, "f-quality-perceive-2")->checked);
    assert_false(by_id(&pg, "f-quality-expect-2")->checked);
    assert_true(by_id(&pg, "f-contact")->checked);
    must_have(doc, ">&lt;b&gt;bad&lt;/b&gt;</textarea>");
    must_have(doc, "name=\"felt.1\" min=\"0\" max=\"100\"");
    must_have(doc, "value=\"20\"");
    must_have(doc, "name=\"pace\" min=\"0\" max=\"100\" step=\"1\" "
                   "value=\"12\" aria-describedby");
    must_lack(doc, "data-untouched");
    free(doc);
    form_dispose(&values);
}

static void test_survey_page_error_without_field(void **state)
{
    (void)state;
    struct survey_page p = {.lang = "sv",
                            .action = "/s/repair",
                            .error_msg = "Försök igen.",
                            .asset_base = "/assets/"};
    char *doc = render(&p);
    check_page(&pg, doc);
    must_have(doc, "<title>Fel: Efter reparationen</title>");
    must_have(doc, "<li>Försök igen.</li>");
    for (int i = 0; i < pg.n; i++)
        assert_false(pg.t[i].invalid);
    free(doc);
}

static void test_survey_page_too_large(void **state)
{
    (void)state;
    struct strbuf b;
    struct err err = ERR_INIT;
    struct survey_page p = {.lang = "en", .action = "/", .asset_base = "/"};
    strbuf_init(&b, 4096);
    strbuf_puts(&b, "kept");
    assert_int_equal(survey_render_page(&b, repair, &p, &err), ERR_INVALID);
    assert_string_equal(strbuf_str(&b), "kept");
    strbuf_dispose(&b);
}

static void test_survey_page_thanks(void **state)
{
    (void)state;
    struct strbuf b = STRBUF_INIT;
    struct err err = ERR_INIT;
    assert_int_equal(survey_render_thanks(&b, repair, "en", "/assets/", &err),
                     0);
    check_page(&pg, b.p);
    must_have(b.p, "<html lang=\"en\">");
    must_have(b.p, "<h1>Thank you for answering!</h1>");
    must_lack(b.p, "<form");
    strbuf_reset(&b);
    assert_int_equal(survey_render_thanks(&b, repair, "xx", "/assets/", &err),
                     0);
    must_have(b.p, "<h1>Tack för att du svarade!</h1>");
    strbuf_dispose(&b);
    /* a survey without its own thanks gets the default */
    struct survey_def *d = NULL;
    const char *s = "{\"key\": \"s\", \"name\": {\"en\": \"S\"}, "
                    "\"languages\": [\"en\"], \"questions\": [{\"key\": "
                    "\"c\", \"type\": \"csat\", \"prompt\": {\"en\": "
                    "\"C?\"}}]}";
    assert_int_equal(survey_def_parse(&d, s, strlen(s), &err), 0);
    assert_int_equal(survey_render_thanks(&b, d, "sv", "/assets/", &err), 0);
    must_have(b.p, "<html lang=\"en\">");
    must_have(b.p, "Thank you for your answers!");
    strbuf_reset(&b);
    struct survey_page p = {.lang = "sv", .action = "/", .asset_base = "/"};
    assert_int_equal(survey_render_page(&b, d, &p, &err), 0);
    assert_int_equal(check_page(&pg, b.p), 5);
    must_have(b.p, "Very dissatisfied");
    strbuf_dispose(&b);
    survey_def_free(d);
}

static void test_survey_page_employee_example(void **state)
{
    (void)state;
    char *path = harness_fixture("../../data/surveys/observation.json");
    FILE *f = fopen(path, "rb");
    char buf[16384];
    assert_non_null(f);
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    free(path);
    struct survey_def *d = NULL;
    struct err err = ERR_INIT;
    assert_int_equal(survey_def_parse(&d, buf, n, &err), 0);
    struct strbuf b = STRBUF_INIT;
    struct survey_page p = {
        .lang = "en", .action = "/e/observation", .asset_base = "/assets/"};
    assert_int_equal(survey_render_page(&b, d, &p, &err), 0);
    /* 7 CES buttons, story title and text, 4 causes */
    assert_int_equal(check_page(&pg, b.p), 7 + 2 + 4);
    must_have(b.p, "Very difficult");
    must_have(b.p, "Very easy");
    must_have(b.p, "<span class=\"q-cond\">If you answered 1–3:</span>");
    strbuf_dispose(&b);
    survey_def_free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_survey_page_english),
        cmocka_unit_test(test_survey_page_swedish),
        cmocka_unit_test(test_survey_page_hidden_fields_escaped),
        cmocka_unit_test(test_survey_page_error_and_values),
        cmocka_unit_test(test_survey_page_error_without_field),
        cmocka_unit_test(test_survey_page_too_large),
        cmocka_unit_test(test_survey_page_thanks),
        cmocka_unit_test(test_survey_page_employee_example),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
