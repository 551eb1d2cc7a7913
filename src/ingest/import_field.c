/* Reading one field of a row: trimming, numbers, keys, attribute values,
 * and the required and optional single columns. */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/strbuf.h"
#include "ingest/import_int.h"

int recfield_lc_eq(const char *a, size_t an, const char *b)
{
    size_t bn = strlen(b);
    if (an != bn)
        return 0;
    for (size_t i = 0; i < an; i++)
        if (tolower((unsigned char)a[i]) != (unsigned char)b[i])
            return 0;
    return 1;
}

void recfield_trim(const char **p, size_t *n)
{
    while (*n && ((*p)[0] == ' ' || (*p)[0] == '\t')) {
        (*p)++;
        (*n)--;
    }
    while (*n && ((*p)[*n - 1] == ' ' || (*p)[*n - 1] == '\t'))
        (*n)--;
}

int recfield_shown(const char *p, size_t n)
{
    if (n <= 40)
        return (int)n;
    n = 40;
    while (n > 0 && ((unsigned char)p[n] & 0xC0) == 0x80)
        n--;
    return (int)n;
}

/* Skips digits from *i: how many there were. */
static size_t skip_digits(const char *p, size_t n, size_t *i)
{
    size_t s = *i;
    while (*i < n && p[*i] >= '0' && p[*i] <= '9')
        (*i)++;
    return *i - s;
}

/* Skips a fraction (. or , then digits) and an exponent from *i: 1 if
 * either was there, 0 if neither, -1 if one is cut short. */
static int skip_frac_exp(const char *p, size_t n, size_t *i)
{
    int any = 0;
    if (*i < n && (p[*i] == '.' || p[*i] == ',')) {
        (*i)++;
        if (!skip_digits(p, n, i))
            return -1;
        any = 1;
    }
    if (*i < n && (p[*i] == 'e' || p[*i] == 'E')) {
        (*i)++;
        if (*i < n && (p[*i] == '+' || p[*i] == '-'))
            (*i)++;
        if (!skip_digits(p, n, i))
            return -1;
        any = 1;
    }
    return any;
}

int recfield_parse_number(double *out, const char *p, size_t n)
{
    char buf[64];
    size_t i = 0;
    if (n == 0 || n >= sizeof buf)
        return -1;
    if (p[i] == '+' || p[i] == '-')
        i++;
    if (!skip_digits(p, n, &i) || skip_frac_exp(p, n, &i) < 0)
        return -1;
    if (i != n)
        return -1;
    memcpy(buf, p, n);
    buf[n] = 0;
    for (i = 0; i < n; i++)
        if (buf[i] == ',')
            buf[i] = '.';
    double v = strtod(buf, NULL);
    if (!isfinite(v))
        return -1;
    *out = v;
    return 0;
}

int recfield_parse_int(long *out, const char *p, size_t n)
{
    size_t i = 0;
    long v = 0;
    int neg = 0;
    if (n && (p[0] == '+' || p[0] == '-')) {
        neg = p[0] == '-';
        i++;
    }
    if (i == n || n - i > 9)
        return -1;
    for (; i < n; i++) {
        if (p[i] < '0' || p[i] > '9')
            return -1;
        v = v * 10 + (p[i] - '0');
    }
    *out = neg ? -v : v;
    return 0;
}

void recfield_attr_value(struct strbuf *b, const char *p, size_t n)
{
    size_t i = 0;
    int frac = 0;
    char buf[64];
    if (n && p[0] == '-')
        i++;
    if (i < n && p[i] == '0')
        i++;
    else if (i < n && p[i] >= '1' && p[i] <= '9')
        skip_digits(p, n, &i);
    else
        goto string;
    if ((frac = skip_frac_exp(p, n, &i)) < 0)
        goto string;
    if (i != n || n >= sizeof buf)
        goto string;
    memcpy(buf, p, n);
    buf[n] = 0;
    for (i = 0; i < n; i++)
        if (buf[i] == ',')
            buf[i] = '.';
    errno = 0;
    if (frac) {
        if (!isfinite(strtod(buf, NULL)))
            goto string;
    } else {
        (void)strtoll(buf, NULL, 10);
        if (errno == ERANGE)
            goto string;
    }
    strbuf_add(b, buf, n);
    return;
string:
    strbuf_json_string(b, p, n);
}

int recfield_valid_attr(const char *p, size_t n)
{
    /* Real exports name columns "Type of Travel": spaces are fine inside.
     * What would break a field name in a query (docs/metrics.md) is not:
     * control characters, , " = ; : < > ! and spaces at either end. */
    if (!n || n > MAX_ID || p[0] == ' ' || p[n - 1] == ' ')
        return 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)p[i];
        if (c < 0x20 || c == 0x7f || strchr(",\"=;:<>!", c))
            return 0;
    }
    return 1;
}

int recfield_valid_key(const char *p, size_t n)
{
    if (!n || n > MAX_ID)
        return 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)p[i];
        if (c < 0x20 || c == ' ' || c == ',' || c == '"' || c == 0x7f)
            return 0;
    }
    return 1;
}

const char *recfield_cstr(struct imp *m, const char *p, size_t n)
{
    char *s = m->row + m->row_n;
    if (m->row_n + n + 1 > m->row_cap) /* cannot happen: sized per row */
        return "";
    memcpy(s, p, n);
    s[n] = 0;
    m->row_n += n + 1;
    return s;
}

int recfield_is_na(const struct imp *m, const char *p, size_t n)
{
    for (size_t i = 0; i < m->nna; i++) {
        const struct na_value *v = &m->na[i];
        if (v->n != n)
            continue;
        size_t k = 0;
        while (k < n &&
               tolower((unsigned char)p[k]) == tolower((unsigned char)v->p[k]))
            k++;
        if (k == n)
            return 1;
    }
    return 0;
}

const struct rec_field *recfield_get(const struct imp *m,
                                     const struct record *rec, int ci,
                                     struct rec_field *tmp, int raw)
{
    if (ci < 0 || (size_t)ci >= rec->n || !rec->f[ci].p)
        return NULL;
    *tmp = rec->f[ci];
    if (raw)
        return tmp->n ? tmp : NULL;
    recfield_trim(&tmp->p, &tmp->n);
    if (!tmp->n || (m->nna && recfield_is_na(m, tmp->p, tmp->n)))
        return NULL;
    return tmp;
}

int recfield_need(struct imp *m, const struct record *rec, enum role r,
                  struct rec_field *tmp, const struct rec_field **out,
                  struct err *err)
{
    const char *name = cols_role_name(r);
    *out = recfield_get(m, rec, m->single[r], tmp, 0);
    if (*out)
        return 0;
    int ci = m->single[r];
    if (ci >= 0 && (size_t)ci < rec->n && rec->f[ci].p) {
        struct rec_field t = rec->f[ci];
        recfield_trim(&t.p, &t.n);
        if (t.n)
            return import_bad(m, &rec->f[ci], err,
                              "%s is \"%.*s\", which --na makes absent", name,
                              recfield_shown(t.p, t.n), t.p);
        return import_bad(m, &rec->f[ci], err, "%s is empty", name);
    }
    return err_at(err, ERR_INVALID, m->path, rec->line, 1, "%s is missing",
                  name);
}

int recfield_id(struct imp *m, const struct rec_field *f, const char *what,
                const char **out, struct err *err)
{
    if (f->n > MAX_ID)
        return import_bad(m, f, err, "%s is longer than %d bytes", what,
                          MAX_ID);
    *out = recfield_cstr(m, f->p, f->n);
    return 0;
}

int recfield_score(struct imp *m, const struct record *rec, enum role r,
                   const char *name, int lo, int hi, int *out, struct err *err)
{
    struct rec_field tmp;
    const struct rec_field *f = recfield_get(m, rec, m->single[r], &tmp, 0);
    long v;
    double d;
    *out = -1;
    if (!f)
        return 0;
    if (recfield_parse_int(&v, f->p, f->n) == 0) {
        if (v < lo || v > hi)
            return import_bad(m, f, err, "%s must be %d..%d, got \"%.*s\"",
                              name, lo, hi, recfield_shown(f->p, f->n), f->p);
        *out = (int)v;
        return 0;
    }
    if (recfield_parse_number(&d, f->p, f->n) == 0)
        return import_bad(m, f, err,
                          "%s must be a whole number %d..%d, got \"%.*s\"",
                          name, lo, hi, recfield_shown(f->p, f->n), f->p);
    return import_bad(m, f, err, "%s must be a number %d..%d, got \"%.*s\"",
                      name, lo, hi, recfield_shown(f->p, f->n), f->p);
}
