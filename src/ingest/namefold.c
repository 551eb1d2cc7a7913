#include "ingest/namefold.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "core/strbuf.h"

static int ascii_only(const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)p[i] >= 0x80)
            return 0;
    return 1;
}

static int append_lower(struct strbuf *b, const char *p, size_t n)
{
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        char c = p[i];
        rc = strbuf_putc(b, c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c);
    }
    return rc;
}

int namefold_append(struct strbuf *b, const char *p, size_t n)
{
    utf8proc_uint8_t *out = NULL;
    utf8proc_ssize_t len;
    int rc;
    if (ascii_only(p, n))
        return append_lower(b, p, n);
    len = utf8proc_map((const utf8proc_uint8_t *)p, (utf8proc_ssize_t)n, &out,
                       UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD);
    if (len < 0) /* not UTF-8: compare the bytes, ASCII letters folded */
        return append_lower(b, p, n);
    rc = strbuf_add(b, out, (size_t)len);
    free(out);
    return rc;
}

int namefold_equal(const char *a, size_t an, const char *b, size_t bn)
{
    struct strbuf fa = STRBUF_INIT, fb = STRBUF_INIT;
    int eq;
    namefold_append(&fa, a, an);
    namefold_append(&fb, b, bn);
    eq = fa.n == fb.n && (fa.n == 0 || !memcmp(fa.p, fb.p, fa.n));
    strbuf_dispose(&fa);
    strbuf_dispose(&fb);
    return eq;
}
