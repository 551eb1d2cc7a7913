#!/usr/bin/env bash
# Rewrites the expected output of golden cases from what the binary prints
# now. Read each diff before committing it: a golden file is only worth
# something if its change was meant.
# Usage: tests/harness/golden-update.sh BIN CASE...
set -u
BIN=$1
shift
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
case $BIN in /*) ;; *) BIN=$PWD/$BIN ;; esac
for name in "$@"; do
    c=$ROOT/tests/golden/$name
    [ -f "$c/cmd" ] || { echo "no golden case $name" >&2; exit 2; }
    tmp=$(mktemp -d)
    stdin=/dev/null
    [ -f "$c/stdin" ] && stdin=$c/stdin
    (cd "$tmp" && RESONANS="$BIN" DATA="$ROOT/tests/data" CASE="$c" \
        RESONANS_DB= bash "$c/cmd" <"$stdin" >"$tmp/.out" 2>"$tmp/.err")
    rc=$?
    [ -f "$c/expected.out" ] && cp "$tmp/.out" "$c/expected.out"
    [ -f "$c/expected.err" ] && cp "$tmp/.err" "$c/expected.err"
    if [ -f "$c/expected.rc" ] || [ $rc -ne 0 ]; then echo $rc >"$c/expected.rc"; fi
    rm -rf "$tmp"
    echo "$name: updated (exit $rc)"
done
