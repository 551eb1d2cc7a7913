#include "text/pii.h"

#include <assert.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/xalloc.h"

/* How the scan works (the rules themselves are listed in docs/privacy.md).
 *
 * E-mail addresses are found first, with memchr over '@' and a bounded
 * look either side; they split the text into gaps. Each gap is scanned for
 * the bytes that can start anything else (digits, '+', '('), which the
 * inner loop skips to with one table lookup per byte. At such a byte, on a
 * word boundary, the "numeric run" is read: digit groups joined by one
 * space or dash, a leading '+', parenthesised area codes. Each group start
 * of the run is then tried, in order, as an address house number, a
 * personnummer, a card number and a phone number; the first hit is
 * replaced and the scan continues after it. Everything is bounded per start
 * position, so the whole scan is linear. */

#define EMAIL_LOCAL_MAX 64
#define EMAIL_DOMAIN_MAX 253
#define WORD_MAX 64       /* longest street or name word looked at */
#define RUN_MAX_GROUPS 48 /* digit groups read at once */
#define RUN_LOOKAHEAD 24  /* groups kept beyond the last start tried */
#define LEFTOVER_DIGITS 4 /* see leftover_ok */

struct scan {
    const unsigned char *s;
    size_t n;     /* whole input */
    size_t hi;    /* end of the current gap: no match reaches past it */
    size_t floor; /* no match starts before it (end of the previous one) */
    unsigned mask;
    struct pii_result *out;
    size_t copied; /* input bytes already accounted for in out->text */
};

struct grp {
    size_t b, e;       /* the group's bytes, '+' and parentheses included */
    size_t d0, nd;     /* first digit and digit count */
    unsigned char sep; /* what joined it to the previous group: 0 (first),
                          ' ', '-', or ')' when glued to "(0)" */
    bool paren, plus;
};

struct run {
    struct grp g[RUN_MAX_GROUPS];
    size_t n;
    bool complete; /* the run ended within g[] */
};

static const char *const kind_names[PII_N_KINDS] = {
    "email", "phone", "personnummer", "card", "address"};
static const char *const placeholders[PII_N_KINDS] = {
    "[e-post]", "[telefon]", "[personnummer]", "[kortnummer]", "[adress]"};

/* Bytes that can start a number-like match. */
static const unsigned char trigger[256] = {
    ['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1,
    ['6'] = 1, ['7'] = 1, ['8'] = 1, ['9'] = 1, ['+'] = 1, ['('] = 1};

void pii_result_init(struct pii_result *r)
{
    *r = (struct pii_result)PII_RESULT_INIT;
}

void pii_result_dispose(struct pii_result *r)
{
    if (!r)
        return;
    free(r->text);
    free(r->m);
    pii_result_init(r);
}

const char *pii_kind_name(enum pii_kind kind)
{
    return (unsigned)kind < PII_N_KINDS ? kind_names[kind] : "unknown";
}

const char *pii_kind_placeholder(enum pii_kind kind)
{
    return (unsigned)kind < PII_N_KINDS ? placeholders[kind] : "[?]";
}

/* ---- character classes ------------------------------------------------ */

static bool is_digit(int b)
{
    return b >= '0' && b <= '9';
}

static bool is_alpha(int b)
{
    return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z');
}

static bool is_alnum(int b)
{
    return is_digit(b) || is_alpha(b);
}

/* The byte at i, or -1 at the end of the current gap. */
static int ch(const struct scan *c, size_t i)
{
    return i < c->hi ? c->s[i] : -1;
}

/* A two-byte UTF-8 letter: lead C3..DF covers Latin-1 (but × and ÷),
 * Latin Extended, Greek, Cyrillic, Hebrew and Arabic. Emoji, NBSP, dashes
 * and quotes are C2 or three- and four-byte sequences, so they are not. */
static bool letter2(int lead, int cont)
{
    return lead >= 0xC3 && lead <= 0xDF && cont >= 0x80 && cont <= 0xBF &&
           !(lead == 0xC3 && (cont == 0x97 || cont == 0xB7));
}

/* Length of the letter starting at i (1 ASCII, 2 letter2), or 0. */
static size_t letter_at(const struct scan *c, size_t i)
{
    int b = ch(c, i);
    if (is_alpha(b))
        return 1;
    if (letter2(b, ch(c, i + 1)))
        return 2;
    return 0;
}

/* Length of the letter ending just before i, not reaching below lo. */
static size_t letter_before(const struct scan *c, size_t i, size_t lo)
{
    if (i <= lo)
        return 0;
    if (is_alpha(c->s[i - 1]))
        return 1;
    if (i - 1 > lo && letter2(c->s[i - 2], c->s[i - 1]))
        return 2;
    return 0;
}

static bool upper_at(const struct scan *c, size_t i)
{
    int b = ch(c, i);
    if (b >= 'A' && b <= 'Z')
        return true;
    int b2 = ch(c, i + 1);
    return b == 0xC3 && b2 >= 0x80 && b2 <= 0x9E && b2 != 0x97;
}

static size_t word_end(const struct scan *c, size_t i)
{
    size_t k;
    while ((k = letter_at(c, i)) > 0)
        i += k;
    return i;
}

/* Start of the word of letters ending at e; e itself when there is none or
 * it is longer than WORD_MAX or does not start on a word boundary. */
static size_t word_start(const struct scan *c, size_t e, size_t lo)
{
    size_t b = e, k;
    while ((k = letter_before(c, b, lo)) > 0) {
        b -= k;
        if (e - b > WORD_MAX)
            return e;
    }
    /* Glued to a digit, or cut off by the previous match: not a word. */
    if (b > 0 && (is_alnum(c->s[b - 1]) || (b == lo && letter_before(c, b, 0))))
        return e;
    return b;
}

/* Lower-cases s[b..e) (ASCII and Latin-1) into buf; 0 when too long. */
static size_t fold(const struct scan *c, size_t b, size_t e, char *buf,
                   size_t cap)
{
    size_t n = 0;
    if (e - b > cap)
        return 0;
    for (size_t i = b; i < e; i++) {
        unsigned char x = c->s[i];
        bool upper =
            (x >= 'A' && x <= 'Z') || (i > b && c->s[i - 1] == 0xC3 &&
                                       x >= 0x80 && x <= 0x9E && x != 0x97);
        if (upper)
            x = (unsigned char)(x + 32);
        buf[n++] = (char)x;
    }
    return n;
}

static bool word_is(const char *w, size_t n, const char *lit)
{
    return strlen(lit) == n && memcmp(w, lit, n) == 0;
}

/* ---- output ------------------------------------------------------------ */

static void out_add(struct pii_result *r, const void *p, size_t n)
{
    r->text = xgrow(r->text, &r->text_cap, r->n + n + 1, 1);
    if (n)
        memcpy(r->text + r->n, p, n);
    r->n += n;
    r->text[r->n] = 0;
}

static void emit(struct scan *c, enum pii_kind kind, size_t off, size_t len)
{
    assert(off >= c->floor && off + len <= c->hi && len > 0);
    c->floor = off + len;
    if (!(c->mask & PII_BIT(kind)))
        return;
    struct pii_result *r = c->out;
    out_add(r, c->s + c->copied, off - c->copied);
    r->m = xgrow(r->m, &r->m_cap, r->n_m + 1, sizeof *r->m);
    r->m[r->n_m++] = (struct pii_match){kind, off, len, r->n};
    out_add(r, placeholders[kind], strlen(placeholders[kind]));
    c->copied = off + len;
}

/* ---- checksums --------------------------------------------------------- */

int pii_luhn_ok(const char *digits, size_t n)
{
    unsigned sum = 0;
    if (!digits || n < 2)
        return 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char b = (unsigned char)digits[n - 1 - i];
        if (!is_digit(b))
            return 0;
        unsigned d = (unsigned)(b - '0');
        if (i % 2 == 1) {
            d *= 2;
            if (d > 9)
                d -= 9;
        }
        sum += d;
    }
    return sum % 10 == 0;
}

static unsigned two(const char *p)
{
    return (unsigned)(p[0] - '0') * 10u + (unsigned)(p[1] - '0');
}

static bool all_digits(const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!is_digit((unsigned char)p[i]))
            return false;
    return true;
}

int pii_personnummer_ok(const char *s, size_t n)
{
    char ten[10];
    int century = -1; /* unknown for the ten-digit forms */
    if (!s)
        return 0;
    if (n == 10 || n == 11) {
        if (n == 11 && s[6] != '-' && s[6] != '+')
            return 0;
        memcpy(ten, s, 6);
        memcpy(ten + 6, s + n - 4, 4);
    } else if (n == 12 || n == 13) {
        if (n == 13 && s[8] != '-')
            return 0;
        if (!all_digits(s, 2))
            return 0;
        century = (int)two(s);
        if (century < 18 || century > 20)
            return 0;
        memcpy(ten, s + 2, 6);
        memcpy(ten + 6, s + n - 4, 4);
    } else {
        return 0;
    }
    if (!all_digits(ten, 10))
        return 0;

    unsigned yy = two(ten), mm = two(ten + 2), dd = two(ten + 4);
    int kind = 1;
    if (dd > 60) {
        dd -= 60;
        kind = 2;
    }
    static const unsigned char mdays[12] = {31, 29, 31, 30, 31, 30,
                                            31, 31, 30, 31, 30, 31};
    if (mm < 1 || mm > 12 || dd < 1 || dd > mdays[mm - 1])
        return 0;
    if (mm == 2 && dd == 29) {
        /* Without the century, 00 might be 2000 (leap) or 1900 (not). */
        bool leap = yy % 4 == 0;
        if (century >= 0 && yy == 0)
            leap = century == 20;
        if (!leap)
            return 0;
    }
    return pii_luhn_ok(ten, 10) ? kind : 0;
}

/* ---- e-mail ------------------------------------------------------------ */

static bool local_char(int b)
{
    return is_alnum(b) || b == '.' || b == '_' || b == '%' || b == '+' ||
           b == '-';
}

/* Finds the first e-mail address whose '@' is at or after from; its local
 * part does not reach back before from. */
static bool find_email(const struct scan *c, size_t from, size_t *es,
                       size_t *ee)
{
    const unsigned char *s = c->s;
    size_t n = c->n, a = from;
    while (a < n) {
        const unsigned char *at = memchr(s + a, '@', n - a);
        if (!at)
            return false;
        a = (size_t)(at - s);

        size_t b = a;
        while (b > from && a - b <= EMAIL_LOCAL_MAX) {
            if (local_char(s[b - 1]))
                b--;
            else if (b - 1 > from && letter2(s[b - 2], s[b - 1]))
                b -= 2;
            else
                break;
        }
        bool ok = a - b <= EMAIL_LOCAL_MAX;
        while (b < a && !is_alnum(s[b]) && s[b] < 0x80)
            b++; /* a local part starts with a letter or digit */

        size_t d = a + 1, e = d, dots = 0, label = 0, tld = 0;
        ok = ok && b < a && d < n &&
             (is_alnum(s[d]) || (d + 1 < n && letter2(s[d], s[d + 1])));
        while (ok && e < n && e - d <= EMAIL_DOMAIN_MAX) {
            if (is_alnum(s[e]) || s[e] == '-') {
                label++;
                e++;
            } else if (e + 1 < n && letter2(s[e], s[e + 1])) {
                label++;
                e += 2;
            } else if (s[e] == '.' && label > 0 && e + 1 < n &&
                       (is_alnum(s[e + 1]) ||
                        (e + 2 < n && letter2(s[e + 1], s[e + 2])))) {
                dots++;
                label = 0;
                e++;
            } else {
                break;
            }
        }
        ok = ok && dots > 0 && label > 0 && e - d <= EMAIL_DOMAIN_MAX;
        /* The top-level domain: two or more letters. */
        for (size_t i = e; ok && i > d && s[i - 1] != '.'; i--) {
            if (is_digit(s[i - 1]) || s[i - 1] == '-')
                ok = false;
            tld++;
        }
        if (ok && tld >= 2) {
            *es = b;
            *ee = e;
            return true;
        }
        a++;
    }
    return false;
}

/* ---- addresses --------------------------------------------------------- */

struct suffix {
    const char *s;
    bool weak; /* only on a capitalised word: "plan 3" is a floor */
};

/* Compound Swedish street names: "Storgatan", "Kungsvägen". */
static const struct suffix sv_suffixes[] = {
    {"gatan", false}, {"gata", false},    {"vägen", false},
    {"gränd", false}, {"gränden", false}, {"allén", false},
    {"allé", false},  {"stigen", true},   {"backen", true},
    {"backe", true},  {"torget", true},   {"torg", true},
    {"plan", true},   {"leden", true},    {"platsen", true},
    {"plats", true},  {"kajen", true},    {"stranden", true},
    {"gången", true}, {"slingan", true},  {"promenaden", true},
};

/* Street words written apart after a capitalised name: "Sergels torg". */
static const char *const sv_street_words[] = {
    "väg", "vägen", "gata", "gatan", "gränd", "allé", "torg", "plats"};

/* Words after a number that make it a quantity, not a house number. */
static const char *const units[] = {
    "kr",     "kronor", "sek",     "st",      "stycken", "gånger",  "ggr",
    "g",      "kg",     "min",     "minuter", "timmar",  "timme",   "tim",
    "h",      "dagar",  "dag",     "dygn",    "veckor",  "vecka",   "månader",
    "år",     "km",     "m",       "mil",     "meter",   "procent", "euro",
    "dollar", "times",  "minutes", "hours",   "days",    "weeks",   "years"};

static bool is_unit(const char *w, size_t n)
{
    for (size_t i = 0; i < sizeof units / sizeof *units; i++)
        if (word_is(w, n, units[i]))
            return true;
    return false;
}

/* After the number ending at j: a decimal, time, date or percent sign, or a
 * unit word ("12 kr", "12 gånger"). */
static bool quantity_follows(const struct scan *c, size_t j)
{
    int b = ch(c, j);
    if ((b == '.' || b == ',' || b == ':' || b == '/') &&
        is_digit(ch(c, j + 1)))
        return true;
    if (b == '%')
        return true;
    if (b != ' ')
        return false;
    if (ch(c, j + 1) == '%')
        return true;
    size_t e = word_end(c, j + 1);
    char w[16];
    size_t wn = fold(c, j + 1, e, w, sizeof w);
    return wn > 0 && is_unit(w, wn);
}

/* Sentence-initial: only spaces between the text start or .!?: and b. */
static bool sentence_initial(const struct scan *c, size_t b)
{
    while (b > 0 && c->s[b - 1] == ' ')
        b--;
    if (b == 0)
        return true;
    unsigned char p = c->s[b - 1];
    return p == '.' || p == '!' || p == '?' || p == '\n' || p == '\r' ||
           p == '\t';
}

/* A Swedish street name ending just before the house number at p, with one
 * space between; *start is where the name begins. */
static bool sv_street_before(const struct scan *c, size_t p, size_t *start)
{
    if (p < c->floor + 2 || c->s[p - 1] != ' ')
        return false;
    size_t we = p - 1, ws = word_start(c, we, c->floor);
    if (ws == we)
        return false;
    char w[WORD_MAX];
    size_t wn = fold(c, ws, we, w, sizeof w);
    bool hit = false;
    for (size_t i = 0; !hit && i < sizeof sv_suffixes / sizeof *sv_suffixes;
         i++) {
        size_t sl = strlen(sv_suffixes[i].s);
        hit = wn >= sl + 2 && memcmp(w + wn - sl, sv_suffixes[i].s, sl) == 0 &&
              (!sv_suffixes[i].weak || upper_at(c, ws));
    }
    size_t b = ws;
    if (!hit) {
        for (size_t i = 0;
             !hit && i < sizeof sv_street_words / sizeof *sv_street_words; i++)
            hit = word_is(w, wn, sv_street_words[i]);
        if (!hit || ws < c->floor + 2 || c->s[ws - 1] != ' ')
            return false;
        size_t pb = word_start(c, ws - 1, c->floor);
        if (pb == ws - 1 || !upper_at(c, pb))
            return false;
        b = pb;
    }
    /* "Sankt Eriksgatan", "Lilla Nygatan": up to two capitalised words
     * before, unless the first is just the start of a sentence. */
    for (int k = 0; k < 2 && b >= c->floor + 2 && c->s[b - 1] == ' '; k++) {
        size_t pb = word_start(c, b - 1, c->floor);
        if (pb == b - 1 || !upper_at(c, pb) || sentence_initial(c, pb))
            break;
        b = pb;
    }
    *start = b;
    return true;
}

/* Reads 1..max digits at j, the first not 0; returns the count or 0. */
static size_t house_number(const struct scan *c, size_t j, size_t max)
{
    size_t k = 0;
    if (ch(c, j) == '0')
        return 0;
    while (is_digit(ch(c, j + k)))
        if (++k > max)
            return 0;
    return k;
}

/* "Storgatan 12B", "Kungsvägen 5-7, lgh 1102, 123 45 Uppsala". */
static bool sv_address_at(const struct scan *c, size_t p, size_t *start,
                          size_t *end)
{
    size_t nd = house_number(c, p, 4), j = p + nd;
    if (!nd)
        return false;
    if (ch(c, j) == '-' && is_digit(ch(c, j + 1))) { /* 12-14 */
        size_t k = house_number(c, j + 1, 4);
        if (!k)
            return false;
        j += 1 + k;
    }
    if (quantity_follows(c, j) || !sv_street_before(c, p, start))
        return false;
    if (is_alpha(ch(c, j))) { /* 12B, but not 12st */
        if (letter_at(c, j + 1) || is_digit(ch(c, j + 1)))
            return false;
        j++;
    } else if (ch(c, j) == ' ' && ch(c, j + 1) >= 'A' && ch(c, j + 1) <= 'H' &&
               !letter_at(c, j + 2) && !is_digit(ch(c, j + 2))) {
        j += 2; /* 12 B */
    }
    *end = j;

    /* Optional flat number: ", lgh 1102" or " lgh 1102". */
    size_t k = j + (ch(c, j) == ',');
    if (ch(c, k) == ' ' && (ch(c, k + 1) | 0x20) == 'l' &&
        (ch(c, k + 2) | 0x20) == 'g' && (ch(c, k + 3) | 0x20) == 'h') {
        size_t q = k + 4 + (ch(c, k + 4) == '.');
        q += ch(c, q) == ' ';
        size_t d = 0;
        while (is_digit(ch(c, q + d)) && d < 5)
            d++;
        if (d == 4 && !is_alnum(ch(c, q + d)))
            *end = j = q + d;
    }

    /* Optional postcode "123 45" or "12345", then an optional city. */
    k = j + (ch(c, j) == ',');
    k += ch(c, k) == ' ';
    if (k == j || !is_digit(ch(c, k)) || !is_digit(ch(c, k + 1)) ||
        !is_digit(ch(c, k + 2)))
        return true;
    size_t q = k + 3 + (ch(c, k + 3) == ' ');
    if (!is_digit(ch(c, q)) || !is_digit(ch(c, q + 1)) ||
        is_alnum(ch(c, q + 2)))
        return true;
    *end = q += 2;
    if (ch(c, q) == ' ' && upper_at(c, q + 1)) {
        size_t e = word_end(c, q + 1);
        while (ch(c, e) == '-' && upper_at(c, e + 1)) /* Upplands-Väsby */
            e = word_end(c, e + 1);
        if (!is_alnum(ch(c, e)))
            *end = e;
    }
    return true;
}

struct en_street {
    const char *s;
    bool lower_ok; /* "12 Baker street" is fine; "3 Stars close" is not */
};

static const struct en_street en_streets[] = {
    {"street", true},   {"st", false},       {"road", true},
    {"rd", false},      {"avenue", true},    {"ave", false},
    {"lane", true},     {"ln", false},       {"drive", true},
    {"dr", false},      {"boulevard", true}, {"blvd", false},
    {"way", false},     {"court", false},    {"ct", false},
    {"place", false},   {"pl", false},       {"terrace", false},
    {"close", false},   {"crescent", false}, {"square", false},
    {"sq", false},      {"gardens", false},  {"grove", false},
    {"parkway", false}, {"row", false},      {"highway", false},
    {"hwy", false},
};

static bool en_street_word(const struct scan *c, size_t b, size_t e)
{
    char w[16];
    size_t wn = fold(c, b, e, w, sizeof w);
    for (size_t i = 0; wn && i < sizeof en_streets / sizeof *en_streets; i++)
        if (word_is(w, wn, en_streets[i].s))
            return en_streets[i].lower_ok || upper_at(c, b);
    return false;
}

/* "221B Baker Street", "350 5th Avenue": a number, one to three
 * capitalised words (or ordinals), then a street word. */
static bool en_address_at(const struct scan *c, size_t p, size_t *end)
{
    size_t nd = house_number(c, p, 5), j = p + nd;
    if (!nd)
        return false;
    if (is_alpha(ch(c, j)) && !letter_at(c, j + 1))
        j++;
    if (ch(c, j) != ' ')
        return false;
    for (int names = 0; names <= 3; names++) {
        size_t b = ++j, e;
        if (letter_at(c, b)) {
            e = word_end(c, b);
            if (names > 0 && en_street_word(c, b, e) && !is_alnum(ch(c, e))) {
                *end = e;
                return true;
            }
            if (!upper_at(c, b))
                return false;
        } else { /* an ordinal: 5th, 42nd */
            e = b;
            while (is_digit(ch(c, e)) && e - b < 3)
                e++;
            if (e == b || !is_alpha(ch(c, e)) || !is_alpha(ch(c, e + 1)))
                return false;
            char sfx[2] = {(char)(ch(c, e) | 0x20),
                           (char)(ch(c, e + 1) | 0x20)};
            if (memcmp(sfx, "st", 2) != 0 && memcmp(sfx, "nd", 2) != 0 &&
                memcmp(sfx, "rd", 2) != 0 && memcmp(sfx, "th", 2) != 0)
                return false;
            e += 2;
        }
        if (names == 3 || ch(c, e) != ' ')
            return false;
        j = e;
    }
    return false;
}

/* ---- numeric runs: personnummer, cards, phones ------------------------- */

static bool parse_group(const struct scan *c, size_t i, bool first,
                        struct grp *g)
{
    g->b = i;
    g->plus = first && ch(c, i) == '+';
    g->paren = ch(c, i) == '(';
    if (g->plus || g->paren)
        i++;
    g->d0 = i;
    while (is_digit(ch(c, i)))
        i++;
    g->nd = i - g->d0;
    if (!g->nd)
        return false;
    if (g->paren) {
        if (ch(c, i) != ')' || g->nd > 4)
            return false;
        i++;
    }
    g->e = i;
    return true;
}

static void parse_run(const struct scan *c, size_t i, struct run *r)
{
    r->n = 0;
    r->complete = true;
    if (!parse_group(c, i, true, &r->g[0]))
        return;
    r->g[0].sep = 0;
    r->n = 1;
    for (;;) {
        const struct grp *last = &r->g[r->n - 1];
        size_t j = last->e;
        unsigned char sep;
        if (last->paren && is_digit(ch(c, j))) {
            sep = ')';
        } else if ((ch(c, j) == ' ' || ch(c, j) == '-') &&
                   (is_digit(ch(c, j + 1)) || ch(c, j + 1) == '(')) {
            sep = (unsigned char)ch(c, j);
            j++;
        } else {
            return;
        }
        if (r->n == RUN_MAX_GROUPS) {
            r->complete = false;
            return;
        }
        if (!parse_group(c, j, false, &r->g[r->n]))
            return;
        r->g[r->n++].sep = sep;
    }
}

/* The k-th digit of the run from group g on, or -1. */
static int run_digit(const struct scan *c, const struct run *r, size_t g,
                     size_t k)
{
    for (; g < r->n; g++) {
        if (k < r->g[g].nd)
            return c->s[r->g[g].d0 + k];
        k -= r->g[g].nd;
    }
    return -1;
}

/* Nothing number-like may continue right after a match at the run end:
 * "0701234567abc" and "0701234567,5" are not phone numbers. */
static bool ends_cleanly(const struct scan *c, size_t e)
{
    int b = ch(c, e);
    if (is_alnum(b) || b == '_')
        return false;
    return !((b == '.' || b == ',') && is_digit(ch(c, e + 1)));
}

/* A personnummer at p (raw bytes, since "811218+9876" is not a run);
 * returns its end or 0. */
static size_t pnr_at(const struct scan *c, size_t p)
{
    size_t d = 0, end;
    while (d < 13 && is_digit(ch(c, p + d)))
        d++;
    if (d == 10 || d == 12) {
        end = p + d;
    } else if ((d == 6 || d == 8) &&
               (ch(c, p + d) == '-' || ch(c, p + d) == '+') &&
               is_digit(ch(c, p + d + 1)) && is_digit(ch(c, p + d + 2)) &&
               is_digit(ch(c, p + d + 3)) && is_digit(ch(c, p + d + 4)) &&
               !is_digit(ch(c, p + d + 5))) {
        end = p + d + 5;
    } else {
        return 0;
    }
    if (!ends_cleanly(c, end) ||
        !pii_personnummer_ok((const char *)c->s + p, end - p))
        return 0;
    return end;
}

static bool card_luhn(const struct scan *c, const struct run *r, size_t g,
                      size_t k)
{
    char d[19];
    size_t n = 0;
    for (size_t i = g; i <= k; i++)
        for (size_t j = 0; j < r->g[i].nd && n < sizeof d; j++)
            d[n++] = (char)c->s[r->g[i].d0 + j];
    return pii_luhn_ok(d, n);
}

/* A card number of groups g..*k: 13-19 digits, issuer digit 2-6, one
 * group or groups of 3-6 digits with one kind of separator, Luhn. */
static bool card_at(const struct scan *c, const struct run *r, size_t g,
                    size_t *k)
{
    const struct grp *G = &r->g[g];
    if (G->plus || G->paren || c->s[G->d0] < '2' || c->s[G->d0] > '6')
        return false;
    if (G->nd >= 13) {
        *k = g;
        return G->nd <= 19 && card_luhn(c, r, g, g);
    }
    size_t ends[8], n_ends = 0, total = 0;
    for (size_t i = g; i < r->n && n_ends < 8; i++) {
        const struct grp *x = &r->g[i];
        if (x->paren || x->nd < 3 || x->nd > 6 ||
            (i > g + 1 && x->sep != r->g[g + 1].sep) ||
            (i > g && x->sep == ')'))
            break;
        total += x->nd;
        if (total > 19)
            break;
        if (total >= 13)
            ends[n_ends++] = i;
    }
    while (n_ends > 0) {
        *k = ends[--n_ends];
        if (card_luhn(c, r, g, *k))
            return true;
    }
    return false;
}

/* A phone number of groups g..*k, see docs/privacy.md for the rule. */
static bool phone_at(const struct scan *c, const struct run *r, size_t g,
                     size_t *k)
{
    const struct grp *G = &r->g[g];
    int d0 = run_digit(c, r, g, 0), d1 = run_digit(c, r, g, 1);
    size_t skip = 0, min, max;
    if (G->plus || (d0 == '0' && d1 == '0')) {
        skip = G->plus ? 0 : 2;
        int cc0 = run_digit(c, r, g, skip), cc1 = run_digit(c, r, g, skip + 1);
        if (cc0 < '1' || cc0 > '9')
            return false;
        min = 8;
        max = 15;
        if (cc0 == '4' && cc1 == '6') { /* Sweden: 46 + 7 to 10 digits */
            min = 9;
            max = 12;
        }
    } else if (d0 == '0' && d1 >= '1' && d1 <= '9') {
        min = 8;  /* 08-12 34 56 */
        max = 11; /* 020 7946 0958 (UK) */
    } else {
        /* North American: (415) 555-0100 or 415-555-0100. */
        if (g + 2 >= r->n || G->nd != 3 || d0 < '2' || d0 > '9')
            return false;
        const struct grp *a = &r->g[g + 1], *b = &r->g[g + 2];
        bool sep_ok =
            G->paren ? (a->sep == ' ' || a->sep == ')') : a->sep == '-';
        if (a->paren || a->nd != 3 || b->paren || b->nd != 4 || b->sep != '-' ||
            !sep_ok)
            return false;
        *k = g + 2;
        return true;
    }
    size_t total = 0;
    bool found = false;
    for (size_t i = g; i < r->n; i++) {
        total += r->g[i].nd;
        if (total > max + skip)
            break;
        /* A lone trailing digit ("... 67 2 gånger") is not part of it. */
        if (total >= min + skip &&
            !(i > g && r->g[i].nd == 1 && r->g[i].sep == ' ')) {
            *k = i;
            found = true;
        }
    }
    return found;
}

/* A match on groups g..k of a run is taken only if what follows in the run
 * could not be the rest of one longer number: at most a few more digits
 * ("070-123 45 67 12 gånger"), or the start of another match ("070-123 45
 * 67 08-123 456 78"). This keeps "0123 4567" out of the order number
 * "1234 0123 4567 8901". */
static bool leftover_ok(const struct scan *c, const struct run *r, size_t k)
{
    size_t more = 0, dummy;
    if (k + 1 >= r->n)
        return !r->complete || ends_cleanly(c, r->g[k].e);
    for (size_t i = k + 1; i < r->n && more < LEFTOVER_DIGITS; i++)
        more += r->g[i].nd;
    if (more < LEFTOVER_DIGITS)
        return true;
    const struct grp *nx = &r->g[k + 1];
    return (!nx->paren && pnr_at(c, nx->b)) || card_at(c, r, k + 1, &dummy) ||
           phone_at(c, r, k + 1, &dummy);
}

/* Handles the numeric run starting at i; returns where to scan on. */
static size_t scan_run(struct scan *c, size_t i)
{
    struct run r;
    parse_run(c, i, &r);
    if (r.n == 0)
        return i + 1;
    size_t limit = r.complete ? r.n : r.n - RUN_LOOKAHEAD;
    for (size_t g = 0; g < limit; g++) {
        const struct grp *G = &r.g[g];
        size_t start, end, k;
        /* A dash binds tighter than a space: "2025-0312-4455" is one
         * token, so no match starts inside it. */
        if (g > 0 && G->sep != ' ')
            continue;
        if (!G->plus && !G->paren) {
            if (sv_address_at(c, G->b, &start, &end)) {
                emit(c, PII_ADDRESS, start, end - start);
                return end;
            }
            if (en_address_at(c, G->b, &end)) {
                emit(c, PII_ADDRESS, G->b, end - G->b);
                return end;
            }
        }
        if (!G->plus && !G->paren && (end = pnr_at(c, G->b)) > 0) {
            emit(c, PII_PERSONNUMMER, G->b, end - G->b);
            return end;
        }
        if ((card_at(c, &r, g, &k) && leftover_ok(c, &r, k))) {
            emit(c, PII_CARD, G->b, r.g[k].e - G->b);
            return r.g[k].e;
        }
        if (phone_at(c, &r, g, &k) && leftover_ok(c, &r, k)) {
            emit(c, PII_PHONE, G->b, r.g[k].e - G->b);
            return r.g[k].e;
        }
    }
    return r.complete ? r.g[r.n - 1].e : r.g[limit].b;
}

/* A number may start at i: not inside a word, and not after "12," "3." or
 * "10:" (the rest of a decimal or a time). */
static bool boundary_before(const struct scan *c, size_t i)
{
    if (i == 0)
        return true;
    unsigned char p = c->s[i - 1];
    if (is_alnum(p) || p == '_')
        return false;
    return !((p == '.' || p == ',' || p == ':') && i >= 2 &&
             is_digit(c->s[i - 2]));
}

static void scan_gap(struct scan *c)
{
    const unsigned char *s = c->s;
    size_t i = c->floor;
    while (i < c->hi) {
        if (!trigger[s[i]]) {
            i++;
            continue;
        }
        if (is_digit(s[i])) {
            if (boundary_before(c, i)) {
                i = scan_run(c, i);
            } else {
                while (i < c->hi && is_alnum(s[i]))
                    i++;
            }
        } else if (boundary_before(c, i) && is_digit(ch(c, i + 1))) {
            i = scan_run(c, i); /* '+46', '(08)' */
        } else {
            i++;
        }
    }
}

int pii_redact(struct pii_result *out, const char *s, size_t n,
               unsigned kinds_mask, struct err *err)
{
    assert(out && (s || n == 0));
    out->n = 0;
    out->n_m = 0;
    out_add(out, "", 0);
    if (n > PII_MAX_INPUT)
        return err_set(err, ERR_INVALID,
                       "comment too large: %zu bytes (at most %u)", n,
                       PII_MAX_INPUT);

    struct scan c = {(const unsigned char *)s, n,   n, 0,
                     kinds_mask & PII_ALL,     out, 0};
    size_t pos = 0, es, ee;
    for (;;) {
        bool found = find_email(&c, pos, &es, &ee);
        c.floor = pos;
        c.hi = found ? es : n;
        scan_gap(&c);
        if (!found)
            break;
        c.floor = es;
        c.hi = n;
        emit(&c, PII_EMAIL, es, ee - es);
        pos = ee;
    }
    if (n > c.copied)
        out_add(out, c.s + c.copied, n - c.copied);
    return 0;
}
