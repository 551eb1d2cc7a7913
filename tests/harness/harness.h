#pragma once
/* Shared test helpers. Include after <cmocka.h>'s prerequisites. */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
/* clang-format off: cmocka.h needs the ones above first */
#include <cmocka.h>
/* clang-format on */

/* |a-b| <= abs_tol or |a-b| <= rel_tol*|b|; prints both values otherwise. */
#define assert_close(a, b, rel, abs_tol)                                       \
    harness_assert_close((a), (b), (rel), (abs_tol), #a, __FILE__, __LINE__)
void harness_assert_close(double a, double b, double rel, double abs_tol,
                          const char *expr, const char *file, int line);

/* A file of the source tree by its path from the root, as a string
 * literal: tests run in a scratch directory (TEST_SRCDIR, the Makefile's). */
#define HARNESS_SRC(p) TEST_SRCDIR "/" p

/* Makes a fresh temporary directory; caller frees the path with
 * harness_tmpdir_free (which removes the directory and its files). */
char *harness_tmpdir(void);
void harness_tmpdir_free(char *dir);

/* Writes data to dir/name and returns the full path (caller frees). */
char *harness_write_file(const char *dir, const char *name, const char *data,
                         size_t n);

/* Path of a fixture under tests/data (RESONANS_TEST_DATA or ./tests/data);
 * caller frees. */
char *harness_fixture(const char *name);

/* A seeded generator for planted-effect tests: the product's own
 * src/core/rng (xoshiro256**) behind a short test-facing name. */
#include "core/rng.h"

struct gen {
    struct rng r;
};
void gen_seed(struct gen *g, uint64_t seed);
uint64_t gen_u64(struct gen *g);
double gen_unit(struct gen *g);               /* [0,1) */
int gen_range(struct gen *g, int lo, int hi); /* inclusive */

/* Checks that doc is well-formed: a prolog or doctype, then one element
 * tree with balanced tags, quoted attributes without '<' and only known
 * entities (html: the void elements meta and br need no '/'). Fails the
 * test with the offset of the first fault. Calls on_tag (may be NULL) for
 * every start tag; returns how many are named `count` (may be NULL). */
int harness_markup(const char *doc, int html, const char *count,
                   void (*on_tag)(void *ctx, const char *name, size_t n),
                   void *ctx);
