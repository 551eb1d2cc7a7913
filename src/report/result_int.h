#pragma once
/* The result model's private structs, shared by result.c (building) and
 * render.c and render_html.c (rendering). Nothing outside
 * src/report/result*.c and render*.c includes this. */

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "report/result.h"

struct result_value {
    int null;
    int decimals; /* -1: the column's */
    int low_n;    /* result_add_low_n */
    enum result_type type;
    union {
        char *s;
        int64_t i;
        double d;
        int b;
        struct result_estimate e;
        json_t *j;
    } u;
};

struct result_column {
    char *key, *header;
    char *n_key, *n_header; /* estimates: names of the n columns */
    enum result_type type;
    int decimals;
    unsigned flags;
};

struct result_table {
    char *key, *title, *empty;
    enum result_layout layout;
    struct result_column *cols;
    size_t n_cols, cap_cols;
    struct result_value *v; /* n_rows * n_cols */
    size_t n_rows, cap_v;
    size_t cursor; /* next column of the current row */
};

struct result_meta {
    char *key, *label;
    struct result_value v;
};

struct result {
    int min_n;
    struct result_meta *meta;
    size_t n_meta, cap_meta;
    struct result_table **tables;
    size_t n_tables, cap_tables;
    char **notes, **methods;
    size_t n_notes, cap_notes, n_methods, cap_methods;
};

/* 1 when column c is shown in format f (JSONL counts as JSON). */
int result_column_shown(const struct result_column *c, enum result_format f);

/* Appends r as an HTML fragment (render_html.c); flags as for
 * result_render_with. 0 or ERR_INVALID ("too large"), ERR_INTERNAL. */
int result_render_html(struct strbuf *out, const struct result *r,
                       unsigned flags);
