#pragma once
/* Error values: a code, a message and where it happened.
 *
 * A fallible function returns 0 or a negative enum err_code and fills the
 * struct err passed last. The first error wins: later err_set calls on an
 * already-set err are ignored, so the root cause is what the user sees.
 * Fixed buffers mean reporting an error never allocates. */

#include <stddef.h>

enum err_code {
    ERR_OK = 0,
    ERR_INVALID = -1,  /* bad input from a user or a file */
    ERR_NOTFOUND = -2, /* a named thing does not exist */
    ERR_CONFLICT = -3, /* clashes with what is stored */
    ERR_IO = -4,       /* file or network failure */
    ERR_DB = -5,       /* the database failed */
    ERR_PERM = -6,     /* not allowed */
    ERR_INTERNAL = -7  /* a bug or an unexpected state */
};

struct err {
    int code;
    char msg[256];
    char where[160]; /* "file:line:col", "file:line", a field name, or "" */
};

#define ERR_INIT {0, {0}, {0}}

void err_clear(struct err *e);

/* Sets code and message unless an error is already set. Returns code. */
int err_set(struct err *e, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* As err_set, with a location "path:line:col" (line/col 0 are left out). */
int err_at(struct err *e, int code, const char *path, long line, long col,
           const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/* Fills buf with "where: msg" (or just msg). Returns buf. */
const char *err_str(const struct err *e, char *buf, size_t n);

/* A short English name for a code: "invalid input", "not found", ... */
const char *err_code_name(int code);
