/* Fuzz target: answers as JSON, and the same bytes as a posted form,
 * against a fixed definition (data/surveys/repair.json). Accepted answers
 * keep their invariants; a form's values render back into the page. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/strbuf.h"
#include "http/form.h"
#include "survey/survey.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char def_json[] =
    "{\"key\":\"repair\",\"name\":{\"sv\":\"Efter "
    "reparationen\",\"en\":\"After the repa"
    "ir\"},\"intro\":{\"sv\":\"Tre minuter om reparationen vi just gjorde. "
    "Dina s"
    "var hjälper oss att bli bättre.\",\"en\":\"Three minutes about the repair "
    "we just did. Your answers help us do better.\"},\"thanks\":{\"sv\":\"Tack "
    "fö"
    "r att du svarade!\",\"en\":\"Thank you for "
    "answering!\"},\"languages\":[\"sv\","
    "\"en\"],\"audience\":\"customer\",\"questions\":[{\"key\":\"nps\","
    "\"type\":\"nps\",\"re"
    "quired\":true,\"prompt\":{\"sv\":\"Hur troligt är det att du skulle "
    "rekommen"
    "dera oss till en vän eller kollega?\",\"en\":\"How likely are you to recom"
    "mend us to a friend or "
    "colleague?\"}},{\"key\":\"why\",\"type\":\"text\",\"when\""
    ":{\"question\":\"nps\",\"max\":6},\"prompt\":{\"sv\":\"Vad var det som "
    "inte funge"
    "rade?\",\"en\":\"What did not work for "
    "you?\"}},{\"key\":\"comment\",\"type\":\"te"
    "xt\",\"prompt\":{\"sv\":\"Vad kan vi göra bättre?\",\"en\":\"What should "
    "we do b"
    "etter?\"},\"hint\":{\"sv\":\"Skriv inte personnummer eller annat "
    "känsligt.\","
    "\"en\":\"Please leave out personal identity numbers and other sensitive d"
    "etails.\"},\"variants\":[{\"when\":{\"question\":\"nps\",\"min\":9},"
    "\"prompt\":{\"sv"
    "\":\"Vad gjorde vi bra?\",\"en\":\"What did we do "
    "well?\"}}]},{\"key\":\"speed\","
    "\"type\":\"rating\",\"scale\":5,\"prompt\":{\"sv\":\"Hur nöjd är du med "
    "hur snabb"
    "t reparationen gjordes?\",\"en\":\"How satisfied are you with how quickly "
    "the repair was done?\"},\"low\":{\"sv\":\"Inte alls nöjd\",\"en\":\"Not "
    "at all s"
    "atisfied\"},\"high\":{\"sv\":\"Mycket nöjd\",\"en\":\"Very "
    "satisfied\"}},{\"key\":\""
    "quality\",\"type\":\"gap\",\"scale\":7,\"prompt\":{\"sv\":\"Kvaliteten på "
    "arbetet\""
    ",\"en\":\"The quality of the work\"},\"low\":{\"sv\":\"Mycket "
    "låg\",\"en\":\"Very l"
    "ow\"},\"high\":{\"sv\":\"Mycket hög\",\"en\":\"Very "
    "high\"}},{\"key\":\"contact_chan"
    "nel\",\"type\":\"choice\",\"prompt\":{\"sv\":\"Hur anmälde du "
    "felet?\",\"en\":\"How "
    "did you report the "
    "fault?\"},\"options\":[{\"key\":\"app\",\"label\":{\"sv\":\"I a"
    "ppen\",\"en\":\"In the app\"}},{\"key\":\"web\",\"label\":{\"sv\":\"På "
    "webben\",\"en\":"
    "\"On the web\"}},{\"key\":\"phone\",\"label\":{\"sv\":\"Per "
    "telefon\",\"en\":\"By pho"
    "ne\"}},{\"key\":\"office\",\"label\":{\"sv\":\"På kontoret\",\"en\":\"At "
    "the office\""
    "}}]},{\"key\":\"call_wait\",\"type\":\"rating\",\"scale\":5,\"when\":{"
    "\"question\":\""
    "contact_channel\",\"is\":[\"phone\"]},\"prompt\":{\"sv\":\"Hur nöjd är du "
    "med vä"
    "ntetiden i telefon?\",\"en\":\"How satisfied are you with the waiting time"
    " on the "
    "phone?\"}},{\"key\":\"story\",\"type\":\"story\",\"prompt\":{\"sv\":"
    "\"Berätt"
    "a om något som hände under reparationen, stort eller litet.\",\"en\":\"Tel"
    "l us about something that happened during the repair, big or small.\"}}"
    ",{\"key\":\"felt\",\"type\":\"triad\",\"prompt\":{\"sv\":\"I din "
    "berättelse, vad be"
    "tydde mest?\",\"en\":\"In your story, what mattered "
    "most?\"},\"corners\":[{\"s"
    "v\":\"Att det gick snabbt\",\"en\":\"That it was quick\"},{\"sv\":\"Att "
    "det blev"
    " rätt\",\"en\":\"That it was done right\"},{\"sv\":\"Att jag blev väl "
    "bemött\","
    "\"en\":\"That I was treated "
    "well\"}]},{\"key\":\"pace\",\"type\":\"dyad\",\"prompt\""
    ":{\"sv\":\"Hur var tempot i kontakten med oss?\",\"en\":\"How was the "
    "pace of"
    " your contact with us?\"},\"left\":{\"sv\":\"Alldeles för "
    "långsamt\",\"en\":\"Fa"
    "r too slow\"},\"right\":{\"sv\":\"Alldeles för stressigt\",\"en\":\"Far "
    "too rush"
    "ed\"}},{\"key\":\"contact\",\"type\":\"consent\",\"prompt\":{\"sv\":\"Ni "
    "får kontakt"
    "a mig om mina svar.\",\"en\":\"You may contact me about my answers.\"}}]}";

static void check(const struct survey_answers *a)
{
    if (a->nps < -1 || a->nps > 10 || a->csat != -1 || a->ces != -1)
        abort();
    for (int i = 0; i < a->n_answers; i++) {
        const struct answer *x = &a->answers[i];
        if (!x->question)
            abort();
        if (x->kind == ANSWER_TRIAD && fabs(x->v1 + x->v2 + x->v3 - 1) > 1e-9)
            abort();
        if (x->kind == ANSWER_DYAD && !(x->v1 >= 0 && x->v1 <= 1))
            abort();
        if ((x->kind == ANSWER_TEXT || x->kind == ANSWER_CHOICE ||
             x->kind == ANSWER_STORY) &&
            !x->text)
            abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct survey_def *d = NULL;
    struct survey_answers a;
    struct err err = ERR_INIT;
    struct form f = FORM_INIT;
    char *buf = malloc(size ? size : 1);
    if (size)
        memcpy(buf, data, size);
    if (survey_def_parse(&d, def_json, sizeof def_json - 1, &err) < 0)
        abort();
    if (survey_answers_from_json(&a, d, buf, size, &err) == 0) {
        check(&a);
        survey_answers_dispose(&a);
    } else if (err.code != ERR_INVALID || a.answers) {
        abort();
    }
    err_clear(&err);
    if (form_parse(&f, buf, size, &err) == 0) {
        const char *msg = NULL;
        struct strbuf b = STRBUF_INIT;
        struct survey_page p = {.lang = "en",
                                .action = "/s/repair",
                                .values = &f,
                                .hidden = &f,
                                .asset_base = "/assets/"};
        if (survey_answers_from_form(&a, d, &f, "sv", &msg, &err) == 0) {
            check(&a);
            survey_answers_dispose(&a);
        } else if (!msg || err.code != ERR_INVALID) {
            abort();
        } else {
            p.error_field = err.where;
            p.error_msg = msg;
        }
        if (survey_render_page(&b, d, &p, &err) < 0)
            abort();
        strbuf_dispose(&b);
        form_dispose(&f);
    }
    survey_def_free(d);
    free(buf);
    return 0;
}
