// In-process IO for `run`: the same code path as the binary, minus process start-up.
import { PassThrough, Readable } from 'node:stream';
import type { CliIO } from '../../src/cli/io';
import { ROOT } from './run-cli';

export function fakeIO(input?: string, env: Record<string, string | undefined> = {}, cwd = ROOT) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d) => (out += d));
  stderr.on('data', (d) => (err += d));
  const stdin = Readable.from(input === undefined ? [] : [Buffer.from(input)]) as CliIO['stdin'];
  const io: CliIO = { stdin, stdout, stderr, env, cwd };
  return { io, stdout: () => out, stderr: () => err };
}

/** fakeIO as a terminal: standard input is a TTY, so the questionnaire may ask, and stays open. */
export function fakeTerminal(cwd: string) {
  const fake = fakeIO(undefined, {}, cwd);
  const stdin = new PassThrough() as unknown as CliIO['stdin'];
  stdin.isTTY = true;
  fake.io.stdin = stdin;
  return { io: fake.io, out: fake.stdout, err: fake.stderr };
}
