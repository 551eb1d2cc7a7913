/* Fuzz target: field names (query/field.h), each line in both contexts.
 * Whatever parses has a canonical text that parses again to itself. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "query/field.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void one(const char *s, size_t n, enum field_context ctx)
{
    struct field f, g;
    struct err err = ERR_INIT;
    if (field_parse(&f, s, n, ctx, &err) < 0) {
        if (!err.code || !err.msg[0])
            abort(); /* a failure always says why */
        return;
    }
    if (field_parse(&g, f.text, strlen(f.text), ctx, &err) < 0 ||
        strcmp(f.text, g.text) || f.kind != g.kind || f.agg != g.agg ||
        f.from != g.from || f.to != g.to || f.quantiles != g.quantiles)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *p = (const char *)data, *end = p + size;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
        one(p, n, FIELD_RESPONSES);
        one(p, n, FIELD_EVENTS);
        p += n + 1;
    }
    return 0;
}
