// `ft-advisor data inspect <file>`: reads a JSONL training file and reports on it.
import type { DataReport } from '../../evidence/data/report';
import { UsageError } from '../../util/errors';
import { formatBytes } from '../../util/read-input';
import { EXIT, reportFailure, useColor, type CliIO } from '../io';
import { refuseOutputOntoInputs, writeReport } from '../output';
import { progressReporter } from './data-progress';

export const DATA_FORMATS = ['text', 'json', 'markdown'] as const;

export interface DataInspectOptions {
  holdout?: string;
  format: (typeof DATA_FORMATS)[number];
  contextLimit?: string;
  output?: string;
  rules?: string;
  color?: boolean;
}

export async function dataInspectCommand(file: string, opts: DataInspectOptions, io: CliIO): Promise<number> {
  try {
    if (opts.output === '') throw new UsageError('--output needs a file name', 'e.g. --output data-report.md; leave it out to write to standard output');
    // The report is never written over the file it describes (nor its holdout, nor the rules).
    if (opts.output) await refuseOutputOntoInputs(opts.output, [file, ...(opts.holdout !== undefined ? [opts.holdout] : []), ...(opts.rules ? [opts.rules] : [])], io);
    const report = await readTrainingData(file, opts.holdout, io, { rules: opts.rules, contextLimit: opts.contextLimit });
    const color = !opts.output && opts.format === 'text' && useColor(io, opts);
    await writeReport(await renderDataReport(report, opts.format, color), opts.output, io);
    return fileProblemsExit(report, io);
  } catch (error) {
    return reportFailure(error, io, false);
  }
}

/** Inspects a training file (and its holdout) with the rule set's thresholds, showing progress on a terminal. */
export async function readTrainingData(
  file: string,
  holdout: string | undefined,
  io: CliIO,
  opts: { rules?: string; contextLimit?: string | number; cwd?: string; ruleSet?: import('../../rules/schema').RuleSet },
): Promise<DataReport> {
  const [{ inspectData }, { dataInspectionSettings }] = await Promise.all([import('../../evidence/data/read'), import('../../evidence/data/settings')]);
  const rules = opts.ruleSet ?? (await (await import('../../rules/load')).loadRules(opts.rules, { cwd: io.cwd }));
  let settings = dataInspectionSettings(rules);
  if (opts.contextLimit !== undefined) settings = { ...settings, contextLimit: { tokens: parseContextLimit(opts.contextLimit), source: 'ft-advisor: --context-limit' } };
  const progress = progressReporter(io);
  try {
    return await inspectData(file, holdout, { cwd: opts.cwd ?? io.cwd, settings, onProgress: progress.update });
  } finally {
    progress.done();
  }
}

export function parseContextLimit(value: string | number): number {
  const n = typeof value === 'number' ? value : Number(value.replace(/[_,]/g, ''));
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--context-limit expects a whole number of tokens, got ${JSON.stringify(String(value))}`, 'e.g. --context-limit 8192');
  return n;
}

export async function renderDataReport(report: DataReport, format: DataInspectOptions['format'], color: boolean): Promise<string> {
  if (format === 'json') return `${JSON.stringify(report, null, 2)}\n`;
  if (format === 'markdown') return (await import('../../report/data-markdown')).renderDataMarkdown(report);
  return (await import('../../report/data-text')).renderDataText(report, { color });
}

/** Lines that could not be read at all are bad input: said on stderr, exit 2, after the report on the rest. */
export function fileProblemsExit(report: DataReport, io: CliIO): number {
  if (report.fileProblems.length === 0) return EXIT.ok;
  for (const p of report.fileProblems)
    io.stderr.write(`ft-advisor: ${report.file}: ${p}\n  hint: lines are capped at ${formatBytes(report.findings.maxLineBytes)}; is this JSONL, one example per line?\n`);
  return EXIT.usage;
}
