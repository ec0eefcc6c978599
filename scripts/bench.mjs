// Start-up and throughput figures for docs/performance.md: medians of interleaved runs,
// so machine noise hits both sides of each ratio alike. Not a test: it prints numbers.
// Every command, bare `node -e 0` included, runs without NODE_EXTRA_CA_CERTS: Node reads
// that certificate file at start-up (40-90 ms on some machines), which would flatter
// every ratio.
//   npm run bench            (default 40 rounds)
//   npm run bench -- --rounds 100
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import YAML from 'yaml';
import { benchJsonl, benchVariedJsonl, exampleFile as yamlFile, root } from './bench-input.mjs';

const env = { ...process.env };
const caWasSet = env.NODE_EXTRA_CA_CERTS !== undefined;
delete env.NODE_EXTRA_CA_CERTS;
delete env.FORCE_COLOR;

const bin = join(root, 'bin/ft-advisor.cjs');
const args = process.argv.slice(2);
const rounds = Number(args[args.indexOf('--rounds') + 1]) || 40;
if (!existsSync(join(root, 'dist/cli.cjs'))) {
  console.error('Build first: npm run build');
  process.exit(2);
}

const work = mkdtempSync(join(tmpdir(), 'ft-advisor-bench-'));
const answers = YAML.parse(readFileSync(yamlFile, 'utf8'));
const jsonFile = join(work, 'task-api.json');
writeFileSync(jsonFile, JSON.stringify(answers));

function time(cmd, argv, input) {
  const start = process.hrtime.bigint();
  const r = spawnSync(cmd, argv, { env, input, stdio: [input ? 'pipe' : 'ignore', 'ignore', 'pipe'], maxBuffer: 1 << 30 });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`${cmd} ${argv.join(' ')} exited ${r.status}: ${r.stderr}`);
  return ms;
}
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Runs the commands round-robin, rotating who goes first, and returns median ms each. */
function interleaved(commands) {
  const samples = commands.map(() => []);
  for (let i = 0; i < 3; i++) commands.forEach((c) => time(...c)); // warm the file cache
  for (let i = 0; i < rounds; i++) {
    for (let k = 0; k < commands.length; k++) {
      const j = (i + k) % commands.length;
      samples[j].push(time(...commands[j]));
    }
  }
  return samples.map(median);
}

const node = process.execPath;
const [bare, assessJson, assessYaml, version] = interleaved([
  [node, ['-e', '0']],
  [node, [bin, 'assess', '--answers', jsonFile, '--format', 'json']],
  [node, [bin, 'assess', '--answers', yamlFile, '--format', 'json']],
  [node, [bin, '--version']],
]);

// Batch throughput: JSON Lines on stdin, one result per line.
const count = 20000;
const jsonl = benchJsonl(count);
// The machine's speed drifts by a third over minutes: a bare start beside each batch run
// shows what state it was in (compare with the first row).
const batchRuns = [];
const bareBeside = [];
for (let i = 0; i < 7; i++) {
  bareBeside.push(time(node, ['-e', '0']));
  batchRuns.push(time(node, [bin, 'assess', '--answers', '-', '--format', 'jsonl'], jsonl));
}
const batchMs = median(batchRuns);
// The same number of use cases in which every section varies and all four approaches
// occur: the what-if search meets many more shapes of answers.
const varied = benchVariedJsonl(count);
const variedRuns = [];
const bareBesideVaried = [];
for (let i = 0; i < 5; i++) {
  bareBesideVaried.push(time(node, ['-e', '0']));
  variedRuns.push(time(node, [bin, 'assess', '--answers', '-', '--format', 'jsonl'], varied));
}
const variedMs = median(variedRuns);

// The questionnaire's first screen: from start to the first question on a terminal (a pty
// from util-linux \`script\`), beside bare Node printing one line through the same pty.
function untilOutput(command, pattern) {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn('script', ['-qfec', command, '/dev/null'], { env: { ...env, TERM: 'xterm', COLUMNS: '100', LINES: '40' }, stdio: ['pipe', 'pipe', 'ignore'] });
    let out = '';
    let done = false;
    // A screen that never comes (a changed first question) fails the bench instead of hanging it.
    const timer = setTimeout(() => {
      if (done) return;
      done = true;
      child.kill('SIGKILL');
      reject(new Error(`${command}: no match for ${pattern} within 30 s in ${JSON.stringify(out.slice(0, 300))}`));
    }, 30_000);
    child.on('exit', () => clearTimeout(timer));
    child.stdout.on('data', (d) => {
      out += d;
      if (!done && pattern.test(out)) {
        done = true;
        resolve(Number(process.hrtime.bigint() - start) / 1e6);
        child.kill('SIGKILL');
      }
    });
    child.on('close', () => (done ? undefined : reject(new Error(`${command}: no match in ${JSON.stringify(out.slice(0, 300))}`))));
  });
}
let firstQuestion = null;
if (spawnSync('script', ['--version']).status === 0) {
  const qdir = mkdtempSync(join(tmpdir(), 'ft-advisor-bench-q-'));
  const quote = (s) => `'${s.replaceAll("'", "'\\''")}'`;
  const bareLine = [];
  const question = [];
  for (let i = 0; i < Math.min(rounds, 20); i++) {
    bareLine.push(await untilOutput(`${quote(node)} -e 'console.log("ready?")'`, /ready\?/));
    // The first question is the eval-results step's, before the numbered questions.
    question.push(await untilOutput(`cd ${quote(qdir)} && ${quote(node)} ${quote(bin)} assess`, /Eval results to start from\?/));
  }
  rmSync(qdir, { recursive: true, force: true });
  firstQuestion = { bare: median(bareLine), question: median(question) };
}

// Peak memory of one assessment, from GNU time when the machine has it.
let peakMiB = null;
if (existsSync('/usr/bin/time')) {
  const r = spawnSync('/usr/bin/time', ['-f', '%M', node, bin, 'assess', '--answers', yamlFile, '--format', 'json'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  const kb = Number(String(r.stderr).trim().split('\n').pop());
  if (Number.isFinite(kb)) peakMiB = kb / 1024;
}
let batchPeakMiB = null;
if (existsSync('/usr/bin/time')) {
  const r = spawnSync('/usr/bin/time', ['-f', '%M', node, bin, 'assess', '--answers', '-', '--format', 'jsonl'], { env, input: jsonl, stdio: ['pipe', 'ignore', 'pipe'], maxBuffer: 1 << 30 });
  const kb = Number(String(r.stderr).trim().split('\n').pop());
  if (Number.isFinite(kb)) batchPeakMiB = kb / 1024;
}

// The batch's rate once warm: lines out between the 5,000th and the last, read as they
// come. Start-up and the first few thousand use cases (JIT warm-up, the what-if memo
// filling) are what the whole-run figure above adds on top.
async function warmRate() {
  const child = spawn(node, [bin, 'assess', '--answers', '-', '--format', 'jsonl'], { env, stdio: ['pipe', 'pipe', 'ignore'] });
  child.stdin.end(jsonl);
  let lines = 0;
  let from;
  let last;
  child.stdout.on('data', (d) => {
    for (let i = d.indexOf(10); i !== -1; i = d.indexOf(10, i + 1)) if (++lines === 5000) from = performance.now();
    last = performance.now();
  });
  await new Promise((resolve) => child.on('close', resolve));
  return from === undefined ? null : ((lines - 5000) / (last - from)) * 1000;
}
// A longer batch, once: start-up and warm-up weigh less, and the second core pays off.
const long = `${jsonl}`.repeat(5);
const longMs = time(node, [bin, 'assess', '--answers', '-', '--format', 'jsonl'], long);
const warm = [];
for (let i = 0; i < 3; i++) warm.push(await warmRate());
const warmPerSecond = warm.includes(null) ? null : median(warm);
rmSync(work, { recursive: true, force: true });

const row = (name, value, target, ok) => console.log(`${name.padEnd(48)} ${value.padEnd(22)} ${target.padEnd(12)} ${ok === null ? '' : ok ? 'ok' : 'MISSED'}`);
console.log(`ft-advisor benchmark: Node ${process.version}, ${rounds} interleaved rounds, medians${caWasSet ? ' (NODE_EXTRA_CA_CERTS unset for every command)' : ''}\n`);
row('measure', 'result', 'target', null);
row('node -e 0', `${bare.toFixed(1)} ms`, '', null);
row('assess --answers task-api.json --format json', `${assessJson.toFixed(1)} ms (${(assessJson / bare).toFixed(2)}x)`, '<= 1.5x', assessJson / bare <= 1.5);
row('assess --answers task-api.yaml --format json', `${assessYaml.toFixed(1)} ms (${(assessYaml / bare).toFixed(2)}x)`, '<= 1.5x', assessYaml / bare <= 1.5);
row('--version', `${version.toFixed(1)} ms (${(version / bare).toFixed(2)}x)`, '<= 1.2x', version / bare <= 1.2);
const perSecond = count / (batchMs / 1000);
row(`batch: ${count} use cases as JSON Lines`, `${Math.round(perSecond)} /s (${batchMs.toFixed(0)} ms)`, '>= 20000/s', perSecond >= 20000);
row('  node -e 0 beside the batch runs', `${median(bareBeside).toFixed(1)} ms`, '', null);
row(`batch: ${count} varied use cases (all four approaches)`, `${Math.round(count / (variedMs / 1000))} /s (${variedMs.toFixed(0)} ms)`, '', null);
row('  node -e 0 beside the varied runs', `${median(bareBesideVaried).toFixed(1)} ms`, '', null);
row(`batch: ${count * 5} use cases as JSON Lines`, `${Math.round((count * 5) / (longMs / 1000))} /s (${longMs.toFixed(0)} ms)`, '', null);
if (warmPerSecond !== null) row('batch, once warm (after the first 5,000)', `${Math.round(warmPerSecond)} /s`, '', null);
if (firstQuestion) {
  row('questionnaire: first question on a terminal', `${firstQuestion.question.toFixed(1)} ms (${(firstQuestion.question / firstQuestion.bare).toFixed(2)}x)`, '', null);
  row('  node printing one line on the same terminal', `${firstQuestion.bare.toFixed(1)} ms`, '', null);
}
if (peakMiB !== null) row('peak memory, one assessment', `${peakMiB.toFixed(1)} MiB`, '<= 70 MiB', peakMiB <= 70);
if (batchPeakMiB !== null) row(`peak memory, batch of ${count}`, `${batchPeakMiB.toFixed(1)} MiB`, '', null);
