#!/usr/bin/env bash
# The column store snapshot (DB.colstore) against a writer killed at any
# point: while it saves a new snapshot and while it saves an updated one.
# A kill must leave the previous snapshot (or none) in place, and the next
# run must answer exactly as a run without any snapshot and save a sound
# one, despite the killed writer's DB.colstore.tmp. Uses the test hook
# RESONANS_TEST_SNAPSHOT_KILL_AFTER=BYTES (SIGKILL after that many bytes).
# Prints TAP, like tests/e2e/*.sh.
# Usage: snapshot_kill.sh RESONANS_BIN
set -u
BIN=${1:-${RESONANS_BIN:-build/release/resonans}}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
. "$(dirname "$0")/../harness/tap.sh"
db="$T/kill.db"
snap="$db.colstore"
R() { "$BIN" --db "$db" "$@"; }
Q=(metrics --by touchpoint,month --format csv)

# What the timing line says about where the column store came from.
source_of() { # args: env assignments; prints the timing line's source
    env "$@" "$BIN" --db "$db" "${Q[@]}" --timing 2>&1 >/dev/null |
        sed -n 's/^timing: .*MiB, \(.*\)), query.*/\1/p'
}

# Splits a CSV file after n records (a record ends on a line where the
# double quotes seen so far are even: comments hold quoted newlines).
split_csv() { # file n part1 part2
    awk -v n="$2" -v a="$3" -v b="$4" '
        NR == 1 { print > a; print > b; next }
        { buf = buf $0 "\n"; q += gsub(/"/, "&")
          if (q % 2 == 0) { rec++; printf "%s", buf > (rec <= n ? a : b)
                            buf = ""; q = 0 } }' "$1"
}

mode_of() { stat -c %a "$1"; }
sum_of() { sha256sum <"$1" | cut -d" " -f1; }

check "demo generate" "$BIN" demo generate "$T/d" --seed 5 --customers 400 --responses 3000
split_csv "$T/d/responses.csv" 2000 "$T/r1.csv" "$T/r2.csv"
check "journey load" R journey load "$T/d/journey.json"
check "import customers" R import customers "$T/d/customers.csv" --quiet
check "import the first 2000 responses" R import responses "$T/r1.csv" --quiet

want=$(RESONANS_SNAPSHOT=off R "${Q[@]}" 2>&1)
if [ -n "$want" ] && [ "$(wc -l <<<"$want")" -gt 10 ] && [ ! -e "$snap" ]; then
    ok "RESONANS_SNAPSHOT=off answers and writes no snapshot"
else
    no "RESONANS_SNAPSHOT=off answers and writes no snapshot" "$want"
fi
got=$(RESONANS_SNAPSHOT=readonly R "${Q[@]}" 2>&1)
if [ "$got" = "$want" ] && [ ! -e "$snap" ]; then
    ok "RESONANS_SNAPSHOT=readonly answers and writes no snapshot"
else
    no "RESONANS_SNAPSHOT=readonly answers and writes no snapshot" "$got"
fi

# A first run saves the snapshot (mode 0600 whatever the umask); its size
# tells where the kills go.
src=$( (umask 000 && source_of))
size=$(stat -c %s "$snap" 2>/dev/null || echo 0)
if [ "$src" = "built from the database" ] && [ "$size" -gt 4096 ] &&
    [ "$(mode_of "$snap")" = 600 ] && [ ! -e "$snap.tmp" ]; then
    ok "first run builds and saves a 0600 snapshot ($size bytes)"
else
    no "first run builds and saves a 0600 snapshot" "source=$src size=$size mode=$(mode_of "$snap" 2>&1)"
fi
src=$(source_of)
if [ "$src" = "from its snapshot" ]; then ok "second run maps it"; else no "second run maps it" "$src"; fi
got=$(R "${Q[@]}" 2>&1)
if [ "$got" = "$want" ]; then ok "from the snapshot: same output"; else no "from the snapshot: same output" "$got"; fi

# ---- killed while saving a new snapshot (none on disk) ----
for k in 1 100 700 $((size / 2)) $((size - 4096)) $((size - 1)) "$size"; do
    rm -f "$snap"
    RESONANS_TEST_SNAPSHOT_KILL_AFTER=$k R "${Q[@]}" >"$T/out" 2>"$T/err"
    rc=$?
    if [ "$rc" -eq 137 ] && [ ! -e "$snap" ] && [ -e "$snap.tmp" ] && [ ! -s "$T/out" ]; then
        ok "new snapshot, kill after $k bytes: SIGKILL, no snapshot, a leftover .tmp"
    else
        no "new snapshot, kill after $k bytes: SIGKILL, no snapshot, a leftover .tmp" \
            "rc=$rc snap=$(ls "$T")
$(cat "$T/out" "$T/err")"
    fi
    got=$(R "${Q[@]}" 2>&1)
    rc=$?
    if [ "$rc" -eq 0 ] && [ "$got" = "$want" ]; then
        ok "after the kill at $k: same output as without a snapshot"
    else
        no "after the kill at $k: same output as without a snapshot" "rc=$rc
$got"
    fi
    src=$(source_of)
    if [ "$src" = "from its snapshot" ] && [ ! -e "$snap.tmp" ] &&
        [ "$(mode_of "$snap")" = 600 ]; then
        ok "after the kill at $k: the leftover did not stop the save"
    else
        no "after the kill at $k: the leftover did not stop the save" "source=$src
$(ls -l "$T")"
    fi
done

# A leftover .tmp that is not even a snapshot, world-readable and longer
# than the snapshot, is overwritten too.
rm -f "$snap"
head -c $((size * 2)) /dev/zero | tr '\0' 'x' >"$snap.tmp"
chmod 644 "$snap.tmp"
got=$(R "${Q[@]}" 2>&1)
if [ "$got" = "$want" ] && [ "$(stat -c %s "$snap")" = "$size" ] &&
    [ "$(mode_of "$snap")" = 600 ] && [ ! -e "$snap.tmp" ]; then
    ok "a foreign leftover .tmp is replaced"
else
    no "a foreign leftover .tmp is replaced" "$(ls -l "$T")"
fi

# ---- saved after the answer, by a child process (RESONANS_SNAPSHOT_SAVE=
# detach; what a column store of 64 MiB or more does by default) ----
rm -f "$snap"
got=$(RESONANS_SNAPSHOT_SAVE=detach R "${Q[@]}" 2>&1)
rc=$?
# The child takes the writer's lock before the answer, so this run finds
# the snapshot or waits for it: it never rebuilds.
src=$(source_of)
if [ "$rc" -eq 0 ] && [ "$got" = "$want" ] && [ "$src" = "from its snapshot" ] &&
    [ "$(stat -c %s "$snap")" = "$size" ] && [ "$(mode_of "$snap")" = 600 ]; then
    ok "detached save: the answer at once, the next run maps the child's snapshot"
else
    no "detached save: the answer at once, the next run maps the child's snapshot" "rc=$rc source=$src
$got"
fi
for k in 1 $((size / 2)); do
    rm -f "$snap"
    got=$(RESONANS_SNAPSHOT_SAVE=detach RESONANS_TEST_SNAPSHOT_KILL_AFTER=$k R "${Q[@]}" 2>&1)
    rc=$?
    src=$(source_of)
    again=$(R "${Q[@]}" 2>&1)
    if [ "$rc" -eq 0 ] && [ "$got" = "$want" ] && [ "$src" = "built from the database" ] &&
        [ "$again" = "$want" ] && [ "$(source_of)" = "from its snapshot" ]; then
        ok "detached save killed after $k bytes: the command still answers, the next rebuilds"
    else
        no "detached save killed after $k bytes: the command still answers, the next rebuilds" "rc=$rc source=$src
$got"
    fi
done

# ---- killed while saving an updated snapshot ----
# The snapshot of the first 2000 responses stays behind while the rest
# come in; each kill starts from a copy of it.
cp -p "$snap" "$T/old.colstore"
check "import the other 1000 responses" R import responses "$T/r2.csv" --quiet
want2=$(RESONANS_SNAPSHOT=off R "${Q[@]}" 2>&1)
if [ "$want2" != "$want" ]; then ok "the new rows change the output"; else no "the new rows change the output"; fi
src=$(source_of)
size2=$(stat -c %s "$snap")
if [ "$src" = "snapshot brought up to date" ] && [ "$size2" -gt "$size" ]; then
    ok "an update is saved ($size2 bytes)"
else
    no "an update is saved" "source=$src size=$size2"
fi
for k in 1 64 $((size / 2)) $((size2 - 2048)) $((size2 - 1)); do
    cp -p "$T/old.colstore" "$snap"
    RESONANS_TEST_SNAPSHOT_KILL_AFTER=$k R "${Q[@]}" >"$T/out" 2>"$T/err"
    rc=$?
    if [ "$rc" -eq 137 ] && [ "$(sum_of "$snap")" = "$(sum_of "$T/old.colstore")" ] && [ ! -s "$T/out" ]; then
        ok "update, kill after $k bytes: SIGKILL, the old snapshot untouched"
    else
        no "update, kill after $k bytes: SIGKILL, the old snapshot untouched" "rc=$rc
$(cat "$T/out" "$T/err")"
    fi
    src=$(source_of)
    got=$(R "${Q[@]}" 2>&1)
    if [ "$src" = "snapshot brought up to date" ] && [ "$got" = "$want2" ] &&
        [ ! -e "$snap.tmp" ]; then
        ok "after the kill at $k: brought up to date, same output"
    else
        no "after the kill at $k: brought up to date, same output" "source=$src
$got"
    fi
    src=$(source_of)
    if [ "$src" = "from its snapshot" ]; then
        ok "after the kill at $k: the update was saved"
    else
        no "after the kill at $k: the update was saved" "$src"
    fi
done

# A damaged snapshot is rebuilt: one byte flipped in the nps column,
# which every run verifies (its offset is in the header: section 8 of the
# table at byte 104, 24 bytes an entry).
sec_offset() { od -An -t u8 -j $((104 + 24 * $1)) -N 8 "$snap" | tr -d ' '; }
at=$(sec_offset 8)
printf '\x55' | dd of="$snap" bs=1 seek=$((at + 10)) conv=notrunc status=none
src=$(source_of)
got=$(R "${Q[@]}" 2>&1)
if [ "$src" = "built from the database" ] && [ "$got" = "$want2" ]; then
    ok "a damaged snapshot is rebuilt"
else
    no "a damaged snapshot is rebuilt" "source=$src"
fi

# The same for a column verified only when a query reads it (the day
# column, read by --by month): the damage is found after the snapshot was
# opened, and the run must still answer, and the next save a sound file.
at=$(sec_offset 7)
printf '\x55' | dd of="$snap" bs=1 seek=$((at + 10)) conv=notrunc status=none
got=$(R "${Q[@]}" 2>&1)
rc=$?
got2=$(R "${Q[@]}" 2>&1)
if [ "$rc" -eq 0 ] && [ "$got" = "$want2" ] && [ "$got2" = "$want2" ]; then
    ok "damage in a lazily verified column is rebuilt"
else
    no "damage in a lazily verified column is rebuilt" "rc=$rc
$got"
fi

# Every read command answers the same from a mapped snapshot as from a
# fresh load: each verifies the columns it reads, and a column it forgot
# to ask for reads as NULL (a crash here, not a wrong answer).
R metrics --by touchpoint >/dev/null 2>&1 # a current snapshot
while IFS= read -r line; do
    read -ra args <<<"$line"
    want=$(RESONANS_SNAPSHOT=off R "${args[@]}" 2>&1)
    wrc=$?
    got=$(R "${args[@]}" 2>&1)
    grc=$?
    if [ "$grc" -eq "$wrc" ] && [ "$grc" -eq 0 ] && [ "$got" = "$want" ]; then
        ok "from the snapshot as without it: $line"
    else
        no "from the snapshot as without it: $line" "rc=$grc (want $wrc)
$got"
    fi
done <<EOF2
compare --a 2000-01-01..2024-12-31 --b 2025-01-01..2100-01-01 --metric nps
compare --a channel=app --b channel=web --metric nps,ces
metrics --by segment,channel
metrics --by sentiment,nps_group --metric count
metrics --by theme --metric nps
metrics --by week --from 2000-01-01 --to 2100-01-01 --metric csat
metrics --by customer.segment --metric count
summary
themes
verbatims --limit 3
export responses
EOF2

tap_done
