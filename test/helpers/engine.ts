// Runs answers through the same path the library and CLI use: validate against the
// default rule set, then assess. Validation first, so a test can never pass on
// answers a user could not have written.
import type { Answers } from '../../src/answers/schema';
import { validateAnswers } from '../../src/answers/validate';
import { assessAnswers, type AssessOptions, type Report } from '../../src/engine/assess';
import { loadDefaultRules } from '../../src/rules/load';
import type { RuleSet } from '../../src/rules/schema';

export async function defaultRules(): Promise<RuleSet> {
  return loadDefaultRules();
}

export async function validated(data: unknown, rules?: RuleSet): Promise<Answers> {
  return validateAnswers(data, rules ?? (await loadDefaultRules()), {});
}

export async function run(data: unknown, options: AssessOptions = {}, rules?: RuleSet): Promise<Report> {
  const ruleSet = rules ?? (await loadDefaultRules());
  return assessAnswers(ruleSet, validateAnswers(data, ruleSet, {}), options);
}

/** Approach only, skipping the what-if search. */
export async function approachOf(data: unknown, rules?: RuleSet): Promise<Report['recommendation']['approach']> {
  return (await run(data, { whatIf: false }, rules)).recommendation.approach;
}

export const FINE_TUNING = ['fine-tune', 'hybrid'] as const;
export const NOT_TUNING = ['prompt', 'rag'] as const;
