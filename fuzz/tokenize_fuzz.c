/* Fuzz target: the tokeniser on raw bytes. Every token must lie inside
 * the input, in order, with a NUL-terminated norm of the stated length;
 * a rejected input leaves no tokens and says why. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "text/tokenize.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* A copy of exactly size bytes, so ASan sees any over-read. */
    char *buf = malloc(size ? size : 1);
    struct tokens t = TOKENS_INIT;
    struct err err = ERR_INIT;
    if (size)
        memcpy(buf, data, size);
    if (tokenize_text(&t, buf, size, &err) < 0) {
        if (t.n != 0 || err.code != ERR_INVALID || !err.msg[0])
            abort();
    } else {
        size_t end = 0;
        int sentence = 0;
        for (size_t i = 0; i < t.n; i++) {
            const struct token *k = &t.v[i];
            if (k->raw != buf + k->off || k->raw_n == 0 || k->off < end ||
                k->off + k->raw_n > size || strlen(k->norm) != k->norm_n ||
                k->sentence < sentence || k->sentence >= t.n_sentences)
                abort();
            end = k->off + k->raw_n;
            sentence = k->sentence;
        }
        if ((t.n == 0) != (t.n_sentences == 0))
            abort();
    }
    tokens_dispose(&t);
    free(buf);
    return 0;
}
