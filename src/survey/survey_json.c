/* Survey definitions back to JSON, and the choice of a page language. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"
#include "survey/survey_int.h"

/* Adds name: {"sv": .., "en": ..} when the text is given. */
static void put_text(json_t *o, const char *name, const struct sv_text *t)
{
    json_t *v;
    if (!t->t[0] && !t->t[1])
        return;
    v = json_object();
    for (int i = 0; i < SV_NLANG; i++)
        if (t->t[i])
            json_object_set_new(v, sv_lang_code(i), json_string(t->t[i]));
    json_object_set_new(o, name, v);
}

static json_t *when_json(const struct survey_def *d, const struct sv_when *w)
{
    json_t *o = json_object();
    json_object_set_new(o, "question", json_string(d->q[w->question].key));
    if (w->has_min)
        json_object_set_new(o, "min", json_integer(w->min));
    if (w->has_max)
        json_object_set_new(o, "max", json_integer(w->max));
    if (w->n_is) {
        json_t *a = json_array();
        for (int i = 0; i < w->n_is; i++)
            json_array_append_new(a, json_string(w->is[i]));
        json_object_set_new(o, "is", a);
    }
    return o;
}

static json_t *question_json(const struct survey_def *d,
                             const struct sv_question *q)
{
    json_t *o = json_object();
    json_object_set_new(o, "key", json_string(q->key));
    json_object_set_new(o, "type", json_string(sv_type_name(q->type)));
    if (q->type == SV_RATING || q->type == SV_GAP)
        json_object_set_new(o, "scale", json_integer(q->scale));
    put_text(o, "prompt", &q->prompt);
    put_text(o, "hint", &q->hint);
    if (q->required)
        json_object_set_new(o, "required", json_true());
    put_text(o, q->type == SV_DYAD ? "left" : "low", &q->low);
    put_text(o, q->type == SV_DYAD ? "right" : "high", &q->high);
    put_text(o, "expect", &q->expect);
    put_text(o, "perceive", &q->perceive);
    if (q->type == SV_CHOICE) {
        json_t *a = json_array();
        for (int i = 0; i < q->n_options; i++) {
            json_t *op = json_object();
            json_object_set_new(op, "key", json_string(q->options[i].key));
            put_text(op, "label", &q->options[i].label);
            json_array_append_new(a, op);
        }
        json_object_set_new(o, "options", a);
    }
    if (q->type == SV_TRIAD) {
        json_t *a = json_array();
        for (int i = 0; i < 3; i++) {
            json_t *holder = json_object();
            put_text(holder, "t", &q->corners[i]);
            json_array_append(a, json_object_get(holder, "t"));
            json_decref(holder);
        }
        json_object_set_new(o, "corners", a);
    }
    if (q->when.question >= 0)
        json_object_set_new(o, "when", when_json(d, &q->when));
    if (q->n_variants) {
        json_t *a = json_array();
        for (int i = 0; i < q->n_variants; i++) {
            json_t *v = json_object();
            json_object_set_new(v, "when", when_json(d, &q->variants[i].when));
            put_text(v, "prompt", &q->variants[i].prompt);
            json_array_append_new(a, v);
        }
        json_object_set_new(o, "variants", a);
    }
    return o;
}

char *survey_def_to_json(const struct survey_def *d)
{
    json_t *root, *a;
    char *s, *out;
    if (!d)
        return NULL;
    root = json_object();
    json_object_set_new(root, "key", json_string(d->key));
    put_text(root, "name", &d->name);
    put_text(root, "intro", &d->intro);
    put_text(root, "thanks", &d->thanks);
    a = json_array();
    for (int i = 0; i < d->n_langs; i++)
        json_array_append_new(a, json_string(sv_lang_code(d->langs[i])));
    json_object_set_new(root, "languages", a);
    json_object_set_new(
        root, "audience",
        json_string(d->audience == SURVEY_EMPLOYEE ? "employee" : "customer"));
    a = json_array();
    for (int i = 0; i < d->n_q; i++)
        json_array_append_new(a, question_json(d, &d->q[i]));
    json_object_set_new(root, "questions", a);
    s = json_dumps(root, JSON_PRESERVE_ORDER | JSON_INDENT(2));
    json_decref(root);
    if (!s)
        abort(); /* jansson fails here only when out of memory */
    /* jansson's own allocator is malloc, but copy so the caller's free()
     * is right whatever it is */
    out = xstrdup(s);
    free(s);
    return out;
}

static int has_lang(const struct survey_def *d, int li)
{
    for (int i = 0; i < d->n_langs; i++)
        if (d->langs[i] == li)
            return 1;
    return 0;
}

/* Reads a q-value "q=0.8" (or "q=1", "q=0") from s[0..n); 1000 = 1. */
static int qvalue(const char *s, size_t n)
{
    size_t i = 0;
    int v = 0, scale = 1000;
    while (i < n && (s[i] == ' ' || s[i] == '\t'))
        i++;
    if (n - i < 3 || (s[i] != 'q' && s[i] != 'Q') || s[i + 1] != '=')
        return 1000;
    i += 2;
    if (s[i] == '1')
        return 1000;
    if (s[i] != '0')
        return 0;
    i++;
    if (i < n && s[i] == '.') {
        for (i++; i < n && s[i] >= '0' && s[i] <= '9' && scale > 1; i++) {
            scale /= 10;
            v += (s[i] - '0') * scale;
        }
    }
    return v;
}

const char *survey_pick_lang(const struct survey_def *d, const char *lang_param,
                             const char *accept_language)
{
    int li = sv_lang_index(lang_param);
    int def = d && d->n_langs ? d->langs[0] : 0;
    int best = -1, best_q = 0;
    if (!d)
        return sv_lang_code(li >= 0 ? li : 0);
    if (li >= 0 && has_lang(d, li))
        return sv_lang_code(li);
    for (const char *p = accept_language; p && *p;) {
        size_t n = strcspn(p, ",");
        size_t tn;
        const char *semi = memchr(p, ';', n);
        const char *t = p;
        int q;
        while (t < p + n && (*t == ' ' || *t == '\t'))
            t++;
        tn = strcspn(t, ",;- \t");
        q = semi ? qvalue(semi + 1, (size_t)(p + n - semi - 1)) : 1000;
        li = -1;
        if (tn == 2 && (t[0] | 0x20) == 's' && (t[1] | 0x20) == 'v')
            li = 0;
        else if (tn == 2 && (t[0] | 0x20) == 'e' && (t[1] | 0x20) == 'n')
            li = 1;
        else if (tn == 1 && t[0] == '*')
            li = def;
        /* earlier wins a tie: the header's order is the user's order */
        if (li >= 0 && has_lang(d, li) && q > best_q) {
            best = li;
            best_q = q;
        }
        p += n;
        if (*p == ',')
            p++;
    }
    return sv_lang_code(best >= 0 ? best : def);
}
