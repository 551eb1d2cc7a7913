/* Swedish column headers of the result tables (labels_sv.h). */
#include "report/labels_sv.h"

#include <string.h>

/* {key, the builder's English header, Swedish}. Grouped by the builders
 * that use them; a (key, English) pair appears once
 * (tests/report/test_labels_sv.c checks it). */
static const struct label {
    const char *key, *en, *sv;
} labels[] = {
    /* metrics (metrics_report.c, stats/metrics.c) and its --by fields */
    {"n", "responses", "svar"},
    {"n", "events", "händelser"},
    {"nps", "NPS", "NPS"},
    {"csat_t2b", "CSAT 4-5 %", "CSAT 4–5 %"},
    {"csat_mean", "CSAT mean", "CSAT medel"},
    {"ces_mean", "CES mean", "CES medel"},
    {"ces_easy", "CES 5-7 %", "CES 5–7 %"},
    {"count", "count", "antal"},
    {"stage", "stage", "steg"},
    {"stage_name", "stage", "steg"},
    {"touchpoint", "touchpoint", "kontaktpunkt"},
    {"touchpoint_name", "touchpoint", "kontaktpunkt"},
    {"touchpoint_name", "name", "namn"},
    {"journey", "journey", "kundresa"},
    {"journey_name", "journey", "kundresa"},
    {"channel", "channel", "kanal"},
    {"segment", "segment", "segment"},
    {"kind", "kind", "typ"},
    {"day", "day", "dag"},
    {"week", "week", "vecka"},
    {"month", "month", "månad"},
    {"quarter", "quarter", "kvartal"},
    {"year", "year", "år"},
    {"language", "language", "språk"},
    {"sentiment", "sentiment", "sentiment"},
    {"theme", "theme", "tema"},
    /* comparisons (metrics_report_compare, digest.c) */
    {"metric_name", "metric", "mått"},
    {"diff", "B - A", "B − A"},
    {"test", "test", "test"},
    {"significant", "significant", "signifikant"},
    {"low_n", "low n", "lågt n"},
    {"previous", "week before", "veckan före"},
    {"change", "change", "förändring"},
    /* drivers and priorities (drivers_report.c) */
    {"rank", "#", "#"},
    {"driver", "driver", "drivkraft"},
    {"importance_pct", "importance %", "betydelse %"},
    {"share_of_r2_pct", "of R² %", "andel av R² %"},
    {"prevalence_pct", "prevalence %", "förekomst %"},
    {"odds_ratio", "odds ratio", "oddskvot"},
    {"coef", "coef", "koefficient"},
    {"mean", "mean", "medel"},
    {"rel_weight_pct", "rel. weight %", "rel. vikt %"},
    {"present", "present", "förekommer"},
    {"quadrant", "quadrant", "kvadrant"},
    {"performance_pct", "perf. %", "prestation %"},
    {"target", "target", "mål"},
    {"target_n", "target n", "mål n"},
    {"expected_nps_points", "NPS points", "NPS-poäng"},
    {"coef_nps_points", "coef NPS points", "koefficient NPS-poäng"},
    /* personas (personas_report.c) */
    {"persona", "persona", "persona"},
    {"customers", "customers", "kunder"},
    {"share_pct", "share %", "andel %"},
    {"responses", "responses", "svar"},
    {"defining", "defining", "utmärkande"},
    {"channels", "channels", "kanaler"},
    {"themes", "top themes", "vanligaste teman"},
    {"pains", "pains", "smärtpunkter"},
    {"weakest_touchpoint", "weakest touchpoint", "svagaste kontaktpunkt"},
    {"weakest_nps", "its NPS", "dess NPS"},
    {"quote_1", "quote", "citat"},
    {"quote_2", "quote", "citat"},
    {"silhouette", "silhouette", "silhuett"},
    {"cost", "cost", "kostnad"},
    {"chosen", "chosen", "vald"},
    /* patterns (patterns_report.c) */
    {"zeros", "zeros", "nollor"},
    {"region", "region", "område"},
    {"cluster", "cluster", "kluster"},
    {"orientation", "cell", "cell"},
    {"sd", "sd", "sd"},
    {"from", "from", "från"},
    {"to", "to", "till"},
    /* cases (cases_report.c) */
    {"id", "id", "id"},
    {"status", "status", "status"},
    {"priority", "priority", "prioritet"},
    {"team", "team", "team"},
    {"assignee", "assignee", "handläggare"},
    {"rule", "rule", "regel"},
    {"opened", "opened (UTC)", "öppnat (UTC)"},
    {"due", "due (UTC)", "förfaller (UTC)"},
    {"overdue", "overdue", "försenat"},
    {"escalation", "escalated", "eskalerat"},
    {"first_contact", "first contact (UTC)", "första kontakt (UTC)"},
    {"resolved", "resolved (UTC)", "löst (UTC)"},
    {"resolved", "resolved", "lösta"},
    {"question", "question", "fråga"},
    {"score", "score", "poäng"},
    {"text", "text", "text"},
    {"themes", "themes", "teman"},
    {"explanation", "explanation", "förklaring"},
    {"customer", "customer", "kund"},
    {"sla_hours", "SLA (working hours)", "SLA (arbetstimmar)"},
    {"closed", "closed (UTC)", "stängt (UTC)"},
    {"escalated", "escalated (UTC)", "eskalerat (UTC)"},
    {"recovery_survey", "recovery survey", "uppföljningsenkät"},
    {"recovery_sent", "recovery sent (UTC)", "uppföljning skickad (UTC)"},
    {"recovery_sent", "recovery sent", "uppföljningar skickade"},
    {"recovery_answered", "recovery answered", "uppföljning besvarad"},
    {"cases", "cases", "ärenden"},
    {"open", "open", "öppna"},
    {"contacted", "contacted", "kontaktade"},
    {"contact_median_h", "first contact median h", "första kontakt median h"},
    {"contact_p90_h", "first contact p90 h", "första kontakt p90 h"},
    {"resolve_median_h", "resolution median h", "lösningstid median h"},
    {"resolve_p90_h", "resolution p90 h", "lösningstid p90 h"},
    {"within_deadline_pct", "within deadline %", "inom tidsgränsen %"},
    {"deadline_n", "judged", "bedömda"},
    {"per_1000", "cases per 1,000", "ärenden per 1 000"},
    {"recovered_pct", "recovered %", "återvunna %"},
    {"recovery_answers", "answered", "besvarade"},
    {"nps", "NPS of its customers", "kundernas NPS"},
    {"driver_importance", "driver share %", "drivkraftens andel %"},
    {"improvement", "improvement", "förbättring"},
    {"done", "done (UTC)", "klar (UTC)"},
    {"nps_before", "NPS before", "NPS före"},
    {"nps_after", "NPS after", "NPS efter"},
    {"nps_change", "NPS change", "NPS förändring"},
    {"mention_before", "theme % before", "tema % före"},
    {"mention_after", "theme % after", "tema % efter"},
    {"mention_change", "theme % change", "tema % förändring"},
    /* journey (journey_report.c, journey_map_build.c) */
    {"lifecycle", "lifecycle", "livscykel"},
    {"stage_position", "#", "#"},
    {"owner", "owner", "ägare"},
    {"moment_of_truth", "moment of truth", "sanningens ögonblick"},
    {"physical", "physical", "fysisk"},
    {"aliases", "aliases", "alias"},
    {"drop_off_pct", "drop-off to next %", "bortfall till nästa %"},
    {"negative_pct", "negative comments %", "negativa kommentarer %"},
    {"pain_point", "pain point", "smärtpunkt"},
    {"quote", "a comment", "en kommentar"},
    /* journey paths (journey_paths_report.c) */
    {"steps", "steps", "steg"},
    {"variant", "variant", "variant"},
    {"step", "step", "steg"},
    {"repeated", "repeated", "upprepade"},
    {"within", "again within window", "igen inom fönstret"},
    {"repeated_pct", "repeated %", "upprepade %"},
    {"nps_once", "NPS once", "NPS en gång"},
    {"nps_repeated", "NPS repeated", "NPS upprepad"},
    {"nps_diff", "difference", "skillnad"},
    {"reached", "reached", "nådde"},
    {"conversion_pct", "from previous %", "från föregående %"},
    {"dropoff_pct", "drop-off %", "bortfall %"},
    {"of_first_pct", "of first %", "av första %"},
    {"conforming_pct", "conforming %", "följer modellen %"},
    {"skipping", "of those, skipping a stage", "av dem, hoppar över ett steg"},
    {"from", "back from stage", "tillbaka från steg"},
    {"to", "to stage", "till steg"},
    {"count", "times", "gånger"},
    {"answers", "answers", "svar"},
    {"left_detractor_pct", "left after detractor %",
     "lämnade efter kritiker %"},
    {"left_promoter_pct", "left after promoter %",
     "lämnade efter ambassadör %"},
    {"diff", "difference", "skillnad"},
    {"p_holm", "p (Holm)", "p (Holm)"},
    {"flagged", "flagged", "flaggad"},
    {"measured", "measured", "uppmätt"},
    {"name", "name", "namn"},
    /* emerging themes (digest.c, the overview) */
    {"mentions", "mentions", "omnämnanden"},
    {"comments", "comments", "kommentarer"},
    {"baseline_pct", "baseline %", "baslinje %"},
};

#define N_LABELS (sizeof labels / sizeof labels[0])

const char *labels_sv_header(const char *key, const char *header)
{
    if (!key || !header)
        return NULL;
    for (size_t i = 0; i < N_LABELS; i++)
        if (!strcmp(labels[i].key, key) && !strcmp(labels[i].en, header))
            return labels[i].sv;
    return NULL;
}

/* {table key, the builder's English title or its fixed beginning,
 * Swedish}: a title that begins with en is shown as sv and the rest
 * ("Priorities for " + the outcome). */
static const struct label captions[] = {
    {"drivers", "Key drivers of ", "Nyckeldrivare för "},
    {"priorities", "Priorities for ", "Prioriteringar för "},
    {"centers", "Compositional mean (95% Hotelling region in ilr)",
     "Kompositionellt medelvärde (95 % Hotelling-region i ilr)"},
    {"near", "Answers near each corner (weight >= 0.6), %",
     "Svar nära varje hörn (vikt ≥ 0,6), %"},
    {"means", "Arithmetic mean of each weight (t 95% CI)",
     "Aritmetiskt medelvärde av varje vikt (t, 95 % KI)"},
    {"means", "Mean position (t 95% CI)", "Medelposition (t, 95 % KI)"},
    {"clusters", "Clusters of stories (k-means in ilr coordinates)",
     "Grupper av berättelser (k-means i ilr-koordinater)"},
    {"cells", "Ternary histogram (non-empty cells)",
     "Ternärt histogram (celler med svar)"},
    {"bins", "Histogram", "Histogram"},
    {"response", "Response", "Svar"},
    {"comments", "In the customer's words", "Med kundens egna ord"},
    {"notes", "Notes", "Anteckningar"},
    {"stages", "The emotional curve, stage by stage",
     "Den emotionella kurvan, steg för steg"},
    {"touchpoints", "Touchpoints", "Kontaktpunkter"},
};
#define N_CAPTIONS (sizeof captions / sizeof captions[0])

const char *labels_sv_caption(const char *key, const char *title, size_t *rest)
{
    if (!key || !title)
        return NULL;
    for (size_t i = 0; i < N_CAPTIONS; i++) {
        size_t n = strlen(captions[i].en);
        if (!strcmp(captions[i].key, key) &&
            !strncmp(captions[i].en, title, n)) {
            *rest = n;
            return captions[i].sv;
        }
    }
    return NULL;
}

int labels_sv_caption_entry(size_t i, const char **key, const char **en,
                            const char **sv)
{
    if (i >= N_CAPTIONS)
        return 0;
    *key = captions[i].key;
    *en = captions[i].en;
    *sv = captions[i].sv;
    return 1;
}

int labels_sv_entry(size_t i, const char **key, const char **en,
                    const char **sv)
{
    if (i >= N_LABELS)
        return 0;
    *key = labels[i].key;
    *en = labels[i].en;
    *sv = labels[i].sv;
    return 1;
}
