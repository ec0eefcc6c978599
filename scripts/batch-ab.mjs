// Whole-run A/B of JSON Lines batches: builds, Node flags or settings, run interleaved
// (the order rotates each round) beside `node -e 0`, medians printed. On a machine whose
// speed drifts by half over minutes, only runs interleaved like this compare fairly;
// 15-25 rounds tell ~5% apart (docs/performance.md).
//
//   node scripts/batch-ab.mjs [--rounds N] [--lines N | --input FILE] VARIANT...
//
// A VARIANT is `DIR[|NODE FLAGS][|NAME=VALUE,...]`: DIR an ft-advisor folder (its
// bin/ft-advisor.cjs runs), then flags for node and environment settings, e.g.
//   node scripts/batch-ab.mjs . '.||FT_ADVISOR_HELPER_NICE=0' '.|--v8-pool-size=1'
// To compare builds, copy one first: cp -r bin dist rules package.json /tmp/old/ and link
// node_modules into it.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { benchJsonl } from './bench-input.mjs';

const args = process.argv.slice(2);
const option = (name) => {
  const i = args.indexOf(name);
  if (i === -1) return undefined;
  const [, value] = args.splice(i, 2);
  return value;
};
const rounds = Number(option('--rounds') ?? 15);
const inputFile = option('--input');
const input = inputFile ? readFileSync(inputFile) : Buffer.from(benchJsonl(Number(option('--lines') ?? 20000)));
const lineCount = input
  .toString('utf8')
  .split('\n')
  .filter((l) => l.trim()).length;
if (!args.length) {
  console.error('usage: node scripts/batch-ab.mjs [--rounds N] [--lines N | --input FILE] DIR[|NODE FLAGS][|NAME=VALUE,...] ...');
  process.exit(2);
}

const variants = args.map((spec) => {
  const [dir, flags = '', settings = ''] = spec.split('|');
  return {
    spec,
    argv: [...flags.split(' ').filter(Boolean), join(resolve(dir), 'bin/ft-advisor.cjs'), 'assess', '--answers', '-', '--format', 'jsonl'],
    env: Object.fromEntries(
      settings
        .split(',')
        .filter(Boolean)
        .map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]),
    ),
  };
});

function time(argv, stdin, env = {}) {
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, argv, { input: stdin, env: { ...process.env, ...env }, stdio: [stdin ? 'pipe' : 'ignore', 'ignore', 'pipe'], maxBuffer: 1 << 30 });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  // A crash looks fast: refuse it (a signal leaves status null).
  if (r.status !== 0) throw new Error(`${argv.join(' ')} ended with ${r.signal ?? `exit ${r.status}`}: ${String(r.stderr).slice(0, 500)}`);
  return ms;
}
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

const bare = [];
const runs = variants.map(() => []);
for (let i = 0; i < rounds; i++) {
  bare.push(time(['-e', '0']));
  for (let k = 0; k < variants.length; k++) {
    const j = (i + k) % variants.length;
    runs[j].push(time(variants[j].argv, input, variants[j].env));
  }
}
console.log(`${rounds} rounds, ${lineCount} lines; node -e 0: ${median(bare).toFixed(1)} ms`);
variants.forEach((v, j) => {
  const ms = median(runs[j]);
  console.log(`${v.spec.padEnd(48)} ${ms.toFixed(0).padStart(6)} ms  ${String(Math.round((lineCount / ms) * 1000)).padStart(6)} /s  (min ${Math.min(...runs[j]).toFixed(0)} ms)`);
});
