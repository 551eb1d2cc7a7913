// DuckDB peer for bench_fields (bench/run.sh): loads the same customers,
// responses and events CSV files and answers the same questions in SQL, in
// the strongest form DuckDB offers (ASOF joins for "the latest event
// before the response", a range join for "events in the 14 days before"),
// with what the CIs need (n, mean and variance of the NPS indicator).
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
  CREATE TABLE customers AS SELECT * FROM read_csv('${dir}/customers.csv', header=true);
  CREATE TABLE responses AS SELECT * FROM read_csv('${dir}/responses.csv', header=true);
  CREATE TABLE events AS SELECT * FROM read_csv('${dir}/events.csv', header=true)
    ORDER BY customer, time`);

await timed('nps_by_customer_district', `
  SELECT c.district, ${NPS}
  FROM responses r LEFT JOIN customers c ON c.id = r.customer
  WHERE r.nps IS NOT NULL GROUP BY 1`, 5);

await timed('nps_csat_by_rent_band', `
  SELECT CASE WHEN c.rent IS NULL THEN '(none)' WHEN c.rent < 8000 THEN '<8000'
              WHEN c.rent < 10000 THEN '[8000..10000)' WHEN c.rent < 12000 THEN '[10000..12000)'
              WHEN c.rent < 14000 THEN '[12000..14000)' ELSE '>=14000' END AS band,
         ${NPS}, count(r.csat) AS n_csat, avg(r.csat) AS csat_mean, var_samp(r.csat) AS csat_var,
         avg(CASE WHEN r.csat >= 4 THEN 1.0 ELSE 0.0 END) FILTER (WHERE r.csat IS NOT NULL) AS csat_t2b
  FROM responses r LEFT JOIN customers c ON c.id = r.customer
  GROUP BY 1`, 5);

// the latest fault report at or before each response (ASOF), binned
await timed('nps_by_latest_fault_hours', `
  WITH f AS (SELECT customer, time, resolution_hours FROM events WHERE activity = 'fault_report')
  SELECT CASE WHEN f.resolution_hours IS NULL THEN '(none)' WHEN f.resolution_hours < 24 THEN '<24'
              WHEN f.resolution_hours < 72 THEN '[24..72)' WHEN f.resolution_hours < 168 THEN '[72..168)'
              WHEN f.resolution_hours < 336 THEN '[168..336)' ELSE '>=336' END AS band, ${NPS}
  FROM responses r ASOF LEFT JOIN f ON r.customer = f.customer AND r.submitted_at >= f.time
  WHERE r.touchpoint IN ('felanmalan_app', 'felanmalan_tel', 'reparation') AND r.nps IS NOT NULL
  GROUP BY 1`, 5);

// contacts in the 14 days (1,209,600 s) before each response
await timed('nps_by_contacts_14d', `
  WITH c AS (SELECT customer, time FROM events WHERE activity = 'contact'),
  per AS (
    SELECT r.id, any_value(r.nps) AS nps, any_value(r.customer) AS customer, count(c.time) AS contacts
    FROM responses r LEFT JOIN c ON c.customer = r.customer
      AND c.time >= r.submitted_at - to_seconds(1209600) AND c.time <= r.submitted_at
    WHERE r.nps IS NOT NULL GROUP BY r.id)
  SELECT CASE WHEN r.customer IS NULL THEN NULL ELSE r.contacts END AS contacts, ${NPS}
  FROM per r GROUP BY 1`, 5);

// the team of the latest viewing (a text attribute), at the viewing touchpoint
await timed('nps_by_viewing_team', `
  WITH v AS (SELECT customer, time, team FROM events WHERE activity = 'viewing')
  SELECT v.team, ${NPS}
  FROM responses r ASOF LEFT JOIN v ON r.customer = v.customer AND r.submitted_at >= v.time
  WHERE r.touchpoint = 'visning' AND r.nps IS NOT NULL GROUP BY 1`, 5);

await timed('events_by_activity_month', `
  SELECT activity, strftime(time, '%Y-%m') AS month, count(*) AS n,
         median(resolution_hours) AS median_resolution_hours
  FROM events GROUP BY 1, 2`, 5);
