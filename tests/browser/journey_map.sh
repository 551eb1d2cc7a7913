#!/usr/bin/env bash
# The journey map page in a real browser: test_journey_map writes the
# demo-like page (JOURNEY_MAP_HTML), headless Chromium opens it at
# 1280x800 with the network refused, and check_labels.js reads the box of
# every SVG <text> from the DOM. Fails if two labels overlap, a label
# leaves the window horizontally, the page asks for anything from a
# network or throws. Saves the screenshot (docs/images/journey-map.png
# unless a path is given). Prints TAP; without Chromium, Node or the npm
# package playwright-core (npm ci in tests/browser) it prints a skip and
# exits 0.
# Usage: journey_map.sh [UNIT_BUILD_DIR [SCREENSHOT]]
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
UB=${1:-build/asan}
PNG=${2:-$ROOT/docs/images/journey-map.png}
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
. "$ROOT/tests/harness/tap.sh"
cd "$ROOT"

. "$ROOT/tests/browser/lib.bash"
browser_ready "the journey map"

T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
bin=$UB/tests/report/test_journey_map
if [ ! -x "$bin" ]; then
    no "test binary $bin exists (make CONFIG=asan units)"
    tap_done
    exit
fi
page=$T/journey-map.html
out=$(cd "$T" && JOURNEY_MAP_HTML=$page "$ROOT/$bin" 2>&1)
if [ -s "$page" ]; then ok "test_journey_map wrote the demo page"; else no "test_journey_map wrote the demo page" "$out"; fi

check_page "$page" "$PNG"
tap_done
