/* Tests for src/ingest/import_time.c: every time an import reads (a
 * response's submitted_at, an event's time, a --set time, --as-of) must
 * lie in TSTAMP_MIN_YEAR..TSTAMP_MAX_YEAR (core/tstamp.h), checked at the
 * exact bounds, and is refused with its location otherwise. */
#include "import_test.h"

#include "core/tstamp.h"

#define HDR "id,submitted_at,touchpoint,nps\n"

struct times {
    int n;
    int64_t ts[8];
    int tz[8];
};

static int collect_ts(void *ctx, const struct response *r)
{
    struct times *t = ctx;
    if (t->n < 8) {
        t->ts[t->n] = r->ts;
        t->tz[t->n] = r->tz_min;
    }
    t->n++;
    return 0;
}

static struct times stored_times(struct db *db)
{
    struct times t = {0};
    struct err err = ERR_INIT;
    assert_int_equal(store_scan_responses(db->s, collect_ts, &t, &err), 0);
    return t;
}

#define DAY(y, m, d) (tstamp_days_from_civil((y), (m), (d)) * 86400)

static void test_bound_constants_are_1900_and_2200(void **state)
{
    (void)state;
    /* the range the issue asks for; analyses size their calendars by it */
    assert_int_equal(TSTAMP_MIN_YEAR, 1900);
    assert_int_equal(TSTAMP_MAX_YEAR, 2200);
    assert_true(tstamp_day_in_range(tstamp_days_from_civil(1900, 1, 1)));
    assert_true(tstamp_day_in_range(tstamp_days_from_civil(2200, 12, 31)));
    assert_false(tstamp_day_in_range(tstamp_days_from_civil(1899, 12, 31)));
    assert_false(tstamp_day_in_range(tstamp_days_from_civil(2201, 1, 1)));
}

static void test_responses_on_the_first_and_last_day_are_stored(void **state)
{
    struct db *db = *state;
    struct import_opts o = IMPORT_OPTS_INIT;
    struct import_counts n;
    struct err err = ERR_INIT;
    assert_int_equal(import_text(db, "r.csv",
                                 HDR
                                 "r1,1900-01-01T00:00:00Z,kontoret,9\n"
                                 "r2,2200-12-31T23:59:59Z,kontoret,3\n"
                                 /* the local date counts, as written */
                                 "r3,1900-01-01T00:00:00+14:00,kontoret,5\n"
                                 "r4,2200-12-31T23:59:00-12:00,kontoret,5\n",
                                 &o, &n, &err),
                     0);
    assert_int_equal(n.inserted, 4);
    struct times t = stored_times(db);
    assert_int_equal(t.n, 4);
    assert_true(t.ts[0] == DAY(1900, 1, 1));
    assert_true(t.ts[1] == DAY(2201, 1, 1) - 1);
    assert_true(t.ts[2] == DAY(1900, 1, 1) - 14 * 3600);
    assert_int_equal(t.tz[2], 14 * 60);
    assert_true(t.ts[3] == DAY(2201, 1, 1) - 60 + 12 * 3600);
}

static void test_responses_a_day_outside_are_located_errors(void **state)
{
    struct import_opts o = IMPORT_OPTS_INIT;
    import_fails(*state, "r.csv",
                 HDR "r1,2025-03-14T10:00:00Z,kontoret,9\n"
                     "r2,1899-12-31T23:59:59Z,kontoret,9\n",
                 &o, "r.csv:3:4",
                 "submitted_at: bad timestamp \"1899-12-31T23:59:59Z\": year "
                 "1899 outside 1900-2200");
    import_fails(*state, "r.csv", HDR "r1,2201-01-01T00:00:00Z,kontoret,9\n",
                 &o, "r.csv:2:4",
                 "submitted_at: bad timestamp \"2201-01-01T00:00:00Z\": year "
                 "2201 outside 1900-2200");
    /* the years of the issue: 0001 and 9999 never reach the store */
    import_fails(*state, "r.csv", HDR "r1,0001-01-01T00:00:00Z,kontoret,9\n",
                 &o, "r.csv:2:4",
                 "submitted_at: bad timestamp \"0001-01-01T00:00:00Z\": year "
                 "1 outside 1900-2200");
    import_fails(*state, "r.csv", HDR "r1,9999-12-31T23:59:59Z,kontoret,9\n",
                 &o, "r.csv:2:4",
                 "submitted_at: bad timestamp \"9999-12-31T23:59:59Z\": year "
                 "9999 outside 1900-2200");
    /* read in a zone or by a pattern, the same bounds */
    o.tz = "Europe/Stockholm";
    o.time_format = "%d/%m/%Y %H:%M";
    import_fails(*state, "r.csv", HDR "r1,31/12/1899 23:59,kontoret,9\n", &o,
                 "r.csv:2:10",
                 "submitted_at: bad timestamp \"31/12/1899 23:59\": year 1899 "
                 "outside 1900-2200");
    struct import_counts n;
    struct err err = ERR_INIT;
    assert_int_equal(import_text(*state, "r.csv",
                                 HDR "r1,01/01/1900 00:00,kontoret,9\n"
                                     "r2,31/12/2200 23:59,kontoret,9\n",
                                 &o, &n, &err),
                     0);
    assert_int_equal(n.inserted, 2);
}

static void test_jsonl_times_have_the_same_bounds(void **state)
{
    struct import_opts o = IMPORT_OPTS_INIT;
    struct import_counts n;
    struct err err = ERR_INIT;
    o.format = IMPORT_JSONL;
    assert_int_equal(
        import_text(*state, "r.jsonl",
                    "{\"id\":\"j1\",\"submitted_at\":\"1900-01-01T00:00:00Z\","
                    "\"touchpoint\":\"kontoret\"}\n"
                    "{\"id\":\"j2\",\"submitted_at\":\"2200-12-31T23:59:59Z\","
                    "\"touchpoint\":\"kontoret\"}\n",
                    &o, &n, &err),
        0);
    assert_int_equal(n.inserted, 2);
    import_fails(*state, "r.jsonl",
                 "{\"id\":\"j3\",\"submitted_at\":\"2201-01-01T00:00:00Z\","
                 "\"touchpoint\":\"kontoret\"}\n",
                 &o, "r.jsonl:1:27",
                 "submitted_at: bad timestamp \"2201-01-01T00:00:00Z\": year "
                 "2201 outside 1900-2200");
}

static void test_event_times_have_the_same_bounds(void **state)
{
    struct db *db = *state;
    struct import_opts o = IMPORT_OPTS_INIT;
    struct import_counts n;
    struct err err = ERR_INIT;
    o.kind = IMPORT_EVENTS;
    assert_int_equal(import_text(db, "e.csv",
                                 "customer,activity,time\n"
                                 "k1,contact,1900-01-01T00:00:00Z\n"
                                 "k1,contact,2200-12-31T23:59:59Z\n",
                                 &o, &n, &err),
                     0);
    assert_int_equal(n.inserted, 2);
    import_fails(db, "e.csv",
                 "customer,activity,time\nk1,contact,1899-12-31T23:59:59Z\n",
                 &o, "e.csv:2:12",
                 "time: bad timestamp \"1899-12-31T23:59:59Z\": year 1899 "
                 "outside 1900-2200");
    import_fails(db, "e.csv",
                 "customer,activity,time\nk1,contact,2201-01-01T00:00:00Z\n",
                 &o, "e.csv:2:12",
                 "time: bad timestamp \"2201-01-01T00:00:00Z\": year 2201 "
                 "outside 1900-2200");
}

static void test_set_times_have_the_same_bounds(void **state)
{
    struct db *db = *state;
    struct import_opts o = IMPORT_OPTS_INIT;
    struct import_counts n;
    struct err err = ERR_INIT;
    o.set = "submitted_at=2200-12-31T23:59:59Z";
    assert_int_equal(
        import_text(db, "r.csv", "id,touchpoint\nr1,kontoret\n", &o, &n, &err),
        0);
    assert_int_equal(n.inserted, 1);
    o.set = "submitted_at=1899-12-31T23:59:59Z";
    import_fails(db, "r.csv", "id,touchpoint\nr2,kontoret\n", &o,
                 "--set:submitted_at",
                 "submitted_at: bad timestamp \"1899-12-31T23:59:59Z\": year "
                 "1899 outside 1900-2200");
    o.kind = IMPORT_EVENTS;
    o.set = "time=2201-01-01T00:00:00Z";
    import_fails(db, "e.csv", "customer,activity\nk1,contact\n", &o,
                 "--set:time",
                 "time: bad timestamp \"2201-01-01T00:00:00Z\": year 2201 "
                 "outside 1900-2200");
}

static void test_as_of_has_the_same_bounds(void **state)
{
    struct db *db = *state;
    struct import_opts o = IMPORT_OPTS_INIT;
    struct import_counts n;
    struct err err = ERR_INIT;
    o.kind = IMPORT_CUSTOMERS;
    assert_int_equal(
        import_text(db, "c.csv", "id,segment\nk1,A\nk2,A\n", &o, &n, &err), 0);
    o.update = 1;
    /* a bare date (midnight UTC) as much as a timestamp */
    o.as_of = "1899-12-31";
    import_fails(db, "c.csv", "id,segment\nk1,B\n", &o, "--as-of",
                 "expected a date (2025-03-01) or a timestamp with a zone: "
                 "bad timestamp \"1899-12-31\": year 1899 outside 1900-2200");
    o.as_of = "2201-01-01";
    import_fails(db, "c.csv", "id,segment\nk1,B\n", &o, "--as-of",
                 "expected a date (2025-03-01) or a timestamp with a zone: "
                 "bad timestamp \"2201-01-01\": year 2201 outside 1900-2200");
    o.as_of = "0001-01-01";
    import_fails(db, "c.csv", "id,segment\nk1,B\n", &o, "--as-of",
                 "expected a date (2025-03-01) or a timestamp with a zone: "
                 "bad timestamp \"0001-01-01\": year 1 outside 1900-2200");
    o.as_of = "2201-01-01T00:00:00Z";
    import_fails(db, "c.csv", "id,segment\nk1,B\n", &o, "--as-of",
                 "expected a date (2025-03-01) or a timestamp with a zone: "
                 "bad timestamp \"2201-01-01T00:00:00Z\": year 2201 outside "
                 "1900-2200");

    o.as_of = "1900-01-01";
    assert_int_equal(
        import_text(db, "c.csv", "id,segment\nk1,B\n", &o, &n, &err), 0);
    o.as_of = "2200-12-31";
    assert_int_equal(
        import_text(db, "c.csv", "id,segment\nk2,B\n", &o, &n, &err), 0);
    struct stored_customer_list *c = stored_customers(db);
    assert_int_equal(c->nseg, 4);
    assert_string_equal(c->segs[1], "1 -2208988800 B"); /* 1900-01-01 */
    assert_string_equal(c->segs[3], "2 7289568000 B");  /* 2200-12-31 */
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, db_setup, db_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bound_constants_are_1900_and_2200),
        T(test_responses_on_the_first_and_last_day_are_stored),
        T(test_responses_a_day_outside_are_located_errors),
        T(test_jsonl_times_have_the_same_bounds),
        T(test_event_times_have_the_same_bounds),
        T(test_set_times_have_the_same_bounds),
        T(test_as_of_has_the_same_bounds),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
