#include "ingest/comment.h"

#include <math.h>
#include <string.h>

#include "store/model.h"
#include "text/analyze.h"
#include "text/langid.h"
#include "text/sentiment.h"
#include "text/themes.h"

static const char *keep_str(comment_alloc_fn alloc, void *ctx, const char *p,
                            size_t n)
{
    char *s = alloc(ctx, n + 1);
    memcpy(s, p, n);
    s[n] = 0;
    return s;
}

struct comment_analysis *comment_keep(const struct analysis *res,
                                      const struct themes *themes, int analysed,
                                      comment_alloc_fn alloc, void *ctx,
                                      const char **text)
{
    char *copy = alloc(ctx, res->text.n + 1);
    if (res->text.n)
        memcpy(copy, res->text.p, res->text.n);
    copy[res->text.n] = 0;
    *text = copy;
    if (!analysed)
        return NULL;
    struct comment_analysis *ca = alloc(ctx, sizeof *ca);
    struct theme_mention *tm = NULL;
    if (res->n_themes)
        tm = alloc(ctx, res->n_themes * sizeof *tm);
    for (size_t i = 0; i < res->n_themes; i++) {
        tm[i].theme = themes_key(themes, (size_t)res->themes[i].theme);
        tm[i].sentiment = res->themes[i].sentiment;
    }
    ca->lang_conf = res->lang_conf;
    if (res->scored) {
        /* Norwegian and Danish are read with the Swedish lexicon but
         * keep their own code (model.h); an unsure guess is "other" */
        int nordic = res->lang == LANG_OTHER &&
                     (!strcmp(res->code, "no") || !strcmp(res->code, "da"));
        ca->language = nordic ? res->code : lang_code(res->lang);
        ca->score = res->score;
        ca->label = sentiment_label_name((enum sentiment_label)res->label);
    } else {
        /* a language the pipeline does not read: kept with its code
         * ("de", "fi"), and no sentiment rather than a neutral one */
        ca->language = res->code;
        ca->score = NAN;
        ca->label = NULL;
    }
    ca->redactions = res->redactions;
    ca->n_redactions = res->n_redactions;
    ca->explanation =
        res->explanation.n
            ? keep_str(alloc, ctx, res->explanation.p, res->explanation.n)
            : "{}";
    ca->mentions = tm;
    ca->n_mentions = (int)res->n_themes;
    return ca;
}
