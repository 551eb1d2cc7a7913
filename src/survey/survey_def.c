/* Survey definitions: parsing and validation (docs/surveys.md). */
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/strbuf.h"
#include "core/xalloc.h"
#include "survey/survey_int.h"

static const char *const type_names[] = {"nps",   "csat",   "ces",    "rating",
                                         "gap",   "choice", "text",   "story",
                                         "triad", "dyad",   "consent"};

const char *sv_type_name(enum sv_type t)
{
    return (unsigned)t < sizeof type_names / sizeof *type_names ? type_names[t]
                                                                : "?";
}

int sv_lang_index(const char *code)
{
    if (code && !strcmp(code, "sv"))
        return 0;
    if (code && !strcmp(code, "en"))
        return 1;
    return -1;
}

const char *sv_lang_code(int i)
{
    return i == 1 ? "en" : "sv";
}

int sv_scale_min(const struct sv_question *q)
{
    return q->type == SV_NPS ? 0 : 1;
}

const char *sv_text_get(const struct survey_def *d, const struct sv_text *t,
                        int li)
{
    if (li >= 0 && li < SV_NLANG && t->t[li])
        return t->t[li];
    if (d->n_langs && t->t[d->langs[0]])
        return t->t[d->langs[0]];
    for (int i = 0; i < SV_NLANG; i++)
        if (t->t[i])
            return t->t[i];
    return "";
}

/* Parse state: the JSON path being read, and the definition so far. */
struct ctx {
    struct strbuf path;
    struct survey_def *d;
};

static int fail(struct ctx *c, struct err *err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(struct ctx *c, struct err *err, const char *fmt, ...)
{
    char msg[256] = "";
    va_list ap;
    va_start(ap, fmt);
    if (err && !err->code)
        vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (!err || err->code)
        return ERR_INVALID;
    err_set(err, ERR_INVALID, "%s", msg);
    snprintf(err->where, sizeof err->where, "%s",
             c->path.n ? strbuf_str(&c->path) : "(top level)");
    return ERR_INVALID;
}

static size_t push(struct ctx *c, const char *name)
{
    size_t old = c->path.n;
    if (old)
        strbuf_putc(&c->path, '.');
    strbuf_puts(&c->path, name);
    return old;
}

static size_t push_index(struct ctx *c, size_t i)
{
    size_t old = c->path.n;
    strbuf_printf(&c->path, "[%zu]", i);
    return old;
}

static void pop(struct ctx *c, size_t old)
{
    c->path.n = old;
    if (c->path.p)
        c->path.p[old] = 0;
}

static int only_keys(struct ctx *c, json_t *obj, const char *const *allowed,
                     struct err *err)
{
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v)
    {
        const char *const *a = allowed;
        while (*a && strcmp(key, *a) != 0)
            a++;
        if (!*a) {
            size_t old = push(c, key);
            int rc = fail(c, err, "unknown field");
            pop(c, old);
            return rc;
        }
    }
    return 0;
}

/* [a-z0-9_] (and '-' when dash) of 1..64 bytes. */
static int valid_key(const char *s, int dash)
{
    size_t n = strlen(s);
    if (!n || n > 64)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') ||
              s[i] == '_' || (dash && s[i] == '-')))
            return 0;
    return 1;
}

static int get_key(struct ctx *c, json_t *obj, const char *name, int dash,
                   char **out, struct err *err)
{
    json_t *v = json_object_get(obj, name);
    size_t old = push(c, name);
    int rc = 0;
    if (!v)
        rc = fail(c, err, "missing");
    else if (!json_is_string(v) || !valid_key(json_string_value(v), dash))
        rc = fail(c, err,
                  dash ? "must be 1..64 characters a-z, 0-9, _ or -"
                       : "must be 1..64 characters a-z, 0-9 or _");
    else
        *out = xstrdup(json_string_value(v));
    pop(c, old);
    return rc;
}

/* A text object {"sv": .., "en": ..} at the current path; it must hold
 * every language of the survey. */
static int text_value(struct ctx *c, json_t *v, struct sv_text *out,
                      struct err *err)
{
    const char *lang;
    json_t *s;
    int rc = 0;
    if (!json_is_object(v))
        return fail(c, err,
                    "must be an object of texts by language, "
                    "{\"sv\": \"..\", \"en\": \"..\"}");
    json_object_foreach(v, lang, s)
    {
        int li = sv_lang_index(lang);
        size_t o2 = push(c, lang);
        if (li < 0)
            rc = fail(c, err, "unsupported language (only sv and en)");
        else if (!json_is_string(s))
            rc = fail(c, err, "must be a string");
        else if (json_string_length(s) == 0)
            rc = fail(c, err, "must not be empty");
        else if (json_string_length(s) > SV_MAX_TEXT)
            rc = fail(c, err, "too long (at most %d bytes)", SV_MAX_TEXT);
        else
            out->t[li] = xstrdup(json_string_value(s));
        pop(c, o2);
        if (rc < 0)
            return rc;
    }
    for (int i = 0; i < c->d->n_langs; i++) {
        int li = c->d->langs[i];
        if (!out->t[li]) {
            size_t o2 = push(c, sv_lang_code(li));
            rc = fail(c, err,
                      "missing: every text needs each of the "
                      "survey's languages");
            pop(c, o2);
            return rc;
        }
    }
    return 0;
}

/* The text member name of obj: required or optional. */
static int get_text(struct ctx *c, json_t *obj, const char *name, int required,
                    struct sv_text *out, struct err *err)
{
    json_t *v = json_object_get(obj, name);
    size_t old = push(c, name);
    int rc = 0;
    if (v)
        rc = text_value(c, v, out, err);
    else if (required)
        rc = fail(c, err, "missing");
    pop(c, old);
    return rc;
}

static int get_bool(struct ctx *c, json_t *obj, const char *name, int *out,
                    struct err *err)
{
    json_t *v = json_object_get(obj, name);
    size_t old = push(c, name);
    int rc = 0;
    *out = 0;
    if (v && !json_is_boolean(v))
        rc = fail(c, err, "must be true or false");
    else if (v)
        *out = json_is_true(v);
    pop(c, old);
    return rc;
}

static int get_int(struct ctx *c, json_t *v, int lo, int hi, int *out,
                   struct err *err)
{
    if (!json_is_integer(v) || json_integer_value(v) < lo ||
        json_integer_value(v) > hi)
        return fail(c, err, "must be a whole number %d..%d", lo, hi);
    *out = (int)json_integer_value(v);
    return 0;
}

static int find_question(const struct survey_def *d, int before,
                         const char *key)
{
    for (int i = 0; i < before; i++)
        if (!strcmp(d->q[i].key, key))
            return i;
    return -1;
}

/* "when": {"question": KEY, "min": n, "max": n} or {"question": KEY,
 * "is": [option keys]}, about a question before index `self`. */
static int parse_when(struct ctx *c, json_t *v, int self, struct sv_when *w,
                      struct err *err)
{
    static const char *const allowed[] = {"question", "min", "max", "is", NULL};
    json_t *qv, *mn, *mx, *is;
    const struct sv_question *ref;
    size_t old;
    int rc;
    w->question = -1;
    if (!json_is_object(v))
        return fail(c, err, "must be an object {\"question\": .., ...}");
    if ((rc = only_keys(c, v, allowed, err)) < 0)
        return rc;
    qv = json_object_get(v, "question");
    old = push(c, "question");
    if (!qv || !json_is_string(qv))
        rc = fail(c, err, "must name an earlier question");
    else if ((w->question = find_question(c->d, self, json_string_value(qv))) <
             0)
        rc = fail(c, err, "\"%.64s\" is not an earlier question",
                  json_string_value(qv));
    pop(c, old);
    if (rc < 0)
        return rc;
    ref = &c->d->q[w->question];
    mn = json_object_get(v, "min");
    mx = json_object_get(v, "max");
    is = json_object_get(v, "is");
    switch (ref->type) {
    case SV_NPS:
    case SV_CSAT:
    case SV_CES:
    case SV_RATING:
        if (is) {
            old = push(c, "is");
            rc = fail(c, err,
                      "\"is\" is for choice questions; use min "
                      "and max for a %s",
                      sv_type_name(ref->type));
            pop(c, old);
            return rc;
        }
        if (!mn && !mx)
            return fail(c, err, "needs \"min\", \"max\" or both");
        if (mn) {
            old = push(c, "min");
            rc = get_int(c, mn, sv_scale_min(ref), ref->scale, &w->min, err);
            w->has_min = 1;
            pop(c, old);
        }
        if (rc == 0 && mx) {
            old = push(c, "max");
            rc = get_int(c, mx, sv_scale_min(ref), ref->scale, &w->max, err);
            w->has_max = 1;
            if (rc == 0 && w->has_min && w->max < w->min)
                rc = fail(c, err, "must not be less than min");
            pop(c, old);
        }
        return rc;
    case SV_CHOICE:
        old = push(c, mn || mx ? (mn ? "min" : "max") : "is");
        if (mn || mx)
            rc = fail(c, err,
                      "min and max are for numeric questions; use "
                      "\"is\" for a choice");
        else if (!is || !json_is_array(is) || json_array_size(is) == 0)
            rc = fail(c, err, "must be a non-empty array of option keys");
        pop(c, old);
        if (rc < 0)
            return rc;
        old = push(c, "is");
        w->is = xcalloc(json_array_size(is), sizeof *w->is);
        for (size_t i = 0; i < json_array_size(is) && rc == 0; i++) {
            json_t *k = json_array_get(is, i);
            size_t o2 = push_index(c, i);
            int found = 0;
            for (int j = 0; json_is_string(k) && j < ref->n_options; j++)
                found |= !strcmp(ref->options[j].key, json_string_value(k));
            if (!found)
                rc = fail(c, err, "not an option of \"%s\"", ref->key);
            else
                w->is[w->n_is++] = xstrdup(json_string_value(k));
            pop(c, o2);
        }
        pop(c, old);
        return rc;
    default:
        old = push(c, "question");
        rc = fail(c, err,
                  "a condition can test a nps, csat, ces, rating or "
                  "choice question, not a %s",
                  sv_type_name(ref->type));
        pop(c, old);
        return rc;
    }
}

static int parse_options(struct ctx *c, json_t *o, struct sv_question *q,
                         struct err *err)
{
    static const char *const allowed[] = {"key", "label", NULL};
    json_t *arr = json_object_get(o, "options");
    size_t old = push(c, "options");
    int rc = 0;
    if (!arr || !json_is_array(arr) || json_array_size(arr) < 2 ||
        json_array_size(arr) > SV_MAX_OPTIONS) {
        rc = fail(c, err, "must be an array of 2..%d options", SV_MAX_OPTIONS);
        goto done;
    }
    q->options = xcalloc(json_array_size(arr), sizeof *q->options);
    for (size_t i = 0; i < json_array_size(arr) && rc == 0; i++) {
        json_t *v = json_array_get(arr, i);
        struct sv_option *op = &q->options[q->n_options++];
        size_t o2 = push_index(c, i);
        if (!json_is_object(v))
            rc = fail(c, err, "must be an object {\"key\", \"label\"}");
        else if ((rc = only_keys(c, v, allowed, err)) == 0 &&
                 (rc = get_key(c, v, "key", 1, &op->key, err)) == 0 &&
                 (rc = get_text(c, v, "label", 1, &op->label, err)) == 0) {
            for (int j = 0; j < q->n_options - 1 && rc == 0; j++)
                if (!strcmp(q->options[j].key, op->key)) {
                    size_t o3 = push(c, "key");
                    rc = fail(c, err, "\"%s\" is used twice", op->key);
                    pop(c, o3);
                }
        }
        pop(c, o2);
    }
done:
    pop(c, old);
    return rc;
}

static int parse_corners(struct ctx *c, json_t *o, struct sv_question *q,
                         struct err *err)
{
    json_t *arr = json_object_get(o, "corners");
    size_t old = push(c, "corners");
    int rc = 0;
    if (!arr || !json_is_array(arr) || json_array_size(arr) != 3) {
        rc = fail(c, err, "must be an array of three texts");
    } else {
        for (size_t i = 0; i < 3 && rc == 0; i++) {
            size_t o2 = push_index(c, i);
            rc = text_value(c, json_array_get(arr, i), &q->corners[i], err);
            pop(c, o2);
        }
    }
    pop(c, old);
    return rc;
}

static int parse_variants(struct ctx *c, json_t *o, int self,
                          struct sv_question *q, struct err *err)
{
    static const char *const allowed[] = {"when", "prompt", NULL};
    json_t *arr = json_object_get(o, "variants");
    size_t old = push(c, "variants");
    int rc = 0;
    if (!arr)
        goto done;
    if (!json_is_array(arr) || json_array_size(arr) < 1 ||
        json_array_size(arr) > SV_MAX_VARIANTS) {
        rc =
            fail(c, err, "must be an array of 1..%d variants", SV_MAX_VARIANTS);
        goto done;
    }
    q->variants = xcalloc(json_array_size(arr), sizeof *q->variants);
    for (size_t i = 0; i < json_array_size(arr) && rc == 0; i++) {
        json_t *v = json_array_get(arr, i);
        struct sv_variant *va = &q->variants[q->n_variants++];
        size_t o2 = push_index(c, i);
        va->when.question = -1;
        if (!json_is_object(v)) {
            rc = fail(c, err, "must be an object {\"when\", \"prompt\"}");
        } else if ((rc = only_keys(c, v, allowed, err)) == 0) {
            json_t *w = json_object_get(v, "when");
            size_t o3 = push(c, "when");
            if (!w)
                rc = fail(c, err, "missing");
            else
                rc = parse_when(c, w, self, &va->when, err);
            pop(c, o3);
            if (rc == 0)
                rc = get_text(c, v, "prompt", 1, &va->prompt, err);
        }
        pop(c, o2);
    }
done:
    pop(c, old);
    return rc;
}

/* Which optional fields each type takes beyond the common ones. */
static int type_allows(enum sv_type t, const char *field)
{
    static const char *const common[] = {"key",      "type", "prompt",   "hint",
                                         "required", "when", "variants", NULL};
    for (const char *const *a = common; *a; a++)
        if (!strcmp(*a, field))
            return 1;
    switch (t) {
    case SV_NPS:
    case SV_CSAT:
    case SV_CES:
        return !strcmp(field, "low") || !strcmp(field, "high");
    case SV_RATING:
        return !strcmp(field, "low") || !strcmp(field, "high") ||
               !strcmp(field, "scale");
    case SV_GAP:
        return !strcmp(field, "low") || !strcmp(field, "high") ||
               !strcmp(field, "scale") || !strcmp(field, "expect") ||
               !strcmp(field, "perceive");
    case SV_CHOICE:
        return !strcmp(field, "options");
    case SV_TRIAD:
        return !strcmp(field, "corners");
    case SV_DYAD:
        return !strcmp(field, "left") || !strcmp(field, "right");
    default:
        return 0;
    }
}

static int parse_question(struct ctx *c, json_t *o, int self, struct err *err)
{
    struct survey_def *d = c->d;
    struct sv_question *q = &d->q[self];
    const char *key;
    json_t *v;
    size_t old;
    int rc = 0;
    q->when.question = -1;
    if (!json_is_object(o))
        return fail(c, err, "must be an object");
    if ((rc = get_key(c, o, "key", 0, &q->key, err)) < 0)
        return rc;
    if (find_question(d, self, q->key) >= 0) {
        old = push(c, "key");
        rc = fail(c, err, "\"%s\" is used twice", q->key);
        pop(c, old);
        return rc;
    }
    v = json_object_get(o, "type");
    old = push(c, "type");
    q->type = (enum sv_type) - 1;
    for (int t = 0; json_is_string(v) && t <= SV_CONSENT; t++)
        if (!strcmp(type_names[t], json_string_value(v)))
            q->type = (enum sv_type)t;
    if ((int)q->type < 0)
        rc = fail(c, err,
                  "must be one of nps, csat, ces, rating, gap, choice, "
                  "text, story, triad, dyad, consent");
    for (int i = 0; rc == 0 && i < self; i++)
        if (q->type <= SV_CES && d->q[i].type == q->type)
            rc = fail(c, err, "at most one %s question", sv_type_name(q->type));
    pop(c, old);
    if (rc < 0)
        return rc;
    old = push(c, "key");
    if ((!strcmp(q->key, "nps") || !strcmp(q->key, "csat") ||
         !strcmp(q->key, "ces")) &&
        strcmp(q->key, sv_type_name(q->type)) != 0)
        rc = fail(c, err, "the key \"%s\" is kept for a %s question", q->key,
                  q->key);
    else if (!strcmp(q->key, "comment") && q->type != SV_TEXT)
        rc = fail(c, err, "the key \"comment\" is kept for a text question");
    pop(c, old);
    if (rc < 0)
        return rc;
    json_object_foreach(o, key, v)
    {
        if (!type_allows(q->type, key)) {
            old = push(c, key);
            rc = fail(c, err, "unknown field for a %s question",
                      sv_type_name(q->type));
            pop(c, old);
            return rc;
        }
    }
    switch (q->type) {
    case SV_NPS:
        q->scale = 10;
        break;
    case SV_CSAT:
        q->scale = 5;
        break;
    case SV_CES:
        q->scale = 7;
        break;
    case SV_RATING:
    case SV_GAP:
        q->scale = q->type == SV_RATING ? 5 : 7;
        if ((v = json_object_get(o, "scale"))) {
            old = push(c, "scale");
            rc = get_int(c, v, 2, 10, &q->scale, err);
            pop(c, old);
        }
        break;
    default:
        break;
    }
    if (rc == 0)
        rc = get_text(c, o, "prompt", 1, &q->prompt, err);
    if (rc == 0)
        rc = get_text(c, o, "hint", 0, &q->hint, err);
    if (rc == 0)
        rc = get_bool(c, o, "required", &q->required, err);
    if (rc == 0)
        rc = get_text(c, o, "low", 0, &q->low, err);
    if (rc == 0)
        rc = get_text(c, o, "high", 0, &q->high, err);
    if (rc == 0)
        rc = get_text(c, o, "expect", 0, &q->expect, err);
    if (rc == 0)
        rc = get_text(c, o, "perceive", 0, &q->perceive, err);
    if (rc == 0)
        rc = get_text(c, o, "left", q->type == SV_DYAD, &q->low, err);
    if (rc == 0)
        rc = get_text(c, o, "right", q->type == SV_DYAD, &q->high, err);
    if (rc == 0 && q->type == SV_CHOICE)
        rc = parse_options(c, o, q, err);
    if (rc == 0 && q->type == SV_TRIAD)
        rc = parse_corners(c, o, q, err);
    if (rc == 0 && (v = json_object_get(o, "when"))) {
        old = push(c, "when");
        rc = parse_when(c, v, self, &q->when, err);
        pop(c, old);
    }
    if (rc == 0)
        rc = parse_variants(c, o, self, q, err);
    return rc;
}

static int parse_languages(struct ctx *c, json_t *root, struct err *err)
{
    json_t *arr = json_object_get(root, "languages");
    size_t old = push(c, "languages");
    int rc = 0;
    if (!arr || !json_is_array(arr) || json_array_size(arr) < 1 ||
        json_array_size(arr) > SV_NLANG) {
        rc = fail(c, err,
                  "must be an array of \"sv\" and/or \"en\", the "
                  "default first");
        goto done;
    }
    for (size_t i = 0; i < json_array_size(arr) && rc == 0; i++) {
        json_t *v = json_array_get(arr, i);
        int li = json_is_string(v) ? sv_lang_index(json_string_value(v)) : -1;
        size_t o2 = push_index(c, i);
        if (li < 0)
            rc = fail(c, err, "must be \"sv\" or \"en\"");
        else if (c->d->n_langs && c->d->langs[0] == li)
            rc = fail(c, err, "listed twice");
        else
            c->d->langs[c->d->n_langs++] = li;
        pop(c, o2);
    }
done:
    pop(c, old);
    return rc;
}

static int parse_root(struct ctx *c, json_t *root, struct err *err)
{
    static const char *const allowed[] = {"key",       "name",      "intro",
                                          "thanks",    "languages", "audience",
                                          "questions", NULL};
    struct survey_def *d = c->d;
    json_t *v, *qs;
    size_t old;
    int rc;
    if (!json_is_object(root))
        return fail(c, err, "must be a JSON object");
    if ((rc = only_keys(c, root, allowed, err)) < 0 ||
        (rc = get_key(c, root, "key", 1, &d->key, err)) < 0 ||
        (rc = parse_languages(c, root, err)) < 0 ||
        (rc = get_text(c, root, "name", 1, &d->name, err)) < 0 ||
        (rc = get_text(c, root, "intro", 0, &d->intro, err)) < 0 ||
        (rc = get_text(c, root, "thanks", 0, &d->thanks, err)) < 0)
        return rc;
    v = json_object_get(root, "audience");
    old = push(c, "audience");
    d->audience = SURVEY_CUSTOMER;
    if (v && json_is_string(v) && !strcmp(json_string_value(v), "employee"))
        d->audience = SURVEY_EMPLOYEE;
    else if (v &&
             !(json_is_string(v) && !strcmp(json_string_value(v), "customer")))
        rc = fail(c, err, "must be \"customer\" or \"employee\"");
    pop(c, old);
    if (rc < 0)
        return rc;
    qs = json_object_get(root, "questions");
    old = push(c, "questions");
    if (!qs || !json_is_array(qs) || json_array_size(qs) < 1 ||
        json_array_size(qs) > SV_MAX_QUESTIONS) {
        rc = fail(c, err, "must be an array of 1..%d questions",
                  SV_MAX_QUESTIONS);
    } else {
        d->q = xcalloc(json_array_size(qs), sizeof *d->q);
        for (size_t i = 0; i < json_array_size(qs) && rc == 0; i++) {
            size_t o2 = push_index(c, i);
            d->n_q++;
            rc = parse_question(c, json_array_get(qs, i), (int)i, err);
            pop(c, o2);
        }
    }
    pop(c, old);
    return rc;
}

int survey_def_parse(struct survey_def **out, const char *json, size_t len,
                     struct err *err)
{
    struct ctx c = {STRBUF_INIT, NULL};
    json_error_t je;
    json_t *root = NULL;
    int rc = 0;
    *out = NULL;
    if (len > SURVEY_DEF_MAX_BYTES) {
        rc = err_set(err, ERR_INVALID, "too large (at most %zu bytes)",
                     SURVEY_DEF_MAX_BYTES);
        goto done;
    }
    root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &je);
    if (!root) {
        rc = err_set(err, ERR_INVALID, "invalid JSON at line %d, column %d: %s",
                     je.line, je.column, je.text);
        goto done;
    }
    c.d = xcalloc(1, sizeof *c.d);
    rc = parse_root(&c, root, err);
done:
    json_decref(root);
    strbuf_dispose(&c.path);
    if (rc < 0)
        survey_def_free(c.d);
    else
        *out = c.d;
    return rc;
}

static void text_free(struct sv_text *t)
{
    for (int i = 0; i < SV_NLANG; i++)
        free(t->t[i]);
}

static void when_free(struct sv_when *w)
{
    for (int i = 0; i < w->n_is; i++)
        free(w->is[i]);
    free(w->is);
}

void survey_def_free(struct survey_def *d)
{
    if (!d)
        return;
    for (int i = 0; i < d->n_q; i++) {
        struct sv_question *q = &d->q[i];
        free(q->key);
        text_free(&q->prompt);
        text_free(&q->hint);
        text_free(&q->low);
        text_free(&q->high);
        text_free(&q->expect);
        text_free(&q->perceive);
        for (int k = 0; k < 3; k++)
            text_free(&q->corners[k]);
        for (int k = 0; k < q->n_options; k++) {
            free(q->options[k].key);
            text_free(&q->options[k].label);
        }
        free(q->options);
        when_free(&q->when);
        for (int k = 0; k < q->n_variants; k++) {
            when_free(&q->variants[k].when);
            text_free(&q->variants[k].prompt);
        }
        free(q->variants);
    }
    free(d->q);
    free(d->key);
    text_free(&d->name);
    text_free(&d->intro);
    text_free(&d->thanks);
    free(d);
}

const char *survey_def_key(const struct survey_def *d)
{
    return d ? d->key : NULL;
}

const char *survey_def_name(const struct survey_def *d, const char *lang)
{
    return d ? sv_text_get(d, &d->name, sv_lang_index(lang)) : NULL;
}

enum survey_audience survey_def_audience(const struct survey_def *d)
{
    return d ? d->audience : SURVEY_CUSTOMER;
}
