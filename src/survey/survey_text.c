/* Fixed texts of the survey pages and messages, in Swedish and English. */
#include "survey/survey_int.h"

static const char *const texts[SV_MSG_COUNT][SV_NLANG] = {
    [SV_MSG_REQUIRED] = {"Svara på den här frågan.",
                         "Please answer this question."},
    [SV_MSG_RANGE] = {"Välj ett värde på skalan.",
                      "Please choose a value on the scale."},
    [SV_MSG_OPTION] = {"Välj ett av alternativen.",
                       "Please choose one of the options."},
    [SV_MSG_BOTH] = {"Besvara båda delarna.", "Please answer both parts."},
    [SV_MSG_TRIAD] = {"Ange alla tre värdena (0–100), minst ett över 0.",
                      "Please give all three values (0–100), at least one "
                      "above 0."},
    [SV_MSG_TOO_LONG] = {"Texten är för lång.", "The text is too long."},
    [SV_MSG_STORY] = {"Skriv också själva berättelsen, inte bara rubriken.",
                      "Please write the story as well as its title."},
    [SV_UI_NPS_LOW] = {"Inte alls troligt", "Not at all likely"},
    [SV_UI_NPS_HIGH] = {"Mycket troligt", "Extremely likely"},
    [SV_UI_CSAT_LOW] = {"Mycket missnöjd", "Very dissatisfied"},
    [SV_UI_CSAT_HIGH] = {"Mycket nöjd", "Very satisfied"},
    [SV_UI_CES_LOW] = {"Mycket svårt", "Very difficult"},
    [SV_UI_CES_HIGH] = {"Mycket lätt", "Very easy"},
    [SV_UI_LOWEST] = {"Lägst", "Lowest"},
    [SV_UI_HIGHEST] = {"Högst", "Highest"},
    [SV_UI_EXPECT] = {"Vad du förväntade dig", "What you expected"},
    [SV_UI_PERCEIVE] = {"Vad du upplevde", "What you experienced"},
    [SV_UI_STORY_TITLE] = {"Rubrik", "Title"},
    [SV_UI_STORY_TEXT] = {"Din berättelse", "Your story"},
    [SV_UI_TRIAD_HINT] = {"Fördela 100 poäng mellan de tre.",
                          "Share 100 points between the three."},
    [SV_UI_TRIAD_JS_HINT] = {"Dra punkten, eller använd piltangenterna. "
                             "Home återställer till mitten.",
                             "Drag the point, or use the arrow keys. Home "
                             "puts it back in the middle."},
    [SV_UI_DYAD_UNSET] = {"Inte besvarad: flytta reglaget för att svara.",
                          "Not answered: move the slider to answer."},
    [SV_UI_TRIAD_UNSET] = {"inte angivet än", "not set yet"},
    [SV_UI_REQUIRED] = {"(obligatorisk)", "(required)"},
    [SV_UI_ERROR_TITLE] = {"Något behöver rättas", "There is a problem"},
    [SV_UI_ERROR_PREFIX] = {"Fel:", "Error:"},
    [SV_UI_SUBMIT] = {"Skicka", "Send"},
    [SV_UI_THANKS] = {"Tack för dina svar!", "Thank you for your answers!"},
    [SV_UI_IF] = {"Om du svarade ", "If you answered "},
    [SV_UI_OR] = {" eller ", " or "},
    [SV_UI_CLOSE] = {"Du kan stänga fönstret nu.",
                     "You can close this window now."},
};

const char *sv_msg(enum sv_msg m, int li)
{
    if ((unsigned)m >= SV_MSG_COUNT)
        return "";
    return texts[m][li == 0 ? 0 : 1];
}
