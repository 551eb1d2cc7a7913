#!/usr/bin/env bash
# The closed loop on the command line, without a server: rules apply to
# responses `resonans import` stores (a detractor at the touchpoint opens
# a case for the touchpoint's team, a promoter none, the same file again
# none); a case moves through assign, contact, resolve and close with
# notes and audit entries, and refuses a step its status does not allow
# (exit 3) and a team nobody has (exit 4); escalate with a driven clock
# moves a case a second past its deadline (not at it) up to the next
# team; the outbox lists
# the teams' e-mails waiting (no SMTP server given); the numbers of
# `cases metrics` are recounted from the database with sqlite3.
# Prints TAP. Usage: loop_cli.sh RESONANS_BIN
set -u
BIN=${1:?usage: loop_cli.sh RESONANS_BIN}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
. "$(dirname "$0")/../harness/tap.sh"
db="$T/l.db"
R() { "$BIN" --db "$db" "$@"; }
export USER=handlaggare # the audit log's actor on the CLI
q() { sqlite3 -batch "$db" "$1"; }

check "demo journey" "$BIN" demo generate "$T/d" --customers 30 --responses 10 --no-events
check "init and journey" R journey load "$T/d/journey.json"
cat >"$T/loop.json" <<'EOF'
{"rules": [{"key": "detractor", "name": "Missnöjd kund",
            "when": {"touchpoints": ["reparation"], "nps_max": 6},
            "priority": "high", "sla_hours": 8}],
 "teams": {"Fastighetsskötsel": {"email": "drift@example.se",
                                 "escalate_to": "Förvaltningschef"},
           "Förvaltningschef": {"email": "chef@example.se"}},
 "notify": {"email": {"mode": "immediate"}}}
EOF
out=$(R rules load "$T/loop.json" 2>&1)
[ $? = 0 ] && ok "rules load" || no "rules load" "$out"
cat >"$T/r.csv" <<'EOF'
id,submitted_at,touchpoint,nps,comment
L1,2026-11-23T10:00:00+01:00,reparation,2,Ingen kom och lagade diskmaskinen
L2,2026-11-23T10:05:00+01:00,reparation,10,Snabbt och bra
L3,2026-11-23T10:10:00+01:00,kundservice_tel,1,Ingen svarade
EOF
out=$(R import responses "$T/r.csv" 2>&1)
grep -q "rules: 1 case opened" <<<"$out" && ok "import says the rules opened one case" ||
    no "import applies the rules" "$out"
[ "$(q "SELECT count(*) || ' ' || min(team) || ' ' || min(priority) FROM cases")" = "1 Fastighetsskötsel 2" ] &&
    ok "one case: the detractor at reparation, for its team, high priority" ||
    no "the case" "$(q 'SELECT * FROM cases')"
out=$(R import responses "$T/r.csv" 2>&1)
[ "$(q "SELECT count(*) FROM cases")" = 1 ] && ! grep -q "case" <<<"$out" &&
    ok "the same file again opens none" || no "reimport" "$out"
id=$(q "SELECT id FROM cases")
# a response imported now opens its case now (not at its own time,
# which only a backfill does), so its deadline is 8 working hours ahead
now=$(date +%s)
opened=$(q "SELECT opened FROM cases")
due=$(q "SELECT due FROM cases")
[ $((now - opened)) -ge 0 ] && [ $((now - opened)) -lt 60 ] &&
    [ "$due" -ge $((opened + 8 * 3600)) ] &&
    ok "opened at the import, due at least 8 hours later" ||
    no "opened and due" "now $now, opened $opened, due $due"
iso() { date -u -d "@$1" +%Y-%m-%dT%H:%M:%SZ; }
[ "$(q "SELECT count(*) FROM outbox WHERE kind='email' AND target='drift@example.se' AND state=0")" = 1 ] &&
    ok "the team's e-mail waits in the outbox" || no "outbox" "$(q 'SELECT * FROM outbox')"
out=$(R notifications list --state pending --format csv)
grep -q "drift@example.se" <<<"$out" && ok "notifications list shows it" ||
    no "notifications list" "$out"

out=$(R cases assign "$id" --team "Ingen sådan" 2>&1)
rc=$?
[ $rc = 4 ] && grep -q "Ingen sådan" <<<"$out" && ok "a team nobody has: exit 4" ||
    no "unknown team" "rc $rc: $out"
check "assign to a person" R cases assign "$id" --to-user anna --note "Anna tar det"
[ "$(q "SELECT status || ' ' || assignee FROM cases")" = "1 anna" ] &&
    ok "assigned to anna" || no "assigned" "$(q 'SELECT * FROM cases')"
out=$(R cases escalate --at "$(iso "$due")")
grep -q "^0 cases escalated" <<<"$out" && ok "nothing escalates at the deadline" ||
    no "escalate at the deadline" "$out"
out=$(R cases escalate --at "$(iso $((due + 1)))")
grep -q "^1 case escalated" <<<"$out" && ok "a second past the deadline it escalates" ||
    no "escalate" "$out"
[ "$(q "SELECT escalation FROM cases")" = 1 ] &&
    [ "$(q "SELECT count(*) FROM outbox WHERE target='chef@example.se' AND event='case.escalated'")" = 1 ] &&
    ok "to level 1: Förvaltningschef's e-mail is queued" || no "escalated" "$(q 'SELECT * FROM outbox')"
out=$(R cases escalate --at "$(iso $((due + 2)))")
grep -q "^0 cases escalated" <<<"$out" && ok "not again before its new deadline" ||
    no "escalate twice" "$out"
check "contact" R cases contact "$id"
check "resolve" R cases resolve "$id" --note "Lagad"
out=$(R cases contact "$id" 2>&1)
rc=$?
[ $rc = 3 ] && grep -q "resolved" <<<"$out" && ok "a resolved case cannot be contacted: exit 3" ||
    no "step refused" "rc $rc: $out"
check "close" R cases close "$id"
out=$(R cases show "$id" --format json)
[ "$(sqlite3 -batch :memory: "SELECT json_extract('$(sed "s/'/''/g" <<<"$out")', '\$.case.status')")" = closed ] &&
    ok "cases show: closed" || no "show" "$out"
grep -q "Anna tar det" <<<"$out" && grep -q "diskmaskinen" <<<"$out" &&
    ok "with its note and the customer's words" || no "show words" "$out"
[ "$(q "SELECT group_concat(action, ',') FROM (SELECT action FROM audit WHERE subject='case:$id' AND actor='handlaggare' ORDER BY id)")" = \
    "case.assign,case.contact,case.resolve,case.close" ] &&
    ok "each change audited as the OS user" || no "audit" "$(q 'SELECT actor, action, subject FROM audit')"
out=$(R cases metrics --by touchpoint --format json)
cases_n=$(sqlite3 -batch :memory: "SELECT json_extract(value, '\$.cases') || ' ' || json_extract(value, '\$.responses') FROM json_each(json_extract('$(sed "s/'/''/g" <<<"$out")', '\$.metrics')) WHERE json_extract(value, '\$.group') = 'reparation'")
[ "$cases_n" = "1 $(q "SELECT count(*) FROM responses r JOIN touchpoints t ON t.id = r.touchpoint_id WHERE t.key = 'reparation'")" ] &&
    ok "metrics by touchpoint: 1 case over the touchpoint's responses ($cases_n)" ||
    no "metrics" "$cases_n: $out"
out=$(R notifications retry 1 2>&1)
[ $? = 4 ] && ok "retrying a notification that is not dead: exit 4" || no "retry" "$out"
tap_done
