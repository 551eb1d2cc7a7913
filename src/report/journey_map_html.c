/* journey_map.h: the journey map, the process map and the variants on one
 * HTML page that needs nothing from a network: the SVGs inline, the style
 * inline, no script, no URL. */
#include <string.h>

#include "core/err.h"
#include "core/strbuf.h"
#include "report/journey_map.h"
#include "report/journey_map_int.h"
#include "report/journey_process_svg.h"

struct words {
    const char *lang, *map, *process, *variants;
    const char *map_help, *process_help, *variants_help;
};

static const struct words words_en = {
    "en",
    "Journey map",
    "Process map",
    "Variants",
    "Stages run left to right, channels top to bottom. The line is the "
    "NPS of each stage with its 95% confidence interval as a band; under "
    "it, the share of cases lost before the next stage. Each touchpoint "
    "shows its NPS and n, coloured by its NPS; a star marks a moment of "
    "truth set by the organisation, a diamond a moment found by analysis, "
    "a red triangle a pain point. Under the stages: the top themes of the "
    "comments and a comment. Hover over a cut label for its whole text.",
    "Each box is a step with how often it happened; an arrow is a step "
    "directly followed by another, as thick as it is frequent, with its "
    "count and median wait; \xe2\x86\xbb counts a step directly repeated. "
    "Dashed lines go back to an earlier step. Long processes wrap onto a "
    "new row like text.",
    "The most frequent paths through the journey, each a row of steps; "
    "the bar is the number of cases, relative to the most frequent path. "
    "Pale steps are shared with the path above.",
};

static const struct words words_sv = {
    "sv",
    "Kundresekarta",
    "Processkarta",
    "Varianter",
    "Stegen går från vänster till höger, kanalerna uppifrån och ned. "
    "Linjen är varje stegs NPS med 95 % konfidensintervall som ett band; "
    "under den andelen fall som faller bort före nästa steg. Varje "
    "kontaktpunkt visar sitt NPS och n, färgad efter sitt NPS; en stjärna "
    "är ett sanningens ögonblick som organisationen satt, en romb ett "
    "ögonblick som analysen funnit, en röd triangel en smärtpunkt. Under "
    "stegen: kommentarernas vanligaste teman och en kommentar. Håll "
    "pekaren över en avkortad etikett för hela texten.",
    "Varje ruta är ett steg med hur ofta det hände; en pil är ett steg som "
    "direkt följs av ett annat, så tjock som den är vanlig, med antal och "
    "mediantid; \xe2\x86\xbb räknar ett steg som direkt upprepas. "
    "Streckade linjer går tillbaka till ett tidigare steg. En lång process "
    "fortsätter på en ny rad, som text.",
    "De vanligaste vägarna genom resan, en rad steg per väg; stapeln är "
    "antalet fall, i förhållande till den vanligaste vägen. Bleka steg "
    "delas med vägen ovanför.",
};

static const char style[] =
    "body{font-family:sans-serif;margin:16px;color:#222;background:#fff;"
    "max-width:1248px}"
    "h1{font-size:22px;margin:0 0 8px}h2{font-size:17px;margin:24px 0 6px}"
    "p.legend{font-size:13px;line-height:1.45;margin:6px 0 0;"
    "max-width:1180px;color:#333}"
    "figure{margin:0}svg{display:block;max-width:100%;height:auto}";

/* Appends an SVG document inline: without its XML prolog and without the
 * namespace attribute, which HTML implies, so the page holds no URL. */
static void inline_svg(struct strbuf *out, const struct strbuf *svg)
{
    static const char ns[] = " xmlns=\"http://www.w3.org/2000/svg\"";
    const char *p = strbuf_str(svg), *s = strstr(p, "<svg");
    s = s ? s : p;
    const char *x = strstr(s, ns);
    if (x) {
        strbuf_add(out, s, (size_t)(x - s));
        s = x + sizeof ns - 1;
    }
    strbuf_puts(out, s);
}

static void section(struct strbuf *b, const char *id, const char *heading,
                    const struct strbuf *svg, const char *help)
{
    strbuf_printf(b, "<section id=\"%s\">\n<h2>%s</h2>\n<figure>\n", id,
                  heading);
    inline_svg(b, svg);
    strbuf_printf(b, "</figure>\n<p class=\"legend\">%s</p>\n</section>\n",
                  help);
}

int journey_map_render_html(struct strbuf *out, const struct journey_map *m,
                            const struct journey_process *p, struct err *err)
{
    struct strbuf map = STRBUF_INIT, proc = STRBUF_INIT, var = STRBUF_INIT,
                  b = STRBUF_INIT;
    /* a log without a journey definition: the process map alone */
    int has_map = m->n_stages > 0 || !p;
    int rc = has_map ? journey_map_render_svg(&map, m, err) : 0;
    if (rc < 0)
        goto done;
    if (p && ((rc = journey_process_svg_render(&proc, p, err)) < 0 ||
              (rc = journey_process_svg_render_variants(&var, p, err)) < 0))
        goto done;
    const struct words *w =
        journey_map_lang_sv(m->lang) == 1 ? &words_sv : &words_en;
    strbuf_printf(&b,
                  "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n"
                  "<meta charset=\"utf-8\">\n"
                  "<meta name=\"viewport\" "
                  "content=\"width=device-width, initial-scale=1\">\n"
                  "<title>",
                  w->lang);
    journey_map_put_text(&b, m->title ? m->title : w->map);
    strbuf_printf(&b, "</title>\n<style>%s</style>\n</head>\n<body>\n<h1>",
                  style);
    journey_map_put_text(&b, m->title ? m->title : w->map);
    strbuf_puts(&b, "</h1>\n");
    if (has_map)
        section(&b, "map", w->map, &map, w->map_help);
    if (p) {
        section(&b, "process", w->process, &proc, w->process_help);
        section(&b, "variants", w->variants, &var, w->variants_help);
    }
    strbuf_puts(&b, "</body>\n</html>\n");
    rc = strbuf_add(out, b.p ? b.p : "", b.n);
    if (rc < 0)
        err_set(err, rc, "journey map: the page is too large");
done:
    strbuf_dispose(&map);
    strbuf_dispose(&proc);
    strbuf_dispose(&var);
    strbuf_dispose(&b);
    return rc;
}
