#pragma once
/* The users and API tokens (store.h "users and access") as results for
 * every front end: `resonans user list` and `user tokens` render them. */

struct err;
struct result;
struct store;

/* Every user: name, role, touchpoints, whether a password is set,
 * disabled, created. Caller frees *out with result_free. */
int users_result(struct result **out, struct store *s, struct err *err);
/* Every API token (never its secret): id, user, name, scopes, created,
 * expires, revoked. */
int tokens_result(struct result **out, struct store *s, struct err *err);
