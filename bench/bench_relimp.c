/* Key drivers, exact Shapley (LMG): the path `resonans drivers nps
 * rating:q01,...` takes, timed step by step on a synthetic column store
 * built in memory (N responses, every one with an NPS score and k ratings
 * 1-5 that share a common factor, the score planted from them):
 *   design  the design matrix from the column store: the driver list
 *           parsed and drivers_rows_new, the rows drivers_run analyses
 *           (outcome and drivers resolved as query fields and copied out,
 *           the complete rows gathered row-major);
 *   corr    relimp_corr_new: the (k+1)^2 correlation matrix from the rows;
 *   lmg     relimp_lmg: exact LMG over all 2^k subsets;
 *   total   the sum of the three, per run;
 * each the median of RUNS runs (CLOCK_MONOTONIC), one thread. Beside them,
 * drivers_run with no bootstrap (the whole analysis as `resonans drivers
 * --boot 0` runs it once the fields are loaded: the above plus Johnson's
 * weights, OLS and ranking). All of it twice: with fresh memory (glibc's
 * mmap threshold held at its initial 128 KiB, so each run maps and
 * first-touches its large blocks, as a new process does) and with freed
 * memory kept and reused (the pages already mapped, as in a warm server
 * process). Then the LMG shares, to 12 decimals, so the peers' shares
 * (bench/peers/relimp.R, relimp_numpy.py) can be compared.
 * With --csv DIR it writes the design matrix it analysed as
 * DIR/relimp-kK-nN.csv (q01..qK, nps), the data the peers read.
 * Usage: bench_relimp [--csv DIR] [--runs R] [K:N ...]
 *        (default 14:46000 20:1000000) */
#include <malloc.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/drivers.h"
#include "bench.h"
#include "colstore/colstore.h"
#include "core/err.h"
#include "core/tstamp.h"
#include "core/xalloc.h"
#include "stats/relimp.h"

#define DEFAULT_RUNS 7
#define MAX_RUNS 101

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

static double clamp_round(double v, double lo, double hi)
{
    v = round(v);
    return v < lo ? lo : v > hi ? hi : v;
}

/* N responses with nps and ratings rating:q01..qK (1-5): driver j loads
 * on a common factor with weight 0.3..0.8 and on the score with a weight
 * that falls with j, so the shares differ and the drivers overlap. */
static int build(struct colstore *cs, size_t k, size_t n, struct err *err)
{
    int j0 = colstore_add_journey(cs, "live", "Bo", err);
    int st = colstore_add_stage(cs, j0, "stay", "Stay", 0, err);
    int tp = colstore_add_touchpoint(cs, st, "survey", "Survey", err);
    int ch = colstore_intern(cs, DIM_CHANNEL, "web", err);
    int col[RELIMP_EXACT_MAX];
    char name[32];
    if (err->code)
        return err->code;
    for (size_t j = 0; j < k; j++) {
        snprintf(name, sizeof name, "rating:q%02zu", j + 1);
        col[j] = colstore_col_add(cs, COLSTORE_RESPONSES, name, COLSTORE_NUM, 5,
                                  err);
        if (col[j] < 0)
            return col[j];
    }
    int64_t d0 = tstamp_days_from_civil(2024, 1, 1);
    uint64_t s = 42;
    colstore_reserve(cs, n);
    for (size_t i = 0; i < n; i++) {
        double g = normal(&s), lin = 0, x[RELIMP_EXACT_MAX];
        for (size_t j = 0; j < k; j++) {
            double a = 0.3 + 0.5 * (double)(j % 6) / 5;
            x[j] = clamp_round(3.2 + a * g + 0.9 * normal(&s), 1, 5);
            lin += (x[j] - 3) * 1.2 / (double)(j + 2);
        }
        struct colstore_row r;
        r.touchpoint = tp;
        r.channel = ch;
        r.segment = r.language = -1;
        r.kind = 0;
        r.day = d0 + (int64_t)(i % 365);
        r.nps = (int)clamp_round(6.5 + lin + 1.6 * normal(&s), 0, 10);
        r.csat = r.ces = -1;
        r.id = (int64_t)i + 1;
        r.customer = -1;
        r.ts = 0;
        int rc = colstore_append(cs, &r, err);
        for (size_t j = 0; j < k && rc == 0; j++)
            rc = colstore_col_set_num(cs, COLSTORE_RESPONSES, col[j], i, x[j],
                                      err);
        if (rc < 0)
            return rc;
    }
    return 0;
}

/* The design step: the driver list parsed and the rows drivers_run
 * analyses read from the column store (drivers_rows_new). */
static int design_build(struct drivers_rows **d, const struct colstore *cs,
                        const char *outcome, const char *drivers,
                        struct err *err)
{
    struct drivers_spec *s = NULL;
    int rc = drivers_spec_new(&s, outcome, drivers, err);
    if (rc == 0)
        rc = drivers_rows_new(d, cs, s, NULL, err);
    drivers_spec_free(s);
    return rc;
}

static int csv_write(const char *dir, const struct drivers_rows *d, size_t n,
                     struct err *err)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/relimp-k%zu-n%zu.csv", dir, d->k, n);
    FILE *f = fopen(path, "w");
    if (!f)
        return err_set(err, ERR_IO, "cannot write %s", path);
    for (size_t j = 0; j < d->k; j++)
        fprintf(f, "q%02zu,", j + 1);
    fputs("nps\n", f);
    for (size_t i = 0; i < d->n; i++) {
        for (size_t j = 0; j < d->k; j++)
            fprintf(f, "%.17g,", d->x[i * d->k + j]);
        fprintf(f, "%.17g\n", d->y[i]);
    }
    if (fclose(f) != 0)
        return err_set(err, ERR_IO, "cannot write %s", path);
    printf("wrote %s\n", path);
    return 0;
}

/* Medians of one timing pass. */
struct timing {
    double design, corr, lmg, total, whole;
};

/* runs runs of the three steps (shares and the design of the last run
 * kept in share and *d, caller disposes), then runs runs of drivers_run,
 * whose shares must equal ours. */
static int time_pass(struct timing *t, double *share, struct drivers_rows **d,
                     const struct colstore *cs, size_t k, const char *list,
                     int runs, struct err *err)
{
    struct relimp_corr *c = NULL;
    struct drivers_result *dr = NULL;
    double td[MAX_RUNS], tc[MAX_RUNS], tl[MAX_RUNS], tt[MAX_RUNS], tw[MAX_RUNS];
    struct relimp_opts ro = RELIMP_OPTS_INIT;
    struct drivers_opts o = DRIVERS_OPTS_INIT;
    int rc = 0;

    ro.method = RELIMP_EXACT;
    for (int r = 0; r < runs && rc == 0; r++) {
        drivers_rows_free(*d);
        *d = NULL;
        relimp_corr_free(c);
        c = NULL;
        double a = bench_now_ms();
        if ((rc = design_build(d, cs, "nps", list, err)) < 0)
            break;
        double b = bench_now_ms();
        if ((rc = relimp_corr_new(&c, (*d)->x, (*d)->y, (*d)->n, k, &ro, err)) <
            0)
            break;
        double e = bench_now_ms();
        rc = relimp_lmg(share, NULL, c, &ro, err);
        double f = bench_now_ms();
        td[r] = b - a;
        tc[r] = e - b;
        tl[r] = f - e;
        tt[r] = f - a;
    }
    o.boot = 0;
    for (int r = 0; r < runs && rc == 0; r++) {
        struct drivers_spec *s = NULL;
        drivers_result_free(dr);
        dr = NULL;
        double a = bench_now_ms();
        rc = drivers_spec_new(&s, "nps", list, err);
        if (rc == 0)
            rc = drivers_run(&dr, cs, s, &o, err);
        tw[r] = bench_now_ms() - a;
        drivers_spec_free(s);
    }
    if (rc < 0)
        goto done;
    if (!dr->exact) {
        rc = err_set(err, ERR_INTERNAL, "drivers_run did not solve exactly");
        goto done;
    }
    for (size_t j = 0; j < k; j++)
        if (fabs(dr->d[j].lmg - share[j]) > 1e-12) {
            rc = err_set(err, ERR_INTERNAL,
                         "drivers_run's share %zu differs: %.12f vs %.12f", j,
                         dr->d[j].lmg, share[j]);
            goto done;
        }
    t->design = bench_median(td, (size_t)runs);
    t->corr = bench_median(tc, (size_t)runs);
    t->lmg = bench_median(tl, (size_t)runs);
    t->total = bench_median(tt, (size_t)runs);
    t->whole = bench_median(tw, (size_t)runs);
done:
    drivers_result_free(dr);
    relimp_corr_free(c);
    return rc;
}

static void print_pass(const struct timing *t, size_t k, size_t n, int runs,
                       const char *mode)
{
    printf("resonans k=%zu n=%zu design %.2f ms corr %.2f ms lmg %.2f ms "
           "total %.2f ms drivers_run %.2f ms (%s; median of %d)\n",
           k, n, t->design, t->corr, t->lmg, t->total, t->whole, mode, runs);
}

/* One configuration: build, time with fresh memory and with memory
 * reused, print. */
static int run_one(size_t k, size_t n, int runs, const char *csv_dir,
                   struct err *err)
{
    struct colstore *cs = colstore_new();
    struct drivers_rows *d = NULL;
    struct timing t;
    char *list = xcalloc(k, 16);
    double share[RELIMP_EXACT_MAX], again[RELIMP_EXACT_MAX];
    int rc;

    for (size_t j = 0; j < k; j++)
        sprintf(list + strlen(list), "%srating:q%02zu", j ? "," : "", j + 1);
    double t0 = bench_now_ms();
    if ((rc = build(cs, k, n, err)) < 0)
        goto done;
    printf("k=%zu n=%zu: column store built in %.0f ms (%.1f MiB)\n", k, n,
           bench_now_ms() - t0, (double)colstore_memory(cs) / (1 << 20));

    /* glibc's initial mmap threshold, held there (by default it rises
     * after the first free): large blocks are mapped fresh and given back
     * on free, so every run first-touches its pages, as a new `resonans
     * drivers` process does. */
    mallopt(M_MMAP_THRESHOLD, 128 * 1024);
    mallopt(M_TRIM_THRESHOLD, 128 * 1024);
    if ((rc = time_pass(&t, share, &d, cs, k, list, runs, err)) < 0)
        goto done;
    print_pass(&t, k, d->n, runs, "fresh memory");
    /* Then with freed memory kept and reused: what the same steps cost
     * once the pages are mapped (a warm server process). */
    mallopt(M_MMAP_MAX, 0);
    mallopt(M_TRIM_THRESHOLD, -1);
    if ((rc = time_pass(&t, again, &d, cs, k, list, runs, err)) < 0)
        goto done;
    mallopt(M_MMAP_MAX, 65536);
    mallopt(M_MMAP_THRESHOLD, 128 * 1024);
    mallopt(M_TRIM_THRESHOLD, 128 * 1024);
    malloc_trim(0);
    print_pass(&t, k, d->n, runs, "memory reused");

    double r2 = 0;
    printf("shares resonans k=%zu n=%zu", k, d->n);
    for (size_t j = 0; j < k; j++) {
        printf(" %.12f", share[j]);
        r2 += share[j];
    }
    printf("\nr2 resonans k=%zu n=%zu %.10f\n", k, d->n, r2);
    if (csv_dir && (rc = csv_write(csv_dir, d, n, err)) < 0)
        goto done;
    rc = 0;
done:
    drivers_rows_free(d);
    free(list);
    colstore_free(cs);
    return rc;
}

int main(int argc, char **argv)
{
    struct err err = ERR_INIT;
    const char *csv_dir = NULL;
    int runs = DEFAULT_RUNS, i = 1;
    static const char *const defaults[] = {"14:46000", "20:1000000"};

    for (; i < argc && !strncmp(argv[i], "--", 2); i++) {
        if (!strcmp(argv[i], "--csv") && i + 1 < argc)
            csv_dir = argv[++i];
        else if (!strcmp(argv[i], "--runs") && i + 1 < argc)
            runs = atoi(argv[++i]);
        else
            goto usage;
    }
    if (runs < 1 || runs > MAX_RUNS)
        goto usage;
    const char *const *specs =
        i < argc ? (const char *const *)argv + i : defaults;
    int n_specs = i < argc ? argc - i : 2;
    for (int a = 0; a < n_specs; a++) {
        char *end;
        unsigned long k = strtoul(specs[a], &end, 10);
        unsigned long long n = *end == ':' ? strtoull(end + 1, &end, 10) : 0;
        if (*end || k < 1 || k > RELIMP_EXACT_MAX || n < k + 2)
            goto usage;
        if (run_one(k, n, runs, csv_dir, &err) < 0) {
            fprintf(stderr, "bench_relimp: %s\n", err.msg);
            return 1;
        }
    }
    return 0;
usage:
    fputs("usage: bench_relimp [--csv DIR] [--runs R] [K:N ...]   "
          "(K <= 22, default 14:46000 20:1000000)\n",
          stderr);
    return 2;
}
