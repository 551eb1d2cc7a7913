/* The SQLite store with more than one process on a database file
 * (docs/store.md): files created private, WAL kept through a bulk load,
 * readers that see a bulk import whole or not at all, writers that wait
 * for each other and name the holder when they give up, and the messages
 * of a failed migration. Other processes are forked children that talk
 * to the test through pipes, so nothing waits on a sleep to line up. */
#include "harness.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/err.h"
#include "store/store.h"

struct fixture {
    char *dir;
    char path[600];
    int64_t tp, ch;
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    struct err err = ERR_INIT;
    struct store *s = NULL;
    struct journey j = {0, "hyra", "Hyresgästens resa", LIFECYCLE_USE};
    struct stage g = {0, 0, "boende", "Boende", 0};
    struct touchpoint t = {0,
                           0,
                           "felanmalan_app",
                           "Felanmälan i appen",
                           "app",
                           "Fastighetsskötsel",
                           1,
                           0,
                           NULL,
                           0};
    struct channel c = {0, "app"};
    *state = f;
    f->dir = harness_tmpdir();
    snprintf(f->path, sizeof f->path, "%s/c.db", f->dir);
    if (store_open(&s, f->path, &err) < 0 || store_put_journey(s, &j, &err) < 0)
        goto fail;
    g.journey_id = j.id;
    if (store_put_stage(s, &g, &err) < 0)
        goto fail;
    t.stage_id = g.id;
    if (store_put_touchpoint(s, &t, &err) < 0 ||
        store_put_channel(s, &c, &err) < 0)
        goto fail;
    f->tp = t.id;
    f->ch = c.id;
    store_free(s);
    return 0;
fail:
    fprintf(stderr, "setup: %s\n", err.msg);
    store_free(s);
    return -1;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    harness_tmpdir_free(f->dir);
    free(f);
    return 0;
}

static struct response resp(const struct fixture *f, const char *id)
{
    struct response r;
    memset(&r, 0, sizeof r);
    r.ext_id = id;
    r.touchpoint_id = f->tp;
    r.channel_id = f->ch;
    r.ts = 1700000000;
    r.tz_min = 60;
    r.nps = 7;
    r.csat = -1;
    r.ces = -1;
    r.language = "sv";
    return r;
}

/* Stores n responses "<prefix>N" with a comment analysis each. */
static int put_many(struct store *s, const struct fixture *f,
                    const char *prefix, int n, struct err *err)
{
    static struct theme_mention tm = {"price", -0.5};
    for (int i = 0; i < n; i++) {
        char id[32];
        struct comment_analysis ca = {"sv", 0.9,  -0.5, "negative", 0,
                                      0,    "{}", &tm,  1};
        struct answer a = {"comment", ANSWER_TEXT,        0,    0,
                           0,         "Hyran är för hög", NULL, &ca};
        struct response r = resp(f, id);
        int ins;
        snprintf(id, sizeof id, "%s%d", prefix, i);
        r.answers = &a;
        r.n_answers = 1;
        if (store_put_response(s, &r, &ins, err) < 0)
            return -1;
    }
    return 0;
}

static int64_t count_in(struct store *s)
{
    struct store_counts c;
    struct err err = ERR_INIT;
    assert_int_equal(store_count(s, &c, &err), 0);
    return c.responses;
}

static int analysis_row(void *ctx, int64_t id, const char *q,
                        const struct comment_analysis *a)
{
    (void)id;
    (void)q;
    (void)a;
    ++*(int64_t *)ctx;
    return 0;
}

static int64_t analyses_in(struct store *s)
{
    int64_t n = 0;
    struct err err = ERR_INIT;
    assert_int_equal(store_scan_analyses(s, analysis_row, &n, &err), 0);
    return n;
}

/* ---- a child process, driven through two pipes ---- */

struct child {
    pid_t pid;
    int to, from; /* our ends: write to it, read from it */
};

/* Reads one byte from fd, failing the test after 20 s. */
static char recv1(int fd)
{
    struct pollfd p = {fd, POLLIN, 0};
    char c = 0;
    if (poll(&p, 1, 20000) != 1 || read(fd, &c, 1) != 1)
        fail_msg("no word from the other process");
    return c;
}

static void send1(int fd, char c)
{
    if (write(fd, &c, 1) != 1)
        fail_msg("cannot talk to the other process");
}

/* In the child: one byte from the test, or exit if it has gone. */
static char child_recv(int fd)
{
    char c = 0;
    if (read(fd, &c, 1) != 1)
        _exit(3);
    return c;
}

static void child_send(int fd, char c)
{
    if (write(fd, &c, 1) != 1)
        _exit(3);
}

typedef void (*child_fn)(const struct fixture *f, int in, int out);

static struct child spawn(const struct fixture *f, child_fn fn)
{
    int down[2], up[2];
    struct child c;
    assert_int_equal(pipe(down), 0);
    assert_int_equal(pipe(up), 0);
    c.pid = fork();
    assert_true(c.pid >= 0);
    if (c.pid == 0) {
        close(down[1]);
        close(up[0]);
        fn(f, down[0], up[1]);
        _exit(0);
    }
    close(down[0]);
    close(up[1]);
    c.to = down[1];
    c.from = up[0];
    return c;
}

static int reap(struct child *c)
{
    int st = 0;
    close(c->to);
    close(c->from);
    assert_int_equal(waitpid(c->pid, &st, 0), c->pid);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* A bulk import in the child: begins, stores 3000 responses, says 'w'
 * (written, not committed), waits for 'c', commits, says 'd'. */
static void importer(const struct fixture *f, int in, int out)
{
    struct store *s = NULL;
    struct err err = ERR_INIT;
    if (store_open(&s, f->path, &err) < 0)
        _exit(1);
    store_set_activity(s, "resonans import responses");
    if (store_begin_bulk(s, &err) < 0 || put_many(s, f, "imp", 3000, &err) < 0)
        _exit(2);
    child_send(out, 'w');
    if (child_recv(in) != 'c')
        _exit(4);
    if (store_commit(s, &err) < 0)
        _exit(5);
    child_send(out, 'd');
    store_free(s);
    _exit(0);
}

/* As importer, but after 'c' waits 100 ms before committing: the test
 * has begun to wait for the write lock by then, or will find it free. */
static void slow_importer(const struct fixture *f, int in, int out)
{
    struct store *s = NULL;
    struct err err = ERR_INIT;
    struct timespec pause = {0, 100 * 1000 * 1000};
    if (store_open(&s, f->path, &err) < 0)
        _exit(1);
    store_set_activity(s, "resonans import responses");
    if (store_begin_bulk(s, &err) < 0 || put_many(s, f, "imp", 500, &err) < 0)
        _exit(2);
    child_send(out, 'w');
    if (child_recv(in) != 'c')
        _exit(4);
    nanosleep(&pause, NULL);
    if (store_commit(s, &err) < 0)
        _exit(5);
    store_free(s);
    _exit(0);
}

/* A writer that is not Resonans: holds the write lock without a note. */
static void raw_writer(const struct fixture *f, int in, int out)
{
    sqlite3 *db = NULL;
    if (sqlite3_open(f->path, &db) != SQLITE_OK ||
        sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
        _exit(1);
    child_send(out, 'w');
    child_recv(in);
    sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    sqlite3_close(db);
    _exit(0);
}

/* ---- files ---- */

static mode_t mode_of(const char *path)
{
    struct stat st;
    if (stat(path, &st) < 0)
        fail_msg("%s: %s", path, strerror(errno));
    return st.st_mode & 0777;
}

static void test_database_files_are_private(void **state)
{
    struct fixture *f = *state;
    struct store *s = NULL;
    struct err err = ERR_INIT;
    char path[700], side[720];
    mode_t old = umask(022);
    snprintf(path, sizeof path, "%s/new.db", f->dir);
    assert_int_equal(store_open(&s, path, &err), 0);
    umask(old);
    assert_int_equal(mode_of(path), 0600);
    /* the WAL and its index exist while the store is open */
    snprintf(side, sizeof side, "%s-wal", path);
    assert_int_equal(mode_of(side), 0600);
    snprintf(side, sizeof side, "%s-shm", path);
    assert_int_equal(mode_of(side), 0600);
    /* so does the writer note, during a transaction */
    assert_int_equal(store_begin(s, &err), 0);
    snprintf(side, sizeof side, "%s-writer", path);
    assert_int_equal(mode_of(side), 0600);
    assert_int_equal(store_commit(s, &err), 0);
    assert_int_equal(access(side, F_OK), -1);
    store_free(s);
}

static void test_an_existing_database_keeps_its_mode(void **state)
{
    struct fixture *f = *state;
    struct store *s = NULL;
    struct err err = ERR_INIT;
    assert_int_equal(chmod(f->path, 0640), 0);
    assert_int_equal(store_open(&s, f->path, &err), 0);
    store_free(s);
    assert_int_equal(mode_of(f->path), 0640);
}

static void test_a_bulk_load_stays_in_wal(void **state)
{
    struct fixture *f = *state;
    struct store *s = NULL;
    struct err err = ERR_INIT;
    sqlite3 *other = NULL;
    sqlite3_stmt *q = NULL;
    assert_int_equal(store_open(&s, f->path, &err), 0);
    assert_int_equal(store_begin_bulk(s, &err), 0);
    assert_int_equal(put_many(s, f, "b", 200, &err), 0);
    /* another connection, meanwhile: the database is in WAL and readable */
    assert_int_equal(sqlite3_open(f->path, &other), SQLITE_OK);
    assert_int_equal(
        sqlite3_prepare_v2(other, "PRAGMA journal_mode", -1, &q, NULL),
        SQLITE_OK);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(q, 0), "wal");
    sqlite3_finalize(q);
    assert_int_equal(sqlite3_prepare_v2(other, "SELECT count(*) FROM responses",
                                        -1, &q, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(q, 0), 0);
    sqlite3_finalize(q);
    assert_int_equal(store_commit(s, &err), 0);
    store_free(s);
    assert_int_equal(
        sqlite3_prepare_v2(other, "PRAGMA journal_mode", -1, &q, NULL),
        SQLITE_OK);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(q, 0), "wal");
    sqlite3_finalize(q);
    sqlite3_close(other);
}

static off_t size_of(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0 ? sb.st_size : -1;
}

/* A bulk load's commit leaves the copy into the database file for later
 * (store_checkpoint, or another process: docs/store.md, "Checkpoints"):
 * the rows are readable at once from the WAL, the file has not grown;
 * the checkpoint copies them and empties the WAL. */
static void test_a_bulk_commit_leaves_the_checkpoint(void **state)
{
    struct fixture *f = *state;
    struct store *s = NULL, *r = NULL;
    struct err err = ERR_INIT;
    char wal[640];
    snprintf(wal, sizeof wal, "%s-wal", f->path);
    assert_int_equal(store_open(&s, f->path, &err), 0);
    assert_int_equal(store_checkpoint(s, &err), 0);
    off_t before = size_of(f->path);
    assert_int_equal(store_pending_bytes(s), 0);

    assert_int_equal(store_begin_bulk(s, &err), 0);
    assert_int_equal(put_many(s, f, "k", 3000, &err), 0);
    assert_int_equal(store_commit(s, &err), 0);
    assert_int_equal(store_open(&r, f->path, &err), 0);
    assert_int_equal(count_in(r), 3000);
    assert_int_equal(size_of(f->path), before);
    assert_true(store_pending_bytes(s) > 64 * 1024);
    assert_int_equal(store_pending_bytes(s), size_of(wal));

    store_free(r); /* its read snapshot would keep the WAL busy */
    assert_int_equal(store_checkpoint(s, &err), 0);
    assert_true(size_of(f->path) > before);
    assert_int_equal(store_pending_bytes(s), 0);
    assert_int_equal(store_open(&r, f->path, &err), 0);
    assert_int_equal(count_in(r), 3000);

    /* an ordinary write still checkpoints as SQLite does by default */
    assert_int_equal(put_many(s, f, "o", 1, &err), 0);
    store_free(s);
    store_free(r);
}

/* ---- readers ---- */

static void test_readers_see_an_import_whole_or_not_at_all(void **state)
{
    struct fixture *f = *state;
    struct store *early = NULL, *late = NULL, *s = NULL;
    struct err err = ERR_INIT;
    assert_int_equal(store_open(&s, f->path, &err), 0);
    assert_int_equal(put_many(s, f, "old", 5, &err), 0);
    store_free(s);

    struct child c = spawn(f, importer);
    assert_int_equal(recv1(c.from), 'w');
    /* 3000 rows written, not committed: a reader opened now works at
     * once and sees none of them, in every table */
    assert_int_equal(store_open(&early, f->path, &err), 0);
    assert_int_equal(count_in(early), 5);
    assert_int_equal(analyses_in(early), 5);
    send1(c.to, 'c');
    assert_int_equal(recv1(c.from), 'd');
    /* committed: the reader that started before still sees its own
     * snapshot, whole; a reader started after sees all of it */
    assert_int_equal(analyses_in(early), 5);
    assert_int_equal(count_in(early), 5);
    assert_int_equal(store_open(&late, f->path, &err), 0);
    assert_int_equal(count_in(late), 3005);
    assert_int_equal(analyses_in(late), 3005);
    assert_int_equal(reap(&c), 0);
    /* a handle's snapshot ends with its next write */
    struct channel ch = {0, "email"};
    assert_int_equal(store_put_channel(early, &ch, &err), 0);
    assert_int_equal(count_in(early), 3005);
    store_free(early);
    store_free(late);
}

static void test_a_failed_import_is_never_seen(void **state)
{
    struct fixture *f = *state;
    struct store *s = NULL, *r = NULL;
    struct err err = ERR_INIT;
    assert_int_equal(store_open(&s, f->path, &err), 0);
    assert_int_equal(store_open(&r, f->path, &err), 0);
    assert_int_equal(store_begin_bulk(s, &err), 0);
    assert_int_equal(put_many(s, f, "x", 1000, &err), 0);
    assert_int_equal(count_in(r), 0);
    store_rollback(s);
    store_free(r);
    assert_int_equal(store_open(&r, f->path, &err), 0);
    assert_int_equal(count_in(r), 0);
    store_free(r);
    store_free(s);
}

/* ---- writers ---- */

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void test_a_second_writer_gives_up_naming_the_holder(void **state)
{
    struct fixture *f = *state;
    struct store *s = NULL;
    struct err err = ERR_INIT;
    char expect[160];
    struct child c = spawn(f, importer);
    assert_int_equal(recv1(c.from), 'w');
    assert_int_equal(store_open(&s, f->path, &err), 0);
    store_set_busy_timeout(s, 300);
    double t0 = now();
    assert_int_equal(store_begin(s, &err), ERR_DB);
    double waited = now() - t0;
    assert_true(waited >= 0.25);
    snprintf(expect, sizeof expect,
             "the database is being written by resonans import responses "
             "(pid %ld, since ",
             (long)c.pid);
    if (!strstr(err.msg, expect) ||
        !strstr(err.msg, "gave up waiting after 0.3 s (RESONANS_BUSY_TIMEOUT)"))
        fail_msg("unexpected message: %s", err.msg);
    /* a write outside a transaction says the same */
    struct channel ch = {0, "email"};
    err_clear(&err);
    assert_int_equal(store_put_channel(s, &ch, &err), ERR_DB);
    if (!strstr(err.msg, expect))
        fail_msg("unexpected message: %s", err.msg);
    send1(c.to, 'c');
    assert_int_equal(recv1(c.from), 'd');
    assert_int_equal(reap(&c), 0);
    /* the holder is gone: the write goes through */
    err_clear(&err);
    assert_int_equal(store_begin(s, &err), 0);
    assert_int_equal(put_many(s, f, "after", 1, &err), 0);
    assert_int_equal(store_commit(s, &err), 0);
    assert_int_equal(count_in(s), 3001);
    store_free(s);
}

static void test_a_second_writer_waits_for_the_first(void **state)
{
    struct fixture *f = *state;
    struct store *s = NULL;
    struct err err = ERR_INIT;
    struct child c = spawn(f, slow_importer);
    assert_int_equal(recv1(c.from), 'w');
    assert_int_equal(store_open(&s, f->path, &err), 0);
    store_set_busy_timeout(s, 20000);
    send1(c.to, 'c');
    /* blocks until the child commits, then goes on */
    if (store_begin(s, &err) < 0)
        fail_msg("the second writer did not wait: %s", err.msg);
    assert_int_equal(put_many(s, f, "second", 10, &err), 0);
    assert_int_equal(store_commit(s, &err), 0);
    assert_int_equal(reap(&c), 0);
    assert_int_equal(count_in(s), 510);
    store_free(s);
}

static void test_a_holder_without_a_note_is_not_named(void **state)
{
    struct fixture *f = *state;
    struct store *s = NULL;
    struct err err = ERR_INIT;
    char note[700];
    FILE *fp;
    /* a note left by a process that is gone (this child) */
    pid_t gone = fork();
    assert_true(gone >= 0);
    if (gone == 0)
        _exit(0);
    assert_int_equal(waitpid(gone, NULL, 0), gone);
    snprintf(note, sizeof note, "%s-writer", f->path);
    assert_non_null(fp = fopen(note, "w"));
    fprintf(fp, "%ld 1700000000 resonans import responses\n", (long)gone);
    fclose(fp);

    struct child c = spawn(f, raw_writer);
    assert_int_equal(recv1(c.from), 'w');
    assert_int_equal(store_open(&s, f->path, &err), 0);
    store_set_busy_timeout(s, 100);
    assert_int_equal(store_begin(s, &err), ERR_DB);
    if (!strstr(err.msg, "the database is locked by another writer; gave up "
                         "waiting after 0.1 s"))
        fail_msg("unexpected message: %s", err.msg);
    send1(c.to, 'c');
    assert_int_equal(reap(&c), 0);
    store_free(s);
    unlink(note);
}

static void test_busy_timeout_comes_from_the_environment(void **state)
{
    struct fixture *f = *state;
    struct store *s = NULL;
    struct err err = ERR_INIT;
    struct child c = spawn(f, importer);
    assert_int_equal(recv1(c.from), 'w');
    setenv("RESONANS_BUSY_TIMEOUT", "0.2", 1);
    assert_int_equal(store_open(&s, f->path, &err), 0);
    unsetenv("RESONANS_BUSY_TIMEOUT");
    assert_int_equal(store_begin(s, &err), ERR_DB);
    if (!strstr(err.msg, "gave up waiting after 0.2 s"))
        fail_msg("unexpected message: %s", err.msg);
    send1(c.to, 'c');
    assert_int_equal(recv1(c.from), 'd');
    assert_int_equal(reap(&c), 0);
    store_free(s);
}

/* ---- migrations ---- */

static void make_db(const char *path, const char *sql)
{
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
}

static void test_a_failed_migration_says_which_and_why(void **state)
{
    struct fixture *f = *state;
    struct store *s = NULL;
    struct err err = ERR_INIT;
    char path[700], expect[900];
    /* says it is at version 2, but has no responses table for the
     * third migration to alter */
    snprintf(path, sizeof path, "%s/broken.db", f->dir);
    make_db(path, "CREATE TABLE x(a); PRAGMA user_version=2");
    assert_int_equal(store_open(&s, path, &err), ERR_DB);
    assert_null(s);
    snprintf(expect, sizeof expect,
             "%s: migration sqlite_003_history.sql failed: no such table: "
             "responses",
             path);
    assert_string_equal(err.msg, expect);
    /* and changed nothing: still at version 2 */
    sqlite3 *db = NULL;
    sqlite3_stmt *q = NULL;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(
        sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &q, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(q, 0), 2);
    sqlite3_finalize(q);
    sqlite3_close(db);
}

static void test_a_newer_database_is_refused_by_name(void **state)
{
    struct fixture *f = *state;
    struct store *s = NULL;
    struct err err = ERR_INIT;
    char path[700], expect[900];
    snprintf(path, sizeof path, "%s/newer.db", f->dir);
    make_db(path, "CREATE TABLE x(a); PRAGMA user_version=999");
    assert_int_equal(store_open(&s, path, &err), ERR_DB);
    snprintf(expect, sizeof expect,
             "%s: database schema version 999 is newer than this program",
             path);
    if (strncmp(err.msg, expect, strlen(expect)) != 0)
        fail_msg("unexpected message: %s", err.msg);
}

int main(void)
{
    /* a child that dies must not take the test with it */
    signal(SIGPIPE, SIG_IGN);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_database_files_are_private, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(
            test_an_existing_database_keeps_its_mode, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_a_bulk_commit_leaves_the_checkpoint, setup, teardown),
        cmocka_unit_test_setup_teardown(test_a_bulk_load_stays_in_wal, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(
            test_readers_see_an_import_whole_or_not_at_all, setup, teardown),
        cmocka_unit_test_setup_teardown(test_a_failed_import_is_never_seen,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_a_second_writer_gives_up_naming_the_holder, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_a_second_writer_waits_for_the_first, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_a_holder_without_a_note_is_not_named, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_busy_timeout_comes_from_the_environment, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_a_failed_migration_says_which_and_why, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_a_newer_database_is_refused_by_name, setup, teardown),
    };
    return cmocka_run_group_tests_name("store concurrency", tests, NULL, NULL);
}
