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

skip() {
    echo "ok 1 # SKIP browser check of the journey map: $1"
    echo "1..1"
    echo "# journey_map.sh skipped: $1" >&2
    exit 0
}
[ -x "$CHROMIUM" ] || skip "no Chromium at $CHROMIUM (apt-get install chromium)"
command -v node >/dev/null 2>&1 || skip "no node (apt-get install nodejs npm)"
if [ ! -d tests/browser/node_modules/playwright-core ]; then
    command -v npm >/dev/null 2>&1 || skip "no npm (apt-get install npm)"
    npm ci --prefix tests/browser --no-audit --no-fund --silent >/dev/null 2>&1 ||
        skip "npm ci in tests/browser failed (offline?)"
fi

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
ratio=$(field widest_ratio)
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
echo "# widest drawn/estimated label width: $ratio ($(field widest))"
if [ -s "$PNG" ]; then ok "screenshot saved: ${PNG#$ROOT/}"; else no "screenshot saved: $PNG"; fi
tap_done
