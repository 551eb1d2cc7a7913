/* Fuzz target: survey definitions. Whatever parses must survive a round
 * trip through survey_def_to_json and render as a page in both
 * languages. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/strbuf.h"
#include "survey/survey.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct survey_def *d = NULL, *again = NULL;
    struct err err = ERR_INIT;
    char *buf = malloc(size ? size : 1);
    if (size)
        memcpy(buf, data, size);
    if (survey_def_parse(&d, buf, size, &err) == 0) {
        char *text = survey_def_to_json(d);
        if (survey_def_parse(&again, text, strlen(text), &err) < 0)
            abort();
        char *text2 = survey_def_to_json(again);
        if (strcmp(text, text2))
            abort();
        free(text);
        free(text2);
        static const char *const langs[] = {"sv", "en"};
        for (int i = 0; i < 2; i++) {
            struct strbuf b = STRBUF_INIT;
            struct survey_page p = {.lang = langs[i],
                                    .action = "/s/x",
                                    .error_field = "nps",
                                    .error_msg = "!",
                                    .asset_base = "/assets/"};
            if (survey_render_page(&b, d, &p, &err) < 0 ||
                survey_render_thanks(&b, d, langs[i], "/", &err) < 0)
                abort();
            strbuf_dispose(&b);
        }
        struct survey_answers a;
        err_clear(&err);
        if (survey_answers_from_json(&a, d, "{}", 2, &err) == 0)
            survey_answers_dispose(&a);
        survey_pick_lang(d, NULL, "en;q=0.5, sv;q=0.4");
    } else if (err.code != ERR_INVALID || d) {
        abort();
    }
    survey_def_free(d);
    survey_def_free(again);
    free(buf);
    return 0;
}
