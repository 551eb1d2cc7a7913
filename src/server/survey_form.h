#pragma once
/* The survey builder's form (docs/web.md): a survey definition
 * (docs/surveys.md) as a plain HTML form that works without JavaScript,
 * and the posted form back into a definition in JSON, for the survey
 * module's own parser (survey_def_parse) to validate. Private to
 * src/server (page_surveys.c).
 *
 * The builder's state between posts is the definition's JSON itself, as
 * far as the form has filled it in: survey_form_read gives it from a
 * post, survey_form_render draws it. Field names are "key", "name.sv",
 * "languages", "q3.prompt.en", "q3.opt1.key", "q3.corner2.sv",
 * "q3.when", ...; an element's id is its name with '.' as '-' and an
 * "f-" before it ("f-q3-prompt-en"). */

#include <stddef.h>

#include "web/page.h"

struct err;
struct form;
struct json_t;
struct strbuf;

/* The definition a post describes, as a JSON object (caller frees with
 * json_decref). Never NULL. Every question posted is kept, blank ones
 * too (so "remove" and "move up" can name a question by its number);
 * option rows with every field empty are dropped. A text whose fields
 * are all empty is left out; a language left empty is left out of the
 * text; a scale that is not a whole number is kept as text, and a
 * condition or variants that are not JSON as their text, so that the
 * form can show what was typed (survey_form_check reports them). Only
 * the fields the question's type takes are read. */
struct json_t *survey_form_read(const struct form *f);

/* Removes the questions whose text fields (key, texts, options, corners,
 * condition and variants) are all empty: a question added and left
 * blank is not saved. */
void survey_form_prune(struct json_t *def);

/* What survey_def_parse cannot say about a post: a condition or variants
 * that is not JSON. 0, or ERR_INVALID with err->where the JSON path
 * ("questions[2].when") and the message. */
int survey_form_check(const struct json_t *def, struct err *err);

/* The id of the form field that JSON path `where` (err->where of
 * survey_def_parse, "questions[3].prompt.en") names, into out ("f-q3-
 * prompt-en"); "" when no field of the form holds it. */
void survey_form_field_of(const char *where, char *out, size_t cap);

/* What the form is drawn with. */
struct survey_form_view {
    enum web_lang lang;
    const char *action; /* where it posts, e.g. "/app/surveys/repair" */
    const char *csrf;   /* the session's CSRF token */
    int editing;        /* 1: the key is fixed (a stored survey) */
    const char *err_id; /* the field at fault (survey_form_field_of), or
                         * NULL; its message err_msg is shown beside it */
    const char *err_msg;
};

/* Appends the builder's <form> for def (a JSON object, may be NULL for
 * an empty one). *placed (may be NULL) is 1 when the error was shown
 * beside its field. Every field is labelled; the first submit button is
 * "save", so that Enter in a field saves rather than removes. */
void survey_form_render(struct strbuf *b, const struct json_t *def,
                        const struct survey_form_view *v, int *placed);

/* What a post asks for besides saving. */
enum survey_form_op {
    SURVEY_FORM_SAVE,
    SURVEY_FORM_ADD,     /* one more empty question */
    SURVEY_FORM_REMOVE,  /* remove question *arg */
    SURVEY_FORM_UP,      /* move question *arg one up */
    SURVEY_FORM_REFRESH, /* draw again (the fields of a changed type) */
    SURVEY_FORM_JSON     /* save the "json" field, the whole definition */
};
/* The post's operation from its buttons ("op", "remove", "up"). */
enum survey_form_op survey_form_op(const struct form *f, size_t *arg);
/* Applies ADD, REMOVE or UP to def's questions (nothing for others or
 * an index out of range). */
void survey_form_apply(struct json_t *def, enum survey_form_op op, size_t arg);
