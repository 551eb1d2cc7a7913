/* The sentiment model at use time: features, scoring, the model file.
 * Training lives in textmodel_train.c; docs/text-model.md explains the
 * method. */
#include "text/textmodel.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/mapfile.h"
#include "core/utf8.h"
#include "core/xalloc.h"
#include "text/textmodel_int.h"
#include "text/tokenize.h"

/* ---- hashing ---- */

/* Murmur3's finaliser: every input bit affects every output bit, so the
 * top bits taken as the bucket are well mixed. */
static uint64_t fmix64(uint64_t k)
{
    k ^= k >> 33;
    k *= 0xff51afd7ed558ccdULL;
    k ^= k >> 33;
    k *= 0xc4ceb9fe1a85ec53ULL;
    k ^= k >> 33;
    return k;
}

/* FNV-1a over the bytes, started from a per-kind seed and finalised. The
 * kind keeps "bra" the word apart from "bra" the negated word or a
 * character n-gram. */
static uint64_t hash_bytes(uint64_t kind, const char *s, size_t n)
{
    uint64_t h = 0xcbf29ce484222325ULL ^ fmix64(kind + 0x9e3779b97f4a7c15ULL);
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 0x100000001b3ULL;
    }
    return fmix64(h ^ n);
}

enum feat_kind {
    FK_WORD = 1,
    FK_NEGWORD,
    FK_BIGRAM,
    FK_CHAR,
    FK_EMOJI,
    FK_NUMBER,
    FK_PUNCT,
    FK_LINK
};

static uint32_t bucket(uint64_t h, unsigned bits)
{
    return (uint32_t)(h >> (64 - bits));
}

/* ---- features ---- */

void tm_feats_dispose(struct tm_feats *f)
{
    free(f->idx);
    free(f->val);
    free(f->raw);
    *f = (struct tm_feats)TM_FEATS_INIT;
}

static void push(struct tm_feats *f, uint32_t b)
{
    if (f->raw_n == f->raw_cap)
        f->raw = xgrow(f->raw, &f->raw_cap, f->raw_n + 1, sizeof *f->raw);
    f->raw[f->raw_n++] = b;
}

/* Negators, in normalised (case-folded) form. English contractions are
 * matched by their ending below. */
static const char *const negators[] = {
    /* Swedish */
    "inte", "ej", "icke", "aldrig", "ingen", "inget", "inga", "utan", "varken",
    "knappast", "ingenting",
    /* English */
    "not", "no", "never", "nothing", "nobody", "none", "neither", "nor",
    "without", "cannot", "hardly", "dont", "cant", "wont", "didnt", "doesnt",
    "isnt", "wasnt", "arent", "werent", "couldnt", "wouldnt", "shouldnt",
    "havent", "hasnt", "hadnt", "aint"};

static int ends_with(const char *s, size_t n, const char *suf)
{
    size_t k = strlen(suf);
    return n >= k && memcmp(s + n - k, suf, k) == 0;
}

static int is_negator(const char *s, size_t n)
{
    for (size_t i = 0; i < sizeof negators / sizeof negators[0]; i++)
        if (strlen(negators[i]) == n && memcmp(negators[i], s, n) == 0)
            return 1;
    return ends_with(s, n, "n't") || ends_with(s, n, "n\xe2\x80\x99t");
}

/* Character n-grams of "<word>" counted in code points, fastText style:
 * they let Swedish compounds ("jättebra", "kundtjänsten") share
 * evidence with their parts. Very long words are left out. */
static void char_ngrams(struct tm_feats *f, const struct tm_params *p,
                        const char *w, size_t n)
{
    char buf[258];
    size_t start[258];
    size_t ncp = 0;

    if (n + 2 > 256)
        return;
    buf[0] = '<';
    memcpy(buf + 1, w, n);
    buf[n + 1] = '>';
    size_t len = n + 2;
    for (size_t i = 0; i < len; i++)
        if (((unsigned char)buf[i] & 0xC0) != 0x80)
            start[ncp++] = i;
    start[ncp] = len;
    for (int g = p->char_min; g <= p->char_max; g++) {
        if ((size_t)g > ncp)
            break;
        for (size_t i = 0; i + (size_t)g <= ncp; i++) {
            size_t a = start[i], b = start[i + (size_t)g];
            push(f, bucket(hash_bytes(FK_CHAR, buf + a, b - a), p->hash_bits));
        }
    }
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

void tm_featurize(struct tm_feats *f, const struct tm_params *p,
                  const struct tokens *t, struct stemmer *st)
{
    const unsigned bits = p->hash_bits;
    uint64_t prev = 0;
    int have_prev = 0, sentence = -1, neg_left = 0;

    f->raw_n = 0;
    f->n = 0;
    for (size_t i = 0; i < t->n; i++) {
        const struct token *k = &t->v[i];
        if (k->sentence != sentence) {
            sentence = k->sentence;
            have_prev = 0;
            neg_left = 0;
        }
        switch (k->kind) {
        case TOK_WORD:
        case TOK_NUMBER: {
            const char *s = k->norm;
            size_t n = k->norm_n;
            if (k->kind == TOK_WORD && st)
                s = stemmer_stem(st, k->norm, k->norm_n, &n);
            uint64_t h =
                hash_bytes(k->kind == TOK_WORD ? FK_WORD : FK_NUMBER, s, n);
            if (neg_left > 0)
                push(f, bucket(hash_bytes(FK_NEGWORD, s, n), bits));
            else
                push(f, bucket(h, bits));
            if (p->bigrams && have_prev)
                push(f, bucket(fmix64(prev * 31 + h + FK_BIGRAM), bits));
            prev = h;
            have_prev = 1;
            if (k->kind == TOK_WORD && p->char_min > 0)
                char_ngrams(f, p, k->norm, k->norm_n);
            if (neg_left > 0)
                neg_left--;
            if (k->kind == TOK_WORD && is_negator(k->norm, k->norm_n))
                neg_left = p->neg_scope;
            break;
        }
        case TOK_EMOJI:
        case TOK_EMOTICON:
            push(f, bucket(hash_bytes(FK_EMOJI, k->norm, k->norm_n), bits));
            have_prev = 0;
            break;
        case TOK_PUNCT:
            if (k->norm_n == 1 && (k->norm[0] == '!' || k->norm[0] == '?'))
                push(f, bucket(hash_bytes(FK_PUNCT, k->norm, 1), bits));
            have_prev = 0;
            neg_left = 0;
            break;
        case TOK_URL:
        case TOK_EMAIL:
            push(f, bucket(hash_bytes(FK_LINK, "", 0), bits));
            have_prev = 0;
            break;
        }
    }

    /* Distinct buckets with sublinear counts (1 + ln tf), scaled to unit
     * length so long reviews do not shout down short ones. */
    if (f->raw_n == 0)
        return;
    qsort(f->raw, f->raw_n, sizeof *f->raw, cmp_u32);
    if (f->cap < f->raw_n) {
        f->cap = f->raw_n;
        f->idx = xrealloc(f->idx, f->cap * sizeof *f->idx);
        f->val = xrealloc(f->val, f->cap * sizeof *f->val);
    }
    double ss = 0;
    for (size_t i = 0; i < f->raw_n;) {
        size_t j = i;
        while (j < f->raw_n && f->raw[j] == f->raw[i])
            j++;
        double v = 1.0 + log((double)(j - i));
        f->idx[f->n] = f->raw[i];
        f->val[f->n] = (float)v;
        f->n++;
        ss += v * v;
        i = j;
    }
    double inv = 1.0 / sqrt(ss);
    for (size_t i = 0; i < f->n; i++)
        f->val[i] = (float)(f->val[i] * inv);
}

/* ---- the model ---- */

static int cmp_pair(const void *a, const void *b)
{
    const uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

struct textmodel *tm_model_new(const struct tm_params *p, unsigned langs,
                               enum lang main_lang, double bias,
                               const uint32_t *idx, const float *w, size_t n)
{
    struct textmodel *m = xcalloc(1, sizeof *m);
    m->p = *p;
    m->langs = langs;
    m->lang = main_lang;
    m->bias = bias;

    /* Sort by bucket through (bucket, position) keys; drop zeros. */
    uint64_t *key = xmalloc((n ? n : 1) * sizeof *key);
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (w[i] != 0.0f)
            key[k++] = ((uint64_t)idx[i] << 32) | (uint64_t)i;
    qsort(key, k, sizeof *key, cmp_pair);
    m->idx = xmalloc((k ? k : 1) * sizeof *m->idx);
    m->w = xmalloc((k ? k : 1) * sizeof *m->w);
    for (size_t i = 0; i < k; i++) {
        m->idx[i] = (uint32_t)(key[i] >> 32);
        m->w[i] = w[key[i] & 0xffffffffu];
    }
    m->n = k;
    free(key);

    size_t cap = 16;
    while (cap < 2 * m->n)
        cap *= 2;
    m->slot = xcalloc(cap, sizeof *m->slot);
    m->slot_mask = cap - 1;
    for (size_t i = 0; i < m->n; i++) {
        size_t s = m->idx[i] & m->slot_mask;
        while (m->slot[s])
            s = (s + 1) & m->slot_mask;
        m->slot[s] = (uint32_t)(i + 1);
    }
    return m;
}

void textmodel_free(struct textmodel *m)
{
    if (!m)
        return;
    free(m->idx);
    free(m->w);
    free(m->slot);
    free(m);
}

static float lookup(const struct textmodel *m, uint32_t b)
{
    size_t s = b & m->slot_mask;
    while (m->slot[s]) {
        uint32_t i = m->slot[s] - 1;
        if (m->idx[i] == b)
            return m->w[i];
        s = (s + 1) & m->slot_mask;
    }
    return 0.0f;
}

double tm_score(const struct textmodel *m, const struct tm_feats *f)
{
    double z = m->bias;
    for (size_t i = 0; i < f->n; i++)
        z += (double)lookup(m, f->idx[i]) * (double)f->val[i];
    return z;
}

static double sigmoid(double z)
{
    if (z >= 0)
        return 1.0 / (1.0 + exp(-z));
    double e = exp(z);
    return e / (1.0 + e);
}

static enum lang stem_lang(const struct textmodel *m, enum lang l)
{
    return l == LANG_OTHER ? m->lang : l;
}

double textmodel_prob(const struct textmodel *m, const struct tokens *t,
                      enum lang l)
{
    struct tm_feats f = TM_FEATS_INIT;
    struct stemmer *st = stemmer_new(stem_lang(m, l));
    tm_featurize(&f, &m->p, t, st);
    double p = sigmoid(tm_score(m, &f));
    stemmer_free(st);
    tm_feats_dispose(&f);
    return p;
}

int textmodel_prob_text(double *prob, const struct textmodel *m, const char *s,
                        size_t n, enum lang l, struct err *err)
{
    struct tokens t = TOKENS_INIT;
    int rc;

    *prob = 0.5;
    if ((rc = tokenize_text(&t, s, n, err)) < 0)
        goto done;
    *prob = textmodel_prob(m, &t, l);
done:
    tokens_dispose(&t);
    return rc;
}

double textmodel_word_weight(const struct textmodel *m, const char *word,
                             size_t n, enum lang l)
{
    struct stemmer *st = stemmer_new(stem_lang(m, l));
    const char *s = word;
    size_t sn = n;
    if (st)
        s = stemmer_stem(st, word, n, &sn);
    double w = lookup(m, bucket(hash_bytes(FK_WORD, s, sn), m->p.hash_bits));
    stemmer_free(st);
    return w;
}

size_t textmodel_weight_count(const struct textmodel *m)
{
    return m->n;
}

unsigned textmodel_hash_bits(const struct textmodel *m)
{
    return m->p.hash_bits;
}

unsigned textmodel_langs(const struct textmodel *m)
{
    return m->langs;
}

double textmodel_combine(double lexicon_score, double prob)
{
    const double w = TEXTMODEL_LEXICON_WEIGHT;
    /* Out-of-range inputs are clamped; NaN counts as no evidence. */
    if (isnan(lexicon_score))
        lexicon_score = 0.0;
    if (isnan(prob))
        prob = 0.5;
    lexicon_score = fmax(-1.0, fmin(1.0, lexicon_score));
    prob = fmax(0.0, fmin(1.0, prob));
    return w * lexicon_score + (1.0 - w) * (2.0 * prob - 1.0);
}

/* ---- UTF-8 ---- */

int tm_utf8_valid(const char *s, size_t n, size_t *bad)
{
    size_t ok = utf8_valid_prefix(s, n);
    if (ok == n)
        return 1;
    *bad = ok;
    return 0;
}

/* ---- the model file ----
 *
 * Little-endian throughout:
 *   0  8  magic "RSTXTMDL"
 *   8  4  format version (1)
 *  12  4  hash bits (16..22)
 *  16  4  bigrams (0/1)
 *  20  4  char n-gram min, 24 4 max (both 0, or 1 <= min <= max <= 6)
 *  28  4  negation scope (0..5)
 *  32  4  training languages (bit per enum lang), 36 4 main language
 *  40  8  bias (IEEE 754 double)
 *  48  4  number of weights n (<= 2^bits)
 *  52  8n bucket (u32, strictly increasing, < 2^bits), weight (f32, finite,
 *         non-zero)
 *  ... 4  FNV-1a 32 of every byte before it */

static const unsigned char tm_magic[8] = {'R', 'S', 'T', 'X',
                                          'T', 'M', 'D', 'L'};
#define TM_VERSION 1u
#define TM_HEADER 52u
#define TM_BITS_MIN 16u
#define TM_BITS_MAX 22u

static void put32(unsigned char *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

static uint32_t get32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

static uint32_t f2u(float f)
{
    uint32_t u;
    memcpy(&u, &f, sizeof u);
    return u;
}

static float u2f(uint32_t u)
{
    float f;
    memcpy(&f, &u, sizeof f);
    return f;
}

static uint32_t fnv32(const unsigned char *p, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++) {
        h ^= p[i];
        h *= 16777619u;
    }
    return h;
}

void textmodel_save_buf(const struct textmodel *m, char **out, size_t *len)
{
    size_t n = TM_HEADER + 8 * m->n + 4;
    unsigned char *b = xmalloc(n);
    uint64_t bias;

    memcpy(b, tm_magic, sizeof tm_magic);
    put32(b + 8, TM_VERSION);
    put32(b + 12, m->p.hash_bits);
    put32(b + 16, (uint32_t)m->p.bigrams);
    put32(b + 20, (uint32_t)m->p.char_min);
    put32(b + 24, (uint32_t)m->p.char_max);
    put32(b + 28, (uint32_t)m->p.neg_scope);
    put32(b + 32, m->langs);
    put32(b + 36, (uint32_t)m->lang);
    memcpy(&bias, &m->bias, sizeof bias);
    put32(b + 40, (uint32_t)bias);
    put32(b + 44, (uint32_t)(bias >> 32));
    put32(b + 48, (uint32_t)m->n);
    for (size_t i = 0; i < m->n; i++) {
        put32(b + TM_HEADER + 8 * i, m->idx[i]);
        put32(b + TM_HEADER + 8 * i + 4, f2u(m->w[i]));
    }
    put32(b + n - 4, fnv32(b, n - 4));
    *out = (char *)b;
    *len = n;
}

int textmodel_save(const struct textmodel *m, const char *path, struct err *err)
{
    char *buf = NULL, *tmp = NULL;
    size_t n, plen = strlen(path);
    FILE *f = NULL;
    int rc = 0;

    textmodel_save_buf(m, &buf, &n);
    tmp = xmalloc(plen + 5);
    memcpy(tmp, path, plen);
    memcpy(tmp + plen, ".tmp", 5);
    if (!(f = fopen(tmp, "wb"))) {
        rc = err_set(err, ERR_IO, "%s: cannot write: %s", tmp, strerror(errno));
        goto done;
    }
    if (fwrite(buf, 1, n, f) != n) {
        rc = err_set(err, ERR_IO, "%s: writing failed: %s", tmp,
                     strerror(errno));
        goto done;
    }
    int closed = fclose(f);
    f = NULL;
    if (closed != 0) {
        rc = err_set(err, ERR_IO, "%s: writing failed: %s", tmp,
                     strerror(errno));
        goto done;
    }
    if (rename(tmp, path) != 0)
        rc =
            err_set(err, ERR_IO, "%s: cannot write: %s", path, strerror(errno));
done:
    if (f)
        fclose(f);
    if (rc < 0)
        remove(tmp);
    free(tmp);
    free(buf);
    return rc;
}

static int bad(struct err *err, const char *what)
{
    return err_set(err, ERR_INVALID, "not a Resonans text model: %s", what);
}

int textmodel_load_buf(struct textmodel **out, const void *buf, size_t len,
                       struct err *err)
{
    const unsigned char *b = buf;
    struct tm_params p;
    uint32_t *idx = NULL;
    float *w = NULL;
    double bias;
    int rc = 0;

    *out = NULL;
    if (len < TM_HEADER + 4 || memcmp(b, tm_magic, sizeof tm_magic) != 0) {
        rc = bad(err, "no model header");
        goto done;
    }
    if (get32(b + 8) != TM_VERSION) {
        rc = err_set(err, ERR_INVALID,
                     "text model format version %u is not supported "
                     "(this build reads %u)",
                     (unsigned)get32(b + 8), TM_VERSION);
        goto done;
    }
    p.hash_bits = get32(b + 12);
    uint32_t bigrams = get32(b + 16), cmin = get32(b + 20),
             cmax = get32(b + 24), neg = get32(b + 28);
    uint32_t langs = get32(b + 32), first = get32(b + 36);
    uint64_t braw = (uint64_t)get32(b + 40) | (uint64_t)get32(b + 44) << 32;
    uint32_t n = get32(b + 48);
    memcpy(&bias, &braw, sizeof bias);
    if (p.hash_bits < TM_BITS_MIN || p.hash_bits > TM_BITS_MAX) {
        rc = bad(err, "hash size out of range");
        goto done;
    }
    if (bigrams > 1 || cmax > 6 || cmin > cmax || (cmin == 0) != (cmax == 0) ||
        neg > 5) {
        rc = bad(err, "unknown feature settings");
        goto done;
    }
    if (langs == 0 || langs > 7 || first > 2 || !(langs & (1u << first))) {
        rc = bad(err, "unknown languages");
        goto done;
    }
    if (!isfinite(bias)) {
        rc = bad(err, "bias is not a number");
        goto done;
    }
    /* n is checked against the length before anything is allocated, so
     * memory stays proportional to the input. */
    if (n > (1u << p.hash_bits) || (len - TM_HEADER - 4) / 8 != n ||
        (len - TM_HEADER - 4) % 8 != 0) {
        rc = bad(err, "length does not match the weight count");
        goto done;
    }
    p.bigrams = (int)bigrams;
    p.char_min = (int)cmin;
    p.char_max = (int)cmax;
    p.neg_scope = (int)neg;
    idx = xmalloc((n ? n : 1) * sizeof *idx);
    w = xmalloc((n ? n : 1) * sizeof *w);
    for (uint32_t i = 0; i < n; i++) {
        idx[i] = get32(b + TM_HEADER + 8 * (size_t)i);
        w[i] = u2f(get32(b + TM_HEADER + 8 * (size_t)i + 4));
        if (idx[i] >= (1u << p.hash_bits) || (i > 0 && idx[i] <= idx[i - 1])) {
            rc = bad(err, "weights out of order");
            goto done;
        }
        if (!isfinite(w[i]) || w[i] == 0.0f) {
            rc = bad(err, "weight is not a number");
            goto done;
        }
    }
    if (get32(b + len - 4) != fnv32(b, len - 4)) {
        rc = bad(err, "checksum mismatch (damaged file)");
        goto done;
    }
    *out = tm_model_new(&p, langs, (enum lang)first, bias, idx, w, n);
done:
    free(idx);
    free(w);
    return rc;
}

int textmodel_load(struct textmodel **out, const char *path, struct err *err)
{
    struct mapfile mf = MAPFILE_INIT;
    int rc;

    *out = NULL;
    if ((rc = mapfile_open(&mf, path, err)) < 0)
        goto done;
    if ((rc = textmodel_load_buf(out, mf.p, mf.n, err)) < 0) {
        /* Say which file: the buffer loader does not know its name. */
        if (!err->where[0])
            snprintf(err->where, sizeof err->where, "%s", path);
    }
done:
    mapfile_close(&mf);
    return rc;
}
