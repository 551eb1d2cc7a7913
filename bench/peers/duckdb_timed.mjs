// What the DuckDB peers share: an in-memory database on 2 threads (as
// Resonans has 2 cores here) and a timer that prints
// "duckdb <what> <ms> (<rows> rows)", the median of reps runs.
import { DuckDBInstance } from '@duckdb/node-api';

export async function connect() {
  const inst = await DuckDBInstance.create(':memory:');
  const con = await inst.connect();
  await con.run("SET threads TO 2");
  return con;
}

function now() { return Number(process.hrtime.bigint()) / 1e6; }

export async function timed(con, what, sql, reps = 1) {
  const t = [];
  let rows = 0;
  for (let i = 0; i < reps; i++) {
    const t0 = now();
    const r = await con.runAndReadAll(sql);
    t.push(now() - t0);
    rows = r.getRows().length;
  }
  t.sort((a, b) => a - b);
  console.log(`duckdb ${what} ${t[Math.floor(t.length / 2)].toFixed(1)} ms (${rows} rows)`);
}
