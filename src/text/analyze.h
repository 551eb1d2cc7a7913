#pragma once
/* The comment pipeline: one call takes a comment's text and gives what
 * Resonans stores about it (docs/text-analytics.md):
 *
 *   1. personal data redacted (pii.h) -- everything below, and everything
 *      stored, sees only the redacted text;
 *   2. tokens, language and confidence (langid.h; the respondent's own
 *      language is used when the text is too short to tell);
 *   3. sentiment score, label and the words that moved it (sentiment.h);
 *   4. themes (themes.h), each with the sentiment of the clauses that
 *      mention it (aspect sentiment), sub-themes also counting for their
 *      parent.
 *
 * The models (langid, sentiment lexicon, taxonomy) are loaded once and
 * shared read-only; a struct analyzer holds one thread's stemmers and
 * scratch, so each thread makes its own. */

#include <stddef.h>

#include "core/strbuf.h"
#include "text/stem.h"

struct err;
struct langid;
struct sentiment;
struct themes;
struct analyzer;

/* A theme the comment mentions. */
struct analysis_theme {
    int theme;        /* index in the taxonomy */
    double sentiment; /* -1..1: mean score of the clauses mentioning it */
    int hits;         /* terms found (a parent counts its sub-themes') */
};

/* Embedded by value: analysis_init / analysis_dispose. Reused for many
 * comments; analyzer_run replaces what it held. */
struct analysis {
    enum lang lang;      /* sv, en, or other */
    const char *code;    /* langid's best guess ("sv", "no", "und"); static */
    double lang_conf;    /* 0..1 */
    int scored;          /* 1: score, label and themes hold; 0: the text is
                          * in a language the pipeline does not read (or
                          * was only redacted): leave it out of sentiment
                          * figures rather than count it as neutral */
    double score;        /* -1..1 */
    int label;           /* enum sentiment_label */
    unsigned redactions; /* PII_BIT(kind) of every kind redacted */
    int n_redactions;
    struct strbuf text;            /* the redacted text */
    struct strbuf explanation;     /* JSON object, docs/text-analytics.md */
    struct analysis_theme *themes; /* by theme index */
    size_t n_themes, cap_themes;
};

void analysis_init(struct analysis *a);
void analysis_dispose(struct analysis *a);

/* An analyzer for one thread over shared models (borrowed: they must
 * outlive it; themes may be NULL for no theme matching; all three may be
 * NULL for an analyzer that only redacts). Caller frees
 * with analyzer_free. Never fails today (err for symmetry). */
int analyzer_new(struct analyzer **out, const struct langid *li,
                 const struct sentiment *se, const struct themes *th,
                 struct err *err);
void analyzer_free(struct analyzer *a);

/* Analyses text (n bytes, need not be NUL-terminated) into out.
 * lang_hint is the respondent's language ("sv", "en", or NULL): used when
 * the text is too short for langid to be sure. ERR_INVALID for invalid
 * UTF-8 or a text over 1 MiB (out is then empty). */
int analyzer_run(struct analyzer *a, struct analysis *out, const char *text,
                 size_t n, const char *lang_hint, struct err *err);

/* Only step 1: redacts text into out->text and sets redactions and
 * n_redactions; the rest of out is reset (no language, sentiment or
 * themes). Works without models. ERR_INVALID for a text over 1 MiB. */
int analyzer_redact(struct analyzer *a, struct analysis *out, const char *text,
                    size_t n, struct err *err);

/* Confidence under which the respondent's language wins over langid. */
#define ANALYZE_MIN_LANG_CONF 0.6

struct langid_result;
/* 1 when the pipeline reads a text langid placed so: Swedish, English,
 * Norwegian and Danish (with the Swedish lexicon), and anything langid
 * is not sure of; 0 for a text confidently in another language, which
 * is then not scored (struct analysis, `scored`). */
int analyze_reads(const struct langid_result *lr);
