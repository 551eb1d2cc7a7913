#include "core/strbuf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/xalloc.h"

void strbuf_init(struct strbuf *b, size_t max)
{
    b->p = NULL;
    b->n = 0;
    b->cap = 0;
    b->max = max;
}

void strbuf_dispose(struct strbuf *b)
{
    if (!b)
        return;
    free(b->p);
    b->p = NULL;
    b->n = b->cap = 0;
}

void strbuf_reset(struct strbuf *b)
{
    b->n = 0;
    if (b->p)
        b->p[0] = 0;
}

const char *strbuf_str(const struct strbuf *b)
{
    return b->p ? b->p : "";
}

static int reserve(struct strbuf *b, size_t extra)
{
    size_t need = b->n + extra + 1;
    if (b->max && b->n + extra > b->max)
        return ERR_INVALID;
    if (need > b->cap)
        b->p = xgrow(b->p, &b->cap, need, 1);
    return 0;
}

int strbuf_add(struct strbuf *b, const void *data, size_t n)
{
    if (reserve(b, n) < 0)
        return ERR_INVALID;
    if (n)
        memcpy(b->p + b->n, data, n);
    b->n += n;
    b->p[b->n] = 0;
    return 0;
}

int strbuf_puts(struct strbuf *b, const char *s)
{
    return strbuf_add(b, s, strlen(s));
}

int strbuf_putc(struct strbuf *b, char c)
{
    return strbuf_add(b, &c, 1);
}

int strbuf_vprintf(struct strbuf *b, const char *fmt, va_list ap)
{
    va_list ap2;
    int len;
    size_t room = b->cap > b->n ? b->cap - b->n : 0;
    /* Format straight into the free space; only a result that does not
     * fit is formatted a second time, into a grown buffer. */
    va_copy(ap2, ap);
    len = vsnprintf(b->p && room ? b->p + b->n : NULL, room, fmt, ap2);
    va_end(ap2);
    if (len < 0) {
        if (b->p)
            b->p[b->n] = 0;
        return ERR_INTERNAL;
    }
    if (b->max && b->n + (size_t)len > b->max) {
        if (b->p)
            b->p[b->n] = 0; /* drop the partial write */
        return ERR_INVALID;
    }
    if ((size_t)len < room) {
        b->n += (size_t)len;
        return 0;
    }
    if (reserve(b, (size_t)len) < 0)
        return ERR_INVALID;
    vsnprintf(b->p + b->n, (size_t)len + 1, fmt, ap);
    b->n += (size_t)len;
    return 0;
}

int strbuf_printf(struct strbuf *b, const char *fmt, ...)
{
    va_list ap;
    int rc;
    va_start(ap, fmt);
    rc = strbuf_vprintf(b, fmt, ap);
    va_end(ap);
    return rc;
}

int strbuf_json_string(struct strbuf *b, const char *p, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    size_t run = 0;
    int rc = strbuf_putc(b, '"');
    for (size_t i = 0; i < n && rc == 0; i++) {
        unsigned char c = (unsigned char)p[i];
        char esc[7] = {'\\', 0, 0, 0, 0, 0, 0};
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        if ((rc = strbuf_add(b, p + run, i - run)) < 0)
            break;
        run = i + 1;
        switch (c) {
        case '"':
        case '\\':
            esc[1] = (char)c;
            break;
        case '\n':
            esc[1] = 'n';
            break;
        case '\r':
            esc[1] = 'r';
            break;
        case '\t':
            esc[1] = 't';
            break;
        default:
            memcpy(esc + 1, "u00", 3);
            esc[4] = hex[c >> 4];
            esc[5] = hex[c & 15];
        }
        rc = strbuf_puts(b, esc);
    }
    if (rc == 0)
        rc = strbuf_add(b, p + run, n - run);
    return rc == 0 ? strbuf_putc(b, '"') : rc;
}

char *strbuf_detach(struct strbuf *b, size_t *len)
{
    char *p = b->p ? b->p : xstrdup("");
    if (len)
        *len = b->n;
    b->p = NULL;
    b->n = b->cap = 0;
    return p;
}
