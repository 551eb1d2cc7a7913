/* Placeholder until the real command lands; replace this file whole. */
#include "cli/cmd.h"

int cmd_text(struct app *app, int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fputs("resonans: 'text' is not implemented yet\n", app->err);
    return EXIT_FAIL;
}
