/* Fuzz target: the CSV reader on raw bytes, detected and forced
 * delimiters, reading on after every error as --skip-bad does. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/utf8.h"
#include "ingest/csv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void run(const char *buf, size_t len, char delim)
{
    struct csv_reader *r = csv_reader_new(buf, len, delim, "fuzz.csv");
    struct record rec;
    size_t last = 0;
    for (;;) {
        struct err err = ERR_INIT;
        int rc = csv_reader_next(r, &rec, &err);
        if (rc == 0)
            break;
        if (rc > 0) {
            for (size_t i = 0; i < rec.n; i++) {
                const struct rec_field *f = &rec.f[i];
                /* Every field is valid UTF-8 and lies where it says. */
                if (utf8_valid_prefix(f->p, f->n) != f->n || f->line < 1 ||
                    f->col < 1)
                    abort();
            }
        } else if (err.code == 0 || !err.where[0]) {
            abort(); /* an error must say what and where */
        }
        /* The reader always moves forward. */
        if (csv_reader_offset(r) <= last && rc != 0)
            abort();
        last = csv_reader_offset(r);
    }
    if (csv_reader_offset(r) != len)
        abort();
    csv_reader_free(r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* A copy of exactly size bytes, so ASan sees any over-read. */
    char *buf = malloc(size ? size : 1);
    if (size)
        memcpy(buf, data, size);
    run(buf, size, 0);
    run(buf, size, ';');
    free(buf);
    return 0;
}
