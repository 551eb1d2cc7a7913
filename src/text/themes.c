/* Theme taxonomies and term matching. Terms are indexed per language by
 * stem and by accent-folded form (hash maps), and by folded prefix and
 * suffix (byte tries), so a token costs two hash lookups and two short
 * trie walks however large the taxonomy. */
#include "text/themes.h"

#include <stdarg.h>
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

#define N_LANG 3     /* indexed by enum lang; LANG_OTHER holds nothing */
#define MAX_AFFIX 64 /* longest wildcard word, bytes */

enum wmode { W_EXACT, W_PREFIX, W_SUFFIX, W_INFIX };

struct tword {
    enum wmode mode;
    char *fold; /* accent-folded normalised form (the pattern) */
    size_t fold_n;
    char *stem; /* W_EXACT: stem in the term's language */
    size_t stem_n;
};

struct term {
    int theme;
    enum lang lang;
    size_t w0; /* first word in words[] */
    int nw;
};

struct theme {
    char *key;
    char *label[N_LANG];
    int parent;
};

/* A chain of terms sharing an index key. */
struct ent {
    int term;
    int next;
};

/* A byte trie of wildcard words: prefixes read forwards, suffixes
 * backwards. A token walks it once, collecting the chains of the nodes
 * it passes: no hashing per possible affix length. */
struct tnode {
    int child;   /* first child, -1 none */
    int sibling; /* next child of the parent, -1 none */
    int chain;   /* terms ending here, -1 none */
    unsigned char byte;
};

struct trie {
    struct tnode *v;
    size_t n, cap;
    /* the root's children by first byte (0 = none): most words leave the
     * trie at its first byte, so that step must not scan a sibling list */
    int root[256];
};

struct index {
    struct strmap *stem, *fold;
    struct trie prefix, suffix;
    int *infix; /* terms whose first word is *w* */
    size_t n_infix, infix_cap;
};

struct themes {
    struct theme *v;
    size_t n, cap;
    struct strmap *keys; /* key -> theme */
    struct term *terms;
    size_t n_terms, terms_cap;
    struct tword *words;
    size_t n_words, words_cap;
    struct ent *ents;
    size_t n_ents, ents_cap;
    struct index idx[N_LANG];
};

/* ---- accent folding: å ä æ -> a, ö ø -> o, é è -> e, ü -> u ---- */

static void fold_into(struct strbuf *b, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == 0xC3 && i + 1 < n) {
            unsigned char d = (unsigned char)s[i + 1];
            char r = 0;
            if (d == 0xA5 || d == 0xA4 || d == 0xA6 || d == 0xA0 || d == 0xA1 ||
                d == 0xA2)
                r = 'a';
            else if (d == 0xB6 || d == 0xB8 || d == 0xB3 || d == 0xB4)
                r = 'o';
            else if (d == 0xA9 || d == 0xA8 || d == 0xAA || d == 0xAB)
                r = 'e';
            else if (d == 0xBC || d == 0xBA || d == 0xB9)
                r = 'u';
            if (r) {
                strbuf_putc(b, r);
                i++;
                continue;
            }
        }
        strbuf_putc(b, (char)c);
    }
}

/* ---- building ---- */

struct themes *themes_new(void)
{
    struct themes *t = xcalloc(1, sizeof *t);
    t->keys = strmap_new();
    for (int l = 0; l < N_LANG; l++) {
        t->idx[l].stem = strmap_new();
        t->idx[l].fold = strmap_new();
    }
    return t;
}

void themes_free(struct themes *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->n; i++) {
        free(t->v[i].key);
        for (int l = 0; l < N_LANG; l++)
            free(t->v[i].label[l]);
    }
    for (size_t i = 0; i < t->n_words; i++) {
        free(t->words[i].fold);
        free(t->words[i].stem);
    }
    for (int l = 0; l < N_LANG; l++) {
        strmap_free(t->idx[l].stem);
        strmap_free(t->idx[l].fold);
        free(t->idx[l].prefix.v);
        free(t->idx[l].suffix.v);
        free(t->idx[l].infix);
    }
    strmap_free(t->keys);
    free(t->v);
    free(t->terms);
    free(t->words);
    free(t->ents);
    free(t);
}

static void chain_add(struct themes *t, struct strmap *m, const char *k,
                      size_t n, int term)
{
    int64_t head = -1;
    strmap_get(m, k, n, &head);
    t->ents = xgrow(t->ents, &t->ents_cap, t->n_ents + 1, sizeof *t->ents);
    t->ents[t->n_ents].term = term;
    t->ents[t->n_ents].next = (int)head;
    strmap_put(m, k, n, (int64_t)t->n_ents);
    t->n_ents++;
}

static int trie_node(struct trie *tr, unsigned char byte)
{
    tr->v = xgrow(tr->v, &tr->cap, tr->n + 1, sizeof *tr->v);
    struct tnode *nd = &tr->v[tr->n];
    nd->child = nd->sibling = nd->chain = -1;
    nd->byte = byte;
    return (int)tr->n++;
}

/* Adds term under w[0..n), read forwards (dir 1) or backwards (-1). */
static void trie_add(struct themes *t, struct trie *tr, const char *w, size_t n,
                     int dir, int term)
{
    int at;
    if (!tr->n)
        trie_node(tr, 0); /* the root */
    at = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)w[dir > 0 ? i : n - 1 - i];
        int k = tr->v[at].child;
        while (k >= 0 && tr->v[k].byte != c)
            k = tr->v[k].sibling;
        if (k < 0) {
            k = trie_node(tr, c);
            tr->v[k].sibling = tr->v[at].child;
            tr->v[at].child = k;
            if (at == 0)
                tr->root[c] = k;
        }
        at = k;
    }
    t->ents = xgrow(t->ents, &t->ents_cap, t->n_ents + 1, sizeof *t->ents);
    t->ents[t->n_ents].term = term;
    t->ents[t->n_ents].next = tr->v[at].chain;
    tr->v[at].chain = (int)t->n_ents++;
}

/* Indexes a term under its first word. */
static void index_term(struct themes *t, int term)
{
    const struct term *tm = &t->terms[term];
    const struct tword *w = &t->words[tm->w0];
    struct index *ix = &t->idx[tm->lang];
    switch (w->mode) {
    case W_EXACT:
        if (w->stem_n)
            chain_add(t, ix->stem, w->stem, w->stem_n, term);
        chain_add(t, ix->fold, w->fold, w->fold_n, term);
        break;
    case W_PREFIX:
        trie_add(t, &ix->prefix, w->fold, w->fold_n, 1, term);
        break;
    case W_SUFFIX:
        trie_add(t, &ix->suffix, w->fold, w->fold_n, -1, term);
        break;
    case W_INFIX:
        ix->infix = xgrow(ix->infix, &ix->infix_cap, ix->n_infix + 1,
                          sizeof *ix->infix);
        ix->infix[ix->n_infix++] = term;
        break;
    }
}

/* Parsing state for one buffer. */
struct parse {
    struct themes *t;
    const char *name;
    long line;
    struct tokens tok;
    struct strbuf fold;
    struct stemmer *stem[N_LANG];
};

static int bad(struct parse *p, const char *line, const char *at,
               struct err *err, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static int bad(struct parse *p, const char *line, const char *at,
               struct err *err, const char *fmt, ...)
{
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return err_at(err, ERR_INVALID, p->name, p->line, (long)(at - line) + 1,
                  "%s", msg);
}

static int valid_utf8(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned char c = (unsigned char)s[i];
        size_t k = c < 0x80                ? 1
                   : c >= 0xC2 && c < 0xE0 ? 2
                   : c >= 0xE0 && c < 0xF0 ? 3
                   : c >= 0xF0 && c < 0xF5 ? 4
                                           : 0;
        if (!k || i + k > n)
            return 0;
        for (size_t j = 1; j < k; j++)
            if (((unsigned char)s[i + j] & 0xC0) != 0x80)
                return 0;
        i += k;
    }
    return 1;
}

static void trim(const char **s, size_t *n)
{
    while (*n && (**s == ' ' || **s == '\t')) {
        (*s)++;
        (*n)--;
    }
    while (*n && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t'))
        (*n)--;
}

static int valid_key(const char *k, size_t n)
{
    int slashes = 0;
    if (!n || n > THEMES_MAX_KEY || k[0] == '/' || k[n - 1] == '/')
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = k[i];
        if (c == '/') {
            if (++slashes > 1)
                return 0;
        } else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                     c == '_' || c == '-')) {
            return 0;
        }
    }
    return 1;
}

/* The theme with key k, created if new. */
static int theme_get(struct parse *p, const char *line, const char *k, size_t n,
                     int *out, struct err *err)
{
    struct themes *t = p->t;
    int64_t v;
    if (strmap_get(t->keys, k, n, &v)) {
        *out = (int)v;
        return 0;
    }
    int parent = -1;
    const char *slash = memchr(k, '/', n);
    if (slash) {
        if (!strmap_get(t->keys, k, (size_t)(slash - k), &v))
            return bad(p, line, k, err,
                       "theme \"%.*s\": define its parent \"%.*s\" first",
                       (int)n, k, (int)(slash - k), k);
        parent = (int)v;
    }
    if (t->n >= THEMES_MAX_THEMES)
        return bad(p, line, k, err, "more than %d themes", THEMES_MAX_THEMES);
    t->v = xgrow(t->v, &t->cap, t->n + 1, sizeof *t->v);
    struct theme *th = &t->v[t->n];
    memset(th, 0, sizeof *th);
    th->key = xstrndup(k, n);
    th->parent = parent;
    strmap_put(t->keys, k, n, (int64_t)t->n);
    *out = (int)t->n++;
    return 0;
}

/* Adds one word of a term. */
static void word_add(struct parse *p, enum lang l, enum wmode mode,
                     const char *norm, size_t n)
{
    struct themes *t = p->t;
    t->words = xgrow(t->words, &t->words_cap, t->n_words + 1, sizeof *t->words);
    struct tword *w = &t->words[t->n_words++];
    memset(w, 0, sizeof *w);
    w->mode = mode;
    strbuf_reset(&p->fold);
    fold_into(&p->fold, norm, n);
    w->fold = strbuf_detach(&p->fold, &w->fold_n);
    if (mode == W_EXACT && p->stem[l]) {
        size_t sn;
        const char *s = stemmer_stem(p->stem[l], norm, n, &sn);
        w->stem = xstrndup(s, sn);
        w->stem_n = sn;
    }
}

/* Parses one term (a comma-separated item) for theme th in language l. */
static int term_add(struct parse *p, const char *line, const char *s, size_t n,
                    int th, enum lang l, struct err *err)
{
    struct themes *t = p->t;
    size_t w0 = t->n_words;
    int nw = 0, rc;
    size_t i = 0;
    while (i < n) {
        while (i < n && s[i] == ' ')
            i++;
        if (i >= n)
            break;
        size_t j = i;
        while (j < n && s[j] != ' ')
            j++;
        const char *c = s + i;
        size_t cn = j - i;
        int pre = 0, suf = 0;
        if (cn && c[0] == '*') {
            suf = 1; /* "*w": the word ends with w */
            c++;
            cn--;
        }
        if (cn && c[cn - 1] == '*') {
            pre = 1; /* "w*": the word starts with w */
            cn--;
        }
        struct err e = ERR_INIT;
        if (!cn || memchr(c, '*', cn))
            rc = bad(p, line, s + i, err,
                     "'*' may only start or end a word of a term");
        else if ((rc = tokenize_text(&p->tok, c, cn, &e)) < 0)
            rc = bad(p, line, s + i, err, "term: %s", e.msg);
        else if (p->tok.n == 0)
            rc = bad(p, line, s + i, err, "term \"%.*s\" has no word", (int)cn,
                     c);
        else if ((pre || suf) && p->tok.n != 1)
            rc = bad(p, line, s + i, err,
                     "a wildcard must be on a single word, got \"%.*s\"",
                     (int)cn, c);
        else if (nw + (int)p->tok.n > THEMES_MAX_WORDS)
            rc = bad(p, line, s, err, "a phrase has at most %d words",
                     THEMES_MAX_WORDS);
        else if ((pre || suf) && p->tok.v[0].norm_n >= MAX_AFFIX)
            rc = bad(p, line, s + i, err,
                     "a wildcard word has at most %d "
                     "bytes",
                     MAX_AFFIX - 1);
        if (rc < 0)
            goto fail;
        enum wmode mode = pre && suf ? W_INFIX
                          : pre      ? W_PREFIX
                          : suf      ? W_SUFFIX
                                     : W_EXACT;
        for (size_t k = 0; k < p->tok.n; k++)
            word_add(p, l, mode, p->tok.v[k].norm, p->tok.v[k].norm_n);
        nw += (int)p->tok.n;
        i = j;
    }
    if (nw == 0)
        return 0;
    t->terms = xgrow(t->terms, &t->terms_cap, t->n_terms + 1, sizeof *t->terms);
    struct term *tm = &t->terms[t->n_terms];
    tm->theme = th;
    tm->lang = l;
    tm->w0 = w0;
    tm->nw = nw;
    index_term(t, (int)t->n_terms);
    t->n_terms++;
    return 0;
fail:
    /* forget the words of the bad term */
    for (size_t k = w0; k < t->n_words; k++) {
        free(t->words[k].fold);
        free(t->words[k].stem);
    }
    t->n_words = w0;
    return rc;
}

static int parse_line(struct parse *p, const char *line, size_t n,
                      struct err *err)
{
    const char *f[4];
    size_t fn[4];
    int nf = 0;
    size_t i = 0;
    int rc, th = -1;
    while (nf < 4) {
        size_t j = i;
        while (j < n && line[j] != '\t')
            j++;
        f[nf] = line + i;
        fn[nf] = j - i;
        nf++;
        if (j >= n)
            break;
        i = j + 1;
        if (nf == 4 && i <= n) /* more tabs: the rest is the terms */
            fn[3] = n - (size_t)(f[3] - line);
    }
    if (nf < 3)
        return bad(p, line, line + n, err,
                   "expected key TAB lang TAB label [TAB terms]");
    if (nf == 4 && memchr(f[3], '\t', fn[3]))
        return bad(p, line, (const char *)memchr(f[3], '\t', fn[3]), err,
                   "too many columns (terms are separated by commas)");
    if (!valid_utf8(line, n))
        return bad(p, line, line, err, "invalid UTF-8");
    for (int k = 0; k < nf; k++)
        trim(&f[k], &fn[k]);
    if (!valid_key(f[0], fn[0]))
        return bad(p, line, f[0], err,
                   "a theme key is 1..%d characters a-z, 0-9, '_' or '-', "
                   "with at most one '/', got \"%.*s\"",
                   THEMES_MAX_KEY, (int)(fn[0] > 40 ? 40 : fn[0]), f[0]);
    enum lang langs[2];
    int nl = 0;
    if (fn[1] == 1 && f[1][0] == '*') {
        langs[nl++] = LANG_SV;
        langs[nl++] = LANG_EN;
    } else if (fn[1] == 2 && !memcmp(f[1], "sv", 2)) {
        langs[nl++] = LANG_SV;
    } else if (fn[1] == 2 && !memcmp(f[1], "en", 2)) {
        langs[nl++] = LANG_EN;
    } else {
        return bad(p, line, f[1], err,
                   "language must be sv, en or *, got "
                   "\"%.*s\"",
                   (int)(fn[1] > 20 ? 20 : fn[1]), f[1]);
    }
    if (fn[2] > THEMES_MAX_LABEL)
        return bad(p, line, f[2], err, "a label has at most %d bytes",
                   THEMES_MAX_LABEL);
    if ((rc = theme_get(p, line, f[0], fn[0], &th, err)) < 0)
        return rc;
    for (int k = 0; k < nl; k++) {
        char **label = &p->t->v[th].label[langs[k]];
        if (!*label && fn[2])
            *label = xstrndup(f[2], fn[2]);
    }
    if (nf < 4)
        return 0;
    const char *s = f[3];
    size_t left = fn[3];
    while (left) {
        const char *c = memchr(s, ',', left);
        size_t tn = c ? (size_t)(c - s) : left;
        const char *term = s;
        size_t termn = tn;
        trim(&term, &termn);
        for (int k = 0; k < nl && termn; k++)
            if ((rc = term_add(p, line, term, termn, th, langs[k], err)) < 0)
                return rc;
        if (!c)
            break;
        s = c + 1;
        left -= tn + 1;
    }
    return 0;
}

int themes_parse(struct themes *t, const char *buf, size_t len,
                 const char *name, struct err *err)
{
    struct parse p;
    int rc = 0;
    size_t pos = 0;

    if (len > THEMES_MAX_INPUT)
        return err_set(err, ERR_INVALID,
                       "%s: taxonomy too large (%zu bytes, "
                       "at most %u)",
                       name, len, (unsigned)THEMES_MAX_INPUT);
    memset(&p, 0, sizeof p);
    p.t = t;
    p.name = name ? name : "";
    tokens_init(&p.tok);
    strbuf_init(&p.fold, 0);
    p.stem[LANG_SV] = stemmer_new(LANG_SV);
    p.stem[LANG_EN] = stemmer_new(LANG_EN);
    if (len >= 3 && !memcmp(buf, "\xEF\xBB\xBF", 3))
        pos = 3;
    while (pos < len) {
        size_t s = pos, e = s;
        while (e < len && buf[e] != '\n')
            e++;
        pos = e < len ? e + 1 : e;
        p.line++;
        size_t n = e - s;
        if (n && buf[s + n - 1] == '\r')
            n--;
        const char *line = buf + s;
        size_t k = 0;
        while (k < n && (line[k] == ' ' || line[k] == '\t'))
            k++;
        if (k == n || line[k] == '#')
            continue;
        if (memchr(line, 0, n)) {
            rc = err_at(err, ERR_INVALID, p.name, p.line, 1,
                        "NUL byte in the taxonomy");
            break;
        }
        if ((rc = parse_line(&p, line, n, err)) < 0)
            break;
    }
    tokens_dispose(&p.tok);
    strbuf_dispose(&p.fold);
    stemmer_free(p.stem[LANG_SV]);
    stemmer_free(p.stem[LANG_EN]);
    return rc;
}

int themes_load(struct themes *t, const char *path, struct err *err)
{
    FILE *f = fopen(path, "rb");
    struct strbuf b;
    char chunk[65536];
    size_t got;
    int rc = 0;
    if (!f)
        return err_set(err, ERR_IO, "%s: cannot open the taxonomy", path);
    strbuf_init(&b, THEMES_MAX_INPUT + 1);
    while ((got = fread(chunk, 1, sizeof chunk, f)) > 0)
        if (strbuf_add(&b, chunk, got) < 0) {
            rc = err_set(err, ERR_INVALID,
                         "%s: taxonomy too large (at most "
                         "%u bytes)",
                         path, (unsigned)THEMES_MAX_INPUT);
            break;
        }
    if (!rc && ferror(f))
        rc = err_set(err, ERR_IO, "%s: cannot read the taxonomy", path);
    fclose(f);
    if (!rc)
        rc = themes_parse(t, b.p ? b.p : "", b.n, path, err);
    strbuf_dispose(&b);
    return rc;
}

int themes_add_default(struct themes *t, struct err *err)
{
    static const char *const files[] = {"themes-sv.tsv", "themes-en.tsv"};
    for (size_t i = 0; i < 2; i++) {
        const struct asset *a = textdata_find(files[i]);
        struct err e = ERR_INIT;
        if (!a)
            return err_set(err, ERR_INTERNAL, "%s is not built in", files[i]);
        if (themes_parse(t, (const char *)a->data, a->len, files[i], &e) < 0)
            return err_set(err, ERR_INTERNAL, "built-in taxonomy: %s: %s",
                           e.where, e.msg);
    }
    return 0;
}

int themes_build(struct themes **out, const char *extra, size_t extra_n,
                 const char *extra_name, int replace, struct err *err)
{
    struct themes *t = themes_new();
    int rc = 0;
    *out = NULL;
    if (!(replace && extra) && (rc = themes_add_default(t, err)) < 0)
        goto done;
    if (extra && (rc = themes_parse(t, extra, extra_n, extra_name, err)) < 0)
        goto done;
    *out = t;
    t = NULL;
done:
    themes_free(t);
    return rc;
}

/* ---- reading ---- */

size_t themes_count(const struct themes *t)
{
    return t->n;
}

const char *themes_key(const struct themes *t, size_t i)
{
    return i < t->n ? t->v[i].key : "";
}

const char *themes_label(const struct themes *t, size_t i, enum lang l)
{
    if (i >= t->n)
        return "";
    const struct theme *th = &t->v[i];
    if ((l == LANG_SV || l == LANG_EN) && th->label[l])
        return th->label[l];
    if (th->label[LANG_SV])
        return th->label[LANG_SV];
    if (th->label[LANG_EN])
        return th->label[LANG_EN];
    return th->key;
}

int themes_parent(const struct themes *t, size_t i)
{
    return i < t->n ? t->v[i].parent : -1;
}

int themes_find(const struct themes *t, const char *key, size_t n)
{
    int64_t v;
    return strmap_get(t->keys, key, n, &v) ? (int)v : -1;
}

size_t themes_term_count(const struct themes *t)
{
    return t->n_terms;
}

/* ---- matching ---- */

void theme_hits_init(struct theme_hits *h)
{
    memset(h, 0, sizeof *h);
    strbuf_init(&h->pool, 0);
    for (int l = 0; l < 3; l++)
        strbuf_init(&h->stem_pool[l], 0);
}

void theme_hits_dispose(struct theme_hits *h)
{
    if (!h)
        return;
    free(h->v);
    free(h->scratch);
    strbuf_dispose(&h->pool);
    for (int l = 0; l < 3; l++) {
        strmap_free(h->stem_cache[l]);
        strbuf_dispose(&h->stem_pool[l]);
        strmap_free(h->cand_cache[l]);
    }
    free(h->cand_pool);
    theme_hits_init(h);
}

/* Entries a stem cache may hold before it is emptied: comment vocabulary
 * is Zipfian, so a bounded cache keeps nearly every hit. */
#define STEM_CACHE_MAX 100000

/* The stem of a normalised word, from the cache or the stemmer. Returns a
 * pointer into the cache's pool, valid until the next call. */
static const char *cached_stem(struct theme_hits *h, enum lang l,
                               struct stemmer *st, const char *w, size_t n,
                               size_t *out_n)
{
    int64_t v;
    struct strbuf *sp = &h->stem_pool[l];
    if (!h->stem_cache[l])
        h->stem_cache[l] = strmap_new();
    if (strmap_get(h->stem_cache[l], w, n, &v)) {
        *out_n = (size_t)(v & 0xffff);
        return sp->p + (v >> 16);
    }
    if (strmap_count(h->stem_cache[l]) >= STEM_CACHE_MAX) {
        strmap_free(h->stem_cache[l]);
        h->stem_cache[l] = strmap_new();
        strbuf_reset(sp);
    }
    size_t sn;
    const char *s = stemmer_stem(st, w, n, &sn);
    if (sn > 0xffff)
        sn = 0xffff;
    size_t off = sp->n;
    strbuf_add(sp, s, sn);
    strmap_put(h->stem_cache[l], w, n, (int64_t)(off << 16 | sn));
    *out_n = sn;
    return sp->p + off;
}

/* A token as the matcher sees it: folded form and stem, in a scratch
 * buffer. */
struct mtok {
    size_t fold_off, fold_n;
    size_t stem_off, stem_n; /* valid once stem_done */
    int word;                /* a word or number: can match a term word */
    int stem_done, fold_done;
};

static int word_matches(const struct tword *w, const char *fold, size_t fn,
                        const char *stem, size_t sn)
{
    switch (w->mode) {
    case W_EXACT:
        return (w->fold_n == fn && !memcmp(w->fold, fold, fn)) ||
               (w->stem_n && w->stem_n == sn && !memcmp(w->stem, stem, sn));
    case W_PREFIX:
        return fn >= w->fold_n && !memcmp(fold, w->fold, w->fold_n);
    case W_SUFFIX:
        return fn >= w->fold_n &&
               !memcmp(fold + fn - w->fold_n, w->fold, w->fold_n);
    case W_INFIX:
        if (fn < w->fold_n)
            return 0;
        for (size_t i = 0; i + w->fold_n <= fn; i++)
            if (!memcmp(fold + i, w->fold, w->fold_n))
                return 1;
        return 0;
    }
    return 0;
}

/* Candidate terms for token i, deduplicated, into cand. */
struct cands {
    int v[64];
    int n;
};

static void cand_add(struct cands *c, int term)
{
    int k;
    for (k = 0; k < c->n && c->v[k] != term; k++)
        ;
    if (k == c->n && c->n < (int)(sizeof c->v / sizeof c->v[0]))
        c->v[c->n++] = term;
}

static void cand_chain(const struct themes *t, struct cands *c, int64_t head)
{
    for (int e = (int)head; e >= 0; e = t->ents[e].next)
        cand_add(c, t->ents[e].term);
}

/* Collects the terms of every trie node the word w passes through. */
static void trie_walk(const struct themes *t, const struct trie *tr,
                      const char *w, size_t n, int dir, struct cands *c)
{
    int at;
    if (!tr->n || !n)
        return;
    at = tr->root[(unsigned char)w[dir > 0 ? 0 : n - 1]];
    if (!at)
        return;
    if (tr->v[at].chain >= 0)
        cand_chain(t, c, tr->v[at].chain);
    for (size_t i = 1; i < n; i++) {
        unsigned char b = (unsigned char)w[dir > 0 ? i : n - 1 - i];
        int k = tr->v[at].child;
        while (k >= 0 && tr->v[k].byte != b)
            k = tr->v[k].sibling;
        if (k < 0)
            return;
        at = k;
        if (tr->v[at].chain >= 0)
            cand_chain(t, c, tr->v[at].chain);
    }
}

static void add_hit(struct theme_hits *out, int theme, int first, int last)
{
    for (size_t k = out->n; k-- > 0;) {
        const struct theme_hit *h = &out->v[k];
        if (h->first != first)
            break;
        if (h->theme == theme && h->last == last)
            return;
    }
    out->v = xgrow(out->v, &out->cap, out->n + 1, sizeof *out->v);
    out->v[out->n].theme = theme;
    out->v[out->n].first = first;
    out->v[out->n].last = last;
    out->n++;
}

/* The folded form of token j, computed on first use: a word whose
 * candidates are cached needs none. */
static void mtok_fold(struct theme_hits *out, const struct tokens *tok,
                      struct mtok *m, size_t j)
{
    const struct token *k = &tok->v[j];
    if (m->fold_done)
        return;
    m->fold_done = 1;
    m->fold_off = out->pool.n;
    fold_into(&out->pool, k->norm, k->norm_n);
    m->fold_n = out->pool.n - m->fold_off;
}

/* The stem of token j, computed on first use (most tokens never need
 * one: their candidate list is cached by normalised form). */
static void mtok_stem(struct theme_hits *out, enum lang l, struct stemmer *st,
                      const struct tokens *tok, struct mtok *m, size_t j)
{
    const struct token *k = &tok->v[j];
    if (m->stem_done)
        return;
    m->stem_done = 1;
    m->stem_off = out->pool.n;
    m->stem_n = 0;
    if (st && k->kind == TOK_WORD) {
        size_t sn;
        const char *s = cached_stem(out, l, st, k->norm, k->norm_n, &sn);
        strbuf_add(&out->pool, s, sn);
        m->stem_n = sn;
    }
}

/* Every term whose first word can match token i: by stem, by folded
 * form, by prefix, suffix or infix wildcard. */
static void word_cands(const struct themes *t, const struct index *ix,
                       const char *fold, size_t fn, const char *stem,
                       size_t sn, struct cands *c)
{
    int64_t head;
    c->n = 0;
    if (sn && strmap_get(ix->stem, stem, sn, &head))
        cand_chain(t, c, head);
    if (strmap_get(ix->fold, fold, fn, &head))
        cand_chain(t, c, head);
    trie_walk(t, &ix->prefix, fold, fn, 1, c);
    trie_walk(t, &ix->suffix, fold, fn, -1, c);
    for (size_t k = 0; k < ix->n_infix; k++) {
        const struct term *tm = &t->terms[ix->infix[k]];
        if (word_matches(&t->words[tm->w0], fold, fn, stem, sn))
            cand_add(c, ix->infix[k]);
    }
}

/* The cached candidate list of token i (count, then term ids), computing
 * and caching it on a miss. Returns an offset into out->cand_pool. */
static size_t cached_cands(struct theme_hits *out, const struct themes *t,
                           enum lang l, struct stemmer *st,
                           const struct tokens *tok, struct mtok *mt, size_t i)
{
    const struct index *ix = &t->idx[l];
    int64_t at;
    if (out->cand_for != t) {
        for (int k = 0; k < 3; k++) {
            strmap_free(out->cand_cache[k]);
            out->cand_cache[k] = NULL;
        }
        out->cand_pool_n = 0;
        out->cand_for = t;
    }
    if (!out->cand_cache[l] ||
        strmap_count(out->cand_cache[l]) >= STEM_CACHE_MAX) {
        strmap_free(out->cand_cache[l]);
        out->cand_cache[l] = strmap_new();
    }
    /* keyed by the normalised word: the stem depends on it, and two words
     * can share a folded form ("kö", "ko") but not their stems */
    const struct token *k = &tok->v[i];
    if (strmap_get(out->cand_cache[l], k->norm, k->norm_n, &at))
        return (size_t)at;
    const char *fold;
    mtok_fold(out, tok, &mt[i], i);
    mtok_stem(out, l, st, tok, &mt[i], i);
    fold = out->pool.p + mt[i].fold_off; /* the pool may have moved */
    struct cands c;
    word_cands(t, ix, fold, mt[i].fold_n, out->pool.p + mt[i].stem_off,
               mt[i].stem_n, &c);
    size_t off = out->cand_pool_n;
    out->cand_pool = xgrow(out->cand_pool, &out->cand_pool_cap,
                           off + 1 + (size_t)c.n, sizeof *out->cand_pool);
    out->cand_pool[off] = c.n;
    memcpy(out->cand_pool + off + 1, c.v, (size_t)c.n * sizeof c.v[0]);
    out->cand_pool_n = off + 1 + (size_t)c.n;
    strmap_put(out->cand_cache[l], k->norm, k->norm_n, (int64_t)off);
    return off;
}

void themes_match(const struct themes *t, const struct tokens *tok, enum lang l,
                  struct stemmer *st, struct theme_hits *out)
{
    out->n = 0;
    if ((l != LANG_SV && l != LANG_EN) || !tok->n)
        return;
    struct strbuf *pool = &out->pool;
    strbuf_reset(pool);
    struct mtok *mt = out->scratch =
        xgrow(out->scratch, &out->scratch_cap, tok->n, sizeof *mt);
    for (size_t i = 0; i < tok->n; i++) {
        const struct token *k = &tok->v[i];
        struct mtok *m = &mt[i];
        m->word = k->kind == TOK_WORD || k->kind == TOK_NUMBER;
        m->stem_done = m->fold_done = 0;
    }

    for (size_t i = 0; i < tok->n; i++) {
        if (!mt[i].word)
            continue;
        size_t off = cached_cands(out, t, l, st, tok, mt, i);
        int n_c = out->cand_pool[off];
        for (int k = 0; k < n_c; k++) {
            const struct term *tm = &t->terms[out->cand_pool[off + 1 + k]];
            int ok = 1;
            for (int w = 1; w < tm->nw && ok; w++) {
                size_t j = i + (size_t)w;
                if (j >= tok->n || tok->v[j].sentence != tok->v[i].sentence) {
                    ok = 0;
                    break;
                }
                mtok_fold(out, tok, &mt[j], j);
                mtok_stem(out, l, st, tok, &mt[j], j);
                ok = word_matches(&t->words[tm->w0 + (size_t)w],
                                  pool->p + mt[j].fold_off, mt[j].fold_n,
                                  pool->p + mt[j].stem_off, mt[j].stem_n);
            }
            if (ok)
                add_hit(out, tm->theme, (int)i, (int)i + tm->nw - 1);
        }
    }
}
