/* Fuzz target: the server's settings file (server_config_file). Every
 * input is either read, leaving settings in their ranges, or refused
 * with its file and line. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/err.h"
#include "server/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[] = "/tmp/resonans-config-fuzz-XXXXXX";
    int fd = mkstemp(path);
    struct server_config c;
    struct err err = ERR_INIT;
    if (fd < 0)
        return 0;
    if (size && write(fd, data, size) != (ssize_t)size) {
        close(fd);
        unlink(path);
        return 0;
    }
    close(fd);
    server_config_defaults(&c);
    int rc = server_config_file(&c, path, &err);
    unlink(path);
    if (rc == 0) {
        if (c.port < 0 || c.port > 65535 || c.batch_max < 1 ||
            c.public_body < 1024 || c.rate < 0 || c.burst < 1 ||
            memchr(c.host, 0, sizeof c.host) == NULL)
            abort();
    } else if (rc != ERR_INVALID || !strstr(err.msg, path)) {
        abort();
    }
    return 0;
}
