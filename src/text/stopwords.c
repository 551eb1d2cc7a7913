/* Stop word sets loaded from the embedded lists. */
#include "text/stopwords.h"

#include <stdio.h>
#include <stdlib.h>

#include "core/asset.h"
#include "core/err.h"
#include "core/strmap.h"
#include "core/xalloc.h"
#include "text/textdata.h"

struct stopwords {
    struct strmap *words;
};

int stopwords_new(struct stopwords **out, enum lang l, struct err *err)
{
    char name[64];
    *out = NULL;
    if (l != LANG_SV && l != LANG_EN)
        return err_set(err, ERR_NOTFOUND, "no stop words for language %s",
                       lang_code(l));
    snprintf(name, sizeof name, "stopwords-%s.txt", lang_code(l));
    const struct asset *a = textdata_find(name);
    if (!a)
        return err_set(err, ERR_NOTFOUND, "%s is not built in", name);
    struct stopwords *sw = xmalloc(sizeof *sw);
    sw->words = strmap_new();
    size_t pos = 0, n;
    long lineno = 0;
    const char *line;
    while (textdata_next_line(a, &pos, &line, &n, &lineno))
        strmap_put(sw->words, line, n, 1);
    *out = sw;
    return 0;
}

void stopwords_free(struct stopwords *sw)
{
    if (!sw)
        return;
    strmap_free(sw->words);
    free(sw);
}

int stopwords_has(const struct stopwords *sw, const char *w, size_t n)
{
    return strmap_get(sw->words, w, n, NULL);
}

size_t stopwords_count(const struct stopwords *sw)
{
    return strmap_count(sw->words);
}
