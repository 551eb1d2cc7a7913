/* The one place the importer parses a timestamp (import_int.h):
 * submitted_at and time columns alike come through field_time, so how
 * times are read (zones, formats) is decided here. */
#include "core/err.h"
#include "core/tstamp.h"
#include "ingest/import_int.h"

int field_time(struct imp *m, const struct rec_field *f, const char *what,
               int64_t *utc, int *tz, struct err *err)
{
    struct err e = ERR_INIT;
    size_t at;
    if (tstamp_parse(utc, tz, f->p, f->n, &at, &e) < 0)
        return import_bad(m, f, err, "%s: %s", what, e.msg);
    return 0;
}
