#pragma once
/* A linear sentiment model learnt from the organisation's own comments:
 * logistic regression on hashed, stemmed unigrams and bigrams. Trained by
 * `resonans text train` (from a labelled TSV, or weakly from the scores
 * given with stored comments, which the caller reads and hands over: this
 * module never opens the store) and saved to a file; used beside the
 * lexicon by `text analyze --model` and `text eval --model`.
 *
 * The method, its defaults and the figures measured with them are in
 * docs/text-model.md. */

#include <stddef.h>
#include <stdint.h>

#include "text/stem.h"

struct err;
struct tokens;
struct textmodel;

/* Loads a model file. Caller frees with textmodel_free. ERR_IO if it
 * cannot be read, ERR_INVALID if it is not a model file. */
int textmodel_load(struct textmodel **out, const char *path, struct err *err);
/* As textmodel_load, from len bytes in memory (the fuzzed entry point).
 * Every field is checked; memory used is bounded by len. */
int textmodel_load_buf(struct textmodel **out, const void *buf, size_t len,
                       struct err *err);
void textmodel_free(struct textmodel *m);

/* Writes the model file to path (through a temporary file renamed into
 * place, so a reader never sees half a model). ERR_IO on failure. */
int textmodel_save(const struct textmodel *m, const char *path,
                   struct err *err);
/* The model file's bytes; caller frees *out with free(). Never fails. */
void textmodel_save_buf(const struct textmodel *m, char **out, size_t *len);

/* P(positive) in 0..1 for a tokenised text in language l. Thread-safe
 * for concurrent readers of one model (keeps no scratch state). Words are
 * stemmed in l; LANG_OTHER uses the model's main language (most rows). */
double textmodel_prob(const struct textmodel *m, const struct tokens *t,
                      enum lang l);
/* As textmodel_prob on raw UTF-8 text. ERR_INVALID for text that
 * tokenize_text rejects; *prob is then 0.5. */
int textmodel_prob_text(double *prob, const struct textmodel *m, const char *s,
                        size_t n, enum lang l, struct err *err);

/* The weight a word gets as a unigram (stemmed in l; not negated). For
 * explanations and tests; 0 for words the model never saw. */
double textmodel_word_weight(const struct textmodel *m, const char *word,
                             size_t n, enum lang l);
/* Non-zero weights stored, the bucket count (2^bits), and a bit mask of
 * the enum lang values the model was trained on. */
size_t textmodel_weight_count(const struct textmodel *m);
unsigned textmodel_hash_bits(const struct textmodel *m);
unsigned textmodel_langs(const struct textmodel *m);

/* Weight of the lexicon in textmodel_combine, chosen by cross-validation
 * (docs/text-model.md). */
#define TEXTMODEL_LEXICON_WEIGHT 0.4

/* Combines the lexicon's score (-1..1) with the model's probability into
 * one score in -1..1; the lexicon keeps its explanation. The result is
 * w*lexicon + (1-w)*(2p-1) with w = TEXTMODEL_LEXICON_WEIGHT. */
double textmodel_combine(double lexicon_score, double prob);

/* ---- training ---- */

/* How a model is built. Start from TEXTMODEL_OPTS_INIT (the tuned
 * defaults, docs/text-model.md) and change what you need. */
struct textmodel_opts {
    unsigned hash_bits; /* 2^hash_bits buckets, 16..22 */
    int bigrams;        /* 1: adjacent word pairs as features */
    int char_min;       /* character n-grams of words, n in */
    int char_max;       /*   char_min..char_max; 0 = none; at most 6 */
    int neg_scope;      /* words marked after a negator, 0..5 */
    double l2;          /* L2 penalty on the mean log-loss, > 0 */
    double nb_alpha;    /* smoothing of the naive Bayes feature scaling;
                           0 = plain logistic regression */
    int balanced;       /* 1: both classes weigh the same in the loss */
    int max_iter;       /* L-BFGS iterations, 1..10000 */
    uint64_t seed;      /* cross-validation folds */
};

#define TEXTMODEL_OPTS_INIT                                                    \
    {                                                                          \
        20, 1, 3, 5, 3, 1e-4, 1.0, 1, 400, 1                                   \
    }

enum textmodel_label {
    TEXTMODEL_NEG = 0,
    TEXTMODEL_POS = 1,
    TEXTMODEL_NEU = 2
};

/* Labelled texts to train or evaluate on. Neutral rows are kept (and
 * counted) but unused: the model is binary; three-class output comes
 * from a threshold on 2p-1 (docs/text-model.md). */
struct textmodel_set;

/* Creates an empty set; caller frees with textmodel_set_free. */
struct textmodel_set *textmodel_set_new(void);
void textmodel_set_free(struct textmodel_set *s);

/* Adds a copy of a text. ERR_INVALID for invalid UTF-8 or a text over
 * TOKENIZE_MAX_INPUT bytes (nothing is added then). */
int textmodel_set_add(struct textmodel_set *s, enum textmodel_label label,
                      enum lang l, const char *text, size_t n, struct err *err);
/* Rows with a label. */
size_t textmodel_set_count(const struct textmodel_set *s,
                           enum textmodel_label label);
/* All rows, and row i (0 <= i < textmodel_set_size): its label, language
 * and text (borrowed, valid until the set is freed; *n bytes). */
size_t textmodel_set_size(const struct textmodel_set *s);
void textmodel_set_row(const struct textmodel_set *s, size_t i,
                       enum textmodel_label *label, enum lang *l,
                       const char **text, size_t *n);

/* Reads "label TAB text" lines (labels pos, neg, neu, also positive,
 * negative, neutral; any case) in language l. A UTF-8 BOM, CRLF, blank
 * lines and a first line "label TAB text" are accepted. name is used in
 * error locations. ERR_INVALID at name:line:col for a bad row; rows read
 * before it stay added. */
int textmodel_set_read_tsv(struct textmodel_set *s, const char *buf, size_t len,
                           enum lang l, const char *name, struct err *err);
/* As textmodel_set_read_tsv on a file; ERR_IO if it cannot be read. */
int textmodel_set_load_tsv(struct textmodel_set *s, const char *path,
                           enum lang l, struct err *err);

/* The weak label of a response's comment from the response's scores
 * (-1 = not asked): NPS votes negative for 0..6 and positive for 9..10,
 * CSAT negative for 1..2 and positive for 4..5; other and absent scores
 * do not vote. Returns TEXTMODEL_POS or TEXTMODEL_NEG when at least one
 * score votes and no two disagree, else -1 (unused). */
int textmodel_weak_label(int nps, int csat);

struct textmodel_weak_stats {
    long responses;  /* responses the caller looked at */
    long comments;   /* comments handed to textmodel_set_add_weak */
    long used;       /* comments added to the set */
    long unlabelled; /* comments whose response gives no weak label */
    long invalid;    /* comments skipped: invalid UTF-8 or too long */
};

/* Adds a comment (n bytes in language l) with its weak label (a
 * textmodel_weak_label result: -1 adds nothing) and counts it in *st:
 * comments, then used, unlabelled or invalid. The caller reads the
 * comments (`text train` scans the store) and counts st->responses.
 * Never fails: a text textmodel_set_add rejects is counted invalid. */
void textmodel_set_add_weak(struct textmodel_set *s, int label, enum lang l,
                            const char *text, size_t n,
                            struct textmodel_weak_stats *st);

/* Fits a model on the positive and negative rows of s. Deterministic:
 * the same rows and options give the same weights. Caller frees with
 * textmodel_free. ERR_INVALID for bad options or without rows of both
 * classes. */
int textmodel_train(struct textmodel **out, const struct textmodel_set *s,
                    const struct textmodel_opts *o, struct err *err);

#define TEXTMODEL_CV_MAX 20

struct textmodel_cv {
    int k;
    long n;          /* rows used (positive and negative) */
    double accuracy; /* pooled over all held-out rows */
    double log_loss; /* mean held-out log-loss */
    double fold_accuracy[TEXTMODEL_CV_MAX];
};

/* Stratified k-fold cross-validation (2 <= k <= TEXTMODEL_CV_MAX): rows
 * are shuffled with o->seed within each class and dealt round-robin to
 * folds; each fold is predicted by a model trained on the others with the
 * same options. oof (optional, caller-owned, one slot per positive or
 * negative row in set order) gets each row's held-out P(positive).
 * ERR_INVALID when a class has fewer than k rows. */
int textmodel_cross_validate(struct textmodel_cv *out, double *oof,
                             const struct textmodel_set *s,
                             const struct textmodel_opts *o, int k,
                             struct err *err);

/* Accuracy of m on the positive and negative rows of s (p >= 0.5 is
 * positive); *n gets the rows scored. ERR_INVALID if there are none. */
int textmodel_evaluate(double *accuracy, long *n, const struct textmodel *m,
                       const struct textmodel_set *s, struct err *err);
