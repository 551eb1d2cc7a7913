#!/usr/bin/env bash
# The touchpoint pages of the web app in a real browser
# (app_views_e2e.js): a server over the small test database with an
# admin and two touchpoint owners (reparation, owned by
# Fastighetsskötsel; kundservice_tel, by Kundservice), and one comment
# submitted through the public JSON API with a unique word, a phone
# number and an e-mail address. Headless Chromium opens /app/touchpoints as the analyst,
# follows the link to reparation, compares its NPS with the API's for
# the same filters, finds the comment (both redacted) with
# its sentiment and explanation, downloads both pages as CSV, and runs
# axe-core (WCAG 2.1 A/AA) on both pages in Swedish and English and at
# 390 px; the owner of reparation sees only reparation, and another
# touchpoint's page is not found. SHOTS=DIR keeps screenshots
# (touchpoints-*.png, touchpoint-*.png at 1280x800 and 390x844). Prints
# TAP; without Chromium, Node, playwright-core or axe-core it prints a
# skip.
# Usage: app_views.sh [UNIT_BUILD_DIR]
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
UB=${1:-build/asan}
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
. "$ROOT/tests/harness/tap.sh"
cd "$ROOT"
. "$ROOT/tests/browser/lib.bash"
app_ready "the touchpoint pages"
JAR=$T/jar
FROM=2026-01-01
TO=2026-12-31
WORD=ventilkransen$$

if srv_db "$T/db" >"$T/db.out" 2>&1; then ok "a demo database with an admin"; else
    no "a demo database with an admin" "$(cat "$T/db.out")"
fi
printf 'fs-pass-123\n' | "$BIN" --db "$T/db" user add fs --role owner \
    --touchpoints reparation --password-stdin >/dev/null &&
    printf 'ks-pass-123\n' | "$BIN" --db "$T/db" user add ks --role owner \
        --touchpoints kundservice_tel --password-stdin >/dev/null &&
    ok "two touchpoint owners" || no "two touchpoint owners"
if srv_start "$T/db"; then ok "the server listens on $URL"; else
    no "the server starts" "$(cat "$T/serve.err")"
    tap_done
    exit
fi
srv_login admin admin-pass-1 "$JAR" && ok "the admin signs in (API)" || no "the admin signs in"
check "the repair survey" api POST /api/surveys --data-binary @data/surveys/repair.json
out=$(anon POST /api/public/surveys/repair/responses -H 'Content-Type: application/json' \
    -d "{\"touchpoint\":\"reparation\",\"client_token\":\"views-1\",\"answers\":{\"nps\":2,\"comment\":\"Ring mig på 070-123 45 67 eller mejla kalle.k@example.se, dålig service med $WORD.\"}}")
[ "$(status_of "$out")" = 201 ] && ok "a comment with a phone number and an e-mail address is submitted at reparation" ||
    no "a comment is submitted" "$out"
wait_rows 201 >/dev/null 2>&1
NPS=$(json_get "$(body_of "$(api GET "/api/analyses/metrics?where=touchpoint=reparation&from=$FROM&to=$TO&metric=nps")")" \
    '$.cells[0].nps.value')
[ -n "$NPS" ] && ok "the API's NPS at reparation for $FROM..$TO: $NPS" || no "the API's NPS"

# timings of the two pages (the first view, then the best of five)
for p in /app/touchpoints /app/touchpoints/reparation; do
    t=$(for _ in 1 2 3 4 5 6; do
        curl -s -b "$JAR" -o /dev/null -w '%{time_total} %{size_download}\n' "$URL$p"
    done)
    echo "# $p: first $(head -1 <<<"$t" | cut -d' ' -f1)s, best of 5 after $(tail -n +2 <<<"$t" | sort -n | head -1 | cut -d' ' -f1)s, $(head -1 <<<"$t" | cut -d' ' -f2) bytes"
done

app_node 300 app_views_e2e.js "$URL" "$CHROMIUM" \
    "$NPS" "$FROM" "$TO" "$WORD" ${SHOTS:+"$SHOTS"}
srv_stop
tap_done
