/* The one place the importer parses a timestamp (import_int.h):
 * submitted_at and time columns (field_time) and --as-of (field_as_of)
 * all come through parse_time, so how times are read (zones, formats) is
 * decided here and nowhere else. */
#include <string.h>

#include "core/err.h"
#include "core/tstamp.h"
#include "ingest/import_int.h"

/* p[0..n) as UTC seconds and the offset it was written with. date_ok
 * also takes a bare date, as midnight UTC. ERR_INVALID with e's message
 * otherwise. */
static int parse_time(struct imp *m, const char *p, size_t n, int date_ok,
                      int64_t *utc, int *tz, struct err *e)
{
    int64_t day;
    size_t at;
    (void)m; /* the import's options will say how to read times */
    if (date_ok && n == 10 && tstamp_parse_date(&day, p, n) == 0) {
        *utc = day * 86400;
        *tz = 0;
        return 0;
    }
    return tstamp_parse(utc, tz, p, n, &at, e);
}

int field_time(struct imp *m, const struct rec_field *f, const char *what,
               int64_t *utc, int *tz, struct err *err)
{
    struct err e = ERR_INIT;
    if (parse_time(m, f->p, f->n, 0, utc, tz, &e) < 0)
        return import_bad(m, f, err, "%s: %s", what, e.msg);
    return 0;
}

int field_as_of(struct imp *m, const char *s, int64_t *utc, struct err *err)
{
    struct err e = ERR_INIT;
    int tz;
    if (parse_time(m, s, strlen(s), 1, utc, &tz, &e) < 0)
        return err_at(err, ERR_INVALID, "--as-of", 0, 0,
                      "expected a date (2025-03-01) or a timestamp with a "
                      "zone: %s",
                      e.msg);
    return 0;
}
