#pragma once
/* Private to src/demo: the company's tables, the generated population and
 * the buffered writer shared by demo.c, demo_world.c, demo_people.c,
 * demo_responses.c and demo_comments.c. */

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "core/rng.h"
#include "core/strbuf.h"
#include "demo/demo.h"

struct err;

/* The window always ends with this month; --months counts back from it. */
#define DEMO_END_YEAR 2026
#define DEMO_END_MONTH 10
/* Planted effect (b): the month the app login broke. */
#define DEMO_BROKEN_YEAR 2026
#define DEMO_BROKEN_MONTH 3
/* Planted effect (j): from this month on the digital contract link sent
 * after a viewing expires after 24 hours. */
#define DEMO_LINK_YEAR 2026
#define DEMO_LINK_MONTH 5
/* Events start this many days before the first response, so that every
 * early response can follow an event (a viewing, a fault report, ...). */
#define DEMO_WARMUP_DAYS 92

#define HOUR 3600
#define DAY 86400

/* ---- the company's tables (demo_world.c) ---- */

enum channel { CH_WEB, CH_APP, CH_PHONE, CH_OFFICE, CH_ONSITE, CH_NONE };
extern const char *const demo_channel_name[]; /* "" for CH_NONE */

enum stage { ST_SOKA, ST_KONTRAKT, ST_INFLYTTNING, ST_BOENDE, ST_AVSLUT, ST_N };

/* What a response at a touchpoint follows: an event of some kind (the
 * survey goes out after it), or any current tenant. */
enum anchor {
    AN_TENANT, /* a random current tenant */
    AN_VIEWING,
    AN_CONTRACT_WEB,
    AN_CONTRACT_OFFICE,
    AN_MOVE_IN,
    AN_INSPECTION,
    AN_REPAIR_APP,   /* fault reported in the app, now repaired */
    AN_REPAIR_PHONE, /* fault reported by phone, now repaired */
    AN_REPAIR,       /* any repair */
    AN_CONTACT_PHONE,
    AN_CONTACT_OFFICE,
    AN_RENEWAL,
    AN_NOTICE,
    AN_MOVE_OUT,
    AN_N
};

enum theme {
    TH_SEARCH,
    TH_QUEUE,
    TH_VIEWING,
    TH_VIEWING_STAFF,
    TH_CONTRACT_DIGITAL,
    TH_CONTRACT_OFFICE,
    TH_PAYMENT,
    TH_KEYS,
    TH_INSPECT_IN,
    TH_APP,
    TH_LOGIN,
    TH_FAULT,
    TH_FAULT_SLOW,
    TH_FAULT_QUICK,
    TH_REPAIR,
    TH_SERVICE,
    TH_LAUNDRY,
    TH_CLEANING,
    TH_OUTDOOR,
    TH_DISTURBANCE,
    TH_RENEWAL,
    TH_NOTICE,
    TH_INSPECT_OUT,
    TH_SETTLEMENT,
    TH_STAFF,
    TH_RENT,
    TH_INFO,
    TH_N
};

enum { Q_NPS = 1, Q_CSAT = 2, Q_CES = 4 };

enum touchpoint {
    TP_WEBB_SOK,
    TP_BOSTADSKO,
    TP_VISNING,
    TP_KONTRAKT_DIGITAL,
    TP_KONTRAKT_KONTOR,
    TP_AUTOGIRO,
    TP_NYCKEL,
    TP_BESIKTNING_IN,
    TP_VALKOMST_APP,
    TP_APP_INLOGG,
    TP_FELANMALAN_APP,
    TP_FELANMALAN_TEL,
    TP_REPARATION,
    TP_KUNDSERVICE_TEL,
    TP_KUNDCENTER,
    TP_HYRESAVI,
    TP_TVATTSTUGA,
    TP_STADNING,
    TP_UTEMILJO,
    TP_STORNING,
    TP_FORLANGNING,
    TP_UPPSAGNING,
    TP_BESIKTNING_UT,
    TP_SLUTAVRAKNING,
    TP_N
};

struct demo_stage {
    const char *key;
    const char *name;
};
extern const struct demo_stage demo_stages[ST_N];

struct demo_touchpoint {
    const char *key;
    const char *name;
    unsigned char stage;
    unsigned char channel;
    const char *owner;
    unsigned char moment_of_truth;
    unsigned char physical;
    double weight;           /* relative share of responses */
    int base_nps;            /* expected NPS in points before effects */
    unsigned char questions; /* Q_* bits asked */
    unsigned char anchor;    /* enum anchor */
    int lag_lo, lag_hi;      /* response time - anchor time, seconds */
    unsigned char theme;     /* the touchpoint's own comment theme */
};
extern const struct demo_touchpoint demo_touchpoints[TP_N];

enum segment {
    SEG_STUDENT,
    SEG_UNG_VUXEN,
    SEG_BARNFAMILJ,
    SEG_PAR,
    SEG_ENSAM,
    SEG_SENIOR,
    SEG_N
};

struct demo_segment {
    const char *name;
    double weight;
    int nps_shift;   /* planted effect (e), NPS points */
    double english;  /* share answering in English */
    double age[6];   /* weights over demo_age_band */
    double rooms[5]; /* weights for 1..5 rooms */
    double faults_per_year;
    double moves_per_year; /* move-out hazard */
    double tenure_years;   /* mean time since moving in */
    double digital;        /* share of faults reported in the app (personas) */
    double household[6];   /* weights for 1..6 persons (personas) */
};
extern const struct demo_segment demo_segments[SEG_N];
extern const char *const demo_age_band[6];

enum team { TEAM_NORR, TEAM_OST, TEAM_SYD, TEAM_VAST, TEAM_N };
struct demo_team {
    const char *name;
    const char *staff[2]; /* first names, for comments */
};
extern const struct demo_team demo_teams[TEAM_N];

#define DISTRICT_N 12
struct demo_district {
    const char *name;
    unsigned char team;
    double weight;
    double student_weight;
    double rent_per_sqm; /* SEK per m2 and year */
};
extern const struct demo_district demo_districts[DISTRICT_N];

enum activity {
    EV_VIEWING,
    EV_CONTRACT,
    EV_MOVE_IN,
    EV_INSPECTION,
    EV_FAULT,
    EV_REPAIR,
    EV_CONTACT,
    EV_PAYMENT,
    EV_RENEWAL,
    EV_NOTICE,
    EV_MOVE_OUT,
    EV_N
};
extern const char *const demo_activity_name[EV_N];

/* Fault categories and the things that break, in Swedish and English. */
#define FAULT_CAT_N 6
struct demo_fault_cat {
    const char *key;
    double weight;
    double median_hours;        /* resolution time, log-normal around this */
    unsigned char first, count; /* range in demo_fault_objects */
};
extern const struct demo_fault_cat demo_fault_cats[FAULT_CAT_N];
struct demo_fault_object {
    const char *sv;
    const char *en;
};
extern const struct demo_fault_object demo_fault_objects[];

#define REASON_N 9
enum { REASON_FAULT_FOLLOWUP = 0, REASON_LOGIN = 1 };
extern const char *const demo_contact_reason[REASON_N];
extern const double demo_contact_reason_weight[REASON_N];

/* ---- generated population (demo_people.c) ---- */

#define NO_DAY INT32_MIN
#define NEVER INT32_MAX

struct demo_customer {
    int32_t start_day; /* tenancy start (local day number); NO_DAY: applicant */
    int32_t end_day;   /* first day no longer a tenant; NEVER if staying */
    uint32_t rent_ore; /* monthly rent in öre (SEK / 100) */
    uint16_t area;     /* m2 */
    unsigned char seg, district, rooms, age_band, english, late_payer;
    unsigned char household; /* persons living in the apartment */
    signed char shift;       /* the customer's own NPS offset, points */
    signed char movein;      /* (k): NPS points at besiktning_in */
    unsigned char lost;      /* (j): lost to the expired contract link */
    /* The tenancy the customer's draws were made for, before (j) and (k)
     * cancelled or shortened it: what responses draw against, so that
     * every draw stays as it was (demo_responses.c pick_tenant). */
    int32_t was_start, was_end;
    int64_t notice_t; /* UTC time of the notice event; INT64_MAX: none */
};

/* One operational event, 24 bytes. */
struct demo_event {
    int64_t t;     /* UTC seconds */
    uint32_t cust; /* index into customers */
    uint32_t val;  /* fault/repair: resolution in tenths of hours;
                      contact: 1 if a repeated contact; payment: days late */
    uint16_t seq;  /* per-customer sequence, for a total sort order */
    unsigned char kind, channel;
    unsigned char code; /* fault object, or contact reason */
    unsigned char tp;   /* touchpoint, 0xff for none */
    unsigned char aux;  /* repair: the channel the fault was reported in
                           (AUX_CHANNEL); AUX_* flags */
    unsigned char wo;   /* (i): the customer's work order 1..255, 0: none */
};
#define AUX_CHANNEL 0x0f
#define AUX_GONE 0x80  /* drawn, but cancelled by (j) or (k): not written */
#define AUX_AGAIN 0x40 /* repair: the fault was reported again (i) */
#define AUX_NEW 0x20   /* (k)'s earlier notice and move-out: not drawn for */

/* A response anchor: what a survey follows. Sorted by t. */
struct demo_anchor {
    int64_t t;
    uint32_t cust;
    uint32_t val; /* resolution in tenths of hours for repairs */
    unsigned char code;
    unsigned char aux; /* the event's AUX_GONE, AUX_AGAIN and AUX_NEW */
};

struct demo_anchors {
    struct demo_anchor *a;
    size_t n, cap;
    /* With n_new anchors marked AUX_NEW: orig[i] = anchors before i
     * without it (the ones drawn for), [n + 1]; else NULL. */
    uint32_t *orig;
    size_t n_new;
};

/* ---- the run ---- */

#define DEMO_FAULT_BANDS 5

struct demo {
    const struct demo_opts *o;
    int y0, m0;      /* first month of the window */
    int64_t day0;    /* first day of the window (local day number) */
    int64_t day_end; /* first day after the window */
    int64_t ev_day0; /* first day of events */
    int64_t broken0, broken_end; /* the broken-login month, local days */
    struct demo_customer *cust;
    size_t n_cust;
    struct demo_event *ev;
    size_t n_ev, cap_ev;
    struct demo_anchors an[AN_N];
    /* (a) as generated: per resolution band (demo_fault_band), the sum
     * of the expected NPS (the clamped target) of the NPS answers at the
     * fault touchpoints, and their count; written to planted.json. */
    double fault_sum[DEMO_FAULT_BANDS];
    int64_t fault_n[DEMO_FAULT_BANDS];
    /* (i) as generated: work orders with a report and a repair in the
     * data, by band, and those reported again; the NPS answers following
     * their repairs as for (a), [0] once, [1] reported again. */
    int64_t wo_n[DEMO_FAULT_BANDS], wo_again[DEMO_FAULT_BANDS];
    double again_sum[2][DEMO_FAULT_BANDS];
    int64_t again_n[2][DEMO_FAULT_BANDS];
    uint32_t *wo_first; /* [n_cust + 1]: the customer's first work order */
    uint32_t *wo_num;   /* [work orders]: AO number, in time order; 0 none */
    int64_t link_day;   /* (j): the first day of the expiring link */
    /* (k) as generated: NPS answers at besiktning_in by NPS group
     * (detractor, passive, promoter), and those followed by a notice
     * within 365 days; [1]: answers a full year before the end. */
    int64_t movein_n[2][3], movein_notice[2][3];
};

/* (i): the share of work orders reported again, by (a)'s band. */
extern const double demo_again_share[DEMO_FAULT_BANDS];
/* (j): customers viewing before and from the link's month: with a
 * viewing in the data (cohort by the last one), with a contract, who
 * would have signed in the data but for the link, moved in. */
struct demo_funnel_count {
    int64_t viewed, signed_, lost, moved_in;
};
void demo_funnel_count(const struct demo *d, struct demo_funnel_count out[2]);

/* (a)'s bands: <=24 h, <=72 h, <=168 h, <=336 h, more; and the NPS
 * points each adds to the target (demo_responses.c). */
int demo_fault_band(double hours);
extern const int demo_fault_nps[DEMO_FAULT_BANDS];

/* ---- buffered output ---- */

struct demo_out {
    FILE *f;
    char *buf;
    size_t n, cap;
    uint64_t bytes, rows;
    int failed;
};

void demo_out_flush(struct demo_out *w);

static inline void demo_out_put(struct demo_out *w, const char *s, size_t n)
{
    if (w->n + n > w->cap) {
        demo_out_flush(w);
        if (n > w->cap) {
            if (fwrite(s, 1, n, w->f) != n)
                w->failed = 1;
            w->bytes += n;
            return;
        }
    }
    memcpy(w->buf + w->n, s, n);
    w->n += n;
}

static inline void demo_out_puts(struct demo_out *w, const char *s)
{
    demo_out_put(w, s, strlen(s));
}

static inline void demo_out_putc(struct demo_out *w, char c)
{
    if (w->n == w->cap)
        demo_out_flush(w);
    w->buf[w->n++] = c;
}

/* Decimal, no sign. */
void demo_out_u64(struct demo_out *w, uint64_t v);
/* An id: prefix and at least `width` digits, zero padded. */
void demo_out_id(struct demo_out *w, char prefix, uint64_t v, int width);
/* v with `dec` decimals (0..3), rounded half away from zero, v >= 0. */
void demo_out_fixed(struct demo_out *w, double v, int dec);
/* "YYYY-MM-DDTHH:MM:SS+01:00" in Stockholm time. */
void demo_out_time(struct demo_out *w, int64_t utc);
/* "YYYY-MM-DD". */
void demo_out_date(struct demo_out *w, int64_t day);
/* A CSV field, quoted when it holds a comma, quote or line break. */
void demo_out_csv(struct demo_out *w, const char *s, size_t n);

/* ---- Stockholm time (EU rules: +02:00 from the last Sunday of March to
 * the last Sunday of October, switching at 01:00 UTC) ---- */

int demo_tz_offset(int64_t utc);          /* minutes: 60 or 120 */
int64_t demo_local_to_utc(int64_t local); /* local seconds since 1970 */
int demo_weekday(int64_t day);            /* 0 = Monday .. 6 = Sunday */

/* ---- the parts ---- */

int demo_journey_write(struct demo_out *w);
void demo_people_generate(struct demo *d);
void demo_customers_write(struct demo *d, struct demo_out *w,
                          demo_progress_fn progress, void *ctx);
void demo_events_write(struct demo *d, struct demo_out *w,
                       demo_progress_fn progress, void *ctx);
void demo_responses_write(struct demo *d, struct demo_out *w,
                          demo_progress_fn progress, void *ctx);
void demo_people_free(struct demo *d);

/* ---- the questions beyond NPS, CSAT and CES (demo_answers.c) ---- */

/* rating:speed, quality, communication, staff */
#define DEMO_DRIVER_N 4
/* expect:/perceive: response_time, competence, followup */
#define DEMO_GAP_N 3

/* One response's extra answers. The flags say which blocks were answered;
 * the values are drawn (and move the NPS) either way. */
struct demo_answers {
    int drivers, gap, story;
    unsigned char driver[DEMO_DRIVER_N];                    /* 0..10 */
    unsigned char expect[DEMO_GAP_N], perceive[DEMO_GAP_N]; /* 1..7 */
    unsigned short triad[3]; /* thousandths, summing to 1000 */
    unsigned short dyad;     /* thousandths */
};

/* Draws the extra answers of a response at touchpoint tp from r (the
 * answers stream). repeat: the phone call is a repeated contact. Returns
 * their planted effect on the expected NPS, in points (0 where the
 * touchpoint asks none). */
double demo_answers_draw(struct demo_answers *a, struct rng *r, int tp,
                         const struct demo_customer *c, int repeat);
/* The extra header columns, each with its leading comma. */
void demo_answers_header(struct demo_out *w);
/* The extra fields of a row, each with its leading comma; a block not
 * answered is empty. */
void demo_answers_write(struct demo_out *w, const struct demo_answers *a);

/* What a comment is about and how the respondent feels. */
enum sentiment { SENT_NEG, SENT_NEU, SENT_POS };
struct demo_comment_ctx {
    int tp;
    int sentiment;
    int english;
    int login_broken; /* the broken-login month, at an app touchpoint */
    double res_hours; /* the fault's resolution; < 0 when unknown */
    int fault_object; /* index into demo_fault_objects; < 0 unknown */
    int team;         /* viewing team */
    int district;
};

/* Replaces sb's contents with a comment. Uses only r. */
void demo_comment_compose(struct strbuf *sb, struct rng *r,
                          const struct demo_comment_ctx *c);

/* Stream numbers for rng_seed_stream: each part of the data set draws
 * from its own streams, so that skipping one (no events, no comments)
 * leaves the others unchanged. */
enum {
    STREAM_CUSTOMER = 1, /* + (index << 8) */
    STREAM_EVENTS = 2,   /* + (index << 8) */
    STREAM_PAYMENTS = 3, /* + (index << 8) */
    STREAM_RESPONSES = 4,
    STREAM_COMMENTS = 5,
    STREAM_ANSWERS = 6,   /* the questions beyond NPS, CSAT and CES */
    STREAM_HOUSEHOLD = 7, /* + (index << 8) */
    STREAM_WORKORDER = 8, /* + (index << 8): (i) faults reported again */
    STREAM_LINK = 9,      /* + (index << 8): (j) the expired link */
    STREAM_MOVEIN = 10    /* + (index << 8): (k) the move-in experience */
};

/* Planted sizes of (i)-(k) (docs/demo-data.md). */
#define AGAIN_NPS (-15)      /* (i): answers after a re-reported repair */
#define LINK_LOST_SHARE 0.5  /* (j): of digital signers viewing from then */
#define MOVEIN_NPS_PER_SD 40 /* (k): besiktning_in */
#define MOVEIN_LEAVE 0.15    /* (k): leaving, times 4^-q - 1 */
