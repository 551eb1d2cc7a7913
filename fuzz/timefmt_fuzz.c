/* Fuzz target: timestamp fields (timefmt). The first line is the format
 * ("auto", "excel" or a pattern; no newline at all means auto), the rest
 * the value. Each value is read without a zone and in a fixed zone (a
 * TZif buffer with only Stockholm's footer, so every year has a gap and a
 * repeat). A value read must lie in 1900-2200 local time; one refused
 * must have a column inside it and a message. A value read without a
 * zone must read the same in the zone (the text's zone wins), and in auto
 * anything tstamp_parse reads must read the same. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/timefmt.h"
#include "core/tstamp.h"
#include "core/tzfile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define TZ_BLOCK                                                               \
    "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0"                                           \
    "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\1\0\0\0\4"                         \
    "\0\0\x0e\x10\0\0"                                                         \
    "CET\0"

static const char cet[] =
    "TZif2" TZ_BLOCK "TZif2" TZ_BLOCK "\nCET-1CEST,M3.5.0,M10.5.0/3\n";

static void check(const struct timefmt *f, int is_auto, const struct tz *z,
                  const char *v, size_t n)
{
    int64_t utc = 0, u2 = 0;
    int tzm = 0, t2 = 0;
    size_t col = 0, c2 = 0;
    struct err err = ERR_INIT, e2 = ERR_INIT;
    int rc = timefmt_parse(f, NULL, v, n, &utc, &tzm, &col, &err);
    int rz = timefmt_parse(f, z, v, n, &u2, &t2, &c2, &e2);
    if (rc == 0) {
        if (rz != 0 || u2 != utc || t2 != tzm)
            abort();
    } else if (rc != ERR_INVALID || col < 1 || col > n + 1 || !err.msg[0]) {
        abort();
    }
    if (rz == 0) {
        int y;
        unsigned m, d;
        if (t2 < -26 * 60 || t2 > 26 * 60)
            abort();
        tstamp_civil_from_days(tstamp_local_day(u2, t2), &y, &m, &d);
        /* 2200-12-31T24:00 is the first instant of 2201 */
        if (y < 1900 || y > 2201 || (y == 2201 && (m != 1 || d != 1)))
            abort();
    } else if (rz != ERR_INVALID || c2 < 1 || c2 > n + 1 || !e2.msg[0]) {
        abort();
    }
    if (is_auto) {
        int64_t want;
        int wtz;
        size_t wc;
        struct err e3 = ERR_INIT;
        if (tstamp_parse(&want, &wtz, v, n, &wc, &e3) == 0 && n >= 4) {
            int y = (v[0] - '0') * 1000 + (v[1] - '0') * 100 +
                    (v[2] - '0') * 10 + (v[3] - '0');
            if (y >= 1900 && y <= 2200 &&
                (rc != 0 || utc != want || tzm != wtz))
                abort();
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct tz *z = NULL;
    struct err err = ERR_INIT;
    if (tz_parse(&z, cet, sizeof cet - 1, "CET", &err) != 0)
        abort();

    const uint8_t *nl = memchr(data, '\n', size);
    size_t vstart = nl ? (size_t)(nl - data) + 1 : 0;
    char *spec = NULL;
    if (nl) {
        size_t k = (size_t)(nl - data);
        spec = malloc(k + 1);
        memcpy(spec, data, k);
        spec[k] = 0; /* a NUL inside ends the spec early; fine */
    }
    /* The value as an exact-size copy, so ASan sees any over-read. */
    size_t n = size - vstart;
    char *v = malloc(n ? n : 1);
    if (n)
        memcpy(v, data + vstart, n);

    struct timefmt *f = NULL;
    struct err ce = ERR_INIT;
    if (timefmt_compile(&f, spec, &ce) != 0) {
        if (f || ce.code != ERR_INVALID || !ce.msg[0])
            abort();
    } else {
        int is_auto = !spec || !strcmp(spec, "auto");
        check(f, is_auto, z, v, n);
        timefmt_free(f);
    }
    free(v);
    free(spec);
    tz_free(z);
    return 0;
}
