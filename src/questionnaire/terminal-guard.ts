// Keeps the answers safe however the questionnaire ends. While it asks:
// - Ctrl-C (in a prompt or between two), Ctrl-D, SIGTERM and a closed terminal (SIGHUP,
//   end of input) abort the current prompt instead of killing the process, so the
//   questionnaire can write its draft first;
// - once the terminal is gone, readline's attempt to leave raw mode (which fails with EIO
//   and would crash the process) is skipped, and write errors are ignored.
// After a hang-up, `release()` ends the process by SIGHUP as if it had not been caught:
// exiting normally would make Node restore the terminal settings of a terminal that no
// longer exists, which aborts.
import type { CliIO, SignalName } from '../cli/io';

const SIGNALS = ['SIGINT', 'SIGHUP', 'SIGTERM'] as const;

export interface TerminalGuard {
  readonly signal: AbortSignal;
  /** Whether the terminal went away (SIGHUP). */
  readonly hungUp: boolean;
  /** Removes the listeners; after a hang-up, ends the process by SIGHUP. */
  release(): void;
}

export interface GuardOptions {
  /** Listen for process signals (default true). Tests driving fake streams turn this off. */
  signals?: boolean;
}

export function guardTerminal(io: CliIO, options: GuardOptions = {}): TerminalGuard {
  const controller = new AbortController();
  const hub = options.signals !== false ? io.signals : undefined;
  let hungUp = false;
  let inputEnded = false;
  const stop = () => controller.abort();
  const onSignal = (signal: SignalName) => {
    if (signal === 'SIGHUP') hungUp = true;
    stop();
  };
  const onEnd = () => {
    inputEnded = true;
    stop();
  };
  // Ctrl-D makes readline close without telling the prompt, which would then never settle.
  const onKey = (_: unknown, key?: { ctrl?: boolean; name?: string }) => {
    if (key?.ctrl && (key.name === 'd' || key.name === 'c')) stop();
  };
  const ignore = () => undefined;

  const stdin = io.stdin;
  const ownSetRawMode = Object.prototype.hasOwnProperty.call(stdin, 'setRawMode');
  const setRawMode = stdin.setRawMode;
  if (typeof setRawMode === 'function') {
    stdin.setRawMode = function guardedSetRawMode(this: typeof stdin, mode: boolean) {
      return inputEnded ? this : setRawMode.call(this, mode);
    };
  }

  if (hub) for (const s of SIGNALS) hub.on(s, onSignal);
  stdin.on('end', onEnd);
  stdin.on('keypress', onKey);
  // Kept after release: a vanished terminal can fail a write at any later point.
  io.stdout.on('error', ignore);
  io.stderr.on('error', ignore);

  return {
    signal: controller.signal,
    get hungUp() {
      return hungUp;
    },
    release() {
      if (hub) for (const s of SIGNALS) hub.off(s, onSignal);
      stdin.removeListener('end', onEnd);
      stdin.removeListener('keypress', onKey);
      if (typeof setRawMode === 'function') {
        if (ownSetRawMode) stdin.setRawMode = setRawMode;
        else delete (stdin as { setRawMode?: unknown }).setRawMode;
      }
      if (hungUp && hub) hub.raise('SIGHUP');
    },
  };
}
