// bin/ loads the start-up bundle with V8's code cache (bin/ft-advisor.cjs). The cache is an
// optimisation only: a missing, corrupt or foreign cache must never change what the
// tool does. These tests work on a copy of the built package, so dist/ stays intact.
import { spawnSync } from 'node:child_process';
import { cpSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, EXAMPLES, ROOT, tempDir } from '../cli/helpers';

const { dir, cleanup } = tempDir('ft-advisor-cache-');
const pkg = join(dir, 'pkg');
let expected: string;

beforeAll(async () => {
  await ensureBuilt();
  for (const part of ['bin', 'dist', 'rules', 'package.json']) cpSync(join(ROOT, part), join(pkg, part), { recursive: true });
  expected = assess().stdout;
}, 120_000);
afterAll(cleanup);

function assess() {
  const r = spawnSync(process.execPath, [join(pkg, 'bin/ft-advisor.cjs'), 'assess', '--answers', join(EXAMPLES, 'task-api.yaml'), '--format', 'json'], { encoding: 'utf8' });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return r;
}

/** What V8 made of the cache, asked in a fresh process as bin/ would. */
function cacheState(): { cachePath: string | null; rejected: boolean | null } {
  const probe = `const { script, cachePath } = require(${JSON.stringify(join(pkg, 'bin/ft-advisor.cjs'))}).loadCli();
process.stdout.write(JSON.stringify({ cachePath: cachePath ?? null, rejected: script.cachedDataRejected ?? null }));`;
  const r = spawnSync(process.execPath, ['-e', probe], { encoding: 'utf8' });
  expect(r.status).toBe(0);
  return JSON.parse(r.stdout);
}

const cacheFiles = () => readdirSync(join(pkg, 'dist')).filter((f) => f.endsWith('.cache'));

describe('the code cache', () => {
  it('is built for the bundle and accepted by V8', () => {
    expect(cacheFiles()).toHaveLength(1);
    const state = cacheState();
    expect(state.cachePath).toBe(join(pkg, 'dist', cacheFiles()[0]!));
    expect(state.rejected).toBe(false);
    expect(JSON.parse(expected).recommendation.approach).toBe('hybrid');
  });

  it('a corrupt cache is rejected and the output is unchanged', () => {
    const file = join(pkg, 'dist', cacheFiles()[0]!);
    const original = readFileSync(file);
    try {
      writeFileSync(file, Buffer.alloc(original.length, 7));
      expect(cacheState().rejected).toBe(true);
      expect(assess().stdout).toBe(expected);
    } finally {
      writeFileSync(file, original);
    }
  });

  it('a cache made for another build is not used', () => {
    const bundle = join(pkg, 'dist/cli.cjs');
    const original = readFileSync(bundle, 'utf8');
    try {
      writeFileSync(bundle, original.replace(/^\/\/ ft-advisor build [0-9a-f]+/, '// ft-advisor build 0000000000000000'));
      expect(cacheState()).toEqual({ cachePath: join(pkg, 'dist/cli-0000000000000000.cache'), rejected: null });
      expect(assess().stdout).toBe(expected);
    } finally {
      writeFileSync(bundle, original);
    }
  });

  it('without any cache the tool works the same', () => {
    for (const f of cacheFiles()) rmSync(join(pkg, 'dist', f));
    expect(cacheState().rejected).toBeNull();
    expect(assess().stdout).toBe(expected);
  });

  it('without the bundle, bin says how to build it: exit 2, no stack trace', () => {
    rmSync(join(pkg, 'dist/cli.cjs'));
    const r = spawnSync(process.execPath, [join(pkg, 'bin/ft-advisor.cjs'), 'assess', '--answers', join(EXAMPLES, 'task-api.yaml')], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('ft-advisor is not built yet. Run `npm run build` in the ft-advisor folder, then try again.\n');
  });
});
