// `assess` of one answers document with the evidence files it or the command line names
// (eval results, a training file): read them, fill and check the answers, then report.
import type { RuleSet } from '../../rules/schema';
import type { CliIO } from '../io';
import { finishAssessment, type AssessOptions } from './assess-finish';
import { fileProblemsExit } from './data';
import { withFileEvidence } from './data-evidence';

export async function assessWithEvidence(data: unknown, file: string, rules: RuleSet, opts: AssessOptions, io: CliIO): Promise<number> {
  const { answers, evidence, report } = await withFileEvidence(data, file, rules, opts, io);
  const code = await finishAssessment(rules, answers, opts, io, evidence);
  return report ? Math.max(code, fileProblemsExit(report, io)) : code;
}
