// (rule set, answers) -> report. Pure: no IO, no clock, no randomness, so the same
// inputs always give the same report (and the same JSON in CI).
import type { Answers } from '../answers/schema';
import type { Approach, ConditionalRule, RuleSet } from '../rules/schema';
import { evaluate } from './conditions';
import { decideFromFacts, type RuleOutcome, type TreeStep } from './decide';
import { computeReadiness, computeRubric, type DataReadiness, type Economics, type RubricResult } from './economics';
import { baseFacts, type FrameworkFigures } from './facts';
import { chooseMethod, type Method } from './method';
import { interpolate } from './template';
import { whatIf, type WhatIf } from './what-if';

export const SCHEMA_VERSION = 1;

export interface ConditionalItem {
  id: string;
  title?: string;
  text: string;
  source: string;
}

export interface ResolutionItem {
  id: string;
  title: string;
  conflict: string;
  decision: string;
  why: string;
  source: string;
}

export interface Report {
  schemaVersion: 1;
  useCase: string;
  description?: string;
  rules: { name: string; version: string };
  recommendation: {
    approach: Approach;
    method: Method | null;
    summary: string;
    title: string;
    confidence: string;
    action: string;
  };
  framework: Pick<
    FrameworkFigures,
    'ceilingPassed' | 'ceilingFailed' | 'indicators' | 'antiIndicators' | 'totalFactors' | 'score' | 'scoreBand' | 'difference' | 'differenceBand' | 'confidence' | 'bandsAgree' | 'factors'
  > & { weightedScore: number };
  decisionPath: { steps: TreeStep[]; outcome: string; outcomeLabel: string; candidateLabel: string; treeApproach: Approach; approach: Approach };
  /** The needs chosen, each with what the problem-type tree says to try first. */
  problemTypes: { need: string; label: string; route: string; tryFirst: string; source: string }[];
  derived: { path: string; value: boolean; because: string; source: string }[];
  trace: { rule: string; because: string; source: string; kind: RuleOutcome['kind'] | 'method' | 'band' }[];
  notFired: { rule: string; because: string; source: string }[];
  nextSteps: string[];
  nextStepItems: ConditionalItem[];
  warnings: string[];
  warningItems: ConditionalItem[];
  risks: ConditionalItem[];
  evaluationPlan: ConditionalItem[];
  resolutions: ResolutionItem[];
  dataReadiness: DataReadiness | null;
  economics: Economics | null;
  rubric: RubricResult | null;
  whatIf: WhatIf[];
  /** The answers as given (derived ones are in `derived`), so a report can be replayed and diffed. */
  answers: Answers;
}

export interface AssessOptions {
  /** Skip the what-if search (it re-runs the decision once per candidate answer). */
  whatIf?: boolean;
}

export function assessAnswers(rules: RuleSet, answers: Answers, options: AssessOptions = {}): Report {
  const withWhatIf = options.whatIf !== false;
  const base = baseFacts(rules, answers);
  // The decision adds its facts to the map it gets; what-if starts again from the answers.
  const d = decideFromFacts(rules, withWhatIf ? base.copy() : base);
  const { facts, framework: fw } = d;
  const fineTuning = d.approach === 'fine-tune' || d.approach === 'hybrid';
  const method = fineTuning ? chooseMethod(rules, facts) : null;

  const pick = (items: ConditionalRule[]): ConditionalItem[] => {
    const picked: ConditionalItem[] = [];
    for (const i of items) {
      if (!evaluate(i.when, facts)) continue;
      const text = interpolate(i.text, facts);
      picked.push(i.title ? { id: i.id, title: i.title, text, source: i.source } : { id: i.id, text, source: i.source });
    }
    return picked;
  };
  const nextStepItems = pick(rules.nextSteps);
  const warningItems = pick(rules.warnings);
  for (const w of d.derived) {
    if (w.value && fw.factors.some((f) => f.path === w.path)) {
      // A factor derived as present moves the score; say so where people look.
      warningItems.push({ id: `derived.${w.path}`, text: `${w.path} was not answered and is derived as ${w.value}: ${w.because}.`, source: w.source });
    }
  }
  const resolutions: ResolutionItem[] = [];
  for (const r of rules.resolutions) {
    if (!evaluate(r.when, facts)) continue;
    resolutions.push({ id: r.id, title: r.title, conflict: interpolate(r.conflict, facts), decision: interpolate(r.decision, facts), why: interpolate(r.why, facts), source: r.source });
  }

  const trace: Report['trace'] = [];
  const notFired: Report['notFired'] = [];
  for (const r of d.rules) {
    if (r.fired || r.kind === 'tree') trace.push({ rule: r.rule, because: r.because, source: r.source, kind: r.kind });
    else notFired.push({ rule: r.rule, because: r.because, source: r.source });
  }
  trace.push({
    rule: 'framework.bands',
    because: `Score (${fw.indicators} − ${fw.antiIndicators}) / ${fw.totalFactors} = ${fw.score} → ${fw.scoreBand}; difference ${fw.difference} → ${fw.differenceBand}; confidence ${fw.confidence} (${rules.framework.confidence.reconcile}).`,
    source: `${rules.framework.score.source}; ${rules.framework.difference.source}`,
    kind: 'band',
  });
  if (method) trace.push({ rule: 'method', because: method.why, source: method.sources.join('; '), kind: 'method' });

  const verdict = rules.verdicts[d.approach];
  const useCase = (answers.useCase ?? { name: '' }) as { name: string; description?: string };
  const report: Report = {
    schemaVersion: SCHEMA_VERSION,
    useCase: useCase.name,
    ...(useCase.description ? { description: useCase.description } : {}),
    rules: { name: rules.name, version: String(rules.version) },
    recommendation: {
      approach: d.approach,
      method,
      summary: interpolate(verdict.summary, facts),
      title: verdict.title,
      confidence: fw.confidence,
      action: fw.action,
    },
    framework: {
      ceilingPassed: fw.ceilingPassed,
      ceilingFailed: fw.ceilingFailed,
      indicators: fw.indicators,
      antiIndicators: fw.antiIndicators,
      totalFactors: fw.totalFactors,
      score: fw.score,
      scoreBand: fw.scoreBand,
      difference: fw.difference,
      differenceBand: fw.differenceBand,
      confidence: fw.confidence,
      bandsAgree: fw.bandsAgree,
      weightedScore: fw.weighted.score,
      factors: fw.factors,
    },
    decisionPath: { steps: d.tree, outcome: d.outcome, outcomeLabel: d.outcomeLabel, candidateLabel: d.candidateLabel, treeApproach: d.treeApproach, approach: d.approach },
    problemTypes: problemTypes(rules, answers),
    derived: d.derived,
    trace,
    notFired,
    nextSteps: nextStepItems.map((i) => i.text),
    nextStepItems,
    warnings: warningItems.map((i) => i.text),
    warningItems,
    risks: pick(rules.risks),
    evaluationPlan: pick(rules.evaluationPlan),
    resolutions,
    dataReadiness: computeReadiness(rules, facts, method, new Set(d.derived.map((x) => x.path))),
    economics: d.economics,
    rubric: computeRubric(rules, facts),
    whatIf: withWhatIf ? whatIf(rules, answers, d, base) : [],
    answers,
  };
  return report;
}

function problemTypes(rules: RuleSet, answers: Answers): Report['problemTypes'] {
  const section = rules.sections.find((s) => s.kind === 'choices');
  const chosen = Array.isArray(answers[section?.id ?? 'needs']) ? (answers[section!.id] as string[]) : [];
  return (section?.choices ?? [])
    .filter((c) => chosen.includes(c.id))
    .map((c) => ({ need: c.id, label: c.label, route: c.route, tryFirst: c.tryFirst ?? '', source: c.source }));
}
