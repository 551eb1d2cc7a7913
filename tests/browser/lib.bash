# Shared by the browser checks (sourced, not run: not *.sh, which
# run-tests.sh runs): browser_ready NAME skips the check (TAP skip, exit 0) without Chromium,
# Node or playwright-core; check_page PAGE PNG opens PAGE in headless
# Chromium at 1280x800 (check_labels.js) and reports labels, overlaps,
# the window, network requests, page errors and the screenshot as TAP.
# Needs ROOT, CHROMIUM and tests/harness/tap.sh sourced.

browser_ready() {
    local why=""
    if [ ! -x "$CHROMIUM" ]; then
        why="no Chromium at $CHROMIUM (apt-get install chromium)"
    elif ! command -v node >/dev/null 2>&1; then
        why="no node (apt-get install nodejs npm)"
    elif [ ! -d "$ROOT/tests/browser/node_modules/playwright-core" ]; then
        if ! command -v npm >/dev/null 2>&1; then
            why="no npm (apt-get install npm)"
        elif ! npm ci --prefix "$ROOT/tests/browser" --no-audit --no-fund --silent >/dev/null 2>&1; then
            why="npm ci in tests/browser failed (offline?)"
        fi
    fi
    if [ -n "$why" ]; then
        echo "ok 1 # SKIP browser check of $1: $why"
        echo "1..1"
        echo "# $1 skipped: $why" >&2
        exit 0
    fi
}

check_page() {
    local page=$1 png=$2 res
    mkdir -p "$(dirname "$png")"
    if ! res=$(timeout 120 node "$ROOT/tests/browser/check_labels.js" "$page" "$png" "$CHROMIUM" 2>&1); then
        no "Chromium opened the page" "$res"
        return
    fi
    ok "Chromium opened the page"
    field() { node -e 'const r = JSON.parse(process.argv[1]); const v = r[process.argv[2]]; console.log(Array.isArray(v) ? v.length + "\n" + v.join("\n") : v)' "$res" "$1"; }
    local labels over outside reqs errs sw
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
    echo "# widest drawn/estimated label width: $(field widest_ratio) ($(field widest))"
    if [ -s "$png" ]; then ok "screenshot saved: ${png#$ROOT/}"; else no "screenshot saved: $png"; fi
}

# app_ready NAME: what the web app's checks (app*.sh) need before they
# start: Chromium, Node, playwright-core and axe-core (else a TAP skip
# and exit 0), the binary in BIN, a scratch directory T removed at exit
# with the server (SRV_PID) killed, and tests/e2e/server_lib.bash. Needs
# ROOT, UB and CHROMIUM.
app_ready() {
    browser_ready "$1"
    if [ ! -f "$ROOT/tests/browser/node_modules/axe-core/axe.min.js" ]; then
        echo "ok 1 # SKIP browser check of $1: no axe-core (npm ci in tests/browser)"
        echo "1..1"
        exit 0
    fi
    BIN=${RESONANS_BIN:-$ROOT/$UB/resonans}
    case $BIN in /*) ;; *) BIN=$ROOT/$BIN ;; esac
    T=$(mktemp -d)
    SRV_PID=
    trap '[ -n "$SRV_PID" ] && kill -9 "$SRV_PID" 2>/dev/null; rm -rf "$T"' EXIT
    . "$ROOT/tests/e2e/server_lib.bash"
}

# app_node SECONDS SCRIPT ARGS...: runs tests/browser/SCRIPT (an
# app*_e2e.js) in Node, bounded in time, and turns its lines (ok|no|#,
# tab-separated; app_lib.js emit) into TAP; the start of its stderr, if
# any, as a comment. Needs T and tap.sh's ok/no.
app_node() {
    local secs=$1 js=$2 res kind a b
    shift 2
    res=$(timeout "$secs" node "$ROOT/tests/browser/$js" "$@" 2>"$T/node.err")
    while IFS=$'\t' read -r kind a b; do
        case $kind in
        ok) ok "$a" ;;
        no) no "$a" "${b//\\n/$'\n'}" ;;
        '#') echo "# $a" ;;
        esac
    done <<<"$res"
    [ -s "$T/node.err" ] && echo "# node: $(head -c 400 "$T/node.err")"
    return 0
}
