#include "http/form.h"

#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/utf8.h"
#include "core/xalloc.h"

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* A name worth quoting in a message: short printable ASCII. */
static int plain_name(const char *s)
{
    size_t n = strlen(s);
    if (!n || n > 64)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (s[i] <= ' ' || s[i] > '~' || s[i] == '"')
            return 0;
    return 1;
}

/* Decodes s[0..n) into a new string. 0, or a short reason in *why. */
static int decode(char **out, const char *s, size_t n, const char **why)
{
    char *d = xmalloc(n + 1);
    size_t k = 0;
    *out = NULL;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == '+') {
            c = ' ';
        } else if (c == '%') {
            if (n - i < 3 || hexval(s[i + 1]) < 0 || hexval(s[i + 2]) < 0) {
                *why = "bad %-escape";
                free(d);
                return -1;
            }
            c = (char)(hexval(s[i + 1]) << 4 | hexval(s[i + 2]));
            i += 2;
        }
        if (c == 0) {
            *why = "holds a NUL byte";
            free(d);
            return -1;
        }
        d[k++] = c;
    }
    d[k] = 0;
    if (utf8_valid_prefix(d, k) != k) {
        *why = "invalid UTF-8";
        free(d);
        return -1;
    }
    *out = d;
    return 0;
}

int form_parse(struct form *out, const char *s, size_t len, struct err *err)
{
    struct form f = FORM_INIT;
    size_t cap = 0, i = 0, number = 0;
    int rc = 0;
    out->f = NULL;
    out->n = 0;
    while (i < len) {
        size_t j = i;
        while (j < len && s[j] != '&')
            j++;
        if (j > i) {
            const char *eq = memchr(s + i, '=', j - i);
            size_t nn = eq ? (size_t)(eq - (s + i)) : j - i;
            const char *why = NULL;
            char *name = NULL, *value = NULL;
            number++;
            if (f.n >= FORM_MAX_FIELDS) {
                rc = err_set(err, ERR_INVALID,
                             "too many form fields (at most %d)",
                             FORM_MAX_FIELDS);
                goto done;
            }
            if (decode(&name, s + i, nn, &why) < 0) {
                rc = err_set(err, ERR_INVALID, "form field %zu: name %s",
                             number, why);
                goto done;
            }
            if (eq && decode(&value, eq + 1, j - i - nn - 1, &why) < 0) {
                if (plain_name(name))
                    rc = err_set(err, ERR_INVALID,
                                 "form field %zu (\"%s\"): value %s", number,
                                 name, why);
                else
                    rc = err_set(err, ERR_INVALID, "form field %zu: value %s",
                                 number, why);
                free(name);
                goto done;
            }
            f.f = xgrow(f.f, &cap, f.n + 1, sizeof *f.f);
            f.f[f.n].name = name;
            f.f[f.n++].value = value ? value : xstrdup("");
        }
        i = j + 1;
    }
done:
    if (rc < 0)
        form_dispose(&f);
    else
        *out = f;
    return rc;
}

void form_dispose(struct form *f)
{
    if (!f)
        return;
    for (size_t i = 0; i < f->n; i++) {
        free(f->f[i].name);
        free(f->f[i].value);
    }
    free(f->f);
    f->f = NULL;
    f->n = 0;
}

const char *form_get(const struct form *f, const char *name)
{
    if (!f || !name)
        return NULL;
    for (size_t i = 0; i < f->n; i++)
        if (!strcmp(f->f[i].name, name))
            return f->f[i].value;
    return NULL;
}

int form_add(struct form *f, const char *name, const char *value)
{
    if (!f || !name || !value)
        return ERR_INTERNAL;
    /* no capacity is kept, so grow by one: hidden lists are short */
    f->f = xrealloc(f->f, (f->n + 1) * sizeof *f->f);
    f->f[f->n].name = xstrdup(name);
    f->f[f->n++].value = xstrdup(value);
    return 0;
}
