// vader-sentiment peer for the text section of bench/run.sh: scores every
// comment of each labelled file (label TAB text, labels pos/neg) with the npm
// port of VADER (English lexicon) and prints accuracy and throughput, as
// "vader-sentiment FILE: accuracy A, N comments/s".
// compound > 0 counts as pos, < 0 as neg, exactly 0 as wrong. Throughput is
// the median of 5 timed passes over the file, after one warm-up pass (fewer
// passes, and said so, if they pass a 60 s budget; VADER does not come near).
// Usage: node vader_bench.mjs FILE...
import { basename } from 'node:path';
import { load, measure } from './labelled.mjs';
import vader from 'vader-sentiment';

const sia = vader.SentimentIntensityAnalyzer;

for (const file of process.argv.slice(2)) {
  const rows = load(file);
  const { acc, rate, note } = measure(rows, (text) => sia.polarity_scores(text).compound);
  console.log(`vader-sentiment ${basename(file)}: accuracy ${acc.toFixed(3)}, ${Math.round(rate)} comments/s${note}`);
}
