-- sqlite3 peer, import step: the CLI's own CSV importer.
.mode csv
.import responses.csv responses
.import customers.csv customers
