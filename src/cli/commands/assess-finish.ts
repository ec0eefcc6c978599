// The end of every assessment: score, render, write, then the gates. Shared by the
// file, batch, interactive and fast paths, so they cannot drift apart. No zod or
// commander here: the CI fast path (../fast-path.ts) runs it directly.
import type { Answers } from '../../answers/schema';
import { assessAnswers, type Report } from '../../engine/assess';
import type { RuleSet } from '../../rules/schema';
import { EXIT, useColor, type CliIO } from '../io';
import { renderReport, writeReport, type Format } from '../output';
import { arrows } from '../../report/typography';
import { stripTerminalControls } from '../../util/sanitize';

export interface AssessOptions {
  answers?: string;
  /** Unset: text, or jsonl when every input is JSON Lines. */
  format?: Format;
  output?: string;
  rules?: string;
  expect?: string;
  baseline?: string;
  failOnChange?: boolean;
  saveAnswers?: string;
  askMissing?: boolean;
  resume?: string | boolean;
  whatIf?: boolean;
  color?: boolean;
}

/** Scores, renders, writes and applies the gates: shared by the file and the interactive paths. */
export async function finishAssessment(rules: RuleSet, answers: Answers, opts: AssessOptions, io: CliIO): Promise<number> {
  // A bad baseline is bad input: say so before any report is written.
  const baseline = opts.baseline ? await (await import('./diff')).loadReports(opts.baseline, io) : undefined;
  const report = assessAnswers(rules, answers, { whatIf: opts.whatIf !== false });
  const format = opts.format ?? 'text';
  const color = !opts.output && format === 'text' && useColor(io, opts);
  const text = await renderReport(report, format, { color, width: io.stdout.columns });
  await writeReport(text, opts.output, io);
  if (io.env.GITHUB_STEP_SUMMARY) {
    const { appendStepSummary } = await import('../step-summary');
    await appendStepSummary([report], io);
  }
  let code: number = EXIT.ok;
  if (opts.baseline) {
    const { baselineGate } = await import('./diff');
    code = Math.max(code, await baselineGate(opts.baseline, report, opts, io, baseline));
  }
  return Math.max(code, expectGate(report, opts.expect, io));
}

export function expectGate(report: Pick<Report, 'recommendation' | 'trace'>, expect: string | undefined, io: CliIO, label = ''): number {
  if (!expect || report.recommendation.approach === expect) return EXIT.ok;
  // What moved the approach: the tree step that ended the tree, and the adjustments.
  const why = report.trace.filter((t) => t.kind === 'adjustment' || (t.kind === 'tree' && t.to !== undefined)).map((t) => t.because);
  io.stderr.write(
    `ft-advisor: expected approach "${expect}"${label ? ` for ${stripTerminalControls(label)}` : ''}, but the recommendation is "${report.recommendation.approach}".\n` +
      `  why: ${stripTerminalControls(arrows(why.length ? why.join(' ') : report.recommendation.summary))}\n`,
  );
  return EXIT.gate;
}
