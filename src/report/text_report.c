#include "report/text_report.h"

#include <math.h>
#include <string.h>

#include "core/strbuf.h"
#include "report/result.h"
#include "text/langid.h"
#include "text/sentiment.h"
#include "text/textmodel.h"
#include "text/tokenize.h"

/* ---- analyze ---- */

struct result *text_report_analyze_new(int with_model)
{
    struct result *r = result_new();
    struct result_table *t = result_table_new(r, "comments", NULL);
    result_table_layout(t, RESULT_RECORDS);
    result_col(t, "line", "line", RESULT_INTEGER, 0,
               RESULT_HEAD | RESULT_LABELLED);
    result_col(t, "text", "text", RESULT_TEXT, 0, RESULT_QUOTED);
    result_col(t, "language", "language", RESULT_TEXT, 0, RESULT_HEAD);
    result_col(t, "language_confidence", "confidence", RESULT_NUMBER, 2,
               RESULT_ROUNDED | RESULT_FOR_PROGRAMS);
    result_col(t, "language_guess", "guess", RESULT_TEXT, 0,
               RESULT_FOR_PROGRAMS);
    result_col(t, "lexicon", "lexicon", RESULT_TEXT, 0, RESULT_FOR_PROGRAMS);
    result_col(t, "sentiment", "sentiment", RESULT_TEXT, 0,
               RESULT_FOR_PEOPLE | RESULT_HEAD);
    result_col(t, "score", "score", RESULT_NUMBER, 4,
               RESULT_ROUNDED | RESULT_SIGNED | RESULT_HEAD);
    result_col(t, "label", "label", RESULT_TEXT, 0, RESULT_FOR_PROGRAMS);
    if (with_model) {
        result_col(t, "lexicon_score", "lexicon score", RESULT_NUMBER, 4,
                   RESULT_ROUNDED | RESULT_SIGNED | RESULT_LABELLED |
                       RESULT_HEAD);
        result_col(t, "model_prob", "P(positive)", RESULT_NUMBER, 4,
                   RESULT_ROUNDED | RESULT_LABELLED | RESULT_HEAD);
    }
    result_col(t, "explanation", "explanation", RESULT_JSON, 0,
               RESULT_FOR_PROGRAMS);
    result_col(t, "words", "words", RESULT_TEXT, 0,
               RESULT_FOR_PEOPLE | RESULT_LABELLED);

    t = result_table_new(r, "errors", NULL);
    result_table_layout(t, RESULT_RECORDS);
    result_col(t, "line", "line", RESULT_INTEGER, 0,
               RESULT_IN_TABLE | RESULT_IN_JSON | RESULT_HEAD |
                   RESULT_LABELLED);
    result_col(t, "error", "error", RESULT_TEXT, 0,
               RESULT_IN_TABLE | RESULT_IN_JSON | RESULT_LABELLED);
    return r;
}

/* The reasons as JSON (each word, phrase or emoji that moved the score,
 * with its lexicon weight, its weight after the rules and the rules) and
 * as a line for people. */
static void reasons(struct strbuf *json, struct strbuf *words,
                    const struct tokens *t, const struct sentiment_result *r)
{
    struct strbuf rule = STRBUF_INIT;
    strbuf_putc(json, '[');
    for (size_t i = 0; i < r->n_reasons; i++) {
        const struct sentiment_reason *x = &r->reasons[i];
        const struct token *first = &t->v[x->token];
        const struct token *last = &t->v[x->token + x->n_tokens - 1];
        size_t n = last->off + last->raw_n - first->off;
        if (i) {
            strbuf_putc(json, ',');
            strbuf_puts(words, ", ");
        }
        strbuf_puts(json, "{\"token\":");
        strbuf_json_string(json, first->raw, n);
        strbuf_puts(json, ",\"term\":");
        strbuf_json_string(json, x->term, strlen(x->term));
        strbuf_printf(json, ",\"base\":%.3g,\"weight\":%.3g,\"rules\":[",
                      x->base, x->weight);
        strbuf_putc(words, '"');
        strbuf_add(words, first->raw, n);
        strbuf_printf(words, "\" %+.2f", x->weight);
        for (int k = 0; k < x->n_rules; k++) {
            strbuf_reset(&rule);
            sentiment_rule_format(&rule, &x->rules[k], t);
            if (k)
                strbuf_putc(json, ',');
            strbuf_json_string(json, rule.p ? rule.p : "", rule.n);
            strbuf_puts(words, k ? "; " : " (");
            strbuf_add(words, rule.p ? rule.p : "", rule.n);
        }
        if (x->n_rules)
            strbuf_putc(words, ')');
        strbuf_puts(json, "]}");
    }
    strbuf_putc(json, ']');
    strbuf_dispose(&rule);
}

void text_report_analyze_add(struct result *r,
                             const struct text_report_comment *c)
{
    struct result_table *t = result_table_find(r, "comments");
    struct strbuf json = STRBUF_INIT, words = STRBUF_INIT;
    const char *label =
        c->scored ? sentiment_label_name((enum sentiment_label)c->label) : NULL;
    result_row(t);
    result_add_int(t, c->line);
    result_add_textn(t, c->text, c->n);
    result_add_text(t, lang_code(c->li->lang));
    result_add_num(t, c->li->confidence);
    result_add_text(t, c->li->code);
    result_add_text(t, c->scored ? lang_code(c->lexicon) : NULL);
    result_add_text(t, c->scored ? label : "not scored");
    result_add_num(t, c->scored ? c->score : NAN);
    result_add_text(t, label);
    if (c->with_model) {
        result_add_num(t, c->scored ? c->lexicon_score : NAN);
        result_add_num(t, c->scored ? c->model_prob : NAN);
    }
    if (c->scored) {
        reasons(&json, &words, c->tokens, c->sentiment);
        result_add_json(t, json.p, json.n);
        result_add_text(t, words.n ? words.p : NULL);
    }
    strbuf_dispose(&json);
    strbuf_dispose(&words);
}

void text_report_analyze_error(struct result *r, long line, const char *msg)
{
    struct result_table *t = result_table_find(r, "errors");
    result_row(t);
    result_add_int(t, line);
    result_add_text(t, msg);
}

/* ---- eval ---- */

static const char *const class_names[TEXT_REPORT_NCLASS] = {"pos", "neg",
                                                            "neu"};

struct result *text_report_eval(const struct text_report_eval *e)
{
    struct result *r = result_new();
    int three = e->gold[TEXT_REPORT_NEU] > 0;
    long right = 0;
    int majority = TEXT_REPORT_POS, n_f1 = 0;
    double f1_sum = 0, n = e->rows > 0 ? (double)e->rows : NAN;

    for (int c = 0; c < TEXT_REPORT_NCLASS; c++) {
        right += e->confusion[c][c];
        if (e->gold[c] > e->gold[majority])
            majority = c;
        if (!e->gold[c])
            continue;
        long tp = e->confusion[c][c], fp = 0, fn = e->gold[c] - tp;
        for (int g = 0; g < TEXT_REPORT_NCLASS; g++)
            if (g != c)
                fp += e->confusion[g][c];
        f1_sum += tp ? 2.0 * (double)tp / (double)(2 * tp + fp + fn) : 0;
        n_f1++;
    }

    struct result_table *t = result_table_new(r, "evaluation", NULL);
    result_table_layout(t, RESULT_PAIRS);
    result_col(t, "file", "file", RESULT_TEXT, 0, 0);
    result_col(t, "rows", "rows", RESULT_INTEGER, 0, 0);
    for (int c = 0; c < TEXT_REPORT_NCLASS; c++)
        result_col(t, class_names[c], class_names[c], RESULT_INTEGER, 0, 0);
    result_col(t, "scorer", "scorer", RESULT_TEXT, 0, 0);
    result_col(t, "accuracy", "accuracy", RESULT_NUMBER, 4, 0);
    result_col(t, "macro_f1", "macro-F1", RESULT_NUMBER, 4, 0);
    result_col(t, "majority_rate", "majority class", RESULT_NUMBER, 4, 0);
    result_col(t, "majority_class", "majority label", RESULT_TEXT, 0, 0);
    result_col(t, "coverage", "coverage", RESULT_NUMBER, 4, 0);
    result_col(t, "zero_scores", "zero scores", RESULT_INTEGER, 0, 0);
    result_col(t, "rejected", "rejected", RESULT_INTEGER, 0, 0);
    result_col(t, "comments_per_s", "speed (comments/s)", RESULT_NUMBER, 0, 0);
    result_row(t);
    result_add_text(t, e->file);
    result_add_int(t, e->rows);
    for (int c = 0; c < TEXT_REPORT_NCLASS; c++)
        result_add_int(t, e->gold[c]);
    result_add_text(t, e->scorer);
    result_add_num(t, (double)right / n);
    result_add_num(t, n_f1 ? f1_sum / n_f1 : NAN);
    result_add_num(t, (double)e->gold[majority] / n);
    result_add_text(t, class_names[majority]);
    result_add_num(t, (double)e->covered / n);
    result_add_int(t, e->zero);
    result_add_int(t, e->rejected);
    result_add_num(t, e->seconds > 0 ? (double)e->rows / e->seconds : NAN);

    t = result_table_new(r, "confusion",
                         "confusion (rows: gold, columns: predicted)");
    result_col(t, "gold", "", RESULT_TEXT, 0, 0);
    result_col(t, "pos", "pos", RESULT_INTEGER, 0, 0);
    result_col(t, "neg", "neg", RESULT_INTEGER, 0, 0);
    result_col(t, three ? "neu" : "zero", three ? "neu" : "zero",
               RESULT_INTEGER, 0, 0);
    for (int g = 0; g < TEXT_REPORT_NCLASS; g++) {
        if (!e->gold[g])
            continue;
        result_row(t);
        result_add_text(t, class_names[g]);
        for (int p = 0; p < TEXT_REPORT_NCLASS; p++)
            result_add_int(t, e->confusion[g][p]);
    }
    if (!three)
        result_note(r, "Two classes: a zero score is neither, so it counts "
                       "as wrong.");
    result_note(r,
                "coverage: texts with a lexicon hit; speed: tokenize, "
                "langid, sentiment%s, one thread.",
                strcmp(e->scorer, "lexicon") ? ", model" : "");
    return r;
}

/* ---- train ---- */

struct result *text_report_train(const struct text_report_train *x)
{
    struct result *r = result_new();
    struct result_table *t = result_table_new(r, "training", NULL);
    struct strbuf folds = STRBUF_INIT, fold_text = STRBUF_INIT;
    long used = x->pos + x->neg;
    result_table_layout(t, RESULT_PAIRS);
    result_col(t, "source", "source", RESULT_TEXT, 0, 0);
    if (x->file)
        result_col(t, "rows", "rows", RESULT_INTEGER, 0, 0);
    if (x->weak) {
        result_col(t, "responses", "responses", RESULT_INTEGER, 0, 0);
        result_col(t, "comments", "comments", RESULT_INTEGER, 0, 0);
        result_col(t, "weakly_labelled", "weakly labelled", RESULT_INTEGER, 0,
                   0);
        result_col(t, "undecided", "without a decisive score", RESULT_INTEGER,
                   0, 0);
        result_col(t, "invalid", "invalid", RESULT_INTEGER, 0, 0);
    }
    result_col(t, "used", "used", RESULT_INTEGER, 0, 0);
    result_col(t, "positive", "positive", RESULT_INTEGER, 0, 0);
    result_col(t, "negative", "negative", RESULT_INTEGER, 0, 0);
    result_col(t, "positive_pct", "positive %", RESULT_NUMBER, 1, 0);
    result_col(t, "neutral_unused", "neutral, unused", RESULT_INTEGER, 0, 0);
    if (x->cv) {
        result_col(t, "cv_folds", "CV folds", RESULT_INTEGER, 0, 0);
        result_col(t, "cv_accuracy", "CV accuracy", RESULT_NUMBER, 4, 0);
        result_col(t, "cv_fold_accuracy", "CV fold accuracy", RESULT_TEXT, 0,
                   RESULT_FOR_PEOPLE);
        result_col(t, "cv_fold_accuracy", "CV fold accuracy", RESULT_JSON, 0,
                   RESULT_FOR_PROGRAMS);
        result_col(t, "cv_log_loss", "CV log-loss", RESULT_NUMBER, 4, 0);
        result_col(t, "cv_seconds", "CV seconds", RESULT_NUMBER, 1, 0);
    } else if (x->cv_skipped) {
        result_col(t, "cv_skipped", "cross-validation skipped", RESULT_TEXT, 0,
                   0);
    }
    result_col(t, "model", "model", RESULT_TEXT, 0, 0);
    result_col(t, "weights", "weights", RESULT_INTEGER, 0, 0);
    result_col(t, "hash_bits", "hash bits", RESULT_INTEGER, 0, 0);
    result_col(t, "train_seconds", "training seconds", RESULT_NUMBER, 2, 0);
    if (x->test_file) {
        result_col(t, "test_file", "test file", RESULT_TEXT, 0, 0);
        result_col(t, "test_rows", "test rows", RESULT_INTEGER, 0, 0);
        result_col(t, "test_accuracy", "test accuracy", RESULT_NUMBER, 4, 0);
    }

    result_row(t);
    result_add_text(t, x->file ? x->file : "stored comments, weak labels");
    if (x->file)
        result_add_int(t, x->rows);
    if (x->weak) {
        result_add_int(t, x->weak->responses);
        result_add_int(t, x->weak->comments);
        result_add_int(t, x->weak->used);
        result_add_int(t, x->weak->unlabelled);
        result_add_int(t, x->weak->invalid);
    }
    result_add_int(t, used);
    result_add_int(t, x->pos);
    result_add_int(t, x->neg);
    result_add_num(t, used ? 100.0 * (double)x->pos / (double)used : NAN);
    result_add_int(t, x->neu);
    if (x->cv) {
        strbuf_putc(&folds, '[');
        for (int f = 0; f < x->cv->k; f++) {
            strbuf_printf(&folds, "%s%.6f", f ? "," : "",
                          x->cv->fold_accuracy[f]);
            strbuf_printf(&fold_text, "%s%.3f", f ? " " : "",
                          x->cv->fold_accuracy[f]);
        }
        strbuf_putc(&folds, ']');
        result_add_int(t, x->cv->k);
        result_add_num(t, x->cv->accuracy);
        result_add_text(t, strbuf_str(&fold_text));
        result_add_json(t, folds.p, folds.n);
        result_add_num(t, x->cv->log_loss);
        result_add_num(t, x->cv_seconds);
    } else if (x->cv_skipped) {
        result_add_text(t, x->cv_skipped);
    }
    result_add_text(t, x->model);
    result_add_int(t, x->weights);
    result_add_int(t, x->hash_bits);
    result_add_num(t, x->train_seconds);
    if (x->test_file) {
        result_add_text(t, x->test_file);
        result_add_int(t, x->test_rows);
        result_add_num(t, x->test_accuracy);
    }
    result_method(r, "Logistic regression on hashed, stemmed words and word "
                     "pairs; accuracy counts p >= 0.5 as positive "
                     "(docs/text-model.md).");
    strbuf_dispose(&folds);
    strbuf_dispose(&fold_text);
    return r;
}
