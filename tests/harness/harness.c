#include "harness.h"

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void harness_assert_close(double a, double b, double rel, double abs_tol,
                          const char *expr, const char *file, int line)
{
    double d = fabs(a - b);
    if (d <= abs_tol || d <= rel * fabs(b) || (isnan(a) && isnan(b)))
        return;
    print_error("%s:%d: %s = %.10g, expected %.10g (rel %g, abs %g)\n", file,
                line, expr, a, b, rel, abs_tol);
    _fail(file, line);
}

char *harness_tmpdir(void)
{
    const char *base = getenv("TMPDIR");
    char *p = malloc(512);
    snprintf(p, 512, "%s/resonans-test-XXXXXX", base ? base : "/tmp");
    if (!mkdtemp(p)) {
        free(p);
        return NULL;
    }
    return p;
}

void harness_tmpdir_free(char *dir)
{
    if (!dir)
        return;
    DIR *d = opendir(dir);
    if (d) {
        struct dirent *e;
        char path[1024];
        while ((e = readdir(d))) {
            if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
                continue;
            snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
            unlink(path);
        }
        closedir(d);
    }
    rmdir(dir);
    free(dir);
}

char *harness_write_file(const char *dir, const char *name, const char *data,
                         size_t n)
{
    size_t len = strlen(dir) + strlen(name) + 2;
    char *p = malloc(len);
    snprintf(p, len, "%s/%s", dir, name);
    FILE *f = fopen(p, "wb");
    if (f) {
        fwrite(data, 1, n, f);
        fclose(f);
    }
    return p;
}

char *harness_fixture(const char *name)
{
    const char *base = getenv("RESONANS_TEST_DATA");
    size_t len = (base ? strlen(base) : 10) + strlen(name) + 2;
    char *p = malloc(len);
    snprintf(p, len, "%s/%s", base ? base : "tests/data", name);
    return p;
}

void gen_seed(struct gen *g, uint64_t seed)
{
    rng_seed(&g->r, seed);
}

uint64_t gen_u64(struct gen *g)
{
    return rng_next(&g->r);
}

double gen_unit(struct gen *g)
{
    return rng_uniform(&g->r);
}

int gen_range(struct gen *g, int lo, int hi)
{
    return (int)rng_range(&g->r, lo, hi);
}
