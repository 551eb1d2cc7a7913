#pragma once
/* The results of `text analyze`, `text eval` and `text train`. Nothing
 * is printed here.
 *
 * analyze streams: the caller makes one result (text_report_analyze_new)
 * and, for each comment, clears it, adds the comment (or its error) and
 * renders it, so a file of a million lines is never held in memory. Its
 * tables: "comments" (one row per analysed comment) and "errors" (line
 * and message of a line that could not be analysed; tables and JSON
 * only: CSV stays one table, errors go to stderr). */

#include <stddef.h>

#include "text/stem.h"

struct langid_result;
struct result;
struct sentiment_result;
struct textmodel_cv;
struct textmodel_weak_stats;
struct tokens;

/* ---- analyze ---- */

/* One comment as `text analyze` read it. */
struct text_report_comment {
    long line;
    const char *text; /* n bytes */
    size_t n;
    const struct langid_result *li;
    enum lang lexicon; /* the lexicon it was scored with */
    int scored;        /* 0: in a language the pipeline does not read:
                        * label and score null, "not scored" for people */
    double score;      /* -1..1: lexicon, or combined with the model */
    int label;         /* enum sentiment_label */
    int with_model;    /* 1: lexicon_score and model_prob hold; must be
                        * what the result was made with */
    double lexicon_score, model_prob;
    const struct tokens *tokens;              /* of text */
    const struct sentiment_result *sentiment; /* its reasons explain it */
};

/* with_model adds the lexicon_score and model_prob columns. Caller frees
 * with result_free. */
struct result *text_report_analyze_new(int with_model);
void text_report_analyze_add(struct result *r,
                             const struct text_report_comment *c);
void text_report_analyze_error(struct result *r, long line, const char *msg);

/* ---- eval ---- */

enum { TEXT_REPORT_POS, TEXT_REPORT_NEG, TEXT_REPORT_NEU, TEXT_REPORT_NCLASS };

struct text_report_eval {
    const char *file;
    const char *scorer; /* "lexicon" or "lexicon + model" */
    long rows;
    long gold[TEXT_REPORT_NCLASS]; /* rows per gold class */
    long confusion[TEXT_REPORT_NCLASS][TEXT_REPORT_NCLASS]; /* [gold][pred] */
    long covered;  /* texts with a lexicon hit */
    long zero;     /* zero scores */
    long rejected; /* invalid UTF-8 or too long */
    double seconds;
};

/* Pairs table "evaluation" (accuracy, macro-F1, majority-class rate,
 * coverage, speed, ...) and table "confusion" (rows: gold, columns:
 * predicted; with only pos and neg gold rows the third column is "zero",
 * the texts scored 0, which count as wrong). */
struct result *text_report_eval(const struct text_report_eval *e);

/* ---- train ---- */

struct text_report_train {
    const char *file; /* labelled file, or NULL for weak labels */
    long rows;        /* rows read from file */
    const struct textmodel_weak_stats *weak; /* weak labels, or NULL */
    long pos, neg, neu;
    const struct textmodel_cv *cv; /* NULL: not run */
    double cv_seconds;
    const char *cv_skipped; /* why cross-validation was skipped, or NULL */
    const char *model;      /* the file written */
    long weights;
    unsigned hash_bits;
    double train_seconds;
    const char *test_file; /* NULL: no test file */
    double test_accuracy;
    long test_rows;
};

/* Pairs table "training": where the rows came from, how many were used,
 * the cross-validation, the model written and the test file's accuracy;
 * only the parts that happened. */
struct result *text_report_train(const struct text_report_train *t);
