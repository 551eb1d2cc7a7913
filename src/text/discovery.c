/* Candidate themes from comments no theme matched: collocations over
 * stemmed content words, grouped by shared stems (discovery.h). */
#include "text/discovery.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/strbuf.h"
#include "core/strmap.h"
#include "core/xalloc.h"
#include "text/sentiment.h"
#include "text/stopwords.h"
#include "text/tokenize.h"

#define G2_MIN 10.83 /* chi-square(1) at p = 0.001 */
#define MIN_WORD_BYTES 3
#define MAX_CANDS 400 /* phrases considered for grouping */

/* Words too general to name a theme, beyond the stop words: numbers,
 * amounts, time, and the commonest verbs and adverbs. They break phrases
 * as stop words do. */
static const char *const generic_sv[] = {
    "ett",        "två",       "tre",        "fyra",    "fem",    "sex",
    "sju",        "åtta",      "nio",        "tio",     "första", "andra",
    "tredje",     "lite",      "massa",      "gång",    "gången", "gånger",
    "dag",        "dagen",     "dagar",      "vecka",   "veckan", "veckor",
    "månad",      "månaden",   "månader",    "år",      "året",   "tid",
    "tiden",      "idag",      "igår",       "imorgon", "nytt",   "nya",
    "ny",         "direkt",    "aldrig",     "alltid",  "redan",  "fortfarande",
    "tillbaka",   "också",     "väl",        "ens",     "både",   "även",
    "annars",     "övrigt",    "bara",       "få",      "gå",     "går",
    "gick",       "gått",      "se",         "ser",     "såg",    "sett",
    "ta",         "tar",       "tog",        "tagit",   "komma",  "kom",
    "kommit",     "hitta",     "hittade",    "säga",    "sa",     "sade",
    "behöver",    "behövde",   "kunna",      "vill",    "ville",  "verkar",
    "finns",      "fanns",     "sätt",       "saker",   "sak",    "något",
    "allting",    "ingenting", "ok",         "okej",    "tack",   "hej",
    "hallå",      "mvh",       "hälsningar", "all",     "känns",  "kändes",
    "känna",      "känner",    "nästan",     "ofta",    "precis", "borta",
    "egentligen", "faktiskt",  "verkligen",  "tycker",  "tyckte", "tror",
    "trodde"};
static const char *const generic_en[] = {
    "one",     "two",        "three",  "four",      "five",      "six",
    "ten",     "first",      "second", "third",     "time",      "times",
    "day",     "days",       "week",   "weeks",     "month",     "months",
    "year",    "years",      "today",  "yesterday", "new",       "bit",
    "lot",     "lots",       "never",  "always",    "already",   "still",
    "back",    "even",       "else",   "really",    "quite",     "make",
    "made",    "take",       "took",   "taken",     "come",      "came",
    "see",     "saw",        "seen",   "find",      "found",     "say",
    "said",    "need",       "needed", "want",      "wanted",    "seem",
    "seems",   "way",        "thing",  "things",    "something", "anything",
    "nothing", "everything", "okay",   "thanks",    "thank",     "hello",
    "regards", "went",       "going",  "get",       "gets",      "feel",
    "feels",   "felt",       "think",  "thought",   "almost",    "often",
    "actually"};

/* An n-gram of 1..3 word ids; words of one language only. */
struct gram {
    int32_t w[3];
    int n;
    int64_t count, docs, last_doc;
    int cluster; /* -1 none */
    enum lang lang;
};

struct word {
    int opinion;         /* the sentiment lexicon scores it: not a topic */
    char *surface;       /* the most frequent written form */
    int64_t best;        /* its count */
    int64_t left, right; /* as first / second word of an adjacent pair */
};

struct doc {
    char *text;
    size_t n;
    enum lang lang;
};

struct discovery {
    const struct sentiment *se;
    struct stopwords *stop[3];
    struct stemmer *stem[3];
    struct tokens tok;
    struct strbuf key;

    struct strmap *word_ids; /* "L" + stem -> word */
    struct word *words;
    size_t n_words, cap_words;
    struct strmap *surfaces; /* word id (4 bytes) + surface -> count */

    struct strmap *gram_ids; /* n + ids -> gram */
    struct gram *grams;
    size_t n_grams, cap_grams;
    int64_t pairs; /* adjacent pairs seen, for G2 */

    struct doc *docs;
    size_t n_docs, cap_docs;
    int32_t *seq; /* the current run of content words */
    size_t seq_cap;
    struct strmap *generic; /* generic words of both languages */
    struct tokens one;      /* a single word, to score it */
    struct sentiment_result sr;
};

int discovery_new(struct discovery **out, const struct sentiment *se,
                  struct err *err)
{
    struct discovery *d = xcalloc(1, sizeof *d);
    *out = NULL;
    d->se = se;
    for (enum lang l = LANG_SV; l <= LANG_EN; l++) {
        struct err e = ERR_INIT;
        if (stopwords_new(&d->stop[l], l, &e) < 0) {
            err_set(err, ERR_INTERNAL, "%s", e.msg);
            discovery_free(d);
            return ERR_INTERNAL;
        }
        d->stem[l] = stemmer_new(l);
    }
    tokens_init(&d->tok);
    strbuf_init(&d->key, 0);
    d->word_ids = strmap_new();
    d->surfaces = strmap_new();
    d->gram_ids = strmap_new();
    d->generic = strmap_new();
    tokens_init(&d->one);
    sentiment_result_init(&d->sr);
    for (size_t i = 0; i < sizeof generic_sv / sizeof *generic_sv; i++)
        strmap_put(d->generic, generic_sv[i], strlen(generic_sv[i]), 1);
    for (size_t i = 0; i < sizeof generic_en / sizeof *generic_en; i++)
        strmap_put(d->generic, generic_en[i], strlen(generic_en[i]), 1);
    *out = d;
    return 0;
}

void discovery_free(struct discovery *d)
{
    if (!d)
        return;
    for (int l = 0; l < 3; l++) {
        stopwords_free(d->stop[l]);
        stemmer_free(d->stem[l]);
    }
    tokens_dispose(&d->tok);
    strbuf_dispose(&d->key);
    for (size_t i = 0; i < d->n_words; i++)
        free(d->words[i].surface);
    free(d->words);
    for (size_t i = 0; i < d->n_docs; i++)
        free(d->docs[i].text);
    free(d->docs);
    free(d->grams);
    free(d->seq);
    strmap_free(d->word_ids);
    strmap_free(d->surfaces);
    strmap_free(d->gram_ids);
    strmap_free(d->generic);
    tokens_dispose(&d->one);
    sentiment_result_dispose(&d->sr);
    free(d);
}

size_t discovery_count(const struct discovery *d)
{
    return d->n_docs;
}

/* A content word: a word of 3+ bytes with a letter, not a stop word, a
 * generic word or an opinion word. */
static int content(const struct discovery *d, const struct token *k,
                   enum lang l)
{
    int letter = 0;
    if (k->kind != TOK_WORD || k->norm_n < MIN_WORD_BYTES)
        return 0;
    for (size_t i = 0; i < k->norm_n && !letter; i++) {
        unsigned char c = (unsigned char)k->norm[i];
        letter = c >= 0x80 || (c >= 'a' && c <= 'z');
    }
    return letter && !stopwords_has(d->stop[l], k->norm, k->norm_n) &&
           !strmap_get(d->generic, k->norm, k->norm_n, NULL);
}

/* Whether the sentiment lexicon scores a word on its own (its stem,
 * compounds such as "jättebra" and the prefix o- included). */
static int opinion(struct discovery *d, const struct token *k, enum lang l)
{
    struct err e = ERR_INIT;
    if (!d->se || tokenize_text(&d->one, k->norm, k->norm_n, &e) < 0)
        return 0;
    sentiment_score(d->se, l, &d->one, &d->sr);
    return d->sr.hits > 0;
}

/* The id of a word by its stem; create adds it (counting its written
 * form), else -1 when unknown. */
static int32_t word_id(struct discovery *d, const struct token *k, enum lang l,
                       int create)
{
    size_t sn;
    const char *s = stemmer_stem(d->stem[l], k->norm, k->norm_n, &sn);
    int64_t id;
    strbuf_reset(&d->key);
    strbuf_putc(&d->key, (char)('0' + l));
    /* accents folded, so "lagenheten" typed without them is the same
     * word; the written form shown is the commonest one */
    for (size_t i = 0; i < sn; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == 0xC3 && i + 1 < sn) {
            unsigned char e = (unsigned char)s[++i];
            strbuf_putc(&d->key, e == 0xB6 || e == 0xB8   ? 'o'
                                 : e == 0xA9 || e == 0xA8 ? 'e'
                                 : e == 0xBC              ? 'u'
                                 : e == 0xA5 || e == 0xA4 || e == 0xA6
                                     ? 'a'
                                     : (char)e);
        } else {
            strbuf_putc(&d->key, (char)c);
        }
    }
    if (!strmap_get(d->word_ids, d->key.p, d->key.n, &id)) {
        if (!create)
            return -1;
        id = (int64_t)d->n_words;
        d->words =
            xgrow(d->words, &d->cap_words, d->n_words + 1, sizeof *d->words);
        memset(&d->words[d->n_words++], 0, sizeof *d->words);
        strmap_put(d->word_ids, d->key.p, d->key.n, id);
        d->words[id].opinion = opinion(d, k, l);
    }
    if (create) {
        struct word *w = &d->words[id];
        int32_t i32 = (int32_t)id;
        int64_t c = 0;
        strbuf_reset(&d->key);
        strbuf_add(&d->key, &i32, sizeof i32);
        strbuf_add(&d->key, k->norm, k->norm_n);
        strmap_get(d->surfaces, d->key.p, d->key.n, &c);
        strmap_put(d->surfaces, d->key.p, d->key.n, ++c);
        if (c > w->best) {
            w->best = c;
            free(w->surface);
            w->surface = xstrndup(k->norm, k->norm_n);
        }
    }
    return (int32_t)id;
}

static int32_t gram_id(struct discovery *d, const int32_t *w, int n,
                       enum lang l, int create)
{
    int64_t id;
    char key[13];
    key[0] = (char)n;
    memcpy(key + 1, w, (size_t)n * sizeof *w);
    size_t kn = 1 + (size_t)n * sizeof *w;
    if (strmap_get(d->gram_ids, key, kn, &id))
        return (int32_t)id;
    if (!create)
        return -1;
    d->grams = xgrow(d->grams, &d->cap_grams, d->n_grams + 1, sizeof *d->grams);
    struct gram *g = &d->grams[d->n_grams];
    memset(g, 0, sizeof *g);
    memcpy(g->w, w, (size_t)n * sizeof *w);
    g->n = n;
    g->last_doc = -1;
    g->cluster = -1;
    g->lang = l;
    strmap_put(d->gram_ids, key, kn, (int64_t)d->n_grams);
    return (int32_t)d->n_grams++;
}

static void count_gram(struct discovery *d, int32_t g, int64_t doc)
{
    struct gram *x = &d->grams[g];
    x->count++;
    if (x->last_doc != doc) {
        x->last_doc = doc;
        x->docs++;
    }
}

/* Walks the content words of the tokens in d->tok. Counting (hits NULL)
 * adds words and n-grams; otherwise the n-grams present (known ones
 * only) are appended to hits. */
static void walk(struct discovery *d, enum lang l, int64_t doc, int32_t *hits,
                 size_t *n_hits, size_t max_hits)
{
    size_t run = 0;
    int sentence = -1;
    const int create = hits == NULL;
    d->seq = xgrow(d->seq, &d->seq_cap, 3, sizeof *d->seq);
    for (size_t i = 0; i < d->tok.n; i++) {
        const struct token *k = &d->tok.v[i];
        if (k->sentence != sentence) {
            sentence = k->sentence;
            run = 0;
        }
        if (!content(d, k, l)) {
            run = 0;
            continue;
        }
        int32_t w = word_id(d, k, l, create);
        if (w < 0 || d->words[w].opinion) {
            run = 0;
            continue;
        }
        /* keep the last three words of the run */
        if (run == 3) {
            d->seq[0] = d->seq[1];
            d->seq[1] = d->seq[2];
            run = 2;
        }
        d->seq[run++] = w;
        for (int n = 1; n <= 3 && (size_t)n <= run; n++) {
            int32_t g = gram_id(d, d->seq + run - (size_t)n, n, l, create);
            if (g < 0)
                continue;
            if (create) {
                count_gram(d, g, doc);
                if (n == 2) {
                    d->words[d->seq[run - 2]].left++;
                    d->words[w].right++;
                    d->pairs++;
                }
            } else if (*n_hits < max_hits) {
                hits[(*n_hits)++] = g;
            }
        }
    }
}

int discovery_add(struct discovery *d, const char *text, size_t n, enum lang l,
                  struct err *err)
{
    int rc;
    if (l != LANG_SV && l != LANG_EN)
        return 0;
    if ((rc = tokenize_text(&d->tok, text, n, err)) < 0)
        return rc;
    d->docs = xgrow(d->docs, &d->cap_docs, d->n_docs + 1, sizeof *d->docs);
    struct doc *doc = &d->docs[d->n_docs];
    doc->text = xstrndup(text, n);
    doc->n = n;
    doc->lang = l;
    walk(d, l, (int64_t)d->n_docs, NULL, NULL, 0);
    d->n_docs++;
    return 0;
}

/* ---- scoring ---- */

static double xlogx(double o, double e)
{
    return o > 0 ? o * log(o / e) : 0;
}

/* Dunning's log-likelihood of the 2x2 table of a bigram (first word
 * left, second word right) over all adjacent pairs. */
static double g2(const struct discovery *d, const struct gram *g)
{
    double n = (double)d->pairs;
    double o11 = (double)g->count;
    double r1 = (double)d->words[g->w[0]].left;
    double c1 = (double)d->words[g->w[1]].right;
    double o12 = r1 - o11, o21 = c1 - o11, o22 = n - r1 - c1 + o11;
    double e11 = r1 * c1 / n, e12 = r1 * (n - c1) / n;
    double e21 = (n - r1) * c1 / n, e22 = (n - r1) * (n - c1) / n;
    if (n <= 0 || o11 <= e11 || o22 < 0)
        return 0;
    return 2 * (xlogx(o11, e11) + xlogx(o12, e12) + xlogx(o21, e21) +
                xlogx(o22, e22));
}

struct cand {
    int32_t g;
    double g2;
};

static int cand_cmp(const void *a, const void *b, const struct discovery *d)
{
    const struct cand *x = a, *y = b;
    const struct gram *gx = &d->grams[x->g], *gy = &d->grams[y->g];
    int mx = gx->n > 1, my = gy->n > 1;
    if (mx != my)
        return my - mx; /* phrases before single words */
    if (gx->docs != gy->docs)
        return gx->docs < gy->docs ? 1 : -1;
    if (gx->n != gy->n)
        return gy->n - gx->n;
    return x->g - y->g;
}

/* qsort has no context argument in C11: sort indexes with a static
 * pointer would be hidden state, so this is a plain insertion-merge. */
static void sort_cands(struct cand *v, size_t n, const struct discovery *d)
{
    if (n < 2)
        return;
    size_t h = n / 2;
    sort_cands(v, h, d);
    sort_cands(v + h, n - h, d);
    struct cand *tmp = xmalloc(n * sizeof *tmp);
    size_t i = 0, j = h, k = 0;
    while (i < h && j < n)
        tmp[k++] = cand_cmp(&v[j], &v[i], d) < 0 ? v[j++] : v[i++];
    while (i < h)
        tmp[k++] = v[i++];
    while (j < n)
        tmp[k++] = v[j++];
    memcpy(v, tmp, n * sizeof *v);
    free(tmp);
}

static void gram_text(const struct discovery *d, const struct gram *g,
                      struct strbuf *b)
{
    for (int i = 0; i < g->n; i++) {
        if (i)
            strbuf_putc(b, ' ');
        const char *s = d->words[g->w[i]].surface;
        strbuf_puts(b, s ? s : "?");
    }
}

/* A key from a word: a-z, 0-9 and '_', accents folded. */
static char *make_key(const char *s)
{
    struct strbuf b;
    strbuf_init(&b, 0);
    for (size_t i = 0; s[i] && b.n < 40; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == 0xC3 && s[i + 1]) {
            unsigned char e = (unsigned char)s[++i];
            strbuf_putc(&b, e == 0xB6 || e == 0xB8   ? 'o'
                            : e == 0xA9 || e == 0xA8 ? 'e'
                            : e == 0xBC              ? 'u'
                                                     : 'a');
        } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
            strbuf_putc(&b, (char)c);
        } else if (c < 0x80 && b.n && b.p[b.n - 1] != '_') {
            strbuf_putc(&b, '_');
        }
    }
    if (!b.n)
        strbuf_puts(&b, "theme");
    return strbuf_detach(&b, NULL);
}

/* The comments (indexes, ascending) a candidate phrase occurs in. */
struct doclist {
    int32_t *v;
    size_t n, cap;
};

static size_t overlap(const struct doclist *a, const struct doclist *b)
{
    size_t i = 0, j = 0, k = 0;
    while (i < a->n && j < b->n) {
        if (a->v[i] < b->v[j])
            i++;
        else if (a->v[i] > b->v[j])
            j++;
        else {
            k++;
            i++;
            j++;
        }
    }
    return k;
}

struct cluster {
    int32_t seed;
    size_t seed_cand; /* its index among the candidates */
    int32_t core[3];
    int n_core;
    int32_t *phrases;
    size_t n_phrases;
    int64_t docs;
    /* best examples: doc index and its phrase hits */
    int64_t ex_doc[8];
    int ex_hits[8];
    int n_ex;
};

static int shares_stem(const struct cluster *c, const struct gram *g)
{
    for (int i = 0; i < g->n; i++)
        for (int k = 0; k < c->n_core; k++)
            if (g->w[i] == c->core[k])
                return 1;
    return 0;
}

static void consider_example(struct cluster *c, int64_t doc, int hits, int max)
{
    /* more phrase hits first; among equals the later comment */
    int at = c->n_ex;
    while (at > 0 && c->ex_hits[at - 1] <= hits)
        at--;
    if (at >= max)
        return;
    int last = c->n_ex < max ? c->n_ex : max - 1;
    for (int i = last; i > at; i--) {
        c->ex_doc[i] = c->ex_doc[i - 1];
        c->ex_hits[i] = c->ex_hits[i - 1];
    }
    c->ex_doc[at] = doc;
    c->ex_hits[at] = hits;
    if (c->n_ex < max)
        c->n_ex++;
}

int discovery_run(struct discovery_result **out, struct discovery *d,
                  const struct discovery_opts *o, struct err *err)
{
    struct discovery_result *r = xcalloc(1, sizeof *r);
    struct cand *cands = NULL;
    struct cluster *cl = NULL;
    size_t nc = 0, ncl = 0, cap_cl = 0;
    int max_ex = o->max_examples > 8 ? 8 : o->max_examples;
    (void)err;
    *out = r;
    r->comments = (int64_t)d->n_docs;

    /* 1. candidate phrases */
    cands = xmalloc((d->n_grams ? d->n_grams : 1) * sizeof *cands);
    for (size_t i = 0; i < d->n_grams; i++) {
        struct gram *g = &d->grams[i];
        double s = 0;
        if (g->docs < o->min_docs)
            continue;
        if (g->n == 2) {
            if ((s = g2(d, g)) < G2_MIN)
                continue;
        } else if (g->n == 3) {
            int32_t a[2] = {g->w[0], g->w[1]}, b[2] = {g->w[1], g->w[2]};
            int32_t ga = gram_id(d, a, 2, g->lang, 0);
            int32_t gb = gram_id(d, b, 2, g->lang, 0);
            if (ga < 0 || gb < 0)
                continue;
            double sa = g2(d, &d->grams[ga]), sb = g2(d, &d->grams[gb]);
            if ((s = sa < sb ? sa : sb) < G2_MIN)
                continue;
        } else if (g->docs < 2 * (int64_t)o->min_docs) {
            continue; /* a single word must be twice as common */
        }
        cands[nc].g = (int32_t)i;
        cands[nc].g2 = s;
        nc++;
    }
    sort_cands(cands, nc, d);
    if (nc > MAX_CANDS)
        nc = MAX_CANDS;

    /* the comments each candidate phrase occurs in */
    struct doclist *dl = xcalloc(nc ? nc : 1, sizeof *dl);
    int *cand_of = xmalloc((d->n_grams ? d->n_grams : 1) * sizeof *cand_of);
    int32_t hits[256];
    for (size_t i = 0; i < d->n_grams; i++)
        cand_of[i] = -1;
    for (size_t i = 0; i < nc; i++)
        cand_of[cands[i].g] = (int)i;
    for (size_t doc = 0; doc < d->n_docs && nc; doc++) {
        struct err e = ERR_INIT;
        size_t nh = 0;
        if (tokenize_text(&d->tok, d->docs[doc].text, d->docs[doc].n, &e) < 0)
            continue;
        walk(d, d->docs[doc].lang, (int64_t)doc, hits, &nh,
             sizeof hits / sizeof hits[0]);
        for (size_t h = 0; h < nh; h++) {
            int c = cand_of[hits[h]];
            if (c < 0 || (dl[c].n && dl[c].v[dl[c].n - 1] == (int32_t)doc))
                continue;
            dl[c].v = xgrow(dl[c].v, &dl[c].cap, dl[c].n + 1, sizeof *dl[c].v);
            dl[c].v[dl[c].n++] = (int32_t)doc;
        }
    }

    /* 2. group: a phrase joins the first candidate of its language that
     * shares a stem with, or mostly occurs together with, its seed */
    size_t max_cl = (size_t)o->max_themes * 3;
    for (size_t i = 0; i < nc; i++) {
        struct gram *g = &d->grams[cands[i].g];
        size_t k;
        for (k = 0; k < ncl; k++) {
            if (d->grams[cl[k].seed].lang != g->lang)
                continue;
            const struct doclist *a = &dl[i], *b = &dl[cl[k].seed_cand];
            size_t small = a->n < b->n ? a->n : b->n;
            if (shares_stem(&cl[k], g) || (small && 2 * overlap(a, b) >= small))
                break;
        }
        if (k == ncl) {
            if (ncl >= max_cl)
                continue;
            cl = xgrow(cl, &cap_cl, ncl + 1, sizeof *cl);
            memset(&cl[ncl], 0, sizeof *cl);
            cl[ncl].seed = cands[i].g;
            cl[ncl].seed_cand = i;
            cl[ncl].n_core = g->n;
            memcpy(cl[ncl].core, g->w, (size_t)g->n * sizeof *g->w);
            ncl++;
        }
        if (cl[k].n_phrases >= (size_t)o->max_phrases)
            continue;
        cl[k].phrases = xrealloc(cl[k].phrases,
                                 (cl[k].n_phrases + 1) * sizeof *cl[k].phrases);
        cl[k].phrases[cl[k].n_phrases++] = cands[i].g;
        g->cluster = (int)k;
    }
    for (size_t i = 0; i < nc; i++)
        free(dl[i].v);
    free(dl);
    free(cand_of);

    /* 3. comments per candidate, and examples */
    int *seen = xcalloc(ncl ? ncl : 1, sizeof *seen);
    for (size_t doc = 0; doc < d->n_docs && ncl; doc++) {
        struct err e = ERR_INIT;
        size_t nh = 0;
        if (tokenize_text(&d->tok, d->docs[doc].text, d->docs[doc].n, &e) < 0)
            continue;
        walk(d, d->docs[doc].lang, (int64_t)doc, hits, &nh,
             sizeof hits / sizeof hits[0]);
        memset(seen, 0, ncl * sizeof *seen);
        for (size_t h = 0; h < nh; h++) {
            int c = d->grams[hits[h]].cluster;
            if (c >= 0)
                seen[c]++;
        }
        for (size_t c = 0; c < ncl; c++) {
            if (!seen[c])
                continue;
            cl[c].docs++;
            consider_example(&cl[c], (int64_t)doc, seen[c], max_ex);
        }
    }
    free(seen);

    /* 4. the largest candidates, described */
    for (size_t i = 0; i < ncl; i++) /* order by docs, stable */
        for (size_t j = i + 1; j < ncl; j++)
            if (cl[j].docs > cl[i].docs) {
                struct cluster t = cl[i];
                cl[i] = cl[j];
                cl[j] = t;
            }
    size_t keep = ncl < (size_t)o->max_themes ? ncl : (size_t)o->max_themes;
    r->v = xcalloc(keep ? keep : 1, sizeof *r->v);
    struct strbuf b;
    strbuf_init(&b, 0);
    for (size_t i = 0; i < keep; i++) {
        struct cluster *c = &cl[i];
        struct discovery_theme *t = &r->v[r->n++];
        const struct gram *seed = &d->grams[c->seed];
        t->lang = seed->lang;
        t->docs = c->docs;
        t->phrases = xcalloc(c->n_phrases, sizeof *t->phrases);
        for (size_t k = 0; k < c->n_phrases; k++) {
            const struct gram *g = &d->grams[c->phrases[k]];
            strbuf_reset(&b);
            gram_text(d, g, &b);
            t->phrases[k].text = xstrdup(strbuf_str(&b));
            t->phrases[k].words = g->n;
            t->phrases[k].docs = g->docs;
            t->phrases[k].g2 = g->n == 1 ? 0 : g2(d, g);
        }
        t->n_phrases = c->n_phrases;
        /* key: the seed's most common word */
        int32_t top = seed->w[0];
        for (int k = 1; k < seed->n; k++) {
            int32_t a[1] = {seed->w[k]}, b0[1] = {top};
            int32_t ga = gram_id(d, a, 1, seed->lang, 0);
            int32_t gb = gram_id(d, b0, 1, seed->lang, 0);
            if (ga >= 0 && gb >= 0 && d->grams[ga].docs > d->grams[gb].docs)
                top = seed->w[k];
        }
        t->key = make_key(d->words[top].surface ? d->words[top].surface : "");
        t->label = xstrdup(t->phrases[0].text);
        if (t->label[0] >= 'a' && t->label[0] <= 'z')
            t->label[0] = (char)(t->label[0] - 'a' + 'A');
        t->examples =
            xcalloc((size_t)(c->n_ex ? c->n_ex : 1), sizeof *t->examples);
        for (int k = 0; k < c->n_ex; k++)
            t->examples[t->n_examples++] = xstrdup(d->docs[c->ex_doc[k]].text);
        strbuf_reset(&b);
        strbuf_printf(&b, "%s\t%s\t%s\t", t->key, lang_code(t->lang), t->label);
        for (size_t k = 0; k < t->n_phrases; k++)
            strbuf_printf(&b, "%s%s", k ? ", " : "", t->phrases[k].text);
        t->tsv = strbuf_detach(&b, NULL);
    }
    strbuf_dispose(&b);
    for (size_t i = 0; i < ncl; i++)
        free(cl[i].phrases);
    free(cl);
    free(cands);
    return 0;
}

void discovery_result_free(struct discovery_result *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->n; i++) {
        struct discovery_theme *t = &r->v[i];
        for (size_t k = 0; k < t->n_phrases; k++)
            free(t->phrases[k].text);
        free(t->phrases);
        for (size_t k = 0; k < t->n_examples; k++)
            free(t->examples[k]);
        free(t->examples);
        free(t->key);
        free(t->label);
        free(t->tsv);
    }
    free(r->v);
    free(r);
}
