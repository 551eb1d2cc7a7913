#pragma once
/* application/x-www-form-urlencoded bodies and query strings, decoded into
 * name/value pairs in the order given. Cookies are not parsed here. */

#include <stddef.h>

struct err;

struct form_field {
    char *name; /* decoded, NUL-terminated, owned */
    char *value;
};

struct form {
    struct form_field *f;
    size_t n;
};

#define FORM_INIT                                                              \
    {                                                                          \
        NULL, 0                                                                \
    }
#define FORM_MAX_FIELDS 1000

/* Parses s[0..len), e.g. "a=1&b=x+y&c=%C3%A5": '+' is a space and %XX a
 * byte. "a" without '=' is a=""; empty pieces ("a=1&&b=2") are skipped.
 * ERR_INVALID (the message names the field by number, and by name when the
 * name is plain) for a bad escape, a decoded NUL, invalid UTF-8, or more
 * than FORM_MAX_FIELDS fields. On error *out is empty. Free with
 * form_dispose. */
int form_parse(struct form *out, const char *s, size_t len, struct err *err);
/* Frees the fields and leaves f empty (FORM_INIT). Accepts NULL. */
void form_dispose(struct form *f);
/* The first value given for name, or NULL; borrowed from f. */
const char *form_get(const struct form *f, const char *name);
/* Appends a copy of name=value (to build hidden-field lists). Returns 0, or
 * ERR_INTERNAL for NULL arguments (out of memory aborts, via xalloc). */
int form_add(struct form *f, const char *name, const char *value);
