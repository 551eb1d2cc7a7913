#!/usr/bin/env bash
# The journey map of the demo data itself, end to end and in a real
# browser: a small demo set is generated and imported, `resonans journey
# map --lang sv --out map.html` draws it (with the process map of the
# work orders), and check_labels.js opens the page in headless Chromium
# at 1280x800 and fails on two overlapping labels, a label outside the
# window, a network request or a page error. Saves the screenshot
# (docs/images/journey-map-demo.png unless a path is given). Prints TAP;
# without Chromium, Node or playwright-core it prints a skip, as
# journey_map.sh does.
# Usage: journey_map_demo.sh [UNIT_BUILD_DIR [SCREENSHOT]]
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
UB=${1:-build/asan}
PNG=${2:-$ROOT/docs/images/journey-map-demo.png}
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
. "$ROOT/tests/harness/tap.sh"
cd "$ROOT"

skip() {
    echo "ok 1 # SKIP browser check of the demo journey map: $1"
    echo "1..1"
    exit 0
}
[ -x "$CHROMIUM" ] || skip "no Chromium at $CHROMIUM"
command -v node >/dev/null 2>&1 || skip "no node"
if [ ! -d tests/browser/node_modules/playwright-core ]; then
    command -v npm >/dev/null 2>&1 || skip "no npm"
    npm ci --prefix tests/browser --no-audit --no-fund --silent >/dev/null 2>&1 ||
        skip "npm ci in tests/browser failed (offline?)"
fi
BIN=$ROOT/$UB/resonans
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
R() { "$BIN" --db "$T/demo.db" "$@"; }
check "demo generate" "$BIN" demo generate "$T/d" --customers 2000 --responses 30000 --seed 3 --comments 0.2
check "journey load" R journey load "$T/d/journey.json"
check "import customers" R import customers "$T/d/customers.csv" --quiet
check "import responses" R import responses "$T/d/responses.csv" --quiet
check "import events" R import events "$T/d/events.csv" --quiet
page=$T/map.html
out=$(R journey map --lang sv --out "$page" --where activity=fault_report,contact,repair --gap 30d 2>&1)
if [ -s "$page" ]; then ok "journey map wrote the page"; else no "journey map wrote the page" "$out"; fi

mkdir -p "$(dirname "$PNG")"
if ! res=$(timeout 120 node tests/browser/check_labels.js "$page" "$PNG" "$CHROMIUM" 2>&1); then
    no "Chromium opened the page" "$res"
    tap_done
    exit
fi
ok "Chromium opened the page"
field() { node -e 'const r = JSON.parse(process.argv[1]); const v = r[process.argv[2]]; console.log(Array.isArray(v) ? v.length + "\n" + v.join("\n") : v)' "$res" "$1"; }
labels=$(field labels)
over=$(field overlaps)
outside=$(field outside)
reqs=$(field requests)
errs=$(field errors)
sw=$(field scroll_width)
if [ "$labels" -gt 100 ]; then ok "labels measured: $labels"; else no "labels measured: $labels (expected over 100)"; fi
if [ "${over%%$'\n'*}" = 0 ]; then ok "no two of $labels labels overlap"; else no "no two of $labels labels overlap" "$over"; fi
if [ "${outside%%$'\n'*}" = 0 ] && [ "$sw" -le 1280 ]; then
    ok "every label inside the 1280 px window (page width $sw)"
else
    no "every label inside the 1280 px window (page width $sw)" "$outside"
fi
if [ "${reqs%%$'\n'*}" = 0 ]; then ok "no network request"; else no "no network request" "$reqs"; fi
if [ "${errs%%$'\n'*}" = 0 ]; then ok "no page error"; else no "no page error" "$errs"; fi
if [ -s "$PNG" ]; then ok "screenshot saved: ${PNG#$ROOT/}"; else no "screenshot saved: $PNG"; fi
tap_done
