/* The demo data set: options, the buffered writer, Stockholm time and the
 * order in which the files are written. The company's tables are in
 * demo_world.c, customers and events in demo_people.c, responses in
 * demo_responses.c and the comment phrase bank in demo_comments.c. */
#include "demo/demo.h"

#include <errno.h>
#include <stdlib.h>

#include "core/err.h"
#include "core/tstamp.h"
#include "core/xalloc.h"
#include "demo/demo_int.h"

#define OUT_BUF (1u << 20)

void demo_opts_init(struct demo_opts *o)
{
    o->seed = 1;
    o->customers = 20000;
    o->responses = 200000;
    o->months = 24;
    o->comments = 0.25;
    o->events = 1;
}

int demo_opts_check(const struct demo_opts *o, struct err *err)
{
    if (o->customers < 1 || o->customers > DEMO_MAX_CUSTOMERS)
        return err_set(err, ERR_INVALID, "--customers must be 1..%llu",
                       (unsigned long long)DEMO_MAX_CUSTOMERS);
    if (o->responses > DEMO_MAX_RESPONSES)
        return err_set(err, ERR_INVALID, "--responses must be 0..%llu",
                       (unsigned long long)DEMO_MAX_RESPONSES);
    if (o->months < 1 || o->months > DEMO_MAX_MONTHS)
        return err_set(err, ERR_INVALID, "--months must be 1..%d",
                       DEMO_MAX_MONTHS);
    if (!(o->comments >= 0 && o->comments <= 1))
        return err_set(err, ERR_INVALID, "--comments must be 0..1");
    return 0;
}

/* ---- writer ---- */

void demo_out_flush(struct demo_out *w)
{
    if (w->n && fwrite(w->buf, 1, w->n, w->f) != w->n)
        w->failed = 1;
    w->bytes += w->n;
    w->n = 0;
}

void demo_out_u64(struct demo_out *w, uint64_t v)
{
    char tmp[20];
    int i = 20;
    do {
        tmp[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    demo_out_put(w, tmp + i, (size_t)(20 - i));
}

void demo_out_id(struct demo_out *w, char prefix, uint64_t v, int width)
{
    char tmp[24];
    int i = 24;
    do {
        tmp[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (24 - i < width && i > 1)
        tmp[--i] = '0';
    tmp[--i] = prefix;
    demo_out_put(w, tmp + i, (size_t)(24 - i));
}

void demo_out_fixed(struct demo_out *w, double v, int dec)
{
    uint64_t scale = 1;
    for (int i = 0; i < dec && i < 3; i++)
        scale *= 10;
    uint64_t s = (uint64_t)(v * (double)scale + 0.5);
    demo_out_u64(w, s / scale);
    if (scale > 1) {
        char tmp[4] = {'.'};
        int n = 0;
        for (uint64_t f = scale / 10, r = s % scale; f; f /= 10)
            tmp[++n] = (char)('0' + r / f % 10);
        demo_out_put(w, tmp, (size_t)n + 1);
    }
}

static void two(char *p, unsigned v)
{
    p[0] = (char)('0' + v / 10 % 10);
    p[1] = (char)('0' + v % 10);
}

static int64_t floor_div(int64_t a, int64_t b)
{
    return a >= 0 ? a / b : -((-a + b - 1) / b);
}

static void fmt_date(char *p, int64_t day)
{
    int y;
    unsigned m, d;
    tstamp_civil_from_days(day, &y, &m, &d);
    two(p, (unsigned)y / 100);
    two(p + 2, (unsigned)y % 100);
    p[4] = '-';
    two(p + 5, m);
    p[7] = '-';
    two(p + 8, d);
}

void demo_out_date(struct demo_out *w, int64_t day)
{
    char b[10];
    fmt_date(b, day);
    demo_out_put(w, b, sizeof b);
}

void demo_out_time(struct demo_out *w, int64_t utc)
{
    int off = demo_tz_offset(utc);
    int64_t local = utc + off * 60;
    int64_t day = floor_div(local, DAY);
    unsigned sod = (unsigned)(local - day * DAY);
    char b[25];
    fmt_date(b, day);
    b[10] = 'T';
    two(b + 11, sod / 3600);
    b[13] = ':';
    two(b + 14, sod / 60 % 60);
    b[16] = ':';
    two(b + 17, sod % 60);
    b[19] = '+';
    two(b + 20, (unsigned)off / 60);
    b[22] = ':';
    two(b + 23, (unsigned)off % 60);
    demo_out_put(w, b, sizeof b);
}

void demo_out_csv(struct demo_out *w, const char *s, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++)
        if (s[i] == ',' || s[i] == '"' || s[i] == '\n' || s[i] == '\r')
            break;
    if (i == n) {
        demo_out_put(w, s, n);
        return;
    }
    demo_out_putc(w, '"');
    size_t from = 0;
    for (i = 0; i < n; i++) {
        if (s[i] == '"') {
            demo_out_put(w, s + from, i + 1 - from);
            demo_out_putc(w, '"');
            from = i + 1;
        }
    }
    demo_out_put(w, s + from, n - from);
    demo_out_putc(w, '"');
}

/* ---- Stockholm time ---- */

int demo_weekday(int64_t day)
{
    /* 1970-01-01 was a Thursday (3 counting from Monday = 0). */
    int64_t r = (day + 3) % 7;
    return (int)(r < 0 ? r + 7 : r);
}

static int64_t last_sunday(int y, unsigned m)
{
    int64_t d = tstamp_days_from_civil(y, m, 31);
    return d - (demo_weekday(d) + 1) % 7;
}

int demo_tz_offset(int64_t utc)
{
    int y;
    unsigned m, d;
    tstamp_civil_from_days(floor_div(utc, DAY), &y, &m, &d);
    if (m < 3 || m > 10)
        return 60;
    if (m > 3 && m < 10)
        return 120;
    int64_t start = last_sunday(y, 3) * DAY + HOUR;
    int64_t end = last_sunday(y, 10) * DAY + HOUR;
    return utc >= start && utc < end ? 120 : 60;
}

int64_t demo_local_to_utc(int64_t local)
{
    /* Summer time if that reading is consistent; otherwise winter time.
     * A local time skipped in March comes out an hour later; one that
     * occurs twice in October is taken in summer time. */
    int64_t u = local - 2 * HOUR;
    return demo_tz_offset(u) == 120 ? u : local - HOUR;
}

/* ---- files ---- */

struct file_job {
    enum demo_file which;
    const char *name;
};

static int write_file(struct demo *d, struct demo_result *res,
                      const struct file_job *job, const char *dir,
                      demo_progress_fn progress, void *ctx, struct err *err)
{
    struct strbuf path = STRBUF_INIT, tmp = STRBUF_INIT;
    struct demo_out w = {0};
    int rc = 0;

    strbuf_printf(&path, "%s/%s", dir, job->name);
    strbuf_printf(&tmp, "%s/.%s.tmp", dir, job->name);
    w.f = fopen(strbuf_str(&tmp), "wb");
    if (!w.f) {
        rc = err_set(err, ERR_IO, "cannot write %s: %s", strbuf_str(&tmp),
                     strerror(errno));
        goto done;
    }
    w.buf = xmalloc(OUT_BUF);
    w.cap = OUT_BUF;

    switch (job->which) {
    case DEMO_JOURNEY:
        w.rows = (uint64_t)demo_journey_write(&w);
        break;
    case DEMO_CUSTOMERS:
        demo_customers_write(d, &w, progress, ctx);
        break;
    case DEMO_RESPONSES:
        demo_responses_write(d, &w, progress, ctx);
        break;
    case DEMO_EVENTS:
        demo_events_write(d, &w, progress, ctx);
        break;
    default:
        break;
    }
    demo_out_flush(&w);
    if (fclose(w.f) != 0)
        w.failed = 1;
    w.f = NULL;
    if (w.failed) {
        rc = err_set(err, ERR_IO, "cannot write %s: %s", strbuf_str(&tmp),
                     strerror(errno ? errno : EIO));
        remove(strbuf_str(&tmp));
        goto done;
    }
    if (rename(strbuf_str(&tmp), strbuf_str(&path)) != 0) {
        rc = err_set(err, ERR_IO, "cannot rename %s to %s: %s",
                     strbuf_str(&tmp), strbuf_str(&path), strerror(errno));
        remove(strbuf_str(&tmp));
        goto done;
    }
    if (res) {
        res->files[job->which].written = 1;
        res->files[job->which].rows = w.rows;
        res->files[job->which].bytes = w.bytes;
    }
done:
    if (w.f)
        fclose(w.f);
    free(w.buf);
    strbuf_dispose(&path);
    strbuf_dispose(&tmp);
    return rc;
}

static double mean_or_0(double sum, int64_t n)
{
    return n ? sum / (double)n : 0.0;
}

/* (i), (j), (k) as generated (docs/demo-data.md). */
static void write_planted_ijk(const struct demo *d, FILE *f)
{
    static const char *const band[DEMO_FAULT_BANDS] = {
        "<24h", "24-72h", "72-168h", "168-336h", ">=336h"};
    static const char *const group[3] = {"detractor", "passive", "promoter"};
    fprintf(f, "  \"work_orders\": {\n    \"again_nps_offset\": %d,\n",
            AGAIN_NPS);
    fputs("    \"bands\": [\n", f);
    for (int b = 0; b < DEMO_FAULT_BANDS; b++)
        fprintf(f,
                "      {\"band\": \"%s\", \"planted_share\": %.2f, "
                "\"work_orders\": %lld, \"reported_again\": %lld, "
                "\"expected_nps_once\": %.3f, \"n_once\": %lld, "
                "\"expected_nps_again\": %.3f, \"n_again\": %lld}%s\n",
                band[b], demo_again_share[b], (long long)d->wo_n[b],
                (long long)d->wo_again[b],
                mean_or_0(d->again_sum[0][b], d->again_n[0][b]),
                (long long)d->again_n[0][b],
                mean_or_0(d->again_sum[1][b], d->again_n[1][b]),
                (long long)d->again_n[1][b],
                b + 1 < DEMO_FAULT_BANDS ? "," : "");
    fputs("    ],\n", f);
    /* All bands together ("expected_nps": stays (a)'s key alone). */
    double sum[2] = {0, 0};
    int64_t n[2] = {0, 0};
    for (int a = 0; a < 2; a++)
        for (int b = 0; b < DEMO_FAULT_BANDS; b++) {
            sum[a] += d->again_sum[a][b];
            n[a] += d->again_n[a][b];
        }
    fprintf(
        f,
        "    \"all_bands\": {\"expected_nps_once\": %.3f, \"n_once\": %lld, "
        "\"expected_nps_again\": %.3f, \"n_again\": %lld}\n",
        mean_or_0(sum[0], n[0]), (long long)n[0], mean_or_0(sum[1], n[1]),
        (long long)n[1]);
    fputs("  },\n", f);

    struct demo_funnel_count fc[2];
    demo_funnel_count(d, fc);
    fprintf(f,
            "  \"contract_link\": {\n    \"from\": \"%04d-%02d-01\", "
            "\"planted_lost_share\": %.2f,\n    \"cohorts\": [\n",
            DEMO_LINK_YEAR, DEMO_LINK_MONTH, LINK_LOST_SHARE);
    for (int k = 0; k < 2; k++)
        fprintf(f,
                "      {\"last_viewing\": \"%s\", \"viewed\": %lld, "
                "\"signed\": %lld, \"lost\": %lld, \"moved_in\": %lld}%s\n",
                k ? "from" : "before", (long long)fc[k].viewed,
                (long long)fc[k].signed_, (long long)fc[k].lost,
                (long long)fc[k].moved_in, k ? "" : ",");
    fputs("    ]\n  },\n", f);

    fprintf(f,
            "  \"move_in_inspection\": {\n    \"nps_per_sd\": %d, "
            "\"leave_scale\": %.2f, \"window_days\": 365,\n",
            MOVEIN_NPS_PER_SD, MOVEIN_LEAVE);
    for (int k = 0; k < 2; k++) {
        fprintf(f, "    \"%s\": [\n", k ? "full_year" : "answers");
        for (int g = 0; g < 3; g++)
            fprintf(
                f,
                "      {\"group\": \"%s\", \"n\": %lld, "
                "\"notice\": %lld, \"rate\": %.4f}%s\n",
                group[g], (long long)d->movein_n[k][g],
                (long long)d->movein_notice[k][g],
                mean_or_0((double)d->movein_notice[k][g], d->movein_n[k][g]),
                g < 2 ? "," : "");
        fprintf(f, "    ]%s\n", k ? "" : ",");
    }
    fputs("  }\n", f);
}

/* planted.json: effects as the generator drew them, for tests and
 * readers to check an analysis against (docs/demo-data.md). (a): the
 * expected NPS of each resolution band's answers, which is the planted
 * offset plus everything else in their target, after the clamp. */
static int write_planted(const struct demo *d, const char *dir, struct err *err)
{
    static const char *const band[DEMO_FAULT_BANDS] = {
        "<24h", "24-72h", "72-168h", "168-336h", ">=336h"};
    struct strbuf path = STRBUF_INIT, tmp = STRBUF_INIT;
    int rc = 0;
    strbuf_printf(&path, "%s/planted.json", dir);
    strbuf_printf(&tmp, "%s/.planted.json.tmp", dir);
    FILE *f = fopen(strbuf_str(&tmp), "w");
    if (!f) {
        rc = err_set(err, ERR_IO, "cannot write %s: %s", strbuf_str(&tmp),
                     strerror(errno));
        goto done;
    }
    fputs("{\n  \"fault_resolution\": [\n", f);
    for (int b = 0; b < DEMO_FAULT_BANDS; b++)
        fprintf(f,
                "    {\"band\": \"%s\", \"planted_offset\": %d, "
                "\"expected_nps\": %.3f, \"n\": %lld}%s\n",
                band[b], demo_fault_nps[b],
                d->fault_n[b] ? d->fault_sum[b] / (double)d->fault_n[b] : 0.0,
                (long long)d->fault_n[b], b + 1 < DEMO_FAULT_BANDS ? "," : "");
    fputs("  ],\n", f);
    write_planted_ijk(d, f);
    fputs("}\n", f);
    if (fclose(f) != 0 || rename(strbuf_str(&tmp), strbuf_str(&path)) != 0) {
        rc = err_set(err, ERR_IO, "cannot write %s: %s", strbuf_str(&path),
                     strerror(errno));
        remove(strbuf_str(&tmp));
    }
done:
    strbuf_dispose(&path);
    strbuf_dispose(&tmp);
    return rc;
}

static void month_str(char *buf, int y, int m)
{
    buf[0] = (char)('0' + y / 1000 % 10);
    buf[1] = (char)('0' + y / 100 % 10);
    buf[2] = (char)('0' + y / 10 % 10);
    buf[3] = (char)('0' + y % 10);
    buf[4] = '-';
    buf[5] = (char)('0' + m / 10);
    buf[6] = (char)('0' + m % 10);
    buf[7] = 0;
}

int demo_generate(struct demo_result *res, const struct demo_opts *o,
                  const char *dir, demo_progress_fn progress, void *ctx,
                  struct err *err)
{
    static const struct file_job jobs[] = {
        {DEMO_JOURNEY, "journey.json"},
        {DEMO_CUSTOMERS, "customers.csv"},
        {DEMO_RESPONSES, "responses.csv"},
        {DEMO_EVENTS, "events.csv"},
    };
    struct demo d = {0};
    int rc;

    if (res) {
        memset(res, 0, sizeof *res);
        for (size_t i = 0; i < sizeof jobs / sizeof jobs[0]; i++)
            res->files[jobs[i].which].name = jobs[i].name;
    }
    if ((rc = demo_opts_check(o, err)) < 0)
        goto done;

    d.o = o;
    int months_back = (int)o->months - 1;
    int mi = DEMO_END_YEAR * 12 + (DEMO_END_MONTH - 1) - months_back;
    d.y0 = mi / 12;
    d.m0 = mi % 12 + 1;
    d.day0 = tstamp_days_from_civil(d.y0, (unsigned)d.m0, 1);
    d.day_end = tstamp_days_from_civil(DEMO_END_YEAR + DEMO_END_MONTH / 12,
                                       DEMO_END_MONTH % 12 + 1, 1);
    d.ev_day0 = d.day0 - DEMO_WARMUP_DAYS;
    d.broken0 = tstamp_days_from_civil(DEMO_BROKEN_YEAR, DEMO_BROKEN_MONTH, 1);
    d.broken_end =
        tstamp_days_from_civil(DEMO_BROKEN_YEAR + DEMO_BROKEN_MONTH / 12,
                               DEMO_BROKEN_MONTH % 12 + 1, 1);
    if (res) {
        month_str(res->first_month, d.y0, d.m0);
        month_str(res->last_month, DEMO_END_YEAR, DEMO_END_MONTH);
    }

    demo_people_generate(&d);
    for (size_t i = 0; i < sizeof jobs / sizeof jobs[0]; i++) {
        if (jobs[i].which == DEMO_EVENTS && !o->events)
            continue;
        if ((rc = write_file(&d, res, &jobs[i], dir, progress, ctx, err)) < 0)
            goto done;
    }
    if ((rc = write_planted(&d, dir, err)) < 0)
        goto done;
    rc = demo_loop_write(dir, err);
done:
    demo_people_free(&d);
    return rc;
}
