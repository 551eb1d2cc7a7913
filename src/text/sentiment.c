/* Lexicon-and-rules sentiment scorer.
 *
 * Loading: every lexicon term is tokenised with tokenize_text, so terms
 * and comments are normalised the same way; multi-word terms are keyed by
 * their words joined with one space, and their first word is marked as a
 * phrase head so the scorer tries phrases only where one can start.
 * Single words are also keyed by their Snowball stem, for inflected forms.
 *
 * Scoring walks the tokens once, keeping the negation scope, a pending
 * intensifier and the clause number, and records every hit as a reason.
 * Contrast and exclamation rules are applied per sentence afterwards,
 * because they need the hits on both sides of the marker. */
#include "text/sentiment.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/asset.h"
#include "core/err.h"
#include "core/strbuf.h"
#include "core/strmap.h"
#include "core/xalloc.h"
#include "text/textdata.h"
#include "text/tokenize.h"

/* ---- tuning: the rule constants -------------------------------------- */

#define NEG_POS (-0.74) /* "inte bra": a negated positive (VADER's) */
#define NEG_NEG (-0.5)  /* "inte dåligt": litotes is weaker */
#define NEG_SCOPE 3     /* words after a negator */
#define CONTRAST_BEFORE 0.5
#define CONTRAST_AFTER 1.5
#define CONCESSIVE 0.5
#define OTHERWISE 0.5
#define CAPS_FACTOR 1.4
#define EXCLAIM_STEP 0.3 /* per '!', at most three */
#define NORM_ALPHA 15.0
#define MIXED_MIN 1.5   /* both sides at least this for "mixed" */
#define MIXED_RATIO 0.5 /* and the weaker at least this share */
#define MIN_STEM_LEN 4  /* bytes: shorter words are not stemmed */
#define STEM_SLACK 2    /* bytes of a term an inflected form may change */
/* Negative lexicon weights are scaled by this when loaded: complaints are
 * written politely ("trevlig personal, men ..."), so an unhappy comment
 * holds more positive words than a happy one holds negative words. */
#define NEGATIVE_SCALE 1.3
#define BLOOM_BITS 32768 /* power of two */

/* ---- lexicon --------------------------------------------------------- */

enum {
    E_SENT = 1 << 0,       /* has a sentiment weight */
    E_NEG = 1 << 1,        /* negator; weight alone in `factor2` */
    E_INT = 1 << 2,        /* intensifier or dampener: factor */
    E_CONTRAST = 1 << 3,   /* men, but */
    E_CONCESS = 1 << 4,    /* även om, although */
    E_NOTNEG = 1 << 5,     /* bara/only after a negator cancels it */
    E_SKIP = 1 << 6,       /* pronouns skipped by back-negation */
    E_HEAD = 1 << 7,       /* first word of a phrase */
    E_NOSTEM = 1 << 8,     /* do not match inflections by stem */
    E_CLAUSEINIT = 1 << 9, /* contrast only at the start of a clause */
    E_ADDITIVE = 1 << 10,  /* "men också", "but also": no contrast */
    E_OTHERWISE = 1 << 11, /* "annars", "otherwise": what follows is less */
    E_REPEAT = 1 << 12     /* "igen", "again": -factor in a negated clause */
};

struct entry {
    const char *term; /* owned by struct sentiment */
    size_t term_n;
    float weight;
    float factor; /* modifier factor */
    float alone;  /* negator: weight when it negates nothing */
    unsigned flags;
    int max_words; /* E_HEAD: the longest phrase it starts */
};

struct prefix {
    char p[16];
    size_t n;
    float factor;
};

/* The scorer's view of a lexicon: 8-byte slots (hash bits and entry
 * index) so the table stays in cache; terms are compared in the entry. */
struct slot {
    uint32_t h;
    int32_t idx;
};

struct lexicon {
    struct slot *index; /* term -> entry, built after loading */
    size_t mask;
    char *terms; /* the entries' terms side by side, once loaded */
    /* BLOOM_BITS bits, one set for each term's tokens_hash: most words of
     * a comment are not in the lexicon, and these 4 KiB say so */
    uint64_t *bloom;
    /* pair_key of the first two words of every multi-word term, so a
     * phrase that cannot match is rejected from two token hashes;
     * 0 = empty slot; with its own BLOOM_BITS in front */
    uint64_t *pairs;
    size_t pairs_mask;
    uint64_t *pairs_bloom;
    struct strmap *map;   /* term -> entry index, while loading */
    struct strmap *stems; /* stem of a single-word term -> entry index */
    /* tokens_hash of each stems value's term without its last
     * STEM_SLACK bytes, the prefix a word needs to match it by stem;
     * stem_pre_lens has bit L for a prefix of L bytes (bit 63: 63 or more) */
    uint64_t *stem_pre;
    size_t stem_pre_mask;
    uint64_t stem_pre_lens;
    struct entry *e;
    size_t n, cap;
    struct prefix pre[32]; /* compound prefixes: jätte, skit */
    int n_pre;
    struct prefix negpre[4]; /* o-, un- */
    int n_negpre;
};

struct sentiment {
    struct lexicon lex[3]; /* by enum lang; LANG_OTHER stays empty */
    struct strmap *emoji;  /* emoji/emoticon norm -> weight * 1000 */
    char **strings;        /* owned term strings */
    size_t n_strings, cap_strings;
};

static const char *keep_string(struct sentiment *s, const char *p, size_t n)
{
    if (s->n_strings == s->cap_strings)
        s->strings = xgrow(s->strings, &s->cap_strings, s->n_strings + 1,
                           sizeof *s->strings);
    char *c = xstrndup(p, n);
    s->strings[s->n_strings++] = c;
    return c;
}

/* The entry for key in lx, created empty if absent. */
static struct entry *lex_entry(struct sentiment *s, struct lexicon *lx,
                               const char *key, size_t n)
{
    int64_t idx;
    if (strmap_get(lx->map, key, n, &idx))
        return &lx->e[idx];
    if (lx->n == lx->cap)
        lx->e = xgrow(lx->e, &lx->cap, lx->n + 1, sizeof *lx->e);
    struct entry *e = &lx->e[lx->n];
    memset(e, 0, sizeof *e);
    e->term = keep_string(s, key, n);
    e->term_n = n;
    e->factor = 1;
    strmap_put(lx->map, key, n, (int64_t)lx->n);
    lx->n++;
    return e;
}

/* Normalises a term as comments are, joining its tokens with spaces.
 * Returns the number of tokens (0 if none or invalid). */
static int norm_term(struct strbuf *key, struct tokens *t, const char *p,
                     size_t n)
{
    struct err e = ERR_INIT;
    strbuf_reset(key);
    if (tokenize_text(t, p, n, &e) < 0 || !t->n)
        return 0;
    for (size_t i = 0; i < t->n; i++) {
        if (i)
            strbuf_putc(key, ' ');
        strbuf_add(key, t->v[i].norm, t->v[i].norm_n);
    }
    return (int)t->n;
}

/* Splits a TSV line into at most 3 fields. Returns the count. */
static int split_tab(const char *line, size_t n, const char **f, size_t *fn)
{
    int k = 0;
    size_t s = 0;
    for (size_t i = 0; i <= n && k < 3; i++) {
        if (i == n || line[i] == '\t') {
            f[k] = line + s;
            fn[k] = i - s;
            k++;
            s = i + 1;
        }
    }
    return k;
}

static int parse_num(const char *p, size_t n, double *out)
{
    char buf[32];
    char *end;
    if (!n || n >= sizeof buf)
        return -1;
    memcpy(buf, p, n);
    buf[n] = '\0';
    *out = strtod(buf, &end);
    return *end || !isfinite(*out) ? -1 : 0;
}

static int field_is(const char *f, size_t n, const char *s)
{
    return strlen(s) == n && !memcmp(f, s, n);
}

/* Marks the first word of a multi-word key as a phrase head. */
static void mark_head(struct sentiment *s, struct lexicon *lx, const char *key,
                      size_t n, int words)
{
    const char *sp = memchr(key, ' ', n);
    if (!sp)
        return;
    struct entry *h = lex_entry(s, lx, key, (size_t)(sp - key));
    h->flags |= E_HEAD;
    if (words > h->max_words)
        h->max_words = words;
}

static int load_lexicon(struct sentiment *s, struct lexicon *lx,
                        const char *name, struct tokens *t, struct strbuf *key,
                        struct err *err)
{
    const struct asset *a = textdata_find(name);
    if (!a)
        return err_set(err, ERR_INTERNAL, "%s is not built in", name);
    size_t pos = 0, n;
    long lineno = 0;
    const char *line;
    while (textdata_next_line(a, &pos, &line, &n, &lineno)) {
        const char *f[3];
        size_t fn[3];
        double w;
        int k = split_tab(line, n, f, fn);
        int words;
        if (k < 2 || parse_num(f[1], fn[1], &w) < 0 || fabs(w) > 5 ||
            !(words = norm_term(key, t, f[0], fn[0])))
            return err_at(err, ERR_INTERNAL, name, lineno, 0,
                          "expected TERM<TAB>WEIGHT (-5..5)[<TAB>FLAGS]");
        struct entry *e = lex_entry(s, lx, key->p, key->n);
        e->weight = (float)(w < 0 ? w * NEGATIVE_SCALE : w);
        e->flags |= E_SENT;
        if (k == 3 && field_is(f[2], fn[2], "nostem"))
            e->flags |= E_NOSTEM;
        mark_head(s, lx, key->p, key->n, words);
    }
    return 0;
}

static int load_rules(struct sentiment *s, struct lexicon *lx, const char *name,
                      struct tokens *t, struct strbuf *key, struct err *err)
{
    const struct asset *a = textdata_find(name);
    if (!a)
        return err_set(err, ERR_INTERNAL, "%s is not built in", name);
    size_t pos = 0, n;
    long lineno = 0;
    const char *line;
    while (textdata_next_line(a, &pos, &line, &n, &lineno)) {
        const char *f[3];
        size_t fn[3];
        double v = 0;
        int k = split_tab(line, n, f, fn);
        if (k < 2 || (k == 3 && parse_num(f[2], fn[2], &v) < 0))
            return err_at(err, ERR_INTERNAL, name, lineno, 0,
                          "expected TERM<TAB>KIND[<TAB>VALUE]");
        if (field_is(f[1], fn[1], "prefix") ||
            field_is(f[1], fn[1], "negprefix")) {
            int neg = f[1][0] == 'n';
            struct prefix *p =
                neg ? (lx->n_negpre < 4 ? &lx->negpre[lx->n_negpre++] : NULL)
                    : (lx->n_pre < 32 ? &lx->pre[lx->n_pre++] : NULL);
            if (!p || fn[0] >= sizeof p->p || k < 3)
                return err_at(err, ERR_INTERNAL, name, lineno, 0,
                              "too many prefixes, too long, or no factor");
            memcpy(p->p, f[0], fn[0]);
            p->p[fn[0]] = '\0';
            p->n = fn[0];
            p->factor = (float)v;
            continue;
        }
        int words = norm_term(key, t, f[0], fn[0]);
        if (!words)
            return err_at(err, ERR_INTERNAL, name, lineno, 1, "empty term");
        struct entry *e = lex_entry(s, lx, key->p, key->n);
        if (field_is(f[1], fn[1], "negator")) {
            e->flags |= E_NEG;
            e->alone = (float)v;
        } else if (field_is(f[1], fn[1], "intensifier") ||
                   field_is(f[1], fn[1], "dampener")) {
            if (k < 3 || v <= 0 || v > 4)
                return err_at(err, ERR_INTERNAL, name, lineno, 0,
                              "a modifier needs a factor in (0, 4]");
            e->flags |= E_INT;
            e->factor = (float)v;
        } else if (field_is(f[1], fn[1], "contrast")) {
            e->flags |= E_CONTRAST;
        } else if (field_is(f[1], fn[1], "contrast-clause")) {
            e->flags |= E_CONTRAST | E_CLAUSEINIT;
        } else if (field_is(f[1], fn[1], "concessive")) {
            e->flags |= E_CONCESS;
        } else if (field_is(f[1], fn[1], "notneg")) {
            e->flags |= E_NOTNEG;
        } else if (field_is(f[1], fn[1], "repeat")) {
            if (k < 3 || v <= 0 || v > 5)
                return err_at(err, ERR_INTERNAL, name, lineno, 0,
                              "repeat needs a weight in (0, 5]");
            e->flags |= E_REPEAT;
            e->factor = (float)v;
        } else if (field_is(f[1], fn[1], "otherwise")) {
            e->flags |= E_OTHERWISE;
        } else if (field_is(f[1], fn[1], "additive")) {
            e->flags |= E_ADDITIVE;
        } else if (field_is(f[1], fn[1], "skip")) {
            e->flags |= E_SKIP;
        } else {
            return err_at(err, ERR_INTERNAL, name, lineno, 0,
                          "unknown kind \"%.*s\"", (int)fn[1], f[1]);
        }
        mark_head(s, lx, key->p, key->n, words);
    }
    return 0;
}

static int load_emoji(struct sentiment *s, const char *name, struct tokens *t,
                      struct err *err)
{
    const struct asset *a = textdata_find(name);
    if (!a)
        return err_set(err, ERR_INTERNAL, "%s is not built in", name);
    size_t pos = 0, n;
    long lineno = 0;
    const char *line;
    while (textdata_next_line(a, &pos, &line, &n, &lineno)) {
        const char *f[3];
        size_t fn[3];
        double w;
        struct err e = ERR_INIT;
        int k = split_tab(line, n, f, fn);
        if (k < 2 || parse_num(f[1], fn[1], &w) < 0 || fabs(w) > 5 ||
            tokenize_text(t, f[0], fn[0], &e) < 0 || t->n != 1 ||
            (t->v[0].kind != TOK_EMOJI && t->v[0].kind != TOK_EMOTICON))
            return err_at(err, ERR_INTERNAL, name, lineno, 0,
                          "expected one EMOJI<TAB>WEIGHT");
        strmap_put(s->emoji, t->v[0].norm, t->v[0].norm_n,
                   (int64_t)lround(w * 1000));
    }
    return 0;
}

static uint64_t pre_key(uint64_t h)
{
    return h ? h : 1;
}

static void pre_add(struct lexicon *lx, const char *p, size_t n)
{
    uint64_t h = pre_key(tokens_hash(p, n));
    size_t j = (size_t)h & lx->stem_pre_mask;
    while (lx->stem_pre[j] && lx->stem_pre[j] != h)
        j = (j + 1) & lx->stem_pre_mask;
    lx->stem_pre[j] = h;
    lx->stem_pre_lens |= (uint64_t)1 << (n < 63 ? n : 63);
}

/* 0 when no prefix of w (n bytes) is in lx->stem_pre: then by_stem cannot
 * match w, whatever its stem, so the stemmer need not run. */
static int pre_may(const struct lexicon *lx, const char *w, size_t n)
{
    for (size_t len = 1; len <= n; len++) {
        if (len >= 63)
            return (int)(lx->stem_pre_lens >> 63);
        if (!((lx->stem_pre_lens >> len) & 1))
            continue;
        uint64_t h = pre_key(tokens_hash(w, len));
        for (size_t j = (size_t)h & lx->stem_pre_mask; lx->stem_pre[j];
             j = (j + 1) & lx->stem_pre_mask)
            if (lx->stem_pre[j] == h)
                return 1;
    }
    return 0;
}

/* Keys single-word sentiment terms by their stem; the first term with a
 * stem keeps it (lexicons list base forms first). */
static void build_stems(struct lexicon *lx, enum lang l)
{
    struct stemmer *st = stemmer_new(l);
    size_t cap = 16;
    while (cap < lx->n * 2 + 2)
        cap *= 2;
    lx->stems = strmap_new();
    lx->stem_pre = xcalloc(cap, sizeof *lx->stem_pre);
    lx->stem_pre_mask = cap - 1;
    lx->stem_pre_lens = 0;
    if (!st)
        return;
    for (size_t i = 0; i < lx->n; i++) {
        const struct entry *e = &lx->e[i];
        size_t n = strlen(e->term), sn;
        if (!(e->flags & E_SENT) || (e->flags & E_NOSTEM) ||
            memchr(e->term, ' ', n) || n < 3)
            continue;
        const char *stem = stemmer_stem(st, e->term, n, &sn);
        /* the first term with a stem keeps it: only it is ever matched */
        if (strmap_add(lx->stems, stem, sn, (int64_t)i, NULL))
            pre_add(lx, e->term, n - STEM_SLACK);
    }
    stemmer_free(st);
}

static uint32_t slot_hash(uint64_t h)
{
    uint32_t v = (uint32_t)(h >> 32);
    return v ? v : 1;
}

/* Bloom bits (one hash function; the hash is already there). */
static void bits_set(uint64_t *bits, uint64_t h)
{
    size_t b = (size_t)(h >> 20) & (BLOOM_BITS - 1);
    bits[b >> 6] |= (uint64_t)1 << (b & 63);
}

/* 0 if nothing set hashes to h; 1 if something may. */
static int bits_may(const uint64_t *bits, uint64_t h)
{
    size_t b = (size_t)(h >> 20) & (BLOOM_BITS - 1);
    return (int)(bits[b >> 6] >> (b & 63)) & 1;
}

static int bloom_may(const struct lexicon *lx, uint64_t h)
{
    return bits_may(lx->bloom, h);
}

/* The key of a pair of words for the pairs table, from their hashes. */
static uint64_t pair_key(uint64_t a, uint64_t b)
{
    uint64_t h = a * 0x9e3779b97f4a7c15ULL ^ b;
    return h ? h : 1;
}

static int has_space(const char *w, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (w[i] == ' ')
            return 1;
    return 0;
}

static void build_pairs(struct lexicon *lx)
{
    size_t cap = 16;
    while (cap < lx->n * 2 + 2)
        cap *= 2;
    lx->pairs = xcalloc(cap, sizeof *lx->pairs);
    lx->pairs_mask = cap - 1;
    lx->pairs_bloom = xcalloc(BLOOM_BITS / 64, sizeof *lx->pairs_bloom);
    for (size_t i = 0; i < lx->n; i++) {
        const struct entry *e = &lx->e[i];
        const char *sp = memchr(e->term, ' ', e->term_n), *b, *sp2;
        if (!sp)
            continue;
        b = sp + 1;
        sp2 = memchr(b, ' ', e->term_n - (size_t)(b - e->term));
        size_t bn = sp2 ? (size_t)(sp2 - b) : e->term_n - (size_t)(b - e->term);
        uint64_t h = pair_key(tokens_hash(e->term, (size_t)(sp - e->term)),
                              tokens_hash(b, bn));
        size_t j = (size_t)h & lx->pairs_mask;
        bits_set(lx->pairs_bloom, h);
        while (lx->pairs[j] && lx->pairs[j] != h)
            j = (j + 1) & lx->pairs_mask;
        lx->pairs[j] = h;
    }
}

/* 0 if no multi-word term starts with the two words whose tokens_hash are
 * a and b (words without spaces); 1 if one may. */
static int pair_known(const struct lexicon *lx, uint64_t a, uint64_t b)
{
    uint64_t h = pair_key(a, b);
    if (!bits_may(lx->pairs_bloom, h))
        return 0;
    for (size_t j = (size_t)h & lx->pairs_mask;; j = (j + 1) & lx->pairs_mask) {
        if (lx->pairs[j] == h)
            return 1;
        if (!lx->pairs[j])
            return 0;
    }
}

static void build_index(struct lexicon *lx)
{
    size_t cap = 16, bytes = 0;
    while (cap < lx->n * 2 + 2)
        cap *= 2;
    lx->index = xcalloc(cap, sizeof *lx->index);
    lx->mask = cap - 1;
    lx->bloom = xcalloc(BLOOM_BITS / 64, sizeof *lx->bloom);
    /* Terms side by side, in entry order, where a lookup compares them
     * (the strings they were loaded into stay owned by s->strings). */
    for (size_t i = 0; i < lx->n; i++)
        bytes += lx->e[i].term_n + 1;
    lx->terms = xmalloc(bytes ? bytes : 1);
    bytes = 0;
    for (size_t i = 0; i < lx->n; i++) {
        memcpy(lx->terms + bytes, lx->e[i].term, lx->e[i].term_n + 1);
        lx->e[i].term = lx->terms + bytes;
        bytes += lx->e[i].term_n + 1;
    }
    for (size_t i = 0; i < lx->n; i++) {
        uint64_t h = tokens_hash(lx->e[i].term, lx->e[i].term_n);
        size_t j = (size_t)h & lx->mask;
        while (lx->index[j].h)
            j = (j + 1) & lx->mask;
        lx->index[j].h = slot_hash(h);
        lx->index[j].idx = (int32_t)i;
        bits_set(lx->bloom, h);
    }
}

/* memcmp(a, b, n) == 0 for the few bytes of a word, without a call. */
static int same_bytes(const char *a, const char *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (a[i] != b[i])
            return 0;
    return 1;
}

static const struct entry *lex_probe(const struct lexicon *lx, uint64_t h,
                                     const char *k, size_t n);

/* The entry for a normalised term k (n bytes) whose tokens_hash is h, or
 * NULL. A token's hash is in the token, so words are not hashed again;
 * most words are not in the lexicon, which the Bloom bits say inline. */
static inline const struct entry *lex_find(const struct lexicon *lx, uint64_t h,
                                           const char *k, size_t n)
{
    if (!lx->index || !bloom_may(lx, h))
        return NULL;
    return lex_probe(lx, h, k, n);
}

static const struct entry *lex_probe(const struct lexicon *lx, uint64_t h,
                                     const char *k, size_t n)
{
    uint32_t hv = slot_hash(h);
    size_t j = (size_t)h & lx->mask;
    for (;;) {
        const struct slot *sl = &lx->index[j];
        if (!sl->h)
            return NULL;
        if (sl->h == hv) {
            const struct entry *e = &lx->e[sl->idx];
            if (e->term_n == n && same_bytes(e->term, k, n))
                return e;
        }
        j = (j + 1) & lx->mask;
    }
}

int sentiment_new(struct sentiment **out, struct err *err)
{
    struct sentiment *s = xcalloc(1, sizeof *s);
    struct tokens t = TOKENS_INIT;
    struct strbuf key = STRBUF_INIT;
    int rc = 0;
    static const char *const names[3][2] = {
        {NULL, NULL},
        {"sentiment-sv.tsv", "sentiment-rules-sv.tsv"},
        {"sentiment-en.tsv", "sentiment-rules-en.tsv"}};

    *out = NULL;
    s->emoji = strmap_new();
    for (int l = 0; l < 3; l++) {
        s->lex[l].map = strmap_new();
        s->lex[l].stems = NULL;
    }
    for (int l = 1; l < 3; l++) {
        if ((rc = load_lexicon(s, &s->lex[l], names[l][0], &t, &key, err)) <
                0 ||
            (rc = load_rules(s, &s->lex[l], names[l][1], &t, &key, err)) < 0)
            goto done;
        build_stems(&s->lex[l], (enum lang)l);
        build_index(&s->lex[l]);
        build_pairs(&s->lex[l]);
    }
    s->lex[0].stems = strmap_new();
    if ((rc = load_emoji(s, "sentiment-emoji.tsv", &t, err)) < 0)
        goto done;
    *out = s;
    s = NULL;
done:
    sentiment_free(s);
    tokens_dispose(&t);
    strbuf_dispose(&key);
    return rc;
}

void sentiment_free(struct sentiment *s)
{
    if (!s)
        return;
    for (int l = 0; l < 3; l++) {
        strmap_free(s->lex[l].map);
        strmap_free(s->lex[l].stems);
        free(s->lex[l].stem_pre);
        free(s->lex[l].index);
        free(s->lex[l].terms);
        free(s->lex[l].pairs);
        free(s->lex[l].bloom);
        free(s->lex[l].pairs_bloom);
        free(s->lex[l].e);
    }
    strmap_free(s->emoji);
    for (size_t i = 0; i < s->n_strings; i++)
        free(s->strings[i]);
    free(s->strings);
    free(s);
}

double sentiment_lookup(const struct sentiment *s, enum lang l,
                        const char *term)
{
    int64_t idx;
    if (l != LANG_SV && l != LANG_EN)
        return 0;
    size_t tn = strlen(term);
    const struct entry *e =
        lex_find(&s->lex[l], tokens_hash(term, tn), term, tn);
    if (e && (e->flags & E_SENT))
        return e->weight;
    if (strmap_get(s->emoji, term, strlen(term), &idx))
        return (double)idx / 1000;
    return 0;
}

/* ---- per-caller scratch ------------------------------------------------ */

/* How an unknown word was matched; cached per word. */
enum how { HOW_NONE, HOW_STEM, HOW_PREFIX, HOW_NEGPREFIX };

struct resolution {
    int32_t entry; /* -1: no match */
    uint8_t how;
    uint8_t plen; /* prefix bytes */
    uint8_t stem; /* the remainder matched by stem */
    float factor;
};

/* The resolution cache: how each word not in the lexicon was resolved
 * (by stem, prefix, or not at all), so a word is stemmed once per
 * scratch, not once per occurrence. Bounded: CACHE_SETS sets of
 * CACHE_WAYS entries (256 KiB), least recently used first out. Keyed by the
 * token's 64-bit hash mixed with the language, without the word: two words
 * would have to collide in 64 bits to be confused. */
#define CACHE_SETS 2048 /* power of two */
#define CACHE_WAYS 8

struct cset {
    struct {
        uint64_t key;  /* 0 = empty */
        uint64_t val;  /* res_pack */
    } way[CACHE_WAYS]; /* most recently used first: a hit is mostly in
                        * the set's first cache line */
};

/* Per-sentence state kept while scoring. */
struct event {
    int kind; /* E_CONTRAST or E_CONCESS */
    long tok;
    int sentence, clause;
    int first_in_sentence, at_clause_end;
};

/* The exclamation marks of a sentence, noted while scoring. */
struct bang {
    int sentence;
    int n;      /* marks */
    long first; /* token of the first */
};

struct sentiment_scratch {
    struct stemmer *stem[3];
    struct cset *cache; /* CACHE_SETS sets, allocated on first use */
    int *sent, *clause; /* per reason */
    size_t cap_meta;
    struct event *ev;
    size_t n_ev, cap_ev;
    struct bang *bang; /* sentences with '!', in order */
    size_t n_bang, cap_bang;
    struct strbuf key; /* phrase keys */
};

void sentiment_result_init(struct sentiment_result *r)
{
    struct sentiment_result z = SENTIMENT_RESULT_INIT;
    *r = z;
}

void sentiment_result_dispose(struct sentiment_result *r)
{
    if (!r)
        return;
    free(r->reasons);
    if (r->scratch) {
        for (int l = 0; l < 3; l++)
            stemmer_free(r->scratch->stem[l]);
        free(r->scratch->cache);
        free(r->scratch->sent);
        free(r->scratch->clause);
        free(r->scratch->ev);
        free(r->scratch->bang);
        strbuf_dispose(&r->scratch->key);
        free(r->scratch);
    }
    sentiment_result_init(r);
}

/* Looks a word up by stem. Returns the entry index or -1. */
static int32_t by_stem(const struct lexicon *lx, struct sentiment_scratch *sc,
                       enum lang l, const char *w, size_t n)
{
    int64_t idx;
    size_t sn;
    /* the test below fails for every term w lacks the prefix of */
    if (!pre_may(lx, w, n))
        return -1;
    if (!sc->stem[l]) {
        sc->stem[l] = stemmer_new(l);
        if (!sc->stem[l])
            return -1;
    }
    const char *st = stemmer_stem(sc->stem[l], w, n, &sn);
    if (!strmap_get(lx->stems, st, sn, &idx))
        return -1;
    /* The word must share all but the last two bytes of the term: the
     * Swedish stemmer cuts "-lig", so "här" would match "härlig" and
     * "skicka" "skicklig". */
    const char *term = lx->e[idx].term;
    size_t tn = lx->e[idx].term_n, k = 0;
    while (k < n && k < tn && w[k] == term[k])
        k++;
    return k + STEM_SLACK >= tn ? (int32_t)idx : -1;
}

static int32_t sent_entry(const struct lexicon *lx, const char *w, size_t n)
{
    const struct entry *e = lex_find(lx, tokens_hash(w, n), w, n);
    return e && (e->flags & E_SENT) ? (int32_t)(e - lx->e) : -1;
}

/* Resolves a word not in the lexicon: by stem, then as a compound with an
 * intensifying prefix, then with a negating prefix. Returns the index of
 * the prefix used in lx->pre or lx->negpre, else 0. */
static int resolve(const struct lexicon *lx, struct sentiment_scratch *sc,
                   enum lang l, const char *w, size_t n, struct resolution *r)
{
    r->entry = -1;
    r->how = HOW_NONE;
    r->plen = 0;
    r->stem = 0;
    r->factor = 1;
    if ((r->entry = by_stem(lx, sc, l, w, n)) >= 0) {
        r->how = HOW_STEM;
        r->stem = 1;
        return 0;
    }
    for (int pass = 0; pass < 2; pass++) {
        const struct prefix *pre = pass ? lx->negpre : lx->pre;
        int np = pass ? lx->n_negpre : lx->n_pre;
        for (int i = 0; i < np; i++) {
            size_t pl = pre[i].n;
            if (n <= pl + 1 || memcmp(w, pre[i].p, pl) != 0)
                continue;
            size_t rl = pl;
            if (w[rl] == '-')
                rl++;
            if (n - rl < (size_t)(pass ? 4 : 2))
                continue;
            int32_t e = sent_entry(lx, w + rl, n - rl);
            int stem = 0;
            if (e < 0 && n - rl >= 3) {
                e = by_stem(lx, sc, l, w + rl, n - rl);
                stem = e >= 0;
            }
            if (e < 0)
                continue;
            /* A negating prefix only turns positive words round. */
            if (pass && lx->e[e].weight <= 0)
                continue;
            r->entry = e;
            r->how = pass ? HOW_NEGPREFIX : HOW_PREFIX;
            r->plen = (uint8_t)rl;
            r->stem = (uint8_t)stem;
            r->factor = pre[i].factor;
            return i;
        }
    }
    return 0;
}

/* A resolution in 64 bits: the entry + 1, how, the prefix length, the
 * stem flag and which prefix (its factor is read from the lexicon). */
static uint64_t res_pack(const struct resolution *r, int pidx)
{
    return (uint64_t)(uint32_t)(r->entry + 1) | (uint64_t)r->how << 32 |
           (uint64_t)r->plen << 40 | (uint64_t)r->stem << 48 |
           (uint64_t)(uint8_t)pidx << 56;
}

static void res_unpack(const struct lexicon *lx, uint64_t v,
                       struct resolution *r)
{
    int pidx = (int)(v >> 56);
    r->entry = (int32_t)(uint32_t)v - 1;
    r->how = (uint8_t)(v >> 32);
    r->plen = (uint8_t)(v >> 40);
    r->stem = (uint8_t)(v >> 48);
    r->factor = r->how == HOW_PREFIX      ? lx->pre[pidx].factor
                : r->how == HOW_NEGPREFIX ? lx->negpre[pidx].factor
                                          : 1;
}

/* The cache key of a word with tokens_hash h in language l, and its set. */
static uint64_t cache_key(uint64_t h, enum lang l)
{
    h ^= (uint64_t)l * 0x9e3779b97f4a7c15ULL;
    return h ? h : 1;
}

static struct cset *cache_set(struct sentiment_scratch *sc, uint64_t key)
{
    return &sc->cache[(size_t)(key >> 7) & (CACHE_SETS - 1)];
}

/* resolve through the cache; h is the word's tokens_hash. */
static void resolve_cached(const struct lexicon *lx,
                           struct sentiment_scratch *sc, enum lang l,
                           uint64_t h, const char *w, size_t n,
                           struct resolution *r)
{
    h = cache_key(h, l);
    struct cset *set = cache_set(sc, h);
    int way = 0;
    uint64_t v;
    while (way < CACHE_WAYS && set->way[way].key != h)
        way++;
    if (way < CACHE_WAYS) {
        v = set->way[way].val;
        res_unpack(lx, v, r);
    } else {
        int pidx = resolve(lx, sc, l, w, n, r);
        v = res_pack(r, pidx);
        way = CACHE_WAYS - 1; /* the least recently used goes */
    }
    /* to the front */
    for (; way > 0; way--)
        set->way[way] = set->way[way - 1];
    set->way[0].key = h;
    set->way[0].val = v;
}

/* ---- scoring ----------------------------------------------------------- */

struct scorer {
    const struct sentiment *s;
    const struct lexicon *lx;
    enum lang l;
    const struct tokens *t;
    struct sentiment_result *out;
    struct sentiment_scratch *sc;
    int caps_ok; /* capitals are emphasis: the text is not all capitals */
    /* negation */
    long neg_tok;      /* the active negator, or -1 */
    int neg_left;      /* words left in its scope */
    int neg_used;      /* it negated a hit */
    float neg_alone;   /* its weight if it negates nothing */
    long last_word;    /* token index of the previous word */
    long last_hit_tok; /* token of the last hit, for back-negation */
    size_t last_hit;   /* its reason index */
    int last_hit_clause;
    /* a pending intensifier or dampener */
    long mod_tok;
    float mod_factor;
    int32_t mod_entry; /* its own entry (it may carry a weight) */
    int mod_negated;
    /* position */
    int sentence, clause, words_in_sentence, words_in_clause;
    int sentence_had_neg;
    long clause_neg_tok; /* a negator earlier in this clause, or -1 */
};

static struct sentiment_reason *add_reason(struct scorer *z, size_t tok,
                                           size_t ntok, const char *term,
                                           double base)
{
    struct sentiment_result *o = z->out;
    struct sentiment_scratch *sc = z->sc;
    if (o->n_reasons == o->cap_reasons)
        o->reasons = xgrow(o->reasons, &o->cap_reasons, o->n_reasons + 1,
                           sizeof *o->reasons);
    if (sc->cap_meta < o->cap_reasons) {
        sc->cap_meta = o->cap_reasons;
        sc->sent = xrealloc(sc->sent, sc->cap_meta * sizeof *sc->sent);
        sc->clause = xrealloc(sc->clause, sc->cap_meta * sizeof *sc->clause);
    }
    sc->sent[o->n_reasons] = z->sentence;
    sc->clause[o->n_reasons] = z->clause;
    struct sentiment_reason *r = &o->reasons[o->n_reasons++];
    r->token = tok;
    r->n_tokens = ntok;
    r->term = term;
    r->base = base;
    r->weight = base;
    r->n_rules = 0;
    return r;
}

static void add_rule(struct sentiment_reason *r, enum sentiment_rule_kind k,
                     double factor, long by, size_t len)
{
    if (r->n_rules >= SENTIMENT_MAX_RULES)
        return;
    struct sentiment_rule *u = &r->rules[r->n_rules++];
    u->kind = k;
    u->factor = factor;
    u->by = by;
    u->len = len;
}

static void negation_end(struct scorer *z);

/* Records a lexicon hit for tokens [tok, tok+ntok) with entry e. */
static void hit(struct scorer *z, size_t tok, size_t ntok,
                const struct entry *e, const struct resolution *res)
{
    struct sentiment_reason *r =
        add_reason(z, tok, ntok, e->term, (double)e->weight);
    double w = e->weight;
    z->out->hits++;
    if (res && res->stem)
        add_rule(r, SRULE_STEM, 1, -1, 0);
    if (res && res->how == HOW_PREFIX) {
        w *= res->factor;
        add_rule(r, SRULE_COMPOUND, res->factor, (long)tok, res->plen);
    } else if (res && res->how == HOW_NEGPREFIX) {
        w *= res->factor;
        add_rule(r, SRULE_NEG_PREFIX, res->factor, (long)tok, res->plen);
    }
    int negated = z->neg_tok >= 0 && z->neg_left > 0;
    if (z->mod_tok >= 0 && !negated) {
        w *= z->mod_factor;
        add_rule(r, z->mod_factor >= 1 ? SRULE_INTENSIFIED : SRULE_DAMPENED,
                 z->mod_factor, z->mod_tok, 0);
    }
    if (z->caps_ok && ntok == 1 && (z->t->v[tok].flags & TOKF_ALLCAPS)) {
        w *= CAPS_FACTOR;
        add_rule(r, SRULE_CAPS, CAPS_FACTOR, (long)tok, 0);
    }
    if (negated) {
        double f = w > 0 ? NEG_POS : NEG_NEG;
        w *= f;
        add_rule(r, SRULE_NEGATED, f, z->neg_tok, 0);
        z->neg_used = 1;
    }
    r->weight = w;
    z->mod_tok = -1;
    z->last_hit_tok = (long)(tok + ntok - 1);
    z->last_hit = z->out->n_reasons - 1;
    z->last_hit_clause = z->clause;
}

/* A pending modifier that modified nothing may still carry its own
 * weight ("super!"). */
static void modifier_expire(struct scorer *z)
{
    if (z->mod_tok < 0)
        return;
    long tok = z->mod_tok;
    int32_t e = z->mod_entry;
    z->mod_tok = -1;
    if (e >= 0 && (z->lx->e[e].flags & E_SENT)) {
        int saved_left = z->neg_left;
        if (!z->mod_negated)
            z->neg_left = 0;
        hit(z, (size_t)tok, 1, &z->lx->e[e], NULL);
        z->neg_left = saved_left;
    }
}

/* The negation scope ends: a negator that negated nothing may negate the
 * verb just before it (Swedish "rekommenderar inte"), else it counts on
 * its own: in comments, "fick inget svar" is a complaint. */
static void negation_end(struct scorer *z)
{
    if (z->neg_tok < 0)
        return;
    long nt = z->neg_tok;
    z->neg_tok = -1;
    z->neg_left = 0;
    if (z->neg_used)
        return;
    if (z->l == LANG_SV && z->last_hit_tok >= 0 &&
        z->last_hit_clause == z->clause && z->last_hit_tok < nt) {
        /* the hit right before, or with one pronoun between */
        long gap = 0;
        for (long k = z->last_hit_tok + 1; k < nt; k++) {
            const struct token *tk = &z->t->v[k];
            const struct entry *se;
            if (tk->kind != TOK_WORD ||
                !(se = lex_find(z->lx, tk->hash, tk->norm, tk->norm_n)) ||
                !(se->flags & E_SKIP))
                gap = 99;
            else
                gap++;
        }
        struct sentiment_reason *r = &z->out->reasons[z->last_hit];
        int already = 0;
        for (int k = 0; k < r->n_rules; k++)
            already |= r->rules[k].kind == SRULE_NEGATED;
        /* Only positive words: the verbs that come before "inte" are
         * "rekommenderar", "fungerar"; "tyvärr inte" and "fortfarande
         * inte" are adverbs of a complaint, not negated. */
        if (gap <= 1 && !already && r->weight > 0) {
            double f = r->weight > 0 ? NEG_POS : NEG_NEG;
            r->weight *= f;
            add_rule(r, SRULE_NEGATED, f, nt, 0);
            return;
        }
    }
    if (z->neg_alone != 0) {
        const struct token *tk = &z->t->v[nt];
        const struct entry *ne =
            lex_find(z->lx, tk->hash, tk->norm, tk->norm_n);
        struct sentiment_reason *r =
            add_reason(z, (size_t)nt, 1, ne ? ne->term : "", 0);
        r->weight = z->neg_alone;
        add_rule(r, SRULE_NEGATION_ALONE, z->neg_alone, nt, 0);
    }
}

static void clause_end(struct scorer *z)
{
    modifier_expire(z);
    negation_end(z);
    z->clause++;
    z->words_in_clause = 0;
    z->clause_neg_tok = -1;
}

static int is_clause_punct(const struct token *k)
{
    if (k->kind != TOK_PUNCT || k->raw_n > 3)
        return 0;
    unsigned char c = (unsigned char)k->raw[0];
    if (c < 0x80)
        return strchr(",;:.!?()[]-/\"", c) != NULL;
    /* … – — */
    return k->raw_n == 3 && c == 0xE2 && (unsigned char)k->raw[1] == 0x80 &&
           ((unsigned char)k->raw[2] == 0xA6 ||
            (unsigned char)k->raw[2] == 0x93 ||
            (unsigned char)k->raw[2] == 0x94);
}

static void push_event(struct scorer *z, int kind, size_t tok, int at_end)
{
    struct sentiment_scratch *sc = z->sc;
    if (sc->n_ev == sc->cap_ev)
        sc->ev = xgrow(sc->ev, &sc->cap_ev, sc->n_ev + 1, sizeof *sc->ev);
    struct event *e = &sc->ev[sc->n_ev++];
    e->kind = kind;
    e->tok = (long)tok;
    e->sentence = z->sentence;
    e->clause = z->clause;
    e->first_in_sentence = z->words_in_sentence == 0;
    e->at_clause_end = at_end;
}

/* Is token i+1 the end of a clause (or the text)? */
static int next_ends_clause(const struct tokens *t, size_t i)
{
    return i + 1 >= t->n || t->v[i + 1].sentence != t->v[i].sentence ||
           is_clause_punct(&t->v[i + 1]);
}

/* Tries the phrases that can start at token i. Returns the number of
 * tokens matched (0 if none) and the entry in *e. */
static size_t phrase_at(struct scorer *z, size_t i, const struct entry *head,
                        const struct entry **e)
{
    const struct tokens *t = z->t;
    struct strbuf *key = &z->sc->key;
    size_t ends[8];
    int words = 0;
    /* Terms of several words are keyed by their words joined with
     * spaces. When the first two words here hold no space (the words of
     * a term never do), a term can only match if it starts with these
     * two words, which the pairs table knows. */
    if (i + 1 >= t->n)
        return 0;
    const struct token *k0 = &t->v[i], *k1 = &t->v[i + 1];
    if ((k1->kind == TOK_WORD || k1->kind == TOK_NUMBER) &&
        k1->sentence == k0->sentence && !has_space(k0->norm, k0->norm_n) &&
        !has_space(k1->norm, k1->norm_n) &&
        !pair_known(z->lx, k0->hash, k1->hash))
        return 0;
    strbuf_reset(key);
    for (size_t j = i; j < t->n && words < head->max_words && words < 8; j++) {
        const struct token *k = &t->v[j];
        if ((k->kind != TOK_WORD && k->kind != TOK_NUMBER) ||
            k->sentence != t->v[i].sentence)
            break;
        if (words)
            strbuf_putc(key, ' ');
        strbuf_add(key, k->norm, k->norm_n);
        ends[words++] = key->n;
    }
    for (int w = words; w >= 2; w--) {
        const struct entry *pe = lex_find(
            z->lx, tokens_hash(key->p, ends[w - 1]), key->p, ends[w - 1]);
        if (pe) {
            *e = pe;
            return (size_t)w;
        }
    }
    return 0;
}

static void word(struct scorer *z, size_t *pi)
{
    const struct tokens *t = z->t;
    size_t i = *pi;
    const struct token *k = &t->v[i];
    const struct lexicon *lx = z->lx;
    const struct entry *e = NULL;
    size_t ntok = 1;

    if ((e = lex_find(lx, k->hash, k->norm, k->norm_n)) != NULL) {
        if (e->flags & E_HEAD) {
            const struct entry *pe;
            size_t m = phrase_at(z, i, e, &pe);
            if (m) {
                e = pe;
                ntok = m;
            }
        }
    }
    *pi = i + ntok - 1;
    z->words_in_clause++;

    if (e && (e->flags & E_NOTNEG) && z->neg_tok >= 0 &&
        z->last_word == z->neg_tok) {
        /* "inte bara", "not only": no negation */
        z->neg_tok = -1;
        z->neg_left = 0;
        goto next;
    }
    /* Swedish "utan" negates ("utan problem") unless a negation came
     * before it in the sentence: then it is "but rather". */
    if (e && (e->flags & E_OTHERWISE) && !(e->flags & E_SENT)) {
        clause_end(z);
        push_event(z, E_OTHERWISE, i, 0);
        z->words_in_clause = 0;
        goto next;
    }
    if (e && (e->flags & (E_CONTRAST | E_CONCESS)) && !(e->flags & E_SENT) &&
        !((e->flags & E_NEG) && !z->sentence_had_neg)) {
        int clause_init = z->words_in_clause == 1;
        if ((e->flags & E_CLAUSEINIT) && !clause_init)
            goto plain;
        /* "men också", "but also" add, they do not contrast */
        if (i + ntok < t->n) {
            const struct token *nx = &t->v[i + ntok];
            const struct entry *ne;
            if (nx->kind == TOK_WORD &&
                (ne = lex_find(lx, nx->hash, nx->norm, nx->norm_n)) &&
                (ne->flags & E_ADDITIVE))
                goto next;
        }
        clause_end(z);
        push_event(z, (e->flags & E_CONTRAST) ? E_CONTRAST : E_CONCESS, i,
                   next_ends_clause(t, i + ntok - 1));
        z->words_in_clause = 0;
        goto next;
    }
    if (e && (e->flags & E_NEG) && !(e->flags & E_SENT)) {
        modifier_expire(z);
        negation_end(z);
        z->neg_tok = (long)i;
        z->neg_left = NEG_SCOPE;
        z->neg_used = 0;
        z->neg_alone = e->alone;
        z->sentence_had_neg = 1;
        z->clause_neg_tok = (long)i;
        z->last_word = (long)i;
        return;
    }
    if (e && (e->flags & E_REPEAT) && !(e->flags & E_SENT)) {
        /* "köper aldrig härifrån igen", "will not shop here again": no
         * return visit, wherever the negation stood in the clause */
        if (z->clause_neg_tok >= 0) {
            struct sentiment_reason *r =
                add_reason(z, i, 1, e->term, (double)e->factor);
            r->weight = -(double)e->factor;
            add_rule(r, SRULE_NEGATED, -1, z->clause_neg_tok, 0);
            z->out->hits++;
            if (z->neg_tok >= 0)
                z->neg_used = 1;
        }
        goto next;
    }
    if (e && (e->flags & E_INT)) {
        if (z->mod_tok >= 0 && z->last_word == z->mod_tok) {
            /* chained: "really very good" */
            z->mod_factor *= e->factor;
        } else {
            modifier_expire(z);
            z->mod_factor = e->factor;
            z->mod_entry = (e->flags & E_SENT) ? (int32_t)(e - lx->e) : -1;
            z->mod_negated = z->neg_tok >= 0 && z->neg_left > 0;
        }
        z->mod_tok = (long)i;
        z->last_word = (long)(i + ntok - 1);
        return;
    }
plain:
    if (e && (e->flags & E_SENT)) {
        if (e->weight != 0) /* 0: listed only to block a wrong match */
            hit(z, i, ntok, e, NULL);
    } else if ((!e || !(e->flags & ~(E_HEAD | E_NOSTEM | E_SKIP))) &&
               k->kind == TOK_WORD && k->norm_n >= MIN_STEM_LEN) {
        struct resolution r;
        resolve_cached(lx, z->sc, z->l, k->hash, k->norm, k->norm_n, &r);
        if (r.entry >= 0)
            hit(z, i, 1, &lx->e[r.entry], &r);
    }
next:
    /* A modifier lasts one word; the negation scope counts words. */
    if (z->mod_tok >= 0 && z->mod_tok != (long)i)
        modifier_expire(z);
    if (z->neg_tok >= 0 && z->neg_tok != (long)i && --z->neg_left <= 0)
        negation_end(z);
    z->last_word = (long)(i + ntok - 1);
}

/* Applies contrast events to the hits of their sentence. */
static void apply_events(struct scorer *z)
{
    struct sentiment_result *o = z->out;
    struct sentiment_scratch *sc = z->sc;
    for (size_t v = 0; v < sc->n_ev; v++) {
        const struct event *ev = &sc->ev[v];
        if (ev->kind == E_OTHERWISE) {
            /* "Late delivery. Otherwise fine.": the rest of the sentence
             * is an afterthought */
            for (size_t r = 0; r < o->n_reasons; r++) {
                struct sentiment_reason *h = &o->reasons[r];
                if (sc->sent[r] == ev->sentence && (long)h->token > ev->tok) {
                    h->weight *= OTHERWISE;
                    add_rule(h, SRULE_OTHERWISE, OTHERWISE, ev->tok, 0);
                }
            }
            continue;
        }
        int adversative = ev->kind == E_CONTRAST || ev->at_clause_end;
        /* "men"/"but" with nothing before it in its sentence reaches
         * back to the previous sentence. */
        int before_sentence = ev->sentence;
        int any_before = 0;
        for (size_t r = 0; r < o->n_reasons; r++)
            if (sc->sent[r] == ev->sentence &&
                (long)o->reasons[r].token < ev->tok)
                any_before = 1;
        if (adversative && !any_before && ev->sentence > 0)
            before_sentence = ev->sentence - 1;
        for (size_t r = 0; r < o->n_reasons; r++) {
            struct sentiment_reason *h = &o->reasons[r];
            long tok = (long)h->token;
            double f = 1;
            enum sentiment_rule_kind kind = SRULE_CONTRAST_AFTER;
            if (adversative) {
                if (ev->at_clause_end && ev->kind == E_CONCESS) {
                    /* "..., expensive though": its own clause counts */
                    if (sc->sent[r] == ev->sentence &&
                        sc->clause[r] == ev->clause - 1)
                        f = CONTRAST_AFTER;
                    else if (sc->sent[r] == ev->sentence && tok < ev->tok)
                        f = CONTRAST_BEFORE, kind = SRULE_CONTRAST_BEFORE;
                } else if (tok > ev->tok && sc->sent[r] == ev->sentence) {
                    f = CONTRAST_AFTER;
                } else if (tok < ev->tok && sc->sent[r] == before_sentence) {
                    f = CONTRAST_BEFORE;
                    kind = SRULE_CONTRAST_BEFORE;
                }
            } else if (sc->sent[r] == ev->sentence) {
                /* "även om X, Y" / "Y, although X": X is conceded */
                if (tok > ev->tok && sc->clause[r] == ev->clause) {
                    f = CONCESSIVE;
                    kind = SRULE_CONCESSIVE;
                } else {
                    f = CONTRAST_AFTER;
                }
            }
            if (f != 1) {
                h->weight *= f;
                add_rule(h, kind, f, ev->tok, 0);
            }
        }
    }
}

/* Adds weight for exclamation marks in the direction of each sentence. */
static void apply_exclamations(struct scorer *z)
{
    struct sentiment_result *o = z->out;
    const struct sentiment_scratch *sc = z->sc;
    size_t r = 0;
    size_t n_hits = o->n_reasons;
    /* reasons are in sentence order, so are the sentences with '!' */
    for (size_t b = 0; b < sc->n_bang; b++) {
        int s = sc->bang[b].sentence, bangs = sc->bang[b].n;
        long first = sc->bang[b].first;
        double sum = 0;
        while (r < n_hits && sc->sent[r] < s)
            r++;
        while (r < n_hits && sc->sent[r] == s)
            sum += o->reasons[r++].weight;
        if (sum == 0)
            continue;
        double add =
            (sum > 0 ? 1 : -1) * EXCLAIM_STEP * (bangs < 3 ? bangs : 3);
        z->sentence = s;
        struct sentiment_reason *h = add_reason(z, (size_t)first, 1, "!", 0);
        h->weight = add;
        add_rule(h, SRULE_EXCLAMATION, add, first, 0);
    }
}

static int cmp_reason(const void *a, const void *b)
{
    const struct sentiment_reason *x = a, *y = b;
    return x->token < y->token ? -1 : x->token > y->token;
}

void sentiment_score(const struct sentiment *s, enum lang l,
                     const struct tokens *t, struct sentiment_result *out)
{
    out->score = 0;
    out->label = SENTIMENT_NEUTRAL;
    out->sum = out->pos = out->neg = 0;
    out->hits = 0;
    out->n_reasons = 0;
    if (!out->scratch) {
        out->scratch = xcalloc(1, sizeof *out->scratch);
        out->scratch->cache = xcalloc(CACHE_SETS, sizeof *out->scratch->cache);
        strbuf_init(&out->scratch->key, 0);
    }
    out->scratch->n_ev = 0;
    out->scratch->n_bang = 0;
    if (l != LANG_SV && l != LANG_EN)
        return;

    struct scorer z = {0};
    z.s = s;
    z.lx = &s->lex[l];
    z.l = l;
    z.t = t;
    z.out = out;
    z.sc = out->scratch;
    z.neg_tok = z.mod_tok = z.last_word = z.last_hit_tok = -1;
    z.clause_neg_tok = -1;
    z.mod_entry = -1;

    size_t caps = 0, words = 0;
    for (size_t i = 0; i < t->n; i++) {
        if (t->v[i].kind == TOK_WORD && t->v[i].raw_n >= 2) {
            words++;
            caps += (t->v[i].flags & TOKF_ALLCAPS) != 0;
        }
    }
    z.caps_ok = caps * 2 < words;

    for (size_t i = 0; i < t->n; i++) {
        const struct token *k = &t->v[i];
        if (k->sentence != z.sentence) {
            clause_end(&z);
            z.sentence = k->sentence;
            z.words_in_sentence = 0;
            z.sentence_had_neg = 0;
        }
        switch (k->kind) {
        case TOK_WORD:
        case TOK_NUMBER:
            word(&z, &i);
            z.words_in_sentence++;
            break;
        case TOK_EMOJI:
        case TOK_EMOTICON: {
            int64_t w;
            if (strmap_get(s->emoji, k->norm, k->norm_n, &w)) {
                struct sentiment_reason *r =
                    add_reason(&z, i, 1, k->norm, (double)w / 1000);
                add_rule(r, SRULE_EMOJI, 1, (long)i, 0);
                out->hits++;
            }
            break;
        }
        case TOK_PUNCT:
            if (k->raw[0] == '!') {
                struct sentiment_scratch *sc = z.sc;
                if (!sc->n_bang ||
                    sc->bang[sc->n_bang - 1].sentence != k->sentence) {
                    if (sc->n_bang == sc->cap_bang)
                        sc->bang = xgrow(sc->bang, &sc->cap_bang,
                                         sc->n_bang + 1, sizeof *sc->bang);
                    sc->bang[sc->n_bang].sentence = k->sentence;
                    sc->bang[sc->n_bang].n = 0;
                    sc->bang[sc->n_bang].first = (long)i;
                    sc->n_bang++;
                }
                sc->bang[sc->n_bang - 1].n++;
            }
            if (is_clause_punct(k))
                clause_end(&z);
            break;
        default:
            break;
        }
    }
    clause_end(&z);
    apply_events(&z);
    apply_exclamations(&z);
    /* Late reasons (lone negators, exclamations) go into token order. */
    if (out->n_reasons > 1)
        qsort(out->reasons, out->n_reasons, sizeof *out->reasons, cmp_reason);

    for (size_t r = 0; r < out->n_reasons; r++) {
        double w = out->reasons[r].weight;
        out->sum += w;
        if (w > 0)
            out->pos += w;
        else
            out->neg -= w;
    }
    out->score = out->sum / sqrt(out->sum * out->sum + NORM_ALPHA);
    if (out->pos >= MIXED_MIN && out->neg >= MIXED_MIN &&
        fmin(out->pos, out->neg) >= MIXED_RATIO * fmax(out->pos, out->neg))
        out->label = SENTIMENT_MIXED;
    else if (out->score >= SENTIMENT_NEUTRAL_BAND)
        out->label = SENTIMENT_POSITIVE;
    else if (out->score <= -SENTIMENT_NEUTRAL_BAND)
        out->label = SENTIMENT_NEGATIVE;
}

const char *sentiment_label_name(enum sentiment_label l)
{
    switch (l) {
    case SENTIMENT_POSITIVE:
        return "positive";
    case SENTIMENT_NEGATIVE:
        return "negative";
    case SENTIMENT_MIXED:
        return "mixed";
    default:
        return "neutral";
    }
}

static int put_tok(struct strbuf *b, const struct tokens *t, long by)
{
    if (by < 0 || (size_t)by >= t->n)
        return strbuf_puts(b, "?");
    return strbuf_add(b, t->v[by].raw, t->v[by].raw_n);
}

int sentiment_rule_format(struct strbuf *b, const struct sentiment_rule *r,
                          const struct tokens *t)
{
    int rc = 0;
    switch (r->kind) {
    case SRULE_STEM:
        return strbuf_puts(b, "stem");
    case SRULE_NEGATED:
        if ((rc = strbuf_puts(b, "negated by '")) < 0 ||
            (rc = put_tok(b, t, r->by)) < 0)
            return rc;
        return strbuf_printf(b, "': \xc3\x97%.2g", r->factor);
    case SRULE_INTENSIFIED:
    case SRULE_DAMPENED:
        if ((rc = strbuf_printf(b, "\xc3\x97%.2g %s by '", r->factor,
                                r->kind == SRULE_INTENSIFIED ? "intensified"
                                                             : "dampened")) <
                0 ||
            (rc = put_tok(b, t, r->by)) < 0)
            return rc;
        return strbuf_puts(b, "'");
    case SRULE_COMPOUND:
    case SRULE_NEG_PREFIX:
        if (r->by >= 0 && (size_t)r->by < t->n) {
            const struct token *k = &t->v[r->by];
            size_t n = r->len < k->norm_n ? r->len : k->norm_n;
            if (n && k->norm[n - 1] == '-')
                n--;
            if ((rc = strbuf_puts(b, r->kind == SRULE_COMPOUND
                                         ? "compound "
                                         : "negating prefix ")) < 0 ||
                (rc = strbuf_add(b, k->norm, n)) < 0)
                return rc;
        }
        return strbuf_printf(b, "-: \xc3\x97%.2g", r->factor);
    case SRULE_CONTRAST_BEFORE:
    case SRULE_CONTRAST_AFTER:
        if ((rc = strbuf_puts(b, r->kind == SRULE_CONTRAST_BEFORE
                                     ? "before '"
                                     : "after '")) < 0 ||
            (rc = put_tok(b, t, r->by)) < 0)
            return rc;
        return strbuf_printf(b, "': \xc3\x97%.2g", r->factor);
    case SRULE_CONCESSIVE:
        if ((rc = strbuf_puts(b, "conceded after '")) < 0 ||
            (rc = put_tok(b, t, r->by)) < 0)
            return rc;
        return strbuf_printf(b, "': \xc3\x97%.2g", r->factor);
    case SRULE_OTHERWISE:
        if ((rc = strbuf_puts(b, "after '")) < 0 ||
            (rc = put_tok(b, t, r->by)) < 0)
            return rc;
        return strbuf_printf(b, "' (otherwise): \xc3\x97%.2g", r->factor);
    case SRULE_CAPS:
        return strbuf_printf(b, "CAPS: \xc3\x97%.2g", r->factor);
    case SRULE_EXCLAMATION:
        return strbuf_printf(b, "exclamation: %+.2g", r->factor);
    case SRULE_NEGATION_ALONE:
        if ((rc = strbuf_puts(b, "negation without a sentiment word '")) < 0 ||
            (rc = put_tok(b, t, r->by)) < 0)
            return rc;
        return strbuf_printf(b, "': %+.2g", r->factor);
    case SRULE_EMOJI:
        if ((rc = strbuf_puts(b, "emoji ")) < 0)
            return rc;
        return put_tok(b, t, r->by);
    }
    return 0;
}
