#!/usr/bin/env bash
# The surveys pages of the web app in a real browser
# (app_surveys_e2e.js): a server over the small test database with an
# admin and a touchpoint owner (reparation) and the repair survey loaded
# through the API. Headless Chromium, as the admin, builds a new survey
# in the form (adds questions, changes a type, is shown an error beside
# its field with nothing saved, then saves), compares what was stored
# with what the API stores for the same JSON, saves the repair survey
# unchanged (the stored definition must not move), removes and moves a
# question without saving, edits the whole definition as JSON, checks
# the signed link, QR code and embed snippet against the API's, answers
# the new survey at /s/KEY and finds the answer counted on the list as
# by the API, downloads the list as CSV, deletes a survey through its
# confirmation step, and runs axe-core (WCAG 2.1 A/AA) in Swedish,
# English and at 390 px; the owner gets 403 on every surveys page.
# SHOTS=DIR keeps screenshots (surveys-*.png at 1280x800 and 390x844).
# Prints TAP; without Chromium, Node, playwright-core or axe-core it
# prints a skip.
# Usage: app_surveys.sh [UNIT_BUILD_DIR]
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
UB=${1:-build/asan}
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
. "$ROOT/tests/harness/tap.sh"
cd "$ROOT"
. "$ROOT/tests/browser/lib.bash"
app_ready "the surveys pages"
JAR=$T/jar
KEY=nytt_$$

if srv_db "$T/db" >"$T/db.out" 2>&1; then ok "a demo database with an admin"; else
    no "a demo database with an admin" "$(cat "$T/db.out")"
fi
printf 'fs-pass-123\n' | "$BIN" --db "$T/db" user add fs --role owner \
    --touchpoints reparation --password-stdin >/dev/null &&
    ok "a touchpoint owner" || no "a touchpoint owner"
if srv_start "$T/db"; then ok "the server listens on $URL"; else
    no "the server starts" "$(cat "$T/serve.err")"
    tap_done
    exit
fi
srv_login admin admin-pass-1 "$JAR" && ok "the admin signs in (API)" || no "the admin signs in"
out=$(api POST /api/surveys --data-binary @data/surveys/repair.json)
[ "$(status_of "$out")" = 201 ] && ok "the repair survey through the API" ||
    no "the repair survey through the API" "$out"

app_node 300 app_surveys_e2e.js "$URL" "$CHROMIUM" \
    "$KEY" ${SHOTS:+"$SHOTS"}
# the audit log has the builder's saves as the API's
audit=$(body_of "$(api GET "/api/audit?limit=200")")
grep -q "survey.create" <<<"$audit" && grep -q "survey.replace" <<<"$audit" &&
    grep -q "survey.delete" <<<"$audit" &&
    ok "the builder's create, replace and delete are audited" ||
    no "the builder's changes are audited" "$(head -c 600 <<<"$audit")"
srv_stop
tap_done
