// The team's targets, as facts beside the measurements. A mapping compares a fact with a
// number written in the rule set, so "the best pass rate meets the team's target" is read
// as `eval.passRateAboveTarget >= 0`: the target (an answer, or its default in the rule
// set) is subtracted here, and the threshold stays in YAML.
import type { FactValue } from '../../engine/conditions';
import type { RuleSet } from '../../rules/schema';
import type { Measurements } from '../types';

/** Where the targets are answered, and the facts each one turns into. */
const TARGETS = [
  { answer: 'evalTargets.passRate', measured: 'eval.bestPassRate', target: 'eval.passRateTarget', margin: 'eval.passRateAboveTarget' },
  { answer: 'evalTargets.latencyMs', measured: 'eval.meanLatencyMs', target: 'eval.latencyBudgetMs', margin: 'eval.latencyOverBudget' },
  { answer: 'evalTargets.costPerRequest', measured: 'eval.costPerRequest', target: 'eval.costBudget', margin: 'eval.costOverBudget' },
] as const;

/** The answer, else the rule set's default for that field, else undefined. */
function targetValue(rules: RuleSet, answers: Record<string, unknown>, path: string): number | undefined {
  const [sectionId, fieldId] = path.split('.') as [string, string];
  const section = answers[sectionId];
  const given = section && typeof section === 'object' ? (section as Record<string, unknown>)[fieldId] : undefined;
  if (typeof given === 'number') return given;
  const fallback = rules.sections.find((s) => s.id === sectionId)?.fields?.find((f) => f.id === fieldId)?.default;
  return typeof fallback === 'number' ? fallback : undefined;
}

/** Adds the target facts to each file's measurements (new objects; the input is not changed). */
export function withTargets(rules: RuleSet, answers: Record<string, unknown>, measurements: readonly Measurements[]): Measurements[] {
  return measurements.map((m) => {
    if (!m.kind || !Object.keys(m.facts).some((k) => k.startsWith('eval.'))) return m;
    const facts: Record<string, FactValue> = { ...m.facts };
    for (const t of TARGETS) {
      const target = targetValue(rules, answers, t.answer);
      const measured = facts[t.measured];
      if (target === undefined) continue;
      facts[t.target] = target;
      if (typeof measured !== 'number') continue;
      // Margins are differences of rounded figures: round again so 80.1 - 80 is 0.1, not 0.0999...
      facts[t.margin] = Number((measured - target).toPrecision(10));
    }
    return { ...m, facts };
  });
}
