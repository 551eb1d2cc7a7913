#pragma once
/* The column store the server keeps in memory: opened from its snapshot
 * (or built) at start, then brought up to date by a thread of its own
 * after every commit (and every second, for what other processes, such
 * as a CLI import, wrote): new rows appended, a full reload when the
 * journeys, events or anything else was rewritten. Queries hold its lock
 * while they read it. */

#include <stdint.h>

struct colstore;
struct err;
struct resident;

int resident_new(struct resident **out, const char *db, struct err *err);
/* Something was committed: catch up now. */
void resident_notify(struct resident *r);
/* Waits for the lock; *cs is the store to query until resident_unlock. */
struct colstore *resident_lock(struct resident *r);
void resident_unlock(struct resident *r);
/* The data version (store_version's data) of what it holds: another
 * number once any change was taken in (without the lock). */
int64_t resident_generation(struct resident *r);
/* Responses in it (without the lock: may be a moment old). */
int64_t resident_rows(struct resident *r);
void resident_free(struct resident *r);
