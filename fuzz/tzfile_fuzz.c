/* Fuzz target: the TZif reader (tz_parse) on raw bytes. A zone it accepts
 * must give offsets within RFC 8536's range at any instant, and map any
 * local time to an instant whose offset it reports; one it rejects must
 * say why. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/tzfile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const int64_t instants[] = {
    INT64_MIN,
    -((int64_t)1 << 48) - 1,
    -2208988800, /* 1900-01-01 */
    -1,
    0,
    1711846800, /* 2024-03-31T01:00Z, a European change */
    1711848600, /* half an hour later */
    1729990800, /* 2024-10-27T01:00Z */
    1730000000,
    2147483647,
    2147483648,
    4102444800, /* 2100-01-01 */
    4110000000,
    7258118400, /* 2200-01-01 */
    (int64_t)1 << 48,
    INT64_MAX,
};

static int offset_ok(int off)
{
    return off >= -89999 && off <= 93599;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* A copy of exactly size bytes, so ASan sees any over-read. */
    unsigned char *buf = malloc(size ? size : 1);
    struct tz *z = NULL;
    struct err err = ERR_INIT;

    if (size)
        memcpy(buf, data, size);
    if (tz_parse(&z, buf, size, "fuzz", &err) < 0) {
        if (z || err.code != ERR_INVALID || !err.msg[0])
            abort();
        free(buf);
        return 0;
    }
    const size_t k = sizeof instants / sizeof *instants;
    for (size_t i = 0; i < k; i++) {
        if (!offset_ok(tz_offset(z, instants[i])))
            abort();
        /* local times: the instants themselves and shifted by a little
         * under an hour, so some fall in gaps or repeats */
        for (int64_t d = 0; d <= 3000; d += 1500) {
            int64_t local = instants[i], utc;
            int off;
            if (local <= INT64_MAX - d)
                local += d;
            struct err e2 = ERR_INIT;
            if (tz_local_to_utc(z, local, &utc, &off, &e2) != 0 ||
                e2.code != 0 || !offset_ok(off) || off != tz_offset(z, utc))
                abort();
            /* within the clamp the instant is local minus some offset */
            if (local > -((int64_t)1 << 48) && local < ((int64_t)1 << 48) &&
                (local - utc < -89999 || local - utc > 93599))
                abort();
        }
    }
    tz_free(z);
    free(buf);
    return 0;
}
