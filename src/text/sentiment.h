#pragma once
/* Lexicon-and-rules sentiment for Swedish and English comments.
 *
 * Each word, phrase, emoji and emoticon found in the language's lexicon
 * (data/text/sentiment-<lang>.tsv, sentiment-emoji.tsv) adds its weight,
 * changed by rules (data/text/sentiment-rules-<lang>.tsv): negation with a
 * scope (to the end of the clause or three words), contrast ("men",
 * "but": the clause after counts more, the one before less; "även om",
 * "although": the conceded clause counts less), intensifiers and
 * dampeners, Swedish compounds with an intensifying prefix (jättebra,
 * skitdåligt) or the negating prefix o- (otrevlig), capitals and
 * exclamation marks. Words not in the lexicon are looked up by their
 * Snowball stem. The sum s becomes a score s / sqrt(s^2 + 15) in -1..1.
 *
 * Every hit is reported with the rules that changed it, so a score can
 * be explained. The lexicons are loaded once into a struct sentiment,
 * which is then read-only: any number of threads may score with one, each
 * with its own struct sentiment_result (which holds the per-thread
 * stemmers and caches). */

#include <stddef.h>

#include "text/stem.h"

struct err;
struct strbuf;
struct tokens;
struct sentiment;

enum sentiment_label {
    SENTIMENT_NEUTRAL = 0,
    SENTIMENT_POSITIVE,
    SENTIMENT_NEGATIVE,
    SENTIMENT_MIXED /* strong positive and negative hits both */
};

/* |score| below this is neutral (a sum of weights under about 1.2: one
 * "ok" or "lite dyrt"). Chosen on the three-class social-sv-dev set. */
#define SENTIMENT_NEUTRAL_BAND 0.3

/* What a rule did to a hit. */
enum sentiment_rule_kind {
    SRULE_STEM,            /* matched by stem: term is the lexicon form */
    SRULE_NEGATED,         /* by: the negator */
    SRULE_INTENSIFIED,     /* by: the intensifier; factor > 1 */
    SRULE_DAMPENED,        /* by: the dampener; factor < 1 */
    SRULE_COMPOUND,        /* prefix of the word (jätte-); factor */
    SRULE_NEG_PREFIX,      /* o- in otrevlig; factor < 0 */
    SRULE_CONTRAST_BEFORE, /* before "men"/"but": by, factor < 1 */
    SRULE_CONTRAST_AFTER,  /* after "men"/"but": by, factor > 1 */
    SRULE_CONCESSIVE,      /* in a clause after "även om"/"although" */
    SRULE_OTHERWISE,       /* after "annars"/"otherwise": factor < 1 */
    SRULE_CAPS,            /* written in capitals */
    SRULE_EXCLAMATION,     /* the sentence ends in '!': added weight */
    SRULE_NEGATION_ALONE,  /* a negator that negated no lexicon word */
    SRULE_EMOJI            /* an emoji or emoticon */
};

struct sentiment_rule {
    enum sentiment_rule_kind kind;
    double factor; /* multiplier, or the weight added (exclamation) */
    long by;       /* token index of the trigger word, or -1 */
    size_t len;    /* SRULE_COMPOUND/NEG_PREFIX: bytes of the prefix */
};

#define SENTIMENT_MAX_RULES 6

/* One token or phrase that moved the score. */
struct sentiment_reason {
    size_t token;     /* first token (index into the struct tokens) */
    size_t n_tokens;  /* tokens covered: 1, or the phrase length */
    const char *term; /* the lexicon entry; owned by struct sentiment */
    double base;      /* the lexicon weight */
    double weight;    /* after the rules: what was added to the sum */
    struct sentiment_rule rules[SENTIMENT_MAX_RULES];
    int n_rules;
};

struct sentiment_scratch;

struct sentiment_result {
    double score; /* -1..1 */
    enum sentiment_label label;
    double sum;      /* raw sum of weights */
    double pos, neg; /* sums of the positive and (absolute) negative parts */
    int hits;        /* lexicon words, phrases and emoji found */
    struct sentiment_reason *reasons; /* in token order */
    size_t n_reasons, cap_reasons;
    struct sentiment_scratch *scratch; /* private: stemmers, caches */
};

#define SENTIMENT_RESULT_INIT                                                  \
    {                                                                          \
        0, SENTIMENT_NEUTRAL, 0, 0, 0, 0, NULL, 0, 0, NULL                     \
    }

/* A result is embedded by value and reused for many texts; dispose frees
 * its reasons and scratch. */
void sentiment_result_init(struct sentiment_result *r);
void sentiment_result_dispose(struct sentiment_result *r);

/* Loads the built-in lexicons and rules. Caller frees with
 * sentiment_free. ERR_INTERNAL if a built-in file is missing or has a
 * bad line (the message gives file:line). */
int sentiment_new(struct sentiment **out, struct err *err);
void sentiment_free(struct sentiment *s);

/* Scores a tokenised text in language l (LANG_OTHER scores nothing: use
 * langid's nearest language). Fills out, replacing what it held; the
 * reasons refer to t by token index, so keep t to print them. Never
 * fails; thread-safe for concurrent calls with distinct results. */
void sentiment_score(const struct sentiment *s, enum lang l,
                     const struct tokens *t, struct sentiment_result *out);

/* "positive", "negative", "neutral", "mixed". */
const char *sentiment_label_name(enum sentiment_label l);

/* Appends a rule in words to b: "negated by 'inte'", "×1.5 intensified
 * by 'väldigt'", "compound jätte-", "after 'men': ×1.5", "CAPS",
 * "exclamation". t must be the tokens that were scored. Returns 0, or
 * ERR_INVALID if b is full. */
int sentiment_rule_format(struct strbuf *b, const struct sentiment_rule *r,
                          const struct tokens *t);

/* The lexicon weight of a normalised word or phrase in l (0 if absent);
 * for tests and tools. */
double sentiment_lookup(const struct sentiment *s, enum lang l,
                        const char *term);
