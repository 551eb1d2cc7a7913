/* The option parser every command shares. */
#include "harness.h"

#include <stdio.h>
#include <string.h>

#include "cli/opt.h"
#include "core/err.h"
#include "core/strbuf.h"

enum { O_BY = 1, O_WHERE, O_TIMING, O_FORMAT };

static const struct opt_spec specs[] = {
    {"by", O_BY, OPT_VALUE, 0, "DIM[,DIM...]", "group by these dimensions"},
    {"where", O_WHERE, OPT_VALUE, OPT_REPEAT, "DIM=V[,V...]",
     "filter (repeatable; values within one --where are alternatives, "
     "separate --where options all hold)"},
    {"timing", O_TIMING, OPT_FLAG, 0, NULL, "print timings"},
    {"format", O_FORMAT, OPT_VALUE, 0, "table|csv|json", "output format"},
    OPT_END};

/* Parses argv (a NULL-terminated list after the command name) into a
 * compact trace "id=value;..." or "error: MSG". */
static void trace(char *buf, size_t n, const char *const *args)
{
    char cmd[] = "cmd", store[32][64];
    char *argv[32] = {cmd};
    int argc = 1;
    for (; *args; args++, argc++) {
        snprintf(store[argc], sizeof store[argc], "%s", *args);
        argv[argc] = store[argc];
    }
    struct opt_parser p;
    struct opt o;
    struct err err = ERR_INIT;
    size_t used = 0;
    int rc;
    buf[0] = 0;
    opt_parser_init(&p, specs, argc, argv);
    while ((rc = opt_next(&p, &o, &err)) == 1)
        used += (size_t)snprintf(buf + used, n - used, "%d=%s;", o.id,
                                 o.value ? o.value : "(flag)");
    if (rc < 0)
        snprintf(buf + used, n - used, "error: %s", err.msg);
}

#define TRACE(expect, ...)                                                     \
    do {                                                                       \
        char buf_[512];                                                        \
        trace(buf_, sizeof buf_, (const char *const[]){__VA_ARGS__, NULL});    \
        assert_string_equal(buf_, expect);                                     \
    } while (0)

static void test_opt_value_separate_or_joined(void **state)
{
    (void)state;
    TRACE("1=stage;4=csv;", "--by", "stage", "--format=csv");
    TRACE("1=stage;4=csv;", "--by=stage", "--format", "csv");
    TRACE("1=;", "--by=");       /* an empty value is a value */
    TRACE("1=a=b;", "--by=a=b"); /* only the first '=' splits */
    TRACE("2=x=1;2=y=2;", "--where", "x=1", "--where=y=2"); /* repeatable */
}

static void test_opt_positionals_in_order_and_double_dash(void **state)
{
    (void)state;
    TRACE("0=load;3=(flag);0=file.tsv;", "load", "--timing", "file.tsv");
    TRACE("0=-;", "-"); /* stdin */
    TRACE("3=(flag);0=--by;0=-x;", "--timing", "--", "--by", "-x");
}

static void test_opt_usage_errors_name_the_option(void **state)
{
    (void)state;
    TRACE("error: unknown option '--colour'", "--colour", "red");
    TRACE("error: unknown option '--colour'", "--colour=red");
    TRACE("error: unknown option '-x'", "-x");
    TRACE("1=a;error: --format needs a value", "--by", "a", "--format");
    TRACE("error: --by needs a value", "--by", "--timing");
    TRACE("error: --timing takes no value", "--timing=yes");
    TRACE("4=csv;error: --format given twice", "--format", "csv", "--format",
          "json");
    TRACE("error: unknown option '--b'", "--b", "x"); /* no abbreviations */
}

static void test_opt_help_comes_from_the_table(void **state)
{
    (void)state;
    struct strbuf b = STRBUF_INIT;
    assert_int_equal(opt_help(&b, specs), 0);
    const char *s = strbuf_str(&b);
    assert_true(!strncmp(s,
                         "  --by DIM[,DIM...]     group by these "
                         "dimensions\n",
                         strlen("  --by DIM[,DIM...]     group by these "
                                "dimensions\n")));
    assert_non_null(strstr(s, "\n  --timing              print timings\n"));
    /* long help wraps under its column, lines within 79 columns */
    const char *cont = strstr(s, "\n                        ");
    assert_non_null(cont);
    assert_true(cont[25] != ' ');
    for (const char *line = s; *line;) {
        const char *nl = strchr(line, '\n');
        assert_non_null(nl);
        assert_true(nl - line <= 79);
        line = nl + 1;
    }
    strbuf_dispose(&b);
}

static void test_opt_number_values(void **state)
{
    (void)state;
    long v;
    double d;
    assert_int_equal(opt_parse_long(&v, "30", 0, 100), 0);
    assert_int_equal(v, 30);
    assert_int_equal(opt_parse_long(&v, "101", 0, 100), ERR_INVALID);
    assert_int_equal(opt_parse_long(&v, "3x", 0, 100), ERR_INVALID);
    assert_int_equal(opt_parse_long(&v, "", 0, 100), ERR_INVALID);
    assert_int_equal(opt_parse_long(&v, "-1", 0, 100), ERR_INVALID);
    assert_int_equal(opt_parse_double(&d, "0.01"), 0);
    assert_close(d, 0.01, 0, 1e-15);
    assert_int_equal(opt_parse_double(&d, "inf"), ERR_INVALID);
    assert_int_equal(opt_parse_double(&d, "1e"), ERR_INVALID);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_opt_value_separate_or_joined),
        cmocka_unit_test(test_opt_positionals_in_order_and_double_dash),
        cmocka_unit_test(test_opt_usage_errors_name_the_option),
        cmocka_unit_test(test_opt_help_comes_from_the_table),
        cmocka_unit_test(test_opt_number_values),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
