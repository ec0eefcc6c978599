// Which single answer, changed alone, would change the approach? Each candidate
// is re-run through the same decision, so every entry is true by construction.
import type { Answers } from '../answers/schema';
import type { Approach, RuleSet } from '../rules/schema';
import { factsOf, type FactValue } from './conditions';
import { decideFromFacts, type Decision } from './decide';
import { applyAnswer, baseFacts } from './facts';

export interface WhatIf {
  path: string;
  value: unknown;
  approach: Approach;
  from: unknown;
}

interface Candidate {
  path: string;
  value: unknown;
  from: unknown;
}

export function whatIf(rules: RuleSet, answers: Answers, current: Decision): WhatIf[] {
  const out: WhatIf[] = [];
  const seen = new Set<string>();
  // Each candidate starts from a copy of the flattened answers with one fact changed,
  // which gives the same decision as re-running on changed answers, at a fraction of the cost.
  const base = baseFacts(rules, answers);
  for (const c of candidates(rules, answers, current)) {
    const key = `${c.path}=${JSON.stringify(c.value)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const facts = new OverlayFacts(base) as unknown as Map<string, FactValue>;
    applyAnswer(rules, facts, c.path, c.value as FactValue);
    const approach = decideFromFacts(rules, facts, { quiet: true }).approach;
    if (approach !== current.approach) out.push({ path: c.path, value: c.value, approach, from: c.from });
  }
  return collapseNumeric(out);
}

function* candidates(rules: RuleSet, answers: Answers, current: Decision): Generator<Candidate> {
  const derived = new Set(current.derived.map((d) => d.path));
  const numericThresholds = thresholdsByPath(rules);
  for (const section of rules.sections) {
    if (section.kind === 'choices') {
      const chosen = (answers[section.id] as string[] | undefined) ?? [];
      for (const choice of section.choices ?? []) {
        const next = chosen.includes(choice.id) ? chosen.filter((c) => c !== choice.id) : [...chosen, choice.id];
        if (next.length >= (section.minItems ?? 1)) yield { path: section.id, value: next, from: chosen };
      }
      continue;
    }
    const given = answers[section.id] as Record<string, unknown> | undefined;
    // Optional sections the user did not open cannot be flipped by one answer.
    if (!section.role && !section.required && given === undefined) continue;
    for (const field of section.fields ?? []) {
      const path = `${section.id}.${field.id}`;
      const value = current.facts.get(path);
      if (field.type === 'boolean' && !derived.has(path) && (section.role || given)) {
        yield { path, value: value !== true, from: value ?? null };
      }
      if ((field.type === 'integer' || field.type === 'number') && numericThresholds.has(path)) {
        for (const t of numericThresholds.get(path)!) {
          for (const v of [t - 1, t, t + 1]) {
            if (v === value || v < (field.min ?? -Infinity) || v > (field.max ?? Infinity)) continue;
            yield { path, value: v, from: value ?? null };
          }
        }
      }
    }
  }
}

const thresholdCache = new WeakMap<RuleSet, Map<string, number[]>>();

/** Numeric thresholds the decision reads, per answer path (including derivations). */
function thresholdsByPath(rules: RuleSet): Map<string, number[]> {
  const cached = thresholdCache.get(rules);
  if (cached) return cached;
  const map = new Map<string, number[]>();
  thresholdCache.set(rules, map);
  const conditions = [
    ...rules.decision.tree.map((n) => n.when),
    ...rules.decision.adjustments.map((a) => a.when),
    ...rules.sections.flatMap((s) => (s.fields ?? []).flatMap((f) => (f.derive ? [f.derive.when] : []))),
  ];
  const perMonth = rules.economics.daysPerMonth;
  for (const leaf of conditions.flatMap((c) => factsOf(c))) {
    for (const op of ['gt', 'gte', 'lt', 'lte'] as const) {
      const t = leaf[op];
      if (typeof t !== 'number') continue;
      // requestsPerMonth is derived from requestsPerDay: flip the answer the user gives.
      const [path, value] = leaf.fact === 'usage.requestsPerMonth' ? ['usage.requestsPerDay', Math.ceil(t / perMonth)] : [leaf.fact, t];
      map.set(path, [...(map.get(path) ?? []), value]);
    }
  }
  return map;
}

/** For numbers, keep the nearest value per resulting approach and direction. */
function collapseNumeric(list: WhatIf[]): WhatIf[] {
  const keep = new Map<string, WhatIf>();
  const out: WhatIf[] = [];
  for (const w of list) {
    if (typeof w.value !== 'number') {
      out.push(w);
      continue;
    }
    const from = typeof w.from === 'number' ? w.from : 0;
    const key = `${w.path}|${w.approach}|${w.value > from ? 'up' : 'down'}`;
    const prev = keep.get(key);
    if (!prev || Math.abs((w.value as number) - from) < Math.abs((prev.value as number) - from)) keep.set(key, w);
  }
  return [...out, ...keep.values()];
}

export function withAnswer(answers: Answers, path: string, value: unknown): Answers {
  const [section, field] = path.split('.') as [string, string | undefined];
  if (field === undefined) return { ...answers, [section]: value };
  const current = (answers[section] as Record<string, unknown> | undefined) ?? {};
  return { ...answers, [section]: { ...current, [field]: value } };
}

/**
 * A fact map that reads through to a shared base: copying ~60 facts per candidate is the
 * cost we avoid. Not a Map subclass: V8 takes slow paths for those. The engine only
 * calls get, has and set on facts.
 */
class OverlayFacts {
  private readonly own = new Map<string, FactValue>();
  constructor(private readonly base: ReadonlyMap<string, FactValue>) {}
  get(key: string): FactValue {
    const v = this.own.get(key);
    return v !== undefined || this.own.has(key) ? v : this.base.get(key);
  }
  has(key: string): boolean {
    return this.own.has(key) || this.base.has(key);
  }
  set(key: string, value: FactValue): this {
    this.own.set(key, value);
    return this;
  }
}
