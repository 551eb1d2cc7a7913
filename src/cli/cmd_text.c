/* resonans text analyze|eval|train: language and sentiment of comments.
 *
 * analyze  one comment per line -> a result per comment, rendered as it
 *          is read (JSON Lines by default) with the explanation
 * eval     label TAB text -> accuracy, macro-F1, confusion, coverage
 * train    handed to cmd_text_train (cmd_text_train.c)
 * The results are built by report/text_report.h. */
#include "cli/cmd.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "core/err.h"
#include "core/mapfile.h"
#include "core/strbuf.h"
#include "report/text_report.h"
#include "text/analyze.h"
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
struct text_run {
    struct langid_result li;
    int scored;          /* 0: a language the lexicons do not read (see
                          * reads_language); score still computed for
                          * eval, shown as not scored by analyze */
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

/* Whether the lexicons read the comment's language: Swedish and English,
 * Norwegian and Danish (with the Swedish lexicon), and texts langid is
 * not sure about (short ones, emoji), which get the nearest lexicon. A
 * text langid confidently places in another language (German, Finnish,
 * ...) is not read: its score would be noise, and must not pass for
 * neutral (text/analyze.h, `scored`). --lang overrides. */
static int reads_language(const struct engine *e,
                          const struct langid_result *li)
{
    return e->force_lang || analyze_reads(li);
}

static int engine_run(struct engine *e, const char *s, size_t n,
                      struct text_run *a, struct err *err)
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
    a->scored = reads_language(e, &a->li);
    a->lexicon_score = a->score = e->res.score;
    a->prob = -1;
    if (e->model) {
        a->prob = textmodel_prob(e->model, &e->tokens, a->scored_in);
        a->score = textmodel_combine(a->lexicon_score, a->prob);
    }
    return 0;
}

/* ---- options ---------------------------------------------------------- */

enum { O_MODEL = 1, O_LANG, O_FORMAT };

static const struct opt_spec specs[] = {
    {"model", O_MODEL, OPT_VALUE, 0, "MODEL",
     "combine the lexicon with a trained model"},
    {"lang", O_LANG, OPT_VALUE, 0, "sv|en",
     "score every comment in this language instead of the one detected "
     "(Norwegian and Danish are scored with the Swedish lexicon)"},
    {"format", O_FORMAT, OPT_VALUE, 0, "FMT",
     "analyze: jsonl (default), csv or table; eval: table (default), csv, "
     "json or jsonl"},
    OPT_END};

const struct opt_section cmd_text_opts[] = {
    {"analyze and eval options", specs},
    {"train options", cmd_text_train_specs},
    {NULL, NULL}};

struct text_opts {
    const char *file;
    const char *model;
    const char *lang;
    const char *format; /* NULL: the subcommand's default */
};

static int parse_opts(struct app *app, const char *cmd, int argc, char **argv,
                      struct text_opts *o)
{
    struct opt_parser p;
    struct opt op;
    int got;
    memset(o, 0, sizeof *o);
    opt_parser_init(&p, specs, argc, argv);
    while ((got = cli_opt_next(app, cmd, &p, &op)) > 0) {
        switch (op.id) {
        case O_MODEL:
            o->model = op.value;
            break;
        case O_LANG:
            o->lang = op.value;
            break;
        case O_FORMAT:
            o->format = op.value;
            break;
        default:
            if (o->file)
                return cli_usage_error(app, cmd, "more than one file given");
            o->file = op.value;
        }
    }
    return got < 0 ? EXIT_USAGE : 0;
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

/* The lexicon's label, or with a model the label of the combined score. */
static enum sentiment_label label_of(const struct engine *e,
                                     const struct text_run *a)
{
    if (!e->model)
        return e->res.label;
    return a->score >= SENTIMENT_NEUTRAL_BAND    ? SENTIMENT_POSITIVE
           : a->score <= -SENTIMENT_NEUTRAL_BAND ? SENTIMENT_NEGATIVE
                                                 : SENTIMENT_NEUTRAL;
}

/* analyze streams: each line is a one-row result, rendered and written
 * before the next is read (report/text_report.h). */
static int text_analyze(struct app *app, int argc, char **argv)
{
    static const char *cmd = "text analyze";
    struct text_opts o;
    struct engine e;
    struct result *res = NULL;
    struct strbuf out = STRBUF_INIT;
    struct err err = ERR_INIT;
    enum result_format fmt = RESULT_FORMAT_JSONL;
    unsigned flags = 0;
    FILE *in = stdin;
    char *line = NULL;
    size_t cap = 0;
    long lineno = 0, bad = 0;
    int rc;

    memset(&e, 0, sizeof e);
    if ((rc = parse_opts(app, cmd, argc, argv, &o)) != 0)
        return rc;
    if (o.format &&
        (result_format_parse(&fmt, o.format) < 0 || fmt == RESULT_FORMAT_JSON))
        return cli_usage_error(app, cmd,
                               "--format must be jsonl, csv or table (analyze "
                               "writes as it reads), got '%s'",
                               o.format);
    if ((rc = setup(app, cmd, &o, &e)) != 0)
        goto done;
    if (o.file && strcmp(o.file, "-") != 0 && !(in = fopen(o.file, "rb"))) {
        err_set(&err, ERR_IO, "cannot open %s", o.file);
        rc = cli_error(app, &err);
        goto done;
    }
    res = text_report_analyze_new(e.model != NULL);
    ssize_t got;
    while ((got = getline(&line, &cap, in)) >= 0) {
        size_t n = (size_t)got;
        struct text_run a;
        lineno++;
        while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            n--;
        if (lineno == 1 && n >= 3 && !memcmp(line, "\xef\xbb\xbf", 3)) {
            memmove(line, line + 3, n - 3); /* UTF-8 BOM */
            n -= 3;
        }
        strbuf_reset(&out);
        err_clear(&err);
        result_table_clear(result_table_find(res, "comments"));
        result_table_clear(result_table_find(res, "errors"));
        if (engine_run(&e, line, n, &a, &err) < 0) {
            bad++;
            text_report_analyze_error(res, lineno, err.msg);
            if (fmt == RESULT_FORMAT_CSV) /* CSV stays one table */
                cli_say(app->err, "resonans: %s:%ld: %s",
                        o.file ? o.file : "stdin", lineno, err.msg);
        } else {
            struct text_report_comment c = {lineno,
                                            line,
                                            n,
                                            &a.li,
                                            a.scored_in,
                                            a.scored,
                                            a.score,
                                            (int)label_of(&e, &a),
                                            e.model != NULL,
                                            a.lexicon_score,
                                            a.prob,
                                            &e.tokens,
                                            &e.res};
            text_report_analyze_add(res, &c);
        }
        err_clear(&err);
        if (result_render_with(&out, res, fmt, flags, &err) < 0) {
            rc = cli_error(app, &err);
            goto done;
        }
        if (fmt == RESULT_FORMAT_CSV && out.n)
            flags |= RESULT_RENDER_NO_HEADER; /* the header once */
        fwrite(out.p ? out.p : "", 1, out.n, app->out);
    }
    if (bad) {
        cli_say(app->err, "resonans: %s: %ld of %ld lines rejected",
                o.file ? o.file : "stdin", bad, lineno);
        rc = EXIT_DATA;
    }
done:
    if (in && in != stdin)
        fclose(in);
    free(line);
    result_free(res);
    strbuf_dispose(&out);
    engine_dispose(&e);
    return rc;
}

/* ---- eval -------------------------------------------------------------- */

enum {
    C_POS = TEXT_REPORT_POS,
    C_NEG = TEXT_REPORT_NEG,
    C_NEU = TEXT_REPORT_NEU
};

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
    static const char *cmd = "text eval";
    struct text_opts o;
    struct engine e;
    struct err err = ERR_INIT;
    struct textmodel_set *set = textmodel_set_new();
    struct text_report_eval ev;
    struct result *res = NULL;
    enum result_format fmt = RESULT_FORMAT_TABLE;
    size_t n = 0;
    int rc;

    memset(&e, 0, sizeof e);
    memset(&ev, 0, sizeof ev);
    if ((rc = parse_opts(app, cmd, argc, argv, &o)) != 0)
        goto done;
    if (o.format && result_format_parse(&fmt, o.format) < 0) {
        rc = cli_usage_error(app, cmd,
                             "--format must be table, csv, json, jsonl or html, "
                             "got '%s'",
                             o.format);
        goto done;
    }
    if (!o.file) {
        rc = cli_usage_error(app, cmd, "no FILE.tsv given");
        goto done;
    }
    if ((rc = setup(app, cmd, &o, &e)) != 0)
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
        ev.gold[eval_class(label)]++;
    }
    int three = ev.gold[C_NEU] > 0;

    double t0 = now();
    for (size_t i = 0; i < n; i++) {
        struct text_run a;
        enum textmodel_label label;
        enum lang l;
        const char *text;
        size_t tn;
        int pred;
        textmodel_set_row(set, i, &label, &l, &text, &tn);
        err_clear(&err);
        if (engine_run(&e, text, tn, &a, &err) < 0) {
            ev.rejected++;
            pred = C_NEU;
        } else {
            ev.covered += e.res.hits > 0;
            ev.zero += a.score == 0;
            if (three)
                pred = a.score >= SENTIMENT_NEUTRAL_BAND    ? C_POS
                       : a.score <= -SENTIMENT_NEUTRAL_BAND ? C_NEG
                                                            : C_NEU;
            else /* a zero score is neither, so it counts as wrong */
                pred = a.score > 0 ? C_POS : a.score < 0 ? C_NEG : C_NEU;
        }
        ev.confusion[eval_class(label)][pred]++;
    }
    ev.seconds = now() - t0;
    ev.file = o.file;
    ev.scorer = e.model ? "lexicon + model" : "lexicon";
    ev.rows = (long)n;
    res = text_report_eval(&ev);
    rc = cli_render(app, res, fmt, 0);
done:
    result_free(res);
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
