#include "stats/period.h"

#include <stdio.h>

#include "core/err.h"
#include "core/tstamp.h"

/* Monday = 0 .. Sunday = 6; 1970-01-01 was a Thursday. */
static int weekday(int64_t day)
{
    int64_t w = (day + 3) % 7;
    return (int)(w < 0 ? w + 7 : w);
}

void period_iso_week(int64_t day, int *iso_year, int *week)
{
    int64_t thursday = day - weekday(day) + 3;
    int y;
    unsigned m, d;
    tstamp_civil_from_days(thursday, &y, &m, &d);
    *iso_year = y;
    *week = (int)((thursday - tstamp_days_from_civil(y, 1, 1)) / 7) + 1;
}

int64_t period_key(enum period_unit u, int64_t day)
{
    int y;
    unsigned m, d;
    switch (u) {
    case PERIOD_DAY:
        return day;
    case PERIOD_WEEK:
        return day - weekday(day);
    default:
        break;
    }
    tstamp_civil_from_days(day, &y, &m, &d);
    switch (u) {
    case PERIOD_MONTH:
        return (int64_t)y * 12 + (m - 1);
    case PERIOD_QUARTER:
        return (int64_t)y * 4 + (m - 1) / 3;
    default:
        return y;
    }
}

/* Floor division for keys of years before 0 (never in practice). */
static int64_t fdiv(int64_t a, int64_t b)
{
    return a >= 0 ? a / b : -((-a + b - 1) / b);
}

int64_t period_first_day(enum period_unit u, int64_t key)
{
    switch (u) {
    case PERIOD_DAY:
    case PERIOD_WEEK:
        return key;
    case PERIOD_MONTH:
        return tstamp_days_from_civil(
            (int)fdiv(key, 12), (unsigned)(key - fdiv(key, 12) * 12) + 1, 1);
    case PERIOD_QUARTER:
        return tstamp_days_from_civil(
            (int)fdiv(key, 4), (unsigned)(key - fdiv(key, 4) * 4) * 3 + 1, 1);
    default:
        return tstamp_days_from_civil((int)key, 1, 1);
    }
}

void period_label(enum period_unit u, int64_t key, char *buf, size_t n)
{
    int y, w;
    unsigned m, d;
    switch (u) {
    case PERIOD_DAY:
        tstamp_civil_from_days(key, &y, &m, &d);
        snprintf(buf, n, "%04d-%02u-%02u", y, m, d);
        break;
    case PERIOD_WEEK:
        period_iso_week(key, &y, &w);
        snprintf(buf, n, "%04d-W%02d", y, w);
        break;
    case PERIOD_MONTH:
        snprintf(buf, n, "%04lld-%02lld", (long long)fdiv(key, 12),
                 (long long)(key - fdiv(key, 12) * 12) + 1);
        break;
    case PERIOD_QUARTER:
        snprintf(buf, n, "%04lld-Q%lld", (long long)fdiv(key, 4),
                 (long long)(key - fdiv(key, 4) * 4) + 1);
        break;
    default:
        snprintf(buf, n, "%04lld", (long long)key);
        break;
    }
}

/* Reads exactly k digits starting at *i. */
static int digits(const char *s, size_t n, size_t *i, int k, int *out)
{
    int v = 0;
    for (int j = 0; j < k; j++, (*i)++) {
        if (*i >= n || s[*i] < '0' || s[*i] > '9')
            return -1;
        v = v * 10 + (s[*i] - '0');
    }
    *out = v;
    return 0;
}

int period_parse(int64_t *key, enum period_unit u, const char *s, size_t n)
{
    size_t i = 0;
    int y, v;
    if (u == PERIOD_DAY) {
        if (tstamp_parse_date(key, s, n) < 0)
            return ERR_INVALID;
        return 0;
    }
    if (digits(s, n, &i, 4, &y) < 0)
        return ERR_INVALID;
    if (u == PERIOD_YEAR) {
        if (i != n)
            return ERR_INVALID;
        *key = y;
        return 0;
    }
    if (i >= n || s[i++] != '-')
        return ERR_INVALID;
    if (u == PERIOD_WEEK) {
        if (i >= n || (s[i] != 'W' && s[i] != 'w'))
            return ERR_INVALID;
        i++;
        if (digits(s, n, &i, 2, &v) < 0 || i != n || v < 1 || v > 53)
            return ERR_INVALID;
        /* Monday of week 1 is the Monday on or before January 4th. */
        int64_t jan4 = tstamp_days_from_civil(y, 1, 4);
        int64_t monday = jan4 - weekday(jan4) + (int64_t)(v - 1) * 7;
        int iy, iw;
        period_iso_week(monday, &iy, &iw);
        if (iy != y || iw != v)
            return ERR_INVALID; /* week 53 of a 52-week year */
        *key = monday;
        return 0;
    }
    if (u == PERIOD_QUARTER) {
        if (i >= n || (s[i] != 'Q' && s[i] != 'q'))
            return ERR_INVALID;
        i++;
        if (digits(s, n, &i, 1, &v) < 0 || i != n || v < 1 || v > 4)
            return ERR_INVALID;
        *key = (int64_t)y * 4 + v - 1;
        return 0;
    }
    if (digits(s, n, &i, 2, &v) < 0 || i != n || v < 1 || v > 12)
        return ERR_INVALID;
    *key = (int64_t)y * 12 + v - 1;
    return 0;
}
