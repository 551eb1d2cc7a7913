/* resonans text analyze|eval|train: language and sentiment of comments.
 *
 * analyze  one comment per line -> JSON Lines with the explanation
 * eval     label TAB text -> accuracy, macro-F1, confusion, coverage
 * train    handed to cmd_text_train (cmd_text_train.c) */
#include "cli/cmd.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "core/err.h"
#include "core/mapfile.h"
#include "core/strbuf.h"
#include "text/langid.h"
#include "text/sentiment.h"
#include "text/textmodel.h"
#include "text/tokenize.h"

/* What every subcommand runs with. */
struct engine {
    struct langid *langid;
    struct sentiment *sentiment;
    struct textmodel *model; /* NULL without --model */
    int force_lang;          /* 1 when --lang was given */
    enum lang lang;
    struct tokens tokens;
    struct sentiment_result res;
};

/* The analysis of one comment. */
struct analysis {
    struct langid_result li;
    enum lang scored_in; /* the lexicon used */
    double lexicon_score;
    double prob;  /* model P(positive), or -1 */
    double score; /* lexicon, or combined with the model */
};

static void engine_dispose(struct engine *e)
{
    langid_free(e->langid);
    sentiment_free(e->sentiment);
    textmodel_free(e->model);
    tokens_dispose(&e->tokens);
    sentiment_result_dispose(&e->res);
}

static int engine_init(struct engine *e, const char *model, struct err *err)
{
    int rc;
    memset(e, 0, sizeof *e);
    tokens_init(&e->tokens);
    sentiment_result_init(&e->res);
    if ((rc = langid_new(&e->langid, err)) < 0 ||
        (rc = sentiment_new(&e->sentiment, err)) < 0)
        return rc;
    if (model && (rc = textmodel_load(&e->model, model, err)) < 0)
        return rc;
    return 0;
}

static int engine_run(struct engine *e, const char *s, size_t n,
                      struct analysis *a, struct err *err)
{
    int rc = tokenize_text(&e->tokens, s, n, err);
    if (rc < 0)
        return rc;
    langid_detect(e->langid, &e->tokens, &a->li);
    if (e->force_lang)
        a->scored_in = e->lang;
    else
        a->scored_in = a->li.lang != LANG_OTHER ? a->li.lang : a->li.nearest;
    sentiment_score(e->sentiment, a->scored_in, &e->tokens, &e->res);
    a->lexicon_score = a->score = e->res.score;
    a->prob = -1;
    if (e->model) {
        a->prob = textmodel_prob(e->model, &e->tokens, a->scored_in);
        a->score = textmodel_combine(a->lexicon_score, a->prob);
    }
    return 0;
}

/* ---- options ---------------------------------------------------------- */

struct text_opts {
    const char *file;
    const char *model;
    const char *lang;
};

static int parse_opts(struct app *app, const char *cmd, int argc, char **argv,
                      struct text_opts *o)
{
    int ends = 0;
    memset(o, 0, sizeof *o);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char **dst = NULL;
        const char *name = NULL;
        if (!ends && !strcmp(a, "--")) {
            ends = 1;
            continue;
        }
        if (!ends && !strncmp(a, "--model", 7) && (a[7] == 0 || a[7] == '=')) {
            dst = &o->model;
            name = "--model";
        } else if (!ends && !strncmp(a, "--lang", 6) &&
                   (a[6] == 0 || a[6] == '=')) {
            dst = &o->lang;
            name = "--lang";
        }
        if (dst) {
            size_t k = strlen(name);
            if (a[k] == '=')
                *dst = a + k + 1;
            else if (i + 1 < argc)
                *dst = argv[++i];
            else
                return cli_usage_error(app, cmd, "%s needs a value", name);
            continue;
        }
        if (!ends && a[0] == '-' && a[1])
            return cli_usage_error(app, cmd, "unknown option '%s'", a);
        if (o->file)
            return cli_usage_error(app, cmd, "more than one file given");
        o->file = a;
    }
    return 0;
}

static int setup(struct app *app, const char *cmd, const struct text_opts *o,
                 struct engine *e)
{
    struct err err = ERR_INIT;
    if (o->lang) {
        enum lang l;
        if (lang_parse(&l, o->lang) < 0 || l == LANG_OTHER)
            return cli_usage_error(app, cmd, "--lang must be sv or en");
    }
    if (engine_init(e, o->model, &err) < 0)
        return cli_error(app, &err);
    if (o->lang) {
        e->force_lang = 1;
        lang_parse(&e->lang, o->lang);
    }
    return 0;
}

/* ---- analyze ----------------------------------------------------------- */

/* The explanation of one result as a JSON array. */
static void json_reasons(struct strbuf *b, const struct tokens *t,
                         const struct sentiment_result *r)
{
    struct strbuf rule = STRBUF_INIT;
    strbuf_putc(b, '[');
    for (size_t i = 0; i < r->n_reasons; i++) {
        const struct sentiment_reason *x = &r->reasons[i];
        const struct token *first = &t->v[x->token];
        const struct token *last = &t->v[x->token + x->n_tokens - 1];
        if (i)
            strbuf_putc(b, ',');
        strbuf_puts(b, "{\"token\":");
        strbuf_json_string(b, first->raw, last->off + last->raw_n - first->off);
        strbuf_puts(b, ",\"term\":");
        strbuf_json_string(b, x->term, strlen(x->term));
        strbuf_printf(b, ",\"base\":%.3g,\"weight\":%.3g,\"rules\":[", x->base,
                      x->weight);
        for (int k = 0; k < x->n_rules; k++) {
            strbuf_reset(&rule);
            sentiment_rule_format(&rule, &x->rules[k], t);
            if (k)
                strbuf_putc(b, ',');
            strbuf_json_string(b, rule.p ? rule.p : "", rule.n);
        }
        strbuf_puts(b, "]}");
    }
    strbuf_putc(b, ']');
    strbuf_dispose(&rule);
}

/* The lexicon's label, or with a model the label of the combined score. */
static enum sentiment_label label_of(const struct engine *e,
                                     const struct analysis *a)
{
    if (!e->model)
        return e->res.label;
    return a->score >= SENTIMENT_NEUTRAL_BAND    ? SENTIMENT_POSITIVE
           : a->score <= -SENTIMENT_NEUTRAL_BAND ? SENTIMENT_NEGATIVE
                                                 : SENTIMENT_NEUTRAL;
}

static void analysis_json(struct strbuf *b, struct engine *e, long line,
                          const char *s, size_t n, const struct analysis *a)
{
    strbuf_printf(b, "{\"line\":%ld,\"text\":", line);
    strbuf_json_string(b, s, n);
    strbuf_printf(b,
                  ",\"language\":\"%s\",\"language_confidence\":%.2f,"
                  "\"language_guess\":\"%s\",\"lexicon\":\"%s\","
                  "\"score\":%.4f,\"label\":\"%s\"",
                  lang_code(a->li.lang), a->li.confidence, a->li.code,
                  lang_code(a->scored_in), a->score,
                  sentiment_label_name(label_of(e, a)));
    if (a->prob >= 0)
        strbuf_printf(b, ",\"lexicon_score\":%.4f,\"model_prob\":%.4f",
                      a->lexicon_score, a->prob);
    strbuf_puts(b, ",\"explanation\":");
    json_reasons(b, &e->tokens, &e->res);
    strbuf_puts(b, "}\n");
}

static int text_analyze(struct app *app, int argc, char **argv)
{
    struct text_opts o;
    struct engine e;
    struct strbuf out = STRBUF_INIT;
    struct err err = ERR_INIT;
    FILE *in = stdin;
    char *line = NULL;
    size_t cap = 0;
    long lineno = 0, bad = 0;
    int rc;

    memset(&e, 0, sizeof e);
    if ((rc = parse_opts(app, "text analyze", argc, argv, &o)) != 0)
        return rc;
    if ((rc = setup(app, "text analyze", &o, &e)) != 0)
        goto done;
    if (o.file && strcmp(o.file, "-") != 0 && !(in = fopen(o.file, "rb"))) {
        err_set(&err, ERR_IO, "cannot open %s", o.file);
        rc = cli_error(app, &err);
        goto done;
    }
    ssize_t got;
    while ((got = getline(&line, &cap, in)) >= 0) {
        size_t n = (size_t)got;
        struct analysis a;
        lineno++;
        while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            n--;
        if (lineno == 1 && n >= 3 && !memcmp(line, "\xef\xbb\xbf", 3)) {
            memmove(line, line + 3, n - 3); /* UTF-8 BOM */
            n -= 3;
        }
        strbuf_reset(&out);
        err_clear(&err);
        if (engine_run(&e, line, n, &a, &err) < 0) {
            bad++;
            strbuf_printf(&out, "{\"line\":%ld,\"error\":", lineno);
            strbuf_json_string(&out, err.msg, strlen(err.msg));
            strbuf_puts(&out, "}\n");
        } else {
            analysis_json(&out, &e, lineno, line, n, &a);
        }
        fwrite(out.p, 1, out.n, app->out);
    }
    if (bad) {
        fprintf(app->err, "resonans: %s: %ld of %ld lines rejected\n",
                o.file ? o.file : "stdin", bad, lineno);
        rc = EXIT_DATA;
    }
done:
    if (in && in != stdin)
        fclose(in);
    free(line);
    strbuf_dispose(&out);
    engine_dispose(&e);
    return rc;
}

/* ---- eval -------------------------------------------------------------- */

enum { C_POS, C_NEG, C_NEU, NCLASS };
static const char *const class_names[NCLASS] = {"pos", "neg", "neu"};

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The eval's class of a labelled row (the model's labels differ in
 * order). */
static int eval_class(enum textmodel_label l)
{
    return l == TEXTMODEL_POS ? C_POS : l == TEXTMODEL_NEG ? C_NEG : C_NEU;
}

static int text_eval(struct app *app, int argc, char **argv)
{
    struct text_opts o;
    struct engine e;
    struct err err = ERR_INIT;
    struct textmodel_set *set = textmodel_set_new();
    size_t n = 0;
    long conf[NCLASS][NCLASS] = {{0}};
    long gold_n[NCLASS] = {0}, covered = 0, zero = 0, rejected = 0;
    int rc;

    memset(&e, 0, sizeof e);
    if ((rc = parse_opts(app, "text eval", argc, argv, &o)) != 0)
        return rc;
    if (!o.file)
        return cli_usage_error(app, "text eval", "no FILE.tsv given");
    if ((rc = setup(app, "text eval", &o, &e)) != 0)
        goto done;
    /* the same reader as 'text train', so both accept the same files */
    if (textmodel_set_load_tsv(set, o.file, LANG_OTHER, &err) < 0) {
        rc = cli_error(app, &err);
        goto done;
    }
    n = textmodel_set_size(set);
    if (!n) {
        err_set(&err, ERR_INVALID, "%s: no labelled rows", o.file);
        rc = cli_error(app, &err);
        goto done;
    }
    for (size_t i = 0; i < n; i++) {
        enum textmodel_label label;
        enum lang l;
        const char *text;
        size_t tn;
        textmodel_set_row(set, i, &label, &l, &text, &tn);
        gold_n[eval_class(label)]++;
    }
    int three = gold_n[C_NEU] > 0;

    double t0 = now();
    for (size_t i = 0; i < n; i++) {
        struct analysis a;
        enum textmodel_label label;
        enum lang l;
        const char *text;
        size_t tn;
        int pred;
        textmodel_set_row(set, i, &label, &l, &text, &tn);
        err_clear(&err);
        if (engine_run(&e, text, tn, &a, &err) < 0) {
            rejected++;
            pred = C_NEU;
        } else {
            covered += e.res.hits > 0;
            zero += a.score == 0;
            if (three)
                pred = a.score >= SENTIMENT_NEUTRAL_BAND    ? C_POS
                       : a.score <= -SENTIMENT_NEUTRAL_BAND ? C_NEG
                                                            : C_NEU;
            else /* a zero score is neither, so it counts as wrong */
                pred = a.score > 0 ? C_POS : a.score < 0 ? C_NEG : C_NEU;
        }
        conf[eval_class(label)][pred]++;
    }
    double secs = now() - t0;

    long right = 0;
    int majority = C_POS;
    double f1_sum = 0;
    int n_f1 = 0;
    for (int c = 0; c < NCLASS; c++) {
        right += conf[c][c];
        if (gold_n[c] > gold_n[majority])
            majority = c;
        if (!gold_n[c])
            continue;
        long tp = conf[c][c], fp = 0, fn = gold_n[c] - tp;
        for (int g = 0; g < NCLASS; g++)
            if (g != c)
                fp += conf[g][c];
        double f1 = tp ? 2.0 * (double)tp / (double)(2 * tp + fp + fn) : 0;
        f1_sum += f1;
        n_f1++;
    }
    FILE *f = app->out;
    fprintf(f, "file: %s\n", o.file);
    fprintf(f, "rows: %zu (pos %ld, neg %ld, neu %ld)%s\n", n, gold_n[C_POS],
            gold_n[C_NEG], gold_n[C_NEU],
            three ? "" : "; two classes: a zero score counts as wrong");
    fprintf(f, "scorer: %s\n", e.model ? "lexicon + model" : "lexicon");
    fprintf(f, "accuracy: %.4f\n", (double)right / (double)n);
    fprintf(f, "macro-F1: %.4f\n", n_f1 ? f1_sum / n_f1 : 0);
    fprintf(f, "majority class: %.4f (%s)\n",
            (double)gold_n[majority] / (double)n, class_names[majority]);
    fprintf(f, "coverage: %.4f (texts with a lexicon hit)\n",
            (double)covered / (double)n);
    fprintf(f, "zero scores: %ld\n", zero);
    if (rejected)
        fprintf(f, "rejected (invalid UTF-8 or too long): %ld\n", rejected);
    fprintf(f, "confusion (rows: gold, columns: predicted):\n");
    fprintf(f, "%8s %7s %7s %7s\n", "", "pos", "neg", three ? "neu" : "zero");
    for (int g = 0; g < NCLASS; g++) {
        if (!gold_n[g])
            continue;
        fprintf(f, "%8s %7ld %7ld %7ld\n", class_names[g], conf[g][C_POS],
                conf[g][C_NEG], conf[g][C_NEU]);
    }
    fprintf(f,
            "speed: %.0f comments/s (tokenize, langid, sentiment%s; "
            "one thread)\n",
            secs > 0 ? (double)n / secs : 0, e.model ? ", model" : "");
done:
    textmodel_set_free(set);
    engine_dispose(&e);
    return rc;
}

int cmd_text(struct app *app, int argc, char **argv)
{
    if (argc < 2)
        return cli_usage_error(app, "text", "analyze, eval or train?");
    if (!strcmp(argv[1], "analyze"))
        return text_analyze(app, argc - 1, argv + 1);
    if (!strcmp(argv[1], "eval"))
        return text_eval(app, argc - 1, argv + 1);
    if (!strcmp(argv[1], "train"))
        return cmd_text_train(app, argc - 1, argv + 1);
    return cli_usage_error(app, "text", "unknown subcommand '%s'", argv[1]);
}
