/* Loopback sockets for the tests' small servers (linesock.h). */
#include "linesock.h"
#include "harness.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

int harness_listen_any(int *port, int backlog)
{
    struct sockaddr_in a = {0};
    socklen_t al = sizeof a;
    int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;
    assert_true(fd >= 0);
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
    assert_int_equal(listen(fd, backlog), 0);
    assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &al), 0);
    *port = ntohs(a.sin_port);
    return fd;
}

int harness_conn_line(struct harness_conn *c, char *line, size_t cap,
                      size_t *len)
{
    size_t k = 0;
    while (k + 1 < cap) {
        if (c->off == c->have) {
            ssize_t got = recv(c->fd, c->buf, sizeof c->buf, 0);
            if (got <= 0)
                return k ? 0 : -1;
            c->have = (size_t)got;
            c->off = 0;
        }
        line[k++] = c->buf[c->off++];
        if (line[k - 1] == '\n')
            break;
    }
    line[k] = 0;
    *len = k;
    return 0;
}

void harness_say(int fd, const char *s)
{
    ssize_t w = send(fd, s, strlen(s), MSG_NOSIGNAL);
    (void)w;
}

void harness_angle(const char *line, char *out, size_t cap)
{
    const char *a = strchr(line, '<'), *b = a ? strchr(a, '>') : NULL;
    snprintf(out, cap, "%.*s", a && b ? (int)(b - a - 1) : 0, a ? a + 1 : "");
}
