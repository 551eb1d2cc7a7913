#pragma once
/* The column store on disk: a snapshot file beside the database, mapped
 * into memory on open so a command answers without reloading anything
 * from the store (docs/colstore.md, "The snapshot").
 *
 * The format is versioned and every part of it is checksummed (XXH3):
 * the header and the dictionaries when the file is opened, each column
 * the first time a caller needs it (colstore_verify), so a query pays for
 * the columns it reads and nothing else. Verifying a column also checks
 * its values (codes within their dictionary, days within their range,
 * ids increasing), so a file that passes is safe to scan however it was
 * made. A damaged, truncated or foreign file is an error here; the
 * caller rebuilds it (colstore_sync.h).
 *
 * A column store opened from a snapshot is read-only: the append API and
 * the customer functions must not be called on it until colstore_own
 * has copied its columns to the heap. Named columns and events are not
 * part of the snapshot; they load from the store as before. */

#include <stddef.h>
#include <stdint.h>

struct colstore;
struct err;

/* The columns a caller can ask to have verified, as a mask. */
enum colstore_need {
    COLSTORE_NEED_TOUCHPOINT = 1u << 0,
    COLSTORE_NEED_CHANNEL = 1u << 1,
    COLSTORE_NEED_SEGMENT = 1u << 2,
    COLSTORE_NEED_LANGUAGE = 1u << 3,
    COLSTORE_NEED_SENTIMENT = 1u << 4,
    COLSTORE_NEED_KIND = 1u << 5,
    COLSTORE_NEED_DAY = 1u << 6,
    COLSTORE_NEED_NPS = 1u << 7,
    COLSTORE_NEED_CSAT = 1u << 8,
    COLSTORE_NEED_CES = 1u << 9,
    COLSTORE_NEED_ID = 1u << 10,
    COLSTORE_NEED_TS = 1u << 11,
    COLSTORE_NEED_CUSTOMER = 1u << 12,  /* each response's customer */
    COLSTORE_NEED_MENTIONS = 1u << 13,  /* the theme mentions */
    COLSTORE_NEED_CUSTOMERS = 1u << 14, /* the customers and segments */
    COLSTORE_NEED_ALL = (1u << 15) - 1
};

/* What a snapshot was made from: the database's identity and data
 * version (store.h's struct store_version). */
struct colstore_stamp {
    unsigned char uuid[16];
    int64_t data_version;
};

/* Test hook: stop writing (raise SIGKILL) after this many bytes; 0 = off.
 * Lets a test kill a writer in the middle of a snapshot deterministically. */
struct colstore_write_opts {
    uint64_t kill_after;
};

/* Writes cs (which must not be mapped from a snapshot with unverified
 * columns) to path: to "path.tmp" first (mode 0600, locked against a
 * concurrent writer), then renamed over path, so a reader sees the old
 * file or the new one, never half of one. *skipped = 1 when another
 * process is writing the snapshot right now (nothing done). opts may be
 * NULL. ERR_IO on a file system error. */
int colstore_snapshot_write(const struct colstore *cs, const char *path,
                            const struct colstore_stamp *stamp,
                            const struct colstore_write_opts *opts,
                            int *skipped, struct err *err);

/* colstore_snapshot_write in two steps, so that a program can take the
 * writer's lock, then write in a child process (which inherits the lock)
 * after it has answered: from the moment begin returns, other processes
 * see a snapshot being written (colstore_snapshot_wait). begin sets
 * *out NULL and *skipped = 1 when another process holds the lock.
 * finish writes cs, renames the file over path and closes f; close drops
 * f unwritten (in the parent once the child has it). */
struct colstore_snapshot_file;
int colstore_snapshot_begin(struct colstore_snapshot_file **out,
                            const char *path, int *skipped, struct err *err);
int colstore_snapshot_finish(struct colstore_snapshot_file *f,
                             const struct colstore *cs,
                             const struct colstore_stamp *stamp,
                             const struct colstore_write_opts *opts,
                             struct err *err);
void colstore_snapshot_close(struct colstore_snapshot_file *f);

/* Waits, up to timeout_ms, for a process that is writing the snapshot at
 * path right now (one that holds "path.tmp" locked) to finish. Returns 1
 * when there was such a writer and it finished (path is then likely its
 * fresh snapshot), 0 when there was none or it did not finish in time. */
int colstore_snapshot_wait(const char *path, int timeout_ms);

/* Maps the snapshot at path and verifies its header, dictionaries and
 * the columns in need. ERR_NOTFOUND when there is no file; ERR_INVALID
 * with the reason when it is damaged, truncated, of another format
 * version or made on another kind of machine; ERR_IO when it cannot be
 * read. *stamp gets what it was made from. Caller frees with
 * colstore_free. */
int colstore_snapshot_open(struct colstore **out, const char *path,
                           unsigned need, struct colstore_stamp *stamp,
                           struct err *err);

/* Verifies the columns in need that are not verified yet (a no-op for a
 * column store that was not opened from a snapshot). Until then they
 * read as NULL in colstore_columns. ERR_INVALID when one is damaged. */
int colstore_verify(struct colstore *cs, unsigned need, struct err *err);

/* 1 when cs is mapped from a snapshot (read-only). */
int colstore_is_mapped(const struct colstore *cs);

/* Copies every column of a mapped column store to the heap (verifying
 * what was not verified yet) and drops the mapping, so it can be
 * appended to. A no-op otherwise. ERR_INVALID when a column is
 * damaged. */
int colstore_own(struct colstore *cs, struct err *err);

/* Test and fuzz hook: recomputes the checksums of a snapshot image in
 * memory (n bytes) so a damaged structure is reached behind valid sums.
 * Returns 0, or -1 when the header cannot be read. */
int colstore_snapshot_seal(void *image, size_t n);

/* Opens a snapshot image from memory (copied), as colstore_snapshot_open
 * opens a file: the fuzz target's entry. */
int colstore_snapshot_open_mem(struct colstore **out, const void *image,
                               size_t n, unsigned need,
                               struct colstore_stamp *stamp, struct err *err);
