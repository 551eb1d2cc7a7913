/* The driver share of improvement areas: one key-driver analysis per
 * touchpoint, its theme shares joined to the areas (area_drivers.h). */
#include "analysis/area_drivers.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "analysis/drivers.h"
#include "core/err.h"
#include "loop/loop_metrics.h"
#include "stats/metrics.h"

#define OUTCOME "nps"
#define DRIVERS "themes"
#define DAY_SECS 86400

static int64_t floor_day(int64_t t)
{
    return t / DAY_SECS - (t % DAY_SECS < 0);
}

/* The filter of one touchpoint's analysis: its key and the period. */
static int filter_init(struct metrics_query *q, const char *touchpoint,
                       const struct area_drivers_opts *o, struct err *err)
{
    metrics_query_init(q, FIELD_RESPONSES);
    metrics_query_days(q, o->from ? floor_day(o->from) : METRICS_DAY_MIN,
                       o->to ? floor_day(o->to - 1) : METRICS_DAY_MAX);
    return metrics_query_where_values(q, "touchpoint", &touchpoint, 1, err);
}

int area_drivers_fields(int (*fn)(void *ctx, const struct field *f), void *ctx)
{
    /* drivers_spec_fields leaves the theme drivers out; their indicators
     * read the mentions and the sentiment (an analysed comment), and the
     * period the day */
    static const char *const own[] = {"theme", "sentiment", "day"};
    struct drivers_spec *s = NULL;
    struct metrics_query q;
    struct area_drivers_opts o = AREA_DRIVERS_OPTS_INIT;
    struct err err = ERR_INIT;
    struct field f;
    int rc = 0;
    /* a failure can't happen here; area_drivers_fill reports it */
    if (filter_init(&q, "", &o, &err) < 0 ||
        drivers_spec_new(&s, OUTCOME, DRIVERS, &err) < 0)
        goto done;
    if ((rc = drivers_spec_fields(s, fn, ctx)) != 0 ||
        (rc = metrics_query_fields(&q, fn, ctx)) != 0)
        goto done;
    for (size_t i = 0; i < sizeof own / sizeof *own && rc == 0; i++)
        if (field_parse(&f, own[i], strlen(own[i]), FIELD_RESPONSES, &err) == 0)
            rc = fn(ctx, &f);
done:
    drivers_spec_free(s);
    metrics_query_dispose(&q);
    return rc;
}

/* The LMG share of driver theme:NAME in r, percent of the outcome's
 * variance; NAN when it is not among the drivers. */
static double theme_share(const struct drivers_result *r, const char *theme)
{
    char name[DRIVERS_NAME_MAX];
    snprintf(name, sizeof name, "theme:%s", theme);
    for (size_t j = 0; r && j < r->k; j++)
        if (!strcmp(r->d[j].name, name))
            return 100 * r->d[j].lmg;
    return NAN;
}

/* The analysis at one touchpoint; *out stays NULL on failure (in err). */
static int run_touchpoint(struct drivers_result **out,
                          const struct colstore *cs,
                          const struct drivers_spec *s, const char *touchpoint,
                          const struct area_drivers_opts *o, struct err *err)
{
    struct metrics_query q;
    struct drivers_opts d = DRIVERS_OPTS_INIT;
    int rc = filter_init(&q, touchpoint, o, err);
    d.filter = &q;
    d.boot = 0;
    d.min_n = o->min_n;
    if (rc == 0)
        rc = drivers_run(out, cs, s, &d, err);
    metrics_query_dispose(&q);
    return rc;
}

static int has_theme(const struct improvement_area *a)
{
    return a->theme && a->touchpoint;
}

int area_drivers_fill(struct improvement_areas *a, const struct colstore *cs,
                      const struct area_drivers_opts *o,
                      struct area_drivers_info *info, struct err *err)
{
    struct area_drivers_opts def = AREA_DRIVERS_OPTS_INIT;
    struct area_drivers_info own;
    struct drivers_spec *s = NULL;
    struct err e = ERR_INIT;
    int rc = 0;
    if (!o)
        o = &def;
    if (!info)
        info = &own;
    memset(info, 0, sizeof *info);
    info->top = o->top ? o->top : AREA_DRIVERS_TOP;
    if (info->top > a->n)
        info->top = a->n;
    info->min_n = o->min_n > 0 ? o->min_n : 30;
    if (drivers_spec_new(&s, OUTCOME, DRIVERS, &e) < 0) {
        rc = err_set(err, ERR_INTERNAL, "driver share: %s", e.msg);
        goto done;
    }
    for (size_t i = 0; i < info->top; i++) {
        const struct improvement_area *ai = &a->a[i];
        struct drivers_result *r = NULL;
        size_t j = 0;
        if (!has_theme(ai))
            continue;
        while (j < i && !(has_theme(&a->a[j]) &&
                          !strcmp(a->a[j].touchpoint, ai->touchpoint)))
            j++;
        if (j < i)
            continue; /* done with an earlier area's */
        err_clear(&e);
        info->touchpoints++;
        if (run_touchpoint(&r, cs, s, ai->touchpoint, o, &e) < 0) {
            if (!info->failed++)
                snprintf(info->note, sizeof info->note, "%s: %s",
                         ai->touchpoint, e.msg);
        }
        for (j = i; j < info->top; j++)
            if (has_theme(&a->a[j]) &&
                !strcmp(a->a[j].touchpoint, ai->touchpoint))
                a->a[j].driver_importance = theme_share(r, a->a[j].theme);
        drivers_result_free(r);
    }
done:
    drivers_spec_free(s);
    return rc;
}
