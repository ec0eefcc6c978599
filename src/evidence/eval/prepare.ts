// Evidence before validation: the answers file's `evidence:` paths and `--evidence` files
// are read, and their measurements settle answers, before the answers are checked. An
// answer the evidence settles may then be left out of the file, though it is required.
import { dirname, isAbsolute, join } from 'node:path';
import type { RuleSet } from '../../rules/schema';
import { InputError } from '../../util/errors';
import { applyEvidence } from '../apply';
import type { EvidenceResult, Measurements } from '../types';
import { readEvalEvidence, type ReadEvalOptions } from './read';
import { withTargets } from './targets';

export interface PrepareOptions {
  /** The answers file as named (its `evidence:` paths are relative to it); "-" or undefined for none. */
  answersFile?: string;
  /** Files given on the command line or to the library, relative to cwd. */
  files?: readonly string[];
  /** Measurements already read (the questionnaire reads its file itself). */
  measurements?: readonly Measurements[];
  /** Measurements of other kinds (a training file), applied after the eval results. */
  after?: readonly Measurements[];
  cwd?: string;
  onProgress?: ReadEvalOptions['onProgress'];
  /** Reads one file (a batch passes one that reads each file once for all its use cases). */
  read?: (name: string) => Promise<Measurements>;
}

/** The `evidence:` list of an answers document, checked; empty when there is none. */
export function evidencePathsOf(data: unknown, file?: string): string[] {
  if (!data || typeof data !== 'object' || Array.isArray(data) || !('evidence' in data)) return [];
  const list = (data as Record<string, unknown>).evidence;
  if (!Array.isArray(list) || list.some((p) => typeof p !== 'string' || p.trim() === '')) {
    throw new InputError({ file, path: 'evidence', message: 'expected a list of file paths (eval results), relative to this answers file', hint: 'evidence: [evals/results.json]' });
  }
  return list as string[];
}

/** Whether answers data or options ask for evidence at all (else the plain path runs). */
export function wantsEvidence(data: unknown, files?: readonly string[]): boolean {
  return Boolean(files?.length) || (Boolean(data) && typeof data === 'object' && !Array.isArray(data) && 'evidence' in (data as object));
}

/**
 * Reads every evidence file and applies the rule set's mappings to the raw answers.
 * Returns the answers without their `evidence:` key, with measured values filled in.
 */
export async function prepareEvidence(rules: RuleSet, data: unknown, options: PrepareOptions = {}): Promise<{ data: unknown; evidence: EvidenceResult }> {
  const fromAnswers = evidencePathsOf(data, options.answersFile);
  const base = options.answersFile && options.answersFile !== '-' ? dirname(options.answersFile) : '.';
  const names = [...fromAnswers.map((p) => (isAbsolute(p) ? p : join(base, p))), ...(options.files ?? [])];
  const measurements: Measurements[] = [...(options.measurements ?? [])];
  const read = options.read ?? ((name: string) => readEvalEvidence(name, { cwd: options.cwd, onProgress: options.onProgress }));
  for (const name of names) measurements.push(await read(name));
  measurements.push(...(options.after ?? []));
  let answers: Record<string, unknown> = {};
  if (data && typeof data === 'object' && !Array.isArray(data)) {
    const { evidence: _paths, ...rest } = data as Record<string, unknown>;
    answers = rest;
  }
  const evidence = applyEvidence(rules, answers, withTargets(rules, answers, measurements));
  // Not an object at all: validation says so, as it would without evidence.
  return { data: data && typeof data === 'object' && !Array.isArray(data) ? evidence.answers : data, evidence };
}
