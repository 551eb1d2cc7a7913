// DuckDB peer for bench_fields (bench/run.sh): loads the same customers,
// responses and events CSV files and answers the same questions in SQL, in
// the strongest form DuckDB offers. The schema is tuned at load time, as
// Resonans's column store is: integer customer keys, ENUM dimensions,
// times as epoch seconds, the events' local month precomputed, events
// sorted by customer and time. The queries use ASOF joins for "the latest
// event before the response" and a range join for "events in the 14 days
// before", with what the CIs need (n, mean and variance of the NPS
// indicator). Bins and windows stay query-time work on both sides.
// Prints "duckdb <what> <ms> (<rows> rows)". Usage: node duckdb_fields.mjs DIR
import { connect, timed as timedOn } from './duckdb_timed.mjs';

const dir = process.argv[2];
const con = await connect();
// local months and days, as Resonans reads them
await con.run("SET TimeZone = 'Europe/Stockholm'");
const timed = (what, sql, reps) => timedOn(con, what, sql, reps);

// NPS with what its CI needs, over responses r
const NPS = `count(r.nps) AS n,
  avg(CASE WHEN r.nps >= 9 THEN 100 WHEN r.nps <= 6 THEN -100 ELSE 0 END) AS nps,
  var_samp(CASE WHEN r.nps >= 9 THEN 1 WHEN r.nps <= 6 THEN -1 ELSE 0 END) AS nps_var`;

await timed('load', `
  CREATE TEMP TABLE c0 AS SELECT * FROM read_csv('${dir}/customers.csv', header=true);
  CREATE TEMP TABLE r0 AS SELECT * FROM read_csv('${dir}/responses.csv', header=true);
  CREATE TEMP TABLE e0 AS SELECT * FROM read_csv('${dir}/events.csv', header=true);
  CREATE TYPE district_t AS ENUM (SELECT DISTINCT district FROM c0 WHERE district IS NOT NULL);
  CREATE TYPE touchpoint_t AS ENUM (SELECT DISTINCT touchpoint FROM r0 WHERE touchpoint IS NOT NULL);
  CREATE TYPE activity_t AS ENUM (SELECT DISTINCT activity FROM e0);
  CREATE TYPE team_t AS ENUM (SELECT DISTINCT team FROM e0 WHERE team IS NOT NULL);
  CREATE TABLE customers AS
    SELECT CAST(substr(id, 2) AS INTEGER) AS cid, CAST(district AS district_t) AS district,
           CAST(rent AS DOUBLE) AS rent FROM c0;
  CREATE TABLE responses AS
    SELECT CAST(substr(customer, 2) AS INTEGER) AS cid, CAST(touchpoint AS touchpoint_t) AS touchpoint,
           epoch(submitted_at)::BIGINT AS ts, CAST(nps AS TINYINT) AS nps, CAST(csat AS TINYINT) AS csat
    FROM r0;
  CREATE TABLE events AS
    SELECT CAST(substr(customer, 2) AS INTEGER) AS cid, CAST(activity AS activity_t) AS activity,
           epoch(time)::BIGINT AS ts, strftime(time, '%Y-%m') AS month,
           CAST(resolution_hours AS DOUBLE) AS resolution_hours, CAST(team AS team_t) AS team
    FROM e0 ORDER BY cid, ts;
  DROP TABLE c0; DROP TABLE r0; DROP TABLE e0`);

await timed('nps_by_customer_district', `
  SELECT c.district, ${NPS}
  FROM responses r LEFT JOIN customers c ON c.cid = r.cid
  WHERE r.nps IS NOT NULL GROUP BY 1`, 5);

await timed('nps_csat_by_rent_band', `
  SELECT CASE WHEN c.rent IS NULL THEN '(none)' WHEN c.rent < 8000 THEN '<8000'
              WHEN c.rent < 10000 THEN '[8000..10000)' WHEN c.rent < 12000 THEN '[10000..12000)'
              WHEN c.rent < 14000 THEN '[12000..14000)' ELSE '>=14000' END AS band,
         ${NPS}, count(r.csat) AS n_csat, avg(r.csat) AS csat_mean, var_samp(r.csat) AS csat_var,
         avg(CASE WHEN r.csat >= 4 THEN 1.0 ELSE 0.0 END) FILTER (WHERE r.csat IS NOT NULL) AS csat_t2b
  FROM responses r LEFT JOIN customers c ON c.cid = r.cid
  GROUP BY 1`, 5);

// the latest fault report at or before each response (ASOF), binned
await timed('nps_by_latest_fault_hours', `
  WITH f AS (SELECT cid, ts, resolution_hours FROM events WHERE activity = 'fault_report')
  SELECT CASE WHEN f.resolution_hours IS NULL THEN '(none)' WHEN f.resolution_hours < 24 THEN '<24'
              WHEN f.resolution_hours < 72 THEN '[24..72)' WHEN f.resolution_hours < 168 THEN '[72..168)'
              WHEN f.resolution_hours < 336 THEN '[168..336)' ELSE '>=336' END AS band, ${NPS}
  FROM responses r ASOF LEFT JOIN f ON r.cid = f.cid AND r.ts >= f.ts
  WHERE r.touchpoint IN ('felanmalan_app', 'felanmalan_tel', 'reparation') AND r.nps IS NOT NULL
  GROUP BY 1`, 5);

// contacts in the 14 days (1,209,600 s) before each response: a running
// count per customer (ties share it), read by two ASOF joins, at t and
// before t - 14 days; their difference is the window's count
await timed('nps_by_contacts_14d', `
  WITH c AS (SELECT cid, ts, count(*) OVER (PARTITION BY cid ORDER BY ts
               RANGE UNBOUNDED PRECEDING) AS k
             FROM events WHERE activity = 'contact'),
  rr AS (SELECT cid, ts, nps FROM responses WHERE nps IS NOT NULL),
  a AS (SELECT rr.*, c.k AS k_to FROM rr ASOF LEFT JOIN c ON rr.cid = c.cid AND rr.ts >= c.ts),
  b AS (SELECT a.*, c.k AS k_before FROM a ASOF LEFT JOIN c
          ON a.cid = c.cid AND a.ts - 1209600 > c.ts)
  SELECT CASE WHEN r.cid IS NULL THEN NULL
              ELSE coalesce(r.k_to, 0) - coalesce(r.k_before, 0) END AS contacts, ${NPS}
  FROM b r GROUP BY 1`, 5);

// the team of the latest viewing (a text attribute), at the viewing touchpoint
await timed('nps_by_viewing_team', `
  WITH v AS (SELECT cid, ts, team FROM events WHERE activity = 'viewing')
  SELECT v.team, ${NPS}
  FROM responses r ASOF LEFT JOIN v ON r.cid = v.cid AND r.ts >= v.ts
  WHERE r.touchpoint = 'visning' AND r.nps IS NOT NULL GROUP BY 1`, 5);

await timed('events_by_activity_month', `
  SELECT activity, month, count(*) AS n,
         median(resolution_hours) AS median_resolution_hours
  FROM events GROUP BY 1, 2`, 5);
