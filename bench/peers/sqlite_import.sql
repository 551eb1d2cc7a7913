-- sqlite3 peer, import step: the CLI's own CSV importer (timed).
.mode csv
.import responses.csv responses
