/* Benchmark of the text pipeline on one core: comments/s for sentiment
 * alone (on tokens made beforehand), for tokenize + langid + sentiment
 * and for the full import pipeline, the median of 5 passes over a
 * labelled file (label TAB text, as `resonans text eval` reads), in
 * wall-clock time and, in parentheses, the process's CPU time. A
 * missing file prints "skipped".
 *
 * --raw-en prints only the figure that is compared with vader-sentiment
 * (bench/run.sh): sentiment from raw text exactly as `resonans text eval
 * --lang en` computes it per comment (tokenize with normalisation,
 * langid, English scoring with stems), file reading excluded. It is
 * timed as `bench/peers/vader_bench.mjs --rates` times vader: one
 * warm-up pass over the file, then the median of 5 timed passes with the
 * same engine, in wall-clock time and in the process's CPU time (which a
 * busy machine disturbs less); the first pass of a fresh engine (empty
 * caches: what a single `text eval` run sees) is printed beside it.
 *
 * Usage: bench_text [--raw-en] [FILE.tsv ...]
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

/* What `text eval --lang en` keeps per thread (cli/cmd_text.c, struct
 * engine) and runs per comment (engine_run, the lexicon scorer): the
 * text tokenised (words normalised, hashed), its language detected (eval
 * runs langid even with --lang), the English lexicon's score with
 * stemming of unknown words. */
struct raw_engine {
    struct tokens t;
    struct sentiment_result r;
};

static double cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* One pass over the comments; *wall and *cpu get comments/s. */
static void raw_pass(struct raw_engine *e, const struct langid *li,
                     const struct sentiment *s, const struct text *v, size_t n,
                     double *checksum, double *wall, double *cpu)
{
    struct err err = ERR_INIT;
    double t0 = now(), c0 = cpu_now();
    for (size_t i = 0; i < n; i++) {
        struct langid_result lr;
        if (tokenize_text(&e->t, v[i].p, v[i].n, &err) < 0)
            continue;
        langid_detect(li, &e->t, &lr);
        sentiment_score(s, LANG_EN, &e->t, &e->r);
        *checksum += e->r.score;
    }
    double c1 = cpu_now(), t1 = now();
    *wall = (double)n / (t1 - t0);
    *cpu = (double)n / (c1 - c0);
}

/* Sentiment from raw text as `text eval --lang en` runs it, timed as
 * bench/peers/vader_bench.mjs --rates times vader. */
static void bench_raw(const char *path, const struct langid *li,
                      const struct sentiment *s)
{
    struct mapfile m = MAPFILE_INIT;
    struct err err = ERR_INIT;
    struct text *v = NULL;
    double warm[PASSES], warm_cpu[PASSES], cold[PASSES], cold_cpu[PASSES];
    double checksum = 0, w, c;
    if (mapfile_open(&m, path, &err) < 0) {
        printf("resonans-raw-en %s: skipped (%s)\n", path, err.msg);
        return;
    }
    size_t n = split(&m, &v);
    /* a fresh engine each pass: what one `text eval` run sees */
    for (int p = 0; p < PASSES; p++) {
        struct raw_engine e = {TOKENS_INIT, SENTIMENT_RESULT_INIT};
        raw_pass(&e, li, s, v, n, &checksum, &cold[p], &cold_cpu[p]);
        tokens_dispose(&e.t);
        sentiment_result_dispose(&e.r);
    }
    /* one engine, a warm-up pass, then the timed passes: as vader */
    struct raw_engine e = {TOKENS_INIT, SENTIMENT_RESULT_INIT};
    raw_pass(&e, li, s, v, n, &checksum, &w, &c);
    for (int p = 0; p < PASSES; p++)
        raw_pass(&e, li, s, v, n, &checksum, &warm[p], &warm_cpu[p]);
    tokens_dispose(&e.t);
    sentiment_result_dispose(&e.r);
    printf("resonans-raw-en %s: %zu comments; wall %.0f/s, cpu %.0f/s "
           "(median of %d after a warm-up); fresh engine wall %.0f/s, "
           "cpu %.0f/s (median of %d first passes); checksum %.3f\n",
           path, n, bench_median(warm, PASSES), bench_median(warm_cpu, PASSES),
           PASSES, bench_median(cold, PASSES), bench_median(cold_cpu, PASSES),
           PASSES, checksum);
    free(v);
    mapfile_close(&m);
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
    double alone_cpu[PASSES], full_cpu[PASSES], pipe_cpu[PASSES];
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
        double t0 = now(), c0 = cpu_now();
        for (size_t i = 0; i < n; i++) {
            sentiment_score(s, lang[i], &toks[i], &r);
            checksum += r.score;
        }
        alone_cpu[p] = (double)n / (cpu_now() - c0);
        alone[p] = (double)n / (now() - t0);
    }
    for (int p = 0; p < PASSES; p++) {
        double t0 = now(), c0 = cpu_now();
        for (size_t i = 0; i < n; i++) {
            struct langid_result lr;
            if (tokenize_text(&t, v[i].p, v[i].n, &err) < 0)
                continue;
            langid_detect(li, &t, &lr);
            sentiment_score(s, lr.lang != LANG_OTHER ? lr.lang : lr.nearest, &t,
                            &r);
            checksum += r.score;
        }
        full_cpu[p] = (double)n / (cpu_now() - c0);
        full[p] = (double)n / (now() - t0);
    }
    /* The whole pipeline as import runs it: redaction, tokens, language,
     * sentiment with its explanation, themes with aspect sentiment. */
    for (int p = 0; p < PASSES; p++) {
        double t0 = now(), c0 = cpu_now();
        for (size_t i = 0; i < n; i++) {
            if (analyzer_run(an, &a, v[i].p, v[i].n, NULL, &err) < 0)
                continue;
            checksum += a.score + (double)a.n_themes;
        }
        pipe_cpu[p] = (double)n / (cpu_now() - c0);
        pipe[p] = (double)n / (now() - t0);
    }
    /* wall-clock, and the process's CPU time beside it */
    printf("%s: %zu comments (%zu tokenised)\n", path, n, ok);
    printf("  sentiment alone:              %9.0f comments/s (cpu %.0f)\n",
           bench_median(alone, PASSES), bench_median(alone_cpu, PASSES));
    printf("  tokenize + langid + sentiment: %8.0f comments/s (cpu %.0f)\n",
           bench_median(full, PASSES), bench_median(full_cpu, PASSES));
    printf("  full pipeline (+ redaction, themes, explanation): %.0f "
           "comments/s (cpu %.0f)\n",
           bench_median(pipe, PASSES), bench_median(pipe_cpu, PASSES));
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
    int raw = argc > 1 && !strcmp(argv[1], "--raw-en");
    if (raw) {
        argc--;
        argv++;
    }
    const char *const *files = argc > 1 ? (const char *const *)argv + 1 : def;
    int n = argc > 1 ? argc - 1 : 1;

    if (raw) {
        if (langid_new(&li, &err) < 0 || sentiment_new(&s, &err) < 0) {
            fprintf(stderr, "bench_text: %s\n", err.msg);
            return 1;
        }
        for (int i = 0; i < n; i++)
            bench_raw(files[i], li, s);
        sentiment_free(s);
        langid_free(li);
        return 0;
    }

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
