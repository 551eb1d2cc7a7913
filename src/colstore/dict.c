#include "colstore/dict.h"

#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/xalloc.h"

struct dict {
    char **labels;
    size_t *lens;
    size_t n, cap, max;
    int32_t *slots; /* open addressing, code + 1; 0 = empty */
    size_t nslots;  /* power of two, kept at most half full */
    size_t bytes;   /* label bytes */
};

static uint64_t hash(const char *s, size_t n)
{
    uint64_t h = 0xcbf29ce484222325ULL; /* FNV-1a */
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 0x100000001b3ULL;
    return h;
}

struct dict *dict_new(size_t max)
{
    struct dict *d = xcalloc(1, sizeof *d);
    d->max = max;
    d->nslots = 16;
    d->slots = xcalloc(d->nslots, sizeof *d->slots);
    return d;
}

void dict_free(struct dict *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->n; i++)
        free(d->labels[i]);
    free(d->labels);
    free(d->lens);
    free(d->slots);
    free(d);
}

/* The slot holding s, or the empty slot where it would go. */
static size_t probe(const struct dict *d, const char *s, size_t n)
{
    size_t mask = d->nslots - 1, i = (size_t)hash(s, n) & mask;
    for (;;) {
        int32_t c = d->slots[i];
        if (!c)
            return i;
        if (d->lens[c - 1] == n && !memcmp(d->labels[c - 1], s, n))
            return i;
        i = (i + 1) & mask;
    }
}

static void rehash(struct dict *d)
{
    free(d->slots);
    d->nslots *= 2;
    d->slots = xcalloc(d->nslots, sizeof *d->slots);
    for (size_t c = 0; c < d->n; c++)
        d->slots[probe(d, d->labels[c], d->lens[c])] = (int32_t)c + 1;
}

int dict_find(const struct dict *d, const char *s, size_t n)
{
    return d->slots[probe(d, s, n)] - 1;
}

int dict_intern(struct dict *d, const char *s, size_t n)
{
    size_t i = probe(d, s, n);
    if (d->slots[i])
        return d->slots[i] - 1;
    if (d->n >= d->max || d->n >= INT32_MAX - 1)
        return ERR_INVALID;
    size_t cap = d->cap;
    d->labels = xgrow(d->labels, &cap, d->n + 1, sizeof *d->labels);
    d->lens = xgrow(d->lens, &d->cap, d->n + 1, sizeof *d->lens);
    assert(cap == d->cap);
    d->labels[d->n] = xstrndup(s, n);
    d->lens[d->n] = n;
    d->bytes += n + 1;
    d->slots[i] = (int32_t)++d->n;
    if (d->n * 2 > d->nslots)
        rehash(d);
    return (int)d->n - 1;
}

const char *dict_label(const struct dict *d, int code)
{
    assert(code >= 0 && (size_t)code < d->n);
    return d->labels[code];
}

size_t dict_size(const struct dict *d)
{
    return d->n;
}

size_t dict_memory(const struct dict *d)
{
    return sizeof *d + d->cap * (sizeof *d->labels + sizeof *d->lens) +
           d->nslots * sizeof *d->slots + d->bytes;
}
