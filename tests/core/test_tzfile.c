/* Tests for src/core/tzfile.c: TZif zones, their footers, and local time.
 *
 * The reference is glibc: the test (never the product) sets TZ and asks
 * localtime_r for tm_gmtoff, over many instants, and the two must agree
 * to the second. */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/err.h"
#include "core/tstamp.h"
#include "core/tzfile.h"

/* ---- helpers ---- */

static int64_t at(int y, unsigned mo, unsigned d, int h, int mi, int s)
{
    return tstamp_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s;
}

static struct tz *load(const char *name)
{
    struct tz *z = NULL;
    struct err err = ERR_INIT;
    if (tz_load(&z, name, NULL, &err) != 0)
        fail_msg("tz_load %s: %s", name, err.msg);
    return z;
}

static void glibc_zone(const char *tz)
{
    setenv("TZ", tz, 1);
    tzset();
}

static int glibc_offset(int64_t t)
{
    time_t tt = (time_t)t;
    struct tm tm;
    if (!localtime_r(&tt, &tm))
        fail_msg("localtime_r failed at %lld", (long long)t);
    return (int)tm.tm_gmtoff;
}

/* glibc's offset at every step in [from, to), and around every change it
 * shows, found to the second by bisection, so the transition instants
 * themselves are compared too. Returns the number of changes seen. */
static int agree_with_glibc(const struct tz *z, const char *tzenv, int64_t from,
                            int64_t to, int64_t step)
{
    int changes = 0;
    glibc_zone(tzenv);
    int prev = glibc_offset(from);
    for (int64_t t = from; t < to; t += step) {
        int want = glibc_offset(t), got = tz_offset(z, t);
        if (want != got)
            fail_msg("%s at %lld: %d, glibc %d", tzenv, (long long)t, got,
                     want);
        if (want != prev && t > from) {
            int64_t lo = t - step, hi = t; /* glibc(lo) = prev, (hi) != */
            while (hi - lo > 1) {
                int64_t mid = lo + (hi - lo) / 2;
                if (glibc_offset(mid) == prev)
                    lo = mid;
                else
                    hi = mid;
            }
            if (tz_offset(z, lo) != glibc_offset(lo) ||
                tz_offset(z, hi) != glibc_offset(hi))
                fail_msg("%s: transition at %lld: %d/%d, glibc %d/%d", tzenv,
                         (long long)hi, tz_offset(z, lo), tz_offset(z, hi),
                         glibc_offset(lo), glibc_offset(hi));
            changes++;
        }
        prev = want;
    }
    return changes;
}

/* The reference for local-to-UTC, from glibc's offsets by another route:
 * the offsets in force a day and more either side are the candidates
 * (real zones change at most once in that window); each o with
 * glibc(local - o) == o is an occurrence, and the earliest wins. With
 * none, local is in a gap and is read with the smaller offset, the one
 * before the change. Returns the number of occurrences (0, 1 or 2). */
static int glibc_local_to_utc(int64_t local, int64_t *utc)
{
    int a = glibc_offset(local - 93600), b = glibc_offset(local + 93600);
    int k = 0;
    *utc = INT64_MAX;
    if (glibc_offset(local - a) == a) {
        *utc = local - a;
        k++;
    }
    if (b != a && glibc_offset(local - b) == b) {
        if (local - b < *utc)
            *utc = local - b;
        k++;
    }
    if (k == 0)
        *utc = local - (a < b ? a : b);
    return k;
}

static void local_ok(const struct tz *z, int64_t local, int64_t want_utc,
                     int want_off)
{
    int64_t utc = 0;
    int off = 0;
    struct err err = ERR_INIT;
    assert_int_equal(tz_local_to_utc(z, local, &utc, &off, &err), 0);
    if (utc != want_utc || off != want_off) {
        char a[40], b[40];
        tstamp_format(a, sizeof a, utc, 0);
        tstamp_format(b, sizeof b, want_utc, 0);
        fail_msg("%s: local %lld -> %s %+d, want %s %+d", tz_name(z),
                 (long long)local, a, off, b, want_off);
    }
}

/* A synthetic TZif file. Version 0 writes only 32-bit data; '2' and up
 * write a 32-bit block of the transitions that fit, the 64-bit block and
 * the footer (none if footer is NULL). Every type's abbreviation is
 * "LMT". */
struct spec {
    char version;
    size_t ntimes;
    const int64_t *times;
    const unsigned char *idx;
    size_t ntypes;
    const int32_t *offs;
    const char *footer;
};

struct buf {
    unsigned char p[16384];
    size_t n;
};

static void put(struct buf *b, const void *d, size_t n)
{
    assert_true(b->n + n <= sizeof b->p);
    memcpy(b->p + b->n, d, n);
    b->n += n;
}

static void put32(struct buf *b, uint32_t v)
{
    unsigned char c[4] = {(unsigned char)(v >> 24), (unsigned char)(v >> 16),
                          (unsigned char)(v >> 8), (unsigned char)v};
    put(b, c, 4);
}

static void put64(struct buf *b, int64_t v)
{
    put32(b, (uint32_t)((uint64_t)v >> 32));
    put32(b, (uint32_t)v);
}

static void put_block(struct buf *b, const struct spec *s, int wide)
{
    size_t first = 0, count = s->ntimes;
    if (!wide) {
        while (first < s->ntimes && s->times[first] < INT32_MIN)
            first++;
        while (count > first && s->times[count - 1] > INT32_MAX)
            count--;
        count -= first;
    }
    put(b, "TZif", 4);
    put(b, &s->version, 1);
    put(b, "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 15);
    put32(b, 0);                   /* isutcnt */
    put32(b, 0);                   /* isstdcnt */
    put32(b, 0);                   /* leapcnt */
    put32(b, (uint32_t)count);     /* timecnt */
    put32(b, (uint32_t)s->ntypes); /* typecnt */
    put32(b, 4);                   /* charcnt */
    for (size_t i = first; i < first + count; i++) {
        if (wide)
            put64(b, s->times[i]);
        else
            put32(b, (uint32_t)(int32_t)s->times[i]);
    }
    put(b, s->idx + first, count);
    for (size_t i = 0; i < s->ntypes; i++) {
        unsigned char t[2] = {0, 0};
        put32(b, (uint32_t)s->offs[i]);
        put(b, t, 2);
    }
    put(b, "LMT", 4);
}

static void build(struct buf *b, const struct spec *s)
{
    b->n = 0;
    put_block(b, s, 0);
    if (s->version == 0)
        return;
    put_block(b, s, 1);
    if (s->footer) {
        put(b, "\n", 1);
        put(b, s->footer, strlen(s->footer));
        put(b, "\n", 1);
    }
}

static struct tz *parse_ok(const struct buf *b)
{
    struct tz *z = NULL;
    struct err err = ERR_INIT;
    if (tz_parse(&z, b->p, b->n, "synthetic", &err) != 0)
        fail_msg("tz_parse: %s", err.msg);
    return z;
}

static void parse_bad(const void *p, size_t n, const char *msg_part)
{
    struct tz *z = (struct tz *)1;
    struct err err = ERR_INIT;
    assert_int_equal(tz_parse(&z, p, n, "bad", &err), ERR_INVALID);
    assert_null(z);
    if (!strstr(err.msg, msg_part))
        fail_msg("message '%s' lacks '%s'", err.msg, msg_part);
}

/* A footer-only zone: no transitions, one type, the footer for all time. */
static struct tz *footer_zone(const char *footer, int32_t std_off)
{
    static const unsigned char idx[1] = {0};
    struct spec s = {'2', 0, NULL, idx, 1, &std_off, footer};
    struct buf *b = malloc(sizeof *b);
    build(b, &s);
    struct tz *z = parse_ok(b);
    free(b);
    return z;
}

static unsigned char *read_file(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        fail_msg("cannot open %s", path);
    unsigned char *p = malloc(1 << 16);
    *n = fread(p, 1, 1 << 16, f);
    fclose(f);
    return p;
}

static uint32_t get32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 |
           p[3];
}

/* ---- real zones ---- */

static void test_tz_stockholm_offsets_across_2024_transitions(void **state)
{
    (void)state;
    struct tz *z = load("Europe/Stockholm");
    assert_string_equal(tz_name(z), "Europe/Stockholm");
    /* EU rule: 01:00 UTC on the last Sundays of March and October. */
    assert_int_equal(tz_offset(z, at(2024, 1, 15, 12, 0, 0)), 3600);
    assert_int_equal(tz_offset(z, at(2024, 3, 31, 0, 59, 59)), 3600);
    assert_int_equal(tz_offset(z, at(2024, 3, 31, 1, 0, 0)), 7200);
    assert_int_equal(tz_offset(z, at(2024, 7, 1, 12, 0, 0)), 7200);
    assert_int_equal(tz_offset(z, at(2024, 10, 27, 0, 59, 59)), 7200);
    assert_int_equal(tz_offset(z, at(2024, 10, 27, 1, 0, 0)), 3600);
    tz_free(z);
}

static void test_tz_gap_is_read_with_the_offset_before(void **state)
{
    (void)state;
    struct tz *z = load("Europe/Stockholm");
    /* 02:00-03:00 on 2024-03-31 never happened in Stockholm. */
    local_ok(z, at(2024, 3, 31, 2, 30, 0), at(2024, 3, 31, 1, 30, 0), 7200);
    local_ok(z, at(2024, 3, 31, 2, 0, 0), at(2024, 3, 31, 1, 0, 0), 7200);
    local_ok(z, at(2024, 3, 31, 1, 59, 59), at(2024, 3, 31, 0, 59, 59), 3600);
    local_ok(z, at(2024, 3, 31, 3, 0, 0), at(2024, 3, 31, 1, 0, 0), 7200);
    tz_free(z);

    z = load("America/New_York");
    /* 02:00-03:00 on 2024-03-10 never happened: 02:30 EST = 07:30Z. */
    local_ok(z, at(2024, 3, 10, 2, 30, 0), at(2024, 3, 10, 7, 30, 0),
             -4 * 3600);
    tz_free(z);
}

static void test_tz_repeated_time_is_the_first_occurrence(void **state)
{
    (void)state;
    struct tz *z = load("Europe/Stockholm");
    /* 02:00-03:00 on 2024-10-27 happened twice: first in CEST. */
    local_ok(z, at(2024, 10, 27, 2, 30, 0), at(2024, 10, 27, 0, 30, 0), 7200);
    local_ok(z, at(2024, 10, 27, 2, 0, 0), at(2024, 10, 27, 0, 0, 0), 7200);
    local_ok(z, at(2024, 10, 27, 2, 59, 59), at(2024, 10, 27, 0, 59, 59), 7200);
    local_ok(z, at(2024, 10, 27, 3, 0, 0), at(2024, 10, 27, 2, 0, 0), 3600);
    local_ok(z, at(2024, 10, 27, 1, 59, 59), at(2024, 10, 26, 23, 59, 59),
             7200);
    tz_free(z);

    z = load("America/New_York");
    /* 01:30 on 2024-11-03 happened twice: first in EDT = 05:30Z. */
    local_ok(z, at(2024, 11, 3, 1, 30, 0), at(2024, 11, 3, 5, 30, 0),
             -4 * 3600);
    local_ok(z, at(2024, 11, 3, 2, 0, 0), at(2024, 11, 3, 7, 0, 0), -5 * 3600);
    tz_free(z);
}

static void test_tz_lord_howe_half_hour_dst(void **state)
{
    (void)state;
    struct tz *z = load("Australia/Lord_Howe");
    /* +10:30 standard, +11 summer; summer ends 2024-04-07 02:00 local
     * (15:00Z the day before), begins 2024-10-06 02:00 (15:30Z). */
    assert_int_equal(tz_offset(z, at(2024, 4, 6, 14, 59, 59)), 39600);
    assert_int_equal(tz_offset(z, at(2024, 4, 6, 15, 0, 0)), 37800);
    assert_int_equal(tz_offset(z, at(2024, 10, 5, 15, 29, 59)), 37800);
    assert_int_equal(tz_offset(z, at(2024, 10, 5, 15, 30, 0)), 39600);
    /* 02:00-02:30 on 2024-10-06 never happened: 02:15 at +10:30. */
    local_ok(z, at(2024, 10, 6, 2, 15, 0), at(2024, 10, 5, 15, 45, 0), 39600);
    /* 01:30-02:00 on 2024-04-07 happened twice: first at +11. */
    local_ok(z, at(2024, 4, 7, 1, 45, 0), at(2024, 4, 6, 14, 45, 0), 39600);
    local_ok(z, at(2024, 4, 7, 2, 0, 0), at(2024, 4, 6, 15, 30, 0), 37800);
    tz_free(z);
}

static void test_tz_kolkata_and_utc_are_fixed(void **state)
{
    (void)state;
    struct tz *z = load("Asia/Kolkata");
    for (int y = 1950; y <= 2200; y += 5) {
        assert_int_equal(tz_offset(z, at(y, 1, 1, 0, 0, 0)), 19800);
        assert_int_equal(tz_offset(z, at(y, 7, 1, 0, 0, 0)), 19800);
    }
    local_ok(z, at(2024, 5, 17, 19, 32, 0), at(2024, 5, 17, 14, 2, 0), 19800);
    tz_free(z);

    const char *utcs[] = {"UTC", "Etc/UTC", "Etc/GMT"};
    for (size_t i = 0; i < sizeof utcs / sizeof *utcs; i++) {
        z = load(utcs[i]);
        for (int64_t t = -2000000000; t < 8000000000; t += 86400 * 97 + 1)
            assert_int_equal(tz_offset(z, t), 0);
        local_ok(z, at(2024, 3, 31, 2, 30, 0), at(2024, 3, 31, 2, 30, 0), 0);
        tz_free(z);
    }
    /* POSIX signs: Etc/GMT-2 is two hours east. */
    z = load("Etc/GMT-2");
    assert_int_equal(tz_offset(z, at(2024, 1, 1, 0, 0, 0)), 7200);
    tz_free(z);
}

static void test_tz_year_2100_follows_the_footer(void **state)
{
    (void)state;
    /* The file's table ends in 2037; 2100 comes from
     * CET-1CEST,M3.5.0,M10.5.0/3. The last Sundays of 2100 are 28 March
     * and 31 October (2100-01-01 is a Friday). */
    struct tz *z = load("Europe/Stockholm");
    assert_int_equal(tz_offset(z, at(2100, 3, 28, 0, 59, 59)), 3600);
    assert_int_equal(tz_offset(z, at(2100, 3, 28, 1, 0, 0)), 7200);
    assert_int_equal(tz_offset(z, at(2100, 10, 31, 0, 59, 59)), 7200);
    assert_int_equal(tz_offset(z, at(2100, 10, 31, 1, 0, 0)), 3600);
    local_ok(z, at(2100, 3, 28, 2, 30, 0), at(2100, 3, 28, 1, 30, 0), 7200);
    local_ok(z, at(2100, 10, 31, 2, 30, 0), at(2100, 10, 31, 0, 30, 0), 7200);
    tz_free(z);
}

static const char *const sweep_zones[] = {
    "Europe/Stockholm",
    "America/New_York",
    "Australia/Lord_Howe",
    "Asia/Kolkata",
    "Europe/Dublin",
    "America/Sao_Paulo",
    "Pacific/Chatham",
    "America/Nuuk",
    "Asia/Jerusalem",
    "Africa/Casablanca",
    "UTC",
};

static void test_tz_offsets_agree_with_glibc(void **state)
{
    (void)state;
    const int64_t y1970 = 0, y2037 = at(2037, 12, 31, 0, 0, 0),
                  y2200 = at(2200, 12, 31, 0, 0, 0);
    for (size_t i = 0; i < sizeof sweep_zones / sizeof *sweep_zones; i++) {
        struct tz *z = load(sweep_zones[i]);
        /* every 6 hours to 2037, then every 5 days and 1 hour to 2200 */
        int c = agree_with_glibc(z, sweep_zones[i], y1970, y2037, 6 * 3600);
        c +=
            agree_with_glibc(z, sweep_zones[i], y2037, y2200, 5 * 86400 + 3600);
        if (strcmp(sweep_zones[i], "UTC") != 0 &&
            strcmp(sweep_zones[i], "Asia/Kolkata") != 0)
            assert_true(c > 20); /* the sweep saw real transitions */
        tz_free(z);
    }
    unsetenv("TZ");
    tzset();
}

static void test_tz_local_to_utc_agrees_with_glibc(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof sweep_zones / sizeof *sweep_zones; i++) {
        struct tz *z = load(sweep_zones[i]);
        glibc_zone(sweep_zones[i]);
        int seen[3] = {0, 0, 0};
        /* every 10 minutes of 2024, and of 2150 (the footer's years) */
        for (int pass = 0; pass < 2; pass++) {
            int64_t from =
                pass ? at(2150, 1, 1, 0, 0, 0) : at(2024, 1, 1, 0, 0, 0);
            for (int64_t l = from; l < from + 366 * 86400; l += 600) {
                int64_t want, utc;
                int off, k = glibc_local_to_utc(l, &want);
                struct err err = ERR_INIT;
                assert_int_equal(tz_local_to_utc(z, l, &utc, &off, &err), 0);
                if (utc != want || off != glibc_offset(want))
                    fail_msg("%s local %lld: %lld %+d, glibc %lld %+d",
                             sweep_zones[i], (long long)l, (long long)utc, off,
                             (long long)want, glibc_offset(want));
                /* a time that occurred maps back onto itself */
                assert_int_equal(utc + off == l, k > 0);
                seen[k]++;
            }
        }
        /* two years, a gap and a repeat each, six 10-minute steps an hour */
        if (strstr("Europe/Stockholm America/New_York Europe/Dublin",
                   sweep_zones[i])) {
            assert_int_equal(seen[0], 2 * 6);
            assert_int_equal(seen[2], 2 * 6);
        }
        tz_free(z);
    }
    unsetenv("TZ");
    tzset();
}

static void test_tz_slim_file_uses_footer_from_2008(void **state)
{
    (void)state;
    /* Debian may ship "slim" files whose table stops in 2007 and whose
     * footer carries every later change. Build one from the fat file:
     * its 64-bit transitions before 2008 and its types and footer. */
    size_t n;
    unsigned char *p = read_file("/usr/share/zoneinfo/Europe/Stockholm", &n);
    size_t v1 = 44 + get32(p + 32) * 5 + get32(p + 36) * 6 + get32(p + 40) +
                get32(p + 20) + get32(p + 24);
    const unsigned char *h = p + v1, *d = h + 44;
    size_t ntimes = get32(h + 32), ntypes = get32(h + 36);
    int64_t times[TZ_MAX_TIMES];
    unsigned char idx[TZ_MAX_TIMES];
    int32_t offs[TZ_MAX_TYPES];
    size_t k = 0;
    for (size_t i = 0; i < ntimes; i++) {
        int64_t t =
            (int64_t)((uint64_t)get32(d + i * 8) << 32 | get32(d + i * 8 + 4));
        if (t < at(2008, 1, 1, 0, 0, 0)) {
            times[k] = t;
            idx[k++] = d[ntimes * 8 + i];
        }
    }
    for (size_t i = 0; i < ntypes; i++)
        offs[i] = (int32_t)get32(d + ntimes * 9 + i * 6);
    assert_true(k > 50 && k < ntimes);
    struct spec s = {
        '2', k, times, idx, ntypes, offs, "CET-1CEST,M3.5.0,M10.5.0/3"};
    struct buf *b = malloc(sizeof *b);
    build(b, &s);
    struct tz *z = parse_ok(b);
    agree_with_glibc(z, "Europe/Stockholm", 0, at(2200, 1, 1, 0, 0, 0),
                     3 * 3600 + 7);
    unsetenv("TZ");
    tzset();
    tz_free(z);
    free(b);
    free(p);
}

/* ---- footers ---- */

static void test_tz_footer_forms_agree_with_glibc(void **state)
{
    (void)state;
    static const struct {
        const char *footer;
        int32_t std;
    } cases[] = {
        {"CET-1CEST,M3.5.0,M10.5.0/3", 3600},
        {"<+1030>-10:30<+11>-11,M10.1.0,M4.1.0", 37800},
        {"EST5EDT,M3.2.0,M11.1.0", -18000},
        {"IST-2IDT,M3.4.4/26,M10.5.0", 7200},       /* hours > 24 */
        {"<-02>2<-01>,M3.5.0/-1,M10.5.0/0", -7200}, /* negative time */
        {"AAA3BBB,J60/2,J300/2", -10800},           /* Jn skips 29 Feb */
        {"AAA3BBB,59/1:30,300/-2:15:30", -10800},   /* n counts it */
        {"IST-1GMT0,M10.5.0,M3.5.0/1", 3600},       /* negative DST */
        {"XXX-3YYY,M3.5.0/167,M10.5.0/-167", 10800},
        {"AAA+3BBB+2:30,M3.2.0/2:30:15,M11.1.0", -10800},
        {"<+0545>-5:45", 20700},
        {"<-00>0", 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        struct tz *z = footer_zone(cases[i].footer, cases[i].std);
        agree_with_glibc(z, cases[i].footer, at(1990, 1, 1, 0, 0, 0),
                         at(2110, 1, 1, 0, 0, 0), 3 * 3600 + 11);
        tz_free(z);
    }
    unsetenv("TZ");
    tzset();

    /* Jn never counts 29 February: J60 is 1 March in 2024 and 2023;
     * n does: 59 is 29 February 2024 and 1 March 2023. */
    struct tz *j = footer_zone("AAA3BBB,J60/2,J300/2", -10800);
    struct tz *n = footer_zone("AAA3BBB,59/2,300/2", -10800);
    assert_int_equal(tz_offset(j, at(2024, 3, 1, 4, 59, 59)), -10800);
    assert_int_equal(tz_offset(j, at(2024, 3, 1, 5, 0, 0)), -7200);
    assert_int_equal(tz_offset(n, at(2024, 2, 29, 5, 0, 0)), -7200);
    assert_int_equal(tz_offset(n, at(2023, 3, 1, 4, 59, 59)), -10800);
    assert_int_equal(tz_offset(n, at(2023, 3, 1, 5, 0, 0)), -7200);
    tz_free(j);
    tz_free(n);
}

static void test_tz_footer_dst_all_year(void **state)
{
    (void)state;
    /* tzcode's "daylight time all year": the end (31 Dec 25:00 EDT) meets
     * the next start (1 Jan 00:00 EST), so EDT never ends. (glibc shows
     * EST for five hours each New Year here; RFC 8536 and tzcode do not.)
     */
    struct tz *z = footer_zone("EST5EDT,0/0,J365/25", -18000);
    for (int64_t t = at(2020, 1, 1, 0, 0, 0); t < at(2026, 1, 1, 0, 0, 0);
         t += 1800)
        assert_int_equal(tz_offset(z, t), -14400);
    tz_free(z);
}

static void test_tz_table_then_footer_and_before_first(void **state)
{
    (void)state;
    /* Types: 0 = +00:53:28 LMT, 1 = +1, 2 = +2. Transitions in 1910 and
     * 2000; the footer takes over from 2000. */
    static const int32_t offs[] = {3208, 3600, 7200};
    const int64_t times[] = {at(1910, 1, 1, 0, 0, 0), at(2000, 6, 1, 0, 0, 0)};
    static const unsigned char idx[] = {1, 2};
    struct spec s = {
        '2', 2, times, idx, 3, offs, "<+01>-1<+02>,M3.5.0,M10.5.0/3"};
    struct buf b;
    build(&b, &s);
    struct tz *z = parse_ok(&b);
    assert_int_equal(tz_offset(z, at(1899, 12, 31, 23, 0, 0)), 3208);
    assert_int_equal(tz_offset(z, at(1950, 1, 1, 0, 0, 0)), 3600);
    assert_int_equal(tz_offset(z, at(1950, 7, 1, 0, 0, 0)), 3600);
    assert_int_equal(tz_offset(z, at(2000, 6, 1, 0, 0, 0)), 7200);
    assert_int_equal(tz_offset(z, at(2000, 11, 1, 0, 0, 0)), 3600);
    assert_int_equal(tz_offset(z, at(2030, 7, 1, 0, 0, 0)), 7200);
    tz_free(z);

    /* An empty footer keeps the last type; version 1 has no footer. */
    s.footer = "";
    build(&b, &s);
    z = parse_ok(&b);
    assert_int_equal(tz_offset(z, at(2030, 1, 1, 0, 0, 0)), 7200);
    tz_free(z);
    s.version = 0;
    build(&b, &s);
    z = parse_ok(&b);
    assert_int_equal(tz_offset(z, at(1950, 1, 1, 0, 0, 0)), 3600);
    assert_int_equal(tz_offset(z, at(2030, 1, 1, 0, 0, 0)), 7200);
    tz_free(z);

    /* Version 3 with a time before 1901 (only in the 64-bit data). */
    const int64_t old[] = {at(1800, 1, 1, 0, 0, 0)};
    struct spec s3 = {'3', 1, old, idx, 3, offs, "<+01>-1"};
    build(&b, &s3);
    z = parse_ok(&b);
    assert_int_equal(tz_offset(z, at(1799, 1, 1, 0, 0, 0)), 3208);
    assert_int_equal(tz_offset(z, at(1850, 1, 1, 0, 0, 0)), 3600);
    assert_int_equal(tz_offset(z, INT64_MAX), 3600);
    assert_int_equal(tz_offset(z, INT64_MIN), 3208);
    tz_free(z);
}

static void test_tz_extreme_instants_do_not_break(void **state)
{
    (void)state;
    struct tz *z = load("Europe/Stockholm");
    int64_t utc;
    int off;
    struct err err = ERR_INIT;
    /* Instants are clamped to +-2^48 s; the offsets stay the zone's. */
    int o = tz_offset(z, INT64_MAX);
    assert_true(o == 3600 || o == 7200);
    o = tz_offset(z, INT64_MIN);
    assert_true(o == 4332 || o == 3600 || o == 7200);
    assert_int_equal(tz_local_to_utc(z, INT64_MAX, &utc, &off, &err), 0);
    assert_true(llabs((long long)(utc + off - ((int64_t)1 << 48))) < 3600);
    assert_int_equal(tz_local_to_utc(z, INT64_MIN, &utc, &off, &err), 0);
    assert_true(llabs((long long)(utc + off + ((int64_t)1 << 48))) < 3600);
    tz_free(z);
}

/* ---- names and files ---- */

static void test_tz_load_rejects_bad_names(void **state)
{
    (void)state;
    const char *bad_names[] = {"",
                               "../etc/passwd",
                               "/etc/passwd",
                               "Europe/../../etc/passwd",
                               "Europe//Stockholm",
                               "Europe/Stockholm/",
                               "Europe/Stock holm",
                               "zone.tab",
                               "Europe/Stockholm\n"};
    for (size_t i = 0; i < sizeof bad_names / sizeof *bad_names; i++) {
        struct tz *z = (struct tz *)1;
        struct err err = ERR_INIT;
        assert_int_equal(tz_load(&z, bad_names[i], NULL, &err), ERR_INVALID);
        assert_null(z);
        assert_non_null(strstr(err.msg, "bad time zone name"));
    }
    struct tz *z = (struct tz *)1;
    struct err err = ERR_INIT;
    assert_int_equal(tz_load(&z, NULL, NULL, &err), ERR_INVALID);
    assert_null(z);
}

static void test_tz_load_unknown_zone_is_not_found(void **state)
{
    (void)state;
    const char *names[] = {"Nowhere/Atlantis", "Europe", "Europe/Stockholm/x"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        struct tz *z = NULL;
        struct err err = ERR_INIT;
        char want[80];
        assert_int_equal(tz_load(&z, names[i], NULL, &err), ERR_NOTFOUND);
        snprintf(want, sizeof want, "unknown time zone \"%s\"", names[i]);
        assert_string_equal(err.msg, want);
        assert_null(z);
    }
    tz_free(NULL);
}

static void test_tz_load_from_a_directory(void **state)
{
    (void)state;
    char *dir = harness_tmpdir();
    static const unsigned char idx[1] = {0};
    static const int32_t off = 7200;
    struct spec s = {'2', 0, NULL, idx, 1, &off, "<+02>-2"};
    struct buf b;
    build(&b, &s);
    free(harness_write_file(dir, "Plus2", (const char *)b.p, b.n));
    free(harness_write_file(dir, "NotAZone", "# just text\n", 12));
    free(harness_write_file(dir, "Broken", (const char *)b.p, b.n - 3));

    struct tz *z = NULL;
    struct err err = ERR_INIT;
    assert_int_equal(tz_load(&z, "Plus2", dir, &err), 0);
    assert_int_equal(tz_offset(z, 0), 7200);
    tz_free(z);
    assert_int_equal(tz_load(&z, "NotAZone", dir, &err), ERR_NOTFOUND);
    err_clear(&err);
    assert_int_equal(tz_load(&z, "Broken", dir, &err), ERR_INVALID);
    assert_non_null(strstr(err.msg, "time zone \"Broken\""));
    err_clear(&err);
    /* The system directory is not consulted when one is given. */
    assert_int_equal(tz_load(&z, "Europe/Stockholm", dir, &err), ERR_NOTFOUND);
    harness_tmpdir_free(dir);
}

static void test_tz_leap_second_zones_are_refused(void **state)
{
    (void)state;
    struct tz *z = NULL;
    struct err err = ERR_INIT;
    FILE *f = fopen("/usr/share/zoneinfo/right/Europe/Stockholm", "rb");
    if (!f)
        skip();
    fclose(f);
    assert_int_equal(tz_load(&z, "right/Europe/Stockholm", NULL, &err),
                     ERR_INVALID);
    assert_non_null(strstr(err.msg, "leap-second"));
}

/* ---- malformed TZif ---- */

static void test_tz_every_truncation_is_an_error(void **state)
{
    (void)state;
    const char *files[] = {"Europe/Stockholm", "Australia/Lord_Howe", "UTC"};
    for (size_t f = 0; f < sizeof files / sizeof *files; f++) {
        char path[256];
        size_t n;
        snprintf(path, sizeof path, "/usr/share/zoneinfo/%s", files[f]);
        unsigned char *p = read_file(path, &n);
        for (size_t k = 0; k < n; k++) {
            /* an exact-size copy, so ASan sees any over-read */
            unsigned char *c = malloc(k ? k : 1);
            memcpy(c, p, k);
            struct tz *z = NULL;
            struct err err = ERR_INIT;
            assert_int_equal(tz_parse(&z, c, k, files[f], &err), ERR_INVALID);
            assert_true(err.msg[0] != 0);
            free(c);
        }
        struct tz *z = NULL;
        struct err err = ERR_INIT;
        assert_int_equal(tz_parse(&z, p, n, files[f], &err), 0);
        tz_free(z);
        free(p);
    }
}

static void test_tz_malformed_headers(void **state)
{
    (void)state;
    static const int32_t offs[] = {3600, 7200};
    const int64_t times[] = {at(2000, 1, 1, 0, 0, 0), at(2001, 1, 1, 0, 0, 0)};
    static const unsigned char idx[] = {0, 1};
    struct spec s = {'2', 2, times, idx, 2, offs, "<+02>-2"};
    struct buf b, c;
    build(&b, &s);
    const size_t v2 = 44 + 2 * 5 + 2 * 6 + 4; /* the second header */

    parse_bad("", 0, "truncated TZif header");
    parse_bad(b.p, 43, "truncated TZif header");
    parse_bad(b.p, 44, "truncated TZif data");
    parse_bad(b.p, v2 + 10, "truncated TZif header");
    parse_bad(b.p, v2 + 50, "truncated TZif data");

#define PATCH(off, val, msg)                                                   \
    do {                                                                       \
        c = b;                                                                 \
        c.p[(off) + 0] = (unsigned char)((uint32_t)(val) >> 24);               \
        c.p[(off) + 1] = (unsigned char)((uint32_t)(val) >> 16);               \
        c.p[(off) + 2] = (unsigned char)((uint32_t)(val) >> 8);                \
        c.p[(off) + 3] = (unsigned char)(val);                                 \
        parse_bad(c.p, c.n, msg);                                              \
    } while (0)
    PATCH(0, 0x545a6966 ^ 0x100, "bad magic");
    PATCH(v2, 0x545a6967, "bad magic");
    c = b;
    c.p[4] = '1';
    parse_bad(c.p, c.n, "unsupported TZif version");
    c = b;
    c.p[v2 + 4] = '3';
    parse_bad(c.p, c.n, "disagree on version");
    PATCH(32, 100000, "too many transitions");
    PATCH(v2 + 32, 0xffffffffu, "too many transitions");
    PATCH(v2 + 32, TZ_MAX_TIMES + 1, "too many transitions");
    PATCH(v2 + 36, 0, "no local time types");
    PATCH(v2 + 36, 300, "too many local time types");
    PATCH(v2 + 40, 0, "bad abbreviation count");
    PATCH(v2 + 40, 100000, "bad abbreviation count");
    PATCH(v2 + 28, 1, "leap-second");
    PATCH(v2 + 24, 1, "indicator count");
    PATCH(v2 + 20, 5, "indicator count");
    /* counts that are in range but larger than the data */
    PATCH(v2 + 32, 5, "truncated TZif data");
    PATCH(v2 + 40, 500, "truncated TZif data");
#undef PATCH
}

static void test_tz_malformed_data(void **state)
{
    (void)state;
    static const int32_t offs[] = {3600, 7200};
    const int64_t times[] = {at(2000, 1, 1, 0, 0, 0), at(2001, 1, 1, 0, 0, 0)};
    static const unsigned char idx[] = {0, 1};
    struct spec s = {'2', 2, times, idx, 2, offs, "<+02>-2"};
    struct buf b, c;
    build(&b, &s);
    const size_t d = 44 + 2 * 5 + 2 * 6 + 4 + 44; /* the 64-bit data */
    const size_t types = d + 2 * 9;

    c = b;
    memcpy(c.p + d + 8, c.p + d, 8); /* second time = first */
    parse_bad(c.p, c.n, "not ascending");
    c = b;
    c.p[d + 17] = 2;
    parse_bad(c.p, c.n, "type index out of range");
    c = b;
    memcpy(c.p + types, "\x80\0\0\0", 4); /* -2^31 */
    parse_bad(c.p, c.n, "UT offset out of range");
    c = b;
    memcpy(c.p + types, "\0\x01\x6e\x30", 4); /* +26:00 */
    parse_bad(c.p, c.n, "UT offset out of range");
    c = b;
    c.p[types + 4] = 2;
    parse_bad(c.p, c.n, "bad DST indicator");
    c = b;
    c.p[types + 5] = 4;
    parse_bad(c.p, c.n, "bad abbreviation index");
    c = b;
    c.p[types + 12 + 3] = 'X'; /* "LMTX": no NUL */
    parse_bad(c.p, c.n, "bad abbreviation index");
    /* the same faults in the 32-bit data of a version 1 file */
    s.version = 0;
    build(&b, &s);
    c = b;
    c.p[44 + 8 + 1] = 7;
    parse_bad(c.p, c.n, "type index out of range");
    c = b;
    c.p[c.n++] = 0;
    parse_bad(c.p, c.n, "trailing bytes after the TZif data");
}

static void test_tz_malformed_footers(void **state)
{
    (void)state;
    static const int32_t off = 3600;
    static const unsigned char idx[1] = {0};
    struct spec s = {'2', 0, NULL, idx, 1, &off, NULL};
    struct buf b;
    static const struct {
        const char *footer, *msg;
    } cases[] = {
        {"CET-1CEST", "bad TZ footer \"CET-1CEST\" at character 10"},
        {"CET-1CEST,M13.1.0,M10.5.0", "at character 12"},
        {"CET-1CEST,M3.6.0,M10.5.0", "at character 14"},
        {"CET-1CEST,M3.5.7,M10.5.0", "at character 16"},
        {"CET-1CEST,M3.5.0/168,M10.5.0", "at character 18"},
        {"CET-1CEST,M3.5.0", "at character 17"},
        {"CET-1CEST,J0,J365", "at character 12"},
        {"CET-1CEST,366,1", "at character 11"},
        {"CET-1CEST,M3.5.0,M10.5.0x", "at character 25"},
        {"CE-1", "at character 3"},
        {"CET", "at character 4"},
        {"CET25", "at character 4"},
        {"CET-1:60", "at character 7"},
        {"<CE>-1", "at character 5"},
        {"<CET-1", "at character 7"},
        {"CET-1 ", "at character 6"},
        {"CET-1CEST-2x,M3.5.0,M10.5.0", "at character 12"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        s.footer = cases[i].footer;
        build(&b, &s);
        parse_bad(b.p, b.n, cases[i].msg);
    }
    s.footer = NULL;
    build(&b, &s);
    parse_bad(b.p, b.n, "TZ footer missing");
    b.p[b.n++] = '\n';
    parse_bad(b.p, b.n - 1, "TZ footer missing");
    b.p[b.n++] = 'C';
    parse_bad(b.p, b.n, "not terminated");
    b.p[b.n++] = '\n';
    parse_bad(b.p, b.n, "at character 2");

    s.footer = "<+01>-1";
    build(&b, &s);
    b.p[b.n++] = '\n';
    parse_bad(b.p, b.n, "trailing bytes after the TZ footer");

    char longf[TZ_MAX_FOOTER + 8];
    memset(longf, 'A', sizeof longf - 1);
    longf[sizeof longf - 1] = 0;
    s.footer = longf;
    build(&b, &s);
    parse_bad(b.p, b.n, "TZ footer too long");

    static unsigned char big[TZ_MAX_FILE + 1];
    memcpy(big, "TZif2", 5);
    parse_bad(big, sizeof big, "file too large");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tz_stockholm_offsets_across_2024_transitions),
        cmocka_unit_test(test_tz_gap_is_read_with_the_offset_before),
        cmocka_unit_test(test_tz_repeated_time_is_the_first_occurrence),
        cmocka_unit_test(test_tz_lord_howe_half_hour_dst),
        cmocka_unit_test(test_tz_kolkata_and_utc_are_fixed),
        cmocka_unit_test(test_tz_year_2100_follows_the_footer),
        cmocka_unit_test(test_tz_offsets_agree_with_glibc),
        cmocka_unit_test(test_tz_local_to_utc_agrees_with_glibc),
        cmocka_unit_test(test_tz_slim_file_uses_footer_from_2008),
        cmocka_unit_test(test_tz_footer_forms_agree_with_glibc),
        cmocka_unit_test(test_tz_footer_dst_all_year),
        cmocka_unit_test(test_tz_table_then_footer_and_before_first),
        cmocka_unit_test(test_tz_extreme_instants_do_not_break),
        cmocka_unit_test(test_tz_load_rejects_bad_names),
        cmocka_unit_test(test_tz_load_unknown_zone_is_not_found),
        cmocka_unit_test(test_tz_load_from_a_directory),
        cmocka_unit_test(test_tz_leap_second_zones_are_refused),
        cmocka_unit_test(test_tz_every_truncation_is_an_error),
        cmocka_unit_test(test_tz_malformed_headers),
        cmocka_unit_test(test_tz_malformed_data),
        cmocka_unit_test(test_tz_malformed_footers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
