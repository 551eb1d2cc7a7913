#include "cli/opt.h"

#include <assert.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/strbuf.h"

void opt_parser_init(struct opt_parser *p, const struct opt_spec *specs,
                     int argc, char **argv)
{
    memset(p, 0, sizeof *p);
    p->specs = specs;
    p->argc = argc;
    p->argv = argv;
    p->i = 1;
#ifndef NDEBUG
    size_t n = 0;
    for (const struct opt_spec *s = specs; s && s->name; s++, n++)
        assert(s->id > 0);
    assert(n <= OPT_MAX);
#endif
}

/* The spec named by arg (after its dashes, up to '=' or the end). */
static const struct opt_spec *find(const struct opt_spec *specs,
                                   const char *name, size_t n)
{
    for (const struct opt_spec *s = specs; s && s->name; s++)
        if (strlen(s->name) == n && !memcmp(s->name, name, n))
            return s;
    return NULL;
}

int opt_next(struct opt_parser *p, struct opt *o, struct err *err)
{
    memset(o, 0, sizeof *o);
    for (;;) {
        if (p->i >= p->argc)
            return 0;
        const char *arg = p->argv[p->i++];
        if (!p->ended && !strcmp(arg, "--")) {
            p->ended = 1;
            continue;
        }
        if (p->ended || arg[0] != '-' || !arg[1]) {
            o->id = OPT_ARG;
            o->value = arg;
            return 1;
        }
        if (arg[1] != '-')
            return err_set(err, ERR_INVALID, "unknown option '%s'", arg);
        const char *name = arg + 2, *eq = strchr(name, '=');
        size_t n = eq ? (size_t)(eq - name) : strlen(name);
        const struct opt_spec *s = find(p->specs, name, n);
        if (!s) {
            if (eq)
                return err_set(err, ERR_INVALID, "unknown option '--%.*s'",
                               (int)n, name);
            return err_set(err, ERR_INVALID, "unknown option '%s'", arg);
        }
        size_t k = (size_t)(s - p->specs);
        if (p->seen[k] && !(s->flags & OPT_REPEAT))
            return err_set(err, ERR_INVALID, "--%s given twice", s->name);
        p->seen[k] = 1;
        o->id = s->id;
        o->spec = s;
        if (s->kind == OPT_FLAG) {
            if (eq)
                return err_set(err, ERR_INVALID, "--%s takes no value",
                               s->name);
            return 1;
        }
        if (eq) {
            o->value = eq + 1;
            return 1;
        }
        if (p->i >= p->argc || !strncmp(p->argv[p->i], "--", 2))
            return err_set(err, ERR_INVALID, "--%s needs a value", s->name);
        o->value = p->argv[p->i++];
        return 1;
    }
}

/* ---- help ---- */

#define HELP_WIDTH 79
#define HELP_MAX_COL 26

static size_t name_width(const struct opt_spec *s)
{
    size_t w = 2 + strlen(s->name);
    if (s->kind == OPT_VALUE)
        w += 1 + strlen(s->value_name ? s->value_name : "VALUE");
    return w;
}

static int pad(struct strbuf *out, size_t n)
{
    int rc = 0;
    while (n-- && !rc)
        rc = strbuf_putc(out, ' ');
    return rc;
}

/* Appends text wrapped at HELP_WIDTH, continuation lines indented to
 * col; the first line starts at column `at`. */
static int wrap(struct strbuf *out, const char *text, size_t col, size_t at)
{
    int rc = 0;
    const char *p = text;
    while (*p && !rc) {
        const char *word = p;
        while (*p && *p != ' ')
            p++;
        size_t n = (size_t)(p - word);
        if (at > col && at + 1 + n > HELP_WIDTH) {
            rc = strbuf_putc(out, '\n');
            if (!rc)
                rc = pad(out, col);
            at = col;
        } else if (at > col) {
            rc = strbuf_putc(out, ' ');
            at++;
        }
        if (!rc)
            rc = strbuf_add(out, word, n);
        at += n;
        while (*p == ' ')
            p++;
    }
    return rc ? rc : strbuf_putc(out, '\n');
}

int opt_help(struct strbuf *out, const struct opt_spec *specs)
{
    size_t col = 0;
    int rc = 0;
    for (const struct opt_spec *s = specs; s && s->name; s++) {
        size_t w = 2 + name_width(s) + 2;
        if (w <= HELP_MAX_COL && w > col)
            col = w;
    }
    if (!col)
        col = HELP_MAX_COL;
    for (const struct opt_spec *s = specs; s && s->name && !rc; s++) {
        size_t w = 2 + name_width(s);
        rc = strbuf_printf(out, "  --%s", s->name);
        if (!rc && s->kind == OPT_VALUE)
            rc = strbuf_printf(out, " %s",
                               s->value_name ? s->value_name : "VALUE");
        if (rc)
            break;
        if (!s->help || !s->help[0]) {
            rc = strbuf_putc(out, '\n');
        } else if (w + 2 > col) { /* a long name: help on the next line */
            rc = strbuf_putc(out, '\n');
            if (!rc)
                rc = pad(out, col);
            if (!rc)
                rc = wrap(out, s->help, col, col);
        } else {
            rc = pad(out, col - w);
            if (!rc)
                rc = wrap(out, s->help, col, col);
        }
    }
    return rc;
}

/* ---- values ---- */

int opt_parse_long(long *out, const char *s, long lo, long hi)
{
    char *end;
    if (!s || !*s || *s == ' ')
        return ERR_INVALID;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < lo || v > hi)
        return ERR_INVALID;
    *out = v;
    return 0;
}

int opt_parse_double(double *out, const char *s)
{
    char *end;
    if (!s || !*s || *s == ' ')
        return ERR_INVALID;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || *end || !isfinite(v))
        return ERR_INVALID;
    *out = v;
    return 0;
}
