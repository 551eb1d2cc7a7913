/* The sentiment model on the development data (../shared/data/sentiment,
 * never in the repository): 5-fold cross-validated accuracy on the
 * Swedish and English review sets, the lexicon alone, the lexicon and
 * model combined at each weight (out-of-fold, so the weight in
 * textmodel_combine is chosen without scoring a row with a model that saw
 * it), and the transfer from Swedish social media to Swedish reviews.
 * docs/text-model.md keeps the figures.
 *
 * Usage: bench_textmodel [DATA_DIR]   (default ../shared/data/sentiment) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/err.h"
#include "text/sentiment.h"
#include "text/textmodel.h"
#include "text/tokenize.h"

#define N_W 21 /* lexicon weights 0, 0.05, ..., 1 */

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int die(const struct err *e)
{
    fprintf(stderr, "bench_textmodel: %s%s%s\n", e->where,
            e->where[0] ? ": " : "", e->msg);
    return 1;
}

/* Lexicon score of every positive/negative row, in set order. */
static double *lexicon_scores(const struct sentiment *se,
                              const struct textmodel_set *s, size_t *n_out)
{
    struct tokens t = TOKENS_INIT;
    struct sentiment_result r = SENTIMENT_RESULT_INIT;
    size_t n = 0, size = textmodel_set_size(s);
    double *v = malloc((size ? size : 1) * sizeof *v);
    for (size_t i = 0; i < size; i++) {
        enum textmodel_label label;
        enum lang l;
        const char *text;
        size_t len;
        struct err e = ERR_INIT;
        textmodel_set_row(s, i, &label, &l, &text, &len);
        if (label == TEXTMODEL_NEU)
            continue;
        v[n] = 0;
        if (tokenize_text(&t, text, len, &e) == 0) {
            sentiment_score(se, l, &t, &r);
            v[n] = r.score;
        }
        n++;
    }
    sentiment_result_dispose(&r);
    tokens_dispose(&t);
    *n_out = n;
    return v;
}

static int *labels(const struct textmodel_set *s)
{
    size_t n = 0, size = textmodel_set_size(s);
    int *y = malloc((size ? size : 1) * sizeof *y);
    for (size_t i = 0; i < size; i++) {
        enum textmodel_label label;
        enum lang l;
        const char *text;
        size_t len;
        textmodel_set_row(s, i, &label, &l, &text, &len);
        if (label != TEXTMODEL_NEU)
            y[n++] = label == TEXTMODEL_POS;
    }
    return y;
}

/* Accuracy of w*lex + (1-w)*(2p-1) at each weight; a zero score is
 * wrong (it takes no side), as in the reference figures. */
static void combine_sweep(double acc[N_W], const double *lex, const double *p,
                          const int *y, size_t n)
{
    for (int k = 0; k < N_W; k++) {
        double w = k / (double)(N_W - 1);
        long ok = 0;
        for (size_t i = 0; i < n; i++) {
            double c = w * lex[i] + (1 - w) * (2 * p[i] - 1);
            ok += y[i] ? c > 0 : c < 0;
        }
        acc[k] = (double)ok / (double)n;
    }
}

static int load(struct textmodel_set **s, const char *dir, const char *file,
                enum lang l, struct err *err)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, file);
    *s = textmodel_set_new();
    return textmodel_set_load_tsv(*s, path, l, err);
}

int main(int argc, char **argv)
{
    const char *dir = argc > 1 ? argv[1] : "../shared/data/sentiment";
    static const struct {
        const char *file;
        enum lang lang;
    } sets[] = {{"reviews-sv-dev.tsv", LANG_SV},
                {"reviews-en-dev.tsv", LANG_EN}};
    struct textmodel_opts o = TEXTMODEL_OPTS_INIT;
    struct sentiment *se = NULL;
    struct err err = ERR_INIT;
    double sweep[2][N_W];

    if (sentiment_new(&se, &err) < 0)
        return die(&err);
    printf("options: 2^%u buckets, bigrams %d, char n-grams %d-%d, negation "
           "scope %d, l2 %g, nb %g, balanced %d\n",
           o.hash_bits, o.bigrams, o.char_min, o.char_max, o.neg_scope, o.l2,
           o.nb_alpha, o.balanced);
    for (int i = 0; i < 2; i++) {
        struct textmodel_set *s;
        struct textmodel_cv cv;
        struct textmodel *m = NULL;
        size_t n;
        if (load(&s, dir, sets[i].file, sets[i].lang, &err) < 0)
            return die(&err);
        double *p = malloc(textmodel_set_size(s) * sizeof *p);
        double t0 = now();
        if (textmodel_cross_validate(&cv, p, s, &o, 5, &err) < 0)
            return die(&err);
        double t_cv = now() - t0;
        t0 = now();
        if (textmodel_train(&m, s, &o, &err) < 0)
            return die(&err);
        double t_train = now() - t0;
        double *lex = lexicon_scores(se, s, &n);
        int *y = labels(s);
        combine_sweep(sweep[i], lex, p, y, n);
        printf("%s: %ld rows, 5-fold CV accuracy %.4f (log-loss %.4f), "
               "lexicon alone %.4f; CV %.2f s, one fit %.2f s, %zu "
               "weights\n",
               sets[i].file, cv.n, cv.accuracy, cv.log_loss, sweep[i][N_W - 1],
               t_cv, t_train, textmodel_weight_count(m));
        for (int seed = 2; seed <= 5; seed++) {
            struct textmodel_opts o2 = o;
            o2.seed = (uint64_t)seed;
            if (textmodel_cross_validate(&cv, NULL, s, &o2, 5, &err) < 0)
                return die(&err);
            printf("  fold seed %d: %.4f\n", seed, cv.accuracy);
        }
        free(p);
        free(lex);
        free(y);
        textmodel_free(m);
        textmodel_set_free(s);
    }
    printf("lexicon weight w in w*lexicon + (1-w)*(2p-1), out-of-fold "
           "accuracy:\n  w     sv      en      mean\n");
    for (int k = 0; k < N_W; k++)
        printf("  %.2f  %.4f  %.4f  %.4f\n", k / (double)(N_W - 1), sweep[0][k],
               sweep[1][k], (sweep[0][k] + sweep[1][k]) / 2);

    /* Transfer: social media (pos/neg rows) -> reviews, same language. */
    {
        struct textmodel_set *so, *rv;
        struct textmodel *m = NULL;
        double acc, lacc[N_W];
        long n;
        size_t nl;
        if (load(&so, dir, "social-sv-dev.tsv", LANG_SV, &err) < 0 ||
            load(&rv, dir, "reviews-sv-dev.tsv", LANG_SV, &err) < 0 ||
            textmodel_train(&m, so, &o, &err) < 0 ||
            textmodel_evaluate(&acc, &n, m, rv, &err) < 0)
            return die(&err);
        /* Probabilities of the social model on every review. */
        double *p = malloc(textmodel_set_size(rv) * sizeof *p);
        size_t k = 0;
        for (size_t i = 0; i < textmodel_set_size(rv); i++) {
            enum textmodel_label label;
            enum lang l;
            const char *text;
            size_t len;
            textmodel_set_row(rv, i, &label, &l, &text, &len);
            if (label == TEXTMODEL_NEU)
                continue;
            if (textmodel_prob_text(&p[k++], m, text, len, l, &err) < 0)
                return die(&err);
        }
        double *lex = lexicon_scores(se, rv, &nl);
        int *y = labels(rv);
        combine_sweep(lacc, lex, p, y, nl);
        printf("transfer social-sv (%zu pos, %zu neg) -> reviews-sv: "
               "accuracy %.4f on %ld rows; combined with the lexicon at "
               "w=%.2f: %.4f\n",
               textmodel_set_count(so, TEXTMODEL_POS),
               textmodel_set_count(so, TEXTMODEL_NEG), acc, n,
               TEXTMODEL_LEXICON_WEIGHT,
               lacc[(int)(TEXTMODEL_LEXICON_WEIGHT * (N_W - 1) + 0.5)]);
        free(p);
        free(lex);
        free(y);
        textmodel_free(m);
        textmodel_set_free(so);
        textmodel_set_free(rv);
    }
    sentiment_free(se);
    return 0;
}
