/* Field names: every kind parses to its canonical text, modifiers in any
 * order, and each mistake is refused with a message that says what. */
#include "harness.h"

#include <string.h>

#include "core/err.h"
#include "query/field.h"

static struct field parse_ok(const char *s, enum field_context ctx)
{
    struct field f;
    struct err err = ERR_INIT;
    int rc = field_parse(&f, s, strlen(s), ctx, &err);
    if (rc != 0)
        print_error("%s: %s\n", s, err.msg);
    assert_int_equal(rc, 0);
    return f;
}

static void parse_bad(const char *s, enum field_context ctx, const char *msg)
{
    struct field f;
    struct err err = ERR_INIT;
    int rc = field_parse(&f, s, strlen(s), ctx, &err);
    if (rc != ERR_INVALID)
        print_error("%s: parsed as %s\n", s, f.text);
    assert_int_equal(rc, ERR_INVALID);
    if (!strstr(err.msg, msg))
        print_error("%s: got \"%s\", wanted \"%s\"\n", s, err.msg, msg);
    assert_non_null(strstr(err.msg, msg));
}

static void test_field_core_names_and_aliases(void **state)
{
    (void)state;
    struct field f = parse_ok("touchpoint", FIELD_RESPONSES);
    assert_int_equal(f.kind, FIELD_CORE);
    assert_int_equal(f.core, FC_TOUCHPOINT);
    f = parse_ok(" month ", FIELD_RESPONSES);
    assert_int_equal(f.core, FC_MONTH);
    assert_true(field_is_period(&f));
    f = parse_ok("csat_level", FIELD_RESPONSES);
    assert_int_equal(f.core, FC_CSAT_SCORE);
    assert_string_equal(f.text, "csat_score");
    f = parse_ok("nps_group", FIELD_RESPONSES);
    assert_int_equal(f.core, FC_NPS_GROUP);
    assert_false(field_is_period(&f));
    f = parse_ok("moment_of_truth", FIELD_RESPONSES);
    assert_int_equal(f.core, FC_MOMENT_OF_TRUTH);
    f = parse_ok("activity", FIELD_EVENTS);
    assert_int_equal(f.core, FC_ACTIVITY);
}

static void test_field_attributes_and_answers(void **state)
{
    (void)state;
    struct field f = parse_ok("customer.age", FIELD_RESPONSES);
    assert_int_equal(f.kind, FIELD_CUSTOMER);
    assert_string_equal(f.name, "age");
    assert_string_equal(f.text, "customer.age");
    f = parse_ok("attr.store", FIELD_RESPONSES);
    assert_int_equal(f.kind, FIELD_ATTR);
    assert_string_equal(f.name, "store");
    assert_string_equal(f.text, "attr:store");
    f = parse_ok("attr:order value", FIELD_RESPONSES); /* spaces allowed */
    assert_string_equal(f.name, "order value");
    f = parse_ok("choice:satisfaction", FIELD_RESPONSES);
    assert_int_equal(f.kind, FIELD_ANSWER);
    assert_string_equal(f.name, "choice:satisfaction");
    f = parse_ok("rating:seat_comfort", FIELD_RESPONSES);
    assert_string_equal(f.text, "rating:seat_comfort");
    /* In events, a bare name is the event's own attribute. */
    f = parse_ok("resolution_hours", FIELD_EVENTS);
    assert_int_equal(f.kind, FIELD_ATTR);
    assert_string_equal(f.text, "resolution_hours");
    f = parse_ok("attr:resolution_hours", FIELD_EVENTS);
    assert_string_equal(f.text, "resolution_hours");
    f = parse_ok("attr:channel", FIELD_EVENTS); /* not the fixed channel */
    assert_int_equal(f.kind, FIELD_ATTR);
    assert_string_equal(f.text, "attr:channel");
}

static void test_field_event_features(void **state)
{
    (void)state;
    struct field f = parse_ok("event.fault_report.resolution_hours:latest:30d",
                              FIELD_RESPONSES);
    assert_int_equal(f.kind, FIELD_EVENT);
    assert_string_equal(f.name, "fault_report.resolution_hours");
    assert_int_equal(f.agg, FIELD_AGG_LATEST);
    assert_true(f.has_window);
    assert_int_equal(f.from, -30 * 86400);
    assert_int_equal(f.to, 0);
    assert_string_equal(f.text,
                        "event.fault_report.resolution_hours:latest:30d");
    /* modifiers in any order give the same canonical text */
    struct field g = parse_ok("event.fault_report.resolution_hours:30d:latest",
                              FIELD_RESPONSES);
    assert_string_equal(g.text, f.text);
    /* defaults: count without an attribute, any time before */
    f = parse_ok("event.contact", FIELD_RESPONSES);
    assert_int_equal(f.agg, FIELD_AGG_DEFAULT); /* count: feature.c */
    assert_false(f.has_window);
    f = parse_ok("event.contact:14d", FIELD_RESPONSES);
    assert_int_equal(f.from, -14 * 86400);
    f = parse_ok("event.payment.days_late:sum:+2w", FIELD_RESPONSES);
    assert_int_equal(f.agg, FIELD_AGG_SUM);
    assert_int_equal(f.from, 1);
    assert_int_equal(f.to, 14 * 86400);
    assert_string_equal(f.text, "event.payment.days_late:sum:+2w");
    f = parse_ok("event.contact:12h", FIELD_RESPONSES);
    assert_string_equal(f.text, "event.contact:12h");
    f = parse_ok("customer.age:q4", FIELD_RESPONSES);
    assert_int_equal(f.quantiles, 4);
    assert_string_equal(f.text, "customer.age:q4");
}

static void test_field_rejects_mistakes(void **state)
{
    (void)state;
    parse_bad("colour", FIELD_RESPONSES, "unknown field \"colour\"");
    parse_bad("", FIELD_RESPONSES, "empty field name");
    parse_bad("customer.", FIELD_RESPONSES, "bad field name");
    parse_bad("customer.a,b", FIELD_RESPONSES, "bad field name");
    parse_bad("attr:\"x\"", FIELD_RESPONSES, "bad field name");
    parse_bad("event.", FIELD_RESPONSES, "bad field name");
    parse_bad("event.a.", FIELD_RESPONSES, "bad field name");
    parse_bad("customer.age:latest", FIELD_RESPONSES,
              "applies to event.* fields only");
    parse_bad("touchpoint:30d", FIELD_RESPONSES,
              "window applies to event.* fields only");
    parse_bad("customer.age:q1", FIELD_RESPONSES, "q2..q100");
    parse_bad("customer.age:q4:q5", FIELD_RESPONSES, "qN given twice");
    parse_bad("event.contact:7d:14d", FIELD_RESPONSES, "two windows");
    parse_bad("event.contact:sum:max", FIELD_RESPONSES, "two aggregations");
    parse_bad("event.contact:", FIELD_RESPONSES, "empty modifier");
    parse_bad("event.contact:30x", FIELD_RESPONSES, "unknown modifier");
    parse_bad("event.contact:0d", FIELD_RESPONSES, "unknown modifier");
    parse_bad("event.contact.x", FIELD_EVENTS, "describe responses");
    parse_bad("choice:x", FIELD_EVENTS, "answers describe responses");
    parse_bad("activity", FIELD_RESPONSES, "unknown field");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_field_core_names_and_aliases),
        cmocka_unit_test(test_field_attributes_and_answers),
        cmocka_unit_test(test_field_event_features),
        cmocka_unit_test(test_field_rejects_mistakes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
