/* The demo's loop document (docs/demo-data.md, "The closed loop"): the
 * rules that open cases, the teams with their e-mail and escalation, the
 * working-time calendar, the daily digest and the recovery survey. It is
 * kept here as a string so the generator writes it beside the data
 * (loop.json) and the demo cannot drift from a separate file. */
#include "demo/demo.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "core/strbuf.h"

static const char loop_document[] =
    "{\n"
    "  \"rules\": [\n"
    "    {\"key\": \"safety\", \"name\": \"Trygghet och säkerhet\",\n"
    "     \"when\": {\"themes\": [\"safety\"]},\n"
    "     \"priority\": \"urgent\", \"sla_hours\": 2, \"team\": "
    "\"Förvaltning\"},\n"
    "    {\"key\": \"call_me\", \"name\": \"Kunden vill bli kontaktad\",\n"
    "     \"when\": {\"consent\": true, \"nps_max\": 8},\n"
    "     \"priority\": \"high\", \"sla_hours\": 4},\n"
    "    {\"key\": \"detractor_moment_of_truth\",\n"
    "     \"name\": \"Missnöjd vid ett sanningens ögonblick\",\n"
    "     \"when\": {\"touchpoints\": [\"visning\", \"kontrakt_digital\", "
    "\"nyckel\",\n"
    "                              \"reparation\", \"kundservice_tel\",\n"
    "                              \"besiktning_ut\"],\n"
    "              \"nps_max\": 4},\n"
    "     \"priority\": \"high\", \"sla_hours\": 8},\n"
    "    {\"key\": \"strongly_negative\", \"name\": \"Starkt negativ "
    "kommentar\",\n"
    "     \"when\": {\"sentiment_max\": -0.5},\n"
    "     \"priority\": \"normal\", \"sla_hours\": 16},\n"
    "    {\"key\": \"observation\", \"name\": \"Medarbetarens observation\",\n"
    "     \"when\": {\"respondent\": \"employee\", \"ces_max\": 3},\n"
    "     \"priority\": \"low\", \"sla_hours\": 40, \"recovery\": false}\n"
    "  ],\n"
    "  \"calendar\": {\"tz\": \"Europe/Stockholm\", \"open\": \"08:00\", "
    "\"close\": \"17:00\"},\n"
    "  \"teams\": {\n"
    "    \"Uthyrning\": {\"email\": \"uthyrning@hemvist.example\", "
    "\"escalate_to\": \"Kundservicechef\"},\n"
    "    \"Kundservice\": {\"email\": \"kundservice@hemvist.example\", "
    "\"escalate_to\": \"Kundservicechef\"},\n"
    "    \"Fastighetsskötsel\": {\"email\": \"drift@hemvist.example\", "
    "\"escalate_to\": \"Förvaltningschef\"},\n"
    "    \"Förvaltning\": {\"email\": \"forvaltning@hemvist.example\", "
    "\"escalate_to\": \"Förvaltningschef\"},\n"
    "    \"Ekonomi\": {\"email\": \"ekonomi@hemvist.example\", "
    "\"escalate_to\": \"Kundservicechef\"},\n"
    "    \"IT/Digitala kanaler\": {\"email\": \"digital@hemvist.example\", "
    "\"escalate_to\": \"CX-ledning\"},\n"
    "    \"Kundservicechef\": {\"email\": "
    "\"kundservicechef@hemvist.example\", \"escalate_to\": \"CX-ledning\"},\n"
    "    \"Förvaltningschef\": {\"email\": "
    "\"forvaltningschef@hemvist.example\", \"escalate_to\": \"CX-ledning\"},\n"
    "    \"CX-ledning\": {\"email\": \"cx@hemvist.example\"}\n"
    "  },\n"
    "  \"notify\": {\"email\": {\"mode\": \"digest\", \"digest_hours\": "
    "24}},\n"
    "  \"recovery\": {\"survey\": \"aterkoppling\"}\n"
    "}\n";

int demo_loop_write(const char *dir, struct err *err)
{
    struct strbuf path = STRBUF_INIT, tmp = STRBUF_INIT;
    size_t n = sizeof loop_document - 1;
    int rc = 0;
    strbuf_printf(&path, "%s/loop.json", dir);
    strbuf_printf(&tmp, "%s/.loop.json.tmp", dir);
    FILE *f = fopen(strbuf_str(&tmp), "w");
    if (!f) {
        rc = err_set(err, ERR_IO, "cannot write %s: %s", strbuf_str(&tmp),
                     strerror(errno));
        goto done;
    }
    int bad = fwrite(loop_document, 1, n, f) != n;
    if (fclose(f) != 0 || bad ||
        rename(strbuf_str(&tmp), strbuf_str(&path)) != 0) {
        rc = err_set(err, ERR_IO, "cannot write %s: %s", strbuf_str(&path),
                     strerror(errno ? errno : EIO));
        remove(strbuf_str(&tmp));
    }
done:
    strbuf_dispose(&path);
    strbuf_dispose(&tmp);
    return rc;
}
