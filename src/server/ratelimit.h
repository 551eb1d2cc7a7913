#pragma once
/* Per-address rate limits for the public endpoints: a token bucket per
 * client address (rate a second, up to burst), in a fixed table of
 * buckets so that a flood of addresses costs no memory; an address whose
 * slot another took starts with a full bucket again.
 *
 * The same object counts failed sign-ins (docs/access.md): per key (the
 * server uses "a:ADDRESS" and "u:NAME"), at most `max` failures in a
 * window of `window` seconds that starts with the first failure; once
 * there, every sign-in with that key is refused (right password or not)
 * until the window ends. Successes are not counted. Also a fixed table:
 * a key whose slot another took starts again at 0. */

struct ratelimit;

struct ratelimit *ratelimit_new(double rate, double burst);
void ratelimit_free(struct ratelimit *rl);
/* 1 if a request from addr at now_s (monotonic seconds) may go ahead,
 * taking a token; 0 if it is over the limit. rate 0 = no limit. */
int ratelimit_take(struct ratelimit *rl, const char *addr, double now_s);

/* The sign-in rule: max failures (0 = no limit) a window of window_s
 * seconds. ratelimit_new sets 10 a 60 s. */
void ratelimit_login_rule(struct ratelimit *rl, int max, double window_s);
/* 0 if a sign-in from addr as user name may be tried at now_s; else
 * the seconds (at least 1, rounded up) until it may: the longer of the
 * address's and the name's waits. */
long ratelimit_login_wait(struct ratelimit *rl, const char *addr,
                          const char *name, double now_s);
/* Counts a failed sign-in from addr as name (NULL: the address only). */
void ratelimit_login_failed(struct ratelimit *rl, const char *addr,
                            const char *name, double now_s);
/* Monotonic seconds, the clock these take. */
double ratelimit_now(void);
