#!/usr/bin/env node
'use strict';
// The only file that touches `process`: everything else receives its IO and returns an
// exit code. CommonJS, and one file, so start-up never waits for Node's ES-module loader
// or a second module lookup. `require`d (scripts/code-cache.mjs, tests), it only exports
// loadCli.
//
// Loading: dist/cli.cjs, the start-up bundle (`run` and the CI fast path), runs as a vm script
// with V8's code cache: compiling the bundle's functions is most of what a cold start
// spends in ft-advisor's own code, and Node 20 has no module compile cache (22.1+).
// The build writes the cache next to the bundle (scripts/code-cache.mjs), named after
// the build id on the bundle's first line, so a cache never meets another build's code.
// A missing or rejected cache (another Node version) only makes start-up slower.
const { readFileSync } = require('node:fs');
const { createRequire } = require('node:module');
const { join } = require('node:path');
const { pathToFileURL } = require('node:url');
const vm = require('node:vm');

const DIST = join(__dirname, '..', 'dist');
const BUNDLE = join(DIST, 'cli.cjs');

/** dist/cli-<build id>.cache for the bundle's source, or undefined without a build id. */
function cachePathFor(source) {
  const id = /^\/\/ ft-advisor build ([0-9a-f]{8,64})\n/.exec(source);
  return id ? join(DIST, `cli-${id[1]}.cache`) : undefined;
}

/**
 * Compiles and runs the bundle. Throws ENOENT when ft-advisor is not built.
 * @param {{ useCache?: boolean }} [options]
 * @returns {{ cli: { run: (argv: string[], io: object) => Promise<number> }, script: vm.Script, cachePath: string | undefined }}
 */
function loadCli(options = {}) {
  const source = readFileSync(BUNDLE, 'utf8');
  const cachePath = cachePathFor(source);
  let cachedData;
  if (options.useCache !== false && cachePath) {
    try {
      cachedData = readFileSync(cachePath);
    } catch {
      // No cache: compile from source.
    }
  }
  const wrapped = `(function (exports, require, module, __filename, __dirname, __ftImport) {${source}\n})`;
  const script = new vm.Script(wrapped, { filename: BUNDLE, cachedData });
  const bundle = { exports: {} };
  // import() does not work inside a cached vm script, so the bundle asks for the full
  // program (dist/program.js, an ES module) through this function.
  const importFromDist = (specifier) => import(pathToFileURL(join(DIST, specifier)).href);
  script.runInThisContext()(bundle.exports, createRequire(BUNDLE), bundle, BUNDLE, DIST, importFromDist);
  return { cli: bundle.exports, script, cachePath };
}

/**
 * Write errors on the standard streams. A reader that goes away (`ft-advisor ... | head`,
 * EPIPE) ends the writing quietly, and the run still ends with the exit code it earned:
 * a failed gate stays 1 under `| head -c1`. Any other error (a full disk, ENOSPC; an I/O
 * error) is one line on standard error and exit 2: no stack trace, and never an exit
 * code that reads as "the gate failed".
 * @param {NodeJS.WriteStream} stream
 * @param {{ name: string, exit: (code: number) => void, stderr: { write: (s: string) => unknown } }} how
 */
function guardStream(stream, how) {
  let gone = false;
  stream.on('error', (error) => {
    const code = error && error.code;
    if (code === 'EPIPE' || code === 'ERR_STREAM_DESTROYED') return;
    if (gone) return;
    gone = true;
    if (how.name !== 'stderr') {
      try {
        how.stderr.write(`ft-advisor: cannot write to standard output: ${describeWriteError(error)}\n`);
      } catch {
        // Standard error is gone too: the exit code is all that is left.
      }
    }
    how.exit(2);
  });
  return stream;
}

/** "no space left on device (ENOSPC)": the reason without Node's call details. */
function describeWriteError(error) {
  const code = error && error.code;
  const reasons = {
    ENOSPC: 'no space left on device',
    EIO: 'input/output error',
    EBADF: 'the stream is closed',
    EDQUOT: 'disk quota exceeded',
    EFBIG: 'the file is too large',
    EACCES: 'permission denied',
    EPERM: 'permission denied',
  };
  const reason =
    reasons[code] ||
    String((error && error.message) || error)
      .split('\n')[0]
      .replace(/^[A-Z]+: /, '')
      .replace(/, write$/, '');
  return code ? `${reason} (${code})` : reason;
}

/**
 * Whether standard output was closed when the process started (`ft-advisor ... >&-`). Node
 * then opens /dev/null in its place, read-write, so writes would vanish and the run would
 * look successful. A redirection to /dev/null (`> /dev/null`) is write-only and fine. A
 * read-write /dev/null is also what a program gets when its parent discards its output
 * (Node's stdio 'ignore', Python's subprocess.DEVNULL): indistinguishable from here, so
 * only a shell parent, which has no such option, counts as having closed it.
 * Linux only (/proc); elsewhere, false.
 */
function stdoutWasClosed() {
  if (process.platform !== 'linux') return false;
  try {
    const { readFileSync, readlinkSync } = require('node:fs');
    if (readlinkSync('/proc/self/fd/1') !== '/dev/null') return false;
    const flags = /^flags:\s*([0-7]+)/m.exec(readFileSync('/proc/self/fdinfo/1', 'utf8'));
    if (!flags || (parseInt(flags[1], 8) & 3) !== 2) return false;
    const parent = readFileSync(`/proc/${process.ppid}/comm`, 'utf8').trim();
    return /^(?:ba|da|z|k|mk|a|tc|c|fi)?sh$|^busybox$/.test(parent);
  } catch {
    return false;
  }
}

const guarded = new WeakSet();
function guard(stream, name) {
  if (!guarded.has(stream)) {
    guarded.add(stream);
    if (name === 'stdout' && stdoutWasClosed()) {
      process.stderr.write('ft-advisor: cannot write to standard output: it is closed; nothing was written (redirect it to a file, or to /dev/null to discard the report)\n');
      process.exit(2);
    }
    guardStream(stream, { name, exit: (code) => process.exit(code), stderr: process.stderr });
  }
  return stream;
}

/**
 * How the person ran the tool, for the commands hints suggest: `npx ft-advisor` when it
 * came through npm (npx, npm exec, an npm script) or from a project's node_modules/.bin,
 * where a bare `ft-advisor` is not on PATH; else `ft-advisor`.
 */
function invocation(env, scriptPath) {
  if (env.npm_command === 'exec' || env.npm_lifecycle_event === 'npx' || env.npm_execpath || env.npm_lifecycle_event) return 'npx ft-advisor';
  const path = String(scriptPath || '').replace(/\\/g, '/');
  if (/\/node_modules\/\.bin\//.test(path)) return 'npx ft-advisor';
  return 'ft-advisor';
}

/**
 * Lowers the priority of every thread of this process but the main one by `nice` steps:
 * V8's compiler and garbage-collector helpers, and libuv's file threads. On Linux a
 * thread's nice value is its own, set through its id (setpriority). Elsewhere, or if
 * /proc cannot be read, nothing changes: it is only a hint to the scheduler.
 */
function lowerHelperThreads(nice) {
  const { readdirSync } = require('node:fs');
  const { getPriority, setPriority } = require('node:os');
  let threads;
  try {
    threads = readdirSync('/proc/self/task');
  } catch {
    return;
  }
  for (const name of threads) {
    const tid = Number(name);
    if (!Number.isInteger(tid) || tid === process.pid) continue;
    try {
      setPriority(tid, Math.min(19, getPriority(tid) + nice));
    } catch {
      // A thread that ended meanwhile, or a system that refuses: leave it.
    }
  }
}

function main() {
  const argv = process.argv.slice(2);
  // A batch worker thread (src/batch/worker.ts starts them with this flag).
  if (argv[0] === '--ft-advisor-batch-worker' && !require('node:worker_threads').isMainThread) {
    loadCli().cli.startBatchWorker();
    return;
  }
  // Scripts ask for the version often: answer without loading the bundle (cli.run does
  // the same for callers in-process).
  if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v')) {
    guard(process.stdout, 'stdout').write(`${require('../package.json').version}\n`);
    return;
  }

  let cli;
  try {
    ({ cli } = loadCli());
  } catch (error) {
    if (error && error.code === 'ENOENT') {
      process.stderr.write('ft-advisor is not built yet. Run `npm run build` in the ft-advisor folder, then try again.\n');
      process.exit(2);
    }
    throw error;
  }
  // The standard streams are made when first used: process.stdin alone costs a few
  // milliseconds of start-up, and the CI path never reads it.
  const io = {
    get stdin() {
      return process.stdin;
    },
    get stdout() {
      return guard(process.stdout, 'stdout');
    },
    get stderr() {
      return guard(process.stderr, 'stderr');
    },
    env: process.env,
    cwd: process.cwd(),
    command: invocation(process.env, process.argv[1]),
    signals: {
      on: (signal, handler) => process.on(signal, handler),
      off: (signal, handler) => process.removeListener(signal, handler),
      raise: (signal) => process.kill(process.pid, signal),
    },
    lowerHelperThreads,
  };
  cli.run(argv, io).then((code) => {
    process.exitCode = code;
  });
}

if (require.main === module) main();
else module.exports = { loadCli, lowerHelperThreads, guardStream, invocation };
