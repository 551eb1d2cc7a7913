#include "server/errlog.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/err.h"
#include "core/strbuf.h"

void errlog(const char *where, const struct err *err)
{
    char ts[32], msg[512];
    time_t t = time(NULL);
    struct tm tm;
    struct strbuf line = STRBUF_INIT;
    gmtime_r(&t, &tm);
    strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%SZ", &tm);
    err_str(err, msg, sizeof msg);
    strbuf_printf(&line, "{\"ts\":\"%s\",\"level\":\"error\",\"where\":", ts);
    strbuf_json_string(&line, where, strlen(where));
    strbuf_puts(&line, ",\"message\":");
    strbuf_json_string(&line, msg, strlen(msg));
    strbuf_puts(&line, "}\n");
    /* one write, so lines of two threads do not mix */
    fwrite(line.p, 1, line.n, stderr);
    strbuf_dispose(&line);
}
