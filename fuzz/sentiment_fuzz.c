/* Fuzz target: tokeniser, language identification and the sentiment
 * scorer in both languages. Scores stay in -1..1, explanations point at
 * real tokens, and every rule can be printed. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/strbuf.h"
#include "text/langid.h"
#include "text/sentiment.h"
#include "text/tokenize.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Loaded once per process, as libFuzzer runs millions of inputs; only a
 * fuzz driver keeps state like this. */
static struct sentiment *sent;
static struct langid *lid;

static void check(const struct tokens *t, enum lang l,
                  struct sentiment_result *r)
{
    struct strbuf b = STRBUF_INIT;
    sentiment_score(sent, l, t, r);
    if (!isfinite(r->score) || r->score < -1 || r->score > 1)
        abort();
    for (size_t i = 0; i < r->n_reasons; i++) {
        const struct sentiment_reason *x = &r->reasons[i];
        if (x->token + x->n_tokens > t->n || !x->n_tokens || !x->term ||
            x->n_rules > SENTIMENT_MAX_RULES || !isfinite(x->weight))
            abort();
        for (int k = 0; k < x->n_rules; k++) {
            strbuf_reset(&b);
            if (sentiment_rule_format(&b, &x->rules[k], t) < 0)
                abort();
        }
    }
    strbuf_dispose(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct err err = ERR_INIT;
    if (!sent && (sentiment_new(&sent, &err) < 0 || langid_new(&lid, &err) < 0))
        abort();
    char *buf = malloc(size ? size : 1);
    struct tokens t = TOKENS_INIT;
    struct sentiment_result r = SENTIMENT_RESULT_INIT;
    if (size)
        memcpy(buf, data, size);
    if (tokenize_text(&t, buf, size, &err) == 0) {
        struct langid_result li;
        langid_detect(lid, &t, &li);
        if (li.confidence < 0 || li.confidence > 1 || !li.code ||
            (li.nearest != LANG_SV && li.nearest != LANG_EN))
            abort();
        check(&t, LANG_SV, &r);
        check(&t, LANG_EN, &r); /* the same result, reused */
        check(&t, LANG_OTHER, &r);
    }
    sentiment_result_dispose(&r);
    tokens_dispose(&t);
    free(buf);
    return 0;
}
