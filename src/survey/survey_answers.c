/* A respondent's answers, from a posted form or a JSON object, checked
 * against the definition: follow-ups that do not apply are dropped. */
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/xalloc.h"
#include "survey/survey_int.h"

/* The strings an answer set owns. */
struct sa_priv {
    char **strs;
    size_t n, cap;
};

/* What is known about each question while reading: whether it was asked
 * and answered, and its value for the conditions of later questions. */
struct qstate {
    int answered;
    int num; /* numeric questions */
    int opt; /* choice: option index */
};

/* One run of reading answers. */
struct rd {
    const struct survey_def *d;
    struct survey_answers *out;
    struct sa_priv *priv;
    struct qstate *st;
    int li;
    const char **msg_lang;
};

static char *keep(struct rd *r, const char *s, size_t n)
{
    struct sa_priv *p = r->priv;
    p->strs = xgrow(p->strs, &p->cap, p->n + 1, sizeof *p->strs);
    return p->strs[p->n++] = xstrndup(s, n);
}

static int bad(struct rd *r, const struct sv_question *q, enum sv_msg m,
               struct err *err, const char *what)
{
    if (err && !err->code) {
        err_set(err, ERR_INVALID, "%s", what);
        snprintf(err->where, sizeof err->where, "%s", q->key);
    }
    if (r->msg_lang)
        *r->msg_lang = sv_msg(m, r->li);
    return ERR_INVALID;
}

static int holds(const struct rd *r, const struct sv_when *w)
{
    const struct qstate *s;
    if (w->question < 0)
        return 1;
    s = &r->st[w->question];
    if (!s->answered)
        return 0;
    if (w->n_is) {
        const char *k = r->d->q[w->question].options[s->opt].key;
        for (int i = 0; i < w->n_is; i++)
            if (!strcmp(w->is[i], k))
                return 1;
        return 0;
    }
    return (!w->has_min || s->num >= w->min) &&
           (!w->has_max || s->num <= w->max);
}

static struct answer *add(struct rd *r, const struct sv_question *q,
                          enum answer_kind kind)
{
    struct answer *a = &r->out->answers[r->out->n_answers++];
    memset(a, 0, sizeof *a);
    a->question = keep(r, q->key, strlen(q->key));
    a->kind = kind;
    return a;
}

/* A whole number in s (no spaces, no sign but '-'), or -1000 on failure. */
static int whole(const char *s)
{
    char *end;
    long v;
    if (!*s || !((*s >= '0' && *s <= '9') || *s == '-'))
        return -1000;
    errno = 0;
    v = strtol(s, &end, 10);
    if (*end || errno || v < -999 || v > 999)
        return -1000;
    return (int)v;
}

/* A decimal number in s, or NAN. */
static double decimal(const char *s)
{
    char *end;
    double v;
    if (!*s || !((*s >= '0' && *s <= '9') || *s == '-' || *s == '.'))
        return NAN;
    v = strtod(s, &end);
    return *end || !isfinite(v) ? NAN : v;
}

static int empty(const char *s)
{
    if (!s)
        return 1;
    for (; *s; s++)
        if (*s != ' ' && *s != '\t' && *s != '\r' && *s != '\n')
            return 0;
    return 1;
}

/* Records a numeric answer v (already known to be a whole number). */
static int put_number(struct rd *r, int qi, int v, struct err *err)
{
    const struct sv_question *q = &r->d->q[qi];
    char msg[96];
    if (v < sv_scale_min(q) || v > q->scale) {
        snprintf(msg, sizeof msg, "must be a whole number %d..%d",
                 sv_scale_min(q), q->scale);
        return bad(r, q, SV_MSG_RANGE, err, msg);
    }
    r->st[qi].answered = 1;
    r->st[qi].num = v;
    switch (q->type) {
    case SV_NPS:
        r->out->nps = v;
        break;
    case SV_CSAT:
        r->out->csat = v;
        break;
    case SV_CES:
        r->out->ces = v;
        break;
    default: {
        struct answer *a = add(r, q, ANSWER_RATING);
        a->v1 = v;
        a->v2 = q->scale;
    }
    }
    return 0;
}

static int put_gap(struct rd *r, int qi, int e, int p, struct err *err)
{
    const struct sv_question *q = &r->d->q[qi];
    char msg[96];
    struct answer *a;
    if (e < 1 || e > q->scale || p < 1 || p > q->scale) {
        snprintf(msg, sizeof msg,
                 "expect and perceive must be whole numbers 1..%d", q->scale);
        return bad(r, q, SV_MSG_RANGE, err, msg);
    }
    r->st[qi].answered = 1;
    a = add(r, q, ANSWER_GAP);
    a->v1 = e;
    a->v2 = p;
    return 0;
}

static int put_choice(struct rd *r, int qi, const char *key, struct err *err)
{
    const struct sv_question *q = &r->d->q[qi];
    for (int i = 0; i < q->n_options; i++)
        if (!strcmp(q->options[i].key, key)) {
            struct answer *a = add(r, q, ANSWER_CHOICE);
            a->text = keep(r, key, strlen(key));
            r->st[qi].answered = 1;
            r->st[qi].opt = i;
            return 0;
        }
    return bad(r, q, SV_MSG_OPTION, err, "not one of the options");
}

/* A text or story; title may be NULL. */
static int put_text(struct rd *r, int qi, const char *text, size_t n,
                    const char *title, size_t tn, struct err *err)
{
    const struct sv_question *q = &r->d->q[qi];
    struct answer *a;
    if (n > SV_MAX_ANSWER || tn > SV_MAX_ANSWER)
        return bad(r, q, SV_MSG_TOO_LONG, err, "too long");
    if (memchr(text, 0, n) || (title && memchr(title, 0, tn)))
        return bad(r, q, SV_MSG_RANGE, err, "must not hold a NUL character");
    a = add(r, q, q->type == SV_STORY ? ANSWER_STORY : ANSWER_TEXT);
    a->text = keep(r, text, n);
    if (title && tn)
        a->title = keep(r, title, tn);
    r->st[qi].answered = 1;
    return 0;
}

static int put_triad(struct rd *r, int qi, const double w[3], double hi,
                     struct err *err)
{
    const struct sv_question *q = &r->d->q[qi];
    double sum = 0, top = 0, x[3];
    struct answer *a;
    char msg[96];
    for (int i = 0; i < 3; i++) {
        if (!(w[i] >= 0 && w[i] <= hi && isfinite(w[i]))) {
            if (isfinite(hi))
                snprintf(msg, sizeof msg, "weights must be numbers 0..%g", hi);
            else
                snprintf(msg, sizeof msg, "weights must be numbers >= 0");
            return bad(r, q, SV_MSG_TRIAD, err, msg);
        }
        top = w[i] > top ? w[i] : top;
    }
    if (!(top > 0))
        return bad(r, q, SV_MSG_TRIAD, err, "the weights must not all be 0");
    /* scaled by the largest first, so huge weights cannot overflow */
    for (int i = 0; i < 3; i++)
        sum += x[i] = w[i] / top;
    a = add(r, q, ANSWER_TRIAD);
    a->v1 = x[0] / sum;
    a->v2 = x[1] / sum;
    a->v3 = x[2] / sum;
    r->st[qi].answered = 1;
    return 0;
}

static int put_dyad(struct rd *r, int qi, double v, double hi, struct err *err)
{
    const struct sv_question *q = &r->d->q[qi];
    char msg[64];
    if (!(v >= 0 && v <= hi)) {
        snprintf(msg, sizeof msg, "must be a number 0..%g", hi);
        return bad(r, q, SV_MSG_RANGE, err, msg);
    }
    add(r, q, ANSWER_DYAD)->v1 = v / hi;
    r->st[qi].answered = 1;
    return 0;
}

static int start(struct rd *r, struct survey_answers *out,
                 const struct survey_def *d, const char *lang,
                 const char **msg_lang)
{
    struct survey_answers init = SURVEY_ANSWERS_INIT;
    *out = init;
    r->d = d;
    r->out = out;
    r->li = sv_lang_index(lang) >= 0 ? sv_lang_index(lang)
                                     : (d && d->n_langs ? d->langs[0] : 1);
    r->msg_lang = msg_lang;
    if (msg_lang)
        *msg_lang = NULL;
    if (!d)
        return ERR_INTERNAL;
    r->priv = xcalloc(1, sizeof *r->priv);
    r->st = xcalloc((size_t)d->n_q + 1, sizeof *r->st);
    out->priv = r->priv;
    out->answers = xcalloc((size_t)d->n_q + 1, sizeof *out->answers);
    return 0;
}

static int finish(struct rd *r, int rc)
{
    free(r->st);
    if (rc < 0)
        survey_answers_dispose(r->out);
    return rc;
}

/* After reading question qi: an unanswered required question is an
 * error; one whose `when` did not hold is skipped before this. */
static int check_required(struct rd *r, int qi, struct err *err)
{
    const struct sv_question *q = &r->d->q[qi];
    if (q->required && !r->st[qi].answered)
        return bad(r, q, SV_MSG_REQUIRED, err, "required but not answered");
    return 0;
}

static const char *field(const struct form *f, const char *key,
                         const char *suffix)
{
    char name[80];
    snprintf(name, sizeof name, "%s%s", key, suffix);
    return form_get(f, name);
}

static int form_question(struct rd *r, int qi, const struct form *f,
                         struct err *err)
{
    const struct sv_question *q = &r->d->q[qi];
    const char *v = field(f, q->key, "");
    switch (q->type) {
    case SV_NPS:
    case SV_CSAT:
    case SV_CES:
    case SV_RATING:
        if (empty(v))
            return 0;
        return put_number(r, qi, whole(v), err);
    case SV_GAP: {
        const char *e = field(f, q->key, ".expect");
        const char *p = field(f, q->key, ".perceive");
        if (empty(e) && empty(p))
            return 0;
        if (empty(e) || empty(p))
            return bad(r, q, SV_MSG_BOTH, err, "give both expect and perceive");
        return put_gap(r, qi, whole(e), whole(p), err);
    }
    case SV_CHOICE:
        return empty(v) ? 0 : put_choice(r, qi, v, err);
    case SV_TEXT:
        return empty(v) ? 0 : put_text(r, qi, v, strlen(v), NULL, 0, err);
    case SV_STORY: {
        const char *t = field(f, q->key, ".title");
        if (empty(v) && empty(t))
            return 0;
        if (empty(v))
            return bad(r, q, SV_MSG_STORY, err, "a title without a story");
        return put_text(r, qi, v, strlen(v), empty(t) ? NULL : t,
                        empty(t) ? 0 : strlen(t), err);
    }
    case SV_TRIAD: {
        const char *s[3] = {field(f, q->key, ".1"), field(f, q->key, ".2"),
                            field(f, q->key, ".3")};
        double w[3];
        if (empty(s[0]) && empty(s[1]) && empty(s[2]))
            return 0;
        for (int i = 0; i < 3; i++)
            w[i] = empty(s[i]) ? NAN : decimal(s[i]);
        return put_triad(r, qi, w, 100, err);
    }
    case SV_DYAD:
        return empty(v) ? 0 : put_dyad(r, qi, decimal(v), 100, err);
    case SV_CONSENT:
        if (empty(v) || !strcmp(v, "no"))
            return 0;
        if (strcmp(v, "yes") != 0 && strcmp(v, "on") != 0 &&
            strcmp(v, "true") != 0 && strcmp(v, "1") != 0)
            return bad(r, q, SV_MSG_OPTION, err, "must be yes or no");
        r->out->consent = 1;
        r->st[qi].answered = 1;
        return 0;
    }
    return ERR_INTERNAL;
}

int survey_answers_from_form(struct survey_answers *out,
                             const struct survey_def *d, const struct form *f,
                             const char *lang, const char **msg_lang,
                             struct err *err)
{
    static const struct form none = FORM_INIT;
    struct rd r;
    int rc = start(&r, out, d, lang, msg_lang);
    if (rc < 0)
        return err_set(err, rc, "no survey definition");
    if (!f)
        f = &none;
    for (int i = 0; i < d->n_q && rc == 0; i++) {
        if (!holds(&r, &d->q[i].when))
            continue;
        if ((rc = form_question(&r, i, f, err)) == 0)
            rc = check_required(&r, i, err);
    }
    return finish(&r, rc);
}

/* A JSON number that is a whole number, or -1000. */
static int json_whole(json_t *v)
{
    double x;
    if (json_is_integer(v))
        return json_integer_value(v) < -999 || json_integer_value(v) > 999
                   ? -1000
                   : (int)json_integer_value(v);
    if (!json_is_real(v))
        return -1000;
    x = json_real_value(v);
    return x == floor(x) && x >= -999 && x <= 999 ? (int)x : -1000;
}

static double json_num(json_t *v)
{
    return json_is_number(v) ? json_number_value(v) : NAN;
}

static int json_question(struct rd *r, int qi, json_t *v, struct err *err)
{
    const struct sv_question *q = &r->d->q[qi];
    if (!v || json_is_null(v))
        return 0;
    switch (q->type) {
    case SV_NPS:
    case SV_CSAT:
    case SV_CES:
    case SV_RATING:
        return put_number(r, qi, json_whole(v), err);
    case SV_GAP: {
        json_t *e = json_object_get(v, "expect");
        json_t *p = json_object_get(v, "perceive");
        if (!json_is_object(v) || json_object_size(v) != 2 || !e || !p)
            return bad(r, q, SV_MSG_BOTH, err,
                       "must be an object {\"expect\": n, \"perceive\": n}");
        return put_gap(r, qi, json_whole(e), json_whole(p), err);
    }
    case SV_CHOICE:
        if (!json_is_string(v))
            return bad(r, q, SV_MSG_OPTION, err, "must be an option key");
        return put_choice(r, qi, json_string_value(v), err);
    case SV_TEXT:
        if (!json_is_string(v))
            return bad(r, q, SV_MSG_RANGE, err, "must be a string");
        if (empty(json_string_value(v)))
            return 0;
        return put_text(r, qi, json_string_value(v), json_string_length(v),
                        NULL, 0, err);
    case SV_STORY: {
        json_t *t = v, *title = NULL;
        if (json_is_object(v)) {
            const char *k;
            json_t *m;
            t = json_object_get(v, "text");
            title = json_object_get(v, "title");
            json_object_foreach(v, k, m)
            {
                if (strcmp(k, "text") != 0 && strcmp(k, "title") != 0)
                    return bad(r, q, SV_MSG_STORY, err,
                               "a story has only \"title\" and \"text\"");
            }
            if (title && !json_is_null(title) && !json_is_string(title))
                return bad(r, q, SV_MSG_STORY, err, "title must be a string");
            if (title && !json_is_string(title))
                title = NULL;
        }
        if (!t || json_is_null(t) ||
            (json_is_string(t) && empty(json_string_value(t)))) {
            if (title && !empty(json_string_value(title)))
                return bad(r, q, SV_MSG_STORY, err, "a title without a story");
            return 0;
        }
        if (!json_is_string(t))
            return bad(r, q, SV_MSG_STORY, err,
                       "must be a string or {\"title\", \"text\"}");
        return put_text(r, qi, json_string_value(t), json_string_length(t),
                        title ? json_string_value(title) : NULL,
                        title ? json_string_length(title) : 0, err);
    }
    case SV_TRIAD: {
        double w[3];
        if (!json_is_array(v) || json_array_size(v) != 3)
            return bad(r, q, SV_MSG_TRIAD, err,
                       "must be an array of three weights");
        for (int i = 0; i < 3; i++)
            w[i] = json_num(json_array_get(v, i));
        return put_triad(r, qi, w, INFINITY, err);
    }
    case SV_DYAD:
        return put_dyad(r, qi, json_num(v), 1, err);
    case SV_CONSENT:
        if (!json_is_boolean(v))
            return bad(r, q, SV_MSG_OPTION, err, "must be true or false");
        if (json_is_true(v)) {
            r->out->consent = 1;
            r->st[qi].answered = 1;
        }
        return 0;
    }
    return ERR_INTERNAL;
}

int survey_answers_from_object(struct survey_answers *out,
                               const struct survey_def *d,
                               const struct json_t *obj, struct err *err)
{
    struct rd r;
    json_t *root = (json_t *)obj, *v; /* only read */
    const char *key;
    int rc = start(&r, out, d, NULL, NULL);
    if (rc < 0)
        return err_set(err, rc, "no survey definition");
    if (!json_is_object(root)) {
        rc = err_set(err, ERR_INVALID, "answers must be a JSON object");
        goto done;
    }
    json_object_foreach(root, key, v)
    {
        int found = 0;
        for (int i = 0; i < d->n_q && !found; i++)
            found = !strcmp(d->q[i].key, key);
        if (!found) {
            if (err && !err->code) {
                err_set(err, ERR_INVALID, "no question has this key");
                snprintf(err->where, sizeof err->where, "%s", key);
            }
            rc = ERR_INVALID;
            goto done;
        }
    }
    for (int i = 0; i < d->n_q && rc == 0; i++) {
        if (!holds(&r, &d->q[i].when))
            continue;
        v = json_object_get(root, d->q[i].key);
        if ((rc = json_question(&r, i, v, err)) == 0)
            rc = check_required(&r, i, err);
    }
done:
    return finish(&r, rc);
}

int survey_answers_from_json(struct survey_answers *out,
                             const struct survey_def *d, const char *json,
                             size_t len, struct err *err)
{
    json_error_t je;
    if (!d) /* the same error as without JSON */
        return survey_answers_from_object(out, d, NULL, err);
    json_t *root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &je);
    if (!root) {
        struct survey_answers init = SURVEY_ANSWERS_INIT;
        *out = init;
        return err_set(err, ERR_INVALID,
                       "invalid JSON at line %d, column %d: %s", je.line,
                       je.column, je.text);
    }
    int rc = survey_answers_from_object(out, d, root, err);
    json_decref(root);
    return rc;
}

void survey_answers_dispose(struct survey_answers *a)
{
    struct survey_answers init = SURVEY_ANSWERS_INIT;
    struct sa_priv *p;
    if (!a)
        return;
    p = a->priv;
    if (p) {
        for (size_t i = 0; i < p->n; i++)
            free(p->strs[i]);
        free(p->strs);
        free(p);
    }
    free(a->answers);
    *a = init;
}
