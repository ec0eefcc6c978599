// The end of every assessment: score, render, write, then the gates. Shared by the
// file, batch, interactive and fast paths, so they cannot drift apart. No zod or
// commander here: the CI fast path (../fast-path.ts) runs it directly.
import type { Answers } from '../../answers/schema';
import { assessAnswers, type Report } from '../../engine/assess';
import type { RuleSet } from '../../rules/schema';
import { EXIT, useColor, type CliIO } from '../io';
import { refuseOutputOntoInputs, renderReport, writeReport, type Format } from '../output';
import { arrows } from '../../report/typography';
import { filesRead, type EvidenceResult } from '../../evidence/types';
import { layoutWidth } from '../../util/width';
import { stripTerminalControls } from '../../util/sanitize';
import { strictEvidenceFailure } from '../../evidence/strict';

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
  /** Eval-results files (repeatable --evidence). */
  evidence?: string[];
  /** A JSONL training file to measure answers from, and its holdout. */
  data?: string;
  holdout?: string;
  /** Exit 1 when evidence contradicts an explicit answer. */
  strictEvidence?: boolean;
  /** The project config (.ft-advisor.yaml) that supplied defaults, as the report names it. */
  configFile?: string;
}

/** Scores, renders, writes and applies the gates: shared by the file and the interactive paths. */
export async function finishAssessment(rules: RuleSet, answers: Answers, opts: AssessOptions, io: CliIO, evidence?: EvidenceResult): Promise<number> {
  // A bad baseline is bad input: say so before any report is written.
  const baseline = opts.baseline ? await (await import('./diff')).loadReports(opts.baseline, io) : undefined;
  const report = assessAnswers(rules, answers, evidence ? { whatIf: opts.whatIf !== false, evidence } : { whatIf: opts.whatIf !== false });
  if (opts.configFile) report.config = opts.configFile;
  const format = opts.format ?? 'text';
  const color = !opts.output && format === 'text' && useColor(io, opts);
  // The evidence files were read only now: none of them may be where the report goes.
  if (evidence && opts.output) await refuseOutputOntoInputs(opts.output, filesRead(evidence), io);
  const text = await renderReport(report, format, { color, width: layoutWidth(io.stdout.columns, io.env) });
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
  code = Math.max(code, expectGate(report, opts.expect, io));
  const strict = opts.strictEvidence ? strictEvidenceFailure(report) : undefined;
  if (strict) io.stderr.write(strict);
  return strict ? Math.max(code, EXIT.gate) : code;
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
