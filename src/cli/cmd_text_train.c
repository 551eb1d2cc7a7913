/* `resonans text train`: fits the sentiment model (src/text/textmodel.h)
 * on a labelled file or on weak labels from the stored scores, reports
 * the rows used, the class balance and the cross-validated accuracy, and
 * saves the model. For weak labels this command reads the stored
 * comments and hands them to the text module, which never opens the
 * store. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cmd.h"
#include "core/err.h"
#include "store/store.h"
#include "text/textmodel.h"

static const char usage[] =
    "usage: resonans text train --labelled FILE.tsv --out MODEL [options]\n"
    "       resonans text train --out MODEL [options]    (weak labels)\n"
    "\n"
    "Fits a logistic-regression sentiment model on hashed, stemmed words\n"
    "and word pairs (docs/text-model.md). With --labelled, rows are\n"
    "'label TAB text' (pos, neg; neu rows are counted but unused). Without\n"
    "it, stored comments are labelled by their response's score: NPS 0-6\n"
    "or CSAT 1-2 negative, NPS 9-10 or CSAT 4-5 positive, others unused.\n"
    "\n"
    "  --lang sv|en     language of the file, and of stored comments that\n"
    "                   have none (default sv)\n"
    "  --cv K           K-fold cross-validation, 2..20; 0 skips it\n"
    "                   (default 5)\n"
    "  --test FILE.tsv  also report accuracy on another labelled file\n"
    "  --test-lang L    its language (default: --lang)\n"
    "\n"
    "Tuning (defaults chosen by cross-validation):\n"
    "  --bits N         2^N hash buckets, 16..22\n"
    "  --l2 X           L2 penalty\n"
    "  --nb A           smoothing of the naive Bayes feature scaling;\n"
    "                   0 = plain logistic regression\n"
    "  --char MIN-MAX   character n-grams of words, or 0 for none\n"
    "  --neg N          words marked after a negator, 0..5\n"
    "  --no-bigrams     words only\n"
    "  --unbalanced     weigh rows equally, not classes\n"
    "  --iter N         optimiser iterations\n"
    "  --seed N         seed of the cross-validation folds\n";

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int parse_long(long *out, const char *s, long lo, long hi)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < lo || v > hi)
        return -1;
    *out = v;
    return 0;
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
    if (parse_long(&a, tmp, 1, 6) < 0 || parse_long(&b, dash + 1, 1, 6) < 0 ||
        a > b)
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
    struct err err = ERR_INIT;
    const char *labelled = NULL, *out = NULL, *test = NULL;
    enum lang lang = LANG_SV, test_lang = LANG_OTHER;
    int have_test_lang = 0;
    long cv = 5, v;
    int rc = EXIT_OK;

    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
            fputs(usage, app->out);
            return EXIT_OK;
        }
    }
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *val = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--no-bigrams")) {
            o.bigrams = 0;
            continue;
        }
        if (!strcmp(a, "--unbalanced")) {
            o.balanced = 0;
            continue;
        }
        if (!val || strncmp(a, "--", 2) != 0)
            return cli_usage_error(app, cmdname, "%s '%s'",
                                   strncmp(a, "--", 2) ? "unexpected argument"
                                                       : "missing value for",
                                   a);
        i++;
        if (!strcmp(a, "--labelled")) {
            labelled = val;
        } else if (!strcmp(a, "--out")) {
            out = val;
        } else if (!strcmp(a, "--test")) {
            test = val;
        } else if (!strcmp(a, "--lang") || !strcmp(a, "--test-lang")) {
            enum lang l;
            if (lang_parse(&l, val) < 0 || l == LANG_OTHER)
                return cli_usage_error(app, cmdname,
                                       "%s must be sv or en, got '%s'", a, val);
            if (!strcmp(a, "--lang")) {
                lang = l;
            } else {
                test_lang = l;
                have_test_lang = 1;
            }
        } else if (!strcmp(a, "--cv")) {
            if (parse_long(&cv, val, 0, TEXTMODEL_CV_MAX) < 0 || cv == 1)
                return cli_usage_error(app, cmdname,
                                       "--cv must be 0 or 2..%d, got '%s'",
                                       TEXTMODEL_CV_MAX, val);
        } else if (!strcmp(a, "--bits")) {
            if (parse_long(&v, val, 16, 22) < 0)
                return cli_usage_error(app, cmdname,
                                       "--bits must be 16..22, got '%s'", val);
            o.hash_bits = (unsigned)v;
        } else if (!strcmp(a, "--l2")) {
            char *end;
            errno = 0;
            o.l2 = strtod(val, &end);
            if (errno || end == val || *end || !(o.l2 > 0) || o.l2 > 1e3)
                return cli_usage_error(
                    app, cmdname, "--l2 must be a number > 0, got '%s'", val);
        } else if (!strcmp(a, "--nb")) {
            char *end;
            errno = 0;
            o.nb_alpha = strtod(val, &end);
            if (errno || end == val || *end || !(o.nb_alpha >= 0) ||
                o.nb_alpha > 1e6)
                return cli_usage_error(
                    app, cmdname, "--nb must be a number >= 0, got '%s'", val);
        } else if (!strcmp(a, "--char")) {
            if (parse_char(&o, val) < 0)
                return cli_usage_error(app, cmdname,
                                       "--char must be 0 or MIN-MAX within "
                                       "1..6, got '%s'",
                                       val);
        } else if (!strcmp(a, "--neg")) {
            if (parse_long(&v, val, 0, 5) < 0)
                return cli_usage_error(app, cmdname,
                                       "--neg must be 0..5, got '%s'", val);
            o.neg_scope = (int)v;
        } else if (!strcmp(a, "--iter")) {
            if (parse_long(&v, val, 1, 10000) < 0)
                return cli_usage_error(
                    app, cmdname, "--iter must be 1..10000, got '%s'", val);
            o.max_iter = (int)v;
        } else if (!strcmp(a, "--seed")) {
            char *end;
            errno = 0;
            unsigned long long s = strtoull(val, &end, 10);
            if (errno || end == val || *end || val[0] == '-')
                return cli_usage_error(app, cmdname,
                                       "--seed must be a whole number, got "
                                       "'%s'",
                                       val);
            o.seed = (uint64_t)s;
        } else {
            return cli_usage_error(app, cmdname, "unknown option '%s'", a);
        }
    }
    if (!out)
        return cli_usage_error(app, cmdname, "--out MODEL is required");
    if (!have_test_lang)
        test_lang = lang;

    set = textmodel_set_new();
    if (labelled) {
        if (textmodel_set_load_tsv(set, labelled, lang, &err) < 0)
            goto fail;
        fprintf(app->out, "rows: %zu from %s\n",
                textmodel_set_count(set, TEXTMODEL_POS) +
                    textmodel_set_count(set, TEXTMODEL_NEG) +
                    textmodel_set_count(set, TEXTMODEL_NEU),
                labelled);
    } else {
        struct weak_ctx wc = {set, lang, {0, 0, 0, 0, 0}};
        struct textmodel_weak_stats ws;
        struct store *s = cli_store(app);
        if (!s) {
            rc = EXIT_FAIL;
            goto done;
        }
        if (store_scan_responses(s, weak_cb, &wc, &err) < 0)
            goto fail;
        ws = wc.st;
        fprintf(app->out,
                "comments: %ld in %ld responses; %ld weakly labelled, %ld "
                "without a decisive score, %ld invalid\n",
                ws.comments, ws.responses, ws.used, ws.unlabelled, ws.invalid);
    }
    size_t np = textmodel_set_count(set, TEXTMODEL_POS);
    size_t nn = textmodel_set_count(set, TEXTMODEL_NEG);
    size_t nu = textmodel_set_count(set, TEXTMODEL_NEU);
    fprintf(app->out, "used: %zu (pos %zu = %.1f%%, neg %zu)", np + nn, np,
            np + nn ? 100.0 * (double)np / (double)(np + nn) : 0.0, nn);
    if (nu)
        fprintf(app->out, "; %zu neutral, unused", nu);
    fputc('\n', app->out);

    if (cv >= 2) {
        struct textmodel_cv r;
        struct err cverr = ERR_INIT;
        double t0 = now();
        if (textmodel_cross_validate(&r, NULL, set, &o, (int)cv, &cverr) < 0) {
            if (cverr.code != ERR_INVALID) {
                err = cverr;
                goto fail;
            }
            fprintf(app->out, "cross-validation skipped: %s\n", cverr.msg);
        } else {
            fprintf(app->out, "%d-fold CV accuracy: %.4f (folds", r.k,
                    r.accuracy);
            for (int f = 0; f < r.k; f++)
                fprintf(app->out, " %.3f", r.fold_accuracy[f]);
            fprintf(app->out, "), log-loss %.4f, %.1f s\n", r.log_loss,
                    now() - t0);
        }
    }

    double t0 = now();
    if (textmodel_train(&m, set, &o, &err) < 0)
        goto fail;
    double secs = now() - t0;
    if (textmodel_save(m, out, &err) < 0)
        goto fail;
    fprintf(app->out,
            "model: %s, %zu weights in 2^%u buckets, trained in %.2f s\n", out,
            textmodel_weight_count(m), textmodel_hash_bits(m), secs);

    if (test) {
        double acc;
        long n;
        tset = textmodel_set_new();
        if (textmodel_set_load_tsv(tset, test, test_lang, &err) < 0 ||
            textmodel_evaluate(&acc, &n, m, tset, &err) < 0)
            goto fail;
        fprintf(app->out, "test %s: accuracy %.4f on %ld rows\n", test, acc, n);
    }
    goto done;
fail:
    rc = cli_error(app, &err);
done:
    textmodel_free(m);
    textmodel_set_free(set);
    textmodel_set_free(tset);
    return rc;
}
