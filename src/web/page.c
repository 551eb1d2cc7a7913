/* The frame of a web app page, the words of the interface and the choice
 * of language (page.h). */
#include "web/page.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "core/escape.h"
#include "core/strbuf.h"

/* ---- words ---- */

/* Sorted by nothing: the table is small and read by a linear scan. Every
 * key has both languages (tests/web/test_page.c checks it). */
static const struct word {
    const char *key, *sv, *en;
} words[] = {
    /* views */
    {"overview", "Översikt", "Overview"},
    {"journey", "Kundresa", "Journey"},
    {"touchpoints", "Kontaktpunkter", "Touchpoints"},
    {"touchpoint", "Kontaktpunkt", "Touchpoint"},
    {"priorities", "Prioriteringar", "Priorities"},
    {"personas", "Personas", "Personas"},
    {"stories", "Berättelser", "Stories"},
    {"cases", "Ärenden", "Cases"},
    {"case", "Ärende", "Case"},
    {"surveys", "Enkäter", "Surveys"},
    {"admin", "Administration", "Admin"},
    /* signing in */
    {"log_in", "Logga in", "Log in"},
    {"log_out", "Logga ut", "Log out"},
    {"user_name", "Användarnamn", "User name"},
    {"password", "Lösenord", "Password"},
    {"login_failed", "Fel användarnamn eller lösenord.",
     "Wrong user name or password."},
    {"signed_in_as", "Inloggad som", "Signed in as"},
    /* filters and exports */
    {"filter", "Filter", "Filter"},
    {"period", "Period", "Period"},
    {"from", "Från", "From"},
    {"to", "Till", "To"},
    {"segment", "Segment", "Segment"},
    {"channel", "Kanal", "Channel"},
    {"apply_filters", "Använd filter", "Apply filters"},
    {"export_csv", "Exportera CSV", "Export CSV"},
    {"print_pdf", "Skriv ut / PDF", "Print / PDF"},
    /* figures */
    {"no_data", "Inga data", "No data"},
    {"n", "n", "n"},
    {"ci95", "95 % KI", "95% CI"},
    {"value", "Värde", "Value"},
    {"label", "Etikett", "Label"},
    {"low_n", "färre än minsta antal svar", "fewer than the minimum n answers"},
    {"low_n_note", "för få svar för att läsas som en trend",
     "too few responses to read as a trend"},
    {"no_value", "inget värde", "no value"},
    {"show_data", "Visa siffrorna", "Show the figures"},
    {"headline", "Nyckeltal", "Headline"},
    {"trend", "Trend", "Trend"},
    {"by_stage", "Per steg", "By stage"},
    {"nps_by_month", "NPS per månad", "NPS by month"},
    {"nps_by_month_summary", "NPS per månad med 95 % konfidensintervall.",
     "NPS by month with 95% confidence intervals."},
    {"theme", "Tema", "Theme"},
    {"group", "Grupp", "Group"},
    {"highest", "Högst", "Highest"},
    {"lowest", "lägst", "lowest"},
    {"to_lc", "till", "to"},
    {"marker", "Markering", "Marker"},
    /* cases */
    {"status", "Status", "Status"},
    {"all_statuses", "Alla statusar", "All statuses"},
    {"priority", "Prioritet", "Priority"},
    {"team", "Team", "Team"},
    {"opened", "Öppnat", "Opened"},
    {"due", "Förfaller", "Due"},
    {"overdue", "försenat", "overdue"},
    {"no_cases", "Inga ärenden.", "No cases."},
    {"open", "Öppet", "Open"},
    {"assigned", "Tilldelat", "Assigned"},
    {"contacted", "Kontaktad", "Contacted"},
    {"resolved", "Löst", "Resolved"},
    {"closed", "Stängt", "Closed"},
    {"low", "Låg", "Low"},
    {"normal", "Normal", "Normal"},
    {"high", "Hög", "High"},
    {"urgent", "Brådskande", "Urgent"},
    {"act", "Åtgärda", "Act"},
    {"contact", "Kontakta kunden", "Contact the customer"},
    {"resolve", "Markera som löst", "Mark as resolved"},
    {"close", "Stäng", "Close"},
    {"notes", "Lägg till anteckning", "Add a note"},
    {"note", "Anteckning", "Note"},
    /* touchpoints (src/server/page_touchpoints.c) */
    {"tp_nps_by_touchpoint", "NPS per kontaktpunkt", "NPS by touchpoint"},
    {"tp_nps_by_touchpoint_summary",
     "NPS per kontaktpunkt med 95 % konfidensintervall.",
     "NPS by touchpoint with 95% confidence intervals."},
    {"tp_table", "Nyckeltal per kontaktpunkt", "Figures by touchpoint"},
    {"tp_no_responses", "Inga svar under perioden.",
     "No responses in the period."},
    {"tp_all_touchpoints", "Alla kontaktpunkter", "All touchpoints"},
    {"tp_by_segment", "Per segment", "By segment"},
    {"tp_by_channel", "Per kanal", "By channel"},
    {"tp_themes", "Teman", "Themes"},
    {"tp_themes_caption", "Teman som nämns i kommentarerna",
     "Themes mentioned in the comments"},
    {"tp_themes_note",
     "Andel = kommentarer som nämner temat. Negativa och positiva andelar "
     "och medelsentimentet (−1 till 1) avser temats omnämnanden.",
     "Share = comments mentioning the theme. The negative and positive "
     "shares and the mean sentiment (−1 to 1) are of its mentions."},
    {"tp_no_themes", "Inga teman nämns.", "No theme is mentioned."},
    {"tp_mentions", "Omnämnanden", "Mentions"},
    {"tp_share_pct", "Andel %", "Share %"},
    {"tp_negative_pct", "Negativa %", "Negative %"},
    {"tp_positive_pct", "Positiva %", "Positive %"},
    {"tp_mean_sentiment", "Medelsentiment", "Mean sentiment"},
    {"tp_verbatims", "Senaste kommentarerna", "Latest comments"},
    {"tp_no_comments", "Inga kommentarer.", "No comments."},
    {"tp_show_comments", "Visa kommentarer", "Show comments"},
    {"tp_all_themes", "Alla teman", "All themes"},
    {"tp_all_sentiments", "Alla", "All"},
    {"tp_sentiment", "Sentiment", "Sentiment"},
    {"tp_words", "Ord som avgjorde", "Words that drove it"},
    {"tp_sent_positive", "positiv", "positive"},
    {"tp_sent_negative", "negativ", "negative"},
    {"tp_sent_neutral", "neutral", "neutral"},
    {"tp_sent_mixed", "blandad", "mixed"},
    {"tp_not_scored", "ej bedömd", "not scored"},
    /* the frame and errors */
    {"skip_to_content", "Hoppa till innehållet", "Skip to content"},
    {"main_nav", "Huvudmeny", "Main menu"},
    {"language", "Språk", "Language"},
    {"footer", "Resonans – öppen källkod för kundupplevelse",
     "Resonans – open-source customer experience"},
    {"error", "Fel", "Error"},
    {"not_found", "Hittades inte", "Not found"},
    {"not_found_text", "Sidan finns inte.", "There is no such page."},
    {"forbidden", "Ingen behörighet", "Forbidden"},
    {"forbidden_text", "Din roll får inte se den här sidan.",
     "Your role may not see this page."},
    {"csrf_text", "Formuläret har gått ut. Ladda om sidan och försök igen.",
     "The form has expired. Reload the page and try again."},
    /* the journey map page (src/server/page_journey.c) */
    {"journeys", "Kundresor", "Journeys"},
    {"journey_map", "Kundresekarta", "Journey map"},
    {"journey_map_help",
     "Stegen går från vänster till höger, kanalerna uppifrån och ned. "
     "Linjen är varje stegs NPS med 95 % konfidensintervall som ett band; "
     "under den andelen kunder som faller bort före nästa steg. Varje "
     "kontaktpunkt visar sitt NPS och n; en stjärna är ett sanningens "
     "ögonblick, en romb ett ögonblick som analysen funnit, en röd "
     "triangel en smärtpunkt. Siffrorna finns också i tabellerna under "
     "kartan.",
     "Stages run left to right, channels top to bottom. The line is the "
     "NPS of each stage with its 95% confidence interval as a band; under "
     "it, the share of customers lost before the next stage. Each "
     "touchpoint shows its NPS and n; a star marks a moment of truth, a "
     "diamond a moment found by analysis, a red triangle a pain point. "
     "The figures are also in the tables under the map."},
    {"journey_map_scroll", "Kundresekartan (rullar i sidled)",
     "The journey map (scrolls sideways)"},
    {"journey_figures", "Kartans siffror", "The map's figures"},
    {"journey_none",
     "Det finns ingen kundresa att visa. En administratör läser in den "
     "med resonans journey load FIL.",
     "There is no journey to show. An administrator loads one with "
     "resonans journey load FILE."},
    {"journey_none_owner", "Ingen kundresa har dina kontaktpunkter.",
     "No journey holds your touchpoints."},
    {"journey_unknown", "Det finns ingen sådan kundresa.",
     "There is no such journey."},
    {"journey_no_stages", "Den här kundresan har inga steg ännu.",
     "This journey has no stages yet."},
    {"journey_owner_note",
     "Siffrorna gäller bara svaren vid dina kontaktpunkter; andra "
     "kontaktpunkter visas inte. Bortfallet mellan stegen följer kunder "
     "genom hela resan och visas därför inte.",
     "The figures cover the answers at your touchpoints only; other "
     "touchpoints are not shown. The drop-off between stages follows "
     "customers through the whole journey, so it is not shown."},
    {"journey_default_period",
     "Utan period: de senaste 12 månaderna med svar, från",
     "Without a period: the last 12 months with answers, from"},
    {"journey_no_drop_off",
     "Bortfallet mellan stegen visas inte: filtret gäller inte "
     "händelser.",
     "The drop-off between stages is not shown: the filter does not "
     "apply to events."},
/* each view's own words, one file a view: {"key", "sv", "en"}, */
#include "web/words_admin.inc"
#include "web/words_overview.inc"
#include "web/words_personas.inc"
#include "web/words_priorities.inc"
#include "web/words_stories.inc"
#include "web/words_surveys.inc"
};

#define N_WORDS (sizeof words / sizeof words[0])

const char *web_t(enum web_lang lang, const char *key)
{
    if (!key)
        return "";
    for (size_t i = 0; i < N_WORDS; i++)
        if (!strcmp(words[i].key, key))
            return lang == WEB_EN ? words[i].en : words[i].sv;
    return key;
}

const char *web_t_key(size_t i)
{
    return i < N_WORDS ? words[i].key : NULL;
}

const char *web_lang_code(enum web_lang lang)
{
    return lang == WEB_EN ? "en" : "sv";
}

/* ---- the language of a request ---- */

/* 1 and *out when s[0..n) is "sv" or "en", alone or with a region. */
static int lang_of(const char *s, size_t n, enum web_lang *out)
{
    if (n < 2 || (n > 2 && s[2] != '-' && s[2] != '_'))
        return 0;
    if (tolower((unsigned char)s[0]) == 's' &&
        tolower((unsigned char)s[1]) == 'v')
        *out = WEB_SV;
    else if (tolower((unsigned char)s[0]) == 'e' &&
             tolower((unsigned char)s[1]) == 'n')
        *out = WEB_EN;
    else
        return 0;
    return 1;
}

/* The q-value of an item's parameters ("; q=0.5"), 1 without one. */
static double q_of(const char *p, const char *end)
{
    while (p < end) {
        p += strspn(p, " \t;");
        if (end - p >= 2 && (p[0] == 'q' || p[0] == 'Q') && p[1] == '=') {
            char buf[16];
            size_t n = (size_t)(end - p - 2);
            n = n < sizeof buf - 1 ? n : sizeof buf - 1;
            memcpy(buf, p + 2, n);
            buf[n] = 0;
            char *e;
            double q = strtod(buf, &e);
            return e == buf || !(q >= 0) ? 0 : q > 1 ? 1 : q;
        }
        const char *semi = memchr(p, ';', (size_t)(end - p));
        p = semi ? semi : end;
    }
    return 1;
}

enum web_lang web_lang_pick(const char *accept_language, const char *query_lang)
{
    enum web_lang l, best = WEB_SV;
    double best_q = 0;
    if (query_lang && lang_of(query_lang, strlen(query_lang), &l))
        return l;
    for (const char *p = accept_language; p && *p;) {
        size_t len = strcspn(p, ",");
        const char *end = p + len, *tag = p + strspn(p, " \t");
        size_t tn = strcspn(tag, " \t;,");
        if (tag + tn > end)
            tn = (size_t)(end - tag);
        if (lang_of(tag, tn, &l)) {
            double q = q_of(tag + tn, end);
            if (q > best_q) {
                best_q = q;
                best = l;
            }
        }
        p = *end ? end + 1 : end;
    }
    return best;
}

/* ---- the frame ---- */

struct out {
    struct strbuf *b;
    int rc;
};

static void put(struct out *o, const char *s)
{
    if (!o->rc)
        o->rc = strbuf_puts(o->b, s);
}

static void esc(struct out *o, const char *s)
{
    if (!o->rc && s)
        o->rc = escape_xml(o->b, s, strlen(s));
}

int web_page_begin(struct strbuf *out, enum web_lang lang, const char *title,
                   const struct web_nav_item *nav, size_t n_nav,
                   const char *user, const char *csrf)
{
    struct out o = {out, 0};
    put(&o, "<!DOCTYPE html>\n<html lang=\"");
    put(&o, web_lang_code(lang));
    put(&o, "\">\n<head>\n<meta charset=\"utf-8\" />\n"
            "<meta name=\"viewport\" content=\"width=device-width, "
            "initial-scale=1\" />\n<title>");
    if (title && *title) {
        esc(&o, title);
        put(&o, " – ");
    }
    put(&o, "Resonans</title>\n"
            "<link rel=\"stylesheet\" href=\"/assets/app.css\" />\n"
            "<script src=\"/assets/app.js\" defer=\"\"></script>\n"
            "</head>\n<body>\n<a class=\"skip\" href=\"#main\">");
    esc(&o, web_t(lang, "skip_to_content"));
    put(&o, "</a>\n<header class=\"site-header\">\n"
            "<p class=\"brand\"><a href=\"/app\">Resonans</a></p>\n");
    if (n_nav) {
        put(&o, "<nav class=\"main-nav\" aria-label=\"");
        esc(&o, web_t(lang, "main_nav"));
        put(&o, "\">\n<ul>\n");
        for (size_t i = 0; i < n_nav; i++) {
            put(&o, "<li><a href=\"");
            esc(&o, nav[i].href);
            put(&o, nav[i].current ? "\" aria-current=\"page\">" : "\">");
            esc(&o, nav[i].label);
            put(&o, "</a></li>\n");
        }
        put(&o, "</ul>\n</nav>\n");
    }
    put(&o, "<ul class=\"langs\" aria-label=\"");
    esc(&o, web_t(lang, "language"));
    put(&o, "\">\n");
    put(&o, lang == WEB_SV ? "<li><a href=\"?lang=sv\" lang=\"sv\" "
                             "hreflang=\"sv\" aria-current=\"true\">"
                             "Svenska</a></li>\n"
                           : "<li><a href=\"?lang=sv\" lang=\"sv\" "
                             "hreflang=\"sv\">Svenska</a></li>\n");
    put(&o, lang == WEB_EN ? "<li><a href=\"?lang=en\" lang=\"en\" "
                             "hreflang=\"en\" aria-current=\"true\">"
                             "English</a></li>\n"
                           : "<li><a href=\"?lang=en\" lang=\"en\" "
                             "hreflang=\"en\">English</a></li>\n");
    put(&o, "</ul>\n");
    if (user) {
        put(&o, "<div class=\"user\">\n<p><span class=\"visually-hidden\">");
        esc(&o, web_t(lang, "signed_in_as"));
        put(&o, " </span><span class=\"user-name\">");
        put(&o, "<a href=\"/app/account\">");
        esc(&o, user);
        put(&o, "</a>");
        put(&o, "</span></p>\n<form class=\"logout\" method=\"post\" "
                "action=\"/app/logout\">");
        if (csrf) {
            put(&o, "<input type=\"hidden\" name=\"csrf\" value=\"");
            esc(&o, csrf);
            put(&o, "\" />");
        }
        put(&o, "<button type=\"submit\">");
        esc(&o, web_t(lang, "log_out"));
        put(&o, "</button></form>\n</div>\n");
    }
    put(&o, "</header>\n<main id=\"main\" tabindex=\"-1\">\n");
    return o.rc;
}

int web_page_end(struct strbuf *out, enum web_lang lang)
{
    struct out o = {out, 0};
    put(&o, "</main>\n<footer class=\"site-footer\">\n<p>");
    esc(&o, web_t(lang, "footer"));
    put(&o, "</p>\n</footer>\n</body>\n</html>\n");
    return o.rc;
}
