#include "core/mapfile.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/err.h"

int mapfile_open(struct mapfile *m, const char *path, struct err *err)
{
    struct stat st;
    int fd = -1, rc = 0;

    m->p = "";
    m->n = 0;
    m->base = NULL;
    if ((fd = open(path, O_RDONLY)) < 0 || fstat(fd, &st) < 0) {
        rc = err_set(err, ERR_IO, "%s: %s", path, strerror(errno));
        goto done;
    }
    if (S_ISDIR(st.st_mode)) {
        rc = err_set(err, ERR_INVALID, "%s: is a directory", path);
        goto done;
    }
    if (st.st_size == 0)
        goto done;
    void *p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (p == MAP_FAILED) {
        rc = err_set(err, ERR_IO, "%s: %s", path, strerror(errno));
        goto done;
    }
    (void)madvise(p, (size_t)st.st_size, MADV_SEQUENTIAL);
    m->base = p;
    m->p = p;
    m->n = (size_t)st.st_size;
done:
    if (fd >= 0)
        close(fd);
    return rc;
}

void mapfile_close(struct mapfile *m)
{
    if (m->base)
        munmap(m->base, m->n);
    m->base = NULL;
    m->p = "";
    m->n = 0;
}
