// vader-sentiment peer for the text section of bench/run.sh: scores every
// comment of each labelled file (label TAB text, labels pos/neg) with the npm
// port of VADER (English lexicon) and prints accuracy and throughput, as
// "vader-sentiment FILE: accuracy A, N comments/s".
// compound > 0 counts as pos, < 0 as neg, exactly 0 as wrong. Throughput is
// the median of 5 timed passes over the file, after one warm-up pass (fewer
// passes, and said so, if they pass a 60 s budget; VADER does not come near).
// Usage: node vader_bench.mjs FILE...
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import vader from 'vader-sentiment';

const sia = vader.SentimentIntensityAnalyzer;

function load(file) {
  const rows = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const tab = line.indexOf('\t');
    if (tab < 0) continue;
    rows.push({ label: line.slice(0, tab), text: line.slice(tab + 1).replace(/\r$/, '') });
  }
  return rows;
}

function now() { return Number(process.hrtime.bigint()) / 1e9; }

for (const file of process.argv.slice(2)) {
  const rows = load(file);
  const scores = new Float64Array(rows.length);
  const pass = () => {
    for (let i = 0; i < rows.length; i++)
      scores[i] = sia.polarity_scores(rows[i].text).compound;
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
  const acc = rows.length ? ok / rows.length : 0;
  const rate = rows.length / t[Math.floor(t.length / 2)];
  const note = t.length < 5 ? ` (median of ${t.length} timed pass${t.length > 1 ? "es" : ""})` : '';
  console.log(`vader-sentiment ${basename(file)}: accuracy ${acc.toFixed(3)}, ${Math.round(rate)} comments/s${note}`);
}
