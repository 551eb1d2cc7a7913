#pragma once
/* Discovering themes the taxonomy lacks, from the comments that matched
 * no theme (docs/text-analytics.md, "Discovery"):
 *
 *   1. key phrases: stemmed words without stop words, numbers or opinion
 *      words (the sentiment lexicon's), and their bigrams and trigrams
 *      within a sentence; a bigram is a collocation when Dunning's
 *      log-likelihood G2 >= 10.83 (p < 0.001) for a positive association,
 *      a trigram when both its bigrams are; everything must occur in at
 *      least min_docs comments;
 *   2. candidate themes: phrases taken best first (bigrams and trigrams
 *      by document frequency, then single words, which must occur in
 *      twice min_docs comments), each joining the first candidate of its
 *      language that shares a stem with that candidate's first phrase,
 *      else starting one;
 *   3. each candidate gets its comment count (comments holding any of its
 *      phrases), a suggested key, label and taxonomy line, and the
 *      comments that hold most of its phrases as examples.
 *
 * Feed comments with discovery_add, then discovery_run. Single-threaded. */

#include <stddef.h>
#include <stdint.h>

#include "text/stem.h"

struct err;
struct sentiment;
struct discovery;

/* A new collector. se (borrowed, may be NULL) supplies the opinion words
 * to leave out. Caller frees with discovery_free. ERR_INTERNAL if the
 * built-in stop words are missing. */
int discovery_new(struct discovery **out, const struct sentiment *se,
                  struct err *err);
void discovery_free(struct discovery *d);

/* Adds a comment (its redacted text, n bytes) in language l (sv or en;
 * other languages are skipped). The text is copied for the examples.
 * ERR_INVALID for invalid UTF-8 or over 1 MiB. */
int discovery_add(struct discovery *d, const char *text, size_t n, enum lang l,
                  struct err *err);
/* Comments added (and kept). */
size_t discovery_count(const struct discovery *d);

struct discovery_opts {
    int min_docs;     /* fewest comments a phrase must occur in */
    int max_themes;   /* candidates returned */
    int max_phrases;  /* phrases shown per candidate */
    int max_examples; /* example comments per candidate */
};

#define DISCOVERY_OPTS_INIT                                                    \
    {                                                                          \
        5, 10, 6, 3                                                            \
    }

struct discovery_phrase {
    char *text;   /* the most frequent written form, words space-joined */
    int words;    /* 1..3 */
    int64_t docs; /* comments it occurs in */
    double g2;    /* log-likelihood of the collocation (0 for a word) */
};

struct discovery_theme {
    char *key;   /* suggested key: the top stem, a-z0-9_ */
    char *label; /* suggested label: the top phrase, capitalised */
    enum lang lang;
    struct discovery_phrase *phrases; /* best first */
    size_t n_phrases;
    int64_t docs;    /* comments holding any of its phrases */
    char **examples; /* comment texts, owned */
    size_t n_examples;
    char *tsv; /* a taxonomy line: key TAB lang TAB label TAB terms */
};

struct discovery_result {
    struct discovery_theme *v; /* largest first */
    size_t n;
    int64_t comments; /* comments looked at */
};

/* Finds candidate themes. Caller frees *out with discovery_result_free.
 * Never fails today (err for symmetry); an empty result when nothing
 * reaches min_docs. */
int discovery_run(struct discovery_result **out, struct discovery *d,
                  const struct discovery_opts *o, struct err *err);
void discovery_result_free(struct discovery_result *r);
