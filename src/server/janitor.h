#pragma once
/* The server's housekeeping, on a thread of its own with its own
 * database handle: five times a second, copies the log into the
 * database file when it has grown (a passive checkpoint, which holds no
 * one up; the writer's own copy then has little left: ingest.c); every
 * hour, and at start, removes comment texts older than the retention
 * period (store_expire_comments). */

#include <stdint.h>

struct err;
struct janitor;

/* retention_days 0 = keep comments. */
int janitor_start(struct janitor **out, const char *db, long retention_days,
                  struct err *err);
void janitor_stop(struct janitor *j);
