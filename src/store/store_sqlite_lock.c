/* The SQLite backend's writer note: who holds the database's write lock.
 *
 * SQLite lets one writer at a time into a WAL database and tells the next
 * one only "database is locked". A writer that begins a transaction
 * leaves "DB-writer" beside the database (pid, start time, what it is
 * doing), so that a writer that gives up waiting can say who it waited
 * for. The note is written after the lock is taken and removed after it
 * is given back, so it can only be stale, never wrong about a live
 * holder: a note whose process is gone is ignored. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/err.h"
#include "store/store_sqlite_int.h"

#define BUSY_DEFAULT_MS 30000L

long sqs_busy_default(void)
{
    const char *v = getenv("RESONANS_BUSY_TIMEOUT");
    char *end = NULL;
    double s;
    if (!v || !*v)
        return BUSY_DEFAULT_MS;
    s = strtod(v, &end);
    if (end == v || *end || !(s >= 0) || s > 86400.0 * 365)
        return BUSY_DEFAULT_MS;
    return (long)(s * 1000 + 0.5);
}

static void note_path(const struct sqlite_store *st, char *buf, size_t n)
{
    snprintf(buf, n, "%s-writer", st->path);
}

void sqs_note_write(struct sqlite_store *st)
{
    char path[4200], tmp[4240], line[200];
    int fd, len;
    if (!st->path || strlen(st->path) > 4000)
        return;
    note_path(st, path, sizeof path);
    snprintf(tmp, sizeof tmp, "%s.%ld", path, (long)getpid());
    len = snprintf(line, sizeof line, "%ld %lld %s\n", (long)getpid(),
                   (long long)st->began,
                   st->activity[0] ? st->activity : "resonans");
    if (len < 0 || (size_t)len >= sizeof line)
        len = (int)strlen(line);
    /* Written aside and renamed into place: a waiting writer reads
     * either the whole note or none. */
    if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600)) < 0)
        return;
    int ok = write(fd, line, (size_t)len) == (ssize_t)len;
    ok = close(fd) == 0 && ok;
    if (ok && rename(tmp, path) == 0)
        st->noted = 1;
    else
        unlink(tmp);
}

/* Reads the note: 1 with its fields, 0 when there is none or it cannot
 * be read. */
static int note_read(const struct sqlite_store *st, long *pid, long long *since,
                     char *what, size_t n)
{
    char path[4200], line[200];
    FILE *f;
    int ok = 0;
    if (!st->path || strlen(st->path) > 4000)
        return 0;
    note_path(st, path, sizeof path);
    if (!(f = fopen(path, "r")))
        return 0;
    if (fgets(line, sizeof line, f)) {
        char *p = line, *end;
        *pid = strtol(p, &end, 10);
        if (end != p && *end == ' ') {
            p = end + 1;
            *since = strtoll(p, &end, 10);
            if (end != p && *end == ' ') {
                p = end + 1;
                p[strcspn(p, "\r\n")] = 0;
                snprintf(what, n, "%s", p);
                ok = *pid > 0;
            }
        }
    }
    fclose(f);
    return ok;
}

void sqs_note_clear(struct sqlite_store *st)
{
    long pid = 0;
    long long since = 0;
    char what[160];
    char path[4200];
    if (!st->noted)
        return;
    st->noted = 0;
    /* Another writer may have taken the lock and left its own note
     * since ours: only ours is removed. */
    if (note_read(st, &pid, &since, what, sizeof what) &&
        pid == (long)getpid() && since == (long long)st->began) {
        note_path(st, path, sizeof path);
        unlink(path);
    }
}

/* "10:02:11" today, else "2026-11-30 10:02:11", in local time. */
static void format_since(char *buf, size_t n, time_t t)
{
    struct tm at, today;
    time_t now = time(NULL);
    if (!localtime_r(&t, &at) || !localtime_r(&now, &today)) {
        snprintf(buf, n, "%lld", (long long)t);
        return;
    }
    if (at.tm_year == today.tm_year && at.tm_yday == today.tm_yday)
        strftime(buf, n, "%H:%M:%S", &at);
    else
        strftime(buf, n, "%Y-%m-%d %H:%M:%S", &at);
}

static void format_wait(char *buf, size_t n, long ms)
{
    if (ms % 1000 == 0)
        snprintf(buf, n, "%ld s", ms / 1000);
    else
        snprintf(buf, n, "%.1f s", (double)ms / 1000);
}

int sqs_busy_error(struct sqlite_store *st, struct err *err, const char *what)
{
    long pid = 0;
    long long since = 0;
    char holder[160], when[40], wait[32];
    const char *sep = what ? ": " : "";
    if (!what)
        what = "";
    format_wait(wait, sizeof wait, st->busy_ms);
    if (note_read(st, &pid, &since, holder, sizeof holder) &&
        (kill((pid_t)pid, 0) == 0 || errno == EPERM)) {
        format_since(when, sizeof when, (time_t)since);
        return err_set(err, ERR_DB,
                       "%s%sthe database is being written by %s (pid %ld, "
                       "since %s); gave up waiting after %s "
                       "(RESONANS_BUSY_TIMEOUT)",
                       what, sep, holder, pid, when, wait);
    }
    return err_set(err, ERR_DB,
                   "%s%sthe database is locked by another writer; gave up "
                   "waiting after %s (RESONANS_BUSY_TIMEOUT)",
                   what, sep, wait);
}
