#include "core/tstamp.h"

#include <stdio.h>
#include <string.h>

#include "core/err.h"

int64_t tstamp_days_from_civil(int y, unsigned m, unsigned d)
{
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = (unsigned)(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

void tstamp_civil_from_days(int64_t z, int *y, unsigned *m, unsigned *d)
{
    z += 719468;
    const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = (unsigned)(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const int64_t yy = (int64_t)yoe + era * 400;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (int)(yy + (*m <= 2));
}

int64_t tstamp_local_day(int64_t utc, int tz_min)
{
    int64_t t = utc + (int64_t)tz_min * 60;
    return t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
}

int tstamp_day_in_range(int64_t day)
{
    return day >= tstamp_days_from_civil(TSTAMP_MIN_YEAR, 1, 1) &&
           day < tstamp_days_from_civil(TSTAMP_MAX_YEAR + 1, 1, 1);
}

int tstamp_is_leap(int64_t y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int tstamp_month_days(int64_t y, int m)
{
    static const unsigned char md[] = {31, 28, 31, 30, 31, 30,
                                       31, 31, 30, 31, 30, 31};
    return m == 2 && tstamp_is_leap(y) ? 29 : md[m - 1];
}

/* Reads exactly k digits at *i. */
static int digits(const char *s, size_t n, size_t *i, int k, int *out)
{
    int v = 0;
    for (int j = 0; j < k; j++) {
        if (*i >= n || s[*i] < '0' || s[*i] > '9')
            return -1;
        v = v * 10 + (s[*i] - '0');
        (*i)++;
    }
    *out = v;
    return 0;
}

static int fail(struct err *err, size_t *col, size_t at, const char *what,
                const char *s, size_t n)
{
    if (col)
        *col = at + 1;
    return err_set(err, ERR_INVALID, "bad timestamp \"%.*s\": %s",
                   (int)(n > 40 ? 40 : n), s, what);
}

static int parse_date(int *y, int *mo, int *d, const char *s, size_t n,
                      size_t *i)
{
    if (digits(s, n, i, 4, y) || *i >= n || s[(*i)++] != '-' ||
        digits(s, n, i, 2, mo) || *i >= n || s[(*i)++] != '-' ||
        digits(s, n, i, 2, d))
        return -1;
    return 0;
}

int tstamp_parse_date(int64_t *day, const char *s, size_t n)
{
    int y, mo, d;
    size_t i = 0;
    if (parse_date(&y, &mo, &d, s, n, &i) || i != n || mo < 1 || mo > 12 ||
        d < 1 || d > tstamp_month_days(y, mo))
        return ERR_INVALID;
    *day = tstamp_days_from_civil(y, (unsigned)mo, (unsigned)d);
    return 0;
}

int tstamp_parse(int64_t *utc, int *tz_min, const char *s, size_t n,
                 size_t *col, struct err *err)
{
    int y, mo, d, h = 0, mi = 0, sec = 0, th = 0, tm = 0, sign;
    size_t i = 0;

    if (parse_date(&y, &mo, &d, s, n, &i))
        return fail(err, col, i, "expected YYYY-MM-DDTHH:MM:SS+HH:MM", s, n);
    if (mo < 1 || mo > 12)
        return fail(err, col, 5, "month out of range", s, n);
    if (d < 1 || d > tstamp_month_days(y, mo))
        return fail(err, col, 8, "day out of range", s, n);
    if (i >= n)
        return fail(err, col, i, "time and time zone missing", s, n);
    if (s[i] != 'T' && s[i] != 't' && s[i] != ' ')
        return fail(err, col, i, "expected T between date and time", s, n);
    i++;
    if (digits(s, n, &i, 2, &h) || i >= n || s[i++] != ':' ||
        digits(s, n, &i, 2, &mi))
        return fail(err, col, i, "expected time HH:MM", s, n);
    if (i < n && s[i] == ':') {
        i++;
        if (digits(s, n, &i, 2, &sec))
            return fail(err, col, i, "expected seconds", s, n);
        if (i < n && (s[i] == '.' || s[i] == ',')) {
            i++;
            size_t f = i;
            while (i < n && s[i] >= '0' && s[i] <= '9')
                i++;
            if (i == f)
                return fail(err, col, i, "expected fraction digits", s, n);
        }
    }
    if (h > 24 || mi > 59 || sec > 60 || (h == 24 && (mi || sec)))
        return fail(err, col, 11, "time out of range", s, n);
    if (i >= n)
        return fail(err, col, i, "time zone missing (add Z or +01:00)", s, n);
    if (s[i] == 'Z' || s[i] == 'z') {
        i++;
    } else if (s[i] == '+' || s[i] == '-') {
        sign = s[i] == '-' ? -1 : 1;
        i++;
        if (digits(s, n, &i, 2, &th))
            return fail(err, col, i, "expected zone hours", s, n);
        if (i < n && s[i] == ':')
            i++;
        if (i < n && digits(s, n, &i, 2, &tm))
            return fail(err, col, i, "expected zone minutes", s, n);
        if (th > 14 || tm > 59)
            return fail(err, col, i, "time zone out of range", s, n);
        th *= sign;
        tm *= sign;
    } else {
        return fail(err, col, i, "time zone missing (add Z or +01:00)", s, n);
    }
    if (i != n)
        return fail(err, col, i, "unexpected text after time zone", s, n);
    if (sec == 60)
        sec = 59; /* leap second: keep it in its minute */
    *tz_min = th * 60 + tm;
    *utc = tstamp_days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 +
           (int64_t)h * 3600 + (int64_t)mi * 60 + sec - (int64_t)*tz_min * 60;
    return 0;
}

void tstamp_format(char *buf, size_t n, int64_t utc, int tz_min)
{
    int64_t t = utc + (int64_t)tz_min * 60;
    int64_t day = tstamp_local_day(utc, tz_min);
    int64_t sod = t - day * 86400;
    int y;
    unsigned m, d;
    tstamp_civil_from_days(day, &y, &m, &d);
    if (tz_min == 0) {
        snprintf(buf, n, "%04d-%02u-%02uT%02d:%02d:%02dZ", y, m, d,
                 (int)(sod / 3600), (int)(sod / 60 % 60), (int)(sod % 60));
    } else {
        int a = tz_min < 0 ? -tz_min : tz_min;
        snprintf(buf, n, "%04d-%02u-%02uT%02d:%02d:%02d%c%02d:%02d", y, m, d,
                 (int)(sod / 3600), (int)(sod / 60 % 60), (int)(sod % 60),
                 tz_min < 0 ? '-' : '+', a / 60, a % 60);
    }
}

int tstamp_parse_instant(int64_t *utc, const char *s, struct err *err)
{
    int64_t day;
    int tz;
    size_t col, n = strlen(s);
    if (tstamp_parse_date(&day, s, n) == 0) {
        *utc = day * 86400;
        return 0;
    }
    if (tstamp_parse(utc, &tz, s, n, &col, err) == 0)
        return 0;
    return err_set(err, ERR_INVALID,
                   "'%.64s' is not a date (YYYY-MM-DD) or a time "
                   "(YYYY-MM-DDTHH:MM+01:00)",
                   s);
}
