/* patterns_svg.h: ternary plots and dyad histograms as SVG. */
#include "report/patterns_svg.h"

#include <math.h>
#include <string.h>

#include "analysis/patterns.h"
#include "core/escape.h"
#include "core/strbuf.h"

static const char *const default_corners[3] = {"a", "b", "c"};
/* Colour-blind-safe (Okabe-Ito) for the groups; the overall row is
 * black. */
static const char *const palette[] = {"#0072B2", "#D55E00", "#009E73",
                                      "#CC79A7", "#E69F00", "#56B4E9",
                                      "#F0E442", "#999999"};
#define N_PALETTE (sizeof palette / sizeof *palette)

#define W 640.0
#define H 600.0
/* The triangle: corner 1 bottom left, 2 bottom right, 3 on top. */
static const double corner_xy[3][2] = {
    {70, 520}, {570, 520}, {320, 520 - 500 * 0.8660254037844386}};

/* Text from data, escaped. */
static int put_text(struct strbuf *b, const char *s)
{
    return escape_xml(b, s ? s : "", s ? strlen(s) : 0);
}

static void to_xy(const double x[3], double *px, double *py)
{
    *px = *py = 0;
    for (int p = 0; p < 3; p++) {
        *px += x[p] * corner_xy[p][0];
        *py += x[p] * corner_xy[p][1];
    }
}

/* A point at grid steps (i, j) of parts 1 and 2. */
static void grid_xy(double i, double j, double *px, double *py)
{
    double x[3] = {i / PATTERNS_GRID, j / PATTERNS_GRID,
                   1 - (i + j) / PATTERNS_GRID};
    to_xy(x, px, py);
}

static const char *row_name(const char *group, const char *name)
{
    return group ? name : "all";
}

static void head(struct strbuf *b, double w, double h)
{
    strbuf_printf(b,
                  "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                  "<svg xmlns=\"http://www.w3.org/2000/svg\" "
                  "width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" "
                  "role=\"img\" aria-labelledby=\"t d\" "
                  "font-family=\"sans-serif\" font-size=\"13\">\n",
                  w, h, w, h);
}

static void triad_desc(struct strbuf *b, const struct patterns_result *p,
                       const char *const *c)
{
    strbuf_puts(b, "<title id=\"t\">Triad ");
    put_text(b, p->key);
    strbuf_printf(b, ": where %lld stories were placed</title>\n",
                  (long long)p->n);
    strbuf_puts(b, "<desc id=\"d\">A triangle with corners ");
    for (int k = 0; k < 3; k++) {
        strbuf_puts(b, k == 2 ? " and " : k ? ", " : "");
        put_text(b, c[k]);
    }
    strbuf_puts(b, ". Shaded cells count the stories placed there. "
                   "Compositional means:");
    for (size_t i = 0; i < p->n_triad_rows; i++) {
        const struct patterns_triad_row *r = &p->triad_rows[i];
        strbuf_puts(b, i ? "; " : " ");
        put_text(b, row_name(r->group, r->group_name));
        strbuf_printf(b, " (n %lld) ", (long long)r->n);
        for (int k = 0; k < 3; k++) {
            put_text(b, c[k]);
            strbuf_printf(b, " %.2f%s", r->center[k], k < 2 ? ", " : "");
        }
    }
    strbuf_puts(b, ".</desc>\n");
}

static void triad_svg(struct strbuf *b, const struct patterns_result *p,
                      const char *const *c)
{
    int64_t max = 0;
    for (size_t k = 0; k < PATTERNS_CELLS; k++)
        if (p->cells[k].count > max)
            max = p->cells[k].count;
    head(b, W, H);
    triad_desc(b, p, c);
    strbuf_puts(b,
                "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n"
                "<g id=\"cells\" stroke=\"#dddddd\" stroke-width=\"0.5\">\n");
    for (size_t k = 0; k < PATTERNS_CELLS; k++) {
        const struct patterns_cell *cell = &p->cells[k];
        double v[3][2];
        double i = cell->i, j = cell->j;
        if (cell->down) {
            grid_xy(i + 1, j, &v[0][0], &v[0][1]);
            grid_xy(i, j + 1, &v[1][0], &v[1][1]);
            grid_xy(i + 1, j + 1, &v[2][0], &v[2][1]);
        } else {
            grid_xy(i, j, &v[0][0], &v[0][1]);
            grid_xy(i + 1, j, &v[1][0], &v[1][1]);
            grid_xy(i, j + 1, &v[2][0], &v[2][1]);
        }
        double op = max ? 0.9 * (double)cell->count / (double)max : 0;
        strbuf_printf(b,
                      "<polygon points=\"%.1f,%.1f %.1f,%.1f %.1f,%.1f\" "
                      "fill=\"#3b6ea5\" fill-opacity=\"%.3f\"><title>%lld"
                      "</title></polygon>\n",
                      v[0][0], v[0][1], v[1][0], v[1][1], v[2][0], v[2][1], op,
                      (long long)cell->count);
    }
    strbuf_puts(b, "</g>\n");
    strbuf_printf(b,
                  "<polygon points=\"%.1f,%.1f %.1f,%.1f %.1f,%.1f\" "
                  "fill=\"none\" stroke=\"#333333\" stroke-width=\"1.5\"/>\n",
                  corner_xy[0][0], corner_xy[0][1], corner_xy[1][0],
                  corner_xy[1][1], corner_xy[2][0], corner_xy[2][1]);
    static const char *const anchor[3] = {"end", "start", "middle"};
    static const double off[3][2] = {{-8, 18}, {8, 18}, {0, -12}};
    for (int k = 0; k < 3; k++) {
        strbuf_printf(b,
                      "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" "
                      "font-weight=\"bold\">",
                      corner_xy[k][0] + off[k][0], corner_xy[k][1] + off[k][1],
                      anchor[k]);
        put_text(b, c[k]);
        strbuf_puts(b, "</text>\n");
    }
    strbuf_puts(b, "<g id=\"means\">\n");
    for (size_t i = 0; i < p->n_triad_rows; i++) {
        const struct patterns_triad_row *r = &p->triad_rows[i];
        const char *col = i == 0 ? "#000000" : palette[(i - 1) % N_PALETTE];
        double x, y;
        if (isnan(r->center[0]))
            continue;
        strbuf_puts(b, "<g><title>");
        put_text(b, row_name(r->group, r->group_name));
        strbuf_printf(b, ", n %lld</title>\n", (long long)r->n);
        if (r->has_region) {
            strbuf_puts(b, "<polygon points=\"");
            for (int s = 0; s < PATTERNS_REGION_POINTS; s++) {
                to_xy(r->region[s], &x, &y);
                strbuf_printf(b, "%s%.1f,%.1f", s ? " " : "", x, y);
            }
            strbuf_printf(b,
                          "\" fill=\"%s\" fill-opacity=\"0.15\" "
                          "stroke=\"%s\" stroke-width=\"1\"/>\n",
                          col, col);
        }
        to_xy(r->center, &x, &y);
        strbuf_printf(b,
                      "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\" fill=\"%s\"/>\n"
                      "<text x=\"%.1f\" y=\"%.1f\" fill=\"%s\">",
                      x, y, col, x + 7, y - 6, col);
        put_text(b, row_name(r->group, r->group_name));
        strbuf_puts(b, "</text>\n</g>\n");
    }
    strbuf_puts(b, "</g>\n</svg>\n");
}

/* ---- dyad ---- */

#define DX0 60.0
#define DX1 580.0
#define DY0 40.0  /* top of the bars */
#define DY1 260.0 /* the axis */

static double dyad_x(double v)
{
    return DX0 + v * (DX1 - DX0);
}

static void dyad_svg(struct strbuf *b, const struct patterns_result *p)
{
    int64_t max = 1;
    size_t groups = p->n_dyad_rows > 1 ? p->n_dyad_rows - 1 : 0;
    double h = DY1 + 50 + 22.0 * (double)groups + 10;
    for (int k = 0; k < PATTERNS_DYAD_BINS; k++)
        if (p->bins[k] > max)
            max = p->bins[k];
    head(b, W, h);
    strbuf_puts(b, "<title id=\"t\">Dyad ");
    put_text(b, p->key);
    strbuf_printf(b,
                  ": where %lld answers were placed between 0 and 1"
                  "</title>\n<desc id=\"d\">A histogram of %d bins.",
                  (long long)p->n, PATTERNS_DYAD_BINS);
    for (size_t i = 0; i < p->n_dyad_rows; i++) {
        const struct patterns_dyad_row *r = &p->dyad_rows[i];
        strbuf_puts(b, i ? "; " : " Means: ");
        put_text(b, row_name(r->group, r->group_name));
        strbuf_printf(b, " %.2f (n %lld)", r->mean.value, (long long)r->mean.n);
    }
    strbuf_puts(b, ".</desc>\n<rect width=\"100%\" height=\"100%\" "
                   "fill=\"#ffffff\"/>\n<g id=\"bins\" fill=\"#3b6ea5\">\n");
    double bw = (DX1 - DX0) / PATTERNS_DYAD_BINS;
    for (int k = 0; k < PATTERNS_DYAD_BINS; k++) {
        double bh = (DY1 - DY0) * (double)p->bins[k] / (double)max;
        strbuf_printf(b,
                      "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
                      "height=\"%.1f\"><title>%lld</title></rect>\n",
                      DX0 + k * bw + 1, DY1 - bh, bw - 2, bh,
                      (long long)p->bins[k]);
    }
    strbuf_puts(b, "</g>\n");
    strbuf_printf(b,
                  "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
                  "stroke=\"#333333\"/>\n",
                  DX0, DY1, DX1, DY1);
    for (int k = 0; k <= 10; k += 5)
        strbuf_printf(b,
                      "<text x=\"%.1f\" y=\"%.1f\" "
                      "text-anchor=\"middle\">%.1f</text>\n",
                      dyad_x(k / 10.0), DY1 + 18, k / 10.0);
    if (p->n_dyad_rows) {
        double x = dyad_x(p->dyad_rows[0].mean.value);
        strbuf_printf(b,
                      "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
                      "stroke=\"#000000\" stroke-dasharray=\"4 3\"><title>"
                      "mean %.3f</title></line>\n",
                      x, DY0 - 10, x, DY1, p->dyad_rows[0].mean.value);
    }
    for (size_t i = 1; i < p->n_dyad_rows; i++) {
        const struct patterns_dyad_row *r = &p->dyad_rows[i];
        const char *col = palette[(i - 1) % N_PALETTE];
        double y = DY1 + 40 + 22.0 * (double)(i - 1);
        double lo = isnan(r->mean.lo) ? r->mean.value : r->mean.lo;
        double hi = isnan(r->mean.hi) ? r->mean.value : r->mean.hi;
        strbuf_printf(b,
                      "<g fill=\"%s\" stroke=\"%s\"><line x1=\"%.1f\" "
                      "y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>"
                      "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\"/>"
                      "<text x=\"%.1f\" y=\"%.1f\" stroke=\"none\" "
                      "text-anchor=\"%s\">",
                      col, col, dyad_x(lo), y, dyad_x(hi), y,
                      dyad_x(r->mean.value), y,
                      /* the label right of the CI, or left of it when the
                       * CI reaches the right half's end */
                      hi > 0.7 ? dyad_x(lo) - 8 : dyad_x(hi) + 8, y + 4,
                      hi > 0.7 ? "end" : "start");
        put_text(b, r->group_name);
        strbuf_printf(b, " (n %lld)</text></g>\n", (long long)r->mean.n);
    }
    strbuf_puts(b, "</svg>\n");
}

int patterns_svg_render(struct strbuf *out, const struct patterns_result *p,
                        const char *const *corners)
{
    /* built whole in a buffer without a maximum (its size is bounded by
     * the cells and groups), then appended in one piece, so a maximum
     * reached leaves out as it was rather than holding half a document */
    struct strbuf b = STRBUF_INIT;
    if (p->kind == PATTERNS_TRIAD)
        triad_svg(&b, p, corners ? corners : default_corners);
    else
        dyad_svg(&b, p);
    int rc = strbuf_add(out, b.p ? b.p : "", b.n);
    strbuf_dispose(&b);
    return rc;
}
