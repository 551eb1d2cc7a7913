/* Training the sentiment model: labelled sets (TSV, or comments with weak
 * labels from their scores, handed over by the caller), L2-regularised logistic
 * regression fitted by L-BFGS, stratified k-fold cross-validation.
 * docs/text-model.md has the why. */
#include "text/textmodel.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/err.h"
#include "core/mapfile.h"
#include "core/rng.h"
#include "core/xalloc.h"
#include "text/textmodel_int.h"
#include "text/tokenize.h"

/* ---- labelled sets ---- */

struct tm_row {
    char *text;
    size_t n;
    enum textmodel_label label;
    enum lang lang;
};

struct textmodel_set {
    struct tm_row *v;
    size_t n, cap;
    size_t count[3];
};

struct textmodel_set *textmodel_set_new(void)
{
    return xcalloc(1, sizeof(struct textmodel_set));
}

void textmodel_set_free(struct textmodel_set *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->n; i++)
        free(s->v[i].text);
    free(s->v);
    free(s);
}

int textmodel_set_add(struct textmodel_set *s, enum textmodel_label label,
                      enum lang l, const char *text, size_t n, struct err *err)
{
    size_t bad;
    if (n > TOKENIZE_MAX_INPUT)
        return err_set(err, ERR_INVALID, "text too large (%zu bytes, max %u)",
                       n, TOKENIZE_MAX_INPUT);
    if (!tm_utf8_valid(text, n, &bad))
        return err_set(err, ERR_INVALID, "invalid UTF-8 at byte %zu", bad);
    if (s->n == s->cap)
        s->v = xgrow(s->v, &s->cap, s->n + 1, sizeof *s->v);
    struct tm_row *r = &s->v[s->n++];
    r->text = xstrndup(text, n);
    r->n = n;
    r->label = label;
    r->lang = l;
    s->count[label]++;
    return 0;
}

size_t textmodel_set_count(const struct textmodel_set *s,
                           enum textmodel_label label)
{
    return (unsigned)label < 3 ? s->count[label] : 0;
}

size_t textmodel_set_size(const struct textmodel_set *s)
{
    return s->n;
}

void textmodel_set_row(const struct textmodel_set *s, size_t i,
                       enum textmodel_label *label, enum lang *l,
                       const char **text, size_t *n)
{
    const struct tm_row *r = &s->v[i];
    *label = r->label;
    *l = r->lang;
    *text = r->text;
    *n = r->n;
}

static int parse_label(enum textmodel_label *out, const char *s, size_t n)
{
    static const struct {
        const char *name;
        enum textmodel_label label;
    } names[] = {{"pos", TEXTMODEL_POS}, {"positive", TEXTMODEL_POS},
                 {"neg", TEXTMODEL_NEG}, {"negative", TEXTMODEL_NEG},
                 {"neu", TEXTMODEL_NEU}, {"neutral", TEXTMODEL_NEU}};
    while (n > 0 && (s[0] == ' ' || s[0] == '"'))
        s++, n--;
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '"'))
        n--;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (strlen(names[i].name) == n && !strncasecmp(names[i].name, s, n)) {
            *out = names[i].label;
            return 0;
        }
    }
    return -1;
}

int textmodel_set_read_tsv(struct textmodel_set *s, const char *buf, size_t len,
                           enum lang l, const char *name, struct err *err)
{
    size_t pos = 0;
    long line = 0;
    int rc = 0;

    if (len >= 3 && !memcmp(buf, "\xEF\xBB\xBF", 3))
        pos = 3;
    while (pos < len) {
        const char *p = buf + pos;
        const char *nl = memchr(p, '\n', len - pos);
        size_t end = nl ? (size_t)(nl - buf) : len;
        size_t e = end;
        size_t next = nl ? end + 1 : len;
        enum textmodel_label label;
        size_t bad;

        line++;
        if (e > pos && buf[e - 1] == '\r')
            e--;
        if (e == pos) {
            pos = next;
            continue;
        }
        const char *tab = memchr(p, '\t', e - pos);
        if (!tab) {
            rc = err_at(err, ERR_INVALID, name, line, 1,
                        "expected 'label<TAB>text'");
            goto done;
        }
        size_t ln = (size_t)(tab - p);
        if (parse_label(&label, p, ln) < 0) {
            if (line == 1 && ln == 5 && !strncasecmp(p, "label", 5)) {
                pos = next; /* a header line */
                continue;
            }
            rc = err_at(err, ERR_INVALID, name, line, 1,
                        "label must be pos, neg or neu, got \"%.*s\"",
                        (int)(ln > 40 ? 40 : ln), p);
            goto done;
        }
        const char *text = tab + 1;
        size_t tn = e - (size_t)(text - buf);
        if (!tm_utf8_valid(text, tn, &bad)) {
            rc = err_at(err, ERR_INVALID, name, line, (long)(ln + 2 + bad),
                        "invalid UTF-8");
            goto done;
        }
        if (tn > TOKENIZE_MAX_INPUT) {
            rc = err_at(err, ERR_INVALID, name, line, (long)(ln + 2),
                        "text too large (%zu bytes, at most %u)", tn,
                        TOKENIZE_MAX_INPUT);
            goto done;
        }
        if ((rc = textmodel_set_add(s, label, l, text, tn, err)) < 0)
            goto done;
        pos = next;
    }
done:
    return rc;
}

int textmodel_set_load_tsv(struct textmodel_set *s, const char *path,
                           enum lang l, struct err *err)
{
    struct mapfile mf = MAPFILE_INIT;
    int rc;
    if ((rc = mapfile_open(&mf, path, err)) < 0)
        goto done;
    rc = textmodel_set_read_tsv(s, mf.p, mf.n, l, path, err);
done:
    mapfile_close(&mf);
    return rc;
}

/* ---- weak labels from scores ---- */

int textmodel_weak_label(int nps, int csat)
{
    int pos = 0, neg = 0;
    if (nps >= 0 && nps <= 6)
        neg = 1;
    else if (nps >= 9 && nps <= 10)
        pos = 1;
    if (csat >= 1 && csat <= 2)
        neg = 1;
    else if (csat >= 4 && csat <= 5)
        pos = 1;
    if (pos == neg)
        return -1; /* nothing votes, or the scores disagree */
    return pos ? TEXTMODEL_POS : TEXTMODEL_NEG;
}

void textmodel_set_add_weak(struct textmodel_set *s, int label, enum lang l,
                            const char *text, size_t n,
                            struct textmodel_weak_stats *st)
{
    struct err e = ERR_INIT;
    st->comments++;
    if (label != TEXTMODEL_POS && label != TEXTMODEL_NEG)
        st->unlabelled++;
    else if (textmodel_set_add(s, (enum textmodel_label)label, l, text, n, &e) <
             0)
        st->invalid++;
    else
        st->used++;
}

/* ---- the design matrix ----
 * Rows are the positive and negative texts, featurised once; columns are
 * the buckets that occur, numbered in order of first appearance, so the
 * optimiser works on a few hundred thousand weights, not 2^20. */

struct tm_matrix {
    size_t rows;
    size_t *ptr; /* rows + 1 */
    uint32_t *col;
    float *val;
    unsigned char *y;
    size_t ncol;
    uint32_t *bucket; /* bucket of each column */
    unsigned langs;
    enum lang main_lang;
};

static void matrix_dispose(struct tm_matrix *x)
{
    free(x->ptr);
    free(x->col);
    free(x->val);
    free(x->y);
    free(x->bucket);
    memset(x, 0, sizeof *x);
}

static int matrix_build(struct tm_matrix *x, const struct textmodel_set *s,
                        const struct tm_params *p, struct err *err)
{
    struct tokens t = TOKENS_INIT;
    struct tm_feats f = TM_FEATS_INIT;
    struct stemmer *st[3] = {NULL, NULL, NULL};
    int made[3] = {0, 0, 0};
    size_t nnz = 0, cap = 0, bcap = 0, per_lang[3] = {0, 0, 0};
    int32_t *colmap = NULL;
    int rc = 0;

    memset(x, 0, sizeof *x);
    x->ptr = xmalloc((s->n + 1) * sizeof *x->ptr);
    x->y = xmalloc((s->n ? s->n : 1) * sizeof *x->y);
    colmap = xmalloc(((size_t)1 << p->hash_bits) * sizeof *colmap);
    memset(colmap, 0xff, ((size_t)1 << p->hash_bits) * sizeof *colmap);
    x->ptr[0] = 0;
    for (size_t i = 0; i < s->n; i++) {
        const struct tm_row *r = &s->v[i];
        if (r->label == TEXTMODEL_NEU)
            continue;
        if ((unsigned)r->lang > 2) {
            rc = err_set(err, ERR_INTERNAL, "row %zu: bad language", i + 1);
            goto done;
        }
        if (!made[r->lang]) {
            st[r->lang] = stemmer_new(r->lang);
            made[r->lang] = 1;
        }
        if ((rc = tokenize_text(&t, r->text, r->n, err)) < 0)
            goto done;
        tm_featurize(&f, p, &t, st[r->lang]);
        if (nnz + f.n > cap) {
            size_t c1 = cap;
            x->col = xgrow(x->col, &cap, nnz + f.n, sizeof *x->col);
            x->val = xgrow(x->val, &c1, nnz + f.n, sizeof *x->val);
        }
        for (size_t j = 0; j < f.n; j++) {
            int32_t c = colmap[f.idx[j]];
            if (c < 0) {
                if (x->ncol == bcap)
                    x->bucket =
                        xgrow(x->bucket, &bcap, x->ncol + 1, sizeof *x->bucket);
                c = (int32_t)x->ncol;
                x->bucket[x->ncol++] = f.idx[j];
                colmap[f.idx[j]] = c;
            }
            x->col[nnz] = (uint32_t)c;
            x->val[nnz] = f.val[j];
            nnz++;
        }
        x->y[x->rows] = r->label == TEXTMODEL_POS;
        x->ptr[++x->rows] = nnz;
        x->langs |= 1u << r->lang;
        per_lang[r->lang]++;
    }
    /* The main language: most rows, ties to the lower enum value, and a
     * named language before LANG_OTHER. */
    x->main_lang = LANG_OTHER;
    for (int l = 1; l <= 2; l++)
        if (per_lang[l] > per_lang[x->main_lang] ||
            (x->main_lang == LANG_OTHER && per_lang[l] > 0))
            x->main_lang = (enum lang)l;
done:
    for (int l = 0; l < 3; l++)
        stemmer_free(st[l]);
    free(colmap);
    tm_feats_dispose(&f);
    tokens_dispose(&t);
    return rc;
}

/* ---- the optimiser ----
 * Minimises (1/N) sum log(1 + exp(-y' z)) + (l2/2) |w|^2 over the rows in
 * `rows`, z = w.x + bias, the bias unpenalised. The objective is convex
 * and smooth, so L-BFGS reaches the optimum whatever the start; sums run
 * in a fixed order, so the result is bit-for-bit reproducible. */

struct problem {
    const struct tm_matrix *x;
    const size_t *rows;
    size_t n;
    double l2;
    size_t dim;          /* ncol + 1; w[ncol] is the bias */
    const double *scale; /* per column, or NULL */
    double cw[2];        /* weight of a negative and a positive row */
};

static double log1pexp(double z)
{
    return z > 0 ? z + log1p(exp(-z)) : log1p(exp(z));
}

static double row_score(const struct tm_matrix *x, size_t r, const double *w,
                        const double *sc)
{
    double z = w[x->ncol];
    if (sc) {
        for (size_t k = x->ptr[r]; k < x->ptr[r + 1]; k++)
            z += w[x->col[k]] * x->val[k] * sc[x->col[k]];
        return z;
    }
    for (size_t k = x->ptr[r]; k < x->ptr[r + 1]; k++)
        z += w[x->col[k]] * x->val[k];
    return z;
}

static double objective(const struct problem *P, const double *w, double *g)
{
    const struct tm_matrix *x = P->x;
    const double inv = 1.0 / (double)P->n;
    double f = 0;

    memset(g, 0, P->dim * sizeof *g);
    for (size_t i = 0; i < P->n; i++) {
        size_t r = P->rows[i];
        double z = row_score(x, r, w, P->scale);
        double c = P->cw[x->y[r]], d;
        if (x->y[r]) {
            f += c * log1pexp(-z);
            d = -1.0 / (1.0 + exp(z)); /* p - 1 */
        } else {
            f += c * log1pexp(z);
            d = 1.0 / (1.0 + exp(-z)); /* p */
        }
        d *= inv * c;
        if (P->scale)
            for (size_t k = x->ptr[r]; k < x->ptr[r + 1]; k++)
                g[x->col[k]] += d * x->val[k] * P->scale[x->col[k]];
        else
            for (size_t k = x->ptr[r]; k < x->ptr[r + 1]; k++)
                g[x->col[k]] += d * x->val[k];
        g[x->ncol] += d;
    }
    f *= inv;
    double reg = 0;
    for (size_t j = 0; j < x->ncol; j++) {
        reg += w[j] * w[j];
        g[j] += P->l2 * w[j];
    }
    return f + 0.5 * P->l2 * reg;
}

static double dot(const double *a, const double *b, size_t n)
{
    double s = 0;
    for (size_t i = 0; i < n; i++)
        s += a[i] * b[i];
    return s;
}

#define LBFGS_M 8

/* w holds the start and gets the minimum. */
static void lbfgs(const struct problem *P, double *w, int max_iter)
{
    const size_t D = P->dim;
    double *g = xmalloc(D * sizeof *g), *gn = xmalloc(D * sizeof *gn);
    double *wn = xmalloc(D * sizeof *wn), *d = xmalloc(D * sizeof *d);
    double *S = xmalloc(LBFGS_M * D * sizeof *S);
    double *Y = xmalloc(LBFGS_M * D * sizeof *Y);
    double rho[LBFGS_M], alpha[LBFGS_M];
    int head = 0, mem = 0;

    double f = objective(P, w, g);
    for (int it = 0; it < max_iter; it++) {
        double gnorm = sqrt(dot(g, g, D));
        if (gnorm < 1e-7)
            break;
        /* Two-loop recursion: d = -H g. */
        for (size_t i = 0; i < D; i++)
            d[i] = -g[i];
        for (int k = 0; k < mem; k++) {
            int j = (head - 1 - k + LBFGS_M) % LBFGS_M;
            alpha[j] = rho[j] * dot(S + (size_t)j * D, d, D);
            const double *y = Y + (size_t)j * D;
            for (size_t i = 0; i < D; i++)
                d[i] -= alpha[j] * y[i];
        }
        double gamma = 1.0 / gnorm;
        if (mem > 0) {
            int j = (head - 1 + LBFGS_M) % LBFGS_M;
            const double *y = Y + (size_t)j * D;
            gamma = 1.0 / (rho[j] * dot(y, y, D));
        }
        for (size_t i = 0; i < D; i++)
            d[i] *= gamma;
        for (int k = mem - 1; k >= 0; k--) {
            int j = (head - 1 - k + LBFGS_M) % LBFGS_M;
            double beta = rho[j] * dot(Y + (size_t)j * D, d, D);
            const double *s = S + (size_t)j * D;
            for (size_t i = 0; i < D; i++)
                d[i] += (alpha[j] - beta) * s[i];
        }
        double gd = dot(g, d, D);
        if (!(gd < 0)) { /* not a descent direction: restart */
            mem = 0;
            for (size_t i = 0; i < D; i++)
                d[i] = -g[i] / gnorm;
            gd = -gnorm;
        }
        /* Backtracking line search (Armijo). */
        double t = 1.0, fn = f;
        int ok = 0;
        for (int ls = 0; ls < 40; ls++) {
            for (size_t i = 0; i < D; i++)
                wn[i] = w[i] + t * d[i];
            fn = objective(P, wn, gn);
            if (fn <= f + 1e-4 * t * gd) {
                ok = 1;
                break;
            }
            t *= 0.5;
        }
        if (!ok)
            break;
        double *s = S + (size_t)head * D, *y = Y + (size_t)head * D;
        for (size_t i = 0; i < D; i++) {
            s[i] = wn[i] - w[i];
            y[i] = gn[i] - g[i];
        }
        double sy = dot(s, y, D);
        if (sy > 1e-20) {
            rho[head] = 1.0 / sy;
            head = (head + 1) % LBFGS_M;
            if (mem < LBFGS_M)
                mem++;
        }
        double df = f - fn;
        memcpy(w, wn, D * sizeof *w);
        memcpy(g, gn, D * sizeof *g);
        f = fn;
        if (df <= 1e-10 * (fabs(f) > 1 ? fabs(f) : 1))
            break;
    }
    free(g);
    free(gn);
    free(wn);
    free(d);
    free(S);
    free(Y);
}

static int check_opts(const struct textmodel_opts *o, struct err *err)
{
    if (o->hash_bits < 16 || o->hash_bits > 22)
        return err_set(err, ERR_INVALID, "hash bits must be 16..22, got %u",
                       o->hash_bits);
    if (o->bigrams != 0 && o->bigrams != 1)
        return err_set(err, ERR_INVALID, "bigrams must be 0 or 1");
    if (o->char_min < 0 || o->char_max > 6 || o->char_min > o->char_max ||
        (o->char_min == 0) != (o->char_max == 0))
        return err_set(err, ERR_INVALID,
                       "character n-grams must be 0 (none) or MIN-MAX with "
                       "1 <= MIN <= MAX <= 6");
    if (o->neg_scope < 0 || o->neg_scope > 5)
        return err_set(err, ERR_INVALID, "negation scope must be 0..5");
    if (!(o->l2 > 0) || !isfinite(o->l2))
        return err_set(err, ERR_INVALID, "L2 penalty must be > 0");
    if (o->balanced != 0 && o->balanced != 1)
        return err_set(err, ERR_INVALID, "balanced must be 0 or 1");
    if (!(o->nb_alpha >= 0) || o->nb_alpha > 1e6)
        return err_set(err, ERR_INVALID, "NB smoothing must be >= 0");
    if (o->max_iter < 1 || o->max_iter > 10000)
        return err_set(err, ERR_INVALID, "iterations must be 1..10000");
    return 0;
}

static void params_of(struct tm_params *p, const struct textmodel_opts *o)
{
    p->hash_bits = o->hash_bits;
    p->bigrams = o->bigrams;
    p->char_min = o->char_min;
    p->char_max = o->char_max;
    p->neg_scope = o->neg_scope;
}

/* Fits w (dim ncol + 1, zeroed here) on the given rows. */
/* Naive Bayes log-count ratios of each column over the training rows
 * (Wang and Manning 2012, "NBSVM"): r_j = log((p_j/|p|) / (q_j/|q|)) with
 * p_j, q_j the positive and negative rows holding column j, plus alpha.
 * Scaling column j by r_j before the regression gives words that split
 * the classes a head start against the L2 penalty; r is folded into the
 * weights afterwards, so the saved model scores plain features. */
static double *nb_ratios(const struct tm_matrix *x, const size_t *rows,
                         size_t n, double alpha)
{
    double *pc = xcalloc(x->ncol + 1, sizeof *pc);
    double *qc = xcalloc(x->ncol + 1, sizeof *qc);
    double sp = 0, sq = 0;
    for (size_t i = 0; i < n; i++) {
        size_t r = rows[i];
        double *c = x->y[r] ? pc : qc;
        for (size_t k = x->ptr[r]; k < x->ptr[r + 1]; k++)
            c[x->col[k]] += 1;
    }
    for (size_t j = 0; j < x->ncol; j++) {
        pc[j] += alpha;
        qc[j] += alpha;
        sp += pc[j];
        sq += qc[j];
    }
    for (size_t j = 0; j < x->ncol; j++)
        pc[j] = log((pc[j] / sp) / (qc[j] / sq));
    free(qc);
    return pc;
}

/* Fits w (dim ncol + 1) on the given rows, from zero. */
static void fit(double *w, const struct tm_matrix *x, const size_t *rows,
                size_t n, const struct textmodel_opts *o)
{
    struct problem P = {x, rows, n, o->l2, x->ncol + 1, NULL, {1.0, 1.0}};
    double *sc = o->nb_alpha > 0 ? nb_ratios(x, rows, n, o->nb_alpha) : NULL;
    size_t npos = 0;

    for (size_t i = 0; i < n; i++)
        npos += x->y[rows[i]];
    if (o->balanced && npos > 0 && npos < n) {
        /* Each class weighs half: p = 0.5 means no evidence either way,
         * not "as common as positives were in training". */
        P.cw[1] = (double)n / (2.0 * (double)npos);
        P.cw[0] = (double)n / (2.0 * (double)(n - npos));
    }
    P.scale = sc;
    memset(w, 0, P.dim * sizeof *w);
    lbfgs(&P, w, o->max_iter);
    if (sc)
        for (size_t j = 0; j < x->ncol; j++)
            w[j] *= sc[j];
    free(sc);
}

int textmodel_train(struct textmodel **out, const struct textmodel_set *s,
                    const struct textmodel_opts *o, struct err *err)
{
    struct tm_matrix x;
    struct tm_params p;
    size_t *rows = NULL;
    double *w = NULL;
    float *wf = NULL;
    int rc;

    *out = NULL;
    memset(&x, 0, sizeof x);
    if ((rc = check_opts(o, err)) < 0)
        goto done;
    if (s->count[TEXTMODEL_POS] == 0 || s->count[TEXTMODEL_NEG] == 0) {
        rc = err_set(err, ERR_INVALID,
                     "training needs positive and negative rows (got %zu "
                     "positive, %zu negative)",
                     s->count[TEXTMODEL_POS], s->count[TEXTMODEL_NEG]);
        goto done;
    }
    params_of(&p, o);
    if ((rc = matrix_build(&x, s, &p, err)) < 0)
        goto done;
    rows = xmalloc(x.rows * sizeof *rows);
    for (size_t i = 0; i < x.rows; i++)
        rows[i] = i;
    w = xmalloc((x.ncol + 1) * sizeof *w);
    fit(w, &x, rows, x.rows, o);
    wf = xmalloc((x.ncol ? x.ncol : 1) * sizeof *wf);
    for (size_t j = 0; j < x.ncol; j++)
        wf[j] = (float)w[j];
    *out =
        tm_model_new(&p, x.langs, x.main_lang, w[x.ncol], x.bucket, wf, x.ncol);
done:
    free(rows);
    free(w);
    free(wf);
    matrix_dispose(&x);
    return rc;
}

int textmodel_cross_validate(struct textmodel_cv *out, double *oof,
                             const struct textmodel_set *s,
                             const struct textmodel_opts *o, int k,
                             struct err *err)
{
    struct tm_matrix x;
    struct tm_params p;
    struct rng r;
    size_t *fold = NULL, *order = NULL, *train = NULL, *test = NULL;
    double *w = NULL;
    long correct = 0;
    double loss = 0;
    int rc;

    memset(out, 0, sizeof *out);
    memset(&x, 0, sizeof x);
    if ((rc = check_opts(o, err)) < 0)
        goto done;
    if (k < 2 || k > TEXTMODEL_CV_MAX) {
        rc = err_set(err, ERR_INVALID, "folds must be 2..%d, got %d",
                     TEXTMODEL_CV_MAX, k);
        goto done;
    }
    if (s->count[TEXTMODEL_POS] < (size_t)k ||
        s->count[TEXTMODEL_NEG] < (size_t)k) {
        rc = err_set(err, ERR_INVALID,
                     "%d-fold cross-validation needs at least %d positive "
                     "and %d negative rows (got %zu and %zu)",
                     k, k, k, s->count[TEXTMODEL_POS], s->count[TEXTMODEL_NEG]);
        goto done;
    }
    params_of(&p, o);
    if ((rc = matrix_build(&x, s, &p, err)) < 0)
        goto done;

    /* Stratified folds: each class shuffled (Fisher-Yates, seeded) and
     * dealt round-robin, the deal running on from one class to the next. */
    fold = xmalloc(x.rows * sizeof *fold);
    order = xmalloc(x.rows * sizeof *order);
    train = xmalloc(x.rows * sizeof *train);
    test = xmalloc(x.rows * sizeof *test);
    w = xmalloc((x.ncol + 1) * sizeof *w);
    rng_seed(&r, o->seed);
    size_t dealt = 0;
    for (int cls = 0; cls <= 1; cls++) {
        size_t m = 0;
        for (size_t i = 0; i < x.rows; i++)
            if (x.y[i] == cls)
                order[m++] = i;
        for (size_t i = m; i > 1; i--) {
            size_t j = (size_t)rng_below(&r, i);
            size_t tmp = order[i - 1];
            order[i - 1] = order[j];
            order[j] = tmp;
        }
        for (size_t i = 0; i < m; i++)
            fold[order[i]] = dealt++ % (size_t)k;
    }

    for (int f = 0; f < k; f++) {
        size_t ntr = 0, nte = 0;
        long ok = 0;
        for (size_t i = 0; i < x.rows; i++) {
            if (fold[i] == (size_t)f)
                test[nte++] = i;
            else
                train[ntr++] = i;
        }
        fit(w, &x, train, ntr, o);
        for (size_t i = 0; i < nte; i++) {
            /* Score with float weights, as the saved model will. */
            size_t row = test[i];
            double z = w[x.ncol];
            for (size_t q = x.ptr[row]; q < x.ptr[row + 1]; q++)
                z += (double)(float)w[x.col[q]] * x.val[q];
            int yhat = z >= 0;
            if (oof)
                oof[row] = 1.0 / (1.0 + exp(-z));
            ok += yhat == x.y[row];
            loss += x.y[row] ? log1pexp(-z) : log1pexp(z);
        }
        out->fold_accuracy[f] = nte ? (double)ok / (double)nte : 0;
        correct += ok;
    }
    out->k = k;
    out->n = (long)x.rows;
    out->accuracy = (double)correct / (double)x.rows;
    out->log_loss = loss / (double)x.rows;
done:
    free(fold);
    free(order);
    free(train);
    free(test);
    free(w);
    matrix_dispose(&x);
    return rc;
}

int textmodel_evaluate(double *accuracy, long *n, const struct textmodel *m,
                       const struct textmodel_set *s, struct err *err)
{
    struct tokens t = TOKENS_INIT;
    struct tm_feats f = TM_FEATS_INIT;
    struct stemmer *st[3] = {NULL, NULL, NULL};
    int made[3] = {0, 0, 0};
    long used = 0, ok = 0;
    int rc = 0;

    *accuracy = 0;
    *n = 0;
    for (size_t i = 0; i < s->n; i++) {
        const struct tm_row *r = &s->v[i];
        if (r->label == TEXTMODEL_NEU)
            continue;
        enum lang l = r->lang == LANG_OTHER ? m->lang : r->lang;
        if ((unsigned)l > 2) {
            rc = err_set(err, ERR_INTERNAL, "row %zu: bad language", i + 1);
            goto done;
        }
        if (!made[l]) {
            st[l] = stemmer_new(l);
            made[l] = 1;
        }
        if ((rc = tokenize_text(&t, r->text, r->n, err)) < 0)
            goto done;
        tm_featurize(&f, &m->p, &t, st[l]);
        int yhat = tm_score(m, &f) >= 0;
        ok += yhat == (r->label == TEXTMODEL_POS);
        used++;
    }
    if (used == 0) {
        rc = err_set(err, ERR_INVALID, "no positive or negative rows");
        goto done;
    }
    *accuracy = (double)ok / (double)used;
    *n = used;
done:
    for (int l = 0; l < 3; l++)
        stemmer_free(st[l]);
    tm_feats_dispose(&f);
    tokens_dispose(&t);
    return rc;
}
