// Shared by the CLI tests: build once when dist/ is missing or older than the sources,
// run the built binary as a user would (child process, stdin piped or closed), or the
// built CLI in this process (runBuilt), temp dirs.
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { PassThrough, Readable } from 'node:stream';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
export const BIN = join(ROOT, 'bin/ft-advisor.cjs');
export const EXAMPLES = join(ROOT, 'examples');

function newestMtime(path: string): number {
  const info = statSync(path);
  if (!info.isDirectory()) return info.mtimeMs;
  return Math.max(info.mtimeMs, ...readdirSync(path).map((name) => newestMtime(join(path, name))));
}

function isStale(): boolean {
  try {
    const built = statSync(join(ROOT, 'dist/cli.cjs')).mtimeMs;
    const sources = Math.max(newestMtime(join(ROOT, 'src')), statSync(join(ROOT, 'scripts/build.mjs')).mtimeMs);
    return sources > built;
  } catch {
    return true;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Builds dist/ when it is missing or stale; test files in parallel workers take turns. */
export async function ensureBuilt(): Promise<void> {
  if (!isStale()) return;
  const lock = join(tmpdir(), 'ft-advisor-cli-test-build.lock');
  for (let waited = 0; ; waited += 200) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      try {
        if (Date.now() - statSync(lock).mtimeMs > 120_000) rmSync(lock, { recursive: true, force: true });
      } catch {
        // gone meanwhile
      }
      if (waited > 90_000) throw new Error('timed out waiting for another test worker to build ft-advisor');
      await sleep(200);
    }
  }
  try {
    if (isStale()) execFileSync(process.execPath, [join(ROOT, 'scripts/build.mjs'), '--no-types', '--quiet'], { cwd: ROOT, stdio: 'inherit' });
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  input?: string | Buffer;
  cwd?: string;
  env?: Record<string, string | undefined>;
  /** Kills the run after this many milliseconds (code null): for runs that could hang. */
  timeout?: number;
}

/**
 * The environment of a person at a shell: without the npm_* variables `npm test` sets,
 * which would make the CLI word its hints for npx (`npx ft-advisor ...`).
 */
export function shellEnv(): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('npm_')) env[k] = v;
  return env;
}

/** The environment runCli and runBuilt give the CLI: a shell's, without colour settings or a job summary. */
function cliEnv(options: RunOptions): Record<string, string> {
  const env: Record<string, string | undefined> = { ...shellEnv(), NO_COLOR: undefined, FORCE_COLOR: undefined, GITHUB_STEP_SUMMARY: undefined, ...options.env };
  for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k];
  return env as Record<string, string>;
}

export function runCli(args: string[], options: RunOptions = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const env = cliEnv(options);
    const child = spawn(process.execPath, [BIN, ...args], { cwd: options.cwd ?? ROOT, env: env, stdio: ['pipe', 'pipe', 'pipe'], timeout: options.timeout });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (d: string) => (stdout += d));
    child.stderr.on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.on('error', () => undefined);
    if (options.input !== undefined) child.stdin.end(options.input);
    else child.stdin.end();
  });
}

type BuiltCli = { run: (argv: string[], io: object) => Promise<number> };
let built: BuiltCli | undefined;

/**
 * Runs the built CLI (dist/, loaded once through bin/'s loadCli) in this process: the code
 * the binary runs, with its standard streams in memory and without a process start-up per
 * run. For tests of what a command does; what only the binary does (its stream guards,
 * `--version` without loading the bundle, exit on a signal, worker threads, a timeout to
 * stop a run that hangs) needs runCli. Standard input is piped or empty, never a TTY.
 */
export async function runBuilt(args: string[], options: Omit<RunOptions, 'timeout'> = {}): Promise<CliResult> {
  built ??= (createRequire(import.meta.url)(BIN) as { loadCli: () => { cli: BuiltCli } }).loadCli().cli;
  let stdout = '';
  let stderr = '';
  const out = new PassThrough();
  const err = new PassThrough();
  out.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  err.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  // In the chunks a pipe gives (64 KiB), as the binary would read it.
  const input = options.input === undefined ? Buffer.alloc(0) : Buffer.from(options.input);
  const chunks = [];
  for (let at = 0; at < input.length; at += 65_536) chunks.push(input.subarray(at, at + 65_536));
  const stdin = Readable.from(chunks);
  const code = await built.run(args, { stdin, stdout: out, stderr: err, env: cliEnv(options), cwd: options.cwd ?? ROOT });
  // What was written last may still be on its way through the streams.
  await new Promise((resolve) => setImmediate(resolve));
  return { code, stdout, stderr };
}

export function tempDir(prefix = 'ft-advisor-cli-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** No stack trace ever reaches a user for bad input. */
export function expectNoStackTrace(text: string): void {
  if (/\n\s+at .+\(.+:\d+:\d+\)/.test(text) || /Error: .*\n\s+at /.test(text)) {
    throw new Error(`output contains a stack trace:\n${text}`);
  }
}
