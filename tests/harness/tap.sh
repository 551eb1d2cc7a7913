# TAP helpers for the end-to-end scripts in tests/e2e (sourced, not run).
# ok NAME / no NAME [OUTPUT] print one result; check NAME CMD... runs CMD
# and reports it; tap_done prints the plan and returns non-zero on failure.
n=0
fails=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
no() {
    n=$((n + 1))
    fails=$((fails + 1))
    echo "not ok $n - $1"
    [ -n "${2:-}" ] && sed 's/^/# /' <<<"$2" | head -20
    return 0
}
check() { # name, command...
    local name=$1
    shift
    local out
    if out=$("$@" 2>&1); then ok "$name"; else no "$name" "$out"; fi
}
tap_done() {
    echo "1..$n"
    [ "$fails" -eq 0 ]
}
