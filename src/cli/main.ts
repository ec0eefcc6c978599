// The command line. `run` receives its IO and returns an exit code; only bin/ touches
// `process`. The CI path (`assess --answers f --format json`) goes through fast-path.ts,
// which loads neither commander nor zod; everything else loads the full program
// (program.ts), and each command's module when that command runs.
import { tryFastAssess } from './fast-path';
import type { CliIO } from './io';
import { loadProgram } from './load-program';

declare const __FT_VERSION__: string | undefined;

export type { CliIO } from './io';

export async function run(argv: string[], io: CliIO): Promise<number> {
  const version = typeof __FT_VERSION__ === 'string' ? __FT_VERSION__ : 'dev';
  // Scripts ask for the version often; answer before loading anything.
  if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v')) {
    io.stdout.write(`${version}\n`);
    return 0;
  }
  const fast = await tryFastAssess(argv, io);
  if (fast !== undefined) return fast;
  const { runProgram } = await loadProgram();
  return runProgram(argv, io, version);
}

/** In a batch worker thread: bin/ runs the start-up bundle there too, and this. */
export async function startBatchWorker(): Promise<void> {
  const { runBatchWorker } = await import('../batch/worker');
  runBatchWorker();
}
