// What the CLI may touch, handed in by bin/ (or by a test), and how failures end.
import type { Readable, Writable } from 'node:stream';
import { formatProblem, InputError, UsageError } from '../util/errors';
import { stripTerminalControls } from '../util/sanitize';

export interface CliIO {
  stdin: Readable & { isTTY?: boolean; setRawMode?: (mode: boolean) => unknown };
  stdout: Writable & { isTTY?: boolean; columns?: number };
  stderr: Writable & { isTTY?: boolean };
  env: Record<string, string | undefined>;
  cwd: string;
  /**
   * How the person runs the tool, for the commands that hints and messages suggest:
   * "npx ft-advisor" after a local install, where a bare "ft-advisor" is not on PATH.
   * bin/ works it out; default "ft-advisor".
   */
  command?: string;
  /** Process signals, for the questionnaire to save a draft on Ctrl-C or hang-up. */
  signals?: SignalHub;
  /**
   * Lowers the scheduling priority of the process's other threads (V8's compiler and
   * garbage-collector helpers) by `nice` steps, so that they use spare CPU without taking
   * it from the thread that does the work. A long batch asks for it once, before it
   * starts threads of its own. bin/ supplies it (Linux); tests and library callers need not.
   */
  lowerHelperThreads?: (nice: number) => void;
}

export type SignalName = 'SIGINT' | 'SIGHUP' | 'SIGTERM';
export interface SignalHub {
  on(signal: SignalName, handler: (signal: SignalName) => void): void;
  off(signal: SignalName, handler: (signal: SignalName) => void): void;
  /** Ends the process by this signal, as if it had not been caught. */
  raise(signal: SignalName): void;
}

export const EXIT = {
  ok: 0,
  gate: 1,
  usage: 2,
  internal: 70,
  interrupted: 130,
} as const;

export const ISSUES_URL = 'https://github.com/ft-advisor/ft-advisor/issues';

/** Thrown when the user interrupts a questionnaire (Ctrl-C, closed terminal). */
export class Interrupted extends Error {
  constructor(message = 'interrupted') {
    super(message);
    this.name = 'Interrupted';
  }
}

/** The command as the person runs it: "ft-advisor", or "npx ft-advisor" (see CliIO.command). */
export function commandName(io: Pick<CliIO, 'command'>): string {
  return io.command || 'ft-advisor';
}

/**
 * A message with every suggested `ft-advisor <command>` written the way the person runs
 * the tool (`npx ft-advisor assess ...`). Hints are written once, as `ft-advisor ...`, in
 * modules that have no IO; they are adapted here, where they are printed.
 */
export function asRun(text: string, io: Pick<CliIO, 'command'>): string {
  const name = commandName(io);
  if (name === 'ft-advisor' || !text.includes('ft-advisor ')) return text;
  return text.replace(/(?<![\w./@-]|npx )ft-advisor (?=(?:assess|init|rules|schema|diff)\b)/g, `${name} `);
}

export function printProblems(error: InputError, io: CliIO): void {
  const list = error.problems;
  const head = list.length > 1 ? `ft-advisor: ${list.length} problems\n` : '';
  const lines = list.map((p) => `${list.length > 1 ? '  - ' : 'ft-advisor: '}${stripTerminalControls(formatProblem(p))}`);
  io.stderr.write(asRun(`${head}${lines.join('\n')}\n`, io));
}

export function reportFailure(error: unknown, io: CliIO, debug: boolean): number {
  if (error instanceof InputError) {
    printProblems(error, io);
    return EXIT.usage;
  }
  if (error instanceof UsageError) {
    io.stderr.write(asRun(`ft-advisor: ${error.message}${error.hint ? `\n  hint: ${error.hint}` : ''}\n`, io));
    return EXIT.usage;
  }
  if (error instanceof Interrupted) {
    io.stderr.write(`ft-advisor: ${error.message}\n`);
    return EXIT.interrupted;
  }
  const message = error instanceof Error ? error.message : String(error);
  io.stderr.write(
    `ft-advisor: internal error: ${stripTerminalControls(message)}\n` +
      `This is a bug in ft-advisor, not in your input. Please report it at ${ISSUES_URL}\n` +
      `with the command you ran and the output of the same command with --debug.\n`,
  );
  if (debug && error instanceof Error && error.stack) io.stderr.write(`${error.stack}\n`);
  return EXIT.internal;
}

export function useColor(io: CliIO, opts: { color?: boolean }, stream: { isTTY?: boolean } = io.stdout): boolean {
  // --color and --no-color say what the person wants, over the environment.
  if (opts.color === false) return false;
  if (opts.color === true) return true;
  if (io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== '') return false;
  if (io.env.FORCE_COLOR !== undefined && io.env.FORCE_COLOR !== '0' && io.env.FORCE_COLOR !== 'false') return true;
  if (io.env.TERM === 'dumb') return false;
  return Boolean(stream.isTTY);
}
