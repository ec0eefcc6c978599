// Peak memory of a large batch written through --output, in every format: the output is
// streamed into a temporary file, so memory should not grow with the batch. Not a test
// (a 100,000-use-case text batch takes minutes): it prints the figures docs/performance.md
// records.
//   node scripts/batch-memory.mjs                       (100,000 use cases, every format)
//   node scripts/batch-memory.mjs --count 20000 --formats jsonl,json
//   node scripts/batch-memory.mjs --heap 128        (V8's old space capped at 128 MiB: a
//                                                     batch that held its output would fail)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchJsonl, root } from './bench-input.mjs';

const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const count = Number(option('--count', '100000'));
const formats = option('--formats', 'jsonl,json,markdown,text').split(',');
const heap = option('--heap', undefined);
const bin = join(root, 'bin/ft-advisor.cjs');
if (!existsSync(join(root, 'dist/cli.cjs'))) {
  console.error('Build first: npm run build');
  process.exit(2);
}

const work = mkdtempSync(join(tmpdir(), 'ft-advisor-batch-memory-'));
// Records the process's peak resident set (worker threads included) as it exits.
const probe = join(work, 'peak.cjs');
writeFileSync(probe, "process.on('exit', () => require('node:fs').writeFileSync(process.env.FT_PEAK_FILE, String(process.resourceUsage().maxRSS)));\n");
const input = join(work, 'batch.jsonl');
writeFileSync(input, benchJsonl(count));
const mib = (bytes) => `${(bytes / (1 << 20)).toFixed(0)} MiB`;
console.log(`node ${process.version}, ${count.toLocaleString('en')} use cases (${mib(statSync(input).size)} of JSON Lines), written with --output${heap ? `, --max-old-space-size=${heap}` : ''}`);
console.log('format    | peak RSS | output   | time');

try {
  for (const format of formats) {
    const out = join(work, `out.${format}`);
    const peakFile = join(work, `peak-${format}`);
    const start = process.hrtime.bigint();
    const r = spawnSync(process.execPath, [...(heap ? [`--max-old-space-size=${heap}`] : []), '--require', probe, bin, 'assess', input, '--format', format, '--output', out], {
      env: { ...process.env, FT_PEAK_FILE: peakFile },
      stdio: ['ignore', 'ignore', 'pipe'],
      maxBuffer: 1 << 26,
    });
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    if (r.status !== 0) throw new Error(`--format ${format} exited ${r.status}: ${r.stderr}`);
    const peak = Number(readFileSync(peakFile, 'utf8')) * 1024;
    console.log(`${format.padEnd(9)} | ${mib(peak).padStart(8)} | ${mib(statSync(out).size).padStart(8)} | ${seconds.toFixed(0)} s`);
    rmSync(out, { force: true });
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
