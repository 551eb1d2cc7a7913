/* Benchmark of the text pipeline on one core: comments/s for sentiment
 * alone (on tokens made beforehand) and for tokenize + langid +
 * sentiment, the median of 5 passes over a labelled file (label TAB
 * text, as `resonans text eval` reads). A missing file prints "skipped".
 * Usage: bench_text [FILE.tsv ...]
 *        (default ../shared/data/sentiment/reviews-en-dev.tsv) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench.h"
#include "core/err.h"
#include "core/mapfile.h"
#include "text/analyze.h"
#include "text/langid.h"
#include "text/sentiment.h"
#include "text/themes.h"
#include "text/tokenize.h"

#define PASSES 5

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

struct text {
    const char *p;
    size_t n;
};

/* The text column of each line (the whole line if there is no TAB). */
static size_t split(const struct mapfile *m, struct text **out)
{
    size_t n = 0, cap = 0, pos = 0;
    struct text *v = NULL;
    while (pos < m->n) {
        size_t e = pos;
        while (e < m->n && m->p[e] != '\n')
            e++;
        const char *s = m->p + pos, *tab = memchr(s, '\t', e - pos);
        if (tab)
            s = tab + 1;
        if (n == cap) {
            cap = cap ? 2 * cap : 1024;
            v = realloc(v, cap * sizeof *v);
            if (!v)
                abort();
        }
        v[n].p = s;
        v[n].n = (size_t)(m->p + e - s);
        n++;
        pos = e + 1;
    }
    *out = v;
    return n;
}

static void bench_file(const char *path, const struct langid *li,
                       const struct sentiment *s, struct analyzer *an)
{
    struct mapfile m = MAPFILE_INIT;
    struct err err = ERR_INIT;
    struct text *v = NULL;
    if (mapfile_open(&m, path, &err) < 0) {
        printf("%s: skipped (%s)\n", path, err.msg);
        return;
    }
    size_t n = split(&m, &v);
    struct tokens *toks = calloc(n ? n : 1, sizeof *toks);
    enum lang *lang = calloc(n ? n : 1, sizeof *lang);
    struct sentiment_result r = SENTIMENT_RESULT_INIT;
    struct tokens t = TOKENS_INIT;
    double alone[PASSES], full[PASSES], pipe[PASSES], checksum = 0;
    struct analysis a;
    analysis_init(&a);
    size_t ok = 0;

    /* Tokens and languages for the sentiment-alone passes. */
    for (size_t i = 0; i < n; i++) {
        struct langid_result lr;
        tokens_init(&toks[i]);
        if (tokenize_text(&toks[i], v[i].p, v[i].n, &err) < 0)
            continue;
        langid_detect(li, &toks[i], &lr);
        lang[i] = lr.lang != LANG_OTHER ? lr.lang : lr.nearest;
        ok++;
    }
    for (int p = 0; p < PASSES; p++) {
        double t0 = now();
        for (size_t i = 0; i < n; i++) {
            sentiment_score(s, lang[i], &toks[i], &r);
            checksum += r.score;
        }
        alone[p] = (double)n / (now() - t0);
    }
    for (int p = 0; p < PASSES; p++) {
        double t0 = now();
        for (size_t i = 0; i < n; i++) {
            struct langid_result lr;
            if (tokenize_text(&t, v[i].p, v[i].n, &err) < 0)
                continue;
            langid_detect(li, &t, &lr);
            sentiment_score(s, lr.lang != LANG_OTHER ? lr.lang : lr.nearest, &t,
                            &r);
            checksum += r.score;
        }
        full[p] = (double)n / (now() - t0);
    }
    /* The whole pipeline as import runs it: redaction, tokens, language,
     * sentiment with its explanation, themes with aspect sentiment. */
    for (int p = 0; p < PASSES; p++) {
        double t0 = now();
        for (size_t i = 0; i < n; i++) {
            if (analyzer_run(an, &a, v[i].p, v[i].n, NULL, &err) < 0)
                continue;
            checksum += a.score + (double)a.n_themes;
        }
        pipe[p] = (double)n / (now() - t0);
    }
    qsort(alone, PASSES, sizeof alone[0], bench_cmp_double);
    qsort(full, PASSES, sizeof full[0], bench_cmp_double);
    qsort(pipe, PASSES, sizeof pipe[0], bench_cmp_double);
    printf("%s: %zu comments (%zu tokenised)\n", path, n, ok);
    printf("  sentiment alone:              %9.0f comments/s\n",
           alone[PASSES / 2]);
    printf("  tokenize + langid + sentiment: %8.0f comments/s\n",
           full[PASSES / 2]);
    printf("  full pipeline (+ redaction, themes, explanation): %.0f "
           "comments/s\n",
           pipe[PASSES / 2]);
    printf("  (checksum %.3f)\n", checksum);

    for (size_t i = 0; i < n; i++)
        tokens_dispose(&toks[i]);
    free(toks);
    free(lang);
    free(v);
    tokens_dispose(&t);
    analysis_dispose(&a);
    sentiment_result_dispose(&r);
    mapfile_close(&m);
}

int main(int argc, char **argv)
{
    struct err err = ERR_INIT;
    struct langid *li = NULL;
    struct sentiment *s = NULL;
    static const char *const def[] = {
        "../shared/data/sentiment/reviews-en-dev.tsv"};
    const char *const *files = argc > 1 ? (const char *const *)argv + 1 : def;
    int n = argc > 1 ? argc - 1 : 1;

    struct themes *th = themes_new();
    struct analyzer *an = NULL;
    if (langid_new(&li, &err) < 0 || sentiment_new(&s, &err) < 0 ||
        themes_add_default(th, &err) < 0 ||
        analyzer_new(&an, li, s, th, &err) < 0) {
        fprintf(stderr, "bench_text: %s\n", err.msg);
        return 1;
    }
    printf("== text: one core, median of %d passes\n", PASSES);
    for (int i = 0; i < n; i++)
        bench_file(files[i], li, s, an);
    analyzer_free(an);
    themes_free(th);
    sentiment_free(s);
    langid_free(li);
    return 0;
}
