#!/usr/bin/env bash
# The web app's "what to fix first" page in a real browser
# (app_priorities_e2e.js): a server over a generated demo database (4000
# responses over 6 months, so the repair survey's rating battery has a
# few hundred complete answers) with an analyst and two touchpoint
# owners (reparation, owned by Fastighetsskötsel; kundservice_tel, by
# Kundservice). Headless Chromium opens /app/priorities as the analyst:
# the drivers chosen by default, the matrix (an SVG with role=img, a
# title, a description and a table behind it) and the ranked list; the
# demo's example (reparation, target by customer.district) through the
# page's form; a sample of the page's figures against
# GET /api/analyses/priorities for the same filters and options; the
# CSV; a clear message for too few responses and for a bad option;
# axe-core (WCAG 2.1 A/AA) in Swedish, in English and at 390 px. The
# owners see their touchpoints' analysis only: the same figures as the
# API gives them, fewer responses than the analyst's, and another
# touchpoint's data never. SHOTS=DIR keeps priorities-1280x800.png and
# priorities-390x844.png there. Prints TAP; without Chromium, Node,
# playwright-core or axe-core it prints a skip.
# Usage: app_priorities.sh [UNIT_BUILD_DIR]
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
UB=${1:-build/asan}
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
. "$ROOT/tests/harness/tap.sh"
cd "$ROOT"
. "$ROOT/tests/browser/lib.bash"
app_ready "the priorities page"
JAR=$T/jar
FROM=2020-01-01
TO=2030-12-31
DRIVERS=rating:speed,rating:quality,rating:communication,rating:staff

if {
    "$BIN" demo generate "$T/demo" --customers 400 --responses 4000 \
        --months 6 --seed 3 &&
        "$BIN" --db "$T/db" journey load "$T/demo/journey.json" &&
        "$BIN" --db "$T/db" import customers "$T/demo/customers.csv" --quiet &&
        "$BIN" --db "$T/db" import responses "$T/demo/responses.csv" --quiet &&
        printf 'admin-pass-1\n' | "$BIN" --db "$T/db" user add admin \
            --role admin --password-stdin
} >"$T/db.out" 2>&1; then
    ok "a demo database of 4000 responses with an admin"
else
    no "a demo database" "$(cat "$T/db.out")"
fi
echo "# the database took ${SECONDS}s"
printf 'ana-pass-123\n' | "$BIN" --db "$T/db" user add ana --role analyst \
    --password-stdin >/dev/null && ok "an analyst" || no "an analyst"
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
srv_login ana ana-pass-123 "$JAR" && ok "the analyst signs in (API)" || no "the analyst signs in"
wait_rows 4000 >/dev/null 2>&1

# the API's figures for the demo's example, and for every theme
out=$(api GET "/api/analyses/priorities?drivers=$DRIVERS&where=touchpoint=reparation&target-by=customer.district&from=$FROM&to=$TO")
body_of "$out" >"$T/api-example.json"
out=$(api GET "/api/analyses/priorities?drivers=themes&from=$FROM&to=$TO")
body_of "$out" >"$T/api-themes.json"
for f in example themes; do
    if [ -n "$(json_get "$(cat "$T/api-$f.json")" '$.priorities[0].driver')" ]; then
        ok "the API's priorities ($f): n = $(json_get "$(cat "$T/api-$f.json")" '$.n')"
    else
        no "the API's priorities ($f)" "$(head -c 400 "$T/api-$f.json")"
    fi
done

# timings: the first view, then the best of five
p="/app/priorities?from=$FROM&to=$TO"
t=$(for _ in 1 2 3 4 5 6; do
    curl -s -b "$JAR" -o /dev/null -w '%{time_total} %{size_download}\n' "$URL$p"
done)
echo "# $p: first $(head -1 <<<"$t" | cut -d' ' -f1)s, best of 5 after $(tail -n +2 <<<"$t" | sort -n | head -1 | cut -d' ' -f1)s, $(head -1 <<<"$t" | cut -d' ' -f2) bytes"

echo "# the browser starts at ${SECONDS}s"
app_node 300 app_priorities_e2e.js "$URL" "$CHROMIUM" \
    "$FROM" "$TO" "$DRIVERS" "$T/api-example.json" "$T/api-themes.json" \
    ${SHOTS:+"$SHOTS"}
echo "# done at ${SECONDS}s"
srv_stop
tap_done
