#!/usr/bin/env bash
# The web app in a real browser (app_e2e.js): a server over a small demo
# database with an admin, two touchpoint owners (reparation, owned by
# Fastighetsskötsel; kundservice_tel, by Kundservice), the closed loop's
# rules and a detractor's case at reparation. Headless Chromium signs in
# as each, opens the overview and the cases, acts on the case as its
# owner, checks that the other owner cannot see it, compares the page's
# headline NPS with the API's for the same filters, and runs axe-core on
# every page. SHOTS=DIR keeps screenshots (1280x800 and 390x844) there
# (docs/screenshots/ is made this way). Prints TAP; without Chromium,
# Node, playwright-core or axe-core it prints a skip.
# Usage: app.sh [UNIT_BUILD_DIR]
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
UB=${1:-build/asan}
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
. "$ROOT/tests/harness/tap.sh"
cd "$ROOT"
. "$ROOT/tests/browser/lib.bash"
app_ready "the web app"
JAR=$T/jar
FROM=2026-01-01
TO=2026-12-31

if srv_db "$T/db" >"$T/db.out" 2>&1; then ok "a demo database with an admin"; else
    no "a demo database with an admin" "$(cat "$T/db.out")"
fi
printf 'fs-pass-123\n' | "$BIN" --db "$T/db" user add fs --role owner \
    --touchpoints reparation --password-stdin >/dev/null &&
    printf 'ks-pass-123\n' | "$BIN" --db "$T/db" user add ks --role owner \
        --touchpoints kundservice_tel --password-stdin >/dev/null &&
    ok "two touchpoint owners" || no "two touchpoint owners"
cat >"$T/loop.json" <<'EOF'
{"rules": [{"key": "detractor", "name": "Missnöjd kund",
            "when": {"touchpoints": ["reparation"], "nps_max": 6},
            "priority": "high", "sla_hours": 8}]}
EOF
check "the rules" "$BIN" --db "$T/db" rules load "$T/loop.json"
if srv_start "$T/db"; then ok "the server listens on $URL"; else
    no "the server starts" "$(cat "$T/serve.err")"
    tap_done
    exit
fi
srv_login admin admin-pass-1 "$JAR" && ok "the admin signs in (API)" || no "the admin signs in"
check "the repair survey" api POST /api/surveys --data-binary @data/surveys/repair.json
out=$(anon POST /api/public/surveys/repair/responses -H 'Content-Type: application/json' \
    -d '{"touchpoint":"reparation","client_token":"app-1","answers":{"nps":1,"comment":"Ingen kom, dålig service."}}')
[ "$(status_of "$out")" = 201 ] && ok "a detractor answers at reparation" ||
    no "a detractor answers" "$out"
CASE=$(json_get "$(body_of "$(api GET '/api/cases?touchpoint=reparation')")" '$.cases[0].id')
[ -n "$CASE" ] && ok "the rules opened case #$CASE" || no "the case"
wait_rows 201 >/dev/null 2>&1
NPS=$(json_get "$(body_of "$(api GET "/api/analyses/metrics?from=$FROM&to=$TO&metric=nps")")" \
    '$.cells[0].nps.value')
[ -n "$NPS" ] && ok "the API's NPS for $FROM..$TO: $NPS" || no "the API's NPS"

res=$(timeout 300 node "$ROOT/tests/browser/app_e2e.js" "$URL" "$CHROMIUM" \
    "$CASE" "$NPS" "$FROM" "$TO" ${SHOTS:+"$SHOTS"} 2>"$T/node.err")
while IFS=$'\t' read -r kind a b; do
    case $kind in
    ok) ok "$a" ;;
    no) no "$a" "${b//\\n/$'\n'}" ;;
    '#') echo "# $a" ;;
    esac
done <<<"$res"
[ -s "$T/node.err" ] && echo "# node: $(head -c 400 "$T/node.err")"
srv_stop
tap_done
