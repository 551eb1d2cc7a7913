#pragma once
/* Private to textmodel.c and textmodel_train.c: the model's layout and
 * the feature extractor both of them use, so a text is featurised the
 * same way when training and when scoring. */

#include <stddef.h>
#include <stdint.h>

#include "text/stem.h"

struct tokens;
struct stemmer;

/* What decides the features; saved in the model file. */
struct tm_params {
    unsigned hash_bits;
    int bigrams;
    int char_min, char_max;
    int neg_scope;
};

struct textmodel {
    struct tm_params p;
    unsigned langs; /* bit (1 << enum lang) per training language */
    enum lang lang; /* main language (most rows), for LANG_OTHER */
    double bias;
    size_t n;      /* non-zero weights */
    uint32_t *idx; /* bucket of each weight, strictly increasing */
    float *w;
    /* Open addressing over idx (already a hash): slot holds a weight's
     * position + 1, 0 = empty. */
    uint32_t *slot;
    size_t slot_mask;
};

/* One text's features: distinct buckets with their values, sorted by
 * bucket, L2-normalised. Reusable across texts. */
struct tm_feats {
    uint32_t *idx;
    float *val;
    size_t n, cap;
    uint32_t *raw; /* buckets as produced, duplicates included */
    size_t raw_n, raw_cap;
};

#define TM_FEATS_INIT                                                          \
    {                                                                          \
        NULL, NULL, 0, 0, NULL, 0, 0                                           \
    }

void tm_feats_dispose(struct tm_feats *f);

/* Featurises t, stemming words with st (NULL: words unstemmed). */
void tm_featurize(struct tm_feats *f, const struct tm_params *p,
                  const struct tokens *t, struct stemmer *st);

/* Builds a model from buckets and weights (n of them, any order, zeros
 * dropped). Takes nothing over; copies. */
struct textmodel *tm_model_new(const struct tm_params *p, unsigned langs,
                               enum lang main_lang, double bias,
                               const uint32_t *idx, const float *w, size_t n);

/* Bias + sum of weights * values: the log-odds of positive. */
double tm_score(const struct textmodel *m, const struct tm_feats *f);

/* 1 if s[0..n) is valid UTF-8 (no overlongs, surrogates or > U+10FFFF);
 * else 0 and *bad gets the byte offset of the first fault. */
int tm_utf8_valid(const char *s, size_t n, size_t *bad);
