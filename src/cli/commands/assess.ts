// `ft-advisor assess`: answers in, rules, engine, report out.
import { loadAnswers } from '../../answers/load';
import type { Answers } from '../../answers/schema';
import { assessAnswers, type Report } from '../../engine/assess';
import { loadRules } from '../../rules/load';
import type { RuleSet } from '../../rules/schema';
import { UsageError } from '../../util/errors';
import { EXIT, reportFailure, useColor, type CliIO } from '../io';
import { renderReport, writeReport, type Format } from '../output';

export interface AssessOptions {
  answers?: string;
  format: Format;
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

export async function assessCommand(files: string[], opts: AssessOptions, io: CliIO): Promise<number> {
  try {
    if (opts.answers !== undefined && files.length > 0) {
      throw new UsageError('give answers either with --answers or as file arguments, not both');
    }
    const rules = await loadRules(opts.rules, { cwd: io.cwd });
    const interactive = opts.answers === undefined && files.length === 0;
    if (interactive || opts.askMissing || opts.resume !== undefined) {
      if (!io.stdin.isTTY) {
        if (opts.askMissing || opts.resume !== undefined) {
          throw new UsageError('--ask-missing and --resume need a terminal to ask the questions', 'run it in a terminal, or complete the answers file and pass it with --answers');
        }
        throw new UsageError(
          'no answers given, and standard input is not a terminal, so there is no one to ask',
          'pass an answers file: ft-advisor assess --answers answers.yaml, or pipe one: cat answers.json | ft-advisor assess --answers - (ft-advisor init writes a template)',
        );
      }
      const { interactiveAssess } = await import('../../questionnaire/run');
      return await interactiveAssess(rules, opts, io);
    }
    if (files.length > 0 || opts.format === 'jsonl' || opts.answers === '-') {
      const { batchAssess } = await import('./assess-batch');
      return await batchAssess(files, rules, opts, io);
    }
    const { answers } = await loadAnswers({ file: opts.answers!, cwd: io.cwd, stdin: io.stdin }, rules);
    return await finishAssessment(rules, answers, opts, io);
  } catch (error) {
    return reportFailure(error, io, false);
  }
}

/** Scores, renders, writes and applies the gates: shared by the file and the interactive paths. */
export async function finishAssessment(rules: RuleSet, answers: Answers, opts: AssessOptions, io: CliIO): Promise<number> {
  // A bad baseline is bad input: say so before any report is written.
  const baseline = opts.baseline ? await (await import('./diff')).loadReports(opts.baseline, io) : undefined;
  const report = assessAnswers(rules, answers, { whatIf: opts.whatIf !== false });
  const color = !opts.output && opts.format === 'text' && useColor(io, opts);
  const text = await renderReport(report, opts.format, { color, width: io.stdout.columns });
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

export function expectGate(report: Report, expect: string | undefined, io: CliIO, label = ''): number {
  if (!expect || report.recommendation.approach === expect) return EXIT.ok;
  const why = report.trace.filter((t) => t.kind === 'adjustment' || (t.kind === 'tree' && /→/.test(t.because))).map((t) => t.because);
  io.stderr.write(
    `ft-advisor: expected approach "${expect}"${label ? ` for ${label}` : ''}, but the recommendation is "${report.recommendation.approach}".\n` +
      `  why: ${why.length ? why.join(' ') : report.recommendation.summary}\n`,
  );
  return EXIT.gate;
}
