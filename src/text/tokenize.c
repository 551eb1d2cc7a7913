/* Tokeniser for customer comments. One pass over the input after a UTF-8
 * check. ASCII and the precomposed Latin letters Swedish and English use
 * are case-folded inline; anything else in a word goes through utf8proc
 * (NFKC + case folding), so the common case never allocates.
 *
 * Fast paths: a word of ASCII letters and digits that ends in a byte that
 * cannot join it to more (see scan_word) is emitted straight from the
 * bytes; e-mail addresses are only looked for when the text has an '@',
 * emoticons only at the bytes they can start with. tokenize_text_general
 * (tokenize_int.h) runs without them, and the tests check both agree. */
#include "text/tokenize.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "core/err.h"
#include "core/utf8.h"
#include "core/xalloc.h"
#include "text/tokenize_int.h"

/* Character classes for ASCII bytes. */
enum {
    C_SPACE = 1,  /* space, tab, CR, FF, VT */
    C_NL = 2,     /* line feed */
    C_LOWER = 4,  /* a-z */
    C_UPPER = 8,  /* A-Z */
    C_DIGIT = 16, /* 0-9 */
    C_PUNCT = 32, /* any other printable */
    C_LOCAL = 64, /* allowed in an e-mail local part */
    C_EMO = 128   /* an emoticon can start with it: ":;=<>xXoO^-()" */
};

#define C_ALPHA (C_LOWER | C_UPPER)
#define C_ALNUM (C_ALPHA | C_DIGIT)

/* generated from the C_* rules above: 0-127 classified, 128-255 zero */
static const unsigned char ascii_class[256] = {
    0,  0,  0,  0,  0,  0,  0,  0,  0,   1,   2,   1,   1,   1,   0,   0,
    0,  0,  0,  0,  0,  0,  0,  0,  0,   0,   0,   0,   0,   0,   0,   0,
    1,  32, 32, 32, 32, 96, 32, 32, 160, 160, 32,  96,  32,  224, 96,  32,
    80, 80, 80, 80, 80, 80, 80, 80, 80,  80,  160, 160, 160, 160, 160, 32,
    32, 72, 72, 72, 72, 72, 72, 72, 72,  72,  72,  72,  72,  72,  72,  200,
    72, 72, 72, 72, 72, 72, 72, 72, 200, 72,  72,  32,  32,  32,  160, 96,
    32, 68, 68, 68, 68, 68, 68, 68, 68,  68,  68,  68,  68,  68,  68,  196,
    68, 68, 68, 68, 68, 68, 68, 68, 196, 68,  68,  32,  32,  32,  32,  0,
    0,  0,  0,  0,  0,  0,  0,  0,  0,   0,   0,   0,   0,   0,   0,   0,
    0,  0,  0,  0,  0,  0,  0,  0,  0,   0,   0,   0,   0,   0,   0,   0,
    0,  0,  0,  0,  0,  0,  0,  0,  0,   0,   0,   0,   0,   0,   0,   0,
    0,  0,  0,  0,  0,  0,  0,  0,  0,   0,   0,   0,   0,   0,   0,   0,
    0,  0,  0,  0,  0,  0,  0,  0,  0,   0,   0,   0,   0,   0,   0,   0,
    0,  0,  0,  0,  0,  0,  0,  0,  0,   0,   0,   0,   0,   0,   0,   0,
    0,  0,  0,  0,  0,  0,  0,  0,  0,   0,   0,   0,   0,   0,   0,   0,
    0,  0,  0,  0,  0,  0,  0,  0,  0,   0,   0,   0,   0,   0,   0,   0,
};

#define CL(c) (ascii_class[(unsigned char)(c)])

/* ---- hashing ---------------------------------------------------------- */

static uint64_t rd64(const unsigned char *p)
{
    uint64_t v;
    memcpy(&v, p, 8);
    return v;
}

static uint64_t rd32(const unsigned char *p)
{
    uint32_t v;
    memcpy(&v, p, 4);
    return v;
}

static uint64_t mix(uint64_t a, uint64_t b)
{
    /* 64x64 -> 128 multiply folded, as in wyhash. */
    __uint128_t r = (__uint128_t)a * b;
    return (uint64_t)r ^ (uint64_t)(r >> 64);
}

#define HASH_K0 0xa0761d6478bd642fULL
#define HASH_K1 0xe7037ed1a0b428dbULL
#define HASH_K2 0x8ebc6af09c88c6e3ULL

/* tokens_hash of a word of n <= 8 bytes given as its bytes in a
 * little-endian 64-bit value, zero above them: the tokeniser has most
 * words in a register already. */
static uint64_t hash_small(uint64_t v, size_t n)
{
    return mix(mix(v ^ HASH_K1, (uint64_t)n ^ HASH_K2) ^ HASH_K0, HASH_K1);
}

uint64_t tokens_hash(const char *str, size_t n)
{
    /* wyhash's structure: words are short, so up to 16 bytes are read as
     * two overlapping pairs of 32-bit loads, without a loop. */
    static const uint64_t k0 = HASH_K0, k1 = HASH_K1, k2 = HASH_K2;
    const unsigned char *p = (const unsigned char *)str;
    uint64_t seed = 0x243f6a8885a308d3ULL ^ k0, a, b;
    if (n <= 8) {
        /* the bytes zero-padded, from overlapping reads */
        uint64_t v;
        if (n >= 4)
            v = rd32(p) | rd32(p + n - 4) << (8 * (n - 4));
        else if (n > 0)
            v = (uint64_t)p[0] | (uint64_t)p[n >> 1] << (8 * (n >> 1)) |
                (uint64_t)p[n - 1] << (8 * (n - 1));
        else
            v = 0;
        return hash_small(v, n);
    }
    if (n <= 16) {
        if (n >= 4) {
            size_t q = (n >> 3) << 2;
            a = (rd32(p) << 32) | rd32(p + q);
            b = (rd32(p + n - 4) << 32) | rd32(p + n - 4 - q);
        } else if (n > 0) {
            a = ((uint64_t)p[0] << 16) | ((uint64_t)p[n >> 1] << 8) | p[n - 1];
            b = 0;
        } else {
            a = b = 0;
        }
    } else {
        size_t i = n;
        while (i > 16) {
            seed = mix(rd64(p) ^ k1, rd64(p + 8) ^ seed);
            p += 16;
            i -= 16;
        }
        a = rd64(p + i - 16);
        b = rd64(p + i - 8);
    }
    return mix(k1 ^ (uint64_t)n, mix(a ^ k1, b ^ seed ^ k2));
}

/* ---- UTF-8 ------------------------------------------------------------ */

/* Offset of the first invalid byte, or n if s is valid UTF-8. */
static size_t utf8_check(const unsigned char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        /* Eight ASCII bytes at a time. */
        while (i + 8 <= n) {
            unsigned long long w;
            memcpy(&w, s + i, 8);
            if (w & 0x8080808080808080ULL)
                break;
            i += 8;
        }
        if (i >= n)
            break;
        size_t k = utf8_seq(s + i, n - i);
        if (!k)
            return i;
        i += k;
    }
    return n;
}

/* Decodes the (already validated) code point at s[i]; *len gets its size. */
static int32_t utf8_get(const unsigned char *s, size_t i, size_t *len)
{
    unsigned c = s[i];
    if (c < 0x80) {
        *len = 1;
        return (int32_t)c;
    }
    if (c < 0xE0) {
        *len = 2;
        return (int32_t)(((c & 0x1F) << 6) | (s[i + 1] & 0x3F));
    }
    if (c < 0xF0) {
        *len = 3;
        return (int32_t)(((c & 0x0F) << 12) | ((s[i + 1] & 0x3F) << 6) |
                         (s[i + 2] & 0x3F));
    }
    *len = 4;
    return (int32_t)(((c & 0x07) << 18) | ((s[i + 1] & 0x3F) << 12) |
                     ((s[i + 2] & 0x3F) << 6) | (s[i + 3] & 0x3F));
}

static size_t utf8_put(char *out, int32_t cp)
{
    return (size_t)utf8proc_encode_char(cp, (utf8proc_uint8_t *)out);
}

/* ---- character classes beyond ASCII ----------------------------------- */

enum uclass {
    U_OTHER,
    U_SPACE,
    U_NL,
    U_LETTER,
    U_MARK,
    U_DIGIT,
    U_EMOJI,
    U_REGIONAL,
    U_IGNORE
};

static enum uclass uclass_of(int32_t cp)
{
    if (cp == 0x2028 || cp == 0x2029 || cp == 0x85)
        return U_NL;
    const utf8proc_property_t *p = utf8proc_get_property(cp);
    if (p->boundclass == UTF8PROC_BOUNDCLASS_REGIONAL_INDICATOR)
        return U_REGIONAL;
    switch (p->category) {
    case UTF8PROC_CATEGORY_LU:
    case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO:
        return U_LETTER;
    case UTF8PROC_CATEGORY_MN:
    case UTF8PROC_CATEGORY_MC:
    case UTF8PROC_CATEGORY_ME:
        /* Variation selectors and the keycap mark belong to emoji. */
        if (cp == 0xFE0F || cp == 0xFE0E || cp == 0x20E3)
            return U_IGNORE;
        return U_MARK;
    case UTF8PROC_CATEGORY_ND:
        return U_DIGIT;
    case UTF8PROC_CATEGORY_ZS:
        return U_SPACE;
    case UTF8PROC_CATEGORY_ZL:
    case UTF8PROC_CATEGORY_ZP:
        return U_NL;
    case UTF8PROC_CATEGORY_CC:
    case UTF8PROC_CATEGORY_CF:
    case UTF8PROC_CATEGORY_CS:
    case UTF8PROC_CATEGORY_CO:
    case UTF8PROC_CATEGORY_CN:
        if (cp >= 0x1F3FB && cp <= 0x1F3FF)
            return U_IGNORE;
        return p->category == UTF8PROC_CATEGORY_CN &&
                       p->boundclass ==
                           UTF8PROC_BOUNDCLASS_EXTENDED_PICTOGRAPHIC
                   ? U_EMOJI
                   : U_IGNORE;
    case UTF8PROC_CATEGORY_SK:
        if (cp >= 0x1F3FB && cp <= 0x1F3FF)
            return U_IGNORE; /* a skin tone alone */
        return U_OTHER;
    default:
        break;
    }
    if (p->boundclass == UTF8PROC_BOUNDCLASS_EXTENDED_PICTOGRAPHIC &&
        p->category == UTF8PROC_CATEGORY_SO)
        return U_EMOJI;
    return U_OTHER;
}

/* Precomposed Latin letters whose case folding is a plain lower-casing
 * to one precomposed letter and which NFKC leaves alone. */
static int latin_simple(int32_t cp)
{
    if (cp < 0xC0 || cp > 0x17E)
        return 0;
    return cp != 0xD7 && cp != 0xF7 && cp != 0xDF && cp != 0x130 &&
           cp != 0x131 && cp != 0x132 && cp != 0x133 && cp != 0x13F &&
           cp != 0x140 && cp != 0x149;
}

static int is_apostrophe(int32_t cp)
{
    return cp == '\'' || cp == 0x2019 || cp == 0x02BC;
}

static int is_hyphen(int32_t cp)
{
    return cp == '-' || cp == 0x2010 || cp == 0x2011;
}

/* ---- output ----------------------------------------------------------- */

struct tok_state {
    struct tokens *t;
    const unsigned char *s;
    size_t n;
    int sentence;
    int pending_break; /* the next token starts a new sentence */
    int cur_has_tok;   /* the current sentence has a token */
};

static void pool_reserve(struct tokens *t, size_t extra)
{
    if (t->pool_n + extra > t->pool_cap)
        t->pool = xgrow(t->pool, &t->pool_cap, t->pool_n + extra, 1);
}

/* Appends a token; its norm is the pool bytes from norm_off to pool_n,
 * which this terminates. Norms are written to the pool in token order,
 * one after the other, so their pointers are set at the end, when the
 * pool no longer moves. */
static void emit(struct tok_state *st, enum token_kind kind, unsigned flags,
                 size_t off, size_t len, size_t norm_off)
{
    struct tokens *t = st->t;
    if (st->pending_break && st->cur_has_tok) {
        st->sentence++;
        st->cur_has_tok = 0;
    }
    st->pending_break = 0;
    pool_reserve(t, 1);
    t->pool[t->pool_n++] = '\0';
    if (t->n == t->cap)
        t->v = xgrow(t->v, &t->cap, t->n + 1, sizeof *t->v);
    struct token *k = &t->v[t->n++];
    k->kind = kind;
    k->flags = flags;
    k->sentence = st->sentence;
    k->off = off;
    k->raw = (const char *)st->s + off;
    k->raw_n = len;
    k->norm_n = t->pool_n - 1 - norm_off;
    k->norm = NULL;
    k->hash = tokens_hash(t->pool + norm_off, k->norm_n);
    st->cur_has_tok = 1;
}

static void emit_copy(struct tok_state *st, enum token_kind kind, size_t off,
                      size_t len)
{
    struct tokens *t = st->t;
    size_t norm_off = t->pool_n;
    pool_reserve(t, len + 1);
    memcpy(t->pool + t->pool_n, st->s + off, len);
    t->pool_n += len;
    emit(st, kind, 0, off, len, norm_off);
}

/* emit_copy of the one byte at off, inline. */
static void emit_byte(struct tok_state *st, enum token_kind kind, size_t off)
{
    struct tokens *t = st->t;
    if (st->pending_break && st->cur_has_tok) {
        st->sentence++;
        st->cur_has_tok = 0;
    }
    st->pending_break = 0;
    pool_reserve(t, 2);
    char *o = t->pool + t->pool_n;
    o[0] = (char)st->s[off];
    o[1] = '\0';
    t->pool_n += 2;
    if (t->n == t->cap)
        t->v = xgrow(t->v, &t->cap, t->n + 1, sizeof *t->v);
    struct token *k = &t->v[t->n++];
    k->kind = kind;
    k->flags = 0;
    k->sentence = st->sentence;
    k->off = off;
    k->raw = (const char *)st->s + off;
    k->raw_n = 1;
    k->norm = NULL;
    k->norm_n = 1;
    k->hash = tokens_hash(o, 1);
    st->cur_has_tok = 1;
}

static void emit_lower(struct tok_state *st, enum token_kind kind, size_t off,
                       size_t len)
{
    struct tokens *t = st->t;
    size_t norm_off = t->pool_n;
    pool_reserve(t, len + 1);
    for (size_t i = 0; i < len; i++) {
        unsigned char c = st->s[off + i];
        t->pool[t->pool_n++] =
            (char)(c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
    }
    emit(st, kind, 0, off, len, norm_off);
}

/* ---- words ------------------------------------------------------------ */

/* Appends the NFKC case fold of s[off..off+len) to the pool. */
static void fold_slow(struct tokens *t, const unsigned char *s, size_t len)
{
    utf8proc_int32_t stackbuf[256];
    utf8proc_int32_t *buf = stackbuf;
    const int opts = UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT |
                     UTF8PROC_CASEFOLD;
    utf8proc_ssize_t m = utf8proc_decompose(s, (utf8proc_ssize_t)len, buf, 256,
                                            (utf8proc_option_t)opts);
    if (m > 256) {
        buf = xmalloc((size_t)m * sizeof *buf);
        m = utf8proc_decompose(s, (utf8proc_ssize_t)len, buf, m,
                               (utf8proc_option_t)opts);
    }
    if (m < 0) { /* cannot happen on validated input; fail safe */
        pool_reserve(t, len);
        memcpy(t->pool + t->pool_n, s, len);
        t->pool_n += len;
    } else {
        utf8proc_ssize_t b = utf8proc_reencode(buf, m, (utf8proc_option_t)opts);
        const char *u = (const char *)buf;
        pool_reserve(t, (size_t)(b > 0 ? b : 0));
        for (utf8proc_ssize_t i = 0; i < b; i++) {
            /* Typographic apostrophes fold to ASCII (U+2019 = e2 80 99,
             * U+02BC = ca bc), as do hyphens U+2010 (e2 80 90). */
            if (i + 2 < b && (unsigned char)u[i] == 0xE2 &&
                (unsigned char)u[i + 1] == 0x80 &&
                ((unsigned char)u[i + 2] == 0x99 ||
                 (unsigned char)u[i + 2] == 0x90 ||
                 (unsigned char)u[i + 2] == 0x91)) {
                t->pool[t->pool_n++] =
                    (unsigned char)u[i + 2] == 0x99 ? '\'' : '-';
                i += 2;
            } else if (i + 1 < b && (unsigned char)u[i] == 0xCA &&
                       (unsigned char)u[i + 1] == 0xBC) {
                t->pool[t->pool_n++] = '\'';
                i += 1;
            } else {
                t->pool[t->pool_n++] = u[i];
            }
        }
    }
    if (buf != stackbuf)
        free(buf);
}

/* Code point class at i, with *len; ASCII is classified by table. */
static enum uclass class_at(const unsigned char *s, size_t n, size_t i,
                            int32_t *cp, size_t *len)
{
    if (i >= n) {
        *cp = -1;
        *len = 0;
        return U_SPACE;
    }
    *cp = utf8_get(s, i, len);
    if (*cp < 0x80) {
        unsigned char k = CL(*cp);
        if (k & C_ALPHA)
            return U_LETTER;
        if (k & C_DIGIT)
            return U_DIGIT;
        if (k & C_SPACE)
            return U_SPACE;
        if (k & C_NL)
            return U_NL;
        if (*cp < 32 || *cp == 127)
            return U_IGNORE;
        return U_OTHER;
    }
    return uclass_of(*cp);
}

static int is_wordch(enum uclass c)
{
    return c == U_LETTER || c == U_MARK || c == U_DIGIT;
}

/* Abbreviations that keep their dots and do not end a sentence. */
static const char *const abbrevs[] = {
    "t.ex.",   "bl.a.", "m.m.", "o.s.v.",  "d.v.s.", "p.g.a.", "t.o.m.",
    "fr.o.m.", "m.fl.", "s.k.", "f.d.",    "e.d.",   "o.d.",   "ca.",
    "kl.",     "nr.",   "st.",  "resp.",   "inkl.",  "exkl.",  "jfr.",
    "ang.",    "tel.",  "mr.",  "mrs.",    "ms.",    "dr.",    "e.g.",
    "i.e.",    "etc.",  "vs.",  "approx.", "no.",    "osv.",   "dvs.",
    "pga.",    "tex.",  "bla.", "mm.",     "ev.",    "obs.",   "a.k.a.",
};

/* Abbreviations that often end a sentence: split after them when a
 * capital letter follows. */
static int abbrev_can_end(const char *a)
{
    return !strcmp(a, "etc.") || !strcmp(a, "osv.") || !strcmp(a, "o.s.v.") ||
           !strcmp(a, "m.m.") || !strcmp(a, "m.fl.") || !strcmp(a, "mm.");
}

/* Length of a known abbreviation at s[i] (case-insensitive, ASCII), or 0. */
static size_t match_abbrev(const unsigned char *s, size_t n, size_t i,
                           const char **which)
{
    /* Every abbreviation starts with one to five letters and a dot. */
    size_t r = 0;
    while (r < 6 && i + r < n && (CL(s[i + r]) & C_ALPHA))
        r++;
    if (r > 5 || i + r >= n || s[i + r] != '.')
        return 0;
    for (size_t a = 0; a < sizeof abbrevs / sizeof abbrevs[0]; a++) {
        const char *p = abbrevs[a];
        size_t k = 0;
        while (p[k] && i + k < n) {
            unsigned char c = s[i + k];
            if (c >= 'A' && c <= 'Z')
                c = (unsigned char)(c + 32);
            if (c != (unsigned char)p[k])
                break;
            k++;
        }
        if (p[k])
            continue;
        /* Must not run into a following letter or digit. */
        if (i + k < n && (CL(s[i + k]) & C_ALNUM))
            continue;
        *which = p;
        return k;
    }
    return 0;
}

/* Scans a word or number starting at i (a letter, mark or digit). */
static size_t scan_word(struct tok_state *st, size_t i)
{
    const unsigned char *s = st->s;
    size_t n = st->n, start = i, len;
    int32_t cp;
    int letters = 0, upper = 0, lower = 0, first_upper = -1, fast = 1;
    int only_digits = 1;

    for (;;) {
        /* ASCII letters and digits, the common case, by table. */
        if (i < n && s[i] < 0x80 && (CL(s[i]) & C_ALNUM)) {
            unsigned char k = CL(s[i]);
            if (k & C_ALPHA) {
                only_digits = 0;
                letters++;
                if (first_upper < 0)
                    first_upper = (k & C_UPPER) != 0;
                if (k & C_UPPER)
                    upper++;
                else
                    lower++;
            }
            i++;
            continue;
        }
        enum uclass c = class_at(s, n, i, &cp, &len);
        if (is_wordch(c)) {
            if (c != U_DIGIT) {
                only_digits = 0;
                if (c == U_LETTER) {
                    letters++;
                    int up;
                    if (cp < 0x80) {
                        up = cp >= 'A' && cp <= 'Z';
                    } else {
                        utf8proc_category_t cat = utf8proc_category(cp);
                        up = cat == UTF8PROC_CATEGORY_LU ||
                             cat == UTF8PROC_CATEGORY_LT;
                        if (!up && cat != UTF8PROC_CATEGORY_LL)
                            up = -1; /* caseless */
                        if (!latin_simple(cp))
                            fast = 0;
                    }
                    if (first_upper < 0)
                        first_upper = up == 1;
                    if (up == 1)
                        upper++;
                    else if (up == 0)
                        lower++;
                } else {
                    fast = 0;
                }
            } else if (cp >= 0x80) {
                fast = 0;
            }
            i += len;
            continue;
        }
        if (i >= n)
            break;
        /* Joiners inside a word: apostrophe, hyphen (letters on both
         * sides), decimal separators and times (digits on both sides),
         * and the Swedish genitive colon (SVT:s, 3:e). */
        size_t l2;
        int32_t cp2;
        enum uclass next = class_at(s, n, i + len, &cp2, &l2);
        if ((is_apostrophe(cp) || is_hyphen(cp)) && is_wordch(next)) {
            if (cp >= 0x80)
                fast = 0;
            i += len;
            continue;
        }
        if (only_digits && (cp == '.' || cp == ',') && next == U_DIGIT) {
            i += len;
            continue;
        }
        if (cp == ':' && cp2 >= 'a' && cp2 <= 'z') {
            /* up to three lower-case letters, then not a letter */
            size_t j = i + 1, k = 0;
            while (j < n && (CL(s[j]) & C_LOWER) && k < 4) {
                j++;
                k++;
            }
            int ends = j >= n || !(CL(s[j]) & C_ALNUM);
            /* "bra:p" is a word and an emoticon, not a genitive */
            if (ends && k >= 1 && k <= 3 && !(k == 1 && s[j - 1] == 'p')) {
                i = j;
                only_digits = 0;
                continue;
            }
        }
        if (cp == ':' && only_digits && next == U_DIGIT && i + 2 < n &&
            (CL(s[i + 2]) & C_DIGIT)) {
            i += len; /* 14:30 */
            continue;
        }
        break;
    }
    len = i - start;
    struct tokens *t = st->t;
    size_t norm_off = t->pool_n;
    if (only_digits) {
        pool_reserve(t, len + 1);
        if (fast) {
            memcpy(t->pool + t->pool_n, s + start, len);
            t->pool_n += len;
        } else {
            fold_slow(t, s + start, len);
        }
        emit(st, TOK_NUMBER, 0, start, len, norm_off);
        return i;
    }
    if (fast) {
        pool_reserve(t, len + 1);
        for (size_t j = start; j < i;) {
            unsigned char c = s[j];
            if (c < 0x80) {
                t->pool[t->pool_n++] =
                    (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
                j++;
            } else {
                size_t l;
                int32_t u = utf8_get(s, j, &l);
                t->pool_n += utf8_put(t->pool + t->pool_n, utf8proc_tolower(u));
                j += l;
            }
        }
    } else {
        fold_slow(t, s + start, len);
    }
    unsigned flags = 0;
    if (letters >= 2 && upper >= 2 && lower == 0)
        flags |= TOKF_ALLCAPS;
    if (first_upper == 1)
        flags |= TOKF_CAPITALISED;
    emit(st, TOK_WORD, flags, start, len, norm_off);
    return i;
}

/* ---- URLs and e-mail addresses ---------------------------------------- */

static int prefix_ci(const unsigned char *s, size_t n, size_t i, const char *p)
{
    size_t k = 0;
    for (; p[k]; k++) {
        if (i + k >= n)
            return 0;
        unsigned char c = s[i + k];
        if (c >= 'A' && c <= 'Z')
            c = (unsigned char)(c + 32);
        if (c != (unsigned char)p[k])
            return 0;
    }
    return 1;
}

/* Length of a URL at i, or 0. */
static size_t match_url(const unsigned char *s, size_t n, size_t i)
{
    size_t p;
    if (prefix_ci(s, n, i, "https://"))
        p = 8;
    else if (prefix_ci(s, n, i, "http://"))
        p = 7;
    else if (prefix_ci(s, n, i, "www."))
        p = 4;
    else
        return 0;
    if (i + p >= n || !(s[i + p] >= 0x80 || (CL(s[i + p]) & C_ALNUM)))
        return 0;
    size_t j = i + p;
    while (j < n && s[j] > ' ' && s[j] != '<' && s[j] != '>' && s[j] != '"' &&
           s[j] != 127)
        j++;
    /* Trailing punctuation belongs to the sentence, not the URL. */
    while (j > i + p && strchr(".,;:!?)]}'", s[j - 1]))
        j--;
    return j - i;
}

/* Length of an e-mail address at i, or 0. */
static size_t match_email(const unsigned char *s, size_t n, size_t i)
{
    size_t j = i;
    while (j < n && (CL(s[j]) & C_LOCAL))
        j++;
    if (j == i || j >= n || s[j] != '@' || s[j - 1] == '.')
        return 0;
    size_t d = ++j, last_dot = 0, labels = 0, lab = 0;
    while (j < n && ((CL(s[j]) & C_ALNUM) || s[j] == '-' || s[j] == '.')) {
        if (s[j] == '.') {
            if (!lab || j + 1 >= n || !(CL(s[j + 1]) & C_ALNUM))
                break;
            last_dot = j;
            labels++;
            lab = 0;
        } else {
            lab++;
        }
        j++;
    }
    if (j == d || !labels || !last_dot)
        return 0;
    /* The top-level label: two or more letters. */
    for (size_t k = last_dot + 1; k < j; k++)
        if (!(CL(s[k]) & C_ALPHA))
            return 0;
    if (j - last_dot - 1 < 2)
        return 0;
    return j - i;
}

/* ---- emoticons -------------------------------------------------------- */

/* With their lengths, which the matcher would otherwise count per try. */
#define E(s)                                                                   \
    {                                                                          \
        s, sizeof(s) - 1                                                       \
    }
static const struct {
    const char *e;
    size_t n;
} emoticons[] = {
    /* longest first where one is a prefix of another */
    E(">:-("), E(">:("),  E(":'-("), E(":'-)"), E(":'("), E(":')"), E("</3"),
    E(":-))"), E(":-(("), E(":-)"),  E(":-("),  E(":-D"), E(":-P"), E(":-p"),
    E(":-/"),  E(":-\\"), E(":-|"),  E(":-O"),  E(":-o"), E(":-*"), E(";-)"),
    E(";-D"),  E(";-P"),  E(":))"),  E(":(("),  E(":)"),  E(":("),  E(":D"),
    E(":P"),   E(":p"),   E(":/"),   E(":\\"),  E(":|"),  E(":O"),  E(":o"),
    E(":*"),   E(":S"),   E(":s"),   E(":]"),   E(":["),  E(";)"),  E(";D"),
    E(";P"),   E(";p"),   E("=)"),   E("=("),   E("=D"),  E("=/"),  E("<3"),
    E("xD"),   E("XD"),   E("xd"),   E("^_^"),  E("^^"),  E("-_-"), E("o_O"),
    E("O_o"),  E("(:"),   E("):"),
};
#undef E

/* The bytes an emoticon can start with. */
static int emoticon_start(unsigned char c)
{
    return (CL(c) & C_EMO) != 0;
}

/* Length of an emoticon at i, or 0. prev is the code point before i
 * (or -1). */
static size_t match_emoticon(const unsigned char *s, size_t n, size_t i,
                             int32_t prev)
{
    unsigned char c = s[i];
    if (!emoticon_start(c) || i + 1 >= n)
        return 0;
    /* Cheap tests first: most words starting with x or o are words. */
    if ((c == 'x' || c == 'X') && s[i + 1] != 'D' && s[i + 1] != 'd')
        return 0;
    if ((c == 'o' || c == 'O') && s[i + 1] != '_')
        return 0;
    for (size_t a = 0; a < sizeof emoticons / sizeof emoticons[0]; a++) {
        const char *e = emoticons[a].e;
        size_t k = emoticons[a].n;
        if ((unsigned char)e[0] != c || i + k > n || memcmp(s + i, e, k) != 0)
            continue;
        unsigned char last = (unsigned char)e[k - 1];
        /* ":)))" is one emoticon */
        if (last == ')' || last == '(') {
            while (i + k < n && s[i + k] == last)
                k++;
        }
        unsigned char after = i + k < n ? s[i + k] : ' ';
        unsigned char ak = CL(after);
        int prev_alnum = prev >= 0 && (prev >= 0x80 ? 1 : (CL(prev) & C_ALNUM));
        int prev_digit = prev >= '0' && prev <= '9';
        if (ak & C_ALNUM)
            continue; /* ":Detta", "xDD" is fine below */
        if (after == '/' || (after >= 0x80 && (c == 'x' || c == 'X')))
            continue;
        if ((c == 'x' || c == 'X' || c == 'o' || c == 'O' || c == '(') &&
            prev_alnum)
            continue; /* "boxD", "text(:" */
        if ((c == ':' || c == '=' || c == ';') && prev_digit)
            continue; /* "10:(" is odd, "kl 10:30" is a time */
        if (c == '-' && prev_alnum)
            continue; /* "-_-" needs a boundary */
        if (c == '(' && after != ' ' && after != '\n' && i + k < n)
            continue; /* "(:" only standing alone */
        if (e[0] == ')' && prev_alnum)
            continue;
        return k;
    }
    return 0;
}

/* ---- emoji ------------------------------------------------------------ */

static int is_skin(int32_t cp)
{
    return cp >= 0x1F3FB && cp <= 0x1F3FF;
}

/* Consumes one emoji sequence starting at i (a pictograph or regional
 * indicator); appends its norm (without variation selectors and skin
 * tones) to the pool. Returns the end offset. */
static size_t scan_emoji(struct tok_state *st, size_t i, enum uclass c)
{
    const unsigned char *s = st->s;
    size_t n = st->n, len, start = i;
    int32_t cp;
    struct tokens *t = st->t;
    size_t norm_off = t->pool_n;

    cp = utf8_get(s, i, &len);
    pool_reserve(t, 8);
    t->pool_n += utf8_put(t->pool + t->pool_n, cp);
    i += len;
    if (c == U_REGIONAL) {
        if (i < n) {
            int32_t cp2 = utf8_get(s, i, &len);
            if (uclass_of(cp2) == U_REGIONAL ||
                (cp2 >= 0x1F1E6 && cp2 <= 0x1F1FF)) {
                pool_reserve(t, 8);
                t->pool_n += utf8_put(t->pool + t->pool_n, cp2);
                i += len;
            }
        }
        emit(st, TOK_EMOJI, 0, start, i - start, norm_off);
        return i;
    }
    while (i < n) {
        cp = utf8_get(s, i, &len);
        if (cp == 0xFE0F || cp == 0xFE0E || is_skin(cp) || cp == 0x20E3 ||
            (cp >= 0xE0020 && cp <= 0xE007F)) {
            i += len; /* modifiers: part of the emoji, not of its norm */
            continue;
        }
        if (cp == 0x200D && i + len < n) {
            size_t l2;
            int32_t cp2 = utf8_get(s, i + len, &l2);
            if (uclass_of(cp2) == U_EMOJI) {
                pool_reserve(t, 16);
                t->pool_n += utf8_put(t->pool + t->pool_n, cp);
                t->pool_n += utf8_put(t->pool + t->pool_n, cp2);
                i += len + l2;
                continue;
            }
        }
        break;
    }
    emit(st, TOK_EMOJI, 0, start, i - start, norm_off);
    return i;
}

/* ---- main loop -------------------------------------------------------- */

void tokens_init(struct tokens *t)
{
    struct tokens z = TOKENS_INIT;
    *t = z;
}

void tokens_dispose(struct tokens *t)
{
    if (!t)
        return;
    free(t->v);
    free(t->pool);
    tokens_init(t);
}

static int is_terminal(int32_t cp)
{
    return cp == '.' || cp == '!' || cp == '?' || cp == 0x2026 ||
           cp == 0x203C || cp == 0x2049 || cp == 0xFF01 || cp == 0xFF1F;
}

/* The ASCII fast path for a word or number starting at i with an ASCII
 * letter or digit: the run of ASCII letters and digits, when the byte
 * after it cannot join it to more (scan_word's joiners: an apostrophe
 * or hyphen before a word character, '.' or ',' between digits, ':'
 * before a genitive ending or minutes) and is not the start of a
 * non-ASCII character, and when no abbreviation can start here (at a
 * boundary, one to five letters and a dot: match_abbrev's own first
 * test). Emits the token as scan_word would and returns its end, or
 * returns 0 and emits nothing when the general path must decide. */
static size_t scan_ascii_word(struct tok_state *st, size_t i, int at_boundary)
{
    const unsigned char *s = st->s;
    struct tokens *t = st->t;
    size_t n = st->n, j = i;
    unsigned upper = 0, lower = 0;
    /* Lower-cased into the pool while scanning; if the path gives up,
     * pool_n has not moved and the bytes are overwritten later. */
    pool_reserve(t, n - i + 8);
    char *o = t->pool + t->pool_n;
    /* Eight bytes at a time while they are ASCII (SWAR: each byte's top
     * bit says whether it is in a range, as none of them has it set).
     * small: the norm zero-padded, when it ended in the first block. */
    uint64_t small = 0;
    int have_small = 0;
    while (j + 8 <= n) {
        const uint64_t ones = 0x0101010101010101ULL, top = ones << 7;
        uint64_t w = rd64(s + j);
        if (w & top)
            break;
#define IN_RANGE(x, lo, hi)                                                    \
    (((x) + (0x80 - (lo)) * ones) & ~((x) + (0x7f - (hi)) * ones) & top)
        uint64_t up = IN_RANGE(w, 'A', 'Z'),
                 alpha = IN_RANGE(w | (ones << 5), 'a', 'z'),
                 alnum = alpha | IN_RANGE(w, '0', '9');
#undef IN_RANGE
        uint64_t lw = w | (up >> 2); /* 'A'..'Z' + 32 */
        memcpy(o + (j - i), &lw, 8);
        uint64_t stop = ~alnum & top, keep = ~(uint64_t)0;
        size_t nb = 8;
        if (stop) {
            nb = (size_t)__builtin_ctzll(stop) >> 3;
            keep = nb ? ~(uint64_t)0 >> (64 - 8 * nb) : 0;
        }
        /* bytes counted by a multiply: each is 0 or 1, the sum <= 8 */
        upper += (unsigned)((((up & keep) >> 7) * ones) >> 56);
        lower += (unsigned)(((((alpha & ~up) & keep) >> 7) * ones) >> 56);
        if (j == i && nb < 8) {
            small = lw & keep;
            have_small = 1;
        }
        j += nb;
        if (nb < 8)
            goto scanned;
    }
    for (; j < n; j++) {
        unsigned char c = s[j], k = CL(c);
        if (!(k & C_ALNUM))
            break;
        o[j - i] = (char)(c | ((k & C_UPPER) << 2)); /* C_UPPER << 2: 32 */
        upper += (k >> 3) & 1;                       /* C_UPPER */
        lower += (k >> 2) & 1;                       /* C_LOWER */
    }
scanned:;
    size_t len = j - i;
    int only_digits = upper + lower == 0;
    if (j < n) {
        unsigned char c = s[j];
        /* the byte after the joiner; at the end, a space */
        unsigned char nx = j + 1 < n ? s[j + 1] : ' ';
        if (c >= 0x80)
            return 0;
        switch (c) {
        case '\'':
        case '-':
            if (nx >= 0x80 || (CL(nx) & C_ALNUM))
                return 0;
            break;
        case '.':
            if (at_boundary && len <= 5 && upper + lower == len)
                return 0; /* maybe "t.ex." or "etc." */
            if (only_digits && (nx >= 0x80 || (CL(nx) & C_DIGIT)))
                return 0;
            break;
        case ',':
            if (only_digits && (nx >= 0x80 || (CL(nx) & C_DIGIT)))
                return 0;
            break;
        case ':':
            if (nx >= 0x80 || (CL(nx) & (C_LOWER | C_DIGIT)))
                return 0;
            break;
        default:
            break;
        }
    }
    unsigned flags = 0;
    enum token_kind kind = TOK_NUMBER;
    if (!only_digits) {
        kind = TOK_WORD;
        /* case of the first letter (a digit may come first: "3D") */
        size_t f = i;
        while (!(CL(s[f]) & C_ALPHA))
            f++;
        if (CL(s[f]) & C_UPPER)
            flags |= TOKF_CAPITALISED;
        if (upper >= 2 && lower == 0)
            flags |= TOKF_ALLCAPS;
    } /* else digits: the bytes copied above are their own norm */
    /* emit(), with the pool and the token array handled inline */
    if (st->pending_break && st->cur_has_tok) {
        st->sentence++;
        st->cur_has_tok = 0;
    }
    st->pending_break = 0;
    o[len] = '\0';
    t->pool_n += len + 1;
    if (t->n == t->cap)
        t->v = xgrow(t->v, &t->cap, t->n + 1, sizeof *t->v);
    struct token *k = &t->v[t->n++];
    k->kind = kind;
    k->flags = flags;
    k->sentence = st->sentence;
    k->off = i;
    k->raw = (const char *)s + i;
    k->raw_n = len;
    k->norm = NULL;
    k->norm_n = len;
    k->hash = have_small ? hash_small(small, len) : tokens_hash(o, len);
    st->cur_has_tok = 1;
    return j;
}

/* fast: use the ASCII fast paths (tokenize_text) or not
 * (tokenize_text_general); the tokens are the same. */
static int tokenize_run(struct tokens *out, const char *str, size_t n, int fast,
                        struct err *err)
{
    const unsigned char *s = (const unsigned char *)str;
    struct tok_state st = {out, s, n, 0, 0, 0};
    int32_t prev = -1; /* previous code point, for boundaries */

    out->n = 0;
    out->n_sentences = 0;
    out->pool_n = 0;
    if (n > TOKENIZE_MAX_INPUT)
        return err_set(err, ERR_INVALID,
                       "text too large: %zu bytes (at most %u)", n,
                       (unsigned)TOKENIZE_MAX_INPUT);
    if (n && !s)
        return err_set(err, ERR_INVALID, "text is NULL");
    size_t bad = utf8_check(s, n);
    if (bad < n)
        return err_set(err, ERR_INVALID, "invalid UTF-8 at byte %zu", bad);
    /* Most texts need about one pool byte per input byte. */
    pool_reserve(out, n + 16);
    /* Without an '@' nothing can be an e-mail address. */
    int maybe_email = !fast || (n && memchr(s, '@', n) != NULL);

    size_t i = 0;
    while (i < n) {
        unsigned char b = s[i];
        size_t len;
        int32_t cp;
        enum uclass c;
        if (b < 0x80) {
            unsigned char k = CL(b);
            if (k & C_SPACE) {
                prev = b;
                i++;
                continue;
            }
            if (k & C_NL) {
                if (st.cur_has_tok)
                    st.pending_break = 1;
                prev = b;
                i++;
                continue;
            }
            /* Fast paths: what the general code below would do, for the
             * ASCII bytes that cannot start a URL, e-mail address or
             * emoticon. */
            if (fast && (k & C_ALNUM)) {
                int at_b =
                    prev < 0 || !(prev < 0x80 ? (CL(prev) & C_ALNUM)
                                              : is_wordch(uclass_of(prev)));
                size_t m;
                /* not a URL (match_url's prefixes), not "xD" or "o_O" */
                int url =
                    at_b && ((b | 0x20) == 'h' || (b | 0x20) == 'w') &&
                    (prefix_ci(s, n, i, "http") || prefix_ci(s, n, i, "www."));
                int emo = (k & C_EMO) && i + 1 < n &&
                          ((b | 0x20) == 'x' ? (s[i + 1] | 0x20) == 'd'
                                             : s[i + 1] == '_');
                if (!url && !emo) {
                    if (at_b && maybe_email && (m = match_email(s, n, i)) > 0) {
                        emit_lower(&st, TOK_EMAIL, i, m);
                        i += m;
                        prev = s[i - 1];
                        continue;
                    }
                    if ((m = scan_ascii_word(&st, i, at_b)) > 0) {
                        prev = s[m - 1];
                        i = m;
                        continue;
                    }
                }
            } else if (fast && !(k & C_EMO) && (k & C_PUNCT) &&
                       !(maybe_email && (k & C_LOCAL))) {
                emit_byte(&st, TOK_PUNCT, i);
                i++;
                prev = b;
                if (b == '.' || b == '!' || b == '?') {
                    size_t l2;
                    int32_t nx = i < n ? utf8_get(s, i, &l2) : -1;
                    if (!is_terminal(nx))
                        st.pending_break = 1;
                }
                continue;
            }
        }
        if (b < 0x80) { /* class_at for the ASCII left after the above */
            unsigned char k = CL(b);
            cp = b;
            len = 1;
            c = (k & C_ALPHA)          ? U_LETTER
                : (k & C_DIGIT)        ? U_DIGIT
                : (b < 32 || b == 127) ? U_IGNORE
                                       : U_OTHER;
        } else {
            c = class_at(s, n, i, &cp, &len);
        }
        int at_boundary =
            prev < 0 ||
            !(prev < 0x80 ? (CL(prev) & C_ALNUM) : is_wordch(uclass_of(prev)));
        size_t m;
        if (at_boundary && (b == 'h' || b == 'H' || b == 'w' || b == 'W') &&
            (m = match_url(s, n, i)) > 0) {
            emit_copy(&st, TOK_URL, i, m);
            i += m;
            prev = s[i - 1];
            continue;
        }
        if (maybe_email && at_boundary && b < 0x80 && (CL(b) & C_LOCAL) &&
            b != '.' && (m = match_email(s, n, i)) > 0) {
            emit_lower(&st, TOK_EMAIL, i, m);
            i += m;
            prev = s[i - 1];
            continue;
        }
        if (b < 0x80 && (m = match_emoticon(s, n, i, prev)) > 0) {
            /* norm drops the nose: ":-)" and ":)" are the same */
            size_t norm_off = out->pool_n;
            pool_reserve(out, m + 1);
            for (size_t j = 0; j < m; j++) {
                unsigned char e = s[i + j];
                if (e == '-' && j == 1 && m > 2 && s[i] != '-')
                    continue;
                /* ":)))" folds to ":)" */
                if (j >= 2 && (e == ')' || e == '(') && e == s[i + j - 1])
                    continue;
                if ((e == 'X' || e == 'd') && m == 2 &&
                    (s[i] == 'x' || s[i] == 'X'))
                    e = e == 'X' ? 'x' : 'D';
                out->pool[out->pool_n++] = (char)e;
            }
            emit(&st, TOK_EMOTICON, 0, i, m, norm_off);
            i += m;
            prev = s[i - 1];
            continue;
        }
        if (is_wordch(c)) {
            const char *ab;
            if (at_boundary && b < 0x80 && (CL(b) & C_ALPHA) &&
                (m = match_abbrev(s, n, i, &ab)) > 0) {
                emit_lower(&st, TOK_WORD, i, m);
                out->v[out->n - 1].flags =
                    (b >= 'A' && b <= 'Z') ? TOKF_CAPITALISED : 0;
                i += m;
                prev = '.';
                if (abbrev_can_end(ab)) {
                    size_t j = i;
                    while (j < n && (s[j] == ' ' || s[j] == '\t'))
                        j++;
                    if (j > i && j < n && s[j] >= 'A' && s[j] <= 'Z')
                        st.pending_break = 1;
                }
                continue;
            }
            size_t e = scan_word(&st, i);
            size_t l;
            /* the last code point, for the next boundary check */
            size_t k = e;
            do
                k--;
            while (k > i && (s[k] & 0xC0) == 0x80);
            prev = utf8_get(s, k, &l);
            i = e;
            continue;
        }
        if (c == U_EMOJI || c == U_REGIONAL) {
            i = scan_emoji(&st, i, c);
            prev = 0x1F600;
            continue;
        }
        if (c == U_SPACE || c == U_IGNORE) {
            prev = c == U_SPACE ? ' ' : prev;
            i += len;
            continue;
        }
        if (c == U_NL) {
            if (st.cur_has_tok)
                st.pending_break = 1;
            prev = '\n';
            i += len;
            continue;
        }
        /* Punctuation and other symbols: one token each. A run of
         * terminal marks ends the sentence after its last mark. */
        if (cp < 0x80)
            emit_copy(&st, TOK_PUNCT, i, len);
        else {
            size_t norm_off = out->pool_n;
            pool_reserve(out, len * 4 + 8);
            fold_slow(out, s + i, len);
            emit(&st, TOK_PUNCT, 0, i, len, norm_off);
        }
        i += len;
        prev = cp;
        if (is_terminal(cp)) {
            size_t l2;
            int32_t nx = i < n ? utf8_get(s, i, &l2) : -1;
            if (!is_terminal(nx))
                st.pending_break = 1;
        }
    }
    /* Norm pointers, now that the pool no longer moves. */
    size_t at = 0;
    for (size_t k = 0; k < out->n; k++) {
        out->v[k].norm = out->pool + at;
        at += out->v[k].norm_n + 1;
    }
    out->n_sentences = out->n ? st.sentence + 1 : 0;
    return 0;
}

int tokenize_text(struct tokens *out, const char *s, size_t n, struct err *err)
{
    return tokenize_run(out, s, n, 1, err);
}

int tokenize_text_general(struct tokens *out, const char *s, size_t n,
                          struct err *err)
{
    return tokenize_run(out, s, n, 0, err);
}
