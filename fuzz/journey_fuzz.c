/* Fuzz target: journey definition parsing without a database. Whatever
 * parses must survive a round trip through journey_def_to_json. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "ingest/journey_def.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct journey_def *d = NULL, *again = NULL;
    struct err err = ERR_INIT;
    char *buf = malloc(size ? size : 1);
    if (size)
        memcpy(buf, data, size);
    if (journey_def_parse(&d, buf, size, "fuzz.json", &err) == 0) {
        char *text = journey_def_to_json(d);
        if (journey_def_parse(&again, text, strlen(text), "again", &err) < 0)
            abort();
        char *text2 = journey_def_to_json(again);
        if (strcmp(text, text2))
            abort();
        free(text);
        free(text2);
    } else if (err.code != ERR_INVALID || d) {
        abort();
    }
    journey_def_free(d);
    journey_def_free(again);
    free(buf);
    return 0;
}
