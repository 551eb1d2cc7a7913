/* Text answers on the way in: personal data redacted, then language,
 * sentiment and themes (src/text/analyze.h). The reading thread turns
 * each text into a job of its batch; the batch's jobs run on an analysis
 * thread (or the reading thread) before the batch is written. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/utf8.h"
#include "core/xalloc.h"
#include "ingest/comment.h"
#include "ingest/import_int.h"
#include "store/store.h"
#include "text/analyze.h"
#include "text/langid.h"
#include "text/sentiment.h"
#include "text/themes.h"

/* The record field an answer's text came from, for error locations. */
static const struct rec_field *answer_field(struct imp *m,
                                            const struct record *rec,
                                            const struct answer *a, int side)
{
    for (size_t k = 0; k < m->naspecs; k++) {
        int ci = m->aspecs[k].col[side];
        if (m->aspecs[k].key == a->question && ci >= 0 && (size_t)ci < rec->n)
            return &rec->f[ci];
    }
    return rec->n ? &rec->f[0] : NULL;
}

/* A NUL-terminated copy of p[0..n) in the batch's side storage. */
static const char *side_str(struct batch *b, const char *p, size_t n)
{
    char *s = batch_alloc(b, n + 1);
    if (n)
        memcpy(s, p, n);
    s[n] = 0;
    return s;
}

/* Texts up to this size, in valid UTF-8, cannot fail analysis (pii.h and
 * tokenize.h refuse 1 MiB, and redaction at most doubles a text), so
 * they can wait for the analysis threads. */
#define DEFER_MAX ((size_t)256 << 10)

static void *batch_alloc_cb(void *ctx, size_t n)
{
    return batch_alloc(ctx, n);
}

/* Keeps what res says about a text in batch b (comment_keep). */
static struct comment_analysis *keep_result(struct batch *b,
                                            const struct textcfg *cfg,
                                            const struct analysis *res,
                                            int side, const char **text)
{
    return comment_keep(res, cfg->themes, !cfg->no_analysis && !side,
                        batch_alloc_cb, b, text);
}

/* Redacts, and for side 0 unless no_analysis analyses, text into res. */
static int run_text(struct analyzer *a, const struct textcfg *cfg,
                    struct analysis *res, const char *text, int side,
                    const char *lang, struct err *err)
{
    if (cfg->no_analysis || side)
        return analyzer_redact(a, res, text, strlen(text), err);
    return analyzer_run(a, res, text, strlen(text), lang, err);
}

/* The settings this (the reading) thread analyses with. */
static struct textcfg reading_cfg(const struct imp *m)
{
    struct textcfg c = {m->langid, m->sentiment, m->themes, m->o->no_analysis,
                        m->path};
    return c;
}

/* One text of answer a: a job for later, or (when analysis could reject
 * it) redacted and analysed now, rejecting the row if it fails. */
static int text_answer(struct imp *m, const struct record *rec,
                       struct answer *a, int side, const char *lang,
                       struct err *err)
{
    const char *text = side ? a->title : a->text;
    size_t n = strlen(text);
    struct batch *b = m->fill;
    if (!side)
        m->row_analysed++;
    if (n <= DEFER_MAX && utf8_valid_prefix(text, n) == n) {
        const struct rec_field *f = answer_field(m, rec, a, side);
        b->jobs = xgrow(b->jobs, &b->jobs_cap, b->njobs + 1, sizeof *b->jobs);
        struct textjob *j = &b->jobs[b->njobs++];
        j->a = a;
        j->lang = lang;
        j->side = side;
        j->line = f ? f->line : rec->line;
        j->col = f ? f->col : 0;
        return 0;
    }
    struct textcfg cfg = reading_cfg(m);
    struct err e = ERR_INIT;
    if (run_text(m->analyzer, &cfg, &m->an, text, side, lang, &e) < 0) {
        const struct rec_field *f = answer_field(m, rec, a, side);
        if (!f)
            return err_set(err, e.code, "%s", e.msg);
        return import_bad(m, f, err, "%s: cannot analyse the text: %s",
                          a->question, e.msg);
    }
    struct comment_analysis *ca = keep_result(b, &cfg, &m->an, side, &text);
    /* counted with the row, once it is kept (import.c) */
    m->row_redacted += m->an.n_redactions > 0;
    if (side) {
        a->title = text;
    } else {
        a->text = text;
        a->analysis = ca;
    }
    return 0;
}

void batch_analyze(struct batch *b, const struct textcfg *cfg,
                   struct analyzer *an, struct analysis *res)
{
    for (size_t i = 0; i < b->njobs && !b->failed; i++) {
        struct textjob *j = &b->jobs[i];
        struct answer *a = j->a;
        const char *text = j->side ? a->title : a->text;
        struct err e = ERR_INIT;
        if (run_text(an, cfg, res, text, j->side, j->lang, &e) < 0) {
            /* comments_analyze checked for what could fail: a bug, but
             * reported like a bad row, at the text it came from */
            b->failed = 1;
            err_at(&b->err, ERR_INVALID, cfg->path, j->line, j->col,
                   "%s: cannot analyse the text: %s", a->question, e.msg);
            return;
        }
        struct comment_analysis *ca = keep_result(b, cfg, res, j->side, &text);
        b->redacted += res->n_redactions > 0;
        if (j->side) {
            a->title = text;
        } else {
            a->text = text;
            a->analysis = ca;
        }
    }
}

int comments_redact(struct imp *m, const struct rec_field *f, const char **p,
                    size_t *n, struct err *err)
{
    struct err e = ERR_INIT;
    if (!m->analyzer)
        return 0;
    if (analyzer_redact(m->analyzer, &m->an, *p, *n, &e) < 0)
        return import_bad(m, f, err, "%s", e.msg);
    if (m->an.n_redactions > 0) {
        *p = m->an.text.p ? m->an.text.p : "";
        *n = m->an.text.n;
        m->n->redacted_values++;
    }
    return 0;
}

int comments_analyze(struct imp *m, const struct record *rec,
                     struct response *r, struct err *err)
{
    int rc;
    if (!m->analyzer)
        return 0;
    for (int i = 0; i < r->n_answers; i++) {
        struct answer *a = &m->answers[i];
        if (a->kind == ANSWER_CHOICE && a->text) {
            /* a chosen option is a value like an attribute's: redacted
             * at once, not analysed */
            const char *p = a->text;
            size_t n = strlen(p);
            const struct rec_field *f = answer_field(m, rec, a, 0);
            if ((rc = comments_redact(m, f, &p, &n, err)) < 0)
                return rc;
            if (p != a->text)
                a->text = side_str(m->fill, p, n);
            continue;
        }
        if (a->kind != ANSWER_TEXT && a->kind != ANSWER_STORY)
            continue;
        if (a->text && (rc = text_answer(m, rec, a, 0, r->language, err)) < 0)
            return rc;
        if (a->title && (rc = text_answer(m, rec, a, 1, NULL, err)) < 0)
            return rc;
    }
    return 0;
}

int comments_start(struct imp *m, struct err *err)
{
    int rc;
    m->themes = m->o->themes;
    if (!m->o->no_analysis && !m->themes) {
        char *name = NULL, *src = NULL;
        size_t n = 0;
        int replaces = 0;
        struct err e = ERR_INIT;
        rc = store_get_taxonomy(m->s, &name, &src, &n, &replaces, &e);
        if (rc == 0)
            rc = themes_build(&m->themes_owned, src, n, name, replaces, err);
        else if (rc == ERR_NOTFOUND)
            rc = themes_build(&m->themes_owned, NULL, 0, NULL, 0, err);
        else
            *err = e;
        free(name);
        free(src);
        if (rc < 0)
            return rc;
        m->themes = m->themes_owned;
    }
    if (!m->o->no_analysis && ((rc = langid_new(&m->langid, err)) < 0 ||
                               (rc = sentiment_new(&m->sentiment, err)) < 0))
        return rc;
    return analyzer_new(&m->analyzer, m->langid, m->sentiment, m->themes, err);
}
