#pragma once
/* The server's error log: one JSON object a line on stderr, as the access
 * log is (docs/server.md): {"ts", "level": "error", "where", "message"}.
 * For what goes wrong outside a request (a catch-up of the column store,
 * a checkpoint, the retention, an audit write); a request's own failure
 * is its answer and its access-log line. */

struct err;

void errlog(const char *where, const struct err *err);
