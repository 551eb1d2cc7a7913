/* Fuzz target: rules_parse (a rule set comes through the API). Whatever
 * parses has keyed rules with a deadline, and matching a response
 * against it stays within the set; whatever fails says where. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "loop/rules.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct rules *r;
    struct err err = ERR_INIT;
    if (rules_parse(&r, (const char *)data, size, &err) < 0) {
        if (err.code != ERR_INVALID || r)
            abort();
        return 0;
    }
    const char *themes[] = {"safety", "mold"};
    struct rule_input in = {"repair", "reparation", "app",  0, 3, 2,
                            6,        -0.7,         themes, 2, 1};
    size_t hits[64];
    size_t n = rules_match(r, &in, hits, 64);
    for (size_t i = 0; i < n; i++)
        if (hits[i] >= rules_count(r))
            abort();
    long p = rules_pick(r, &in);
    if (p >= (long)rules_count(r) || (n > 0) != (p >= 0))
        abort();
    for (size_t i = 0; i < rules_count(r); i++) {
        const struct rule *ru = rules_get(r, i);
        if (!ru->key || !ru->name || !(ru->sla_hours > 0))
            abort();
    }
    rules_free(r);
    return 0;
}
