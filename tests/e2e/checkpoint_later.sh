#!/usr/bin/env bash
# An import hands the copy of its write-ahead log into the database file
# to a detached `resonans init --checkpoint` (docs/store.md,
# "Checkpoints"), as big imports do by default; RESONANS_CHECKPOINT=
# background makes a small one do it too. The data must be there for
# readers the moment the import returns, the log must go away on its own,
# and the database file must then hold everything by itself.
# Prints TAP, like tests/e2e/*.sh.
# Usage: checkpoint_later.sh RESONANS_BIN
set -u
BIN=${1:-${RESONANS_BIN:-build/release/resonans}}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
. "$(dirname "$0")/../harness/tap.sh"
Q=(metrics --by touchpoint,month --format csv)

load() { # db mode
    "$BIN" --db "$1" journey load "$T/d/journey.json" >/dev/null &&
        "$BIN" --db "$1" import customers "$T/d/customers.csv" --quiet >/dev/null &&
        RESONANS_CHECKPOINT=$2 "$BIN" --db "$1" import responses "$T/d/responses.csv" --quiet
}

check "demo generate" "$BIN" demo generate "$T/d" --seed 9 --customers 300 --responses 4000

out=$(load "$T/wait.db" wait 2>&1)
want=$(RESONANS_SNAPSHOT=off "$BIN" --db "$T/wait.db" "${Q[@]}" 2>&1)
if [[ "$out" == *"4000 imported"* ]] && [ ! -e "$T/wait.db-wal" ] && [ -n "$want" ]; then
    ok "RESONANS_CHECKPOINT=wait: the importer copies the log itself"
else
    no "RESONANS_CHECKPOINT=wait: the importer copies the log itself" "$out $(ls "$T")"
fi

out=$(load "$T/bg.db" background 2>&1)
rc=$?
got=$(RESONANS_SNAPSHOT=off "$BIN" --db "$T/bg.db" "${Q[@]}" 2>&1)
if [ "$rc" -eq 0 ] && [[ "$out" == *"4000 imported"* ]] && [ "$got" = "$want" ]; then
    ok "background: every row is there for a reader as soon as the import returns"
else
    no "background: every row is there for a reader as soon as the import returns" "rc=$rc
$out
$got"
fi

gone=0
for _ in $(seq 2000); do
    if [ ! -e "$T/bg.db-wal" ] && [ ! -e "$T/bg.db-shm" ]; then
        gone=1
        break
    fi
    sleep 0.01
done
if [ "$gone" = 1 ]; then
    ok "background: the detached checkpoint empties and removes the log"
else
    no "background: the detached checkpoint empties and removes the log" "$(ls -l "$T")"
fi

# The file alone, without its log, holds every row.
cp "$T/bg.db" "$T/alone.db"
got=$(RESONANS_SNAPSHOT=off "$BIN" --db "$T/alone.db" "${Q[@]}" 2>&1)
if [ "$got" = "$want" ]; then
    ok "background: the database file alone holds everything afterwards"
else
    no "background: the database file alone holds everything afterwards" "$got"
fi

# init --checkpoint by hand: nothing to do is fine; it never creates.
check "init --checkpoint on a checkpointed database" "$BIN" --db "$T/bg.db" init --checkpoint
"$BIN" --db "$T/none.db" init --checkpoint >"$T/out" 2>&1
rc=$?
if [ "$rc" -eq 4 ] && [ ! -e "$T/none.db" ] && grep -q "no database at" "$T/out"; then
    ok "init --checkpoint on a missing database: exit 4, nothing created"
else
    no "init --checkpoint on a missing database: exit 4, nothing created" "rc=$rc $(cat "$T/out")"
fi
"$BIN" --db "$T/bg.db" init --ready-fd 3 >"$T/out" 2>&1
rc=$?
if [ "$rc" -eq 2 ] && grep -q -- "--ready-fd needs --checkpoint" "$T/out"; then
    ok "--ready-fd without --checkpoint is a usage error"
else
    no "--ready-fd without --checkpoint is a usage error" "rc=$rc $(cat "$T/out")"
fi

tap_done
