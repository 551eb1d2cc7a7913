#pragma once
/* Stop words per language (data/text/stopwords-<lang>.txt, embedded):
 * function words that carry no topic, for theme extraction and models. */

#include <stddef.h>

#include "text/stem.h"

struct err;
struct stopwords;

/* Loads the list for l. Caller frees with stopwords_free. ERR_NOTFOUND
 * for a language without a list (LANG_OTHER). */
int stopwords_new(struct stopwords **out, enum lang l, struct err *err);
void stopwords_free(struct stopwords *sw);

/* 1 if the normalised word (n bytes) is a stop word, else 0. Thread-safe
 * for concurrent readers. */
int stopwords_has(const struct stopwords *sw, const char *w, size_t n);
/* The number of words in the list. */
size_t stopwords_count(const struct stopwords *sw);
