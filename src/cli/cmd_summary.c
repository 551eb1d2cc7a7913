/* Placeholder until the real command lands; replace this file whole. */
#include "cli/cmd.h"

int cmd_summary(struct app *app, int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fputs("resonans: 'summary' is not implemented yet\n", app->err);
    return EXIT_FAIL;
}
