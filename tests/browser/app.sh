#!/usr/bin/env bash
# The web app in a real browser (app_e2e.js): a server over a small demo
# database with an admin, two touchpoint owners (reparation, owned by
# Fastighetsskötsel; kundservice_tel, by Kundservice), the closed loop's
# rules and a detractor's case at reparation. Headless Chromium signs in
# as each, opens the overview and the cases, acts on the case as its
# owner, checks that the other owner cannot see it, compares the page's
# headline NPS with the API's for the same filters, and runs axe-core on
# every page. The overview's marks are planted: a month of detractors
# at reparation (2026-11, all saying they waited), so November's NPS
# drops significantly from October's and the theme "waiting" rises; the
# page's changes and shares are compared with the API's compare and
# themes for the same days, as analyst and as owners, and its live
# update (?refresh=2) must pick up a new response. SHOTS=DIR keeps
# screenshots (1280x800 and 390x844) there (docs/screenshots/ is made
# this way). Prints TAP; without Chromium, Node, playwright-core or
# axe-core it prints a skip.
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
# a month of detractors who waited, before the rules (no cases for them)
{
    echo "id,submitted_at,customer,touchpoint,channel,language,nps,comment"
    for i in $(seq 1 60); do
        printf 'P%03d,2026-11-%02dT10:00:00+01:00,K0000%02d,reparation,phone,sv,%d,"%s"\n' \
            "$i" $((i % 28 + 1)) $((i % 40 + 1)) $((i % 3)) \
            "Väntetiden var lång, jag fick vänta i kö i över en timme."
    done
} >"$T/nov.csv"
check "a month of detractors (2026-11)" "$BIN" --db "$T/db" import responses "$T/nov.csv" --quiet
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
# the marks' figures from the API: compare (NPS, B - A) and themes
cmp_diff() {
    json_get "$(body_of "$(api GET "/api/analyses/compare?a=$1&b=$2&metric=nps")")" \
        '$.tests[0].diff.value'
}
MONTH_D=$(cmp_diff 2026-10-01..2026-10-31 2026-11-01..2026-11-30)
HEAD_D=$(cmp_diff 2026-10-02..2026-10-31 2026-11-01..2026-11-30)
SHARE=$(json_get "$(body_of "$(api GET '/api/analyses/themes?from=2026-11-01&to=2026-11-30')")" \
    '$.themes[0].share_pct')
THEME=$(json_get "$(body_of "$(api GET '/api/analyses/themes?from=2026-11-01&to=2026-11-30')")" \
    '$.themes[0].theme')
[ -n "$MONTH_D" ] && [ -n "$HEAD_D" ] && [ "$THEME" = waiting ] &&
    ok "the API's changes: 2026-11 against 2026-10 $MONTH_D, against the 30 days before $HEAD_D; $THEME $SHARE%" ||
    no "the API's changes" "$MONTH_D $HEAD_D $THEME $SHARE"

app_node 300 app_e2e.js "$URL" "$CHROMIUM" \
    "$CASE" "$NPS" "$FROM" "$TO" "$MONTH_D" "$HEAD_D" "$SHARE" \
    ${SHOTS:+"$SHOTS"}
srv_stop
tap_done
