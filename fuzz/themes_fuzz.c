/* Fuzz target: the theme taxonomy parser (themes_parse) on raw bytes.
 * Whatever parses must then match a fixed Swedish and English comment
 * without trouble; whatever fails must fail with ERR_INVALID and a
 * location. Limits keep memory bounded by the input size. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "text/stem.h"
#include "text/themes.h"
#include "text/tokenize.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const texts[] = {
        "Appen loggar ut mig, kan inte logga in med BankID! Trappstädningen "
        "är usel och hyran är för dyr.",
        "The app keeps logging me out; rude staff, long waiting time."};
    struct themes *t = themes_new();
    struct err err = ERR_INIT;
    char *buf = malloc(size ? size : 1);
    if (size)
        memcpy(buf, data, size);
    if (themes_parse(t, buf, size, "fuzz.tsv", &err) == 0) {
        struct tokens tok = TOKENS_INIT;
        struct theme_hits hits;
        theme_hits_init(&hits);
        for (int l = LANG_SV; l <= LANG_EN; l++) {
            struct stemmer *st = stemmer_new((enum lang)l);
            if (tokenize_text(&tok, texts[l - 1], strlen(texts[l - 1]), &err) <
                0)
                abort();
            themes_match(t, &tok, (enum lang)l, st, &hits);
            for (size_t i = 0; i < hits.n; i++)
                if (hits.v[i].theme < 0 ||
                    (size_t)hits.v[i].theme >= themes_count(t) ||
                    hits.v[i].first > hits.v[i].last ||
                    (size_t)hits.v[i].last >= tok.n)
                    abort();
            stemmer_free(st);
        }
        for (size_t i = 0; i < themes_count(t); i++)
            if (themes_find(t, themes_key(t, i), strlen(themes_key(t, i))) !=
                (int)i)
                abort();
        tokens_dispose(&tok);
        theme_hits_dispose(&hits);
    } else if (err.code != ERR_INVALID || !err.msg[0]) {
        abort();
    }
    themes_free(t);
    free(buf);
    return 0;
}
