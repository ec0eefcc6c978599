// Evidence fills answers the team did not give and is compared with those it did. The
// rule set's `evidence` mappings say which measured fact settles which answer, and at
// what threshold: this file only evaluates them.
import { evaluate, factsOf, type FactValue } from '../engine/conditions';
import { interpolate } from '../engine/template';
import type { RuleSet } from '../rules/schema';
import type { EvidenceAnswer, EvidenceResult, Measurements } from './types';

type Mapping = NonNullable<RuleSet['evidence']>[number];

/**
 * Applies every mapping to every file, in the order given. The first file that settles an
 * answer fills it; an explicit answer is never replaced, only confirmed or contradicted.
 */
export function applyEvidence(rules: RuleSet, answers: Record<string, unknown>, measurements: readonly Measurements[]): EvidenceResult {
  const result: EvidenceResult = {
    answers: { ...answers },
    files: measurements.map((m) => ({ file: m.file, kind: m.kind, ...(m.eval ? { eval: m.eval } : {}), ...(m.holdout !== undefined ? { holdout: m.holdout } : {}) })),
    filled: [],
    confirmed: [],
    contradictions: [],
    findings: [],
  };
  const filledPaths = new Set<string>();
  for (const m of measurements) {
    if (m.warnings?.length) (result.warnings ??= []).push(...m.warnings);
    const facts = new Map<string, FactValue>(Object.entries(m.facts));
    for (const mapping of rules.evidence ?? []) {
      const settled = settle(mapping, facts);
      if (settled === undefined) continue;
      if (mapping.answer === undefined) {
        if (mapping.finding !== undefined && settled === true)
          result.findings!.push({ rule: mapping.id, finding: mapping.finding, because: interpolate(mapping.because, facts), file: m.file, source: mapping.source });
        continue;
      }
      const item: EvidenceAnswer = { rule: mapping.id, path: mapping.answer, value: settled, because: interpolate(mapping.because, facts), file: m.file, source: mapping.source };
      const given = answerAt(answers, mapping.answer);
      if (given !== undefined && given !== null) {
        if (agrees(given, settled, mapping.tolerance)) result.confirmed.push(item);
        else result.contradictions.push({ ...item, answered: given as FactValue });
        continue;
      }
      if (filledPaths.has(mapping.answer) || opensIncompleteSection(rules, result.answers, mapping.answer)) continue;
      filledPaths.add(mapping.answer);
      setAnswer(result.answers, mapping.answer, settled);
      result.filled.push(item);
    }
  }
  return result;
}

/** The mapping's value for this file, or undefined when the file lacks a fact it reads. */
function settle(mapping: Mapping, facts: Map<string, FactValue>): boolean | number | undefined {
  const present = (fact: string) => facts.get(fact) !== undefined && facts.get(fact) !== null;
  if (mapping.value !== undefined) {
    const v = facts.get(mapping.value);
    return typeof v === 'number' || typeof v === 'boolean' ? v : undefined;
  }
  if (!mapping.when || !factsOf(mapping.when).every((leaf) => present(leaf.fact))) return undefined;
  return evaluate(mapping.when, facts);
}

/** Numbers agree within the mapping's relative tolerance (measured means are never exact). */
function agrees(given: unknown, measured: boolean | number, tolerance = 0): boolean {
  if (typeof given === 'number' && typeof measured === 'number') {
    return Math.abs(given - measured) <= tolerance * Math.max(Math.abs(given), Math.abs(measured));
  }
  return given === measured;
}

/**
 * Whether filling `path` would start a section the answers do not have, whose other
 * required questions are then missing: a measured token count alone does not make the
 * token economics, and filling it would turn valid answers invalid.
 */
function opensIncompleteSection(rules: RuleSet, answers: Record<string, unknown>, path: string): boolean {
  const [sectionId, fieldId] = splitPath(path);
  if (answers[sectionId] !== undefined) return false;
  const section = rules.sections.find((s) => s.id === sectionId);
  if (!section || section.required) return false;
  return (section.fields ?? []).some((f) => f.id !== fieldId && f.required);
}

function answerAt(answers: Record<string, unknown>, path: string): unknown {
  const [section, field] = splitPath(path);
  const s = answers[section];
  return s && typeof s === 'object' && !Array.isArray(s) ? (s as Record<string, unknown>)[field] : undefined;
}

function setAnswer(answers: Record<string, unknown>, path: string, value: boolean | number): void {
  const [section, field] = splitPath(path);
  const s = answers[section];
  answers[section] = { ...(s && typeof s === 'object' && !Array.isArray(s) ? s : {}), [field]: value };
}

function splitPath(path: string): [string, string] {
  const dot = path.indexOf('.');
  return [path.slice(0, dot), path.slice(dot + 1)];
}

export type { EvidenceAnswer, EvidenceContradiction, EvidenceFinding, EvidenceResult, EvidenceWarning, Measurements } from './types';
