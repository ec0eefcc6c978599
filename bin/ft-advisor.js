#!/usr/bin/env node
// The only file that touches `process`: everything else receives its IO and returns an exit code.
// `ft-advisor ... | head` closes the pipe early: stop quietly, as other tools do.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error && error.code === 'EPIPE') process.exit(0);
    throw error;
  });
}

let cli;
try {
  cli = await import('../dist/cli.js');
} catch (error) {
  if (error && error.code === 'ERR_MODULE_NOT_FOUND') {
    process.stderr.write('ft-advisor is not built yet. Run `npm run build` in the ft-advisor folder, then try again.\n');
    process.exit(2);
  }
  throw error;
}
const code = await cli.run(process.argv.slice(2), {
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
});
process.exitCode = code;
