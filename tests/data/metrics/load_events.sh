# Sourced by the golden cases that need operational data: the metrics
# fixture (load.sh) plus events.csv, into the database named by $1.
set -e
. "$DATA/metrics/load.sh" "$1"
"$RESONANS" --db "$1" import events "$DATA/metrics/events.csv" --quiet >/dev/null
