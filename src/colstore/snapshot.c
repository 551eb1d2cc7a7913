/* The column store snapshot: writing, mapping and verifying it. The
 * layout (docs/colstore.md):
 *
 *   header     magic, format version, byte-order mark, file size, the
 *              stamp, row counts, then for each section its offset,
 *              length and XXH3 checksum, then the header's own checksum
 *   sections   each 64-byte aligned: the dictionaries and touchpoint
 *              facts (META), then one section per column
 *
 * Columns are stored as they lie in memory, so opening maps them where
 * they are and a query reads the page cache directly. */
#define _GNU_SOURCE /* MADV_POPULATE_READ */
#include "colstore/snapshot.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <xxhash.h>

#include "colstore/colstore_int.h"
#include "colstore/dict.h"
#include "core/err.h"
#include "core/strbuf.h"
#include "core/tstamp.h"
#include "core/xalloc.h"

#ifndef MADV_POPULATE_READ
#define MADV_POPULATE_READ 22 /* Linux 5.14 */
#endif

_Static_assert(sizeof(size_t) == 8, "hist_first is stored as 64-bit");

#define SNAP_MAGIC "RSNCOLS\n"
#define SNAP_FORMAT 1u
#define SNAP_ENDIAN 0x01020304u
#define SNAP_ALIGN 64

enum sec_id {
    SEC_META,
    SEC_TOUCHPOINT,
    SEC_CHANNEL,
    SEC_SEGMENT,
    SEC_LANGUAGE,
    SEC_SENTIMENT,
    SEC_KIND,
    SEC_DAY,
    SEC_NPS,
    SEC_CSAT,
    SEC_CES,
    SEC_ID,
    SEC_TS,
    SEC_CUSTOMER,
    SEC_M_ROW,
    SEC_M_THEME,
    SEC_M_ASPECT,
    SEC_CUST_ID,
    SEC_CUST_SEG,
    SEC_HIST_SINCE,
    SEC_HIST_SEG,
    SEC_HIST_FIRST,
    N_SEC
};

struct sec {
    uint64_t offset, bytes, sum;
};

struct header {
    char magic[8];
    uint32_t format, endian;
    uint32_t n_sec, header_size;
    uint64_t file_size;
    unsigned char uuid[16];
    int64_t data_version;
    uint64_t rows, mentions, customers, hist, hist_first_n;
    uint32_t day_lo, day_hi;
    struct sec sec[N_SEC];
    uint64_t sum; /* XXH3 of every byte above */
};

/* How many elements a section holds. */
enum count_of { C_META, C_ROWS, C_MENTIONS, C_CUST, C_HIST, C_HIST_FIRST };

static const struct secdef {
    const char *name;
    unsigned need;
    size_t elem;
    size_t ptr; /* offsetof the array pointer in struct colstore */
    enum count_of count;
} secdefs[N_SEC] = {
    {"dictionaries", 0, 1, 0, C_META},
#define COL(nm, need, type, field, cnt)                                        \
    {                                                                          \
        nm, need, sizeof(type), offsetof(struct colstore, field), cnt          \
    }
    COL("touchpoint", COLSTORE_NEED_TOUCHPOINT, uint16_t, touchpoint, C_ROWS),
    COL("channel", COLSTORE_NEED_CHANNEL, uint16_t, channel, C_ROWS),
    COL("segment", COLSTORE_NEED_SEGMENT, uint32_t, segment, C_ROWS),
    COL("language", COLSTORE_NEED_LANGUAGE, uint16_t, language, C_ROWS),
    COL("sentiment", COLSTORE_NEED_SENTIMENT, uint16_t, sentiment, C_ROWS),
    COL("kind", COLSTORE_NEED_KIND, uint8_t, kind, C_ROWS),
    COL("day", COLSTORE_NEED_DAY, uint32_t, day, C_ROWS),
    COL("nps", COLSTORE_NEED_NPS, int8_t, nps, C_ROWS),
    COL("csat", COLSTORE_NEED_CSAT, int8_t, csat, C_ROWS),
    COL("ces", COLSTORE_NEED_CES, int8_t, ces, C_ROWS),
    COL("id", COLSTORE_NEED_ID, int64_t, id, C_ROWS),
    COL("ts", COLSTORE_NEED_TS, int64_t, ts, C_ROWS),
    COL("customer", COLSTORE_NEED_CUSTOMER, uint32_t, customer, C_ROWS),
    COL("mention row", COLSTORE_NEED_MENTIONS, uint32_t, m_row, C_MENTIONS),
    COL("mention theme", COLSTORE_NEED_MENTIONS, uint16_t, m_theme, C_MENTIONS),
    COL("mention aspect", COLSTORE_NEED_MENTIONS, int8_t, m_aspect, C_MENTIONS),
    COL("customer id", COLSTORE_NEED_CUSTOMERS, int64_t, cust_id, C_CUST),
    COL("customer segment", COLSTORE_NEED_CUSTOMERS, int32_t, cust_segment,
        C_CUST),
    COL("segment since", COLSTORE_NEED_CUSTOMERS, int64_t, hist_since, C_HIST),
    COL("segment history", COLSTORE_NEED_CUSTOMERS, int32_t, hist_segment,
        C_HIST),
    COL("segment index", COLSTORE_NEED_CUSTOMERS, uint64_t, hist_first,
        C_HIST_FIRST),
#undef COL
};

/* The mapping behind a column store opened from a snapshot. */
struct colstore_map {
    unsigned char *base;
    size_t len;
    int mapped; /* base is an mmap (else a heap copy: the fuzz entry) */
    struct header h;
    unsigned verified; /* sections verified, as 1u << enum sec_id */
};

static uint64_t count_of(const struct header *h, enum count_of c)
{
    switch (c) {
    case C_ROWS:
        return h->rows;
    case C_MENTIONS:
        return h->mentions;
    case C_CUST:
        return h->customers;
    case C_HIST:
        return h->hist;
    case C_HIST_FIRST:
        return h->hist_first_n;
    default:
        return 0;
    }
}

static void **ptr_at(struct colstore *cs, const struct secdef *d)
{
    return (void **)((char *)cs + d->ptr);
}

static const void *cptr_at(const struct colstore *cs, const struct secdef *d)
{
    return *(void *const *)((const char *)cs + d->ptr);
}

/* ---- the dictionaries (META) ---- */

static void put_u32(struct strbuf *b, uint32_t v)
{
    strbuf_add(b, &v, sizeof v);
}

static void put_str(struct strbuf *b, const char *s)
{
    if (!s) {
        put_u32(b, UINT32_MAX);
        return;
    }
    size_t n = strlen(s);
    put_u32(b, (uint32_t)n);
    strbuf_add(b, s, n);
}

static void meta_write(const struct colstore *cs, struct strbuf *b)
{
    put_u32(b, N_CAT);
    for (int d = 0; d < N_CAT; d++) {
        size_t n = dict_size(cs->dict[d]);
        put_u32(b, (uint32_t)n);
        for (size_t c = 0; c < n; c++)
            put_str(b, dict_label(cs->dict[d], (int)c));
        if (!colstore_dim_has_nodes((enum colstore_dim)d))
            continue;
        for (size_t c = 0; c < n; c++) {
            const struct node *nd = &cs->nodes[d][c];
            put_str(b, nd->name);
            put_u32(b, (uint32_t)nd->parent);
            put_u32(b, (uint32_t)nd->position);
            if (d != DIM_TOUCHPOINT)
                continue;
            put_str(b, nd->owner);
            put_u32(b, (uint32_t)nd->moment_of_truth);
            put_u32(b, (uint32_t)nd->physical);
            put_u32(b, (uint32_t)nd->lifecycle);
            put_u32(b, (uint32_t)nd->n_aliases);
            for (int a = 0; a < nd->n_aliases; a++)
                put_str(b, nd->aliases[a]);
        }
    }
}

/* A bounds-checked reader over the META bytes. */
struct rd {
    const unsigned char *p, *end;
    int bad;
};

static uint32_t get_u32(struct rd *r)
{
    uint32_t v = 0;
    if ((size_t)(r->end - r->p) < sizeof v) {
        r->bad = 1;
        return 0;
    }
    memcpy(&v, r->p, sizeof v);
    r->p += sizeof v;
    return v;
}

/* A string (copied, NUL-terminated) or NULL: *isnull tells which. */
static char *get_str(struct rd *r, int *isnull)
{
    uint32_t n = get_u32(r);
    *isnull = 0;
    if (r->bad)
        return NULL;
    if (n == UINT32_MAX) {
        *isnull = 1;
        return NULL;
    }
    if ((size_t)(r->end - r->p) < n) {
        r->bad = 1;
        return NULL;
    }
    char *s = xmalloc((size_t)n + 1);
    memcpy(s, r->p, n);
    s[n] = 0;
    r->p += n;
    if (strlen(s) != n) { /* a NUL inside: not a label we wrote */
        free(s);
        r->bad = 1;
        return NULL;
    }
    return s;
}

static int meta_read(struct colstore *cs, const unsigned char *p, size_t n,
                     struct err *err)
{
    struct rd r = {p, p + n, 0};
    int isnull;
    if (get_u32(&r) != N_CAT)
        return err_set(err, ERR_INVALID,
                       "its dictionaries are of another "
                       "layout");
    for (int d = 0; d < N_CAT && !r.bad; d++) {
        uint32_t count = get_u32(&r);
        /* every label takes at least its 4-byte length */
        if (r.bad || count > (size_t)(r.end - r.p) / 4)
            return err_set(err, ERR_INVALID, "the %s dictionary is cut short",
                           colstore_dim_name((enum colstore_dim)d));
        for (uint32_t c = 0; c < count; c++) {
            char *s = get_str(&r, &isnull);
            if (!s) {
                r.bad = 1;
                break;
            }
            size_t len = strlen(s);
            int code =
                c < dict_size(cs->dict[d])
                    ? (strcmp(dict_label(cs->dict[d], (int)c), s) ? -1 : (int)c)
                    : dict_intern(cs->dict[d], s, len);
            free(s);
            if (code != (int)c)
                return err_set(err, ERR_INVALID,
                               "the %s dictionary repeats or changes a value",
                               colstore_dim_name((enum colstore_dim)d));
        }
        if (r.bad)
            break;
        if (dict_size(cs->dict[d]) != count)
            return err_set(err, ERR_INVALID, "the %s dictionary is incomplete",
                           colstore_dim_name((enum colstore_dim)d));
        if (!colstore_dim_has_nodes((enum colstore_dim)d))
            continue;
        cs->nodes[d] = xcalloc(count ? count : 1, sizeof *cs->nodes[d]);
        cs->node_cap[d] = count ? count : 1;
        for (uint32_t c = 0; c < count && !r.bad; c++) {
            struct node *nd = &cs->nodes[d][c];
            nd->name = get_str(&r, &isnull);
            nd->parent = (int)get_u32(&r);
            nd->position = (int)get_u32(&r);
            if (!nd->name) {
                r.bad = 1;
                nd->name = xstrdup("");
            }
            if (d != DIM_TOUCHPOINT)
                continue;
            nd->owner = get_str(&r, &isnull);
            nd->moment_of_truth = (int)get_u32(&r);
            nd->physical = (int)get_u32(&r);
            nd->lifecycle = (int)get_u32(&r);
            uint32_t na = get_u32(&r);
            if (r.bad || na > (size_t)(r.end - r.p) / 4) {
                r.bad = 1;
                break;
            }
            nd->aliases = na ? xcalloc(na, sizeof *nd->aliases) : NULL;
            for (uint32_t a = 0; a < na && !r.bad; a++) {
                nd->aliases[a] = get_str(&r, &isnull);
                if (!nd->aliases[a])
                    r.bad = 1;
                else
                    nd->n_aliases++;
            }
        }
    }
    if (r.bad || r.p != r.end)
        return err_set(err, ERR_INVALID, "its dictionaries are damaged");
    /* parents: touchpoint -> stage -> journey */
    size_t ns = dict_size(cs->dict[DIM_STAGE]),
           nj = dict_size(cs->dict[DIM_JOURNEY]);
    for (size_t c = 0; c < dict_size(cs->dict[DIM_TOUCHPOINT]); c++)
        if (cs->nodes[DIM_TOUCHPOINT][c].parent < 0 ||
            (size_t)cs->nodes[DIM_TOUCHPOINT][c].parent >= ns)
            return err_set(err, ERR_INVALID, "a touchpoint has no stage");
    for (size_t c = 0; c < ns; c++)
        if (cs->nodes[DIM_STAGE][c].parent < 0 ||
            (size_t)cs->nodes[DIM_STAGE][c].parent >= nj)
            return err_set(err, ERR_INVALID, "a stage has no journey");
    for (size_t c = 0; c < nj; c++)
        cs->nodes[DIM_JOURNEY][c].parent = -1;
    return 0;
}

/* ---- writing ---- */

struct writer {
    int fd;
    uint64_t at, kill_after;
    struct err *err;
    const char *path;
};

static int wr(struct writer *w, const void *p, size_t n)
{
    const char *c = p;
    while (n > 0) {
        size_t chunk = n < ((size_t)1 << 26) ? n : ((size_t)1 << 26);
        if (w->kill_after && w->at + chunk >= w->kill_after) {
            size_t part = (size_t)(w->kill_after - w->at);
            if (part && write(w->fd, c, part) < 0) {
                /* nothing: dying anyway */
            }
            raise(SIGKILL);
        }
        ssize_t k = write(w->fd, c, chunk);
        if (k < 0) {
            if (errno == EINTR)
                continue;
            return err_set(w->err, ERR_IO, "%s: %s", w->path, strerror(errno));
        }
        c += k;
        n -= (size_t)k;
        w->at += (uint64_t)k;
    }
    return 0;
}

static int pad(struct writer *w)
{
    static const char zero[SNAP_ALIGN];
    size_t r = (size_t)(w->at % SNAP_ALIGN);
    return r ? wr(w, zero, SNAP_ALIGN - r) : 0;
}

static void header_seal(struct header *h)
{
    h->sum = XXH3_64bits(h, offsetof(struct header, sum));
}

struct colstore_snapshot_file {
    int fd;
    char *tmp, *path;
};

static char *tmp_path(const char *path)
{
    size_t pn = strlen(path);
    char *tmp = xmalloc(pn + 5);
    memcpy(tmp, path, pn);
    memcpy(tmp + pn, ".tmp", 5);
    return tmp;
}

void colstore_snapshot_close(struct colstore_snapshot_file *f)
{
    if (!f)
        return;
    if (f->fd >= 0)
        close(f->fd);
    free(f->tmp);
    free(f->path);
    free(f);
}

int colstore_snapshot_begin(struct colstore_snapshot_file **out,
                            const char *path, int *skipped, struct err *err)
{
    struct colstore_snapshot_file *f = xcalloc(1, sizeof *f);
    int rc = 0;

    *out = NULL;
    *skipped = 0;
    f->tmp = tmp_path(path);
    f->path = xstrdup(path);
    f->fd = open(f->tmp, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
    if (f->fd < 0) {
        rc = err_set(err, ERR_IO, "%s: %s", f->tmp, strerror(errno));
        goto fail;
    }
    /* One writer at a time; a killed writer's lock goes with it. */
    if (flock(f->fd, LOCK_EX | LOCK_NB) < 0) {
        if (errno == EWOULDBLOCK)
            *skipped = 1;
        else
            rc = err_set(err, ERR_IO, "%s: %s", f->tmp, strerror(errno));
        goto fail;
    }
    /* The lock may be won just after a writer that held it renamed this
     * very file over path: then it is the live snapshot, which must not
     * be cut short under its readers. */
    struct stat st_fd, st_tmp;
    if (fstat(f->fd, &st_fd) < 0 || stat(f->tmp, &st_tmp) < 0 ||
        st_fd.st_ino != st_tmp.st_ino || st_fd.st_dev != st_tmp.st_dev) {
        *skipped = 1;
        goto fail;
    }
    if (ftruncate(f->fd, 0) < 0 || fchmod(f->fd, 0600) < 0) {
        rc = err_set(err, ERR_IO, "%s: %s", f->tmp, strerror(errno));
        goto fail;
    }
    *out = f;
    return 0;
fail:
    colstore_snapshot_close(f);
    return rc;
}

int colstore_snapshot_finish(struct colstore_snapshot_file *f,
                             const struct colstore *cs,
                             const struct colstore_stamp *stamp,
                             const struct colstore_write_opts *opts,
                             struct err *err)
{
    struct header h;
    struct strbuf meta = STRBUF_INIT;
    struct writer w = {f->fd, 0, opts ? opts->kill_after : 0, err, f->tmp};
    int rc = 0;

    if (cs->map && cs->map->verified != (1u << N_SEC) - 1) {
        rc = err_set(err, ERR_INTERNAL,
                     "writing a snapshot with unverified columns");
        goto done;
    }
    memset(&h, 0, sizeof h);
    memcpy(h.magic, SNAP_MAGIC, 8);
    h.format = SNAP_FORMAT;
    h.endian = SNAP_ENDIAN;
    h.n_sec = N_SEC;
    h.header_size = sizeof h;
    memcpy(h.uuid, stamp->uuid, sizeof h.uuid);
    h.data_version = stamp->data_version;
    h.rows = cs->n;
    h.mentions = cs->n_m;
    h.customers = cs->n_cust;
    h.hist = cs->n_hist;
    h.hist_first_n = cs->hist_first_n;
    h.day_lo = cs->day_lo;
    h.day_hi = cs->day_hi;
    meta_write(cs, &meta);

    /* the header goes last, once the sums are known */
    if ((rc = wr(&w, &h, sizeof h)) < 0 || (rc = pad(&w)) < 0)
        goto done;
    for (int s = 0; s < N_SEC; s++) {
        const struct secdef *d = &secdefs[s];
        const void *p;
        uint64_t bytes;
        if (s == SEC_META) {
            p = meta.p;
            bytes = meta.n;
        } else {
            p = cptr_at(cs, d);
            bytes = count_of(&h, d->count) * d->elem; /* h has the counts */
        }
        h.sec[s].offset = w.at;
        h.sec[s].bytes = bytes;
        h.sec[s].sum = XXH3_64bits(bytes ? p : "", (size_t)bytes);
        if ((bytes && (rc = wr(&w, p, (size_t)bytes)) < 0) ||
            (rc = pad(&w)) < 0)
            goto done;
    }
    h.file_size = w.at;
    header_seal(&h);
    if (pwrite(f->fd, &h, sizeof h, 0) != (ssize_t)sizeof h) {
        rc = err_set(err, ERR_IO, "%s: %s", f->tmp, strerror(errno));
        goto done;
    }
    /* No fsync: a file cut short by a crash fails its checksums and is
     * rebuilt, and the database, not the snapshot, holds the data. */
    if (rename(f->tmp, f->path) < 0)
        rc = err_set(err, ERR_IO, "%s: %s", f->path, strerror(errno));
done:
    strbuf_dispose(&meta);
    colstore_snapshot_close(f);
    return rc;
}

int colstore_snapshot_write(const struct colstore *cs, const char *path,
                            const struct colstore_stamp *stamp,
                            const struct colstore_write_opts *opts,
                            int *skipped, struct err *err)
{
    struct colstore_snapshot_file *f;
    int rc = colstore_snapshot_begin(&f, path, skipped, err);
    if (rc < 0 || *skipped)
        return rc;
    return colstore_snapshot_finish(f, cs, stamp, opts, err);
}

int colstore_snapshot_wait(const char *path, int timeout_ms)
{
    char *tmp = tmp_path(path);
    int waited = 0;
    int fd = open(tmp, O_RDONLY | O_CLOEXEC);
    free(tmp);
    if (fd < 0)
        return 0; /* no writer, or one that has renamed its file already */
    /* Polled rather than blocking, so a writer that hangs (stopped, or on
     * a dead network mount) costs at most timeout_ms. */
    for (int t = 0;; t += 10) {
        if (flock(fd, LOCK_SH | LOCK_NB) == 0)
            break;
        if (errno != EWOULDBLOCK && errno != EINTR)
            break;
        if (t >= timeout_ms) {
            close(fd);
            return 0;
        }
        waited = 1;
        struct timespec ts = {0, 10L * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    close(fd);
    return waited;
}

/* ---- reading ---- */

static int damaged(struct err *err, const char *what)
{
    return err_set(err, ERR_INVALID, "the snapshot is damaged (%s)", what);
}

/* The value checks run over every row of a column a query reads: worth
 * the vectoriser, which GCC's -O2 leaves out. */
#if defined(__GNUC__) && !defined(__clang__)
#define VECTORIZE __attribute__((optimize("O3")))
#else
#define VECTORIZE
#endif

/* Checks the values of section s against the dictionaries and counts. */
/* Checks elements lo..n-1 of section s (the part of it just hashed). */
static VECTORIZE int check_values(const struct colstore *cs, int s, size_t lo,
                                  size_t n, struct err *err)
{
    const struct header *h = &cs->map->h;
    size_t i;
#define MAX_BELOW(type, arr, lim)                                              \
    do {                                                                       \
        type mx_ = 0;                                                          \
        for (i = lo; i < n; i++)                                               \
            mx_ = (arr)[i] > mx_ ? (arr)[i] : mx_;                             \
        if (n > lo && (size_t)mx_ >= (size_t)(lim))                            \
            return damaged(err, secdefs[s].name);                              \
    } while (0)
#define WITHIN(arr, lo_v, hi_v, zero_ok)                                       \
    do {                                                                       \
        int bad_ = 0;                                                          \
        for (i = lo; i < n; i++)                                               \
            bad_ |= ((arr)[i] < (lo_v)) | ((arr)[i] > (hi_v)) |                \
                    (!(zero_ok) & ((arr)[i] == 0));                            \
        if (bad_)                                                              \
            return damaged(err, secdefs[s].name);                              \
    } while (0)
    switch (s) {
    case SEC_TOUCHPOINT:
        MAX_BELOW(uint16_t, cs->touchpoint,
                  dict_size(cs->dict[DIM_TOUCHPOINT]));
        break;
    case SEC_CHANNEL:
        MAX_BELOW(uint16_t, cs->channel, dict_size(cs->dict[DIM_CHANNEL]));
        break;
    case SEC_SEGMENT:
        MAX_BELOW(uint32_t, cs->segment, dict_size(cs->dict[DIM_SEGMENT]));
        break;
    case SEC_LANGUAGE:
        MAX_BELOW(uint16_t, cs->language, dict_size(cs->dict[DIM_LANGUAGE]));
        break;
    case SEC_SENTIMENT:
        MAX_BELOW(uint16_t, cs->sentiment, COLSTORE_NO_SENTIMENT + 1);
        break;
    case SEC_KIND:
        MAX_BELOW(uint8_t, cs->kind, 2);
        break;
    case SEC_DAY:
        WITHIN(cs->day, h->day_lo, h->day_hi, 1);
        break;
    case SEC_NPS:
        WITHIN(cs->nps, -1, 10, 1);
        break;
    case SEC_CSAT:
        WITHIN(cs->csat, -1, 5, 0);
        break;
    case SEC_CES:
        WITHIN(cs->ces, -1, 7, 0);
        break;
    case SEC_ID:
        for (i = lo ? lo : 1; i < n; i++)
            if (cs->id[i] <= cs->id[i - 1])
                return damaged(err, secdefs[s].name);
        break;
    case SEC_CUSTOMER:
        for (i = lo; i < n; i++)
            if (cs->customer[i] >= h->customers &&
                cs->customer[i] != COLSTORE_NO_CUSTOMER)
                return damaged(err, secdefs[s].name);
        break;
    case SEC_M_ROW:
        for (i = lo; i < n; i++)
            if (cs->m_row[i] >= h->rows ||
                (i && cs->m_row[i] < cs->m_row[i - 1]))
                return damaged(err, secdefs[s].name);
        break;
    case SEC_M_THEME:
        MAX_BELOW(uint16_t, cs->m_theme, dict_size(cs->dict[DIM_THEME]));
        break;
    case SEC_M_ASPECT:
        WITHIN(cs->m_aspect, -1, 1, 1);
        break;
    case SEC_CUST_ID:
        for (i = lo ? lo : 1; i < n; i++)
            if (cs->cust_id[i] <= cs->cust_id[i - 1])
                return damaged(err, secdefs[s].name);
        break;
    case SEC_CUST_SEG:
    case SEC_HIST_SEG: {
        const int32_t *a =
            s == SEC_CUST_SEG ? cs->cust_segment : cs->hist_segment;
        int64_t lim = (int64_t)dict_size(cs->dict[DIM_SEGMENT]);
        WITHIN(a, -1, lim - 1, 1);
        break;
    }
    case SEC_HIST_FIRST:
        for (i = lo; i < n; i++)
            if (cs->hist_first[i] > h->hist ||
                (i && cs->hist_first[i] < cs->hist_first[i - 1]))
                return damaged(err, secdefs[s].name);
        break;
    default:
        break;
    }
#undef MAX_BELOW
#undef WITHIN
    return 0;
}

/* Hashes section s and checks its values in one pass, a chunk at a time
 * so the checks read what the hash just brought into the cache. Does not
 * mark it verified (the caller does: sections are verified in threads). */
static int verify_section(const struct colstore *cs, int s, struct err *err)
{
    const struct colstore_map *m = cs->map;
    const struct sec *sc = &m->h.sec[s];
    const unsigned char *p = m->base + sc->offset;
    size_t elem = secdefs[s].elem, n = (size_t)sc->bytes / elem;
    size_t step = ((size_t)1 << 18) / elem;
    XXH3_state_t *st = XXH3_createState();
    int rc = 0;
    if (m->mapped && sc->bytes > 0)
        (void)madvise((void *)((uintptr_t)p & ~(uintptr_t)4095),
                      (size_t)sc->bytes + ((uintptr_t)p & 4095),
                      MADV_POPULATE_READ);
    if (!st)
        return err_set(err, ERR_IO, "out of memory");
    XXH3_64bits_reset(st);
    for (size_t lo = 0; lo < n && rc == 0; lo += step) {
        size_t hi = n - lo < step ? n : lo + step;
        XXH3_64bits_update(st, p + lo * elem, (hi - lo) * elem);
        rc = check_values(cs, s, lo, hi, err);
    }
    if (rc == 0 && XXH3_64bits_digest(st) != sc->sum)
        rc = damaged(err, secdefs[s].name);
    XXH3_freeState(st);
    return rc;
}

/* Sections shared out to threads: each takes the next one left. */
struct verify_job {
    const struct colstore *cs;
    int sec[N_SEC];
    int n;
    atomic_int next;
    int rc[N_SEC];
    struct err err[N_SEC];
};

static void *verify_worker(void *arg)
{
    struct verify_job *j = arg;
    int k;
    while ((k = atomic_fetch_add(&j->next, 1)) < j->n)
        j->rc[k] = verify_section(j->cs, j->sec[k], &j->err[k]);
    return NULL;
}

int colstore_verify(struct colstore *cs, unsigned need, struct err *err)
{
    struct verify_job *j;
    uint64_t bytes = 0;
    int rc = 0;
    if (!cs->map)
        return 0;
    j = xcalloc(1, sizeof *j);
    j->cs = cs;
    for (int s = 1; s < N_SEC; s++)
        if ((secdefs[s].need & need) && !(cs->map->verified & (1u << s))) {
            j->sec[j->n++] = s;
            bytes += cs->map->h.sec[s].bytes;
        }
    /* Big columns on every core (this machine has 2): a whole-process
     * query is mostly this and the scan. */
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    int nt = bytes < ((uint64_t)8 << 20) ? 1 : (int)(cores < 1 ? 1 : cores);
    if (nt > j->n)
        nt = j->n;
    if (nt > 8)
        nt = 8;
    pthread_t tid[8];
    int started = 0;
    for (int t = 1; t < nt; t++)
        if (pthread_create(&tid[started], NULL, verify_worker, j) == 0)
            started++;
    verify_worker(j);
    for (int t = 0; t < started; t++)
        pthread_join(tid[t], NULL);
    for (int k = 0; k < j->n; k++) {
        if (j->rc[k] == 0)
            cs->map->verified |= 1u << j->sec[k];
        else if (rc == 0)
            rc = err_set(err, j->rc[k], "%s", j->err[k].msg);
    }
    free(j);
    return rc;
}

unsigned colstore_map_verified(const struct colstore_map *m)
{
    unsigned need = 0;
    for (int s = 1; s < N_SEC; s++)
        if (m->verified & (1u << s))
            need |= secdefs[s].need;
    /* a need made of several sections counts only when all are done */
    for (int s = 1; s < N_SEC; s++)
        if (!(m->verified & (1u << s)))
            need &= ~secdefs[s].need;
    return need;
}

/* Checks the header of an image of n bytes and copies it to *h. */
static int header_read(struct header *h, const unsigned char *p, size_t n,
                       struct err *err)
{
    if (n < sizeof *h)
        return damaged(err, "shorter than its header");
    memcpy(h, p, sizeof *h);
    if (memcmp(h->magic, SNAP_MAGIC, 8))
        return err_set(err, ERR_INVALID,
                       "not a Resonans column store "
                       "snapshot");
    if (h->format != SNAP_FORMAT || h->header_size != sizeof *h ||
        h->n_sec != N_SEC)
        return err_set(err, ERR_INVALID,
                       "a snapshot of format %u (this program reads %u)",
                       h->format, SNAP_FORMAT);
    if (h->endian != SNAP_ENDIAN)
        return err_set(err, ERR_INVALID,
                       "a snapshot made on a machine of another byte order");
    if (XXH3_64bits(h, offsetof(struct header, sum)) != h->sum)
        return damaged(err, "header");
    if (h->file_size != n)
        return damaged(err, "its length changed");
    if (h->rows > UINT32_MAX || h->customers >= UINT32_MAX ||
        h->hist_first_n > h->customers)
        return damaged(err, "row counts");
    uint32_t max_day;
    if (colstore_day_offset(tstamp_days_from_civil(COLSTORE_YEAR_MAX, 12, 31),
                            &max_day, err) < 0)
        return -1;
    if (h->rows && (h->day_lo > h->day_hi || h->day_hi > max_day))
        return damaged(err, "day range");
    for (int s = 0; s < N_SEC; s++) {
        const struct sec *sc = &h->sec[s];
        uint64_t count = count_of(h, secdefs[s].count);
        /* a count too large for the file, lest count * elem wrap around
         * to the section's length (2^62 history entries "fit" 0 bytes) */
        if (count > n / secdefs[s].elem)
            return damaged(err, secdefs[s].name);
        uint64_t want = count * secdefs[s].elem;
        if (sc->offset % SNAP_ALIGN || sc->offset < sizeof *h ||
            sc->offset > n || sc->bytes > n - sc->offset ||
            (s != SEC_META && sc->bytes != want))
            return damaged(err, secdefs[s].name);
    }
    return 0;
}

/* Builds a column store over an image already in memory (mapped or a
 * heap copy, owned by m from here on). */
static int open_image(struct colstore **out, struct colstore_map *m,
                      unsigned need, struct colstore_stamp *stamp,
                      struct err *err)
{
    struct colstore *cs = NULL;
    int rc;
    *out = NULL;
    if ((rc = header_read(&m->h, m->base, m->len, err)) < 0)
        goto fail;
    const struct sec *meta = &m->h.sec[SEC_META];
    if (XXH3_64bits(m->base + meta->offset, (size_t)meta->bytes) != meta->sum) {
        rc = damaged(err, "dictionaries");
        goto fail;
    }
    cs = colstore_new();
    if ((rc = meta_read(cs, m->base + meta->offset, (size_t)meta->bytes, err)) <
        0)
        goto fail;
    cs->map = m;
    m->verified = 1u << SEC_META;
    for (int s = 1; s < N_SEC; s++)
        *ptr_at(cs, &secdefs[s]) = m->base + m->h.sec[s].offset;
    cs->n = cs->cap = (size_t)m->h.rows;
    cs->n_m = cs->cap_m = (size_t)m->h.mentions;
    cs->n_cust = cs->cap_cust = (size_t)m->h.customers;
    cs->n_hist = cs->cap_hist = (size_t)m->h.hist;
    cs->hist_first_n = cs->hist_first_cap = (size_t)m->h.hist_first_n;
    cs->day_lo = m->h.day_lo;
    cs->day_hi = m->h.day_hi;
    if (stamp) {
        memcpy(stamp->uuid, m->h.uuid, sizeof stamp->uuid);
        stamp->data_version = m->h.data_version;
    }
    if ((rc = colstore_verify(cs, need, err)) < 0) {
        colstore_free(cs);
        return rc;
    }
    *out = cs;
    return 0;
fail:
    if (cs)
        colstore_free(cs); /* the map is not attached yet */
    colstore_map_free(m);
    return rc;
}

int colstore_snapshot_open(struct colstore **out, const char *path,
                           unsigned need, struct colstore_stamp *stamp,
                           struct err *err)
{
    struct stat st;
    *out = NULL;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT)
            return err_set(err, ERR_NOTFOUND, "%s: no snapshot", path);
        return err_set(err, ERR_IO, "%s: %s", path, strerror(errno));
    }
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size <= 0) {
        close(fd);
        return err_set(err, ERR_INVALID,
                       "%s: the snapshot is empty or not a "
                       "file",
                       path);
    }
    void *base = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_SHARED, fd, 0);
    close(fd);
    if (base == MAP_FAILED)
        return err_set(err, ERR_IO, "%s: %s", path, strerror(errno));
    struct colstore_map *m = xcalloc(1, sizeof *m);
    m->base = base;
    m->len = (size_t)st.st_size;
    m->mapped = 1;
    return open_image(out, m, need, stamp, err);
}

int colstore_snapshot_open_mem(struct colstore **out, const void *image,
                               size_t n, unsigned need,
                               struct colstore_stamp *stamp, struct err *err)
{
    struct colstore_map *m = xcalloc(1, sizeof *m);
    /* 64-byte aligned like a mapping, so columns are aligned too */
    m->base = aligned_alloc(SNAP_ALIGN, (n + SNAP_ALIGN) & ~(size_t)63);
    if (!m->base) {
        free(m);
        return err_set(err, ERR_IO, "out of memory");
    }
    memcpy(m->base, image, n);
    m->len = n;
    return open_image(out, m, need, stamp, err);
}

void colstore_map_free(struct colstore_map *m)
{
    if (!m)
        return;
    if (m->mapped)
        munmap(m->base, m->len);
    else
        free(m->base);
    free(m);
}

void colstore_map_detach(struct colstore *cs)
{
    if (!cs->map)
        return;
    for (int s = 1; s < N_SEC; s++)
        *ptr_at(cs, &secdefs[s]) = NULL;
    colstore_map_free(cs->map);
    cs->map = NULL;
}

int colstore_is_mapped(const struct colstore *cs)
{
    return cs->map != NULL;
}

int colstore_own(struct colstore *cs, struct err *err)
{
    void *copy[N_SEC] = {0};
    int rc;
    if (!cs->map)
        return 0;
    if ((rc = colstore_verify(cs, COLSTORE_NEED_ALL, err)) < 0)
        return rc;
    for (int s = 1; s < N_SEC; s++) {
        size_t bytes = (size_t)cs->map->h.sec[s].bytes;
        copy[s] = xmalloc(bytes ? bytes : 1);
        memcpy(copy[s], cptr_at(cs, &secdefs[s]), bytes);
    }
    colstore_map_detach(cs);
    for (int s = 1; s < N_SEC; s++)
        *ptr_at(cs, &secdefs[s]) = copy[s];
    return 0;
}

int colstore_snapshot_seal(void *image, size_t n)
{
    struct header h;
    unsigned char *p = image;
    if (n < sizeof h)
        return -1;
    memcpy(&h, p, sizeof h);
    if (h.n_sec != N_SEC)
        return -1;
    for (int s = 0; s < N_SEC; s++) {
        struct sec *sc = &h.sec[s];
        if (sc->offset <= n && sc->bytes <= n - sc->offset)
            sc->sum = XXH3_64bits(p + sc->offset, (size_t)sc->bytes);
    }
    header_seal(&h);
    memcpy(p, &h, sizeof h);
    return 0;
}
