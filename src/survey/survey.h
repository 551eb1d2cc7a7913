#pragma once
/* Surveys: a definition in JSON (docs/surveys.md), the HTML page that asks
 * it, the answers a respondent posts back, and a QR code and embed snippet
 * that lead to it.
 *
 * A definition is immutable once parsed; every function here only reads
 * it, so one definition may serve many requests at once. */

#include <stddef.h>

#include "http/form.h"
#include "store/model.h"

struct err;
struct strbuf;

struct survey_def;

enum survey_audience { SURVEY_CUSTOMER, SURVEY_EMPLOYEE };

#define SURVEY_DEF_MAX_BYTES ((size_t)1 << 20)

/* Parses and validates json[0..len). Caller frees *out with
 * survey_def_free. ERR_INVALID for bad JSON, a missing, mistyped or
 * unknown field, a text missing in one of the survey's languages, a
 * duplicate key, a `when` that does not name an earlier question it can
 * test, ...: err->where is the JSON path ("questions[3].scale") and the
 * message says what is wrong. */
int survey_def_parse(struct survey_def **out, const char *json, size_t len,
                     struct err *err);
void survey_def_free(struct survey_def *d);

/* Borrowed from d. */
const char *survey_def_key(const struct survey_def *d);
/* The name in lang, falling back to the default language. */
const char *survey_def_name(const struct survey_def *d, const char *lang);
enum survey_audience survey_def_audience(const struct survey_def *d);
/* Canonical JSON that parses back to an equal definition; caller frees. */
char *survey_def_to_json(const struct survey_def *d);

/* The page language: lang_param ("sv"/"en" from ?lang=, may be NULL) if
 * the survey has it, else the best of Accept-Language (may be NULL;
 * q-values honoured, "sv-SE" matches sv), else the survey's default.
 * Returns a static "sv" or "en". */
const char *survey_pick_lang(const struct survey_def *d, const char *lang_param,
                             const char *accept_language);

struct survey_page {
    const char *lang;            /* "sv" or "en" */
    const char *action;          /* form action URL (the renderer escapes it) */
    const struct form *hidden;   /* name/value pairs carried as hidden inputs
                                  * (touchpoint, channel, signed reference,
                                  * client token, CSRF); may be NULL */
    const char *touchpoint_name; /* shown under the heading; may be NULL */
    const struct form *values;   /* values to fill in again after an error;
                                  * may be NULL */
    const char *error_field;     /* the question key at fault, or NULL */
    const char *error_msg;       /* message (already in lang), or NULL */
    const char *asset_base;      /* URL prefix of the assets, "/assets/" */
};

/* Appends a whole HTML5 page (<html lang=..>) with one <form
 * method="post">; it needs survey.css and survey.js from asset_base and
 * nothing else. ERR_INVALID when out's maximum size is reached. */
int survey_render_page(struct strbuf *out, const struct survey_def *d,
                       const struct survey_page *p, struct err *err);
/* Appends the thank-you page shown after a submission. */
int survey_render_thanks(struct strbuf *out, const struct survey_def *d,
                         const char *lang, const char *asset_base,
                         struct err *err);

/* A submission's answers. Texts are as given (the server redacts them
 * after). Initialise with SURVEY_ANSWERS_INIT or let a *_from_* function
 * fill it; free with survey_answers_dispose. */
struct survey_answers {
    int nps, csat, ces;     /* -1 when not answered */
    struct answer *answers; /* store/model.h answers (not nps, csat, ces or
                             * consent), in question order; strings owned
                             * by this struct */
    int n_answers;
    int consent; /* 1 when a consent question was answered yes */
    void *priv;  /* owned storage */
};

#define SURVEY_ANSWERS_INIT                                                    \
    {                                                                          \
        -1, -1, -1, NULL, 0, 0, NULL                                           \
    }

/* From a posted form. Field names: the question key ("nps=9",
 * "comment=..", "speed=4", "contact_channel=app", "contact=yes",
 * "pace=37" (0..100)); gap: "quality.expect" and "quality.perceive";
 * story: "story" and "story.title"; triad: "felt.1", "felt.2", "felt.3"
 * weights 0..100 (all three given, sum > 0; normalised to sum 1). Other
 * fields (hidden context fields) are ignored. Follow-ups whose `when`
 * does not hold are dropped, not errors. A required question unanswered,
 * a value out of range, an unknown option: ERR_INVALID with err->where =
 * the question key and the message in English; *msg_lang (msg_lang may be
 * NULL) gets a static message for the respondent in lang. On error *out
 * holds nothing to free. */
int survey_answers_from_form(struct survey_answers *out,
                             const struct survey_def *d, const struct form *f,
                             const char *lang, const char **msg_lang,
                             struct err *err);
/* The same from a JSON object {"nps": 9, "comment": "..", "quality":
 * {"expect": 5, "perceive": 3}, "story": {"title": "..", "text": ".."},
 * "felt": [0.2, 0.3, 0.5], "pace": 0.37, "contact": true, ...} (dyad
 * 0..1; triad weights non-negative, summing > 0, normalised). A null
 * value is no answer. Unknown keys are ERR_INVALID naming the key. */
int survey_answers_from_json(struct survey_answers *out,
                             const struct survey_def *d, const char *json,
                             size_t len, struct err *err);
/* The same from a JSON object already parsed (jansson's json_t, read
 * only): the server's submission, whose body holds the answers. */
struct json_t;
int survey_answers_from_object(struct survey_answers *out,
                               const struct survey_def *d,
                               const struct json_t *answers, struct err *err);
/* Frees what a is holding and leaves it as SURVEY_ANSWERS_INIT. Accepts
 * NULL. */
void survey_answers_dispose(struct survey_answers *a);

/* Appends a QR code of url as a standalone SVG (error correction M, a
 * 4-module quiet zone, one <path>, role="img" with aria-label and title).
 * ERR_INVALID for an empty url or one too long for a QR code. */
int survey_qr_svg(struct strbuf *out, const char *url, struct err *err);
/* Appends an HTML snippet to paste into a web page: an <iframe> of url
 * titled `title`, sized for a phone, and a plain link as a fallback; both
 * escaped. ERR_INVALID unless url is http(s) or a path. */
int survey_embed_snippet(struct strbuf *out, const char *url, const char *title,
                         struct err *err);
