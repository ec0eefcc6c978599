// The rule set's `dataInspection` section: the thresholds the data inspector applies.
// The numbers live in rules/default.yaml with their sources; this is their type.
import type { RuleSet } from '../../rules/schema';
import { UsageError } from '../../util/errors';

export type DataInspectionSettings = NonNullable<RuleSet['dataInspection']>;

/** The rule set's data-inspection settings, or a message saying how to add them. */
export function dataInspectionSettings(rules: RuleSet): DataInspectionSettings {
  if (!rules.dataInspection) {
    throw new UsageError(`the rule set "${rules.name}" has no dataInspection section, which the data inspector needs`, 'add one (see rules/default.yaml), or write extends: default in the rule set');
  }
  return rules.dataInspection;
}
