#pragma once
/* The transactional importer: responses, customers or events from a CSV
 * or JSON Lines buffer into a store, validated per docs/import-formats.md.
 *
 * All or nothing by default: the whole file is one store transaction, and
 * the first bad row (or a failing store) rolls it back, so a failed import
 * changes nothing. Rows whose id is already stored are skipped and
 * counted as "already present". A row repeating an earlier row of the
 * file (same id, same values) is skipped and counted as "repeated"; the
 * same id with different values is an error naming both lines.
 * With a rejects writer, bad rows are written there instead (as CSV with
 * their line, column and reason) and the good rows are imported; header
 * problems and store failures still stop the import.
 *
 * The calling thread reads and validates; responses go on in batches to
 * a pool of threads that redact and analyse their comments, then to one
 * that writes them in file order, so what is stored does not depend on
 * the number of threads. Memory stays bounded whatever the file's size.
 * The callbacks below are called on the calling thread.
 *
 * Personal data in text answers, response attributes (attr:NAME) and
 * chosen options (choice:KEY) is always redacted before they are stored;
 * there is no option to keep it (docs/privacy.md). */

#include <stddef.h>
#include <stdint.h>

struct err;
struct store;
struct themes;

enum import_kind { IMPORT_RESPONSES, IMPORT_CUSTOMERS, IMPORT_EVENTS };
enum import_format { IMPORT_CSV, IMPORT_JSONL };

/* Receives bytes of the rejects file; returns 0, or <0 to stop (ERR_IO). */
typedef int (*import_write_fn)(void *ctx, const char *p, size_t n);
/* Called every few thousand rows and at the end. */
typedef void (*import_progress_fn)(void *ctx, int64_t rows, size_t bytes_done,
                                   size_t bytes_total);
/* Called now and then with an offset of the buffer below which the
 * importer is done reading, but for a rare look back at an id (so those
 * bytes must stay readable): the owner of a mapped file can drop those
 * pages from memory (they are read back from the file if touched). */
typedef void (*import_release_fn)(void *ctx, size_t upto);

struct import_opts {
    enum import_kind kind;
    enum import_format format;
    char delimiter;          /* CSV: ',' ';' '\t', or 0 to detect */
    const char *map;         /* "FROM=TO,..." (TO "-" ignores FROM), or NULL */
    import_write_fn rejects; /* non-NULL: skip bad rows, write them here */
    void *rejects_ctx;
    import_progress_fn progress; /* optional */
    void *progress_ctx;
    size_t batch_rows; /* responses per store batch; 0 = the default */
    /* Text answers (comments, text:KEY, stories) are analysed on the way
     * in (src/text/analyze.h): personal data redacted before the text is
     * stored, language, sentiment and themes stored beside it. */
    int no_analysis; /* 1: only redact, store no analysis (benchmarks) */
    /* The taxonomy to find themes with (borrowed), or NULL for the one
     * saved in the store (store_get_taxonomy), else the built-in one. */
    const struct themes *themes;
    /* Constant columns, "NAME=VALUE[,NAME=VALUE...]", or NULL: as if the
     * file had column NAME with VALUE in every row. A VALUE holding a
     * comma or starting with a quote is quoted: note="a,b" ("" inside
     * for a quote). A NAME the file also has (after map) is an error. */
    const char *set;
    /* Field values that mean "absent", "V[,V...]" (quoted as for set),
     * or NULL: a field equal to one of them after trimming, ignoring
     * ASCII case, is treated like an empty one. Free text is not. */
    const char *na;
    /* Customers only: 1 = known customers are updated
     * (store_update_customer: attributes merged, a changed segment
     * recorded in the history from as_of), new ones inserted; counted as
     * inserted, updated or unchanged. 0 = a known id is "already
     * present" and left as it is. */
    int update;
    /* With update: when the segment changes took effect, a date
     * ("2025-03-01": midnight UTC, or read as a time in tz when tz is
     * given) or a time as tz and time_format read them; NULL = when the
     * import started. */
    const char *as_of;
    /* How times (submitted_at, time, --as-of) are read: tz is an IANA
     * zone for times written without one ("Europe/Stockholm"), NULL =
     * every time must carry its zone; time_format is NULL or "auto"
     * (ISO 8601), "excel" (serial days) or a strptime-like pattern
     * ("%d/%m/%Y %H:%M"), docs/timestamps.md. */
    const char *tz;
    const char *time_format;
    /* Threads that redact and analyse comments (responses): 0 = one per
     * online core (import_threads), 1 = none, the calling thread does
     * it. The store is written by one more thread either way. */
    int threads;
    import_release_fn release; /* optional */
    void *release_ctx;
};

#define IMPORT_OPTS_INIT                                                       \
    {                                                                          \
        IMPORT_RESPONSES, IMPORT_CSV, 0, NULL, NULL, NULL, NULL, NULL, 0, 0,   \
            NULL, NULL, NULL, 0, NULL, NULL, NULL, 0, NULL, NULL               \
    }

struct import_counts {
    int64_t read;      /* data rows read, bad ones included */
    int64_t inserted;  /* rows written */
    int64_t present;   /* rows skipped because their id was already stored */
    int64_t repeated;  /* rows skipped because an identical row (same id,
                        * same values) came earlier in the file */
    int64_t updated;   /* customers --update: known ones changed */
    int64_t unchanged; /* customers --update: known ones already so */
    int64_t rejected;  /* bad rows written to the rejects writer */
    int64_t customers_created; /* bare customers made for unknown ids */
    int64_t analysed;          /* text answers analysed (or only redacted) */
    int64_t redacted;          /* of those, with personal data replaced */
    int64_t redacted_values;   /* attribute and chosen-option values with
                                * personal data replaced (responses) */
};

/* Imports buf[0..len) (borrowed) into s. path names the file in error
 * locations ("responses.csv:14:7: ..."; a bad --set value is located
 * "--set:NAME", and stops the import even with rejects). *out is filled
 * even on failure (counts reached so far; nothing of them is kept then).
 * Returns 0; ERR_INVALID for bad input (located), ERR_IO if the rejects
 * writer fails, ERR_DB if the store fails; the transaction is rolled
 * back on any error. */
int import_run(struct import_counts *out, struct store *s, const char *buf,
               size_t len, const char *path, const struct import_opts *opts,
               struct err *err);

/* The analysis threads an import_opts.threads value asks for: itself when
 * positive (at most 64), else the number of online cores. */
int import_threads(int asked);

/* Guesses the format from a file name: .jsonl/.ndjson are JSON Lines,
 * .csv/.txt/.tsv CSV. ERR_INVALID when the name says neither. */
int import_format_guess(enum import_format *out, const char *path,
                        struct err *err);

/* Parses "responses", "customers" or "events". ERR_INVALID otherwise. */
int import_kind_parse(enum import_kind *out, const char *s, struct err *err);
const char *import_kind_name(enum import_kind k);
