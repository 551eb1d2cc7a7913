#pragma once
/* ISO 8601 timestamps and calendar arithmetic, without libc time zones.
 *
 * A timestamp is stored as UTC seconds since 1970 plus the offset in
 * minutes it was written with; periods (day, month, ...) are taken in
 * that local time, which is the time the customer lived. */

#include <stddef.h>
#include <stdint.h>

struct err;

/* The years a timestamp of customer data may lie in (its local date, as
 * written). Outside them a date is a typing error ("0224", "20024"), not
 * a time, and the column store's calendar tables cover only these years:
 * every importer and parser of customer times checks this one range. */
#define TSTAMP_MIN_YEAR 1900
#define TSTAMP_MAX_YEAR 2200

/* Parses "YYYY-MM-DDTHH:MM[:SS[.fff]](Z|+HH:MM|+HHMM|+HH)"; a space may
 * stand for the T. The zone is required. On failure returns ERR_INVALID
 * with a message and *col set to the 1-based column of the fault. */
int tstamp_parse(int64_t *utc, int *tz_min, const char *s, size_t n,
                 size_t *col, struct err *err);

/* An instant given by a person: a date "YYYY-MM-DD" (its 00:00 UTC) or
 * a timestamp as tstamp_parse. ERR_INVALID saying what is expected. */
int tstamp_parse_instant(int64_t *utc, const char *s, struct err *err);

/* Writes "YYYY-MM-DDTHH:MM:SS+HH:MM" (or Z for 0) in local time; buf >= 32. */
void tstamp_format(char *buf, size_t n, int64_t utc, int tz_min);

/* Days since 1970-01-01 of a proleptic Gregorian date (Hinnant's algorithm). */
int64_t tstamp_days_from_civil(int y, unsigned m, unsigned d);
void tstamp_civil_from_days(int64_t days, int *y, unsigned *m, unsigned *d);

/* Local day number (days since 1970-01-01 in the stored offset). */
int64_t tstamp_local_day(int64_t utc, int tz_min);

/* Parses a date "YYYY-MM-DD" to a day number. 0 or ERR_INVALID. */
int tstamp_parse_date(int64_t *day, const char *s, size_t n);

/* 1 when day (days since 1970-01-01) lies in TSTAMP_MIN_YEAR-01-01 ..
 * TSTAMP_MAX_YEAR-12-31, else 0. */
int tstamp_day_in_range(int64_t day);

/* 1 for a leap year of the proleptic Gregorian calendar. */
int tstamp_is_leap(int64_t y);
/* Days in month m (1..12) of year y. */
int tstamp_month_days(int64_t y, int m);
