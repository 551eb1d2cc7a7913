/* loop/rules.h: a rule set parses with errors at their JSON path, and a
 * response matches exactly the rules whose every condition holds. */
#include "harness.h"

#include <math.h>
#include <string.h>

#include "core/err.h"
#include "loop/rules.h"

static const char set[] =
    "{\"rules\": ["
    " {\"key\": \"detractor_repair\", \"name\": \"Missnöjd efter reparation\","
    "  \"when\": {\"touchpoints\": [\"reparation\", \"felanmalan_app\"],"
    "            \"nps_max\": 6}, \"priority\": \"high\", \"sla_hours\": 8},"
    " {\"key\": \"safety\", \"when\": {\"themes\": [\"safety\", \"mold\"]},"
    "  \"priority\": \"urgent\", \"sla_hours\": 2, \"team\": \"Drift\"},"
    " {\"key\": \"angry\", \"when\": {\"sentiment_max\": -0.6},"
    "  \"sla_hours\": 24},"
    " {\"key\": \"call_me\", \"when\": {\"consent\": true, \"nps_max\": 8},"
    "  \"priority\": \"high\", \"sla_hours\": 4},"
    " {\"key\": \"seen\", \"when\": {\"respondent\": \"employee\","
    "  \"ces_max\": 3}, \"priority\": \"low\", \"sla_hours\": 40}]}";

static struct rule_input input(const char *tp, int nps)
{
    struct rule_input in = {NULL, tp, NULL, 0, nps, -1, -1, NAN, NULL, 0, 0};
    return in;
}

static size_t hits(const struct rules *r, const struct rule_input *in,
                   char *out)
{
    size_t h[8];
    size_t n = rules_match(r, in, h, 8);
    out[0] = 0;
    for (size_t i = 0; i < n; i++) {
        strcat(out, rules_get(r, h[i])->key);
        strcat(out, " ");
    }
    return n;
}

static void test_parse(void **state)
{
    struct rules *r;
    struct err err = ERR_INIT;
    (void)state;
    assert_int_equal(rules_parse(&r, set, strlen(set), &err), 0);
    assert_int_equal(rules_count(r), 5);
    assert_string_equal(rules_get(r, 0)->name, "Missnöjd efter reparation");
    assert_string_equal(rules_get(r, 2)->name, "angry"); /* the key */
    assert_int_equal(rules_get(r, 2)->priority, PRIO_NORMAL);
    assert_string_equal(rules_get(r, 1)->team, "Drift");
    assert_null(rules_get(r, 0)->team);
    assert_true(rules_get(r, 1)->sla_hours == 2);
    rules_free(r);
}

static void test_errors(void **state)
{
    static const struct {
        const char *json, *where;
    } bad[] = {
        {"{\"rules\": [{\"key\": \"a\", \"when\": {\"nps_maxx\": 6}, "
         "\"sla_hours\": 1}]}",
         "rules[0].when.nps_maxx"},
        {"{\"rules\": [{\"key\": \"a\", \"when\": {}, \"sla_hours\": 1}]}",
         "rules[0].when"},
        {"{\"rules\": [{\"key\": \"a\", \"when\": {\"nps_max\": 11}, "
         "\"sla_hours\": 1}]}",
         "rules[0].when.nps_max"},
        {"{\"rules\": [{\"key\": \"a\", \"when\": {\"nps_max\": 6}, "
         "\"priority\": \"asap\", \"sla_hours\": 1}]}",
         "rules[0].priority"},
        {"{\"rules\": [{\"key\": \"a\", \"when\": {\"nps_max\": 6}}]}",
         "rules[0]"},
        {"{\"rules\": [{\"key\": \"a\", \"when\": {\"nps_max\": 6}, "
         "\"sla_hours\": 1}, {\"key\": \"a\", \"when\": {\"consent\": true}, "
         "\"sla_hours\": 1}]}",
         "rules[1].key"},
        {"{\"rules\": [{\"key\": \"a\", \"when\": {\"themes\": []}, "
         "\"sla_hours\": 1}]}",
         "rules[0].when.themes"},
        {"{\"rules\": [{\"key\": \"a\", \"when\": {\"consent\": false}, "
         "\"sla_hours\": 1}]}",
         "rules[0].when.consent"},
        {"{\"rules\": {}}", "rules"},
        {"[1]", "rules"},
    };
    (void)state;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct rules *r = (struct rules *)&r;
        struct err err = ERR_INIT;
        assert_int_equal(
            rules_parse(&r, bad[i].json, strlen(bad[i].json), &err),
            ERR_INVALID);
        assert_null(r);
        assert_string_equal(err.where, bad[i].where);
    }
    struct rules *r;
    struct err err = ERR_INIT;
    assert_int_equal(rules_parse(&r, "{\"rules\": [", 11, &err), ERR_INVALID);
    assert_non_null(strstr(err.msg, "line 1"));
}

static void test_match(void **state)
{
    struct rules *r;
    struct err err = ERR_INIT;
    char got[256];
    (void)state;
    assert_int_equal(rules_parse(&r, set, strlen(set), &err), 0);
    struct rule_input in = input("reparation", 3);
    assert_int_equal(hits(r, &in, got), 1);
    assert_string_equal(got, "detractor_repair ");
    in.nps = 6; /* the bound is inclusive */
    assert_int_equal(hits(r, &in, got), 1);
    in.nps = 7;
    assert_int_equal(hits(r, &in, got), 0);
    in = input("visning", 2); /* another touchpoint */
    assert_int_equal(hits(r, &in, got), 0);
    in = input("reparation", -1); /* no NPS given: no bound on it holds */
    assert_int_equal(hits(r, &in, got), 0);
    /* a theme among others, a very negative comment, a contact wish */
    const char *themes[] = {"fault", "mold"};
    in = input("visning", 8);
    in.themes = themes;
    in.n_themes = 2;
    in.sentiment = -0.8;
    in.consent = 1;
    assert_int_equal(hits(r, &in, got), 3);
    assert_string_equal(got, "safety angry call_me ");
    in.sentiment = -0.5;
    in.n_themes = 1; /* "fault" only */
    in.nps = 9;
    assert_int_equal(hits(r, &in, got), 0);
    in.sentiment = NAN; /* no analysed comment fails a sentiment bound */
    in.nps = 5;
    assert_int_equal(hits(r, &in, got), 1);
    assert_string_equal(got, "call_me ");
    /* an employee's observation; a customer's is not one */
    in = input("kontoret", -1);
    in.ces = 2;
    assert_int_equal(hits(r, &in, got), 0);
    in.employee = 1;
    assert_int_equal(hits(r, &in, got), 1);
    assert_string_equal(got, "seen ");
    rules_free(r);
}

static void test_pick(void **state)
{
    struct rules *r;
    struct err err = ERR_INIT;
    (void)state;
    assert_int_equal(rules_parse(&r, set, strlen(set), &err), 0);
    const char *themes[] = {"safety"};
    struct rule_input in = input("reparation", 2);
    /* detractor (high, 8 h) and safety (urgent): urgent wins */
    in.themes = themes;
    in.n_themes = 1;
    assert_string_equal(rules_get(r, (size_t)rules_pick(r, &in))->key,
                        "safety");
    /* detractor (high, 8 h) and call_me (high, 4 h): the shorter SLA */
    in.n_themes = 0;
    in.consent = 1;
    assert_string_equal(rules_get(r, (size_t)rules_pick(r, &in))->key,
                        "call_me");
    in = input("visning", 10);
    assert_int_equal(rules_pick(r, &in), -1);
    rules_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_match),
        cmocka_unit_test(test_pick),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
