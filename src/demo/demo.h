#pragma once
/* The demo data set: a deterministic, seeded generator for a fictional
 * Swedish rental-housing company (docs/demo-data.md).
 *
 * demo_generate writes journey.json, customers.csv, responses.csv and
 * (unless opts.events is 0) events.csv into a directory, in the formats
 * of docs/import-formats.md, with planted.json (the effects as drawn) and
 * loop.json (the closed loop's rules and teams, docs/closed-loop.md).
 * The same options give byte-identical files. Planted effects, with the
 * sizes documented in docs/demo-data.md, let later analysis be tested
 * against known answers. The library never prints; progress goes
 * through an optional callback. demo_cases_plant adds the closed loop's
 * case history to a store the demo was loaded into. */

#include <stdint.h>

struct err;
struct store;

struct demo_opts {
    uint64_t seed;
    uint64_t customers; /* 1 .. DEMO_MAX_CUSTOMERS */
    uint64_t responses; /* 0 .. DEMO_MAX_RESPONSES */
    unsigned months;    /* 1 .. DEMO_MAX_MONTHS, ending with 2026-10 */
    double comments;    /* 0..1: share of responses with a comment */
    int events;         /* 0: do not write events.csv */
};

/* Events are held in memory to be written in time order: about 26 per
 * customer, 24 bytes each, so a million customers need some 650 MB. */
#define DEMO_MAX_CUSTOMERS 1000000ULL
#define DEMO_MAX_RESPONSES 1000000000ULL
#define DEMO_MAX_MONTHS 120

/* The defaults: seed 1, 20,000 customers, 200,000 responses over 24
 * months, comments on 25% of responses, events written. */
void demo_opts_init(struct demo_opts *o);

/* Checks the ranges above. 0 or ERR_INVALID naming the option. */
int demo_opts_check(const struct demo_opts *o, struct err *err);

enum demo_file {
    DEMO_JOURNEY,
    DEMO_CUSTOMERS,
    DEMO_RESPONSES,
    DEMO_EVENTS,
    DEMO_N_FILES
};

/* What was written: per file its name, data rows (touchpoints for the
 * journey) and bytes. Files not written have rows = bytes = 0 and
 * written = 0. */
struct demo_result {
    struct {
        const char *name; /* static: "journey.json", ... */
        int written;
        uint64_t rows;
        uint64_t bytes;
    } files[DEMO_N_FILES];
    char first_month[8]; /* "YYYY-MM" */
    char last_month[8];
};

/* Called now and then while a file is written: rows done of total. */
typedef void (*demo_progress_fn)(void *ctx, const char *file, uint64_t done,
                                 uint64_t total);

/* Writes the data set into dir, which must exist. Each file is written
 * under a temporary name and renamed when complete, so a failure leaves
 * no half-written file behind. OUT: *res (may be NULL). Returns 0,
 * ERR_INVALID for bad options, ERR_IO when a file cannot be written. */
int demo_generate(struct demo_result *res, const struct demo_opts *o,
                  const char *dir, demo_progress_fn progress, void *ctx,
                  struct err *err);

/* Writes the demo's loop document (rules, teams, calendar, digest e-mail,
 * recovery survey; docs/demo-data.md "The closed loop") to dir/loop.json,
 * under a temporary name renamed when complete. 0 or ERR_IO. */
int demo_loop_write(const char *dir, struct err *err);

/* What demo_cases_plant did. */
struct demo_cases_result {
    int64_t cases;          /* cases in the store */
    int64_t planted;        /* given a history now */
    int64_t skipped;        /* left alone: someone (or an earlier run) acted */
    int64_t contacted;      /* of the cases not skipped: contacted */
    int64_t resolved;       /* of those: resolved */
    int64_t closed;         /* of those: closed */
    int64_t never;          /* of the cases not skipped: drawn as never
                             * to be contacted */
    int64_t open_at_end;    /* still open at the data's end (never contacted
                             * or opened in its last days) */
    int64_t improvement_id; /* the login fix (b), marked done */
    int64_t improvement_at; /* when it took effect, UTC seconds */
    int improvement_new;    /* 1: marked done now; 0: it already was */
};

/* Plants the demo's case handling history (docs/demo-data.md, "The
 * closed loop") on a store that holds the demo and its loop document,
 * loaded with a backfill: for each case nobody has acted on yet, a first
 * contact, a resolution and a closure after team-specific delays in
 * working time, drawn from seed (one random stream per case, so the same
 * seed gives the same history), as of the data's end (2026-10-31); and
 * the login fix of planted effect (b) marked done on 2026-04-01. One
 * transaction with one audit entry ("demo.cases", by actor); no
 * notifications. Running it again changes nothing. OUT: *res. Returns 0,
 * ERR_NOTFOUND when no rules are loaded, they opened no cases or the
 * demo's journey is missing, ERR_DB. */
int demo_cases_plant(struct demo_cases_result *res, struct store *s,
                     uint64_t seed, const char *actor, struct err *err);
