#pragma once
/* A store with users for the tests of src/auth: eva (admin), ali
 * (analyst), ola (owner of kontoret and webb_sok) and nopw (an analyst
 * without a password). Each password is the name and "-password". */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "auth/auth.h"
#include "core/err.h"
#include "store/store.h"

struct auth_fixture {
    char *dir;
    char path[600];
    struct store *s;
};

static inline int auth_fixture_user(struct store *s, const char *name,
                                    enum user_role role, const char *tps,
                                    int with_password)
{
    struct err err = ERR_INIT;
    char hash[128], pw[80];
    snprintf(pw, sizeof pw, "%s-password", name);
    if (with_password && auth_password_hash(hash, pw, &err) < 0)
        return -1;
    struct user u = {0,   name, role, with_password ? hash : NULL,
                     tps, 0,    0,    NULL};
    return store_put_user(s, &u, &err);
}

static inline int auth_fixture_setup(void **state)
{
    struct auth_fixture *f = calloc(1, sizeof *f);
    struct err err = ERR_INIT;
    setenv("RESONANS_PWHASH", "fast", 1);
    f->dir = harness_tmpdir();
    snprintf(f->path, sizeof f->path, "%s/t.db", f->dir);
    if (store_open(&f->s, f->path, &err) < 0 ||
        auth_fixture_user(f->s, "eva", ROLE_ADMIN, NULL, 1) < 0 ||
        auth_fixture_user(f->s, "ali", ROLE_ANALYST, NULL, 1) < 0 ||
        auth_fixture_user(f->s, "ola", ROLE_OWNER, "kontoret, webb_sok", 1) <
            0 ||
        auth_fixture_user(f->s, "nopw", ROLE_ANALYST, NULL, 0) < 0) {
        fprintf(stderr, "setup: %s\n", err.msg);
        return -1;
    }
    *state = f;
    return 0;
}

static inline int auth_fixture_teardown(void **state)
{
    struct auth_fixture *f = *state;
    store_free(f->s);
    harness_tmpdir_free(f->dir);
    free(f);
    return 0;
}

/* Rewrites a stored user with one change: the role or disabled flag. */
struct auth_fixture_edit {
    int set_role, set_disabled;
    enum user_role role;
    int disabled;
    struct store *s;
    int rc;
};

static inline int auth_fixture_edit_cb(void *ctx, const struct user *u)
{
    struct auth_fixture_edit *e = ctx;
    struct err err = ERR_INIT;
    struct user c = *u;
    if (e->set_role)
        c.role = e->role;
    if (e->set_disabled)
        c.disabled = e->disabled;
    /* the callback may write: the row was copied before it was called */
    e->rc = store_put_user(e->s, &c, &err);
    return 0;
}

static inline int auth_fixture_set_role(struct store *s, const char *name,
                                        enum user_role r)
{
    struct err err = ERR_INIT;
    struct auth_fixture_edit e = {1, 0, r, 0, s, -1};
    if (store_get_user(s, name, auth_fixture_edit_cb, &e, &err) < 0)
        return -1;
    return e.rc;
}

static inline int auth_fixture_set_disabled(struct store *s, const char *name,
                                            int disabled)
{
    struct err err = ERR_INIT;
    struct auth_fixture_edit e = {0, 1, ROLE_ADMIN, disabled, s, -1};
    if (store_get_user(s, name, auth_fixture_edit_cb, &e, &err) < 0)
        return -1;
    return e.rc;
}

/* The audit entries as "actor|action|subject" lines, and the detail of
 * the last one. */
struct auth_audit_log {
    char text[2000];
    char last_detail[300];
};

static inline int auth_fixture_audit_cb(void *ctx, const struct audit_entry *e)
{
    struct auth_audit_log *l = ctx;
    size_t n = strlen(l->text);
    snprintf(l->text + n, sizeof l->text - n, "%s|%s|%s\n", e->actor, e->action,
             e->subject);
    snprintf(l->last_detail, sizeof l->last_detail, "%s", e->detail);
    return 0;
}

static inline void auth_fixture_audit(struct store *s, struct auth_audit_log *l)
{
    struct err err = ERR_INIT;
    memset(l, 0, sizeof *l);
    store_scan_audit(s, 0, auth_fixture_audit_cb, l, &err);
}

/* 1 when the bytes of needle occur in the file at path (or its -wal). */
static inline int auth_fixture_file_has(const char *path, const char *needle)
{
    char p[700];
    int found = 0;
    for (int w = 0; w < 2 && !found; w++) {
        snprintf(p, sizeof p, "%s%s", path, w ? "-wal" : "");
        FILE *fp = fopen(p, "rb");
        if (!fp)
            continue;
        struct stat st;
        if (fstat(fileno(fp), &st) == 0 && st.st_size > 0) {
            size_t n = (size_t)st.st_size, m = strlen(needle);
            char *buf = malloc(n);
            if (buf && fread(buf, 1, n, fp) == n)
                for (size_t i = 0; i + m <= n && !found; i++)
                    found = !memcmp(buf + i, needle, m);
            free(buf);
        }
        fclose(fp);
    }
    return found;
}
