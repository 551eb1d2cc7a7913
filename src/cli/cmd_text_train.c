/* `resonans text train`: fits the sentiment model (src/text/textmodel.h)
 * on a labelled file or on weak labels from the stored scores, and saves
 * it; the result (rows used, class balance, cross-validated accuracy, the
 * model) is built by report/text_report.h. For weak labels this command
 * reads the stored comments and hands them to the text module, which
 * never opens the store. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cmd.h"
#include "cli/metrics_cli.h"
#include "core/err.h"
#include "report/text_report.h"
#include "store/store.h"
#include "text/textmodel.h"

enum {
    O_LABELLED = 1,
    O_OUT,
    O_LANG,
    O_CV,
    O_TEST,
    O_TEST_LANG,
    O_BITS,
    O_L2,
    O_NB,
    O_CHAR,
    O_NEG,
    O_NO_BIGRAMS,
    O_UNBALANCED,
    O_ITER,
    O_SEED,
    O_FORMAT
};

const struct opt_spec cmd_text_train_specs[] = {
    {"labelled", O_LABELLED, OPT_VALUE, 0, "FILE.tsv",
     "rows 'label TAB text'; without it, weak labels from stored scores"},
    {"out", O_OUT, OPT_VALUE, 0, "MODEL", "the model file to write"},
    {"lang", O_LANG, OPT_VALUE, 0, "sv|en",
     "language of the file, and of stored comments that have none (default "
     "sv)"},
    {"cv", O_CV, OPT_VALUE, 0, "K",
     "K-fold cross-validation, 2..20; 0 skips it (default 5)"},
    {"test", O_TEST, OPT_VALUE, 0, "FILE.tsv",
     "also report accuracy on another labelled file"},
    {"test-lang", O_TEST_LANG, OPT_VALUE, 0, "L",
     "its language (default: --lang)"},
    {"bits", O_BITS, OPT_VALUE, 0, "N", "2^N hash buckets, 16..22"},
    {"l2", O_L2, OPT_VALUE, 0, "X", "L2 penalty"},
    {"nb", O_NB, OPT_VALUE, 0, "A",
     "smoothing of the naive Bayes feature scaling; 0 = plain logistic "
     "regression"},
    {"char", O_CHAR, OPT_VALUE, 0, "MIN-MAX",
     "character n-grams of words, or 0 for none"},
    {"neg", O_NEG, OPT_VALUE, 0, "N", "words marked after a negator, 0..5"},
    {"no-bigrams", O_NO_BIGRAMS, OPT_FLAG, 0, NULL, "words only"},
    {"unbalanced", O_UNBALANCED, OPT_FLAG, 0, NULL,
     "weigh rows equally, not classes"},
    {"iter", O_ITER, OPT_VALUE, 0, "N", "optimiser iterations"},
    {"seed", O_SEED, OPT_VALUE, 0, "N", "seed of the cross-validation folds"},
    {"format", O_FORMAT, OPT_VALUE, 0, "FMT",
     "table (default), csv, json or jsonl"},
    OPT_END};

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int parse_char(struct textmodel_opts *o, const char *s)
{
    long a, b;
    const char *dash = strchr(s, '-');
    char tmp[32];
    if (!strcmp(s, "0")) {
        o->char_min = o->char_max = 0;
        return 0;
    }
    if (!dash || (size_t)(dash - s) >= sizeof tmp)
        return -1;
    memcpy(tmp, s, (size_t)(dash - s));
    tmp[dash - s] = 0;
    if (opt_parse_long(&a, tmp, 1, 6) < 0 ||
        opt_parse_long(&b, dash + 1, 1, 6) < 0 || a > b)
        return -1;
    o->char_min = (int)a;
    o->char_max = (int)b;
    return 0;
}

/* ---- weak labels: the stored comments, handed to the text module ---- */

struct weak_ctx {
    struct textmodel_set *set;
    enum lang lang; /* for responses without a language */
    struct textmodel_weak_stats st;
};

/* A comment is an answer to the question "comment" of kind text, not
 * empty; it is taken in its response's language ("sv"/"en"), else in
 * --lang, with the weak label of its response's scores. */
static int weak_cb(void *arg, const struct response *r)
{
    struct weak_ctx *c = arg;
    int label = textmodel_weak_label(r->nps, r->csat);
    enum lang l = c->lang;
    c->st.responses++;
    if (r->language)
        (void)lang_parse(&l, r->language); /* unknown: keep the default */
    for (int i = 0; i < r->n_answers; i++) {
        const struct answer *a = &r->answers[i];
        if (a->kind != ANSWER_TEXT || !a->question ||
            strcmp(a->question, "comment") != 0 || !a->text || !a->text[0])
            continue;
        textmodel_set_add_weak(c->set, label, l, a->text, strlen(a->text),
                               &c->st);
    }
    return 0;
}

int cmd_text_train(struct app *app, int argc, char **argv)
{
    static const char *cmdname = "text train";
    struct textmodel_opts o = TEXTMODEL_OPTS_INIT;
    struct textmodel_set *set = NULL, *tset = NULL;
    struct textmodel *m = NULL;
    struct textmodel_cv cv_res;
    struct text_report_train tr;
    struct weak_ctx wc;
    struct result *res = NULL;
    struct err err = ERR_INIT, cverr = ERR_INIT;
    enum result_format fmt = RESULT_FORMAT_TABLE;
    const char *labelled = NULL, *out = NULL, *test = NULL;
    enum lang lang = LANG_SV, test_lang = LANG_OTHER;
    int have_test_lang = 0, rc = EXIT_OK, got;
    struct opt_parser p;
    struct opt op;
    long cv = 5, v;

    memset(&tr, 0, sizeof tr);
    memset(&wc, 0, sizeof wc);
    opt_parser_init(&p, cmd_text_train_specs, argc, argv);
    while ((got = cli_opt_next(app, cmdname, &p, &op)) > 0) {
        const char *val = op.value;
        switch (op.id) {
        case OPT_ARG:
            return cli_usage_error(app, cmdname, "unexpected argument '%s'",
                                   val);
        case O_NO_BIGRAMS:
            o.bigrams = 0;
            break;
        case O_UNBALANCED:
            o.balanced = 0;
            break;
        case O_LABELLED:
            labelled = val;
            break;
        case O_OUT:
            out = val;
            break;
        case O_TEST:
            test = val;
            break;
        case O_FORMAT:
            if ((rc = metrics_cli_format(app, cmdname, val, &fmt)) != 0)
                return rc;
            break;
        case O_LANG:
        case O_TEST_LANG: {
            enum lang l;
            if (lang_parse(&l, val) < 0 || l == LANG_OTHER)
                return cli_usage_error(app, cmdname,
                                       "--%s must be sv or en, got '%s'",
                                       op.spec->name, val);
            if (op.id == O_LANG) {
                lang = l;
            } else {
                test_lang = l;
                have_test_lang = 1;
            }
            break;
        }
        case O_CV:
            if (opt_parse_long(&cv, val, 0, TEXTMODEL_CV_MAX) < 0 || cv == 1)
                return cli_usage_error(app, cmdname,
                                       "--cv must be 0 or 2..%d, got '%s'",
                                       TEXTMODEL_CV_MAX, val);
            break;
        case O_BITS:
            if (opt_parse_long(&v, val, 16, 22) < 0)
                return cli_usage_error(app, cmdname,
                                       "--bits must be 16..22, got '%s'", val);
            o.hash_bits = (unsigned)v;
            break;
        case O_L2:
            if (opt_parse_double(&o.l2, val) < 0 || !(o.l2 > 0) || o.l2 > 1e3)
                return cli_usage_error(
                    app, cmdname, "--l2 must be a number > 0, got '%s'", val);
            break;
        case O_NB:
            if (opt_parse_double(&o.nb_alpha, val) < 0 || !(o.nb_alpha >= 0) ||
                o.nb_alpha > 1e6)
                return cli_usage_error(
                    app, cmdname, "--nb must be a number >= 0, got '%s'", val);
            break;
        case O_CHAR:
            if (parse_char(&o, val) < 0)
                return cli_usage_error(app, cmdname,
                                       "--char must be 0 or MIN-MAX within "
                                       "1..6, got '%s'",
                                       val);
            break;
        case O_NEG:
            if (opt_parse_long(&v, val, 0, 5) < 0)
                return cli_usage_error(app, cmdname,
                                       "--neg must be 0..5, got '%s'", val);
            o.neg_scope = (int)v;
            break;
        case O_ITER:
            if (opt_parse_long(&v, val, 1, 10000) < 0)
                return cli_usage_error(
                    app, cmdname, "--iter must be 1..10000, got '%s'", val);
            o.max_iter = (int)v;
            break;
        case O_SEED: {
            char *end;
            unsigned long long s = strtoull(val, &end, 10);
            if (end == val || *end || val[0] == '-' || val[0] == '+')
                return cli_usage_error(app, cmdname,
                                       "--seed must be a whole number, got "
                                       "'%s'",
                                       val);
            o.seed = (uint64_t)s;
            break;
        }
        }
    }
    if (got < 0)
        return EXIT_USAGE;
    if (!out)
        return cli_usage_error(app, cmdname, "--out MODEL is required");
    if (!have_test_lang)
        test_lang = lang;

    set = textmodel_set_new();
    if (labelled) {
        if (textmodel_set_load_tsv(set, labelled, lang, &err) < 0)
            goto fail;
        tr.file = labelled;
        tr.rows = (long)textmodel_set_size(set);
    } else {
        struct store *s = cli_store(app);
        if (!s) {
            rc = app->store_exit;
            goto done;
        }
        wc.set = set;
        wc.lang = lang;
        if (store_scan_responses(s, weak_cb, &wc, &err) < 0)
            goto fail;
        tr.weak = &wc.st;
    }
    tr.pos = (long)textmodel_set_count(set, TEXTMODEL_POS);
    tr.neg = (long)textmodel_set_count(set, TEXTMODEL_NEG);
    tr.neu = (long)textmodel_set_count(set, TEXTMODEL_NEU);

    if (cv >= 2) {
        double t0 = now();
        if (textmodel_cross_validate(&cv_res, NULL, set, &o, (int)cv, &cverr) <
            0) {
            if (cverr.code != ERR_INVALID) {
                err = cverr;
                goto fail;
            }
            tr.cv_skipped = cverr.msg;
        } else {
            tr.cv = &cv_res;
            tr.cv_seconds = now() - t0;
        }
    }

    double t0 = now();
    if (textmodel_train(&m, set, &o, &err) < 0)
        goto fail;
    tr.train_seconds = now() - t0;
    if (textmodel_save(m, out, &err) < 0)
        goto fail;
    tr.model = out;
    tr.weights = (long)textmodel_weight_count(m);
    tr.hash_bits = textmodel_hash_bits(m);

    if (test) {
        tset = textmodel_set_new();
        if (textmodel_set_load_tsv(tset, test, test_lang, &err) < 0 ||
            textmodel_evaluate(&tr.test_accuracy, &tr.test_rows, m, tset,
                               &err) < 0)
            goto fail;
        tr.test_file = test;
    }
    res = text_report_train(&tr);
    rc = cli_render(app, res, fmt, 0);
    goto done;
fail:
    rc = cli_error(app, &err);
done:
    result_free(res);
    textmodel_free(m);
    textmodel_set_free(set);
    textmodel_set_free(tset);
    return rc;
}
