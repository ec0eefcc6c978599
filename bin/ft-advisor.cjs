#!/usr/bin/env node
'use strict';
// The only file that touches `process`: everything else receives its IO and returns an
// exit code. CommonJS, so start-up never waits for Node's ES-module loader.
// `ft-advisor ... | head` closes the pipe early: stop quietly, as other tools do.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error && error.code === 'EPIPE') process.exit(0);
    throw error;
  });
}

const argv = process.argv.slice(2);
// Scripts ask for the version often: answer without loading the bundle (cli.run does
// the same for callers in-process).
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v')) {
  process.stdout.write(`${require('../package.json').version}\n`);
  return;
}

let cli;
try {
  ({ cli } = require('./load-cli.cjs').loadCli());
} catch (error) {
  if (error && error.code === 'ENOENT') {
    process.stderr.write('ft-advisor is not built yet. Run `npm run build` in the ft-advisor folder, then try again.\n');
    process.exit(2);
  }
  throw error;
}
cli
  .run(argv, {
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: process.cwd(),
    signals: {
      on: (signal, handler) => process.on(signal, handler),
      off: (signal, handler) => process.removeListener(signal, handler),
      raise: (signal) => process.kill(process.pid, signal),
    },
  })
  .then((code) => {
    process.exitCode = code;
  });
