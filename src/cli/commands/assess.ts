// `ft-advisor assess`: answers in, rules, engine, report out.
import { isJsonLinesPath, readAnswersData } from '../../answers/read';
import type { RuleSet } from '../../rules/schema';
import { loadRules } from '../../rules/load';
import { UsageError } from '../../util/errors';
import { reportFailure, type CliIO } from '../io';
import { finishAssessment, type AssessOptions } from './assess-finish';

export { expectGate, finishAssessment, type AssessOptions } from './assess-finish';

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
    const batch = files.length > 0 || opts.format === 'jsonl' || isJsonLinesPath(opts.answers!);
    if (batch && (opts.data !== undefined || opts.holdout !== undefined)) {
      throw new UsageError('--data and --holdout go with one answers file (--answers answers.yaml)', 'assess each use case with its own training file: ft-advisor assess --answers a.yaml --data a.jsonl');
    }
    if (opts.answers === '-' && (opts.data !== undefined || opts.holdout !== undefined)) {
      const { readAnswersData } = await import('../../answers/read');
      const { data, file } = await readAnswersData({ file: '-', cwd: io.cwd, stdin: io.stdin });
      return await assessWithData(data, file, rules, opts, io);
    }
    // JSON Lines by name go to the batch, as they do given as arguments: one result per line.
    if (batch || opts.answers === '-') {
      const { batchAssess } = await import('./assess-batch');
      return await batchAssess(files, rules, opts, io);
    }
    const { data, file } = await readAnswersData({ file: opts.answers!, cwd: io.cwd, stdin: io.stdin });
    return await assessWithData(data, file, rules, opts, io);
  } catch (error) {
    return reportFailure(error, io, false);
  }
}

/** One answers document, with the training data it or the command line names (commands/data-evidence.ts). */
async function assessWithData(data: unknown, file: string, rules: RuleSet, opts: AssessOptions, io: CliIO): Promise<number> {
  const { withDataEvidence } = await import('./data-evidence');
  const { answers, evidence, report } = await withDataEvidence(data, file, rules, opts, io);
  const code = await finishAssessment(rules, answers, opts, io, evidence ? { evidence } : {});
  if (!report) return code;
  const { fileProblemsExit } = await import('./data');
  return Math.max(code, fileProblemsExit(report, io));
}
