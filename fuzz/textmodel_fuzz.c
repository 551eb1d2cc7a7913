/* Fuzz target: the text model loader (textmodel_load_buf) on raw bytes.
 * A file it accepts must score a text and save back to the same bytes
 * (the format has one spelling per model); one it rejects must say why. */
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
    struct textmodel *m = NULL;
    struct err err = ERR_INIT;
    static const char text[] = "Inte bra alls, men personalen var trevlig :)";

    if (size)
        memcpy(buf, data, size);
    if (textmodel_load_buf(&m, buf, size, &err) < 0) {
        if (m || err.code != ERR_INVALID || !err.msg[0])
            abort();
        free(buf);
        return 0;
    }
    char *out;
    size_t n;
    textmodel_save_buf(m, &out, &n);
    if (n != size || memcmp(out, buf, n) != 0)
        abort();
    double p;
    struct err e2 = ERR_INIT;
    if (textmodel_prob_text(&p, m, text, sizeof text - 1, LANG_SV, &e2) < 0 ||
        !(p >= 0 && p <= 1))
        abort();
    (void)textmodel_word_weight(m, "bra", 3, LANG_EN);
    free(out);
    textmodel_free(m);
    free(buf);
    return 0;
}
