#include "core/strmap.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "core/hash.h"
#include "core/xalloc.h"

/* A slot is empty when h == 0; real hashes are forced non-zero. The pool
 * holds each key as a 4-byte length then its bytes, so a slot needs only
 * an offset. Offsets (not pointers) survive the pool's reallocation. */
struct slot {
    uint64_t h;
    uint64_t off;
    int64_t val;
};

struct strmap {
    struct slot *slots;
    size_t mask; /* capacity - 1; capacity is a power of two */
    size_t count;
    char *pool;
    size_t pool_n, pool_cap;
    uint64_t *order; /* pool offsets in insertion order */
    size_t order_cap;
};

static uint64_t hash(const char *k, size_t n)
{
    uint64_t h = hash_bytes(k, n);
    return h ? h : 1; /* 0 marks an empty slot */
}

struct strmap *strmap_new(void)
{
    struct strmap *m = xcalloc(1, sizeof *m);
    m->mask = 15;
    m->slots = xcalloc(16, sizeof *m->slots);
    return m;
}

void strmap_free(struct strmap *m)
{
    if (!m)
        return;
    free(m->slots);
    free(m->pool);
    free(m->order);
    free(m);
}

size_t strmap_count(const struct strmap *m)
{
    return m->count;
}

static const char *key_at(const struct strmap *m, uint64_t off, size_t *n)
{
    uint32_t len;
    memcpy(&len, m->pool + off, 4);
    *n = len;
    return m->pool + off + 4;
}

static int key_eq(const struct strmap *m, const struct slot *s, const char *k,
                  size_t n)
{
    size_t len;
    const char *p = key_at(m, s->off, &len);
    return len == n && (n == 0 || memcmp(p, k, n) == 0);
}

/* The slot holding k, or the empty slot where it would go. */
static struct slot *find(const struct strmap *m, uint64_t h, const char *k,
                         size_t n)
{
    size_t i = (size_t)h & m->mask;
    for (;;) {
        struct slot *s = &m->slots[i];
        if (s->h == 0 || (s->h == h && key_eq(m, s, k, n)))
            return s;
        i = (i + 1) & m->mask;
    }
}

static void grow(struct strmap *m)
{
    size_t cap = (m->mask + 1) * 2;
    struct slot *old = m->slots;
    size_t old_cap = m->mask + 1;
    m->slots = xcalloc_table(cap, sizeof *m->slots);
    m->mask = cap - 1;
    for (size_t i = 0; i < old_cap; i++) {
        if (!old[i].h)
            continue;
        size_t j = (size_t)old[i].h & m->mask;
        while (m->slots[j].h)
            j = (j + 1) & m->mask;
        m->slots[j] = old[i];
    }
    free(old);
}

static uint64_t pool_add(struct strmap *m, const char *k, size_t n)
{
    uint64_t off = m->pool_n;
    uint32_t len = (uint32_t)n;
    m->pool = xgrow(m->pool, &m->pool_cap, m->pool_n + 4 + n, 1);
    memcpy(m->pool + m->pool_n, &len, 4);
    if (n)
        memcpy(m->pool + m->pool_n + 4, k, n);
    m->pool_n += 4 + n;
    m->order = xgrow(m->order, &m->order_cap, m->count + 1, sizeof *m->order);
    m->order[m->count] = off;
    return off;
}

void strmap_prefetch(const struct strmap *m, const char *k, size_t n)
{
    __builtin_prefetch(&m->slots[(size_t)hash(k, n) & m->mask]);
}

int strmap_get(const struct strmap *m, const char *k, size_t n, int64_t *val)
{
    const struct slot *s = find(m, hash(k, n), k, n);
    if (!s->h)
        return 0;
    if (val)
        *val = s->val;
    return 1;
}

static struct slot *insert(struct strmap *m, const char *k, size_t n,
                           int *added)
{
    assert(n <= UINT32_MAX); /* callers cap keys far lower */
    uint64_t h = hash(k, n);
    struct slot *s = find(m, h, k, n);
    *added = 0;
    if (s->h)
        return s;
    /* Keep the load under 3/4 so probes stay short. */
    if ((m->count + 1) * 4 > (m->mask + 1) * 3) {
        grow(m);
        s = find(m, h, k, n);
    }
    s->h = h;
    s->off = pool_add(m, k, n);
    m->count++;
    *added = 1;
    return s;
}

int strmap_put(struct strmap *m, const char *k, size_t n, int64_t val)
{
    int added;
    struct slot *s = insert(m, k, n, &added);
    s->val = val;
    return added;
}

int strmap_add(struct strmap *m, const char *k, size_t n, int64_t val,
               int64_t *old)
{
    int added;
    struct slot *s = insert(m, k, n, &added);
    if (added)
        s->val = val;
    else if (old)
        *old = s->val;
    return added;
}

const char *strmap_key(const struct strmap *m, size_t i, size_t *n)
{
    return key_at(m, m->order[i], n);
}
