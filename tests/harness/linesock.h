#pragma once
/* What the tests' small servers on loopback share (the SMTP sinks of
 * tests/loop): a listening socket, a line reader and a writer. */

#include <stddef.h>

/* A socket listening on 127.0.0.1 at a port the kernel picks (*port). */
int harness_listen_any(int *port, int backlog);

/* One connection read a line at a time. */
struct harness_conn {
    int fd;
    char buf[4096];
    size_t have, off;
};
/* One line with its line end, at most cap - 1 bytes (*len); -1 at EOF. */
int harness_conn_line(struct harness_conn *c, char *line, size_t cap,
                      size_t *len);
/* Sends s (a closed peer is not an error here). */
void harness_say(int fd, const char *s);
/* The address between < and > of "MAIL FROM:<...>" or "RCPT TO:<...>". */
void harness_angle(const char *line, char *out, size_t cap);
