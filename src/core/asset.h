#pragma once
/* Files compiled into the binary by tools/embed.c. Each generated table is
 * `const struct asset NAME[]` with `const unsigned long NAME_count`, in
 * the order the files were given; data is NUL-terminated (len excludes it). */

#include <stddef.h>

struct asset {
    const char *path; /* file name without directories */
    const unsigned char *data;
    size_t len;
};
