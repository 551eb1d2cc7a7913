/* Journeys at scale: the path `resonans journey variants|paths` takes,
 * timed step by step on a synthetic event log built in memory as a
 * column store (N events in C cases, default 10,000,000 and 1,000,000).
 *
 * The log: a service process over 12 activities (submit, register,
 * triage, request_info, info_received, assign, visit, fix, reopen,
 * escalate, close, cancel), a Markov chain with loops (triage again,
 * request_info > info_received > request_info, fix > reopen > fix,
 * escalate > assign), the last step of a case a close or a cancel. Case
 * lengths 1..40, mean N / C (10), drawn first (1 + two geometrics,
 * capped) and adjusted so that they add up to N exactly. Customers have
 * 1..7 cases (mean 4, C / 4 customers), one after the other: waits
 * within a case are lognormal around a median that depends on the
 * activity (minutes to days), at least 1 s and at most 25 days; 35..125
 * days pass between two cases of a customer. Every event has a channel
 * and a numeric case id (an event attribute "case_id", scrambled
 * numbers), so both ways of building cases are timed: by the case column
 * (`--case case_id`) and per customer split where more than 30 days pass
 * (`--gap 30d`), which gives the same cases (checked). Seeded and
 * deterministic.
 *
 * Timed, each the median of RUNS runs (CLOCK_MONOTONIC, one thread):
 *   cases/customer  journey_cases_build per customer, gap 30 days;
 *   cases/case      journey_cases_build by the case column;
 *   variants        journey_variants_build, top 10 (the command's
 *                   default: every case hashed and counted, the top 10's
 *                   durations with their quantiles);
 *   dfg             journey_dfg_build: every edge with its count, cases
 *                   and waits (mean, median, p90, max);
 *   funnel          journey_funnel_build, submit > triage > fix > close;
 *   rework          journey_rework_build (steps repeated, channel
 *                   switches; the log has no answers);
 *   total           cases/case + variants + dfg, per run (the target).
 * All of it twice, as bench_relimp: with fresh memory (glibc's mmap
 * threshold held at 128 KiB, so every run maps and first-touches its
 * large blocks, as a new process does) and with freed memory kept and
 * reused (a warm server process).
 *
 * Memory: the bytes each result holds (from its sizes), the extra peak
 * resident memory of each step (run once in a forked child: its
 * ru_maxrss less the resident size at the fork), and the process's
 * ru_maxrss.
 *
 * With --csv FILE it also writes the log as CSV (id, case_id, customer,
 * activity, time, channel; in customer and time order), FILE.variants
 * (the number of variants, then the top 10: cases, median and p90
 * duration in seconds, the steps) and FILE.edges (every edge: from, to,
 * count, cases, mean, median, p90, max wait in seconds), for the peers
 * (bench/peers/journey_pandas.py) and the command-line run
 * (bench/journey.sh).
 *
 * Usage: bench_journey [--events N] [--cases C] [--runs R] [--seed S]
 *                      [--csv FILE] */
#include <malloc.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"
#include "colstore/colstore.h"
#include "core/err.h"
#include "core/tstamp.h"
#include "core/xalloc.h"
#include "journey/cases.h"
#include "journey/dfg.h"
#include "journey/funnel.h"
#include "journey/rework.h"
#include "journey/variants.h"

#define DEFAULT_RUNS 5
#define MAX_RUNS 101
#define MAX_LEN 40
#define N_ACT 12
#define DAY 86400
#define GAP (30 * DAY)

enum {
    A_SUBMIT,
    A_REGISTER,
    A_TRIAGE,
    A_REQUEST_INFO,
    A_INFO_RECEIVED,
    A_ASSIGN,
    A_VISIT,
    A_FIX,
    A_REOPEN,
    A_ESCALATE,
    A_CLOSE,
    A_CANCEL
};

static const char *const act_name[N_ACT] = {
    "submit", "register", "triage", "request_info", "info_received", "assign",
    "visit",  "fix",      "reopen", "escalate",     "close",         "cancel"};

/* Transition weights (per mille) from each activity; rows need not add
 * up to 1000 exactly: a draw is scaled by the row's sum. */
static const int trans[N_ACT][N_ACT] = {
    /*             sub reg tri req inf ass vis fix reo esc clo can */
    [A_SUBMIT] = {0, 850, 100, 0, 0, 0, 0, 0, 0, 0, 0, 50},
    [A_REGISTER] = {0, 0, 900, 60, 0, 0, 0, 0, 0, 0, 0, 40},
    [A_TRIAGE] = {0, 0, 120, 250, 0, 500, 0, 0, 0, 80, 30, 20},
    [A_REQUEST_INFO] = {0, 0, 0, 50, 850, 0, 0, 0, 0, 0, 0, 100},
    [A_INFO_RECEIVED] = {0, 0, 450, 200, 0, 300, 0, 0, 0, 0, 0, 50},
    [A_ASSIGN] = {0, 0, 0, 0, 0, 50, 550, 350, 0, 50, 0, 0},
    [A_VISIT] = {0, 0, 0, 100, 0, 0, 150, 700, 0, 50, 0, 0},
    [A_FIX] = {0, 0, 0, 0, 0, 0, 50, 50, 500, 0, 400, 0},
    [A_REOPEN] = {0, 0, 200, 0, 0, 300, 100, 400, 0, 0, 0, 0},
    [A_ESCALATE] = {0, 0, 0, 0, 0, 700, 0, 300, 0, 0, 0, 0},
    [A_CLOSE] = {0, 0, 0, 0, 0, 0, 0, 0, 900, 0, 0, 100},
    [A_CANCEL] = {0, 0, 300, 0, 0, 0, 0, 0, 700, 0, 0, 0},
};

/* Median wait before each activity, seconds. */
static const double wait_median[N_ACT] = {
    60,        600,   7200,      86400,    3 * 86400, 4 * 3600,
    2 * 86400, 86400, 5 * 86400, 6 * 3600, 3600,      7 * 86400};

/* Channels: 0 web, 1 phone, 2 email, 3 app. */
static const char *const ch_name[4] = {"web", "phone", "email", "app"};

/* splitmix64, as in bench_metrics.c. */
static uint64_t next(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static double unit(uint64_t *s)
{
    return (double)(next(s) >> 11) * 0x1.0p-53;
}

static double normal(uint64_t *s)
{
    double u1 = unit(s), u2 = unit(s);
    return sqrt(-2 * log(1 - u1)) * cos(6.283185307179586 * u2);
}

/* Geometric on 0, 1, ... with mean m. */
static unsigned geometric(uint64_t *s, double m)
{
    if (m <= 0)
        return 0;
    double p = 1 / (1 + m);
    return (unsigned)floor(log(1 - unit(s)) / log(1 - p));
}

static int draw_next(uint64_t *s, int from)
{
    int sum = 0;
    for (int j = 0; j < N_ACT; j++)
        sum += trans[from][j];
    int u = (int)(unit(s) * sum);
    for (int j = 0; j < N_ACT; j++) {
        if (u < trans[from][j])
            return j;
        u -= trans[from][j];
    }
    return A_CLOSE;
}

/* The log as the generator made it, in (customer, time) order. */
struct elog {
    size_t n, n_cases, n_customers;
    uint8_t *act, *ch;
    uint32_t *customer, *caseno; /* case number 0..C-1 */
    int64_t *ts;
};

static double case_id_of(uint32_t caseno)
{
    /* an odd multiplier mod 2^32 is a bijection: distinct, scrambled */
    return (double)(uint32_t)(caseno * 2654435761u) + 1e6;
}

static void elog_make(struct elog *g, size_t n, size_t n_cases, uint64_t seed)
{
    uint64_t s = seed;
    uint8_t *len = xmalloc(n_cases);
    size_t sum = 0;
    double m = ((double)n / (double)n_cases - 1) / 2;
    for (size_t i = 0; i < n_cases; i++) {
        unsigned l = 1 + geometric(&s, m) + geometric(&s, m);
        len[i] = (uint8_t)(l > MAX_LEN ? MAX_LEN : l);
        sum += len[i];
    }
    while (sum < n) { /* adjust to exactly n events */
        size_t i = next(&s) % n_cases;
        if (len[i] < MAX_LEN)
            len[i]++, sum++;
    }
    while (sum > n) {
        size_t i = next(&s) % n_cases;
        if (len[i] > 1)
            len[i]--, sum--;
    }
    g->n = n;
    g->n_cases = n_cases;
    g->act = xmalloc(n);
    g->ch = xmalloc(n);
    g->customer = xmalloc(n * sizeof *g->customer);
    g->caseno = xmalloc(n * sizeof *g->caseno);
    g->ts = xmalloc(n * sizeof *g->ts);
    int64_t t0 = tstamp_days_from_civil(2024, 1, 1) * DAY;
    size_t e = 0, ci = 0, cust = 0;
    while (ci < n_cases) {
        size_t k = 1 + next(&s) % 7; /* cases of this customer */
        int64_t t = t0 + (int64_t)(next(&s) % (365 * DAY));
        int home = (int)(next(&s) % 4); /* the customer's usual channel */
        for (size_t j = 0; j < k && ci < n_cases; j++, ci++) {
            int a = unit(&s) < 0.9 ? A_SUBMIT : A_REGISTER;
            for (unsigned p = 0; p < len[ci]; p++) {
                if (p > 0) {
                    a = draw_next(&s, a);
                    if (p + 1 == len[ci] && a != A_CLOSE && a != A_CANCEL)
                        a = unit(&s) < 0.85 ? A_CLOSE : A_CANCEL;
                    double w = wait_median[a] * exp(normal(&s));
                    w = w < 1 ? 1 : w > 25.0 * DAY ? 25.0 * DAY : w;
                    t += (int64_t)w;
                }
                g->act[e] = (uint8_t)a;
                g->ch[e] =
                    (uint8_t)(unit(&s) < 0.7 ? (uint64_t)home : next(&s) % 4);
                g->customer[e] = (uint32_t)cust;
                g->caseno[e] = (uint32_t)ci;
                g->ts[e++] = t;
            }
            t += 35 * DAY + (int64_t)(next(&s) % (90 * DAY));
        }
        cust++;
    }
    g->n_customers = cust;
    free(len);
}

static void elog_dispose(struct elog *g)
{
    free(g->act);
    free(g->ch);
    free(g->customer);
    free(g->caseno);
    free(g->ts);
}

/* The column store the commands would load: customers, events with
 * their channels, the case column. */
static int elog_store(struct colstore **out, const struct elog *g,
                      struct err *err)
{
    struct colstore *cs = colstore_new();
    int ch[4], rc = 0;
    *out = cs;
    for (int j = 0; j < 4; j++)
        if ((ch[j] = colstore_intern(cs, DIM_CHANNEL, ch_name[j], err)) < 0)
            return ch[j];
    for (size_t c = 0; c < g->n_customers; c++)
        if ((rc = colstore_add_customer(cs, (int64_t)c + 1, NULL, err)) < 0)
            return rc;
    for (size_t r = 0; r < g->n; r++) {
        struct colstore_event e = {(int64_t)r + 1,
                                   g->customer[r],
                                   g->ts[r],
                                   0,
                                   act_name[g->act[r]],
                                   -1,
                                   ch[g->ch[r]]};
        if ((rc = colstore_add_event(cs, &e, err)) < 0)
            return rc;
    }
    colstore_mark_events_loaded(cs);
    int col = colstore_col_add(cs, COLSTORE_EVENTS, "case_id", COLSTORE_NUM,
                               NAN, err);
    if (col < 0)
        return col;
    for (size_t r = 0; r < g->n; r++)
        if ((rc = colstore_col_set_num(cs, COLSTORE_EVENTS, col, r,
                                       case_id_of(g->caseno[r]), err)) < 0)
            return rc;
    return 0;
}

static void fmt_time(char *buf, size_t n, int64_t t)
{
    int64_t d = t >= 0 ? t / DAY : (t - DAY + 1) / DAY, sec = t - d * DAY;
    int y;
    unsigned mo, da;
    tstamp_civil_from_days(d, &y, &mo, &da);
    snprintf(buf, n, "%04d-%02u-%02uT%02d:%02d:%02dZ", y, mo, da,
             (int)(sec / 3600), (int)(sec / 60 % 60), (int)(sec % 60));
}

static int csv_write(const char *path, const struct elog *g, struct err *err)
{
    FILE *f = fopen(path, "w");
    char tb[32];
    if (!f)
        return err_set(err, ERR_IO, "cannot write %s", path);
    fputs("id,case_id,customer,activity,time,channel\n", f);
    for (size_t r = 0; r < g->n; r++) {
        fmt_time(tb, sizeof tb, g->ts[r]);
        fprintf(f, "E%zu,%.0f,K%07u,%s,%s,%s\n", r + 1,
                case_id_of(g->caseno[r]), g->customer[r] + 1,
                act_name[g->act[r]], tb, ch_name[g->ch[r]]);
    }
    if (fclose(f) != 0)
        return err_set(err, ERR_IO, "cannot write %s", path);
    printf("wrote %s\n", path);
    return 0;
}

static const char *step_label(const struct journey_cases *c, uint32_t s)
{
    return s == JOURNEY_START ? "(start)"
           : s == JOURNEY_END ? "(end)"
                              : c->label[s];
}

/* FILE.variants and FILE.edges: what the peers must reproduce. */
static int results_write(const char *path, const struct journey_cases *c,
                         const struct journey_variants *v,
                         const struct journey_dfg *g, struct err *err)
{
    char p[4096];
    snprintf(p, sizeof p, "%s.variants", path);
    FILE *f = fopen(p, "w");
    if (!f)
        return err_set(err, ERR_IO, "cannot write %s", p);
    fprintf(f, "variants\t%zu\n", v->n_variants);
    for (size_t i = 0; i < v->n; i++) {
        fprintf(f, "%zu\t%.1f\t%.1f\t", v->v[i].cases, v->v[i].median_duration,
                v->v[i].p90_duration);
        for (size_t k = 0; k < v->v[i].len; k++)
            fprintf(f, "%s%s", k ? ">" : "", c->label[v->v[i].steps[k]]);
        fputc('\n', f);
    }
    if (fclose(f) != 0)
        return err_set(err, ERR_IO, "cannot write %s", p);
    snprintf(p, sizeof p, "%s.edges", path);
    if (!(f = fopen(p, "w")))
        return err_set(err, ERR_IO, "cannot write %s", p);
    for (size_t i = 0; i < g->n; i++) {
        const struct journey_edge *e = &g->e[i];
        fprintf(f, "%s\t%s\t%zu\t%zu\t%.3f\t%.1f\t%.1f\t%.0f\n",
                step_label(c, e->from), step_label(c, e->to), e->count,
                e->cases, e->mean, e->median, e->p90, e->max);
    }
    if (fclose(f) != 0)
        return err_set(err, ERR_IO, "cannot write %s", p);
    printf("wrote %s.variants and %s.edges\n", path, path);
    return 0;
}

/* Resident memory now, in KiB. */
static long rss_kib(void)
{
    long pages = 0, rss = 0;
    FILE *f = fopen("/proc/self/statm", "r");
    if (f) {
        if (fscanf(f, "%ld %ld", &pages, &rss) != 2)
            rss = 0;
        fclose(f);
    }
    return rss * (sysconf(_SC_PAGESIZE) / 1024);
}

static long maxrss_kib(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

static double mib(double bytes)
{
    return bytes / (1 << 20);
}

static size_t cases_bytes(const struct journey_cases *c)
{
    return c->n_events * (sizeof *c->ev + sizeof *c->step + sizeof *c->ts) +
           (c->n + 1) * sizeof *c->off + c->n * sizeof *c->customer +
           c->n_steps * (sizeof *c->label + sizeof *c->name);
}

static size_t variants_bytes(const struct journey_variants *v)
{
    return v->n_cases * sizeof *v->of_case + v->n * sizeof *v->v;
}

static size_t dfg_bytes(const struct journey_dfg *g)
{
    return g->n * sizeof *g->e +
           g->n_steps * (sizeof *g->node_count + sizeof *g->node_cases);
}

struct ctx {
    const struct colstore *cs;
    struct journey_case_opts by_cust, by_case;
    uint32_t funnel[4];
};

enum step { S_CUST, S_CASE, S_VAR, S_DFG, S_FUNNEL, S_REWORK, S_TOTAL, S_N };
static const char *const step_name[S_N] = {
    "cases per customer (gap 30d)",
    "cases by case column",
    "variants (top 10)",
    "directly-follows graph",
    "funnel (4 steps)",
    "rework",
    "total: cases by column + variants + graph"};

/* One run of every step; times in t[S_N] (ms). */
static int run_once(double *t, const struct ctx *x, struct err *err)
{
    struct journey_cases *cc = NULL, *c = NULL;
    struct journey_variants *v = NULL;
    struct journey_dfg *g = NULL;
    struct journey_rework *rw = NULL;
    struct journey_funnel f;
    struct journey_rework_opts ro = {0, 7 * DAY};
    int rc;
    double a = bench_now_ms();
    if ((rc = journey_cases_build(&cc, x->cs, &x->by_cust, err)) < 0)
        goto done;
    double b = bench_now_ms();
    journey_cases_free(cc);
    cc = NULL;
    double b2 = bench_now_ms();
    if ((rc = journey_cases_build(&c, x->cs, &x->by_case, err)) < 0)
        goto done;
    double d = bench_now_ms();
    if ((rc = journey_variants_build(&v, c, 10, err)) < 0)
        goto done;
    double e = bench_now_ms();
    if ((rc = journey_dfg_build(&g, c, err)) < 0)
        goto done;
    double h = bench_now_ms();
    if ((rc = journey_funnel_build(&f, c, x->funnel, 4, err)) < 0)
        goto done;
    double k = bench_now_ms();
    if ((rc = journey_rework_build(&rw, x->cs, c, &ro, err)) < 0)
        goto done;
    double l = bench_now_ms();
    t[S_CUST] = b - a;
    t[S_CASE] = d - b2;
    t[S_VAR] = e - d;
    t[S_DFG] = h - e;
    t[S_FUNNEL] = k - h;
    t[S_REWORK] = l - k;
    t[S_TOTAL] = h - b2;
done:
    journey_rework_free(rw);
    journey_dfg_free(g);
    journey_variants_free(v);
    journey_cases_free(c);
    journey_cases_free(cc);
    return rc;
}

static int time_pass(const struct ctx *x, int runs, const char *mode,
                     struct err *err)
{
    static double t[S_N][MAX_RUNS];
    double one[S_N];
    int rc = 0;
    for (int r = 0; r < runs; r++) {
        if ((rc = run_once(one, x, err)) < 0)
            return rc;
        for (int s = 0; s < S_N; s++)
            t[s][r] = one[s];
    }
    printf("-- %s, median of %d runs (min..max), ms\n", mode, runs);
    for (int s = 0; s < S_N; s++) {
        double lo = t[s][0], hi = t[s][0];
        for (int r = 1; r < runs; r++) {
            lo = t[s][r] < lo ? t[s][r] : lo;
            hi = t[s][r] > hi ? t[s][r] : hi;
        }
        printf("resonans %-42s %9.1f  (%.1f..%.1f)\n", step_name[s],
               bench_median(t[s], (size_t)runs), lo, hi);
    }
    return 0;
}

/* Each step once in a forked child, cases built before the fork where
 * the step needs them: the step's extra peak resident memory (the
 * child's ru_maxrss less its resident size when it starts; the pages it
 * shares with the parent count in both). */
static void peak_pass(const struct ctx *x, const struct journey_cases *c)
{
    struct err err = ERR_INIT;
    printf("-- extra peak resident memory of each step (run once in a "
           "forked child)\n");
    for (int s = 0; s < S_TOTAL; s++) {
        fflush(stdout);
        pid_t pid = fork();
        if (pid == 0) {
            long base = rss_kib();
            struct journey_cases *cc = NULL;
            struct journey_variants *v = NULL;
            struct journey_dfg *g = NULL;
            struct journey_rework *rw = NULL;
            struct journey_funnel f;
            struct journey_rework_opts ro = {0, 7 * DAY};
            int rc = s == S_CUST
                         ? journey_cases_build(&cc, x->cs, &x->by_cust, &err)
                     : s == S_CASE
                         ? journey_cases_build(&cc, x->cs, &x->by_case, &err)
                     : s == S_VAR ? journey_variants_build(&v, c, 10, &err)
                     : s == S_DFG ? journey_dfg_build(&g, c, &err)
                     : s == S_FUNNEL
                         ? journey_funnel_build(&f, c, x->funnel, 4, &err)
                         : journey_rework_build(&rw, x->cs, c, &ro, &err);
            printf("resonans peak %-37s %8.1f MiB%s\n", step_name[s],
                   (double)(maxrss_kib() - base) / 1024,
                   rc < 0 ? " (failed)" : "");
            fflush(stdout);
            _exit(rc < 0);
        }
        if (pid > 0)
            waitpid(pid, NULL, 0);
    }
}

static int run(size_t n, size_t n_cases, int runs, uint64_t seed,
               const char *csv, struct err *err)
{
    struct elog g = {0};
    struct colstore *cs = NULL;
    struct journey_cases *c = NULL, *cc = NULL;
    struct journey_variants *v = NULL, *vv = NULL;
    struct journey_dfg *dfg = NULL;
    struct ctx x;
    int rc;

    printf("== machine\ncpu: ");
    fflush(stdout);
    if (system("grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | "
               "sed 's/^ //' | tr -d '\\n'; echo \", $(nproc) cores; load "
               "$(cut -d' ' -f1-3 /proc/loadavg)\"") != 0)
        printf("?\n");
    double t0 = bench_now_ms();
    elog_make(&g, n, n_cases, seed);
    double t1 = bench_now_ms();
    if ((rc = elog_store(&cs, &g, err)) < 0)
        goto done;
    printf("== log: %zu events, %zu cases, %zu customers, %d activities; "
           "generated in %.0f ms, column store built in %.0f ms (%.1f MiB); "
           "ru_maxrss %.1f MiB\n",
           g.n, g.n_cases, g.n_customers, N_ACT, t1 - t0, bench_now_ms() - t1,
           mib((double)colstore_memory(cs)), (double)maxrss_kib() / 1024);
    if (csv && (rc = csv_write(csv, &g, err)) < 0)
        goto done;
    elog_dispose(&g);
    memset(&g, 0, sizeof g);

    x.cs = cs;
    x.by_cust = (struct journey_case_opts)JOURNEY_CASE_OPTS_INIT;
    x.by_cust.gap = GAP;
    x.by_case = (struct journey_case_opts)JOURNEY_CASE_OPTS_INIT;
    x.by_case.case_col = "case_id";
    {
        static const int fa[4] = {A_SUBMIT, A_TRIAGE, A_FIX, A_CLOSE};
        for (int i = 0; i < 4; i++)
            x.funnel[i] = (uint32_t)colstore_activity_code(
                cs, act_name[fa[i]], strlen(act_name[fa[i]]));
    }

    /* The results once, and the two ways of building cases compared. */
    if ((rc = journey_cases_build(&c, cs, &x.by_case, err)) < 0 ||
        (rc = journey_cases_build(&cc, cs, &x.by_cust, err)) < 0 ||
        (rc = journey_variants_build(&v, c, 10, err)) < 0 ||
        (rc = journey_variants_build(&vv, cc, 10, err)) < 0 ||
        (rc = journey_dfg_build(&dfg, c, err)) < 0)
        goto done;
    if (c->n != n_cases || cc->n != c->n || c->n_events != n ||
        memcmp(c->off, cc->off, (c->n + 1) * sizeof *c->off) ||
        memcmp(c->ev, cc->ev, c->n_events * sizeof *c->ev) ||
        memcmp(v->of_case, vv->of_case, c->n * sizeof *v->of_case)) {
        rc = err_set(err, ERR_INTERNAL,
                     "cases by column (%zu) and per customer (%zu) differ",
                     c->n, cc->n);
        goto done;
    }
    printf("cases: %zu by the case column, the same %zu per customer with "
           "a 30-day gap (checked); %zu variants, %zu edges\n",
           c->n, cc->n, v->n_variants, dfg->n);
    printf("top variants:");
    for (size_t i = 0; i < v->n && i < 5; i++)
        printf(" %zu", v->v[i].cases);
    printf("; most frequent edge %s > %s (%zu)\n",
           step_label(c, dfg->e[0].from), step_label(c, dfg->e[0].to),
           dfg->e[0].count);
    printf("held: column store %.1f MiB, cases %.1f MiB, variants %.1f MiB, "
           "graph %.3f MiB\n",
           mib((double)colstore_memory(cs)), mib((double)cases_bytes(c)),
           mib((double)variants_bytes(v)), mib((double)dfg_bytes(dfg)));
    if (csv && (rc = results_write(csv, c, v, dfg, err)) < 0)
        goto done;
    journey_cases_free(cc);
    cc = NULL;
    journey_variants_free(vv);
    vv = NULL;
    journey_variants_free(v);
    v = NULL;
    journey_dfg_free(dfg);
    dfg = NULL;

    /* Fresh memory first, as bench_relimp: large blocks mapped and given
     * back on free, so every run first-touches its pages. */
    mallopt(M_MMAP_THRESHOLD, 128 * 1024);
    mallopt(M_TRIM_THRESHOLD, 128 * 1024);
    malloc_trim(0);
    peak_pass(&x, c);
    journey_cases_free(c);
    c = NULL;
    if ((rc = time_pass(&x, runs, "fresh memory", err)) < 0)
        goto done;
    mallopt(M_MMAP_MAX, 0);
    mallopt(M_TRIM_THRESHOLD, -1);
    if ((rc = time_pass(&x, runs, "memory reused", err)) < 0)
        goto done;
    printf("ru_maxrss of the whole run %.1f MiB\n",
           (double)maxrss_kib() / 1024);
    rc = 0;
done:
    journey_dfg_free(dfg);
    journey_variants_free(vv);
    journey_variants_free(v);
    journey_cases_free(cc);
    journey_cases_free(c);
    colstore_free(cs);
    elog_dispose(&g);
    return rc;
}

int main(int argc, char **argv)
{
    struct err err = ERR_INIT;
    const char *csv = NULL;
    unsigned long long n = 10000000, n_cases = 1000000, seed = 2012;
    int runs = DEFAULT_RUNS;

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (i + 1 >= argc)
            goto usage;
        if (!strcmp(a, "--csv"))
            csv = argv[++i];
        else if (!strcmp(a, "--runs"))
            runs = atoi(argv[++i]);
        else if (!strcmp(a, "--events"))
            n = strtoull(argv[++i], NULL, 10);
        else if (!strcmp(a, "--cases"))
            n_cases = strtoull(argv[++i], NULL, 10);
        else if (!strcmp(a, "--seed"))
            seed = strtoull(argv[++i], NULL, 10);
        else
            goto usage;
    }
    if (runs < 1 || runs > MAX_RUNS || n_cases < 1 || n < n_cases ||
        n > (unsigned long long)MAX_LEN * n_cases || n >= UINT32_MAX)
        goto usage;
    if (run((size_t)n, (size_t)n_cases, runs, seed, csv, &err) < 0) {
        fprintf(stderr, "bench_journey: %s\n", err.msg);
        return 1;
    }
    return 0;
usage:
    fputs("usage: bench_journey [--events N] [--cases C] [--runs R] "
          "[--seed S] [--csv FILE]\n"
          "       (default 10000000 events, 1000000 cases, 5 runs; "
          "C <= N <= 40 C)\n",
          stderr);
    return 2;
}
