#include "harness.h"

#include <string.h>

#include "core/err.h"
#include "core/tstamp.h"

static void parse_ok(const char *s, int64_t want_utc, int want_tz)
{
    struct err err = ERR_INIT;
    int64_t utc = 0;
    int tz = 99;
    size_t col = 0;
    assert_int_equal(tstamp_parse(&utc, &tz, s, strlen(s), &col, &err), 0);
    assert_int_equal(utc, want_utc);
    assert_int_equal(tz, want_tz);
}

static size_t parse_bad(const char *s, const char *msg_part)
{
    struct err err = ERR_INIT;
    int64_t utc;
    int tz;
    size_t col = 0;
    assert_int_equal(tstamp_parse(&utc, &tz, s, strlen(s), &col, &err),
                     ERR_INVALID);
    if (!strstr(err.msg, msg_part))
        fail_msg("'%s': message '%s' lacks '%s'", s, err.msg, msg_part);
    return col;
}

static void test_tstamp_parses_offsets_and_z(void **state)
{
    (void)state;
    /* 2025-03-14T10:22:00Z = 1741947720 (date -u -d ... +%s) */
    parse_ok("2025-03-14T10:22:00Z", 1741947720, 0);
    parse_ok("2025-03-14T11:22:00+01:00", 1741947720, 60);
    parse_ok("2025-03-14 11:22:00+0100", 1741947720, 60);
    parse_ok("2025-03-14T05:22-05", 1741947720, -300);
    parse_ok("2025-03-14T10:22:00.123Z", 1741947720, 0);
    parse_ok("1970-01-01T00:00:00Z", 0, 0);
    parse_ok("2024-02-29T12:00:00+02:00", 1709200800, 120);
}

static void test_tstamp_rejects_with_column(void **state)
{
    (void)state;
    assert_int_equal(parse_bad("2025-03-14T10:22:00", "time zone missing"),
                     20);
    parse_bad("2025-13-01T00:00:00Z", "month out of range");
    parse_bad("2023-02-29T00:00:00Z", "day out of range");
    parse_bad("2025-03-14", "time and time zone missing");
    parse_bad("14/03/2025 10:22", "expected YYYY-MM-DD");
    parse_bad("2025-03-14T25:00:00Z", "time out of range");
    assert_int_equal(parse_bad("2025-03-14T10:22:00Zx", "unexpected text"),
                     21);
}

static void test_tstamp_civil_round_trip(void **state)
{
    (void)state;
    for (int64_t d = -800000; d < 800000; d += 37) {
        int y;
        unsigned m, dd;
        tstamp_civil_from_days(d, &y, &m, &dd);
        assert_int_equal(tstamp_days_from_civil(y, m, dd), d);
    }
}

static void test_tstamp_local_day_uses_offset(void **state)
{
    (void)state;
    /* 2025-01-31T23:30:00Z is already 1 February in Stockholm (+01:00). */
    int64_t utc = tstamp_days_from_civil(2025, 1, 31) * 86400 + 23 * 3600 +
                  1800;
    assert_int_equal(tstamp_local_day(utc, 0),
                     tstamp_days_from_civil(2025, 1, 31));
    assert_int_equal(tstamp_local_day(utc, 60),
                     tstamp_days_from_civil(2025, 2, 1));
    assert_int_equal(tstamp_local_day(-1, 0), -1);
}

static void test_tstamp_format_round_trips(void **state)
{
    char buf[40];
    (void)state;
    tstamp_format(buf, sizeof buf, 1741947720, 60);
    assert_string_equal(buf, "2025-03-14T11:22:00+01:00");
    tstamp_format(buf, sizeof buf, 1741947720, 0);
    assert_string_equal(buf, "2025-03-14T10:22:00Z");
    tstamp_format(buf, sizeof buf, 1741947720, -330);
    assert_string_equal(buf, "2025-03-14T04:52:00-05:30");
}

static void test_tstamp_parse_date(void **state)
{
    int64_t d;
    (void)state;
    assert_int_equal(tstamp_parse_date(&d, "2025-03-01", 10), 0);
    assert_int_equal(d, tstamp_days_from_civil(2025, 3, 1));
    assert_int_equal(tstamp_parse_date(&d, "2025-02-30", 10), ERR_INVALID);
    assert_int_equal(tstamp_parse_date(&d, "2025-3-1", 8), ERR_INVALID);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tstamp_parses_offsets_and_z),
        cmocka_unit_test(test_tstamp_rejects_with_column),
        cmocka_unit_test(test_tstamp_civil_round_trip),
        cmocka_unit_test(test_tstamp_local_day_uses_offset),
        cmocka_unit_test(test_tstamp_format_round_trips),
        cmocka_unit_test(test_tstamp_parse_date),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
