/* Tests for src/survey/survey_def.c and survey_json.c: the definition
 * format, its errors by JSON path, the canonical JSON, the page language. */
#include "harness.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "survey/survey.h"

/* Reads data/surveys/NAME (beside tests/data); caller frees. */
static char *read_example(const char *name, size_t *len)
{
    char rel[128];
    snprintf(rel, sizeof rel, "../../data/surveys/%s", name);
    char *path = harness_fixture(rel);
    FILE *f = fopen(path, "rb");
    if (!f)
        fail_msg("cannot open %s", path);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    buf[n] = 0;
    fclose(f);
    free(path);
    *len = (size_t)n;
    return buf;
}

static struct survey_def *parse_ok(const char *s)
{
    struct survey_def *d = NULL;
    struct err err = ERR_INIT;
    if (survey_def_parse(&d, s, strlen(s), &err) < 0)
        fail_msg("%s: %s", err.where, err.msg);
    assert_non_null(d);
    return d;
}

/* The canonical JSON reads back to the same canonical JSON, and means the
 * same as the text it came from. */
static void check_round_trip(const char *text, size_t len)
{
    if (!len)
        len = strlen(text);
    struct survey_def *d = NULL, *again = NULL;
    struct err err = ERR_INIT;
    assert_int_equal(survey_def_parse(&d, text, len, &err), 0);
    char *j1 = survey_def_to_json(d);
    assert_int_equal(survey_def_parse(&again, j1, strlen(j1), &err), 0);
    char *j2 = survey_def_to_json(again);
    assert_string_equal(j1, j2);
    json_t *a = json_loadb(text, len, 0, NULL);
    json_t *b = json_loads(j1, 0, NULL);
    assert_non_null(a);
    assert_non_null(b);
    if (!json_equal(a, b))
        fail_msg("canonical JSON differs from the source:\n%s", j1);
    json_decref(a);
    json_decref(b);
    free(j1);
    free(j2);
    survey_def_free(d);
    survey_def_free(again);
}

static void test_survey_def_repair_example_round_trips(void **state)
{
    (void)state;
    size_t len;
    char *text = read_example("repair.json", &len);
    struct survey_def *d = NULL;
    struct err err = ERR_INIT;
    assert_int_equal(survey_def_parse(&d, text, len, &err), 0);
    assert_string_equal(survey_def_key(d), "repair");
    assert_string_equal(survey_def_name(d, "sv"), "Efter reparationen");
    assert_string_equal(survey_def_name(d, "en"), "After the repair");
    assert_string_equal(survey_def_name(d, "de"), "Efter reparationen");
    assert_string_equal(survey_def_name(d, NULL), "Efter reparationen");
    assert_int_equal(survey_def_audience(d), SURVEY_CUSTOMER);
    char *j = survey_def_to_json(d);
    /* every kind of question and both kinds of condition survive */
    const char *want[] = {"\"type\": \"nps\"",    "\"type\": \"gap\"",
                          "\"type\": \"triad\"",  "\"type\": \"dyad\"",
                          "\"type\": \"story\"",  "\"type\": \"consent\"",
                          "\"type\": \"choice\"", "\"max\": 6",
                          "\"min\": 9",           "\"is\": [",
                          "\"variants\": ["};
    for (size_t i = 0; i < sizeof want / sizeof *want; i++)
        if (!strstr(j, want[i]))
            fail_msg("canonical JSON lacks %s", want[i]);
    free(j);
    survey_def_free(d);
    check_round_trip(text, len);
    free(text);
}

static void test_survey_def_employee_example(void **state)
{
    (void)state;
    size_t len;
    char *text = read_example("observation.json", &len);
    struct survey_def *d = NULL;
    struct err err = ERR_INIT;
    assert_int_equal(survey_def_parse(&d, text, len, &err), 0);
    assert_int_equal(survey_def_audience(d), SURVEY_EMPLOYEE);
    survey_def_free(d);
    check_round_trip(text, len);
    free(text);
}

static void test_survey_def_defaults_are_written_out(void **state)
{
    (void)state;
    struct survey_def *d = parse_ok(
        "{\"key\": \"k-1\", \"name\": {\"en\": \"N\"}, \"languages\": "
        "[\"en\"], \"questions\": [{\"key\": \"r\", \"type\": \"rating\", "
        "\"prompt\": {\"en\": \"R?\"}}, {\"key\": \"g\", \"type\": \"gap\", "
        "\"prompt\": {\"en\": \"G?\"}}]}");
    char *j = survey_def_to_json(d);
    json_t *o = json_loads(j, 0, NULL);
    assert_non_null(o);
    assert_string_equal(json_string_value(json_object_get(o, "audience")),
                        "customer");
    json_t *qs = json_object_get(o, "questions");
    assert_int_equal(
        json_integer_value(json_object_get(json_array_get(qs, 0), "scale")), 5);
    assert_int_equal(
        json_integer_value(json_object_get(json_array_get(qs, 1), "scale")), 7);
    assert_null(json_object_get(json_array_get(qs, 0), "required"));
    /* a survey in English only: the name falls back to English */
    assert_string_equal(survey_def_name(d, "sv"), "N");
    json_decref(o);
    free(j);
    survey_def_free(d);
    check_round_trip("{\"key\": \"x\", \"name\": {\"sv\": \"N\", \"en\": "
                     "\"N\"}, \"languages\": [\"en\"], \"questions\": "
                     "[{\"key\": \"t\", \"type\": \"text\", \"prompt\": "
                     "{\"en\": \"T\"}}], \"audience\": \"customer\"}",
                     0);
}

struct bad_case {
    const char *questions; /* the questions array's items, or a whole
                            * document when it has "languages" */
    const char *where;
    const char *msg; /* a part of the message */
};

#define NPS                                                                    \
    "{\"key\": \"nps\", \"type\": \"nps\", \"prompt\": {\"sv\": \"R?\", "      \
    "\"en\": \"R?\"}}"
#define PROMPT "\"prompt\": {\"sv\": \"P\", \"en\": \"P\"}"
#define CHOICE                                                                 \
    "{\"key\": \"ch\", \"type\": \"choice\", " PROMPT                          \
    ", \"options\": [{\"key\": \"a\", \"label\": {\"sv\": \"A\", \"en\": "     \
    "\"A\"}}, {\"key\": \"b\", \"label\": {\"sv\": \"B\", \"en\": \"B\"}}]}"
#define TEXT(k) "{\"key\": \"" k "\", \"type\": \"text\", " PROMPT

static const struct bad_case bad_cases[] = {
    {"{\"key\": \"Bad Key\", \"name\": {\"sv\": \"N\"}, \"languages\": "
     "[\"sv\"], \"questions\": [" NPS "]}",
     "key", "a-z"},
    {"{\"key\": \"k\", \"name\": {\"sv\": \"N\"}, \"languages\": "
     "[\"de\"], \"questions\": [" NPS "]}",
     "languages[0]", "must be \"sv\" or \"en\""},
    {"{\"key\": \"k\", \"name\": {\"sv\": \"N\"}, \"languages\": "
     "[\"sv\", \"sv\"], \"questions\": [" NPS "]}",
     "languages[1]", "twice"},
    {"{\"key\": \"k\", \"name\": {\"sv\": \"N\"}, \"languages\": "
     "[\"sv\", \"en\"], \"questions\": [" NPS "]}",
     "name.en", "missing"},
    {"{\"key\": \"k\", \"name\": {\"sv\": \"N\", \"en\": \"N\"}, "
     "\"intro\": {\"sv\": \"I\", \"en\": \"I\", \"de\": \"I\"}, "
     "\"languages\": [\"sv\", \"en\"], \"questions\": [" NPS "]}",
     "intro.de", "unsupported language"},
    {"{\"key\": \"k\", \"name\": {\"sv\": \"N\", \"en\": \"N\"}, "
     "\"languages\": [\"sv\", \"en\"], \"colour\": 1, \"questions\": "
     "[" NPS "]}",
     "colour", "unknown field"},
    {"{\"key\": \"k\", \"name\": {\"sv\": \"N\", \"en\": \"N\"}, "
     "\"languages\": [\"sv\", \"en\"], \"audience\": \"staff\", "
     "\"questions\": [" NPS "]}",
     "audience", "customer"},
    {"{\"key\": \"k\", \"name\": {\"sv\": \"N\", \"en\": \"N\"}, "
     "\"languages\": [\"sv\", \"en\"], \"questions\": []}",
     "questions", "1..100"},
    {"{\"key\": \"k\", \"name\": {\"sv\": \"N\", \"en\": \"\"}, "
     "\"languages\": [\"sv\", \"en\"], \"questions\": [" NPS "]}",
     "name.en", "empty"},
    {"[1, 2]", "(top level)", "JSON object"},
    {NPS ", {\"key\": \"x\", \"type\": \"slider\", " PROMPT "}",
     "questions[1].type", "must be one of"},
    {NPS ", {\"key\": \"r\", \"type\": \"rating\", \"scale\": 11, " PROMPT "}",
     "questions[1].scale", "2..10"},
    {NPS ", {\"key\": \"g\", \"type\": \"gap\", \"scale\": 1, " PROMPT "}",
     "questions[1].scale", "2..10"},
    {NPS ", " TEXT("t") ", \"scale\": 5}", "questions[1].scale",
     "unknown field for a text question"},
    {NPS ", " TEXT("t") "}, " TEXT("t") "}", "questions[2].key", "used twice"},
    {NPS ", " NPS, "questions[1].key", "used twice"},
    {NPS ", {\"key\": \"again\", \"type\": \"nps\", " PROMPT "}",
     "questions[1].type", "at most one nps"},
    {"{\"key\": \"with-dash\", \"type\": \"text\", " PROMPT "}",
     "questions[0].key", "a-z, 0-9 or _"},
    {"{\"key\": \"comment\", \"type\": \"rating\", " PROMPT "}",
     "questions[0].key", "kept for a text question"},
    {"{\"key\": \"nps\", \"type\": \"rating\", " PROMPT "}", "questions[0].key",
     "kept for a nps question"},
    {NPS ", {\"key\": \"r\", \"type\": \"rating\", \"required\": 1, " PROMPT
         "}",
     "questions[1].required", "true or false"},
    {"{\"key\": \"nps\", \"type\": \"nps\", \"prompt\": {\"sv\": \"R?\"}}",
     "questions[0].prompt.en", "missing"},
    {"{\"key\": \"nps\", \"type\": \"nps\"}", "questions[0].prompt", "missing"},
    {"{\"key\": \"nps\", \"type\": \"nps\", \"prompt\": \"R?\"}",
     "questions[0].prompt", "object of texts"},
    {TEXT("t") ", \"when\": {\"question\": \"nps\", \"max\": 6}}, " NPS,
     "questions[0].when.question", "not an earlier question"},
    {TEXT("t") ", \"when\": {\"question\": \"t\", \"max\": 6}}",
     "questions[0].when.question", "not an earlier question"},
    {NPS ", " TEXT("t") ", \"when\": {\"question\": \"nps\", \"min\": 11}}",
     "questions[1].when.min", "0..10"},
    {NPS ", " TEXT("t") ", \"when\": {\"question\": \"nps\", \"min\": 7, "
                        "\"max\": 6}}",
     "questions[1].when.max", "less than min"},
    {NPS ", " TEXT("t") ", \"when\": {\"question\": \"nps\"}}",
     "questions[1].when", "needs \"min\""},
    {NPS ", " TEXT("t") ", \"when\": {\"question\": \"nps\", \"is\": "
                        "[\"a\"]}}",
     "questions[1].when.is", "for choice questions"},
    {NPS ", " TEXT("t") ", \"when\": {\"question\": \"nps\", \"min\": 1, "
                        "\"colour\": 2}}",
     "questions[1].when.colour", "unknown field"},
    {TEXT("t") "}, " TEXT("u") ", \"when\": {\"question\": \"t\", \"min\": "
                               "1}}",
     "questions[1].when.question", "not a text"},
    {CHOICE ", " TEXT("t") ", \"when\": {\"question\": \"ch\", \"is\": "
                           "[\"a\", \"zz\"]}}",
     "questions[1].when.is[1]", "not an option of \"ch\""},
    {CHOICE ", " TEXT("t") ", \"when\": {\"question\": \"ch\", \"min\": 1}}",
     "questions[1].when.min", "use \"is\""},
    {"{\"key\": \"ch\", \"type\": \"choice\", " PROMPT
     ", \"options\": [{\"key\": \"a\", \"label\": {\"sv\": \"A\", \"en\": "
     "\"A\"}}]}",
     "questions[0].options", "2..50"},
    {"{\"key\": \"ch\", \"type\": \"choice\", " PROMPT
     ", \"options\": [{\"key\": \"a\", \"label\": {\"sv\": \"A\", \"en\": "
     "\"A\"}}, {\"key\": \"a\", \"label\": {\"sv\": \"B\", \"en\": "
     "\"B\"}}]}",
     "questions[0].options[1].key", "used twice"},
    {"{\"key\": \"ch\", \"type\": \"choice\", " PROMPT
     ", \"options\": [{\"key\": \"a\", \"label\": {\"en\": \"A\"}}, "
     "{\"key\": \"b\", \"label\": {\"sv\": \"B\", \"en\": \"B\"}}]}",
     "questions[0].options[0].label.sv", "missing"},
    {"{\"key\": \"f\", \"type\": \"triad\", " PROMPT
     ", \"corners\": [{\"sv\": \"A\", \"en\": \"A\"}, {\"sv\": \"B\", "
     "\"en\": \"B\"}]}",
     "questions[0].corners", "three texts"},
    {"{\"key\": \"f\", \"type\": \"triad\", " PROMPT
     ", \"corners\": [{\"sv\": \"A\", \"en\": \"A\"}, {\"sv\": \"B\", "
     "\"en\": \"B\"}, {\"sv\": \"C\"}]}",
     "questions[0].corners[2].en", "missing"},
    {"{\"key\": \"p\", \"type\": \"dyad\", " PROMPT
     ", \"left\": {\"sv\": \"L\", \"en\": \"L\"}}",
     "questions[0].right", "missing"},
    {"{\"key\": \"p\", \"type\": \"dyad\", " PROMPT
     ", \"left\": {\"sv\": \"L\", \"en\": \"L\"}, \"right\": {\"sv\": "
     "\"R\", \"en\": \"R\"}, \"low\": {\"sv\": \"x\", \"en\": \"x\"}}",
     "questions[0].low", "unknown field for a dyad"},
    {NPS ", " TEXT("c") ", \"variants\": [{\"when\": {\"question\": "
                        "\"nps\", \"min\": 9}, \"prompt\": {\"sv\": \"V\"}}]}",
     "questions[1].variants[0].prompt.en", "missing"},
    {NPS ", " TEXT("c") ", \"variants\": [{\"prompt\": {\"sv\": \"V\", "
                        "\"en\": \"V\"}}]}",
     "questions[1].variants[0].when", "missing"},
    {NPS ", " TEXT("c") ", \"variants\": []}", "questions[1].variants",
     "1..10"},
    {NPS ", {\"key\": \"r\", \"type\": \"rating\", " PROMPT
         ", \"high\": {\"sv\": \"H\"}}",
     "questions[1].high.en", "missing"},
    {"{\"key\": \"g\", \"type\": \"gap\", " PROMPT
     ", \"expect\": {\"sv\": \"E\", \"en\": 5}}",
     "questions[0].expect.en", "must be a string"},
    {"7", "questions[0]", "must be an object"},
};

static void test_survey_def_errors_name_the_path(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof bad_cases / sizeof *bad_cases; i++) {
        const struct bad_case *c = &bad_cases[i];
        char doc[4096];
        if (strstr(c->questions, "\"languages\"") || c->questions[0] == '[')
            snprintf(doc, sizeof doc, "%s", c->questions);
        else
            snprintf(doc, sizeof doc,
                     "{\"key\": \"s\", \"name\": {\"sv\": \"S\", \"en\": "
                     "\"S\"}, \"languages\": [\"sv\", \"en\"], "
                     "\"questions\": [%s]}",
                     c->questions);
        struct survey_def *d = NULL;
        struct err err = ERR_INIT;
        int rc = survey_def_parse(&d, doc, strlen(doc), &err);
        if (rc != ERR_INVALID || d)
            fail_msg("case %zu parsed: %s", i, doc);
        if (strcmp(err.where, c->where) || !strstr(err.msg, c->msg))
            fail_msg("case %zu: got \"%s: %s\", want \"%s\" and \"%s\"", i,
                     err.where, err.msg, c->where, c->msg);
    }
}

static void test_survey_def_bad_json_and_size(void **state)
{
    (void)state;
    struct survey_def *d = NULL;
    struct err err = ERR_INIT;
    const char *s = "{\"key\": \"a\",\n \"key\": \"b\"}";
    assert_int_equal(survey_def_parse(&d, s, strlen(s), &err), ERR_INVALID);
    assert_null(d);
    assert_non_null(strstr(err.msg, "invalid JSON at line 2"));
    err_clear(&err);
    assert_int_equal(survey_def_parse(&d, "{", 1, &err), ERR_INVALID);
    err_clear(&err);
    assert_int_equal(survey_def_parse(&d, "{}", SURVEY_DEF_MAX_BYTES + 1, &err),
                     ERR_INVALID);
    assert_non_null(strstr(err.msg, "too large"));
    survey_def_free(NULL);
}

static const char two_langs[] =
    "{\"key\": \"s\", \"name\": {\"sv\": \"S\", \"en\": \"S\"}, "
    "\"languages\": [\"sv\", \"en\"], \"questions\": [" NPS "]}";
static const char en_only[] =
    "{\"key\": \"s\", \"name\": {\"en\": \"S\"}, \"languages\": [\"en\"], "
    "\"questions\": [{\"key\": \"nps\", \"type\": \"nps\", \"prompt\": "
    "{\"en\": \"R?\"}}]}";
static const char en_first[] =
    "{\"key\": \"s\", \"name\": {\"sv\": \"S\", \"en\": \"S\"}, "
    "\"languages\": [\"en\", \"sv\"], \"questions\": [" NPS "]}";

static void test_survey_pick_lang(void **state)
{
    (void)state;
    struct survey_def *d = parse_ok(two_langs);
    struct survey_def *e = parse_ok(en_only);
    struct survey_def *f = parse_ok(en_first);
    assert_string_equal(survey_pick_lang(d, NULL, NULL), "sv");
    assert_string_equal(survey_pick_lang(f, NULL, NULL), "en");
    assert_string_equal(survey_pick_lang(d, "en", "sv"), "en");
    assert_string_equal(survey_pick_lang(d, "de", "en-GB,en;q=0.9"), "en");
    assert_string_equal(survey_pick_lang(d, NULL, "en-GB,en;q=0.9,sv;q=0.8"),
                        "en");
    assert_string_equal(survey_pick_lang(d, NULL, "sv-SE;q=0.5, en;q=0.6"),
                        "en");
    assert_string_equal(survey_pick_lang(f, NULL, "de, sv-SE;q=0.3"), "sv");
    assert_string_equal(survey_pick_lang(f, NULL, "de-DE, fr;q=0.9"), "en");
    assert_string_equal(survey_pick_lang(f, NULL, "sv;q=0, en;q=0"), "en");
    assert_string_equal(survey_pick_lang(d, NULL, "en;q=0, *;q=0.1"), "sv");
    assert_string_equal(survey_pick_lang(d, NULL, "EN-us"), "en");
    assert_string_equal(survey_pick_lang(f, NULL, "sv, en"), "sv");
    assert_string_equal(survey_pick_lang(f, NULL, "en, sv"), "en");
    assert_string_equal(survey_pick_lang(f, NULL, "svenska, sv-FI"), "sv");
    assert_string_equal(survey_pick_lang(f, NULL, "sv;q=0.25, en;q=0.2"), "sv");
    /* a language the survey lacks is never picked */
    assert_string_equal(survey_pick_lang(e, "sv", "sv"), "en");
    assert_string_equal(survey_pick_lang(e, NULL, ",,;q=,;"), "en");
    survey_def_free(d);
    survey_def_free(e);
    survey_def_free(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_survey_def_repair_example_round_trips),
        cmocka_unit_test(test_survey_def_employee_example),
        cmocka_unit_test(test_survey_def_defaults_are_written_out),
        cmocka_unit_test(test_survey_def_errors_name_the_path),
        cmocka_unit_test(test_survey_def_bad_json_and_size),
        cmocka_unit_test(test_survey_pick_lang),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
