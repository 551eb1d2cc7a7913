/* Language identification by weighted function words and spelling cues.
 *
 * Each language has a list of its commonest function words; a word
 * shared by several languages counts for each of them, so it separates
 * that group from the rest, and the distinctive ones (Swedish "inte",
 * Norwegian "ikke", Danish "hvad") separate within it. Letters and
 * letter clusters (æ ø, ä ö, ü ß, "th", "-ing", "kj") add capped
 * evidence for words that are not function words. The score of each
 * language is a sum of weights; confidence grows with the margin between
 * the two best and with the number of words. */
#include "text/langid.h"

#include <assert.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/xalloc.h"
#include "text/tokenize.h"

enum { SV, EN, NO, DA, DE, NL, FI, FR, ES, NLANG };

static const char *const codes[NLANG] = {"sv", "en", "no", "da", "de",
                                         "nl", "fi", "fr", "es"};

#define B(l) (1u << (l))
#define SCAND (B(SV) | B(NO) | B(DA))

/* Words scored per text: enough to decide, bounded cost. */
#define MAX_WORDS 80
/* Cap on the spelling evidence per language, so a Swede typing on a
 * Norwegian keyboard ("køpt lægenhet") still reads as Swedish. */
#define MAX_CUES 4.0

struct wordlist {
    unsigned langs;
    double weight;
    const char *words; /* space-separated */
};

static const struct wordlist lists[] = {
    /* Swedish only */
    {B(SV), 3,
     "inte jag vad mycket också någon något några och är från fick varit "
     "väldigt hur även utan över gick nöjd verkligen tyvärr därför eftersom "
     "sådant bättre ingenting kunde skulle dom mej dej sej sitt "
     "varför tillbaka tills trots redan själv mitt alltså ganska sämre "
     "jättebra bästa också kommer leveransen personalen beställde köpte "
     "fått gjorde gjort använda ändå snälla hälsningar mvh"},
    {B(SV), 2,
     "att för ett till ska vill bara hade vara när där här sedan tack "
     "dålig gör göra inget ni vid åt fler allt alla kund lite rätt "
     "snabbt bra trevlig trevligt personal beställning"},
    {B(SV), 1, "sen man nu också"},
    /* Swedish with Danish or Norwegian */
    {B(SV) | B(DA), 1.5, "mig dig sig aldrig igen efter blev dem"},
    {B(SV) | B(NO), 1.5, "av blir alltid mer bra riktig riktigt mitt"},
    /* all three Scandinavian languages */
    {SCAND, 1,
     "det på med som har var en om så men kan vi de den denna ingen eller "
     "når både min vår kommer får hos fram ut"},
    /* Norwegian and Danish */
    {B(NO) | B(DA), 3,
     "ikke jeg også og fordi hvordan hvor hvis fra bare være derfor "
     "anbefale anbefaler anbefales kundeservice levering hurtig godt "
     "dere skal vil kunne bestilte"},
    {B(NO) | B(DA), 2, "er til et"},
    /* Norwegian */
    {B(NO), 3,
     "hva veldig noe noen mye meg deg seg hadde etter fikk ble blitt nå "
     "å uten aldri igjen ikkje eg kjempe kjøpt fornøyd takk tilbake rask "
     "raskt bestille enkelt flott"},
    /* Danish */
    {B(DA), 3,
     "hvad meget nogle noget nogen af havde bliver ud lidt rigtig købt "
     "fik altid hvornår gerne tilbage tak fornøjet sådan mange virkelig "
     "dejlig hurtigt bestilt"},
    {B(DA), 1.5, "op jo nu"},
    /* English */
    {B(EN), 3,
     "the and is was of it with that this you not very have they but my "
     "are we were would from their there what which will been has our "
     "after again when your did don't it's i'm didn't wasn't could "
     "can't won't isn't couldn't doesn't i've "
     "should really just got get good great recommend received ordered "
     "delivery customer always never because about any also who"},
    {B(EN), 2, "to for be at had so all an can if do he she me"},
    {B(EN), 1, "on no"},
    {B(EN) | SCAND, 0.5, "i"},
    /* Content words common in customer comments, so short comments
     * ("bad service", "snabb leverans") are placed too. */
    {B(EN), 1.5,
     "bad good great poor excellent perfect fast quick slow shipping "
     "quality price prices experience staff friendly helpful works worked "
     "shop store order product products support easy nice better best "
     "worst terrible awful love top closed free back thanks thank please "
     "happy satisfied disappointed recommends recommended delivered "
     "received fine ok okay well bought buy sent money refund wrong"},
    {B(SV), 1.5,
     "dålig dåligt snabb leverans kvalitet pris priser upplevelse "
     "hjälpsam rekommenderar fungerar butik produkt produkter kundtjänst "
     "enkelt smidigt toppen perfekt sämst bäst inga kommentarer nöjda "
     "trevlig bemötande köp levererade fungerade pengar fel otrevlig "
     "tjänst tjänster varor vara tyvärr jätte grymt"},
    /* German */
    {B(DE), 3,
     "und ist nicht ich sehr auf für eine wurde sind haben auch aber dass "
     "schnell immer wir bei noch gut kein keine mit zu das der"},
    {B(DE), 1.5, "die es sie ein war"},
    /* Dutch */
    {B(NL), 3,
     "het een niet ik zijn van wij heel ook maar voor erg goed zeer wel "
     "geen nog naar hebben werd"},
    /* Finnish */
    {B(FI), 3,
     "ei oli että mutta kuin tai hyvä erittäin olen myös kanssa ole ovat "
     "hyvin nopea kiitos todella aina palvelu tuote tilaus ja on se"},
    /* French */
    {B(FR), 3,
     "le les est je pas très avec une des pour qui dans sur mais vous "
     "nous être c'est j'ai bien"},
    {B(FR), 1.5, "la et que"},
    /* Spanish */
    {B(ES), 3,
     "el los las muy pero con por para una del está gracias bueno todo "
     "fue y"},
    {B(ES), 1.5, "la que es lo se"},
};

/* Scores are packed per language in 7-bit fields, in half points. */
#define FIELD 7
#define FMASK ((1u << FIELD) - 1)

/* The word table: open addressing keyed by tokens_hash, so a token is
 * looked up by the hash the tokeniser gave it. Slots are 8 bytes (the
 * hash's upper half and the word's index) so the table stays in the
 * first-level cache; words point into lists[]. */
struct lword {
    const char *w;
    size_t n;
    int64_t packed; /* pack_add's scores */
};

struct lslot {
    uint32_t tag; /* 0: empty */
    uint32_t idx;
};

struct langid {
    struct lslot *slots;
    size_t mask;
    struct lword *words;
    size_t n_words;
};

static uint32_t tag_of(uint64_t h)
{
    uint32_t v = (uint32_t)(h >> 32);
    return v ? v : 1;
}

/* memcmp(a, b, n) == 0 for the few bytes of a word, without a call. */
static int same_bytes(const char *a, const char *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (a[i] != b[i])
            return 0;
    return 1;
}

/* The word w (n bytes, hash h), or NULL; with at, the slot it is in or
 * would go to. */
static struct lword *word_find(const struct langid *li, uint64_t h,
                               const char *w, size_t n, struct lslot **at)
{
    uint32_t tag = tag_of(h);
    for (size_t j = (size_t)h & li->mask;; j = (j + 1) & li->mask) {
        struct lslot *s = &li->slots[j];
        if (!s->tag) {
            if (at)
                *at = s;
            return NULL;
        }
        if (s->tag == tag) {
            struct lword *e = &li->words[s->idx];
            if (e->n == n && same_bytes(e->w, w, n))
                return e;
        }
    }
}

static int64_t pack_add(int64_t packed, unsigned langs, double w)
{
    uint64_t p = (uint64_t)packed;
    unsigned add = (unsigned)lround(w * 2);
    for (int l = 0; l < NLANG; l++) {
        if (!(langs & B(l)))
            continue;
        unsigned v = (unsigned)(p >> (l * FIELD)) & FMASK;
        v = v + add > FMASK ? FMASK : v + add;
        p &= ~((uint64_t)FMASK << (l * FIELD));
        p |= (uint64_t)v << (l * FIELD);
    }
    return (int64_t)p;
}

int langid_new(struct langid **out, struct err *err)
{
    (void)err;
    struct langid *li = xmalloc(sizeof *li);
    size_t total = sizeof lists / sizeof lists[0], cap = 64;
    for (size_t i = 0; i < sizeof lists / sizeof lists[0]; i++)
        for (const char *p = lists[i].words; *p; p++)
            total += *p == ' ';
    while (cap < 2 * total)
        cap *= 2; /* at most half full */
    li->slots = xcalloc(cap, sizeof *li->slots);
    li->mask = cap - 1;
    li->words = xcalloc(total, sizeof *li->words);
    li->n_words = 0;
    for (size_t i = 0; i < sizeof lists / sizeof lists[0]; i++) {
        const char *p = lists[i].words;
        while (*p) {
            while (*p == ' ')
                p++;
            const char *w = p;
            while (*p && *p != ' ')
                p++;
            if (p == w)
                continue;
            size_t n = (size_t)(p - w);
            uint64_t h = tokens_hash(w, n);
            struct lslot *at;
            struct lword *e = word_find(li, h, w, n, &at);
            if (!e) {
                assert(li->n_words < total);
                e = &li->words[li->n_words];
                e->w = w;
                e->n = n;
                e->packed = 0;
                at->tag = tag_of(h);
                at->idx = (uint32_t)li->n_words++;
            }
            e->packed = pack_add(e->packed, lists[i].langs, lists[i].weight);
        }
    }
    *out = li;
    return 0;
}

void langid_free(struct langid *li)
{
    if (!li)
        return;
    free(li->slots);
    free(li->words);
    free(li);
}

/* ends(w, n, "suffix") with the length known at compile time. */
#define ENDS(w, n, lit)                                                        \
    ((n) > sizeof(lit) && !memcmp((w) + (n) - (sizeof(lit) - 1), lit,         \
                                  sizeof(lit) - 1))

/* The top bit of each byte of x (all below 0x80) that equals ch. */
static uint64_t byte_eq(uint64_t x, unsigned char ch)
{
    const uint64_t ones = 0x0101010101010101ULL, low7 = ones * 0x7f;
    uint64_t y = x ^ (ones * ch); /* 0 where equal */
    /* exact: adding 0x7f to the low 7 bits sets the top bit unless 0 */
    return ~(((y & low7) + low7) | y) & (ones << 7);
}

/* Spelling cues of one normalised word, added to cue[]. One pass over
 * the bytes finds the letters and letter pairs that the cues ask about;
 * this runs for every word not in the word list, so it must be cheap. */
static void spelling(const char *w, size_t n, double *cue)
{
    enum {
        C_AE = 1 << 0, C_OE = 1 << 1, C_A_ = 1 << 2, C_O_ = 1 << 3,
        C_AA = 1 << 4, C_DE = 1 << 5, C_FR = 1 << 6, C_ES = 1 << 7,
        C_EN2 = 1 << 8, C_TJ = 1 << 9, C_KJ = 1 << 10
    };
    unsigned c = 0;
    uint64_t v = 0;
    if (n <= 8)
        memcpy(&v, w, n);
    int ascii8 = n <= 8 && !(v & 0x8080808080808080ULL);
    if (ascii8) {
        /* An ASCII word of up to 8 bytes, all its bytes at once: the
         * same letters and pairs as the loop below (whose next byte past
         * the end is 0, as the zero padding is here). */
        uint64_t nx = v >> 8;
        if (byte_eq(v, 'w') |
            (byte_eq(v, 'e') & (byte_eq(nx, 'e') | byte_eq(nx, 'a'))) |
            (byte_eq(v, 'o') & (byte_eq(nx, 'o') | byte_eq(nx, 'u'))))
            c |= C_EN2;
        if (byte_eq(v, 't') & byte_eq(nx, 'j'))
            c |= C_TJ;
        if (byte_eq(v, 'k') & byte_eq(nx, 'j'))
            c |= C_KJ;
    }
    for (size_t i = 0; !ascii8 && i < n; i++) {
        unsigned char b = (unsigned char)w[i];
        unsigned char nx = i + 1 < n ? (unsigned char)w[i + 1] : 0;
        if (b == 0xc3) {
            switch (nx) {
            case 0xa6: c |= C_AE; break;           /* æ */
            case 0xb8: c |= C_OE; break;           /* ø */
            case 0xa4: c |= C_A_; break;           /* ä */
            case 0xb6: c |= C_O_; break;           /* ö */
            case 0xa5: c |= C_AA; break;           /* å */
            case 0xbc: case 0x9f: c |= C_DE; break; /* ü ß */
            case 0xa9: case 0xa8: case 0xa0: case 0xa7: case 0xaa:
                c |= C_FR; /* é è à ç ê */
                break;
            case 0xb1: case 0xa1: case 0xad: case 0xb3: case 0xba:
                c |= C_ES; /* ñ á í ó ú */
                break;
            default: break;
            }
            continue;
        }
        if (b == 'w' || (b == 'e' && (nx == 'e' || nx == 'a')) ||
            (b == 'o' && (nx == 'o' || nx == 'u')))
            c |= C_EN2;
        else if (b == 't' && nx == 'j')
            c |= C_TJ;
        else if (b == 'k' && nx == 'j')
            c |= C_KJ;
    }
    if (c & (C_AE | C_OE)) {
        cue[NO] += 1;
        cue[DA] += 1;
    }
    if (c & (C_A_ | C_O_)) {
        cue[SV] += 1;
        cue[FI] += 0.6;
        cue[DE] += 0.4;
    }
    if (c & C_AA) {
        cue[SV] += 0.3;
        cue[NO] += 0.3;
        cue[DA] += 0.3;
    }
    if (c & C_DE)
        cue[DE] += 1.5;
    if (c & C_FR)
        cue[FR] += 1;
    if (c & C_ES)
        cue[ES] += 1;
    if (n >= 3 &&
        ((w[0] == 't' && w[1] == 'h') || (w[0] == 'w' && w[1] == 'h')))
        cue[EN] += 0.5;
    if (ENDS(w, n, "ing") || ENDS(w, n, "tion") || ENDS(w, n, "ly") ||
        ENDS(w, n, "ness") || ENDS(w, n, "ful"))
        cue[EN] += 0.5;
    if (c & C_EN2)
        cue[EN] += 0.3;
    if (ENDS(w, n, "ning") || ENDS(w, n, "het") || ENDS(w, n, "igt") ||
        ENDS(w, n, "ligt") || ENDS(w, n, "ade") || ENDS(w, n, "arna") ||
        ENDS(w, n, "erna") || (c & C_TJ) || (w[0] == 's' && w[1] == 'j'))
        cue[SV] += 0.5;
    if (c & C_KJ)
        cue[NO] += 0.7;
    /* Danish past tense and nouns: svarede, frihed */
    if (ENDS(w, n, "ede") || ENDS(w, n, "hed"))
        cue[DA] += 0.7;
    if (n > 2 && w[0] == 'h' && w[1] == 'v') {
        cue[NO] += 0.5;
        cue[DA] += 0.5;
    }
}

/* A lead of 20 points over every other language (half a dozen
 * distinctive words) will not be overturned. half: scores in half
 * points, which the word table's weights are. */
static int decided(const unsigned *half)
{
    unsigned best = 0, second = 0;
    for (int l = 0; l < NLANG; l++) {
        if (half[l] > best) {
            second = best;
            best = half[l];
        } else if (half[l] > second) {
            second = half[l];
        }
    }
    return best - second >= 40;
}

void langid_detect(const struct langid *li, const struct tokens *t,
                   struct langid_result *out)
{
    double score[NLANG], cue[NLANG] = {0};
    unsigned half[NLANG] = {0}; /* word scores, in half points */
    int words = 0;
    for (size_t i = 0; i < t->n && words < MAX_WORDS; i++) {
        const struct token *k = &t->v[i];
        if (k->kind != TOK_WORD)
            continue;
        words++;
        /* Decided early: stop when one language leads by far. */
        if ((words & 15) == 0 && decided(half))
            break;
        const struct lword *lw =
            word_find(li, k->hash, k->norm, k->norm_n, NULL);
        if (lw) {
            uint64_t p = (uint64_t)lw->packed;
            for (int l = 0; l < NLANG; l++)
                half[l] += (unsigned)(p >> (l * FIELD)) & FMASK;
        } else {
            spelling(k->norm, k->norm_n, cue);
        }
    }
    /* Sums of halves are exact in a double, so this is the sum the
     * words add up to, whatever the order. */
    for (int l = 0; l < NLANG; l++)
        score[l] =
            (double)half[l] / 2 + (cue[l] < MAX_CUES ? cue[l] : MAX_CUES);

    /* Ties go to the earlier language: Swedish, then English. */
    int best = 0, second = 1;
    if (score[1] > score[0]) {
        best = 1;
        second = 0;
    }
    for (int l = 2; l < NLANG; l++) {
        if (score[l] > score[best]) {
            second = best;
            best = l;
        } else if (score[l] > score[second]) {
            second = l;
        }
    }
    out->nearest = score[SV] + score[NO] + score[DA] >= score[EN] &&
                           (score[SV] > 0 || score[NO] > 0 || score[DA] > 0)
                       ? LANG_SV
                       : LANG_EN;
    if (score[best] < 1) {
        out->lang = LANG_OTHER;
        out->confidence = 0;
        out->code = "und";
        if (score[best] == 0)
            out->nearest = LANG_SV;
        return;
    }
    double margin = score[best] - score[second];
    /* A margin of 3 (one distinctive word) gives about 0.63; short texts
     * are damped, full trust from about six words. */
    double conf = 1 - exp(-margin / 3);
    double len = words >= 6 ? 1 : 0.4 + 0.1 * words;
    conf *= len;
    if (conf > 0.99)
        conf = 0.99;
    out->confidence = conf;
    out->code = codes[best];
    out->lang = best == SV ? LANG_SV : best == EN ? LANG_EN : LANG_OTHER;
    if (best == SV || best == NO || best == DA)
        out->nearest = LANG_SV;
    else if (best == EN)
        out->nearest = LANG_EN;
}
