#include "colstore/idmap.h"

#include <stdlib.h>

#include "core/xalloc.h"

struct slot {
    int64_t id;
    uint32_t value;
    uint32_t used;
};

struct idmap {
    struct slot *slots;
    size_t nslots; /* power of two, at most half full */
    size_t n;
};

static size_t slot_of(int64_t id, size_t mask)
{
    uint64_t h = (uint64_t)id * 0x9e3779b97f4a7c15ULL;
    return (size_t)(h >> 32 ^ h) & mask;
}

struct idmap *idmap_new(void)
{
    struct idmap *m = xcalloc(1, sizeof *m);
    m->nslots = 64;
    m->slots = xcalloc(m->nslots, sizeof *m->slots);
    return m;
}

void idmap_free(struct idmap *m)
{
    if (!m)
        return;
    free(m->slots);
    free(m);
}

static struct slot *find(const struct idmap *m, int64_t id)
{
    size_t mask = m->nslots - 1, i = slot_of(id, mask);
    while (m->slots[i].used && m->slots[i].id != id)
        i = (i + 1) & mask;
    return &m->slots[i];
}

void idmap_put(struct idmap *m, int64_t id, uint32_t value)
{
    struct slot *s = find(m, id);
    if (!s->used) {
        if ((m->n + 1) * 2 > m->nslots) {
            struct slot *old = m->slots;
            size_t nold = m->nslots;
            m->nslots *= 2;
            m->slots = xcalloc(m->nslots, sizeof *m->slots);
            for (size_t i = 0; i < nold; i++)
                if (old[i].used)
                    *find(m, old[i].id) = old[i];
            free(old);
            s = find(m, id);
        }
        s->used = 1;
        s->id = id;
        m->n++;
    }
    s->value = value;
}

int idmap_get(const struct idmap *m, int64_t id, uint32_t *value)
{
    const struct slot *s = find(m, id);
    if (!s->used)
        return 0;
    *value = s->value;
    return 1;
}

size_t idmap_size(const struct idmap *m)
{
    return m->n;
}
