# Sourced by the golden cases: loads the text fixture (the metrics journey
# and ten comments, two with personal data) into the database named by $1.
set -e
"$RESONANS" --db "$1" journey load "$DATA/metrics/journey.json" >/dev/null
"$RESONANS" --db "$1" import responses "$DATA/text/responses.csv" --quiet >/dev/null
