#!/usr/bin/env bash
# The personas page of the web app in a real browser
# (app_personas_e2e.js): a server over the small test database (40
# customers with their attributes, 200 responses) with an admin and the
# owner of three touchpoints (reparation, app_inlogg, tvattstuga).
# Headless Chromium opens /app/personas as the analyst: the features
# chosen from the data, the cards against GET /api/analyses/personas for
# the same features and period (customers, share, NPS with CI and n,
# k, stability), the form's filter and k kept in the URL, the CSV link,
# English numbers, errors for bad options, axe-core (WCAG 2.1 A/AA) in
# Swedish, English and at 390 px; as the owner, personas over their
# touchpoints only (the admin's API with where=touchpoint=... and the
# owner's own API agree with the page), event features refused, another
# touchpoint empty. SHOTS=DIR keeps personas-1280x800.png and
# personas-390x844.png. Prints TAP; without Chromium, Node,
# playwright-core or axe-core it prints a skip.
# Usage: app_personas.sh [UNIT_BUILD_DIR]
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
UB=${1:-build/asan}
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
. "$ROOT/tests/harness/tap.sh"
cd "$ROOT"
. "$ROOT/tests/browser/lib.bash"
app_ready "the personas page"
JAR=$T/jar
OWNED=reparation,app_inlogg,tvattstuga

if srv_db "$T/db" >"$T/db.out" 2>&1; then ok "a demo database with an admin"; else
    no "a demo database with an admin" "$(cat "$T/db.out")"
fi
printf 'fs-pass-123\n' | "$BIN" --db "$T/db" user add fs --role owner \
    --touchpoints "$OWNED" --password-stdin >/dev/null &&
    ok "a touchpoint owner of $OWNED" || no "a touchpoint owner"
if srv_start "$T/db"; then ok "the server listens on $URL"; else
    no "the server starts" "$(cat "$T/serve.err")"
    tap_done
    exit
fi
srv_login admin admin-pass-1 "$JAR" && ok "the admin signs in (API)" || no "the admin signs in"

# the page's time (the first view, then the best of five)
curl -s -c "$JAR.page" -d 'name=admin&password=admin-pass-1' "$URL/app/login" -o /dev/null
t=$(for _ in 1 2 3 4 5 6; do
    curl -s -b "$JAR.page" -o /dev/null -w '%{time_total} %{size_download}\n' "$URL/app/personas"
done)
echo "# /app/personas: first $(head -1 <<<"$t" | cut -d' ' -f1)s, best of 5 after $(tail -n +2 <<<"$t" | sort -n | head -1 | cut -d' ' -f1)s, $(head -1 <<<"$t" | cut -d' ' -f2) bytes"

app_node 300 app_personas_e2e.js "$URL" "$CHROMIUM" \
    "$OWNED" ${SHOTS:+"$SHOTS"}
srv_stop
grep -q 'ERROR: \(Address\|Leak\)Sanitizer\|runtime error' "$T/serve.err" &&
    no "the server ran clean" "$(grep -m3 -A5 'Sanitizer\|runtime error' "$T/serve.err")" ||
    ok "the server ran clean (no sanitizer report)"
tap_done
