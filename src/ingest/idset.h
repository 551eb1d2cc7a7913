#pragma once
/* The set of ids seen so far in one input file, each with the line it was
 * first seen on and a fingerprint of that row: the importer's within-file
 * duplicate check. A row whose id was seen is a repeat when the
 * fingerprints are equal, a conflict when they differ. Equal fingerprints
 * count as identical rows: they are 64-bit hashes of the normalised row,
 * so two different rows collide with a probability of about 2^-64.
 *
 * Built for 10M+ ids at little memory: open addressing with linear
 * probing, 24 bytes a slot (32 bits of the key's 64-bit hash, the line,
 * where the key's bytes are, and the fingerprint). A key that lies inside the
 * input buffer is not copied: the slot keeps its offset there, and a hash match
 * is verified against those bytes. Other keys (CSV fields unescaped into a
 * scratch, JSON strings, derived ids) are copied into a pool owned by the
 * set. So the buffer must stay valid and unchanged while the set lives. */

#include <stddef.h>
#include <stdint.h>

struct idset;

#define IDSET_MAX_KEY 65535        /* bytes in a key */
#define IDSET_MAX_LINE 4294967295u /* largest line number kept */

/* Creates an empty set over base[0..len) (borrowed; may be NULL, then
 * every key is copied). Caller frees with idset_free. Never fails. */
struct idset *idset_new(const char *base, size_t len);
void idset_free(struct idset *s);

/* Makes room for n keys in all, so that adding them does not rehash. */
void idset_reserve(struct idset *s, size_t n);

size_t idset_count(const struct idset *s);

/* Starts loading the slot k[0..n) would go to into the cache. The table
 * is large and probed at random, so a lookup is mostly a cache miss: a
 * caller that knows a key early can overlap that with other work before
 * it calls idset_add. */
void idset_prefetch(const struct idset *s, const char *k, size_t n);

/* 1 if k[0..n) is in the set, with its line in *first and its row's
 * fingerprint in *first_fp (each if not NULL); else 0. */
int idset_find(const struct idset *s, const char *k, size_t n, uint32_t *first,
               uint64_t *first_fp);

/* Adds k[0..n), first seen on line in a row with fingerprint fp. Returns
 * 1 if added; 0 if an equal key is present, with its line in *first and
 * its row's fingerprint in *first_fp (each if not NULL). Callers keep
 * n <= IDSET_MAX_KEY and line <= IDSET_MAX_LINE. */
int idset_add(struct idset *s, const char *k, size_t n, uint32_t line,
              uint64_t fp, uint32_t *first, uint64_t *first_fp);
