// Throughput and peak memory of `ft-advisor data inspect` on a large generated JSONL
// file. Not a test: it prints the figures docs/performance.md records. The file is
// written to the system's temporary folder and removed afterwards; it is never committed.
//   node scripts/bench-data.mjs                 (1 GiB)
//   node scripts/bench-data.mjs --size-mb 200
//   node scripts/bench-data.mjs --keep          (leave the file, print its path)
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join(root, 'bin/ft-advisor.cjs');
const args = process.argv.slice(2);
const sizeMb = Number(args[args.indexOf('--size-mb') + 1]) || 1024;
const runs = Number(args[args.indexOf('--runs') + 1]) || 3;
if (!existsSync(join(root, 'dist/cli.cjs'))) {
  console.error('Build first: npm run build');
  process.exit(2);
}

const work = mkdtempSync(join(tmpdir(), 'ft-advisor-bench-data-'));
const file = join(work, 'train.jsonl');

// Support conversations of a few hundred bytes, varied so that few are duplicates; one in
// a thousand repeats an earlier line, one in five hundred holds an email address.
const TOPICS = ['reset a password', 'export tasks to CSV', 'add a watcher', 'close a project', 'rename a label', 'change the due date', 'invite a teammate', 'set up a webhook'];
function line(i) {
  const n = i % 1000 === 999 ? i - 500 : i;
  const topic = TOPICS[n % TOPICS.length];
  const contact = n % 500 === 7 ? ` You can reach me at user${n}@example.com.` : '';
  return `${JSON.stringify({
    messages: [
      { role: 'system', content: 'You are the Task API assistant. Answer briefly and in a friendly voice; cite the endpoint when there is one.' },
      { role: 'user', content: `How do I ${topic} for workspace ${n}? I tried from the settings page but nothing happened.${contact}` },
      {
        role: 'assistant',
        content: `To ${topic} in workspace ${n}, open Settings, then Tasks, and use the menu at the top right. From the API, call the endpoint with your token; changes show within a minute (request ${(n * 7919) % 100000}).`,
      },
    ],
  })}\n`;
}

const started = performance.now();
const fd = openSync(file, 'w');
let written = 0;
let lines = 0;
const target = sizeMb * 1024 * 1024;
while (written < target) {
  let block = '';
  for (let k = 0; k < 2000; k++) block += line(lines++);
  written += writeSync(fd, block);
}
closeSync(fd);
const bytes = statSync(file).size;
console.log(`generated ${(bytes / 1024 / 1024).toFixed(0)} MiB, ${lines.toLocaleString('en-US')} lines in ${((performance.now() - started) / 1000).toFixed(1)} s: ${file}`);

const results = [];
for (let r = 0; r < runs; r++) {
  // /usr/bin/time: %M is the peak resident set size of the whole process (KiB), %U %S
  // its CPU seconds, which a busy machine disturbs less than the wall clock.
  const t0 = performance.now();
  const run = spawnSync('/usr/bin/time', ['-f', '%M %U %S', process.execPath, bin, 'data', 'inspect', file, '--format', 'json'], { encoding: 'utf8', maxBuffer: 1 << 26 });
  const seconds = (performance.now() - t0) / 1000;
  if (run.status !== 0) throw new Error(`data inspect exited ${run.status}: ${run.stderr}`);
  const [peakKiB, user, sys] = run.stderr.trim().split('\n').pop().split(' ').map(Number);
  const cpu = user + sys;
  const report = JSON.parse(run.stdout);
  results.push({ seconds, mbPerSecond: bytes / 1e6 / seconds, cpuMbPerSecond: bytes / 1e6 / cpu, peakMiB: peakKiB / 1024 });
  console.log(
    `run ${r + 1}: ${seconds.toFixed(1)} s wall, ${(bytes / 1e6 / seconds).toFixed(1)} MB/s; ${cpu.toFixed(1)} s CPU, ${(bytes / 1e6 / cpu).toFixed(1)} MB/s of CPU; peak RSS ${(peakKiB / 1024).toFixed(0)} MiB (duplicates ${report.findings.duplicates.count}, PII lines ${report.findings.pii.lines}, p95 ${report.findings.tokens.p95} tokens)`,
  );
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(
  `median of ${runs}: ${median(results.map((r) => r.mbPerSecond)).toFixed(1)} MB/s wall, ${median(results.map((r) => r.cpuMbPerSecond)).toFixed(1)} MB/s of CPU, peak RSS ${median(results.map((r) => r.peakMiB)).toFixed(0)} MiB (max ${Math.max(...results.map((r) => r.peakMiB)).toFixed(0)} MiB)`,
);
if (args.includes('--keep')) console.log(`kept ${file}`);
else rmSync(work, { recursive: true, force: true });
