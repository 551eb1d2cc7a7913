/* loop/bizcal.h: Swedish holidays against the almanac, and deadlines in
 * working time across a weekend, Christmas, midsummer and a change to
 * summer time, checked by counting the hours by hand. */
#include "harness.h"

#include <string.h>

#include "core/err.h"
#include "core/tstamp.h"
#include "core/tzfile.h"
#include "loop/bizcal.h"

static int64_t day_of(int y, unsigned m, unsigned d)
{
    return tstamp_days_from_civil(y, m, d);
}

static void test_easter(void **state)
{
    /* Easter Sundays from the almanac (svenska almanackan) */
    static const int years[] = {1961, 2000, 2008, 2011, 2019,
                                2024, 2025, 2026, 2038, 2100};
    static const unsigned md[][2] = {{4, 2},  {4, 23}, {3, 23}, {4, 24},
                                     {4, 21}, {3, 31}, {4, 20}, {4, 5},
                                     {4, 25}, {3, 28}};
    (void)state;
    for (size_t i = 0; i < sizeof years / sizeof years[0]; i++)
        assert_int_equal(easter_sunday(years[i]),
                         day_of(years[i], md[i][0], md[i][1]));
}

static void test_holidays_2026(void **state)
{
    /* every day off of 2026, from the almanac */
    static const struct {
        unsigned m, d;
        enum se_day kind;
        const char *name;
    } want[] = {{1, 1, SE_PUBLIC_HOLIDAY, "Nyårsdagen"},
                {1, 6, SE_PUBLIC_HOLIDAY, "Trettondedag jul"},
                {4, 3, SE_PUBLIC_HOLIDAY, "Långfredagen"},
                {4, 5, SE_PUBLIC_HOLIDAY, "Påskdagen"},
                {4, 6, SE_PUBLIC_HOLIDAY, "Annandag påsk"},
                {5, 1, SE_PUBLIC_HOLIDAY, "Första maj"},
                {5, 14, SE_PUBLIC_HOLIDAY, "Kristi himmelsfärdsdag"},
                {5, 24, SE_PUBLIC_HOLIDAY, "Pingstdagen"},
                {6, 6, SE_PUBLIC_HOLIDAY, "Sveriges nationaldag"},
                {6, 19, SE_DAY_OFF, "Midsommarafton"},
                {6, 20, SE_PUBLIC_HOLIDAY, "Midsommardagen"},
                {10, 31, SE_PUBLIC_HOLIDAY, "Alla helgons dag"},
                {12, 24, SE_DAY_OFF, "Julafton"},
                {12, 25, SE_PUBLIC_HOLIDAY, "Juldagen"},
                {12, 26, SE_PUBLIC_HOLIDAY, "Annandag jul"},
                {12, 31, SE_DAY_OFF, "Nyårsafton"}};
    size_t k = 0;
    (void)state;
    for (int64_t day = day_of(2026, 1, 1); day <= day_of(2026, 12, 31); day++) {
        const char *name;
        enum se_day got = se_holiday(day, &name);
        int y;
        unsigned m, d;
        tstamp_civil_from_days(day, &y, &m, &d);
        if (k < sizeof want / sizeof want[0] && want[k].m == m &&
            want[k].d == d) {
            assert_int_equal(got, want[k].kind);
            assert_string_equal(name, want[k].name);
            k++;
        } else {
            assert_int_equal(got, SE_WORKDAY);
            assert_null(name);
        }
    }
    assert_int_equal(k, sizeof want / sizeof want[0]);
    /* midsummer and All Saints move: 2024's */
    assert_int_equal(se_holiday(day_of(2024, 6, 21), NULL), SE_DAY_OFF);
    assert_int_equal(se_holiday(day_of(2024, 6, 22), NULL), SE_PUBLIC_HOLIDAY);
    assert_int_equal(se_holiday(day_of(2024, 11, 2), NULL), SE_PUBLIC_HOLIDAY);
    assert_int_equal(se_holiday(day_of(2024, 10, 31), NULL), SE_WORKDAY);
}

/* Stockholm wall-clock time y-m-d h:mi as UTC seconds. */
static int64_t sthlm(const struct tz *z, int y, unsigned m, unsigned d, int h,
                     int mi)
{
    int64_t utc;
    int off;
    struct err err = ERR_INIT;
    tz_local_to_utc(z, day_of(y, m, d) * 86400 + h * 3600 + mi * 60, &utc, &off,
                    &err);
    return utc;
}

static void test_deadlines(void **state)
{
    struct tz *z;
    struct err err = ERR_INIT;
    struct bizcal c;
    (void)state;
    assert_int_equal(tz_load(&z, "Europe/Stockholm", NULL, &err), 0);
    bizcal_default(&c, z);
    const int64_t H = 3600;
    /* within a day */
    assert_int_equal(bizcal_add(&c, sthlm(z, 2026, 12, 16, 9, 0), 4 * H),
                     sthlm(z, 2026, 12, 16, 13, 0));
    /* over a weekend: Friday 16:00 + 4 h = 1 h Friday, 3 h Monday */
    assert_int_equal(bizcal_add(&c, sthlm(z, 2026, 12, 18, 16, 0), 4 * H),
                     sthlm(z, 2026, 12, 21, 11, 0));
    /* over Christmas: Wednesday 23rd 15:00 + 8 h = 2 h, then Christmas
     * Eve, Christmas Day, the weekend: 6 h on Monday 28th */
    assert_int_equal(bizcal_add(&c, sthlm(z, 2026, 12, 23, 15, 0), 8 * H),
                     sthlm(z, 2026, 12, 28, 14, 0));
    /* midsummer: Thursday 18 June 16:00 + 2 h: the eve is off */
    assert_int_equal(bizcal_add(&c, sthlm(z, 2026, 6, 18, 16, 0), 2 * H),
                     sthlm(z, 2026, 6, 22, 9, 0));
    /* Easter: Thursday 2 April 2026 16:30 + 1 h: Good Friday, the
     * weekend and Easter Monday off, 30 min on Tuesday 7th */
    assert_int_equal(bizcal_add(&c, sthlm(z, 2026, 4, 2, 16, 30), H),
                     sthlm(z, 2026, 4, 7, 8, 30));
    /* a start at night counts from the opening; one on Sunday from
     * Monday's */
    assert_int_equal(bizcal_add(&c, sthlm(z, 2026, 12, 16, 3, 0), H),
                     sthlm(z, 2026, 12, 16, 9, 0));
    assert_int_equal(bizcal_add(&c, sthlm(z, 2026, 12, 20, 12, 0), H),
                     sthlm(z, 2026, 12, 21, 9, 0));
    /* across the change to summer time (Sunday 29 March 2026): Friday
     * 16:00 + 2 h is Monday 09:00 summer time, 07:00Z */
    assert_int_equal(bizcal_add(&c, sthlm(z, 2026, 3, 27, 16, 0), 2 * H),
                     sthlm(z, 2026, 3, 30, 9, 0));
    assert_int_equal(sthlm(z, 2026, 3, 30, 9, 0) % 86400, 7 * H);
    /* between is the inverse of add */
    int64_t a = sthlm(z, 2026, 12, 23, 15, 0);
    for (int64_t s = 0; s <= 40 * H; s += 1800)
        assert_int_equal(bizcal_between(&c, a, bizcal_add(&c, a, s)), s);
    assert_int_equal(bizcal_between(&c, a, a - 1), 0);
    /* a calendar open on no day gives the start back, not a hang */
    c.weekdays = 0;
    assert_int_equal(bizcal_add(&c, a, H), a);
    tz_free(z);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_easter),
        cmocka_unit_test(test_holidays_2026),
        cmocka_unit_test(test_deadlines),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
