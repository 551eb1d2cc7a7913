/* The loop document (loop.h): rules (rules.h) plus the calendar, the
 * teams with their addresses and escalation, notifications and recovery
 * surveys. Parsed once, shared read-only. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/tzfile.h"
#include "core/xalloc.h"
#include "loop/bizcal.h"
#include "loop/loop_int.h"
#include "store/store_loop.h"

static int bad(struct err *err, const char *where, const char *msg)
{
    err_set(err, ERR_INVALID, "%s", msg);
    snprintf(err->where, sizeof err->where, "%s", where);
    return ERR_INVALID;
}

void loop_free(struct loop *l)
{
    if (!l)
        return;
    rules_free(l->rules);
    tz_free(l->tz);
    free(l->teams);
    free(l->hooks);
    json_decref(l->root);
    free(l->base_own);
    free(l);
}

void loop_default_base_url(struct loop *l, const char *url)
{
    if (!l || l->base_url || !url || !*url)
        return;
    l->base_url = l->base_own = xstrdup(url);
}

int64_t loop_id(const struct loop *l)
{
    return l->id;
}

const struct rules *loop_rules(const struct loop *l)
{
    return l->rules;
}

const struct bizcal *loop_calendar(const struct loop *l)
{
    return &l->cal;
}

/* "HH:MM" into minutes after midnight, or -1. */
static int parse_hhmm(const char *s)
{
    int h, m;
    char tail;
    if (!s || sscanf(s, "%2d:%2d%c", &h, &m, &tail) != 2 || h < 0 || h > 24 ||
        m < 0 || m > 59 || h * 60 + m > 24 * 60)
        return -1;
    return h * 60 + m;
}

static int parse_calendar(struct loop *l, json_t *c, struct err *err)
{
    const char *k;
    json_t *v;
    const char *tzname = "Europe/Stockholm";
    if (!json_is_object(c))
        return bad(err, "calendar", "must be an object");
    json_object_foreach(c, k, v)
    {
        char w[64];
        snprintf(w, sizeof w, "calendar.%s", k);
        if (!strcmp(k, "tz")) {
            if (!json_is_string(v))
                return bad(err, w, "must be a time zone name");
            tzname = json_string_value(v);
        } else if (!strcmp(k, "open") || !strcmp(k, "close")) {
            int m = parse_hhmm(json_string_value(v));
            if (m < 0)
                return bad(err, w, "must be a time HH:MM");
            *(!strcmp(k, "open") ? &l->cal.open_min : &l->cal.close_min) = m;
        } else if (!strcmp(k, "days_off")) {
            if (!json_is_boolean(v))
                return bad(err, w, "must be true or false");
            l->cal.days_off_too = json_is_true(v);
        } else if (!strcmp(k, "weekdays")) {
            /* "mon-fri" style is not needed yet; a list of 0..6 */
            size_t i;
            json_t *d;
            unsigned mask = 0;
            if (!json_is_array(v))
                return bad(err, w,
                           "must be a list of weekdays 0..6 (Monday "
                           "0)");
            json_array_foreach(v, i, d)
            {
                if (!json_is_integer(d) || json_integer_value(d) < 0 ||
                    json_integer_value(d) > 6)
                    return bad(err, w,
                               "must be a list of weekdays 0..6 "
                               "(Monday 0)");
                mask |= 1u << json_integer_value(d);
            }
            if (!mask)
                return bad(err, w, "needs at least one day");
            l->cal.weekdays = mask;
        } else {
            return bad(err, w, "unknown member");
        }
    }
    if (l->cal.close_min <= l->cal.open_min)
        return bad(err, "calendar.close", "must be after calendar.open");
    struct err e = ERR_INIT;
    if (tz_load(&l->tz, tzname, NULL, &e) < 0)
        return bad(err, "calendar.tz", e.msg);
    l->cal.tz = l->tz;
    return 0;
}

/* A string or a list of strings into a NULL-terminated borrowed list
 * kept in the team (at most LOOP_MAX_ADDR). */
static int parse_addresses(struct loop_team *t, json_t *v, const char *w,
                           struct err *err)
{
    size_t i;
    json_t *x;
    if (json_is_string(v)) {
        if (!strchr(json_string_value(v), '@'))
            return bad(err, w, "must hold e-mail addresses");
        t->email[t->n_email++] = json_string_value(v);
        return 0;
    }
    if (!json_is_array(v) || json_array_size(v) > LOOP_MAX_ADDR)
        return bad(err, w, "must be an address or a list of at most 8");
    json_array_foreach(v, i, x)
    {
        const char *a = json_string_value(x);
        if (!a || !strchr(a, '@'))
            return bad(err, w, "must hold e-mail addresses");
        t->email[t->n_email++] = a;
    }
    return 0;
}

static int parse_teams(struct loop *l, json_t *teams, struct err *err)
{
    const char *name;
    json_t *v;
    if (!json_is_object(teams))
        return bad(err, "teams", "must be an object of teams by name");
    l->teams = xcalloc(json_object_size(teams) + 1, sizeof *l->teams);
    json_object_foreach(teams, name, v)
    {
        struct loop_team *t = &l->teams[l->n_teams++];
        const char *k;
        json_t *x;
        char w[160];
        t->name = name;
        snprintf(w, sizeof w, "teams.%s", name);
        if (!json_is_object(v))
            return bad(err, w, "must be an object");
        json_object_foreach(v, k, x)
        {
            snprintf(w, sizeof w, "teams.%s.%s", name, k);
            if (!strcmp(k, "email")) {
                int rc = parse_addresses(t, x, w, err);
                if (rc < 0)
                    return rc;
            } else if (!strcmp(k, "escalate_to")) {
                if (!json_is_string(x) || !*json_string_value(x))
                    return bad(err, w, "must be a team's name");
                t->escalate_to = json_string_value(x);
            } else {
                return bad(err, w, "unknown member");
            }
        }
    }
    return 0;
}

static const char *const events[] = {"case.opened", "case.assigned",
                                     "case.escalated", "case.resolved",
                                     "case.closed"};

static int parse_events(unsigned *mask, json_t *v, const char *w,
                        struct err *err)
{
    size_t i;
    json_t *x;
    if (!json_is_array(v))
        return bad(err, w, "must be a list of events");
    *mask = 0;
    json_array_foreach(v, i, x)
    {
        const char *s = json_string_value(x);
        int found = -1;
        for (int j = 0; s && j < (int)(sizeof events / sizeof *events); j++)
            if (!strcmp(s, events[j]))
                found = j;
        if (found < 0)
            return bad(err, w,
                       "events are case.opened, case.assigned, "
                       "case.escalated, case.resolved, case.closed");
        *mask |= 1u << found;
    }
    return 0;
}

unsigned loop_event_bit(const char *event)
{
    for (int j = 0; j < (int)(sizeof events / sizeof *events); j++)
        if (!strcmp(event, events[j]))
            return 1u << j;
    return 0;
}

static int parse_hooks(struct loop *l, json_t *list, int chat, struct err *err)
{
    const char *what = chat ? "notify.chat" : "notify.webhooks";
    size_t i;
    json_t *h;
    if (!json_is_array(list))
        return bad(err, what, "must be a list");
    json_array_foreach(list, i, h)
    {
        struct loop_hook *k = &l->hooks[l->n_hooks++];
        const char *key;
        json_t *v;
        char w[96];
        k->chat = chat;
        k->events = chat ? loop_event_bit("case.opened") |
                               loop_event_bit("case.escalated")
                         : ~0u;
        snprintf(w, sizeof w, "%s[%zu]", what, i);
        if (!json_is_object(h))
            return bad(err, w, "must be an object");
        json_object_foreach(h, key, v)
        {
            snprintf(w, sizeof w, "%s[%zu].%s", what, i, key);
            if (!strcmp(key, "url")) {
                const char *u = json_string_value(v);
                if (!u || (strncmp(u, "http://", 7) != 0 &&
                           strncmp(u, "https://", 8) != 0))
                    return bad(err, w, "must be an http or https URL");
                k->url = u;
            } else if (!strcmp(key, "secret") && !chat) {
                if (!json_is_string(v) || strlen(json_string_value(v)) < 16)
                    return bad(err, w,
                               "must be a string of 16 or more "
                               "characters");
                k->secret = json_string_value(v);
            } else if (!strcmp(key, "events")) {
                int rc = parse_events(&k->events, v, w, err);
                if (rc < 0)
                    return rc;
            } else {
                return bad(err, w, "unknown member");
            }
        }
        if (!k->url) {
            snprintf(w, sizeof w, "%s[%zu]", what, i);
            return bad(err, w, "needs a url");
        }
    }
    return 0;
}

static int parse_notify(struct loop *l, json_t *n, struct err *err)
{
    const char *k;
    json_t *v;
    if (!json_is_object(n))
        return bad(err, "notify", "must be an object");
    size_t hooks = json_array_size(json_object_get(n, "webhooks")) +
                   json_array_size(json_object_get(n, "chat"));
    l->hooks = xcalloc(hooks + 1, sizeof *l->hooks);
    json_object_foreach(n, k, v)
    {
        char w[64];
        int rc = 0;
        snprintf(w, sizeof w, "notify.%s", k);
        if (!strcmp(k, "webhooks") || !strcmp(k, "chat")) {
            rc = parse_hooks(l, v, !strcmp(k, "chat"), err);
        } else if (!strcmp(k, "email")) {
            const char *m;
            json_t *x;
            if (!json_is_object(v))
                return bad(err, w, "must be an object");
            json_object_foreach(v, m, x)
            {
                snprintf(w, sizeof w, "notify.email.%s", m);
                if (!strcmp(m, "mode")) {
                    const char *s = json_string_value(x);
                    if (!s || (strcmp(s, "immediate") != 0 &&
                               strcmp(s, "digest") != 0))
                        return bad(err, w, "must be immediate or digest");
                    l->digest = !strcmp(s, "digest");
                } else if (!strcmp(m, "digest_hours")) {
                    if (!json_is_number(x) || json_number_value(x) < 0.01 ||
                        json_number_value(x) > 24 * 7)
                        return bad(err, w, "must be hours, 0.01 to 168");
                    l->digest_s = (int64_t)(json_number_value(x) * 3600);
                } else {
                    return bad(err, w, "unknown member");
                }
            }
        } else if (!strcmp(k, "max_attempts")) {
            if (!json_is_integer(v) || json_integer_value(v) < 1 ||
                json_integer_value(v) > 50)
                return bad(err, w, "must be a whole number 1..50");
            l->max_attempts = (int)json_integer_value(v);
        } else if (!strcmp(k, "retry_seconds")) {
            if (!json_is_integer(v) || json_integer_value(v) < 1 ||
                json_integer_value(v) > 3600)
                return bad(err, w, "must be a whole number 1..3600");
            l->retry_s = json_integer_value(v);
        } else {
            return bad(err, w, "unknown member");
        }
        if (rc < 0)
            return rc;
    }
    return 0;
}

int loop_parse(struct loop **out, const char *json, size_t n, struct err *err)
{
    json_error_t je;
    *out = NULL;
    struct loop *l = xcalloc(1, sizeof *l);
    int rc;
    if ((rc = rules_parse(&l->rules, json, n, err)) < 0) {
        free(l);
        return rc;
    }
    l->root = json_loadb(json, n, JSON_REJECT_DUPLICATES, &je);
    bizcal_default(&l->cal, NULL);
    l->max_attempts = 10;
    l->retry_s = 30;
    l->digest_s = (int64_t)24 * 3600;
    const char *k;
    json_t *v;
    int have_cal = 0;
    json_object_foreach(l->root, k, v)
    {
        if (!strcmp(k, "rules"))
            continue;
        if (!strcmp(k, "calendar")) {
            have_cal = 1;
            rc = parse_calendar(l, v, err);
        } else if (!strcmp(k, "teams")) {
            rc = parse_teams(l, v, err);
        } else if (!strcmp(k, "notify")) {
            rc = parse_notify(l, v, err);
        } else if (!strcmp(k, "recovery")) {
            json_t *sv = json_object_get(v, "survey");
            if (!json_is_object(v) || json_object_size(v) != 1 ||
                !json_is_string(sv))
                rc = bad(err, "recovery",
                         "must be {\"survey\": KEY}, the recovery survey");
            else
                l->recovery = json_string_value(sv);
        } else if (!strcmp(k, "base_url")) {
            const char *u = json_string_value(v);
            if (!u || (strncmp(u, "http://", 7) != 0 &&
                       strncmp(u, "https://", 8) != 0))
                rc = bad(err, "base_url", "must be an http or https URL");
            else
                l->base_url = u;
        } else {
            rc = bad(err, k, "unknown member");
        }
        if (rc < 0) {
            loop_free(l);
            return rc;
        }
    }
    if (!have_cal) {
        json_t *none = json_object();
        rc = parse_calendar(l, none, err);
        json_decref(none);
        if (rc < 0) {
            loop_free(l);
            return rc;
        }
    }
    /* an escalation must lead to a known team */
    for (size_t i = 0; i < l->n_teams; i++)
        if (l->teams[i].escalate_to && !loop_team(l, l->teams[i].escalate_to)) {
            char w[160];
            snprintf(w, sizeof w, "teams.%s.escalate_to", l->teams[i].name);
            rc = bad(err, w, "names no team in \"teams\"");
            loop_free(l);
            return rc;
        }
    *out = l;
    return 0;
}

const struct loop *loop_defaults(void)
{
    static const struct loop none = {
        .max_attempts = 10, .retry_s = 30, .digest_s = (int64_t)24 * 3600};
    return &none;
}

const struct loop_team *loop_team(const struct loop *l, const char *name)
{
    for (size_t i = 0; name && i < l->n_teams; i++)
        if (!strcmp(l->teams[i].name, name))
            return &l->teams[i];
    return NULL;
}

int loop_load(struct loop **out, struct store *s, struct err *err)
{
    char *json = NULL;
    int64_t id = 0;
    int rc;
    *out = NULL;
    if ((rc = store_get_rules(s, &json, &id, err)) < 0)
        return rc;
    rc = loop_parse(out, json, strlen(json), err);
    free(json);
    if (rc == 0)
        (*out)->id = id;
    return rc;
}
