/* resonans init: create or migrate the database. */
#include "cli/cmd.h"

#include "store/store.h"

int cmd_init(struct app *app, int argc, char **argv)
{
    static const struct opt_spec none[] = {OPT_END}; /* --db is global */
    struct opt_parser p;
    struct opt o;
    int got;
    opt_parser_init(&p, none, argc, argv);
    while ((got = cli_opt_next(app, "init", &p, &o)) > 0)
        return cli_usage_error(app, "init", "unexpected argument '%s'",
                               o.value);
    if (got < 0)
        return EXIT_USAGE;
    struct store *s = cli_store(app);
    if (!s)
        return app->store_exit;
    cli_say(app->out, "%s: schema version %d", app->db_path,
            store_schema_version(s));
    return EXIT_OK;
}
