#!/usr/bin/env bash
# Golden CLI tests (jq's shtest in spirit). Each case is a folder with
#   cmd            a shell line; $RESONANS is the binary, $DATA tests/data,
#                  and it runs in a fresh temporary directory
#   stdin          optional standard input
#   expected.out   expected standard output (optional: not compared if absent)
#   expected.err   expected standard error  (optional)
#   expected.rc    expected exit code (default 0)
# Prints TAP.
set -u
BIN=$1
DIR=$2
ROOT=$(pwd)
n=0
failed=0
for c in $(ls -d "$DIR"/*/ 2>/dev/null | sort); do
    c=${c%/}
    name=$(basename "$c")
    n=$((n + 1))
    tmp=$(mktemp -d)
    stdin=/dev/null
    [ -f "$c/stdin" ] && stdin="$ROOT/$c/stdin"
    (cd "$tmp" && RESONANS="$BIN" DATA="$ROOT/tests/data" CASE="$ROOT/$c" \
        RESONANS_DB= bash "$ROOT/$c/cmd" <"$stdin" >"$tmp/.out" 2>"$tmp/.err")
    rc=$?
    want_rc=0
    [ -f "$c/expected.rc" ] && want_rc=$(cat "$c/expected.rc")
    ok=1
    why=""
    if [ "$rc" != "$want_rc" ]; then ok=0; why="exit $rc, expected $want_rc"; fi
    if [ -f "$c/expected.out" ] && ! diff -u "$c/expected.out" "$tmp/.out" >"$tmp/.diff"; then
        ok=0; why="$why stdout differs"
    fi
    if [ -f "$c/expected.err" ] && ! diff -u "$c/expected.err" "$tmp/.err" >>"$tmp/.diff"; then
        ok=0; why="$why stderr differs"
    fi
    if [ $ok = 1 ]; then
        echo "ok $n - $name"
    else
        failed=$((failed + 1))
        echo "not ok $n - $name: $why"
        sed 's/^/# /' "$tmp/.diff" | head -40
        [ -s "$tmp/.err" ] && sed 's/^/# stderr: /' "$tmp/.err" | head -10
    fi
    rm -rf "$tmp"
done
echo "1..$n"
[ $failed -eq 0 ]
