#pragma once
/* Sense-making patterns (analysis/patterns.h) drawn as a standalone SVG
 * document, rendered on the server like every page and chart:
 *
 *   triad  the triangle with its corners labelled, the ternary
 *          histogram as cells shaded by their count, each row's
 *          compositional mean (overall in black, groups in colours) as a
 *          labelled point with its 95% region as an outline
 *   dyad   the histogram's bars over 0..1 with the overall mean as a
 *          line, and below it each group's mean with its t CI
 *
 * The document is well-formed XML (UTF-8, one <svg> root in the SVG
 * namespace) with a <title> and a <desc> that says in words what the
 * picture shows (screen readers), and every label from data (corner
 * labels, group names, the question key) is escaped (escape_xml in
 * core/escape.h). Nothing is printed here. */

struct patterns_result;
struct strbuf;

/* Appends the SVG for p to out. corners: the triad's three corner labels
 * (NULL: "a", "b", "c"), borrowed. Returns 0, or ERR_INVALID when out's
 * maximum size is reached (as strbuf_add). */
int patterns_svg_render(struct strbuf *out, const struct patterns_result *p,
                        const char *const *corners);
