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

/** Ends quietly when the reader goes away: `ft-advisor ... | head`, as other tools do. */
const guarded = new WeakSet();
function guard(stream) {
  if (!guarded.has(stream)) {
    guarded.add(stream);
    stream.on('error', (error) => {
      if (error && error.code === 'EPIPE') process.exit(0);
      throw error;
    });
  }
  return stream;
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
    guard(process.stdout).write(`${require('../package.json').version}\n`);
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
      return guard(process.stdout);
    },
    get stderr() {
      return guard(process.stderr);
    },
    env: process.env,
    cwd: process.cwd(),
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
else module.exports = { loadCli, lowerHelperThreads };
