/* A small LRU of rendered page bodies (page_cache.h). A few dozen
 * entries at most: a linear scan is cheaper than a hash at that size. */
#include "server/page_cache.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/strbuf.h"
#include "core/xalloc.h"

struct entry {
    char *key, *title, *current, *body;
    size_t n;
    int64_t gen, stored;
    uint64_t used; /* tick of the last get or put: the LRU order */
};

struct page_cache {
    pthread_mutex_t mu;
    struct entry *e;
    size_t n, max, bytes, max_bytes;
    int64_t max_age;
    uint64_t tick;
};

struct page_cache *page_cache_new(size_t max_entries, size_t max_bytes,
                                  int64_t max_age)
{
    struct page_cache *pc = xcalloc(1, sizeof *pc);
    pc->max = max_entries ? max_entries : 1;
    pc->e = xcalloc(pc->max, sizeof *pc->e);
    pc->max_bytes = max_bytes;
    pc->max_age = max_age;
    pthread_mutex_init(&pc->mu, NULL);
    return pc;
}

static void entry_dispose(struct page_cache *pc, struct entry *e)
{
    pc->bytes -= e->n;
    free(e->key);
    free(e->title);
    free(e->current);
    free(e->body);
    memset(e, 0, sizeof *e);
}

/* Removes entry i, keeping the array dense. */
static void drop(struct page_cache *pc, size_t i)
{
    entry_dispose(pc, &pc->e[i]);
    pc->e[i] = pc->e[--pc->n];
    memset(&pc->e[pc->n], 0, sizeof pc->e[pc->n]);
}

void page_cache_free(struct page_cache *pc)
{
    if (!pc)
        return;
    while (pc->n)
        drop(pc, pc->n - 1);
    free(pc->e);
    pthread_mutex_destroy(&pc->mu);
    free(pc);
}

static size_t find(const struct page_cache *pc, const char *key)
{
    for (size_t i = 0; i < pc->n; i++)
        if (!strcmp(pc->e[i].key, key))
            return i;
    return (size_t)-1;
}

int page_cache_get(struct page_cache *pc, const char *key, int64_t gen,
                   int64_t now, struct strbuf *out, char **title,
                   char **current)
{
    int hit = 0;
    pthread_mutex_lock(&pc->mu);
    size_t i = find(pc, key);
    if (i != (size_t)-1) {
        struct entry *e = &pc->e[i];
        if (e->gen != gen || now - e->stored > pc->max_age || now < e->stored) {
            drop(pc, i); /* stale: it will not be right again */
        } else {
            e->used = ++pc->tick;
            strbuf_add(out, e->body, e->n);
            *title = xstrdup(e->title);
            *current = e->current ? xstrdup(e->current) : NULL;
            hit = 1;
        }
    }
    pthread_mutex_unlock(&pc->mu);
    return hit;
}

/* The least recently used entry. */
static size_t oldest(const struct page_cache *pc)
{
    size_t o = 0;
    for (size_t i = 1; i < pc->n; i++)
        if (pc->e[i].used < pc->e[o].used)
            o = i;
    return o;
}

void page_cache_put(struct page_cache *pc, const char *key, int64_t gen,
                    int64_t now, const char *title, const char *current,
                    const char *body, size_t n)
{
    if (n > pc->max_bytes / 4)
        return;
    pthread_mutex_lock(&pc->mu);
    size_t i = find(pc, key);
    if (i != (size_t)-1)
        drop(pc, i);
    while (pc->n && (pc->n == pc->max || pc->bytes + n > pc->max_bytes))
        drop(pc, oldest(pc));
    struct entry *e = &pc->e[pc->n++];
    e->key = xstrdup(key);
    e->title = xstrdup(title ? title : "");
    e->current = current ? xstrdup(current) : NULL;
    e->body = xmalloc(n + 1);
    memcpy(e->body, body, n);
    e->body[n] = '\0';
    e->n = n;
    e->gen = gen;
    e->stored = now;
    e->used = ++pc->tick;
    pc->bytes += n;
    pthread_mutex_unlock(&pc->mu);
}

void page_cache_usage(struct page_cache *pc, size_t *entries, size_t *bytes)
{
    pthread_mutex_lock(&pc->mu);
    *entries = pc->n;
    *bytes = pc->bytes;
    pthread_mutex_unlock(&pc->mu);
}
