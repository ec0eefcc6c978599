import type { FieldRule, RuleSet } from '../rules/schema';

/** The values a `choice` field takes: the ids of the choices section it names. */
export function choiceOptions(rules: RuleSet | undefined, field: FieldRule): string[] {
  const from = rules?.sections.find((s) => s.id === field.choicesFrom && s.kind === 'choices');
  return (from?.choices ?? []).map((c) => c.id);
}
