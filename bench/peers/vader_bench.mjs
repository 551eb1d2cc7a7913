// vader-sentiment peer for the text section of bench/run.sh: scores every
// comment of each labelled file (label TAB text, labels pos/neg) with the npm
// port of VADER (English lexicon) and prints accuracy and throughput, as
// "vader-sentiment FILE: accuracy A, N comments/s".
// compound > 0 counts as pos, < 0 as neg, exactly 0 as wrong. Throughput is
// the median of 5 timed passes over the file, after one warm-up pass (fewer
// passes, and said so, if they pass a 60 s budget; VADER does not come near).
//
// --rates: the figure bench/run.sh sets beside `bench_text --raw-en`, timed
// the same way (one warm-up pass, then the median of 5 passes over the
// file, file reading excluded) in wall-clock time and in the process's CPU
// time (user + system, all of node's threads), printed as
// "vader-sentiment-rates FILE: N comments; wall W/s, cpu C/s (...)".
// polarity_scores takes the raw text: VADER tokenises inside every call.
// Usage: node vader_bench.mjs [--rates] FILE...
import { basename } from 'node:path';
import { load, measure } from './labelled.mjs';
import vader from 'vader-sentiment';

const sia = vader.SentimentIntensityAnalyzer;
const args = process.argv.slice(2);
const rates = args[0] === '--rates';

function median(v) {
  const s = [...v].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function timeRates(rows) {
  let sum = 0;
  const pass = () => {
    for (let i = 0; i < rows.length; i++) sum += sia.polarity_scores(rows[i].text).compound;
  };
  pass(); // warm-up
  const wall = [], cpu = [];
  for (let r = 0; r < 5; r++) {
    const c0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    pass();
    const t = Number(process.hrtime.bigint() - t0) / 1e9;
    const c = process.cpuUsage(c0);
    wall.push(rows.length / t);
    cpu.push(rows.length / ((c.user + c.system) / 1e6));
  }
  return { wall: median(wall), cpu: median(cpu), sum };
}

for (const file of rates ? args.slice(1) : args) {
  const rows = load(file);
  if (rates) {
    const { wall, cpu, sum } = timeRates(rows);
    console.log(`vader-sentiment-rates ${file}: ${rows.length} comments; wall ${Math.round(wall)}/s, ` +
      `cpu ${Math.round(cpu)}/s (median of 5 after a warm-up); checksum ${sum.toFixed(3)}`);
    continue;
  }
  const { acc, rate, note } = measure(rows, (text) => sia.polarity_scores(text).compound);
  console.log(`vader-sentiment ${basename(file)}: accuracy ${acc.toFixed(3)}, ${Math.round(rate)} comments/s${note}`);
}
