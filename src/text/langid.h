#pragma once
/* Language identification for comments: Swedish, English or other, with
 * a confidence. Norwegian and Danish are told apart from Swedish (and
 * reported as other) by their function words and spellings (ikke, jeg,
 * hva/hvad, meget, nogle, af; æ and ø), German, Dutch, Finnish, French
 * and Spanish by theirs. Short texts get lower confidence.
 *
 * struct langid holds the word tables, built once; detection only reads
 * it, so one langid serves many threads. */

#include "text/stem.h"

struct err;
struct tokens;
struct langid;

struct langid_result {
    enum lang lang;    /* LANG_SV, LANG_EN or LANG_OTHER */
    double confidence; /* 0..1; 0 when there was nothing to go on */
    const char *code;  /* the best guess: "sv", "en", "no", "da", "de",
                        * "nl", "fi", "fr", "es", or "und"; static */
    enum lang nearest; /* LANG_SV or LANG_EN: the lexicon to use when lang
                        * is other (Swedish for Norwegian and Danish) */
};

/* Builds the tables. Caller frees with langid_free. Does not fail today;
 * the err is for symmetry with the other text modules. */
int langid_new(struct langid **out, struct err *err);
void langid_free(struct langid *li);

/* Identifies the language of a tokenised text from its first words. */
void langid_detect(const struct langid *li, const struct tokens *t,
                   struct langid_result *out);
