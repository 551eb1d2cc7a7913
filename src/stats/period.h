#pragma once
/* Calendar periods of a local day number (days since 1970-01-01 in the
 * time zone the customer answered in, tstamp_local_day).
 *
 * Each period has an integer key that grows with time, so sorting keys
 * sorts chronologically:
 *   day      the day number                      label 2024-03-05
 *   week     day number of the ISO week's Monday label 2024-W09 (ISO 8601
 *            week-numbering year, weeks start Monday, week 1 holds the
 *            year's first Thursday)
 *   month    year * 12 + month - 1               label 2024-03
 *   quarter  year * 4 + quarter - 1              label 2024-Q1
 *   year     the year                            label 2024 */

#include <stddef.h>
#include <stdint.h>

enum period_unit {
    PERIOD_DAY,
    PERIOD_WEEK,
    PERIOD_MONTH,
    PERIOD_QUARTER,
    PERIOD_YEAR
};

/* The key of the period holding day. */
int64_t period_key(enum period_unit u, int64_t day);
/* First day number of the period with this key. */
int64_t period_first_day(enum period_unit u, int64_t key);
/* Writes the label of a key into buf (>= 16 bytes is always enough). */
void period_label(enum period_unit u, int64_t key, char *buf, size_t n);
/* Parses a label as written by period_label. 0 or ERR_INVALID. */
int period_parse(int64_t *key, enum period_unit u, const char *s, size_t n);
/* ISO 8601 week-numbering year and week (1..53) of a day. */
void period_iso_week(int64_t day, int *iso_year, int *week);
