/* The comment pipeline: redact, tokenise, identify the language, score
 * sentiment, find themes and give each the sentiment of its clauses. */
#include "text/analyze.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/xalloc.h"
#include "text/langid.h"
#include "text/pii.h"
#include "text/sentiment.h"
#include "text/themes.h"
#include "text/tokenize.h"

/* The sentiment module's squashing of a weight sum into -1..1
 * (sentiment.h: s / sqrt(s^2 + 15)), applied to a clause's hits. */
#define CLAUSE_ALPHA 15.0
/* Most explanation entries written per comment. */
#define MAX_EXPLAINED 24

struct analyzer {
    const struct langid *li;
    const struct sentiment *se;
    const struct themes *th;
    struct stemmer *stem[3]; /* by enum lang */
    struct pii_result pii;
    struct tokens tok;
    struct sentiment_result sr;
    struct theme_hits hits;
    struct strbuf rule; /* one rule in words */
    int *clause;        /* clause number of each token */
    size_t clause_cap;
    double *clause_sum; /* sentiment weight per clause, per sentence */
    size_t clause_sum_cap;
    double *sent_sum;
    size_t sent_sum_cap;
    int *theme_slot; /* theme index -> slot in out->themes, or -1 */
    size_t theme_slot_cap;
    int *seen; /* per theme: the last clause counted */
    size_t seen_cap;
    int *n_clauses; /* per slot: clauses counted */
    size_t n_clauses_cap;
};

void analysis_init(struct analysis *a)
{
    memset(a, 0, sizeof *a);
    strbuf_init(&a->text, 0);
    strbuf_init(&a->explanation, 0);
}

void analysis_dispose(struct analysis *a)
{
    if (!a)
        return;
    strbuf_dispose(&a->text);
    strbuf_dispose(&a->explanation);
    free(a->themes);
    analysis_init(a);
}

int analyzer_new(struct analyzer **out, const struct langid *li,
                 const struct sentiment *se, const struct themes *th,
                 struct err *err)
{
    (void)err;
    struct analyzer *a = xcalloc(1, sizeof *a);
    a->li = li;
    a->se = se;
    a->th = th;
    a->stem[LANG_SV] = stemmer_new(LANG_SV);
    a->stem[LANG_EN] = stemmer_new(LANG_EN);
    pii_result_init(&a->pii);
    tokens_init(&a->tok);
    sentiment_result_init(&a->sr);
    theme_hits_init(&a->hits);
    strbuf_init(&a->rule, 512);
    *out = a;
    return 0;
}

void analyzer_free(struct analyzer *a)
{
    if (!a)
        return;
    stemmer_free(a->stem[LANG_SV]);
    stemmer_free(a->stem[LANG_EN]);
    pii_result_dispose(&a->pii);
    tokens_dispose(&a->tok);
    sentiment_result_dispose(&a->sr);
    theme_hits_dispose(&a->hits);
    strbuf_dispose(&a->rule);
    free(a->clause);
    free(a->clause_sum);
    free(a->sent_sum);
    free(a->theme_slot);
    free(a->seen);
    free(a->n_clauses);
    free(a);
}

/* ---- clauses ---- */

static int is_clause_word(const struct token *k)
{
#define W(s) {s, sizeof(s) - 1}
    /* runs for every token: lengths fixed at compile time, and a word
     * longer than the longest here is rejected at once */
    static const struct {
        const char *w;
        size_t n;
    } words[] = {W("men"),     W("fast"),     W("dock"),   W("medan"),
                 W("utom"),    W("but"),      W("however"), W("although"),
                 W("though"),  W("whereas"),  W("except"), W("yet")};
#undef W
    if (k->kind != TOK_WORD || k->norm_n > 8 || k->norm_n < 3)
        return 0;
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (words[i].n == k->norm_n && !memcmp(words[i].w, k->norm, k->norm_n))
            return 1;
    return 0;
}

/* Numbers the clauses: a new one at each sentence, after ',' ';' ':'
 * and before a contrastive word ("men", "but"). Returns the count. */
static int split_clauses(struct analyzer *a)
{
    const struct tokens *t = &a->tok;
    int c = 0;
    a->clause = xgrow(a->clause, &a->clause_cap, t->n + 1, sizeof *a->clause);
    for (size_t i = 0; i < t->n; i++) {
        const struct token *k = &t->v[i];
        if (i > 0) {
            const struct token *p = &t->v[i - 1];
            int cut =
                k->sentence != p->sentence || is_clause_word(k) ||
                (p->kind == TOK_PUNCT && p->norm_n == 1 &&
                 (p->norm[0] == ',' || p->norm[0] == ';' || p->norm[0] == ':'));
            if (cut && !(is_clause_word(p) && k->sentence == p->sentence))
                c++;
        }
        a->clause[i] = c;
    }
    return t->n ? c + 1 : 0;
}

static double squash(double s)
{
    return s / sqrt(s * s + CLAUSE_ALPHA);
}

/* ---- the explanation ---- */

/* The raw text of tokens first..first+n-1 of the redacted text. */
static void token_span(const struct tokens *t, size_t first, size_t n,
                       const char **p, size_t *len)
{
    const struct token *a = &t->v[first], *z = &t->v[first + n - 1];
    *p = a->raw;
    *len = (size_t)(z->raw + z->raw_n - a->raw);
}

/* v with two decimals, without printf (this runs for every comment). */
static void put_fixed2(struct strbuf *b, double v)
{
    char buf[32];
    int n = 0;
    long long x = llround(v * 100);
    if (x < 0) {
        strbuf_putc(b, '-');
        x = -x;
    }
    long long ip = x / 100, fp = x % 100;
    do {
        buf[n++] = (char)('0' + ip % 10);
        ip /= 10;
    } while (ip && n < 20);
    while (n)
        strbuf_putc(b, buf[--n]);
    strbuf_putc(b, '.');
    strbuf_putc(b, (char)('0' + fp / 10));
    strbuf_putc(b, (char)('0' + fp % 10));
}

/* The stored explanation (docs/text-analytics.md): the words that moved
 * the score with their weights and rules, the terms each theme was found
 * by, and where placeholders replaced personal data. Language, score,
 * label and aspect sentiments are stored in columns of their own. */
static void explain(struct analyzer *a, struct analysis *out)
{
    struct strbuf *b = &out->explanation;
    const struct tokens *t = &a->tok;
    strbuf_reset(b);
    strbuf_puts(b, "{\"words\":[");
    size_t shown = 0;
    for (size_t i = 0; i < a->sr.n_reasons && shown < MAX_EXPLAINED; i++) {
        const struct sentiment_reason *r = &a->sr.reasons[i];
        const char *p;
        size_t len;
        if (r->n_tokens == 0 || r->token + r->n_tokens > t->n ||
            fabs(r->weight) < 0.005)
            continue;
        token_span(t, r->token, r->n_tokens, &p, &len);
        strbuf_puts(b, shown++ ? ",[" : "[");
        strbuf_json_string(b, p, len);
        strbuf_putc(b, ',');
        put_fixed2(b, r->weight);
        if (r->n_rules) {
            strbuf_reset(&a->rule);
            for (int k = 0; k < r->n_rules; k++) {
                if (k)
                    strbuf_puts(&a->rule, "; ");
                sentiment_rule_format(&a->rule, &r->rules[k], t);
            }
            strbuf_putc(b, ',');
            strbuf_json_string(b, a->rule.p ? a->rule.p : "", a->rule.n);
        }
        strbuf_putc(b, ']');
    }
    strbuf_puts(b, "],\"terms\":{");
    for (size_t i = 0; i < out->n_themes; i++) {
        const struct analysis_theme *th = &out->themes[i];
        const char *key = themes_key(a->th, (size_t)th->theme);
        if (i)
            strbuf_putc(b, ',');
        strbuf_json_string(b, key, strlen(key));
        strbuf_puts(b, ":[");
        int k = 0;
        for (size_t h = 0; h < a->hits.n && k < 4; h++) {
            const struct theme_hit *x = &a->hits.v[h];
            if (x->theme != th->theme)
                continue;
            const char *p;
            size_t len;
            token_span(t, (size_t)x->first,
                       (size_t)x->last - (size_t)x->first + 1, &p, &len);
            if (k++)
                strbuf_putc(b, ',');
            strbuf_json_string(b, p, len);
        }
        strbuf_putc(b, ']');
    }
    strbuf_putc(b, '}');
    if (a->pii.n_m) {
        strbuf_puts(b, ",\"redactions\":[");
        for (size_t i = 0; i < a->pii.n_m; i++) {
            const char *kind = pii_kind_name(a->pii.m[i].kind);
            char at[24];
            int n = 0;
            size_t v = a->pii.m[i].out_off;
            do {
                at[n++] = (char)('0' + v % 10);
                v /= 10;
            } while (v && n < 22);
            strbuf_puts(b, i ? ",[\"" : "[\"");
            strbuf_puts(b, kind);
            strbuf_puts(b, "\",");
            while (n)
                strbuf_putc(b, at[--n]);
            strbuf_putc(b, ']');
        }
        strbuf_putc(b, ']');
    }
    strbuf_putc(b, '}');
}

/* ---- themes with aspect sentiment ---- */

static struct analysis_theme *theme_slot(struct analyzer *a,
                                         struct analysis *out, int theme)
{
    if (a->theme_slot[theme] < 0) {
        out->themes = xgrow(out->themes, &out->cap_themes, out->n_themes + 1,
                            sizeof *out->themes);
        struct analysis_theme *s = &out->themes[out->n_themes];
        s->theme = theme;
        s->sentiment = 0;
        s->hits = 0;
        a->theme_slot[theme] = (int)out->n_themes++;
    }
    return &out->themes[a->theme_slot[theme]];
}

static void find_themes(struct analyzer *a, struct analysis *out, enum lang l)
{
    const struct tokens *t = &a->tok;
    size_t nth = themes_count(a->th);
    out->n_themes = 0;
    themes_match(a->th, t, l, a->stem[l], &a->hits);
    if (!a->hits.n)
        return;

    /* Sentiment weight per clause and per sentence. */
    int nc = split_clauses(a);
    a->clause_sum = xgrow(a->clause_sum, &a->clause_sum_cap, (size_t)nc,
                          sizeof *a->clause_sum);
    a->sent_sum = xgrow(a->sent_sum, &a->sent_sum_cap,
                        (size_t)t->n_sentences + 1, sizeof *a->sent_sum);
    memset(a->clause_sum, 0, (size_t)nc * sizeof *a->clause_sum);
    memset(a->sent_sum, 0, ((size_t)t->n_sentences + 1) * sizeof *a->sent_sum);
    for (size_t i = 0; i < a->sr.n_reasons; i++) {
        const struct sentiment_reason *r = &a->sr.reasons[i];
        if (r->token >= t->n)
            continue;
        a->clause_sum[a->clause[r->token]] += r->weight;
        a->sent_sum[t->v[r->token].sentence] += r->weight;
    }

    a->theme_slot =
        xgrow(a->theme_slot, &a->theme_slot_cap, nth, sizeof *a->theme_slot);
    a->seen = xgrow(a->seen, &a->seen_cap, nth, sizeof *a->seen);
    a->n_clauses =
        xgrow(a->n_clauses, &a->n_clauses_cap, nth, sizeof *a->n_clauses);
    for (size_t i = 0; i < nth; i++) {
        a->theme_slot[i] = a->seen[i] = -1;
        a->n_clauses[i] = 0;
    }
    /* Each theme (and its parent) takes the score of every distinct
     * clause that mentions it: the clause's own hits, else its
     * sentence's, else the comment's. */
    for (size_t h = 0; h < a->hits.n; h++) {
        const struct theme_hit *x = &a->hits.v[h];
        int cl = a->clause[x->first];
        double s = a->clause_sum[cl];
        if (s == 0)
            s = a->sent_sum[t->v[x->first].sentence];
        double v = s != 0 ? squash(s) : out->score;
        for (int th = x->theme; th >= 0;
             th = themes_parent(a->th, (size_t)th)) {
            struct analysis_theme *slot = theme_slot(a, out, th);
            slot->hits++;
            if (a->seen[th] == cl)
                continue;
            a->seen[th] = cl;
            slot->sentiment += v; /* summed here, averaged below */
            a->n_clauses[a->theme_slot[th]]++;
        }
    }
    for (size_t i = 0; i < out->n_themes; i++) {
        struct analysis_theme *s = &out->themes[i];
        int k = a->n_clauses[i];
        s->sentiment = k ? s->sentiment / k : out->score;
        if (s->sentiment > 1)
            s->sentiment = 1;
        if (s->sentiment < -1)
            s->sentiment = -1;
    }
}

static void reset(struct analysis *out)
{
    out->lang = LANG_OTHER;
    out->code = "und";
    out->lang_conf = 0;
    out->scored = 0;
    out->score = 0;
    out->label = SENTIMENT_NEUTRAL;
    out->redactions = 0;
    out->n_redactions = 0;
    out->n_themes = 0;
    strbuf_reset(&out->text);
    strbuf_reset(&out->explanation);
}

int analyzer_redact(struct analyzer *a, struct analysis *out, const char *text,
                    size_t n, struct err *err)
{
    int rc;
    reset(out);
    if ((rc = pii_redact(&a->pii, text, n, PII_ALL, err)) < 0)
        return rc;
    for (size_t i = 0; i < a->pii.n_m; i++)
        out->redactions |= PII_BIT(a->pii.m[i].kind);
    out->n_redactions = (int)a->pii.n_m;
    strbuf_add(&out->text, a->pii.text ? a->pii.text : "", a->pii.n);
    return 0;
}

int analyze_reads(const struct langid_result *lr)
{
    return lr->lang != LANG_OTHER || lr->confidence < ANALYZE_MIN_LANG_CONF ||
           !strcmp(lr->code, "no") || !strcmp(lr->code, "da");
}

int analyzer_run(struct analyzer *a, struct analysis *out, const char *text,
                 size_t n, const char *lang_hint, struct err *err)
{
    struct langid_result lr;
    int rc;

    if (!a->li || !a->se)
        return err_set(err, ERR_INTERNAL, "analyzer has no models");
    if ((rc = analyzer_redact(a, out, text, n, err)) < 0)
        return rc;
    if ((rc = tokenize_text(&a->tok, out->text.p ? out->text.p : "",
                            out->text.n, err)) < 0) {
        strbuf_reset(&out->text);
        return rc;
    }

    /* Placeholders ("[telefon]") are not the customer's words: they must
     * not vote for a language or match a theme ("e-post"). Their tokens
     * are turned into punctuation, which neither looks at. */
    for (size_t i = 0, k = 0; i < a->pii.n_m && k < a->tok.n; i++) {
        size_t from = a->pii.m[i].out_off;
        size_t to = from + strlen(pii_kind_placeholder(a->pii.m[i].kind));
        while (k < a->tok.n && a->tok.v[k].off < from)
            k++;
        for (; k < a->tok.n && a->tok.v[k].off < to; k++)
            a->tok.v[k].kind = TOK_PUNCT;
    }

    enum lang use;
    langid_detect(a->li, &a->tok, &lr);
    out->lang = lr.lang;
    out->code = lr.code;
    out->lang_conf = lr.confidence;
    use = lr.lang == LANG_OTHER ? lr.nearest : lr.lang;
    if (lr.confidence < ANALYZE_MIN_LANG_CONF && lang_hint) {
        enum lang h;
        if (lang_parse(&h, lang_hint) == 0 && h != LANG_OTHER) {
            out->lang = use = h;
            out->code = lang_code(h);
        }
    }
    /* A text confidently in a language neither lexicon reads (German,
     * Finnish, ...) is not scored: the few Swedish or English words in it
     * would decide its sentiment, and "neutral" would be a guess counted
     * as a finding. Norwegian and Danish read well enough with the Swedish
     * lexicon and stay scored; so do short texts langid is unsure of. The
     * explanation keeps the redactions. */
    if (!analyze_reads(&lr)) {
        a->sr.n_reasons = 0;
        explain(a, out);
        return 0;
    }
    if (use != LANG_SV && use != LANG_EN)
        use = LANG_SV;

    sentiment_score(a->se, use, &a->tok, &a->sr);
    out->scored = 1;
    out->score = a->sr.score;
    out->label = (int)a->sr.label;
    if (a->th)
        find_themes(a, out, use);
    explain(a, out);
    return 0;
}
