/* The users and API tokens of `resonans user list|tokens` as results:
 * the store's rows as they are, times in UTC. */
#include "report/access_report.h"

#include <stdio.h>
#include <stdlib.h>

#include "core/err.h"
#include "core/xalloc.h"
#include "report/result.h"
#include "store/store.h"

static int user_row(void *ctx, const struct user *u)
{
    struct result_table *t = ctx;
    result_row(t);
    result_add_text(t, u->name);
    result_add_text(t, user_role_name(u->role));
    result_add_text(t, u->touchpoints);
    result_add_bool(t, u->pw_hash != NULL);
    result_add_bool(t, u->disabled);
    result_add_utc(t, u->created);
    return 0;
}

int users_result(struct result **out, struct store *s, struct err *err)
{
    struct result *r = result_new();
    struct result_table *t = result_table_new(r, "users", NULL);
    result_table_empty(t, "(no users: add one with 'resonans user add')");
    result_col(t, "name", "name", RESULT_TEXT, 0, 0);
    result_col(t, "role", "role", RESULT_TEXT, 0, 0);
    result_col(t, "touchpoints", "touchpoints", RESULT_TEXT, 0, 0);
    result_col(t, "password", "password", RESULT_BOOLEAN, 0, 0);
    result_col(t, "disabled", "disabled", RESULT_BOOLEAN, 0, 0);
    result_col(t, "created", "created (UTC)", RESULT_TEXT, 0, 0);
    int rc = store_list_users(s, user_row, t, err);
    if (rc < 0) {
        result_free(r);
        return rc;
    }
    *out = r;
    return 0;
}

/* Token rows need their user's name: users are few, so looked up per
 * row after the scan. */
struct token_rows {
    struct api_token *v;
    size_t n, cap;
};

static int token_row(void *ctx, const struct api_token *tk)
{
    struct token_rows *rows = ctx;
    rows->v = xgrow(rows->v, &rows->cap, rows->n + 1, sizeof *rows->v);
    struct api_token *c = &rows->v[rows->n++];
    *c = *tk;
    c->name = xstrdup(tk->name);
    c->scopes = xstrdup(tk->scopes);
    return 0;
}

static int name_cb(void *ctx, const struct user *u)
{
    snprintf(ctx, 65, "%s", u->name);
    return 0;
}

int tokens_result(struct result **out, struct store *s, struct err *err)
{
    struct token_rows rows = {NULL, 0, 0};
    int rc;
    struct result *r = result_new();
    struct result_table *t = result_table_new(r, "tokens", NULL);
    result_table_empty(t, "(no API tokens)");
    result_col(t, "id", "id", RESULT_INTEGER, 0, 0);
    result_col(t, "user", "user", RESULT_TEXT, 0, 0);
    result_col(t, "name", "name", RESULT_TEXT, 0, 0);
    result_col(t, "scopes", "scopes", RESULT_TEXT, 0, 0);
    result_col(t, "created", "created (UTC)", RESULT_TEXT, 0, 0);
    result_col(t, "expires", "expires (UTC)", RESULT_TEXT, 0, 0);
    result_col(t, "revoked", "revoked", RESULT_BOOLEAN, 0, 0);
    rc = store_list_tokens(s, token_row, &rows, err);
    for (size_t i = 0; rc == 0 && i < rows.n; i++) {
        char name[65] = "?";
        struct err ignored = ERR_INIT;
        store_get_user_by_id(s, rows.v[i].user_id, name_cb, name, &ignored);
        result_row(t);
        result_add_int(t, rows.v[i].id);
        result_add_text(t, name);
        result_add_text(t, rows.v[i].name);
        result_add_text(t, rows.v[i].scopes);
        result_add_utc(t, rows.v[i].created);
        result_add_utc(t, rows.v[i].expires);
        result_add_bool(t, rows.v[i].revoked);
    }
    for (size_t i = 0; i < rows.n; i++) {
        free((char *)rows.v[i].name);
        free((char *)rows.v[i].scopes);
    }
    free(rows.v);
    if (rc < 0) {
        result_free(r);
        return rc;
    }
    *out = r;
    return 0;
}
