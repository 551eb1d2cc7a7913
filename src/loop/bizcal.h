#pragma once
/* Working time for case deadlines (the closed loop): Swedish public
 * holidays and the usual days off, opening hours in a time zone, and
 * arithmetic in working seconds ("answer within 8 working hours").
 * docs/closed-loop.md.
 *
 * Days are day numbers (days since 1970-01-01, tstamp.h); instants UTC
 * seconds. Opening hours are local wall-clock times in the calendar's
 * zone, so a deadline keeps to 08:00-17:00 across daylight saving. */

#include <stdint.h>

struct tz;

enum se_day {
    SE_WORKDAY = 0,
    SE_PUBLIC_HOLIDAY, /* allmän helgdag (lag 1989:253) */
    SE_DAY_OFF         /* midsommarafton, julafton, nyårsafton: not public
                        * holidays by law, but days off by custom and most
                        * collective agreements */
};

/* What day `day` is in Sweden, leaving weekends aside; *name (may be
 * NULL) gets its Swedish name ("Långfredagen") or NULL for a workday. */
enum se_day se_holiday(int64_t day, const char **name);

/* The day number of Easter Sunday in year y (Gregorian calendar). */
int64_t easter_sunday(int y);

struct bizcal {
    const struct tz *tz; /* borrowed; NULL = UTC */
    int open_min;        /* opening time, minutes after midnight */
    int close_min;       /* closing time, > open_min */
    unsigned weekdays;   /* bit d set: open on weekday d (0 = Monday) */
    int days_off_too;    /* 1: SE_DAY_OFF days are closed as well */
};

/* Monday to Friday, 08:00-17:00 in tz, public holidays and the three
 * eves closed. */
void bizcal_default(struct bizcal *c, const struct tz *tz);
/* 1 if the calendar is open on day at all. */
int bizcal_open_day(const struct bizcal *c, int64_t day);
/* The instant `seconds` working seconds after start: an SLA's deadline.
 * seconds <= 0 gives start. A start outside opening hours counts from
 * the next opening. */
int64_t bizcal_add(const struct bizcal *c, int64_t start, int64_t seconds);
/* Working seconds from a to b (0 when b <= a): how much of an SLA is
 * used, or how long a case took in working time. */
int64_t bizcal_between(const struct bizcal *c, int64_t a, int64_t b);
