#pragma once
/* Private to the importer (import.h is the contract): its state and the
 * functions its files share. The rooms:
 *
 *   import.c         orchestration: header, the row loop, rejects, errors,
 *                    the transaction (import_run)
 *   import_batch.c   batches of validated responses, the threads that
 *                    analyse their comments and the one that writes them
 *   import_cols.c    column mapping: header names -> roles, --map
 *   import_field.c   reading one field: trimming, numbers, keys, attributes
 *   import_time.c    the one place a timestamp is parsed
 *   import_lookup.c  touchpoints, channels, customers, employees -> ids
 *   import_row.c     validating a response, customer or event row
 *   import_text.c    redaction and analysis of text answers
 */

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "core/strbuf.h"
#include "ingest/import.h"
#include "ingest/record.h"
#include "store/model.h"
#include "text/analyze.h"

struct csv_reader;
struct jsonl_reader;
struct idset;
struct langid;
struct sentiment;
struct store;
struct strmap;
struct themes;

#define MAX_ID 255                  /* bytes in an id or key */
#define MAX_ATTRS ((size_t)1 << 20) /* bytes of one row's attributes JSON */
#define BATCH_ROWS 8192             /* responses per store batch */
/* Batches in flight beyond one per analysis thread: one filling, one
 * being written, one ready to be. */
#define NBATCH_EXTRA 3
#define MAX_THREADS 64 /* analysis threads at most */
#define ROW_ALIGN 16   /* rows hold answers, so keep them aligned */

/* What a column means. Roles before R_N_SINGLE may appear once each. */
enum role {
    R_UNSET = 0, /* JSON Lines: a column not looked at yet */
    R_ID,
    R_SUBMITTED_AT,
    R_TOUCHPOINT,
    R_CUSTOMER,
    R_EMPLOYEE,
    R_RESPONDENT,
    R_CHANNEL,
    R_LANGUAGE,
    R_NPS,
    R_CSAT,
    R_CES,
    R_SEGMENT,
    R_ACTIVITY,
    R_TIME,
    R_N_SINGLE,
    R_IGNORE, /* --map X=- */
    R_UNKNOWN,
    R_ANSWER,
    R_ATTR
};

/* The import kinds as bits, for the column table. */
enum { K_RESP = 1, K_CUST = 2, K_EVT = 4 };

/* One answer a response row can carry. */
struct aspec {
    enum answer_kind kind;
    char *key;
    int col[2]; /* column of each side, -1 if none */
    double max; /* ratings and gaps: the top of the scale */
};

struct col {
    enum role role;
    char *name; /* as named (after --map), for messages */
    int ans;    /* R_ANSWER: index in aspecs */
    int side;
    char *attr_json; /* R_ATTR: "\"name\":" */
};

struct map_entry {
    char *from; /* lower-cased */
    char *to;
    int used;
};

/* A --set column: its field comes first in every record (set_field). */
struct set_col {
    char *name;
    char *value;
    size_t n;
};

/* A --na value. */
struct na_value {
    char *p;
    size_t n;
};

struct tp {
    int64_t id;
    char *key;
    char *channel;
    int64_t channel_id; /* 0 until first needed */
};

/* ---- batches of responses, and the threads that finish them ----
 *
 * A response goes through three stages: reading and validating (the
 * calling thread, the producer), redacting and analysing its comments
 * (a pool of analysis threads, each with its own analyzer over the
 * shared read-only models), and storing (one writer thread): each about
 * a third of the work. Each stage works a batch at a time. Batches are analysed
 * in any order on any thread but written strictly in file order, and each
 * comment's analysis depends only on its text, so the database is the
 * same whatever the number of threads. Memory is bounded: there are
 * never more than threads + NBATCH_EXTRA batches, and the producer waits
 * for a free one.
 *
 * The store is not thread-safe: the writer alone uses it while the pipe
 * runs, except when the producer has drained the pipe and taken the
 * store back (pipe_drain), to create a customer or channel a row names.
 * The transaction is begun and ended on the calling thread, with the
 * pipe stopped. */

/* A text answer waiting for the analysis threads: its answer (in the
 * batch's row storage), which side (0 the text, 1 a story's title, only
 * redacted), and where it came from for an error message. */
struct textjob {
    struct answer *a;
    const char *lang; /* the respondent's language, or NULL */
    long line, col;
    int side;
};

/* A block of a batch's row storage. */
struct chunk {
    struct chunk *next;
    size_t cap, used;
    char *data;
};

/* Validated responses, ids resolved, ready to store. Each row's strings
 * and answers live in the batch's chunks, so the batch is self-contained
 * and can be written on the other thread while the next one fills. */
struct batch {
    struct response *rows;
    size_t n, cap;
    struct chunk *chunks, *last;
    struct chunk *cur; /* the chunk rows are cut from */
    /* Side storage for what a row gains after its room was sized: the
     * redacted texts and analyses of its comments (batch_alloc). */
    struct chunk *side, *side_last, *side_cur;
    /* Comments to analyse; the first jobs_kept belong to committed rows,
     * the rest to the row being read. */
    struct textjob *jobs;
    size_t njobs, jobs_kept, jobs_cap;
    int state;        /* enum batch_state, guarded by the pipe's mu */
    int64_t redacted; /* comments with personal data replaced */
    int failed;       /* analysis failed: err says where */
    struct err err;
};

enum batch_state { B_FREE, B_QUEUED, B_ANALYSING, B_READY };

/* What an analysis thread needs: the shared models (borrowed) and how to
 * name a failing text. */
struct textcfg {
    const struct langid *langid;
    const struct sentiment *sentiment;
    const struct themes *themes;
    int no_analysis; /* only redact */
    const char *path;
};

/* The bounded pipe between the threads. Every batch is in exactly one
 * place: being filled (the producer's), in the queue (in file order:
 * waiting for analysis, being analysed, or ready to write), being
 * written, or free. Fields below mu are guarded by it. */
struct pipe {
    struct store *s;
    struct textcfg cfg;
    struct batch *batches;
    size_t nbatch;
    int nworkers; /* analysis threads; 0: the producer analyses */
    int running;  /* the threads exist (producer's view) */
    int nstarted; /* analysis threads started */
    pthread_t writer;
    pthread_t *workers;
    pthread_mutex_t mu;
    pthread_cond_t work;  /* analysis threads: a batch queued, or done */
    pthread_cond_t ready; /* writer: a batch analysed, or done */
    pthread_cond_t idle;  /* producer: a batch written and freed */
    size_t *queue;        /* indexes in batches: a ring of nbatch, file order */
    size_t qhead, qn;
    size_t *free_list; /* indexes in batches */
    size_t nfree;
    int busy;   /* the writer is writing a batch */
    int done;   /* no more batches will come */
    int failed; /* a batch failed (analysis or store): err says which */
    struct err err;
    struct import_counts wrote; /* inserted, present and redacted */
};

/* One import: everything import_run sets up, on the calling thread. */
struct timefmt;
struct tz;

struct imp {
    const struct import_opts *o;
    struct tz *tz;      /* --tz, or NULL */
    struct timefmt *tf; /* --time-format (auto by default) */
    unsigned kind;      /* K_ */
    const char *path;
    struct store *s;
    struct import_counts *n;
    struct csv_reader *csv;
    struct jsonl_reader *jsonl;

    struct col *cols;
    size_t ncols, cols_cap;
    int single[R_N_SINGLE]; /* column of each single role, -1 if none */
    struct aspec *aspecs;
    size_t naspecs, aspecs_cap;
    struct strmap *attr_names; /* lower-cased attribute name -> column */
    struct map_entry *map;
    size_t nmap;
    /* --set columns are columns 0..nsets-1 and the file's follow them;
     * each record is copied into ext with the constant fields in front. */
    struct set_col *sets;
    size_t nsets;
    struct rec_field *ext;
    size_t ext_cap;
    struct na_value *na;
    size_t nna;
    int fatal;     /* the error is not the row's (a --set value): stop */
    int64_t since; /* --update: segment changes are recorded from here */

    struct idset *ids;      /* ids seen in this file, with their line */
    struct strmap *tp_keys; /* touchpoint key -> index in tps */
    /* folded key, name or alias -> index + 1 of the touchpoint, and of a
     * second one (<< 32) when two share it */
    struct strmap *tp_names;
    struct strmap *tp_seen; /* value as given -> index, once resolved */
    struct tp *tps;
    size_t ntps, tps_cap;
    struct strmap *channels;    /* channel key (or a spelling seen) -> id */
    struct strmap *chan_folded; /* folded channel key -> id of the first */
    struct strbuf fold;         /* scratch for folded names */
    struct strmap *customers;   /* ext id -> id */
    struct strmap *employees;   /* ext id -> id */

    size_t data_start; /* offset of the first data row */
    size_t released;   /* offset last given to o->release */

    /* The batch being filled (responses), whose room also holds the
     * current row of any kind: its answers, then NUL-terminated copies
     * of its strings. */
    struct pipe pipe;
    struct batch *fill;
    size_t batch_rows;
    char *row;
    size_t row_n, row_cap;
    struct answer *answers; /* naspecs slots at the start of row */
    struct strbuf attrs;
    struct strbuf tmp; /* derived event ids, rejects lines */
    struct strbuf fp;  /* a row's values, to fingerprint */

    /* Text analysis: models shared with the analysis threads, and this
     * (the reading) thread's own analyzer for values redacted at once
     * and for texts analysed here (comments_analyze). */
    int threads; /* analysis threads; 1: none, texts analysed here */
    /* the row being read: its texts (analysed, and redacted here) */
    int64_t row_analysed, row_redacted;
    struct langid *langid;
    struct sentiment *sentiment;
    struct themes *themes_owned;
    const struct themes *themes;
    struct analyzer *analyzer;
    struct analysis an;
};

/* ---- import.c ---- */

/* A located ERR_INVALID at field f ("path:line:col: message", or
 * "--set:NAME: message" for a --set field, which also sets m->fatal). */
int import_bad(struct imp *m, const struct rec_field *f, struct err *err,
               const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* ---- import_batch.c ---- */

/* Room for one row of up to need bytes, valid until the batch is reset.
 * It stays free for the next row unless batch_commit claims it. */
char *batch_room(struct batch *b, size_t need);
/* n bytes (8-aligned) of side storage, valid until the batch is reset. */
void *batch_alloc(struct batch *b, size_t n);
/* Appends r, whose strings and answers are the first used bytes of the
 * room batch_room gave. */
void batch_commit(struct batch *b, const struct response *r, size_t used);
/* Empties the batch for refilling, keeping its memory. */
void batch_reset(struct batch *b);
void batch_dispose(struct batch *b);
/* Stores the batch's rows in order, counting them into n. Stops at the
 * first failure. */
int batch_write(struct batch *b, struct store *s, struct import_counts *n,
                struct err *err);

/* Drops the jobs of a row that was not committed; keeps the others. */
void batch_keep_jobs(struct batch *b, int keep);

/* Sets up nbatch = nworkers + NBATCH_EXTRA batches; *fill gets the first.
 * pipe_dispose frees them (after pipe_stop). */
void pipe_init(struct pipe *p, struct store *s, const struct textcfg *cfg,
               int nworkers, struct batch **fill);
void pipe_dispose(struct pipe *p);
/* Frees the batches' memory early (before a commit), keeping the pipe. */
void pipe_release(struct pipe *p);
/* Starts the writer and the analysis threads. Returns 0, or -1 when no
 * thread could be had (the caller then analyses and writes batches
 * itself). */
int pipe_start(struct pipe *p);
/* Queues *fill and hands back a free batch in its place. Returns 0, or
 * the pipe's error once a batch has failed. */
int pipe_push(struct pipe *p, struct batch **fill, struct err *err);
/* Waits until every queued batch is written and the threads are idle, so
 * the caller may use the store. Returns 0, or the pipe's error. */
int pipe_drain(struct pipe *p, struct err *err);
/* Lets the threads finish what is queued, then stops them. If a batch
 * failed, its error replaces rc and err: in file order it came first. */
int pipe_stop(struct pipe *p, int rc, struct err *err);

/* ---- import_cols.c ---- */

/* Parses --map "FROM=TO,..." into m->map. ERR_INVALID located "--map". */
int cols_parse_map(struct imp *m, const char *spec, struct err *err);
/* Parses --set "NAME=VALUE,..." into m->sets and --na "V,..." into m->na.
 * ERR_INVALID located "--set" or "--na". */
int cols_parse_set(struct imp *m, const char *spec, struct err *err);
int cols_parse_na(struct imp *m, const char *spec, struct err *err);
/* Gives the --set columns (0..nsets-1) their roles. */
int cols_resolve_sets(struct imp *m, struct err *err);
/* The field of --set column k, located so import_bad names it. */
struct rec_field cols_set_field(const struct imp *m, size_t k);
/* rec with the --set fields in front (rec itself when there are none);
 * borrowed, valid until the next call. */
const struct record *cols_extend(struct imp *m, const struct record *rec,
                                 struct record *ext);
void cols_dispose(struct imp *m);
/* Gives column i (named p[0..n), at f for messages) its role. */
int cols_resolve(struct imp *m, size_t i, const char *p, size_t n,
                 const struct rec_field *f, struct err *err);
/* CSV: after the header, every required column and both halves of every
 * pair must be there, and every --map name must have matched. */
int cols_check_header(struct imp *m, const struct record *hdr, struct err *err);
/* JSON Lines: gives roles to columns first seen in this record. An
 * unknown column stays R_UNKNOWN, so every row using it is rejected. */
int cols_from_jsonl(struct imp *m, const struct record *rec, struct err *err);
/* The column name of a single role ("submitted_at"). */
const char *cols_role_name(enum role r);

/* ---- import_field.c ---- */

/* 1 if a[0..an) equals the lower-case b, ignoring ASCII case. */
int recfield_lc_eq(const char *a, size_t an, const char *b);
/* Trims spaces and tabs from both ends. */
void recfield_trim(const char **p, size_t *n);
/* How much of a value to show in a message: at most 40 bytes, not cutting
 * a UTF-8 sequence. */
int recfield_shown(const char *p, size_t n);
/* Parses [+-]digits[(.|,)digits][e[+-]digits] as a finite double. */
int recfield_parse_number(double *out, const char *p, size_t n);
/* Parses [+-]digits as an integer (no more than 9 digits). */
int recfield_parse_int(long *out, const char *p, size_t n);
/* Writes an attribute value: a JSON number if the text is a plain decimal
 * number that reads back without loss (no leading zeros, so "01234" stays
 * a string; integers must fit 64 bits), else a JSON string. */
void recfield_attr_value(struct strbuf *b, const char *p, size_t n);
/* 1..MAX_ID bytes without controls, spaces, commas or quotes. */
int recfield_valid_key(const char *p, size_t n);
/* An attribute name: 1..MAX_ID bytes, spaces allowed inside, none of
 * the characters a query's field syntax uses (, " = ; : < > !). */
int recfield_valid_attr(const char *p, size_t n);
/* A NUL-terminated copy of p[0..n) valid for this row (m->row). */
const char *recfield_cstr(struct imp *m, const char *p, size_t n);
/* The field in column ci of rec, trimmed unless raw, or NULL when absent
 * or empty, or (unless raw) equal to a --na value. */
const struct rec_field *recfield_get(const struct imp *m,
                                     const struct record *rec, int ci,
                                     struct rec_field *tmp, int raw);
/* 1 when the trimmed p[0..n) is a --na value. */
int recfield_is_na(const struct imp *m, const char *p, size_t n);
/* A required single column: present and not empty, or a located error. */
int recfield_need(struct imp *m, const struct record *rec, enum role r,
                  struct rec_field *tmp, const struct rec_field **out,
                  struct err *err);
/* An id or key of at most MAX_ID bytes, copied for the row. */
int recfield_id(struct imp *m, const struct rec_field *f, const char *what,
                const char **out, struct err *err);
/* A headline score lo..hi of role r, or -1 when absent. */
int recfield_score(struct imp *m, const struct record *rec, enum role r,
                   const char *name, int lo, int hi, int *out, struct err *err);

/* ---- import_time.c ---- */

/* Every timestamp the importer reads is parsed here: f holds it, what
 * names the column for messages. *utc gets UTC seconds and *tz the
 * offset in minutes it was written with. */
int recfield_time(struct imp *m, const struct rec_field *f, const char *what,
                  int64_t *utc, int *tz, struct err *err);
/* --as-of: a timestamp, or a date meaning midnight UTC. ERR_INVALID
 * located "--as-of". */
int recfield_as_of(struct imp *m, const char *s, int64_t *utc, struct err *err);
/* Loads --tz and compiles --time-format for parse_time: ERR_NOTFOUND or
 * ERR_INVALID located at the option. import_time_stop frees them. */
int import_time_start(struct imp *m, struct err *err);
void import_time_stop(struct imp *m);

/* ---- import_lookup.c ---- */

/* Loads the touchpoints, channels, customers and employees rows refer to. */
int lookup_load(struct imp *m, struct err *err);
/* The touchpoint f names by key, name or alias, case-insensitively: *idx
 * is its index in m->tps. ERR_INVALID (at f) for an unknown value or one
 * that names two touchpoints. */
int lookup_touchpoint(struct imp *m, const struct rec_field *f, size_t *idx,
                      struct err *err);
/* The touchpoint whose key, name or alias an event's activity is, for an
 * event without a touchpoint (the journey file maps activities that way).
 * 1 and *idx when exactly one; 0 otherwise, which is not an error. */
int lookup_activity_touchpoint(struct imp *m, const char *p, size_t n,
                               size_t *idx);
/* Ids of a channel (matched case-insensitively to a stored key), customer
 * or employee, created when new (the writer thread is drained first,
 * since the store is not thread-safe). */
int lookup_channel(struct imp *m, const char *key, size_t n, int64_t *id,
                   struct err *err);
int lookup_customer(struct imp *m, const char *ext, size_t n, int64_t *id,
                    struct err *err);
int lookup_employee(struct imp *m, const char *ext, size_t n, int64_t *id,
                    struct err *err);
/* Creates the lookup maps; lookup_dispose frees them and the touchpoints. */
void lookup_init(struct imp *m);
void lookup_dispose(struct imp *m);

/* ---- import_row.c ---- */

/* Validates a response row into *out, then resolves its customer,
 * employee and channel to ids, creating those that are new: all but the
 * write. The strings and answers of *out are in the row's room. Returns
 * 0, 1 for a row identical to an earlier one of the file (nothing to
 * do), or an error. */
int row_response(struct imp *m, const struct record *rec, struct response *out,
                 struct err *err);
/* Validates and writes a customer or an event row: 0, 1 for a repeat of
 * an earlier row (nothing written), or an error. */
int row_customer(struct imp *m, const struct record *rec, struct err *err);
int row_event(struct imp *m, const struct record *rec, struct err *err);

/* ---- import_text.c ---- */

/* Loads the text models for this import: the taxonomy given, else the
 * one saved in the store, else the built-in one. */
int comments_start(struct imp *m, struct err *err);
/* Redacts and analyses every text answer of r (comments, text:KEY, story
 * text; story titles and chosen options are redacted only). Chosen
 * options are redacted at once; texts become jobs of the batch being
 * filled, run by batch_analyze, except a text that analysis could reject
 * (invalid UTF-8, very long), which is analysed here so that it is
 * rejected with its row. */
int comments_analyze(struct imp *m, const struct record *rec,
                     struct response *r, struct err *err);
/* Runs the batch's jobs with analyzer a and scratch res: every text
 * redacted and (unless cfg->no_analysis) analysed, the results in the
 * batch's side storage. Sets b->failed and b->err (located) if one
 * fails, which comments_analyze's checks leave to a bug. */
void batch_analyze(struct batch *b, const struct textcfg *cfg,
                   struct analyzer *a, struct analysis *res);
/* Redacts personal data from a value (an attribute, a chosen option)
 * read from field f: when there was any, *p and *n are replaced by the
 * redacted text (valid until the next analysis) and the value is counted
 * in redacted_values. A no-op for imports without an analyzer. */
int comments_redact(struct imp *m, const struct rec_field *f, const char **p,
                    size_t *n, struct err *err);
