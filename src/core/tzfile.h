#pragma once
/* A time zone from the IANA tz database, read from its TZif file
 * (RFC 8536), without libc's process-global TZ.
 *
 * - Version 1 files use their 32-bit data; version 2, 3 and 4 files their
 *   64-bit data and the POSIX TZ footer (e.g. "CET-1CEST,M3.5.0,M10.5.0/3",
 *   with RFC 8536's signed rule times of up to 167 hours), which governs
 *   every instant from the last transition on. A file without transitions
 *   follows its footer at every instant.
 * - Before the first transition the first time type (type 0) applies.
 * - Leap-second ("right/") files are rejected: their transition times are
 *   not POSIX seconds.
 * - Instants are clamped to +-2^48 seconds (about 8.9 million years), so no
 *   input can overflow the calendar arithmetic.
 *
 * A struct tz is immutable once made, so threads may share one. */

#include <stddef.h>
#include <stdint.h>

struct err;
struct tz;

/* Limits on what a TZif buffer may hold (tzcode's TZ_MAX_TIMES and
 * TZ_MAX_TYPES; real files hold a few hundred transitions). More is
 * ERR_INVALID "too many ...". */
#define TZ_MAX_TIMES 2000
#define TZ_MAX_TYPES 256
#define TZ_MAX_CHARS 512
#define TZ_MAX_FOOTER 256
#define TZ_MAX_FILE ((size_t)64 << 10)

/* Loads the zone NAME from DIR/NAME (dir NULL = /usr/share/zoneinfo).
 * NAME must look like an IANA name: letters, digits, '/', '_', '-' and '+',
 * not absolute, no empty or ".." part, at most 255 bytes ("UTC",
 * "Etc/GMT-2", "Europe/Stockholm"). Caller frees *out with tz_free.
 * Errors: ERR_INVALID for a malformed name or file, ERR_NOTFOUND
 * "unknown time zone \"X\"" when there is no such zone file, ERR_IO when
 * it cannot be read. */
int tz_load(struct tz **out, const char *name, const char *dir,
            struct err *err);

/* Parses a TZif buffer buf[0..n) (the fuzz entry point); name (may be
 * NULL) is copied and used in messages. Caller frees *out with tz_free.
 * Every malformed input is ERR_INVALID with a message saying what is
 * wrong (truncated, bad magic or version, counts over the limits, times
 * out of order, bad indices or offsets, a bad footer, trailing bytes). */
int tz_parse(struct tz **out, const void *buf, size_t n, const char *name,
             struct err *err);

void tz_free(struct tz *z);

/* The name given to tz_load or tz_parse ("" if none); borrowed, valid
 * until tz_free. */
const char *tz_name(const struct tz *z);

/* The offset from UTC in seconds (east positive) in force at the instant
 * utc (seconds since 1970-01-01T00:00:00Z). */
int tz_offset(const struct tz *z, int64_t utc);

/* Converts a local wall-clock time in the zone (seconds since 1970 as if
 * the local time were UTC) to the instant *utc, and sets *offset_sec to
 * tz_offset(z, *utc). Never fails for a zone made by tz_load/tz_parse;
 * err is for the contract only.
 * - A time that occurs once maps to that instant.
 * - A repeated time (clocks went back: 02:30 on 2024-10-27 in Stockholm)
 *   is its first occurrence, the earlier instant (02:30 CEST, 00:30Z).
 * - A time that never occurred (clocks went forward: 02:30 on 2024-03-31
 *   in Stockholm) is read with the offset in force before the
 *   transition: 02:30 CET = 01:30Z. *offset_sec is then the offset in
 *   force at that instant (CEST, +7200), so the wall clock showed 03:30. */
int tz_local_to_utc(const struct tz *z, int64_t local, int64_t *utc,
                    int *offset_sec, struct err *err);
