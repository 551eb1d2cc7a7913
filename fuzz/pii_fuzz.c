/* Fuzz target: PII redaction on raw bytes. Besides not crashing, checks
 * that matches are in order, non-overlapping and within the input, that
 * the redacted text is exactly the input with each match replaced by its
 * placeholder (so valid UTF-8 stays valid), and that the kinds mask only
 * filters: detection does not change with it. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "text/pii.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Strict UTF-8: no overlong forms, surrogates or code points past 10FFFF. */
static int utf8_valid(const unsigned char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned char b = s[i];
        size_t k;
        unsigned lo = 0x80, hi = 0xBF;
        if (b < 0x80) {
            i++;
            continue;
        } else if (b >= 0xC2 && b <= 0xDF) {
            k = 1;
        } else if (b >= 0xE0 && b <= 0xEF) {
            k = 2;
            if (b == 0xE0)
                lo = 0xA0;
            if (b == 0xED)
                hi = 0x9F;
        } else if (b >= 0xF0 && b <= 0xF4) {
            k = 3;
            if (b == 0xF0)
                lo = 0x90;
            if (b == 0xF4)
                hi = 0x8F;
        } else {
            return 0;
        }
        if (n - i <= k || s[i + 1] < lo || s[i + 1] > hi)
            return 0;
        for (size_t j = 2; j <= k; j++)
            if (s[i + j] < 0x80 || s[i + j] > 0xBF)
                return 0;
        i += k + 1;
    }
    return 1;
}

/* Rebuilds the redacted text from the input and the matches. */
static void check(const struct pii_result *r, const char *s, size_t n)
{
    size_t in = 0, o = 0;
    if (!r->text || r->text[r->n] != 0)
        abort();
    for (size_t i = 0; i < r->n_m; i++) {
        const struct pii_match *m = &r->m[i];
        if ((unsigned)m->kind >= PII_N_KINDS || m->len == 0 || m->off < in ||
            m->off > n || m->len > n - m->off)
            abort();
        size_t gap = m->off - in;
        if (o + gap > r->n || memcmp(r->text + o, s + in, gap) != 0)
            abort();
        o += gap;
        const char *ph = pii_kind_placeholder(m->kind);
        size_t pn = strlen(ph);
        if (m->out_off != o || o + pn > r->n ||
            memcmp(r->text + o, ph, pn) != 0)
            abort();
        o += pn;
        in = m->off + m->len;
    }
    if (r->n - o != n - in || memcmp(r->text + o, s + in, n - in) != 0)
        abort();
    if (utf8_valid((const unsigned char *)s, n) &&
        !utf8_valid((const unsigned char *)r->text, r->n))
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* A copy of exactly size bytes, so ASan sees any over-read. */
    char *buf = malloc(size ? size : 1);
    if (!buf)
        abort();
    buf[0] = 0; /* for size 0 too, so no read is of uninitialised memory */
    if (size)
        memcpy(buf, data, size);
    struct pii_result all = PII_RESULT_INIT, some = PII_RESULT_INIT;
    struct err err = ERR_INIT;
    if (pii_redact(&all, buf, size, PII_ALL, &err) != 0)
        abort();
    check(&all, buf, size);

    /* A mask from the input; the result must be the same matches minus
     * the kinds left out. Done twice to exercise reuse of a result. */
    unsigned mask = size ? (unsigned)data[0] : 0;
    for (int round = 0; round < 2; round++) {
        if (pii_redact(&some, buf, size, mask, &err) != 0)
            abort();
        check(&some, buf, size);
        size_t j = 0;
        for (size_t i = 0; i < all.n_m; i++) {
            if (!(mask & PII_BIT(all.m[i].kind)))
                continue;
            if (j >= some.n_m || some.m[j].kind != all.m[i].kind ||
                some.m[j].off != all.m[i].off || some.m[j].len != all.m[i].len)
                abort();
            j++;
        }
        if (j != some.n_m)
            abort();
    }
    pii_result_dispose(&all);
    pii_result_dispose(&some);
    pii_result_dispose(NULL);
    free(buf);
    return 0;
}
