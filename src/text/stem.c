/* Snowball stemmers through libstemmer, plus the language codes. */
#include "text/stem.h"

#include <libstemmer.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"

struct stemmer {
    struct sb_stemmer *sb;
};

const char *lang_code(enum lang l)
{
    switch (l) {
    case LANG_SV:
        return "sv";
    case LANG_EN:
        return "en";
    default:
        return "other";
    }
}

int lang_parse(enum lang *out, const char *s)
{
    if (!s)
        return -1;
    if (!strcmp(s, "sv"))
        *out = LANG_SV;
    else if (!strcmp(s, "en"))
        *out = LANG_EN;
    else if (!strcmp(s, "other"))
        *out = LANG_OTHER;
    else
        return -1;
    return 0;
}

struct stemmer *stemmer_new(enum lang l)
{
    const char *name = l == LANG_SV ? "swedish" : l == LANG_EN ? "english" : 0;
    if (!name)
        return NULL;
    struct sb_stemmer *sb = sb_stemmer_new(name, "UTF_8");
    if (!sb)
        return NULL;
    struct stemmer *s = xmalloc(sizeof *s);
    s->sb = sb;
    return s;
}

void stemmer_free(struct stemmer *s)
{
    if (!s)
        return;
    sb_stemmer_delete(s->sb);
    free(s);
}

const char *stemmer_stem(struct stemmer *s, const char *word, size_t n,
                         size_t *out_n)
{
    /* libstemmer takes an int length; longer words are not real words
     * and are returned as they are. */
    if (n > 4096) {
        *out_n = n;
        return word;
    }
    const sb_symbol *r =
        sb_stemmer_stem(s->sb, (const sb_symbol *)word, (int)n);
    if (!r) { /* out of memory inside libstemmer */
        *out_n = n;
        return word;
    }
    *out_n = (size_t)sb_stemmer_length(s->sb);
    return (const char *)r;
}
