#include "core/err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void err_clear(struct err *e)
{
    if (!e)
        return;
    e->code = 0;
    e->msg[0] = 0;
    e->where[0] = 0;
}

static int err_vset(struct err *e, int code, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));

static int err_vset(struct err *e, int code, const char *fmt, va_list ap)
{
    if (!e || e->code != 0)
        return code;
    e->code = code;
    vsnprintf(e->msg, sizeof e->msg, fmt, ap);
    return code;
}

int err_set(struct err *e, int code, const char *fmt, ...)
{
    va_list ap;
    if (e && e->code == 0)
        e->where[0] = 0;
    va_start(ap, fmt);
    err_vset(e, code, fmt, ap);
    va_end(ap);
    return code;
}

int err_at(struct err *e, int code, const char *path, long line, long col,
           const char *fmt, ...)
{
    va_list ap;
    if (!e || e->code != 0)
        return code;
    if (!path)
        path = "";
    if (line > 0 && col > 0)
        snprintf(e->where, sizeof e->where, "%s:%ld:%ld", path, line, col);
    else if (line > 0)
        snprintf(e->where, sizeof e->where, "%s:%ld", path, line);
    else
        snprintf(e->where, sizeof e->where, "%s", path);
    va_start(ap, fmt);
    err_vset(e, code, fmt, ap);
    va_end(ap);
    return code;
}

const char *err_str(const struct err *e, char *buf, size_t n)
{
    if (!n)
        return buf;
    if (!e || e->code == 0)
        snprintf(buf, n, "no error");
    else if (e->where[0])
        snprintf(buf, n, "%s: %s", e->where, e->msg);
    else
        snprintf(buf, n, "%s", e->msg);
    return buf;
}

const char *err_code_name(int code)
{
    switch (code) {
    case ERR_OK: return "ok";
    case ERR_INVALID: return "invalid input";
    case ERR_NOTFOUND: return "not found";
    case ERR_CONFLICT: return "conflict";
    case ERR_IO: return "i/o error";
    case ERR_DB: return "database error";
    case ERR_PERM: return "permission denied";
    default: return "internal error";
    }
}
