#include "loop/bizcal.h"

#include "core/err.h"
#include "core/tstamp.h"
#include "core/tzfile.h"

int64_t easter_sunday(int y)
{
    /* the anonymous Gregorian algorithm (Meeus, Jones, Butcher) */
    int a = y % 19, b = y / 100, c = y % 100, d = b / 4, e = b % 4;
    int f = (b + 8) / 25, g = (b - f + 1) / 3;
    int h = (19 * a + b - d - g + 15) % 30;
    int i = c / 4, k = c % 4;
    int l = (32 + 2 * e + 2 * i - h - k) % 7;
    int m = (a + 11 * h + 22 * l) / 451;
    int month = (h + l - 7 * m + 114) / 31;
    int dom = (h + l - 7 * m + 114) % 31 + 1;
    return tstamp_days_from_civil(y, (unsigned)month, (unsigned)dom);
}

/* 0 = Monday .. 6 = Sunday; 1970-01-01 was a Thursday. */
static int weekday(int64_t day)
{
    return (int)(((day + 3) % 7 + 7) % 7);
}

enum se_day se_holiday(int64_t day, const char **name)
{
    int y;
    unsigned m, d;
    const char *n = NULL;
    enum se_day kind = SE_PUBLIC_HOLIDAY;
    tstamp_civil_from_days(day, &y, &m, &d);
    int64_t easter = easter_sunday(y);
    int wd = weekday(day);
    if (m == 1 && d == 1)
        n = "Nyårsdagen";
    else if (m == 1 && d == 6)
        n = "Trettondedag jul";
    else if (day == easter - 2)
        n = "Långfredagen";
    else if (day == easter)
        n = "Påskdagen";
    else if (day == easter + 1)
        n = "Annandag påsk";
    else if (m == 5 && d == 1)
        n = "Första maj";
    else if (day == easter + 39)
        n = "Kristi himmelsfärdsdag";
    else if (day == easter + 49)
        n = "Pingstdagen";
    else if (m == 6 && d == 6)
        n = "Sveriges nationaldag";
    else if (m == 6 && d >= 20 && d <= 26 && wd == 5)
        n = "Midsommardagen";
    else if (((m == 10 && d == 31) || (m == 11 && d <= 6)) && wd == 5)
        n = "Alla helgons dag";
    else if (m == 12 && d == 25)
        n = "Juldagen";
    else if (m == 12 && d == 26)
        n = "Annandag jul";
    else {
        kind = SE_DAY_OFF;
        if (m == 6 && d >= 19 && d <= 25 && wd == 4)
            n = "Midsommarafton";
        else if (m == 12 && d == 24)
            n = "Julafton";
        else if (m == 12 && d == 31)
            n = "Nyårsafton";
        else
            kind = SE_WORKDAY;
    }
    if (name)
        *name = n;
    return kind;
}

void bizcal_default(struct bizcal *c, const struct tz *tz)
{
    c->tz = tz;
    c->open_min = 8 * 60;
    c->close_min = 17 * 60;
    c->weekdays = 0x1f; /* Monday to Friday */
    c->days_off_too = 1;
}

int bizcal_open_day(const struct bizcal *c, int64_t day)
{
    if (!(c->weekdays & (1u << weekday(day))))
        return 0;
    enum se_day k = se_holiday(day, NULL);
    return k == SE_WORKDAY || (k == SE_DAY_OFF && !c->days_off_too);
}

/* Local wall-clock seconds (as if UTC) of an instant, and back. */
static int64_t to_local(const struct bizcal *c, int64_t utc)
{
    return c->tz ? utc + tz_offset(c->tz, utc) : utc;
}

static int64_t to_utc(const struct bizcal *c, int64_t local)
{
    int64_t utc = local;
    int off;
    struct err err = ERR_INIT;
    if (c->tz)
        tz_local_to_utc(c->tz, local, &utc, &off, &err);
    return utc;
}

/* Days searched for an open one before giving up: a calendar open on no
 * weekday at all would otherwise never end. */
#define MAX_DAYS (366L * 20)

int64_t bizcal_add(const struct bizcal *c, int64_t start, int64_t seconds)
{
    int64_t local = to_local(c, start);
    int64_t day = local >= 0 ? local / 86400 : (local - 86399) / 86400;
    int64_t at = local - day * 86400; /* seconds into the day */
    int64_t open = (int64_t)c->open_min * 60,
            close = (int64_t)c->close_min * 60;
    if (seconds <= 0)
        return start;
    for (int guard = 0; guard < MAX_DAYS; guard++, day++, at = 0) {
        if (!bizcal_open_day(c, day) || at >= close)
            continue;
        if (at < open)
            at = open;
        if (close - at >= seconds)
            return to_utc(c, day * 86400 + at + seconds);
        seconds -= close - at;
    }
    return start; /* never open: the caller's calendar is empty */
}

int64_t bizcal_between(const struct bizcal *c, int64_t a, int64_t b)
{
    if (b <= a)
        return 0;
    int64_t la = to_local(c, a), lb = to_local(c, b);
    int64_t open = (int64_t)c->open_min * 60,
            close = (int64_t)c->close_min * 60;
    int64_t da = la >= 0 ? la / 86400 : (la - 86399) / 86400;
    int64_t db = lb >= 0 ? lb / 86400 : (lb - 86399) / 86400;
    int64_t total = 0;
    for (int64_t day = da; day <= db && day - da < MAX_DAYS; day++) {
        if (!bizcal_open_day(c, day))
            continue;
        int64_t from = day * 86400 + open, to = day * 86400 + close;
        if (day == da && la > from)
            from = la;
        if (day == db && lb < to)
            to = lb;
        if (to > from)
            total += to - from;
    }
    return total;
}
