#pragma once
/* Allocation that never returns NULL: out of memory prints
 * "resonans: out of memory" and aborts (Redis zmalloc, jq jv_alloc).
 * Inputs that could make us allocate without bound are rejected earlier
 * with ERR_INVALID "too large", so this is for real exhaustion only. */

#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t size);
/* As xcalloc, for a big table probed at random (a hash table of millions
 * of slots): asks the kernel for huge pages, so that a probe costs one
 * cache miss rather than that and a page-table walk. Freed with free(). */
void *xcalloc_table(size_t count, size_t size);
void *xrealloc(void *p, size_t n);
/* Grows an array of elem-sized items to hold at least need; *cap updated. */
void *xgrow(void *p, size_t *cap, size_t need, size_t elem);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
