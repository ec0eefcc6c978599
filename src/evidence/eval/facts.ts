// Facts an eval-results reader sets (promptfoo results, the tool-neutral evidence file).
// A rule set's evidence mappings may read these; `rules show --facts` lists them.
import type { FactType } from '../../rules/fact-types';

export const EVAL_FACTS: Record<string, { type: FactType; description: string }> = {
  'eval.distinctPrompts': { type: 'number', description: 'distinct prompts in the eval results' },
  'eval.distinctProviders': { type: 'number', description: 'distinct providers (models) in the eval results' },
};
