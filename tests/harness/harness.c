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

static uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

void gen_seed(struct gen *g, uint64_t seed)
{
    for (int i = 0; i < 4; i++) { /* splitmix64 */
        uint64_t z = (seed += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        g->s[i] = z ^ (z >> 31);
    }
}

uint64_t gen_u64(struct gen *g)
{
    uint64_t *s = g->s, r = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return r;
}

double gen_unit(struct gen *g)
{
    return (double)(gen_u64(g) >> 11) * 0x1.0p-53;
}

int gen_range(struct gen *g, int lo, int hi)
{
    return lo + (int)(gen_unit(g) * (double)(hi - lo + 1));
}
