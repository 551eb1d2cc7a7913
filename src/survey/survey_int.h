#pragma once
/* Private to src/survey: the parsed definition and the texts shared by
 * the page renderer and the answer parser. */

#include "survey/survey.h"

#define SV_NLANG 2 /* 0 = sv, 1 = en */
#define SV_MAX_QUESTIONS 100
#define SV_MAX_OPTIONS 50
#define SV_MAX_VARIANTS 10
#define SV_MAX_TEXT 2000    /* bytes of a prompt or label */
#define SV_MAX_ANSWER 16000 /* bytes of a text answer */
/* The page's maxlength, in characters (UTF-16 units, at most 3 bytes of
 * UTF-8 each), so that what the browser lets through is never too long */
#define SV_MAX_ANSWER_CHARS 4000

enum sv_type {
    SV_NPS,
    SV_CSAT,
    SV_CES,
    SV_RATING,
    SV_GAP,
    SV_CHOICE,
    SV_TEXT,
    SV_STORY,
    SV_TRIAD,
    SV_DYAD,
    SV_CONSENT
};

/* A text in each language; NULL where not given. */
struct sv_text {
    char *t[SV_NLANG];
};

/* A condition on the answer to an earlier question. */
struct sv_when {
    int question; /* index of the earlier question; -1 = none */
    int has_min, has_max;
    int min, max;
    char **is; /* option keys (choice) */
    int n_is;
};

struct sv_option {
    char *key;
    struct sv_text label;
};

struct sv_variant {
    struct sv_when when;
    struct sv_text prompt;
};

struct sv_question {
    char *key;
    enum sv_type type;
    struct sv_text prompt;
    struct sv_text hint; /* optional */
    int required;
    int scale; /* the highest value on the scale: nps 10, csat 5, ... */
    struct sv_text low, high; /* scale end labels; left/right of a dyad */
    struct sv_text expect, perceive; /* gap: the two halves' labels */
    struct sv_text corners[3];       /* triad */
    struct sv_option *options;       /* choice */
    int n_options;
    struct sv_when when; /* when.question -1: always asked */
    struct sv_variant *variants;
    int n_variants;
};

struct survey_def {
    char *key;
    struct sv_text name, intro, thanks;
    int langs[SV_NLANG]; /* language indexes, the default first */
    int n_langs;
    enum survey_audience audience;
    struct sv_question *q;
    int n_q;
};

/* "sv" -> 0, "en" -> 1, else -1. */
int sv_lang_index(const char *code);
const char *sv_lang_code(int i);
/* The lowest value of a numeric question's scale (nps 0, others 1). */
int sv_scale_min(const struct sv_question *q);
const char *sv_type_name(enum sv_type t);
/* t in language li, else in the survey's default, else any; "" if none. */
const char *sv_text_get(const struct survey_def *d, const struct sv_text *t,
                        int li);

/* Texts of the page and messages for respondents, in sv and en
 * (survey_text.c). */
enum sv_msg {
    SV_MSG_REQUIRED,
    SV_MSG_RANGE,
    SV_MSG_OPTION,
    SV_MSG_BOTH,
    SV_MSG_TRIAD,
    SV_MSG_TOO_LONG,
    SV_MSG_STORY,
    SV_UI_NPS_LOW,
    SV_UI_NPS_HIGH,
    SV_UI_CSAT_LOW,
    SV_UI_CSAT_HIGH,
    SV_UI_CES_LOW,
    SV_UI_CES_HIGH,
    SV_UI_LOWEST,
    SV_UI_HIGHEST,
    SV_UI_EXPECT,
    SV_UI_PERCEIVE,
    SV_UI_STORY_TITLE,
    SV_UI_STORY_TEXT,
    SV_UI_TRIAD_HINT,
    SV_UI_TRIAD_JS_HINT,
    SV_UI_DYAD_UNSET,
    SV_UI_TRIAD_UNSET,
    SV_UI_REQUIRED,
    SV_UI_ERROR_TITLE,
    SV_UI_ERROR_PREFIX,
    SV_UI_SUBMIT,
    SV_UI_THANKS,
    SV_UI_IF,    /* "If you answered " */
    SV_UI_OR,    /* " or " */
    SV_UI_CLOSE, /* a window may be closed now */
    SV_MSG_COUNT
};

/* The text of m in language li (0 sv, 1 en); static. */
const char *sv_msg(enum sv_msg m, int li);
