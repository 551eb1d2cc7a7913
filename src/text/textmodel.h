#pragma once
/* A linear sentiment model learnt from the organisation's own comments:
 * logistic regression on hashed, stemmed unigrams and bigrams. Trained by
 * `resonans text train` (from a labelled TSV, or weakly from the scores
 * given with stored comments) and saved to a file; used beside the
 * lexicon by `text analyze --model` and `text eval --model`. */

#include "text/stem.h"

struct err;
struct tokens;
struct textmodel;

/* Loads a model file. Caller frees with textmodel_free. ERR_IO if it
 * cannot be read, ERR_INVALID if it is not a model file. */
int textmodel_load(struct textmodel **out, const char *path, struct err *err);
void textmodel_free(struct textmodel *m);

/* P(positive) in 0..1 for a tokenised text in language l. Thread-safe
 * for concurrent readers of one model (keeps no scratch state). */
double textmodel_prob(const struct textmodel *m, const struct tokens *t,
                      enum lang l);

/* Combines the lexicon's score (-1..1) with the model's probability into
 * one score in -1..1; the lexicon keeps its explanation. */
double textmodel_combine(double lexicon_score, double prob);
