// Text and Markdown batches: each report is rendered as it comes, with its input's label,
// and written on; only its portfolio row is kept. Text puts the portfolio table after the
// reports, so they go straight out. Markdown puts the table first, so its reports wait in
// a temporary spool file (never in memory) and follow the table at the end.
import fs from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Report } from '../engine/assess';
import { stripControlsDeep, stripTerminalControls } from '../util/sanitize';
import type { RenderOptions } from '../cli/output';
import { Sink } from './writer';

export interface ReportStream {
  add(report: Report, label: string): void;
  /** Lets written reports leave memory; call between inputs. */
  maybeFlush(): Promise<void>;
  /** Writes the portfolio table in its place, and for Markdown the spooled reports after it. */
  finish(portfolio: Iterable<string>): Promise<void>;
  /** For a run that fails: removes what was spooled (Markdown), so no temporary file is left behind. */
  discard(): Promise<void>;
}

export async function reportStream(format: 'text' | 'markdown', sink: Sink, options: RenderOptions): Promise<ReportStream> {
  if (format === 'text') {
    const { renderText } = await import('../report/text');
    const dim = (s: string) => (options.color ? `\x1b[2m${s}\x1b[22m` : s);
    return {
      add(report, label) {
        const shown = stripTerminalControls(label);
        sink.push(`${dim(`──── ${shown} ${'─'.repeat(Math.max(4, 70 - shown.length))}`)}\n${renderText(stripControlsDeep(report), options)}\n`);
      },
      maybeFlush: () => sink.maybeFlush(),
      finish: (portfolio) => writeLines(sink, portfolio),
      discard: () => Promise.resolve(),
    };
  }
  const { renderMarkdown } = await import('../report/markdown');
  const spoolPath = join(tmpdir(), `ft-advisor-${process.pid}-${randomBytes(6).toString('hex')}.md`);
  let spool: { stream: fs.WriteStream; sink: Sink } | undefined;
  const open = () => {
    if (!spool) {
      const stream = fs.createWriteStream(spoolPath, { flags: 'wx', mode: 0o600 });
      spool = { stream, sink: new Sink(stream, { reuseBuffers: true }) };
    }
    return spool;
  };
  return {
    add(report, label) {
      const shown = stripTerminalControls(label).replace(/\s+/g, ' ').replace(/`/g, "'");
      open().sink.push(`\n---\n\n_Input: \`${shown}\`_\n\n${demoteHeadings(renderMarkdown(stripControlsDeep(report)))}`);
    },
    maybeFlush: async () => {
      await sink.maybeFlush();
      await spool?.sink.maybeFlush();
    },
    async finish(portfolio) {
      await writeLines(sink, portfolio);
      if (!spool) return;
      try {
        await spool.sink.flush();
        await new Promise<void>((done, fail) => {
          spool!.stream.once('error', fail);
          spool!.stream.end(() => done());
        });
        for await (const chunk of fs.createReadStream(spoolPath, { highWaterMark: 1 << 20 })) {
          sink.push(chunk as Buffer);
          await sink.maybeFlush();
          if (sink.closed) break;
        }
      } finally {
        spool.stream.destroy();
        await fs.promises.unlink(spoolPath).catch(() => undefined);
      }
    },
    async discard() {
      if (!spool) return;
      // The file may still be opening: wait until it is closed, or it would appear after the unlink.
      const closed = spool.stream.closed ? Promise.resolve() : new Promise<void>((done) => spool!.stream.once('close', () => done()));
      spool.stream.destroy();
      await closed;
      await fs.promises.unlink(spoolPath).catch(() => undefined);
    },
  };
}

/** Lines to the sink as they come, flushed as they add up: a table of any length. */
async function writeLines(sink: Sink, lines: Iterable<string>): Promise<void> {
  let n = 0;
  for (const line of lines) {
    sink.push(`${line}\n`);
    if (++n % 4096 === 0) await sink.maybeFlush();
  }
}

/** Each report is a document of its own; inside the portfolio its headings go one level down. */
export function demoteHeadings(markdown: string): string {
  let fenced = false;
  return markdown
    .split('\n')
    .map((line) => {
      if (line.startsWith('```')) fenced = !fenced;
      return !fenced && /^#{1,5} /.test(line) ? `#${line}` : line;
    })
    .join('\n');
}
