/* The survey builder's form: a definition drawn as fields, and a post
 * read back into the definition's JSON (survey_form.h). The survey
 * module validates; this file only moves values between the two. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/escape.h"
#include "core/strbuf.h"
#include "http/form.h"
#include "server/survey_form.h"

/* More rows than the survey module takes are read, so that its own
 * message ("1..100 questions") is the one shown. */
#define MAX_QUESTIONS 101
#define MAX_OPTIONS 51
#define BLANK_OPTIONS 2 /* empty option rows drawn under a choice's own */

static const char *const types[] = {"nps",   "csat",   "ces",    "rating",
                                    "gap",   "choice", "text",   "story",
                                    "triad", "dyad",   "consent"};
#define N_TYPES (sizeof types / sizeof types[0])

/* The texts a question may have beyond prompt and hint, by type, as
 * docs/surveys.md lists them. */
static int takes(const char *type, const char *field)
{
    static const struct {
        const char *type, *fields;
    } t[] = {{"nps", " low high "},
             {"csat", " low high "},
             {"ces", " low high "},
             {"rating", " scale low high "},
             {"gap", " scale low high expect perceive "},
             {"choice", " options "},
             {"triad", " corners "},
             {"dyad", " left right "}};
    char w[32];
    snprintf(w, sizeof w, " %s ", field);
    for (size_t i = 0; type && i < sizeof t / sizeof t[0]; i++)
        if (!strcmp(t[i].type, type))
            return strstr(t[i].fields, w) != NULL;
    return 0;
}

static int blank(const char *s)
{
    if (!s)
        return 1;
    for (; *s; s++)
        if (*s != ' ' && *s != '\t' && *s != '\r' && *s != '\n')
            return 0;
    return 1;
}

/* The value of field prefix+name, or NULL. */
static const char *field(const struct form *f, const char *prefix,
                         const char *name)
{
    char n[96];
    snprintf(n, sizeof n, "%s%s", prefix, name);
    return form_get(f, n);
}

/* A key as typed, without the spaces around it. */
static json_t *key_value(const char *s)
{
    if (!s)
        return json_string("");
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' ||
                 s[n - 1] == '\n'))
        n--;
    json_t *v = json_stringn(s, n);
    return v ? v : json_string("");
}

/* {"sv": .., "en": ..} from prefix+name+".sv" and ".en", or NULL when
 * both are empty. */
static json_t *text_of(const struct form *f, const char *prefix,
                       const char *name)
{
    static const char *const langs[] = {"sv", "en"};
    json_t *o = NULL;
    for (int i = 0; i < 2; i++) {
        char n[64];
        snprintf(n, sizeof n, "%s.%s", name, langs[i]);
        const char *v = field(f, prefix, n);
        if (blank(v))
            continue;
        json_t *s = json_string(v);
        if (!s) /* not UTF-8: form_parse lets none through */
            continue;
        if (!o)
            o = json_object();
        json_object_set_new(o, langs[i], s);
    }
    return o;
}

static void put_text(json_t *o, const struct form *f, const char *prefix,
                     const char *name)
{
    json_t *t = text_of(f, prefix, name);
    if (t)
        json_object_set_new(o, name, t);
}

/* A count field ("nq", "q1.nopt"), at most max. */
static size_t count_of(const char *v, size_t max)
{
    size_t n = 0;
    for (; v && *v >= '0' && *v <= '9' && n <= max; v++)
        n = n * 10 + (size_t)(*v - '0');
    return n > max ? max : n;
}

/* JSON typed into a condition's or variants' box: the value, or the text
 * itself when it is not JSON (survey_form_check says so). */
static json_t *json_field(const char *v)
{
    json_t *j = json_loads(v, JSON_REJECT_DUPLICATES, NULL);
    if (j)
        return j;
    j = json_string(v);
    return j ? j : json_string("");
}

static json_t *read_question(const struct form *f, size_t i)
{
    char p[32];
    snprintf(p, sizeof p, "q%zu.", i);
    json_t *q = json_object();
    const char *type = field(f, p, "type");
    if (!type || !*type)
        type = "text";
    json_object_set_new(q, "key", key_value(field(f, p, "key")));
    json_object_set_new(q, "type", key_value(type));
    type = json_string_value(json_object_get(q, "type"));
    const char *scale = field(f, p, "scale");
    if (takes(type, "scale") && !blank(scale)) {
        json_t *k = key_value(scale);
        const char *s = json_string_value(k);
        if (strlen(s) <= 3 && strspn(s, "0123456789") == strlen(s)) {
            json_object_set_new(q, "scale", json_integer(atoi(s)));
            json_decref(k);
        } else {
            json_object_set_new(q, "scale", k);
        }
    }
    put_text(q, f, p, "prompt");
    put_text(q, f, p, "hint");
    const char *req = field(f, p, "required");
    if (req && *req)
        json_object_set_new(q, "required", json_true());
    static const char *const texts[] = {"low",      "high", "expect",
                                        "perceive", "left", "right"};
    for (size_t k = 0; k < sizeof texts / sizeof texts[0]; k++)
        if (takes(type, texts[k]))
            put_text(q, f, p, texts[k]);
    if (takes(type, "options")) {
        json_t *a = json_array();
        size_t n = count_of(field(f, p, "nopt"), MAX_OPTIONS + BLANK_OPTIONS);
        for (size_t k = 0; k < n; k++) {
            char op[80];
            snprintf(op, sizeof op, "%sopt%zu", p, k);
            const char *key = field(f, op, ".key");
            json_t *label = text_of(f, op, "");
            if (blank(key) && !label)
                continue;
            json_t *o = json_object();
            json_object_set_new(o, "key", key_value(key));
            if (label)
                json_object_set_new(o, "label", label);
            json_array_append_new(a, o);
        }
        json_object_set_new(q, "options", a);
    }
    if (takes(type, "corners")) {
        json_t *a = json_array();
        int any = 0;
        for (int k = 0; k < 3; k++) {
            char cp[80];
            snprintf(cp, sizeof cp, "%scorner%d", p, k);
            json_t *t = text_of(f, cp, "");
            any |= t != NULL;
            json_array_append_new(a, t ? t : json_object());
        }
        if (any)
            json_object_set_new(q, "corners", a);
        else
            json_decref(a);
    }
    const char *w = field(f, p, "when"), *vs = field(f, p, "variants");
    if (!blank(w))
        json_object_set_new(q, "when", json_field(w));
    if (!blank(vs))
        json_object_set_new(q, "variants", json_field(vs));
    return q;
}

json_t *survey_form_read(const struct form *f)
{
    json_t *root = json_object();
    json_object_set_new(root, "key", key_value(form_get(f, "key")));
    put_text(root, f, "", "name");
    put_text(root, f, "", "intro");
    put_text(root, f, "", "thanks");
    /* "sv,en" -> ["sv", "en"] */
    const char *langs = form_get(f, "languages");
    json_t *a = json_array();
    if (!langs || !*langs)
        langs = "sv,en";
    for (const char *s = langs; *s;) {
        size_t n = strcspn(s, ",");
        json_t *v = json_stringn(s, n);
        if (v)
            json_array_append_new(a, v);
        s += n;
        if (*s == ',')
            s++;
    }
    json_object_set_new(root, "languages", a);
    const char *aud = form_get(f, "audience");
    json_object_set_new(root, "audience",
                        key_value(aud && *aud ? aud : "customer"));
    json_t *qs = json_array();
    size_t n = count_of(form_get(f, "nq"), MAX_QUESTIONS);
    for (size_t i = 0; i < n; i++)
        json_array_append_new(qs, read_question(f, i));
    json_object_set_new(root, "questions", qs);
    return root;
}

static int question_blank(json_t *q)
{
    const char *name;
    json_t *v;
    json_object_foreach(q, name, v)
    {
        if (!strcmp(name, "key")) {
            if (!json_is_string(v) || *json_string_value(v))
                return 0;
        } else if (!strcmp(name, "options")) {
            if (json_array_size(v))
                return 0;
        } else if (strcmp(name, "type") != 0 && strcmp(name, "required") != 0 &&
                   strcmp(name, "scale") != 0) {
            return 0;
        }
    }
    return 1;
}

void survey_form_prune(json_t *def)
{
    json_t *qs = json_object_get(def, "questions");
    for (size_t i = json_array_size(qs); i-- > 0;)
        if (question_blank(json_array_get(qs, i)))
            json_array_remove(qs, i);
}

int survey_form_check(const json_t *def, struct err *err)
{
    static const char *const boxes[] = {"when", "variants"};
    json_t *qs = json_object_get(def, "questions");
    for (size_t i = 0; i < json_array_size(qs); i++)
        for (int k = 0; k < 2; k++) {
            json_t *v = json_object_get(json_array_get(qs, i), boxes[k]);
            json_error_t je;
            if (!json_is_string(v))
                continue;
            json_t *j =
                json_loads(json_string_value(v), JSON_REJECT_DUPLICATES, &je);
            if (j) { /* JSON after all: the survey module judges it */
                json_decref(j);
                continue;
            }
            err_set(err, ERR_INVALID, "not JSON: %s (line %d, column %d)",
                    je.text, je.line, je.column);
            snprintf(err->where, sizeof err->where, "questions[%zu].%s", i,
                     boxes[k]);
            return ERR_INVALID;
        }
    return 0;
}

/* "[12]" at *p: the number, and *p past it; -1 if none. */
static long index_at(const char **p)
{
    char *end;
    if (**p != '[')
        return -1;
    long v = strtol(*p + 1, &end, 10);
    if (end == *p + 1 || *end != ']' || v < 0)
        return -1;
    *p = end + 1;
    return v;
}

/* The next ".name" at *p into w (without the dot); *p past it. */
static void name_at(const char **p, char *w, size_t cap)
{
    if (**p == '.')
        (*p)++;
    size_t n = strcspn(*p, ".[");
    snprintf(w, cap, "%.*s", (int)(n < cap ? n : cap - 1), *p);
    *p += n;
}

static int is_lang(const char *w)
{
    return !strcmp(w, "sv") || !strcmp(w, "en");
}

void survey_form_field_of(const char *where, char *out, size_t cap)
{
    const char *p = where ? where : "";
    char w[32], l[32];
    long qi, k;
    out[0] = 0;
    name_at(&p, w, sizeof w);
    if (!strcmp(w, "key") || !strcmp(w, "languages") ||
        !strcmp(w, "audience")) {
        snprintf(out, cap, "f-%s", w);
        return;
    }
    if (!strcmp(w, "name") || !strcmp(w, "intro") || !strcmp(w, "thanks")) {
        name_at(&p, l, sizeof l);
        snprintf(out, cap, "f-%s-%s", w, is_lang(l) ? l : "sv");
        return;
    }
    if (strcmp(w, "questions") != 0 || (qi = index_at(&p)) < 0)
        return;
    name_at(&p, w, sizeof w);
    if (!strcmp(w, "options") || !strcmp(w, "corners")) {
        int opt = w[0] == 'o', label = 0;
        k = index_at(&p);
        name_at(&p, l, sizeof l);
        if (opt && !strcmp(l, "label")) { /* options[1].label.en */
            label = 1;
            name_at(&p, l, sizeof l);
        }
        snprintf(out, cap, "f-q%ld-%s%ld-%s", qi, opt ? "opt" : "corner",
                 k < 0 ? 0 : k,
                 is_lang(l) ? l : (opt && !label ? "key" : "sv"));
        return;
    }
    if (!strcmp(w, "prompt") || !strcmp(w, "hint") || !strcmp(w, "low") ||
        !strcmp(w, "high") || !strcmp(w, "left") || !strcmp(w, "right") ||
        !strcmp(w, "expect") || !strcmp(w, "perceive")) {
        name_at(&p, l, sizeof l);
        snprintf(out, cap, "f-q%ld-%s-%s", qi, w, is_lang(l) ? l : "sv");
        return;
    }
    if (!strcmp(w, "type") || !strcmp(w, "scale") || !strcmp(w, "required") ||
        !strcmp(w, "when") || !strcmp(w, "variants"))
        snprintf(out, cap, "f-q%ld-%s", qi, w);
    else /* the question itself, or a field the form has not */
        snprintf(out, cap, "f-q%ld-key", qi);
}

/* ---- drawing ---- */

struct draw {
    struct strbuf *b;
    const struct survey_form_view *v;
    int placed;
};

static void text(struct strbuf *b, const char *s)
{
    escape_xml(b, s ? s : "", s ? strlen(s) : 0);
}

/* The id of name: "q1.prompt.sv" -> "f-q1-prompt-sv". */
static void id_of(char *out, size_t cap, const char *name)
{
    snprintf(out, cap, "f-%s", name);
    for (char *c = out; *c; c++)
        if (*c == '.')
            *c = '-';
}

static int at_fault(const struct draw *d, const char *id)
{
    return d->v->err_id && !strcmp(d->v->err_id, id);
}

/* The attributes that tie a field to its error, if it is at fault. */
static void fault_attrs(struct draw *d, const char *id)
{
    if (at_fault(d, id))
        strbuf_printf(d->b,
                      " aria-invalid=\"true\" aria-describedby=\"%s-err\"", id);
}

static void fault_msg(struct draw *d, const char *id)
{
    if (!at_fault(d, id) || d->placed)
        return;
    strbuf_printf(d->b, "<p class=\"error\" id=\"%s-err\" role=\"alert\">", id);
    text(d->b, d->v->err_msg);
    strbuf_puts(d->b, "</p>");
    d->placed = 1;
}

/* A labelled input (textarea when rows > 0). */
static void input(struct draw *d, const char *name, const char *label,
                  const char *value, const char *attrs, int rows)
{
    char id[96];
    id_of(id, sizeof id, name);
    strbuf_printf(d->b, "<div class=\"sf-field\"><label for=\"%s\">", id);
    text(d->b, label);
    if (rows)
        strbuf_printf(d->b,
                      "</label><textarea id=\"%s\" name=\"%s\" rows=\"%d\"", id,
                      name, rows);
    else
        strbuf_printf(d->b, "</label><input id=\"%s\" name=\"%s\"", id, name);
    strbuf_puts(d->b, attrs ? attrs : "");
    fault_attrs(d, id);
    if (rows) { /* a newline first: the parser drops one there */
        strbuf_puts(d->b, ">\n");
        text(d->b, value);
        strbuf_puts(d->b, "</textarea>");
    } else {
        strbuf_puts(d->b, " value=\"");
        text(d->b, value);
        strbuf_puts(d->b, "\">");
    }
    fault_msg(d, id);
    strbuf_puts(d->b, "</div>\n");
}

static const char *str_of(const json_t *o, const char *name)
{
    const char *s = json_string_value(json_object_get(o, name));
    return s ? s : "";
}

/* A text's two fields, "LABEL (svenska)" and "LABEL (engelska)". */
static void text_pair(struct draw *d, const char *prefix, const char *name,
                      const char *label, const json_t *t, int rows)
{
    static const char *const langs[] = {"sv", "en"};
    enum web_lang lang = d->v->lang;
    strbuf_puts(d->b, "<div class=\"sf-pair\">");
    for (int i = 0; i < 2; i++) {
        char n[96], l[160];
        snprintf(n, sizeof n, "%s%s.%s", prefix, name, langs[i]);
        snprintf(l, sizeof l, "%s (%s)", label,
                 web_t(lang, i ? "survey_lang_en" : "survey_lang_sv"));
        input(d, n, l, str_of(t, langs[i]), NULL, rows);
    }
    strbuf_puts(d->b, "</div>\n");
}

static void select_open(struct draw *d, const char *name, const char *label)
{
    char id[96];
    id_of(id, sizeof id, name);
    strbuf_printf(d->b, "<div class=\"sf-field\"><label for=\"%s\">", id);
    text(d->b, label);
    strbuf_printf(d->b, "</label><select id=\"%s\" name=\"%s\"", id, name);
    fault_attrs(d, id);
    strbuf_puts(d->b, ">");
}

static void option(struct draw *d, const char *value, const char *label,
                   int selected)
{
    strbuf_puts(d->b, "<option value=\"");
    text(d->b, value);
    strbuf_printf(d->b, "\"%s>", selected ? " selected" : "");
    text(d->b, label);
    strbuf_puts(d->b, "</option>");
}

static void select_close(struct draw *d, const char *name)
{
    char id[96];
    id_of(id, sizeof id, name);
    strbuf_puts(d->b, "</select>");
    fault_msg(d, id);
    strbuf_puts(d->b, "</div>\n");
}

/* "sv,en" of the languages array. */
static void langs_of(const json_t *a, char *out, size_t cap)
{
    out[0] = 0;
    for (size_t i = 0; i < json_array_size(a); i++) {
        const char *s = json_string_value(json_array_get(a, i));
        size_t n = strlen(out);
        snprintf(out + n, cap - n, "%s%s", i ? "," : "", s ? s : "");
    }
}

static void draw_survey(struct draw *d, const json_t *def)
{
    enum web_lang lang = d->v->lang;
    strbuf_printf(d->b, "<fieldset class=\"sf-survey\"><legend>%s</legend>\n",
                  web_t(lang, "survey_the_survey"));
    char kl[200];
    snprintf(kl, sizeof kl, "%s (%s)", web_t(lang, "survey_key"),
             web_t(lang, "survey_key_rule"));
    input(d, "key", kl, str_of(def, "key"),
          d->v->editing ? " readonly autocomplete=\"off\" spellcheck=\"false\""
                        : " autocomplete=\"off\" spellcheck=\"false\"",
          0);
    text_pair(d, "", "name", web_t(lang, "survey_name"),
              json_object_get(def, "name"), 0);
    text_pair(d, "", "intro", web_t(lang, "survey_intro"),
              json_object_get(def, "intro"), 2);
    text_pair(d, "", "thanks", web_t(lang, "survey_thanks"),
              json_object_get(def, "thanks"), 0);
    static const char *const lang_opts[][2] = {{"sv,en", "survey_langs_sv_en"},
                                               {"en,sv", "survey_langs_en_sv"},
                                               {"sv", "survey_langs_sv"},
                                               {"en", "survey_langs_en"}};
    char cur[32];
    langs_of(json_object_get(def, "languages"), cur, sizeof cur);
    if (!cur[0])
        snprintf(cur, sizeof cur, "sv,en");
    strbuf_puts(d->b, "<div class=\"sf-pair\">");
    select_open(d, "languages", web_t(lang, "survey_languages"));
    for (size_t i = 0; i < 4; i++)
        option(d, lang_opts[i][0], web_t(lang, lang_opts[i][1]),
               !strcmp(cur, lang_opts[i][0]));
    select_close(d, "languages");
    const char *aud = str_of(def, "audience");
    select_open(d, "audience", web_t(lang, "survey_audience"));
    option(d, "customer", web_t(lang, "survey_customer"),
           strcmp(aud, "employee") != 0);
    option(d, "employee", web_t(lang, "survey_employee"),
           !strcmp(aud, "employee"));
    select_close(d, "audience");
    strbuf_puts(d->b, "</div>\n</fieldset>\n");
}

/* A condition's or variants' box: its JSON, or the text typed. */
static void json_box(struct draw *d, const char *prefix, const char *name,
                     const char *label, const json_t *v)
{
    char n[48];
    char *dump = NULL;
    snprintf(n, sizeof n, "%s%s", prefix, name);
    if (v && !json_is_string(v))
        dump = json_dumps(v, JSON_PRESERVE_ORDER | JSON_ENCODE_ANY);
    input(d, n, label, dump ? dump : json_string_value(v),
          " spellcheck=\"false\"", 2);
    free(dump);
}

static void draw_question(struct draw *d, const json_t *q, size_t i)
{
    enum web_lang lang = d->v->lang;
    struct strbuf *b = d->b;
    char p[32], name[128], id[160], label[256];
    const char *type = str_of(q, "type");
    snprintf(p, sizeof p, "q%zu.", i);
    strbuf_printf(b,
                  "<fieldset class=\"sf-q\" id=\"q%zu\"><legend>%s %zu"
                  "</legend>\n<div class=\"sf-pair\">",
                  i, web_t(lang, "survey_question"), i + 1);
    snprintf(name, sizeof name, "%skey", p);
    snprintf(label, sizeof label, "%s (%s)", web_t(lang, "survey_qkey"),
             web_t(lang, "survey_qkey_rule"));
    input(d, name, label, str_of(q, "key"),
          " autocomplete=\"off\" spellcheck=\"false\"", 0);
    snprintf(name, sizeof name, "%stype", p);
    strbuf_puts(b, "<div class=\"sf-type\">");
    select_open(d, name, web_t(lang, "survey_type"));
    int known = 0;
    for (size_t t = 0; t < N_TYPES; t++) {
        char w[32];
        snprintf(w, sizeof w, "survey_type_%s", types[t]);
        known |= !strcmp(type, types[t]);
        option(d, types[t], web_t(lang, w), !strcmp(type, types[t]));
    }
    if (!known && *type) /* what was posted, to be reported */
        option(d, type, type, 1);
    select_close(d, name);
    strbuf_printf(b,
                  "<button type=\"submit\" class=\"sf-secondary\" "
                  "name=\"op\" value=\"refresh\">%s</button></div></div>\n",
                  web_t(lang, "survey_refresh"));
    text_pair(d, p, "prompt", web_t(lang, "survey_prompt"),
              json_object_get(q, "prompt"), 0);
    text_pair(d, p, "hint", web_t(lang, "survey_hint"),
              json_object_get(q, "hint"), 0);
    snprintf(name, sizeof name, "%srequired", p);
    id_of(id, sizeof id, name);
    strbuf_printf(b,
                  "<div class=\"sf-check\"><input type=\"checkbox\" id=\"%s\" "
                  "name=\"%s\" value=\"yes\"%s",
                  id, name,
                  json_is_true(json_object_get(q, "required")) ? " checked"
                                                               : "");
    fault_attrs(d, id);
    strbuf_printf(b, "><label for=\"%s\">%s</label>", id,
                  web_t(lang, "survey_required"));
    fault_msg(d, id);
    strbuf_puts(b, "</div>\n");
    if (takes(type, "scale")) {
        const json_t *s = json_object_get(q, "scale");
        char v[32] = "";
        if (json_is_integer(s))
            snprintf(v, sizeof v, "%lld", (long long)json_integer_value(s));
        snprintf(name, sizeof name, "%sscale", p);
        snprintf(label, sizeof label, "%s (2–10, %s %d)",
                 web_t(lang, "survey_scale"), web_t(lang, "survey_default"),
                 !strcmp(type, "gap") ? 7 : 5);
        input(d, name, label, json_is_string(s) ? json_string_value(s) : v,
              " inputmode=\"numeric\"", 0);
    }
    static const char *const texts[] = {"low",      "high", "expect",
                                        "perceive", "left", "right"};
    for (size_t k = 0; k < sizeof texts / sizeof texts[0]; k++) {
        char w[32];
        snprintf(w, sizeof w, "survey_%s", texts[k]);
        if (takes(type, texts[k]))
            text_pair(d, p, texts[k], web_t(lang, w),
                      json_object_get(q, texts[k]), 0);
    }
    if (takes(type, "options")) {
        const json_t *a = json_object_get(q, "options");
        size_t n_opt = json_array_size(a) + BLANK_OPTIONS;
        strbuf_printf(b,
                      "<fieldset class=\"sf-opts\"><legend>%s</legend>\n"
                      "<p class=\"note\">%s</p>\n"
                      "<input type=\"hidden\" name=\"%snopt\" value=\"%zu\">\n",
                      web_t(lang, "survey_options"),
                      web_t(lang, "survey_options_note"), p, n_opt);
        for (size_t k = 0; k < n_opt; k++) {
            const json_t *o = json_array_get(a, k);
            const json_t *l = json_object_get(o, "label");
            strbuf_puts(b, "<div class=\"sf-opt\">");
            snprintf(name, sizeof name, "%sopt%zu.key", p, k);
            snprintf(label, sizeof label, "%s %zu: %s",
                     web_t(lang, "survey_option"), k + 1,
                     web_t(lang, "survey_qkey"));
            input(d, name, label, str_of(o, "key"),
                  " autocomplete=\"off\" spellcheck=\"false\"", 0);
            for (int li = 0; li < 2; li++) {
                snprintf(name, sizeof name, "%sopt%zu.%s", p, k,
                         li ? "en" : "sv");
                snprintf(label, sizeof label, "%s %zu (%s)",
                         web_t(lang, "survey_option"), k + 1,
                         web_t(lang, li ? "survey_lang_en" : "survey_lang_sv"));
                input(d, name, label, str_of(l, li ? "en" : "sv"), NULL, 0);
            }
            strbuf_puts(b, "</div>\n");
        }
        strbuf_puts(b, "</fieldset>\n");
    }
    if (takes(type, "corners")) {
        const json_t *a = json_object_get(q, "corners");
        strbuf_printf(b, "<fieldset class=\"sf-opts\"><legend>%s</legend>\n",
                      web_t(lang, "survey_corners"));
        for (int k = 0; k < 3; k++) {
            char cp[80], cl[64];
            snprintf(cp, sizeof cp, "%scorner%d", p, k);
            snprintf(cl, sizeof cl, "%s %d", web_t(lang, "survey_corner"),
                     k + 1);
            /* "q1.corner0" + "" + ".sv": text_pair with an empty name */
            strbuf_puts(b, "<div class=\"sf-pair\">");
            for (int li = 0; li < 2; li++) {
                snprintf(name, sizeof name, "%s.%s", cp, li ? "en" : "sv");
                snprintf(label, sizeof label, "%s (%s)", cl,
                         web_t(lang, li ? "survey_lang_en" : "survey_lang_sv"));
                input(d, name, label,
                      str_of(json_array_get(a, (size_t)k), li ? "en" : "sv"),
                      NULL, 0);
            }
            strbuf_puts(b, "</div>\n");
        }
        strbuf_puts(b, "</fieldset>\n");
    }
    const json_t *w = json_object_get(q, "when"),
                 *vs = json_object_get(q, "variants");
    char wid[64], vid[64];
    snprintf(wid, sizeof wid, "f-q%zu-when", i);
    snprintf(vid, sizeof vid, "f-q%zu-variants", i);
    strbuf_printf(
        b,
        "<details class=\"sf-adv\"%s><summary>%s</summary>\n"
        "<p class=\"note\">%s</p>\n",
        w || vs || at_fault(d, wid) || at_fault(d, vid) ? " open" : "",
        web_t(lang, "survey_advanced"), web_t(lang, "survey_advanced_note"));
    json_box(d, p, "when", web_t(lang, "survey_when"), w);
    json_box(d, p, "variants", web_t(lang, "survey_variants"), vs);
    strbuf_puts(b, "</details>\n<p class=\"sf-qbtns\">");
    if (i > 0)
        strbuf_printf(b,
                      "<button type=\"submit\" class=\"sf-secondary\" "
                      "name=\"up\" value=\"%zu\">%s %zu</button> ",
                      i, web_t(lang, "survey_move_up"), i + 1);
    strbuf_printf(b,
                  "<button type=\"submit\" class=\"sf-secondary\" "
                  "name=\"remove\" value=\"%zu\">%s %zu</button></p>\n"
                  "</fieldset>\n",
                  i, web_t(lang, "survey_remove"), i + 1);
}

void survey_form_render(struct strbuf *b, const json_t *def,
                        const struct survey_form_view *v, int *placed)
{
    struct draw d = {b, v, 0};
    enum web_lang lang = v->lang;
    const json_t *qs = json_object_get(def, "questions");
    size_t n = json_array_size(qs);
    strbuf_puts(b, "<form class=\"sf\" method=\"post\" action=\"");
    text(b, v->action);
    if (lang == WEB_EN)
        strbuf_puts(b, "?lang=en");
    strbuf_puts(b, "\">\n<input type=\"hidden\" name=\"csrf\" value=\"");
    text(b, v->csrf);
    /* the first submit button is the one Enter presses */
    strbuf_printf(b,
                  "\">\n<p class=\"sf-actions\"><button type=\"submit\" "
                  "name=\"op\" value=\"save\">%s</button></p>\n",
                  web_t(lang, "survey_save"));
    draw_survey(&d, def);
    strbuf_printf(b, "<input type=\"hidden\" name=\"nq\" value=\"%zu\">\n", n);
    strbuf_printf(b, "<h3 class=\"sf-qhead\">%s</h3>\n",
                  web_t(lang, "survey_questions"));
    for (size_t i = 0; i < n; i++)
        draw_question(&d, json_array_get(qs, i), i);
    strbuf_printf(b,
                  "<p class=\"sf-actions\"><button type=\"submit\" "
                  "class=\"sf-secondary\" name=\"op\" value=\"add\">%s"
                  "</button> <button type=\"submit\" name=\"op\" "
                  "value=\"save\">%s</button></p>\n</form>\n",
                  web_t(lang, "survey_add"), web_t(lang, "survey_save"));
    if (placed)
        *placed = d.placed;
}

enum survey_form_op survey_form_op(const struct form *f, size_t *arg)
{
    const char *op = form_get(f, "op");
    const char *r = form_get(f, "remove"), *u = form_get(f, "up");
    *arg = 0;
    if (r && *r) {
        *arg = count_of(r, (size_t)-1 / 10);
        return SURVEY_FORM_REMOVE;
    }
    if (u && *u) {
        *arg = count_of(u, (size_t)-1 / 10);
        return SURVEY_FORM_UP;
    }
    if (op && !strcmp(op, "add"))
        return SURVEY_FORM_ADD;
    if (op && !strcmp(op, "refresh"))
        return SURVEY_FORM_REFRESH;
    if (op && !strcmp(op, "json"))
        return SURVEY_FORM_JSON;
    return SURVEY_FORM_SAVE;
}

void survey_form_apply(json_t *def, enum survey_form_op op, size_t arg)
{
    json_t *qs = json_object_get(def, "questions");
    if (!json_is_array(qs)) {
        qs = json_array();
        json_object_set_new(def, "questions", qs);
    }
    size_t n = json_array_size(qs);
    if (op == SURVEY_FORM_ADD && n < MAX_QUESTIONS) {
        json_array_append_new(
            qs, json_pack("{s:s, s:s}", "key", "", "type", "text"));
    } else if (op == SURVEY_FORM_REMOVE && arg < n) {
        json_array_remove(qs, arg);
    } else if (op == SURVEY_FORM_UP && arg > 0 && arg < n) {
        json_t *q = json_incref(json_array_get(qs, arg));
        json_array_remove(qs, arg);
        json_array_insert_new(qs, arg - 1, q);
    }
}
