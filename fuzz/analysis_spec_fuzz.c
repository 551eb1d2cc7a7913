/* Fuzz target: the analyses' own option parsers, each line of input in
 * every one of them: drivers_spec_new ("OUTCOME|DRIVERS", or DRIVERS with
 * the outcome nps), personas_spec_new, and link's --outcome, --bands and
 * --window. Whatever fails says why; whatever parses is well formed. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/drivers.h"
#include "analysis/link.h"
#include "analysis/personas.h"
#include "core/err.h"
#include "query/field.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void said_why(const struct err *err)
{
    if (!err->code || !err->msg[0])
        abort(); /* a failure always says why */
}

static void one(const char *line, size_t n)
{
    char *s = malloc(n + 1);
    struct err err = ERR_INIT;
    memcpy(s, line, n);
    s[n] = 0;
    if (strlen(s) != n) { /* a NUL inside: the CLI never passes one */
        free(s);
        return;
    }

    struct drivers_spec *ds = NULL;
    char *bar = strchr(s, '|');
    if (bar)
        *bar = 0;
    if (drivers_spec_new(&ds, bar ? s : "nps", bar ? bar + 1 : s, &err) < 0)
        said_why(&err);
    else if (!ds || ds->n_vars == 0 || ds->n_vars > DRIVERS_MAX)
        abort();
    drivers_spec_free(ds);
    if (bar)
        *bar = '|';

    struct personas_spec *ps = NULL;
    err_clear(&err);
    if (personas_spec_new(&ps, s, &err) < 0)
        said_why(&err);
    else if (!ps || ps->n == 0)
        abort();
    personas_spec_free(ps);

    enum link_outcome lo;
    struct field f;
    err_clear(&err);
    if (link_outcome_parse(&lo, &f, s, n, &err) < 0)
        said_why(&err);

    double *edges = NULL;
    size_t ne = 0;
    int q = 0;
    err_clear(&err);
    if (link_bands_parse(&edges, &ne, &q, s, &err) < 0) {
        said_why(&err);
    } else {
        for (size_t i = 1; i < ne; i++)
            if (!(edges[i - 1] < edges[i]))
                abort(); /* edges increase */
        if (!q && ne == 0)
            abort();
    }
    free(edges);

    int64_t secs;
    err_clear(&err);
    if (link_window_parse(&secs, s, n, &err) < 0)
        said_why(&err);
    else if (secs <= 0)
        abort();
    free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *p = (const char *)data, *end = p + size;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
        one(p, n);
        p += n + 1;
    }
    return 0;
}
