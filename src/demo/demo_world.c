/* The fictional company behind the demo data: Bostadsbolaget Hemvist AB,
 * a municipal rental-housing company in Uppsala. Its journey, segments,
 * districts and teams, as constant tables. */
#include "demo/demo_int.h"

const char *const demo_channel_name[] = {"web",    "app",    "phone",
                                         "office", "onsite", ""};

const struct demo_stage demo_stages[ST_N] = {
    {"soka", "Söka bostad"},
    {"kontrakt", "Kontrakt"},
    {"inflyttning", "Inflyttning"},
    {"boende", "Boende"},
    {"forlangning", "Förlängning/Uppsägning"},
};

#define MIN 60
/* Owners. */
#define UTH "Uthyrning"
#define KS "Kundservice"
#define FS "Fastighetsskötsel"
#define FV "Förvaltning"
#define IT "IT/Digitala kanaler"
#define EK "Ekonomi"

const struct demo_touchpoint demo_touchpoints[TP_N] = {
    /* key, name, stage, channel, owner, mot, physical, weight, base nps,
     * questions, anchor, lag lo, lag hi, theme */
    {"webb_sok", "Söka lediga lägenheter på webben", ST_SOKA, CH_WEB, UTH, 0, 0,
     4, 5, Q_NPS | Q_CES, AN_VIEWING, -45 * DAY, -2 * DAY, TH_SEARCH},
    {"bostadsko", "Bostadskö och intresseanmälan", ST_SOKA, CH_WEB, UTH, 0, 0,
     3, -15, Q_NPS | Q_CES, AN_VIEWING, -60 * DAY, -5 * DAY, TH_QUEUE},
    {"visning", "Visning av lägenheten", ST_SOKA, CH_ONSITE, UTH, 1, 1, 4, 15,
     Q_NPS | Q_CSAT, AN_VIEWING, 1 * HOUR, 3 * DAY, TH_VIEWING},
    {"kontrakt_digital", "Signera kontraktet digitalt med BankID", ST_KONTRAKT,
     CH_WEB, UTH, 1, 0, 3, 0, Q_NPS | Q_CES, AN_CONTRACT_WEB, 10 * MIN, 2 * DAY,
     TH_CONTRACT_DIGITAL},
    {"kontrakt_kontor", "Kontraktsskrivning på kundcenter", ST_KONTRAKT,
     CH_OFFICE, UTH, 0, 1, 1, 20, Q_NPS | Q_CSAT, AN_CONTRACT_OFFICE, 1 * HOUR,
     2 * DAY, TH_CONTRACT_OFFICE},
    {"autogiro", "Första hyran och autogiro", ST_KONTRAKT, CH_WEB, EK, 0, 0,
     1.5, 5, Q_CSAT | Q_CES, AN_MOVE_IN, -20 * DAY, 5 * DAY, TH_PAYMENT},
    {"nyckel", "Nyckelutlämning", ST_INFLYTTNING, CH_OFFICE, KS, 1, 1, 2, 15,
     Q_NPS | Q_CSAT, AN_MOVE_IN, 1 * HOUR, 3 * DAY, TH_KEYS},
    {"besiktning_in", "Inflyttningsbesiktning", ST_INFLYTTNING, CH_ONSITE, FS,
     0, 1, 1.5, 5, Q_NPS | Q_CSAT, AN_INSPECTION, 1 * HOUR, 4 * DAY,
     TH_INSPECT_IN},
    {"valkomst_app", "Kom igång med appen Mina sidor", ST_INFLYTTNING, CH_APP,
     IT, 0, 0, 1.5, 10, Q_NPS | Q_CES, AN_MOVE_IN, 1 * DAY, 30 * DAY, TH_APP},
    {"app_inlogg", "Logga in i appen", ST_BOENDE, CH_APP, IT, 0, 0, 9, 5,
     Q_NPS | Q_CES, AN_TENANT, 0, 0, TH_APP},
    {"felanmalan_app", "Felanmälan i appen", ST_BOENDE, CH_APP, FS, 0, 0, 8, 10,
     Q_NPS | Q_CES, AN_REPAIR_APP, 1 * HOUR, 5 * DAY, TH_FAULT},
    {"felanmalan_tel", "Felanmälan per telefon", ST_BOENDE, CH_PHONE, KS, 0, 0,
     5, 5, Q_NPS | Q_CSAT, AN_REPAIR_PHONE, 1 * HOUR, 5 * DAY, TH_FAULT},
    {"reparation", "Reparation i lägenheten", ST_BOENDE, CH_ONSITE, FS, 1, 1, 9,
     15, Q_NPS | Q_CSAT, AN_REPAIR, 1 * HOUR, 3 * DAY, TH_REPAIR},
    {"kundservice_tel", "Samtal med kundservice", ST_BOENDE, CH_PHONE, KS, 1, 0,
     9, 5, Q_NPS | Q_CES, AN_CONTACT_PHONE, 5 * MIN, 2 * DAY, TH_SERVICE},
    {"kundcenter", "Besök på kundcenter", ST_BOENDE, CH_OFFICE, KS, 0, 1, 3, 15,
     Q_NPS | Q_CSAT, AN_CONTACT_OFFICE, 10 * MIN, 2 * DAY, TH_SERVICE},
    {"hyresavi", "Hyresavi och betalning i appen", ST_BOENDE, CH_APP, EK, 0, 0,
     5, 10, Q_CSAT | Q_CES, AN_TENANT, 0, 0, TH_PAYMENT},
    {"tvattstuga", "Boka tvättstuga i appen", ST_BOENDE, CH_APP, IT, 0, 0, 5, 0,
     Q_CSAT | Q_CES, AN_TENANT, 0, 0, TH_LAUNDRY},
    {"stadning", "Trappstädning och gemensamma utrymmen", ST_BOENDE, CH_ONSITE,
     FS, 0, 1, 4, -5, Q_NPS | Q_CSAT, AN_TENANT, 0, 0, TH_CLEANING},
    {"utemiljo", "Gård och utemiljö", ST_BOENDE, CH_ONSITE, FV, 0, 1, 3, 5,
     Q_NPS | Q_CSAT, AN_TENANT, 0, 0, TH_OUTDOOR},
    {"storning", "Störningar och trygghet", ST_BOENDE, CH_PHONE, FV, 0, 0, 2,
     -20, Q_NPS | Q_CSAT, AN_TENANT, 0, 0, TH_DISTURBANCE},
    {"forlangning", "Förlängning av tidsbegränsat kontrakt", ST_AVSLUT, CH_WEB,
     UTH, 0, 0, 1.5, 10, Q_NPS | Q_CES, AN_RENEWAL, 1 * HOUR, 5 * DAY,
     TH_RENEWAL},
    {"uppsagning", "Uppsägning av kontraktet", ST_AVSLUT, CH_WEB, UTH, 0, 0, 2,
     5, Q_NPS | Q_CES, AN_NOTICE, 1 * HOUR, 3 * DAY, TH_NOTICE},
    {"besiktning_ut", "Avflyttningsbesiktning", ST_AVSLUT, CH_ONSITE, FV, 1, 1,
     2, -10, Q_NPS | Q_CSAT, AN_MOVE_OUT, 1 * HOUR, 3 * DAY, TH_INSPECT_OUT},
    {"slutavrakning", "Slutavräkning och deposition", ST_AVSLUT, CH_WEB, EK, 0,
     0, 1.5, -5, Q_NPS | Q_CSAT, AN_MOVE_OUT, 25 * DAY, 45 * DAY,
     TH_SETTLEMENT},
};

const char *const demo_age_band[6] = {"18-24", "25-34", "35-49",
                                      "50-64", "65-79", "80+"};

const struct demo_segment demo_segments[SEG_N] = {
    /* name, weight, nps shift, english, ages, rooms 1..5, faults/yr,
     * moves/yr, tenure, digital, household 1..6 */
    {"Student",
     0.14,
     -15,
     0.35,
     {0.8, 0.2, 0, 0, 0, 0},
     {0.85, 0.15, 0, 0, 0},
     1.0,
     0.35,
     1.5,
     0.90,
     {0.90, 0.10, 0, 0, 0, 0}},
    {"Ung vuxen",
     0.17,
     -5,
     0.08,
     {0.3, 0.7, 0, 0, 0, 0},
     {0.45, 0.45, 0.10, 0, 0},
     1.3,
     0.20,
     3,
     0.80,
     {0.40, 0.60, 0, 0, 0, 0}},
    {"Barnfamilj",
     0.22,
     0,
     0.05,
     {0, 0.3, 0.6, 0.1, 0, 0},
     {0, 0, 0.45, 0.40, 0.15},
     2.0,
     0.08,
     6,
     0.62,
     {0, 0, 0.40, 0.35, 0.18, 0.07}},
    {"Par utan barn",
     0.15,
     5,
     0.05,
     {0, 0.35, 0.25, 0.4, 0, 0},
     {0, 0.30, 0.55, 0.15, 0},
     1.4,
     0.09,
     7,
     0.58,
     {0, 1, 0, 0, 0, 0}},
    {"Ensamstående",
     0.16,
     0,
     0.04,
     {0, 0.15, 0.35, 0.50, 0, 0},
     {0.55, 0.40, 0.05, 0, 0},
     1.2,
     0.10,
     8,
     0.52,
     {1, 0, 0, 0, 0, 0}},
    {"Senior",
     0.16,
     15,
     0.02,
     {0, 0, 0, 0, 0.7, 0.3},
     {0.10, 0.55, 0.35, 0, 0},
     1.3,
     0.05,
     15,
     0.18,
     {0.50, 0.50, 0, 0, 0, 0}},
};

const struct demo_team demo_teams[TEAM_N] = {
    {"Uthyrning Norr", {"Sara", "Ahmed"}},
    {"Uthyrning Öst", {"Lena", "Jonas"}},
    {"Uthyrning Syd", {"Peter", "Maria"}},
    {"Uthyrning Väst", {"Kristina", "Daniel"}},
};

const struct demo_district demo_districts[DISTRICT_N] = {
    {"Gränby", TEAM_NORR, 0.10, 0.02, 1350},
    {"Kvarngärdet", TEAM_NORR, 0.08, 0.05, 1400},
    {"Svartbäcken", TEAM_NORR, 0.08, 0.03, 1500},
    {"Årsta", TEAM_OST, 0.09, 0.02, 1300},
    {"Salabacke", TEAM_OST, 0.06, 0.02, 1300},
    {"Sävja", TEAM_OST, 0.08, 0.01, 1250},
    {"Gottsunda", TEAM_SYD, 0.12, 0.04, 1200},
    {"Valsätra", TEAM_SYD, 0.07, 0.02, 1200},
    {"Eriksberg", TEAM_SYD, 0.07, 0.06, 1450},
    {"Flogsta", TEAM_VAST, 0.10, 0.55, 1450},
    {"Luthagen", TEAM_VAST, 0.07, 0.15, 1650},
    {"Stenhagen", TEAM_VAST, 0.08, 0.03, 1250},
};

const char *const demo_activity_name[EV_N] = {
    "viewing",      "contract_signed", "move_in", "inspection",
    "fault_report", "repair",          "contact", "payment",
    "renewal",      "notice",          "move_out"};

const struct demo_fault_object demo_fault_objects[] = {
    /* vitvaror 0..6 */
    {"diskmaskinen", "the dishwasher"},
    {"kylskåpet", "the fridge"},
    {"frysen", "the freezer"},
    {"spisen", "the stove"},
    {"ugnen", "the oven"},
    {"tvättmaskinen", "the washing machine"},
    {"köksfläkten", "the kitchen fan"},
    /* vvs 7..11 */
    {"kranen i köket", "the kitchen tap"},
    {"toaletten", "the toilet"},
    {"duschen", "the shower"},
    {"avloppet i badrummet", "the bathroom drain"},
    {"varmvattnet", "the hot water"},
    /* el 12..14 */
    {"belysningen i badrummet", "the bathroom light"},
    {"ett eluttag i sovrummet", "a socket in the bedroom"},
    {"porttelefonen", "the door phone"},
    /* värme och ventilation 15..17 */
    {"elementen", "the radiators"},
    {"ventilationen", "the ventilation"},
    {"värmen", "the heating"},
    /* lås, dörrar, fönster 18..21 */
    {"låset på ytterdörren", "the front door lock"},
    {"balkongdörren", "the balcony door"},
    {"fönstret i sovrummet", "the bedroom window"},
    {"brevinkastet", "the letterbox"},
    /* ytskikt 22..24 */
    {"golvet i hallen", "the hallway floor"},
    {"kaklet i badrummet", "the bathroom tiles"},
    {"tapeten i vardagsrummet", "the living-room wallpaper"},
};

const struct demo_fault_cat demo_fault_cats[FAULT_CAT_N] = {
    {"vitvaror", 0.30, 90, 0, 7},
    {"vvs", 0.25, 30, 7, 5},
    {"el", 0.12, 24, 12, 3},
    {"varme_ventilation", 0.13, 60, 15, 3},
    {"las_dorr_fonster", 0.12, 40, 18, 4},
    {"ytskikt", 0.08, 220, 22, 3},
};

const char *const demo_contact_reason[REASON_N] = {"felanmalan_uppfoljning",
                                                   "inloggning",
                                                   "hyra",
                                                   "tvattstuga",
                                                   "storning",
                                                   "nycklar",
                                                   "parkering",
                                                   "kontrakt",
                                                   "ovrigt"};
const double demo_contact_reason_weight[REASON_N] = {
    0, 0.02, 0.22, 0.10, 0.08, 0.08, 0.10, 0.12, 0.28};

static void json_str(struct demo_out *w, const char *s)
{
    demo_out_putc(w, '"');
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') {
            demo_out_putc(w, '\\');
            demo_out_putc(w, (char)c);
        } else if (c < 0x20) {
            static const char hex[] = "0123456789abcdef";
            char u[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
            demo_out_put(w, u, sizeof u);
        } else {
            demo_out_putc(w, (char)c);
        }
    }
    demo_out_putc(w, '"');
}

int demo_journey_write(struct demo_out *w)
{
    int n = 0;
    demo_out_puts(w, "{\n  \"journeys\": [{\n"
                     "    \"key\": \"hyresgast\",\n"
                     "    \"name\": \"Hyresgästens resa\",\n"
                     "    \"lifecycle\": \"use\",\n"
                     "    \"stages\": [");
    for (int s = 0; s < ST_N; s++) {
        demo_out_puts(w, s ? ", {\n" : "{\n");
        demo_out_puts(w, "      \"key\": ");
        json_str(w, demo_stages[s].key);
        demo_out_puts(w, ", \"name\": ");
        json_str(w, demo_stages[s].name);
        demo_out_puts(w, ",\n      \"touchpoints\": [");
        int first = 1;
        for (int t = 0; t < TP_N; t++) {
            const struct demo_touchpoint *tp = &demo_touchpoints[t];
            if (tp->stage != s)
                continue;
            demo_out_puts(w, first ? "\n" : ",\n");
            first = 0;
            demo_out_puts(w, "        {\"key\": ");
            json_str(w, tp->key);
            demo_out_puts(w, ", \"name\": ");
            json_str(w, tp->name);
            demo_out_puts(w, ",\n         \"channel\": ");
            json_str(w, demo_channel_name[tp->channel]);
            demo_out_puts(w, ", \"owner\": ");
            json_str(w, tp->owner);
            demo_out_puts(w, ",\n         \"moment_of_truth\": ");
            demo_out_puts(w, tp->moment_of_truth ? "true" : "false");
            demo_out_puts(w, ", \"physical\": ");
            demo_out_puts(w, tp->physical ? "true" : "false");
            demo_out_putc(w, '}');
            n++;
        }
        demo_out_puts(w, "\n      ]\n    }");
    }
    demo_out_puts(w, "]\n  }]\n}\n");
    return n;
}
