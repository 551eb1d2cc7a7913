#include "report/verbatims_report.h"

#include <jansson.h>
#include <math.h>
#include <string.h>

#include "core/strbuf.h"
#include "core/tstamp.h"
#include "report/result.h"
#include "store/model.h"
#include "text/pii.h"

struct result *verbatims_report_new(const char *const *fields, size_t n_fields)
{
    struct result *r = result_new();
    struct result_table *t = result_table_new(r, "comments", NULL);
    result_table_layout(t, RESULT_RECORDS);
    result_table_empty(t, "no comments match");
    result_col(t, "response", "response", RESULT_TEXT, 0, RESULT_FOR_PROGRAMS);
    result_col(t, "submitted_at", "submitted", RESULT_TEXT, 0,
               RESULT_FOR_PROGRAMS);
    result_col(t, "date", "date", RESULT_TEXT, 0,
               RESULT_FOR_PEOPLE | RESULT_HEAD);
    result_col(t, "touchpoint", "touchpoint", RESULT_TEXT, 0, RESULT_HEAD);
    result_col(t, "response_id", "response", RESULT_TEXT, 0,
               RESULT_FOR_PEOPLE | RESULT_HEAD);
    result_col(t, "question", "question", RESULT_TEXT, 0, RESULT_FOR_PROGRAMS);
    result_col(t, "nps", "NPS", RESULT_INTEGER, 0,
               RESULT_HEAD | RESULT_LABELLED);
    result_col(t, "csat", "CSAT", RESULT_INTEGER, 0,
               RESULT_HEAD | RESULT_LABELLED);
    result_col(t, "ces", "CES", RESULT_INTEGER, 0,
               RESULT_HEAD | RESULT_LABELLED);
    result_col(t, "sentiment", "sentiment", RESULT_TEXT, 0,
               RESULT_FOR_PEOPLE | RESULT_HEAD);
    result_col(t, "score", "score", RESULT_NUMBER, 2,
               RESULT_HEAD | RESULT_SIGNED);
    result_col(t, "language", "language", RESULT_TEXT, 0, RESULT_HEAD);
    result_col(t, "label", "label", RESULT_TEXT, 0, RESULT_FOR_PROGRAMS);
    result_col(t, "text", "text", RESULT_TEXT, 0, RESULT_QUOTED);
    result_col(t, "words", "words", RESULT_TEXT, 0,
               RESULT_FOR_PEOPLE | RESULT_LABELLED);
    result_col(t, "themes_text", "themes", RESULT_TEXT, 0,
               RESULT_FOR_PEOPLE | RESULT_LABELLED);
    result_col(t, "redacted_text", "redacted", RESULT_TEXT, 0,
               RESULT_FOR_PEOPLE | RESULT_LABELLED);
    result_col(t, "redacted", "redacted", RESULT_JSON, 0, RESULT_FOR_PROGRAMS);
    result_col(t, "themes", "themes", RESULT_JSON, 0, RESULT_FOR_PROGRAMS);
    result_col(t, "explanation", "explanation", RESULT_JSON, 0,
               RESULT_FOR_PROGRAMS);
    /* a field named like a column above (language, touchpoint, nps)
     * keeps its name for people and is by:FIELD for programs */
    struct strbuf key = STRBUF_INIT;
    for (size_t i = 0; i < n_fields; i++) {
        strbuf_reset(&key);
        strbuf_printf(&key, "%s%s", result_col_has(t, fields[i]) ? "by:" : "",
                      fields[i]);
        result_col(t, strbuf_str(&key), fields[i], RESULT_TEXT, 0,
                   RESULT_HEAD | RESULT_LABELLED | RESULT_NUMBERS);
    }
    strbuf_dispose(&key);
    result_meta_int(r, "fields", NULL, (int64_t)n_fields);
    return r;
}

/* The explanation's words, `"word" -1.48 (rules)`, for people. */
static void words_text(struct strbuf *b, json_t *words)
{
    for (size_t i = 0; i < json_array_size(words); i++) {
        json_t *v = json_array_get(words, i);
        const char *w = json_string_value(json_array_get(v, 0));
        strbuf_printf(b, "%s\"%s\" %+.2f", i ? ", " : "", w ? w : "",
                      json_number_value(json_array_get(v, 1)));
        const char *rule = json_string_value(json_array_get(v, 2));
        if (rule)
            strbuf_printf(b, " (%s)", rule);
    }
}

/* The themes with their aspect sentiment and the terms they were found
 * by, `digital/login -0.36 ("logga in")`, for people. */
static void themes_text(struct strbuf *b, const struct comment_analysis *an,
                        json_t *terms)
{
    for (int m = 0; m < an->n_mentions; m++) {
        const char *key = an->mentions[m].theme;
        json_t *t = json_object_get(terms, key);
        strbuf_printf(b, "%s%s %+.2f", m ? ", " : "", key,
                      an->mentions[m].sentiment);
        for (size_t k = 0; k < json_array_size(t); k++) {
            const char *term = json_string_value(json_array_get(t, k));
            strbuf_printf(b, "%s\"%s\"", k ? ", " : " (", term ? term : "");
        }
        if (json_array_size(t))
            strbuf_putc(b, ')');
    }
}

static void add_score(struct result_table *t, int v)
{
    if (v >= 0)
        result_add_int(t, v);
    else
        result_add_null(t);
}

void verbatims_report_add(struct result *res, const struct response *r,
                          const struct answer *a, const char *const *values,
                          size_t n)
{
    static const struct comment_analysis none = {NULL, 0,    NAN,  NULL, 0,
                                                 0,    NULL, NULL, 0};
    const struct comment_analysis *an = a->analysis ? a->analysis : &none;
    struct result_table *t = result_table_find(res, "comments");
    struct strbuf b = STRBUF_INIT;
    json_error_t je;
    json_t *ex = an->explanation ? json_loads(an->explanation, 0, &je) : NULL;
    char when[40];
    int scored = an->label != NULL && isfinite(an->score);

    tstamp_format(when, sizeof when, r->ts, r->tz_min);
    result_row(t);
    result_add_text(t, r->ext_id);
    result_add_text(t, when);
    result_add_textn(t, when, strnlen(when, 10));
    result_add_text(t, r->touchpoint);
    result_add_text(t, r->ext_id);
    result_add_text(t, a->question);
    add_score(t, r->nps);
    add_score(t, r->csat);
    add_score(t, r->ces);
    result_add_text(t, scored ? an->label : "not scored");
    result_add_num(t, scored ? an->score : NAN);
    result_add_text(t, an->language);
    result_add_text(t, scored ? an->label : NULL);
    result_add_text(t, a->text ? a->text : "");

    words_text(&b, json_object_get(ex, "words"));
    result_add_text(t, b.n ? b.p : NULL);
    strbuf_reset(&b);
    themes_text(&b, an, json_object_get(ex, "terms"));
    result_add_text(t, b.n ? b.p : NULL);
    strbuf_reset(&b);
    if (an->n_redactions) {
        int first = 1;
        strbuf_printf(&b, "%d (", an->n_redactions);
        for (int k = 0; k < PII_N_KINDS; k++)
            if (an->redactions & PII_BIT(k)) {
                strbuf_printf(&b, "%s%s", first ? "" : ", ",
                              pii_kind_name((enum pii_kind)k));
                first = 0;
            }
        strbuf_putc(&b, ')');
    }
    result_add_text(t, b.n ? b.p : NULL);

    strbuf_reset(&b);
    strbuf_putc(&b, '[');
    for (int k = 0, first = 1; k < PII_N_KINDS; k++)
        if (an->redactions & PII_BIT(k)) {
            const char *name = pii_kind_name((enum pii_kind)k);
            if (!first)
                strbuf_putc(&b, ',');
            strbuf_json_string(&b, name, strlen(name));
            first = 0;
        }
    strbuf_putc(&b, ']');
    result_add_json(t, b.p, b.n);
    strbuf_reset(&b);
    strbuf_putc(&b, '{');
    for (int m = 0; m < an->n_mentions; m++) {
        const char *key = an->mentions[m].theme;
        if (m)
            strbuf_putc(&b, ',');
        strbuf_json_string(&b, key, strlen(key));
        strbuf_printf(&b, ":%.4f", an->mentions[m].sentiment);
    }
    strbuf_putc(&b, '}');
    result_add_json(t, b.p, b.n);
    result_add_json(t, an->explanation,
                    an->explanation ? strlen(an->explanation) : 0);
    for (size_t i = 0; i < n; i++)
        if (values[i])
            result_add_text(t, values[i]);
        else
            result_add_null(t);
    json_decref(ex);
    strbuf_dispose(&b);
}
