/* Placeholder until the real command lands; replace this file whole. */
#include "cli/cmd.h"

int cmd_export(struct app *app, int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fputs("resonans: 'export' is not implemented yet\n", app->err);
    return EXIT_FAIL;
}
