/* resonans: argv -> the command table. Owns the process lifetime. */
#include <stdio.h>
#include <unistd.h>

#include "cli/cmd.h"
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
    if (fflush(stdout) != 0 && rc == 0) {
        perror("resonans: writing output");
        rc = 1;
    }
    return rc;
}
