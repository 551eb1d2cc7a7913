#!/usr/bin/env bash
# The stories explorer of the web app in a real browser
# (app_stories_e2e.js): a server over a small generated demo database
# (3000 responses over two months, the demo's triad why_contact and dyad
# settled at kundservice_tel), an admin and two touchpoint owners
# (kundservice_tel, owned by Kundservice; reparation, by
# Fastighetsskötsel). Headless Chromium opens /app/stories as the analyst,
# compares the pattern's figures with GET /api/analyses/patterns for the
# same filters, follows a corner's link and compares its stories with
# GET /api/analyses/verbatims?triad=..&corner=.., follows a cell's and a
# dyad bin's link and compares their counts with the API's histogram,
# downloads the CSV, runs axe-core (WCAG 2.1 A/AA) in Swedish, English
# and at 390 px; the owner of kundservice_tel sees the figures of their
# touchpoint (the API's for them), the owner of reparation is told there
# are no answers. SHOTS=DIR keeps screenshots (stories-1280x800.png,
# stories-390x844.png). Prints TAP; without Chromium, Node,
# playwright-core or axe-core it prints a skip.
# Usage: app_stories.sh [UNIT_BUILD_DIR]
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
UB=${1:-build/asan}
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
. "$ROOT/tests/harness/tap.sh"
cd "$ROOT"
. "$ROOT/tests/browser/lib.bash"
app_ready "the stories explorer"
JAR=$T/jar

# more answers than srv_db's 200, so the triad has a pattern to read
if "$BIN" demo generate "$T/demo" --customers 300 --responses 3000 \
    --months 2 --seed 3 --comments 0.5 --no-events >/dev/null &&
    "$BIN" --db "$T/db" journey load "$T/demo/journey.json" >/dev/null &&
    "$BIN" --db "$T/db" import customers "$T/demo/customers.csv" --quiet &&
    "$BIN" --db "$T/db" import responses "$T/demo/responses.csv" --quiet >/dev/null &&
    printf 'admin-pass-1\n' | "$BIN" --db "$T/db" user add admin --role admin \
        --password-stdin >/dev/null; then
    ok "a demo database of 3000 responses with an admin"
else
    no "a demo database with an admin"
fi
printf 'ks-pass-123\n' | "$BIN" --db "$T/db" user add ks --role owner \
    --touchpoints kundservice_tel --password-stdin >/dev/null &&
    printf 'fs-pass-123\n' | "$BIN" --db "$T/db" user add fs --role owner \
        --touchpoints reparation --password-stdin >/dev/null &&
    ok "two touchpoint owners" || no "two touchpoint owners"
if srv_start "$T/db"; then ok "the server listens on $URL"; else
    no "the server starts" "$(cat "$T/serve.err")"
    tap_done
    exit
fi
srv_login admin admin-pass-1 "$JAR" && ok "the admin signs in (API)" || no "the admin signs in"
out=$(api GET "/app/stories?triad=why_contact&region=cell-99-0-up")
[ "$(status_of "$out")" = 400 ] && grep -q 'region' <<<"$out" &&
    ok "a bad region is a clear 400 page" || no "a bad region is a 400" "$out"
out=$(api GET "/app/stories?triad=no_such_triad")
[ "$(status_of "$out")" = 404 ] && grep -q 'no answers to triad:no_such_triad' <<<"$out" &&
    ok "an unknown triad says so" || no "an unknown triad says so" "$out"

# timings: the first view, then the best of five
for p in "/app/stories" "/app/stories?by=segment&region=corner-1"; do
    t=$(for _ in 1 2 3 4 5 6; do
        curl -s -b "$JAR" -o /dev/null -w '%{time_total} %{size_download}\n' "$URL$p"
    done)
    echo "# $p: first $(head -1 <<<"$t" | cut -d' ' -f1)s, best of 5 after $(tail -n +2 <<<"$t" | sort -n | head -1 | cut -d' ' -f1)s, $(head -1 <<<"$t" | cut -d' ' -f2) bytes"
done

app_node 300 app_stories_e2e.js "$URL" "$CHROMIUM" \
    ${SHOTS:+"$SHOTS"}
srv_stop
tap_done
