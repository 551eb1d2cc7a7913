#!/usr/bin/env bash
# End to end for text analytics on a small generated demo: generate ->
# import (comments redacted and analysed on the way in) -> themes,
# emerging issues (the planted broken app login in 2026-03 must be
# flagged), discovery, verbatims, metrics by theme and sentiment, and the
# organisation's own taxonomy. Prints TAP.
# Reads only what the binary prints (CSV, JSON Lines, tables) with grep,
# sed and awk, and the database with sqlite3: nothing scripts/deps.sh
# does not install.
# Usage: text_demo.sh RESONANS_BIN
set -u
BIN=$1
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
. "$(dirname "$0")/../harness/tap.sh"
db="$T/demo.db"
R() { "$BIN" --db "$db" "$@"; }

check "demo generate" "$BIN" demo generate "$T/d" --customers 3000 --responses 60000 --seed 3
check "journey load" R journey load "$T/d/journey.json"
check "import customers" R import customers "$T/d/customers.csv" --quiet
out=$(R import responses "$T/d/responses.csv" --quiet 2>&1)
if grep -q "60000 imported" <<<"$out" && grep -q "personal data was redacted in [1-9]" <<<"$out"; then
    ok "import responses analyses and redacts comments"
else
    no "import responses analyses and redacts comments" "$out"
fi

# No stored comment keeps an e-mail address or a Swedish mobile number;
# the generator plants about 2% of each.
left=$(sqlite3 "$db" "select count(*) from answers where text like '%@%' or text glob '*07[0-9]-[0-9][0-9][0-9] [0-9][0-9] [0-9][0-9]*' or text glob '*07[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]*'")
placed=$(sqlite3 "$db" "select count(*) from answers where text like '%[telefon]%' or text like '%[e-post]%'")
if [ "$left" = "0" ] && [ "$placed" -gt 0 ]; then
    ok "stored comments are redacted ($placed placeholders, no addresses or numbers left)"
else
    no "stored comments are redacted" "left=$left placeholders=$placed"
fi
an=$(sqlite3 "$db" "select count(*) from comment_analysis")
com=$(sqlite3 "$db" "select count(*) from answers where question='comment'")
if [ "$an" = "$com" ] && [ "$an" -gt 10000 ]; then ok "every comment has an analysis ($an)"; else no "every comment has an analysis" "analyses=$an comments=$com"; fi

# The planted effect: the login theme (and its parent, digital channels)
# rises in 2026-03 and is flagged there.
out=$(R themes --by month --emerging --format csv 2>&1)
if grep -q "^2026-03,digital/login," <<<"$out"; then
    ok "emerging: digital/login flagged in 2026-03"
else
    no "emerging: digital/login flagged in 2026-03" "$out"
fi
if grep -q "^2026-03,digital," <<<"$out"; then ok "emerging: digital flagged in 2026-03"; else no "emerging: digital flagged in 2026-03" "$out"; fi
others=$(grep -Evc '^(month|2026-03),' <<<"$out")
if [ "$others" -le 1 ]; then ok "emerging: at most one other flag ($others)"; else no "emerging: at most one other flag" "$out"; fi
# The same flags as JSON Lines, one object a flag: the login flag is there
# once, with its Holm-adjusted p-value under 0.01.
out=$(R themes --by month --emerging --format jsonl 2>&1)
login=$(grep '"month":"2026-03"' <<<"$out" | grep '"theme":"digital/login"')
p=$(sed -n 's/.*"p_holm":\([-+.0-9eE]*\)[,}].*/\1/p' <<<"$login")
if [ "$(grep -c . <<<"$login")" = 1 ] && [ -n "$p" ] &&
    awk -v p="$p" 'BEGIN { exit !(p + 0 < 0.01) }'; then
    ok "emerging json carries p-values (p_holm $p)"
else
    no "emerging json carries p-values" "$out"
fi

# Volumes: the login share of comments in 2026-03 is several times February's.
out=$(R themes --by month --where theme=digital/login --format csv 2>&1)
feb=$(csv_pick month share_pct <<<"$out" | awk -F'\t' '$1 == "2026-02" { print $2 }')
mar=$(csv_pick month share_pct <<<"$out" | awk -F'\t' '$1 == "2026-03" { print $2 }')
if [ -n "$feb" ] && [ -n "$mar" ] && awk -v a="$feb" -v b="$mar" 'BEGIN{exit !(b > 4*a)}'; then
    ok "login share 2026-02 $feb% -> 2026-03 $mar%"
else
    no "login share rises in 2026-03" "$out"
fi
check "themes table" R themes
out=$(R metrics --by theme --metric nps --format csv 2>&1)
if grep -q "^digital/login," <<<"$out"; then ok "metrics --by theme"; else no "metrics --by theme" "$out"; fi
neg=$(R metrics --where sentiment=negative --metric nps --format csv 2>/dev/null | csv_pick nps)
pos=$(R metrics --where sentiment=positive --metric nps --format csv 2>/dev/null | csv_pick nps)
if [ -n "$neg" ] && [ -n "$pos" ] && awk -v a="$neg" -v b="$pos" 'BEGIN{exit !(a < 0 && b > 0)}'; then
    ok "negative comments come with low NPS ($neg), positive with high ($pos)"
else
    no "sentiment agrees with NPS" "neg=$neg pos=$pos"
fi

out=$(R verbatims --touchpoint app_inlogg --theme digital/login --sentiment negative --limit 3 2>&1)
if [ "$(grep -c '^20[0-9-]*  app_inlogg' <<<"$out")" = "3" ] && grep -q "themes:.*digital/login" <<<"$out"; then
    ok "verbatims with explanation"
else
    no "verbatims with explanation" "$out"
fi
out=$(R themes --discover --limit 5 2>&1)
if grep -q "candidate themes" <<<"$out" && grep -q "^1\. " <<<"$out" && grep -q "taxonomy: " <<<"$out"; then
    ok "discover prints candidate themes with examples"
else
    no "discover prints candidate themes" "$out"
fi

# The organisation's own taxonomy: saved, shown, used by the next import.
printf 'parking\tsv\tParkering\tparkering*, garage*, p-plats*\n' >"$T/mine.tsv"
check "themes load" R themes load "$T/mine.tsv"
out=$(R themes show 2>&1)
if grep -q "^parking" <<<"$out" && grep -q "^digital/login" <<<"$out"; then ok "themes show lists own and built-in themes"; else no "themes show" "$out"; fi
printf 'id,submitted_at,touchpoint,comment\nX1,2026-10-30T10:00:00+01:00,kundcenter,Parkeringen är alltid full\n' >"$T/more.csv"
check "import with the saved taxonomy" R import responses "$T/more.csv" --quiet
got=$(sqlite3 "$db" "select theme from theme_mentions m join responses r on r.id=m.response_id where r.ext_id='X1'")
if [ "$got" = "parking" ]; then ok "the saved taxonomy finds its theme"; else no "the saved taxonomy finds its theme" "got=$got"; fi
printf 'bad\txx\tBad\tx\n' >"$T/bad.tsv"
out=$(R themes load "$T/bad.tsv" 2>&1); rc=$?
if [ $rc -eq 3 ] && grep -q "bad.tsv:1:5: language must be" <<<"$out"; then ok "a bad taxonomy is located and rejected"; else no "a bad taxonomy is rejected" "rc=$rc $out"; fi
check "themes reset" R themes reset

tap_done
