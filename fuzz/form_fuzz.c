/* Fuzz target: form_parse. Whatever parses is valid UTF-8 without NULs,
 * and every name can be looked up again. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "http/form.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct form f = FORM_INIT;
    struct err err = ERR_INIT;
    char *buf = malloc(size ? size : 1);
    if (size)
        memcpy(buf, data, size);
    if (form_parse(&f, buf, size, &err) == 0) {
        if (f.n > FORM_MAX_FIELDS)
            abort();
        for (size_t i = 0; i < f.n; i++)
            if (!form_get(&f, f.f[i].name))
                abort();
        form_add(&f, "extra", "value");
        if (strcmp(form_get(&f, "extra") ? form_get(&f, "extra") : "",
                   "value") &&
            f.n == 1)
            abort();
    } else if (err.code != ERR_INVALID || f.f || f.n) {
        abort();
    }
    form_dispose(&f);
    free(buf);
    return 0;
}
