/* Tests for src/ingest/import_cols.c: --set constant columns and --na
 * values, through import_run. */
#include "import_test.h"

#include "core/strbuf.h"

static void test_set_adds_constant_columns_to_responses(void **state)
{
    struct db *db = *state;
    struct import_opts o = IMPORT_OPTS_INIT;
    struct import_counts n;
    struct err err = ERR_INIT;
    o.set = "touchpoint=Besök på kontoret, channel=email";
    assert_int_equal(import_text(db, "r.csv",
                                 "id,submitted_at,nps\n"
                                 "r1,2025-03-14T10:00:00+01:00,9\n"
                                 "r2,2025-03-14T11:00:00+01:00,3\n",
                                 &o, &n, &err),
                     0);
    assert_int_equal(n.inserted, 2);
    struct stored_list *l = stored_responses(db);
    assert_int_equal(l->n, 2);
    for (int i = 0; i < 2; i++) {
        assert_string_equal(l->v[i].touchpoint, "kontoret");
        assert_string_equal(l->v[i].channel, "email");
    }
    /* the same for JSON Lines */
    o.format = IMPORT_JSONL;
    assert_int_equal(import_text(db, "r.jsonl",
                                 "{\"id\":\"r3\",\"submitted_at\":"
                                 "\"2025-03-14T10:00:00+01:00\",\"nps\":7}\n",
                                 &o, &n, &err),
                     0);
    l = stored_responses(db);
    assert_int_equal(l->n, 3);
    assert_string_equal(l->v[2].touchpoint, "kontoret");
    assert_int_equal(l->v[2].nps, 7);
}

static void test_set_works_for_customers_and_events(void **state)
{
    struct db *db = *state;
    struct import_opts o = IMPORT_OPTS_INIT;
    struct import_counts n;
    struct err err = ERR_INIT;
    o.kind = IMPORT_CUSTOMERS;
    /* quoted: a comma and a doubled quote inside */
    o.set = "segment=Student,note=\"a,b \"\"c\"\"\", region = Norr";
    assert_int_equal(
        import_text(db, "c.csv", "id,rooms\nk1,2\nk2,3\n", &o, &n, &err), 0);
    struct stored_customer_list *c = stored_customers(db);
    assert_int_equal(c->n, 2);
    assert_string_equal(c->rows[0], "k1 Student {\"note\":\"a,b \\\"c\\\"\","
                                    "\"region\":\"Norr\",\"rooms\":2}");
    o.kind = IMPORT_EVENTS;
    o.set = "activity=payment";
    assert_int_equal(import_text(db, "e.csv",
                                 "customer,time,amount\n"
                                 "k1,2025-03-02T08:30:00Z,7400\n",
                                 &o, &n, &err),
                     0);
    assert_int_equal(n.inserted, 1);
    struct stored_event_list *e = stored_events(db);
    assert_int_equal(e->n, 1);
    assert_string_equal(e->v[0].activity, "payment");
}

static void test_set_column_the_file_has_is_an_error(void **state)
{
    struct import_opts o = IMPORT_OPTS_INIT;
    o.set = "touchpoint=kontoret";
    import_fails(*state, "r.csv",
                 "id,submitted_at,TouchPoint\n"
                 "r1,2025-03-14T10:00:00+01:00,kontoret\n",
                 &o, "r.csv:1:17",
                 "column \"touchpoint\" is also given by --set");
    /* after --map: the file's column becomes the one set */
    o.map = "Kontaktpunkt=touchpoint";
    import_fails(*state, "r.csv",
                 "id,submitted_at,Kontaktpunkt\n"
                 "r1,2025-03-14T10:00:00+01:00,kontoret\n",
                 &o, "r.csv:1:17",
                 "column \"touchpoint\" is also given by --set");
    struct import_opts c = IMPORT_OPTS_INIT;
    c.kind = IMPORT_CUSTOMERS;
    c.set = "Region=Norr";
    import_fails(*state, "c.csv", "id,region\nk1,Syd\n", &c, "c.csv:1:4",
                 "column \"region\" is also given by --set");
    /* JSON Lines: at the field, in the row that has it */
    struct import_opts j = IMPORT_OPTS_INIT;
    j.format = IMPORT_JSONL;
    j.set = "touchpoint=kontoret";
    import_fails(*state, "r.jsonl",
                 "{\"id\":\"r1\",\"submitted_at\":\"2025-03-14T10:00:00Z\","
                 "\"touchpoint\":\"webb_sok\"}\n",
                 &j, "r.jsonl:1:63",
                 "column \"touchpoint\" is also given by --set");
}

static void test_bad_set_value_is_located_by_name_and_stops(void **state)
{
    struct db *db = *state;
    struct import_opts o = IMPORT_OPTS_INIT;
    const char *csv = "id,submitted_at,nps\n"
                      "r1,2025-03-14T10:00:00+01:00,9\n";
    o.set = "touchpoint=nowhere";
    import_fails(db, "r.csv", csv, &o, "--set:touchpoint",
                 "unknown touchpoint \"nowhere\" (known: webb_sok, "
                 "felanmalan_app, kontoret)");
    o.set = "touchpoint=kontoret,CSAT=9";
    import_fails(db, "r.csv", csv, &o, "--set:csat",
                 "csat must be 1..5, got \"9\"");
    o.set = "touchpoint=kontoret,mood=glad";
    import_fails(db, "r.csv", csv, &o, "--set:mood",
                 "unknown column \"mood\"; known: id, submitted_at, "
                 "touchpoint, customer, employee, respondent, channel, "
                 "language, nps, csat, ces, comment, and rating:, expect:, "
                 "perceive:, text:, choice:, triad:, dyad:, story:, "
                 "story_title:, attr: + a name");
}

static void test_bad_set_value_stops_even_with_skip_bad(void **state)
{
    struct db *db = *state;
    struct import_opts o = IMPORT_OPTS_INIT;
    struct import_counts n;
    struct err err = ERR_INIT;
    struct strbuf rejects = STRBUF_INIT;
    struct store_counts before = db_counts(db);
    o.set = "touchpoint=kontoret,nps=11";
    o.rejects = rejects_to_strbuf;
    o.rejects_ctx = &rejects;
    assert_int_equal(import_text(db, "r.csv",
                                 "id,submitted_at\n"
                                 "r1,2025-03-14T10:00:00+01:00\n"
                                 "r2,2025-03-14T10:00:00+01:00\n",
                                 &o, &n, &err),
                     ERR_INVALID);
    assert_string_equal(err.where, "--set:nps");
    assert_int_equal(n.rejected, 0);
    /* a time whose fault lies inside the value: still the option's */
    o.set = "touchpoint=kontoret,submitted_at=2024-05-17";
    assert_int_equal(
        import_text(db, "r.csv", "id,nps\nr1,9\nr2,8\n", &o, &n, &err),
        ERR_INVALID);
    assert_string_equal(err.where, "--set:submitted_at");
    assert_non_null(strstr(err.msg, "no time zone"));
    assert_int_equal(n.rejected, 0);
    struct store_counts after = db_counts(db);
    assert_memory_equal(&before, &after, sizeof before);
    strbuf_dispose(&rejects);
}

static void test_set_syntax_errors(void **state)
{
    struct import_opts o = IMPORT_OPTS_INIT;
    const char *csv = "id,submitted_at,touchpoint\n";
    o.set = "touchpoint";
    import_fails(*state, "r.csv", csv, &o, "--set",
                 "expected NAME=VALUE, got \"touchpoint\"");
    o.set = "channel=web,=x";
    import_fails(*state, "r.csv", csv, &o, "--set",
                 "a column name is missing before '='");
    o.set = "channel=web,Channel=app";
    import_fails(*state, "r.csv", csv, &o, "--set", "\"Channel\" is set twice");
    o.set = "channel=\"web";
    import_fails(*state, "r.csv", csv, &o, "--set",
                 "a quoted value is not closed");
    o.set = "channel=\"web\"x";
    import_fails(*state, "r.csv", csv, &o, "--set",
                 "unexpected text after a closing quote: \"x\"");
    /* --na is read the same way and names itself */
    struct import_opts na = IMPORT_OPTS_INIT;
    na.na = "\"N/A";
    import_fails(*state, "r.csv", csv, &na, "--na",
                 "a quoted value is not closed");
}

static void test_na_values_are_absent_except_in_free_text(void **state)
{
    struct db *db = *state;
    struct import_opts o = IMPORT_OPTS_INIT;
    struct import_counts n;
    struct err err = ERR_INIT;
    o.na = "N/A, NA ,-";
    assert_int_equal(import_text(db, "r.csv",
                                 "id,submitted_at,touchpoint,customer,nps,"
                                 "csat,comment,choice:zon\n"
                                 "r1,2025-03-14T10:00:00+01:00,kontoret,n/a,"
                                 " - ,na,N/A,NA\n"
                                 "r2,2025-03-14T10:00:00+01:00,kontoret,k1,"
                                 "9,4,Bra,norr\n",
                                 &o, &n, &err),
                     0);
    assert_int_equal(n.inserted, 2);
    struct stored_list *l = stored_responses(db);
    assert_string_equal(l->v[0].customer, "-"); /* none */
    assert_int_equal(l->v[0].nps, -1);
    /* the comment is kept as written; the choice is absent */
    assert_int_equal(l->v[0].n_answers, 1);
    assert_non_null(strstr(l->v[0].answers[0], "comment text 0 0 N/A"));
    assert_int_equal(l->v[1].n_answers, 2);
    assert_int_equal(db_counts(db).customers, 1);

    /* a required field that is N/A says so */
    import_fails(db, "r.csv",
                 "id,submitted_at,touchpoint\n"
                 "r3,2025-03-14T10:00:00+01:00,N/A\n",
                 &o, "r.csv:2:30",
                 "touchpoint is \"N/A\", which --na makes absent");
}

static void test_na_applies_to_customer_attributes_and_jsonl(void **state)
{
    struct db *db = *state;
    struct import_opts o = IMPORT_OPTS_INIT;
    struct import_counts n;
    struct err err = ERR_INIT;
    o.kind = IMPORT_CUSTOMERS;
    o.na = "saknas";
    assert_int_equal(import_text(db, "c.csv",
                                 "id,segment,rooms,area\n"
                                 "k1,SAKNAS,2,Saknas\n",
                                 &o, &n, &err),
                     0);
    o.format = IMPORT_JSONL;
    assert_int_equal(import_text(db, "c.jsonl",
                                 "{\"id\":\"k2\",\"segment\":\"saknas\","
                                 "\"rooms\":\"saknas\",\"area\":\"Norr\"}\n",
                                 &o, &n, &err),
                     0);
    struct stored_customer_list *c = stored_customers(db);
    assert_int_equal(c->n, 2);
    assert_string_equal(c->rows[0], "k1 - {\"rooms\":2}");
    assert_string_equal(c->rows[1], "k2 - {\"area\":\"Norr\"}");
}

static void test_set_values_may_not_hold_control_characters(void **state)
{
    struct import_opts o = IMPORT_OPTS_INIT;
    o.set = "touchpoint=kontoret,attr:note=a\x1b[31mb";
    import_fails(*state, "r.csv", "id,submitted_at\nr1,2025-03-14T10:00:00Z\n",
                 &o, "--set",
                 "\"attr:note\": control character U+001B (ESC) in the value");
    /* tab, CR and LF are text, as in a file's quoted fields */
    struct import_counts n;
    struct err err = ERR_INIT;
    o.set = "touchpoint=kontoret,attr:note=a\tb";
    assert_int_equal(import_text(*state, "r.csv",
                                 "id,submitted_at\nr1,2025-03-14T10:00:00Z\n",
                                 &o, &n, &err),
                     0);
    assert_int_equal(n.inserted, 1);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, db_setup, db_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_set_values_may_not_hold_control_characters),
        T(test_set_adds_constant_columns_to_responses),
        T(test_set_works_for_customers_and_events),
        T(test_set_column_the_file_has_is_an_error),
        T(test_bad_set_value_is_located_by_name_and_stops),
        T(test_bad_set_value_stops_even_with_skip_bad),
        T(test_set_syntax_errors),
        T(test_na_values_are_absent_except_in_free_text),
        T(test_na_applies_to_customer_attributes_and_jsonl),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
