#include "report/journey_report.h"

#include <stdio.h>

#include "core/strbuf.h"
#include "ingest/journey_def.h"
#include "report/result.h"
#include "store/model.h"

struct result *journey_report_build(const struct journey_def *d)
{
    struct result *r = result_new();
    struct result_table *t = result_table_new(r, "touchpoints", NULL);
    struct strbuf b = STRBUF_INIT;
    result_table_empty(t, "no journeys yet (load one with 'resonans journey "
                          "load FILE')");
    result_col(t, "journey", "journey", RESULT_TEXT, 0, RESULT_FOR_PROGRAMS);
    result_col(t, "journey_name", "journey", RESULT_TEXT, 0, 0);
    result_col(t, "lifecycle", "lifecycle", RESULT_TEXT, 0, 0);
    result_col(t, "stage_position", "#", RESULT_INTEGER, 0, 0);
    result_col(t, "stage", "stage", RESULT_TEXT, 0, RESULT_FOR_PROGRAMS);
    result_col(t, "stage_name", "stage", RESULT_TEXT, 0, 0);
    result_col(t, "touchpoint", "touchpoint", RESULT_TEXT, 0, 0);
    result_col(t, "touchpoint_name", "name", RESULT_TEXT, 0, 0);
    result_col(t, "channel", "channel", RESULT_TEXT, 0, 0);
    result_col(t, "owner", "owner", RESULT_TEXT, 0, 0);
    result_col(t, "moment_of_truth", "moment of truth", RESULT_BOOLEAN, 0, 0);
    result_col(t, "physical", "physical", RESULT_BOOLEAN, 0, 0);
    result_col(t, "aliases", "aliases", RESULT_TEXT, 0, 0);
    for (size_t i = 0; i < d->n_journeys; i++) {
        const struct journey_def_journey *j = &d->journeys[i];
        for (size_t k = 0; k < j->n_stages; k++) {
            const struct journey_def_stage *st = &j->stages[k];
            size_t n = st->n_touchpoints ? st->n_touchpoints : 1;
            for (size_t x = 0; x < n; x++) {
                const struct journey_def_touchpoint *tp =
                    st->n_touchpoints ? &st->touchpoints[x] : NULL;
                result_row(t);
                result_add_text(t, j->key);
                result_add_text(t, j->name);
                result_add_text(t, lifecycle_name(j->lifecycle));
                result_add_int(t, (int64_t)k + 1);
                result_add_text(t, st->key);
                result_add_text(t, st->name);
                if (!tp) {
                    for (int c = 0; c < 7; c++)
                        result_add_null(t);
                    continue;
                }
                result_add_text(t, tp->key);
                result_add_text(t, tp->name);
                result_add_text(t, tp->channel);
                result_add_text(t, tp->owner);
                result_add_bool(t, tp->moment_of_truth);
                result_add_bool(t, tp->physical);
                strbuf_reset(&b);
                for (size_t a = 0; a < tp->n_aliases; a++)
                    strbuf_printf(&b, "%s%s", a ? "; " : "", tp->aliases[a]);
                result_add_text(t, b.n ? strbuf_str(&b) : NULL);
            }
        }
    }
    strbuf_dispose(&b);
    return r;
}
