/* The one place the importer parses a timestamp (import_int.h):
 * submitted_at and time columns (recfield_time) and --as-of (recfield_as_of)
 * all come through parse_time, so how times are read (zones, formats) is
 * decided here and nowhere else. */
#include <string.h>

#include "core/err.h"
#include "core/timefmt.h"
#include "core/tstamp.h"
#include "core/tzfile.h"
#include "ingest/import_int.h"

int import_time_start(struct imp *m, struct err *err)
{
    struct err e = ERR_INIT;
    int rc;
    if (m->o->tz && (rc = tz_load(&m->tz, m->o->tz, NULL, &e)) < 0)
        return err_at(err, rc, "--tz", 0, 0, "%s", e.msg);
    if ((rc = timefmt_compile(&m->tf, m->o->time_format, &e)) < 0)
        return err_at(err, rc, "--time-format", 0, 0, "%s", e.msg);
    return 0;
}

void import_time_stop(struct imp *m)
{
    timefmt_free(m->tf);
    tz_free(m->tz);
    m->tf = NULL;
    m->tz = NULL;
}

/* p[0..n) as UTC seconds and the offset it was written with, read by
 * --time-format in the --tz zone (src/core/timefmt.h). date_ok also
 * takes a bare date, as midnight UTC when no --tz is given. Whatever the
 * route, the local date must lie in TSTAMP_MIN_YEAR..TSTAMP_MAX_YEAR
 * (core/tstamp.h). ERR_INVALID with e's message and *col the 1-based
 * column of the fault otherwise. */
static int parse_time(struct imp *m, const char *p, size_t n, int date_ok,
                      int64_t *utc, int *tz, size_t *col, struct err *e)
{
    int64_t day;
    int rc, y;
    unsigned mo, d;
    *col = 1;
    if (date_ok && !m->tz && n == 10 && tstamp_parse_date(&day, p, n) == 0) {
        *utc = day * 86400;
        *tz = 0;
    } else if ((rc = timefmt_parse(m->tf, m->tz, p, n, utc, tz, col, e)) < 0) {
        return rc;
    }
    /* timefmt checks its years itself; this catches every other route
     * (a bare date), so no time the analyses cannot place gets in */
    day = tstamp_local_day(*utc, *tz);
    if (tstamp_day_in_range(day))
        return 0;
    tstamp_civil_from_days(day, &y, &mo, &d);
    while (*col <= n && (p[*col - 1] == ' ' || p[*col - 1] == '\t'))
        (*col)++;
    return err_set(
        e, ERR_INVALID, "bad timestamp \"%.*s\": year %d outside %d-%d",
        (int)(n > 40 ? 40 : n), p, y, TSTAMP_MIN_YEAR, TSTAMP_MAX_YEAR);
}

int recfield_time(struct imp *m, const struct rec_field *f, const char *what,
                  int64_t *utc, int *tz, struct err *err)
{
    struct err e = ERR_INIT;
    size_t col;
    if (parse_time(m, f->p, f->n, 0, utc, tz, &col, &e) < 0) {
        /* Point at the fault within the field (a --set value, line 0,
         * is named by its option instead). */
        struct rec_field at = *f;
        if (f->line > 0 && col > 1 && col <= f->n + 1)
            at.col += (long)col - 1;
        return import_bad(m, &at, err, "%s: %s", what, e.msg);
    }
    return 0;
}

int recfield_as_of(struct imp *m, const char *s, int64_t *utc, struct err *err)
{
    struct err e = ERR_INIT;
    size_t col;
    int tz;
    if (parse_time(m, s, strlen(s), 1, utc, &tz, &col, &e) < 0)
        return err_at(err, ERR_INVALID, "--as-of", 0, 0,
                      "expected a date (2025-03-01) or a timestamp with a "
                      "zone: %s",
                      e.msg);
    return 0;
}
