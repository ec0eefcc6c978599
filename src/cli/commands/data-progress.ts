// Progress of a long read, on standard error and only when it is a terminal: never in CI
// logs or piped output. One line, rewritten at most a few times a second.
import type { Progress } from '../../evidence/data/read';
import { formatNumber } from '../../util/format';
import { formatBytes } from '../../util/read-input';
import type { CliIO } from '../io';

const EVERY_MS = 250;

export interface ProgressReporter {
  update?: (p: Progress) => void;
  done: () => void;
}

export function progressReporter(io: CliIO, now: () => number = () => performance.now()): ProgressReporter {
  const ci = io.env.CI !== undefined && io.env.CI !== '' && io.env.CI !== 'false';
  if (!io.stderr.isTTY || ci) return { done: () => undefined };
  const started = now();
  let last = started;
  let shown = false;
  return {
    update: (p) => {
      const t = now();
      if (t - last < EVERY_MS) return;
      last = t;
      shown = true;
      const rate = p.bytesRead / 1e6 / Math.max((t - started) / 1000, 1e-3);
      const of = p.totalBytes ? ` of ${formatBytes(p.totalBytes)} (${Math.floor((p.bytesRead / p.totalBytes) * 100)}%)` : '';
      io.stderr.write(`\r\x1b[K${p.file}: ${formatBytes(p.bytesRead)}${of}, ${formatNumber(p.lines)} lines, ${formatNumber(rate, 1)} MB/s`);
    },
    done: () => {
      if (shown) io.stderr.write('\r\x1b[K');
    },
  };
}
