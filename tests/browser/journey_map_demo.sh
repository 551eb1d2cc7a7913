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

. "$ROOT/tests/browser/lib.bash"
browser_ready "the demo journey map"
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

check_page "$page" "$PNG"
tap_done
