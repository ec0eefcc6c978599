// Checks of a rule set's dataInspection section beyond its shape: sources are declared,
// the warning quotes only training-data facts.
import { placeholders } from '../../engine/template';
import type { RuleSet } from '../../rules/schema';
import { didYouMean } from '../../util/suggest';
import { TRAINING_DATA_FACTS } from './facts';

export function checkDataInspection(rules: RuleSet, add: (path: string, message: string, hint?: string) => void, checkSource: (source: string, path: string) => void): void {
  const d = rules.dataInspection;
  if (!d) return;
  for (const key of ['contextLimit', 'tokenEstimate', 'holdout', 'quality', 'pii'] as const) checkSource(d[key].source, `dataInspection.${key}.source`);
  const known = Object.keys(TRAINING_DATA_FACTS);
  for (const p of placeholders(d.quality.warning)) {
    if (!(p in TRAINING_DATA_FACTS)) add('dataInspection.quality.warning', `the text quotes {${p}}, which is not a training-data fact`, didYouMean(p, known));
  }
}
