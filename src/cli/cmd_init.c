#include "cli/cmd.h"

#include "store/store.h"

int cmd_init(struct app *app, int argc, char **argv)
{
    (void)argv;
    if (argc > 1)
        return cli_usage_error(app, "init", "unexpected argument '%s'",
                               argv[1]);
    struct store *s = cli_store(app);
    if (!s)
        return EXIT_FAIL;
    fprintf(app->out, "%s: schema version %d\n", app->db_path,
            store_schema_version(s));
    return EXIT_OK;
}
