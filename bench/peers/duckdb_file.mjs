// DuckDB on its own database file, for bench/run.sh's "whole process"
// and "tuned schema" figures. Usage:
//   node duckdb_file.mjs build DIR    DIR/duckdb.db from DIR/*.csv: the
//                                     schema read_csv guesses (responses)
//                                     and a tuned one (responses_tuned:
//                                     ENUM dimensions, TINYINT scores, the
//                                     local month precomputed)
//   node duckdb_file.mjs query DIR naive|tuned
//                                     one NPS by touchpoint and month, as a
//                                     whole process (the shell times it)
//   node duckdb_file.mjs engine DIR   in-engine medians of 5, both schemas
import { DuckDBInstance } from '@duckdb/node-api';
import { timed as timedOn } from './duckdb_timed.mjs';

const [cmd, dir, schema] = process.argv.slice(2);
const inst = await DuckDBInstance.create(`${dir}/duckdb.db`);
const con = await inst.connect();
await con.run('SET threads TO 2');
const now = () => Number(process.hrtime.bigint()) / 1e6;

// The month as written in the local time of the response (what Resonans
// groups by): the first 7 characters of the ISO timestamp.
const NPS = (table, month) => `
  SELECT touchpoint, ${month} AS month, count(nps) AS n,
         100.0 * (count(*) FILTER (WHERE nps >= 9) - count(*) FILTER (WHERE nps <= 6)) / count(nps) AS nps
  FROM ${table} WHERE nps IS NOT NULL GROUP BY 1, 2`;
const ALL = (table, month) => `
  SELECT touchpoint, ${month} AS month,
         count(nps) AS n_nps,
         avg(CASE WHEN nps >= 9 THEN 1 WHEN nps <= 6 THEN -1 ELSE 0 END) AS nps,
         var_samp(CASE WHEN nps >= 9 THEN 1 WHEN nps <= 6 THEN -1 ELSE 0 END) AS nps_var,
         count(csat) AS n_csat, avg(csat) AS csat_mean, var_samp(csat) AS csat_var,
         avg(CASE WHEN csat >= 4 THEN 1.0 ELSE 0.0 END) FILTER (WHERE csat IS NOT NULL) AS csat_t2b,
         count(ces) AS n_ces, avg(ces) AS ces_mean, var_samp(ces) AS ces_var
  FROM ${table} GROUP BY 1, 2`;
const NAIVE_MONTH = 'substr(CAST(submitted_at AS VARCHAR), 1, 7)';

const timed = (what, sql, reps) => timedOn(con, what, sql, reps);

if (cmd === 'build') {
  const t0 = now();
  await con.run(`DROP TABLE IF EXISTS responses; DROP TABLE IF EXISTS responses_tuned;
    CREATE TABLE responses AS SELECT * FROM read_csv('${dir}/responses.csv', header=true)`);
  const t1 = now();
  const tps = (await con.runAndReadAll('SELECT DISTINCT touchpoint FROM responses ORDER BY 1'))
    .getRows().map((r) => `'${String(r[0]).replace(/'/g, "''")}'`).join(',');
  const chs = (await con.runAndReadAll('SELECT DISTINCT channel FROM responses ORDER BY 1'))
    .getRows().map((r) => `'${String(r[0]).replace(/'/g, "''")}'`).join(',');
  await con.run(`DROP TYPE IF EXISTS tp_t; DROP TYPE IF EXISTS ch_t;
    CREATE TYPE tp_t AS ENUM (${tps}); CREATE TYPE ch_t AS ENUM (${chs});
    CREATE TABLE responses_tuned AS
      SELECT touchpoint::tp_t AS touchpoint, channel::ch_t AS channel,
             (CAST(substr(raw, 1, 4) AS INTEGER) * 12 + CAST(substr(raw, 6, 2) AS INTEGER) - 1)::SMALLINT AS month,
             nps::TINYINT AS nps, csat::TINYINT AS csat, ces::TINYINT AS ces
      FROM (SELECT *, CAST(submitted_at AS VARCHAR) AS raw
            FROM read_csv('${dir}/responses.csv', header=true, types={'submitted_at': 'VARCHAR'}))`);
  await con.run('CHECKPOINT');
  console.log(`duckdb build_naive ${(t1 - t0).toFixed(0)} ms`);
  console.log(`duckdb build_tuned ${(now() - t1).toFixed(0)} ms`);
} else if (cmd === 'query') {
  const sql = schema === 'tuned' ? NPS('responses_tuned', 'month') : NPS('responses', NAIVE_MONTH);
  const r = await con.runAndReadAll(sql);
  console.log(`${r.getRows().length} rows`);
} else if (cmd === 'engine') {
  await timed('nps_by_touchpoint_month naive', NPS('responses', NAIVE_MONTH), 5);
  await timed('nps_by_touchpoint_month tuned', NPS('responses_tuned', 'month'), 5);
  await timed('nps_csat_ces_by_touchpoint_month naive', ALL('responses', NAIVE_MONTH), 5);
  await timed('nps_csat_ces_by_touchpoint_month tuned', ALL('responses_tuned', 'month'), 5);
} else {
  console.error('usage: node duckdb_file.mjs build|query|engine DIR [naive|tuned]');
  process.exit(2);
}
