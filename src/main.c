/* resonans: argv -> the command table. Owns the process lifetime. */
#include <stdio.h>
#include <unistd.h>

#include "cli/cmd.h"
#include "cli/metrics_cli.h"
#include "store/store.h"

int main(int argc, char **argv)
{
    struct app app = {0};
    int rc;
    app.out = stdout;
    app.err = stderr;
    app.out_is_tty = isatty(STDOUT_FILENO);
    app.err_is_tty = isatty(STDERR_FILENO);
    rc = cli_main(&app, argc, argv);
    store_free(app.store);
    app.store = NULL;
    if (fflush(stdout) != 0 && rc == 0) {
        perror("resonans: writing output");
        rc = 1;
    }
    fflush(stderr);
    /* Last, once the answer is out: a column store snapshot left to write
     * goes to a child, and this process ends without freeing anything
     * (metrics_cli_write_due says why). */
    if (metrics_cli_write_due(&app))
        _exit(rc);
    return rc;
}
