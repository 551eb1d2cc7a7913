#pragma once
/* Themes: a taxonomy of what customers write about (price, staff, waiting
 * time, digital channels, ...) and the matcher that finds its terms in a
 * tokenised comment.
 *
 * A taxonomy is read from TSV text (data/text/README-themes.md):
 *
 *   # key          lang  label                  terms
 *   digital        sv    Digitala kanaler       app, appen, hemsida*, webb*
 *   digital/login  sv    Inloggning och BankID  logga in, inlogg*, bankid
 *   digital/login  en    Login and BankID       log in, login, bankid
 *
 * key is [a-z0-9_-], at most one '/' (a sub-theme, whose mentions also
 * count for its parent); lang is sv, en or * (both); terms are separated
 * by commas. A term word is matched on its Snowball stem or its
 * normalised form; "w*" matches words starting with w, "*w" words ending
 * with w ("*städning" finds "trappstädning"), "*w*" words containing w.
 * Several words are a phrase: consecutive tokens, each matched as above.
 * A key may come back on later lines to add terms; the first non-empty
 * label of each language wins.
 *
 * struct themes is read-only once built and may be shared by threads;
 * matching takes the caller's stemmers (one per thread). */

#include <stddef.h>

#include "core/strbuf.h"
#include "text/stem.h"

struct err;
struct strmap;
struct tokens;
struct themes;

/* Limits on a taxonomy, checked when it is read (ERR_INVALID). */
#define THEMES_MAX_INPUT (1u << 20) /* bytes of TSV */
#define THEMES_MAX_THEMES 1000
#define THEMES_MAX_KEY 64    /* bytes in a key */
#define THEMES_MAX_LABEL 120 /* bytes in a label */
#define THEMES_MAX_WORDS 6   /* words in a phrase */

/* An empty taxonomy. Caller frees with themes_free. */
struct themes *themes_new(void);
void themes_free(struct themes *t);

/* Adds the themes and terms of a TSV buffer (len bytes, borrowed) to t;
 * name is used in error locations ("themes.tsv:12:3: ..."). On error t
 * may hold the lines before the bad one. ERR_INVALID for a bad line, a
 * sub-theme whose parent is not defined, or a limit exceeded. */
int themes_parse(struct themes *t, const char *buf, size_t len,
                 const char *name, struct err *err);
/* As themes_parse on a file; ERR_IO if it cannot be read. */
int themes_load(struct themes *t, const char *path, struct err *err);
/* Adds the built-in taxonomy (data/text/themes-sv.tsv and themes-en.tsv,
 * compiled in). ERR_INTERNAL if they are missing or do not parse. */
int themes_add_default(struct themes *t, struct err *err);
/* A new taxonomy: the built-in one, then extra (TSV text of the
 * organisation's own, may be NULL) added to it, or extra alone when
 * replace is set. Caller frees *out with themes_free. Errors as
 * themes_parse. */
int themes_build(struct themes **out, const char *extra, size_t extra_n,
                 const char *extra_name, int replace, struct err *err);

/* Number of themes; themes are numbered 0..count-1 in the order first
 * defined, parents before their sub-themes. */
size_t themes_count(const struct themes *t);
/* The key ("digital/login"); borrowed, valid until themes_free. */
const char *themes_key(const struct themes *t, size_t i);
/* The label in language l, else in the other language, else the key. */
const char *themes_label(const struct themes *t, size_t i, enum lang l);
/* The parent theme of a sub-theme, or -1. */
int themes_parent(const struct themes *t, size_t i);
/* The theme with this key, or -1. */
int themes_find(const struct themes *t, const char *key, size_t n);
/* Number of terms (after expanding lang "*" into both languages). */
size_t themes_term_count(const struct themes *t);

/* One term found in a text: tokens first..last (inclusive). */
struct theme_hit {
    int theme; /* the term's theme, never its parent (see themes_parent) */
    int first, last;
};

struct theme_hits {
    struct theme_hit *v;
    size_t n, cap;
    /* private: per-token scratch kept between calls */
    void *scratch;
    size_t scratch_cap;
    struct strbuf pool;
    /* private: stems already computed, per language (norm -> stem); the
     * stemmer was a quarter of the whole comment pipeline without it */
    struct strmap *stem_cache[3];
    struct strbuf stem_pool[3];
    /* private: the candidate terms of a word (folded form -> list in
     * cand_pool), per language, for the taxonomy in cand_for */
    const struct themes *cand_for;
    struct strmap *cand_cache[3];
    int *cand_pool;
    size_t cand_pool_n, cand_pool_cap;
};

#define THEME_HITS_INIT                                                        \
    {                                                                          \
        NULL, 0, 0, NULL, 0, STRBUF_INIT, {NULL, NULL, NULL},                  \
            {STRBUF_INIT, STRBUF_INIT, STRBUF_INIT}, NULL, {NULL, NULL, NULL},  \
            NULL, 0, 0                                                         \
    }

void theme_hits_init(struct theme_hits *h);
void theme_hits_dispose(struct theme_hits *h);

/* Finds every term of language l in tok (replacing what out held), in
 * token order; overlapping terms are all reported. st must stem l (NULL
 * matches on normalised forms and wildcards only). For LANG_OTHER pass
 * the nearest language. */
void themes_match(const struct themes *t, const struct tokens *tok, enum lang l,
                  struct stemmer *st, struct theme_hits *out);
