#include "core/xalloc.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static void oom(void)
{
    fputs("resonans: out of memory\n", stderr);
    abort();
}

void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        oom();
    return p;
}

void *xcalloc(size_t count, size_t size)
{
    void *p = calloc(count ? count : 1, size ? size : 1);
    if (!p)
        oom();
    return p;
}

void *xcalloc_table(size_t count, size_t size)
{
    void *p = xcalloc(count, size);
#ifdef MADV_HUGEPAGE
    /* Only worth it past a few huge pages; calloc gave such a block fresh
     * (untouched) pages of its own mapping, so the advice applies from
     * the first touch. Advice that fails changes nothing. */
    size_t n = count * size, page = (size_t)sysconf(_SC_PAGESIZE);
    if (n >= ((size_t)8 << 20) && page) {
        /* the whole pages inside the block */
        size_t lead = (page - (uintptr_t)p % page) % page;
        size_t len = (n - lead) / page * page;
        if (len)
            (void)madvise((char *)p + lead, len, MADV_HUGEPAGE);
    }
#endif
    return p;
}

void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q)
        oom();
    return q;
}

void *xgrow(void *p, size_t *cap, size_t need, size_t elem)
{
    size_t c = *cap;
    if (need <= c)
        return p;
    if (c < 8)
        c = 8;
    while (c < need) {
        if (c > SIZE_MAX / 2 / elem)
            oom();
        c *= 2;
    }
    *cap = c;
    return xrealloc(p, c * elem);
}

char *xstrdup(const char *s)
{
    return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
    char *p = xmalloc(n + 1);
    memcpy(p, s, n);
    p[n] = 0;
    return p;
}
