#!/usr/bin/env node
// Reads a large generated promptfoo export (results version 3) and reports read speed and
// peak memory. Not a test: figures depend on the machine (docs/performance.md has ours).
//
//   node scripts/evidence-bench.mjs            # a 500 MB export
//   node scripts/evidence-bench.mjs --mb 100   # a smaller one
//   node scripts/evidence-bench.mjs --keep     # keep the generated file (its path is printed)
//
// The export is written in pieces (never held whole), then read in a fresh process so its
// peak resident memory is the reader's alone; an empty run of the same process gives the
// baseline (Node and ft-advisor loaded, nothing read).
import { execFileSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const mb = Number(args[args.indexOf('--mb') + 1]) || 500;
const keep = args.includes('--keep');

if (args[0] === '--read') {
  // The child: read one file (or nothing), print figures as JSON.
  const { readEvalEvidence } = await import(join(ROOT, 'dist/index.js'));
  const file = args[1];
  const start = process.hrtime.bigint();
  const m = file === '-' ? undefined : await readEvalEvidence(file);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  console.log(JSON.stringify({ seconds, maxRssKiB: process.resourceUsage().maxRSS, facts: m?.facts, rows: m?.eval.rows.length }));
  process.exit(0);
}

if (!existsSync(join(ROOT, 'dist/index.js'))) {
  console.error('Build first: npm run build');
  process.exit(2);
}

const dir = mkdtempSync(join(tmpdir(), 'ft-evidence-bench-'));
const file = join(dir, 'results.json');
const PROMPTS = 10;
const PROVIDERS = ['openai:gpt-4o-mini', 'anthropic:messages:claude-3-5-haiku-20241022'];
// A model answer of ~1.5 KB with quotes, escapes and brackets, as real outputs have.
const OUTPUT = 'Thanks for reaching out! Here is what happened with ticket #{id}: "the sync job" failed because of a \\"quota\\" limit [see KB-1234]. {"steps": [1, 2, 3]}\n'.repeat(10);

async function generate() {
  const out = createWriteStream(file);
  const write = (s) => (out.write(s) ? undefined : new Promise((r) => out.once('drain', r)));
  const target = mb * 1024 * 1024;
  await write(
    '{"evalId":"eval-bench","metadata":{"promptfooVersion":"0.118.3"},"config":{"description":"generated benchmark export","tests":"file://tests.csv"},"results":{"version":3,"timestamp":"2026-12-07T00:00:00.000Z","results":[',
  );
  let bytes = 0;
  let i = 0;
  const perRow = PROMPTS * PROVIDERS.length;
  while (bytes < target) {
    const promptIdx = i % perRow;
    const provider = PROVIDERS[promptIdx % PROVIDERS.length];
    const success = (i * 7919) % 100 < 60 + (promptIdx % 10) * 2;
    const item = JSON.stringify({
      id: `r-${i}`,
      promptIdx,
      testIdx: Math.floor(i / perRow),
      promptId: `p${Math.floor(promptIdx / PROVIDERS.length)}`,
      prompt: { raw: `Prompt ${promptIdx} {{ticket}}`, label: `prompt-${Math.floor(promptIdx / PROVIDERS.length)}` },
      provider: { id: provider, label: '' },
      vars: { ticket: `ticket ${i}` },
      response: { output: OUTPUT.replace('{id}', String(i)), tokenUsage: { prompt: 900 + (i % 50), completion: 140 + (i % 20), total: 1040 + (i % 70), numRequests: 1 } },
      success,
      score: success ? 1 : 0,
      failureReason: success ? 0 : 1,
      latencyMs: 700 + (i % 600),
      cost: 0.00024,
      namedScores: {},
      gradingResult: { pass: success, score: success ? 1 : 0, reason: success ? 'All assertions passed' : 'Too terse' },
    });
    const piece = (i ? ',' : '') + item;
    bytes += Buffer.byteLength(piece);
    await write(piece);
    i++;
  }
  const prompts = [];
  for (let p = 0; p < perRow; p++)
    prompts.push({ raw: `Prompt ${p} {{ticket}}`, label: `prompt-${Math.floor(p / PROVIDERS.length)}`, id: `p${Math.floor(p / PROVIDERS.length)}`, provider: PROVIDERS[p % PROVIDERS.length] });
  await write(`],"prompts":${JSON.stringify(prompts)},"stats":{"successes":0,"failures":0,"errors":0}},"shareableUrl":null}\n`);
  await new Promise((r) => out.end(r));
  return i;
}

const child = (target) => JSON.parse(execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--read', target], { encoding: 'utf8', maxBuffer: 1 << 20 }));

process.stderr.write(`generating a ${mb} MB promptfoo export in ${dir} ...\n`);
const results = await generate();
const size = statSync(file).size;
const baseline = child('-');
const read = child(file);
const mib = (kib) => (kib / 1024).toFixed(0);
console.log(`export:        ${(size / 1e6).toFixed(0)} MB (${(size / 1048576).toFixed(0)} MiB), ${results.toLocaleString('en-US')} per-test results, ${read.rows} prompt x provider rows`);
console.log(`read:          ${read.seconds.toFixed(2)} s, ${(size / 1e6 / read.seconds).toFixed(0)} MB/s`);
console.log(
  `peak RSS:      ${mib(read.maxRssKiB)} MiB (baseline with nothing read: ${mib(baseline.maxRssKiB)} MiB; the reader's own: ${mib(read.maxRssKiB - baseline.maxRssKiB)} MiB, ${((read.maxRssKiB * 1024) / size).toFixed(2)}x the file)`,
);
console.log(`facts:         ${JSON.stringify(read.facts)}`);
console.log(`node ${process.version}, ${process.platform} ${process.arch}`);
if (keep) console.log(`kept: ${file}`);
else rmSync(dir, { recursive: true, force: true });
