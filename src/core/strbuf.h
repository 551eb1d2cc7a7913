#pragma once
/* A growable byte buffer, always NUL-terminated, for building output.
 * Embedded by value: strbuf_init/strbuf_dispose, or STRBUF_INIT.
 * A buffer may have a maximum size (0 = none); appends past it fail with
 * ERR_INVALID and leave the buffer as it was, so untrusted input cannot
 * grow it without bound. */

#include <stdarg.h>
#include <stddef.h>

struct strbuf {
    char *p;
    size_t n;   /* bytes used, not counting the NUL */
    size_t cap; /* bytes allocated */
    size_t max; /* 0 = unlimited */
};

#define STRBUF_INIT {NULL, 0, 0, 0}

void strbuf_init(struct strbuf *b, size_t max);
void strbuf_dispose(struct strbuf *b);
void strbuf_reset(struct strbuf *b);
/* Returns the contents ("" when empty); borrowed, valid until next change. */
const char *strbuf_str(const struct strbuf *b);
/* Each returns 0, or ERR_INVALID when max would be exceeded. */
int strbuf_add(struct strbuf *b, const void *data, size_t n);
int strbuf_puts(struct strbuf *b, const char *s);
int strbuf_putc(struct strbuf *b, char c);
int strbuf_printf(struct strbuf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
int strbuf_vprintf(struct strbuf *b, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));
/* Appends p[0..n) as a JSON string literal, quotes included: '"' and '\\'
 * escaped, control bytes as \n, \r, \t or \u00XX; other bytes (UTF-8)
 * as they are. Same return as strbuf_add. */
int strbuf_json_string(struct strbuf *b, const char *p, size_t n);
/* Takes the contents; caller frees with free(). The buffer is reset. */
char *strbuf_detach(struct strbuf *b, size_t *len);
