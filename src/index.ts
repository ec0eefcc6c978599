// The library entry: `import { assess, loadRules, validateAnswers } from 'ft-advisor'`.
import { namesEvidenceFiles } from './answers/data-files';
import type { Answers } from './answers/schema';
import type { CliIO } from './cli/io';
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
  /** A JSONL training file, as `--data`: its findings fill or check the data answers. */
  dataFile?: string;
  /** Its held-out test set (JSONL), as `--holdout`. */
  holdoutFile?: string;
  /** The directory relative paths start from (default: the process's). */
  cwd?: string;
}

/**
 * Validates the answers and assesses them: the same report the CLI prints as JSON.
 * With no rule set, the default one is used. Evidence (`evidenceFiles`, `dataFile`, or
 * `evidence:` and `data: { file }` in the answers) is read and applied first, as
 * `assess --evidence --data` does. Nothing is printed: no progress, no warnings.
 */
export async function assess(answers: unknown, rules?: RuleSet, options: LibraryAssessOptions = {}): Promise<Report> {
  const ruleSet = rules ?? (await loadDefaultRules());
  const { evidenceFiles, dataFile, holdoutFile, file, cwd, ...assessOptions } = options;
  if (!options.evidence && (evidenceFiles?.length || dataFile !== undefined || holdoutFile !== undefined || namesEvidenceFiles(answers))) {
    const { withFileEvidence } = await import('./cli/commands/data-evidence');
    const quiet = { cwd: cwd ?? '.', env: {}, stderr: { isTTY: false, write: () => true } } as unknown as CliIO;
    const opts = { ...(evidenceFiles ? { evidence: evidenceFiles } : {}), ...(dataFile !== undefined ? { data: dataFile } : {}), ...(holdoutFile !== undefined ? { holdout: holdoutFile } : {}) };
    const { answers: filled, evidence } = await withFileEvidence(answers, file ?? '-', ruleSet, opts, quiet);
    return assessAnswers(ruleSet, filled, evidence ? { ...assessOptions, evidence } : assessOptions);
  }
  return assessAnswers(ruleSet, validate(answers, ruleSet, { file }), assessOptions);
}
