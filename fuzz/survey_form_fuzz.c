/* Fuzz target: the survey builder's form (src/server/survey_form.c). A
 * posted body is read into a definition whatever it holds; the
 * operations of its buttons apply; the form draws it again with the
 * error of the survey module beside its field; and whatever the survey
 * module accepts survives its own round trip. */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/strbuf.h"
#include "http/form.h"
#include "server/survey_form.h"
#include "survey/survey.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct form f = FORM_INIT;
    struct err err = ERR_INIT;
    char *buf = malloc(size ? size : 1);
    if (size)
        memcpy(buf, data, size);
    if (form_parse(&f, buf, size, &err) == 0) {
        size_t arg;
        enum survey_form_op op = survey_form_op(&f, &arg);
        json_t *def = survey_form_read(&f);
        if (!json_is_object(def) ||
            !json_is_array(json_object_get(def, "questions")))
            abort();
        survey_form_apply(def, op, arg);
        survey_form_prune(def);
        err_clear(&err);
        struct survey_def *d = NULL;
        char *text = json_dumps(def, JSON_PRESERVE_ORDER | JSON_COMPACT);
        if (!text)
            abort();
        if (survey_form_check(def, &err) == 0 &&
            survey_def_parse(&d, text, strlen(text), &err) == 0) {
            char *canon = survey_def_to_json(d);
            struct survey_def *again = NULL;
            if (survey_def_parse(&again, canon, strlen(canon), &err) < 0)
                abort();
            survey_def_free(again);
            free(canon);
        } else if (err.code != ERR_INVALID) {
            abort();
        }
        char id[96];
        survey_form_field_of(err.where, id, sizeof id);
        struct survey_form_view v = {WEB_EN, "/app/surveys",    "t",
                                     0,      id[0] ? id : NULL, err.msg};
        struct strbuf b = STRBUF_INIT;
        int placed = 0;
        survey_form_render(&b, def, &v, &placed);
        if (!b.n || (placed && !id[0]))
            abort();
        strbuf_dispose(&b);
        survey_def_free(d);
        free(text);
        json_decref(def);
    }
    form_dispose(&f);
    free(buf);
    return 0;
}
