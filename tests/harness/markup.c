/* A small well-formedness check of the XML and HTML the renderers write
 * (no XML library is a dependency): see harness.h. */
#include "harness.h"

#include <string.h>

int harness_markup(const char *doc, int html, const char *count,
                   void (*on_tag)(void *ctx, const char *name, size_t n),
                   void *ctx)
{
    const char *stack[128];
    size_t len[128];
    int depth = 0, roots = 0, counted = 0;
    const char *p = doc;
    while (!strncmp(p, "<?xml", 5) || !strncmp(p, "<!DOCTYPE", 9)) {
        p = strchr(p, '>');
        assert_non_null(p);
        p++;
    }
    while (*p) {
        if (*p != '<') {
            if (*p == '&') {
                const char *e = strchr(p, ';');
                if (!e || e - p > 8 ||
                    !(p[1] == '#' || !strncmp(p, "&amp;", 5) ||
                      !strncmp(p, "&lt;", 4) || !strncmp(p, "&gt;", 4) ||
                      !strncmp(p, "&quot;", 6)))
                    fail_msg("bad entity at %ld", (long)(p - doc));
            }
            if (depth == 0 && *p != '\n' && *p != ' ')
                fail_msg("text outside the root at %ld", (long)(p - doc));
            p++;
            continue;
        }
        int closing = p[1] == '/';
        const char *name = p + 1 + closing;
        size_t n = strcspn(name, " \t\n/>");
        assert_true(n > 0);
        const char *q = name + n;
        for (;;) {
            while (*q == ' ' || *q == '\n')
                q++;
            if (*q == '>' || *q == '/')
                break;
            assert_false(closing);
            size_t an = strcspn(q, "=");
            if (!(an > 0 && q[an] == '=' && q[an + 1] == '"'))
                fail_msg("unquoted attribute at %ld", (long)(q - doc));
            q += an + 2;
            const char *end = strchr(q, '"');
            assert_non_null(end);
            for (const char *c = q; c < end; c++)
                if (*c == '<')
                    fail_msg("'<' in an attribute at %ld", (long)(c - doc));
            q = end + 1;
        }
        int empty = *q == '/';
        if (empty) {
            assert_int_equal(q[1], '>');
            q += 2;
        } else {
            q++;
        }
        if (html && !closing &&
            ((n == 4 && !strncmp(name, "meta", 4)) ||
             (n == 2 && !strncmp(name, "br", 2))))
            empty = 1;
        if (closing) {
            assert_true(depth > 0);
            depth--;
            if (len[depth] != n || strncmp(stack[depth], name, n))
                fail_msg("</%.*s> closes <%.*s> at %ld", (int)n, name,
                         (int)len[depth], stack[depth], (long)(name - doc));
        } else {
            if (depth == 0)
                roots++;
            if (count && n == strlen(count) && !strncmp(name, count, n))
                counted++;
            if (on_tag)
                on_tag(ctx, name, n);
            if (!empty) {
                assert_true(depth < 128);
                stack[depth] = name;
                len[depth++] = n;
            }
        }
        p = q;
    }
    assert_int_equal(depth, 0);
    assert_int_equal(roots, 1);
    return counted;
}
