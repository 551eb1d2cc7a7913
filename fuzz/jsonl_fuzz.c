/* Fuzz target: the JSON Lines reader on raw bytes, reading on after every
 * error. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "ingest/jsonl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *buf = malloc(size ? size : 1);
    if (size)
        memcpy(buf, data, size);
    struct jsonl_reader *r = jsonl_reader_new(buf, size, "fuzz.jsonl");
    struct record rec;
    size_t last = 0;
    for (;;) {
        struct err err = ERR_INIT;
        int rc = jsonl_reader_next(r, &rec, &err);
        if (rc == 0)
            break;
        if (rc < 0 && (err.code == 0 || !err.where[0]))
            abort();
        if (rc > 0 && rec.n != jsonl_reader_ncols(r))
            abort();
        if (jsonl_reader_offset(r) <= last)
            abort();
        last = jsonl_reader_offset(r);
    }
    jsonl_reader_free(r);
    free(buf);
    return 0;
}
