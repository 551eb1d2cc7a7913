// DuckDB peer for bench/run.sh: loads the same CSV files and runs the same
// two aggregations as `resonans metrics`, printing timings as
// "duckdb <what> <ms>". Usage: node duckdb_bench.mjs DIR
import { connect, timed as timedOn } from './duckdb_timed.mjs';

const dir = process.argv[2];
const con = await connect();
const timed = (what, sql, reps) => timedOn(con, what, sql, reps);

await timed('load', `CREATE TABLE responses AS SELECT * FROM read_csv('${dir}/responses.csv', header=true, all_varchar=false);
                     CREATE TABLE customers AS SELECT * FROM read_csv('${dir}/customers.csv', header=true)`);
// NPS by touchpoint and month (local month of the timestamp as written)
await timed('nps_by_touchpoint_month', `
  SELECT touchpoint, substr(CAST(submitted_at AS VARCHAR), 1, 7) AS month, count(nps) AS n,
         100.0 * (count(*) FILTER (WHERE nps >= 9) - count(*) FILTER (WHERE nps <= 6)) / count(nps) AS nps
  FROM responses WHERE nps IS NOT NULL GROUP BY 1, 2`, 5);
// NPS, CSAT, CES with what their CIs need, by segment and channel
await timed('all_by_segment_channel', `
  SELECT c.segment, r.channel,
         count(r.nps) AS n_nps,
         avg(CASE WHEN r.nps >= 9 THEN 1 WHEN r.nps <= 6 THEN -1 ELSE 0 END) AS nps,
         var_samp(CASE WHEN r.nps >= 9 THEN 1 WHEN r.nps <= 6 THEN -1 ELSE 0 END) AS nps_var,
         count(r.csat) AS n_csat, avg(r.csat) AS csat_mean, var_samp(r.csat) AS csat_var,
         avg(CASE WHEN r.csat >= 4 THEN 1.0 ELSE 0.0 END) FILTER (WHERE r.csat IS NOT NULL) AS csat_t2b,
         count(r.ces) AS n_ces, avg(r.ces) AS ces_mean, var_samp(r.ces) AS ces_var
  FROM responses r JOIN customers c ON c.id = r.customer
  GROUP BY 1, 2`, 5);
