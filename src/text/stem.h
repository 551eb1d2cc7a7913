#pragma once
/* Snowball stemming (libstemmer) for Swedish and English. A stemmer is
 * not thread-safe: one per thread. */

#include <stddef.h>

enum lang { LANG_OTHER = 0, LANG_SV = 1, LANG_EN = 2 };

/* "sv", "en", "other". */
const char *lang_code(enum lang l);
/* Returns 0 and sets *out for "sv"/"en"/"other", else -1. */
int lang_parse(enum lang *out, const char *s);

struct stemmer;

/* NULL for LANG_OTHER or if libstemmer lacks the language. Caller frees
 * with stemmer_free. */
struct stemmer *stemmer_new(enum lang l);
void stemmer_free(struct stemmer *s);

/* Stems a normalised word. Returns a string valid until the next call on
 * this stemmer; *out_n gets its length. */
const char *stemmer_stem(struct stemmer *s, const char *word, size_t n,
                         size_t *out_n);
