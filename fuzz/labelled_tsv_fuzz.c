/* Fuzz target: the labelled-comments reader behind `text eval` and
 * `text train` (textmodel_set_read_tsv) on raw bytes. A rejected file
 * must say where; every accepted row must lie inside the input. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "text/textmodel.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* A copy of exactly size bytes, so ASan sees any over-read. */
    char *buf = malloc(size ? size : 1);
    struct textmodel_set *set = textmodel_set_new();
    struct err err = ERR_INIT;
    if (size)
        memcpy(buf, data, size);
    if (textmodel_set_read_tsv(set, buf, size, LANG_SV, "f.tsv", &err) < 0 &&
        (err.code != ERR_INVALID || !err.where[0]))
        abort();
    for (size_t i = 0; i < textmodel_set_size(set); i++) {
        enum textmodel_label label;
        enum lang l;
        const char *text;
        size_t n;
        textmodel_set_row(set, i, &label, &l, &text, &n);
        if (label > TEXTMODEL_NEU || (n && !text))
            abort();
    }
    textmodel_set_free(set);
    free(buf);
    return 0;
}
