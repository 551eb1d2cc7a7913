#include "core/escape.h"

#include <stdint.h>
#include <string.h>
#include <utf8proc.h>

#include "core/strbuf.h"

static int visible_escape(int32_t cp)
{
    return cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp <= 0x9f) ||
           (cp >= 0x200e && cp <= 0x200f) || (cp >= 0x2028 && cp <= 0x202e) ||
           (cp >= 0x2066 && cp <= 0x2069);
}

int escape_terminal(struct strbuf *out, const char *s, size_t n)
{
    size_t i = 0, run = 0;
    int rc = 0;
    while (i < n && !rc) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
                                              (utf8proc_ssize_t)(n - i), &cp);
        if (k > 0 && !visible_escape(cp)) {
            i += (size_t)k;
            continue;
        }
        /* the safe run before it, as it is */
        if ((rc = strbuf_add(out, s + run, i - run)) < 0)
            break;
        if (k <= 0) { /* not UTF-8: the byte, escaped */
            rc = strbuf_printf(out, "\\x%02x", (unsigned char)s[i]);
            i++;
        } else if (cp == '\r' && i + 1 < n && s[i + 1] == '\n') {
            rc = strbuf_putc(out, ' ');
            i += 2;
        } else if (cp == '\n' || cp == '\r' || cp == '\t') {
            rc = strbuf_putc(out, ' ');
            i++;
        } else if (cp < 0x80) {
            rc = strbuf_printf(out, "\\x%02x", (unsigned)cp);
            i++;
        } else {
            rc = strbuf_printf(out, "\\u%04x", (unsigned)cp);
            i += (size_t)k;
        }
        run = i;
    }
    if (!rc)
        rc = strbuf_add(out, s + run, n - run);
    return rc;
}

static size_t digits(const char *s, size_t n, size_t *i)
{
    size_t start = *i;
    while (*i < n && s[*i] >= '0' && s[*i] <= '9')
        (*i)++;
    return *i - start;
}

int escape_is_number(const char *s, size_t n)
{
    size_t i = 0, d;
    if (i < n && (s[i] == '+' || s[i] == '-'))
        i++;
    d = digits(s, n, &i);
    if (i < n && s[i] == '.') {
        i++;
        d += digits(s, n, &i);
    }
    if (!d)
        return 0;
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        if (i < n && (s[i] == '+' || s[i] == '-'))
            i++;
        if (!digits(s, n, &i))
            return 0;
    }
    return i == n;
}

/* What a spreadsheet takes as the start of a formula (OWASP's list). */
static int formula_start(char c)
{
    return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' ||
           c == '\r';
}

int escape_csv(struct strbuf *out, const char *s, size_t n, char sep,
               unsigned flags)
{
    int guard = n && formula_start(s[0]) &&
                !((flags & ESCAPE_CSV_NUMBER) && escape_is_number(s, n));
    int quote = guard || (n && (s[0] == ' ' || s[n - 1] == ' '));
    for (size_t i = 0; i < n && !quote; i++)
        quote = s[i] == sep || s[i] == '"' || s[i] == '\n' || s[i] == '\r';
    if (!quote)
        return strbuf_add(out, s, n);
    int rc = strbuf_putc(out, '"');
    if (!rc && guard)
        rc = strbuf_putc(out, '\'');
    size_t run = 0;
    for (size_t i = 0; i < n && !rc; i++)
        if (s[i] == '"') { /* doubled: the run up to it, then one more */
            rc = strbuf_add(out, s + run, i + 1 - run);
            if (!rc)
                rc = strbuf_putc(out, '"');
            run = i + 1;
        }
    if (!rc)
        rc = strbuf_add(out, s + run, n - run);
    return rc ? rc : strbuf_putc(out, '"');
}

int escape_xml(struct strbuf *out, const char *s, size_t n)
{
    size_t i = 0, run = 0;
    int rc = 0;
    while (i < n && !rc) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
                                              (utf8proc_ssize_t)(n - i), &cp);
        const char *rep = NULL;
        if (k <= 0 || (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') ||
            cp == 0xfffe || cp == 0xffff)
            rep = "\xef\xbf\xbd"; /* U+FFFD */
        else if (cp == '&')
            rep = "&amp;";
        else if (cp == '<')
            rep = "&lt;";
        else if (cp == '>')
            rep = "&gt;";
        else if (cp == '"')
            rep = "&quot;";
        else if (cp == '\'')
            rep = "&#39;";
        if (!rep) {
            i += (size_t)k;
            continue;
        }
        if ((rc = strbuf_add(out, s + run, i - run)) < 0 ||
            (rc = strbuf_puts(out, rep)) < 0)
            break;
        i += k > 0 ? (size_t)k : 1;
        run = i;
    }
    if (!rc)
        rc = strbuf_add(out, s + run, n - run);
    return rc;
}

int escape_url(struct strbuf *out, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        int rc;
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
            (*p >= '0' && *p <= '9') || strchr("-_.~", *p))
            rc = strbuf_putc(out, (char)*p);
        else
            rc = strbuf_printf(out, "%%%c%c", hex[*p >> 4], hex[*p & 15]);
        if (rc < 0)
            return -1;
    }
    return 0;
}
