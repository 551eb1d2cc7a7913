#pragma once
/* Journey definitions: the JSON file `resonans journey load` reads
 * (docs/import-formats.md), parsed into plain structs, saved to a store in
 * one transaction, and read back from one (for `journey show`).
 *
 * Parse errors are ERR_INVALID; the message names the JSON path, e.g.
 * "journeys[0].stages[2].touchpoints[1].channel: must be a string", and
 * the location is the file (with line:col when jansson gives one). */

#include <stddef.h>
#include <stdint.h>

#include "store/model.h"

struct err;
struct store;

struct journey_def_touchpoint {
    char *key, *name, *channel;
    char *owner; /* NULL when not given */
    int moment_of_truth, physical;
    char **aliases; /* other names it goes by in exports; may be NULL */
    size_t n_aliases;
};

struct journey_def_stage {
    char *key, *name;
    struct journey_def_touchpoint *touchpoints;
    size_t n_touchpoints;
};

struct journey_def_journey {
    char *key, *name;
    enum lifecycle lifecycle;
    struct journey_def_stage *stages;
    size_t n_stages;
};

/* A whole definition; every string is owned by it. */
struct journey_def {
    struct journey_def_journey *journeys;
    size_t n_journeys;
};

#define JOURNEY_DEF_MAX_BYTES ((size_t)16 << 20)

/* Parses buf[0..len) without touching a database (also the fuzz entry
 * point). path names the file in errors. Caller frees *out with
 * journey_def_free. ERR_INVALID for bad JSON, a missing or mistyped
 * field, an unknown field, an unknown lifecycle, a key used twice, or an
 * alias that is (case-insensitively) another touchpoint's key, name or
 * alias. */
int journey_def_parse(struct journey_def **out, const char *buf, size_t len,
                      const char *path, struct err *err);
void journey_def_free(struct journey_def *d);

/* Totals, for messages. */
void journey_def_sizes(const struct journey_def *d, size_t *journeys,
                       size_t *stages, size_t *touchpoints);

/* A touchpoint the definition puts in another journey than the one the
 * store has it in: saving moves it there, and its responses with it. */
struct journey_def_move {
    char *touchpoint, *from, *to; /* keys: the touchpoint, its journey in
                                   * the store, its journey in the file */
    int64_t responses;            /* stored responses at the touchpoint */
};

/* The moves of one save, in the store's journey and stage order; owned,
 * freed by journey_def_moves_dispose. */
struct journey_def_moves {
    struct journey_def_move *v;
    size_t n;
};

#define JOURNEY_DEF_MOVES_INIT                                                 \
    {                                                                          \
        NULL, 0                                                                \
    }

void journey_def_moves_dispose(struct journey_def_moves *m);

/* Flags for journey_def_apply. */
#define JOURNEY_DEF_MOVE 0x1u /* a touchpoint may move to another journey */

/* Upserts every journey, stage, channel and touchpoint by key in one
 * transaction; on failure nothing is changed. A touchpoint the store has
 * in another journey than d puts it in would move there with all its
 * responses, which a file that merely reuses a key must not do silently:
 * without JOURNEY_DEF_MOVE that is ERR_CONFLICT, naming the first such
 * touchpoint and both journeys, and nothing is changed. moves (may be
 * NULL) gets every such touchpoint, whether refused or moved. ERR_DB from
 * the store. */
int journey_def_apply(const struct journey_def *d, struct store *s,
                      unsigned flags, struct journey_def_moves *moves,
                      struct err *err);
/* journey_def_apply without JOURNEY_DEF_MOVE and without the list. */
int journey_def_save(const struct journey_def *d, struct store *s,
                     struct err *err);

/* Reads what the store holds as a definition (stages without touchpoints
 * included). Caller frees *out with journey_def_free. */
int journey_def_read(struct journey_def **out, struct store *s,
                     struct err *err);

/* The definition as JSON in the format journey_def_parse reads, indented,
 * ending in a newline. Caller frees with free(). */
char *journey_def_to_json(const struct journey_def *d);
