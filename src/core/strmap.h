#pragma once
/* A hash map from byte strings to int64_t: open addressing with linear
 * probing, keys copied into one pool owned by the map. Built for the
 * importer's id maps (millions of keys), so a slot is 24 bytes and a
 * lookup touches one cache line in the common case.
 *
 * Keys are (pointer, length) and may hold any bytes, NUL included. */

#include <stddef.h>
#include <stdint.h>

struct strmap;

/* Creates an empty map; caller frees with strmap_free. Never fails. */
struct strmap *strmap_new(void);
void strmap_free(struct strmap *m);

/* The number of keys. */
size_t strmap_count(const struct strmap *m);

/* Returns 1 and sets *val (if val is not NULL) when k is present, else 0. */
int strmap_get(const struct strmap *m, const char *k, size_t n, int64_t *val);
/* Starts loading the slot a strmap_get of k[0..n) looks at first into the
 * cache: for a big map probed at random, a caller that knows a key early
 * can overlap that miss with other work. No effect on the map. */
void strmap_prefetch(const struct strmap *m, const char *k, size_t n);

/* Sets k to val. Returns 1 if k was new, 0 if an old value was replaced. */
int strmap_put(struct strmap *m, const char *k, size_t n, int64_t val);

/* Adds k with val unless k is present. Returns 1 if added; 0 if k was
 * present, with its stored value in *old (if old is not NULL). */
int strmap_add(struct strmap *m, const char *k, size_t n, int64_t val,
               int64_t *old);

/* Key i in insertion order (0 <= i < strmap_count); borrowed, valid until
 * the map changes. Not NUL-terminated: *n is its length. */
const char *strmap_key(const struct strmap *m, size_t i, size_t *n);
