#!/usr/bin/env bash
# Erasing a customer: `resonans customer erase ID --yes` removes them,
# their responses, answers, comments with their analysis, events and
# segment history; not a byte of their comment, id or event attribute is
# left in the database file or its log; the column-store snapshot is
# removed and rebuilt without them; the audit log names them by a hash,
# not the id; the other customer is untouched; without --yes nothing
# happens; erasing twice is "not found". Prints TAP.
# Usage: customer_erase.sh RESONANS_BIN
set -u
BIN=${1:?usage: customer_erase.sh RESONANS_BIN}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
. "$(dirname "$0")/../harness/tap.sh"
db="$T/x.db"
R() { "$BIN" --db "$db" "$@"; }
count() { sqlite3 "$db" "$1"; }

check "demo generate" "$BIN" demo generate "$T/d" --customers 50 --responses 300 --seed 4 --comments 0.3
check "journey load" R journey load "$T/d/journey.json"
check "import customers" R import customers "$T/d/customers.csv" --quiet
cat >"$T/c.csv" <<'EOF'
id,segment,status,district,area_sqm
k-erase-me,Student,hyresgäst,Flogsta,31
k-keep,Senior,hyresgäst,Gränby,64
EOF
cat >"$T/r.csv" <<'EOF'
id,submitted_at,customer,touchpoint,channel,language,nps,comment
E1,2026-03-02T10:00:00+01:00,k-erase-me,reparation,onsite,sv,2,"Zebramarkör4711: hantverkaren kom aldrig, jag väntade hela dagen"
E2,2026-04-02T10:00:00+02:00,k-erase-me,kundservice_tel,phone,sv,3,"Zebramarkör4711 igen: ingen ringde tillbaka"
K1,2026-04-03T10:00:00+02:00,k-keep,reparation,onsite,sv,9,"Behållmarkör: snabbt och bra"
EOF
cat >"$T/e.csv" <<'EOF'
id,customer,activity,time,touchpoint,channel,note
EV1,k-erase-me,fault_report,2026-03-01T09:00:00+01:00,felanmalan_app,app,Hemlighetsnotis99
EV2,k-keep,fault_report,2026-04-01T09:00:00+02:00,felanmalan_app,app,Behållnotis
EOF
check "import the two customers" R import customers "$T/c.csv" --quiet
check "import their responses" R import responses "$T/r.csv" --quiet
check "import their events" R import events "$T/e.csv" --quiet
before=$(R metrics --metric count --format csv | csv_pick count)
[ -e "$db.colstore" ] && ok "a snapshot exists before" || no "a snapshot exists before"

out=$(R customer erase k-erase-me 2>&1)
rc=$?
if [ $rc = 2 ] && grep -q -- "--yes" <<<"$out" && [ "$(count "select count(*) from customers where ext_id='k-erase-me'")" = 1 ]; then
    ok "without --yes: a usage error and nothing erased"
else
    no "without --yes" "rc=$rc $out"
fi

out=$(R customer erase k-erase-me --yes 2>&1)
rc=$?
if [ $rc = 0 ] && grep -q "2 responses" <<<"$out" && grep -q "1 events" <<<"$out"; then
    ok "erase: 2 responses and 1 event ($out)"
else
    no "erase" "rc=$rc $out"
fi
left=$(count "select (select count(*) from customers where ext_id='k-erase-me')
              + (select count(*) from responses where ext_id in ('E1','E2'))
              + (select count(*) from answers where text like '%Zebramarkör4711%')
              + (select count(*) from events where ext_id='EV1')
              + (select count(*) from answers where response_id not in (select id from responses))
              + (select count(*) from comment_analysis where response_id not in (select id from responses))
              + (select count(*) from theme_mentions where response_id not in (select id from responses))")
if [ "$left" = 0 ]; then ok "no row of theirs left, no orphan"; else no "no row of theirs left" "$left"; fi
bytes=0
for f in "$db" "$db-wal"; do
    [ -e "$f" ] || continue
    for s in "Zebramarkör4711" "k-erase-me" "Hemlighetsnotis99"; do
        bytes=$((bytes + $(grep -c -a -F "$s" "$f")))
    done
done
if [ "$bytes" = 0 ]; then ok "not a byte of their comment, id or event note in the file or its log"; else no "their bytes are gone" "$bytes matches"; fi
if [ "$(count "select count(*) from answers where text like '%Behållmarkör%'")" = 1 ] &&
    [ "$(count "select count(*) from events where ext_id='EV2'")" = 1 ]; then
    ok "the other customer is untouched"
else
    no "the other customer is untouched"
fi
if [ ! -e "$db.colstore" ]; then ok "the snapshot is removed"; else no "the snapshot is removed"; fi
after=$(R metrics --metric count --format csv | csv_pick count)
if [ -n "$before" ] && awk -v a="$after" -v b="$before" 'BEGIN { exit !(a + 2 == b + 0) }'; then
    ok "metrics count two answers fewer ($before -> $after), from a rebuilt snapshot"
else
    no "metrics count two fewer" "$before -> $after"
fi
audit=$(count "select action || '|' || subject || '|' || detail from audit")
if grep -q '^customer.erase|[0-9a-f]\{32\}|{"responses":2' <<<"$audit" && ! grep -q "k-erase-me" <<<"$audit"; then
    ok "audited, by a hash: $audit"
else
    no "audited by a hash" "$audit"
fi
out=$(R customer erase k-erase-me --yes 2>&1)
rc=$?
if [ $rc = 4 ] && grep -q "no customer" <<<"$out"; then ok "erasing again: not found (exit 4)"; else no "erasing again" "rc=$rc $out"; fi
tap_done
