#pragma once
/* `resonans serve`: the running platform. Public survey pages and their
 * submissions, the REST API over the same result model as the CLI,
 * users and access, /healthz and /metrics, on src/http. A submission is
 * acknowledged once durably committed (a group commit: many at once),
 * then appended to the column store kept in memory, which every query
 * answers from. docs/server.md. */

struct err;
struct server;
struct server_config;

/* Opens the database (creating it), loads the column store, starts the
 * writer and the HTTP threads. Caller ends with server_stop. */
int server_start(struct server **out, const struct server_config *c,
                 struct err *err);
/* The port it listens on (the configured one, or the one picked for 0). */
int server_port(const struct server *s);
/* Graceful stop: takes no new connections, lets requests in flight finish
 * (waiting up to grace_ms), commits what was submitted, then frees s. */
void server_stop(struct server *s, long grace_ms);
