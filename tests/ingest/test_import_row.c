/* Tests for src/ingest/import_row.c: repeated rows within a file,
 * response attributes, customers --update. */
#include "import_test.h"

#include "core/strbuf.h"

#define HDR "id,submitted_at,touchpoint,nps,comment\n"

static int to_strbuf(void *ctx, const char *p, size_t n)
{
    return strbuf_add(ctx, p, n);
}

static void test_identical_rows_are_skipped_and_counted(void **state)
{
    struct db *db = *state;
    struct import_opts o = IMPORT_OPTS_INIT;
    struct import_counts n;
    struct err err = ERR_INIT;
    assert_int_equal(
        import_text(db, "r.csv",
                    HDR "r1,2025-03-14T10:00:00+01:00,kontoret,9,Bra\n"
                        "r2,2025-03-14T10:00:00+01:00,kontoret,3,Dåligt\n"
                        /* the same values, spaced differently */
                        " r1 ,2025-03-14T10:00:00+01:00 , kontoret,9 ,Bra\n"
                        "r1,2025-03-14T10:00:00+01:00,kontoret,9,Bra\n",
                    &o, &n, &err),
        0);
    assert_int_equal(n.read, 4);
    assert_int_equal(n.inserted, 2);
    assert_int_equal(n.repeated, 2);
    assert_int_equal(n.present, 0);
    assert_int_equal(db_counts(db).responses, 2);
    assert_int_equal(db_counts(db).answers, 2);
}

static void test_same_id_different_values_names_both_lines(void **state)
{
    struct import_opts o = IMPORT_OPTS_INIT;
    import_fails(*state, "r.csv",
                 HDR "R7,2025-03-14T10:00:00+01:00,kontoret,9,Bra\n"
                     "R8,2025-03-14T10:00:00+01:00,kontoret,9,Bra\n"
                     "R7,2025-03-14T10:00:00+01:00,kontoret,8,Bra\n",
                 &o, "r.csv:4:1",
                 "id \"R7\" is also on line 2 with different values");
    /* free text is compared as written: a trailing space differs */
    import_fails(*state, "r.csv",
                 HDR "R7,2025-03-14T10:00:00+01:00,kontoret,9,Bra\n"
                     "R7,2025-03-14T10:00:00+01:00,kontoret,9,Bra \n",
                 &o, "r.csv:3:1",
                 "id \"R7\" is also on line 2 with different values");
}

static void test_repeats_compare_after_na_and_ignore_ignored_columns(void **s)
{
    struct db *db = *s;
    struct import_opts o = IMPORT_OPTS_INIT;
    struct import_counts n;
    struct err err = ERR_INIT;
    o.na = "N/A";
    o.map = "exported=-";
    assert_int_equal(
        import_text(db, "r.csv",
                    "id,submitted_at,touchpoint,nps,exported\n"
                    "r1,2025-03-14T10:00:00+01:00,kontoret,,2025-04-01\n"
                    "r1,2025-03-14T10:00:00+01:00,kontoret,n/a,2025-04-02\n",
                    &o, &n, &err),
        0);
    assert_int_equal(n.inserted, 1);
    assert_int_equal(n.repeated, 1);
}

static void test_jsonl_repeats_ignore_key_order_and_number_quoting(void **s)
{
    struct db *db = *s;
    struct import_opts o = IMPORT_OPTS_INIT;
    struct import_counts n;
    struct err err = ERR_INIT;
    o.format = IMPORT_JSONL;
    assert_int_equal(
        import_text(
            db, "r.jsonl",
            "{\"id\":\"r1\",\"submitted_at\":\"2025-03-14T10:00:00Z\","
            "\"touchpoint\":\"kontoret\",\"nps\":9}\n"
            "{\"nps\":\"9\",\"touchpoint\":\"kontoret\",\"id\":\"r1\","
            "\"submitted_at\":\"2025-03-14T10:00:00Z\",\"csat\":null}\n",
            &o, &n, &err),
        0);
    assert_int_equal(n.inserted, 1);
    assert_int_equal(n.repeated, 1);
}

static void test_conflicting_repeat_is_a_rejected_row_with_skip_bad(void **s)
{
    struct db *db = *s;
    struct import_opts o = IMPORT_OPTS_INIT;
    struct import_counts n;
    struct err err = ERR_INIT;
    struct strbuf rej = STRBUF_INIT;
    o.rejects = to_strbuf;
    o.rejects_ctx = &rej;
    assert_int_equal(
        import_text(db, "r.csv",
                    HDR "r1,2025-03-14T10:00:00+01:00,kontoret,9,Bra\n"
                        "r1,2025-03-14T10:00:00+01:00,kontoret,2,Bra\n"
                        "r2,2025-03-14T10:00:00+01:00,kontoret,5,Bra\n"
                        "r1,2025-03-14T10:00:00+01:00,kontoret,9,Bra\n",
                    &o, &n, &err),
        0);
    assert_int_equal(n.inserted, 2);
    assert_int_equal(n.rejected, 1);
    assert_int_equal(n.repeated, 1);
    assert_non_null(strstr(strbuf_str(&rej),
                           "3,1,\"id \"\"r1\"\" is also on line 2 with "
                           "different values\",r1,"));
    strbuf_dispose(&rej);
}

static void test_customer_and_event_repeats(void **state)
{
    struct db *db = *state;
    struct import_opts o = IMPORT_OPTS_INIT;
    struct import_counts n;
    struct err err = ERR_INIT;
    o.kind = IMPORT_CUSTOMERS;
    assert_int_equal(import_text(db, "c.csv",
                                 "id,segment,rooms\nk1,Student,2\n"
                                 "k1,Student,2\nk2,Senior,3\n",
                                 &o, &n, &err),
                     0);
    assert_int_equal(n.inserted, 2);
    assert_int_equal(n.repeated, 1);
    import_fails(db, "c.csv", "id,segment,rooms\nk3,Student,2\nk3,Senior,2\n",
                 &o, "c.csv:3:1",
                 "id \"k3\" is also on line 2 with different values");

    o.kind = IMPORT_EVENTS;
    /* without an id, customer|activity|time is the id */
    assert_int_equal(import_text(db, "e.csv",
                                 "customer,activity,time,hours\n"
                                 "k1,contact,2025-03-02T08:30:00Z,2\n"
                                 "k1,contact,2025-03-02T08:30:00Z,2\n",
                                 &o, &n, &err),
                     0);
    assert_int_equal(n.inserted, 1);
    assert_int_equal(n.repeated, 1);
    import_fails(db, "e.csv",
                 "customer,activity,time,hours\n"
                 "k1,visit,2025-03-02T08:30:00Z,2\n"
                 "k1,visit,2025-03-02T08:30:00Z,3\n",
                 &o, "e.csv:3:1",
                 "an event with the same customer, activity and time (give "
                 "events an id column to keep both) is also on line 2 with "
                 "different values");
    import_fails(db, "e.csv",
                 "id,customer,activity,time\n"
                 "e1,k1,visit,2025-03-02T08:30:00Z\n"
                 "e1,k2,visit,2025-03-02T08:30:00Z\n",
                 &o, "e.csv:3:1",
                 "id \"e1\" is also on line 2 with different values");
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, db_setup, db_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_identical_rows_are_skipped_and_counted),
        T(test_same_id_different_values_names_both_lines),
        T(test_repeats_compare_after_na_and_ignore_ignored_columns),
        T(test_jsonl_repeats_ignore_key_order_and_number_quoting),
        T(test_conflicting_repeat_is_a_rejected_row_with_skip_bad),
        T(test_customer_and_event_repeats),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
