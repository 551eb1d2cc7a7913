/* Period keys and labels: ISO weeks, months, quarters, years. */
#include "harness.h"

#include <string.h>

#include "core/tstamp.h"
#include "stats/period.h"

static int64_t day(int y, unsigned m, unsigned d)
{
    return tstamp_days_from_civil(y, m, d);
}

static void label(enum period_unit u, int64_t dayno, const char *want)
{
    char buf[16];
    period_label(u, period_key(u, dayno), buf, sizeof buf);
    assert_string_equal(buf, want);
}

static void test_period_labels_of_a_day(void **state)
{
    (void)state;
    int64_t d = day(2024, 3, 5);
    label(PERIOD_DAY, d, "2024-03-05");
    label(PERIOD_WEEK, d, "2024-W10");
    label(PERIOD_MONTH, d, "2024-03");
    label(PERIOD_QUARTER, d, "2024-Q1");
    label(PERIOD_YEAR, d, "2024");
    label(PERIOD_QUARTER, day(2024, 12, 31), "2024-Q4");
}

/* ISO weeks at year ends: 2024-12-30 (Mon) is in 2025-W01; 2021-01-03
 * (Sun) is in 2020-W53; 2026-01-01 (Thu) is 2026-W01. */
static void test_period_iso_week_crosses_year_ends(void **state)
{
    (void)state;
    label(PERIOD_WEEK, day(2024, 12, 30), "2025-W01");
    label(PERIOD_WEEK, day(2021, 1, 3), "2020-W53");
    label(PERIOD_WEEK, day(2021, 1, 4), "2021-W01");
    label(PERIOD_WEEK, day(2026, 1, 1), "2026-W01");
    label(PERIOD_WEEK, day(2023, 1, 1), "2022-W52");
}

static void test_period_week_key_is_its_monday(void **state)
{
    (void)state;
    int64_t mon = day(2024, 3, 4);
    for (int i = 0; i < 7; i++)
        assert_int_equal(period_key(PERIOD_WEEK, mon + i), mon);
    assert_int_equal(period_key(PERIOD_WEEK, mon + 7), mon + 7);
    assert_int_equal(period_key(PERIOD_WEEK, day(1969, 12, 31)),
                     day(1969, 12, 29));
}

static void test_period_keys_grow_with_time(void **state)
{
    (void)state;
    for (int u = PERIOD_DAY; u <= PERIOD_YEAR; u++) {
        int64_t prev = period_key((enum period_unit)u, day(2019, 12, 1));
        for (int64_t d = day(2019, 12, 2); d < day(2026, 2, 1); d++) {
            int64_t k = period_key((enum period_unit)u, d);
            assert_true(k >= prev);
            assert_true(period_first_day((enum period_unit)u, k) <= d);
            prev = k;
        }
    }
}

static void test_period_parse_round_trips_labels(void **state)
{
    (void)state;
    for (int u = PERIOD_DAY; u <= PERIOD_YEAR; u++) {
        for (int64_t d = day(2020, 12, 20); d < day(2021, 1, 20); d++) {
            char buf[16];
            int64_t k = period_key((enum period_unit)u, d), back = -1;
            period_label((enum period_unit)u, k, buf, sizeof buf);
            assert_int_equal(
                period_parse(&back, (enum period_unit)u, buf, strlen(buf)), 0);
            assert_int_equal(back, k);
        }
    }
}

static void test_period_parse_rejects_bad_labels(void **state)
{
    (void)state;
    int64_t k;
    assert_int_not_equal(period_parse(&k, PERIOD_MONTH, "2024-13", 7), 0);
    assert_int_not_equal(period_parse(&k, PERIOD_MONTH, "2024-3", 6), 0);
    assert_int_not_equal(period_parse(&k, PERIOD_QUARTER, "2024-Q5", 7), 0);
    assert_int_not_equal(period_parse(&k, PERIOD_WEEK, "2021-W53", 8), 0);
    assert_int_equal(period_parse(&k, PERIOD_WEEK, "2020-W53", 8), 0);
    assert_int_not_equal(period_parse(&k, PERIOD_YEAR, "24", 2), 0);
    assert_int_not_equal(period_parse(&k, PERIOD_DAY, "2024-02-30", 10), 0);
}

static void test_period_first_day_of_month_and_quarter(void **state)
{
    (void)state;
    assert_int_equal(period_first_day(PERIOD_MONTH, 2024 * 12 + 1),
                     day(2024, 2, 1));
    assert_int_equal(period_first_day(PERIOD_QUARTER, 2024 * 4 + 2),
                     day(2024, 7, 1));
    assert_int_equal(period_first_day(PERIOD_YEAR, 2025), day(2025, 1, 1));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_period_labels_of_a_day),
        cmocka_unit_test(test_period_iso_week_crosses_year_ends),
        cmocka_unit_test(test_period_week_key_is_its_monday),
        cmocka_unit_test(test_period_keys_grow_with_time),
        cmocka_unit_test(test_period_parse_round_trips_labels),
        cmocka_unit_test(test_period_parse_rejects_bad_labels),
        cmocka_unit_test(test_period_first_day_of_month_and_quarter),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
