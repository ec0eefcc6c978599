// Answer builders for the engine tests. Every name and order here comes from the
// framework document (002): the five ceiling-test questions, the six indicators and
// the five anti-indicators, in the order of its tables.
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import type { Answers } from '../../src/answers/schema';

/** 002 "The Ceiling Test", questions 1-5. */
export const CEILING = ['promptVariations', 'multipleModels', 'retrievalOptimized', 'fewShot', 'structuredPrompt'] as const;
/** 002 "Step 1: Identify Indicators", table order (weights High, High, Medium, Medium, Medium, High). */
export const INDICATORS = ['consistentBehavior', 'domainKnowledge', 'brandVoice', 'costOptimization', 'latency', 'dataSovereignty'] as const;
/** 002 "Step 2: Identify Anti-Indicators", table order (weights High, High, High, Medium, High). */
export const ANTI_INDICATORS = ['rapidlyChangingRequirements', 'lowVolume', 'explorationPhase', 'insufficientData', 'promptsWorking'] as const;

/** Needs the contract routes to the weights (behaviour), i.e. everything but knowledge and general. */
export const BEHAVIOURAL_NEEDS = ['format', 'style', 'behavior', 'vocabulary', 'tools', 'safety', 'classification', 'cost', 'latency'] as const;

/** A section override: fields to set; a field set to `undefined` is removed. */
export type SectionOverride = Record<string, unknown>;
/**
 * An override of an answers object: a section mapping is merged field by field into
 * the base, a list (needs) or scalar replaces, and `undefined` removes the section.
 */
export type AnswersOverride = Record<string, unknown>;

const clone = <T>(x: T): T => structuredClone(x);

function allOf<T extends readonly string[]>(ids: T, value: boolean): Record<T[number], boolean> {
  return Object.fromEntries(ids.map((id) => [id, value])) as Record<T[number], boolean>;
}

/** All five ceiling checks done, except the ones named. */
export function ceilingExcept(...open: string[]): Record<string, boolean> {
  return Object.fromEntries(CEILING.map((id) => [id, !open.includes(id)]));
}

/** The first `n` indicators (table order) present, the rest absent. */
export function indicatorsOn(n: number): Record<string, boolean> {
  return Object.fromEntries(INDICATORS.map((id, i) => [id, i < n]));
}

/** Exactly the named indicators present. */
export function indicatorsOnly(...present: string[]): Record<string, boolean> {
  return Object.fromEntries(INDICATORS.map((id) => [id, present.includes(id)]));
}

/**
 * `n` anti-indicators present. insufficientData comes last so that, up to 4, the count
 * never contradicts data.examples; all answered explicitly.
 */
export function antiIndicatorsOn(n: number): Record<string, boolean> {
  const order = ['rapidlyChangingRequirements', 'lowVolume', 'explorationPhase', 'promptsWorking', 'insufficientData'];
  return Object.fromEntries(ANTI_INDICATORS.map((id) => [id, order.indexOf(id) < n]));
}

export function mergeAnswers(base: Answers, override: AnswersOverride = {}): Answers {
  const out = clone(base) as Record<string, unknown>;
  for (const [key, value] of Object.entries(override)) {
    if (value === undefined) {
      delete out[key];
      continue;
    }
    const current = out[key];
    if (value !== null && typeof value === 'object' && !Array.isArray(value) && current && typeof current === 'object' && !Array.isArray(current)) {
      const merged: Record<string, unknown> = { ...(current as Record<string, unknown>) };
      for (const [field, v] of Object.entries(value as Record<string, unknown>)) {
        if (v === undefined) delete merged[field];
        else merged[field] = clone(v);
      }
      out[key] = merged;
    } else {
      out[key] = clone(value);
    }
  }
  return out as Answers;
}

/**
 * A complete, valid answers object that decides nothing by itself: ceiling passed,
 * no indicators, no anti-indicators (all answered), one behavioural need and
 * 5,000 labelled examples (enough for every objective but DPO/continued pretraining,
 * and over the 1,000 of the insufficient-data anti-indicator, so no contradiction).
 * With 0 indicators the tree stops at "Indicators > 3? no".
 */
export function baseAnswers(override: AnswersOverride = {}): Answers {
  const base: Answers = {
    version: 1,
    useCase: { name: 'Test use case' },
    needs: ['behavior'],
    ceiling: allOf(CEILING, true),
    indicators: allOf(INDICATORS, false),
    antiIndicators: allOf(ANTI_INDICATORS, false),
    data: { examples: 5000 },
  };
  return mergeAnswers(base, override);
}

/**
 * A fine-tuning candidate by 002's tree: ceiling passed, 4 indicators (> 3),
 * 0 anti-indicators (< 2), a behavioural need, 5,000 examples.
 */
export function candidateAnswers(override: AnswersOverride = {}): Answers {
  return mergeAnswers(baseAnswers({ indicators: indicatorsOn(4) }), override);
}

/**
 * Sets one answer, the way a what-if entry describes it: `needs` (a whole list) or
 * `section.field`. Returns a copy.
 */
export function setAnswer(answers: Answers, path: string, value: unknown): Answers {
  const out = clone(answers) as Record<string, unknown>;
  const [section, field, ...rest] = path.split('.');
  if (rest.length) throw new Error(`unexpected path depth: ${path}`);
  if (field === undefined) {
    out[section!] = clone(value);
  } else {
    const current = out[section!];
    out[section!] = { ...(current && typeof current === 'object' ? current : {}), [field]: clone(value) };
  }
  return out as Answers;
}

/** Reads a value by dot path, or undefined. */
export function getAnswer(answers: Answers, path: string): unknown {
  let cur: unknown = answers;
  for (const key of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

export const EXAMPLES_DIR = fileURLToPath(new URL('../../examples/', import.meta.url));

export function exampleFiles(): string[] {
  return readdirSync(EXAMPLES_DIR)
    .filter((f) => /\.(ya?ml|json)$/.test(f))
    .sort();
}

/** An example answers file, parsed (not yet validated). */
export function loadExample(file: string): unknown {
  return parse(readFileSync(`${EXAMPLES_DIR}${file}`, 'utf8'));
}
