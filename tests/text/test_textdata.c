/* Tests for src/text/textdata.c. */
#include <string.h>

#include "harness.h"

#include "core/asset.h"
#include "text/textdata.h"

static void test_textdata_finds_embedded_files(void **state)
{
    (void)state;
    static const char *const names[] = {
        "stopwords-sv.txt",       "stopwords-en.txt",
        "sentiment-sv.tsv",       "sentiment-en.tsv",
        "sentiment-rules-sv.tsv", "sentiment-rules-en.tsv",
        "sentiment-emoji.tsv"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        const struct asset *a = textdata_find(names[i]);
        assert_non_null(a);
        assert_string_equal(a->path, names[i]);
        assert_true(a->len > 0);
        assert_int_equal(a->data[a->len], 0);
    }
    assert_null(textdata_find("README.md"));
    assert_null(textdata_find("no-such-file.txt"));
}

static void test_textdata_lines_skip_comments_and_blanks(void **state)
{
    (void)state;
    static const unsigned char data[] = "# comment\n\nfirst\r\n#x\nsecond";
    struct asset a = {"t.txt", data, sizeof data - 1};
    size_t pos = 0, n;
    long lineno = 0;
    const char *line;
    assert_int_equal(textdata_next_line(&a, &pos, &line, &n, &lineno), 1);
    assert_int_equal(n, 5);
    assert_memory_equal(line, "first", 5);
    assert_int_equal(lineno, 3);
    assert_int_equal(textdata_next_line(&a, &pos, &line, &n, &lineno), 1);
    assert_int_equal(n, 6);
    assert_memory_equal(line, "second", 6);
    assert_int_equal(lineno, 5);
    assert_int_equal(textdata_next_line(&a, &pos, &line, &n, &lineno), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_textdata_finds_embedded_files),
        cmocka_unit_test(test_textdata_lines_skip_comments_and_blanks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
