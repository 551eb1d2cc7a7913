/* Placeholder until the real command lands; replace this file whole. */
#include "cli/cmd.h"

int cmd_journey(struct app *app, int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fputs("resonans: 'journey' is not implemented yet\n", app->err);
    return EXIT_FAIL;
}
