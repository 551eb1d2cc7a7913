-- sqlite3 peer, the same two aggregations as `resonans metrics`.
.timer on
.output /dev/null
SELECT touchpoint, substr(submitted_at, 1, 7) AS month, count(*) AS n,
       100.0 * (sum(nps >= 9) - sum(nps <= 6)) / count(*) AS nps
FROM responses WHERE nps <> '' GROUP BY 1, 2;
SELECT c.segment, r.channel,
       sum(r.nps <> '') AS n_nps,
       100.0 * (sum(r.nps <> '' AND r.nps + 0 >= 9) - sum(r.nps <> '' AND r.nps + 0 <= 6)) / sum(r.nps <> '') AS nps,
       sum(r.csat <> '') AS n_csat,
       avg(CASE WHEN r.csat <> '' THEN r.csat + 0 END) AS csat_mean,
       sum(CASE WHEN r.csat <> '' THEN (r.csat + 0) * (r.csat + 0) END) AS csat_ss,
       sum(r.ces <> '') AS n_ces,
       avg(CASE WHEN r.ces <> '' THEN r.ces + 0 END) AS ces_mean,
       sum(CASE WHEN r.ces <> '' THEN (r.ces + 0) * (r.ces + 0) END) AS ces_ss
FROM responses r JOIN customers c ON c.id = r.customer
GROUP BY 1, 2;
