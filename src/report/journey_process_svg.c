/* journey_process_svg.h: the process map and the variant diagram. */
#include "report/journey_process_svg.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/strbuf.h"
#include "core/xalloc.h"
#include "report/journey_map_int.h"

struct words {
    int sv;
    const char *process, *variants, *start, *end, *cases;
    const char *none, *more;
};

static const struct words words_en = {
    .sv = 0,
    .process = "Process map",
    .variants = "Variants",
    .start = "Start",
    .end = "End",
    .cases = "cases",
    .none = "no variants",
    .more = "more steps",
};

static const struct words words_sv = {
    .sv = 1,
    .process = "Processkarta",
    .variants = "Varianter",
    .start = "Start",
    .end = "Slut",
    .cases = "fall",
    .none = "inga varianter",
    .more = "fler steg",
};

#define M 16.0
#define NODE_W 112.0
#define NODE_H 50.0
#define GAP_X 72.0
#define TARGET_W 1180.0 /* fits a 1280 px window */
#define GAP_Y 26.0
#define TOP 44.0
#define SWEEPS 4

static const char *const ink = "#222222";

static int validate(const struct journey_process *p, const struct words **w,
                    struct err *err)
{
    int sv = journey_map_lang_sv(p->lang);
    *w = &words_en;
    if (sv < 0)
        return err_set(err, ERR_INVALID,
                       "process map: language must be sv or en, got \"%s\"",
                       p->lang);
    *w = sv ? &words_sv : &words_en;
    if (p->n_nodes == 0 || !p->nodes)
        return err_set(err, ERR_INVALID, "process map: no steps");
    if (p->n_nodes > JOURNEY_PROCESS_MAX_NODES)
        return err_set(err, ERR_INVALID,
                       "process map: %zu steps, at most %d can be drawn",
                       p->n_nodes, JOURNEY_PROCESS_MAX_NODES);
    if (p->n_edges && !p->edges)
        return err_set(err, ERR_INVALID, "process map: no edges array");
    for (size_t i = 0; i < p->n_edges; i++) {
        const struct journey_process_edge *e = &p->edges[i];
        int from_ok = e->from < p->n_nodes || e->from == JOURNEY_PROCESS_START;
        int to_ok = e->to < p->n_nodes || e->to == JOURNEY_PROCESS_END;
        if (!from_ok || !to_ok)
            return err_set(err, ERR_INVALID,
                           "process map: edge %zu names a step that does "
                           "not exist",
                           i + 1);
    }
    if (p->n_variants && !p->variants)
        return err_set(err, ERR_INVALID, "process map: no variants array");
    for (size_t i = 0; i < p->n_variants; i++) {
        const struct journey_process_variant *v = &p->variants[i];
        if (v->len && !v->steps)
            return err_set(err, ERR_INVALID,
                           "process map: variant %zu has no steps", i + 1);
        for (size_t k = 0; k < v->len; k++)
            if (v->steps[k] >= p->n_nodes)
                return err_set(err, ERR_INVALID,
                               "process map: variant %zu names a step that "
                               "does not exist",
                               i + 1);
    }
    return 0;
}

/* Seconds as "45 s", "12 min", "3.4 h", "2.1 d". */
static const char *fmt_wait(char *buf, size_t n, double s)
{
    if (isnan(s))
        snprintf(buf, n, "-");
    else if (s < 60)
        snprintf(buf, n, "%.0f s", s);
    else if (s < 3600)
        snprintf(buf, n, "%.0f min", s / 60);
    else if (s < 86400)
        snprintf(buf, n, "%.1f h", s / 3600);
    else
        snprintf(buf, n, "%.1f d", s / 86400);
    return buf;
}

static void head(struct strbuf *b, const char *cls, const char *id, double w,
                 double h)
{
    strbuf_printf(b,
                  "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                  "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"%s\" "
                  "width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" "
                  "role=\"img\" aria-labelledby=\"%s-t %s-d\" "
                  "font-family=\"sans-serif\" font-size=\"12\">\n",
                  cls, w, h, w, h, id, id);
}

static struct journey_map_label *add(struct journey_map_labels *ls, double size,
                                     int bold, enum journey_map_anchor a,
                                     const char *fill, const char *what,
                                     double ax, double top, const char *text,
                                     double max_w, size_t max_lines)
{
    struct journey_map_style st = {size, bold, 0, a, fill, 0, what};
    return journey_map_labels_add(ls, &st, ax, top, text, max_w, max_lines);
}

/* ---- the process map ---- */

/* A kept edge between graph nodes: 0..n_nodes-1 the steps, then start
 * and end. */
struct kedge {
    size_t u, v, count, src; /* src: index into p->edges */
    double median_s;
    int back;
};

struct graph {
    size_t n; /* nodes: steps, start, end */
    size_t S, E;
    struct kedge *e;
    size_t n_e;
    int *kept;
    size_t *loops; /* self-edge counts */
    int *layer;
    double *pos; /* place in its layer */
    int n_layers;
    size_t rare; /* edges not kept */
};

static void graph_dispose(struct graph *g)
{
    free(g->e);
    free(g->kept);
    free(g->loops);
    free(g->layer);
    free(g->pos);
}

static int by_count(const void *a, const void *b)
{
    const struct kedge *x = a, *y = b;
    if (x->count != y->count)
        return x->count > y->count ? -1 : 1;
    if (x->u != y->u)
        return x->u < y->u ? -1 : 1;
    if (x->v != y->v)
        return x->v < y->v ? -1 : 1;
    return x->src < y->src ? -1 : x->src > y->src;
}

/* Marks as back the edges a depth-first walk, most frequent edges first,
 * finds going to a node still on its path: what is left has no cycle. */
static void break_cycles(struct graph *g)
{
    int *state = xcalloc(g->n, sizeof *state);
    size_t *stack = xcalloc(g->n, sizeof *stack);
    size_t *next = xcalloc(g->n, sizeof *next);
    for (size_t r = 0; r <= g->n; r++) {
        size_t root = r == 0 ? g->S : r - 1;
        if (!g->kept[root] || state[root])
            continue;
        size_t top = 0;
        stack[top++] = root;
        state[root] = 1;
        next[root] = 0;
        while (top) {
            size_t u = stack[top - 1];
            int pushed = 0;
            while (next[u] < g->n_e) {
                struct kedge *e = &g->e[next[u]++];
                if (e->u != u)
                    continue;
                if (state[e->v] == 1) {
                    e->back = 1;
                } else if (state[e->v] == 0) {
                    state[e->v] = 1;
                    next[e->v] = 0;
                    stack[top++] = e->v;
                    pushed = 1;
                    break;
                }
            }
            if (!pushed && stack[top - 1] == u) {
                state[u] = 2;
                top--;
            }
        }
    }
    free(state);
    free(stack);
    free(next);
}

/* Each node in the layer of its longest path from the start over the
 * forward edges (start 0, steps from 1, end last). */
static void assign_layers(struct graph *g)
{
    size_t *indeg = xcalloc(g->n, sizeof *indeg);
    size_t *queue = xcalloc(g->n, sizeof *queue);
    size_t qh = 0, qt = 0;
    for (size_t i = 0; i < g->n; i++)
        g->layer[i] = i == g->S ? 0 : 1;
    for (size_t k = 0; k < g->n_e; k++)
        if (!g->e[k].back)
            indeg[g->e[k].v]++;
    for (size_t i = 0; i < g->n; i++)
        if (g->kept[i] && indeg[i] == 0)
            queue[qt++] = i;
    while (qh < qt) {
        size_t u = queue[qh++];
        for (size_t k = 0; k < g->n_e; k++) {
            const struct kedge *e = &g->e[k];
            if (e->back || e->u != u)
                continue;
            if (g->layer[e->v] < g->layer[u] + 1)
                g->layer[e->v] = g->layer[u] + 1;
            if (--indeg[e->v] == 0)
                queue[qt++] = e->v;
        }
    }
    int last = 0;
    for (size_t i = 0; i < g->n; i++)
        if (g->kept[i] && i != g->E && g->layer[i] > last)
            last = g->layer[i];
    g->layer[g->E] = last + 1;
    g->n_layers = last + 2;
    free(indeg);
    free(queue);
}

struct slot {
    size_t node;
    double key, pos;
};

static int by_key(const void *a, const void *b)
{
    const struct slot *x = a, *y = b;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    return x->pos < y->pos ? -1 : x->pos > y->pos;
}

/* Orders each layer by its neighbours' mean place (the barycentre
 * heuristic), sweeping down and up a few times; places are centred, so
 * layers of different sizes line up. */
static void order_layers(struct graph *g, const struct journey_process *p)
{
    size_t *size = xcalloc((size_t)g->n_layers, sizeof *size);
    size_t biggest = 0;
    struct slot *s = xcalloc(g->n, sizeof *s);
    /* first: by count, most first, then by index */
    for (int l = 0; l < g->n_layers; l++) {
        size_t k = 0;
        for (size_t i = 0; i < g->n; i++)
            if (g->kept[i] && g->layer[i] == l) {
                double c = i < p->n_nodes ? (double)p->nodes[i].count : 0;
                s[k++] = (struct slot){i, -c, (double)i};
            }
        qsort(s, k, sizeof *s, by_key);
        for (size_t j = 0; j < k; j++)
            g->pos[s[j].node] = (double)j;
        size[l] = k;
        if (k > biggest)
            biggest = k;
    }
    for (size_t i = 0; i < g->n; i++)
        if (g->kept[i])
            g->pos[i] += ((double)biggest - (double)size[g->layer[i]]) / 2;
    for (int sweep = 0; sweep < 2 * SWEEPS; sweep++) {
        int down = sweep % 2 == 0;
        for (int step = 1; step < g->n_layers; step++) {
            int l = down ? step : g->n_layers - 1 - step;
            size_t k = 0;
            for (size_t i = 0; i < g->n; i++) {
                if (!g->kept[i] || g->layer[i] != l)
                    continue;
                double sum = 0, n = 0;
                for (size_t j = 0; j < g->n_e; j++) {
                    const struct kedge *e = &g->e[j];
                    if (e->back)
                        continue;
                    if (down && e->v == i)
                        sum += g->pos[e->u], n++;
                    if (!down && e->u == i)
                        sum += g->pos[e->v], n++;
                }
                s[k++] = (struct slot){i, n ? sum / n : g->pos[i], g->pos[i]};
            }
            qsort(s, k, sizeof *s, by_key);
            double off = ((double)biggest - (double)k) / 2;
            for (size_t j = 0; j < k; j++)
                g->pos[s[j].node] = off + (double)j;
        }
    }
    free(size);
    free(s);
}

static void graph_build(struct graph *g, const struct journey_process *p)
{
    memset(g, 0, sizeof *g);
    g->n = p->n_nodes + 2;
    g->S = p->n_nodes;
    g->E = p->n_nodes + 1;
    g->e = xcalloc(p->n_edges ? p->n_edges : 1, sizeof *g->e);
    g->kept = xcalloc(g->n, sizeof *g->kept);
    g->loops = xcalloc(g->n, sizeof *g->loops);
    g->layer = xcalloc(g->n, sizeof *g->layer);
    g->pos = xcalloc(g->n, sizeof *g->pos);
    g->kept[g->S] = g->kept[g->E] = 1;
    for (size_t i = 0; i < p->n_edges; i++) {
        const struct journey_process_edge *pe = &p->edges[i];
        size_t u = pe->from == JOURNEY_PROCESS_START ? g->S : pe->from;
        size_t v = pe->to == JOURNEY_PROCESS_END ? g->E : pe->to;
        if (pe->count < p->min_count || pe->count == 0) {
            g->rare++;
            continue;
        }
        if (u == v) {
            g->kept[u] = 1;
            g->loops[u] += pe->count;
            continue;
        }
        g->e[g->n_e++] = (struct kedge){u, v, pe->count, i, pe->median_s, 0};
    }
    /* most frequent first: the walk takes them first, and their labels
     * are placed first; past the most a picture can show, the rarest go */
    qsort(g->e, g->n_e, sizeof *g->e, by_count);
    if (g->n_e > JOURNEY_PROCESS_MAX_EDGES) {
        g->rare += g->n_e - JOURNEY_PROCESS_MAX_EDGES;
        g->n_e = JOURNEY_PROCESS_MAX_EDGES;
    }
    for (size_t k = 0; k < g->n_e; k++)
        g->kept[g->e[k].u] = g->kept[g->e[k].v] = 1;
    break_cycles(g);
    assign_layers(g);
    order_layers(g, p);
}

/* Layers wrap into bands of at most per_row, top to bottom, like lines
 * of text, so a long process stays readable in a 1280 px window. Under
 * each band runs a lane per edge that leaves it (to a later band, or
 * back). */
struct bands {
    int per_row, n;
    double nodes_h;  /* height of a band's nodes */
    double *top;     /* [n]: a band's top */
    size_t *lanes;   /* [n]: lanes under a band */
    size_t *lane_of; /* [n_e]: an edge's lane, under its source's band */
};

#define LM (M + 14) /* room left of the first column for wrapped edges */
#define LANE_H 30.0 /* a lane: its line and a two-line label */

static int band_of(const struct graph *g, const struct bands *bd, size_t i)
{
    return g->layer[i] / bd->per_row;
}

/* 1 for an edge drawn along a lane: back, to a later band, or past a
 * layer (drawn straight it would cross the steps between). */
static int routed(const struct graph *g, const struct bands *bd,
                  const struct kedge *e)
{
    return e->back || band_of(g, bd, e->u) != band_of(g, bd, e->v) ||
           g->layer[e->v] - g->layer[e->u] > 1;
}

static void bands_place(struct bands *bd, const struct graph *g)
{
    double biggest = 0;
    for (size_t i = 0; i < g->n; i++)
        if (g->kept[i])
            biggest = fmax(biggest, g->pos[i] + 1);
    bd->per_row = (int)((TARGET_W - LM - M + GAP_X) / (NODE_W + GAP_X));
    if (bd->per_row < 2)
        bd->per_row = 2;
    bd->n = (g->n_layers + bd->per_row - 1) / bd->per_row;
    bd->nodes_h = biggest * (NODE_H + GAP_Y) - GAP_Y;
    bd->top = xcalloc((size_t)bd->n, sizeof *bd->top);
    bd->lanes = xcalloc((size_t)bd->n, sizeof *bd->lanes);
    bd->lane_of = xcalloc(g->n_e ? g->n_e : 1, sizeof *bd->lane_of);
    for (size_t k = 0; k < g->n_e; k++)
        if (routed(g, bd, &g->e[k]))
            bd->lane_of[k] = bd->lanes[band_of(g, bd, g->e[k].u)]++;
    double y = TOP;
    for (int b = 0; b < bd->n; b++) {
        bd->top[b] = y;
        y += bd->nodes_h + 20 + LANE_H * (double)bd->lanes[b] + 16;
    }
}

static void bands_dispose(struct bands *bd)
{
    free(bd->top);
    free(bd->lanes);
    free(bd->lane_of);
}

static double node_x(const struct graph *g, const struct bands *bd, size_t i)
{
    return LM + (double)(g->layer[i] % bd->per_row) * (NODE_W + GAP_X);
}

static double node_y(const struct graph *g, const struct bands *bd, size_t i)
{
    return bd->top[band_of(g, bd, i)] + g->pos[i] * (NODE_H + GAP_Y);
}

/* An edge's way: a cubic Bezier (4 points) or a polyline. */
struct route {
    int curve;
    size_t n;
    double x[6], y[6];
};

static void route_of(struct route *r, const struct graph *g,
                     const struct bands *bd, size_t k)
{
    const struct kedge *e = &g->e[k];
    double xu = node_x(g, bd, e->u), yu = node_y(g, bd, e->u);
    double xv = node_x(g, bd, e->v), yv = node_y(g, bd, e->v);
    memset(r, 0, sizeof *r);
    if (!routed(g, bd, e)) {
        double x0 = xu + NODE_W, x3 = xv - 2, dx = fmax(30, (x3 - x0) / 2);
        double xs[4] = {x0, x0 + dx, x3 - dx, x3};
        double ys[4] = {yu + NODE_H / 2, yu + NODE_H / 2, yv + NODE_H / 2,
                        yv + NODE_H / 2};
        r->curve = 1;
        r->n = 4;
        memcpy(r->x, xs, sizeof xs);
        memcpy(r->y, ys, sizeof ys);
        return;
    }
    size_t lane = bd->lane_of[k];
    double ly = bd->top[band_of(g, bd, e->u)] + bd->nodes_h + 20 +
                LANE_H * (double)lane + 8;
    double jog = 3 * (double)(lane % 4);
    if (!e->back && band_of(g, bd, e->u) != band_of(g, bd, e->v)) {
        /* down to the lane, left along it, down to the later band */
        double x1 = xu + NODE_W + 12 + jog, x2 = xv - 12 - jog;
        double xs[6] = {xu + NODE_W, x1, x1, x2, x2, xv - 2};
        double ys[6] = {yu + NODE_H / 2, yu + NODE_H / 2, ly, ly,
                        yv + NODE_H / 2, yv + NODE_H / 2};
        r->n = 6;
        memcpy(r->x, xs, sizeof xs);
        memcpy(r->y, ys, sizeof ys);
    } else {
        /* from under the source along the lane to under the target, in
         * the same band or back */
        double x1 = xu + NODE_W / 2 + 8 + jog, x2 = xv + NODE_W / 2 - 8 - jog;
        double xs[4] = {x1, x1, x2, x2};
        double ys[4] = {yu + NODE_H, ly, ly, yv + NODE_H + 2};
        r->n = 4;
        memcpy(r->x, xs, sizeof xs);
        memcpy(r->y, ys, sizeof ys);
    }
}

/* The point at t (0..1) along r: of the Bezier's parameter, or of the
 * polyline's length. */
static void route_point(const struct route *r, double t, double *x, double *y)
{
    if (r->curve) {
        double a = (1 - t) * (1 - t) * (1 - t), b = 3 * (1 - t) * (1 - t) * t,
               c = 3 * (1 - t) * t * t, d = t * t * t;
        *x = a * r->x[0] + b * r->x[1] + c * r->x[2] + d * r->x[3];
        *y = a * r->y[0] + b * r->y[1] + c * r->y[2] + d * r->y[3];
        return;
    }
    double total = 0, seg[5] = {0};
    for (size_t i = 0; i + 1 < r->n; i++) {
        seg[i] = hypot(r->x[i + 1] - r->x[i], r->y[i + 1] - r->y[i]);
        total += seg[i];
    }
    double want = t * total;
    *x = r->x[r->n - 1];
    *y = r->y[r->n - 1];
    for (size_t i = 0; i + 1 < r->n; i++) {
        if (want <= seg[i] && seg[i] > 0) {
            double f = want / seg[i];
            *x = r->x[i] + f * (r->x[i + 1] - r->x[i]);
            *y = r->y[i] + f * (r->y[i + 1] - r->y[i]);
            return;
        }
        want -= seg[i];
    }
}

static void route_write(struct strbuf *b, const struct route *r)
{
    strbuf_printf(b, "M%.1f,%.1f %s", r->x[0], r->y[0], r->curve ? "C" : "L");
    for (size_t i = 1; i < r->n; i++)
        strbuf_printf(b, "%.1f,%.1f%s", r->x[i], r->y[i],
                      i + 1 < r->n ? " " : "");
}

static const char *node_name(const struct graph *g, const struct words *w,
                             const struct journey_process *p, size_t i)
{
    const char *s = i == g->S   ? w->start
                    : i == g->E ? w->end
                                : p->nodes[i].label;
    return s ? s : "";
}

/* The line under the map: what the threshold left out. */
static void note(char *buf, size_t size, const struct words *w,
                 const struct journey_process *p, size_t rare, size_t hidden)
{
    int n;
    if (w->sv)
        n = snprintf(buf, size,
                     "Övergångar med färre än %zu förekomster visas inte "
                     "(%zu av %zu).",
                     p->min_count, rare, p->n_edges);
    else
        n = snprintf(buf, size,
                     "Edges seen fewer than %zu times are not drawn (%zu of "
                     "%zu).",
                     p->min_count, rare, p->n_edges);
    if (!hidden || n < 0 || (size_t)n >= size)
        return;
    if (w->sv)
        snprintf(buf + n, size - (size_t)n, " Steg som inte visas: %zu.",
                 hidden);
    else
        snprintf(buf + n, size - (size_t)n, " Steps not drawn: %zu.", hidden);
}

/* Places each edge's label at the first place along it, of a few, where
 * it meets no node and no other label; leaves it out when there is none
 * (its <title> still says it). Most frequent edges first. */
static void label_edges(struct journey_map_labels *ls, const struct graph *g,
                        const struct bands *bd,
                        const struct journey_map_box *obst, size_t n_obst,
                        double W)
{
    static const double ts[] = {0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8, 0.1, 0.9};
    char buf[96], t[32];
    for (size_t k = 0; k < g->n_e; k++) {
        const struct kedge *e = &g->e[k];
        struct route r;
        route_of(&r, g, bd, k);
        /* the count on one line, the wait on the next; from the start and
         * to the end there is no wait */
        int a = snprintf(buf, sizeof buf, "%zu", e->count);
        double cw = 10 * JOURNEY_MAP_EM_PER_CHAR, mw = cw * (double)a + 1;
        if (e->u != g->S && e->v != g->E) {
            fmt_wait(t, sizeof t, e->median_s);
            mw = cw * fmax((double)a + 2, (double)strlen(t)) + 1;
            snprintf(buf + a, sizeof buf - (size_t)a, " \xc2\xb7 %s", t);
        }
        struct journey_map_label *l =
            add(ls, 10, 0, JM_MIDDLE, "#333333", "edge", 0, 0, buf, mw, 2);
        l->st.halo = 1;
        int placed = 0;
        for (size_t c = 0; c < sizeof ts / sizeof *ts && !placed; c++) {
            double x, y;
            route_point(&r, ts[c], &x, &y);
            journey_map_label_move(l, x - l->box.w / 2, y - l->box.h / 2);
            if (l->box.x < 2 || l->box.x + l->box.w > W - 2 || l->box.y < 30)
                continue;
            int free_ = 1;
            for (size_t j = 0; j < n_obst && free_; j++)
                free_ = !journey_map_box_hits(&l->box, &obst[j], 3);
            for (size_t j = 0; j + 1 < ls->n && free_; j++)
                free_ = !journey_map_box_hits(&l->box, &ls->v[j].box, 2);
            placed = free_;
        }
        if (!placed)
            journey_map_labels_pop(ls);
    }
}

int journey_process_svg_render(struct strbuf *out,
                               const struct journey_process *p, struct err *err)
{
    const struct words *w = NULL;
    struct graph g;
    struct bands bd;
    struct journey_map_labels ls = JOURNEY_MAP_LABELS_INIT;
    struct journey_map_box *obst = NULL;
    struct strbuf b = STRBUF_INIT;
    char t1[64], buf[256];
    int rc = validate(p, &w, err);
    memset(&g, 0, sizeof g);
    memset(&bd, 0, sizeof bd);
    if (rc < 0)
        goto done;
    graph_build(&g, p);
    bands_place(&bd, &g);

    int cols = g.n_layers < bd.per_row ? g.n_layers : bd.per_row;
    /* room right of the last column for an edge leaving it down to a
     * lane (NODE_W + 12 + its jog) */
    double W = fmax(520, LM + M + (double)cols * (NODE_W + GAP_X) - GAP_X + 24);
    size_t max_count = 1, hidden = 0;
    for (size_t i = 0; i < g.n; i++)
        hidden += !g.kept[i];
    for (size_t k = 0; k < g.n_e; k++)
        if (g.e[k].count > max_count)
            max_count = g.e[k].count;

    snprintf(buf, sizeof buf, "%s: %zu %s", w->process, p->n_cases, w->cases);
    add(&ls, 14, 1, JM_START, ink, "title", M, 10, buf, W - 2 * M, 1);
    /* node labels; the nodes are obstacles for the edge labels */
    obst = xcalloc(g.n, sizeof *obst);
    size_t n_obst = 0;
    for (size_t i = 0; i < g.n; i++) {
        if (!g.kept[i])
            continue;
        double x = node_x(&g, &bd, i), y = node_y(&g, &bd, i);
        int term = i == g.S || i == g.E;
        obst[n_obst++] = (struct journey_map_box){x, y, NODE_W, NODE_H, "node"};
        struct journey_map_label *l =
            add(&ls, 11, 1, JM_MIDDLE, term ? "#FFFFFF" : ink, "node",
                x + NODE_W / 2, y + 4, node_name(&g, w, p, i), NODE_W - 10,
                term ? 1 : 2);
        double count_top = l->box.y + l->box.h;
        if (term)
            journey_map_label_move(l, l->box.x, y + (NODE_H - l->box.h) / 2);
        if (i < p->n_nodes) {
            if (g.loops[i])
                snprintf(buf, sizeof buf, "%zu \xe2\x86\xbb %zu",
                         p->nodes[i].count, g.loops[i]);
            else
                snprintf(buf, sizeof buf, "%zu", p->nodes[i].count);
            add(&ls, 10, 0, JM_MIDDLE, "#444444", "node-count", x + NODE_W / 2,
                fmax(count_top, y + NODE_H - 4 - journey_map_line_h(10)), buf,
                NODE_W - 10, 1);
        }
    }
    label_edges(&ls, &g, &bd, obst, n_obst, W);

    double last = bd.top[bd.n - 1] + bd.nodes_h + 20 +
                  LANE_H * (double)bd.lanes[bd.n - 1];
    for (size_t j = 0; j < ls.n; j++)
        last = fmax(last, ls.v[j].box.y + ls.v[j].box.h);
    note(buf, sizeof buf, w, p, g.rare, hidden);
    struct journey_map_label *foot =
        add(&ls, 10, 0, JM_START, "#555555", "note", M, last + 10, buf,
            W - 2 * M, 2);
    double H = foot->box.y + foot->box.h + 10;

    head(&b, "journey-process", "jp", W, H);
    strbuf_printf(&b, "<title id=\"jp-t\">%s</title>\n<desc id=\"jp-d\">",
                  w->process);
    for (size_t k = 0; k < g.n_e; k++) {
        const struct kedge *e = &g.e[k];
        strbuf_puts(&b, k ? "; " : "");
        journey_map_put_text(&b, node_name(&g, w, p, e->u));
        strbuf_puts(&b, " \xe2\x86\x92 ");
        journey_map_put_text(&b, node_name(&g, w, p, e->v));
        strbuf_printf(&b, " %zu", e->count);
    }
    strbuf_puts(&b, ".</desc>\n<defs><marker id=\"jp-arrow\" "
                    "viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" "
                    "markerWidth=\"8\" markerHeight=\"8\" "
                    "markerUnits=\"userSpaceOnUse\" orient=\"auto\">"
                    "<path d=\"M0,0 L10,5 L0,10 z\" fill=\"#5A6B7B\"/>"
                    "</marker></defs>\n"
                    "<rect width=\"100%\" height=\"100%\" fill=\"#FFFFFF\"/>\n"
                    "<g id=\"jp-edges\" fill=\"none\" "
                    "stroke-linejoin=\"round\">\n");
    for (size_t k = 0; k < g.n_e; k++) {
        const struct kedge *e = &g.e[k];
        struct route r;
        route_of(&r, &g, &bd, k);
        strbuf_printf(&b, "<path class=\"edge%s\" d=\"",
                      e->back ? " back" : "");
        route_write(&b, &r);
        strbuf_printf(&b,
                      "\" stroke=\"#5A6B7B\" stroke-opacity=\"0.7\" "
                      "stroke-width=\"%.1f\"%s "
                      "marker-end=\"url(#jp-arrow)\"><title>",
                      1.2 + 6.0 * (double)e->count / (double)max_count,
                      e->back ? " stroke-dasharray=\"5 3\"" : "");
        journey_map_put_text(&b, node_name(&g, w, p, e->u));
        strbuf_puts(&b, " \xe2\x86\x92 ");
        journey_map_put_text(&b, node_name(&g, w, p, e->v));
        strbuf_printf(&b, ": %zu, median %s</title></path>\n", e->count,
                      fmt_wait(t1, sizeof t1, e->median_s));
    }
    strbuf_puts(&b, "</g>\n<g id=\"jp-nodes\">\n");
    for (size_t i = 0; i < g.n; i++) {
        if (!g.kept[i])
            continue;
        int term = i == g.S || i == g.E;
        strbuf_printf(&b,
                      "<rect class=\"node\" x=\"%.1f\" y=\"%.1f\" "
                      "width=\"%.1f\" height=\"%.1f\" rx=\"%s\" fill=\"%s\" "
                      "stroke=\"#5A6B7B\"><title>",
                      node_x(&g, &bd, i), node_y(&g, &bd, i), NODE_W, NODE_H,
                      term ? "20" : "5", term ? "#3B4A58" : "#DCE9F5");
        journey_map_put_text(&b, node_name(&g, w, p, i));
        if (!term)
            strbuf_printf(&b, ": %zu", p->nodes[i].count);
        strbuf_puts(&b, "</title></rect>\n");
    }
    strbuf_puts(&b, "</g>\n<g id=\"jp-labels\" fill=\"#222222\">\n");
    journey_map_labels_write(&b, &ls);
    strbuf_puts(&b, "</g>\n</svg>\n");
    rc = strbuf_add(out, b.p ? b.p : "", b.n);
    if (rc < 0)
        err_set(err, rc, "process map: the SVG is too large");
done:
    graph_dispose(&g);
    bands_dispose(&bd);
    journey_map_labels_dispose(&ls);
    free(obst);
    strbuf_dispose(&b);
    return rc;
}

/* ---- variants ---- */

#define LEFT_W 112.0
#define BOX_W 100.0
#define BOX_GAP 16.0
#define BOX_H 32.0
#define ROW_H 54.0
#define FIT 9 /* boxes in a row */

int journey_process_svg_render_variants(struct strbuf *out,
                                        const struct journey_process *p,
                                        struct err *err)
{
    const struct words *w = NULL;
    struct journey_map_labels ls = JOURNEY_MAP_LABELS_INIT;
    struct strbuf b = STRBUF_INIT;
    char buf[256];
    int rc = validate(p, &w, err);
    if (rc < 0)
        goto done;
    size_t nv = p->n_variants < JOURNEY_PROCESS_MAX_VARIANTS
                    ? p->n_variants
                    : JOURNEY_PROCESS_MAX_VARIANTS;
    size_t longest = 1;
    double top_share = 0;
    for (size_t i = 0; i < nv; i++) {
        if (p->variants[i].len > longest)
            longest = p->variants[i].len;
        top_share = fmax(top_share, p->variants[i].share_pct);
    }
    size_t shown = longest < FIT ? longest : FIT;
    double x0 = M + LEFT_W;
    double W = fmax(560, x0 + (double)shown * (BOX_W + BOX_GAP) + M);
    snprintf(buf, sizeof buf, "%s: %zu %s", w->variants, p->n_cases, w->cases);
    add(&ls, 14, 1, JM_START, ink, "title", M, 10, buf, W - 2 * M, 1);
    if (nv == 0)
        add(&ls, 11, 0, JM_START, "#555555", "note", M, 44, w->none, W - 2 * M,
            1);
    double lh11 = journey_map_line_h(11);
    for (size_t i = 0; i < nv; i++) {
        const struct journey_process_variant *v = &p->variants[i];
        double y = 44 + (double)i * ROW_H;
        snprintf(buf, sizeof buf, "#%zu %.1f%%", i + 1, v->share_pct);
        add(&ls, 11, 1, JM_START, ink, "variant", M, y + 2, buf, LEFT_W - 8, 1);
        snprintf(buf, sizeof buf, "n %zu", v->count);
        add(&ls, 10, 0, JM_START, "#555555", "variant", M, y + 2 + lh11, buf,
            LEFT_W - 8, 1);
        size_t cut = v->len > FIT ? FIT - 1 : v->len;
        for (size_t k = 0; k < cut; k++) {
            const char *name = p->nodes[v->steps[k]].label;
            add(&ls, 10, 0, JM_MIDDLE, ink, "step",
                x0 + (double)k * (BOX_W + BOX_GAP) + BOX_W / 2, y + 3, name,
                BOX_W - 8, 2);
        }
        if (cut < v->len) {
            snprintf(buf, sizeof buf, "+%zu %s", v->len - cut, w->more);
            add(&ls, 10, 0, JM_MIDDLE, "#555555", "step",
                x0 + (double)cut * (BOX_W + BOX_GAP) + BOX_W / 2, y + 3, buf,
                BOX_W - 8, 2);
        }
    }
    double H = 44 + (double)(nv ? nv : 1) * ROW_H + 10;

    head(&b, "journey-variants", "jv", W, H);
    strbuf_printf(&b, "<title id=\"jv-t\">%s</title>\n<desc id=\"jv-d\">",
                  w->variants);
    for (size_t i = 0; i < nv; i++) {
        const struct journey_process_variant *v = &p->variants[i];
        strbuf_printf(&b, "%s#%zu %.1f%% (n %zu): ", i ? "; " : "", i + 1,
                      v->share_pct, v->count);
        for (size_t k = 0; k < v->len; k++) {
            strbuf_puts(&b, k ? " \xe2\x86\x92 " : "");
            journey_map_put_text(&b, p->nodes[v->steps[k]].label);
        }
    }
    strbuf_puts(&b, ".</desc>\n<rect width=\"100%\" height=\"100%\" "
                    "fill=\"#FFFFFF\"/>\n<g id=\"jv-bands\">\n");
    double bar_w = W - M - x0;
    for (size_t i = 0; i < nv; i++) {
        const struct journey_process_variant *v = &p->variants[i];
        const struct journey_process_variant *prev =
            i ? &p->variants[i - 1] : NULL;
        double y = 44 + (double)i * ROW_H;
        size_t same = 0;
        while (prev && same < v->len && same < prev->len &&
               v->steps[same] == prev->steps[same])
            same++;
        size_t cut = v->len > FIT ? FIT - 1 : v->len;
        strbuf_printf(&b, "<g class=\"variant\"><title>#%zu: %.1f%%, n %zu",
                      i + 1, v->share_pct, v->count);
        strbuf_puts(&b, "</title>\n");
        for (size_t k = 0; k < cut + (cut < v->len); k++) {
            double x = x0 + (double)k * (BOX_W + BOX_GAP);
            strbuf_printf(&b,
                          "<rect class=\"step\" x=\"%.1f\" y=\"%.1f\" "
                          "width=\"%.1f\" height=\"%.1f\" rx=\"4\" "
                          "fill=\"%s\" stroke=\"#8FA3B5\"/>",
                          x, y, BOX_W, BOX_H,
                          k >= cut   ? "#FFFFFF"
                          : k < same ? "#EEF2F6"
                                     : "#DCE9F5");
            if (k + 1 < cut + (cut < v->len))
                strbuf_printf(&b,
                              "<path d=\"M%.1f,%.1f l6,5 l-6,5\" "
                              "fill=\"none\" stroke=\"#5A6B7B\"/>",
                              x + BOX_W + 5, y + BOX_H / 2 - 5);
            strbuf_putc(&b, '\n');
        }
        double len = top_share > 0 ? bar_w * v->share_pct / top_share : 0;
        strbuf_printf(&b,
                      "<rect class=\"bar\" x=\"%.1f\" y=\"%.1f\" "
                      "width=\"%.1f\" height=\"8\" fill=\"#0072B2\"/>\n</g>\n",
                      x0, y + BOX_H + 5, fmax(len, 1));
    }
    strbuf_puts(&b, "</g>\n<g id=\"jv-labels\" fill=\"#222222\">\n");
    journey_map_labels_write(&b, &ls);
    strbuf_puts(&b, "</g>\n</svg>\n");
    rc = strbuf_add(out, b.p ? b.p : "", b.n);
    if (rc < 0)
        err_set(err, rc, "variants: the SVG is too large");
done:
    journey_map_labels_dispose(&ls);
    strbuf_dispose(&b);
    return rc;
}
