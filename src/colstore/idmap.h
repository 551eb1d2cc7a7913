#pragma once
/* A hash map from store ids (int64) to small codes (uint32): how the
 * column store turns touchpoint, channel and customer ids into dictionary
 * codes while it loads. */

#include <stddef.h>
#include <stdint.h>

struct idmap;

/* Caller frees with idmap_free. */
struct idmap *idmap_new(void);
void idmap_free(struct idmap *m);
/* Sets id -> value, replacing an earlier value. */
void idmap_put(struct idmap *m, int64_t id, uint32_t value);
/* 1 and *value when id is present, else 0. */
int idmap_get(const struct idmap *m, int64_t id, uint32_t *value);
size_t idmap_size(const struct idmap *m);
