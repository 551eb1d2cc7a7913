/* Tests for src/core/timefmt.c: timestamp fields in auto, Excel and
 * pattern formats, with and without a zone.
 *
 * Expected instants come from tstamp_parse on the same time written with
 * its offset, so the two parsers check each other. */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/timefmt.h"
#include "core/tstamp.h"
#include "core/tzfile.h"

static struct tz *zone(const char *name)
{
    struct tz *z = NULL;
    struct err err = ERR_INIT;
    if (tz_load(&z, name, NULL, &err) != 0)
        fail_msg("tz_load %s: %s", name, err.msg);
    return z;
}

static struct timefmt *compile(const char *spec)
{
    struct timefmt *f = NULL;
    struct err err = ERR_INIT;
    if (timefmt_compile(&f, spec, &err) != 0)
        fail_msg("compile '%s': %s", spec ? spec : "(null)", err.msg);
    return f;
}

/* The instant and offset of an ISO 8601 time with its zone. */
static void iso(const char *s, int64_t *utc, int *tz_min)
{
    struct err err = ERR_INIT;
    size_t col;
    if (tstamp_parse(utc, tz_min, s, strlen(s), &col, &err) != 0)
        fail_msg("tstamp_parse '%s': %s", s, err.msg);
}

/* s read with spec in z must be the instant and offset of want_iso. */
static void ok(const char *spec, const struct tz *z, const char *s,
               const char *want_iso)
{
    struct timefmt *f = compile(spec);
    struct err err = ERR_INIT;
    int64_t utc = 0, want_utc;
    int tz = 9999, want_tz;
    size_t col = 0;
    iso(want_iso, &want_utc, &want_tz);
    /* an exact-size copy, so ASan sees any read past n */
    size_t n = strlen(s);
    char *c = malloc(n ? n : 1);
    memcpy(c, s, n);
    if (timefmt_parse(f, z, c, n, &utc, &tz, &col, &err) != 0)
        fail_msg("'%s' with '%s': %s (col %zu)", s, spec ? spec : "auto",
                 err.msg, col);
    if (utc != want_utc || tz != want_tz) {
        char got[40];
        tstamp_format(got, sizeof got, utc, tz);
        fail_msg("'%s' with '%s': %s, want %s", s, spec ? spec : "auto", got,
                 want_iso);
    }
    free(c);
    timefmt_free(f);
}

static void bad(const char *spec, const struct tz *z, const char *s,
                const char *msg_part, size_t want_col)
{
    struct timefmt *f = compile(spec);
    struct err err = ERR_INIT;
    int64_t utc;
    int tz;
    size_t col = 0, n = strlen(s);
    char *c = malloc(n ? n : 1);
    memcpy(c, s, n);
    assert_int_equal(timefmt_parse(f, z, c, n, &utc, &tz, &col, &err),
                     ERR_INVALID);
    if (!strstr(err.msg, msg_part))
        fail_msg("'%s': message '%s' lacks '%s'", s, err.msg, msg_part);
    if (col != want_col)
        fail_msg("'%s': column %zu, want %zu (%s)", s, col, want_col, err.msg);
    free(c);
    timefmt_free(f);
}

static void compile_bad(const char *spec, const char *msg_part)
{
    struct timefmt *f = (struct timefmt *)1;
    struct err err = ERR_INIT;
    assert_int_equal(timefmt_compile(&f, spec, &err), ERR_INVALID);
    assert_null(f);
    if (!strstr(err.msg, msg_part))
        fail_msg("'%s': message '%s' lacks '%s'", spec, err.msg, msg_part);
}

/* ---- auto ---- */

static void test_timefmt_auto_reads_what_tstamp_reads(void **state)
{
    (void)state;
    static const char *const dates[] = {
        "2024-05-17", "1900-01-01", "2200-12-31", "2024-02-29", "1970-01-01"};
    static const char *const seps[] = {"T", "t", " "};
    static const char *const times[] = {
        "19:32",        "00:00",      "23:59:59", "19:32:05",
        "19:32:05.123", "19:32:05,5", "24:00",    "23:59:60"};
    static const char *const zones[] = {"Z",    "z",       "+01:00", "+0100",
                                        "+01",  "-05:30",  "-0530",  "+14:00",
                                        "+01:", " +02:00", " Z",     "-00:00"};
    struct timefmt *f = compile(NULL);
    struct tz *sthlm = zone("Europe/Stockholm");
    int checked = 0;
    for (size_t a = 0; a < 5; a++)
        for (size_t b = 0; b < 3; b++)
            for (size_t c = 0; c < 8; c++)
                for (size_t d = 0; d < 12; d++) {
                    char s[64], t[64];
                    snprintf(s, sizeof s, "%s%s%s%s", dates[a], seps[b],
                             times[c], zones[d]);
                    /* tstamp wants the zone right after the time */
                    snprintf(t, sizeof t, "%s%s%s%s", dates[a], seps[b],
                             times[c], zones[d] + (zones[d][0] == ' '));
                    int64_t want, u1, u2;
                    int wtz, z1, z2;
                    size_t col;
                    struct err err = ERR_INIT;
                    if (tstamp_parse(&want, &wtz, t, strlen(t), &col, &err))
                        fail_msg("tstamp refuses '%s': %s", t, err.msg);
                    /* the text's zone wins over a given zone */
                    if (timefmt_parse(f, NULL, s, strlen(s), &u1, &z1, &col,
                                      &err) ||
                        timefmt_parse(f, sthlm, s, strlen(s), &u2, &z2, &col,
                                      &err))
                        fail_msg("'%s': %s", s, err.msg);
                    if (u1 != want || z1 != wtz || u2 != want || z2 != wtz)
                        fail_msg("'%s': %lld %d / %lld %d, tstamp %lld %d", s,
                                 (long long)u1, z1, (long long)u2, z2,
                                 (long long)want, wtz);
                    checked++;
                }
    assert_int_equal(checked, 5 * 3 * 8 * 12);
    tz_free(sthlm);
    timefmt_free(f);
}

static void test_timefmt_auto_agrees_with_tstamp_on_mutations(void **state)
{
    (void)state;
    /* Change one character of valid timestamps in every way over a small
     * alphabet: whenever tstamp accepts the result (and the year is in
     * range), auto must give the same instant and offset. */
    static const char *const seeds[] = {
        "2024-05-17T19:32:05.25+02:00", "2024-02-29 00:00Z",
        "2025-03-14T05:22-05", "1999-12-31T24:00:00+0130"};
    static const char alphabet[] = "0123456789-:T +Zz.,t";
    struct timefmt *f = compile("auto");
    struct gen g;
    int agreed = 0;
    gen_seed(&g, 17);
    for (size_t k = 0; k < sizeof seeds / sizeof *seeds; k++) {
        size_t n = strlen(seeds[k]);
        for (int rep = 0; rep < 4000; rep++) {
            char s[40];
            memcpy(s, seeds[k], n);
            int edits = gen_range(&g, 1, 2);
            for (int e = 0; e < edits; e++)
                s[gen_range(&g, 0, (int)n - 1)] =
                    alphabet[gen_range(&g, 0, (int)sizeof alphabet - 2)];
            int64_t want, got;
            int wtz, gtz,
                y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 +
                    (s[2] - '0') * 10 + (s[3] - '0');
            size_t col;
            struct err e1 = ERR_INIT, e2 = ERR_INIT;
            if (tstamp_parse(&want, &wtz, s, n, &col, &e1) != 0 || y < 1900 ||
                y > 2200)
                continue;
            if (timefmt_parse(f, NULL, s, n, &got, &gtz, &col, &e2) != 0)
                fail_msg("'%.*s': tstamp reads it, auto says %s", (int)n, s,
                         e2.msg);
            if (got != want || gtz != wtz)
                fail_msg("'%.*s': %lld %d, tstamp %lld %d", (int)n, s,
                         (long long)got, gtz, (long long)want, wtz);
            agreed++;
        }
    }
    assert_true(agreed > 1000);
    timefmt_free(f);
}

static void test_timefmt_auto_without_zone_reads_local_time(void **state)
{
    (void)state;
    struct tz *s = zone("Europe/Stockholm"), *ny = zone("America/New_York"),
              *utc = zone("UTC");
    ok(NULL, s, "2024-05-17 19:32", "2024-05-17T19:32:00+02:00");
    ok("auto", s, "2024-05-17T19:32:05", "2024-05-17T19:32:05+02:00");
    ok("AUTO", s, "2024-01-15 08:00:00.5", "2024-01-15T08:00:00+01:00");
    ok(NULL, s, "2024-05-17", "2024-05-17T00:00:00+02:00");
    ok(NULL, s, "  2024-05-17 19:32\t ", "2024-05-17T19:32:00+02:00");
    ok(NULL, ny, "2024-07-04 12:00", "2024-07-04T12:00:00-04:00");
    ok(NULL, ny, "2024-12-24", "2024-12-24T00:00:00-05:00");
    ok(NULL, utc, "2024-05-17 19:32", "2024-05-17T19:32:00Z");
    ok(NULL, ny, "2024-05-17 19:32Z", "2024-05-17T19:32:00Z");
    ok(NULL, NULL, "2024-05-17 19:32 +02:00", "2024-05-17T19:32:00+02:00");
    tz_free(s);
    tz_free(ny);
    tz_free(utc);
}

static void test_timefmt_gaps_and_repeats_follow_the_zone(void **state)
{
    (void)state;
    struct tz *s = zone("Europe/Stockholm");
    /* 02:30 on 2024-03-31 never happened: read as CET, 01:30Z, which the
     * clocks showed as 03:30 CEST; that offset is stored. */
    ok(NULL, s, "2024-03-31 02:30", "2024-03-31T03:30:00+02:00");
    ok("%d/%m/%Y %H:%M", s, "31/03/2024 02:30", "2024-03-31T03:30:00+02:00");
    /* 02:30 on 2024-10-27 happened twice: the first, in CEST. */
    ok(NULL, s, "2024-10-27 02:30", "2024-10-27T02:30:00+02:00");
    ok("%d/%m/%Y %H:%M", s, "27/10/2024 02:30", "2024-10-27T02:30:00+02:00");
    ok(NULL, s, "2024-10-27 03:00", "2024-10-27T03:00:00+01:00");
    tz_free(s);
}

static void test_timefmt_offsets_with_seconds_round_to_minutes(void **state)
{
    (void)state;
    /* Monrovia kept -00:44:30 until 1972: the instant is exact, the
     * stored offset is the nearest minute (-45, half away from zero). */
    struct tz *z = zone("Africa/Monrovia");
    struct timefmt *f = compile(NULL);
    struct err err = ERR_INIT;
    int64_t utc, want;
    int tz, wtz;
    size_t col;
    const char *s = "1950-06-01 12:00";
    iso("1950-06-01T12:44:30Z", &want, &wtz);
    assert_int_equal(timefmt_parse(f, z, s, strlen(s), &utc, &tz, &col, &err),
                     0);
    assert_int_equal(utc, want);
    assert_int_equal(tz, -45);
    tz_free(z);
    timefmt_free(f);
}

static void test_timefmt_auto_errors_say_what_and_where(void **state)
{
    (void)state;
    struct tz *s = zone("Europe/Stockholm");
    bad(NULL, NULL, "2024-05-17 19:32",
        "no time zone: give the zone in the timestamp or --tz", 17);
    bad(NULL, NULL, "2024-05-17 19:32   ", "no time zone", 17);
    bad(NULL, NULL, "2024-05-17", "no time zone", 11);
    bad(NULL, s, "17/05/2024 19:32",
        "day and month order is ambiguous: give --time-format, e.g. "
        "--time-format '%d/%m/%Y %H:%M'",
        3);
    bad(NULL, s, "05/17/2024", "--time-format '%d/%m/%Y'", 3);
    bad(NULL, s, "17.05.2024 19:32", "--time-format '%d.%m.%Y %H:%M'", 3);
    bad(NULL, s, "7-5-2024", "ambiguous", 2);
    bad(NULL, s, "2024/05/17 10:00", "--time-format '%Y/%m/%d %H:%M'", 5);
    bad(NULL, s, "45429.8125", "--time-format excel", 1);
    bad(NULL, s, " 45429", "--time-format excel", 2);
    bad(NULL, s, "1899-12-31 23:59Z", "year 1899 outside 1900-2200", 1);
    bad(NULL, s, "  2201-01-01", "year 2201 outside 1900-2200", 3);
    bad(NULL, s, "2024-13-01", "month 13 out of range", 6);
    bad(NULL, s, "  2023-02-29", "day 29 out of range for 2023-02", 11);
    bad(NULL, s, "2024-05-17 25:00", "hour 25 out of range", 12);
    bad(NULL, s, "2024-05-17 24:01", "hour 24 out of range", 12);
    bad(NULL, s, "2024-05-17 19:60", "minutes 60 out of range", 15);
    bad(NULL, s, "2024-05-17 19:32:61", "seconds 61 out of range", 18);
    bad(NULL, s, "2024-05-17x19:32", "expected T or a space", 11);
    bad(NULL, s, "2024-05-17 19", "expected ':'", 14);
    bad(NULL, s, "2024-05-17 1932", "expected ':'", 14);
    bad(NULL, s, "2024-5-17", "expected YYYY-MM-DD", 7);
    bad(NULL, s, "2024-05-17 19:32:05.", "expected fraction digits", 21);
    bad(NULL, s, "2024-05-17 19:32+15:00", "time zone out of range", 17);
    bad(NULL, s, "2024-05-17 19:32+1", "expected a zone", 19);
    bad(NULL, s, "2024-05-17 19:32 CET", "unexpected text after the time", 17);
    bad(NULL, s, "2024-05-17 19:32Zx", "unexpected text after the time zone",
        18);
    bad(NULL, s, "May 17, 2024", "expected YYYY-MM-DD", 1);
    bad(NULL, s, "", "empty", 1);
    bad(NULL, s, "   ", "empty", 4);
    tz_free(s);
}

/* ---- patterns ---- */

static void test_timefmt_patterns(void **state)
{
    (void)state;
    struct tz *s = zone("Europe/Stockholm"), *ny = zone("America/New_York");
    ok("%d/%m/%Y %H:%M", s, "17/05/2024 19:32", "2024-05-17T19:32:00+02:00");
    ok("%d/%m/%Y %H:%M", s, "7/5/2024 9:05", "2024-05-07T09:05:00+02:00");
    ok("%d/%m/%Y %H:%M", s, " 17/05/2024   19:32 ",
       "2024-05-17T19:32:00+02:00");
    ok("%m/%d/%Y %H:%M", ny, "05/17/2024 19:32", "2024-05-17T19:32:00-04:00");
    ok("%d.%m.%Y", s, "17.05.2024", "2024-05-17T00:00:00+02:00");
    ok("%Y%m%d%H%M%S", s, "20240517193205", "2024-05-17T19:32:05+02:00");
    ok("%d/%m/%Y %H", s, "17/05/2024 19", "2024-05-17T19:00:00+02:00");
    ok("%Y-%m-%dT%H:%M:%S%z", ny, "2024-05-17T19:32:05+0200",
       "2024-05-17T19:32:05+02:00");
    ok("%Y-%m-%dT%H:%M:%S%z", ny, "2024-05-17T19:32:05-05:30",
       "2024-05-17T19:32:05-05:30");
    ok("%Y-%m-%dT%H:%M:%S%z", NULL, "2024-05-17T19:32:05Z",
       "2024-05-17T19:32:05Z");
    ok("%Y-%m-%d %%", s, "2024-05-17 %", "2024-05-17T00:00:00+02:00");
    ok("  %d/%m/%Y  ", s, "17/05/2024", "2024-05-17T00:00:00+02:00");
    ok("%d/%m/%Y kl. %H.%M", s, "17/05/2024 kl. 19.32",
       "2024-05-17T19:32:00+02:00");
    ok("%H:%M %d/%m/%Y", s, "19:32 17/05/2024", "2024-05-17T19:32:00+02:00");
    tz_free(s);
    tz_free(ny);
}

static void test_timefmt_month_names_english_and_swedish(void **state)
{
    (void)state;
    struct tz *s = zone("Europe/Stockholm");
    static const struct {
        const char *v, *want;
    } cases[] = {
        {"17 maj 2024", "2024-05-17"},    {"17 May 2024", "2024-05-17"},
        {"17 MAY 2024", "2024-05-17"},    {"1 jan 2024", "2024-01-01"},
        {"1 Januari 2024", "2024-01-01"}, {"1 january 2024", "2024-01-01"},
        {"3 mars 2024", "2024-03-03"},    {"3 Mar 2024", "2024-03-03"},
        {"3 march 2024", "2024-03-03"},   {"9 okt 2024", "2024-10-09"},
        {"9 Oct 2024", "2024-10-09"},     {"9 oktober 2024", "2024-10-09"},
        {"2 sep 2024", "2024-09-02"},     {"2 september 2024", "2024-09-02"},
        {"30 jun 2024", "2024-06-30"},    {"30 juni 2024", "2024-06-30"},
        {"31 jul 2024", "2024-07-31"},    {"31 juli 2024", "2024-07-31"},
        {"15 aug 2024", "2024-08-15"},    {"15 augusti 2024", "2024-08-15"},
        {"29 feb 2024", "2024-02-29"},    {"29 Februari 2024", "2024-02-29"},
        {"4 apr 2024", "2024-04-04"},     {"4 april 2024", "2024-04-04"},
        {"5 nov 2024", "2024-11-05"},     {"24 dec 2024", "2024-12-24"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char want[40];
        int64_t u;
        int tz;
        snprintf(want, sizeof want, "%sT12:00:00Z", cases[i].want);
        iso(want, &u, &tz);
        /* the zone's offset that day, from tz_offset */
        int off = tz_offset(s, u) / 60;
        snprintf(want, sizeof want, "%sT00:00:00+%02d:00", cases[i].want,
                 off / 60);
        ok("%d %b %Y", s, cases[i].v, want);
    }
    bad("%d %b %Y", s, "17 Mey 2024", "expected a month name (%b)", 4);
    bad("%d %b %Y", s, "17 Mayo 2024", "expected a space", 7);
    tz_free(s);
}

static void test_timefmt_two_digit_years(void **state)
{
    (void)state;
    struct tz *u = zone("UTC");
    ok("%d-%b-%y", u, "17-May-24", "2024-05-17T00:00:00Z");
    ok("%d-%b-%y", u, "01-Jan-00", "2000-01-01T00:00:00Z");
    ok("%d-%b-%y", u, "31-Dec-68", "2068-12-31T00:00:00Z");
    ok("%d-%b-%y", u, "01-Jan-69", "1969-01-01T00:00:00Z");
    ok("%d-%b-%y", u, "31-Dec-99", "1999-12-31T00:00:00Z");
    ok("%d/%m/%y %H:%M", u, "7/5/24 9:05", "2024-05-07T09:05:00Z");
    bad("%d/%m/%y", u, "7/5/2024", "unexpected text after the timestamp", 7);
    bad("%d/%m/%y", u, "7/5/4", "expected a 2-digit year (%y)", 6);
    tz_free(u);
}

static void test_timefmt_pattern_errors_say_what_and_where(void **state)
{
    (void)state;
    struct tz *s = zone("Europe/Stockholm");
    const char *p = "%d/%m/%Y %H:%M";
    bad(p, s, "17-05-2024 19:32", "expected '/'", 3);
    bad(p, s, "32/05/2024 19:32", "day 32 out of range for 2024-05", 1);
    bad(p, s, "29/02/2023 10:00", "day 29 out of range for 2023-02", 1);
    bad(p, s, "0/02/2023 10:00", "day 0 out of range", 1);
    bad(p, s, "17/13/2024 19:32", "month 13 out of range", 4);
    bad(p, s, "17/00/2024 19:32", "month 0 out of range", 4);
    bad(p, s, "17/05/2024 24:00", "hour 24 out of range", 12);
    bad(p, s, "17/05/2024 19:60", "minutes 60 out of range", 15);
    bad(p, s, "17/05/2024", "expected a space", 11);
    bad(p, s, "17/05/2024 19:32 extra", "unexpected text after the timestamp",
        17);
    bad(p, s, "17/05/24 19:32", "expected a 4-digit year (%Y)", 9);
    bad(p, s, "x7/05/2024 19:32", "expected a day (%d)", 1);
    bad(p, s, "17/05/2024 :32", "expected an hour (%H)", 12);
    bad(p, s, "17/05/2024 19:", "expected minutes (%M)", 15);
    bad(p, s, "17/05/1850 19:32", "year 1850 outside 1900-2200", 7);
    bad(p, NULL, "17/05/2024 19:32", "no time zone", 17);
    const char *z = "%Y-%m-%dT%H:%M:%S%z";
    bad(z, s, "2024-05-17T19:32:05+2:00", "expected a zone", 22);
    bad(z, s, "2024-05-17T19:32:05+15:00", "time zone out of range", 20);
    bad(z, s, "2024-05-17T19:32:05", "expected a zone", 20);
    bad(z, s, "2024-05-17T19:32:5Z", "expected 2-digit seconds (%S)", 19);
    bad("%Y-%m-%d %%", s, "2024-05-17 x", "expected '%'", 12);
    tz_free(s);
}

static void test_timefmt_compile_errors_name_the_fault(void **state)
{
    (void)state;
    compile_bad("%d/%m", "no year (%Y or %y)");
    compile_bad("%Y-%m", "no day (%d)");
    compile_bad("%Y-%d", "no month (%m or %b)");
    compile_bad("", "no year");
    compile_bad("%Y-%m-%d %q", "unknown directive %q");
    compile_bad("%Y-%m-%d %I:%M", "unknown directive %I");
    compile_bad("%Y-%m-%d %", "ends with a lone %");
    compile_bad("%Y-%m-%d %Y", "a field given twice: %Y");
    compile_bad("%y %Y-%m-%d", "a field given twice: %Y");
    compile_bad("%b %m %Y %d", "a field given twice: %m");
    compile_bad("%Y-%m-%d %M", "minutes without an hour: %M");
    compile_bad("%Y-%m-%d %H:%S", "seconds without minutes: %S");
    compile_bad("%Y-%m-%d\x01%\x01", "unknown directive %\\x01");
    char big[TIMEFMT_MAX_SPEC + 2];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = 0;
    compile_bad(big, "too long");

    const char *fine[] = {NULL, "auto", "AUTO", "excel", "Excel", "%Y%m%d"};
    for (size_t i = 0; i < sizeof fine / sizeof *fine; i++)
        timefmt_free(compile(fine[i]));
    timefmt_free(NULL);
}

/* ---- Excel ---- */

static void test_timefmt_excel_serials(void **state)
{
    (void)state;
    struct tz *s = zone("Europe/Stockholm"), *u = zone("UTC");
    ok("excel", s, "45429.8125", "2024-05-17T19:30:00+02:00");
    ok("excel", s, "45429,8125", "2024-05-17T19:30:00+02:00");
    ok("excel", s, " 45429 ", "2024-05-17T00:00:00+02:00");
    ok("excel", s, "45429.81388888889", "2024-05-17T19:32:00+02:00");
    ok("excel", s, "45429.999999999", "2024-05-18T00:00:00+02:00");
    ok("excel", s, "45382.10416666667", "2024-03-31T03:30:00+02:00"); /* gap */
    ok("excel", u, "61", "1900-03-01T00:00:00Z");
    ok("excel", u, "25569", "1970-01-01T00:00:00Z");
    /* 25569 is 1970-01-01 in Excel's count: every serial is that many
     * days on, whatever the day-number helpers say */
    struct timefmt *f = compile("excel");
    for (int64_t d = 61; d < 109000; d += 997) {
        for (int k = 0; k < 86400; k += 86400 / 7 + 13) {
            char v[48];
            int64_t utc;
            int tz;
            size_t col;
            struct err err = ERR_INIT;
            /* k seconds as a fraction of a day, to 12 places */
            snprintf(v, sizeof v, "%lld.%012lld", (long long)d,
                     (long long)((k * 1000000000000LL + 43200) / 86400));
            assert_int_equal(
                timefmt_parse(f, u, v, strlen(v), &utc, &tz, &col, &err), 0);
            assert_int_equal(utc, (d - 25569) * 86400 + k);
            assert_int_equal(tz, 0);
        }
    }
    timefmt_free(f);
    bad("excel", NULL, "45429.8125", "no time zone", 11);
    bad("excel", s, "abc", "expected an Excel serial day number", 1);
    bad("excel", s, "45429.8x", "expected an Excel serial day number", 8);
    bad("excel", s, "45429.", "expected digits after '.'", 7);
    bad("excel", s, "-45429", "expected an Excel serial day number", 1);
    bad("excel", s, "60", "before 1900-03-01", 1);
    bad("excel", s, "  0.5", "before 1900-03-01", 3);
    bad("excel", s, "110000", "outside 1900-2200", 1);
    bad("excel", s, "99999999999999999999", "outside 1900-2200", 1);
    tz_free(s);
    tz_free(u);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_timefmt_auto_reads_what_tstamp_reads),
        cmocka_unit_test(test_timefmt_auto_agrees_with_tstamp_on_mutations),
        cmocka_unit_test(test_timefmt_auto_without_zone_reads_local_time),
        cmocka_unit_test(test_timefmt_gaps_and_repeats_follow_the_zone),
        cmocka_unit_test(test_timefmt_offsets_with_seconds_round_to_minutes),
        cmocka_unit_test(test_timefmt_auto_errors_say_what_and_where),
        cmocka_unit_test(test_timefmt_patterns),
        cmocka_unit_test(test_timefmt_month_names_english_and_swedish),
        cmocka_unit_test(test_timefmt_two_digit_years),
        cmocka_unit_test(test_timefmt_pattern_errors_say_what_and_where),
        cmocka_unit_test(test_timefmt_compile_errors_name_the_fault),
        cmocka_unit_test(test_timefmt_excel_serials),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
