/* resonans cases: the closed loop's cases (docs/closed-loop.md). list,
 * show, assign, contact, resolve, close and note act on cases as the OS
 * user (audited); escalate moves overdue cases up a level; metrics and
 * areas are the inner and the outer loop's figures; improve marks an
 * improvement done. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "analysis/area_drivers.h"
#include "cli/cmd.h"
#include "cli/metrics_cli.h"
#include "core/err.h"
#include "core/tstamp.h"
#include "loop/loop.h"
#include "loop/loop_metrics.h"
#include "report/cases_report.h"
#include "store/store.h"
#include "store/store_loop.h"

enum {
    O_FORMAT = 1,
    O_STATUS,
    O_TEAM,
    O_TOUCHPOINT,
    O_OVERDUE,
    O_FROM,
    O_TO,
    O_LIMIT,
    O_ASSIGNEE,
    O_NOTE,
    O_RECOVERY,
    O_NO_RECOVERY,
    O_AT,
    O_BY,
    O_WINDOW,
    O_THEME,
    O_TITLE,
    O_DONE,
    O_MIN_N,
    O_NO_DRIVERS
};

static const struct opt_spec specs[] = {
    {"format", O_FORMAT, OPT_VALUE, 0, "FMT",
     "table (default), csv, json or jsonl"},
    {"status", O_STATUS, OPT_VALUE, 0, "S[,S...]",
     "list: open, assigned, contacted, resolved, closed"},
    {"team", O_TEAM, OPT_VALUE, 0, "TEAM",
     "list: that team's cases; assign: the team to move the case to"},
    {"touchpoint", O_TOUCHPOINT, OPT_VALUE, 0, "KEY",
     "list: cases at that touchpoint; improve: where it was made"},
    {"overdue", O_OVERDUE, OPT_FLAG, 0, NULL,
     "list: only cases not resolved and past their deadline"},
    {"from", O_FROM, OPT_VALUE, 0, "DATE",
     "list, metrics, areas: cases opened on or after DATE (YYYY-MM-DD, UTC)"},
    {"to", O_TO, OPT_VALUE, 0, "DATE",
     "list, metrics, areas: cases opened before DATE"},
    {"limit", O_LIMIT, OPT_VALUE, 0, "N", "list: at most N cases"},
    {"to-user", O_ASSIGNEE, OPT_VALUE, 0, "USER",
     "assign: the person who takes the case"},
    {"note", O_NOTE, OPT_VALUE, 0, "TEXT",
     "assign, contact, resolve, close: a note kept with the case"},
    {"recovery", O_RECOVERY, OPT_FLAG, 0, NULL,
     "resolve: send the recovery survey even if the rule says not to"},
    {"no-recovery", O_NO_RECOVERY, OPT_FLAG, 0, NULL,
     "resolve: do not send the recovery survey"},
    {"at", O_AT, OPT_VALUE, 0, "TIME",
     "escalate, metrics: as if it were TIME (ISO 8601 with a zone, or a "
     "date); default now"},
    {"by", O_BY, OPT_VALUE, 0, "team|touchpoint",
     "metrics: group by team (default) or touchpoint"},
    {"window", O_WINDOW, OPT_VALUE, 0, "DAYS",
     "areas: days before and after an improvement to compare (default 30)"},
    {"theme", O_THEME, OPT_VALUE, 0, "THEME",
     "improve: the theme it addressed (default: the touchpoint as a whole)"},
    {"title", O_TITLE, OPT_VALUE, 0, "TEXT", "improve: what was done"},
    {"done", O_DONE, OPT_VALUE, 0, "TIME",
     "improve: when it took effect (ISO 8601 or a date)"},
    {"min-n", O_MIN_N, OPT_VALUE, 0, "N",
     "metrics, areas: flag figures with fewer answers (default 30)"},
    {"no-drivers", O_NO_DRIVERS, OPT_FLAG, 0, NULL,
     "areas: leave out the driver share (no key-driver analysis, no "
     "column store)"},
    OPT_END};

const struct opt_section cmd_cases_opts[] = {{"options", specs}, {NULL, NULL}};

struct args {
    const char *sub, *arg, *arg2;
    const char *format, *status, *team, *touchpoint, *from, *to, *limit,
        *assignee, *note, *at, *by, *window, *theme, *title, *done, *min_n;
    int overdue, recovery, no_recovery, no_drivers;
};

static int time_opt(struct app *app, const char *name, const char *v,
                    int64_t *out)
{
    struct err err = ERR_INIT;
    *out = 0;
    if (!v)
        return 0;
    if (tstamp_parse_instant(out, v, &err) < 0)
        return cli_usage_error(app, "cases", "--%s: %s", name, err.msg);
    return 0;
}

static int int_opt(struct app *app, const char *name, const char *v, long lo,
                   long hi, long *out)
{
    char *end;
    if (!v)
        return 0;
    long x = strtol(v, &end, 10);
    if (!*v || *end || x < lo || x > hi)
        return cli_usage_error(app, "cases",
                               "--%s must be a whole number "
                               "%ld..%ld",
                               name, lo, hi);
    *out = x;
    return 0;
}

static int case_id(struct app *app, const struct args *a, int64_t *id)
{
    char *end;
    if (!a->arg)
        return cli_usage_error(app, "cases", "cases %s needs a case id",
                               a->sub);
    long long v = strtoll(a->arg, &end, 10);
    if (*end || v <= 0)
        return cli_usage_error(app, "cases", "'%s' is not a case id", a->arg);
    *id = v;
    return 0;
}

static int list(struct app *app, struct store *s, const struct args *a)
{
    struct case_filter f = CASE_FILTER_INIT;
    struct err err = ERR_INIT;
    struct result *r;
    int rc;
    int64_t now = (int64_t)time(NULL);
    if ((rc = time_opt(app, "from", a->from, &f.from)) ||
        (rc = time_opt(app, "to", a->to, &f.to)) ||
        (rc = int_opt(app, "limit", a->limit, 1, 100000000, &f.limit)))
        return rc;
    if (a->status) {
        char buf[128];
        snprintf(buf, sizeof buf, "%s", a->status);
        for (char *t = strtok(buf, ","); t; t = strtok(NULL, ",")) {
            enum case_status st;
            if (case_status_parse(&st, t) < 0)
                return cli_usage_error(app, "cases",
                                       "--status: open, assigned, contacted, "
                                       "resolved or closed, not '%s'",
                                       t);
            f.status_mask |= 1u << st;
        }
    }
    f.team = a->team;
    f.touchpoint = a->touchpoint;
    if (a->overdue)
        f.due_before = now;
    if (cases_list_result(&r, s, &f, now, &err) < 0)
        return cli_error(app, &err);
    return cli_render_owned(app, "cases", r, a->format);
}

static int change(struct app *app, struct store *s, const struct args *a)
{
    struct case_change ch = {CASE_NOTE, NULL, NULL, a->note, -1};
    struct loop_actor who = {cli_actor(app), NULL};
    struct err err = ERR_INIT;
    struct loop *l = NULL;
    int64_t id = 0;
    int rc;
    if ((rc = case_id(app, a, &id)) != 0)
        return rc;
    if (!strcmp(a->sub, "assign")) {
        ch.action = CASE_ASSIGN;
        ch.team = a->team;
        ch.assignee = a->assignee;
        if (!a->team && !a->assignee)
            return cli_usage_error(app, "cases",
                                   "cases assign needs --team TEAM and/or "
                                   "--to-user USER");
    } else if (!strcmp(a->sub, "contact")) {
        ch.action = CASE_CONTACT;
    } else if (!strcmp(a->sub, "resolve")) {
        ch.action = CASE_RESOLVE;
        ch.recovery = a->recovery ? 1 : a->no_recovery ? 0 : -1;
    } else if (!strcmp(a->sub, "close")) {
        ch.action = CASE_CLOSE;
    } else { /* note */
        ch.note = a->arg2;
        if (!ch.note)
            return cli_usage_error(app, "cases", "cases note ID TEXT");
    }
    rc = loop_load(&l, s, &err);
    if (rc < 0 && rc != ERR_NOTFOUND)
        return cli_error(app, &err);
    err_clear(&err);
    rc = loop_case_change(s, l, id, &ch, &who, (int64_t)time(NULL), &err);
    loop_free(l);
    if (rc < 0)
        return cli_error(app, &err);
    fprintf(app->out, "case %lld: %s\n", (long long)id, a->sub);
    return EXIT_OK;
}

static int escalate(struct app *app, struct store *s, const struct args *a)
{
    struct err err = ERR_INIT;
    struct loop *l = NULL;
    int64_t at = 0;
    long n = 0;
    int rc;
    if ((rc = time_opt(app, "at", a->at, &at)) != 0)
        return rc;
    if (!at)
        at = (int64_t)time(NULL);
    if (loop_load(&l, s, &err) < 0 || loop_sweep(s, l, at, &n, &err) < 0) {
        loop_free(l);
        return cli_error(app, &err);
    }
    loop_free(l);
    fprintf(app->out, "%ld case%s escalated\n", n, n == 1 ? "" : "s");
    return EXIT_OK;
}

/* The driver share of the areas (analysis/area_drivers.h) on the column
 * store, loaded as the analyses load it. Returns 0 or the exit code. */
static int area_shares(struct app *app, struct improvement_areas *ar,
                       int64_t from, int64_t to, long min_n,
                       struct area_drivers_info *info)
{
    struct area_drivers_opts o = AREA_DRIVERS_OPTS_INIT;
    struct colstore *cs = NULL;
    struct err err = ERR_INIT;
    double load_ms;
    int rc;
    o.from = from;
    o.to = to;
    o.min_n = (int)min_n;
    if ((rc = metrics_cli_load(app, &cs, NULL, &load_ms)) != 0)
        goto done;
    struct metrics_cli_prep p = {cs, app->store, FIELD_RESPONSES, &err};
    if (area_drivers_fields(metrics_cli_prep_one, &p) < 0 ||
        area_drivers_fill(ar, cs, &o, info, &err) < 0)
        rc = cli_error(app, &err);
done:
    metrics_cli_release(app, cs);
    return rc;
}

static int figures(struct app *app, struct store *s, const struct args *a)
{
    struct err err = ERR_INIT;
    struct loop *l = NULL;
    struct result *r = NULL;
    int64_t from, to, at;
    long window = 30, min_n = 30;
    int rc;
    if ((rc = time_opt(app, "from", a->from, &from)) ||
        (rc = time_opt(app, "to", a->to, &to)) ||
        (rc = time_opt(app, "at", a->at, &at)) ||
        (rc = int_opt(app, "window", a->window, 1, 3650, &window)) ||
        (rc = int_opt(app, "min-n", a->min_n, 1, 1000000, &min_n)))
        return rc;
    if (!at)
        at = (int64_t)time(NULL);
    if (!strcmp(a->sub, "areas")) {
        struct improvement_areas ar;
        struct area_drivers_info info;
        int themed = 0;
        if (loop_areas(s, from, to, NULL, (int)window, &ar, &err) < 0)
            return cli_error(app, &err);
        for (size_t i = 0; i < ar.n; i++)
            themed |= ar.a[i].theme != NULL;
        /* without a theme there is nothing to load the column store for */
        if (!a->no_drivers && themed &&
            (rc = area_shares(app, &ar, from, to, min_n, &info)) != 0) {
            improvement_areas_dispose(&ar);
            return rc;
        }
        areas_result(&r, &ar, (int)min_n,
                     a->no_drivers || !themed ? NULL : &info);
        improvement_areas_dispose(&ar);
        return cli_render_owned(app, "cases", r, a->format);
    }
    enum loop_group by = LOOP_BY_TEAM;
    if (a->by && !strcmp(a->by, "touchpoint"))
        by = LOOP_BY_TOUCHPOINT;
    else if (a->by && strcmp(a->by, "team") != 0)
        return cli_usage_error(app, "cases", "--by must be team or touchpoint");
    struct case_metrics m;
    if (loop_load(&l, s, &err) < 0 ||
        loop_case_metrics(s, l, by, from, to, NULL, at, &m, &err) < 0) {
        loop_free(l);
        return cli_error(app, &err);
    }
    loop_free(l);
    case_metrics_result(&r, &m, by == LOOP_BY_TEAM ? "team" : "touchpoint",
                        (int)min_n);
    case_metrics_dispose(&m);
    return cli_render_owned(app, "cases", r, a->format);
}

static int improve(struct app *app, struct store *s, const struct args *a)
{
    struct err err = ERR_INIT;
    struct improvement im = {0};
    int64_t tp;
    int rc;
    if (!a->touchpoint || !a->title || !a->done)
        return cli_usage_error(app, "cases",
                               "cases improve needs --touchpoint KEY, --title "
                               "TEXT and --done TIME");
    if ((rc = time_opt(app, "done", a->done, &im.done_at)) != 0)
        return rc;
    if ((rc = cli_touchpoint_id(app, "cases", a->touchpoint, &tp)) != 0)
        return rc;
    im.theme = a->theme;
    im.touchpoint_id = tp;
    im.title = a->title;
    im.actor = cli_actor(app);
    char detail[160];
    snprintf(detail, sizeof detail, "{\"done_at\":%lld}",
             (long long)im.done_at);
    if (store_put_improvement(s, &im, &err) < 0 ||
        store_audit(s, im.actor, "improvement.done", a->touchpoint, detail,
                    &err) < 0)
        return cli_error(app, &err);
    fprintf(app->out, "improvement %lld marked done\n", (long long)im.id);
    return EXIT_OK;
}

int cmd_cases(struct app *app, int argc, char **argv)
{
    struct opt_parser p;
    struct opt o;
    struct args a = {0};
    int got;
    opt_parser_init(&p, specs, argc, argv);
    while ((got = cli_opt_next(app, "cases", &p, &o)) > 0) {
        const char **slot[] = {
            [O_FORMAT] = &a.format, [O_STATUS] = &a.status,
            [O_TEAM] = &a.team,     [O_TOUCHPOINT] = &a.touchpoint,
            [O_FROM] = &a.from,     [O_TO] = &a.to,
            [O_LIMIT] = &a.limit,   [O_ASSIGNEE] = &a.assignee,
            [O_NOTE] = &a.note,     [O_AT] = &a.at,
            [O_BY] = &a.by,         [O_WINDOW] = &a.window,
            [O_THEME] = &a.theme,   [O_TITLE] = &a.title,
            [O_DONE] = &a.done,     [O_MIN_N] = &a.min_n};
        if (o.id == O_OVERDUE)
            a.overdue = 1;
        else if (o.id == O_RECOVERY)
            a.recovery = 1;
        else if (o.id == O_NO_RECOVERY)
            a.no_recovery = 1;
        else if (o.id == O_NO_DRIVERS)
            a.no_drivers = 1;
        else if (o.id != OPT_ARG)
            *slot[o.id] = o.value;
        else if (!a.sub)
            a.sub = o.value;
        else if (!a.arg)
            a.arg = o.value;
        else if (!a.arg2)
            a.arg2 = o.value;
        else
            return cli_usage_error(app, "cases", "unexpected argument '%s'",
                                   o.value);
    }
    if (got < 0)
        return EXIT_USAGE;
    static const char *const subs[] = {"list",    "show",  "assign", "contact",
                                       "resolve", "close", "note",   "escalate",
                                       "metrics", "areas", "improve"};
    int known = 0;
    for (size_t i = 0; a.sub && i < sizeof subs / sizeof *subs; i++)
        known |= !strcmp(a.sub, subs[i]);
    if (!known)
        return cli_usage_error(app, "cases",
                               "expected list, show, assign, contact, "
                               "resolve, close, note, escalate, metrics, "
                               "areas or improve");
    if (a.recovery && a.no_recovery)
        return cli_usage_error(app, "cases",
                               "--recovery and --no-recovery exclude each "
                               "other");
    struct store *s = cli_store(app);
    if (!s)
        return app->store_exit;
    if (!strcmp(a.sub, "list"))
        return list(app, s, &a);
    if (!strcmp(a.sub, "show")) {
        struct err err = ERR_INIT;
        struct result *r;
        int64_t id;
        int rc = case_id(app, &a, &id);
        if (rc)
            return rc;
        if (case_show_result(&r, s, id, NULL, (int64_t)time(NULL), &err) < 0)
            return cli_error(app, &err);
        return cli_render_owned(app, "cases", r, a.format);
    }
    if (!strcmp(a.sub, "escalate"))
        return escalate(app, s, &a);
    if (!strcmp(a.sub, "metrics") || !strcmp(a.sub, "areas"))
        return figures(app, s, &a);
    if (!strcmp(a.sub, "improve"))
        return improve(app, s, &a);
    return change(app, s, &a);
}
