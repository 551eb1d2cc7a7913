# Sourced by the golden cases: loads this fixture into the database named
# by $1 (in the current directory), quietly.
set -e
"$RESONANS" --db "$1" journey load "$DATA/metrics/journey.json" >/dev/null
"$RESONANS" --db "$1" import customers "$DATA/metrics/customers.csv" --quiet >/dev/null
"$RESONANS" --db "$1" import responses "$DATA/metrics/responses.csv" --quiet >/dev/null
