#pragma once
/* A whole file as one read-only buffer, memory-mapped (so importing a
 * large file costs no copy). Embedded by value: MAPFILE_INIT, then
 * mapfile_open / mapfile_close. */

#include <stddef.h>

struct err;

struct mapfile {
    const char *p; /* the bytes; "" for an empty file */
    size_t n;
    void *base; /* the mapping, or NULL */
};

#define MAPFILE_INIT                                                           \
    {                                                                          \
        "", 0, NULL                                                            \
    }

/* Maps path. ERR_IO (with the system's reason) if it cannot be opened or
 * read, ERR_INVALID if it is a directory. */
int mapfile_open(struct mapfile *m, const char *path, struct err *err);
/* Unmaps; safe on MAPFILE_INIT and after a failed open. */
void mapfile_close(struct mapfile *m);
