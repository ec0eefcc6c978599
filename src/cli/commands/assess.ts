// `ft-advisor assess`: answers in, rules, engine, report out.
import { readAnswersData } from '../../answers/load';
import { validateAnswers } from '../../answers/validate';
import { prepareEvidence, wantsEvidence } from '../../evidence/eval/prepare';
import { isJsonLinesPath } from '../../answers/read';
import { loadRules } from '../../rules/load';
import { UsageError } from '../../util/errors';
import { reportFailure, type CliIO } from '../io';
import { refuseOutputOntoInputs } from '../output';
import { finishAssessment, type AssessOptions } from './assess-finish';

export { expectGate, finishAssessment, type AssessOptions } from './assess-finish';

export async function assessCommand(files: string[], opts: AssessOptions, io: CliIO): Promise<number> {
  try {
    if (opts.answers !== undefined && files.length > 0) {
      throw new UsageError('give answers either with --answers or as file arguments, not both');
    }
    checkOptions(files, opts);
    if (opts.output && opts.output !== '-' && opts.answers !== undefined && files.length === 0) {
      await refuseOutputOntoInputs(opts.output, [opts.answers, ...(opts.rules ? [opts.rules] : []), ...(opts.baseline ? [opts.baseline] : [])], io);
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
      const { interactiveAssess } = await import('./assess-interactive');
      return await interactiveAssess(rules, { ...opts, format: opts.format ?? 'text' }, io);
    }
    const withEvidence = Boolean(opts.evidence?.length);
    if ((withEvidence || opts.strictEvidence) && (files.length > 0 || opts.format === 'jsonl' || isJsonLinesPath(opts.answers!))) {
      throw new UsageError('--evidence and --strict-evidence assess one use case: give its answers with --answers <file>', 'for several use cases, list each one\'s eval results under evidence: in its answers file and assess them one by one');
    }
    // JSON Lines by name go to the batch, as they do given as arguments: one result per line.
    if (files.length > 0 || opts.format === 'jsonl' || (opts.answers === '-' && !withEvidence) || isJsonLinesPath(opts.answers!)) {
      const { batchAssess } = await import('../../batch/run');
      return await batchAssess(files, rules, opts, io);
    }
    const { data, file } = await readAnswersData({ file: opts.answers!, cwd: io.cwd, stdin: io.stdin });
    if (!wantsEvidence(data, opts.evidence)) return await finishAssessment(rules, validateAnswers(data, rules, { file }), opts, io);
    const prepared = await prepareEvidence(rules, data, { answersFile: opts.answers, files: opts.evidence, cwd: io.cwd });
    return await finishAssessment(rules, validateAnswers(prepared.data, rules, { file }), opts, io, prepared.evidence);
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
    throw new UsageError('--save-answers saves the answers of an interactive run; it does not apply to answers files', 'with --answers, add --ask-missing to complete the file on a terminal and save the result');
  }
}
