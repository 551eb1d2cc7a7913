/* Fuzz target: story_region_parse (the stories explorer's ?region=).
 * Whatever the text, for either kind of question: an error leaves no
 * region, a region parsed is named back as text that parses to the same
 * region, and testing an answer against it stays in bounds. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/strbuf.h"
#include "report/story_region.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const double pts[][3] = {
        {1, 0, 0}, {0, 1, 0}, {0, 0, 1}, {0.6, 0.4, 0}, {0.2, 0.3, 0.5}};
    const enum patterns_kind kinds[2] = {PATTERNS_TRIAD, PATTERNS_DYAD};
    for (int k = 0; k < 2; k++) {
        struct story_region r, again;
        struct err err = ERR_INIT;
        if (story_region_parse(&r, (const char *)data, size, kinds[k], &err) <
            0) {
            if (r.kind != STORY_REGION_NONE || !err.msg[0])
                abort();
            continue;
        }
        struct strbuf b = STRBUF_INIT;
        story_region_name(&b, &r);
        if (story_region_parse(&again, b.p ? b.p : "", b.n, kinds[k], &err) <
                0 ||
            memcmp(&r, &again, sizeof r) != 0)
            abort();
        strbuf_dispose(&b);
        for (size_t p = 0; p < sizeof pts / sizeof *pts; p++)
            (void)story_region_has(&r, pts[p]);
    }
    return 0;
}
