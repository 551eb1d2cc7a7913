#!/usr/bin/env bash
# The web app's journey map in a real browser (app_journey_e2e.js): a
# server over a small demo database with its events, a second journey
# (no answers yet) and a touchpoint owner (reparation). Headless Chromium
# signs in as the admin, opens /app/journey in Swedish and English, with
# and without a filter, checks the map (an SVG with role=img, a title
# and a description) and its table of stages against the API's
# /api/analyses/metrics?by=stage&metric=nps for the same filters, follows
# the link to the second journey, checks what the owner sees, and runs
# axe-core (WCAG 2.1 A and AA) in both languages and 390 px wide. No
# console or CSP error and no request leaving the server. SHOTS=DIR keeps
# journey-1280x800.png and journey-390x844.png there. Prints TAP;
# without Chromium, Node, playwright-core or axe-core it prints a skip.
# Usage: app_journey.sh [UNIT_BUILD_DIR]
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
UB=${1:-build/asan}
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
. "$ROOT/tests/harness/tap.sh"
cd "$ROOT"
. "$ROOT/tests/browser/lib.bash"
app_ready "the web app's journey map"
JAR=$T/jar
FROM=2026-01-01
TO=2026-12-31
WHERE=channel=app

if srv_db "$T/db" >"$T/db.out" 2>&1; then ok "a demo database with an admin"; else
    no "a demo database with an admin" "$(cat "$T/db.out")"
fi
check "the demo's events" "$BIN" --db "$T/db" import events "$T/demo/events.csv" --quiet
cat >"$T/flytt.json" <<'EOF'
{"journeys": [{"key": "flytt", "name": "Flytt inom beståndet", "lifecycle": "use",
  "stages": [
    {"key": "flytt_anmalan", "name": "Anmälan",
     "touchpoints": [{"key": "flytt_webb", "name": "Flyttanmälan på webben",
                      "channel": "web"}]},
    {"key": "flytt_byte", "name": "Byte av lägenhet",
     "touchpoints": [{"key": "flytt_besiktning", "name": "Besiktning vid flytt",
                      "channel": "onsite", "moment_of_truth": true}]}]}]}
EOF
check "a second journey, without answers" "$BIN" --db "$T/db" journey load "$T/flytt.json"
printf 'fs-pass-123\n' | "$BIN" --db "$T/db" user add fs --role owner \
    --touchpoints reparation --password-stdin >/dev/null &&
    ok "a touchpoint owner (reparation)" || no "a touchpoint owner"
if srv_start "$T/db"; then ok "the server listens on $URL"; else
    no "the server starts" "$(cat "$T/serve.err")"
    tap_done
    exit
fi
srv_login admin admin-pass-1 "$JAR" && ok "the admin signs in (API)" || no "the admin signs in"
wait_rows 200 >/dev/null 2>&1
# the API's NPS by stage for the page's filters: without and with WHERE
for w in "" "$WHERE"; do
    f=$T/api${w:+-where}.json
    out=$(api GET "/api/analyses/metrics?by=stage&metric=nps&from=$FROM&to=$TO${w:+&where=$w}")
    body_of "$out" >"$f"
    if [ "$(status_of "$out")" = 200 ] && [ -n "$(json_get "$(cat "$f")" '$.cells[0].stage')" ]; then
        ok "the API's NPS by stage for $FROM..$TO${w:+ where $w}"
    else
        no "the API's NPS by stage${w:+ where $w}" "$out"
    fi
done
# the page's time, signed in with curl (first view, then warm)
curl -s -c "$T/pjar" -d 'name=admin&password=admin-pass-1' -o /dev/null "$URL/app/login"
for i in 1 2 3; do
    t=$(curl -s -b "$T/pjar" -o "$T/page.html" -w '%{http_code} %{time_total}s %{size_download}B' \
        "$URL/app/journey?from=$FROM&to=$TO")
    echo "# GET /app/journey ($i): $t"
done

app_node 300 app_journey_e2e.js "$URL" "$CHROMIUM" \
    "$FROM" "$TO" "$WHERE" "$T/api.json" "$T/api-where.json" ${SHOTS:+"$SHOTS"}
srv_stop
tap_done
