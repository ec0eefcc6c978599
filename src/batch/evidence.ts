// What a batch loads for its first use case that names evidence files (or for a batch
// given --evidence): the readers, the answers validation and the strict gate. A module of
// its own so the build can keep it out of the start-up bundle (src/batch/load-evidence.ts).
import type { CliIO } from '../cli/io';
import { withFileEvidence, type EvidenceCache, type WithDataEvidence } from '../cli/commands/data-evidence';
import type { RuleSet } from '../rules/schema';
import { InputError, UsageError, type Problem } from '../util/errors';

export { assessWithEvidence } from '../cli/commands/assess-evidence';
export { fileProblemsExit } from '../cli/commands/data';
export { evidenceCache, type EvidenceCache } from '../cli/commands/data-evidence';
export { strictEvidenceFailure } from '../evidence/strict';

/**
 * One use case's evidence files read and applied, or the problems that stopped it. The
 * problems are returned, not thrown, so a batch records them for this use case and goes on.
 */
export async function useCaseEvidence(
  data: unknown,
  file: string,
  rules: RuleSet,
  evidence: readonly string[] | undefined,
  io: CliIO,
  cache: EvidenceCache,
): Promise<{ result: WithDataEvidence; problems?: undefined } | { result?: undefined; problems: Problem[] }> {
  try {
    return { result: await withFileEvidence(data, file, rules, { evidence }, io, cache) };
  } catch (error) {
    // A holdout named without its training file, say.
    if (error instanceof UsageError) return { problems: [{ file, path: 'data', message: error.message, ...(error.hint ? { hint: error.hint } : {}) }] };
    if (!(error instanceof InputError)) throw error;
    // Named by the use case first (a batch has many), then by the evidence file at fault.
    return {
      problems: error.problems.map((p) =>
        p.file === undefined || p.file === file
          ? p
          : { file, message: `in ${p.file}${p.line === undefined ? '' : `:${p.line}`}${p.path ? ` at ${p.path}` : ''}: ${p.message}`, ...(p.hint ? { hint: p.hint } : {}) },
      ),
    };
  }
}
