#pragma once
/* Private to src/loop's store-facing files (loop_*.c): the parsed loop
 * document. Strings are borrowed from root. */

#include <jansson.h>
#include <stdint.h>

#include "loop/bizcal.h"
#include "loop/loop.h"

struct tz;
struct store;

#define LOOP_MAX_ADDR 8

struct loop_team {
    const char *name;
    const char *email[LOOP_MAX_ADDR];
    int n_email;
    const char *escalate_to; /* a team in teams, or NULL */
};

struct loop_hook {
    const char *url;
    const char *secret; /* NULL for chat */
    unsigned events;    /* bits of loop_event_bit */
    int chat;           /* 1: a Slack/Teams incoming webhook */
};

struct loop {
    int64_t id;
    struct rules *rules;
    json_t *root;
    struct tz *tz;
    struct bizcal cal;
    struct loop_team *teams;
    size_t n_teams;
    struct loop_hook *hooks;
    size_t n_hooks;
    int digest;       /* e-mail: 1 digest, 0 immediate */
    int64_t digest_s; /* digest period */
    int max_attempts;
    int64_t retry_s;      /* the first retry's wait, doubling */
    const char *recovery; /* default recovery survey, or NULL */
    const char *base_url; /* for links, or NULL */
    char *base_own;       /* loop_default_base_url's copy */
};

const struct loop_team *loop_team(const struct loop *l, const char *name);
/* What delivery uses when no document is loaded: e-mail immediate, 10
 * tries, the first retry after 30 s; no hooks, teams or calendar. (Queued
 * e-mail such as the weekly digest needs no document; webhooks and chat
 * do, for their secrets.) */
const struct loop *loop_defaults(void);
/* The bit of an event name ("case.opened"), 0 for an unknown one. */
unsigned loop_event_bit(const char *event);

/* Queues the notifications of event for case c (loop_notify.c): webhooks
 * and chat that take it, and e-mail to team (NULL: c's team). In the
 * caller's transaction. */
int loop_notify(struct store *s, const struct loop *l, const char *event,
                const struct loop_case *c, const char *team, const char *why,
                int64_t now, struct err *err);
