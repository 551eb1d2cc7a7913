#pragma once
/* Tokenising customer comments (Swedish and English): words, numbers,
 * URLs, e-mail addresses, emoji and emoticons, punctuation, with sentence
 * boundaries. Words are normalised (NFKC + case folding, utf8proc) so
 * "JÄTTEBRA" and "jättebra" match the same lexicon entry; the raw slice
 * is kept for explanations and capitals.
 *
 * Embedded by value: tokens_init/tokens_dispose (or TOKENS_INIT); one
 * struct tokens can be reused for many texts (tokenize_text resets it). */

#include <stddef.h>
#include <stdint.h>

struct err;

enum token_kind {
    TOK_WORD,
    TOK_NUMBER,
    TOK_URL,
    TOK_EMAIL,
    TOK_EMOJI,    /* one pictographic emoji (with modifiers/ZWJ sequence) */
    TOK_EMOTICON, /* :) :-( :D ;) <3 :/ ... */
    TOK_PUNCT     /* . , ! ? ; : - ... one token per mark, "!!!" is three */
};

enum token_flag {
    TOKF_ALLCAPS = 1u << 0,    /* a word of 2+ letters written in capitals */
    TOKF_CAPITALISED = 1u << 1 /* first letter upper case */
};

struct token {
    enum token_kind kind;
    unsigned flags;   /* enum token_flag */
    int sentence;     /* 0-based sentence index */
    size_t off;       /* byte offset of raw in the input */
    const char *raw;  /* borrowed slice of the input */
    size_t raw_n;
    const char *norm; /* normalised text, NUL-terminated; owned by tokens */
    size_t norm_n;
    uint64_t hash; /* tokens_hash(norm, norm_n): lexicons and caches look
                    * words up by it, so each token is hashed once */
};

struct tokens {
    struct token *v;
    size_t n, cap;
    int n_sentences;
    char *pool; /* storage for norm strings */
    size_t pool_n, pool_cap;
};

#define TOKENS_INIT {NULL, 0, 0, 0, NULL, 0, 0}

void tokens_init(struct tokens *t);
void tokens_dispose(struct tokens *t);

/* Maximum input accepted by tokenize_text, in bytes. */
#define TOKENIZE_MAX_INPUT (1u << 20)

/* Splits s (UTF-8, n bytes, need not be NUL-terminated) into out, replacing
 * what out held. raw slices point into s, so s must outlive the use of out.
 * ERR_INVALID for invalid UTF-8 (the message gives the byte offset) or
 * input over TOKENIZE_MAX_INPUT; out is then empty. */
int tokenize_text(struct tokens *out, const char *s, size_t n,
                  struct err *err);

/* The hash of a normalised word that struct token carries (64 bits,
 * wyhash-style; for in-memory tables only, not stable across versions).
 * Tables keyed by words hash their keys with it, so a token's hash finds
 * them without hashing the word again. */
uint64_t tokens_hash(const char *s, size_t n);
