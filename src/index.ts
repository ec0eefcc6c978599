// The library entry: `import { assess, loadRules, validateAnswers } from 'ft-advisor'`.
import type { Answers } from './answers/schema';
import { validateAnswers as validate } from './answers/validate';
import { assessAnswers, type AssessOptions, type Report } from './engine/assess';
import { loadDefaultRules, loadRulesFile, parseRuleSet, resolveRuleSet } from './rules/load';
import type { RuleSet } from './rules/schema';

export type { Answers, AnswerValue, SectionAnswers } from './answers/schema';
export type { Report, AssessOptions, ConditionalItem, ResolutionItem } from './engine/assess';
export type { Method, MethodPhase } from './engine/method';
export type { Economics, RubricResult, DataReadiness } from './engine/economics';
export type { WhatIf } from './engine/what-if';
export type { RuleSet, Approach, Condition } from './rules/schema';
export { InputError, type Problem } from './util/errors';
export { answersJsonSchema } from './answers/schema';
export { rulesJsonSchema } from './cli/commands/schema';
export { renderMarkdown } from './report/markdown';
export { readEvalEvidence } from './evidence/eval/read';
export { applyEvidence } from './evidence/apply';
export { evidenceJsonSchema } from './evidence/eval/neutral';
export type { EvidenceResult, EvidenceAnswer, EvidenceContradiction, EvidenceFinding, Measurements } from './evidence/types';
export type { EvalSummary, EvalRow } from './evidence/eval/summary';
export { reportJsonSchema } from './report/schema';
export { parseRuleSet, resolveRuleSet };

/**
 * Loads a rule set: the default when no file is given, else a YAML or JSON file
 * (which may `extends: default`). Throws InputError with dot paths when it is invalid.
 */
export async function loadRules(file?: string, options: { cwd?: string } = {}): Promise<RuleSet> {
  return file ? loadRulesFile(file, options) : loadDefaultRules();
}

/**
 * Checks parsed answers (from YAML or JSON) against a rule set and returns them typed.
 * Throws InputError listing every problem, each with a dot path and a hint.
 */
export async function validateAnswers(data: unknown, rules?: RuleSet, options: { file?: string; partial?: boolean } = {}): Promise<Answers> {
  return validate(data, rules ?? (await loadDefaultRules()), options);
}

export interface LibraryAssessOptions extends AssessOptions {
  /** Where the answers came from: named in problems, and the base of their `evidence:` paths. */
  file?: string;
  /** Eval-results files (promptfoo results or ft-advisor evidence files), as `--evidence`. */
  evidenceFiles?: string[];
  /** The directory relative paths start from (default: the process's). */
  cwd?: string;
}

/**
 * Validates the answers and assesses them: the same report the CLI prints as JSON.
 * With no rule set, the default one is used. Evidence (`evidenceFiles`, or `evidence:`
 * paths in the answers) is read and applied first, as `assess --evidence` does.
 */
export async function assess(answers: unknown, rules?: RuleSet, options: LibraryAssessOptions = {}): Promise<Report> {
  const ruleSet = rules ?? (await loadDefaultRules());
  const { prepareEvidence, wantsEvidence } = await import('./evidence/eval/prepare');
  if (!options.evidence && wantsEvidence(answers, options.evidenceFiles)) {
    const prepared = await prepareEvidence(ruleSet, answers, { answersFile: options.file, files: options.evidenceFiles, cwd: options.cwd });
    return assessAnswers(ruleSet, validate(prepared.data, ruleSet, { file: options.file }), { ...options, evidence: prepared.evidence });
  }
  return assessAnswers(ruleSet, validate(answers, ruleSet, { file: options.file }), options);
}
