// (rule set, answers) -> report. Pure: no IO, no clock, no randomness, so the same
// inputs always give the same report (and the same JSON in CI).
import type { Answers } from '../answers/schema';
import type { Approach, ConditionalRule, RuleSet } from '../rules/schema';
import { evaluate, type Facts } from './conditions';
import { decideFromFacts, type RuleOutcome, type TreeStep } from './decide';
import { computeReadiness, computeRubric, type DataReadiness, type Economics, type RubricResult } from './economics';
import { baseFacts, isFactor, type FrameworkFigures } from './facts';
import { chooseMethod, type Method } from './method';
import { interpolate } from './template';
import { whatIf, type WhatIf } from './what-if';
import type { EvidenceResult } from '../evidence/types';

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
    /** The confidence in a fine-tuning verdict; null for the others, where it has nothing to qualify. */
    confidence: string | null;
    /** What to do: the confidence's action for a fine-tuning verdict, else what it would take to make fine-tuning worth it. */
    action: string;
    /** The rule that decided the approach, and the reason in a few words. */
    decidedBy: string;
    reason: string;
  };
  framework: Pick<
    FrameworkFigures,
    | 'ceilingPassed'
    | 'ceilingFailed'
    | 'indicators'
    | 'antiIndicators'
    | 'totalFactors'
    | 'score'
    | 'scoreBand'
    | 'difference'
    | 'differenceBand'
    | 'confidence'
    | 'bandsConfidence'
    | 'bandsAgree'
    | 'factors'
  > & { weightedScore: number };
  decisionPath: { steps: TreeStep[]; outcome: string; outcomeLabel: string; candidateLabel: string; treeApproach: Approach; approach: Approach };
  /** The needs chosen, each with what the problem-type tree says to try first. */
  problemTypes: { need: string; label: string; route: string; tryFirst: string; source: string }[];
  derived: { path: string; value: boolean; because: string; source: string }[];
  /**
   * The rules that fired, and the tree's steps. An adjustment says which approach it moved
   * from and to; the tree step that ended the tree, which approach it led `to`.
   */
  trace: { rule: string; because: string; source: string; kind: RuleOutcome['kind'] | 'method' | 'band' | 'evidence'; from?: Approach; to?: Approach }[];
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
  /** How many what-if changes a report shows (the list is ranked; JSON has them all). */
  whatIfShown: number;
  /** The answers as given (derived ones are in `derived`), so a report can be replayed and diffed. */
  answers: Answers;
  /** What evidence files said, when any were given: answers they filled, confirmed and contradicted. */
  evidence?: Omit<EvidenceResult, 'answers'>;
  /** The project config (.ft-advisor.yaml) the command line took defaults from, when there was one. */
  config?: string;
}

export interface AssessOptions {
  /** Skip the what-if search (it re-runs the decision once per candidate answer). */
  whatIf?: boolean;
  /**
   * Evidence already applied (evidence/apply.ts): `answers` are then its answers, with the
   * measured values filled in. The report says which came from which file.
   */
  evidence?: EvidenceResult;
}

/**
 * The part of a report a decision record keeps (report/record.ts): the verdict, the
 * trace and the texts that depend on this use case. The rest of a report (risks, the
 * evaluation plan, resolutions, data readiness, rules that did not fire) is mostly the
 * rule set's own text, so a batch writing records skips building it.
 */
export type ReportCore = Pick<
  Report,
  'schemaVersion' | 'useCase' | 'rules' | 'recommendation' | 'trace' | 'nextSteps' | 'warnings' | 'economics' | 'rubric' | 'whatIf' | 'derived' | 'answers' | 'evidence'
> & {
  framework: Omit<Report['framework'], 'factors'>;
};

export function assessAnswers(rules: RuleSet, answers: Answers, options: AssessOptions = {}): Report {
  const a = assessment(rules, answers, options, true);
  const { facts, decision: d, method } = a;
  const pick = (items: ConditionalRule[]) => pickItems(items, facts);
  const resolutions: ResolutionItem[] = [];
  for (const r of rules.resolutions) {
    if (!evaluate(r.when, facts)) continue;
    resolutions.push({ id: r.id, title: r.title, conflict: interpolate(r.conflict, facts), decision: interpolate(r.decision, facts), why: interpolate(r.why, facts), source: r.source });
  }
  const notFired: Report['notFired'] = [];
  for (const r of d.rules) if (!(r.fired || r.kind === 'tree')) notFired.push({ rule: r.rule, because: r.because, source: r.source });

  const useCase = answers.useCase ?? { name: '' };
  const { core } = a;
  const report: Report = {
    schemaVersion: core.schemaVersion,
    useCase: core.useCase,
    ...(useCase.description ? { description: useCase.description } : {}),
    rules: core.rules,
    recommendation: core.recommendation,
    framework: { ...core.framework, factors: d.framework.factors },
    decisionPath: { steps: d.tree, outcome: d.outcome, outcomeLabel: d.outcomeLabel, candidateLabel: d.candidateLabel, treeApproach: d.treeApproach, approach: d.approach },
    problemTypes: problemTypes(rules, answers),
    derived: core.derived,
    trace: core.trace,
    notFired,
    nextSteps: core.nextSteps,
    nextStepItems: a.nextStepItems,
    warnings: core.warnings,
    warningItems: a.warningItems,
    risks: pick(rules.risks),
    evaluationPlan: pick(rules.evaluationPlan),
    resolutions,
    dataReadiness: computeReadiness(rules, facts, method, new Set(d.derived.map((x) => x.path))),
    economics: core.economics,
    rubric: core.rubric,
    whatIf: core.whatIf,
    whatIfShown: rules.whatIf?.show ?? core.whatIf.length,
    answers,
  };
  if (core.evidence) report.evidence = core.evidence;
  return report;
}

/** What a decision record needs of an assessment, and nothing else (the same values assessAnswers gives). */
export function assessCore(rules: RuleSet, answers: Answers, options: AssessOptions = {}): ReportCore {
  return assessment(rules, answers, options, false).core;
}

/**
 * The items' texts. A loop with push, not map(): map() makes a "holey" array and push a
 * packed one, and the record writer reads these lists beside others made with push; one
 * kind of array keeps V8 from deoptimising it when the other kind first turns up.
 */
function texts(items: readonly ConditionalItem[]): string[] {
  const out: string[] = [];
  for (const i of items) out.push(i.text);
  return out;
}

function pickItems(items: ConditionalRule[], facts: Facts): ConditionalItem[] {
  const picked: ConditionalItem[] = [];
  for (const i of items) {
    if (!evaluate(i.when, facts)) continue;
    const text = interpolate(i.text, facts);
    picked.push(i.title ? { id: i.id, title: i.title, text, source: i.source } : { id: i.id, text, source: i.source });
  }
  return picked;
}

/** The decision, the method and the core of the report, shared by full reports and records. */
function assessment(rules: RuleSet, answers: Answers, options: AssessOptions, full: boolean) {
  const withWhatIf = options.whatIf !== false;
  const base = baseFacts(rules, answers);
  // The decision adds its facts to the map it gets; what-if starts again from the answers.
  const d = decideFromFacts(rules, withWhatIf ? base.copy() : base, { explainNotFired: full, factors: full });
  const { facts, framework: fw } = d;
  const fineTuning = d.approach === 'fine-tune' || d.approach === 'hybrid';
  const method = fineTuning ? chooseMethod(rules, facts) : null;
  if (method) {
    // Next steps, risks and warnings may depend on the method (no adapter advice beside full fine-tuning).
    facts.set('method.objective', method.objective);
    facts.set('method.technique', method.technique);
    facts.set('method.distillation', method.distillation);
  }

  const nextStepItems = pickItems(rules.nextSteps, facts);
  const warningItems = pickItems(rules.warnings, facts);
  for (const w of d.derived) {
    if (w.value && isFactor(rules, w.path)) {
      // A factor derived as present moves the score; say so where people look.
      warningItems.push({ id: `derived.${w.path}`, text: `${w.path} was not answered and is derived as ${w.value}: ${w.because}.`, source: w.source });
    }
  }

  const trace: Report['trace'] = [];
  const evidence = options.evidence;
  if (evidence) {
    for (const e of evidence.filled) trace.push({ rule: `evidence.${e.path}`, because: `${e.path} = ${e.value} (from ${e.file}: ${e.because})`, source: e.source, kind: 'evidence' });
    for (const c of evidence.contradictions) {
      warningItems.push({
        id: `evidence.contradicts.${c.path}`,
        text: `${c.path} is answered ${String(c.answered)}, but ${c.file} says ${String(c.value)}: ${c.because}. The explicit answer was used.`,
        source: c.source,
      });
    }
    for (const f of evidence.findings ?? []) trace.push({ rule: f.rule, because: `${f.because} (from ${f.file})`, source: f.source, kind: 'evidence' });
    for (const w of evidence.warnings ?? []) warningItems.push({ id: w.id, text: w.text, source: w.source });
  }
  for (const r of d.rules) {
    if (!(r.fired || r.kind === 'tree')) continue;
    trace.push(
      r.to === undefined
        ? { rule: r.rule, because: r.because, source: r.source, kind: r.kind }
        : r.from === undefined
          ? { rule: r.rule, because: r.because, source: r.source, kind: r.kind, to: r.to }
          : { rule: r.rule, because: r.because, source: r.source, kind: r.kind, from: r.from, to: r.to },
    );
  }
  trace.push({
    rule: 'framework.bands',
    because: `Score (${fw.indicators} - ${fw.antiIndicators}) / ${fw.totalFactors} = ${fw.score} -> ${fw.scoreBand}; difference ${fw.difference} -> ${fw.differenceBand}; confidence ${fw.confidence} (${rules.framework.confidence.reconcile}).`,
    source: `${rules.framework.score.source}; ${rules.framework.difference.source}`,
    kind: 'band',
  });
  if (method) trace.push({ rule: 'method', because: method.why, source: method.sources.join('; '), kind: 'method' });

  const verdict = rules.verdicts[d.approach];
  const useCase = (answers.useCase ?? { name: '' }) as { name: string };
  const core: ReportCore = {
    schemaVersion: SCHEMA_VERSION,
    useCase: useCase.name,
    rules: { name: rules.name, version: String(rules.version) },
    recommendation: {
      approach: d.approach,
      method,
      summary: interpolate(verdict.summary, facts),
      title: verdict.title,
      confidence: fineTuning ? fw.confidence : null,
      action: fineTuning ? fw.action : (d.wouldTake ?? ''),
      decidedBy: d.decidedBy,
      reason: d.reason,
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
      bandsConfidence: fw.bandsConfidence,
      bandsAgree: fw.bandsAgree,
      weightedScore: fw.weighted.score,
    },
    derived: d.derived,
    trace,
    nextSteps: texts(nextStepItems),
    warnings: texts(warningItems),
    economics: d.economics,
    rubric: computeRubric(rules, facts),
    whatIf: withWhatIf ? rankWhatIf(rules, whatIf(rules, answers, d, base)) : [],
    answers,
  };
  if (evidence) {
    core.evidence = { files: evidence.files, filled: evidence.filled, confirmed: evidence.confirmed, contradictions: evidence.contradictions, findings: evidence.findings ?? [] };
    if (evidence.warnings) core.evidence.warnings = evidence.warnings;
  }
  return { core, facts, decision: d, method, nextStepItems, warningItems };
}

/**
 * What-if changes, levers a team can pull first (its data, economics and ceiling work, in
 * the rule set's order), then within a section the nearest change first: the smallest
 * relative move of a number, a yes/no flip before a new need; undoing work already done
 * comes last. Every change is kept; the reports show the first few.
 */
export function rankWhatIf(rules: RuleSet, list: WhatIf[]): WhatIf[] {
  if (list.length < 2 || !rules.whatIf) return list;
  const { levers, workDone = [] } = rules.whatIf;
  const section = (w: WhatIf) => {
    const dot = w.path.indexOf('.');
    const id = dot === -1 ? w.path : w.path.slice(0, dot);
    // Undoing work already done (a ceiling check back to "no") is no lever: last.
    if (w.from === true && w.value === false && workDone.includes(id)) return levers.length + 1;
    const i = levers.indexOf(id);
    return i === -1 ? levers.length : i;
  };
  const distance = (w: WhatIf) => {
    if (typeof w.value === 'number') {
      const from = typeof w.from === 'number' ? w.from : 0;
      return Math.abs(w.value - from) / Math.max(Math.abs(from), Math.abs(w.value), 1);
    }
    return Array.isArray(w.value) ? 2 : 1;
  };
  return list
    .map((w, i) => ({ w, i, s: section(w), d: distance(w) }))
    .sort((a, b) => a.s - b.s || a.d - b.d || a.i - b.i)
    .map((x) => x.w);
}

function problemTypes(rules: RuleSet, answers: Answers): Report['problemTypes'] {
  const section = rules.sections.find((s) => s.kind === 'choices');
  const chosen = Array.isArray(answers[section?.id ?? 'needs']) ? (answers[section!.id] as string[]) : [];
  return (section?.choices ?? []).filter((c) => chosen.includes(c.id)).map((c) => ({ need: c.id, label: c.label, route: c.route, tryFirst: c.tryFirst ?? '', source: c.source }));
}
