#pragma once
/* A string dictionary: labels get dense codes 0, 1, 2, ... in the order
 * they are first seen, and codes map back to labels. Used for the
 * dictionary-encoded columns of the column store. Labels are copied. */

#include <stddef.h>

struct dict;

/* An empty dictionary holding at most max codes. Caller frees with
 * dict_free. */
struct dict *dict_new(size_t max);
void dict_free(struct dict *d);

/* The code of s[0..n), added if new. ERR_INVALID when the dictionary is
 * full (max codes). */
int dict_intern(struct dict *d, const char *s, size_t n);
/* The code of s[0..n), or -1 if it is not in the dictionary. */
int dict_find(const struct dict *d, const char *s, size_t n);
/* The label of a code (NUL-terminated); borrowed, valid until dict_free. */
const char *dict_label(const struct dict *d, int code);
size_t dict_size(const struct dict *d);
/* Bytes allocated, for memory reports. */
size_t dict_memory(const struct dict *d);
