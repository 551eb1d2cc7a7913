#pragma once
/* The rendered bodies of the web app's costly views (journey map,
 * priorities, personas, stories), kept so that opening a view again costs
 * a copy instead of the analysis (docs/web.md, "Speed"). An entry is the
 * part of a page between its frame's beginning and end, with the frame's
 * title and current navigation item, under a key the caller makes of
 * everything the body depends on (path, arguments, language, role and
 * touchpoints) and the generation of the data it was computed from
 * (resident_generation): an entry of another generation, or older than
 * the cache's maximum age, is never answered. Bounded by entries and
 * bytes, the least recently used leaving first. Safe to use from several
 * threads. */

#include <stddef.h>
#include <stdint.h>

struct page_cache;
struct strbuf;

/* max_entries >= 1, max_bytes of bodies, max_age in seconds. */
struct page_cache *page_cache_new(size_t max_entries, size_t max_bytes,
                                  int64_t max_age);
void page_cache_free(struct page_cache *pc);

/* On a hit (key at gen, stored at most max_age seconds before now),
 * appends the body to out, sets *title and *current (malloc'd; current
 * may be NULL) and returns 1; else 0. */
int page_cache_get(struct page_cache *pc, const char *key, int64_t gen,
                   int64_t now, struct strbuf *out, char **title,
                   char **current);
/* Keeps body (n bytes) under key at gen, replacing what key held; a body
 * larger than a quarter of max_bytes is not kept. */
void page_cache_put(struct page_cache *pc, const char *key, int64_t gen,
                    int64_t now, const char *title, const char *current,
                    const char *body, size_t n);
/* Entries held and their bytes (for tests). */
void page_cache_usage(struct page_cache *pc, size_t *entries, size_t *bytes);
