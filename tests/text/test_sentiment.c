/* Tests for src/text/sentiment.c: each rule on Swedish and English, with
 * the explanation asserted (which tokens, which rules, triggered by what). */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "harness.h"

#include "core/err.h"
#include "core/strbuf.h"
#include "text/sentiment.h"
#include "text/tokenize.h"

static struct sentiment *S;

struct scored {
    struct tokens t;
    struct sentiment_result r;
};

static int setup(void **state)
{
    struct err err = ERR_INIT;
    (void)state;
    return sentiment_new(&S, &err);
}

static int teardown(void **state)
{
    (void)state;
    sentiment_free(S);
    return 0;
}

static void score(struct scored *x, const char *s, enum lang l)
{
    struct err err = ERR_INIT;
    tokens_init(&x->t);
    sentiment_result_init(&x->r);
    assert_int_equal(tokenize_text(&x->t, s, strlen(s), &err), 0);
    sentiment_score(S, l, &x->t, &x->r);
}

static void done(struct scored *x)
{
    tokens_dispose(&x->t);
    sentiment_result_dispose(&x->r);
}

static int raw_is(const struct tokens *t, size_t i, const char *raw)
{
    return i < t->n && t->v[i].raw_n == strlen(raw) &&
           !memcmp(t->v[i].raw, raw, t->v[i].raw_n);
}

/* The reason whose first token is raw; fails if there is none. */
static const struct sentiment_reason *reason(const struct scored *x,
                                             const char *raw)
{
    for (size_t i = 0; i < x->r.n_reasons; i++)
        if (raw_is(&x->t, x->r.reasons[i].token, raw))
            return &x->r.reasons[i];
    fail_msg("no reason for \"%s\"", raw);
    return NULL;
}

static int has_reason(const struct scored *x, const char *raw)
{
    for (size_t i = 0; i < x->r.n_reasons; i++)
        if (raw_is(&x->t, x->r.reasons[i].token, raw))
            return 1;
    return 0;
}

/* The rule of kind k on r (triggered by the token by, if not NULL). */
static const struct sentiment_rule *rule(const struct scored *x,
                                         const struct sentiment_reason *r,
                                         enum sentiment_rule_kind k,
                                         const char *by)
{
    for (int i = 0; i < r->n_rules; i++) {
        const struct sentiment_rule *u = &r->rules[i];
        if (u->kind == k &&
            (!by || (u->by >= 0 && raw_is(&x->t, (size_t)u->by, by))))
            return u;
    }
    return NULL;
}

static void expect_rule(const struct scored *x, const char *tok,
                        enum sentiment_rule_kind k, const char *by)
{
    if (!rule(x, reason(x, tok), k, by))
        fail_msg("\"%s\": rule %d (by %s) missing", tok, (int)k, by ? by : "-");
}

static void expect_no_rule(const struct scored *x, const char *tok,
                           enum sentiment_rule_kind k)
{
    if (rule(x, reason(x, tok), k, NULL))
        fail_msg("\"%s\": rule %d not expected", tok, (int)k);
}

static void expect_rule_text(const struct scored *x, const char *tok,
                             enum sentiment_rule_kind k, const char *text)
{
    struct strbuf b = STRBUF_INIT;
    const struct sentiment_rule *u = rule(x, reason(x, tok), k, NULL);
    assert_non_null(u);
    assert_int_equal(sentiment_rule_format(&b, u, &x->t), 0);
    assert_string_equal(strbuf_str(&b), text);
    strbuf_dispose(&b);
}

/* ---- lexicon ----------------------------------------------------------- */

static void test_sentiment_lexicon_words_score(void **state)
{
    (void)state;
    struct scored x;
    score(&x, "Bra service och trevlig personal", LANG_SV);
    assert_true(x.r.score > 0.3);
    assert_int_equal(x.r.label, SENTIMENT_POSITIVE);
    assert_int_equal(x.r.hits, 2);
    assert_string_equal(reason(&x, "Bra")->term, "bra");
    assert_string_equal(reason(&x, "trevlig")->term, "trevlig");
    done(&x);
    score(&x, "Rude staff and a terrible delivery", LANG_EN);
    assert_true(x.r.score < -0.3);
    assert_int_equal(x.r.label, SENTIMENT_NEGATIVE);
    assert_int_equal(x.r.hits, 2);
    done(&x);
    assert_true(sentiment_lookup(S, LANG_SV, "bra") > 0);
    assert_true(sentiment_lookup(S, LANG_EN, "terrible") < 0);
    assert_true(sentiment_lookup(S, LANG_EN, "service") == 0);
}

static void test_sentiment_neutral_and_other_language(void **state)
{
    (void)state;
    struct scored x;
    score(&x, "Jag hämtade paketet på tisdagen", LANG_SV);
    assert_true(x.r.score == 0);
    assert_int_equal(x.r.label, SENTIMENT_NEUTRAL);
    assert_int_equal(x.r.n_reasons, 0);
    done(&x);
    score(&x, "bra", LANG_OTHER);
    assert_int_equal(x.r.hits, 0);
    done(&x);
    score(&x, "", LANG_EN);
    assert_true(x.r.score == 0);
    done(&x);
}

static void test_sentiment_inflections_by_stem(void **state)
{
    (void)state;
    struct scored x;
    score(&x, "Jag blev besvikna", LANG_SV);
    done(&x);
    score(&x, "Vilka besvikelser", LANG_SV);
    assert_true(x.r.score < 0);
    expect_rule(&x, "besvikelser", SRULE_STEM, NULL);
    done(&x);
    score(&x, "I am recommending them", LANG_EN);
    assert_true(x.r.score > 0);
    expect_rule(&x, "recommending", SRULE_STEM, NULL);
    assert_string_equal(reason(&x, "recommending")->term, "recommend");
    done(&x);
    /* "skicka" shares a stem with "skicklig" but is not a form of it */
    score(&x, "Vi fick skicka tillbaka varan", LANG_SV);
    assert_false(has_reason(&x, "skicka"));
    done(&x);
    /* at the limit: the word keeps all of the term but its last two
     * bytes (words without such a prefix are not even stemmed) */
    static const char *const limit[][3] = {
        {"sv", "Ni borde fixa det", "fixade"},
        {"sv", "Vi fick avboka resan", "avbokade"},
        {"en", "A scratch on the door", "scratched"},
        {"en", "Great skills", "skilled"}};
    for (size_t i = 0; i < sizeof limit / sizeof limit[0]; i++) {
        enum lang l = limit[i][0][0] == 's' ? LANG_SV : LANG_EN;
        score(&x, limit[i][1], l);
        const struct sentiment_reason *r = NULL;
        for (size_t k = 0; k < x.r.n_reasons; k++)
            if (!strcmp(x.r.reasons[k].term, limit[i][2]))
                r = &x.r.reasons[k];
        if (!r)
            fail_msg("\"%s\": no match by stem for \"%s\"", limit[i][1],
                     limit[i][2]);
        assert_non_null(rule(&x, r, SRULE_STEM, NULL));
        done(&x);
    }
}

/* ---- negation ---------------------------------------------------------- */

static void test_sentiment_negation_flips(void **state)
{
    (void)state;
    struct scored x;
    score(&x, "Maten var inte bra", LANG_SV);
    assert_true(x.r.score < 0);
    expect_rule(&x, "bra", SRULE_NEGATED, "inte");
    expect_rule_text(&x, "bra", SRULE_NEGATED,
                     "negated by 'inte': \xc3\x97-0.74");
    done(&x);
    score(&x, "The food was not good", LANG_EN);
    assert_true(x.r.score < 0);
    expect_rule(&x, "good", SRULE_NEGATED, "not");
    done(&x);
    score(&x, "The staff weren't helpful", LANG_EN);
    expect_rule(&x, "helpful", SRULE_NEGATED, "weren't");
    done(&x);
    /* a negated negative is a weak positive */
    score(&x, "Inte dåligt alls", LANG_SV);
    assert_true(x.r.score > 0);
    expect_rule(&x, "dåligt", SRULE_NEGATED, "Inte");
    done(&x);
}

static void test_sentiment_negation_scope_ends_at_clause(void **state)
{
    (void)state;
    struct scored x;
    score(&x, "Inte dyrt, bra service", LANG_SV);
    assert_true(x.r.score > 0);
    expect_no_rule(&x, "bra", SRULE_NEGATED);
    expect_rule(&x, "dyrt", SRULE_NEGATED, "Inte");
    done(&x);
    score(&x, "No, the staff were great", LANG_EN);
    expect_no_rule(&x, "great", SRULE_NEGATED);
    done(&x);
    /* about three words */
    score(&x, "Not that I think the waiter was good", LANG_EN);
    expect_no_rule(&x, "good", SRULE_NEGATED);
    done(&x);
    score(&x, "Personalen var aldrig särskilt trevlig", LANG_SV);
    expect_rule(&x, "trevlig", SRULE_NEGATED, "aldrig");
    done(&x);
}

static void test_sentiment_not_only_is_not_negation(void **state)
{
    (void)state;
    struct scored x;
    score(&x, "Inte bara bra utan fantastiskt", LANG_SV);
    assert_true(x.r.score > 0.5);
    expect_no_rule(&x, "bra", SRULE_NEGATED);
    expect_no_rule(&x, "fantastiskt", SRULE_NEGATED);
    done(&x);
    score(&x, "Not only good but also amazing", LANG_EN);
    assert_true(x.r.score > 0.5);
    expect_no_rule(&x, "good", SRULE_NEGATED);
    expect_no_rule(&x, "amazing", SRULE_CONTRAST_AFTER);
    done(&x);
}

static void test_sentiment_swedish_negation_after_verb(void **state)
{
    (void)state;
    struct scored x;
    score(&x, "Jag rekommenderar dem inte", LANG_SV);
    assert_true(x.r.score < 0);
    expect_rule(&x, "rekommenderar", SRULE_NEGATED, "inte");
    done(&x);
    score(&x, "Appen fungerar inte", LANG_SV);
    assert_true(x.r.score < 0);
    expect_rule(&x, "fungerar", SRULE_NEGATED, "inte");
    done(&x);
}

static void test_sentiment_negation_alone_is_a_complaint(void **state)
{
    (void)state;
    struct scored x;
    score(&x, "Paketet kom aldrig fram", LANG_SV);
    assert_true(x.r.score < 0);
    expect_rule(&x, "aldrig", SRULE_NEGATION_ALONE, "aldrig");
    assert_int_equal(x.r.hits, 0); /* a rule, not a lexicon hit */
    done(&x);
    score(&x, "They did not reply to my e-mails", LANG_EN);
    assert_true(x.r.score < 0);
    expect_rule(&x, "not", SRULE_NEGATION_ALONE, "not");
    done(&x);
}

/* ---- contrast ---------------------------------------------------------- */

static void test_sentiment_contrast_weights_the_clause_after(void **state)
{
    (void)state;
    struct scored x;
    score(&x, "Bra men dyrt", LANG_SV);
    assert_true(x.r.score < 0);
    expect_rule(&x, "Bra", SRULE_CONTRAST_BEFORE, "men");
    expect_rule(&x, "dyrt", SRULE_CONTRAST_AFTER, "men");
    expect_rule_text(&x, "dyrt", SRULE_CONTRAST_AFTER,
                     "after 'men': \xc3\x97"
                     "1.5");
    done(&x);
    score(&x, "Dyrt men bra", LANG_SV);
    assert_true(x.r.score > 0);
    done(&x);
    score(&x, "Good but expensive", LANG_EN);
    assert_true(x.r.score < 0);
    expect_rule(&x, "Good", SRULE_CONTRAST_BEFORE, "but");
    expect_rule(&x, "expensive", SRULE_CONTRAST_AFTER, "but");
    done(&x);
}

static void test_sentiment_contrast_reaches_previous_sentence(void **state)
{
    (void)state;
    struct scored x;
    score(&x, "Maten var god. Men servicen var usel.", LANG_SV);
    assert_true(x.r.score < 0);
    expect_rule(&x, "god", SRULE_CONTRAST_BEFORE, "Men");
    done(&x);
    score(&x, "The food was great. However, the staff were rude.", LANG_EN);
    assert_true(x.r.score < 0);
    expect_rule(&x, "great", SRULE_CONTRAST_BEFORE, "However");
    expect_rule(&x, "rude", SRULE_CONTRAST_AFTER, "However");
    done(&x);
}

static void test_sentiment_concessive_clause_counts_less(void **state)
{
    (void)state;
    struct scored x;
    score(&x, "Maten var god, även om servicen var långsam.", LANG_SV);
    assert_true(x.r.score > 0);
    expect_rule(&x, "långsam", SRULE_CONCESSIVE, "även");
    done(&x);
    score(&x, "Although the food was good, the service was awful.", LANG_EN);
    assert_true(x.r.score < 0);
    expect_rule(&x, "good", SRULE_CONCESSIVE, "Although");
    expect_rule(&x, "awful", SRULE_CONTRAST_AFTER, "Although");
    done(&x);
    /* "though" closing a clause works like "but" */
    score(&x, "Nice place, expensive though.", LANG_EN);
    assert_true(x.r.score < 0);
    expect_rule(&x, "Nice", SRULE_CONTRAST_BEFORE, "though");
    done(&x);
}

static void test_sentiment_otherwise_counts_less(void **state)
{
    (void)state;
    struct scored x;
    score(&x, "Leveransen var försenad. I övrigt bra.", LANG_SV);
    assert_true(x.r.score < 0);
    expect_rule(&x, "bra", SRULE_OTHERWISE, "I");
    done(&x);
    score(&x, "The parcel arrived broken, otherwise fine", LANG_EN);
    assert_true(x.r.score < 0);
    expect_rule(&x, "fine", SRULE_OTHERWISE, "otherwise");
    done(&x);
}

static void test_sentiment_negated_repeat_visit(void **state)
{
    (void)state;
    struct scored x;
    score(&x, "Vi kommer aldrig att handla där igen", LANG_SV);
    assert_true(x.r.score < -0.3);
    expect_rule(&x, "igen", SRULE_NEGATED, "aldrig");
    done(&x);
    score(&x, "I will not shop here again", LANG_EN);
    assert_true(x.r.score < -0.3);
    expect_rule(&x, "again", SRULE_NEGATED, "not");
    done(&x);
    /* without a negation "again" says nothing */
    score(&x, "The parcel came again", LANG_EN);
    assert_false(has_reason(&x, "again"));
    done(&x);
}

/* ---- intensity --------------------------------------------------------- */

static void test_sentiment_intensifiers_and_dampeners(void **state)
{
    (void)state;
    struct scored x, y;
    score(&x, "Väldigt trevlig personal", LANG_SV);
    score(&y, "Trevlig personal", LANG_SV);
    assert_true(x.r.score > y.r.score);
    expect_rule(&x, "trevlig", SRULE_INTENSIFIED, "Väldigt");
    expect_rule_text(&x, "trevlig", SRULE_INTENSIFIED,
                     "\xc3\x97"
                     "1.5 intensified by 'Väldigt'");
    done(&x);
    done(&y);
    score(&x, "Lite dyrt", LANG_SV);
    expect_rule(&x, "dyrt", SRULE_DAMPENED, "Lite");
    assert_true(reason(&x, "dyrt")->weight > -1.5);
    done(&x);
    score(&x, "Very friendly staff", LANG_EN);
    score(&y, "Friendly staff", LANG_EN);
    assert_true(x.r.score > y.r.score);
    expect_rule(&x, "friendly", SRULE_INTENSIFIED, "Very");
    done(&x);
    done(&y);
    score(&x, "Slightly expensive", LANG_EN);
    expect_rule(&x, "expensive", SRULE_DAMPENED, "Slightly");
    done(&x);
    /* an intensifier under negation is dropped: not very good = not good */
    score(&x, "Not very good", LANG_EN);
    expect_rule(&x, "good", SRULE_NEGATED, "Not");
    expect_no_rule(&x, "good", SRULE_INTENSIFIED);
    done(&x);
}

static void test_sentiment_swedish_compounds(void **state)
{
    (void)state;
    static const struct {
        const char *text, *word, *term;
        int sign;
    } cases[] = {
        {"Jättebra!", "Jättebra", "bra", 1},
        {"kanonbra", "kanonbra", "bra", 1},
        {"asbra", "asbra", "bra", 1},
        {"skitdåligt", "skitdåligt", "dåligt", -1},
        {"megadålig", "megadålig", "dålig", -1},
        {"superseg kundtjänst", "superseg", "seg", -1},
        {"jätte-bra", "jätte-bra", "bra", 1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct scored x;
        score(&x, cases[i].text, LANG_SV);
        const struct sentiment_reason *r = reason(&x, cases[i].word);
        assert_string_equal(r->term, cases[i].term);
        assert_non_null(rule(&x, r, SRULE_COMPOUND, NULL));
        assert_true(cases[i].sign * r->weight > cases[i].sign * r->base);
        assert_true(cases[i].sign * x.r.score > 0);
        done(&x);
    }
    struct scored x;
    score(&x, "Skitdåligt", LANG_SV);
    expect_rule_text(&x, "Skitdåligt", SRULE_COMPOUND,
                     "compound skit-: \xc3\x97"
                     "1.5");
    done(&x);
}

static void test_sentiment_negating_prefix(void **state)
{
    (void)state;
    struct scored x;
    score(&x, "En oengagerad säljare", LANG_SV);
    assert_true(x.r.score < 0);
    assert_string_equal(reason(&x, "oengagerad")->term, "engagerad");
    expect_rule(&x, "oengagerad", SRULE_NEG_PREFIX, NULL);
    done(&x);
    score(&x, "An unimpressive meal", LANG_EN);
    assert_true(x.r.score < 0);
    expect_rule(&x, "unimpressive", SRULE_NEG_PREFIX, NULL);
    done(&x);
}

static void test_sentiment_caps_and_exclamation(void **state)
{
    (void)state;
    struct scored x;
    score(&x, "Personalen var TRÖG", LANG_SV);
    expect_rule(&x, "TRÖG", SRULE_CAPS, "TRÖG");
    done(&x);
    score(&x, "The service was TERRIBLE", LANG_EN);
    expect_rule(&x, "TERRIBLE", SRULE_CAPS, NULL);
    done(&x);
    /* a text all in capitals is shouting throughout: no emphasis */
    score(&x, "DÅLIG SERVICE", LANG_SV);
    expect_no_rule(&x, "DÅLIG", SRULE_CAPS);
    done(&x);

    struct scored y;
    score(&x, "Bra service!!!", LANG_SV);
    score(&y, "Bra service", LANG_SV);
    assert_true(x.r.score > y.r.score);
    expect_rule(&x, "!", SRULE_EXCLAMATION, NULL);
    assert_close(reason(&x, "!")->weight, 0.9, 1e-9, 1e-9);
    done(&x);
    done(&y);
    score(&x, "Awful service!", LANG_EN);
    assert_true(reason(&x, "!")->weight < 0); /* in the sentence's direction */
    done(&x);
}

static void test_sentiment_emoji_and_emoticons(void **state)
{
    (void)state;
    struct scored x;
    score(&x, "Dålig service \xf0\x9f\x98\xa1", LANG_SV); /* 😡 */
    expect_rule(&x, "\xf0\x9f\x98\xa1", SRULE_EMOJI, NULL);
    assert_true(reason(&x, "\xf0\x9f\x98\xa1")->weight < 0);
    done(&x);
    /* emoji alone, any skin tone */
    score(&x, "\xf0\x9f\x91\x8d\xf0\x9f\x8f\xbe", LANG_EN); /* 👍🏾 */
    assert_true(x.r.score > 0);
    assert_int_equal(x.r.hits, 1);
    done(&x);
    score(&x, "Tack :-)", LANG_SV);
    expect_rule(&x, ":-)", SRULE_EMOJI, NULL);
    assert_true(reason(&x, ":-)")->weight > 0);
    done(&x);
    score(&x, "Late again :(", LANG_EN);
    assert_true(reason(&x, ":(")->weight < 0);
    done(&x);
}

static void test_sentiment_phrases(void **state)
{
    (void)state;
    struct scored x;
    score(&x, "Inga problem alls", LANG_SV);
    assert_true(x.r.score > 0);
    assert_int_equal(reason(&x, "Inga")->n_tokens, 2);
    done(&x);
    score(&x, "We will never again order from them", LANG_EN);
    assert_true(x.r.score < 0);
    assert_string_equal(reason(&x, "never")->term, "never again");
    done(&x);
    score(&x, "Kommer gärna tillbaka", LANG_SV);
    assert_true(x.r.score > 0);
    done(&x);
}

static void test_sentiment_mixed_label(void **state)
{
    (void)state;
    struct scored x;
    score(&x, "Fantastisk mat. Usel service.", LANG_SV);
    assert_int_equal(x.r.label, SENTIMENT_MIXED);
    assert_true(x.r.pos > 0 && x.r.neg > 0);
    done(&x);
    assert_string_equal(sentiment_label_name(SENTIMENT_MIXED), "mixed");
    assert_string_equal(sentiment_label_name(SENTIMENT_NEUTRAL), "neutral");
}

static void test_sentiment_result_reused(void **state)
{
    (void)state;
    struct tokens t = TOKENS_INIT;
    struct sentiment_result r = SENTIMENT_RESULT_INIT;
    struct err err = ERR_INIT;
    static const char *const texts[] = {"Bra", "Dålig", "Inte bra", "Ok"};
    double first[4];
    for (int pass = 0; pass < 2; pass++) {
        for (int i = 0; i < 4; i++) {
            assert_int_equal(
                tokenize_text(&t, texts[i], strlen(texts[i]), &err), 0);
            sentiment_score(S, LANG_SV, &t, &r);
            if (pass)
                assert_close(r.score, first[i], 0, 1e-12);
            else
                first[i] = r.score;
        }
    }
    tokens_dispose(&t);
    sentiment_result_dispose(&r);
    sentiment_result_dispose(NULL);
}

/* Fails unless a and b (the same tokens scored twice) are equal in every
 * field, reason and rule. */
static void same_result(const struct sentiment_result *a,
                        const struct sentiment_result *b, const char *text)
{
    if (a->score != b->score || a->sum != b->sum || a->pos != b->pos ||
        a->neg != b->neg || a->hits != b->hits || a->label != b->label ||
        a->n_reasons != b->n_reasons)
        fail_msg("\"%s\": score %g/%g, hits %d/%d, reasons %zu/%zu", text,
                 a->score, b->score, a->hits, b->hits, a->n_reasons,
                 b->n_reasons);
    for (size_t i = 0; i < a->n_reasons; i++) {
        const struct sentiment_reason *x = &a->reasons[i], *y = &b->reasons[i];
        assert_int_equal(x->token, y->token);
        assert_int_equal(x->n_tokens, y->n_tokens);
        assert_string_equal(x->term, y->term);
        assert_true(x->base == y->base && x->weight == y->weight);
        assert_int_equal(x->n_rules, y->n_rules);
        for (int k = 0; k < x->n_rules; k++) {
            assert_int_equal(x->rules[k].kind, y->rules[k].kind);
            assert_true(x->rules[k].factor == y->rules[k].factor);
            assert_int_equal(x->rules[k].by, y->rules[k].by);
            assert_int_equal(x->rules[k].len, y->rules[k].len);
        }
    }
}

/* A result caches how each word outside the lexicon resolved (by stem,
 * prefix or not at all), bounded, least recently used out: what it
 * returns, first time, from the cache, and after the words were evicted
 * by tens of thousands of others, is what a fresh result computes. */
static void test_sentiment_cache_same_after_eviction(void **state)
{
    (void)state;
    static const struct {
        const char *s;
        enum lang l;
    } texts[] = {
        {"They were disappointing and unhelpful, not recommended. "
         "Superfriendly staff but the deliveries were delayed!",
         LANG_EN},
        {"Jättetrevliga men otrevliga killar, rekommenderas inte. "
         "Leveranserna var försenade och skitdåliga",
         LANG_SV},
        /* the same words in both languages: cached apart */
        {"disappoints recommending unfriendliness trevligaste otrevligt",
         LANG_EN},
        {"disappoints recommending unfriendliness trevligaste otrevligt",
         LANG_SV},
    };
    enum { N = sizeof texts / sizeof texts[0] };
    struct tokens t[N], noise = TOKENS_INIT;
    struct sentiment_result fresh[N], r = SENTIMENT_RESULT_INIT;
    struct err err = ERR_INIT;
    struct strbuf b = STRBUF_INIT;
    for (int i = 0; i < N; i++) {
        tokens_init(&t[i]);
        sentiment_result_init(&fresh[i]);
        assert_int_equal(
            tokenize_text(&t[i], texts[i].s, strlen(texts[i].s), &err), 0);
        sentiment_score(S, texts[i].l, &t[i], &fresh[i]);
        if (i < 2) /* the others: words of the other language */
            assert_true(fresh[i].hits >= 4);
    }
    for (int round = 0; round < 3; round++) {
        for (int i = 0; i < N; i++) {
            sentiment_score(S, texts[i].l, &t[i], &r); /* resolves */
            same_result(&fresh[i], &r, texts[i].s);
            sentiment_score(S, texts[i].l, &t[i], &r); /* from the cache */
            same_result(&fresh[i], &r, texts[i].s);
        }
        /* 40,000 other words in both languages: far more than the cache
         * holds, so the words above are evicted */
        for (int batch = 0; batch < 100; batch++) {
            strbuf_reset(&b);
            for (int w = 0; w < 200; w++) {
                unsigned v = (unsigned)(round * 20000 + batch * 200 + w);
                strbuf_puts(&b, "zq");
                for (int d = 0; d < 4; d++, v /= 26)
                    strbuf_putc(&b, (char)('a' + v % 26));
                strbuf_puts(&b, w % 3 ? "ing " : "ade ");
            }
            assert_int_equal(tokenize_text(&noise, b.p, b.n, &err), 0);
            sentiment_score(S, batch % 2 ? LANG_SV : LANG_EN, &noise, &r);
            assert_int_equal(r.hits, 0);
        }
    }
    for (int i = 0; i < N; i++) {
        tokens_dispose(&t[i]);
        sentiment_result_dispose(&fresh[i]);
    }
    tokens_dispose(&noise);
    sentiment_result_dispose(&r);
    strbuf_dispose(&b);
}

struct job {
    double sum;
};

static void *worker(void *arg)
{
    struct job *j = arg;
    struct tokens t = TOKENS_INIT;
    struct sentiment_result r = SENTIMENT_RESULT_INIT;
    struct err err = ERR_INIT;
    static const char *const texts[] = {
        "Trevliga och hjälpsamma, men leveransen var försenad",
        "Not very helpful, I will never order again",
        "Superbra! \xf0\x9f\x98\x8d"};
    for (int k = 0; k < 200; k++) {
        const char *s = texts[k % 3];
        if (tokenize_text(&t, s, strlen(s), &err) == 0) {
            sentiment_score(S, k % 3 == 1 ? LANG_EN : LANG_SV, &t, &r);
            j->sum += r.score;
        }
    }
    tokens_dispose(&t);
    sentiment_result_dispose(&r);
    return NULL;
}

static void test_sentiment_concurrent_readers(void **state)
{
    (void)state;
    pthread_t th[4];
    struct job jobs[4] = {{0}, {0}, {0}, {0}};
    for (int i = 0; i < 4; i++)
        assert_int_equal(pthread_create(&th[i], NULL, worker, &jobs[i]), 0);
    for (int i = 0; i < 4; i++)
        pthread_join(th[i], NULL);
    for (int i = 1; i < 4; i++)
        assert_close(jobs[i].sum, jobs[0].sum, 0, 1e-9);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sentiment_lexicon_words_score),
        cmocka_unit_test(test_sentiment_neutral_and_other_language),
        cmocka_unit_test(test_sentiment_inflections_by_stem),
        cmocka_unit_test(test_sentiment_negation_flips),
        cmocka_unit_test(test_sentiment_negation_scope_ends_at_clause),
        cmocka_unit_test(test_sentiment_not_only_is_not_negation),
        cmocka_unit_test(test_sentiment_swedish_negation_after_verb),
        cmocka_unit_test(test_sentiment_negation_alone_is_a_complaint),
        cmocka_unit_test(test_sentiment_contrast_weights_the_clause_after),
        cmocka_unit_test(test_sentiment_contrast_reaches_previous_sentence),
        cmocka_unit_test(test_sentiment_concessive_clause_counts_less),
        cmocka_unit_test(test_sentiment_otherwise_counts_less),
        cmocka_unit_test(test_sentiment_negated_repeat_visit),
        cmocka_unit_test(test_sentiment_intensifiers_and_dampeners),
        cmocka_unit_test(test_sentiment_swedish_compounds),
        cmocka_unit_test(test_sentiment_negating_prefix),
        cmocka_unit_test(test_sentiment_caps_and_exclamation),
        cmocka_unit_test(test_sentiment_emoji_and_emoticons),
        cmocka_unit_test(test_sentiment_phrases),
        cmocka_unit_test(test_sentiment_mixed_label),
        cmocka_unit_test(test_sentiment_result_reused),
        cmocka_unit_test(test_sentiment_cache_same_after_eviction),
        cmocka_unit_test(test_sentiment_concurrent_readers),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
