#pragma once
/* Per-address rate limits for the public endpoints: a token bucket per
 * client address (rate a second, up to burst), in a fixed table of
 * buckets so that a flood of addresses costs no memory; an address whose
 * slot another took starts with a full bucket again. */

struct ratelimit;

struct ratelimit *ratelimit_new(double rate, double burst);
void ratelimit_free(struct ratelimit *rl);
/* 1 if a request from addr at now_s (monotonic seconds) may go ahead,
 * taking a token; 0 if it is over the limit. rate 0 = no limit. */
int ratelimit_take(struct ratelimit *rl, const char *addr, double now_s);
