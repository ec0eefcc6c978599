// GitHub Actions job summaries: when GITHUB_STEP_SUMMARY names a file, `assess` appends
// the Markdown report (or, for a batch, the portfolio table) to it. Append only, never
// truncate: other steps write there too. A summary that cannot be written is a warning,
// never a failed assessment.
import { appendFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Report } from '../engine/assess';
import { renderPortfolio, type PortfolioResult } from '../report/portfolio';
import { stripControlsDeep, stripTerminalControls } from '../util/sanitize';
import type { CliIO } from './io';

/** GitHub refuses step summaries over 1 MiB; stay well below it. */
export const STEP_SUMMARY_MAX_BYTES = 900 * 1024;
const MAX_ROWS = 1000;

export interface StepSummaryExtra {
  /** Batch results, including inputs that could not be assessed. */
  results?: readonly PortfolioResult[];
  expect?: string;
}

export async function stepSummaryText(reports: readonly Report[], extra: StepSummaryExtra = {}): Promise<string> {
  const results = extra.results ?? reports.map((report) => ({ file: report.useCase, report }));
  let text: string;
  if (results.length === 1 && reports.length === 1 && !extra.results) {
    const { renderMarkdown } = await import('../report/markdown');
    text = renderMarkdown(stripControlsDeep(reports[0]!));
  } else {
    text = renderPortfolio(results, { format: 'markdown', expect: extra.expect, maxRows: MAX_ROWS });
  }
  if (Buffer.byteLength(text) > STEP_SUMMARY_MAX_BYTES) {
    // A single report this large is unusual (very long rule texts); keep the head.
    text = `${Buffer.from(text)
      .subarray(0, STEP_SUMMARY_MAX_BYTES)
      .toString('utf8')
      .replace(/\uFFFD*$/, '')}\n\n_…cut to fit GitHub's job summary limit; the full report is in the step's output._\n`;
  }
  return text.endsWith('\n') ? text : `${text}\n`;
}

export async function appendStepSummary(reports: Report[], io: CliIO, extra: StepSummaryExtra = {}): Promise<void> {
  const target = io.env.GITHUB_STEP_SUMMARY;
  if (!target) return;
  try {
    const text = await stepSummaryText(reports, extra);
    // A blank line first, so our Markdown never runs into what an earlier step wrote.
    await appendFile(resolve(io.cwd, target), `\n${text}`, { encoding: 'utf8', flag: 'a' });
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    io.stderr.write(`ft-advisor: warning: could not append the job summary to ${stripTerminalControls(target)} (${reason}); the assessment itself is unaffected\n`);
  }
}
