/* Ways into a survey from outside: a QR code for physical places and an
 * iframe snippet for web pages. */
#include <errno.h>
#include <qrencode.h>
#include <string.h>

#include "core/err.h"
#include "core/escape.h"
#include "core/strbuf.h"
#include "survey/survey.h"

#define QUIET 4 /* modules of white border, as ISO 18004 asks */
#define MAX_URL 2000

int survey_qr_svg(struct strbuf *out, const char *url, struct err *err)
{
    QRcode *qr = NULL;
    size_t start = out->n;
    int rc = 0, w, size;
    if (!url || !*url)
        return err_set(err, ERR_INVALID, "no URL for the QR code");
    if (strlen(url) > MAX_URL)
        return err_set(err, ERR_INVALID,
                       "URL too long for a QR code (at most %d bytes)",
                       MAX_URL);
    errno = 0;
    qr = QRcode_encodeString8bit(url, 0, QR_ECLEVEL_M);
    if (!qr) {
        rc = err_set(err, errno == ERANGE ? ERR_INVALID : ERR_INTERNAL,
                     "cannot make a QR code of this URL%s",
                     errno == ERANGE ? ": too long" : "");
        goto done;
    }
    w = qr->width;
    size = w + 2 * QUIET;
    if ((rc = strbuf_printf(out,
                            "<svg xmlns=\"http://www.w3.org/2000/svg\" "
                            "viewBox=\"0 0 %d %d\" width=\"%d\" "
                            "height=\"%d\" role=\"img\" aria-label=\"",
                            size, size, size * 8, size * 8)) < 0 ||
        (rc = strbuf_puts(out, "QR code: ")) < 0 ||
        (rc = escape_xml(out, url, strlen(url))) < 0 ||
        (rc = strbuf_puts(out, "\" shape-rendering=\"crispEdges\">"
                               "<title>QR code: ")) < 0 ||
        (rc = escape_xml(out, url, strlen(url))) < 0 ||
        (rc = strbuf_printf(out,
                            "</title><rect width=\"%d\" height=\"%d\" "
                            "fill=\"#fff\"/><path fill=\"#000\" d=\"",
                            size, size)) < 0)
        goto done;
    /* one subpath per horizontal run of dark modules keeps the path short */
    for (int y = 0; y < w && rc == 0; y++) {
        for (int x = 0; x < w && rc == 0;) {
            int run = 0;
            while (x + run < w && (qr->data[y * w + x + run] & 1))
                run++;
            if (run)
                rc = strbuf_printf(out, "M%d %dh%dv1h-%dz", x + QUIET,
                                   y + QUIET, run, run);
            x += run ? run : 1;
        }
    }
    if (rc == 0)
        rc = strbuf_puts(out, "\"/></svg>\n");
done:
    if (rc < 0) {
        out->n = start;
        if (out->p)
            out->p[start] = 0;
        if (rc == ERR_INVALID && err && !err->code)
            err_set(err, ERR_INVALID, "QR code too large for the buffer");
    }
    QRcode_free(qr);
    return rc;
}

static int url_ok(const char *url)
{
    if (!strncmp(url, "https://", 8) || !strncmp(url, "http://", 7))
        return 1;
    /* a path on this server, not "//host" (another scheme's way in) */
    return url[0] == '/' && url[1] != '/';
}

int survey_embed_snippet(struct strbuf *out, const char *url, const char *title,
                         struct err *err)
{
    size_t start = out->n;
    int rc;
    if (!url || !url_ok(url))
        return err_set(err, ERR_INVALID,
                       "the survey URL must begin with https://, http:// "
                       "or /");
    if (!title)
        title = "";
    if ((rc = strbuf_puts(out, "<iframe src=\"")) < 0 ||
        (rc = escape_xml(out, url, strlen(url))) < 0 ||
        (rc = strbuf_puts(out, "\" title=\"")) < 0 ||
        (rc = escape_xml(out, title, strlen(title))) < 0 ||
        (rc = strbuf_puts(out, "\" width=\"360\" height=\"640\" "
                               "loading=\"lazy\"></iframe>\n"
                               "<p><a href=\"")) < 0 ||
        (rc = escape_xml(out, url, strlen(url))) < 0 ||
        (rc = strbuf_puts(out, "\">")) < 0 ||
        (rc = escape_xml(out, title, strlen(title))) < 0 ||
        (rc = strbuf_puts(out, "</a></p>\n")) < 0) {
        out->n = start;
        if (out->p)
            out->p[start] = 0;
        return err_set(err, rc, "embed snippet too large for the buffer");
    }
    return 0;
}
