/* Tests for src/server/survey_form.c: a post read into a definition's
 * JSON (texts, options, scales, conditions, fields a type does not
 * take), blank questions pruned, conditions that are not JSON reported,
 * error paths mapped to field ids, the buttons' operations, an error
 * drawn beside its field, and the round trip: every survey in
 * data/surveys drawn as a form, its fields posted back as a browser
 * would, gives the same definition. */
#include "harness.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/strbuf.h"
#include "http/form.h"
#include "server/survey_form.h"
#include "survey/survey.h"

static json_t *read_post(const char *body)
{
    struct form f = FORM_INIT;
    struct err err = ERR_INIT;
    assert_int_equal(form_parse(&f, body, strlen(body), &err), 0);
    json_t *j = survey_form_read(&f);
    form_dispose(&f);
    return j;
}

static void assert_json(const json_t *got, const char *want)
{
    json_error_t je;
    json_t *w = json_loads(want, 0, &je);
    if (!w)
        fail_msg("bad expected JSON: %s", je.text);
    if (!json_equal((json_t *)got, w)) {
        char *g = json_dumps(got, JSON_SORT_KEYS);
        char *e = json_dumps(w, JSON_SORT_KEYS);
        fail_msg("got %s\nwant %s", g, e);
    }
    json_decref(w);
}

static void test_survey_form_read_texts_options_and_types(void **state)
{
    (void)state;
    json_t *j = read_post(
        "key=+kund_1+&name.sv=Hej&name.en=&intro.sv=+&languages=sv&"
        "audience=employee&nq=3&"
        "q0.key=nps&q0.type=nps&q0.prompt.sv=Rek%3F&q0.required=yes&"
        "q0.scale=7&q0.low.sv=Aldrig&"
        "q1.key=speed&q1.type=rating&q1.scale=4&q1.prompt.sv=Fart&"
        "q1.options=x&q1.when=%7B%22question%22%3A%22nps%22%2C%22max%22%3A6%7D&"
        "q1.variants=%5Bnot+json&"
        "q2.key=ch&q2.type=choice&q2.prompt.sv=Kanal&q2.nopt=4&"
        "q2.opt0.key=app&q2.opt0.sv=App&q2.opt0.en=App&"
        "q2.opt1.key=&q2.opt1.sv=&q2.opt1.en=&"
        "q2.opt2.key=tel&q2.opt2.sv=Telefon&q2.opt2.en=");
    assert_json(j,
                "{\"key\": \"kund_1\", \"name\": {\"sv\": \"Hej\"},"
                " \"languages\": [\"sv\"], \"audience\": \"employee\","
                " \"questions\": ["
                "  {\"key\": \"nps\", \"type\": \"nps\", \"prompt\": {\"sv\":"
                "   \"Rek?\"}, \"required\": true, \"low\": {\"sv\": "
                "   \"Aldrig\"}},"
                "  {\"key\": \"speed\", \"type\": \"rating\", \"scale\": 4,"
                "   \"prompt\": {\"sv\": \"Fart\"}, \"when\": {\"question\":"
                "   \"nps\", \"max\": 6}, \"variants\": \"[not json\"},"
                "  {\"key\": \"ch\", \"type\": \"choice\", \"prompt\": {\"sv\":"
                "   \"Kanal\"}, \"options\": [{\"key\": \"app\", \"label\":"
                "   {\"sv\": \"App\", \"en\": \"App\"}}, {\"key\": \"tel\","
                "   \"label\": {\"sv\": \"Telefon\"}}]}]}");
    json_decref(j);
}

static void test_survey_form_read_keeps_a_bad_scale_as_text(void **state)
{
    (void)state;
    json_t *j = read_post("nq=1&q0.key=g&q0.type=gap&q0.scale=7x");
    json_t *q = json_array_get(json_object_get(j, "questions"), 0);
    assert_string_equal(json_string_value(json_object_get(q, "scale")), "7x");
    /* and the survey module says what is wrong with it, where */
    json_object_set_new(j, "key", json_string("k"));
    json_object_set_new(j, "name",
                        json_pack("{s:s,s:s}", "sv", "a", "en", "b"));
    json_object_set_new(q, "prompt",
                        json_pack("{s:s,s:s}", "sv", "a", "en", "b"));
    char *text = json_dumps(j, 0);
    struct survey_def *d = NULL;
    struct err err = ERR_INIT;
    assert_int_equal(survey_def_parse(&d, text, strlen(text), &err),
                     ERR_INVALID);
    assert_string_equal(err.where, "questions[0].scale");
    char id[64];
    survey_form_field_of(err.where, id, sizeof id);
    assert_string_equal(id, "f-q0-scale");
    free(text);
    json_decref(j);
}

static void test_survey_form_defaults_when_fields_are_missing(void **state)
{
    (void)state;
    json_t *j = read_post("nq=1");
    assert_json(j, "{\"key\": \"\", \"languages\": [\"sv\", \"en\"],"
                   " \"audience\": \"customer\", \"questions\":"
                   " [{\"key\": \"\", \"type\": \"text\"}]}");
    json_decref(j);
    /* a count beyond what is posted or allowed is capped, not trusted */
    j = read_post("nq=99999999999999999999");
    assert_true(json_array_size(json_object_get(j, "questions")) <= 101);
    json_decref(j);
}

static void test_survey_form_prune_drops_blank_questions(void **state)
{
    (void)state;
    json_t *j = read_post("nq=4&q0.key=&q0.type=rating&q0.scale=5&"
                          "q1.key=a&q1.type=text&"
                          "q2.type=text&q2.hint.en=Help&"
                          "q3.key=&q3.type=choice&q3.required=yes");
    survey_form_prune(j);
    json_t *qs = json_object_get(j, "questions");
    assert_int_equal(json_array_size(qs), 2);
    assert_string_equal(
        json_string_value(json_object_get(json_array_get(qs, 0), "key")), "a");
    assert_non_null(json_object_get(json_array_get(qs, 1), "hint"));
    json_decref(j);
}

static void test_survey_form_check_reports_a_condition_not_json(void **state)
{
    (void)state;
    struct err err = ERR_INIT;
    json_t *j = read_post("nq=2&q0.key=nps&q0.type=nps&"
                          "q1.key=b&q1.when=%7B%22question%22%3A%22nps%22%7D&"
                          "q1.variants=%5B%7B");
    assert_int_equal(survey_form_check(j, &err), ERR_INVALID);
    assert_string_equal(err.where, "questions[1].variants");
    assert_non_null(strstr(err.msg, "not JSON"));
    json_decref(j);
    err_clear(&err);
    j = read_post("nq=1&q0.key=nps&q0.type=nps&q0.when=%7B%7D");
    assert_int_equal(survey_form_check(j, &err), 0);
    json_decref(j);
}

static void test_survey_form_field_of_paths(void **state)
{
    (void)state;
    static const char *const cases[][2] = {
        {"key", "f-key"},
        {"languages[1]", "f-languages"},
        {"name", "f-name-sv"},
        {"name.en", "f-name-en"},
        {"intro.sv", "f-intro-sv"},
        {"questions[3].prompt.en", "f-q3-prompt-en"},
        {"questions[3].prompt", "f-q3-prompt-sv"},
        {"questions[12].key", "f-q12-key"},
        {"questions[0].scale", "f-q0-scale"},
        {"questions[2].options", "f-q2-opt0-key"},
        {"questions[2].options[1].key", "f-q2-opt1-key"},
        {"questions[2].options[4].label.en", "f-q2-opt4-en"},
        {"questions[2].options[4].label", "f-q2-opt4-sv"},
        {"questions[5].corners[2].en", "f-q5-corner2-en"},
        {"questions[5].corners", "f-q5-corner0-sv"},
        {"questions[1].when.question", "f-q1-when"},
        {"questions[1].variants[0].prompt.sv", "f-q1-variants"},
        {"questions[1].left", "f-q1-left-sv"},
        {"questions[1].colour", "f-q1-key"},
        {"questions[1]", "f-q1-key"},
        {"questions", ""},
        {"(top level)", ""},
        {"questions[x].key", ""},
        {"", ""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char id[64];
        survey_form_field_of(cases[i][0], id, sizeof id);
        if (strcmp(id, cases[i][1]) != 0)
            fail_msg("%s: got \"%s\", want \"%s\"", cases[i][0], id,
                     cases[i][1]);
    }
}

static void test_survey_form_ops(void **state)
{
    (void)state;
    struct form f = FORM_INIT;
    struct err err = ERR_INIT;
    size_t arg;
    static const struct {
        const char *body;
        enum survey_form_op op;
        size_t arg;
    } cases[] = {{"op=save", SURVEY_FORM_SAVE, 0},
                 {"", SURVEY_FORM_SAVE, 0},
                 {"op=add", SURVEY_FORM_ADD, 0},
                 {"op=refresh", SURVEY_FORM_REFRESH, 0},
                 {"op=json&json=%7B%7D", SURVEY_FORM_JSON, 0},
                 {"remove=3", SURVEY_FORM_REMOVE, 3},
                 {"up=2", SURVEY_FORM_UP, 2}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_int_equal(
            form_parse(&f, cases[i].body, strlen(cases[i].body), &err), 0);
        assert_int_equal(survey_form_op(&f, &arg), cases[i].op);
        assert_int_equal(arg, cases[i].arg);
        form_dispose(&f);
    }
    json_t *j = read_post("nq=3&q0.key=a&q1.key=b&q2.key=c");
    survey_form_apply(j, SURVEY_FORM_UP, 2);     /* a c b */
    survey_form_apply(j, SURVEY_FORM_REMOVE, 0); /* c b */
    survey_form_apply(j, SURVEY_FORM_ADD, 0);    /* c b "" */
    survey_form_apply(j, SURVEY_FORM_UP, 0);     /* nothing */
    survey_form_apply(j, SURVEY_FORM_REMOVE, 9); /* nothing */
    json_t *qs = json_object_get(j, "questions");
    assert_int_equal(json_array_size(qs), 3);
    const char *want[] = {"c", "b", ""};
    for (size_t i = 0; i < 3; i++)
        assert_string_equal(
            json_string_value(json_object_get(json_array_get(qs, i), "key")),
            want[i]);
    json_decref(j);
}

static int count(const char *s, const char *needle)
{
    int k = 0;
    for (const char *p = strstr(s, needle); p; p = strstr(p + 1, needle))
        k++;
    return k;
}

static void test_survey_form_render_places_the_error(void **state)
{
    (void)state;
    json_t *j = read_post("key=k&nq=2&q0.key=nps&q0.type=nps&"
                          "q1.key=c&q1.type=text&q1.prompt.sv=%3Cb%3E%22");
    struct survey_form_view v = {WEB_EN, "/app/surveys",   "tok",
                                 0,      "f-q1-prompt-en", "missing <here>"};
    struct strbuf b = STRBUF_INIT;
    int placed = 0;
    survey_form_render(&b, j, &v, &placed);
    const char *h = strbuf_str(&b);
    assert_int_equal(placed, 1);
    assert_non_null(strstr(h, "id=\"f-q1-prompt-en\" name=\"q1.prompt.en\" "
                              "aria-invalid=\"true\" "
                              "aria-describedby=\"f-q1-prompt-en-err\""));
    assert_non_null(strstr(h, "<p class=\"error\" id=\"f-q1-prompt-en-err\" "
                              "role=\"alert\">missing &lt;here&gt;</p>"));
    assert_int_equal(count(h, "role=\"alert\""), 1);
    assert_int_equal(count(h, "aria-invalid"), 1);
    /* the typed text escaped; the action keeps the language */
    assert_non_null(strstr(h, "value=\"&lt;b&gt;&quot;\""));
    assert_non_null(strstr(h, "action=\"/app/surveys?lang=en\""));
    /* Enter saves: the first submit button is "save" */
    const char *first = strstr(h, "<button");
    assert_non_null(first);
    assert_true(first == strstr(h, "<button type=\"submit\" name=\"op\" "
                                   "value=\"save\""));
    /* every field has its label */
    for (const char *p = strstr(h, " id=\"f-"); p;
         p = strstr(p + 1, " id=\"f-")) {
        char id[96], lab[128];
        size_t n = strcspn(p + 5, "\"");
        snprintf(id, sizeof id, "%.*s", (int)n, p + 5);
        if (strstr(id, "-err"))
            continue;
        snprintf(lab, sizeof lab, "<label for=\"%s\">", id);
        if (!strstr(h, lab))
            fail_msg("no label for %s", id);
    }
    strbuf_dispose(&b);
    /* an id the form does not draw: not placed */
    v.err_id = "f-q7-key";
    strbuf_init(&b, 0);
    survey_form_render(&b, j, &v, &placed);
    assert_int_equal(placed, 0);
    assert_null(strstr(strbuf_str(&b), "role=\"alert\""));
    strbuf_dispose(&b);
    json_decref(j);
}

/* ---- the round trip: the form's fields as a browser posts them ---- */

/* s[0..n) with the entities escape_xml writes undone, URL-encoded. */
static void put_encoded(struct strbuf *out, const char *s, size_t n)
{
    static const struct {
        const char *e;
        char c;
    } ents[] = {{"&amp;", '&'},  {"&lt;", '<'},   {"&gt;", '>'},
                {"&quot;", '"'}, {"&#39;", '\''}, {"&apos;", '\''}};
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)s[i];
        size_t adv = 1;
        for (size_t k = 0; c == '&' && k < sizeof ents / sizeof ents[0]; k++)
            if (!strncmp(s + i, ents[k].e, strlen(ents[k].e))) {
                c = (unsigned char)ents[k].c;
                adv = strlen(ents[k].e);
            }
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
            (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-')
            strbuf_putc(out, (char)c);
        else
            strbuf_printf(out, "%%%02X", c);
        i += adv;
    }
}

/* The value of attribute name in the tag tag[0..n), or NULL. */
static const char *attr(const char *tag, size_t n, const char *name,
                        size_t *len)
{
    char pat[32];
    snprintf(pat, sizeof pat, " %s=\"", name);
    const char *p = strstr(tag, pat);
    if (!p || p >= tag + n)
        return NULL;
    *len = strcspn(p + strlen(pat), "\"");
    return p + strlen(pat);
}

static void field(struct strbuf *post, const char *name, size_t nn,
                  const char *v, size_t vn)
{
    if (post->n)
        strbuf_putc(post, '&');
    put_encoded(post, name, nn);
    strbuf_putc(post, '=');
    put_encoded(post, v, vn);
}

/* What submitting the form with its save button posts. */
static char *post_of(const char *h)
{
    struct strbuf post = STRBUF_INIT;
    for (const char *p = h; (p = strchr(p, '<')) != NULL; p++) {
        size_t tn = strcspn(p, ">"), nn = 0, vn = 0;
        const char *name = attr(p, tn, "name", &nn);
        if (!name)
            continue;
        if (!strncmp(p, "<input", 6)) {
            size_t tl;
            const char *type = attr(p, tn, "type", &tl);
            const char *v = attr(p, tn, "value", &vn);
            const char *chk = strstr(p, " checked");
            if (type && !strncmp(type, "checkbox", tl) &&
                !(chk && chk < p + tn))
                continue;
            field(&post, name, nn, v ? v : "", v ? vn : 0);
        } else if (!strncmp(p, "<textarea", 9)) {
            const char *v = p + tn + 1;
            if (*v == '\n') /* the parser drops a newline there */
                v++;
            field(&post, name, nn, v, (size_t)(strstr(v, "</textarea>") - v));
        } else if (!strncmp(p, "<select", 7)) {
            const char *end = strstr(p, "</select>");
            const char *sel = strstr(p, " selected>");
            assert_true(sel && sel < end);
            const char *o = sel;
            while (strncmp(o, "<option", 7) != 0)
                o--;
            const char *v = attr(o, (size_t)(sel - o) + 10, "value", &vn);
            assert_non_null(v);
            field(&post, name, nn, v ? v : "", vn);
        }
    }
    strbuf_puts(&post, "&op=save");
    return strbuf_detach(&post, NULL);
}

static char *slurp(const char *path)
{
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    struct strbuf b = STRBUF_INIT;
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, fp)) > 0)
        strbuf_add(&b, buf, n);
    fclose(fp);
    return strbuf_detach(&b, NULL);
}

static void round_trip(const char *path)
{
    char *text = slurp(path);
    struct survey_def *d = NULL, *again = NULL;
    struct err err = ERR_INIT;
    assert_int_equal(survey_def_parse(&d, text, strlen(text), &err), 0);
    char *canon = survey_def_to_json(d);
    json_t *def = json_loads(canon, 0, NULL);
    struct survey_form_view v = {WEB_SV, "/app/surveys/x", "t", 1, NULL, NULL};
    struct strbuf b = STRBUF_INIT;
    survey_form_render(&b, def, &v, NULL);
    char *post = post_of(strbuf_str(&b));
    json_t *back = read_post(post);
    survey_form_prune(back);
    assert_int_equal(survey_form_check(back, &err), 0);
    char *t2 = json_dumps(back, JSON_PRESERVE_ORDER);
    if (survey_def_parse(&again, t2, strlen(t2), &err) < 0)
        fail_msg("%s: %s: %s", path, err.where, err.msg);
    char *canon2 = survey_def_to_json(again);
    if (strcmp(canon, canon2) != 0)
        fail_msg("%s changed:\n%s\n---\n%s", path, canon, canon2);
    free(canon2);
    free(t2);
    free(post);
    json_decref(back);
    strbuf_dispose(&b);
    json_decref(def);
    free(canon);
    survey_def_free(again);
    survey_def_free(d);
    free(text);
}

static void test_survey_form_round_trip_of_the_examples(void **state)
{
    (void)state;
    round_trip(HARNESS_SRC("data/surveys/repair.json"));
    round_trip(HARNESS_SRC("data/surveys/observation.json"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_survey_form_read_texts_options_and_types),
        cmocka_unit_test(test_survey_form_read_keeps_a_bad_scale_as_text),
        cmocka_unit_test(test_survey_form_defaults_when_fields_are_missing),
        cmocka_unit_test(test_survey_form_prune_drops_blank_questions),
        cmocka_unit_test(test_survey_form_check_reports_a_condition_not_json),
        cmocka_unit_test(test_survey_form_field_of_paths),
        cmocka_unit_test(test_survey_form_ops),
        cmocka_unit_test(test_survey_form_render_places_the_error),
        cmocka_unit_test(test_survey_form_round_trip_of_the_examples),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
