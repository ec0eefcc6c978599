// The answers check of a batch: the quick conformance walk passes valid documents, and
// only the ones that fail get the full validation (zod) that words their problems.
import { answersAreValid } from '../answers/conforms';
import { loadValidation } from '../answers/load-validation';
import type { RuleSet } from '../rules/schema';
import type { Problem } from '../util/errors';

const NO_PROBLEMS: Problem[] = [];

/** The full validation, loaded when the first invalid document needs its problems worded. */
let fullValidation: Promise<(typeof import('../answers/validate'))['answerProblems']> | undefined;
let answerProblems: (typeof import('../answers/validate'))['answerProblems'] | undefined;

/**
 * A validator for many answers documents: the quick check (kept in lockstep with zod by
 * test/property/conforms.property.test.ts) passes valid documents, and only the ones that
 * fail get the full validation that words their problems. That one (zod) is loaded for
 * the first invalid document, so a batch of valid ones never loads it.
 */
export function answersValidator(rules: RuleSet) {
  /** The problems, or undefined when the full validation is needed and not loaded yet (`load`, then ask again). */
  const check = (data: unknown, file: string): Problem[] | undefined => (answersAreValid(data, rules) ? NO_PROBLEMS : answerProblems && answerProblems(data, rules, { file }));
  const load = async (): Promise<void> => {
    answerProblems ??= await (fullValidation ??= loadValidation().then((m) => m.answerProblems));
  };
  return {
    check,
    load,
    async problems(data: unknown, file: string): Promise<Problem[]> {
      const problems = check(data, file);
      if (problems) return problems;
      await load();
      return check(data, file)!;
    },
  };
}
