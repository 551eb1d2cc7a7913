/* Fuzz target: loop_parse (the loop document comes through the API and
 * `resonans rules load`). Whatever parses has a rule set (perhaps empty),
 * a calendar that opens before it closes and gives deadlines no earlier than
 * their start; whatever fails is ERR_INVALID with a message and no document. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "loop/bizcal.h"
#include "loop/loop.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct loop *l = (struct loop *)&size; /* must be reset on failure */
    struct err err = ERR_INIT;
    if (loop_parse(&l, (const char *)data, size, &err) < 0) {
        if (err.code != ERR_INVALID || l || !err.msg[0])
            abort();
        return 0;
    }
    if (!l || loop_id(l) != 0 || !loop_rules(l))
        abort();
    const struct bizcal *cal = loop_calendar(l);
    if (cal->open_min < 0 || cal->close_min > 24 * 60 ||
        cal->open_min >= cal->close_min || !cal->weekdays)
        abort();
    /* Fri 2026-11-20 15:00 UTC, and Maundy Thursday 2026 13:00 UTC */
    const int64_t starts[] = {1795186800, 1775134800};
    for (size_t i = 0; i < sizeof starts / sizeof *starts; i++) {
        int64_t due = bizcal_add(cal, starts[i], 8 * 3600);
        if (due < starts[i] ||
            (due > starts[i] && bizcal_between(cal, starts[i], due) < 0))
            abort();
    }
    loop_free(l);
    return 0;
}
