#pragma once
/* Timestamp fields as exports write them, read into UTC seconds plus the
 * offset in minutes the time was written in (see core/tstamp.h).
 *
 * A format is one of:
 * - auto (spec NULL or "auto"): ISO 8601 as tstamp_parse reads it
 *   ("YYYY-MM-DD[T ]HH:MM[:SS[.fff]]" and a zone Z, +HH:MM, +HHMM or +HH,
 *   which may follow a space), the same without a zone, and a date alone
 *   "YYYY-MM-DD" (midnight). Slash and dot forms are not guessed:
 *   17/05/2024 and 05/17/2024 cannot be told apart, so they are an error
 *   that asks for a pattern.
 * - "excel": Excel serial day numbers, days since 1899-12-30 with the
 *   fraction as the time of day (45429.8125 = 2024-05-17 19:30), as local
 *   time; '.' or ',' before the fraction; the time is rounded to the
 *   second. Serials below 61 are refused: Excel counts a 29 February 1900
 *   that never was, so they are a day off.
 * - a pattern: %Y (4 digits), %y (2 digits: 69-99 are 19xx, 00-68 20xx),
 *   %m, %d, %H, %M (1 or 2 digits), %S (2 digits), %b (an English or
 *   Swedish month name or 3-letter abbreviation, any case: May, maj,
 *   Okt, september), %z (+HH:MM, +HHMM or Z), %% (a '%'). A space
 *   matches one or more spaces; any other character matches itself. The
 *   pattern needs a year, a month and a day; without %H the time is
 *   midnight.
 *
 * A zone in the text wins. Otherwise the local time is read in the zone
 * given (tz_local_to_utc: a repeated time is its first occurrence, a time
 * in a gap is read with the offset before the change) and the offset
 * stored is the zone's at that instant, rounded to the minute. Years must
 * lie in TSTAMP_MIN_YEAR..TSTAMP_MAX_YEAR of core/tstamp.h (1900-2200),
 * the one range every reader of customer times keeps. Spaces and tabs
 * around the value are ignored. */

#include <stddef.h>
#include <stdint.h>

struct err;
struct tz;
struct timefmt;

#define TIMEFMT_MAX_SPEC 128

/* Compiles a format (spec NULL, "auto", "excel" or a pattern; the words
 * in any case). Caller frees *out with timefmt_free. ERR_INVALID naming
 * the fault for an unknown directive, a lone '%', a field given twice,
 * %M without %H or %S without %M, a pattern without a year (%Y or %y), a
 * month (%m or %b) or a day (%d), or a spec over TIMEFMT_MAX_SPEC bytes. */
int timefmt_compile(struct timefmt **out, const char *spec, struct err *err);

void timefmt_free(struct timefmt *f);

/* Reads the field s[0..n) (need not be NUL-terminated; never read past
 * n) with format f. zone (may be NULL) is used when the text has no zone.
 * On success sets *utc (seconds since 1970, UTC) and *tz_min (minutes
 * east). On failure returns ERR_INVALID, sets *col to the 1-based column
 * of the fault within the field and a message saying what was expected:
 * a bad form, a value out of range, a year outside 1900-2200, or "no time
 * zone: give the zone in the timestamp or --tz" when neither the text nor
 * zone gives one. */
int timefmt_parse(const struct timefmt *f, const struct tz *zone, const char *s,
                  size_t n, int64_t *utc, int *tz_min, size_t *col,
                  struct err *err);
