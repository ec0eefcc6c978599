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

/** Why an objective's data requirement is not met, or undefined when it is (or unknown). */
export function unmetRequirement(objective: ObjectiveRule, facts: FactMap): string | undefined {
  for (const [kind, need] of Object.entries(objective.requires) as [DataKind, number][]) {
    const have = facts.get(DATA_FACT[kind]);
    const count = typeof have === 'number' ? have : 0;
    if (count < need) {
      return `${objective.label} needs ${formatNumber(need)}+ ${DATA_WORDS[kind]}; ${typeof have === 'number' ? `you have ${formatNumber(count)}` : `${DATA_FACT[kind]} is not given`}`;
    }
  }
  return undefined;
}

export function chooseMethod(rules: RuleSet, facts: FactMap): Method {
  const m = rules.method;
  const needsSection = rules.sections.find((s) => s.kind === 'choices');
  const chosen = (facts.get('needs.weights') as string[] | undefined) ?? [];
  const byObjective = new Map<string, string[]>();
  for (const need of chosen) {
    const objective = needsSection?.choices?.find((c) => c.id === need)?.objective ?? m.priority[0]!;
    byObjective.set(objective, [...(byObjective.get(objective) ?? []), need]);
  }
  if (byObjective.size === 0) byObjective.set(m.priority[0]!, []);

  // Objectives whose data is missing fall back (DPO without pairs, continued pretraining
  // without documents); the phase list keeps both so the user sees what to collect.
  const phases: MethodPhase[] = [];
  const rank = (id: string) => {
    const i = m.priority.indexOf(id);
    return i === -1 ? m.priority.length : i;
  };
  for (const [objectiveId, needs] of [...byObjective.entries()].sort((a, b) => rank(a[0]) - rank(b[0]))) {
    const objective = m.objectives.find((o) => o.id === objectiveId);
    if (!objective) continue;
    const unmet = unmetRequirement(objective, facts);
    const fallback = unmet && objective.fallback ? m.objectives.find((o) => o.id === objective.fallback) : undefined;
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
  const primary = m.objectives.find((o) => o.id === primaryId)!;

  const technique = m.techniques.find((t) => evaluate(t.when, facts)) ?? m.techniques[m.techniques.length - 1]!;
  const distillation = evaluate(m.distillation.when, facts);

  const why: string[] = [];
  const needText = first.needs.length ? ` for ${first.needs.join(', ')}` : '';
  why.push(`${primary.label}${needText}: ${primary.goal.toLowerCase()}.`);
  if (first.instead) why.push(`${first.label} would fit, but ${first.instead.reason}; starting with ${primary.label} instead.`);
  why.push(interpolate(technique.because, facts));
  if (distillation) why.push(interpolate(m.distillation.because, facts));
  if (phases.length > 1) why.push(`Later phases: ${phases.slice(1).map((p) => `${p.phase}. ${p.label}${p.needs.length ? ` (${p.needs.join(', ')})` : ''}`).join('; ')}.`);

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
