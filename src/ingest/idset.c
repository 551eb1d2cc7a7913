#include "ingest/idset.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "core/hash.h"
#include "core/xalloc.h"

/* Where a key's bytes are: REF_POOL set means in the pool, else in the
 * base buffer; then the offset there, then the length. */
#define REF_POOL ((uint64_t)1 << 63)
#define REF_OFF_BITS 47
#define REF_LEN_BITS 16
#define REF_MAX_OFF (((uint64_t)1 << REF_OFF_BITS) - 1)

/* A slot is empty when tag == 0; tags are forced non-zero. The tag is the
 * hash's high half, the slot index comes from its low bits, so the two
 * together compare most of the 64 bits before any key bytes are read. */
struct slot {
    uint32_t tag;
    uint32_t line;
    uint64_t ref;
    uint64_t fp; /* the row's fingerprint */
};

struct idset {
    const char *base;
    size_t base_len;
    struct slot *slots;
    size_t mask; /* capacity - 1; capacity is a power of two */
    size_t count;
    char *pool;
    size_t pool_n, pool_cap;
};

#define MIN_CAP 1024

static uint64_t hash(const char *k, size_t n)
{
    return hash_bytes(k, n);
}

static uint32_t tag_of(uint64_t h)
{
    uint32_t t = (uint32_t)(h >> 32);
    return t ? t : 1;
}

static const char *key_at(const struct idset *s, uint64_t ref, size_t *n)
{
    uint64_t off = (ref >> REF_LEN_BITS) & REF_MAX_OFF;
    *n = (size_t)(ref & ((1u << REF_LEN_BITS) - 1));
    return ((ref & REF_POOL) ? s->pool : s->base) + off;
}

struct idset *idset_new(const char *base, size_t len)
{
    struct idset *s = xcalloc(1, sizeof *s);
    s->base = base;
    s->base_len = base ? len : 0;
    s->mask = MIN_CAP - 1;
    s->slots = xcalloc(MIN_CAP, sizeof *s->slots);
    return s;
}

void idset_free(struct idset *s)
{
    if (!s)
        return;
    free(s->slots);
    free(s->pool);
    free(s);
}

size_t idset_count(const struct idset *s)
{
    return s->count;
}

/* Moves every key into a table of cap slots. The hashes are recomputed
 * from the keys: storing them whole would make every slot 4 bytes wider
 * for an operation that presizing makes rare. */
static void rehash(struct idset *s, size_t cap)
{
    struct slot *old = s->slots;
    size_t old_cap = s->mask + 1;
    s->slots = xcalloc_table(cap, sizeof *s->slots);
    s->mask = cap - 1;
    for (size_t i = 0; i < old_cap; i++) {
        if (!old[i].tag)
            continue;
        size_t n;
        const char *k = key_at(s, old[i].ref, &n);
        size_t j = (size_t)hash(k, n) & s->mask;
        while (s->slots[j].tag)
            j = (j + 1) & s->mask;
        s->slots[j] = old[i];
    }
    free(old);
}

/* At most 3/4 full: linear probing stays short, and a slot is small
 * enough that even a 10M-id file needs only 384 MB. */
static size_t cap_for(size_t n)
{
    size_t cap = MIN_CAP;
    while (cap - cap / 4 < n)
        cap *= 2;
    return cap;
}

void idset_reserve(struct idset *s, size_t n)
{
    if (n > SIZE_MAX / 64)
        n = SIZE_MAX / 64;
    size_t cap = cap_for(n);
    if (cap > s->mask + 1)
        rehash(s, cap);
}

void idset_prefetch(const struct idset *s, const char *k, size_t n)
{
    __builtin_prefetch(&s->slots[(size_t)hash(k, n) & s->mask], 1);
}

/* The slot holding k[0..n) (hash h) and *found = 1, or the empty slot
 * where it would go and *found = 0. */
static size_t probe(const struct idset *s, const char *k, size_t n, uint64_t h,
                    int *found)
{
    uint32_t tag = tag_of(h);
    size_t j = (size_t)h & s->mask;
    for (; s->slots[j].tag; j = (j + 1) & s->mask) {
        const struct slot *sl = &s->slots[j];
        size_t kn;
        const char *kp;
        if (sl->tag != tag)
            continue;
        kp = key_at(s, sl->ref, &kn);
        if (kn == n && (n == 0 || !memcmp(kp, k, n))) {
            *found = 1;
            return j;
        }
    }
    *found = 0;
    return j;
}

int idset_find(const struct idset *s, const char *k, size_t n, uint32_t *first,
               uint64_t *first_fp)
{
    int found;
    assert(n <= IDSET_MAX_KEY);
    size_t j = probe(s, k, n, hash(k, n), &found);
    if (found) {
        if (first)
            *first = s->slots[j].line;
        if (first_fp)
            *first_fp = s->slots[j].fp;
    }
    return found;
}

int idset_add(struct idset *s, const char *k, size_t n, uint32_t line,
              uint64_t fp, uint32_t *first, uint64_t *first_fp)
{
    int found;
    assert(n <= IDSET_MAX_KEY);
    uint64_t h = hash(k, n);
    uint32_t tag = tag_of(h);
    size_t j = probe(s, k, n, h, &found);
    if (found) {
        if (first)
            *first = s->slots[j].line;
        if (first_fp)
            *first_fp = s->slots[j].fp;
        return 0;
    }

    if (s->count + 1 > (s->mask + 1) - (s->mask + 1) / 4) {
        rehash(s, (s->mask + 1) * 2);
        j = (size_t)h & s->mask;
        while (s->slots[j].tag)
            j = (j + 1) & s->mask;
    }
    /* Compare addresses as integers: k may point anywhere. */
    uintptr_t a = (uintptr_t)k, b = (uintptr_t)s->base;
    uint64_t ref;
    if (s->base && a >= b && a - b <= s->base_len &&
        n <= s->base_len - (a - b) && a - b <= REF_MAX_OFF) {
        ref = (uint64_t)(a - b) << REF_LEN_BITS;
    } else {
        assert(s->pool_n <= REF_MAX_OFF);
        s->pool = xgrow(s->pool, &s->pool_cap, s->pool_n + n + 1, 1);
        if (n)
            memcpy(s->pool + s->pool_n, k, n);
        ref = REF_POOL | (uint64_t)s->pool_n << REF_LEN_BITS;
        s->pool_n += n;
    }
    s->slots[j].tag = tag;
    s->slots[j].line = line;
    s->slots[j].ref = ref | (uint64_t)n;
    s->slots[j].fp = fp;
    s->count++;
    return 1;
}
