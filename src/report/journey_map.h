#pragma once
/* The journey map drawn as a standalone SVG document, and as an HTML page
 * holding it with the process map and the variants (journey_process_svg.h)
 * that opens with no network (docs/journey-map.md):
 *
 *   columns  the stages in order, each headed by its name
 *   curve    the stages' NPS as a line through the column centres, with
 *            its 95% CI as a shaded band and the value, CI and n above
 *            each point
 *   drop-off between two columns, the share of cases lost before the
 *            next stage, with its CI
 *   rows     one per channel, in the given order; in each cell the
 *            stage's touchpoints of that channel, each with its NPS,
 *            marked as moment of truth (set by the organisation), measured
 *            moment (found by analysis) and pain point
 *   themes   under each stage its top themes with shares, and a verbatim
 *
 * The input is plain data, borrowed for the call: the analysis fills it,
 * the renderer only lays it out. Fixed labels are Swedish or English
 * (lang). Every text from data is escaped (escape_xml); a label too long
 * for its place is wrapped, then cut with an ellipsis, and the full text
 * is kept in a <title> child (a tooltip and for screen readers).
 *
 * The layout places every label in a box of its own: width estimated as
 * characters x font size x JOURNEY_MAP_EM_PER_CHAR (bold:
 * JOURNEY_MAP_EM_PER_CHAR_BOLD), height lines x line height. No two boxes
 * intersect; journey_map_label_boxes returns them so a test can check it.
 * Nothing is printed here. */

#include <stddef.h>

#include "stats/estimate.h"

struct err;
struct strbuf;
struct journey_process;

/* Estimated advance of one character (a UTF-8 code point), in em, of the
 * sans-serif font the map is drawn in. DejaVu Sans, Debian's default,
 * averages about 0.55 em over Swedish and English text, so 0.62 leaves
 * room for wide letters. */
#define JOURNEY_MAP_EM_PER_CHAR 0.62
#define JOURNEY_MAP_EM_PER_CHAR_BOLD 0.68

#define JOURNEY_MAP_THEMES 3 /* top themes shown per stage */

struct journey_map_theme {
    const char *label; /* display label */
    double share_pct;  /* of the stage's comments, 0..100; NaN: unknown */
};

struct journey_map_touchpoint {
    const char *key;
    const char *name;    /* display name; NULL: the key */
    const char *channel; /* one of journey_map.channels */
    int moment_of_truth; /* set by the organisation */
    int measured_moment; /* found by analysis */
    int pain;            /* a pain point */
    struct estimate nps; /* value NaN: no answers */
};

struct journey_map_stage {
    const char *key;
    const char *name;    /* display name; NULL: the key */
    struct estimate nps; /* the emotional curve; value NaN: no answers */
    /* cases that drop off before the next stage, in percent (0..100),
     * with its CI; value NaN: unknown (and always for the last stage) */
    struct estimate drop_off;
    struct journey_map_theme themes[JOURNEY_MAP_THEMES];
    size_t n_themes;
    const char *verbatim; /* a comment, already redacted; NULL: none */
    const struct journey_map_touchpoint *touchpoints;
    size_t n_touchpoints;
};

struct journey_map {
    const char *title;
    const char *lang; /* "sv" or "en" (NULL: "en"): the fixed labels */
    const struct journey_map_stage *stages;
    size_t n_stages;
    /* the channel rows, top to bottom; n_channels 0: the touchpoints'
     * channels in the order they first appear */
    const char *const *channels;
    size_t n_channels;
};

/* The most stages and channels a map can hold (wider is unreadable). */
#define JOURNEY_MAP_MAX_STAGES 24
#define JOURNEY_MAP_MAX_CHANNELS 24

/* One placed label: its box in SVG user units (x, y the top left). */
struct journey_map_box {
    double x, y, w, h;
    const char *what; /* static: "stage", "touchpoint", "nps", ... */
};

/* Appends the map as a standalone SVG document (an XML prolog, one <svg>
 * root) to out. ERR_INVALID with a message in err for no stages, too many
 * stages or channels, a stage or touchpoint without a key, a touchpoint
 * whose channel is not one of the channels, a language not "sv" or "en",
 * or when out's maximum size is reached (out is then left as it was). */
int journey_map_render_svg(struct strbuf *out, const struct journey_map *m,
                           struct err *err);

/* The label boxes the layout of journey_map_render_svg places, in the
 * order drawn. On success *out is new (caller frees with free()) and *n
 * its length. Errors as journey_map_render_svg. */
int journey_map_label_boxes(struct journey_map_box **out, size_t *n,
                            const struct journey_map *m, struct err *err);

/* Appends an HTML5 page (UTF-8, lang from m, inline CSS, no script, no
 * external URL) with the map, and when p is not NULL the process map and
 * the variants (journey_process_svg.h), each under a heading, and a
 * legend. With p and a map of no stages (an event log without a journey
 * definition) the page holds the process map and the variants alone. Errors as journey_map_render_svg and journey_process_svg. */
int journey_map_render_html(struct strbuf *out, const struct journey_map *m,
                            const struct journey_process *p, struct err *err);
