// Makes V8's code cache for dist/cli.cjs (see bin/ft-advisor.cjs): runs the bundle on the
// examples the way CI does, so the functions it compiles on the way are in the cache,
// then writes the cache. Run by scripts/build.mjs, in a process of its own so that
// nothing but ft-advisor has run in it.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { loadCli } = createRequire(import.meta.url)('../bin/ft-advisor.cjs');
const { cli, script, cachePath } = loadCli({ useCache: false });
if (!cachePath) throw new Error('dist/cli.cjs has no build id on its first line');

const sink = () => new Writable({ write: (_chunk, _encoding, done) => done() });
const io = { stdin: process.stdin, stdout: sink(), stderr: sink(), env: {}, cwd: root };
// The CI path: YAML and JSON answers, JSON out. Other formats stay out of the cache:
// every cached function costs deserialising time on every start.
// (Adding the text format made the cache a third bigger and measured no faster for text.)
const work = mkdtempSync(join(tmpdir(), 'ft-advisor-cache-'));
const asJson = join(work, 'task-api.json');
writeFileSync(asJson, JSON.stringify(YAML.parse(readFileSync(join(root, 'examples/task-api.yaml'), 'utf8'))));
try {
  for (const answers of ['examples/task-api.yaml', 'examples/support-bot.yaml', asJson]) {
    const code = await cli.run(['assess', '--answers', answers, '--format', 'json'], io);
    if (code !== 0) throw new Error(`warming the code cache: assess ${answers} exited ${code}`);
  }
  // Standard input too (`generate | ft-advisor assess --answers -`): one document, and JSON
  // Lines, whose first lines are then compiled already when a batch starts.
  const piped = [
    ['json', readFileSync(join(root, 'examples/task-api.yaml'))],
    ['jsonl', Buffer.from(`${readFileSync(asJson, 'utf8')}\n${readFileSync(asJson, 'utf8')}\n`)],
  ];
  for (const [format, input] of piped) {
    const code = await cli.run(['assess', '--answers', '-', '--format', format], { ...io, stdin: Readable.from([input]) });
    if (code !== 0) throw new Error(`warming the code cache: assess --answers - --format ${format} exited ${code}`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

for (const old of readdirSync(join(root, 'dist')).filter((f) => /^cli-.*\.cache$/.test(f))) rmSync(join(root, 'dist', old));
writeFileSync(cachePath, script.createCachedData());
