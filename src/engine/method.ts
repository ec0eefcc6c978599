// Method = objective x technique x distillation, chosen from the rule set's tables.
import type { ObjectiveRule, RuleSet } from '../rules/schema';
import { evaluate } from './conditions';
import type { FactMap } from './facts';
import { interpolate } from './template';
import { formatNumber } from '../util/format';

export interface MethodPhase {
  phase: number;
  objective: string;
  label: string;
  needs: string[];
  /** Set when the objective the needs point to lacks data and a fallback is used. */
  instead?: { objective: string; reason: string };
}

export interface Method {
  objective: string;
  technique: string;
  distillation: boolean;
  why: string;
  objectiveLabel: string;
  techniqueLabel: string;
  compute: string;
  phases: MethodPhase[];
  sources: string[];
}

type DataKind = 'examples' | 'preferencePairs' | 'documents';
const DATA_FACT: Record<DataKind, string> = { examples: 'data.examples', preferencePairs: 'data.preferencePairs', documents: 'data.documents' };
const DATA_WORDS: Record<DataKind, string> = { examples: 'labelled examples', preferencePairs: 'preference pairs', documents: 'domain documents' };

/**
 * What a phase needs to train on: its objective's minimum, or the needs' own when every
 * need of the phase names one (behaviour and classification need less than the
 * framework's knowledge row); nothing when every need is distilled from a large model.
 */
export function phaseRequirement(rules: RuleSet, objective: ObjectiveRule, needs: readonly string[]): { requires: ObjectiveRule['requires']; source: string; generated: boolean } {
  const choices = methodPlan(rules).choices;
  const all = needs.map((n) => choices.get(n));
  if (needs.length > 0 && all.every((c) => c?.distill === true)) return { requires: {}, source: rules.method.distillation.source, generated: true };
  // Distilled needs train on generated data: the others decide what must be collected.
  const own = all.filter((c) => c?.distill !== true);
  if (own.length > 0 && own.every((c) => c?.requires !== undefined)) {
    const requires: Partial<Record<DataKind, number>> = {};
    for (const c of own) for (const [kind, n] of Object.entries(c!.requires!) as [DataKind, number][]) requires[kind] = Math.max(requires[kind] ?? 0, n);
    return { requires, source: [...new Set(own.map((c) => c!.requiresSource ?? c!.source))].join('; '), generated: false };
  }
  return { requires: objective.requires, source: objective.source, generated: false };
}

/** Why an objective's data requirement is not met, or undefined when it is (or unknown). */
export function unmetRequirement(objective: ObjectiveRule, facts: FactMap, requires: ObjectiveRule['requires'] = objective.requires): string | undefined {
  for (const [kind, need] of Object.entries(requires) as [DataKind, number][]) {
    const have = facts.get(DATA_FACT[kind]);
    const count = typeof have === 'number' ? have : 0;
    if (count < need) {
      return `${objective.label} needs ${formatNumber(need)}+ ${DATA_WORDS[kind]}; ${typeof have === 'number' ? `you have ${formatNumber(count)}` : `${DATA_FACT[kind]} is not given`}`;
    }
  }
  return undefined;
}

/** The method tables as look-ups, made once per rule set: a batch chooses a method per use case. */
interface MethodPlan {
  /** A need's objective (the first choice with that id that names one). */
  objectiveOfNeed: Map<string, string>;
  /** Objectives by id (the first with that id). */
  objectives: Map<string, ObjectiveRule>;
  /** An objective's place in the priority list (the first). */
  rank: Map<string, number>;
  /** The needs' choices, by id. */
  choices: Map<string, NonNullable<RuleSet['sections'][number]['choices']>[number]>;
}
const methodPlans = new WeakMap<RuleSet, MethodPlan>();

function methodPlan(rules: RuleSet): MethodPlan {
  let plan = methodPlans.get(rules);
  if (plan) return plan;
  const m = rules.method;
  const objectiveOfNeed = new Map<string, string>();
  const choices: MethodPlan['choices'] = new Map();
  for (const c of rules.sections.find((s) => s.kind === 'choices')?.choices ?? []) {
    if (choices.has(c.id)) continue;
    choices.set(c.id, c);
    if (c.objective !== undefined) objectiveOfNeed.set(c.id, c.objective);
  }
  const objectives = new Map<string, ObjectiveRule>();
  for (const o of m.objectives) if (!objectives.has(o.id)) objectives.set(o.id, o);
  const rank = new Map<string, number>();
  m.priority.forEach((id, i) => {
    if (!rank.has(id)) rank.set(id, i);
  });
  plan = { objectiveOfNeed, objectives, rank, choices };
  methodPlans.set(rules, plan);
  return plan;
}

export function chooseMethod(rules: RuleSet, facts: FactMap): Method {
  const m = rules.method;
  const plan = methodPlan(rules);
  const chosen = (facts.get('needs.weights') as string[] | undefined) ?? [];
  const byObjective = new Map<string, string[]>();
  for (const need of chosen) {
    const objective = plan.objectiveOfNeed.get(need) ?? m.priority[0]!;
    const needs = byObjective.get(objective);
    if (needs) needs.push(need);
    else byObjective.set(objective, [need]);
  }
  if (byObjective.size === 0) byObjective.set(m.priority[0]!, []);

  // The primary need's objective comes first (the framework's Phase 5: match the primary
  // goal); the others follow in the priority list's order, the Task API plan's.
  const primaryNeed = facts.get('needs.primary');
  const primaryObjective = typeof primaryNeed === 'string' ? (plan.objectiveOfNeed.get(primaryNeed) ?? m.priority[0]!) : undefined;
  const rank = (id: string) => (id === primaryObjective ? -1 : (plan.rank.get(id) ?? m.priority.length));
  // Objectives whose data is missing fall back (DPO without pairs, continued pretraining
  // without documents); the phase list keeps both so the user sees what to collect.
  const phases: MethodPhase[] = [];
  for (const [objectiveId, needs] of [...byObjective.entries()].sort((a, b) => rank(a[0]) - rank(b[0]))) {
    const objective = plan.objectives.get(objectiveId);
    if (!objective) continue;
    const requirement = phaseRequirement(rules, objective, needs);
    const unmet = requirement.generated ? undefined : unmetRequirement(objective, facts, requirement.requires);
    const fallback = unmet && objective.fallback ? plan.objectives.get(objective.fallback) : undefined;
    phases.push({
      phase: 0,
      objective: objective.id,
      label: objective.label,
      needs,
      ...(fallback ? { instead: { objective: fallback.id, reason: unmet! } } : {}),
    });
  }
  phases.forEach((p, i) => (p.phase = i + 1));
  const first = phases[0]!;
  const primaryId = first.instead?.objective ?? first.objective;
  const primary = plan.objectives.get(primaryId)!;

  let technique = m.techniques[m.techniques.length - 1]!;
  for (const t of m.techniques) {
    if (evaluate(t.when, facts)) {
      technique = t;
      break;
    }
  }
  const distillation = evaluate(m.distillation.when, facts);

  const why: string[] = [];
  const needText = first.needs.length ? ` for ${first.needs.join(', ')}` : '';
  const primaryWords = typeof primaryNeed === 'string' && first.needs.includes(primaryNeed) && byObjective.size > 1 ? ' (the primary need)' : '';
  why.push(`${primary.label}${needText}${primaryWords}: ${primary.goal.toLowerCase()}.`);
  if (first.instead) why.push(`${first.label} would fit, but ${first.instead.reason}; starting with ${primary.label} instead.`);
  why.push(interpolate(technique.because, facts));
  if (distillation) why.push(interpolate(m.distillation.because, facts));
  if (phases.length > 1) {
    // A loop, not slice().map(): V8 threw away this function's optimised code at the map().
    let later = '';
    for (let i = 1; i < phases.length; i++) {
      const p = phases[i]!;
      later += `${i > 1 ? '; ' : ''}${p.phase}. ${p.label}${p.needs.length ? ` (${p.needs.join(', ')})` : ''}`;
    }
    why.push(`Later phases: ${later}.`);
  }

  return {
    objective: primary.id,
    technique: technique.id,
    distillation,
    why: why.join(' '),
    objectiveLabel: primary.label,
    techniqueLabel: technique.label,
    compute: primary.compute,
    phases,
    sources: [primary.source, technique.source, ...(distillation ? [m.distillation.source] : []), ...(phases.length > 1 ? [m.prioritySource] : [])],
  };
}
