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
}

export type FactMap = Map<string, FactValue>;

export function roleSection(rules: RuleSet, role: SectionRule['role']): SectionRule | undefined {
  return rules.sections.find((s) => s.role === role);
}

export function sectionById(rules: RuleSet, id: string): SectionRule | undefined {
  return rules.sections.find((s) => s.id === id);
}

/** Answers flattened to dot paths, plus the needs' routing and the volume per month. */
export function baseFacts(rules: RuleSet, answers: Answers): FactMap {
  const facts: FactMap = new Map();
  for (const section of rules.sections) {
    const value = answers[section.id];
    if (section.kind === 'choices') {
      const chosen = Array.isArray(value) ? (value as string[]) : [];
      facts.set(section.id, chosen);
      continue;
    }
    facts.set(`${section.id}.present`, value !== undefined && value !== null);
    if (!value || typeof value !== 'object') continue;
    for (const field of section.fields ?? []) {
      const v = (value as Record<string, unknown>)[field.id];
      if (v !== undefined) facts.set(`${section.id}.${field.id}`, v as FactValue);
    }
  }
  const needs = rules.sections.find((s) => s.id === 'needs');
  if (needs?.choices) {
    const chosen = (facts.get('needs') as string[] | undefined) ?? [];
    for (const route of ['weights', 'retrieval', 'prompt'] as const) {
      const ids = needs.choices.filter((c) => c.route === route && chosen.includes(c.id)).map((c) => c.id);
      facts.set(`needs.${route}`, ids);
      facts.set(`needs.${route}Count`, ids.length);
    }
  }
  const perDay = facts.get('usage.requestsPerDay');
  if (typeof perDay === 'number') facts.set('usage.requestsPerMonth', perDay * rules.economics.daysPerMonth);
  return facts;
}

/** Fills omitted answers the rule set knows how to derive, and says so. */
export function deriveAnswers(rules: RuleSet, facts: FactMap, quiet = false): DerivedAnswer[] {
  const derived: DerivedAnswer[] = [];
  for (const section of rules.sections) {
    for (const field of section.fields ?? []) {
      if (!field.derive) continue;
      const path = `${section.id}.${field.id}`;
      if (facts.has(path)) continue;
      if (!field.derive.requires.every((p) => facts.get(p) !== undefined && facts.get(p) !== null)) continue;
      // Optional sections stay absent unless the user opened them.
      if (!section.role && facts.get(`${section.id}.present`) !== true) continue;
      const value = evaluate(field.derive.when, facts);
      facts.set(path, value);
      derived.push({ path, value, because: quiet ? field.derive.because : interpolate(field.derive.because, facts), source: field.derive.source });
    }
  }
  return derived;
}

function weightOf(rules: RuleSet, field: FieldRule): number {
  const w = field.weight ? (rules.framework.weights as Record<string, unknown>)[field.weight] : undefined;
  return typeof w === 'number' ? w : 1;
}

export function frameworkFigures(rules: RuleSet, facts: FactMap, derived: readonly DerivedAnswer[]): FrameworkFigures {
  const fw = rules.framework;
  const ceiling = sectionById(rules, fw.ceiling.section);
  const ceilingFields = ceiling?.fields ?? [];
  const ceilingFailed = ceilingFields.filter((f) => facts.get(`${ceiling!.id}.${f.id}`) !== true).map((f) => f.label ?? f.id);
  const derivedPaths = new Set(derived.map((d) => d.path));

  const factors: Factor[] = [];
  const weighted = { indicators: 0, antiIndicators: 0, total: 0, score: 0 };
  for (const [sectionId, kind] of [
    [fw.indicatorSection, 'indicator'],
    [fw.antiIndicatorSection, 'anti-indicator'],
  ] as const) {
    const section = sectionById(rules, sectionId);
    for (const field of section?.fields ?? []) {
      const path = `${sectionId}.${field.id}`;
      const present = facts.get(path) === true;
      const w = weightOf(rules, field);
      weighted.total += w;
      if (present) {
        if (kind === 'indicator') weighted.indicators += w;
        else weighted.antiIndicators += w;
      }
      factors.push({ id: field.id, path, label: field.label ?? field.id, kind, weight: field.weight, present, derived: derivedPaths.has(path), source: field.source });
    }
  }
  weighted.score = round3(weighted.total ? (weighted.indicators - weighted.antiIndicators) / weighted.total : 0);

  const indicators = factors.filter((f) => f.kind === 'indicator' && f.present).length;
  const antiIndicators = factors.filter((f) => f.kind === 'anti-indicator' && f.present).length;
  const totalFactors = fw.score.totalFactors === 'count' ? factors.length : fw.score.totalFactors;
  const score = round3(totalFactors ? (indicators - antiIndicators) / totalFactors : 0);
  const difference = indicators - antiIndicators;
  const scoreBand = pickBand(score, fw.score.bands);
  const differenceBand = pickBand(difference, fw.difference.bands);
  const confidence = reconcile(fw.confidence.reconcile, scoreBand, differenceBand, fw.score.bands.map((b) => b.band));
  return {
    ceilingPassed: ceilingFailed.length === 0,
    ceilingTotal: ceilingFields.length,
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
  facts.set('framework.indicatorsPresent', fw.factors.filter((f) => f.kind === 'indicator' && f.present).map((f) => f.label));
  facts.set('framework.antiIndicatorsPresent', fw.factors.filter((f) => f.kind === 'anti-indicator' && f.present).map((f) => f.label));
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
