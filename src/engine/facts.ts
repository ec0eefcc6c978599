// Facts are what conditions read: answers by dot path, plus figures the engine
// derives from them (counts, scores, bands). The formulas live here; every
// threshold and band they use comes from the rule set.
import type { Answers } from '../answers/schema';
import type { FieldRule, RuleSet, SectionRule } from '../rules/schema';
import { evaluate, pickBand, type FactValue } from './conditions';
import { interpolate } from './template';

export interface DerivedAnswer {
  path: string;
  value: boolean;
  because: string;
  source: string;
}

export interface Factor {
  id: string;
  path: string;
  label: string;
  kind: 'indicator' | 'anti-indicator';
  weight: string | undefined;
  present: boolean;
  derived: boolean;
  source: string;
}

export interface FrameworkFigures {
  ceilingPassed: boolean;
  ceilingTotal: number;
  ceilingFailed: string[];
  indicators: number;
  antiIndicators: number;
  totalFactors: number;
  score: number;
  scoreBand: string;
  difference: number;
  differenceBand: string;
  confidence: string;
  bandsAgree: boolean;
  action: string;
  weighted: { indicators: number; antiIndicators: number; total: number; score: number };
  factors: Factor[];
  /** Labels of the factors present, by kind. */
  present: Record<Factor['kind'], string[]>;
}

export type FactMap = Map<string, FactValue>;

export function roleSection(rules: RuleSet, role: SectionRule['role']): SectionRule | undefined {
  return rules.sections.find((s) => s.role === role);
}

export function sectionById(rules: RuleSet, id: string): SectionRule | undefined {
  return rules.sections.find((s) => s.id === id);
}

/**
 * What the engine needs to know about a rule set, worked out once per rule set: batches
 * and what-if re-run the decision thousands of times, and string paths, lookups and
 * weights are the same every time.
 */
export interface RulePlan {
  sections: { id: string; kind: 'fields' | 'choices'; presentKey: string; fields: { id: string; path: string }[] }[];
  choices: { sectionId: string; routes: Map<string, 'weights' | 'retrieval' | 'prompt'> } | undefined;
  derived: { path: string; field: FieldRule; sectionId: string; role: boolean; presentKey: string }[];
  ceiling: { path: string; label: string }[];
  factors: { id: string; path: string; label: string; kind: 'indicator' | 'anti-indicator'; weight: string | undefined; w: number; source: string }[];
}

const plans = new WeakMap<RuleSet, RulePlan>();

export function planFor(rules: RuleSet): RulePlan {
  let plan = plans.get(rules);
  if (plan) return plan;
  const choicesSection = rules.sections.find((s) => s.kind === 'choices');
  const ceiling = sectionById(rules, rules.framework.ceiling.section);
  plan = {
    sections: rules.sections.map((s) => ({
      id: s.id,
      kind: s.kind,
      presentKey: `${s.id}.present`,
      fields: (s.fields ?? []).map((f) => ({ id: f.id, path: `${s.id}.${f.id}` })),
    })),
    choices: choicesSection && { sectionId: choicesSection.id, routes: new Map((choicesSection.choices ?? []).map((c) => [c.id, c.route])) },
    derived: rules.sections.flatMap((s) =>
      (s.fields ?? []).filter((f) => f.derive).map((f) => ({ path: `${s.id}.${f.id}`, field: f, sectionId: s.id, role: Boolean(s.role), presentKey: `${s.id}.present` })),
    ),
    ceiling: (ceiling?.fields ?? []).map((f) => ({ path: `${ceiling!.id}.${f.id}`, label: f.label ?? f.id })),
    factors: (
      [
        [rules.framework.indicatorSection, 'indicator'],
        [rules.framework.antiIndicatorSection, 'anti-indicator'],
      ] as const
    ).flatMap(([sectionId, kind]) =>
      (sectionById(rules, sectionId)?.fields ?? []).map((f) => ({
        id: f.id,
        path: `${sectionId}.${f.id}`,
        label: f.label ?? f.id,
        kind,
        weight: f.weight,
        w: weightOf(rules, f),
        source: f.source,
      })),
    ),
  };
  plans.set(rules, plan);
  return plan;
}

/** Answers flattened to dot paths, plus the needs' routing and the volume per month. */
export function baseFacts(rules: RuleSet, answers: Answers): FactMap {
  const plan = planFor(rules);
  const facts: FactMap = new Map();
  for (const section of plan.sections) {
    const value = answers[section.id];
    if (section.kind === 'choices') {
      facts.set(section.id, Array.isArray(value) ? (value as string[]) : []);
      continue;
    }
    facts.set(section.presentKey, value !== undefined && value !== null);
    if (!value || typeof value !== 'object') continue;
    for (const field of section.fields) {
      const v = (value as Record<string, unknown>)[field.id];
      if (v !== undefined) facts.set(field.path, v as FactValue);
    }
  }
  setNeedFacts(plan, facts);
  setVolumeFacts(rules, facts);
  return facts;
}

/** usage.requestsPerMonth, from the daily volume the user gives. */
function setVolumeFacts(rules: RuleSet, facts: FactMap): void {
  const perDay = facts.get('usage.requestsPerDay');
  if (typeof perDay === 'number') facts.set('usage.requestsPerMonth', perDay * rules.economics.daysPerMonth);
}

/**
 * Changes one answer in already flattened facts, with the facts computed from it (the
 * section's presence, the needs' routes, the monthly volume), exactly as baseFacts would.
 */
export function applyAnswer(rules: RuleSet, facts: FactMap, path: string, value: FactValue): void {
  const plan = planFor(rules);
  facts.set(path, value);
  const dot = path.indexOf('.');
  if (dot > 0) facts.set(`${path.slice(0, dot)}.present`, true);
  if (plan.choices && path === plan.choices.sectionId) setNeedFacts(plan, facts);
  setVolumeFacts(rules, facts);
}

/** needs.weights / needs.retrieval / needs.prompt and their counts, from the chosen needs. */
function setNeedFacts(plan: RulePlan, facts: FactMap): void {
  if (!plan.choices) return;
  const chosen = (facts.get(plan.choices.sectionId) as string[] | undefined) ?? [];
  const byRoute: Record<'weights' | 'retrieval' | 'prompt', string[]> = { weights: [], retrieval: [], prompt: [] };
  // In rule-set order, so reports list needs the same way whatever order they were given in.
  for (const [id, route] of plan.choices.routes) if (chosen.includes(id)) byRoute[route].push(id);
  for (const route of ['weights', 'retrieval', 'prompt'] as const) {
    facts.set(`needs.${route}`, byRoute[route]);
    facts.set(`needs.${route}Count`, byRoute[route].length);
  }
}

/** Fills omitted answers the rule set knows how to derive, and says so. */
export function deriveAnswers(rules: RuleSet, facts: FactMap, quiet = false): DerivedAnswer[] {
  const derived: DerivedAnswer[] = [];
  for (const d of planFor(rules).derived) {
    if (facts.has(d.path)) continue;
    const derive = d.field.derive!;
    if (!derive.requires.every((p) => facts.get(p) !== undefined && facts.get(p) !== null)) continue;
    // Optional sections stay absent unless the user opened them.
    if (!d.role && facts.get(d.presentKey) !== true) continue;
    const value = evaluate(derive.when, facts);
    facts.set(d.path, value);
    derived.push({ path: d.path, value, because: quiet ? derive.because : interpolate(derive.because, facts), source: derive.source });
  }
  return derived;
}

function weightOf(rules: RuleSet, field: FieldRule): number {
  const w = field.weight ? (rules.framework.weights as Record<string, unknown>)[field.weight] : undefined;
  return typeof w === 'number' ? w : 1;
}

export function frameworkFigures(rules: RuleSet, facts: FactMap, derived: readonly DerivedAnswer[], quiet = false): FrameworkFigures {
  const fw = rules.framework;
  const plan = planFor(rules);
  const ceilingFailed: string[] = [];
  for (const c of plan.ceiling) if (facts.get(c.path) !== true) ceilingFailed.push(c.label);
  const derivedPaths = quiet ? undefined : new Set(derived.map((d) => d.path));

  // What-if re-runs read only the counts; the factor table is for the report.
  const factors: Factor[] = [];
  const presentLabels: Record<Factor['kind'], string[]> = { indicator: [], 'anti-indicator': [] };
  const weighted = { indicators: 0, antiIndicators: 0, total: 0, score: 0 };
  let indicators = 0;
  let antiIndicators = 0;
  for (const f of plan.factors) {
    const present = facts.get(f.path) === true;
    weighted.total += f.w;
    if (present && f.kind === 'indicator') {
      indicators++;
      weighted.indicators += f.w;
    } else if (present) {
      antiIndicators++;
      weighted.antiIndicators += f.w;
    }
    if (present) presentLabels[f.kind].push(f.label);
    if (derivedPaths) factors.push({ id: f.id, path: f.path, label: f.label, kind: f.kind, weight: f.weight, present, derived: derivedPaths.has(f.path), source: f.source });
  }
  weighted.score = round3(weighted.total ? (weighted.indicators - weighted.antiIndicators) / weighted.total : 0);

  const totalFactors = fw.score.totalFactors === 'count' ? plan.factors.length : fw.score.totalFactors;
  const score = round3(totalFactors ? (indicators - antiIndicators) / totalFactors : 0);
  const difference = indicators - antiIndicators;
  const scoreBand = pickBand(score, fw.score.bands);
  const differenceBand = pickBand(difference, fw.difference.bands);
  const confidence = reconcile(fw.confidence.reconcile, scoreBand, differenceBand, fw.score.bands.map((b) => b.band));
  return {
    ceilingPassed: ceilingFailed.length === 0,
    ceilingTotal: plan.ceiling.length,
    ceilingFailed,
    indicators,
    antiIndicators,
    totalFactors,
    score,
    scoreBand,
    difference,
    differenceBand,
    confidence,
    bandsAgree: scoreBand === differenceBand,
    action: fw.actions[confidence] ?? '',
    weighted,
    factors,
    present: presentLabels,
  };
}

/** Bands are listed strongest first, so "cautious" takes the later of the two. */
function reconcile(how: 'cautious' | 'score' | 'difference', scoreBand: string, differenceBand: string, order: string[]): string {
  if (how === 'score') return scoreBand;
  if (how === 'difference') return differenceBand;
  return order.indexOf(scoreBand) >= order.indexOf(differenceBand) ? scoreBand : differenceBand;
}

export function addFrameworkFacts(facts: FactMap, fw: FrameworkFigures): void {
  facts.set('framework.scored', true);
  facts.set('framework.ceilingPassed', fw.ceilingPassed);
  facts.set('framework.ceilingTotal', fw.ceilingTotal);
  facts.set('framework.ceilingFailed', fw.ceilingFailed);
  facts.set('framework.ceilingFailedCount', fw.ceilingFailed.length);
  facts.set('framework.indicators', fw.indicators);
  facts.set('framework.antiIndicators', fw.antiIndicators);
  facts.set('framework.indicatorsPresent', fw.present.indicator);
  facts.set('framework.antiIndicatorsPresent', fw.present['anti-indicator']);
  facts.set('framework.totalFactors', fw.totalFactors);
  facts.set('framework.score', fw.score);
  facts.set('framework.scoreBand', fw.scoreBand);
  facts.set('framework.difference', fw.difference);
  facts.set('framework.differenceBand', fw.differenceBand);
  facts.set('framework.confidence', fw.confidence);
  facts.set('framework.bandsAgree', fw.bandsAgree);
  facts.set('framework.action', fw.action);
  facts.set('framework.weightedScore', fw.weighted.score);
}

export function round3(n: number): number {
  return Math.round(n * 1000) / 1000;
}

/** Facts the engine itself provides, for rule checking and `rules show --facts`. */
export const ENGINE_FACTS: Record<string, string> = {
  approach: 'the approach so far (prompt, rag, fine-tune, hybrid); adjustments see the value left by earlier ones',
  'decision.outcome': 'the decision tree outcome id',
  'decision.outcomeLabel': 'the decision tree outcome, in words',
  'framework.scored': 'always true once the framework is computed',
  'framework.ceilingPassed': 'every ceiling check answered yes',
  'framework.ceilingTotal': 'number of ceiling checks',
  'framework.ceilingFailed': 'labels of the ceiling checks not done',
  'framework.ceilingFailedCount': 'how many ceiling checks are not done',
  'framework.indicators': 'number of indicators present',
  'framework.antiIndicators': 'number of anti-indicators present',
  'framework.indicatorsPresent': 'labels of the indicators present',
  'framework.antiIndicatorsPresent': 'labels of the anti-indicators present',
  'framework.totalFactors': 'the divisor of the score',
  'framework.score': '(indicators - anti-indicators) / total factors',
  'framework.scoreBand': 'the band of the score',
  'framework.difference': 'indicators - anti-indicators',
  'framework.differenceBand': 'the band of the difference',
  'framework.confidence': 'the reconciled confidence band',
  'framework.bandsAgree': 'the two bands are equal',
  'framework.action': 'what the confidence band recommends',
  'framework.weightedScore': 'the weighted score (weights from framework.weights)',
  'needs.weights': 'needs routed to the weights',
  'needs.weightsCount': 'how many needs are routed to the weights',
  'needs.retrieval': 'needs routed to retrieval',
  'needs.retrievalCount': 'how many needs are routed to retrieval',
  'needs.prompt': 'needs routed to prompting',
  'needs.promptCount': 'how many needs are routed to prompting',
  'usage.requestsPerMonth': 'usage.requestsPerDay x economics.daysPerMonth',
  'economics.breakEvenVerdict': 'the break-even band (justified, marginal, not-justified), when roi is given',
  'economics.breakEvenMonths': 'months to break even, when it does',
  'economics.monthlyNetBenefit': 'savings + quality value - ongoing costs, a month',
  'economics.upfrontCost': 'upfront hours x rate + training cost',
  'economics.tokenReduction': 'share of input tokens a tuned model saves',
};
