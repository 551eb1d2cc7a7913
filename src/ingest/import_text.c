/* Text answers on the way in: personal data redacted, then language,
 * sentiment and themes (src/text/analyze.h), on the reading thread. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
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
static const char *side_str(struct imp *m, const char *p, size_t n)
{
    char *s = batch_alloc(m->fill, n + 1);
    if (n)
        memcpy(s, p, n);
    s[n] = 0;
    return s;
}

/* Redacts (and unless no_analysis, analyses) one text; *text is replaced
 * by the redacted copy in side storage. Returns the analysis to store, or
 * NULL in redact-only mode. */
static int analyze_text(struct imp *m, const struct record *rec,
                        const struct answer *a, int side, const char **text,
                        const char *lang, struct comment_analysis **out,
                        struct err *err)
{
    struct err e = ERR_INIT;
    int rc;
    *out = NULL;
    if (m->o->no_analysis || side)
        rc = analyzer_redact(m->analyzer, &m->an, *text, strlen(*text), &e);
    else
        rc = analyzer_run(m->analyzer, &m->an, *text, strlen(*text), lang, &e);
    if (rc < 0) {
        const struct rec_field *f = answer_field(m, rec, a, side);
        if (!f)
            return err_set(err, rc, "%s", e.msg);
        return import_bad(m, f, err, "%s: cannot analyse the text: %s",
                          a->question, e.msg);
    }
    *text = side_str(m, m->an.text.p ? m->an.text.p : "", m->an.text.n);
    m->n->redacted += m->an.n_redactions > 0;
    if (m->o->no_analysis || side)
        return 0;
    struct comment_analysis *ca = batch_alloc(m->fill, sizeof *ca);
    struct theme_mention *tm = NULL;
    if (m->an.n_themes)
        tm = batch_alloc(m->fill, m->an.n_themes * sizeof *tm);
    for (size_t i = 0; i < m->an.n_themes; i++) {
        tm[i].theme = themes_key(m->themes, (size_t)m->an.themes[i].theme);
        tm[i].sentiment = m->an.themes[i].sentiment;
    }
    ca->lang_conf = m->an.lang_conf;
    if (m->an.scored) {
        /* Norwegian and Danish are read with the Swedish lexicon but
         * keep their own code (model.h); an unsure guess is "other" */
        int nordic = m->an.lang == LANG_OTHER &&
                     (!strcmp(m->an.code, "no") || !strcmp(m->an.code, "da"));
        ca->language = nordic ? m->an.code : lang_code(m->an.lang);
        ca->score = m->an.score;
        ca->label = sentiment_label_name((enum sentiment_label)m->an.label);
    } else {
        /* a language the pipeline does not read: kept with its code
         * ("de", "fi"), and no sentiment rather than a neutral one */
        ca->language = m->an.code;
        ca->score = NAN;
        ca->label = NULL;
    }
    ca->redactions = m->an.redactions;
    ca->n_redactions = m->an.n_redactions;
    ca->explanation = m->an.explanation.n ? side_str(m, m->an.explanation.p,
                                                     m->an.explanation.n)
                                          : "{}";
    ca->mentions = tm;
    ca->n_mentions = (int)m->an.n_themes;
    *out = ca;
    return 0;
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
        struct comment_analysis *ca = NULL;
        if (a->kind == ANSWER_CHOICE && a->text) {
            /* a chosen option is a value like an attribute's: redacted,
             * not analysed */
            const char *p = a->text;
            size_t n = strlen(p);
            const struct rec_field *f = answer_field(m, rec, a, 0);
            if ((rc = comments_redact(m, f, &p, &n, err)) < 0)
                return rc;
            if (p != a->text)
                a->text = side_str(m, p, n);
            continue;
        }
        if (a->kind != ANSWER_TEXT && a->kind != ANSWER_STORY)
            continue;
        if (a->text) {
            if ((rc = analyze_text(m, rec, a, 0, &a->text, r->language, &ca,
                                   err)) < 0)
                return rc;
            a->analysis = ca;
            m->n->analysed++;
        }
        if (a->title &&
            (rc = analyze_text(m, rec, a, 1, &a->title, NULL, &ca, err)) < 0)
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
