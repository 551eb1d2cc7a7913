/* Tests for src/survey/survey_answers.c: posted forms and JSON objects to
 * answers, follow-ups dropped by their conditions, and the errors. */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
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
    if (!f)
        return -1;
    n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    free(path);
    return survey_def_parse(&repair, buf, n, &err);
}

static int teardown(void **state)
{
    (void)state;
    survey_def_free(repair);
    return 0;
}

static const struct answer *find(const struct survey_answers *a,
                                 const char *key)
{
    for (int i = 0; i < a->n_answers; i++)
        if (!strcmp(a->answers[i].question, key))
            return &a->answers[i];
    return NULL;
}

static void from_form_ok(struct survey_answers *a, const char *body)
{
    struct form f = FORM_INIT;
    struct err err = ERR_INIT;
    const char *m = "unset";
    assert_int_equal(form_parse(&f, body, strlen(body), &err), 0);
    if (survey_answers_from_form(a, repair, &f, "en", &m, &err) < 0)
        fail_msg("%s: %s", err.where, err.msg);
    assert_null(m);
    form_dispose(&f);
}

/* Fails with where = key and the respondent's message msg in lang. */
static void from_form_bad(const char *body, const char *lang, const char *where,
                          const char *msg)
{
    struct form f = FORM_INIT;
    struct err err = ERR_INIT;
    struct survey_answers a;
    const char *m = NULL;
    assert_int_equal(form_parse(&f, body, strlen(body), &err), 0);
    int rc = survey_answers_from_form(&a, repair, &f, lang, &m, &err);
    if (rc != ERR_INVALID)
        fail_msg("accepted: %s", body);
    assert_string_equal(err.where, where);
    assert_non_null(m);
    assert_string_equal(m, msg);
    assert_null(a.answers);
    assert_int_equal(a.n_answers, 0);
    assert_null(a.priv);
    form_dispose(&f);
}

static const char full_form[] =
    "tp=fault_report&nps=4&why=Slow+and+late&comment=Call+me+back"
    "&speed=4&quality.expect=6&quality.perceive=3&contact_channel=phone"
    "&call_wait=2&story.title=The+day&story=It+rained+%3C%26%3E"
    "&felt.1=20&felt.2=30&felt.3=50&pace=37&contact=yes&csrf=abc";

static void check_full(const struct survey_answers *a)
{
    const struct answer *x;
    assert_int_equal(a->nps, 4);
    assert_int_equal(a->csat, -1);
    assert_int_equal(a->ces, -1);
    assert_int_equal(a->consent, 1);
    assert_int_equal(a->n_answers, 9);
    /* in question order */
    const char *order[] = {
        "why",       "comment", "speed", "quality", "contact_channel",
        "call_wait", "story",   "felt",  "pace"};
    for (int i = 0; i < 9; i++)
        assert_string_equal(a->answers[i].question, order[i]);
    x = find(a, "why");
    assert_int_equal(x->kind, ANSWER_TEXT);
    assert_string_equal(x->text, "Slow and late");
    x = find(a, "comment");
    assert_int_equal(x->kind, ANSWER_TEXT);
    assert_string_equal(x->text, "Call me back");
    x = find(a, "speed");
    assert_int_equal(x->kind, ANSWER_RATING);
    assert_close(x->v1, 4, 0, 0);
    assert_close(x->v2, 5, 0, 0);
    x = find(a, "quality");
    assert_int_equal(x->kind, ANSWER_GAP);
    assert_close(x->v1, 6, 0, 0);
    assert_close(x->v2, 3, 0, 0);
    x = find(a, "contact_channel");
    assert_int_equal(x->kind, ANSWER_CHOICE);
    assert_string_equal(x->text, "phone");
    x = find(a, "call_wait");
    assert_int_equal(x->kind, ANSWER_RATING);
    assert_close(x->v1, 2, 0, 0);
    x = find(a, "story");
    assert_int_equal(x->kind, ANSWER_STORY);
    assert_string_equal(x->title, "The day");
    assert_string_equal(x->text, "It rained <&>");
    x = find(a, "felt");
    assert_int_equal(x->kind, ANSWER_TRIAD);
    assert_close(x->v1, 0.2, 1e-12, 1e-12);
    assert_close(x->v2, 0.3, 1e-12, 1e-12);
    assert_close(x->v3, 0.5, 1e-12, 1e-12);
    x = find(a, "pace");
    assert_int_equal(x->kind, ANSWER_DYAD);
    assert_close(x->v1, 0.37, 1e-12, 1e-12);
}

static void test_survey_answers_full_form(void **state)
{
    (void)state;
    struct survey_answers a;
    from_form_ok(&a, full_form);
    check_full(&a);
    survey_answers_dispose(&a);
    assert_null(a.answers);
    assert_int_equal(a.nps, -1);
    survey_answers_dispose(&a);
    survey_answers_dispose(NULL);
}

static void test_survey_answers_follow_ups_dropped(void **state)
{
    (void)state;
    struct survey_answers a;
    /* why is for 0..6 and call_wait for phone: both dropped, even when
     * their values would be wrong */
    from_form_ok(&a, "nps=9&why=dropped&contact_channel=app&call_wait=99");
    assert_int_equal(a.nps, 9);
    assert_int_equal(a.n_answers, 1);
    assert_string_equal(a.answers[0].question, "contact_channel");
    assert_null(find(&a, "why"));
    assert_int_equal(a.consent, 0);
    survey_answers_dispose(&a);
    /* a follow-up of an unanswered question is dropped too */
    from_form_ok(&a, "nps=6&call_wait=3");
    assert_int_equal(a.n_answers, 0);
    survey_answers_dispose(&a);
    /* the bounds are inclusive */
    from_form_ok(&a, "nps=6&why=x");
    assert_non_null(find(&a, "why"));
    survey_answers_dispose(&a);
    from_form_ok(&a, "nps=7&why=x");
    assert_null(find(&a, "why"));
    survey_answers_dispose(&a);
}

static void test_survey_answers_empty_fields_are_no_answer(void **state)
{
    (void)state;
    struct survey_answers a;
    from_form_ok(&a, "nps=10&comment=+++&speed=&quality.expect="
                     "&quality.perceive=&contact_channel=&felt.1=&felt.2="
                     "&felt.3=&pace=&story=&story.title=&contact=no");
    assert_int_equal(a.nps, 10);
    assert_int_equal(a.n_answers, 0);
    assert_int_equal(a.consent, 0);
    survey_answers_dispose(&a);
}

static void test_survey_answers_triad_normalised(void **state)
{
    (void)state;
    struct survey_answers a;
    from_form_ok(&a, "nps=8&felt.1=1&felt.2=1&felt.3=2");
    const struct answer *x = find(&a, "felt");
    assert_non_null(x);
    assert_close(x->v1, 0.25, 1e-12, 1e-12);
    assert_close(x->v2, 0.25, 1e-12, 1e-12);
    assert_close(x->v3, 0.5, 1e-12, 1e-12);
    survey_answers_dispose(&a);
    from_form_ok(&a, "nps=8&felt.1=0&felt.2=100&felt.3=0");
    x = find(&a, "felt");
    assert_close(x->v2, 1, 0, 1e-12);
    assert_close(x->v1 + x->v3, 0, 0, 1e-12);
    survey_answers_dispose(&a);
}

static void test_survey_answers_form_errors(void **state)
{
    (void)state;
    from_form_bad("comment=hi", "en", "nps", "Please answer this question.");
    from_form_bad("comment=hi", "sv", "nps", "Svara på den här frågan.");
    from_form_bad("nps=", "en", "nps", "Please answer this question.");
    from_form_bad("nps=11", "en", "nps", "Please choose a value on the scale.");
    from_form_bad("nps=-1", "en", "nps", "Please choose a value on the scale.");
    from_form_bad("nps=9.5", "sv", "nps", "Välj ett värde på skalan.");
    from_form_bad("nps=+9", "en", "nps", "Please choose a value on the scale.");
    from_form_bad("nps=5&speed=6", "en", "speed",
                  "Please choose a value on the scale.");
    from_form_bad("nps=5&speed=0", "en", "speed",
                  "Please choose a value on the scale.");
    from_form_bad("nps=5&quality.expect=8&quality.perceive=1", "en", "quality",
                  "Please choose a value on the scale.");
    from_form_bad("nps=5&quality.expect=5", "en", "quality",
                  "Please answer both parts.");
    from_form_bad("nps=5&contact_channel=fax", "en", "contact_channel",
                  "Please choose one of the options.");
    from_form_bad("nps=5&contact_channel=phone&call_wait=9", "en", "call_wait",
                  "Please choose a value on the scale.");
    from_form_bad("nps=5&story.title=Only+a+title", "en", "story",
                  "Please write the story as well as its title.");
    from_form_bad("nps=5&felt.1=10", "en", "felt",
                  "Please give all three values (0–100), at least one "
                  "above 0.");
    from_form_bad("nps=5&felt.1=0&felt.2=0&felt.3=0", "en", "felt",
                  "Please give all three values (0–100), at least one "
                  "above 0.");
    from_form_bad("nps=5&felt.1=101&felt.2=0&felt.3=0", "en", "felt",
                  "Please give all three values (0–100), at least one "
                  "above 0.");
    from_form_bad("nps=5&felt.1=-1&felt.2=50&felt.3=50", "en", "felt",
                  "Please give all three values (0–100), at least one "
                  "above 0.");
    from_form_bad("nps=5&pace=101", "en", "pace",
                  "Please choose a value on the scale.");
    from_form_bad("nps=5&pace=nan", "en", "pace",
                  "Please choose a value on the scale.");
    from_form_bad("nps=5&contact=maybe", "en", "contact",
                  "Please choose one of the options.");
    /* the first problem in question order is the one reported */
    from_form_bad("nps=5&contact_channel=fax&speed=9", "en", "speed",
                  "Please choose a value on the scale.");
}

static void test_survey_answers_error_message_in_english(void **state)
{
    (void)state;
    struct form f = FORM_INIT;
    struct err err = ERR_INIT;
    struct survey_answers a;
    assert_int_equal(form_parse(&f, "nps=12", 6, &err), 0);
    assert_int_equal(survey_answers_from_form(&a, repair, &f, "sv", NULL, &err),
                     ERR_INVALID);
    assert_string_equal(err.where, "nps");
    assert_string_equal(err.msg, "must be a whole number 0..10");
    form_dispose(&f);
}

static void test_survey_answers_text_too_long(void **state)
{
    (void)state;
    size_t n = 16001;
    char *body = malloc(n + 32);
    strcpy(body, "nps=5&comment=");
    memset(body + strlen(body), 'x', n);
    body[14 + n] = 0;
    from_form_bad(body, "en", "comment", "The text is too long.");
    free(body);
}

static void from_json_ok(struct survey_answers *a, const char *json)
{
    struct err err = ERR_INIT;
    if (survey_answers_from_json(a, repair, json, strlen(json), &err) < 0)
        fail_msg("%s: %s", err.where, err.msg);
}

static void from_json_bad(const char *json, const char *where, const char *msg)
{
    struct err err = ERR_INIT;
    struct survey_answers a;
    if (survey_answers_from_json(&a, repair, json, strlen(json), &err) !=
        ERR_INVALID)
        fail_msg("accepted: %s", json);
    assert_string_equal(err.where, where);
    if (!strstr(err.msg, msg))
        fail_msg("message \"%s\" lacks \"%s\"", err.msg, msg);
    assert_null(a.answers);
}

static void test_survey_answers_full_json(void **state)
{
    (void)state;
    struct survey_answers a;
    from_json_ok(&a, "{\"nps\": 4, \"why\": \"Slow and late\", \"comment\": "
                     "\"Call me back\", \"speed\": 4, \"quality\": "
                     "{\"expect\": 6, \"perceive\": 3}, "
                     "\"contact_channel\": \"phone\", \"call_wait\": 2.0, "
                     "\"story\": {\"title\": \"The day\", \"text\": \"It "
                     "rained <&>\"}, \"felt\": [2, 3, 5], \"pace\": 0.37, "
                     "\"contact\": true}");
    check_full(&a);
    survey_answers_dispose(&a);
}

static void test_survey_answers_json_cases(void **state)
{
    (void)state;
    struct survey_answers a;
    from_json_ok(&a, "{\"nps\": 10, \"why\": \"dropped\", \"story\": "
                     "\"Just text\", \"felt\": [0, 0.5, 0.5], \"pace\": 1, "
                     "\"contact\": false, \"comment\": null, \"speed\": "
                     "null}");
    assert_int_equal(a.nps, 10);
    assert_int_equal(a.consent, 0);
    assert_int_equal(a.n_answers, 3);
    assert_null(find(&a, "why"));
    assert_string_equal(find(&a, "story")->text, "Just text");
    assert_null(find(&a, "story")->title);
    assert_close(find(&a, "pace")->v1, 1, 0, 0);
    survey_answers_dispose(&a);
    from_json_ok(&a, "{\"nps\": 3, \"felt\": [1e300, 1e300, 2e300]}");
    assert_close(find(&a, "felt")->v3, 0.5, 1e-12, 1e-12);
    survey_answers_dispose(&a);
}

static void test_survey_answers_json_errors(void **state)
{
    (void)state;
    from_json_bad("{\"nps\": 5, \"colour\": \"red\"}", "colour",
                  "no question has this key");
    from_json_bad("{\"speed\": 3}", "nps", "required");
    from_json_bad("{\"nps\": null}", "nps", "required");
    from_json_bad("{\"nps\": \"9\"}", "nps", "0..10");
    from_json_bad("{\"nps\": 9.5}", "nps", "0..10");
    from_json_bad("{\"nps\": 5, \"quality\": {\"expect\": 5}}", "quality",
                  "expect");
    from_json_bad("{\"nps\": 5, \"quality\": {\"expect\": 5, \"perceive\": "
                  "5, \"x\": 1}}",
                  "quality", "expect");
    from_json_bad("{\"nps\": 5, \"contact_channel\": \"fax\"}",
                  "contact_channel", "options");
    from_json_bad("{\"nps\": 5, \"contact_channel\": 1}", "contact_channel",
                  "option key");
    from_json_bad("{\"nps\": 5, \"felt\": [1, 2]}", "felt", "three");
    from_json_bad("{\"nps\": 5, \"felt\": [1, -2, 3]}", "felt", ">= 0");
    from_json_bad("{\"nps\": 5, \"felt\": [0, 0, 0]}", "felt", "all be 0");
    from_json_bad("{\"nps\": 5, \"pace\": 37}", "pace", "0..1");
    from_json_bad("{\"nps\": 5, \"contact\": \"yes\"}", "contact",
                  "true or false");
    from_json_bad("{\"nps\": 5, \"comment\": 7}", "comment", "string");
    from_json_bad("{\"nps\": 5, \"story\": {\"title\": \"T\"}}", "story",
                  "title without");
    from_json_bad("{\"nps\": 5, \"story\": {\"text\": \"T\", \"by\": 1}}",
                  "story", "only");
    from_json_bad("[1]", "", "JSON object");
    from_json_bad("{\"nps\": 5,}", "", "invalid JSON");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_survey_answers_full_form),
        cmocka_unit_test(test_survey_answers_follow_ups_dropped),
        cmocka_unit_test(test_survey_answers_empty_fields_are_no_answer),
        cmocka_unit_test(test_survey_answers_triad_normalised),
        cmocka_unit_test(test_survey_answers_form_errors),
        cmocka_unit_test(test_survey_answers_error_message_in_english),
        cmocka_unit_test(test_survey_answers_text_too_long),
        cmocka_unit_test(test_survey_answers_full_json),
        cmocka_unit_test(test_survey_answers_json_cases),
        cmocka_unit_test(test_survey_answers_json_errors),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
