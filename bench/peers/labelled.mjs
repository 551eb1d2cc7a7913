// Shared by the text peers (vader_bench.mjs, multilang_bench.mjs): reads a
// labelled file (label TAB text) and measures a scorer on it. A score > 0
// counts as pos, < 0 as neg, exactly 0 as wrong. Throughput is the median
// of 5 timed passes after one warm-up pass; timed passes stop early once
// they have used 60 s (always at least one), and the note says so.
import { readFileSync } from 'node:fs';

export function load(file) {
  const rows = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const tab = line.indexOf('\t');
    if (tab < 0) continue;
    rows.push({ label: line.slice(0, tab), text: line.slice(tab + 1).replace(/\r$/, '') });
  }
  return rows;
}

function now() { return Number(process.hrtime.bigint()) / 1e9; }

// Returns { acc, rate, note } for score(text) -> number over rows.
export function measure(rows, score) {
  const scores = new Float64Array(rows.length);
  const pass = () => {
    for (let i = 0; i < rows.length; i++) scores[i] = score(rows[i].text);
  };
  pass(); // warm-up
  const t = [];
  for (let r = 0, spent = 0; r < 5 && (r === 0 || spent < 60); r++) {
    const t0 = now();
    pass();
    t.push(now() - t0);
    spent += t[r];
  }
  t.sort((a, b) => a - b);
  let ok = 0;
  for (let i = 0; i < rows.length; i++) {
    const s = scores[i];
    const pred = s > 0 ? 'pos' : s < 0 ? 'neg' : null;
    if (pred === rows[i].label) ok++;
  }
  return {
    acc: rows.length ? ok / rows.length : 0,
    rate: rows.length / t[Math.floor(t.length / 2)],
    note: t.length < 5 ? ` (median of ${t.length} timed pass${t.length > 1 ? 'es' : ''})` : '',
  };
}
