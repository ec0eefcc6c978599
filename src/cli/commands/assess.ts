// `ft-advisor assess`: answers in, rules, engine, report out.
import { namesEvidenceFiles } from '../../answers/data-files';
import { isJsonLinesPath, readAnswersData } from '../../answers/read';
import { validateAnswers } from '../../answers/validate';
import { loadRules } from '../../rules/load';
import { UsageError } from '../../util/errors';
import { reportFailure, type CliIO } from '../io';
import { inputsNamedByOptions, refuseOutputOntoInputs } from '../output';
import { finishAssessment, type AssessOptions } from './assess-finish';

export { expectGate, finishAssessment, type AssessOptions } from './assess-finish';

export async function assessCommand(files: string[], opts: AssessOptions, io: CliIO): Promise<number> {
  try {
    if (opts.answers !== undefined && files.length > 0) {
      throw new UsageError('give answers either with --answers or as file arguments, not both');
    }
    checkOptions(files, opts);
    if (opts.output && opts.output !== '-' && files.length === 0) {
      await refuseOutputOntoInputs(opts.output, [...(opts.answers !== undefined ? [opts.answers] : []), ...inputsNamedByOptions(opts)], io);
    }
    // Saved answers never replace an input other than the answers file itself, which may be
    // completed in place (--ask-missing suggests just that).
    if (opts.saveAnswers) await refuseOutputOntoInputs(opts.saveAnswers, inputsNamedByOptions(opts), io, '--save-answers');
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
      const { interactiveAssess } = await import('./assess-interactive');
      return await interactiveAssess(rules, { ...opts, format: opts.format ?? 'text' }, io);
    }
    const batch = files.length > 0 || opts.format === 'jsonl' || isJsonLinesPath(opts.answers!);
    const withData = opts.data !== undefined || opts.holdout !== undefined;
    if (batch && withData) {
      throw new UsageError(
        '--data and --holdout go with one answers file (--answers answers.yaml)',
        'in a batch, each use case names its own training file: data: { file: train.jsonl } in its answers (relative to that file)',
      );
    }
    // JSON Lines by name go to the batch, as they do given as arguments: one result per line.
    // So does standard input, which may be one document or JSON Lines (the batch tells them apart).
    if (batch || (opts.answers === '-' && !withData)) {
      const { batchAssess } = await import('../../batch/run');
      return await batchAssess(files, rules, opts, io);
    }
    const { data, file } = await readAnswersData({ file: opts.answers!, cwd: io.cwd, stdin: io.stdin });
    if (!wantsFileEvidence(data, opts)) return await finishAssessment(rules, validateAnswers(data, rules, { file }), opts, io);
    const { assessWithEvidence } = await import('./assess-evidence');
    return await assessWithEvidence(data, file, rules, opts, io);
  } catch (error) {
    return reportFailure(error, io, false);
  }
}

/** Options that would otherwise be silently ignored are usage errors. */
export function checkOptions(files: readonly string[], opts: AssessOptions): void {
  if (opts.output === '') throw new UsageError('--output needs a file name', 'e.g. --output report.json; leave it out to write to standard output');
  if (opts.failOnChange && !opts.baseline) {
    throw new UsageError('--fail-on-change needs --baseline, the earlier report to compare with', 'e.g. ft-advisor assess --answers answers.yaml --baseline before.json --fail-on-change');
  }
  if (opts.saveAnswers !== undefined && (files.length > 0 || (opts.answers !== undefined && !opts.askMissing))) {
    throw new UsageError(
      '--save-answers saves the answers of an interactive run; it does not apply to answers files',
      'with --answers, add --ask-missing to complete the file on a terminal and save the result',
    );
  }
}

/**
 * Whether the answers or the command line name evidence files (eval results, training
 * data): only then is the evidence code loaded, so plain answers stay on the short path.
 */
function wantsFileEvidence(data: unknown, opts: AssessOptions): boolean {
  return Boolean(opts.evidence?.length) || opts.data !== undefined || opts.holdout !== undefined || namesEvidenceFiles(data);
}
